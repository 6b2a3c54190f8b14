/*
 * Unit tests of apim.c (SPEC 4.5, actor and partner effects over time).
 *
 * States of the default codebook with actors A,B (K = 10):
 *   0 A:pursue 1 A:withdraw 2 A:soften 3 A:bid 4 A:response
 *   5 B:pursue 6 B:withdraw 7 B:soften 8 B:bid 9 B:response
 * The tables of the hand-built sessions are worked out in the comments;
 * the coefficients are checked against the dummy-coded cell logits here
 * and against R's glm() and loglin() (tests/r/apim.R) when R is there.
 */
#include <stdint.h>

#include "dyadseq/apim.h"
#include "fixture.h"
#include "unit.h"

enum { AP, AW, AS, AB, AR, BP, BW, BS, BB, BR, K10 };

static void parse_or_abort(const ds_corpus_t *c, const char *spec,
                           ds_ap_model_t *m)
{
    ds_ap_space_t sp;
    ds_error_t err = {0};
    ds_ap_space_of(c, &sp);
    if (ds_ap_model_parse(&sp, spec, m, &err)) {
        fprintf(stderr, "parse %s: %s\n", spec, err.msg);
        abort();
    }
}

#define CHECK_CELLS(n, c000, c001, c010, c011, c100, c101, c110, c111, what) \
    do {                                                                     \
        const int64_t w_[8] = {c000, c001, c010, c011,                       \
                               c100, c101, c110, c111};                      \
        int ok_ = 1;                                                         \
        for (int k_ = 0; k_ < 8; k_++)                                       \
            ok_ &= (n)[k_] == w_[k_];                                        \
        UNIT_REPORT(ok_, "%s (got %lld %lld %lld %lld %lld %lld %lld %lld)", \
                    what, (long long)(n)[0], (long long)(n)[1],              \
                    (long long)(n)[2], (long long)(n)[3], (long long)(n)[4], \
                    (long long)(n)[5], (long long)(n)[6], (long long)(n)[7]); \
    } while (0)

/*
 * Y = B:withdraw, X = A:pursue, U = 1, onsets:
 *   A:pursue 0, B:withdraw 1.5, A:pursue 1.9, B:withdraw 2, B:withdraw 2.5,
 *   B:bid 4, A:pursue 5.2, B:withdraw 6
 * units 0..6 (7 units); X in {0, 1, 5}, Y in {1, 2, 6}.
 * pairs (t-1, t) for t = 1..6 as (x, y, z):
 *   t=1: x0=1 y0=0 z1=1 -> 101     t=2: x1=1 y1=1 z2=1 -> 111
 *   t=3: x2=0 y2=1 z3=0 -> 010     t=4: x3=0 y3=0 z4=0 -> 000
 *   t=5: x4=0 y4=0 z5=0 -> 000     t=6: x5=1 y5=0 z6=1 -> 101
 */
static void test_tally_onset(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_session(c, "A:pursue 0, B:withdraw 1.5, "
                                    "A:pursue 1.9, B:withdraw 2, "
                                    "B:withdraw 2.5, B:bid 4, A:pursue 5.2, "
                                    "B:withdraw 6");
    ds_ap_model_t m;
    parse_or_abort(c, "B:withdraw~A:pursue", &m);
    ds_ap_opts_t o;
    ds_ap_opts_init(&o);
    int64_t n[8];
    size_t units;
    ds_error_t err = {0};
    CHECK_INT(ds_ap_tally(c, s, &m, &o, NULL, n, &units, &err), 0, "tally");
    CHECK_INT(units, 7, "7 units");
    CHECK_CELLS(n, 2, 0, 1, 0, 0, 2, 0, 1, "onset table");
    /* the reverse model: Y = A:pursue, X = B:withdraw
     * t=1: x0=0 y0=1 z1=1 -> 011   t=2: x1=1 y1=1 z2=0 -> 110
     * t=3: x2=1 y2=0 z3=0 -> 100   t=4: 000   t=5: x4=0 y4=0 z5=1 -> 001
     * t=6: x5=0 y5=1 z6=0 -> 010 */
    ds_ap_model_t r;
    parse_or_abort(c, "A:pursue~B:withdraw", &r);
    ds_ap_tally(c, s, &r, &o, NULL, n, NULL, &err);
    CHECK_CELLS(n, 1, 1, 1, 1, 1, 0, 1, 0, "reverse model");
    /* U = 2: units 0..3 (onsets 0,1.5,1.9 | 2,2.5 | 4,5.2 | 6);
     * X in {0, 2}, Y in {0, 1, 3}
     * t=1: x0=1 y0=1 z1=1 -> 111   t=2: x1=0 y1=1 z2=0 -> 010
     * t=3: x2=1 y2=0 z3=1 -> 101 */
    o.unit_s = 2;
    ds_ap_tally(c, s, &m, &o, NULL, n, &units, &err);
    CHECK_INT(units, 4, "4 units of 2 s");
    CHECK_CELLS(n, 0, 0, 1, 0, 0, 1, 0, 1, "2-s units");
    ds_ap_model_clear(&m);
    ds_ap_model_clear(&r);
    ds_corpus_free(c);
}

/*
 * Durations, --target ongoing: B:withdraw 1/2.5 is in progress in units
 * 1, 2, 3 (offset 3.5 exclusive); A:pursue 0/1 in unit 0 only (offset 1
 * exclusive); A:pursue 4 in unit 4; units 0..4.
 * X in {0, 4}, Y in {1, 2, 3}
 * t=1: x0=1 y0=0 z1=1 -> 101   t=2: x1=0 y1=1 z2=1 -> 011
 * t=3: 011                      t=4: x3=0 y3=1 z4=0 -> 010
 * With onsets only, Y in {1}: t=1: 101, t=2: 010, t=3: 000, t=4: 000.
 */
static void test_tally_ongoing(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME | FX_DURATION);
    ds_session_t *s = fx_session(c, "A:pursue 0/1, B:withdraw 1/2.5, "
                                    "A:pursue 4/0");
    ds_ap_model_t m;
    parse_or_abort(c, "B:withdraw~A:pursue", &m);
    ds_ap_opts_t o;
    ds_ap_opts_init(&o);
    o.target_ongoing = 1;
    int64_t n[8];
    ds_error_t err = {0};
    CHECK_INT(ds_ap_tally(c, s, &m, &o, NULL, n, NULL, &err), 0,
              "tally ongoing");
    CHECK_CELLS(n, 0, 0, 1, 2, 0, 1, 0, 0, "ongoing table");
    o.target_ongoing = 0;
    ds_ap_tally(c, s, &m, &o, NULL, n, NULL, &err);
    CHECK_CELLS(n, 2, 0, 1, 0, 0, 1, 0, 0, "onset table with durations");
    ds_ap_model_clear(&m);
    ds_corpus_free(c);
}

/* A long session across several 64-unit words: every unit has X, Y in
 * every third unit, so the pairs are counted across word borders. */
static void test_tally_words(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s = fx_new_session(c, 400);
    for (int t = 0; t < 200; t++) {
        fx_push(c, s, AP, t, 0);
        if (t % 3 == 0)
            fx_push(c, s, BW, t + 0.5, 0);
    }
    ds_ap_model_t m;
    parse_or_abort(c, "B:withdraw~A:pursue", &m);
    ds_ap_opts_t o;
    ds_ap_opts_init(&o);
    int64_t n[8];
    ds_error_t err = {0};
    ds_ap_workspace_t *w = ds_ap_workspace_alloc();
    CHECK_INT(ds_ap_tally(c, s, &m, &o, w, n, NULL, &err), 0, "tally");
    /* units 0..199, X in every unit, Y in units t % 3 == 0; pairs
     * t = 1..199: y = 1 at t - 1 = 0, 3, ..., 198 (67 pairs, z = 0:
     * cell 110); y = 0 and z = 1 at t = 3, 6, ..., 198 (66: cell 101);
     * y = 0 and z = 0 at t = 2, 5, ..., 197 (66: cell 100) */
    CHECK_CELLS(n, 0, 0, 0, 0, 66, 66, 67, 0, "three words");
    ds_ap_workspace_free(w);
    ds_ap_model_clear(&m);
    ds_corpus_free(c);
}

/*
 * Observation periods (issue 13), U = 1, events A:pursue 1, B:withdraw 2,
 * A:pursue 4, B:withdraw 5: X in {1, 4}, Y in {2, 5}.
 * s1, period 0..8: the grid starts at 0, not at the first onset, and runs
 * over the period's 8 units; pairs t = 1..7 as (x, y, z):
 *   000 101 010 000 101 010 000: n000 = 3, n010 = 2, n101 = 2.
 * s2, unit 3 not coded (period "0;4", "3;8"): stretches {0, 1, 2} and
 *   {4, ..., 7}; pairs t = 1, 2, 5, 6, 7: 000 101 101 010 000.
 */
static void test_tally_periods(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *s1 = fx_session(c, "A:pursue 1, B:withdraw 2, "
                                     "A:pursue 4, B:withdraw 5");
    ds_session_t *s2 = fx_session(c, "A:pursue 1, B:withdraw 2, "
                                     "A:pursue 4, B:withdraw 5");
    static const double p1[] = {0, 8}, p2[] = {0, 3, 4, 8};
    s1->period = malloc(sizeof p1);
    s2->period = malloc(sizeof p2);
    memcpy(s1->period, p1, sizeof p1);
    memcpy(s2->period, p2, sizeof p2);
    s1->n_periods = 1;
    s2->n_periods = 2;
    ds_ap_model_t m;
    parse_or_abort(c, "B:withdraw~A:pursue", &m);
    ds_ap_opts_t o;
    ds_ap_opts_init(&o);
    int64_t n[8];
    size_t units;
    ds_error_t err = {0};
    CHECK_INT(ds_ap_tally(c, s1, &m, &o, NULL, n, &units, &err), 0,
              "tally with a period");
    CHECK_INT(units, 8, "the period's 8 units");
    CHECK_CELLS(n, 3, 0, 2, 0, 0, 2, 0, 0, "from the period's start");
    CHECK_INT(ds_ap_tally(c, s2, &m, &o, NULL, n, &units, &err), 0,
              "tally with a unit not coded");
    CHECK_CELLS(n, 2, 0, 1, 0, 0, 2, 0, 0, "no pair spans the hole");
    ds_ap_model_clear(&m);
    ds_corpus_free(c);
}

/* Fewer than two units, and no time column. */
static void test_tally_edges(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_session_t *one = fx_session(c, "A:pursue 3");
    ds_ap_model_t m;
    parse_or_abort(c, "B:withdraw~A:pursue", &m);
    ds_ap_opts_t o;
    ds_ap_opts_init(&o);
    int64_t n[8];
    ds_error_t err = {0};
    CHECK_INT(ds_ap_tally(c, one, &m, &o, NULL, n, NULL, &err), 0,
              "one event");
    CHECK_CELLS(n, 0, 0, 0, 0, 0, 0, 0, 0, "no pair of units");
    ds_ap_fit_t f;
    ds_ap_fit(n, 0.5, &f);
    CHECK(isnan(f.intercept) && isnan(f.partner) && isnan(f.actor) &&
              isnan(f.interaction) && isnan(f.partner_only) && isnan(f.se),
          "no pairs: every coefficient NaN (also with delta 0.5)");
    o.target_ongoing = 1;
    CHECK_INT(ds_ap_tally(c, one, &m, &o, NULL, n, NULL, &err), DS_ENOTAVAIL,
              "ongoing without durations");
    ds_ap_model_clear(&m);
    ds_corpus_free(c);
    ds_corpus_t *nt = fx_corpus("A,B", 0);
    ds_session_t *s = fx_session(nt, "A:pursue 0, B:withdraw 0");
    parse_or_abort(nt, "B:withdraw~A:pursue", &m);
    o.target_ongoing = 0;
    CHECK_INT(ds_ap_tally(nt, s, &m, &o, NULL, n, NULL, &err), DS_ENOTAVAIL,
              "no time column");
    ds_ap_model_clear(&m);
    ds_corpus_free(nt);
}

/* The coefficients against the dummy-coded cell logits (apim.h):
 * c0 = L00 = b0 - b1 - b2 + b3, c1 = L10 - L00 = 2 (b1 - b3),
 * c2 = L01 - L00 = 2 (b2 - b3), c3 = 4 b3. */
static void test_fit_identities(void)
{
    const int64_t n[8] = {40, 3, 5, 9, 7, 11, 2, 6};
    ds_ap_fit_t f;
    ds_ap_fit(n, 0.5, &f);
    double L[2][2];
    for (int x = 0; x < 2; x++)
        for (int y = 0; y < 2; y++)
            L[x][y] = log((n[DS_AP_CELL(x, y, 1)] + 0.5) /
                          (n[DS_AP_CELL(x, y, 0)] + 0.5));
    CHECK_NEAR(f.intercept - f.partner - f.actor + f.interaction, L[0][0],
               1e-12, "c0 = L00");
    CHECK_NEAR(2 * (f.partner - f.interaction), L[1][0] - L[0][0], 1e-12,
               "c1 = L10 - L00");
    CHECK_NEAR(2 * (f.actor - f.interaction), L[0][1] - L[0][0], 1e-12,
               "c2 = L01 - L00");
    CHECK_NEAR(4 * f.interaction, L[1][1] - L[1][0] - L[0][1] + L[0][0],
               1e-12, "c3 = the log odds ratio of the interaction");
    double inv = 0;
    for (int k = 0; k < 8; k++)
        inv += 1 / (n[k] + 0.5);
    CHECK_NEAR(f.se, sqrt(inv) / 4, 1e-15, "common SE");
    /* partner only: (1/2) ln of the odds ratio of the collapsed table */
    double a = n[5] + n[7] + 1, b = n[4] + n[6] + 1;
    double cc = n[1] + n[3] + 1, d = n[0] + n[2] + 1;
    CHECK_NEAR(f.partner_only, 0.5 * log(a * d / (b * cc)), 1e-12,
               "partner only = half the collapsed log odds ratio");
    double v[DS_AP_N_COEFS];
    ds_ap_fit_values(&f, v);
    CHECK(v[0] == f.intercept && v[1] == f.partner && v[2] == f.actor &&
              v[3] == f.interaction && v[4] == f.partner_only,
          "values in DS_AP_COEFS order");
}

/* δ = 0: an empty cell gives NaN, never ±Inf. */
static void test_fit_zero_delta(void)
{
    const int64_t empty[8] = {10, 0, 4, 6, 3, 5, 2, 7};
    ds_ap_fit_t f;
    ds_ap_fit(empty, 0, &f);
    CHECK(isnan(f.intercept) && isnan(f.partner) && isnan(f.actor) &&
              isnan(f.interaction) && isnan(f.se),
          "delta 0, cell 001 empty: b0..b3 and se NaN");
    CHECK(isfinite(f.partner_only),
          "partner only defined: no collapsed cell is empty");
    const int64_t col[8] = {10, 0, 4, 0, 3, 5, 2, 7};
    ds_ap_fit(col, 0, &f);
    CHECK(isnan(f.partner_only), "collapsed cell empty: partner only NaN");
    ds_ap_fit(empty, 0.5, &f);
    CHECK(isfinite(f.intercept) && isfinite(f.partner) &&
              isfinite(f.interaction) && isfinite(f.se),
          "delta 0.5: defined");
    const int64_t full[8] = {10, 1, 4, 6, 3, 5, 2, 7};
    ds_ap_fit(full, 0, &f);
    CHECK_NEAR(f.partner,
               (log(5.0 / 3) + log(7.0 / 2) - log(6.0 / 4) - log(1.0 / 10)) /
                   4,
               1e-12, "delta 0, no empty cell: b1");
    const int64_t all_y[8] = {0, 5, 0, 9, 0, 4, 0, 2};
    ds_ap_fit(all_y, 0, &f);
    CHECK(isnan(f.partner) && !isinf(f.partner) && isnan(f.partner_only),
          "Y in every unit, delta 0: NaN");
}

/* The fit against R: glm with effect coding and loglin lambdas taken as
 * DySeq's LogSeq takes them, for hand tables and a tallied session. */
static void test_fit_against_r(void)
{
    static const int64_t tables[][8] = {
        {40, 3, 5, 9, 7, 11, 2, 6},   {12, 12, 12, 12, 12, 12, 12, 12},
        {100, 1, 0, 3, 2, 30, 1, 8},  {0, 0, 0, 0, 0, 0, 0, 1},
        {2, 0, 1, 0, 0, 2, 0, 1},     {500, 20, 15, 40, 25, 60, 5, 33},
        {3, 17, 8, 2, 9, 1, 4, 26}};
    static const double deltas[] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 1};
    size_t nt = sizeof tables / sizeof tables[0];
    char in[256], out[256];
    fx_tmpname(in, sizeof in, "apim-in");
    fx_tmpname(out, sizeof out, "apim-out");
    FILE *fp = fopen(in, "w");
    for (size_t t = 0; fp && t < nt; t++) {
        for (int k = 0; k < 8; k++)
            fprintf(fp, "%lld ", (long long)tables[t][k]);
        fprintf(fp, "%.17g\n", deltas[t]);
    }
    if (fp)
        fclose(fp);
    char args[600];
    snprintf(args, sizeof args, "fit '%s'", in);
    int rc = fx_rscript("apim.R", args, out);
    if (rc == 1) {
        SKIP("coefficients equal R's glm and loglin", "no R");
    } else if (rc) {
        CHECK(0, "tests/r/apim.R ran");
    } else {
        FILE *r = fopen(out, "r");
        for (size_t t = 0; r && t < nt; t++) {
            double g[10];
            int got = 0;
            for (int k = 0; k < 10; k++)
                got += fscanf(r, "%lf", &g[k]) == 1;
            ds_ap_fit_t f;
            ds_ap_fit(tables[t], deltas[t], &f);
            char what[96];
            snprintf(what, sizeof what, "table %zu read from R", t);
            CHECK_INT(got, 10, what);
            double mine[5] = {f.intercept, f.partner, f.actor,
                              f.interaction, f.se};
            static const char *const name[5] = {"b0", "b1 (partner)",
                                                "b2 (actor)", "b3", "se"};
            for (int k = 0; k < 5; k++) {
                snprintf(what, sizeof what, "table %zu: %s = glm's", t,
                         name[k]);
                CHECK_NEAR(mine[k], g[k], 1e-8 * fmax(1, fabs(g[k])), what);
            }
            snprintf(what, sizeof what, "table %zu: partner only = glm(z ~ x)",
                     t);
            CHECK_NEAR(f.partner_only, g[5],
                       1e-8 * fmax(1, fabs(g[5])), what);
            for (int k = 0; k < 4; k++) {
                snprintf(what, sizeof what,
                         "table %zu: %s = 2 lambda (loglin, DySeq layout)", t,
                         name[k]);
                CHECK_NEAR(mine[k], g[6 + k], 1e-9 * fmax(1, fabs(g[6 + k])),
                           what);
            }
        }
        if (r)
            fclose(r);
    }
    remove(in);
    remove(out);
}

/* Models by state, by role, the defaults, and what is refused. */
static void test_models(void)
{
    ds_corpus_t *c = fx_corpus("A,B", FX_TIME);
    ds_ap_space_t sp;
    ds_ap_space_of(c, &sp);
    ds_ap_model_t m;
    ds_error_t err = {0};
    CHECK_INT(ds_ap_model_parse(&sp, " B:withdraw ~ A:pursue", &m, &err), 0,
              "blanks around the sides");
    CHECK_STR(m.name, "B:withdraw~A:pursue", "name without blanks");
    CHECK(m.side[BW] == DS_AP_Y && m.side[AP] == DS_AP_X &&
              m.side[AW] == DS_AP_NONE,
          "sides");
    CHECK_INT(m.y_role, DS_ROLE_WITHDRAW, "Y's role");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_model_parse(&sp, "B:withdrw~A:pursue", &m, &err),
              DS_EUSAGE, "unknown state");
    CHECK(strstr(err.msg, "did you mean 'B:withdraw'") != NULL,
          "a suggestion");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_model_parse(&sp, "B:withdraw", &m, &err), DS_EUSAGE,
              "no '~'");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_model_parse(&sp, "B:withdraw~B:withdraw", &m, &err),
              DS_EUSAGE, "Y and X share a state");
    CHECK(strstr(err.msg, "share") != NULL, "says they share");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_model_parse(&sp, "withdraw~pursue", &m, &err), DS_EUSAGE,
              "a bare role with actors names no actor");
    ds_ap_model_clear(&m);

    ds_ap_model_t *d;
    size_t nd;
    CHECK_INT(ds_ap_default_models(&sp, &d, &nd, &err), 0, "defaults");
    CHECK_INT(nd, 6, "six default models");
    if (nd == 6) {
        CHECK_STR(d[0].name, "B:withdraw~A:pursue", "first default");
        CHECK_STR(d[1].name, "A:withdraw~B:pursue", "second default");
        CHECK_STR(d[2].name, "B:response~A:bid", "third default");
        CHECK_STR(d[5].name, "A:soften~B:soften", "last default");
    }
    for (size_t i = 0; i < nd; i++)
        ds_ap_model_clear(&d[i]);
    free(d);
    ds_corpus_free(c);

    /* a study codebook: two withdraw codes, no code named withdraw */
    ds_codebook_t *cb = calloc(1, sizeof *cb);
    static const char *const codes[] = {"criticism", "stonewalling",
                                        "defensiveness", "validation"};
    static const ds_role_t roles[] = {DS_ROLE_PURSUE, DS_ROLE_WITHDRAW,
                                      DS_ROLE_WITHDRAW, DS_ROLE_RESPONSE};
    cb->n = 4;
    cb->code = calloc(4, sizeof *cb->code);
    cb->role = calloc(4, sizeof *cb->role);
    cb->description = calloc(4, sizeof *cb->description);
    for (int i = 0; i < 4; i++) {
        cb->code[i] = fx_strdup(codes[i]);
        cb->role[i] = roles[i];
        cb->description[i] = fx_strdup("");
    }
    ds_corpus_t *sc = fx_corpus_cb("H,W", FX_TIME, cb);
    ds_ap_space_of(sc, &sp);
    CHECK_INT(ds_ap_model_parse(&sp, "W:withdraw~H:pursue", &m, &err), 0,
              "ACTOR:ROLE");
    /* states: 0 H:criticism 1 H:stonewalling 2 H:defensiveness
     * 3 H:validation 4 W:criticism 5 W:stonewalling 6 W:defensiveness */
    CHECK(m.side[5] == DS_AP_Y && m.side[6] == DS_AP_Y &&
              m.side[0] == DS_AP_X && m.side[1] == DS_AP_NONE,
          "every withdraw code of W, the pursue code of H");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_model_parse(&sp, "W:stonewalling~H:criticism", &m, &err),
              0, "state labels");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_model_parse(&sp, "W:soften~H:soften", &m, &err),
              DS_EUSAGE, "a role no code has");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_default_models(&sp, &d, &nd, &err), 0, "defaults");
    CHECK_INT(nd, 2, "withdraw~pursue both ways (no bid, no soften)");
    for (size_t i = 0; i < nd; i++)
        ds_ap_model_clear(&d[i]);
    free(d);
    ds_corpus_free(sc);

    ds_corpus_t *na = fx_corpus("", FX_TIME);
    ds_ap_space_of(na, &sp);
    CHECK_INT(ds_ap_model_parse(&sp, "withdraw~pursue", &m, &err), 0,
              "without actors: codes");
    ds_ap_model_clear(&m);
    CHECK_INT(ds_ap_default_models(&sp, &d, &nd, &err), 0,
              "defaults without actors");
    CHECK_INT(nd, 0, "none: actor and partner need two actors");
    free(d);
    ds_corpus_free(na);
}

int main(void)
{
    test_tally_onset();
    test_tally_ongoing();
    test_tally_words();
    test_tally_periods();
    test_tally_edges();
    test_fit_identities();
    test_fit_zero_delta();
    test_fit_against_r();
    test_models();
    return UNIT_DONE();
}
