/*
 * agree_input.h — the two codings that `dyadseq agree` compares (SPEC 7):
 * read from two inputs, or split from one set of inputs by their `coder`
 * column; checked against each other (the same columns, the same codes
 * with the same roles); and matched session by session on (couple,
 * session), keeping the sessions of one coding only aside.
 *
 * Splitting by coder keeps every message exact: each input is read once
 * to find the coder of every row, and each coding's reader then sees the
 * file with the other coders' rows blanked out line for line, so its
 * FILE:LINE messages point at the input as written. The inputs are held
 * in memory while they are split (a reliability subset is small).
 *
 * Application internals (file reading, no printing): problems go to a
 * ds_diag_t or a ds_error_t for the command to print.
 */
#ifndef DYADSEQ_AGREE_INPUT_H
#define DYADSEQ_AGREE_INPUT_H

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"
#include "dyadseq/ingest.h"

/* Every input file read, with the SHA-256 of its bytes (provenance). */
typedef struct ds_agree_files {
    size_t n;
    char **name;
    char (*sha256)[65];
} ds_agree_files_t;

void ds_agree_files_clear(ds_agree_files_t *f);

/*
 * Read the inputs args[0..n_args) (files, directories, "-") and split
 * their rows by the coder column into two corpora: rows of coder[k] read
 * with opts[k]. A missing coder column, an empty coder or one not in
 * coder[] is a located problem in diag; so is a coder with no rows at
 * all. Returns 0 with out[0], out[1] and files; DS_EDATA when diag holds
 * problems; DS_EUSAGE (an input does not exist), DS_EIO, DS_ENOMEM with
 * err set.
 */
int ds_agree_load_coders(const char *const *args, size_t n_args,
                         const char *const coder[2],
                         const ds_ingest_opts_t *const opts[2],
                         ds_corpus_t *out[2], ds_agree_files_t *files,
                         ds_diag_t *diag, ds_error_t *err);

/*
 * Whether two codebooks hold the same codes with the same roles (the order
 * may differ). name[k] names codebook k in the message. 0 or DS_EDATA.
 */
int ds_agree_check_codebooks(const ds_codebook_t *first,
                             const ds_codebook_t *second,
                             const char *const name[2], ds_error_t *err);

/* The double-coded sessions of two codings. */
typedef struct ds_agree_match {
    /* view[k]: coding k's sessions that both codings have, in the order of
     * coding 0 (couple, then session label, byte order), over coding 0's
     * states, codebook and labels (shallow: only .sessions is owned) */
    ds_corpus_t view[2];
    size_t n_common;
    /* sessions of one coding only: coding index and the session */
    size_t n_single;
    int *single_which;
    const ds_session_t **single;
} ds_agree_match_t;

/*
 * Check that the codings can be compared and pair their sessions:
 * the same actor and time columns (DS_EDATA otherwise), the same codes
 * with the same roles (codebook_name[k] names coding k's codebook in the
 * message; DS_EDATA). A second codebook listing the codes in another order
 * is fine: coding 1's states are renumbered to coding 0's in place. No
 * session in common is DS_EDATA. Returns 0 with *m filled.
 */
int ds_agree_match(ds_corpus_t *coding[2], const char *const name[2],
                   const char *const codebook_name[2], ds_agree_match_t *m,
                   ds_error_t *err);
void ds_agree_match_clear(ds_agree_match_t *m);

#endif
