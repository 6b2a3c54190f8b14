"""apim.py — the actor-partner figure of plot_results.py (SPEC 4.5,
docs/actor-partner.md, docs/plots.md).

actor_partner: one panel per model of /actor_partner (the first six), the
mean over couples of each session's partner, actor, interaction and
partner-only coefficients with its 95% confidence interval (Student t on
n - 1 df, as the one-sample t-test of couple_summary), one marker and line
style per session label (all sessions when there is one label), so it
survives black-and-white printing. The intercept, a base rate on another
scale, is left out (it is in the file and in `dyadseq export`).
"""
import math

import numpy as np

from .common import LABEL_STYLES, footnote, note, plt, save, skip
from .stats import nct_cdf

COEFS = ("partner", "actor", "interaction", "partner_only")
TICKS = ("partner", "actor", "interaction", "partner\nwithout actor")
MAX_MODELS = 6
GROUP = "actor_partner"


def t_quantile(p, df, cache={}):
    """The p-quantile of Student's t on df degrees of freedom, by bisection
    of nct_cdf with noncentrality 0 (no scipy needed)."""
    key = (p, df)
    if key not in cache:
        lo, hi = -60.0, 60.0
        for _ in range(70):
            mid = (lo + hi) / 2
            if nct_cdf(mid, df, 0.0) < p:
                lo = mid
            else:
                hi = mid
        cache[key] = (lo + hi) / 2
    return cache[key]


def summary(r, g):
    """{label: {coefficient: (mean, sd, n)}} of a model's couple summary;
    the label "" is all sessions."""
    c = f"{g}/couple_summary"
    if not all(r.has(f"{c}/{k}") for k in ("label", "coefficient", "mean", "sd", "n")):
        return None
    lab, coef = r.strings(f"{c}/label"), r.strings(f"{c}/coefficient")
    mean, sd = r.get(f"{c}/mean").astype(float), r.get(f"{c}/sd").astype(float)
    n = r.get(f"{c}/n").astype(int)
    out = {}
    for i in range(len(lab)):
        out.setdefault(lab[i], {})[coef[i]] = (mean[i], sd[i], n[i])
    return out


def interval(m, sd, n):
    """The 95% t interval of a mean over n sessions; NaN when n < 2."""
    if not (n >= 2 and math.isfinite(sd)):
        return math.nan, math.nan
    w = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    return m - w, m + w


def fig_actor_partner(r, a, name):
    if not r.has(GROUP) or not list(r.f[GROUP].keys()):
        if a.only:
            return skip(name, f"no /{GROUP} in {r.path} (analyze --actor-partner Y~X)")
        return None
    groups = list(r.f[GROUP].keys())
    if len(groups) > MAX_MODELS:
        note(f"{name}: the first {MAX_MODELS} of {len(groups)} models are drawn")
        groups = groups[:MAX_MODELS]
    tables = [(r.attr("model", f"{GROUP}/{g}") or g, summary(r, f"{GROUP}/{g}")) for g in groups]
    tables = [(m, t) for m, t in tables if t]
    if not tables:
        return skip(name, f"/{GROUP} has no couple_summary tables")
    labels = sorted(k for k in tables[0][1] if k)
    # the compared labels first, in therapy order
    first = [x for x in (a.pre or "pre", a.post or "post") if x in labels]
    labels = first + [x for x in labels if x not in first]
    if len(labels) < 2:
        labels = [""]  # one label: all sessions
    if len(labels) > len(LABEL_STYLES):
        note(f"{name}: the first {len(LABEL_STYLES)} of {len(labels)} session labels are drawn")
        labels = labels[:len(LABEL_STYLES)]
    M = len(tables)
    ncol = 1 if M == 1 else 2
    nrow = (M + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.0 * nrow), squeeze=False)
    xs = np.arange(len(COEFS))
    width = 0.6 / max(1, len(labels))
    for k, (model, tab) in enumerate(tables):
        ax = axes[k // ncol][k % ncol]
        ax.axhline(0, color="0.5", lw=0.8, ls="--", zorder=0)
        for j, lab in enumerate(labels):
            st = LABEL_STYLES[j]
            off = (j - (len(labels) - 1) / 2) * width
            row = tab.get(lab, {})
            for i, c in enumerate(COEFS):
                mean, sd, n = row.get(c, (math.nan, math.nan, 0))
                if not math.isfinite(mean):
                    continue
                lo, hi = interval(mean, sd, n)
                if math.isfinite(lo):
                    ax.plot([xs[i] + off] * 2, [lo, hi], color=st["color"], ls=st["ls"], lw=1.2)
                n_show = f"{lab or 'all'} (n = {n})" if i == 0 else None
                ax.plot(xs[i] + off, mean, marker=st["marker"], ms=5.5, mec=st["color"],
                        mfc="white" if j % 2 else st["color"], color=st["color"], ls="none",
                        label=n_show, zorder=3)
        ax.set_xticks(xs, TICKS)
        ax.set_xlim(-0.6, len(COEFS) - 0.4)
        ax.set_title(model, loc="left")
        ax.set_ylabel("coefficient (log odds, \u00b11 coding)")
        ax.grid(axis="y", color="0.9", lw=0.5)
        ax.set_axisbelow(True)
        if k == 0:
            ax.legend(frameon=False, loc="best")
    for k in range(M, nrow * ncol):
        axes[k // ncol][k % ncol].axis("off")
    delta = r.attr("delta", f"/{GROUP}")
    unit = r.attr("time_unit_s", f"/{GROUP}")
    footnote(fig, "Actor-partner effects (logit of Y at t on the partner's X and the actor's own Y "
               "at t\u22121, each coded +1 present, \u22121 absent; Bakeman & Gottman 1997): mean over "
               "sessions of each session's coefficient, bars its 95% t interval. partner without "
               "actor: the same model without Y at t\u22121. "
               f"Units of {unit:g} s, {delta:g} added to each cell; the intercept is not drawn."
               if delta is not None and unit is not None else
               "Actor-partner effects: mean over sessions with 95% t intervals.")
    return save(fig, a.outdir, name, a)
