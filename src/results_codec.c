/*
 * results_codec.c — shuffle and deflate the chunks of large numeric
 * datasets in parallel (see results_internal.h); the writer stores them
 * with H5Dwrite_chunk under a dataset whose filter pipeline is declared as
 * shuffle + deflate, so readers see ordinary HDF5 datasets.
 *
 * Why not HDF5's own pipeline: it is single-threaded, and its deflate
 * level 1 spends most of its time searching for matches in the mantissa
 * bytes of doubles, which do not repeat. zlib's run-length strategy
 * (Z_RLE) at level 1 compresses the shuffled byte planes (runs of sign and
 * exponent bytes, noise in the mantissa) at least as well as the default
 * strategy at levels 1 to 6, in less than half the time of level 1
 * (measured on [1e5, 10, 10] arrays of adjusted residuals: 0.72 s against
 * 1.74 s per 80 MB on one core, 16% smaller output).
 *
 * Each chunk is independent and lands in buffers of its own, and the
 * writer stores them in order from the main thread: the bytes do not
 * depend on the thread count. No HDF5 calls here.
 */
#include "results_internal.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void ds_results_codec_init(ds_results_codec_t *c)
{
    memset(c, 0, sizeof *c);
}

void ds_results_codec_clear(ds_results_codec_t *c)
{
    free(c->slab);
    free(c->buf);
    c->slab = NULL;
    c->buf = NULL;
    c->n_buf = 0;
    c->buf_size = 0;
}

int ds_results_codec_threads(const ds_results_codec_t *c)
{
#ifdef _OPENMP
    return c->threads > 0 ? c->threads : omp_get_max_threads();
#else
    (void)c;
    return 1;
#endif
}

size_t ds_results_codec_batch(const ds_results_codec_t *c)
{
    size_t batch = (size_t)ds_results_codec_threads(c) * 4;
    return batch > DS_RESULTS_CODEC_BATCH_MAX ? DS_RESULTS_CODEC_BATCH_MAX
                                              : batch;
}

/*
 * Buffers for a batch of n chunks of `size` bytes: 2n buffers (what they
 * held is not kept). They are cut from one allocation: malloc writes a
 * header before and after each block it hands out, and with the heap in
 * 2 MiB pages (cli_hugepages.c) the headers of thirty-two buffers of a
 * quarter MiB each made the calling thread zero every page of them while
 * the other threads waited (13-17 ms of a run after a pause, when the
 * host has taken the guest's free memory back; issue 16). Cut from one,
 * the pages are touched first by the threads that compress into them.
 */
static int reserve(ds_results_codec_t *c, size_t n, size_t size)
{
    /* at least for chunks of DS_RESULTS_CHUNK_TARGET, the size of nearly
     * every chunk, so that they are made once, not again for a chunk a
     * few bytes larger than the first */
    size_t usual = ds_results_deflate_bound(DS_RESULTS_CHUNK_TARGET);
    if (size < usual)
        size = usual;
    if (size <= c->buf_size && 2 * n <= c->n_buf)
        return 0;
    size_t nb = 2 * n > c->n_buf ? 2 * n : c->n_buf;
    if (size < c->buf_size)
        size = c->buf_size;
    ds_results_codec_clear(c);
    c->buf = malloc(nb * sizeof *c->buf);
    c->slab = nb <= SIZE_MAX / size ? malloc(nb * size) : NULL;
    if (!c->buf || !c->slab) {
        ds_results_codec_clear(c);
        return -1;
    }
    for (size_t i = 0; i < nb; i++)
        c->buf[i] = c->slab + i * size;
    c->n_buf = nb;
    c->buf_size = size;
    return 0;
}

/* Byte planes shorter than this are not coded apart (a Huffman header
 * of its own would outweigh what it saves). */
#define PLANE_MIN 4096

#if defined(__SSE2__)
/* Sixteen 8-byte elements at a time: a 16 x 8 byte matrix transposed in
 * three rounds of unpacks (bytes, then groups of four elements, then of
 * eight), each plane's 16 bytes stored at once. */
static size_t shuffle8_sse2(const unsigned char *src, size_t n,
                            unsigned char *dst)
{
    size_t e = 0;
    for (; e + 16 <= n; e += 16) {
        const __m128i *p = (const __m128i *)(const void *)(src + 8 * e);
        __m128i b[8], c[8];
        for (int i = 0; i < 4; i++) { /* elements 4i..4i+3, 2 a vector */
            __m128i x = _mm_loadu_si128(p + 2 * i);
            __m128i y = _mm_loadu_si128(p + 2 * i + 1);
            b[2 * i] = _mm_unpacklo_epi8(x, y);     /* e0 e2 interleaved */
            b[2 * i + 1] = _mm_unpackhi_epi8(x, y); /* e1 e3 */
        }
        for (int i = 0; i < 4; i++) { /* bytes 0-3 and 4-7 of 4 elements */
            c[2 * i] = _mm_unpacklo_epi8(b[2 * i], b[2 * i + 1]);
            c[2 * i + 1] = _mm_unpackhi_epi8(b[2 * i], b[2 * i + 1]);
        }
        for (int h = 0; h < 2; h++) { /* planes 4h..4h+3 */
            __m128i d0 = _mm_unpacklo_epi32(c[h], c[2 + h]);
            __m128i d1 = _mm_unpackhi_epi32(c[h], c[2 + h]);
            __m128i d2 = _mm_unpacklo_epi32(c[4 + h], c[6 + h]);
            __m128i d3 = _mm_unpackhi_epi32(c[4 + h], c[6 + h]);
            unsigned char *o = dst + (size_t)(4 * h) * n + e;
            _mm_storeu_si128((__m128i *)(void *)o, _mm_unpacklo_epi64(d0, d2));
            _mm_storeu_si128((__m128i *)(void *)(o + n),
                             _mm_unpackhi_epi64(d0, d2));
            _mm_storeu_si128((__m128i *)(void *)(o + 2 * n),
                             _mm_unpacklo_epi64(d1, d3));
            _mm_storeu_si128((__m128i *)(void *)(o + 3 * n),
                             _mm_unpackhi_epi64(d1, d3));
        }
    }
    return e;
}
#endif

void ds_results_shuffle(const unsigned char *src, size_t bytes, size_t esize,
                        unsigned char *dst)
{
    size_t n = bytes / esize, e = 0;
    if (esize == 8) { /* doubles and int64: eight planes in one pass */
#if defined(__SSE2__)
        e = shuffle8_sse2(src, n, dst);
#endif
        unsigned char *o0 = dst, *o1 = o0 + n, *o2 = o1 + n, *o3 = o2 + n,
                      *o4 = o3 + n, *o5 = o4 + n, *o6 = o5 + n, *o7 = o6 + n;
        for (; e < n; e++) {
            const unsigned char *x = src + 8 * e;
            o0[e] = x[0];
            o1[e] = x[1];
            o2[e] = x[2];
            o3[e] = x[3];
            o4[e] = x[4];
            o5[e] = x[5];
            o6[e] = x[6];
            o7[e] = x[7];
        }
        return;
    }
    for (size_t j = 0; j < esize; j++) {
        unsigned char *o = dst + j * n;
        const unsigned char *s = src + j;
        for (e = 0; e < n; e++)
            o[e] = s[e * esize];
    }
}

void ds_results_unshuffle(const unsigned char *src, size_t bytes,
                          size_t esize, unsigned char *dst)
{
    size_t n = esize ? bytes / esize : 0;
    for (size_t j = 0; j < esize; j++)
        for (size_t e = 0; e < n; e++)
            dst[e * esize + j] = src[j * n + e];
    memcpy(dst + n * esize, src + n * esize, bytes - n * esize);
}

size_t ds_results_deflate_planes(const unsigned char *in, size_t bytes,
                                 size_t esize, unsigned char *out,
                                 size_t cap, int level)
{
    if (level == 1) {
        size_t plane = esize > 1 ? bytes / esize : bytes;
        size_t len =
            ds_results_plain_chunk(in, bytes, esize)
                ? ds_results_deflate_stored(in, bytes, out, cap)
                : ds_results_deflate(in, bytes,
                                     plane < PLANE_MIN ? bytes : plane, out,
                                     cap);
        if (len)
            return len;
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

/* HDF5's shuffle filter, then ds_results_deflate_planes. Returns the
 * compressed size, or 0 on failure. */
static size_t compress_chunk(const unsigned char *src, size_t bytes,
                             size_t esize, unsigned char *shuf,
                             unsigned char *out, size_t cap, int level)
{
    const unsigned char *in = src;
    if (esize > 1) {
        ds_results_shuffle(src, bytes, esize, shuf);
        in = shuf;
    }
    return ds_results_deflate_planes(in, bytes, esize, out, cap, level);
}

size_t ds_results_deflate_bound(size_t bytes)
{
    size_t cap = compressBound((uLong)bytes) + 256;
    return cap < bytes ? bytes : cap;
}

/* The buffer size for chunks of jobs[0..n). */
static size_t bound_of(const ds_results_codec_job_t *job, size_t n)
{
    size_t size = 0;
    for (size_t k = 0; k < n; k++) {
        size_t cap = ds_results_deflate_bound(job[k].bytes);
        if (cap > size)
            size = cap;
    }
    return size;
}

/* A batch's chunks, kept where the codec compressed them: the ring of
 * a stream of at most a batch holds them all until the next call. */
typedef struct kept {
    unsigned char **out;
    size_t *len;
} kept_t;

static int keep(void *ctx, size_t k, const unsigned char *z, size_t len,
                ds_error_t *err)
{
    (void)err;
    kept_t *b = ctx;
    b->out[k] = (unsigned char *)z;
    b->len[k] = len;
    return DS_OK;
}

int ds_results_codec_run(ds_results_codec_t *c,
                         const ds_results_codec_job_t *job, size_t n,
                         unsigned char **out, size_t *len, ds_error_t *err)
{
    if (n > ds_results_codec_batch(c))
        return ds_error_set(err, DS_EUSAGE, "%zu chunks in one batch of at "
                            "most %zu", n, ds_results_codec_batch(c));
    kept_t b = {out, len};
    return ds_results_codec_stream(c, job, n, keep, &b, err);
}

int ds_results_codec_compress(ds_results_codec_t *c,
                              const unsigned char *src, size_t n,
                              size_t chunk_bytes, size_t esize, int level,
                              unsigned char **out, size_t *len,
                              ds_error_t *err)
{
    ds_results_codec_job_t job[DS_RESULTS_CODEC_BATCH_MAX];
    if (n > DS_RESULTS_CODEC_BATCH_MAX)
        return ds_error_set(err, DS_EUSAGE, "%zu chunks in one batch of at "
                            "most %zu", n, ds_results_codec_batch(c));
    for (size_t k = 0; k < n; k++)
        job[k] = (ds_results_codec_job_t){src + k * chunk_bytes, chunk_bytes,
                                          esize, level};
    return ds_results_codec_run(c, job, n, out, len, err);
}

/*
 * The stream: chunk k is compressed into slot k % ring by whichever thread
 * takes it, once chunk k - ring has been stored (its slot is free); the
 * calling thread stores the chunks in order, each as soon as it is
 * compressed, and compresses when the next one is not ready yet.
 */
typedef struct stream {
    ds_results_codec_t *c;
    const ds_results_codec_job_t *job;
    size_t n, ring, *len;
    atomic_size_t next;      /* the next chunk to take */
    atomic_size_t stored;    /* chunks stored (by the calling thread) */
    atomic_uchar *done;      /* [n] compressed */
    atomic_int stop;         /* a store failed */
} stream_t;

/* Take and compress the next chunk if its slot is free: 1 if one was
 * taken, 0 if none is left, -1 if the next must wait for its slot. */
static int stream_take(stream_t *st)
{
    size_t j = atomic_load_explicit(&st->next, memory_order_relaxed);
    if (j >= st->n)
        return 0;
    if (j >= atomic_load_explicit(&st->stored, memory_order_acquire) +
                 st->ring)
        return -1;
    if (!atomic_compare_exchange_weak(&st->next, &j, j + 1))
        return 1; /* another thread took it: try again at once */
    size_t s = j % st->ring;
    st->len[j] = compress_chunk(st->job[j].src, st->job[j].bytes,
                                st->job[j].esize, st->c->buf[2 * s],
                                st->c->buf[2 * s + 1], st->c->buf_size,
                                st->job[j].level);
    atomic_store_explicit(&st->done[j], 1, memory_order_release);
    return 1;
}

int ds_results_codec_stream(ds_results_codec_t *c,
                            const ds_results_codec_job_t *job, size_t n,
                            ds_results_codec_put_t put, void *ctx,
                            ds_error_t *err)
{
    if (n == 0)
        return DS_OK;
    int nt = ds_results_codec_threads(c);
    size_t ring = 2 * ds_results_codec_batch(c);
    if (ring > n)
        ring = n;
    stream_t st = {.c = c, .job = job, .n = n, .ring = ring};
    st.len = malloc(n * sizeof *st.len);
    st.done = calloc(n, sizeof *st.done);
    if (!st.len || !st.done || reserve(c, ring, bound_of(job, n))) {
        free(st.len);
        free(st.done);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    atomic_init(&st.next, 0);
    atomic_init(&st.stored, 0);
    atomic_init(&st.stop, 0);
    int rc = DS_OK;
    if (nt < 2 || n < 2) {
        for (size_t k = 0; k < n && rc == DS_OK; k++) {
            stream_take(&st);
            rc = put(ctx, k, c->buf[2 * (k % ring) + 1], st.len[k], err);
            atomic_store_explicit(&st.stored, k + 1, memory_order_release);
        }
    } else {
#pragma omp parallel num_threads(nt)
        {
#ifdef _OPENMP
            int calling = omp_get_thread_num() == 0;
#else
            int calling = 1;
#endif
            size_t k = 0; /* the calling thread's next chunk to store */
            while (!atomic_load_explicit(&st.stop, memory_order_relaxed)) {
                if (calling && k == n)
                    break;
                if (calling && atomic_load_explicit(&st.done[k],
                                                    memory_order_acquire)) {
                    int r = put(ctx, k, c->buf[2 * (k % ring) + 1],
                                st.len[k], err);
                    atomic_store_explicit(&st.stored, ++k,
                                          memory_order_release);
                    if (r) {
                        rc = r;
                        atomic_store(&st.stop, 1);
                    }
                    continue;
                }
                int t = stream_take(&st);
                if (t == 0 && !calling)
                    break; /* every chunk is taken */
                if (t != 1)
                    sched_yield(); /* a slot or a chunk to wait for */
            }
        }
    }
    free(st.len);
    free(st.done);
    return rc;
}

