/*
 * ingest_parallel.c — the parallel reader of ds_ingest_load.
 *
 * Files are read in rounds of a few MiB and cut into pieces at line feeds;
 * each piece is parsed into an ingest of its own by the same row code as
 * the one-thread reader (ingest_csv.c, ingest_rows.c), on all threads, and
 * the pieces are merged in file order, so the corpus is the same at any
 * thread count. The reader handles only what it can judge exactly as the
 * one-thread reader would: anything else (a problem in the data, a quoted
 * field, a line longer than a chunk, standard input or another file that
 * cannot be read twice) returns INGEST_FALLBACK, and ds_ingest_load starts
 * again with the one-thread reader, which then reports. Messages and
 * results therefore never depend on the thread count.
 */
#define _GNU_SOURCE /* memrchr */
#include "ingest_internal.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define PIECE_BYTES ((size_t)1 << 20)    /* a task: about 25,000 rows */
#define ROUND_PIECES 4                   /* pieces per thread and round */

/* One input being read: its header's columns, digest and unread tail. */
typedef struct fstate {
    const char *name;
    size_t file;              /* index in the ingest */
    FILE *fp;
    ingest_csv_t hdr;         /* columns and header names of the file */
    ds_sha256_t hash;
    unsigned char *tail;      /* bytes after the last cut, for the next read */
    size_t tail_len;
    size_t base_line;         /* line on which the next piece starts */
    size_t n_rows;            /* data rows merged so far */
    size_t left;              /* bytes not read yet, as the size said */
    int started, eof, done;
    size_t hash_seq;          /* chunks given to the hash so far */
    atomic_size_t hash_next;  /* chunks hashed so far (in order) */
} fstate_t;

struct round;

/* A task of a round: parse a piece, or hash a chunk (hash != NULL, the
 * file's chunk hash_seq, hashed once chunk hash_seq - 1 is). */
typedef struct item {
    fstate_t *f;
    const unsigned char *data;
    size_t len;
    ds_sha256_t *hash;
    size_t hash_seq;
    struct round *round;      /* whose count of finished items it adds to */
    ds_ingest_t *pb;          /* the piece's events */
    size_t end_line, n_rows;
    int rc;                   /* DS_OK, INGEST_FALLBACK or a DS_E* code */
} item_t;

static void run_item(item_t *it, const ds_ingest_opts_t *opts)
{
    if (it->hash) {
        ds_sha256_update(it->hash, it->data, it->len);
        return;
    }
    ds_error_t err;
    ds_diag_t d;
    ds_diag_init(&d, 1);
    ingest_csv_t c = it->f->hdr; /* the file's columns and header names */
    it->pb = ds_ingest_alloc(opts);
    if (!it->pb || ingest_src_begin(&c.src, it->pb, it->f->name, &d, &err)) {
        it->rc = DS_ENOMEM;
        ds_diag_clear(&d);
        return;
    }
    memcpy(c.src.has, it->f->hdr.src.has, sizeof c.src.has);
    /* lines are counted from 1 here and shifted when merged; row indices
     * from 1 so that no row is taken for a header */
    int rc = ds_csv_read_block(it->data, it->len, it->f->name, 1, 1,
                               ingest_csv_row, &c, &it->end_line, &d, &err);
    ingest_src_clear(&c.src);
    it->n_rows = c.src.n_rows;
    if (rc == DS_ENOMEM || d.oom)
        it->rc = DS_ENOMEM;
    else if (rc || d.n_errors || d.n_warnings)
        it->rc = INGEST_FALLBACK;
    ds_diag_clear(&d);
}

/* Append the events of piece session p to session s of the same study,
 * lines shifted by `shift`, all from file `file`. */
static int append_events(ingest_session_t *s, const ingest_session_t *p, size_t shift,
                         size_t file, int has_time, int has_dur)
{
    size_t n = s->n + p->n;
#define APPEND(field)                                                        \
    do {                                                                     \
        void *q_ = realloc(s->field, n * sizeof *s->field);                  \
        if (!q_)                                                             \
            return -1;                                                       \
        s->field = q_;                                                       \
        memcpy(s->field + s->n, p->field, p->n * sizeof *s->field);          \
    } while (0)
    APPEND(state);
    if (s->line) {
        APPEND(line);
        APPEND(file);
    }
    if (has_time)
        APPEND(onset);
    if (has_dur)
        APPEND(duration);
#undef APPEND
    for (size_t i = s->n; s->line && i < n; i++) {
        s->line[i] += (uint32_t)shift;
        s->file[i] = (uint32_t)file;
    }
    if (p->n) {
        s->ev_line = p->ev_line + shift;
        s->ev_file = file;
    }
    s->n = s->cap = n;
    return 0;
}

int ingest_merge_piece(ds_ingest_t *g, ds_ingest_t *pg, size_t file,
                       size_t *base_line, size_t end_line, char **key,
                       size_t *key_cap)
{
    size_t shift = *base_line - 1, kl;
    int has_time = g->has_col[DS_INGEST_TIME];
    int has_dur = g->has_col[DS_INGEST_DURATION];
    if (*base_line + end_line > UINT32_MAX)
        return INGEST_FALLBACK;
    for (size_t i = 0; i < pg->n_s; i++) {
        ingest_session_t *p = &pg->s[i];
        if (ingest_key(key, key_cap, p->couple, p->couple_len, p->label,
                       p->label_len, &kl))
            return DS_ENOMEM;
        size_t idx = ds_strmap_get(g->map, *key, kl);
        if (idx == INGEST_NONE) {
            if ((idx = ingest_session_add(g, *key, kl)) == INGEST_NONE)
                return DS_ENOMEM;
            ingest_session_t *s = &g->s[idx];
            *s = *p; /* the arrays move over */
            memset(p, 0, sizeof *p);
            ingest_session_shrink(s);
            for (size_t e = 0; s->line && e < s->n; e++) {
                s->line[e] += (uint32_t)shift;
                s->file[e] = (uint32_t)file;
            }
            s->ev0_line += shift;
            s->ev_line += shift;
            s->ev0_file = s->ev_file = file;
            s->first_file = s->last_file = file;
            s->first_line += shift;
            s->dup_reported = INGEST_NONE;
            s->period_file = file;
            s->period_line += shift;
            continue;
        }
        ingest_session_t *s = &g->s[idx];
        if (s->last_file != file && !g->opts.merge)
            return INGEST_FALLBACK; /* "session also appears in ..." */
        if (has_time && !g->opts.sort && s->n && p->n &&
            p->onset[0] < s->onset[s->n - 1])
            return INGEST_FALLBACK; /* "time goes backwards" */
        if (p->n_periods && s->n_periods &&
            (p->n_periods != s->n_periods ||
             memcmp(p->period, s->period,
                    2 * p->n_periods * sizeof *p->period) != 0))
            return INGEST_FALLBACK; /* "observation period differs" */
        if (!s->line != !p->line)
            return INGEST_FALLBACK; /* (kept alike for a file's rows) */
        if (append_events(s, p, shift, file, has_time, has_dur))
            return DS_ENOMEM;
        if (p->n_periods && !s->n_periods) {
            s->period = p->period; /* moves over */
            s->n_periods = p->n_periods;
            s->period_file = file;
            s->period_line = p->period_line + shift;
            p->period = NULL;
            p->n_periods = 0;
        }
        s->last_file = file;
    }
    *base_line += end_line - 1;
    return DS_OK;
}

/* Merge a parsed piece into g in order (ingest_merge_piece). */
static int merge_piece(ds_ingest_t *g, item_t *it, char **key,
                       size_t *key_cap)
{
    fstate_t *f = it->f;
    int rc = ingest_merge_piece(g, it->pb, f->file, &f->base_line,
                                it->end_line, key, key_cap);
    if (rc == DS_OK)
        f->n_rows += it->n_rows;
    return rc;
}

static void fstate_close(fstate_t *f)
{
    if (f->fp)
        fclose(f->fp);
    f->fp = NULL;
    ingest_csv_clear(&f->hdr);
    free(f->tail);
    f->tail = NULL;
}

/* Read the next chunk of f (at most `want` new bytes) and cut it into
 * items. *buf receives the chunk (freed after the round). INGEST_FALLBACK
 * for anything the one-thread reader must judge. */
static int read_chunk(fstate_t *f, size_t want, size_t piece, unsigned char **buf, item_t *items,
                      size_t *n_items, size_t max_items, size_t *n_read,
                      ds_diag_t *hdiag, ds_error_t *err)
{
    unsigned char *p = malloc(f->tail_len + want + 1);
    *buf = p; /* NULL too: the slot is counted and freed with the round */
    if (!p)
        return ds_error_set(err, DS_ENOMEM, "out of memory reading %s",
                            f->name);
    if (f->tail_len)
        memcpy(p, f->tail, f->tail_len);
    size_t n = fread(p + f->tail_len, 1, want, f->fp);
    if (ferror(f->fp))
        return INGEST_FALLBACK; /* the one-thread reader words the error */
    f->eof = n < want;
    f->left = f->left > n ? f->left - n : 0;
    *n_read = n;
    if (n) {
        item_t *h = &items[(*n_items)++];
        memset(h, 0, sizeof *h);
        h->f = f;
        h->data = p + f->tail_len;
        h->len = n;
        h->hash = &f->hash;
        h->hash_seq = f->hash_seq++;
    }
    size_t len = f->tail_len + n, pos = 0;
    free(f->tail);
    f->tail = NULL;
    f->tail_len = 0;
    if (!f->started) {
        f->started = 1;
        if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            pos = 3;
        if (len == pos || ds_csv_looks_binary(p + pos, len - pos))
            return INGEST_FALLBACK;
        unsigned char *nl = memchr(p + pos, '\n', len - pos);
        if (!nl || memchr(p + pos, '"', (size_t)(nl - p) - pos))
            return INGEST_FALLBACK;
        size_t hl = (size_t)(nl - p) + 1 - pos, end_line;
        f->hdr.src.diag = hdiag;
        size_t errors = hdiag->n_errors;
        int rc = ds_csv_read_block(p + pos, hl, f->name, 1, 0,
                                   ingest_csv_row, &f->hdr, &end_line, hdiag,
                                   err);
        if (rc == DS_ENOMEM) /* from the row callback: no message yet */
            return ds_error_set(err, rc, "out of memory reading %s",
                                f->name);
        if (rc || f->hdr.header_bad || hdiag->n_errors > errors ||
            f->hdr.n_header == 0)
            return INGEST_FALLBACK;
        f->base_line = end_line;
        pos += hl;
    }
    if (memchr(p + pos, '"', len - pos))
        return INGEST_FALLBACK; /* quoted fields may hold line feeds */
    size_t end = len;
    if (!f->eof) {
        unsigned char *nl = memrchr(p + pos, '\n', len - pos);
        if (!nl)
            return INGEST_FALLBACK; /* a line longer than a chunk */
        end = (size_t)(nl - p) + 1;
        f->tail_len = len - end;
        if (f->tail_len) {
            if (!(f->tail = malloc(f->tail_len)))
                return ds_error_set(err, DS_ENOMEM, "out of memory");
            memcpy(f->tail, p + end, f->tail_len);
        }
    }
    while (pos < end) {
        size_t e = pos + piece < end ? pos + piece : end;
        if (e < end) {
            unsigned char *nl = memchr(p + e, '\n', end - e);
            e = nl ? (size_t)(nl - p) + 1 : end;
        }
        if (*n_items == max_items)
            return INGEST_FALLBACK; /* cannot happen: items are sized for it */
        item_t *it = &items[(*n_items)++];
        memset(it, 0, sizeof *it);
        it->f = f;
        it->data = p + pos;
        it->len = e - pos;
        pos = e;
    }
    return DS_OK;
}

/* The work of one round: its tasks, the chunks they point into, and the
 * files whose last chunk it holds (finished when it is merged). */
typedef struct round {
    item_t *items;
    size_t n_items, max_items;
    atomic_size_t done;          /* items finished (run, or skipped) */
    unsigned char **bufs;
    size_t n_bufs, max_bufs;
    size_t files_from, files_to; /* fs[files_from, files_to) end here */
} round_t;

typedef struct loader {
    ds_ingest_t *g;
    char **paths;
    size_t n, next;              /* next file to start reading */
    fstate_t *fs;
    size_t piece, round_bytes, ramp;
    ds_diag_t hdiag;             /* header warnings, replayed at the end */
    char *key;
    size_t key_cap;
} loader_t;

/* Free what a round holds and empty its slots: a later round that fails
 * half way (a chunk not allocated) leaves a counted slot that must not
 * still point at memory freed here, or the cleanup frees it twice. */
static void round_clear(round_t *r)
{
    for (size_t i = 0; i < r->n_items; i++) {
        ds_ingest_free(r->items[i].pb);
        r->items[i].pb = NULL;
    }
    for (size_t i = 0; i < r->n_bufs; i++) {
        free(r->bufs[i]);
        r->bufs[i] = NULL;
    }
    r->n_items = r->n_bufs = 0;
}

/* Read the next round: about round_bytes from the files in order (several
 * small files, or one chunk of a large one), cut into items. An empty
 * round when every file has been read. */
static int gather(loader_t *L, round_t *r, ds_error_t *err)
{
    size_t got = 0;
    /* the first rounds are small, so the threads start early: one piece a
     * thread, then twice as much each round up to round_bytes */
    size_t limit = L->ramp < L->round_bytes ? L->ramp : L->round_bytes;
    if (L->ramp < L->round_bytes)
        L->ramp *= 2;
    r->files_from = r->files_to = L->next;
    while (L->next < L->n && got < limit &&
           r->n_items + 8 < r->max_items && r->n_bufs < r->max_bufs) {
        fstate_t *f = &L->fs[L->next];
        int rc;
        if (!f->fp) {
            f->name = L->paths[L->next];
            if (!(f->fp = fopen(f->name, "rb")))
                return INGEST_FALLBACK; /* the one-thread reader says why */
            ingest_csv_init(&f->hdr);
            if ((rc = ingest_src_begin(&f->hdr.src, L->g, f->name, NULL,
                                       err)))
                return rc;
            f->file = f->hdr.src.file;
            ds_sha256_init(&f->hash);
            atomic_init(&f->hash_next, 0);
            struct stat st;
            f->left = fstat(fileno(f->fp), &st) == 0 && st.st_size >= 0
                          ? (size_t)st.st_size
                          : SIZE_MAX / 2;
        }
        size_t want = limit - got, got_now = 0;
        if (want < L->piece)
            want = L->piece;
        /* no buffer larger than the file: a small file's megabyte would
         * be untouched memory, but a whole huge page where malloc uses
         * them (cli_hugepages.c); one byte more shows the end */
        if (want > f->left + 1)
            want = f->left + 1;
        rc = read_chunk(f, want, L->piece, &r->bufs[r->n_bufs++], r->items,
                        &r->n_items, r->max_items, &got_now, &L->hdiag, err);
        if (rc)
            return rc;
        got += got_now;
        if (!f->eof)
            break; /* a large file: one chunk per round */
        r->files_to = ++L->next;
    }
    return DS_OK;
}

/* Merge a parsed round in order and finish the files that end in it. */
static int merge_round(loader_t *L, round_t *r, ds_error_t *err)
{
    int rc = DS_OK;
    for (size_t i = 0; i < r->n_items && rc == DS_OK; i++) {
        if (r->items[i].hash)
            continue;
        rc = r->items[i].rc;
        if (rc == DS_OK)
            rc = merge_piece(L->g, &r->items[i], &L->key, &L->key_cap);
        if (rc == DS_ENOMEM) /* the piece's parse or its merge */
            ds_error_set(err, rc, "out of memory reading %s",
                         r->items[i].f->name);
    }
    for (size_t i = r->files_from; rc == DS_OK && i < r->files_to; i++) {
        fstate_t *f = &L->fs[i];
        if (f->n_rows == 0) {
            rc = INGEST_FALLBACK; /* "no data rows (header only)" */
            break;
        }
        ds_sha256_final_hex(&f->hash, L->g->sha[f->file]);
        fstate_close(f);
        f->done = 1;
    }
    round_clear(r);
    return rc;
}

/*
 * The items of the rounds read and not yet taken, in order: a ring of
 * pointers that the calling thread fills (publish) and every thread takes
 * from (take). A slot is written again only once its round is merged,
 * when every item in it was taken and finished; three rounds are out at
 * most, so three rounds' items of slots suffice.
 */
typedef struct queue {
    item_t **slot;
    size_t cap;
    atomic_size_t published, taken;
    atomic_int stop;     /* a failure: items are skipped, not run */
    atomic_int finished; /* nothing more will be published */
} queue_t;

static void publish(queue_t *q, round_t *r)
{
    atomic_store_explicit(&r->done, 0, memory_order_relaxed);
    size_t p = atomic_load_explicit(&q->published, memory_order_relaxed);
    for (size_t i = 0; i < r->n_items; i++) {
        r->items[i].round = r;
        q->slot[(p + i) % q->cap] = &r->items[i];
    }
    atomic_store_explicit(&q->published, p + r->n_items,
                          memory_order_release);
}

/* The next item no thread has taken, or NULL. */
static item_t *take(queue_t *q)
{
    size_t t = atomic_load_explicit(&q->taken, memory_order_relaxed);
    while (t < atomic_load_explicit(&q->published, memory_order_acquire))
        if (atomic_compare_exchange_weak_explicit(&q->taken, &t, t + 1,
                                                  memory_order_acq_rel,
                                                  memory_order_relaxed))
            return q->slot[t % q->cap];
    return NULL;
}

/* A thread with nothing to do right now: yield the processor, and after a
 * while sleep in naps of 50 µs growing to 1.6 ms (a disk being read may
 * keep it waiting, and a machine of many cores would spend them on
 * waking up). *spins counts the waits since the thread last had work. */
static void idle(unsigned *spins)
{
    unsigned k = ++*spins;
    if (k < 1000) {
        sched_yield();
        return;
    }
    unsigned shift = (k - 1000) / 16;
    struct timespec nap = {0, 50000L << (shift < 5 ? shift : 5)};
    nanosleep(&nap, NULL);
}

/* Run a taken item (a file's chunks are hashed in order), or skip it
 * after a failure, and count it finished. */
static void work(queue_t *q, item_t *it, const ds_ingest_opts_t *opts)
{
    unsigned spins = 0;
    if (it->hash)
        while (atomic_load_explicit(&it->f->hash_next,
                                    memory_order_acquire) != it->hash_seq &&
               !atomic_load_explicit(&q->stop, memory_order_relaxed))
            idle(&spins);
    if (!atomic_load_explicit(&q->stop, memory_order_relaxed))
        run_item(it, opts);
    if (it->hash)
        atomic_store_explicit(&it->f->hash_next, it->hash_seq + 1,
                              memory_order_release);
    atomic_fetch_add_explicit(&it->round->done, 1, memory_order_release);
}

/* Run the next item no thread has taken, if there is one; whether one
 * ran. */
static int run_next(queue_t *q, const ds_ingest_opts_t *opts)
{
    item_t *it = take(q);
    if (it)
        work(q, it, opts);
    return it != NULL;
}

static int round_finished(round_t *r)
{
    return atomic_load_explicit(&r->done, memory_order_acquire) ==
           r->n_items;
}

/*
 * The calling thread's part: rounds read (gather) into a ring of three,
 * published as soon as read, and merged in order as soon as all their
 * items are finished; in between, it runs items as the other threads do.
 * Merging comes first (it frees a slot of the ring), then reading; no
 * thread waits for a round to end while there is an item to run, so the
 * threads that finish a round early go on to the next one. Rounds are
 * about ROUND_PIECES x threads MiB, pieces about PIECE_BYTES. The reading
 * is done by the calling thread: its chunks then come from the main
 * malloc arena, which has huge pages (cli_hugepages.c); another thread's
 * arena faults them in 4 KiB at a time, which made the reading 3-4 times
 * slower in the runs where that thread took it.
 */
static int pipeline(loader_t *L, round_t *R, queue_t *q,
                    const ds_ingest_opts_t *opts, ds_error_t *err)
{
    size_t g = 0, m = 0; /* rounds read, rounds merged */
    int rc = DS_OK, more = 1;
    unsigned spins = 0;
    for (;;) {
        if (m < g && round_finished(&R[m % 3])) {
            if ((rc = merge_round(L, &R[m++ % 3], err)))
                break;
        } else if (more && g - m < 3) {
            round_t *r = &R[g % 3];
            if ((rc = gather(L, r, err)))
                break; /* its items were never published */
            if (r->n_items == 0 && r->files_to == r->files_from)
                more = 0; /* every file read */
            else
                publish(q, r), g++;
        } else if (!more && m == g) {
            break;
        } else if (run_next(q, opts)) {
            spins = 0;
        } else {
            idle(&spins);
        }
    }
    if (rc) { /* skip what is left, and wait for what is running */
        atomic_store_explicit(&q->stop, 1, memory_order_relaxed);
        while (run_next(q, opts))
            ;
        for (; m < g; m++)
            while (!round_finished(&R[m % 3]))
                idle(&spins);
    }
    atomic_store_explicit(&q->finished, 1, memory_order_release);
    return rc;
}

/* Another thread's part: items until the calling thread is done. */
static void helper(queue_t *q, const ds_ingest_opts_t *opts)
{
    unsigned spins = 0;
    for (;;) {
        if (run_next(q, opts))
            spins = 0;
        else if (atomic_load_explicit(&q->finished, memory_order_acquire))
            return;
        else
            idle(&spins);
    }
}

int ingest_load_parallel(char **paths, size_t n, const ds_ingest_opts_t *opts,
                         int threads, ds_corpus_t **out, ds_diag_t *diag,
                         ds_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        /* standard input, pipes and devices cannot be read twice */
        struct stat st;
        if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 ||
            !S_ISREG(st.st_mode))
            return INGEST_FALLBACK;
    }
    if (opts->n_actors * opts->codebook->n > 65535)
        return INGEST_FALLBACK;
    int rc = DS_OK;
    loader_t L = {.paths = paths, .n = n};
    L.piece = PIECE_BYTES;
    const char *env = getenv("DYADSEQ_PIECE_BYTES"); /* testing only */
    if (env && atol(env) >= 64)
        L.piece = (size_t)atol(env);
    L.round_bytes = (size_t)threads * ROUND_PIECES * L.piece;
    L.ramp = (size_t)threads * L.piece;
    round_t R[3];
    memset(R, 0, sizeof R);
    queue_t q = {0};
    ds_diag_init(&L.hdiag, 50);
    L.g = ds_ingest_alloc(opts);
    L.fs = calloc(n ? n : 1, sizeof *L.fs);
    int ok = L.g && L.fs;
    for (int k = 0; k < 3; k++) {
        R[k].max_items = 2 * (L.round_bytes / L.piece + 2) + 2 * n + 8;
        R[k].max_bufs = n + 2;
        R[k].items = calloc(R[k].max_items, sizeof *R[k].items);
        R[k].bufs = calloc(R[k].max_bufs, sizeof *R[k].bufs);
        ok = ok && R[k].items && R[k].bufs;
    }
    q.cap = 3 * R[0].max_items;
    q.slot = malloc(q.cap * sizeof *q.slot);
    atomic_init(&q.published, 0);
    atomic_init(&q.taken, 0);
    atomic_init(&q.stop, 0);
    atomic_init(&q.finished, 0);
    ok = ok && q.slot;
    if (!ok) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
#pragma omp parallel num_threads(threads)
    {
#ifdef _OPENMP
        int me = omp_get_thread_num();
#else
        int me = 0;
#endif
        if (me == 0)
            rc = pipeline(&L, R, &q, opts, err);
        else
            helper(&q, opts);
    }
    if (rc)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (!L.fs[i].done) { /* never a silent loss of input */
            rc = ds_error_set(err, DS_EIO, "%s: not read to its end",
                              paths[i]);
            goto done;
        }
    if (L.hdiag.n_warnings > L.hdiag.n_warnings_kept || L.hdiag.oom) {
        rc = INGEST_FALLBACK;
        goto done;
    }
    for (size_t i = 0; i < L.hdiag.n_warnings_kept; i++)
        ds_diag_warning(diag, NULL, 0, NULL, "%s", L.hdiag.warnings[i]);
    rc = ds_ingest_finish(L.g, out, diag, err);
done:
    if (rc == INGEST_FALLBACK && err)
        err->code = 0;
    for (int k = 0; k < 3; k++) {
        round_clear(&R[k]);
        free(R[k].items);
        free(R[k].bufs);
    }
    free(q.slot);
    for (size_t i = 0; L.fs && i < n; i++)
        fstate_close(&L.fs[i]);
    free(L.fs);
    free(L.key);
    ds_ingest_free(L.g);
    ds_diag_clear(&L.hdiag);
    return rc;
}

