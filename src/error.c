/*
 * error.c — error messages and located diagnostics (see error.h).
 *
 * A ds_error_t holds its message in a fixed buffer (it lives on the stack
 * of every caller, with nothing to free), so a message longer than the
 * buffer must be shortened. The text that can be long is the user's: file
 * names, labels, codes, an inner message — the %s arguments. The format's
 * own text and numbers say what went wrong, so they are kept whole, and
 * the long string arguments are cut in their middle ("head…tail", the
 * longest first) until the message fits: "FILE: cannot … 'aaa…zzz': No
 * space left on device" keeps the reason and both ends of each name.
 * Located diagnostics (ds_diag_t) are allocated to their full length.
 */
#include "dyadseq/error.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define ELLIPSIS "\xE2\x80\xA6" /* … */
#define ELLIPSIS_LEN 3

/* Most conversions of a format that ds_error_set shortens piece by piece;
 * longer formats (none in dyadseq) are cut at the end. */
#define FIT_MAX_PIECES 48
/* Bytes for the formatted numbers and short pieces of one message. */
#define FIT_SCRATCH 2048

typedef struct piece {
    const char *s; /* the text: into fmt, the scratch, or an argument */
    size_t len;
    int cut;       /* a string argument that may be shortened */
} piece_t;

typedef struct fit {
    piece_t p[FIT_MAX_PIECES];
    size_t n;
    char scratch[FIT_SCRATCH];
    size_t used;
} fit_t;

static int add_piece(fit_t *f, const char *s, size_t len, int cut)
{
    if (f->n == FIT_MAX_PIECES)
        return -1;
    f->p[f->n++] = (piece_t){s, len, cut};
    return 0;
}

/* Format one non-string conversion into the scratch area. The spec is
 * one conversion cut from a format the compiler checked against its
 * arguments (ds_error_set is declared printf-like), hence no literal. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int add_formatted(fit_t *f, const char *spec, int kind, va_list *ap)
{
    char *dst = f->scratch + f->used;
    size_t room = FIT_SCRATCH - f->used;
    int n;
    switch (kind) {
    case 'i': n = snprintf(dst, room, spec, va_arg(*ap, int)); break;
    case 'l': n = snprintf(dst, room, spec, va_arg(*ap, long)); break;
    case 'q': n = snprintf(dst, room, spec, va_arg(*ap, long long)); break;
    case 'z': n = snprintf(dst, room, spec, va_arg(*ap, size_t)); break;
    case 'j': n = snprintf(dst, room, spec, va_arg(*ap, intmax_t)); break;
    case 't': n = snprintf(dst, room, spec, va_arg(*ap, ptrdiff_t)); break;
    case 'd': n = snprintf(dst, room, spec, va_arg(*ap, double)); break;
    case 'L': n = snprintf(dst, room, spec, va_arg(*ap, long double)); break;
    case 'p': n = snprintf(dst, room, spec, va_arg(*ap, void *)); break;
    default: return -1;
    }
    if (n < 0 || (size_t)n >= room)
        return -1;
    f->used += (size_t)n + 1;
    return add_piece(f, dst, (size_t)n, 0);
}
#pragma GCC diagnostic pop

/* An int argument of '*' written into the spec being built. */
static int star(char *spec, size_t *k, size_t cap, va_list *ap, int *val)
{
    *val = va_arg(*ap, int);
    int n = snprintf(spec + *k, cap - *k, "%d", *val);
    if (n < 0 || (size_t)n >= cap - *k)
        return -1;
    *k += (size_t)n;
    return 0;
}

/* One conversion of a format, parsed: the spec without '*' (their values
 * written in), the width and precision (-1 when absent), the length
 * modifier (h, H for hh, l, q for ll, z, j, t, L; 0 none), the conversion
 * character. */
typedef struct conv {
    char spec[32];
    int width, prec;
    char len, conv;
} conv_t;

/* Parse the conversion at *pp (just after '%'); advances *pp. */
static int parse_conv(const char **pp, conv_t *c, va_list *ap)
{
    const char *p = *pp;
    size_t k = 0;
    c->width = c->prec = -1;
    c->spec[k++] = '%';
    while (*p && strchr("-+ #0", *p) && k < 8)
        c->spec[k++] = *p++;
    if (*p == '*') {
        if (star(c->spec, &k, sizeof c->spec, ap, &c->width))
            return -1;
        p++;
    } else {
        for (c->width = 0; *p >= '0' && *p <= '9' && k < 20; p++) {
            c->width = c->width * 10 + (*p - '0');
            c->spec[k++] = *p;
        }
    }
    if (*p == '.') {
        c->spec[k++] = *p++;
        if (*p == '*') {
            if (star(c->spec, &k, sizeof c->spec, ap, &c->prec))
                return -1;
            p++;
        } else {
            for (c->prec = 0; *p >= '0' && *p <= '9' && k < 28; p++) {
                c->prec = c->prec * 10 + (*p - '0');
                c->spec[k++] = *p;
            }
        }
    }
    c->len = 0;
    if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l')) {
        c->len = p[0] == 'h' ? 'H' : 'q';
        c->spec[k++] = *p++;
        c->spec[k++] = *p++;
    } else if (*p && strchr("hlzjtL", *p)) {
        c->len = *p;
        c->spec[k++] = *p++;
    }
    c->conv = *p;
    if (!*p || k + 2 > sizeof c->spec)
        return -1;
    c->spec[k++] = *p++;
    c->spec[k] = '\0';
    *pp = p;
    return 0;
}

/* A string argument: a piece that may be cut, or, when padded to a
 * width it does not reach, a short formatted one. */
static int add_string(fit_t *f, const conv_t *c, va_list *ap)
{
    const char *s = va_arg(*ap, const char *);
    if (!s)
        s = "(null)";
    size_t sl = c->prec >= 0 ? strnlen(s, (size_t)c->prec) : strlen(s);
    if (c->width <= 0 || sl >= (size_t)c->width)
        return add_piece(f, s, sl, 1);
    char *dst = f->scratch + f->used;
    size_t room = FIT_SCRATCH - f->used;
    int n = snprintf(dst, room, c->spec[1] == '-' ? "%-*.*s" : "%*.*s",
                     c->width, (int)sl, s);
    if (n < 0 || (size_t)n >= room)
        return -1;
    f->used += (size_t)n + 1;
    return add_piece(f, dst, (size_t)n, 0);
}

/* Which va_arg type a numeric conversion takes (add_formatted's kind). */
static int kind_of(const conv_t *c)
{
    switch (c->conv) {
    case 'c': return 'i';
    case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
        switch (c->len) {
        case 'l': case 'q': case 'z': case 'j': case 't': return c->len;
        default: return 'i';
        }
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
    case 'a': case 'A':
        return c->len == 'L' ? 'L' : 'd';
    case 'p': return 'p';
    default: return 0; /* %n, %m, wide strings: never in our formats */
    }
}

/*
 * Split fmt with its arguments into pieces: literal text, formatted
 * numbers, and string arguments. Returns 0, or -1 for a format this does
 * not handle (then the caller falls back to a plain cut).
 */
static int split(fit_t *f, const char *fmt, va_list *ap)
{
    const char *lit = fmt, *p = fmt;
    while (*p) {
        if (*p != '%') {
            p++;
            continue;
        }
        if (p > lit && add_piece(f, lit, (size_t)(p - lit), 0))
            return -1;
        p++;
        conv_t c;
        if (*p == '%') {
            if (add_piece(f, "%", 1, 0))
                return -1;
            p++;
        } else if (parse_conv(&p, &c, ap)) {
            return -1;
        } else if (c.conv == 's' && c.len == 0) {
            if (add_string(f, &c, ap))
                return -1;
        } else {
            int kind = kind_of(&c);
            if (!kind || add_formatted(f, c.spec, kind, ap))
                return -1;
        }
        lit = p;
    }
    if (*lit && add_piece(f, lit, strlen(lit), 0))
        return -1;
    return 0;
}

/* Bytes the string pieces take when each is cut to at most cap. */
static size_t strings_at(const fit_t *f, size_t cap)
{
    size_t total = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->p[i].cut)
            total += f->p[i].len < cap ? f->p[i].len : cap;
    return total;
}

/* Copy s[0..len) cut in the middle to at most cap bytes (cap > the
 * ellipsis), at UTF-8 character boundaries. Returns the bytes written. */
static size_t put_cut(char *dst, const char *s, size_t len, size_t cap)
{
    if (len <= cap) {
        memcpy(dst, s, len);
        return len;
    }
    size_t keep = cap - ELLIPSIS_LEN, head = keep / 2;
    size_t tail = len - (keep - head);
    while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
        head--;
    while (tail < len && ((unsigned char)s[tail] & 0xC0) == 0x80)
        tail++;
    memcpy(dst, s, head);
    memcpy(dst + head, ELLIPSIS, ELLIPSIS_LEN);
    memcpy(dst + head + ELLIPSIS_LEN, s + tail, len - tail);
    return head + ELLIPSIS_LEN + (len - tail);
}

/*
 * Write the pieces into buf[size], the string pieces cut to a common
 * largest length that fits. -1 when even the fixed text does not fit.
 */
static int assemble(const fit_t *f, char *buf, size_t size)
{
    size_t fixed = 0, longest = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (!f->p[i].cut)
            fixed += f->p[i].len;
        else if (f->p[i].len > longest)
            longest = f->p[i].len;
    }
    if (fixed + 1 > size)
        return -1;
    size_t room = size - 1 - fixed;
    /* the largest cap with everything fitting (binary search) */
    size_t lo = 0, hi = longest;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (strings_at(f, mid) <= room)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (lo <= 2 * ELLIPSIS_LEN && longest > lo)
        return -1; /* no room to show anything of the long ones */
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (f->p[i].cut) {
            k += put_cut(buf + k, f->p[i].s, f->p[i].len, lo);
        } else {
            memcpy(buf + k, f->p[i].s, f->p[i].len);
            k += f->p[i].len;
        }
    }
    buf[k] = '\0';
    return 0;
}

/* The message cut at its end, marked with an ellipsis. */
static void cut_end(char *buf, size_t size)
{
    if (size <= ELLIPSIS_LEN + 1)
        return;
    size_t at = size - 1 - ELLIPSIS_LEN;
    while (at > 0 && ((unsigned char)buf[at] & 0xC0) == 0x80)
        at--;
    memcpy(buf + at, ELLIPSIS, ELLIPSIS_LEN + 1);
}

void ds_vformat_fit(char *buf, size_t size, const char *fmt, va_list ap)
{
    if (size == 0)
        return;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(buf, size, fmt, ap);
    if (n >= 0 && (size_t)n < size) {
        va_end(ap2);
        return;
    }
    /* on the stack: an "out of memory" message must not allocate */
    fit_t f;
    f.n = f.used = 0;
    int ok = split(&f, fmt, &ap2) == 0 && assemble(&f, buf, size) == 0;
    va_end(ap2);
    if (!ok) {
        /* vsnprintf already wrote the first size - 1 bytes */
        cut_end(buf, size);
    }
}

const char *ds_error_str(int code)
{
    switch (code) {
    case DS_OK: return "no error";
    case DS_ENOMEM: return "out of memory";
    case DS_EIO: return "input/output error";
    case DS_EDATA: return "invalid data";
    case DS_EUSAGE: return "invalid option or argument";
    case DS_ENUM: return "a numerical routine failed";
    case DS_EHDF5: return "the HDF5 library failed";
    case DS_ENOTAVAIL: return "not available for this input";
    default: return "unknown error";
    }
}

void ds_format_fit(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ds_vformat_fit(buf, size, fmt, ap);
    va_end(ap);
}

int ds_error_set(ds_error_t *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        ds_vformat_fit(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void ds_diag_init(ds_diag_t *d, size_t keep)
{
    memset(d, 0, sizeof *d);
    d->keep = keep;
}

void ds_diag_clear(ds_diag_t *d)
{
    for (size_t i = 0; i < d->n_errors_kept; i++)
        free(d->errors[i]);
    for (size_t i = 0; i < d->n_warnings_kept; i++)
        free(d->warnings[i]);
    free(d->errors);
    free(d->warnings);
    memset(d, 0, sizeof *d);
}

/* Format one located message, at its full length, and append it to list
 * if there is room. */
static void diag_add(ds_diag_t *d, char ***list, size_t *n_kept,
                     const char *file, size_t line, const char *column,
                     const char *fmt, va_list ap)
{
    if (*n_kept >= d->keep)
        return;
    char num[32] = "";
    if (file && line)
        snprintf(num, sizeof num, "%zu:", line);
#define HEAD_FMT "%s%s%s%s%s%s%s"
    const char *f = file ? file : "", *fc = file ? ":" : "",
               *sp = file ? " " : "", *c1 = column ? "column '" : "",
               *c = column ? column : "", *c2 = column ? "': " : "";
    va_list ap2;
    va_copy(ap2, ap);
    int hlen = snprintf(NULL, 0, HEAD_FMT, f, fc, num, sp, c1, c, c2);
    int blen = vsnprintf(NULL, 0, fmt, ap);
    char *msg = hlen >= 0 && blen >= 0
                    ? malloc((size_t)hlen + (size_t)blen + 1)
                    : NULL;
    if (msg) {
        snprintf(msg, (size_t)hlen + 1, HEAD_FMT, f, fc, num, sp, c1, c, c2);
        vsnprintf(msg + hlen, (size_t)blen + 1, fmt, ap2);
    }
    va_end(ap2);
    if (!msg) {
        d->oom = 1;
        return;
    }
    if (*n_kept == 0 && !*list) {
        *list = calloc(d->keep, sizeof **list);
        if (!*list) {
            free(msg);
            d->oom = 1;
            return;
        }
    }
    (*list)[(*n_kept)++] = msg;
#undef HEAD_FMT
}
void ds_diag_error(ds_diag_t *d, const char *file, size_t line,
                   const char *column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, &d->errors, &d->n_errors_kept, file, line, column, fmt, ap);
    va_end(ap);
    d->n_errors++;
}

void ds_diag_warning(ds_diag_t *d, const char *file, size_t line,
                     const char *column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, &d->warnings, &d->n_warnings_kept, file, line, column, fmt,
             ap);
    va_end(ap);
    d->n_warnings++;
}

void ds_excerpt(char *dst, const char *s, size_t max)
{
    size_t n = strlen(s), cut = n > max ? max : n;
    /* back up to the start of a UTF-8 character */
    while (cut < n && cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    size_t j = 0;
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    if (cut < n) {
        memcpy(dst + j, "\xE2\x80\xA6", 3); /* … */
        j += 3;
    }
    dst[j] = '\0';
}
