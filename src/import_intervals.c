/*
 * import_intervals.c — interval-coded sheets (`--from intervals`, issue
 * 13): each session cut into intervals of --interval L seconds, and per
 * interval each partner's codes marked present (1) or absent (0).
 *
 * Two layouts (docs/convert.md has examples):
 *   wide  one row per session: the couple (column `couple`, or --columns
 *         couple=NAME), the session (column `session` or --columns
 *         session=NAME; without one, the file's stem), and per mapped code
 *         a run of columns sharing a prefix with the interval number as
 *         suffix (IKCB01 .. IKCB48): --code F:sc=IKCB;
 *   long  one row per interval: couple, session as above, and the
 *         interval's number (column `interval`, or --columns
 *         interval=NAME) or onset (--columns time=NAME, a multiple of L);
 *         per mapped code one 0/1 column (--code F:sc=SC_F).
 * In either layout --code F=COLUMN (no code) maps a column, or run of
 * columns, that lists actor F's codes present in the interval, separated
 * by ';' ("0" when none).
 *
 * Values: 1 present, 0 absent; an empty cell or NA (any letter case) is
 * not coded. An interval with any cell not coded is not coded as a whole
 * (its 1s are dropped too): the session's observation period then has a
 * hole there (import.h: stretch), so no time-window unit lies in it, no
 * window or lag pair spans it, and it is no part of the session's
 * duration. Interval numbers count from 1 and must have no gaps (and,
 * long, come in order within a session); --n-intervals N declares the
 * number of every session, and an interval beyond it, or a session with
 * fewer, is an error. Each marked interval k becomes one event of its
 * actor and code with onset (k - 1) L and duration L; the session's period
 * is 0 .. n L.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "import.h"
#include "text.h"

/* A --code mapping, resolved against the header. */
typedef struct map {
    const char *actor;     /* one of --actors */
    const char *code;      /* NULL: a list column */
    const char *column;    /* the column (long) or prefix (wide) */
    long *col;             /* [n_int] field index of each interval (wide),
                              or [1] (long) */
} map_t;

/* A session being read: per interval its line, whether it is coded, and
 * per map its cell (the list, "1", or NULL for 0). */
typedef struct sess {
    char *couple, *session;
    size_t n, cap;          /* intervals read */
    size_t *line;
    uint8_t *coded;
    char **cell;            /* [cap * n_maps] */
    size_t first_line;
    size_t last, last_line; /* long: the latest interval number and row */
    int bad;                /* a problem was reported: emit nothing */
} sess_t;

typedef struct sheet {
    const ds_import_src_t *src;
    const ds_import_opts_t *opts;
    ds_import_row_fn emit;
    void *ctx;
    ds_diag_t *diag;
    ds_error_t *err;
    int wide;
    long c_couple, c_session, c_interval, c_time;
    char **header;
    size_t width;
    map_t *maps;
    size_t n_maps;
    size_t n_int;           /* wide: the number of intervals */
    sess_t *s;
    size_t n_s, cap_s;
    ds_strmap_t *index;     /* couple \x1f session → s */
    int header_bad;
    int rc;
} sheet_t;

static void error_at(sheet_t *h, size_t line, const char *column,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void error_at(sheet_t *h, size_t line, const char *column,
                     const char *fmt, ...)
{
    char msg[DS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ds_import_loc_t l = {.file = h->src->name, .line = line};
    ds_import_error(h->diag, &l, column, "%s", msg);
}

/* ---- the header ------------------------------------------------------ */

/* The index of the column named `want` (exactly, else ignoring case), or
 * -1. */
static long find_col(const sheet_t *h, const char *want)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < h->width; i++)
            if (pass ? strcasecmp(h->header[i], want) == 0
                     : strcmp(h->header[i], want) == 0)
                return (long)i;
    return -1;
}

/* Column of --columns key k, or of its default name (required: an error
 * when absent); -1 when neither is there. */
static long key_col(sheet_t *h, int k, const char *dflt, int required,
                    size_t line)
{
    const char *want = h->opts->column[k] ? h->opts->column[k] : dflt;
    long c = want ? find_col(h, want) : -1;
    if (c < 0 && (required || h->opts->column[k])) {
        char found[512] = "";
        size_t l = 0;
        for (size_t i = 0; i < h->width && l < sizeof found; i++)
            l += (size_t)snprintf(found + l, sizeof found - l, "%s%s",
                                  i ? ", " : "", h->header[i]);
        error_at(h, line, want, "not in the header (%s%s%s; columns "
                 "found: %s)", h->opts->column[k] ? "--columns " : "the "
                 "default name of the ", ds_import_colkey_name[k],
                 h->opts->column[k] ? "=…" : " column", found);
        h->header_bad = 1;
    }
    return c;
}

/* The interval number of a wide column named PREFIX<digits>, or 0. */
static size_t suffix_number(const char *name, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(name, prefix, pl) != 0 || !name[pl])
        return 0;
    size_t n = 0;
    for (const char *p = name + pl; *p; p++) {
        if (!isdigit((unsigned char)*p) || n > 100000000)
            return 0;
        n = 10 * n + (size_t)(*p - '0');
    }
    return n;
}

/* The run of columns PREFIX1..PREFIXn of map m (wide); *n its length. */
static int wide_run(sheet_t *h, map_t *m, size_t line, size_t *n)
{
    size_t max = 0;
    for (size_t i = 0; i < h->width; i++) {
        size_t k = suffix_number(h->header[i], m->column);
        if (k > max)
            max = k;
    }
    *n = max;
    if (max == 0) {
        error_at(h, line, NULL, "no columns %s1, %s2, ... (or %s01, ...) "
                 "for --code %s%s%s=%s", m->column, m->column, m->column,
                 m->actor, m->code ? ":" : "", m->code ? m->code : "",
                 m->column);
        return 1;
    }
    if (!(m->col = malloc(max * sizeof *m->col)))
        return DS_ENOMEM;
    for (size_t k = 0; k < max; k++)
        m->col[k] = -1;
    int bad = 0;
    for (size_t i = 0; i < h->width; i++) {
        size_t k = suffix_number(h->header[i], m->column);
        if (k == 0)
            continue;
        if (m->col[k - 1] >= 0) {
            error_at(h, line, h->header[i], "interval %zu of %s again (also "
                     "column %s)", k, m->column, h->header[m->col[k - 1]]);
            bad = 1;
        }
        m->col[k - 1] = (long)i;
    }
    for (size_t k = 0; k + 1 < max; k++)
        if (m->col[k] < 0) {
            size_t next = k + 1;
            while (m->col[next] < 0)
                next++;
            error_at(h, line, h->header[m->col[next]], "interval %zu of %s "
                     "is missing: no column for it before %s", k + 1,
                     m->column, h->header[m->col[next]]);
            bad = 1;
            break;
        }
    size_t decl = h->opts->n_intervals;
    if (decl && max > decl) {
        error_at(h, line, h->header[m->col[decl]], "interval %zu is beyond "
                 "the %zu intervals of --n-intervals", decl + 1, decl);
        bad = 1;
    } else if (decl && max < decl) {
        error_at(h, line, h->header[m->col[max - 1]], "%s has %zu "
                 "intervals, --n-intervals says %zu", m->column, max, decl);
        bad = 1;
    }
    return bad;
}

/* Resolve the --code maps against the header. */
static int header_maps(sheet_t *h, size_t line)
{
    const ds_import_opts_t *o = h->opts;
    h->maps = calloc(o->n_code_map, sizeof *h->maps);
    if (!h->maps)
        return DS_ENOMEM;
    h->n_maps = o->n_code_map;
    for (size_t i = 0; i < o->n_code_map; i++) {
        map_t *m = &h->maps[i];
        const char *name = o->code_map[i].name;
        const char *colon = strchr(name, ':');
        size_t al = colon ? (size_t)(colon - name) : strlen(name);
        m->column = o->code_map[i].value;
        m->code = colon ? colon + 1 : NULL;
        for (size_t a = 0; a < o->n_actors && !m->actor; a++)
            if (strlen(o->actors[a]) == al &&
                strncmp(o->actors[a], name, al) == 0)
                m->actor = o->actors[a];
        if (!m->actor) {
            error_at(h, line, m->column, "--code %s=%s: '%.*s' is not one "
                     "of --actors", name, m->column, (int)al, name);
            h->header_bad = 1;
            continue;
        }
        if (h->wide) {
            size_t n;
            int rc = wide_run(h, m, line, &n);
            if (rc < 0)
                return rc;
            if (rc) {
                h->header_bad = 1;
            } else if (h->n_int && n != h->n_int) {
                error_at(h, line, m->column, "%s has %zu intervals, %s has "
                         "%zu; every code of a sheet covers the same "
                         "intervals", m->column, n, h->maps[0].column,
                         h->n_int);
                h->header_bad = 1;
            } else {
                h->n_int = n;
            }
        } else {
            if (!(m->col = malloc(sizeof *m->col)))
                return DS_ENOMEM;
            if ((m->col[0] = find_col(h, m->column)) < 0) {
                error_at(h, line, m->column, "not in the header (--code "
                         "%s=%s)", name, m->column);
                h->header_bad = 1;
            }
        }
    }
    return DS_OK;
}

static int header_row(sheet_t *h, const ds_csv_row_t *row)
{
    h->width = row->n;
    if (!(h->header = calloc(row->n ? row->n : 1, sizeof *h->header)))
        return DS_ENOMEM;
    for (size_t i = 0; i < row->n; i++)
        if (!(h->header[i] = ds_strdup(row->field[i])))
            return DS_ENOMEM;
    h->c_couple = key_col(h, DS_COLKEY_COUPLE, "couple", 1, row->line);
    h->c_session = key_col(h, DS_COLKEY_SESSION, "session", 0, row->line);
    h->c_interval = key_col(h, DS_COLKEY_INTERVAL, "interval", 0, row->line);
    h->c_time = key_col(h, DS_COLKEY_TIME, NULL, 0, row->line);
    h->wide = h->c_interval < 0 && h->c_time < 0;
    return header_maps(h, row->line);
}

/* ---- sessions -------------------------------------------------------- */

/* The session of (couple, session); *fresh when it is new. NULL on OOM. */
static sess_t *get_session(sheet_t *h, const char *couple,
                           const char *session, size_t line, int *fresh)
{
    size_t lc = strlen(couple), ls = strlen(session);
    char *key = malloc(lc + ls + 2);
    if (!key)
        return NULL;
    memcpy(key, couple, lc);
    key[lc] = '\x1f';
    memcpy(key + lc + 1, session, ls + 1);
    size_t i = ds_strmap_get(h->index, key, lc + ls + 1);
    *fresh = i == (size_t)-1;
    if (!*fresh) {
        free(key);
        return &h->s[i];
    }
    if (h->n_s == h->cap_s) {
        size_t cap = h->cap_s ? 2 * h->cap_s : 16;
        sess_t *p = realloc(h->s, cap * sizeof *p);
        if (!p) {
            free(key);
            return NULL;
        }
        h->s = p;
        h->cap_s = cap;
    }
    sess_t *s = &h->s[h->n_s];
    memset(s, 0, sizeof *s);
    s->first_line = line;
    s->couple = ds_strdup(couple);
    s->session = ds_strdup(session);
    int bad = !s->couple || !s->session ||
              ds_strmap_put(h->index, key, lc + ls + 1, h->n_s);
    free(key);
    if (bad) {
        free(s->couple);
        free(s->session);
        return NULL;
    }
    h->n_s++;
    return s;
}

/* Room for interval n of s. 0 or DS_ENOMEM. */
static int sess_reserve(const sheet_t *h, sess_t *s, size_t n)
{
    if (n < s->cap)
        return 0;
    size_t cap = s->cap ? 2 * s->cap : 64;
    while (cap <= n)
        cap *= 2;
    size_t *l = realloc(s->line, cap * sizeof *l);
    if (l)
        s->line = l;
    uint8_t *c = l ? realloc(s->coded, cap) : NULL;
    if (c)
        s->coded = c;
    char **v = c ? realloc(s->cell, cap * (h->n_maps ? h->n_maps : 1) *
                                        sizeof *v)
                 : NULL;
    if (!v)
        return DS_ENOMEM;
    s->cell = v;
    s->cap = cap;
    return 0;
}

static void sess_clear(const sheet_t *h, sess_t *s)
{
    for (size_t i = 0; s->cell && i < s->n * h->n_maps; i++)
        free(s->cell[i]);
    free(s->cell);
    free(s->line);
    free(s->coded);
    free(s->couple);
    free(s->session);
}

/* ---- cells ----------------------------------------------------------- */

/* A cell's value: 0 absent, 1 present (or a list), 2 not coded, -1 bad.
 * *text is the trimmed cell (malloc'd) for a list. */
static int cell_value(const char *raw, int list, char **text)
{
    while (*raw == ' ' || *raw == '\t')
        raw++;
    size_t n = strlen(raw);
    while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t'))
        n--;
    *text = NULL;
    if (n == 0 || (n == 2 && strncasecmp(raw, "NA", 2) == 0))
        return 2;
    if (n == 1 && raw[0] == '0')
        return 0;
    if (!list)
        return n == 1 && raw[0] == '1' ? 1 : -1;
    if (!(*text = strndup(raw, n)))
        return -2;
    return 1;
}

/* Read the cells of interval k of s (its fields by map in col_of). */
static int read_cells(sheet_t *h, sess_t *s, const ds_csv_row_t *row,
                      size_t k, int wide)
{
    int rc = sess_reserve(h, s, k);
    if (rc)
        return rc;
    s->line[k] = row->line;
    s->coded[k] = 1;
    for (size_t m = 0; m < h->n_maps; m++) {
        const map_t *mp = &h->maps[m];
        long c = mp->col[wide ? k : 0];
        char *text;
        int v = cell_value(row->field[c], mp->code == NULL, &text);
        if (v == -2)
            return DS_ENOMEM;
        if (v < 0) {
            char ex[80];
            error_at(h, row->line, h->header[c], "value '%s' is not 1 "
                     "(present), 0 (absent), empty or NA (not coded)",
                     ds_import_ex(ex, row->field[c]));
            s->bad = 1;
        }
        if (v == 2)
            s->coded[k] = 0;
        s->cell[k * h->n_maps + m] =
            v == 1 ? (text ? text : ds_strdup("1")) : NULL;
        if (v == 1 && !s->cell[k * h->n_maps + m])
            return DS_ENOMEM;
    }
    s->n = k + 1 > s->n ? k + 1 : s->n;
    return DS_OK;
}

/* ---- rows ------------------------------------------------------------ */

/* The interval number of a long row (1-based), or 0 after a report. */
static size_t row_interval(sheet_t *h, const ds_csv_row_t *row)
{
    char ex[80];
    if (h->c_interval >= 0) {
        const char *f = row->field[h->c_interval];
        size_t k;
        if (ds_parse_size(f, &k) || k == 0) {
            error_at(h, row->line, h->header[h->c_interval], "interval "
                     "number '%s' is not a whole number from 1",
                     ds_import_ex(ex, f));
            return 0;
        }
        return k;
    }
    const char *f = row->field[h->c_time];
    double t;
    ds_num_status_t st = ds_parse_time(f, &t);
    double x = st == DS_NUM_OK ? t / h->opts->interval : NAN;
    double r = nearbyint(x);
    if (st != DS_NUM_OK || !(fabs(x - r) <= 1e-9 * fmax(1.0, fabs(x))) ||
        r > 1e9) {
        error_at(h, row->line, h->header[h->c_time], "onset '%s' is not the "
                 "start of an interval of %g s (0, %g, %g, ...)",
                 ds_import_ex(ex, f), h->opts->interval, h->opts->interval,
                 2 * h->opts->interval);
        return 0;
    }
    return (size_t)r + 1;
}

/* Check interval k of a long row against its session's previous row
 * (after a problem, against the row that had it, so that one missing
 * interval is one message). */
static int long_order(sheet_t *h, sess_t *s, size_t k,
                      const ds_csv_row_t *row)
{
    const char *col = h->header[h->c_interval >= 0 ? h->c_interval
                                                   : h->c_time];
    size_t decl = h->opts->n_intervals, prev = s->last;
    size_t prev_line = s->last_line;
    s->last = k;
    s->last_line = row->line;
    if (decl && k > decl) {
        error_at(h, row->line, col, "interval %zu is beyond the %zu "
                 "intervals of --n-intervals", k, decl);
        return 1;
    }
    if (k == prev + 1)
        return 0;
    if (k <= prev)
        error_at(h, row->line, col, "interval %zu of session '%s'/'%s' "
                 "again, or out of order (interval %zu was at line %zu); "
                 "a session's intervals come in order", k, s->couple,
                 s->session, prev, prev_line);
    else if (prev == 0 && k == 2)
        error_at(h, row->line, col, "session '%s'/'%s' starts at interval "
                 "2: interval 1 is missing", s->couple, s->session);
    else if (prev == 0)
        error_at(h, row->line, col, "session '%s'/'%s' starts at interval "
                 "%zu: intervals 1 to %zu are missing", s->couple,
                 s->session, k, k - 1);
    else if (k == prev + 2)
        error_at(h, row->line, col, "interval %zu follows interval %zu of "
                 "session '%s'/'%s' (line %zu): interval %zu is missing", k,
                 prev, s->couple, s->session, prev_line, prev + 1);
    else
        error_at(h, row->line, col, "interval %zu follows interval %zu of "
                 "session '%s'/'%s' (line %zu): intervals %zu to %zu are "
                 "missing", k, prev, s->couple, s->session, prev_line,
                 prev + 1, k - 1);
    return 1;
}

/* The cells of a row of a session with a problem: checked, not kept. */
static void check_cells(sheet_t *h, const ds_csv_row_t *row)
{
    for (size_t m = 0; m < h->n_maps; m++) {
        long c = h->maps[m].col[0];
        char *text;
        if (cell_value(row->field[c], h->maps[m].code == NULL, &text) ==
            -1) {
            char ex[80];
            error_at(h, row->line, h->header[c], "value '%s' is not 1 "
                     "(present), 0 (absent), empty or NA (not coded)",
                     ds_import_ex(ex, row->field[c]));
        }
        free(text);
    }
}

static int data_row(sheet_t *h, const ds_csv_row_t *row)
{
    if (row->n != h->width) {
        error_at(h, row->line, NULL, "row has %zu field%s, header has %zu",
                 row->n, row->n == 1 ? "" : "s", h->width);
        return 0;
    }
    for (size_t i = 0; i < row->n; i++)
        if (strlen(row->field[i]) != row->len[i] ||
            ds_utf8_invalid_at(row->field[i], row->len[i]) < row->len[i]) {
            error_at(h, row->line, h->header[i], "not valid UTF-8 text");
            return 0;
        }
    const char *couple = row->field[h->c_couple];
    const char *session = h->c_session >= 0 ? row->field[h->c_session]
                                            : h->src->stem;
    if (!*couple || !*session) {
        error_at(h, row->line, h->header[!*couple ? h->c_couple
                                                   : h->c_session],
                 "empty value");
        return 0;
    }
    int fresh;
    sess_t *s = get_session(h, couple, session, row->line, &fresh);
    if (!s)
        return DS_ENOMEM;
    if (h->wide) {
        if (!fresh) {
            error_at(h, row->line, h->header[h->c_couple], "session "
                     "'%s'/'%s' again (also at line %zu); a wide sheet has "
                     "one row per session", couple, session, s->first_line);
            return 0;
        }
        for (size_t k = 0; k < h->n_int; k++) {
            int rc = read_cells(h, s, row, k, 1);
            if (rc)
                return rc;
        }
        return 0;
    }
    size_t k = row_interval(h, row);
    if (k == 0 || long_order(h, s, k, row))
        s->bad = 1;
    if (s->bad) {
        check_cells(h, row);
        return 0;
    }
    return read_cells(h, s, row, k - 1, 0);
}

static int on_row(const ds_csv_row_t *row, void *ctx)
{
    sheet_t *h = ctx;
    int rc = row->index == 0 ? header_row(h, row) : h->header_bad
                                                        ? 1
                                                        : data_row(h, row);
    if (rc < 0)
        h->rc = rc;
    return rc < 0 ? rc : h->header_bad ? 1 : 0;
}

/* ---- events ---------------------------------------------------------- */

/* One event per mapped code present in interval k of s. */
static int emit_interval(sheet_t *h, const sess_t *s, size_t k,
                         const ds_import_row_t *tmpl)
{
    double len = h->opts->interval;
    for (size_t m = 0; m < h->n_maps; m++) {
        const map_t *mp = &h->maps[m];
        const char *v = s->cell[k * h->n_maps + m];
        if (!v)
            continue;
        ds_import_row_t r = *tmpl;
        r.actor = r.subject = mp->actor;
        r.onset = ds_round_ns((double)k * len);
        r.duration = len;
        r.code_field = h->header[mp->col[h->wide ? k : 0]];
        r.loc.line = s->line[k];
        if (mp->code) {
            r.code = mp->code;
            int rc = h->emit(&r, h->ctx);
            if (rc)
                return rc;
            continue;
        }
        /* a list: codes separated by ';', each once */
        char *copy = ds_strdup(v), *save = NULL;
        if (!copy)
            return DS_ENOMEM;
        int rc = 0;
        const char *seen[64];
        size_t n_seen = 0;
        for (char *t = strtok_r(copy, ";", &save); t && !rc;
             t = strtok_r(NULL, ";", &save)) {
            while (*t == ' ')
                t++;
            size_t n = strlen(t);
            while (n && t[n - 1] == ' ')
                t[--n] = '\0';
            int again = 0;
            for (size_t q = 0; q < n_seen && !again; q++)
                again = strcmp(seen[q], t) == 0;
            if (again) {
                char ex[80];
                error_at(h, s->line[k], r.code_field, "code '%s' twice in "
                         "one interval", ds_import_ex(ex, t));
                continue;
            }
            if (n_seen < 64)
                seen[n_seen++] = t;
            r.code = t;
            rc = h->emit(&r, h->ctx);
        }
        free(copy);
        if (rc)
            return rc;
    }
    return DS_OK;
}

/* The observed stretches of s: maximal runs of coded intervals. */
static size_t stretches(const sheet_t *h, const sess_t *s, size_t n,
                        double *st)
{
    size_t m = 0;
    double len = h->opts->interval;
    for (size_t k = 0; k < n;) {
        if (!s->coded[k]) {
            k++;
            continue;
        }
        size_t j = k;
        while (j < n && s->coded[j])
            j++;
        st[2 * m] = ds_round_ns((double)k * len);
        st[2 * m + 1] = ds_round_ns((double)j * len);
        m++;
        k = j;
    }
    return m;
}

/* Every event of session s, with its period. */
static int emit_session(sheet_t *h, const sess_t *s)
{
    size_t n = s->n, decl = h->opts->n_intervals;
    if (!h->wide && decl && n < decl) {
        error_at(h, s->line[n - 1], h->header[h->c_interval >= 0
                                                  ? h->c_interval
                                                  : h->c_time],
                 "session '%s'/'%s' ends at interval %zu, --n-intervals "
                 "says %zu: interval %zu is missing", s->couple, s->session,
                 n, decl, n + 1);
        return DS_OK;
    }
    double *st = malloc(2 * (n / 2 + 1) * sizeof *st);
    if (!st)
        return DS_ENOMEM;
    size_t ns = stretches(h, s, n, st);
    int rc = DS_OK;
    if (ns == 0) {
        ds_import_loc_t l = {.file = h->src->name, .line = s->first_line};
        ds_diag_warning(h->diag, l.file, l.line, NULL, "session '%s'/'%s' "
                        "has no coded interval; it is left out", s->couple,
                        s->session);
        goto done;
    }
    ds_import_row_t tmpl = {
        .couple = s->couple, .session = s->session,
        .start = st[0], .end = st[2 * ns - 1],
        .stretch = ns > 1 ? st : NULL, .n_stretches = ns > 1 ? ns : 0,
        .may_overlap = 1, .loc = {.file = h->src->name}};
    size_t n_events = 0;
    for (size_t k = 0; k < n && rc == DS_OK; k++) {
        if (!s->coded[k])
            continue;
        for (size_t m = 0; m < h->n_maps; m++)
            n_events += s->cell[k * h->n_maps + m] != NULL;
        rc = emit_interval(h, s, k, &tmpl);
    }
    if (rc == DS_OK && n_events == 0)
        ds_diag_warning(h->diag, h->src->name, s->first_line, NULL,
                        "session '%s'/'%s' has no marked interval: with no "
                        "event it cannot be written and is left out",
                        s->couple, s->session);
done:
    free(st);
    return rc;
}

int ds_import_intervals(const ds_import_src_t *src,
                        const ds_import_opts_t *opts, ds_import_row_fn emit,
                        void *ctx, ds_diag_t *diag, ds_error_t *err)
{
    sheet_t h = {.src = src, .opts = opts, .emit = emit, .ctx = ctx,
                 .diag = diag, .err = err};
    int rc = DS_OK;
    if (!opts->interval_given || opts->n_code_map == 0)
        return ds_error_set(err, DS_EUSAGE, "--from intervals needs "
                            "--interval SECONDS and at least one --code");
    if (!(h.index = ds_strmap_alloc()))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    rc = ds_import_csv(src, 0, 1, on_row, &h, diag, err);
    if (h.rc)
        rc = h.rc;
    if (rc == DS_OK && !h.header_bad && h.n_s == 0 && diag->n_errors == 0)
        error_at(&h, 0, NULL, "no data rows (header only)");
    for (size_t i = 0; rc == DS_OK && !h.header_bad && i < h.n_s; i++)
        if (!h.s[i].bad && h.s[i].n)
            rc = emit_session(&h, &h.s[i]);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    for (size_t i = 0; i < h.n_s; i++)
        sess_clear(&h, &h.s[i]);
    free(h.s);
    for (size_t i = 0; i < h.n_maps; i++)
        free(h.maps[i].col);
    free(h.maps);
    for (size_t i = 0; h.header && i < h.width; i++)
        free(h.header[i]);
    free(h.header);
    ds_strmap_free(h.index);
    return rc;
}
