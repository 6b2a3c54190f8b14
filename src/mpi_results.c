/*
 * mpi_results.c — one results file written by all the ranks of the MPI
 * program with parallel HDF5 (see results_internal.h for the rules).
 *
 * The file is the serial writer's: the same calls in the same order with
 * the same property lists, so the same groups, datasets, attributes,
 * layouts and filters; only the driver differs (MPI-IO), and with it
 * where HDF5 places objects and chunks. Parallel HDF5 has no direct chunk
 * writes, so chunks go through its filter pipeline, whose deflate filter
 * is the serial writer's encoder in this process (mpi_filter.c): the
 * chunks' bytes are the serial file's. The content is identical (h5diff),
 * the file's bytes are not.
 *
 * Numbers are written collectively: every rank calls H5Dwrite with a
 * selection, rank 0 all the rows given alike (none on the others), each
 * rank its own rows of the per-session datasets. Variable-length strings
 * cannot be written in parallel by HDF5 1.10 ("Parallel IO does not
 * support writing VL datatypes"): their datasets are created by all, and
 * rank 0 keeps the strings and writes them alone once the parallel file
 * is closed, reopening it with the default driver, before it syncs and
 * renames the file as the serial writer does (outfile.h).
 */
#include "mpi_internal.h"
#include "results_internal.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Strings rank 0 writes after the parallel part. */
typedef struct deferred {
    char *path;
    size_t first, n;
    char **s;
    struct deferred *next;
} deferred_t;

struct ds_results_mpi {
    int rank;
    char *tmp;               /* the temporary file, on every rank */
    hid_t dxpl;              /* collective transfers */
    deferred_t *head, **tail;
};

static void deferred_free(deferred_t *x)
{
    for (size_t i = 0; x->s && i < x->n; i++)
        free(x->s[i]);
    free(x->s);
    free(x->path);
    free(x);
}

void ds_results_mpi_free(ds_results_t *r)
{
    struct ds_results_mpi *m = r->mpi;
    if (!m)
        return;
    while (m->head) {
        deferred_t *n = m->head->next;
        deferred_free(m->head);
        m->head = n;
    }
    if (m->dxpl >= 0)
        H5Pclose(m->dxpl);
    free(m->tmp);
    free(m);
    r->mpi = NULL;
}

int ds_results_mpi_agree(const ds_results_t *r, int rc, ds_error_t *err)
{
    return ds_dist_agree(r->dist, rc, err);
}

int ds_results_mpi_create(ds_results_t *r, const char *path,
                          ds_error_t *err)
{
    int rank = ds_dist_rank(r->dist), rc = DS_OK;
    struct ds_results_mpi *m = calloc(1, sizeof *m);
    if (!m)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    else {
        m->rank = rank;
        m->dxpl = -1;
        m->tail = &m->head;
        r->mpi = m;
    }
    ds_mpi_filter_install(); /* the serial writer's deflate, if it can */
    if (!ds_dist_fault_here()) /* DYADSEQ_FAULT_RANK names another rank */
        r->fault_write = r->fault_commit = 0;
    /* rank 0: the temporary, as the serial writer makes it */
    if (!rc && rank == 0)
        rc = ds_outfile_open_fd(&r->out, path, 1, err);
    if (!rc && (m->dxpl = H5Pcreate(H5P_DATASET_XFER)) < 0)
        rc = ds_results_h5_error(err, path, "cannot set up MPI transfers");
    if (!rc && H5Pset_dxpl_mpio(m->dxpl, H5FD_MPIO_COLLECTIVE) < 0)
        rc = ds_results_h5_error(err, path, "cannot set up MPI transfers");
    if ((rc = ds_dist_agree(r->dist, rc, err)))
        return rc;
    /* its name to every rank */
    unsigned long long len = rank == 0 ? strlen(r->out.tmp) + 1 : 0;
    ds_dist_bcast(r->dist, 0, &len, sizeof len, err);
    m->tmp = malloc((size_t)len);
    rc = m->tmp ? DS_OK : ds_error_set(err, DS_ENOMEM, "out of memory");
    if ((rc = ds_dist_agree(r->dist, rc, err)))
        return rc;
    if (rank == 0)
        memcpy(m->tmp, r->out.tmp, (size_t)len);
    ds_dist_bcast(r->dist, 0, m->tmp, (size_t)len, err);
    r->h5name = m->tmp; /* rank 0 alone owns r->out (and removes it) */
    return DS_OK;
}

int ds_results_mpi_fapl(const ds_results_t *r, hid_t fapl)
{
    return H5Pset_fapl_mpio(fapl, ds_dist_comm(r->dist), MPI_INFO_NULL) < 0
               ? -1
               : 0;
}

/* Keep rows [first, first + n) of strings for the serial part. */
static int defer(ds_results_dset_t *d, size_t first, size_t n,
                 const char *const *v, ds_error_t *err)
{
    struct ds_results_mpi *m = d->r->mpi;
    deferred_t *x = calloc(1, sizeof *x);
    if (!x || !(x->path = ds_strdup(d->path)) ||
        !(x->s = calloc(n ? n : 1, sizeof *x->s))) {
        if (x)
            deferred_free(x);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    x->first = first;
    x->n = n;
    for (size_t i = 0; i < n; i++)
        if (!(x->s[i] = ds_strdup(v[i] ? v[i] : ""))) {
            deferred_free(x);
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        }
    *m->tail = x;
    m->tail = &x->next;
    return DS_OK;
}

/* One collective write of rows [first, first + n) from data, or of none
 * (n = 0, or none of this rank's). */
static int write_rows(ds_results_dset_t *d, size_t first, size_t n,
                      const void *data, ds_error_t *err)
{
    ds_results_t *r = d->r;
    hid_t mt = d->type == DS_RESULTS_DOUBLE  ? H5T_NATIVE_DOUBLE
               : d->type == DS_RESULTS_INT64 ? H5T_NATIVE_INT64
                                             : H5T_NATIVE_UINT8;
    hid_t fs = H5Dget_space(d->dset), ms = -1;
    int rc = fs < 0;
    if (!rc && d->rank > 0) {
        hsize_t start[DS_RESULTS_MAX_RANK] = {0}, count[DS_RESULTS_MAX_RANK];
        start[0] = first;
        count[0] = n;
        for (size_t k = 1; k < d->rank; k++)
            count[k] = d->dims[k];
        if (n == 0) {
            count[0] = 1;
            ms = H5Screate_simple((int)d->rank, count, NULL);
            rc = ms < 0 || H5Sselect_none(ms) < 0 || H5Sselect_none(fs) < 0;
        } else {
            ms = H5Screate_simple((int)d->rank, count, NULL);
            rc = ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start,
                                               NULL, count, NULL) < 0;
        }
    } else if (!rc) { /* a scalar */
        ms = H5Screate(H5S_SCALAR);
        rc = ms < 0 || (n == 0 && (H5Sselect_none(ms) < 0 ||
                                   H5Sselect_none(fs) < 0));
    }
    ds_mpi_filter_esize(d->elem_size); /* the filter's byte planes */
    if (!rc)
        rc = H5Dwrite(d->dset, mt, ms, fs, r->mpi->dxpl, data) < 0;
    ds_mpi_filter_esize(1);
    if (fs >= 0)
        H5Sclose(fs);
    if (ms >= 0)
        H5Sclose(ms);
    return rc ? ds_results_h5_error(err, r->path, "cannot write dataset '%s'",
                                    d->path)
              : DS_OK;
}

/*
 * Every rank's own rows of a compact dataset: its data live in the object
 * header, which every rank must write alike, so every rank writes every
 * rank's rows (a compact dataset is small: at most 8 KiB).
 */
static int write_compact_own(ds_results_dset_t *d, size_t first, size_t n,
                             const void *data, ds_error_t *err)
{
    ds_results_t *r = d->r;
    int P = ds_dist_size(r->dist);
    size_t row = d->row_elems * d->elem_size, *len = malloc(P * sizeof *len);
    unsigned long long mine[2] = {first, n}, *at = malloc(2 * P * sizeof *at);
    unsigned char *all = NULL;
    int rc = len && at ? DS_OK : ds_error_set(err, DS_ENOMEM, "out of memory");
    if (!(rc = ds_dist_agree(r->dist, rc, err))) {
        MPI_Allgather(mine, 2, MPI_UNSIGNED_LONG_LONG, at, 2,
                      MPI_UNSIGNED_LONG_LONG, ds_dist_comm(r->dist));
        rc = ds_dist_allgather(r->dist, data, n * row, &all, len, err);
    }
    for (int k = 0, off = 0; !rc && k < P; off += (int)len[k], k++) {
        rc = write_rows(d, (size_t)at[2 * k], (size_t)at[2 * k + 1],
                        all + off, err);
        d->rows_done += (size_t)at[2 * k + 1];
    }
    free(all);
    free(len);
    free(at);
    return rc;
}

int ds_results_mpi_write(ds_results_dset_t *d, size_t first, size_t n,
                         const void *data, int own, ds_error_t *err)
{
    ds_results_t *r = d->r;
    int rank = r->mpi->rank, rc;
    if (own && d->compact && d->type != DS_RESULTS_STRING)
        return write_compact_own(d, first, n, data, err);
    if (d->type == DS_RESULTS_STRING) {
        if (own)
            return ds_error_set(err, DS_EUSAGE, "%s: strings of '%s' from "
                                "every rank", r->path, d->path);
        return rank == 0 && n ? defer(d, first, n, data, err) : DS_OK;
    }
    if (own) {
        unsigned long long mine = n, all = 0;
        MPI_Allreduce(&mine, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM,
                      ds_dist_comm(r->dist));
        rc = write_rows(d, first, n, data, err);
        d->rows_done += (size_t)all;
        return rc;
    }
    /* compact data live in the object header: every rank writes them */
    return write_rows(d, first, rank == 0 || d->compact ? n : 0, data, err);
}

/* Rank 0, after the parallel part: the strings, with the default driver. */
static int write_deferred(ds_results_t *r, ds_error_t *err)
{
    struct ds_results_mpi *m = r->mpi;
    if (!m->head)
        return DS_OK;
    hid_t fapl = ds_results_fapl(), f = -1;
    int rc = DS_OK;
    if (fapl < 0 || (f = H5Fopen(m->tmp, H5F_ACC_RDWR, fapl)) < 0)
        rc = ds_results_h5_error(err, r->path, "cannot reopen '%s' for its "
                                 "strings", m->tmp);
    for (deferred_t *x = m->head; !rc && x; x = x->next) {
        hid_t d = H5Dopen2(f, x->path, H5P_DEFAULT), fs = -1, ms = -1;
        int bad = d < 0 || (fs = H5Dget_space(d)) < 0;
        if (!bad && H5Sget_simple_extent_ndims(fs) > 0) {
            hsize_t start = x->first, count = x->n;
            bad = (ms = H5Screate_simple(1, &count, NULL)) < 0 ||
                  H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL,
                                      &count, NULL) < 0;
        } else if (!bad) {
            bad = (ms = H5Screate(H5S_SCALAR)) < 0;
        }
        if (!bad)
            bad = H5Dwrite(d, r->str_type, ms, fs, H5P_DEFAULT, x->s) < 0;
        if (ms >= 0)
            H5Sclose(ms);
        if (fs >= 0)
            H5Sclose(fs);
        if (d >= 0 && H5Dclose(d) < 0)
            bad = 1;
        if (bad)
            rc = ds_results_h5_error(err, r->path,
                                     "cannot write dataset '%s'", x->path);
    }
    if (f >= 0 && H5Fclose(f) < 0 && !rc)
        rc = ds_results_h5_error(err, r->path, "cannot finish writing the "
                                 "file");
    if (fapl >= 0)
        H5Pclose(fapl);
    return rc;
}

int ds_results_mpi_finish(ds_results_t *r, ds_error_t *err)
{
    int rc = DS_OK;
    if (r->open)
        rc = ds_error_set(err, DS_EUSAGE,
                          "%s: dataset '%s' was begun and not finished",
                          r->path, r->open->path);
    if ((rc = ds_dist_agree(r->dist, rc, err)))
        return rc;
    /* the parallel part ends: every rank closes the file together */
    hid_t file = r->file;
    r->file = -1;
    if (H5Fclose(file) < 0)
        rc = ds_results_h5_error(err, r->path,
                                 "cannot finish writing the file");
    if (!rc && r->fault_commit)
        rc = ds_error_set(err, DS_EIO,
                          "%s: cannot finish writing the file (injected "
                          "fault DYADSEQ_FAULT=results_commit)",
                          r->path);
    /* every rank's part is in the file before rank 0 finishes it */
    if ((rc = ds_dist_agree(r->dist, rc, err)))
        return rc;
    /* the strings, then fsync and close: complete under its temporary
     * name */
    if (r->mpi->rank == 0 && !(rc = write_deferred(r, err)))
        rc = ds_outfile_close(&r->out, err);
    return ds_dist_agree(r->dist, rc, err);
}

int ds_results_mpi_publish(ds_results_t *r, ds_error_t *err)
{
    int rc = DS_OK;
    /* rename, fsync the directory: the one atomic save */
    if (r->mpi->rank == 0)
        rc = ds_outfile_publish(&r->out, err);
    return ds_dist_agree(r->dist, rc, err);
}
