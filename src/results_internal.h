/*
 * results_internal.h — what the files of the results module share; not
 * part of its interface (results.h).
 *
 *   results_common.c  HDF5 error messages, path checks, file access and
 *                     transfer lists
 *   results_write.c   create, commit, abort; groups and attributes
 *   results_dset.c    datasets: begin, append, end, whole writes
 *   results_codec.c   the parallel shuffle + deflate of dataset chunks
 *   results_deflate.c its deflate encoder for level 1
 *   results_read.c    the reader
 *   mpi_results.c     the MPI program: one file written by every rank
 *   results_heap.c    the reader's check of the string heap
 *
 * Only these files include <hdf5.h>; the codec uses zlib and OpenMP and
 * no HDF5.
 */
#ifndef DYADSEQ_RESULTS_INTERNAL_H
#define DYADSEQ_RESULTS_INTERNAL_H

#include <stddef.h>

#include <hdf5.h>

#include "dyadseq/dist.h"
#include "outfile.h"
#include "results.h"

#define DS_RESULTS_COMPACT_MAX ((size_t)8 << 10)     /* bytes: compact up to */
#define DS_RESULTS_CONTIGUOUS_MAX ((size_t)64 << 10) /* unfiltered below */
#define DS_RESULTS_CHUNK_TARGET ((size_t)256 << 10)  /* bytes per chunk */
#define DS_RESULTS_VLEN_STORED 16 /* bytes of a stored vlen string */

/* ------------------------------------------------------------------ */
/* The codec (results_codec.c)                                        */
/* ------------------------------------------------------------------ */

/* Most chunks compressed by one call of ds_results_codec_compress. */
#define DS_RESULTS_CODEC_BATCH_MAX 64

/*
 * Compresses whole chunks of a dataset as HDF5's shuffle and deflate
 * filters would, on all threads: chunk k is written only to its own
 * buffers, so the bytes do not depend on the number of threads. An
 * embedded object: _init, then _clear.
 */
typedef struct ds_results_codec {
    int threads;          /* 0 = OpenMP's default (all cores) */
    unsigned char **buf;  /* 2 per chunk of a batch: shuffled, deflated */
    size_t n_buf, buf_size;
    unsigned char *slab;  /* where the buffers are, one after another */
} ds_results_codec_t;

void ds_results_codec_init(ds_results_codec_t *c);
void ds_results_codec_clear(ds_results_codec_t *c);

/* The threads a batch runs on. */
int ds_results_codec_threads(const ds_results_codec_t *c);

/* How many chunks one call compresses at most (from the thread count). */
size_t ds_results_codec_batch(const ds_results_codec_t *c);

/*
 * Shuffle (elements of esize bytes; none for esize 1) and deflate n <=
 * ds_results_codec_batch() chunks of chunk_bytes bytes each, the first at
 * src, at zlib level `level` (1 uses the run-length strategy). out[k] and
 * len[k] receive chunk k in zlib format, valid until the next call; len[k]
 * is 0 when zlib failed. Returns 0, DS_EUSAGE for n above the batch,
 * DS_ENOMEM (err may be NULL).
 */
int ds_results_codec_compress(ds_results_codec_t *c,
                              const unsigned char *src, size_t n,
                              size_t chunk_bytes, size_t esize, int level,
                              unsigned char **out, size_t *len,
                              ds_error_t *err);

/* One chunk of a batch: its bytes, element size and level. */
typedef struct ds_results_codec_job {
    const unsigned char *src;
    size_t bytes, esize;
    int level;
} ds_results_codec_job_t;

/* As ds_results_codec_compress, for n chunks each described by its job:
 * chunks of several datasets in one batch (a stream of at most a batch,
 * whose chunks stay in their slots). */
int ds_results_codec_run(ds_results_codec_t *c,
                         const ds_results_codec_job_t *job, size_t n,
                         unsigned char **out, size_t *len, ds_error_t *err);

/* Store compressed chunk k of a stream (z, len bytes; len 0: the codec
 * failed): DS_OK or an error in err. */
typedef int (*ds_results_codec_put_t)(void *ctx, size_t k,
                                      const unsigned char *z, size_t len,
                                      ds_error_t *err);

/*
 * Compress the n chunks of job on the codec's threads and have put store
 * each, in order, on the calling thread, as soon as it and the chunks
 * before it are compressed: the other threads compress the next chunks
 * (up to two batches ahead) while the calling thread stores, where
 * compressing a batch and then storing it left them waiting. The bytes
 * do not depend on the threads. The first error of put stops the stream
 * and is returned; DS_ENOMEM.
 */
int ds_results_codec_stream(ds_results_codec_t *c,
                            const ds_results_codec_job_t *job, size_t n,
                            ds_results_codec_put_t put, void *ctx,
                            ds_error_t *err);

/* HDF5's shuffle filter: byte j of element e of src (bytes / esize
 * elements) to dst[j * n + e]; 8-byte elements sixteen at a time with
 * SSE2 (the byte-at-a-time loop was 2% of a one-thread analyze). */
void ds_results_shuffle(const unsigned char *src, size_t bytes, size_t esize,
                        unsigned char *dst);

/* Its inverse: byte j * (bytes / esize) + e of src to byte j of element
 * e of dst; bytes beyond whole elements (HDF5 leaves them last) copied. */
void ds_results_unshuffle(const unsigned char *src, size_t bytes,
                          size_t esize, unsigned char *dst);

/*
 * Deflate src[0..n) into out (cap bytes) in zlib format, a Huffman code
 * per segment of `segment` bytes (0: one segment), runs of a repeated byte
 * as matches of distance 1 (results_deflate.c). Returns the length, or 0
 * when out is too small. Any inflater reads the result.
 */
size_t ds_results_deflate(const unsigned char *src, size_t n, size_t segment,
                          unsigned char *out, size_t cap);

/* src[0..n) in zlib format as stored blocks only (RFC 1951 3.2.4): the
 * length, or 0 when out (cap bytes) is too small. */
size_t ds_results_deflate_stored(const unsigned char *src, size_t n,
                                 unsigned char *out, size_t cap);

/*
 * Whether a shuffled chunk (bytes, esize-byte elements) is better stored
 * than coded (results_deflate.c): doubles whose mantissas are noise,
 * where coding saves about an eighth for most of the encoder's time.
 */
int ds_results_plain_chunk(const unsigned char *in, size_t bytes,
                           size_t esize);

/*
 * Deflate a shuffled chunk of `bytes` bytes of esize-byte elements as
 * HDF5's deflate filter stores it (zlib format): at level 1 by
 * ds_results_deflate, a code per byte plane (zlib at level 1 with its
 * run-length strategy if that ever fails), or as stored blocks when
 * ds_results_plain_chunk says so; at levels 2-9 by zlib. The
 * bytes depend only on the input, esize and level: the serial writer's
 * codec and the MPI program's filter (mpi_filter.c) give the same. The
 * length, or 0 when out (cap bytes) is too small.
 */
size_t ds_results_deflate_planes(const unsigned char *in, size_t bytes,
                                 size_t esize, unsigned char *out,
                                 size_t cap, int level);

/* Room that ds_results_deflate_planes always fits a chunk of `bytes`
 * bytes in: zlib's bound, and a stored block's header per byte plane. */
size_t ds_results_deflate_bound(size_t bytes);

/* The Adler-32 checksum of p[0..n) (RFC 1950), as zlib's adler32 gives
 * it: 32 bytes a step where the processor has AVX2, else zlib's, which
 * takes one byte a step and was 16% of the level-1 codec's time. */
uint32_t ds_results_adler32(const unsigned char *p, size_t n);

/* ------------------------------------------------------------------ */
/* The writer (results_write.c, results_dset.c)                       */
/* ------------------------------------------------------------------ */

struct ds_results {
    char *path;            /* the output file, for messages */
    char *context;         /* "while writing PATH", for the crash guard */
    ds_outfile_t out;      /* the temporary HDF5 writes to (f->tmp) */
    hid_t file, gcpl, lcpl, acpl, str_type;
    hid_t dxpl;            /* string writes: a conversion buffer their size */
    int level;
    int direct_ok;         /* native numbers are little-endian */
    long fault_write;      /* DYADSEQ_FAULT: fail this write (1-based) */
    int fault_commit;
    int finished;          /* ds_results_finish succeeded */
    long n_writes;
    ds_results_dset_t *open; /* datasets begun and not ended */
    ds_results_codec_t codec;
    const ds_dist_t *dist;   /* the ranks writing it together, or NULL */
    const char *h5name;      /* the file HDF5 opens: out.tmp, or under MPI
                                the name rank 0 gave (out.tmp is its) */
    struct ds_results_mpi *mpi; /* their state (mpi_results.c) */
    struct ds_strmap *groups;   /* paths known to be groups of the file
                                   (ds_results_ensure_groups), or NULL */
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
    int chunked, direct, level, compact;
    size_t chunk_rows, chunks_written;
    unsigned char *pending; /* a partial chunk of rows (direct writes) */
    size_t n_pending;
    /* a column of ds_results_begin_column, created by its end: */
    int deferred;
    char *dimnames;
    int hold_compressed;    /* whole chunks held compressed */
    unsigned char *held;    /* rows not compressed, [held_cap] rows */
    size_t n_held, held_cap;
    unsigned char **z;      /* [n_z] compressed chunks, zlen[k] bytes */
    size_t *zlen, n_z, z_cap;
};

/*
 * Create the groups on path: all its parents, and path itself when
 * with_last. A non-group in the way is an error. Each group found or
 * made is remembered, so that the next dataset of a group costs no
 * lookups: HDF5's path traversals were 3% of the instructions of a small
 * analyze (the writer alone changes the file; links are never removed).
 */
int ds_results_ensure_groups(ds_results_t *r, const char *path,
                             int with_last, ds_error_t *err);

/* Create and write one attribute of type ftype/mtype and space space on
 * the open object obj (at obj_path, for messages). */
int ds_results_attr_write(ds_results_t *r, hid_t obj, const char *obj_path,
                          const char *name, hid_t ftype, hid_t mtype,
                          hid_t space, const void *buf, ds_error_t *err);

/* Test-only fault injection (results.h): count a write; fail the chosen
 * one. */
int ds_results_fault_here(ds_results_t *r, const char *path,
                          ds_error_t *err);

/*
 * s with NULL entries replaced by "" (a vlen NULL reads back as NULL, not
 * ""): s itself when it has none, else a malloc'd copy (*copied = 1) the
 * caller frees. NULL when out of memory.
 */
const char **ds_results_strings_nonnull(const char *const *s, size_t n,
                                        int *copied);

/* Free the open datasets of r (after a failure). */
void ds_results_dsets_free(ds_results_t *r);

/* ------------------------------------------------------------------ */
/* The MPI program (mpi_results.c): one file written by all ranks      */
/* ------------------------------------------------------------------ */

/*
 * With r->dist set, every rank makes the same calls with the same
 * arguments (HDF5's rule for changing a file in parallel), and:
 *   - rank 0 makes the temporary file and gives its name to the others;
 *     all create it as HDF5 with the MPI-IO driver (ds_results_mpi_fapl);
 *   - rows given by every rank alike (ds_results_append; own = 0) are
 *     written by rank 0, rows of a rank's own sessions
 *     (ds_results_append_at; own = 1) by that rank, in one collective
 *     write per call (ds_results_mpi_write), which counts the latter in
 *     d->rows_done (the former are counted by the caller);
 *   - strings (variable length: HDF5 1.10 cannot write them in parallel)
 *     are kept by rank 0 and written by it alone after the parallel file
 *     is closed, then it syncs the file (ds_results_mpi_finish) and renames
 *     it (ds_results_mpi_publish);
 *   - every outcome is agreed (ds_results_mpi_agree), so all ranks go on
 *     or stop together, with the message of the first that failed.
 * In the serial program these are never called with r->dist set.
 */
#ifdef DS_MPI
int ds_results_mpi_create(ds_results_t *r, const char *path,
                          ds_error_t *err);
int ds_results_mpi_fapl(const ds_results_t *r, hid_t fapl);
int ds_results_mpi_write(ds_results_dset_t *d, size_t first, size_t n,
                         const void *data, int own, ds_error_t *err);
int ds_results_mpi_agree(const ds_results_t *r, int rc, ds_error_t *err);
int ds_results_mpi_finish(ds_results_t *r, ds_error_t *err);
int ds_results_mpi_publish(ds_results_t *r, ds_error_t *err);
void ds_results_mpi_free(ds_results_t *r);
#else
static inline int ds_results_mpi_create(ds_results_t *r, const char *path,
                                        ds_error_t *err)
{
    (void)r, (void)path, (void)err;
    return DS_EUSAGE;
}
static inline int ds_results_mpi_fapl(const ds_results_t *r, hid_t fapl)
{
    (void)r, (void)fapl;
    return 0;
}
static inline int ds_results_mpi_write(ds_results_dset_t *d, size_t first,
                                       size_t n, const void *data, int own,
                                       ds_error_t *err)
{
    (void)d, (void)first, (void)n, (void)data, (void)own, (void)err;
    return DS_EUSAGE;
}
static inline int ds_results_mpi_agree(const ds_results_t *r, int rc,
                                       ds_error_t *err)
{
    (void)r, (void)err;
    return rc;
}
static inline int ds_results_mpi_finish(ds_results_t *r, ds_error_t *err)
{
    (void)r, (void)err;
    return DS_EUSAGE;
}
static inline int ds_results_mpi_publish(ds_results_t *r, ds_error_t *err)
{
    (void)r, (void)err;
    return DS_EUSAGE;
}
static inline void ds_results_mpi_free(ds_results_t *r)
{
    (void)r;
}
#endif

/* ------------------------------------------------------------------ */
/* The string heap check of the reader (results_heap.c)               */
/* ------------------------------------------------------------------ */

/* The global heap collections of a file, checked (results_heap.c). */
typedef struct ds_results_heap ds_results_heap_t;

/*
 * Scan the file at path for global heap collections and check each one's
 * structure. Returns 0, DS_EDATA ("FILE is damaged: the string heap at
 * byte N ..."), DS_EIO, DS_ENOMEM.
 */
int ds_results_heap_scan(const char *path, ds_results_heap_t **out,
                         ds_error_t *err);
void ds_results_heap_free(ds_results_heap_t *h);

/* Check n stored string references (16 bytes each): each names an object
 * of a checked collection, of its length. 0 or DS_EDATA. */
int ds_results_heap_check(const ds_results_heap_t *h,
                          const unsigned char *ref, size_t n,
                          const char *file, const char *what,
                          ds_error_t *err);

/* Check the stored references of the open string dataset dset of n
 * strings (contiguous or chunked; compact ones are checksummed). */
int ds_results_heap_check_dataset(const ds_results_heap_t *h,
                                  const char *file, hid_t dset, size_t n,
                                  const char *what, ds_error_t *err);

/* ------------------------------------------------------------------ */
/* Shared by writer and reader (results_common.c)                     */
/* ------------------------------------------------------------------ */

/*
 * Report an HDF5 failure as DS_EHDF5: "FILE: <what> (HDF5: <innermost
 * reason>)", and clear HDF5's error stack.
 */
int ds_results_h5_error(ds_error_t *err, const char *file, const char *fmt,
                        ...) __attribute__((format(printf, 3, 4)));

/* Whether HDF5 may still be called to close what is open: none of its
 * calls has failed for want of memory (ds_results_h5_error). */
int ds_results_h5_usable(void);

/* "out of memory" as DS_ENOMEM. */
int ds_results_oom(ds_error_t *err);

/*
 * An object path: "/" or "/a/b" with non-empty components other than "."
 * and "..". Returns 0 or DS_EUSAGE.
 */
int ds_results_check_path(const char *path, ds_error_t *err);

/* File access list: 1.8 format, objects closed with the file; -1 on
 * failure. */
hid_t ds_results_fapl(void);

/*
 * Size the type-conversion buffer of the transfer list dxpl for n
 * elements. HDF5 allocates that buffer zero-filled for every read or
 * write that converts (strings always do), 1 MiB unless told: for the
 * hundreds of short columns a results file has, zero-filling it was half
 * of what `analyze` and `export` spent on small studies. Sized to the
 * call, HDF5 converts in one pass as before; the bytes written and read
 * do not change. Returns dxpl, or H5P_DEFAULT when dxpl < 0 or the size
 * cannot be set.
 */
hid_t ds_results_xfer(hid_t dxpl, size_t n);

#endif
