/*
 * Unit tests of responsive.c (SPEC 4.6): hand-worked sessions for every
 * rule and edge case, a published Kaplan–Meier example, simulated
 * sessions with a planted response probability and latency distribution,
 * and cross-checks against base R (tests/r/km.R).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "dyadseq/responsive.h"
#include "fixture.h"
#include "unit.h"

static ds_responsive_opts_t opts(double w)
{
    ds_responsive_opts_t o;
    ds_responsive_opts_init(&o);
    o.window_s = w;
    return o;
}

/*
 * The main rules, W = 5 s.
 *   idx event          what it does for A's bids
 *    0  A:bid 0         bid 1
 *    1  B:response 2    answers bid 1: latency 2 (first partner event is
 *                       the answer: no turning)
 *    2  A:bid 10        bid 2
 *    3  B:withdraw 11   first partner event, 1 s, not the answer: AWAY
 *    4  B:response 13   answers bid 2: latency 3 (away and answered)
 *    5  A:bid 20        bid 3
 *    6  B:pursue 21     first partner event: AGAINST
 *    7  A:pursue 22     the bidder's own event: ignored
 *    8  A:bid 30        bid 4; bid 3 unanswered, censored at 30-20 = 10
 *    9  B:soften 31     first partner event of bid 4: neither
 *   10  B:response 38   answers bid 4 at 8 s > W: late (a KM event at 8)
 *   11  A:bid 40        bid 5, the last bid
 *   12  B:withdraw 46   6 s after bid 5: too late to turn it away
 *   13  A:soften 50     last onset: bid 5 censored at 50-40 = 10
 * n_bids 5, answered 2 (latencies 2, 3), late 1, rate 0.4, mean = median
 * = 2.5, away 1, against 1.
 * KM over (2,e) (3,e) (8,e) (10,c) (10,c):
 *   t=2: n=5 d=1 S=4/5; t=3: n=4 d=1 S=4/5·3/4=3/5; t=8: n=3 d=1 S=2/5.
 * 1 - S(5) = 1 - 3/5 = 0.4. B makes no bids: everything NaN/0.
 */
static void test_rules(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_session(
        c, "A:bid 0, B:response 2, A:bid 10, B:withdraw 11, B:response 13, "
           "A:bid 20, B:pursue 21, A:pursue 22, A:bid 30, B:soften 31, "
           "B:response 38, A:bid 40, B:withdraw 46, A:soften 50");
    ds_responsive_t r[2];
    ds_responsive_init(&r[0]);
    ds_responsive_init(&r[1]);
    ds_responsive_opts_t o = opts(5);
    ds_error_t err = {0};
    CHECK_INT(ds_responsive_session(c, s, &o, r, &err), 0, "computed");
    CHECK_INT(r[0].bidder, 0, "row 0: A bids");
    CHECK_INT(r[0].n_bids, 5, "5 bids");
    CHECK_INT(r[0].n_answered, 2, "2 answered within W");
    CHECK_INT(r[0].n_answered_late, 1, "1 answered late");
    CHECK_NEAR(r[0].response_rate, 0.4, 1e-15, "rate 2/5");
    CHECK_NEAR(r[0].latency_mean_s, 2.5, 1e-15, "mean latency");
    CHECK_NEAR(r[0].latency_median_s, 2.5, 1e-15, "median latency");
    CHECK_INT(r[0].n_turned_away, 1, "1 turned away");
    CHECK_INT(r[0].n_turned_against, 1, "1 turned against");
    CHECK_INT(r[0].km.n, 3, "3 event times");
    CHECK_INT(r[0].km.n_obs, 5, "5 observations");
    CHECK_NEAR(r[0].km.time_s[2], 8, 0, "late answer is a KM event at 8");
    CHECK_INT(r[0].km.n_at_risk[0], 5, "n at risk at 2");
    CHECK_INT(r[0].km.n_at_risk[2], 3, "n at risk at 8");
    CHECK_NEAR(r[0].km.survival[0], 0.8, 1e-15, "S(2)");
    CHECK_NEAR(r[0].km.survival[1], 0.6, 1e-15, "S(3)");
    CHECK_NEAR(r[0].km.survival[2], 0.4, 1e-15, "S(8)");
    CHECK_NEAR(r[0].p_response_by_window, 0.4, 1e-15, "1 - S(5)");
    CHECK_INT(r[1].n_bids, 0, "B: no bids");
    CHECK(isnan(r[1].response_rate) && isnan(r[1].latency_mean_s) &&
              isnan(r[1].latency_median_s) &&
              isnan(r[1].p_response_by_window) && r[1].km.n == 0,
          "no bids: rate, latencies, 1 - S(W) NaN, empty curve");
    ds_responsive_clear(&r[0]);
    ds_responsive_clear(&r[1]);
    ds_corpus_free(c);
}

/*
 * Ties and the end of the session.
 * (a) B:response 0, A:bid 0, B:response 0: the first response precedes
 *     the bid in event order (not an answer); the second follows it:
 *     latency 0, answered. KM: (0,e): S(0) = 0; beyond the end of
 *     follow-up S stays 0, so 1 - S(5) = 1.
 * (b) A:bid 0, B:response 0, A:bid 7, A:bid 7: bid 1 answered at 0;
 *     bid 2 is censored at its next bid, 0 s later; bid 3 is the last
 *     event, censored at 7 - 7 = 0. KM: at t = 0 the two censored at 0
 *     are still at risk: n = 3, d = 1, S = 2/3. S(5) lies past the
 *     largest observed time (0) with S > 0: undefined, NaN.
 */
static void test_ties(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s1 = fx_session(c, "B:response 0, A:bid 0, B:response 0");
    ds_session_t *s2 = fx_session(c, "A:bid 0, B:response 0, A:bid 7, "
                                     "A:bid 7");
    ds_responsive_t r;
    ds_responsive_init(&r);
    ds_responsive_opts_t o = opts(5);
    ds_error_t err = {0};
    CHECK_INT(ds_responsive_compute(c, s1, 0, &o, &r, &err), 0, "(a)");
    CHECK_INT(r.n_answered, 1, "(a) answer after the bid in event order");
    CHECK_NEAR(r.latency_median_s, 0, 0, "(a) latency 0");
    CHECK_NEAR(r.km.survival[0], 0, 0, "(a) S(0) = 0");
    CHECK_NEAR(r.p_response_by_window, 1, 0, "(a) 1 - S(5) = 1");
    CHECK_INT(ds_responsive_compute(c, s2, 0, &o, &r, &err), 0, "(b)");
    CHECK_INT(r.n_bids, 3, "(b) 3 bids");
    CHECK_NEAR(r.response_rate, 1.0 / 3, 1e-15, "(b) rate 1/3");
    CHECK_INT(r.km.n, 1, "(b) one event time");
    CHECK_INT(r.km.n_at_risk[0], 3, "(b) censored at 0 are at risk at 0");
    CHECK_NEAR(r.km.survival[0], 2.0 / 3, 1e-15, "(b) S(0) = 2/3");
    CHECK_NEAR(r.km.max_time_s, 0, 0, "(b) follow-up ends at 0");
    CHECK(isnan(r.p_response_by_window), "(b) S(5) undefined: NaN");
    ds_responsive_clear(&r);
    ds_corpus_free(c);
}

/*
 * The partner never responds; W boundaries; answers after the next bid.
 * (a) A:bid 0, B:withdraw 2, A:bid 10, B:soften 20 (W = 5):
 *     bid 1: first partner event withdraw at 2 s: away; no response
 *     before the next bid: censored at 10. bid 2: first partner event at
 *     10 s: no turning; censored at 20 - 10 = 10. rate 0, latencies NaN,
 *     no event times; S(5) = 1 (follow-up reaches 10): 1 - S = 0.
 *     With W = 12: S(12) is past the follow-up (10) with S = 1: NaN.
 * (b) A:bid 0, B:response 5: latency 5 = W is answered; with W = 4.999
 *     it is late.
 * (c) A:bid 0, B:withdraw 5, B:response 6 (W = 5): the withdraw at
 *     exactly W turns the bid away; the answer at 6 s is late.
 * (d) A:bid 0, A:bid 1, B:response 2: the response comes after the next
 *     bid, so it answers bid 2 (latency 1), not bid 1 (censored at 1).
 *     KM: (1,c) (1,e): n = 2, d = 1, S(1) = 1/2.
 * (e) A:bid 0, A:bid 1, B:withdraw 2: the withdraw follows the next bid,
 *     so only bid 2 is turned away (one reaction is not counted twice).
 */
static void test_no_response(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *sa = fx_session(c, "A:bid 0, B:withdraw 2, A:bid 10, "
                                     "B:soften 20");
    ds_session_t *sb = fx_session(c, "A:bid 0, B:response 5");
    ds_session_t *sc = fx_session(c, "A:bid 0, B:withdraw 5, B:response 6");
    ds_session_t *sd = fx_session(c, "A:bid 0, A:bid 1, B:response 2");
    ds_session_t *se = fx_session(c, "A:bid 0, A:bid 1, B:withdraw 2");
    ds_responsive_t r;
    ds_responsive_init(&r);
    ds_responsive_opts_t o = opts(5);
    ds_error_t err = {0};

    CHECK_INT(ds_responsive_compute(c, sa, 0, &o, &r, &err), 0, "(a)");
    CHECK_INT(r.n_answered, 0, "(a) never answered");
    CHECK_NEAR(r.response_rate, 0, 0, "(a) rate 0");
    CHECK(isnan(r.latency_mean_s) && isnan(r.latency_median_s),
          "(a) latencies NaN");
    CHECK_INT(r.n_turned_away, 1, "(a) one turned away");
    CHECK(r.km.n == 0 && r.km.n_obs == 2, "(a) all censored");
    CHECK_NEAR(r.p_response_by_window, 0, 0, "(a) 1 - S(5) = 0");
    o.window_s = 12;
    CHECK_INT(ds_responsive_compute(c, sa, 0, &o, &r, &err), 0, "(a) W 12");
    CHECK(isnan(r.p_response_by_window), "(a) S(12) past follow-up: NaN");

    o.window_s = 5;
    CHECK_INT(ds_responsive_compute(c, sb, 0, &o, &r, &err), 0, "(b)");
    CHECK_INT(r.n_answered, 1, "(b) latency = W is answered");
    o.window_s = 4.999;
    CHECK_INT(ds_responsive_compute(c, sb, 0, &o, &r, &err), 0, "(b)");
    CHECK(r.n_answered == 0 && r.n_answered_late == 1,
          "(b) latency > W is late");

    o.window_s = 5;
    CHECK_INT(ds_responsive_compute(c, sc, 0, &o, &r, &err), 0, "(c)");
    CHECK_INT(r.n_turned_away, 1, "(c) withdraw at exactly W: away");
    CHECK(r.n_answered == 0 && r.n_answered_late == 1, "(c) answer late");

    CHECK_INT(ds_responsive_compute(c, sd, 0, &o, &r, &err), 0, "(d)");
    CHECK_INT(r.n_answered, 1, "(d) one answered");
    CHECK_NEAR(r.latency_mean_s, 1, 0, "(d) it is bid 2, latency 1");
    CHECK_INT(r.km.n_at_risk[0], 2, "(d) censored at 1 at risk at 1");
    CHECK_NEAR(r.km.survival[0], 0.5, 0, "(d) S(1) = 1/2");
    CHECK_INT(ds_responsive_compute(c, se, 0, &o, &r, &err), 0, "(e)");
    CHECK_INT(r.n_turned_away, 1, "(e) a reaction after the next bid "
                                  "turns only that bid away");
    ds_responsive_clear(&r);
    ds_corpus_free(c);
}

/*
 * A third actor T (--actors A,B,T): T's events are neither partner.
 *   A:bid 0, T:response 1, T:withdraw 1.5, B:bid 2, B:response 3,
 *   A:response 3.5
 * A→B: T's response does not answer and T's withdraw does not turn the
 * bid away; B's first event (a bid) turns nothing; B:response at 3
 * answers: latency 3. B→A: bid at 2 answered by A at 3.5: latency 1.5
 * (B's own response is ignored). Both KM curves: one event, S = 0.
 */
static void test_third_actor(void)
{
    ds_corpus_t *c = fx_corpus("A,B,T", FX_TIME);
    ds_session_t *s = fx_session(c, "A:bid 0, T:response 1, T:withdraw 1.5,"
                                    " B:bid 2, B:response 3, A:response 3.5");
    ds_responsive_t r[2];
    ds_responsive_init(&r[0]);
    ds_responsive_init(&r[1]);
    ds_responsive_opts_t o = opts(5);
    ds_error_t err = {0};
    CHECK_INT(ds_responsive_session(c, s, &o, r, &err), 0, "with T");
    CHECK_NEAR(r[0].latency_mean_s, 3, 0, "A→B: T cannot answer");
    CHECK_INT(r[0].n_turned_away, 0, "A→B: T cannot turn away");
    CHECK_NEAR(r[1].latency_mean_s, 1.5, 0, "B→A: answered by A at 1.5");
    CHECK(r[0].km.n == 1 && r[0].km.survival[0] == 0 && r[1].km.n == 1,
          "curves");
    ds_responsive_clear(&r[0]);
    ds_responsive_clear(&r[1]);
    ds_corpus_free(c);
}

/* Missing columns and bad options. */
static void test_errors(void)
{
    ds_responsive_t r;
    ds_responsive_init(&r);
    ds_responsive_opts_t o = opts(5);
    ds_error_t err = {0};

    ds_corpus_t *c = fx_corpus(NULL, FX_TIME);
    ds_session_t *s = fx_session(c, "bid 0, response 1");
    CHECK_INT(ds_responsive_compute(c, s, 0, &o, &r, &err), DS_ENOTAVAIL,
              "no actor column: DS_ENOTAVAIL");
    CHECK(strstr(err.msg, "actor column") != NULL, "message says actor");
    ds_corpus_free(c);

    c = fx_corpus("A", FX_TIME);
    s = fx_session(c, "A:bid 0, A:response 1");
    CHECK_INT(ds_responsive_compute(c, s, 0, &o, &r, &err), DS_ENOTAVAIL,
              "one actor: DS_ENOTAVAIL");
    ds_corpus_free(c);

    c = fx_corpus("A,B", 0);
    s = fx_session(c, "A:bid 0, B:response 0");
    CHECK_INT(ds_responsive_compute(c, s, 0, &o, &r, &err), DS_ENOTAVAIL,
              "no time column: DS_ENOTAVAIL");
    CHECK(strstr(err.msg, "time column") != NULL, "message says time");
    ds_corpus_free(c);

    c = fx_corpus("A,B", FX_TIME);
    s = fx_session(c, "A:bid 0, B:response 1");
    CHECK_INT(ds_responsive_compute(c, s, 2, &o, &r, &err), DS_EUSAGE,
              "bidder 2: DS_EUSAGE");
    o.window_s = -1;
    CHECK_INT(ds_responsive_compute(c, s, 0, &o, &r, &err), DS_EUSAGE,
              "W < 0: DS_EUSAGE");
    o.window_s = NAN;
    CHECK_INT(ds_responsive_compute(c, s, 0, &o, &r, &err), DS_EUSAGE,
              "W NaN: DS_EUSAGE");
    ds_corpus_free(c);

    double t[2] = {1, -1};
    int ev[2] = {1, 0};
    CHECK_INT(ds_km_estimate(t, ev, 2, &r.km, &err), DS_EUSAGE,
              "negative survival time: DS_EUSAGE");
    ds_responsive_clear(&r);
}

/*
 * Known answer: the 6-MP arm of the leukemia remission trial of
 * Freireich et al. (1963), the textbook Kaplan–Meier example (e.g.
 * Kleinbaum & Klein, Survival Analysis, ch. 2). Weeks, + censored:
 *   6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+
 * t=6:  n=21 d=3  S = 18/21
 * t=7:  n=17 d=1  S = 18/21 · 16/17            (6+ left after t = 6)
 * t=10: n=15 d=1  S · 14/15                    (9+ left)
 * t=13: n=12 d=1  S · 11/12                    (10+, 11+ left)
 * t=16: n=11 d=1  S · 10/11
 * t=22: n=7  d=1  S · 6/7                      (17+, 19+, 20+ left)
 * t=23: n=6  d=1  S · 5/6
 * Published: 0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448.
 */
static void test_km_known(void)
{
    const double t[] = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16,
                        17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
    const int e[] = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1,
                     0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
    ds_km_t km;
    ds_km_init(&km);
    ds_error_t err = {0};
    CHECK_INT(ds_km_estimate(t, e, 21, &km, &err), 0, "6-MP estimate");
    CHECK_INT(km.n, 7, "7 event times");
    const double want_t[] = {6, 7, 10, 13, 16, 22, 23};
    const size_t want_n[] = {21, 17, 15, 12, 11, 7, 6};
    const size_t want_d[] = {3, 1, 1, 1, 1, 1, 1};
    const double pub[] = {0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448};
    double s = 1;
    int ok = km.n == 7;
    for (size_t i = 0; ok && i < 7; i++) {
        s *= 1 - (double)want_d[i] / (double)want_n[i];
        ok &= km.time_s[i] == want_t[i] && km.n_at_risk[i] == want_n[i] &&
              km.n_events[i] == want_d[i] &&
              fabs(km.survival[i] - s) < 1e-14 &&
              fabs(km.survival[i] - pub[i]) < 0.0005;
    }
    CHECK(ok, "6-MP curve: times, n at risk, events, S as published");
    CHECK_NEAR(ds_km_survival_at(&km, 12.9), 18.0 / 21 * 16 / 17 * 14 / 15,
               1e-14, "S(12.9) = S(10)");
    CHECK_NEAR(ds_km_survival_at(&km, 5), 1, 0, "S before first event");
    CHECK_NEAR(ds_km_survival_at(&km, 35), km.survival[6], 0,
               "S at the last censored time");
    CHECK(isnan(ds_km_survival_at(&km, 36)), "S past follow-up: NaN");
    /* the published median of the 6-MP group is 23 weeks: the first time
     * S <= 1/2 (S(22) = 0.538, S(23) = 0.448) */
    CHECK_NEAR(ds_km_median(&km), 23, 0, "6-MP median 23 weeks");
    ds_km_clear(&km);
    /* a curve that stays above 1/2, and one without observations */
    const double t2[] = {1, 2, 3};
    const int e2[] = {1, 0, 0};
    ds_km_init(&km);
    CHECK_INT(ds_km_estimate(t2, e2, 3, &km, &err), 0, "S(1) = 2/3");
    CHECK(isnan(ds_km_median(&km)), "median NaN while S > 1/2");
    CHECK_INT(ds_km_estimate(t2, e2, 0, &km, &err), 0, "no observations");
    CHECK(isnan(ds_km_median(&km)), "median NaN without observations");
    ds_km_clear(&km);
    /* exactly 1/2 is the median (S <= 1/2) */
    const int e3[] = {1, 1, 0};
    const double t3[] = {1, 2, 3, 4};
    const int e4[] = {0, 1, 0, 0};
    ds_km_init(&km);
    CHECK_INT(ds_km_estimate(t3, e4, 4, &km, &err), 0, "S(2) = 2/3");
    CHECK(isnan(ds_km_median(&km)), "2/3 is above 1/2");
    CHECK_INT(ds_km_estimate(t2, e3, 2, &km, &err), 0, "S(1) = 1/2");
    CHECK_NEAR(ds_km_median(&km), 1, 0, "S = 1/2 exactly: median 1");
    ds_km_clear(&km);
}

/*
 * Simulated sessions with planted parameters. Each session has 20 bids
 * of A, 12 to 20 s apart; B answers each with probability p after a
 * latency L; if B does not answer, B withdraws 1 s after the bid with
 * probability 0.25 and pursues with probability 0.15 (else stays quiet).
 * Noise: A:soften and B:soften events between bids that answer nothing.
 *
 * Scenario 1: p = 0.6, L ~ Uniform(0.5, 4.5) (median 2.5), W = 5: every
 * response is within W, so the rate estimates p; unanswered bids are
 * censored at the next bid (>= 12 s) so 1 - S(5) estimates p too.
 * Over 400 sessions (8000 bids) the SE of the rate is
 * sqrt(.6·.4/8000) = 0.0055: tolerance 0.025 (4.5 SE). The median of 12
 * uniform latencies has SE ≈ 1.2533·(4/√12)/√12 ≈ 0.42; the mean of 400
 * session medians has SE ≈ 0.021: tolerance 0.1. Away: 0.4·0.25 = 0.10
 * of bids, SE 0.0034: tolerance 0.015; against 0.4·0.15 = 0.06.
 *
 * Scenario 2: p = 0.8, L ~ Uniform(1, 9), W = 5: P(L <= 5) = 1/2, so
 * the rate within W is 0.4 and 1 - S(5) is 0.4 as well (late answers are
 * KM events after W); the median of answered latencies (Uniform(1, 5))
 * is 3; answered late: 0.4 of bids.
 */
static void simulate(gsl_rng *rng, double p, double lat_lo, double lat_hi,
                     double w, double *rate, double *median, double *p_km,
                     double *away, double *against, double *late)
{
    const size_t n_sessions = 400, n_bids = 20;
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_responsive_t r;
    ds_responsive_init(&r);
    ds_responsive_opts_t o = opts(w);
    ds_error_t err = {0};
    double sum_rate = 0, sum_med = 0, sum_km = 0;
    size_t n_med = 0, n_km = 0, bids = 0, n_away = 0, n_against = 0,
           n_late = 0;
    enum { AS = 2, AB = 3, BP = 5, BW = 6, BS = 7, BR = 9 };
    for (size_t k = 0; k < n_sessions; k++) {
        ds_session_t *s = fx_new_session(c, 4 * n_bids + 2);
        double t = gsl_rng_uniform(rng) * 10;
        for (size_t b = 0; b < n_bids; b++) {
            fx_push(c, s, AB, t, 0);
            if (gsl_rng_uniform(rng) < p) {
                double l = lat_lo + (lat_hi - lat_lo) * gsl_rng_uniform(rng);
                fx_push(c, s, BR, t + l, 0);
            } else {
                double u = gsl_rng_uniform(rng);
                if (u < 0.25)
                    fx_push(c, s, BW, t + 1, 0);
                else if (u < 0.40)
                    fx_push(c, s, BP, t + 1, 0);
            }
            fx_push(c, s, gsl_rng_uniform(rng) < 0.5 ? AS : BS, t + 10, 0);
            t += 12 + 8 * gsl_rng_uniform(rng);
        }
        fx_push(c, s, AS, t, 0);
        if (ds_responsive_compute(c, s, 0, &o, &r, &err) != 0)
            break;
        bids += r.n_bids;
        n_away += r.n_turned_away;
        n_against += r.n_turned_against;
        n_late += r.n_answered_late;
        sum_rate += r.response_rate;
        if (!isnan(r.latency_median_s)) {
            sum_med += r.latency_median_s;
            n_med++;
        }
        if (!isnan(r.p_response_by_window)) {
            sum_km += r.p_response_by_window;
            n_km++;
        }
    }
    *rate = sum_rate / n_sessions;
    *median = sum_med / (double)n_med;
    *p_km = n_km == n_sessions ? sum_km / (double)n_km : NAN;
    *away = (double)n_away / (double)bids;
    *against = (double)n_against / (double)bids;
    *late = (double)n_late / (double)bids;
    ds_responsive_clear(&r);
    ds_corpus_free(c);
}

static void test_simulated(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 424242);
    double rate, med, pkm, away, against, late;
    simulate(rng, 0.6, 0.5, 4.5, 5, &rate, &med, &pkm, &away, &against,
             &late);
    CHECK_NEAR(rate, 0.6, 0.025, "scenario 1: response rate recovers p");
    CHECK_NEAR(med, 2.5, 0.1, "scenario 1: median latency recovered");
    CHECK_NEAR(pkm, 0.6, 0.025, "scenario 1: 1 - S(W) recovers p");
    CHECK_NEAR(away, 0.10, 0.015, "scenario 1: turned away 0.4·0.25");
    CHECK_NEAR(against, 0.06, 0.015, "scenario 1: turned against 0.4·0.15");
    CHECK_NEAR(late, 0, 0, "scenario 1: nothing late");
    simulate(rng, 0.8, 1, 9, 5, &rate, &med, &pkm, &away, &against, &late);
    CHECK_NEAR(rate, 0.4, 0.025, "scenario 2: rate = p·P(L <= W)");
    CHECK_NEAR(med, 3, 0.1, "scenario 2: median of latencies <= W");
    CHECK_NEAR(pkm, 0.4, 0.025, "scenario 2: 1 - S(W) = p·P(L <= W)");
    CHECK_NEAR(late, 0.4, 0.025, "scenario 2: answered late p·P(L > W)");
    gsl_rng_free(rng);
}

/* Random (time, event) pairs with many ties against km.R "pairs". */
static void test_km_against_r(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    enum { N = 300 };
    double t[N];
    int e[N];
    char path[256], outp[256];
    fx_tmpname(path, sizeof path, "km-pairs");
    fx_tmpname(outp, sizeof outp, "km-out");
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fprintf(f, "time,event\n");
    for (size_t i = 0; i < N; i++) {
        t[i] = 0.5 * (double)gsl_rng_uniform_int(rng, 40); /* ties */
        e[i] = gsl_rng_uniform(rng) < 0.6;
        fprintf(f, "%.17g,%d\n", t[i], e[i]);
    }
    fclose(f);
    char args[600];
    snprintf(args, sizeof args, "pairs '%s'", path);
    int rs = fx_rscript("km.R", args, outp);
    if (rs == 1) {
        SKIP("Kaplan-Meier against tests/r/km.R", "Rscript not installed");
    } else {
        CHECK_INT(rs, 0, "tests/r/km.R pairs ran");
        ds_km_t km;
        ds_km_init(&km);
        ds_error_t err = {0};
        CHECK_INT(ds_km_estimate(t, e, N, &km, &err), 0, "estimate");
        FILE *fo = fopen(outp, "r");
        size_t i = 0, bad = 0;
        double rt, rsv;
        long nr, nd;
        while (fo && fscanf(fo, "%lf,%ld,%ld,%lf", &rt, &nr, &nd, &rsv) ==
                         4) {
            if (i >= km.n || km.time_s[i] != rt ||
                (long)km.n_at_risk[i] != nr || (long)km.n_events[i] != nd ||
                fabs(km.survival[i] - rsv) > 1e-12)
                bad++;
            i++;
        }
        if (fo)
            fclose(fo);
        CHECK(i == km.n && i > 20, "same number of event times as R");
        CHECK_INT(bad, 0, "KM curve equals base-R product-limit");
        ds_km_clear(&km);
    }
    remove(path);
    remove(outp);
    gsl_rng_free(rng);
}

/*
 * Random sessions of actors A, B and T with all roles and onsets on a
 * 0.5-s grid (ties), against the forward-search implementation in
 * km.R "events": every summary value and every KM curve.
 */
static void test_sessions_against_r(void)
{
    const size_t n_sessions = 60;
    const double w = 3;
    ds_corpus_t *c = fx_corpus("A,B,T", FX_TIME);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 99);
    char path[256], outp[256];
    fx_tmpname(path, sizeof path, "resp-ev");
    fx_tmpname(outp, sizeof outp, "resp-out");
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fprintf(f, "session,onset,actor,role\n");
    /* bids and responses are made common so that most rules fire */
    static const size_t role_pick[] = {0, 1, 2, 3, 3, 3, 4, 4, 4, 4};
    for (size_t k = 0; k < n_sessions; k++) {
        size_t n = 2 + gsl_rng_uniform_int(rng, 40);
        ds_session_t *s = fx_new_session(c, n);
        double t = 0;
        for (size_t i = 0; i < n; i++) {
            size_t actor = gsl_rng_uniform(rng) < 0.1
                               ? 2 : gsl_rng_uniform_int(rng, 2);
            size_t role = role_pick[gsl_rng_uniform_int(rng, 10)];
            size_t st = actor * 5 + role;
            fx_push(c, s, st, t, 0);
            fprintf(f, "%zu,%.17g,%zu,%s\n", k, t, actor,
                    ds_role_name(c->state_role[st]));
            t += 0.5 * (double)gsl_rng_uniform_int(rng, 6);
        }
    }
    fclose(f);
    char args[600];
    snprintf(args, sizeof args, "events '%s' %g", path, w);
    int rs = fx_rscript("km.R", args, outp);
    if (rs == 1) {
        SKIP("responsiveness against tests/r/km.R", "Rscript not installed");
    } else {
        CHECK_INT(rs, 0, "tests/r/km.R events ran");
        ds_responsive_opts_t o = opts(w);
        ds_responsive_t r;
        ds_responsive_init(&r);
        ds_error_t err = {0};
        FILE *fo = fopen(outp, "r");
        char line[512];
        size_t n_s = 0, n_k = 0, bad = 0, ki = 0;
        long cur_s = -1, cur_b = -1;
        while (fo && fgets(line, sizeof line, fo)) {
            long ses, bid;
            if (line[0] == 'S') {
                long nb, na, nl, aw, ag;
                char rate[40], mean[40], med[40], pw[40];
                if (sscanf(line, "S,%ld,%ld,%ld,%ld,%ld,%39[^,],%39[^,],"
                                 "%39[^,],%ld,%ld,%39s", &ses, &bid, &nb,
                           &na, &nl, rate, mean, med, &aw, &ag, pw) != 11) {
                    bad++;
                    continue;
                }
                if (ki != r.km.n && cur_s >= 0)
                    bad++; /* previous curve had more points in C */
                cur_s = ses;
                cur_b = bid;
                ki = 0;
                if (ds_responsive_compute(c, &c->sessions[ses], (size_t)bid,
                                          &o, &r, &err) != 0) {
                    bad++;
                    continue;
                }
                double rr = strtod(rate, NULL), rm = strtod(mean, NULL),
                       rd = strtod(med, NULL), rp = strtod(pw, NULL);
                int ok = (long)r.n_bids == nb && (long)r.n_answered == na &&
                         (long)r.n_answered_late == nl &&
                         (long)r.n_turned_away == aw &&
                         (long)r.n_turned_against == ag;
#define SAME(x, y) ((isnan(x) && isnan(y)) || fabs((x) - (y)) < 1e-12)
                ok &= SAME(r.response_rate, rr) && SAME(r.latency_mean_s, rm)
                      && SAME(r.latency_median_s, rd) &&
                      SAME(r.p_response_by_window, rp);
                if (!ok && bad < 5)
                    printf("# session %ld bidder %ld: C %zu %zu %zu %.6g "
                           "%.6g %.6g %zu %zu %.6g | R %s", ses, bid,
                           r.n_bids, r.n_answered, r.n_answered_late,
                           r.response_rate, r.latency_mean_s,
                           r.latency_median_s, r.n_turned_away,
                           r.n_turned_against, r.p_response_by_window,
                           line + 2);
                bad += !ok;
                n_s++;
            } else if (line[0] == 'K') {
                double kt, ks;
                long nr, nd;
                if (sscanf(line, "K,%ld,%ld,%lf,%ld,%ld,%lf", &ses, &bid, &kt,
                           &nr, &nd, &ks) != 6 || ses != cur_s ||
                    bid != cur_b || ki >= r.km.n ||
                    r.km.time_s[ki] != kt || (long)r.km.n_at_risk[ki] != nr ||
                    (long)r.km.n_events[ki] != nd ||
                    !SAME(r.km.survival[ki], ks))
                    bad++;
                ki++;
                n_k++;
            }
        }
        if (ki != r.km.n)
            bad++;
        if (fo)
            fclose(fo);
        CHECK_INT(n_s, 2 * n_sessions, "R summarized every direction");
        UNIT_REPORT(bad == 0 && n_k > 100,
                    "responsiveness and %zu KM points equal base R "
                    "(%zu mismatches)", n_k, bad);
        ds_responsive_clear(&r);
    }
    remove(path);
    remove(outp);
    gsl_rng_free(rng);
    ds_corpus_free(c);
}

/* Pooling: product-limit estimates over the bids of sessions grouped by
 * label. Group 0: answered after 1 s, censored at 3 s, answered after
 * 4 s, censored at 1 s; group 1: answered after 2 s and 0.5 s.
 * Group 0 by hand (1e 1c 3c 4e): at 1, 4 at risk (the censoring at 1 is
 * still at risk), S = 3/4; at 4, 1 at risk, S = 0.
 * Group 1 (0.5e 2e): S(0.5) = 1/2, S(2) = 0.
 * All (0.5e 1e 1c 2e 3c 4e): 5/6; 5/6 * 4/5 = 2/3; at 2, 3 at risk,
 * 2/3 * 2/3 = 4/9; at 4, S = 0. */
static void test_km_pool(void)
{
    /* code = 2 group + event */
    double t[] = {1, 3, 2, 4, 1, 0.5}, e[] = {1, 0, 1, 1, 0, 1};
    double g[] = {0, 0, 1, 0, 0, 1}, code[6];
    for (int i = 0; i < 6; i++)
        code[i] = 2 * g[i] + e[i];
    ds_km_t km[3];
    for (int i = 0; i < 3; i++)
        ds_km_init(&km[i]);
    ds_error_t err;
    CHECK_INT(ds_km_pool_groups(t, code, 6, 2, NULL, 0, km, &err), DS_OK,
              "pool two groups");
    CHECK(km[0].n == 4 && km[1].n == 2 && km[2].n == 2,
          "event times: 4 in all, 2 per group");
    CHECK_INT(km[0].n_obs, 6, "six bids in all");
    CHECK_INT(km[1].n_obs, 4, "four in group 0");
    if (km[0].n == 4 && km[1].n == 2 && km[2].n == 2) {
        CHECK_NEAR(km[0].survival[0], 5.0 / 6, 1e-15, "all: S(0.5) = 5/6");
        CHECK_NEAR(km[0].survival[1], 2.0 / 3, 1e-15, "all: S(1) = 2/3");
        CHECK_NEAR(km[0].survival[2], 4.0 / 9, 1e-15, "all: S(2) = 4/9");
        CHECK_INT(km[0].n_at_risk[2], 3, "all: 3 at risk at 2 s");
        CHECK_NEAR(km[0].survival[3], 0, 0, "all: S(4) = 0");
        CHECK_NEAR(km[1].survival[0], 0.75, 1e-15, "group 0: S(1) = 3/4");
        CHECK_INT(km[1].n_at_risk[0], 4, "group 0: censoring at 1 at risk");
        CHECK_INT(km[1].n_at_risk[1], 1, "group 0: 1 at risk at 4 s");
        CHECK_NEAR(km[2].survival[0], 0.5, 1e-15, "group 1: S(0.5) = 1/2");
        CHECK_NEAR(km[2].time_s[1], 2, 0, "group 1: second time 2 s");
    }
    /* the same observations as sorted runs (three "sessions"), merged
     * instead of sorted, give the same curves */
    double tr[] = {1, 3, 0.5, 2, 1, 4}, er[] = {1, 0, 1, 1, 0, 1};
    double gr[] = {0, 0, 1, 1, 0, 0}, cr[6];
    for (int i = 0; i < 6; i++)
        cr[i] = 2 * gr[i] + er[i];
    size_t run[] = {0, 2, 4, 6};
    ds_km_t km2[3];
    for (int i = 0; i < 3; i++)
        ds_km_init(&km2[i]);
    int same = ds_km_pool_groups(tr, cr, 6, 2, run, 3, km2, &err) == DS_OK;
    for (int i = 0; i < 3 && same; i++) {
        same &= km2[i].n == km[i].n && km2[i].n_obs == km[i].n_obs;
        for (size_t p = 0; same && p < km[i].n; p++)
            same &= km2[i].time_s[p] == km[i].time_s[p] &&
                    km2[i].survival[p] == km[i].survival[p] &&
                    km2[i].n_at_risk[p] == km[i].n_at_risk[p];
    }
    CHECK(same, "merging sorted runs gives the curves of sorting");
    for (int i = 0; i < 3; i++) {
        ds_km_clear(&km[i]);
        ds_km_clear(&km2[i]);
    }
}

enum { MANY_RUNS = 1000, MANY_EACH = 7, MANY_N = MANY_RUNS * MANY_EACH };

/* The observations of test_km_pool_many: MANY_RUNS runs, each sorted by
 * time, bounds in run[]; their number. */
static size_t many_runs(double *t, double *code, size_t *run)
{
    size_t n = 0;
    unsigned long x = 12345;
    for (size_t r = 0; r < MANY_RUNS; r++) {
        run[r] = n;
        size_t m = r % 5 == 3 ? 0 : MANY_EACH; /* some sessions without bids */
        /* later groups start earlier, so the groups' order is not their
         * times' */
        double at = (double)((MANY_RUNS - r) / 256) * 3 + (double)(r % 4);
        for (size_t k = 0; k < m; k++, n++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            at += (double)((x >> 33) % 4) * 0.5; /* ties within and across */
            t[n] = at;
            code[n] = 2.0 * (double)(r % 3) + (double)((x >> 20) & 1);
        }
    }
    run[MANY_RUNS] = n;
    return n;
}

/* Whether curves a and b (4 each) agree point for point. */
static int same_curves(const ds_km_t *a, const ds_km_t *b)
{
    int same = 1;
    for (int i = 0; i < 4 && same; i++) {
        same &= a[i].n == b[i].n && a[i].n_obs == b[i].n_obs && a[i].n > 10;
        for (size_t p = 0; same && p < a[i].n; p++)
            same &= a[i].time_s[p] == b[i].time_s[p] &&
                    a[i].survival[p] == b[i].survival[p] &&
                    a[i].n_at_risk[p] == b[i].n_at_risk[p] &&
                    a[i].n_events[p] == b[i].n_events[p];
    }
    return same;
}

/* Many sessions' runs (more than one merge group of the pooling, with
 * empty runs and times tied across groups) give the curves of sorting
 * all the observations at once, point for point; and so do the steps of
 * the pooling taken part by part in any order (as threads take them). */
static void test_km_pool_many(void)
{
    static double t[MANY_N], code[MANY_N], t2[MANY_N], c2[MANY_N];
    size_t run[MANY_RUNS + 1];
    size_t n = many_runs(t, code, run);
    memcpy(t2, t, n * sizeof *t);
    memcpy(c2, code, n * sizeof *code);
    ds_km_t a[4], b[4], c[4];
    for (int i = 0; i < 4; i++) {
        ds_km_init(&a[i]);
        ds_km_init(&b[i]);
        ds_km_init(&c[i]);
    }
    ds_error_t err;
    int ok = ds_km_pool_groups(t, code, n, 3, run, MANY_RUNS, a, &err) ==
                 DS_OK &&
             ds_km_pool_groups(t2, c2, n, 3, NULL, 0, b, &err) == DS_OK;
    CHECK(ok, "pooled 1000 runs, merged and sorted");
    CHECK(ok && same_curves(a, b), "1000 runs merged in groups: the curves "
                                   "of sorting, point for point");
    n = many_runs(t, code, run);
    size_t parts = ds_km_merge_parts(MANY_RUNS);
    CHECK(parts > 1 && ds_km_part_first_run(MANY_RUNS, 0) == 0 &&
              ds_km_part_first_run(MANY_RUNS, parts) == MANY_RUNS,
          "the runs' parts cover them");
    ok = 1;
    for (size_t p = parts; p-- > 0;) /* last to first */
        ok &= ds_km_merge_part(t, code, run, MANY_RUNS, p) == 0;
    ok = ok && ds_km_pool_merged(t, code, n, 3, run, MANY_RUNS, c, &err) ==
                   DS_OK;
    CHECK(ok && same_curves(c, a), "merged part by part, last to first, "
                                   "then swept: the same curves");
    for (int i = 0; i < 4; i++) {
        ds_km_clear(&a[i]);
        ds_km_clear(&b[i]);
        ds_km_clear(&c[i]);
    }
}

int main(void)
{
    test_rules();
    test_km_pool();
    test_km_pool_many();
    test_ties();
    test_no_response();
    test_third_actor();
    test_errors();
    test_km_known();
    test_simulated();
    test_km_against_r();
    test_sessions_against_r();
    return UNIT_DONE();
}
