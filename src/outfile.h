/*
 * outfile.h — the one atomic save of dyadseq: output files are complete or
 * absent (SPEC 2). Every command that writes a file goes through here: the
 * HDF5 results writer (results_write.c), simulate's CSV files, and any
 * writer to come.
 *
 * A failed run must leave no output file behind and never truncate an
 * existing one, so every output is written to a temporary file
 * ".NAME.tmp.XXXXXX" in the directory of the output (same file system, so
 * the final rename is atomic), flushed, fsynced and closed, then given its
 * name, and the directory is fsynced so that the new name survives a crash
 * too: Redis's rdbSave followed by fsyncFileDir. Without `force` an existing
 * file is refused when opening, and the final step is link(2), which fails
 * rather than replace a file that appeared meanwhile. The name "-" given to
 * ds_outfile_open is standard output, written directly.
 *
 * Two steps, so that a command writing several files can close them all
 * and only publish them when every one was written:
 *   ds_outfile_open → write to f->fp → ds_outfile_close →
 *   ds_outfile_publish
 * and ds_outfile_discard at any point to remove the temporary file.
 * Writers that open files by name (HDF5) use ds_outfile_open_fd and write
 * to f->tmp; the descriptor f->fd is what gets synced.
 *
 * An existing path must be a regular file, even with force: a symbolic
 * link, a device or a named pipe is refused, never replaced.
 *
 * No debris (outfile_guard.c): while a temporary exists, SIGINT, SIGTERM,
 * SIGHUP and SIGPIPE remove it and end the process with status 128 + the
 * signal ("dyadseq: error: interrupted by SIGINT; the incomplete output
 * was removed"); and each publish sweeps the directory it renamed into of
 * stale temporaries (".NAME.tmp.XXXXXX" of the same user, modified before
 * this process started and not locked by a running writer) that runs
 * killed with SIGKILL or by a crash left. Call these functions from the
 * main thread.
 *
 * Testing only: the environment variable DYADSEQ_FAULT=outfile_publish
 * makes ds_outfile_publish (and _publish_all, _commit) fail just before
 * the first rename, so tests can check that such a failure leaves no file;
 * DYADSEQ_FAULT=crash_after_publish aborts right after each rename, as a
 * crash after HDF5 wrote the file would (outfile_internal.h);
 * DYADSEQ_FAULT=outfile_sync makes the syncs ds_outfile_writeback asks for
 * fail with EIO, which ds_outfile_close then reports (outfile_sync.c).
 */
#ifndef DYADSEQ_OUTFILE_H
#define DYADSEQ_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "dyadseq/error.h"

typedef struct ds_outfile_syncer ds_outfile_syncer_t;

typedef struct ds_outfile {
    FILE *fp;     /* write here (ds_outfile_open); NULL after close */
    int fd;       /* the temporary's descriptor while it is open, else -1;
                     meaningful only while tmp is set */
    char *path;   /* the final name, or "-" */
    char *tmp;    /* the temporary name, NULL for standard output */
    int force;    /* replace an existing file */
    ds_outfile_syncer_t *syncer; /* background fdatasync, or NULL */
    int sync_off; /* no thread for background syncs: none asked */
} ds_outfile_t;

/*
 * Open a temporary file for path as a stream f->fp (standard output for
 * "-"). Returns 0, or with err set: DS_EUSAGE for an empty name or one
 * ending in '/'; DS_EIO when path exists and !force ("… exists; use
 * --force to overwrite it"), is a directory, or the temporary file cannot
 * be created (the message names the directory); DS_ENOMEM. On failure f
 * holds nothing to clean up.
 */
int ds_outfile_open(ds_outfile_t *f, const char *path, int force,
                    ds_error_t *err);

/*
 * As ds_outfile_open, for writers that open the file by name themselves:
 * the temporary file f->tmp exists, empty, with f->fd open on it and
 * f->fp NULL. "-" is an ordinary file name here.
 */
int ds_outfile_open_fd(ds_outfile_t *f, const char *path, int force,
                       ds_error_t *err);

/* Whether path exists (any kind of file); the no-clobber pre-check. */
int ds_outfile_exists(const char *path);

/*
 * What is written so far should reach the disk now, while the writer goes
 * on (nothing for standard output): start its writeback (Linux's
 * sync_file_range) and, every 4 MiB the file grows, have a thread of the
 * outfile's own fdatasync it (outfile_sync.c), so that the fsync at the
 * end has little left to wait for. Errors are reported by
 * ds_outfile_close.
 */
void ds_outfile_writeback(ds_outfile_t *f);

/*
 * Flush, fsync and close the temporary file (flush standard output),
 * checking every step. On failure the temporary file is removed and
 * DS_EIO returned with err set.
 */
int ds_outfile_close(ds_outfile_t *f, ds_error_t *err);

/*
 * Give the closed temporary file its name: rename(2) with force, else
 * link(2) and unlink(2) (a file that appeared since opening is not
 * replaced); then fsync the directory. Frees the names. Returns 0 or
 * DS_EIO (temporary removed). A failing directory sync is not an error:
 * the file is complete and in place (some file systems cannot sync a
 * directory); ds_outfile_sync_dir reports it when that matters.
 */
int ds_outfile_publish(ds_outfile_t *f, ds_error_t *err);

/*
 * Publish n closed files in order and fsync each of their directories
 * once at the end (a command writing a file per couple). On a failure the
 * files not yet published are discarded; those before stay published.
 */
int ds_outfile_publish_all(ds_outfile_t *f, size_t n, ds_error_t *err);

/* ds_outfile_close then ds_outfile_publish. */
int ds_outfile_commit(ds_outfile_t *f, ds_error_t *err);

/* Close if open, remove the temporary file, free the names. Safe to call
 * on a zeroed, published or already discarded f. */
void ds_outfile_discard(ds_outfile_t *f);

/*
 * The last line of defense against the HDF5 library's crashes
 * (outfile_guard.c): while HDF5 is in use a crash removes the
 * temporaries and ends with a message and exit status 1 instead of a
 * signal. Install it first thing in main(); then the results module says
 * what HDF5 is doing (context: "while starting", "while writing FILE",
 * NULL when done; the string must stay valid), that one of its calls
 * failed (after which it may crash in any later call), and which results
 * file given by the user is being read (valid until the matching call
 * with NULL; calls nest): a crash then is reported as that file's damage.
 */
void ds_outfile_guard_start(void);

/* main() is returning: from now on an exit is its own. Before, an exit()
 * from a library (libgomp, HDF5) removes the temporaries and becomes
 * status 1 with a message. */
void ds_outfile_guard_done(void);
void ds_outfile_guard_context(const char *what);
void ds_outfile_guard_failed(void);
void ds_outfile_guard_reading(const char *path);

/*
 * Another library's call that does not survive running out of memory
 * (the C library's regcomp frees a block twice when one of its
 * allocations fails): while `what` is set (non-NULL, "compiling
 * --id-pattern"), a crash is reported as `lib`'s ("the C library's
 * regcomp") with exit status 1. NULL, NULL when the call is done.
 */
void ds_outfile_guard_library(const char *lib, const char *what);

/*
 * Remove the stale temporaries in dir (see above); returns how many were
 * removed. ds_outfile_publish does this after its renames.
 */
size_t ds_outfile_sweep(const char *dir);

/*
 * fsync the directory that holds path ("." for a bare name), so that a
 * rename in it is durable (Redis fsyncFileDir). Returns 0, DS_EIO when the
 * directory cannot be opened or synced, DS_ENOMEM.
 */
int ds_outfile_sync_dir(const char *path, ds_error_t *err);

#endif
