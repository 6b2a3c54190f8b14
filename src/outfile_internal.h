/*
 * outfile_internal.h — what outfile.c and outfile_guard.c share; not part
 * of the interface (outfile.h).
 *
 *   outfile.c        the atomic save: temporary, fsync, rename, dir sync
 *   outfile_sync.c   the thread that fdatasyncs a temporary while it is
 *                    written
 *   outfile_guard.c  the list of live temporaries that SIGINT, SIGTERM,
 *                    SIGHUP and SIGPIPE remove, the write lock on each, and
 *                    the sweep of stale temporaries after a publish
 */
#ifndef DYADSEQ_OUTFILE_INTERNAL_H
#define DYADSEQ_OUTFILE_INTERNAL_H

#include <stddef.h>

#include "outfile.h"

/*
 * mkstemp(tmp) and put tmp on the list of temporaries the signal handler
 * removes (the handler is installed at the first call); the new file is
 * write-locked while the descriptor stays open. tmp must stay valid until
 * ds_outfile_guard_forget(tmp). Main thread only. Returns the descriptor
 * or -1 with errno set.
 */
int ds_outfile_guard_mkstemp(char *tmp);

/* Take tmp off the list (after it was renamed or removed). */
void ds_outfile_guard_forget(const char *tmp);

/*
 * A file that HDF5 wrote (it is saved while HDF5's context is set) is
 * about to get its name path. HDF5 1.10 does not survive every failed
 * allocation: one in its free lists that succeeds when retried corrupts
 * the heap without an error, and the crash comes later, perhaps after the
 * rename. So until main() returns, a crash (or a library's exit()) also
 * removes the files HDF5 wrote in this run: a run that fails leaves no
 * output. _begin, before the rename, makes the entry (NULL when none is
 * needed; NULL with *oom set when memory ran out); _end, after it, puts
 * the entry on the list when the rename succeeded and frees it when not.
 */
void *ds_outfile_guard_written_begin(const char *path, int *oom);
void ds_outfile_guard_written_end(void *entry, int renamed);

/* Whether the test-only DYADSEQ_FAULT names this fault (outfile.h). */
int ds_outfile_fault(const char *name);

/*
 * Have f's open temporary (f->tmp, f->fd) fdatasynced soon by the
 * background thread when it grew by 4 MiB since the last such request
 * (the thread is started then; without one, nothing happens). Main thread
 * only.
 */
void ds_outfile_sync_soon(ds_outfile_t *f);

/* Stop and join f's background thread, if any, after the sync in
 * progress and, with finish, the one asked for last; the errno of its
 * first failed sync, or 0. */
int ds_outfile_sync_stop(ds_outfile_t *f, int finish);

#endif
