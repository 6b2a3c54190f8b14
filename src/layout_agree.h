/*
 * layout_agree.h — where `dyadseq agree` puts its numbers in the results
 * file: every path under /agreement (SPEC 5, schemas/results.md
 * "/agreement"). The paths are defined once, in layout_agree.c; the root
 * attributes, /states, /codebook and /sessions come from layout.h.
 */
#ifndef DYADSEQ_LAYOUT_AGREE_H
#define DYADSEQ_LAYOUT_AGREE_H

#include "dyadseq/agree.h"
#include "dyadseq/icc.h"
#include "results.h"

/* Everything /agreement holds. */
typedef struct ds_layout_agree {
    const ds_agree_result_t *result;   /* event and time-unit agreement */
    const char *first, *second;        /* the codings' names */

    /* reliability of the session-level metrics */
    size_t n_metrics;
    const char *const *metric;         /* [n_metrics] */
    const ds_icc_t *icc;               /* [n_metrics] */
    const double *value_first;         /* [n_metrics × S] metric-major */
    const double *value_second;        /* [n_metrics × S] */
    double conf_level;

    /* sessions coded by one coding only (left out) */
    size_t n_single;
    const char *const *single_couple;  /* [n_single] */
    const char *const *single_session; /* [n_single] */
    const char *const *single_coded_by; /* [n_single] the coding's name */
} ds_layout_agree_t;

int ds_layout_agreement(ds_results_t *r, const ds_layout_agree_t *a,
                        ds_error_t *err);

#endif
