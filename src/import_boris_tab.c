/*
 * import_boris_tab.c — BORIS's two tabular exports, CSV or TSV.
 *
 * Columns are found by header name, since they vary by BORIS version
 * (metadata, one column per independent variable, modifiers); matched
 * against BORIS's export_observation.py / export_events.py:
 *
 * Aggregated events (one row per event; v7.x: "Observation id",
 *   "Observation date", "Description", "Media file", "Total length", "FPS",
 *   variables, "Subject", "Behavior", "Behavioral category", "Modifiers",
 *   "Behavior type", "Start (s)", "Stop (s)", "Duration (s)", "Comment
 *   start", "Comment stop"; v8 to 9.12: also "Observation type", "Source",
 *   "Time offset (s)", "Coding duration", "Media duration (s)",
 *   "FPS (frame/s)", "Observation duration by subject by observation",
 *   "Modifier #1".., "Media file name", image columns). "Behavior type" is
 *   STATE (Start..Stop) or POINT (Duration NA).
 *
 * Events table (one row per START, STOP or POINT; v7.x: a preamble of
 *   "Observation id", media, date, description, "Time offset (s)" and
 *   independent variables, then the header "Time", "Media file path",
 *   "Total length", "FPS", "Subject", "Behavior", "Behavioral category",
 *   "Modifier 1".., "Comment", "Status"; v8 to 9.12: no preamble, the
 *   metadata as columns on every row and the status in "Behavior type").
 *   A START and the next STOP of the same observation, subject, behaviour
 *   and modifiers become one event.
 *
 * "No focal subject" (aggregated) or an empty subject (events table) is
 * an event without a subject. Observation period: from the time offset to
 * the offset plus the media duration of player 1 ("Media duration (s)",
 * ';' between media, '|' between players) or "Total length" (v7.x); none
 * when NA.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "import.h"
#include "text.h"

enum {
    C_OBS, C_SUBJECT, C_BEHAVIOR, C_TYPE, C_START, C_STOP, C_TIME,
    C_STATUS, C_OFFSET, C_MEDIA, C_TOTAL, N_C
};
static const char *const c_name[N_C] = {
    "Observation id", "Subject", "Behavior", "Behavior type", "Start (s)",
    "Stop (s)", "Time", "Status", "Time offset (s)", "Media duration (s)",
    "Total length"};

/* A START waiting for its STOP (events table). */
typedef struct pending {
    char *key, *id, *subject, *code;
    double t, start, end;
    size_t line;
    int open;
} pending_t;

typedef struct tab {
    const ds_import_src_t *src;
    const ds_import_opts_t *opts;
    ds_import_row_fn emit;
    void *ctx;
    ds_diag_t *diag;
    ds_error_t *err;
    int header;                /* the header row has been read */
    int aggregated;            /* else the events table */
    size_t width;
    long col[N_C];             /* -1: absent */
    long *mod;                 /* modifier columns, in order */
    size_t n_mod;
    char **names;              /* header names, for messages */
    char *pre_id;              /* "Observation id" of a v7.x preamble */
    double pre_offset;         /* "Time offset (s)" of the preamble */
    ds_strmap_t *told;         /* ids and subjects already reported */
    ds_strmap_t *open;         /* key → pending index */
    pending_t *pend;
    size_t n_pend, cap_pend;
    int rc;
} tab_t;

static ds_import_loc_t here(const tab_t *t, size_t line)
{
    return (ds_import_loc_t){.file = t->src->name, .line = line};
}

/* Once per key (an id or a subject): 1 the first time. */
static int first_time(tab_t *t, const char *kind, const char *s)
{
    size_t n = strlen(kind) + strlen(s) + 2;
    char *k = malloc(n);
    if (!k) {
        t->diag->oom = 1;
        return 0;
    }
    snprintf(k, n, "%s\x1f%s", kind, s);
    int first = ds_strmap_get(t->told, k, n - 1) == (size_t)-1;
    if (first && ds_strmap_put(t->told, k, n - 1, 0))
        t->diag->oom = 1;
    free(k);
    return first;
}

static int find_header(tab_t *t, const ds_csv_row_t *row)
{
    for (int k = 0; k < N_C; k++)
        t->col[k] = -1;
    for (size_t i = 0; i < row->n; i++)
        for (int k = 0; k < N_C; k++)
            if (t->col[k] < 0 && strcmp(row->field[i], c_name[k]) == 0)
                t->col[k] = (long)i;
    if (t->col[C_BEHAVIOR] < 0 ||
        (t->col[C_START] < 0 && t->col[C_TIME] < 0))
        return 0;
    t->aggregated = t->col[C_START] >= 0;
    t->width = row->n;
    t->names = calloc(row->n, sizeof *t->names);
    t->mod = calloc(row->n, sizeof *t->mod);
    if (!t->names || !t->mod)
        return -1;
    for (size_t i = 0; i < row->n; i++) {
        if (!(t->names[i] = ds_strdup(row->field[i])))
            return -1;
        const char *f = row->field[i];
        if (strcmp(f, "Modifiers") == 0 || strncmp(f, "Modifier #", 10) == 0 ||
            (strncmp(f, "Modifier ", 9) == 0 && f[9] >= '0' && f[9] <= '9'))
            t->mod[t->n_mod++] = (long)i;
    }
    return 1;
}

/* Check the header has what its kind needs; 0 when it does. */
static int check_header(tab_t *t, size_t line)
{
    int need[N_C] = {0};
    need[C_SUBJECT] = need[C_BEHAVIOR] = 1;
    if (t->aggregated)
        need[C_OBS] = need[C_TYPE] = need[C_START] = need[C_STOP] = 1;
    else {
        need[C_TIME] = 1;
        need[C_OBS] = !t->pre_id;
    }
    int bad = 0;
    for (int k = 0; k < N_C; k++)
        if (need[k] && t->col[k] < 0) {
            ds_import_loc_t l = here(t, line);
            ds_import_error(t->diag, &l, c_name[k],
                            "missing column in the BORIS %s export",
                            t->aggregated ? "aggregated events"
                                          : "events table");
            bad = 1;
        }
    if (!t->aggregated && t->col[C_STATUS] < 0 && t->col[C_TYPE] < 0) {
        ds_import_loc_t l = here(t, line);
        ds_import_error(t->diag, &l, "Status",
                        "missing column in the BORIS events table export "
                        "(START/STOP/POINT: 'Status', or 'Behavior type' "
                        "since BORIS 8)");
        bad = 1;
    }
    return bad;
}

/* Seconds of a field; NA and empty are NAN; -1 when it does not parse,
 * -2 when it is negative or not finite. */
static int seconds(const char *s, double *out)
{
    *out = NAN;
    if (!*s || strcmp(s, "NA") == 0)
        return 0;
    ds_num_status_t st = ds_parse_time(s, out);
    return st == DS_NUM_OK ? 0 : st == DS_NUM_SYNTAX ? -1 : -2;
}

/* The observation period of a row (see the top of the file). */
static void row_period(const tab_t *t, const ds_csv_row_t *row,
                       double *start, double *end)
{
    *start = *end = NAN;
    double offset = t->pre_offset, total = 0, v;
    if (t->col[C_OFFSET] >= 0 &&
        seconds(row->field[t->col[C_OFFSET]], &v) == 0 && !isnan(v))
        offset = v;
    if (t->col[C_MEDIA] >= 0) {
        /* player 1 only: up to the first '|'; media separated by ';' */
        const char *s = row->field[t->col[C_MEDIA]];
        size_t n = strcspn(s, "|");
        char *p1 = strndup(s, n);
        if (!p1)
            return;
        for (char *tok = strtok(p1, ";"); tok; tok = strtok(NULL, ";")) {
            if (seconds(tok, &v) || isnan(v)) {
                free(p1);
                return;
            }
            total += v;
        }
        free(p1);
    } else if (t->col[C_TOTAL] < 0 ||
               seconds(row->field[t->col[C_TOTAL]], &total) || isnan(total))
        return;
    if (!(total > 0))
        return;
    *start = offset;
    *end = offset + total;
}

/* The code: the behaviour, and with --modifiers append its modifiers
 * joined by '|' as BORIS stores them (the export pads events with fewer
 * modifier sets with empty columns, which are not part of it). Malloc'd. */
static char *row_code(const tab_t *t, const ds_csv_row_t *row)
{
    const char *b = row->field[t->col[C_BEHAVIOR]];
    size_t n = strlen(b) + 1, used = 0;
    for (size_t i = 0; i < t->n_mod; i++) {
        n += strlen(row->field[t->mod[i]]) + 1;
        if (row->field[t->mod[i]][0])
            used = i + 1;
    }
    char *c = malloc(n);
    if (!c)
        return NULL;
    strcpy(c, b);
    if (t->opts->modifiers_append)
        for (size_t i = 0; i < used; i++) {
            strcat(c, "|");
            strcat(c, row->field[t->mod[i]]);
        }
    return c;
}

/* Couple, session, actor of a row; 1 when the row is left out. */
static int row_who(tab_t *t, const ds_csv_row_t *row, char **couple,
                   char **session, const char **actor, const char **subject)
{
    char ex[80];
    const char *id = t->col[C_OBS] >= 0 ? row->field[t->col[C_OBS]]
                                        : t->pre_id;
    ds_import_loc_t l = here(t, row->line);
    int r = ds_import_split_id(t->opts, id, t->src->stem, couple, session);
    if (r == DS_ENOMEM) {
        t->rc = ds_error_set(t->err, DS_ENOMEM, "out of memory");
        return 1;
    }
    if (r) {
        if (first_time(t, "id", id))
            ds_import_error(t->diag, &l, c_name[C_OBS],
                            "observation id '%s' does not match "
                            "--id-pattern '%s' (group 1 = couple, group 2 = "
                            "session)",
                            ds_import_ex(ex, id), t->opts->id_pattern_text);
        return 1;
    }
    const char *s = row->field[t->col[C_SUBJECT]];
    int none = !*s || strcmp(s, "No focal subject") == 0, skip;
    *subject = none ? "No focal subject" : s;
    *actor = ds_import_map_actor(t->opts, t->opts->subject_actor,
                                 t->opts->n_subject_actor,
                                 none ? "No focal subject" : s, &skip);
    if (skip)
        return 1;
    if (!*actor && !none) {
        if (first_time(t, "subject", s))
            ds_import_error(t->diag, &l, c_name[C_SUBJECT],
                            "subject '%s' is not mapped to an actor; give "
                            "--subject-actor '%s=ACTOR' (or name the subject "
                            "as an actor)",
                            ds_import_ex(ex, s), ex);
        return 1;
    }
    return 0;
}

static void emit_row(tab_t *t, const char *couple, const char *session,
                     const char *actor, const char *subject,
                     const char *code, double on, double dur, double start,
                     double end, size_t line)
{
    ds_import_row_t r = {.couple = couple, .session = session,
                         .actor = actor, .subject = subject, .code = code,
                         .code_field = c_name[C_BEHAVIOR], .onset = on,
                         .duration = dur, .start = start, .end = end,
                         .loc = here(t, line)};
    int rc = t->emit(&r, t->ctx);
    if (rc)
        t->rc = rc;
}

/* A time field that must parse; reports and returns 1 otherwise. */
static int need_time(tab_t *t, const ds_csv_row_t *row, int k, double *v)
{
    char ex[80];
    ds_import_loc_t l = here(t, row->line);
    const char *s = row->field[t->col[k]];
    int r = seconds(s, v);
    if (r) {
        ds_import_error(t->diag, &l, c_name[k],
                        r == -2 ? "negative or infinite time '%s'"
                                : "cannot read time '%s' (seconds, or "
                                  "[hh:]mm:ss[.fff])",
                        ds_import_ex(ex, s));
        return 1;
    }
    if (isnan(*v)) {
        ds_import_error(t->diag, &l, c_name[k], "no time ('%s')%s",
                        ds_import_ex(ex, s),
                        k == C_STOP ? ": a state without its stop "
                                      "(unpaired)"
                                    : "");
        return 1;
    }
    return 0;
}

static void aggregated_row(tab_t *t, const ds_csv_row_t *row)
{
    char *couple = NULL, *session = NULL, *code = NULL, ex[80];
    const char *actor, *subject;
    if (row_who(t, row, &couple, &session, &actor, &subject))
        goto done;
    if (!(code = row_code(t, row))) {
        t->rc = ds_error_set(t->err, DS_ENOMEM, "out of memory");
        goto done;
    }
    const char *type = row->field[t->col[C_TYPE]];
    ds_import_loc_t l = here(t, row->line);
    double on, off = 0, start, end;
    int state = strcasecmp(type, "STATE") == 0;
    if (!state && strcasecmp(type, "POINT") != 0) {
        ds_import_error(t->diag, &l, c_name[C_TYPE],
                        "'%s' is neither STATE nor POINT",
                        ds_import_ex(ex, type));
        goto done;
    }
    if (need_time(t, row, C_START, &on) ||
        (state && need_time(t, row, C_STOP, &off)))
        goto done;
    if (state && off < on) {
        ds_import_error(t->diag, &l, c_name[C_STOP],
                        "the state stops before it starts");
        goto done;
    }
    row_period(t, row, &start, &end);
    emit_row(t, couple, session, actor, subject, code, on,
             state ? ds_round_ns(off - on) : 0, start, end, row->line);
done:
    free(couple);
    free(session);
    free(code);
}

static void free_pending(pending_t *p)
{
    free(p->key);
    free(p->id);
    free(p->subject);
    free(p->code);
}

/* A START of the events table: remember it until its STOP. */
static void start_state(tab_t *t, const ds_csv_row_t *row, const char *key,
                        const char *subject, const char *code, double on)
{
    char ex[80];
    size_t i = ds_strmap_get(t->open, key, strlen(key));
    if (i != (size_t)-1 && t->pend[i].open) {
        ds_import_loc_t l = here(t, row->line);
        ds_import_error(t->diag, &l, "Behavior",
                        "START of '%s' while its START at line %zu has not "
                        "stopped (unpaired START/STOP)",
                        ds_import_ex(ex, code), t->pend[i].line);
        return;
    }
    if (t->n_pend == t->cap_pend) {
        size_t cap = t->cap_pend ? 2 * t->cap_pend : 32;
        pending_t *p = realloc(t->pend, cap * sizeof *p);
        if (!p) {
            t->rc = ds_error_set(t->err, DS_ENOMEM, "out of memory");
            return;
        }
        t->pend = p;
        t->cap_pend = cap;
    }
    pending_t *p = &t->pend[t->n_pend];
    const char *id = t->col[C_OBS] >= 0 ? row->field[t->col[C_OBS]]
                                        : t->pre_id;
    memset(p, 0, sizeof *p);
    p->key = ds_strdup(key);
    p->id = ds_strdup(id);
    p->subject = subject ? ds_strdup(subject) : NULL;
    p->code = ds_strdup(code);
    p->t = on;
    p->line = row->line;
    p->open = 1;
    row_period(t, row, &p->start, &p->end);
    if (!p->key || !p->id || !p->code || (subject && !p->subject) ||
        ds_strmap_put(t->open, key, strlen(key), t->n_pend)) {
        free_pending(p);
        t->rc = ds_error_set(t->err, DS_ENOMEM, "out of memory");
        return;
    }
    t->n_pend++;
}

static void events_row(tab_t *t, const ds_csv_row_t *row)
{
    char *couple = NULL, *session = NULL, *code = NULL, *key = NULL,
         ex[80];
    const char *actor, *subject;
    if (row_who(t, row, &couple, &session, &actor, &subject))
        goto done;
    if (!(code = row_code(t, row))) {
        t->rc = ds_error_set(t->err, DS_ENOMEM, "out of memory");
        goto done;
    }
    int sc = t->col[C_STATUS] >= 0 ? C_STATUS : C_TYPE;
    const char *status = row->field[t->col[sc]];
    ds_import_loc_t l = here(t, row->line);
    double on, start, end;
    if (need_time(t, row, C_TIME, &on))
        goto done;
    if (strcasecmp(status, "POINT") == 0) {
        row_period(t, row, &start, &end);
        emit_row(t, couple, session, actor, subject, code, on, 0, start, end,
                 row->line);
        goto done;
    }
    int is_start = strcasecmp(status, "START") == 0;
    if (!is_start && strcasecmp(status, "STOP") != 0) {
        ds_import_error(t->diag, &l, c_name[sc],
                        "'%s' is not START, STOP or POINT",
                        ds_import_ex(ex, status));
        goto done;
    }
    /* the pair: observation, subject, behaviour and modifiers */
    const char *id = t->col[C_OBS] >= 0 ? row->field[t->col[C_OBS]]
                                        : t->pre_id;
    const char *sub = row->field[t->col[C_SUBJECT]];
    size_t kn = strlen(id) + strlen(sub) + strlen(code) + 4;
    for (size_t i = 0; i < t->n_mod; i++)
        kn += strlen(row->field[t->mod[i]]) + 1;
    if (!(key = malloc(kn))) {
        t->rc = ds_error_set(t->err, DS_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(key, kn, "%s\x1f%s\x1f%s", id, sub, code);
    for (size_t i = 0; i < t->n_mod; i++) {
        strcat(key, "\x1f");
        strcat(key, row->field[t->mod[i]]);
    }
    if (is_start) {
        start_state(t, row, key, subject, code, on);
        goto done;
    }
    size_t i = ds_strmap_get(t->open, key, strlen(key));
    if (i == (size_t)-1 || !t->pend[i].open) {
        ds_import_error(t->diag, &l, "Behavior",
                        "STOP of '%s' without a START (unpaired START/STOP)",
                        ds_import_ex(ex, code));
        goto done;
    }
    pending_t *p = &t->pend[i];
    p->open = 0;
    if (on < p->t) {
        ds_import_error(t->diag, &l, c_name[C_TIME],
                        "STOP of '%s' before its START at line %zu",
                        ds_import_ex(ex, code), p->line);
        goto done;
    }
    emit_row(t, couple, session, actor, p->subject, p->code, p->t,
             ds_round_ns(on - p->t), p->start, p->end, p->line);
done:
    free(couple);
    free(session);
    free(code);
    free(key);
}

static int on_row(const ds_csv_row_t *row, void *vt)
{
    tab_t *t = vt;
    if (!t->header) {
        int h = find_header(t, row);
        if (h < 0)
            return ds_error_set(t->err, DS_ENOMEM, "out of memory");
        if (h) {
            t->header = 1;
            return check_header(t, row->line) ? 1 : 0;
        }
        /* a v7.x preamble row: "key, value" */
        if (row->n >= 2 && strcmp(row->field[0], "Observation id") == 0) {
            free(t->pre_id);
            if (!(t->pre_id = ds_strdup(row->field[1])))
                return ds_error_set(t->err, DS_ENOMEM, "out of memory");
        } else if (row->n >= 2 &&
                   strcmp(row->field[0], "Time offset (s)") == 0) {
            seconds(row->field[1], &t->pre_offset);
            if (isnan(t->pre_offset))
                t->pre_offset = 0;
        }
        return 0;
    }
    int blank = 1;
    for (size_t i = 0; i < row->n; i++) {
        blank &= row->field[i][0] == '\0';
        if (strlen(row->field[i]) != row->len[i]) {
            ds_import_loc_t l = here(t, row->line);
            ds_import_error(t->diag, &l, i < t->width ? t->names[i] : NULL,
                            "NUL byte in the field");
            return 0;
        }
    }
    if (blank)
        return 0;
    if (row->n != t->width) {
        ds_import_loc_t l = here(t, row->line);
        ds_import_error(t->diag, &l, NULL,
                        "%zu fields, but the header has %zu", row->n,
                        t->width);
        return 0;
    }
    if (t->aggregated)
        aggregated_row(t, row);
    else
        events_row(t, row);
    return t->rc;
}

int ds_import_boris_tab(const ds_import_src_t *src,
                        const ds_import_opts_t *opts, ds_import_row_fn emit,
                        void *ctx, ds_diag_t *diag, ds_error_t *err)
{
    tab_t t = {.src = src, .opts = opts, .emit = emit, .ctx = ctx,
               .diag = diag, .err = err, .told = ds_strmap_alloc(),
               .open = ds_strmap_alloc()};
    int rc;
    if (!t.told || !t.open) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    /* header 0: a v7.x export starts with a preamble */
    rc = ds_import_csv(src, 0, 0, on_row, &t, diag, err);
    if (rc == DS_OK && !t.header) {
        ds_diag_error(diag, src->name, 0, NULL,
                      "not a BORIS project or export: no JSON project and "
                      "no header row with 'Behavior' and 'Start (s)' "
                      "(aggregated events) or 'Time' (events table)");
        rc = DS_EDATA;
    }
    for (size_t i = 0; rc == DS_OK && i < t.n_pend; i++)
        if (t.pend[i].open) {
            char ex[80];
            ds_import_loc_t l = here(&t, t.pend[i].line);
            ds_import_error(diag, &l, "Behavior",
                            "START of '%s' never stops (unpaired "
                            "START/STOP)", ds_import_ex(ex, t.pend[i].code));
        }
done:
    for (size_t i = 0; i < t.n_pend; i++)
        free_pending(&t.pend[i]);
    free(t.pend);
    for (size_t i = 0; t.names && i < t.width; i++)
        free(t.names[i]);
    free(t.names);
    free(t.mod);
    free(t.pre_id);
    ds_strmap_free(t.told);
    ds_strmap_free(t.open);
    return rc;
}
