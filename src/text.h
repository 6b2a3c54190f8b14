/*
 * text.h — small text utilities shared by the parsers: UTF-8 validation,
 * "did you mean" suggestions (Levenshtein distance), strict number and
 * time parsing, and checked strdup and printf-to-a-new-string.
 */
#ifndef DYADSEQ_TEXT_H
#define DYADSEQ_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Return the byte offset of the first invalid UTF-8 sequence in s[0..len),
 * or len when all of it is valid (overlong forms, surrogates and code
 * points above U+10FFFF are invalid).
 */
size_t ds_utf8_invalid_at(const char *s, size_t len);

/* Levenshtein edit distance between a and b (bytes, case-sensitive). */
size_t ds_edit_distance(const char *a, const char *b);

/*
 * The candidate closest to word: case-insensitive equality first, then the
 * smallest edit distance if it is at most max(2, strlen(word)/3) and less
 * than the longer length (so 'C' does not suggest 'A'). NULL if none is
 * close enough.
 */
const char *ds_suggest(const char *word, const char *const *candidates,
                       size_t n);

/* Result of parsing a number or a time. */
typedef enum {
    DS_NUM_OK = 0,
    DS_NUM_SYNTAX,   /* not a number of the accepted form */
    DS_NUM_NEGATIVE, /* a number < 0 */
    DS_NUM_NONFINITE /* nan, inf, or overflow */
} ds_num_status_t;

/*
 * Parse a non-negative decimal number of seconds: digits with an optional
 * fraction and exponent ("83.4", "1e3"); a leading '-' gives
 * DS_NUM_NEGATIVE, "nan"/"inf" give DS_NUM_NONFINITE.
 */
ds_num_status_t ds_parse_seconds(const char *s, double *out);

/*
 * Parse an onset: seconds as above, or [hh:]mm:ss[.fff] (minutes and
 * seconds below 60 when a larger unit precedes them): "1:02:03.5" is
 * 3723.5 s.
 */
ds_num_status_t ds_parse_time(const char *s, double *out);

/* Parse a whole decimal number into *out; 0 on success, -1 otherwise. */
int ds_parse_size(const char *s, size_t *out);

/*
 * Parse a finite decimal number with nothing after it: [+-] digits
 * [. digits] [e [+-] digits] ("2.5", "-1e3", ".5"); hexadecimal, "inf",
 * "nan", blanks and overflow are refused. 0 on success, -1 otherwise.
 */
int ds_parse_double(const char *s, double *out);

/* Write v with thousands separators ("36,688") to buf[n] (n >= 32). */
void ds_format_count(char *buf, size_t n, unsigned long long v);

/* strdup that returns NULL on allocation failure (and for NULL input). */
char *ds_strdup(const char *s);

/* A new string printed from fmt (allocating printf, as asprintf); NULL
 * when out of memory. */
char *ds_aprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * Equality and copy of n bytes for the short strings of every transcript
 * row (couple, session, code; the reader's fields), inline: the calls to
 * memcmp and memcpy cost more than the bytes. Words of 8 (or 4) bytes,
 * the last one overlapping what was done, never past the n bytes.
 */
static inline int ds_short_equal(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    uint32_t u, v;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return 0;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        memcpy(&u, a, 4);
        memcpy(&v, b, 4);
        if (u != v)
            return 0;
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return u == v;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static inline void ds_short_copy(char *dst, const char *src, size_t n)
{
    uint64_t x, y;
    uint32_t u, v;
    if (n > 16) {
        memcpy(dst, src, n);
    } else if (n >= 8) {
        memcpy(&x, src, 8);
        memcpy(&y, src + n - 8, 8);
        memcpy(dst, &x, 8);
        memcpy(dst + n - 8, &y, 8);
    } else if (n >= 4) {
        memcpy(&u, src, 4);
        memcpy(&v, src + n - 4, 4);
        memcpy(dst, &u, 4);
        memcpy(dst + n - 4, &v, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            dst[i] = src[i];
    }
}

#endif
