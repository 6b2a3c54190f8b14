/*
 * results_common.c — what the results writer and reader share: HDF5
 * failures reported as one line naming the file and HDF5's innermost
 * reason, the check of object paths, and the file access list that fixes
 * the format at HDF5 1.8 (see results_internal.h).
 */
#include "results_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct walk_ctx {
    char reason[256];
    int found;
    int resource; /* a frame of HDF5's resource errors: out of memory */
} walk_ctx_t;

/* Keep the innermost frame's description (the first one walked upward). */
static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    walk_ctx_t *w = data;
    (void)n;
    if (e->maj_num == H5E_RESOURCE)
        w->resource = 1;
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

/* An HDF5 call failed for want of memory: the library may be left
 * inconsistent (HDF5 1.10 does not survive running out of memory: objects
 * half built), so it is not called again to close what is open. Other
 * failures (a damaged file) leave it usable. */
static int broken;

int ds_results_h5_usable(void)
{
    return !broken;
}

int ds_results_library_open(void)
{
    ds_outfile_guard_start();
    ds_outfile_guard_context("while starting");
    /* no exit handler: HDF5 is closed at the end of main(), never from an
     * exit() below it (libgomp's) while a file is half written */
    H5dont_atexit();
    int ok = H5open() >= 0 && H5Eset_auto2(H5E_DEFAULT, NULL, NULL) >= 0;
    /* the packages HDF5 sets up on their first call, all now: while
     * memory is there, and not half way through a write */
    hid_t p = ok ? H5Pcreate(H5P_FILE_ACCESS) : -1, s = -1, t = -1;
    ok = ok && p >= 0 && (s = H5Screate(H5S_SCALAR)) >= 0 &&
         (t = H5Tcopy(H5T_C_S1)) >= 0 &&
         H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) >= 0 &&
         H5Zfilter_avail(H5Z_FILTER_DEFLATE) >= 0;
    if (t >= 0)
        H5Tclose(t);
    if (s >= 0)
        H5Sclose(s);
    if (p >= 0)
        H5Pclose(p);
    /* the rest set themselves up on a call that fails for want of an
     * object; that failure is expected */
    H5Fis_hdf5("");
    H5Dget_space(-1);
    H5Gget_info(-1, NULL);
    H5Aget_space(-1);
    H5Oclose(-1);
    H5Lexists(-1, "", H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    ds_outfile_guard_context(NULL);
    if (!ok)
        broken = 1;
    return ok ? 0 : DS_EHDF5;
}

int ds_results_h5_error(ds_error_t *err, const char *file, const char *fmt,
                        ...)
{
    char what[DS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    ds_vformat_fit(what, sizeof what, fmt, ap); /* names cut, not reasons */
    va_end(ap);
    walk_ctx_t w = {"", 0, 0};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, &w);
    H5Eclear2(H5E_DEFAULT);
    if (w.resource) { /* HDF5 ran out of memory: see ds_results_h5_usable */
        broken = 1;
        ds_outfile_guard_failed();
    }
    if (w.found)
        return ds_error_set(err, DS_EHDF5, "%s: %s (HDF5: %s)", file, what,
                            w.reason);
    return ds_error_set(err, DS_EHDF5, "%s: %s", file, what);
}

/* HDF5's default conversion buffer; bytes per element: the larger of a
 * char * and a stored variable-length string, twice */
#define XFER_MAX ((size_t)1 << 20)
#define XFER_MIN ((size_t)4 << 10)
#define XFER_ELEM ((size_t)2 * DS_RESULTS_VLEN_STORED)

hid_t ds_results_xfer(hid_t dxpl, size_t n)
{
    if (dxpl < 0)
        return H5P_DEFAULT;
    /* a power of two: HDF5 keeps freed buffers by size and hands them
     * out again, so a run writes with a handful of sizes, not one fresh
     * allocation (and its page faults) per column */
    size_t bytes = XFER_MIN;
    while (bytes < XFER_MAX && bytes / XFER_ELEM < n)
        bytes *= 2;
    return H5Pset_buffer(dxpl, bytes, NULL, NULL) < 0 ? H5P_DEFAULT : dxpl;
}

int ds_results_oom(ds_error_t *err)
{
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

int ds_results_check_path(const char *path, ds_error_t *err)
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

hid_t ds_results_fapl(void)
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
