/*
 * paired.c — paired t-test, Wilcoxon signed-rank test, paired effect sizes
 * and the Jacobson–Truax reliable change index for `compare` (SPEC 6). See paired.h for the interface and
 * docs/statistics-compare.md for every formula and NaN rule.
 *
 * The tests are written to give R's numbers, not just the textbook's: the
 * operations follow R 4.2's t.test.default, wilcox.test.default and
 * psignrank (nmath/signrank.c) in the same order, so that
 * tests/unit/test_paired.c can compare with R at 1e-10 and the decisions R
 * makes on exact floating-point equality (zero and tied differences, "data
 * are essentially constant") come out the same. Distributions and moments
 * come from GSL; only the exact signed-rank distribution, which GSL lacks,
 * is written here.
 */
#include "dyadseq/paired.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* R's wilcox.test uses the exact distribution below this many differences */
#define EXACT_MAX_N 50

void ds_paired_opts_init(ds_paired_opts_t *o)
{
    o->conf_level = 0.95;
}

/* ---- exact null distribution of the signed-rank statistic ---------------
 * Port of R's csignrank/psignrank (nmath/signrank.c, R 4.2): w[k] is the
 * number of subsets of {1..n} whose sum is k, for k ≤ c = u/2 with
 * u = n(n+1)/2 (the distribution is symmetric), built by the usual
 * knapsack recurrence. With n < 50 every count is below 2^53, so doubles
 * hold them exactly. */

#define SIGNRANK_W_MAX ((EXACT_MAX_N * (EXACT_MAX_N - 1) / 2) / 2 + 2)

static void signrank_init(double *w, int n)
{
    int u = n * (n + 1) / 2, c = u / 2;
    memset(w, 0, (size_t)(c + 2) * sizeof *w);
    w[0] = w[1] = 1.;
    for (int j = 2; j < n + 1; ++j) {
        int end = j * (j + 1) / 2 < c ? j * (j + 1) / 2 : c;
        for (int i = end; i >= j; --i)
            w[i] += w[i - j];
    }
}

static double signrank_count(const double *w, int k, int n)
{
    int u = n * (n + 1) / 2, c = u / 2;
    if (k < 0 || k > u)
        return 0;
    if (k > c)
        k = u - k;
    if (n == 1)
        return 1.;
    return w[k];
}

/* P(V ≤ x) (lower) or P(V > x), for 1 ≤ n < EXACT_MAX_N; as R's psignrank,
 * including its 0.5 − p + 0.5 complement. */
static double psignrank(double x, int n, int lower)
{
    double w[SIGNRANK_W_MAX];
    double dn = n;
    x = nearbyint(x + 1e-7);
    if (x < 0.0)
        return lower ? 0. : 1.;
    if (x >= dn * (dn + 1) / 2)
        return lower ? 1. : 0.;
    signrank_init(w, n);
    double f = exp(-dn * M_LN2), p = 0;
    if (x <= dn * (dn + 1) / 4) {
        for (int i = 0; i <= x; i++)
            p += signrank_count(w, i, n) * f;
    } else {
        x = dn * (dn + 1) / 2 - x;
        for (int i = 0; i < x; i++)
            p += signrank_count(w, i, n) * f;
        lower = !lower;
    }
    return lower ? p : (0.5 - p + 0.5);
}

/* ---- Wilcoxon signed-rank test, as wilcox.test(post, pre, paired = TRUE)
 * with its defaults (exact = NULL, correct = TRUE, digits.rank = Inf).
 * d holds the m differences post − pre; work has room for 2m doubles and
 * perm for m indices. */
static void wilcoxon(const double *d, size_t m, double *work, size_t *perm,
                     ds_paired_result_t *out)
{
    out->wilcoxon_v = NAN;
    out->p_wilcoxon = NAN;
    out->wilcoxon_z = NAN;
    out->wilcoxon_n = 0;
    out->wilcoxon_exact = 0;
    if (m == 0) /* R: "not enough (non-missing) 'x' observations" */
        return;

    /* zero differences are dropped (R compares with == 0 exactly) */
    double *x = work, *absx = work + m;
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (d[i] != 0)
            x[k++] = d[i];
    int zeroes = k < m;
    for (size_t i = 0; i < k; i++)
        absx[i] = fabs(x[i]);

    /* average ranks of |x| (rank(ties.method = "average")); ties are exact
     * equality, as in R. V sums the ranks of the positive differences. */
    gsl_sort_index(perm, absx, 1, k);
    double v = 0, tie_sum = 0;
    int ties = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j + 1 < k && absx[perm[j + 1]] == absx[perm[i]])
            j++;
        double r = (double)(i + j + 2) / 2; /* mean of the ranks i+1..j+1 */
        double t = (double)(j - i + 1);
        if (j > i) {
            ties = 1;
            tie_sum += t * t * t - t;
        }
        for (size_t l = i; l <= j; l++)
            if (x[perm[l]] > 0)
                v += r;
        i = j + 1;
    }
    out->wilcoxon_v = v;
    out->wilcoxon_n = k;

    double n = (double)k;
    if (k < EXACT_MAX_N && !ties && !zeroes) {
        /* exact two-sided p (k ≥ 1 here since there are no zeroes) */
        double p = v > n * (n + 1) / 4 ? psignrank(v - 1, (int)k, 0)
                                       : psignrank(v, (int)k, 1);
        out->p_wilcoxon = 2 * p < 1 ? 2 * p : 1;
        out->wilcoxon_exact = 1;
        return;
    }
    /* normal approximation with continuity and tie correction; with every
     * difference zero, sigma = 0 and z (hence p) is NaN, as in R */
    double z = v - n * (n + 1) / 4;
    double sigma = sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_sum / 48);
    double corr = z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
    z = (z - corr) / sigma;
    out->wilcoxon_z = z;
    if (isnan(z))
        return;
    double lo = gsl_cdf_ugaussian_P(z), hi = gsl_cdf_ugaussian_Q(z);
    out->p_wilcoxon = 2 * (lo < hi ? lo : hi);
}

/* ---- paired t-test and effect sizes, as t.test(post, pre, paired = TRUE) */
static void t_test(const double *a, const double *b, const double *d,
                   size_t m, double conf_level, ds_paired_result_t *out)
{
    out->mean_pre = out->mean_post = out->mean_diff = NAN;
    out->sd_pre = out->sd_post = out->sd_diff = NAN;
    out->ci_low = out->ci_high = NAN;
    out->t = out->df = out->p_t = NAN;
    out->d_z = out->d_av = out->hedges_g = NAN;
    if (m == 0)
        return;
    out->mean_pre = gsl_stats_mean(a, 1, m);
    out->mean_post = gsl_stats_mean(b, 1, m);
    /* the mean of the differences (R's estimate), which may differ from
     * mean_post − mean_pre in the last bits */
    out->mean_diff = gsl_stats_mean(d, 1, m);
    if (m < 2) /* R: "not enough 'x' observations" */
        return;
    out->sd_pre = gsl_stats_sd_m(a, 1, m, out->mean_pre);
    out->sd_post = gsl_stats_sd_m(b, 1, m, out->mean_post);
    double var_diff = gsl_stats_variance_m(d, 1, m, out->mean_diff);
    out->sd_diff = sqrt(var_diff);

    /* d_av: Cumming (2012); Lakens (2013) */
    double nm = (double)m, mean = out->mean_diff;
    double s_av = (out->sd_pre + out->sd_post) / 2;
    if (s_av > 0)
        out->d_av = mean / s_av;
    /* Hedges' g_av = d_av × J with Hedges' (1981) approximate small-sample
     * correction J = 1 − 3/(4 df − 1) (Borenstein et al. 2009, p. 27) at
     * the df of the paired test, n − 1 (Lakens 2013 recommends g_av for
     * within-subject designs). For n = 2 (df = 1) J = 0 and the bias of d
     * is unbounded, so g is left NaN. */
    if (m >= 3)
        out->hedges_g = out->d_av * (1 - 3 / (4 * (nm - 1) - 1));

    double se = sqrt(var_diff / nm); /* R: sqrt(var(x) / n) */
    /* R stops with "data are essentially constant" here */
    if (se < 10 * DBL_EPSILON * fabs(mean))
        return;
    out->df = nm - 1;
    /* with se = 0 and mean 0 R goes on and gets 0/0 = NaN everywhere */
    out->t = mean / se;
    if (isnan(out->t))
        return;
    out->p_t = 2 * gsl_cdf_tdist_Q(fabs(out->t), out->df);
    double q = gsl_cdf_tdist_Qinv((1 - conf_level) / 2, out->df);
    out->ci_low = (out->t - q) * se;
    out->ci_high = (out->t + q) * se;
    /* d_z: Cohen (1988); Lakens (2013); defined when t is */
    out->d_z = mean / out->sd_diff;
}

int ds_paired_test(const double *pre, const double *post, size_t n,
                   const ds_paired_opts_t *o, ds_paired_result_t *out,
                   ds_error_t *err)
{
    double *buf = NULL;
    size_t *perm = NULL;
    int rc = DS_OK;
    ds_paired_opts_t def;
    if (!o) {
        ds_paired_opts_init(&def);
        o = &def;
    }
    if (!out || (n > 0 && (!pre || !post)))
        return ds_error_set(err, DS_EUSAGE, "paired test: no data given");
    if (!(o->conf_level > 0 && o->conf_level < 1))
        return ds_error_set(err, DS_EUSAGE,
                            "paired test: confidence level %g is not "
                            "between 0 and 1", o->conf_level);
    memset(out, 0, sizeof *out);
    out->conf_level = o->conf_level;

    /* a: pre, b: post, d: post − pre over the usable pairs; work: 2n */
    size_t cap = n > 0 ? n : 1;
    buf = malloc(5 * cap * sizeof *buf);
    perm = malloc(cap * sizeof *perm);
    if (!buf || !perm) {
        rc = ds_error_set(err, DS_ENOMEM, "paired test: out of memory "
                          "for %zu pairs", n);
        goto fail;
    }
    double *a = buf, *b = buf + cap, *d = buf + 2 * cap, *work = buf + 3 * cap;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ds_paired_usable(pre[i], post[i]))
            continue;
        a[m] = pre[i];
        b[m] = post[i];
        d[m] = post[i] - pre[i];
        m++;
    }
    out->n_pairs = m;
    out->n_excluded = n - m;
    t_test(a, b, d, m, o->conf_level, out);
    wilcoxon(d, m, work, perm, out);

fail:
    free(buf);
    free(perm);
    return rc;
}

int ds_rci_class(double rci, int direction)
{
    if (isnan(rci))
        return DS_RCI_UNDEFINED;
    if (!(fabs(rci) > DS_RCI_CRITICAL))
        return DS_RCI_UNCHANGED;
    return (rci > 0) == (direction > 0) ? DS_RCI_IMPROVED
                                        : DS_RCI_DETERIORATED;
}

int ds_rci(const double *pre, const double *post, size_t n, double sd_pre,
           double r, double *rci_out, size_t *n_improved,
           size_t *n_unchanged, size_t *n_deteriorated, int direction,
           ds_error_t *err)
{
    if (n > 0 && (!pre || !post || !rci_out))
        return ds_error_set(err, DS_EUSAGE, "reliable change: no data");
    if (!(r >= 0 && r < 1))
        return ds_error_set(err, DS_EUSAGE, "reliable change: reliability "
                            "%g is not in [0, 1)", r);
    if (sd_pre < 0 || isinf(sd_pre))
        return ds_error_set(err, DS_EUSAGE, "reliable change: pre-test SD "
                            "%g is not a non-negative number", sd_pre);
    if (direction != DS_RCI_HIGHER_BETTER && direction != DS_RCI_LOWER_BETTER)
        return ds_error_set(err, DS_EUSAGE, "reliable change: direction %d "
                            "is neither +1 nor -1", direction);
    /* Jacobson & Truax (1991): SE = s1 sqrt(1 − r_xx), S_diff = sqrt(2 SE²) */
    double se_diff = sqrt(2.0) * sd_pre * sqrt(1 - r);
    size_t up = 0, same = 0, down = 0;
    for (size_t i = 0; i < n; i++) {
        double x = NAN;
        if (se_diff > 0 && ds_paired_usable(pre[i], post[i]))
            x = (post[i] - pre[i]) / se_diff;
        rci_out[i] = x;
        switch (ds_rci_class(x, direction)) {
        case DS_RCI_IMPROVED: up++; break;
        case DS_RCI_UNCHANGED: same++; break;
        case DS_RCI_DETERIORATED: down++; break;
        default: break;
        }
    }
    if (n_improved)
        *n_improved = up;
    if (n_unchanged)
        *n_unchanged = same;
    if (n_deteriorated)
        *n_deteriorated = down;
    return DS_OK;
}
