/*
 * twobytwo.c — Yule's Q, log odds ratio and adjusted residual of a 2×2
 * table (see twobytwo.h for the conventions; SPEC 4.1).
 */
#include "dyadseq/twobytwo.h"

#include <math.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__GNUC__) /* AVX chosen at run time */
#include <immintrin.h>
#define HAVE_2X2_AVX 1
#else
#define HAVE_2X2_AVX 0
#endif

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

#if HAVE_2X2_AVX
/*
 * ds_2x2_stats of tables i, i + 1, ... four at a time, while four are
 * left; returns the first not done. Every lane does ds_2x2_stats's
 * operations in its order (IEEE division and square root round the same
 * in a vector), the branches become masks, and the logarithm is libm's,
 * one lane at a time: the same bits. Division and square root were most
 * of the time of the window tables' statistics (ten per table).
 */
__attribute__((target("avx"))) static size_t
stats_avx(const int64_t *A, const int64_t *B, const int64_t *C,
          const int64_t *D, size_t i, size_t n, double zero_correction,
          const ds_2x2_cols_t *out)
{
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0),
                  half = _mm256_set1_pd(0.5), nan = _mm256_set1_pd(NAN),
                  zc = _mm256_set1_pd(zero_correction > 0 ? zero_correction
                                                          : 0.0);
    for (; i + 4 <= n; i += 4) {
        __m256d a = _mm256_setr_pd((double)A[i], (double)A[i + 1],
                                   (double)A[i + 2], (double)A[i + 3]);
        __m256d b = _mm256_setr_pd((double)B[i], (double)B[i + 1],
                                   (double)B[i + 2], (double)B[i + 3]);
        __m256d c = _mm256_setr_pd((double)C[i], (double)C[i + 1],
                                   (double)C[i + 2], (double)C[i + 3]);
        __m256d d = _mm256_setr_pd((double)D[i], (double)D[i + 1],
                                   (double)D[i + 2], (double)D[i + 3]);
        /* the adjusted residual on the raw table */
        __m256d r = _mm256_add_pd(a, b), col = _mm256_add_pd(a, c);
        __m256d nn = _mm256_add_pd(_mm256_add_pd(r, c), d);
        __m256d ok = _mm256_and_pd(
            _mm256_and_pd(_mm256_cmp_pd(nn, zero, _CMP_GT_OQ),
                          _mm256_cmp_pd(r, zero, _CMP_GT_OQ)),
            _mm256_and_pd(_mm256_cmp_pd(col, zero, _CMP_GT_OQ),
                          _mm256_and_pd(_mm256_cmp_pd(r, nn, _CMP_LT_OQ),
                                        _mm256_cmp_pd(col, nn, _CMP_LT_OQ))));
        __m256d e = _mm256_div_pd(_mm256_mul_pd(r, col), nn);
        __m256d v = _mm256_mul_pd(
            _mm256_mul_pd(e, _mm256_sub_pd(one, _mm256_div_pd(r, nn))),
            _mm256_sub_pd(one, _mm256_div_pd(col, nn)));
        __m256d ar = _mm256_blendv_pd(
            nan, _mm256_div_pd(_mm256_sub_pd(a, e), _mm256_sqrt_pd(v)), ok);
        /* the zero correction: adding 0 leaves a count as it is */
        __m256d z = _mm256_or_pd(
            _mm256_or_pd(_mm256_cmp_pd(a, zero, _CMP_EQ_OQ),
                         _mm256_cmp_pd(b, zero, _CMP_EQ_OQ)),
            _mm256_or_pd(_mm256_cmp_pd(c, zero, _CMP_EQ_OQ),
                         _mm256_cmp_pd(d, zero, _CMP_EQ_OQ)));
        if (zero_correction > 0) {
            __m256d add = _mm256_and_pd(z, zc);
            a = _mm256_add_pd(a, add);
            b = _mm256_add_pd(b, add);
            c = _mm256_add_pd(c, add);
            d = _mm256_add_pd(d, add);
            z = zero;
        }
        __m256d ad = _mm256_mul_pd(a, d), bc = _mm256_mul_pd(b, c);
        __m256d sum = _mm256_add_pd(ad, bc);
        __m256d q = _mm256_blendv_pd(
            nan, _mm256_div_pd(_mm256_sub_pd(ad, bc), sum),
            _mm256_cmp_pd(sum, zero, _CMP_GT_OQ));
        __m256d s = _mm256_sqrt_pd(_mm256_add_pd(
            _mm256_add_pd(_mm256_add_pd(_mm256_div_pd(one, a),
                                        _mm256_div_pd(one, b)),
                          _mm256_div_pd(one, c)),
            _mm256_div_pd(one, d)));
        __m256d qse = _mm256_mul_pd(
            _mm256_mul_pd(half, _mm256_sub_pd(one, _mm256_mul_pd(q, q))), s);
        if (out->yules_q)
            _mm256_storeu_pd(out->yules_q + i, q);
        if (out->yules_q_se)
            _mm256_storeu_pd(out->yules_q_se + i,
                             _mm256_blendv_pd(qse, nan, z));
        if (out->log_odds_ratio_se)
            _mm256_storeu_pd(out->log_odds_ratio_se + i,
                             _mm256_blendv_pd(s, nan, z));
        if (out->adjusted_residual)
            _mm256_storeu_pd(out->adjusted_residual + i, ar);
        if (out->log_odds_ratio) {
            double ratio[4], vz[4];
            _mm256_storeu_pd(ratio, _mm256_div_pd(ad, bc));
            _mm256_storeu_pd(vz, z);
            for (int k = 0; k < 4; k++)
                out->log_odds_ratio[i + k] = vz[k] != 0 ? NAN : log(ratio[k]);
        }
    }
    return i;
}
#endif

void ds_2x2_stats_cols(const int64_t *a, const int64_t *b, const int64_t *c,
                       const int64_t *d, size_t n, double zero_correction,
                       const ds_2x2_cols_t *out)
{
    size_t i = 0;
#if HAVE_2X2_AVX
    if (__builtin_cpu_supports("avx"))
        i = stats_avx(a, b, c, d, 0, n, zero_correction, out);
#endif
    for (; i < n; i++) {
        ds_2x2_t t;
        ds_2x2_stats((double)a[i], (double)b[i], (double)c[i], (double)d[i],
                     zero_correction, &t);
#define PUT_(f) if (out->f) out->f[i] = t.f;
        PUT_(yules_q)
        PUT_(yules_q_se)
        PUT_(log_odds_ratio)
        PUT_(log_odds_ratio_se)
        PUT_(adjusted_residual)
#undef PUT_
    }
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
