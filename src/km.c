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
 * Pooled observations are merged in two levels, so that no second copy of
 * them is needed (issue #7: at 10 million events two bidders' copies were
 * 35 MB of the peak memory) while the merging stays sequential in memory:
 * the sorted runs (each session's bids) are split into KM_GROUPS groups
 * of consecutive runs (the parts of ds_km_merge_part), each merged
 * pairwise, bottom up, in place, with scratch the size of the group; the
 * groups are then merged through a heap as the sweep reads them. Few
 * groups, because each is a stream the prefetcher must follow: a heap over
 * every run (40,000 sessions) made pooling five times slower, and 40 or
 * 157 groups a third slower than eight.
 */
#define KM_GROUPS 8

/* Merge the R sorted runs of t[0..b[R]), c alike (bounds b[0..R], b[0] =
 * 0; b is overwritten) into one, in place, with scratch t2, c2 of b[R]
 * entries. */
static void merge_group(double *t, double *c, double *t2, double *c2,
                        size_t *b, size_t R)
{
    size_t n = b[R];
    double *st = t, *sc = c, *dt = t2, *dc = c2;
    while (R > 1) {
        size_t r2 = 0;
        for (size_t r = 0; r < R; r += 2) {
            size_t lo = b[r], mid = b[r + 1],
                   hi = r + 2 <= R ? b[r + 2] : mid;
            size_t i = lo, j = mid, k = lo;
            /* without a branch on the comparison, which the processor
             * cannot predict: the merge was most of the pooling time */
            while (i < mid && j < hi) {
                size_t right = st[j] < st[i], from = right ? j : i;
                dt[k] = st[from];
                dc[k++] = sc[from];
                j += right;
                i += 1 - right;
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
    if (st != t) {
        memcpy(t, st, n * sizeof *t);
        memcpy(c, sc, n * sizeof *c);
    }
}

/* The groups' merged runs, read in time order: a binary heap of the
 * groups with observations left, by the time at their read position
 * (ties by group, so that the order is fixed; the sweep does not depend
 * on it), each entry carrying that time. */
typedef struct km_head {
    double t;
    size_t g;
} km_head_t;

typedef struct km_heap {
    const double *t;
    size_t *pos, *end; /* [G] read position and end of each group */
    km_head_t *h;      /* [n] */
    size_t n;
} km_heap_t;

static int head_less(km_head_t a, km_head_t b)
{
    return a.t < b.t || (a.t == b.t && a.g < b.g);
}

static void heap_down(km_heap_t *x, size_t i)
{
    km_head_t y = x->h[i];
    for (;;) {
        size_t l = 2 * i + 1, m = l;
        if (l >= x->n)
            break;
        if (l + 1 < x->n && head_less(x->h[l + 1], x->h[l]))
            m = l + 1;
        if (!head_less(x->h[m], y))
            break;
        x->h[i] = x->h[m];
        i = m;
    }
    x->h[i] = y;
}

/* Move the first group's read position to i. */
static void heap_advance(km_heap_t *x, size_t i)
{
    size_t g = x->h[0].g;
    x->pos[g] = i;
    if (i == x->end[g])
        x->h[0] = x->h[--x->n];
    else
        x->h[0].t = x->t[i];
    heap_down(x, 0);
}

/*
 * Kaplan & Meier (1958) over the pooled observations in time order (x):
 * sweep the distinct times once; at each, a curve with events there steps
 * by 1 - d/n_at_risk, and every observation at that time (censored ones
 * too) then leaves its curves' risk sets. remaining[p] starts at the
 * number of observations of curve p; d, cnt are zeroed scratch of P
 * entries.
 */
static int sweep(km_heap_t *x, const double *code, size_t *remaining,
                 size_t *d, size_t *cnt, size_t *touched, double *s,
                 ds_km_t *km)
{
    while (x->n) {
        double tt = x->h[0].t;
        size_t nt = 0;
        /* each group's observations at tt are consecutive: one heap step
         * per group and time (times are often tied) */
        while (x->n && x->h[0].t == tt) {
            size_t gr = x->h[0].g, i = x->pos[gr], e = x->end[gr];
            for (; i < e && x->t[i] == tt; i++) {
                size_t gi = (size_t)(code[i] / 2), ev = (size_t)code[i] % 2;
                size_t g[2] = {0, 1 + gi};
                for (int j = 0; j < 2; j++) {
                    if (cnt[g[j]]++ == 0)
                        touched[nt++] = g[j];
                    d[g[j]] += ev;
                }
            }
            heap_advance(x, i);
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

/* Runs a group holds (the last may hold fewer). */
static size_t group_runs(size_t n_runs)
{
    return n_runs ? (n_runs + KM_GROUPS - 1) / KM_GROUPS : 1;
}

size_t ds_km_merge_parts(size_t n_runs)
{
    size_t per = group_runs(n_runs);
    return (n_runs + per - 1) / per;
}

size_t ds_km_part_first_run(size_t n_runs, size_t p)
{
    size_t r = p * group_runs(n_runs);
    return r < n_runs ? r : n_runs;
}

int ds_km_merge_part(double *t, double *c, const size_t *run, size_t n_runs,
                     size_t p)
{
    size_t r0 = ds_km_part_first_run(n_runs, p);
    size_t R = ds_km_part_first_run(n_runs, p + 1) - r0;
    if (R < 2)
        return 0; /* one run is merged already */
    size_t n = run[r0 + R] - run[r0];
    size_t *b = malloc((R + 1) * sizeof *b);
    double *t2 = malloc((n ? n : 1) * sizeof *t2);
    double *c2 = malloc((n ? n : 1) * sizeof *c2);
    int rc = b && t2 && c2 ? 0 : -1;
    if (!rc) {
        for (size_t r = 0; r <= R; r++)
            b[r] = run[r0 + r] - run[r0];
        merge_group(t + run[r0], c + run[r0], t2, c2, b, R);
    }
    free(b);
    free(t2);
    free(c2);
    return rc;
}

/* Set up x to read the merged parts of the n_runs runs (run NULL or no
 * runs: one part, [0, n)) in time order. -1 when out of memory. */
static int heap_init(const double *t, size_t n, const size_t *run,
                     size_t n_runs, km_heap_t *x)
{
    size_t one[2] = {0, n};
    if (!run || n_runs == 0) {
        run = one;
        n_runs = 1;
    }
    size_t G = ds_km_merge_parts(n_runs);
    x->t = t;
    x->pos = malloc(G * sizeof *x->pos);
    x->end = malloc(G * sizeof *x->end);
    x->h = malloc(G * sizeof *x->h);
    x->n = 0;
    if (!x->pos || !x->end || !x->h)
        return -1;
    for (size_t g = 0; g < G; g++) {
        x->pos[g] = run[ds_km_part_first_run(n_runs, g)];
        x->end[g] = run[ds_km_part_first_run(n_runs, g + 1)];
        if (x->end[g] > x->pos[g])
            x->h[x->n++] = (km_head_t){t[x->pos[g]], g};
    }
    /* the heap of the parts by their first times */
    for (size_t i = x->n / 2; i-- > 0;)
        heap_down(x, i);
    return 0;
}

static void heap_clear(km_heap_t *x)
{
    free(x->pos);
    free(x->end);
    free(x->h);
}

int ds_km_pool_groups(double *time, double *code, size_t n, size_t n_groups,
                      const size_t *run, size_t n_runs, ds_km_t *km,
                      ds_error_t *err)
{
    if (!run) /* one unsorted run, sorted whole */
        gsl_sort2(time, 1, code, 1, n);
    for (size_t p = 0; run && p < ds_km_merge_parts(n_runs); p++)
        if (ds_km_merge_part(time, code, run, n_runs, p))
            return ds_error_set(err, DS_ENOMEM,
                                "out of memory in Kaplan-Meier");
    return ds_km_pool_merged(time, code, n, n_groups, run, n_runs, km, err);
}

int ds_km_pool_merged(const double *time, const double *code, size_t n,
                      size_t n_groups, const size_t *run, size_t n_runs,
                      ds_km_t *km, ds_error_t *err)
{
    size_t P = 1 + n_groups;
    size_t *remaining = calloc(P, sizeof *remaining);
    size_t *d = calloc(P, sizeof *d), *cnt = calloc(P, sizeof *cnt);
    size_t *touched = malloc(P * sizeof *touched);
    double *s = malloc(P * sizeof *s);
    km_heap_t x = {0};
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
    if (heap_init(time, n, run, n_runs, &x) ||
        sweep(&x, code, remaining, d, cnt, touched, s, km))
        goto nomem;
    for (size_t p = 0; p < P; p++)
        km_fit(&km[p]);
    goto done;
nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory in Kaplan-Meier");
done:
    heap_clear(&x);
    free(remaining);
    free(d);
    free(cnt);
    free(touched);
    free(s);
    return rc;
}
