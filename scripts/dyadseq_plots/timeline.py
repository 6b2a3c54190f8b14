"""timeline.py — one session's events by actor over time (timeline), its
pursue-withdraw cycles as /cycles/runs stores them shaded; the events come
from the transcript that was analyzed (transcript_events.py), checked
against the results file.
"""
import numpy as np

from . import transcript_events
from .common import die, footnote, note, plt, save, skip


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
