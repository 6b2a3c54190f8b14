"""agreement.py — the agreement matrix of `dyadseq agree` as a heat map
(agreement_matrix).
"""
import numpy as np
from matplotlib.patches import Rectangle

from .common import footnote, fmt_q, plt, save, skip


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
