/*
 * Unit tests of results_codec.c, the parallel shuffle + deflate of dataset
 * chunks: every chunk inflates (zlib, independently of the codec) and
 * unshuffles back to its input; the bytes are the same on 1 and 4 threads
 * and in one batch or several; a batch larger than the codec's is refused.
 * That HDF5 reads such chunks back is tested in test_results.c (the large
 * chunked datasets of test_big).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "results_internal.h"
#include "unit.h"

#define CHUNK_ELEMS 4096

/* n chunks of doubles: runs and noise, as adjusted residuals look. */
static double *make_data(size_t n_chunks)
{
    size_t n = n_chunks * CHUNK_ELEMS;
    double *d = malloc(n * sizeof *d);
    uint64_t s = 12345;
    for (size_t i = 0; d && i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        d[i] = (i % 7 == 0) ? 0.0 : (double)(s >> 11) / 9007199254740992.0;
    }
    return d;
}

/* Compress n chunks of data with the codec on `threads` threads in
 * batches of at most `batch`; the concatenated output, lengths in len. */
static unsigned char *compress_all(const double *data, size_t n,
                                   int threads, size_t batch, int level,
                                   size_t *len, size_t *total)
{
    ds_results_codec_t c;
    ds_results_codec_init(&c);
    c.threads = threads;
    size_t cb = CHUNK_ELEMS * sizeof(double);
    size_t cap = n * compressBound((uLong)cb);
    unsigned char *all = malloc(cap), *out[DS_RESULTS_CODEC_BATCH_MAX];
    *total = 0;
    const unsigned char *src = (const unsigned char *)data;
    for (size_t c0 = 0; all && c0 < n; c0 += batch) {
        size_t nb = n - c0 < batch ? n - c0 : batch;
        if (ds_results_codec_compress(&c, src + c0 * cb, nb, cb,
                                      sizeof(double), level, out, len + c0,
                                      NULL)) {
            free(all);
            all = NULL;
            break;
        }
        for (size_t k = 0; k < nb; k++) {
            memcpy(all + *total, out[k], len[c0 + k]);
            *total += len[c0 + k];
        }
    }
    ds_results_codec_clear(&c);
    return all;
}

static void test_round_trip(int level)
{
    const size_t n = 10;
    size_t cb = CHUNK_ELEMS * sizeof(double), len[10], total;
    double *data = make_data(n);
    unsigned char *z = compress_all(data, n, 4, 4, level, len, &total);
    unsigned char *plane = malloc(cb), *back = malloc(cb);
    int ok = data && z && plane && back, smaller = ok;
    size_t off = 0;
    for (size_t k = 0; ok && k < n; k++) {
        uLongf got = (uLongf)cb;
        ok = len[k] > 0 &&
             uncompress(plane, &got, z + off, (uLong)len[k]) == Z_OK &&
             got == cb;
        if (ok) {
            ds_results_unshuffle(plane, cb, sizeof(double), back);
            ok = memcmp(back, (const unsigned char *)data + k * cb, cb) == 0;
        }
        smaller &= len[k] < cb;
        off += len[k];
    }
    UNIT_REPORT(ok, "level %d: 10 chunks inflate and unshuffle to their "
                "input", level);
    UNIT_REPORT(smaller, "level %d: every chunk is smaller than its input",
                level);
    free(data);
    free(z);
    free(plane);
    free(back);
}

static void test_deterministic(void)
{
    const size_t n = 12;
    size_t l1[12], l4[12], lb[12], t1, t4, tb;
    double *data = make_data(n);
    unsigned char *a = compress_all(data, n, 1, 4, 1, l1, &t1);
    unsigned char *b = compress_all(data, n, 4, 16, 1, l4, &t4);
    unsigned char *c = compress_all(data, n, 2, 1, 1, lb, &tb);
    CHECK(a && b && t1 == t4 && memcmp(a, b, t1) == 0 &&
              memcmp(l1, l4, sizeof l1) == 0,
          "1 and 4 threads give the same bytes");
    CHECK(a && c && t1 == tb && memcmp(a, c, t1) == 0,
          "one chunk per batch gives the same bytes as four");
    free(data);
    free(a);
    free(b);
    free(c);
}

/* Chunks of doubles whose mantissas are noise are stored, not coded
 * (ds_results_plain_chunk): stored blocks that zlib inflates back, the
 * input plus a few bytes a block; with an eighth of the values 0, or as
 * small integers, or fewer doubles than the sample, they are coded. */
static void test_plain(void)
{
    enum { N = CHUNK_ELEMS * 2 };
    size_t cb = N * sizeof(double);
    double *d = malloc(cb);
    uint64_t *u = malloc(cb);
    unsigned char *sh = malloc(cb), *z = malloc(cb + 1024),
                  *back = malloc(cb);
    uint64_t s = 99;
    for (size_t i = 0; d && u && i < N; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        d[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
        u[i] = s >> 40;
    }
    int ok = d && u && sh && z && back;
    if (ok)
        ds_results_shuffle((const unsigned char *)d, cb, 8, sh);
    int plain = ok && ds_results_plain_chunk(sh, cb, 8);
    size_t len = plain ? ds_results_deflate_planes(sh, cb, 8, z, cb + 1024, 1)
                       : 0;
    uLongf got = (uLongf)cb;
    size_t blocks = (cb + 65534) / 65535; /* of at most 65,535 bytes */
    CHECK(plain && len == 2 + 5 * blocks + cb + 4 &&
              uncompress(back, &got, z, (uLong)len) == Z_OK && got == cb &&
              memcmp(back, sh, cb) == 0,
          "noise doubles: stored blocks, which inflate back");
    for (size_t i = 0; ok && i < N; i += 8)
        d[i] = 0; /* an eighth of the values */
    if (ok)
        ds_results_shuffle((const unsigned char *)d, cb, 8, sh);
    CHECK(ok && !ds_results_plain_chunk(sh, cb, 8) &&
              ds_results_deflate_planes(sh, cb, 8, z, cb + 1024, 1) < cb,
          "... with an eighth of them 0: coded");
    if (ok)
        ds_results_shuffle((const unsigned char *)u, cb, 8, sh);
    CHECK(ok && !ds_results_plain_chunk(sh, cb, 8),
          "integers below 2^24: coded");
    for (size_t i = 0; ok && i < N; i++)
        u[i] = ((u[i] << 16) ^ (uint64_t)i * 2654435761u) &
               (((uint64_t)1 << 40) - 1);
    if (ok)
        ds_results_shuffle((const unsigned char *)u, cb, 8, sh);
    CHECK(ok && !ds_results_plain_chunk(sh, cb, 8) &&
              ds_results_deflate_planes(sh, cb, 8, z, cb + 1024, 1) <
                  cb * 3 / 4,
          "integers below 2^40 (noise in the middle, zero on top): coded");
    CHECK(ok && !ds_results_plain_chunk(sh, cb / 4, 8) &&
              !ds_results_plain_chunk(sh, cb, 4),
          "fewer doubles than the sample, or other elements: coded");
    free(d);
    free(u);
    free(sh);
    free(z);
    free(back);
}

/* ds_results_shuffle against the filter's definition, element sizes 1
 * to 9 (8: the vector path), 0 to 70 elements (its tails), unaligned. */
static void test_shuffle(void)
{
    unsigned char src[9 * 70 + 9], got[9 * 70 + 8], want[9 * 70 + 8];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 131u + (i >> 3) * 7u);
    int ok = 1;
    for (size_t es = 1; es <= 9; es++)
        for (size_t n = 0; n <= 70; n++) {
            const unsigned char *s = src + 1; /* not 16-byte aligned */
            for (size_t j = 0; j < es; j++)
                for (size_t e = 0; e < n; e++)
                    want[j * n + e] = s[e * es + j];
            memset(got, 0xAA, sizeof got);
            ds_results_shuffle(s, n * es, es, got);
            ok &= memcmp(got, want, n * es) == 0;
        }
    CHECK(ok, "shuffle: byte j of element e at j * n + e, every size and "
              "tail");
    /* the inverse, with a few bytes beyond whole elements left last */
    int back = 1;
    for (size_t es = 1; es <= 9; es++)
        for (size_t n = 0; n <= 70; n++)
            for (size_t extra = 0; extra < es && extra < 3; extra++) {
                size_t bytes = n * es + extra;
                const unsigned char *s = src + 1;
                for (size_t j = 0; j < es; j++)
                    for (size_t e = 0; e < n; e++)
                        want[e * es + j] = s[j * n + e];
                memcpy(want + n * es, s + n * es, extra);
                memset(got, 0xAA, sizeof got);
                ds_results_unshuffle(s, bytes, es, got);
                back &= memcmp(got, want, bytes) == 0;
            }
    CHECK(back, "unshuffle: byte j * n + e to byte j of element e, the "
                "remainder last, every size");
}

static void test_limits(void)
{
    ds_results_codec_t c;
    ds_results_codec_init(&c);
    c.threads = 1;
    CHECK_INT(ds_results_codec_batch(&c), 4, "a batch is 4 chunks a thread");
    c.threads = 1000;
    CHECK_INT(ds_results_codec_batch(&c), DS_RESULTS_CODEC_BATCH_MAX,
              "at most DS_RESULTS_CODEC_BATCH_MAX");
    c.threads = 1;
    unsigned char src[64] = {0}, *out[8];
    size_t len[8];
    ds_error_t err = {0};
    CHECK_INT(ds_results_codec_compress(&c, src, 5, 8, 8, 1, out, len, &err),
              DS_EUSAGE, "more chunks than a batch are refused");
    CHECK_INT(ds_results_codec_compress(&c, src, 4, 16, 1, 6, out, len, &err),
              0, "bytes (no shuffle) at level 6");
    unsigned char back[16];
    uLongf got = sizeof back;
    CHECK(uncompress(back, &got, out[3], (uLong)len[3]) == Z_OK &&
              got == 16 && memcmp(back, src + 48, 16) == 0,
          "... inflate to their input");
    ds_results_codec_clear(&c);
    ds_results_codec_clear(&c); /* twice is harmless */
}

int main(void)
{
    test_round_trip(1);
    test_round_trip(6);
    test_deterministic();
    test_shuffle();
    test_plain();
    test_limits();
    return UNIT_DONE();
}
