/*
 * test_agree.c — event alignment, agreement statistics, time-unit
 * agreement (agree.h) and ICC(A,1) (icc.h).
 *
 * Known answers are derived by hand in the comments; the statistics of the
 * hand matrix and the ICC examples were also computed with base R (the
 * script is in the comment), and the banded alignment is checked against
 * a plain full-table dynamic program written here independently, and
 * kappa max against brute-force enumeration of every table with the same
 * margins.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "dyadseq/agree.h"
#include "dyadseq/icc.h"
#include "unit.h"

enum { X = 0, Y = 1, Z = 2 };

static ds_agree_coding_t coding(size_t n, const double *on,
                                const double *dur, const uint16_t *st)
{
    ds_agree_coding_t c = {n, on, dur, st};
    return c;
}

/* The pairs of an alignment as text: "0-0 1-nil nil-1". */
static void pairs_text(const ds_agree_alignment_t *al, char *buf,
                       size_t size)
{
    size_t l = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < al->n && l < size; k++) {
        char f[24], s[24];
        if (al->pair[k].first == DS_AGREE_NIL)
            snprintf(f, sizeof f, "nil");
        else
            snprintf(f, sizeof f, "%zu", al->pair[k].first);
        if (al->pair[k].second == DS_AGREE_NIL)
            snprintf(s, sizeof s, "nil");
        else
            snprintf(s, sizeof s, "%zu", al->pair[k].second);
        l += (size_t)snprintf(buf + l, size - l, "%s%s-%s", k ? " " : "", f,
                              s);
    }
}

static void check_alignment(const ds_agree_coding_t *a,
                            const ds_agree_coding_t *b, double tol,
                            const char *want, int64_t want_cost,
                            const char *what)
{
    ds_agree_alignment_t al;
    ds_error_t err;
    char got[512], msg[256];
    ds_agree_alignment_init(&al);
    int rc = ds_agree_align(a, b, tol, &al, &err);
    CHECK_INT(rc, 0, what);
    pairs_text(&al, got, sizeof got);
    snprintf(msg, sizeof msg, "%s: pairs", what);
    CHECK_STR(got, want, msg);
    snprintf(msg, sizeof msg, "%s: cost", what);
    CHECK_INT(al.cost, want_cost, msg);
    ds_agree_alignment_clear(&al);
}

static void test_hand_alignments(void)
{
    /*
     * first X@0 Y@3 Z@6, second X@0.5 Z@3.5 Z@6.2 Y@20, T = 2 s.
     * X@0–X@0.5 (0.5 s): agreement, 0. Y@3 against Z@3.5 (0.5 s): a
     * substitution costs 1, leaving both unmatched 2, so they pair.
     * Z@6–Z@6.2: agreement. Y@20 has no first-coding event within 2 s:
     * unmatched (nil). Cost 1 + 1 = 2.
     */
    double a_on[] = {0, 3, 6}, b_on[] = {0.5, 3.5, 6.2, 20};
    uint16_t a_st[] = {X, Y, Z}, b_st[] = {X, Z, Z, Y};
    ds_agree_coding_t a = coding(3, a_on, NULL, a_st);
    ds_agree_coding_t b = coding(4, b_on, NULL, b_st);
    check_alignment(&a, &b, 2, "0-0 1-1 2-2 nil-3", 2,
                    "timed: agreement, substitution, agreement, unmatched");

    /* The same with T = 0.4: no onsets within 0.4 s except Z@6–Z@6.2,
     * so X, Y of the first and X, Z of the second are unmatched: cost 4
     * + 1 (Y@20). Walking back: (3,4) leaves Y@20 unmatched (D(3,3) + 1
     * = 5 < D(2,4) + 1 = 7); (3,3) pairs Z-Z; at (2,2) leaving Y@3 or
     * Z@3.5 unmatched both cost D + 1 = 4, and the first coding's event
     * goes first in the walk back, so (1,nil), then likewise (0,nil), then
     * the second coding's X and Z: in order, nil-0 nil-1 0-nil 1-nil. */
    check_alignment(&a, &b, 0.4, "nil-0 nil-1 0-nil 1-nil 2-2 nil-3", 5,
                    "timed, T = 0.4: only Z-Z pairs");

    /*
     * first X@10 X@11, second X@10.8: pairing either costs 1 (the other
     * first-coding X unmatched); the onset differences are 0.8 and
     * 0.2 s, so X@11 pairs with X@10.8.
     */
    double c_on[] = {10, 11}, d_on[] = {10.8};
    uint16_t c_st[] = {X, X}, d_st[] = {X};
    ds_agree_coding_t c = coding(2, c_on, NULL, c_st);
    ds_agree_coding_t d = coding(1, d_on, NULL, d_st);
    check_alignment(&c, &d, 2, "0-nil 1-0", 1,
                    "equal cost: the pair closer in time wins");

    /*
     * 12.3 − 10.3 = 2.0000000000000018 in binary: within T = 2 thanks to
     * the 1e-9 s slack.
     */
    double e_on[] = {10.3}, f_on[] = {12.3};
    uint16_t e_st[] = {X}, f_st[] = {X};
    ds_agree_coding_t e = coding(1, e_on, NULL, e_st);
    ds_agree_coding_t f = coding(1, f_on, NULL, f_st);
    check_alignment(&e, &f, 2, "0-0", 0, "decimal onsets 2 s apart pair");
    /* 2.5 s apart: both unmatched; at equal cost the walk back leaves the
     * first coding's event unmatched first, so the second's comes first */
    f_on[0] = 12.8;
    check_alignment(&e, &f, 2, "nil-0 0-nil", 2, "2.5 s apart: no pair");

    /*
     * By order (no onsets): first X Y, second Z. Substitute X/Z and leave
     * Y unmatched (2), or leave X unmatched and substitute Y/Z (2). From
     * the end, cell (2, 1): the pair Y-Z costs D(1,0) + 1 = 2, leaving Y
     * unmatched D(1,1) + 1 = 2, leaving Z unmatched D(2,0) + 1 = 3; the
     * pair comes first, so Y-Z pair and X is unmatched.
     */
    uint16_t g_st[] = {X, Y}, h_st[] = {Z};
    ds_agree_coding_t g = coding(2, NULL, NULL, g_st);
    ds_agree_coding_t h = coding(1, NULL, NULL, h_st);
    check_alignment(&g, &h, 2, "0-nil 1-0", 2,
                    "by order: ties prefer a pair in the walk back");

    /* By order: X Y Z X against X Z X: Y is left out (cost 1). */
    uint16_t i_st[] = {X, Y, Z, X}, j_st[] = {X, Z, X};
    ds_agree_coding_t i = coding(4, NULL, NULL, i_st);
    ds_agree_coding_t j = coding(3, NULL, NULL, j_st);
    check_alignment(&i, &j, 0, "0-0 1-nil 2-1 3-2", 1,
                    "by order: one omission");

    /* one coding empty: everything unmatched */
    ds_agree_coding_t none = coding(0, NULL, NULL, NULL);
    check_alignment(&none, &j, 0, "nil-0 nil-1 nil-2", 3, "empty first");

    /* bad arguments */
    ds_agree_alignment_t al;
    ds_error_t err;
    ds_agree_alignment_init(&al);
    CHECK_INT(ds_agree_align(&a, &b, -1, &al, &err), DS_EUSAGE,
              "negative tolerance is refused");
    CHECK_INT(ds_agree_align(&a, &g, 2, &al, &err), DS_EUSAGE,
              "onsets in one coding only are refused");
    ds_agree_alignment_clear(&al);
}

static void test_stats(void)
{
    /*
     * K = 2 (X, Y) and nil; rows first coding, columns second:
     *        X  Y  nil
     *   X    8  2  1      r = 11
     *   Y    1  6  2      r =  9
     *   nil  1  1  .      r =  2
     *   c = 10  9  3      N = 22
     * p_o = 14/22, p_e = (11·10 + 9·9 + 2·3)/22² = 197/484;
     * kappa max: Σ min(r, c) over X, Y = 10 + 9 = 19, but only
     * N − r_nil − c_nil = 22 − 2 − 3 = 17 pairs can hold two events, so
     * D = 17. Base R (the values below):
     *   x <- matrix(c(8,2,1, 1,6,2, 1,1,0), 3, byrow=TRUE); N <- sum(x)
     *   r <- rowSums(x); cc <- colSums(x); pe <- sum(r*cc)/N^2
     *   ((x[1,1]+x[2,2])/N - pe)/(1-pe)                       # kappa
     *   D <- min(sum(pmin(r[1:2],cc[1:2])), N-r[3]-cc[3]); (D/N-pe)/(1-pe)
     * per code X: a = 8, d = 22 − 11 − 10 + 8 = 9, p_o = 17/22,
     * p_e = (11·10 + 11·12)/484 = 1/2, kappa = 6/11.
     */
    int64_t x[9] = {8, 2, 1, 1, 6, 2, 1, 1, 0};
    ds_agree_stats_t s;
    double pk[2];
    ds_agree_stats(x, 2, &s, pk);
    CHECK_INT(s.n_pairs, 22, "N");
    CHECK_INT(s.n_agreements, 14, "agreements");
    CHECK_INT(s.n_matched, 17, "pairs of two events");
    CHECK_INT(s.n_unmatched_first, 3, "first coding's events facing nil");
    CHECK_INT(s.n_unmatched_second, 2, "second coding's events facing nil");
    CHECK_NEAR(s.percent_agreement, 100.0 * 14 / 22, 1e-12, "percent");
    CHECK_NEAR(s.kappa, 0.386759581881533, 1e-12, "kappa (R)");
    CHECK_NEAR(s.kappa_max, 0.616724738675958, 1e-12, "kappa max (R)");
    CHECK_NEAR(pk[0], 0.545454545454545, 1e-12, "per-code kappa X (R)");
    CHECK_NEAR(pk[1], 0.435897435897436, 1e-12, "per-code kappa Y (R)");
    /* the nil-nil cell is ignored */
    x[8] = 1000;
    ds_agree_stats(x, 2, &s, NULL);
    CHECK_NEAR(s.kappa, 0.386759581881533, 1e-12, "nil-nil cell ignored");

    /* perfect agreement: kappa 1 = kappa max; one event each, 2.5 s
     * apart (X–nil, nil–X): kappa −1, and kappa max −1 too: no other
     * table has these margins and an empty nil–nil cell */
    int64_t p[9] = {5, 0, 0, 0, 7, 0, 0, 0, 0};
    ds_agree_stats(p, 2, &s, pk);
    CHECK_NEAR(s.kappa, 1, 1e-15, "identical: kappa 1");
    CHECK_NEAR(s.kappa_max, 1, 1e-15, "identical: kappa max 1");
    CHECK_NEAR(pk[0], 1, 1e-15, "identical: per-code kappa 1");
    int64_t q[9] = {0, 0, 1, 0, 0, 0, 1, 0, 0};
    ds_agree_stats(q, 2, &s, pk);
    CHECK_NEAR(s.kappa, -1, 1e-15, "X vs nil, nil vs X: kappa -1");
    CHECK_NEAR(s.kappa_max, -1, 1e-15, "... and kappa max -1");
    CHECK(isnan(pk[1]), "a code neither coding used: per-code kappa NaN");
    int64_t zero[9] = {0};
    ds_agree_stats(zero, 2, &s, NULL);
    CHECK(isnan(s.kappa) && isnan(s.kappa_max) && s.n_pairs == 0,
          "an empty matrix: NaN");
}

/* Brute force: the largest x00 + x11 over 3 × 3 tables with margins r, c
 * and x22 = 0. */
static int64_t brute_max(const int64_t r[3], const int64_t c[3])
{
    int64_t best = -1;
    for (int64_t a = 0; a <= r[0]; a++)
        for (int64_t b = 0; a + b <= r[0]; b++)
            for (int64_t d = 0; d <= r[1]; d++)
                for (int64_t e = 0; d + e <= r[1]; e++) {
                    int64_t x02 = r[0] - a - b, x12 = r[1] - d - e;
                    int64_t x20 = c[0] - a - d, x21 = c[1] - b - e;
                    if (x20 < 0 || x21 < 0 || x20 + x21 != r[2] ||
                        x02 + x12 != c[2])
                        continue;
                    if (a + e > best)
                        best = a + e;
                }
    return best;
}

static void test_kappa_max_brute(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 14);
    int bad = 0, tried = 0;
    for (int t = 0; t < 400; t++) {
        int64_t x[9];
        for (int k = 0; k < 9; k++)
            x[k] = k == 8 ? 0 : (int64_t)gsl_rng_uniform_int(rng, 4);
        int64_t r[3] = {0}, c[3] = {0}, N = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                r[i] += x[i * 3 + j];
                c[j] += x[i * 3 + j];
                N += x[i * 3 + j];
            }
        if (N == 0)
            continue;
        tried++;
        int64_t D = brute_max(r, c);
        ds_agree_stats_t s;
        ds_agree_stats(x, 2, &s, NULL);
        double pe = 0;
        for (int i = 0; i < 3; i++)
            pe += (double)r[i] * (double)c[i] / ((double)N * N);
        double want = pe < 1 ? ((double)D / N - pe) / (1 - pe) : NAN;
        if (!((isnan(want) && isnan(s.kappa_max)) ||
              fabs(want - s.kappa_max) < 1e-12))
            bad++;
    }
    gsl_rng_free(rng);
    char msg[128];
    snprintf(msg, sizeof msg, "kappa max = brute-force maximum over the "
             "tables with the same margins (%d matrices)", tried);
    CHECK(bad == 0 && tried > 300, msg);
}

/* ---- an independent full-table alignment, for the banded one -------- */

typedef struct full {
    int64_t c, t;
} full_t;

static int full_less(full_t x, full_t y)
{
    return x.c < y.c || (x.c == y.c && x.t < y.t);
}

/* The plain (n+1) × (m+1) Needleman–Wunsch table with the same costs,
 * pairs allowed where b_j is within [a_i − T', a_i + T'] (or always
 * without onsets), and the same preference in the walk back. */
static size_t full_align(const ds_agree_coding_t *a,
                         const ds_agree_coding_t *b, double tol,
                         ds_agree_pair_t *out, int64_t *cost)
{
    size_t n = a->n, m = b->n, W = m + 1;
    full_t *D = malloc((n + 1) * W * sizeof *D);
    double T = tol + DS_AGREE_TIME_SLACK;
#define CAN(i, j)                                                            \
    (!a->onset || (b->onset[(j) - 1] >= a->onset[(i) - 1] - T &&             \
                   b->onset[(j) - 1] <= a->onset[(i) - 1] + T))
#define STEP(i, j, best, move)                                               \
    do {                                                                     \
        move = -1;                                                           \
        if (CAN(i, j)) {                                                     \
            best = D[((i) - 1) * W + (j) - 1];                               \
            best.c += a->state[(i) - 1] != b->state[(j) - 1];                \
            if (a->onset)                                                    \
                best.t += (int64_t)llround(                                  \
                    fabs(a->onset[(i) - 1] - b->onset[(j) - 1]) * 1000.0);   \
            move = 0;                                                        \
        }                                                                    \
        full_t v_ = D[((i) - 1) * W + (j)];                                  \
        v_.c++;                                                              \
        if (move < 0 || full_less(v_, best)) {                               \
            best = v_;                                                       \
            move = 1;                                                        \
        }                                                                    \
        v_ = D[(i) * W + (j) - 1];                                           \
        v_.c++;                                                              \
        if (full_less(v_, best)) {                                           \
            best = v_;                                                       \
            move = 2;                                                        \
        }                                                                    \
    } while (0)
    for (size_t i = 0; i <= n; i++)
        for (size_t j = 0; j <= m; j++) {
            full_t best = {(int64_t)(i + j), 0};
            int move;
            if (i > 0 && j > 0)
                STEP(i, j, best, move);
            D[i * W + j] = best;
        }
    *cost = D[n * W + m].c;
    size_t i = n, j = m, k = 0;
    while (i > 0 || j > 0) {
        full_t best;
        int move = i == 0 ? 2 : j == 0 ? 1 : -1;
        if (move < 0)
            STEP(i, j, best, move);
        if (move == 0)
            out[k++] = (ds_agree_pair_t){--i, --j};
        else if (move == 1)
            out[k++] = (ds_agree_pair_t){--i, DS_AGREE_NIL};
        else
            out[k++] = (ds_agree_pair_t){DS_AGREE_NIL, --j};
    }
#undef STEP
#undef CAN
    for (size_t x = 0; x < k / 2; x++) {
        ds_agree_pair_t t = out[x];
        out[x] = out[k - 1 - x];
        out[k - 1 - x] = t;
    }
    free(D);
    return k;
}

/* Random codings: the second a noisy copy of the first (substitutions,
 * omissions, insertions, jitter), so the alignment has work to do. */
static void random_pair(gsl_rng *r, size_t n, int timed, double *a_on,
                        uint16_t *a_st, size_t *na, double *b_on,
                        uint16_t *b_st, size_t *nb)
{
    double t = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        t += gsl_rng_uniform(r) * 3;
        a_on[i] = floor(t * 10) / 10; /* ties of onsets happen too */
        a_st[i] = (uint16_t)gsl_rng_uniform_int(r, 3);
    }
    *na = n;
    for (size_t i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.1)
            continue; /* omitted */
        if (u < 0.2) { /* an extra event */
            b_on[k] = a_on[i];
            b_st[k++] = (uint16_t)gsl_rng_uniform_int(r, 3);
        }
        /* on the same 0.1-s grid, so onsets exactly T apart occur */
        b_on[k] = fmax(0, floor((a_on[i] + (gsl_rng_uniform(r) - 0.5) * 3) *
                                10) / 10);
        b_st[k++] = gsl_rng_uniform(r) < 0.2
                        ? (uint16_t)gsl_rng_uniform_int(r, 3)
                        : a_st[i];
    }
    /* sort the second coding by onset (insertion sort, stable) */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && b_on[j - 1] > b_on[j]; j--) {
            double x = b_on[j];
            b_on[j] = b_on[j - 1];
            b_on[j - 1] = x;
            uint16_t s = b_st[j];
            b_st[j] = b_st[j - 1];
            b_st[j - 1] = s;
        }
    *nb = k;
    (void)timed;
}

static void test_banded_equals_full(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2009);
    enum { NMAX = 60 };
    double a_on[NMAX], b_on[2 * NMAX];
    uint16_t a_st[NMAX], b_st[2 * NMAX];
    ds_agree_pair_t want[3 * NMAX];
    ds_agree_alignment_t al;
    ds_error_t err;
    ds_agree_alignment_init(&al);
    int bad_pairs = 0, bad_cost = 0, runs = 0;
    const double tols[] = {0, 0.5, 1, 2, 5};
    for (int rep = 0; rep < 300; rep++) {
        size_t n = 1 + gsl_rng_uniform_int(r, NMAX), na, nb;
        int timed = rep % 5 != 4;
        random_pair(r, n, timed, a_on, a_st, &na, b_on, b_st, &nb);
        double tol = tols[rep % 5];
        ds_agree_coding_t a = coding(na, timed ? a_on : NULL, NULL, a_st);
        ds_agree_coding_t b = coding(nb, timed ? b_on : NULL, NULL, b_st);
        int64_t cost;
        size_t k = full_align(&a, &b, tol, want, &cost);
        if (ds_agree_align(&a, &b, tol, &al, &err)) {
            bad_pairs++;
            continue;
        }
        runs++;
        bad_cost += al.cost != cost;
        int same = al.n == k;
        for (size_t x = 0; same && x < k; x++)
            same = al.pair[x].first == want[x].first &&
                   al.pair[x].second == want[x].second;
        bad_pairs += !same;
    }
    ds_agree_alignment_clear(&al);
    gsl_rng_free(r);
    CHECK_INT(runs, 300, "random alignments run");
    CHECK_INT(bad_cost, 0, "banded table: the full table's cost");
    CHECK_INT(bad_pairs, 0, "banded table: the full table's pairs, "
                            "tie-breaking included");
}

static void test_units(void)
{
    /*
     * U = 1 s. first: X@0 for 3 s (units 0-2), Y@3 for 2 s (3-4);
     * second: X@0 for 2 s (0-1), Y@2 for 3 s (2-4). Unit 2: X against Y.
     * No tolerance: (X,X) 2, (X,Y) 1, (Y,Y) 2; N = 5, p_o = 4/5,
     * r = (3, 2), c = (2, 3), p_e = 12/25, kappa = (0.8 − 0.48)/0.52.
     * Tolerance 1 unit: the second coding has X in unit 1, within ±1 of
     * unit 2, so unit 2 counts as (X,X): kappa 1.
     */
    double a_on[] = {0, 3}, a_du[] = {3, 2}, b_on[] = {0, 2}, b_du[] = {2, 3};
    uint16_t a_st[] = {X, Y}, b_st[] = {X, Y};
    ds_agree_coding_t a = coding(2, a_on, a_du, a_st);
    ds_agree_coding_t b = coding(2, b_on, b_du, b_st);
    int64_t m[9] = {0};
    size_t nu;
    ds_error_t err;
    ds_agree_stats_t s;
    CHECK_INT(ds_agree_units(&a, &b, 2, 1.0, 0, m, &nu, &err), 0, "units");
    CHECK_INT(nu, 5, "5 units");
    CHECK(m[0] == 2 && m[1] == 1 && m[4] == 2 && m[3] == 0,
          "units: (X,X) 2, (X,Y) 1, (Y,Y) 2");
    ds_agree_stats(m, 2, &s, NULL);
    CHECK_NEAR(s.kappa, (0.8 - 0.48) / 0.52, 1e-12, "time-unit kappa");
    memset(m, 0, sizeof m);
    CHECK_INT(ds_agree_units(&a, &b, 2, 1.0, 1, m, &nu, &err), 0,
              "units, tolerance 1");
    CHECK(m[0] == 3 && m[1] == 0 && m[4] == 2, "tolerance: unit 2 agrees");
    ds_agree_stats(m, 2, &s, NULL);
    CHECK_NEAR(s.kappa, 1, 1e-15, "tolerance 1: kappa 1");
    /* GSEQ's tolerance asks the second coding: swapped, unit 2 has Y in
     * the first coding, and the (new) second coding has Y at unit 3 */
    memset(m, 0, sizeof m);
    ds_agree_units(&b, &a, 2, 1.0, 1, m, &nu, &err);
    CHECK(m[4] == 3 && m[3] == 0, "swapped: unit 2 agrees on Y");

    /*
     * Units nobody coded: first X@0 for 1 s; second X@0 for 1 s and Y@3
     * for 1 s. Units 0..3: (X,X), (none,none), (none,none), (none,Y): the
     * none–none units are in cell (K,K) and out of N = 2.
     */
    double c_on[] = {0}, c_du[] = {1}, d_on[] = {0, 3}, d_du[] = {1, 1};
    uint16_t c_st[] = {X}, d_st[] = {X, Y};
    ds_agree_coding_t c = coding(1, c_on, c_du, c_st);
    ds_agree_coding_t d = coding(2, d_on, d_du, d_st);
    memset(m, 0, sizeof m);
    ds_agree_units(&c, &d, 2, 1.0, 0, m, &nu, &err);
    ds_agree_stats(m, 2, &s, NULL);
    CHECK(nu == 4 && m[8] == 2 && m[7] == 1 && m[0] == 1 && s.n_pairs == 2,
          "none-none units kept in (K,K) and left out of N");

    /* an event in progress in part of a unit counts there; the later
     * onset wins: X@0 for 2.5 s and Y@1.5: unit 1 is Y, unit 2 Y */
    double e_on[] = {0, 1.5}, e_du[] = {2.5, 1.2};
    uint16_t e_st[] = {X, Y};
    ds_agree_coding_t e = coding(2, e_on, e_du, e_st);
    memset(m, 0, sizeof m);
    ds_agree_units(&e, &e, 2, 1.0, 0, m, &nu, &err);
    CHECK(nu == 3 && m[0] == 1 && m[4] == 2, "later onset in force");
    /* 0.1-s units: 0.3 s is unit 3 exactly (snapping) */
    double f_on[] = {0, 0.3}, f_du[] = {0.3, 0.1};
    ds_agree_coding_t f = coding(2, f_on, f_du, e_st);
    memset(m, 0, sizeof m);
    ds_agree_units(&f, &f, 2, 0.1, 0, m, &nu, &err);
    CHECK(nu == 4 && m[0] == 3 && m[4] == 1, "decimal units snap");
    ds_agree_coding_t g = coding(1, c_on, NULL, c_st);
    CHECK_INT(ds_agree_units(&g, &g, 2, 1.0, 0, m, &nu, &err), DS_EUSAGE,
              "no durations: refused");
}

static void test_icc(void)
{
    ds_icc_t o;
    ds_error_t err;
    /*
     * x = (1, 2, 3), y = (2, 3, 4): subject means 1.5, 2.5, 3.5, coder
     * means 2 and 3, grand mean 2.5. SSR = 2 (1 + 0 + 1) = 4, MSR = 2;
     * SSC = 3 (0.25 + 0.25) = 1.5, MSC = 1.5; SSE = 0. ICC(A,1) =
     * 2 / (2 + 0 + (2/3) 1.5) = 2/3. CI: a = 4/3, b = 11/3, v = 1;
     * F* = qf(.975, 2, 1), F_* = qf(.975, 1, 2) (R); the bounds from
     * McGraw & Wong's formulas in R: 0.002495321272614, 0.987181567418465.
     */
    double x[] = {1, 2, 3}, y[] = {2, 3, 4};
    CHECK_INT(ds_icc_a1(x, y, 3, 0.95, &o, &err), 0, "icc");
    CHECK_NEAR(o.icc, 2.0 / 3, 1e-14, "ICC(A,1) = 2/3 by hand");
    CHECK_NEAR(o.ms_rows, 2, 1e-14, "MSR");
    CHECK_NEAR(o.ms_cols, 1.5, 1e-14, "MSC");
    CHECK_NEAR(o.ms_error, 0, 1e-14, "MSE");
    CHECK_NEAR(o.ci_low, 0.002495321272614, 1e-9, "lower bound (R)");
    CHECK_NEAR(o.ci_high, 0.987181567418465, 1e-9, "upper bound (R)");
    CHECK_NEAR(o.mean_diff, 1, 1e-14, "mean difference");
    CHECK_NEAR(o.sd_diff, 0, 1e-14, "SD of the differences");
    /*
     * Six sessions, R as in irr::icc(cbind(x, y), "twoway", "agreement"),
     * computed from its formulas in base R:
     *   M <- cbind(c(4,6,9,3,7,8), c(5,6,7,4,9,9)); ...
     */
    double x1[] = {4, 6, 9, 3, 7, 8}, y1[] = {5, 6, 7, 4, 9, 9};
    ds_icc_a1(x1, y1, 6, 0.95, &o, &err);
    CHECK_NEAR(o.icc, 0.808362369337979, 1e-12, "ICC(A,1) (R)");
    CHECK_NEAR(o.ci_low, 0.208036892653924, 1e-9, "lower (R)");
    CHECK_NEAR(o.ci_high, 0.970229797266792, 1e-9, "upper (R)");
    CHECK_NEAR(o.f, 9.140350877192983, 1e-11, "F (R)");
    CHECK_NEAR(o.p, 0.014871865776766, 1e-10, "p (R)");
    CHECK_NEAR(o.ms_error, 0.95, 1e-12, "MSE (R)");
    /* NaN pairs are left out: the same with two NaN rows added */
    double x2[] = {4, NAN, 6, 9, 3, 7, 8, 1}, y2[] = {5, 2, 6, 7, 4, 9, 9, NAN};
    ds_icc_a1(x2, y2, 8, 0.95, &o, &err);
    CHECK(o.n == 6 && fabs(o.icc - 0.808362369337979) < 1e-12,
          "pairs with a NaN are left out");
    /* identical: ICC 1 with the interval [1, 1] */
    ds_icc_a1(x1, x1, 6, 0.95, &o, &err);
    CHECK(o.icc == 1 && o.ci_low == 1 && o.ci_high == 1 && o.p == 0,
          "identical values: ICC 1, CI [1, 1]");
    /* undefined */
    double c3[] = {2, 2, 2};
    ds_icc_a1(c3, c3, 3, 0.95, &o, &err);
    CHECK(isnan(o.icc) && isnan(o.ci_low), "no variance: NaN");
    ds_icc_a1(x, y, 1, 0.95, &o, &err);
    CHECK(o.n == 1 && isnan(o.icc), "one subject: NaN");
    CHECK_INT(ds_icc_a1(x, y, 3, 1.5, &o, &err), DS_EUSAGE,
              "confidence level out of range");
}

int main(void)
{
    test_hand_alignments();
    test_stats();
    test_kappa_max_brute();
    test_banded_equals_full();
    test_units();
    test_icc();
    return UNIT_DONE();
}
