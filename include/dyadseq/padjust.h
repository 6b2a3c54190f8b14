/*
 * padjust.h — adjustment of p-values for multiple testing, as R's
 * p.adjust (stats 4.2). `compare` adjusts the paired t-test p-values of
 * all its metrics (SPEC 6; /comparison/q_bh in SPEC 5);
 * docs/statistics-compare.md gives the formula and the NaN rule.
 *
 * Pure computation: no I/O, no globals.
 */
#ifndef DYADSEQ_PADJUST_H
#define DYADSEQ_PADJUST_H

#include <stddef.h>

#include "dyadseq/error.h"

/*
 * Benjamini & Hochberg (1995) q-values, as R's p.adjust(p, "BH"): NaN
 * inputs stay NaN and are not counted in m (R's default n is, through lazy
 * evaluation, the number of non-NA p-values). q may equal p (in place).
 * Returns 0, DS_EUSAGE for a p-value outside [0, 1], DS_ENOMEM.
 */
int ds_padjust_bh(const double *p, size_t m, double *q, ds_error_t *err);

#endif
