/* Unit tests of import.c, import_study.c and the row callbacks of the
 * SDIS and ELAN importers (issue 15). */
#include <math.h>
#include <stdlib.h>

#include "import.h"
#include "unit.h"

static void test_helpers(void)
{
    char b[48], *p = ds_json_pointer_append("/observations", "c01/pre~1");
    CHECK_STR(p, "/observations/c01~1pre~01", "JSON Pointer escapes / and ~");
    free(p);
    ds_format_seconds(b, sizeof b, 1.2);
    CHECK_STR(b, "1.2", "1.2 s written as 1.2");
    ds_format_seconds(b, sizeof b, 120);
    CHECK_STR(b, "120", "whole seconds without a point");
    ds_format_seconds(b, sizeof b, 0.1 + 0.2);
    CHECK(strtod(b, NULL) == 0.1 + 0.2, "0.1 + 0.2 reads back exactly");
    CHECK(3.3 - 2.1 != 1.2 && ds_round_ns(3.3 - 2.1) == 1.2,
          "3.3 - 2.1 rounded to the nanosecond is 1.2");
    CHECK(isnan(ds_round_ns(NAN)), "NaN stays NaN");
    CHECK(ds_import_has_extension("a/b/Study.BORIS", ".boris"),
          "extensions ignore letter case");
    CHECK(!ds_import_has_extension("a.boris/b", ".boris"),
          "a directory's dot is not the file's extension");
    CHECK_STR(ds_importer_for_path("x.sdis")->name, "sdis", ".sdis is sdis");
    CHECK(ds_importer_for_path("x.csv") == NULL, ".csv needs --from");
}

static void test_options(void)
{
    ds_import_opts_t o;
    const char *actors[] = {"A", "B"};
    char msg[256], *c, *s;
    int skip;
    ds_import_opts_init(&o);
    o.actors = actors;
    o.n_actors = 2;
    CHECK_INT(ds_import_opt_map(&o.subject_actor, &o.n_subject_actor,
                                "Partner=1=A", "--subject-actor", msg,
                                sizeof msg),
              0, "NAME=A splits at the last '='");
    CHECK_STR(o.subject_actor[0].name, "Partner=1", "... the name");
    CHECK_INT(ds_import_opt_map(&o.subject_actor, &o.n_subject_actor,
                                "Partner=1=B", "--subject-actor", msg,
                                sizeof msg),
              -1, "a name mapped twice is refused");
    CHECK_INT(ds_import_opt_map(&o.subject_actor, &o.n_subject_actor,
                                "Notes=-", "--subject-actor", msg,
                                sizeof msg),
              0, "NAME=- is accepted");
    CHECK_INT(ds_import_opts_check(&o, msg, sizeof msg), 0,
              "A and - are valid targets");
    CHECK_STR(ds_import_map_actor(&o, o.subject_actor, o.n_subject_actor,
                                  "Partner=1", &skip),
              "A", "a mapped subject");
    CHECK(ds_import_map_actor(&o, o.subject_actor, o.n_subject_actor,
                              "Notes", &skip) == NULL && skip,
          "a subject mapped to - is skipped");
    CHECK_STR(ds_import_map_actor(&o, o.subject_actor, o.n_subject_actor,
                                  "B", &skip),
              "B", "a subject named as an actor is that actor");
    CHECK(ds_import_map_actor(&o, o.subject_actor, o.n_subject_actor,
                              "Therapist", &skip) == NULL && !skip,
          "an unmapped subject");
    CHECK_INT(ds_import_split_id(&o, "c01_pre", "study", &c, &s), 0,
              "no --id-pattern");
    CHECK(strcmp(c, "study") == 0 && strcmp(s, "c01_pre") == 0,
          "... the stem is the couple, the id the session");
    free(c);
    free(s);
    CHECK_INT(ds_import_opt_id_pattern(&o, "^(.*)_(pre|post)$", msg,
                                       sizeof msg),
              0, "a pattern with two groups");
    CHECK_INT(ds_import_split_id(&o, "c01_x_post", "study", &c, &s), 0,
              "--id-pattern");
    CHECK(strcmp(c, "c01_x") == 0 && strcmp(s, "post") == 0,
          "... groups 1 and 2");
    free(c);
    free(s);
    CHECK_INT(ds_import_split_id(&o, "c01-pre", "study", &c, &s), 1,
              "an id that does not match");
    CHECK_INT(ds_import_opt_id_pattern(&o, "(a)", msg, sizeof msg), -1,
              "one group is too few");
    CHECK_INT(ds_import_opt_columns(&o, "code=Behavior,time=T,unit=ms", msg,
                                    sizeof msg),
              0, "--columns");
    CHECK(o.columns_ms && strcmp(o.column[DS_COLKEY_TIME], "T") == 0,
          "... keys and unit");
    CHECK_INT(ds_import_opt_columns(&o, "code=X", msg, sizeof msg), -1,
              "a key given twice");
    ds_import_opts_clear(&o);
}

static ds_import_row_t row(const char *actor, const char *code, double on,
                           double dur, size_t line)
{
    return (ds_import_row_t){.couple = "c1", .session = "s1",
                             .actor = actor, .code = code, .onset = on,
                             .duration = dur, .start = NAN, .end = NAN,
                             .loc = {.file = "f", .line = line}};
}

static void test_study(void)
{
    ds_codebook_t *cb = ds_codebook_alloc_default();
    const char *actors[] = {"A", "B"};
    ds_error_t err;
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_import_study_t *st = ds_import_study_alloc(cb, actors, 2, 0);
    ds_import_study_begin_input(st, "f", "", 0, &err);
    ds_import_row_t r[] = {row("B", "withdraw", 5, 1, 3),
                           row("A", "pursue", 1, 2, 2),
                           row("A", "soften", 2.5, 1, 4),
                           row("B", "bid", 5, 0, 5)};
    for (size_t i = 0; i < 4; i++)
        ds_import_study_add(st, &r[i], &d, &err);
    CHECK_INT(ds_import_study_finish(st, &d, &err), DS_EDATA,
              "overlapping states of one actor are an error");
    CHECK_INT(d.n_errors, 1, "... one (A's soften in A's pursue)");
    CHECK(d.n_errors_kept && strncmp(d.errors[0], "f:4: state 'soften'", 19) ==
                                 0,
          "... at the later state's line");
    CHECK(st->s[0].ev[0].onset == 1 && st->s[0].ev[2].onset == 5 &&
              st->s[0].ev[2].code == 1 && st->s[0].ev[3].code == 3,
          "events ordered by onset, ties in arrival order");
    ds_import_counts_t n;
    ds_import_study_counts(st, &n);
    CHECK(n.sessions == 1 && n.events == 4 && n.codes == 4 &&
              n.subjects == 2,
          "counts: sessions, events, codes, subjects (actors)");
    ds_import_study_free(st);
    ds_diag_clear(&d);

    ds_diag_init(&d, 10);
    st = ds_import_study_alloc(cb, actors, 2, 0);
    ds_import_study_begin_input(st, "f", "", 0, &err);
    ds_import_row_t a = row("A", "pursue", 1, 2, 2),
                    b = row(NULL, "bid", 4, 0, 3),
                    c = row("A", "pursu", 5, 0, 4),
                    e = row("B", "bid", 6, NAN, 5);
    a.start = 0;
    a.end = 10;
    ds_import_study_add(st, &a, &d, &err);
    ds_import_study_add(st, &b, &d, &err);
    ds_import_study_add(st, &c, &d, &err);
    ds_import_study_add(st, &e, &d, &err);
    CHECK_INT(d.n_errors, 3, "no actor, unknown code, no duration: 3 "
                             "errors");
    CHECK(d.n_errors_kept == 3 && strstr(d.errors[1], "did you mean "
                                                      "'pursue'"),
          "an unknown code has a suggestion");
    ds_import_study_free(st);
    ds_diag_clear(&d);
    ds_codebook_free(cb);
}

typedef struct got {
    size_t n;
    char code[8][32];
    double on[8], dur[8], start, end;
} got_t;

static int collect(const ds_import_row_t *r, void *ctx)
{
    got_t *g = ctx;
    if (g->n < 8) {
        snprintf(g->code[g->n], sizeof g->code[0], "%s:%s",
                 r->actor ? r->actor : "-", r->code);
        g->on[g->n] = r->onset;
        g->dur[g->n] = r->duration;
        g->start = r->start;
        g->end = r->end;
    }
    g->n++;
    return 0;
}

static void test_formats(void)
{
    ds_import_opts_t o;
    const char *actors[] = {"A", "B"};
    ds_import_opts_init(&o);
    o.actors = actors;
    o.n_actors = 2;
    ds_error_t err;
    ds_diag_t d;
    ds_diag_init(&d, 10);
    const char *sds = "State (A_x A_y) (B_z) ;  % streams\n"
                      "<c1_s1> ,2 A_x=1.5 A_y=2 & B_z=4.25 /\n";
    ds_import_src_t src = {.name = "t.sds", .stem = "t", .data = sds,
                           .len = strlen(sds)};
    got_t g = {0};
    CHECK_INT(ds_import_sdis(&src, &o, collect, &g, &d, &err), DS_OK,
              "SDIS state data");
    CHECK(g.n == 3 && strcmp(g.code[1], "A:y") == 0 && g.on[1] == 3.5 &&
              g.dur[1] == 2 && g.on[2] == 2 && g.dur[2] == 4.25,
          "... streams run from the session start");
    CHECK(g.start == 2 && g.end == 6.25, "... period to the longest stream");

    /* ELAN tab-delimited with the ms format only: begin, end, duration */
    const char *txt = "A\t1000\t2500\t1500\tpursue\n"
                      "B\t3000\t3000\t0\tbid\n";
    ds_import_src_t t2 = {.name = "c1.txt", .stem = "c1", .data = txt,
                          .len = strlen(txt)};
    memset(&g, 0, sizeof g);
    CHECK_INT(ds_import_elan(&t2, &o, collect, &g, &d, &err), DS_OK,
              "ELAN text export in milliseconds");
    CHECK(g.n == 2 && g.on[0] == 1 && g.dur[0] == 1.5 &&
              strcmp(g.code[1], "B:bid") == 0 && g.dur[1] == 0,
          "... times from the ms columns, tiers named as actors");
    CHECK_INT(d.n_errors, 0, "no problems");
    ds_diag_clear(&d);
    ds_import_opts_clear(&o);
}

int main(void)
{
    test_helpers();
    test_options();
    test_study();
    test_formats();
    return UNIT_DONE();
}
