/*
 * compare_internal.h — what the files of the compare module share
 * (internal; the interface is include/dyadseq/compare.h):
 *
 *   compare.c     the session table, the metrics, pairing, the tests
 *   compare_ap.c  the actor-partner metrics (ap_COEF[MODEL])
 */
#ifndef DYADSEQ_COMPARE_INTERNAL_H
#define DYADSEQ_COMPARE_INTERNAL_H

#include <stddef.h>

#include "dyadseq/compare.h"

/* "intercept", "partner", ... (DS_AP_COEFS), "" out of range. */
const char *ds_compare_ap_coef_name(size_t coef);

/* Which way coefficient coef of model improves (DS_RCI_*), or 0. */
int ds_compare_ap_better(const ds_compare_sessions_t *v, size_t model,
                         size_t coef);

/* Why the coefficients of model are NaN in session s, into buf. */
void ds_compare_ap_why(const ds_compare_sessions_t *v, size_t model,
                       size_t s, char *buf, size_t size);

/*
 * An actor-partner metric by name: 1 with its model (index into
 * v->ap_model) and coefficient; 0 when name is not of the form
 * ap_COEF[MODEL]; DS_EUSAGE when it names no model of v.
 */
int ds_compare_ap_parse(const ds_compare_sessions_t *v, const char *name,
                        size_t *model, size_t *coef, ds_error_t *err);

/* The actor-partner columns of v from the analysis a (views into a, the
 * arrays of pointers owned by v); -1 when out of memory. */
int ds_compare_ap_from_analysis(const ds_analysis_t *a,
                                ds_compare_sessions_t *v);

#endif
