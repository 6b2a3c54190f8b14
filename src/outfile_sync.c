/*
 * outfile_sync.c — make a temporary durable while it is still being
 * written (see ds_outfile_writeback in outfile.h).
 *
 * The atomic save ends in an fsync that waits for every byte written
 * since the last one: on the virtual disks of cloud machines and clusters
 * the device's cache flush, not the CPU, is what costs (about 0.7 ms per
 * MB here, 20 ms for the results of a 1M-event study, a twentieth of the
 * whole run). sync_file_range only starts the writeback; it does not make
 * the flush shorter. So, as Redis's bio.c does for its append-only file,
 * a thread of its own fdatasyncs the file whenever it grew by SYNC_STEP
 * since the last time, and the writer goes on computing: the final fsync
 * finds little left to do (about 4 ms).
 *
 * The thread only ever waits on the disk: it computes nothing and writes
 * no byte (the file's contents are the writer's alone, and the same
 * whether it syncs or not). It is started when a file first grows past
 * SYNC_STEP, with every signal blocked (signals stay the main thread's,
 * outfile_guard.c), and joined before the final fsync (after the sync
 * asked last, which leaves that fsync little to do) or before the
 * temporary is removed (without it); a small file never starts it. Why a
 * POSIX thread and not OpenMP: OpenMP's threads are the computing ones, as
 * many as -t says; this one sleeps in the kernel. Why not Linux's asynchronous fsync
 * (IOCB_CMD_FDSYNC), which needs no thread: tearing down an AIO context
 * waits for an RCU grace period, 30 ms here, at io_destroy or at exit,
 * more than the sync saves.
 *
 * A failed background sync is remembered and reported by the final one:
 * Linux reports a writeback error to one fsync of an open file only, so a
 * later fsync of the same descriptor might return 0. No thread, or no
 * memory for one, is no error: the final fsync then does all the work.
 *
 * Testing only: DYADSEQ_FAULT=outfile_sync makes every background sync
 * fail with EIO, as a disk that fails while the file is written.
 */
#include "outfile_internal.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes the file grows by between background syncs: each is a commit of
 * the file system's journal, which the writer's own writes may wait on;
 * about 7 per results file of a 1M-event study. */
#define SYNC_STEP ((off_t)4 << 20)

struct ds_outfile_syncer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int fd;
    int pending;  /* a sync asked for and not begun */
    int stop;
    int err;      /* errno of the first failed sync, or 0 */
    int fault;    /* DYADSEQ_FAULT=outfile_sync: every sync fails */
    off_t asked;  /* the file's size at the last sync asked for (main
                     thread's) */
};

static void *syncer_main(void *arg)
{
    ds_outfile_syncer_t *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->pending && !s->stop)
            pthread_cond_wait(&s->wake, &s->lock);
        if (!s->pending) /* stopped, nothing asked */
            break;
        s->pending = 0;
        pthread_mutex_unlock(&s->lock);
        int e = s->fault ? EIO : fdatasync(s->fd) == 0 ? 0 : errno;
        pthread_mutex_lock(&s->lock);
        if (e && !s->err)
            s->err = e;
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

static ds_outfile_syncer_t *syncer_start(int fd)
{
    ds_outfile_syncer_t *s = calloc(1, sizeof *s);
    int locked, waits;
    if (!s)
        return NULL;
    s->fd = fd;
    s->fault = ds_outfile_fault("outfile_sync");
    sigset_t all, old;
    locked = pthread_mutex_init(&s->lock, NULL) == 0;
    waits = locked && pthread_cond_init(&s->wake, NULL) == 0;
    if (!waits)
        goto fail;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&s->thread, NULL, syncer_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0)
        return s;
fail:
    if (waits)
        pthread_cond_destroy(&s->wake);
    if (locked)
        pthread_mutex_destroy(&s->lock);
    free(s);
    return NULL;
}

void ds_outfile_sync_soon(ds_outfile_t *f)
{
    struct stat st;
    if (f->sync_off || fstat(f->fd, &st) != 0)
        return;
    ds_outfile_syncer_t *s = f->syncer;
    if (st.st_size - (s ? s->asked : 0) < SYNC_STEP)
        return;
    if (!s && !(s = f->syncer = syncer_start(f->fd))) {
        f->sync_off = 1; /* the final fsync does it all */
        return;
    }
    s->asked = st.st_size;
    pthread_mutex_lock(&s->lock);
    s->pending = 1; /* one sync covers all asked before it begins */
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

int ds_outfile_sync_stop(ds_outfile_t *f, int finish)
{
    ds_outfile_syncer_t *s = f->syncer;
    if (!s)
        return 0;
    pthread_mutex_lock(&s->lock);
    s->stop = 1;
    if (!finish)
        s->pending = 0;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    int e = s->err;
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
    f->syncer = NULL;
    return e;
}
