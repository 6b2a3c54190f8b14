/*
 * layout_dyadic.c — /responsiveness, /cycles and /softening (see
 * layout_internal.h), written as tables of columns in the order of SPEC 5
 * from what the analysis computed; nothing is computed here.
 */
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/*
 * /responsiveness/km: the Kaplan-Meier points of every row, n_km in all,
 * from the curves the analysis computed, packed and appended in blocks of
 * sessions so that the columns are never held whole beside the curves.
 */
#define KM_BLOCK 4096 /* sessions: enough points that each append fills
                         several chunks, compressed in parallel */
enum { KM_ROW, KM_TIME, KM_SURV, KM_RISK, KM_EVENTS, KM_N };

/* The points of rows [2 first, 2 (first + n)) into the columns iv (row,
 * n_at_risk, n_events) and dv (time_s, survival). */
static void km_pack(const ds_responsive_t *x, size_t first, size_t n,
                    int64_t *iv[3], double *dv[2])
{
    for (size_t k = 0, j = 0; k < 2 * n; k++) {
        const ds_km_t *km = &x[2 * first + k].km;
        for (size_t p = 0; p < km->n; p++, j++) {
            iv[0][j] = (int64_t)(2 * first + k);
            iv[1][j] = (int64_t)km->n_at_risk[p];
            iv[2][j] = (int64_t)km->n_events[p];
            dv[0][j] = km->time_s[p];
            dv[1][j] = km->survival[p];
        }
    }
}

static int write_km(ds_results_t *r, const ds_analysis_t *a, size_t n_km,
                    ds_error_t *err)
{
    /* SPEC 5 order: where each column's values are (iv or dv, index) */
    static const char *const name[KM_N] = {DS_COL_ROW, DS_COL_TIME_S,
                                           DS_COL_SURVIVAL, DS_COL_N_AT_RISK,
                                           DS_COL_N_EVENTS};
    static const int is_int[KM_N] = {1, 0, 0, 1, 1};
    static const int src[KM_N] = {0, 0, 1, 1, 2};
    ds_results_dset_t *d[KM_N] = {NULL};
    size_t dims[1] = {n_km}, S = a->S, cap = 0;
    size_t bs = S < KM_BLOCK ? (S ? S : 1) : KM_BLOCK;
    int64_t *iv[3] = {NULL};
    double *dv[2] = {NULL};
    int rc = DS_OK;
    for (int i = 0; i < KM_N && !rc; i++)
        rc = ds_layout_begin_in(r, DS_PATH_RESPONSIVENESS_KM, name[i],
                                is_int[i] ? DS_RESULTS_INT64
                                          : DS_RESULTS_DOUBLE,
                                1, dims, DS_DIM_POINT, &d[i], err);
    for (size_t first = 0; !rc && first < S; first += bs) {
        size_t n = S - first < bs ? S - first : bs, m = 0;
        for (size_t k = 0; k < 2 * n; k++)
            m += a->responsive[2 * first + k].km.n;
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
            if (!iv[0] || !iv[1] || !iv[2] || !dv[0] || !dv[1]) {
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
                break;
            }
        }
        km_pack(a->responsive, first, n, iv, dv);
        for (int i = 0; i < KM_N && !rc; i++)
            rc = ds_results_append(d[i], m,
                                   is_int[i] ? (const void *)iv[src[i]]
                                             : (const void *)dv[src[i]],
                                   err);
    }
    for (int i = 0; i < KM_N; i++)
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
    return rc;
}

/*
 * /responsiveness/pooled: time to response pooled over the bids of all
 * sessions and of each label, per bidder (one Kaplan-Meier estimate over
 * the bids, not a mean of session curves), with its curve in
 * /responsiveness/pooled/km (row = row of /responsiveness/pooled).
 */
static int write_km_pooled(ds_results_t *r, const ds_corpus_t *c,
                           const ds_analysis_t *a, ds_error_t *err)
{
    size_t rows = (1 + a->n_labels) * 2, n_km = 0;
    enum { SCOPE, LABEL, BIDDER, BIDS, P_W, MEDIAN, N_T };
    ds_layout_column_t t[N_T] = {COL_S(DS_COL_SCOPE),
                                 COL_S(DS_COL_LABEL),
                                 COL_S(DS_COL_BIDDER),
                                 COL_I(DS_COL_N_BIDS),
                                 COL_D(DS_COL_P_RESPONSE_BY_WINDOW),
                                 COL_D(DS_COL_MEDIAN_TIME_TO_RESPONSE_S)};
    enum { K_ROW, K_TIME, K_SURV, K_RISK, K_EVENTS, N_K };
    ds_layout_column_t km[N_K] = {
        COL_I(DS_COL_ROW), COL_D(DS_COL_TIME_S), COL_D(DS_COL_SURVIVAL),
        COL_I(DS_COL_N_AT_RISK), COL_I(DS_COL_N_EVENTS)};
    for (size_t k = 0; k < rows; k++)
        n_km += a->km_pooled[k].km.n;
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_T, rows) ||
        ds_layout_columns_init(km, N_K, n_km)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    size_t j = 0;
    for (size_t k = 0; k < rows; k++) {
        const ds_analysis_km_t *y = &a->km_pooled[k];
        const ds_km_t *x = &y->km;
        size_t scope = k / 2;
        t[SCOPE].s[k] = scope ? DS_VAL_SCOPE_LABEL : DS_VAL_SCOPE_ALL;
        t[LABEL].s[k] = scope ? c->labels[scope - 1] : "";
        t[BIDDER].s[k] = c->actors[k % 2];
        t[BIDS].i[k] = (int64_t)y->n_bids;
        t[P_W].d[k] = y->p_response_by_window;
        t[MEDIAN].d[k] = y->median_time_to_response_s;
        for (size_t p = 0; p < x->n; p++, j++) {
            km[K_ROW].i[j] = (int64_t)k;
            km[K_TIME].d[j] = x->time_s[p];
            km[K_SURV].d[j] = x->survival[p];
            km[K_RISK].i[j] = (int64_t)x->n_at_risk[p];
            km[K_EVENTS].i[j] = (int64_t)x->n_events[p];
        }
    }
    rc = ds_layout_columns_write(r, DS_PATH_RESPONSIVENESS_POOLED, t, N_T,
                                 rows, DS_DIM_ROW, err);
    if (!rc)
        rc = ds_layout_columns_write(r, DS_PATH_RESPONSIVENESS_POOLED_KM, km,
                                     N_K, n_km, DS_DIM_POINT, err);
done:
    ds_layout_columns_clear(t, N_T);
    ds_layout_columns_clear(km, N_K);
    return rc;
}

static int write_responsiveness(ds_results_t *r, const ds_corpus_t *c,
                                const ds_analysis_t *a,
                                const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t rows = 2 * a->S, n_km = 0;
    enum { SESSION, BIDDER, BIDS, ANSWERED, LATE, RATE, MEAN, MEDIAN, AWAY,
           AGAINST, P_W, N_T };
    ds_layout_column_t t[N_T] = {COL_I(DS_COL_SESSION_INDEX),
                                 COL_S(DS_COL_BIDDER),
                                 COL_I(DS_COL_N_BIDS),
                                 COL_I(DS_COL_N_ANSWERED),
                                 COL_I(DS_COL_N_ANSWERED_LATE),
                                 COL_D(DS_COL_RESPONSE_RATE),
                                 COL_D(DS_COL_LATENCY_MEAN_S),
                                 COL_D(DS_COL_LATENCY_MEDIAN_S),
                                 COL_I(DS_COL_N_TURNED_AWAY),
                                 COL_I(DS_COL_N_TURNED_AGAINST),
                                 COL_D(DS_COL_P_RESPONSE_BY_WINDOW)};
    int rc = DS_ENOMEM;
    for (size_t k = 0; k < rows; k++)
        n_km += a->responsive[k].km.n;
    if (ds_layout_columns_init(t, N_T, rows)) {
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
    rc = ds_layout_columns_write(r, DS_PATH_RESPONSIVENESS, t, N_T, rows,
                                 DS_DIM_ROW, err);
    if (!rc)
        rc = ds_results_attr_double(r, DS_PATH_RESPONSIVENESS,
                                    DS_ATTR_RESPONSE_WINDOW_S,
                                    o->responsive_opts.window_s, err);
    if (!rc)
        rc = write_km(r, a, n_km, err);
done:
    ds_layout_columns_clear(t, N_T);
    return rc;
}

/* /cycles: one row per session, and its attribute cycle_min. */
static int write_cycles(ds_results_t *r, const ds_analysis_t *a,
                        const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t S = a->S;
    enum { SESSION, N_CYC, EVENTS, LONGEST, TIME, SHARE, PUR_A, PUR_B,
           END_SOFTEN, END_BID, END_OTHER, END_SESSION, N_T };
    ds_layout_column_t t[N_T] = {
        COL_I(DS_COL_SESSION_INDEX),    COL_I(DS_COL_N_CYCLES),
        COL_I(DS_COL_EVENTS_IN_CYCLES), COL_I(DS_COL_LONGEST_CYCLE),
        COL_D(DS_COL_TIME_IN_CYCLES_S), COL_D(DS_COL_SHARE_TIME_IN_CYCLES),
        COL_I(DS_COL_N_PURSUER_A),      COL_I(DS_COL_N_PURSUER_B),
        COL_I(DS_COL_ENDED_BY_SOFTEN),  COL_I(DS_COL_ENDED_BY_BID),
        COL_I(DS_COL_ENDED_OTHER),      COL_I(DS_COL_ENDED_BY_SESSION_END)};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_T, S)) {
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
    rc = ds_layout_columns_write(r, DS_PATH_CYCLES, t, N_T, S, DS_DIM_SESSION,
                                 err);
    if (!rc)
        rc = ds_results_attr_int64(r, DS_PATH_CYCLES, DS_ATTR_CYCLE_MIN,
                                   (int64_t)o->cycles_opts.min_len, err);
done:
    ds_layout_columns_clear(t, N_T);
    return rc;
}

/* How a cycle ended, as written in /cycles/runs/ending. */
static const char *ending_name(ds_cycle_end_t end)
{
    switch (end) {
    case DS_CYCLE_END_SOFTEN:
        return DS_VAL_ENDING_SOFTEN;
    case DS_CYCLE_END_BID:
        return DS_VAL_ENDING_BID;
    case DS_CYCLE_END_SESSION:
        return DS_VAL_ENDING_SESSION_END;
    case DS_CYCLE_END_OTHER:
    default:
        return DS_VAL_ENDING_OTHER;
    }
}

/* Column k of /cycles/runs (its order below) for every cycle. */
static void fill_run_column(ds_layout_column_t *t, int k,
                            const ds_corpus_t *c, const ds_analysis_t *a)
{
    size_t j = 0;
    for (size_t s = 0; s < a->S; s++)
        for (size_t q = 0; q < a->cycles[s].n_cycles; q++, j++) {
            const ds_cycle_run_t *x = &a->cycle_runs[s][q];
            switch (k) {
            case 0: t->i[j] = (int64_t)s; break;
            case 1: t->s[j] = c->actors[x->pursuer]; break;
            case 2: t->i[j] = (int64_t)x->first; break;
            case 3: t->i[j] = (int64_t)x->len; break;
            case 4: t->d[j] = x->start_s; break;
            case 5: t->d[j] = x->end_s; break;
            default: t->s[j] = ending_name(x->end); break;
            }
        }
}

/* /cycles/runs: the cycles themselves, one row per cycle in session
 * order, as the analysis listed them. One column at a time: at 2 million
 * events the seven columns together were 7 MB, written while pooling
 * runs beside (ds_analysis_opts_t.sessions_sink). */
static int write_cycle_runs(ds_results_t *r, const ds_corpus_t *c,
                            const ds_analysis_t *a, ds_error_t *err)
{
    size_t n = 0;
    for (size_t s = 0; s < a->S; s++)
        n += a->cycles[s].n_cycles;
    enum { N_R = 7 };
    const ds_layout_column_t t[N_R] = {
        COL_I(DS_COL_SESSION_INDEX), COL_S(DS_COL_PURSUER),
        COL_I(DS_COL_FIRST_EVENT),   COL_I(DS_COL_N_EVENTS),
        COL_D(DS_COL_START_S),       COL_D(DS_COL_END_S),
        COL_S(DS_COL_ENDING)};
    int rc = DS_OK;
    for (int k = 0; k < N_R && !rc; k++) {
        ds_layout_column_t col = t[k];
        if (ds_layout_columns_init(&col, 1, n))
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        if (!rc) {
            fill_run_column(&col, k, c, a);
            rc = ds_layout_columns_write(r, DS_PATH_CYCLES_RUNS, &col, 1, n,
                                         DS_DIM_ROW, err);
        }
        ds_layout_columns_clear(&col, 1);
    }
    return rc;
}

/* /softening: one row per session and partner, and its attribute W. */
static int write_softening(ds_results_t *r, const ds_corpus_t *c,
                           const ds_analysis_t *a,
                           const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t S = a->S;
    enum { F_SESSION, F_ACTOR, F_N, F_REC, F_RATE, F_FIRST, F_SHARE, N_F };
    ds_layout_column_t sf[N_F] = {
        COL_I(DS_COL_SESSION_INDEX),     COL_S(DS_COL_ACTOR),
        COL_I(DS_COL_N_SOFTEN),          COL_I(DS_COL_N_RECIPROCATED),
        COL_D(DS_COL_RATE_PER_MIN),      COL_D(DS_COL_FIRST_ONSET_S),
        COL_D(DS_COL_SHARE_RECIPROCATED)};
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(sf, N_F, 2 * S)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
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
    rc = ds_layout_columns_write(r, DS_PATH_SOFTENING, sf, N_F, 2 * S,
                                 DS_DIM_ROW, err);
    /* share_reciprocated depends on W (SPEC 4.7) */
    if (!rc)
        rc = ds_results_attr_double(r, DS_PATH_SOFTENING,
                                    DS_ATTR_RESPONSE_WINDOW_S,
                                    o->cycles_opts.window_s, err);
done:
    ds_layout_columns_clear(sf, N_F);
    return rc;
}

int ds_layout_dyadic(ds_results_t *r, const ds_corpus_t *c,
                     const ds_analysis_t *a, const ds_analysis_opts_t *o,
                     ds_error_t *err)
{
    if (a->responsive)
        TRY(write_responsiveness(r, c, a, o, err));
    if (a->cycles) {
        TRY(write_cycles(r, a, o, err));
        TRY(write_cycle_runs(r, c, a, err));
        TRY(write_softening(r, c, a, o, err));
    }
    return DS_OK;
}

int ds_layout_dyadic_pooled(ds_results_t *r, const ds_corpus_t *c,
                            const ds_analysis_t *a, ds_error_t *err)
{
    return a->responsive && a->km_pooled ? write_km_pooled(r, c, a, err)
                                         : DS_OK;
}
