/*
 * ingest_rows.c — the checks of one transcript row, whatever it came from
 * (SPEC 3), and the row interface of importers (ds_ingest_begin, _row,
 * _end).
 *
 * A row's fields, already assigned to their columns, are checked one by
 * one and every problem is recorded with file, line and column; reading
 * goes on, so that one run reports everything. A row without problems
 * becomes an event of its session, found by (couple, session) through the
 * ingest's hash map (the previous row's session first: the rows of a
 * session usually come together). The CSV reader (ingest_csv.c) and the
 * importers share this code, so every input format gets the same checks
 * and the same messages.
 */
#include "ingest_internal.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const col_names[DS_INGEST_N_COLS] = {
    "couple", "session", "code", "actor", "time", "duration", "coder",
    "start", "end"};

const char *ds_ingest_col_name(ds_ingest_col_t col)
{
    return (unsigned)col < DS_INGEST_N_COLS ? col_names[col] : "?";
}

/* start and end come together, and with a time column. */
static size_t check_period_columns(ingest_src_t *s, size_t line)
{
    const int *h = s->has;
    if (h[DS_INGEST_START] != h[DS_INGEST_END]) {
        int missing = h[DS_INGEST_START] ? DS_INGEST_END : DS_INGEST_START;
        ds_diag_error(s->diag, s->name, line, col_names[missing],
                      "column %s missing; start and end give the "
                      "observation period together",
                      col_names[missing]);
        return 1;
    }
    if (h[DS_INGEST_START] && !h[DS_INGEST_TIME]) {
        ds_diag_error(s->diag, s->name, line, "start",
                      "an observation period (start, end) needs a time "
                      "column");
        return 1;
    }
    return 0;
}

size_t ingest_check_columns(ingest_src_t *s, size_t line)
{
    ds_ingest_t *g = s->g;
    size_t bad = check_period_columns(s, line);
    if (bad)
        return bad;
    if (!g->columns_known) {
        g->columns_known = 1;
        g->columns_file = s->file;
        for (int k = 0; k < DS_INGEST_N_COLS; k++)
            g->has_col[k] = s->has[k];
        return 0;
    }
    for (int k = INGEST_N_REQUIRED; k < DS_INGEST_N_COLS; k++)
        if (g->has_col[k] != s->has[k]) {
            ds_diag_error(s->diag, s->name, line, col_names[k],
                          "column %s here but %s %s; all inputs of a "
                          "study must have the same optional columns",
                          s->has[k] ? "present" : "missing",
                          s->has[k] ? "missing in" : "present in",
                          g->files[g->columns_file]);
            bad++;
        }
    return bad;
}

/*
 * Report a value of column col that is none of the n names: the value,
 * the closest name ("did you mean"), and the names between `head` and
 * `tail`: at most `shown` of them joined by sep, then how many there are.
 */
static void unknown_name(ingest_src_t *s, size_t line, int col,
                         const char *value, const char *const *names,
                         size_t n, const char *sep, size_t shown,
                         const char *head, const char *tail)
{
    char ex[80], list[256] = "";
    ds_excerpt(ex, value, 60);
    const char *near = ds_suggest(value, names, n);
    size_t l = 0;
    for (size_t i = 0; i < n && i < shown && l < sizeof list; i++)
        l += (size_t)snprintf(list + l, sizeof list - l, "%s%s",
                              i ? sep : "", names[i]);
    if (n > shown && l < sizeof list)
        snprintf(list + l, sizeof list - l, ", … (%zu %ss)", n,
                 col_names[col]);
    ds_diag_error(s->diag, s->name, line, col_names[col],
                  "unknown %s '%s'%s%s%s (%s%s%s)", col_names[col], ex,
                  near ? "; did you mean '" : "", near ? near : "",
                  near ? "'?" : "", head, list, tail);
}

/* Index of the code in r, or -1 after reporting it. */
static long find_code(ingest_src_t *s, const ingest_fields_t *r)
{
    const ds_codebook_t *cb = s->g->opts.codebook;
    const char *v = r->f[DS_INGEST_CODE];
    size_t len = r->len[DS_INGEST_CODE];
    for (size_t i = 0; i < cb->n; i++)
        if (s->g->code_len[i] == len && ds_short_equal(cb->code[i], v, len))
            return (long)i;
    unknown_name(s, r->line, DS_INGEST_CODE, v,
                 (const char *const *)cb->code, cb->n, ", ", 12,
                 "codebook: ", "");
    return -1;
}

/* Index of the actor in r, or -1 after reporting it. */
static long find_actor(ingest_src_t *s, const ingest_fields_t *r)
{
    const ds_ingest_opts_t *o = &s->g->opts;
    const char *v = r->f[DS_INGEST_ACTOR];
    size_t len = r->len[DS_INGEST_ACTOR];
    for (size_t i = 0; i < o->n_actors; i++)
        if (s->g->actor_len[i] == len && ds_short_equal(v, o->actors[i], len))
            return (long)i;
    unknown_name(s, r->line, DS_INGEST_ACTOR, v, o->actors, o->n_actors,
                 ",", (size_t)-1, "actors are ",
                 "; set them with --actors");
    return -1;
}

/* Report a time or duration field that did not parse. */
static void bad_number(ingest_src_t *s, size_t line, int col,
                       ds_num_status_t st, const char *text)
{
    char ex[80];
    ds_excerpt(ex, text, 60);
    const char *what = col_names[col];
    if (st == DS_NUM_NEGATIVE)
        ds_diag_error(s->diag, s->name, line, what, "negative %s '%s'", what,
                      ex);
    else if (st == DS_NUM_NONFINITE)
        ds_diag_error(s->diag, s->name, line, what,
                      "%s '%s' is not a finite number", what, ex);
    else if (col == DS_INGEST_TIME)
        ds_diag_error(s->diag, s->name, line, what,
                      "cannot read time '%s' (expected seconds such as 83.4 "
                      "or [hh:]mm:ss[.fff] such as 1:02:03.5)", ex);
    else
        ds_diag_error(s->diag, s->name, line, what,
                      "cannot read duration '%s' (expected seconds such as "
                      "2.5)", ex);
}

/* The values of one row: its state, onset and duration. */
typedef struct row_value {
    long code, actor;
    double onset, duration;
} row_value_t;

/* Column k of r holds a label longer than DS_LABEL_MAX: reported, 1. */
static int too_long(ingest_src_t *s, const ingest_fields_t *r, int k)
{
    if (!r->f[k] || r->len[k] <= DS_LABEL_MAX)
        return 0;
    ds_diag_error(s->diag, s->name, r->line, col_names[k],
                  "%s longer than %d bytes (%zu bytes)", col_names[k],
                  DS_LABEL_MAX, r->len[k]);
    return 1;
}

/* Check the fields of r one by one, recording every problem. Returns 1
 * when all are good (v filled), 0 otherwise. */
static int check_fields(ingest_src_t *s, const ingest_fields_t *r,
                        row_value_t *v)
{
    const char *const *f = r->f;
    int bad = too_long(s, r, DS_INGEST_COUPLE) |
              too_long(s, r, DS_INGEST_SESSION) |
              too_long(s, r, DS_INGEST_CODER);
    int long_code = too_long(s, r, DS_INGEST_CODE);
    int long_actor = too_long(s, r, DS_INGEST_ACTOR);
    bad |= long_code | long_actor;
    /* the columns that may not be empty, in column order (an empty
     * duration is reported below; coder, start and end may be empty) */
    static const int nonempty[] = {DS_INGEST_COUPLE, DS_INGEST_SESSION,
                                   DS_INGEST_CODE, DS_INGEST_ACTOR,
                                   DS_INGEST_TIME};
    for (size_t i = 0; i < sizeof nonempty / sizeof *nonempty; i++) {
        int k = nonempty[i];
        if (f[k] && !*f[k]) {
            ds_diag_error(s->diag, s->name, r->line, col_names[k],
                          "empty value");
            bad = 1;
        }
    }
    *v = (row_value_t){.code = -1};
    if (*f[DS_INGEST_CODE] && !long_code && (v->code = find_code(s, r)) < 0)
        bad = 1;
    if (f[DS_INGEST_ACTOR] && *f[DS_INGEST_ACTOR] && !long_actor &&
        (v->actor = find_actor(s, r)) < 0)
        bad = 1;
    if (f[DS_INGEST_TIME] && *f[DS_INGEST_TIME]) {
        ds_num_status_t st = ds_parse_time(f[DS_INGEST_TIME], &v->onset);
        if (st != DS_NUM_OK) {
            bad_number(s, r->line, DS_INGEST_TIME, st, f[DS_INGEST_TIME]);
            bad = 1;
        }
    }
    if (f[DS_INGEST_DURATION]) {
        ds_num_status_t st;
        if (!*f[DS_INGEST_DURATION]) {
            ds_diag_error(s->diag, s->name, r->line, "duration",
                          "empty value");
            bad = 1;
        } else if ((st = ds_parse_seconds(f[DS_INGEST_DURATION],
                                          &v->duration)) != DS_NUM_OK) {
            bad_number(s, r->line, DS_INGEST_DURATION, st,
                       f[DS_INGEST_DURATION]);
            bad = 1;
        }
    }
    return !bad && *f[DS_INGEST_COUPLE] && *f[DS_INGEST_SESSION];
}

/* The session of a row: its index, INGEST_NONE when the row is to be
 * skipped (a session also in an earlier file, reported), or (size_t)-2 on
 * OOM. */
static size_t row_session(ingest_src_t *s, const ingest_fields_t *r)
{
    ds_ingest_t *g = s->g;
    const char *couple = r->f[DS_INGEST_COUPLE];
    const char *label = r->f[DS_INGEST_SESSION];
    size_t lc = r->len[DS_INGEST_COUPLE], ll = r->len[DS_INGEST_SESSION], kl;
    if (s->prev != INGEST_NONE) { /* rows of a session usually come together */
        ingest_session_t *p = &g->s[s->prev];
        if (p->couple_len == lc && p->label_len == ll &&
            ds_short_equal(p->couple, couple, lc) &&
            ds_short_equal(p->label, label, ll))
            return s->prev;
    }
    if (ingest_key(&s->key, &s->key_cap, couple, lc, label, ll, &kl))
        return (size_t)-2;
    size_t idx = ds_strmap_get(g->map, s->key, kl);
    if (idx == INGEST_NONE) {
        if ((idx = ingest_session_add(g, s->key, kl)) == INGEST_NONE)
            return (size_t)-2;
        ingest_session_t *n = &g->s[idx];
        n->couple = ds_strdup(couple);
        n->label = ds_strdup(label);
        n->couple_len = lc;
        n->label_len = ll;
        n->first_file = n->last_file = s->file;
        n->first_line = r->line;
        /* every row of the session comes from this source (or --merge
         * keeps them): its columns say whether lines are needed to the
         * end (ds_ingest_opts_t.drop_lines) */
        n->keep_lines = !g->opts.drop_lines || g->opts.merge ||
                        s->has[DS_INGEST_START];
        if (!n->couple || !n->label)
            return (size_t)-2;
    } else {
        ingest_session_t *o = &g->s[idx];
        if (o->last_file != s->file && !g->opts.merge) {
            if (o->dup_reported != s->file) {
                char ec[80], el[80];
                ds_excerpt(ec, couple, 60);
                ds_excerpt(el, label, 60);
                ds_diag_error(s->diag, s->name, r->line, NULL,
                              "session '%s'/'%s' also appears in %s (line "
                              "%zu); give --merge to combine a session's "
                              "rows from several files",
                              ec, el, g->files[o->first_file],
                              o->first_line);
                o->dup_reported = s->file;
            }
            return INGEST_NONE;
        }
        o->last_file = s->file;
    }
    if (s->prev != INGEST_NONE && s->prev != idx) {
        ingest_session_shrink(&g->s[s->prev]);
        g->size_hint = g->s[s->prev].n;
    }
    s->prev = idx;
    return idx;
}

/* Time going backwards within session e without --sort: say where the
 * previous event was. The event is stored all the same. */
static void report_backwards(ingest_src_t *s, const ingest_session_t *e,
                             const ingest_fields_t *r)
{
    char ec[80], el[80], where[1200];
    ds_excerpt(ec, e->couple, 60);
    ds_excerpt(el, e->label, 60);
    size_t pf = e->ev_file;
    if (pf == s->file)
        snprintf(where, sizeof where, "line %zu", e->ev_line);
    else
        snprintf(where, sizeof where, "%s:%zu", s->g->files[pf],
                 e->ev_line);
    ds_diag_error(s->diag, s->name, r->line, "time",
                  "time %s goes backwards within session '%s'/'%s' "
                  "(previous event at %.6g s, %s); sort the rows or give "
                  "--sort",
                  r->f[DS_INGEST_TIME], ec, el, e->onset[e->n - 1], where);
}

int ingest_row(ingest_src_t *s, const ingest_fields_t *r)
{
    ds_ingest_t *g = s->g;
    row_value_t v;
    if (!check_fields(s, r, &v))
        return 0;
    if (r->line > UINT32_MAX) {
        ds_diag_error(s->diag, s->name, r->line, NULL,
                      "file too long (more than %u lines)", UINT32_MAX);
        return 1;
    }
    size_t si = row_session(s, r);
    if (si == (size_t)-2)
        return DS_ENOMEM;
    if (si == INGEST_NONE)
        return 0;
    ingest_session_t *e = &g->s[si];
    if (s->has[DS_INGEST_START]) {
        int rp = ingest_row_period(s, e, r);
        if (rp)
            return rp == DS_ENOMEM ? rp : 0;
    }
    int has_time = s->has[DS_INGEST_TIME];
    int has_dur = s->has[DS_INGEST_DURATION];
    if (has_time && !g->opts.sort && e->n > 0 &&
        v.onset < e->onset[e->n - 1])
        report_backwards(s, e, r);
    if (ingest_session_reserve(e, g->size_hint, has_time, has_dur))
        return DS_ENOMEM;
    size_t state = (size_t)v.actor * g->opts.codebook->n + (size_t)v.code;
    e->state[e->n] = (uint16_t)state;
    if (e->keep_lines) {
        e->line[e->n] = (uint32_t)r->line;
        e->file[e->n] = (uint32_t)s->file;
    }
    if (e->n == 0) {
        e->ev0_line = r->line;
        e->ev0_file = s->file;
    }
    e->ev_line = r->line;
    e->ev_file = s->file;
    if (has_time)
        e->onset[e->n] = v.onset;
    if (has_dur)
        e->duration[e->n] = v.duration;
    e->n++;
    return 0;
}

/* ---- the row interface of importers ------------------------------------ */

int ds_ingest_begin(ds_ingest_t *g, const char *name, unsigned columns,
                    size_t line, ds_diag_t *diag, ds_error_t *err)
{
    ingest_rows_t *w = &g->rows;
    if (w->open)
        return ds_error_set(err, DS_EUSAGE, "ds_ingest_begin: source '%s' "
                            "is still open", w->src.name);
    for (int k = 0; k < INGEST_N_REQUIRED; k++)
        if (!(columns & DS_INGEST_BIT(k)))
            return ds_error_set(err, DS_EUSAGE, "%s: the rows have no %s "
                                "column", name, col_names[k]);
    ingest_src_clear(&w->src);
    int rc = ingest_src_begin(&w->src, g, name, diag, err);
    if (rc)
        return rc;
    for (int k = 0; k < DS_INGEST_N_COLS; k++)
        w->src.has[k] = (columns & DS_INGEST_BIT(k)) != 0;
    w->open = 1;
    w->errors_before = diag->n_errors;
    w->skip = ingest_check_columns(&w->src, line) > 0;
    return DS_OK;
}

int ds_ingest_row(ds_ingest_t *g, const ds_ingest_row_t *row,
                  ds_error_t *err)
{
    ingest_rows_t *w = &g->rows;
    ingest_src_t *s = &w->src;
    if (!w->open)
        return ds_error_set(err, DS_EUSAGE, "ds_ingest_row: no source "
                            "(call ds_ingest_begin first)");
    ingest_fields_t r = {.line = row->line};
    int bad = 0;
    s->n_rows++;
    for (int k = 0; k < DS_INGEST_N_COLS; k++) {
        if (!row->field[k] != !s->has[k])
            return ds_error_set(err, DS_EUSAGE, "%s:%zu: the row %s a %s "
                                "field, the source %s", s->name, row->line,
                                row->field[k] ? "has" : "lacks",
                                col_names[k],
                                s->has[k] ? "has one" : "none");
        if (!row->field[k])
            continue;
        r.f[k] = row->field[k];
        r.len[k] = strlen(row->field[k]);
        size_t at = ds_utf8_invalid_at(r.f[k], r.len[k]);
        if (at < r.len[k] && !w->skip) {
            ds_diag_error(s->diag, s->name, row->line, col_names[k],
                          "invalid UTF-8 at byte %zu of the field", at + 1);
            bad = 1;
        }
    }
    if (w->skip || bad)
        return DS_OK;
    int rc = ingest_row(s, &r);
    if (rc == 1)
        w->skip = 1; /* the file is too long: the rest is not read */
    return rc < 0 ? ds_error_set(err, rc, "out of memory") : DS_OK;
}

int ds_ingest_end(ds_ingest_t *g, const char *sha256, ds_error_t *err)
{
    ingest_rows_t *w = &g->rows;
    if (!w->open)
        return ds_error_set(err, DS_EUSAGE, "ds_ingest_end: no source");
    if (!sha256 || strlen(sha256) != 64)
        return ds_error_set(err, DS_EUSAGE, "%s: no SHA-256 digest of the "
                            "source", w->src.name);
    memcpy(g->sha[w->src.file], sha256, 65);
    if (w->skip || w->src.diag->n_errors > w->errors_before)
        g->any_error = 1;
    ingest_src_clear(&w->src);
    w->open = 0;
    w->skip = 0;
    return DS_OK;
}
