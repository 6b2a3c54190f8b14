/*
 * layout_compare.c — /comparison, written by compare (see layout.h and
 * schemas/results.md): the table of metrics, the per-couple values, the
 * excluded couples, and with reliabilities /comparison/reliability and
 * /comparison/rci.
 */
#include <stdlib.h>

#include "layout_internal.h"

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
    ds_layout_column_t t[N_T] = {
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
    if (ds_layout_columns_init(t, N_T, M)) {
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
    rc = ds_layout_columns_write(r, DS_PATH_COMPARISON, t, N_T, M, DS_DIM_ROW,
                                 err);
done:
    ds_layout_columns_clear(t, N_T);
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
    ds_layout_column_t v[N_V] = {COL_S(DS_COL_METRIC), COL_S(DS_COL_COUPLE),
                                 COL_D(DS_COL_PRE), COL_D(DS_COL_POST),
                                 COL_U(DS_COL_USED)};
    enum { X_METRIC, X_COUPLE, X_REASON, N_X };
    ds_layout_column_t xc[N_X] = {COL_S(DS_COL_METRIC), COL_S(DS_COL_COUPLE),
                                  COL_S(DS_COL_REASON)};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(v, N_V, n) ||
        ds_layout_columns_init(xc, N_X, x)) {
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
    rc = ds_layout_columns_write(r, DS_PATH_COMPARISON_VALUES, v, N_V, n,
                                 DS_DIM_ROW, err);
    if (!rc)
        rc = ds_layout_columns_write(r, DS_PATH_COMPARISON_EXCLUDED, xc, N_X,
                                     x, DS_DIM_ROW, err);
done:
    ds_layout_columns_clear(v, N_V);
    ds_layout_columns_clear(xc, N_X);
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
    ds_layout_column_t t[N_R] = {
        COL_S(DS_COL_METRIC),      COL_D(DS_COL_R),
        COL_S(DS_COL_BETTER),      COL_D(DS_COL_SD_PRE),
        COL_D(DS_COL_SE_DIFF),     COL_I(DS_COL_N_IMPROVED),
        COL_I(DS_COL_N_UNCHANGED), COL_I(DS_COL_N_DETERIORATED)};
    enum { U_METRIC, U_COUPLE, U_PRE, U_POST, U_RCI, U_CLASS, N_U };
    ds_layout_column_t u[N_U] = {COL_S(DS_COL_METRIC), COL_S(DS_COL_COUPLE),
                                 COL_D(DS_COL_PRE),    COL_D(DS_COL_POST),
                                 COL_D(DS_COL_RCI),    COL_S(DS_COL_CLASS)};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_R, nr) ||
        ds_layout_columns_init(u, N_U, nc)) {
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
    rc = ds_layout_columns_write(r, DS_PATH_COMPARISON_RELIABILITY, t, N_R, nr,
                                 DS_DIM_ROW, err);
    if (!rc)
        rc = ds_results_attr_double(r, DS_PATH_COMPARISON_RELIABILITY,
                                    DS_ATTR_CRITICAL, DS_RCI_CRITICAL, err);
    if (!rc)
        rc = ds_layout_columns_write(r, DS_PATH_COMPARISON_RCI, u, N_U, nc,
                                     DS_DIM_ROW, err);
done:
    ds_layout_columns_clear(t, N_R);
    ds_layout_columns_clear(u, N_U);
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

