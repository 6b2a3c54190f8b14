/*
 * mpi_internal.h — what the MPI files of the MPI program share (only
 * compiled with `make MPI=1`): the communicator of a ds_dist_t, for
 * parallel HDF5 (mpi_results.c) and the reader (mpi_ingest.c).
 *
 *   mpi_dist.c      MPI itself: start and finish, agreeing, sums,
 *                   gathers (dist.h)
 *   mpi_ingest.c    every rank reads its share of the input
 *   mpi_analysis.c  the per-session results of every rank, on every rank
 *   mpi_results.c   one results file, written collectively
 *   mpi_pack.c      the byte buffers the ranks exchange
 *   mpi_filter.c    HDF5's deflate filter by the serial writer's encoder
 */
#ifndef DYADSEQ_MPI_INTERNAL_H
#define DYADSEQ_MPI_INTERNAL_H

#include <mpi.h>

#include "dyadseq/dist.h"

/* The communicator of d (a duplicate of MPI_COMM_WORLD). */
MPI_Comm ds_dist_comm(const ds_dist_t *d);

/*
 * Test-only fault injection for one rank: with DYADSEQ_FAULT_RANK=R in
 * the environment, the faults of DYADSEQ_FAULT (results.h) happen on rank
 * R only. 1 when this rank may fail.
 */
int ds_dist_fault_here(void);

/* A growable byte buffer to pack into; oom is set (and later puts do
 * nothing) when it cannot grow. Zero-initialize; free p. */
typedef struct ds_pack {
    unsigned char *p;
    size_t n, cap;
    int oom;
} ds_pack_t;

void ds_pack_put(ds_pack_t *b, const void *v, size_t n);

/* A cursor over packed bytes [p, end); bad is set when a read would pass
 * the end. */
typedef struct ds_unpack {
    const unsigned char *p, *end;
    int bad;
} ds_unpack_t;

/* The next n bytes, in place, or NULL (bad set) past the end. */
const void *ds_unpack_take(ds_unpack_t *c, size_t n);

/* Copy the next n bytes to v, or zeros (bad set) past the end. */
void ds_unpack_get(ds_unpack_t *c, void *v, size_t n);

/* Make HDF5's deflate filter, in this process, the serial writer's
 * encoder (mpi_filter.c), once; 1 when it is, 0 when the library's own
 * stays (the compressed bytes differ, never the values). */
int ds_mpi_filter_install(void);

/* The element size of the dataset whose chunks HDF5 compresses next (1:
 * bytes, or not known). */
void ds_mpi_filter_esize(size_t esize);

#endif
