/*
 * paired.h — paired (pre/post) comparison of one per-couple metric and the
 * Jacobson–Truax reliable change index (SPEC 6, `compare`; /comparison in
 * SPEC 5). The Benjamini–Hochberg adjustment across metrics is padjust.h.
 *
 * Pure computation: no I/O, no globals. Every test statistic reproduces
 * base R (stats 4.2) to rounding, and docs/statistics-compare.md gives each
 * formula, the R call it matches and when a value is NaN:
 *
 *   t, df, p_t, ci_low, ci_high   t.test(post, pre, paired = TRUE)
 *   wilcoxon_v, p_wilcoxon        wilcox.test(post, pre, paired = TRUE)
 *
 * Sign convention: every difference is post − pre, so a positive mean_diff,
 * t or d means the metric rose from the pre to the post session, and V is
 * the sum of the ranks of the positive post − pre differences (R's V for
 * wilcox.test(post, pre, paired = TRUE), which tests x − y = post − pre).
 */
#ifndef DYADSEQ_PAIRED_H
#define DYADSEQ_PAIRED_H

#include <math.h>
#include <stddef.h>

#include "dyadseq/error.h"

typedef struct ds_paired_opts {
    double conf_level; /* of the CI of the mean difference, in (0, 1) */
} ds_paired_opts_t;

/* conf_level 0.95, R's default. */
void ds_paired_opts_init(ds_paired_opts_t *o);

typedef struct ds_paired_result {
    size_t n_pairs;      /* pairs used: both values finite */
    size_t n_excluded;   /* pairs left out: a non-finite value on either side */
    double mean_pre, sd_pre;   /* over the used pairs; SD with n − 1 */
    double mean_post, sd_post;
    double mean_diff, sd_diff; /* of d = post − pre */
    double conf_level;         /* copied from the options */
    double ci_low, ci_high;    /* t interval of the mean difference */
    double t, df, p_t;         /* paired t-test, two-sided */
    double wilcoxon_v;   /* sum of the ranks of |d| over d > 0 */
    double p_wilcoxon;   /* two-sided, R's default method */
    size_t wilcoxon_n;   /* non-zero differences (the n the test uses) */
    int wilcoxon_exact;  /* 1: exact distribution; 0: normal approximation */
    double wilcoxon_z;   /* corrected z of the approximation; NaN if exact */
    double d_z;          /* Cohen's d_z = mean_diff / sd_diff */
    double d_av;         /* mean_diff / ((sd_pre + sd_post) / 2) */
    double hedges_g;     /* Hedges' g_av = d_av × J, J = 1 − 3/(4(n−1) − 1) */
} ds_paired_result_t;

/*
 * Whether pair i takes part: both values finite. The caller uses this to
 * list the couples that were left out (SPEC 6: never silently dropped).
 */
static inline int ds_paired_usable(double pre, double post)
{
    return isfinite(pre) && isfinite(post);
}

/*
 * Compare post with pre over the n pairs (pre[i], post[i]). o may be NULL
 * (defaults). Too few pairs or no spread is not an error: the affected
 * values are NaN (see docs/statistics-compare.md). Returns 0, DS_EUSAGE for
 * a bad option or NULL array, DS_ENOMEM.
 */
int ds_paired_test(const double *pre, const double *post, size_t n,
                   const ds_paired_opts_t *o, ds_paired_result_t *out,
                   ds_error_t *err);

/* |RCI| above this is a reliable change (Jacobson & Truax 1991). */
#define DS_RCI_CRITICAL 1.96

/* Which way a metric improves: its value rises (up) or falls (down). */
enum { DS_RCI_HIGHER_BETTER = 1, DS_RCI_LOWER_BETTER = -1 };

/*
 * Jacobson & Truax (1991) reliable change index per couple:
 *   SE_diff = sqrt(2) · sd_pre · sqrt(1 − r),  RCI_i = (post_i − pre_i) / SE_diff
 * where r is the metric's test–retest reliability, 0 ≤ r < 1. A couple with
 * |RCI| > 1.96 changed reliably: improved when the change goes in
 * `direction` (DS_RCI_HIGHER_BETTER or DS_RCI_LOWER_BETTER), else
 * deteriorated; otherwise unchanged. Pairs that are not usable get NaN and
 * are counted nowhere. When sd_pre is NaN or 0 (a data property: too few
 * pairs or no spread) every RCI is NaN and all counts are 0. Any of the
 * count pointers may be NULL. Returns 0, or DS_EUSAGE for r outside [0, 1),
 * a negative or infinite sd_pre, a bad direction or NULL arrays.
 */
int ds_rci(const double *pre, const double *post, size_t n, double sd_pre,
           double r, double *rci_out, size_t *n_improved,
           size_t *n_unchanged, size_t *n_deteriorated, int direction,
           ds_error_t *err);

enum {
    DS_RCI_DETERIORATED = -1,
    DS_RCI_UNCHANGED = 0,
    DS_RCI_IMPROVED = 1,
    DS_RCI_UNDEFINED = 2 /* the RCI is NaN */
};

/* Classify one RCI (a DS_RCI_* value above) for a metric's direction. */
int ds_rci_class(double rci, int direction);

#endif
