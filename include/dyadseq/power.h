/*
 * power.h — power and sample size by simulation (SPEC 2 `power`, issue 17).
 *
 * For every design point of a grid (couples × mean events per session)
 * the study is simulated R times with simulate's generative model
 * (simulate.h: the built-in model, or --model matrices, PRE:POST), each
 * replication is analysed as `analyze` + `compare` would analyse it, but
 * only for the named metrics and in memory, and the share of replications
 * whose test rejects at level α is the power, with its Clopper–Pearson
 * interval. The smallest design of the grid reaching a target power is
 * reported per metric and test.
 *
 * Same numbers as the commands. Replication r of a run with seed S is the
 * study `dyadseq simulate --seed S_r` writes with the same options
 * (S_r = ds_power_rep_seed(S, r)), couple for couple and event for event:
 * the same couple names, random streams and millisecond rounding of the
 * times (ds_sim_events_round_ms). Per session, a metric is computed by the
 * modules `analyze` runs (lagstats, responsive, cycles, with analyze's
 * defaults) and taken by compare's own definition
 * (ds_compare_metric_value); the paired tests are paired.c's and the
 * one-sample t-test of a label's mean is summary.c's, on couples in byte
 * order as compare and analyze order them. So a replication's p-values
 * equal, to the last bit, those of `compare` (/comparison/p_t,
 * p_wilcoxon) and `analyze` (/lag/1/couple_summary_by_label/<label>/
 * yules_q_p) run on its transcripts.
 *
 * Common random numbers: couple "stable-03" has the same streams in every
 * design point of a replication (while the grid's couple numbers keep the
 * same width, below 100 couples per group), so a larger design adds couples
 * to a smaller one instead of drawing a new study; that makes the power
 * curve over the grid smooth and the comparison of designs precise, while
 * each design point on its own is an ordinary Monte Carlo estimate.
 *
 * Parallel over replications (OpenMP); each replication writes only its
 * own slots and the totals are formed afterwards in replication order, so
 * the result does not depend on the thread count.
 *
 * Pure computation: no printing, no HDF5.
 */
#ifndef DYADSEQ_POWER_H
#define DYADSEQ_POWER_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/apim.h"
#include "dyadseq/compare.h"
#include "dyadseq/corpus.h"
#include "dyadseq/cycles.h"
#include "dyadseq/error.h"
#include "dyadseq/responsive.h"
#include "dyadseq/simulate.h"

/* The tests. Paired metrics: paired t-test and Wilcoxon signed-rank test
 * of post − pre (ds_paired_test). One-sample metrics (@LABEL): Student's
 * t-test of the mean against 0 (ds_summary_compute, as analyze's couple
 * summaries) and the Wilcoxon signed-rank test against 0
 * (wilcox.test(x)). */
typedef enum {
    DS_POWER_TEST_T = 0,
    DS_POWER_TEST_WILCOXON = 1,
    DS_POWER_N_TESTS = 2
} ds_power_test_t;

/* "t" or "wilcoxon". */
const char *ds_power_test_name(ds_power_test_t t);

/* One metric to power. */
typedef struct ds_power_metric {
    char *name;                  /* as given: "response_rate[A->B]",
                                    "yules_q[A:pursue->B:withdraw]@post" */
    ds_compare_metric_def_t def; /* compare's metric */
    int one_sample;              /* 1: the mean over couples of the
                                    metric in the sessions of `label`,
                                    tested against 0 */
    int label;                   /* DS_SIM_PRE or DS_SIM_POST (one_sample) */
} ds_power_metric_t;

/* The state-space part of a session table (K, labels, roles, actors; the
 * simulated sessions have times): what ds_power_metric_parse reads. An
 * ap_* metric must name a model of v->ap_model: the caller sets the
 * models the metrics name (ds_power_ap_models). */
void ds_power_space_view(const ds_corpus_t *space, ds_compare_sessions_t *v);

/*
 * Parse "METRIC" (paired, post − pre) or "METRIC@LABEL" (one-sample, in
 * the sessions labelled LABEL, which must be pre or post; only yules_q
 * and adjusted_residual, the per-session statistics analyze summarizes
 * over couples). v supplies the state space (ds_compare_metric_parse).
 * Returns 0 with out->name a copy of spec; DS_EUSAGE with a message;
 * DS_ENOMEM.
 */
int ds_power_metric_parse(const ds_compare_sessions_t *v, const char *spec,
                          const char *pre, const char *post,
                          ds_power_metric_t *out, ds_error_t *err);
void ds_power_metric_clear(ds_power_metric_t *m);

/*
 * The actor-partner models named by the ap_COEF[Y~X] metrics among
 * specs[0..n) (a trailing @LABEL ignored), each once, parsed in the state
 * space of space (apim.h), with their names and Y roles for a session
 * view (ds_power_ap_view). Returns 0 (none when no metric is one);
 * DS_EUSAGE with the message of a model that names no state or is not
 * written as analyze names it; DS_ENOMEM. Clear x in any case.
 */
typedef struct ds_power_ap {
    ds_ap_model_t *models;
    size_t n;
    const char **names;          /* [n] the models' names */
    ds_role_t *roles;            /* [n] the role of each Y */
} ds_power_ap_t;

int ds_power_ap_init(ds_power_ap_t *x, const ds_corpus_t *space,
                     const char *const *specs, size_t n, ds_error_t *err);
void ds_power_ap_clear(ds_power_ap_t *x);

/* Name x's models in v (n_ap, ap_model, ap_y_role), so that
 * ds_power_metric_parse finds them. */
void ds_power_ap_view(const ds_power_ap_t *x, ds_compare_sessions_t *v);

/* A group of couples of the built-in model: couples NAME-01 ... and the
 * mean probability that a bid is answered. */
typedef struct ds_power_group {
    const char *name;
    double rate;
} ds_power_group_t;

/* The generative model and how sessions are analysed. */
typedef struct ds_power_model {
    const ds_corpus_t *space;       /* state space (ds_corpus_make_states) */
    ds_sim_params_t par;            /* par.events is replaced by the grid's */
    const ds_power_group_t *groups; /* [n_groups]; with --model one group
                                       "couple" (rate unused) */
    size_t n_groups;
    const char *const *labels;      /* --sessions, in therapy order */
    size_t n_labels;
    size_t pre, post;               /* indices of the compared labels */
    /* --model: prepared chains of the pre and post sessions (may be the
     * same), or both NULL for the built-in model */
    const ds_sim_chain_t *chain[2];
    ds_responsive_opts_t responsive; /* analyze's defaults */
    ds_cycles_opts_t cycles;
    /* the actor-partner models the ap_* metrics name (their def.ap_model
     * indexes this list), on analyze's grid and delta (ds_ap_opts_init) */
    const ds_ap_model_t *ap_models;
    size_t n_ap;
    ds_ap_opts_t ap_opts;
} ds_power_model_t;

typedef struct ds_power_opts {
    const size_t *couples;          /* the grid, each >= 2 */
    size_t n_couples;
    const size_t *events;           /* mean events per session, each >= 1 */
    size_t n_events;
    size_t replications;            /* R >= 1 */
    unsigned tests;                 /* bit 1 << DS_POWER_TEST_* */
    double alpha;                   /* reject when p (or q) <= alpha */
    int bh;                         /* Benjamini–Hochberg across the
                                       metrics of a replication, per test */
    double target;                  /* target power, in (0, 1) */
    double conf_level;              /* of the power's interval [0.95] */
    unsigned long seed;
    int threads;                    /* >= 1 */
    void (*progress)(void *ctx, size_t replications); /* may be NULL */
    void *progress_ctx;
} ds_power_opts_t;

/* R 1000, t only, α 0.05, no BH, target 0.80, 95% intervals, seed 1,
 * one thread; the grids are left empty. */
void ds_power_opts_init(ds_power_opts_t *o);

/*
 * The study seed of replication r: (h + r) mod 2^32, h the first 32 bits
 * of SHA-256 of "SEED/power" (ds_sim_stream_seed(seed, "power", NULL)).
 * Distinct for the replications of one run.
 */
unsigned long ds_power_rep_seed(unsigned long seed, size_t r);

/* One row of the power table: a design point, a metric (or, when
 * metric == n_metrics, all metrics at once) and a test. */
typedef struct ds_power_row {
    size_t design;            /* index into the design arrays */
    size_t metric;            /* index, n_metrics = every metric rejects */
    ds_power_test_t test;
    size_t n_reject;          /* replications whose test rejects */
    size_t n_undefined;       /* ... whose p-value is NaN (not rejected) */
    double power;             /* n_reject / R */
    double ci_low, ci_high;   /* Clopper–Pearson interval of the power */
    double estimate_mean;     /* mean over replications of the estimated
                                 effect: mean post − pre (paired), the
                                 mean (one-sample); NaN for "all" */
    double estimate_sd;       /* its SD over replications (n − 1) */
    double mean_pre, mean_post; /* means of the replications' pre and post
                                 means (paired; the mean itself for
                                 one-sample in mean_post, NaN pre) */
    double mean_n;            /* mean couples used (pairs, or sessions) */
    int reaches;              /* power >= target */
} ds_power_row_t;

/* The smallest design of the grid reaching the target, per metric (or
 * all) and test: over the events values at once (the fewest couples ×
 * events, then the fewest couples) and per events value (the fewest
 * couples). -1 when no design of the grid reaches it. */
typedef struct ds_power_smallest {
    size_t metric;            /* as in ds_power_row_t */
    ds_power_test_t test;
    long design;              /* overall */
    long *by_events;          /* [n_events] design index or -1 */
} ds_power_smallest_t;

typedef struct ds_power_result {
    size_t n_designs;         /* n_couples × n_events, couples-major:
                                 design c * n_events + e */
    size_t n_couples, n_events; /* the grid's sizes */
    size_t *couples, *events; /* [n_designs] */
    size_t n_metrics, R;
    unsigned tests;
    double alpha, target, conf_level;
    int bh;
    unsigned long *rep_seed;  /* [R] ds_power_rep_seed */
    /* per replication, [n_designs][n_metrics][R] */
    double *estimate, *mean_pre, *mean_post;
    double *p[DS_POWER_N_TESTS]; /* p_t, p_wilcoxon (both computed) */
    int64_t *n_used;
    size_t n_rows;
    ds_power_row_t *row;      /* design-major, then metric (all last),
                                 then test */
    size_t n_smallest;
    ds_power_smallest_t *smallest; /* metric-major (all last), then test */
    double seconds;           /* wall time of the replications */
} ds_power_result_t;

/* Index of [design][metric][r] in the per-replication arrays. */
static inline size_t ds_power_slot(const ds_power_result_t *res,
                                   size_t design, size_t metric, size_t r)
{
    return (design * res->n_metrics + metric) * res->R + r;
}

/*
 * Run the simulation study. metrics[0..n_metrics) as parsed; model and o
 * as above. Returns 0 with *out; DS_EUSAGE for inconsistent options
 * (empty grid, fewer than 2 couples, α, target or confidence level
 * outside (0, 1), no test, no metric, pre = post); DS_EDATA when the
 * built-in model's roles are missing from the codebook; DS_ENOMEM; or the
 * error of the first failing replication (in replication order).
 */
int ds_power_run(const ds_power_model_t *model,
                 const ds_power_metric_t *metrics, size_t n_metrics,
                 const ds_power_opts_t *o, ds_power_result_t **out,
                 ds_error_t *err);
void ds_power_result_free(ds_power_result_t *res);

/*
 * Clopper & Pearson (1934) interval for x successes in n trials at level
 * conf: lower = B⁻¹((1 − conf)/2; x, n − x + 1) (0 when x = 0), upper =
 * B⁻¹((1 + conf)/2; x + 1, n − x) (1 when x = n), B⁻¹ the beta quantile
 * (gsl_cdf_beta_Pinv); R's binom.test(x, n)$conf.int.
 */
void ds_power_binom_ci(size_t x, size_t n, double conf, double *lo,
                       double *hi);

#endif
