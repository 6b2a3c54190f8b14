/*
 * test_error.c — messages that carry user text keep their reason
 * (issue 18 #1): ds_error_set cuts long string arguments in the middle,
 * never the format's own text or numbers; located diagnostics are kept
 * at full length.
 */
#include <stdlib.h>
#include <string.h>

#include "dyadseq/error.h"
#include "text.h"
#include "unit.h"

static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

static void test_short(void)
{
    ds_error_t err;
    int rc = ds_error_set(&err, DS_EIO, "%s: %d of %zu, %.2f%%", "f.csv", -3,
                          (size_t)7, 0.5);
    CHECK_INT(rc, DS_EIO, "ds_error_set returns its code");
    CHECK_INT(err.code, DS_EIO, "and stores it");
    CHECK_STR(err.msg, "f.csv: -3 of 7, 0.50%", "a short message is as "
              "vsnprintf writes it");
    CHECK_INT(ds_error_set(NULL, DS_EDATA, "x"), DS_EDATA, "err may be NULL");
}

/* A 2,000-byte session label in the middle of a message. */
static void test_long_label(void)
{
    char *label = repeat("x", 2000);
    memcpy(label, "HEAD", 4);
    memcpy(label + 1996, "TAIL", 4);
    ds_error_t err;
    ds_error_set(&err, DS_EHDF5, "%s: cannot create '/lag/%d/pooled_by_label"
                 "/%s/%s' (HDF5: %s)", "out.h5", 1, label, "g2",
                 "No space left on device");
    size_t n = strlen(err.msg);
    CHECK(n < DS_ERROR_MSG_MAX, "the message fits its buffer");
    CHECK(n > DS_ERROR_MSG_MAX - 16, "and uses it");
    CHECK(ends_with(err.msg, "/g2' (HDF5: No space left on device)"),
          "the reason after the label is kept whole");
    CHECK(strncmp(err.msg, "out.h5: cannot create '/lag/1/pooled_by_label/"
                  "HEAD", 50) == 0, "the text before it and the label's "
          "start are kept");
    CHECK(strstr(err.msg, "TAIL/g2'") != NULL, "the label's end is kept");
    CHECK(strstr(err.msg, "\xE2\x80\xA6") != NULL, "the cut is marked with "
          "an ellipsis");
    free(label);
}

/* Two long names: both are cut, the longest to the same length. */
static void test_two_names(void)
{
    char *dir = repeat("d/", 1000), *file = repeat("f", 1500);
    ds_error_t err;
    ds_error_set(&err, DS_EIO, "cannot create a temporary file for '%s' in "
                 "'%s': %s (%d)", file, dir, "Permission denied", 13);
    CHECK(strlen(err.msg) < DS_ERROR_MSG_MAX, "two long names fit");
    CHECK(ends_with(err.msg, "': Permission denied (13)"), "the reason and "
          "the number after two long names are kept");
    CHECK(strstr(err.msg, "' in '") != NULL, "the text between them too");
    const char *a = strchr(err.msg, '\''), *b = strstr(err.msg, "' in '");
    size_t la = (size_t)(b - a - 1);
    size_t lb = strlen(b + 6) - strlen("': Permission denied (13)");
    CHECK(la == lb || la + 1 == lb || lb + 1 == la,
          "the two names get equal shares");
    free(dir);
    free(file);
}

/* Cuts fall on UTF-8 character boundaries. */
static void test_utf8(void)
{
    char *label = repeat("\xC3\xA9", 1500); /* é */
    ds_error_t err;
    int bad = 0;
    for (int pad = 0; pad < 4; pad++) {
        ds_error_set(&err, DS_EDATA, "%.*s%s: unknown", pad, "abc", label);
        size_t n = strlen(err.msg);
        bad += ds_utf8_invalid_at(err.msg, n) != n ||
               !ends_with(err.msg, ": unknown");
    }
    CHECK_INT(bad, 0, "every cut is valid UTF-8, whatever the offset");
    free(label);
}

/* Widths, precisions, '%%', characters and long long survive. */
static void test_conversions(void)
{
    char *s = repeat("y", 3000);
    ds_error_t err;
    ds_error_set(&err, DS_EDATA, "[%5d|%-4s|%c|%lld|%%|%.3s|%*s|%#x|%g] %s "
                 "end", 42, "ab", 'Z', -9000000000LL, "abcdef", 3, "q", 255,
                 1e-5, s);
    CHECK(strncmp(err.msg, "[   42|ab  |Z|-9000000000|%|abc|  q|0xff|1e-05]"
                  " yyy", 50) == 0, "every other conversion is kept as "
          "printf writes it");
    CHECK(ends_with(err.msg, "yyy end"), "the end is kept");
    free(s);
}

/* A format with more pieces than are split is cut at its end. */
static void test_many_pieces(void)
{
    char *s = repeat("z", 200);
    ds_error_t err;
#define S5 "%s|%s|%s|%s|%s|"
    ds_error_set(&err, DS_EDATA, S5 S5 S5 S5 S5 S5 S5 S5 S5 S5 S5,
                 s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,
                 s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,
                 s, s, s, s, s, s, s, s, s, s, s, s, s, s, s);
#undef S5
    CHECK(strlen(err.msg) < DS_ERROR_MSG_MAX, "any message fits");
    CHECK(ends_with(err.msg, "\xE2\x80\xA6") || strstr(err.msg, "\xE2\x80\xA6"),
          "and a cut is marked");
    free(s);
}

/* Located diagnostics are not cut at all. */
static void test_diag(void)
{
    char *file = repeat("dir/", 400), *code = repeat("c", 2000);
    ds_diag_t d;
    ds_diag_init(&d, 5);
    ds_diag_error(&d, file, 12345, "code", "unknown code '%s'; did you "
                  "mean '%s'?", code, "pursue");
    CHECK_INT(d.n_errors_kept, 1, "the problem is stored");
    size_t want = strlen(file) + strlen(":12345: column 'code': unknown "
                  "code ''; did you mean 'pursue'?") + strlen(code);
    CHECK_INT(strlen(d.errors[0]), want, "at its full length");
    CHECK(ends_with(d.errors[0], "'; did you mean 'pursue'?"), "with its "
          "suggestion");
    ds_diag_warning(&d, NULL, 0, NULL, "%s", "plain");
    CHECK_STR(d.warnings[0], "plain", "no location: the message alone");
    ds_diag_clear(&d);
    free(file);
    free(code);
}

int main(void)
{
    test_short();
    test_long_label();
    test_two_names();
    test_utf8();
    test_conversions();
    test_many_pieces();
    test_diag();
    return UNIT_DONE();
}
