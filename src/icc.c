/*
 * icc.c — ICC(A,1) with its confidence interval (McGraw & Wong 1996; the
 * formulas are in icc.h).
 */
#include "dyadseq/icc.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

/* Upper quantile F_{1−α/2}(d1, d2), NaN when it does not exist. */
static double f_upper(double q, double d1, double d2)
{
    if (!(d1 > 0 && d2 > 0 && isfinite(d1) && isfinite(d2)))
        return NAN;
    return gsl_cdf_fdist_Pinv(q, d1, d2);
}

/* McGraw & Wong (1996) Table 7, case 2A, k = 2. */
static void interval(ds_icc_t *o, double conf_level)
{
    const double k = 2, n = (double)o->n;
    double rho = o->icc, msr = o->ms_rows, msc = o->ms_cols,
           mse = o->ms_error;
    o->ci_low = o->ci_high = NAN;
    if (!isfinite(rho))
        return;
    if (rho == 1) {
        o->ci_low = o->ci_high = 1;
        return;
    }
    double a = k * rho / (n * (1 - rho));
    double b = 1 + k * rho * (n - 1) / (n * (1 - rho));
    double num = a * msc + b * mse;
    double v = num * num / ((a * msc) * (a * msc) / (k - 1) +
                            (b * mse) * (b * mse) / ((n - 1) * (k - 1)));
    double q = 1 - (1 - conf_level) / 2;
    double fl = f_upper(q, n - 1, v), fu = f_upper(q, v, n - 1);
    double c = k * msc + (k * n - k - n) * mse;
    o->ci_low = n * (msr - fl * mse) / (fl * c + n * msr);
    o->ci_high = n * (fu * msr - mse) / (c + n * fu * msr);
}

int ds_icc_a1(const double *x, const double *y, size_t n, double conf_level,
              ds_icc_t *out, ds_error_t *err)
{
    ds_icc_t o = {0};
    o.icc = o.ci_low = o.ci_high = o.f = o.df1 = o.df2 = o.p = NAN;
    o.ms_rows = o.ms_cols = o.ms_error = NAN;
    o.mean_first = o.mean_second = o.mean_diff = o.sd_diff = NAN;
    *out = o;
    if (!(conf_level > 0 && conf_level < 1))
        return ds_error_set(err, DS_EUSAGE, "the confidence level must lie "
                            "in (0, 1), not %g", conf_level);
    double sx = 0, sy = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            sx += x[i];
            sy += y[i];
            m++;
        }
    o.n = m;
    if (m == 0) {
        *out = o;
        return DS_OK;
    }
    double nm = (double)m, mx = sx / nm, my = sy / nm, g = (mx + my) / 2;
    o.mean_first = mx;
    o.mean_second = my;
    o.mean_diff = my - mx;
    double ssr = 0, sse = 0, ssd = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(x[i]) && isfinite(y[i])))
            continue;
        double r = (x[i] + y[i]) / 2, d = (y[i] - x[i]) - o.mean_diff;
        double e1 = x[i] - r - mx + g, e2 = y[i] - r - my + g;
        ssr += 2 * (r - g) * (r - g);
        sse += e1 * e1 + e2 * e2;
        ssd += d * d;
    }
    if (m < 2) {
        *out = o;
        return DS_OK;
    }
    double ssc = nm * ((mx - g) * (mx - g) + (my - g) * (my - g));
    o.sd_diff = sqrt(ssd / (nm - 1));
    o.ms_rows = ssr / (nm - 1);
    o.ms_cols = ssc; /* k − 1 = 1 */
    o.ms_error = sse / (nm - 1);
    double den = o.ms_rows + o.ms_error + 2 * (o.ms_cols - o.ms_error) / nm;
    if (o.ms_error == 0 && o.ms_cols == 0)
        o.icc = o.ms_rows > 0 ? 1 : NAN;
    else if (den != 0)
        o.icc = (o.ms_rows - o.ms_error) / den;
    o.df1 = nm - 1;
    o.df2 = nm - 1;
    if (o.ms_error > 0) {
        o.f = o.ms_rows / o.ms_error;
        o.p = gsl_cdf_fdist_Q(o.f, o.df1, o.df2);
    } else if (o.ms_rows > 0) {
        o.f = INFINITY;
        o.p = 0;
    }
    interval(&o, conf_level);
    *out = o;
    return DS_OK;
}
