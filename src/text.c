/*
 * text.c — UTF-8 validation, suggestions and strict number parsing
 * (see text.h). Parsing is strict on purpose: "12abc" or "0x10" in a time
 * column is a coding error a researcher wants to hear about, not a number.
 */
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t ds_utf8_invalid_at(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + need >= len) /* truncated sequence */
            return i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return len;
}

size_t ds_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) /* long strings: not worth suggesting */
        return la > lb ? la : lb;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ds_suggest(const char *word, const char *const *cand, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(word, cand[i]) == 0)
            return cand[i];
    size_t limit = strlen(word) / 3;
    if (limit < 2)
        limit = 2;
    const char *best = NULL;
    size_t best_d = limit + 1;
    size_t lw = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t d = ds_edit_distance(word, cand[i]), lc = strlen(cand[i]);
        /* replacing the whole word is no suggestion ('C' is not near 'A') */
        if (d >= (lw > lc ? lw : lc))
            continue;
        if (d < best_d) {
            best_d = d;
            best = cand[i];
        }
    }
    return best;
}

/*
 * The common case of a time or duration, "123.456": digits with at most
 * one point, 1 to 15 digits in all, nothing else. The digits form an
 * integer m < 2^53 and the value is m / 10^k with 10^k exact for k <= 22,
 * so one IEEE division gives the correctly rounded result, the same double
 * strtod returns (Clinger 1990), without strtod's locale and general-case
 * machinery. Checking and converting in one pass halves the cost of the
 * two numbers of every transcript row. Returns 0 for anything else, which
 * the general parsers below then judge.
 */
static int plain_decimal(const char *s, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                   1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15};
    /* integer digits, then fraction digits; m wraps harmlessly past 19
     * digits, which are refused below */
    uint64_t m = 0;
    const char *p = s;
    unsigned d;
    while ((d = (unsigned)(unsigned char)*p - '0') < 10) {
        m = m * 10 + d;
        p++;
    }
    size_t digits = (size_t)(p - s), frac = 0;
    if (*p == '.') {
        const char *f = ++p;
        while ((d = (unsigned)(unsigned char)*p - '0') < 10) {
            m = m * 10 + d;
            p++;
        }
        frac = (size_t)(p - f);
        digits += frac;
    }
    if (*p != '\0' || digits == 0 || digits > 15)
        return 0;
    *out = frac ? (double)m / pow10[frac] : (double)m;
    return 1;
}

ds_num_status_t ds_parse_seconds(const char *s, double *out)
{
    if (plain_decimal(s, out))
        return DS_NUM_OK;
    if (*s == '-' || *s == '+') {
        const char *p = s + 1;
        if (!isdigit((unsigned char)*p) && *p != '.' &&
            strncasecmp(p, "inf", 3) != 0)
            return DS_NUM_SYNTAX;
        if (*s == '-') {
            double v;
            ds_num_status_t st = ds_parse_seconds(p, &v);
            if (st == DS_NUM_OK && v == 0) {
                *out = 0;
                return DS_NUM_OK;
            }
            return st == DS_NUM_SYNTAX ? DS_NUM_SYNTAX : DS_NUM_NEGATIVE;
        }
        s = p;
    }
    if (strcasecmp(s, "nan") == 0 || strcasecmp(s, "inf") == 0 ||
        strcasecmp(s, "infinity") == 0)
        return DS_NUM_NONFINITE;
    /* digits [. digits] [e [+-] digits], at least one digit before e */
    const char *p = s;
    size_t digits = 0;
    while (isdigit((unsigned char)*p))
        p++, digits++;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++, digits++;
    }
    if (digits == 0)
        return DS_NUM_SYNTAX;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return DS_NUM_SYNTAX;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p != '\0')
        return DS_NUM_SYNTAX;
    errno = 0;
    double v = strtod(s, NULL);
    if (!isfinite(v))
        return DS_NUM_NONFINITE;
    *out = v;
    return DS_NUM_OK;
}

/* Parse 1-2 (or, for the leading unit, more) digits of a clock part. */
static int clock_int(const char *s, size_t len, double *out)
{
    if (len == 0 || len > 9)
        return -1;
    double v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

ds_num_status_t ds_parse_time(const char *s, double *out)
{
    if (plain_decimal(s, out))
        return DS_NUM_OK;
    const char *c1 = strchr(s, ':');
    if (!c1)
        return ds_parse_seconds(s, out);
    if (*s == '-')
        return DS_NUM_NEGATIVE;
    const char *c2 = strchr(c1 + 1, ':');
    if (c2 && strchr(c2 + 1, ':'))
        return DS_NUM_SYNTAX;
    double h = 0, m = 0, sec;
    const char *sec_s;
    if (c2) {
        if (clock_int(s, (size_t)(c1 - s), &h) ||
            clock_int(c1 + 1, (size_t)(c2 - c1 - 1), &m) || c2 - c1 - 1 != 2)
            return DS_NUM_SYNTAX;
        sec_s = c2 + 1;
    } else {
        if (clock_int(s, (size_t)(c1 - s), &m))
            return DS_NUM_SYNTAX;
        sec_s = c1 + 1;
    }
    /* seconds: exactly two digits, optional fraction */
    if (!isdigit((unsigned char)sec_s[0]) || !isdigit((unsigned char)sec_s[1]))
        return DS_NUM_SYNTAX;
    const char *p = sec_s + 2;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p != '\0')
        return DS_NUM_SYNTAX;
    sec = strtod(sec_s, NULL);
    if (sec >= 60 || (c2 && m >= 60))
        return DS_NUM_SYNTAX;
    *out = h * 3600 + m * 60 + sec;
    return DS_NUM_OK;
}

int ds_parse_size(const char *s, size_t *out)
{
    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end != '\0' || v > (unsigned long long)SIZE_MAX)
        return -1;
    *out = (size_t)v;
    return 0;
}

int ds_parse_double(const char *s, double *out)
{
    /* decimal only: [+-] digits [. digits] [e [+-] digits], at least one
     * digit before the exponent; strtod alone would take hexadecimal
     * ("0x10"), "inf", "nan" and leading blanks (issue 18 #10) */
    const char *p = s + (*s == '+' || *s == '-');
    size_t digits = 0;
    for (; isdigit((unsigned char)*p); p++)
        digits++;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            digits++;
    if (digits == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '+' || p[1] == '-');
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p != '\0')
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

void ds_format_count(char *buf, size_t n, unsigned long long v)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", v);
    size_t k = 0;
    for (int i = 0; i < len && k + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
}

char *ds_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *ds_aprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
