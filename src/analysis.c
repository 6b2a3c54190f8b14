/*
 * analysis.c — the driver (see analysis.h): the steps of a run, and the
 * parallel loop that computes every per-session statistic.
 *
 * Determinism: each OpenMP task writes only the slots of its session;
 * failures are kept per session and the lowest session's is reported;
 * the pooled tables are sums of int64 counts, which are exact in any
 * order; every floating-point computation on pooled data runs in one task
 * per pool. Permutation streams are seeded per session, so the same seed
 * gives the same p-values at any thread count. The other steps live in
 * analysis_pool.c, analysis_km.c, analysis_perm.c and analysis_stream.c.
 */
#include "dyadseq/analysis.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "analysis_internal.h"

double ds_analysis_wall(void)
{
#ifdef _OPENMP
    return omp_get_wtime();
#else
    return 0;
#endif
}

void ds_analysis_opts_init(ds_analysis_opts_t *o)
{
    static const size_t lag1[] = {1};
    memset(o, 0, sizeof *o);
    o->lags = lag1;
    o->n_lags = 1;
    ds_lag_opts_init(&o->lag);
    o->seed = 1;
    ds_window_opts_init(&o->window_opts);
    ds_responsive_opts_init(&o->responsive_opts);
    ds_cycles_opts_init(&o->cycles_opts);
    ds_ap_opts_init(&o->ap_opts);
    o->threads = 1;
}

const char *ds_analysis_window_skipped(const ds_corpus_t *c,
                                       const ds_analysis_opts_t *o)
{
    if (!o->window)
        return "not asked for";
    if (!c->has_time)
        return "time windows need a time column";
    if (o->window_opts.target_ongoing && !c->has_duration)
        return "--target ongoing needs a duration column";
    return NULL;
}

/* ---- failures ------------------------------------------------------- */

void ds_analysis_fail_at(ds_analysis_failure_t *f, const ds_session_t *s,
                         const ds_error_t *e)
{
    size_t n = strlen(e->msg) + strlen(s->couple) + strlen(s->label) + 32;
    f->rc = e->code ? e->code : DS_ENUM;
    f->msg = malloc(n);
    if (f->msg)
        snprintf(f->msg, n, "session '%s'/'%s': %s", s->couple, s->label,
                 e->msg);
}

int ds_analysis_first_failure(const ds_analysis_failure_t *f, size_t n,
                              ds_error_t *err)
{
    for (size_t s = 0; s < n; s++)
        if (f[s].rc)
            return ds_error_set(err, f[s].rc, "%s",
                                f[s].msg ? f[s].msg : "out of memory");
    return DS_OK;
}

void ds_analysis_failures_free(ds_analysis_failure_t *f, size_t n)
{
    for (size_t s = 0; f && s < n; s++)
        free(f[s].msg);
    free(f);
}

/* ---- one session ---------------------------------------------------- */

void ds_analysis_lag_count(const ds_session_t *s, const uint16_t *state,
                           size_t lag, size_t K, int64_t *counts)
{
    if (s->n_periods < 2 || !s->onset) {
        ds_lag_count(state, s->n, lag, K, counts);
        return;
    }
    for (size_t i = 0; i < s->n;) {
        size_t k = ds_session_stretch(s, s->onset[i]), j = i + 1;
        while (j < s->n && ds_session_stretch(s, s->onset[j]) == k)
            j++;
        ds_lag_count(state + i, j - i, lag, K, counts);
        i = j;
    }
}

/* Per-thread scratch. */
typedef struct scratch {
    ds_lag_workspace_t *lw;
    ds_window_workspace_t *ww;
    ds_ap_workspace_t *aw;
    ds_cycle_run_t *runs;          /* room for a session's cycles */
    size_t runs_cap;
} scratch_t;

static void scratch_clear(scratch_t *x)
{
    ds_lag_workspace_free(x->lw);
    ds_window_workspace_free(x->ww);
    ds_ap_workspace_free(x->aw);
    free(x->runs);
    memset(x, 0, sizeof *x);
}

static int scratch_init(scratch_t *x, size_t K)
{
    memset(x, 0, sizeof *x);
    x->lw = ds_lag_workspace_alloc(K);
    x->ww = ds_window_workspace_alloc();
    x->aw = ds_ap_workspace_alloc();
    return x->lw && x->ww && x->aw ? 0 : -1;
}

/* Session si's lag table l: its slots in the block's arrays (row i). */
static ds_lag_table_t session_view(const ds_lag_result_t *r, size_t i,
                                   size_t K)
{
    size_t o = i * K * K;
#define CELL_(name, type, description) .name = r->name + o,
#define TABLE_(name, type, description) .name = NAN,
    ds_lag_table_t t = {.K = K,
                        .counts = r->counts + o,
                        DS_LAG_CELL_STATS(CELL_)
                        DS_LAG_TABLE_STATS(TABLE_)};
#undef CELL_
#undef TABLE_
    return t;
}

/* The lag tables of session s, row i of the block; a table whose
 * numerics fail (IPF not converging) is a warning, not a failure. */
static int session_lags(const ds_analysis_opts_t *o, ds_analysis_t *a,
                        const ds_analysis_blocks_t *b, const ds_session_t *s,
                        size_t si, scratch_t *x, ds_analysis_failure_t *warn,
                        ds_error_t *e)
{
    size_t K = a->K, i = si - b->first;
    int64_t *freq = a->state_freq + si * K;
    memset(freq, 0, K * sizeof *freq);
    ds_lag_state_freq(s->state, s->n, K, freq);
    for (size_t l = 0; l < a->n_lags; l++) {
        ds_lag_result_t *r = &b->lag[l];
        ds_lag_table_t t = session_view(r, i, K);
        ds_analysis_lag_count(s, s->state, r->lag, K, t.counts);
        int rc = ds_lag_table_compute(&t, freq, (int64_t)s->n,
                                      r->lag == 1 ? o->zero : NULL, &o->lag,
                                      x->lw, e);
        if (rc == DS_ENUM) { /* statistics NaN: a warning */
            if (!warn->rc)
                ds_analysis_fail_at(warn, s, e);
        } else if (rc) {
            return rc;
        }
#define X_(name, type, description) r->name[i] = t.name;
        DS_LAG_TABLE_STATS(X_)
#undef X_
    }
    return DS_OK;
}

/* The time-window tallies of session s and their statistics, row i. */
static int session_window(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                          const ds_analysis_blocks_t *b,
                          const ds_session_t *s, size_t i, size_t K,
                          scratch_t *x, ds_error_t *e)
{
    const ds_window_result_t *w = &b->win;
    size_t off = i * K * K, n = K * K;
    /* tallied into the session's row, and its statistics computed from
     * there into the rows of their columns, several cells at a time */
    ds_window_counts_t row = {.k = K};
    ds_2x2_cols_t cols = {0};
#define X_(name, type, description) row.name = w->name + off;
    DS_WINDOW_CELL_COUNTS(X_)
#undef X_
#define X_(name, type, description) cols.name = w->name + off;
    DS_WINDOW_CELL_STATS(X_)
#undef X_
    int rc = ds_window_tally(c, s, &o->window_opts, x->ww, &row, e);
    if (rc)
        return rc;
    ds_2x2_stats_cols(row.a, row.b, row.c, row.d, n, o->lag.zero_correction,
                      &cols);
    return DS_OK;
}

/* The cycles of session si and their list, and its softening. */
static int session_cycles(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                          ds_analysis_t *a, const ds_session_t *s, size_t si,
                          scratch_t *x, ds_error_t *e)
{
    /* a cycle has at least min_len >= 2 events (checked by the module) */
    size_t min = o->cycles_opts.min_len > 1 ? o->cycles_opts.min_len : 2;
    size_t cap = s->n / min + 1, n_runs = 0;
    if (cap > x->runs_cap) {
        free(x->runs);
        x->runs_cap = 0;
        if (!(x->runs = malloc(cap * sizeof *x->runs)))
            return ds_error_set(e, DS_ENOMEM, "out of memory");
        x->runs_cap = cap;
    }
    int rc = ds_cycles_compute(c, s, &o->cycles_opts, &a->cycles[si],
                               x->runs, x->runs_cap, &n_runs, e);
    if (rc)
        return rc;
    if (n_runs > 0) {
        a->cycle_runs[si] = malloc(n_runs * sizeof **a->cycle_runs);
        if (!a->cycle_runs[si])
            return ds_error_set(e, DS_ENOMEM, "out of memory");
        memcpy(a->cycle_runs[si], x->runs, n_runs * sizeof *x->runs);
    }
    return ds_softening_compute(c, s, &o->cycles_opts,
                                &a->softening[2 * si], e);
}

/* Every statistic of session si. */
static void analyze_session(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                            ds_analysis_t *a, const ds_analysis_blocks_t *b,
                            size_t si, scratch_t *x,
                            ds_analysis_failure_t *f,
                            ds_analysis_failure_t *warn)
{
    const ds_session_t *s = &c->sessions[si];
    ds_error_t e = {0};
    int rc;
    /* the end scans the events' durations: once, for the duration too */
    a->start_s[si] = ds_session_start(s);
    a->end_s[si] = ds_session_end(s);
    a->duration_s[si] = ds_session_duration_of(s, a->start_s[si],
                                               a->end_s[si]);
    rc = session_lags(o, a, b, s, si, x, warn, &e);
    if (!rc && b->has_window)
        rc = session_window(c, o, b, s, si - b->first, a->K, x, &e);
    if (!rc && a->ap)
        rc = ds_analysis_ap_session(c, o, a, s, si, x->aw, &e);
    if (!rc && a->responsive)
        rc = ds_responsive_session(c, s, &o->responsive_opts,
                                   &a->responsive[2 * si], &e);
    if (!rc && a->cycles)
        rc = session_cycles(c, o, a, s, si, x, &e);
    if (rc)
        ds_analysis_fail_at(f, s, &e);
}

/* ---- the run -------------------------------------------------------- */

/* What one run owns besides its result. */
typedef struct run {
    const ds_corpus_t *c;
    const ds_analysis_opts_t *o;
    size_t *bounds;                       /* each rank's sessions (dist.h) */
    size_t lo, hi;                        /* this rank's: [lo, hi) */
    int threads;
    ds_analysis_t *a;
    ds_analysis_labels_t labels;
    ds_analysis_failure_t *fails, *warns; /* [S] */
    scratch_t *xs;                        /* [threads] */
    ds_analysis_blocks_t blocks;
    size_t rows_first, rows_n;            /* rows not sunk yet (a block's) */
    int begun;                            /* o->sink_begin called */
} run_t;

static void run_clear(run_t *x)
{
    size_t S = x->c->n_sessions;
    ds_analysis_failures_free(x->fails, S);
    ds_analysis_failures_free(x->warns, S);
    ds_analysis_labels_clear(&x->labels);
    for (int t = 0; x->xs && t < x->threads; t++)
        scratch_clear(&x->xs[t]);
    free(x->xs);
    ds_analysis_blocks_clear(&x->blocks);
    ds_analysis_free(x->a);
    free(x->bounds);
}

static int run_init(run_t *x, const ds_corpus_t *c,
                    const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t S = c->n_sessions;
    memset(x, 0, sizeof *x);
    x->c = c;
    x->o = o;
    x->threads = o->threads > 0 ? o->threads : 1;
    x->fails = calloc(ds_analysis_atleast1(S), sizeof *x->fails);
    x->warns = calloc(ds_analysis_atleast1(S), sizeof *x->warns);
    x->xs = calloc((size_t)x->threads, sizeof *x->xs);
    if ((x->bounds = ds_dist_sessions(o->dist, c))) {
        x->lo = x->bounds[ds_dist_rank(o->dist)];
        x->hi = x->bounds[ds_dist_rank(o->dist) + 1];
    }
    if (!x->fails || !x->warns || !x->xs || !x->bounds ||
        !(x->a = ds_analysis_alloc(c, o)) ||
        ds_analysis_labels_init(&x->labels, c) ||
        ds_analysis_blocks_init(&x->blocks, x->a, o))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (int t = 0; t < x->threads; t++)
        if (scratch_init(&x->xs[t], c->n_states))
            return ds_error_set(err, DS_ENOMEM, "out of memory");
    return DS_OK;
}

/* Whether the sinks' serial work overlaps computing: at two or more
 * threads in one process (issue 16). */
static int overlapped(const run_t *x)
{
    return x->threads > 1 && !x->o->dist;
}

/* The sinks' beginning (o->sink_begin), once. */
static int begin_sinks(run_t *x, ds_error_t *err)
{
    const ds_analysis_opts_t *o = x->o;
    if (x->begun)
        return DS_OK;
    x->begun = 1;
    if (!o->sink_begin)
        return DS_OK;
    double t0 = ds_analysis_wall();
    int rc = o->sink_begin(o->block_ctx, err);
    x->a->seconds_sink += ds_analysis_wall() - t0;
    return rc;
}

/* The rows not sunk yet (x->rows_first, x->rows_n: a block's), if any. */
static int sink_rows(run_t *x, ds_error_t *err)
{
    size_t n = x->rows_n;
    x->rows_n = 0;
    return n ? ds_analysis_rows_sink(x->rows_first, n, x->o, x->a, err)
             : DS_OK;
}

/* Sessions [first, first + n) in parallel, each writing only its own
 * rows; then, on this thread, their counts go to the pools and the block
 * to the sink. Overlapped, the calling thread first does the sinks'
 * serial work that does not need this block (the sinks' beginning before
 * the first block; the rows of the block before, x->rows_first and
 * x->rows_n: responsiveness and cycles) while the others start on this
 * block's sessions, so that nobody waits for that writing; this block's
 * rows are then left for the next block, or for compute_sessions after
 * the last. */
static int compute_block(run_t *x, size_t first, size_t n, ds_error_t *err)
{
    const ds_corpus_t *c = x->c;
    const ds_analysis_opts_t *o = x->o;
    ds_analysis_t *a = x->a;
    ds_analysis_blocks_t *b = &x->blocks;
    size_t KK = a->K * a->K;
    int defer = overlapped(x), rc_serial = DS_OK;
    ds_error_t err_serial = {0};
    ds_analysis_blocks_set(b, a, first, n);
#pragma omp parallel num_threads(x->threads)
    {
#ifdef _OPENMP
        int me = omp_get_thread_num();
#else
        int me = 0;
#endif
        scratch_t *xs = &x->xs[me];
        if (me == 0) {
            /* meanwhile the others compute: as in sink_and_pool, writing
             * that overlaps computing is not counted as writing time */
            double sink0 = a->seconds_sink;
            rc_serial = begin_sinks(x, &err_serial);
            if (!rc_serial)
                rc_serial = sink_rows(x, &err_serial);
            a->seconds_sink = sink0;
        }
        /* runs of 16 sessions: neighbours' per-session slots (durations,
         * g2, state frequencies, row structs) share cache lines, and one
         * session at a time made the threads write the same lines */
#pragma omp for schedule(dynamic, 16)
        for (size_t s = first; s < first + n; s++) {
            ds_analysis_blocks_reset_row(b, s - first, KK);
            analyze_session(c, o, a, b, s, xs, &x->fails[s], &x->warns[s]);
            if (o->progress)
                o->progress(o->progress_ctx, c->sessions[s].n);
        }
    }
    if (rc_serial) {
        *err = err_serial;
        return rc_serial;
    }
    int rc = ds_analysis_first_failure(x->fails + first, n, err);
    if ((rc = ds_dist_agree(o->dist, rc, err))) /* all ranks stop */
        return rc;
    ds_analysis_pool_add_block(c, a, b);
    if ((rc = ds_analysis_blocks_sink(b, o, a, err)))
        return rc;
    x->rows_first = first;
    x->rows_n = n;
    return defer ? DS_OK : sink_rows(x, err);
}

/* Every session of this rank, block after block in session order, the
 * blocks ending on multiples of the block size (whole chunks of the file);
 * under MPI every rank runs as many blocks as the rank with most (empty
 * ones last), then all get all the results. Then the numerical warnings,
 * in session order whatever the threads and ranks. */
static int compute_sessions(run_t *x, ds_diag_t *diag, ds_error_t *err)
{
    size_t S = x->a->S, B = x->blocks.rows, lo = x->lo, hi = x->hi;
    size_t n_blocks = hi > lo ? (hi - 1) / B - lo / B + 1 : 0;
    size_t rounds = ds_dist_max(x->o->dist, n_blocks), first = lo;
    double t0 = ds_analysis_wall();
    for (size_t k = 0; k < rounds; k++) {
        size_t end = (first / B + 1) * B < hi ? (first / B + 1) * B : hi;
        int rc = compute_block(x, first, end - first, err);
        if (rc)
            return rc;
        first = end;
    }
    int rc = begin_sinks(x, err); /* begun already, unless no block */
    if (!rc)
        rc = sink_rows(x, err); /* the last block's */
    if (rc)
        return rc;
    rc = x->o->dist ? ds_analysis_dist_merge(x->c, x->a, x->warns,
                                             x->bounds, x->o->dist, err)
                    : DS_OK;
    if (rc)
        return rc;
    x->a->seconds_compute = ds_analysis_wall() - t0;
    for (size_t s = 0; s < S; s++)
        if (x->warns[s].rc)
            ds_diag_warning(diag, NULL, 0, NULL, "%s; its statistics are NaN",
                            x->warns[s].msg ? x->warns[s].msg
                                            : "numerical failure");
    /* the block buffers (up to ~16 MiB) are not needed by the pooling
     * steps, which are the peak of memory: give them back now */
    ds_analysis_blocks_clear(&x->blocks);
    for (int t = 0; t < x->threads; t++)
        scratch_clear(&x->xs[t]);
    return DS_OK;
}

static int permute(run_t *x, ds_error_t *err)
{
    double t0 = ds_analysis_wall();
    int rc = ds_analysis_permute(x->c, x->o, x->a, &x->labels, err);
    x->a->seconds_permute = ds_analysis_wall() - t0;
    return rc;
}

/* The pooling steps on `threads` threads (with_km: Kaplan-Meier too). */
static int pool(run_t *x, int threads, int with_km, ds_diag_t *diag,
                ds_error_t *err)
{
    const ds_corpus_t *c = x->c;
    const ds_analysis_opts_t *o = x->o;
    int rc = ds_analysis_pool_lags(c, o, x->a, &x->labels, threads, diag,
                                   err);
    if (!rc)
        rc = ds_analysis_pool_windows(o, x->a, &x->labels, err);
    if (!rc && x->a->ap)
        rc = ds_analysis_pool_ap(x->a, &x->labels, threads, err);
    if (!rc && x->a->responsive && with_km)
        rc = ds_analysis_pool_km(c, o, x->a, threads, err);
    return rc;
}

/* The pooled sink, when there is one to call now (not with permutations:
 * their p-values are written with the pooled tables, after them). */
static int pooled_sink(run_t *x, ds_error_t *err)
{
    const ds_analysis_opts_t *o = x->o;
    if (!o->pooled_sink || o->permutations)
        return DS_OK;
    return o->pooled_sink(o->block_ctx, x->a, err);
}

/* One thread's mark that pooling (all but the curves) is done. */
typedef struct pool_done {
    atomic_int done;
    int rc;
} pool_done_t;

static void pool_done_wait(pool_done_t *p)
{
    while (!atomic_load_explicit(&p->done, memory_order_acquire))
        sched_yield();
}

/*
 * The sessions sink, then pooling; at two or more threads in one process
 * both at once: the sink on the calling thread (a writer's HDF5 calls stay
 * on it, where HDF5's error printing is off and MPI expects them), pooling
 * on another (one nested level more for its own parallel loops), and the
 * two bidders' pooled curves on whichever thread is free first. When the
 * calling thread is done with the sink, it pools a curve if pooling is
 * still going on, then writes what pooling gave (the pooled sink) while
 * the other thread pools the curves left. The HDF5 calls come in the same
 * order at any thread count: the sessions sink, then the pooled sink. The
 * time the writing takes beyond the other thread's pooling counts as sink
 * time.
 */
static int sink_and_pool(run_t *x, ds_diag_t *diag, ds_error_t *err)
{
    const ds_analysis_opts_t *o = x->o;
    double t0 = ds_analysis_wall();
    if (!o->sessions_sink) {
        int rc = pool(x, x->threads, 1, diag, err);
        return rc ? rc : pooled_sink(x, err);
    }
    if (x->threads < 2 || o->dist) {
        int rc = o->sessions_sink(o->block_ctx, x->a, err);
        x->a->seconds_sink += ds_analysis_wall() - t0;
        if (!rc)
            rc = pool(x, x->threads, 1, diag, err);
        if (!rc) {
            double t1 = ds_analysis_wall();
            rc = pooled_sink(x, err);
            x->a->seconds_sink += ds_analysis_wall() - t1;
        }
        return rc;
    }
    /* the two bidders' curves need only the sessions' observations: each
     * thread pools whichever is left when it is done with its own part,
     * so that neither waits for the other */
    int km = x->a->responsive != NULL;
    /* without responsiveness there are no jobs to take */
    ds_analysis_km_run_t k = {.next = DS_ANALYSIS_KM_JOBS};
    if (km) {
        int rc = ds_analysis_km_begin(x->c, x->a, &k, err);
        if (rc)
            return rc;
    }
    int rc_sink = DS_OK;
    pool_done_t pooled = {.rc = DS_OK};
    atomic_init(&pooled.done, 0);
    double t_pool = 0, t_sink = 0;
    ds_error_t err_sink = {0};
#ifdef _OPENMP
    int levels = omp_get_max_active_levels();
    if (levels < 2)
        omp_set_max_active_levels(2);
#endif
#pragma omp parallel num_threads(2)
    {
#ifdef _OPENMP
        int me = omp_get_thread_num(), team = omp_get_num_threads();
#else
        int me = 0, team = 1;
#endif
        if (me == 0) {
            rc_sink = o->sessions_sink(o->block_ctx, x->a, &err_sink);
            if (team == 1 && !rc_sink) { /* no second thread after all */
                pooled.rc = pool(x, 1, 0, diag, err);
                atomic_store_explicit(&pooled.done, 1, memory_order_release);
            }
            if (!rc_sink) {
                /* curves while the other thread still pools */
                while (!atomic_load_explicit(&pooled.done,
                                             memory_order_acquire) &&
                       ds_analysis_km_take(x->c, x->a, &k, 1))
                    ;
                pool_done_wait(&pooled);
                if (!pooled.rc)
                    rc_sink = pooled_sink(x, &err_sink);
                ds_analysis_km_take(x->c, x->a, &k, DS_ANALYSIS_KM_JOBS);
            }
            t_sink = ds_analysis_wall() - t0;
        } else if (me == 1) {
            pooled.rc = pool(x, x->threads - 1, 0, diag, err);
            atomic_store_explicit(&pooled.done, 1, memory_order_release);
            ds_analysis_km_take(x->c, x->a, &k, DS_ANALYSIS_KM_JOBS);
            t_pool = ds_analysis_wall() - t0;
        }
    }
#ifdef _OPENMP
    if (levels < 2)
        omp_set_max_active_levels(levels);
#endif
    /* the writing's time beyond the other thread's pooling */
    double extra = t_sink - t_pool;
    x->a->seconds_sink += extra > 0 ? extra : 0;
    if (rc_sink) {
        *err = err_sink;
        return rc_sink;
    }
    if (pooled.rc)
        return pooled.rc;
    return km ? ds_analysis_km_end(o, x->a, &k, err) : DS_OK;
}

int ds_analysis_run(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                    ds_analysis_t **out, ds_diag_t *diag, ds_error_t *err)
{
    run_t x;
    *out = NULL;
    int rc = ds_dist_agree(o->dist, run_init(&x, c, o, err), err);
    /* not overlapped, the sinks begin before any session is computed */
    if (!rc && !overlapped(&x))
        rc = begin_sinks(&x, err);
    if (!rc)
        rc = compute_sessions(&x, diag, err);
    if (!rc)
        rc = sink_and_pool(&x, diag, err);
    if (!rc && o->permutations)
        rc = permute(&x, err);
    if (!rc) { /* the result is the caller's; the rest is scratch */
        *out = x.a;
        x.a = NULL;
    }
    run_clear(&x);
    return rc;
}
