/*
 * agree.h — inter-coder agreement between two codings of the same
 * sessions (SPEC 7; `dyadseq agree`; /agreement in SPEC 5).
 *
 * Three parts, all pure computation (no I/O, no printing, no HDF5):
 *
 * 1. Event alignment (ds_agree_align). The two codings of a session are
 *    aligned by dynamic programming, in the manner of Quera, Bakeman &
 *    Gnisci (2007) for event sequences (Needleman & Wunsch 1970) and of
 *    the GSEQ algorithm for timed events that Bakeman, Quera & Gnisci
 *    (2009) compare: every event of either coding is either paired with
 *    one event of the other coding or paired with "nil" (unmatched), and
 *    pairs never cross (the order of both codings is kept).
 *
 *      costs   agreement (a pair with the same state)      0
 *              substitution (a pair of different states)   1
 *              an event paired with nil                    1
 *      time    with onsets, two events can be paired (as an agreement or
 *              a substitution) only when their onsets differ by at most
 *              the tolerance T (plus 1e-9 s for decimal rounding); an
 *              event with no partner within T is unmatched. Without
 *              onsets the events are aligned by order alone (no T).
 *
 *    A substitution (1) is cheaper than leaving both events unmatched (2),
 *    as Quera et al. (2007) recommend. The alignment minimises, in this
 *    order: (1) the total cost; (2) with onsets, the sum over pairs of
 *    |onset difference| rounded to whole milliseconds (so that of two
 *    equally cheap alignments the one pairing events closer in time wins:
 *    a first coding's A at 10.0 and 11.0 against a second coding's A at
 *    10.8 pairs 11.0 with 10.8); (3) any tie left is broken by the
 *    traceback, which walks from the ends of both codings to their starts
 *    and at each step prefers, among the moves that keep the optimum, a
 *    pair (agreement or substitution), then leaving the first coding's
 *    event unmatched, then leaving the second coding's event unmatched.
 *    The alignment is therefore fully determined by the two codings and
 *    T. docs/agree.md works examples by hand.
 *
 *    With onsets the table is only filled within the tolerance band:
 *    outside it one event cannot have a partner, so its cell follows from
 *    the band's edge in closed form. Memory and time are O(n × w), w the
 *    events of the other coding within ±T of an event, and the result is
 *    the same as the full (n+1) × (m+1) table's (the unit tests check this
 *    against the full table). Without onsets the full table is kept: 4
 *    bytes per cell.
 *
 * 2. The agreement matrix and its statistics (ds_agree_tally,
 *    ds_agree_stats). Cell (i, j) of the (K+1) × (K+1) matrix counts pairs
 *    coded i by the first coding and j by the second; index K is nil, and
 *    the nil–nil cell is structurally empty. With N the pairs, x the
 *    matrix, r and c its row and column sums (nil included):
 *      percent agreement  100 · Σ_{i<K} x_ii / N
 *      Cohen's kappa      (p_o − p_e) / (1 − p_e), p_o = Σ_{i<K} x_ii / N,
 *                         p_e = Σ_{i≤K} r_i c_i / N²   (Cohen 1960)
 *      kappa max          (p_max − p_e) / (1 − p_e), p_max = D / N, the
 *                         most agreements any table with these margins and
 *                         an empty nil–nil cell can hold:
 *                         D = min(Σ_{i<K} min(r_i, c_i), N − r_K − c_K)
 *                         (Cohen 1960's Σ min(r_i, c_i) without the nil
 *                         diagonal; the second term because every nil must
 *                         face an event, docs/agree.md derives it)
 *      per-code kappa     kappa of the 2×2 collapse "code k / anything
 *                         else" (nil included in "else"): a = x_kk,
 *                         b = r_k − a, c = c_k − a, d = N − r_k − c_k + a
 *    Undefined values (N = 0, p_e = 1) are NaN.
 *
 * 3. Time-unit agreement (ds_agree_units), GSEQ's time-unit kappa with
 *    tolerance (Bakeman & Gottman 1997, ch. 4; Bakeman, Quera & Gnisci
 *    2009). Needs onsets and durations. The session is cut into units of
 *    U seconds from the earlier first onset of the two codings; in each
 *    unit each coding has the state in force (the event in progress in
 *    it, exactly as window.h defines "in progress"; when several are, the
 *    one that started last, and of simultaneous onsets the later row),
 *    or none (index K). A unit is tallied in cell (f, s) of the first and
 *    second coding's states, except that with a tolerance of w units a
 *    unit where s ≠ f counts as an agreement (f, f) when the second
 *    coding has f in force in any unit within ±w of it: GSEQ's rule,
 *    which asks whether the second observer agreed with the first
 *    within the tolerance, and so is not symmetric in the two codings.
 *    Units where neither coding has a state in force (none–none, also
 *    after the tolerance) are kept in cell (K, K) of the matrix but, as
 *    nil–nil for events, left out of N and the statistics: how much of a
 *    session neither coder coded says nothing about their agreement.
 */
#ifndef DYADSEQ_AGREE_H
#define DYADSEQ_AGREE_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"

/* --tolerance default, seconds. */
#define DS_AGREE_TOLERANCE_DEFAULT 2.0

/* The costs of the alignment (see above). */
#define DS_AGREE_COST_SUBSTITUTION 1
#define DS_AGREE_COST_GAP 1

/* Slack added to the tolerance for decimal onsets (12.3 − 10.3 is
 * 2.0000000000000018 in binary). */
#define DS_AGREE_TIME_SLACK 1e-9

/* The event index of nil in a pair. */
#define DS_AGREE_NIL ((size_t)-1)

/* One coding of a session: views into caller-owned arrays. */
typedef struct ds_agree_coding {
    size_t n;
    const double *onset;    /* [n] nondecreasing, or NULL: no times */
    const double *duration; /* [n] seconds, or NULL */
    const uint16_t *state;  /* [n] in [0, K) */
} ds_agree_coding_t;

/* An aligned pair: event indices, or DS_AGREE_NIL. */
typedef struct ds_agree_pair {
    size_t first, second;
} ds_agree_pair_t;

/* An alignment and the workspace that computes it (reused from call to
 * call; one per thread). */
typedef struct ds_agree_alignment {
    size_t n;               /* pairs */
    ds_agree_pair_t *pair;  /* [n] in order of both codings */
    int64_t cost;           /* substitutions + unmatched events */
    int64_t time_ms;        /* Σ |onset difference| of the pairs, ms */
    size_t cap;
    void *ws_;              /* internal */
} ds_agree_alignment_t;

void ds_agree_alignment_init(ds_agree_alignment_t *al);
void ds_agree_alignment_clear(ds_agree_alignment_t *al);

/*
 * Align codings a and b. With onsets in both, pairs need onsets within
 * tolerance_s (>= 0); with neither, by order alone (tolerance ignored).
 * Returns 0; DS_EUSAGE for a negative or non-finite tolerance or onsets in
 * one coding only; DS_ENOMEM (err names the sizes).
 */
int ds_agree_align(const ds_agree_coding_t *a, const ds_agree_coding_t *b,
                   double tolerance_s, ds_agree_alignment_t *al,
                   ds_error_t *err);

/* Add the pairs of al to matrix [(K+1) × (K+1)], row = a's state,
 * column = b's state, index K = nil. */
void ds_agree_tally(const ds_agree_coding_t *a, const ds_agree_coding_t *b,
                    const ds_agree_alignment_t *al, size_t K,
                    int64_t *matrix);

/* The statistics of a (K+1) × (K+1) matrix (cell (K, K) ignored). */
typedef struct ds_agree_stats {
    int64_t n_pairs;            /* N: every cell but (K, K) */
    int64_t n_agreements;       /* Σ_{i<K} x_ii */
    int64_t n_matched;          /* pairs of two events: Σ_{i,j<K} x_ij */
    int64_t n_unmatched_first;  /* first coding's events facing nil */
    int64_t n_unmatched_second; /* second coding's events facing nil */
    double percent_agreement, kappa, kappa_max;
} ds_agree_stats_t;

/* Fill out, and per_code_kappa[K] when not NULL. */
void ds_agree_stats(const int64_t *matrix, size_t K, ds_agree_stats_t *out,
                    double *per_code_kappa);

/*
 * Time-unit tallies of one session into matrix [(K+1) × (K+1)] (added
 * to), with units of unit_s seconds and a tolerance of tolerance_units
 * units. Both codings need onsets and durations. *n_units receives the
 * units of the session. Returns 0; DS_EUSAGE (no durations, unit_s not
 * positive, more than DS_AGREE_MAX_UNITS units); DS_ENOMEM.
 */
#define DS_AGREE_MAX_UNITS ((size_t)1 << 30)
int ds_agree_units(const ds_agree_coding_t *a, const ds_agree_coding_t *b,
                   size_t K, double unit_s, size_t tolerance_units,
                   int64_t *matrix, size_t *n_units, ds_error_t *err);

/* ---- a whole study --------------------------------------------------- */

typedef struct ds_agree_opts {
    double tolerance_s;        /* --tolerance [2] */
    int units;                 /* compute time-unit agreement */
    double unit_s;             /* --time-unit [1] */
    size_t unit_tolerance;     /* --unit-tolerance, in units [0] */
    int threads;               /* >= 1 */
} ds_agree_opts_t;

void ds_agree_opts_init(ds_agree_opts_t *o);

/* Agreement of S sessions: per session and pooled (matrices summed over
 * the sessions, statistics recomputed). K1 = K + 1. */
typedef struct ds_agree_result {
    size_t S, K;
    int by_time;                    /* aligned by onset (else by order) */
    double tolerance_s;
    int64_t *n_events_first, *n_events_second; /* [S] */
    int64_t *matrix;                /* [S × K1 × K1] */
    ds_agree_stats_t *stats;        /* [S] */
    double *per_code_kappa;         /* [S × K] */
    int64_t *pooled_matrix;         /* [K1 × K1] */
    ds_agree_stats_t pooled;
    double *pooled_per_code_kappa;  /* [K] */

    /* time units: NULL / 0 when not computed (units_skipped says why) */
    int has_units;
    const char *units_skipped;
    double unit_s;
    size_t unit_tolerance;
    int64_t *n_units;               /* [S] units of each session */
    int64_t *unit_matrix;           /* [S × K1 × K1] */
    ds_agree_stats_t *unit_stats;   /* [S] */
    int64_t *unit_pooled_matrix;    /* [K1 × K1] */
    ds_agree_stats_t unit_pooled;
    double *unit_pooled_per_code_kappa; /* [K] */
} ds_agree_result_t;

/*
 * Agreement between first and second: two corpora over the same states
 * whose sessions are the same, in the same order (session s of one is
 * session s of the other). Sessions are computed in parallel on
 * o->threads threads, each writing its own slot, so the result does not
 * depend on the thread count. Time units are computed when o->units is
 * set and both corpora have durations (else units_skipped says why).
 * Returns 0 with *out; DS_EUSAGE (bad options, the corpora do not match);
 * DS_ENOMEM; err names the session.
 */
int ds_agree_run(const ds_corpus_t *first, const ds_corpus_t *second,
                 const ds_agree_opts_t *o, ds_agree_result_t **out,
                 ds_error_t *err);
void ds_agree_result_free(ds_agree_result_t *r);

#endif
