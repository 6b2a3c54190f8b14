/*
 * Unit tests of power.c: the Clopper-Pearson interval (R's binom.test),
 * replication seeds, metric names, and simulated power against analytic
 * power:
 *
 *  - exact: sessions of exactly two events from a chain A:bid -> B:response
 *    (q) or B:withdraw (1 - q), back to A:bid. A session's response rate
 *    is 1 when it starts with the bid (probability 1/2, the chain's
 *    stationary share of A:bid) and the answer comes within 5 s (q F,
 *    F = P(gamma latency <= 5)), else 0; so a couple's post - pre is -1,
 *    0 or 1 with known probabilities and the paired t-test's power is an
 *    exact finite sum over the counts of each value;
 *  - noncentral t: the same chain in sessions of 120-200 events, where a
 *    session's response rate is a binomial proportion whose mean and
 *    variance follow from the number of events and the first state, so
 *    post - pre has a known mean and SD and is nearly normal; the paired
 *    t-test's power is then the noncentral t's, integrated here with GSL;
 *  - no effect: the same chain before and after rejects at the rate
 *    alpha (t-test) or at the exact Wilcoxon test's attainable level;
 *
 * each checked at three sample sizes against the binomial 99% range of
 * the rejection count; and the same seed gives the same results at 1 and
 * 2 threads (the built-in model, with BH and a one-sample metric).
 */
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "dyadseq/power.h"
#include "unit.h"

/* The default state space: A,B × pursue, withdraw, soften, bid, response. */
static ds_corpus_t *default_space(void)
{
    ds_corpus_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->has_actor = c->has_time = c->has_duration = 1;
    c->n_actors = 2;
    c->actors = calloc(2, sizeof *c->actors);
    c->codebook = ds_codebook_alloc_default();
    if (!c->actors || !c->codebook || !(c->actors[0] = malloc(2)) ||
        !(c->actors[1] = malloc(2))) {
        ds_corpus_free(c);
        return NULL;
    }
    c->actors[0][0] = 'A', c->actors[1][0] = 'B';
    c->actors[0][1] = c->actors[1][1] = '\0';
    if (ds_corpus_make_states(c)) {
        ds_corpus_free(c);
        return NULL;
    }
    return c;
}

enum { A_BID = 3, B_WITHDRAW = 6, B_RESPONSE = 9 };

/* A:bid -> B:response q, B:withdraw 1 - q; both back to A:bid. */
static ds_sim_chain_t *bid_chain(double q)
{
    ds_sim_chain_t *ch = ds_sim_chain_alloc(10);
    ds_error_t err;
    if (!ch)
        return NULL;
    ch->p[A_BID * 10 + B_RESPONSE] = q;
    ch->p[A_BID * 10 + B_WITHDRAW] = 1 - q;
    ch->p[B_RESPONSE * 10 + A_BID] = 1;
    ch->p[B_WITHDRAW * 10 + A_BID] = 1;
    ch->used[A_BID] = ch->used[B_RESPONSE] = ch->used[B_WITHDRAW] = 1;
    if (ds_sim_chain_prepare(ch, &err)) {
        ds_sim_chain_free(ch);
        return NULL;
    }
    return ch;
}

static const char *const labels[2] = {"pre", "post"};
static const ds_power_group_t one_group[1] = {{"couple", 1}};

static void model_init(ds_power_model_t *m, const ds_corpus_t *sp)
{
    memset(m, 0, sizeof *m);
    m->space = sp;
    ds_sim_params_init(&m->par);
    m->groups = one_group;
    m->n_groups = 1;
    m->labels = labels;
    m->n_labels = 2;
    m->pre = 0;
    m->post = 1;
    ds_responsive_opts_init(&m->responsive);
    ds_cycles_opts_init(&m->cycles);
}

/* Whether x lies in the central 99% range of Binomial(n, p). */
static int in_binom99(size_t x, size_t n, double p, size_t *lo, size_t *hi)
{
    *lo = 0;
    while (*lo < n && gsl_cdf_binomial_P((unsigned)*lo, p, (unsigned)n) <=
                          0.005)
        (*lo)++;
    *hi = *lo;
    while (*hi < n && gsl_cdf_binomial_P((unsigned)*hi, p, (unsigned)n) <
                          0.995)
        (*hi)++;
    return x >= *lo && x <= *hi;
}

static void check_power(const ds_power_result_t *res, size_t row,
                        double analytic, const char *what)
{
    size_t lo, hi, x = res->row[row].n_reject;
    int ok = in_binom99(x, res->R, analytic, &lo, &hi);
    UNIT_REPORT(ok, "%s: %zu of %zu reject (%.4f), analytic %.4f, 99%% "
                "range %zu..%zu", what, x, res->R, (double)x / res->R,
                analytic, lo, hi);
}

static void test_ci(void)
{
    double lo, hi;
    /* R 4.2: binom.test(x, n, conf.level = ...)$conf.int */
    ds_power_binom_ci(7, 20, 0.95, &lo, &hi);
    CHECK_NEAR(lo, 0.153909204784541, 1e-12, "CI 7/20 low (binom.test)");
    CHECK_NEAR(hi, 0.592188534532828, 1e-12, "CI 7/20 high");
    ds_power_binom_ci(0, 20, 0.95, &lo, &hi);
    CHECK(lo == 0, "CI 0/20 low is 0");
    CHECK_NEAR(hi, 0.168433470983085, 1e-12, "CI 0/20 high");
    ds_power_binom_ci(20, 20, 0.95, &lo, &hi);
    CHECK_NEAR(lo, 0.831566529016915, 1e-12, "CI 20/20 low");
    CHECK(hi == 1, "CI 20/20 high is 1");
    ds_power_binom_ci(412, 1000, 0.95, &lo, &hi);
    CHECK_NEAR(lo, 0.381291514308622, 1e-12, "CI 412/1000 low");
    CHECK_NEAR(hi, 0.443228111462490, 1e-12, "CI 412/1000 high");
    ds_power_binom_ci(3, 10, 0.99, &lo, &hi);
    CHECK_NEAR(lo, 0.0370072210962321, 1e-12, "CI 3/10 at 99% low");
    CHECK_NEAR(hi, 0.7351139852871308, 1e-12, "CI 3/10 at 99% high");
}

static void test_seeds(void)
{
    unsigned long h = ds_sim_stream_seed(7, "power", NULL);
    CHECK_INT(ds_power_rep_seed(7, 0), h, "replication 0: SHA-256 of 7/power");
    CHECK_INT(ds_power_rep_seed(7, 5), (h + 5) & 0xFFFFFFFFUL,
              "replication 5: + 5");
    CHECK(ds_power_rep_seed(7, 0) != ds_power_rep_seed(8, 0),
          "another seed, another study");
}

static void test_metrics(const ds_corpus_t *sp)
{
    ds_compare_sessions_t v;
    ds_power_metric_t m;
    ds_error_t err = {0};
    ds_power_space_view(sp, &v);
    CHECK_INT(ds_power_metric_parse(&v, "response_rate[A->B]", "pre", "post",
                                    &m, &err), 0, "response_rate[A->B]");
    CHECK(!m.one_sample && m.def.needs == DS_COMPARE_NEEDS_RESPONSIVE,
          "paired, needs responsiveness");
    ds_power_metric_clear(&m);
    CHECK_INT(ds_power_metric_parse(&v, "yules_q[A:pursue->B:withdraw]@post",
                                    "pre", "post", &m, &err), 0,
              "yules_q[...]@post");
    CHECK(m.one_sample && m.label == DS_SIM_POST && m.def.tr.from == 0 &&
              m.def.tr.to == 6, "one-sample, post, A:pursue -> B:withdraw");
    ds_power_metric_clear(&m);
    CHECK_INT(ds_power_metric_parse(&v, "response_rate[A->B]@post", "pre",
                                    "post", &m, &err), DS_EUSAGE,
              "no one-sample test of a response rate");
    CHECK_INT(ds_power_metric_parse(&v, "yules_q[A:pursue->B:withdraw]@s2",
                                    "pre", "post", &m, &err), DS_EUSAGE,
              "one-sample label must be pre or post");
    CHECK_INT(ds_power_metric_parse(&v, "respons_rate[A->B]", "pre", "post",
                                    &m, &err), DS_EUSAGE, "unknown metric");
    CHECK(strstr(err.msg, "did you mean 'response_rate[A->B]'") != NULL,
          "with a suggestion");
    CHECK_INT(ds_power_metric_parse(&v, "yules_q[A:pursu->B:withdraw]", "pre",
                                    "post", &m, &err), DS_EUSAGE,
              "unknown state");
    CHECK(strstr(err.msg, "'A:pursue'") != NULL, "named with a suggestion");
}

/* ---- exact power of the paired t-test for post - pre in {-1, 0, 1} ---- */

/* P(T rejects) for n couples with P(d = 1) = pp, P(d = -1) = pm. */
static double exact_t_power(size_t n, double pp, double pm, double alpha)
{
    double p0 = 1 - pp - pm, power = 0;
    double crit = gsl_cdf_tdist_Qinv(alpha / 2, (double)(n - 1));
    for (size_t kp = 0; kp <= n; kp++)
        for (size_t km = 0; kp + km <= n; km++) {
            double mean = ((double)kp - (double)km) / (double)n;
            double var = ((double)(kp + km) - (double)n * mean * mean) /
                         (double)(n - 1);
            if (!(var > 0))
                continue; /* constant differences: no test */
            double t = mean / sqrt(var / (double)n);
            if (fabs(t) < crit)
                continue;
            unsigned cnt[3] = {(unsigned)kp, (unsigned)km,
                               (unsigned)(n - kp - km)};
            double pr[3] = {pp, pm, p0};
            power += gsl_ran_multinomial_pdf(3, pr, cnt);
        }
    return power;
}

static ds_power_result_t *run_model(const ds_corpus_t *sp, double q_pre,
                                    double q_post, const size_t *couples,
                                    size_t events, size_t R, int threads)
{
    ds_sim_chain_t *pre = bid_chain(q_pre), *post = bid_chain(q_post);
    ds_power_model_t md;
    ds_power_metric_t m;
    ds_compare_sessions_t v;
    ds_power_opts_t o;
    ds_error_t err = {0};
    ds_power_result_t *res = NULL;
    model_init(&md, sp);
    md.chain[0] = pre;
    md.chain[1] = post;
    ds_power_space_view(sp, &v);
    ds_power_opts_init(&o);
    size_t ev[1] = {events};
    o.couples = couples;
    o.n_couples = 3;
    o.events = ev;
    o.n_events = 1;
    o.replications = R;
    o.threads = threads;
    if (pre && post && ds_power_metric_parse(&v, "response_rate[A->B]", "pre",
                                             "post", &m, &err) == 0) {
        if (ds_power_run(&md, &m, 1, &o, &res, &err))
            printf("# %s\n", err.msg);
        ds_power_metric_clear(&m);
    }
    ds_sim_chain_free(pre);
    ds_sim_chain_free(post);
    return res;
}

static void test_exact(const ds_corpus_t *sp)
{
    static const size_t couples[3] = {10, 20, 40};
    double q_pre = 0.3, q_post = 0.9;
    ds_power_result_t *res = run_model(sp, q_pre, q_post, couples, 2, 2000,
                                       2);
    CHECK(res != NULL, "exact case runs");
    if (!res)
        return;
    /* P(latency <= 5 s): gamma with shape 4 and mean 1.5 */
    double F = gsl_cdf_gamma_P(5, 4, 1.5 / 4);
    double a = 0.5 * q_pre * F, b = 0.5 * q_post * F;
    for (size_t c = 0; c < 3; c++) {
        char what[96];
        snprintf(what, sizeof what, "exact t power, %zu couples", couples[c]);
        check_power(res, c, exact_t_power(couples[c], b * (1 - a),
                                          a * (1 - b), 0.05), what);
    }
    ds_power_result_free(res);
}

/* ---- the noncentral t --------------------------------------------------- */

typedef struct nct {
    double ncp, crit, df;
} nct_t;

/* [Φ(δ − c s) + Φ(−δ − c s)] f(v), s = sqrt(v / df), f the χ²_df density */
static double nct_integrand(double v, void *p)
{
    const nct_t *x = p;
    double s = sqrt(v / x->df);
    return (gsl_cdf_ugaussian_P(x->ncp - x->crit * s) +
            gsl_cdf_ugaussian_P(-x->ncp - x->crit * s)) *
           gsl_ran_chisq_pdf(v, x->df);
}

/* Power of the two-sided one-sample (paired) t-test of n values with mean
 * delta and SD sd: P(|T'| >= t_{1-α/2, n-1}) for T' noncentral t with
 * n - 1 df and noncentrality delta sqrt(n) / sd, by integrating over the
 * chi-square of the variance (T' = (Z + ncp) / sqrt(V / df)). */
static double nct_power(size_t n, double delta, double sd, double alpha)
{
    nct_t x = {delta * sqrt((double)n) / sd,
               gsl_cdf_tdist_Qinv(alpha / 2, (double)(n - 1)),
               (double)(n - 1)};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gsl_function f = {nct_integrand, &x};
    double result = NAN, abserr;
    if (w)
        gsl_integration_qagiu(&f, 0, 1e-12, 1e-10, 1000, w, &result, &abserr);
    gsl_integration_workspace_free(w);
    return result;
}

/*
 * Mean and variance of one session's response rate under bid_chain(q) with
 * n ~ U{lo..hi} events: starting with A:bid (probability 1/2) the bids are
 * ceil(n/2) and f = floor(n/2) of them are followed by the partner, else
 * floor(n/2) bids and floor((n-1)/2) followed; the answered count is
 * Binomial(f, q F).
 */
static void rate_moments(double q, double F, size_t lo, size_t hi,
                         double *mean, double *var)
{
    double m1 = 0, m2 = 0, p = q * F, w = 0.5 / (double)(hi - lo + 1);
    for (size_t n = lo; n <= hi; n++)
        for (int start_bid = 0; start_bid < 2; start_bid++) {
            double bids = start_bid ? (double)((n + 1) / 2)
                                    : (double)(n / 2);
            double f = start_bid ? (double)(n / 2) : (double)((n - 1) / 2);
            m1 += w * p * f / bids;
            m2 += w * (f * p * (1 - p) + f * f * p * p) / (bids * bids);
        }
    *mean = m1;
    *var = m2 - m1 * m1;
}

static void test_noncentral(const ds_corpus_t *sp)
{
    /* the integration against R 4.2: power.t.test(n = 10, delta = 0.5,
     * sd = 1, type = "one.sample", strict = TRUE)$power */
    CHECK_NEAR(nct_power(10, 0.5, 1, 0.05), 0.2931756065, 1e-6,
               "noncentral t power by integration = power.t.test");
    static const size_t couples[3] = {6, 12, 24};
    double q_pre = 0.50, q_post = 0.55, F = gsl_cdf_gamma_P(5, 4, 1.5 / 4);
    ds_power_result_t *res = run_model(sp, q_pre, q_post, couples, 160, 800,
                                       2);
    CHECK(res != NULL, "noncentral case runs");
    if (!res)
        return;
    double m0, v0, m1, v1;
    rate_moments(q_pre, F, 120, 200, &m0, &v0);
    rate_moments(q_post, F, 120, 200, &m1, &v1);
    for (size_t c = 0; c < 3; c++) {
        char what[96];
        snprintf(what, sizeof what, "noncentral t power, %zu couples",
                 couples[c]);
        check_power(res, c, nct_power(couples[c], m1 - m0, sqrt(v0 + v1),
                                      0.05), what);
    }
    /* the mean difference itself */
    CHECK_NEAR(res->row[2].estimate_mean, m1 - m0,
               4 * sqrt((v0 + v1) / 24 / 800), "mean post - pre");
    ds_power_result_free(res);
}

/* ---- no effect ------------------------------------------------------------ */

/* Size of the two-sided exact Wilcoxon signed-rank test of n differences
 * (no ties, no zeros) at level alpha: P(2 min(P(V <= v), P(V >= v)) <=
 * alpha) under the null, where all 2^n sign patterns are equally likely;
 * counts of rank sums by the subset-sum recurrence. */
static double wilcoxon_size(size_t n, double alpha)
{
    size_t u = n * (n + 1) / 2;
    double *w = calloc(u + 1, sizeof *w), size = 0, total = ldexp(1, (int)n);
    if (!w)
        return NAN;
    w[0] = 1;
    for (size_t j = 1; j <= n; j++)
        for (size_t s = u; s >= j; s--)
            w[s] += w[s - j];
    double below = 0; /* P(V <= v) */
    for (size_t v = 0; v <= u; v++) {
        below += w[v] / total;
        double above = 1 - below + w[v] / total; /* P(V >= v) */
        double p = 2 * fmin(below, above);
        if (p <= alpha)
            size += w[v] / total;
    }
    free(w);
    return size;
}

static const ds_power_group_t groups[2] = {{"stable", 0.86},
                                           {"distressed", 0.33}};

/* The built-in model with equal pre and post values (no effect). */
static ds_power_result_t *run_builtin(const ds_corpus_t *sp, size_t R,
                                      int threads)
{
    ds_power_model_t md;
    ds_power_metric_t m[2];
    ds_compare_sessions_t v;
    ds_power_opts_t o;
    ds_error_t err = {0};
    ds_power_result_t *res = NULL;
    model_init(&md, sp);
    md.groups = groups;
    md.n_groups = 2;
    ds_sim_params_t *p = &md.par;
    p->withdraw[1] = p->withdraw[0];
    p->continuation[1] = p->continuation[0];
    p->soften[1] = p->soften[0];
    p->reciprocate[1] = p->reciprocate[0];
    ds_power_space_view(sp, &v);
    ds_power_opts_init(&o);
    static const size_t couples[2] = {6, 12}, events[2] = {40, 60};
    o.couples = couples;
    o.n_couples = 2;
    o.events = events;
    o.n_events = 2;
    o.replications = R;
    o.threads = threads;
    o.bh = 1;
    o.tests = 1u << DS_POWER_TEST_T | 1u << DS_POWER_TEST_WILCOXON;
    if (ds_power_metric_parse(&v, "response_rate[A->B]", "pre", "post", &m[0],
                              &err) ||
        ds_power_metric_parse(&v, "yules_q[A:pursue->B:withdraw]@post", "pre",
                              "post", &m[1], &err) ||
        ds_power_run(&md, m, 2, &o, &res, &err))
        printf("# %s\n", err.msg);
    ds_power_metric_clear(&m[0]);
    ds_power_metric_clear(&m[1]);
    return res;
}

/*
 * No effect: the same chain before and after (bid_chain(0.5) in sessions
 * of 90-150 events), so a couple's post - pre is symmetric about 0. Events
 * per minute is continuous: the exact Wilcoxon test's size is its
 * attainable level (wilcoxon_size), and the t-test's is alpha to within
 * the small non-normality of a difference of two rates. The response
 * rate's differences are nearly normal (about 60 bids a session at q F
 * near 1/2).
 */
static void test_null(const ds_corpus_t *sp)
{
    static const size_t couples[3] = {10, 20, 30};
    ds_sim_chain_t *ch = bid_chain(0.5);
    ds_power_model_t md;
    ds_power_metric_t m[2];
    ds_compare_sessions_t v;
    ds_power_opts_t o;
    ds_error_t err = {0};
    ds_power_result_t *res = NULL;
    memset(m, 0, sizeof m);
    model_init(&md, sp);
    md.chain[0] = md.chain[1] = ch;
    ds_power_space_view(sp, &v);
    ds_power_opts_init(&o);
    size_t ev[1] = {120};
    o.couples = couples;
    o.n_couples = 3;
    o.events = ev;
    o.n_events = 1;
    o.replications = 1000;
    o.threads = 2;
    o.tests = 1u << DS_POWER_TEST_T | 1u << DS_POWER_TEST_WILCOXON;
    if (!ch ||
        ds_power_metric_parse(&v, "events_per_min", "pre", "post", &m[0],
                              &err) ||
        ds_power_metric_parse(&v, "response_rate[A->B]", "pre", "post", &m[1],
                              &err) ||
        ds_power_run(&md, m, 2, &o, &res, &err))
        printf("# %s\n", err.msg);
    CHECK(res != NULL, "no-effect case runs");
    for (size_t i = 0; res && i < res->n_rows; i++) {
        const ds_power_row_t *r = &res->row[i];
        size_t n = res->couples[r->design];
        if (r->metric == 2 || (r->metric == 1 && r->test != DS_POWER_TEST_T))
            continue;
        char what[128];
        double size = r->test == DS_POWER_TEST_T ? 0.05
                                                 : wilcoxon_size(n, 0.05);
        snprintf(what, sizeof what, "no effect, %s, %s test, %zu couples",
                 r->metric ? "response_rate" : "events_per_min",
                 ds_power_test_name(r->test), n);
        check_power(res, i, size, what);
    }
    if (res)
        CHECK_NEAR(res->row[0].estimate_mean, 0,
                   4 * res->row[0].estimate_sd / sqrt(1000.0),
                   "no effect: mean post - pre is 0");
    if (m[0].name)
        ds_power_metric_clear(&m[0]);
    if (m[1].name)
        ds_power_metric_clear(&m[1]);
    ds_power_result_free(res);
    ds_sim_chain_free(ch);
}

static void test_threads(const ds_corpus_t *sp)
{
    ds_power_result_t *a = run_builtin(sp, 24, 1), *b = run_builtin(sp, 24, 2);
    CHECK(a && b, "runs at 1 and 2 threads");
    if (a && b) {
        size_t n = a->n_designs * a->n_metrics * a->R;
        int same = memcmp(a->estimate, b->estimate, n * sizeof(double)) == 0 &&
                   memcmp(a->p[0], b->p[0], n * sizeof(double)) == 0 &&
                   memcmp(a->p[1], b->p[1], n * sizeof(double)) == 0 &&
                   memcmp(a->n_used, b->n_used, n * sizeof(int64_t)) == 0;
        for (size_t i = 0; i < a->n_rows && same; i++)
            same = a->row[i].n_reject == b->row[i].n_reject &&
                   memcmp(&a->row[i].estimate_sd, &b->row[i].estimate_sd,
                          sizeof(double)) == 0;
        CHECK(same, "1 and 2 threads: identical replications and table");
    }
    ds_power_result_free(a);
    ds_power_result_free(b);
}

int main(void)
{
    ds_corpus_t *sp = default_space();
    CHECK(sp != NULL, "state space");
    if (!sp)
        return UNIT_DONE();
    test_ci();
    test_seeds();
    test_metrics(sp);
    test_exact(sp);
    test_noncentral(sp);
    test_null(sp);
    test_threads(sp);
    ds_corpus_free(sp);
    return UNIT_DONE();
}
