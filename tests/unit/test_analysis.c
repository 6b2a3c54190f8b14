/*
 * Unit tests of the driver (analysis.h): on a small study built in code
 * (fixture_study.h),
 *   - every per-session result equals what the per-session modules give
 *     when called directly (lagstats, window, responsive, cycles,
 *     softening), and every pooled result equals a pooling done here
 *     (summed counts, summaries, a Kaplan-Meier estimate over all bids);
 *   - 1 and 2 threads give identical results, permutations included;
 *   - streaming (a block sink, blocks smaller than the study) gives the
 *     same per-session rows, in session order, and the same kept results
 *     as one block;
 *   - options that cannot work together, a failing sink and a corpus
 *     without actors behave as analysis.h says.
 * Equality is bitwise (NaN equals NaN) unless a tolerance is given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dyadseq/analysis.h"
#include "fixture_study.h"
#include "unit.h"

/* Bitwise equality of n doubles (NaN payloads as computed). */
static int same_d(const double *a, const double *b, size_t n)
{
    return n == 0 || (a && b && memcmp(a, b, n * sizeof *a) == 0);
}

static int same_i(const int64_t *a, const int64_t *b, size_t n)
{
    return n == 0 || (a && b && memcmp(a, b, n * sizeof *a) == 0);
}

static int same_km(const ds_km_t *a, const ds_km_t *b)
{
    return a->n == b->n && a->n_obs == b->n_obs &&
           memcmp(&a->max_time_s, &b->max_time_s, sizeof(double)) == 0 &&
           same_d(a->time_s, b->time_s, a->n) &&
           same_d(a->survival, b->survival, a->n) &&
           (a->n == 0 || (memcmp(a->n_at_risk, b->n_at_risk,
                                 a->n * sizeof(size_t)) == 0 &&
                          memcmp(a->n_events, b->n_events,
                                 a->n * sizeof(size_t)) == 0));
}

/* The options of these tests: lags 1 and 2, windows on. */
static const size_t lags12[] = {1, 2};

static ds_analysis_opts_t opts(int threads, size_t permutations)
{
    ds_analysis_opts_t o;
    ds_analysis_opts_init(&o);
    o.lags = lags12;
    o.n_lags = 2;
    o.window = 1;
    o.permutations = permutations;
    o.seed = 11;
    o.threads = threads;
    return o;
}

static ds_analysis_t *run(const ds_corpus_t *c, const ds_analysis_opts_t *o)
{
    ds_diag_t diag;
    ds_diag_init(&diag, 10);
    ds_error_t err = {0};
    ds_analysis_t *a = NULL;
    int rc = ds_analysis_run(c, o, &a, &diag, &err);
    if (rc)
        printf("# ds_analysis_run: %s\n", err.msg);
    ds_diag_clear(&diag);
    return a;
}

/* ---- per-session results against the modules called directly ---------- */

static int session_lags_match(const ds_corpus_t *c, const ds_analysis_t *a,
                              const ds_analysis_opts_t *o, size_t s)
{
    const ds_session_t *se = &c->sessions[s];
    size_t K = a->K, KK = K * K;
    ds_lag_table_t *t = ds_lag_table_alloc(K);
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(K);
    int64_t *freq = calloc(K, sizeof *freq);
    ds_error_t err;
    int ok = t && w && freq;
    ds_lag_state_freq(se->state, se->n, K, freq);
    ok &= same_i(freq, a->state_freq + s * K, K);
    for (size_t l = 0; ok && l < a->n_lags; l++) {
        const ds_lag_result_t *r = &a->lag[l];
        ds_lag_table_reset(t);
        ds_lag_count(se->state, se->n, r->lag, K, t->counts);
        int rc = ds_lag_table_compute(t, freq, (int64_t)se->n, NULL, &o->lag,
                                      w, &err);
        ok &= rc == DS_OK || rc == DS_ENUM;
        ok &= same_i(t->counts, r->counts + s * KK, KK);
#define X_(name, type, description)                                          \
    ok &= same_d(t->name, r->name + s * KK, KK);
        DS_LAG_CELL_STATS(X_)
#undef X_
#define X_(name, type, description) ok &= same_d(&t->name, &r->name[s], 1);
        DS_LAG_TABLE_STATS(X_)
#undef X_
    }
    ds_lag_table_free(t);
    ds_lag_workspace_free(w);
    free(freq);
    return ok;
}

static int session_window_match(const ds_corpus_t *c, const ds_analysis_t *a,
                                const ds_analysis_opts_t *o, size_t s)
{
    size_t K = a->K, KK = K * K;
    ds_window_workspace_t *ww = ds_window_workspace_alloc();
    ds_window_counts_t *wc = ds_window_counts_alloc(K);
    ds_2x2_t *st = calloc(KK, sizeof *st);
    ds_error_t err;
    int ok = ww && wc && st && a->window &&
             ds_window_tally(c, &c->sessions[s], &o->window_opts, ww, wc,
                             &err) == DS_OK;
    if (ok) {
        const ds_window_result_t *w = a->window;
#define X_(name, type, description) ok &= same_i(wc->name, w->name + s * KK, KK);
        DS_WINDOW_CELL_COUNTS(X_)
#undef X_
        ds_window_stats(wc, o->lag.zero_correction, st);
        for (size_t i = 0; i < KK; i++) {
#define X_(name, type, description)                                          \
    ok &= same_d(&st[i].name, &w->name[s * KK + i], 1);
            DS_WINDOW_CELL_STATS(X_)
#undef X_
        }
    }
    ds_window_workspace_free(ww);
    ds_window_counts_free(wc);
    free(st);
    return ok;
}

/* Responsiveness, cycles and softening of session s; direct[2] receives
 * the session's responsiveness (with its observations) for pooling. */
static int session_dyadic_match(const ds_corpus_t *c, const ds_analysis_t *a,
                                const ds_analysis_opts_t *o, size_t s,
                                ds_responsive_t direct[2])
{
    const ds_session_t *se = &c->sessions[s];
    ds_error_t err;
    int ok = ds_responsive_session(c, se, &o->responsive_opts, direct,
                                   &err) == DS_OK;
    for (size_t b = 0; ok && b < 2; b++) {
        const ds_responsive_t *x = &direct[b], *y = &a->responsive[2 * s + b];
        ok &= x->bidder == y->bidder && x->n_bids == y->n_bids &&
              x->n_answered == y->n_answered &&
              x->n_answered_late == y->n_answered_late &&
              x->n_turned_away == y->n_turned_away &&
              x->n_turned_against == y->n_turned_against &&
              same_d(&x->response_rate, &y->response_rate, 1) &&
              same_d(&x->latency_mean_s, &y->latency_mean_s, 1) &&
              same_d(&x->latency_median_s, &y->latency_median_s, 1) &&
              same_d(&x->p_response_by_window, &y->p_response_by_window,
                     1) &&
              same_km(&x->km, &y->km);
    }
    ds_cycles_t cy;
    ds_softening_t so[2];
    ds_cycle_run_t runs[64];
    size_t n_runs = 0;
    ok &= ds_cycles_compute(c, se, &o->cycles_opts, &cy, runs, 64, &n_runs,
                            &err) == DS_OK &&
          memcmp(&cy, &a->cycles[s], sizeof cy) == 0 && n_runs <= 64 &&
          n_runs == cy.n_cycles && (n_runs > 0) == (a->cycle_runs[s] != 0);
    for (size_t k = 0; ok && k < n_runs; k++) {
        const ds_cycle_run_t *x = &runs[k], *y = &a->cycle_runs[s][k];
        ok &= x->first == y->first && x->len == y->len &&
              x->pursuer == y->pursuer && x->end == y->end &&
              same_d(&x->start_s, &y->start_s, 1) &&
              same_d(&x->end_s, &y->end_s, 1) &&
              same_d(&x->time_s, &y->time_s, 1);
    }
    ok &= ds_softening_compute(c, se, &o->cycles_opts, so, &err) == DS_OK &&
          memcmp(so, &a->softening[2 * s], sizeof so) == 0;
    return ok;
}

/* ---- pooled results against a pooling done here --------------------- */

/* The lag-l table pooled over the sessions of label lb (all when lb is
 * c->n_labels), computed from summed counts. */
static int pool_matches(const ds_corpus_t *c, const ds_analysis_t *a,
                        const ds_analysis_opts_t *o, size_t l, size_t lb)
{
    size_t K = a->K, KK = K * K, S = a->S, n_sel = 0;
    const ds_lag_result_t *r = &a->lag[l];
    const ds_lag_pool_t *p = lb == c->n_labels ? &r->pooled
                                               : &r->by_label[lb];
    ds_lag_table_t *t = ds_lag_table_alloc(K);
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(K);
    int64_t *freq = calloc(K, sizeof *freq), n = 0;
    size_t *sel = calloc(S, sizeof *sel);
    ds_summary_t *sq = ds_summary_alloc(KK, S),
                 *sz = ds_summary_alloc(KK, S);
    ds_error_t err;
    int ok = t && w && freq && sel && sq && sz;
    for (size_t s = 0; ok && s < S; s++) {
        const ds_session_t *se = &c->sessions[s];
        if (lb != c->n_labels && se->label_index != lb)
            continue;
        sel[n_sel++] = s;
        ds_lag_count(se->state, se->n, r->lag, K, t->counts);
        ds_lag_state_freq(se->state, se->n, K, freq);
        n += (int64_t)se->n;
    }
    if (ok) {
        int rc = ds_lag_table_compute(t, freq, n, NULL, &o->lag, w, &err);
        ok &= (rc == DS_OK || rc == DS_ENUM) && p->n_events == n &&
              same_i(t->counts, p->table->counts, KK);
#define X_(name, type, description) ok &= same_d(t->name, p->table->name, KK);
        DS_LAG_CELL_STATS(X_)
#undef X_
#define X_(name, type, description) ok &= same_d(&t->name, &p->table->name, 1);
        DS_LAG_TABLE_STATS(X_)
#undef X_
        ok &= ds_summary_compute(sq, r->yules_q, S, sel, n_sel, &err) == 0 &&
              ds_summary_compute(sz, r->adjusted_residual, S, sel, n_sel,
                                 &err) == 0;
        ok &= same_d(sq->mean, p->summary_yules_q->mean, KK) &&
              same_d(sq->t, p->summary_yules_q->t, KK) &&
              same_i(sz->n, p->summary_adjusted_residual->n, KK) &&
              same_d(sz->sd, p->summary_adjusted_residual->sd, KK) &&
              same_d(sz->p, p->summary_adjusted_residual->p, KK);
    }
    ds_lag_table_free(t);
    ds_lag_workspace_free(w);
    ds_summary_free(sq);
    ds_summary_free(sz);
    free(freq);
    free(sel);
    return ok;
}

/* The pooled time to response of bidder b over scope (0 all, 1 + label)
 * against ds_km_estimate over the bids gathered from direct[2S]. */
static int km_pool_matches(const ds_corpus_t *c, const ds_analysis_t *a,
                           const ds_analysis_opts_t *o,
                           const ds_responsive_t *direct, size_t scope,
                           size_t b)
{
    size_t n = 0, bids = 0;
    for (size_t s = 0; s < a->S; s++)
        n += direct[2 * s + b].n_obs;
    double *t = malloc((n + 1) * sizeof *t);
    int *e = malloc((n + 1) * sizeof *e);
    ds_km_t km;
    ds_km_init(&km);
    ds_error_t err;
    int ok = t && e;
    size_t j = 0;
    for (size_t s = 0; ok && s < a->S; s++) {
        const ds_responsive_t *x = &direct[2 * s + b];
        if (scope && c->sessions[s].label_index != scope - 1)
            continue;
        bids += x->n_bids;
        for (size_t k = 0; k < x->n_obs; k++, j++) {
            t[j] = x->obs_time_s[k];
            e[j] = x->obs_event[k];
        }
    }
    const ds_analysis_km_t *y = &a->km_pooled[2 * scope + b];
    ok &= ds_km_estimate(t, e, j, &km, &err) == DS_OK;
    ok &= y->n_bids == bids && km.n == y->km.n && km.n_obs == y->km.n_obs;
    for (size_t p = 0; ok && p < km.n; p++)
        ok &= km.time_s[p] == y->km.time_s[p] &&
              km.n_at_risk[p] == y->km.n_at_risk[p] &&
              km.n_events[p] == y->km.n_events[p] &&
              fabs(km.survival[p] - y->km.survival[p]) <= 1e-14;
    double pw = 1 - ds_km_survival_at(&km, o->responsive_opts.window_s);
    ok &= same_d(&pw, &y->p_response_by_window, 1);
    double med = ds_km_median(&km);
    ok &= same_d(&med, &y->median_time_to_response_s, 1);
    ds_km_clear(&km);
    free(t);
    free(e);
    return ok;
}

static void test_against_modules(void)
{
    ds_corpus_t *c = fx_study(6, 80, 7, FX_TIME | FX_DURATION);
    ds_analysis_opts_t o = opts(2, 0);
    ds_analysis_t *a = run(c, &o);
    CHECK(a != NULL, "analysis of the study");
    if (!a) {
        ds_corpus_free(c);
        return;
    }
    size_t S = a->S, bad_lag = 0, bad_win = 0, bad_dy = 0, bad_col = 0;
    ds_responsive_t *direct = calloc(2 * S, sizeof *direct);
    for (size_t i = 0; i < 2 * S; i++)
        ds_responsive_init(&direct[i]);
    for (size_t s = 0; s < S; s++) {
        const ds_session_t *se = &c->sessions[s];
        bad_lag += !session_lags_match(c, a, &o, s);
        bad_win += !session_window_match(c, a, &o, s);
        bad_dy += !session_dyadic_match(c, a, &o, s, &direct[2 * s]);
        double d = ds_session_duration(se);
        bad_col += a->n_events[s] != (int64_t)se->n ||
                   !same_d(&d, &a->duration_s[s], 1);
    }
    CHECK_INT(bad_lag, 0, "lag tables of every session and lag = lagstats");
    CHECK_INT(bad_win, 0, "time windows of every session = window");
    CHECK_INT(bad_dy, 0,
              "responsiveness, cycles, softening = their modules");
    CHECK_INT(bad_col, 0, "n_events and duration_s of every session");
    size_t cycles = 0;
    for (size_t s = 0; s < S; s++)
        cycles += a->cycles[s].n_cycles;
    CHECK(cycles > 0, "the study has cycles (the comparison is not empty)");
    int pools = 1;
    for (size_t l = 0; l < a->n_lags; l++)
        for (size_t lb = 0; lb <= c->n_labels; lb++)
            pools &= pool_matches(c, a, &o, l, lb);
    CHECK(pools, "pooled tables (all, per label) and couple summaries = "
                 "summed counts and ds_summary_compute");
    /* the pooled windows: summed tallies */
    int64_t *sum = calloc(a->K * a->K, sizeof *sum);
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < a->K * a->K; i++)
            sum[i] += a->window->a[s * a->K * a->K + i];
    CHECK(same_i(sum, a->window->pooled->a, a->K * a->K),
          "pooled window cell a = sum over sessions");
    free(sum);
    int km = 1;
    for (size_t scope = 0; scope <= c->n_labels; scope++)
        for (size_t b = 0; b < 2; b++)
            km &= km_pool_matches(c, a, &o, direct, scope, b);
    CHECK(km, "pooled Kaplan-Meier per scope and bidder = ds_km_estimate "
              "over the bids; median and 1 - S(W) read off it");
    int freed = 1;
    for (size_t i = 0; i < 2 * S; i++)
        freed &= a->responsive[i].n_obs == 0 &&
                 a->responsive[i].obs_time_s == NULL;
    CHECK(freed, "the bids' observations are freed once pooled");
    for (size_t i = 0; i < 2 * S; i++)
        ds_responsive_clear(&direct[i]);
    free(direct);
    ds_analysis_free(a);
    ds_corpus_free(c);
}

/* ---- 1 thread and 2 threads; streaming and one block ------------------ */

/* Everything a streaming run keeps, equal in a and b. */
/* What a and b both keep (b's session curves and cycle lists may have
 * gone to a block sink: curves = 0 skips them). */
static int same_kept_(const ds_analysis_t *a, const ds_analysis_t *b,
                      int curves)
{
    size_t S = a->S, KK = a->K * a->K, L = a->n_labels;
    int ok = a->S == b->S && a->K == b->K && a->n_lags == b->n_lags &&
             same_i(a->n_events, b->n_events, S) &&
             same_d(a->duration_s, b->duration_s, S) &&
             same_d(a->first_onset_s, b->first_onset_s, S) &&
             same_i(a->state_freq, b->state_freq, S * a->K);
    for (size_t l = 0; ok && l < a->n_lags; l++) {
        const ds_lag_result_t *x = &a->lag[l], *y = &b->lag[l];
        ok &= same_d(x->yules_q, y->yules_q, S * KK) &&
              same_d(x->adjusted_residual, y->adjusted_residual, S * KK) &&
              (!x->permutation_p ||
               same_d(x->permutation_p, y->permutation_p, S * KK));
#define X_(name, type, description) ok &= same_d(x->name, y->name, S);
        DS_LAG_TABLE_STATS(X_)
#undef X_
        for (size_t p = 0; ok && p <= L; p++) {
            const ds_lag_pool_t *u = p ? &x->by_label[p - 1] : &x->pooled,
                                *v = p ? &y->by_label[p - 1] : &y->pooled;
            ok &= same_i(u->table->counts, v->table->counts, KK) &&
                  same_d(u->table->expected, v->table->expected, KK) &&
                  same_d(u->table->wampold_z, v->table->wampold_z, KK) &&
                  same_d(&u->table->g2, &v->table->g2, 1) &&
                  same_d(u->summary_yules_q->mean, v->summary_yules_q->mean,
                         KK) &&
                  (!u->permutation_p ||
                   same_d(u->permutation_p, v->permutation_p, KK));
        }
    }
    if (ok && a->window)
        ok &= same_i(a->window->pooled->d, b->window->pooled->d, KK) &&
              same_d(a->window->pooled_yules_q, b->window->pooled_yules_q,
                     KK);
    for (size_t i = 0; ok && i < 2 * S; i++)
        ok &= (!curves ||
               same_km(&a->responsive[i].km, &b->responsive[i].km)) &&
              same_d(&a->responsive[i].response_rate,
                     &b->responsive[i].response_rate, 1);
    for (size_t k = 0; ok && k < 2 * (1 + L); k++)
        ok &= same_km(&a->km_pooled[k].km, &b->km_pooled[k].km) &&
              same_d(&a->km_pooled[k].median_time_to_response_s,
                     &b->km_pooled[k].median_time_to_response_s, 1);
    ok &= memcmp(a->cycles, b->cycles, S * sizeof *a->cycles) == 0 &&
          memcmp(a->softening, b->softening, 2 * S * sizeof *a->softening) ==
              0;
    for (size_t s = 0; ok && curves && s < S; s++)
        for (size_t k = 0; k < a->cycles[s].n_cycles; k++) {
            const ds_cycle_run_t *x = &a->cycle_runs[s][k],
                                 *y = &b->cycle_runs[s][k];
            ok &= x->first == y->first && x->len == y->len &&
                  x->end == y->end && same_d(&x->end_s, &y->end_s, 1);
        }
    return ok;
}

static int same_kept(const ds_analysis_t *a, const ds_analysis_t *b)
{
    return same_kept_(a, b, 1);
}

/* Every per-session array of a whole (non-streaming) run. */
static int same_per_session(const ds_analysis_t *a, const ds_analysis_t *b)
{
    size_t n = a->S * a->K * a->K;
    int ok = 1;
    for (size_t l = 0; l < a->n_lags; l++) {
        const ds_lag_result_t *x = &a->lag[l], *y = &b->lag[l];
        ok &= same_i(x->counts, y->counts, n);
#define X_(name, type, description) ok &= same_d(x->name, y->name, n);
        DS_LAG_CELL_STATS(X_)
#undef X_
    }
#define X_(name, type, description)                                          \
    ok &= same_i(a->window->name, b->window->name, n);
    DS_WINDOW_CELL_COUNTS(X_)
#undef X_
#define X_(name, type, description)                                          \
    ok &= same_d(a->window->name, b->window->name, n);
    DS_WINDOW_CELL_STATS(X_)
#undef X_
    return ok;
}

static void test_threads(void)
{
    ds_corpus_t *c = fx_study(8, 60, 3, FX_TIME | FX_DURATION);
    ds_analysis_opts_t o1 = opts(1, 19), o2 = opts(2, 19);
    ds_analysis_t *a = run(c, &o1), *b = run(c, &o2);
    CHECK(a && b, "analysis at 1 and 2 threads, 19 permutations");
    if (a && b) {
        CHECK(same_kept(a, b) && same_per_session(a, b),
              "1 and 2 threads: identical results");
        int perm = 1;
        for (size_t i = 0; i < a->S * a->K * a->K; i++)
            perm &= isnan(a->lag[0].permutation_p[i]) ||
                    (a->lag[0].permutation_p[i] >= 1.0 / 20 &&
                     a->lag[0].permutation_p[i] <= 1);
        CHECK(perm, "permutation p-values in [1/(M+1), 1]");
    }
    /* another seed gives other p-values: the test can fail */
    o2.seed = 12;
    ds_analysis_t *d = run(c, &o2);
    CHECK(d && a && !same_d(a->lag[0].permutation_p, d->lag[0].permutation_p,
                            a->S * a->K * a->K),
          "another seed, other permutation p-values");
    ds_analysis_free(a);
    ds_analysis_free(b);
    ds_analysis_free(d);
    ds_corpus_free(c);
}

/* A block sink that copies each block's rows into whole arrays. */
typedef struct collect {
    size_t S, KK, n_lags, next, blocks, rows_max;
    int in_order, fail_at; /* fail_at: return DS_EIO at that block (>0) */
    ds_lag_result_t lag[2];
    ds_window_result_t win;
    const ds_analysis_t *whole; /* curves and cycles to compare, or NULL */
    int rows_ok;                /* the blocks' curves and cycles were its */
    size_t rows_seen;           /* sessions whose curves and cycles came */
    int rows_in_order;          /* in session order, never before tables */
    size_t rows_calls;          /* calls with rows and no tables */
    size_t fail_rows_at;        /* return DS_EIO at that such call (>0) */
    int rows_prompt;            /* each right after its block's tables */
} collect_t;

static void collect_init(collect_t *k, size_t S, size_t K, size_t n_lags)
{
    memset(k, 0, sizeof *k);
    k->S = S;
    k->KK = K * K;
    k->n_lags = n_lags;
    k->in_order = 1;
    k->rows_ok = 1;
    k->rows_in_order = 1;
    k->rows_prompt = 1;
    size_t n = S * K * K + 1;
    for (size_t l = 0; l < n_lags; l++) {
        ds_lag_result_t *r = &k->lag[l];
        r->counts = calloc(n, sizeof(int64_t));
#define X_(name, type, description) r->name = calloc(n, sizeof(double));
        DS_LAG_CELL_STATS(X_)
#undef X_
#define X_(name, type, description) r->name = calloc(S + 1, sizeof(double));
        DS_LAG_TABLE_STATS(X_)
#undef X_
    }
#define X_(name, type, description) k->win.name = calloc(n, sizeof(type));
    DS_WINDOW_CELL_COUNTS(X_)
    DS_WINDOW_CELL_STATS(X_)
#undef X_
}

static void collect_clear(collect_t *k)
{
    for (size_t l = 0; l < k->n_lags; l++) {
        ds_lag_result_t *r = &k->lag[l];
        free(r->counts);
#define X_(name, type, description) free(r->name);
        DS_LAG_CELL_STATS(X_)
        DS_LAG_TABLE_STATS(X_)
#undef X_
    }
#define X_(name, type, description) free(k->win.name);
    DS_WINDOW_CELL_COUNTS(X_)
    DS_WINDOW_CELL_STATS(X_)
#undef X_
}

static int collect_block(void *ctx, const ds_analysis_block_t *b,
                         ds_error_t *err)
{
    collect_t *k = ctx;
    /* a block's rows come with its tables or in a call of their own
     * after them (analysis.h): then b->lag is NULL */
    if (!b->lag) {
        k->rows_calls++;
        if (k->fail_rows_at && k->rows_calls == k->fail_rows_at)
            return ds_error_set(err, DS_EIO, "rows failed at call %zu",
                                k->rows_calls);
        k->rows_in_order &= b->first == k->rows_seen &&
                            b->first + b->n <= k->next;
        k->rows_prompt &= b->first + b->n == k->next;
        goto rows;
    }
    k->blocks++;
    if (k->fail_at && (int)k->blocks == k->fail_at)
        return ds_error_set(err, DS_EIO, "sink failed at block %zu",
                            k->blocks);
    k->in_order &= b->first == k->next;
    k->next = b->first + b->n;
    if (b->n > k->rows_max)
        k->rows_max = b->n;
    size_t o = b->first * k->KK, m = b->n * k->KK;
    for (size_t l = 0; l < k->n_lags; l++) {
        ds_lag_result_t *r = &k->lag[l];
        const ds_lag_result_t *x = &b->lag[l];
        memcpy(r->counts + o, x->counts, m * sizeof(int64_t));
#define X_(name, type, description)                                          \
    memcpy(r->name + o, x->name, m * sizeof(double));
        DS_LAG_CELL_STATS(X_)
#undef X_
#define X_(name, type, description)                                          \
    memcpy(r->name + b->first, x->name, b->n * sizeof(double));
        DS_LAG_TABLE_STATS(X_)
#undef X_
    }
    if (b->window) {
#define X_(name, type, description)                                          \
    memcpy(k->win.name + o, b->window->name, m * sizeof(type));
        DS_WINDOW_CELL_COUNTS(X_)
        DS_WINDOW_CELL_STATS(X_)
#undef X_
    }
rows:;
    /* the sessions' curves and cycles, which the run frees after this */
    const ds_analysis_t *w = k->whole;
    if (b->responsive && !(b->cycles && b->cycle_runs))
        k->rows_in_order = 0; /* both, always together */
    if (w && b->responsive && b->cycles && b->cycle_runs) {
        for (size_t i = 0; i < b->n; i++) {
            size_t s = b->first + i, nc = b->cycles[i].n_cycles;
            for (size_t j = 0; j < 2; j++)
                k->rows_ok &= same_km(&b->responsive[2 * i + j].km,
                                      &w->responsive[2 * s + j].km);
            k->rows_ok &= nc == w->cycles[s].n_cycles;
            for (size_t q = 0; k->rows_ok && q < nc; q++) {
                const ds_cycle_run_t *x = &b->cycle_runs[i][q],
                                     *y = &w->cycle_runs[s][q];
                k->rows_ok &= x->first == y->first && x->len == y->len &&
                              x->pursuer == y->pursuer && x->end == y->end &&
                              same_d(&x->start_s, &y->start_s, 1) &&
                              same_d(&x->end_s, &y->end_s, 1);
            }
        }
        k->rows_seen += b->n;
    }
    return DS_OK;
}

static void test_streaming(void)
{
    ds_corpus_t *c = fx_study(7, 60, 5, FX_TIME | FX_DURATION);
    ds_analysis_opts_t o = opts(2, 9);
    ds_analysis_t *whole = run(c, &o);
    collect_t k;
    collect_init(&k, c->n_sessions, c->n_states, o.n_lags);
    o.block_sink = collect_block;
    o.block_ctx = &k;
    o.block_rows = 4; /* 14 sessions: blocks of 4, 4, 4, 2 */
    k.whole = whole;
    ds_analysis_t *st = run(c, &o);
    CHECK(whole && st, "one block and streamed runs");
    if (whole && st) {
        CHECK(k.blocks == 4 && k.rows_max == 4 && k.in_order &&
                  k.next == c->n_sessions,
              "4 blocks of at most 4 sessions, in session order, all");
        CHECK(st->lag[0].counts == NULL && st->lag[0].expected == NULL &&
                  st->lag[0].yules_q != NULL && st->window->a == NULL,
              "streaming keeps only the summarized statistics whole");
        CHECK(same_kept_(whole, st, 0),
              "streamed run keeps the same results");
        CHECK(k.rows_ok && k.rows_seen == c->n_sessions,
              "the sink had every session's curves and cycles, as the "
              "whole run computed them");
        CHECK(k.rows_in_order && k.rows_prompt && k.rows_calls == 4,
              "each block's rows came in a call of their own, after the "
              "block's tables and before the next block's (at two "
              "threads while the next block is computed)");
        int freed = 1;
        for (size_t s = 0; s < c->n_sessions; s++)
            freed &= st->responsive[2 * s].km.n == 0 &&
                     st->responsive[2 * s + 1].km.n == 0 &&
                     st->cycle_runs[s] == NULL;
        CHECK(freed, "and they were freed after it");
        /* the sink saw every row of every per-session array */
        ds_analysis_t view = *st;
        ds_lag_result_t lag[2] = {st->lag[0], st->lag[1]};
        ds_window_result_t win = *st->window;
        for (size_t l = 0; l < 2; l++) {
            lag[l].counts = k.lag[l].counts;
#define X_(name, type, description) lag[l].name = k.lag[l].name;
            DS_LAG_CELL_STATS(X_)
#undef X_
        }
#define X_(name, type, description) win.name = k.win.name;
        DS_WINDOW_CELL_COUNTS(X_)
        DS_WINDOW_CELL_STATS(X_)
#undef X_
        view.lag = lag;
        view.window = &win;
        CHECK(same_per_session(whole, &view),
              "the blocks' rows are the per-session arrays of one block");
        int tables = 1;
        for (size_t l = 0; l < 2; l++) {
#define X_(name, type, description)                                          \
    tables &= same_d(k.lag[l].name, whole->lag[l].name, c->n_sessions);
            DS_LAG_TABLE_STATS(X_)
#undef X_
        }
        CHECK(tables, "the blocks' table-wise statistics");
    }
    ds_analysis_free(st);
    collect_clear(&k);
    /* a failing sink stops the run with its error and leaves no result:
     * a call with a block's tables (the second block's), or with rows
     * alone (the second block's, made while the third block is computed,
     * which is then not sunk) */
    static const struct {
        size_t fail_at, fail_rows_at, blocks;
        const char *msg, *what;
    } failing[2] = {
        {2, 0, 2, "block 2", "a sink's error stops the run, no result"},
        {0, 2, 2, "rows failed",
         "a sink's error with rows alone stops the run, no result"}};
    ds_diag_t diag;
    ds_diag_init(&diag, 10);
    for (int f = 0; f < 2; f++) {
        collect_init(&k, c->n_sessions, c->n_states, o.n_lags);
        k.fail_at = (int)failing[f].fail_at;
        k.fail_rows_at = failing[f].fail_rows_at;
        o.block_ctx = &k;
        ds_error_t err = {0};
        ds_analysis_t *none = (ds_analysis_t *)&k; /* must be set to NULL */
        int rc = ds_analysis_run(c, &o, &none, &diag, &err);
        CHECK(rc == DS_EIO && none == NULL &&
                  strstr(err.msg, failing[f].msg),
              failing[f].what);
        CHECK_INT(k.blocks, failing[f].blocks,
                  "no block sunk after the failing call");
        collect_clear(&k);
    }
    /* at one thread a block's rows come with its tables */
    collect_init(&k, c->n_sessions, c->n_states, o.n_lags);
    o.threads = 1;
    o.block_ctx = &k;
    k.whole = whole;
    ds_analysis_t *one = run(c, &o);
    CHECK(one && k.blocks == 4 && k.rows_prompt && k.rows_in_order &&
              k.rows_ok && k.rows_seen == c->n_sessions,
          "so at one thread (right after the tables)");
    ds_analysis_free(one);
    ds_diag_clear(&diag);
    collect_clear(&k);
    ds_analysis_free(whole);
    ds_corpus_free(c);
}

/* ---- options and inputs ------------------------------------------------ */

static void test_options(void)
{
    ds_corpus_t *c = fx_study(3, 30, 9, FX_TIME);
    ds_analysis_opts_t o = opts(1, 5);
    size_t KK = c->n_states * c->n_states, cell = KK;
    ds_analysis_t *a = run(c, &o);
    for (size_t i = 0; a && i < KK && cell == KK; i++)
        if (a->lag[0].pooled.table->counts[i] == 0 &&
            a->lag[1].pooled.table->counts[i] > 0)
            cell = i; /* a structural zero must have no transitions */
    ds_analysis_free(a);
    CHECK(cell < KK, "a cell without lag-1 transitions");
    uint8_t *zero = calloc(KK, 1);
    zero[cell % KK] = 1;
    o.zero = zero;
    ds_diag_t diag;
    ds_diag_init(&diag, 10);
    ds_error_t err = {0};
    a = NULL;
    CHECK_INT(ds_analysis_run(c, &o, &a, &diag, &err), DS_OK,
              "permutations with structural zeros run (issue 12)");
    CHECK(a && a->lag[0].permutation_p &&
              isnan(a->lag[0].pooled.permutation_p[cell % KK]),
          "the structural-zero cell has no permutation p-value");
    ds_analysis_free(a);
    o.permutations = 0; /* zeros alone are fine */
    a = run(c, &o);
    CHECK(a && isnan(a->lag[0].pooled.table->expected[cell % KK]) &&
              a->lag[1].pooled.table->expected[cell % KK] > 0,
          "a structural zero is NaN at lag 1 only");
    ds_analysis_free(a);
    o.zero = NULL;
    o.window = 0;
    a = run(c, &o);
    CHECK(a && a->window == NULL && a->window_skipped == NULL,
          "windows not asked for: none, and nothing skipped");
    ds_analysis_free(a);
    ds_diag_clear(&diag);
    free(zero);
    ds_corpus_free(c);

    /* without an actor column: no responsiveness, cycles or softening */
    c = fx_corpus("", FX_TIME);
    fx_session(c, "bid 0, response 1, pursue 2, withdraw 3, pursue 4");
    c->n_labels = 1;
    c->labels = calloc(1, sizeof *c->labels);
    c->labels[0] = fx_strdup("s");
    o = opts(1, 0);
    a = run(c, &o);
    CHECK(a && !a->responsive && !a->cycles && !a->softening &&
              !a->km_pooled && a->responsive_skipped && a->cycles_skipped,
          "no actors: dyadic metrics skipped, with the reason");
    CHECK(a && a->lag[0].pooled.table->counts[0] == 0 &&
              a->lag[0].pooled.n_events == 5,
          "the lag tables are computed");
    ds_analysis_free(a);
    ds_corpus_free(c);
}

int main(void)
{
    test_against_modules();
    test_threads();
    test_streaming();
    test_options();
    return UNIT_DONE();
}
