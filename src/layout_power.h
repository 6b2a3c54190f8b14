/*
 * layout_power.h — where `dyadseq power` puts its results in the results
 * file: /power and its groups (schemas/results.md). Every path is defined
 * once, in layout_power.c.
 */
#ifndef DYADSEQ_LAYOUT_POWER_H
#define DYADSEQ_LAYOUT_POWER_H

#include "dyadseq/corpus.h"
#include "dyadseq/power.h"
#include "results.h"

/* What the run was, for the attributes of /power. */
typedef struct ds_power_layout {
    const ds_power_result_t *res;
    const ds_power_metric_t *metric;   /* [res->n_metrics] */
    const ds_corpus_t *space;          /* /states and /codebook */
    const char *pre, *post;            /* the compared session labels */
    const char *model;                 /* "built-in" or the --model files */
    unsigned long seed;
} ds_power_layout_t;

/*
 * /states/label, /codebook/{code,role,description} of the simulated
 * transcripts, and /power: the table (one row per design point, metric
 * and test), /power/metrics, /power/smallest, /power/replications (one
 * row per design point, metric and replication) and
 * /power/replication_seed.
 */
int ds_layout_power(ds_results_t *r, const ds_power_layout_t *p,
                    ds_error_t *err);

#endif
