/*
 * padjust.c — multiple-testing adjustment of p-values (see padjust.h).
 *
 * Written to give R's numbers (stats::p.adjust, R 4.2) in the same order
 * of operations, so tests/unit/test_paired.c can compare with R at 1e-10.
 */
#include "dyadseq/padjust.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

int ds_padjust_bh(const double *p, size_t m, double *q, ds_error_t *err)
{
    double *v = NULL;
    size_t *idx = NULL, *perm = NULL;
    int rc = DS_OK;
    if (m > 0 && (!p || !q))
        return ds_error_set(err, DS_EUSAGE, "BH adjustment: no p-values");
    size_t lp = 0;
    for (size_t i = 0; i < m; i++) {
        if (isnan(p[i]))
            continue;
        if (!(p[i] >= 0 && p[i] <= 1))
            return ds_error_set(err, DS_EUSAGE, "BH adjustment: p-value "
                                "%g (number %zu) is not in [0, 1]", p[i],
                                i + 1);
        lp++;
    }
    if (lp <= 1) { /* R returns p unchanged */
        if (q != p)
            for (size_t i = 0; i < m; i++)
                q[i] = p[i];
        return DS_OK;
    }
    v = malloc(lp * sizeof *v);
    idx = malloc(lp * sizeof *idx);
    perm = malloc(lp * sizeof *perm);
    if (!v || !idx || !perm) {
        rc = ds_error_set(err, DS_ENOMEM, "BH adjustment: out of memory");
        goto fail;
    }
    for (size_t i = 0, k = 0; i < m; i++)
        if (!isnan(p[i])) {
            v[k] = p[i];
            idx[k++] = i;
        }
    /* R: i <- lp:1; o <- order(p, decreasing = TRUE);
     *    pmin(1, cummin(n / i * p[o]))[order(o)], with n = lp.
     * Walk from the largest p down; the order among tied p-values does not
     * change the result, since their cumulative minimum is the same. */
    gsl_sort_index(perm, v, 1, lp);
    double cm = INFINITY, n = (double)lp;
    for (size_t r = lp; r-- > 0;) {
        double x = n / (double)(r + 1) * v[perm[r]];
        if (x < cm)
            cm = x;
        q[idx[perm[r]]] = cm < 1 ? cm : 1;
    }
    for (size_t i = 0; i < m; i++)
        if (isnan(p[i]))
            q[i] = p[i];

fail:
    free(v);
    free(idx);
    free(perm);
    return rc;
}
