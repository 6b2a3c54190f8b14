/*
 * import_corpus.h — a checked study (import.h) as a corpus, its rows fed
 * through the transcript reader's row checks (see import_corpus.c).
 */
#ifndef DYADSEQ_IMPORT_CORPUS_H
#define DYADSEQ_IMPORT_CORPUS_H

#include "dyadseq/corpus.h"
#include "dyadseq/ingest.h"
#include "import.h"

/*
 * The corpus of st (after ds_import_study_finish), with io's codebook and
 * actors (st's own; its merge is st->merge). Files are the inputs that
 * gave events, with the digests of their original bytes; event lines are
 * source lines. Warnings (sessions of fewer than two events) go to diag.
 * Returns DS_OK with *out, DS_EDATA (diag), DS_ENOMEM.
 */
int ds_import_corpus(const ds_import_study_t *st, const ds_ingest_opts_t *io,
                     ds_corpus_t **out, ds_diag_t *diag, ds_error_t *err);

#endif
