/*
 * json.c — flat JSON objects for provenance (see json.h). Numbers are
 * written so they read back exactly; non-finite numbers, which
 * JSON cannot hold, as null.
 */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(ds_json_t *j, const char *s, size_t n)
{
    if (j->oom)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 256;
        while (cap < j->len + n + 1)
            cap *= 2;
        char *b = realloc(j->buf, cap);
        if (!b) {
            j->oom = 1;
            return;
        }
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(ds_json_t *j, const char *s)
{
    put(j, s, strlen(s));
}

static void quoted(ds_json_t *j, const char *s)
{
    puts_(j, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(j, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            puts_(j, esc);
        } else {
            put(j, (const char *)p, 1);
        }
    }
    puts_(j, "\"");
}

static void key(ds_json_t *j, const char *k)
{
    if (j->len > 1)
        puts_(j, ", ");
    quoted(j, k);
    puts_(j, ": ");
}

static void num(ds_json_t *j, double v)
{
    char b[32];
    if (!isfinite(v)) {
        snprintf(b, sizeof b, "null");
    } else {
        /* the shortest of %.15g..%.17g that reads back exactly: 0.95, not
         * 0.94999999999999996 */
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(b, sizeof b, "%.*g", prec, v);
            if (strtod(b, NULL) == v)
                break;
        }
    }
    puts_(j, b);
}

void ds_json_begin(ds_json_t *j)
{
    memset(j, 0, sizeof *j);
    puts_(j, "{");
}

void ds_json_string(ds_json_t *j, const char *k, const char *v)
{
    key(j, k);
    if (v)
        quoted(j, v);
    else
        puts_(j, "null");
}

void ds_json_number(ds_json_t *j, const char *k, double v)
{
    key(j, k);
    num(j, v);
}

void ds_json_bool(ds_json_t *j, const char *k, int v)
{
    key(j, k);
    puts_(j, v ? "true" : "false");
}

void ds_json_numbers(ds_json_t *j, const char *k, const double *v, size_t n)
{
    key(j, k);
    puts_(j, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            puts_(j, ", ");
        num(j, v[i]);
    }
    puts_(j, "]");
}

void ds_json_strings(ds_json_t *j, const char *k, const char *const *v,
                     size_t n)
{
    key(j, k);
    puts_(j, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            puts_(j, ", ");
        quoted(j, v[i] ? v[i] : "");
    }
    puts_(j, "]");
}

char *ds_json_end(ds_json_t *j)
{
    puts_(j, "}");
    if (j->oom) {
        free(j->buf);
        return NULL;
    }
    return j->buf;
}
