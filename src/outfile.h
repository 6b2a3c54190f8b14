/*
 * outfile.h — output files that are complete or absent (SPEC 2).
 *
 * A failed run must leave no output file behind and never truncate an
 * existing one, so every output is written to a temporary file
 * "PATH.tmp.XXXXXX" in the same directory (same file system, so the final
 * rename is atomic), flushed, synced and closed, and only then given its
 * name. Without `force` an existing file is refused when opening, and the
 * final step is link(2), which fails rather than replace a file that
 * appeared meanwhile. The name "-" is standard output, written directly.
 *
 * Two steps, so that a command writing several files can close them all
 * and only publish them when every one was written:
 *   ds_outfile_open → write to f->fp → ds_outfile_close → ds_outfile_publish
 * and ds_outfile_discard at any point to remove the temporary file.
 */
#ifndef DYADSEQ_OUTFILE_H
#define DYADSEQ_OUTFILE_H

#include <stdio.h>

#include "dyadseq/error.h"

typedef struct ds_outfile {
    FILE *fp;     /* write here; NULL after close */
    char *path;   /* the final name, or "-" */
    char *tmp;    /* the temporary name, NULL for standard output */
    int force;    /* replace an existing file */
} ds_outfile_t;

/*
 * Open a temporary file for path (or take standard output for "-").
 * Returns 0, or DS_EIO with err set when path exists and !force ("… exists;
 * use --force to overwrite it"), is a directory, or the temporary file
 * cannot be created; DS_ENOMEM. On failure f holds nothing to clean up.
 */
int ds_outfile_open(ds_outfile_t *f, const char *path, int force,
                    ds_error_t *err);

/* Whether path exists (any kind of file); the no-clobber pre-check. */
int ds_outfile_exists(const char *path);

/*
 * Flush, sync and close the temporary file (flush standard output),
 * checking every step. On failure the temporary file is removed and
 * DS_EIO returned with err set.
 */
int ds_outfile_close(ds_outfile_t *f, ds_error_t *err);

/*
 * Give the closed temporary file its name: rename(2) with force, else
 * link(2) and unlink(2) (a file that appeared since opening is not
 * replaced). Frees the names. Returns 0 or DS_EIO (temporary removed).
 */
int ds_outfile_publish(ds_outfile_t *f, ds_error_t *err);

/* ds_outfile_close then ds_outfile_publish. */
int ds_outfile_commit(ds_outfile_t *f, ds_error_t *err);

/* Close if open, remove the temporary file, free the names. Safe to call
 * on a zeroed, published or already discarded f. */
void ds_outfile_discard(ds_outfile_t *f);

#endif
