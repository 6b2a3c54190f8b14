/*
 * sha256.c — SHA-256 as specified in FIPS 180-4, section 6.2.
 *
 * Hashing every input is part of reading it, so its speed is the speed of
 * ingest: on x86-64 processors with the SHA extensions the compression
 * function runs on them (Intel, "New Instructions Supporting the Secure
 * Hash Algorithm on Intel Architecture Processors", 2013), about five
 * times faster than the portable code, chosen once at run time by CPUID.
 * Both paths are checked against the FIPS vectors and against each other.
 */
#include "sha256.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define DS_HAVE_SHANI 1
#endif

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = k + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) +
                      ((e & f) ^ (~e & g)) + K256[t] + w[t];
        uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) +
                      ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
    h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

#ifdef DS_HAVE_SHANI
/* The compression function on the SHA extensions: `blocks` 64-byte
 * blocks. The state is kept as ABEF/CDGH, the order sha256rnds2 uses. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
compress_shani(uint32_t h[8], const unsigned char *p, size_t blocks)
{
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&h[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);      /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);        /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8); /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);     /* CDGH */
    for (; blocks; blocks--, p += 64) {
        __m128i abef = s0, cdgh = s1, w[16];
        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(
                _mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
        /* W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], 4 at a time */
        for (int i = 4; i < 16; i++)
            w[i] = _mm_sha256msg2_epu32(
                _mm_add_epi32(_mm_sha256msg1_epu32(w[i - 4], w[i - 3]),
                              _mm_alignr_epi8(w[i - 1], w[i - 2], 4)),
                w[i - 1]);
        for (int i = 0; i < 16; i++) {
            __m128i m = _mm_add_epi32(
                w[i], _mm_loadu_si128((const __m128i *)&K256[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, m);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);       /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);        /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);     /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);        /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], s0);
    _mm_storeu_si128((__m128i *)&h[4], s1);
}

/* CPUID: SHA (leaf 7 EBX bit 29), SSE4.1 and SSSE3 (leaf 1 ECX 19, 9). */
static int have_shani(void)
{
    static int cached = -1;
    int v;
#pragma omp atomic read
    v = cached;
    if (v < 0) {
        unsigned a, b, c, d;
        v = 0;
        if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) &&
            (c & (1u << 9)) && __get_cpuid_count(7, 0, &a, &b, &c, &d))
            v = (b >> 29) & 1;
#pragma omp atomic write
        cached = v;
    }
    return v;
}
#endif

/* Run the compression function over whole blocks, on the fastest path. */
static void compress_blocks(uint32_t h[8], const unsigned char *p,
                            size_t blocks, int portable)
{
#ifdef DS_HAVE_SHANI
    if (!portable && have_shani()) {
        compress_shani(h, p, blocks);
        return;
    }
#endif
    (void)portable;
    for (; blocks; blocks--, p += 64)
        compress(h, p);
}

int ds_sha256_accelerated(void)
{
#ifdef DS_HAVE_SHANI
    return have_shani();
#else
    return 0;
#endif
}

void ds_sha256_init(ds_sha256_t *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->n_bytes = 0;
    c->buf_len = 0;
    c->portable = 0;
}

void ds_sha256_update(ds_sha256_t *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    c->n_bytes += len;
    if (c->buf_len) {
        size_t take = 64 - c->buf_len < len ? 64 - c->buf_len : len;
        memcpy(c->buf + c->buf_len, p, take);
        c->buf_len += take;
        p += take;
        len -= take;
        if (c->buf_len < 64)
            return;
        compress_blocks(c->h, c->buf, 1, c->portable);
        c->buf_len = 0;
    }
    compress_blocks(c->h, p, len / 64, c->portable);
    p += len / 64 * 64;
    len %= 64;
    memcpy(c->buf, p, len);
    c->buf_len = len;
}

void ds_sha256_final_hex(ds_sha256_t *c, char hex[65])
{
    uint64_t bits = c->n_bytes * 8;
    unsigned char pad[72] = {0x80};
    size_t padlen = (c->buf_len < 56) ? 56 - c->buf_len : 120 - c->buf_len;
    ds_sha256_update(c, pad, padlen);
    unsigned char len_be[8];
    for (int i = 0; i < 8; i++)
        len_be[i] = (unsigned char)(bits >> (56 - 8 * i));
    ds_sha256_update(c, len_be, 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", c->h[i]);
}

int ds_sha256_file(const char *path, char hex[65], ds_error_t *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ds_error_set(err, DS_EIO, "%s: %s", path, strerror(errno));
    ds_sha256_t h;
    ds_sha256_init(&h);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        ds_sha256_update(&h, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return ds_error_set(err, DS_EIO, "%s: read error", path);
    ds_sha256_final_hex(&h, hex);
    return DS_OK;
}
