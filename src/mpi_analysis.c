/*
 * mpi_analysis.c — the per-session results of every rank on every rank,
 * and the pooled counts summed over the ranks (see analysis_internal.h).
 *
 * After the parallel loop each rank holds the results of its own sessions
 * in the whole arrays of ds_analysis_t (the per-session datasets that are
 * streamed to the file are not among them: each rank has written its own
 * rows). What the later steps read of every session is packed here, rank
 * by rank, exchanged, and unpacked into the same slots, so that every
 * rank pools, summarizes and lays out exactly what one process would:
 *
 *   - the whole per-session arrays of each lag (those kept for summaries
 *     and permutations: Yule's Q, adjusted residuals, the table-wise
 *     statistics; all of them when the run does not stream), the window's
 *     that are whole (those summarized between sessions), the
 *     actor-partner tables and coefficients, the durations and state
 *     frequencies;
 *   - the dyadic rows: responsiveness with its Kaplan-Meier curve and the
 *     observations behind it (pooled later), cycles with their runs,
 *     softening;
 *   - the numerical warnings of sessions, reported in session order;
 *   - the pooled lag counts and window tallies, as integer sums (exact).
 *
 * A new per-session result of the analysis needs its line in pack_session
 * and unpack_session, or the MPI program's file will lack it (the tests
 * compare the two programs' files).
 */
#include "mpi_internal.h"
#include "analysis_internal.h"

#include <string.h>

#include "text.h"

/* n elements of size es at *dst, malloc'd (NULL for none); 0 or -1. */
static int get_array(ds_unpack_t *c, void **dst, size_t n, size_t es)
{
    *dst = NULL;
    if (n == 0)
        return 0;
    if (c->bad || (size_t)(c->end - c->p) / es < n) {
        c->bad = 1;
        return -1;
    }
    if (!(*dst = malloc(n * es)))
        return -1;
    ds_unpack_get(c, *dst, n * es);
    return 0;
}

/* ---- the whole per-session arrays ----------------------------------- */

/* Call f on every whole per-session array of a: its base, and the bytes
 * of one session's row. */
static void each_array(ds_analysis_t *a,
                       void (*f)(void *ctx, void *base, size_t row),
                       void *ctx)
{
    size_t K = a->K, KK = K * K;
    f(ctx, a->duration_s, sizeof(double));
    f(ctx, a->start_s, sizeof(double));
    f(ctx, a->end_s, sizeof(double));
    f(ctx, a->state_freq, K * sizeof(int64_t));
    for (size_t l = 0; l < a->n_lags; l++) {
        ds_lag_result_t *r = &a->lag[l];
        if (r->counts)
            f(ctx, r->counts, KK * sizeof(int64_t));
        for (size_t i = 0; i < DS_N_CELL; i++)
            if (*ds_analysis_cell(r, i))
                f(ctx, *ds_analysis_cell(r, i), KK * sizeof(double));
        for (size_t i = 0; i < DS_N_TABLE; i++)
            f(ctx, *ds_analysis_field_d(r, ds_analysis_table_off[i]),
              sizeof(double));
    }
    for (size_t m = 0; a->ap && m < a->n_ap; m++) {
        ds_ap_result_t *r = &a->ap[m];
        f(ctx, r->counts, DS_AP_N_CELLS * sizeof *r->counts);
        f(ctx, r->coef, DS_AP_N_COEFS * sizeof *r->coef);
        f(ctx, r->se, sizeof *r->se);
        f(ctx, r->n_units, sizeof *r->n_units);
    }
    ds_window_result_t *w = a->window;
    for (size_t i = 0; w && i < DS_N_WCOUNT; i++)
        if (*ds_analysis_field_i(w, ds_analysis_wcount_off[i]))
            f(ctx, *ds_analysis_field_i(w, ds_analysis_wcount_off[i]),
              KK * sizeof(int64_t));
    for (size_t i = 0; w && i < DS_N_WSTAT; i++)
        if (*ds_analysis_field_d(w, ds_analysis_wstat_off[i]))
            f(ctx, *ds_analysis_field_d(w, ds_analysis_wstat_off[i]),
              KK * sizeof(double));
}

typedef struct rows_ctx {
    ds_pack_t *b;
    ds_unpack_t *c;
    size_t lo, hi;
} rows_ctx_t;

static void put_rows(void *vctx, void *base, size_t row)
{
    rows_ctx_t *x = vctx;
    ds_pack_put(x->b, (unsigned char *)base + x->lo * row,
                (x->hi - x->lo) * row);
}

static void get_rows(void *vctx, void *base, size_t row)
{
    rows_ctx_t *x = vctx;
    ds_unpack_get(x->c, (unsigned char *)base + x->lo * row,
                  (x->hi - x->lo) * row);
}

/* ---- one session's dyadic rows and warning -------------------------- */

static void put_km(ds_pack_t *b, const ds_km_t *km)
{
    ds_pack_put(b, km, sizeof *km);
    ds_pack_put(b, km->time_s, km->n * sizeof *km->time_s);
    ds_pack_put(b, km->survival, km->n * sizeof *km->survival);
    ds_pack_put(b, km->n_at_risk, km->n * sizeof *km->n_at_risk);
    ds_pack_put(b, km->n_events, km->n * sizeof *km->n_events);
}

static int get_km(ds_unpack_t *c, ds_km_t *km)
{
    ds_km_clear(km);
    ds_unpack_get(c, km, sizeof *km);
    size_t n = km->n;
    km->cap = n;
    int rc = get_array(c, (void **)&km->time_s, n, sizeof *km->time_s);
    rc |= get_array(c, (void **)&km->survival, n, sizeof *km->survival);
    rc |= get_array(c, (void **)&km->n_at_risk, n, sizeof *km->n_at_risk);
    rc |= get_array(c, (void **)&km->n_events, n, sizeof *km->n_events);
    return rc;
}

static void pack_session(ds_pack_t *b, const ds_analysis_t *a,
                         const ds_analysis_failure_t *warn, size_t s)
{
    for (size_t k = 2 * s; a->responsive && k < 2 * s + 2; k++) {
        const ds_responsive_t *x = &a->responsive[k];
        ds_pack_put(b, x, sizeof *x);
        put_km(b, &x->km);
        ds_pack_put(b, x->obs_time_s, x->n_obs * sizeof *x->obs_time_s);
        ds_pack_put(b, x->obs_event, x->n_obs * sizeof *x->obs_event);
    }
    if (a->cycles) {
        ds_pack_put(b, &a->cycles[s], sizeof *a->cycles);
        ds_pack_put(b, a->cycle_runs[s],
                    a->cycles[s].n_cycles * sizeof **a->cycle_runs);
        ds_pack_put(b, &a->softening[2 * s], 2 * sizeof *a->softening);
    }
    size_t len = warn->rc && warn->msg ? strlen(warn->msg) + 1 : 0;
    ds_pack_put(b, &warn->rc, sizeof warn->rc);
    ds_pack_put(b, &len, sizeof len);
    ds_pack_put(b, warn->msg, len);
}

static int unpack_session(ds_unpack_t *c, ds_analysis_t *a,
                          ds_analysis_failure_t *warn, size_t s)
{
    int rc = 0;
    for (size_t k = 2 * s; a->responsive && k < 2 * s + 2; k++) {
        ds_responsive_t *x = &a->responsive[k];
        ds_responsive_clear(x);
        ds_unpack_get(c, x, sizeof *x);
        ds_km_init(&x->km);
        x->obs_time_s = NULL;
        x->obs_event = NULL;
        rc |= get_km(c, &x->km);
        rc |= get_array(c, (void **)&x->obs_time_s, x->n_obs,
                        sizeof *x->obs_time_s);
        rc |= get_array(c, (void **)&x->obs_event, x->n_obs,
                        sizeof *x->obs_event);
    }
    if (a->cycles) {
        ds_unpack_get(c, &a->cycles[s], sizeof *a->cycles);
        free(a->cycle_runs[s]);
        rc |= get_array(c, (void **)&a->cycle_runs[s], a->cycles[s].n_cycles,
                        sizeof **a->cycle_runs);
        ds_unpack_get(c, &a->softening[2 * s], 2 * sizeof *a->softening);
    }
    size_t len;
    ds_unpack_get(c, &warn->rc, sizeof warn->rc);
    ds_unpack_get(c, &len, sizeof len);
    free(warn->msg);
    rc |= get_array(c, (void **)&warn->msg, len, 1);
    if (warn->msg)
        warn->msg[len - 1] = '\0';
    return rc || c->bad ? -1 : 0;
}

/* ---- pooled counts -------------------------------------------------- */

/* The pooled counts of a, gathered into v (put) or scattered from it. */
static size_t pooled_counts(ds_analysis_t *a, int64_t *v, int scatter)
{
    size_t KK = a->K * a->K, n = 0;
#define MOVE_(ptr)                                                           \
    do {                                                                     \
        if (v && scatter)                                                    \
            memcpy((ptr), v + n, KK * sizeof *v);                            \
        else if (v)                                                          \
            memcpy(v + n, (ptr), KK * sizeof *v);                            \
        n += KK;                                                             \
    } while (0)
    for (size_t l = 0; l < a->n_lags; l++) {
        MOVE_(a->lag[l].pooled.table->counts);
        for (size_t b = 0; b < a->n_labels; b++)
            MOVE_(a->lag[l].by_label[b].table->counts);
    }
    if (a->window) {
#define X_(name, type, description) MOVE_(a->window->pooled->name);
        DS_WINDOW_CELL_COUNTS(X_)
#undef X_
    }
#undef MOVE_
    return n;
}

static int sum_pooled(ds_analysis_t *a, const ds_dist_t *d, ds_error_t *err)
{
    size_t n = pooled_counts(a, NULL, 0);
    int64_t *v = malloc((n ? n : 1) * sizeof *v);
    int rc = v ? DS_OK : ds_error_set(err, DS_ENOMEM, "out of memory");
    if ((rc = ds_dist_agree(d, rc, err))) {
        free(v);
        return rc;
    }
    pooled_counts(a, v, 0);
    rc = ds_dist_sum_i64(d, v, n, err);
    pooled_counts(a, v, 1);
    free(v);
    return rc;
}

/* ---- the exchange --------------------------------------------------- */

int ds_analysis_dist_merge(const ds_corpus_t *c, ds_analysis_t *a,
                           ds_analysis_failure_t *warns, const size_t *bounds,
                           const ds_dist_t *d, ds_error_t *err)
{
    (void)c;
    int P = ds_dist_size(d), me = ds_dist_rank(d);
    ds_pack_t b = {0};
    rows_ctx_t x = {.b = &b, .lo = bounds[me], .hi = bounds[me + 1]};
    each_array(a, put_rows, &x);
    for (size_t s = x.lo; s < x.hi; s++)
        pack_session(&b, a, &warns[s], s);
    int rc = b.oom ? ds_error_set(err, DS_ENOMEM, "out of memory") : DS_OK;
    unsigned char *all = NULL;
    size_t *len = malloc((size_t)P * sizeof *len);
    if (!rc && !len)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    if (!(rc = ds_dist_agree(d, rc, err)))
        rc = ds_dist_allgather(d, b.p, b.n, &all, len, err);
    free(b.p);
    size_t off = 0;
    for (int r = 0; !rc && r < P; off += len[r], r++) {
        if (r == me)
            continue;
        ds_unpack_t cu = {.p = all + off, .end = all + off + len[r]};
        x = (rows_ctx_t){.c = &cu, .lo = bounds[r], .hi = bounds[r + 1]};
        each_array(a, get_rows, &x);
        for (size_t s = x.lo; s < x.hi && !rc; s++)
            if (unpack_session(&cu, a, &warns[s], s))
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    free(all);
    free(len);
    if ((rc = ds_dist_agree(d, rc, err)))
        return rc;
    return sum_pooled(a, d, err);
}

int ds_analysis_dist_rows(double *v, size_t row, const size_t *bounds,
                          const ds_dist_t *d, ds_error_t *err)
{
    int P = ds_dist_size(d);
    for (int r = 0; r < P; r++)
        ds_dist_bcast(d, r, v + bounds[r] * row,
                      (bounds[r + 1] - bounds[r]) * row * sizeof *v, err);
    return DS_OK;
}
