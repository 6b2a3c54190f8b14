/*
 * mpi_ingest.c — every rank of the MPI program reads its share of the
 * input (ds_dist_ingest_load, dist.h).
 *
 * The inputs, in order, are one stream of bytes cut into P ranges of
 * about equal length, each moved forward to the start of a line: rank r
 * finds the start of its own range (the first line feed at or after r/P
 * of the bytes) and the ranks exchange them. A rank parses its range in
 * pieces of about 1 MiB on its OpenMP threads, with the same row code as
 * the one-thread reader (ingest_csv.c, ingest_rows.c), each piece into an
 * ingest of its own, as the parallel reader does for threads
 * (ingest_parallel.c); a file's header is read by every rank that has
 * part of the file, and the rank that has a file's first byte hashes the
 * whole file. The pieces, packed, go to every rank, and every rank merges
 * them in file order (ingest_merge_piece, the parallel reader's merge)
 * into the corpus one process would read.
 *
 * What this cannot judge exactly as the one-thread reader would (any
 * message about the data, a quoted field, a line longer than a chunk, an
 * empty file, a seam between pieces where a message would fall) makes
 * every rank read every input with ds_ingest_load instead: the results
 * and every message are then the serial program's by construction.
 */
#define _GNU_SOURCE /* memrchr */
#include "mpi_internal.h"
#include "ingest_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "sha256.h"

#define CHUNK ((size_t)32 << 20) /* bytes read at a time */
#define PIECE ((size_t)1 << 20)  /* bytes parsed by one task */
#define FALLBACK INGEST_FALLBACK

enum { REC_FILE = 1, REC_PIECE = 2 };

/* ---- packing -------------------------------------------------------- */

static void put_u64(ds_pack_t *b, uint64_t v)
{
    ds_pack_put(b, &v, sizeof v);
}

static uint64_t get_u64(ds_unpack_t *c)
{
    uint64_t v = 0;
    const void *p = ds_unpack_take(c, sizeof v);
    if (p)
        memcpy(&v, p, sizeof v);
    return v;
}

/* ---- this rank's share ---------------------------------------------- */

typedef struct share {
    const ds_ingest_opts_t *opts;
    char **paths;
    size_t n;
    uint64_t *cum;       /* [n + 1]: where each file starts in the stream */
    int threads;
    ds_ingest_t *hg;     /* headers parsed here */
    ds_pack_t out;       /* the packed records */
} share_t;

/* The first line start at or after offset g of the stream (its end if
 * none); FALLBACK when a file cannot be read. */
static int line_start(const share_t *x, uint64_t g, uint64_t *out)
{
    size_t f = 0;
    while (f < x->n && x->cum[f + 1] <= g)
        f++;
    if (f == x->n || g == x->cum[f]) {
        *out = f == x->n ? x->cum[x->n] : g;
        return DS_OK;
    }
    FILE *fp = fopen(x->paths[f], "rb");
    if (!fp)
        return FALLBACK;
    uint64_t pos = g - x->cum[f] - 1; /* the byte before: a line feed? */
    unsigned char b[1 << 16];
    int rc = fseeko(fp, (off_t)pos, SEEK_SET) ? FALLBACK : DS_OK;
    *out = x->cum[f + 1];
    while (rc == DS_OK) {
        size_t k = fread(b, 1, sizeof b, fp);
        const unsigned char *nl = memchr(b, '\n', k);
        if (nl) {
            *out = x->cum[f] + pos + (uint64_t)(nl - b) + 1;
            break;
        }
        if (k < sizeof b) {
            rc = ferror(fp) ? FALLBACK : DS_OK;
            break;
        }
        pos += k;
    }
    fclose(fp);
    return rc;
}

/* A piece of a file parsed into an ingest of its own. */
typedef struct item {
    const unsigned char *data;
    size_t len;
    ds_ingest_t *pb;
    size_t end_line, n_rows;
    int rc;
} item_t;

static void parse_item(item_t *it, const ingest_csv_t *hdr, const char *name,
                       const ds_ingest_opts_t *opts)
{
    ds_error_t err;
    ds_diag_t d;
    ds_diag_init(&d, 1);
    ingest_csv_t c = *hdr; /* the file's columns and header names */
    it->pb = ds_ingest_alloc(opts);
    if (!it->pb || ingest_src_begin(&c.src, it->pb, name, &d, &err)) {
        it->rc = DS_ENOMEM;
        ds_diag_clear(&d);
        return;
    }
    memcpy(c.src.has, hdr->src.has, sizeof c.src.has);
    int rc = ds_csv_read_block(it->data, it->len, name, 1, 1, ingest_csv_row,
                               &c, &it->end_line, &d, &err);
    ingest_src_clear(&c.src);
    it->n_rows = c.src.n_rows;
    if (rc == DS_ENOMEM || d.oom)
        it->rc = DS_ENOMEM;
    else if (rc || d.n_errors || d.n_warnings)
        it->rc = FALLBACK;
    ds_diag_clear(&d);
}

/* Pack a parsed piece of file f. */
static void pack_piece(ds_pack_t *b, size_t f, const item_t *it,
                       const ingest_csv_t *hdr)
{
    int has_time = hdr->src.has[DS_INGEST_TIME];
    int has_dur = hdr->src.has[DS_INGEST_DURATION];
    unsigned char type = REC_PIECE, flags = (unsigned char)(has_time |
                                                            has_dur << 1);
    ds_pack_put(b, &type, 1);
    put_u64(b, f);
    put_u64(b, it->end_line);
    put_u64(b, it->n_rows);
    ds_pack_put(b, &flags, 1);
    put_u64(b, it->pb->n_s);
    for (size_t i = 0; i < it->pb->n_s; i++) {
        const ingest_session_t *s = &it->pb->s[i];
        put_u64(b, s->couple_len);
        ds_pack_put(b, s->couple, s->couple_len);
        put_u64(b, s->label_len);
        ds_pack_put(b, s->label, s->label_len);
        put_u64(b, s->first_line);
        put_u64(b, s->n);
        ds_pack_put(b, s->state, s->n * sizeof *s->state);
        ds_pack_put(b, s->line, s->n * sizeof *s->line);
        if (has_time)
            ds_pack_put(b, s->onset, s->n * sizeof *s->onset);
        if (has_dur)
            ds_pack_put(b, s->duration, s->n * sizeof *s->duration);
        /* the observation period its rows gave, if any */
        put_u64(b, s->n_periods);
        ds_pack_put(b, s->period, 2 * s->n_periods * sizeof *s->period);
        put_u64(b, s->period_line);
    }
}

/* Cut data[0..len) (whole lines) into pieces at line feeds, parse them on
 * the threads, pack them in order. */
static int parse_block(share_t *x, size_t f, const ingest_csv_t *hdr,
                       const unsigned char *data, size_t len)
{
    size_t max = len / PIECE + 2, n = 0;
    item_t *items = calloc(max, sizeof *items);
    if (!items)
        return DS_ENOMEM;
    for (size_t pos = 0; pos < len && n < max;) {
        size_t e = pos + PIECE < len ? pos + PIECE : len;
        if (e < len) {
            const unsigned char *nl = memchr(data + e, '\n', len - e);
            e = nl ? (size_t)(nl - data) + 1 : len;
        }
        items[n++] = (item_t){.data = data + pos, .len = e - pos};
        pos = e;
    }
    long ni = (long)n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(x->threads)
    for (long i = 0; i < ni; i++)
        parse_item(&items[i], hdr, x->paths[f], x->opts);
    int rc = DS_OK;
    for (size_t i = 0; i < n; i++) {
        if (!rc)
            rc = items[i].rc;
        if (!rc)
            pack_piece(&x->out, f, &items[i], hdr);
        ds_ingest_free(items[i].pb);
    }
    free(items);
    return rc ? rc : x->out.oom ? DS_ENOMEM : DS_OK;
}

/*
 * The header of file f from the first bytes of the file, p[0..n): its
 * line (after a byte-order mark) parsed into hdr; *hstart and *hlen where
 * it is. FALLBACK when the one-thread reader would have something to say.
 */
static int read_header(share_t *x, size_t f, const unsigned char *p, size_t n,
                       ingest_csv_t *hdr, size_t *hstart, size_t *hlen,
                       ds_error_t *err)
{
    size_t pos = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (n == pos || ds_csv_looks_binary(p + pos, n - pos))
        return FALLBACK;
    const unsigned char *nl = memchr(p + pos, '\n', n - pos);
    if (!nl || memchr(p + pos, '"', (size_t)(nl - p) - pos))
        return FALLBACK;
    *hstart = pos;
    *hlen = (size_t)(nl - p) + 1 - pos;
    ds_diag_t d;
    ds_diag_init(&d, 1);
    size_t end_line;
    int rc = ingest_src_begin(&hdr->src, x->hg, x->paths[f], NULL, err);
    hdr->src.diag = &d;
    if (!rc)
        rc = ds_csv_read_block(p + pos, *hlen, x->paths[f], 1, 0,
                               ingest_csv_row, hdr, &end_line, &d, err);
    if (!rc && (hdr->header_bad || d.n_errors || hdr->n_header == 0))
        rc = FALLBACK;
    hdr->src.diag = NULL;
    ds_diag_clear(&d);
    return rc == DS_ENOMEM || rc == FALLBACK ? rc : rc ? FALLBACK : DS_OK;
}

/* The SHA-256 of file f, read from its start, into hex. */
static int hash_file(FILE *fp, unsigned char *buf, char *hex)
{
    ds_sha256_t h;
    ds_sha256_init(&h);
    size_t k;
    if (fseeko(fp, 0, SEEK_SET))
        return FALLBACK;
    while ((k = fread(buf, 1, CHUNK, fp)) > 0)
        ds_sha256_update(&h, buf, k);
    ds_sha256_final_hex(&h, hex);
    return ferror(fp) ? FALLBACK : DS_OK;
}

/* The rows of bytes [pos, to) of fp (whole lines), chunk after chunk. */
static int read_rows(share_t *x, size_t f, FILE *fp, const ingest_csv_t *hdr,
                     uint64_t pos, uint64_t to, unsigned char *buf)
{
    if (pos >= to)
        return DS_OK;
    if (fseeko(fp, (off_t)pos, SEEK_SET))
        return FALLBACK;
    size_t keep = 0; /* the start of a line, carried over */
    while (pos < to) {
        uint64_t left = to - pos - keep;
        size_t want = CHUNK - keep < left ? CHUNK - keep : (size_t)left;
        size_t k = fread(buf + keep, 1, want, fp);
        if (k < want)
            return FALLBACK; /* read error, or the file changed */
        size_t have = keep + k, use = have;
        if (pos + have < to) {
            const unsigned char *nl = memrchr(buf, '\n', have);
            if (!nl)
                return FALLBACK; /* a line longer than a chunk */
            use = (size_t)(nl - buf) + 1;
        }
        if (memchr(buf, '"', use))
            return FALLBACK; /* quoted fields may hold line feeds */
        int rc = parse_block(x, f, hdr, buf, use);
        if (rc)
            return rc;
        pos += use;
        keep = have - use;
        memmove(buf, buf + use, keep);
    }
    return DS_OK;
}

/*
 * Bytes [from, to) of file f: its header (read by every rank that has
 * part of the file), then its rows in pieces; with from = 0 the file's
 * record first (its header line and the SHA-256 of all its bytes).
 */
static int read_segment(share_t *x, size_t f, uint64_t from, uint64_t to,
                        unsigned char *buf, ds_error_t *err)
{
    FILE *fp = fopen(x->paths[f], "rb");
    if (!fp)
        return FALLBACK;
    ingest_csv_t hdr;
    ingest_csv_init(&hdr);
    size_t got = fread(buf, 1, CHUNK, fp), hstart = 0, hlen = 0;
    int rc = ferror(fp) ? FALLBACK
                        : read_header(x, f, buf, got, &hdr, &hstart, &hlen,
                                      err);
    if (!rc && from == 0) { /* the file's record, before its pieces */
        unsigned char type = REC_FILE;
        ds_pack_put(&x->out, &type, 1);
        put_u64(&x->out, f);
        put_u64(&x->out, hlen);
        ds_pack_put(&x->out, buf + hstart, hlen);
        char hex[65];
        if (!(rc = hash_file(fp, buf, hex)))
            ds_pack_put(&x->out, hex, sizeof hex);
    }
    uint64_t pos = hstart + hlen > from ? hstart + hlen : from;
    if (!rc)
        rc = read_rows(x, f, fp, &hdr, pos, to, buf);
    fclose(fp);
    ingest_csv_clear(&hdr);
    return rc ? rc : x->out.oom ? DS_ENOMEM : DS_OK;
}

/* This rank's share of the stream, parsed and packed into x->out. */
static int read_share(share_t *x, const ds_dist_t *d, ds_error_t *err)
{
    int P = ds_dist_size(d), me = ds_dist_rank(d);
    uint64_t total = x->cum[x->n], mine[2] = {DS_OK, 0};
    /* where my range starts: the first line start at or after me/P */
    if (me > 0)
        mine[0] = (uint64_t)line_start(
            x, (uint64_t)((long double)total * me / P), &mine[1]);
    unsigned char *all = NULL;
    size_t *len = malloc((size_t)P * sizeof *len);
    uint64_t *at = malloc(((size_t)P + 1) * sizeof *at);
    int rc = len && at ? DS_OK : ds_error_set(err, DS_ENOMEM,
                                              "out of memory");
    if (!(rc = ds_dist_agree(d, rc, err)))
        rc = ds_dist_allgather(d, mine, sizeof mine, &all, len, err);
    for (int r = 0; !rc && r < P; r++) {
        uint64_t v[2];
        memcpy(v, all + r * sizeof mine, sizeof v);
        if (v[0])
            rc = FALLBACK; /* the one-thread reader says why */
        at[r] = v[1];
        if (r > 0 && at[r] < at[r - 1]) /* a line longer than a range */
            at[r] = at[r - 1];
    }
    free(all);
    free(len);
    if (!rc) {
        at[P] = total;
        unsigned char *buf = malloc(CHUNK);
        if (!buf)
            rc = DS_ENOMEM;
        for (size_t f = 0; !rc && f < x->n; f++) {
            uint64_t a = at[me] > x->cum[f] ? at[me] : x->cum[f];
            uint64_t b = at[me + 1] < x->cum[f + 1] ? at[me + 1]
                                                    : x->cum[f + 1];
            if (a < b)
                rc = read_segment(x, f, a - x->cum[f], b - x->cum[f], buf,
                                  err);
        }
        free(buf);
    }
    free(at);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    return rc;
}

/* ---- every rank merges every rank's pieces -------------------------- */

/* Unpack a piece's sessions into an ingest of their own. */
static ds_ingest_t *unpack_piece(ds_unpack_t *c,
                                 const ds_ingest_opts_t *opts,
                                 size_t *end_line, size_t *n_rows)
{
    *end_line = (size_t)get_u64(c);
    *n_rows = (size_t)get_u64(c);
    const unsigned char *fl = ds_unpack_take(c, 1);
    int has_time = fl && (*fl & 1), has_dur = fl && (*fl & 2);
    size_t n_s = (size_t)get_u64(c);
    ds_ingest_t *pb = ds_ingest_alloc(opts);
    char *key = NULL;
    size_t key_cap = 0, kl;
    for (size_t i = 0; pb && !c->bad && i < n_s; i++) {
        size_t lc = (size_t)get_u64(c);
        const char *couple = ds_unpack_take(c, lc);
        size_t ll = (size_t)get_u64(c);
        const char *label = ds_unpack_take(c, ll);
        size_t first_line = (size_t)get_u64(c), n = (size_t)get_u64(c);
        size_t idx = INGEST_NONE;
        if (!c->bad && !ingest_key(&key, &key_cap, couple, lc, label, ll,
                                   &kl))
            idx = ingest_session_add(pb, key, kl);
        if (idx == INGEST_NONE)
            break;
        ingest_session_t *s = &pb->s[idx];
        s->couple = strndup(couple, lc);
        s->label = strndup(label, ll);
        s->couple_len = lc;
        s->label_len = ll;
        s->first_line = first_line;
        s->keep_lines = 1;
        s->n = s->cap = n;
#define ARRAY_(field, present)                                               \
    if (present && n) {                                                      \
        const void *v_ = ds_unpack_take(c, n * sizeof *s->field);            \
        if (v_ && (s->field = malloc(n * sizeof *s->field)))                 \
            memcpy(s->field, v_, n * sizeof *s->field);                      \
        else                                                                 \
            c->bad = 1;                                                      \
    }
        ARRAY_(state, 1)
        ARRAY_(line, 1)
        ARRAY_(onset, has_time)
        ARRAY_(duration, has_dur)
#undef ARRAY_
        if (n && !(s->file = calloc(n, sizeof *s->file)))
            c->bad = 1;
        size_t np = (size_t)get_u64(c);
        const void *pv =
            np ? ds_unpack_take(c, 2 * np * sizeof *s->period) : NULL;
        if (np && pv && (s->period = malloc(2 * np * sizeof *s->period))) {
            memcpy(s->period, pv, 2 * np * sizeof *s->period);
            s->n_periods = np;
        } else if (np) {
            c->bad = 1;
        }
        s->period_line = (size_t)get_u64(c);
        if (!s->couple || !s->label)
            c->bad = 1;
    }
    free(key);
    if (!pb || c->bad) {
        ds_ingest_free(pb);
        return NULL;
    }
    return pb;
}

/* A file's record: its header parsed into g (registering the file, as
 * file f), its SHA-256. */
static int merge_file(ds_ingest_t *g, ds_unpack_t *c, char **paths,
                      size_t f, size_t *base_line, ds_diag_t *hdiag,
                      ds_error_t *err)
{
    size_t hl = (size_t)get_u64(c), end_line;
    const unsigned char *h = ds_unpack_take(c, hl);
    const char *hex = ds_unpack_take(c, 65);
    if (!h || !hex)
        return DS_ENOMEM;
    ingest_csv_t hdr;
    ingest_csv_init(&hdr);
    int rc = ingest_src_begin(&hdr.src, g, paths[f], NULL, err);
    if (!rc && hdr.src.file != f)
        rc = FALLBACK;
    hdr.src.diag = hdiag;
    size_t errors = hdiag->n_errors;
    if (!rc)
        rc = ds_csv_read_block(h, hl, paths[f], 1, 0, ingest_csv_row, &hdr,
                               &end_line, hdiag, err);
    if (rc && rc != DS_ENOMEM)
        rc = FALLBACK;
    if (!rc && (hdr.header_bad || hdiag->n_errors > errors ||
                hdr.n_header == 0))
        rc = FALLBACK;
    if (!rc) {
        *base_line = end_line;
        memcpy(g->sha[f], hex, 65);
        g->sha[f][64] = '\0';
    }
    ingest_csv_clear(&hdr);
    return rc;
}

/* Every rank's records, in rank order (the order of the files and of
 * the lines in them), into g. */
static int merge_all(ds_ingest_t *g, share_t *x, const unsigned char *all,
                     const size_t *len, int P, ds_diag_t *hdiag,
                     ds_error_t *err)
{
    size_t *base = calloc(x->n + 1, sizeof *base);
    size_t *rows = calloc(x->n + 1, sizeof *rows);
    char *key = NULL;
    size_t key_cap = 0, off = 0, started = 0;
    int rc = base && rows ? DS_OK : DS_ENOMEM;
    for (int r = 0; !rc && r < P; off += len[r], r++) {
        ds_unpack_t c = {.p = all + off, .end = all + off + len[r]};
        while (!rc && c.p < c.end) {
            const unsigned char *type = ds_unpack_take(&c, 1);
            size_t f = (size_t)get_u64(&c), end_line, n_rows;
            if (!type || f >= x->n) {
                rc = DS_ENOMEM; /* cannot happen: a corrupt exchange */
            } else if (*type == REC_FILE) {
                rc = f == started ? merge_file(g, &c, x->paths, f, &base[f],
                                               hdiag, err)
                                  : FALLBACK;
                started++;
            } else {
                ds_ingest_t *pb = f < started ? unpack_piece(&c, x->opts,
                                                             &end_line,
                                                             &n_rows)
                                              : NULL;
                rc = !pb ? DS_ENOMEM
                         : ingest_merge_piece(g, pb, f, &base[f], end_line,
                                              &key, &key_cap);
                rows[f] += pb ? n_rows : 0;
                ds_ingest_free(pb);
            }
        }
    }
    for (size_t f = 0; !rc && f < x->n; f++)
        if (f >= started || rows[f] == 0)
            rc = FALLBACK; /* "no data rows (header only)" */
    free(base);
    free(rows);
    free(key);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    return rc;
}

/* ---- the whole ------------------------------------------------------ */

/* Paths that every rank can read: regular files. */
static int shareable(char **paths, size_t n, uint64_t *cum, ds_error_t *err)
{
    cum[0] = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0)
            return ds_error_set(err, DS_EUSAGE, "standard input ('-') cannot "
                                "be read by several MPI processes; give the "
                                "transcripts as files");
        if (stat(paths[i], &st) != 0)
            return FALLBACK; /* the one-thread reader says why */
        if (!S_ISREG(st.st_mode))
            return ds_error_set(err, DS_EUSAGE, "'%s' is not a regular file "
                                "and cannot be read by several MPI "
                                "processes", paths[i]);
        if (st.st_size == 0)
            return FALLBACK;
        cum[i + 1] = cum[i] + (uint64_t)st.st_size;
    }
    return DS_OK;
}

/* The shared read, or FALLBACK. */
static int load_shared(const ds_dist_t *d, share_t *x, ds_corpus_t **out,
                       ds_diag_t *diag, ds_error_t *err)
{
    int P = ds_dist_size(d);
    int rc = read_share(x, d, err);
    unsigned char *all = NULL;
    size_t *len = malloc((size_t)P * sizeof *len);
    if (!rc && x->out.oom)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    if (!rc && !len)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    if ((rc = ds_dist_agree(d, rc, err)) == DS_OK)
        rc = ds_dist_allgather(d, x->out.p, x->out.n, &all, len, err);
    free(x->out.p);
    x->out = (ds_pack_t){0};
    ds_ingest_t *g = rc ? NULL : ds_ingest_alloc(x->opts);
    ds_diag_t hdiag;
    ds_diag_init(&hdiag, 50);
    if (!rc && !g)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    if (!rc)
        rc = merge_all(g, x, all, len, P, &hdiag, err);
    free(all);
    free(len);
    if (!rc && (hdiag.n_warnings > hdiag.n_warnings_kept || hdiag.oom))
        rc = FALLBACK;
    for (size_t i = 0; !rc && i < hdiag.n_warnings_kept; i++)
        ds_diag_warning(diag, NULL, 0, NULL, "%s", hdiag.warnings[i]);
    if (!rc)
        rc = ds_ingest_finish(g, out, diag, err);
    ds_diag_clear(&hdiag);
    ds_ingest_free(g);
    return ds_dist_agree(d, rc, err);
}

int ds_dist_ingest_load(const ds_dist_t *d, const char *const *args,
                        size_t n_args, const ds_ingest_opts_t *opts,
                        ds_corpus_t **out, int *shared, ds_diag_t *diag,
                        ds_error_t *err)
{
    *out = NULL;
    if (shared)
        *shared = 0;
    if (!d)
        return ds_ingest_load(args, n_args, opts, out, diag, err);
    /* the pieces travel with their lines (pack_piece) */
    ds_ingest_opts_t with_lines = *opts;
    with_lines.drop_lines = 0;
    opts = &with_lines;
    share_t x = {.opts = opts};
    int rc = ingest_paths_alloc(args, n_args, &x.paths, &x.n, err);
    if (rc)
        return rc;
    x.cum = malloc((x.n + 1) * sizeof *x.cum);
    x.hg = ds_ingest_alloc(opts);
#ifdef _OPENMP
    x.threads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
#else
    x.threads = 1;
#endif
    rc = x.cum && x.hg ? shareable(x.paths, x.n, x.cum, err)
                       : ds_error_set(err, DS_ENOMEM, "out of memory");
    if (rc == DS_OK && opts->n_actors * opts->codebook->n > 65535)
        rc = FALLBACK;
    if (rc == DS_OK)
        rc = load_shared(d, &x, out, diag, err);
    if (rc == DS_OK && shared)
        *shared = 1;
    if (rc == FALLBACK) {
        /* every rank reads everything, as one process would */
        ds_corpus_free(*out);
        *out = NULL;
        if (err)
            err->code = 0;
        rc = ds_ingest_load(args, n_args, opts, out, diag, err);
    }
    free(x.out.p);
    free(x.cum);
    ds_ingest_free(x.hg);
    ingest_paths_free(x.paths, x.n);
    return rc;
}
