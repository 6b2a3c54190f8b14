/*
 * error.c — error messages and located diagnostics (see error.h).
 */
#include "dyadseq/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ds_error_set(ds_error_t *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
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

void ds_diag_free(ds_diag_t *d)
{
    for (size_t i = 0; i < d->n_errors_kept; i++)
        free(d->errors[i]);
    for (size_t i = 0; i < d->n_warnings_kept; i++)
        free(d->warnings[i]);
    free(d->errors);
    free(d->warnings);
    memset(d, 0, sizeof *d);
}

/* Format one located message and append it to list if there is room. */
static void diag_add(ds_diag_t *d, char ***list, size_t *n_kept,
                     const char *file, size_t line, const char *column,
                     const char *fmt, va_list ap)
{
    if (*n_kept >= d->keep)
        return;
    char head[1200] = "", body[DS_ERROR_MSG_MAX];
    size_t h = 0;
    if (file)
        h += (size_t)snprintf(head + h, sizeof head - h, "%s:", file);
    if (file && line)
        h += (size_t)snprintf(head + h, sizeof head - h, "%zu:", line);
    if (h && h < sizeof head)
        h += (size_t)snprintf(head + h, sizeof head - h, " ");
    if (column && h < sizeof head)
        snprintf(head + h, sizeof head - h, "column '%s': ", column);
    vsnprintf(body, sizeof body, fmt, ap);

    size_t len = strlen(head) + strlen(body) + 1;
    char *msg = malloc(len);
    if (!msg) {
        d->oom = 1;
        return;
    }
    snprintf(msg, len, "%s%s", head, body);
    if (*n_kept == 0 && !*list) {
        *list = calloc(d->keep, sizeof **list);
        if (!*list) {
            free(msg);
            d->oom = 1;
            return;
        }
    }
    (*list)[(*n_kept)++] = msg;
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
