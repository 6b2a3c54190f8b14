/*
 * error.h — error codes, error messages and located diagnostics.
 *
 * Every function below main() reports failure by returning a negative DS_E*
 * code and writing one human-readable line into a caller-provided
 * ds_error_t (htslib style): no printing, no exit(). Validation, which must
 * report *every* problem in the input rather than the first, collects
 * located messages ("FILE:LINE: column 'NAME': message") in a ds_diag_t.
 */
#ifndef DYADSEQ_ERROR_H
#define DYADSEQ_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum {
    DS_OK = 0,
    DS_ENOMEM = -1, /* allocation failed */
    DS_EIO = -2,    /* reading or writing a file failed */
    DS_EDATA = -3,  /* the input data are invalid */
    DS_EUSAGE = -4, /* an option or argument is invalid */
    DS_ENUM = -5,   /* a numerical routine failed */
    DS_EHDF5 = -6,  /* the HDF5 library reported an error */
    DS_ENOTAVAIL = -7 /* the input lacks a column (time, actor, duration)
                         that a metric needs: the metric is not computed,
                         which is not a failure of the run */
};

#define DS_ERROR_MSG_MAX 1024

typedef struct ds_error {
    int code;
    char msg[DS_ERROR_MSG_MAX];
} ds_error_t;

/*
 * Format a message into err (if err is not NULL) and return code. A
 * message longer than the buffer keeps the format's own text and numbers
 * whole and cuts its long string arguments (names, labels, inner
 * messages) in the middle, "head…tail", the longest first: the reason is
 * never lost to a long file name.
 */
int ds_error_set(ds_error_t *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What a DS_E* code means, for an error that came without a message. */
const char *ds_error_str(int code);

/* snprintf, vsnprintf into buf[size] that shorten as ds_error_set does. */
void ds_format_fit(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ds_vformat_fit(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * A list of located problems and warnings. Every problem is counted; the
 * first `keep` problems are stored verbatim for printing.
 */
typedef struct ds_diag {
    size_t n_errors, n_warnings;
    size_t keep;            /* how many messages of each kind to store */
    char **errors;          /* n_errors_kept messages */
    size_t n_errors_kept;
    char **warnings;
    size_t n_warnings_kept;
    int oom;                /* an allocation failed while recording */
} ds_diag_t;

void ds_diag_init(ds_diag_t *d, size_t keep);
void ds_diag_clear(ds_diag_t *d);

/*
 * Record a problem. file may be NULL; line 0 means "no line";
 * column may be NULL. The stored text is
 *   FILE:LINE: column 'NAME': message
 * with absent parts left out.
 */
void ds_diag_error(ds_diag_t *d, const char *file, size_t line,
                   const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void ds_diag_warning(ds_diag_t *d, const char *file, size_t line,
                     const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Copy s into a printable excerpt for messages: at most max bytes of s
 * (cut at a UTF-8 character boundary, "…" appended when cut), control
 * characters shown as '?'. dst must hold max + 8 bytes.
 */
void ds_excerpt(char *dst, const char *s, size_t max);

#endif
