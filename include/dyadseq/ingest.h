/*
 * ingest.h — transcripts → corpus, with complete validation (SPEC 3).
 *
 * An ingest (ds_ingest_t) collects the events of any number of sources
 * and then builds the corpus. A source is a transcript CSV
 * (ds_ingest_file: columns found by header name, one streaming pass with
 * libcsv through csvread) or the rows of another format that an importer
 * has already split into columns (ds_ingest_begin / ds_ingest_row /
 * ds_ingest_end). Both go through the same row checks, so every format
 * gets the same messages. Every problem is recorded in a ds_diag_t as
 * "FILE:LINE: column 'NAME': message", so that `validate` can report all of
 * them at once; a row with a problem is not stored.
 *
 * ds_ingest_load() is the usual path (expand the command-line inputs, read
 * them, on several threads when it can, and finish); ds_ingest_file() is
 * the single entry point of the CSV parser, which is what a fuzzer drives.
 *
 *   ds_ingest_t *g = ds_ingest_alloc(&opts);
 *   ds_ingest_file(g, fp, "a.csv", diag, err);        (any number)
 *   ds_ingest_finish(g, &corpus, diag, err);
 *   ds_ingest_free(g);
 */
#ifndef DYADSEQ_INGEST_H
#define DYADSEQ_INGEST_H

#include <stdio.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"

typedef struct ds_ingest_opts {
    const ds_codebook_t *codebook; /* borrowed; copied into the corpus */
    const char *const *actors;     /* --actors, default {"A", "B"} */
    size_t n_actors;
    int sort;      /* --sort: sort each session stably by onset */
    int merge;     /* --merge: a session may span several files */
    int verbose;   /* report ignored columns as warnings */
    int threads;   /* threads of ds_ingest_load; 0 = omp_get_max_threads() */
    /*
     * Keep no input line and file for each event (ds_session_t.line and
     * .file NULL), for a caller whose messages after reading cite none
     * (analyze without structural zeros: issue #7, 8 bytes an event,
     * and the memory they fragment). The reader's own messages keep
     * their lines; sessions that need them to the end keep them anyway:
     * those with an observation period (its events are checked against
     * it when all are read) and all under --merge (a session's rows may
     * come from files of other columns).
     */
    int drop_lines;
} ds_ingest_opts_t;

/* The columns of a transcript by role (SPEC 3), in the order of the
 * checks. The first three are required. start and end go together, and
 * need a time column; on a row they are both empty (the row does not
 * give the period) or both given, and every row of a session that gives
 * them gives the same; every event of the session must then lie within
 * the period (checked by ds_ingest_finish, at the event's line). */
typedef enum ds_ingest_col {
    DS_INGEST_COUPLE = 0,
    DS_INGEST_SESSION,
    DS_INGEST_CODE,
    DS_INGEST_ACTOR,    /* one of opts.actors */
    DS_INGEST_TIME,     /* onset: seconds, or [hh:]mm:ss[.fff] */
    DS_INGEST_DURATION, /* seconds */
    DS_INGEST_CODER,    /* recognized, not used yet */
    DS_INGEST_START,    /* the session's observation period: its start ... */
    DS_INGEST_END,      /* ... and end (seconds or [hh:]mm:ss[.fff]; a
                           list separated by ';' for a period with
                           stretches not coded, see corpus.h) */
    DS_INGEST_N_COLS
} ds_ingest_col_t;

/* The bit of a column in the `columns` set of ds_ingest_begin. */
#define DS_INGEST_BIT(col) (1u << (col))

/* A column's name, as in CSV headers and messages: "couple", "time". */
const char *ds_ingest_col_name(ds_ingest_col_t col);

typedef struct ds_ingest ds_ingest_t;

/* An empty ingest over opts (copied; the codebook and actors it points
 * to must outlive the ingest). NULL on OOM. */
ds_ingest_t *ds_ingest_alloc(const ds_ingest_opts_t *opts);
void ds_ingest_free(ds_ingest_t *g);

/*
 * Parse one transcript CSV from fp; `name` is used in messages and as the
 * file's name in the corpus. Data problems go to diag (returns DS_OK, or
 * DS_EDATA when the file as a whole could not be read as a transcript);
 * I/O and allocation failures return DS_EIO / DS_ENOMEM, and more than
 * 65535 states DS_EUSAGE, with err set.
 */
int ds_ingest_file(ds_ingest_t *g, FILE *fp, const char *name,
                   ds_diag_t *diag, ds_error_t *err);

/*
 * Rows from an importer (BORIS, ELAN, SDIS, ...): one source at a time,
 *
 *   ds_ingest_begin(g, "study.boris", DS_INGEST_BIT(DS_INGEST_COUPLE) |
 *                   ... | DS_INGEST_BIT(DS_INGEST_TIME), 0, diag, err);
 *   for each event:  row.field[DS_INGEST_CODE] = "pursue"; ...
 *                    row.line = line of the event in the file;
 *                    ds_ingest_row(g, &row, err);
 *   ds_ingest_end(g, sha256_hex_of_the_file, err);
 *
 * `columns` says which columns the source's rows have (a set of
 * DS_INGEST_BIT; couple, session and code are required), as a CSV header
 * does: every source of a study must have the same optional columns, or
 * an error is recorded at name:line (line 0: none) and the source's rows
 * are ignored. Each row then gets exactly the checks and messages of a
 * CSV row after its header (empty values, unknown code or actor with a
 * "did you mean", unreadable or negative times and durations, time going
 * backwards within a session, a session also in another source without
 * --merge), plus a UTF-8 check of its fields, at name:row->line. Problems
 * go to the diag given to ds_ingest_begin, which must live until
 * ds_ingest_end. A source without rows is no error here: an importer says
 * what is missing in its format's own words (the CSV reader says "no data
 * rows (header only)").
 *
 * All three return DS_OK (data problems are in diag), DS_ENOMEM, or
 * DS_EUSAGE with err set when called out of order, with a required column
 * missing from `columns`, with a row whose fields do not match `columns`
 * (field[k] must be NULL exactly for the columns not in the set), without
 * a digest, or for more than 65535 states.
 */
typedef struct ds_ingest_row {
    const char *field[DS_INGEST_N_COLS]; /* NUL-terminated, borrowed */
    size_t line;                         /* for messages: name:line */
} ds_ingest_row_t;

int ds_ingest_begin(ds_ingest_t *g, const char *name, unsigned columns,
                    size_t line, ds_diag_t *diag, ds_error_t *err);
int ds_ingest_row(ds_ingest_t *g, const ds_ingest_row_t *row,
                  ds_error_t *err);
/* sha256: hex digest of the source's bytes (64 characters), for the
 * provenance of the results file. */
int ds_ingest_end(ds_ingest_t *g, const char *sha256, ds_error_t *err);

/*
 * Finish: build the corpus (corpus.c): sessions in byte order of (couple,
 * label), with opts->sort each session's events stably by onset; warn
 * about sessions of fewer than two events. On success *out owns every
 * event, and only ds_ingest_free may follow. Returns DS_EDATA if diag
 * holds errors (from any source), without a corpus.
 */
int ds_ingest_finish(ds_ingest_t *g, ds_corpus_t **out, ds_diag_t *diag,
                     ds_error_t *err);

/*
 * Expand, open and ingest all inputs, then finish (the usual path). A
 * file is itself, a directory every "*.csv" in it in byte order, "-"
 * standard input; a path that does not exist or a directory without CSV
 * files is DS_EUSAGE with err set. With more than one thread (opts->
 * threads), regular files are read in rounds of a few MiB, cut into
 * pieces at line feeds, the pieces parsed in parallel (an ingest each) and
 * merged in file order, so the corpus is the same at any thread count.
 * Whatever this fast path cannot judge exactly as the one-thread reader
 * would (any problem in the data, quoted fields, standard input, pipes)
 * makes it start again with the one-thread reader, which then reports.
 *
 * Testing only: the environment variable DYADSEQ_PIECE_BYTES=N (N >= 64)
 * sets the size of the pieces (default 1 MiB), so that tests can make a
 * small file cross many pieces and rounds.
 */
int ds_ingest_load(const char *const *args, size_t n_args,
                   const ds_ingest_opts_t *opts, ds_corpus_t **out,
                   ds_diag_t *diag, ds_error_t *err);

#endif
