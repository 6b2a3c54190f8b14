/*
 * analysis_internal.h — what the files of the driver share (internal
 * functions; not part of the public interface, analysis.h):
 *
 *   analysis.c          the steps of ds_analysis_run and the parallel loop
 *                       over sessions
 *   analysis_result.c   allocating and freeing ds_analysis_t; the
 *                       statistics lists as field tables
 *   analysis_stream.c   blocks of sessions: views into the result arrays
 *                       or reused block buffers, handed to a block sink
 *   analysis_pool.c     pooled lag tables and their summaries, pooled
 *                       windows, the sessions of each label
 *   analysis_ap.c       actor-partner effects: per-session tables and
 *                       coefficients, their summaries
 *   analysis_km.c       Kaplan-Meier time to response pooled over sessions
 *   analysis_perm.c     permutation tests
 *
 * Every function here follows the driver's rule: a parallel task writes
 * only the slots of its session or of its pool.
 */
#ifndef DYADSEQ_ANALYSIS_INTERNAL_H
#define DYADSEQ_ANALYSIS_INTERNAL_H

#include <stdatomic.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dyadseq/analysis.h"

/* ---- small helpers ------------------------------------------------ */

/* Allocation sizes: malloc(0) may return NULL, which would read as OOM. */
static inline size_t ds_analysis_atleast1(size_t n)
{
    return n ? n : 1;
}

/* n doubles, all NaN; NULL when out of memory. */
static inline double *ds_analysis_nan_array(size_t n)
{
    double *p = malloc(ds_analysis_atleast1(n) * sizeof *p);
    if (p)
        for (size_t i = 0; i < n; i++)
            p[i] = NAN;
    return p;
}

/* Wall-clock seconds (0 without OpenMP). */
double ds_analysis_wall(void);

/* ---- the statistics lists as field tables (analysis_result.c) ------- */

#define DS_ANALYSIS_COUNT_(name, type, description) +1
enum {
    DS_N_CELL = 0 DS_LAG_CELL_STATS(DS_ANALYSIS_COUNT_),
    DS_N_TABLE = 0 DS_LAG_TABLE_STATS(DS_ANALYSIS_COUNT_),
    DS_N_WCOUNT = 0 DS_WINDOW_CELL_COUNTS(DS_ANALYSIS_COUNT_),
    DS_N_WSTAT = 0 DS_WINDOW_CELL_STATS(DS_ANALYSIS_COUNT_)
};
#undef DS_ANALYSIS_COUNT_

/* Offsets in ds_lag_result_t of the per-cell [S*K*K] and table-wise [S]
 * arrays, and in ds_window_result_t of the per-session counts and
 * statistics, in list order. */
extern const size_t ds_analysis_cell_off[DS_N_CELL];
extern const size_t ds_analysis_table_off[DS_N_TABLE];
extern const size_t ds_analysis_wcount_off[DS_N_WCOUNT];
extern const size_t ds_analysis_wstat_off[DS_N_WSTAT];

/* The array field at offset off of a struct. */
static inline double **ds_analysis_field_d(void *base, size_t off)
{
    return (double **)(void *)((char *)base + off);
}

static inline int64_t **ds_analysis_field_i(void *base, size_t off)
{
    return (int64_t **)(void *)((char *)base + off);
}

/* Per-cell statistic i of a lag result. */
static inline double **ds_analysis_cell(ds_lag_result_t *r, size_t i)
{
    return ds_analysis_field_d(r, ds_analysis_cell_off[i]);
}

/*
 * Whether per-cell statistic i is kept for every session in a streaming
 * run: the between-session summaries read them (DS_LAG_SUMMARY_STATS;
 * the permutation tests read the adjusted residuals, summarized too).
 * The others are streamed: a block sink receives them block by block.
 */
int ds_analysis_kept_whole(size_t i);

/* The same for window statistic i (of DS_WINDOW_CELL_STATS): those of
 * DS_WINDOW_SUMMARY_STATS are kept whole. */
int ds_analysis_wkept_whole(size_t i);

/* ---- allocation (analysis_result.c) ------------------------------- */

/*
 * A result for corpus c and options o with every array the run fills:
 * per-session lag arrays whole, or (o->block_sink set) only those kept
 * whole; windows, responsiveness, cycles and softening when they apply
 * (else their *_skipped says why); n_events and first_onset_s filled.
 * NULL when out of memory.
 */
ds_analysis_t *ds_analysis_alloc(const ds_corpus_t *c,
                                 const ds_analysis_opts_t *o);

/* ---- lag counts within observed stretches (analysis.c) ------------- */

/*
 * ds_lag_count of the sequence `state` laid on the events of session s
 * (s->state itself, or a permutation of it): pairs never span time that
 * was not coded, so with an observation period of several stretches each
 * stretch's events are counted on their own (corpus.h).
 */
void ds_analysis_lag_count(const ds_session_t *s, const uint16_t *state,
                           size_t lag, size_t K, int64_t *counts);

/* ---- failures inside parallel loops (analysis.c) ------------------- */

/* A failure kept per session, so the one reported (the lowest session
 * index) does not depend on scheduling. */
typedef struct ds_analysis_failure {
    int rc;
    char *msg; /* NULL: out of memory */
} ds_analysis_failure_t;

/* Record e as the failure of session s: "session 'COUPLE'/'LABEL': ..." */
void ds_analysis_fail_at(ds_analysis_failure_t *f, const ds_session_t *s,
                         const ds_error_t *e);

/* The first failure of f[0..n) into err (its code), or 0 when none. */
int ds_analysis_first_failure(const ds_analysis_failure_t *f, size_t n,
                              ds_error_t *err);

void ds_analysis_failures_free(ds_analysis_failure_t *f, size_t n);

/* ---- blocks of sessions (analysis_stream.c) ------------------------ */

/*
 * Sessions are computed in blocks. The view of a block holds, for each
 * lag and for the windows, pointers such that row i is session first + i:
 * into the whole arrays of ds_analysis_t, or, streaming, into block
 * buffers that the block sink receives and that are reused for the next
 * block.
 */
typedef struct ds_analysis_blocks {
    size_t rows;                   /* sessions per block */
    size_t first, n;               /* the current block */
    ds_lag_result_t *lag;          /* [n_lags] the view */
    ds_window_result_t win;        /* the view: per-session arrays only */
    int has_window;
    int reset;                     /* buffers: reset rows before use */
    ds_lag_result_t *buf;          /* [n_lags] buffers, or NULL */
    ds_window_result_t *wbuf;      /* window buffers, or NULL */
    void *slab;                    /* the buffers' arrays, in one block */
    size_t n_lags;
} ds_analysis_blocks_t;

/* Blocks for the run of a on o's options: all sessions at once, or
 * (o->block_sink set) o->block_rows at a time in reused buffers. */
int ds_analysis_blocks_init(ds_analysis_blocks_t *b, const ds_analysis_t *a,
                            const ds_analysis_opts_t *o);
void ds_analysis_blocks_clear(ds_analysis_blocks_t *b);

/* Point the view at sessions [first, first + n). */
void ds_analysis_blocks_set(ds_analysis_blocks_t *b, ds_analysis_t *a,
                            size_t first, size_t n);

/* Reset row i of reused buffers (zero the lag counts, which the tally
 * adds to; the statistics are written whole by their computations) so
 * that no value of an earlier block can reach the sink; the session's own
 * task calls it. Nothing to do when the view is into the whole arrays. */
void ds_analysis_blocks_reset_row(ds_analysis_blocks_t *b, size_t i,
                                  size_t KK);

/* Hand the current block's tables to o's block sink, if any (its rows
 * go apart: ds_analysis_rows_sink); a->seconds_sink accumulates the time
 * spent there. */
int ds_analysis_blocks_sink(const ds_analysis_blocks_t *b,
                            const ds_analysis_opts_t *o, ds_analysis_t *a,
                            ds_error_t *err);

/* Hand the rows of sessions [first, first + n) (responsiveness with its
 * curves, cycles) to o's block sink, in a call of their own, and free the
 * curves' points and the cycles' lists it copied. Their tables must have
 * gone first; the rows may come while the next block is computed, as
 * they are read from the whole arrays of a, not from the block buffers. */
int ds_analysis_rows_sink(size_t first, size_t n,
                          const ds_analysis_opts_t *o, ds_analysis_t *a,
                          ds_error_t *err);

/* ---- pooling (analysis_pool.c) ------------------------------------ */

/* The sessions of each label, as index lists (for summaries and pools). */
typedef struct ds_analysis_labels {
    size_t *index;  /* [S], grouped by label */
    size_t *start;  /* [n_labels + 1] */
} ds_analysis_labels_t;

int ds_analysis_labels_init(ds_analysis_labels_t *ls, const ds_corpus_t *c);
void ds_analysis_labels_clear(ds_analysis_labels_t *ls);

/* Add the lag counts and window tallies of the block in view to the
 * pools they belong to: integer sums, exact in any order. */
void ds_analysis_pool_add_block(const ds_corpus_t *c, ds_analysis_t *a,
                                const ds_analysis_blocks_t *b);

/* Every pooled lag table (all sessions, each label) with its between-
 * session summaries, one pool per task; a table whose numerics fail gets
 * NaN statistics and a warning in diag, in pool order. */
int ds_analysis_pool_lags(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                          ds_analysis_t *a, const ds_analysis_labels_t *ls,
                          int threads, ds_diag_t *diag, ds_error_t *err);

/* The statistics of the pooled window tallies, and the between-session
 * summaries of the window statistics (all sessions, each label). */
int ds_analysis_pool_windows(const ds_analysis_opts_t *o, ds_analysis_t *a,
                             const ds_analysis_labels_t *ls,
                             ds_error_t *err);

/* ---- actor-partner effects (analysis_ap.c) -------------------------- */

/* a->ap for every model of o, or a->ap_skipped saying why not; -1 when
 * out of memory (ds_analysis_ap_free frees what was had). */
int ds_analysis_ap_alloc(ds_analysis_t *a, const ds_corpus_t *c,
                         const ds_analysis_opts_t *o);
void ds_analysis_ap_free(ds_analysis_t *a);

/* The table and coefficients of every model in session si: its slots. */
int ds_analysis_ap_session(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                           ds_analysis_t *a, const ds_session_t *s,
                           size_t si, ds_ap_workspace_t *w, ds_error_t *e);

/* The summaries of every model's coefficients between sessions, all and
 * per label, one model per task. */
int ds_analysis_pool_ap(ds_analysis_t *a, const ds_analysis_labels_t *ls,
                        int threads, ds_error_t *err);

/* ---- Kaplan-Meier over sessions (analysis_km.c) --------------------- */

/* a->km_pooled from the sessions' observations, which are freed. */
int ds_analysis_pool_km(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                        ds_analysis_t *a, int threads, ds_error_t *err);

/*
 * The same in three steps, so that the two bidders can be pooled on
 * whichever threads are free (sink_and_pool): begin (a->km_pooled and
 * the bidders' arrays allocated, on the calling thread); take, on any
 * number of threads at once, runs up to `most` of the jobs no thread has
 * taken yet and says how many it ran
 * (DS_ANALYSIS_KM_JOBS: all there are; each bidder is
 * DS_ANALYSIS_KM_PARTS jobs, a share of its sessions each, and its curves
 * are swept by whichever thread ends its last); end, once every thread
 * is done, gives the first failure or reads the curves off.
 */
#define DS_ANALYSIS_KM_PARTS 4
#define DS_ANALYSIS_KM_JOBS (2 * DS_ANALYSIS_KM_PARTS)
typedef struct ds_analysis_km_bidder {
    atomic_int shares;        /* jobs done */
    double *t, *code;         /* [n] the observations, session after session */
    size_t *run;              /* [S + 1] each session's first */
    size_t n;
} ds_analysis_km_bidder_t;
typedef struct ds_analysis_km_run {
    int next;                 /* the next job to take */
    ds_analysis_km_bidder_t bidder[2];
    int rc_job[DS_ANALYSIS_KM_JOBS];
    int rc_sweep[2];
    ds_error_t err[2];
} ds_analysis_km_run_t;
int ds_analysis_km_begin(const ds_corpus_t *c, ds_analysis_t *a,
                         ds_analysis_km_run_t *k, ds_error_t *err);
int ds_analysis_km_take(const ds_corpus_t *c, ds_analysis_t *a,
                        ds_analysis_km_run_t *k, int most);
int ds_analysis_km_end(const ds_analysis_opts_t *o, ds_analysis_t *a,
                       const ds_analysis_km_run_t *k, ds_error_t *err);

/* ---- the ranks of the MPI program (mpi_analysis.c) ----------------- */

/*
 * After each rank computed its sessions (bounds[r] .. bounds[r + 1] for
 * rank r): every rank's per-session results on every rank (the arrays
 * that are kept whole, the dyadic rows with their curves and
 * observations, the numerical warnings into warns), and the pooled
 * counts summed over the ranks. Collective.
 */
#ifdef DS_MPI
int ds_analysis_dist_merge(const ds_corpus_t *c, ds_analysis_t *a,
                           ds_analysis_failure_t *warns, const size_t *bounds,
                           const ds_dist_t *d, ds_error_t *err);
#else
static inline int ds_analysis_dist_merge(const ds_corpus_t *c,
                                         ds_analysis_t *a,
                                         ds_analysis_failure_t *warns,
                                         const size_t *bounds,
                                         const ds_dist_t *d, ds_error_t *err)
{
    (void)c, (void)a, (void)warns, (void)bounds, (void)d, (void)err;
    return DS_OK;
}
#endif

/*
 * Rows [bounds[r], bounds[r + 1]) of the [S * row] doubles at v come from
 * rank r, on every rank (the permutation p-values). Collective.
 */
#ifdef DS_MPI
int ds_analysis_dist_rows(double *v, size_t row, const size_t *bounds,
                          const ds_dist_t *d, ds_error_t *err);
#else
static inline int ds_analysis_dist_rows(double *v, size_t row,
                                        const size_t *bounds,
                                        const ds_dist_t *d, ds_error_t *err)
{
    (void)v, (void)row, (void)bounds, (void)d, (void)err;
    return DS_OK;
}
#endif

/* ---- permutation tests (analysis_perm.c) ---------------------------- */

/* permutation_p of every session and pool of every lag. */
int ds_analysis_permute(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                        ds_analysis_t *a, const ds_analysis_labels_t *ls,
                        ds_error_t *err);

#endif
