/*
 * csvread.h — the one CSV reader every parser in dyadseq uses.
 *
 * A streaming pass over one file with libcsv (strict RFC 4180 quoting, LF
 * or CRLF), delivering whole rows with the physical line on which each row
 * starts, so every later message can say FILE:LINE. It strips a UTF-8 BOM,
 * refuses binary files and empty files, reports malformed quoting, and can
 * hash the bytes it reads (provenance) in the same pass. It knows nothing
 * about columns: checking field contents is the caller's job.
 */
#ifndef DYADSEQ_CSVREAD_H
#define DYADSEQ_CSVREAD_H

#include <stdio.h>

#include "dyadseq/error.h"
#include "dyadseq/sha256.h"

typedef struct ds_csv_row {
    size_t n;      /* number of fields */
    char **field;  /* NUL-terminated copies, valid until the callback returns */
    size_t *len;   /* byte length of each field (a field may hold a NUL) */
    size_t line;   /* 1-based physical line on which the row starts */
    size_t index;  /* 0-based row number (0 = the header) */
} ds_csv_row_t;

/*
 * Row callback: return 0 to go on, a positive value to stop reading quietly,
 * or a negative DS_E* code to abort (the code is passed back).
 */
typedef int (*ds_csv_row_fn)(const ds_csv_row_t *row, void *ctx);

/*
 * Read all rows of fp. `name` is used in messages. Problems of the file
 * itself (empty, binary, malformed quoting) go to diag as located errors and
 * make the function return DS_EDATA after reporting; I/O and allocation
 * failures return DS_EIO / DS_ENOMEM with err set. When hash is not NULL,
 * every byte read is added to it.
 */
int ds_csv_read(FILE *fp, const char *name, ds_csv_row_fn fn, void *ctx,
                ds_diag_t *diag, ds_sha256_t *hash, ds_error_t *err);

/*
 * Write one field to fp with RFC 4180 quoting when needed (libcsv's
 * csv_fwrite). Returns 0 or -1 on a write error.
 */
int ds_csv_write_field(FILE *fp, const char *s);

#endif
