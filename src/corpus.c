/*
 * corpus.c — the in-memory study (see corpus.h).
 */
#include "dyadseq/corpus.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

double ds_session_duration(const ds_session_t *s)
{
    if (!s->onset || s->n == 0)
        return NAN;
    double first = s->onset[0], last = s->onset[s->n - 1];
    if (s->duration)
        for (size_t i = 0; i < s->n; i++)
            if (s->onset[i] + s->duration[i] > last)
                last = s->onset[i] + s->duration[i];
    return last - first;
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
