/*
 * The null check of SPEC 4.1 (issue 12): under structural zeros, the lag-1
 * statistics of sequences without sequential dependency must behave as
 * null statistics.
 *
 * Sessions come from a first-order chain with no dependency beyond the
 * structural zeros: the first code drawn in proportion to fixed weights,
 * every next one in proportion to the weights of the codes allowed after
 * the current one. K = 5; n = 100 and 300 events; 1,000 sessions each
 * (seeded); equal weights and the unequal weights 4:3:2:1:1; the diagonal
 * mask (codes cannot repeat) and a FILE-like mask (the diagonal and two
 * more cells). Required, per configuration:
 *   - the share of |Wampold z| > 1.96 and of |adjusted residual| > 1.96,
 *     over all defined non-structural cells, in [3.5%, 6.5%];
 *   - at n = 300, |mean Yule's Q| <= 0.05;
 * and the exactly balanced sequence (1 2 3 1 3 2)×10, 1 with no repeats
 * gives Q = 0 (and log odds ratio 0, adjusted residual 0) in every
 * non-structural cell and |Wampold z| < 0.5.
 *
 * The check must be able to fail: the statistics as first defined (Q of
 * the plain 2×2 collapse, and Wampold with O'Connor's 1999
 * e' = n_i n_j / (n − n_i) and Wampold's variance) are computed on the same
 * sessions and must fail it (docs/statistics-lag.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "dyadseq/lagstats.h"
#include "dyadseq/twobytwo.h"
#include "unit.h"

enum { K = 5, KK = K * K, NMAX = 300, SESSIONS = 1000 };

/* One session of the no-dependency chain under mask zero. */
static void draw_session(gsl_rng *r, const double *wt, const uint8_t *zero,
                         size_t n, uint16_t *x)
{
    for (size_t t = 0; t < n; t++) {
        double tot = 0;
        for (size_t j = 0; j < K; j++)
            if (t == 0 || !zero[x[t - 1] * K + j])
                tot += wt[j];
        double u = gsl_rng_uniform(r) * tot;
        size_t pick = K;
        for (size_t j = 0; j < K && pick == K; j++) {
            if (t > 0 && zero[x[t - 1] * K + j])
                continue;
            if (u < wt[j])
                pick = j;
            else
                u -= wt[j];
        }
        if (pick == K) /* rounding at the top end: the last allowed */
            for (size_t j = 0; j < K; j++)
                if (t == 0 || !zero[x[t - 1] * K + j])
                    pick = j;
        x[t] = (uint16_t)pick;
    }
}

typedef struct {
    size_t n_wz, rej_wz, n_adj, rej_adj, n_q, n_old_q, n_oc, rej_oc;
    double sum_q, sum_old_q;
} tally_t;

/* Tally one session's lag-1 table. */
static void tally(const ds_lag_table_t *t, const int64_t *freq, size_t n,
                  const uint8_t *zero, double zc, tally_t *a)
{
    size_t N = n - 1;
    for (size_t i = 0; i < K; i++) {
        int64_t R = 0;
        for (size_t j = 0; j < K; j++)
            R += t->counts[i * K + j];
        for (size_t j = 0; j < K; j++) {
            size_t c = i * K + j;
            if (zero[c])
                continue;
            double wz = t->wampold_z[c], z = t->adjusted_residual[c];
            double q = t->yules_q[c];
            if (!isnan(wz)) {
                a->n_wz++;
                a->rej_wz += fabs(wz) > 1.96;
            }
            if (!isnan(z)) {
                a->n_adj++;
                a->rej_adj += fabs(z) > 1.96;
            }
            if (!isnan(q)) {
                a->n_q++;
                a->sum_q += q;
            }
            /* as first defined: Q of the plain 2×2 collapse ... */
            int64_t C = 0;
            for (size_t k = 0; k < K; k++)
                C += t->counts[k * K + j];
            double f = (double)t->counts[c];
            if (R > 0 && C > 0) {
                ds_2x2_t s;
                ds_2x2_stats(f, (double)R - f, (double)C - f,
                             (double)N - (double)R - (double)C + f, zc, &s);
                if (!isnan(s.yules_q)) {
                    a->n_old_q++;
                    a->sum_old_q += s.yules_q;
                }
            }
            /* ... and O'Connor's e' with Wampold's variance (diagonal) */
            double ni = (double)freq[i], nj = (double)freq[j], nn = (double)n;
            double ep = ni * nj / (nn - ni);
            double v = ni * nj * (nn - ni) * (nn - nj) / (nn * nn * (nn - 1));
            if (v > 0) {
                a->n_oc++;
                a->rej_oc += fabs((f - ep) / sqrt(v)) > 1.96;
            }
        }
    }
}

static double share(size_t k, size_t n) { return n ? (double)k / n : NAN; }

/* The check for one configuration; returns the tallies for the contrast
 * checks. */
static tally_t null_check(const char *what, const double *wt,
                          const uint8_t *zero, size_t n, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    ds_lag_table_t *t = ds_lag_table_alloc(K);
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(K);
    uint16_t x[NMAX];
    tally_t a = {0};
    size_t failed = 0;
    for (size_t s = 0; s < SESSIONS; s++) {
        draw_session(r, wt, zero, n, x);
        int64_t freq[K] = {0};
        ds_error_t err;
        ds_lag_table_reset(t);
        ds_lag_count(x, n, 1, K, t->counts);
        ds_lag_state_freq(x, n, K, freq);
        if (ds_lag_table_compute(t, freq, (int64_t)n, zero, NULL, w, &err)) {
            failed++;
            continue;
        }
        tally(t, freq, n, zero, 0, &a);
    }
    double rw = share(a.rej_wz, a.n_wz), ra = share(a.rej_adj, a.n_adj);
    double mq = a.n_q ? a.sum_q / (double)a.n_q : NAN;
    UNIT_REPORT(failed == 0, "%s: all %d tables computed (%zu failed)", what,
                SESSIONS, failed);
    UNIT_REPORT(rw >= 0.035 && rw <= 0.065,
                "%s: |Wampold z| > 1.96 in %.2f%% of %zu cells "
                "(want 3.5-6.5%%)", what, 100 * rw, a.n_wz);
    UNIT_REPORT(ra >= 0.035 && ra <= 0.065,
                "%s: |adjusted residual| > 1.96 in %.2f%% of %zu cells "
                "(want 3.5-6.5%%)", what, 100 * ra, a.n_adj);
    if (n == 300)
        UNIT_REPORT(fabs(mq) <= 0.05, "%s: mean Yule's Q %+.4f over %zu "
                    "cells (want |mean| <= 0.05)", what, mq, a.n_q);
    else
        printf("# %s: mean Yule's Q %+.4f over %zu cells\n", what, mq, a.n_q);
    ds_lag_workspace_free(w);
    ds_lag_table_free(t);
    gsl_rng_free(r);
    return a;
}

static void test_null(void)
{
    static const double equal[K] = {1, 1, 1, 1, 1},
                        unequal[K] = {4, 3, 2, 1, 1};
    uint8_t diag[KK] = {0}, file[KK] = {0};
    for (size_t i = 0; i < K; i++)
        diag[i * K + i] = file[i * K + i] = 1;
    file[0 * K + 1] = file[2 * K + 3] = 1;

    char what[96];
    static const size_t ns[2] = {100, 300};
    tally_t last = {0};
    for (int m = 0; m < 2; m++) {
        for (int wv = 0; wv < 2; wv++) {
            for (int k = 0; k < 2; k++) {
                if (m == 1 && wv == 0)
                    continue; /* FILE mask: unequal weights only */
                snprintf(what, sizeof what, "%s mask, %s weights, n = %zu",
                         m ? "FILE" : "diagonal", wv ? "4:3:2:1:1" : "equal",
                         ns[k]);
                tally_t a = null_check(what, wv ? unequal : equal,
                                       m ? file : diag, ns[k],
                                       1000 + 10 * m + 2 * wv + k);
                if (m == 0 && wv == 1 && k == 1)
                    last = a;
            }
        }
    }

    /* the definitions as first written fail the same check */
    double oq = last.sum_old_q / (double)last.n_old_q;
    UNIT_REPORT(oq > 0.05, "as first defined, Q of the plain 2×2 collapse "
                "fails it (mean %+.4f, diagonal, 4:3:2:1:1, n = 300)", oq);
    double ro = share(last.rej_oc, last.n_oc);
    UNIT_REPORT(ro > 0.065, "O'Connor's e' = n_i n_j/(n - n_i) with "
                "Wampold's variance fails it (%.2f%% rejected)", 100 * ro);
}

static void test_balanced(void)
{
    /* (1 2 3 1 3 2)×10, 1 as states 0..2 */
    static const uint16_t pat[6] = {0, 1, 2, 0, 2, 1};
    uint16_t x[61];
    for (size_t i = 0; i < 60; i++)
        x[i] = pat[i % 6];
    x[60] = 0;
    uint8_t zero[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    ds_lag_table_t *t = ds_lag_table_alloc(3);
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(3);
    int64_t freq[3] = {0};
    ds_error_t err;
    ds_lag_count(x, 61, 1, 3, t->counts);
    ds_lag_state_freq(x, 61, 3, freq);
    CHECK_INT(ds_lag_table_compute(t, freq, 61, zero, NULL, w, &err), DS_OK,
              "balanced sequence: computed");
    double maxq = 0, maxlor = 0, maxz = 0, maxwz = 0;
    int defined = 1;
    for (size_t c = 0; c < 9; c++) {
        if (zero[c])
            continue;
        defined &= !isnan(t->yules_q[c]) && !isnan(t->wampold_z[c]);
        maxq = fmax(maxq, fabs(t->yules_q[c]));
        maxlor = fmax(maxlor, fabs(t->log_odds_ratio[c]));
        maxz = fmax(maxz, fabs(t->adjusted_residual[c]));
        maxwz = fmax(maxwz, fabs(t->wampold_z[c]));
    }
    CHECK(defined, "balanced sequence: Q and Wampold z defined in the six "
                   "non-structural cells");
    CHECK_NEAR(maxq, 0, 1e-9, "balanced sequence: Q = 0 in every "
                              "non-structural cell");
    CHECK_NEAR(maxlor, 0, 1e-9, "balanced sequence: log odds ratio 0");
    CHECK_NEAR(maxz, 0, 1e-9, "balanced sequence: adjusted residuals 0");
    UNIT_REPORT(maxwz < 0.5, "balanced sequence: |Wampold z| <= %.4f < 0.5",
                maxwz);

    /* with --zero-correction 0.5 nothing changes here (no zero cell) */
    ds_lag_opts_t o;
    ds_lag_opts_init(&o);
    o.zero_correction = 0.5;
    ds_lag_table_compute(t, freq, 61, zero, &o, w, &err);
    CHECK_NEAR(t->yules_q[1], 0, 1e-9, "... and with --zero-correction 0.5");
    ds_lag_workspace_free(w);
    ds_lag_table_free(t);
}

/* Wampold's statistics need every present state reachable from every
 * other through allowed transitions; elsewhere they are NaN. */
static void test_not_connected(void)
{
    enum { K6 = 6, KK6 = K6 * K6 };
    /* no repeats, and no transition from {3, 4, 5} back to {0, 1, 2}: a
     * session is a run of 0-2, then a run of 3-5 */
    uint8_t zero[KK6] = {0};
    for (size_t i = 0; i < K6; i++) {
        zero[i * K6 + i] = 1;
        for (size_t j = 0; j < 3; j++)
            zero[i * K6 + j] |= i >= 3;
    }
    static const uint16_t pat[6] = {0, 1, 2, 0, 2, 1};
    uint16_t x[48];
    for (size_t i = 0; i < 24; i++) {
        x[i] = pat[i % 6];
        x[24 + i] = (uint16_t)(3 + pat[(i + 1) % 6]);
    }
    ds_lag_table_t *t = ds_lag_table_alloc(K6);
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(K6);
    int64_t freq[K6] = {0};
    ds_error_t err;
    ds_lag_count(x, 48, 1, K6, t->counts);
    ds_lag_state_freq(x, 48, K6, freq);
    int rc = ds_lag_table_compute(t, freq, 48, zero, NULL, w, &err);
    int nan = 1, q = 0;
    for (size_t c = 0; c < KK6; c++) {
        nan &= isnan(t->wampold_kappa[c]) && isnan(t->wampold_z[c]);
        q += !zero[c] && !isnan(t->yules_q[c]);
    }
    UNIT_REPORT(rc == DS_OK && q > 0, "a mask whose allowed transitions are "
                "not strongly connected: the table is fitted (%d Q values)",
                q);
    CHECK(nan, "... and Wampold's kappa and z are NaN");
    for (size_t i = 3; i < K6; i++) /* only the diagonal: connected */
        for (size_t j = 0; j < 3; j++)
            zero[i * K6 + j] = 0;
    ds_lag_table_compute(t, freq, 48, zero, NULL, w, &err);
    int wz = 0;
    for (size_t c = 0; c < KK6; c++)
        wz += !isnan(t->wampold_z[c]);
    UNIT_REPORT(wz == 30, "the same session with the diagonal mask: Wampold "
                "z in all %d non-structural cells", wz);
    ds_lag_workspace_free(w);
    ds_lag_table_free(t);
}

/* ds_2x2_stats_relative(): ref_or = 1 is ds_2x2_stats(), bit for bit;
 * another ref_or shifts the log odds ratio by its log. */
static void test_relative_2x2(void)
{
    static const double cells[][4] = {
        {10, 4, 6, 30}, {0, 5, 7, 20}, {3, 0, 0, 9}, {12, 9, 8, 0}};
    int same = 1, shifted = 1;
    for (size_t k = 0; k < 4; k++) {
        for (int zc = 0; zc < 2; zc++) {
            const double *v = cells[k];
            ds_2x2_t p, r, r2;
            ds_2x2_stats(v[0], v[1], v[2], v[3], 0.5 * zc, &p);
            ds_2x2_stats_relative(v[0], v[1], v[2], v[3], 1, 0.5 * zc, &r);
            same &= memcmp(&p, &r, sizeof p) == 0;
            ds_2x2_stats_relative(v[0], v[1], v[2], v[3], 2, 0.5 * zc, &r2);
            double want_q = NAN;
            if (!isnan(p.log_odds_ratio)) {
                double orr = exp(p.log_odds_ratio) / 2;
                want_q = (orr - 1) / (orr + 1);
                shifted &= fabs(r2.log_odds_ratio
                                - (p.log_odds_ratio - log(2))) < 1e-12
                           && fabs(r2.yules_q - want_q) < 1e-12
                           && r2.log_odds_ratio_se == p.log_odds_ratio_se;
            } else { /* a zero cell: Q stays ±1 (or NaN) */
                shifted &= r2.yules_q == p.yules_q
                           || (isnan(r2.yules_q) && isnan(p.yules_q));
            }
        }
    }
    CHECK(same, "2×2 relative to odds ratio 1 = plain 2×2, bit for bit");
    CHECK(shifted, "relative to odds ratio 2: ln OR − ln 2, Q from OR/2");
    ds_2x2_t n;
    ds_2x2_stats_relative(10, 4, 6, 30, NAN, 0, &n);
    CHECK(isnan(n.yules_q) && isnan(n.log_odds_ratio)
              && isnan(n.yules_q_se) && isnan(n.log_odds_ratio_se),
          "an undefined reference odds ratio: all NaN");
}

int main(void)
{
    gsl_set_error_handler_off();
    test_relative_2x2();
    test_balanced();
    test_not_connected();
    test_null();
    return UNIT_DONE();
}
