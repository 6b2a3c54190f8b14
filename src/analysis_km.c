/*
 * analysis_km.c — time to response pooled over sessions (see
 * analysis_internal.h): for each scope (all sessions, each label) and
 * bidder, one product-limit estimate over all their bids
 * (ds_km_pool_groups), not a mean of session curves, with the probability
 * of a response within W and the median read off it (km.h).
 *
 * The two bidders are independent, each DS_ANALYSIS_KM_PARTS jobs of a
 * share of its sessions that any thread can take (km_job). A job gathers
 * its sessions' bid observations (each session's already sorted by time,
 * so they are merged rather than sorted), freeing each session's copy as
 * it goes, and merges them; the thread that ends a bidder's last job
 * sweeps its curves. The session curves themselves are kept for the
 * writer.
 */
#include <string.h>

#include "analysis_internal.h"

/* Bidder b's arrays: observations in session order, run[s] the first of
 * session s's (run[S] = n); its bids are counted into km_pooled. Made by
 * the calling thread (ds_analysis_km_begin), before the jobs: its malloc
 * arena is the one with huge pages (cli_hugepages.c), where another
 * thread's arena faulted the arrays in 4 KiB at a time, about 550 page
 * faults of the pooling thread at two threads on the 1M-event benchmark
 * (issue 16). 0, or -1 when out of memory. */
static int bidder_alloc(const ds_corpus_t *c, ds_analysis_t *a,
                        ds_analysis_km_bidder_t *x, size_t b)
{
    size_t S = a->S, n = 0;
    x->run = malloc((S + 1) * sizeof *x->run);
    if (!x->run)
        return -1;
    for (size_t s = 0; s < S; s++) {
        const ds_responsive_t *r = &a->responsive[2 * s + b];
        size_t lb = c->sessions[s].label_index;
        x->run[s] = n;
        n += r->n_obs;
        a->km_pooled[b].n_bids += r->n_bids;
        a->km_pooled[2 * (1 + lb) + b].n_bids += r->n_bids;
    }
    x->run[S] = n;
    x->n = n;
    x->t = malloc(ds_analysis_atleast1(n) * sizeof *x->t);
    x->code = malloc(ds_analysis_atleast1(n) * sizeof *x->code);
    return x->t && x->code ? 0 : -1;
}

static void bidder_free(ds_analysis_km_bidder_t *x)
{
    free(x->t);
    free(x->code);
    free(x->run);
    x->t = x->code = NULL;
    x->run = NULL;
}

/* The curves of bidder b, km_pooled[2 p + b] for every scope p, from its
 * merged observations. */
static int sweep_bidder(ds_analysis_t *a, const ds_analysis_km_bidder_t *x,
                        size_t b, ds_error_t *err)
{
    size_t L = a->n_labels, P = 1 + L;
    ds_km_t *km = malloc(P * sizeof *km);
    if (!km)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t p = 0; p < P; p++)
        km[p] = a->km_pooled[2 * p + b].km;
    int rc = ds_km_pool_merged(x->t, x->code, x->n, L, x->run, a->S, km,
                               err);
    for (size_t p = 0; p < P; p++)
        a->km_pooled[2 * p + b].km = km[p];
    free(km);
    return rc;
}

/*
 * Job j: share h = j % P of bidder b = j / P (P = DS_ANALYSIS_KM_PARTS:
 * shares small enough that the last one taken ends soon after the other
 * thread runs out; issue 16), i.e. the sessions of a P-th of
 * its merge parts (ds_km_merge_part): their observations copied in (each
 * session's freed as it goes; they are sorted by time, so they are runs
 * to merge, not to sort), then those parts merged. Whichever thread
 * finishes a bidder's last share sweeps its curves.
 */
static void km_job(const ds_corpus_t *c, ds_analysis_t *a,
                   ds_analysis_km_run_t *k, int j)
{
    size_t P = DS_ANALYSIS_KM_PARTS;
    size_t b = (size_t)j / P, h = (size_t)j % P, S = a->S;
    ds_analysis_km_bidder_t *x = &k->bidder[b];
    int rc = DS_OK;
    size_t G = ds_km_merge_parts(S), p0 = h * G / P, p1 = (h + 1) * G / P;
    size_t s0 = ds_km_part_first_run(S, p0), s1 = ds_km_part_first_run(S, p1);
    for (size_t s = s0; s < s1; s++) {
        ds_responsive_t *r = &a->responsive[2 * s + b];
        if (!rc) {
            double g = 2.0 * (double)c->sessions[s].label_index;
            size_t o = x->run[s];
            memcpy(x->t + o, r->obs_time_s, r->n_obs * sizeof *x->t);
            for (size_t i = 0; i < r->n_obs; i++)
                x->code[o + i] = g + r->obs_event[i];
        }
        free(r->obs_time_s);
        free(r->obs_event);
        r->obs_time_s = NULL;
        r->obs_event = NULL;
        r->n_obs = 0;
    }
    for (size_t p = p0; !rc && p < p1; p++)
        if (ds_km_merge_part(x->t, x->code, x->run, S, p))
            rc = DS_ENOMEM;
    k->rc_job[j] = rc;
    if (atomic_fetch_add_explicit(&x->shares, 1, memory_order_acq_rel) !=
        (int)P - 1)
        return; /* another share is still going */
    int ok = 1;
    for (size_t q = 0; q < P; q++)
        ok &= !k->rc_job[P * b + q];
    if (ok)
        k->rc_sweep[b] = sweep_bidder(a, x, b, &k->err[b]);
    bidder_free(x);
}

int ds_analysis_km_begin(const ds_corpus_t *c, ds_analysis_t *a,
                         ds_analysis_km_run_t *k, ds_error_t *err)
{
    memset(k, 0, sizeof *k);
    for (int b = 0; b < 2; b++)
        atomic_init(&k->bidder[b].shares, 0);
    size_t rows = 2 * (1 + a->n_labels);
    a->km_pooled = calloc(rows, sizeof *a->km_pooled);
    if (!a->km_pooled)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t r = 0; r < rows; r++)
        ds_km_init(&a->km_pooled[r].km);
    for (size_t b = 0; b < 2; b++)
        if (bidder_alloc(c, a, &k->bidder[b], b)) {
            bidder_free(&k->bidder[0]);
            bidder_free(&k->bidder[1]);
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        }
    return DS_OK;
}

int ds_analysis_km_take(const ds_corpus_t *c, ds_analysis_t *a,
                        ds_analysis_km_run_t *k, int most)
{
    int taken = 0;
    for (; taken < most; taken++) {
        int j;
#pragma omp atomic capture
        j = k->next++;
        if (j >= DS_ANALYSIS_KM_JOBS)
            break;
        km_job(c, a, k, j);
    }
    return taken;
}

int ds_analysis_km_end(const ds_analysis_opts_t *o, ds_analysis_t *a,
                       const ds_analysis_km_run_t *k, ds_error_t *err)
{
    for (int j = 0; j < DS_ANALYSIS_KM_JOBS; j++)
        if (k->rc_job[j])
            return ds_error_set(err, k->rc_job[j], "out of memory");
    for (int b = 0; b < 2; b++)
        if (k->rc_sweep[b])
            return ds_error_set(err, k->rc_sweep[b], "%s", k->err[b].msg);
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
    int rc = ds_analysis_km_begin(c, a, &k, err);
    if (rc)
        return rc;
#pragma omp parallel num_threads(threads > 1 ? 2 : 1)
    ds_analysis_km_take(c, a, &k, DS_ANALYSIS_KM_JOBS);
    return ds_analysis_km_end(o, a, &k, err);
}
