/*
 * summary.c — between-session summaries (see summary.h; SPEC 4.5).
 *
 * The one-sample t-test of H0: mean = 0 is Student's (1908):
 *   t = x̄ / (s / sqrt(n)), df = n − 1, p = 2 P(T_{n−1} ≥ |t|),
 * as R's t.test(x) computes it. The mean is R's mean(x) to the last bit
 * (r_mean below); the SD is sqrt(gsl_stats_tss_m / (n − 1)): the sum of
 * squared deviations from that mean in long double, as R's var() sums
 * them. (gsl_stats_mean and gsl_stats_sd_m keep running means, a
 * long-double division per value: they agree with R to a unit in the last
 * place or so, and the mean alone took 60% of the pooling of a 1M-event
 * study on one thread, about 12 ms, issue 16.)
 *
 * Cells go four at a time: their values are gathered together (neighbour
 * cells share a cache line of each session's row), and their means and
 * sums of squares are summed side by side (tss4 does gsl_stats_tss_m's
 * operations for four cells; the unit test holds the SDs to GSL's bits).
 * Each cell's sums are still one long-double sum in its own values'
 * order, the same operations as one cell alone, so the results are the
 * same to the bit; four independent chains of x87 additions keep the
 * adder busy where one chain waited on each addition's latency (three
 * quarters of the summaries' time, issue 16).
 */
#include "dyadseq/summary.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

ds_summary_t *ds_summary_alloc(size_t n_cells, size_t max_sessions)
{
    ds_summary_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n_cells = n_cells;
    s->max_sessions = max_sessions;
    size_t nc = n_cells ? n_cells : 1;
    s->mean = malloc(nc * sizeof *s->mean);
    s->sd = malloc(nc * sizeof *s->sd);
    s->n = malloc(nc * sizeof *s->n);
    s->t = malloc(nc * sizeof *s->t);
    s->p = malloc(nc * sizeof *s->p);
    if (!s->mean || !s->sd || !s->n || !s->t || !s->p) {
        ds_summary_free(s);
        return NULL;
    }
    return s;
}

void ds_summary_free(ds_summary_t *s)
{
    if (!s)
        return;
    free(s->mean);
    free(s->sd);
    free(s->n);
    free(s->t);
    free(s->p);
    free(s);
}

/* R's mean(x) of n finite values (real_mean in R's src/main/summary.c):
 * their sum in long double over n, corrected by the mean of the residuals
 * from it. gsl_stats_mean differs from it in the last bit now and then
 * (7 of 2,000 random vectors of 23 values; tests/unit/test_lagstats.c has
 * one). */
static double r_mean(const double *x, size_t n)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    if (isfinite((double)s)) {
        long double t = 0;
        for (size_t i = 0; i < n; i++)
            t += x[i] - s;
        s += t / (long double)n;
    }
    return (double)s;
}

#define GROUP 4 /* cells summed side by side */

/* r_mean of GROUP lists x[g][0..n[g]) at once, each n[g] > 0: every
 * list's sums are r_mean's, in the same order; the lists' additions are
 * interleaved up to the shortest list, then each finishes alone. */
static void r_means(const double *const x[GROUP], const size_t n[GROUP],
                    double out[GROUP])
{
    size_t lo = n[0];
    for (int g = 1; g < GROUP; g++)
        lo = n[g] < lo ? n[g] : lo;
    long double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i < lo; i++) {
        s0 += x[0][i];
        s1 += x[1][i];
        s2 += x[2][i];
        s3 += x[3][i];
    }
    long double s[GROUP] = {s0, s1, s2, s3};
    for (int g = 0; g < GROUP; g++) {
        for (size_t i = lo; i < n[g]; i++)
            s[g] += x[g][i];
        s[g] /= (long double)n[g];
    }
    /* the residuals' sums, for the lists whose mean is finite (r_mean's
     * test); a list whose mean is not takes no part and ends with it */
    int fin[GROUP];
    for (int g = 0; g < GROUP; g++)
        fin[g] = isfinite((double)s[g]);
    if (fin[0] && fin[1] && fin[2] && fin[3]) {
        long double m0 = s[0], m1 = s[1], m2 = s[2], m3 = s[3];
        long double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (size_t i = 0; i < lo; i++) {
            t0 += x[0][i] - m0;
            t1 += x[1][i] - m1;
            t2 += x[2][i] - m2;
            t3 += x[3][i] - m3;
        }
        long double t[GROUP] = {t0, t1, t2, t3};
        for (int g = 0; g < GROUP; g++) {
            for (size_t i = lo; i < n[g]; i++)
                t[g] += x[g][i] - s[g];
            out[g] = (double)(s[g] + t[g] / (long double)n[g]);
        }
        return;
    }
    for (int g = 0; g < GROUP; g++)
        out[g] = fin[g] ? r_mean(x[g], n[g]) : (double)s[g];
}

/* The finite values of GROUP neighbouring cells (column 0 of v, rows of
 * `stride`) in the rows select[0..m) (0..m without select) into lists
 * out + g * len, their counts in n[g]. Without branches: every value is
 * written and the count moves on past the finite ones, so a list needs a
 * spare slot; the counters stay in registers (a loop over the group kept
 * them in memory, a load and a store each). */
static void gather4(const double *v, size_t stride, const size_t *select,
                    size_t m, double *out, size_t len, size_t n[GROUP])
{
    double *o0 = out, *o1 = out + len, *o2 = out + 2 * len,
           *o3 = out + 3 * len;
    size_t n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    for (size_t k = 0; k < m; k++) {
        const double *r = v + (select ? select[k] : k) * stride;
        double a = r[0], b = r[1], c = r[2], d = r[3];
        o0[n0] = a;
        o1[n1] = b;
        o2[n2] = c;
        o3[n3] = d;
        n0 += isfinite(a) != 0;
        n1 += isfinite(b) != 0;
        n2 += isfinite(c) != 0;
        n3 += isfinite(d) != 0;
    }
    n[0] = n0;
    n[1] = n1;
    n[2] = n2;
    n[3] = n3;
}

/*
 * The sums of squared deviations from mean[g] of GROUP lists at once:
 * gsl_stats_tss_m's operations for each list in its order (the deviation
 * in double, its square and the sum in long double, the sum rounded to
 * double), four independent chains where it has one. Each n[g] > 0.
 */
static void tss4(const double *const x[GROUP], const size_t n[GROUP],
                 const double mean[GROUP], double out[GROUP])
{
    size_t lo = n[0];
    for (int g = 1; g < GROUP; g++)
        lo = n[g] < lo ? n[g] : lo;
    long double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (size_t i = 0; i < lo; i++) {
        long double d0 = x[0][i] - mean[0], d1 = x[1][i] - mean[1],
                    d2 = x[2][i] - mean[2], d3 = x[3][i] - mean[3];
        t0 += d0 * d0;
        t1 += d1 * d1;
        t2 += d2 * d2;
        t3 += d3 * d3;
    }
    long double t[GROUP] = {t0, t1, t2, t3};
    for (int g = 0; g < GROUP; g++) {
        for (size_t i = lo; i < n[g]; i++) {
            long double d = x[g][i] - mean[g];
            t[g] += d * d;
        }
        out[g] = (double)t[g];
    }
}

/* The summaries of cell c from its n values, their mean and their sum
 * of squared deviations from it. */
static void finish_cell(ds_summary_t *s, size_t c, size_t n, double mean,
                        double tss)
{
    s->n[c] = (int64_t)n;
    if (n == 0)
        return;
    s->mean[c] = mean;
    if (n < 2)
        return;
    double sd = sqrt(tss / (double)(n - 1));
    s->sd[c] = sd;
    if (!(sd > 0))
        return;
    double t = mean / (sd / sqrt((double)n));
    s->t[c] = t;
    s->p[c] = 2 * gsl_cdf_tdist_Q(fabs(t), (double)(n - 1));
}

int ds_summary_compute(ds_summary_t *s, const double *values,
                       size_t n_sessions, const size_t *select,
                       size_t n_select, ds_error_t *err)
{
    size_t m = select ? n_select : n_sessions;
    for (size_t c = 0; c < s->n_cells; c++) {
        s->mean[c] = s->sd[c] = s->t[c] = s->p[c] = NAN;
        s->n[c] = 0;
    }
    if (m > s->max_sessions)
        return ds_error_set(err, DS_EUSAGE,
                            "summary for %zu sessions given %zu",
                            s->max_sessions, m);
    for (size_t k = 0; select && k < m; k++)
        if (select[k] >= n_sessions)
            return ds_error_set(err, DS_EUSAGE,
                                "session index %zu out of range (%zu "
                                "sessions)",
                                select[k], n_sessions);
    /* the gathered values of GROUP cells, GROUP lists of m and a spare
     * slot each (gather4 writes every value and keeps the finite ones) */
    double *buf = malloc(GROUP * (m + 1) * sizeof *buf);
    if (!buf)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t c0 = 0; c0 < s->n_cells; c0 += GROUP) {
        size_t w = s->n_cells - c0 < GROUP ? s->n_cells - c0 : GROUP;
        const double *x[GROUP];
        size_t n[GROUP] = {0};
        for (size_t g = 0; g < GROUP; g++)
            x[g] = buf + g * (m + 1);
        if (w == GROUP)
            gather4(values + c0, s->n_cells, select, m, buf, m + 1, n);
        else
            for (size_t k = 0; k < m; k++) {
                size_t row = select ? select[k] : k;
                const double *v = values + row * s->n_cells + c0;
                for (size_t g = 0; g < w; g++)
                    if (isfinite(v[g]))
                        buf[g * (m + 1) + n[g]++] = v[g];
            }
        double mean[GROUP], tss[GROUP];
        if (w == GROUP && n[0] && n[1] && n[2] && n[3]) {
            r_means(x, n, mean);
            tss4(x, n, mean, tss);
        } else {
            for (size_t g = 0; g < w; g++) {
                mean[g] = n[g] ? r_mean(x[g], n[g]) : NAN;
                tss[g] = gsl_stats_tss_m(x[g], 1, n[g], mean[g]);
            }
        }
        for (size_t g = 0; g < w; g++)
            finish_cell(s, c0 + g, n[g], mean[g], tss[g]);
    }
    free(buf);
    return DS_OK;
}
