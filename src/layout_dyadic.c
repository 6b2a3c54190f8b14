/*
 * layout_dyadic.c — /responsiveness, /cycles and /softening (see
 * layout_internal.h), written as tables of columns in the order of SPEC 5
 * from what the analysis computed; nothing is computed here.
 */
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

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

/*
 * The row tables whose length is known only when every session is
 * computed: /responsiveness/km (the points of every session's curves) and
 * /cycles/runs (every session's cycles). Sessions are fed in order, by
 * the block sink as blocks are computed, then by the sessions sink
 * whatever is left (under MPI, everything), into columns that the writer
 * creates at their end (ds_results_begin_column), so that the file is
 * what it was while neither the curves nor the cycles are kept whole
 * (issue #7: at 10 million events they were 70 MB).
 */
enum { KM_ROW, KM_TIME, KM_SURV, KM_RISK, KM_EVENTS, KM_N };
enum { RUN_SESSION, RUN_PURSUER, RUN_FIRST, RUN_LEN, RUN_START, RUN_END,
       RUN_ENDING, RUN_N };
/* SPEC 5 order; the string columns of /cycles/runs are kept as codes */
static const ds_layout_column_t km_cols[KM_N] = {
    COL_I(DS_COL_ROW), COL_D(DS_COL_TIME_S), COL_D(DS_COL_SURVIVAL),
    COL_I(DS_COL_N_AT_RISK), COL_I(DS_COL_N_EVENTS)};
static const ds_layout_column_t run_cols[RUN_N] = {
    COL_I(DS_COL_SESSION_INDEX), COL_S(DS_COL_PURSUER),
    COL_I(DS_COL_FIRST_EVENT),   COL_I(DS_COL_N_EVENTS),
    COL_D(DS_COL_START_S),       COL_D(DS_COL_END_S),
    COL_S(DS_COL_ENDING)};

struct ds_layout_rows {
    ds_results_dset_t *km[KM_N];   /* begun at the first curves fed */
    ds_results_dset_t *run[RUN_N]; /* begun at the first cycles fed;
                                      NULL at the string columns */
    int has_km, has_runs;
    uint8_t *code[2];              /* per cycle: its pursuer, its ending */
    size_t n_runs, runs_cap;
    size_t fed;                    /* sessions fed */
    int64_t *iv[3];                /* a slice's values, [cap] each */
    double *dv[2];
    size_t cap;
};

/* Sessions fed at once from the analysis' result (the sessions sink). */
#define ROWS_SLICE 4096

void ds_layout_rows_free(ds_layout_rows_t *x)
{
    if (!x)
        return;
    /* columns not ended are the writer's to free (ds_results_abort) */
    for (int i = 0; i < 3; i++)
        free(x->iv[i]);
    for (int i = 0; i < 2; i++)
        free(x->dv[i]);
    free(x->code[0]);
    free(x->code[1]);
    free(x);
}

/* Room for m values in each slice buffer. */
static int rows_reserve(ds_layout_rows_t *x, size_t m)
{
    if (m <= x->cap)
        return 0;
    for (int i = 0; i < 3; i++) {
        free(x->iv[i]);
        x->iv[i] = malloc(m * sizeof *x->iv[i]);
    }
    for (int i = 0; i < 2; i++) {
        free(x->dv[i]);
        x->dv[i] = malloc(m * sizeof *x->dv[i]);
    }
    x->cap = m;
    if (x->iv[0] && x->iv[1] && x->iv[2] && x->dv[0] && x->dv[1])
        return 0;
    x->cap = 0;
    return -1;
}

/* Begin the numeric columns of cols (NULL entries in d at the others). */
static int rows_begin(ds_results_t *r, const char *group,
                      const ds_layout_column_t *cols, int n,
                      const char *dimname, ds_results_dset_t **d,
                      ds_error_t *err)
{
    for (int i = 0; i < n; i++) {
        if (cols[i].kind == 's')
            continue;
        char *path = ds_layout_path_in(group, cols[i].name, err);
        if (!path)
            return DS_ENOMEM;
        int rc = ds_results_begin_column(
            r, path, cols[i].kind == 'i' ? DS_RESULTS_INT64 : DS_RESULTS_DOUBLE,
            dimname, &d[i], err);
        free(path);
        if (rc)
            return rc;
    }
    return DS_OK;
}

/* Append the slice's values (iv, dv in column order) of m rows to d. */
static int rows_append(ds_layout_rows_t *x, const ds_layout_column_t *cols,
                       int n, ds_results_dset_t **d, size_t m,
                       ds_error_t *err)
{
    for (int i = 0, ni = 0, nd = 0; i < n; i++) {
        if (cols[i].kind == 's')
            continue;
        const void *v = cols[i].kind == 'i' ? (const void *)x->iv[ni++]
                                            : (const void *)x->dv[nd++];
        TRY(ds_results_append(d[i], m, v, err));
    }
    return DS_OK;
}

/* The points of curve km, of table row `row`, into the columns of a
 * curve table (km_cols) from index j; the index after them. */
static size_t put_points(const ds_km_t *km, int64_t row, int64_t *rowv,
                         double *time, double *surv, int64_t *risk,
                         int64_t *events, size_t j)
{
    for (size_t p = 0; p < km->n; p++, j++) {
        rowv[j] = row;
        time[j] = km->time_s[p];
        surv[j] = km->survival[p];
        risk[j] = (int64_t)km->n_at_risk[p];
        events[j] = (int64_t)km->n_events[p];
    }
    return j;
}

/* The points of the curves of sessions [first, first + n), resp[2n]. */
static int feed_km(ds_results_t *r, ds_layout_rows_t *x, size_t first,
                   size_t n, const ds_responsive_t *resp, ds_error_t *err)
{
    if (!x->has_km) {
        TRY(rows_begin(r, DS_PATH_RESPONSIVENESS_KM, km_cols, KM_N,
                       DS_DIM_POINT, x->km, err));
        x->has_km = 1;
    }
    size_t m = 0;
    for (size_t k = 0; k < 2 * n; k++)
        m += resp[k].km.n;
    if (rows_reserve(x, m))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t k = 0, j = 0; k < 2 * n; k++)
        j = put_points(&resp[k].km, (int64_t)(2 * first + k), x->iv[0],
                       x->dv[0], x->dv[1], x->iv[1], x->iv[2], j);
    return rows_append(x, km_cols, KM_N, x->km, m, err);
}

/* The cycles of sessions [first, first + n). */
static int feed_runs(ds_results_t *r, ds_layout_rows_t *x, size_t first,
                     size_t n, const ds_cycles_t *cyc,
                     ds_cycle_run_t *const *runs, ds_error_t *err)
{
    if (!x->has_runs) {
        TRY(rows_begin(r, DS_PATH_CYCLES_RUNS, run_cols, RUN_N, DS_DIM_ROW,
                       x->run, err));
        x->has_runs = 1;
    }
    size_t m = 0;
    for (size_t s = 0; s < n; s++)
        m += cyc[s].n_cycles;
    if (rows_reserve(x, m))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (x->n_runs + m > x->runs_cap) {
        size_t cap = x->runs_cap ? x->runs_cap : 1024;
        while (cap < x->n_runs + m)
            cap *= 2;
        for (int i = 0; i < 2; i++) {
            uint8_t *p = realloc(x->code[i], cap);
            if (!p)
                return ds_error_set(err, DS_ENOMEM, "out of memory");
            x->code[i] = p;
        }
        x->runs_cap = cap;
    }
    for (size_t s = 0, j = 0; s < n; s++)
        for (size_t q = 0; q < cyc[s].n_cycles; q++, j++) {
            const ds_cycle_run_t *y = &runs[s][q];
            x->iv[0][j] = (int64_t)(first + s);
            x->iv[1][j] = (int64_t)y->first;
            x->iv[2][j] = (int64_t)y->len;
            x->dv[0][j] = y->start_s;
            x->dv[1][j] = y->end_s;
            x->code[0][x->n_runs + j] = (uint8_t)y->pursuer;
            x->code[1][x->n_runs + j] = (uint8_t)y->end;
        }
    x->n_runs += m;
    return rows_append(x, run_cols, RUN_N, x->run, m, err);
}

int ds_layout_rows_feed(ds_layout_rows_t **rows, ds_results_t *r,
                        size_t first, size_t n, const ds_responsive_t *resp,
                        const ds_cycles_t *cyc, ds_cycle_run_t *const *runs,
                        ds_error_t *err)
{
    if (!resp && !runs)
        return DS_OK;
    if (!*rows && !(*rows = calloc(1, sizeof **rows)))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    ds_layout_rows_t *x = *rows;
    if (first != x->fed)
        return ds_error_set(err, DS_EUSAGE, "sessions from %zu fed after %zu",
                            first, x->fed);
    if (resp)
        TRY(feed_km(r, x, first, n, resp, err));
    if (runs)
        TRY(feed_runs(r, x, first, n, cyc, runs, err));
    x->fed += n;
    return DS_OK;
}

/* Feed the sessions of a not fed yet, a slice at a time (at least one
 * slice, perhaps empty: the columns then exist even without sessions). */
static int feed_rest(ds_results_t *r, const ds_analysis_t *a,
                     ds_layout_rows_t **rows, ds_error_t *err)
{
    size_t first = *rows ? (*rows)->fed : 0;
    do {
        size_t n = a->S - first < ROWS_SLICE ? a->S - first : ROWS_SLICE;
        TRY(ds_layout_rows_feed(
            rows, r, first, n, a->responsive ? a->responsive + 2 * first : NULL,
            a->cycles ? a->cycles + first : NULL,
            a->cycles ? a->cycle_runs + first : NULL, err));
        first += n;
    } while (first < a->S);
    return DS_OK;
}

/* End the columns d of cols, in order; the string columns (runs only)
 * from their codes. */
static int rows_end(ds_results_t *r, const ds_corpus_t *c,
                    ds_layout_rows_t *x, const ds_layout_column_t *cols,
                    int n, ds_results_dset_t **d, ds_error_t *err)
{
    for (int i = 0; i < n; i++) {
        if (cols[i].kind != 's') {
            ds_results_dset_t *y = d[i];
            d[i] = NULL;
            TRY(ds_results_end(y, err));
            continue;
        }
        ds_layout_column_t col = cols[i];
        int rc = ds_layout_columns_init(&col, 1, x->n_runs)
                     ? ds_error_set(err, DS_ENOMEM, "out of memory")
                     : DS_OK;
        for (size_t j = 0; !rc && j < x->n_runs; j++)
            col.s[j] = i == RUN_PURSUER ? c->actors[x->code[0][j]]
                                        : ending_name(x->code[1][j]);
        if (!rc)
            rc = ds_layout_columns_write(r, DS_PATH_CYCLES_RUNS, &col, 1,
                                         x->n_runs, DS_DIM_ROW, err);
        ds_layout_columns_clear(&col, 1);
        TRY(rc);
    }
    return DS_OK;
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
    ds_layout_column_t km[KM_N];
    memcpy(km, km_cols, sizeof km);
    for (size_t k = 0; k < rows; k++)
        n_km += a->km_pooled[k].km.n;
    int rc = DS_ENOMEM;
    if (ds_layout_columns_init(t, N_T, rows) ||
        ds_layout_columns_init(km, KM_N, n_km)) {
        ds_error_set(err, rc, "out of memory");
        goto done;
    }
    size_t j = 0;
    for (size_t k = 0; k < rows; k++) {
        const ds_analysis_km_t *y = &a->km_pooled[k];
        size_t scope = k / 2;
        t[SCOPE].s[k] = scope ? DS_VAL_SCOPE_LABEL : DS_VAL_SCOPE_ALL;
        t[LABEL].s[k] = scope ? c->labels[scope - 1] : "";
        t[BIDDER].s[k] = c->actors[k % 2];
        t[BIDS].i[k] = (int64_t)y->n_bids;
        t[P_W].d[k] = y->p_response_by_window;
        t[MEDIAN].d[k] = y->median_time_to_response_s;
        j = put_points(&y->km, (int64_t)k, km[KM_ROW].i, km[KM_TIME].d,
                       km[KM_SURV].d, km[KM_RISK].i, km[KM_EVENTS].i, j);
    }
    rc = ds_layout_columns_write(r, DS_PATH_RESPONSIVENESS_POOLED, t, N_T,
                                 rows, DS_DIM_ROW, err);
    if (!rc)
        rc = ds_layout_columns_write(r, DS_PATH_RESPONSIVENESS_POOLED_KM, km,
                                     KM_N, n_km, DS_DIM_POINT, err);
done:
    ds_layout_columns_clear(t, N_T);
    ds_layout_columns_clear(km, KM_N);
    return rc;
}

static int write_responsiveness(ds_results_t *r, const ds_corpus_t *c,
                                const ds_analysis_t *a,
                                const ds_analysis_opts_t *o,
                                ds_layout_rows_t *fed, ds_error_t *err)
{
    size_t rows = 2 * a->S;
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
        rc = rows_end(r, c, fed, km_cols, KM_N, fed->km, err);
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
                     ds_layout_rows_t **rows, ds_error_t *err)
{
    TRY(feed_rest(r, a, rows, err));
    ds_layout_rows_t *x = *rows;
    if (a->responsive)
        TRY(write_responsiveness(r, c, a, o, x, err));
    if (a->cycles) {
        TRY(write_cycles(r, a, o, err));
        TRY(rows_end(r, c, x, run_cols, RUN_N, x->run, err));
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
