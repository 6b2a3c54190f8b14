/*
 * km.c — Kaplan–Meier product-limit estimates and their summaries (see
 * km.h): from one set of observations, pooled over groups of sessions in
 * one sweep, S(t) at a time and the median.
 */
#include "dyadseq/km.h"

#include <gsl/gsl_sort.h>
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

/* Reallocate the four arrays to n entries each (n > 0) and set the
 * capacity; -1 when one could not be, the capacity then unchanged (each
 * array that could be is, so none is lost). */
static int km_resize(ds_km_t *km, size_t n)
{
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

static int km_reserve(ds_km_t *km, size_t n)
{
    return n <= km->cap ? 0 : km_resize(km, n);
}

/* Give back the capacity a curve grown by doubling does not use (pooled
 * curves are held until written; up to half of their arrays would be
 * spare). A failed shrink keeps the larger arrays. */
static void km_fit(ds_km_t *km)
{
    if (km->cap <= km->n)
        return;
    if (km->n == 0) { /* no event: keep n_obs and max_time_s */
        free(km->time_s);
        free(km->survival);
        free(km->n_at_risk);
        free(km->n_events);
        km->time_s = km->survival = NULL;
        km->n_at_risk = km->n_events = NULL;
        km->cap = 0;
        return;
    }
    km_resize(km, km->n);
}

/*
 * Kaplan & Meier (1958), eq. 2: the product-limit estimate. time and
 * event (1.0 / 0.0) are sorted together in place; observations sharing a
 * time are taken as one group, so the at-risk count of a time includes
 * the censorings at that time (they are removed only after it).
 */
int ds_km_estimate_sorting(double *time, double *event, size_t n,
                           ds_km_t *km, ds_error_t *err)
{
    km->n = 0;
    km->n_obs = n;
    km->max_time_s = NAN;
    if (n == 0)
        return DS_OK;
    gsl_sort2(time, 1, event, 1, n);
    km->max_time_s = time[n - 1];
    size_t n_times = 0;
    for (size_t i = 0; i < n; i++)
        n_times += i == 0 || time[i] != time[i - 1];
    if (km_reserve(km, n_times) != 0)
        return ds_error_set(err, DS_ENOMEM, "out of memory in Kaplan-Meier");
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
    return DS_OK;
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
    int rc;
    if (!t || !e) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory in Kaplan-Meier");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        t[i] = time[i];
        e[i] = event[i] != 0;
    }
    rc = ds_km_estimate_sorting(t, e, n, km, err);
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

double ds_km_median(const ds_km_t *km)
{
    for (size_t p = 0; p < km->n; p++)
        if (km->survival[p] <= 0.5)
            return km->time_s[p];
    return NAN;
}

/*
 * Merge the sorted runs [run[r], run[r + 1]) of (t, code) into one sorted
 * sequence: pairwise, bottom up, log2(n_runs) linear passes, which is far
 * cheaper than sorting from scratch when the runs (each session's bids,
 * already in time order) are many. The result is in *t and *code, which
 * may come back pointing at the scratch arrays *t2 and *c2 (allocated
 * here, NULL when none were needed; the caller frees them). -1 on
 * allocation failure.
 */
static int merge_runs(double **t, double **code, double **t2, double **c2,
                      size_t n, const size_t *run, size_t n_runs)
{
    *t2 = malloc((n ? n : 1) * sizeof **t2);
    *c2 = malloc((n ? n : 1) * sizeof **c2);
    size_t *b = malloc((n_runs + 1) * sizeof *b);
    if (!*t2 || !*c2 || !b) {
        free(b);
        return -1;
    }
    memcpy(b, run, (n_runs + 1) * sizeof *b);
    double *st = *t, *sc = *code, *dt = *t2, *dc = *c2;
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
    free(b);
    *t = st;
    *code = sc;
    return 0;
}

/*
 * Kaplan & Meier (1958) over the sorted pooled observations: sweep the
 * distinct times once; at each, a curve with events there steps by
 * 1 - d/n_at_risk, and every observation at that time (censored ones too)
 * then leaves its curves' risk sets. remaining[p] starts at the number of
 * observations of curve p; d, cnt are zeroed scratch of P entries.
 */
static int sweep(const double *t, const double *code, size_t n,
                 size_t *remaining, size_t *d, size_t *cnt, size_t *touched,
                 double *s, ds_km_t *km)
{
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
                    return -1;
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
    return 0;
}

int ds_km_pool_groups(double *time, double *code, size_t n, size_t n_groups,
                      const size_t *run, size_t n_runs, ds_km_t *km,
                      ds_error_t *err)
{
    size_t P = 1 + n_groups;
    size_t *remaining = calloc(P, sizeof *remaining);
    size_t *d = calloc(P, sizeof *d), *cnt = calloc(P, sizeof *cnt);
    size_t *touched = malloc(P * sizeof *touched);
    double *s = malloc(P * sizeof *s), *t2 = NULL, *c2 = NULL;
    double *t = time, *c = code;
    int rc = DS_OK;
    if (!remaining || !d || !cnt || !touched || !s)
        goto nomem;
    for (size_t p = 0; p < P; p++) {
        s[p] = 1;
        km[p].n = 0;
        km[p].max_time_s = NAN;
    }
    for (size_t k = 0; k < n; k++) {
        size_t g = 1 + (size_t)(code[k] / 2);
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
        if (merge_runs(&t, &c, &t2, &c2, n, run, n_runs))
            goto nomem;
    } else if (!run) {
        gsl_sort2(t, 1, c, 1, n);
    }
    if (sweep(t, c, n, remaining, d, cnt, touched, s, km))
        goto nomem;
    for (size_t p = 0; p < P; p++)
        km_fit(&km[p]);
    goto done;
nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory in Kaplan-Meier");
done:
    free(t2);
    free(c2);
    free(remaining);
    free(d);
    free(cnt);
    free(touched);
    free(s);
    return rc;
}
