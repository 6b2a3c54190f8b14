/*
 * layout_agree.c — the /agreement group of a results file (see
 * layout_agree.h; every path is documented in schemas/results.md).
 *
 *   /agreement/                     pooled over the double-coded sessions:
 *     kappa kappa_max percent_agreement n_pairs n_agreements n_matched
 *     n_unmatched_first n_unmatched_second          scalars
 *     per_code_kappa [K] (state)   matrix [K+1, K+1] (first,second)
 *     time_unit_kappa              scalar, with durations
 *   /agreement/session/             one row per session (session):
 *     the same statistics, n_events_first, n_events_second
 *   /agreement/session_matrix       [S, K+1, K+1] (session,first,second)
 *   /agreement/session_per_code_kappa [S, K] (session,state)
 *   /agreement/time_unit/           with durations: percent_agreement
 *     n_pairs n_units (scalars), per_code_kappa [K], matrix [K+1, K+1];
 *     session/ {kappa percent_agreement n_pairs n_units} [S]
 *   /agreement/icc/                 one row per session-level metric
 *   /agreement/icc/values/          every metric × session, long format
 *   /agreement/single_coded/        the sessions left out
 */
#include "layout_agree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h" /* TRY, writing at group/name */

#define AGREEMENT "/agreement"
#define SESSION AGREEMENT "/session"
#define SESSION_MATRIX AGREEMENT "/session_matrix"
#define SESSION_PER_CODE AGREEMENT "/session_per_code_kappa"
#define TIME_UNIT AGREEMENT "/time_unit"
#define TIME_UNIT_SESSION TIME_UNIT "/session"
#define TIME_UNIT_KAPPA AGREEMENT "/time_unit_kappa"
#define ICC AGREEMENT "/icc"
#define ICC_VALUES ICC "/values"
#define SINGLE AGREEMENT "/single_coded"

/* The scalars of one ds_agree_stats_t under group (pooled). */
static int write_stats(ds_results_t *r, const char *group,
                       const ds_agree_stats_t *s, int kappas,
                       ds_error_t *err)
{
    if (kappas) {
        TRY(ds_layout_put_scalar_double(r, group, "kappa", s->kappa, err));
        TRY(ds_layout_put_scalar_double(r, group, "kappa_max", s->kappa_max,
                                        err));
    }
    TRY(ds_layout_put_scalar_double(r, group, "percent_agreement",
                                    s->percent_agreement, err));
    TRY(ds_layout_put_scalar_int64(r, group, "n_pairs", s->n_pairs, err));
    TRY(ds_layout_put_scalar_int64(r, group, "n_agreements", s->n_agreements,
                                   err));
    if (!kappas)
        return DS_OK;
    TRY(ds_layout_put_scalar_int64(r, group, "n_matched", s->n_matched,
                                   err));
    TRY(ds_layout_put_scalar_int64(r, group, "n_unmatched_first",
                                   s->n_unmatched_first, err));
    TRY(ds_layout_put_scalar_int64(r, group, "n_unmatched_second",
                                   s->n_unmatched_second, err));
    return DS_OK;
}

/* Per-session columns of stats[S] under group; time units write fewer. */
static int write_session_stats(ds_results_t *r, const char *group,
                               const ds_agree_stats_t *st, size_t S,
                               int units, ds_error_t *err)
{
    enum { KAPPA, KMAX, PCT, N, AGR, MATCHED, UF, US, N_COLS };
    static const char *const name[N_COLS] = {
        "kappa",        "kappa_max", "percent_agreement", "n_pairs",
        "n_agreements", "n_matched", "n_unmatched_first",
        "n_unmatched_second"};
    double *d = malloc((S ? S : 1) * sizeof *d);
    int64_t *i = malloc((S ? S : 1) * sizeof *i);
    size_t dims[1] = {S};
    int rc = DS_OK;
    if (!d || !i)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    for (int c = 0; c < N_COLS && !rc; c++) {
        if (units && c != KAPPA && c != PCT && c != N && c != AGR)
            continue;
        for (size_t s = 0; s < S; s++) {
            const ds_agree_stats_t *x = &st[s];
            d[s] = c == KAPPA ? x->kappa
                   : c == KMAX ? x->kappa_max
                               : x->percent_agreement;
            i[s] = c == N ? x->n_pairs
                   : c == AGR ? x->n_agreements
                   : c == MATCHED ? x->n_matched
                   : c == UF ? x->n_unmatched_first
                             : x->n_unmatched_second;
        }
        rc = c <= PCT ? ds_layout_put_double(r, group, name[c], 1, dims, d,
                                             "session", err)
                      : ds_layout_put_int64(r, group, name[c], 1, dims, i,
                                            "session", err);
    }
    free(d);
    free(i);
    return rc;
}

static int write_events(ds_results_t *r, const ds_agree_result_t *a,
                        const ds_layout_agree_t *L, ds_error_t *err)
{
    size_t S = a->S, K = a->K, K1 = K + 1;
    size_t dk[1] = {K}, dm[2] = {K1, K1}, ds3[3] = {S, K1, K1},
           ds2[2] = {S, K}, d1[1] = {S};
    TRY(ds_results_attr_string(r, AGREEMENT, "first", L->first, err));
    TRY(ds_results_attr_string(r, AGREEMENT, "second", L->second, err));
    TRY(ds_results_attr_string(r, AGREEMENT, "aligned_by",
                               a->by_time ? "onset" : "order", err));
    TRY(ds_results_attr_double(r, AGREEMENT, "tolerance_s",
                               a->by_time ? a->tolerance_s : NAN, err));
    TRY(ds_results_attr_int64(r, AGREEMENT, "cost_substitution",
                              DS_AGREE_COST_SUBSTITUTION, err));
    TRY(ds_results_attr_int64(r, AGREEMENT, "cost_unmatched",
                              DS_AGREE_COST_GAP, err));
    TRY(ds_results_attr_int64(r, AGREEMENT, "n_sessions", (int64_t)S, err));
    TRY(ds_results_attr_int64(r, AGREEMENT, "n_single_coded",
                              (int64_t)L->n_single, err));
    TRY(write_stats(r, AGREEMENT, &a->pooled, 1, err));
    TRY(ds_results_write_double(r, AGREEMENT "/per_code_kappa", 1, dk,
                                a->pooled_per_code_kappa, "state", err));
    TRY(ds_results_write_int64(r, AGREEMENT "/matrix", 2, dm,
                               a->pooled_matrix, "first,second", err));
    if (a->has_units)
        TRY(ds_results_write_scalar_double(r, TIME_UNIT_KAPPA,
                                           a->unit_pooled.kappa, err));
    TRY(write_session_stats(r, SESSION, a->stats, S, 0, err));
    TRY(ds_results_write_int64(r, SESSION "/n_events_first", 1, d1,
                               a->n_events_first, "session", err));
    TRY(ds_results_write_int64(r, SESSION "/n_events_second", 1, d1,
                               a->n_events_second, "session", err));
    TRY(ds_results_write_int64(r, SESSION_MATRIX, 3, ds3, a->matrix,
                               "session,first,second", err));
    TRY(ds_results_write_double(r, SESSION_PER_CODE, 2, ds2,
                                a->per_code_kappa, "session,state", err));
    return DS_OK;
}

static int write_units(ds_results_t *r, const ds_agree_result_t *a,
                       ds_error_t *err)
{
    size_t S = a->S, K = a->K, K1 = K + 1;
    size_t dk[1] = {K}, dm[2] = {K1, K1}, d1[1] = {S};
    int64_t total = 0;
    for (size_t s = 0; s < S; s++)
        total += a->n_units[s];
    TRY(ds_results_attr_double(r, TIME_UNIT, "time_unit_s", a->unit_s, err));
    TRY(ds_results_attr_int64(r, TIME_UNIT, "unit_tolerance",
                              (int64_t)a->unit_tolerance, err));
    TRY(ds_results_attr_double(r, TIME_UNIT, "unit_tolerance_s",
                               (double)a->unit_tolerance * a->unit_s, err));
    TRY(write_stats(r, TIME_UNIT, &a->unit_pooled, 0, err));
    TRY(ds_results_write_scalar_int64(r, TIME_UNIT "/n_units", total, err));
    TRY(ds_results_write_double(r, TIME_UNIT "/per_code_kappa", 1, dk,
                                a->unit_pooled_per_code_kappa, "state", err));
    TRY(ds_results_write_int64(r, TIME_UNIT "/matrix", 2, dm,
                               a->unit_pooled_matrix, "first,second", err));
    TRY(write_session_stats(r, TIME_UNIT_SESSION, a->unit_stats, S, 1, err));
    TRY(ds_results_write_int64(r, TIME_UNIT_SESSION "/n_units", 1, d1,
                               a->n_units, "session", err));
    return DS_OK;
}

/* /agreement/icc: one row per metric. */
static int write_icc_table(ds_results_t *r, const ds_layout_agree_t *L,
                           ds_error_t *err)
{
    enum { ICC_V, LO, HI, F, DF1, DF2, P, MF, MS, MD, SD, N_D };
    static const char *const dname[N_D] = {
        "icc", "ci_low", "ci_high", "f", "df1", "df2", "p", "mean_first",
        "mean_second", "mean_diff", "sd_diff"};
    size_t M = L->n_metrics, dims[1] = {M};
    double *d = malloc((M ? M : 1) * sizeof *d);
    int64_t *n = malloc((M ? M : 1) * sizeof *n);
    int rc = DS_OK;
    if (!d || !n)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    if (!rc)
        rc = ds_results_write_strings(r, ICC "/metric", M, L->metric, "row",
                                      err);
    for (size_t m = 0; m < M; m++)
        if (n)
            n[m] = (int64_t)L->icc[m].n;
    if (!rc)
        rc = ds_results_write_int64(r, ICC "/n", 1, dims, n, "row", err);
    for (int c = 0; c < N_D && !rc; c++) {
        for (size_t m = 0; m < M; m++) {
            const ds_icc_t *x = &L->icc[m];
            const double v[N_D] = {x->icc,  x->ci_low,     x->ci_high,
                                   x->f,    x->df1,        x->df2,
                                   x->p,    x->mean_first, x->mean_second,
                                   x->mean_diff, x->sd_diff};
            d[m] = v[c];
        }
        rc = ds_layout_put_double(r, ICC, dname[c], 1, dims, d, "row", err);
    }
    if (!rc)
        rc = ds_results_attr_double(r, ICC, "conf_level", L->conf_level, err);
    if (!rc)
        rc = ds_results_attr_string(r, ICC, "model", "ICC(A,1): two-way, "
                                    "absolute agreement, single measures "
                                    "(McGraw & Wong 1996)", err);
    free(d);
    free(n);
    return rc;
}

/* /agreement/icc/values: metric-major, then sessions (`export` adds the
 * couple and session after session_index). */
static int write_icc_values(ds_results_t *r, const ds_layout_agree_t *L,
                            size_t S, ds_error_t *err)
{
    size_t M = L->n_metrics, N = M * S, rows = N ? N : 1, dims[1] = {N};
    const char **metric = malloc(rows * sizeof *metric);
    int64_t *index = malloc(rows * sizeof *index);
    uint8_t *used = malloc(rows);
    int rc = DS_OK;
    if (!metric || !index || !used) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t m = 0, k = 0; m < M; m++)
        for (size_t s = 0; s < S; s++, k++) {
            metric[k] = L->metric[m];
            index[k] = (int64_t)s;
            used[k] = isfinite(L->value_first[k]) &&
                      isfinite(L->value_second[k]);
        }
    rc = ds_results_write_strings(r, ICC_VALUES "/metric", N, metric, "row",
                                  err);
    if (!rc)
        rc = ds_results_write_int64(r, ICC_VALUES "/session_index", 1, dims,
                                    index, "row", err);
    if (!rc)
        rc = ds_results_write_double(r, ICC_VALUES "/first", 1, dims,
                                     L->value_first, "row", err);
    if (!rc)
        rc = ds_results_write_double(r, ICC_VALUES "/second", 1, dims,
                                     L->value_second, "row", err);
    if (!rc)
        rc = ds_results_write_uint8(r, ICC_VALUES "/used", 1, dims, used,
                                    "row", err);
done:
    free(metric);
    free(index);
    free(used);
    return rc;
}

int ds_layout_agreement(ds_results_t *r, const ds_layout_agree_t *L,
                        ds_error_t *err)
{
    const ds_agree_result_t *a = L->result;
    TRY(write_events(r, a, L, err));
    if (a->has_units)
        TRY(write_units(r, a, err));
    TRY(write_icc_table(r, L, err));
    TRY(write_icc_values(r, L, a->S, err));
    TRY(ds_results_write_strings(r, SINGLE "/couple", L->n_single,
                                 L->single_couple, "row", err));
    TRY(ds_results_write_strings(r, SINGLE "/session", L->n_single,
                                 L->single_session, "row", err));
    TRY(ds_results_write_strings(r, SINGLE "/coded_by", L->n_single,
                                 L->single_coded_by, "row", err));
    return DS_OK;
}
