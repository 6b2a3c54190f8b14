/*
 * layout_power.c — /power in the results file (see layout_power.h and
 * schemas/results.md, which describes every path written here). The
 * paths and column names are defined in this file only.
 */
#include "layout_power.h"

#include <stdlib.h>
#include <string.h>

#include "layout_internal.h" /* the table columns */

/* ---- paths ------------------------------------------------------------ */

#define POWER_GROUP "/power"                    /* the table, attributes */
#define POWER_METRICS "/power/metrics"          /* one row per metric */
#define POWER_SMALLEST "/power/smallest"        /* smallest designs */
#define POWER_REPS "/power/replications"        /* per replication */
#define POWER_REP_SEED "/power/replication_seed" /* [R] */
#define STATES_LABEL "/states/label"
#define CODEBOOK_CODE "/codebook/code"
#define CODEBOOK_ROLE "/codebook/role"
#define CODEBOOK_DESCRIPTION "/codebook/description"

/* Metric name of the rows about every metric at once. */
#define ALL_METRICS "all"

static const char *metric_name(const ds_power_layout_t *p, size_t m)
{
    return m < p->res->n_metrics ? p->metric[m].name : ALL_METRICS;
}

/* ---- the parts -------------------------------------------------------- */

static int write_space(ds_results_t *r, const ds_corpus_t *c,
                       ds_error_t *err)
{
    const ds_codebook_t *cb = c->codebook;
    int rc = ds_results_write_strings(r, STATES_LABEL, c->n_states,
                                      (const char *const *)c->state_label,
                                      "state", err);
    if (!rc)
        rc = ds_results_write_strings(r, CODEBOOK_CODE, cb->n,
                                      (const char *const *)cb->code, "code",
                                      err);
    const char **roles = malloc((cb->n ? cb->n : 1) * sizeof *roles);
    if (!roles)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t i = 0; i < cb->n; i++)
        roles[i] = ds_role_name(cb->role[i]);
    if (!rc)
        rc = ds_results_write_strings(r, CODEBOOK_ROLE, cb->n, roles, "code",
                                      err);
    free(roles);
    if (!rc)
        rc = ds_results_write_strings(r, CODEBOOK_DESCRIPTION, cb->n,
                                      (const char *const *)cb->description,
                                      "code", err);
    return rc;
}

/* The table: one row per design point, metric (all last) and test. */
static int write_table(ds_results_t *r, const ds_power_layout_t *p,
                       ds_error_t *err)
{
    const ds_power_result_t *res = p->res;
    size_t n = res->n_rows;
    enum { COUPLES, EVENTS, METRIC, TEST, N_REPS, N_REJ, N_UNDEF, POWER,
           CI_LO, CI_HI, EST, EST_SD, PRE, POST, MEAN_N, REACHES, N_COL };
    ds_layout_column_t t[N_COL] = {
        COL_I("couples"),       COL_I("events"),      COL_S("metric"),
        COL_S("test"),          COL_I("n_replications"), COL_I("n_reject"),
        COL_I("n_undefined"),   COL_D("power"),       COL_D("ci_low"),
        COL_D("ci_high"),       COL_D("estimate_mean"),
        COL_D("estimate_sd"),   COL_D("mean_pre"),    COL_D("mean_post"),
        COL_D("mean_n"),        COL_U("reaches_target")};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_COL, n)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const ds_power_row_t *w = &res->row[i];
        t[COUPLES].i[i] = (int64_t)res->couples[w->design];
        t[EVENTS].i[i] = (int64_t)res->events[w->design];
        t[METRIC].s[i] = metric_name(p, w->metric);
        t[TEST].s[i] = ds_power_test_name(w->test);
        t[N_REPS].i[i] = (int64_t)res->R;
        t[N_REJ].i[i] = (int64_t)w->n_reject;
        t[N_UNDEF].i[i] = (int64_t)w->n_undefined;
        t[POWER].d[i] = w->power;
        t[CI_LO].d[i] = w->ci_low;
        t[CI_HI].d[i] = w->ci_high;
        t[EST].d[i] = w->estimate_mean;
        t[EST_SD].d[i] = w->estimate_sd;
        t[PRE].d[i] = w->mean_pre;
        t[POST].d[i] = w->mean_post;
        t[MEAN_N].d[i] = w->mean_n;
        t[REACHES].u[i] = (uint8_t)(w->reaches != 0);
    }
    rc = ds_layout_columns_write(r, POWER_GROUP, t, N_COL, n, "row", err);
done:
    ds_layout_columns_clear(t, N_COL);
    return rc;
}

static int write_attributes(ds_results_t *r, const ds_power_layout_t *p,
                            ds_error_t *err)
{
    const ds_power_result_t *res = p->res;
    int rc = ds_results_attr_double(r, POWER_GROUP, "alpha", res->alpha, err);
    if (!rc)
        rc = ds_results_attr_double(r, POWER_GROUP, "target_power",
                                    res->target, err);
    if (!rc)
        rc = ds_results_attr_double(r, POWER_GROUP, "conf_level",
                                    res->conf_level, err);
    if (!rc)
        rc = ds_results_attr_int64(r, POWER_GROUP, "replications",
                                   (int64_t)res->R, err);
    if (!rc)
        rc = ds_results_attr_string(r, POWER_GROUP, "multiplicity",
                                    res->bh ? "bh" : "none", err);
    if (!rc)
        rc = ds_results_attr_string(r, POWER_GROUP, "pre", p->pre, err);
    if (!rc)
        rc = ds_results_attr_string(r, POWER_GROUP, "post", p->post, err);
    if (!rc)
        rc = ds_results_attr_string(r, POWER_GROUP, "model", p->model, err);
    if (!rc)
        rc = ds_results_attr_int64(r, POWER_GROUP, "seed", (int64_t)p->seed,
                                   err);
    return rc;
}

/* /power/metrics: name, kind (paired, one_sample) and label. */
static int write_metrics(ds_results_t *r, const ds_power_layout_t *p,
                         ds_error_t *err)
{
    size_t M = p->res->n_metrics;
    enum { NAME, KIND, LABEL, N_COL };
    ds_layout_column_t t[N_COL] = {COL_S("name"), COL_S("kind"),
                                   COL_S("label")};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_COL, M)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t m = 0; m < M; m++) {
        const ds_power_metric_t *x = &p->metric[m];
        t[NAME].s[m] = x->name;
        t[KIND].s[m] = x->one_sample ? "one_sample" : "paired";
        t[LABEL].s[m] = !x->one_sample ? ""
                        : x->label == DS_SIM_PRE ? p->pre : p->post;
    }
    rc = ds_layout_columns_write(r, POWER_METRICS, t, N_COL, M, "row", err);
done:
    ds_layout_columns_clear(t, N_COL);
    return rc;
}

/* /power/smallest: per metric and test, one row for the grid as a whole
 * (overall = 1) and one per events value; couples -1 when none of the
 * grid reaches the target. */
static int write_smallest(ds_results_t *r, const ds_power_layout_t *p,
                          size_t n_events, ds_error_t *err)
{
    const ds_power_result_t *res = p->res;
    size_t per = 1 + n_events, n = res->n_smallest * per;
    enum { METRIC, TEST, OVERALL, EVENTS, COUPLES, POWER, N_COL };
    ds_layout_column_t t[N_COL] = {COL_S("metric"), COL_S("test"),
                                   COL_U("overall"), COL_I("events"),
                                   COL_I("couples"), COL_D("power")};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_COL, n)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    /* the rows of a design: res->row[d * per_design + k]; find k */
    size_t per_design = res->n_rows / res->n_designs;
    for (size_t i = 0; i < res->n_smallest; i++) {
        const ds_power_smallest_t *s = &res->smallest[i];
        for (size_t j = 0; j < per; j++) {
            size_t k = i * per + j;
            long d = j == 0 ? s->design : s->by_events[j - 1];
            t[METRIC].s[k] = metric_name(p, s->metric);
            t[TEST].s[k] = ds_power_test_name(s->test);
            t[OVERALL].u[k] = j == 0;
            t[EVENTS].i[k] = j ? (int64_t)res->events[j - 1]
                           : d >= 0 ? (int64_t)res->events[d] : -1;
            t[COUPLES].i[k] = d >= 0 ? (int64_t)res->couples[d] : -1;
            t[POWER].d[k] = d >= 0 ? res->row[(size_t)d * per_design + i]
                                         .power
                                   : NAN;
        }
    }
    rc = ds_layout_columns_write(r, POWER_SMALLEST, t, N_COL, n, "row", err);
done:
    ds_layout_columns_clear(t, N_COL);
    return rc;
}

/* /power/replications: one row per design point, metric and replication
 * (design-major, then metric, then replication). */
static int write_replications(ds_results_t *r, const ds_power_layout_t *p,
                              ds_error_t *err)
{
    const ds_power_result_t *res = p->res;
    size_t D = res->n_designs, M = res->n_metrics, R = res->R;
    size_t n = D * M * R;
    enum { COUPLES, EVENTS, METRIC, REP, EST, PRE, POST, N_USED, P_T, P_W,
           N_COL };
    ds_layout_column_t t[N_COL] = {
        COL_I("couples"),  COL_I("events"),    COL_I("metric_index"),
        COL_I("replication"), COL_D("estimate"), COL_D("mean_pre"),
        COL_D("mean_post"), COL_I("n_used"),   COL_D("p_t"),
        COL_D("p_wilcoxon")};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_COL, n)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t d = 0; d < D; d++)
        for (size_t m = 0; m < M; m++)
            for (size_t k = 0; k < R; k++) {
                size_t i = ds_power_slot(res, d, m, k);
                t[COUPLES].i[i] = (int64_t)res->couples[d];
                t[EVENTS].i[i] = (int64_t)res->events[d];
                t[METRIC].i[i] = (int64_t)m;
                t[REP].i[i] = (int64_t)k;
                t[EST].d[i] = res->estimate[i];
                t[PRE].d[i] = res->mean_pre[i];
                t[POST].d[i] = res->mean_post[i];
                t[N_USED].i[i] = res->n_used[i];
                t[P_T].d[i] = res->p[DS_POWER_TEST_T][i];
                t[P_W].d[i] = res->p[DS_POWER_TEST_WILCOXON][i];
            }
    rc = ds_layout_columns_write(r, POWER_REPS, t, N_COL, n, "row", err);
done:
    ds_layout_columns_clear(t, N_COL);
    return rc;
}

int ds_layout_power(ds_results_t *r, const ds_power_layout_t *p,
                    ds_error_t *err)
{
    const ds_power_result_t *res = p->res;
    size_t n_events = res->n_events;
    int64_t *seed = malloc(res->R * sizeof *seed);
    if (!seed)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t k = 0; k < res->R; k++)
        seed[k] = (int64_t)res->rep_seed[k];
    size_t dims[1] = {res->R};
    int rc = write_space(r, p->space, err);
    if (!rc)
        rc = write_table(r, p, err);
    if (!rc)
        rc = write_attributes(r, p, err);
    if (!rc)
        rc = write_metrics(r, p, err);
    if (!rc)
        rc = write_smallest(r, p, n_events, err);
    if (!rc)
        rc = write_replications(r, p, err);
    if (!rc)
        rc = ds_results_write_int64(r, POWER_REP_SEED, 1, dims, seed,
                                    "replication", err);
    free(seed);
    return rc;
}
