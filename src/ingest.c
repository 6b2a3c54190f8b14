/*
 * ingest.c — the ingest: sessions being built from the rows of any number
 * of sources, the input files, and finishing into a corpus (SPEC 3).
 *
 * Events are appended to per-session growable arrays found through a hash
 * map on (couple, session) (ingest_rows.c checks and stores the rows);
 * ds_ingest_finish hands the sessions to corpus.c, which puts them in
 * byte order. ds_ingest_load reads the command-line inputs, through the
 * parallel reader (ingest_parallel.c) when it has threads and can, else
 * (or when that gives up) file by file here, so that messages and results
 * never depend on the thread count.
 */
#include "ingest_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "text.h"

ds_ingest_t *ds_ingest_alloc(const ds_ingest_opts_t *opts)
{
    ds_ingest_t *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->opts = *opts;
    g->map = ds_strmap_alloc();
    g->code_len = malloc((opts->codebook->n + 1) * sizeof *g->code_len);
    g->actor_len = malloc((opts->n_actors + 1) * sizeof *g->actor_len);
    if (!g->map || !g->code_len || !g->actor_len) {
        ds_ingest_free(g);
        return NULL;
    }
    for (size_t i = 0; i < opts->codebook->n; i++)
        g->code_len[i] = strlen(opts->codebook->code[i]);
    for (size_t i = 0; i < opts->n_actors; i++)
        g->actor_len[i] = strlen(opts->actors[i]);
    return g;
}

static void session_clear(ingest_session_t *s)
{
    free(s->couple);
    free(s->label);
    free(s->onset);
    free(s->duration);
    free(s->state);
    free(s->line);
    free(s->file);
    free(s->period);
}

void ds_ingest_free(ds_ingest_t *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_s; i++)
        session_clear(&g->s[i]);
    free(g->s);
    for (size_t i = 0; i < g->n_files; i++)
        free(g->files[i]);
    free(g->files);
    free(g->sha);
    ds_strmap_free(g->map);
    free(g->code_len);
    free(g->actor_len);
    ingest_src_clear(&g->rows.src);
    free(g);
}

/* Register input `name` in g; its index in *file. */
static int add_file(ds_ingest_t *g, const char *name, size_t *file,
                    ds_error_t *err)
{
    if (g->n_files == g->cap_files) {
        size_t cap = g->cap_files ? 2 * g->cap_files : 16;
        char **f = realloc(g->files, cap * sizeof *f);
        if (!f)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        g->files = f;
        char(*h)[65] = realloc(g->sha, cap * sizeof *h);
        if (!h)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        g->sha = h;
        g->cap_files = cap;
    }
    if (g->n_files >= UINT32_MAX)
        return ds_error_set(err, DS_EUSAGE, "too many input files");
    if (!(g->files[g->n_files] = ds_strdup(name)))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    g->sha[g->n_files][0] = '\0';
    *file = g->n_files++;
    return DS_OK;
}

int ingest_src_begin(ingest_src_t *s, ds_ingest_t *g, const char *name,
                     ds_diag_t *diag, ds_error_t *err)
{
    memset(s, 0, sizeof *s);
    s->g = g;
    s->name = name;
    s->diag = diag;
    s->prev = INGEST_NONE;
    int rc = add_file(g, name, &s->file, err);
    if (rc)
        return rc;
    if (g->opts.n_actors * g->opts.codebook->n > 65535)
        return ds_error_set(err, DS_EUSAGE,
                            "too many states (%zu actors × %zu codes; at "
                            "most 65535)",
                            g->opts.n_actors, g->opts.codebook->n);
    return DS_OK;
}

void ingest_src_clear(ingest_src_t *s)
{
    free(s->key);
    s->key = NULL;
    s->key_cap = 0;
    free(s->pbuf);
    s->pbuf = NULL;
    s->pbuf_cap = 0;
}

int ingest_key(char **key, size_t *key_cap, const char *couple, size_t lc,
               const char *label, size_t ll, size_t *kl)
{
    *kl = lc + ll + 1;
    if (*kl + 1 > *key_cap) {
        char *k = realloc(*key, *kl + 1);
        if (!k)
            return -1;
        *key = k;
        *key_cap = *kl + 1;
    }
    memcpy(*key, couple, lc);
    (*key)[lc] = '\x1f';
    memcpy(*key + lc + 1, label, ll);
    return 0;
}

size_t ingest_session_add(ds_ingest_t *g, const char *key, size_t kl)
{
    if (g->n_s == g->cap_s) {
        size_t cap = g->cap_s ? 2 * g->cap_s : 64;
        ingest_session_t *s = realloc(g->s, cap * sizeof *s);
        if (!s)
            return INGEST_NONE;
        g->s = s;
        g->cap_s = cap;
    }
    if (ds_strmap_put(g->map, key, kl, g->n_s))
        return INGEST_NONE;
    memset(&g->s[g->n_s], 0, sizeof *g->s);
    g->s[g->n_s].dup_reported = INGEST_NONE;
    return g->n_s++;
}

int ingest_session_reserve(ingest_session_t *s, size_t hint, int has_time,
                           int has_duration)
{
    if (s->n < s->cap)
        return 0;
    /* a new session starts at the size of the last finished one and a
     * quarter (sessions of a study are alike: one allocation, not five
     * reallocations); it grows by half from there (a shrunk session may
     * be tiny) */
    size_t cap = s->cap ? s->cap + s->cap / 2 : hint + hint / 4;
    if (cap < 64)
        cap = 64;
#define GROW(field)                                                          \
    do {                                                                     \
        void *p_ = realloc(s->field, cap * sizeof *s->field);                \
        if (!p_)                                                             \
            return -1;                                                       \
        s->field = p_;                                                       \
    } while (0)
    GROW(state);
    if (s->keep_lines) {
        GROW(line);
        GROW(file);
    }
    if (has_time)
        GROW(onset);
    if (has_duration)
        GROW(duration);
#undef GROW
    s->cap = cap;
    return 0;
}

/* Called when the rows move on to another session: the freed tails are
 * reused by the sessions that follow, so the growth slack of all sessions
 * is never resident at once (it was a third of the event memory). */
void ingest_session_shrink(ingest_session_t *s)
{
    if (s->cap == s->n || s->n == 0)
        return;
#define FIT(field)                                                           \
    do {                                                                     \
        if (s->field) {                                                      \
            void *p_ = realloc(s->field, s->n * sizeof *s->field);           \
            if (p_)                                                          \
                s->field = p_;                                               \
        }                                                                    \
    } while (0)
    FIT(state);
    FIT(line);
    FIT(file);
    FIT(onset);
    FIT(duration);
#undef FIT
    s->cap = s->n;
}

/* Move g's sessions into a corpus session array (NULL on OOM, g's
 * sessions then untouched). */
static ds_session_t *take_sessions(ds_ingest_t *g)
{
    ds_session_t *d = calloc(g->n_s, sizeof *d);
    if (!d)
        return NULL;
    for (size_t i = 0; i < g->n_s; i++) {
        ingest_session_t *s = &g->s[i];
        ingest_session_shrink(s);
        d[i] = (ds_session_t){.couple = s->couple, .label = s->label,
                              .n = s->n, .onset = s->onset,
                              .duration = s->duration, .state = s->state,
                              .line = s->line, .file = s->file,
                              .first_line = s->line && s->n ? s->line[0]
                                                             : s->ev0_line,
                              .first_file = s->file && s->n ? s->file[0]
                                                             : s->ev0_file,
                              .n_periods = s->n_periods,
                              .period = s->period};
        memset(s, 0, sizeof *s);
    }
    g->n_s = 0;
    return d;
}

int ds_ingest_finish(ds_ingest_t *g, ds_corpus_t **out, ds_diag_t *diag,
                     ds_error_t *err)
{
    *out = NULL;
    if (ingest_check_periods(g, diag))
        g->any_error = 1;
    if (g->any_error || diag->n_errors)
        return DS_EDATA;
    if (g->n_s == 0) {
        ds_diag_error(diag, NULL, 0, NULL, "no events in the input");
        return DS_EDATA;
    }
    const ds_ingest_opts_t *o = &g->opts;
    ds_corpus_t *c = ds_corpus_alloc(o->codebook, o->actors, o->n_actors,
                                     g->has_col[DS_INGEST_ACTOR]);
    if (!c)
        goto fail;
    c->has_time = g->has_col[DS_INGEST_TIME];
    c->has_duration = g->has_col[DS_INGEST_DURATION];
    size_t n = g->n_s;
    ds_session_t *sessions = take_sessions(g);
    if (!sessions || ds_corpus_set_sessions(c, sessions, n))
        goto fail;
    for (size_t i = 0; i < c->n_sessions; i++) {
        ds_session_t *d = &c->sessions[i];
        if (o->sort && ds_session_sort(d))
            goto fail;
        if (d->n < 2)
            ds_diag_warning(diag, g->files[d->first_file], d->first_line,
                            NULL,
                            "session '%s'/'%s' has only %zu event; its "
                            "sequential statistics are NaN",
                            d->couple, d->label, d->n);
    }
    c->files = g->files;
    c->sha256 = g->sha;
    c->n_files = g->n_files;
    g->files = NULL;
    g->sha = NULL;
    g->n_files = g->cap_files = 0;
    *out = c;
    return DS_OK;
fail:
    ds_corpus_free(c);
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

/* The one-thread reader: every file in turn through ds_ingest_file. */
static int load_serial(char **paths, size_t n, const ds_ingest_opts_t *opts,
                       ds_corpus_t **out, ds_diag_t *diag, ds_error_t *err)
{
    int rc = DS_OK;
    ds_ingest_t *g = ds_ingest_alloc(opts);
    if (!g)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int stdin_used = 0;
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        int is_stdin = strcmp(paths[i], "-") == 0;
        if (is_stdin && stdin_used++) {
            rc = ds_error_set(err, DS_EUSAGE, "'-' (standard input) given "
                              "more than once");
            break;
        }
        FILE *fp = is_stdin ? stdin : fopen(paths[i], "rb");
        if (!fp) {
            rc = ds_error_set(err, DS_EIO, "cannot open '%s': %s", paths[i],
                              strerror(errno));
            break;
        }
        rc = ds_ingest_file(g, fp, paths[i], diag, err);
        if (rc == DS_EDATA)
            rc = DS_OK; /* recorded in diag; go on to report the rest */
        if (!is_stdin)
            fclose(fp);
    }
    if (rc == DS_OK)
        rc = ds_ingest_finish(g, out, diag, err);
    ds_ingest_free(g);
    return rc;
}

int ds_ingest_load(const char *const *args, size_t n_args,
                   const ds_ingest_opts_t *opts, ds_corpus_t **out,
                   ds_diag_t *diag, ds_error_t *err)
{
    char **paths = NULL;
    size_t n = 0;
    *out = NULL;
    int rc = ingest_paths_alloc(args, n_args, &paths, &n, err);
    if (rc)
        return rc;
    int threads = opts->threads;
#ifdef _OPENMP
    if (threads <= 0)
        threads = omp_get_max_threads();
#else
    threads = 1;
#endif
    rc = INGEST_FALLBACK;
    if (threads > 1)
        rc = ingest_load_parallel(paths, n, opts, threads, out, diag, err);
    if (rc == INGEST_FALLBACK)
        rc = load_serial(paths, n, opts, out, diag, err);
    ingest_paths_free(paths, n);
    return rc;
}
