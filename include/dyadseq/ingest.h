/*
 * ingest.h — transcript CSV → corpus, with complete validation (SPEC 3).
 *
 * One streaming pass per input with libcsv (through csvread). Columns are
 * found by header name; every problem is recorded in a ds_diag_t as
 * "FILE:LINE: column 'NAME': message" so that `validate` can report all of
 * them at once. ds_ingest_file() is the single entry point of the parser
 * (one file or stream into a builder), which is what a fuzzer drives.
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
    int threads;   /* threads of ds_corpus_load; 0 = omp_get_max_threads() */
} ds_ingest_opts_t;

typedef struct ds_builder ds_builder_t;

/* A builder collects events from any number of files. NULL on OOM. */
ds_builder_t *ds_builder_new(const ds_ingest_opts_t *opts);
void ds_builder_free(ds_builder_t *b);

/*
 * Parse one transcript from fp; `name` is used in messages and as the
 * file's name in the corpus. Data problems go to diag (returns DS_OK, or
 * DS_EDATA when the file as a whole could not be read as a transcript);
 * I/O and allocation failures return DS_EIO / DS_ENOMEM with err set.
 */
int ds_ingest_file(ds_builder_t *b, FILE *fp, const char *name,
                   ds_diag_t *diag, ds_error_t *err);

/*
 * Finish: sort sessions (and, with opts->sort, events), check time order,
 * warn about sessions of fewer than two events, build the state tables.
 * On success *out owns everything and the builder is emptied. Returns
 * DS_EDATA if diag holds errors (from any file), without a corpus.
 */
int ds_builder_finish(ds_builder_t *b, ds_corpus_t **out, ds_diag_t *diag,
                      ds_error_t *err);

/*
 * Expand command-line inputs: a file is itself, a directory is every
 * "*.csv" in it in byte order, "-" is standard input. Returns DS_EUSAGE with
 * err set if a path does not exist or a directory has no CSV files.
 */
int ds_inputs_expand(const char *const *args, size_t n_args, char ***paths,
                     size_t *n_paths, ds_error_t *err);
void ds_inputs_free(char **paths, size_t n_paths);

/*
 * Expand, open and ingest all inputs, then finish (the usual path). With
 * more than one thread, files are read in rounds of a few MiB, cut into
 * pieces at line feeds, the pieces parsed in parallel (a builder each) and
 * merged in file order, so the corpus is the same at any thread count.
 * Whatever this fast path cannot judge exactly as the one-thread reader
 * would (any problem in the data, quoted fields, standard input) makes it
 * start again with the one-thread reader, which then reports.
 *
 * Testing only: the environment variable DYADSEQ_PIECE_BYTES=N (N >= 64)
 * sets the size of the pieces (default 1 MiB), so that tests can make a
 * small file cross many pieces and rounds.
 */
int ds_corpus_load(const char *const *args, size_t n_args,
                   const ds_ingest_opts_t *opts, ds_corpus_t **out,
                   ds_diag_t *diag, ds_error_t *err);

#endif
