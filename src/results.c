/*
 * results.c — the HDF5 results writer and reader (see results.h).
 *
 * All HDF5 calls of dyadseq live here. Writing goes to a temporary file
 * that ds_results_commit() renames over the output (SPEC 2). Files are made
 * deterministic (SPEC 5): object timestamps off on every group, dataset and
 * the root (via the file creation list, which is a group creation list),
 * link and attribute creation order tracked, format bounds fixed at 1.8 so
 * the bytes do not change with the HDF5 release that wrote them.
 *
 * Large numeric datasets are chunked along their first axis. Their chunks
 * are shuffled and deflated here, in parallel with OpenMP (each chunk is
 * independent and written in order by the main thread, so the bytes do not
 * depend on the thread count), and stored with H5Dwrite_chunk with the
 * dataset's filter pipeline declared as shuffle + deflate: HDF5's own
 * pipeline is single-threaded and its deflate level 1 spends most of its
 * time searching for matches in the mantissa bytes of doubles, which do not
 * repeat. zlib's run-length strategy (Z_RLE) at level 1 compresses the
 * shuffled byte planes (runs of sign and exponent bytes, noise in the
 * mantissa) at least as well as the default strategy at levels 1 to 6, in
 * less than half the time of level 1 (measured on [1e5, 10, 10] arrays of
 * adjusted residuals: 0.72 s against 1.74 s per 80 MB on one core, 16%
 * smaller output). Strings, and hosts whose native types are not
 * little-endian, use HDF5's pipeline.
 */
#define _GNU_SOURCE /* memfd_create */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <zlib.h>

#include "version.h"
#ifdef _OPENMP
#include <omp.h>
#endif

#define COMPACT_MAX ((size_t)8 << 10)    /* bytes: compact layout up to */
#define CONTIGUOUS_MAX ((size_t)64 << 10) /* bytes: unfiltered below */
#define CHUNK_TARGET ((size_t)256 << 10) /* bytes per chunk, about */
#define VLEN_STORED 16                   /* bytes of a stored vlen string */

#if H5_VERSION_GE(1, 12, 0)
#define DS_VLEN_RECLAIM(t, s, b) H5Treclaim((t), (s), H5P_DEFAULT, (b))
#else
#define DS_VLEN_RECLAIM(t, s, b) H5Dvlen_reclaim((t), (s), H5P_DEFAULT, (b))
#endif

struct ds_results {
    char *path;            /* the output file */
    char *tmp;             /* the temporary being written */
    int fd;                /* kept open for fsync */
    hid_t file, gcpl, lcpl, acpl, str_type;
    int level, threads;
    int direct_ok;         /* native numbers are little-endian */
    long fault_write;      /* DYADSEQ_FAULT: fail this write (1-based) */
    int fault_commit;
    long n_writes;
    ds_results_dset_t *open; /* datasets begun and not ended */
    unsigned char **scratch; /* per-batch chunk buffers (shuffle, deflate) */
    size_t n_scratch, scratch_size;
};

struct ds_results_dset {
    ds_results_t *r;
    ds_results_dset_t *next;
    char *path;
    hid_t dset;
    ds_results_type_t type;
    size_t rank;
    size_t dims[DS_RESULTS_MAX_RANK];
    size_t rows;           /* first-axis rows (1 for a scalar) */
    size_t row_elems, elem_size;
    size_t rows_done;
    int chunked, direct, level;
    size_t chunk_rows, chunks_written;
    unsigned char *pending; /* a partial chunk of rows (direct writes) */
    size_t n_pending;
};

struct ds_results_reader {
    char *name;
    hid_t file;
};

struct ds_results_dread {
    ds_results_reader_t *f;
    char *path;
    hid_t dset, ftype, space;
    ds_results_shape_t shape;
};

/* ------------------------------------------------------------------ */
/* Errors                                                             */
/* ------------------------------------------------------------------ */

typedef struct walk_ctx {
    char reason[256];
    int found;
} walk_ctx_t;

/* Keep the innermost frame's description (the first one walked upward). */
static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    walk_ctx_t *w = data;
    (void)n;
    if (w->found || !e->desc || !*e->desc)
        return 0;
    /* write failures carry "..., error message = 'No space left ...', ..." */
    const char *m = strstr(e->desc, "error message = '");
    if (m) {
        m += strlen("error message = '");
        const char *end = strchr(m, '\'');
        size_t len = end ? (size_t)(end - m) : strlen(m);
        if (len >= sizeof w->reason)
            len = sizeof w->reason - 1;
        memcpy(w->reason, m, len);
        w->reason[len] = '\0';
    } else {
        snprintf(w->reason, sizeof w->reason, "%s", e->desc);
    }
    w->found = 1;
    return 0;
}

/*
 * Report an HDF5 failure: "FILE: <what> (HDF5: <innermost reason>)", and
 * clear HDF5's error stack.
 */
static int h5_error(ds_error_t *err, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int h5_error(ds_error_t *err, const char *file, const char *fmt, ...)
{
    char what[DS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    walk_ctx_t w = {"", 0};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, &w);
    H5Eclear2(H5E_DEFAULT);
    if (w.found)
        return ds_error_set(err, DS_EHDF5, "%s: %s (HDF5: %s)", file, what,
                            w.reason);
    return ds_error_set(err, DS_EHDF5, "%s: %s", file, what);
}

static int oom(ds_error_t *err)
{
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/*
 * An object path: "/" or "/a/b" with non-empty components other than "."
 * and "..". Returns 0 or DS_EUSAGE.
 */
static int check_path(const char *path, ds_error_t *err)
{
    if (!path || path[0] != '/')
        return ds_error_set(err, DS_EUSAGE,
                            "results path '%s' is not absolute",
                            path ? path : "(null)");
    if (path[1] == '\0')
        return 0;
    const char *p = path + 1;
    for (;;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.') ||
            (len == 2 && p[0] == '.' && p[1] == '.'))
            return ds_error_set(err, DS_EUSAGE,
                                "results path '%s' has an empty, '.' or '..' "
                                "component",
                                path);
        if (!e)
            return 0;
        p = e + 1;
    }
}

/*
 * Count the comma-separated names of dimnames and check there is one per
 * axis, none empty. Fills *out with the effective string.
 */
static int check_dimnames(const char *dimnames, size_t rank, const char *path,
                          const char **out, ds_error_t *err)
{
    if (!dimnames) {
        if (rank > 1)
            return ds_error_set(err, DS_EUSAGE,
                                "%s: %zu axes need dimension names", path,
                                rank);
        dimnames = rank ? "row" : "";
    }
    if (strlen(dimnames) >= DS_RESULTS_DIMNAMES_MAX)
        return ds_error_set(err, DS_EUSAGE, "%s: dimension names too long",
                            path);
    size_t names = 0;
    if (*dimnames) {
        names = 1;
        const char *prev = dimnames;
        for (const char *p = dimnames;; p++) {
            if (*p == ',' || *p == '\0') {
                if (p == prev)
                    return ds_error_set(err, DS_EUSAGE,
                                        "%s: empty name in dimensions '%s'",
                                        path, dimnames);
                if (*p == '\0')
                    break;
                names++;
                prev = p + 1;
            }
        }
    }
    if (names != rank)
        return ds_error_set(err, DS_EUSAGE,
                            "%s: dimensions '%s' name %zu axes, the data "
                            "has %zu",
                            path, dimnames, names, rank);
    *out = dimnames;
    return 0;
}

/* Test-only fault injection (results.h): should this write fail? */
static int fault_here(ds_results_t *r, const char *path, ds_error_t *err)
{
    r->n_writes++;
    if (r->fault_write && r->n_writes == r->fault_write)
        return ds_error_set(err, DS_EHDF5,
                            "%s: cannot write '%s' (injected fault "
                            "DYADSEQ_FAULT=results_write)",
                            r->path, path);
    return 0;
}

static void read_fault_env(ds_results_t *r)
{
    const char *f = getenv("DYADSEQ_FAULT");
    if (!f)
        return;
    if (strncmp(f, "results_write", 13) == 0) {
        r->fault_write = 2;
        if (f[13] == ':')
            r->fault_write = strtol(f + 14, NULL, 10);
    } else if (strcmp(f, "results_commit") == 0) {
        r->fault_commit = 1;
    }
}

/* ------------------------------------------------------------------ */
/* Creating and committing                                            */
/* ------------------------------------------------------------------ */

/* A variable-length UTF-8 string type (file and memory alike). */
static hid_t make_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* "dir/.name.tmp.XXXXXX" for "dir/name" (name cut to keep under NAME_MAX). */
static char *tmp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    size_t blen = strlen(base);
    if (blen > 200)
        blen = 200;
    size_t len = dirlen + 1 + blen + strlen(".tmp.XXXXXX") + 1;
    char *t = malloc(len);
    if (!t)
        return NULL;
    snprintf(t, len, "%.*s.%.*s.tmp.XXXXXX", (int)dirlen, path, (int)blen,
             base);
    return t;
}

/* File access list: 1.8 format, objects closed with the file. */
static hid_t make_fapl(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return -1;
    if (H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        H5Pclose(fapl);
        return -1;
    }
#if H5_VERSION_GE(1, 10, 7)
    /* lock when the file system can, go on when it cannot (NFS) */
    H5Pset_file_locking(fapl, 1, 1);
#endif
    return fapl;
}

int ds_results_create(const char *path, ds_results_t **out, ds_error_t *err)
{
    *out = NULL;
    hid_t fapl = -1, fcpl = -1;
    int rc;
    if (!path || !*path)
        return ds_error_set(err, DS_EUSAGE, "empty output file name");
    size_t plen = strlen(path);
    if (path[plen - 1] == '/')
        return ds_error_set(err, DS_EUSAGE,
                            "output '%s' names a directory, not a file",
                            path);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return ds_error_set(err, DS_EIO, "output '%s' is a directory", path);

    ds_results_t *r = calloc(1, sizeof *r);
    if (!r)
        return oom(err);
    r->fd = -1;
    r->file = r->gcpl = r->lcpl = r->acpl = r->str_type = -1;
    r->level = DS_RESULTS_DEFAULT_LEVEL;
    read_fault_env(r);
    if (!(r->path = dup_str(path)) || !(r->tmp = tmp_name(path))) {
        rc = oom(err);
        goto fail;
    }
    r->fd = mkstemp(r->tmp);
    if (r->fd < 0) {
        int e = errno;
        free(r->tmp);
        r->tmp = NULL; /* nothing to unlink */
        const char *slash = strrchr(path, '/');
        rc = ds_error_set(err, DS_EIO,
                          "cannot create a temporary file for '%s' in "
                          "'%.*s': %s",
                          path, slash ? (int)(slash - path) + 1 : 1,
                          slash ? path : ".", strerror(e));
        goto fail;
    }
    /* mkstemp makes the file 0600; give it the mode a new file would have */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(r->fd, 0666 & ~mask) != 0) {
        rc = ds_error_set(err, DS_EIO, "%s: cannot set permissions: %s",
                          r->tmp, strerror(errno));
        goto fail;
    }

    r->direct_ok = H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) > 0 &&
                   H5Tequal(H5T_NATIVE_INT64, H5T_STD_I64LE) > 0;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if ((fapl = make_fapl()) < 0 ||
        (fcpl = H5Pcreate(H5P_FILE_CREATE)) < 0 ||
        H5Pset_link_creation_order(fcpl, order) < 0 ||
        H5Pset_attr_creation_order(fcpl, order) < 0 ||
        H5Pset_obj_track_times(fcpl, 0) < 0 ||
        (r->gcpl = H5Pcreate(H5P_GROUP_CREATE)) < 0 ||
        H5Pset_link_creation_order(r->gcpl, order) < 0 ||
        H5Pset_attr_creation_order(r->gcpl, order) < 0 ||
        H5Pset_obj_track_times(r->gcpl, 0) < 0 ||
        (r->lcpl = H5Pcreate(H5P_LINK_CREATE)) < 0 ||
        H5Pset_char_encoding(r->lcpl, H5T_CSET_UTF8) < 0 ||
        (r->acpl = H5Pcreate(H5P_ATTRIBUTE_CREATE)) < 0 ||
        H5Pset_char_encoding(r->acpl, H5T_CSET_UTF8) < 0 ||
        (r->str_type = make_str_type()) < 0) {
        rc = h5_error(err, path, "cannot set up the HDF5 properties");
        goto fail;
    }
    r->file = H5Fcreate(r->tmp, H5F_ACC_TRUNC, fcpl, fapl);
    if (r->file < 0) {
        rc = h5_error(err, path, "cannot create the HDF5 file '%s'", r->tmp);
        goto fail;
    }
    H5Pclose(fapl);
    fapl = -1;
    H5Pclose(fcpl);
    fcpl = -1;
    long fault = r->fault_write;
    r->fault_write = 0; /* injected faults count the caller's writes only */
    if ((rc = ds_results_attr_string(r, "/", "format", DS_RESULTS_FORMAT,
                                     err)) ||
        (rc = ds_results_attr_int64(r, "/", "format_version",
                                    DS_FORMAT_VERSION, err)) ||
        (rc = ds_results_attr_string(r, "/", "software_version", DS_VERSION,
                                     err)))
        goto fail;
    r->fault_write = fault;
    r->n_writes = 0;
    *out = r;
    return 0;

fail:
    if (fapl >= 0)
        H5Pclose(fapl);
    if (fcpl >= 0)
        H5Pclose(fcpl);
    ds_results_abort(r);
    return rc;
}

int ds_results_write_provenance(ds_results_t *r,
                                const ds_results_provenance_t *p,
                                ds_error_t *err)
{
    int rc;
    if ((rc = ds_results_attr_string(r, "/", "command_line",
                                     p->command_line, err)) ||
        (rc = ds_results_attr_string(r, "/", "parameters", p->parameters,
                                     err)) ||
        (rc = ds_results_attr_strings(r, "/", "input_files", p->n_inputs,
                                      p->input_files, err)) ||
        (rc = ds_results_attr_strings(r, "/", "input_sha256", p->n_inputs,
                                      p->input_sha256, err)) ||
        (rc = ds_results_attr_int64(r, "/", "seed", (int64_t)p->seed, err)))
        return rc;
    return 0;
}

void ds_results_set_compression(ds_results_t *r, int level)
{
    r->level = level < 0 ? 0 : level > 9 ? 9 : level;
}

void ds_results_set_threads(ds_results_t *r, int n)
{
    r->threads = n < 0 ? 0 : n;
}

static void dset_free(ds_results_dset_t *d)
{
    if (!d)
        return;
    if (d->dset >= 0)
        H5Dclose(d->dset);
    free(d->pending);
    free(d->path);
    free(d);
}

/* Close HDF5 objects and free r, without touching the files. */
static void results_free(ds_results_t *r)
{
    while (r->open) {
        ds_results_dset_t *next = r->open->next;
        dset_free(r->open);
        r->open = next;
    }
    if (r->str_type >= 0)
        H5Tclose(r->str_type);
    if (r->gcpl >= 0)
        H5Pclose(r->gcpl);
    if (r->lcpl >= 0)
        H5Pclose(r->lcpl);
    if (r->acpl >= 0)
        H5Pclose(r->acpl);
    if (r->file >= 0)
        H5Fclose(r->file);
    if (r->fd >= 0)
        close(r->fd);
    for (size_t i = 0; i < r->n_scratch; i++)
        free(r->scratch[i]);
    free(r->scratch);
    free(r->tmp);
    free(r->path);
    free(r);
    H5Eclear2(H5E_DEFAULT);
}

/*
 * Point HDF5's file descriptor at a scratch file in memory before closing
 * a file that is being given up. HDF5 1.10 flushes on close, and when that
 * flush fails (the disk is full, which is often why we are aborting) it
 * leaves a half-closed file behind that crashes the library at exit. The
 * data are discarded anyway, so let the flush succeed somewhere harmless.
 */
static void divert_to_scratch(hid_t file)
{
    hid_t fapl = H5Fget_access_plist(file);
    int sec2 = fapl >= 0 && H5Pget_driver(fapl) == H5FD_SEC2;
    int *fdp = NULL;
    if (sec2 && H5Fget_vfd_handle(file, fapl, (void **)&fdp) >= 0 && fdp &&
        *fdp >= 0) {
        int s = -1;
#ifdef MFD_CLOEXEC
        s = memfd_create("dyadseq-abort", MFD_CLOEXEC);
#endif
        FILE *tf = NULL;
        if (s < 0 && (tf = tmpfile()))
            s = dup(fileno(tf));
        if (s >= 0) {
            dup2(s, *fdp);
            close(s);
        }
        if (tf)
            fclose(tf);
    }
    if (fapl >= 0)
        H5Pclose(fapl);
    H5Eclear2(H5E_DEFAULT);
}

void ds_results_abort(ds_results_t *r)
{
    if (!r)
        return;
    if (r->file >= 0)
        divert_to_scratch(r->file);
    char *tmp = r->tmp;
    r->tmp = NULL;
    results_free(r);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
}

/* fsync the directory holding path so the rename is durable (best effort) */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/*
 * Reserve the disk blocks the final flush writes into (the file up to its
 * end of allocation, the dirty metadata, a margin), so a full disk shows
 * up here rather than in the flush: HDF5 1.10 cannot close a file whose
 * flush failed and crashes at exit. Linux only; elsewhere, and where the
 * file system cannot preallocate, this does nothing. *reserved tells the
 * caller to release what is left after closing.
 */
static int reserve_flush_space(ds_results_t *r, int *reserved,
                               ds_error_t *err)
{
    *reserved = 0;
#if defined(__linux__) && defined(FALLOC_FL_KEEP_SIZE)
    hsize_t size = 0;
    size_t max_size, min_clean, cur_size = 0;
    int cur_num;
    if (H5Fget_filesize(r->file, &size) < 0 ||
        H5Fget_mdc_size(r->file, &max_size, &min_clean, &cur_size,
                        &cur_num) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    off_t len = (off_t)size + 2 * (off_t)cur_size + (1 << 20);
    if (fallocate(r->fd, FALLOC_FL_KEEP_SIZE, 0, len) == 0) {
        *reserved = 1;
    } else if (errno == ENOSPC || errno == EDQUOT || errno == EFBIG) {
        return ds_error_set(err, DS_EIO, "%s: cannot write the file: %s",
                            r->path, strerror(errno));
    }
#else
    (void)r;
    (void)err;
#endif
    return 0;
}

int ds_results_commit(ds_results_t *r, ds_error_t *err)
{
    int rc, reserved;
    if (r->open) {
        rc = ds_error_set(err, DS_EUSAGE,
                          "%s: dataset '%s' was begun and not finished",
                          r->path, r->open->path);
        goto fail;
    }
    if ((rc = reserve_flush_space(r, &reserved, err)))
        goto fail;
    if (H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0) {
        rc = h5_error(err, r->path, "cannot finish writing the file");
        goto fail;
    }
    hid_t file = r->file;
    r->file = -1;
    if (H5Fclose(file) < 0) {
        rc = h5_error(err, r->path, "cannot finish writing the file");
        goto fail;
    }
    if (r->fault_commit) {
        rc = ds_error_set(err, DS_EIO,
                          "%s: cannot finish writing the file (injected "
                          "fault DYADSEQ_FAULT=results_commit)",
                          r->path);
        goto fail;
    }
    /* give back the unused reservation (harmless if it fails) */
    struct stat st;
    if (reserved && fstat(r->fd, &st) == 0 && ftruncate(r->fd, st.st_size)) {
        /* the blocks stay allocated; the file is still right */
    }
    if (fsync(r->fd) != 0) {
        rc = ds_error_set(err, DS_EIO, "%s: cannot write the file: %s",
                          r->path, strerror(errno));
        goto fail;
    }
    int fd = r->fd;
    r->fd = -1;
    if (close(fd) != 0) {
        rc = ds_error_set(err, DS_EIO, "%s: cannot write the file: %s",
                          r->path, strerror(errno));
        goto fail;
    }
    if (rename(r->tmp, r->path) != 0) {
        rc = ds_error_set(err, DS_EIO, "cannot rename '%s' to '%s': %s",
                          r->tmp, r->path, strerror(errno));
        goto fail;
    }
    sync_dir(r->path);
    free(r->tmp);
    r->tmp = NULL;
    results_free(r);
    return 0;

fail:
    ds_results_abort(r);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Groups and attributes                                              */
/* ------------------------------------------------------------------ */

/*
 * Create the groups on path: all its parents, and path itself when
 * with_last. A non-group in the way is an error.
 */
static int ensure_groups(ds_results_t *r, const char *path, int with_last,
                         ds_error_t *err)
{
    size_t len = strlen(path);
    char *buf = malloc(len + 1);
    if (!buf)
        return oom(err);
    memcpy(buf, path, len + 1);
    int rc = 0;
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i] == '\0' && !with_last)
            break;
        char c = buf[i];
        buf[i] = '\0';
        htri_t ex = H5Lexists(r->file, buf, H5P_DEFAULT);
        if (ex < 0) {
            rc = h5_error(err, r->path, "cannot look up '%s'", buf);
            goto done;
        }
        if (ex == 0) {
            hid_t g = H5Gcreate2(r->file, buf, r->lcpl, r->gcpl, H5P_DEFAULT);
            if (g < 0) {
                rc = h5_error(err, r->path, "cannot create group '%s'", buf);
                goto done;
            }
            H5Gclose(g);
        } else {
            hid_t o = H5Oopen(r->file, buf, H5P_DEFAULT);
            H5I_type_t t = o >= 0 ? H5Iget_type(o) : H5I_BADID;
            if (o >= 0)
                H5Oclose(o);
            if (t != H5I_GROUP) {
                H5Eclear2(H5E_DEFAULT);
                rc = ds_error_set(err, DS_EUSAGE,
                                  "%s: '%s' exists and is not a group",
                                  r->path, buf);
                goto done;
            }
        }
        buf[i] = c;
    }
done:
    free(buf);
    return rc;
}

/* Create and write one attribute of type ftype/mtype and space space. */
static int attr_write(ds_results_t *r, hid_t obj, const char *obj_path,
                      const char *name, hid_t ftype, hid_t mtype,
                      hid_t space, const void *buf, ds_error_t *err)
{
    htri_t ex = H5Aexists(obj, name);
    if (ex > 0)
        return ds_error_set(err, DS_EUSAGE,
                            "%s: attribute '%s' of '%s' is written twice",
                            r->path, name, obj_path);
    hid_t a = H5Acreate2(obj, name, ftype, space, r->acpl, H5P_DEFAULT);
    if (a < 0)
        return h5_error(err, r->path, "cannot create attribute '%s' of '%s'",
                        name, obj_path);
    herr_t w = H5Awrite(a, mtype, buf);
    herr_t c = H5Aclose(a);
    if (w < 0 || c < 0)
        return h5_error(err, r->path, "cannot write attribute '%s' of '%s'",
                        name, obj_path);
    return 0;
}

/* Open obj (creating it as a group if missing) and write one attribute. */
static int attr_put(ds_results_t *r, const char *obj_path, const char *name,
                    hid_t ftype, hid_t mtype, size_t n, int scalar,
                    const void *buf, ds_error_t *err)
{
    int rc;
    hid_t obj = -1, space = -1;
    if ((rc = check_path(obj_path, err)) ||
        (rc = fault_here(r, obj_path, err)))
        return rc;
    if (!name || !*name)
        return ds_error_set(err, DS_EUSAGE, "%s: empty attribute name",
                            obj_path);
    if (strcmp(obj_path, "/") != 0 &&
        H5Lexists(r->file, obj_path, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        if ((rc = ensure_groups(r, obj_path, 1, err)))
            return rc;
    }
    obj = H5Oopen(r->file, obj_path, H5P_DEFAULT);
    if (obj < 0) {
        rc = h5_error(err, r->path, "cannot open '%s'", obj_path);
        goto fail;
    }
    hsize_t dim = n;
    space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    if (space < 0) {
        rc = h5_error(err, r->path, "cannot make a dataspace");
        goto fail;
    }
    rc = attr_write(r, obj, obj_path, name, ftype, mtype, space, buf, err);
fail:
    if (space >= 0)
        H5Sclose(space);
    if (obj >= 0)
        H5Oclose(obj);
    return rc;
}

int ds_results_attr_string(ds_results_t *r, const char *obj, const char *name,
                           const char *value, ds_error_t *err)
{
    const char *v = value ? value : "";
    return attr_put(r, obj, name, r->str_type, r->str_type, 1, 1, &v, err);
}

/* Replace NULL entries by "" (vlen NULL reads back as NULL, not ""). */
static const char **strings_nonnull(const char *const *s, size_t n,
                                    int *copied)
{
    *copied = 0;
    size_t i = 0;
    while (i < n && s[i])
        i++;
    if (i == n)
        return (const char **)s;
    const char **c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return NULL;
    for (i = 0; i < n; i++)
        c[i] = s[i] ? s[i] : "";
    *copied = 1;
    return c;
}

int ds_results_attr_strings(ds_results_t *r, const char *obj,
                            const char *name, size_t n,
                            const char *const *values, ds_error_t *err)
{
    int copied;
    const char *empty = "";
    const char **v = n ? strings_nonnull(values, n, &copied) : &empty;
    if (!v)
        return oom(err);
    int rc = attr_put(r, obj, name, r->str_type, r->str_type, n, 0, v, err);
    if (n && copied)
        free(v);
    return rc;
}

int ds_results_attr_int64(ds_results_t *r, const char *obj, const char *name,
                          int64_t value, ds_error_t *err)
{
    return attr_put(r, obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, 1, 1,
                    &value, err);
}

int ds_results_attr_double(ds_results_t *r, const char *obj, const char *name,
                           double value, ds_error_t *err)
{
    return attr_put(r, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, 1,
                    &value, err);
}

char *ds_results_escape_name(const char *label)
{
    if (!label || !*label)
        return NULL;
    if (strcmp(label, ".") == 0)
        return dup_str("%2E");
    if (strcmp(label, "..") == 0)
        return dup_str("%2E%2E");
    size_t n = 1;
    for (const char *p = label; *p; p++)
        n += (*p == '%' || *p == '/') ? 3 : 1;
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    for (const char *p = label; *p; p++) {
        if (*p == '%' || *p == '/') {
            memcpy(o, *p == '%' ? "%25" : "%2F", 3);
            o += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

int ds_results_make_group(ds_results_t *r, const char *path, ds_error_t *err)
{
    int rc = check_path(path, err);
    return rc ? rc : ensure_groups(r, path, 1, err);
}

/* ------------------------------------------------------------------ */
/* Datasets                                                           */
/* ------------------------------------------------------------------ */

static hid_t file_type(const ds_results_t *r, ds_results_type_t t)
{
    switch (t) {
    case DS_RESULTS_DOUBLE: return H5T_IEEE_F64LE;
    case DS_RESULTS_INT64: return H5T_STD_I64LE;
    case DS_RESULTS_UINT8: return H5T_STD_U8LE;
    case DS_RESULTS_STRING: return r->str_type;
    default: return -1;
    }
}

static hid_t mem_type(const ds_results_t *r, ds_results_type_t t)
{
    switch (t) {
    case DS_RESULTS_DOUBLE: return H5T_NATIVE_DOUBLE;
    case DS_RESULTS_INT64: return H5T_NATIVE_INT64;
    case DS_RESULTS_UINT8: return H5T_NATIVE_UINT8;
    case DS_RESULTS_STRING: return r->str_type;
    default: return -1;
    }
}

static size_t elem_size(ds_results_type_t t)
{
    switch (t) {
    case DS_RESULTS_DOUBLE:
    case DS_RESULTS_INT64: return 8;
    case DS_RESULTS_UINT8: return 1;
    case DS_RESULTS_STRING: return sizeof(char *);
    default: return 0;
    }
}

size_t ds_results_chunk_rows(size_t row_bytes)
{
    size_t cr = row_bytes ? CHUNK_TARGET / row_bytes : 1;
    return cr < 1 ? 1 : cr;
}

/*
 * The dataset creation list for a dataset of `bytes` stored bytes:
 * compact, contiguous or chunked in blocks of whole first-axis rows of
 * about CHUNK_TARGET bytes with shuffle (elements wider than a byte) and
 * deflate. Sets d->chunked and d->chunk_rows.
 */
static hid_t make_dcpl(ds_results_dset_t *d, size_t stored)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0)
        return -1;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (H5Pset_obj_track_times(dcpl, 0) < 0 ||
        H5Pset_attr_creation_order(dcpl, order) < 0)
        goto fail;
    size_t n = d->rows * d->row_elems, bytes = n * stored;
    if (n == 0 || d->rank == 0 || bytes <= COMPACT_MAX) {
        if (n > 0 && H5Pset_layout(dcpl, H5D_COMPACT) < 0)
            goto fail;
        return dcpl;
    }
    if (bytes < CONTIGUOUS_MAX || d->level == 0)
        return dcpl; /* contiguous, the default */
    size_t cr = ds_results_chunk_rows(d->row_elems * stored);
    if (cr > d->rows)
        cr = d->rows;
    hsize_t chunk[DS_RESULTS_MAX_RANK];
    chunk[0] = cr;
    for (size_t k = 1; k < d->rank; k++)
        chunk[k] = d->dims[k];
    if (H5Pset_chunk(dcpl, (int)d->rank, chunk) < 0)
        goto fail;
    if (stored > 1 && d->type != DS_RESULTS_STRING &&
        H5Pset_shuffle(dcpl) < 0)
        goto fail;
    if (H5Pset_deflate(dcpl, (unsigned)d->level) < 0)
        goto fail;
    d->chunked = 1;
    d->chunk_rows = cr;
    return dcpl;
fail:
    H5Pclose(dcpl);
    return -1;
}

int ds_results_begin(ds_results_t *r, const char *path,
                     ds_results_type_t type, size_t rank, const size_t *dims,
                     const char *dimnames, ds_results_dset_t **out,
                     ds_error_t *err)
{
    *out = NULL;
    hid_t space = -1, dcpl = -1;
    int rc;
    if ((rc = check_path(path, err)))
        return rc;
    if (strcmp(path, "/") == 0)
        return ds_error_set(err, DS_EUSAGE, "a dataset cannot be '/'");
    if (rank > DS_RESULTS_MAX_RANK || (rank && !dims) ||
        type > DS_RESULTS_STRING || (type == DS_RESULTS_STRING && rank > 1))
        return ds_error_set(err, DS_EUSAGE,
                            "%s: unsupported type or rank %zu", path, rank);
    const char *dn;
    if ((rc = check_dimnames(dimnames, rank, path, &dn, err)))
        return rc;
    if ((rc = fault_here(r, path, err)))
        return rc;

    ds_results_dset_t *d = calloc(1, sizeof *d);
    if (!d)
        return oom(err);
    d->r = r;
    d->dset = -1;
    d->type = type;
    d->rank = rank;
    d->level = r->level;
    d->rows = rank ? dims[0] : 1;
    d->row_elems = 1;
    hsize_t hd[DS_RESULTS_MAX_RANK];
    for (size_t k = 0; k < rank; k++) {
        d->dims[k] = dims[k];
        hd[k] = dims[k];
        if (k)
            d->row_elems *= dims[k];
    }
    d->elem_size = elem_size(type);
    if (!(d->path = dup_str(path))) {
        rc = oom(err);
        goto fail;
    }
    if ((rc = ensure_groups(r, path, 0, err)))
        goto fail;
    htri_t ex = H5Lexists(r->file, path, H5P_DEFAULT);
    if (ex != 0) {
        rc = ex > 0 ? ds_error_set(err, DS_EUSAGE,
                                   "%s: '%s' is written twice", r->path, path)
                    : h5_error(err, r->path, "cannot look up '%s'", path);
        goto fail;
    }
    size_t stored = type == DS_RESULTS_STRING ? VLEN_STORED : d->elem_size;
    space = rank ? H5Screate_simple((int)rank, hd, NULL)
                 : H5Screate(H5S_SCALAR);
    if (space < 0 || (dcpl = make_dcpl(d, stored)) < 0) {
        rc = h5_error(err, r->path, "cannot set up dataset '%s'", path);
        goto fail;
    }
    d->direct = d->chunked && r->direct_ok && type != DS_RESULTS_STRING;
    if (d->direct) {
        d->pending = malloc(d->chunk_rows * d->row_elems * d->elem_size);
        if (!d->pending) {
            rc = oom(err);
            goto fail;
        }
    }
    d->dset = H5Dcreate2(r->file, path, file_type(r, type), space, r->lcpl,
                         dcpl, H5P_DEFAULT);
    if (d->dset < 0) {
        rc = h5_error(err, r->path, "cannot create dataset '%s'", path);
        goto fail;
    }
    hid_t ascalar = H5Screate(H5S_SCALAR);
    if (ascalar < 0) {
        rc = h5_error(err, r->path, "cannot make a dataspace");
        goto fail;
    }
    rc = attr_write(r, d->dset, path, "dimensions", r->str_type, r->str_type,
                    ascalar, &dn, err);
    H5Sclose(ascalar);
    if (rc)
        goto fail;
    H5Sclose(space);
    H5Pclose(dcpl);
    d->next = r->open;
    r->open = d;
    *out = d;
    return 0;

fail:
    if (space >= 0)
        H5Sclose(space);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    dset_free(d);
    return rc;
}

/* Scratch buffers for a batch of n chunks of `size` bytes: 2n buffers. */
static int scratch_reserve(ds_results_t *r, size_t n, size_t size)
{
    if (size > r->scratch_size) {
        for (size_t i = 0; i < r->n_scratch; i++)
            free(r->scratch[i]);
        free(r->scratch);
        r->scratch = NULL;
        r->n_scratch = 0;
        r->scratch_size = size;
    }
    if (2 * n <= r->n_scratch)
        return 0;
    unsigned char **s = realloc(r->scratch, 2 * n * sizeof *s);
    if (!s)
        return -1;
    r->scratch = s;
    while (r->n_scratch < 2 * n) {
        if (!(s[r->n_scratch] = malloc(r->scratch_size)))
            return -1;
        r->n_scratch++;
    }
    return 0;
}

/*
 * HDF5's shuffle filter (byte plane j of all elements, then plane j + 1),
 * then deflate in zlib format as HDF5's deflate filter reads it. Returns
 * the compressed size, or 0 on failure.
 */
static size_t compress_chunk(const unsigned char *src, size_t bytes,
                             size_t esize, unsigned char *shuf,
                             unsigned char *out, size_t cap, int level)
{
    const unsigned char *in = src;
    if (esize > 1) {
        size_t n = bytes / esize;
        for (size_t j = 0; j < esize; j++) {
            unsigned char *o = shuf + j * n;
            const unsigned char *s = src + j;
            for (size_t e = 0; e < n; e++)
                o[e] = s[e * esize];
        }
        in = shuf;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 15, 8,
                     level == 1 ? Z_RLE : Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)bytes;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int zr = deflate(&z, Z_FINISH);
    size_t len = z.total_out;
    deflateEnd(&z);
    return zr == Z_STREAM_END ? len : 0;
}

/*
 * Compress n_chunks whole chunks starting at src on all threads and write
 * them in order with H5Dwrite_chunk (main thread only).
 */
static int write_chunks(ds_results_dset_t *d, const unsigned char *src,
                        size_t n_chunks, ds_error_t *err)
{
    ds_results_t *r = d->r;
    size_t chunk_bytes = d->chunk_rows * d->row_elems * d->elem_size;
    size_t cap = compressBound((uLong)chunk_bytes);
    int nt = r->threads;
#ifdef _OPENMP
    if (nt <= 0)
        nt = omp_get_max_threads();
#else
    nt = 1;
#endif
    size_t batch = (size_t)nt * 4;
    if (batch > 64)
        batch = 64;
    if (batch > n_chunks)
        batch = n_chunks;
    size_t need = cap > chunk_bytes ? cap : chunk_bytes;
    if (scratch_reserve(r, batch, need))
        return oom(err);
    size_t len[64];
    hsize_t offset[DS_RESULTS_MAX_RANK] = {0};
    for (size_t c0 = 0; c0 < n_chunks; c0 += batch) {
        long nb = (long)(n_chunks - c0 < batch ? n_chunks - c0 : batch);
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1) if (nb > 1)
        for (long k = 0; k < nb; k++)
            len[k] = compress_chunk(src + (c0 + (size_t)k) * chunk_bytes,
                                    chunk_bytes, d->elem_size,
                                    r->scratch[2 * k], r->scratch[2 * k + 1],
                                    cap, d->level);
        for (long k = 0; k < nb; k++) {
            if (len[k] == 0)
                return ds_error_set(err, DS_EHDF5,
                                    "%s: cannot compress a chunk of '%s'",
                                    r->path, d->path);
            offset[0] = d->chunks_written * d->chunk_rows;
            if (H5Dwrite_chunk(d->dset, H5P_DEFAULT, 0, offset, len[k],
                               r->scratch[2 * k + 1]) < 0)
                return h5_error(err, r->path, "cannot write dataset '%s'",
                                d->path);
            d->chunks_written++;
        }
    }
    return 0;
}

/* Write rows [d->rows_done, + n) from data through HDF5's pipeline. */
static int write_slab(ds_results_dset_t *d, size_t n, const void *data,
                      ds_error_t *err)
{
    ds_results_t *r = d->r;
    hid_t fspace = -1, mspace = -1;
    int rc = 0, copied = 0;
    const void *buf = data;
    if (d->type == DS_RESULTS_STRING) {
        buf = strings_nonnull(data, n, &copied);
        if (!buf)
            return oom(err);
    }
    if (d->rank == 0) {
        if (H5Dwrite(d->dset, mem_type(r, d->type), H5S_ALL, H5S_ALL,
                     H5P_DEFAULT, buf) < 0)
            rc = h5_error(err, r->path, "cannot write dataset '%s'", d->path);
        goto done;
    }
    hsize_t start[DS_RESULTS_MAX_RANK] = {0}, count[DS_RESULTS_MAX_RANK];
    start[0] = d->rows_done;
    count[0] = n;
    for (size_t k = 1; k < d->rank; k++)
        count[k] = d->dims[k];
    if ((fspace = H5Dget_space(d->dset)) < 0 ||
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count,
                            NULL) < 0 ||
        (mspace = H5Screate_simple((int)d->rank, count, NULL)) < 0 ||
        H5Dwrite(d->dset, mem_type(r, d->type), mspace, fspace, H5P_DEFAULT,
                 buf) < 0)
        rc = h5_error(err, r->path, "cannot write dataset '%s'", d->path);
done:
    if (fspace >= 0)
        H5Sclose(fspace);
    if (mspace >= 0)
        H5Sclose(mspace);
    if (copied)
        free((void *)buf);
    return rc;
}

int ds_results_append(ds_results_dset_t *d, size_t n_rows, const void *data,
                      ds_error_t *err)
{
    if (n_rows > d->rows - d->rows_done)
        return ds_error_set(err, DS_EUSAGE,
                            "%s: %zu rows appended to '%s' beyond its %zu",
                            d->r->path, n_rows, d->path, d->rows);
    if (n_rows == 0)
        return 0;
    int rc;
    if (!d->direct) {
        if ((rc = write_slab(d, n_rows, data, err)))
            return rc;
        d->rows_done += n_rows;
        return 0;
    }
    const unsigned char *src = data;
    size_t row_bytes = d->row_elems * d->elem_size;
    size_t left = n_rows;
    if (d->n_pending) {
        size_t take = d->chunk_rows - d->n_pending;
        if (take > left)
            take = left;
        memcpy(d->pending + d->n_pending * row_bytes, src, take * row_bytes);
        d->n_pending += take;
        src += take * row_bytes;
        left -= take;
        if (d->n_pending == d->chunk_rows) {
            if ((rc = write_chunks(d, d->pending, 1, err)))
                return rc;
            d->n_pending = 0;
        }
    }
    size_t full = left / d->chunk_rows;
    if (full) {
        if ((rc = write_chunks(d, src, full, err)))
            return rc;
        src += full * d->chunk_rows * row_bytes;
        left -= full * d->chunk_rows;
    }
    if (left) {
        memcpy(d->pending, src, left * row_bytes);
        d->n_pending = left;
    }
    d->rows_done += n_rows;
    return 0;
}

int ds_results_end(ds_results_dset_t *d, ds_error_t *err)
{
    ds_results_t *r = d->r;
    int rc = 0;
    /* unlink from the list of open datasets */
    for (ds_results_dset_t **p = &r->open; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    if (d->rows_done != d->rows) {
        rc = ds_error_set(err, DS_EUSAGE,
                          "%s: '%s' finished with %zu of its %zu rows",
                          r->path, d->path, d->rows_done, d->rows);
        goto done;
    }
    if (d->n_pending) {
        /* the last, partial chunk is stored whole: pad with zeros */
        size_t row_bytes = d->row_elems * d->elem_size;
        memset(d->pending + d->n_pending * row_bytes, 0,
               (d->chunk_rows - d->n_pending) * row_bytes);
        if ((rc = write_chunks(d, d->pending, 1, err)))
            goto done;
        d->n_pending = 0;
    }
    hid_t dset = d->dset;
    d->dset = -1;
    if (H5Dclose(dset) < 0)
        rc = h5_error(err, r->path, "cannot write dataset '%s'", d->path);
done:
    dset_free(d);
    return rc;
}

static int write_whole(ds_results_t *r, const char *path,
                       ds_results_type_t type, size_t rank,
                       const size_t *dims, const void *data,
                       const char *dimnames, ds_error_t *err)
{
    ds_results_dset_t *d;
    int rc = ds_results_begin(r, path, type, rank, dims, dimnames, &d, err);
    if (rc)
        return rc;
    rc = ds_results_append(d, d->rows, data, err);
    if (rc) {
        d->rows_done = d->rows; /* let end() close it quietly */
        d->n_pending = 0;
        ds_results_end(d, NULL);
        return rc;
    }
    return ds_results_end(d, err);
}

int ds_results_write_double(ds_results_t *r, const char *path, size_t rank,
                            const size_t *dims, const double *data,
                            const char *dimnames, ds_error_t *err)
{
    return write_whole(r, path, DS_RESULTS_DOUBLE, rank, dims, data,
                       dimnames, err);
}

int ds_results_write_int64(ds_results_t *r, const char *path, size_t rank,
                           const size_t *dims, const int64_t *data,
                           const char *dimnames, ds_error_t *err)
{
    return write_whole(r, path, DS_RESULTS_INT64, rank, dims, data, dimnames,
                       err);
}

int ds_results_write_uint8(ds_results_t *r, const char *path, size_t rank,
                           const size_t *dims, const uint8_t *data,
                           const char *dimnames, ds_error_t *err)
{
    return write_whole(r, path, DS_RESULTS_UINT8, rank, dims, data, dimnames,
                       err);
}

int ds_results_write_strings(ds_results_t *r, const char *path, size_t n,
                             const char *const *data, const char *dimnames,
                             ds_error_t *err)
{
    return write_whole(r, path, DS_RESULTS_STRING, 1, &n, data, dimnames,
                       err);
}

int ds_results_write_scalar_double(ds_results_t *r, const char *path,
                                   double v, ds_error_t *err)
{
    return write_whole(r, path, DS_RESULTS_DOUBLE, 0, NULL, &v, "", err);
}

int ds_results_write_scalar_int64(ds_results_t *r, const char *path,
                                  int64_t v, ds_error_t *err)
{
    return write_whole(r, path, DS_RESULTS_INT64, 0, NULL, &v, "", err);
}

int ds_results_write_scalar_string(ds_results_t *r, const char *path,
                                   const char *s, ds_error_t *err)
{
    const char *v = s ? s : "";
    return write_whole(r, path, DS_RESULTS_STRING, 0, NULL, &v, "", err);
}

/* ------------------------------------------------------------------ */
/* Reading                                                            */
/* ------------------------------------------------------------------ */

const char *ds_results_file_name(const ds_results_reader_t *f)
{
    return f->name;
}

void ds_results_close(ds_results_reader_t *f)
{
    if (!f)
        return;
    if (f->file >= 0)
        H5Fclose(f->file);
    free(f->name);
    free(f);
    H5Eclear2(H5E_DEFAULT);
}

int ds_results_open(const char *path, ds_results_reader_t **out,
                    ds_error_t *err)
{
    *out = NULL;
    hid_t fapl = -1;
    char *format = NULL;
    int rc;
    struct stat st;
    if (stat(path, &st) != 0)
        return ds_error_set(err, DS_EIO, "cannot open '%s': %s", path,
                            strerror(errno));
    if (S_ISDIR(st.st_mode))
        return ds_error_set(err, DS_EIO, "'%s' is a directory, not a results "
                            "file", path);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return ds_error_set(err, DS_EIO, "cannot open '%s': %s", path,
                            strerror(errno));
    close(fd);
    htri_t is = H5Fis_hdf5(path);
    H5Eclear2(H5E_DEFAULT);
    if (is <= 0)
        return ds_error_set(err, DS_EDATA, "'%s' is not an HDF5 file", path);

    ds_results_reader_t *f = calloc(1, sizeof *f);
    if (!f)
        return oom(err);
    f->file = -1;
    if (!(f->name = dup_str(path))) {
        rc = oom(err);
        goto fail;
    }
    if ((fapl = make_fapl()) < 0) {
        rc = h5_error(err, path, "cannot set up the HDF5 properties");
        goto fail;
    }
    f->file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (f->file < 0) {
        rc = h5_error(err, path, "cannot open the HDF5 file");
        goto fail;
    }
    if (!ds_results_attr_exists(f, "/", "format")) {
        rc = ds_error_set(err, DS_EDATA,
                          "'%s' is not a dyadseq results file (it has no "
                          "root attribute 'format')",
                          path);
        goto fail;
    }
    if (ds_results_attr_get_string(f, "/", "format", &format, NULL) ||
        strcmp(format, DS_RESULTS_FORMAT) != 0) {
        char shown[80];
        ds_excerpt(shown, format ? format : "(not a string)", 60);
        rc = ds_error_set(err, DS_EDATA,
                          "'%s' is not a dyadseq results file (its root "
                          "attribute format is '%s', not '%s')",
                          path, shown, DS_RESULTS_FORMAT);
        goto fail;
    }
    free(format);
    H5Pclose(fapl);
    *out = f;
    return 0;
fail:
    free(format);
    if (fapl >= 0)
        H5Pclose(fapl);
    ds_results_close(f);
    return rc;
}

/* Whether every prefix of path exists as a link (H5Lexists needs that). */
static int path_exists(hid_t file, const char *path)
{
    if (check_path(path, NULL))
        return 0;
    if (strcmp(path, "/") == 0)
        return 1;
    size_t len = strlen(path);
    char *buf = malloc(len + 1);
    if (!buf)
        return 0;
    memcpy(buf, path, len + 1);
    int ok = 1;
    for (size_t i = 1; i <= len && ok; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        ok = H5Lexists(file, buf, H5P_DEFAULT) > 0;
        buf[i] = c;
    }
    free(buf);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

ds_results_kind_t ds_results_kind(ds_results_reader_t *f, const char *path)
{
    if (!path_exists(f->file, path))
        return DS_RESULTS_ABSENT;
    hid_t o = H5Oopen(f->file, path, H5P_DEFAULT);
    if (o < 0) {
        H5Eclear2(H5E_DEFAULT);
        return DS_RESULTS_OTHER_OBJECT;
    }
    H5I_type_t t = H5Iget_type(o);
    H5Oclose(o);
    return t == H5I_GROUP     ? DS_RESULTS_GROUP
           : t == H5I_DATASET ? DS_RESULTS_DATASET
                              : DS_RESULTS_OTHER_OBJECT;
}

void ds_results_names_free(char **names, size_t n)
{
    ds_results_strings_free(names, n);
}

void ds_results_strings_free(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

int ds_results_list(ds_results_reader_t *f, const char *path, char ***names,
                    size_t *n, ds_error_t *err)
{
    *names = NULL;
    *n = 0;
    if (ds_results_kind(f, path) != DS_RESULTS_GROUP)
        return ds_error_set(err, DS_EDATA, "%s: no group '%s'", f->name,
                            path);
    hid_t g = H5Gopen2(f->file, path, H5P_DEFAULT);
    H5G_info_t info;
    char **out = NULL;
    size_t k = 0;
    int rc = 0;
    if (g < 0 || H5Gget_info(g, &info) < 0) {
        rc = h5_error(err, f->name, "cannot read group '%s'", path);
        goto fail;
    }
    out = calloc(info.nlinks ? info.nlinks : 1, sizeof *out);
    if (!out) {
        rc = oom(err);
        goto fail;
    }
    H5_index_t idx = H5_INDEX_CRT_ORDER;
    for (k = 0; k < info.nlinks; k++) {
        ssize_t len = H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, k, NULL, 0,
                                         H5P_DEFAULT);
        if (len < 0 && k == 0 && idx == H5_INDEX_CRT_ORDER) {
            /* not written by us: creation order not tracked */
            H5Eclear2(H5E_DEFAULT);
            idx = H5_INDEX_NAME;
            len = H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, k, NULL, 0,
                                     H5P_DEFAULT);
        }
        if (len < 0) {
            rc = h5_error(err, f->name, "cannot list group '%s'", path);
            goto fail;
        }
        if (!(out[k] = malloc((size_t)len + 1))) {
            rc = oom(err);
            goto fail;
        }
        if (H5Lget_name_by_idx(g, ".", idx, H5_ITER_INC, k, out[k],
                               (size_t)len + 1, H5P_DEFAULT) < 0) {
            free(out[k]);
            rc = h5_error(err, f->name, "cannot list group '%s'", path);
            goto fail;
        }
    }
    H5Gclose(g);
    *names = out;
    *n = k;
    return 0;
fail:
    ds_results_strings_free(out, k);
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

/* Our type for an HDF5 type. */
static ds_results_type_t type_of(hid_t t)
{
    switch (H5Tget_class(t)) {
    case H5T_FLOAT: return DS_RESULTS_DOUBLE;
    case H5T_INTEGER:
        return H5Tget_size(t) == 1 && H5Tget_sign(t) == H5T_SGN_NONE
                   ? DS_RESULTS_UINT8
                   : DS_RESULTS_INT64;
    case H5T_STRING: return DS_RESULTS_STRING;
    default: return DS_RESULTS_OTHER;
    }
}

/* Fill rank, dims, n and row_elems of sh from a dataspace. */
static int shape_of_space(hid_t space, ds_results_shape_t *sh)
{
    int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 0 || rank > DS_RESULTS_MAX_RANK)
        return -1;
    hsize_t dims[DS_RESULTS_MAX_RANK];
    if (H5Sget_simple_extent_dims(space, dims, NULL) < 0)
        return -1;
    sh->rank = (size_t)rank;
    sh->n = 1;
    sh->row_elems = 1;
    for (int k = 0; k < rank; k++) {
        sh->dims[k] = (size_t)dims[k];
        sh->n *= sh->dims[k];
        if (k)
            sh->row_elems *= sh->dims[k];
    }
    if (rank == 0)
        sh->row_elems = 1;
    if (H5Sget_simple_extent_type(space) == H5S_NULL)
        sh->n = 0;
    return 0;
}

/* The memory type to read a stored string type with (vlen or fixed). */
static hid_t string_mem_type(hid_t ftype)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    int vlen = H5Tis_variable_str(ftype) > 0;
    if (H5Tset_size(t, vlen ? H5T_VARIABLE : H5Tget_size(ftype) + 1) < 0 ||
        H5Tset_cset(t, H5Tget_cset(ftype)) < 0 ||
        (!vlen && H5Tset_strpad(t, H5T_STR_NULLTERM) < 0)) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/*
 * Read n elements of the selection (mspace, fspace) of a dataset (a >= 0
 * is an attribute instead) as `as` into buf. stype is the stored type.
 */
static int read_sel(hid_t obj, int is_attr, hid_t stype, hid_t mspace,
                    hid_t fspace, size_t n, ds_results_type_t as, void *buf,
                    const char *file, const char *what, ds_error_t *err)
{
    ds_results_type_t st = type_of(stype);
    if (as != DS_RESULTS_DOUBLE && as != DS_RESULTS_INT64 &&
        as != DS_RESULTS_STRING)
        return ds_error_set(err, DS_EUSAGE,
                            "%s: read %s as double, int64 or strings", file,
                            what);
    if (as == DS_RESULTS_STRING ? st != DS_RESULTS_STRING
                                : (st == DS_RESULTS_STRING ||
                                   st == DS_RESULTS_OTHER ||
                                   (as != DS_RESULTS_DOUBLE &&
                                    st == DS_RESULTS_DOUBLE)))
        return ds_error_set(err, DS_EDATA,
                            "%s: %s holds %s and cannot be read as %s", file,
                            what,
                            st == DS_RESULTS_STRING ? "strings"
                            : st == DS_RESULTS_DOUBLE
                                ? "floating-point numbers"
                            : st == DS_RESULTS_OTHER  ? "an unsupported type"
                                                      : "integers",
                            as == DS_RESULTS_STRING  ? "strings"
                            : as == DS_RESULTS_INT64 ? "integers"
                                                     : "numbers");
    if (as != DS_RESULTS_STRING) {
        hid_t mt = as == DS_RESULTS_DOUBLE ? H5T_NATIVE_DOUBLE
                                           : H5T_NATIVE_INT64;
        herr_t e = is_attr ? H5Aread(obj, mt, buf)
                           : H5Dread(obj, mt, mspace, fspace, H5P_DEFAULT,
                                     buf);
        return e < 0 ? h5_error(err, file, "cannot read %s", what) : 0;
    }
    char **out = buf;
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    hid_t mt = string_mem_type(stype);
    if (mt < 0)
        return h5_error(err, file, "cannot read %s", what);
    int rc = 0, vlen = H5Tis_variable_str(mt) > 0;
    size_t width = vlen ? sizeof(char *) : H5Tget_size(mt);
    char *raw = malloc((n ? n : 1) * width);
    if (!raw) {
        H5Tclose(mt);
        return oom(err);
    }
    herr_t e = is_attr ? H5Aread(obj, mt, raw)
                       : H5Dread(obj, mt, mspace, fspace, H5P_DEFAULT, raw);
    if (e < 0) {
        rc = h5_error(err, file, "cannot read %s", what);
        goto done;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *s = vlen ? ((char **)raw)[i] : raw + i * width;
        if (!(out[i] = dup_str(s ? s : "")))
            rc = oom(err);
    }
    if (vlen) {
        /* give HDF5 back the strings it allocated */
        hid_t sp = mspace;
        if (is_attr || sp == H5S_ALL) {
            hsize_t d = n;
            sp = H5Screate_simple(1, &d, NULL);
        }
        if (sp >= 0) {
            DS_VLEN_RECLAIM(mt, sp, raw);
            if (sp != mspace)
                H5Sclose(sp);
        }
    }
    if (rc)
        for (size_t i = 0; i < n; i++) {
            free(out[i]);
            out[i] = NULL;
        }
done:
    free(raw);
    H5Tclose(mt);
    return rc;
}

int ds_results_attr_exists(ds_results_reader_t *f, const char *obj,
                           const char *name)
{
    if (!path_exists(f->file, obj))
        return 0;
    htri_t e = H5Aexists_by_name(f->file, obj, name, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return e > 0;
}

int ds_results_read_attr(ds_results_reader_t *f, const char *obj,
                         const char *name, ds_results_type_t as,
                         ds_results_array_t *a, ds_error_t *err)
{
    memset(a, 0, sizeof *a);
    if (!ds_results_attr_exists(f, obj, name))
        return ds_error_set(err, DS_EDATA, "%s: '%s' has no attribute '%s'",
                            f->name, obj, name);
    char what[600];
    snprintf(what, sizeof what, "attribute '%s' of '%s'", name, obj);
    hid_t at = -1, t = -1, sp = -1;
    int rc = 0;
    if ((at = H5Aopen_by_name(f->file, obj, name, H5P_DEFAULT,
                              H5P_DEFAULT)) < 0 ||
        (t = H5Aget_type(at)) < 0 || (sp = H5Aget_space(at)) < 0 ||
        shape_of_space(sp, &a->shape) < 0) {
        rc = h5_error(err, f->name, "cannot open %s", what);
        goto done;
    }
    a->shape.type = type_of(t);
    a->as = as;
    size_t n = a->shape.n;
    void *buf = NULL;
    size_t es = as == DS_RESULTS_STRING ? sizeof(char *) : 8;
    if (!(buf = calloc(n ? n : 1, es))) {
        rc = oom(err);
        goto done;
    }
    if (as == DS_RESULTS_STRING)
        a->s = buf;
    else if (as == DS_RESULTS_INT64)
        a->i = buf;
    else
        a->d = buf;
    rc = read_sel(at, 1, t, H5S_ALL, H5S_ALL, n, as, buf, f->name, what,
                  err);
    if (rc)
        ds_results_array_free(a);
done:
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (at >= 0)
        H5Aclose(at);
    return rc;
}

int ds_results_attr_get_string(ds_results_reader_t *f, const char *obj,
                               const char *name, char **out, ds_error_t *err)
{
    *out = NULL;
    ds_results_array_t a;
    int rc = ds_results_read_attr(f, obj, name, DS_RESULTS_STRING, &a, err);
    if (rc)
        return rc;
    if (a.shape.n != 1) {
        ds_results_array_free(&a);
        return ds_error_set(err, DS_EDATA,
                            "%s: attribute '%s' of '%s' is not one string",
                            f->name, name, obj);
    }
    *out = a.s[0];
    a.s[0] = NULL;
    ds_results_array_free(&a);
    return 0;
}

int ds_results_attr_names(ds_results_reader_t *f, const char *obj,
                          char ***names, size_t *n, ds_error_t *err)
{
    *names = NULL;
    *n = 0;
    if (!path_exists(f->file, obj))
        return ds_error_set(err, DS_EDATA, "%s: no object '%s'", f->name,
                            obj);
    hid_t o = H5Oopen(f->file, obj, H5P_DEFAULT);
    char **out = NULL;
    size_t k = 0;
    int rc = 0, na;
    if (o < 0 || (na = H5Aget_num_attrs(o)) < 0) {
        rc = h5_error(err, f->name, "cannot open '%s'", obj);
        goto fail;
    }
    if (!(out = calloc(na ? (size_t)na : 1, sizeof *out))) {
        rc = oom(err);
        goto fail;
    }
    H5_index_t idx = H5_INDEX_CRT_ORDER;
    for (k = 0; k < (size_t)na; k++) {
        ssize_t len = H5Aget_name_by_idx(o, ".", idx, H5_ITER_INC, k, NULL, 0,
                                         H5P_DEFAULT);
        if (len < 0 && k == 0 && idx == H5_INDEX_CRT_ORDER) {
            H5Eclear2(H5E_DEFAULT);
            idx = H5_INDEX_NAME;
            len = H5Aget_name_by_idx(o, ".", idx, H5_ITER_INC, k, NULL, 0,
                                     H5P_DEFAULT);
        }
        if (len < 0) {
            rc = h5_error(err, f->name, "cannot list attributes of '%s'",
                          obj);
            goto fail;
        }
        if (!(out[k] = malloc((size_t)len + 1))) {
            rc = oom(err);
            goto fail;
        }
        if (H5Aget_name_by_idx(o, ".", idx, H5_ITER_INC, k, out[k],
                               (size_t)len + 1, H5P_DEFAULT) < 0) {
            free(out[k]);
            rc = h5_error(err, f->name, "cannot list attributes of '%s'",
                          obj);
            goto fail;
        }
    }
    H5Oclose(o);
    *names = out;
    *n = k;
    return 0;
fail:
    ds_results_strings_free(out, k);
    if (o >= 0)
        H5Oclose(o);
    return rc;
}

int ds_results_dread_open(ds_results_reader_t *f, const char *path,
                          ds_results_dread_t **out, ds_error_t *err)
{
    *out = NULL;
    if (ds_results_kind(f, path) != DS_RESULTS_DATASET)
        return ds_error_set(err, DS_EDATA, "%s: no dataset '%s'", f->name,
                            path);
    ds_results_dread_t *d = calloc(1, sizeof *d);
    if (!d)
        return oom(err);
    d->f = f;
    d->ftype = d->space = -1;
    hid_t dcpl = -1;
    int rc = 0;
    char *dn = NULL;
    if (!(d->path = dup_str(path))) {
        rc = oom(err);
        goto fail;
    }
    if ((d->dset = H5Dopen2(f->file, path, H5P_DEFAULT)) < 0 ||
        (d->ftype = H5Dget_type(d->dset)) < 0 ||
        (d->space = H5Dget_space(d->dset)) < 0 ||
        (dcpl = H5Dget_create_plist(d->dset)) < 0) {
        rc = h5_error(err, f->name, "cannot open dataset '%s'", path);
        goto fail;
    }
    if (shape_of_space(d->space, &d->shape) < 0) {
        rc = ds_error_set(err, DS_EDATA, "%s: dataset '%s' has more than %d "
                          "axes", f->name, path, DS_RESULTS_MAX_RANK);
        goto fail;
    }
    d->shape.type = type_of(d->ftype);
    if (H5Pget_layout(dcpl) == H5D_CHUNKED) {
        hsize_t chunk[DS_RESULTS_MAX_RANK];
        if (H5Pget_chunk(dcpl, DS_RESULTS_MAX_RANK, chunk) > 0)
            d->shape.chunk_rows = (size_t)chunk[0];
    }
    if (ds_results_attr_exists(f, path, "dimensions") &&
        ds_results_attr_get_string(f, path, "dimensions", &dn, NULL) == 0)
        snprintf(d->shape.dimensions, sizeof d->shape.dimensions, "%s", dn);
    free(dn);
    H5Pclose(dcpl);
    *out = d;
    return 0;
fail:
    if (dcpl >= 0)
        H5Pclose(dcpl);
    ds_results_dread_close(d);
    return rc;
}

const ds_results_shape_t *ds_results_dread_shape(const ds_results_dread_t *d)
{
    return &d->shape;
}

void ds_results_dread_close(ds_results_dread_t *d)
{
    if (!d)
        return;
    if (d->space >= 0)
        H5Sclose(d->space);
    if (d->ftype >= 0)
        H5Tclose(d->ftype);
    if (d->dset >= 0)
        H5Dclose(d->dset);
    free(d->path);
    free(d);
    H5Eclear2(H5E_DEFAULT);
}

int ds_results_dread_rows(ds_results_dread_t *d, ds_results_type_t as,
                          size_t first, size_t count, void *buf,
                          ds_error_t *err)
{
    const ds_results_shape_t *sh = &d->shape;
    size_t rows = sh->rank ? sh->dims[0] : 1;
    char what[600];
    snprintf(what, sizeof what, "dataset '%s'", d->path);
    if (first > rows || count > rows - first)
        return ds_error_set(err, DS_EUSAGE,
                            "%s: rows %zu..%zu of %s, which has %zu",
                            d->f->name, first, first + count, what, rows);
    size_t n = count * sh->row_elems;
    if (n == 0)
        return 0;
    if (sh->rank == 0)
        return read_sel(d->dset, 0, d->ftype, H5S_ALL, H5S_ALL, 1, as, buf,
                        d->f->name, what, err);
    hsize_t start[DS_RESULTS_MAX_RANK] = {0}, cnt[DS_RESULTS_MAX_RANK];
    start[0] = first;
    cnt[0] = count;
    for (size_t k = 1; k < sh->rank; k++)
        cnt[k] = sh->dims[k];
    hid_t mspace = -1;
    int rc;
    if (H5Sselect_hyperslab(d->space, H5S_SELECT_SET, start, NULL, cnt,
                            NULL) < 0 ||
        (mspace = H5Screate_simple((int)sh->rank, cnt, NULL)) < 0) {
        rc = h5_error(err, d->f->name, "cannot select rows of %s", what);
        goto done;
    }
    rc = read_sel(d->dset, 0, d->ftype, mspace, d->space, n, as, buf,
                  d->f->name, what, err);
done:
    if (mspace >= 0)
        H5Sclose(mspace);
    return rc;
}

int ds_results_shape(ds_results_reader_t *f, const char *path,
                     ds_results_shape_t *shape, ds_error_t *err)
{
    ds_results_dread_t *d;
    int rc = ds_results_dread_open(f, path, &d, err);
    if (rc)
        return rc;
    *shape = d->shape;
    ds_results_dread_close(d);
    return 0;
}

void ds_results_array_free(ds_results_array_t *a)
{
    if (a->s)
        ds_results_strings_free(a->s, a->shape.n);
    free(a->d);
    free(a->i);
    a->s = NULL;
    a->d = NULL;
    a->i = NULL;
}

int ds_results_read(ds_results_reader_t *f, const char *path,
                    ds_results_type_t as, ds_results_array_t *a,
                    ds_error_t *err)
{
    memset(a, 0, sizeof *a);
    if (as != DS_RESULTS_DOUBLE && as != DS_RESULTS_INT64 &&
        as != DS_RESULTS_STRING)
        return ds_error_set(err, DS_EUSAGE, "read '%s' as double, int64 or "
                            "strings", path);
    ds_results_dread_t *d;
    int rc = ds_results_dread_open(f, path, &d, err);
    if (rc)
        return rc;
    a->shape = d->shape;
    a->as = as;
    size_t n = a->shape.n;
    void *buf = calloc(n ? n : 1, as == DS_RESULTS_STRING ? sizeof(char *)
                                                          : 8);
    if (!buf) {
        ds_results_dread_close(d);
        return oom(err);
    }
    if (as == DS_RESULTS_STRING)
        a->s = buf;
    else if (as == DS_RESULTS_INT64)
        a->i = buf;
    else
        a->d = buf;
    size_t rows = a->shape.rank ? a->shape.dims[0] : 1;
    rc = ds_results_dread_rows(d, as, 0, rows, buf, err);
    ds_results_dread_close(d);
    if (rc)
        ds_results_array_free(a);
    return rc;
}
