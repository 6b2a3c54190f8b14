/*
 * import_columns.c — any tool's CSV or TSV export, its columns named with
 * --columns KEY=COLUMN,... (Noldus Observer XT, Mangold INTERACT, Datavyu,
 * spreadsheets). One header row; columns are found by name (exactly, else
 * ignoring letter case); rows as the transcript reader checks them
 * (ragged rows, NUL bytes, empty fields, numbers).
 *
 * Keys: code (required); couple and session, or session alone holding an
 * observation id (couple and session through --id-pattern, or the file
 * stem as couple), or neither (the file stem is the id); actor (names
 * mapped with --subject-actor, names that are actors map to themselves,
 * an empty value is no actor); time (onset); duration, or offset (the
 * event ends there); status (START/STOP/POINT rows, such as Observer XT's
 * "State start"/"State stop"/"State point": a value ending in "start",
 * "stop" or "point", any letter case; a START and the next STOP of the
 * same session, actor and code are one event); start and end (the
 * observation period); unit=ms when times are milliseconds (Datavyu).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "import.h"
#include "text.h"

typedef struct open_state {
    char *key, *couple, *session, *subject, *code;
    const char *actor;
    double on, start, end;
    size_t line;
    int open;
} open_t;

typedef struct cols {
    const ds_import_src_t *src;
    const ds_import_opts_t *opts;
    ds_import_row_fn emit;
    void *ctx;
    ds_diag_t *diag;
    ds_error_t *err;
    long col[DS_N_COLKEYS];
    size_t width;
    ds_strmap_t *told;
    ds_strmap_t *open;
    open_t *st;
    size_t n_st, cap_st;
    int header_bad, rc;
} cols_t;

static const char *colname(const cols_t *c, int k)
{
    return c->opts->column[k];
}

static int header(cols_t *c, const ds_csv_row_t *row)
{
    c->width = row->n;
    for (int k = 0; k < DS_N_COLKEYS; k++) {
        c->col[k] = -1;
        const char *want = colname(c, k);
        if (!want)
            continue;
        for (int pass = 0; pass < 2 && c->col[k] < 0; pass++)
            for (size_t i = 0; i < row->n; i++)
                if (pass ? strcasecmp(row->field[i], want) == 0
                         : strcmp(row->field[i], want) == 0) {
                    c->col[k] = (long)i;
                    break;
                }
        if (c->col[k] < 0) {
            char found[512] = "";
            size_t l = 0;
            for (size_t i = 0; i < row->n && l < sizeof found; i++)
                l += (size_t)snprintf(found + l, sizeof found - l, "%s%s",
                                      i ? ", " : "", row->field[i]);
            ds_import_loc_t loc = {.file = c->src->name, .line = row->line};
            ds_import_error(c->diag, &loc, want,
                            "not in the header (--columns %s=%s; columns "
                            "found: %s)", ds_import_colkey_name[k], want,
                            found);
            c->header_bad = 1;
        }
    }
    return c->header_bad;
}

/* A time or duration field in seconds (unit=ms: milliseconds). */
static int field_seconds(cols_t *c, const ds_csv_row_t *row, int k,
                         double *out)
{
    char ex[80];
    const char *s = row->field[c->col[k]];
    ds_import_loc_t l = {.file = c->src->name, .line = row->line};
    if (!*s) {
        ds_import_error(c->diag, &l, colname(c, k), "empty value");
        return -1;
    }
    ds_num_status_t st = c->opts->columns_ms ? ds_parse_seconds(s, out)
                                              : ds_parse_time(s, out);
    if (st == DS_NUM_NEGATIVE || st == DS_NUM_NONFINITE) {
        ds_import_error(c->diag, &l, colname(c, k), "%s %s '%s'",
                        st == DS_NUM_NEGATIVE ? "negative" : "not finite:",
                        ds_import_colkey_name[k], ds_import_ex(ex, s));
        return -1;
    }
    if (st != DS_NUM_OK) {
        ds_import_error(c->diag, &l, colname(c, k),
                        "cannot read %s '%s' (%s)",
                        ds_import_colkey_name[k], ds_import_ex(ex, s),
                        c->opts->columns_ms
                            ? "milliseconds, as unit=ms says"
                            : "seconds, or [hh:]mm:ss[.fff]");
        return -1;
    }
    if (c->opts->columns_ms)
        *out /= 1000;
    return 0;
}

/* Couple and session of a row (see the top of the file). */
static int who(cols_t *c, const ds_csv_row_t *row, char **couple,
               char **session)
{
    char ex[80];
    ds_import_loc_t l = {.file = c->src->name, .line = row->line};
    *couple = *session = NULL;
    if (c->col[DS_COLKEY_COUPLE] >= 0 && c->col[DS_COLKEY_SESSION] >= 0) {
        *couple = ds_strdup(row->field[c->col[DS_COLKEY_COUPLE]]);
        *session = ds_strdup(row->field[c->col[DS_COLKEY_SESSION]]);
    } else {
        int k = c->col[DS_COLKEY_SESSION] >= 0 ? DS_COLKEY_SESSION
                                                : DS_COLKEY_COUPLE;
        const char *id = c->col[k] >= 0 ? row->field[c->col[k]]
                                        : c->src->stem;
        int r = ds_import_split_id(c->opts, id, c->src->stem, couple,
                                   session);
        if (r == DS_ENOMEM)
            return r;
        if (r) {
            ds_import_error(c->diag, &l, c->col[k] >= 0 ? colname(c, k)
                                                         : NULL,
                            "observation id '%s' does not match "
                            "--id-pattern '%s' (group 1 = couple, group 2 "
                            "= session)", ds_import_ex(ex, id),
                            c->opts->id_pattern_text);
            return 1;
        }
    }
    return *couple && *session ? 0 : DS_ENOMEM;
}

/* The actor of a row; 1 when the row is left out (reported or skipped). */
static int actor_of(cols_t *c, const ds_csv_row_t *row, const char **actor,
                    const char **subject)
{
    char ex[80];
    *actor = *subject = NULL;
    if (c->col[DS_COLKEY_ACTOR] < 0)
        return 0;
    const char *s = row->field[c->col[DS_COLKEY_ACTOR]];
    if (!*s)
        return 0;
    int skip;
    *subject = s;
    *actor = ds_import_map_actor(c->opts, c->opts->subject_actor,
                                 c->opts->n_subject_actor, s, &skip);
    if (skip)
        return 1;
    if (!*actor) {
        if (ds_strmap_get(c->told, s, strlen(s)) == (size_t)-1) {
            if (ds_strmap_put(c->told, s, strlen(s), 0))
                c->diag->oom = 1;
            ds_import_loc_t l = {.file = c->src->name, .line = row->line};
            ds_import_error(c->diag, &l, colname(c, DS_COLKEY_ACTOR),
                            "'%s' is not mapped to an actor; give "
                            "--subject-actor '%s=ACTOR'",
                            ds_import_ex(ex, s), ex);
        }
        return 1;
    }
    return 0;
}

/* START / STOP / POINT of a status value, or -1. */
static int status_of(const char *v)
{
    size_t n = strlen(v);
    static const char *const w[] = {"start", "stop", "point"};
    for (int i = 0; i < 3; i++) {
        size_t m = strlen(w[i]);
        if (n >= m && strcasecmp(v + n - m, w[i]) == 0)
            return i;
    }
    return -1;
}

static void free_open(open_t *o)
{
    free(o->key);
    free(o->couple);
    free(o->session);
    free(o->subject);
    free(o->code);
}

/* A START: kept until its STOP. */
static int remember(cols_t *c, const char *key, const char *couple,
                    const char *session, const char *actor,
                    const char *subject, const char *code, double on,
                    double start, double end, size_t line)
{
    char ex[80];
    size_t i = ds_strmap_get(c->open, key, strlen(key));
    if (i != (size_t)-1 && c->st[i].open) {
        ds_import_loc_t l = {.file = c->src->name, .line = line};
        ds_import_error(c->diag, &l, colname(c, DS_COLKEY_STATUS),
                        "START of '%s' while its START at line %zu has not "
                        "stopped (unpaired START/STOP)",
                        ds_import_ex(ex, code), c->st[i].line);
        return 0;
    }
    if (c->n_st == c->cap_st) {
        size_t cap = c->cap_st ? 2 * c->cap_st : 32;
        open_t *p = realloc(c->st, cap * sizeof *p);
        if (!p)
            return DS_ENOMEM;
        c->st = p;
        c->cap_st = cap;
    }
    open_t *o = &c->st[c->n_st];
    memset(o, 0, sizeof *o);
    o->key = ds_strdup(key);
    o->couple = ds_strdup(couple);
    o->session = ds_strdup(session);
    o->subject = subject ? ds_strdup(subject) : NULL;
    o->code = ds_strdup(code);
    o->actor = actor;  /* points into opts, which outlive the import */
    o->on = on;
    o->start = start;
    o->end = end;
    o->line = line;
    o->open = 1;
    if (!o->key || !o->couple || !o->session || !o->code ||
        (subject && !o->subject) ||
        ds_strmap_put(c->open, key, strlen(key), c->n_st)) {
        free_open(o);
        return DS_ENOMEM;
    }
    c->n_st++;
    return 0;
}

/* The observation period of a row; -1 when a field does not read. */
static int period(cols_t *c, const ds_csv_row_t *row, double *start,
                  double *end)
{
    *start = *end = NAN;
    if (c->col[DS_COLKEY_START] >= 0 &&
        field_seconds(c, row, DS_COLKEY_START, start))
        return -1;
    if (c->col[DS_COLKEY_END] >= 0 &&
        field_seconds(c, row, DS_COLKEY_END, end))
        return -1;
    return 0;
}

/* Times of a row: onset and duration (NAN when not mapped). */
static int times(cols_t *c, const ds_csv_row_t *row, double *on, double *dur)
{
    double off;
    ds_import_loc_t l = {.file = c->src->name, .line = row->line};
    *on = *dur = NAN;
    if (c->col[DS_COLKEY_TIME] >= 0 &&
        field_seconds(c, row, DS_COLKEY_TIME, on))
        return -1;
    if (c->col[DS_COLKEY_DURATION] >= 0 &&
        field_seconds(c, row, DS_COLKEY_DURATION, dur))
        return -1;
    if (c->col[DS_COLKEY_OFFSET] >= 0) {
        if (field_seconds(c, row, DS_COLKEY_OFFSET, &off))
            return -1;
        if (off < *on) {
            ds_import_error(c->diag, &l, colname(c, DS_COLKEY_OFFSET),
                            "the event ends before it begins");
            return -1;
        }
        *dur = ds_round_ns(off - *on);
    }
    return 0;
}

static int data_row(cols_t *c, const ds_csv_row_t *row)
{
    char *couple = NULL, *session = NULL, *key = NULL, ex[80];
    const char *actor, *subject;
    ds_import_loc_t l = {.file = c->src->name, .line = row->line};
    double on, dur, start, end;
    int rc = who(c, row, &couple, &session);
    if (rc || actor_of(c, row, &actor, &subject) ||
        times(c, row, &on, &dur) || period(c, row, &start, &end))
        goto done;
    const char *code = row->field[c->col[DS_COLKEY_CODE]];
    ds_import_row_t r = {.couple = couple, .session = session,
                         .actor = actor, .subject = subject, .code = code,
                         .code_field = colname(c, DS_COLKEY_CODE),
                         .onset = on, .duration = dur, .start = start,
                         .end = end, .loc = l};
    if (c->col[DS_COLKEY_STATUS] < 0) {
        rc = c->emit(&r, c->ctx);
        goto done;
    }
    const char *v = row->field[c->col[DS_COLKEY_STATUS]];
    int st = status_of(v);
    if (st < 0) {
        ds_import_error(c->diag, &l, colname(c, DS_COLKEY_STATUS),
                        "'%s' is not a START, STOP or POINT (a value "
                        "ending in start, stop or point)",
                        ds_import_ex(ex, v));
        goto done;
    }
    if (st == 2) {
        r.duration = 0;
        rc = c->emit(&r, c->ctx);
        goto done;
    }
    size_t kn = strlen(couple) + strlen(session) + strlen(code) +
                (subject ? strlen(subject) : 0) + 4;
    if (!(key = malloc(kn))) {
        rc = DS_ENOMEM;
        goto done;
    }
    snprintf(key, kn, "%s\x1f%s\x1f%s\x1f%s", couple, session,
             subject ? subject : "", code);
    if (st == 0) {
        rc = remember(c, key, couple, session, actor, subject, code, on,
                      start, end, row->line);
        goto done;
    }
    size_t i = ds_strmap_get(c->open, key, strlen(key));
    if (i == (size_t)-1 || !c->st[i].open) {
        ds_import_error(c->diag, &l, colname(c, DS_COLKEY_STATUS),
                        "STOP of '%s' without a START (unpaired "
                        "START/STOP)", ds_import_ex(ex, code));
        goto done;
    }
    open_t *o = &c->st[i];
    o->open = 0;
    ds_import_row_t s = {.couple = o->couple, .session = o->session,
                         .actor = o->actor, .subject = o->subject,
                         .code = o->code, .code_field = r.code_field,
                         .onset = o->on, .duration = ds_round_ns(on - o->on),
                         .start = o->start, .end = o->end,
                         .loc = {.file = c->src->name, .line = o->line}};
    if (on < o->on)
        ds_import_error(c->diag, &l, colname(c, DS_COLKEY_TIME),
                        "STOP of '%s' before its START at line %zu",
                        ds_import_ex(ex, code), o->line);
    else
        rc = c->emit(&s, c->ctx);
done:
    free(couple);
    free(session);
    free(key);
    if (rc == DS_ENOMEM)
        return ds_error_set(c->err, rc, "out of memory");
    return rc < 0 ? rc : 0;
}

static int on_row(const ds_csv_row_t *row, void *vc)
{
    cols_t *c = vc;
    if (row->index == 0)
        return header(c, row) ? 1 : 0;
    ds_import_loc_t l = {.file = c->src->name, .line = row->line};
    if (row->n != c->width) {
        ds_import_error(c->diag, &l, NULL,
                        "%zu fields, but the header has %zu", row->n,
                        c->width);
        return 0;
    }
    for (size_t i = 0; i < row->n; i++)
        if (strlen(row->field[i]) != row->len[i]) {
            ds_import_error(c->diag, &l, NULL, "NUL byte in field %zu",
                            i + 1);
            return 0;
        }
    return data_row(c, row);
}

int ds_import_columns(const ds_import_src_t *src,
                      const ds_import_opts_t *opts, ds_import_row_fn emit,
                      void *ctx, ds_diag_t *diag, ds_error_t *err)
{
    if (!opts->column[DS_COLKEY_CODE]) {
        ds_diag_error(diag, src->name, 0, NULL,
                      "--from columns needs --columns code=COLUMN (and "
                      "couple, session, actor, time, ... as the file has "
                      "them)");
        return DS_EDATA;
    }
    if ((opts->column[DS_COLKEY_STATUS] && !opts->column[DS_COLKEY_TIME]) ||
        (opts->column[DS_COLKEY_DURATION] && opts->column[DS_COLKEY_OFFSET])) {
        ds_diag_error(diag, src->name, 0, NULL,
                      "--columns: status needs time, and duration and "
                      "offset exclude each other");
        return DS_EDATA;
    }
    cols_t c = {.src = src, .opts = opts, .emit = emit, .ctx = ctx,
                .diag = diag, .err = err, .told = ds_strmap_alloc(),
                .open = ds_strmap_alloc()};
    int rc;
    if (!c.told || !c.open)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    else
        rc = ds_import_csv(src, 0, 1, on_row, &c, diag, err);
    for (size_t i = 0; i < c.n_st; i++) {
        if (rc == DS_OK && c.st[i].open) {
            char ex[80];
            ds_import_loc_t l = {.file = src->name, .line = c.st[i].line};
            ds_import_error(diag, &l, colname(&c, DS_COLKEY_STATUS),
                            "START of '%s' never stops (unpaired "
                            "START/STOP)", ds_import_ex(ex, c.st[i].code));
        }
        free_open(&c.st[i]);
    }
    free(c.st);
    ds_strmap_free(c.told);
    ds_strmap_free(c.open);
    if (rc == DS_OK && !c.header_bad && c.width == 0)
        rc = DS_EDATA;
    return rc;
}
