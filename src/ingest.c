/*
 * ingest.c — transcript CSV → corpus, validating every row (SPEC 3).
 *
 * Rows are checked field by field as they stream past (csvread), and every
 * problem is recorded with its file, line and column; a row with a problem
 * is not stored, but reading goes on so that one run reports everything.
 * Events are appended to per-session growable arrays found through a hash
 * map on (couple, session); the builder then sorts sessions into byte
 * order and, with --sort, each session's events stably by onset.
 *
 * With more than one thread, ds_corpus_load reads through a parallel
 * front end (load_parallel, at the end): files are cut into pieces at line
 * feeds, each piece parsed into a builder of its own by the same row code,
 * and the pieces merged in file order. It handles only what it can judge
 * exactly as the one-thread path would and otherwise starts that path
 * again, so messages and results never depend on the thread count.
 */
#define _GNU_SOURCE /* memrchr */
#include "dyadseq/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_heapsort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "csvread.h"
#include "strmap.h"
#include "text.h"

enum { COL_COUPLE, COL_SESSION, COL_CODE, COL_ACTOR, COL_TIME, COL_DURATION,
       COL_CODER, N_COLS };
static const char *const col_names[N_COLS] = {
    "couple", "session", "code", "actor", "time", "duration", "coder"};
#define N_REQUIRED 3 /* couple, session, code */

#define NO_FILE ((size_t)-1)

typedef struct bsession {
    char *couple, *label;
    size_t couple_len, label_len;
    size_t n, cap;
    double *onset, *duration;
    uint16_t *state;
    uint32_t *line, *file;
    size_t first_file, first_line; /* where the session was first seen */
    size_t last_file;              /* file of the latest row */
    size_t dup_reported;           /* file for which a duplicate was said */
} bsession_t;

struct ds_builder {
    ds_ingest_opts_t opts;
    size_t *code_len;           /* [codebook->n] strlen of each code */
    size_t *actor_len;          /* [n_actors] */
    ds_strmap_t *map;
    bsession_t *s;
    size_t n_s, cap_s;
    size_t size_hint;           /* events of the last finished session */
    char **files;
    char (*sha)[65];
    size_t n_files, cap_files;
    int columns_known;          /* optional-column set fixed by first file */
    int has_col[N_COLS];
    size_t columns_file;        /* file that fixed the set */
    int any_error;
};

typedef struct file_ctx {
    ds_builder_t *b;
    const char *name;
    size_t file;
    ds_diag_t *diag;
    long col[N_COLS];
    size_t n_header;
    char **header;            /* header names, for messages */
    int header_bad;
    size_t n_rows;
    size_t prev;              /* session of the previous row, or NO_FILE */
    char *key;                /* scratch for the session key */
    size_t key_cap;
} file_ctx_t;

ds_builder_t *ds_builder_new(const ds_ingest_opts_t *opts)
{
    ds_builder_t *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->opts = *opts;
    b->map = ds_strmap_new();
    b->code_len = malloc((opts->codebook->n + 1) * sizeof *b->code_len);
    b->actor_len = malloc((opts->n_actors + 1) * sizeof *b->actor_len);
    if (!b->map || !b->code_len || !b->actor_len) {
        ds_builder_free(b);
        return NULL;
    }
    for (size_t i = 0; i < opts->codebook->n; i++)
        b->code_len[i] = strlen(opts->codebook->code[i]);
    for (size_t i = 0; i < opts->n_actors; i++)
        b->actor_len[i] = strlen(opts->actors[i]);
    return b;
}

static void bsession_free(bsession_t *s)
{
    free(s->couple);
    free(s->label);
    free(s->onset);
    free(s->duration);
    free(s->state);
    free(s->line);
    free(s->file);
}

void ds_builder_free(ds_builder_t *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_s; i++)
        bsession_free(&b->s[i]);
    free(b->s);
    for (size_t i = 0; i < b->n_files; i++)
        free(b->files[i]);
    free(b->files);
    free(b->sha);
    ds_strmap_free(b->map);
    free(b->code_len);
    free(b->actor_len);
    free(b);
}

/* Grow a session's arrays to hold at least one more event. */
static int bsession_reserve(bsession_t *s, size_t hint, int has_time,
                            int has_duration)
{
    if (s->n < s->cap)
        return 0;
    /* a new session starts at the size of the last finished one and a
     * quarter (sessions of a study are alike: one allocation, not five
     * reallocations); it grows by half from there (a shrunk session may
     * be tiny) */
    size_t cap = s->cap ? s->cap + s->cap / 2 : hint + hint / 4;
    if (cap < 64)
        cap = 64;
#define GROW(field)                                                          \
    do {                                                                     \
        void *p_ = realloc(s->field, cap * sizeof *s->field);                \
        if (!p_)                                                             \
            return -1;                                                       \
        s->field = p_;                                                       \
    } while (0)
    GROW(state);
    GROW(line);
    GROW(file);
    if (has_time)
        GROW(onset);
    if (has_duration)
        GROW(duration);
#undef GROW
    s->cap = cap;
    return 0;
}

/* Release a session's spare capacity. Called when the rows move on to
 * another session: the freed tails are reused by the sessions that follow,
 * so the growth slack of all sessions is never resident at once (it was a
 * third of the event memory). */
static void bsession_shrink(bsession_t *s)
{
    if (s->cap == s->n || s->n == 0)
        return;
#define FIT(field)                                                           \
    do {                                                                     \
        if (s->field) {                                                      \
            void *p_ = realloc(s->field, s->n * sizeof *s->field);           \
            if (p_)                                                          \
                s->field = p_;                                               \
        }                                                                    \
    } while (0)
    FIT(state);
    FIT(line);
    FIT(file);
    FIT(onset);
    FIT(duration);
#undef FIT
    s->cap = s->n;
}

/* Check the header row: required columns present, no duplicates, the same
 * optional columns as the first file. */
static int check_header(file_ctx_t *c, const ds_csv_row_t *row)
{
    ds_builder_t *b = c->b;
    c->n_header = row->n;
    c->header = calloc(row->n, sizeof *c->header);
    if (!c->header)
        return DS_ENOMEM;
    char ignored[512] = "";
    size_t ign = 0;
    for (size_t i = 0; i < row->n; i++) {
        const char *h = row->field[i];
        if (strlen(h) != row->len[i] ||
            ds_utf8_invalid_at(h, row->len[i]) < row->len[i]) {
            ds_diag_error(c->diag, c->name, row->line, NULL,
                          "header field %zu is not valid UTF-8 text", i + 1);
            c->header_bad = 1;
        }
        if (!(c->header[i] = ds_strdup(h)))
            return DS_ENOMEM;
        int k;
        for (k = 0; k < N_COLS; k++)
            if (strcasecmp(h, col_names[k]) == 0)
                break;
        if (k == N_COLS) {
            if (ign < sizeof ignored - 1)
                ign += (size_t)snprintf(ignored + ign, sizeof ignored - ign,
                                        "%s%s", ign ? ", " : "", h);
            continue;
        }
        if (c->col[k] >= 0) {
            ds_diag_error(c->diag, c->name, row->line, col_names[k],
                          "duplicate column (fields %ld and %zu)",
                          c->col[k] + 1, i + 1);
            c->header_bad = 1;
        } else {
            c->col[k] = (long)i;
        }
    }
    char missing[64] = "";
    size_t m = 0;
    for (int k = 0; k < N_REQUIRED; k++)
        if (c->col[k] < 0)
            m += (size_t)snprintf(missing + m, sizeof missing - m, "%s%s",
                                  m ? ", " : "", col_names[k]);
    if (m) {
        char found[512] = "";
        size_t f = 0;
        for (size_t i = 0; i < row->n && f < sizeof found - 1; i++) {
            char ex[48];
            ds_excerpt(ex, row->field[i], 40);
            f += (size_t)snprintf(found + f, sizeof found - f, "%s'%s'",
                                  i ? ", " : "", ex);
        }
        ds_diag_error(c->diag, c->name, row->line, NULL,
                      "required column%s missing: %s (columns found: %s)",
                      strchr(missing, ',') ? "s" : "", missing, found);
        c->header_bad = 1;
    }
    if (c->header_bad)
        return 0;
    if (!b->columns_known) {
        b->columns_known = 1;
        b->columns_file = c->file;
        for (int k = 0; k < N_COLS; k++)
            b->has_col[k] = c->col[k] >= 0;
    } else {
        for (int k = N_REQUIRED; k < N_COLS; k++)
            if (b->has_col[k] != (c->col[k] >= 0)) {
                ds_diag_error(c->diag, c->name, row->line, col_names[k],
                              "column %s here but %s %s; all inputs of a "
                              "study must have the same optional columns",
                              c->col[k] >= 0 ? "present" : "missing",
                              c->col[k] >= 0 ? "missing in" : "present in",
                              b->files[b->columns_file]);
                c->header_bad = 1;
            }
    }
    if (ign && b->opts.verbose)
        ds_diag_warning(c->diag, c->name, row->line, NULL,
                        "ignoring columns: %s", ignored);
    return 0;
}

/* n bytes of a and b are equal (short keys: no call to memcmp). */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* Report a time or duration field that did not parse. */
static void bad_number(file_ctx_t *c, size_t line, int col,
                       ds_num_status_t st, const char *text)
{
    char ex[80];
    ds_excerpt(ex, text, 60);
    const char *what = col == COL_TIME ? "time" : "duration";
    if (st == DS_NUM_NEGATIVE)
        ds_diag_error(c->diag, c->name, line, col_names[col],
                      "negative %s '%s'", what, ex);
    else if (st == DS_NUM_NONFINITE)
        ds_diag_error(c->diag, c->name, line, col_names[col],
                      "%s '%s' is not a finite number", what, ex);
    else if (col == COL_TIME)
        ds_diag_error(c->diag, c->name, line, col_names[col],
                      "cannot read time '%s' (expected seconds such as 83.4 "
                      "or [hh:]mm:ss[.fff] such as 1:02:03.5)", ex);
    else
        ds_diag_error(c->diag, c->name, line, col_names[col],
                      "cannot read duration '%s' (expected seconds such as "
                      "2.5)", ex);
}

/* Find or create the session of this row. Returns its index, NO_FILE when
 * the row is to be skipped (duplicate session), or (size_t)-2 on OOM. */
static size_t row_session(file_ctx_t *c, const ds_csv_row_t *row,
                          const char *couple, size_t lc, const char *label,
                          size_t ll)
{
    ds_builder_t *b = c->b;
    if (c->prev != NO_FILE) { /* rows of a session usually come together */
        bsession_t *p = &b->s[c->prev];
        if (p->couple_len == lc && p->label_len == ll &&
            same_bytes(p->couple, couple, lc) &&
            same_bytes(p->label, label, ll))
            return c->prev;
    }
    size_t kl = lc + ll + 1;
    if (kl + 1 > c->key_cap) {
        char *k = realloc(c->key, kl + 1);
        if (!k)
            return (size_t)-2;
        c->key = k;
        c->key_cap = kl + 1;
    }
    memcpy(c->key, couple, lc);
    c->key[lc] = '\x1f';
    memcpy(c->key + lc + 1, label, ll);
    size_t idx = ds_strmap_get(b->map, c->key, kl);
    if (idx == (size_t)-1) {
        if (b->n_s == b->cap_s) {
            size_t cap = b->cap_s ? 2 * b->cap_s : 64;
            bsession_t *s = realloc(b->s, cap * sizeof *s);
            if (!s)
                return (size_t)-2;
            b->s = s;
            b->cap_s = cap;
        }
        bsession_t *s = &b->s[b->n_s];
        memset(s, 0, sizeof *s);
        s->couple = ds_strdup(couple);
        s->label = ds_strdup(label);
        s->couple_len = lc;
        s->label_len = ll;
        s->first_file = s->last_file = c->file;
        s->first_line = row->line;
        s->dup_reported = NO_FILE;
        if (!s->couple || !s->label ||
            ds_strmap_put(b->map, c->key, kl, b->n_s)) {
            free(s->couple);
            free(s->label);
            return (size_t)-2;
        }
        idx = b->n_s++;
    } else {
        bsession_t *s = &b->s[idx];
        if (s->last_file != c->file && !b->opts.merge) {
            if (s->dup_reported != c->file) {
                char ec[80], el[80];
                ds_excerpt(ec, couple, 60);
                ds_excerpt(el, label, 60);
                ds_diag_error(c->diag, c->name, row->line, NULL,
                              "session '%s'/'%s' also appears in %s (line "
                              "%zu); give --merge to combine a session's "
                              "rows from several files",
                              ec, el, b->files[s->first_file],
                              s->first_line);
                s->dup_reported = c->file;
            }
            return NO_FILE;
        }
        s->last_file = c->file;
    }
    if (c->prev != NO_FILE && c->prev != idx) {
        bsession_shrink(&b->s[c->prev]);
        b->size_hint = b->s[c->prev].n;
    }
    c->prev = idx;
    return idx;
}

static int data_row(file_ctx_t *c, const ds_csv_row_t *row)
{
    ds_builder_t *b = c->b;
    const ds_ingest_opts_t *o = &b->opts;
    if (row->n != c->n_header) {
        ds_diag_error(c->diag, c->name, row->line, NULL,
                      "row has %zu field%s, header has %zu", row->n,
                      row->n == 1 ? "" : "s", c->n_header);
        return 0;
    }
    int bad = 0;
    for (size_t i = 0; !row->clean && i < row->n; i++) {
        if (memchr(row->field[i], '\0', row->len[i])) {
            ds_diag_error(c->diag, c->name, row->line, c->header[i],
                          "NUL byte in field (binary data?)");
            bad = 1;
            continue;
        }
        size_t at = ds_utf8_invalid_at(row->field[i], row->len[i]);
        if (at < row->len[i]) {
            ds_diag_error(c->diag, c->name, row->line, c->header[i],
                          "invalid UTF-8 at byte %zu of the field", at + 1);
            bad = 1;
        }
    }
    if (bad)
        return 0;
    const char *f[N_COLS];
    for (int k = 0; k < N_COLS; k++) {
        f[k] = c->col[k] >= 0 ? row->field[c->col[k]] : NULL;
        if (f[k] && !*f[k] && k != COL_DURATION && k != COL_CODER) {
            ds_diag_error(c->diag, c->name, row->line, col_names[k],
                          "empty value");
            bad = 1;
        }
    }
    long code = -1, actor = 0;
    if (*f[COL_CODE]) {
        size_t len = row->len[c->col[COL_CODE]];
        for (size_t i = 0; i < o->codebook->n; i++)
            if (b->code_len[i] == len &&
                same_bytes(o->codebook->code[i], f[COL_CODE], len)) {
                code = (long)i;
                break;
            }
        if (code < 0) {
            char ex[80], list[256] = "";
            ds_excerpt(ex, f[COL_CODE], 60);
            const char *s =
                ds_suggest(f[COL_CODE], (const char *const *)o->codebook->code,
                           o->codebook->n);
            size_t l = 0;
            for (size_t i = 0; i < o->codebook->n && i < 12; i++)
                l += (size_t)snprintf(list + l, sizeof list - l, "%s%s",
                                      i ? ", " : "", o->codebook->code[i]);
            if (o->codebook->n > 12)
                snprintf(list + l, sizeof list - l, ", … (%zu codes)",
                         o->codebook->n);
            ds_diag_error(c->diag, c->name, row->line, "code",
                          "unknown code '%s'%s%s%s (codebook: %s)", ex,
                          s ? "; did you mean '" : "", s ? s : "",
                          s ? "'?" : "", list);
            bad = 1;
        }
    }
    if (f[COL_ACTOR] && *f[COL_ACTOR]) {
        actor = -1;
        size_t len = row->len[c->col[COL_ACTOR]];
        for (size_t i = 0; i < o->n_actors; i++)
            if (b->actor_len[i] == len &&
                same_bytes(f[COL_ACTOR], o->actors[i], len)) {
                actor = (long)i;
                break;
            }
        if (actor < 0) {
            char ex[80], list[256] = "";
            ds_excerpt(ex, f[COL_ACTOR], 60);
            const char *s = ds_suggest(f[COL_ACTOR], o->actors, o->n_actors);
            size_t l = 0;
            for (size_t i = 0; i < o->n_actors && l < sizeof list; i++)
                l += (size_t)snprintf(list + l, sizeof list - l, "%s%s",
                                      i ? "," : "", o->actors[i]);
            ds_diag_error(c->diag, c->name, row->line, "actor",
                          "unknown actor '%s'%s%s%s (actors are %s; set them "
                          "with --actors)",
                          ex, s ? "; did you mean '" : "", s ? s : "",
                          s ? "'?" : "", list);
            bad = 1;
        }
    }
    double onset = 0, dur = 0;
    if (f[COL_TIME] && *f[COL_TIME]) {
        ds_num_status_t st = ds_parse_time(f[COL_TIME], &onset);
        if (st != DS_NUM_OK) {
            bad_number(c, row->line, COL_TIME, st, f[COL_TIME]);
            bad = 1;
        }
    }
    if (f[COL_DURATION]) {
        if (!*f[COL_DURATION]) {
            ds_diag_error(c->diag, c->name, row->line, "duration",
                          "empty value");
            bad = 1;
        } else {
            ds_num_status_t st = ds_parse_seconds(f[COL_DURATION], &dur);
            if (st != DS_NUM_OK) {
                bad_number(c, row->line, COL_DURATION, st, f[COL_DURATION]);
                bad = 1;
            }
        }
    }
    if (bad || !*f[COL_COUPLE] || !*f[COL_SESSION])
        return 0;
    if (row->line > UINT32_MAX) {
        ds_diag_error(c->diag, c->name, row->line, NULL,
                      "file too long (more than %u lines)", UINT32_MAX);
        return 1;
    }

    size_t si = row_session(c, row, f[COL_COUPLE],
                            row->len[c->col[COL_COUPLE]], f[COL_SESSION],
                            row->len[c->col[COL_SESSION]]);
    if (si == (size_t)-2)
        return DS_ENOMEM;
    if (si == NO_FILE)
        return 0;
    bsession_t *s = &b->s[si];
    int has_time = c->col[COL_TIME] >= 0, has_dur = c->col[COL_DURATION] >= 0;
    if (has_time && !o->sort && s->n > 0 && onset < s->onset[s->n - 1]) {
        char ec[80], el[80];
        ds_excerpt(ec, s->couple, 60);
        ds_excerpt(el, s->label, 60);
        size_t pf = s->file[s->n - 1];
        char where[1200];
        if (pf == c->file)
            snprintf(where, sizeof where, "line %u", s->line[s->n - 1]);
        else
            snprintf(where, sizeof where, "%s:%u", b->files[pf],
                     s->line[s->n - 1]);
        ds_diag_error(c->diag, c->name, row->line, "time",
                      "time %s goes backwards within session '%s'/'%s' "
                      "(previous event at %.6g s, %s); sort the rows or "
                      "give --sort",
                      f[COL_TIME], ec, el, s->onset[s->n - 1], where);
    }
    if (bsession_reserve(s, b->size_hint, has_time, has_dur))
        return DS_ENOMEM;
    size_t state = actor * o->codebook->n + (size_t)code;
    s->state[s->n] = (uint16_t)state;
    s->line[s->n] = (uint32_t)row->line;
    s->file[s->n] = (uint32_t)c->file;
    if (has_time)
        s->onset[s->n] = onset;
    if (has_dur)
        s->duration[s->n] = dur;
    s->n++;
    return 0;
}

static int on_row(const ds_csv_row_t *row, void *vc)
{
    file_ctx_t *c = vc;
    if (row->index == 0) {
        int rc = check_header(c, row);
        if (rc)
            return rc;
        return c->header_bad ? 1 : 0; /* a bad header: stop this file */
    }
    c->n_rows++;
    return data_row(c, row);
}

/* Register input `name` in b; its index in *file. */
static int builder_add_file(ds_builder_t *b, const char *name, size_t *file,
                            ds_error_t *err)
{
    if (b->n_files == b->cap_files) {
        size_t cap = b->cap_files ? 2 * b->cap_files : 16;
        char **f = realloc(b->files, cap * sizeof *f);
        if (!f)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        b->files = f;
        char(*h)[65] = realloc(b->sha, cap * sizeof *h);
        if (!h)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        b->sha = h;
        b->cap_files = cap;
    }
    if (b->n_files >= UINT32_MAX)
        return ds_error_set(err, DS_EUSAGE, "too many input files");
    if (!(b->files[b->n_files] = ds_strdup(name)))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    *file = b->n_files++;
    return DS_OK;
}

int ds_ingest_file(ds_builder_t *b, FILE *fp, const char *name,
                   ds_diag_t *diag, ds_error_t *err)
{
    size_t file;
    int rc = builder_add_file(b, name, &file, err);
    if (rc)
        return rc;
    file_ctx_t c = {.b = b, .name = name, .file = file, .diag = diag,
                    .prev = NO_FILE};
    for (int k = 0; k < N_COLS; k++)
        c.col[k] = -1;
    if (b->opts.n_actors * b->opts.codebook->n > 65535) {
        return ds_error_set(err, DS_EUSAGE,
                            "too many states (%zu actors × %zu codes; at "
                            "most 65535)",
                            b->opts.n_actors, b->opts.codebook->n);
    }
    ds_sha256_t hash;
    ds_sha256_init(&hash);
    size_t before = diag->n_errors;
    rc = ds_csv_read(fp, name, on_row, &c, diag, &hash, err);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    if (rc == DS_OK && !c.header_bad && c.n_rows == 0) {
        ds_diag_error(diag, name, 0, NULL, "no data rows (header only)");
        rc = DS_EDATA;
    }
    if (rc == DS_OK || rc == DS_EDATA) {
        /* finish the digest over any bytes the reader did not consume */
        unsigned char buf[1 << 14];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            ds_sha256_update(&hash, buf, n);
        ds_sha256_final_hex(&hash, b->sha[file]);
    }
    if (c.header_bad || diag->n_errors > before)
        b->any_error = 1;
    for (size_t i = 0; i < c.n_header; i++)
        free(c.header ? c.header[i] : NULL);
    free(c.header);
    free(c.key);
    return rc;
}

static int cmp_session(const void *a, const void *b)
{
    const bsession_t *x = a, *y = b;
    int r = strcmp(x->couple, y->couple);
    return r ? r : strcmp(x->label, y->label);
}

typedef struct onset_key {
    double onset;
    size_t index;
} onset_key_t;

static int cmp_onset(const void *a, const void *b)
{
    const onset_key_t *x = a, *y = b;
    if (x->onset != y->onset)
        return x->onset < y->onset ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Apply permutation perm (new position i takes old perm[i]) to a column. */
#define PERMUTE(type, arr, perm, n, tmp)                                     \
    do {                                                                     \
        if (arr) {                                                           \
            type *t_ = (type *)(tmp);                                        \
            for (size_t i_ = 0; i_ < (n); i_++)                              \
                t_[i_] = (arr)[(perm)[i_].index];                            \
            memcpy((arr), t_, (n) * sizeof(type));                           \
        }                                                                    \
    } while (0)

/* Stable sort of a session's events by onset (ties keep input order). */
static int sort_session(bsession_t *s)
{
    size_t i;
    for (i = 1; i < s->n; i++)
        if (s->onset[i] < s->onset[i - 1])
            break;
    if (i >= s->n)
        return 0;
    onset_key_t *k = malloc(s->n * sizeof *k);
    double *tmp = malloc(s->n * sizeof *tmp);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return -1;
    }
    for (i = 0; i < s->n; i++) {
        k[i].onset = s->onset[i];
        k[i].index = i;
    }
    gsl_heapsort(k, s->n, sizeof *k, cmp_onset);
    PERMUTE(double, s->onset, k, s->n, tmp);
    PERMUTE(double, s->duration, k, s->n, tmp);
    PERMUTE(uint16_t, s->state, k, s->n, tmp);
    PERMUTE(uint32_t, s->line, k, s->n, tmp);
    PERMUTE(uint32_t, s->file, k, s->n, tmp);
    free(k);
    free(tmp);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Release unused capacity of a column (the capacity grows by half). */
#define SHRINK(arr, n)                                                       \
    do {                                                                     \
        if ((arr) && (n)) {                                                  \
            void *p_ = realloc((arr), (n) * sizeof *(arr));                  \
            if (p_)                                                          \
                (arr) = p_;                                                  \
        }                                                                    \
    } while (0)

int ds_builder_finish(ds_builder_t *b, ds_corpus_t **out, ds_diag_t *diag,
                      ds_error_t *err)
{
    *out = NULL;
    if (b->any_error || diag->n_errors)
        return DS_EDATA;
    if (b->n_s == 0) {
        ds_diag_error(diag, NULL, 0, NULL, "no events in the input");
        return DS_EDATA;
    }
    ds_corpus_t *c = calloc(1, sizeof *c);
    if (!c)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    const ds_ingest_opts_t *o = &b->opts;
    int rc = DS_ENOMEM;

    /* qsort (glibc's merge sort) rather than gsl_heapsort: keys are unique,
     * so the order is the same, and it is several times faster on 40,000
     * sessions, a serial step of every parallel read */
    qsort(b->s, b->n_s, sizeof *b->s, cmp_session);
    if (o->sort && b->has_col[COL_TIME])
        for (size_t i = 0; i < b->n_s; i++)
            if (sort_session(&b->s[i]))
                goto fail;

    c->has_actor = b->has_col[COL_ACTOR];
    c->has_time = b->has_col[COL_TIME];
    c->has_duration = b->has_col[COL_DURATION];
    /* the codebook and actors are copied so the corpus stands alone */
    c->codebook = calloc(1, sizeof *c->codebook);
    if (!c->codebook)
        goto fail;
    const ds_codebook_t *cb = o->codebook;
    c->codebook->code = calloc(cb->n, sizeof(char *));
    c->codebook->description = calloc(cb->n, sizeof(char *));
    c->codebook->role = calloc(cb->n, sizeof(ds_role_t));
    if (!c->codebook->code || !c->codebook->description ||
        !c->codebook->role)
        goto fail;
    for (size_t i = 0; i < cb->n; i++) {
        c->codebook->code[i] = ds_strdup(cb->code[i]);
        c->codebook->description[i] = ds_strdup(cb->description[i]);
        c->codebook->role[i] = cb->role[i];
        c->codebook->n++;
        if (!c->codebook->code[i] || !c->codebook->description[i])
            goto fail;
    }
    c->actors = calloc(o->n_actors, sizeof *c->actors);
    if (!c->actors)
        goto fail;
    for (size_t i = 0; i < o->n_actors; i++) {
        if (!(c->actors[i] = ds_strdup(o->actors[i])))
            goto fail;
        c->n_actors++;
    }
    if (ds_corpus_make_states(c))
        goto fail;

    /* session labels */
    char **labels = malloc(b->n_s * sizeof *labels);
    if (!labels)
        goto fail;
    for (size_t i = 0; i < b->n_s; i++)
        labels[i] = b->s[i].label;
    qsort(labels, b->n_s, sizeof *labels, cmp_str);
    size_t nl = 0;
    for (size_t i = 0; i < b->n_s; i++)
        if (nl == 0 || strcmp(labels[nl - 1], labels[i]) != 0)
            labels[nl++] = labels[i];
    c->labels = calloc(nl, sizeof *c->labels);
    if (!c->labels) {
        free(labels);
        goto fail;
    }
    for (size_t i = 0; i < nl; i++) {
        if (!(c->labels[i] = ds_strdup(labels[i]))) {
            free(labels);
            goto fail;
        }
        c->n_labels++;
    }
    free(labels);

    c->sessions = calloc(b->n_s, sizeof *c->sessions);
    if (!c->sessions)
        goto fail;
    for (size_t i = 0; i < b->n_s; i++) {
        bsession_t *s = &b->s[i];
        ds_session_t *d = &c->sessions[i];
        SHRINK(s->onset, s->n);
        SHRINK(s->duration, s->n);
        SHRINK(s->state, s->n);
        SHRINK(s->line, s->n);
        SHRINK(s->file, s->n);
        d->couple = s->couple;
        d->label = s->label;
        d->n = s->n;
        d->onset = s->onset;
        d->duration = s->duration;
        d->state = s->state;
        d->line = s->line;
        d->file = s->file;
        for (size_t l = 0; l < c->n_labels; l++)
            if (strcmp(c->labels[l], s->label) == 0)
                d->label_index = l;
        memset(s, 0, sizeof *s);
        c->n_events += d->n;
        c->n_sessions++;
        if (d->n < 2)
            ds_diag_warning(diag, b->files[d->file[0]], d->line[0], NULL,
                            "session '%s'/'%s' has only %zu event; its "
                            "sequential statistics are NaN",
                            d->couple, d->label, d->n);
    }
    b->n_s = 0;
    c->files = b->files;
    c->sha256 = b->sha;
    c->n_files = b->n_files;
    b->files = NULL;
    b->sha = NULL;
    b->n_files = b->cap_files = 0;
    *out = c;
    return DS_OK;
fail:
    ds_corpus_free(c);
    return ds_error_set(err, rc, "out of memory");
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int push_path(char ***paths, size_t *n, size_t *cap, const char *p)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        char **np = realloc(*paths, c * sizeof *np);
        if (!np)
            return -1;
        *paths = np;
        *cap = c;
    }
    if (!((*paths)[*n] = ds_strdup(p)))
        return -1;
    (*n)++;
    return 0;
}

int ds_inputs_expand(const char *const *args, size_t n_args, char ***paths,
                     size_t *n_paths, ds_error_t *err)
{
    char **out = NULL;
    size_t n = 0, cap = 0;
    int rc = DS_OK;
    for (size_t a = 0; a < n_args; a++) {
        const char *arg = args[a];
        if (strcmp(arg, "-") == 0 || !is_dir(arg)) {
            if (strcmp(arg, "-") != 0 && access(arg, R_OK) != 0) {
                rc = ds_error_set(err, DS_EUSAGE, "cannot read input '%s': %s",
                                  arg, strerror(errno));
                goto fail;
            }
            if (push_path(&out, &n, &cap, arg))
                goto oom;
            continue;
        }
        DIR *d = opendir(arg);
        if (!d) {
            rc = ds_error_set(err, DS_EUSAGE, "cannot open directory '%s': %s",
                              arg, strerror(errno));
            goto fail;
        }
        size_t first = n;
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (l < 5 || e->d_name[0] == '.' ||
                strcasecmp(e->d_name + l - 4, ".csv") != 0)
                continue;
            size_t al = strlen(arg);
            char *full = malloc(al + l + 2);
            if (!full) {
                closedir(d);
                goto oom;
            }
            snprintf(full, al + l + 2, "%s%s%s", arg,
                     al && arg[al - 1] == '/' ? "" : "/", e->d_name);
            int bad = is_dir(full) || push_path(&out, &n, &cap, full);
            int was_dir = is_dir(full);
            free(full);
            if (bad && !was_dir) {
                closedir(d);
                goto oom;
            }
        }
        closedir(d);
        if (n == first) {
            rc = ds_error_set(err, DS_EUSAGE, "no *.csv files in directory "
                              "'%s'", arg);
            goto fail;
        }
        gsl_heapsort(out + first, n - first, sizeof *out, cmp_str);
    }
    *paths = out;
    *n_paths = n;
    return DS_OK;
oom:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory");
fail:
    ds_inputs_free(out, n);
    return rc;
}

void ds_inputs_free(char **paths, size_t n_paths)
{
    for (size_t i = 0; i < n_paths; i++)
        free(paths[i]);
    free(paths);
}

/* The one-thread reader: every file in turn through ds_ingest_file. */
static int load_serial(char **paths, size_t n, const ds_ingest_opts_t *opts,
                       ds_corpus_t **out, ds_diag_t *diag, ds_error_t *err)
{
    int rc = DS_OK;
    ds_builder_t *b = ds_builder_new(opts);
    if (!b)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int stdin_used = 0;
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        int is_stdin = strcmp(paths[i], "-") == 0;
        if (is_stdin && stdin_used++) {
            rc = ds_error_set(err, DS_EUSAGE, "'-' (standard input) given "
                              "more than once");
            break;
        }
        FILE *fp = is_stdin ? stdin : fopen(paths[i], "rb");
        if (!fp) {
            rc = ds_error_set(err, DS_EIO, "cannot open '%s': %s", paths[i],
                              strerror(errno));
            break;
        }
        rc = ds_ingest_file(b, fp, paths[i], diag, err);
        if (rc == DS_EDATA)
            rc = DS_OK; /* recorded in diag; go on to report the rest */
        if (!is_stdin)
            fclose(fp);
    }
    if (rc == DS_OK)
        rc = ds_builder_finish(b, out, diag, err);
    ds_builder_free(b);
    return rc;
}

/* ---- the parallel reader ----------------------------------------------- */

#define FALLBACK 1                       /* internal: use load_serial */
#define PIECE_BYTES ((size_t)1 << 20)    /* a task: about 25,000 rows */
#define ROUND_PIECES 4                   /* pieces per thread and round */

/* One input being read: its header's columns, digest and unread tail. */
typedef struct fstate {
    const char *name;
    size_t file;              /* index in the builder */
    FILE *fp;
    file_ctx_t hdr;           /* columns and header names of the file */
    ds_sha256_t hash;
    unsigned char *tail;      /* bytes after the last cut, for the next read */
    size_t tail_len;
    size_t base_line;         /* line on which the next piece starts */
    size_t n_rows;            /* data rows merged so far */
    int started, eof, done;
} fstate_t;

/* A task of a round: parse a piece, or hash a chunk (hash != NULL). */
typedef struct item {
    fstate_t *f;
    const unsigned char *data;
    size_t len;
    ds_sha256_t *hash;
    ds_builder_t *pb;         /* the piece's events */
    size_t end_line, n_rows;
    int rc;                   /* DS_OK, FALLBACK or a DS_E* code */
} item_t;

static void run_item(item_t *it, const ds_ingest_opts_t *opts)
{
    if (it->hash) {
        ds_sha256_update(it->hash, it->data, it->len);
        return;
    }
    ds_error_t err;
    ds_diag_t d;
    ds_diag_init(&d, 1);
    size_t file;
    it->pb = ds_builder_new(opts);
    if (!it->pb || builder_add_file(it->pb, it->f->name, &file, &err)) {
        it->rc = DS_ENOMEM;
        ds_diag_free(&d);
        return;
    }
    file_ctx_t c = it->f->hdr;
    c.b = it->pb;
    c.file = file;
    c.diag = &d;
    c.n_rows = 0;
    c.prev = NO_FILE;
    c.key = NULL;
    c.key_cap = 0;
    /* lines are counted from 1 here and shifted when merged; row indices
     * from 1 so that no row is taken for a header */
    int rc = ds_csv_read_block(it->data, it->len, it->f->name, 1, 1, on_row,
                               &c, &it->end_line, &d, &err);
    free(c.key);
    it->n_rows = c.n_rows;
    if (rc == DS_ENOMEM || d.oom)
        it->rc = DS_ENOMEM;
    else if (rc || d.n_errors || d.n_warnings)
        it->rc = FALLBACK;
    ds_diag_free(&d);
}

/* Append the events of piece session p to session s of the same study,
 * lines shifted by `shift`, all from file `file`. */
static int append_events(bsession_t *s, const bsession_t *p, size_t shift,
                         size_t file, int has_time, int has_dur)
{
    size_t n = s->n + p->n;
#define APPEND(field)                                                        \
    do {                                                                     \
        void *q_ = realloc(s->field, n * sizeof *s->field);                  \
        if (!q_)                                                             \
            return -1;                                                       \
        s->field = q_;                                                       \
        memcpy(s->field + s->n, p->field, p->n * sizeof *s->field);          \
    } while (0)
    APPEND(state);
    APPEND(line);
    APPEND(file);
    if (has_time)
        APPEND(onset);
    if (has_dur)
        APPEND(duration);
#undef APPEND
    for (size_t i = s->n; i < n; i++) {
        s->line[i] += (uint32_t)shift;
        s->file[i] = (uint32_t)file;
    }
    s->n = s->cap = n;
    return 0;
}

/* Merge a parsed piece into b in order. FALLBACK when the one-thread
 * reader would have reported something at the seam (a session also in an
 * earlier file, time going backwards across pieces). */
static int merge_piece(ds_builder_t *b, item_t *it, char **key,
                       size_t *key_cap)
{
    fstate_t *f = it->f;
    ds_builder_t *pb = it->pb;
    size_t shift = f->base_line - 1;
    int has_time = b->has_col[COL_TIME], has_dur = b->has_col[COL_DURATION];
    if (f->base_line + it->end_line > UINT32_MAX)
        return FALLBACK;
    for (size_t i = 0; i < pb->n_s; i++) {
        bsession_t *p = &pb->s[i];
        size_t kl = p->couple_len + p->label_len + 1;
        if (kl + 1 > *key_cap) {
            char *k = realloc(*key, kl + 1);
            if (!k)
                return DS_ENOMEM;
            *key = k;
            *key_cap = kl + 1;
        }
        memcpy(*key, p->couple, p->couple_len);
        (*key)[p->couple_len] = '\x1f';
        memcpy(*key + p->couple_len + 1, p->label, p->label_len);
        size_t idx = ds_strmap_get(b->map, *key, kl);
        if (idx == (size_t)-1) {
            if (b->n_s == b->cap_s) {
                size_t cap = b->cap_s ? 2 * b->cap_s : 64;
                bsession_t *ns = realloc(b->s, cap * sizeof *ns);
                if (!ns)
                    return DS_ENOMEM;
                b->s = ns;
                b->cap_s = cap;
            }
            if (ds_strmap_put(b->map, *key, kl, b->n_s))
                return DS_ENOMEM;
            bsession_t *s = &b->s[b->n_s++];
            *s = *p; /* the arrays move over */
            memset(p, 0, sizeof *p);
            bsession_shrink(s);
            for (size_t e = 0; e < s->n; e++) {
                s->line[e] += (uint32_t)shift;
                s->file[e] = (uint32_t)f->file;
            }
            s->first_file = s->last_file = f->file;
            s->first_line += shift;
            s->dup_reported = NO_FILE;
            continue;
        }
        bsession_t *s = &b->s[idx];
        if (s->last_file != f->file && !b->opts.merge)
            return FALLBACK; /* "session also appears in ..." */
        if (has_time && !b->opts.sort && s->n && p->n &&
            p->onset[0] < s->onset[s->n - 1])
            return FALLBACK; /* "time goes backwards" */
        if (append_events(s, p, shift, f->file, has_time, has_dur))
            return DS_ENOMEM;
        s->last_file = f->file;
    }
    f->base_line += it->end_line - 1;
    f->n_rows += it->n_rows;
    return DS_OK;
}

static void fstate_close(fstate_t *f)
{
    if (f->fp)
        fclose(f->fp);
    f->fp = NULL;
    for (size_t i = 0; i < f->hdr.n_header; i++)
        free(f->hdr.header ? f->hdr.header[i] : NULL);
    free(f->hdr.header);
    f->hdr.header = NULL;
    f->hdr.n_header = 0;
    free(f->hdr.key);
    f->hdr.key = NULL;
    free(f->tail);
    f->tail = NULL;
}

/* Read the next chunk of f (at most `want` new bytes) and cut it into
 * items. *buf receives the chunk (freed after the round). FALLBACK for
 * anything the one-thread reader must judge. */
static int read_chunk(ds_builder_t *b, fstate_t *f, size_t want,
                      size_t piece, unsigned char **buf, item_t *items,
                      size_t *n_items, size_t max_items, size_t *n_read,
                      ds_diag_t *hdiag, ds_error_t *err)
{
    unsigned char *p = malloc(f->tail_len + want + 1);
    if (!p)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    *buf = p;
    if (f->tail_len)
        memcpy(p, f->tail, f->tail_len);
    size_t n = fread(p + f->tail_len, 1, want, f->fp);
    if (ferror(f->fp))
        return FALLBACK; /* the one-thread reader words the read error */
    f->eof = n < want;
    *n_read = n;
    if (n) {
        item_t *h = &items[(*n_items)++];
        memset(h, 0, sizeof *h);
        h->f = f;
        h->data = p + f->tail_len;
        h->len = n;
        h->hash = &f->hash;
    }
    size_t len = f->tail_len + n, pos = 0;
    free(f->tail);
    f->tail = NULL;
    f->tail_len = 0;
    if (!f->started) {
        f->started = 1;
        if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            pos = 3;
        if (len == pos || ds_csv_looks_binary(p + pos, len - pos))
            return FALLBACK;
        unsigned char *nl = memchr(p + pos, '\n', len - pos);
        if (!nl || memchr(p + pos, '"', (size_t)(nl - p) - pos))
            return FALLBACK;
        size_t hl = (size_t)(nl - p) + 1 - pos, end_line;
        f->hdr.diag = hdiag;
        size_t errors = hdiag->n_errors;
        int rc = ds_csv_read_block(p + pos, hl, f->name, 1, 0, on_row,
                                   &f->hdr, &end_line, hdiag, err);
        if (rc == DS_ENOMEM)
            return rc;
        if (rc || f->hdr.header_bad || hdiag->n_errors > errors ||
            f->hdr.n_header == 0)
            return FALLBACK;
        f->base_line = end_line;
        pos += hl;
    }
    if (memchr(p + pos, '"', len - pos))
        return FALLBACK; /* quoted fields may hold line feeds */
    size_t end = len;
    if (!f->eof) {
        unsigned char *nl = memrchr(p + pos, '\n', len - pos);
        if (!nl)
            return FALLBACK; /* a line longer than a chunk */
        end = (size_t)(nl - p) + 1;
        f->tail_len = len - end;
        if (f->tail_len) {
            if (!(f->tail = malloc(f->tail_len)))
                return ds_error_set(err, DS_ENOMEM, "out of memory");
            memcpy(f->tail, p + end, f->tail_len);
        }
    }
    while (pos < end) {
        size_t e = pos + piece < end ? pos + piece : end;
        if (e < end) {
            unsigned char *nl = memchr(p + e, '\n', end - e);
            e = nl ? (size_t)(nl - p) + 1 : end;
        }
        if (*n_items == max_items)
            return FALLBACK; /* cannot happen: items are sized for it */
        item_t *it = &items[(*n_items)++];
        memset(it, 0, sizeof *it);
        it->f = f;
        it->data = p + pos;
        it->len = e - pos;
        pos = e;
    }
    (void)b;
    return DS_OK;
}

/* The work of one round: its tasks, the chunks they point into, and the
 * files whose last chunk it holds (finished when it is merged). */
typedef struct round {
    item_t *items;
    size_t n_items, max_items;
    unsigned char **bufs;
    size_t n_bufs, max_bufs;
    size_t files_from, files_to; /* fs[files_from, files_to) end here */
} round_t;

typedef struct loader {
    ds_builder_t *b;
    char **paths;
    size_t n, next;              /* next file to start reading */
    fstate_t *fs;
    size_t piece, round_bytes, ramp;
    ds_diag_t hdiag;             /* header warnings, replayed at the end */
    char *key;
    size_t key_cap;
} loader_t;

static void round_clear(round_t *r)
{
    for (size_t i = 0; i < r->n_items; i++)
        ds_builder_free(r->items[i].pb);
    for (size_t i = 0; i < r->n_bufs; i++)
        free(r->bufs[i]);
    r->n_items = r->n_bufs = 0;
}

/* Read the next round: about round_bytes from the files in order (several
 * small files, or one chunk of a large one), cut into items. An empty
 * round when every file has been read. */
static int gather(loader_t *L, round_t *r, ds_error_t *err)
{
    size_t got = 0;
    /* the first rounds are small, so the threads start early: one piece a
     * thread, then twice as much each round up to round_bytes */
    size_t limit = L->ramp < L->round_bytes ? L->ramp : L->round_bytes;
    if (L->ramp < L->round_bytes)
        L->ramp *= 2;
    r->files_from = r->files_to = L->next;
    while (L->next < L->n && got < limit &&
           r->n_items + 8 < r->max_items && r->n_bufs < r->max_bufs) {
        fstate_t *f = &L->fs[L->next];
        int rc;
        if (!f->fp) {
            f->name = L->paths[L->next];
            if (!(f->fp = fopen(f->name, "rb")))
                return FALLBACK; /* the one-thread reader says why */
            if ((rc = builder_add_file(L->b, f->name, &f->file, err)))
                return rc;
            f->hdr = (file_ctx_t){.b = L->b, .name = f->name,
                                  .file = f->file, .prev = NO_FILE};
            for (int k = 0; k < N_COLS; k++)
                f->hdr.col[k] = -1;
            ds_sha256_init(&f->hash);
        }
        size_t want = limit - got, got_now = 0;
        if (want < L->piece)
            want = L->piece;
        rc = read_chunk(L->b, f, want, L->piece, &r->bufs[r->n_bufs++],
                        r->items,
                        &r->n_items, r->max_items, &got_now, &L->hdiag, err);
        if (rc)
            return rc;
        got += got_now;
        if (!f->eof)
            break; /* a large file: one chunk per round */
        r->files_to = ++L->next;
    }
    return DS_OK;
}

/* Merge a parsed round in order and finish the files that end in it. */
static int merge_round(loader_t *L, round_t *r, ds_error_t *err)
{
    int rc = DS_OK;
    for (size_t i = 0; i < r->n_items && rc == DS_OK; i++) {
        if (r->items[i].hash)
            continue;
        rc = r->items[i].rc;
        if (rc == DS_ENOMEM)
            ds_error_set(err, rc, "out of memory");
        if (rc == DS_OK)
            rc = merge_piece(L->b, &r->items[i], &L->key, &L->key_cap);
    }
    for (size_t i = r->files_from; rc == DS_OK && i < r->files_to; i++) {
        fstate_t *f = &L->fs[i];
        if (f->n_rows == 0) {
            rc = FALLBACK; /* "no data rows (header only)" */
            break;
        }
        ds_sha256_final_hex(&f->hash, L->b->sha[f->file]);
        fstate_close(f);
        f->done = 1;
    }
    round_clear(r);
    return rc;
}

/*
 * A pipeline of rounds: while the tasks of round k parse its pieces and
 * hash its chunks on all threads, this thread merges round k - 1 in order
 * and reads and cuts round k + 1, then helps with what is left of round k
 * (the end of the taskgroup). Rounds are about ROUND_PIECES x threads MiB,
 * pieces about PIECE_BYTES. Returns FALLBACK for the one-thread reader to
 * start again.
 */
static int load_parallel(char **paths, size_t n, const ds_ingest_opts_t *opts,
                         int threads, ds_corpus_t **out, ds_diag_t *diag,
                         ds_error_t *err)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(paths[i], "-") == 0)
            return FALLBACK; /* standard input cannot be read twice */
    if (opts->n_actors * opts->codebook->n > 65535)
        return FALLBACK;
    int rc = DS_OK;
    loader_t L = {.paths = paths, .n = n};
    L.piece = PIECE_BYTES;
    const char *env = getenv("DYADSEQ_PIECE_BYTES"); /* testing only */
    if (env && atol(env) >= 64)
        L.piece = (size_t)atol(env);
    L.round_bytes = (size_t)threads * ROUND_PIECES * L.piece;
    L.ramp = (size_t)threads * L.piece;
    round_t R[3];
    memset(R, 0, sizeof R);
    ds_diag_init(&L.hdiag, 50);
    L.b = ds_builder_new(opts);
    L.fs = calloc(n ? n : 1, sizeof *L.fs);
    int ok = L.b && L.fs;
    for (int k = 0; k < 3; k++) {
        R[k].max_items = 2 * (L.round_bytes / L.piece + 2) + 2 * n + 8;
        R[k].max_bufs = n + 2;
        R[k].items = calloc(R[k].max_items, sizeof *R[k].items);
        R[k].bufs = calloc(R[k].max_bufs, sizeof *R[k].bufs);
        ok = ok && R[k].items && R[k].bufs;
    }
    if (!ok) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    rc = gather(&L, &R[0], err);
#pragma omp parallel num_threads(threads)
#pragma omp single
    for (size_t k = 0; rc == DS_OK; k++) {
        round_t *cur = &R[k % 3], *prev = k ? &R[(k + 2) % 3] : NULL,
                *nxt = &R[(k + 1) % 3];
        if (cur->n_items == 0 && cur->files_to == cur->files_from) {
            if (prev) /* the last round */
                rc = merge_round(&L, prev, err);
            break;
        }
        int rc2 = DS_OK;
#pragma omp taskgroup
        {
            for (size_t i = 0; i < cur->n_items; i++) {
                item_t *it = &cur->items[i];
#pragma omp task firstprivate(it)
                run_item(it, opts);
            }
            if (prev)
                rc2 = merge_round(&L, prev, err);
            if (rc2 == DS_OK)
                rc2 = gather(&L, nxt, err);
        }
        rc = rc2;
    }
    if (rc)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (!L.fs[i].done) { /* never a silent loss of input */
            rc = ds_error_set(err, DS_EIO, "%s: not read to its end",
                              paths[i]);
            goto done;
        }
    if (L.hdiag.n_warnings > L.hdiag.n_warnings_kept || L.hdiag.oom) {
        rc = FALLBACK;
        goto done;
    }
    for (size_t i = 0; i < L.hdiag.n_warnings_kept; i++)
        ds_diag_warning(diag, NULL, 0, NULL, "%s", L.hdiag.warnings[i]);
    rc = ds_builder_finish(L.b, out, diag, err);
done:
    if (rc == FALLBACK && err)
        err->code = 0;
    for (int k = 0; k < 3; k++) {
        round_clear(&R[k]);
        free(R[k].items);
        free(R[k].bufs);
    }
    for (size_t i = 0; L.fs && i < n; i++)
        fstate_close(&L.fs[i]);
    free(L.fs);
    free(L.key);
    ds_builder_free(L.b);
    ds_diag_free(&L.hdiag);
    return rc;
}

int ds_corpus_load(const char *const *args, size_t n_args,
                   const ds_ingest_opts_t *opts, ds_corpus_t **out,
                   ds_diag_t *diag, ds_error_t *err)
{
    char **paths = NULL;
    size_t n = 0;
    *out = NULL;
    int rc = ds_inputs_expand(args, n_args, &paths, &n, err);
    if (rc)
        return rc;
    int threads = opts->threads;
#ifdef _OPENMP
    if (threads <= 0)
        threads = omp_get_max_threads();
#else
    threads = 1;
#endif
    rc = FALLBACK;
    if (threads > 1)
        rc = load_parallel(paths, n, opts, threads, out, diag, err);
    if (rc == FALLBACK)
        rc = load_serial(paths, n, opts, out, diag, err);
    ds_inputs_free(paths, n);
    return rc;
}
