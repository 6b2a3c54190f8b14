/*
 * results_dset.c — writing datasets of a results file (see results.h):
 * whole, or in blocks of first-axis rows (begin, append, end).
 *
 * Storage follows the size (results.h): compact, contiguous, or chunked
 * along the first axis in blocks of whole rows with shuffle + deflate.
 * Chunks of numeric datasets are compressed by the codec
 * (results_codec.c) on all threads and stored with H5Dwrite_chunk, in
 * order, from this (the main) thread; strings, and hosts whose native
 * numbers are not little-endian, go through HDF5's own pipeline.
 */
#include "results_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Free one dataset's handle and buffers (not unlinked from r->open). */
static void dset_free(ds_results_dset_t *d)
{
    if (!d)
        return;
    if (d->dset >= 0 && ds_results_h5_usable())
        H5Dclose(d->dset);
    free(d->pending);
    free(d->path);
    free(d->dimnames);
    free(d->held);
    for (size_t k = 0; k < d->n_z; k++)
        free(d->z[k]);
    free(d->z);
    free(d->zlen);
    free(d);
}

void ds_results_dsets_free(ds_results_t *r)
{
    while (r->open) {
        ds_results_dset_t *next = r->open->next;
        dset_free(r->open);
        r->open = next;
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
    size_t cr = row_bytes ? DS_RESULTS_CHUNK_TARGET / row_bytes : 1;
    return cr < 1 ? 1 : cr;
}

/*
 * The dataset creation list for a dataset of `bytes` stored bytes:
 * compact, contiguous or chunked in blocks of whole first-axis rows of
 * about DS_RESULTS_CHUNK_TARGET bytes with shuffle (elements wider than a
 * byte) and deflate. Sets d->chunked and d->chunk_rows.
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
    if (n == 0 || d->rank == 0 || bytes <= DS_RESULTS_COMPACT_MAX) {
        if (n > 0 && H5Pset_layout(dcpl, H5D_COMPACT) < 0)
            goto fail;
        d->compact = n > 0;
        return dcpl;
    }
    if (bytes < DS_RESULTS_CONTIGUOUS_MAX || d->level == 0)
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
    /* a string's 16-byte references shuffled too (their lengths, heap
     * addresses and indices are runs and steps): HDF5's shuffle leaves
     * variable-length types alone unless told their stored size */
    if (d->type == DS_RESULTS_STRING) {
        unsigned cd[1] = {(unsigned)stored};
        if (H5Pset_filter(dcpl, H5Z_FILTER_SHUFFLE, H5Z_FLAG_OPTIONAL, 1,
                          cd) < 0)
            goto fail;
    } else if (stored > 1 && H5Pset_shuffle(dcpl) < 0)
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

/* A dataset at path of this type and shape can be written: its effective
 * dimension names into *dn. */
static int check_dataset(const char *path, ds_results_type_t type,
                         size_t rank, const size_t *dims,
                         const char *dimnames, const char **dn,
                         ds_error_t *err)
{
    int rc = ds_results_check_path(path, err);
    if (rc)
        return rc;
    if (strcmp(path, "/") == 0)
        return ds_error_set(err, DS_EUSAGE, "a dataset cannot be '/'");
    if (rank > DS_RESULTS_MAX_RANK || (rank && !dims) ||
        type > DS_RESULTS_STRING || (type == DS_RESULTS_STRING && rank > 1))
        return ds_error_set(err, DS_EUSAGE,
                            "%s: unsupported type or rank %zu", path, rank);
    return check_dimnames(dimnames, rank, path, dn, err);
}

static int begin(ds_results_t *r, const char *path, ds_results_type_t type,
                 size_t rank, const size_t *dims, const char *dimnames,
                 ds_results_dset_t **out, ds_error_t *err)
{
    *out = NULL;
    hid_t space = -1, dcpl = -1;
    const char *dn;
    int rc = check_dataset(path, type, rank, dims, dimnames, &dn, err);
    if (rc)
        return rc;
    rc = ds_results_fault_here(r, path, err);
    ds_results_dset_t *d = rc ? NULL : calloc(1, sizeof *d);
    if (!rc && !d)
        rc = ds_results_oom(err);
    /* under MPI, what one rank alone can fail is agreed before the
     * collective calls below */
    if (r->dist)
        rc = ds_results_mpi_agree(r, rc, err);
    if (rc) {
        free(d);
        return rc;
    }
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
    if (!(d->path = ds_strdup(path)))
        rc = ds_results_oom(err);
    if (r->dist)
        rc = ds_results_mpi_agree(r, rc, err);
    if (rc)
        goto fail;
    if ((rc = ds_results_ensure_groups(r, path, 0, err)))
        goto fail;
    htri_t ex = H5Lexists(r->file, path, H5P_DEFAULT);
    if (ex != 0) {
        rc = ex > 0 ? ds_error_set(err, DS_EUSAGE,
                                   "%s: '%s' is written twice", r->path, path)
                    : ds_results_h5_error(err, r->path,
                                          "cannot look up '%s'", path);
        goto fail;
    }
    size_t stored =
        type == DS_RESULTS_STRING ? DS_RESULTS_VLEN_STORED : d->elem_size;
    space = rank ? H5Screate_simple((int)rank, hd, NULL)
                 : H5Screate(H5S_SCALAR);
    if (space < 0 || (dcpl = make_dcpl(d, stored)) < 0) {
        rc = ds_results_h5_error(err, r->path, "cannot set up dataset '%s'",
                                 path);
        goto fail;
    }
    /* (not under MPI: parallel HDF5 has no direct chunk writes) */
    d->direct = d->chunked && r->direct_ok && type != DS_RESULTS_STRING &&
                !r->dist;
    if (d->direct) {
        d->pending = malloc(d->chunk_rows * d->row_elems * d->elem_size);
        if (!d->pending) {
            rc = ds_results_oom(err);
            goto fail;
        }
    }
    d->dset = H5Dcreate2(r->file, path, file_type(r, type), space, r->lcpl,
                         dcpl, H5P_DEFAULT);
    if (d->dset < 0) {
        rc = ds_results_h5_error(err, r->path, "cannot create dataset '%s'",
                                 path);
        goto fail;
    }
    hid_t ascalar = H5Screate(H5S_SCALAR);
    if (ascalar < 0) {
        rc = ds_results_h5_error(err, r->path, "cannot make a dataspace");
        goto fail;
    }
    rc = ds_results_attr_write(r, d->dset, path, "dimensions", r->str_type,
                               r->str_type, ascalar, &dn, err);
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

int ds_results_begin(ds_results_t *r, const char *path,
                     ds_results_type_t type, size_t rank, const size_t *dims,
                     const char *dimnames, ds_results_dset_t **out,
                     ds_error_t *err)
{
    int rc = begin(r, path, type, rank, dims, dimnames, out, err);
    if (r->dist && (rc = ds_results_mpi_agree(r, rc, err)))
        *out = NULL; /* begun here, failed elsewhere: freed on abort */
    return rc;
}


/* Store the next chunk of d, compressed to len bytes at z (0: the codec
 * failed). */
static int put_chunk(ds_results_dset_t *d, const unsigned char *z,
                     size_t len, ds_error_t *err)
{
    ds_results_t *r = d->r;
    hsize_t offset[DS_RESULTS_MAX_RANK] = {0};
    if (len == 0)
        return ds_error_set(err, DS_EHDF5,
                            "%s: cannot compress a chunk of '%s'", r->path,
                            d->path);
    offset[0] = d->chunks_written * d->chunk_rows;
    if (H5Dwrite_chunk(d->dset, H5P_DEFAULT, 0, offset, len, z) < 0)
        return ds_results_h5_error(err, r->path, "cannot write dataset '%s'",
                                   d->path);
    d->chunks_written++;
    return 0;
}

static size_t chunk_bytes_of(const ds_results_dset_t *d)
{
    return d->chunk_rows * d->row_elems * d->elem_size;
}

/* Store chunk k of a stream into its dataset (put_chunk), and every
 * batch's worth of chunks have the disk start on them. */
typedef struct chunk_put {
    ds_results_dset_t *const *d; /* the datasets */
    const size_t *of;            /* [n] chunk k's dataset in d */
    size_t n, n_rows;            /* rows each dataset gets (append_block) */
    size_t batch, since;
    /* append_block: datasets [next, end) of d not stored yet; those the
     * codec does not compress (inline) are written in their turn */
    const void *const *data;
    size_t first, next, end;
} chunk_put_t;

/* A dataset of a block that the codec does not compress, so that it can
 * be written while the codec's stream is under way: not stored directly
 * (its few rows go through HDF5 as one write), not held (whose chunks
 * the codec would compress), or not given (NULL). */
static int inline_dset(const ds_results_dset_t *d)
{
    return !d || (!d->direct && !d->deferred);
}

/* The block's inline datasets before dataset `upto`, in order. */
static int put_inline(chunk_put_t *p, size_t upto, ds_error_t *err)
{
    for (; p->next < upto; p->next++) {
        ds_results_dset_t *x = p->d[p->next];
        if (x && !x->direct) {
            int rc = ds_results_append_at(x, p->first, p->n_rows,
                                          p->data[p->next], err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int put_streamed(void *ctx, size_t k, const unsigned char *z,
                        size_t len, ds_error_t *err)
{
    chunk_put_t *p = ctx;
    ds_results_dset_t *d = p->d[p->of ? p->of[k] : 0];
    int rc = p->data ? put_inline(p, p->of[k], err) : 0;
    if (!rc)
        rc = put_chunk(d, z, len, err);
    /* a dataset's last chunk of the block: its rows are done */
    if (!rc && p->of && (k + 1 == p->n || p->of[k + 1] != p->of[k]))
        d->rows_done += p->n_rows;
    if (!rc && ++p->since == p->batch) {
        /* the disk starts on these chunks now, not in the final fsync */
        ds_outfile_writeback(&d->r->out);
        p->since = 0;
    }
    return rc;
}

/*
 * Compress n_chunks whole chunks starting at src (and the padded chunk
 * tail, if any) on all threads (the codec) and store them in order with
 * H5Dwrite_chunk (main thread only).
 */
static int write_chunks(ds_results_dset_t *d, const unsigned char *src,
                        size_t n_chunks, const unsigned char *tail,
                        ds_error_t *err)
{
    ds_results_t *r = d->r;
    size_t chunk_bytes = chunk_bytes_of(d);
    size_t total = n_chunks + (tail != NULL);
    ds_results_codec_job_t *job = malloc((total ? total : 1) * sizeof *job);
    if (!job)
        return ds_results_oom(err);
    for (size_t k = 0; k < total; k++)
        job[k] = (ds_results_codec_job_t){
            k < n_chunks ? src + k * chunk_bytes : tail, chunk_bytes,
            d->elem_size, d->level};
    chunk_put_t p = {.d = &d, .n = total,
                     .batch = ds_results_codec_batch(&r->codec)};
    int rc = ds_results_codec_stream(&r->codec, job, total, put_streamed, &p,
                                     err);
    free(job);
    if (!rc && p.since) /* the chunks since the last batch's writeback */
        ds_outfile_writeback(&r->out);
    return rc;
}

/* The last, partial chunk of d: its `rows` rows (from src, or already in
 * d->pending when src is NULL) in d->pending, padded with zeros to a
 * whole chunk, as it is stored. */
static const unsigned char *pad_pending(ds_results_dset_t *d,
                                        const unsigned char *src, size_t rows)
{
    size_t row_bytes = d->row_elems * d->elem_size;
    if (src)
        memcpy(d->pending, src, rows * row_bytes);
    memset(d->pending + rows * row_bytes, 0,
           (d->chunk_rows - rows) * row_bytes);
    return d->pending;
}

/* The rest of d's rows at once, nothing pending, just before end(). Stored
 * directly, the whole chunks and the last, partial one (padded as end()
 * would store it) are compressed together, so that the threads share that
 * chunk too; the chunks are stored in the same order as one at a time, so
 * the file is the same. */
static int append_rest(ds_results_dset_t *d, const void *data,
                       ds_error_t *err)
{
    size_t n = d->rows - d->rows_done;
    size_t full = d->chunk_rows ? n / d->chunk_rows : 0;
    size_t left = n - full * d->chunk_rows;
    if (!d->direct || d->r->dist || d->n_pending || !full || !left)
        return ds_results_append(d, n, data, err);
    size_t row_bytes = d->row_elems * d->elem_size;
    const unsigned char *src = data;
    int rc = write_chunks(
        d, src, full,
        pad_pending(d, src + full * d->chunk_rows * row_bytes, left), err);
    if (!rc)
        d->rows_done = d->rows;
    return rc;
}

/* The transfer property list for writing n rows of d (strings are
 * converted: ds_results_xfer). */
static hid_t xfer_plist(const ds_results_dset_t *d, size_t n)
{
    if (d->type != DS_RESULTS_STRING)
        return H5P_DEFAULT;
    return ds_results_xfer(d->r->dxpl, n * (d->row_elems ? d->row_elems : 1));
}

/* Write rows [d->rows_done, + n) from data through HDF5's pipeline. */
static int write_slab(ds_results_dset_t *d, size_t n, const void *data,
                      ds_error_t *err)
{
    ds_results_t *r = d->r;
    if (r->dist) /* rows given by every rank alike: rank 0 writes them */
        return ds_results_mpi_write(d, d->rows_done, n, data, 0, err);
    hid_t fspace = -1, mspace = -1;
    int rc = 0, copied = 0;
    const void *buf = data;
    if (d->type == DS_RESULTS_STRING) {
        buf = ds_results_strings_nonnull(data, n, &copied);
        if (!buf)
            return ds_results_oom(err);
    }
    if (d->rank == 0) {
        if (H5Dwrite(d->dset, mem_type(r, d->type), H5S_ALL, H5S_ALL,
                     xfer_plist(d, n), buf) < 0)
            rc = ds_results_h5_error(err, r->path,
                                     "cannot write dataset '%s'", d->path);
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
        H5Dwrite(d->dset, mem_type(r, d->type), mspace, fspace,
                 xfer_plist(d, n), buf) < 0)
        rc = ds_results_h5_error(err, r->path, "cannot write dataset '%s'",
                                 d->path);
done:
    if (fspace >= 0)
        H5Sclose(fspace);
    if (mspace >= 0)
        H5Sclose(mspace);
    if (copied)
        free((void *)buf);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Columns created at their end (ds_results_begin_column)              */
/* ------------------------------------------------------------------ */

int ds_results_begin_column(ds_results_t *r, const char *path,
                            ds_results_type_t type, const char *dimname,
                            ds_results_dset_t **out, ds_error_t *err)
{
    *out = NULL;
    const char *dn = NULL;
    size_t none = 0; /* its length: not known yet */
    int rc = check_dataset(path, type, 1, &none, dimname, &dn, err);
    ds_results_dset_t *d = rc ? NULL : calloc(1, sizeof *d);
    if (d) {
        d->r = r;
        d->dset = -1;
        d->deferred = 1;
        d->type = type;
        d->rank = 1;
        d->level = r->level;
        d->row_elems = 1;
        d->elem_size = elem_size(type);
        d->chunk_rows = ds_results_chunk_rows(d->elem_size);
        /* chunks are stored directly only then (begin) */
        d->hold_compressed = r->level > 0 && r->direct_ok && !r->dist &&
                             type != DS_RESULTS_STRING;
        d->path = ds_strdup(path);
        d->dimnames = ds_strdup(dn);
    }
    if (!rc && (!d || !d->path || !d->dimnames))
        rc = ds_results_oom(err);
    if (r->dist)
        rc = ds_results_mpi_agree(r, rc, err);
    if (rc) {
        dset_free(d);
        return rc;
    }
    d->next = r->open;
    r->open = d;
    *out = d;
    return 0;
}

/* Most uncompressed chunks a column holds: its rows are a small part of
 * a file, and a machine of many cores need not hold a megabyte per core
 * and column. */
#define HOLD_CHUNKS 4

/* Compress the whole chunks held by d, one per thread, and keep them. */
static int compress_held(ds_results_dset_t *d, ds_error_t *err)
{
    ds_results_t *r = d->r;
    size_t cb = chunk_bytes_of(d), full = d->n_held / d->chunk_rows;
    unsigned char *out[DS_RESULTS_CODEC_BATCH_MAX];
    size_t len[DS_RESULTS_CODEC_BATCH_MAX];
    if (d->n_z + full > d->z_cap) {
        size_t cap = d->z_cap ? 2 * d->z_cap : 16;
        while (cap < d->n_z + full)
            cap *= 2;
        unsigned char **z = realloc(d->z, cap * sizeof *z);
        if (z)
            d->z = z;
        size_t *zlen = z ? realloc(d->zlen, cap * sizeof *zlen) : NULL;
        if (!zlen)
            return ds_results_oom(err);
        d->zlen = zlen;
        d->z_cap = cap;
    }
    int rc = ds_results_codec_compress(&r->codec, d->held, full, cb,
                                       d->elem_size, d->level, out, len, err);
    for (size_t k = 0; !rc && k < full; k++) {
        if (len[k] == 0)
            return ds_error_set(err, DS_EHDF5,
                                "%s: cannot compress a chunk of '%s'",
                                r->path, d->path);
        if (!(d->z[d->n_z] = malloc(len[k])))
            return ds_results_oom(err);
        memcpy(d->z[d->n_z], out[k], len[k]);
        d->zlen[d->n_z++] = len[k];
    }
    if (rc)
        return rc;
    d->n_held -= full * d->chunk_rows;
    memmove(d->held, d->held + full * cb, d->n_held * d->elem_size);
    return 0;
}

/* Append n_rows to the rows d holds. */
static int hold(ds_results_dset_t *d, size_t n_rows, const void *data,
                ds_error_t *err)
{
    const unsigned char *src = data;
    size_t es = d->elem_size;
    /* compressed: a chunk per thread, up to HOLD_CHUNKS, held at once */
    size_t most = (size_t)ds_results_codec_threads(&d->r->codec);
    most = (most < 1 ? 1 : most > HOLD_CHUNKS ? HOLD_CHUNKS : most) *
           d->chunk_rows;
    while (n_rows) {
        if (d->n_held == d->held_cap) {
            if (d->hold_compressed && d->held_cap == most) {
                int rc = compress_held(d, err);
                if (rc)
                    return rc;
            } else {
                size_t cap = d->held_cap ? 2 * d->held_cap : 1024;
                if (d->hold_compressed && cap > most)
                    cap = most;
                unsigned char *h = realloc(d->held, cap * es);
                if (!h)
                    return ds_results_oom(err);
                d->held = h;
                d->held_cap = cap;
            }
        }
        size_t take = d->held_cap - d->n_held;
        if (take > n_rows)
            take = n_rows;
        memcpy(d->held + d->n_held * es, src, take * es);
        d->n_held += take;
        d->rows_done += take;
        src += take * es;
        n_rows -= take;
    }
    return 0;
}

/* Create the dataset of the column d with every row held, as
 * ds_results_write_* would, and free d. */
static int end_held(ds_results_dset_t *d, ds_error_t *err)
{
    ds_results_t *r = d->r;
    size_t n = d->rows_done;
    ds_results_dset_t *x = NULL;
    int rc = ds_results_begin(r, d->path, d->type, 1, &n, d->dimnames, &x,
                              err);
    /* its compressed chunks are those it is stored in: n rows make at
     * least one whole chunk, so it is chunked, directly written, with
     * chunks of the same rows */
    if (!rc && d->n_z && !(x->direct && x->chunk_rows == d->chunk_rows))
        rc = ds_error_set(err, DS_EUSAGE, "%s: '%s' held in chunks it is "
                          "not stored in", r->path, d->path);
    for (size_t k = 0; !rc && k < d->n_z; k++) {
        rc = put_chunk(x, d->z[k], d->zlen[k], err);
        x->rows_done += x->chunk_rows;
    }
    if (!rc)
        rc = append_rest(x, d->held, err);
    if (x && rc) { /* let end() close it quietly */
        x->rows_done = x->rows;
        x->n_pending = 0;
        ds_results_end(x, NULL);
    } else if (x) {
        rc = ds_results_end(x, err);
    }
    dset_free(d);
    return rc;
}

static int append(ds_results_dset_t *d, size_t n_rows, const void *data,
                  ds_error_t *err)
{
    if (d->deferred)
        return hold(d, n_rows, data, err);
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
            if ((rc = write_chunks(d, d->pending, 1, NULL, err)))
                return rc;
            d->n_pending = 0;
        }
    }
    size_t full = left / d->chunk_rows;
    if (full) {
        if ((rc = write_chunks(d, src, full, NULL, err)))
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

int ds_results_append(ds_results_dset_t *d, size_t n_rows, const void *data,
                      ds_error_t *err)
{
    int rc = append(d, n_rows, data, err);
    return d->r->dist ? ds_results_mpi_agree(d->r, rc, err) : rc;
}

int ds_results_append_at(ds_results_dset_t *d, size_t first, size_t n_rows,
                         const void *data, ds_error_t *err)
{
    if (d->r->dist) /* this rank's own rows, all ranks at once */
        return ds_results_mpi_agree(
            d->r, ds_results_mpi_write(d, first, n_rows, data, 1, err), err);
    if (first != d->rows_done)
        return ds_error_set(err, DS_EUSAGE,
                            "%s: rows from %zu appended to '%s' after %zu",
                            d->r->path, first, d->path, d->rows_done);
    return append(d, n_rows, data, err);
}

/* The chunks that rows [first, first + n_rows) of d make for the codec to
 * take with other datasets' (nothing pending before them): whole chunks,
 * or the dataset's last rows, whose last chunk is stored padded with
 * zeros (pad_pending); 0 when they make none. */
static size_t batch_chunks(const ds_results_dset_t *d, size_t first,
                           size_t n_rows)
{
    if (!d || !d->direct || d->n_pending || first != d->rows_done ||
        n_rows == 0 || n_rows > d->rows - d->rows_done)
        return 0;
    if (n_rows % d->chunk_rows == 0)
        return n_rows / d->chunk_rows;
    return first + n_rows == d->rows ? n_rows / d->chunk_rows + 1 : 0;
}

int ds_results_append_block(ds_results_dset_t *const *d,
                            const void *const *data, size_t n_dsets,
                            size_t first, size_t n_rows, ds_error_t *err)
{
    ds_results_t *r = NULL;
    for (size_t i = 0; i < n_dsets && !r; i++)
        r = d[i] ? d[i]->r : NULL;
    if (!r)
        return 0;
    /* room for every chunk of the block: at most one more than its whole
     * chunks per dataset */
    size_t most = 0;
    for (size_t i = 0; i < n_dsets; i++)
        most += d[i] && d[i]->chunk_rows ? n_rows / d[i]->chunk_rows + 1 : 0;
    ds_results_codec_job_t *job = malloc((most ? most : 1) * sizeof *job);
    size_t *of = malloc((most ? most : 1) * sizeof *of);
    int rc = job && of ? 0 : ds_results_oom(err);
    size_t i = 0;
    while (!rc && i < n_dsets) {
        /* the chunks of the datasets from i on that the codec can take
         * together, in one stream, and in between those it does not
         * compress, which the stream writes in their turn (the HDF5 calls
         * come in dataset order, as one at a time) */
        size_t j = i, nj = 0, nc;
        while (!r->dist && j < n_dsets) {
            if ((nc = batch_chunks(d[j], first, n_rows)) == 0) {
                if (!inline_dset(d[j]))
                    break;
                j++;
                continue;
            }
            size_t cb = chunk_bytes_of(d[j]);
            size_t whole = n_rows / d[j]->chunk_rows;
            const unsigned char *src = data[j];
            for (size_t k = 0; k < nc; k++, src += cb) {
                if (k == whole) /* the dataset's last rows */
                    src = pad_pending(d[j], src,
                                      n_rows - whole * d[j]->chunk_rows);
                of[nj] = j;
                job[nj++] = (ds_results_codec_job_t){src, cb, d[j]->elem_size,
                                                     d[j]->level};
            }
            j++;
        }
        if (nj == 0) { /* one at a time, as ds_results_append_at */
            size_t to = j > i ? j : i + 1;
            for (; !rc && i < to; i++)
                if (d[i])
                    rc = ds_results_append_at(d[i], first, n_rows, data[i],
                                              err);
            continue;
        }
        /* stored in dataset order, each dataset's rows done with its last
         * chunk */
        chunk_put_t p = {.d = d, .of = of, .n = nj, .n_rows = n_rows,
                         .batch = ds_results_codec_batch(&r->codec),
                         .data = data, .first = first, .next = i, .end = j};
        rc = ds_results_codec_stream(&r->codec, job, nj, put_streamed, &p,
                                     err);
        if (!rc) /* the inline datasets after the last chunk */
            rc = put_inline(&p, p.end, err);
        if (!rc && p.since) /* the chunks since the last writeback */
            ds_outfile_writeback(&r->out);
        i = j;
    }
    free(job);
    free(of);
    return rc;
}

static int end(ds_results_dset_t *d, ds_error_t *err)
{
    ds_results_t *r = d->r;
    int rc = 0;
    /* unlink from the list of open datasets */
    for (ds_results_dset_t **p = &r->open; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    if (d->deferred)
        return end_held(d, err);
    if (d->rows_done != d->rows) {
        rc = ds_error_set(err, DS_EUSAGE,
                          "%s: '%s' finished with %zu of its %zu rows",
                          r->path, d->path, d->rows_done, d->rows);
        goto done;
    }
    if (d->n_pending) {
        /* the last, partial chunk is stored whole */
        if ((rc = write_chunks(d, pad_pending(d, NULL, d->n_pending), 1,
                               NULL, err)))
            goto done;
        d->n_pending = 0;
    }
    hid_t dset = d->dset;
    d->dset = -1;
    if (H5Dclose(dset) < 0)
        rc = ds_results_h5_error(err, r->path, "cannot write dataset '%s'",
                                 d->path);
done:
    dset_free(d);
    return rc;
}

int ds_results_end(ds_results_dset_t *d, ds_error_t *err)
{
    ds_results_t *r = d->r;
    int rc = end(d, err);
    return r->dist ? ds_results_mpi_agree(r, rc, err) : rc;
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
    rc = append_rest(d, data, err);
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

