/*
 * outfile.c — write to a temporary file, fsync, rename, fsync the
 * directory (see outfile.h); outfile_guard.c removes the temporaries on a
 * signal and sweeps stale ones.
 */
#define _GNU_SOURCE /* sync_file_range */
#include "outfile_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

/* Longest part of the output's name kept in the temporary's name, so that
 * ".NAME.tmp.XXXXXX" stays under NAME_MAX (255) on every file system. */
#define TMP_BASE_MAX 200

int ds_outfile_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* "dir/.name.tmp.XXXXXX" for "dir/name"; NULL when out of memory. */
static char *tmp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    size_t blen = strlen(base);
    if (blen > TMP_BASE_MAX)
        blen = TMP_BASE_MAX;
    size_t len = dirlen + 1 + blen + strlen(".tmp.XXXXXX") + 1;
    char *t = malloc(len);
    if (t)
        snprintf(t, len, "%.*s.%.*s.tmp.XXXXXX", (int)dirlen, path,
                 (int)blen, base);
    return t;
}

/* What a file that is not a regular file is, for messages. */
static const char *kind_of(const struct stat *st)
{
    return S_ISLNK(st->st_mode)    ? "a symbolic link"
           : S_ISCHR(st->st_mode)  ? "a character device"
           : S_ISBLK(st->st_mode)  ? "a block device"
           : S_ISFIFO(st->st_mode) ? "a named pipe"
           : S_ISSOCK(st->st_mode) ? "a socket"
                                   : "a special file";
}

/*
 * Check path, then create the temporary file: f->tmp and f->fd. An
 * existing path must be a regular file even with force: a symbolic link,
 * a device or a pipe is never replaced by a rename.
 */
static int make_temp(ds_outfile_t *f, const char *path, ds_error_t *err)
{
    size_t plen = strlen(path);
    if (plen == 0)
        return ds_error_set(err, DS_EUSAGE, "empty output file name");
    if (path[plen - 1] == '/')
        return ds_error_set(err, DS_EUSAGE, "output '%s' names a directory, "
                            "not a file", path);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return ds_error_set(err, DS_EIO, "'%s' is a directory", path);
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return ds_error_set(err, DS_EIO, "'%s' is %s, not a regular file; "
                            "refusing to replace it", path, kind_of(&st));
    if (!f->force && ds_outfile_exists(path))
        return ds_error_set(err, DS_EIO, "'%s' exists; use --force to "
                            "overwrite it", path);
    if (!(f->tmp = tmp_name(path)))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    f->fd = ds_outfile_guard_mkstemp(f->tmp);
    if (f->fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL; /* nothing to unlink */
        const char *slash = strrchr(path, '/');
        return ds_error_set(err, DS_EIO, "cannot create a temporary file "
                            "for '%s' in '%.*s': %s",
                            path, slash ? (int)(slash - path) + 1 : 1,
                            slash ? path : ".", strerror(e));
    }
    /* mkstemp makes 0600; give the file the usual 0666 & ~umask */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(f->fd, 0666 & ~mask) != 0)
        return ds_error_set(err, DS_EIO, "%s: cannot set permissions: %s",
                            f->tmp, strerror(errno));
    return DS_OK;
}

/* Start f for path: the names, no file yet. */
static int start(ds_outfile_t *f, const char *path, int force,
                 ds_error_t *err)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->force = force;
    if (!path)
        return ds_error_set(err, DS_EUSAGE, "empty output file name");
    if (!(f->path = ds_strdup(path)))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    return DS_OK;
}

int ds_outfile_open_fd(ds_outfile_t *f, const char *path, int force,
                       ds_error_t *err)
{
    int rc = start(f, path, force, err);
    if (rc == DS_OK)
        rc = make_temp(f, path, err);
    if (rc)
        ds_outfile_discard(f);
    return rc;
}

int ds_outfile_open(ds_outfile_t *f, const char *path, int force,
                    ds_error_t *err)
{
    int rc = start(f, path, force, err);
    if (rc == DS_OK && strcmp(path, "-") == 0) {
        f->fp = stdout;
        return DS_OK;
    }
    if (rc == DS_OK)
        rc = make_temp(f, path, err);
    if (rc == DS_OK && !(f->fp = fdopen(f->fd, "wb")))
        rc = ds_error_set(err, DS_EIO, "cannot write '%s': %s", f->tmp,
                          strerror(errno));
    if (rc)
        ds_outfile_discard(f);
    return rc;
}

int ds_outfile_close(ds_outfile_t *f, ds_error_t *err)
{
    if (!f->tmp) { /* standard output, or nothing open */
        FILE *fp = f->fp;
        f->fp = NULL;
        if (fp && (fflush(fp) != 0 || ferror(fp)))
            return ds_error_set(err, DS_EIO, "cannot write to standard "
                                "output: %s", strerror(errno));
        return DS_OK;
    }
    if (f->fd < 0)
        return DS_OK; /* closed already */
    int bad = 0, saved = 0;
    if (f->fp && (fflush(f->fp) != 0 || ferror(f->fp))) {
        bad = 1;
        saved = errno;
    }
    int synced = ds_outfile_sync_stop(f, 1); /* a failed background sync */
    if (!bad && synced) {
        bad = 1;
        saved = synced;
    }
    if (!bad && fsync(f->fd) != 0) {
        bad = 1;
        saved = errno;
    }
    int closed = f->fp ? fclose(f->fp) : close(f->fd);
    if (closed != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    f->fp = NULL;
    f->fd = -1;
    if (bad) {
        ds_error_set(err, DS_EIO, "cannot write '%s': %s", f->path,
                     strerror(saved));
        ds_outfile_discard(f);
        return DS_EIO;
    }
    return DS_OK;
}

int ds_outfile_fault(const char *name)
{
    const char *e = getenv("DYADSEQ_FAULT");
    return e && strcmp(e, name) == 0;
}

/* Test-only fault injection (outfile.h). */
static int fault_publish(const ds_outfile_t *f, ds_error_t *err)
{
    if (!ds_outfile_fault("outfile_publish"))
        return DS_OK;
    return ds_error_set(err, DS_EIO, "cannot create '%s' (injected fault "
                        "DYADSEQ_FAULT=outfile_publish)", f->path);
}

/* Test-only: DYADSEQ_FAULT=crash_after_publish aborts right after a
 * rename, as a library that damaged the heap may (outfile_internal.h). */
static void fault_crash(void)
{
    if (ds_outfile_fault("crash_after_publish"))
        abort();
}

/* Rename or link the temporary to its name; no directory sync. The names
 * stay for the caller to sync and free. */
static int give_name(ds_outfile_t *f, ds_error_t *err)
{
    int oom = 0, rc = DS_OK;
    void *written = ds_outfile_guard_written_begin(f->path, &oom);
    if (oom)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (f->force) {
        if (rename(f->tmp, f->path) != 0)
            rc = ds_error_set(err, DS_EIO, "cannot rename '%s' to '%s': %s",
                              f->tmp, f->path, strerror(errno));
    } else if (link(f->tmp, f->path) != 0) {
        if (errno == EEXIST || ds_outfile_exists(f->path))
            rc = ds_error_set(err, DS_EIO, "'%s' exists; use --force to "
                              "overwrite it", f->path);
        else if (rename(f->tmp, f->path) != 0) /* no hard links here */
            rc = ds_error_set(err, DS_EIO, "cannot create '%s': %s",
                              f->path, strerror(errno));
    } else {
        unlink(f->tmp); /* the link's old name */
    }
    ds_outfile_guard_written_end(written, rc == DS_OK);
    if (rc)
        return rc;
    fault_crash();
    ds_outfile_guard_forget(f->tmp);
    free(f->tmp);
    f->tmp = NULL;
    return DS_OK;
}

/* The directory part of path: "." for a bare name, "/" for "/name". */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ds_strdup(".");
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, path, len);
        d[len] = '\0';
    }
    return d;
}

int ds_outfile_sync_dir(const char *path, ds_error_t *err)
{
    char *dir = dir_of(path);
    if (!dir)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int rc = DS_OK;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || fsync(fd) != 0)
        rc = ds_error_set(err, DS_EIO, "cannot sync directory '%s': %s", dir,
                          strerror(errno));
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

/* Whether a and b are in the same directory (their paths up to the last
 * '/' agree). */
static int same_dir(const char *a, const char *b)
{
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
    return (!sa) == (!sb) && la == lb && memcmp(a, b, la) == 0;
}

/* After the renames into the directory of path: fsync it (a failing sync
 * is no error), and remove the stale temporaries there. */
static void sync_and_sweep(const char *path)
{
    ds_outfile_sync_dir(path, NULL);
    char *dir = dir_of(path);
    if (dir)
        ds_outfile_sweep(dir);
    free(dir);
}

int ds_outfile_publish_all(ds_outfile_t *f, size_t n, ds_error_t *err)
{
    int rc = n > 0 && f[0].tmp ? fault_publish(&f[0], err) : DS_OK;
    /* a renamed file whose directory is not synced yet: each directory is
     * synced once, after its last rename (a failing sync is no error) */
    const char *pending = NULL;
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        if (!f[i].tmp)
            continue; /* standard output */
        if (pending && !same_dir(pending, f[i].path)) {
            sync_and_sweep(pending);
            pending = NULL;
        }
        if ((rc = give_name(&f[i], err)) == DS_OK)
            pending = f[i].path;
    }
    if (pending)
        sync_and_sweep(pending);
    for (size_t i = 0; i < n; i++)
        ds_outfile_discard(&f[i]); /* frees names; removes unpublished */
    return rc;
}

int ds_outfile_publish(ds_outfile_t *f, ds_error_t *err)
{
    return ds_outfile_publish_all(f, 1, err);
}

int ds_outfile_commit(ds_outfile_t *f, ds_error_t *err)
{
    int rc = ds_outfile_close(f, err);
    return rc ? rc : ds_outfile_publish(f, err);
}

void ds_outfile_discard(ds_outfile_t *f)
{
    (void)ds_outfile_sync_stop(f, 0);
    if (f->fp && f->fp != stdout)
        fclose(f->fp);
    else if (f->tmp && f->fd >= 0)
        close(f->fd);
    f->fp = NULL;
    f->fd = -1;
    if (f->tmp) {
        unlink(f->tmp);
        ds_outfile_guard_forget(f->tmp);
    }
    free(f->tmp);
    free(f->path);
    f->tmp = NULL;
    f->path = NULL;
}

void ds_outfile_writeback(ds_outfile_t *f)
{
    if (!f->tmp || f->fd < 0)
        return;
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    (void)sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    ds_outfile_sync_soon(f);
}
