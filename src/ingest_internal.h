/*
 * ingest_internal.h — what the parts of the reader share; not part of the
 * public interface (include/dyadseq/ingest.h).
 *
 *   ingest.c           the ingest itself: sessions being built, input
 *                      files, finishing into a corpus, the one-thread
 *                      reader and ds_ingest_load
 *   ingest_rows.c      the checks of one row from any source, and the
 *                      row interface of importers (ds_ingest_begin/row/end)
 *   ingest_csv.c       transcript CSV: the header, the CSV-only checks of
 *                      a row, ds_ingest_file
 *   ingest_dir.c       command-line inputs → the list of files to read
 *   ingest_parallel.c  the parallel reader of large inputs
 */
#ifndef DYADSEQ_INGEST_INTERNAL_H
#define DYADSEQ_INGEST_INTERNAL_H

#include <stdint.h>

#include "csvread.h"
#include "dyadseq/ingest.h"
#include "strmap.h"

#define INGEST_N_REQUIRED 3      /* couple, session, code come first */
#define INGEST_NONE ((size_t)-1) /* no session, no file */
#define INGEST_FALLBACK 1        /* the parallel reader gives up */

/* A session being built: growable event columns, and where it was seen. */
typedef struct ingest_session {
    char *couple, *label;
    size_t couple_len, label_len;
    size_t n, cap;
    double *onset, *duration;
    uint16_t *state;
    uint32_t *line, *file;         /* NULL unless keep_lines */
    int keep_lines;                /* decided when the session is seen */
    size_t first_file, first_line; /* where the session was first seen */
    size_t ev0_file, ev0_line;     /* where its first event was read */
    size_t ev_file, ev_line;       /* where its latest event was read */
    size_t last_file;              /* file of the latest row */
    size_t dup_reported;           /* file for which a duplicate was said */
    size_t n_periods;              /* the observation period, as in */
    double *period;                /* ds_session_t; 0/NULL: none yet */
    size_t period_file, period_line; /* the row that first gave it */
} ingest_session_t;

/*
 * A source being read: a CSV file, an importer's file, or a piece of a
 * file in the parallel reader. Rows go to g; messages name `name`.
 */
typedef struct ingest_src {
    ds_ingest_t *g;
    const char *name;
    size_t file;                   /* index in g->files */
    ds_diag_t *diag;
    int has[DS_INGEST_N_COLS];     /* the source's columns */
    size_t n_rows;                 /* rows seen (valid or not) */
    size_t prev;                   /* session of the previous row */
    char *key;                     /* scratch for session keys */
    size_t key_cap;
    double *pbuf;                  /* scratch for a row's period */
    size_t pbuf_cap;
} ingest_src_t;

/* The open source of ds_ingest_begin .. ds_ingest_end. */
typedef struct ingest_rows {
    ingest_src_t src;
    int open;
    int skip;                      /* bad columns or file too long */
    size_t errors_before;          /* diag->n_errors at ds_ingest_begin */
} ingest_rows_t;

struct ds_ingest {
    ds_ingest_opts_t opts;
    size_t *code_len;              /* [codebook->n] strlen of each code */
    size_t *actor_len;             /* [n_actors] */
    ds_strmap_t *map;              /* couple \x1f label → index in s */
    ingest_session_t *s;
    size_t n_s, cap_s;
    size_t size_hint;              /* events of the last finished session */
    char **files;
    char (*sha)[65];
    size_t n_files, cap_files;
    int columns_known;             /* optional-column set fixed by ... */
    int has_col[DS_INGEST_N_COLS];
    size_t columns_file;           /* ... this file */
    int any_error;
    ingest_rows_t rows;
};

/* One row's fields by column (NULL where the source has no such column)
 * with their lengths, and its line. */
typedef struct ingest_fields {
    const char *f[DS_INGEST_N_COLS];
    size_t len[DS_INGEST_N_COLS];
    size_t line;
} ingest_fields_t;

/* A CSV source: where each column is and the header's names. */
typedef struct ingest_csv {
    ingest_src_t src;
    long col[DS_INGEST_N_COLS];    /* field index of each column, or -1 */
    size_t n_header;
    char **header;                 /* header names, for messages */
    int header_bad;
} ingest_csv_t;

/* ---- ingest.c ---- */

/* Register input `name` in g (its index in *file) and start a source on
 * it. DS_EUSAGE for more than 65535 states or 2^32 files. */
int ingest_src_begin(ingest_src_t *s, ds_ingest_t *g, const char *name,
                     ds_diag_t *diag, ds_error_t *err);
void ingest_src_clear(ingest_src_t *s);

/* Put couple \x1f label into *key (grown as needed); its length in *kl.
 * 0 or -1 on OOM. */
int ingest_key(char **key, size_t *key_cap, const char *couple, size_t lc,
               const char *label, size_t ll, size_t *kl);

/* Append a new, zeroed session under key to g; its index, or INGEST_NONE
 * on OOM. Pointers into g->s are invalid afterwards. */
size_t ingest_session_add(ds_ingest_t *g, const char *key, size_t kl);

/* Room for one more event (growth by half; a new session starts at the
 * size of the last finished one). 0 or -1 on OOM. */
int ingest_session_reserve(ingest_session_t *s, size_t hint, int has_time,
                           int has_duration);

/* Release a session's spare capacity (when the rows move on). */
void ingest_session_shrink(ingest_session_t *s);

/* ---- ingest_rows.c ---- */

/*
 * Check that s has the required columns and the optional ones of every
 * earlier source (the first source fixes them); problems go to s->diag at
 * s->name:line. Returns the number of problems.
 */
size_t ingest_check_columns(ingest_src_t *s, size_t line);

/*
 * Check one row and store it as an event of its session. Returns 0 (also
 * when the row had problems: they are in s->diag), 1 to stop reading the
 * source (recorded in s->diag), or DS_ENOMEM.
 */
int ingest_row(ingest_src_t *s, const ingest_fields_t *r);

/* ---- ingest_period.c ---- */

/*
 * The observation period that row r gives (columns start and end), if
 * any, checked and given to its session e (or compared with the one e
 * has). Returns 0, 1 after reporting a problem (the row is not to be
 * stored), or DS_ENOMEM.
 */
int ingest_row_period(ingest_src_t *s, ingest_session_t *e,
                      const ingest_fields_t *r);

/*
 * The observation periods of g's sessions: every event within its
 * session's period (SPEC 3), each problem at the event's line. Returns
 * the number of problems.
 */
size_t ingest_check_periods(ds_ingest_t *g, ds_diag_t *diag);

/* Write the period p[2n] as "a..b s" or "a..b; c..d s" into buf[len]. */
void ingest_period_text(char *buf, size_t len, const double *p, size_t n);

/* ---- ingest_csv.c ---- */

void ingest_csv_init(ingest_csv_t *c);
void ingest_csv_clear(ingest_csv_t *c);

/* The csvread callback of a transcript: row 0 is the header. */
int ingest_csv_row(const ds_csv_row_t *row, void *ctx);

/* ---- ingest_dir.c ---- */

/*
 * Expand command-line inputs: a file is itself, a directory every "*.csv"
 * in it in byte order, "-" standard input. DS_EUSAGE with err set if a
 * path cannot be read or a directory has no CSV files.
 */
int ingest_paths_alloc(const char *const *args, size_t n_args,
                       char ***paths, size_t *n_paths, ds_error_t *err);
void ingest_paths_free(char **paths, size_t n_paths);

/* ---- ingest_parallel.c ---- */

/*
 * Merge the sessions of piece pg (a block of whole lines of file `file`,
 * parsed into an ingest of its own, lines counted from 1) into g, in file
 * order: lines shifted to start at *base_line, which moves past the
 * piece's end_line. The arrays move over (pg keeps empty sessions).
 * INGEST_FALLBACK when the one-thread reader would have reported
 * something at the seam (a session also in an earlier file without
 * --merge, time going backwards across pieces); DS_ENOMEM.
 */
int ingest_merge_piece(ds_ingest_t *g, ds_ingest_t *pg, size_t file,
                       size_t *base_line, size_t end_line, char **key,
                       size_t *key_cap);

/*
 * Read paths on `threads` threads and finish into *out. INGEST_FALLBACK
 * (err not set) when the one-thread reader must read them instead.
 */
int ingest_load_parallel(char **paths, size_t n, const ds_ingest_opts_t *opts,
                         int threads, ds_corpus_t **out, ds_diag_t *diag,
                         ds_error_t *err);

#endif
