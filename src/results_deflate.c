/*
 * results_deflate.c — a fast deflate encoder for shuffled chunks (see
 * results_internal.h): zlib format (RFC 1950) around deflate blocks (RFC
 * 1951) that any inflater reads, HDF5's deflate filter included.
 *
 * Why not zlib's own encoder: on shuffled doubles most byte planes are
 * noise or a few values, where string matching finds nothing and zlib
 * spends its time per byte in its match finder and its 16-bit bit writer
 * (level 1 with the run-length strategy: about 80 MB/s on one core here).
 * This encoder looks at each byte plane (a segment) once to count its
 * bytes and once to emit them:
 *
 *   - a segment whose bytes repeat their predecessor more than three times
 *     in four (the sign and exponent planes of counts, NaN and +-1 runs)
 *     is coded as literals and runs: a run of 3 to 258 copies of the
 *     previous byte is one match of distance 1, as zlib's Z_RLE does;
 *   - any other segment is coded as literals only, three to a 64-bit store
 *     without branches;
 *   - either way with a dynamic Huffman code of its own (RFC 1951, 3.2.7),
 *     or as stored blocks when the code would not save a tenth of their
 *     size (noise planes, and mantissa planes with a few special values).
 *
 * The code lengths are minimum-redundancy lengths computed in place
 * (Moffat & Katajainen 1995, "In-place calculation of minimum-redundancy
 * codes"), limited to 15 bits (7 for the code-length code) by halving the
 * counts until they fit, which keeps the code complete. On the per-session
 * tables of a simulated study this is about four times as fast as zlib at
 * level 1 with Z_RLE, and the output is a little smaller (0.4%; 2% before
 * segments that a code would shrink by less than a tenth were stored).
 *
 * Deterministic: the output depends only on the input bytes and the
 * segment length. No HDF5, no threads: the codec calls it per chunk.
 */
#include "results_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_SSE2_EQ 1
#else
#define HAVE_SSE2_EQ 0
#endif
#if defined(__x86_64__) && defined(__GNUC__) /* AVX2 chosen at run time */
#include <immintrin.h>
#define HAVE_ADLER_AVX2 1
#else
#define HAVE_ADLER_AVX2 0
#endif

#define N_LITLEN 286     /* literal/length symbols 0..285 (RFC 1951 3.2.5) */
#define N_CL 19          /* code-length symbols 0..18 */
#define END_BLOCK 256
#define MIN_RUN 3
#define MAX_RUN 258
#define STORED_MAX 65535 /* bytes in one stored block */
#define SLACK 16         /* room past the end for 8-byte stores */

/* ---- bits, least significant first (RFC 1951 3.1.1) ------------------ */

typedef struct bits {
    uint64_t acc;        /* pending bits, fewer than 8 between calls */
    unsigned n;
    unsigned char *p;
} bits_t;

/* Store the 8 bytes of v least significant first at p. */
static inline void store64le(unsigned char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, 8);
#else
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
#endif
}

/* Append n <= 32 bits; whole bytes go out at once. */
static inline void put(bits_t *w, uint64_t v, unsigned n)
{
    w->acc |= v << w->n;
    w->n += n;
    store64le(w->p, w->acc);
    w->p += w->n >> 3;
    w->acc >>= w->n & ~7u;
    w->n &= 7;
}

/* Pad to a byte boundary. */
static void align_byte(bits_t *w)
{
    if (w->n)
        *w->p++ = (unsigned char)w->acc;
    w->acc = 0;
    w->n = 0;
}

/* ---- length codes (RFC 1951 3.2.5) ---------------------------------- */

static const uint16_t len_base[29] = {
    3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
                                      1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                      4, 4, 4, 4, 5, 5, 5, 5, 0};

/* The length code (0..28, symbol 257 + it) of a run of r bytes, 3 to
 * 258 (RFC 1951 3.2.5: the last code whose len_base is at most r; 0 below
 * 3, never used). A table: a scan of len_base for every run was 1 percent
 * of a run of analyze. The unit test codes runs of every length, for zlib
 * to inflate. */
static const uint8_t len_code_of[MAX_RUN + 1] = {
    0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 9, 10,
    10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15,
    15, 15, 15, 16, 16, 16, 16, 16, 16, 16, 16, 17, 17, 17, 17, 17,
    17, 17, 17, 18, 18, 18, 18, 18, 18, 18, 18, 19, 19, 19, 19, 19,
    19, 19, 19, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
    20, 20, 20, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21,
    21, 21, 21, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22,
    22, 22, 22, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23,
    23, 23, 23, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25,
    25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25,
    25, 25, 25, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27,
    27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27,
    27, 27, 28,
};

static unsigned len_code(size_t r)
{
    return len_code_of[r];
}

/* ---- Huffman code lengths ------------------------------------------- */

/*
 * Moffat & Katajainen (1995): A[0..n) holds weights in ascending order;
 * on return A[i] is the code length of the symbol of weight A[i].
 */
static void mk_lengths(uint32_t *A, int n)
{
    if (n == 1) {
        A[0] = 0;
        return;
    }
    int root = 0, leaf = 2, next;
    A[0] += A[1];
    for (next = 1; next < n - 1; next++) {
        if (leaf >= n || A[root] < A[leaf]) {
            A[next] = A[root];
            A[root++] = (uint32_t)next;
        } else {
            A[next] = A[leaf++];
        }
        if (leaf >= n || (root < next && A[root] < A[leaf])) {
            A[next] += A[root];
            A[root++] = (uint32_t)next;
        } else {
            A[next] += A[leaf++];
        }
    }
    A[n - 2] = 0;
    for (next = n - 3; next >= 0; next--)
        A[next] = A[A[next]] + 1;
    int avbl = 1, used = 0, dpth = 0;
    root = n - 2;
    next = n - 1;
    while (avbl > 0) {
        while (root >= 0 && A[root] == (uint32_t)dpth) {
            used++;
            root--;
        }
        while (avbl > used) {
            A[next--] = (uint32_t)dpth;
            avbl--;
        }
        avbl = 2 * used;
        dpth++;
        used = 0;
    }
}

/* Sort code_lengths' keys (count << 16 | symbol, n <= N_LITLEN)
 * ascending: they come in ascending symbol order, so a stable sort on
 * the counts alone orders them fully. A least-significant-digit radix
 * sort on the counts' bytes, one pass per byte in use (one or two), with
 * no comparisons: a merge sort's were a coin toss on a noisy plane's
 * counts, and their mispredictions most of code_lengths' time (3% of a
 * one-thread run). */
static void sort_keys(uint64_t *k, size_t n, uint64_t *tmp)
{
    uint64_t all = 0;
    for (size_t i = 0; i < n; i++)
        all |= k[i];
    uint64_t *a = k, *b = tmp;
    for (unsigned shift = 16; all >> shift; shift += 8) {
        uint32_t at[256] = {0};
        for (size_t i = 0; i < n; i++)
            at[(a[i] >> shift) & 0xff]++;
        uint32_t sum = 0;
        for (int d = 0; d < 256; d++) {
            uint32_t c = at[d];
            at[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[at[(a[i] >> shift) & 0xff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    if (a != k)
        memcpy(k, a, n * sizeof *k);
}

/*
 * Code lengths len[0..n) for the counts freq[0..n), at most maxlen bits,
 * a complete code; with fewer than two symbols in use, two codes of one
 * bit (an inflater needs a complete code; the spare is never sent).
 */
static void code_lengths(const uint32_t *freq, int n, unsigned maxlen,
                         uint8_t *len)
{
    uint32_t f[N_LITLEN], A[N_LITLEN];
    uint64_t key[N_LITLEN], tmp[N_LITLEN];
    int m = 0, last = 0;
    for (int i = 0; i < n; i++) {
        len[i] = 0;
        f[i] = freq[i];
        if (f[i]) {
            m++;
            last = i;
        }
    }
    if (m < 2) {
        len[last] = 1;
        len[last == 0 ? 1 : 0] = 1;
        return;
    }
    for (;;) {
        int k = 0;
        for (int i = 0; i < n; i++)
            if (f[i])
                key[k++] = (uint64_t)f[i] << 16 | (unsigned)i;
        sort_keys(key, (size_t)m, tmp);
        for (int i = 0; i < m; i++)
            A[i] = (uint32_t)(key[i] >> 16);
        mk_lengths(A, m);
        if (A[0] <= maxlen) { /* A[0] is the longest */
            for (int i = 0; i < m; i++)
                len[key[i] & 0xffff] = (uint8_t)A[i];
            return;
        }
        for (int i = 0; i < n; i++)
            if (f[i])
                f[i] = f[i] >> 1 | 1;
    }
}

/* Canonical codes for the lengths (RFC 1951 3.2.2), bit-reversed for
 * sending least significant bit first. */
static void canonical_codes(const uint8_t *len, int n, uint16_t *code)
{
    unsigned count[16] = {0}, next[16];
    for (int i = 0; i < n; i++)
        count[len[i]]++;
    count[0] = 0;
    unsigned c = 0;
    for (int b = 1; b < 16; b++) {
        c = (c + count[b - 1]) << 1;
        next[b] = c;
    }
    for (int i = 0; i < n; i++) {
        unsigned v = len[i] ? next[len[i]]++ : 0, r = 0;
        for (unsigned b = 0; b < len[i]; b++, v >>= 1)
            r = r << 1 | (v & 1);
        code[i] = (uint16_t)r;
    }
}

/* ---- the symbols of a segment --------------------------------------- */

/* Copies of p[i - 1] from p[i] on, at most MAX_RUN; eight bytes at a
 * time while they all match. */
static size_t run_scan(const unsigned char *p, size_t i, size_t n)
{
    unsigned char b = p[i - 1];
    size_t r = 0, lim = n - i < MAX_RUN ? n - i : MAX_RUN;
    uint64_t pat = 0x0101010101010101ULL * b, v;
    while (r + 8 <= lim) {
        memcpy(&v, p + i + r, 8);
        if (v != pat)
            break;
        r += 8;
    }
    while (r < lim && p[i + r] == b)
        r++;
    return r;
}

/* The run at p[i] (0 at i = 0): the scan only where p[i] repeats its
 * predecessor, which most bytes of a literal stretch do not. */
static inline size_t run_at(const unsigned char *p, size_t i, size_t n)
{
    return i && p[i] == p[i - 1] ? run_scan(p, i, n) : 0;
}

/* How many of p[1..n) equal their predecessor: 16 at a time where SSE2
 * is (every x86-64), in byte lanes summed before they can overflow. */
static size_t count_equal(const unsigned char *p, size_t n)
{
    size_t eq = 0, i = 1;
#if HAVE_SSE2_EQ
    while (i + 16 <= n) {
        size_t steps = (n - i) / 16;
        if (steps > 255)
            steps = 255;
        __m128i acc = _mm_setzero_si128();
        for (size_t k = 0; k < steps; k++, i += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i b =
                _mm_loadu_si128((const __m128i *)(const void *)(p + i - 1));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(a, b)); /* +1 if equal */
        }
        __m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
        eq += (size_t)_mm_cvtsi128_si32(sum) +
              (size_t)_mm_extract_epi16(sum, 4);
    }
#endif
    for (; i < n; i++)
        eq += p[i] == p[i - 1];
    return eq;
}

/* Byte counts of p[0..n). */
static void count_bytes(const unsigned char *p, size_t n, uint32_t *lf)
{
    uint32_t h[4][256];
    memset(h, 0, sizeof h);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        h[0][p[i]]++;
        h[1][p[i + 1]]++;
        h[2][p[i + 2]]++;
        h[3][p[i + 3]]++;
    }
    for (; i < n; i++)
        h[0][p[i]]++;
    for (int b = 0; b < 256; b++)
        lf[b] = h[0][b] + h[1][b] + h[2][b] + h[3][b];
}

/* Symbol counts of p[0..n) coded as literals and runs. */
static void count_runs(const unsigned char *p, size_t n, uint32_t *lf,
                       uint32_t *n_dist)
{
    size_t i = 0;
    while (i < n) {
        size_t r = run_at(p, i, n);
        if (r >= MIN_RUN) {
            lf[257 + len_code(r)]++;
            (*n_dist)++;
            i += r;
        } else {
            lf[p[i++]]++;
        }
    }
}

/* ---- a block -------------------------------------------------------- */

/* The Huffman codes of a dynamic block and its header, RLE-coded. */
typedef struct dyn {
    uint8_t ll[N_LITLEN];         /* literal/length code lengths */
    uint16_t lc[N_LITLEN];
    uint8_t cl[N_CL];             /* code-length code */
    uint16_t cc[N_CL];
    uint16_t rle[N_LITLEN + 2];   /* symbol | repeat << 8 */
    int n_rle, n_lit, n_cl;
} dyn_t;

static const uint8_t cl_order[N_CL] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                       11, 4,  12, 3, 13, 2, 14, 1, 15};
static const uint8_t cl_extra[N_CL] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 2, 3, 7};

/* Run-length code the code lengths (RFC 1951 3.2.7: 16 repeats the
 * previous length 3-6 times, 17 and 18 give 3-10 and 11-138 zeros). */
static int rle_lengths(const uint8_t *lens, int n, uint16_t *out)
{
    int k = 0;
    for (int i = 0; i < n;) {
        int v = lens[i], r = 1;
        while (i + r < n && lens[i + r] == v)
            r++;
        i += r;
        if (v == 0) {
            for (; r >= 11; r -= r > 138 ? 138 : r)
                out[k++] = (uint16_t)(18 | ((r > 138 ? 138 : r) - 11) << 8);
            if (r >= 3) {
                out[k++] = (uint16_t)(17 | (r - 3) << 8);
                r = 0;
            }
        } else {
            out[k++] = (uint16_t)v;
            for (r--; r >= 3; r -= r > 6 ? 6 : r)
                out[k++] = (uint16_t)(16 | ((r > 6 ? 6 : r) - 3) << 8);
        }
        while (r-- > 0)
            out[k++] = (uint16_t)v;
    }
    return k;
}

/* The codes for symbol counts lf and the block's size in bits. The
 * distance code is fixed: codes 0 (distance 1) and 1, one bit each. */
static uint64_t dyn_plan(dyn_t *d, const uint32_t *lf, uint32_t n_dist)
{
    code_lengths(lf, N_LITLEN, 15, d->ll);
    d->n_lit = N_LITLEN;
    while (d->n_lit > 257 && d->ll[d->n_lit - 1] == 0)
        d->n_lit--;
    uint8_t all[N_LITLEN + 2];
    memcpy(all, d->ll, (size_t)d->n_lit);
    all[d->n_lit] = all[d->n_lit + 1] = 1;
    d->n_rle = rle_lengths(all, d->n_lit + 2, d->rle);
    uint32_t cf[N_CL] = {0};
    for (int i = 0; i < d->n_rle; i++)
        cf[d->rle[i] & 0xff]++;
    code_lengths(cf, N_CL, 7, d->cl);
    canonical_codes(d->cl, N_CL, d->cc);
    d->n_cl = N_CL;
    while (d->n_cl > 4 && d->cl[cl_order[d->n_cl - 1]] == 0)
        d->n_cl--;
    uint64_t bits = 3 + 5 + 5 + 4 + 3 * (uint64_t)d->n_cl + n_dist;
    for (int i = 0; i < d->n_rle; i++) {
        int s = d->rle[i] & 0xff;
        bits += d->cl[s] + cl_extra[s];
    }
    for (int s = 0; s < N_LITLEN; s++)
        bits += (uint64_t)lf[s] *
                (d->ll[s] + (s > END_BLOCK ? len_extra[s - 257] : 0));
    return bits;
}

static void dyn_header(bits_t *w, const dyn_t *d, int final)
{
    put(w, (unsigned)final, 1);
    put(w, 2, 2); /* dynamic Huffman */
    put(w, (unsigned)(d->n_lit - 257), 5);
    put(w, 1, 5); /* two distance codes */
    put(w, (unsigned)(d->n_cl - 4), 4);
    for (int i = 0; i < d->n_cl; i++)
        put(w, d->cl[cl_order[i]], 3);
    for (int i = 0; i < d->n_rle; i++) {
        int s = d->rle[i] & 0xff;
        put(w, d->cc[s], d->cl[s]);
        if (cl_extra[s])
            put(w, (unsigned)(d->rle[i] >> 8), cl_extra[s]);
    }
}

/* Literals only: as many codes per 64-bit store as fit beside the fewer
 * than 8 bits pending, by the longest literal code: three of up to 15
 * bits, four of up to 14, five of up to 11 (a noise plane's codes are 8
 * or 9 bits long: fewer stores, the same bits). */
static void emit_literals(bits_t *w, const unsigned char *p, size_t n,
                          const dyn_t *d)
{
    uint32_t tab[256];
    unsigned longest = 0;
    for (int b = 0; b < 256; b++) {
        tab[b] = d->lc[b] | (uint32_t)d->ll[b] << 16;
        longest = d->ll[b] > longest ? d->ll[b] : longest;
    }
    uint64_t acc = w->acc;
    unsigned nb = w->n;
    unsigned char *o = w->p;
    size_t i = 0;
#define LIT_(t)                                                              \
    do {                                                                     \
        acc |= (uint64_t)((t) & 0xffff) << nb;                               \
        nb += (t) >> 16;                                                     \
    } while (0)
#define STORE_()                                                             \
    do {                                                                     \
        store64le(o, acc);                                                   \
        o += nb >> 3;                                                        \
        acc >>= nb & ~7u;                                                    \
        nb &= 7;                                                             \
    } while (0)
    if (longest <= 11)
        for (; i + 5 <= n; i += 5) {
            uint32_t a = tab[p[i]], b = tab[p[i + 1]], c = tab[p[i + 2]],
                     e = tab[p[i + 3]], f = tab[p[i + 4]];
            LIT_(a);
            LIT_(b);
            LIT_(c);
            LIT_(e);
            LIT_(f);
            STORE_();
        }
    else if (longest <= 14)
        for (; i + 4 <= n; i += 4) {
            uint32_t a = tab[p[i]], b = tab[p[i + 1]], c = tab[p[i + 2]],
                     e = tab[p[i + 3]];
            LIT_(a);
            LIT_(b);
            LIT_(c);
            LIT_(e);
            STORE_();
        }
    for (; i + 3 <= n; i += 3) {
        uint32_t a = tab[p[i]], b = tab[p[i + 1]], c = tab[p[i + 2]];
        LIT_(a);
        LIT_(b);
        LIT_(c);
        STORE_();
    }
    for (; i < n; i++) {
        LIT_(tab[p[i]]);
        STORE_();
    }
#undef LIT_
#undef STORE_
    w->acc = acc;
    w->n = nb;
    w->p = o;
}

/* Literals and runs, as count_runs chose them. */
static void emit_runs(bits_t *w, const unsigned char *p, size_t n,
                      const dyn_t *d)
{
    size_t i = 0;
    while (i < n) {
        size_t r = run_at(p, i, n);
        if (r >= MIN_RUN) {
            unsigned c = len_code(r);
            put(w, d->lc[257 + c], d->ll[257 + c]);
            if (len_extra[c])
                put(w, r - len_base[c], len_extra[c]);
            put(w, 0, 1); /* distance code 0: distance 1 */
            i += r;
        } else {
            put(w, d->lc[p[i]], d->ll[p[i]]);
            i++;
        }
    }
}

/* Stored blocks (RFC 1951 3.2.4) of p[0..n). */
static void emit_stored(bits_t *w, const unsigned char *p, size_t n,
                        int final)
{
    size_t off = 0;
    do {
        size_t len = n - off > STORED_MAX ? STORED_MAX : n - off;
        put(w, (unsigned)(final && off + len == n), 1);
        put(w, 0, 2);
        align_byte(w);
        w->p[0] = (unsigned char)len;
        w->p[1] = (unsigned char)(len >> 8);
        w->p[2] = (unsigned char)~len;
        w->p[3] = (unsigned char)(~len >> 8);
        memcpy(w->p + 4, p + off, len);
        w->p += 4 + len;
        off += len;
    } while (off < n);
}

/* One segment as a dynamic block, or as stored blocks when the dynamic
 * block would not save a tenth of them: on the low mantissa planes of
 * doubles with a few special values (NaN, -1) among them, a code that
 * saves 5-7% takes more than twice the time of storing (level 1 trades
 * that size for speed). -1 when it does not fit before `end`. */
static int segment(bits_t *w, const unsigned char *end,
                   const unsigned char *p, size_t n, int final)
{
    uint32_t lf[N_LITLEN] = {0}, n_dist = 0;
    dyn_t d;
    /* runs pay off when most bytes repeat their predecessor; such a
     * segment is counted as runs only (the byte histogram, slowest where
     * bytes repeat, is not needed for it) */
    int runs = count_equal(p, n) * 4 > n * 3;
    if (runs)
        count_runs(p, n, lf, &n_dist);
    else
        count_bytes(p, n, lf);
    lf[END_BLOCK] = 1;
    uint64_t bits = dyn_plan(&d, lf, n_dist);
    size_t n_stored = n ? (n + STORED_MAX - 1) / STORED_MAX : 1;
    uint64_t stored_bits = (uint64_t)8 * n + n_stored * (3 + 7 + 32);
    if (10 * bits > 9 * stored_bits) {
        if ((size_t)(end - w->p) < n + 5 * n_stored + 1)
            return -1;
        emit_stored(w, p, n, final);
        return 0;
    }
    if ((uint64_t)(end - w->p) < bits / 8 + 2)
        return -1;
    canonical_codes(d.ll, N_LITLEN, d.lc);
    dyn_header(w, &d, final);
    if (runs)
        emit_runs(w, p, n, &d);
    else
        emit_literals(w, p, n, &d);
    put(w, d.lc[END_BLOCK], d.ll[END_BLOCK]);
    return 0;
}

/* ---- chunks kept as they are ------------------------------------------ */

#define PLAIN_SAMPLE 4096 /* bytes of the plane looked at */

/*
 * Whether a shuffled chunk of doubles is stored rather than coded: the
 * first PLAIN_SAMPLE bytes of its fourth byte plane (a middle byte of the
 * mantissas) would not shrink by 3% under their own Huffman code. Then
 * the six low planes are noise, and all that coding could save is in the
 * sign and exponent planes, about an eighth of the chunk (adjusted
 * residuals, z scores, p-values, expected counts), for two to three
 * milliseconds of a thread per 3 MB table. Only chunks of at least
 * PLAIN_SAMPLE doubles, most of whose top bytes (sign and exponent) are
 * not zero; it depends only on the bytes.
 */
int ds_results_plain_chunk(const unsigned char *in, size_t bytes,
                           size_t esize)
{
    if (esize != 8 || bytes / 8 < PLAIN_SAMPLE)
        return 0;
    /* integers below 2^56 (counts, indices; the element size does not say
     * which) have a zero top plane, which a double's sign and exponent
     * never are: such a chunk is coded, whatever its middle planes */
    const unsigned char *top = in + 7 * (bytes / 8);
    size_t nz = 0;
    for (size_t i = 0; i < PLAIN_SAMPLE; i++)
        nz += top[i] != 0;
    if (nz < PLAIN_SAMPLE / 2)
        return 0;
    uint32_t lf[N_LITLEN] = {0};
    uint8_t ll[N_LITLEN];
    count_bytes(in + 3 * (bytes / 8), PLAIN_SAMPLE, lf);
    lf[END_BLOCK] = 1;
    code_lengths(lf, N_LITLEN, 15, ll);
    uint64_t bits = 0;
    for (int s = 0; s <= END_BLOCK; s++)
        bits += (uint64_t)lf[s] * ll[s];
    return bits * 100 > (uint64_t)97 * 8 * PLAIN_SAMPLE;
}

/* ---- Adler-32 (RFC 1950 8.2) ------------------------------------------- */

#define ADLER_BASE 65521u
#define ADLER_NMAX 5536 /* zlib's 5552 rounded down to whole 32-byte blocks */

#if HAVE_ADLER_AVX2
/*
 * Adler-32 of p[0..n) continued from `adler`, 32 bytes a step on AVX2
 * (the method of zlib-ng and Chromium's zlib): for a block b[0..31] after
 * sums (s1, s2), s1 += sum b[i] and s2 += 32 s1 + sum (32 - i) b[i]. Over
 * the k blocks of a stretch short enough that no 32-bit lane overflows,
 * the block sums (sad) and the weighted sums (maddubs, madd) add up in
 * lanes, and the 32 s1 terms become 32 (k s1 + the block sums before
 * each block); the two sums are reduced modulo 65521 after each stretch.
 */
__attribute__((target("avx2"))) static uint32_t
adler32_avx2(uint32_t adler, const unsigned char *p, size_t n)
{
    uint64_t s1 = adler & 0xffff, s2 = adler >> 16;
    const __m256i zero = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i weight = _mm256_setr_epi8(
        32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
        15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    while (n >= 32) {
        size_t k = (n < ADLER_NMAX ? n : ADLER_NMAX) / 32;
        __m256i v_s1 = zero, v_before = zero, v_s2 = zero;
        for (size_t j = 0; j < k; j++, p += 32) {
            __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)p);
            v_before = _mm256_add_epi32(v_before, v_s1);
            v_s1 = _mm256_add_epi32(v_s1, _mm256_sad_epu8(b, zero));
            v_s2 = _mm256_add_epi32(
                v_s2, _mm256_madd_epi16(_mm256_maddubs_epi16(b, weight), ones));
        }
        uint32_t a[8], c[8], d[8];
        _mm256_storeu_si256((__m256i *)(void *)a, v_s1);
        _mm256_storeu_si256((__m256i *)(void *)c, v_before);
        _mm256_storeu_si256((__m256i *)(void *)d, v_s2);
        uint64_t sum1 = 0, before = 0, sum2 = 0;
        for (int i = 0; i < 8; i++) {
            sum1 += a[i];
            before += c[i];
            sum2 += d[i];
        }
        s2 = (s2 + 32 * ((uint64_t)k * s1 + before) + sum2) % ADLER_BASE;
        s1 = (s1 + sum1) % ADLER_BASE;
        n -= 32 * k;
    }
    for (size_t i = 0; i < n; i++) {
        s1 += p[i];
        s2 += s1;
    }
    return (uint32_t)((s2 % ADLER_BASE) << 16 | (s1 % ADLER_BASE));
}
#endif

uint32_t ds_results_adler32(const unsigned char *p, size_t n)
{
#if HAVE_ADLER_AVX2
    if (__builtin_cpu_supports("avx2"))
        return adler32_avx2(1, p, n);
#endif
    uLong a = adler32(0L, Z_NULL, 0);
    while (n > 0) { /* zlib takes at most 4 GiB a call */
        uInt m = n > 0x40000000u ? 0x40000000u : (uInt)n;
        a = adler32(a, p, m);
        p += m;
        n -= m;
    }
    return (uint32_t)a;
}

/* ---- the zlib stream (RFC 1950) --------------------------------------- */

/* The zlib header at out; the blocks follow at *w. */
static void zlib_begin(unsigned char *out, bits_t *w)
{
    out[0] = 0x78; /* deflate, 32K window */
    out[1] = 0x01; /* fastest; (0x78 * 256 + 0x01) % 31 == 0 */
    *w = (bits_t){.p = out + 2};
}

/* After the last block: pad to a byte, append src[0..n)'s Adler-32 most
 * significant byte first; the stream's length. */
static size_t zlib_end(bits_t *w, const unsigned char *src, size_t n,
                       const unsigned char *out)
{
    align_byte(w);
    uint32_t a = ds_results_adler32(src, n);
    for (int k = 3; k >= 0; k--)
        *w->p++ = (unsigned char)(a >> (8 * k));
    return (size_t)(w->p - out);
}

size_t ds_results_deflate_stored(const unsigned char *src, size_t n,
                                 unsigned char *out, size_t cap)
{
    size_t n_stored = n ? (n + STORED_MAX - 1) / STORED_MAX : 1;
    if (cap < 2 + 5 * n_stored + n + 4 + SLACK)
        return 0;
    bits_t w;
    zlib_begin(out, &w);
    emit_stored(&w, src, n, 1);
    return zlib_end(&w, src, n, out);
}

size_t ds_results_deflate(const unsigned char *src, size_t n, size_t seg,
                          unsigned char *out, size_t cap)
{
    if (cap < 2 + 4 + 5 + SLACK)
        return 0;
    const unsigned char *end = out + cap - 4 - SLACK; /* checksum, stores */
    bits_t w;
    zlib_begin(out, &w);
    if (seg == 0 || seg > n)
        seg = n;
    size_t off = 0;
    do {
        size_t len = n - off < seg ? n - off : seg;
        if (segment(&w, end, src + off, len, off + len == n))
            return 0;
        off += len;
    } while (off < n);
    return zlib_end(&w, src, n, out);
}
