/*
 * fixture.h — small in-memory corpora for the unit tests of the
 * computation modules, and a runner for the base-R cross-checks.
 *
 *   ds_corpus_t *c = fx_corpus("A,B", FX_TIME | FX_DURATION);
 *   fx_session(c, "A:bid 0, B:response 2.5, A:pursue 4/1.5");
 *
 * Events are "STATE ONSET[/DURATION]" separated by commas, STATE a state
 * label of the corpus ("A:bid", or "bid" without actors); without FX_TIME
 * the onsets are ignored (write 0).
 */
#ifndef DYADSEQ_FIXTURE_H
#define DYADSEQ_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dyadseq/codebook.h"
#include "dyadseq/corpus.h"

enum { FX_TIME = 1, FX_DURATION = 2 };
#define FX_MAX_SESSIONS 1024

static inline char *fx_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* A corpus with the default codebook and the given actors ("" or NULL:
 * no actor column). Aborts on OOM: these are tests. */
static inline ds_corpus_t *fx_corpus_cb(const char *actors, int flags,
                                 ds_codebook_t *cb)
{
    ds_corpus_t *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->codebook = cb;
    c->has_time = (flags & FX_TIME) != 0;
    c->has_duration = (flags & FX_DURATION) != 0;
    c->has_actor = actors && *actors;
    const char *list = c->has_actor ? actors : "A,B";
    c->actors = calloc(16, sizeof *c->actors);
    for (const char *p = list; *p;) {
        const char *q = strchr(p, ',');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        char *a = malloc(n + 1);
        memcpy(a, p, n);
        a[n] = '\0';
        c->actors[c->n_actors++] = a;
        p = q ? q + 1 : p + n;
    }
    if (ds_corpus_make_states(c) != 0)
        abort();
    /* room for every session up front, so that session pointers held by
     * a test stay valid while it adds more */
    c->sessions = calloc(FX_MAX_SESSIONS, sizeof *c->sessions);
    if (!c->sessions)
        abort();
    return c;
}

static inline ds_corpus_t *fx_corpus(const char *actors, int flags)
{
    return fx_corpus_cb(actors, flags, ds_codebook_alloc_default());
}

static inline long fx_state(const ds_corpus_t *c, const char *label, size_t len)
{
    for (size_t k = 0; k < c->n_states; k++)
        if (strlen(c->state_label[k]) == len &&
            strncmp(c->state_label[k], label, len) == 0)
            return (long)k;
    fprintf(stderr, "fixture: unknown state '%.*s'\n", (int)len, label);
    abort();
}

/* Append an empty session with room for cap events and return it (the
 * pointer stays valid until the corpus is freed). */
static inline ds_session_t *fx_new_session(ds_corpus_t *c, size_t cap)
{
    if (c->n_sessions == FX_MAX_SESSIONS)
        abort();
    ds_session_t *s = &c->sessions[c->n_sessions++];
    memset(s, 0, sizeof *s);
    char name[32];
    snprintf(name, sizeof name, "c%zu", c->n_sessions);
    s->couple = fx_strdup(name);
    s->label = fx_strdup("s");
    cap = cap ? cap : 1;
    s->state = calloc(cap, sizeof *s->state);
    s->line = calloc(cap, sizeof *s->line);
    s->file = calloc(cap, sizeof *s->file);
    if (c->has_time)
        s->onset = calloc(cap, sizeof *s->onset);
    if (c->has_duration)
        s->duration = calloc(cap, sizeof *s->duration);
    if (!s->state || !s->line || !s->file || (c->has_time && !s->onset) ||
        (c->has_duration && !s->duration))
        abort();
    return s;
}

/* Add one event to s (capacity is the caller's business). */
static inline void fx_push(ds_corpus_t *c, ds_session_t *s, size_t state,
                    double onset, double duration)
{
    s->state[s->n] = (uint16_t)state;
    s->line[s->n] = (uint32_t)(s->n + 2);
    if (s->onset)
        s->onset[s->n] = onset;
    if (s->duration)
        s->duration[s->n] = duration;
    s->n++;
    c->n_events++;
}

/* Parse a session written as "A:bid 0, B:response 2.5/1, ...". */
static inline ds_session_t *fx_session(ds_corpus_t *c, const char *text)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    ds_session_t *s = fx_new_session(c, cap);
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *lab = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - lab);
        char *end;
        double t = strtod(p, &end), d = 0;
        p = end;
        if (*p == '/') {
            d = strtod(p + 1, &end);
            p = end;
        }
        fx_push(c, s, (size_t)fx_state(c, lab, len), t, d);
        while (*p == ' ')
            p++;
        if (*p && *p != ',') {
            fprintf(stderr, "fixture: bad event text at '%s'\n", p);
            abort();
        }
    }
    return s;
}

/*
 * Run `Rscript tests/r/SCRIPT ARGS`, its standard output to out_path.
 * Returns 0 on success, 1 when Rscript is not installed (the caller
 * skips), -1 when the script failed. DS_TEST_R_DIR overrides tests/r.
 */
static inline int fx_rscript(const char *script, const char *args,
                      const char *out_path)
{
    if (system("command -v Rscript >/dev/null 2>&1") != 0)
        return 1;
    const char *dir = getenv("DS_TEST_R_DIR");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "Rscript --vanilla '%s/%s' %s > '%s'",
             dir ? dir : "tests/r", script, args, out_path);
    return system(cmd) == 0 ? 0 : -1;
}

/* A temporary file name (created, empty) in $TMPDIR or /tmp. */
static inline void fx_tmpname(char *buf, size_t size, const char *stem)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/dyadseq-%s.XXXXXX", tmp ? tmp : "/tmp", stem);
    int fd = mkstemp(buf);
    if (fd < 0)
        abort();
    close(fd);
}

#endif
