/*
 * twobytwo.c — Yule's Q, log odds ratio and adjusted residual of a 2×2
 * table (see twobytwo.h for the conventions; SPEC 4.1).
 */
#include "dyadseq/twobytwo.h"

#include <math.h>

/* The zero correction: add zero_correction to all four cells when one is
 * 0 and zero_correction > 0. Returns whether a zero cell is left. */
static int correct(double *a, double *b, double *c, double *d,
                   double zero_correction)
{
    int zero = *a == 0 || *b == 0 || *c == 0 || *d == 0;
    if (zero && zero_correction > 0) {
        *a += zero_correction;
        *b += zero_correction;
        *c += zero_correction;
        *d += zero_correction;
        zero = 0;
    }
    return zero;
}

void ds_2x2_stats(double a, double b, double c, double d,
                  double zero_correction, ds_2x2_t *out)
{
    /* Haberman adjusted residual of cell a on the raw table:
     * (a - e) / sqrt(e (1 - R/N) (1 - C/N)), e = R C / N */
    double n = a + b + c + d, r = a + b, col = a + c;
    out->adjusted_residual = NAN;
    if (n > 0 && r > 0 && col > 0 && r < n && col < n) {
        double e = r * col / n;
        out->adjusted_residual =
            (a - e) / sqrt(e * (1 - r / n) * (1 - col / n));
    }

    int zero = correct(&a, &b, &c, &d, zero_correction);
    double ad = a * d, bc = b * c;
    out->yules_q = ad + bc > 0 ? (ad - bc) / (ad + bc) : NAN;
    if (zero) {
        out->yules_q_se = NAN;
        out->log_odds_ratio = NAN;
        out->log_odds_ratio_se = NAN;
        return;
    }
    double s = sqrt(1 / a + 1 / b + 1 / c + 1 / d);
    double q = out->yules_q;
    out->yules_q_se = 0.5 * (1 - q * q) * s;
    out->log_odds_ratio = log(ad / bc);
    out->log_odds_ratio_se = s;
}

void ds_2x2_stats_relative(double a, double b, double c, double d,
                           double ref_or, double zero_correction,
                           ds_2x2_t *out)
{
    ds_2x2_stats(a, b, c, d, zero_correction, out);
    if (!(ref_or > 0) || isinf(ref_or)) {
        out->yules_q = out->yules_q_se = NAN;
        out->log_odds_ratio = out->log_odds_ratio_se = NAN;
        return;
    }
    int zero = correct(&a, &b, &c, &d, zero_correction);
    /* OR / ref_or = ad / (bc ref_or); Q = (OR' − 1)/(OR' + 1) */
    double ad = a * d, bc = b * c * ref_or;
    out->yules_q = ad + bc > 0 ? (ad - bc) / (ad + bc) : NAN;
    if (zero)
        return; /* SEs and the log odds ratio are NaN already */
    double q = out->yules_q;
    out->yules_q_se = 0.5 * (1 - q * q) * out->log_odds_ratio_se;
    out->log_odds_ratio = log(ad / bc);
}
