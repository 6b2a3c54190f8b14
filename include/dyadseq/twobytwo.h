/*
 * twobytwo.h — statistics of a 2×2 table, shared by the lag tables (the
 * collapse of cell i→j against everything else, SPEC 4.1) and the
 * time-window tallies (SPEC 4.4).
 *
 *              target   not target
 *   given        a          b
 *   not given    c          d
 */
#ifndef DYADSEQ_TWOBYTWO_H
#define DYADSEQ_TWOBYTWO_H

#include <stddef.h>
#include <stdint.h>

typedef struct ds_2x2 {
    double yules_q, yules_q_se;       /* Yule (1900); SE: Bishop, Fienberg
                                         & Holland (1975) */
    double log_odds_ratio, log_odds_ratio_se; /* Woolf (1955) SE */
    double adjusted_residual;         /* of cell a, Haberman (1973) */
} ds_2x2_t;

/*
 * Fill out from the counts. zero_correction is 0 or 0.5 (--zero-correction):
 * with 0, a zero cell leaves Q at ±1 and the SEs and log odds ratio NaN;
 * with 0.5, 0.5 is added to all four cells when any is zero and every value
 * uses the corrected cells. Q is NaN only when ad + bc = 0. The adjusted
 * residual always uses the raw counts, and is NaN when a margin is 0 or
 * N is 0.
 */
void ds_2x2_stats(double a, double b, double c, double d,
                  double zero_correction, ds_2x2_t *out);

/* Columns of the statistics of n tables; a NULL column is not written. */
typedef struct ds_2x2_cols {
    double *yules_q, *yules_q_se, *log_odds_ratio, *log_odds_ratio_se;
    double *adjusted_residual;
} ds_2x2_cols_t;

/* ds_2x2_stats of the n tables (a[i], b[i], c[i], d[i]) into element i of
 * each column of out, several tables at a time where the processor can:
 * the same values, bit for bit. */
void ds_2x2_stats_cols(const int64_t *a, const int64_t *b, const int64_t *c,
                       const int64_t *d, size_t n, double zero_correction,
                       const ds_2x2_cols_t *out);

/*
 * The same statistics with the odds ratio taken relative to a reference
 * odds ratio ref_or (SPEC 4.1 under structural zeros: ref_or = a_e d_e /
 * (b_e c_e), the odds ratio of the same 2×2 collapse of the fitted
 * quasi-independence table): ln OR = ln(ad/bc) − ln ref_or,
 * Q = (OR − 1)/(OR + 1), the SEs from the observed (or corrected) cells as
 * above, treating ref_or as fixed. ref_or = 1 gives ds_2x2_stats(); a
 * ref_or that is not finite and > 0 makes Q, the log odds ratio and their
 * SEs NaN.
 */
void ds_2x2_stats_relative(double a, double b, double c, double d,
                           double ref_or, double zero_correction,
                           ds_2x2_t *out);

#endif
