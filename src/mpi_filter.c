/*
 * mpi_filter.c — the MPI program's deflate: in this process, HDF5's
 * deflate filter compresses with the serial writer's encoder.
 *
 * The serial writer compresses the per-session tables itself, on all
 * threads, and stores the chunks with H5Dwrite_chunk (results_codec.c).
 * Parallel HDF5 1.10 has no direct chunk writes: its collective writes
 * pass every chunk through the filter pipeline, where the deflate filter
 * is zlib's compress2 at the dataset's level, the default strategy, about
 * eight times slower than the level-1 encoder (results_deflate.c) on the
 * shuffled planes of these tables, and with two ranks on two cores most
 * of the MPI program's writing was zlib. H5Zregister refuses to replace
 * a predefined filter; the library's internal H5Z_register, which it
 * exports, does. It is looked up when the program runs: where it is
 * missing the library's own filter stays, and the file is the same but
 * for its compressed bytes.
 *
 * The filter gives the bytes the serial writer gives
 * (ds_results_deflate_planes): the element size it needs for the planes
 * is the one the writer declares before each write (the shuffle filter
 * before it in the pipeline does not pass it on). A wrong one would only
 * cost compression, never values. Reading inflates with zlib, as HDF5's
 * own filter does. HDF5 calls it from the thread that calls HDF5.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include "mpi_internal.h"
#include "results_internal.h"

#include <dlfcn.h>
#include <string.h>

#include <zlib.h>

static size_t esize_now = 1;

void ds_mpi_filter_esize(size_t esize)
{
    esize_now = esize > 0 ? esize : 1;
}

/* Inflate the nbytes at *buf into a buffer of HDF5's, as its filter does:
 * the chunk's size (*buf_size) first, doubled while it does not fit. */
static size_t inflate_buf(size_t nbytes, size_t *buf_size, void **buf)
{
    size_t cap = *buf_size > nbytes ? *buf_size : 2 * nbytes + 64;
    unsigned char *out = H5allocate_memory(cap, 0);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (!out || inflateInit(&z) != Z_OK) {
        H5free_memory(out);
        return 0;
    }
    z.next_in = *buf;
    z.avail_in = (uInt)nbytes;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int zr;
    while ((zr = inflate(&z, Z_SYNC_FLUSH)) == Z_OK) {
        if (z.avail_out > 0)
            continue; /* more input taken; not yet the end */
        unsigned char *bigger = H5resize_memory(out, 2 * cap);
        if (!bigger) {
            zr = Z_MEM_ERROR;
            break;
        }
        out = bigger;
        z.next_out = out + cap;
        z.avail_out = (uInt)cap;
        cap *= 2;
    }
    size_t len = z.total_out;
    inflateEnd(&z);
    if (zr != Z_STREAM_END) {
        H5free_memory(out);
        return 0;
    }
    H5free_memory(*buf);
    *buf = out;
    *buf_size = cap;
    return len;
}

static size_t filter(unsigned flags, size_t cd_nelmts,
                     const unsigned cd_values[], size_t nbytes,
                     size_t *buf_size, void **buf)
{
    if (flags & H5Z_FLAG_REVERSE)
        return inflate_buf(nbytes, buf_size, buf);
    if (cd_nelmts != 1 || cd_values[0] > 9)
        return 0;
    /* room for any chunk of nbytes (the serial writer's codec reserves at
     * least as much; the bytes do not depend on more) */
    size_t cap = ds_results_deflate_bound(nbytes);
    unsigned char *out = H5allocate_memory(cap, 0);
    size_t len = out ? ds_results_deflate_planes(*buf, nbytes, esize_now,
                                                 out, cap,
                                                 (int)cd_values[0])
                     : 0;
    if (!len) {
        H5free_memory(out);
        return 0;
    }
    H5free_memory(*buf);
    *buf = out;
    *buf_size = cap;
    return len;
}

int ds_mpi_filter_install(void)
{
    static int done, ok;
    if (done)
        return ok;
    done = 1;
    static const H5Z_class2_t cls = {H5Z_CLASS_T_VERS, H5Z_FILTER_DEFLATE,
                                     1, 1, "deflate", NULL, NULL, filter};
    herr_t (*reg)(const H5Z_class2_t *);
    void *sym = dlsym(RTLD_DEFAULT, "H5Z_register");
    if (!sym)
        return ok = 0;
    memcpy(&reg, &sym, sizeof reg); /* a function's address, as dlsym has it */
    return ok = reg(&cls) >= 0;
}
