/*
 * csvread.c — streaming CSV rows with line numbers, on libcsv.
 *
 * libcsv reports fields and row ends but not positions. The input is fed
 * to csv_parse() in whole 1 MiB buffers with CSV_REPALL_NL, which makes
 * libcsv report every carriage return and line feed outside a quoted
 * field as a row end (an empty "row" for a blank line or the LF of a
 * CRLF). The physical line is then counted exactly without looking at
 * the bytes again: one per row ended by a line feed, plus the line feeds
 * inside quoted fields, which can only exist once a quote character has
 * been seen in the file (so fields are searched for them only then). A
 * row starts on the line current when its first field arrives, so a
 * quoted field spanning lines keeps the line of its row's start, as a
 * user reading the file in an editor expects.
 *
 * Feeding whole buffers rather than one line at a time (as the first
 * version did, to read libcsv's state at each line start) halves the
 * reader's own cost: no memchr and no csv_parse call per line.
 *
 * Each buffer is also checked once for bytes that are not ASCII or are
 * NUL (a fast word-at-a-time pass); rows made only of clean buffers are
 * flagged so callers can skip their per-field UTF-8 and NUL checks.
 */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define CHUNK (1u << 20)
#define SLICE (1u << 16) /* libcsv is fed this much at a time, so a field
                            has grown at most this much past the limit
                            when the reader looks */
#define SNIFF 1024
#define BLOCK 4096 /* libcsv's field buffer grows by this (its own: 128) */
#define OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL)

typedef struct reader {
    ds_csv_row_t row;
    size_t cap_fields;
    char *arena;        /* field bytes of the current row, NUL separated */
    size_t arena_len, arena_cap;
    size_t *offset;     /* offset of each field in arena */
    size_t line;        /* current physical line */
    size_t row_line;    /* line on which the current row started */
    size_t n_rows;
    int quoted;         /* a quote character has been seen: fields may
                           hold line feeds */
    int buf_clean;      /* the current buffer is ASCII without NUL */
    int row_clean;      /* so is every buffer the current row touched */
    ds_csv_row_fn fn;
    void *ctx;
    int stop;           /* >0 stop quietly, <0 error code */
    int oom;
    int header;         /* the first row names the columns */
    char **names;       /* the header's fields, for messages */
    size_t n_names;
    int overlong;       /* a field longer than DS_CSV_FIELD_MAX: stop */
    size_t over_line, over_field;
} reader_t;

static int grow_fields(reader_t *r)
{
    size_t cap = r->cap_fields ? 2 * r->cap_fields : 16;
    size_t *off = realloc(r->offset, cap * sizeof *off);
    if (off)
        r->offset = off;
    size_t *len_ = off ? realloc(r->row.len, cap * sizeof *len_) : NULL;
    if (len_)
        r->row.len = len_;
    char **f = len_ ? realloc(r->row.field, cap * sizeof *f) : NULL;
    if (!f)
        return -1;
    r->row.field = f;
    r->cap_fields = cap;
    return 0;
}

static int grow_arena(reader_t *r, size_t need)
{
    size_t cap = r->arena_cap ? r->arena_cap : 256;
    while (cap < need)
        cap *= 2;
    char *a = realloc(r->arena, cap);
    if (!a)
        return -1;
    r->arena = a;
    r->arena_cap = cap;
    return 0;
}

/* Line feeds in n bytes. */
static size_t count_lf(const char *s, size_t n)
{
    size_t k = 0;
    const char *p;
    while (n && (p = memchr(s, '\n', n))) {
        k++;
        n -= (size_t)(p + 1 - s);
        s = p + 1;
    }
    return k;
}

/* Field k of the current row (the one being read when k == row.n) is
 * longer than the limit: remember where, take no more rows. */
static void mark_overlong(reader_t *r, size_t k)
{
    r->overlong = 1;
    r->over_line = r->row.n ? r->row_line : r->line;
    r->over_field = k;
}

/* Append a field of len bytes to the row, NUL-terminated in the arena
 * (room for both made by the caller); where it went. */
static inline char *store_field(reader_t *r, const void *data, size_t len)
{
    char *dst = r->arena + r->arena_len;
    ds_short_copy(dst, data, len);
    dst[len] = '\0';
    r->offset[r->row.n] = r->arena_len;
    r->row.len[r->row.n] = len;
    r->row.n++;
    r->arena_len += len + 1;
    return dst;
}

static void on_field_slow(void *data, size_t len, reader_t *r);

/* A field of the current row into the arena. The common case inline, a
 * short field with room for it (the row's first one notes its line);
 * the rest (growing, quoted data, the checks) on the slow path. */
static void on_field(void *data, size_t len, void *vr)
{
    reader_t *r = vr;
    if ((r->stop | r->oom | r->overlong | r->quoted) == 0 &&
        r->row.n < r->cap_fields && len <= DS_CSV_FIELD_MAX &&
        r->arena_len + len + 1 <= r->arena_cap) {
        if (r->row.n == 0)
            r->row_line = r->line;
        store_field(r, data, len);
    } else {
        on_field_slow(data, len, r);
    }
}

__attribute__((noinline)) static void on_field_slow(void *data, size_t len,
                                                    reader_t *r)
{
    if (r->stop || r->oom || r->overlong)
        return;
    if (r->row.n == 0)
        r->row_line = r->line;
    if (len > DS_CSV_FIELD_MAX) {
        mark_overlong(r, r->row.n);
        return;
    }
    if ((r->row.n == r->cap_fields && grow_fields(r)) ||
        (r->arena_len + len + 1 > r->arena_cap &&
         grow_arena(r, r->arena_len + len + 1))) {
        r->oom = 1;
        return;
    }
    char *dst = store_field(r, data, len);
    if (r->quoted)
        r->line += count_lf(dst, len);
}

/* A copy of the header's fields (the current row), for messages. */
static int keep_names(reader_t *r)
{
    if (!(r->names = calloc(r->row.n, sizeof *r->names)))
        return 0;
    for (size_t i = 0; i < r->row.n; i++)
        if (!(r->names[r->n_names++] = ds_strdup(r->row.field[i])))
            return 0;
    return 1;
}

/* Report the field longer than DS_CSV_FIELD_MAX; DS_EDATA. */
static int report_overlong(const reader_t *r, const char *name,
                           ds_diag_t *diag)
{
    size_t k = r->over_field;
    if (k < r->n_names) {
        char col[80];
        ds_excerpt(col, r->names[k], 60);
        ds_diag_error(diag, name, r->over_line, col,
                      "field longer than %d bytes", DS_CSV_FIELD_MAX);
    } else {
        ds_diag_error(diag, name, r->over_line, NULL,
                      "%sfield %zu longer than %d bytes",
                      r->header && r->n_rows == 0 ? "header " : "", k + 1,
                      DS_CSV_FIELD_MAX);
    }
    return DS_EDATA;
}

static void on_row(int term, void *vr)
{
    reader_t *r = vr;
    if (term == '\n')
        r->line++;
    if (r->row.n == 0) /* a blank line, or the LF of a CRLF */
        return;
    if (r->stop || r->oom || r->overlong) {
        r->row.n = 0;
        r->arena_len = 0;
        return;
    }
    for (size_t i = 0; i < r->row.n; i++)
        r->row.field[i] = r->arena + r->offset[i];
    if (r->header && r->n_rows == 0 && !keep_names(r)) {
        r->oom = 1;
        return;
    }
    r->row.line = r->row_line;
    r->row.index = r->n_rows++;
    r->row.clean = r->row_clean;
    int rc = r->fn(&r->row, r->ctx);
    if (rc)
        r->stop = rc;
    r->row.n = 0;
    r->arena_len = 0;
    r->row_clean = r->buf_clean; /* the next row starts in this buffer */
}

/* A file is binary if it starts with a known binary signature or if more
 * than 10% of its first bytes are control characters other than TAB, CR
 * and LF. A lone NUL byte in a text file is left for the field checks,
 * which can say where it is. */
int ds_csv_looks_binary(const void *buf, size_t n)
{
    const unsigned char *b = buf;
    static const struct {
        const char *magic;
        size_t len;
    } sig[] = {{"\x89HDF", 4}, {"\x1f\x8b", 2},    {"PK\x03\x04", 4},
               {"\x89PNG", 4}, {"%PDF", 4},        {"\x7f" "ELF", 4},
               {"\xd0\xcf\x11\xe0", 4}};
    for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++)
        if (n >= sig[i].len && memcmp(b, sig[i].magic, sig[i].len) == 0)
            return 1;
    size_t m = n < SNIFF ? n : SNIFF, ctl = 0;
    for (size_t i = 0; i < m; i++)
        if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') ||
            b[i] == 0x7F)
            ctl++;
    return m > 0 && ctl * 10 > m;
}

int ds_csv_clean(const void *buf, size_t n)
{
    const unsigned char *b = buf;
    if (memchr(b, '\0', n))
        return 0;
    uint64_t acc = 0, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, b + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= b[i];
    return (acc & UINT64_C(0x8080808080808080)) == 0;
}

static void reader_init(reader_t *r, ds_csv_row_fn fn, void *ctx,
                        size_t first_line, size_t first_index, int header)
{
    memset(r, 0, sizeof *r);
    r->fn = fn;
    r->ctx = ctx;
    r->line = first_line;
    r->n_rows = first_index;
    r->row_clean = 1;
    r->header = header && first_index == 0;
}

static void reader_clear(reader_t *r)
{
    for (size_t i = 0; i < r->n_names; i++)
        free(r->names[i]);
    free(r->names);
    free(r->arena);
    free(r->offset);
    free(r->row.len);
    free(r->row.field);
}

/* Feed one buffer. Returns DS_OK, a negative code (err or diag set), or 1
 * when the row callback asked to stop. */
static int reader_feed(reader_t *r, struct csv_parser *p,
                       const unsigned char *buf, size_t len,
                       const char *name, ds_diag_t *diag, ds_error_t *err)
{
    r->buf_clean = ds_csv_clean(buf, len);
    r->row_clean &= r->buf_clean;
    if (!r->quoted && memchr(buf, '"', len))
        r->quoted = 1;
    size_t used = 0;
    while (used < len) {
        size_t n = len - used < SLICE ? len - used : SLICE;
        size_t u = csv_parse(p, buf + used, n, on_field, on_row, r);
        used += u;
        if (u != n || r->oom || r->stop || r->overlong)
            break;
        if (p->entry_pos > DS_CSV_FIELD_MAX) /* a field still growing */
            mark_overlong(r, r->row.n);
    }
    if (r->oom)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (r->overlong)
        return report_overlong(r, name, diag);
    if (r->stop)
        return 1;
    if (used != len) {
        if (csv_error(p) == CSV_EPARSE) {
            /* the line of the offending byte: lines so far, plus the line
             * feeds in the unfinished field */
            size_t line = r->line +
                          count_lf((const char *)p->entry_buf, p->entry_pos);
            ds_diag_error(diag, name, line, NULL,
                          "malformed CSV: a quote inside an unquoted "
                          "field, or text after a closing quote");
            return DS_EDATA;
        }
        return ds_error_set(err, DS_ENOMEM, "%s: %s", name,
                            csv_strerror(csv_error(p)));
    }
    return DS_OK;
}

/* End of input: the last row if unterminated. As reader_feed. */
static int reader_fini(reader_t *r, struct csv_parser *p, const char *name,
                       ds_diag_t *diag, ds_error_t *err)
{
    /* a row with no field yet starts on the current line */
    size_t start = r->row.n ? r->row_line : r->line;
    if (csv_fini(p, on_field, on_row, r) != 0) {
        ds_diag_error(diag, name, start, NULL,
                      "malformed CSV: a quoted field is never closed");
        return DS_EDATA;
    }
    if (r->oom)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (r->overlong)
        return report_overlong(r, name, diag);
    return r->stop ? 1 : DS_OK;
}

int ds_csv_read(FILE *fp, const char *name, ds_csv_row_fn fn, void *ctx,
                ds_diag_t *diag, ds_sha256_t *hash, ds_error_t *err)
{
    return ds_csv_read_delim(fp, name, ',', 1, fn, ctx, diag, hash, err);
}

int ds_csv_read_delim(FILE *fp, const char *name, unsigned char delim,
                      int header, ds_csv_row_fn fn, void *ctx,
                      ds_diag_t *diag, ds_sha256_t *hash, ds_error_t *err)
{
    int rc = DS_OK;
    struct csv_parser p;
    reader_t r;
    reader_init(&r, fn, ctx, 1, 0, header);
    unsigned char *buf = malloc(CHUNK);
    if (!buf || csv_init(&p, OPTIONS)) {
        free(buf);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    csv_set_delim(&p, delim);
    csv_set_blk_size(&p, BLOCK);
    int first = 1;
    size_t total = 0;
    for (;;) {
        size_t len = fread(buf, 1, CHUNK, fp);
        if (len == 0) {
            if (ferror(fp)) {
                rc = ds_error_set(err, DS_EIO, "%s: read error: %s", name,
                                  strerror(errno));
                goto done;
            }
            break;
        }
        if (hash)
            ds_sha256_update(hash, buf, len);
        size_t pos = 0;
        if (first) {
            first = 0;
            if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
                pos = 3;
            if (ds_csv_looks_binary(buf + pos, len - pos)) {
                ds_diag_error(diag, name, 0, NULL,
                              "not a CSV text file (binary data)");
                rc = DS_EDATA;
                goto done;
            }
        }
        total += len - pos;
        rc = reader_feed(&r, &p, buf + pos, len - pos, name, diag, err);
        if (rc == 1)
            goto stopped;
        if (rc)
            goto done;
    }
    rc = reader_fini(&r, &p, name, diag, err);
    if (rc < 0)
        goto done;
stopped:
    rc = DS_OK;
    if (r.stop < 0) {
        rc = r.stop;
        goto done;
    }
    if (r.stop == 0 && r.n_rows == 0) {
        ds_diag_error(diag, name, 0, NULL, "%s",
                      total == 0 ? "empty file" : "no CSV rows in file");
        rc = DS_EDATA;
    }
done:
    csv_free(&p);
    free(buf);
    reader_clear(&r);
    return rc;
}

int ds_csv_read_block(const void *buf, size_t len, const char *name,
                      size_t first_line, size_t first_index, ds_csv_row_fn fn,
                      void *ctx, size_t *end_line, ds_diag_t *diag,
                      ds_error_t *err)
{
    struct csv_parser p;
    reader_t r;
    reader_init(&r, fn, ctx, first_line, first_index, 1);
    if (csv_init(&p, OPTIONS))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    csv_set_blk_size(&p, BLOCK);
    int rc = reader_feed(&r, &p, buf, len, name, diag, err);
    if (rc == DS_OK)
        rc = reader_fini(&r, &p, name, diag, err);
    if (rc == 1)
        rc = r.stop < 0 ? r.stop : DS_OK;
    if (end_line)
        *end_line = r.line;
    csv_free(&p);
    reader_clear(&r);
    return rc;
}

int ds_csv_write_field(FILE *fp, const char *s)
{
    size_t n = strlen(s);
    if (strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' ')))
        return csv_fwrite(fp, s, n) == 0 ? 0 : -1;
    return fwrite(s, 1, n, fp) == n ? 0 : -1;
}
