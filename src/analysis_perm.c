/*
 * analysis_perm.c — permutation tests of the adjusted residuals (SPEC
 * 4.3; see analysis_internal.h).
 *
 * Each session has its own permutation stream (ds_perm_*, seeded by the
 * seed and the session index), so the m-th shuffle of a session is the
 * same at any thread count. A pooled table's permuted residuals come from
 * the sums of the very same permuted session tables: integer sums, row by
 * row, exact in any order. Exceedances are counted per session and per
 * pool, each by the one task that owns it.
 */
#include <string.h>

#include "analysis_internal.h"
#include "dyadseq/permute.h"

/* The state of a permutation run: one stream per session, the permuted
 * counts of the current shuffle and the exceedance counts. */
typedef struct perm_run {
    const ds_corpus_t *c;
    const ds_analysis_opts_t *o;
    ds_analysis_t *a;
    const ds_analysis_labels_t *ls;
    size_t S, KK, NL, n_pools;
    ds_perm_t **perm;        /* [S] */
    int64_t *pcount;         /* [NL * S * KK] permuted session tables */
    int64_t *exceed;         /* [NL * S * KK] */
    int64_t *pool_counts;    /* [NL * n_pools * KK] permuted pooled tables */
    int64_t *pool_exceed;    /* [NL * n_pools * KK] */
    ds_analysis_failure_t *fails; /* [S] */
} perm_run_t;

static void perm_run_clear(perm_run_t *p)
{
    if (p->perm)
        for (size_t s = 0; s < p->S; s++)
            ds_perm_free(p->perm[s]);
    ds_analysis_failures_free(p->fails, p->S);
    free(p->perm);
    free(p->pcount);
    free(p->exceed);
    free(p->pool_counts);
    free(p->pool_exceed);
}

static int perm_run_init(perm_run_t *p, const ds_corpus_t *c,
                         const ds_analysis_opts_t *o, ds_analysis_t *a,
                         const ds_analysis_labels_t *ls, ds_error_t *err)
{
    memset(p, 0, sizeof *p);
    p->c = c;
    p->o = o;
    p->a = a;
    p->ls = ls;
    p->S = a->S;
    p->KK = a->K * a->K;
    p->NL = a->n_lags;
    p->n_pools = 1 + a->n_labels;
    size_t cells = ds_analysis_atleast1(p->NL * p->S * p->KK),
           pcells = ds_analysis_atleast1(p->NL * p->n_pools * p->KK);
    p->perm = calloc(ds_analysis_atleast1(p->S), sizeof *p->perm);
    p->pcount = malloc(cells * sizeof *p->pcount);
    p->exceed = calloc(cells, sizeof *p->exceed);
    p->pool_counts = malloc(pcells * sizeof *p->pool_counts);
    p->pool_exceed = calloc(pcells, sizeof *p->pool_exceed);
    p->fails = calloc(ds_analysis_atleast1(p->S), sizeof *p->fails);
    if (!p->perm || !p->pcount || !p->exceed || !p->pool_counts ||
        !p->pool_exceed || !p->fails)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t s = 0; s < p->S; s++) {
        const ds_session_t *se = &c->sessions[s];
        if (!(p->perm[s] = ds_perm_alloc(se->n)))
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        int rc = ds_perm_init(p->perm[s], o->seed, s, se->state, se->n,
                              a->K, o->zero, err);
        if (rc)
            return rc;
    }
    return DS_OK;
}

/* The structural zeros of lag l's tables: the lag-1 mask (SPEC 4.2). */
static const uint8_t *lag_zero(const perm_run_t *p, size_t l)
{
    return p->a->lag[l].lag == 1 ? p->o->zero : NULL;
}

/* One shuffle of session s: its permuted table of every lag, their
 * residuals, and the exceedances. */
static void shuffle_session(perm_run_t *p, size_t s, ds_lag_workspace_t *w,
                            double *zs)
{
    size_t K = p->a->K, KK = p->KK;
    ds_error_t e = {0};
    ds_perm_shuffle(p->perm[s]);
    for (size_t l = 0; l < p->NL; l++) {
        const ds_lag_result_t *r = &p->a->lag[l];
        int64_t *pc = p->pcount + (l * p->S + s) * KK;
        const ds_session_t *se = &p->c->sessions[s];
        if (se->n_periods > 1) { /* pairs within observed stretches */
            size_t n;
            memset(pc, 0, KK * sizeof *pc);
            ds_analysis_lag_count(se, ds_perm_states(p->perm[s], &n),
                                  r->lag, K, pc);
        } else {
            ds_perm_table(p->perm[s], r->lag, pc);
        }
        int rc = ds_lag_residuals(pc, K, lag_zero(p, l), &p->o->lag, w, NULL,
                                  zs, &e);
        if (rc && rc != DS_ENUM) {
            ds_analysis_fail_at(&p->fails[s], &p->c->sessions[s], &e);
            return;
        }
        ds_perm_exceed(r->adjusted_residual + s * KK, zs, KK,
                       p->exceed + (l * p->S + s) * KK);
    }
}

/* Job j (a lag and a pool): the sum of the pool's permuted session
 * tables, row by row, its residuals, and the exceedances. */
static void shuffle_pool(perm_run_t *p, size_t j, ds_lag_workspace_t *w,
                         double *zs)
{
    size_t K = p->a->K, KK = p->KK, S = p->S;
    size_t l = j / p->n_pools, q = j % p->n_pools;
    const ds_lag_result_t *r = &p->a->lag[l];
    const ds_lag_pool_t *pool = q == 0 ? &r->pooled : &r->by_label[q - 1];
    size_t from = q == 0 ? 0 : p->ls->start[q - 1],
           to = q == 0 ? S : p->ls->start[q];
    int64_t *sum = p->pool_counts + j * KK;
    memset(sum, 0, KK * sizeof *sum);
    for (size_t k = from; k < to; k++) {
        size_t s = q == 0 ? k : p->ls->index[k];
        const int64_t *row = p->pcount + (l * S + s) * KK;
        for (size_t cell = 0; cell < KK; cell++)
            sum[cell] += row[cell];
    }
    ds_error_t e = {0};
    int rc = ds_lag_residuals(sum, K, lag_zero(p, l), &p->o->lag, w, NULL,
                              zs, &e);
    if (rc == DS_OK || rc == DS_ENUM)
        ds_perm_exceed(pool->table->adjusted_residual, zs, KK,
                       p->pool_exceed + j * KK);
}

/* The M shuffles: sessions in parallel, then the pools in parallel, in
 * one parallel region (a workspace per thread). */
static void shuffle_all(perm_run_t *p)
{
    size_t M = p->o->permutations, S = p->S;
    size_t n_jobs = p->NL * p->n_pools;
#pragma omp parallel num_threads(p->o->threads)
    {
        ds_lag_workspace_t *w = ds_lag_workspace_alloc(p->a->K);
        double *zs = malloc(ds_analysis_atleast1(p->KK) * sizeof *zs);
        int ok = w && zs;
        for (size_t m = 0; m < M; m++) {
#pragma omp for schedule(dynamic, 4)
            for (size_t s = 0; s < S; s++) {
                if (!ok || p->fails[s].rc)
                    continue;
                shuffle_session(p, s, w, zs);
                if (p->o->progress)
                    p->o->progress(p->o->progress_ctx, p->c->sessions[s].n);
            }
#pragma omp for schedule(dynamic, 1)
            for (size_t j = 0; j < n_jobs; j++)
                if (ok)
                    shuffle_pool(p, j, w, zs);
        }
        if (!ok) {
#pragma omp critical(ds_analysis_perm_fail)
            if (!p->fails[0].rc)
                p->fails[0].rc = DS_ENOMEM;
        }
        ds_lag_workspace_free(w);
        free(zs);
    }
}

int ds_analysis_permute(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                        ds_analysis_t *a, const ds_analysis_labels_t *ls,
                        ds_error_t *err)
{
    perm_run_t p;
    size_t M = o->permutations;
    int rc = perm_run_init(&p, c, o, a, ls, err);
    if (rc)
        goto done;
    shuffle_all(&p);
    if ((rc = ds_analysis_first_failure(p.fails, p.S, err)))
        goto done;
    for (size_t l = 0; l < p.NL; l++) {
        ds_lag_result_t *r = &a->lag[l];
        for (size_t s = 0; s < p.S; s++)
            ds_perm_pvalue(r->adjusted_residual + s * p.KK,
                           p.exceed + (l * p.S + s) * p.KK, M, p.KK,
                           r->permutation_p + s * p.KK);
        for (size_t q = 0; q < p.n_pools; q++) {
            ds_lag_pool_t *pool = q == 0 ? &r->pooled : &r->by_label[q - 1];
            ds_perm_pvalue(pool->table->adjusted_residual,
                           p.pool_exceed + (l * p.n_pools + q) * p.KK, M,
                           p.KK, pool->permutation_p);
        }
    }
done:
    perm_run_clear(&p);
    return rc;
}
