/*
 * analysis_pool.c — pooled tables (see analysis_internal.h): the lag
 * tables of all sessions and of each session label, with their
 * between-session summaries, and the pooled time-window tallies.
 *
 * Pooled counts are sums of int64 session counts, exact in any order;
 * each pooled table is then computed by one task that writes only its own
 * pool, so the results do not depend on the thread count.
 */
#include <string.h>

#include "analysis_internal.h"

int ds_analysis_labels_init(ds_analysis_labels_t *ls, const ds_corpus_t *c)
{
    size_t L = c->n_labels, S = c->n_sessions;
    ls->index = malloc(ds_analysis_atleast1(S) * sizeof *ls->index);
    ls->start = calloc(L + 1, sizeof *ls->start);
    if (!ls->index || !ls->start)
        return -1;
    size_t k = 0;
    for (size_t l = 0; l < L; l++) {
        ls->start[l] = k;
        for (size_t s = 0; s < S; s++)
            if (c->sessions[s].label_index == l)
                ls->index[k++] = s;
    }
    ls->start[L] = k;
    return 0;
}

void ds_analysis_labels_clear(ds_analysis_labels_t *ls)
{
    free(ls->index);
    free(ls->start);
    ls->index = ls->start = NULL;
}

void ds_analysis_pool_add_block(const ds_corpus_t *c, ds_analysis_t *a,
                                const ds_analysis_blocks_t *b)
{
    size_t KK = a->K * a->K;
    for (size_t l = 0; l < a->n_lags; l++) {
        ds_lag_result_t *r = &a->lag[l];
        const ds_lag_result_t *blk = &b->lag[l];
        int64_t *all = r->pooled.table->counts;
        for (size_t i = 0; i < b->n; i++) {
            const int64_t *cs = blk->counts + i * KK;
            size_t lb = c->sessions[b->first + i].label_index;
            int64_t *lab = r->by_label[lb].table->counts;
            for (size_t j = 0; j < KK; j++) {
                all[j] += cs[j];
                lab[j] += cs[j];
            }
        }
    }
    if (b->has_window) {
        ds_window_counts_t *pw = a->window->pooled;
        for (size_t j = 0; j < b->n * KK; j++) {
#define X_(name, type, description) pw->name[j % KK] += b->win.name[j];
            DS_WINDOW_CELL_COUNTS(X_)
#undef X_
        }
    }
}

/* The pool's table holds the summed counts of the sessions listed in idx
 * (all sessions when idx is NULL): add their state frequencies, then
 * compute it and its summaries. */
static int pool_compute(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                        const ds_analysis_t *a, const ds_lag_result_t *r,
                        ds_lag_pool_t *p, const size_t *idx, size_t n_idx,
                        ds_lag_workspace_t *w, ds_error_t *err)
{
    size_t K = c->n_states;
    memset(p->freq, 0, K * sizeof *p->freq);
    p->n_events = 0;
    for (size_t k = 0; k < n_idx; k++) {
        size_t s = idx ? idx[k] : k;
        const int64_t *f = a->state_freq + s * K;
        for (size_t q = 0; q < K; q++)
            p->freq[q] += f[q];
        p->n_events += (int64_t)c->sessions[s].n;
    }
    int rc = ds_lag_table_compute(p->table, p->freq, p->n_events,
                                  r->lag == 1 ? o->zero : NULL, &o->lag, w,
                                  err);
    if (rc && rc != DS_ENUM)
        return rc;
#define X_(name, type, description)                                          \
    {                                                                        \
        int rq = ds_summary_compute(p->summary_##name, r->name,              \
                                    c->n_sessions, idx, n_idx, err);         \
        if (rq)                                                              \
            return rq;                                                       \
    }
    DS_LAG_SUMMARY_STATS(X_)
#undef X_
    return rc;
}

int ds_analysis_pool_lags(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                          ds_analysis_t *a, const ds_analysis_labels_t *ls,
                          int threads, ds_diag_t *diag, ds_error_t *err)
{
    size_t S = a->S, K = a->K, L = a->n_labels;
    /* a job per lag and pool (all sessions, then each label) */
    size_t n_jobs = a->n_lags * (1 + L);
    int rc = DS_OK;
    int *job_rc = calloc(ds_analysis_atleast1(n_jobs), sizeof *job_rc);
    ds_error_t *job_err = calloc(ds_analysis_atleast1(n_jobs),
                                 sizeof *job_err);
    if (!job_rc || !job_err) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t j = 0; j < n_jobs; j++) {
        size_t l = j / (1 + L), lb = j % (1 + L);
        ds_lag_result_t *r = &a->lag[l];
        ds_lag_workspace_t *w = ds_lag_workspace_alloc(K);
        if (!w) {
            job_rc[j] = ds_error_set(&job_err[j], DS_ENOMEM, "out of memory");
            continue;
        }
        job_rc[j] =
            lb == 0 ? pool_compute(c, o, a, r, &r->pooled, NULL, S, w,
                                   &job_err[j])
                    : pool_compute(c, o, a, r, &r->by_label[lb - 1],
                                   ls->index + ls->start[lb - 1],
                                   ls->start[lb] - ls->start[lb - 1], w,
                                   &job_err[j]);
        ds_lag_workspace_free(w);
    }
    /* warnings in job order, whatever the threads */
    for (size_t j = 0; j < n_jobs && rc == DS_OK; j++) {
        if (job_rc[j] == DS_ENUM) /* NaN statistics and a warning */
            ds_diag_warning(diag, NULL, 0, NULL,
                            "pooled lag-%zu table: %s; its statistics are "
                            "NaN", a->lag[j / (1 + L)].lag, job_err[j].msg);
        else if (job_rc[j])
            rc = ds_error_set(err, job_rc[j], "%s", job_err[j].msg);
    }
done:
    free(job_rc);
    free(job_err);
    return rc;
}

/* The between-session summaries of the window statistics: all sessions,
 * then each label's. */
static int window_summaries(ds_analysis_t *a, const ds_analysis_labels_t *ls,
                            ds_error_t *err)
{
    ds_window_result_t *w = a->window;
    for (size_t l = 0; l <= a->n_labels; l++) {
        ds_window_summaries_t *x = l ? &w->summary_by_label[l - 1]
                                     : &w->summary;
        const size_t *idx = l ? ls->index + ls->start[l - 1] : NULL;
        size_t n = l ? ls->start[l] - ls->start[l - 1] : a->S;
#define X_(name, type, description)                                          \
        {                                                                    \
            int rq = ds_summary_compute(x->summary_##name, w->name, a->S,    \
                                        idx, n, err);                        \
            if (rq)                                                          \
                return rq;                                                   \
        }
        DS_WINDOW_SUMMARY_STATS(X_)
#undef X_
    }
    return DS_OK;
}

int ds_analysis_pool_windows(const ds_analysis_opts_t *o, ds_analysis_t *a,
                             const ds_analysis_labels_t *ls,
                             ds_error_t *err)
{
    ds_window_result_t *w = a->window;
    size_t KK = a->K * a->K;
    if (!w)
        return DS_OK;
    ds_2x2_t *st = calloc(ds_analysis_atleast1(KK), sizeof *st);
    if (!st)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    ds_window_stats(w->pooled, o->lag.zero_correction, st);
    for (size_t i = 0; i < KK; i++) {
#define X_(name, type, description) w->pooled_##name[i] = st[i].name;
        DS_WINDOW_CELL_STATS(X_)
#undef X_
    }
    free(st);
    return window_summaries(a, ls, err);
}
