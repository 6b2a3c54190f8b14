/*
 * summary.h — between-session summaries of per-cell statistics (SPEC 4.5).
 *
 * Pooled tables treat every transition as independent; the summaries treat
 * sessions (couples) as the unit of replication instead: for every cell,
 * over the sessions where the per-session value (Yule's Q, the adjusted
 * residual) is defined, the mean, SD, n and a one-sample t-test of the
 * mean against 0. Pure computation, no I/O.
 */
#ifndef DYADSEQ_SUMMARY_H
#define DYADSEQ_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/error.h"

typedef struct ds_summary {
    size_t n_cells;
    double *mean;  /* [n_cells] mean of the defined values; NaN when n = 0 */
    double *sd;    /* [n_cells] SD with divisor n − 1; NaN when n < 2 */
    int64_t *n;    /* [n_cells] number of sessions with a defined value */
    double *t;     /* [n_cells] mean / (sd / sqrt(n)); NaN when n < 2 or
                      sd = 0 */
    double *p;     /* [n_cells] two-sided p, Student t with n − 1 df; NaN
                      when t is */
    size_t max_sessions;
} ds_summary_t;

/* Summaries of n_cells cells over at most max_sessions sessions; NULL on
 * OOM. */
ds_summary_t *ds_summary_alloc(size_t n_cells, size_t max_sessions);
void ds_summary_free(ds_summary_t *s);

/*
 * Fill s from values, an [n_sessions, s->n_cells] row-major array (one row
 * per session, as /lag/<k>/session/<stat> flattened). select lists the
 * session indices to use (e.g. the sessions of one label), or is NULL for
 * all n_sessions. A value is defined when it is finite (NaN, the only
 * non-finite value the lag statistics produce, marks undefined).
 * Returns DS_OK, DS_EUSAGE for an index out of range or more sessions
 * than s was allocated for, or DS_ENOMEM.
 */
int ds_summary_compute(ds_summary_t *s, const double *values,
                       size_t n_sessions, const size_t *select,
                       size_t n_select, ds_error_t *err);

#endif
