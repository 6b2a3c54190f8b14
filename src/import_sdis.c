/*
 * import_sdis.c — SDIS, the input language of GSEQ (Bakeman & Quera 1995,
 * 2011), in the subset that maps onto transcripts.
 *
 * A file is a declaration, ended by ';', then sessions, each ended by '/':
 *   Timed A_bid A_pursue B_withdraw B_response ;   % a comment
 *   <c01_pre> ,0 A_bid,1.5-3.0 B_response,3.2-4 ... ,120 /
 * The declaration names the data type (Event, State, Timed or Interval;
 * Multievent is not read), optionally a time specification in angle
 * brackets (BORIS writes "Timed <seconds>;"; it is skipped: times are
 * seconds or [hh:]mm:ss[.fff]), and the codes, bare or in parenthesised
 * sets (a "$NAME =" inside a set is skipped); '*' starts the
 * between-session variables, which are skipped, as are the level lists
 * "(...)" just before a session's '/'. When codes are declared, a code in
 * the data that is not declared is an error.
 *
 * Sessions: "<label>" names a session (the observation id: couple and
 * session through --id-pattern); without a label sessions are numbered
 * 1, 2, ... in file order.
 *   Event     codes separated by white space: events without times.
 *   Timed     CODE,ONSET or CODE,ONSET-OFFSET; a lone ",TIME" before the
 *             first code is the session start, before '/' its end (both
 *             make the observation period). A code without an offset is a
 *             point event (duration 0); when no code has an offset the
 *             events have no durations.
 *   State     CODE=DURATION in sequence from the session start (",TIME"
 *             first, else 0); '&' starts another stream, again from the
 *             start. The period ends with the longest stream.
 *   Interval  codes of one interval separated by white space, each
 *             interval ended by ','; interval k (from 0) is the event
 *             [start + k L, start + (k + 1) L) with L = --interval; the
 *             codes of one interval may co-occur.
 * Codes may co-occur in every SDIS data type, so the events of one actor
 * are not checked for overlaps (as transcripts are not).
 * Actors: a code ACTOR_CODE whose prefix before '_' is an actor or a
 * --subject-actor NAME is that actor's CODE (the longest such prefix);
 * other codes have no actor. This is how `convert --to sdis` writes them.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"
#include "text.h"

enum { T_EOF, T_WORD, T_LABEL, T_PUNCT };
enum { D_EVENT, D_STATE, D_TIMED, D_INTERVAL };
static const char *const type_name[] = {"Event", "State", "Timed",
                                        "Interval"};

typedef struct tok {
    int kind;
    char c;        /* T_PUNCT */
    char *text;    /* T_WORD, T_LABEL */
    size_t line;
} tok_t;

/* One event of a session, kept until the file is read (durations). */
typedef struct sev {
    char *code;
    double on, dur;  /* dur NAN: no offset given */
    size_t line;
} sev_t;

typedef struct sdis {
    const ds_import_src_t *src;
    const ds_import_opts_t *opts;
    ds_import_row_fn emit;
    void *ctx;
    ds_diag_t *diag;
    ds_error_t *err;
    const char *p, *end;
    size_t line;
    tok_t tok;               /* the current token */
    int type;
    ds_strmap_t *declared;   /* NULL: no codes declared */
    size_t n_sessions;
    int any_offset;
    sev_t *ev;
    size_t n_ev, cap_ev;
    int bad;                 /* a syntax error: stop */
} sdis_t;

#define SYNTAX(s, ln, ...)                                                   \
    do {                                                                     \
        ds_import_loc_t l_ = {.file = (s)->src->name, .line = (ln)};         \
        ds_import_error((s)->diag, &l_, NULL, __VA_ARGS__);                  \
        (s)->bad = 1;                                                        \
    } while (0)

static int is_punct(char c)
{
    return strchr(";,/()<>=*&-", c) != NULL && c != '\0';
}

/* Advance to the next token; returns -1 when out of memory. */
static int next(sdis_t *s)
{
    free(s->tok.text);
    memset(&s->tok, 0, sizeof s->tok);
    for (;;) {
        while (s->p < s->end && isspace((unsigned char)*s->p)) {
            if (*s->p == '\n')
                s->line++;
            s->p++;
        }
        if (s->p < s->end && *s->p == '%') {
            while (s->p < s->end && *s->p != '\n')
                s->p++;
            continue;
        }
        break;
    }
    s->tok.line = s->line;
    if (s->p >= s->end) {
        s->tok.kind = T_EOF;
        return 0;
    }
    if (*s->p == '<') {
        const char *q = memchr(s->p, '>', (size_t)(s->end - s->p));
        const char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
        if (!q || (nl && nl < q)) {
            s->tok.kind = T_PUNCT;
            s->tok.c = '<';
            s->p++;
            return 0;
        }
        s->tok.kind = T_LABEL;
        s->tok.text = strndup(s->p + 1, (size_t)(q - s->p - 1));
        s->p = q + 1;
        return s->tok.text ? 0 : -1;
    }
    if (is_punct(*s->p)) {
        s->tok.kind = T_PUNCT;
        s->tok.c = *s->p++;
        return 0;
    }
    const char *b = s->p;
    while (s->p < s->end && !isspace((unsigned char)*s->p) &&
           !is_punct(*s->p) && *s->p != '%')
        s->p++;
    s->tok.kind = T_WORD;
    s->tok.text = strndup(b, (size_t)(s->p - b));
    return s->tok.text ? 0 : -1;
}

static int is(const sdis_t *s, char c)
{
    return s->tok.kind == T_PUNCT && s->tok.c == c;
}

#define NEXT(s)                                                              \
    do {                                                                     \
        if (next(s))                                                         \
            return ds_error_set((s)->err, DS_ENOMEM, "out of memory");       \
    } while (0)

/* The declaration up to ';'. */
static int declaration(sdis_t *s)
{
    char ex[80];
    NEXT(s);
    if (s->tok.kind != T_WORD) {
        SYNTAX(s, s->tok.line, "not an SDIS file: it must begin with the "
               "data type (Event, State, Timed or Interval)");
        return DS_OK;
    }
    s->type = -1;
    for (int t = 0; t < 4; t++)
        if (strcasecmp(s->tok.text, type_name[t]) == 0)
            s->type = t;
    if (s->type < 0) {
        SYNTAX(s, s->tok.line, "SDIS data type '%s' is not read (Event, "
               "State, Timed and Interval are; Multievent data cannot be "
               "a sequence of single events)", ds_import_ex(ex, s->tok.text));
        return DS_OK;
    }
    NEXT(s);
    if (s->tok.kind == T_LABEL)  /* a time specification */
        NEXT(s);
    int factors = 0;
    while (s->tok.kind != T_EOF && !is(s, ';')) {
        if (is(s, '*'))
            factors = 1;
        if (!factors && s->tok.kind == T_WORD) {
            const char *w = s->tok.text;
            if (w[0] == '$') {  /* "$NAME =": a set's name */
                NEXT(s);
                continue;
            }
            if (!s->declared && !(s->declared = ds_strmap_alloc()))
                return ds_error_set(s->err, DS_ENOMEM, "out of memory");
            if (ds_strmap_put(s->declared, w, strlen(w), 0))
                return ds_error_set(s->err, DS_ENOMEM, "out of memory");
        }
        NEXT(s);
    }
    if (!is(s, ';'))
        SYNTAX(s, s->tok.line, "the SDIS declaration does not end with ';'");
    return DS_OK;
}

static int add_event(sdis_t *s, const char *code, double on, double dur,
                     size_t line)
{
    char ex[80];
    if (s->declared &&
        ds_strmap_get(s->declared, code, strlen(code)) == (size_t)-1) {
        ds_import_loc_t l = {.file = s->src->name, .line = line};
        ds_import_error(s->diag, &l, NULL, "code '%s' is not declared in "
                        "the SDIS declaration", ds_import_ex(ex, code));
        return DS_OK;
    }
    if (s->n_ev == s->cap_ev) {
        size_t cap = s->cap_ev ? 2 * s->cap_ev : 64;
        sev_t *p = realloc(s->ev, cap * sizeof *p);
        if (!p)
            return ds_error_set(s->err, DS_ENOMEM, "out of memory");
        s->ev = p;
        s->cap_ev = cap;
    }
    sev_t *e = &s->ev[s->n_ev];
    if (!(e->code = ds_strdup(code)))
        return ds_error_set(s->err, DS_ENOMEM, "out of memory");
    e->on = on;
    e->dur = dur;
    e->line = line;
    s->n_ev++;
    s->any_offset |= !isnan(dur);
    return DS_OK;
}

/* A time token; reports and returns -1 when it is not one. */
static int time_of(sdis_t *s, double *out)
{
    char ex[80];
    if (s->tok.kind == T_WORD &&
        ds_parse_time(s->tok.text, out) == DS_NUM_OK)
        return 0;
    if (s->tok.kind == T_WORD)
        ds_import_ex(ex, s->tok.text);
    else if (s->tok.kind == T_EOF)
        snprintf(ex, sizeof ex, "end of file");
    else
        snprintf(ex, sizeof ex, "%c", s->tok.kind == T_PUNCT ? s->tok.c
                                                              : '<');
    SYNTAX(s, s->tok.line, "expected a time (seconds or [hh:]mm:ss[.fff]), "
           "not '%s'", ex);
    return -1;
}

/* Skip a level list "(...)"; the token after it is current. */
static int skip_levels(sdis_t *s)
{
    while (s->tok.kind != T_EOF && !is(s, ')'))
        NEXT(s);
    NEXT(s);
    return DS_OK;
}

/* One CODE,ONSET[-OFFSET] of Timed data; the code is the current token.
 * Returns DS_OK (s->bad set on a syntax error) or DS_ENOMEM. */
static int timed_code(sdis_t *s)
{
    char ex[80];
    size_t line = s->tok.line;
    double on, off = NAN;
    char *code = s->tok.text;
    s->tok.text = NULL;
    int rc = DS_ENOMEM;
    if (next(s))
        goto done;
    rc = DS_OK;
    if (!is(s, ',')) {
        SYNTAX(s, line, "code '%s' without ',ONSET' (Timed data give each "
               "code its time)", ds_import_ex(ex, code));
        goto done;
    }
    rc = DS_ENOMEM;
    if (next(s))
        goto done;
    rc = DS_OK;
    if (time_of(s, &on))
        goto done;
    rc = DS_ENOMEM;
    if (next(s))
        goto done;
    rc = DS_OK;
    if (is(s, '-')) {
        rc = DS_ENOMEM;
        if (next(s))
            goto done;
        rc = DS_OK;
        if (time_of(s, &off))
            goto done;
        rc = DS_ENOMEM;
        if (next(s))
            goto done;
        rc = DS_OK;
        if (off < on) {
            SYNTAX(s, line, "code '%s' ends before it begins",
                   ds_import_ex(ex, code));
            goto done;
        }
    }
    rc = add_event(s, code, on, isnan(off) ? NAN : ds_round_ns(off - on),
                   line);
done:
    free(code);
    return rc == DS_ENOMEM ? ds_error_set(s->err, rc, "out of memory") : rc;
}

/* The body of a Timed session up to '/'. */
static int timed_body(sdis_t *s, double *start, double *end)
{
    int any = 0, rc;
    while (!s->bad && s->tok.kind != T_EOF && !is(s, '/')) {
        if (is(s, '(')) {
            if ((rc = skip_levels(s)))
                return rc;
            continue;
        }
        if (is(s, ',')) {  /* ",TIME": start (first) or end (last) */
            size_t line = s->tok.line;
            double t;
            NEXT(s);
            if (time_of(s, &t))
                break;
            NEXT(s);
            if (!any)
                *start = t;
            else if (is(s, '/') || is(s, '('))
                *end = t;
            else
                SYNTAX(s, line, "a time without a code in the middle of a "
                       "session");
            continue;
        }
        if (s->tok.kind != T_WORD) {
            SYNTAX(s, s->tok.line, "expected CODE,ONSET[-OFFSET], not "
                   "'%c'", s->tok.kind == T_PUNCT ? s->tok.c : '<');
            break;
        }
        if ((rc = timed_code(s)))
            return rc;
        any = 1;
    }
    return DS_OK;
}

/* One CODE=DURATION of State data at time *t (advanced). */
static int state_code(sdis_t *s, double *t, double *end)
{
    char ex[80];
    size_t line = s->tok.line;
    double d;
    char *code = s->tok.text;
    s->tok.text = NULL;
    int rc = DS_ENOMEM;
    if (next(s))
        goto done;
    rc = DS_OK;
    if (!is(s, '=')) {
        SYNTAX(s, line, "state '%s' without '=DURATION'",
               ds_import_ex(ex, code));
        goto done;
    }
    rc = DS_ENOMEM;
    if (next(s))
        goto done;
    rc = DS_OK;
    if (time_of(s, &d))
        goto done;
    if ((rc = add_event(s, code, *t, d, line)))
        goto done;
    *t = ds_round_ns(*t + d);
    *end = *t > *end ? *t : *end;
    rc = next(s) ? DS_ENOMEM : DS_OK;
done:
    free(code);
    return rc == DS_ENOMEM ? ds_error_set(s->err, rc, "out of memory") : rc;
}

/* The body of a State session: CODE=DURATION, streams split by '&'. */
static int state_body(sdis_t *s, double *start, double *end)
{
    double t0 = 0, t;
    int rc;
    if (is(s, ',')) {
        NEXT(s);
        if (time_of(s, &t0))
            return DS_OK;
        NEXT(s);
    }
    t = *start = *end = t0;
    while (!s->bad && s->tok.kind != T_EOF && !is(s, '/')) {
        if (is(s, '(')) {
            if ((rc = skip_levels(s)))
                return rc;
        } else if (is(s, '&')) {
            t = t0;
            NEXT(s);
        } else if (s->tok.kind != T_WORD) {
            SYNTAX(s, s->tok.line, "expected CODE=DURATION in State data");
        } else if ((rc = state_code(s, &t, end))) {
            return rc;
        }
    }
    return DS_OK;
}

/* The body of an Event or Interval session. */
static int codes_body(sdis_t *s, double *start, double *end)
{
    double len = s->opts->interval;
    size_t k = 0;
    int open = 0;  /* the current interval has codes */
    while (!s->bad && s->tok.kind != T_EOF && !is(s, '/')) {
        if (is(s, '(')) {
            int rc = skip_levels(s);
            if (rc)
                return rc;
            continue;
        }
        if (s->type == D_INTERVAL && is(s, ',')) {
            k++;
            open = 0;
            NEXT(s);
            continue;
        }
        if (s->tok.kind != T_WORD) {
            SYNTAX(s, s->tok.line, "unexpected '%c' in %s data",
                   s->tok.kind == T_PUNCT ? s->tok.c : '<',
                   type_name[s->type]);
            break;
        }
        int rc = s->type == D_INTERVAL
                     ? add_event(s, s->tok.text,
                                 ds_round_ns((double)k * len), len,
                                 s->tok.line)
                     : add_event(s, s->tok.text, NAN, NAN, s->tok.line);
        if (rc)
            return rc;
        open = 1;
        NEXT(s);
    }
    if (s->type == D_INTERVAL) {
        *start = 0;
        *end = ds_round_ns((double)(k + (size_t)open) * len);
    }
    return DS_OK;
}

/* Split ACTOR_CODE (see the top of the file). */
static const char *split_actor(const sdis_t *s, const char *code,
                               const char **actor, const char **subject,
                               int *skip)
{
    const ds_import_opts_t *o = s->opts;
    size_t best = 0;
    const char *name = NULL;
    *actor = *subject = NULL;
    *skip = 0;
    for (size_t i = 0; i < o->n_subject_actor + o->n_actors; i++) {
        const char *n = i < o->n_subject_actor
                            ? o->subject_actor[i].name
                            : o->actors[i - o->n_subject_actor];
        size_t l = strlen(n);
        if (l > best && strncmp(code, n, l) == 0 && code[l] == '_' &&
            code[l + 1]) {
            best = l;
            name = n;
        }
    }
    if (!name)
        return code;
    *actor = ds_import_map_actor(o, o->subject_actor, o->n_subject_actor,
                                 name, skip);
    *subject = name;
    return code + best + 1;
}

/* Emit the events of one session. */
static int emit_session(sdis_t *s, const char *id, size_t line,
                        double start, double end)
{
    char *couple, *session, ex[80];
    int rc = ds_import_split_id(s->opts, id, s->src->stem, &couple,
                                &session);
    if (rc == DS_ENOMEM)
        return ds_error_set(s->err, DS_ENOMEM, "out of memory");
    if (rc) {
        ds_import_loc_t l = {.file = s->src->name, .line = line};
        ds_import_error(s->diag, &l, NULL, "session label '%s' does not "
                        "match --id-pattern '%s' (group 1 = couple, group "
                        "2 = session)", ds_import_ex(ex, id),
                        s->opts->id_pattern_text);
        return DS_OK;
    }
    if (isnan(start) || isnan(end))
        start = end = NAN;
    for (size_t i = 0; i < s->n_ev && rc == DS_OK; i++) {
        const sev_t *e = &s->ev[i];
        const char *actor, *subject;
        int skip;
        const char *code = split_actor(s, e->code, &actor, &subject, &skip);
        if (skip)
            continue;
        double dur = e->dur;
        if (isnan(dur) && s->type == D_TIMED && s->any_offset)
            dur = 0;  /* a point event among states */
        ds_import_row_t r = {
            .couple = couple, .session = session, .actor = actor,
            .subject = subject, .code = code, .onset = e->on,
            .duration = dur, .start = start, .end = end,
            .may_overlap = 1, /* codes co-occur in SDIS (GSEQ) */
            .loc = {.file = s->src->name, .line = e->line}};
        rc = s->emit(&r, s->ctx);
    }
    free(couple);
    free(session);
    return rc;
}

static void clear_events(sdis_t *s)
{
    for (size_t i = 0; i < s->n_ev; i++)
        free(s->ev[i].code);
    s->n_ev = 0;
}

/* One session; *done when the file has no more. */
static int session(sdis_t *s, int *done)
{
    char *label = NULL;
    size_t line = s->tok.line;
    double start = NAN, end = NAN;
    int rc = DS_OK;
    *done = 0;
    if (s->tok.kind == T_EOF) {
        *done = 1;
        return DS_OK;
    }
    if (s->tok.kind == T_LABEL) {
        label = s->tok.text;
        s->tok.text = NULL;
        NEXT(s);
    }
    s->any_offset = 0;
    if (s->type == D_TIMED)
        rc = timed_body(s, &start, &end);
    else if (s->type == D_STATE)
        rc = state_body(s, &start, &end);
    else
        rc = codes_body(s, &start, &end);
    if (rc == DS_OK && !s->bad && !is(s, '/')) {
        char ex[80];
        SYNTAX(s, s->tok.line, "session %s%s%sdoes not end with '/'%s",
               label ? "<" : "", label ? ds_import_ex(ex, label) : "",
               label ? "> " : "", s->tok.kind == T_EOF ? " (end of file)"
                                                       : "");
    }
    if (rc == DS_OK && !s->bad && (s->n_ev || label)) {
        char num[32];
        snprintf(num, sizeof num, "%zu", ++s->n_sessions);
        rc = emit_session(s, label ? label : num, line, start, end);
    }
    clear_events(s);
    free(label);
    if (rc == DS_OK && !s->bad && next(s))
        rc = ds_error_set(s->err, DS_ENOMEM, "out of memory");
    return rc;
}

int ds_import_sdis(const ds_import_src_t *src, const ds_import_opts_t *opts,
                   ds_import_row_fn emit, void *ctx, ds_diag_t *diag,
                   ds_error_t *err)
{
    sdis_t s = {.src = src, .opts = opts, .emit = emit, .ctx = ctx,
                .diag = diag, .err = err, .p = src->data,
                .end = src->data + src->len, .line = 1};
    if (src->len >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0)
        s.p += 3;
    int rc = declaration(&s);
    if (rc == DS_OK && !s.bad && next(&s))
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    for (int done = 0; rc == DS_OK && !s.bad && !done;)
        rc = session(&s, &done);
    clear_events(&s);
    free(s.ev);
    free(s.tok.text);
    ds_strmap_free(s.declared);
    if (rc == DS_OK && s.bad)
        rc = DS_EDATA;
    return rc;
}
