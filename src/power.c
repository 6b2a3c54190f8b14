/*
 * power.c — power and sample size by simulation (see power.h): the
 * couples of the design grid, one replication (simulate every couple's
 * pre and post session into memory, compute the named metrics, test them
 * at every design point), the replications in parallel, and the power
 * table with Clopper–Pearson intervals and the smallest design reaching
 * the target.
 */
#include "dyadseq/power.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <omp.h>

#include "dyadseq/lagstats.h"
#include "dyadseq/padjust.h"
#include "dyadseq/paired.h"
#include "dyadseq/summary.h"
#include "strmap.h"
#include "text.h"

const char *ds_power_test_name(ds_power_test_t t)
{
    return t == DS_POWER_TEST_WILCOXON ? "wilcoxon" : "t";
}

void ds_power_opts_init(ds_power_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->replications = 1000;
    o->tests = 1u << DS_POWER_TEST_T;
    o->alpha = 0.05;
    o->target = 0.80;
    o->conf_level = 0.95;
    o->seed = 1;
    o->threads = 1;
}

unsigned long ds_power_rep_seed(unsigned long seed, size_t r)
{
    unsigned long h = ds_sim_stream_seed(seed, "power", NULL);
    return (h + (unsigned long)r) & 0xFFFFFFFFUL;
}

void ds_power_binom_ci(size_t x, size_t n, double conf, double *lo,
                       double *hi)
{
    double a = (1 - conf) / 2, dx = (double)x, dn = (double)n;
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    *lo = x == 0 ? 0 : gsl_cdf_beta_Pinv(a, dx, dn - dx + 1);
    *hi = x == n ? 1 : gsl_cdf_beta_Pinv(1 - a, dx + 1, dn - dx);
}

/* ---- metrics -------------------------------------------------------- */

void ds_power_space_view(const ds_corpus_t *space, ds_compare_sessions_t *v)
{
    memset(v, 0, sizeof *v);
    v->K = space->n_states;
    v->state_label = (const char *const *)space->state_label;
    v->state_actor = space->state_actor;
    v->state_role = space->state_role;
    v->n_actors = space->has_actor ? space->n_actors : 0;
    v->actors = (const char *const *)space->actors;
    v->has_time = 1; /* simulated transcripts have times and durations */
    v->response_window_s = DS_RESPONSE_WINDOW_DEFAULT;
}

int ds_power_metric_parse(const ds_compare_sessions_t *v, const char *spec,
                          const char *pre, const char *post,
                          ds_power_metric_t *out, ds_error_t *err)
{
    memset(out, 0, sizeof *out);
    char ex[96];
    ds_excerpt(ex, spec, 80);
    const char *at = strrchr(spec, '@');
    size_t len = at ? (size_t)(at - spec) : strlen(spec);
    char *base = malloc(len + 1);
    if (!base)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    memcpy(base, spec, len);
    base[len] = '\0';
    int rc = ds_compare_metric_parse(v, base, &out->def, err);
    if (rc == DS_OK && at) {
        const char *label = at + 1;
        if (strcmp(label, pre) == 0)
            out->label = DS_SIM_PRE;
        else if (strcmp(label, post) == 0)
            out->label = DS_SIM_POST;
        else
            rc = ds_error_set(err, DS_EUSAGE, "metric '%s': the sessions "
                              "of a one-sample test must be the --pre "
                              "('%s') or the --post ('%s') sessions", ex,
                              pre, post);
        if (rc == DS_OK && !(out->def.needs & DS_COMPARE_NEEDS_LAG1))
            rc = ds_error_set(err, DS_EUSAGE, "metric '%s': a one-sample "
                              "test against 0 (@LABEL) is for yules_q and "
                              "adjusted_residual, the statistics analyze "
                              "summarizes over couples", ex);
        out->one_sample = 1;
    }
    free(base);
    if (rc == DS_OK && !(out->name = ds_strdup(spec)))
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    return rc;
}

void ds_power_metric_clear(ds_power_metric_t *m)
{
    free(m->name);
    m->name = NULL;
}

/* The models of the ap_* metrics among specs, into *out, *n_out. */
static int ap_models(const ds_corpus_t *space, const char *const *specs,
                     size_t n, ds_ap_model_t **out, size_t *n_out,
                     ds_error_t *err)
{
    ds_ap_space_t sp;
    ds_ap_space_of(space, &sp);
    *out = NULL;
    *n_out = 0;
    ds_ap_model_t *m = calloc(n ? n : 1, sizeof *m);
    if (!m)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int rc = DS_OK;
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        size_t coef, len, k = 0;
        const char *name, *at = strrchr(specs[i], '@');
        /* the metric without a one-sample @LABEL */
        char *base = at ? strndup(specs[i], (size_t)(at - specs[i]))
                        : strdup(specs[i]);
        if (!base) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            break;
        }
        int is_ap = ds_compare_ap_name(base, &coef, &name, &len);
        if (is_ap)
            name = specs[i] + (name - base);
        free(base);
        if (!is_ap)
            continue;
        while (k < *n_out && !(strlen(m[k].name) == len &&
                               memcmp(m[k].name, name, len) == 0))
            k++;
        if (k < *n_out)
            continue;
        char *spec = malloc(len + 1), ex[96];
        if (!spec) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            break;
        }
        memcpy(spec, name, len);
        spec[len] = '\0';
        ds_error_t e = {0};
        rc = ds_ap_model_parse(&sp, spec, &m[*n_out], &e);
        (*n_out)++;
        ds_excerpt(ex, specs[i], 80);
        if (rc == DS_OK && strcmp(m[*n_out - 1].name, spec) != 0)
            rc = ds_error_set(err, DS_EUSAGE, "metric '%s': write the model "
                              "as %s, the name analyze gives it", ex,
                              m[*n_out - 1].name);
        else if (rc)
            ds_error_set(err, rc, "metric '%s': %s", ex, e.msg);
        free(spec);
    }
    if (rc) {
        for (size_t i = 0; i < *n_out; i++)
            ds_ap_model_clear(&m[i]);
        free(m);
        *n_out = 0;
        return rc;
    }
    *out = m;
    return DS_OK;
}

int ds_power_ap_init(ds_power_ap_t *x, const ds_corpus_t *space,
                     const char *const *specs, size_t n, ds_error_t *err)
{
    memset(x, 0, sizeof *x);
    int rc = ap_models(space, specs, n, &x->models, &x->n, err);
    if (rc)
        return rc;
    x->names = calloc(x->n ? x->n : 1, sizeof *x->names);
    x->roles = calloc(x->n ? x->n : 1, sizeof *x->roles);
    if (!x->names || !x->roles)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t m = 0; m < x->n; m++) {
        x->names[m] = x->models[m].name;
        x->roles[m] = x->models[m].y_role;
    }
    return DS_OK;
}

void ds_power_ap_clear(ds_power_ap_t *x)
{
    for (size_t m = 0; x->models && m < x->n; m++)
        ds_ap_model_clear(&x->models[m]);
    free(x->models);
    free(x->names);
    free(x->roles);
    memset(x, 0, sizeof *x);
}

void ds_power_ap_view(const ds_power_ap_t *x, ds_compare_sessions_t *v)
{
    v->n_ap = x->n;
    v->ap_model = x->names;
    v->ap_y_role = x->roles;
}

/* ---- the couples of the grid ---------------------------------------- */

/*
 * Every couple some design point uses, once (the union over the couples
 * values: below 200 per group a larger design's couples include a
 * smaller one's), and for each couples value its couples in byte order
 * of their names, the order compare pairs them in.
 */
typedef struct plan {
    size_t n;            /* distinct couples */
    char **id;           /* [n] */
    size_t *group;       /* [n] */
    size_t **members;    /* [n_couples][couples[c]] indices into id */
} plan_t;

static void plan_clear(plan_t *p, size_t n_couples)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->id[i]);
    free(p->id);
    free(p->group);
    for (size_t c = 0; p->members && c < n_couples; c++)
        free(p->members[c]);
    free(p->members);
}

typedef struct keyed {
    const char *id;
    size_t u;
} keyed_t;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const keyed_t *)a)->id, ((const keyed_t *)b)->id);
}

static int plan_build(const ds_power_model_t *md, const ds_power_opts_t *o,
                      plan_t *p, ds_error_t *err)
{
    size_t total = 0, G = md->n_groups;
    memset(p, 0, sizeof *p);
    for (size_t c = 0; c < o->n_couples; c++)
        total += o->couples[c];
    ds_strmap_t *map = ds_strmap_alloc();
    keyed_t *key = malloc(total * sizeof *key);
    p->id = calloc(total, sizeof *p->id);
    p->group = calloc(total, sizeof *p->group);
    p->members = calloc(o->n_couples, sizeof *p->members);
    if (!map || !key || !p->id || !p->group || !p->members)
        goto oom;
    for (size_t c = 0; c < o->n_couples; c++) {
        size_t n = o->couples[c], k = 0;
        int width = ds_sim_id_width(n, G);
        if (!(p->members[c] = malloc(n * sizeof *p->members[c])))
            goto oom;
        for (size_t g = 0; g < G; g++)
            for (size_t j = 0; j < ds_sim_group_size(n, G, g); j++) {
                size_t len = strlen(md->groups[g].name) + 32;
                char *id = malloc(len);
                if (!id)
                    goto oom;
                snprintf(id, len, "%s-%0*zu", md->groups[g].name, width,
                         j + 1);
                size_t u = ds_strmap_get(map, id, strlen(id));
                if (u == (size_t)-1) {
                    u = p->n;
                    p->id[p->n] = id;
                    p->group[p->n++] = g;
                    if (ds_strmap_put(map, id, strlen(id), u))
                        goto oom;
                } else {
                    free(id);
                }
                p->members[c][k++] = u;
            }
        for (size_t i = 0; i < n; i++)
            key[i] = (keyed_t){p->id[p->members[c][i]], p->members[c][i]};
        qsort(key, n, sizeof *key, by_id);
        for (size_t i = 0; i < n; i++)
            p->members[c][i] = key[i].u;
    }
    ds_strmap_free(map);
    free(key);
    return DS_OK;
oom:
    ds_strmap_free(map);
    free(key);
    plan_clear(p, o->n_couples);
    memset(p, 0, sizeof *p);
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

/* ---- one replication ------------------------------------------------- */

/* What every thread shares. */
typedef struct run {
    const ds_power_model_t *md;
    ds_corpus_t space;            /* md->space with has_time, has_duration */
    const ds_power_metric_t *metric;
    size_t M;
    const ds_power_opts_t *o;
    unsigned needs;               /* union of the metrics' */
    ds_sim_roles_t roles;         /* built-in model */
    plan_t plan;
    size_t max_couples;
    ds_power_result_t *res;
} run_t;

/* One thread's workspace. */
typedef struct worker {
    gsl_rng *rng;
    ds_sim_chain_t *chain;        /* the built-in model's, rebuilt per
                                     couple and session */
    ds_sim_events_t ev;
    ds_sim_params_t par;
    ds_lag_table_t *lag;
    ds_lag_workspace_t *lw;
    int64_t *freq;                /* [K] */
    ds_compare_sessions_t view;   /* one session (s = 0) */
    int64_t n_events[1], n_bids[2], n_answered[2], n_cycles[1], n_soften[2];
    double duration[1], rate[2], latency[2], share[1], soften_rate[2];
    double *val;                  /* [n_union][n_events][2][M] */
    double *x, *y, *zeros;        /* [max_couples] */
    ds_summary_t *summary;        /* one cell */
    ds_ap_workspace_t *aw;        /* actor-partner models: scratch, */
    int64_t *ap_counts;           /* [n_ap * DS_AP_N_CELLS] and */
    double *ap_coef;              /* [n_ap * DS_AP_N_COEFS] of the session, */
    const int64_t **ap_counts_v;  /* [n_ap] viewed by view */
    const double **ap_coef_v;
    const char **ap_names;
    ds_role_t *ap_roles;
} worker_t;

static void worker_free(worker_t *w)
{
    if (!w)
        return;
    if (w->rng)
        gsl_rng_free(w->rng);
    ds_sim_chain_free(w->chain);
    ds_sim_events_clear(&w->ev);
    ds_lag_table_free(w->lag);
    ds_lag_workspace_free(w->lw);
    free(w->freq);
    free(w->val);
    free(w->x);
    free(w->y);
    free(w->zeros);
    ds_summary_free(w->summary);
    ds_ap_workspace_free(w->aw);
    free(w->ap_counts);
    free(w->ap_coef);
    free(w->ap_counts_v);
    free(w->ap_coef_v);
    free(w->ap_names);
    free(w->ap_roles);
    free(w);
}

/* The actor-partner part of w: a session's tables and coefficients, and
 * the view of them; -1 when out of memory. */
static int worker_ap(const run_t *run, worker_t *w)
{
    size_t n = run->md->n_ap;
    if (!(run->needs & DS_COMPARE_NEEDS_AP) || n == 0)
        return 0;
    w->aw = ds_ap_workspace_alloc();
    w->ap_counts = calloc(n * DS_AP_N_CELLS, sizeof *w->ap_counts);
    w->ap_coef = calloc(n * DS_AP_N_COEFS, sizeof *w->ap_coef);
    w->ap_counts_v = malloc(n * sizeof *w->ap_counts_v);
    w->ap_coef_v = malloc(n * sizeof *w->ap_coef_v);
    w->ap_names = malloc(n * sizeof *w->ap_names);
    w->ap_roles = malloc(n * sizeof *w->ap_roles);
    if (!w->aw || !w->ap_counts || !w->ap_coef || !w->ap_counts_v ||
        !w->ap_coef_v || !w->ap_names || !w->ap_roles)
        return -1;
    for (size_t m = 0; m < n; m++) {
        w->ap_counts_v[m] = w->ap_counts + m * DS_AP_N_CELLS;
        w->ap_coef_v[m] = w->ap_coef + m * DS_AP_N_COEFS;
        w->ap_names[m] = run->md->ap_models[m].name;
        w->ap_roles[m] = run->md->ap_models[m].y_role;
    }
    ds_compare_sessions_t *v = &w->view;
    v->n_ap = n;
    v->ap_model = w->ap_names;
    v->ap_y_role = w->ap_roles;
    v->ap_coef = w->ap_coef_v;
    v->ap_counts = w->ap_counts_v;
    v->ap_delta = run->md->ap_opts.delta;
    return 0;
}

static worker_t *worker_alloc(const run_t *run)
{
    size_t K = run->space.n_states, C = run->max_couples;
    size_t nv = run->plan.n * run->o->n_events * 2 * run->M;
    worker_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->par = run->md->par;
    w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    w->val = malloc((nv ? nv : 1) * sizeof *w->val);
    w->x = malloc(C * sizeof *w->x);
    w->y = malloc(C * sizeof *w->y);
    w->zeros = calloc(C, sizeof *w->zeros);
    w->summary = ds_summary_alloc(1, C);
    int bad = !w->rng || !w->val || !w->x || !w->y || !w->zeros ||
              !w->summary;
    if (!run->md->chain[0])
        bad |= !(w->chain = ds_sim_chain_alloc(K));
    if (run->needs & DS_COMPARE_NEEDS_LAG1)
        bad |= !(w->lag = ds_lag_table_alloc(K)) ||
               !(w->lw = ds_lag_workspace_alloc(K)) ||
               !(w->freq = malloc(K * sizeof *w->freq));
    if (bad) {
        worker_free(w);
        return NULL;
    }
    ds_compare_sessions_t *v = &w->view;
    ds_power_space_view(&run->space, v);
    v->S = 1;
    v->response_window_s = run->md->responsive.window_s;
    v->n_events = w->n_events;
    v->duration_s = w->duration;
    if (w->lag) {
        v->counts = w->lag->counts;
        v->yules_q = w->lag->yules_q;
        v->adjusted_residual = w->lag->adjusted_residual;
    }
    v->n_bids = w->n_bids;
    v->n_answered = w->n_answered;
    v->response_rate = w->rate;
    v->latency_median_s = w->latency;
    v->n_cycles = w->n_cycles;
    v->share_time_in_cycles = w->share;
    v->n_soften = w->n_soften;
    v->softening_rate_per_min = w->soften_rate;
    if (worker_ap(run, w)) {
        worker_free(w);
        return NULL;
    }
    return w;
}

/* The per-session statistics the metrics need, as analyze computes them
 * (analysis.c, analyze_session), into w->view. */
static int session_stats(const run_t *run, worker_t *w,
                         const ds_session_t *s, ds_error_t *err)
{
    const ds_corpus_t *c = &run->space;
    size_t K = c->n_states;
    int rc;
    w->n_events[0] = (int64_t)s->n;
    w->duration[0] = ds_session_duration(s);
    if (run->needs & DS_COMPARE_NEEDS_LAG1) {
        memset(w->lag->counts, 0, K * K * sizeof *w->lag->counts);
        memset(w->freq, 0, K * sizeof *w->freq);
        ds_lag_state_freq(s->state, s->n, K, w->freq);
        ds_lag_count(s->state, s->n, 1, K, w->lag->counts);
        ds_lag_opts_t lo;
        ds_lag_opts_init(&lo);
        rc = ds_lag_table_compute(w->lag, w->freq, (int64_t)s->n, NULL, &lo,
                                  w->lw, err);
        if (rc && rc != DS_ENUM) /* DS_ENUM: NaN statistics, as analyze */
            return rc;
    }
    if (run->needs & DS_COMPARE_NEEDS_RESPONSIVE) {
        ds_responsive_t r[2];
        ds_responsive_init(&r[0]);
        ds_responsive_init(&r[1]);
        rc = ds_responsive_session(c, s, &run->md->responsive, r, err);
        for (int k = 0; k < 2 && rc == DS_OK; k++) {
            w->n_bids[k] = (int64_t)r[k].n_bids;
            w->n_answered[k] = (int64_t)r[k].n_answered;
            w->rate[k] = r[k].response_rate;
            w->latency[k] = r[k].latency_median_s;
        }
        ds_responsive_clear(&r[0]);
        ds_responsive_clear(&r[1]);
        if (rc)
            return rc;
    }
    for (size_t m = 0; w->aw && m < run->md->n_ap; m++) {
        int64_t *n = w->ap_counts + m * DS_AP_N_CELLS;
        ds_ap_fit_t f;
        if ((rc = ds_ap_tally(c, s, &run->md->ap_models[m],
                              &run->md->ap_opts, w->aw, n, NULL, err)))
            return rc;
        ds_ap_fit(n, run->md->ap_opts.delta, &f);
        ds_ap_fit_values(&f, w->ap_coef + m * DS_AP_N_COEFS);
    }
    if (run->needs & DS_COMPARE_NEEDS_CYCLES) {
        ds_cycles_t cy;
        ds_softening_t so[2];
        size_t n_runs;
        rc = ds_cycles_compute(c, s, &run->md->cycles, &cy, NULL, 0, &n_runs,
                               err);
        if (rc == DS_OK)
            rc = ds_softening_compute(c, s, &run->md->cycles, so, err);
        if (rc)
            return rc;
        w->n_cycles[0] = (int64_t)cy.n_cycles;
        w->share[0] = cy.share_time_in_cycles;
        for (int k = 0; k < 2; k++) {
            w->n_soften[k] = (int64_t)so[k].n_soften;
            w->soften_rate[k] = so[k].rate_per_min;
        }
    }
    return DS_OK;
}

/* w->val slot of couple u, events value e, side (pre 0, post 1). */
static double *val_at(const run_t *run, worker_t *w, size_t u, size_t e,
                      int side)
{
    return w->val + ((u * run->o->n_events + e) * 2 + (size_t)side) * run->M;
}

/*
 * Couple u of the replication with study seed seed: its draws, then its
 * pre and post sessions at every events value of the grid, each on the
 * session's own stream as `simulate` seeds it, rounded as written, and
 * the metrics' values.
 */
static int simulate_couple(const run_t *run, worker_t *w, size_t u,
                           unsigned long seed, ds_error_t *err)
{
    const ds_power_model_t *md = run->md;
    const char *id = run->plan.id[u];
    ds_sim_couple_t cp = {0, 0, 1}; /* --model: every couple reaches post */
    int rc;
    if (!md->chain[0]) {
        gsl_rng_set(w->rng, ds_sim_stream_seed(seed, id, NULL));
        ds_sim_couple_draw(&md->par, md->groups[run->plan.group[u]].rate,
                           w->rng, &cp);
    }
    for (int side = 0; side < 2; side++) {
        size_t li = side == DS_SIM_PRE ? md->pre : md->post;
        double t = ds_sim_progress(li, md->n_labels) * cp.therapy;
        const ds_sim_chain_t *ch = md->chain[side];
        if (!ch) {
            ds_sim_builtin_chain(&md->par, &run->roles, cp.pursuer,
                                 cp.answer_rate, t, w->chain);
            if ((rc = ds_sim_chain_prepare(w->chain, err)))
                return rc;
            ch = w->chain;
        }
        unsigned long stream = ds_sim_stream_seed(seed, id, md->labels[li]);
        for (size_t e = 0; e < run->o->n_events; e++) {
            w->par.events = run->o->events[e];
            gsl_rng_set(w->rng, stream);
            if ((rc = ds_sim_session(&w->par, &run->space, ch, t, w->rng,
                                     &w->ev, err)))
                return rc;
            ds_sim_events_round_ms(&w->ev);
            ds_session_t s = {.couple = (char *)id,
                              .label = (char *)md->labels[li],
                              .n = w->ev.n,
                              .onset = w->ev.onset,
                              .duration = w->ev.duration,
                              .state = w->ev.state};
            if ((rc = session_stats(run, w, &s, err)))
                return rc;
            double *out = val_at(run, w, u, e, side);
            for (size_t m = 0; m < run->M; m++)
                out[m] = ds_compare_metric_value(&w->view,
                                                 &run->metric[m].def, 0);
        }
    }
    return DS_OK;
}

/* The tests of metric m at design point (c, e) of replication r. */
static int test_design(const run_t *run, worker_t *w, size_t c, size_t e,
                       size_t m, size_t r, ds_error_t *err)
{
    ds_power_result_t *res = run->res;
    const ds_power_metric_t *pm = &run->metric[m];
    size_t n = run->o->couples[c], d = c * run->o->n_events + e;
    size_t slot = ds_power_slot(res, d, m, r);
    const size_t *mem = run->plan.members[c];
    ds_paired_result_t pr;
    int rc;
    if (!pm->one_sample) {
        for (size_t k = 0; k < n; k++) {
            w->x[k] = val_at(run, w, mem[k], e, DS_SIM_PRE)[m];
            w->y[k] = val_at(run, w, mem[k], e, DS_SIM_POST)[m];
        }
        if ((rc = ds_paired_test(w->x, w->y, n, NULL, &pr, err)))
            return rc;
        res->estimate[slot] = pr.mean_diff;
        res->mean_pre[slot] = pr.mean_pre;
        res->mean_post[slot] = pr.mean_post;
        res->n_used[slot] = (int64_t)pr.n_pairs;
        res->p[DS_POWER_TEST_T][slot] = pr.p_t;
        res->p[DS_POWER_TEST_WILCOXON][slot] = pr.p_wilcoxon;
        return DS_OK;
    }
    for (size_t k = 0; k < n; k++)
        w->y[k] = val_at(run, w, mem[k], e, pm->label)[m];
    /* analyze's couple summary: one-sample t of the mean against 0 */
    if ((rc = ds_summary_compute(w->summary, w->y, n, NULL, 0, err)))
        return rc;
    res->estimate[slot] = w->summary->mean[0];
    res->mean_pre[slot] = NAN;
    res->mean_post[slot] = w->summary->mean[0];
    res->n_used[slot] = w->summary->n[0];
    res->p[DS_POWER_TEST_T][slot] = w->summary->p[0];
    res->p[DS_POWER_TEST_WILCOXON][slot] = NAN;
    if (run->o->tests & (1u << DS_POWER_TEST_WILCOXON)) {
        /* wilcox.test(x): the signed-rank test of x − 0 */
        if ((rc = ds_paired_test(w->zeros, w->y, n, NULL, &pr, err)))
            return rc;
        res->p[DS_POWER_TEST_WILCOXON][slot] = pr.p_wilcoxon;
    }
    return DS_OK;
}

static int replicate(const run_t *run, worker_t *w, size_t r,
                     ds_error_t *err)
{
    unsigned long seed = run->res->rep_seed[r];
    int rc;
    for (size_t u = 0; u < run->plan.n; u++)
        if ((rc = simulate_couple(run, w, u, seed, err)))
            return rc;
    for (size_t c = 0; c < run->o->n_couples; c++)
        for (size_t e = 0; e < run->o->n_events; e++)
            for (size_t m = 0; m < run->M; m++)
                if ((rc = test_design(run, w, c, e, m, r, err)))
                    return rc;
    return DS_OK;
}

/* ---- all replications ------------------------------------------------ */

/* Replications in parallel (this MPI rank's share); on failure the error
 * of the first failing replication (in replication order) is reported. */
static int replicate_all(run_t *run, ds_error_t *err)
{
    const ds_power_opts_t *o = run->o;
    size_t R = o->replications, lo, hi;
    ds_dist_range(o->dist, R, &lo, &hi);
    int *rc = calloc(R, sizeof *rc);
    ds_error_t *errs = calloc(R, sizeof *errs);
    int failed = 0, status = DS_OK;
    if (!rc || !errs) {
        free(rc);
        free(errs);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    double t0 = omp_get_wtime();
#pragma omp parallel num_threads(o->threads > 0 ? o->threads : 1)
    {
        worker_t *w = worker_alloc(run);
        if (!w) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t r = lo; r < hi; r++) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop || !w)
                continue;
            if ((rc[r] = replicate(run, w, r, &errs[r]))) {
#pragma omp atomic write
                failed = 1;
            }
            if (o->progress)
                o->progress(o->progress_ctx, 1);
        }
        worker_free(w);
    }
    run->res->seconds = omp_get_wtime() - t0;
    if (failed) {
        status = ds_error_set(err, DS_ENOMEM, "out of memory");
        for (size_t r = 0; r < R; r++)
            if (rc[r]) {
                status = rc[r];
                *err = errs[r];
                break;
            }
    }
    free(rc);
    free(errs);
    return ds_power_result_share(run->res, o->dist, status, err);
}

/* ---- the table ------------------------------------------------------- */

/* Whether metric m rejects with test t in replication r of design d;
 * q[M] holds the BH q-values of that replication when BH is on. -1 when
 * its p-value is NaN. */
static int rejects(const ds_power_result_t *res, size_t d, size_t m,
                   ds_power_test_t t, size_t r, const double *q)
{
    double p = q ? q[m] : res->p[t][ds_power_slot(res, d, m, r)];
    return isnan(p) ? -1 : p <= res->alpha;
}

/* Mean of the finite values of x[0..n) (stride 1), and their SD. */
static void finite_mean_sd(const double *x, size_t n, double *tmp,
                           double *mean, double *sd)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            tmp[k++] = x[i];
    *mean = k ? gsl_stats_mean(tmp, 1, k) : NAN;
    if (sd)
        *sd = k > 1 ? gsl_stats_sd_m(tmp, 1, k, *mean) : NAN;
}

/* The row of design d, metric m (M = all) and test t. */
static int make_row(ds_power_result_t *res, size_t d, size_t m,
                    ds_power_test_t t, double *tmp, ds_power_row_t *row,
                    ds_error_t *err)
{
    size_t M = res->n_metrics, R = res->R;
    double p[64], *pv = M <= 64 ? p : malloc(M * sizeof *pv);
    if (!pv)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    memset(row, 0, sizeof *row);
    row->design = d;
    row->metric = m;
    row->test = t;
    int rc = DS_OK;
    for (size_t r = 0; r < R && rc == DS_OK; r++) {
        const double *q = NULL;
        if (res->bh) {
            for (size_t k = 0; k < M; k++)
                pv[k] = res->p[t][ds_power_slot(res, d, k, r)];
            rc = ds_padjust_bh(pv, M, pv, err);
            q = pv;
        }
        int all = 1, undef = 0;
        for (size_t k = (m < M ? m : 0); k < (m < M ? m + 1 : M); k++) {
            int x = rejects(res, d, k, t, r, q);
            undef |= x < 0;
            all &= x == 1;
        }
        row->n_reject += (size_t)all;
        row->n_undefined += (size_t)undef;
    }
    if (pv != p)
        free(pv);
    if (rc)
        return rc;
    row->power = (double)row->n_reject / (double)R;
    ds_power_binom_ci(row->n_reject, R, res->conf_level, &row->ci_low,
                      &row->ci_high);
    row->reaches = row->power >= res->target;
    row->estimate_mean = row->estimate_sd = NAN;
    row->mean_pre = row->mean_post = row->mean_n = NAN;
    if (m < M) {
        size_t s0 = ds_power_slot(res, d, m, 0);
        finite_mean_sd(res->estimate + s0, R, tmp, &row->estimate_mean,
                       &row->estimate_sd);
        finite_mean_sd(res->mean_pre + s0, R, tmp, &row->mean_pre, NULL);
        finite_mean_sd(res->mean_post + s0, R, tmp, &row->mean_post, NULL);
        for (size_t r = 0; r < R; r++)
            tmp[r] = (double)res->n_used[s0 + r];
        row->mean_n = gsl_stats_mean(tmp, 1, R);
    }
    return DS_OK;
}

/* Per metric (and all) and test: the smallest designs reaching the
 * target. rows are design-major as make_table lays them out. */
static int make_smallest(ds_power_result_t *res, size_t n_events,
                         size_t per_design, ds_error_t *err)
{
    size_t n_m = res->n_metrics > 1 ? res->n_metrics + 1 : 1;
    size_t n_t = 0;
    for (int t = 0; t < DS_POWER_N_TESTS; t++)
        n_t += (res->tests >> t) & 1u;
    res->n_smallest = n_m * n_t;
    res->smallest = calloc(res->n_smallest, sizeof *res->smallest);
    if (!res->smallest)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t i = 0; i < res->n_smallest; i++) {
        ds_power_smallest_t *s = &res->smallest[i];
        size_t mi = i / n_t, ti = i % n_t;
        const ds_power_row_t *first = &res->row[mi * n_t + ti];
        s->metric = first->metric;
        s->test = first->test;
        s->design = -1;
        if (!(s->by_events = malloc(n_events * sizeof *s->by_events)))
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        for (size_t e = 0; e < n_events; e++)
            s->by_events[e] = -1;
        for (size_t d = 0; d < res->n_designs; d++) {
            const ds_power_row_t *row = &res->row[d * per_design +
                                                  mi * n_t + ti];
            if (!row->reaches)
                continue;
            size_t e = d % n_events;
            size_t cost = res->couples[d] * res->events[d];
            if (s->by_events[e] < 0 ||
                res->couples[d] < res->couples[s->by_events[e]])
                s->by_events[e] = (long)d;
            if (s->design < 0) {
                s->design = (long)d;
                continue;
            }
            size_t best = (size_t)s->design;
            size_t bc = res->couples[best] * res->events[best];
            if (cost < bc || (cost == bc && res->couples[d] <
                                                res->couples[best]))
                s->design = (long)d;
        }
    }
    return DS_OK;
}

static int make_table(ds_power_result_t *res, size_t n_events,
                      ds_error_t *err)
{
    size_t M = res->n_metrics, n_m = M > 1 ? M + 1 : 1, n_t = 0;
    for (int t = 0; t < DS_POWER_N_TESTS; t++)
        n_t += (res->tests >> t) & 1u;
    size_t per_design = n_m * n_t;
    res->n_rows = res->n_designs * per_design;
    res->row = calloc(res->n_rows, sizeof *res->row);
    double *tmp = malloc(res->R * sizeof *tmp);
    int rc = DS_OK;
    if (!res->row || !tmp) {
        free(tmp);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t d = 0; d < res->n_designs && rc == DS_OK; d++)
        for (size_t m = 0; m < n_m && rc == DS_OK; m++)
            for (int t = 0; t < DS_POWER_N_TESTS && rc == DS_OK; t++)
                if ((res->tests >> t) & 1u)
                    rc = make_row(res, d, m < M ? m : M, (ds_power_test_t)t,
                                  tmp, &res->row[k++], err);
    free(tmp);
    return rc ? rc : make_smallest(res, n_events, per_design, err);
}

/* ---- the run ---------------------------------------------------------- */

static int check_opts(const ds_power_model_t *md, size_t M,
                      const ds_power_opts_t *o, ds_error_t *err)
{
    if (!o->n_couples || !o->n_events)
        return ds_error_set(err, DS_EUSAGE, "the design grid is empty");
    for (size_t c = 0; c < o->n_couples; c++)
        if (o->couples[c] < 2)
            return ds_error_set(err, DS_EUSAGE, "a design needs at least 2 "
                                "couples, not %zu", o->couples[c]);
    for (size_t e = 0; e < o->n_events; e++)
        if (o->events[e] < 1)
            return ds_error_set(err, DS_EUSAGE, "events per session must "
                                "be at least 1");
    if (o->replications < 1)
        return ds_error_set(err, DS_EUSAGE, "at least 1 replication");
    if (!(o->alpha > 0 && o->alpha < 1) || !(o->target > 0 && o->target < 1)
        || !(o->conf_level > 0 && o->conf_level < 1))
        return ds_error_set(err, DS_EUSAGE, "alpha, the target power and "
                            "the confidence level must lie in (0, 1)");
    if (!(o->tests & ((1u << DS_POWER_N_TESTS) - 1)))
        return ds_error_set(err, DS_EUSAGE, "no test to power");
    if (M == 0)
        return ds_error_set(err, DS_EUSAGE, "no metric to power");
    if (md->pre >= md->n_labels || md->post >= md->n_labels ||
        md->pre == md->post)
        return ds_error_set(err, DS_EUSAGE, "the pre and post sessions must "
                            "be two different labels of the sessions");
    if (!md->n_groups || (!md->chain[0]) != (!md->chain[1]))
        return ds_error_set(err, DS_EUSAGE, "no groups, or one model "
                            "matrix without the other");
    return DS_OK;
}

static int result_alloc(const ds_power_opts_t *o, size_t M,
                        ds_power_result_t **out, ds_error_t *err)
{
    ds_power_result_t *res = calloc(1, sizeof *res);
    if (!res)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    size_t D = o->n_couples * o->n_events, R = o->replications;
    size_t n = D * M * R;
    res->n_designs = D;
    res->n_couples = o->n_couples;
    res->n_events = o->n_events;
    res->n_metrics = M;
    res->R = R;
    res->tests = o->tests & ((1u << DS_POWER_N_TESTS) - 1);
    res->alpha = o->alpha;
    res->target = o->target;
    res->conf_level = o->conf_level;
    res->bh = o->bh;
    res->couples = malloc(D * sizeof *res->couples);
    res->events = malloc(D * sizeof *res->events);
    res->rep_seed = malloc(R * sizeof *res->rep_seed);
    res->estimate = malloc(n * sizeof *res->estimate);
    res->mean_pre = malloc(n * sizeof *res->mean_pre);
    res->mean_post = malloc(n * sizeof *res->mean_post);
    res->n_used = malloc(n * sizeof *res->n_used);
    int bad = !res->couples || !res->events || !res->rep_seed ||
              !res->estimate || !res->mean_pre || !res->mean_post ||
              !res->n_used;
    for (int t = 0; t < DS_POWER_N_TESTS; t++)
        bad |= !(res->p[t] = malloc(n * sizeof *res->p[t]));
    if (bad) {
        ds_power_result_free(res);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < o->n_couples; c++)
        for (size_t e = 0; e < o->n_events; e++) {
            res->couples[c * o->n_events + e] = o->couples[c];
            res->events[c * o->n_events + e] = o->events[e];
        }
    for (size_t r = 0; r < R; r++)
        res->rep_seed[r] = ds_power_rep_seed(o->seed, r);
    *out = res;
    return DS_OK;
}

int ds_power_run(const ds_power_model_t *md, const ds_power_metric_t *metric,
                 size_t M, const ds_power_opts_t *o, ds_power_result_t **out,
                 ds_error_t *err)
{
    run_t run = {.md = md, .metric = metric, .M = M, .o = o};
    int rc;
    *out = NULL;
    if ((rc = check_opts(md, M, o, err)))
        return rc;
    run.space = *md->space;
    run.space.has_time = run.space.has_duration = 1;
    for (size_t m = 0; m < M; m++)
        run.needs |= metric[m].def.needs;
    if (!md->chain[0] &&
        (rc = ds_sim_roles_find(&run.space, &run.roles, err)))
        return rc;
    for (size_t c = 0; c < o->n_couples; c++)
        if (o->couples[c] > run.max_couples)
            run.max_couples = o->couples[c];
    if ((rc = result_alloc(o, M, &run.res, err)))
        return rc;
    if ((rc = plan_build(md, o, &run.plan, err)) == DS_OK &&
        (rc = replicate_all(&run, err)) == DS_OK)
        rc = make_table(run.res, o->n_events, err);
    plan_clear(&run.plan, o->n_couples);
    if (rc) {
        ds_power_result_free(run.res);
        return rc;
    }
    *out = run.res;
    return DS_OK;
}

void ds_power_result_free(ds_power_result_t *res)
{
    if (!res)
        return;
    free(res->couples);
    free(res->events);
    free(res->rep_seed);
    free(res->estimate);
    free(res->mean_pre);
    free(res->mean_post);
    free(res->n_used);
    for (int t = 0; t < DS_POWER_N_TESTS; t++)
        free(res->p[t]);
    free(res->row);
    for (size_t i = 0; res->smallest && i < res->n_smallest; i++)
        free(res->smallest[i].by_events);
    free(res->smallest);
    free(res);
}
