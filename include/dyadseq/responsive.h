/*
 * responsive.h — responsiveness to bids (SPEC 4.6): how often, how fast
 * and how a partner answers the other's bids for connection, after
 * Gottman's turning toward / away / against (Driver & Gottman 2004;
 * Gottman & Driver 2005), with a Kaplan–Meier estimate of the time to a
 * response (Kaplan & Meier 1958) so that bids left hanging when the
 * bidder moves on count as censored rather than as never answered.
 *
 * Direction: the bidder is actor 0 or 1 (the first two of --actors), the
 * partner the other one. Events of further actors (a therapist) are
 * "other" events: they neither answer nor bound anything and are skipped.
 * In event order, for each bid b (an event of the bidder with role bid):
 *
 *   next(b)    the bidder's next bid, if any;
 *   answer(b)  the partner's first event after b with role response that
 *              comes before next(b) (the bidder's other events, and the
 *              partner's non-response events, do not stop the search);
 *   latency    onset(answer) - onset(b); b is ANSWERED when latency <= W;
 *   first(b)   the partner's first event after b, before next(b). When
 *              its onset is within W of b and it is not the answer, b is
 *              TURNED AWAY if its role is withdraw and TURNED AGAINST if
 *              it is pursue (the partner's first reaction decides, so a
 *              bid may be turned away and still answered within W by a
 *              later response: the counts are not exclusive of
 *              n_answered, but away and against are exclusive);
 *   KM time    latency when answer(b) exists (at any delay, even > W: an
 *              event), else censored at onset(next(b)) - onset(b), or at
 *              the session's last onset - onset(b) when b is the
 *              bidder's last bid (0 when b is the last event).
 *
 * "After" is event order: a partner event with the same onset as the bid
 * but earlier in the file is before it, one later in the file is after it
 * (latency 0). See docs/statistics-dyadic.md for worked examples.
 */
#ifndef DYADSEQ_RESPONSIVE_H
#define DYADSEQ_RESPONSIVE_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"
#include "dyadseq/km.h"

#define DS_RESPONSE_WINDOW_DEFAULT 5.0 /* seconds, --response-window */

typedef struct ds_responsive_opts {
    double window_s;   /* W, seconds, >= 0 [DS_RESPONSE_WINDOW_DEFAULT] */
} ds_responsive_opts_t;

void ds_responsive_opts_init(ds_responsive_opts_t *o);

/* One session and direction. NaN marks undefined values. */
typedef struct ds_responsive {
    size_t bidder, partner;     /* actor indices */
    size_t n_bids;
    size_t n_answered;          /* latency <= W */
    size_t n_answered_late;     /* answered before the next bid, > W */
    double response_rate;       /* n_answered / n_bids; NaN if no bids */
    double latency_mean_s;      /* of answered bids; NaN if none */
    double latency_median_s;    /* of answered bids; NaN if none */
    size_t n_turned_away;
    size_t n_turned_against;
    double p_response_by_window; /* 1 - S(W) of km; NaN as
                                    ds_km_survival_at */
    ds_km_t km;                 /* time to response over all bids */
    /* The observations behind km, one per bid, sorted by time: the time
     * to the answer (event 1) or to censoring (event 0). Kept so that
     * curves can be pooled over sessions (ds_km_pool_groups); a caller
     * done with them may free them and set n_obs to 0. */
    size_t n_obs;
    double *obs_time_s;
    uint8_t *obs_event;
} ds_responsive_t;

void ds_responsive_init(ds_responsive_t *r);
void ds_responsive_clear(ds_responsive_t *r); /* frees km and obs arrays */

/*
 * Fill out (initialized with ds_responsive_init) for bids of actor
 * `bidder` (0 or 1) in session s. Returns
 *   0            success;
 *   DS_ENOTAVAIL no actor column, fewer than two actors, or no time
 *                column (the message says which);
 *   DS_EUSAGE    bidder > 1, or W negative or not finite;
 *   DS_ENOMEM.
 */
int ds_responsive_compute(const ds_corpus_t *c, const ds_session_t *s,
                          size_t bidder, const ds_responsive_opts_t *o,
                          ds_responsive_t *out, ds_error_t *err);

/* Both directions, out[0] = actor 0 bids (A→B), out[1] = actor 1 bids:
 * the row order of /responsiveness. Same returns. */
int ds_responsive_session(const ds_corpus_t *c, const ds_session_t *s,
                          const ds_responsive_opts_t *o,
                          ds_responsive_t out[2], ds_error_t *err);

#endif
