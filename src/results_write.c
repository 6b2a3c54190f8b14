/*
 * results_write.c — the results writer: create, commit and abort a file,
 * its provenance, groups and attributes (see results.h); datasets are
 * results_dset.c.
 *
 * The file is written to a temporary made by the one atomic save
 * (outfile.c): HDF5 opens it by name, and ds_results_commit() closes it,
 * fsyncs it, renames it over the output and fsyncs the directory (SPEC 2).
 * Files are made deterministic (SPEC 5): object timestamps off on every
 * group, dataset and the root (via the file creation list, which is a
 * group creation list), link and attribute creation order tracked, format
 * bounds fixed at 1.8 so the bytes do not change with the HDF5 release that
 * wrote them.
 */
#define _GNU_SOURCE /* memfd_create, fallocate */
#include "results_internal.h"
#include "strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "version.h"

int ds_results_fault_here(ds_results_t *r, const char *path, ds_error_t *err)
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

/*
 * Links and attributes stay in the object header, whatever their number
 * ("compact" storage; HDF5 moves more than 8 into a fractal heap by
 * default): the 1.8 format checksums object headers, and HDF5 checks the
 * sums, but it does not check a fractal heap's links and crashed on a
 * damaged one (issue 18 #6).
 */
#define COMPACT_MAX 65535
#define COMPACT_MIN_DENSE 65534

static int set_compact(hid_t cpl)
{
    return H5Pset_link_phase_change(cpl, COMPACT_MAX, COMPACT_MIN_DENSE) < 0 ||
                   H5Pset_attr_phase_change(cpl, COMPACT_MAX,
                                            COMPACT_MIN_DENSE) < 0
               ? -1
               : 0;
}

/* The property lists and string type every object of r is created with. */
static int make_properties(ds_results_t *r)
{
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if ((r->gcpl = H5Pcreate(H5P_GROUP_CREATE)) < 0 ||
        H5Pset_link_creation_order(r->gcpl, order) < 0 ||
        H5Pset_attr_creation_order(r->gcpl, order) < 0 ||
        set_compact(r->gcpl) < 0 ||
        H5Pset_obj_track_times(r->gcpl, 0) < 0 ||
        (r->lcpl = H5Pcreate(H5P_LINK_CREATE)) < 0 ||
        H5Pset_char_encoding(r->lcpl, H5T_CSET_UTF8) < 0 ||
        (r->acpl = H5Pcreate(H5P_ATTRIBUTE_CREATE)) < 0 ||
        H5Pset_char_encoding(r->acpl, H5T_CSET_UTF8) < 0 ||
        (r->dxpl = H5Pcreate(H5P_DATASET_XFER)) < 0 ||
        (r->str_type = make_str_type()) < 0)
        return -1;
    return 0;
}

/* Create the HDF5 file over the (empty) temporary r->out.tmp. */
static int create_file(ds_results_t *r, ds_error_t *err)
{
    hid_t fapl = -1, fcpl = -1;
    int rc = 0;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if ((fapl = ds_results_fapl()) < 0 ||
        (r->dist && ds_results_mpi_fapl(r, fapl) < 0) ||
        (fcpl = H5Pcreate(H5P_FILE_CREATE)) < 0 ||
        H5Pset_link_creation_order(fcpl, order) < 0 ||
        H5Pset_attr_creation_order(fcpl, order) < 0 || set_compact(fcpl) < 0 ||
        H5Pset_obj_track_times(fcpl, 0) < 0 || make_properties(r) < 0) {
        rc = ds_results_h5_error(err, r->path,
                                 "cannot set up the HDF5 properties");
        goto done;
    }
    const char *name = r->h5name ? r->h5name : r->out.tmp;
    r->file = H5Fcreate(name, H5F_ACC_TRUNC, fcpl, fapl);
    if (r->file < 0)
        rc = ds_results_h5_error(err, r->path,
                                 "cannot create the HDF5 file '%s'", name);
done:
    if (fapl >= 0)
        H5Pclose(fapl);
    if (fcpl >= 0)
        H5Pclose(fcpl);
    return rc;
}

int ds_results_create(const char *path, ds_results_t **out, ds_error_t *err)
{
    *out = NULL;
    int rc;
    ds_results_t *r = calloc(1, sizeof *r);
    if (!r)
        return ds_results_oom(err);
    r->out.fd = -1;
    r->file = r->gcpl = r->lcpl = r->acpl = r->str_type = r->dxpl = -1;
    r->level = DS_RESULTS_DEFAULT_LEVEL;
    ds_results_codec_init(&r->codec);
    read_fault_env(r);
    r->dist = ds_dist_world();
    /* replace an existing file: the command checked it may (cli.c); under
     * MPI rank 0 makes the temporary for all */
    if ((rc = r->dist ? ds_results_mpi_create(r, path, err)
                      : ds_outfile_open_fd(&r->out, path, 1, err)))
        goto fail;
    size_t clen = strlen(path) + sizeof "while writing ";
    if (!(r->path = ds_strdup(path)) || !(r->context = malloc(clen))) {
        rc = ds_results_oom(err);
        goto fail;
    }
    snprintf(r->context, clen, "while writing %s", path);
    ds_outfile_guard_context(r->context);
    r->direct_ok = H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) > 0 &&
                   H5Tequal(H5T_NATIVE_INT64, H5T_STD_I64LE) > 0;
    rc = create_file(r, err);
    if ((rc = ds_results_mpi_agree(r, rc, err)))
        goto fail;
    long fault = r->fault_write;
    r->fault_write = 0; /* injected faults count the caller's writes only */
    if ((rc = ds_results_attr_string(r, "/", DS_RESULTS_ATTR_FORMAT,
                                     DS_RESULTS_FORMAT, err)) ||
        (rc = ds_results_attr_int64(r, "/", DS_RESULTS_ATTR_FORMAT_VERSION,
                                    DS_FORMAT_VERSION, err)) ||
        (rc = ds_results_attr_string(r, "/", DS_RESULTS_ATTR_SOFTWARE_VERSION,
                                     DS_VERSION, err)))
        goto fail;
    r->fault_write = fault;
    r->n_writes = 0;
    *out = r;
    return 0;

fail:
    ds_results_abort(r);
    return rc;
}

int ds_results_write_provenance(ds_results_t *r,
                                const ds_results_provenance_t *p,
                                ds_error_t *err)
{
    int rc;
    if ((rc = ds_results_attr_string(r, "/", DS_RESULTS_ATTR_COMMAND_LINE,
                                     p->command_line, err)) ||
        (rc = ds_results_attr_string(r, "/", DS_RESULTS_ATTR_PARAMETERS,
                                     p->parameters, err)) ||
        (rc = ds_results_attr_strings(r, "/", DS_RESULTS_ATTR_INPUT_FILES,
                                      p->n_inputs, p->input_files, err)) ||
        (rc = ds_results_attr_strings(r, "/", DS_RESULTS_ATTR_INPUT_SHA256,
                                      p->n_inputs, p->input_sha256, err)) ||
        (rc = ds_results_attr_int64(r, "/", DS_RESULTS_ATTR_SEED,
                                    (int64_t)p->seed, err)))
        return rc;
    return 0;
}

void ds_results_set_compression(ds_results_t *r, int level)
{
    r->level = level < 0 ? 0 : level > 9 ? 9 : level;
}

void ds_results_set_threads(ds_results_t *r, int n)
{
    r->codec.threads = n < 0 ? 0 : n;
}

/* Close HDF5 objects and free r, without touching the files. */
static void results_free(ds_results_t *r)
{
    ds_results_dsets_free(r);
    /* after an HDF5 failure its objects are left as they are: closing
     * them can crash the library (issue 18 #9); the process ends soon */
    if (ds_results_h5_usable()) {
        if (r->str_type >= 0)
            H5Tclose(r->str_type);
        if (r->gcpl >= 0)
            H5Pclose(r->gcpl);
        if (r->lcpl >= 0)
            H5Pclose(r->lcpl);
        if (r->acpl >= 0)
            H5Pclose(r->acpl);
        if (r->dxpl >= 0)
            H5Pclose(r->dxpl);
        if (r->file >= 0)
            H5Fclose(r->file);
    }
    ds_outfile_guard_context(NULL);
    ds_strmap_free(r->groups);
    free(r->context);
    ds_results_codec_clear(&r->codec);
    ds_results_mpi_free(r);
    ds_outfile_discard(&r->out); /* after a commit: only frees names */
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
    if (r->file >= 0 && ds_results_h5_usable())
        divert_to_scratch(r->file);
    results_free(r); /* removes the temporary */
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
    if (fallocate(r->out.fd, FALLOC_FL_KEEP_SIZE, 0, len) == 0) {
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

int ds_results_finish(ds_results_t *r, ds_error_t *err)
{
    int rc, reserved;
    if (r->finished)
        return 0;
    if (r->dist) {
        /* MPI: every rank closes the parallel file, rank 0 completes it */
        if ((rc = ds_results_mpi_finish(r, err)) == 0)
            r->finished = 1;
        return rc;
    }
    if (r->open) {
        rc = ds_error_set(err, DS_EUSAGE,
                          "%s: dataset '%s' was begun and not finished",
                          r->path, r->open->path);
        goto fail;
    }
    if ((rc = reserve_flush_space(r, &reserved, err)))
        goto fail;
    if (H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0) {
        rc = ds_results_h5_error(err, r->path,
                                 "cannot finish writing the file");
        goto fail;
    }
    hid_t file = r->file;
    r->file = -1;
    if (H5Fclose(file) < 0) {
        rc = ds_results_h5_error(err, r->path,
                                 "cannot finish writing the file");
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
    int fd = r->out.fd;
    if (reserved && fstat(fd, &st) == 0 && ftruncate(fd, st.st_size)) {
        /* the blocks stay allocated; the file is still right */
    }
    /* fsync and close: the file is complete under its temporary name */
    if ((rc = ds_outfile_close(&r->out, err)))
        goto fail;
    r->finished = 1;
    return 0;

fail:
    /* the writer is of no further use: leave r for the caller to abort,
     * as after any failed write */
    return rc;
}

int ds_results_commit(ds_results_t *r, ds_error_t *err)
{
    int rc = ds_results_finish(r, err);
    /* rename, fsync the directory: the one atomic save */
    if (rc == 0)
        rc = r->dist ? ds_results_mpi_publish(r, err)
                     : ds_outfile_publish(&r->out, err);
    if (rc) {
        ds_results_abort(r);
        return rc;
    }
    results_free(r);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Groups and attributes                                              */
/* ------------------------------------------------------------------ */

int ds_results_ensure_groups(ds_results_t *r, const char *path,
                             int with_last, ds_error_t *err)
{
    size_t len = strlen(path);
    char *buf = malloc(len + 1);
    if (!buf)
        return ds_results_oom(err);
    memcpy(buf, path, len + 1);
    int rc = 0;
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i] == '\0' && !with_last)
            break;
        char c = buf[i];
        buf[i] = '\0';
        if (r->groups && ds_strmap_get(r->groups, buf, i) != (size_t)-1) {
            buf[i] = c; /* a group already */
            continue;
        }
        htri_t ex = H5Lexists(r->file, buf, H5P_DEFAULT);
        if (ex < 0) {
            rc = ds_results_h5_error(err, r->path, "cannot look up '%s'", buf);
            goto done;
        }
        if (ex == 0) {
            hid_t g = H5Gcreate2(r->file, buf, r->lcpl, r->gcpl, H5P_DEFAULT);
            if (g < 0) {
                rc = ds_results_h5_error(err, r->path,
                                         "cannot create group '%s'", buf);
                goto done;
            }
            if (H5Gclose(g) < 0) {
                rc = ds_results_h5_error(err, r->path,
                                         "cannot create group '%s'", buf);
                goto done;
            }
        } else {
            hid_t o = H5Oopen(r->file, buf, H5P_DEFAULT);
            if (o < 0) { /* there, but not opened: out of memory, damage */
                rc = ds_results_h5_error(err, r->path, "cannot open '%s'",
                                         buf);
                goto done;
            }
            H5I_type_t t = H5Iget_type(o);
            H5Oclose(o);
            if (t != H5I_GROUP) {
                H5Eclear2(H5E_DEFAULT);
                rc = ds_error_set(err, DS_EUSAGE,
                                  "%s: '%s' exists and is not a group",
                                  r->path, buf);
                goto done;
            }
        }
        /* remembered when there is memory for it; else looked up again */
        if (!r->groups)
            r->groups = ds_strmap_alloc();
        if (r->groups)
            (void)ds_strmap_put(r->groups, buf, i, 1);
        buf[i] = c;
    }
done:
    free(buf);
    return rc;
}

int ds_results_attr_write(ds_results_t *r, hid_t obj, const char *obj_path,
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
        return ds_results_h5_error(err, r->path,
                                   "cannot create attribute '%s' of '%s'",
                                   name, obj_path);
    herr_t w = H5Awrite(a, mtype, buf);
    herr_t c = H5Aclose(a);
    if (w < 0 || c < 0)
        return ds_results_h5_error(err, r->path,
                                   "cannot write attribute '%s' of '%s'",
                                   name, obj_path);
    return 0;
}

/* Open obj (creating it as a group if missing) and write one attribute. */
static int attr_put1(ds_results_t *r, const char *obj_path, const char *name,
                     hid_t ftype, hid_t mtype, size_t n, int scalar,
                     const void *buf, ds_error_t *err)
{
    int rc;
    hid_t obj = -1, space = -1;
    if ((rc = ds_results_check_path(obj_path, err)))
        return rc;
    rc = ds_results_fault_here(r, obj_path, err);
    /* under MPI agreed before the collective calls below */
    if (r->dist)
        rc = ds_results_mpi_agree(r, rc, err);
    if (rc)
        return rc;
    if (!name || !*name)
        return ds_error_set(err, DS_EUSAGE, "%s: empty attribute name",
                            obj_path);
    if (strcmp(obj_path, "/") != 0 &&
        H5Lexists(r->file, obj_path, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        if ((rc = ds_results_ensure_groups(r, obj_path, 1, err)))
            return rc;
    }
    obj = H5Oopen(r->file, obj_path, H5P_DEFAULT);
    if (obj < 0) {
        rc = ds_results_h5_error(err, r->path, "cannot open '%s'", obj_path);
        goto fail;
    }
    hsize_t dim = n;
    space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    if (space < 0) {
        rc = ds_results_h5_error(err, r->path, "cannot make a dataspace");
        goto fail;
    }
    rc = ds_results_attr_write(r, obj, obj_path, name, ftype, mtype, space,
                               buf, err);
fail:
    if (space >= 0)
        H5Sclose(space);
    if (obj >= 0 && H5Oclose(obj) < 0 && rc == 0)
        rc = ds_results_h5_error(err, r->path, "cannot write attribute '%s' "
                                 "of '%s'", name, obj_path);
    return rc;
}

/* attr_put1, its outcome agreed among MPI ranks */
static int attr_put(ds_results_t *r, const char *obj_path, const char *name,
                    hid_t ftype, hid_t mtype, size_t n, int scalar,
                    const void *buf, ds_error_t *err)
{
    int rc = attr_put1(r, obj_path, name, ftype, mtype, n, scalar, buf, err);
    return r->dist ? ds_results_mpi_agree(r, rc, err) : rc;
}

int ds_results_attr_string(ds_results_t *r, const char *obj, const char *name,
                           const char *value, ds_error_t *err)
{
    const char *v = value ? value : "";
    return attr_put(r, obj, name, r->str_type, r->str_type, 1, 1, &v, err);
}

const char **ds_results_strings_nonnull(const char *const *s, size_t n,
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
    const char **v =
        n ? ds_results_strings_nonnull(values, n, &copied) : &empty;
    if (!v)
        return ds_results_oom(err);
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
        return ds_strdup("%2E");
    if (strcmp(label, "..") == 0)
        return ds_strdup("%2E%2E");
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
    int rc = ds_results_check_path(path, err);
    rc = rc ? rc : ds_results_ensure_groups(r, path, 1, err);
    return r->dist ? ds_results_mpi_agree(r, rc, err) : rc;
}

