/*
 * km.h — Kaplan–Meier (product-limit) estimates of a survival curve
 * (Kaplan & Meier 1958), and the summaries read off a curve.
 *
 * In dyadseq the "survival" is a bid waiting for its answer (responsive.h):
 * an answered bid is an event at its latency, a bid left hanging is
 * censored when the bidder moves on. Curves are estimated per session and
 * bidder, and pooled over the bids of many sessions (all sessions, one
 * session label). Pure computation: no I/O, no globals, no threads.
 */
#ifndef DYADSEQ_KM_H
#define DYADSEQ_KM_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/error.h"

/*
 * A Kaplan–Meier (product-limit) curve, stored at its distinct event
 * times only: S(t) = Π_{t_i <= t} (1 - d_i / n_i), where n_i counts the
 * observations with time >= t_i (an observation censored at t_i is at
 * risk at t_i: censorings follow events at the same time) and d_i the
 * events at t_i. Embedded in other structs: the arrays are owned by the
 * struct (ds_km_init / ds_km_clear) and grown as needed.
 */
typedef struct ds_km {
    size_t n;            /* distinct event times */
    size_t n_obs;        /* observations: events + censored */
    double max_time_s;   /* largest observed time; NaN when n_obs = 0 */
    double *time_s;      /* [n] increasing */
    double *survival;    /* [n] S just after time_s[i] */
    size_t *n_at_risk;   /* [n] */
    size_t *n_events;    /* [n] */
    size_t cap;          /* allocated length of the arrays */
} ds_km_t;

void ds_km_init(ds_km_t *km);
void ds_km_clear(ds_km_t *km); /* frees the arrays, then as _init */

/*
 * Product-limit estimate from n observations: time[i] >= 0 (finite) and
 * event[i] nonzero for an event, 0 for a censoring. Returns 0, DS_EUSAGE
 * for a negative or non-finite time, or DS_ENOMEM.
 */
int ds_km_estimate(const double *time, const int *event, size_t n,
                   ds_km_t *km, ds_error_t *err);

/*
 * The same from observations the caller may reorder: time[] and event[]
 * (1.0 event, 0.0 censored) are sorted together by time in place, so the
 * caller can keep them as sorted observations for pooling. The times are
 * not checked (the caller computed them as differences of ordered
 * onsets). Returns 0 or DS_ENOMEM.
 */
int ds_km_estimate_sorting(double *time, double *event, size_t n,
                           ds_km_t *km, ds_error_t *err);

/*
 * S(t): 1 before the first event time; NaN when there are no
 * observations, or when t lies beyond the largest observed time and the
 * curve has not reached 0 there (the estimate is undefined past the end
 * of follow-up; R's summary.survfit likewise reports nothing there).
 */
double ds_km_survival_at(const ds_km_t *km, double t);

/*
 * The Kaplan–Meier median: the smallest event time with S(t) <= 1/2
 * (Klein & Moeschberger 2003, sec. 4.5); NaN when S stays above 1/2 or
 * there are no observations.
 */
double ds_km_median(const ds_km_t *km);

/*
 * Product-limit estimates over pooled observations: time[k] and
 * code[k] = 2 * group + event (event 1 answered, 0 censored; group <
 * n_groups, a session label) of n observations. km[0] receives the
 * estimate over all n, km[1 + g] the estimate over group g; km has
 * 1 + n_groups curves, initialized by ds_km_init. time and code are the
 * caller's working storage, reordered in place (a pooling of many
 * sessions need not hold a second copy of its observations). When the
 * observations come as n_runs runs each sorted by time (each session's,
 * as ds_responsive_compute leaves them), run[0..n_runs] gives their
 * bounds (run[0] = 0, run[n_runs] = n) and the runs are merged instead of
 * sorted; run NULL sorts. Returns 0 or DS_ENOMEM.
 */
int ds_km_pool_groups(double *time, double *code, size_t n, size_t n_groups,
                      const size_t *run, size_t n_runs, ds_km_t *km,
                      ds_error_t *err);

/*
 * The same in steps, so that threads can share the merging of sorted
 * runs: the runs form ds_km_merge_parts(n_runs) parts of consecutive
 * runs, part p starting at run ds_km_part_first_run(n_runs, p) (p = the
 * number of parts gives n_runs); ds_km_merge_part merges part p's runs
 * into one, in place, touching only that part's observations (parts can
 * be merged on different threads at once; -1 when out of memory); once
 * every part is merged, ds_km_pool_merged sweeps them into km as
 * ds_km_pool_groups does. ds_km_pool_groups with runs is these calls in
 * order, so the curves are the same either way.
 */
size_t ds_km_merge_parts(size_t n_runs);
size_t ds_km_part_first_run(size_t n_runs, size_t p);
int ds_km_merge_part(double *time, double *code, const size_t *run,
                     size_t n_runs, size_t p);
int ds_km_pool_merged(const double *time, const double *code, size_t n,
                      size_t n_groups, const size_t *run, size_t n_runs,
                      ds_km_t *km, ds_error_t *err);

#endif
