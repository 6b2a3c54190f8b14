/*
 * outfile_guard.c — what keeps the atomic save (outfile.c) from leaving
 * debris (issue 18 #2):
 *
 *  - Signals. Every temporary file that exists is on a list; SIGINT,
 *    SIGTERM, SIGHUP and SIGPIPE remove all of them and end the process:
 *    "dyadseq: error: interrupted by SIGINT; …" and exit status 128 + the
 *    signal number (130, 143, 129; SIGPIPE quietly, 141). The handler
 *    does only async-signal-safe things: unlink(2) of names prepared
 *    before the files were made, write(2), _exit(2) — no atexit handlers,
 *    so HDF5 never tries to close a half-written file. The list is changed
 *    only by the main thread, with these signals blocked in it; a signal
 *    delivered to another thread (OpenMP's workers) is passed on to the
 *    main thread, so the handler never sees the list half-changed. A
 *    signal the process was started with ignored (nohup, background jobs)
 *    stays ignored. SIGKILL cannot be caught: the next sweep removes its
 *    debris.
 *
 *  - Crashes and library exits (ds_outfile_guard_start, from main).
 *    SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT remove the temporaries
 *    too. While HDF5 is in use — after one of its calls ran out of memory
 *    (HDF5 1.10 does not survive that), reading a results file (a damaged
 *    file: HDF5 does not check all it reads), starting, writing — the
 *    crash is the library's: "dyadseq: error: the HDF5 library crashed
 *    (SIGSEGV) reading FILE; the file is damaged" and exit status 1, on
 *    an alternate stack so that a stack overflow is caught too. Otherwise
 *    the process still crashes, as a bug should. An exit() from below
 *    main() (libgomp's exit(1) when it cannot create a thread, HDF5's
 *    exit(-1)) removes the temporaries and ends with status 1 and a
 *    message at once, before the other exit handlers. HDF5 can also
 *    damage the heap without an error (an allocation in its free lists
 *    that fails once and succeeds when retried frees the list node it
 *    then writes to), and the crash may come after the file got its
 *    name: until main() returns, a crash or exit removes the files HDF5
 *    wrote in this run as well. Another library's call that does not
 *    survive a failed allocation (the C library's regcomp frees a block
 *    twice) is marked with ds_outfile_guard_library and reported the
 *    same way.
 *
 *  - Stale temporaries. After a successful publish, the output directory
 *    is swept: files named as dyadseq names its temporaries
 *    (".NAME.tmp.XXXXXX") that were last modified before this process
 *    started, and that no process holds a write lock on, are removed.
 *    Each temporary is write-locked (an open file description lock,
 *    Linux) while its writer has it open, so the sweep of one run never
 *    removes a file another run is still writing. A run that has closed
 *    its temporaries but not yet renamed them (simulate -o DIR/, between
 *    its last file and the renames) holds no lock; only a sweep by a
 *    process started after those files were written can take them.
 */
#define _GNU_SOURCE /* F_OFD_*, gettid */
#include "outfile_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* The list of live temporaries and the signal handler                */
/* ------------------------------------------------------------------ */

typedef struct live {
    struct live *next;
    const char *path; /* the outfile's own f->tmp, freed after removal */
} live_t;

static live_t *volatile live_head;
static pid_t main_tid;
static int installed;

static const int CAUGHT[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
#define N_CAUGHT (sizeof CAUGHT / sizeof CAUGHT[0])

static pid_t thread_id(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static void put_err(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_signal(int sig)
{
    int saved = errno;
    if (thread_id() != main_tid) {
        /* only the main thread changes the list: let it handle this */
        syscall(SYS_tgkill, getpid(), main_tid, sig);
        errno = saved;
        return;
    }
    int removed = 0;
    for (live_t *l = live_head; l; l = l->next)
        removed |= unlink(l->path) == 0;
    if (sig != SIGPIPE) {
        put_err(sig == SIGINT    ? "dyadseq: error: interrupted by SIGINT"
                : sig == SIGTERM ? "dyadseq: error: terminated by SIGTERM"
                                 : "dyadseq: error: hung up (SIGHUP)");
        put_err(removed ? "; the incomplete output was removed\n" : "\n");
    }
    _exit(128 + sig);
}

/* Install the handler once, from the main thread, for the signals that
 * are not ignored. */
static void install(void)
{
    if (installed)
        return;
    installed = 1;
    main_tid = thread_id();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_CAUGHT; i++)
        sigaddset(&sa.sa_mask, CAUGHT[i]);
    for (size_t i = 0; i < N_CAUGHT; i++) {
        struct sigaction old;
        if (sigaction(CAUGHT[i], NULL, &old) == 0 &&
            old.sa_handler != SIG_IGN)
            sigaction(CAUGHT[i], &sa, NULL);
    }
}

/* Block the caught signals in this thread; the old mask in *old. */
static void block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < N_CAUGHT; i++)
        sigaddset(&set, CAUGHT[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void unblock(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* ------------------------------------------------------------------ */
/* Crashes, and exit() called from a library                          */
/* ------------------------------------------------------------------ */

static const int FATAL[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define N_FATAL (sizeof FATAL / sizeof FATAL[0])

static const char *volatile reading; /* a results file being read */
static const char *volatile context; /* what HDF5 is doing, or NULL */
static const char *volatile lib_doing; /* another library's call */
static const char *volatile lib_name;  /* ... that library */
static volatile sig_atomic_t hdf5_failed; /* an HDF5 call failed */

/* The files HDF5 wrote and this run gave their names (see
 * ds_outfile_guard_written_begin); changed by the main thread only, with
 * the caught signals blocked. */
typedef struct written {
    struct written *next;
    char *path;
} written_t;
static written_t *volatile written_head;
static int reading_count;
static int fatal_installed;
/* room for the handler when the crash is a stack overflow */
static unsigned char alt_stack[1 << 16];

static int unlink_live(void)
{
    int removed = 0;
    for (live_t *l = live_head; l; l = l->next)
        removed |= unlink(l->path) == 0;
    return removed;
}

static volatile sig_atomic_t main_done; /* main() is returning */

/* Remove the files HDF5 wrote in this run, unless main() has returned
 * (a crash or exit of the run's own end then). Whether there were any. */
static int unlink_written(void)
{
    if (main_done)
        return 0;
    int any = 0;
    for (written_t *w = written_head; w; w = w->next)
        any |= unlink(w->path) == 0;
    return any;
}

static const char *fatal_name(int sig)
{
    return sig == SIGSEGV   ? "SIGSEGV"
           : sig == SIGBUS  ? "SIGBUS"
           : sig == SIGILL  ? "SIGILL"
           : sig == SIGFPE  ? "SIGFPE"
                            : "SIGABRT";
}

/*
 * A crash: remove the temporaries. While HDF5 is in use the crash is the
 * library's: after one of its calls failed (HDF5 1.10 does not survive
 * running out of memory: half-built objects), while it reads a results
 * file (a damaged file: results_read.c checks what it can, HDF5 does not
 * check everything), or while it starts or writes. Say so and exit 1.
 * Otherwise it is a bug: crash as before, without debris.
 */
static void on_fatal(int sig)
{
    int removed = unlink_live();
    int written = unlink_written();
    const char *file = reading, *what = context, *lib = lib_doing;
    if (!hdf5_failed && !file && !what && !lib && !written) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    if (lib) {
        put_err("dyadseq: error: ");
        put_err(lib_name);
        put_err(" crashed (");
        put_err(fatal_name(sig));
        put_err(") ");
        put_err(lib);
        put_err("; it does not survive running out of memory\n");
        _exit(1);
    }
    put_err(what || hdf5_failed || file ? "dyadseq: error: the HDF5 library "
                                          "crashed ("
                                        : "dyadseq: error: crashed (");
    put_err(fatal_name(sig));
    if (written && !what && !hdf5_failed && !file) {
        /* after its last call: HDF5 may have damaged the heap without
         * saying so (a failed allocation that succeeded when retried) */
        put_err(") after the HDF5 library wrote the output, which cannot "
                "be trusted; it was removed\n");
        _exit(1);
    }
    if (hdf5_failed) {
        put_err(") after the error above; it does not survive running out "
                "of memory");
    } else if (file) {
        put_err(") reading ");
        put_err(file);
        put_err("; the file is damaged");
    } else {
        put_err(") ");
        put_err(what);
    }
    put_err(written   ? "; the output was removed\n"
            : removed ? "; the incomplete output was removed\n"
                      : "\n");
    _exit(1);
}

/*
 * exit() from below main() — libgomp's exit(1) when it cannot create a
 * thread or allocate a task, HDF5's exit(-1) when it cannot register an
 * object: remove the temporaries, say so, and end with status 1 at once,
 * before the other exit handlers, whose teardown could crash half way
 * through a write.
 */
static void at_exit(int status, void *unused)
{
    (void)unused;
    if (main_done)
        return;
    int removed = unlink_live() | unlink_written();
    const char *what = context, *file = reading;
    char num[16];
    unsigned u = (unsigned)status & 0xFF;
    size_t k = sizeof num;
    num[--k] = '\0';
    do
        num[--k] = (char)('0' + u % 10);
    while ((u /= 10) && k > 0);
    put_err("dyadseq: error: a library ended the program (exit status ");
    put_err(num + k);
    put_err(")");
    if (file) {
        put_err(" reading ");
        put_err(file);
    } else if (what) {
        put_err(" ");
        put_err(what);
    }
    put_err(removed ? "; the incomplete output was removed\n" : "\n");
    _exit(1);
}

void ds_outfile_guard_done(void)
{
    main_done = 1;
}

static void install_fatal(void)
{
    if (fatal_installed)
        return;
    fatal_installed = 1;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FATAL; i++)
        sigaction(FATAL[i], &sa, NULL);
    on_exit(at_exit, NULL);
}

void ds_outfile_guard_start(void)
{
    install_fatal();
}

void ds_outfile_guard_context(const char *what)
{
    context = what;
}

void ds_outfile_guard_library(const char *lib, const char *what)
{
    lib_doing = NULL;
    lib_name = lib;
    lib_doing = what;
}

void *ds_outfile_guard_written_begin(const char *path, int *oom)
{
    *oom = 0;
    if (!context) /* not written by HDF5 */
        return NULL;
    written_t *w = malloc(sizeof *w);
    char *copy = strdup(path);
    if (!w || !copy) {
        free(w);
        free(copy);
        *oom = 1;
        return NULL;
    }
    w->path = copy;
    w->next = NULL;
    return w;
}

void ds_outfile_guard_written_end(void *entry, int renamed)
{
    written_t *w = entry;
    if (!w)
        return;
    if (!renamed) {
        free(w->path);
        free(w);
        return;
    }
    sigset_t old;
    block(&old);
    w->next = written_head;
    written_head = w;
    unblock(&old);
}

void ds_outfile_guard_failed(void)
{
    hdf5_failed = 1;
}

void ds_outfile_guard_reading(const char *path)
{
    if (path) {
        reading_count++;
        reading = path;
    } else if (reading_count > 0 && --reading_count == 0) {
        reading = NULL;
    }
}

int ds_outfile_guard_mkstemp(char *tmp)
{
    live_t *l = malloc(sizeof *l);
    if (!l) {
        errno = ENOMEM;
        return -1;
    }
    sigset_t old;
    install();
    block(&old);
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        l->path = tmp;
        l->next = live_head;
        live_head = l;
    } else {
        int e = errno;
        free(l);
        errno = e;
    }
    unblock(&old);
    if (fd >= 0) {
        /* a write lock for as long as this descriptor is open: the sweep
         * of another run leaves the file alone */
        struct flock fl;
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLK
        fcntl(fd, F_OFD_SETLK, &fl);
#endif
    }
    return fd;
}

void ds_outfile_guard_forget(const char *tmp)
{
    sigset_t old;
    block(&old);
    live_t **p = (live_t **)&live_head;
    while (*p && (*p)->path != tmp)
        p = &(*p)->next;
    live_t *l = *p;
    if (l)
        *p = l->next;
    unblock(&old);
    free(l);
}

/* ------------------------------------------------------------------ */
/* The sweep of stale temporaries                                     */
/* ------------------------------------------------------------------ */

static struct timespec started;

/* When the process started (near enough: when the program was loaded). */
__attribute__((constructor)) static void note_start(void)
{
    clock_gettime(CLOCK_REALTIME, &started);
}

/* ".NAME.tmp.XXXXXX": a dot, a name, ".tmp.", six of mkstemp's letters. */
static int is_our_temp(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 + 1 + 11 || name[0] != '.' ||
        memcmp(name + n - 11, ".tmp.", 5) != 0)
        return 0;
    for (size_t i = n - 6; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

static int before_start(const struct stat *st)
{
    return st->st_mtim.tv_sec < started.tv_sec ||
           (st->st_mtim.tv_sec == started.tv_sec &&
            st->st_mtim.tv_nsec < started.tv_nsec);
}

/* Whether some open file description holds a lock on the file. */
static int locked(int dfd, const char *name)
{
#ifdef F_OFD_GETLK
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
                               O_CLOEXEC);
    if (fd < 0)
        return 1; /* cannot tell: leave it */
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    int busy = fcntl(fd, F_OFD_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
    close(fd);
    return busy;
#else
    (void)dfd;
    (void)name;
    return 0;
#endif
}

size_t ds_outfile_sweep(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int dfd = dirfd(d);
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (!is_our_temp(e->d_name) ||
            fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
            !before_start(&st) || locked(dfd, e->d_name))
            continue;
        removed += unlinkat(dfd, e->d_name, 0) == 0;
    }
    closedir(d);
    return removed;
}
