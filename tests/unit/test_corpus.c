/* Unit tests of corpus.c: building a corpus from a codebook, actors and
 * sessions (ds_corpus_alloc, ds_corpus_set_sessions), the stable onset
 * sort of a session, and the codebook copy it makes. */
#include <stdlib.h>

#include "dyadseq/corpus.h"
#include "text.h"
#include "unit.h"

/* A session of n events whose states are 0..n-1 and lines 10..; onsets
 * from `onset` (NULL: none). Everything malloc'd, as a corpus owns it. */
static ds_session_t session(const char *couple, const char *label, size_t n,
                            const double *onset)
{
    ds_session_t s = {.couple = ds_strdup(couple), .label = ds_strdup(label),
                      .n = n};
    s.state = malloc(n * sizeof *s.state);
    s.line = malloc(n * sizeof *s.line);
    s.file = calloc(n, sizeof *s.file);
    if (onset) {
        s.onset = malloc(n * sizeof *s.onset);
        s.duration = malloc(n * sizeof *s.duration);
    }
    for (size_t i = 0; i < n; i++) {
        s.state[i] = (uint16_t)i;
        s.line[i] = (uint32_t)(10 + i);
        if (onset) {
            s.onset[i] = onset[i];
            s.duration[i] = 100 + (double)i;
        }
    }
    return s;
}

static void test_alloc(void)
{
    const char *actors[] = {"H", "W", "T"};
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_corpus_t *c = ds_corpus_alloc(cb, actors, 3, 1);
    CHECK(c != NULL, "alloc");
    if (!c)
        return;
    CHECK(c->codebook != cb && c->codebook->n == 5 &&
              c->codebook->code[0] != cb->code[0],
          "the codebook is copied");
    CHECK_STR(c->codebook->description[4], cb->description[4],
              "  with its descriptions");
    CHECK_INT(c->codebook->role[3], DS_ROLE_BID, "  and roles");
    CHECK(c->actors[1] != actors[1], "the actors are copied");
    CHECK_INT(c->n_states, 15, "K = 3 actors x 5 codes");
    CHECK_STR(c->state_label[7], "W:soften", "actor-major state labels");
    CHECK_INT(c->state_actor[14], 2, "state actor");
    CHECK_INT(c->state_code[14], 4, "state code");
    CHECK_INT(c->n_sessions + c->n_events + c->n_files, 0, "no sessions yet");
    ds_corpus_free(c);
    c = ds_corpus_alloc(cb, actors, 3, 0);
    CHECK(c && c->n_states == 5 && c->state_actor[0] == -1,
          "without an actor column: the codes alone");
    if (c)
        CHECK_STR(c->state_label[1], "withdraw", "  labelled by code");
    ds_corpus_free(c);
    ds_codebook_free(cb);
}

static void test_set_sessions(void)
{
    const char *actors[] = {"A", "B"};
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_corpus_t *c = ds_corpus_alloc(cb, actors, 2, 1);
    ds_session_t *s = malloc(4 * sizeof *s);
    s[0] = session("z9", "pre", 3, NULL);
    s[1] = session("a1", "post", 2, NULL);
    s[2] = session("a1", "mid", 1, NULL);
    s[3] = session("z10", "pre", 4, NULL);
    CHECK_INT(ds_corpus_set_sessions(c, s, 4), 0, "set sessions");
    const char *order[] = {"a1/mid", "a1/post", "z10/pre", "z9/pre"};
    int ok = 1;
    for (size_t i = 0; i < 4; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s/%s", c->sessions[i].couple,
                 c->sessions[i].label);
        ok &= strcmp(key, order[i]) == 0;
    }
    CHECK(ok, "sessions in byte order of (couple, label)");
    CHECK_INT(c->n_labels, 3, "distinct labels");
    CHECK(strcmp(c->labels[0], "mid") == 0 &&
              strcmp(c->labels[1], "post") == 0 &&
              strcmp(c->labels[2], "pre") == 0,
          "labels in byte order");
    CHECK(c->sessions[0].label_index == 0 &&
              c->sessions[1].label_index == 1 &&
              c->sessions[3].label_index == 2,
          "label index of each session");
    CHECK_INT(c->n_events, 10, "events counted");
    CHECK_INT(c->sessions[2].n, 4, "a session keeps its events");
    CHECK_INT(ds_corpus_n_couples(c), 3, "three couples");
    ds_corpus_free(c);
    ds_codebook_free(cb);
}

static void test_session_sort(void)
{
    const double on[] = {5, 1, 5, 1, 0};
    ds_session_t s = session("c", "s", 5, on);
    CHECK_INT(ds_session_sort(&s), 0, "sort");
    CHECK(s.onset[0] == 0 && s.onset[1] == 1 && s.onset[2] == 1 &&
              s.onset[3] == 5 && s.onset[4] == 5,
          "onsets ascending");
    CHECK(s.state[0] == 4 && s.state[1] == 1 && s.state[2] == 3 &&
              s.state[3] == 0 && s.state[4] == 2,
          "ties keep their input order");
    CHECK(s.line[1] == 11 && s.duration[1] == 101 && s.line[3] == 10 &&
              s.duration[4] == 102,
          "lines and durations follow their events");
    ds_session_t t = session("c", "s", 3, NULL);
    CHECK_INT(ds_session_sort(&t), 0, "no onsets: nothing to sort");
    CHECK(t.state[0] == 0 && t.state[2] == 2, "  order kept");
    /* the corpus frees sessions: hand both to one */
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_corpus_t *c = ds_corpus_alloc(cb, NULL, 0, 0);
    ds_session_t *two = malloc(2 * sizeof *two);
    two[0] = s;
    two[1] = t;
    two[1].label[0] = 't';
    CHECK_INT(ds_corpus_set_sessions(c, two, 2), 0, "owned by a corpus");
    ds_corpus_free(c);
    ds_codebook_free(cb);
}

int main(void)
{
    test_alloc();
    test_set_sessions();
    test_session_sort();
    return UNIT_DONE();
}
