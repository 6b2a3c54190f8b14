/*
 * test_compare.c — the pure compare module on a hand-made session table:
 * pairing couples across labels whatever the session order, which value
 * of which session each metric takes, the reasons a couple is left out,
 * transitions (parsing, defaults, structural zeros) and the errors.
 * The statistics themselves are tested in test_paired.c, and end to end
 * against R in tests/compare/.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dyadseq/compare.h"
#include "unit.h"

#define NS 6
#define NK 4

/* States A:pursue A:withdraw B:pursue B:withdraw (actor-major). Sessions
 * deliberately out of (couple, label) order; c4 has neither label. */
static const char *couple[NS] = {"c2", "c1", "c1", "c3", "c2", "c4"};
static const char *label[NS] = {"post", "pre", "post", "pre", "pre", "mid"};
static const char *states[NK] = {"A:pursue", "A:withdraw", "B:pursue",
                                "B:withdraw"};
static const int state_actor[NK] = {0, 0, 1, 1};
static const ds_role_t state_role[NK] = {DS_ROLE_PURSUE, DS_ROLE_WITHDRAW,
                                        DS_ROLE_PURSUE, DS_ROLE_WITHDRAW};
static const char *actors[2] = {"A", "B"};

static int64_t counts[NS * NK * NK];
static double q[NS * NK * NK], z[NS * NK * NK];
static int64_t n_events[NS] = {100, 60, 90, 10, 30, 5};
static double duration[NS] = {300, 120, 600, 60, 0, 10};
static int64_t n_bids[2 * NS], n_answered[2 * NS];
static double rate[2 * NS], latency[2 * NS];
static int64_t n_cycles[NS] = {5, 4, 3, 2, 1, 0};
static double share[NS] = {0.5, 0.4, 0.3, 0.2, 0.1, 0};
static int64_t n_soften[2 * NS];
static double soften[2 * NS];

static void table(ds_compare_sessions_t *v)
{
    memset(v, 0, sizeof *v);
    for (size_t s = 0; s < NS; s++)
        for (size_t c = 0; c < NK * NK; c++) {
            counts[s * NK * NK + c] = 1;
            q[s * NK * NK + c] = (double)s + (double)c / 100; /* s.cc */
            z[s * NK * NK + c] = -((double)s + (double)c / 100);
        }
    /* c1 pre (session 1): no transition from A:pursue, so its Q is NaN */
    for (size_t j = 0; j < NK; j++) {
        counts[1 * NK * NK + 0 * NK + j] = 0;
        q[1 * NK * NK + 0 * NK + j] = NAN;
        z[1 * NK * NK + 0 * NK + j] = NAN;
    }
    for (size_t k = 0; k < 2 * NS; k++) {
        n_bids[k] = 4;
        n_answered[k] = 2;
        rate[k] = 0.5 + (double)k / 100;
        latency[k] = 1 + (double)k / 100;
        n_soften[k] = 3;
        soften[k] = 0.25 + (double)k / 100;
    }
    /* c1 post (session 2): B never bids */
    n_bids[2 * 2 + 1] = 0;
    n_answered[2 * 2 + 1] = 0;
    rate[2 * 2 + 1] = latency[2 * 2 + 1] = NAN;
    /* c2 pre (session 4) has duration 0: its rates are NaN */
    soften[2 * 4] = soften[2 * 4 + 1] = NAN;
    share[4] = NAN;

    v->S = NS;
    v->K = NK;
    v->couple = couple;
    v->label = label;
    v->state_label = states;
    v->state_actor = state_actor;
    v->state_role = state_role;
    v->n_actors = 2;
    v->actors = actors;
    v->has_time = 1;
    v->n_events = n_events;
    v->duration_s = duration;
    v->counts = counts;
    v->yules_q = q;
    v->adjusted_residual = z;
    v->n_bids = n_bids;
    v->n_answered = n_answered;
    v->response_rate = rate;
    v->latency_median_s = latency;
    v->response_window_s = 5;
    v->n_cycles = n_cycles;
    v->share_time_in_cycles = share;
    v->n_soften = n_soften;
    v->softening_rate_per_min = soften;
}

static const ds_compare_metric_t *metric(const ds_compare_t *c,
                                         const char *name)
{
    long i = ds_compare_find(c, name);
    return i < 0 ? NULL : &c->metric[i];
}

/* The default transitions and parsing FROM->TO; the defaults in tr, their
 * number returned. */
static size_t test_transitions(ds_compare_sessions_t *v, ds_transition_t *tr)
{
    ds_error_t err = {0};
    size_t n_tr = ds_compare_default_transitions(v, tr, 8);
    CHECK_INT(n_tr, 2, "defaults: each partner's pursue -> the other's "
                       "withdraw (no bid, response or soften codes)");
    CHECK(tr[0].from == 0 && tr[0].to == 3 && tr[1].from == 2 &&
              tr[1].to == 1,
          "defaults: A:pursue->B:withdraw, then B:pursue->A:withdraw");
    ds_transition_t t;
    CHECK(ds_compare_parse_transition(v, "A:pursue->B:withdraw", &t, &err)
                  == 0 && t.from == 0 && t.to == 3,
          "parse FROM->TO");
    CHECK(ds_compare_parse_transition(v, "B:pursue:A:pursue", &t, &err) ==
                  0 && t.from == 2 && t.to == 0,
          "parse FROM:TO");
    CHECK_INT(ds_compare_parse_transition(v, "A:pursue->B:withdrw", &t,
                                          &err),
              DS_EUSAGE, "an unknown state is a usage error");
    CHECK(strstr(err.msg, "did you mean 'B:withdraw'") != NULL,
          "... naming the nearest state");
    uint8_t zero[NK * NK] = {0};
    zero[0 * NK + 3] = 1;
    v->structural_zero = zero;
    CHECK_INT(ds_compare_parse_transition(v, "A:pursue->B:withdraw", &t,
                                          &err),
              DS_EUSAGE, "a structural zero cannot be compared");
    CHECK_INT(ds_compare_default_transitions(v, tr, 8), 1,
              "defaults leave structural zeros out");
    v->structural_zero = NULL;
    return ds_compare_default_transitions(v, tr, 8);
}

/* Labels that cannot be compared. */
static void test_build_errors(ds_compare_sessions_t *v,
                              const ds_transition_t *tr, size_t n_tr)
{
    ds_error_t err = {0};
    ds_compare_t *c = NULL;
    CHECK_INT(ds_compare_build(v, "pre", "pre", tr, n_tr, &c, &err),
              DS_EUSAGE, "--pre equal to --post");
    CHECK_INT(ds_compare_build(v, "Pre", "post", tr, n_tr, &c, &err),
              DS_EUSAGE, "a label no session has");
    CHECK_STR(err.msg, "--pre: no session is labelled 'Pre' (did you mean "
                       "'pre'?); the session labels are 'mid', 'post', "
                       "'pre'",
              "... with the labels there are, in byte order");
    CHECK_INT(ds_compare_build(v, "mid", "post", tr, n_tr, &c, &err),
              DS_EDATA, "no couple with both labels is a data error");
    CHECK(c == NULL, "... and nothing is returned");
}

/* Couples paired by label, the metrics and their values. */
static void test_values(const ds_compare_t *c)
{
    CHECK_INT(c->n_couples, 3, "couples with either session: c1 c2 c3 "
                               "(c4 has neither)");
    CHECK(strcmp(c->couple[0], "c1") == 0 && strcmp(c->couple[1], "c2") ==
              0 && strcmp(c->couple[2], "c3") == 0,
          "couples in byte order whatever the session order");
    CHECK(c->pre_session[0] == 1 && c->post_session[0] == 2 &&
              c->pre_session[1] == 4 && c->post_session[1] == 0 &&
              c->pre_session[2] == 3 && c->post_session[2] == -1,
          "each couple's pre and post session rows");
    CHECK_INT(c->n_both, 2, "two couples have both");
    CHECK_INT(c->n_metrics, 2 * 2 + 4 + 4 + 1, "13 metrics");
    static const char *names[] = {
        "yules_q[A:pursue->B:withdraw]", "yules_q[B:pursue->A:withdraw]",
        "adjusted_residual[A:pursue->B:withdraw]",
        "adjusted_residual[B:pursue->A:withdraw]", "response_rate[A->B]",
        "response_rate[B->A]", "latency_median_s[A->B]",
        "latency_median_s[B->A]", "cycles_per_10min",
        "share_time_in_cycles", "softening_rate_per_min[A]",
        "softening_rate_per_min[B]", "events_per_min"};
    int in_order = c->n_metrics == 13;
    for (size_t i = 0; in_order && i < 13; i++)
        in_order = strcmp(c->metric[i].name, names[i]) == 0;
    CHECK(in_order, "metric names and order as compare.h");

    const ds_compare_metric_t *m = metric(c, "yules_q[B:pursue->A:withdraw]");
    /* cell B:pursue -> A:withdraw = 2 * 4 + 1 = 9: value s.09 */
    CHECK_NEAR(m->pre[0], 1.09, 1e-12, "Q: c1 pre is session 1's cell");
    CHECK_NEAR(m->post[0], 2.09, 1e-12, "Q: c1 post is session 2's cell");
    CHECK_NEAR(m->pre[1], 4.09, 1e-12, "Q: c2 pre is session 4's cell");
    CHECK_NEAR(m->post[1], 0.09, 1e-12, "Q: c2 post is session 0's cell");
    CHECK(isnan(m->post[2]), "Q: c3 has no post value");
    m = metric(c, "adjusted_residual[A:pursue->B:withdraw]");
    CHECK_NEAR(m->post[1], -0.03, 1e-12,
               "z: c2 post, cell A:pursue->B:withdraw");
    m = metric(c, "response_rate[B->A]");
    CHECK_NEAR(m->pre[1], 0.5 + 9.0 / 100, 1e-12,
               "response rate: row 2s + 1 for B's bids");
    m = metric(c, "cycles_per_10min");
    CHECK_NEAR(m->pre[0], 4 * 600.0 / 120, 1e-12,
               "cycles per 10 min = n_cycles * 600 / duration");
    CHECK(isnan(m->pre[1]), "cycles per 10 min: NaN for a zero duration");
    m = metric(c, "events_per_min");
    CHECK_NEAR(m->post[0], 90 * 60.0 / 600, 1e-12,
               "events per minute = n * 60 / duration");
}

/* Why a couple is left out of a metric. */
static void test_reasons(const ds_compare_t *c)
{
    const ds_compare_metric_t *m = metric(c, "yules_q[A:pursue->B:withdraw]");
    CHECK_STR(m->reason[0], "pre: no transition from A:pursue",
              "reason: Q undefined on one side");
    CHECK(m->reason[1] == NULL, "c2 is used");
    CHECK_STR(m->reason[2], "no 'post' session", "reason: missing session");
    m = metric(c, "latency_median_s[B->A]");
    CHECK_STR(m->reason[0], "post: no bids by B", "reason: no bids");
    m = metric(c, "events_per_min");
    CHECK_STR(m->reason[1], "pre: session duration is 0 s",
              "reason: zero duration");
    int all = 1;
    for (size_t i = 0; i < c->n_metrics; i++)
        all &= c->metric[i].reason[2] &&
               strcmp(c->metric[i].reason[2], "no 'post' session") == 0;
    CHECK(all, "a couple without its post session is out of every metric");
}

/* The paired tests and reliable change. */
static void test_statistics(ds_compare_t *c)
{
    ds_error_t err = {0};
    CHECK_INT(ds_compare_test(c, NULL, &err), 0, "paired tests");
    const ds_compare_metric_t *m = metric(c, "events_per_min");
    CHECK_INT(m->stat.n_pairs, 1, "events_per_min: one usable pair (c1)");
    CHECK_INT(m->stat.n_excluded, 2, "... two couples left out");
    CHECK_NEAR(c->conf_level, 0.95, 0, "95% CIs");
    long i = ds_compare_find(c, "cycles_per_10min");
    CHECK_INT(ds_compare_reliability(c, (size_t)i, 1.0, DS_RCI_LOWER_BETTER,
                                     &err),
              DS_EUSAGE, "reliability 1 is refused");
    CHECK_INT(ds_compare_reliability(c, (size_t)i, 0.8, DS_RCI_LOWER_BETTER,
                                     &err),
              0, "reliability 0.8");
    CHECK(c->metric[i].has_rci && isnan(c->metric[i].se_diff) &&
              c->metric[i].n_improved + c->metric[i].n_unchanged +
                      c->metric[i].n_deteriorated == 0,
          "one pair: no pre SD, so no RCI and no counts");
    CHECK_INT(ds_compare_find(c, "kappa"), -1, "an unknown metric");
}

int main(void)
{
    ds_compare_sessions_t v;
    ds_error_t err = {0};
    ds_transition_t tr[8];
    table(&v);
    size_t n_tr = test_transitions(&v, tr);
    test_build_errors(&v, tr, n_tr);
    ds_compare_t *c = NULL;
    CHECK_INT(ds_compare_build(&v, "pre", "post", tr, n_tr, &c, &err), 0,
              "build pre -> post");
    test_values(c);
    test_reasons(c);
    test_statistics(c);
    ds_compare_free(c);
    return UNIT_DONE();
}
