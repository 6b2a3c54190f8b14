/*
 * analysis.c — the parallel driver of every per-session statistic and the
 * pooled and between-session statistics built on them (see analysis.h).
 *
 * Determinism: each OpenMP task writes only the slots of its session; the
 * pooled tables are sums of int64 counts, which are exact in any order;
 * every floating-point computation on pooled data runs serially or per
 * pool. Permutation streams are seeded per session (permute.h), so the
 * same seed gives the same p-values at any thread count.
 */
#include "dyadseq/analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "dyadseq/permute.h"
#include "text.h"

static double wall(void)
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
    ds_lag_opts_default(&o->lag);
    o->seed = 1;
    ds_window_opts_init(&o->window_opts);
    ds_responsive_opts_init(&o->responsive_opts);
    ds_cycles_opts_init(&o->cycles_opts);
    o->threads = 1;
}

/* ---- allocation ---------------------------------------------------- */

/* Allocation sizes: malloc(0) may return NULL, which would read as OOM. */
static size_t atleast1(size_t n)
{
    return n ? n : 1;
}

static double *nan_array(size_t n)
{
    double *p = malloc(atleast1(n) * sizeof *p);
    if (p)
        for (size_t i = 0; i < n; i++)
            p[i] = NAN;
    return p;
}

static void pool_free(ds_lag_pool_t *p)
{
    ds_lag_table_free(p->table);
    free(p->permutation_p);
    free(p->freq);
    ds_summary_free(p->summary_q);
    ds_summary_free(p->summary_z);
}

static int pool_alloc(ds_lag_pool_t *p, size_t K, size_t S, int perm)
{
    memset(p, 0, sizeof *p);
    p->table = ds_lag_table_alloc(K);
    p->freq = calloc(K, sizeof *p->freq);
    p->summary_q = ds_summary_alloc(K * K, atleast1(S));
    p->summary_z = ds_summary_alloc(K * K, atleast1(S));
    if (perm)
        p->permutation_p = nan_array(K * K);
    return p->table && p->freq && p->summary_q && p->summary_z &&
                   (!perm || p->permutation_p)
               ? 0
               : -1;
}

static void lag_free(ds_lag_result_t *r, size_t n_labels)
{
    free(r->counts);
    free(r->expected);
    free(r->transition_prob);
    free(r->adjusted_residual);
    free(r->p_value);
    free(r->yules_q);
    free(r->yules_q_se);
    free(r->log_odds_ratio);
    free(r->log_odds_ratio_se);
    free(r->wampold_kappa);
    free(r->wampold_z);
    free(r->permutation_p);
    free(r->g2);
    free(r->x2);
    free(r->df);
    free(r->g2_p);
    pool_free(&r->pooled);
    if (r->by_label)
        for (size_t l = 0; l < n_labels; l++)
            pool_free(&r->by_label[l]);
    free(r->by_label);
}

/* The per-session double arrays of r that a block sink receives and that
 * need not be kept whole: all but yules_q and adjusted_residual. */
#define N_STREAMED 8
static void streamed_slabs(ds_lag_result_t *r, double **slab[N_STREAMED])
{
    slab[0] = &r->expected;
    slab[1] = &r->transition_prob;
    slab[2] = &r->p_value;
    slab[3] = &r->yules_q_se;
    slab[4] = &r->log_odds_ratio;
    slab[5] = &r->log_odds_ratio_se;
    slab[6] = &r->wampold_kappa;
    slab[7] = &r->wampold_z;
}

/* Results of one lag for S sessions. With full = 0 (streaming), only the
 * arrays that pooling, summaries and permutations need are allocated. */
static int lag_alloc(ds_lag_result_t *r, size_t lag, size_t S, size_t K,
                     size_t n_labels, int perm, int full)
{
    size_t n = S * K * K;
    memset(r, 0, sizeof *r);
    r->lag = lag;
    int ok = 1;
    if (full) {
        double **slab[N_STREAMED];
        streamed_slabs(r, slab);
        ok &= (r->counts = calloc(atleast1(n), sizeof *r->counts)) != NULL;
        for (size_t i = 0; i < N_STREAMED; i++)
            ok &= (*slab[i] = nan_array(n)) != NULL;
    }
    ok &= (r->yules_q = nan_array(n)) != NULL;
    ok &= (r->adjusted_residual = nan_array(n)) != NULL;
    if (perm)
        ok &= (r->permutation_p = nan_array(n)) != NULL;
    ok &= (r->g2 = nan_array(S)) && (r->x2 = nan_array(S)) &&
          (r->df = nan_array(S)) && (r->g2_p = nan_array(S));
    ok &= pool_alloc(&r->pooled, K, S, perm) == 0;
    r->by_label = calloc(atleast1(n_labels), sizeof *r->by_label);
    ok &= r->by_label != NULL;
    for (size_t l = 0; ok && l < n_labels; l++)
        ok &= pool_alloc(&r->by_label[l], K, S, perm) == 0;
    return ok ? 0 : -1;
}

/*
 * Sessions are computed in blocks. A block view holds, for each lag and
 * for the windows, pointers such that row i is session first + i: into the
 * whole arrays of ds_analysis_t, or into block buffers that a block sink
 * receives and that are reused for the next block (streaming).
 */
typedef struct block_view {
    size_t first, n;
    ds_lag_result_t *lag;          /* [n_lags] */
    ds_window_result_t win;        /* per-session arrays only */
    int has_window;
    int reset;                     /* block buffers: reset_rows first */
} block_view_t;

/* Session si's table: its slots in the block view's arrays. */
static ds_lag_table_t session_view(const ds_lag_result_t *r, size_t i,
                                   size_t K)
{
    size_t o = i * K * K;
    ds_lag_table_t t = {
        .K = K,
        .counts = r->counts + o,
        .expected = r->expected + o,
        .transition_prob = r->transition_prob + o,
        .adjusted_residual = r->adjusted_residual + o,
        .p_value = r->p_value + o,
        .yules_q = r->yules_q + o,
        .yules_q_se = r->yules_q_se + o,
        .log_odds_ratio = r->log_odds_ratio + o,
        .log_odds_ratio_se = r->log_odds_ratio_se + o,
        .wampold_kappa = r->wampold_kappa + o,
        .wampold_z = r->wampold_z + o,
        .g2 = NAN, .x2 = NAN, .df = NAN, .g2_p = NAN};
    return t;
}

static void window_free(ds_window_result_t *w)
{
    if (!w)
        return;
    free(w->a);
    free(w->b);
    free(w->c);
    free(w->d);
    free(w->yules_q);
    free(w->log_odds_ratio);
    free(w->log_odds_ratio_se);
    free(w->adjusted_residual);
    ds_window_counts_free(w->pooled);
    free(w->pooled_q);
    free(w->pooled_lor);
    free(w->pooled_lor_se);
    free(w->pooled_z);
    free(w);
}

/* Window results with per-session arrays for `rows` sessions (none when
 * rows is 0: streaming keeps only the pooled counts). */
static ds_window_result_t *window_alloc(size_t rows, size_t K)
{
    ds_window_result_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t n = atleast1(rows * K * K);
    int per_session = rows > 0;
    if (per_session) {
        w->a = calloc(n, sizeof *w->a);
        w->b = calloc(n, sizeof *w->b);
        w->c = calloc(n, sizeof *w->c);
        w->d = calloc(n, sizeof *w->d);
        w->yules_q = nan_array(n);
        w->log_odds_ratio = nan_array(n);
        w->log_odds_ratio_se = nan_array(n);
        w->adjusted_residual = nan_array(n);
    }
    w->pooled = ds_window_counts_alloc(K);
    w->pooled_q = nan_array(K * K);
    w->pooled_lor = nan_array(K * K);
    w->pooled_lor_se = nan_array(K * K);
    w->pooled_z = nan_array(K * K);
    if ((per_session &&
         (!w->a || !w->b || !w->c || !w->d || !w->yules_q ||
          !w->log_odds_ratio || !w->log_odds_ratio_se ||
          !w->adjusted_residual)) ||
        !w->pooled || !w->pooled_q ||
        !w->pooled_lor || !w->pooled_lor_se || !w->pooled_z) {
        window_free(w);
        return NULL;
    }
    return w;
}

/* Scatter 2×2 statistics into the four result arrays. */
static void scatter_2x2(const ds_2x2_t *st, size_t n, double *q, double *lor,
                        double *lor_se, double *z)
{
    for (size_t i = 0; i < n; i++) {
        q[i] = st[i].yules_q;
        lor[i] = st[i].log_odds_ratio;
        lor_se[i] = st[i].log_odds_ratio_se;
        z[i] = st[i].adjusted_residual;
    }
}

void ds_analysis_free(ds_analysis_t *a)
{
    if (!a)
        return;
    free(a->n_events);
    free(a->duration_s);
    free(a->first_onset_s);
    free(a->state_freq);
    for (size_t l = 0; a->lag && l < a->n_lags; l++)
        lag_free(&a->lag[l], a->n_labels);
    free(a->lag);
    window_free(a->window);
    if (a->responsive)
        for (size_t i = 0; i < 2 * a->S; i++)
            ds_responsive_clear(&a->responsive[i]);
    free(a->responsive);
    if (a->km_pooled)
        for (size_t i = 0; i < (1 + a->n_labels) * 2; i++)
            ds_km_clear(&a->km_pooled[i]);
    free(a->km_pooled);
    free(a->km_pooled_bids);
    free(a->cycles);
    free(a->softening);
    free(a);
}

/* ---- per-session work ---------------------------------------------- */

/* Per-thread scratch. */
typedef struct scratch {
    ds_lag_workspace_t *lw;
    int64_t *freq;
    ds_window_workspace_t *ww;
    ds_window_counts_t *wc;
    ds_2x2_t *st;
    double *zstar;
} scratch_t;

static void scratch_free(scratch_t *x)
{
    ds_lag_workspace_free(x->lw);
    free(x->freq);
    ds_window_workspace_free(x->ww);
    ds_window_counts_free(x->wc);
    free(x->st);
    free(x->zstar);
}

static void scratch_free_all(scratch_t *xs, int n)
{
    for (int t = 0; xs && t < n; t++)
        scratch_free(&xs[t]);
    free(xs);
}

static int scratch_alloc(scratch_t *x, size_t K)
{
    memset(x, 0, sizeof *x);
    x->lw = ds_lag_workspace_alloc(K);
    x->freq = calloc(K, sizeof *x->freq);
    x->ww = ds_window_workspace_alloc();
    x->wc = ds_window_counts_alloc(K);
    x->st = calloc(K * K, sizeof *x->st);
    x->zstar = calloc(K * K, sizeof *x->zstar);
    return x->lw && x->freq && x->ww && x->wc && x->st && x->zstar ? 0 : -1;
}

/* A failure inside the parallel loop, kept per session so the one
 * reported (the lowest session index) does not depend on scheduling. */
typedef struct failure {
    int rc;
    char *msg;
} failure_t;

static void fail_at(failure_t *f, const ds_session_t *s, const ds_error_t *e)
{
    size_t n = strlen(e->msg) + strlen(s->couple) + strlen(s->label) + 32;
    f->rc = e->code ? e->code : DS_ENUM;
    f->msg = malloc(n);
    if (f->msg)
        snprintf(f->msg, n, "session '%s'/'%s': %s", s->couple, s->label,
                 e->msg);
}

/* Free a Kaplan-Meier curve's arrays but keep its size (km.n points). */
static void km_release(ds_km_t *km)
{
    free(km->time_s);
    free(km->survival);
    free(km->n_at_risk);
    free(km->n_events);
    km->time_s = km->survival = NULL;
    km->n_at_risk = km->n_events = NULL;
    km->cap = 0;
}

static int64_t *a_freq(ds_analysis_t *a, size_t s)
{
    return a->state_freq + s * a->K;
}

static void analyze_session(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                            ds_analysis_t *a, const block_view_t *bv,
                            size_t si, scratch_t *x, failure_t *f,
                            failure_t *warn)
{
    const ds_session_t *s = &c->sessions[si];
    size_t K = a->K, i = si - bv->first; /* row in the block */
    ds_error_t e = {0};
    int rc;

    a->duration_s[si] = ds_session_duration(s);
    int64_t *freq = a_freq(a, si);
    memset(freq, 0, K * sizeof *freq);
    ds_lag_state_freq(s->state, s->n, K, freq);
    for (size_t l = 0; l < a->n_lags; l++) {
        ds_lag_result_t *r = &bv->lag[l];
        ds_lag_table_t t = session_view(r, i, K);
        ds_lag_count(s->state, s->n, r->lag, K, t.counts);
        rc = ds_lag_table_compute(&t, freq, (int64_t)s->n,
                                  r->lag == 1 ? o->zero : NULL, &o->lag,
                                  x->lw, &e);
        if (rc == DS_ENUM) { /* statistics NaN: a warning, not a failure */
            if (!warn->rc)
                fail_at(warn, s, &e);
        } else if (rc) {
            fail_at(f, s, &e);
            return;
        }
        r->g2[i] = t.g2;
        r->x2[i] = t.x2;
        r->df[i] = t.df;
        r->g2_p[i] = t.g2_p;
    }

    if (bv->has_window) {
        const ds_window_result_t *w = &bv->win;
        rc = ds_window_tally(c, s, &o->window_opts, x->ww, x->wc, &e);
        if (rc) {
            fail_at(f, s, &e);
            return;
        }
        size_t off = i * K * K, n = K * K;
        memcpy(w->a + off, x->wc->a, n * sizeof *w->a);
        memcpy(w->b + off, x->wc->b, n * sizeof *w->b);
        memcpy(w->c + off, x->wc->c, n * sizeof *w->c);
        memcpy(w->d + off, x->wc->d, n * sizeof *w->d);
        ds_window_stats(x->wc, o->lag.zero_correction, x->st);
        scatter_2x2(x->st, n, w->yules_q + off, w->log_odds_ratio + off,
                    w->log_odds_ratio_se + off, w->adjusted_residual + off);
    }

    if (a->responsive) {
        rc = ds_responsive_session(c, s, &o->responsive_opts,
                                   &a->responsive[2 * si], &e);
        if (rc) {
            fail_at(f, s, &e);
            return;
        }
        if (o->block_sink) /* streaming: the curves are computed again
                              when written (ds_analysis_km) */
            for (int k = 0; k < 2; k++)
                km_release(&a->responsive[2 * si + k].km);
    }

    if (a->cycles) {
        size_t n_runs;
        rc = ds_cycles_compute(c, s, &o->cycles_opts, &a->cycles[si], NULL,
                               0, &n_runs, &e);
        if (rc == DS_OK)
            rc = ds_softening_compute(c, s, &o->cycles_opts,
                                      &a->softening[2 * si], &e);
        if (rc) {
            fail_at(f, s, &e);
            return;
        }
    }
}

/* ---- pooling --------------------------------------------------------- */

/* Sessions of each label, as index lists (for summaries and pooling). */
typedef struct label_sets {
    size_t *index;  /* [S], grouped by label */
    size_t *start;  /* [n_labels + 1] */
} label_sets_t;

static int label_sets(const ds_corpus_t *c, label_sets_t *ls)
{
    size_t L = c->n_labels, S = c->n_sessions;
    ls->index = malloc(atleast1(S) * sizeof *ls->index);
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

/* Add the count tables of a block's sessions to the pools they belong to
 * (all sessions, and their label's): integer sums, exact in any order. */
static void pool_add_block(const ds_corpus_t *c, ds_lag_result_t *r,
                           const ds_lag_result_t *blk, size_t first, size_t n)
{
    size_t KK = c->n_states * c->n_states;
    int64_t *all = r->pooled.table->counts;
    for (size_t i = 0; i < n; i++) {
        const int64_t *cs = blk->counts + i * KK;
        int64_t *lab =
            r->by_label[c->sessions[first + i].label_index].table->counts;
        for (size_t j = 0; j < KK; j++) {
            all[j] += cs[j];
            lab[j] += cs[j];
        }
    }
}

/* The pool's table holds the summed counts of the sessions listed in idx
 * (all sessions when idx is NULL): add their state frequencies, then
 * compute it and its summaries. */
static int pool_compute(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                        const ds_analysis_t *a, const ds_lag_result_t *r,
                        ds_lag_pool_t *p,
                        const size_t *idx, size_t n_idx,
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
    int rq = ds_summary_compute(p->summary_q, r->yules_q, c->n_sessions, idx,
                                n_idx, err);
    if (rq)
        return rq;
    rq = ds_summary_compute(p->summary_z, r->adjusted_residual,
                            c->n_sessions, idx, n_idx, err);
    return rq ? rq : rc;
}

/*
 * Kaplan-Meier time to response pooled over sessions, per scope (all
 * sessions, each label) and bidder: one product-limit estimate over all
 * their bids (ds_km_pool_groups), not a mean of session curves. The two
 * bidders are independent jobs. The bids' observations are freed
 * afterwards; the session curves keep their sizes.
 */
static int pool_km(const ds_corpus_t *c, ds_analysis_t *a, int threads,
                   ds_error_t *err)
{
    size_t S = a->S, L = a->n_labels, P = 1 + L;
    a->km_pooled = calloc(2 * P, sizeof *a->km_pooled);
    a->km_pooled_bids = calloc(2 * P, sizeof *a->km_pooled_bids);
    if (!a->km_pooled || !a->km_pooled_bids)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t k = 0; k < 2 * P; k++)
        ds_km_init(&a->km_pooled[k]);
    int rc_b[2] = {DS_OK, DS_OK};
    ds_error_t err_b[2];
#pragma omp parallel for num_threads(threads > 1 ? 2 : 1) schedule(static, 1)
    for (size_t b = 0; b < 2; b++) {
        size_t n = 0;
        for (size_t s = 0; s < S; s++) {
            const ds_responsive_t *x = &a->responsive[2 * s + b];
            size_t lb = c->sessions[s].label_index;
            n += x->n_obs;
            a->km_pooled_bids[b] += x->n_bids;
            a->km_pooled_bids[2 * (1 + lb) + b] += x->n_bids;
        }
        double *t = malloc(atleast1(n) * sizeof *t);
        double *e = malloc(atleast1(n) * sizeof *e);
        uint32_t *g = malloc(atleast1(n) * sizeof *g);
        size_t *run = malloc((S + 1) * sizeof *run);
        ds_km_t *km = malloc(P * sizeof *km);
        if (!t || !e || !g || !run || !km) {
            rc_b[b] = ds_error_set(&err_b[b], DS_ENOMEM, "out of memory");
        } else {
            size_t j = 0;
            for (size_t s = 0; s < S; s++) {
                const ds_responsive_t *x = &a->responsive[2 * s + b];
                run[s] = j; /* each session's bids are sorted by time */
                memcpy(t + j, x->obs_time_s, x->n_obs * sizeof *t);
                memcpy(e + j, x->obs_event, x->n_obs * sizeof *e);
                for (size_t k = 0; k < x->n_obs; k++)
                    g[j + k] = (uint32_t)c->sessions[s].label_index;
                j += x->n_obs;
            }
            /* curves of this bidder: scope p is km_pooled[2 p + b] */
            for (size_t p = 0; p < P; p++)
                km[p] = a->km_pooled[2 * p + b];
            run[S] = n;
            rc_b[b] = ds_km_pool_groups(t, e, g, n, L, run, S, km,
                                        &err_b[b]);
            for (size_t p = 0; p < P; p++)
                a->km_pooled[2 * p + b] = km[p];
        }
        free(t);
        free(e);
        free(g);
        free(run);
        free(km);
    }
    for (size_t i = 0; i < 2 * S; i++) {
        ds_responsive_t *x = &a->responsive[i];
        free(x->obs_time_s);
        free(x->obs_event);
        x->obs_time_s = x->obs_event = NULL;
        x->n_obs = 0;
    }
    for (int b = 0; b < 2; b++)
        if (rc_b[b])
            return ds_error_set(err, rc_b[b], "%s", err_b[b].msg);
    return DS_OK;
}

/* The structural-zero mask of lag table l: the run's mask at lag 1, none
 * at other lags (SPEC 4.2). */
static const uint8_t *lag_zero(const ds_analysis_opts_t *o,
                               const ds_analysis_t *a, size_t l)
{
    return a->lag[l].lag == 1 ? o->zero : NULL;
}

static int run_permutations(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                            ds_analysis_t *a, const label_sets_t *ls,
                            ds_error_t *err)
{
    size_t S = a->S, K = a->K, KK = K * K, L = a->n_labels, M =
        o->permutations, NL = a->n_lags, n_pools = 1 + L;
    int rc = DS_OK;
    ds_perm_t **perm = calloc(atleast1(S), sizeof *perm);
    int64_t *pcount = malloc(atleast1(NL * S * KK) * sizeof *pcount);
    int64_t *exceed = calloc(atleast1(NL * S * KK), sizeof *exceed);
    int64_t *pool_counts = malloc(NL * n_pools * KK * sizeof *pool_counts);
    int64_t *pool_exceed = calloc(NL * n_pools * KK, sizeof *pool_exceed);
    failure_t *fails = calloc(atleast1(S), sizeof *fails);
    if (!perm || !pcount || !exceed || !pool_counts || !pool_exceed ||
        !fails) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++) {
        const ds_session_t *se = &c->sessions[s];
        perm[s] = ds_perm_alloc(se->n);
        if (!perm[s]) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto done;
        }
        rc = ds_perm_init(perm[s], o->seed, s, se->state, se->n, K, o->zero,
                          err);
        if (rc)
            goto done;
    }

#pragma omp parallel num_threads(o->threads)
    {
        ds_lag_workspace_t *w = ds_lag_workspace_alloc(K);
        double *zs = malloc(KK * sizeof *zs);
        int ok = w && zs;
        for (size_t m = 0; m < M; m++) {
#pragma omp for schedule(dynamic, 4)
            for (size_t s = 0; s < S; s++) {
                if (!ok || fails[s].rc)
                    continue;
                ds_error_t e = {0};
                ds_perm_shuffle(perm[s]);
                for (size_t l = 0; l < NL; l++) {
                    int64_t *pc = pcount + (l * S + s) * KK;
                    ds_perm_table(perm[s], a->lag[l].lag, pc);
                    int r = ds_lag_residuals(pc, K, lag_zero(o, a, l),
                                             &o->lag, w, NULL, zs, &e);
                    if (r && r != DS_ENUM) {
                        fail_at(&fails[s], &c->sessions[s], &e);
                        break;
                    }
                    ds_perm_exceed(a->lag[l].adjusted_residual + s * KK, zs,
                                   KK, exceed + (l * S + s) * KK);
                }
                if (o->progress)
                    o->progress(o->progress_ctx, c->sessions[s].n);
            }
            /* pooled permuted tables, a job per lag and pool: integer sums
             * of the same session tables, row by row (exact in any order),
             * then their residuals */
#pragma omp for schedule(dynamic, 1)
            for (size_t j = 0; j < NL * n_pools; j++) {
                size_t l = j / n_pools, p = j % n_pools;
                const ds_lag_pool_t *pool =
                    p == 0 ? &a->lag[l].pooled : &a->lag[l].by_label[p - 1];
                size_t from = p == 0 ? 0 : ls->start[p - 1],
                       to = p == 0 ? S : ls->start[p];
                int64_t *sum = pool_counts + j * KK;
                memset(sum, 0, KK * sizeof *sum);
                for (size_t k = from; k < to; k++) {
                    size_t s = p == 0 ? k : ls->index[k];
                    const int64_t *row = pcount + (l * S + s) * KK;
                    for (size_t cell = 0; cell < KK; cell++)
                        sum[cell] += row[cell];
                }
                ds_error_t e = {0};
                if (!ok)
                    continue;
                int r = ds_lag_residuals(sum, K, lag_zero(o, a, l), &o->lag,
                                         w, NULL, zs, &e);
                if (r == DS_OK || r == DS_ENUM)
                    ds_perm_exceed(pool->table->adjusted_residual, zs, KK,
                                   pool_exceed + j * KK);
            }
        }
        if (!ok) {
#pragma omp critical(ds_analysis_fail)
            if (!fails[0].rc)
                fails[0].rc = DS_ENOMEM;
        }
        ds_lag_workspace_free(w);
        free(zs);
    }
    for (size_t s = 0; s < S; s++)
        if (fails[s].rc) {
            rc = ds_error_set(err, fails[s].rc, "%s",
                              fails[s].msg ? fails[s].msg : "out of memory");
            goto done;
        }
    for (size_t l = 0; l < NL; l++) {
        ds_lag_result_t *r = &a->lag[l];
        for (size_t s = 0; s < S; s++)
            ds_perm_pvalue(r->adjusted_residual + s * KK,
                           exceed + (l * S + s) * KK, M, KK,
                           r->permutation_p + s * KK);
        for (size_t p = 0; p < n_pools; p++) {
            ds_lag_pool_t *pool = p == 0 ? &r->pooled : &r->by_label[p - 1];
            ds_perm_pvalue(pool->table->adjusted_residual,
                           pool_exceed + (l * n_pools + p) * KK, M, KK,
                           pool->permutation_p);
        }
    }
done:
    if (perm)
        for (size_t s = 0; s < S; s++)
            ds_perm_free(perm[s]);
    if (fails)
        for (size_t s = 0; s < S; s++)
            free(fails[s].msg);
    free(fails);
    free(perm);
    free(pcount);
    free(exceed);
    free(pool_counts);
    free(pool_exceed);
    return rc;
}

/* ---- the driver -------------------------------------------------------- */

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

/* Fill n doubles with NaN. */
static void fill_nan(double *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = NAN;
}

/* Point v at the rows of sessions [first, first + n): the whole arrays of a
 * at that offset, or (streaming) the block buffers blk and blkw, reset. */
static void block_view_set(block_view_t *v, ds_analysis_t *a,
                           ds_lag_result_t *blk, ds_window_result_t *blkw,
                           size_t first, size_t n)
{
    size_t KK = a->K * a->K, o = first * KK;
    v->first = first;
    v->n = n;
    v->reset = blk != NULL;
    for (size_t l = 0; l < a->n_lags; l++) {
        ds_lag_result_t *r = &a->lag[l], *x = &v->lag[l];
        *x = *r;
        x->permutation_p = NULL;
        x->g2 = r->g2 + first;
        x->x2 = r->x2 + first;
        x->df = r->df + first;
        x->g2_p = r->g2_p + first;
        x->yules_q = r->yules_q + o;
        x->adjusted_residual = r->adjusted_residual + o;
        double **dst[N_STREAMED], **src[N_STREAMED];
        streamed_slabs(x, dst);
        if (blk) { /* reset row by row by the sessions (reset_rows) */
            streamed_slabs(&blk[l], src);
            x->counts = blk[l].counts;
            for (size_t i = 0; i < N_STREAMED; i++)
                *dst[i] = *src[i];
        } else {
            x->counts = r->counts + o;
            for (size_t i = 0; i < N_STREAMED; i++)
                *dst[i] += o;
        }
    }
    v->has_window = a->window != NULL;
    if (!v->has_window)
        return;
    ds_window_result_t *w = blkw ? blkw : a->window;
    size_t wo = blkw ? 0 : o;
    v->win.a = w->a + wo;
    v->win.b = w->b + wo;
    v->win.c = w->c + wo;
    v->win.d = w->d + wo;
    v->win.yules_q = w->yules_q + wo;
    v->win.log_odds_ratio = w->log_odds_ratio + wo;
    v->win.log_odds_ratio_se = w->log_odds_ratio_se + wo;
    v->win.adjusted_residual = w->adjusted_residual + wo;
}

/* Reset row i of the reused block buffers (zero counts, NaN statistics) so no
 * value of an earlier block can reach the file; done by the session's own
 * task, in parallel. */
static void reset_rows(block_view_t *v, size_t n_lags, size_t i, size_t KK)
{
    size_t o = i * KK;
    for (size_t l = 0; l < n_lags; l++) {
        double **slab[N_STREAMED];
        streamed_slabs(&v->lag[l], slab);
        memset(v->lag[l].counts + o, 0, KK * sizeof(int64_t));
        for (size_t k = 0; k < N_STREAMED; k++)
            fill_nan(*slab[k] + o, KK);
    }
    if (v->has_window) {
        memset(v->win.a + o, 0, KK * sizeof(int64_t));
        memset(v->win.b + o, 0, KK * sizeof(int64_t));
        memset(v->win.c + o, 0, KK * sizeof(int64_t));
        memset(v->win.d + o, 0, KK * sizeof(int64_t));
        fill_nan(v->win.yules_q + o, KK);
        fill_nan(v->win.log_odds_ratio + o, KK);
        fill_nan(v->win.log_odds_ratio_se + o, KK);
        fill_nan(v->win.adjusted_residual + o, KK);
    }
}

/* Block buffers of a streaming run: counts and the streamed statistics of
 * every lag for `rows` sessions. */
static void block_free(ds_lag_result_t *blk, size_t n_lags)
{
    for (size_t l = 0; blk && l < n_lags; l++) {
        double **slab[N_STREAMED];
        streamed_slabs(&blk[l], slab);
        free(blk[l].counts);
        for (size_t i = 0; i < N_STREAMED; i++)
            free(*slab[i]);
    }
    free(blk);
}

static ds_lag_result_t *block_alloc(size_t n_lags, size_t rows, size_t K)
{
    ds_lag_result_t *blk = calloc(atleast1(n_lags), sizeof *blk);
    int ok = blk != NULL;
    for (size_t l = 0; ok && l < n_lags; l++) {
        double **slab[N_STREAMED];
        streamed_slabs(&blk[l], slab);
        ok &= (blk[l].counts = malloc(rows * K * K * sizeof(int64_t))) !=
              NULL;
        for (size_t i = 0; i < N_STREAMED; i++)
            ok &= (*slab[i] = malloc(rows * K * K * sizeof(double))) != NULL;
    }
    if (!ok) {
        block_free(blk, n_lags);
        return NULL;
    }
    return blk;
}

int ds_analysis_run(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                    ds_analysis_t **out, ds_diag_t *diag, ds_error_t *err)
{
    size_t S = c->n_sessions, K = c->n_states, L = c->n_labels, KK = K * K;
    int rc = DS_ENOMEM, stream = o->block_sink != NULL;
    int threads = o->threads > 0 ? o->threads : 1;
    label_sets_t ls = {0};
    failure_t *fails = NULL, *warns = NULL;
    scratch_t *xs = NULL;
    ds_lag_result_t *blk = NULL;
    ds_window_result_t *blkw = NULL;
    block_view_t bv = {0};
    *out = NULL;
    ds_analysis_t *a = calloc(1, sizeof *a);
    if (!a)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    a->S = S;
    a->K = K;
    a->n_labels = L;
    a->n_events = calloc(atleast1(S), sizeof *a->n_events);
    a->duration_s = nan_array(S);
    a->first_onset_s = nan_array(S);
    a->state_freq = calloc(atleast1(S * K), sizeof *a->state_freq);
    if (!a->n_events || !a->duration_s || !a->first_onset_s ||
        !a->state_freq)
        goto oom;
    for (size_t s = 0; s < S; s++) {
        const ds_session_t *se = &c->sessions[s];
        a->n_events[s] = (int64_t)se->n;
        if (se->onset && se->n)
            a->first_onset_s[s] = se->onset[0];
    }

    /* sessions per block: all of them unless streaming */
    size_t B = stream ? (o->block_rows ? o->block_rows : 512) : S;
    if (B > S)
        B = S;
    if (B == 0)
        B = 1;

    a->n_lags = o->n_lags;
    a->lag = calloc(atleast1(o->n_lags), sizeof *a->lag);
    bv.lag = calloc(atleast1(o->n_lags), sizeof *bv.lag);
    if (!a->lag || !bv.lag)
        goto oom;
    for (size_t l = 0; l < o->n_lags; l++)
        if (lag_alloc(&a->lag[l], o->lags[l], S, K, L, o->permutations > 0,
                      !stream))
            goto oom;
    if (stream && !(blk = block_alloc(o->n_lags, B, K)))
        goto oom;

    if (o->window) {
        a->window_skipped = ds_analysis_window_skipped(c, o);
        if (!a->window_skipped &&
            (!(a->window = window_alloc(stream ? 0 : S, K)) ||
             (stream && !(blkw = window_alloc(B, K)))))
            goto oom;
    }
    if (!c->has_actor || c->n_actors < 2)
        a->responsive_skipped = a->cycles_skipped =
            "responsiveness, cycles and softening need an actor column and "
            "two actors";
    else if (!c->has_time)
        a->responsive_skipped = "responsiveness needs a time column";
    if (!a->responsive_skipped) {
        a->responsive = calloc(atleast1(2 * S), sizeof *a->responsive);
        if (!a->responsive)
            goto oom;
        for (size_t i = 0; i < 2 * S; i++)
            ds_responsive_init(&a->responsive[i]);
    }
    if (!a->cycles_skipped) {
        a->cycles = calloc(atleast1(S), sizeof *a->cycles);
        a->softening = calloc(atleast1(2 * S), sizeof *a->softening);
        if (!a->cycles || !a->softening)
            goto oom;
    }
    fails = calloc(atleast1(S), sizeof *fails);
    warns = calloc(atleast1(S), sizeof *warns);
    xs = calloc((size_t)threads, sizeof *xs);
    if (!fails || !warns || !xs || label_sets(c, &ls))
        goto oom;
    for (int t = 0; t < threads; t++)
        if (scratch_alloc(&xs[t], K))
            goto oom;

    /* Blocks in session order; within a block, sessions in parallel, each
     * writing only its own rows. Then, on this thread, the block's counts
     * are added to the pools and the block goes to the sink. */
    double t0 = wall();
    for (size_t first = 0; first < S; first += B) {
        size_t n = S - first < B ? S - first : B;
        block_view_set(&bv, a, blk, blkw, first, n);
        /* runs of 16 sessions: neighbours' per-session slots (durations,
         * g2, state frequencies, row structs) share cache lines, and one
         * session at a time made the threads write the same lines */
#pragma omp parallel for schedule(dynamic, 16) num_threads(threads)
        for (size_t s = first; s < first + n; s++) {
#ifdef _OPENMP
            scratch_t *x = &xs[omp_get_thread_num()];
#else
            scratch_t *x = &xs[0];
#endif
            if (bv.reset)
                reset_rows(&bv, a->n_lags, s - first, KK);
            analyze_session(c, o, a, &bv, s, x, &fails[s], &warns[s]);
            if (o->progress)
                o->progress(o->progress_ctx, c->sessions[s].n);
        }
        for (size_t s = first; s < first + n; s++)
            if (fails[s].rc) {
                rc = ds_error_set(err, fails[s].rc, "%s",
                                  fails[s].msg ? fails[s].msg
                                               : "out of memory");
                goto fail;
            }
        for (size_t l = 0; l < a->n_lags; l++)
            pool_add_block(c, &a->lag[l], &bv.lag[l], first, n);
        if (bv.has_window) {
            ds_window_counts_t *pw = a->window->pooled;
            for (size_t j = 0; j < n * KK; j++) {
                pw->a[j % KK] += bv.win.a[j];
                pw->b[j % KK] += bv.win.b[j];
                pw->c[j % KK] += bv.win.c[j];
                pw->d[j % KK] += bv.win.d[j];
            }
        }
        if (stream) {
            ds_analysis_block_t pub = {.first = first, .n = n,
                                       .lag = bv.lag,
                                       .window = bv.has_window ? &bv.win
                                                               : NULL};
            double ts = wall();
            rc = o->block_sink(o->block_ctx, &pub, err);
            a->seconds_sink += wall() - ts;
            if (rc)
                goto fail;
        }
    }
    a->seconds_compute = wall() - t0;
    for (size_t s = 0; s < S; s++) /* in session order, whatever the threads */
        if (warns[s].rc)
            ds_diag_warning(diag, NULL, 0, NULL, "%s; its statistics are NaN",
                            warns[s].msg ? warns[s].msg : "numerical failure");

    /* pooled tables, overall and per label, and their summaries: each an
     * independent job writing only its own pool; warnings in job order */
    size_t n_jobs = a->n_lags * (1 + L);
    int *job_rc = calloc(atleast1(n_jobs), sizeof *job_rc);
    ds_error_t *job_err = calloc(atleast1(n_jobs), sizeof *job_err);
    if (!job_rc || !job_err) {
        free(job_rc);
        free(job_err);
        goto oom;
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
                                   ls.index + ls.start[lb - 1],
                                   ls.start[lb] - ls.start[lb - 1], w,
                                   &job_err[j]);
        ds_lag_workspace_free(w);
    }
    rc = DS_OK;
    for (size_t j = 0; j < n_jobs && rc == DS_OK; j++) {
        if (job_rc[j] == DS_ENUM) /* NaN statistics and a warning */
            ds_diag_warning(diag, NULL, 0, NULL,
                            "pooled lag-%zu table: %s; its statistics are "
                            "NaN", a->lag[j / (1 + L)].lag, job_err[j].msg);
        else if (job_rc[j])
            rc = ds_error_set(err, job_rc[j], "%s", job_err[j].msg);
    }
    free(job_rc);
    free(job_err);
    if (rc)
        goto fail;

    if (a->window) {
        ds_window_result_t *wr = a->window;
        ds_2x2_t *st = calloc(KK, sizeof *st);
        if (!st)
            goto oom;
        ds_window_stats(wr->pooled, o->lag.zero_correction, st);
        scatter_2x2(st, KK, wr->pooled_q, wr->pooled_lor, wr->pooled_lor_se,
                    wr->pooled_z);
        free(st);
    }

    if (a->responsive && (rc = pool_km(c, a, threads, err)))
        goto fail;

    if (o->permutations) {
        t0 = wall();
        rc = run_permutations(c, o, a, &ls, err);
        a->seconds_permute = wall() - t0;
        if (rc)
            goto fail;
    }

    *out = a; /* the result is the caller's; the rest is scratch */
    a = NULL;
    rc = DS_OK;
    goto cleanup;
oom:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory");
fail:
cleanup:
    for (size_t s = 0; s < S; s++) {
        if (fails)
            free(fails[s].msg);
        if (warns)
            free(warns[s].msg);
    }
    free(fails);
    free(warns);
    free(ls.index);
    free(ls.start);
    scratch_free_all(xs, threads);
    block_free(blk, o->n_lags);
    window_free(blkw);
    free(bv.lag);
    ds_analysis_free(a);
    return rc;
}

int ds_analysis_km(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                   size_t first, size_t n, ds_responsive_t *out,
                   ds_error_t *err)
{
    int rc = DS_OK;
    int threads = o->threads > 0 ? o->threads : 1;
    for (size_t i = 0; i < 2 * n; i++)
        ds_responsive_init(&out[i]);
#pragma omp parallel for schedule(dynamic, 8) num_threads(threads)
    for (size_t i = 0; i < n; i++) {
        ds_error_t e;
        int r = ds_responsive_session(c, &c->sessions[first + i],
                                      &o->responsive_opts, &out[2 * i], &e);
        if (r) {
#pragma omp critical(ds_analysis_km)
            if (!rc) {
                rc = r;
                if (err)
                    *err = e;
            }
        }
    }
    return rc;
}
