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
    s->scratch = malloc((max_sessions ? max_sessions : 1) * sizeof *s->scratch);
    if (!s->mean || !s->sd || !s->n || !s->t || !s->p || !s->scratch) {
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
    free(s->scratch);
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

    for (size_t c = 0; c < s->n_cells; c++) {
        size_t n = 0;
        for (size_t k = 0; k < m; k++) {
            size_t row = select ? select[k] : k;
            double v = values[row * s->n_cells + c];
            if (isfinite(v))
                s->scratch[n++] = v;
        }
        s->n[c] = (int64_t)n;
        if (n == 0)
            continue;
        double mean = r_mean(s->scratch, n);
        s->mean[c] = mean;
        if (n < 2)
            continue;
        double sd = sqrt(gsl_stats_tss_m(s->scratch, 1, n, mean) /
                         (double)(n - 1));
        s->sd[c] = sd;
        if (!(sd > 0))
            continue;
        double t = mean / (sd / sqrt((double)n));
        s->t[c] = t;
        s->p[c] = 2 * gsl_cdf_tdist_Q(fabs(t), (double)(n - 1));
    }
    return DS_OK;
}
