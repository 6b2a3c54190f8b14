/*
 * analysis.h — every statistic of a study, computed in parallel over
 * sessions (SPEC 4, 8).
 *
 * This is the driver between the corpus and the results file: it runs the
 * pure per-session modules (lagstats, window, responsive, cycles) on each
 * session in an OpenMP loop where every task writes only its own slot of
 * arrays indexed by session, then pools integer counts (whose sums do not
 * depend on order) and computes the pooled and between-session statistics
 * serially. The results are therefore identical at any thread count. No
 * I/O: progress is reported through a callback and HDF5 is written by
 * layout.c.
 */
#ifndef DYADSEQ_ANALYSIS_H
#define DYADSEQ_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/corpus.h"
#include "dyadseq/cycles.h"
#include "dyadseq/error.h"
#include "dyadseq/lagstats.h"
#include "dyadseq/responsive.h"
#include "dyadseq/summary.h"
#include "dyadseq/window.h"

struct ds_analysis_block;

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
    int threads;                   /* OpenMP threads (>= 1) */
    void (*progress)(void *ctx, size_t events); /* may be NULL */
    void *progress_ctx;
    /*
     * Streaming (may be NULL): sessions are then computed in blocks of
     * block_rows (default 512), and each block's per-session arrays are
     * handed to block_sink on the calling thread, in session order, while
     * ds_analysis_t keeps whole only what pooling, summaries and
     * permutation tests need: yules_q, adjusted_residual, g2..g2_p and
     * permutation_p of each lag. Its other [S*K*K] arrays (counts,
     * expected, ... and the window's per-session arrays) are then NULL, so
     * memory does not grow by ~90 bytes per cell and session. A nonzero
     * return stops the run with that code (err set by the sink).
     */
    int (*block_sink)(void *ctx, const struct ds_analysis_block *b,
                      ds_error_t *err);
    void *block_ctx;
    size_t block_rows;
} ds_analysis_opts_t;

void ds_analysis_opts_init(ds_analysis_opts_t *o);

/* A pooled table (all sessions, or the sessions of one label) with its
 * between-session summaries. */
typedef struct ds_lag_pool {
    ds_lag_table_t *table;
    double *permutation_p;         /* [K*K], or NULL without permutations */
    int64_t *freq;                 /* [K] state frequencies, summed */
    int64_t n_events;
    ds_summary_t *summary_q;       /* of per-session Yule's Q */
    ds_summary_t *summary_z;       /* of per-session adjusted residuals */
} ds_lag_pool_t;

/* Everything for one lag: per-session arrays [S*K*K] (session-major, then
 * antecedent, then target) and [S], the pooled tables and summaries. */
typedef struct ds_lag_result {
    size_t lag;
    int64_t *counts;
    double *expected, *transition_prob, *adjusted_residual, *p_value,
        *yules_q, *yules_q_se, *log_odds_ratio, *log_odds_ratio_se,
        *wampold_kappa, *wampold_z;
    double *permutation_p;         /* NULL without permutations */
    double *g2, *x2, *df, *g2_p;   /* [S] */
    ds_lag_pool_t pooled;
    ds_lag_pool_t *by_label;       /* [n_labels] */
} ds_lag_result_t;

/* Time-window tallies: per session [S*K*K] and pooled [K*K]. */
typedef struct ds_window_result {
    int64_t *a, *b, *c, *d;
    double *yules_q, *log_odds_ratio, *log_odds_ratio_se, *adjusted_residual;
    ds_window_counts_t *pooled;
    double *pooled_q, *pooled_lor, *pooled_lor_se, *pooled_z; /* [K*K] */
} ds_window_result_t;

/* Per-session results of sessions [first, first + n), for a block sink:
 * row i of every per-session array is session first + i (lag[l].counts,
 * .expected, ... [n*K*K]; lag[l].g2 ... [n]; permutation_p is NULL). */
typedef struct ds_analysis_block {
    size_t first, n;
    const ds_lag_result_t *lag;       /* [n_lags] */
    const ds_window_result_t *window; /* per-session arrays, or NULL */
} ds_analysis_block_t;

typedef struct ds_analysis {
    size_t S, K, n_labels;
    /* /sessions */
    int64_t *n_events;              /* [S] */
    double *duration_s, *first_onset_s; /* [S], NaN without time */
    int64_t *state_freq;            /* [S*K] events in each state */

    size_t n_lags;
    ds_lag_result_t *lag;           /* [n_lags] */

    ds_window_result_t *window;     /* NULL when not computed */
    const char *window_skipped;     /* why not, or NULL */

    ds_responsive_t *responsive;    /* [2S], session-major, A→B first;
                                       NULL when not computed */
    /* Time to response pooled over the bids of many sessions: one
     * product-limit estimate per scope and bidder, [(1 + n_labels) * 2],
     * scope 0 = all sessions, 1 + l = the sessions of label l; bidder
     * actor 0 first. NULL when responsiveness is not computed. */
    ds_km_t *km_pooled;
    size_t *km_pooled_bids;         /* [(1 + n_labels) * 2] bids pooled */
    const char *responsive_skipped;

    ds_cycles_t *cycles;            /* [S]; NULL when not computed */
    ds_softening_t *softening;      /* [2S], session-major, actor A first */
    const char *cycles_skipped;

    double seconds_compute;         /* wall time of the parallel phase */
    double seconds_permute;
    double seconds_sink;            /* of it, in the block sink (writing) */
} ds_analysis_t;

/*
 * Responsiveness of sessions [first, first + n) computed again, into
 * out[2n] (initialized here; ds_responsive_clear each after use), on
 * o->threads threads. A streaming run (block_sink set) keeps only the
 * size of each Kaplan-Meier curve (km.n, its arrays NULL), and the writer
 * gets the curves from here block by block. Returns as
 * ds_responsive_session.
 */
int ds_analysis_km(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                   size_t first, size_t n, ds_responsive_t *out,
                   ds_error_t *err);

/*
 * Why time windows are not computed for c with options o (NULL when they
 * are): not asked for, or the input lacks the columns they need.
 */
const char *ds_analysis_window_skipped(const ds_corpus_t *c,
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
