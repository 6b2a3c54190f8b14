/*
 * Unit tests of window.c (SPEC 4.4 time-unit tallies).
 *
 * States of the default codebook with actors A,B (K = 10):
 *   0 A:pursue 1 A:withdraw 2 A:soften 3 A:bid 4 A:response
 *   5 B:pursue 6 B:withdraw 7 B:soften 8 B:bid 9 B:response
 * Every expected count below is worked out by hand in the comment above
 * it; the random sessions at the end are checked against tests/r/window.R.
 */
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dyadseq/twobytwo.h"
#include "dyadseq/window.h"
#include "fixture.h"
#include "unit.h"

enum { AP, AW, AS, AB, AR, BP, BW, BS, BB, BR, K10 };

static int64_t cell(const int64_t *x, size_t i, size_t j)
{
    return x[i * K10 + j];
}

#define CHECK_ABCD(w, i, j, ea, eb, ec, ed, what)                            \
    do {                                                                     \
        CHECK_INT(cell((w)->a, i, j), ea, what " a");                        \
        CHECK_INT(cell((w)->b, i, j), eb, what " b");                        \
        CHECK_INT(cell((w)->c, i, j), ec, what " c");                        \
        CHECK_INT(cell((w)->d, i, j), ed, what " d");                        \
    } while (0)

/*
 * Onset targets, no durations, U = 1, window 1:2.
 *   A:pursue 0, B:withdraw 1.5, A:pursue 3, B:withdraw 4.2, B:soften 7
 * onset units 0, 1, 3, 4, 7; n_units = 8 (units 0..7).
 */
static void test_onsets(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_session(c, "A:pursue 0, B:withdraw 1.5, "
                                    "A:pursue 3, B:withdraw 4.2, B:soften 7");
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_opts_t o;
    ds_window_opts_init(&o);
    o.lo = 1;
    o.hi = 2;
    ds_error_t err = {0};
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), 0, "tally");
    CHECK_INT(w->n_units, 8, "8 units: 0..7");
    /* given A:pursue = {1,2} ∪ {4,5}; target B:withdraw = {1,4}
     * a = 2, b = 4 - 2 = 2, c = 2 - 2 = 0, d = 8 - 4 - 2 + 2 = 4 */
    CHECK_ABCD(w, AP, BW, 2, 2, 0, 4, "A:pursue→B:withdraw");
    /* target B:soften = {7}: a = 0, b = 4, c = 1, d = 3 */
    CHECK_ABCD(w, AP, BS, 0, 4, 1, 3, "A:pursue→B:soften");
    /* given B:withdraw = {2,3} ∪ {5,6}; target A:pursue = {0,3}
     * a = 1 (unit 3), b = 3, c = 1 (unit 0), d = 8 - 4 - 2 + 1 = 3 */
    CHECK_ABCD(w, BW, AP, 1, 3, 1, 3, "B:withdraw→A:pursue");
    /* given B:soften = {8,9} cut at the session end: empty.
     * target A:pursue {0,3}: a = 0, b = 0, c = 2, d = 6 */
    CHECK_ABCD(w, BS, AP, 0, 0, 2, 6, "window past the session end is cut");
    /* a state that never occurs: a = b = c = 0, d = 8 */
    CHECK_ABCD(w, AR, BR, 0, 0, 0, 8, "absent states");

    ds_2x2_t st[K10 * K10];
    ds_window_stats(w, 0, st);
    /* a=2 b=2 c=0 d=4: Q = (8 - 0)/(8 + 0) = 1; log odds NaN (zero cell);
     * N = 8, R = 4, C = 2, e = 1: z = (2 - 1)/sqrt(1 · 0.5 · 0.75) */
    CHECK_NEAR(st[AP * K10 + BW].yules_q, 1, 0, "Q = 1 with c = 0");
    CHECK(isnan(st[AP * K10 + BW].log_odds_ratio), "log odds NaN");
    CHECK_NEAR(st[AP * K10 + BW].adjusted_residual, 1 / sqrt(0.375), 1e-12,
               "adjusted residual");
    /* a=1 b=3 c=1 d=3: Q = (3 - 3)/(3 + 3) = 0, log odds 0,
     * SE = sqrt(1 + 1/3 + 1 + 1/3) */
    CHECK_NEAR(st[BW * K10 + AP].yules_q, 0, 1e-15, "Q = 0");
    CHECK_NEAR(st[BW * K10 + AP].log_odds_ratio_se, sqrt(8.0 / 3), 1e-12,
               "SE of log odds");
    /* empty given row: ad + bc = 0 → Q NaN; margin 0 → residual NaN */
    CHECK(isnan(st[BS * K10 + AP].yules_q) &&
              isnan(st[BS * K10 + AP].adjusted_residual),
          "empty given window: Q and residual NaN");
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/*
 * Durations, U = 1.
 *   A:bid 0/2.5, B:response 1/0, B:withdraw 2/3, A:pursue 6.5/0.5
 * onset units 0, 1, 2, 6. In progress (offsets exclusive):
 *   A:bid [0, 2.5) → units 0,1,2; B:response zero duration → unit 1;
 *   B:withdraw [2, 5) → units 2,3,4 (not 5: [5,6) starts at the offset);
 *   A:pursue [6.5, 7) → unit 6.
 * Last offset 7 → n_units = 7 (units 0..6), in both target modes.
 */
static void test_durations(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME | FX_DURATION);
    ds_session_t *s = fx_session(c, "A:bid 0/2.5, B:response 1/0, "
                                    "B:withdraw 2/3, A:pursue 6.5/0.5");
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_opts_t o;
    ds_window_opts_init(&o);
    ds_error_t err = {0};

    o.lo = o.hi = 0;
    o.target_ongoing = 1;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), 0, "tally 0:0");
    CHECK_INT(w->n_units, 7, "units run to the last offset");
    /* given A:bid 0:0 = {0} (the onset unit only, not the duration);
     * target B:withdraw ongoing {2,3,4}: a=0 b=1 c=3 d=3 */
    CHECK_ABCD(w, AB, BW, 0, 1, 3, 3, "0:0 A:bid→B:withdraw ongoing");
    /* given B:response {1}; target A:bid ongoing {0,1,2}: a=1 b=0 c=2 d=4 */
    CHECK_ABCD(w, BR, AB, 1, 0, 2, 4, "0:0 B:response→A:bid ongoing");

    o.lo = 1;
    o.hi = 2;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), 0, "tally 1:2");
    /* given A:bid {1,2}; B:withdraw ongoing {2,3,4}: a=1 b=1 c=2 d=3 */
    CHECK_ABCD(w, AB, BW, 1, 1, 2, 3, "1:2 A:bid→B:withdraw ongoing");
    /* given B:withdraw {3,4}; A:pursue ongoing {6}: a=0 b=2 c=1 d=4 */
    CHECK_ABCD(w, BW, AP, 0, 2, 1, 4, "1:2 B:withdraw→A:pursue ongoing");

    o.target_ongoing = 0;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), 0, "onset mode");
    CHECK_INT(w->n_units, 7, "onset targets: units still to last offset");
    /* given A:bid {1,2}; B:withdraw onset {2}: a=1 b=1 c=0 d=5 */
    CHECK_ABCD(w, AB, BW, 1, 1, 0, 5, "1:2 A:bid→B:withdraw onset");
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/*
 * A window before the given event (-2:-1): which targets precede it?
 *   B:withdraw 0, A:pursue 2, B:withdraw 5, A:pursue 6   (units 0,2,5,6)
 * given A:pursue = {0,1} ∪ {4,5}; target B:withdraw = {0,5};
 * n_units = 7: a = 2, b = 2, c = 0, d = 3.
 * Also t0 ≠ 0: the same events shifted by 100 s give the same table.
 */
static void test_negative_window(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s1 = fx_session(c, "B:withdraw 0, A:pursue 2, "
                                     "B:withdraw 5, A:pursue 6");
    ds_session_t *s2 = fx_session(c, "B:withdraw 100, A:pursue 102, "
                                     "B:withdraw 105, A:pursue 106");
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_opts_t o;
    ds_window_opts_init(&o);
    o.lo = -2;
    o.hi = -1;
    ds_error_t err = {0};
    CHECK_INT(ds_window_tally(c, s1, &o, NULL, w, &err), 0, "tally -2:-1");
    CHECK_ABCD(w, AP, BW, 2, 2, 0, 3, "-2:-1 A:pursue→B:withdraw");
    CHECK_INT(ds_window_tally(c, s2, &o, NULL, w, &err), 0, "t0 = 100");
    CHECK_ABCD(w, AP, BW, 2, 2, 0, 3, "units counted from t0");
    /* huge window bounds must not overflow: -LONG_MAX..LONG_MAX covers
     * every unit for every A:pursue: given = all 7 units; target {0,5}:
     * a = 2, b = 5, c = 0, d = 0 */
    o.lo = -__LONG_MAX__;
    o.hi = __LONG_MAX__;
    CHECK_INT(ds_window_tally(c, s1, &o, NULL, w, &err), 0, "huge window");
    CHECK_ABCD(w, AP, BW, 2, 5, 0, 0, "huge window covers every unit");
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/*
 * Decimal times and fractional units. With U = 0.1, 0.3 s is unit 3
 * (0.3 / 0.1 is 2.9999999999999996 in binary, snapped), while 0.25 s is
 * unit 2 (2.5 is far from an integer). Events A:pursue 0, B:withdraw 0.3,
 * B:soften 0.25 → units 0, 3, 2; n_units = 4. Window 3:3:
 * given A:pursue {3}; target B:withdraw {3}: a=1 b=0 c=0 d=3;
 * target B:soften {2}: a=0 b=1 c=1 d=2.
 */
static void test_snapping(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_session(c, "A:pursue 0, B:soften 0.25, "
                                    "B:withdraw 0.3");
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_opts_t o = {.lo = 3, .hi = 3, .unit_s = 0.1};
    ds_error_t err = {0};
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), 0, "tally");
    CHECK_INT(w->n_units, 4, "0.3 s / 0.1 s → unit 3, 4 units");
    CHECK_ABCD(w, AP, BW, 1, 0, 0, 3, "0.3 s is unit 3");
    CHECK_ABCD(w, AP, BS, 0, 1, 1, 2, "0.25 s is unit 2");
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/*
 * Edge cases: an empty session (no units, all zeros), one event (one
 * unit: with window 1:5 nothing is given; the event's own state is a
 * target in the only unit: c = 1, d = 0; any other target: d = 1), and
 * no actor column (states are the codes, K = 5).
 */
static void test_small(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *e = fx_new_session(c, 1);
    ds_session_t *one = fx_session(c, "B:bid 12.5");
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_opts_t o;
    ds_window_opts_init(&o);
    ds_error_t err = {0};
    CHECK_INT(ds_window_tally(c, e, &o, NULL, w, &err), 0, "empty session");
    int64_t sum = 0;
    for (size_t x = 0; x < K10 * K10; x++)
        sum += w->a[x] + w->b[x] + w->c[x] + w->d[x];
    CHECK(w->n_units == 0 && sum == 0, "empty session: no units, zeros");
    CHECK_INT(ds_window_tally(c, one, &o, NULL, w, &err), 0, "one event");
    CHECK_INT(w->n_units, 1, "one event: one unit");
    CHECK_ABCD(w, BB, BB, 0, 0, 1, 0, "one event, own state");
    CHECK_ABCD(w, BB, AP, 0, 0, 0, 1, "one event, other state");
    ds_window_counts_free(w);
    ds_corpus_free(c);

    /* no actors: codes 0 pursue .. 4 response. pursue 0, withdraw 1,
     * pursue 2, withdraw 3 (units 0..3), window 1:1: given pursue {1,3},
     * target withdraw {1,3}: a=2 b=0 c=0 d=2 */
    c = fx_corpus(NULL, FX_TIME);
    ds_session_t *s = fx_session(c, "pursue 0, withdraw 1, pursue 2, "
                                    "withdraw 3");
    w = ds_window_counts_alloc(c->n_states);
    o.lo = o.hi = 1;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), 0, "no actors");
    CHECK_INT(w->a[0 * 5 + 1], 2, "no actors: a");
    CHECK_INT(w->d[0 * 5 + 1], 2, "no actors: d");
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/*
 * Pooling sums the tallies, then the statistics are recomputed. The
 * session of test_onsets (durations 0 here, which must behave as no
 * durations) gives for A:pursue→B:withdraw at 1:2 a=2 b=2 c=0 d=4; the
 * session of test_durations in onset mode gives a=0 b=0 c=1 d=6
 * (A:pursue at unit 6: window {7,8} past the end; B:withdraw onset {2}).
 * Pooled: a=2 b=2 c=1 d=10, n_units = 15.
 *   Q = (20 - 2)/(20 + 2); log odds ln(10), SE sqrt(1/2+1/2+1+1/10);
 *   e = 4·3/15 = 0.8, z = 1.2 / sqrt(0.8 (1 - 4/15)(1 - 3/15)).
 */
static void test_pooled(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME | FX_DURATION);
    ds_session_t *s1 = fx_session(c, "A:pursue 0/0, B:withdraw 1.5/0, "
                                     "A:pursue 3/0, B:withdraw 4.2/0, "
                                     "B:soften 7/0");
    ds_session_t *s2 = fx_session(c, "A:bid 0/2.5, B:response 1/0, "
                                     "B:withdraw 2/3, A:pursue 6.5/0.5");
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_counts_t *pool = ds_window_counts_alloc(c->n_states);
    ds_window_workspace_t *ws = ds_window_workspace_alloc();
    ds_window_opts_t o = {.lo = 1, .hi = 2, .unit_s = 1};
    ds_error_t err = {0};
    CHECK_INT(ds_window_tally(c, s1, &o, ws, w, &err), 0, "session 1");
    CHECK_ABCD(w, AP, BW, 2, 2, 0, 4, "zero durations = no durations");
    ds_window_counts_add(pool, w);
    CHECK_INT(ds_window_tally(c, s2, &o, ws, w, &err), 0, "session 2");
    CHECK_ABCD(w, AP, BW, 0, 0, 1, 6, "session 2");
    ds_window_counts_add(pool, w);
    CHECK_ABCD(pool, AP, BW, 2, 2, 1, 10, "pooled");
    CHECK_INT(pool->n_units, 15, "pooled units");
    ds_2x2_t st[K10 * K10];
    ds_window_stats(pool, 0, st);
    const ds_2x2_t *x = &st[AP * K10 + BW];
    CHECK_NEAR(x->yules_q, 18.0 / 22, 1e-15, "pooled Q");
    CHECK_NEAR(x->log_odds_ratio, log(10), 1e-14, "pooled log odds");
    CHECK_NEAR(x->log_odds_ratio_se, sqrt(2.1), 1e-14, "pooled SE");
    CHECK_NEAR(x->adjusted_residual,
               1.2 / sqrt(0.8 * (1 - 4.0 / 15) * (1 - 3.0 / 15)), 1e-12,
               "pooled adjusted residual");
    ds_window_workspace_free(ws);
    ds_window_counts_free(w);
    ds_window_counts_free(pool);
    ds_corpus_free(c);
}

/* Missing columns and bad options return the documented codes. */
static void test_errors(void)
{
    ds_error_t err = {0};
    ds_window_opts_t o;
    ds_window_opts_init(&o);

    ds_corpus_t *c = fx_corpus("A,B", 0); /* no time column */
    ds_session_t *s = fx_session(c, "A:pursue 0, B:withdraw 0");
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), DS_ENOTAVAIL,
              "no time column: DS_ENOTAVAIL");
    CHECK(strstr(err.msg, "time column") != NULL, "message names time");
    ds_window_counts_free(w);
    ds_corpus_free(c);

    c = fx_corpus("A,B", FX_TIME);
    s = fx_session(c, "A:pursue 0, B:withdraw 10");
    w = ds_window_counts_alloc(c->n_states);
    o.target_ongoing = 1;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), DS_ENOTAVAIL,
              "ongoing targets without durations: DS_ENOTAVAIL");
    CHECK(strstr(err.msg, "duration") != NULL, "message names duration");
    ds_window_opts_init(&o);
    o.lo = 3;
    o.hi = 2;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), DS_EUSAGE,
              "LO > HI: DS_EUSAGE");
    ds_window_opts_init(&o);
    o.unit_s = 0;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), DS_EUSAGE,
              "unit 0: DS_EUSAGE");
    o.unit_s = NAN;
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), DS_EUSAGE,
              "unit NaN: DS_EUSAGE");
    o.unit_s = 1e-9; /* 10 s in 1e10 units */
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w, &err), DS_EUSAGE,
              "too many units: DS_EUSAGE");
    ds_window_counts_t *w5 = ds_window_counts_alloc(5);
    ds_window_opts_init(&o);
    CHECK_INT(ds_window_tally(c, s, &o, NULL, w5, &err), DS_EUSAGE,
              "wrong k: DS_EUSAGE");
    ds_window_counts_free(w5);
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/*
 * A one-hour session at U = 1 s with 2 000 events: all K² tallies must
 * be consistent (a + b + c + d = n_units, row margins = given units) and
 * fast (well under the per-session budget of a study of thousands).
 */
static void test_hour(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_new_session(c, 2000);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double t = 0;
    for (size_t e = 0; e < 2000; e++) {
        fx_push(c, s, gsl_rng_uniform_int(r, K10), t, 0);
        t += 3599.0 / 1999;
    }
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_workspace_t *ws = ds_window_workspace_alloc();
    ds_window_opts_t o;
    ds_window_opts_init(&o);
    ds_error_t err = {0};
    clock_t t0 = clock();
    int rc = 0;
    for (int rep = 0; rep < 100 && rc == 0; rep++)
        rc = ds_window_tally(c, s, &o, ws, w, &err);
    double ms = 1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC / 100;
    CHECK_INT(rc, 0, "one-hour session");
    CHECK_INT(w->n_units, 3600, "3600 units");
    int ok = 1;
    for (size_t x = 0; x < K10 * K10; x++)
        ok &= w->a[x] + w->b[x] + w->c[x] + w->d[x] == 3600;
    for (size_t i = 0; i < K10; i++)
        for (size_t j = 1; j < K10; j++)
            ok &= w->a[i * K10 + j] + w->b[i * K10 + j] ==
                  w->a[i * K10] + w->b[i * K10];
    CHECK(ok, "margins consistent in all 100 cells");
    UNIT_REPORT(ms < 5, "one-hour session tallied in %.3f ms (< 5 ms)", ms);
    gsl_rng_free(r);
    ds_window_workspace_free(ws);
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/*
 * Random sessions against tests/r/window.R: onsets and durations on a
 * 0.25-s grid (exact in binary), units of 0.5, 1 and 2.5 s, windows
 * including negative and zero offsets, both target modes.
 */
static void test_against_r(void)
{
    const size_t n_sessions = 24;
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME | FX_DURATION);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20240611);
    char evp[256], parp[256], outp[256];
    fx_tmpname(evp, sizeof evp, "win-ev");
    fx_tmpname(parp, sizeof parp, "win-par");
    fx_tmpname(outp, sizeof outp, "win-out");
    FILE *fe = fopen(evp, "w"), *fp = fopen(parp, "w");
    if (!fe || !fp)
        abort();
    fprintf(fe, "session,onset,duration,state\n");
    fprintf(fp, "session,k,lo,hi,unit,ongoing\n");
    static const double units[] = {0.5, 1, 2.5};
    static const long win[][2] = {{1, 5}, {0, 0}, {-3, -1}, {-2, 2},
                                  {1, 1}, {2, 7}};
    ds_window_opts_t opt[24];
    for (size_t k = 0; k < n_sessions; k++) {
        size_t n = 5 + gsl_rng_uniform_int(r, 40);
        ds_session_t *s = fx_new_session(c, n);
        double t = 0.25 * (double)gsl_rng_uniform_int(r, 40);
        for (size_t e = 0; e < n; e++) {
            double d = k % 3 == 0 ? 0
                                  : 0.25 * (double)gsl_rng_uniform_int(r, 20);
            size_t st = gsl_rng_uniform_int(r, K10);
            fx_push(c, s, st, t, d);
            fprintf(fe, "%zu,%.17g,%.17g,%zu\n", k, t, d, st);
            t += 0.25 * (double)gsl_rng_uniform_int(r, 16); /* ties too */
        }
        opt[k].unit_s = units[k % 3];
        opt[k].lo = win[k % 6][0];
        opt[k].hi = win[k % 6][1];
        opt[k].target_ongoing = (k / 3) % 2;
        fprintf(fp, "%zu,%d,%ld,%ld,%.17g,%d\n", k, K10, opt[k].lo,
                opt[k].hi, opt[k].unit_s, opt[k].target_ongoing);
    }
    fclose(fe);
    fclose(fp);
    char args[600];
    snprintf(args, sizeof args, "'%s' '%s'", evp, parp);
    int rs = fx_rscript("window.R", args, outp);
    if (rs == 1) {
        SKIP("window tallies against tests/r/window.R", "Rscript not installed");
    } else {
        CHECK_INT(rs, 0, "tests/r/window.R ran");
        FILE *fo = fopen(outp, "r");
        ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
        ds_error_t err = {0};
        size_t lines = 0, bad = 0, cur = (size_t)-1;
        long ks, i, j, a, b, cc, d, nu;
        while (fo && fscanf(fo, "%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld", &ks, &i,
                            &j, &a, &b, &cc, &d, &nu) == 8) {
            if ((size_t)ks != cur) {
                cur = (size_t)ks;
                if (ds_window_tally(c, &c->sessions[cur], &opt[cur], NULL, w,
                                    &err) != 0)
                    bad++;
            }
            size_t x = (size_t)(i * K10 + j);
            if (w->a[x] != a || w->b[x] != b || w->c[x] != cc ||
                w->d[x] != d || (long)w->n_units != nu) {
                if (bad < 5)
                    printf("# session %ld cell %ld,%ld: C %lld %lld %lld "
                           "%lld (%zu units), R %ld %ld %ld %ld (%ld)\n",
                           ks, i, j, (long long)w->a[x], (long long)w->b[x],
                           (long long)w->c[x], (long long)w->d[x],
                           w->n_units, a, b, cc, d, nu);
                bad++;
            }
            lines++;
        }
        if (fo)
            fclose(fo);
        CHECK_INT(lines, n_sessions * K10 * K10,
                  "R tallied every cell of every session");
        CHECK_INT(bad, 0, "C tallies equal base-R tallies (24 sessions, "
                          "2400 cells)");
        ds_window_counts_free(w);
    }
    remove(evp);
    remove(parp);
    remove(outp);
    gsl_rng_free(r);
    ds_corpus_free(c);
}

/*
 * Observation periods and edges (issue 13), U = 1.
 * s1: A:pursue 1, B:withdraw 2, A:pursue 4, B:withdraw 5, period 0..8:
 *   8 units 0..7 (not 6 = 1 + the last onset unit 5). Window 1:1,
 *   given A:pursue {2, 5}, target B:withdraw {2, 5}:
 *   keep: a = 2, b = 0, c = 0, d = 6;
 *   drop: unit 0 (its look-back, unit -1, is before the start) left out:
 *   a = 2, b = 0, c = 0, d = 5.
 *   Window -1:-1 (the given unit is the one before a pursue: {0, 3};
 *   target B:withdraw {2, 5}): keep a = 0, b = 2, c = 2, d = 4; drop
 *   leaves out unit 7 (its look-ahead, 8, is past the end): d = 3.
 * s2: the same events with units 3 not coded, period "0;4", "3;8":
 *   stretches of units {0, 1, 2} and {4, 5, 6, 7}. Window 1:1: given
 *   A:pursue {2} (from 1; the window of 4 gives 5), {5}; target
 *   B:withdraw {2, 5}; unit 3 not tallied: keep a = 2, b = 0, c = 0,
 *   d = 5; drop also leaves out 0 and 4 (the first of each stretch): d = 3.
 */
static void test_periods(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s1 = fx_session(c, "A:pursue 1, B:withdraw 2, "
                                     "A:pursue 4, B:withdraw 5");
    ds_session_t *s2 = fx_session(c, "A:pursue 1, B:withdraw 2, "
                                     "A:pursue 4, B:withdraw 5");
    static double p1[] = {0, 8}, p2[] = {0, 3, 4, 8};
    double *q1 = malloc(sizeof p1), *q2 = malloc(sizeof p2);
    memcpy(q1, p1, sizeof p1);
    memcpy(q2, p2, sizeof p2);
    s1->period = q1;
    s1->n_periods = 1;
    s2->period = q2;
    s2->n_periods = 2;
    ds_window_counts_t *w = ds_window_counts_alloc(c->n_states);
    ds_window_opts_t o;
    ds_window_opts_init(&o);
    o.lo = o.hi = 1;
    ds_error_t err = {0};
    CHECK_INT(ds_window_tally(c, s1, &o, NULL, w, &err), 0, "period keep");
    CHECK_INT(w->n_units, 8, "the period's 8 units");
    CHECK_ABCD(w, AP, BW, 2, 0, 0, 6, "period, keep");
    o.edges = DS_WINDOW_EDGES_DROP;
    CHECK_INT(ds_window_tally(c, s1, &o, NULL, w, &err), 0, "period drop");
    CHECK_INT(w->n_units, 7, "drop: 7 units");
    CHECK_ABCD(w, AP, BW, 2, 0, 0, 5, "period, drop");
    o.lo = o.hi = -1;
    CHECK_INT(ds_window_tally(c, s1, &o, NULL, w, &err), 0, "-1:-1 drop");
    CHECK_ABCD(w, AP, BW, 0, 2, 2, 3, "look-ahead, drop the last unit");
    o.edges = DS_WINDOW_EDGES_KEEP;
    CHECK_INT(ds_window_tally(c, s1, &o, NULL, w, &err), 0, "-1:-1 keep");
    CHECK_ABCD(w, AP, BW, 0, 2, 2, 4, "look-ahead, keep");
    o.lo = o.hi = 1;
    CHECK_INT(ds_window_tally(c, s2, &o, NULL, w, &err), 0, "stretches");
    CHECK_INT(w->n_units, 7, "unit 3 not coded");
    CHECK_ABCD(w, AP, BW, 2, 0, 0, 5, "stretches, keep");
    o.edges = DS_WINDOW_EDGES_DROP;
    CHECK_INT(ds_window_tally(c, s2, &o, NULL, w, &err), 0, "stretches drop");
    CHECK_ABCD(w, AP, BW, 2, 0, 0, 3, "stretches, drop");
    CHECK_NEAR(ds_session_duration(s2), 7, 0, "duration: the time observed");
    CHECK_NEAR(ds_session_end(s2) - ds_session_start(s2), 8, 0, "period 0..8");
    ds_window_counts_free(w);
    ds_corpus_free(c);
}

/* ds_2x2_stats_cols (four tables at a time where the processor can)
 * gives ds_2x2_stats's bits for every table: zeros in every cell and
 * margin, empty tables, large counts, with and without the zero
 * correction, a count that does not fill the last group of four, and a
 * column left out. */
static void test_stats_batch(void)
{
    enum { N = 4003 };
    int64_t *t[4];
    for (int k = 0; k < 4; k++)
        t[k] = malloc(N * sizeof *t[k]);
    double *col[5];
    for (int k = 0; k < 5; k++)
        col[k] = malloc(N * sizeof *col[k]);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20261207);
    for (size_t i = 0; i < N; i++)
        for (int k = 0; k < 4; k++) {
            unsigned long u = gsl_rng_uniform_int(r, 10);
            /* zeros one time in five, small counts, and large ones */
            t[k][i] = u < 2 ? 0
                      : u < 7 ? (int64_t)gsl_rng_uniform_int(r, 6)
                              : (int64_t)gsl_rng_uniform_int(r, 1000000);
        }
    for (int k = 0; k < 4; k++)
        t[k][0] = 0; /* an empty table */
    double zcs[2] = {0, 0.5};
    for (int z = 0; z < 2; z++) {
        ds_2x2_cols_t cols = {col[0], col[1], col[2], col[3], col[4]};
        for (int k = 0; k < 5; k++)
            for (size_t i = 0; i < N; i++)
                col[k][i] = -7; /* a column left out keeps it */
        if (z == 1)
            cols.yules_q_se = NULL;
        ds_2x2_stats_cols(t[0], t[1], t[2], t[3], N, zcs[z], &cols);
        size_t bad = N;
        for (size_t i = 0; i < N && bad == N; i++) {
            ds_2x2_t w;
            ds_2x2_stats((double)t[0][i], (double)t[1][i], (double)t[2][i],
                         (double)t[3][i], zcs[z], &w);
            double want[5] = {w.yules_q, z == 1 ? -7 : w.yules_q_se,
                              w.log_odds_ratio, w.log_odds_ratio_se,
                              w.adjusted_residual};
            for (int k = 0; k < 5; k++)
                if (memcmp(&want[k], &col[k][i], sizeof want[k]) != 0)
                    bad = i;
        }
        char what[160];
        snprintf(what, sizeof what, "2x2 statistics of %d tables at once "
                 "are ds_2x2_stats's bits (zero correction %g; first "
                 "differing %zu)", N, zcs[z], bad);
        CHECK(bad == N, what);
    }
    gsl_rng_free(r);
    for (int k = 0; k < 5; k++)
        free(col[k]);
    for (int k = 0; k < 4; k++)
        free(t[k]);
}

int main(void)
{
    test_stats_batch();
    test_periods();
    test_onsets();
    test_durations();
    test_negative_window();
    test_snapping();
    test_small();
    test_pooled();
    test_errors();
    test_hour();
    test_against_r();
    return UNIT_DONE();
}
