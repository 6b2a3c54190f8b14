/*
 * outfile_internal.h — what outfile.c and outfile_guard.c share; not part
 * of the interface (outfile.h).
 *
 *   outfile.c        the atomic save: temporary, fsync, rename, dir sync
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

#endif
