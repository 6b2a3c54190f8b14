"""lag.py — the figures of one lag's pooled table: the heat map of
adjusted residuals with Yule's Q (lag1_heatmap) and the diagram of the
significant transitions (lag1_diagram), both marking the cells that are
significant after a stated multiple-comparison correction.
"""
import math

import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle

from .common import die, footnote, fmt_q, note, plt, save, skip
from .stats import CORRECTION_NAMES, adjust_p


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
