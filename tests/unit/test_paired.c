/*
 * Unit tests of paired.c and padjust.c against base R computed at test
 * time.
 *
 * The program builds the test cases (fixed data and seeded GSL draws),
 * writes them as hex floats to a temporary file, runs
 * tests/r/paired.R under Rscript (t.test, wilcox.test and p.adjust with
 * R's defaults) and compares every statistic with ds_paired_test and
 * ds_padjust_bh to 1e-10 (relative for p- and q-values). No expected value
 * comes from this program's own output. Set DS_TEST_RDIR to run from
 * outside the source tree. The reliable change index is checked against the
 * hand computations written next to it.
 */
#include <float.h>
#include <stdlib.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dyadseq/padjust.h"
#include "dyadseq/paired.h"
#include "unit.h"

/* ---- test cases ------------------------------------------------------- */

#define MAX_CASES 96
#define MAX_VECS 8

typedef struct tcase {
    char name[32];
    double conf;
    size_t n;
    double *pre, *post;
} tcase_t;

typedef struct pvec {
    char name[32];
    size_t m;
    double *p;
} pvec_t;

static tcase_t cases[MAX_CASES];
static size_t n_cases;
static pvec_t vecs[MAX_VECS];
static size_t n_vecs;

static tcase_t *add_case(const char *name, double conf, size_t n)
{
    if (n_cases == MAX_CASES) {
        fprintf(stderr, "too many test cases\n");
        exit(1);
    }
    tcase_t *c = &cases[n_cases++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->conf = conf;
    c->n = n;
    c->pre = calloc(n ? n : 1, sizeof *c->pre);
    c->post = calloc(n ? n : 1, sizeof *c->post);
    if (!c->pre || !c->post) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return c;
}

static tcase_t *add_fixed(const char *name, size_t n, const double *pre,
                          const double *post)
{
    tcase_t *c = add_case(name, 0.95, n);
    memcpy(c->pre, pre, n * sizeof *pre);
    memcpy(c->post, post, n * sizeof *post);
    return c;
}

/* pre ~ N(mu, sd), post = pre + N(shift, noise): continuous, no ties */
static tcase_t *add_normal(gsl_rng *rng, const char *name, double conf,
                           size_t n, double shift, double noise)
{
    tcase_t *c = add_case(name, conf, n);
    for (size_t i = 0; i < n; i++) {
        c->pre[i] = 20 + gsl_ran_gaussian(rng, 5);
        c->post[i] = c->pre[i] + shift + gsl_ran_gaussian(rng, noise);
    }
    return c;
}

/* counts 0..k−1 on both sides: many tied and zero differences */
static tcase_t *add_counts(gsl_rng *rng, const char *name, size_t n,
                           unsigned long k, double shift)
{
    tcase_t *c = add_case(name, 0.95, n);
    for (size_t i = 0; i < n; i++) {
        c->pre[i] = (double)gsl_rng_uniform_int(rng, k);
        c->post[i] = (double)gsl_rng_uniform_int(rng, k) + shift;
    }
    return c;
}

static void add_vec(const char *name, size_t m, const double *p)
{
    pvec_t *v = &vecs[n_vecs++];
    snprintf(v->name, sizeof v->name, "%s", name);
    v->m = m;
    v->p = malloc((m ? m : 1) * sizeof *v->p);
    if (!v->p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    memcpy(v->p, p, m * sizeof *p);
}

static void build_cases(gsl_rng *rng)
{
    char name[32];
    /* exact branch: n < 50, continuous data, no ties, no zeros; every n
     * from 1 to 12 and a spread up to the boundary 49, alternating signs
     * and effect sizes so V covers both tails and the middle */
    static const size_t ns[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                12, 15, 20, 25, 30, 35, 40, 45, 48, 49};
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
        snprintf(name, sizeof name, "exact_n%zu", ns[i]);
        double shift = (i % 3 == 0 ? 2.0 : i % 3 == 1 ? -1.0 : 0.2);
        add_normal(rng, name, 0.95, ns[i], shift, 3);
    }
    /* normal approximation: n ≥ 50 (boundary and large), no ties */
    add_normal(rng, "normal_n50", 0.95, 50, 0.8, 3);
    add_normal(rng, "normal_n51_neg", 0.95, 51, -0.6, 3);
    add_normal(rng, "normal_n300", 0.95, 300, 0.3, 3);
    add_normal(rng, "normal_n2000", 0.95, 2000, 0.05, 3);
    /* other confidence levels */
    add_normal(rng, "conf90_n25", 0.90, 25, 1, 3);
    add_normal(rng, "conf99_n8", 0.99, 8, 1, 3);
    add_normal(rng, "conf50_n60", 0.5, 60, 1, 3);

    /* ties without zeros: |d| in {1, 2, 3} */
    static const double tp[] = {3, 5, 2, 7, 4, 6, 1, 8, 2, 5, 9, 3, 4, 6, 2};
    static const double tq[] = {4, 7, 1, 10, 5, 4, 2, 11, 4, 6, 8, 6, 2, 7, 5};
    add_fixed("ties_n15", 15, tp, tq);
    /* one tie among five: R leaves the exact branch though n < 5 */
    static const double t5p[] = {1.0, 2.0, 3.0, 4.0, 5.0};
    static const double t5q[] = {1.5, 2.5, 4.25, 2.0, 5.75};
    add_fixed("one_tie_n5", 5, t5p, t5q);
    /* zeros without ties: continuous data with two unchanged couples */
    tcase_t *z = add_normal(rng, "zeros_n12", 0.95, 12, 1, 3);
    z->post[3] = z->pre[3];
    z->post[8] = z->pre[8];
    /* a single zero in a large sample */
    z = add_normal(rng, "zero_n80", 0.95, 80, 0.5, 3);
    z->post[17] = z->pre[17];
    /* counts: ties and zeros together, small and large */
    add_counts(rng, "counts_n10", 10, 4, 0);
    add_counts(rng, "counts_n40", 40, 6, 1);
    add_counts(rng, "counts_n250", 250, 10, 0);
    /* V exactly at its mean n(n+1)/4 = 3: R caps 2p = 1.25 at 1 */
    static const double cp[] = {0, 0, 0}, cq[] = {1, 2, -3};
    add_fixed("center_n3", 3, cp, cq);
    /* every difference positive: V = 210, exact p = 2 / 2^20 */
    add_normal(rng, "allpos_n20", 0.95, 20, 30, 1);

    /* degenerate cases */
    static const double one_p[] = {4.5}, one_q[] = {6.25};
    add_fixed("n1", 1, one_p, one_q);
    static const double two_p[] = {4.5, 3.0}, two_q[] = {6.25, 3.5};
    add_fixed("n2", 2, two_p, two_q);
    /* every difference 3: sd 0, R's t.test stops ("essentially constant");
     * the Wilcoxon test sees one tie group of n */
    static const double k_p[] = {1, 4, 2, 8, 5, 7}, k_q[] = {4, 7, 5, 11, 8, 10};
    add_fixed("const_diff", 6, k_p, k_q);
    /* no change at all: t = 0/0, V = 0 with p NaN */
    add_fixed("all_zero", 6, k_p, k_p);
    /* post = pre + 0.1 in floating point: differences equal to within an
     * ulp or two, so ties and zero spread hinge on exact bits */
    tcase_t *nc = add_case("near_const", 0.95, 30);
    for (size_t i = 0; i < nc->n; i++) {
        nc->pre[i] = gsl_rng_uniform(rng) * 100;
        nc->post[i] = nc->pre[i] + 0.1;
    }
    /* the same near 0.1: the spread of the differences is below R's
     * "essentially constant" threshold, 10 eps |mean| */
    nc = add_case("near_const_small", 0.95, 30);
    for (size_t i = 0; i < nc->n; i++) {
        nc->pre[i] = gsl_rng_uniform(rng);
        nc->post[i] = nc->pre[i] + 0.1;
    }
    /* pre constant, post varying: sd_pre = 0 but d_av defined */
    tcase_t *pc = add_normal(rng, "pre_const_n9", 0.95, 9, 1, 3);
    for (size_t i = 0; i < pc->n; i++)
        pc->pre[i] = 7;
    /* missing values: 3 NaN pre, 2 NaN post, 1 both; 14 usable pairs */
    tcase_t *na = add_normal(rng, "nan_pairs", 0.95, 20, 1, 3);
    na->pre[0] = na->pre[5] = na->pre[11] = NAN;
    na->post[2] = na->post[19] = NAN;
    na->pre[7] = na->post[7] = NAN;
    /* nothing usable */
    tcase_t *nn = add_case("all_nan", 0.95, 3);
    for (size_t i = 0; i < nn->n; i++) {
        nn->pre[i] = i == 1 ? 2.0 : NAN;
        nn->post[i] = i == 1 ? NAN : 3.0;
    }

    /* BH vectors */
    static const double mixed[] = {0.01, NAN,  0.04, 0.03, 0.04,
                                   0.5,  1,    NAN,  1e-4, 0.2,
                                   0,    0.04, 0.99, 1e-12};
    add_vec("bh_mixed", sizeof mixed / sizeof *mixed, mixed);
    double rnd[300];
    for (size_t i = 0; i < 300; i++) {
        double u = gsl_rng_uniform(rng);
        rnd[i] = u * u * u;
    }
    add_vec("bh_random", 300, rnd);
    static const double one[] = {NAN, 0.02, NAN};
    add_vec("bh_one", 3, one);
    static const double none[] = {NAN, NAN};
    add_vec("bh_allnan", 2, none);
    static const double high[] = {0.9, 1, 0.95, 1, 0.9};
    add_vec("bh_high", 5, high);
    static const double two[] = {0.03, 0.02};
    add_vec("bh_two", 2, two);
}

/* ---- running R -------------------------------------------------------- */

typedef struct rval {
    char name[32], stat[32];
    double v;
} rval_t;

static rval_t *rvals;
static size_t n_rvals;

static void put_num(FILE *f, double x)
{
    if (isnan(x))
        fputs("NA", f);
    else
        fprintf(f, "%a", x);
}

static int write_inputs(const char *pairs, const char *pv)
{
    FILE *f = fopen(pairs, "w");
    if (!f)
        return -1;
    for (size_t k = 0; k < n_cases; k++) {
        fprintf(f, "# %s %a\n", cases[k].name, cases[k].conf);
        for (size_t i = 0; i < cases[k].n; i++) {
            put_num(f, cases[k].pre[i]);
            fputc(' ', f);
            put_num(f, cases[k].post[i]);
            fputc('\n', f);
        }
    }
    if (fclose(f) != 0)
        return -1;
    f = fopen(pv, "w");
    if (!f)
        return -1;
    for (size_t k = 0; k < n_vecs; k++) {
        fprintf(f, "# %s\n", vecs[k].name);
        for (size_t i = 0; i < vecs[k].m; i++) {
            put_num(f, vecs[k].p[i]);
            fputc('\n', f);
        }
    }
    return fclose(f);
}

static int read_r_output(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t cap = 0;
    char name[32], stat[32], val[64];
    while (fscanf(f, "%31s %31s %63s", name, stat, val) == 3) {
        if (n_rvals == cap) {
            cap = cap ? 2 * cap : 1024;
            rval_t *t = realloc(rvals, cap * sizeof *rvals);
            if (!t) {
                fclose(f);
                return -1;
            }
            rvals = t;
        }
        rval_t *r = &rvals[n_rvals++];
        snprintf(r->name, sizeof r->name, "%s", name);
        snprintf(r->stat, sizeof r->stat, "%s", stat);
        char *end;
        r->v = strtod(val, &end); /* hex floats, NaN, Inf, -Inf */
        if (*end) {
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

/* R's value of stat for case name; a missing value fails the test */
static double rv(const char *name, const char *stat)
{
    for (size_t i = 0; i < n_rvals; i++)
        if (strcmp(rvals[i].name, name) == 0 &&
            strcmp(rvals[i].stat, stat) == 0)
            return rvals[i].v;
    UNIT_REPORT(0, "%s: R printed no %s", name, stat);
    return NAN;
}

static int run_r(void)
{
    if (!unit_have_r()) {
        SKIP("t, Wilcoxon and BH against tests/r/paired.R", "Rscript not installed");
        return -1;
    }
    const char *dir = getenv("DS_TEST_RDIR");
    const char *tmp = getenv("TMPDIR");
    char script[4096], pairs[4096], pv[4096], res[4096], cmd[16384];
    if (!tmp || !*tmp)
        tmp = "/tmp";
    snprintf(script, sizeof script, "%s/paired.R", dir ? dir : "tests/r");
    snprintf(pairs, sizeof pairs, "%s/ds-paired-pairs.XXXXXX", tmp);
    snprintf(pv, sizeof pv, "%s/ds-paired-p.XXXXXX", tmp);
    snprintf(res, sizeof res, "%s/ds-paired-r.XXXXXX", tmp);
    if (access(script, R_OK) != 0) {
        UNIT_REPORT(0, "R script %s not found (run from the source tree "
                    "or set DS_TEST_RDIR)", script);
        return -1;
    }
    int fd[3] = {mkstemp(pairs), mkstemp(pv), mkstemp(res)};
    int ok = fd[0] >= 0 && fd[1] >= 0 && fd[2] >= 0;
    for (int i = 0; i < 3; i++)
        if (fd[i] >= 0)
            close(fd[i]);
    ok = ok && write_inputs(pairs, pv) == 0;
    CHECK(ok, "wrote the test cases for R");
    if (ok) {
        snprintf(cmd, sizeof cmd,
                 "Rscript --vanilla '%s' '%s' '%s' > '%s'", script, pairs,
                 pv, res);
        int st = system(cmd);
        CHECK_INT(st, 0, "Rscript tests/r/paired.R ran (needs r-base-core)");
        ok = st == 0 && read_r_output(res) == 0;
        CHECK(ok && n_rvals > 0, "read R's reference values");
    }
    unlink(pairs);
    unlink(pv);
    unlink(res);
    return ok ? 0 : -1;
}

/* ---- comparisons ------------------------------------------------------ */

/* Equal to R: both NaN, the same infinity, or within 1e-10 — relative for
 * probabilities (so tiny p-values are really compared), else relative to
 * max(1, |want|). */
static int near_r(double got, double want, int prob)
{
    if (isnan(got) || isnan(want))
        return isnan(got) && isnan(want);
    if (isinf(got) || isinf(want))
        return got == want;
    double scale = prob ? fmax(fabs(want), DBL_MIN) : fmax(1, fabs(want));
    return fabs(got - want) <= 1e-10 * scale;
}

#define CHECK_R(c, stat, got, want, prob)                                   \
    do {                                                                    \
        double g__ = (got), w__ = (want);                                   \
        UNIT_REPORT(near_r(g__, w__, prob), "%s: %s (got %.17g, R %.17g)",   \
                    (c)->name, stat, g__, w__);                             \
    } while (0)

static void compare_case(const tcase_t *c)
{
    ds_paired_opts_t o;
    ds_paired_opts_init(&o);
    o.conf_level = c->conf;
    ds_paired_result_t r;
    ds_error_t err = {0};
    int rc = ds_paired_test(c->pre, c->post, c->n, &o, &r, &err);
    UNIT_REPORT(rc == 0, "%s: ds_paired_test returns 0 (%s)", c->name,
                rc ? err.msg : "ok");
    if (rc)
        return;
    const char *nm = c->name;
    UNIT_REPORT((double)r.n_pairs == rv(nm, "n_pairs"),
                "%s: n_pairs %zu as R's complete.cases", nm, r.n_pairs);
    UNIT_REPORT(r.n_pairs + r.n_excluded == c->n,
                "%s: used + excluded = %zu pairs", nm, c->n);
    CHECK_R(c, "mean_pre", r.mean_pre, rv(nm, "mean_pre"), 0);
    CHECK_R(c, "mean_post", r.mean_post, rv(nm, "mean_post"), 0);
    CHECK_R(c, "mean_diff", r.mean_diff, rv(nm, "mean_diff"), 0);
    CHECK_R(c, "sd_pre", r.sd_pre, rv(nm, "sd_pre"), 0);
    CHECK_R(c, "sd_post", r.sd_post, rv(nm, "sd_post"), 0);
    CHECK_R(c, "sd_diff", r.sd_diff, rv(nm, "sd_diff"), 0);
    CHECK_R(c, "t", r.t, rv(nm, "t"), 0);
    CHECK_R(c, "df", r.df, rv(nm, "df"), 0);
    CHECK_R(c, "p_t", r.p_t, rv(nm, "p_t"), 1);
    CHECK_R(c, "ci_low", r.ci_low, rv(nm, "ci_low"), 0);
    CHECK_R(c, "ci_high", r.ci_high, rv(nm, "ci_high"), 0);
    CHECK_R(c, "wilcoxon_v", r.wilcoxon_v, rv(nm, "wilcoxon_v"), 0);
    CHECK_R(c, "p_wilcoxon", r.p_wilcoxon, rv(nm, "p_wilcoxon"), 1);
    double ex = rv(nm, "wilcoxon_exact"), wn = rv(nm, "wilcoxon_n");
    UNIT_REPORT(r.wilcoxon_exact == (isnan(ex) ? 0 : (int)ex),
                "%s: Wilcoxon %s, as R's method", nm,
                r.wilcoxon_exact ? "exact" : "normal approximation");
    UNIT_REPORT((double)r.wilcoxon_n == wn, "%s: %zu non-zero differences",
                nm, r.wilcoxon_n);
    /* the NaN rules of docs/statistics-compare.md on top of R's raw
     * formulas: d_z only where R's t.test gives t; d_av only where the
     * SD average is positive; g only for n ≥ 3 */
    double t_r = rv(nm, "t"), dav = rv(nm, "d_av");
    CHECK_R(c, "d_z", r.d_z, isnan(t_r) ? NAN : rv(nm, "d_z"), 0);
    CHECK_R(c, "d_av", r.d_av, isfinite(dav) ? dav : NAN, 0);
    CHECK_R(c, "hedges_g", r.hedges_g,
            r.n_pairs >= 3 && isfinite(dav) ? rv(nm, "hedges_g") : NAN, 0);
}

static void compare_bh(const pvec_t *v)
{
    double *q = malloc((v->m ? v->m : 1) * sizeof *q);
    ds_error_t err = {0};
    int rc = q ? ds_padjust_bh(v->p, v->m, q, &err) : -1;
    UNIT_REPORT(rc == 0, "%s: ds_padjust_bh returns 0", v->name);
    int ok = rc == 0;
    size_t bad = 0;
    double gb = 0, wb = 0;
    char stat[32];
    for (size_t i = 0; ok && i < v->m; i++) {
        snprintf(stat, sizeof stat, "q%zu", i + 1);
        double w = rv(v->name, stat);
        if (!near_r(q[i], w, 1) && !bad++) {
            gb = q[i];
            wb = w;
        }
    }
    UNIT_REPORT(ok && bad == 0, "%s: %zu q-values as p.adjust(BH) "
                "(%zu differ; first got %.17g, R %.17g)", v->name, v->m,
                bad, gb, wb);
    free(q);
}

/* ---- properties and hand-checked values -------------------------------- */

static void test_known(void)
{
    ds_paired_result_t r, s;
    ds_error_t err = {0};
    const tcase_t *c = NULL;
    for (size_t k = 0; k < n_cases; k++)
        if (strcmp(cases[k].name, "allpos_n20") == 0)
            c = &cases[k];
    /* all 20 differences positive: V = 20·21/2 = 210 and the two-sided
     * exact p is 2 · P(V = 210) = 2 / 2^20 */
    ds_paired_test(c->pre, c->post, c->n, NULL, &r, &err);
    CHECK_NEAR(r.wilcoxon_v, 210, 0, "all positive: V = 210");
    CHECK_NEAR(r.p_wilcoxon, 2.0 / 1048576.0, 1e-25,
               "all positive: exact p = 2^-19");
    CHECK_INT(r.wilcoxon_exact, 1, "all positive: exact branch");

    /* swapping pre and post flips every sign; V becomes n(n+1)/2 − V and
     * the two-sided p-values stay */
    ds_paired_test(c->post, c->pre, c->n, NULL, &s, &err);
    CHECK_NEAR(s.wilcoxon_v, 0, 0, "swapped: V = 0");
    CHECK_NEAR(s.p_wilcoxon, r.p_wilcoxon, 0, "swapped: same Wilcoxon p");
    CHECK_NEAR(s.mean_diff, -r.mean_diff, 1e-12, "swapped: -mean_diff");
    CHECK_NEAR(s.t, -r.t, 1e-9, "swapped: -t");
    CHECK_NEAR(s.ci_low, -r.ci_high, 1e-12, "swapped: CI mirrored");
    CHECK_NEAR(s.d_z, -r.d_z, 1e-12, "swapped: -d_z");
    CHECK_NEAR(s.hedges_g, -r.hedges_g, 1e-12, "swapped: -g");

    /* n = 1, nonzero difference: V = 1, p = min(2 · 1/2, 1) = 1 */
    double a = 2, b = 5;
    ds_paired_test(&a, &b, 1, NULL, &r, &err);
    CHECK(r.wilcoxon_v == 1 && r.p_wilcoxon == 1 && isnan(r.t) &&
              isnan(r.sd_pre) && isnan(r.d_z) && r.mean_diff == 3,
          "n = 1: V = 1, p = 1, t and SDs NaN, mean_diff 3");

    /* no pairs at all */
    CHECK_INT(ds_paired_test(NULL, NULL, 0, NULL, &r, &err), 0, "n = 0 ok");
    CHECK(r.n_pairs == 0 && isnan(r.mean_pre) && isnan(r.wilcoxon_v) &&
              isnan(r.p_wilcoxon) && isnan(r.p_t),
          "n = 0: everything NaN");

    /* infinite values are left out like NaN (R's complete.cases would keep
     * them): the result equals that of the finite pairs alone */
    double pi[] = {1, 2, INFINITY, 4, 5, 3}, qi[] = {2, 2.5, 1, 6, 9, -INFINITY};
    double pf[] = {1, 2, 4, 5}, qf[] = {2, 2.5, 6, 9};
    ds_paired_test(pi, qi, 6, NULL, &r, &err);
    ds_paired_test(pf, qf, 4, NULL, &s, &err);
    CHECK(r.n_pairs == 4 && r.n_excluded == 2 && r.t == s.t &&
              r.p_wilcoxon == s.p_wilcoxon && r.mean_pre == s.mean_pre,
          "±Inf pairs excluded like NaN");
    CHECK(ds_paired_usable(1, 2) && !ds_paired_usable(NAN, 2) &&
              !ds_paired_usable(1, INFINITY),
          "ds_paired_usable");

    /* bad options */
    ds_paired_opts_t o = {1.0};
    CHECK_INT(ds_paired_test(pf, qf, 4, &o, &r, &err), DS_EUSAGE,
              "conf_level 1 refused");
    o.conf_level = NAN;
    CHECK_INT(ds_paired_test(pf, qf, 4, &o, &r, &err), DS_EUSAGE,
              "conf_level NaN refused");
    CHECK_INT(ds_paired_test(NULL, qf, 4, NULL, &r, &err), DS_EUSAGE,
              "NULL pre refused");

    /* BH: by hand, p = (0.01, 0.04, 0.03), m = 3:
     * sorted 0.01, 0.03, 0.04 → 3/1·0.01 = 0.03, 3/2·0.03 = 0.045,
     * 3/3·0.04 = 0.04; cumulative minimum from the top: 0.04, 0.04, 0.03 */
    double p3[] = {0.01, 0.04, 0.03}, q3[3];
    ds_padjust_bh(p3, 3, q3, &err);
    CHECK(fabs(q3[0] - 0.03) < 1e-15 && fabs(q3[1] - 0.04) < 1e-15 &&
              fabs(q3[2] - 0.04) < 1e-15,
          "BH by hand: (0.03, 0.04, 0.04)");
    ds_padjust_bh(p3, 3, p3, &err);
    CHECK(p3[0] == q3[0] && p3[1] == q3[1] && p3[2] == q3[2],
          "BH in place");
    CHECK_INT(ds_padjust_bh(NULL, 0, NULL, &err), 0, "BH of nothing");
    double bad[] = {0.5, 1.5};
    CHECK_INT(ds_padjust_bh(bad, 2, q3, &err), DS_EUSAGE, "p > 1 refused");
}

static void test_rci(void)
{
    /* Hand computation (Jacobson & Truax 1991): sd_pre = 2, r = 0.75:
     *   SE_diff = sqrt(2) · 2 · sqrt(0.25) = sqrt(2) = 1.414213562
     *   10 → 13    +3   / 1.414213562 = +2.121320344  reliable rise
     *   10 → 12    +2   / 1.414213562 = +1.414213562  unchanged
     *   10 → 7.2   −2.8 / 1.414213562 = −1.979898987  reliable fall
     *    8 → 8      0                 =  0            unchanged
     *    5 → NaN                         NaN          not counted
     *   12 → 9.3   −2.7 / 1.414213562 = −1.909188309  unchanged (< 1.96)
     * higher better: 1 improved, 3 unchanged, 1 deteriorated;
     * lower better: the same counts with 7.2 improved and 13 deteriorated */
    double pre[] = {10, 10, 10, 8, 5, 12}, post[] = {13, 12, 7.2, 8, NAN, 9.3};
    double rci[6];
    size_t up = 9, same = 9, down = 9;
    ds_error_t err = {0};
    int rc = ds_rci(pre, post, 6, 2, 0.75, rci, &up, &same, &down,
                    DS_RCI_HIGHER_BETTER, &err);
    CHECK_INT(rc, 0, "RCI returns 0");
    CHECK_NEAR(rci[0], 2.121320344, 1e-9, "RCI 10→13");
    CHECK_NEAR(rci[1], 1.414213562, 1e-9, "RCI 10→12");
    CHECK_NEAR(rci[2], -1.979898987, 1e-9, "RCI 10→7.2");
    CHECK_NEAR(rci[3], 0, 0, "RCI 8→8");
    CHECK(isnan(rci[4]), "RCI with NaN post is NaN");
    CHECK_NEAR(rci[5], -1.909188309, 1e-9, "RCI 12→9.3");
    CHECK(up == 1 && same == 3 && down == 1,
          "higher better: 1 improved, 3 unchanged, 1 deteriorated");
    CHECK_INT(ds_rci_class(rci[0], DS_RCI_HIGHER_BETTER), DS_RCI_IMPROVED,
              "13 improved when higher is better");
    CHECK_INT(ds_rci_class(rci[4], DS_RCI_HIGHER_BETTER), DS_RCI_UNDEFINED,
              "NaN is undefined");
    ds_rci(pre, post, 6, 2, 0.75, rci, &up, &same, &down,
           DS_RCI_LOWER_BETTER, &err);
    CHECK(up == 1 && same == 3 && down == 1 &&
              ds_rci_class(rci[2], DS_RCI_LOWER_BETTER) == DS_RCI_IMPROVED &&
              ds_rci_class(rci[0], DS_RCI_LOWER_BETTER) ==
                  DS_RCI_DETERIORATED,
          "lower better: 7.2 improved, 13 deteriorated");
    /* sd_pre = 10, r = 0.9: SE_diff = sqrt(2)·10·sqrt(0.1) = sqrt(20)
     * = 4.472135955; 50 → 40: −10 / 4.472135955 = −2.236067977 */
    double p1 = 50, q1 = 40;
    ds_rci(&p1, &q1, 1, 10, 0.9, rci, &up, NULL, NULL, DS_RCI_LOWER_BETTER,
           &err);
    CHECK_NEAR(rci[0], -2.236067977, 1e-9, "RCI sd 10, r 0.9");
    CHECK_INT(up, 1, "lower better: a fall of 10 is reliable improvement");
    /* no spread in the pre scores: every RCI NaN, nothing counted */
    ds_rci(pre, post, 6, 0, 0.75, rci, &up, &same, &down,
           DS_RCI_HIGHER_BETTER, &err);
    CHECK(isnan(rci[0]) && up + same + down == 0, "sd_pre 0: all NaN");
    ds_rci(pre, post, 6, NAN, 0.75, rci, &up, &same, &down,
           DS_RCI_HIGHER_BETTER, &err);
    CHECK(isnan(rci[1]) && up + same + down == 0, "sd_pre NaN: all NaN");
    CHECK_INT(ds_rci(pre, post, 6, 2, 1, rci, NULL, NULL, NULL, 1, &err),
              DS_EUSAGE, "r = 1 refused");
    CHECK_INT(ds_rci(pre, post, 6, 2, -0.1, rci, NULL, NULL, NULL, 1, &err),
              DS_EUSAGE, "r < 0 refused");
    CHECK_INT(ds_rci(pre, post, 6, -2, 0.5, rci, NULL, NULL, NULL, 1, &err),
              DS_EUSAGE, "negative sd refused");
    CHECK_INT(ds_rci(pre, post, 6, 2, 0.5, rci, NULL, NULL, NULL, 0, &err),
              DS_EUSAGE, "direction 0 refused");
}

int main(void)
{
    gsl_set_error_handler_off();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return 1;
    gsl_rng_set(rng, 20240611);
    build_cases(rng);
    gsl_rng_free(rng);

    if (run_r() == 0) {
        for (size_t k = 0; k < n_cases; k++)
            compare_case(&cases[k]);
        for (size_t k = 0; k < n_vecs; k++)
            compare_bh(&vecs[k]);
    }
    test_known();
    test_rci();

    for (size_t k = 0; k < n_cases; k++) {
        free(cases[k].pre);
        free(cases[k].post);
    }
    for (size_t k = 0; k < n_vecs; k++)
        free(vecs[k].p);
    free(rvals);
    return UNIT_DONE();
}
