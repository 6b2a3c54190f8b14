/*
 * layout_apim.c — /actor_partner (see layout_internal.h and
 * schemas/results.md): for every model its group with the 2×2×2 tables of
 * every session, the per-session coefficients and their summaries between
 * sessions, from what the analysis computed; nothing is computed here but
 * the number of unit pairs, the sum of a table.
 */
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* The states of one side of m, as their labels. */
static int side_states(ds_results_t *r, const char *group,
                       const ds_corpus_t *c, const ds_ap_model_t *m,
                       uint8_t side, const char *attr, ds_error_t *err)
{
    const char **v = malloc((m->K ? m->K : 1) * sizeof *v);
    if (!v)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t q = 0; q < m->K; q++)
        if (m->side[q] == side)
            v[n++] = c->state_label[q];
    int rc = ds_results_attr_strings(r, group, attr, n, v, err);
    free(v);
    return rc;
}

/* The per-session columns: units, unit pairs, coefficients, SE. */
static int write_sessions(ds_results_t *r, const char *group,
                          const ds_ap_result_t *x, size_t S,
                          ds_error_t *err)
{
    enum { N_COLS = 2 + DS_AP_N_COEFS + 1 };
#define X_(name, type, description) COL_D(#name),
    ds_layout_column_t t[N_COLS] = {COL_I(DS_COL_N_UNITS),
                                    COL_I(DS_COL_N_UNIT_PAIRS),
                                    DS_AP_COEFS(X_) COL_D(DS_COL_SE)};
#undef X_
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_COLS, S)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++) {
        int64_t pairs = 0;
        for (size_t k = 0; k < DS_AP_N_CELLS; k++)
            pairs += x->counts[s * DS_AP_N_CELLS + k];
        t[0].i[s] = x->n_units[s];
        t[1].i[s] = pairs;
        for (size_t k = 0; k < DS_AP_N_COEFS; k++)
            t[2 + k].d[s] = x->coef[s * DS_AP_N_COEFS + k];
        t[N_COLS - 1].d[s] = x->se[s];
    }
    rc = ds_layout_columns_write(r, group, t, N_COLS, S, DS_DIM_SESSION, err);
done:
    ds_layout_columns_clear(t, N_COLS);
    return rc;
}

/* The summaries as one table: a row per scope (all sessions, then each
 * label) and coefficient. */
static int write_summary(ds_results_t *r, const char *group,
                         const ds_corpus_t *c, const ds_ap_result_t *x,
                         size_t L, ds_error_t *err)
{
#define X_(name, type, description) #name,
    static const char *const coef[DS_AP_N_COEFS] = {DS_AP_COEFS(X_)};
#undef X_
    enum { SCOPE, LABEL, COEF, MEAN, SD, N, T, P, N_COLS };
    ds_layout_column_t t[N_COLS] = {
        COL_S(DS_COL_SCOPE),      COL_S(DS_COL_LABEL),
        COL_S(DS_COL_COEFFICIENT), COL_D(DS_SUMMARY_MEAN),
        COL_D(DS_SUMMARY_SD),     COL_I(DS_SUMMARY_N),
        COL_D(DS_SUMMARY_T),      COL_D(DS_SUMMARY_P)};
    size_t rows = (1 + L) * DS_AP_N_COEFS;
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_COLS, rows)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    for (size_t p = 0, j = 0; p <= L; p++) {
        const ds_summary_t *sm = p ? x->by_label[p - 1] : x->summary;
        for (size_t k = 0; k < DS_AP_N_COEFS; k++, j++) {
            t[SCOPE].s[j] = p ? DS_VAL_SCOPE_LABEL : DS_VAL_SCOPE_ALL;
            t[LABEL].s[j] = p ? c->labels[p - 1] : "";
            t[COEF].s[j] = coef[k];
            t[MEAN].d[j] = sm->mean[k];
            t[SD].d[j] = sm->sd[k];
            t[N].i[j] = sm->n[k];
            t[T].d[j] = sm->t[k];
            t[P].d[j] = sm->p[k];
        }
    }
    rc = ds_layout_columns_write(r, group, t, N_COLS, rows, DS_DIM_ROW, err);
done:
    ds_layout_columns_clear(t, N_COLS);
    return rc;
}

/* /actor_partner/<model>: attributes, tables, columns, summaries. */
static int write_model(ds_results_t *r, const ds_corpus_t *c,
                       const ds_analysis_t *a, const ds_ap_result_t *x,
                       ds_error_t *err)
{
    const ds_ap_model_t *m = x->model;
    char *g = ds_layout_path_ap(m->name, NULL, NULL);
    char *gs = ds_layout_path_ap(m->name, DS_AP_SESSION, NULL);
    char *gc = ds_layout_path_ap(m->name, DS_AP_COUPLE_SUMMARY, NULL);
    int rc = DS_OK;
    if (!g || !gs || !gc) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    size_t dims[4] = {a->S, 2, 2, 2};
    if ((rc = ds_results_attr_string(r, g, DS_ATTR_AP_MODEL, m->name, err)) ||
        (rc = ds_results_attr_string(r, g, DS_ATTR_AP_Y, m->y, err)) ||
        (rc = ds_results_attr_string(r, g, DS_ATTR_AP_X, m->x, err)) ||
        (rc = side_states(r, g, c, m, DS_AP_Y, DS_ATTR_AP_Y_STATES, err)) ||
        (rc = side_states(r, g, c, m, DS_AP_X, DS_ATTR_AP_X_STATES, err)) ||
        (rc = ds_layout_put_int64(r, g, DS_AP_COUNTS, 4, dims, x->counts,
                                  DS_DIMS_AP_COUNTS, err)) ||
        (rc = write_sessions(r, gs, x, a->S, err)))
        goto done;
    rc = write_summary(r, gc, c, x, a->n_labels, err);
done:
    free(g);
    free(gs);
    free(gc);
    return rc;
}

int ds_layout_ap(ds_results_t *r, const ds_corpus_t *c,
                 const ds_analysis_t *a, const ds_analysis_opts_t *o,
                 ds_error_t *err)
{
    if (!a->ap)
        return DS_OK;
    const ds_ap_opts_t *ao = &o->ap_opts;
    TRY(ds_results_attr_double(r, DS_PATH_ACTOR_PARTNER, DS_ATTR_AP_DELTA,
                               ao->delta, err));
    TRY(ds_results_attr_double(r, DS_PATH_ACTOR_PARTNER,
                               DS_ATTR_WINDOW_TIME_UNIT_S, ao->unit_s, err));
    TRY(ds_results_attr_string(r, DS_PATH_ACTOR_PARTNER,
                               DS_ATTR_WINDOW_TARGET,
                               ao->target_ongoing ? DS_VAL_TARGET_ONGOING
                                                  : DS_VAL_TARGET_ONSET,
                               err));
    for (size_t m = 0; m < a->n_ap; m++)
        TRY(write_model(r, c, a, &a->ap[m], err));
    return DS_OK;
}
