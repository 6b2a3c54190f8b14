/*
 * analysis_km.c — time to response pooled over sessions (see
 * analysis_internal.h): for each scope (all sessions, each label) and
 * bidder, one product-limit estimate over all their bids
 * (ds_km_pool_groups), not a mean of session curves, with the probability
 * of a response within W and the median read off it (km.h).
 *
 * The two bidders are independent tasks. Each gathers its bids'
 * observations, session after session (each session's already sorted by
 * time, so they are merged rather than sorted), freeing each session's
 * copy as it goes; the session curves themselves are kept for the writer.
 */
#include <string.h>

#include "analysis_internal.h"

/* Pool the bids of bidder b over every session into the curves
 * km_pooled[2 p + b] of every scope p. */
static int pool_bidder(const ds_corpus_t *c, ds_analysis_t *a, size_t b,
                       ds_error_t *err)
{
    size_t S = a->S, L = a->n_labels, P = 1 + L, n = 0;
    for (size_t s = 0; s < S; s++) {
        const ds_responsive_t *x = &a->responsive[2 * s + b];
        size_t lb = c->sessions[s].label_index;
        n += x->n_obs;
        a->km_pooled[b].n_bids += x->n_bids;
        a->km_pooled[2 * (1 + lb) + b].n_bids += x->n_bids;
    }
    int rc = DS_OK;
    double *t = malloc(ds_analysis_atleast1(n) * sizeof *t);
    double *code = malloc(ds_analysis_atleast1(n) * sizeof *code);
    size_t *run = malloc((S + 1) * sizeof *run);
    ds_km_t *km = malloc(P * sizeof *km);
    if (!t || !code || !run || !km) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    size_t j = 0;
    for (size_t s = 0; s < S; s++) {
        ds_responsive_t *x = &a->responsive[2 * s + b];
        double g = 2.0 * (double)c->sessions[s].label_index;
        run[s] = j; /* each session's bids are sorted by time */
        memcpy(t + j, x->obs_time_s, x->n_obs * sizeof *t);
        for (size_t k = 0; k < x->n_obs; k++)
            code[j + k] = g + x->obs_event[k];
        j += x->n_obs;
        free(x->obs_time_s);
        free(x->obs_event);
        x->obs_time_s = NULL;
        x->obs_event = NULL;
        x->n_obs = 0;
    }
    run[S] = n;
    /* the curves of this bidder: scope p is km_pooled[2 p + b] */
    for (size_t p = 0; p < P; p++)
        km[p] = a->km_pooled[2 * p + b].km;
    rc = ds_km_pool_groups(t, code, n, L, run, S, km, err);
    for (size_t p = 0; p < P; p++)
        a->km_pooled[2 * p + b].km = km[p];
done:
    free(t);
    free(code);
    free(run);
    free(km);
    return rc;
}

int ds_analysis_km_begin(ds_analysis_t *a, ds_analysis_km_run_t *k,
                         ds_error_t *err)
{
    memset(k, 0, sizeof *k);
    size_t rows = 2 * (1 + a->n_labels);
    a->km_pooled = calloc(rows, sizeof *a->km_pooled);
    if (!a->km_pooled)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t r = 0; r < rows; r++)
        ds_km_init(&a->km_pooled[r].km);
    return DS_OK;
}

void ds_analysis_km_take(const ds_corpus_t *c, ds_analysis_t *a,
                         ds_analysis_km_run_t *k, int most)
{
    for (int taken = 0; taken < most; taken++) {
        int b;
#pragma omp atomic capture
        b = k->next++;
        if (b >= 2)
            return;
        k->rc[b] = pool_bidder(c, a, (size_t)b, &k->err[b]);
    }
}

int ds_analysis_km_end(const ds_analysis_opts_t *o, ds_analysis_t *a,
                       const ds_analysis_km_run_t *k, ds_error_t *err)
{
    for (int b = 0; b < 2; b++)
        if (k->rc[b])
            return ds_error_set(err, k->rc[b], "%s", k->err[b].msg);
    size_t rows = 2 * (1 + a->n_labels);
    double w = o->responsive_opts.window_s;
    for (size_t r = 0; r < rows; r++) {
        ds_analysis_km_t *x = &a->km_pooled[r];
        x->p_response_by_window = 1 - ds_km_survival_at(&x->km, w);
        x->median_time_to_response_s = ds_km_median(&x->km);
    }
    return DS_OK;
}

int ds_analysis_pool_km(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                        ds_analysis_t *a, int threads, ds_error_t *err)
{
    ds_analysis_km_run_t k;
    int rc = ds_analysis_km_begin(a, &k, err);
    if (rc)
        return rc;
#pragma omp parallel num_threads(threads > 1 ? 2 : 1)
    ds_analysis_km_take(c, a, &k, 2);
    return ds_analysis_km_end(o, a, &k, err);
}
