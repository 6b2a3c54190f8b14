/*
 * icc.h — the intraclass correlation ICC(A,1) of two measurements of the
 * same subjects (here: a session-level metric computed from two codings of
 * the same sessions), with its confidence interval and F test.
 *
 * McGraw & Wong (1996), "Forming inferences about some intraclass
 * correlation coefficients", Psychological Methods 1, 30–46: case 2A
 * (two-way random effects, absolute agreement, single measures), which is
 * Shrout & Fleiss's (1979) ICC(2,1). For n subjects rated by k = 2
 * coders, from the two-way ANOVA without replication:
 *
 *   MSR = k Σ_i (x̄_i· − x̄)² / (n − 1)          between subjects (rows)
 *   MSC = n Σ_j (x̄_·j − x̄)² / (k − 1)          between coders (columns)
 *   MSE = Σ_ij (x_ij − x̄_i· − x̄_·j + x̄)² / ((n − 1)(k − 1))
 *   ICC(A,1) = (MSR − MSE) / (MSR + (k − 1) MSE + k (MSC − MSE) / n)
 *
 * Confidence interval (McGraw & Wong 1996, Table 7, case 2A, with
 * Satterthwaite's degrees of freedom v):
 *   a = k ρ / (n (1 − ρ)),  b = 1 + k ρ (n − 1) / (n (1 − ρ)),  ρ = ICC
 *   v = (a MSC + b MSE)² / ((a MSC)² / (k − 1) + (b MSE)² / ((n − 1)(k − 1)))
 *   F* = F_{1−α/2}(n − 1, v),   F_* = F_{1−α/2}(v, n − 1)
 *   lower = n (MSR − F* MSE) / (F* (k MSC + (kn − k − n) MSE) + n MSR)
 *   upper = n (F_* MSR − MSE) / (k MSC + (kn − k − n) MSE + n F_* MSR)
 * F test of ICC = 0: F = MSR / MSE on (n − 1, (n − 1)(k − 1)) df, one
 * sided (the r0 = 0 case of the same table). These are the numbers of R's
 * irr::icc(model = "twoway", type = "agreement") (and of irrNA::icc_corr,
 * which fixes irr's df of the test for r0 > 0, not used here).
 *
 * Special cases: fewer than 2 usable subjects, or no variance at all
 * (every value equal) give NaN. When the coders agree exactly (MSE = 0
 * and MSC = 0, some spread between subjects) ICC = 1, the interval is
 * [1, 1], F = +Inf and p = 0.
 *
 * Pure computation (GSL's F distribution); no I/O.
 */
#ifndef DYADSEQ_ICC_H
#define DYADSEQ_ICC_H

#include <stddef.h>

#include "dyadseq/error.h"

typedef struct ds_icc {
    size_t n;                    /* subjects used: both values finite */
    double icc, ci_low, ci_high; /* ICC(A,1) and its interval */
    double f, df1, df2, p;       /* F test of ICC = 0 */
    double ms_rows, ms_cols, ms_error;
    double mean_first, mean_second;
    double mean_diff, sd_diff;   /* of second − first; SD with n − 1 */
} ds_icc_t;

/*
 * ICC(A,1) of x[i] (first coding) against y[i] (second coding) over the
 * i < n where both are finite, with a conf_level interval (0.95). Returns
 * 0, or DS_EUSAGE when conf_level is not in (0, 1).
 */
int ds_icc_a1(const double *x, const double *y, size_t n, double conf_level,
              ds_icc_t *out, ds_error_t *err);

#endif
