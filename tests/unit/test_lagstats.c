/*
 * Unit tests of lagstats.c and summary.c (SPEC 4.1, 4.2, 4.5); the
 * permutation streams are in test_permute.c.
 *
 *  1. the published O'Connor (1999) example (datasets/published/);
 *  2. small tables computed by hand;
 *  3. random tables cross-checked against base R at test time
 *     (tests/r/lagtables.R: chisq.test, loglin, glm);
 *  4. edge cases with their documented results;
 *  5. between-session summaries cross-checked against R's t.test
 *     (tests/r/summary.R).
 * Run from the repository root (make check does).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "dyadseq/lagstats.h"
#include "dyadseq/summary.h"
#include "dyadseq/twobytwo.h"
#include "unit.h"

/* ---------------------------------------------------------------------
 * helpers
 * ------------------------------------------------------------------- */

/* Count, with state frequencies, and compute the lag-`lag` table of one
 * sequence. */
static int table_of(ds_lag_table_t *t, const uint16_t *x, size_t n,
                    size_t lag, const uint8_t *zero, const ds_lag_opts_t *o,
                    ds_lag_workspace_t *w, ds_error_t *err)
{
    int64_t freq[256] = {0};
    ds_lag_table_reset(t);
    ds_lag_count(x, n, lag, t->K, t->counts);
    ds_lag_state_freq(x, n, t->K, freq);
    return ds_lag_table_compute(t, freq, (int64_t)n, zero, o, w, err);
}

/* Every statistic of t NaN? */
static int all_nan(const ds_lag_table_t *t)
{
    size_t kk = t->K * t->K;
    for (size_t c = 0; c < 10 * kk; c++)
        if (!isnan(t->expected[c]))
            return 0;
    return isnan(t->g2) && isnan(t->x2) && isnan(t->df) && isnan(t->g2_p);
}

/* Run "Rscript SCRIPT IN OUT"; 0 on success. */
static int run_r(const char *script, const char *in, const char *out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "Rscript --vanilla %s %s %s 2>&1", script, in,
             out);
    int rc = system(cmd);
    return rc;
}

/* ---------------------------------------------------------------------
 * 1. O'Connor (1999), Appendix A: Gottman & Roy (1990, p. 78) sequence
 * ------------------------------------------------------------------- */

static void test_oconnor(void)
{
    const char *path = "datasets/published/oconnor1999_sequence.txt";
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open datasets/published/oconnor1999_sequence.txt");
    if (!f)
        return;
    uint16_t x[1000];
    size_t n = 0;
    char line[256];
    int ok = 1;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        int code = atoi(line);
        ok &= code >= 1 && code <= 6 && n < 1000;
        if (ok)
            x[n++] = (uint16_t)(code - 1); /* codes 1..6 → states 0..5 */
    }
    fclose(f);
    CHECK(ok, "codes are 1..6");
    CHECK_INT(n, 393, "393 events");

    ds_lag_table_t *t = ds_lag_table_alloc(6);
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(6);
    ds_error_t err;
    CHECK_INT(table_of(t, x, n, 1, NULL, NULL, w, &err), DS_OK, "compute");
    int64_t sum = 0;
    for (size_t c = 0; c < 36; c++)
        sum += t->counts[c];
    CHECK_INT(sum, 392, "392 lag-1 pairs");
    /* published values (O'Connor 1999, worked example): G² = 202.5009,
     * df 25; code 2 → 5: adjusted residual 6.712, Yule's Q 0.650,
     * Wampold's kappa 0.3632, its z 6.726 */
    size_t c25 = 1 * 6 + 4;
    CHECK_NEAR(t->g2, 202.5009, 0.5e-4, "O'Connor G² = 202.5009");
    CHECK_NEAR(t->df, 25, 0, "O'Connor df = 25");
    CHECK_NEAR(t->adjusted_residual[c25], 6.712, 0.5e-3,
               "O'Connor adjusted residual 2→5 = 6.712");
    CHECK_NEAR(t->yules_q[c25], 0.650, 0.5e-3, "O'Connor Yule's Q 2→5");
    CHECK_NEAR(t->wampold_kappa[c25], 0.3632, 0.5e-4,
               "O'Connor Wampold kappa 2→5 = 0.3632");
    CHECK_NEAR(t->wampold_z[c25], 6.726, 0.5e-3,
               "O'Connor Wampold z 2→5 = 6.726");
    CHECK(t->g2_p < 1e-20, "G² p-value tiny");
    ds_lag_table_free(t);
    ds_lag_workspace_free(w);
}

/* ---------------------------------------------------------------------
 * 2. small tables by hand
 * ------------------------------------------------------------------- */

static void test_hand(void)
{
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(4);
    ds_lag_table_t *t = ds_lag_table_alloc(2);
    ds_error_t err;

    /* f = [[10, 20], [5, 65]]: R = (30, 70), C = (15, 85), N = 100,
     * e = [[4.5, 25.5], [10.5, 59.5]]; every |z| = 5.5 /
     * sqrt(4.5 · 0.7 · 0.85) (a 2×2 table has one residual up to sign) */
    int64_t f1[4] = {10, 20, 5, 65};
    memcpy(t->counts, f1, sizeof f1);
    CHECK_INT(ds_lag_table_compute(t, NULL, 0, NULL, NULL, w, &err), DS_OK,
              "2×2 compute");
    CHECK_NEAR(t->expected[0], 4.5, 1e-13, "e11 = 30·15/100");
    CHECK_NEAR(t->expected[1], 25.5, 1e-13, "e12 = 30·85/100");
    CHECK_NEAR(t->expected[2], 10.5, 1e-13, "e21 = 70·15/100");
    CHECK_NEAR(t->expected[3], 59.5, 1e-13, "e22 = 70·85/100");
    double zz = 5.5 / sqrt(4.5 * 0.7 * 0.85);
    CHECK_NEAR(t->adjusted_residual[0], zz, 1e-12, "z11");
    CHECK_NEAR(t->adjusted_residual[1], -zz, 1e-12, "z12 = -z11");
    CHECK_NEAR(t->adjusted_residual[3], zz, 1e-12, "z22 = z11");
    CHECK_NEAR(t->p_value[0], 2 * 0.5 * erfc(zz / sqrt(2)), 1e-14,
               "two-sided p of z11");
    CHECK_NEAR(t->transition_prob[1], 20.0 / 30, 1e-15, "p12 = 20/30");
    CHECK_NEAR(t->transition_prob[2], 5.0 / 70, 1e-15, "p21 = 5/70");
    /* Q11: a=10 b=20 c=5 d=65 → (650 − 100)/750; Q12: a=20 b=10 c=65 d=5
     * → (100 − 650)/750 */
    CHECK_NEAR(t->yules_q[0], 550.0 / 750, 1e-15, "Q11");
    CHECK_NEAR(t->yules_q[1], -550.0 / 750, 1e-15, "Q12");
    CHECK_NEAR(t->log_odds_ratio[0], log(6.5), 1e-14, "log odds 11");
    double x2 = 5.5 * 5.5 * (1 / 4.5 + 1 / 25.5 + 1 / 10.5 + 1 / 59.5);
    double g2 = 2 * (10 * log(10 / 4.5) + 20 * log(20 / 25.5)
                     + 5 * log(5 / 10.5) + 65 * log(65 / 59.5));
    CHECK_NEAR(t->x2, x2, 1e-11, "X² by hand");
    CHECK_NEAR(t->g2, g2, 1e-11, "G² by hand");
    CHECK_NEAR(t->df, 1, 0, "df = 1");
    CHECK_NEAR(t->x2, zz * zz, 1e-11, "2×2: X² = z²");
    CHECK_NEAR(t->g2_p, erfc(sqrt(g2 / 2)), 1e-14,
               "p of G² on 1 df = erfc(sqrt(G²/2))");
    CHECK(isnan(t->wampold_kappa[0]), "no freq: Wampold NaN");

    /* sequence 0 1 0 1 1 0 (n = 6, n0 = n1 = 3): pairs 01 10 01 11 10,
     * f = [[0, 2], [2, 1]], R = (2, 3), C = (2, 3), N = 5,
     * e = [[0.8, 1.2], [1.2, 1.8]]; z00 = −0.8 / sqrt(0.8 · 0.6 · 0.6).
     * Wampold: e' = 3·3/6 = 1.5 in every cell; κ01 = (2 − 1.5)/(3 − 1.5)
     * = 1/3, κ00 = (0 − 1.5)/1.5 = −1, κ11 = −1/3;
     * var = 3·3·3·3/(36·5) = 0.45, z01 = 0.5/sqrt(0.45). */
    uint16_t s1[] = {0, 1, 0, 1, 1, 0};
    CHECK_INT(table_of(t, s1, 6, 1, NULL, NULL, w, &err), DS_OK, "seq");
    CHECK_INT(t->counts[1], 2, "f01 = 2");
    CHECK_NEAR(t->expected[0], 0.8, 1e-15, "e00 = 0.8");
    CHECK_NEAR(t->adjusted_residual[0], -0.8 / sqrt(0.8 * 0.36), 1e-13,
               "z00 by hand");
    CHECK_NEAR(t->wampold_kappa[1], 1.0 / 3, 1e-15, "κ01 = 1/3");
    CHECK_NEAR(t->wampold_kappa[0], -1, 1e-15, "κ00 = −1");
    CHECK_NEAR(t->wampold_kappa[3], -1.0 / 3, 1e-15, "κ11 = −1/3");
    CHECK_NEAR(t->wampold_z[1], 0.5 / sqrt(0.45), 1e-14, "z01 Wampold");
    CHECK_NEAR(t->wampold_z[0], -1.5 / sqrt(0.45), 1e-14, "z00 Wampold");
    /* Q00: a=0 b=2 c=2 d=1 → Q = −1, SEs and log odds NaN */
    CHECK_NEAR(t->yules_q[0], -1, 0, "Q00 = −1 (zero cell)");
    CHECK(isnan(t->yules_q_se[0]) && isnan(t->log_odds_ratio[0])
              && isnan(t->log_odds_ratio_se[0]),
          "zero cell: SE(Q), log odds and its SE NaN");
    CHECK_NEAR(t->g2, 2 * (2 * log(2 / 1.2) * 2 + log(1 / 1.8)), 1e-13,
               "G² skips f = 0");
    /* with 0.5: a=.5 b=2.5 c=2.5 d=1.5 → Q = (0.75 − 6.25)/7 */
    ds_lag_opts_t o;
    ds_lag_opts_init(&o);
    o.zero_correction = 0.5;
    CHECK_INT(table_of(t, s1, 6, 1, NULL, &o, w, &err), DS_OK, "0.5");
    CHECK_NEAR(t->yules_q[0], -5.5 / 7, 1e-15, "Q00 with 0.5 correction");
    CHECK_NEAR(t->log_odds_ratio[0], log(0.75 / 6.25), 1e-14,
               "log odds with 0.5 correction");
    CHECK_NEAR(t->adjusted_residual[0], -0.8 / sqrt(0.8 * 0.36), 1e-13,
               "correction leaves the residual alone");
    ds_lag_table_free(t);

    /* Quasi-independence, 3×3, diagonal structural. Counts f_ij = a_i b_j
     * (i ≠ j) with a = (1, 2, 3), b = (1, 2, 4) satisfy the model exactly,
     * so IPF must return them: e = f, z = 0, G² = X² = 0;
     * df = (3−1)(3−1) − 3 = 1. */
    t = ds_lag_table_alloc(3);
    uint8_t diag3[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    int64_t f3[9] = {0, 2, 4, 2, 0, 8, 3, 6, 0};
    memcpy(t->counts, f3, sizeof f3);
    CHECK_INT(ds_lag_table_compute(t, NULL, 0, diag3, NULL, w, &err), DS_OK,
              "quasi-independence compute");
    double maxd = 0, maxz = 0;
    for (size_t c = 0; c < 9; c++) {
        if (diag3[c])
            continue;
        maxd = fmax(maxd, fabs(t->expected[c] - (double)f3[c]));
        maxz = fmax(maxz, fabs(t->adjusted_residual[c]));
    }
    CHECK(maxd < 1e-9, "IPF reproduces a quasi-independent table");
    CHECK(maxz < 1e-8, "its residuals are 0");
    CHECK_NEAR(t->df, 1, 0, "df = 4 − 3 = 1");
    CHECK(t->g2 < 1e-12 && t->x2 < 1e-12, "G² = X² = 0");
    CHECK(isnan(t->expected[0]) && isnan(t->adjusted_residual[4])
              && isnan(t->yules_q[8]) && isnan(t->transition_prob[0]),
          "structural cells NaN");
    CHECK(isnan(t->g2_p) == 0, "G² p defined on 1 df");

    /* With df = 1 the Pearson residual vector spans the one-dimensional
     * residual space u, and 1 − h_c = u_c², so every standardized
     * residual has |z| = sqrt(X²) (a property of the leverages, not of
     * IPF). */
    int64_t f4[9] = {0, 7, 3, 2, 0, 9, 5, 4, 0};
    memcpy(t->counts, f4, sizeof f4);
    CHECK_INT(ds_lag_table_compute(t, NULL, 0, diag3, NULL, w, &err), DS_OK,
              "3×3 diagonal compute");
    double dev = 0;
    for (size_t c = 0; c < 9; c++)
        if (!diag3[c])
            dev = fmax(dev, fabs(fabs(t->adjusted_residual[c])
                                 - sqrt(t->x2)));
    CHECK(dev < 1e-8, "df = 1: every |z| equals sqrt(X²)");
    ds_lag_table_free(t);
    ds_lag_workspace_free(w);
}

/* ---------------------------------------------------------------------
 * 3. random tables against base R
 * ------------------------------------------------------------------- */

enum { MAXK = 8, NKIND = 9, NTAB = 18 };

typedef struct rtab {
    size_t K;
    int has_mask;
    size_t lone; /* kind 8: the row with one allowed cell */
    int64_t f[MAXK * MAXK];
    uint8_t zero[MAXK * MAXK];
} rtab_t;

/* Table kinds: 0 plain, 1 zero-margin row and column, 2 diagonal zeros,
 * 3 diagonal zeros and a zero-margin row, 4 arbitrary mask, 5 separable
 * (block-diagonal allowed cells), 6 mask with no zeros, 7 large counts,
 * 8 diagonal zeros and a row whose only allowed cell is column 0 (that
 * cell is fitted exactly: leverage 1, residual NaN). */
static void make_table(gsl_rng *r, int kind, rtab_t *t)
{
    t->K = 3 + gsl_rng_uniform_int(r, MAXK - 2); /* 3..8 */
    if (kind == 5 && t->K < 4)
        t->K = 4;
    size_t K = t->K;
    t->has_mask = kind >= 2 && kind != 7;
    size_t lone = gsl_rng_uniform_int(r, K - 1) + 1;
    t->lone = kind == 8 ? lone : (size_t)-1;
    double scale = kind == 7 ? 2000 : 3 + 10 * gsl_rng_uniform(r);
    double a[MAXK], b[MAXK];
    for (size_t i = 0; i < K; i++) {
        a[i] = 0.5 + gsl_rng_uniform(r);
        b[i] = 0.5 + gsl_rng_uniform(r);
    }
    for (size_t i = 0; i < K; i++) {
        for (size_t j = 0; j < K; j++) {
            size_t c = i * K + j;
            double mean = scale * a[i] * b[j];
            if ((i + 1) % K == j)
                mean *= 2.5; /* some sequential structure */
            t->zero[c] = 0;
            if (kind == 2 || kind == 3 || kind == 8)
                t->zero[c] = i == j;
            if (kind == 8 && i == lone)
                t->zero[c] = j != 0;
            if (kind == 4)
                t->zero[c] = gsl_rng_uniform(r) < 0.2;
            if (kind == 5)
                t->zero[c] = (i < K / 2) != (j < K / 2);
            t->f[c] = t->zero[c] ? 0 : (int64_t)gsl_ran_poisson(r, mean) + 1;
        }
    }
    if (kind == 1 || kind == 3) {
        size_t zi = gsl_rng_uniform_int(r, K);
        for (size_t j = 0; j < K; j++)
            t->f[zi * K + j] = 0;
    }
    if (kind == 1) {
        size_t zj = gsl_rng_uniform_int(r, K);
        for (size_t i = 0; i < K; i++)
            t->f[i * K + zj] = 0;
    }
}

/* Read a line "NAME v1 v2 ..." of n values into v. */
static int read_values(FILE *f, const char *name, double *v, size_t n)
{
    char word[64];
    if (fscanf(f, "%63s", word) != 1 || strcmp(word, name) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (fscanf(f, "%63s", word) != 1)
            return -1;
        char *end;
        v[i] = strtod(word, &end);
        if (*end)
            return -1;
    }
    return 0;
}

/* A table with structural zeros: the differences from R are those of the
 * 1e-10 IPF tolerance; at 1e-13 the fit must agree to 1e-11. e and z are
 * R's expected values and residuals. */
static void check_tight_ipf(int k, const ds_lag_table_t *t,
                            const uint8_t *zero, const double *e,
                            const double *z, ds_lag_workspace_t *w)
{
    size_t K = t->K, kk = K * K;
    ds_error_t err;
    ds_lag_opts_t tight;
    ds_lag_opts_init(&tight);
    tight.ipf_tol = 1e-13;
    double et[MAXK * MAXK], zt[MAXK * MAXK];
    int rc = ds_lag_residuals(t->counts, K, zero, &tight, w, et, zt, &err);
    double dt = rc ? INFINITY : 0, dtz = dt;
    for (size_t c = 0; c < kk && !rc; c++) {
        if (!isnan(e[c]))
            dt = fmax(dt, fabs(et[c] - e[c]) / fmax(1, e[c]));
        if (!isnan(z[c]) && !isnan(zt[c]))
            dtz = fmax(dtz, fabs(zt[c] - z[c]));
    }
    UNIT_REPORT(dt < 1e-11 && dtz < 1e-10, "table %d: IPF to 1e-13 "
                "= R to %.3g (expected), %.3g (z)", k, dt, dtz);
}

/* A table without structural zeros: the K×K Haberman residual of a cell
 * is the adjusted residual of its 2×2 collapse. */
static void check_no_zeros(int k, const ds_lag_table_t *t,
                           ds_lag_workspace_t *w)
{
    size_t K = t->K, kk = K * K;
    ds_error_t err;
    double d2 = 0;
    for (size_t c = 0; c < kk; c++) {
        size_t i = c / K, j = c % K;
        double R = 0, C = 0, N = 0, a = (double)t->counts[c];
        for (size_t l = 0; l < K; l++) {
            R += (double)t->counts[i * K + l];
            C += (double)t->counts[l * K + j];
        }
        for (size_t l = 0; l < kk; l++)
            N += (double)t->counts[l];
        ds_2x2_t s;
        ds_2x2_stats(a, R - a, C - a, N - R - C + a, 0, &s);
        if (isnan(s.adjusted_residual) != isnan(t->adjusted_residual[c]))
            d2 = INFINITY;
        else if (!isnan(s.adjusted_residual))
            d2 = fmax(d2, fabs(s.adjusted_residual
                               - t->adjusted_residual[c]));
    }
    UNIT_REPORT(d2 < 1e-12, "table %d: K×K residual = 2×2 residual "
                "(max diff %.3g)", k, d2);
    /* and a mask with no structural zero (IPF and leverage path) gives
     * the closed form */
    uint8_t none[MAXK * MAXK] = {0};
    double ez[MAXK * MAXK], zz[MAXK * MAXK];
    int rc = ds_lag_residuals(t->counts, K, none, NULL, w, ez, zz, &err);
    double dq = rc ? INFINITY : 0;
    for (size_t c = 0; c < kk && !rc; c++) {
        if (isnan(zz[c]) != isnan(t->adjusted_residual[c]))
            dq = INFINITY;
        else if (!isnan(zz[c]))
            dq = fmax(dq, fabs(zz[c] - t->adjusted_residual[c]));
        dq = fmax(dq, fabs(ez[c] - t->expected[c]));
    }
    UNIT_REPORT(dq < 1e-9, "table %d: empty mask (IPF + leverage) "
                "= closed form (max diff %.3g)", k, dq);
}

static void test_against_r(void)
{
    if (!unit_have_r()) {
        SKIP("lag tables against tests/r/lagtables.R", "Rscript not installed");
        return;
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20240607);
    rtab_t tabs[NTAB];
    for (int k = 0; k < NTAB; k++)
        make_table(r, k % NKIND, &tabs[k]);
    gsl_rng_free(r);

    char in[] = "/tmp/dyadseq-lagR-in.XXXXXX";
    char out[] = "/tmp/dyadseq-lagR-out.XXXXXX";
    int fd1 = mkstemp(in), fd2 = mkstemp(out);
    CHECK(fd1 >= 0 && fd2 >= 0, "temporary files");
    if (fd1 < 0 || fd2 < 0)
        return;
    close(fd2);
    FILE *f = fdopen(fd1, "w");
    for (int k = 0; k < NTAB; k++) {
        size_t K = tabs[k].K;
        fprintf(f, "table %zu %d\n", K, tabs[k].has_mask);
        for (size_t i = 0; i < K; i++)
            for (size_t j = 0; j < K; j++)
                fprintf(f, "%lld%c", (long long)tabs[k].f[i * K + j],
                        j + 1 < K ? ' ' : '\n');
        for (size_t i = 0; i < K; i++)
            for (size_t j = 0; j < K; j++)
                fprintf(f, "%d%c", tabs[k].zero[i * K + j],
                        j + 1 < K ? ' ' : '\n');
    }
    CHECK(fclose(f) == 0, "write R input");

    int rc = run_r("tests/r/lagtables.R", in, out);
    CHECK_INT(rc, 0, "Rscript tests/r/lagtables.R ran");
    FILE *g = fopen(out, "r");
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(MAXK);
    for (int k = 0; g && rc == 0 && k < NTAB; k++) {
        size_t K = tabs[k].K, kk = K * K;
        double e[MAXK * MAXK], z[MAXK * MAXK], h[MAXK * MAXK], x2, g2, df;
        char word[64];
        int idx = -1;
        int ok = fscanf(g, "%63s %d", word, &idx) == 2 && idx == k;
        ok = ok && read_values(g, "expected", e, kk) == 0
             && read_values(g, "z", z, kk) == 0
             && read_values(g, "hat", h, kk) == 0
             && read_values(g, "x2", &x2, 1) == 0
             && read_values(g, "g2", &g2, 1) == 0
             && read_values(g, "df", &df, 1) == 0;
        CHECK(ok, "parse R output");
        if (!ok)
            break;

        ds_lag_table_t *t = ds_lag_table_alloc(K);
        memcpy(t->counts, tabs[k].f, kk * sizeof *t->counts);
        ds_error_t err;
        const uint8_t *zero = tabs[k].has_mask ? tabs[k].zero : NULL;
        rc = ds_lag_table_compute(t, NULL, 0, zero, NULL, w, &err);
        UNIT_REPORT(rc == DS_OK, "table %d (kind %d, K %zu) computes%s%s", k,
                    k % NKIND, K, rc ? ": " : "", rc ? err.msg : "");
        double de = 0, dz = 0;
        int nan_ok = 1;
        for (size_t c = 0; c < kk; c++) {
            if (isnan(e[c]) != isnan(t->expected[c]))
                nan_ok = 0;
            else if (!isnan(e[c]))
                de = fmax(de, fabs(t->expected[c] - e[c]) / fmax(1, e[c]));
            /* a cell the model fits exactly (h = 1) has no residual */
            double want = !isnan(h[c]) && h[c] > 1 - 1e-8 ? NAN : z[c];
            if (isnan(want) != isnan(t->adjusted_residual[c]))
                nan_ok = 0;
            else if (!isnan(want))
                dz = fmax(dz, fabs(t->adjusted_residual[c] - want));
        }
        UNIT_REPORT(de < 1e-8, "table %d: expected = R (max rel diff %.3g)",
                    k, de);
        UNIT_REPORT(dz < 1e-8, "table %d: adjusted residuals = R (max diff "
                    "%.3g)", k, dz);
        UNIT_REPORT(nan_ok, "table %d: NaN in the same cells as R", k);
        if (tabs[k].lone != (size_t)-1)
            UNIT_REPORT(isnan(t->adjusted_residual[tabs[k].lone * K])
                            && h[tabs[k].lone * K] > 1 - 1e-8,
                        "table %d: lone cell has leverage 1 in R and a NaN "
                        "residual", k);
        CHECK_NEAR(t->x2, x2, 1e-8 * fmax(1, x2), "X² = R");
        CHECK_NEAR(t->g2, g2, 1e-8 * fmax(1, g2), "G² = R glm deviance");
        CHECK_NEAR(t->df, df, 0, "df = R");

        if (zero)
            check_tight_ipf(k, t, zero, e, z, w);
        else
            check_no_zeros(k, t, w);
        ds_lag_table_free(t);
        rc = DS_OK;
    }
    if (g)
        fclose(g);
    ds_lag_workspace_free(w);
    unlink(in);
    unlink(out);
}

/* ---------------------------------------------------------------------
 * 4. edge cases
 * ------------------------------------------------------------------- */

/* Tables of 4 states with no pairs, an absent state, every pair in one
 * cell, counts in structural zeros, an MLE on the boundary. */
static void test_edges_small(ds_lag_workspace_t *w)
{
    ds_lag_table_t *t = ds_lag_table_alloc(4);
    ds_error_t err;

    /* one event: no pairs, N = 0 → everything NaN, df NaN */
    uint16_t one[] = {2};
    CHECK_INT(table_of(t, one, 1, 1, NULL, NULL, w, &err), DS_OK,
              "one event computes");
    CHECK(all_nan(t), "one event: every statistic NaN (df too)");
    uint8_t diag4[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    CHECK_INT(table_of(t, one, 1, 1, diag4, NULL, w, &err), DS_OK,
              "one event, structural zeros");
    CHECK(all_nan(t), "... every statistic NaN");
    uint16_t two[] = {1, 3};
    CHECK_INT(table_of(t, two, 2, 2, NULL, NULL, w, &err), DS_OK,
              "n = lag: no pairs");
    CHECK(all_nan(t), "n = lag: every statistic NaN");

    /* a state (3) that never occurs: its row and column are outside the
     * model; expected 0, residual, probability, Q, kappa NaN */
    uint16_t s3[] = {0, 1, 2, 0, 2, 1, 1, 0, 2, 2, 0, 1, 0};
    CHECK_INT(table_of(t, s3, 13, 1, NULL, NULL, w, &err), DS_OK,
              "absent state computes");
    int ok = 1;
    for (size_t l = 0; l < 4; l++) {
        size_t rc3 = 3 * 4 + l, cc3 = l * 4 + 3;
        ok &= t->expected[rc3] == 0 && t->expected[cc3] == 0;
        ok &= isnan(t->adjusted_residual[rc3]) && isnan(t->p_value[cc3]);
        ok &= isnan(t->transition_prob[rc3]) && isnan(t->yules_q[rc3])
              && isnan(t->yules_q[cc3]) && isnan(t->wampold_kappa[cc3])
              && isnan(t->wampold_z[rc3]);
    }
    CHECK(ok, "absent state: e = 0, everything else NaN");
    CHECK(t->transition_prob[0 * 4 + 3] == 0,
          "p(0→3) = 0 (row 0 occurs, 3 never follows)");
    CHECK_NEAR(t->df, 4, 0, "absent state: df = (3−1)(3−1)");
    ok = 1;
    for (size_t c = 0; c < 16; c++)
        ok &= c / 4 == 3 || c % 4 == 3 || !isnan(t->adjusted_residual[c]);
    CHECK(ok, "other residuals defined");
    ds_lag_opts_t o05;
    ds_lag_opts_init(&o05);
    o05.zero_correction = 0.5;
    CHECK_INT(table_of(t, s3, 13, 1, NULL, &o05, w, &err), DS_OK, "0.5");
    CHECK(isnan(t->yules_q[3]) && isnan(t->log_odds_ratio[12]),
          "absent state: Q NaN even with the 0.5 correction");

    /* all pairs in one cell: 2 2 2 2 2 → f22 = 4; r = c = 1, df = 0,
     * G² = X² = 0, p NaN; e22 = 4, z22 = 0/0 NaN; Q22: b=c=d=0 → NaN;
     * Wampold: n2 = n = 5, e' = 5, κ = (4 − 5)/5 = −0.2, z NaN (var 0) */
    uint16_t s5[] = {2, 2, 2, 2, 2};
    CHECK_INT(table_of(t, s5, 5, 1, NULL, NULL, w, &err), DS_OK,
              "one cell computes");
    size_t c22 = 2 * 4 + 2;
    CHECK_NEAR(t->expected[c22], 4, 0, "e22 = 4");
    CHECK(isnan(t->adjusted_residual[c22]) && isnan(t->yules_q[c22]),
          "z22 and Q22 NaN");
    CHECK_NEAR(t->transition_prob[c22], 1, 0, "p22 = 1");
    CHECK_NEAR(t->df, 0, 0, "df = 0");
    CHECK(t->g2 == 0 && t->x2 == 0 && isnan(t->g2_p), "G² = X² = 0, p NaN");
    CHECK_NEAR(t->wampold_kappa[c22], -0.2, 1e-15, "κ22 = −0.2");
    CHECK(isnan(t->wampold_z[c22]), "Wampold z NaN");

    /* a count in a structural-zero cell */
    uint16_t rep[] = {0, 1, 1, 2};
    size_t cell = 99;
    ds_lag_table_reset(t);
    ds_lag_count(rep, 4, 1, 4, t->counts);
    CHECK_INT(ds_lag_check_zeros(t->counts, 4, diag4, &cell, &err), DS_EDATA,
              "repeat in a structural zero: DS_EDATA");
    CHECK_INT(cell, 5, "... at cell 1→1");
    CHECK(strstr(err.msg, "from state 1 to state 1") != NULL,
          "... message names the cell");
    int64_t fq[4] = {1, 2, 1, 0};
    CHECK_INT(ds_lag_table_compute(t, fq, 4, diag4, NULL, w, &err), DS_EDATA,
              "compute refuses it too");
    CHECK(all_nan(t), "... and leaves every statistic NaN");
    CHECK_INT(ds_lag_table_compute(t, fq, 5, NULL, NULL, w, &err), DS_EUSAGE,
              "frequencies not summing to n: DS_EUSAGE");

    /* The maximum-likelihood fit does not exist: 1 0 2 0 1 with diagonal
     * zeros gives f01 = f02 = f10 = f20 = 1, whose margins force
     * mu12 = mu21 = 0; IPF only approaches that boundary → DS_ENUM */
    uint16_t hub[] = {1, 0, 2, 0, 1};
    ds_lag_opts_t o;
    ds_lag_opts_init(&o);
    o.ipf_max_iter = 2000;
    CHECK_INT(table_of(t, hub, 5, 1, diag4, &o, w, &err), DS_ENUM,
              "MLE on the boundary: DS_ENUM");
    CHECK(strstr(err.msg, "did not converge") != NULL, "... says so");
    CHECK(all_nan(t), "... every statistic NaN");
    ds_lag_table_free(t);
}

/* K = 120 (60 codes × 2 actors): 20 000 random events from r, without
 * and with diagonal structural zeros. */
static void test_edges_k120(ds_lag_workspace_t *w, gsl_rng *r)
{
    ds_error_t err;
    size_t K = 120, n = 20000;
    uint16_t *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        /* no immediate repeats, so diagonal structural zeros are valid */
        uint16_t s;
        do
            s = (uint16_t)gsl_rng_uniform_int(r, K);
        while (i > 0 && s == x[i - 1]);
        x[i] = s;
    }
    ds_lag_table_t *t = ds_lag_table_alloc(K);
    CHECK_INT(table_of(t, x, n, 1, NULL, NULL, w, &err), DS_OK, "K = 120");
    double se = 0, maxrow = 0;
    int ok = 1;
    for (size_t i = 0; i < K; i++) {
        double re = 0, rf = 0;
        for (size_t j = 0; j < K; j++) {
            re += t->expected[i * K + j];
            rf += (double)t->counts[i * K + j];
            ok &= isfinite(t->adjusted_residual[i * K + j])
                  && isfinite(t->yules_q[i * K + j]);
        }
        se += re;
        maxrow = fmax(maxrow, fabs(re - rf));
    }
    CHECK_NEAR(se, n - 1, 1e-7, "K = 120: Σ e = N = n − 1");
    CHECK(maxrow < 1e-9, "K = 120: expected rows sum to R_i");
    CHECK(ok, "K = 120: every residual and Q finite");
    CHECK_NEAR(t->df, 119.0 * 119, 0, "K = 120: df = 119²");
    uint8_t *dz = calloc(K * K, 1);
    for (size_t i = 0; i < K; i++)
        dz[i * K + i] = 1;
    CHECK_INT(table_of(t, x, n, 1, dz, NULL, w, &err), DS_OK,
              "K = 120 with diagonal zeros");
    double dmar = 0;
    for (size_t i = 0; i < K; i++) {
        double re = 0, ce = 0, rf = 0, cf = 0;
        for (size_t j = 0; j < K; j++) {
            if (i != j) {
                re += t->expected[i * K + j];
                ce += t->expected[j * K + i];
            }
            rf += (double)t->counts[i * K + j];
            cf += (double)t->counts[j * K + i];
        }
        dmar = fmax(dmar, fmax(fabs(re - rf) / rf, fabs(ce - cf) / cf));
    }
    CHECK(dmar < 1e-10, "K = 120 IPF: margins within 1e-10");
    CHECK_NEAR(t->df, 119.0 * 119 - 120, 0, "df = 119² − 120");
    ok = 1;
    for (size_t c = 0; c < K * K; c++)
        ok &= (c / K == c % K) == isnan(t->adjusted_residual[c]);
    CHECK(ok, "K = 120: residuals NaN exactly on the diagonal");
    /* these data are random, so the quasi-independence model holds: X² on
     * 14041 df should be near its df (G² is not: with 1.4 pairs per cell
     * the table is far too sparse for its chi-square approximation) */
    CHECK(fabs(t->x2 - t->df) < 5 * sqrt(2 * t->df),
          "K = 120: X² within 5 SD of df under the null");
    free(dz);
    ds_lag_table_free(t);
    free(x);
}

/* A session of 10^6 random events from r: counts sum to n − lag. */
static void test_edges_long(ds_lag_workspace_t *w, gsl_rng *r)
{
    ds_error_t err;
    size_t n = 1000000;
    uint16_t *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (uint16_t)gsl_rng_uniform_int(r, 10);
    ds_lag_table_t *t = ds_lag_table_alloc(10);
    for (size_t lag = 1; lag <= 3; lag += 2) {
        CHECK_INT(table_of(t, x, n, lag, NULL, NULL, w, &err), DS_OK,
                  "10^6 events");
        int64_t sum = 0;
        for (size_t c = 0; c < 100; c++)
            sum += t->counts[c];
        UNIT_REPORT(sum == (int64_t)(n - lag),
                    "10^6 events, lag %zu: Σ f = n − lag", lag);
        CHECK(t->g2_p > 1e-4, "10^6 random events: no dependency found");
    }
    ds_lag_table_free(t);
    free(x);
}

static void test_edges(void)
{
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(120);
    test_edges_small(w);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    test_edges_k120(w, r);
    test_edges_long(w, r); /* r goes on where the last left it */
    gsl_rng_free(r);
    ds_lag_workspace_free(w);

    ds_error_t err;
    w = ds_lag_workspace_alloc(3);
    ds_lag_table_t *t = ds_lag_table_alloc(4);
    CHECK_INT(ds_lag_table_compute(t, NULL, 0, NULL, NULL, w, &err),
              DS_EUSAGE, "workspace too small: DS_EUSAGE");
    ds_lag_table_free(t);
    ds_lag_workspace_free(w);
}

/* ---------------------------------------------------------------------
 * 5. between-session summaries against R's t.test
 * ------------------------------------------------------------------- */

/* The SDs of sm, summed four cells at a time, are GSL's sum of squares
 * of each cell's finite values v[.. * C + c] about its mean, to the bit. */
static void check_sd_bits(const ds_summary_t *sm, const double *v, size_t S,
                          size_t C)
{
    int same = 1;
    double *col = malloc(S * sizeof *col);
    for (size_t c = 0; col && c < C; c++) {
        size_t n = 0;
        for (size_t s = 0; s < S; s++)
            if (isfinite(v[s * C + c]))
                col[n++] = v[s * C + c];
        if (n < 2)
            continue;
        double sd = sqrt(gsl_stats_tss_m(col, 1, n, sm->mean[c]) /
                         (double)(n - 1));
        same &= sd == sm->sd[c];
    }
    CHECK(col && same, "SD = sqrt(gsl_stats_tss_m / (n - 1)), to the last "
                       "bit");
    free(col);
}

static void test_summary(void)
{
    /* cells are summarized four at a time (summary.c): columns 0-3 and
     * 12-15 are full groups, 4-7 a group with one defined value in a
     * column, 8-11 one with a column never defined */
    enum { S = 23, C = 16 };
    double v[S * C];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    /* column 9: values whose running mean (gsl_stats_mean) is a unit in
     * the last place away from R's mean(), which sums them (one such
     * vector of column 4's kind found among 2,000 seeds); column 13 the
     * same values, in a full group of four */
    gsl_rng *r9 = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng *r13 = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r9, 345);
    gsl_rng_set(r13, 345);
    for (size_t s = 0; s < S; s++) {
        for (size_t c = 0; c < C; c++) {
            double x = 0.3 * (double)c - 1 + gsl_ran_gaussian(r, 0.5);
            if (gsl_rng_uniform(r) < 0.25)
                x = NAN;
            if (c == 6) /* defined in one session only */
                x = s == 3 ? 0.4 : NAN;
            if (c == 7) /* constant: SD 0 */
                x = s % 2 ? 1 : NAN;
            if (c == 8) /* never defined */
                x = NAN;
            if (c == 9)
                x = 0.3 * 4 - 1 + gsl_ran_gaussian(r9, 0.5);
            if (c == 13)
                x = 0.3 * 4 - 1 + gsl_ran_gaussian(r13, 0.5);
            if (c == 14 && s % 3) /* defined in a third of the sessions */
                x = NAN;
            v[s * C + c] = x;
        }
    }
    gsl_rng_free(r);
    gsl_rng_free(r9);
    gsl_rng_free(r13);

    char in[] = "/tmp/dyadseq-sumR-in.XXXXXX";
    char out[] = "/tmp/dyadseq-sumR-out.XXXXXX";
    int fd1 = mkstemp(in), fd2 = mkstemp(out);
    CHECK(fd1 >= 0 && fd2 >= 0, "temporary files");
    if (fd1 < 0 || fd2 < 0)
        return;
    close(fd2);
    FILE *f = fdopen(fd1, "w");
    fprintf(f, "%d %d\n", S, C);
    for (size_t s = 0; s < S; s++)
        for (size_t c = 0; c < C; c++)
            fprintf(f, "%.17g%c", v[s * C + c], c + 1 < C ? ' ' : '\n');
    CHECK(fclose(f) == 0, "write R input");
    int rc = -1;
    if (unit_have_r()) {
        rc = run_r("tests/r/summary.R", in, out);
        CHECK_INT(rc, 0, "Rscript tests/r/summary.R ran");
    } else {
        SKIP("summaries against tests/r/summary.R", "Rscript not installed");
    }

    ds_summary_t *sm = ds_summary_alloc(C, S);
    ds_error_t err;
    CHECK_INT(ds_summary_compute(sm, v, S, NULL, 0, &err), DS_OK, "summary");
    FILE *g = rc == 0 ? fopen(out, "r") : NULL;
    for (size_t c = 0; g && c < C; c++) {
        double want[5];
        char w[5][64];
        int ok = fscanf(g, "%63s %63s %63s %63s %63s", w[0], w[1], w[2],
                        w[3], w[4]) == 5;
        for (int q = 0; q < 5; q++)
            want[q] = strtod(w[q], NULL);
        CHECK(ok, "parse R output");
        CHECK_INT(sm->n[c], (long long)want[0], "n = R");
        CHECK(sm->mean[c] == want[1] || (isnan(sm->mean[c]) && isnan(want[1])),
              "mean = R's mean(), to the last bit");
        CHECK_NEAR(sm->sd[c], want[2], 1e-13, "sd = R");
        CHECK_NEAR(sm->t[c], want[3], 1e-10 * fmax(1, fabs(want[3])),
                   "t = R t.test");
        CHECK_NEAR(sm->p[c], want[4], 1e-12, "p = R t.test");
    }
    if (g)
        fclose(g);
    CHECK(sm->n[6] == 1 && sm->mean[6] == 0.4 && isnan(sm->sd[6])
              && isnan(sm->t[6]),
          "n = 1: mean defined, SD and t NaN");
    CHECK(sm->sd[7] == 0 && isnan(sm->t[7]) && isnan(sm->p[7]),
          "SD = 0: t and p NaN");
    CHECK(sm->n[8] == 0 && isnan(sm->mean[8]), "n = 0: mean NaN");
    CHECK(sm->n[13] == sm->n[9] && sm->mean[13] == sm->mean[9] &&
              sm->sd[13] == sm->sd[9],
          "a cell summarized in a group of four = the same values alone");
    check_sd_bits(sm, v, S, C);

    /* a selection of sessions equals summarizing the sub-matrix */
    size_t sel[] = {1, 4, 5, 9, 17, 22};
    double sub[6 * C];
    for (size_t k = 0; k < 6; k++)
        memcpy(sub + k * C, v + sel[k] * C, C * sizeof *v);
    ds_summary_t *s2 = ds_summary_alloc(C, S);
    ds_summary_compute(sm, v, S, sel, 6, &err);
    ds_summary_compute(s2, sub, 6, NULL, 0, &err);
    int same = 1;
    for (size_t c = 0; c < C; c++)
        same &= sm->n[c] == s2->n[c]
                && (sm->mean[c] == s2->mean[c]
                    || (isnan(sm->mean[c]) && isnan(s2->mean[c])))
                && (sm->t[c] == s2->t[c]
                    || (isnan(sm->t[c]) && isnan(s2->t[c])));
    CHECK(same, "selected sessions = summary of their rows");
    size_t bad[] = {3, 23};
    CHECK_INT(ds_summary_compute(sm, v, S, bad, 2, &err), DS_EUSAGE,
              "index out of range: DS_EUSAGE");
    ds_summary_free(s2);
    ds_summary_free(sm);
    unlink(in);
    unlink(out);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_oconnor();
    test_hand();
    test_against_r();
    test_edges();
    test_summary();
    return UNIT_DONE();
}
