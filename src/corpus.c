/*
 * corpus.c — the in-memory study (see corpus.h): building it from a
 * codebook, actors and sessions, freeing it, and what every command asks
 * of it. The readers (ingest) collect the sessions; putting them in order
 * and indexing their labels is done here, once for every reader.
 */
#include "dyadseq/corpus.h"

#include <gsl/gsl_heapsort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyadseq/error.h"
#include "text.h"

ds_corpus_t *ds_corpus_alloc(const ds_codebook_t *cb,
                             const char *const *actors, size_t n_actors,
                             int has_actor)
{
    ds_corpus_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->has_actor = has_actor;
    c->codebook = ds_codebook_alloc_copy(cb);
    c->actors = calloc(n_actors ? n_actors : 1, sizeof *c->actors);
    if (!c->codebook || !c->actors)
        goto fail;
    for (size_t i = 0; i < n_actors; i++) {
        if (!(c->actors[i] = ds_strdup(actors[i])))
            goto fail;
        c->n_actors++;
    }
    if (ds_corpus_make_states(c))
        goto fail;
    return c;
fail:
    ds_corpus_free(c);
    return NULL;
}

void ds_corpus_free(ds_corpus_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_sessions; i++) {
        ds_session_t *s = &c->sessions[i];
        free(s->couple);
        free(s->label);
        free(s->onset);
        free(s->duration);
        free(s->state);
        free(s->line);
        free(s->file);
        free(s->period);
    }
    free(c->sessions);
    for (size_t i = 0; i < c->n_states && c->state_label; i++)
        free(c->state_label[i]);
    free(c->state_label);
    free(c->state_actor);
    free(c->state_code);
    free(c->state_role);
    for (size_t i = 0; i < c->n_actors; i++)
        free(c->actors[i]);
    free(c->actors);
    for (size_t i = 0; i < c->n_labels; i++)
        free(c->labels[i]);
    free(c->labels);
    for (size_t i = 0; i < c->n_files; i++)
        free(c->files[i]);
    free(c->files);
    free(c->sha256);
    ds_codebook_free(c->codebook);
    free(c);
}

/* Times within this many seconds of a period's bounds count as in it
 * (imported times are rounded to the nanosecond, import.h). */
#define PERIOD_EPS 1e-9

double ds_session_start(const ds_session_t *s)
{
    if (!s->onset)
        return NAN;
    if (s->n_periods)
        return s->period[0];
    return s->n ? s->onset[0] : NAN;
}

double ds_session_end(const ds_session_t *s)
{
    if (!s->onset)
        return NAN;
    if (s->n_periods)
        return s->period[2 * s->n_periods - 1];
    if (s->n == 0)
        return NAN;
    double last = s->onset[s->n - 1];
    if (s->duration)
        for (size_t i = 0; i < s->n; i++)
            if (s->onset[i] + s->duration[i] > last)
                last = s->onset[i] + s->duration[i];
    return last;
}

double ds_session_duration_of(const ds_session_t *s, double start,
                              double end)
{
    if (!s->onset)
        return NAN;
    if (s->n_periods) {
        double d = 0;
        for (size_t k = 0; k < s->n_periods; k++)
            d += s->period[2 * k + 1] - s->period[2 * k];
        return d;
    }
    return end - start;
}

double ds_session_duration(const ds_session_t *s)
{
    return ds_session_duration_of(s, ds_session_start(s), ds_session_end(s));
}

double ds_session_close(const ds_session_t *s)
{
    if (!s->onset)
        return NAN;
    if (s->n_periods)
        return s->period[2 * s->n_periods - 1];
    return s->n ? s->onset[s->n - 1] : NAN;
}

size_t ds_session_stretch(const ds_session_t *s, double t)
{
    if (!s->n_periods)
        return 0;
    for (size_t k = 0; k < s->n_periods; k++)
        if (t >= s->period[2 * k] - PERIOD_EPS &&
            t <= s->period[2 * k + 1] + PERIOD_EPS)
            return k;
    return (size_t)-1;
}

size_t ds_corpus_n_couples(const ds_corpus_t *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_sessions; i++)
        if (i == 0 ||
            strcmp(c->sessions[i].couple, c->sessions[i - 1].couple) != 0)
            n++;
    return n;
}

void ds_corpus_drop_sources(ds_corpus_t *c)
{
    for (size_t i = 0; i < c->n_sessions; i++) {
        ds_session_t *s = &c->sessions[i];
        free(s->line);
        free(s->file);
        s->line = NULL;
        s->file = NULL;
    }
}

int ds_corpus_make_states(ds_corpus_t *c)
{
    const ds_codebook_t *cb = c->codebook;
    size_t na = c->has_actor ? c->n_actors : 1, k = na * cb->n;
    c->state_label = calloc(k, sizeof *c->state_label);
    c->state_actor = calloc(k, sizeof *c->state_actor);
    c->state_code = calloc(k, sizeof *c->state_code);
    c->state_role = calloc(k, sizeof *c->state_role);
    if (!c->state_label || !c->state_actor || !c->state_code ||
        !c->state_role)
        return DS_ENOMEM;
    c->n_states = k;
    for (size_t a = 0; a < na; a++)
        for (size_t j = 0; j < cb->n; j++) {
            size_t s = a * cb->n + j;
            const char *actor = c->has_actor ? c->actors[a] : NULL;
            size_t len = strlen(cb->code[j]) + (actor ? strlen(actor) + 1 : 0);
            char *label = malloc(len + 1);
            if (!label)
                return DS_ENOMEM;
            if (actor)
                snprintf(label, len + 1, "%s:%s", actor, cb->code[j]);
            else
                snprintf(label, len + 1, "%s", cb->code[j]);
            c->state_label[s] = label;
            c->state_actor[s] = actor ? (int)a : -1;
            c->state_code[s] = j;
            c->state_role[s] = cb->role[j];
        }
    return DS_OK;
}

static int cmp_session(const void *a, const void *b)
{
    const ds_session_t *x = a, *y = b;
    int r = strcmp(x->couple, y->couple);
    return r ? r : strcmp(x->label, y->label);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct labels of c's sessions, in byte order, into c->labels. */
static int collect_labels(ds_corpus_t *c)
{
    size_t n = c->n_sessions, nl = 0;
    const char **labels = malloc((n ? n : 1) * sizeof *labels);
    if (!labels)
        return DS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        labels[i] = c->sessions[i].label;
    qsort(labels, n, sizeof *labels, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (nl == 0 || strcmp(labels[nl - 1], labels[i]) != 0)
            labels[nl++] = labels[i];
    int rc = DS_OK;
    c->labels = calloc(nl ? nl : 1, sizeof *c->labels);
    for (size_t i = 0; c->labels && i < nl && rc == DS_OK; i++) {
        if ((c->labels[i] = ds_strdup(labels[i])))
            c->n_labels++;
        else
            rc = DS_ENOMEM;
    }
    free(labels);
    return c->labels ? rc : DS_ENOMEM;
}

int ds_corpus_set_sessions(ds_corpus_t *c, ds_session_t *sessions, size_t n)
{
    c->sessions = sessions;
    c->n_sessions = n;
    /* qsort (glibc's merge sort) rather than gsl_heapsort: keys are unique,
     * so the order is the same, and it is several times faster on 40,000
     * sessions, a serial step of every parallel read */
    qsort(c->sessions, n, sizeof *c->sessions, cmp_session);
    int rc = collect_labels(c);
    if (rc)
        return rc;
    c->n_events = 0;
    for (size_t i = 0; i < n; i++) {
        ds_session_t *s = &c->sessions[i];
        char **l = bsearch(&s->label, c->labels, c->n_labels,
                           sizeof *c->labels, cmp_str);
        s->label_index = (size_t)(l - c->labels);
        c->n_events += s->n;
    }
    return DS_OK;
}

typedef struct onset_key {
    double onset;
    size_t index;
} onset_key_t;

static int cmp_onset(const void *a, const void *b)
{
    const onset_key_t *x = a, *y = b;
    if (x->onset != y->onset)
        return x->onset < y->onset ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Apply permutation perm (new position i takes old perm[i]) to a column. */
#define PERMUTE(type, arr, perm, n, tmp)                                     \
    do {                                                                     \
        if (arr) {                                                           \
            type *t_ = (type *)(tmp);                                        \
            for (size_t i_ = 0; i_ < (n); i_++)                              \
                t_[i_] = (arr)[(perm)[i_].index];                            \
            memcpy((arr), t_, (n) * sizeof(type));                           \
        }                                                                    \
    } while (0)

int ds_session_sort(ds_session_t *s)
{
    size_t i;
    if (!s->onset)
        return DS_OK;
    for (i = 1; i < s->n; i++)
        if (s->onset[i] < s->onset[i - 1])
            break;
    if (i >= s->n)
        return DS_OK;
    onset_key_t *k = malloc(s->n * sizeof *k);
    double *tmp = malloc(s->n * sizeof *tmp);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return DS_ENOMEM;
    }
    for (i = 0; i < s->n; i++) {
        k[i].onset = s->onset[i];
        k[i].index = i;
    }
    /* the index breaks ties, so the unstable heapsort sorts stably */
    gsl_heapsort(k, s->n, sizeof *k, cmp_onset);
    PERMUTE(double, s->onset, k, s->n, tmp);
    PERMUTE(double, s->duration, k, s->n, tmp);
    PERMUTE(uint16_t, s->state, k, s->n, tmp);
    PERMUTE(uint32_t, s->line, k, s->n, tmp);
    PERMUTE(uint32_t, s->file, k, s->n, tmp);
    free(k);
    free(tmp);
    return DS_OK;
}
