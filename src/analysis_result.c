/*
 * analysis_result.c — allocating and freeing the result of a run
 * (ds_analysis_t, analysis.h), with the statistics lists of statlist.h as
 * tables of field offsets so that every per-cell array is allocated,
 * viewed, reset and freed by one loop over its list.
 */
#include <stddef.h>
#include <string.h>

#include "analysis_internal.h"

/* Every statistic of these lists is an array of double ... */
#define X_(name, type, description)                                          \
    _Static_assert(_Generic((type)0, double: 1, default: 0),                 \
                   #name " is not a double");
DS_LAG_CELL_STATS(X_)
DS_LAG_TABLE_STATS(X_)
DS_WINDOW_CELL_STATS(X_)
#undef X_
/* ... and every window count an array of int64_t. */
#define X_(name, type, description)                                          \
    _Static_assert(_Generic((type)0, int64_t: 1, default: 0),                \
                   #name " is not an int64_t");
DS_WINDOW_CELL_COUNTS(X_)
#undef X_

#define X_(name, type, description) offsetof(ds_lag_result_t, name),
const size_t ds_analysis_cell_off[DS_N_CELL] = {DS_LAG_CELL_STATS(X_)};
const size_t ds_analysis_table_off[DS_N_TABLE] = {DS_LAG_TABLE_STATS(X_)};
#undef X_
#define X_(name, type, description) offsetof(ds_window_result_t, name),
const size_t ds_analysis_wcount_off[DS_N_WCOUNT] = {
    DS_WINDOW_CELL_COUNTS(X_)};
const size_t ds_analysis_wstat_off[DS_N_WSTAT] = {DS_WINDOW_CELL_STATS(X_)};
#undef X_

int ds_analysis_wkept_whole(size_t i)
{
#define X_(name, type, description)                                          \
    if (ds_analysis_wstat_off[i] == offsetof(ds_window_result_t, name))      \
        return 1;
    DS_WINDOW_SUMMARY_STATS(X_)
#undef X_
    return 0;
}

int ds_analysis_kept_whole(size_t i)
{
#define X_(name, type, description)                                          \
    if (ds_analysis_cell_off[i] == offsetof(ds_lag_result_t, name))          \
        return 1;
    DS_LAG_SUMMARY_STATS(X_)
#undef X_
    return 0;
}

/* ---- pools and lags ------------------------------------------------- */

static void pool_clear(ds_lag_pool_t *p)
{
    ds_lag_table_free(p->table);
    free(p->permutation_p);
    free(p->freq);
#define X_(name, type, description) ds_summary_free(p->summary_##name);
    DS_LAG_SUMMARY_STATS(X_)
#undef X_
}

static int pool_init(ds_lag_pool_t *p, size_t K, size_t S, int perm)
{
    memset(p, 0, sizeof *p);
    int ok = (p->table = ds_lag_table_alloc(K)) != NULL;
    ok &= (p->freq = calloc(K, sizeof *p->freq)) != NULL;
#define X_(name, type, description)                                          \
    ok &= (p->summary_##name =                                               \
               ds_summary_alloc(K * K, ds_analysis_atleast1(S))) != NULL;
    DS_LAG_SUMMARY_STATS(X_)
#undef X_
    if (perm)
        ok &= (p->permutation_p = ds_analysis_nan_array(K * K)) != NULL;
    return ok ? 0 : -1;
}

static void lag_clear(ds_lag_result_t *r, size_t n_labels)
{
    free(r->counts);
    for (size_t i = 0; i < DS_N_CELL; i++)
        free(*ds_analysis_cell(r, i));
    free(r->permutation_p);
    for (size_t i = 0; i < DS_N_TABLE; i++)
        free(*ds_analysis_field_d(r, ds_analysis_table_off[i]));
    pool_clear(&r->pooled);
    if (r->by_label)
        for (size_t l = 0; l < n_labels; l++)
            pool_clear(&r->by_label[l]);
    free(r->by_label);
}

/* Results of one lag for S sessions. With full = 0 (streaming), only the
 * arrays that pooling, summaries and permutations need are allocated. */
static int lag_init(ds_lag_result_t *r, size_t lag, size_t S, size_t K,
                    size_t n_labels, int perm, int full)
{
    size_t n = S * K * K;
    memset(r, 0, sizeof *r);
    r->lag = lag;
    int ok = 1;
    if (full)
        ok &= (r->counts = calloc(ds_analysis_atleast1(n),
                                  sizeof *r->counts)) != NULL;
    for (size_t i = 0; i < DS_N_CELL; i++)
        if (full || ds_analysis_kept_whole(i))
            ok &= (*ds_analysis_cell(r, i) = ds_analysis_nan_array(n)) !=
                  NULL;
    if (perm)
        ok &= (r->permutation_p = ds_analysis_nan_array(n)) != NULL;
    for (size_t i = 0; i < DS_N_TABLE; i++)
        ok &= (*ds_analysis_field_d(r, ds_analysis_table_off[i]) =
                   ds_analysis_nan_array(S)) != NULL;
    ok &= pool_init(&r->pooled, K, S, perm) == 0;
    r->by_label = calloc(ds_analysis_atleast1(n_labels), sizeof *r->by_label);
    ok &= r->by_label != NULL;
    for (size_t l = 0; ok && l < n_labels; l++)
        ok &= pool_init(&r->by_label[l], K, S, perm) == 0;
    return ok ? 0 : -1;
}

/* ---- windows -------------------------------------------------------- */

static void window_free(ds_window_result_t *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < DS_N_WCOUNT; i++)
        free(*ds_analysis_field_i(w, ds_analysis_wcount_off[i]));
    for (size_t i = 0; i < DS_N_WSTAT; i++)
        free(*ds_analysis_field_d(w, ds_analysis_wstat_off[i]));
    ds_window_counts_free(w->pooled);
#define X_(name, type, description) free(w->pooled_##name);
    DS_WINDOW_CELL_STATS(X_)
#undef X_
#define X_(name, type, description)                                          \
    ds_summary_free(w->summary.summary_##name);                              \
    for (size_t l = 0; w->summary_by_label && l < w->n_labels; l++)          \
        ds_summary_free(w->summary_by_label[l].summary_##name);
    DS_WINDOW_SUMMARY_STATS(X_)
#undef X_
    free(w->summary_by_label);
    free(w);
}

/* The between-session summaries of w over S sessions, all and by label. */
static int window_summaries_alloc(ds_window_result_t *w, size_t K, size_t S,
                                  size_t n_labels)
{
    w->summary_by_label = calloc(ds_analysis_atleast1(n_labels),
                                 sizeof *w->summary_by_label);
    if (!w->summary_by_label)
        return -1;
    w->n_labels = n_labels;
    int ok = 1;
    for (size_t l = 0; l <= n_labels; l++) {
        ds_window_summaries_t *x = l ? &w->summary_by_label[l - 1]
                                     : &w->summary;
#define X_(name, type, description)                                          \
        ok &= (x->summary_##name =                                           \
                   ds_summary_alloc(K * K, ds_analysis_atleast1(S))) != NULL;
        DS_WINDOW_SUMMARY_STATS(X_)
#undef X_
    }
    return ok ? 0 : -1;
}

/* Window results for S sessions: the per-session counts and statistics
 * (streaming: only the statistics kept whole; the block buffers hold the
 * rest, analysis_stream.c), the pooled arrays, and the between-session
 * summaries over all sessions and n_labels labels; NULL when out of
 * memory. */
static ds_window_result_t *window_alloc(size_t S, size_t K, int stream,
                                        size_t n_labels)
{
    ds_window_result_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t n = ds_analysis_atleast1(S * K * K);
    int ok = 1;
    for (size_t i = 0; !stream && i < DS_N_WCOUNT; i++)
        ok &= (*ds_analysis_field_i(w, ds_analysis_wcount_off[i]) =
                   calloc(n, sizeof(int64_t))) != NULL;
    for (size_t i = 0; i < DS_N_WSTAT; i++)
        if (!stream || ds_analysis_wkept_whole(i))
            ok &= (*ds_analysis_field_d(w, ds_analysis_wstat_off[i]) =
                       ds_analysis_nan_array(n)) != NULL;
    ok &= (w->pooled = ds_window_counts_alloc(K)) != NULL;
#define X_(name, type, description)                                          \
    ok &= (w->pooled_##name = ds_analysis_nan_array(K * K)) != NULL;
    DS_WINDOW_CELL_STATS(X_)
#undef X_
    if (ok)
        ok = window_summaries_alloc(w, K, S, n_labels) == 0;
    if (!ok) {
        window_free(w);
        return NULL;
    }
    return w;
}

/* ---- the whole result ----------------------------------------------- */

/* The per-session columns of /sessions, and their session-sized arrays. */
static int session_columns(ds_analysis_t *a, const ds_corpus_t *c)
{
    size_t S = a->S;
    a->n_events = calloc(ds_analysis_atleast1(S), sizeof *a->n_events);
    a->duration_s = ds_analysis_nan_array(S);
    a->first_onset_s = ds_analysis_nan_array(S);
    a->start_s = ds_analysis_nan_array(S);
    a->end_s = ds_analysis_nan_array(S);
    a->state_freq = calloc(ds_analysis_atleast1(S * a->K),
                           sizeof *a->state_freq);
    if (!a->n_events || !a->duration_s || !a->first_onset_s ||
        !a->start_s || !a->end_s || !a->state_freq)
        return -1;
    /* start, end and duration need a pass over the events: the session
     * loop computes them, where the events are read anyway */
    for (size_t s = 0; s < S; s++) {
        const ds_session_t *se = &c->sessions[s];
        a->n_events[s] = (int64_t)se->n;
        if (se->onset && se->n)
            a->first_onset_s[s] = se->onset[0];
    }
    return 0;
}

/* Which dyadic metrics apply to c, and their per-session arrays. */
static int dyadic_alloc(ds_analysis_t *a, const ds_corpus_t *c)
{
    size_t S = a->S;
    if (!c->has_actor || c->n_actors < 2)
        a->responsive_skipped = a->cycles_skipped =
            "responsiveness, cycles and softening need an actor column and "
            "two actors";
    else if (!c->has_time)
        a->responsive_skipped = "responsiveness needs a time column";
    if (!a->responsive_skipped) {
        a->responsive = calloc(ds_analysis_atleast1(2 * S),
                               sizeof *a->responsive);
        if (!a->responsive)
            return -1;
        for (size_t i = 0; i < 2 * S; i++)
            ds_responsive_init(&a->responsive[i]);
    }
    if (!a->cycles_skipped) {
        a->cycles = calloc(ds_analysis_atleast1(S), sizeof *a->cycles);
        a->cycle_runs = calloc(ds_analysis_atleast1(S),
                               sizeof *a->cycle_runs);
        a->softening = calloc(ds_analysis_atleast1(2 * S),
                              sizeof *a->softening);
        if (!a->cycles || !a->cycle_runs || !a->softening)
            return -1;
    }
    return 0;
}

ds_analysis_t *ds_analysis_alloc(const ds_corpus_t *c,
                                 const ds_analysis_opts_t *o)
{
    size_t S = c->n_sessions, K = c->n_states, L = c->n_labels;
    int stream = o->block_sink != NULL;
    ds_analysis_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->S = S;
    a->K = K;
    a->n_labels = L;
    if (session_columns(a, c))
        goto fail;
    a->n_lags = o->n_lags;
    a->lag = calloc(ds_analysis_atleast1(o->n_lags), sizeof *a->lag);
    if (!a->lag)
        goto fail;
    for (size_t l = 0; l < o->n_lags; l++)
        if (lag_init(&a->lag[l], o->lags[l], S, K, L, o->permutations > 0,
                     !stream))
            goto fail;
    if (o->window) {
        /* streaming keeps whole only the pooled tallies and the
         * statistics summarized between sessions */
        a->window_skipped = ds_analysis_window_skipped(c, o);
        if (!a->window_skipped &&
            !(a->window = window_alloc(S, K, stream, L)))
            goto fail;
    }
    if (dyadic_alloc(a, c) || ds_analysis_ap_alloc(a, c, o))
        goto fail;
    return a;
fail:
    ds_analysis_free(a);
    return NULL;
}

void ds_analysis_free(ds_analysis_t *a)
{
    if (!a)
        return;
    free(a->n_events);
    free(a->duration_s);
    free(a->first_onset_s);
    free(a->start_s);
    free(a->end_s);
    free(a->state_freq);
    for (size_t l = 0; a->lag && l < a->n_lags; l++)
        lag_clear(&a->lag[l], a->n_labels);
    free(a->lag);
    window_free(a->window);
    if (a->responsive)
        for (size_t i = 0; i < 2 * a->S; i++)
            ds_responsive_clear(&a->responsive[i]);
    free(a->responsive);
    if (a->km_pooled)
        for (size_t i = 0; i < (1 + a->n_labels) * 2; i++)
            ds_km_clear(&a->km_pooled[i].km);
    free(a->km_pooled);
    free(a->cycles);
    for (size_t s = 0; a->cycle_runs && s < a->S; s++)
        free(a->cycle_runs[s]);
    free(a->cycle_runs);
    free(a->softening);
    ds_analysis_ap_free(a);
    free(a);
}
