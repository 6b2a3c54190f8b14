/*
 * responsive.c — bids, answers, turning away/against and the
 * Kaplan–Meier time to response (SPEC 4.6; definitions in responsive.h).
 *
 * One backward pass over the session finds, for every event, the next
 * bid of the bidder, the partner's next event and the partner's next
 * response, so each direction costs O(n) plus sorting the latencies.
 */
#include "dyadseq/responsive.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ds_responsive_opts_init(ds_responsive_opts_t *o)
{
    o->window_s = DS_RESPONSE_WINDOW_DEFAULT;
}

void ds_responsive_init(ds_responsive_t *r)
{
    memset(r, 0, sizeof *r);
    r->response_rate = r->latency_mean_s = r->latency_median_s = NAN;
    r->p_response_by_window = NAN;
    ds_km_init(&r->km);
}

void ds_responsive_clear(ds_responsive_t *r)
{
    ds_km_clear(&r->km);
    free(r->obs_time_s);
    free(r->obs_event);
    ds_responsive_init(r);
}

/* The checks shared by both directions; 0 when the metric applies. */
static int check_inputs(const ds_corpus_t *c, const ds_session_t *s,
                        const ds_responsive_opts_t *o, ds_error_t *err)
{
    if (!c->has_actor)
        return ds_error_set(err, DS_ENOTAVAIL,
                            "responsiveness needs an actor column");
    if (c->n_actors < 2)
        return ds_error_set(err, DS_ENOTAVAIL,
                            "responsiveness needs two actors (--actors "
                            "names %zu)", c->n_actors);
    if (!c->has_time || !s->onset)
        return ds_error_set(err, DS_ENOTAVAIL,
                            "responsiveness needs a time column");
    for (size_t e = 1; e < s->n; e++)
        if (s->onset[e] < s->onset[e - 1])
            return ds_error_set(err, DS_EDATA,
                                "session %s/%s: onsets are not in time "
                                "order", s->couple, s->label);
    if (!(o->window_s >= 0) || !isfinite(o->window_s))
        return ds_error_set(err, DS_EUSAGE,
                            "response window must be a number of seconds "
                            ">= 0 (got %g)", o->window_s);
    return DS_OK;
}

/* Keep the (sorted) observations for pooling, the times (taken over by
 * out) and the events as bytes; -1 when out of memory (time not taken). */
static int keep_obs(ds_responsive_t *out, double *time, const double *event,
                    size_t k)
{
    uint8_t *ev = malloc(k ? k : 1);
    if (!ev)
        return -1;
    for (size_t i = 0; i < k; i++)
        ev[i] = event[i] != 0;
    free(out->obs_time_s);
    free(out->obs_event);
    out->obs_time_s = time;
    out->obs_event = ev;
    out->n_obs = k;
    return 0;
}

int ds_responsive_compute(const ds_corpus_t *c, const ds_session_t *s,
                          size_t bidder, const ds_responsive_opts_t *o,
                          ds_responsive_t *out, ds_error_t *err)
{
    int rc = check_inputs(c, s, o, err);
    if (rc != DS_OK)
        return rc;
    if (bidder > 1)
        return ds_error_set(err, DS_EUSAGE,
                            "bidder must be actor 0 or 1 (got %zu)", bidder);

    const int me = (int)bidder, partner = 1 - me;
    const double w = o->window_s;
    double *lat = NULL, *km_t = NULL, *km_e = NULL;

    out->bidder = bidder;
    out->partner = (size_t)partner;
    out->n_bids = out->n_answered = out->n_answered_late = 0;
    out->n_turned_away = out->n_turned_against = 0;
    out->response_rate = out->latency_mean_s = out->latency_median_s = NAN;
    out->p_response_by_window = NAN;

    size_t n_bids = 0;
    for (size_t e = 0; e < s->n; e++) {
        size_t st = s->state[e];
        /* & rather than &&: one load each, no branch to mispredict */
        n_bids += (c->state_actor[st] == me) &
                  (c->state_role[st] == DS_ROLE_BID);
    }
    size_t cap = n_bids ? n_bids : 1;
    /* the latencies and the events in one block (scratch); the times are
     * kept (out->obs_time_s) */
    lat = malloc(2 * cap * sizeof *lat);
    km_t = malloc(cap * sizeof *km_t);
    if (!lat || !km_t)
        goto nomem;
    km_e = lat + cap;

    /* Backward pass: NONE until seen. Indices refer to events after e. */
    const size_t NONE = (size_t)-1;
    size_t next_bid = NONE, next_partner = NONE, next_resp = NONE;
    size_t n_lat = 0, k = 0;
    double last_onset = s->n ? ds_session_close(s) : 0;
    for (size_t e = s->n; e-- > 0;) {
        size_t st = s->state[e];
        int actor = c->state_actor[st];
        ds_role_t role = c->state_role[st];
        if (actor == me && role == DS_ROLE_BID) {
            double t = s->onset[e];
            /* NONE is the largest size_t, so "x < next_bid" also holds
             * when the bidder bids no more */
            size_t ans = next_resp != NONE && next_resp < next_bid
                             ? next_resp : NONE;
            size_t first = next_partner != NONE && next_partner < next_bid
                               ? next_partner : NONE;
            if (ans != NONE) {
                double l = s->onset[ans] - t;
                km_t[k] = l;
                km_e[k] = 1;
                if (l <= w) {
                    out->n_answered++;
                    lat[n_lat++] = l;
                } else {
                    out->n_answered_late++;
                }
            } else {
                km_t[k] = (next_bid != NONE ? s->onset[next_bid]
                                            : last_onset) - t;
                km_e[k] = 0;
            }
            k++;
            if (first != NONE && first != ans &&
                s->onset[first] - t <= w) {
                ds_role_t fr = c->state_role[s->state[first]];
                out->n_turned_away += fr == DS_ROLE_WITHDRAW;
                out->n_turned_against += fr == DS_ROLE_PURSUE;
            }
            next_bid = e;
        } else {
            /* the partner's events as selects, not branches: which actor
             * and role come next is what a sequence leaves unpredictable */
            int theirs = actor == partner;
            next_partner = theirs ? e : next_partner;
            next_resp = (theirs & (role == DS_ROLE_RESPONSE)) ? e : next_resp;
        }
    }

    out->n_bids = n_bids;
    if (n_bids > 0)
        out->response_rate = (double)out->n_answered / (double)n_bids;
    if (n_lat > 0) {
        out->latency_mean_s = gsl_stats_mean(lat, 1, n_lat);
        /* by selection (GSL's quickselect; it reorders lat), not a sort:
         * the same middle values, the same mean of the two */
        out->latency_median_s = gsl_stats_median(lat, 1, n_lat);
    }
    if ((rc = ds_km_estimate_sorting(km_t, km_e, k, &out->km, err)))
        goto done;
    out->p_response_by_window = 1 - ds_km_survival_at(&out->km, w);
    if (keep_obs(out, km_t, km_e, k))
        goto nomem;
    km_t = NULL;
    rc = DS_OK;
    goto done;

nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory in responsiveness");
done:
    free(lat);
    free(km_t);
    return rc;
}

int ds_responsive_session(const ds_corpus_t *c, const ds_session_t *s,
                          const ds_responsive_opts_t *o,
                          ds_responsive_t out[2], ds_error_t *err)
{
    for (size_t b = 0; b < 2; b++) {
        int rc = ds_responsive_compute(c, s, b, o, &out[b], err);
        if (rc != DS_OK)
            return rc;
    }
    return DS_OK;
}
