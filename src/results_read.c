/*
 * results_read.c — the results reader (see results.h): open a results
 * file read-only, test and list paths, read datasets whole or in blocks of
 * first-axis rows, read attributes. ds_results_open accepts an HDF5 file
 * only when its root attribute format is "dyadseq-results"; listing falls
 * back to name order for groups written without creation-order tracking
 * (by other programs). Strings come back as malloc'd C strings, whether
 * stored variable- or fixed-length.
 */
#include "results_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

#if H5_VERSION_GE(1, 12, 0)
#define DS_VLEN_RECLAIM(t, s, b) H5Treclaim((t), (s), H5P_DEFAULT, (b))
#else
#define DS_VLEN_RECLAIM(t, s, b) H5Dvlen_reclaim((t), (s), H5P_DEFAULT, (b))
#endif

struct ds_results_reader {
    char *name;
    hid_t file;
    hid_t dxpl;              /* dataset reads: ds_results_xfer */
    ds_results_heap_t *heap; /* its string heap, checked at open */
    int guarded;             /* ds_outfile_guard_reading(name) is on */
    int failed;              /* a look-up failed in HDF5 (not "absent") */
    ds_error_t fail;         /* its message */
};

/* A look-up that answers yes or no failed in HDF5 (out of memory, a
 * damaged header): remember the first, for ds_results_reader_error. */
static void lookup_failed(ds_results_reader_t *f, const char *path)
{
    if (f->failed) {
        H5Eclear2(H5E_DEFAULT);
        return;
    }
    f->failed = ds_results_h5_error(&f->fail, f->name, "cannot look up "
                                    "'%s'", path);
}

int ds_results_reader_error(const ds_results_reader_t *f, ds_error_t *err)
{
    if (f->failed && err)
        *err = f->fail;
    return f->failed;
}

struct ds_results_dread {
    ds_results_reader_t *f;
    char *path;
    hid_t dset, ftype, space;
    ds_results_shape_t shape;
};

const char *ds_results_file_name(const ds_results_reader_t *f)
{
    return f->name;
}

void ds_results_close(ds_results_reader_t *f)
{
    if (!f)
        return;
    if (f->file >= 0 && ds_results_h5_usable())
        H5Fclose(f->file);
    if (f->dxpl >= 0 && ds_results_h5_usable())
        H5Pclose(f->dxpl);
    if (f->guarded)
        ds_outfile_guard_reading(NULL);
    ds_results_heap_free(f->heap);
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
        return ds_results_oom(err);
    f->file = f->dxpl = -1;
    if (!(f->name = ds_strdup(path))) {
        rc = ds_results_oom(err);
        goto fail;
    }
    /* what HDF5 does not check and we cannot either: a crash while the
     * file is read is reported as its damage (outfile_guard.c) */
    ds_outfile_guard_reading(f->name);
    f->guarded = 1;
    /* before HDF5 reads a string: the heap it trusts (results_heap.c) */
    if ((rc = ds_results_heap_scan(path, &f->heap, err)))
        goto fail;
    if ((fapl = ds_results_fapl()) < 0) {
        rc = ds_results_h5_error(err, path,
                                 "cannot set up the HDF5 properties");
        goto fail;
    }
    f->file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (f->file < 0 || (f->dxpl = H5Pcreate(H5P_DATASET_XFER)) < 0) {
        rc = ds_results_h5_error(err, path, "cannot open the HDF5 file");
        goto fail;
    }
    if (!ds_results_attr_exists(f, "/", DS_RESULTS_ATTR_FORMAT)) {
        if ((rc = ds_results_reader_error(f, err)))
            goto fail;
        rc = ds_error_set(err, DS_EDATA,
                          "'%s' is not a dyadseq results file (it has no "
                          "root attribute 'format')",
                          path);
        goto fail;
    }
    if (ds_results_attr_get_string(f, "/", DS_RESULTS_ATTR_FORMAT, &format,
                                   NULL) ||
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

/* Whether every prefix of path exists as a link (H5Lexists needs that);
 * a failure to tell is recorded (lookup_failed) and counts as no. */
static int path_exists(ds_results_reader_t *f, const char *path)
{
    hid_t file = f->file;
    if (ds_results_check_path(path, NULL))
        return 0;
    if (strcmp(path, "/") == 0)
        return 1;
    size_t len = strlen(path);
    char *buf = malloc(len + 1);
    if (!buf) {
        if (!f->failed) /* out of memory is not "absent" */
            f->failed = ds_results_oom(&f->fail);
        return 0;
    }
    memcpy(buf, path, len + 1);
    int ok = 1;
    for (size_t i = 1; i <= len && ok; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        htri_t e = H5Lexists(file, buf, H5P_DEFAULT);
        if (e < 0)
            lookup_failed(f, buf);
        ok = e > 0;
        buf[i] = c;
    }
    free(buf);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

ds_results_kind_t ds_results_kind(ds_results_reader_t *f, const char *path)
{
    if (!path_exists(f, path))
        return DS_RESULTS_ABSENT;
    hid_t o = H5Oopen(f->file, path, H5P_DEFAULT);
    if (o < 0) {
        /* a link to nothing (dangling), or HDF5 failed: a file of ours has
         * no dangling links, so the failure is remembered */
        lookup_failed(f, path);
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

/* The signature H5Lget_name_by_idx and H5Aget_name_by_idx share. */
typedef ssize_t (*name_by_idx_fn)(hid_t, const char *, H5_index_t,
                                  H5_iter_order_t, hsize_t, char *, size_t,
                                  hid_t);

/*
 * The names of the n members (get = H5Lget_name_by_idx) or attributes
 * (H5Aget_name_by_idx) of the open object o, in creation order, or in
 * name order when the file does not track creation order (not written by
 * us). Messages say "cannot list <kind> '<path>'".
 */
/* Whether the open object o tracks the creation order of its links
 * (links) or of its attributes; -1 when HDF5 cannot tell. */
static int crt_order_tracked(hid_t o, int links)
{
    H5I_type_t t = H5Iget_type(o);
    hid_t cpl = t == H5I_GROUP     ? H5Gget_create_plist(o)
                : t == H5I_DATASET ? H5Dget_create_plist(o)
                                   : -1;
    unsigned flags = 0;
    if (cpl < 0)
        return t == H5I_GROUP || t == H5I_DATASET ? -1 : 0;
    herr_t e = links ? H5Pget_link_creation_order(cpl, &flags)
                     : H5Pget_attr_creation_order(cpl, &flags);
    H5Pclose(cpl);
    return e < 0 ? -1 : (flags & H5P_CRT_ORDER_INDEXED) != 0;
}

static int list_names(ds_results_reader_t *f, hid_t o, size_t n,
                      name_by_idx_fn get, const char *kind, const char *path,
                      char ***names, ds_error_t *err)
{
    char **out = calloc(n ? n : 1, sizeof *out);
    if (!out)
        return ds_results_oom(err);
    size_t k = 0;
    int rc = 0;
    /* creation order where the file keeps it (dyadseq's do), else names */
    int tracked = crt_order_tracked(o, get == H5Lget_name_by_idx);
    if (tracked < 0)
        goto h5_fail;
    H5_index_t idx = tracked ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    for (k = 0; k < n; k++) {
        ssize_t len = get(o, ".", idx, H5_ITER_INC, k, NULL, 0, H5P_DEFAULT);
        if (len < 0)
            goto h5_fail;
        if (!(out[k] = malloc((size_t)len + 1))) {
            rc = ds_results_oom(err);
            goto fail;
        }
        if (get(o, ".", idx, H5_ITER_INC, k, out[k], (size_t)len + 1,
                H5P_DEFAULT) < 0) {
            free(out[k]);
            goto h5_fail;
        }
    }
    *names = out;
    return 0;
h5_fail:
    rc = ds_results_h5_error(err, f->name, "cannot list %s '%s'", kind,
                             path);
fail:
    ds_results_strings_free(out, k);
    return rc;
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
    int rc;
    if (g < 0 || H5Gget_info(g, &info) < 0)
        rc = ds_results_h5_error(err, f->name, "cannot read group '%s'",
                                 path);
    else if ((rc = list_names(f, g, (size_t)info.nlinks, H5Lget_name_by_idx,
                              "group", path, names, err)) == 0)
        *n = (size_t)info.nlinks;
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

int ds_results_attr_names(ds_results_reader_t *f, const char *obj,
                          char ***names, size_t *n, ds_error_t *err)
{
    *names = NULL;
    *n = 0;
    if (!path_exists(f, obj))
        return ds_error_set(err, DS_EDATA, "%s: no object '%s'", f->name,
                            obj);
    hid_t o = H5Oopen(f->file, obj, H5P_DEFAULT);
    int rc, na = -1;
    if (o < 0 || (na = H5Aget_num_attrs(o)) < 0)
        rc = ds_results_h5_error(err, f->name, "cannot open '%s'", obj);
    else if ((rc = list_names(f, o, (size_t)na, H5Aget_name_by_idx,
                              "attributes of", obj, names, err)) == 0)
        *n = (size_t)na;
    if (o >= 0)
        H5Oclose(o);
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
                    hid_t fspace, hid_t dxpl, size_t n, ds_results_type_t as,
                    void *buf, const char *file, const char *what,
                    ds_error_t *err)
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
                           : H5Dread(obj, mt, mspace, fspace,
                                     ds_results_xfer(dxpl, n), buf);
        return e < 0 ? ds_results_h5_error(err, file, "cannot read %s", what)
                     : 0;
    }
    char **out = buf;
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    hid_t mt = string_mem_type(stype);
    if (mt < 0)
        return ds_results_h5_error(err, file, "cannot read %s", what);
    int rc = 0, vlen = H5Tis_variable_str(mt) > 0;
    size_t width = vlen ? sizeof(char *) : H5Tget_size(mt);
    char *raw = malloc((n ? n : 1) * width);
    if (!raw) {
        H5Tclose(mt);
        return ds_results_oom(err);
    }
    herr_t e = is_attr ? H5Aread(obj, mt, raw)
                       : H5Dread(obj, mt, mspace, fspace,
                                 ds_results_xfer(dxpl, n), raw);
    if (e < 0) {
        rc = ds_results_h5_error(err, file, "cannot read %s", what);
        goto done;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *s = vlen ? ((char **)raw)[i] : raw + i * width;
        if (!(out[i] = ds_strdup(s ? s : "")))
            rc = ds_results_oom(err);
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

/* 1 when obj has the attribute, 0 when not, -1 when HDF5 cannot tell
 * (out of memory, a damaged header). */
static int attr_presence(ds_results_reader_t *f, const char *obj,
                         const char *name)
{
    if (!path_exists(f, obj))
        return 0;
    htri_t e = H5Aexists_by_name(f->file, obj, name, H5P_DEFAULT);
    if (e >= 0)
        H5Eclear2(H5E_DEFAULT);
    return e > 0 ? 1 : e == 0 ? 0 : -1;
}

int ds_results_attr_exists(ds_results_reader_t *f, const char *obj,
                           const char *name)
{
    int e = attr_presence(f, obj, name);
    if (e < 0)
        lookup_failed(f, obj);
    return e > 0;
}

int ds_results_read_attr(ds_results_reader_t *f, const char *obj,
                         const char *name, ds_results_type_t as,
                         ds_results_array_t *a, ds_error_t *err)
{
    memset(a, 0, sizeof *a);
    int e = attr_presence(f, obj, name);
    if (e < 0)
        return ds_results_h5_error(err, f->name, "cannot read the "
                                   "attributes of '%s'", obj);
    if (e == 0)
        return ds_error_set(err, DS_EDATA, "%s: '%s' has no attribute '%s'",
                            f->name, obj, name);
    char what[600];
    ds_format_fit(what, sizeof what, "attribute '%s' of '%s'", name, obj);
    hid_t at = -1, t = -1, sp = -1;
    int rc = 0;
    if ((at = H5Aopen_by_name(f->file, obj, name, H5P_DEFAULT,
                              H5P_DEFAULT)) < 0 ||
        (t = H5Aget_type(at)) < 0 || (sp = H5Aget_space(at)) < 0 ||
        shape_of_space(sp, &a->shape) < 0) {
        rc = ds_results_h5_error(err, f->name, "cannot open %s", what);
        goto done;
    }
    a->shape.type = type_of(t);
    a->as = as;
    size_t n = a->shape.n;
    void *buf = NULL;
    size_t es = as == DS_RESULTS_STRING ? sizeof(char *) : 8;
    if (!(buf = calloc(n ? n : 1, es))) {
        rc = ds_results_oom(err);
        goto done;
    }
    if (as == DS_RESULTS_STRING)
        a->s = buf;
    else if (as == DS_RESULTS_INT64)
        a->i = buf;
    else
        a->d = buf;
    rc = read_sel(at, 1, t, H5S_ALL, H5S_ALL, -1, n, as, buf, f->name, what,
                  err);
    if (rc)
        ds_results_array_clear(a);
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
        ds_results_array_clear(&a);
        return ds_error_set(err, DS_EDATA,
                            "%s: attribute '%s' of '%s' is not one string",
                            f->name, name, obj);
    }
    *out = a.s[0];
    a.s[0] = NULL;
    ds_results_array_clear(&a);
    return 0;
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
        return ds_results_oom(err);
    d->f = f;
    d->ftype = d->space = -1;
    hid_t dcpl = -1;
    int rc = 0;
    char *dn = NULL;
    if (!(d->path = ds_strdup(path))) {
        rc = ds_results_oom(err);
        goto fail;
    }
    if ((d->dset = H5Dopen2(f->file, path, H5P_DEFAULT)) < 0 ||
        (d->ftype = H5Dget_type(d->dset)) < 0 ||
        (d->space = H5Dget_space(d->dset)) < 0 ||
        (dcpl = H5Dget_create_plist(d->dset)) < 0) {
        rc = ds_results_h5_error(err, f->name, "cannot open dataset '%s'",
                                 path);
        goto fail;
    }
    if (shape_of_space(d->space, &d->shape) < 0) {
        rc = ds_error_set(err, DS_EDATA, "%s: dataset '%s' has more than %d "
                          "axes", f->name, path, DS_RESULTS_MAX_RANK);
        goto fail;
    }
    d->shape.type = type_of(d->ftype);
    if (d->shape.type == DS_RESULTS_STRING &&
        H5Tis_variable_str(d->ftype) > 0) {
        char what[600];
        ds_format_fit(what, sizeof what, "dataset '%s'", path);
        if ((rc = ds_results_heap_check_dataset(f->heap, f->name, d->dset,
                                                d->shape.n, what, err)))
            goto fail;
    }
    if (H5Pget_layout(dcpl) == H5D_CHUNKED) {
        hsize_t chunk[DS_RESULTS_MAX_RANK];
        if (H5Pget_chunk(dcpl, DS_RESULTS_MAX_RANK, chunk) > 0)
            d->shape.chunk_rows = (size_t)chunk[0];
    }
    /* the axes label every row: failing to read them is a failure */
    htri_t has_dims = H5Aexists(d->dset, "dimensions");
    if (has_dims < 0) {
        rc = ds_results_h5_error(err, f->name, "cannot open dataset '%s'",
                                 path);
        goto fail;
    }
    if (has_dims) {
        if ((rc = ds_results_attr_get_string(f, path, "dimensions", &dn,
                                             err)))
            goto fail;
        ds_format_fit(d->shape.dimensions, sizeof d->shape.dimensions, "%s",
                      dn);
        free(dn);
    }
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
    if (ds_results_h5_usable()) {
        if (d->space >= 0)
            H5Sclose(d->space);
        if (d->ftype >= 0)
            H5Tclose(d->ftype);
        if (d->dset >= 0)
            H5Dclose(d->dset);
    }
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
    ds_format_fit(what, sizeof what, "dataset '%s'", d->path);
    if (first > rows || count > rows - first)
        return ds_error_set(err, DS_EUSAGE,
                            "%s: rows %zu..%zu of %s, which has %zu",
                            d->f->name, first, first + count, what, rows);
    size_t n = count * sh->row_elems;
    if (n == 0)
        return 0;
    if (sh->rank == 0)
        return read_sel(d->dset, 0, d->ftype, H5S_ALL, H5S_ALL, d->f->dxpl,
                        1, as, buf, d->f->name, what, err);
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
        rc = ds_results_h5_error(err, d->f->name, "cannot select rows of %s",
                                 what);
        goto done;
    }
    rc = read_sel(d->dset, 0, d->ftype, mspace, d->space, d->f->dxpl, n, as,
                  buf, d->f->name, what, err);
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

void ds_results_array_clear(ds_results_array_t *a)
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
        return ds_results_oom(err);
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
        ds_results_array_clear(a);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The catalog: every object with its shape, in one pass               */
/* ------------------------------------------------------------------ */

typedef struct catalog_ctx {
    ds_results_reader_t *f;
    ds_results_entry_t *e;
    size_t n, cap;
    int rc;
    ds_error_t *err;
} catalog_ctx_t;

/* The shape and axis names of the open dataset d (at path). */
static int entry_shape(catalog_ctx_t *c, hid_t d, const char *path,
                       ds_results_shape_t *sh)
{
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d), a = -1, at = -1;
    int rc = 0;
    memset(sh, 0, sizeof *sh);
    if (t < 0 || sp < 0 || shape_of_space(sp, sh) < 0) {
        rc = ds_results_h5_error(c->err, c->f->name, "cannot read dataset "
                                 "'%s'", path);
        goto done;
    }
    sh->type = type_of(t);
    if (sh->type == DS_RESULTS_STRING && H5Tis_variable_str(t) > 0) {
        char what[600];
        ds_format_fit(what, sizeof what, "dataset '%s'", path);
        if ((rc = ds_results_heap_check_dataset(c->f->heap, c->f->name, d,
                                                sh->n, what, c->err)))
            goto done;
    }
    if (H5Aexists(d, "dimensions") > 0 &&
        (a = H5Aopen(d, "dimensions", H5P_DEFAULT)) >= 0 &&
        (at = H5Aget_type(a)) >= 0 && type_of(at) == DS_RESULTS_STRING) {
        hid_t asp = H5Aget_space(a);
        ds_results_shape_t ash;
        char *dn = NULL;
        if (asp >= 0 && shape_of_space(asp, &ash) == 0 && ash.n == 1 &&
            read_sel(a, 1, at, H5S_ALL, H5S_ALL, -1, 1, DS_RESULTS_STRING, &dn,
                     c->f->name, "attribute 'dimensions'", NULL) == 0)
            ds_format_fit(sh->dimensions, sizeof sh->dimensions, "%s", dn);
        free(dn);
        if (asp >= 0)
            H5Sclose(asp);
    }
    H5Eclear2(H5E_DEFAULT);
done:
    if (at >= 0)
        H5Tclose(at);
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

static herr_t catalog_cb(hid_t obj, const char *name, const H5O_info_t *info,
                         void *data)
{
    catalog_ctx_t *c = data;
    if (strcmp(name, ".") == 0)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        ds_results_entry_t *e = realloc(c->e, cap * sizeof *e);
        if (!e) {
            c->rc = ds_results_oom(c->err);
            return -1;
        }
        c->e = e;
        c->cap = cap;
    }
    ds_results_entry_t *e = &c->e[c->n];
    memset(e, 0, sizeof *e);
    size_t len = strlen(name) + 2;
    if (!(e->path = malloc(len))) {
        c->rc = ds_results_oom(c->err);
        return -1;
    }
    snprintf(e->path, len, "/%s", name);
    c->n++;
    e->kind = info->type == H5O_TYPE_GROUP     ? DS_RESULTS_GROUP
              : info->type == H5O_TYPE_DATASET ? DS_RESULTS_DATASET
                                                : DS_RESULTS_OTHER_OBJECT;
    if (e->kind != DS_RESULTS_DATASET)
        return 0;
    hid_t d = H5Dopen2(obj, name, H5P_DEFAULT);
    if (d < 0) {
        c->rc = ds_results_h5_error(c->err, c->f->name, "cannot open "
                                    "dataset '%s'", e->path);
        return -1;
    }
    c->rc = entry_shape(c, d, e->path, &e->shape);
    H5Dclose(d);
    return c->rc ? -1 : 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const ds_results_entry_t *)a)->path,
                  ((const ds_results_entry_t *)b)->path);
}

int ds_results_catalog(ds_results_reader_t *f, ds_results_entry_t **out,
                       size_t *n, ds_error_t *err)
{
    catalog_ctx_t c = {.f = f, .err = err};
    *out = NULL;
    *n = 0;
    herr_t e = H5Ovisit2(f->file, H5_INDEX_NAME, H5_ITER_INC, catalog_cb, &c,
                         H5O_INFO_BASIC);
    if (e < 0 && c.rc == 0)
        c.rc = ds_results_h5_error(err, f->name, "cannot list the objects "
                                   "of the file");
    H5Eclear2(H5E_DEFAULT);
    if (c.rc) {
        ds_results_catalog_free(c.e, c.n);
        return c.rc;
    }
    if (c.n > 0)
        qsort(c.e, c.n, sizeof *c.e, cmp_entry);
    *out = c.e;
    *n = c.n;
    return 0;
}

const ds_results_entry_t *ds_results_catalog_find(
    const ds_results_entry_t *cat, size_t n, const char *path)
{
    ds_results_entry_t key = {.path = (char *)path};
    return n ? bsearch(&key, cat, n, sizeof *cat, cmp_entry) : NULL;
}

void ds_results_catalog_free(ds_results_entry_t *cat, size_t n)
{
    for (size_t i = 0; cat && i < n; i++)
        free(cat[i].path);
    free(cat);
}
