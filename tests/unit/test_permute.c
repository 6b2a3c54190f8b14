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

/* Five sessions of random events; session 0 (240 events) has a planted
 * cycle 0 → 1 → 2 → 0 in most of its events, strong enough to dominate
 * the pooled table. */
static void make_sessions(uint16_t *x[PS], size_t n[PS])
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 99);
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
}

/* The same stream twice, a different session index, masks. */
static void test_streams(uint16_t *x[PS], const size_t n[PS])
{
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
}

/* Distinct seeds for 10 000 sessions. */
static void test_seeds(void)
{
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
}

static void test_permutation(void)
{
    uint16_t *x[PS];
    size_t n[PS];
    make_sessions(x, n);
    test_streams(x, n);
    test_seeds();

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

/* ---------------------------------------------------------------------
 * 2. the constrained sampler
 * ------------------------------------------------------------------- */

/* A mask from rows of '.' (allowed) and 'x' (structural zero). */
static void mask_of(const char *const *rows, size_t K, uint8_t *zero)
{
    for (size_t i = 0; i < K; i++)
        for (size_t j = 0; j < K; j++)
            zero[i * K + j] = rows[i][j] == 'x';
}

static int valid(const uint16_t *x, size_t n, size_t K, const uint8_t *zero)
{
    for (size_t t = 0; t + 1 < n; t++)
        if (zero[(size_t)x[t] * K + x[t + 1]])
            return 0;
    return 1;
}

/* The next multiset permutation in lexicographic order; 0 after the
 * last. */
static int next_perm(uint16_t *x, size_t n)
{
    size_t i = n - 1;
    while (i > 0 && x[i - 1] >= x[i])
        i--;
    if (i == 0)
        return 0;
    size_t j = n - 1;
    while (x[j] <= x[i - 1])
        j--;
    uint16_t t = x[i - 1];
    x[i - 1] = x[j];
    x[j] = t;
    for (size_t a = i, b = n - 1; a < b; a++, b--) {
        t = x[a];
        x[a] = x[b];
        x[b] = t;
    }
    return 1;
}

enum { EMAX = 8, VMAX = 400 };

/* Index of y among the V sequences all[] (in lexicographic order), or V. */
static size_t find_seq(uint16_t (*all)[EMAX], size_t V, const uint16_t *y,
                       size_t n)
{
    size_t lo = 0, hi = V;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, k = 0;
        while (k < n && all[mid][k] == y[k])
            k++;
        if (k == n)
            return mid;
        if (all[mid][k] < y[k])
            lo = mid + 1;
        else
            hi = mid;
    }
    return V;
}

/*
 * Uniformity by enumeration: list every sequence with the code counts
 * cnt[K] and no transition in a structural zero; start `per` × V streams
 * (one per session index, so independent) at the first sequence and take
 * the first draw of each (moves = 0: what a permutation test gets), or
 * the sequence after `moves` moves of the chain; test the tallies against
 * the uniform distribution (Pearson X², df = V − 1; p > 0.001 with these
 * seeds).
 */
static void check_uniform(const char *what, size_t K, const uint8_t *zero,
                          const size_t *cnt, size_t per, size_t moves)
{
    static uint16_t all[VMAX][EMAX];
    uint16_t x[EMAX];
    size_t n = 0, V = 0;
    for (size_t k = 0; k < K; k++)
        for (size_t c = 0; c < cnt[k]; c++)
            x[n++] = (uint16_t)k;
    do {
        if (valid(x, n, K, zero) && V < VMAX)
            memcpy(all[V++], x, sizeof x);
    } while (next_perm(x, n));
    size_t tally[VMAX] = {0}, draws = per * V, bad = 0;
    ds_perm_t *p = ds_perm_alloc(n);
    ds_error_t err;
    for (size_t s = 0; s < draws; s++) {
        ds_perm_init(p, 77, s, all[0], n, K, zero, &err);
        if (moves)
            ds_perm_walk(p, moves);
        else
            ds_perm_shuffle(p);
        size_t v = find_seq(all, V, ds_perm_states(p, NULL), n);
        if (v < V)
            tally[v]++;
        else
            bad++;
    }
    ds_perm_free(p);
    double x2 = 0, e = (double)draws / (double)V;
    size_t seen = 0;
    for (size_t v = 0; v < V; v++) {
        x2 += ((double)tally[v] - e) * ((double)tally[v] - e) / e;
        seen += tally[v] > 0;
    }
    double pv = V > 1 ? gsl_cdf_chisq_Q(x2, (double)(V - 1)) : 1;
    UNIT_REPORT(bad == 0 && seen == V && pv > 0.001,
                "%s: %zu valid sequences, all reached, X² = %.1f on %zu df "
                "(p = %.3f), %zu invalid draws", what, V, x2, V - 1, pv, bad);
}

static void test_constrained(void)
{
    /* the rules: counts kept, no structural zero, reproducible */
    enum { K5 = 5, N = 200 };
    uint8_t zero[K5 * K5] = {0};
    static const char *const file5[K5] = {"xx...", ".x...", "..xx.",
                                          "...x.", "x...x"};
    mask_of(file5, K5, zero);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    uint16_t x[N];
    x[0] = 1;
    for (size_t t = 1; t < N; t++) /* a valid random sequence */
        do
            x[t] = (uint16_t)gsl_rng_uniform_int(r, K5);
        while (zero[x[t - 1] * K5 + x[t]]);
    gsl_rng_free(r);
    ds_perm_t *a = ds_perm_alloc(N), *b = ds_perm_alloc(N);
    ds_error_t err;
    CHECK_INT(ds_perm_init(a, 5, 3, x, N, K5, zero, &err), DS_OK,
              "a valid sequence under a FILE mask: DS_OK");
    ds_perm_init(b, 5, 3, x, N, K5, zero, &err);
    CHECK(ds_perm_constrained(a), "... and a constrained stream");
    int64_t f0[K5] = {0};
    ds_lag_state_freq(x, N, K5, f0);
    int keeps = 1, same = 1, moved = 0;
    for (int m = 0; m < 50; m++) {
        ds_perm_shuffle(a);
        ds_perm_shuffle(b);
        size_t n;
        const uint16_t *y = ds_perm_states(a, &n);
        int64_t f1[K5] = {0};
        ds_lag_state_freq(y, n, K5, f1);
        keeps &= n == N && memcmp(f0, f1, sizeof f0) == 0
                 && valid(y, n, K5, zero);
        same &= memcmp(y, ds_perm_states(b, NULL), N * sizeof *y) == 0;
        moved += memcmp(y, x, N * sizeof *y) != 0;
    }
    CHECK(keeps, "50 draws keep the code counts and the structural zeros");
    CHECK(same, "same (seed, session): same draws");
    CHECK_INT(moved, 50, "every draw differs from the observed sequence");
    ds_perm_init(b, 5, 4, x, N, K5, zero, &err);
    ds_perm_init(a, 5, 3, x, N, K5, zero, &err);
    ds_perm_shuffle(a);
    ds_perm_shuffle(b);
    CHECK(memcmp(ds_perm_states(a, NULL), ds_perm_states(b, NULL),
                 N * sizeof *x) != 0,
          "another session index: other draws");
    ds_perm_free(a);
    ds_perm_free(b);

    /* uniform over every valid sequence */
    uint8_t z3[9], z4[16], z2[4];
    static const char *const diag3[3] = {"x..", ".x.", "..x"};
    static const char *const diag2[2] = {"x.", ".x"};
    /* transpositions alone split these 48 sequences into 4 classes */
    static const char *const file4[4] = {"xx..", "...x", ".x..", "...."};
    /* two sequences, 0 1 2 3 3 and 3 3 2 0 1: only a swap of the
     * non-adjacent blocks [0 1] and [3 3] joins them */
    static const char *const file4b[4] = {"..xx", "xx.x", ".xx.", "xx.."};
    mask_of(diag3, 3, z3);
    mask_of(diag2, 2, z2);
    check_uniform("draws, no repeats, counts 3,3,2", 3, z3,
                  (const size_t[]){3, 3, 2}, 40, 0);
    check_uniform("draws, no repeats, counts 2,2 (0 1 0 1 and 1 0 1 0)", 2,
                  z2, (const size_t[]){2, 2}, 200, 0);
    mask_of(file4, 4, z4);
    check_uniform("draws, FILE mask, counts 2,2,2,1", 4, z4,
                  (const size_t[]){2, 2, 2, 1}, 40, 0);
    /* the one move that joins these two is a rare proposal: the first
     * draw (2 × 1,000 moves) is not yet independent of the start, but
     * the chain's stationary distribution is uniform */
    mask_of(file4b, 4, z4);
    check_uniform("chain after 20,000 moves, FILE mask, counts 1,1,1,2", 4,
                  z4, (const size_t[]){1, 1, 1, 2}, 100, 20000);
}

/* ---------------------------------------------------------------------
 * 3. mixing, and 4. p-values of no-dependency sessions
 * ------------------------------------------------------------------- */

enum { MK = 5, MKK = MK * MK };

/* A session of the no-dependency chain under mask zero: each code drawn in
 * proportion to wt[] among those allowed after the previous one. */
static void draw_session(gsl_rng *r, const double *wt, const uint8_t *zero,
                         size_t n, uint16_t *x)
{
    for (size_t t = 0; t < n; t++) {
        double tot = 0;
        for (size_t j = 0; j < MK; j++)
            tot += t == 0 || !zero[x[t - 1] * MK + j] ? wt[j] : 0;
        double u = gsl_rng_uniform(r) * tot;
        size_t pick = MK;
        for (size_t j = 0; j < MK; j++) {
            if (t > 0 && zero[x[t - 1] * MK + j])
                continue;
            pick = j; /* the last allowed, if rounding runs past */
            if (u < wt[j])
                break;
            u -= wt[j];
        }
        x[t] = (uint16_t)pick;
    }
}

/* The most ordered sequence with no repeats and counts cnt[]: always the
 * lowest code allowed, unless a code must come now to avoid a repeat later
 * (0 1 0 1 … 0 2 0 2 …). */
static void most_ordered(const int64_t *cnt0, size_t n, uint16_t *x)
{
    int64_t cnt[MK];
    memcpy(cnt, cnt0, sizeof cnt);
    size_t prev = MK;
    for (size_t t = 0; t < n; t++) {
        int64_t rest = (int64_t)(n - t);
        size_t pick = MK;
        for (size_t c = 0; c < MK && pick == MK; c++)
            if (c != prev && 2 * cnt[c] >= rest)
                pick = c; /* more than half of what is left: now */
        for (size_t c = 0; c < MK && pick == MK; c++)
            if (c != prev && cnt[c] > 0)
                pick = c;
        x[t] = (uint16_t)pick;
        cnt[pick]--;
        prev = pick;
    }
}

/*
 * From the most ordered start, R chains (one per session index) of
 * `moves` moves and of 5 × ds_perm_chain_length(n) (the reference): the
 * largest difference, over the lag-1 and lag-2 cells, between the mean
 * counts after `moves` and the reference means, in reference SDs.
 */
static double mixing_bias(const uint16_t *start, size_t n,
                          const uint8_t *zero, size_t moves)
{
    enum { R = 200 };
    static double sum[2][2][MKK], sq[2][2][MKK];
    memset(sum, 0, sizeof sum);
    memset(sq, 0, sizeof sq);
    ds_perm_t *p = ds_perm_alloc(n);
    ds_error_t err;
    size_t ref = 5 * ds_perm_chain_length(n);
    for (size_t s = 0; s < R; s++) {
        ds_perm_init(p, 11, s, start, n, MK, zero, &err);
        for (int k = 0; k < 2; k++) {
            ds_perm_walk(p, k == 0 ? moves : ref - moves);
            for (size_t lag = 1; lag <= 2; lag++) {
                int64_t c[MKK];
                ds_perm_table(p, lag, c);
                for (size_t q = 0; q < MKK; q++) {
                    sum[k][lag - 1][q] += (double)c[q];
                    sq[k][lag - 1][q] += (double)c[q] * (double)c[q];
                }
            }
        }
    }
    ds_perm_free(p);
    double worst = 0;
    for (int l = 0; l < 2; l++)
        for (size_t q = 0; q < MKK; q++) {
            double m0 = sum[0][l][q] / R, m1 = sum[1][l][q] / R;
            double sd = sqrt(fmax(0, sq[1][l][q] / R - m1 * m1));
            if (sd > 0)
                worst = fmax(worst, fabs(m0 - m1) / sd);
        }
    return worst;
}

static void test_mixing(void)
{
    static const double wt[MK] = {4, 3, 2, 1, 1};
    uint8_t diag[MKK] = {0};
    for (size_t i = 0; i < MK; i++)
        diag[i * MK + i] = 1;
    enum { N = 300 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    uint16_t x[N], start[N];
    draw_session(r, wt, diag, N, x);
    gsl_rng_free(r);
    int64_t cnt[MK] = {0};
    ds_lag_state_freq(x, N, MK, cnt);
    most_ordered(cnt, N, start);
    CHECK(valid(start, N, MK, diag), "most ordered start: no repeats");
    size_t L = ds_perm_chain_length(N);
    double b1 = mixing_bias(start, N, diag, L / 10);
    double bL = mixing_bias(start, N, diag, L);
    /* R = 200 chains: a mean is within ~0.1 SD of its own expectation,
     * so 25 cells × 2 lags put the largest |difference| near 0.3 */
    UNIT_REPORT(b1 > 2, "mixing, no repeats, K = 5, n = 300: after one "
                "sweep the mean counts are still %.2f SD from stationary",
                b1);
    UNIT_REPORT(bL < 0.5, "... after the chain length (%zu moves) %.2f SD "
                "(want < 0.5)", L, bL);
}

/* On no-dependency no-repeat sessions the permutation p-values of the
 * adjusted residuals are uniform: share <= 0.05 in [3.5%, 6.5%]. */
static void test_pvalues(void)
{
    static const double wt[MK] = {4, 3, 2, 1, 1};
    uint8_t diag[MKK] = {0};
    for (size_t i = 0; i < MK; i++)
        diag[i * MK + i] = 1;
    enum { S = 200, N = 100, M = 99 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 31);
    ds_lag_workspace_t *w = ds_lag_workspace_alloc(MK);
    ds_perm_t *p = ds_perm_alloc(N);
    uint16_t x[N];
    size_t small = 0, total = 0, low = 0;
    double psum = 0;
    ds_error_t err;
    for (size_t s = 0; s < S; s++) {
        draw_session(r, wt, diag, N, x);
        int64_t c[MKK] = {0}, exceed[MKK] = {0};
        double z[MKK], zs[MKK], pv[MKK];
        ds_lag_count(x, N, 1, MK, c);
        if (ds_lag_residuals(c, MK, diag, NULL, w, NULL, z, &err))
            continue;
        ds_perm_init(p, 2024, s, x, N, MK, diag, &err);
        for (size_t m = 0; m < M; m++) {
            ds_perm_shuffle(p);
            ds_perm_table(p, 1, c);
            if (ds_lag_residuals(c, MK, diag, NULL, w, NULL, zs, &err)
                == DS_OK)
                ds_perm_exceed(z, zs, MKK, exceed);
        }
        ds_perm_pvalue(z, exceed, M, MKK, pv);
        for (size_t q = 0; q < MKK; q++) {
            if (isnan(pv[q]))
                continue;
            total++;
            small += pv[q] <= 0.05;
            low += pv[q] <= 0.5;
            psum += pv[q];
        }
    }
    double sh = (double)small / (double)total;
    UNIT_REPORT(sh >= 0.035 && sh <= 0.065, "no-dependency no-repeat "
                "sessions (K = 5, n = 100, M = 99): %.2f%% of %zu "
                "permutation p-values <= 0.05 (want 3.5-6.5%%)", 100 * sh,
                total);
    double half = (double)low / (double)total;
    UNIT_REPORT(half >= 0.45 && half <= 0.55, "... %.1f%% <= 0.5, mean p "
                "%.3f", 100 * half, psum / (double)total);
    ds_perm_free(p);
    ds_lag_workspace_free(w);
    gsl_rng_free(r);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_permutation();
    test_constrained();
    test_mixing();
    test_pvalues();
    return UNIT_DONE();
}
