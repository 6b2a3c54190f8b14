/*
 * apim.h — actor and partner effects over time (SPEC 4.5): does her
 * pursuit predict his withdrawal beyond his own tendency to withdraw?
 *
 * The aggregated logit of Bakeman & Gottman (1997, ch. 8 and 10; Kenny,
 * Kashy & Cook 2006, ch. 13), as the R package DySeq computes it with
 * LogSeq (docs/actor-partner.md compares the two). A model Y~X names two
 * disjoint sets of states: Y, the actor's target behaviour ("B:withdraw"),
 * and X, the partner's ("A:pursue"). On the time-unit grid of the time
 * windows (window.h: units of U seconds from the start of the session's
 * observation period, or its first onset; a unit holds a state when an
 * event of it has its onset in the unit, or with target_ongoing is in
 * progress in it) every pair of consecutive units (t − 1, t) that lie in
 * one observed stretch of the session (none spans time not coded,
 * corpus.h) is classified by x = X at t − 1, y = Y at t − 1 and z = Y at
 * t (1 present, 0 absent), giving the 2×2×2 table
 *
 *   n[4x + 2y + z]                 (DS_AP_CELL(x, y, z))
 *
 * With δ added to each of the eight cells, m = n + δ, and the logit of
 * Y at t in cell (x, y)
 *
 *   L_xy = ln(m[x,y,1] / m[x,y,0]),
 *
 * the saturated logit  logit P(Y_t) = b0 + b1·x' + b2·y' + b3·x'·y'  with
 * x', y' effect-coded (+1 present, −1 absent) has
 *
 *   b0 (intercept)   = ( L11 + L10 + L01 + L00) / 4
 *   b1 (partner)     = ( L11 + L10 − L01 − L00) / 4
 *   b2 (actor)       = ( L11 − L10 + L01 − L00) / 4
 *   b3 (interaction) = ( L11 − L10 − L01 + L00) / 4
 *
 * (L_xy with x the partner's, y the actor's previous unit.) These are
 * twice the loglinear λ of the saturated model of the same table, the
 * numbers DySeq's LogSeq reports. In 0/1 (dummy) coding the same model is
 * logit P = c0 + c1·x + c2·y + c3·x·y with c0 = L00 = b0 − b1 − b2 + b3,
 * c1 = L10 − L00 = 2(b1 − b3), c2 = L01 − L00 = 2(b2 − b3) and
 * c3 = 4·b3. The Wald standard error of every b is the same,
 * se = ¼·sqrt(Σ 1/m) over the eight cells (that of glm() fit to the
 * augmented table). The partner effect without the actor term,
 * partner_only, is the coefficient of x' in logit P(Y_t) = a0 + a1·x'
 * fit to the same augmented table collapsed over y: half the log odds
 * ratio of Y_t on X_{t−1}, so that it compares with b1.
 *
 * Undefined values are NaN, never ±Inf: all of them when the session has
 * no pair of consecutive units, and with δ = 0 every b where one of the
 * eight cells is empty (partner_only where a collapsed cell is).
 *
 * Pure computation: no I/O, no globals.
 */
#ifndef DYADSEQ_APIM_H
#define DYADSEQ_APIM_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/codebook.h"
#include "dyadseq/corpus.h"
#include "dyadseq/error.h"
#include "dyadseq/statlist.h"

/* δ of DySeq's LogSeq and of Bakeman & Gottman's worked examples. */
#define DS_AP_DELTA_DEFAULT 0.5

/* Cells of the table: x = partner at t − 1, y = actor at t − 1, z = actor
 * at t, each 1 (present) or 0 (absent). */
#define DS_AP_N_CELLS 8
#define DS_AP_CELL(x, y, z) (4 * (x) + 2 * (y) + (z))

/* The coefficients, in the order of DS_AP_COEFS (statlist.h). */
#define DS_AP_COUNT_(name, type, description) +1
enum { DS_AP_N_COEFS = 0 DS_AP_COEFS(DS_AP_COUNT_) };
#undef DS_AP_COUNT_

/* The fit of one table: the coefficients and their common SE. */
#define DS_AP_FIELD_(name, type, description) type name;
typedef struct ds_ap_fit {
    DS_AP_COEFS(DS_AP_FIELD_)
    double se;
} ds_ap_fit_t;
#undef DS_AP_FIELD_

/*
 * The state space models are named in: a corpus's (ds_ap_space_of) or a
 * results file's. Views, not owned.
 */
typedef struct ds_ap_space {
    size_t K;
    const char *const *state_label;   /* [K] "A:pursue", or "pursue" */
    const int *state_actor;           /* [K] actor index, -1 without */
    const ds_role_t *state_role;      /* [K] */
    size_t n_actors;                  /* 0 without an actor column */
    const char *const *actors;        /* [n_actors] */
} ds_ap_space_t;

void ds_ap_space_of(const ds_corpus_t *c, ds_ap_space_t *sp);

/* Which side of a model a state is on (ds_ap_model_t.side). */
enum { DS_AP_NONE = 0, DS_AP_Y = 1, DS_AP_X = 2 };

typedef struct ds_ap_model {
    char *name;          /* "Y~X" as given, or as the defaults name it */
    char *y, *x;         /* the two sides */
    size_t K;
    uint8_t *side;       /* [K] DS_AP_Y, DS_AP_X or DS_AP_NONE */
    ds_role_t y_role;    /* the role of Y's states, or DS_ROLE_OTHER when
                            they have several */
} ds_ap_model_t;

/*
 * Parse "Y~X". Each side is a state label ("B:withdraw", or "withdraw"
 * without actors), or ACTOR:ROLE ("B:withdraw" where the codebook has no
 * code "withdraw": every code of that role, e.g. SPAFF's "stonewalling"),
 * or without actors a ROLE. Y and X must not share a state. Returns 0, or
 * DS_EUSAGE with a message naming the side that names nothing (and the
 * nearest state), DS_ENOMEM. Clear out with ds_ap_model_clear either way.
 */
int ds_ap_model_parse(const ds_ap_space_t *sp, const char *spec,
                      ds_ap_model_t *out, ds_error_t *err);
void ds_ap_model_clear(ds_ap_model_t *m);

/*
 * The default models of a codebook with the roles (two actors needed):
 * each partner's withdraw on the other's pursue, response on bid, soften
 * on soften, in this order, the second actor's (B) as Y first:
 * "B:withdraw~A:pursue", "A:withdraw~B:pursue", "B:response~A:bid", ...
 * A pair whose roles some actor lacks is left out. *out is an array of *n
 * models (free each with ds_ap_model_clear, then the array). Returns 0 or
 * DS_ENOMEM.
 */
int ds_ap_default_models(const ds_ap_space_t *sp, ds_ap_model_t **out,
                         size_t *n, ds_error_t *err);

/* The grid and δ. */
typedef struct ds_ap_opts {
    double unit_s;       /* U, seconds per unit, > 0  [1] */
    int target_ongoing;  /* a unit holds a state while an event of it is
                            in progress (needs durations)  [0: onset] */
    double delta;        /* added to each cell, >= 0  [0.5] */
} ds_ap_opts_t;

void ds_ap_opts_init(ds_ap_opts_t *o);

/* Scratch bitsets for ds_ap_tally, grown on demand; one per thread. */
typedef struct ds_ap_workspace ds_ap_workspace_t;
ds_ap_workspace_t *ds_ap_workspace_alloc(void);
void ds_ap_workspace_free(ds_ap_workspace_t *w);

/*
 * The 2×2×2 table of model m in session s of c into counts[DS_AP_N_CELLS]
 * (every cell overwritten); *n_units, if not NULL, gets the units of the
 * grid. w may be NULL (scratch allocated for the call). Returns 0;
 * DS_ENOTAVAIL without a time column, or target_ongoing without
 * durations; DS_EUSAGE for a bad unit or a session of more than
 * DS_WINDOW_MAX_UNITS units; DS_ENOMEM.
 */
int ds_ap_tally(const ds_corpus_t *c, const ds_session_t *s,
                const ds_ap_model_t *m, const ds_ap_opts_t *o,
                ds_ap_workspace_t *w, int64_t *counts, size_t *n_units,
                ds_error_t *err);

/* The coefficients of counts[DS_AP_N_CELLS] with delta added to each
 * cell (see the top of this file). */
void ds_ap_fit(const int64_t *counts, double delta, ds_ap_fit_t *out);

/* The coefficients of a fit in DS_AP_COEFS order, into v[DS_AP_N_COEFS]. */
void ds_ap_fit_values(const ds_ap_fit_t *f, double *v);

#endif
