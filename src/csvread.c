/*
 * csvread.c — streaming CSV rows with line numbers, on libcsv.
 *
 * libcsv reports fields and row ends but not positions. To report the line
 * on which a row starts, the input is fed to csv_parse() one physical line
 * at a time; a row starts on a line if, when that line begins, the parser
 * is between rows (its public `pstate` field is 0, ROW_NOT_BEGUN in
 * libcsv 3). A quoted field spanning lines therefore keeps the line of its
 * row's start, as a user reading the file in an editor expects.
 */
#include "dyadseq/csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1u << 20)
#define SNIFF 1024

typedef struct reader {
    ds_csv_row_t row;
    size_t cap_fields;
    char *arena;        /* field bytes of the current row, NUL separated */
    size_t arena_len, arena_cap;
    size_t *offset;     /* offset of each field in arena */
    size_t line;        /* current physical line */
    size_t row_line;    /* line on which the current row started */
    size_t n_rows;
    ds_csv_row_fn fn;
    void *ctx;
    int stop;           /* >0 stop quietly, <0 error code */
    int oom;
} reader_t;

static void on_field(void *data, size_t len, void *vr)
{
    reader_t *r = vr;
    if (r->stop || r->oom)
        return;
    if (r->row.n == r->cap_fields) {
        size_t cap = r->cap_fields ? 2 * r->cap_fields : 16;
        size_t *off = realloc(r->offset, cap * sizeof *off);
        size_t *len_ = off ? realloc(r->row.len, cap * sizeof *len_) : NULL;
        char **f = len_ ? realloc(r->row.field, cap * sizeof *f) : NULL;
        if (off)
            r->offset = off;
        if (len_)
            r->row.len = len_;
        if (!f) {
            r->oom = 1;
            return;
        }
        r->row.field = f;
        r->cap_fields = cap;
    }
    if (r->arena_len + len + 1 > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap : 256;
        while (cap < r->arena_len + len + 1)
            cap *= 2;
        char *a = realloc(r->arena, cap);
        if (!a) {
            r->oom = 1;
            return;
        }
        r->arena = a;
        r->arena_cap = cap;
    }
    if (len)
        memcpy(r->arena + r->arena_len, data, len);
    r->arena[r->arena_len + len] = '\0';
    r->offset[r->row.n] = r->arena_len;
    r->row.len[r->row.n] = len;
    r->row.n++;
    r->arena_len += len + 1;
}

static void on_row(int term, void *vr)
{
    (void)term;
    reader_t *r = vr;
    if (r->stop || r->oom) {
        r->row.n = 0;
        r->arena_len = 0;
        return;
    }
    for (size_t i = 0; i < r->row.n; i++)
        r->row.field[i] = r->arena + r->offset[i];
    r->row.line = r->row_line;
    r->row.index = r->n_rows++;
    int rc = r->fn(&r->row, r->ctx);
    if (rc)
        r->stop = rc;
    r->row.n = 0;
    r->arena_len = 0;
}

/* A file is binary if it starts with a known binary signature or if more
 * than 10% of its first bytes are control characters other than TAB, CR
 * and LF. A lone NUL byte in a text file is left for the field checks,
 * which can say where it is. */
static int looks_binary(const unsigned char *b, size_t n)
{
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

int ds_csv_read(FILE *fp, const char *name, ds_csv_row_fn fn, void *ctx,
                ds_diag_t *diag, ds_sha256_t *hash, ds_error_t *err)
{
    int rc = DS_OK;
    struct csv_parser p;
    reader_t r;
    memset(&r, 0, sizeof r);
    r.fn = fn;
    r.ctx = ctx;
    r.line = 1;
    unsigned char *buf = malloc(CHUNK);
    if (!buf || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        free(buf);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    int first = 1, at_line_start = 1;
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
            if (looks_binary(buf + pos, len - pos)) {
                ds_diag_error(diag, name, 0, NULL,
                              "not a CSV text file (binary data)");
                rc = DS_EDATA;
                goto done;
            }
        }
        total += len - pos;
        while (pos < len) {
            unsigned char *nl = memchr(buf + pos, '\n', len - pos);
            size_t end = nl ? (size_t)(nl - buf) + 1 : len;
            if (at_line_start && p.pstate == 0)
                r.row_line = r.line;
            size_t used = csv_parse(&p, buf + pos, end - pos, on_field,
                                    on_row, &r);
            if (r.oom) {
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
                goto done;
            }
            if (r.stop)
                goto stopped;
            if (used != end - pos) {
                if (csv_error(&p) == CSV_EPARSE) {
                    ds_diag_error(diag, name, r.line, NULL,
                                  "malformed CSV: a quote inside an unquoted "
                                  "field, or text after a closing quote");
                    rc = DS_EDATA;
                } else {
                    rc = ds_error_set(err, DS_ENOMEM, "%s: %s", name,
                                      csv_strerror(csv_error(&p)));
                }
                goto done;
            }
            pos = end;
            if (nl) {
                r.line++;
                at_line_start = 1;
            } else {
                at_line_start = 0;
            }
        }
    }
    if (csv_fini(&p, on_field, on_row, &r) != 0) {
        ds_diag_error(diag, name, r.row_line, NULL,
                      "malformed CSV: a quoted field is never closed");
        rc = DS_EDATA;
        goto done;
    }
    if (r.oom) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
stopped:
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
    free(r.arena);
    free(r.offset);
    free(r.row.len);
    free(r.row.field);
    return rc;
}

int ds_csv_write_field(FILE *fp, const char *s)
{
    size_t n = strlen(s);
    if (strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' ')))
        return csv_fwrite(fp, s, n) == 0 ? 0 : -1;
    return fwrite(s, 1, n, fp) == n ? 0 : -1;
}
