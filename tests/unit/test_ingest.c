/* Unit tests of ingest.c and corpus.c: sessions, states, ordering. */
#include <stdlib.h>

#include "dyadseq/ingest.h"
#include "unit.h"

static const char *actors[] = {"A", "B"};

/* Ingest the given in-memory files into a corpus (NULL on any problem). */
static ds_corpus_t *load(const char *const *texts, size_t n, int sort,
                         int merge, ds_diag_t *diag)
{
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_ingest_opts_t o = {.codebook = cb, .actors = actors, .n_actors = 2,
                          .sort = sort, .merge = merge};
    ds_ingest_t *b = ds_ingest_alloc(&o);
    ds_error_t err;
    ds_corpus_t *c = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        FILE *fp = fmemopen((void *)texts[i], strlen(texts[i]), "r");
        char name[32];
        snprintf(name, sizeof name, "f%zu.csv", i);
        rc = ds_ingest_file(b, fp, name, diag, &err);
        fclose(fp);
    }
    if (!rc)
        rc = ds_ingest_finish(b, &c, diag, &err);
    ds_ingest_free(b);
    ds_codebook_free(cb);
    return rc ? NULL : c;
}

static void test_states_and_order(void)
{
    const char *t = "code,actor,session,couple,time\n"
                    "withdraw,B,pre,z9,1\n"
                    "pursue,A,pre,z9,2\n"
                    "response,B,post,a1,0\n"
                    "bid,A,post,a1,0.5\n";
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_corpus_t *c = load(&t, 1, 0, 0, &d);
    CHECK(c != NULL, "columns found by name in any order");
    if (!c)
        return;
    CHECK_INT(c->n_states, 10, "K = 2 actors x 5 codes");
    CHECK_STR(c->state_label[0], "A:pursue", "state 0");
    CHECK_STR(c->state_label[6], "B:withdraw", "state 6 (actor-major)");
    CHECK_INT(c->n_sessions, 2, "two sessions");
    CHECK_STR(c->sessions[0].couple, "a1", "sessions sorted by couple");
    CHECK_INT(c->sessions[0].state[0], 9, "B:response = 5 + 4");
    CHECK_INT(c->sessions[1].state[1], 0, "A:pursue = 0");
    CHECK_INT(c->sessions[1].line[1], 3, "line of each event kept");
    CHECK_NEAR(ds_session_duration(&c->sessions[1]), 1.0, 0, "duration");
    CHECK_INT(c->n_labels, 2, "labels");
    CHECK_STR(c->labels[0], "post", "labels in byte order");
    CHECK_INT(c->sessions[0].label_index, 0, "label index");
    ds_corpus_free(c);
    ds_diag_free(&d);
}

static void test_sort_is_stable(void)
{
    const char *t = "couple,session,actor,code,time\n"
                    "c,s,A,pursue,5\n"
                    "c,s,B,withdraw,1\n"
                    "c,s,A,bid,5\n"
                    "c,s,B,response,1\n";
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_corpus_t *c = load(&t, 1, 0, 0, &d);
    CHECK(c == NULL && d.n_errors == 2, "time going back: two errors");
    ds_diag_free(&d);
    ds_diag_init(&d, 10);
    c = load(&t, 1, 1, 0, &d);
    CHECK(c != NULL, "--sort accepts it");
    if (!c)
        return;
    const ds_session_t *s = &c->sessions[0];
    CHECK(s->state[0] == 6 && s->state[1] == 9 && s->state[2] == 0 &&
              s->state[3] == 3,
          "sorted by onset, ties in input order");
    CHECK(s->line[0] == 3 && s->line[3] == 4, "lines follow their events");
    ds_corpus_free(c);
    ds_diag_free(&d);
}

/* Splitting a study into files (with --merge where a session spans two)
 * or switching LF to CRLF gives the same corpus. */
static void test_split_and_crlf(void)
{
    const char *whole = "couple,session,actor,code,time\n"
                        "c1,pre,A,pursue,0\nc1,pre,B,withdraw,1\n"
                        "c2,pre,A,bid,0\nc2,pre,B,response,2\n";
    const char *parts[] = {"couple,session,actor,code,time\r\n"
                           "c2,pre,A,bid,0\r\nc1,pre,A,pursue,0\r\n",
                           "couple,session,actor,code,time\n"
                           "c1,pre,B,withdraw,1\nc2,pre,B,response,2\n"};
    ds_diag_t d1, d2;
    ds_diag_init(&d1, 10);
    ds_diag_init(&d2, 10);
    ds_corpus_t *a = load(&whole, 1, 0, 0, &d1);
    ds_corpus_t *b = load(parts, 2, 0, 1, &d2);
    CHECK(a && b, "both load");
    if (a && b) {
        int same = a->n_sessions == b->n_sessions;
        for (size_t i = 0; same && i < a->n_sessions; i++) {
            const ds_session_t *x = &a->sessions[i], *y = &b->sessions[i];
            same = x->n == y->n && strcmp(x->couple, y->couple) == 0 &&
                   memcmp(x->state, y->state, x->n * sizeof *x->state) == 0 &&
                   memcmp(x->onset, y->onset, x->n * sizeof *x->onset) == 0;
        }
        CHECK(same, "split + CRLF corpus equals the whole");
    }
    ds_corpus_free(a);
    ds_corpus_free(b);
    ds_diag_free(&d1);
    ds_diag_free(&d2);
}

static void test_no_actor(void)
{
    const char *t = "couple,session,code\nc,s,bid\nc,s,response\n";
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_corpus_t *c = load(&t, 1, 0, 0, &d);
    CHECK(c && c->n_states == 5 && !c->has_actor && !c->has_time,
          "no actor column: states are the codes");
    if (c) {
        CHECK_STR(c->state_label[3], "bid", "label without actor");
        CHECK(isnan(ds_session_duration(&c->sessions[0])),
              "no time: duration NaN");
    }
    ds_corpus_free(c);
    ds_diag_free(&d);
}

int main(void)
{
    test_states_and_order();
    test_sort_is_stable();
    test_split_and_crlf();
    test_no_actor();
    return UNIT_DONE();
}
