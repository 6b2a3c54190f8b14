/*
 * results_heap.c — variable-length strings are checked before HDF5 reads
 * them (issue 18 #6).
 *
 * HDF5 keeps every variable-length string in a "global heap collection"
 * and stores, where the string belongs, a 16-byte reference: its length
 * (4 bytes), the collection's address (8) and the object's index in it
 * (4). Neither carries a checksum, and HDF5 1.10 trusts both: a damaged
 * object size, index or length makes it copy past its buffers
 * (H5HG_read, H5T__conv_vlen), a crash rather than an error. So before
 * the library is asked for a string:
 *
 *  - the file is scanned for collections (the 5 bytes "GCOL", version 1,
 *    all HDF5 checks before it trusts one) and each one found is walked
 *    as HDF5 walks it, with every bound checked: its size within the
 *    file, each object's header and size within the collection, the free
 *    space last, no index twice, and no NUL byte in an object (each is a
 *    string; a size grown by a damaged bit takes in the zeros of its
 *    padding);
 *  - a string dataset's references are read raw (a contiguous dataset at
 *    its file offset, a chunked one chunk by chunk, inflated) and each
 *    must name an object of a collection found, of exactly its length.
 *    A compact dataset's references, and an attribute's, are inside the
 *    object header, which the 1.8 file format dyadseq writes protects
 *    with a checksum that HDF5 verifies.
 *
 * What remains: a collection whose first 5 bytes are damaged is not found
 * by the scan, but then HDF5 refuses it by its signature (an error, not a
 * crash); 5 bytes of numeric data that happen to read "GCOL\1" and do not
 * parse as a collection make the file reported as damaged; the size of an
 * object grown within its 8-byte padding that a compact dataset or an
 * attribute refers to (whose references cannot be read raw) is not seen,
 * and HDF5 copies up to 7 bytes too many; files written by other
 * programs with version 1 object headers (no checksums) have unchecked
 * attribute references.
 * Numbers carry no checksum at all: a flipped bit in a double is a
 * different double.
 */
#define _GNU_SOURCE /* memmem */
#include "results_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define GCOL_MAGIC "GCOL\x01" /* signature, version: what HDF5 checks */
#define GCOL_MAGIC_LEN 5
#define GCOL_HEADER 16      /* magic, version, reserved, size */
#define GCOL_OBJ_HEADER 16  /* index, references, reserved, size */
#define GCOL_MAX ((uint64_t)256 << 20) /* a larger collection: damaged */
#define REF_SIZE DS_RESULTS_VLEN_STORED /* length, address, index */
#define SCAN_BLOCK ((size_t)64 << 10) /* reused: its pages fault once */

typedef struct heap_obj {
    uint64_t addr;  /* of its collection */
    uint32_t idx;
    uint64_t size;
} heap_obj_t;

struct ds_results_heap {
    heap_obj_t *obj;  /* sorted by (addr, idx) */
    size_t n, cap;
    uint64_t file_size;
};

static uint64_t le(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static int cmp_obj(const void *a, const void *b)
{
    const heap_obj_t *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sort n objects by (addr, idx). HDF5 numbers a collection's objects in
 * the order it stores them and the scan meets collections in file order,
 * so they usually come sorted: then a pass that sees it is all it costs
 * (qsort of the 150,000 objects of a 1M-event study's file took a third
 * of opening it). */
static void sort_objs(heap_obj_t *o, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (cmp_obj(&o[i - 1], &o[i]) > 0) {
            qsort(o, n, sizeof *o, cmp_obj);
            return;
        }
}

static int add_obj(ds_results_heap_t *h, uint64_t addr, uint32_t idx,
                   uint64_t size)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 256;
        heap_obj_t *o = realloc(h->obj, cap * sizeof *o);
        if (!o)
            return DS_ENOMEM;
        h->obj = o;
        h->cap = cap;
    }
    h->obj[h->n++] = (heap_obj_t){addr, idx, size};
    return 0;
}

static int pread_all(int fd, void *buf, size_t n, uint64_t at)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = pread(fd, p, n, (off_t)at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
        at += (uint64_t)r;
    }
    return 0;
}

static int damaged(ds_error_t *err, const char *file, uint64_t at,
                   const char *why)
{
    return ds_error_set(err, DS_EDATA, "%s is damaged: the string heap at "
                        "byte %llu %s", file, (unsigned long long)at, why);
}

/*
 * Walk the collection at addr as HDF5's H5HG deserializer does, checking
 * every bound it does not, and record its objects.
 */
static int walk(ds_results_heap_t *h, int fd, uint64_t addr,
                const char *file, ds_error_t *err)
{
    unsigned char head[GCOL_HEADER];
    if (pread_all(fd, head, sizeof head, addr))
        return damaged(err, file, addr, "cannot be read");
    uint64_t size = le(head + 8, 8);
    if (size < GCOL_HEADER || size > GCOL_MAX ||
        size > h->file_size - addr)
        return damaged(err, file, addr, "has an impossible size");
    unsigned char *c = malloc((size_t)size);
    if (!c)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int rc = 0;
    size_t first = h->n;
    if (pread_all(fd, c, (size_t)size, addr)) {
        rc = damaged(err, file, addr, "cannot be read");
        goto done;
    }
    for (uint64_t p = GCOL_HEADER; p < size && rc == 0;) {
        if (size - p < GCOL_OBJ_HEADER)
            break; /* a tail too small for an object: free space */
        uint32_t idx = (uint32_t)le(c + p, 2);
        uint64_t osize = le(c + p + 8, 8), need;
        if (idx == 0) { /* the free space, last: its size has the header */
            need = osize;
            if (need != size - p)
                rc = damaged(err, file, addr, "has free space out of "
                             "place");
        } else {
            need = osize > size ? size : GCOL_OBJ_HEADER + ((osize + 7) &
                                                            ~(uint64_t)7);
            if (osize > size - p - GCOL_OBJ_HEADER || need > size - p)
                rc = damaged(err, file, addr, "has an object out of "
                             "bounds");
            else if (memchr(c + p + GCOL_OBJ_HEADER, 0, (size_t)osize))
                /* every object of dyadseq's is a string, and a size grown
                 * into the padding takes its zeros */
                rc = damaged(err, file, addr, "has an object of the wrong "
                             "size");
            else if ((rc = add_obj(h, addr, idx, osize)))
                ds_error_set(err, rc, "out of memory");
        }
        p += need;
    }
    if (rc == 0 && h->n > first) {
        sort_objs(h->obj + first, h->n - first);
        for (size_t i = first + 1; i < h->n && rc == 0; i++)
            if (h->obj[i].idx == h->obj[i - 1].idx)
                rc = damaged(err, file, addr, "has an object twice");
    }
done:
    free(c);
    return rc;
}

void ds_results_heap_free(ds_results_heap_t *h)
{
    if (!h)
        return;
    free(h->obj);
    free(h);
}

int ds_results_heap_scan(const char *path, ds_results_heap_t **out,
                         ds_error_t *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return ds_error_set(err, DS_EIO, "cannot open '%s': %s", path,
                            strerror(e));
    }
    ds_results_heap_t *h = calloc(1, sizeof *h);
    unsigned char *buf = malloc(SCAN_BLOCK + GCOL_MAGIC_LEN);
    int rc = 0;
    if (!h || !buf) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    h->file_size = (uint64_t)st.st_size;
    /* blocks overlap by the magic's length less one, so that a magic
     * across two blocks is seen once */
    for (uint64_t at = 0; at < h->file_size && rc == 0;) {
        uint64_t left = h->file_size - at;
        size_t n = left < SCAN_BLOCK + GCOL_MAGIC_LEN - 1
                       ? (size_t)left
                       : SCAN_BLOCK + GCOL_MAGIC_LEN - 1;
        if (pread_all(fd, buf, n, at)) {
            rc = ds_error_set(err, DS_EIO, "cannot read '%s': %s", path,
                              strerror(errno));
            break;
        }
        for (const unsigned char *p = buf; rc == 0;) {
            size_t rest = n - (size_t)(p - buf);
            p = rest >= GCOL_MAGIC_LEN
                    ? memmem(p, rest, GCOL_MAGIC, GCOL_MAGIC_LEN)
                    : NULL;
            if (!p)
                break;
            rc = walk(h, fd, at + (uint64_t)(p - buf), path, err);
            p++;
        }
        if (n < SCAN_BLOCK + GCOL_MAGIC_LEN - 1)
            break;
        at += SCAN_BLOCK;
    }
    if (rc == 0 && h->n > 0)
        sort_objs(h->obj, h->n);
done:
    free(buf);
    close(fd);
    if (rc) {
        ds_results_heap_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

int ds_results_heap_check(const ds_results_heap_t *h,
                          const unsigned char *ref, size_t n,
                          const char *file, const char *what,
                          ds_error_t *err)
{
    for (size_t i = 0; i < n; i++, ref += REF_SIZE) {
        uint64_t len = le(ref, 4), addr = le(ref + 4, 8);
        uint32_t idx = (uint32_t)le(ref + 12, 4);
        if (addr == 0 && len == 0)
            continue; /* no string (written as "" by dyadseq) */
        heap_obj_t key = {addr, idx, 0};
        const heap_obj_t *o = h->n ? bsearch(&key, h->obj, h->n,
                                             sizeof *h->obj, cmp_obj)
                                   : NULL;
        if (!o || o->size != len)
            return ds_error_set(err, DS_EDATA, "%s is damaged: string %zu "
                                "of %s %s", file, i, what,
                                o ? "has the wrong length"
                                  : "points outside the string heap");
    }
    return 0;
}

/* Check the references of a contiguous dataset of n strings. */
static int check_contiguous(const ds_results_heap_t *h, int fd, hid_t dset,
                            size_t n, const char *file, const char *what,
                            ds_error_t *err)
{
    haddr_t at = H5Dget_offset(dset);
    H5Eclear2(H5E_DEFAULT);
    if (at == HADDR_UNDEF || n == 0)
        return 0; /* never written: HDF5 gives no strings */
    if (n > h->file_size / REF_SIZE || at > h->file_size - n * REF_SIZE)
        return ds_error_set(err, DS_EDATA, "%s is damaged: %s lies beyond "
                            "the end of the file", file, what);
    unsigned char *raw = malloc(n * REF_SIZE);
    if (!raw)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int rc = pread_all(fd, raw, n * REF_SIZE, at)
                 ? ds_error_set(err, DS_EIO, "cannot read '%s'", file)
                 : ds_results_heap_check(h, raw, n, file, what, err);
    free(raw);
    return rc;
}

/* Inflate a chunk stored with HDF5's deflate filter (zlib format). */
static int inflate_chunk(const unsigned char *in, size_t in_len,
                         unsigned char *out, size_t out_len)
{
    uLongf got = out_len;
    if (uncompress(out, &got, in, in_len) != Z_OK || got != out_len)
        return -1;
    return 0;
}

/*
 * The filters of a chunked string dataset as dyadseq writes them: none,
 * deflate alone (files before December 2026), or HDF5's shuffle of the
 * 16-byte references and then deflate. *shuffle is the shuffle's filter
 * index or -1, *deflate the deflate's or -1. 0 for any other pipeline.
 */
static int string_filters(hid_t dcpl, int *shuffle, int *deflate)
{
    int nf = H5Pget_nfilters(dcpl);
    *shuffle = *deflate = -1;
    if (nf < 0 || nf > 2)
        return 0;
    for (int k = 0; k < nf; k++) {
        unsigned flags, cd[4] = {0};
        size_t nelem = 4;
        H5Z_filter_t f = H5Pget_filter2(dcpl, (unsigned)k, &flags, &nelem,
                                        cd, 0, NULL, NULL);
        if (f == H5Z_FILTER_SHUFFLE && k == 0 && nf == 2 && nelem >= 1 &&
            cd[0] == REF_SIZE)
            *shuffle = k;
        else if (f == H5Z_FILTER_DEFLATE && k == nf - 1)
            *deflate = k;
        else
            return 0;
    }
    return 1;
}

/* Check the references of a chunked string dataset, chunk by chunk. */
static int check_chunked(const ds_results_heap_t *h, int fd, hid_t dset,
                         hid_t dcpl, const char *file, const char *what,
                         ds_error_t *err)
{
    hsize_t chunk[1], nchunks = 0;
    int shuffled, deflated;
    if (H5Pget_chunk(dcpl, 1, chunk) != 1 ||
        !string_filters(dcpl, &shuffled, &deflated)) {
        H5Eclear2(H5E_DEFAULT);
        return 0; /* not a layout dyadseq writes: left to HDF5 */
    }
    hid_t space = H5Dget_space(dset);
    if (space < 0 || H5Dget_num_chunks(dset, space, &nchunks) < 0) {
        if (space >= 0)
            H5Sclose(space);
        return ds_results_h5_error(err, file, "cannot read %s", what);
    }
    size_t raw_len = (size_t)chunk[0] * REF_SIZE;
    unsigned char *raw = malloc(raw_len ? raw_len : 1);
    unsigned char *in = malloc(raw_len + 1024);
    unsigned char *plain = malloc(raw_len ? raw_len : 1);
    int rc = raw && in && plain
                 ? 0
                 : ds_error_set(err, DS_ENOMEM, "out of memory");
    for (hsize_t i = 0; i < nchunks && rc == 0; i++) {
        hsize_t off[1];
        unsigned mask = 0;
        haddr_t at;
        hsize_t size;
        if (H5Dget_chunk_info(dset, space, i, off, &mask, &at, &size) < 0) {
            rc = ds_results_h5_error(err, file, "cannot read %s", what);
            break;
        }
        /* a bit of the mask set: that filter was skipped for the chunk */
        int inflate = deflated >= 0 && !(mask & (1u << deflated));
        int unshuf = shuffled >= 0 && !(mask & (1u << shuffled));
        if (size > (inflate ? raw_len + 1024 : raw_len) || at == HADDR_UNDEF ||
            at > h->file_size || size > h->file_size - at) {
            rc = ds_error_set(err, DS_EDATA, "%s is damaged: a chunk of %s "
                              "lies out of bounds", file, what);
            break;
        }
        if (pread_all(fd, inflate ? in : raw, (size_t)size, at)) {
            rc = ds_error_set(err, DS_EIO, "cannot read '%s'", file);
            break;
        }
        if (inflate ? inflate_chunk(in, (size_t)size, raw, raw_len) != 0
                    : size != raw_len)
            rc = ds_error_set(err, DS_EDATA, "%s is damaged: a chunk of %s "
                              "does not inflate", file, what);
        else {
            if (unshuf)
                ds_results_unshuffle(raw, raw_len, REF_SIZE, plain);
            rc = ds_results_heap_check(h, unshuf ? plain : raw,
                                       (size_t)chunk[0], file, what, err);
        }
    }
    H5Sclose(space);
    free(raw);
    free(in);
    free(plain);
    return rc;
}

int ds_results_heap_check_dataset(const ds_results_heap_t *h,
                                  const char *file, hid_t dset, size_t n,
                                  const char *what, ds_error_t *err)
{
    hid_t dcpl = H5Dget_create_plist(dset);
    if (dcpl < 0)
        return ds_results_h5_error(err, file, "cannot read %s", what);
    H5D_layout_t layout = H5Pget_layout(dcpl);
    int rc = 0;
    if (layout == H5D_CONTIGUOUS || layout == H5D_CHUNKED) {
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            rc = ds_error_set(err, DS_EIO, "cannot open '%s': %s", file,
                              strerror(errno));
        else if (layout == H5D_CONTIGUOUS)
            rc = check_contiguous(h, fd, dset, n, file, what, err);
        else
            rc = check_chunked(h, fd, dset, dcpl, file, what, err);
        if (fd >= 0)
            close(fd);
    }
    H5Pclose(dcpl);
    return rc;
}
