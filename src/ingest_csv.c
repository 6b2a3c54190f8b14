/*
 * ingest_csv.c — transcript CSV: the header, the checks only a CSV row
 * needs (its width, NUL bytes, UTF-8 in every field), and
 * ds_ingest_file, one file or stream through csvread into an ingest.
 *
 * Columns are found by header name, case-insensitively and in any order;
 * other columns are ignored (with -v, a warning names them). A row's
 * fields then go to the checks every format shares (ingest_rows.c).
 */
#include "ingest_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

void ingest_csv_init(ingest_csv_t *c)
{
    memset(c, 0, sizeof *c);
    c->src.prev = INGEST_NONE;
    for (int k = 0; k < DS_INGEST_N_COLS; k++)
        c->col[k] = -1;
}

void ingest_csv_clear(ingest_csv_t *c)
{
    for (size_t i = 0; i < c->n_header; i++)
        free(c->header ? c->header[i] : NULL);
    free(c->header);
    c->header = NULL;
    c->n_header = 0;
    ingest_src_clear(&c->src);
}

/* The header's names: valid UTF-8, each column at most once; the names
 * of other columns into ignored[n] for the -v warning. */
static int header_names(ingest_csv_t *c, const ds_csv_row_t *row,
                        char *ignored, size_t n)
{
    size_t ign = 0;
    c->n_header = row->n;
    c->header = calloc(row->n, sizeof *c->header);
    if (!c->header)
        return DS_ENOMEM;
    for (size_t i = 0; i < row->n; i++) {
        const char *h = row->field[i];
        if (strlen(h) != row->len[i] ||
            ds_utf8_invalid_at(h, row->len[i]) < row->len[i]) {
            ds_diag_error(c->src.diag, c->src.name, row->line, NULL,
                          "header field %zu is not valid UTF-8 text", i + 1);
            c->header_bad = 1;
        }
        if (!(c->header[i] = ds_strdup(h)))
            return DS_ENOMEM;
        int k;
        for (k = 0; k < DS_INGEST_N_COLS; k++)
            if (strcasecmp(h, ds_ingest_col_name(k)) == 0)
                break;
        if (k == DS_INGEST_N_COLS) {
            if (ign < n - 1)
                ign += (size_t)snprintf(ignored + ign, n - ign, "%s%s",
                                        ign ? ", " : "", h);
            continue;
        }
        if (c->col[k] >= 0) {
            ds_diag_error(c->src.diag, c->src.name, row->line,
                          ds_ingest_col_name(k),
                          "duplicate column (fields %ld and %zu)",
                          c->col[k] + 1, i + 1);
            c->header_bad = 1;
        } else {
            c->col[k] = (long)i;
        }
    }
    return DS_OK;
}

/* The required columns that the header lacks, with what it has. */
static void header_required(ingest_csv_t *c, const ds_csv_row_t *row)
{
    char missing[64] = "";
    size_t m = 0;
    for (int k = 0; k < INGEST_N_REQUIRED; k++)
        if (c->col[k] < 0)
            m += (size_t)snprintf(missing + m, sizeof missing - m, "%s%s",
                                  m ? ", " : "", ds_ingest_col_name(k));
    if (!m)
        return;
    char found[512] = "";
    size_t f = 0;
    for (size_t i = 0; i < row->n && f < sizeof found - 1; i++) {
        char ex[48];
        ds_excerpt(ex, row->field[i], 40);
        f += (size_t)snprintf(found + f, sizeof found - f, "%s'%s'",
                              i ? ", " : "", ex);
    }
    ds_diag_error(c->src.diag, c->src.name, row->line, NULL,
                  "required column%s missing: %s (columns found: %s)",
                  strchr(missing, ',') ? "s" : "", missing, found);
    c->header_bad = 1;
}

/* Check the header row: required columns present, no duplicates, the same
 * optional columns as the first input. */
static int check_header(ingest_csv_t *c, const ds_csv_row_t *row)
{
    char ignored[512] = "";
    int rc = header_names(c, row, ignored, sizeof ignored);
    if (rc)
        return rc;
    header_required(c, row);
    if (c->header_bad)
        return 0;
    for (int k = 0; k < DS_INGEST_N_COLS; k++)
        c->src.has[k] = c->col[k] >= 0;
    if (ingest_check_columns(&c->src, row->line))
        c->header_bad = 1;
    if (*ignored && c->src.g->opts.verbose)
        ds_diag_warning(c->src.diag, c->src.name, row->line, NULL,
                        "ignoring columns: %s", ignored);
    return 0;
}

/* A data row: as wide as the header, no NUL bytes, valid UTF-8 in every
 * field (ignored columns too); then the checks of every format. */
static int data_row(ingest_csv_t *c, const ds_csv_row_t *row)
{
    ingest_src_t *s = &c->src;
    if (row->n != c->n_header) {
        ds_diag_error(s->diag, s->name, row->line, NULL,
                      "row has %zu field%s, header has %zu", row->n,
                      row->n == 1 ? "" : "s", c->n_header);
        return 0;
    }
    int bad = 0;
    for (size_t i = 0; !row->clean && i < row->n; i++) {
        if (memchr(row->field[i], '\0', row->len[i])) {
            ds_diag_error(s->diag, s->name, row->line, c->header[i],
                          "NUL byte in field (binary data?)");
            bad = 1;
            continue;
        }
        size_t at = ds_utf8_invalid_at(row->field[i], row->len[i]);
        if (at < row->len[i]) {
            ds_diag_error(s->diag, s->name, row->line, c->header[i],
                          "invalid UTF-8 at byte %zu of the field", at + 1);
            bad = 1;
        }
    }
    if (bad)
        return 0;
    /* every member set (no "= {...}": zeroing the whole struct took a
     * rep stos per row, 2% of a one-thread analyze) */
    ingest_fields_t r;
    r.line = row->line;
    for (int k = 0; k < DS_INGEST_N_COLS; k++) {
        long i = c->col[k];
        r.f[k] = i >= 0 ? row->field[i] : NULL;
        r.len[k] = i >= 0 ? row->len[i] : 0;
    }
    return ingest_row(s, &r);
}

int ingest_csv_row(const ds_csv_row_t *row, void *ctx)
{
    ingest_csv_t *c = ctx;
    if (row->index == 0) {
        int rc = check_header(c, row);
        if (rc)
            return rc;
        return c->header_bad ? 1 : 0; /* a bad header: stop this file */
    }
    c->src.n_rows++;
    return data_row(c, row);
}

int ds_ingest_file(ds_ingest_t *g, FILE *fp, const char *name,
                   ds_diag_t *diag, ds_error_t *err)
{
    if (g->rows.open)
        return ds_error_set(err, DS_EUSAGE, "ds_ingest_file: source '%s' "
                            "is still open", g->rows.src.name);
    ingest_csv_t c;
    ingest_csv_init(&c);
    int rc = ingest_src_begin(&c.src, g, name, diag, err);
    if (rc)
        goto done;
    ds_sha256_t hash;
    ds_sha256_init(&hash);
    size_t before = diag->n_errors;
    rc = ds_csv_read(fp, name, ingest_csv_row, &c, diag, &hash, err);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    if (rc == DS_OK && !c.header_bad && c.src.n_rows == 0) {
        ds_diag_error(diag, name, 0, NULL, "no data rows (header only)");
        rc = DS_EDATA;
    }
    if (rc == DS_OK || rc == DS_EDATA) {
        /* finish the digest over any bytes the reader did not consume */
        unsigned char buf[1 << 14];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            ds_sha256_update(&hash, buf, n);
        ds_sha256_final_hex(&hash, g->sha[c.src.file]);
    }
    if (c.header_bad || diag->n_errors > before)
        g->any_error = 1;
done:
    ingest_csv_clear(&c);
    return rc;
}
