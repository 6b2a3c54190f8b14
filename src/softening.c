/*
 * softening.c — softening and its reciprocation per actor (SPEC 4.7;
 * definitions in softening.h). Each soften needs the partner's next
 * soften-or-response, which one backward pass over the session provides.
 */
#include "dyadseq/softening.h"

#include <math.h>
#include <string.h>

static int check_actors(const ds_corpus_t *c, ds_error_t *err)
{
    if (!c->has_actor)
        return ds_error_set(err, DS_ENOTAVAIL,
                            "softening metrics need an actor column");
    if (c->n_actors < 2)
        return ds_error_set(err, DS_ENOTAVAIL,
                            "softening metrics need two actors (--actors "
                            "names %zu)", c->n_actors);
    return DS_OK;
}

int ds_softening_compute(const ds_corpus_t *c, const ds_session_t *s,
                         const ds_cycles_opts_t *o, ds_softening_t out[2],
                         ds_error_t *err)
{
    int rc = check_actors(c, err);
    if (rc != DS_OK)
        return rc;
    if (!(o->window_s >= 0) || !isfinite(o->window_s))
        return ds_error_set(err, DS_EUSAGE,
                            "response window must be a number of seconds "
                            ">= 0 (got %g)", o->window_s);

    const int timed = c->has_time && s->onset;
    const size_t NONE = (size_t)-1;
    size_t next_sr[2] = {NONE, NONE}; /* actor's next soften or response */
    for (size_t a = 0; a < 2; a++) {
        memset(&out[a], 0, sizeof out[a]);
        out[a].actor = a;
        out[a].rate_per_min = out[a].first_onset_s = NAN;
        out[a].share_reciprocated = NAN;
    }
    for (size_t e = s->n; e-- > 0;) {
        size_t st = s->state[e];
        int actor = c->state_actor[st];
        ds_role_t role = c->state_role[st];
        if (actor != 0 && actor != 1)
            continue;
        if (role == DS_ROLE_SOFTEN) {
            ds_softening_t *x = &out[actor];
            x->n_soften++;
            size_t f = next_sr[1 - actor];
            if (timed) {
                x->first_onset_s = s->onset[e]; /* the last one set is the
                                                   first in event order */
                if (f != NONE && s->onset[f] - s->onset[e] <= o->window_s)
                    x->n_reciprocated++;
            }
        }
        if (role == DS_ROLE_SOFTEN || role == DS_ROLE_RESPONSE)
            next_sr[actor] = e;
    }
    if (timed) {
        double d = ds_session_duration(s);
        for (size_t a = 0; a < 2; a++) {
            if (d > 0)
                out[a].rate_per_min = (double)out[a].n_soften / (d / 60);
            if (out[a].n_soften > 0)
                out[a].share_reciprocated = (double)out[a].n_reciprocated /
                                            (double)out[a].n_soften;
        }
    }
    return DS_OK;
}
