/*
 * import_study.c — imported rows checked as strictly as a transcript and
 * kept as sessions of events (see import.h, "The study").
 *
 * Per row: the code is in the codebook (with a did-you-mean, as the
 * transcript reader says it), the actor is one of --actors, times and
 * durations are finite and not negative, every row of the study has the
 * same fields (actor, time, duration: a transcript has them on every row
 * or on none), the observation period of a session is the same on every
 * row that gives it, and a session comes from one input unless --merge.
 * At the end: events lie within their session's observation period, and
 * the states of one actor do not overlap ([onset, onset + duration) of
 * two events of one actor intersect; points, of duration 0, never do).
 */
#include "import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "text.h"

/* Times within this many seconds count as equal (exports round to ms). */
#define TIME_EPS 1e-9

ds_import_study_t *ds_import_study_alloc(const ds_codebook_t *cb,
                                         const char *const *actors,
                                         size_t n_actors, int merge)
{
    ds_import_study_t *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->codebook = cb;
    st->actors = actors;
    st->n_actors = n_actors;
    st->merge = merge;
    st->check_overlap = 1;
    st->index = ds_strmap_alloc();
    st->subjects = ds_strmap_alloc();
    if (!st->index || !st->subjects) {
        ds_import_study_free(st);
        return NULL;
    }
    return st;
}

void ds_import_study_free(ds_import_study_t *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n_s; i++) {
        free(st->s[i].couple);
        free(st->s[i].session);
        free(st->s[i].ev);
        free(st->s[i].stretch);
    }
    free(st->s);
    for (size_t i = 0; i < st->n_locs; i++)
        free(st->locs[i]);
    free(st->locs);
    for (size_t i = 0; i < st->n_inputs; i++)
        free(st->inputs[i]);
    free(st->inputs);
    free(st->sha256);
    ds_strmap_free(st->index);
    ds_strmap_free(st->subjects);
    free(st);
}

int ds_import_study_begin_input(ds_import_study_t *st, const char *name,
                                const void *data, size_t len,
                                ds_error_t *err)
{
    char **in = realloc(st->inputs, (st->n_inputs + 1) * sizeof *in);
    if (in)
        st->inputs = in;
    char(*sha)[65] = in ? realloc(st->sha256,
                                  (st->n_inputs + 1) * sizeof *sha)
                        : NULL;
    if (sha)
        st->sha256 = sha;
    if (!in || !sha || !(in[st->n_inputs] = ds_strdup(name)))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    ds_sha256_t h;
    ds_sha256_init(&h);
    ds_sha256_update(&h, data, len);
    ds_sha256_final_hex(&h, sha[st->n_inputs]);
    st->input = (uint32_t)st->n_inputs++;
    return DS_OK;
}

/* The location of a row as one string: FILE:LINE, FILE:/pointer, FILE. */
static char *loc_string(const ds_import_loc_t *l)
{
    size_t n = strlen(l->file) + 32 + (l->pointer ? strlen(l->pointer) : 0);
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (l->pointer)
        snprintf(s, n, "%s:%s", l->file, l->pointer);
    else if (l->line)
        snprintf(s, n, "%s:%zu", l->file, l->line);
    else
        snprintf(s, n, "%s", l->file);
    return s;
}

static int add_loc(ds_import_study_t *st, const ds_import_loc_t *l,
                   uint32_t *out)
{
    if (st->n_locs == st->cap_locs) {
        size_t cap = st->cap_locs ? 2 * st->cap_locs : 256;
        char **p = realloc(st->locs, cap * sizeof *p);
        if (!p)
            return DS_ENOMEM;
        st->locs = p;
        st->cap_locs = cap;
    }
    if (!(st->locs[st->n_locs] = loc_string(l)))
        return DS_ENOMEM;
    *out = (uint32_t)st->n_locs++;
    return DS_OK;
}

static long find_code(const ds_codebook_t *cb, const char *code)
{
    return ds_codebook_find(cb, code);
}

static long find_actor(const ds_import_study_t *st, const char *a)
{
    for (size_t i = 0; i < st->n_actors; i++)
        if (strcmp(st->actors[i], a) == 0)
            return (long)i;
    return -1;
}

/* "unknown code 'x'; did you mean 'y'? (codebook: ...)", as ingest says */
static void unknown_code(const ds_import_study_t *st, const char *where,
                         const char *field, const char *code,
                         ds_diag_t *diag)
{
    char ex[80], list[256] = "";
    ds_excerpt(ex, code, 60);
    const ds_codebook_t *cb = st->codebook;
    const char *s = ds_suggest(code, (const char *const *)cb->code, cb->n);
    size_t l = 0;
    for (size_t i = 0; i < cb->n && i < 12 && l < sizeof list; i++)
        l += (size_t)snprintf(list + l, sizeof list - l, "%s%s",
                              i ? ", " : "", cb->code[i]);
    if (cb->n > 12 && l < sizeof list)
        snprintf(list + l, sizeof list - l, ", … (%zu codes)", cb->n);
    ds_diag_error(diag, where, 0, field,
                  "unknown code '%s'%s%s%s (codebook: %s; give the "
                  "study's codes with --codebook)",
                  ex, s ? "; did you mean '" : "", s ? s : "",
                  s ? "'?" : "", list);
}

static void unknown_actor(const ds_import_study_t *st, const char *where,
                          const char *actor, ds_diag_t *diag)
{
    char ex[80], list[256] = "";
    ds_excerpt(ex, actor, 60);
    size_t l = 0;
    for (size_t i = 0; i < st->n_actors && l < sizeof list; i++)
        l += (size_t)snprintf(list + l, sizeof list - l, "%s%s",
                              i ? "," : "", st->actors[i]);
    ds_diag_error(diag, where, 0, "actor",
                  "unknown actor '%s' (actors are %s; set them with "
                  "--actors)", ex, list);
}

/* A seconds value: NAN is "none"; negative or infinite is an error. */
static int bad_seconds(double v, const char *what, const char *where,
                       ds_diag_t *diag)
{
    if (isnan(v))
        return 0;
    if (!isfinite(v)) {
        ds_diag_error(diag, where, 0, NULL, "%s is not finite", what);
        return 1;
    }
    if (v < 0) {
        char b[40];
        ds_format_seconds(b, sizeof b, v);
        ds_diag_error(diag, where, 0, NULL, "negative %s (%s s)", what, b);
        return 1;
    }
    return 0;
}

static int bad_utf8(const char *s, const char *what, const char *where,
                    ds_diag_t *diag)
{
    if (!s)
        return 0;
    size_t n = strlen(s), at = ds_utf8_invalid_at(s, n);
    if (at < n) {
        ds_diag_error(diag, where, 0, NULL,
                      "invalid UTF-8 in the %s at byte %zu", what, at + 1);
        return 1;
    }
    return 0;
}

/* A label longer than DS_LABEL_MAX: reported, 1. */
static int too_long(const char *s, const char *what, const char *where,
                    ds_diag_t *diag)
{
    size_t n = s ? strlen(s) : 0;
    if (n <= DS_LABEL_MAX)
        return 0;
    ds_diag_error(diag, where, 0, NULL, "the %s is longer than %d bytes "
                  "(%zu bytes)", what, DS_LABEL_MAX, n);
    return 1;
}

/* Every row has the fields the first one had (or a transcript could not
 * hold them). */
static int check_fields(ds_import_study_t *st, const ds_import_row_t *row,
                        const char *where, ds_diag_t *diag)
{
    int a = row->actor != NULL, t = !isnan(row->onset),
        d = !isnan(row->duration);
    if (!st->decided)
        return 0;
    const char *first = st->locs[st->first_loc];
    if (a != st->has_actor) {
        char ex[80];
        ds_diag_error(diag, where, 0, NULL,
                      "%s%s%s%s, but the first event (%s) %s; every event "
                      "needs an actor or none does%s",
                      a ? "this event has an actor" : "no actor",
                      row->subject ? " for subject '" : "",
                      row->subject ? ds_import_ex(ex, row->subject) : "",
                      row->subject ? "'" : "", first,
                      a ? "has none" : "has one",
                      a ? "" : " (map the subject or tier with "
                               "--subject-actor or --tier-actor)");
        return 1;
    }
    if (t != st->has_time || d != st->has_duration) {
        ds_diag_error(diag, where, 0, NULL,
                      "this event %s a %s, but the first event (%s) %s; "
                      "every event needs one or none does",
                      (t != st->has_time ? t : d) ? "has" : "has no",
                      t != st->has_time ? "time" : "duration", first,
                      (t != st->has_time ? st->has_time : st->has_duration)
                          ? "has one"
                          : "has none");
        return 1;
    }
    return 0;
}

static ds_import_session_t *get_session(ds_import_study_t *st,
                                        const ds_import_row_t *row,
                                        const char *where, ds_diag_t *diag,
                                        int *oom)
{
    size_t lc = strlen(row->couple), ls = strlen(row->session);
    char *key = malloc(lc + ls + 2);
    if (!key) {
        *oom = 1;
        return NULL;
    }
    memcpy(key, row->couple, lc);
    key[lc] = '\x1f';
    memcpy(key + lc + 1, row->session, ls + 1);
    size_t i = ds_strmap_get(st->index, key, lc + ls + 1);
    if (i != (size_t)-1) {
        free(key);
        ds_import_session_t *s = &st->s[i];
        if (s->input != st->input && !st->merge) {
            /* once per input: remember by moving the session's marker */
            ds_diag_error(diag, where, 0, NULL,
                          "session '%s'/'%s' also comes from %s; give "
                          "--merge to join them", row->couple, row->session,
                          st->inputs[s->input]);
            s->input = st->input;
            return NULL;
        }
        return s;
    }
    if (st->n_s == st->cap_s) {
        size_t cap = st->cap_s ? 2 * st->cap_s : 16;
        ds_import_session_t *p = realloc(st->s, cap * sizeof *p);
        if (!p) {
            free(key);
            *oom = 1;
            return NULL;
        }
        st->s = p;
        st->cap_s = cap;
    }
    ds_import_session_t *s = &st->s[st->n_s];
    memset(s, 0, sizeof *s);
    s->start = s->end = NAN;
    s->input = st->input;
    s->couple = ds_strdup(row->couple);
    s->session = ds_strdup(row->session);
    if (!s->couple || !s->session ||
        ds_strmap_put(st->index, key, lc + ls + 1, st->n_s)) {
        free(s->couple);
        free(s->session);
        free(key);
        *oom = 1;
        return NULL;
    }
    free(key);
    st->n_s++;
    return s;
}

/* The stretches of a row's period as text, "a..b; c..d" (buf[n]). */
static void stretch_text(char *buf, size_t n, const double *p, size_t k)
{
    size_t l = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k && l < n; i++) {
        char a[40], b[40];
        ds_format_seconds(a, sizeof a, p[2 * i]);
        ds_format_seconds(b, sizeof b, p[2 * i + 1]);
        int w = snprintf(buf + l, n - l, "%s%s..%s", i ? "; " : "", a, b);
        l += w > 0 ? (size_t)w : 0;
    }
}

/* The stretches of the row against the session's (check_period). */
static int check_stretches(ds_import_study_t *st, ds_import_session_t *s,
                           const ds_import_row_t *row, int first,
                           const char *where, ds_diag_t *diag)
{
    if (first) {
        if (!row->n_stretches)
            return 0;
        size_t n = 2 * row->n_stretches * sizeof *s->stretch;
        if (!(s->stretch = malloc(n))) {
            diag->oom = 1;
            return 1;
        }
        memcpy(s->stretch, row->stretch, n);
        s->n_stretches = row->n_stretches;
        return 0;
    }
    if (s->n_stretches == row->n_stretches &&
        (!s->n_stretches ||
         memcmp(s->stretch, row->stretch,
                2 * s->n_stretches * sizeof *s->stretch) == 0))
        return 0;
    char a[256], b[256];
    stretch_text(a, sizeof a, row->stretch, row->n_stretches);
    stretch_text(b, sizeof b, s->stretch, s->n_stretches);
    ds_diag_error(diag, where, 0, NULL, "observed stretches %s s differ "
                  "from %s s given for session '%s'/'%s' at %s",
                  row->n_stretches ? a : "(all)",
                  s->n_stretches ? b : "(all)", s->couple, s->session,
                  st->locs[s->period_loc]);
    return 1;
}

/* The observation period of the row against the session's. */
static int check_period(ds_import_study_t *st, ds_import_session_t *s,
                        const ds_import_row_t *row, uint32_t loc,
                        const char *where, ds_diag_t *diag)
{
    if (isnan(row->start) && isnan(row->end))
        return 0;
    if (isnan(row->start) || isnan(row->end) || row->end < row->start) {
        char a[40], b[40];
        ds_format_seconds(a, sizeof a, row->start);
        ds_format_seconds(b, sizeof b, row->end);
        ds_diag_error(diag, where, 0, NULL,
                      "observation period %s..%s s is not a period (start "
                      "and end, end >= start)", a, b);
        return 1;
    }
    if (isnan(s->start)) {
        s->start = row->start;
        s->end = row->end;
        s->period_loc = loc;
        st->has_period = 1;
        return check_stretches(st, s, row, 1, where, diag);
    }
    if (s->start != row->start || s->end != row->end) {
        char a[40], b[40], c[40], d[40];
        ds_format_seconds(a, sizeof a, row->start);
        ds_format_seconds(b, sizeof b, row->end);
        ds_format_seconds(c, sizeof c, s->start);
        ds_format_seconds(d, sizeof d, s->end);
        ds_diag_error(diag, where, 0, NULL,
                      "observation period %s..%s s differs from %s..%s s "
                      "given for session '%s'/'%s' at %s",
                      a, b, c, d, s->couple, s->session,
                      st->locs[s->period_loc]);
        return 1;
    }
    return check_stretches(st, s, row, 0, where, diag);
}

/* The checks of one row that need nothing but the row; 1 when bad. */
static int check_row(ds_import_study_t *st, const ds_import_row_t *row,
                     const char *where, long *code, long *actor,
                     ds_diag_t *diag)
{
    int bad = 0;
    bad |= bad_utf8(row->couple, "couple", where, diag);
    bad |= bad_utf8(row->session, "session", where, diag);
    bad |= bad_utf8(row->code, "code", where, diag);
    bad |= bad_utf8(row->actor, "actor", where, diag);
    bad |= too_long(row->couple, "couple", where, diag);
    bad |= too_long(row->session, "session", where, diag);
    bad |= too_long(row->code, "code", where, diag);
    bad |= too_long(row->actor, "actor", where, diag);
    if (bad)
        return 1;
    for (const char *p = row->couple; *p; p++)
        bad |= (unsigned char)*p < 0x20;
    for (const char *p = row->session; *p; p++)
        bad |= (unsigned char)*p < 0x20;
    if (bad) {
        ds_diag_error(diag, where, 0, NULL, "a line break or control "
                      "character in the couple or session");
        return 1;
    }
    if (!*row->couple || !*row->session) {
        ds_diag_error(diag, where, 0, NULL, "empty %s",
                      !*row->couple ? "couple" : "session");
        bad = 1;
    }
    *code = -1;
    *actor = -1;
    if (!*row->code) {
        ds_diag_error(diag, where, 0, row->code_field, "empty code");
        bad = 1;
    } else if ((*code = find_code(st->codebook, row->code)) < 0) {
        unknown_code(st, where, row->code_field, row->code, diag);
        bad = 1;
    }
    if (row->actor && (*actor = find_actor(st, row->actor)) < 0) {
        unknown_actor(st, where, row->actor, diag);
        bad = 1;
    }
    bad |= bad_seconds(row->onset, "time", where, diag);
    bad |= bad_seconds(row->duration, "duration", where, diag);
    bad |= bad_seconds(row->start, "observation start", where, diag);
    bad |= bad_seconds(row->end, "observation end", where, diag);
    return bad;
}

int ds_import_study_add(ds_import_study_t *st, const ds_import_row_t *row,
                        ds_diag_t *diag, ds_error_t *err)
{
    uint32_t loc;
    if (add_loc(st, &row->loc, &loc))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    const char *where = st->locs[loc];
    long code, actor;
    if (check_row(st, row, where, &code, &actor, diag) ||
        check_fields(st, row, where, diag))
        return DS_OK;
    if (!st->decided) {
        st->decided = 1;
        st->has_actor = row->actor != NULL;
        st->has_time = !isnan(row->onset);
        st->has_duration = !isnan(row->duration);
        st->first_loc = loc;
    }
    int oom = 0;
    ds_import_session_t *s = get_session(st, row, where, diag, &oom);
    if (oom)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (!s || check_period(st, s, row, loc, where, diag))
        return DS_OK;
    if (row->subject &&
        ds_strmap_get(st->subjects, row->subject, strlen(row->subject)) ==
            (size_t)-1 &&
        ds_strmap_put(st->subjects, row->subject, strlen(row->subject), 0))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        ds_import_event_t *p = realloc(s->ev, cap * sizeof *p);
        if (!p)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        s->ev = p;
        s->cap = cap;
    }
    ds_import_event_t *e = &s->ev[s->n++];
    e->onset = row->onset;
    e->duration = row->duration;
    e->actor = actor < 0 ? DS_IMPORT_NO_ACTOR : (uint32_t)actor;
    e->code = (uint32_t)code;
    e->loc = loc;
    e->order = (uint32_t)st->n_events++;
    e->input = st->input;
    e->line = row->loc.pointer || row->loc.line > UINT32_MAX
                  ? 0
                  : (uint32_t)row->loc.line;
    e->may_overlap = row->may_overlap != 0;
    return DS_OK;
}

int ds_import_study_emit(const ds_import_row_t *row, void *vsink)
{
    ds_import_sink_t *k = vsink;
    return ds_import_study_add(k->study, row, k->diag, k->err);
}

static int cmp_event(const void *va, const void *vb)
{
    const ds_import_event_t *a = va, *b = vb;
    if (a->onset < b->onset)
        return -1;
    if (a->onset > b->onset)
        return 1;
    return (a->order > b->order) - (a->order < b->order);
}

static int cmp_session(const void *va, const void *vb)
{
    const ds_import_session_t *a = va, *b = vb;
    int c = strcmp(a->couple, b->couple);
    return c ? c : strcmp(a->session, b->session);
}

static void check_in_period(const ds_import_study_t *st,
                            const ds_import_session_t *s, ds_diag_t *diag)
{
    if (isnan(s->start))
        return;
    for (size_t i = 0; i < s->n; i++) {
        const ds_import_event_t *e = &s->ev[i];
        if (isnan(e->onset))
            continue;
        double off = e->onset + (isnan(e->duration) ? 0 : e->duration);
        int in = 0;
        for (size_t k = 0; k < (s->n_stretches ? s->n_stretches : 1); k++) {
            double a = s->n_stretches ? s->stretch[2 * k] : s->start;
            double b = s->n_stretches ? s->stretch[2 * k + 1] : s->end;
            in |= e->onset >= a - TIME_EPS && off <= b + TIME_EPS;
        }
        if (in)
            continue;
        char a[40], b[40], c[40], d[40];
        ds_format_seconds(a, sizeof a, e->onset);
        ds_format_seconds(b, sizeof b, off);
        ds_format_seconds(c, sizeof c, s->start);
        ds_format_seconds(d, sizeof d, s->end);
        ds_diag_error(diag, st->locs[e->loc], 0, NULL,
                      "event %s..%s s lies outside the observation period "
                      "%s..%s s of session '%s'/'%s'",
                      a, b, c, d, s->couple, s->session);
    }
}

/* One actor's states must not overlap; events are sorted by onset. */
static int check_overlap(const ds_import_study_t *st,
                         const ds_import_session_t *s, ds_diag_t *diag)
{
    if (!st->check_overlap || !st->has_actor || !st->has_duration)
        return DS_OK;
    double *until = malloc(st->n_actors * sizeof *until);
    size_t *which = malloc(st->n_actors * sizeof *which);
    if (!until || !which) {
        free(until);
        free(which);
        return DS_ENOMEM;
    }
    for (size_t a = 0; a < st->n_actors; a++)
        until[a] = -INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        const ds_import_event_t *e = &s->ev[i];
        if (e->may_overlap || e->actor == DS_IMPORT_NO_ACTOR ||
            !(e->duration > 0))
            continue;
        if (e->onset < until[e->actor] - TIME_EPS) {
            const ds_import_event_t *p = &s->ev[which[e->actor]];
            char a[40], b[40];
            ds_format_seconds(a, sizeof a, e->onset);
            ds_format_seconds(b, sizeof b, until[e->actor]);
            ds_diag_error(diag, st->locs[e->loc], 0, NULL,
                          "state '%s' of actor '%s' begins at %s s, before "
                          "the same actor's state '%s' (%s) ends at %s s; "
                          "the states of one actor must not overlap",
                          st->codebook->code[e->code], st->actors[e->actor],
                          a, st->codebook->code[p->code], st->locs[p->loc],
                          b);
        }
        if (e->onset + e->duration > until[e->actor]) {
            until[e->actor] = e->onset + e->duration;
            which[e->actor] = i;
        }
    }
    free(until);
    free(which);
    return DS_OK;
}

int ds_import_study_finish(ds_import_study_t *st, ds_diag_t *diag,
                           ds_error_t *err)
{
    for (size_t i = 0; i < st->n_s; i++) {
        ds_import_session_t *s = &st->s[i];
        if (st->has_time && s->n)
            qsort(s->ev, s->n, sizeof *s->ev, cmp_event);
        check_in_period(st, s, diag);
        if (check_overlap(st, s, diag))
            return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    if (st->n_s)
        qsort(st->s, st->n_s, sizeof *st->s, cmp_session);
    return diag->n_errors ? DS_EDATA : DS_OK;
}

void ds_import_study_counts(const ds_import_study_t *st,
                            ds_import_counts_t *out)
{
    memset(out, 0, sizeof *out);
    out->sessions = st->n_s;
    out->events = st->n_events;
    size_t nc = st->codebook->n, na = st->n_actors;
    unsigned char *used = calloc(nc + na, 1);
    if (!used)
        return;
    for (size_t i = 0; i < st->n_s; i++)
        for (size_t e = 0; e < st->s[i].n; e++) {
            used[st->s[i].ev[e].code] = 1;
            if (st->s[i].ev[e].actor != DS_IMPORT_NO_ACTOR)
                used[nc + st->s[i].ev[e].actor] = 1;
        }
    for (size_t j = 0; j < nc; j++)
        out->codes += used[j];
    out->subjects = ds_strmap_size(st->subjects);
    if (out->subjects == 0)
        for (size_t a = 0; a < na; a++)
            out->subjects += used[nc + a];
    free(used);
}
