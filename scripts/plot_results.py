#!/usr/bin/python3
"""plot_results.py — figures for a paper from one dyadseq results file.

Reads the HDF5 layout of SPEC section 5 (schemas/results.md) with h5py and
draws, with matplotlib only, five figures, each as PNG (150 dpi) and PDF
(--format):

  lag1_heatmap      pooled lag-k adjusted residuals (colour), Yule's Q in
                    every cell, significant cells framed after a stated
                    multiple-comparison correction (Holm by default)
  lag1_diagram      the significant transitions as a diagram: states as
                    nodes, arrow width proportional to Yule's Q
  response_km       Kaplan-Meier time to response after a bid, one panel
                    per direction, one line style per session label
  timeline          one session's events by actor over time, its pursue-
                    withdraw cycles (/cycles/runs) shaded; the events come
                    from the transcript that was analyzed (--transcript,
                    checked against the file: scripts/transcript_events.py)
  comparison_forest pre/post effect sizes (Cohen's d_z with its exact
                    confidence interval), when /comparison exists
  actor_partner     actor and partner effects over time (analyze
                    --actor-partner): mean coefficients with 95% CI per
                    session label, one panel per model (scripts/plot_apim.py)

A figure whose data are absent (no time column, no /comparison, ...) is
skipped with a one-line message on standard error. Every figure uses line
styles, hatching, value labels and grey levels, so it survives printing in
black and white. docs/plots.md explains each figure and the options.

Usage: plot_results.py RESULTS.h5 -o DIR [options]   (--help lists them)
Exit status: 0 success (skipped figures included), 1 unreadable input,
2 usage error. Run through scripts/plot_results, which finds a Python that
has h5py and matplotlib.
"""
import argparse
import json
import math
import os
import sys
import textwrap

PROG = "plot_results"


def note(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)


def die(msg, status=1):
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(status)


try:
    import numpy as np
    import h5py
    import matplotlib
except ImportError as e:  # the wrapper normally prevents this
    die(f"{sys.executable} has no module '{e.name}': install python3-h5py and "
        "python3-matplotlib (Debian/Ubuntu), or 'pip install h5py matplotlib', "
        "or run scripts/plot_results, which looks for a Python that has them")

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

import plot_apim  # noqa: E402  (beside this script)
import transcript_events  # noqa: E402  (beside this script)

SUPPORTED_FORMAT_VERSION = 1
DPI = 150
MINUS = "\u2212"
ARROW = "\u2192"

plt.rcParams.update({
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8,
    "pdf.fonttype": 42, "ps.fonttype": 42,  # editable text in the PDF
    "axes.spines.top": False, "axes.spines.right": False,
    "savefig.bbox": "tight", "savefig.pad_inches": 0.05,
})

# One style per session label, distinguishable without colour.
LABEL_STYLES = [dict(color="0.0", ls="-", marker="o"),
                dict(color="0.45", ls="--", marker="s"),
                dict(color="0.25", ls=":", marker="^"),
                dict(color="0.6", ls="-.", marker="D")]


# ------------------------------------------------------------------ reading
class Results:
    """Thin read-only view of a results file: strings decoded, paths
    checked. Arrays come back as numpy arrays in h5py's (C) order, so a
    [K, K] table is indexed [antecedent, target]."""

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            die(f"{path}: no such file")
        if os.path.isdir(path):
            die(f"{path}: is a directory, not a results file")
        try:
            self.f = h5py.File(path, "r")
        except (OSError, ValueError) as e:
            why = str(e).split("(")[-1].rstrip(")") if "(" in str(e) else str(e)
            die(f"{path}: not a readable HDF5 file ({why})")
        fmt = self.f.attrs.get("format")
        if isinstance(fmt, bytes):
            fmt = fmt.decode("utf-8", "replace")
        if fmt != "dyadseq-results":
            die(f"{path}: not a dyadseq results file (root attribute format is "
                f"{fmt!r}, want 'dyadseq-results')")
        ver = self.f.attrs.get("format_version")
        if ver is not None and int(ver) > SUPPORTED_FORMAT_VERSION:
            note(f"warning: {path} has format_version {int(ver)}; this script "
                 f"knows version {SUPPORTED_FORMAT_VERSION} and may misread it")
        try:
            self.params = json.loads(self.attr("parameters") or "{}")
        except ValueError:
            self.params = {}
        # a file of `dyadseq power` has no sessions (nothing is kept of them)
        has_sessions = "sessions/couple" in self.f
        if "states/label" not in self.f or not (has_sessions or "power" in self.f):
            die(f"{path}: no /states/label or /sessions: not a complete results file")
        self.states = self.strings("states/label")
        self.couples = self.strings("sessions/couple") if has_sessions else []
        self.labels = self.strings("sessions/session") if has_sessions else []
        self.S, self.K = len(self.couples), len(self.states)

    def has(self, p):
        return p in self.f

    def attr(self, name, obj="/"):
        v = self.f[obj].attrs.get(name)
        return v.decode("utf-8", "replace") if isinstance(v, bytes) else v

    def get(self, p):
        return self.f[p][()]

    def strings(self, p):
        return [str(s) for s in self.f[p].asstr()[()]]

    def param(self, *names, default=None):
        """An option from the `parameters` JSON (a flat object keyed by
        the long option name, spelt with '_' or '-')."""
        for n in names:
            for key in (n, n.replace("_", "-"), n.replace("-", "_")):
                if key in self.params:
                    return self.params[key]
        return default

    def session_name(self, s):
        return f"{self.couples[s]}/{self.labels[s]}"

    def structure(self):
        """(actors, codes, roles) from /states/label and /codebook, or
        (None, codes, roles) when states are codes alone (no actor column).
        States are actor-major (SPEC 4): state s = actor s // C, code s % C."""
        codes = self.strings("codebook/code") if self.has("codebook/code") else []
        roles = self.strings("codebook/role") if self.has("codebook/role") else []
        C = len(codes)
        if C == 0 or len(roles) != C:
            return None, self.states, ["other"] * self.K
        if self.K == C and self.states == codes:
            return None, codes, roles
        if self.K % C == 0:
            actors = []
            for a in range(self.K // C):
                lab, suffix = self.states[a * C], ":" + codes[0]
                if not lab.endswith(suffix):
                    break
                actors.append(lab[: -len(suffix)])
            if len(actors) == self.K // C and all(
                    self.states[a * C + c] == f"{actors[a]}:{codes[c]}"
                    for a in range(len(actors)) for c in range(C)):
                return actors, codes, roles
        return None, self.states, ["other"] * self.K


# ------------------------------------------------------------- statistics
def adjust_p(p, method):
    """Adjusted p-values over the finite entries of p (any shape), as R's
    p.adjust: holm (Holm 1979), bonferroni, bh (Benjamini & Hochberg 1995).
    NaN stays NaN and is not counted in m. Returns (adjusted, m)."""
    p = np.asarray(p, float)
    flat = p.ravel()
    out = np.full(flat.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(flat))
    m = len(ok)
    if m == 0:
        return out.reshape(p.shape), 0
    order = ok[np.argsort(flat[ok], kind="stable")]
    ps = flat[order]
    if method == "bonferroni":
        adj = np.minimum(1.0, m * ps)
    elif method == "holm":
        adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * ps))
    else:  # bh
        adj = np.minimum(1.0, np.minimum.accumulate((m / np.arange(m, 0, -1) * ps[::-1]))[::-1])
    out[order] = adj
    return out.reshape(p.shape), m


CORRECTION_NAMES = {"holm": "Holm", "bonferroni": "Bonferroni",
                    "bh": "Benjamini\u2013Hochberg FDR"}


def _norm_cdf(x):
    """Standard normal CDF from erfc (Numerical Recipes erfcc, relative
    error < 1.2e-7): vectorized without scipy."""
    z = -np.asarray(x, float) / math.sqrt(2.0)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.5 * a)
    r = t * np.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (
        0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (
            1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    erfc = np.where(z >= 0, r, 2.0 - r)
    return 0.5 * erfc


def nct_cdf(t, df, delta):
    """P(T <= t) for T noncentral t with df degrees of freedom and
    noncentrality delta: E[Phi(t U / sqrt(df) - delta)], U ~ chi(df),
    integrated numerically over U (trapezoid, 4000 points)."""
    u = np.linspace(0.0, math.sqrt(df) + 12.0, 4001)
    with np.errstate(divide="ignore", invalid="ignore"):
        logg = ((df - 1) * np.log(u) - u * u / 2 - (df / 2 - 1) * math.log(2)
                - math.lgamma(df / 2))
    g = np.exp(logg)
    g[0] = math.sqrt(2 / math.pi) if df == 1 else (0.0 if df > 1 else math.inf)
    y = _norm_cdf(t * u / math.sqrt(df) - delta) * g
    h = u[1] - u[0]
    return float(np.sum(y) * h - (y[0] + y[-1]) * h / 2)


def dz_confint(t, df, n, conf):
    """Exact CI of Cohen's d_z by inverting the noncentral t (Cumming &
    Finch 2001; Steiger & Fouladi 1997): delta with P(T <= t | delta) =
    1 - a/2 and a/2, divided by sqrt(n). NaN when t or df is not finite."""
    if not (math.isfinite(t) and math.isfinite(df) and df >= 1 and n >= 2):
        return math.nan, math.nan
    a = 1 - conf
    out = []
    for target in (1 - a / 2, a / 2):
        lo, hi, step = t - 1.0, t + 1.0, 1.0
        while nct_cdf(t, df, lo) < target and step < 1e4:
            step *= 2
            lo = t - step
        while nct_cdf(t, df, hi) > target and step < 1e4:
            step *= 2
            hi = t + step
        if step >= 1e4:
            return math.nan, math.nan
        for _ in range(60):
            mid = (lo + hi) / 2
            if nct_cdf(t, df, mid) > target:
                lo = mid
            else:
                hi = mid
        out.append((lo + hi) / 2 / math.sqrt(n))
    return out[0], out[1]


def fmt_q(v):
    """Yule's Q as in APA tables: no leading zero, a real minus sign."""
    if not math.isfinite(v):
        return ""
    s = f"{abs(v):.2f}"
    s = s[1:] if s.startswith("0") else s
    return (MINUS if v < 0 and s not in (".00",) else "") + s


def fmt_num(v, digits=3):
    if not math.isfinite(v):
        return "NaN"
    s = f"{v:.{digits}g}"
    if "e" not in s and abs(v) >= 10 ** digits:
        s = f"{v:.0f}"
    return s.replace("-", MINUS)


# ----------------------------------------------------------------- output
def save(fig, outdir, name, a):
    """Write the figure in each format of --format (PNG at DPI, PDF),
    cropped to what is drawn, caption included, plus a margin. The crop
    box is found once, not once per format by savefig's "tight" (each
    lays the whole figure out again)."""
    box = _place_caption(fig)
    paths = []
    for ext in a.formats:
        p = os.path.join(outdir, f"{name}.{ext}")
        meta = {"CreationDate": None} if ext == "pdf" else {"Software": None}
        fig.savefig(p, dpi=DPI, metadata=meta, bbox_inches=box)
        paths.append(p)
    plt.close(fig)
    if not a.quiet:
        note(f"wrote {paths[0]}" + "".join(f" and .{e}" for e in a.formats[1:]))
    return paths


def skip(name, why):
    note(f"skipped {name}: {why}")


def footnote(fig, text):
    """A caption under the figure; save() places it below everything else
    and wraps it to the drawn width."""
    fig._dyadseq_caption = text


def _place_caption(fig):
    """Place the caption (footnote) under what is drawn; return the box
    (inches) of everything, caption included, with savefig's margin."""
    renderer = fig.canvas.get_renderer()
    bb = fig.get_tightbbox(renderer)  # inches
    text = getattr(fig, "_dyadseq_caption", None)
    if text:
        W, H = fig.get_figwidth(), fig.get_figheight()
        width_in = max(bb.x1 - bb.x0, 4.0)
        chars = int(width_in * 72 / (7.5 * 0.47))
        t = fig.text(bb.x0 / W, (bb.y0 - 0.08) / H, textwrap.fill(text, chars), ha="left",
                     va="top", fontsize=7.5, color="0.2", transform=fig.transFigure)
        ext = t.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
        bb = Bbox.union([bb, ext])
    pad = plt.rcParams["savefig.pad_inches"]
    return Bbox.from_extents(bb.x0 - pad, bb.y0 - pad, bb.x1 + pad, bb.y1 + pad)


# ---------------------------------------------------------------- figure 1
def lag_group(r, lag):
    return f"lag/{lag}/pooled"


def significance(r, g, a):
    """Adjusted p-values, the significant cells of a pooled table, the
    number m of cells tested and a phrase naming the p-values used."""
    if a.permutation_p:
        if not r.has(f"{g}/permutation_p"):
            die(f"--permutation-p: no /{g}/permutation_p in {r.path} "
                "(analyze with --permutations M)")
        p = r.get(f"{g}/permutation_p").astype(float)
        what = "permutation p"
        M = r.param("permutations")
        m = int(np.isfinite(p).sum())
        if isinstance(M, int) and M > 0 and a.correction != "bh" and m / (M + 1) > a.alpha \
                and not getattr(a, "_warned_m", False):
            a._warned_m = True
            note(f"warning: with {M} permutations no p is below 1/{M + 1}, so "
                 f"{a.correction} over {m} cells cannot reach \u03b1 = {a.alpha:g}: "
                 "use more permutations or --correction bh")
    else:
        p = r.get(f"{g}/p_value").astype(float)
        what = "normal p of z"
    if r.has(f"{g}/structural_zero"):
        p[r.get(f"{g}/structural_zero").astype(bool)] = np.nan
    adj, m = adjust_p(p, a.correction)
    sig = np.isfinite(adj) & (adj <= a.alpha)
    return adj, sig, m, what


def fig_heatmap(r, a, name):
    g = lag_group(r, a.lag)
    need = [f"{g}/adjusted_residual", f"{g}/yules_q", f"{g}/p_value", f"{g}/counts"]
    missing = [p for p in need if not r.has(p)]
    if missing:
        return skip(name, f"no /{missing[0]} in {r.path}")
    z = r.get(f"{g}/adjusted_residual").astype(float)
    q = r.get(f"{g}/yules_q").astype(float)
    counts = r.get(f"{g}/counts")
    sz = r.get(f"{g}/structural_zero").astype(bool) if r.has(f"{g}/structural_zero") \
        else np.zeros_like(z, bool)
    _, sig, m, what = significance(r, g, a)
    K = r.K
    cell = min(0.5, 7.0 / K)
    fs = 8 if K <= 10 else (7 if K <= 14 else 6)
    fig, ax = plt.subplots(figsize=(cell * K + 2.4, cell * K + 1.2))
    finite = np.abs(z[np.isfinite(z)])
    zmax = float(finite.max()) if finite.size else 1.0
    vmax = max(3.0, min(zmax, 8.0))
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-vmax, vmax=vmax)
    im = ax.imshow(np.ma.masked_invalid(z), cmap="RdBu_r", norm=norm, aspect="equal")
    cmap = im.get_cmap()
    for i in range(K):
        for j in range(K):
            if sz[i, j] or not np.isfinite(z[i, j]):
                ax.add_patch(Rectangle((j - .5, i - .5), 1, 1, facecolor="0.9",
                                       edgecolor="0.6", hatch="////", lw=0))
                continue
            rgba = cmap(norm(max(-vmax, min(vmax, z[i, j]))))
            lum = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
            ax.text(j, i, fmt_q(q[i, j]), ha="center", va="center", fontsize=fs,
                    color="white" if lum < 0.5 else "black",
                    fontweight="bold" if sig[i, j] else "normal")
            if sig[i, j]:
                ax.add_patch(Rectangle((j - .44, i - .44), 0.88, 0.88, fill=False,
                                       edgecolor="black", lw=1.8))
                ax.add_patch(Rectangle((j - .37, i - .37), 0.74, 0.74, fill=False,
                                       edgecolor="white", lw=0.8))
    ax.set_xticks(range(K), r.states, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(K), r.states)
    ax.set_xlabel(f"Target: event t + {a.lag}")
    ax.set_ylabel("Antecedent: event t")
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    actors, codes, _ = r.structure()
    if actors and len(actors) > 1:
        for b in range(1, len(actors)):
            ax.axhline(b * len(codes) - .5, color="black", lw=1.2)
            ax.axvline(b * len(codes) - .5, color="black", lw=1.2)
    cb = fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03,
                      extend="both" if zmax > vmax else "neither")
    cb.set_label("Adjusted residual z (SD units)")
    n_sess = r.S
    ax.set_title(f"Lag-{a.lag} transitions pooled over {n_sess} session"
                 f"{'s' if n_sess != 1 else ''} (N = {int(counts.sum()):,} pairs)")
    footnote(fig, f"Cell colour: adjusted residual (Haberman); number: Yule's Q. "
             f"Framed, bold: significant ({what}) at \u03b1 = {a.alpha:g} after "
             f"{CORRECTION_NAMES[a.correction]} correction over m = {m} cells"
             + ("; hatched: structural zero or undefined"
                if sz.any() or not np.isfinite(z).all() else "") + ".")
    return save(fig, a.outdir, name, a)


# ---------------------------------------------------------------- figure 2
def _curve(ax, p, q, bulge_px):
    """arc3 rad that bends the straight p->q (data coords) by bulge_px
    pixels at its middle, to the left of the direction of travel for a
    positive value (matplotlib's arc3 works in display coordinates: the
    control point is the midpoint plus rad * (dy, -dx))."""
    P, Q = ax.transData.transform([p, q])
    dist = float(np.hypot(*(Q - P)))
    return 0.0 if dist == 0 else -2.0 * bulge_px / dist


def _along(ax, p, q, rad, t):
    """Display coordinates of the point at parameter t of an arc3 curve
    (a quadratic Bezier with control point midpoint + rad * (dy, -dx))."""
    P, Q = ax.transData.transform([p, q])
    d = Q - P
    c = (P + Q) / 2 + rad * np.array([d[1], -d[0]])
    return (1 - t) ** 2 * P + 2 * (1 - t) * t * c + t * t * Q


def _label_spot(ax, p, q, rad, placed, tries=(0.27, 0.38, 0.18, 0.5, 0.62, 0.12)):
    """Data coordinates for an edge label: the first point along the curve,
    nearer its start first, at least 18 px from the labels placed so far."""
    for t in tries:
        xy = _along(ax, p, q, rad, t)
        if all(np.hypot(*(xy - o)) >= 18 for o in placed):
            break
    else:
        xy = _along(ax, p, q, rad, tries[0])
    placed.append(xy)
    return ax.transData.inverted().transform(xy)


def fig_diagram(r, a, name):
    g = lag_group(r, a.lag)
    if not all(r.has(f"{g}/{s}") for s in ("yules_q", "p_value", "adjusted_residual")):
        return skip(name, f"no /{g} tables in {r.path}")
    q = r.get(f"{g}/yules_q").astype(float)
    z = r.get(f"{g}/adjusted_residual").astype(float)
    _, sig, m, what = significance(r, g, a)
    keep = sig & np.isfinite(q) & ((z > 0) | a.negative)
    actors, codes, _ = r.structure()
    K = r.K
    two = bool(actors) and len(actors) == 2
    if two:
        # Partner A's codes down the left column, partner B's down the right,
        # in codebook order: exchanges between partners run across, a
        # partner's own sequences bend outwards along the column.
        C = len(codes)
        pos = np.array([[0.0, C - 1 - k] for k in range(C)] + [[3.0, C - 1 - k] for k in range(C)])
        names = codes + codes
        fig, ax = plt.subplots(figsize=(6.4, 0.62 * C + 1.9))
        ax.set_xlim(-1.55, 4.55)
        ax.set_ylim(-0.6, C - 0.2)
    else:
        ang = [math.pi / 2 - 2 * math.pi * k / K for k in range(K)]
        pos = np.array([[2.2 * math.cos(t), 2.2 * math.sin(t)] for t in ang])
        names = r.states
        fig, ax = plt.subplots(figsize=(6.4, 5.6))
        ax.set_xlim(-3.2, 3.2)
        ax.set_ylim(-2.6, 2.6)
    ax.axis("off")
    fs = 8.5 if K <= 12 else 7.5
    boxes = []
    for k in range(K):
        grey = (k // len(codes)) % 2 == 1 if two else False
        # below the arrows: drawn first, so its box is current (at the saving
        # dpi) when the arrows clip themselves against it
        t = ax.text(pos[k][0], pos[k][1], names[k], ha="center", va="center", fontsize=fs,
                    zorder=2, bbox=dict(boxstyle="round,pad=0.35", fc="0.8" if grey else "white",
                                        ec="black", lw=1.0))
        boxes.append(t)
    if two:
        for x, who in ((0.0, actors[0]), (3.0, actors[1])):
            ax.text(x, C - 0.35, f"Partner {who}", ha="center", va="bottom", fontsize=9,
                    fontweight="bold")
    fig.canvas.draw()  # box sizes and the data->pixel transform are final now
    edges = [(i, j) for i in range(K) for j in range(K) if keep[i, j]]

    def width(v):
        return 0.6 + 5.0 * abs(v)

    label_edges = len(edges) <= 24
    placed = []
    for i, j in edges:
        lw = width(q[i, j])
        # a filled arrow whose shaft is lw points wide (a stroked "-|>" head
        # turns into a blot at these widths); inhibited transitions grey
        kw = dict(arrowstyle=f"simple,tail_width={lw / 10:.3f},head_width={(lw + 7) / 10:.3f},"
                             f"head_length={(0.8 * lw + 7) / 10:.3f}",
                  mutation_scale=10, lw=0.4, zorder=3,
                  fc="black" if z[i, j] > 0 else "0.6", ec="black" if z[i, j] > 0 else "0.4")
        bb = boxes[i].get_window_extent()
        half_w = (bb.x1 - bb.x0) / 2 / (ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0])
        if i == j:  # self-transition: a loop on the outer side of the box
            out = -1.0 if (two and pos[i][0] == 0.0) else 1.0
            if not two:
                out = 1.0 if pos[i][0] >= 0 else -1.0
            x0 = pos[i][0] + out * (half_w + 0.02)
            p1, p2 = (x0, pos[i][1] + 0.15), (x0, pos[i][1] - 0.15)
            rad = _curve(ax, p1, p2, 22) * out  # top to bottom, bulging outwards
            ax.add_patch(FancyArrowPatch(p1, p2, connectionstyle=f"arc3,rad={rad}",
                                         shrinkA=0, shrinkB=0, **kw))
            lp = ax.transData.inverted().transform(_along(ax, p1, p2, rad, 0.5))
            lp = (lp[0] + out * 0.22, lp[1])
        else:
            same_col = two and pos[i][0] == pos[j][0]
            if same_col:
                down = pos[j][1] < pos[i][1]
                left = pos[i][0] == 0.0
                bulge = (18 + 9 * abs(pos[j][1] - pos[i][1])) * (1.0 if down else 1.9)
                # bend outwards: to the right of travel going down the left
                # column or up the right one, to the left otherwise
                sign = -1.0 if (down == left) else 1.0
                rad = _curve(ax, pos[i], pos[j], sign * bulge)
            else:
                rad = _curve(ax, pos[i], pos[j], 16)
            ax.add_patch(FancyArrowPatch(pos[i], pos[j], connectionstyle=f"arc3,rad={rad}",
                                         patchA=boxes[i].get_bbox_patch(),
                                         patchB=boxes[j].get_bbox_patch(),
                                         shrinkA=1, shrinkB=2, **kw))
            lp = _label_spot(ax, pos[i], pos[j], rad, placed)
        if label_edges:
            ax.text(lp[0], lp[1], fmt_q(q[i, j]), fontsize=6.5, ha="center", va="center",
                    zorder=6, bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.85))
    handles = [Line2D([], [], color="black", lw=width(v), solid_capstyle="butt",
                      label=f"Q = {fmt_q(v)}") for v in (0.25, 0.5, 0.75)]
    if a.negative:
        handles.append(Line2D([], [], color="0.6", lw=width(0.5), solid_capstyle="butt",
                              label="grey: z < 0"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles),
              frameon=False, title="Arrow width: Yule's Q", title_fontsize=8)
    kind = "significant transitions" if a.negative else "significant positive transitions"
    ax.set_title(f"Lag-{a.lag} {kind}, pooled over {r.S} session{'s' if r.S != 1 else ''}")
    footnote(fig, f"Arrow from antecedent to target, width proportional to Yule's Q (value "
             f"printed). Drawn when the adjusted residual is "
             f"{'significant' if a.negative else 'positive and significant'} "
             f"({what}) at \u03b1 = {a.alpha:g} after {CORRECTION_NAMES[a.correction]} correction over "
             f"m = {m} cells; {len(edges)} of {K * K} transitions shown.")
    if not edges:
        ax.text(float(np.mean(pos[:, 0])), float(np.mean(pos[:, 1])), "no significant transition",
                ha="center", va="center", fontsize=10, color="0.3")
        note(f"{name}: no transition is significant after {a.correction} correction; "
             "drawing the states only")
    return save(fig, a.outdir, name, a)


# ---------------------------------------------------------------- figure 3
def chosen_labels(r, a):
    """Session labels to compare: --pre/--post, else compare's own
    parameters, else pre and post when both exist, else every label."""
    present = sorted(set(r.labels), key=lambda s: s.encode())
    if a.pre or a.post:
        want = [x for x in (a.pre, a.post) if x]
        for w in want:
            if w not in present:
                die(f"no session is labelled '{w}' in {r.path} (labels: {', '.join(present)})", 2)
        return want
    pp = [r.param("pre"), r.param("post")]
    if all(isinstance(x, str) and x in present for x in pp):
        return pp
    if "pre" in present and "post" in present:
        return ["pre", "post"]
    if len(present) > len(LABEL_STYLES):
        note(f"{len(present)} session labels; drawing the first {len(LABEL_STYLES)} "
             "(choose with --pre/--post)")
    return present[:len(LABEL_STYLES)]


def step_at(times, surv, grid):
    """S(t) on grid for a curve stored at its event times (S = 1 before the
    first); held at its last value afterwards."""
    if len(times) == 0:
        return np.ones_like(grid)
    k = np.searchsorted(times, grid, side="right")
    return np.concatenate([[1.0], surv])[k]


def pooled_km(r):
    """{(label, bidder): (times, survival)} from /responsiveness/pooled,
    the Kaplan-Meier estimate over all bids of each session label (written
    by dyadseq analyze since the pooled curves were added); {} if absent."""
    g = "responsiveness/pooled"
    if not r.has(f"{g}/km/row"):
        return {}
    scope = r.strings(f"{g}/scope")
    label = r.strings(f"{g}/label")
    bidder = r.strings(f"{g}/bidder")
    row = r.get(f"{g}/km/row").astype(int)
    t = r.get(f"{g}/km/time_s").astype(float)
    sv = r.get(f"{g}/km/survival").astype(float)
    out = {}
    for k in range(len(scope)):
        if scope[k] == "label":
            sel = row == k
            out[(label[k], bidder[k])] = (t[sel], sv[sel])
    return out


def fig_km(r, a, name):
    g = "responsiveness"
    if not r.has(f"{g}/km/row"):
        why = ("no /responsiveness (it needs the actor and time columns)"
               if not r.has(g) else "no /responsiveness/km curves")
        return skip(name, f"{why} in {r.path}")
    sidx = r.get(f"{g}/session_index").astype(int)
    bidder = r.strings(f"{g}/bidder")
    n_bids = r.get(f"{g}/n_bids").astype(int)
    km_row = r.get(f"{g}/km/row").astype(int)
    km_t = r.get(f"{g}/km/time_s").astype(float)
    km_s = r.get(f"{g}/km/survival").astype(float)
    order = np.lexsort((km_t, km_row))  # by row, then time: one slice per row
    km_row, km_t, km_s = km_row[order], km_t[order], km_s[order]
    start = np.searchsorted(km_row, np.arange(len(sidx)), side="left")
    stop = np.searchsorted(km_row, np.arange(len(sidx)), side="right")
    labels = chosen_labels(r, a)
    pooled = pooled_km(r)
    W = float(r.param("response_window_s", "response_window", default=5.0))
    thin_max = 40  # more session curves per label than this are a grey smear
    actors = list(dict.fromkeys(bidder))  # first-seen order: A then B
    others = {b: next((x for x in actors if x != b), "?") for b in actors}
    tmax = max(2 * W, float(np.quantile(km_t, 0.95)) if km_t.size else 2 * W)
    grid = np.linspace(0, tmax, 600)
    fig, axes = plt.subplots(1, len(actors), figsize=(3.5 * len(actors) + 0.4, 3.4),
                             sharey=True, squeeze=False)
    legend, drew_thin = {}, False
    for ax, b in zip(axes[0], actors):
        counts = []
        for li, lab in enumerate(labels):
            st = LABEL_STYLES[li % len(LABEL_STYLES)]
            rows = [i for i in range(len(sidx))
                    if bidder[i] == b and r.labels[sidx[i]] == lab and n_bids[i] > 0]
            curves = []
            for i in rows:
                y = step_at(km_t[start[i]:stop[i]], km_s[start[i]:stop[i]], grid)
                curves.append(y)
                if len(rows) <= thin_max:
                    drew_thin = True
                    ax.step(grid, y, where="post", color=st["color"], ls=st["ls"], lw=0.6,
                            alpha=0.35)
            if curves:
                if (lab, b) in pooled:
                    # one product-limit estimate over all bids of the label
                    pt, ps = pooled[(lab, b)]
                    thick = step_at(pt, ps, grid)
                    what = "Kaplan\u2013Meier over all bids"
                else:  # an older file: the mean of the session curves
                    thick = np.mean(curves, axis=0)
                    what = "mean of the session curves"
                ax.step(grid, thick, where="post", color=st["color"], ls=st["ls"], lw=2.2)
                mk = np.searchsorted(grid, np.linspace(0, tmax, 7)[1:-1])
                ax.plot(grid[mk], thick[mk], ls="none", marker=st["marker"], ms=4.5,
                        mfc="white", mec=st["color"], mew=1.2)
                legend[lab] = Line2D([], [], color=st["color"], ls=st["ls"], lw=2.2,
                                     marker=st["marker"], mfc="white", mec=st["color"],
                                     label=f"{lab}: {what}")
            counts.append(f"{lab} {len(curves)}")
        ax.axvline(W, color="0.3", lw=0.8, ls=(0, (1, 2)))
        ax.text(W, 1.02, f" W = {W:g} s", fontsize=7.5, color="0.3", va="bottom", ha="left")
        ax.set_xlim(0, tmax)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("Time since the bid (s)")
        ax.set_title(f"{b} bids {ARROW} {others[b]} responds\n"
                     f"(sessions with bids: {', '.join(counts)})", pad=14, fontsize=9)
    axes[0][0].set_ylabel("Bids not yet answered, S(t)")
    handles = [legend[lab] for lab in labels if lab in legend]
    if drew_thin:
        handles.append(Line2D([], [], color="0.4", lw=0.6, label="one session"))
    # below the panels: curves that stay high would run under a legend inside
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=len(handles), frameon=False)
    fig.suptitle("Time to response after a bid (Kaplan\u2013Meier)", y=1.0, va="bottom")
    fig.subplots_adjust(top=0.80)
    if pooled:
        footnote(fig, "Thick: the Kaplan\u2013Meier estimate over all bids of a session label "
                 "(bids censored at the bidder's next bid or the session end); " +
                 ("thin: each session's own curve. " if drew_thin else
                  f"single sessions are not drawn above {thin_max} per label. ") +
                 "1 \u2212 S(W) is the share of bids answered within the response window W.")
    else:
        footnote(fig, ("Thin: each session's Kaplan\u2013Meier curve" if drew_thin else
                       "Each session's Kaplan\u2013Meier curve") +
                 " (bids censored at the bidder's next bid or the session end) "
                 + ("is averaged into the thick line" if drew_thin else
                    f"is averaged into the lines (single curves are not drawn above {thin_max} "
                    "sessions)") +
                 ", each curve held at its last value. 1 \u2212 S(W) is the share of bids "
                 "answered within the response window W.")
    return save(fig, a.outdir, name, a)


# ---------------------------------------------------------------- figure 4
def pick_session(r, a):
    if a.session:
        if "/" not in a.session:
            die(f"--session wants COUPLE/LABEL, got '{a.session}'", 2)
        couple, label = a.session.rsplit("/", 1)
        for s in range(r.S):
            if r.couples[s] == couple and r.labels[s] == label:
                return s
        names = ", ".join(r.session_name(s) for s in range(min(r.S, 8)))
        die(f"no session {a.session} in {r.path} (sessions: {names}{', ...' if r.S > 8 else ''})", 2)
    if r.has("cycles/n_cycles") and r.has("cycles/session_index") and r.S > 0:
        nc = np.zeros(r.S)
        nc[r.get("cycles/session_index").astype(int)] = r.get("cycles/n_cycles")
        return int(np.argmax(nc))  # the first of the sessions with most cycles
    return 0


CYCLE_RUNS = "cycles/runs"
RUN_COLUMNS = ("session_index", "pursuer", "first_event", "n_events", "start_s", "end_s", "ending")


def cycle_runs(r, s, onset):
    """The pursue-withdraw cycles of session s as /cycles/runs stores them
    (one row per cycle, written by dyadseq analyze): a list of dicts with
    the columns of RUN_COLUMNS. The cycles are taken as they are, never
    found again from the events; they are only checked to line up with
    the events drawn (first_event's onset is start_s)."""
    missing = [c for c in RUN_COLUMNS if not r.has(f"{CYCLE_RUNS}/{c}")]
    if missing:
        die(f"{r.path}: /{CYCLE_RUNS} has no column '{missing[0]}'")
    sel = np.flatnonzero(r.get(f"{CYCLE_RUNS}/session_index").astype(int) == s)
    cols = {c: (r.strings(f"{CYCLE_RUNS}/{c}") if c in ("pursuer", "ending")
                else r.get(f"{CYCLE_RUNS}/{c}")) for c in RUN_COLUMNS}
    runs = [{c: cols[c][i] for c in RUN_COLUMNS} for i in sel]
    n = len(onset)
    for run in runs:
        first, k = int(run["first_event"]), int(run["n_events"])
        if first < 0 or k < 1 or first + k > n:
            die(f"{r.path}: a cycle of /{CYCLE_RUNS} (events {first} to {first + k - 1}) lies "
                f"outside the {n} events of session {r.session_name(s)}")
        t0 = float(run["start_s"])
        if np.isfinite(onset[first]) and not abs(t0 - onset[first]) <= 1e-9 * max(1.0, abs(t0)):
            die(f"{r.path}: the cycle starting at event {first} of session {r.session_name(s)} "
                f"starts at {t0:g} s in /{CYCLE_RUNS}, but that event is at {onset[first]:g} s "
                "in the transcript: give the transcript that was analyzed")
    return runs


def fig_timeline(r, a, name):
    if r.S == 0:
        return skip(name, "no sessions")
    s = pick_session(r, a)
    couple, label = r.couples[s], r.labels[s]
    if r.has("sessions/first_onset_s") and not np.isfinite(r.get("sessions/first_onset_s")[s]):
        return skip(name, f"session {couple}/{label} has no event times (the transcript "
                          "had no time column)")
    actors, codes, _ = r.structure()
    dyadic = bool(actors) and len(actors) >= 2 and r.has("cycles")
    if dyadic and not r.has(f"{CYCLE_RUNS}/session_index"):
        return skip(name, f"no /{CYCLE_RUNS} in {r.path} (the cycles of each session; "
                          "written by a newer dyadseq analyze: analyze again)")
    if not a.transcript:
        return skip(name, f"{r.path} holds no events: give the transcript that was analyzed "
                          "with --transcript FILE_OR_DIR")
    onset, dur, states = (np.array(v) for v in
                          transcript_events.session_events(r, a.transcript, s, die))
    onset, dur, states = onset.astype(float), dur.astype(float), states.astype(int)
    if len(states) == 0:
        return skip(name, f"no events of session {couple}/{label} in {a.transcript}")
    if not np.isfinite(onset).all():
        return skip(name, f"session {couple}/{label} has no event times (no time column)")
    runs = cycle_runs(r, s, onset) if dyadic else []
    K, C = r.K, len(codes)
    span = float(onset.max() - onset.min())
    fig_w = 10.0 if span <= 900 else 13.0
    fig, ax = plt.subplots(figsize=(fig_w, 0.24 * K + 1.6))
    # lanes: state 0 on top
    y = K - 1 - states
    default_w = max(span / 400, 0.3)
    widths = np.where(np.isfinite(dur) & (dur > 0), dur, default_w)
    for a_idx in range(len(actors) if actors else 1):
        sel = (states // C == a_idx) if actors else np.ones(len(states), bool)
        shade = "0.1" if a_idx % 2 == 0 else "0.45"
        for yy in np.unique(y[sel]):
            m = sel & (y == yy)
            ax.broken_barh(list(zip(onset[m], widths[m])), (yy - 0.35, 0.7),
                           facecolors=shade, edgecolors="none")
    for run in runs:
        t0, t1 = float(run["start_s"]), float(run["end_s"])
        ax.axvspan(t0, t1, facecolor="0.87", edgecolor="0.68", hatch="//", lw=0, zorder=0)
        ax.text((t0 + t1) / 2, K - 0.3, run["pursuer"], ha="center", va="bottom",
                fontsize=6.5, color="0.25")
    if dyadic and r.has("cycles/n_cycles"):
        ci = list(r.get("cycles/session_index").astype(int))
        if s in ci and int(r.get("cycles/n_cycles")[ci.index(s)]) != len(runs):
            note(f"warning: timeline: /{CYCLE_RUNS} has {len(runs)} cycles of {couple}/{label}, "
                 f"/cycles/n_cycles says {int(r.get('cycles/n_cycles')[ci.index(s)])}")
    ax.set_yticks(range(K), [r.states[K - 1 - k] for k in range(K)])
    if actors:
        for b in range(1, len(actors)):
            ax.axhline(K - b * C - 0.5, color="black", lw=0.8)
    ax.set_ylim(-0.7, K + 0.4 if runs else K - 0.4)
    pad = span * 0.01 + 1
    ax.set_xlim(onset.min() - pad, onset.max() + widths[-1] + pad)
    ax.set_xlabel("Onset (s, session clock of the transcript)")
    ax.set_ylabel("Actor : code" if actors else "Code")
    ax.grid(axis="x", color="0.85", lw=0.5)
    ax.set_axisbelow(True)
    title = f"Couple {couple}, session {label}: {len(states)} events"
    if dyadic:
        title += (f", {len(runs)} pursue\u2013withdraw cycle{'s' if len(runs) != 1 else ''}"
                  " (shaded; letter: pursuer)")
    ax.set_title(title)
    cmin = r.attr("cycle_min", "/cycles") if dyadic else None
    cmin = int(cmin if cmin is not None else r.param("cycle_min", default=3))
    footnote(fig, "Bars span each event's coded duration (events without one are drawn "
             f"{default_w:.1f} s wide). Cycles (/cycles/runs of the results file): runs of at "
             f"least {cmin} events alternating one partner's pursue and the other's withdraw, "
             "shaded from their first onset to the onset of the event after them."
             if dyadic else "Bars span each event's coded duration.")
    return save(fig, a.outdir, name, a)


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


# ------------------------------------------------------ agreement matrix
def fig_agreement(r, a, name):
    """The (K+1) x (K+1) agreement matrix of `dyadseq agree` as a heat map:
    rows the first coding, columns the second, the last of each nil. Drawn
    only for files with /agreement (skipped silently otherwise, unless asked
    for with --only)."""
    g = "agreement"
    if not r.has(f"{g}/matrix"):
        if a.only:
            return skip(name, f"no /{g}/matrix in {r.path} (run dyadseq agree)")
        return None
    x = r.get(f"{g}/matrix").astype(float)
    K1 = x.shape[0]
    labels = list(r.states) + ["nil"]
    if len(labels) != K1:
        return skip(name, f"/{g}/matrix is {K1} x {K1} but the file has {r.K} states")
    x[K1 - 1, K1 - 1] = 0.0
    rows = x.sum(axis=1, keepdims=True)
    share = np.divide(x, rows, out=np.full_like(x, np.nan), where=rows > 0)
    attrs = r.f[g].attrs

    def attr(k, default=""):
        v = attrs.get(k, default)
        return v.decode("utf-8", "replace") if isinstance(v, bytes) else v

    def scalar(k):
        return float(r.get(f"{g}/{k}")) if r.has(f"{g}/{k}") else float("nan")

    cell = min(0.5, 7.0 / K1)
    fs = 8 if K1 <= 11 else (7 if K1 <= 15 else 6)
    fig, ax = plt.subplots(figsize=(cell * K1 + 2.6, cell * K1 + 1.4))
    im = ax.imshow(np.ma.masked_invalid(share), cmap="Blues", vmin=0, vmax=1,
                   aspect="equal")
    cmap = im.get_cmap()
    for i in range(K1):
        for j in range(K1):
            if i == K1 - 1 and j == K1 - 1:
                ax.add_patch(Rectangle((j - .5, i - .5), 1, 1, facecolor="0.9",
                                       edgecolor="0.6", hatch="////", lw=0))
                continue
            v = share[i, j]
            rgba = cmap(v if np.isfinite(v) else 0.0)
            lum = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
            ax.text(j, i, f"{int(x[i, j]):d}", ha="center", va="center", fontsize=fs,
                    color="white" if lum < 0.5 else "black",
                    fontweight="bold" if i == j else "normal")
    ax.set_xticks(range(K1), labels, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(K1), labels)
    ax.set_xlabel(f"Second coding: {attr('second', 'second')}")
    ax.set_ylabel(f"First coding: {attr('first', 'first')}")
    ax.tick_params(length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    ax.axhline(K1 - 1.5, color="black", lw=1.2)
    ax.axvline(K1 - 1.5, color="black", lw=1.2)
    actors, codes, _ = r.structure()
    if actors and len(actors) > 1:
        for b in range(1, len(actors)):
            ax.axhline(b * len(codes) - .5, color="0.4", lw=0.8, ls="--")
            ax.axvline(b * len(codes) - .5, color="0.4", lw=0.8, ls="--")
    cb = fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03)
    cb.set_label("Share of the row (first coding's events)")
    kappa, kmax, pct = scalar("kappa"), scalar("kappa_max"), scalar("percent_agreement")
    n_s = int(attrs.get("n_sessions", r.S))
    ax.set_title(f"Agreement over {n_s} session{'s' if n_s != 1 else ''}: "
                 f"\u03ba = {fmt_q(kappa)} (max {fmt_q(kmax)}), {pct:.1f}% agree")
    how = (f"events paired when their onsets are within {float(attr('tolerance_s')):g} s"
           if attr("aligned_by") == "onset" else "events aligned by order")
    footnote(fig, f"Number: aligned pairs of events (bold: agreements); colour: share of "
             f"the row. nil: an event the other coding has no partner for ({how}); "
             f"the nil\u2013nil cell is empty by construction (hatched).")
    return save(fig, a.outdir, name, a)


# ------------------------------------------------------------- power figure
def fig_power(r, a, name):
    """Power against couples (dyadseq power): one panel per metric and test,
    one line per number of events per session, the 95% Clopper-Pearson
    intervals as bars, the target power as a dashed line."""
    g = "power"
    need = ("couples", "events", "metric", "test", "power", "ci_low", "ci_high")
    if not all(r.has(f"{g}/{k}") for k in need):
        if a.only and "power" in a.only:  # asked for; else not a power file
            skip(name, f"no /power in {r.path} (run dyadseq power -o FILE.h5)")
        return None
    couples = r.get(f"{g}/couples").astype(int)
    events = r.get(f"{g}/events").astype(int)
    metric = r.strings(f"{g}/metric")
    test = r.strings(f"{g}/test")
    power = r.get(f"{g}/power").astype(float)
    lo = r.get(f"{g}/ci_low").astype(float)
    hi = r.get(f"{g}/ci_high").astype(float)
    target = float(r.attr("target_power", "/power") or 0.8)
    alpha = float(r.attr("alpha", "/power") or 0.05)
    reps = int(r.attr("replications", "/power") or 0)
    bh = r.attr("multiplicity", "/power") == "bh"
    panels = []
    for m, t in zip(metric, test):
        if (m, t) not in panels:
            panels.append((m, t))
    if not panels:
        return skip(name, "/power has no rows")
    ev_values = sorted(set(events.tolist()))
    ncol = min(3, len(panels))
    nrow = (len(panels) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.3 * ncol + 0.4, 2.8 * nrow + 0.3),
                             sharey=True, squeeze=False)
    test_name = {"t": "t-test", "wilcoxon": "Wilcoxon"}
    for k, (m, t) in enumerate(panels):
        ax = axes[k // ncol][k % ncol]
        rows = [i for i in range(len(metric)) if metric[i] == m and test[i] == t]
        xs_all = sorted(set(int(couples[i]) for i in rows))
        for j, ev in enumerate(ev_values):
            sel = sorted((i for i in rows if events[i] == ev), key=lambda i: couples[i])
            if not sel:
                continue
            st = LABEL_STYLES[j % len(LABEL_STYLES)]
            x = couples[sel]
            ax.errorbar(x, power[sel], yerr=[power[sel] - lo[sel], hi[sel] - power[sel]],
                        color=st["color"], ls=st["ls"], marker=st["marker"], ms=4,
                        lw=1.2, capsize=2, label=f"{ev} events")
        ax.axhline(target, color="0.35", lw=0.8, ls="--")
        ax.text(xs_all[0], target, f" target {target:g}", fontsize=7, color="0.35",
                va="bottom", ha="left")
        if len(xs_all) > 1 and xs_all[-1] / max(xs_all[0], 1) >= 4:
            ax.set_xscale("log")
        ax.set_xticks(xs_all, [str(x) for x in xs_all])
        ax.minorticks_off()
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("couples")
        if k % ncol == 0:
            ax.set_ylabel("power")
        title = "every metric" if m == "all" else m
        ax.set_title(f"{title}\n{test_name.get(t, t)}", fontsize=8.5, loc="left")
        ax.grid(axis="y", color="0.9", lw=0.5)
        ax.set_axisbelow(True)
        if k == 0:
            ax.legend(title="per session", fontsize=7, title_fontsize=7, frameon=False,
                      loc="lower right")
    for k in range(len(panels), nrow * ncol):
        axes[k // ncol][k % ncol].axis("off")
    mult = " after Benjamini\u2013Hochberg over the metrics" if bh else ""
    footnote(fig, f"Power: share of {reps} simulated studies per design point whose test "
             f"rejects at \u03b1 = {alpha:g} (two-sided){mult}; bars: 95% Clopper\u2013Pearson "
             "intervals; dashed: the target power. 'every metric': all tests reject in the "
             "same study.")
    return save(fig, a.outdir, name, a)


# ------------------------------------------------------------------- main
FIGURES = [("heatmap", fig_heatmap), ("diagram", fig_diagram), ("km", fig_km),
           ("timeline", fig_timeline), ("forest", fig_forest),
           ("agreement", fig_agreement), ("power", fig_power),
           ("actor_partner", lambda r, a, name: plot_apim.fig_actor_partner(
               r, a, name, sys.modules[__name__]))]
FILE_NAMES = {"heatmap": "lag{lag}_heatmap", "diagram": "lag{lag}_diagram", "km": "response_km",
              "timeline": "timeline", "forest": "comparison_forest",
              "agreement": "agreement_matrix", "power": "power_curve",
              "actor_partner": "actor_partner"}


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog=PROG, description="Draw the figures of a dyadseq results file (PNG and PDF).",
        epilog="Figures: " + ", ".join(FILE_NAMES[k].format(lag=1) for k, _ in FIGURES)
               + ". See docs/plots.md.")
    ap.add_argument("results", metavar="RESULTS.h5")
    ap.add_argument("-o", "--outdir", metavar="DIR", required=True, help="where the figures go (created)")
    ap.add_argument("--session", metavar="COUPLE/LABEL",
                    help="session of the timeline [the first with the most cycles]")
    ap.add_argument("--transcript", metavar="FILE_OR_DIR",
                    help="the transcript CSV(s) that were analyzed: the events the timeline draws "
                         "(the results file holds none) [no timeline]")
    ap.add_argument("--pre", metavar="LABEL", help="first session label of the curves [pre]")
    ap.add_argument("--post", metavar="LABEL", help="second session label [post]")
    ap.add_argument("--comparison", metavar="FILE.h5", help="take /comparison from this file [RESULTS.h5]")
    ap.add_argument("--lag", type=int, default=1, help="lag of the heat map and diagram [1]")
    ap.add_argument("--alpha", type=float, default=0.05, help="significance level [0.05]")
    ap.add_argument("--correction", choices=("holm", "bonferroni", "bh"), default="holm",
                    help="multiple-comparison correction over the K\u00d7K cells [holm]")
    ap.add_argument("--permutation-p", action="store_true",
                    help="test the cells with permutation_p (analyze --permutations) [p_value]")
    ap.add_argument("--negative", action="store_true",
                    help="also draw significant negative (inhibited) transitions, in grey")
    ap.add_argument("--only", metavar="LIST",
                    help="comma-separated subset of: " + ",".join(k for k, _ in FIGURES))
    ap.add_argument("--format", metavar="LIST", default="png,pdf",
                    help="comma-separated formats of every figure: png (150 dpi), pdf [png,pdf]")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not list the files written")
    a = ap.parse_args(argv)
    a.formats = list(dict.fromkeys(x.strip() for x in a.format.split(",") if x.strip()))
    bad = [x for x in a.formats if x not in ("png", "pdf")]
    if bad or not a.formats:
        ap.error(f"--format: unknown format '{bad[0]}' (png, pdf)" if bad else "--format: no format")
    if not (0 < a.alpha < 1):
        ap.error("--alpha must lie in (0, 1)")
    if a.lag < 1:
        ap.error("--lag must be >= 1")
    only = [k for k, _ in FIGURES]
    if a.only:
        only = [x.strip() for x in a.only.split(",") if x.strip()]
        bad = [x for x in only if x not in FILE_NAMES]
        if bad:
            ap.error(f"--only: unknown figure '{bad[0]}'")
    r = Results(a.results)
    if not a.only and r.has("power") and not r.couples:
        only = ["power"]  # a file of dyadseq power holds nothing else to draw
    try:
        os.makedirs(a.outdir, exist_ok=True)
    except OSError as e:
        die(f"{a.outdir}: cannot create ({e.strerror})")
    written = 0
    for key, fn in FIGURES:
        if key in only:
            if fn(r, a, FILE_NAMES[key].format(lag=a.lag)):
                written += 1
    if not a.quiet:
        note(f"{written} figure{'s' if written != 1 else ''} in {a.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
