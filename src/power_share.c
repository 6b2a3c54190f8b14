/*
 * power_share.c — power's replications shared among MPI ranks (see
 * power.h): each rank simulates its ds_dist_range share of them, then
 * every rank gets every rank's columns of the per-replication arrays, so
 * the power table is computed alike on every rank. Nothing to do for one
 * process.
 */
#include "dyadseq/power.h"

#include <stdlib.h>

int ds_power_result_share(ds_power_result_t *res, const ds_dist_t *d,
                          int status, ds_error_t *err)
{
    if (!d)
        return status;
    /* the lowest rank's first failure is the first in replication order */
    if ((status = ds_dist_agree(d, status, err)))
        return status;
    int P = ds_dist_size(d);
    size_t R = res->R, rows = res->n_designs * res->n_metrics;
    size_t *bounds = malloc(((size_t)P + 1) * sizeof *bounds);
    int rc = bounds ? DS_OK : ds_error_set(err, DS_ENOMEM, "out of memory");
    if ((rc = ds_dist_agree(d, rc, err))) {
        free(bounds);
        return rc;
    }
    for (int k = 0; k <= P; k++)
        bounds[k] = R * (size_t)k / (size_t)P;
    double *cols[3 + DS_POWER_N_TESTS] = {res->estimate, res->mean_pre,
                                          res->mean_post};
    for (int t = 0; t < DS_POWER_N_TESTS; t++)
        cols[3 + t] = res->p[t];
    for (int i = 0; !rc && i < 3 + DS_POWER_N_TESTS; i++)
        rc = ds_dist_gather_cols(d, cols[i], sizeof(double), rows, R, bounds,
                                 err);
    if (!rc)
        rc = ds_dist_gather_cols(d, res->n_used, sizeof(int64_t), rows, R,
                                 bounds, err);
    free(bounds);
    return rc;
}
