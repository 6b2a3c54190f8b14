/*
 * cycles.h — pursue–withdraw cycles and softening (SPEC 4.7).
 *
 * The demand–withdraw pattern (Christensen & Heavey 1990), the "pursue–
 * withdraw cycle" of emotionally focused therapy (Johnson 2004), is
 * counted as runs of events in which one partner pursues and the other
 * withdraws, turn after turn; softening (Johnson 2004: a pursuer asking
 * from a vulnerable position) is counted per actor with how often the
 * partner softens or responds in return.
 *
 * Partners are actors 0 and 1 (the first two of --actors); events of any
 * further actor (a therapist) are "other" events: they break a run.
 *
 * Cycles — the exact algorithm. Each event of a partner with role pursue
 * or withdraw names a pursuer: X:pursue names X, X:withdraw names X's
 * partner. Two consecutive events e, e+1 CONTINUE a run when both name a
 * pursuer, the same one, and one is a pursue and the other a withdraw
 * (so they are by different partners). Maximal runs are the maximal
 * stretches of consecutive events joined by CONTINUE; every event belongs
 * to at most one, so the partition is unique and nothing is ambiguous:
 *
 *   A:p B:w A:p A:p B:w A:p   → [A:p B:w A:p] [A:p B:w A:p]  two cycles;
 *                               the first ended by A:p ("other")
 *   B:w A:p B:w               → one cycle of 3, pursuer A (withdraw first)
 *   A:p B:w B:p A:w B:p       → [A:p B:w] [B:p A:w B:p]: the pursuer
 *                               switched at B:p; one cycle (pursuer B)
 *   A:p B:w A:w B:p           → A:w names B, B:w names A: no run of 3
 *   A:p B:w T:x A:p B:w       → T breaks it: runs of 2 only
 *
 * A run of at least min_len events is a cycle. Its time is onset(first
 * event after the run) - onset(first event of the run), or the session's
 * last onset - onset(first of the run) when the run ends the session. How
 * it ended is the role of the event right after it (any actor): soften,
 * bid, anything else ("other", including a pursue that starts the next
 * run), or the end of the session.
 */
#ifndef DYADSEQ_CYCLES_H
#define DYADSEQ_CYCLES_H

#include <stddef.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"

#define DS_CYCLE_MIN_DEFAULT 3 /* --cycle-min */

typedef struct ds_cycles_opts {
    size_t min_len;   /* events in a cycle, >= 2    [DS_CYCLE_MIN_DEFAULT] */
    double window_s;  /* W for reciprocated softening (softening.h), >= 0
                         [DS_RESPONSE_WINDOW_DEFAULT] */
} ds_cycles_opts_t;

void ds_cycles_opts_init(ds_cycles_opts_t *o);

typedef enum ds_cycle_end {
    DS_CYCLE_END_SOFTEN = 0,  /* next event has role soften */
    DS_CYCLE_END_BID,         /* next event has role bid */
    DS_CYCLE_END_OTHER,       /* next event has any other role */
    DS_CYCLE_END_SESSION      /* the run is the end of the session */
} ds_cycle_end_t;

/* One cycle (a row of /cycles/runs), for listings and plots. */
typedef struct ds_cycle_run {
    size_t first;        /* index of its first event in the session */
    size_t len;          /* number of events */
    size_t pursuer;      /* actor 0 or 1 */
    ds_cycle_end_t end;
    double start_s;      /* onset of its first event; NaN without time */
    double end_s;        /* onset of the event after it, or the session's
                            last onset when it ends the session; NaN
                            without time */
    double time_s;       /* end_s - start_s (see above); NaN without time */
} ds_cycle_run_t;

/* Per session (one row of /cycles). */
typedef struct ds_cycles {
    size_t n_cycles;
    size_t events_in_cycles;
    size_t longest_cycle;          /* events; 0 when no cycle */
    double time_in_cycles_s;       /* 0 when no cycle; NaN without time */
    double share_time_in_cycles;   /* of ds_session_duration(); NaN without
                                      time or when the duration is 0 */
    size_t n_pursuer_a, n_pursuer_b;  /* cycles pursued by actor 0, 1 */
    size_t ended_by_soften, ended_by_bid, ended_other,
           ended_by_session_end;
} ds_cycles_t;

/*
 * Count the cycles of s. If runs is not NULL, the first runs_cap cycles
 * are also stored there in session order; *n_runs (if not NULL) gets the
 * number of cycles. Returns 0, DS_ENOTAVAIL without an actor column or
 * with fewer than two actors, DS_EUSAGE when min_len < 2.
 */
int ds_cycles_compute(const ds_corpus_t *c, const ds_session_t *s,
                      const ds_cycles_opts_t *o, ds_cycles_t *out,
                      ds_cycle_run_t *runs, size_t runs_cap, size_t *n_runs,
                      ds_error_t *err);

#endif
