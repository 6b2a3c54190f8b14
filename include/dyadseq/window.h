/*
 * window.h — time-window sequential analysis with time-unit tallies
 * (SPEC 4.4; Bakeman & Quera 2011 on time-window sequential analysis;
 * GSEQ's WINDOW command).
 *
 * A session is cut into units of U seconds starting at t0, the start of
 * its observation period or, without one, its first onset
 * (ds_session_start).
 * For every pair (given state i, target state j) each unit is classified
 * twice: "given" when it lies LO..HI units after the onset unit of some
 * event of state i, and "target" when an event of state j starts in it
 * (or, with target_ongoing, is in progress in it). The 2×2 cross-
 * classification of all units of the session gives a, b, c, d, from which
 * twobytwo.h computes Yule's Q, the log odds ratio and the adjusted
 * residual of cell a.
 *
 * Exact definitions (docs/statistics-dyadic.md gives examples):
 *
 *   x(t)      = (t - t0) / U, snapped to the nearest integer when within
 *               1e-9 (relative) of it, so 0.3 s in 0.1-s units is 3, not
 *               2.9999999999999996;
 *   unit(e)   = floor(x(onset_e))                       onset unit;
 *   last(e)   = max(unit(e), ceil(x(onset_e + dur_e)) - 1) with durations,
 *               unit(e) without; an event of duration d is in progress in
 *               unit k when [t0 + kU, t0 + (k+1)U) meets [onset, onset + d)
 *               (offsets are exclusive, as in SDIS timed-event data), and
 *               a zero-duration event occupies its onset unit;
 *   n_units   = 1 + max_e last(e)       (0 for an empty session), i.e. the
 *               units cover t0 up to the last onset, or the last offset
 *               when the input has durations; with an observation period
 *               at least ceil(x(end)), the units that begin before its
 *               end (48 for 48 intervals of U seconds);
 *   given_i   = { v in [0, n_units) : v - unit(e) in [LO, HI] for some
 *                 event e of state i };
 *   target_j  = { unit(e) : e of state j }, or with target_ongoing
 *               { k : unit(e) <= k <= last(e), e of state j };
 *   a = |given_i ∩ target_j|, b = |given_i| - a, c = |target_j| - a,
 *   d = n_units - a - b - c.
 *
 * Units outside [0, n_units) are not tallied: a window that runs past the
 * end of the session (or, with LO < 0, before its start) is cut there.
 *
 * Time not coded (an observation period of several stretches, corpus.h)
 * splits the grid: the units of stretch k are those that begin within
 * it, [ceil(x(start_k)), ceil(x(end_k))) (from 0 for the first stretch, to
 * n_units for the last); an event's given window and its target units are
 * cut at its stretch's units, and units of no stretch are not tallied, so
 * each stretch is tallied as a session of its own and the tallies added.
 *
 * Edges (o->edges): with DS_WINDOW_EDGES_KEEP (the default, as GSEQ
 * tallies) every unit of a stretch counts, also one near its start whose
 * look-back window [v - HI, v - LO] reaches before the start: it can be
 * "given" only by what was observed. With DS_WINDOW_EDGES_DROP such units
 * are left out: only units v with a <= v - HI and v - LO <= b - 1 in
 * stretch [a, b) are tallied (for HI > 0 the first HI units, for LO < 0
 * the last -LO units, of each stretch go). For 48 intervals coded in 48
 * units, window 1:1 then tallies the 47 units 1..47, each against the one
 * before it: exactly the 47 transitions of the lag-1 table of
 * consecutive intervals.
 *
 * The work is O(n events × (HI - LO + 1) / 64) to mark the units and
 * O(K² × n_units / 64) to tally them (one bit per unit and state, pairs
 * tallied with popcount over 64-unit words): about 6 000 word operations
 * for a one-hour session at U = 1 s with K = 10.
 */
#ifndef DYADSEQ_WINDOW_H
#define DYADSEQ_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"
#include "dyadseq/twobytwo.h"

/* The most units one session may be cut into (about 2^30: a 10-hour
 * session in 40-µs units); more is refused as a usage error. */
#define DS_WINDOW_MAX_UNITS ((size_t)1 << 30)

typedef enum ds_window_edges {
    DS_WINDOW_EDGES_KEEP = 0, /* every unit of the session counts */
    DS_WINDOW_EDGES_DROP      /* units whose window leaves the observed
                                 stretch are not tallied */
} ds_window_edges_t;

typedef struct ds_window_opts {
    long lo, hi;        /* window, in whole units relative to the given
                           event's onset unit; lo <= hi  [1:5] */
    double unit_s;      /* U, seconds per unit, > 0      [1] */
    int target_ongoing; /* 0: target = onset unit; 1: every unit the
                           event is in progress in (needs durations) */
    ds_window_edges_t edges; /* units whose window leaves their observed
                                stretch: kept or dropped [keep] */
} ds_window_opts_t;

/* Set the defaults: lo = 1, hi = 5, unit_s = 1, target_ongoing = 0,
 * edges = DS_WINDOW_EDGES_KEEP. */
void ds_window_opts_init(ds_window_opts_t *o);

/*
 * The tallies of one session, or summed over sessions. Cell (i, j) of each
 * [k × k] array (row-major, index i * k + j) is the 2×2 table of given
 * state i against target state j. The arrays are allocated by
 * ds_window_counts_alloc(); a caller that keeps [S, K, K] arrays may
 * instead point a, b, c, d into them (and not call _free on the struct).
 */
typedef struct ds_window_counts {
    size_t k;                /* number of states */
    size_t n_units;          /* units tallied, a + b + c + d of any cell
                                (summed when pooled) */
    int64_t *a, *b, *c, *d;  /* [k * k] */
} ds_window_counts_t;

/* Zeroed counts for k states; NULL when out of memory. */
ds_window_counts_t *ds_window_counts_alloc(size_t k);
void ds_window_counts_free(ds_window_counts_t *w);

/* Pooling (SPEC 4.4): dst += src, cell by cell, n_units too. Both must
 * have the same k. */
void ds_window_counts_add(ds_window_counts_t *dst,
                          const ds_window_counts_t *src);

/*
 * Scratch space for ds_window_tally: two bitsets per state, grown on
 * demand. One per thread; NULL when out of memory.
 */
typedef struct ds_window_workspace ds_window_workspace_t;
ds_window_workspace_t *ds_window_workspace_alloc(void);
void ds_window_workspace_free(ds_window_workspace_t *w);

/*
 * Tally session s of corpus c into out (out->k must be c->n_states; every
 * cell is overwritten). w may be NULL (scratch is then allocated for the
 * call). Returns
 *   0            success (an empty session gives n_units = 0, all zeros);
 *   DS_ENOTAVAIL the corpus has no time column ("time windows need a time
 *                column"), or target_ongoing without a duration column;
 *   DS_EUSAGE    lo > hi, unit_s not finite and > 0, out->k wrong, or the
 *                session would need more than DS_WINDOW_MAX_UNITS units;
 *   DS_ENOMEM.
 */
int ds_window_tally(const ds_corpus_t *c, const ds_session_t *s,
                    const ds_window_opts_t *o, ds_window_workspace_t *w,
                    ds_window_counts_t *out, ds_error_t *err);

/*
 * The time-unit grid itself (the definitions at the top), for the other
 * statistics counted on it (actor-partner effects, apim.h):
 *   ds_window_grid           the origin t0 of session s (ds_session_start)
 *                            and its number of units on units of unit_s
 *                            seconds, and with units (room for 2 s->n;
 *                            NULL: not wanted) each event e's onset unit
 *                            units[2e] and the last unit it is in progress
 *                            in units[2e + 1]; DS_EDATA when onsets are
 *                            not in time order, DS_EUSAGE for more than
 *                            DS_WINDOW_MAX_UNITS units;
 *   ds_window_stretch_units  the units [*a, *b) of observed stretch k
 *                            (0 <= k < max(1, s->n_periods)): those that
 *                            begin within it.
 * s must have onsets.
 */
int ds_window_grid(const ds_session_t *s, double unit_s, double *t0,
                   size_t *n_units, int64_t *units, ds_error_t *err);
void ds_window_stretch_units(const ds_session_t *s, size_t k, double t0,
                             double unit_s, size_t n_units, int64_t *a,
                             int64_t *b);

/*
 * Statistics of every cell of w: out[i * k + j] from ds_2x2_stats(a, b, c,
 * d, zero_correction) (Yule's Q and its SE, log odds ratio and its SE,
 * adjusted residual of cell a). out holds k * k entries.
 */
void ds_window_stats(const ds_window_counts_t *w, double zero_correction,
                     ds_2x2_t *out);

#endif
