/*
 * fixture_study.h — a small random study built in code, for the tests of
 * the driver and the layout (test_analysis.c, test_layout.c):
 *
 *   ds_corpus_t *c = fx_study(6, 80, 7, FX_TIME | FX_DURATION);
 *
 * n_couples couples, each with a "pre" and a "post" session of about
 * n_events events (varying by session, one session of a single event and
 * one empty one so the edge cases go through the driver too), actors A
 * and B with the default codebook: every state occurs, and runs of
 * alternating pursue and withdraw are planted so that sessions have
 * cycles. Sessions are in (couple, label) byte order, as the reader
 * leaves them; labels are "post", "pre" (byte order). Deterministic for a
 * given seed.
 */
#ifndef DYADSEQ_FIXTURE_STUDY_H
#define DYADSEQ_FIXTURE_STUDY_H

#include <gsl/gsl_rng.h>

#include "fixture.h"

/* State index of actor a's code with role r in a corpus of the default
 * codebook (states are actor-major, codes in codebook order). */
static inline size_t fx_study_state(const ds_corpus_t *c, size_t actor,
                                    ds_role_t role)
{
    for (size_t k = 0; k < c->n_states; k++)
        if (c->state_actor[k] == (int)actor && c->state_role[k] == role)
            return k;
    abort();
}

static inline void fx_study_session(ds_corpus_t *c, gsl_rng *rng,
                                    size_t n_events)
{
    ds_session_t *s = fx_new_session(c, n_events);
    double t = 10 * gsl_rng_uniform(rng);
    while (s->n < n_events) {
        size_t len = 1, state = gsl_rng_uniform_int(rng, c->n_states);
        size_t pursuer = gsl_rng_uniform_int(rng, 2);
        if (gsl_rng_uniform(rng) < 0.15) /* a pursue-withdraw run */
            len = 2 + gsl_rng_uniform_int(rng, 4);
        for (size_t i = 0; i < len && s->n < n_events; i++) {
            if (len > 1)
                state = i % 2 == 0
                            ? fx_study_state(c, pursuer, DS_ROLE_PURSUE)
                            : fx_study_state(c, 1 - pursuer,
                                             DS_ROLE_WITHDRAW);
            /* gaps of 0 to 6 s, a tie now and then */
            t += gsl_rng_uniform(rng) < 0.05 ? 0
                                              : 6 * gsl_rng_uniform(rng);
            fx_push(c, s, state, t, 3 * gsl_rng_uniform(rng));
        }
    }
}

static inline ds_corpus_t *fx_study(size_t n_couples, size_t n_events,
                                    unsigned long seed, int flags)
{
    ds_corpus_t *c = fx_corpus("A,B", flags);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        abort();
    gsl_rng_set(rng, seed);
    c->n_labels = 2;
    c->labels = calloc(2, sizeof *c->labels);
    if (!c->labels)
        abort();
    c->labels[0] = fx_strdup("post");
    c->labels[1] = fx_strdup("pre");
    for (size_t k = 0; k < n_couples; k++) {
        for (size_t l = 0; l < 2; l++) {
            size_t n = n_events / 2 + gsl_rng_uniform_int(rng, n_events);
            if (k == 0 && l == 0)
                n = 1; /* a session of one event */
            if (k == 1 && l == 1)
                n = 0; /* and an empty one */
            fx_study_session(c, rng, n);
            ds_session_t *s = &c->sessions[c->n_sessions - 1];
            char name[32];
            snprintf(name, sizeof name, "c%02zu", k + 1);
            free(s->couple);
            free(s->label);
            s->couple = fx_strdup(name);
            s->label = fx_strdup(c->labels[l]);
            s->label_index = l;
        }
    }
    gsl_rng_free(rng);
    return c;
}

#endif
