/* Unit tests of csvread.c: the line on which each row starts (blank lines,
 * CRLF, quoted fields spanning lines), the line of malformed quoting, the
 * clean-row flag, parsing a block of rows from memory, and the longest
 * field taken (DS_CSV_FIELD_MAX). */
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "unit.h"

#define MAX_ROWS 16

typedef struct seen {
    size_t n;
    size_t line[MAX_ROWS], index[MAX_ROWS], fields[MAX_ROWS];
    int clean[MAX_ROWS];
    char first[MAX_ROWS][32];
} seen_t;

static int on_row(const ds_csv_row_t *row, void *v)
{
    seen_t *s = v;
    if (s->n < MAX_ROWS) {
        s->line[s->n] = row->line;
        s->index[s->n] = row->index;
        s->fields[s->n] = row->n;
        s->clean[s->n] = row->clean;
        snprintf(s->first[s->n], sizeof s->first[0], "%s", row->field[0]);
    }
    s->n++;
    return 0;
}

/* Read text as a file; the first diagnostic (if any) into msg. */
static int read_len(const char *text, size_t len, seen_t *s, char *msg,
                    size_t cap)
{
    memset(s, 0, sizeof *s);
    FILE *fp = fmemopen((void *)text, len, "r");
    ds_diag_t d;
    ds_diag_init(&d, 5);
    ds_error_t err;
    int rc = ds_csv_read(fp, "t.csv", on_row, s, &d, NULL, &err);
    fclose(fp);
    snprintf(msg, cap, "%s", d.n_errors_kept ? d.errors[0] : "");
    ds_diag_clear(&d);
    return rc;
}

static int read_text(const char *text, seen_t *s, char *msg, size_t cap)
{
    return read_len(text, strlen(text), s, msg, cap);
}

static void test_lines(void)
{
    seen_t s;
    char msg[256];
    int rc = read_text("a,b\n1,2\n\n3,4\r\n  \n5,6", &s, msg, sizeof msg);
    CHECK(rc == 0 && s.n == 4, "blank lines are no rows");
    CHECK(s.line[0] == 1 && s.line[1] == 2 && s.line[2] == 4 &&
              s.line[3] == 6,
          "lines 1, 2, 4, 6 (a blank and a blank-looking line skipped)");
    CHECK(s.index[3] == 3, "rows counted without the blank lines");
    CHECK(s.clean[0] && s.clean[3], "ASCII rows are clean");

    rc = read_text("a,b\r\n\r\nx,y\r\n", &s, msg, sizeof msg);
    CHECK(rc == 0 && s.n == 2 && s.line[1] == 3, "CRLF: row on line 3");

    rc = read_text("h,v\n\"one\ntwo\",1\n\"x\"\"y\",2\nlast,3\n", &s, msg,
                   sizeof msg);
    CHECK(rc == 0 && s.n == 4, "quoted fields");
    CHECK_INT(s.line[1], 2, "a field spanning lines 2-3 starts on 2");
    CHECK_INT(s.line[2], 4, "the next row is on line 4");
    CHECK_INT(s.line[3], 5, "and the last on 5");
    CHECK(strcmp(s.first[1], "one\ntwo") == 0,
          "the line feed is in the field");
    CHECK_STR(s.first[2], "x\"y", "doubled quote");

    rc = read_text("h,v\n\"a\nb\"x,1\n", &s, msg, sizeof msg);
    CHECK(rc == DS_EDATA && strstr(msg, "t.csv:3: malformed CSV"),
          "text after a closing quote: reported on its own line 3");
    rc = read_text("h,v\n1,2\n3,\"abc\ndef\n", &s, msg, sizeof msg);
    CHECK(rc == DS_EDATA && strstr(msg, "t.csv:3: malformed CSV: a quoted "
                                        "field is never closed"),
          "unclosed quote: reported on the line its row starts");
    rc = read_text("h,v\n1,2\n\"abc\n", &s, msg, sizeof msg);
    CHECK(rc == DS_EDATA && strstr(msg, "t.csv:3:"),
          "unclosed quote in a first field: the row's line");

    rc = read_text("h,v\n\xc3\xa9,1\nx,2\n", &s, msg, sizeof msg);
    CHECK(rc == 0 && s.n == 3 && !s.clean[1], "a non-ASCII row is not clean");
    const char nul[] = "head,value\nx\0y,1\nanother,row\n";
    rc = read_len(nul, sizeof nul - 1, &s, msg, sizeof msg);
    CHECK(rc == 0 && s.n == 3 && !s.clean[1] && s.fields[1] == 2,
          "a buffer with a NUL is not clean");
}

static void test_block(void)
{
    seen_t s = {0};
    ds_diag_t d;
    ds_diag_init(&d, 5);
    ds_error_t err;
    const char *b = "1,2\n\n3,4\n5,6";
    size_t end = 0;
    int rc = ds_csv_read_block(b, strlen(b), "t.csv", 10, 7, on_row, &s, &end,
                               &d, &err);
    CHECK(rc == 0 && s.n == 3, "block: three rows");
    CHECK_INT(end, 13, "block: the line after its last line feed");
    CHECK(s.line[0] == 10 && s.line[1] == 12 && s.line[2] == 13,
          "block: lines from first_line");
    CHECK(s.index[0] == 7 && s.index[2] == 9, "block: rows from first_index");
    rc = ds_csv_read_block("", 0, "t.csv", 1, 0, on_row, &s, NULL, &d, &err);
    CHECK(rc == 0 && d.n_errors == 0, "an empty block is no error");
    const char *bad = "1,2\n3,x\"y\n";
    rc = ds_csv_read_block(bad, strlen(bad), "t.csv", 5, 0, on_row, &s, NULL,
                           &d, &err);
    CHECK(rc == DS_EDATA && d.n_errors_kept == 1 &&
              strstr(d.errors[0], "t.csv:6: malformed"),
          "block: a quote in an unquoted field on its line");
    ds_diag_clear(&d);
    CHECK(ds_csv_clean("abc,1\n", 6) && !ds_csv_clean("a\0b", 3) &&
              !ds_csv_clean("caf\xc3\xa9", 5),
          "ds_csv_clean");
}

/* "h,note\n1,<n bytes>\n2,x\n" with the long field quoted or not. */
static char *long_field(size_t n, int quoted, size_t *len)
{
    char *t = malloc(n + 32);
    size_t l = (size_t)sprintf(t, "h,note\n1,%s", quoted ? "\"" : "");
    memset(t + l, 'x', n);
    l += n;
    l += (size_t)sprintf(t + l, "%s\n2,x\n", quoted ? "\"" : "");
    *len = l;
    return t;
}

static void test_field_limit(void)
{
    seen_t s;
    char msg[256];
    size_t len;
    char *t = long_field(DS_CSV_FIELD_MAX, 0, &len);
    int rc = read_len(t, len, &s, msg, sizeof msg);
    CHECK(rc == 0 && s.n == 3, "a field of DS_CSV_FIELD_MAX bytes is taken");
    free(t);
    t = long_field(DS_CSV_FIELD_MAX + 1, 0, &len);
    rc = read_len(t, len, &s, msg, sizeof msg);
    CHECK(rc == DS_EDATA && s.n == 1, "one byte more: DS_EDATA, no rows after");
    CHECK(strcmp(msg, "t.csv:2: column 'note': field longer than 65536 "
                      "bytes") == 0,
          "... located, the column named by the header");
    free(t);
    /* a quoted field that never ends: caught while libcsv still grows it,
     * not when the 4 MB have been read */
    t = long_field(4 << 20, 1, &len);
    rc = read_len(t, len - 6, &s, msg, sizeof msg);
    CHECK(rc == DS_EDATA && strstr(msg, "t.csv:2: column 'note': field "
                                        "longer than"),
          "an unterminated quoted field: the limit, at its row's line");
    free(t);
    ds_diag_t d;
    ds_diag_init(&d, 5);
    ds_error_t err;
    t = long_field(DS_CSV_FIELD_MAX + 1, 0, &len);
    rc = ds_csv_read_block(t + 7, len - 7, "t.csv", 2, 1, on_row, &s, NULL,
                           &d, &err);
    CHECK(rc == DS_EDATA && d.n_errors_kept == 1 &&
              strcmp(d.errors[0], "t.csv:2: field 2 longer than 65536 "
                                  "bytes") == 0,
          "block without its header: the field counted");
    free(t);
    ds_diag_clear(&d);
}

int main(void)
{
    test_lines();
    test_block();
    test_field_limit();
    return UNIT_DONE();
}
