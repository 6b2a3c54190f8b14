/*
 * softening.h — softening per actor (SPEC 4.7): how often each partner
 * softens (Johnson 2004: a pursuer asking from a vulnerable position) and
 * how often the other partner softens or responds in return, within the
 * response window W.
 *
 * Partners are actors 0 and 1 (the first two of --actors); events of any
 * further actor (a therapist) are skipped. W is the window_s of the
 * cycles options (--response-window), which the command line sets for
 * cycles and softening together.
 */
#ifndef DYADSEQ_SOFTENING_H
#define DYADSEQ_SOFTENING_H

#include <stddef.h>

#include "dyadseq/corpus.h"
#include "dyadseq/cycles.h"
#include "dyadseq/error.h"

/*
 * Softening of one actor in one session (one row of /softening).
 * An actor's soften is RECIPROCATED when the partner's first event after
 * it (event order, any distance, other actors skipped) with role soften
 * or response has an onset at most W seconds later.
 */
typedef struct ds_softening {
    size_t actor;               /* 0 or 1 */
    size_t n_soften;
    size_t n_reciprocated;      /* 0 without time */
    double rate_per_min;        /* n_soften per minute of
                                   ds_session_duration(); NaN without time
                                   or when the duration is 0 */
    double first_onset_s;       /* onset of the first, on the input's
                                   clock; NaN if none or without time */
    double share_reciprocated;  /* n_reciprocated / n_soften; NaN if none
                                   or without time */
} ds_softening_t;

/*
 * out[0] for actor 0, out[1] for actor 1. Returns 0, DS_ENOTAVAIL without
 * an actor column or with fewer than two actors, DS_EUSAGE when W is
 * negative or not finite. Without time only n_soften is defined.
 */
int ds_softening_compute(const ds_corpus_t *c, const ds_session_t *s,
                         const ds_cycles_opts_t *o, ds_softening_t out[2],
                         ds_error_t *err);

#endif
