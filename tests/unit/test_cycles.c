/*
 * Unit tests of cycles.c (SPEC 4.7): pursue–withdraw cycles and
 * softening, every expected value worked out by hand in the comments.
 */
#include <stdlib.h>

#include "dyadseq/cycles.h"
#include "dyadseq/softening.h"
#include "fixture.h"
#include "unit.h"

static ds_cycles_opts_t opts(size_t min_len)
{
    ds_cycles_opts_t o;
    ds_cycles_opts_init(&o);
    o.min_len = min_len;
    return o;
}

/*
 * Two back-to-back cycles split at a repeated pursue.
 *   A:p 0, B:w 2, A:p 4, A:p 6, B:w 8, A:p 10
 * A:p 4 → A:p 6 does not alternate: runs [0..2] and [3..5], 3 events
 * each, pursuer A. Run 1 ends with A:p (role pursue: "other"), time
 * 6 - 0 = 6; run 2 ends the session, time = last onset 10 - 6 = 4.
 * time in cycles 10 of a 10-s session: share 1.
 */
static void test_split(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_session(c, "A:pursue 0, B:withdraw 2, A:pursue 4, "
                                    "A:pursue 6, B:withdraw 8, A:pursue 10");
    ds_cycles_opts_t o = opts(3);
    ds_cycles_t y;
    ds_cycle_run_t runs[4];
    size_t n_runs = 0;
    ds_error_t err = {0};
    CHECK_INT(ds_cycles_compute(c, s, &o, &y, runs, 4, &n_runs, &err), 0,
              "computed");
    CHECK_INT(y.n_cycles, 2, "two cycles");
    CHECK_INT(n_runs, 2, "two runs listed");
    CHECK_INT(y.events_in_cycles, 6, "6 events in cycles");
    CHECK_INT(y.longest_cycle, 3, "longest 3");
    CHECK_INT(y.n_pursuer_a, 2, "both pursued by A");
    CHECK_INT(y.n_pursuer_b, 0, "none by B");
    CHECK_INT(y.ended_other, 1, "first ended by a pursue: other");
    CHECK_INT(y.ended_by_session_end, 1, "second ended the session");
    CHECK_NEAR(y.time_in_cycles_s, 10, 0, "6 + 4 s");
    CHECK_NEAR(y.share_time_in_cycles, 1, 0, "share 10/10");
    CHECK(runs[0].first == 0 && runs[0].len == 3 && runs[0].pursuer == 0 &&
              runs[0].end == DS_CYCLE_END_OTHER && runs[0].time_s == 6,
          "run 1: events 0..2, A, other, 6 s");
    CHECK(runs[1].first == 3 && runs[1].len == 3 &&
              runs[1].end == DS_CYCLE_END_SESSION && runs[1].time_s == 4,
          "run 2: events 3..5, session end, 4 s");
    CHECK(runs[0].start_s == 0 && runs[0].end_s == 6 &&
              runs[1].start_s == 6 && runs[1].end_s == 10,
          "run 1 from 0 to the next onset 6 s, run 2 from 6 to the last "
          "onset 10 s");
    /* a listing shorter than the number of cycles: the count is whole */
    CHECK_INT(ds_cycles_compute(c, s, &o, &y, runs, 1, &n_runs, &err), 0,
              "runs_cap 1");
    CHECK_INT(n_runs, 2, "count is complete when the listing is not");
    ds_corpus_free(c);
}

/* Without a time column a cycle has no start, end or time (NaN). */
static void test_runs_untimed(void)
{
    ds_corpus_t *c = fx_corpus("A,B", 0);
    ds_session_t *s = fx_session(c, "A:pursue 0, B:withdraw 0, A:pursue 0, "
                                    "B:bid 0");
    ds_cycles_opts_t o = opts(3);
    ds_cycles_t y;
    ds_cycle_run_t runs[1];
    size_t n_runs = 0;
    ds_error_t err = {0};
    CHECK_INT(ds_cycles_compute(c, s, &o, &y, runs, 1, &n_runs, &err), 0,
              "untimed");
    CHECK(n_runs == 1 && runs[0].first == 0 && runs[0].len == 3 &&
              runs[0].end == DS_CYCLE_END_BID && isnan(runs[0].start_s) &&
              isnan(runs[0].end_s) && isnan(runs[0].time_s),
          "untimed run: events 0..2, ended by a bid, times NaN");
    ds_corpus_free(c);
}

/*
 * Withdraw first; ended by softening; pursuer switch; ended by a bid.
 * (a) B:w 0, A:p 1, B:w 2, A:soften 5, B:bid 9: one cycle of 3, pursuer
 *     A (B's withdraw names A), ended by soften, time 5 - 0 = 5, share
 *     5/9.
 * (b) A:p 0, B:w 1, B:p 2, A:w 3, B:p 4, A:bid 6, B:response 8: B:p
 *     names B, so runs [A:p B:w] (A) and [B:p A:w B:p] (B). min 3: one
 *     cycle, pursuer B, ended by bid, time 6 - 2 = 4, share 4/8.
 *     min 2: two cycles; the first ends with B:p ("other"), time
 *     2 - 0 = 2; total 6, share 6/8, longest 3, 5 events.
 */
static void test_switch(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *sa = fx_session(c, "B:withdraw 0, A:pursue 1, "
                                     "B:withdraw 2, A:soften 5, B:bid 9");
    ds_session_t *sb = fx_session(c, "A:pursue 0, B:withdraw 1, B:pursue 2, "
                                     "A:withdraw 3, B:pursue 4, A:bid 6, "
                                     "B:response 8");
    ds_cycles_opts_t o = opts(3);
    ds_cycles_t y;
    ds_error_t err = {0};
    CHECK_INT(ds_cycles_compute(c, sa, &o, &y, NULL, 0, NULL, &err), 0,
              "(a)");
    CHECK(y.n_cycles == 1 && y.n_pursuer_a == 1 && y.ended_by_soften == 1,
          "(a) one cycle, withdraw first, pursuer A, ended by soften");
    CHECK_NEAR(y.time_in_cycles_s, 5, 0, "(a) 5 s");
    CHECK_NEAR(y.share_time_in_cycles, 5.0 / 9, 1e-15, "(a) share 5/9");

    CHECK_INT(ds_cycles_compute(c, sb, &o, &y, NULL, 0, NULL, &err), 0,
              "(b)");
    CHECK(y.n_cycles == 1 && y.n_pursuer_b == 1 && y.n_pursuer_a == 0 &&
              y.ended_by_bid == 1,
          "(b) min 3: one cycle pursued by B, ended by bid");
    CHECK_NEAR(y.time_in_cycles_s, 4, 0, "(b) 4 s");
    CHECK_NEAR(y.share_time_in_cycles, 0.5, 0, "(b) share 4/8");
    o.min_len = 2;
    CHECK_INT(ds_cycles_compute(c, sb, &o, &y, NULL, 0, NULL, &err), 0,
              "(b) min 2");
    CHECK(y.n_cycles == 2 && y.n_pursuer_a == 1 && y.n_pursuer_b == 1 &&
              y.ended_other == 1 && y.ended_by_bid == 1,
          "(b) min 2: A's run ended by B's pursue (other), B's by a bid");
    CHECK(y.events_in_cycles == 5 && y.longest_cycle == 3, "(b) 5, 3");
    CHECK_NEAR(y.time_in_cycles_s, 6, 0, "(b) min 2: 2 + 4 s");
    ds_corpus_free(c);
}

/*
 * Runs that are not cycles, long runs, ties and durations.
 * (a) A:p 0, B:w 1, A:w 2, B:p 3: A:w names B and B:w names A, so runs
 *     [A:p B:w] and [A:w B:p]: no cycle; time 0, share 0/3 = 0,
 *     longest 0.
 * (b) A:p A:p B:w B:w A:p (0..4): runs [A:p] [A:p B:w] [B:w A:p]: with
 *     min 2 two cycles of 2, none with min 3.
 * (c) B:w A:p B:w A:p B:w A:p B:w at 0..6, B:bid 7: one cycle of 7,
 *     ended by bid, 7 s.
 * (d) A:p 0, B:w 0, A:p 0: one cycle of 3, 0 s, in a session of
 *     duration 0: share NaN.
 * (e) durations: A:p 0/1, B:w 1/1, A:p 2/8: the run ends the session, so
 *     its time runs to the last ONSET, 2 - 0 = 2 (SPEC 4.7); the session
 *     lasts to the last offset, 10: share 0.2.
 */
static void test_edges(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *sa = fx_session(c, "A:pursue 0, B:withdraw 1, "
                                     "A:withdraw 2, B:pursue 3");
    ds_session_t *sb = fx_session(c, "A:pursue 0, A:pursue 1, B:withdraw 2, "
                                     "B:withdraw 3, A:pursue 4");
    ds_session_t *sc = fx_session(c, "B:withdraw 0, A:pursue 1, "
                                     "B:withdraw 2, A:pursue 3, B:withdraw 4,"
                                     " A:pursue 5, B:withdraw 6, B:bid 7");
    ds_session_t *sd = fx_session(c, "A:pursue 0, B:withdraw 0, A:pursue 0");
    ds_cycles_opts_t o = opts(3);
    ds_cycles_t y;
    ds_error_t err = {0};
    CHECK_INT(ds_cycles_compute(c, sa, &o, &y, NULL, 0, NULL, &err), 0,
              "(a)");
    CHECK(y.n_cycles == 0 && y.longest_cycle == 0 &&
              y.time_in_cycles_s == 0 && y.share_time_in_cycles == 0,
          "(a) pursuers disagree: no cycle, 0 s, share 0");
    o.min_len = 2;
    CHECK_INT(ds_cycles_compute(c, sb, &o, &y, NULL, 0, NULL, &err), 0,
              "(b)");
    CHECK_INT(y.n_cycles, 2, "(b) min 2: [A:p B:w] and [B:w A:p]");
    o.min_len = 3;
    CHECK_INT(ds_cycles_compute(c, sb, &o, &y, NULL, 0, NULL, &err), 0,
              "(b)");
    CHECK_INT(y.n_cycles, 0, "(b) min 3: none");
    CHECK_INT(ds_cycles_compute(c, sc, &o, &y, NULL, 0, NULL, &err), 0,
              "(c)");
    CHECK(y.n_cycles == 1 && y.longest_cycle == 7 && y.ended_by_bid == 1 &&
              y.time_in_cycles_s == 7,
          "(c) one cycle of 7 ended by a bid, 7 s");
    CHECK_INT(ds_cycles_compute(c, sd, &o, &y, NULL, 0, NULL, &err), 0,
              "(d)");
    CHECK(y.n_cycles == 1 && y.time_in_cycles_s == 0 &&
              isnan(y.share_time_in_cycles),
          "(d) zero-length session: share NaN");
    ds_corpus_free(c);

    c = fx_corpus("A,B", FX_TIME | FX_DURATION);
    ds_session_t *se = fx_session(c, "A:pursue 0/1, B:withdraw 1/1, "
                                     "A:pursue 2/8");
    CHECK_INT(ds_cycles_compute(c, se, &o, &y, NULL, 0, NULL, &err), 0,
              "(e)");
    CHECK_NEAR(y.time_in_cycles_s, 2, 0, "(e) to the last onset");
    CHECK_NEAR(y.share_time_in_cycles, 0.2, 1e-15,
               "(e) of a session lasting to the last offset");
    ds_corpus_free(c);
}

/*
 * A third actor breaks runs; no time column.
 * (a) A:p 0, B:w 1, T:soften 2, A:p 3, B:w 4, A:p 5: T splits the
 *     events into [A:p B:w] and [A:p B:w A:p]: one cycle, ending the
 *     session, time 5 - 3 = 2.
 * (b) A:p 0, B:w 1, T:pursue 2, A:p 3: T's pursue names no partner: no
 *     cycle.
 * (c) without time, the split session of test_split: counts as there,
 *     time and share NaN.
 */
static void test_third_actor_and_no_time(void)
{
    ds_corpus_t *c = fx_corpus("A,B,T", FX_TIME);
    ds_session_t *sa = fx_session(c, "A:pursue 0, B:withdraw 1, T:soften 2,"
                                     " A:pursue 3, B:withdraw 4, A:pursue 5");
    ds_session_t *sb = fx_session(c, "A:pursue 0, B:withdraw 1, T:pursue 2,"
                                     " A:pursue 3");
    ds_cycles_opts_t o = opts(3);
    ds_cycles_t y;
    ds_error_t err = {0};
    CHECK_INT(ds_cycles_compute(c, sa, &o, &y, NULL, 0, NULL, &err), 0,
              "(a)");
    CHECK(y.n_cycles == 1 && y.events_in_cycles == 3 &&
              y.ended_by_session_end == 1 && y.time_in_cycles_s == 2,
          "(a) T's event breaks the run");
    CHECK_INT(ds_cycles_compute(c, sb, &o, &y, NULL, 0, NULL, &err), 0,
              "(b)");
    CHECK_INT(y.n_cycles, 0, "(b) T's pursue breaks the run");
    ds_corpus_free(c);

    c = fx_corpus("A,B", 0);
    ds_session_t *s = fx_session(c, "A:pursue 0, B:withdraw 0, A:pursue 0, "
                                    "A:pursue 0, B:withdraw 0, A:pursue 0");
    CHECK_INT(ds_cycles_compute(c, s, &o, &y, NULL, 0, NULL, &err), 0,
              "(c) no time");
    CHECK(y.n_cycles == 2 && y.events_in_cycles == 6,
          "(c) cycles need no time");
    CHECK(isnan(y.time_in_cycles_s) && isnan(y.share_time_in_cycles),
          "(c) time and share NaN");
    ds_softening_t so[2];
    CHECK_INT(ds_softening_compute(c, s, &o, so, &err), 0,
              "(c) softening without time");
    CHECK(so[0].n_soften == 0 && isnan(so[0].rate_per_min) &&
              isnan(so[0].first_onset_s) && isnan(so[0].share_reciprocated),
          "(c) softening: only the count is defined");
    ds_corpus_free(c);
}

/*
 * Softening, W = 5.
 *   A:soften 10, B:response 12, A:soften 20, B:pursue 21, B:soften 27,
 *   B:soften 30, A:bid 31, A:response 33, A:soften 40
 * A: softens at 10, 20, 40.
 *   10 → B's first soften/response after it: response at 12 (2 s): yes
 *   20 → B's pursue is skipped; B:soften at 27 (7 s): no
 *   40 → nothing after: no
 *   n 3, reciprocated 1, share 1/3, first 10; session 10..40 = 0.5 min:
 *   rate 6 per minute.
 * B: softens at 27, 30.
 *   27 → A's bid is skipped; A:response at 33 (6 s): no
 *   30 → A:response at 33 (3 s): yes
 *   n 2, share 1/2, first 27, rate 4 per minute.
 */
static void test_softening(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_session(
        c, "A:soften 10, B:response 12, A:soften 20, B:pursue 21, "
           "B:soften 27, B:soften 30, A:bid 31, A:response 33, A:soften 40");
    ds_cycles_opts_t o = opts(3);
    ds_softening_t so[2];
    ds_error_t err = {0};
    CHECK_INT(ds_softening_compute(c, s, &o, so, &err), 0, "computed");
    CHECK(so[0].actor == 0 && so[1].actor == 1, "rows A, B");
    CHECK_INT(so[0].n_soften, 3, "A: 3 softens");
    CHECK_INT(so[0].n_reciprocated, 1, "A: 1 reciprocated");
    CHECK_NEAR(so[0].share_reciprocated, 1.0 / 3, 1e-15, "A: share 1/3");
    CHECK_NEAR(so[0].first_onset_s, 10, 0, "A: first at 10");
    CHECK_NEAR(so[0].rate_per_min, 6, 1e-12, "A: 6 per minute");
    CHECK_INT(so[1].n_soften, 2, "B: 2 softens");
    CHECK_NEAR(so[1].share_reciprocated, 0.5, 0, "B: share 1/2");
    CHECK_NEAR(so[1].first_onset_s, 27, 0, "B: first at 27");
    CHECK_NEAR(so[1].rate_per_min, 4, 1e-12, "B: 4 per minute");
    /* W = 6: B's soften at 27 is now answered by A at 33 (6 s <= W) */
    o.window_s = 6;
    CHECK_INT(ds_softening_compute(c, s, &o, so, &err), 0, "W 6");
    CHECK_NEAR(so[1].share_reciprocated, 1, 0, "B: W = 6, both");
    ds_corpus_free(c);

    /* A third actor neither softens in a row nor reciprocates:
     * A:soften 0, T:soften 1, B:soften 7 (W 5): A's soften → B at 7 s:
     * no; B's → nothing after. Rates over 7 s: 60/7 each. A session of
     * one soften lasts 0 s: rate NaN, first 3, share 0 (none came). */
    c = fx_corpus("A,B,T", FX_TIME);
    s = fx_session(c, "A:soften 0, T:soften 1, B:soften 7");
    ds_session_t *one = fx_session(c, "A:soften 3");
    ds_session_t *none = fx_session(c, "A:bid 0, B:response 2");
    o.window_s = 5;
    CHECK_INT(ds_softening_compute(c, s, &o, so, &err), 0, "with T");
    CHECK(so[0].n_soften == 1 && so[0].n_reciprocated == 0 &&
              so[1].n_soften == 1,
          "T's soften counts for nobody and reciprocates nothing");
    CHECK_NEAR(so[0].rate_per_min, 60.0 / 7, 1e-12, "A: 60/7 per minute");
    CHECK_INT(ds_softening_compute(c, one, &o, so, &err), 0, "one event");
    CHECK(isnan(so[0].rate_per_min) && so[0].first_onset_s == 3 &&
              so[0].share_reciprocated == 0,
          "zero-length session: rate NaN, first 3, share 0");
    CHECK_INT(ds_softening_compute(c, none, &o, so, &err), 0, "no soften");
    CHECK(so[0].n_soften == 0 && so[0].rate_per_min == 0 &&
              isnan(so[0].first_onset_s) && isnan(so[0].share_reciprocated),
          "no soften: rate 0, first and share NaN");
    ds_corpus_free(c);
}

/* Missing actor column, one actor, bad options. */
static void test_errors(void)
{
    ds_cycles_opts_t o = opts(3);
    ds_cycles_t y;
    ds_softening_t so[2];
    ds_error_t err = {0};
    ds_corpus_t *c = fx_corpus(NULL, FX_TIME);
    ds_session_t *s = fx_session(c, "pursue 0, withdraw 1, pursue 2");
    CHECK_INT(ds_cycles_compute(c, s, &o, &y, NULL, 0, NULL, &err),
              DS_ENOTAVAIL, "cycles without actor: DS_ENOTAVAIL");
    CHECK(strstr(err.msg, "actor column") != NULL, "message says actor");
    CHECK_INT(ds_softening_compute(c, s, &o, so, &err), DS_ENOTAVAIL,
              "softening without actor: DS_ENOTAVAIL");
    ds_corpus_free(c);

    c = fx_corpus("A", FX_TIME);
    s = fx_session(c, "A:pursue 0, A:withdraw 1");
    CHECK_INT(ds_cycles_compute(c, s, &o, &y, NULL, 0, NULL, &err),
              DS_ENOTAVAIL, "one actor: DS_ENOTAVAIL");
    ds_corpus_free(c);

    c = fx_corpus("A,B", FX_TIME);
    s = fx_session(c, "A:pursue 0, B:withdraw 1");
    o.min_len = 1;
    CHECK_INT(ds_cycles_compute(c, s, &o, &y, NULL, 0, NULL, &err),
              DS_EUSAGE, "--cycle-min 1: DS_EUSAGE");
    o.min_len = 3;
    o.window_s = -2;
    CHECK_INT(ds_softening_compute(c, s, &o, so, &err), DS_EUSAGE,
              "W < 0: DS_EUSAGE");
    /* an empty session is fine: nothing to count */
    ds_session_t *e = fx_new_session(c, 1);
    o.window_s = 5;
    CHECK_INT(ds_cycles_compute(c, e, &o, &y, NULL, 0, NULL, &err), 0,
              "empty session");
    CHECK(y.n_cycles == 0 && y.time_in_cycles_s == 0 &&
              isnan(y.share_time_in_cycles),
          "empty session: no cycles, share NaN");
    ds_corpus_free(c);
}

int main(void)
{
    test_split();
    test_runs_untimed();
    test_switch();
    test_edges();
    test_third_actor_and_no_time();
    test_softening();
    test_errors();
    return UNIT_DONE();
}
