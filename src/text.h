/*
 * text.h — small text utilities shared by the parsers: UTF-8 validation,
 * "did you mean" suggestions (Levenshtein distance), strict number and
 * time parsing, and checked strdup and printf-to-a-new-string.
 */
#ifndef DYADSEQ_TEXT_H
#define DYADSEQ_TEXT_H

#include <stddef.h>

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

#endif
