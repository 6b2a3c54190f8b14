"""km.py — the Kaplan-Meier figure of time to response after a bid
(response_km): one panel per direction, one line style per session label,
the pooled curve of each label thick and (up to a limit) each session's
own curve thin.
"""
import numpy as np
from matplotlib.lines import Line2D

from .common import ARROW, LABEL_STYLES, die, footnote, note, plt, save, skip


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
