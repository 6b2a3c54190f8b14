/*
 * responsive.c — bids, answers, turning away/against and the
 * Kaplan–Meier time to response (SPEC 4.6; definitions in responsive.h).
 *
 * One backward pass over the session finds, for every event, the next
 * bid of the bidder, the partner's next event and the partner's next
 * response, so each direction costs O(n) plus sorting the latencies.
 */
#include "dyadseq/responsive.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ds_km_init(ds_km_t *km)
{
    memset(km, 0, sizeof *km);
    km->max_time_s = NAN;
}

void ds_km_clear(ds_km_t *km)
{
    free(km->time_s);
    free(km->survival);
    free(km->n_at_risk);
    free(km->n_events);
    ds_km_init(km);
}

static int km_reserve(ds_km_t *km, size_t n)
{
    if (n <= km->cap)
        return 0;
    double *t = realloc(km->time_s, n * sizeof *t);
    if (t)
        km->time_s = t;
    double *s = realloc(km->survival, n * sizeof *s);
    if (s)
        km->survival = s;
    size_t *r = realloc(km->n_at_risk, n * sizeof *r);
    if (r)
        km->n_at_risk = r;
    size_t *d = realloc(km->n_events, n * sizeof *d);
    if (d)
        km->n_events = d;
    if (!t || !s || !r || !d)
        return -1;
    km->cap = n;
    return 0;
}

/*
 * Kaplan & Meier (1958), eq. 2: the product-limit estimate. time and
 * event (1.0 / 0.0) are sorted together in place; observations sharing a
 * time are taken as one group, so the at-risk count of a time includes
 * the censorings at that time (they are removed only after it).
 */
static int km_fill(double *time, double *event, size_t n, ds_km_t *km)
{
    km->n = 0;
    km->n_obs = n;
    km->max_time_s = NAN;
    if (n == 0)
        return 0;
    gsl_sort2(time, 1, event, 1, n);
    km->max_time_s = time[n - 1];
    size_t n_times = 0;
    for (size_t i = 0; i < n; i++)
        n_times += i == 0 || time[i] != time[i - 1];
    if (km_reserve(km, n_times) != 0)
        return -1;
    double s = 1;
    for (size_t i = 0; i < n;) {
        size_t j = i, d = 0;
        while (j < n && time[j] == time[i])
            d += event[j++] != 0;
        if (d > 0) {
            size_t at_risk = n - i;
            s *= 1 - (double)d / (double)at_risk;
            km->time_s[km->n] = time[i];
            km->survival[km->n] = s;
            km->n_at_risk[km->n] = at_risk;
            km->n_events[km->n] = d;
            km->n++;
        }
        i = j;
    }
    return 0;
}

int ds_km_estimate(const double *time, const int *event, size_t n,
                   ds_km_t *km, ds_error_t *err)
{
    for (size_t i = 0; i < n; i++)
        if (!(time[i] >= 0) || !isfinite(time[i]))
            return ds_error_set(err, DS_EUSAGE,
                                "survival time %zu is %g; times must be "
                                "finite and >= 0", i, time[i]);
    double *t = malloc((n ? n : 1) * sizeof *t);
    double *e = malloc((n ? n : 1) * sizeof *e);
    int rc = DS_OK;
    if (!t || !e)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        t[i] = time[i];
        e[i] = event[i] != 0;
    }
    if (km_fill(t, e, n, km) != 0)
        goto nomem;
    goto done;
nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory in Kaplan-Meier");
done:
    free(t);
    free(e);
    return rc;
}

double ds_km_survival_at(const ds_km_t *km, double t)
{
    if (km->n_obs == 0 || isnan(t))
        return NAN;
    double s = 1;
    for (size_t i = 0; i < km->n && km->time_s[i] <= t; i++)
        s = km->survival[i];
    if (t > km->max_time_s && s > 0)
        return NAN;
    return s;
}

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

/*
 * Merge the sorted runs [run[r], run[r + 1]) of (t, code) into one sorted
 * sequence: pairwise, bottom up, log2(n_runs) linear passes, which is far
 * cheaper than sorting from scratch when the runs (each session's bids,
 * already in time order) are many. *t and *code may be swapped for the
 * scratch buffers. -1 on allocation failure.
 */
static int merge_runs(double **t, double **code, size_t n,
                      const size_t *run, size_t n_runs)
{
    double *t2 = malloc((n ? n : 1) * sizeof *t2);
    double *c2 = malloc((n ? n : 1) * sizeof *c2);
    size_t *b = malloc((n_runs + 1) * sizeof *b);
    if (!t2 || !c2 || !b) {
        free(t2);
        free(c2);
        free(b);
        return -1;
    }
    memcpy(b, run, (n_runs + 1) * sizeof *b);
    double *st = *t, *sc = *code, *dt = t2, *dc = c2;
    size_t R = n_runs;
    while (R > 1) {
        size_t r2 = 0;
        for (size_t r = 0; r < R; r += 2) {
            size_t lo = b[r], mid = b[r + 1],
                   hi = r + 2 <= R ? b[r + 2] : mid;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                size_t from = st[j] < st[i] ? j++ : i++;
                dt[k] = st[from];
                dc[k++] = sc[from];
            }
            for (; i < mid; i++, k++) {
                dt[k] = st[i];
                dc[k] = sc[i];
            }
            for (; j < hi; j++, k++) {
                dt[k] = st[j];
                dc[k] = sc[j];
            }
            b[r2++] = lo;
        }
        b[r2] = n;
        R = r2;
        double *x = st;
        st = dt;
        dt = x;
        x = sc;
        sc = dc;
        dc = x;
    }
    free(dt);
    free(dc);
    free(b);
    *t = st;
    *code = sc;
    return 0;
}

int ds_km_pool_groups(const double *time, const double *event,
                      const uint32_t *group, size_t n, size_t n_groups,
                      const size_t *run, size_t n_runs, ds_km_t *km,
                      ds_error_t *err)
{
    size_t P = 1 + n_groups;
    /* times and a code 2 * group + event sorted together in place
     * (gsl_sort2): no index indirection in the sort or the sweep */
    double *t = malloc((n ? n : 1) * sizeof *t);
    double *code = malloc((n ? n : 1) * sizeof *code);
    size_t *remaining = calloc(P, sizeof *remaining);
    size_t *d = calloc(P, sizeof *d), *cnt = calloc(P, sizeof *cnt);
    size_t *touched = malloc(P * sizeof *touched);
    double *s = malloc(P * sizeof *s);
    int rc = DS_OK;
    if (!t || !code || !remaining || !d || !cnt || !touched || !s)
        goto nomem;
    for (size_t p = 0; p < P; p++) {
        s[p] = 1;
        km[p].n = 0;
        km[p].max_time_s = NAN;
    }
    for (size_t k = 0; k < n; k++) {
        size_t g = 1 + group[k];
        t[k] = time[k];
        code[k] = 2.0 * group[k] + (event[k] != 0);
        remaining[0]++;
        remaining[g]++;
        if (!(time[k] <= km[0].max_time_s))
            km[0].max_time_s = time[k];
        if (!(time[k] <= km[g].max_time_s))
            km[g].max_time_s = time[k];
    }
    for (size_t p = 0; p < P; p++)
        km[p].n_obs = remaining[p];
    if (run && n_runs > 1) {
        if (merge_runs(&t, &code, n, run, n_runs))
            goto nomem;
    } else if (!run) {
        gsl_sort2(t, 1, code, 1, n);
    }
    /* Kaplan & Meier (1958): sweep the distinct times once; at each, a
     * curve with answers there steps by 1 - d/n_at_risk, and every
     * observation at that time (censored ones too) then leaves its
     * curves' risk sets. */
    for (size_t i = 0; i < n;) {
        double tt = t[i];
        size_t nt = 0;
        for (; i < n && t[i] == tt; i++) {
            size_t gi = (size_t)(code[i] / 2), ev = (size_t)code[i] % 2;
            size_t g[2] = {0, 1 + gi};
            for (int j = 0; j < 2; j++) {
                if (cnt[g[j]]++ == 0)
                    touched[nt++] = g[j];
                d[g[j]] += ev;
            }
        }
        for (size_t j = 0; j < nt; j++) {
            size_t p = touched[j];
            if (d[p] > 0) {
                s[p] *= 1 - (double)d[p] / (double)remaining[p];
                if (km[p].n == km[p].cap &&
                    km_reserve(&km[p], km[p].cap ? 2 * km[p].cap : 16))
                    goto nomem;
                km[p].time_s[km[p].n] = tt;
                km[p].survival[km[p].n] = s[p];
                km[p].n_at_risk[km[p].n] = remaining[p];
                km[p].n_events[km[p].n] = d[p];
                km[p].n++;
            }
            remaining[p] -= cnt[p];
            d[p] = cnt[p] = 0;
        }
    }
    goto done;
nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory in Kaplan-Meier");
done:
    free(t);
    free(code);
    free(remaining);
    free(d);
    free(cnt);
    free(touched);
    free(s);
    return rc;
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
        n_bids += c->state_actor[st] == me && c->state_role[st] == DS_ROLE_BID;
    }
    size_t cap = n_bids ? n_bids : 1;
    lat = malloc(cap * sizeof *lat);
    km_t = malloc(cap * sizeof *km_t);
    km_e = malloc(cap * sizeof *km_e);
    if (!lat || !km_t || !km_e)
        goto nomem;

    /* Backward pass: NONE until seen. Indices refer to events after e. */
    const size_t NONE = (size_t)-1;
    size_t next_bid = NONE, next_partner = NONE, next_resp = NONE;
    size_t n_lat = 0, k = 0;
    double last_onset = s->n ? s->onset[s->n - 1] : 0;
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
        } else if (actor == partner) {
            next_partner = e;
            if (role == DS_ROLE_RESPONSE)
                next_resp = e;
        }
    }

    out->n_bids = n_bids;
    if (n_bids > 0)
        out->response_rate = (double)out->n_answered / (double)n_bids;
    if (n_lat > 0) {
        out->latency_mean_s = gsl_stats_mean(lat, 1, n_lat);
        gsl_sort(lat, 1, n_lat);
        out->latency_median_s = gsl_stats_median_from_sorted_data(lat, 1,
                                                                  n_lat);
    }
    if (km_fill(km_t, km_e, k, &out->km) != 0)
        goto nomem;
    out->p_response_by_window = 1 - ds_km_survival_at(&out->km, w);
    /* keep the (now sorted) observations for pooling */
    free(out->obs_time_s);
    free(out->obs_event);
    out->obs_time_s = km_t;
    out->obs_event = km_e;
    out->n_obs = k;
    km_t = km_e = NULL;
    rc = DS_OK;
    goto done;

nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory in responsiveness");
done:
    free(lat);
    free(km_t);
    free(km_e);
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
