/* Unit tests of simulate.c: stream seeds, the built-in matrix (with the
 * answer gain), the start distribution, one session's events and its
 * latencies at a therapy progress, parameter checks. */
#include <stdlib.h>
#include <string.h>

#include "dyadseq/simulate.h"
#include "unit.h"

/* The default state space: A,B × pursue, withdraw, soften, bid, response. */
static ds_corpus_t *default_space(void)
{
    static const char *const actors[] = {"A", "B"};
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_corpus_t *c = cb ? ds_corpus_alloc(cb, actors, 2, 1) : NULL;
    ds_codebook_free(cb);
    return c;
}

static void test_seeds(void)
{
    /* first 32 bits of SHA-256("1/stable-01/pre"), by Python's hashlib */
    CHECK_INT(ds_sim_stream_seed(1, "stable-01", "pre"), 3566954514UL,
              "session stream seed = SHA-256 of '1/stable-01/pre'");
    CHECK_INT(ds_sim_stream_seed(1, "stable-01", NULL), 3788438425UL,
              "couple stream seed = SHA-256 of '1/stable-01'");
    CHECK_INT(ds_sim_stream_seed(4294967295UL, "couple-01", "post"),
              2471319285UL, "largest seed");
    CHECK(ds_sim_stream_seed(1, "stable-01", "pre") !=
              ds_sim_stream_seed(1, "stable-01", "post"),
          "sessions of a couple get different streams");
    CHECK_NEAR(ds_sim_progress(0, 1), 0, 0, "one session is pre");
    CHECK_NEAR(ds_sim_progress(1, 3), 0.5, 0, "middle of three is halfway");
    CHECK_NEAR(ds_sim_progress(2, 3), 1, 0, "last is post");
}

static void test_builtin(const ds_corpus_t *sp)
{
    ds_sim_params_t p;
    ds_sim_roles_t r;
    ds_error_t err = {0};
    ds_sim_params_init(&p);
    CHECK_INT(ds_sim_params_check(&p, &err), 0, "defaults are valid");
    CHECK_INT(ds_sim_roles_find(sp, &r, &err), 0, "roles found");
    CHECK_INT(r.state[1][0], 5, "B:pursue is state 5");
    ds_sim_chain_t *ch = ds_sim_chain_alloc(sp->n_states);
    if (!ch) {
        CHECK(0, "chain alloc");
        return;
    }
    const double ts[] = {0, 0.5, 1};
    for (size_t it = 0; it < 3; it++)
        for (size_t pursuer = 0; pursuer < 2; pursuer++) {
            ds_sim_builtin_chain(&p, &r, pursuer, 0.86, ts[it], ch);
            double worst = 0;
            int diag = 0, resp = 0;
            for (size_t i = 0; i < 10; i++) {
                double sum = 0;
                for (size_t j = 0; j < 10; j++) {
                    double v = ch->p[i * 10 + j];
                    sum += v;
                    diag |= i == j && v != 0;
                    /* a response only follows the partner's bid */
                    resp |= v > 0 && sp->state_role[j] == DS_ROLE_RESPONSE &&
                            !(sp->state_role[i] == DS_ROLE_BID &&
                              sp->state_actor[i] != sp->state_actor[j]);
                }
                worst = fabs(sum - 1) > worst ? fabs(sum - 1) : worst;
            }
            UNIT_REPORT(worst < 1e-12 && !diag && !resp,
                        "t=%g pursuer %zu: rows sum to 1 (%.2g), no state "
                        "follows itself, responses only answer bids",
                        ts[it], pursuer, worst);
        }
    /* t = 0: exact planted cells */
    ds_sim_builtin_chain(&p, &r, 0, 0.33, 0, ch);
    CHECK_NEAR(ch->p[3 * 10 + 9], 0.33, 1e-15, "A:bid -> B:response = rate");
    CHECK_NEAR(ch->p[3 * 10 + 6], 0.67 * 0.6, 1e-15,
               "A:bid -> B:withdraw = (1 - rate) away share");
    CHECK_NEAR(ch->p[3 * 10 + 5], 0.67 * 0.4, 1e-15,
               "A:bid -> B:pursue = (1 - rate) against share");
    CHECK(ch->p[0 * 10 + 6] > 0.45 && ch->p[1 * 10 + 5] > 0.55,
          "pre: withdraw after pursue and pursue after withdraw at least "
          "their planted values");
    double w_pre = ch->p[0 * 10 + 6], c_pre = ch->p[1 * 10 + 5];
    double s_pre = ch->p[1 * 10 + 7];
    ds_sim_builtin_chain(&p, &r, 0, 0.33, 1, ch);
    CHECK(ch->p[0 * 10 + 6] < w_pre && ch->p[1 * 10 + 5] < c_pre &&
              ch->p[1 * 10 + 7] > s_pre,
          "post: less withdraw after pursue, less continuation, more "
          "softening after withdraw");

    /* --answer-gain: the rate moves by gain × t, clamped to [0, 1] */
    p.answer_gain = 0.1;
    ds_sim_builtin_chain(&p, &r, 0, 0.33, 0, ch);
    CHECK_NEAR(ch->p[3 * 10 + 9], 0.33, 0, "gain 0.1, t = 0: the rate");
    ds_sim_builtin_chain(&p, &r, 0, 0.33, 0.5, ch);
    CHECK_NEAR(ch->p[3 * 10 + 9], 0.38, 1e-15, "gain 0.1, t = 0.5: +0.05");
    ds_sim_builtin_chain(&p, &r, 1, 0.33, 1, ch);
    CHECK_NEAR(ch->p[8 * 10 + 4], 0.43, 1e-15, "gain 0.1, t = 1: +0.1 "
               "(B:bid -> A:response)");
    CHECK_NEAR(ch->p[8 * 10 + 1], 0.57 * 0.6, 1e-15,
               "gain 0.1, t = 1: the rest turned away and against");
    p.answer_gain = 0.2;
    ds_sim_builtin_chain(&p, &r, 0, 0.95, 1, ch);
    CHECK(ch->p[3 * 10 + 9] == 1 && ch->p[3 * 10 + 6] == 0 &&
              ch->p[3 * 10 + 5] == 0,
          "0.95 + 0.2 is clamped to 1: every bid answered");
    p.answer_gain = -0.5;
    ds_sim_builtin_chain(&p, &r, 0, 0.33, 1, ch);
    CHECK(ch->p[3 * 10 + 9] == 0 && fabs(ch->p[3 * 10 + 6] - 0.6) < 1e-15,
          "0.33 - 0.5 is clamped to 0: no bid answered");
    p.answer_gain = 0;

    /* the start distribution is stationary: start P = start */
    ds_sim_builtin_chain(&p, &r, 1, 0.86, 0, ch);
    CHECK_INT(ds_sim_chain_prepare(ch, &err), 0, "prepare");
    double dev = 0, total = 0;
    for (size_t j = 0; j < 10; j++) {
        double v = 0;
        for (size_t i = 0; i < 10; i++)
            v += ch->start[i] * ch->p[i * 10 + j];
        dev = fabs(v - ch->start[j]) > dev ? fabs(v - ch->start[j]) : dev;
        total += ch->start[j];
    }
    CHECK_NEAR(total, 1, 1e-12, "start sums to 1");
    CHECK(dev < 1e-3, "start is stationary within 1e-3 (Cesàro mean)");
    ds_sim_chain_free(ch);
}

static void test_periodic(void)
{
    /* A 2-state chain that alternates strictly: the power iteration would
     * oscillate; the Cesàro mean gives (½, ½). */
    ds_error_t err = {0};
    ds_sim_chain_t *ch = ds_sim_chain_alloc(3);
    if (!ch) {
        CHECK(0, "chain alloc");
        return;
    }
    ch->p[0 * 3 + 2] = 1;
    ch->p[2 * 3 + 0] = 1;
    ch->used[0] = ch->used[2] = 1;
    CHECK_INT(ds_sim_chain_prepare(ch, &err), 0, "prepare periodic chain");
    CHECK_NEAR(ch->start[0], 0.5, 1e-12, "periodic chain starts at ½");
    CHECK_NEAR(ch->start[1], 0, 0, "unused state never starts");
    ds_sim_chain_free(ch);
    CHECK(ds_sim_chain_alloc(0) == NULL, "no 0-state chain");
    CHECK(ds_sim_chain_alloc(DS_SIM_MAX_STATES + 1) == NULL,
          "no chain above DS_SIM_MAX_STATES");
}

static void test_session(const ds_corpus_t *sp)
{
    ds_sim_params_t p;
    ds_sim_roles_t r;
    ds_error_t err = {0};
    ds_sim_params_init(&p);
    p.events = 1000;
    ds_sim_roles_find(sp, &r, &err);
    ds_sim_chain_t *ch = ds_sim_chain_alloc(sp->n_states);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ds_sim_events_t a = {0}, b = {0};
    if (!ch || !rng) {
        CHECK(0, "alloc");
        goto done;
    }
    ds_sim_builtin_chain(&p, &r, 0, 0.86, 0, ch);
    ds_sim_chain_prepare(ch, &err);
    gsl_rng_set(rng, 42);
    CHECK_INT(ds_sim_session(&p, sp, ch, 0, rng, &a, &err), 0, "session");
    CHECK(a.n >= 750 && a.n <= 1250, "n in [750, 1250]");
    int order = 1, dur = 1;
    for (size_t i = 0; i < a.n; i++) {
        order &= a.onset[i] > (i ? a.onset[i - 1] : 0);
        dur &= a.duration[i] >= 0 &&
               (i + 1 == a.n || a.duration[i] <= a.onset[i + 1] - a.onset[i]);
    }
    CHECK(order, "onsets increase from 0");
    CHECK(dur, "durations >= 0 and end by the next onset");
    gsl_rng_set(rng, 42);
    ds_sim_session(&p, sp, ch, 0, rng, &b, &err);
    int same = a.n == b.n;
    for (size_t i = 0; same && i < a.n; i++)
        same = a.state[i] == b.state[i] && a.onset[i] == b.onset[i] &&
               a.duration[i] == b.duration[i];
    CHECK(same, "same seed, same session");
    p.events = 1;
    ds_sim_session(&p, sp, ch, 0, rng, &b, &err);
    CHECK_INT(b.n, 1, "--events 1 gives one event");
    p.events = 4;
    int lo = 1, hi = 0;
    for (int i = 0; i < 200; i++) {
        ds_sim_session(&p, sp, ch, 0, rng, &b, &err);
        lo &= b.n >= 3;
        hi |= b.n == 5;
        lo &= b.n <= 5;
    }
    CHECK(lo && hi, "--events 4: counts in {3, 4, 5}, 5 reached");

    /* the latency mean at t: gamma(4) answers with mean 2.5 at t = 0,
     * 1.2 at t = 1 and 1.85 halfway; the mean of n draws has SE
     * mean / sqrt(4 n) */
    p.events = 1000;
    p.latency_mean[DS_SIM_PRE] = 2.5, p.latency_mean[DS_SIM_POST] = 1.2;
    const double ts[] = {0, 0.5, 1}, want[] = {2.5, 1.85, 1.2};
    for (size_t it = 0; it < 3; it++) {
        double sum = 0;
        size_t n = 0;
        for (int rep = 0; rep < 20; rep++) {
            ds_sim_session(&p, sp, ch, ts[it], rng, &b, &err);
            for (size_t i = 1; i < b.n; i++)
                if (sp->state_role[b.state[i - 1]] == DS_ROLE_BID &&
                    sp->state_role[b.state[i]] == DS_ROLE_RESPONSE) {
                    sum += b.onset[i] - b.onset[i - 1];
                    n++;
                }
        }
        double se = want[it] / 2 / sqrt((double)n);
        UNIT_REPORT(n > 1000 && fabs(sum / n - want[it]) < 4.5 * se,
                    "latency at t = %g: mean %.4f of %zu answers, planted "
                    "%g (SE %.4f)", ts[it], sum / n, n, want[it], se);
    }
done:
    ds_sim_events_clear(&a);
    ds_sim_events_clear(&b);
    if (rng)
        gsl_rng_free(rng);
    ds_sim_chain_free(ch);
}

static void test_couple(void)
{
    ds_sim_params_t p;
    ds_sim_couple_t c;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        CHECK(0, "alloc");
        return;
    }
    ds_sim_params_init(&p);
    p.answer_sd = 0;
    ds_sim_couple_draw(&p, 0.86, rng, &c);
    CHECK_NEAR(c.answer_rate, 0.86, 0, "answer SD 0: the group's rate");
    p.answer_sd = 0.05;
    double sum = 0, ss = 0;
    size_t n_a = 0, n = 4000;
    for (size_t i = 0; i < n; i++) {
        ds_sim_couple_draw(&p, 0.33, rng, &c);
        sum += c.answer_rate;
        ss += c.answer_rate * c.answer_rate;
        n_a += c.pursuer == 0;
    }
    double mean = sum / n, sd = sqrt((ss - n * mean * mean) / (n - 1));
    CHECK_NEAR(mean, 0.33, 4 * 0.05 / sqrt(n), "Beta rates: mean 0.33");
    CHECK_NEAR(sd, 0.05, 0.005, "Beta rates: SD 0.05");
    CHECK_NEAR((double)n_a / n, 0.5, 4 * 0.5 / sqrt(n), "pursuer A half "
               "of the time");
    ds_sim_couple_draw(&p, 1, rng, &c);
    CHECK_NEAR(c.answer_rate, 1, 0, "rate 1 stays 1");
    CHECK_NEAR(c.therapy, 1, 0, "default therapy response 1 (full)");
    p.therapy_mean = 0.75, p.therapy_sd = 0.3;
    sum = ss = 0;
    int in01 = 1;
    for (size_t i = 0; i < n; i++) {
        ds_sim_couple_draw(&p, 0.5, rng, &c);
        sum += c.therapy;
        ss += c.therapy * c.therapy;
        in01 &= c.therapy >= 0 && c.therapy <= 1;
    }
    mean = sum / n, sd = sqrt((ss - n * mean * mean) / (n - 1));
    CHECK_NEAR(mean, 0.75, 4 * 0.3 / sqrt(n), "therapy response: mean 0.75");
    CHECK_NEAR(sd, 0.3, 0.02, "therapy response: SD 0.3");
    CHECK(in01, "therapy response in [0, 1]");
    gsl_rng_free(rng);
}

static void test_params(void)
{
    ds_sim_params_t p;
    ds_error_t err = {0};
    ds_sim_params_init(&p);
    p.gap_mean = 0;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "gap mean 0");
    ds_sim_params_init(&p);
    p.withdraw[1] = 1.5;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "withdraw 1.5");
    CHECK(strstr(err.msg, "withdraw (post)") != NULL, "message names it");
    ds_sim_params_init(&p);
    p.continuation[0] = 0.7, p.soften[0] = 0.4;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE,
              "continue + soften > 1");
    ds_sim_params_init(&p);
    p.events = 0;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "0 events");
    ds_sim_params_init(&p);
    p.therapy_mean = 0.5, p.therapy_sd = 0.5;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE,
              "therapy SD at sqrt(m (1 - m)) refused");
    p.therapy_mean = 1.2, p.therapy_sd = 0;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "therapy mean 1.2");
    ds_sim_params_init(&p);
    p.latency_mean[DS_SIM_POST] = 0;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "latency post 0");
    CHECK(strstr(err.msg, "latency mean (post)") != NULL,
          "message names the post latency");
    ds_sim_params_init(&p);
    p.answer_gain = -1;
    CHECK_INT(ds_sim_params_check(&p, &err), 0, "answer gain -1 accepted");
    p.answer_gain = 1.01;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "answer gain 1.01");
    p.answer_gain = NAN;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "answer gain NaN");
}

/* Times stay plain decimals (issue 18 #7): means whose sessions would
 * reach DS_SIM_MAX_TIME_S are refused up front, and a session that still
 * reaches it (checks bypassed, or a rare draw) fails. */
static void test_time_limits(const ds_corpus_t *sp)
{
    ds_sim_params_t p;
    ds_error_t err = {0};
    ds_sim_params_init(&p);
    p.events = 400; /* up to 500 events: a mean up to 2e5 s fits */
    p.gap_mean = 1.9e5;
    CHECK_INT(ds_sim_params_check(&p, &err), 0, "gap mean 1.9e5 s, 500 "
              "events: about 1e8 s, accepted");
    p.gap_mean = 2.1e5;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "gap mean 2.1e5 s: "
              "refused");
    CHECK(strstr(err.msg, "gap mean") && strstr(err.msg, "500 events"),
          "the message names the mean and the events");
    ds_sim_params_init(&p);
    p.latency_mean[DS_SIM_POST] = 1e308;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "latency mean "
              "(post) 1e308: refused");
    ds_sim_params_init(&p);
    p.duration_mean = 1e308;
    CHECK_INT(ds_sim_params_check(&p, &err), DS_EUSAGE, "duration mean "
              "1e308: refused");
    CHECK(strstr(err.msg, "duration mean") != NULL, "and named");

    ds_sim_roles_t r;
    ds_sim_params_init(&p);
    ds_sim_roles_find(sp, &r, &err);
    ds_sim_chain_t *ch = ds_sim_chain_alloc(sp->n_states);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ds_sim_events_t ev = {0};
    if (ch && rng) {
        ds_sim_builtin_chain(&p, &r, 0, 0.86, 0, ch);
        ds_sim_chain_prepare(ch, &err);
        p.events = 4;
        p.gap_mean = 1e9; /* past the check: the session itself refuses */
        gsl_rng_set(rng, 7);
        CHECK_INT(ds_sim_session(&p, sp, ch, 0, rng, &ev, &err), DS_EDATA,
                  "a session reaching 1e9 s fails");
        CHECK(strstr(err.msg, "simulated time") != NULL, "and says why");
        p.gap_mean = INFINITY;
        CHECK_INT(ds_sim_session(&p, sp, ch, 0, rng, &ev, &err), DS_EDATA,
                  "an infinite time fails");
    } else {
        CHECK(0, "alloc");
    }
    ds_sim_events_clear(&ev);
    ds_sim_chain_free(ch);
    if (rng)
        gsl_rng_free(rng);
}

int main(void)
{
    ds_corpus_t *sp = default_space();
    if (!sp) {
        CHECK(0, "state space");
        return UNIT_DONE();
    }
    test_seeds();
    test_builtin(sp);
    test_periodic();
    test_session(sp);
    test_couple();
    test_params();
    test_time_limits(sp);
    ds_corpus_free(sp);
    return UNIT_DONE();
}
