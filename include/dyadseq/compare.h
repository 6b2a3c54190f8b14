/*
 * compare.h — the per-couple metrics of a pre/post comparison and their
 * paired statistics (SPEC 6, `dyadseq compare`; /comparison in SPEC 5).
 *
 * Input is a table of per-session statistics (ds_compare_sessions_t): the
 * lag-1 counts, Yule's Q and adjusted residuals, responsiveness per
 * direction, cycles, softening, events and duration. A command fills it
 * from an analysis it ran (ds_compare_sessions_from_analysis) or from the
 * same datasets of a results file written by `analyze`; they hold the same
 * doubles, so both inputs give the same comparison, bit for bit.
 *
 * Pairing. A session in dyadseq IS a (couple, session label) (SPEC 3), so
 * a couple has at most one session per label, and its pre and post values
 * are those of its sessions labelled --pre and --post. Every couple with
 * either session is listed; one without the other is left out of every
 * metric with the reason "no 'post' session" (or 'pre'), and a couple
 * whose metric is undefined (NaN) in either session is left out of that
 * metric only, with the reason read from the data ("pre: no bids by A").
 * Nothing is dropped silently (SPEC 6).
 *
 * Metrics, in this order; the names are stable identifiers (they are
 * /comparison/metric and what --reliability names):
 *
 *   yules_q[FROM->TO]            lag-1 Yule's Q of each selected transition
 *                                (SPEC 4.1), FROM and TO state labels
 *   adjusted_residual[FROM->TO]  its adjusted residual
 *   response_rate[X->Y]          share of X's bids that Y answered within W
 *                                (SPEC 4.6), for X->Y = A->B and B->A
 *   latency_median_s[X->Y]       median latency of the answered bids, s
 *   cycles_per_10min             pursue-withdraw cycles (SPEC 4.7) per 10
 *                                minutes of session duration
 *   share_time_in_cycles         share of the session duration in cycles
 *   softening_rate_per_min[X]    X's soften events per minute
 *   events_per_min               coded events per minute
 *   ap_COEF[Y~X]                 a coefficient of an actor-partner model
 *                                (SPEC 4.5, apim.h) the analysis computed:
 *                                COEF intercept, partner, actor,
 *                                interaction or partner_only, in this
 *                                order for each model
 *
 * A family is left out when the analysis did not compute it (no actor or
 * time column); the reason is in ds_compare_t.notes. Time-based metrics
 * (all but the lag-1 ones) need a time column.
 *
 * Pure computation: no I/O, no globals.
 */
#ifndef DYADSEQ_COMPARE_H
#define DYADSEQ_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/analysis.h"
#include "dyadseq/codebook.h"
#include "dyadseq/corpus.h"
#include "dyadseq/error.h"
#include "dyadseq/paired.h"

/*
 * Per-session statistics, one row per session (S rows in the order of
 * /sessions; "[2S]" arrays have two rows per session, session-major, the
 * first actor first, as /responsiveness and /softening). Pointers are
 * views the caller keeps alive; NULL marks a family that was not computed.
 */
typedef struct ds_compare_sessions {
    size_t S, K;
    const char *const *couple;        /* [S] */
    const char *const *label;         /* [S] session label */
    const char *const *state_label;   /* [K] "A:pursue" or "pursue" */
    const int *state_actor;           /* [K] actor index, -1 without actors */
    const ds_role_t *state_role;      /* [K] role of the state's code */
    size_t n_actors;                  /* 0 without an actor column */
    const char *const *actors;        /* [n_actors] */
    int has_time;                     /* the input had a time column */

    const int64_t *n_events;          /* [S] */
    const double *duration_s;         /* [S] SPEC 5 /sessions/duration_s */

    /* lag 1 (SPEC 4.1), [S*K*K]: session, antecedent, target */
    const int64_t *counts;
    const double *yules_q, *adjusted_residual;
    const uint8_t *structural_zero;   /* [K*K], or NULL: none */

    /* responsiveness [2S] (bidder = first actor first), or NULL */
    const int64_t *n_bids, *n_answered;
    const double *response_rate, *latency_median_s;
    double response_window_s;         /* W, for the reasons */
    const char *responsive_skipped;   /* why NULL, or NULL */

    /* cycles [S] and softening [2S], or NULL */
    const int64_t *n_cycles;
    const double *share_time_in_cycles;
    const int64_t *n_soften;
    const double *softening_rate_per_min;
    const char *cycles_skipped;       /* why NULL, or NULL */

    /* actor-partner models (SPEC 4.5), n_ap = 0 when none was computed */
    size_t n_ap;
    const char *const *ap_model;      /* [n_ap] their names */
    const ds_role_t *ap_y_role;       /* [n_ap] the role of Y, or
                                         DS_ROLE_OTHER */
    const double *const *ap_coef;     /* [n_ap] -> [S * DS_AP_N_COEFS] */
    const int64_t *const *ap_counts;  /* [n_ap] -> [S * DS_AP_N_CELLS] */
    double ap_delta;                  /* for the reasons */

    void *owned_[12];                 /* internal: freed by _clear */
} ds_compare_sessions_t;

/*
 * Fill v from the corpus c and the analysis a of it (which must include
 * lag 1): views into c and a, plus columns copied out of a's per-session
 * structs (owned by v). Free with ds_compare_sessions_clear. Returns 0,
 * DS_EUSAGE when a has no lag 1, DS_ENOMEM.
 */
int ds_compare_sessions_from_analysis(const ds_corpus_t *c,
                                      const ds_analysis_t *a,
                                      double response_window_s,
                                      ds_compare_sessions_t *v,
                                      ds_error_t *err);
void ds_compare_sessions_clear(ds_compare_sessions_t *v);

/* A lag-1 transition: antecedent and target state indices. */
typedef struct ds_transition {
    size_t from, to;
} ds_transition_t;

/*
 * Parse "FROM->TO" or "FROM:TO" (state labels contain ':', so the split
 * must leave a state on both sides, and only one split may). Returns 0;
 * DS_EUSAGE with a message naming the unknown state (and the nearest one),
 * an ambiguous split or a structural zero.
 */
int ds_compare_parse_transition(const ds_compare_sessions_t *v,
                                const char *spec, ds_transition_t *out,
                                ds_error_t *err);

/*
 * The default transitions, in this order: each partner's pursue → the
 * other's withdraw, bid → the other's response, soften → the other's
 * soften; by role, so a codebook with several codes of a role gives every
 * pair of its codes. Without actors, the same between codes. Writes at
 * most cap into out; returns how many there are.
 */
size_t ds_compare_default_transitions(const ds_compare_sessions_t *v,
                                      ds_transition_t *out, size_t cap);

/* Which way a metric improves (paired.h: DS_RCI_HIGHER_BETTER or
 * DS_RCI_LOWER_BETTER), or 0 when the metric has no better side. */
typedef struct ds_compare_metric {
    char *name;
    int better;
    double *pre, *post;      /* [n_couples], NaN when missing or undefined */
    char **reason;           /* [n_couples], NULL when the pair is used */
    ds_paired_result_t stat; /* after ds_compare_test */
    double q_bh;             /* BH q of stat.p_t across the metrics */
    /* after ds_compare_reliability */
    int has_rci;
    double r, se_diff;       /* reliability; SE of the difference */
    double *rci;             /* [n_couples], NaN when not used */
    size_t n_improved, n_unchanged, n_deteriorated;
} ds_compare_metric_t;

#define DS_COMPARE_MAX_NOTES 4

typedef struct ds_compare {
    char *pre, *post;            /* the two session labels */
    size_t n_couples;            /* couples with a pre or a post session */
    char **couple;               /* [n_couples] in byte order */
    long *pre_session, *post_session; /* [n_couples] row of the session
                                         table, or -1 */
    size_t n_both;               /* couples with both sessions */
    double conf_level;           /* of the CIs, set by ds_compare_test */
    size_t n_metrics;
    ds_compare_metric_t *metric;
    size_t n_notes;
    char *notes[DS_COMPARE_MAX_NOTES]; /* metric families left out, why */
} ds_compare_t;

/*
 * Pair the couples of v across the labels pre and post and extract every
 * metric (transitions tr[0..n_tr) for the lag-1 ones). Returns 0 with *out;
 * DS_EUSAGE when pre equals post or no session has one of the labels (the
 * message lists the labels there are and the nearest: the option names
 * nothing in the data); DS_EDATA when no couple has both; DS_ENOMEM.
 */
int ds_compare_build(const ds_compare_sessions_t *v, const char *pre,
                     const char *post, const ds_transition_t *tr,
                     size_t n_tr, ds_compare_t **out, ds_error_t *err);

/*
 * Every metric ds_compare_build would extract, evaluated in every session
 * of v, without pairing: for `agree`, which compares two codings of the
 * same sessions rather than two sessions of a couple. name[m] as in
 * /comparison/metric, better[m] as ds_compare_metric_t.better, value[m * S
 * + s] the metric in session s (NaN when undefined there); notes say which
 * families were left out and why. Free with ds_compare_values_clear.
 * Returns 0 or DS_ENOMEM.
 */
typedef struct ds_compare_values {
    size_t n_metrics, S;
    char **name;                 /* [n_metrics] */
    int *better;                 /* [n_metrics] */
    double *value;               /* [n_metrics * S] */
    size_t n_notes;
    char *notes[DS_COMPARE_MAX_NOTES];
} ds_compare_values_t;

int ds_compare_session_values(const ds_compare_sessions_t *v,
                              const ds_transition_t *tr, size_t n_tr,
                              ds_compare_values_t *out, ds_error_t *err);
void ds_compare_values_clear(ds_compare_values_t *out);

/* Paired tests of every metric (paired.h; o may be NULL) and the
 * Benjamini-Hochberg q-values of their t-test p-values. */
int ds_compare_test(ds_compare_t *c, const ds_paired_opts_t *o,
                    ds_error_t *err);

/* Index of the metric called name, or -1. */
long ds_compare_find(const ds_compare_t *c, const char *name);

/*
 * Jacobson-Truax reliable change index of metric m (after
 * ds_compare_test, which gives its pre SD) for reliability r in [0, 1),
 * with better = DS_RCI_HIGHER_BETTER or DS_RCI_LOWER_BETTER. Returns 0,
 * DS_EUSAGE (r, better or m out of range), DS_ENOMEM.
 */
int ds_compare_reliability(ds_compare_t *c, size_t m, double r, int better,
                           ds_error_t *err);

/* "higher", "lower" or "" for a metric's better side. */
const char *ds_compare_better_name(int better);

/*
 * One metric by name, outside a comparison (dyadseq power computes single
 * metrics of simulated sessions without building a ds_compare_t). The
 * definitions are those of ds_compare_build, so a value is the same double
 * `compare` puts in /comparison/values for the same session.
 */
enum {
    DS_COMPARE_NEEDS_LAG1 = 1,       /* lag-1 counts, Q, residuals */
    DS_COMPARE_NEEDS_RESPONSIVE = 2, /* responsiveness per direction */
    DS_COMPARE_NEEDS_CYCLES = 4,     /* cycles and softening */
    DS_COMPARE_NEEDS_SESSION = 8,    /* n_events and duration_s */
    DS_COMPARE_NEEDS_AP = 16         /* the actor-partner coefficients */
};

typedef struct ds_compare_metric_def {
    int kind;            /* which family (internal to compare.c) */
    ds_transition_t tr;  /* yules_q, adjusted_residual */
    size_t actor;        /* the bidder, or the softener */
    size_t ap_model;     /* ap_*: index into v->ap_model */
    size_t ap_coef;      /* ap_*: index into DS_AP_COEFS */
    unsigned needs;      /* DS_COMPARE_NEEDS_*: what value() reads */
    int better;          /* as ds_compare_metric_t.better */
} ds_compare_metric_def_t;

/*
 * Whether name has the form of an actor-partner metric, "ap_COEF[MODEL]"
 * with COEF one of DS_AP_COEFS: 1 with *coef its index and the model
 * name at *model, *model_len bytes long (inside name); else 0.
 */
int ds_compare_ap_name(const char *name, size_t *coef, const char **model,
                       size_t *model_len);

/*
 * Parse a metric name as compare names its rows ("response_rate[A->B]",
 * "yules_q[A:pursue->B:withdraw]", "cycles_per_10min", ...). Only the
 * state space of v is used (K, labels, roles, actors, has_time,
 * structural_zero), not its per-session arrays. Returns 0, or DS_EUSAGE
 * with a message naming the nearest metric (or the unknown state) when
 * name is not a metric of v's state space. An actor-partner metric must
 * name one of v's models (v->ap_model).
 */
int ds_compare_metric_parse(const ds_compare_sessions_t *v, const char *name,
                            ds_compare_metric_def_t *out, ds_error_t *err);

/* The value of metric m in session s of v (NaN when undefined); v needs
 * the arrays m->needs names. */
double ds_compare_metric_value(const ds_compare_sessions_t *v,
                               const ds_compare_metric_def_t *m, size_t s);

void ds_compare_free(ds_compare_t *c);

#endif
