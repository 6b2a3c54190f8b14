/*
 * Unit tests of results_deflate.c, the level-1 deflate encoder of the
 * codec: every output is inflated by zlib (an independent decoder) back to
 * its input, for inputs that take each path of the encoder: noise (stored
 * blocks), few values (literals), long and short runs, one byte value,
 * skewed counts that need the 15-bit length limit, empty and one-byte
 * inputs, segments longer than a stored block, many small segments; the
 * zlib header and Adler-32 are zlib's (the AVX2 Adler-32 against zlib's
 * on its own); too small an output buffer gives 0,
 * never an overrun; compression is not worse than zlib's Z_RLE at level 1
 * on data shaped like the per-session tables.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "results_internal.h"
#include "unit.h"

static uint64_t rng = 88172645463325252ULL;

static unsigned next_u32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* Inflate z (zlen bytes) and compare with src; 1 when equal. */
static int inflates_to(const unsigned char *z, size_t zlen,
                       const unsigned char *src, size_t n)
{
    unsigned char *back = malloc(n + 1);
    uLongf got = (uLongf)(n + 1);
    int ok = back && uncompress(back, &got, z, (uLong)zlen) == Z_OK &&
             got == n && memcmp(back, src, n) == 0;
    free(back);
    return ok;
}

/* Deflate src with segments of seg bytes and check the round trip; the
 * compressed length in *len. */
static int round_trip(const unsigned char *src, size_t n, size_t seg,
                      size_t *len)
{
    /* zlib's bound, and 5 bytes a segment should all be stored */
    size_t cap = compressBound((uLong)n) + 64 + (seg ? n / seg * 5 : 0);
    unsigned char *z = malloc(cap);
    size_t l = z ? ds_results_deflate(src, n, seg, z, cap) : 0;
    int ok = l > 0 && inflates_to(z, l, src, n);
    if (len)
        *len = l;
    free(z);
    return ok;
}

enum { NOISE, FEW, RUNS, SHORT_RUNS, ONE, SKEWED, SIGNS };

/* n bytes of one kind. */
static unsigned char *make(int kind, size_t n)
{
    unsigned char *p = malloc(n ? n : 1);
    for (size_t i = 0; p && i < n; i++) {
        unsigned r = next_u32();
        switch (kind) {
        case NOISE: p[i] = (unsigned char)r; break;
        case FEW: p[i] = (unsigned char)(r % 5 * 37); break;
        case RUNS: p[i] = (unsigned char)((i / 700) % 3); break;
        case SHORT_RUNS: p[i] = r % 4 ? 0 : (unsigned char)(r >> 8); break;
        case ONE: p[i] = 0x7f; break;
        case SKEWED:
            /* byte b about 2^-b of the time: Huffman lengths over 15 */
            p[i] = (unsigned char)__builtin_ctz(r | 1u << 30);
            break;
        default: p[i] = r % 50 ? 0x3f : 0xbf; break; /* +-1 sign bytes */
        }
    }
    return p;
}

static void test_kinds(void)
{
    static const char *names[] = {"noise", "few values", "long runs",
                                  "short runs", "one value", "skewed",
                                  "signs"};
    static const size_t sizes[] = {1, 2, 3, 100, 4096, 65535, 65536,
                                   200000};
    for (int k = 0; k <= SIGNS; k++) {
        int ok = 1;
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            unsigned char *p = make(k, sizes[s]);
            ok &= p && round_trip(p, sizes[s], 0, NULL) &&
                  round_trip(p, sizes[s], sizes[s] / 3 + 1, NULL);
            free(p);
        }
        UNIT_REPORT(ok, "%s: 1 byte to 200,000, one segment or three, "
                    "inflate back", names[k]);
    }
}

/* Runs of every length from 1 to 300 (every length code of RFC 1951
 * 3.2.5 and its extra bits, and runs longer than one match), each of a
 * byte other than its neighbours': the segment is coded as runs, and
 * zlib's inflate must give the bytes back. */
static void test_run_lengths(void)
{
    size_t n = 0;
    for (size_t r = 1; r <= 300; r++)
        n += r;
    unsigned char *p = malloc(n);
    size_t at = 0;
    for (size_t r = 1; p && r <= 300; r++) {
        memset(p + at, (int)(r % 251), r);
        at += r;
    }
    size_t len = 0;
    CHECK(p && round_trip(p, n, 0, &len) && len < n / 20,
          "runs of 1 to 300 bytes: coded as runs, inflate back");
    free(p);
}

static void test_edges(void)
{
    unsigned char z[64];
    size_t l = ds_results_deflate((const unsigned char *)"", 0, 0, z,
                                  sizeof z);
    CHECK(l > 0 && inflates_to(z, l, (const unsigned char *)"", 0),
          "empty input: a valid empty stream");
    CHECK(l >= 6 && z[0] == 0x78 && (z[0] * 256 + z[1]) % 31 == 0,
          "zlib header: deflate, 32K window, valid check bits");
    unsigned char *p = make(FEW, 5000);
    size_t cap = compressBound(5000) + 256, len;
    unsigned char *big = malloc(cap);
    len = ds_results_deflate(p, 5000, 0, big, cap);
    uLong a = adler32(adler32(0L, Z_NULL, 0), p, 5000);
    CHECK(len > 4 && big[len - 4] == (unsigned char)(a >> 24) &&
              big[len - 1] == (unsigned char)a,
          "Adler-32 of the input, most significant byte first");
    int zero_ok = 1;
    for (size_t c = 0; c < len; c += 97)
        zero_ok &= ds_results_deflate(p, 5000, 0, big, c) == 0;
    CHECK(zero_ok, "an output buffer smaller than needed gives 0");
    unsigned char *noise = make(NOISE, 300000);
    size_t nl;
    CHECK(noise && round_trip(noise, 300000, 1000, &nl) &&
              nl <= 300000 + 300 * 5 + 6,
          "300 stored segments: input + 5 bytes a block + header");
    free(noise);
    free(p);
    free(big);
}

/* Shuffled doubles shaped like a per-session table: NaN in some cells,
 * +-1 in others, noise elsewhere. Ours must not be larger than zlib's. */
static void test_vs_zlib(void)
{
    size_t ne = 32768, n = ne * 8;
    double *d = malloc(n);
    unsigned char *sh = malloc(n);
    for (size_t i = 0; d && i < ne; i++) {
        unsigned r = next_u32();
        d[i] = i % 10 == 3 ? NAN
               : r % 4 == 0 ? (r & 16 ? 1.0 : -1.0)
                            : (double)r / 4294967296.0 - 0.5;
    }
    for (size_t j = 0; d && sh && j < 8; j++)
        for (size_t e = 0; e < ne; e++)
            sh[j * ne + e] = ((unsigned char *)d)[e * 8 + j];
    size_t ours = 0, cap = compressBound((uLong)n) + 256;
    int ok = d && sh && round_trip(sh, n, ne, &ours);
    unsigned char *z = malloc(cap);
    z_stream s;
    memset(&s, 0, sizeof s);
    ok = ok && z && deflateInit2(&s, 1, Z_DEFLATED, 15, 8, Z_RLE) == Z_OK;
    s.next_in = sh;
    s.avail_in = (uInt)n;
    s.next_out = z;
    s.avail_out = (uInt)cap;
    ok = ok && deflate(&s, Z_FINISH) == Z_STREAM_END;
    size_t theirs = s.total_out;
    deflateEnd(&s);
    UNIT_REPORT(ok && ours <= theirs, "a table of doubles: %zu bytes, "
                "zlib level 1 Z_RLE %zu", ours, theirs);
    free(d);
    free(sh);
    free(z);
}

/* ds_results_adler32 against zlib's adler32: every length to 300 and
 * those around a stretch (5536 bytes) at unaligned starts, noise and the
 * all-0xFF bytes that make the sums largest. */
static void test_adler32(void)
{
    size_t cap = 3 * 5536 + 64;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        CHECK(0, "adler32: memory");
        return;
    }
    int bad = 0, tried = 0;
    for (int kind = 0; kind < 2; kind++) {
        for (size_t i = 0; i < cap; i++)
            buf[i] = kind ? 0xFF : (unsigned char)next_u32();
        size_t lens[] = {5535, 5536, 5537, 2 * 5536 + 31, 3 * 5536};
        for (size_t n = 0; n < 300 + 5; n++) {
            size_t len = n < 300 ? n : lens[n - 300];
            for (size_t off = 0; off < 3; off++, tried++) {
                uLong want = adler32(adler32(0L, Z_NULL, 0), buf + off,
                                     (uInt)len);
                bad += ds_results_adler32(buf + off, len) != (uint32_t)want;
            }
        }
    }
    CHECK_INT(bad, 0, "Adler-32 as zlib's, 1,830 inputs");
    CHECK_INT(tried, 2 * 305 * 3, "every input tried");
    free(buf);
}

int main(void)
{
    test_kinds();
    test_run_lengths();
    test_edges();
    test_vs_zlib();
    test_adler32();
    return UNIT_DONE();
}
