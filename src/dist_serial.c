/*
 * dist_serial.c — dist.h for the serial program: one process, nothing to
 * exchange. The MPI program has src/mpi_dist.c instead (`make MPI=1`).
 */
#include "dyadseq/dist.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int ds_dist_start(int *argc, char ***argv, const char *command)
{
    (void)argc;
    (void)argv;
    (void)command;
    return 1;
}

int ds_dist_finish(int status)
{
    return status;
}

const ds_dist_t *ds_dist_world(void)
{
    return NULL;
}

int ds_dist_rank(const ds_dist_t *d)
{
    (void)d;
    return 0;
}

int ds_dist_size(const ds_dist_t *d)
{
    (void)d;
    return 1;
}

int ds_dist_cores(void)
{
#ifdef _OPENMP
    return omp_get_num_procs();
#else
    return 1;
#endif
}

int ds_dist_agree(const ds_dist_t *d, int rc, ds_error_t *err)
{
    (void)d;
    (void)err;
    return rc;
}

int ds_dist_sum_i64(const ds_dist_t *d, int64_t *v, size_t n,
                    ds_error_t *err)
{
    (void)d;
    (void)v;
    (void)n;
    (void)err;
    return DS_OK;
}

size_t ds_dist_max(const ds_dist_t *d, size_t v)
{
    (void)d;
    return v;
}

int ds_dist_allgather(const ds_dist_t *d, const void *mine, size_t n,
                      unsigned char **all, size_t *len, ds_error_t *err)
{
    (void)d;
    *all = malloc(n ? n : 1);
    if (!*all)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (n)
        memcpy(*all, mine, n);
    len[0] = n;
    return DS_OK;
}

int ds_dist_bcast(const ds_dist_t *d, int root, void *buf, size_t n,
                  ds_error_t *err)
{
    (void)d;
    (void)root;
    (void)buf;
    (void)n;
    (void)err;
    return DS_OK;
}

int ds_dist_ingest_load(const ds_dist_t *d, const char *const *args,
                        size_t n_args, const ds_ingest_opts_t *opts,
                        ds_corpus_t **out, int *shared, ds_diag_t *diag,
                        ds_error_t *err)
{
    (void)d;
    if (shared)
        *shared = 0;
    return ds_ingest_load(args, n_args, opts, out, diag, err);
}

int ds_dist_gather_cols(const ds_dist_t *d, void *v, size_t size,
                        size_t rows, size_t cols, const size_t *bounds,
                        ds_error_t *err)
{
    (void)d, (void)v, (void)size, (void)rows, (void)cols, (void)bounds;
    (void)err;
    return DS_OK;
}
