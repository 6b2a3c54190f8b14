/*
 * layout_stream.c — /lag/<k> and /window (see layout.h): the per-session
 * datasets streamed block by block from the analysis' block sink, then
 * the pooled tables and couple summaries. Every statistic is written by
 * its list in statlist.h, in list order, which is the order of the file.
 */
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* A couple summary: <stat>_<part> for every part (DS_SUMMARY_PARTS). */
int ds_layout_write_summary(ds_results_t *r, const char *group,
                            const char *stat, const ds_summary_t *sm,
                            const size_t dims[2], ds_error_t *err)
{
    int rc = DS_OK;
#define X_(part, type, description)                                          \
    if (rc == DS_OK) {                                                       \
        char *path = ds_layout_path_summary(group, stat, #part);             \
        rc = !path ? ds_error_set(err, DS_ENOMEM, "out of memory")           \
             : _Generic((type)0, double: ds_results_write_double,            \
                        int64_t: ds_results_write_int64)(                    \
                   r, path, 2, dims, sm->part, DS_DIMS_FROM_TO, err);        \
        free(path);                                                          \
    }
    DS_SUMMARY_PARTS(X_)
#undef X_
    return rc;
}

/* A pooled table, its permutation p-values and its summaries: the table
 * under `table_group`, the summaries under `summary_group`. */
static int write_pool(ds_results_t *r, const ds_lag_pool_t *p, size_t K,
                      const uint8_t *mask, const char *table_group,
                      const char *summary_group, const char *label,
                      ds_error_t *err)
{
    size_t dims[2] = {K, K};
    const ds_lag_table_t *t = p->table;
    TRY(ds_layout_put_int64(r, table_group, DS_LAG_COUNTS, 2, dims, t->counts,
                            DS_DIMS_FROM_TO, err));
#define X_(name, type, description)                                          \
    TRY(ds_layout_put_double(r, table_group, #name, 2, dims, t->name,        \
                             DS_DIMS_FROM_TO, err));
    DS_LAG_CELL_STATS(X_)
#undef X_
    TRY(ds_layout_put_uint8(r, table_group, DS_LAG_STRUCTURAL_ZERO, 2, dims,
                            mask, DS_DIMS_FROM_TO, err));
    if (p->permutation_p)
        TRY(ds_layout_put_double(r, table_group, DS_LAG_PERMUTATION_P, 2, dims,
                                 p->permutation_p, DS_DIMS_FROM_TO, err));
#define X_(name, type, description)                                          \
    TRY(ds_layout_put_scalar_double(r, table_group, #name, t->name, err));
    DS_LAG_TABLE_STATS(X_)
#undef X_
    TRY(ds_layout_put_scalar_int64(r, table_group, DS_LAG_N_EVENTS,
                                   p->n_events, err));
    if (label)
        TRY(ds_results_attr_string(r, table_group, DS_ATTR_LABEL, label,
                                   err));
#define X_(name, type, description)                                          \
    TRY(ds_layout_write_summary(r, summary_group, #name, p->summary_##name, \
                                dims, err));
    DS_LAG_SUMMARY_STATS(X_)
#undef X_
    if (label)
        TRY(ds_results_attr_string(r, summary_group, DS_ATTR_LABEL, label,
                                   err));
    return DS_OK;
}

/*
 * Streaming: the per-session [S, K, K] and [S] datasets of /lag and the
 * [S, K, K] datasets of /window are begun in SPEC order before the
 * analysis runs and filled block by block from its block sink, so the
 * whole arrays are never held in memory (issue #7). HDF5 keeps creation
 * order per group, and within every group objects are created in the
 * order they always were, so listings and exports are unchanged.
 */

/* Per-session datasets of one lag, in creation order: the counts, the
 * per-cell statistics, the permutation p-values, the table-wise ones. */
#define X_(name, type, description) +1
enum { N_CELL = 0 DS_LAG_CELL_STATS(X_), N_TABLE = 0 DS_LAG_TABLE_STATS(X_),
       N_WCOUNT = 0 DS_WINDOW_CELL_COUNTS(X_),
       N_WSTAT = 0 DS_WINDOW_CELL_STATS(X_) };
#undef X_
enum { LD_COUNTS, LD_CELL0, LD_PERM = LD_CELL0 + N_CELL, LD_TABLE0,
       LD_N = LD_TABLE0 + N_TABLE };
/* Per-session datasets of /window: the counts, then the statistics. */
enum { WD_N = N_WCOUNT + N_WSTAT };
#define X_(name, type, description) #name,
static const char *const cell_names[N_CELL] = {DS_LAG_CELL_STATS(X_)};
static const char *const table_names[N_TABLE] = {DS_LAG_TABLE_STATS(X_)};
static const char *const window_names[WD_N] = {
    DS_WINDOW_CELL_COUNTS(X_) DS_WINDOW_CELL_STATS(X_)};
#undef X_

struct ds_layout_stream {
    ds_results_t *r;
    const ds_corpus_t *c;
    size_t S, K, n_lags;
    size_t *lags;
    ds_results_dset_t **lag_d;   /* [n_lags * LD_N]; LD_PERM may be NULL */
    ds_results_dset_t *win_d[WD_N];
    int window;
    uint8_t *zero;               /* [K*K] lag-1 structural zeros, or NULL */
    const ds_analysis_opts_t *o; /* the caller's: the sink and end read it */
    int sessions_done;           /* ds_layout_stream_sessions has run */
    int pooled_done;             /* ds_layout_stream_pooled has run */
    ds_layout_rows_t *rows;      /* curve points and cycles fed so far */
};

void ds_layout_stream_free(ds_layout_stream_t *ls)
{
    if (!ls)
        return;
    /* open datasets are freed by ds_results_abort */
    free(ls->lag_d);
    free(ls->lags);
    free(ls->zero);
    ds_layout_rows_free(ls->rows);
    free(ls);
}

size_t ds_layout_block_rows(size_t K, size_t n_lags, int window)
{
    /* whole chunks of the [S, K, K] datasets, about 16 MiB of buffers */
    size_t row = K * K * sizeof(double);
    size_t per = row * (9 * n_lags + (window ? 8 : 0)) + 1;
    size_t chunk = ds_results_chunk_rows(row), m = 1;
    while (chunk * (m + 1) * per <= ((size_t)16 << 20) && m < 4)
        m++;
    return chunk * m;
}

/* The per-session datasets of lag `lag`, in creation order, into d. */
static int begin_lag(ds_results_t *r, size_t lag, size_t S, size_t K,
                     int permutations, ds_results_dset_t **d,
                     ds_error_t *err)
{
    size_t d3[3] = {S, K, K}, d1[1] = {S};
    char *base = ds_layout_path_lag(lag, NULL, NULL);
    char *group = ds_layout_path_lag(lag, DS_LAG_SESSION, NULL);
    int rc = DS_OK;
    if (!base || !group) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc =
             ds_results_attr_int64(r, base, DS_ATTR_LAG, (int64_t)lag, err)) ||
        (rc = ds_layout_begin_in(r, group, DS_LAG_COUNTS, DS_RESULTS_INT64, 3,
                                 d3, DS_DIMS_SESSION_FROM_TO, &d[LD_COUNTS],
                                 err)))
        goto done;
    for (int i = 0; i < N_CELL; i++)
        if ((rc = ds_layout_begin_in(
                 r, group, cell_names[i], DS_RESULTS_DOUBLE, 3, d3,
                 DS_DIMS_SESSION_FROM_TO, &d[LD_CELL0 + i], err)))
            goto done;
    if (permutations &&
        (rc = ds_layout_begin_in(r, group, DS_LAG_PERMUTATION_P,
                                 DS_RESULTS_DOUBLE, 3, d3,
                                 DS_DIMS_SESSION_FROM_TO, &d[LD_PERM], err)))
        goto done;
    for (int i = 0; i < N_TABLE; i++)
        if ((rc = ds_layout_begin_in(r, group, table_names[i],
                                     DS_RESULTS_DOUBLE, 1, d1, DS_DIM_SESSION,
                                     &d[LD_TABLE0 + i], err)))
            goto done;
done:
    free(base);
    free(group);
    return rc;
}

/* The attributes and per-session datasets of /window. */
static int begin_window(ds_layout_stream_t *ls, const ds_analysis_opts_t *o,
                        ds_error_t *err)
{
    ds_results_t *r = ls->r;
    size_t d3[3] = {ls->S, ls->K, ls->K};
    const ds_window_opts_t *w = &o->window_opts;
    TRY(ds_results_attr_int64(r, DS_PATH_WINDOW, DS_ATTR_WINDOW_LO, w->lo,
                              err));
    TRY(ds_results_attr_int64(r, DS_PATH_WINDOW, DS_ATTR_WINDOW_HI, w->hi,
                              err));
    TRY(ds_results_attr_double(r, DS_PATH_WINDOW, DS_ATTR_WINDOW_TIME_UNIT_S,
                               w->unit_s, err));
    TRY(ds_results_attr_string(r, DS_PATH_WINDOW, DS_ATTR_WINDOW_TARGET,
                               w->target_ongoing ? DS_VAL_TARGET_ONGOING
                                                 : DS_VAL_TARGET_ONSET,
                               err));
    if (w->edges == DS_WINDOW_EDGES_DROP) /* keep, the default, unsaid */
        TRY(ds_results_attr_string(r, DS_PATH_WINDOW, DS_ATTR_WINDOW_EDGES,
                                   DS_VAL_EDGES_DROP, err));
    for (int i = 0; i < WD_N; i++)
        TRY(ds_layout_begin_in(
            r, DS_PATH_WINDOW_SESSION, window_names[i],
            i < N_WCOUNT ? DS_RESULTS_INT64 : DS_RESULTS_DOUBLE, 3, d3,
            DS_DIMS_SESSION_FROM_TO, &ls->win_d[i], err));
    return DS_OK;
}

int ds_layout_stream_begin(ds_results_t *r, const ds_corpus_t *c,
                           const ds_analysis_opts_t *o, const uint8_t *zero,
                           ds_layout_stream_t **out, ds_error_t *err)
{
    size_t S = c->n_sessions, K = c->n_states;
    int rc = DS_OK;
    *out = NULL;
    ds_layout_stream_t *ls = calloc(1, sizeof *ls);
    if (!ls)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    ls->r = r;
    ls->c = c;
    ls->o = o;
    ls->S = S;
    ls->K = K;
    ls->n_lags = o->n_lags;
    ls->lags = malloc((o->n_lags ? o->n_lags : 1) * sizeof *ls->lags);
    ls->lag_d = calloc((o->n_lags ? o->n_lags : 1) * LD_N,
                       sizeof *ls->lag_d);
    if (zero && (ls->zero = malloc(K * K)))
        memcpy(ls->zero, zero, K * K);
    if (!ls->lags || !ls->lag_d || (zero && !ls->zero)) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t l = 0; l < o->n_lags && !rc; l++) {
        ls->lags[l] = o->lags[l];
        rc = begin_lag(r, o->lags[l], S, K, o->permutations > 0,
                       ls->lag_d + l * LD_N, err);
    }
    ls->window = ds_analysis_window_skipped(c, o) == NULL;
    if (!rc && ls->window)
        rc = begin_window(ls, o, err);
done:
    if (rc) {
        ds_layout_stream_free(ls);
        return rc;
    }
    *out = ls;
    return DS_OK;
}

/* The block's rows of every per-session dataset, in the order they were
 * always written; their chunks are compressed together (all threads).
 * (The block's rows of this process: under MPI each rank gives its own,
 * all ranks together, block after block; results.h) */
static int stream_tables(ds_layout_stream_t *ls, const ds_analysis_block_t *b,
                         ds_error_t *err)
{
    size_t n = 0, cap = ls->n_lags * LD_N + WD_N;
    ds_results_dset_t **d = malloc(cap * sizeof *d);
    const void **v = malloc(cap * sizeof *v);
    if (!d || !v) {
        free(d);
        free(v);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    for (size_t l = 0; l < ls->n_lags; l++) {
        ds_results_dset_t **ld = ls->lag_d + l * LD_N;
        const ds_lag_result_t *x = &b->lag[l];
#define X_(name, type, description) x->name,
        const double *cell[N_CELL] = {DS_LAG_CELL_STATS(X_)};
        const double *table[N_TABLE] = {DS_LAG_TABLE_STATS(X_)};
#undef X_
        d[n] = ld[LD_COUNTS];
        v[n++] = x->counts;
        for (int i = 0; i < N_CELL; i++) {
            d[n] = ld[LD_CELL0 + i];
            v[n++] = cell[i];
        }
        for (int i = 0; i < N_TABLE; i++) {
            d[n] = ld[LD_TABLE0 + i];
            v[n++] = table[i];
        }
    }
    if (ls->window && b->window) {
        const ds_window_result_t *w = b->window;
#define X_(name, type, description) w->name,
        const void *wv[WD_N] = {DS_WINDOW_CELL_COUNTS(X_)
                                    DS_WINDOW_CELL_STATS(X_)};
#undef X_
        for (int i = 0; i < WD_N; i++) {
            d[n] = ls->win_d[i];
            v[n++] = wv[i];
        }
    }
    int rc = ds_results_append_block(d, v, n, b->first, b->n, err);
    free(d);
    free(v);
    return rc;
}

int ds_layout_stream_block(void *vls, const ds_analysis_block_t *b,
                           ds_error_t *err)
{
    ds_layout_stream_t *ls = vls;
    /* the tables (lag set), the rows, or both: in that order for each
     * block (analysis.h) */
    if (b->lag)
        TRY(stream_tables(ls, b, err));
    return ds_layout_rows_feed(&ls->rows, ls->r, b->first, b->n,
                               b->responsive, b->cycles, b->cycle_runs, err);
}

/* The pooled tables and couple summaries of one lag: all sessions, then
 * each label. */
static int write_lag_pools(ds_layout_stream_t *ls, const ds_lag_result_t *lr,
                           size_t n_labels, ds_error_t *err)
{
    const ds_corpus_t *c = ls->c;
    size_t K = ls->K;
    char *g1 = NULL, *g2 = NULL;
    int rc = DS_ENOMEM;
    /* structural zeros constrain lag 1 only (SPEC 4.2) */
    uint8_t *mask = calloc(K * K + 1, 1);
    if (!mask)
        goto oom;
    if (ls->zero && lr->lag == 1)
        memcpy(mask, ls->zero, K * K);
    g1 = ds_layout_path_lag(lr->lag, DS_LAG_POOLED, NULL);
    g2 = ds_layout_path_lag(lr->lag, DS_LAG_COUPLE_SUMMARY, NULL);
    if (!g1 || !g2)
        goto oom;
    rc = write_pool(ls->r, &lr->pooled, K, mask, g1, g2, NULL, err);
    for (size_t lb = 0; rc == DS_OK && lb < n_labels; lb++) {
        free(g1);
        free(g2);
        g1 = ds_layout_path_lag_label(lr->lag, DS_LAG_POOLED_BY_LABEL,
                                      c->labels[lb], NULL);
        g2 = ds_layout_path_lag_label(lr->lag, DS_LAG_COUPLE_SUMMARY_BY_LABEL,
                                      c->labels[lb], NULL);
        if (!g1 || !g2)
            goto oom;
        rc = write_pool(ls->r, &lr->by_label[lb], K, mask, g1, g2,
                        c->labels[lb], err);
    }
    goto done;
oom:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory");
done:
    free(mask);
    free(g1);
    free(g2);
    return rc;
}

/* /window/pooled: the summed 2x2 cells and their statistics. */
static int write_window_pooled(ds_results_t *r, const ds_window_result_t *w,
                               size_t K, ds_error_t *err)
{
    size_t d2[2] = {K, K};
#define X_(name, type, description)                                          \
    TRY(ds_layout_put_int64(r, DS_PATH_WINDOW_POOLED, #name, 2, d2,          \
                            w->pooled->name, DS_DIMS_FROM_TO, err));
    DS_WINDOW_CELL_COUNTS(X_)
#undef X_
#define X_(name, type, description)                                          \
    TRY(ds_layout_put_double(r, DS_PATH_WINDOW_POOLED, #name, 2, d2,         \
                             w->pooled_##name, DS_DIMS_FROM_TO, err));
    DS_WINDOW_CELL_STATS(X_)
#undef X_
    return DS_OK;
}

/* Close the per-session datasets (after the permutation p-values), then
 * write what comes after them: pooled tables, summaries, /window/pooled. */
static int stream_finish(ds_layout_stream_t *ls, const ds_analysis_t *a,
                         ds_error_t *err)
{
    for (size_t l = 0; l < ls->n_lags; l++) {
        ds_results_dset_t **d = ls->lag_d + l * LD_N;
        if (d[LD_PERM] && a->lag[l].permutation_p)
            TRY(ds_results_append(d[LD_PERM], ls->S,
                                  a->lag[l].permutation_p, err));
        for (int i = 0; i < LD_N; i++)
            if (d[i]) {
                ds_results_dset_t *x = d[i];
                d[i] = NULL;
                TRY(ds_results_end(x, err));
            }
    }
    if (ls->window)
        for (int i = 0; i < WD_N; i++) {
            ds_results_dset_t *x = ls->win_d[i];
            ls->win_d[i] = NULL;
            TRY(ds_results_end(x, err));
        }
    for (size_t l = 0; l < ls->n_lags; l++)
        TRY(write_lag_pools(ls, &a->lag[l], a->n_labels, err));
    if (ls->window && a->window) {
        TRY(write_window_pooled(ls->r, a->window, ls->K, err));
        TRY(ds_layout_window_summaries(ls->r, ls->c, a->window, ls->K, err));
    }
    return DS_OK;
}

int ds_layout_stream_sessions(void *vls, const ds_analysis_t *a,
                              ds_error_t *err)
{
    ds_layout_stream_t *ls = vls;
    ls->sessions_done = 1;
    TRY(ds_layout_session_columns(ls->r, a, err));
    return ds_layout_dyadic(ls->r, ls->c, a, ls->o, &ls->rows, err);
}

int ds_layout_stream_pooled(void *vls, const ds_analysis_t *a,
                            ds_error_t *err)
{
    ds_layout_stream_t *ls = vls;
    ls->pooled_done = 1;
    return stream_finish(ls, a, err);
}

int ds_layout_stream_end(ds_layout_stream_t *ls, const ds_analysis_t *a,
                         ds_error_t *err)
{
    if (!ls->sessions_done) /* the analysis had no sessions sink */
        TRY(ds_layout_stream_sessions(ls, a, err));
    if (!ls->pooled_done) /* no pooled sink, or permutations */
        TRY(stream_finish(ls, a, err));
    TRY(ds_layout_dyadic_pooled(ls->r, ls->c, a, err));
    return ds_layout_ap(ls->r, ls->c, a, ls->o, err);
}


