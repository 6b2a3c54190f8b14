"""forest.py — the pre/post comparison as a forest plot
(comparison_forest): Cohen's d_z of each metric with its exact confidence
interval, beside a table of the raw differences, when /comparison exists.
"""
import numpy as np

from .common import Results, footnote, fmt_num, note, plt, save, skip
from .stats import dz_confint


# ---------------------------------------------------------------- figure 5
def fig_forest(r, a, name):
    src = r
    if a.comparison:
        src = Results(a.comparison)
    g = "comparison"
    need = ("metric", "d_z", "t", "df", "n_pairs", "mean_diff", "ci_low", "ci_high")
    if not all(src.has(f"{g}/{k}") for k in need):
        return skip(name, f"no /comparison in {src.path} (run dyadseq compare, "
                          "or give its file with --comparison)")
    metric = src.strings(f"{g}/metric")
    dz = src.get(f"{g}/d_z").astype(float)
    t = src.get(f"{g}/t").astype(float)
    df = src.get(f"{g}/df").astype(float)
    n = src.get(f"{g}/n_pairs").astype(int)
    md = src.get(f"{g}/mean_diff").astype(float)
    lo_raw = src.get(f"{g}/ci_low").astype(float)
    hi_raw = src.get(f"{g}/ci_high").astype(float)
    qbh = src.get(f"{g}/q_bh").astype(float) if src.has(f"{g}/q_bh") else np.full(len(metric), np.nan)
    conf = src.attr("conf_level", "/comparison") if "conf_level" in src.f["comparison"].attrs \
        else src.param("conf_level", "conf", default=0.95)
    conf = float(conf)
    M = len(metric)
    if M == 0:
        return skip(name, "/comparison has no metrics")
    lo = np.full(M, np.nan)
    hi = np.full(M, np.nan)
    for i in range(M):
        lo[i], hi[i] = dz_confint(t[i], df[i], n[i], conf)
    pre = src.param("pre", default=a.pre or "pre")
    post = src.param("post", default=a.post or "post")
    fig_h = 0.32 * M + 1.5
    fig, (ax, axt) = plt.subplots(1, 2, figsize=(8.6, fig_h), sharey=True,
                                  gridspec_kw=dict(width_ratios=[1.25, 1.0], wspace=0.04))
    yy = np.arange(M)[::-1]
    finite = np.isfinite(dz)
    for i in range(M):
        if not finite[i]:
            ax.text(0, yy[i], "not estimable", fontsize=7, color="0.4", ha="center", va="center")
            continue
        if np.isfinite(lo[i]):
            ax.plot([lo[i], hi[i]], [yy[i], yy[i]], color="black", lw=1.2, solid_capstyle="butt")
            ax.plot([lo[i], hi[i]], [yy[i], yy[i]], ls="none", marker="|", ms=6, color="black")
        filled = np.isfinite(qbh[i]) and qbh[i] <= a.alpha
        ax.plot(dz[i], yy[i], marker="s", ms=6.5, mec="black", mew=1.2,
                mfc="black" if filled else "white", zorder=3)
    ax.axvline(0, color="0.4", lw=0.8, ls="--")
    vals = np.concatenate([dz[finite], lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
    span = max(1.0, float(np.max(np.abs(vals)))) if vals.size else 1.0
    span = min(span, 6.0)
    ax.set_xlim(-span * 1.08, span * 1.08)
    if vals.size and np.max(np.abs(vals)) > span:
        note(f"{name}: an interval reaches beyond \u00b1{span:g} and is cut at the frame")
    ax.set_yticks(yy, metric)
    ax.set_ylim(-0.7, M - 0.3)
    ax.set_xlabel(f"Cohen's d_z ({post} \u2212 {pre}), {conf * 100:g}% CI")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="0.9", lw=0.5)
    ax.set_axisbelow(True)
    # table of raw differences
    axt.axis("off")
    axt.set_xlim(0, 1)
    cols = [(0.02, f"\u0394 = {post} \u2212 {pre} [{conf * 100:g}% CI]", "left"),
            (0.78, "n", "right"), (0.98, "q (BH)", "right")]
    for x, h, ha in cols:
        axt.text(x, M - 0.35, h, fontsize=7.5, fontweight="bold", ha=ha, va="bottom")
    for i in range(M):
        ci = (f"{fmt_num(md[i])} [{fmt_num(lo_raw[i])}, {fmt_num(hi_raw[i])}]"
              if np.isfinite(lo_raw[i]) else fmt_num(md[i]))
        axt.text(0.02, yy[i], ci, fontsize=7.5, ha="left", va="center")
        axt.text(0.78, yy[i], str(n[i]), fontsize=7.5, ha="right", va="center")
        qs = ("<.001" if qbh[i] < 0.001 else f"{qbh[i]:.3f}".lstrip("0")) if np.isfinite(qbh[i]) else "NaN"
        axt.text(0.98, yy[i], qs, fontsize=7.5, ha="right", va="center")
    ax.set_title(f"Change from {pre} to {post} sessions (paired by couple)", loc="left")
    footnote(fig, f"Squares: d_z = mean difference / SD of the differences; lines: exact "
             f"{conf * 100:g}% CI from the noncentral t. Filled: Benjamini\u2013Hochberg "
             f"q \u2264 {a.alpha:g} across the {M} metrics. \u0394 in each metric's own unit.")
    return save(fig, a.outdir, name, a)
