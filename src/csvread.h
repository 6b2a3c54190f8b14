/*
 * csvread.h — the one CSV reader every parser in dyadseq uses.
 *
 * A streaming pass over one file with libcsv (strict RFC 4180 quoting, LF
 * or CRLF; blank lines are skipped), delivering whole rows with the
 * physical line on which each row starts, so every later message can say FILE:LINE. It strips a UTF-8 BOM,
 * refuses binary files and empty files, reports malformed quoting, and can
 * hash the bytes it reads (provenance) in the same pass. It knows nothing
 * about columns: checking field contents is the caller's job.
 */
#ifndef DYADSEQ_CSVREAD_H
#define DYADSEQ_CSVREAD_H

#include <stdio.h>

#include "dyadseq/error.h"
#include "sha256.h"

/*
 * The longest field the reader takes, in bytes (README, Input). A longer
 * one is a located problem, "FILE:LINE: column 'NAME': field longer than
 * 65536 bytes" (the column named by the header row where the file has
 * one, else "field K"), and the file is read no further. libcsv grows its
 * field buffer a block at a time, so without a limit a field of many
 * megabytes (a binary blob, a quote never closed) costs thousands of
 * reallocations before anyone can say what is wrong.
 */
#define DS_CSV_FIELD_MAX 65536

typedef struct ds_csv_row {
    size_t n;      /* number of fields */
    char **field;  /* NUL-terminated copies, valid until the callback returns */
    size_t *len;   /* byte length of each field (a field may hold a NUL) */
    size_t line;   /* 1-based physical line on which the row starts */
    size_t index;  /* 0-based row number (0 = the header) */
    int clean;     /* every byte of the row is ASCII and none is NUL: the
                      fields need no UTF-8 or NUL checks */
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
 * ds_csv_read with another field delimiter: '\t' for the tab-separated
 * exports of coding tools (BORIS, ELAN). Quoting rules are unchanged.
 * header: the first row names the columns (ds_csv_read: always); 0 for
 * files that start with a preamble or have no header, whose messages then
 * count fields.
 */
int ds_csv_read_delim(FILE *fp, const char *name, unsigned char delim,
                      int header, ds_csv_row_fn fn, void *ctx,
                      ds_diag_t *diag, ds_sha256_t *hash, ds_error_t *err);

/*
 * Parse a block of whole rows in memory (a piece of a file cut at a line
 * feed outside quotes), as ds_csv_read does after its checks of the file
 * start: lines are counted from first_line and rows from first_index. No
 * BOM, binary or empty-file checks; an empty block is no error. When
 * end_line is not NULL it receives the line after the block's last line
 * feed (first_line + the line feeds of a fully read block). A block that
 * starts at row 0 starts with the header.
 */
int ds_csv_read_block(const void *buf, size_t len, const char *name,
                      size_t first_line, size_t first_index, ds_csv_row_fn fn,
                      void *ctx, size_t *end_line, ds_diag_t *diag,
                      ds_error_t *err);

/* Whether the first bytes of a file look binary (ds_csv_read then reports
 * "not a CSV text file"). */
int ds_csv_looks_binary(const void *buf, size_t n);

/* Whether n bytes are all ASCII and none is NUL (see ds_csv_row_t.clean). */
int ds_csv_clean(const void *buf, size_t n);

/*
 * Write one field to fp with RFC 4180 quoting when needed (libcsv's
 * csv_fwrite). Returns 0 or -1 on a write error.
 */
int ds_csv_write_field(FILE *fp, const char *s);

#endif
