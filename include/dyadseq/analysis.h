/*
 * analysis.h — every statistic of a study, computed in parallel over
 * sessions (SPEC 4, 8).
 *
 * This is the driver between the corpus and the results file: it runs the
 * pure per-session modules (lagstats, window, apim, responsive, km,
 * cycles, softening) on each session in an OpenMP loop where every task writes
 * only its own slot of arrays indexed by session, then pools integer
 * counts (whose sums do not depend on order) and computes the pooled and
 * between-session statistics serially or one pool per task. The results
 * are therefore identical at any thread count. No I/O: progress is
 * reported through a callback and HDF5 is written by layout.c.
 *
 * The driver is several files behind src/analysis_internal.h:
 * analysis.c (the steps of a run and the parallel loop over sessions),
 * analysis_result.c (allocating ds_analysis_t), analysis_stream.c (blocks
 * of sessions for a block sink), analysis_pool.c (pooled lag and window
 * tables), analysis_ap.c (actor-partner effects), analysis_km.c
 * (Kaplan-Meier pooled over sessions) and analysis_perm.c (permutation
 * tests).
 */
#ifndef DYADSEQ_ANALYSIS_H
#define DYADSEQ_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/apim.h"
#include "dyadseq/corpus.h"
#include "dyadseq/cycles.h"
#include "dyadseq/dist.h"
#include "dyadseq/error.h"
#include "dyadseq/lagstats.h"
#include "dyadseq/km.h"
#include "dyadseq/responsive.h"
#include "dyadseq/softening.h"
#include "dyadseq/statlist.h"
#include "dyadseq/summary.h"
#include "dyadseq/window.h"

struct ds_analysis_block;
struct ds_analysis;

typedef struct ds_analysis_opts {
    const size_t *lags;            /* --lags, default {1} */
    size_t n_lags;
    const uint8_t *zero;           /* [K*K] lag-1 structural zeros, or NULL */
    ds_lag_opts_t lag;             /* zero correction, IPF tolerance */
    size_t permutations;           /* --permutations M (0 = none) */
    uint64_t seed;                 /* --seed */
    int window;                    /* --window given */
    ds_window_opts_t window_opts;
    ds_responsive_opts_t responsive_opts;
    ds_cycles_opts_t cycles_opts;
    const ds_ap_model_t *ap_models; /* --actor-partner, or NULL */
    size_t n_ap_models;
    ds_ap_opts_t ap_opts;          /* their grid and delta */
    int threads;                   /* OpenMP threads (>= 1) */
    void (*progress)(void *ctx, size_t events); /* may be NULL */
    void *progress_ctx;
    /*
     * Streaming (may be NULL): sessions are then computed in blocks of
     * block_rows (default 512), and each block's per-session arrays are
     * handed to block_sink on the calling thread, in session order, while
     * ds_analysis_t keeps whole only what pooling, summaries and
     * permutation tests need: the statistics of DS_LAG_SUMMARY_STATS
     * (yules_q, adjusted_residual), the table-wise ones (g2 ... g2_p) and
     * permutation_p of each lag. Its other [S*K*K] arrays (counts,
     * expected, ... and the window's per-session arrays) are then NULL, so
     * memory does not grow by ~90 bytes per cell and session. A nonzero
     * return stops the run with that code (err set by the sink).
     * A block comes in two calls: its tables (lag and window set,
     * responsive and cycles NULL), then its rows (lag and window NULL,
     * responsive and cycles set, when there are any), before the next
     * block's tables. At two or more threads the rows' call is made while
     * the next block is computed (issue 16); the block buffers are then
     * in use again, so the rows are all the call may read.
     */
    int (*block_sink)(void *ctx, const struct ds_analysis_block *b,
                      ds_error_t *err);
    void *block_ctx;
    /*
     * Called once (may be NULL; with block_ctx) on the calling thread
     * before any other sink, to begin what they write into (the results
     * file): at two or more threads in one process while the first
     * block's sessions are computed (issue 16), otherwise before any
     * session is. Nonzero stops the run.
     */
    int (*sink_begin)(void *ctx, ds_error_t *err);
    size_t block_rows;
    /*
     * Called once (may be NULL; with block_ctx), when every session is
     * computed and before the pooling steps: what the sessions alone give
     * is final (the per-session columns, responsiveness and its curves,
     * cycles, softening), what pooling gives is not yet (pooled tables,
     * summaries, pooled curves, permutation p-values), and the sink must
     * read neither that nor the bids' observations (obs_time_s,
     * obs_event), which pooling consumes. It runs on the calling thread;
     * at two or more threads in one process pooling runs meanwhile on
     * the others, so that a writer's serial work overlaps it (issue 16);
     * otherwise pooling comes after it. Nonzero stops the run.
     */
    int (*sessions_sink)(void *ctx, const struct ds_analysis *a,
                         ds_error_t *err);
    /*
     * Called once (may be NULL; with block_ctx; never with permutations,
     * whose p-values belong to the pooled tables), after sessions_sink,
     * as soon as the lag, window and actor-partner pools are final: the
     * pooled Kaplan-Meier curves may still be pooled meanwhile on other
     * threads, and the sink must not read them (km_pooled) nor the bids'
     * observations. It runs on the calling thread. At two or more
     * threads this fills the time the calling thread would otherwise
     * wait for the second bidder's curve (issue 16). Nonzero stops the
     * run.
     */
    int (*pooled_sink)(void *ctx, const struct ds_analysis *a,
                       ds_error_t *err);
    /*
     * The MPI ranks sharing the run (dist.h), or NULL for one process.
     * Each rank computes its sessions (ds_dist_sessions) in blocks, the
     * same number of blocks on every rank (empty ones at the end, so that
     * block sinks can write together); then every rank gets every rank's
     * per-session results and the pooled counts are summed, so that the
     * pooled tables, summaries and permutation p-values are those of one
     * process, on every rank.
     */
    const ds_dist_t *dist;
} ds_analysis_opts_t;

void ds_analysis_opts_init(ds_analysis_opts_t *o);

/* One array field per entry of a statistics list (statlist.h): `type *name`,
 * and with DS_ANALYSIS_POOLED_FIELD_ `type *pooled_name`; a summary per
 * summarized statistic, `summary_name`. */
#define DS_ANALYSIS_FIELD_(name, type, description) type *name;
#define DS_ANALYSIS_POOLED_FIELD_(name, type, description) type *pooled_##name;
#define DS_ANALYSIS_SUMMARY_FIELD_(name, type, description)                  \
    ds_summary_t *summary_##name;

/* A pooled table (all sessions, or the sessions of one label) with its
 * between-session summaries: summary_yules_q of the per-session Yule's Q,
 * summary_adjusted_residual of the adjusted residuals
 * (DS_LAG_SUMMARY_STATS). */
typedef struct ds_lag_pool {
    ds_lag_table_t *table;
    double *permutation_p;         /* [K*K], or NULL without permutations */
    int64_t *freq;                 /* [K] state frequencies, summed */
    int64_t n_events;
    DS_LAG_SUMMARY_STATS(DS_ANALYSIS_SUMMARY_FIELD_)
} ds_lag_pool_t;

/* Everything for one lag: per-session arrays [S*K*K] (session-major, then
 * antecedent, then target) and [S], the pooled tables and summaries. */
typedef struct ds_lag_result {
    size_t lag;
    int64_t *counts;
    DS_LAG_CELL_STATS(DS_ANALYSIS_FIELD_)  /* [S*K*K] expected ... */
    double *permutation_p;         /* NULL without permutations */
    DS_LAG_TABLE_STATS(DS_ANALYSIS_FIELD_) /* [S] g2, x2, df, g2_p */
    ds_lag_pool_t pooled;
    ds_lag_pool_t *by_label;       /* [n_labels] */
} ds_lag_result_t;

/* Between-session summaries of the window statistics of some sessions
 * (all, or one label's): summary_yules_q, summary_adjusted_residual
 * (DS_WINDOW_SUMMARY_STATS). */
typedef struct ds_window_summaries {
    DS_WINDOW_SUMMARY_STATS(DS_ANALYSIS_SUMMARY_FIELD_)
} ds_window_summaries_t;

/* Time-window tallies: per session [S*K*K] (a, b, c, d, yules_q, ...) and
 * pooled [K*K] (pooled->a ..., pooled_yules_q, ...); the between-session
 * summaries over all sessions and per label [n_labels]. Streaming, the
 * per-session arrays of the summarized statistics are kept whole and the
 * others are NULL. */
typedef struct ds_window_result {
    DS_WINDOW_CELL_COUNTS(DS_ANALYSIS_FIELD_)
    DS_WINDOW_CELL_STATS(DS_ANALYSIS_FIELD_)
    ds_window_counts_t *pooled;
    DS_WINDOW_CELL_STATS(DS_ANALYSIS_POOLED_FIELD_)
    ds_window_summaries_t summary;
    ds_window_summaries_t *summary_by_label;
    size_t n_labels;
} ds_window_result_t;

/* Time to response pooled over the bids of many sessions, for one scope
 * (all sessions, or one label's) and bidder: one product-limit estimate
 * over the bids, not a mean of session curves, and what is read off it. */
typedef struct ds_analysis_km {
    ds_km_t km;
    size_t n_bids;
    double p_response_by_window;      /* 1 - S(W); NaN as ds_km_survival_at */
    double median_time_to_response_s; /* ds_km_median */
} ds_analysis_km_t;

/* Per-session results of sessions [first, first + n), for a block sink:
 * row i of every per-session array is session first + i (lag[l].counts,
 * .expected, ... [n*K*K]; lag[l].g2 ... [n]; permutation_p is NULL).
 * In one process (no dist) the block's second call (block_sink) has the
 * sessions' time-to-response curves and cycles; the sink copies what it
 * needs of the curves' points (responsive[k].km) and the cycles' lists
 * (cycle_runs), which are freed when it returns: ds_analysis_t keeps each session's
 * responsiveness and cycles rows, but its curves then have no points
 * (km.n = 0) and its cycle_runs entries are NULL, as the per-cell
 * statistics that are not kept whole (issue #7: at 10 million events
 * they were 70 MB until the end of the run). */
typedef struct ds_analysis_block {
    size_t first, n;
    const ds_lag_result_t *lag;       /* [n_lags] */
    const ds_window_result_t *window; /* per-session arrays, or NULL */
    const ds_responsive_t *responsive; /* [2n] as ds_analysis_t's, or NULL */
    const ds_cycles_t *cycles;         /* [n], or NULL */
    ds_cycle_run_t *const *cycle_runs; /* [n], or NULL */
} ds_analysis_block_t;

/* Actor-partner effects of one model (SPEC 4.5, apim.h): every session's
 * table and coefficients, and their summaries between sessions, whose
 * cells are the coefficients in DS_AP_COEFS order. */
typedef struct ds_ap_result {
    const ds_ap_model_t *model;    /* the options' */
    int64_t *counts;               /* [S * DS_AP_N_CELLS] */
    double *coef;                  /* [S * DS_AP_N_COEFS] */
    double *se;                    /* [S] */
    int64_t *n_units;              /* [S] units of the session's grid */
    ds_summary_t *summary;         /* all sessions */
    ds_summary_t **by_label;       /* [n_labels] */
} ds_ap_result_t;

typedef struct ds_analysis {
    size_t S, K, n_labels;
    /* /sessions */
    int64_t *n_events;              /* [S] */
    double *duration_s, *first_onset_s; /* [S], NaN without time */
    double *start_s, *end_s;        /* [S] observation period, or first
                                       and last onset (corpus.h); NaN
                                       without time */
    int64_t *state_freq;            /* [S*K] events in each state */

    size_t n_lags;
    ds_lag_result_t *lag;           /* [n_lags] */

    ds_window_result_t *window;     /* NULL when not computed */
    const char *window_skipped;     /* why not, or NULL */

    /* [2S], session-major, A→B first, each with its Kaplan-Meier curve
     * (the observations behind it are freed once pooled: n_obs 0; the
     * curve's points once a block sink had them: ds_analysis_block_t);
     * NULL when not computed */
    ds_responsive_t *responsive;
    /* Time to response pooled over sessions, per scope and bidder,
     * [(1 + n_labels) * 2]: scope 0 = all sessions, 1 + l = the sessions
     * of label l; bidder actor 0 first. NULL when responsiveness is not
     * computed. */
    ds_analysis_km_t *km_pooled;
    const char *responsive_skipped;

    ds_cycles_t *cycles;            /* [S]; NULL when not computed */
    /* [S]: the cycles of session s in order, cycles[s].n_cycles of them
     * (NULL when it has none, or once a block sink had them:
     * ds_analysis_block_t); NULL when cycles are not computed */
    ds_cycle_run_t **cycle_runs;
    ds_softening_t *softening;      /* [2S], session-major, actor A first */
    const char *cycles_skipped;

    size_t n_ap;
    ds_ap_result_t *ap;             /* [n_ap]; NULL when not computed */
    const char *ap_skipped;         /* why not, or NULL */

    double seconds_compute;         /* wall time of the parallel phase */
    double seconds_permute;
    double seconds_sink;            /* of it, in the block sink (writing) */
} ds_analysis_t;

/*
 * Why time windows are not computed for c with options o (NULL when they
 * are): not asked for, or the input lacks the columns they need.
 */
const char *ds_analysis_window_skipped(const ds_corpus_t *c,
                                       const ds_analysis_opts_t *o);

/*
 * Why actor-partner effects are not computed for c with options o (NULL
 * when they are): none asked for, or the input lacks the columns they
 * need.
 */
const char *ds_analysis_ap_skipped(const ds_corpus_t *c,
                                   const ds_analysis_opts_t *o);

/*
 * Analyze corpus c. Returns DS_OK with *out set; DS_EDATA for a session
 * with a transition in a structural-zero cell (callers check the mask
 * first, ds_zeros_check); DS_ENOMEM. With structural zeros, permutations
 * draw sequences that keep them (permute.h).
 * A metric whose input column is missing is skipped, not an error: its
 * pointer is NULL and *_skipped says why. A table whose numerical routine
 * fails (IPF not converging) gets NaN statistics and a warning in diag, in
 * session order.
 */
int ds_analysis_run(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                    ds_analysis_t **out, ds_diag_t *diag, ds_error_t *err);
void ds_analysis_free(ds_analysis_t *a);

#endif
