/*
 * layout.c — the SPEC 5 layout of analysis results (see layout.h).
 */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_paths.h"
#include "version.h"

#define TRY(call)                                                            \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_)                                                             \
            return rc_;                                                      \
    } while (0)

/* ---- writing at a built path ----------------------------------------- */

/* group/name, or NULL with an out-of-memory error in err. */
static char *path_in(const char *group, const char *name, ds_error_t *err)
{
    char *p = ds_layout_path_join(group, name);
    if (!p)
        ds_error_set(err, DS_ENOMEM, "out of memory");
    return p;
}

static int write_double_in(ds_results_t *r, const char *group,
                           const char *name, size_t rank, const size_t *dims,
                           const double *v, const char *dimnames,
                           ds_error_t *err)
{
    char *p = path_in(group, name, err);
    int rc = p ? ds_results_write_double(r, p, rank, dims, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

static int write_int64_in(ds_results_t *r, const char *group,
                          const char *name, size_t rank, const size_t *dims,
                          const int64_t *v, const char *dimnames,
                          ds_error_t *err)
{
    char *p = path_in(group, name, err);
    int rc = p ? ds_results_write_int64(r, p, rank, dims, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

static int write_uint8_in(ds_results_t *r, const char *group,
                          const char *name, size_t rank, const size_t *dims,
                          const uint8_t *v, const char *dimnames,
                          ds_error_t *err)
{
    char *p = path_in(group, name, err);
    int rc = p ? ds_results_write_uint8(r, p, rank, dims, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

static int write_strings_in(ds_results_t *r, const char *group,
                            const char *name, size_t n,
                            const char *const *v, const char *dimnames,
                            ds_error_t *err)
{
    char *p = path_in(group, name, err);
    int rc = p ? ds_results_write_strings(r, p, n, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

static int scalar_double_in(ds_results_t *r, const char *group,
                            const char *name, double v, ds_error_t *err)
{
    char *p = path_in(group, name, err);
    int rc = p ? ds_results_write_scalar_double(r, p, v, err) : DS_ENOMEM;
    free(p);
    return rc;
}

static int scalar_int64_in(ds_results_t *r, const char *group,
                           const char *name, int64_t v, ds_error_t *err)
{
    char *p = path_in(group, name, err);
    int rc = p ? ds_results_write_scalar_int64(r, p, v, err) : DS_ENOMEM;
    free(p);
    return rc;
}

static int begin_in(ds_results_t *r, const char *group, const char *name,
                    ds_results_type_t type, size_t rank, const size_t *dims,
                    const char *dimnames, ds_results_dset_t **out,
                    ds_error_t *err)
{
    char *p = path_in(group, name, err);
    int rc = p ? ds_results_begin(r, p, type, rank, dims, dimnames, out, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

int ds_layout_corpus(ds_results_t *r, const ds_corpus_t *c,
                     const ds_analysis_t *a, const ds_provenance_t *p,
                     ds_error_t *err)
{
    size_t S = c->n_sessions;
    const char **sha = malloc((c->n_files ? c->n_files : 1) * sizeof *sha);
    if (!sha)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_files; i++)
        sha[i] = c->sha256[i];
    ds_results_provenance_t prov = {
        .command_line = p->command_line,
        .parameters = p->parameters_json,
        .seed = (unsigned long)p->seed,
        .n_inputs = c->n_files,
        .input_files = (const char *const *)c->files,
        .input_sha256 = sha};
    int rc = ds_results_write_provenance(r, &prov, err);
    free(sha);
    if (rc)
        return rc;

    TRY(ds_results_write_strings(r, DS_PATH_STATES_LABEL, c->n_states,
                                 (const char *const *)c->state_label,
                                 DS_DIM_STATE, err));
    const ds_codebook_t *cb = c->codebook;
    TRY(ds_results_write_strings(r, DS_PATH_CODEBOOK_CODE, cb->n,
                                 (const char *const *)cb->code, DS_DIM_CODE,
                                 err));
    const char **roles = malloc((cb->n ? cb->n : 1) * sizeof *roles);
    if (!roles)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t i = 0; i < cb->n; i++)
        roles[i] = ds_role_name(cb->role[i]);
    rc = ds_results_write_strings(r, DS_PATH_CODEBOOK_ROLE, cb->n, roles,
                                  DS_DIM_CODE, err);
    free(roles);
    if (rc)
        return rc;
    TRY(ds_results_write_strings(r, DS_PATH_CODEBOOK_DESCRIPTION, cb->n,
                                 (const char *const *)cb->description,
                                 DS_DIM_CODE, err));

    const char **couple = malloc((S ? S : 1) * sizeof *couple);
    const char **label = malloc((S ? S : 1) * sizeof *label);
    int64_t *n_events = malloc((S ? S : 1) * sizeof *n_events);
    if (!couple || !label || !n_events) {
        free(couple);
        free(label);
        free(n_events);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    for (size_t s = 0; s < S; s++) {
        couple[s] = c->sessions[s].couple;
        label[s] = c->sessions[s].label;
        n_events[s] = (int64_t)c->sessions[s].n;
    }
    size_t dims[1] = {S};
    rc = ds_results_write_strings(r, DS_PATH_SESSIONS_COUPLE, S, couple,
                                  DS_DIM_SESSION, err);
    if (!rc)
        rc = ds_results_write_strings(r, DS_PATH_SESSIONS_SESSION, S, label,
                                      DS_DIM_SESSION, err);
    if (!rc)
        rc = ds_results_write_int64(r, DS_PATH_SESSIONS_N_EVENTS, 1, dims,
                                    n_events, DS_DIM_SESSION, err);
    free(couple);
    free(label);
    free(n_events);
    if (rc)
        return rc;
    return a ? ds_layout_session_columns(r, a, err) : DS_OK;
}

int ds_layout_session_columns(ds_results_t *r, const ds_analysis_t *a,
                              ds_error_t *err)
{
    size_t dims[1] = {a->S};
    TRY(ds_results_write_double(r, DS_PATH_SESSIONS_DURATION_S, 1, dims,
                                a->duration_s, DS_DIM_SESSION, err));
    TRY(ds_results_write_double(r, DS_PATH_SESSIONS_FIRST_ONSET_S, 1, dims,
                                a->first_onset_s, DS_DIM_SESSION, err));
    return DS_OK;
}

/* A couple summary: <stat>_<part> for every part (DS_SUMMARY_PARTS). */
static int write_summary(ds_results_t *r, const char *group, const char *stat,
                         const ds_summary_t *sm, const size_t dims[2],
                         ds_error_t *err)
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
    TRY(write_int64_in(r, table_group, DS_LAG_COUNTS, 2, dims, t->counts,
                       DS_DIMS_FROM_TO, err));
#define X_(name, type, description)                                          \
    TRY(write_double_in(r, table_group, #name, 2, dims, t->name,             \
                        DS_DIMS_FROM_TO, err));
    DS_LAG_CELL_STATS(X_)
#undef X_
    TRY(write_uint8_in(r, table_group, DS_LAG_STRUCTURAL_ZERO, 2, dims, mask,
                       DS_DIMS_FROM_TO, err));
    if (p->permutation_p)
        TRY(write_double_in(r, table_group, DS_LAG_PERMUTATION_P, 2, dims,
                            p->permutation_p, DS_DIMS_FROM_TO, err));
#define X_(name, type, description)                                          \
    TRY(scalar_double_in(r, table_group, #name, t->name, err));
    DS_LAG_TABLE_STATS(X_)
#undef X_
    TRY(scalar_int64_in(r, table_group, DS_LAG_N_EVENTS, p->n_events, err));
    if (label)
        TRY(ds_results_attr_string(r, table_group, DS_ATTR_LABEL, label,
                                   err));
#define X_(name, type, description)                                          \
    TRY(write_summary(r, summary_group, #name, p->summary_##name, dims, err));
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
};

void ds_layout_stream_abort(ds_layout_stream_t *ls)
{
    if (!ls)
        return;
    /* open datasets are freed by ds_results_abort */
    free(ls->lag_d);
    free(ls->lags);
    free(ls->zero);
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
    if ((rc = ds_results_attr_int64(r, base, DS_ATTR_LAG, (int64_t)lag,
                                    err)) ||
        (rc = begin_in(r, group, DS_LAG_COUNTS, DS_RESULTS_INT64, 3, d3,
                       DS_DIMS_SESSION_FROM_TO, &d[LD_COUNTS], err)))
        goto done;
    for (int i = 0; i < N_CELL; i++)
        if ((rc = begin_in(r, group, cell_names[i], DS_RESULTS_DOUBLE, 3, d3,
                           DS_DIMS_SESSION_FROM_TO, &d[LD_CELL0 + i], err)))
            goto done;
    if (permutations &&
        (rc = begin_in(r, group, DS_LAG_PERMUTATION_P, DS_RESULTS_DOUBLE, 3,
                       d3, DS_DIMS_SESSION_FROM_TO, &d[LD_PERM], err)))
        goto done;
    for (int i = 0; i < N_TABLE; i++)
        if ((rc = begin_in(r, group, table_names[i], DS_RESULTS_DOUBLE, 1, d1,
                           DS_DIM_SESSION, &d[LD_TABLE0 + i], err)))
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
    for (int i = 0; i < WD_N; i++)
        TRY(begin_in(r, DS_PATH_WINDOW_SESSION, window_names[i],
                     i < N_WCOUNT ? DS_RESULTS_INT64 : DS_RESULTS_DOUBLE, 3,
                     d3,
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
        ds_layout_stream_abort(ls);
        return rc;
    }
    *out = ls;
    return DS_OK;
}

int ds_layout_stream_block(void *vls, const ds_analysis_block_t *b,
                           ds_error_t *err)
{
    ds_layout_stream_t *ls = vls;
    for (size_t l = 0; l < ls->n_lags; l++) {
        ds_results_dset_t **d = ls->lag_d + l * LD_N;
        const ds_lag_result_t *x = &b->lag[l];
#define X_(name, type, description) x->name,
        const double *cell[N_CELL] = {DS_LAG_CELL_STATS(X_)};
        const double *table[N_TABLE] = {DS_LAG_TABLE_STATS(X_)};
#undef X_
        TRY(ds_results_append(d[LD_COUNTS], b->n, x->counts, err));
        for (int i = 0; i < N_CELL; i++)
            TRY(ds_results_append(d[LD_CELL0 + i], b->n, cell[i], err));
        for (int i = 0; i < N_TABLE; i++)
            TRY(ds_results_append(d[LD_TABLE0 + i], b->n, table[i], err));
    }
    if (ls->window && b->window) {
        const ds_window_result_t *w = b->window;
#define X_(name, type, description) w->name,
        const void *wv[WD_N] = {DS_WINDOW_CELL_COUNTS(X_)
                                    DS_WINDOW_CELL_STATS(X_)};
#undef X_
        for (int i = 0; i < WD_N; i++)
            TRY(ds_results_append(ls->win_d[i], b->n, wv[i], err));
    }
    return DS_OK;
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
    TRY(write_int64_in(r, DS_PATH_WINDOW_POOLED, #name, 2, d2,               \
                       w->pooled->name, DS_DIMS_FROM_TO, err));
    DS_WINDOW_CELL_COUNTS(X_)
#undef X_
#define X_(name, type, description)                                          \
    TRY(write_double_in(r, DS_PATH_WINDOW_POOLED, #name, 2, d2,              \
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
    if (ls->window && a->window)
        TRY(write_window_pooled(ls->r, a->window, ls->K, err));
    return DS_OK;
}

/*
 * The row tables (/responsiveness, /cycles, /softening) are written one
 * column at a time from a list, so that the columns are created, and
 * `dyadseq export` prints them, in the order of SPEC 5 (extra columns
 * next to their relatives: n_answered_late after n_answered,
 * n_reciprocated after n_soften).
 */
typedef struct column {
    const char *name;
    char kind;          /* 'i' int64, 'd' float64, 'u' uint8, 's' string */
    int64_t *i;
    double *d;
    const char **s;
    uint8_t *u;
} column_t;

#define COL_I(name) {name, 'i', NULL, NULL, NULL, NULL}
#define COL_D(name) {name, 'd', NULL, NULL, NULL, NULL}
#define COL_S(name) {name, 's', NULL, NULL, NULL, NULL}
#define COL_U(name) {name, 'u', NULL, NULL, NULL, NULL}

/* A buffer of n rows for each column, of its kind. */
static int columns_alloc(column_t *c, size_t n_cols, size_t n)
{
    size_t rows = n ? n : 1;
    int ok = 1;
    for (size_t k = 0; k < n_cols; k++) {
        if (c[k].kind == 'i')
            ok &= (c[k].i = malloc(rows * sizeof *c[k].i)) != NULL;
        else if (c[k].kind == 'd')
            ok &= (c[k].d = malloc(rows * sizeof *c[k].d)) != NULL;
        else if (c[k].kind == 'u')
            ok &= (c[k].u = malloc(rows)) != NULL;
        else
            ok &= (c[k].s = malloc(rows * sizeof *c[k].s)) != NULL;
    }
    return ok ? 0 : -1;
}

static void columns_free(column_t *c, size_t n_cols)
{
    for (size_t k = 0; k < n_cols; k++) {
        free(c[k].i);
        free(c[k].d);
        free(c[k].s);
        free(c[k].u);
    }
}

/* Write the columns of n rows under group, in order. */
static int columns_write(ds_results_t *r, const char *group,
                         const column_t *c, size_t n_cols, size_t n,
                         const char *dimname, ds_error_t *err)
{
    size_t dims[1] = {n};
    for (size_t k = 0; k < n_cols; k++) {
        if (c[k].kind == 'i')
            TRY(write_int64_in(r, group, c[k].name, 1, dims, c[k].i, dimname,
                               err));
        else if (c[k].kind == 'd')
            TRY(write_double_in(r, group, c[k].name, 1, dims, c[k].d, dimname,
                                err));
        else if (c[k].kind == 'u')
            TRY(write_uint8_in(r, group, c[k].name, 1, dims, c[k].u, dimname,
                               err));
        else
            TRY(write_strings_in(r, group, c[k].name, n, c[k].s, dimname,
                                 err));
    }
    return DS_OK;
}

/*
 * /responsiveness/km: the Kaplan-Meier points of every row, n_km in all,
 * appended in blocks of sessions. A streaming analysis kept only each
 * curve's size; its points are then computed again here (ds_analysis_km),
 * so neither the curves nor these columns are ever held whole.
 */
#define KM_BLOCK 4096 /* sessions: enough points that each append fills
                         several chunks, compressed in parallel */
static int write_km(ds_results_t *r, const ds_corpus_t *c,
                    const ds_analysis_t *a, const ds_analysis_opts_t *o,
                    size_t n_km, ds_error_t *err)
{
    /* SPEC 5 order; the int64 columns are d[0], d[3], d[4] */
    static const char *const name[5] = {DS_COL_ROW, DS_COL_TIME_S,
                                        DS_COL_SURVIVAL, DS_COL_N_AT_RISK,
                                        DS_COL_N_EVENTS};
    static const int is_int[5] = {1, 0, 0, 1, 1};
    static const int src[5] = {0, 0, 1, 1, 2}; /* index in iv or dv */
    ds_results_dset_t *d[5] = {NULL};
    size_t dims[1] = {n_km}, S = a->S;
    size_t bs = S < KM_BLOCK ? (S ? S : 1) : KM_BLOCK;
    int rc = DS_OK;
    ds_responsive_t *again = malloc(2 * bs * sizeof *again);
    int64_t *iv[3] = {NULL};
    double *dv[2] = {NULL};
    size_t cap = 0;
    if (!again)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (int i = 0; i < 5 && !rc; i++)
        rc = begin_in(r, DS_PATH_RESPONSIVENESS_KM, name[i],
                      is_int[i] ? DS_RESULTS_INT64 : DS_RESULTS_DOUBLE, 1,
                      dims, DS_DIM_POINT, &d[i], err);
    for (size_t first = 0; !rc && first < S; first += bs) {
        size_t n = S - first < bs ? S - first : bs;
        const ds_responsive_t *x = a->responsive + 2 * first;
        int recomputed = 0;
        for (size_t k = 0; k < 2 * n; k++)
            if (x[k].km.n && !x[k].km.time_s)
                recomputed = 1;
        if (recomputed) {
            if ((rc = ds_analysis_km(c, o, first, n, again, err)))
                break;
            x = again;
        }
        size_t m = 0;
        for (size_t k = 0; k < 2 * n; k++)
            m += x[k].km.n;
        if (m > cap) {
            cap = m;
            for (int i = 0; i < 3; i++) {
                free(iv[i]);
                iv[i] = malloc(cap * sizeof *iv[i]);
            }
            for (int i = 0; i < 2; i++) {
                free(dv[i]);
                dv[i] = malloc(cap * sizeof *dv[i]);
            }
            if (!iv[0] || !iv[1] || !iv[2] || !dv[0] || !dv[1])
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        }
        for (size_t k = 0, j = 0; !rc && k < 2 * n; k++)
            for (size_t p = 0; p < x[k].km.n; p++, j++) {
                iv[0][j] = (int64_t)(2 * first + k);
                iv[1][j] = (int64_t)x[k].km.n_at_risk[p];
                iv[2][j] = (int64_t)x[k].km.n_events[p];
                dv[0][j] = x[k].km.time_s[p];
                dv[1][j] = x[k].km.survival[p];
            }
        if (recomputed)
            for (size_t k = 0; k < 2 * n; k++)
                ds_responsive_clear(&again[k]);
        for (int i = 0; i < 5 && !rc; i++)
            rc = ds_results_append(d[i], m,
                                   is_int[i] ? (const void *)iv[src[i]]
                                             : (const void *)dv[src[i]],
                                   err);
    }
    for (int i = 0; i < 5; i++)
        if (d[i]) {
            ds_error_t e2;
            int e = ds_results_end(d[i], rc ? &e2 : err);
            if (!rc)
                rc = e;
        }
    for (int i = 0; i < 3; i++)
        free(iv[i]);
    for (int i = 0; i < 2; i++)
        free(dv[i]);
    free(again);
    return rc;
}

/*
 * /responsiveness/pooled: time to response pooled over the bids of all
 * sessions and of each label, per bidder (one Kaplan-Meier estimate over
 * the bids, not a mean of session curves), with its curve in
 * /responsiveness/pooled/km (row = row of /responsiveness/pooled).
 */
static int write_km_pooled(ds_results_t *r, const ds_corpus_t *c,
                           const ds_analysis_t *a,
                           const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t rows = (1 + a->n_labels) * 2, n_km = 0;
    double w = o->responsive_opts.window_s;
    enum { SCOPE, LABEL, BIDDER, BIDS, P_W, MEDIAN, N_T };
    column_t t[N_T] = {COL_S(DS_COL_SCOPE), COL_S(DS_COL_LABEL),
                       COL_S(DS_COL_BIDDER), COL_I(DS_COL_N_BIDS),
                       COL_D(DS_COL_P_RESPONSE_BY_WINDOW),
                       COL_D(DS_COL_MEDIAN_TIME_TO_RESPONSE_S)};
    enum { K_ROW, K_TIME, K_SURV, K_RISK, K_EVENTS, N_K };
    column_t km[N_K] = {COL_I(DS_COL_ROW), COL_D(DS_COL_TIME_S),
                        COL_D(DS_COL_SURVIVAL), COL_I(DS_COL_N_AT_RISK),
                        COL_I(DS_COL_N_EVENTS)};
    for (size_t k = 0; k < rows; k++)
        n_km += a->km_pooled[k].n;
    int rc = DS_ENOMEM;
    if (columns_alloc(t, N_T, rows) || columns_alloc(km, N_K, n_km)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    size_t j = 0;
    for (size_t k = 0; k < rows; k++) {
        const ds_km_t *x = &a->km_pooled[k];
        size_t scope = k / 2;
        t[SCOPE].s[k] = scope ? DS_VAL_SCOPE_LABEL : DS_VAL_SCOPE_ALL;
        t[LABEL].s[k] = scope ? c->labels[scope - 1] : "";
        t[BIDDER].s[k] = c->actors[k % 2];
        t[BIDS].i[k] = (int64_t)a->km_pooled_bids[k];
        t[P_W].d[k] = 1 - ds_km_survival_at(x, w);
        /* the Kaplan-Meier median: the first time S(t) <= 1/2 */
        t[MEDIAN].d[k] = NAN;
        for (size_t p = 0; p < x->n; p++)
            if (x->survival[p] <= 0.5) {
                t[MEDIAN].d[k] = x->time_s[p];
                break;
            }
        for (size_t p = 0; p < x->n; p++, j++) {
            km[K_ROW].i[j] = (int64_t)k;
            km[K_TIME].d[j] = x->time_s[p];
            km[K_SURV].d[j] = x->survival[p];
            km[K_RISK].i[j] = (int64_t)x->n_at_risk[p];
            km[K_EVENTS].i[j] = (int64_t)x->n_events[p];
        }
    }
    rc = columns_write(r, DS_PATH_RESPONSIVENESS_POOLED, t, N_T, rows,
                       DS_DIM_ROW, err);
    if (!rc)
        rc = columns_write(r, DS_PATH_RESPONSIVENESS_POOLED_KM, km, N_K, n_km,
                           DS_DIM_POINT, err);
done:
    columns_free(t, N_T);
    columns_free(km, N_K);
    return rc;
}

static int write_responsiveness(ds_results_t *r, const ds_corpus_t *c,
                                const ds_analysis_t *a,
                                const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t rows = 2 * a->S, n_km = 0;
    enum { SESSION, BIDDER, BIDS, ANSWERED, LATE, RATE, MEAN, MEDIAN, AWAY,
           AGAINST, P_W, N_T };
    column_t t[N_T] = {
        COL_I(DS_COL_SESSION_INDEX),    COL_S(DS_COL_BIDDER),
        COL_I(DS_COL_N_BIDS),           COL_I(DS_COL_N_ANSWERED),
        COL_I(DS_COL_N_ANSWERED_LATE),  COL_D(DS_COL_RESPONSE_RATE),
        COL_D(DS_COL_LATENCY_MEAN_S),   COL_D(DS_COL_LATENCY_MEDIAN_S),
        COL_I(DS_COL_N_TURNED_AWAY),    COL_I(DS_COL_N_TURNED_AGAINST),
        COL_D(DS_COL_P_RESPONSE_BY_WINDOW)};
    int rc = DS_ENOMEM;
    for (size_t k = 0; k < rows; k++)
        n_km += a->responsive[k].km.n;
    if (columns_alloc(t, N_T, rows)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < rows; k++) {
        const ds_responsive_t *x = &a->responsive[k];
        t[SESSION].i[k] = (int64_t)(k / 2);
        t[BIDDER].s[k] = c->actors[x->bidder];
        t[BIDS].i[k] = (int64_t)x->n_bids;
        t[ANSWERED].i[k] = (int64_t)x->n_answered;
        t[LATE].i[k] = (int64_t)x->n_answered_late;
        t[RATE].d[k] = x->response_rate;
        t[MEAN].d[k] = x->latency_mean_s;
        t[MEDIAN].d[k] = x->latency_median_s;
        t[AWAY].i[k] = (int64_t)x->n_turned_away;
        t[AGAINST].i[k] = (int64_t)x->n_turned_against;
        t[P_W].d[k] = x->p_response_by_window;
    }
    rc = columns_write(r, DS_PATH_RESPONSIVENESS, t, N_T, rows, DS_DIM_ROW,
                       err);
    if (!rc)
        rc = ds_results_attr_double(r, DS_PATH_RESPONSIVENESS,
                                    DS_ATTR_RESPONSE_WINDOW_S,
                                    o->responsive_opts.window_s, err);
    if (!rc)
        rc = write_km(r, c, a, o, n_km, err);
    if (!rc && a->km_pooled)
        rc = write_km_pooled(r, c, a, o, err);
done:
    columns_free(t, N_T);
    return rc;
}

static int write_cycles(ds_results_t *r, const ds_corpus_t *c,
                        const ds_analysis_t *a, const ds_analysis_opts_t *o,
                        ds_error_t *err)
{
    size_t S = a->S;
    enum { SESSION, N_CYC, EVENTS, LONGEST, TIME, SHARE, PUR_A, PUR_B,
           END_SOFTEN, END_BID, END_OTHER, END_SESSION, N_T };
    column_t t[N_T] = {
        COL_I(DS_COL_SESSION_INDEX),     COL_I(DS_COL_N_CYCLES),
        COL_I(DS_COL_EVENTS_IN_CYCLES),  COL_I(DS_COL_LONGEST_CYCLE),
        COL_D(DS_COL_TIME_IN_CYCLES_S),  COL_D(DS_COL_SHARE_TIME_IN_CYCLES),
        COL_I(DS_COL_N_PURSUER_A),       COL_I(DS_COL_N_PURSUER_B),
        COL_I(DS_COL_ENDED_BY_SOFTEN),   COL_I(DS_COL_ENDED_BY_BID),
        COL_I(DS_COL_ENDED_OTHER),       COL_I(DS_COL_ENDED_BY_SESSION_END)};
    enum { F_SESSION, F_ACTOR, F_N, F_REC, F_RATE, F_FIRST, F_SHARE, N_F };
    column_t sf[N_F] = {
        COL_I(DS_COL_SESSION_INDEX), COL_S(DS_COL_ACTOR),
        COL_I(DS_COL_N_SOFTEN),      COL_I(DS_COL_N_RECIPROCATED),
        COL_D(DS_COL_RATE_PER_MIN),  COL_D(DS_COL_FIRST_ONSET_S),
        COL_D(DS_COL_SHARE_RECIPROCATED)};
    int rc = DS_ENOMEM;
    if (columns_alloc(t, N_T, S) || columns_alloc(sf, N_F, 2 * S)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++) {
        const ds_cycles_t *x = &a->cycles[s];
        t[SESSION].i[s] = (int64_t)s;
        t[N_CYC].i[s] = (int64_t)x->n_cycles;
        t[EVENTS].i[s] = (int64_t)x->events_in_cycles;
        t[LONGEST].i[s] = (int64_t)x->longest_cycle;
        t[TIME].d[s] = x->time_in_cycles_s;
        t[SHARE].d[s] = x->share_time_in_cycles;
        t[PUR_A].i[s] = (int64_t)x->n_pursuer_a;
        t[PUR_B].i[s] = (int64_t)x->n_pursuer_b;
        t[END_SOFTEN].i[s] = (int64_t)x->ended_by_soften;
        t[END_BID].i[s] = (int64_t)x->ended_by_bid;
        t[END_OTHER].i[s] = (int64_t)x->ended_other;
        t[END_SESSION].i[s] = (int64_t)x->ended_by_session_end;
    }
    rc = columns_write(r, DS_PATH_CYCLES, t, N_T, S, DS_DIM_SESSION, err);
    if (!rc)
        rc = ds_results_attr_int64(r, DS_PATH_CYCLES, DS_ATTR_CYCLE_MIN,
                                   (int64_t)o->cycles_opts.min_len, err);
    if (rc)
        goto done;

    for (size_t k = 0; k < 2 * S; k++) {
        const ds_softening_t *x = &a->softening[k];
        sf[F_SESSION].i[k] = (int64_t)(k / 2);
        sf[F_ACTOR].s[k] = c->actors[x->actor];
        sf[F_N].i[k] = (int64_t)x->n_soften;
        sf[F_REC].i[k] = (int64_t)x->n_reciprocated;
        sf[F_RATE].d[k] = x->rate_per_min;
        sf[F_FIRST].d[k] = x->first_onset_s;
        sf[F_SHARE].d[k] = x->share_reciprocated;
    }
    rc = columns_write(r, DS_PATH_SOFTENING, sf, N_F, 2 * S, DS_DIM_ROW,
                       err);
    /* share_reciprocated depends on W (SPEC 4.7) */
    if (!rc)
        rc = ds_results_attr_double(r, DS_PATH_SOFTENING,
                                    DS_ATTR_RESPONSE_WINDOW_S,
                                    o->cycles_opts.window_s, err);
done:
    columns_free(t, N_T);
    columns_free(sf, N_F);
    return rc;
}

/* /responsiveness, /cycles and /softening. */
static int write_rows(ds_results_t *r, const ds_corpus_t *c,
                      const ds_analysis_t *a, const ds_analysis_opts_t *o,
                      ds_error_t *err)
{
    if (a->responsive)
        TRY(write_responsiveness(r, c, a, o, err));
    if (a->cycles)
        TRY(write_cycles(r, c, a, o, err));
    return DS_OK;
}

int ds_layout_stream_end(ds_layout_stream_t *ls, const ds_analysis_t *a,
                         const ds_analysis_opts_t *o, ds_error_t *err)
{
    int rc = stream_finish(ls, a, err);
    if (!rc)
        rc = write_rows(ls->r, ls->c, a, o, err);
    ds_layout_stream_abort(ls);
    return rc;
}


/* ---- /comparison (compare) ----------------------------------------- */

static const char *const rci_class_name[] = {
    DS_VAL_RCI_DETERIORATED, DS_VAL_RCI_UNCHANGED, DS_VAL_RCI_IMPROVED,
    DS_VAL_RCI_UNDEFINED};

/* The table of metrics: SPEC 5's columns, then n_excluded, sd_diff,
 * wilcoxon_n, wilcoxon_exact and better. */
static int write_comparison_table(ds_results_t *r, const ds_compare_t *c,
                                  ds_error_t *err)
{
    size_t M = c->n_metrics;
    enum { METRIC, N_PAIRS, MEAN_PRE, SD_PRE, MEAN_POST, SD_POST, DIFF,
           CI_LO, CI_HI, T, DF, P_T, V, P_W, D_Z, D_AV, G, Q, N_EXCL, SD_DIFF,
           W_N, W_EXACT, BETTER, N_T };
    column_t t[N_T] = {
        COL_S(DS_COL_METRIC),     COL_I(DS_COL_N_PAIRS),
        COL_D(DS_COL_MEAN_PRE),   COL_D(DS_COL_SD_PRE),
        COL_D(DS_COL_MEAN_POST),  COL_D(DS_COL_SD_POST),
        COL_D(DS_COL_MEAN_DIFF),  COL_D(DS_COL_CI_LOW),
        COL_D(DS_COL_CI_HIGH),    COL_D(DS_COL_T),
        COL_D(DS_COL_DF),         COL_D(DS_COL_P_T),
        COL_D(DS_COL_WILCOXON_V), COL_D(DS_COL_P_WILCOXON),
        COL_D(DS_COL_D_Z),        COL_D(DS_COL_D_AV),
        COL_D(DS_COL_HEDGES_G),   COL_D(DS_COL_Q_BH),
        COL_I(DS_COL_N_EXCLUDED), COL_D(DS_COL_SD_DIFF),
        COL_I(DS_COL_WILCOXON_N), COL_U(DS_COL_WILCOXON_EXACT),
        COL_S(DS_COL_BETTER)};
    int rc = DS_ENOMEM;
    if (columns_alloc(t, N_T, M)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < M; i++) {
        const ds_compare_metric_t *m = &c->metric[i];
        const ds_paired_result_t *st = &m->stat;
        t[METRIC].s[i] = m->name;
        t[N_PAIRS].i[i] = (int64_t)st->n_pairs;
        t[MEAN_PRE].d[i] = st->mean_pre;
        t[SD_PRE].d[i] = st->sd_pre;
        t[MEAN_POST].d[i] = st->mean_post;
        t[SD_POST].d[i] = st->sd_post;
        t[DIFF].d[i] = st->mean_diff;
        t[CI_LO].d[i] = st->ci_low;
        t[CI_HI].d[i] = st->ci_high;
        t[T].d[i] = st->t;
        t[DF].d[i] = st->df;
        t[P_T].d[i] = st->p_t;
        t[V].d[i] = st->wilcoxon_v;
        t[P_W].d[i] = st->p_wilcoxon;
        t[D_Z].d[i] = st->d_z;
        t[D_AV].d[i] = st->d_av;
        t[G].d[i] = st->hedges_g;
        t[Q].d[i] = m->q_bh;
        t[N_EXCL].i[i] = (int64_t)st->n_excluded;
        t[SD_DIFF].d[i] = st->sd_diff;
        t[W_N].i[i] = (int64_t)st->wilcoxon_n;
        t[W_EXACT].u[i] = (uint8_t)(st->wilcoxon_exact != 0);
        t[BETTER].s[i] = ds_compare_better_name(m->better);
    }
    rc = columns_write(r, DS_PATH_COMPARISON, t, N_T, M, DS_DIM_ROW, err);
done:
    columns_free(t, N_T);
    return rc;
}

/* /comparison/values (every metric × couple) and /comparison/excluded. */
static int write_comparison_values(ds_results_t *r, const ds_compare_t *c,
                                   ds_error_t *err)
{
    size_t M = c->n_metrics, C = c->n_couples, n = M * C, x = 0;
    for (size_t i = 0; i < M; i++)
        for (size_t k = 0; k < C; k++)
            x += c->metric[i].reason[k] != NULL;
    enum { V_METRIC, V_COUPLE, V_PRE, V_POST, V_USED, N_V };
    column_t v[N_V] = {COL_S(DS_COL_METRIC), COL_S(DS_COL_COUPLE),
                       COL_D(DS_COL_PRE), COL_D(DS_COL_POST),
                       COL_U(DS_COL_USED)};
    enum { X_METRIC, X_COUPLE, X_REASON, N_X };
    column_t xc[N_X] = {COL_S(DS_COL_METRIC), COL_S(DS_COL_COUPLE),
                        COL_S(DS_COL_REASON)};
    int rc = DS_ENOMEM;
    if (columns_alloc(v, N_V, n) || columns_alloc(xc, N_X, x)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    size_t j = 0, e = 0;
    for (size_t i = 0; i < M; i++) {
        const ds_compare_metric_t *m = &c->metric[i];
        for (size_t k = 0; k < C; k++, j++) {
            v[V_METRIC].s[j] = m->name;
            v[V_COUPLE].s[j] = c->couple[k];
            v[V_PRE].d[j] = m->pre[k];
            v[V_POST].d[j] = m->post[k];
            v[V_USED].u[j] = m->reason[k] == NULL;
            if (m->reason[k]) {
                xc[X_METRIC].s[e] = m->name;
                xc[X_COUPLE].s[e] = c->couple[k];
                xc[X_REASON].s[e++] = m->reason[k];
            }
        }
    }
    rc = columns_write(r, DS_PATH_COMPARISON_VALUES, v, N_V, n, DS_DIM_ROW,
                       err);
    if (!rc)
        rc = columns_write(r, DS_PATH_COMPARISON_EXCLUDED, xc, N_X, x,
                           DS_DIM_ROW, err);
done:
    columns_free(v, N_V);
    columns_free(xc, N_X);
    return rc;
}

/* /comparison/reliability (one row per --reliability metric) and
 * /comparison/rci (one row per metric and used pair). */
static int write_comparison_rci(ds_results_t *r, const ds_compare_t *c,
                                ds_error_t *err)
{
    size_t M = c->n_metrics, C = c->n_couples, nr = 0, nc = 0;
    for (size_t i = 0; i < M; i++)
        if (c->metric[i].has_rci) {
            nr++;
            for (size_t k = 0; k < C; k++)
                nc += c->metric[i].reason[k] == NULL;
        }
    if (nr == 0)
        return DS_OK;
    enum { R_METRIC, R_R, R_BETTER, R_SD, R_SE, R_IMP, R_UNCH, R_DET, N_R };
    column_t t[N_R] = {COL_S(DS_COL_METRIC),      COL_D(DS_COL_R),
                       COL_S(DS_COL_BETTER),      COL_D(DS_COL_SD_PRE),
                       COL_D(DS_COL_SE_DIFF),     COL_I(DS_COL_N_IMPROVED),
                       COL_I(DS_COL_N_UNCHANGED),
                       COL_I(DS_COL_N_DETERIORATED)};
    enum { U_METRIC, U_COUPLE, U_PRE, U_POST, U_RCI, U_CLASS, N_U };
    column_t u[N_U] = {COL_S(DS_COL_METRIC), COL_S(DS_COL_COUPLE),
                       COL_D(DS_COL_PRE),    COL_D(DS_COL_POST),
                       COL_D(DS_COL_RCI),    COL_S(DS_COL_CLASS)};
    int rc = DS_ENOMEM;
    if (columns_alloc(t, N_R, nr) || columns_alloc(u, N_U, nc)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    size_t a = 0, b = 0;
    for (size_t i = 0; i < M; i++) {
        const ds_compare_metric_t *m = &c->metric[i];
        if (!m->has_rci)
            continue;
        t[R_METRIC].s[a] = m->name;
        t[R_R].d[a] = m->r;
        t[R_BETTER].s[a] = ds_compare_better_name(m->better);
        t[R_SD].d[a] = m->stat.sd_pre;
        t[R_SE].d[a] = m->se_diff;
        t[R_IMP].i[a] = (int64_t)m->n_improved;
        t[R_UNCH].i[a] = (int64_t)m->n_unchanged;
        t[R_DET].i[a++] = (int64_t)m->n_deteriorated;
        for (size_t k = 0; k < C; k++) {
            if (m->reason[k])
                continue;
            u[U_METRIC].s[b] = m->name;
            u[U_COUPLE].s[b] = c->couple[k];
            u[U_PRE].d[b] = m->pre[k];
            u[U_POST].d[b] = m->post[k];
            u[U_RCI].d[b] = m->rci[k];
            u[U_CLASS].s[b++] =
                rci_class_name[ds_rci_class(m->rci[k], m->better) + 1];
        }
    }
    rc = columns_write(r, DS_PATH_COMPARISON_RELIABILITY, t, N_R, nr,
                       DS_DIM_ROW, err);
    if (!rc)
        rc = ds_results_attr_double(r, DS_PATH_COMPARISON_RELIABILITY,
                                    DS_ATTR_CRITICAL, DS_RCI_CRITICAL, err);
    if (!rc)
        rc = columns_write(r, DS_PATH_COMPARISON_RCI, u, N_U, nc, DS_DIM_ROW,
                           err);
done:
    columns_free(t, N_R);
    columns_free(u, N_U);
    return rc;
}

int ds_layout_comparison(ds_results_t *r, const ds_compare_t *c,
                         ds_error_t *err)
{
    TRY(write_comparison_table(r, c, err));
    TRY(ds_results_attr_string(r, DS_PATH_COMPARISON, DS_ATTR_PRE, c->pre,
                               err));
    TRY(ds_results_attr_string(r, DS_PATH_COMPARISON, DS_ATTR_POST, c->post,
                               err));
    TRY(ds_results_attr_double(r, DS_PATH_COMPARISON, DS_ATTR_CONF_LEVEL,
                               c->conf_level, err));
    TRY(ds_results_attr_string(r, DS_PATH_COMPARISON, DS_ATTR_Q_BH_OF,
                               DS_COL_P_T, err));
    TRY(ds_results_attr_int64(r, DS_PATH_COMPARISON, DS_ATTR_N_COUPLES,
                              (int64_t)c->n_couples, err));
    TRY(ds_results_attr_int64(r, DS_PATH_COMPARISON, DS_ATTR_N_BOTH,
                              (int64_t)c->n_both, err));
    TRY(write_comparison_values(r, c, err));
    TRY(write_comparison_rci(r, c, err));
    return DS_OK;
}

int ds_layout_copy(ds_results_t *r, ds_results_reader_t *f, const char *path,
                   ds_error_t *err)
{
    ds_results_array_t a = {0};
    ds_results_shape_t sh;
    TRY(ds_results_shape(f, path, &sh, err));
    ds_results_type_t as = sh.type == DS_RESULTS_STRING ? DS_RESULTS_STRING
                           : sh.type == DS_RESULTS_INT64 ||
                                   sh.type == DS_RESULTS_UINT8
                               ? DS_RESULTS_INT64
                               : DS_RESULTS_DOUBLE;
    TRY(ds_results_read(f, path, as, &a, err));
    const char *dn = sh.dimensions;
    int rc;
    if (as == DS_RESULTS_STRING) {
        if (sh.rank != 1) {
            ds_results_array_free(&a);
            return ds_error_set(err, DS_EDATA, "%s: %s is a string array "
                                "of rank %zu, expected 1",
                                ds_results_file_name(f), path, sh.rank);
        }
        rc = ds_results_write_strings(r, path, sh.n,
                                      (const char *const *)a.s, dn, err);
    } else if (sh.type == DS_RESULTS_UINT8) {
        uint8_t *u = malloc(sh.n ? sh.n : 1);
        if (!u) {
            ds_results_array_free(&a);
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < sh.n; i++)
            u[i] = (uint8_t)a.i[i];
        rc = ds_results_write_uint8(r, path, sh.rank, sh.dims, u, dn, err);
        free(u);
    } else if (as == DS_RESULTS_INT64) {
        rc = ds_results_write_int64(r, path, sh.rank, sh.dims, a.i, dn, err);
    } else {
        rc = ds_results_write_double(r, path, sh.rank, sh.dims, a.d, dn, err);
    }
    ds_results_array_free(&a);
    return rc;
}
