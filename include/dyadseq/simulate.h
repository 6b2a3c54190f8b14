/*
 * simulate.h — synthetic transcripts with known sequential structure.
 *
 * The generative model of `dyadseq simulate` (docs/simulate.md has the
 * whole story with the formulas): each session is a first-order Markov
 * chain over actor:code states, started from its stationary distribution,
 * with onsets, answer latencies and durations drawn from gamma
 * distributions. The transition matrix is either built from a few named
 * parameters (the built-in model: pursue–withdraw cycles, bids answered
 * with a per-couple probability, softening that rises over therapy, and
 * optionally answers that become more likely and faster) or
 * read from a CSV file (--model) so tests can plant known dependencies.
 *
 * Randomness: GSL's MT19937 (gsl_rng_mt19937), reseeded for every couple
 * and every session from a seed derived by ds_sim_stream_seed(), so each
 * session depends only on the study seed, the couple's id, the session
 * label and the parameters — not on how many other couples or sessions
 * there are, their order, or where the output goes.
 *
 * Pure computation: nothing here prints; errors go to ds_error_t, located
 * model-file problems to ds_diag_t.
 */
#ifndef DYADSEQ_SIMULATE_H
#define DYADSEQ_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"

/* Parameters of the built-in model at the first ([0], "pre") and last
 * ([1], "post") session; sessions in between are interpolated. */
enum { DS_SIM_PRE = 0, DS_SIM_POST = 1 };

/* The four roles the background distribution draws (responses only ever
 * answer bids). */
enum { DS_SIM_N_BG = 4 };

typedef struct ds_sim_params {
    /* session length and timing (both models) */
    size_t events;          /* mean events per session [400]; each session
                               has U{ceil(.75 M) .. floor(1.25 M)} events */
    double gap_mean;        /* mean gap between onsets, s [2.5] */
    double gap_shape;       /* gamma shape of the gaps [2] */
    double latency_mean[2]; /* mean latency of an answer to a bid, s, at
                               the first and last session, interpolated
                               like the built-in parameters [1.5 1.5] */
    double latency_shape;   /* gamma shape of the latencies [4] */
    double duration_mean;   /* mean duration, s, before the cut [2.0] */
    double duration_shape;  /* gamma shape of the durations [2] */

    /* the built-in model, [DS_SIM_PRE] and [DS_SIM_POST] */
    double withdraw[2];     /* P(partner withdraws | pursue) [.45 .25] */
    double continuation[2]; /* P(partner pursues again | withdraw): cycle
                               continuation [.55 .25] */
    double soften[2];       /* P(partner softens | withdraw): a cycle ended
                               by softening [.05 .25] */
    double reciprocate[2];  /* P(partner softens | soften) [.10 .30] */
    double answer_sd;       /* between-couple SD of the answer rate [0.05] */
    double answer_gain;     /* change of the answer probability from the
                               first to the last session, added to the
                               couple's rate and clamped to [0, 1] [0] */
    double therapy_mean;    /* mean share of the pre-to-post change a
                               couple reaches [1] */
    double therapy_sd;      /* its between-couple SD (Beta) [0] */

    /* fixed constants of the built-in model (no option; documented) */
    double away_share;      /* unanswered bids: share turned away (partner
                               withdraws); the rest turned against
                               (partner pursues) [0.6] */
    double partner_turn;    /* background: P(the partner acts next) [0.6] */
    double pursuer_bias;    /* background: the couple's pursuer's pursue
                               weight ×(1+b), withdraw ×(1−b); the other
                               way round for the withdrawer [0.3] */
    double background[DS_SIM_N_BG]; /* role weights of pursue, withdraw,
                               soften, bid [.30 .25 .05 .40], the same pre
                               and post: the therapy effects are exactly
                               the four PRE:POST parameters above */
} ds_sim_params_t;

/* Fill p with the defaults above. */
void ds_sim_params_init(ds_sim_params_t *p);

/*
 * Check the parameters: positive means and shapes, probabilities in
 * [0, 1], continuation + soften <= 1, answer gain in [-1, 1]. Returns 0
 * or DS_EUSAGE with a message in err naming the parameter.
 */
int ds_sim_params_check(const ds_sim_params_t *p, ds_error_t *err);

/*
 * Therapy progress of session index s of n: 0 for the first, 1 for the
 * last, s / (n − 1) in between (0 when n == 1).
 */
double ds_sim_progress(size_t s, size_t n);

/*
 * The seed of one random stream: the first 32 bits (big-endian) of
 * SHA-256 of the text "SEED/COUPLE/SESSION" (decimal seed), or of
 * "SEED/COUPLE" for the couple-level stream when session is NULL.
 */
unsigned long ds_sim_stream_seed(unsigned long seed, const char *couple,
                                 const char *session);

/*
 * A transition matrix over the states of a state space. The state space is
 * a ds_corpus_t whose state tables were built by ds_corpus_make_states()
 * (its sessions are not used). p[i * k + j] = P(next = j | current = i).
 * Rows of states that cannot occur are all zero and used[i] is 0.
 * ds_sim_chain_prepare() adds the samplers and the start distribution.
 */
typedef struct ds_sim_chain {
    size_t k;
    double *p;              /* [k * k] row-major */
    unsigned char *used;    /* [k] the state has a row */
    double *start;          /* [k] distribution of the first event */
    gsl_ran_discrete_t **row; /* [k] samplers of the used rows, or NULL */
    gsl_ran_discrete_t *first; /* sampler of start */
} ds_sim_chain_t;

/*
 * Simulated times (onsets, durations) stay below this many seconds (about
 * 31.7 years), so that they print as plain decimals with three places
 * ("%.3f") that read back exactly. ds_sim_params_check refuses timing
 * whose expected session length is above a tenth of it; ds_sim_session
 * fails for the rare draw that still reaches it.
 */
#define DS_SIM_MAX_TIME_S 1e9

/* Largest state space of a chain (a K × K matrix is held in memory). */
#define DS_SIM_MAX_STATES 4096

/* A zeroed k-state chain; NULL on allocation failure or when k is 0 or
 * above DS_SIM_MAX_STATES. */
ds_sim_chain_t *ds_sim_chain_alloc(size_t k);
void ds_sim_chain_free(ds_sim_chain_t *ch);

/*
 * Build the samplers (GSL's Walker alias tables) and the start
 * distribution: the stationary distribution, approximated by the average
 * of the state distributions over 1000 steps from the uniform distribution
 * over the used states (a Cesàro mean, which converges for periodic chains
 * too). Call again after changing p. Returns 0, DS_ENOMEM, or DS_EDATA
 * when no state is used.
 */
int ds_sim_chain_prepare(ds_sim_chain_t *ch, ds_error_t *err);

/* The states the built-in model uses: state[actor][role] for the two
 * actors and the roles pursue, withdraw, soften, bid, response. */
typedef struct ds_sim_roles {
    size_t state[2][5];
} ds_sim_roles_t;

/*
 * Find the built-in model's states in space: exactly two actors, and for
 * each of the five dyadic roles the first code of the codebook with that
 * role. Returns 0, or DS_EDATA with err saying what is missing.
 */
int ds_sim_roles_find(const ds_corpus_t *space, ds_sim_roles_t *out,
                      ds_error_t *err);

/*
 * Fill ch->p and ch->used with the built-in model for one couple at
 * therapy progress t in [0, 1] (parameters interpolated linearly between
 * pre and post). pursuer (0 or 1) is the actor whose background pursue
 * weight is raised; answer_rate is the couple's P(a bid is answered).
 * Row by row, with X the actor of the current event and Y the partner:
 *   X:pursue   → Y:withdraw with w, else background
 *   X:withdraw → Y:pursue with a, Y:soften with s, else background
 *   X:soften   → Y:soften with r, else background
 *   X:bid      → Y:response with answer_rate, else Y:withdraw (share
 *                away_share) or Y:pursue (turned against); no background
 *   X:response → background
 * where "else background" spreads the rest of the row over the background
 * distribution of pursue, withdraw, soften and bid of both actors, without
 * the current state itself (no state follows itself). Call
 * ds_sim_chain_prepare() afterwards.
 */
void ds_sim_builtin_chain(const ds_sim_params_t *p, const ds_sim_roles_t *r,
                          size_t pursuer, double answer_rate, double t,
                          ds_sim_chain_t *ch);

/* The couple-level draws of the built-in model. */
typedef struct ds_sim_couple {
    size_t pursuer;       /* actor index 0 or 1, each with probability ½ */
    double answer_rate;   /* Beta with mean group_rate and SD answer_sd */
    double therapy;       /* share of the pre-to-post change this couple
                             reaches: session s is simulated at
                             t = ds_sim_progress(s, n) × therapy; Beta
                             with mean therapy_mean and SD therapy_sd */
} ds_sim_couple_t;

/*
 * Draw a couple's pursuer, answer rate and therapy response, in that
 * order, from r (seed it with ds_sim_stream_seed(seed, couple, NULL)
 * first). A Beta draw is made only when its SD is positive and its mean
 * strictly between 0 and 1 (otherwise the value is the mean), so setting
 * an SD to 0 leaves the other draws unchanged. Each SD must be below
 * sqrt(mean (1 − mean)) (ds_sim_params_check checks therapy_sd).
 */
void ds_sim_couple_draw(const ds_sim_params_t *p, double group_rate,
                        gsl_rng *r, ds_sim_couple_t *out);

/* The events of one simulated session, in onset order (caller-owned;
 * ds_sim_session grows the arrays as needed). */
typedef struct ds_sim_events {
    size_t n, cap;
    double *onset;     /* [n] seconds from the start of the recording */
    double *duration;  /* [n] seconds */
    uint16_t *state;   /* [n] state index of the chain */
} ds_sim_events_t;

/* Free the arrays of ev and zero it. */
void ds_sim_events_clear(ds_sim_events_t *ev);

/*
 * Simulate one session of the prepared chain ch from r (seed it with
 * ds_sim_stream_seed(seed, couple, session) first): the number of events,
 * then per event its state (first from ch->start, then from the row of
 * the previous state), the gap before it and a duration. The gap is a
 * latency (gamma with shape latency_shape and the mean latency_mean
 * interpolated at therapy progress t in [0, 1], as the matrix is) when
 * the event is a response by one actor right after another actor's bid,
 * otherwise a gap (gamma, gap_mean/gap_shape); the first onset is one gap
 * after 0. A duration is a gamma draw cut at the next onset (one coded
 * stream: events do not overlap). space supplies each state's actor and
 * role. Returns 0, DS_ENOMEM, or DS_EDATA when a time reaches
 * DS_SIM_MAX_TIME_S (or is not finite).
 */
int ds_sim_session(const ds_sim_params_t *p, const ds_corpus_t *space,
                   const ds_sim_chain_t *ch, double t, gsl_rng *r,
                   ds_sim_events_t *ev, ds_error_t *err);

/*
 * A second coder's errors (--coder-error): a second coding of the same
 * simulated sessions with known noise, for `agree`.
 */
typedef struct ds_sim_coder_error {
    double substitution; /* P(an event's code is replaced by another code
                            of the same actor, uniformly) */
    double omission;     /* P(an event is left out) */
    double jitter_s;     /* onsets moved by a uniform draw in [-J, J] s */
} ds_sim_coder_error_t;

/*
 * Turn the events of one simulated session (the first coding, in onset
 * order) into the second coder's, in place, drawing from r (seed it from
 * the session's own stream, not the one that made the events). Per event
 * in order: one uniform draw decides omission; a kept event then draws
 * whether it is substituted (and, if so, which of the other codes of its
 * actor, uniformly: the actor is never changed; a codebook of one code
 * cannot substitute) and its jitter. Onsets are clamped at 0, events
 * sorted stably by onset, and durations cut at the next onset again.
 * Returns 0, DS_EUSAGE (a rate outside [0, 1] or a negative or
 * non-finite jitter).
 */
int ds_sim_coder_error(const ds_sim_coder_error_t *e,
                       const ds_corpus_t *space, gsl_rng *r,
                       ds_sim_events_t *ev, ds_error_t *err);

/*
 * Read a transition matrix (--model) from a CSV file with the columns
 * from,to,p (any order, no others), one row per non-zero transition:
 * from and to are state labels of space ("A:pursue"), p a probability.
 * Transitions not listed have probability 0. Every problem goes to diag
 * as FILE:LINE: column 'NAME': message — unknown state (with a
 * suggestion), p not a number in [0, 1], duplicate from,to pair, a row
 * of probabilities whose sum differs from 1 by more than 1e-9 (no silent
 * normalisation), a state that can be reached but has no row, no rows —
 * and the function returns DS_EDATA; DS_EIO / DS_ENOMEM with err set on
 * failures. On success *out is a chain ready for ds_sim_chain_prepare().
 */
int ds_sim_model_load(const char *path, const ds_corpus_t *space,
                      ds_sim_chain_t **out, ds_diag_t *diag, ds_error_t *err);

/* Tolerance of a --model row sum. */
#define DS_SIM_ROW_SUM_TOL 1e-9

/*
 * Couples as `simulate` divides and names them: n couples split evenly
 * over n_groups groups, the first n % n_groups groups taking one more
 * (ds_sim_group_size: the size of group g); couple j (from 0) of group g
 * is "GROUP-NN", j + 1 with ds_sim_id_width() digits: at least 2, as many
 * as the largest group needs.
 */
size_t ds_sim_group_size(size_t n, size_t n_groups, size_t g);
int ds_sim_id_width(size_t n, size_t n_groups);

/*
 * Round every onset and duration of ev to the millisecond exactly as the
 * transcript writer's "%.3f" does and a reader's strtod gives it back
 * (the double nearest to k / 1000, k the correctly rounded, ties-to-even
 * count of milliseconds), so sessions kept in memory equal sessions
 * written and read again.
 */
void ds_sim_events_round_ms(ds_sim_events_t *ev);

#endif
