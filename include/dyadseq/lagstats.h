/*
 * lagstats.h — event lag tables and their statistics (SPEC 4.1, 4.2).
 *
 * Pure computation on caller-owned arrays: no I/O, no globals, no threads.
 * The caller counts the lag-k transitions of each session into a K×K table
 * (row = antecedent state, column = target state), sums tables for pooling
 * (integer sums, so the order of summation never matters), and calls
 * ds_lag_table_compute() to fill every per-cell and per-table statistic.
 * Sessions may be processed in parallel with one ds_lag_workspace_t and
 * one ds_lag_table_t per thread.
 *
 * The permutation tests of SPEC 4.3 recount these tables on the sequences
 * of permute.h and compare ds_lag_residuals() with the observed ones.
 *
 * Every formula, NaN rule and convention is written out in
 * docs/statistics-lag.md. In short: undefined values are NaN, never 0 or a
 * sentinel; structural-zero cells are NaN in every per-cell statistic.
 */
#ifndef DYADSEQ_LAGSTATS_H
#define DYADSEQ_LAGSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/error.h"

/* ---------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------- */

typedef struct ds_lag_opts {
    double zero_correction; /* 0 (default) or 0.5 (--zero-correction),
                               passed to ds_2x2_stats() */
    double ipf_tol;         /* relative tolerance on every margin, 1e-10 */
    size_t ipf_max_iter;    /* IPF cycles before DS_ENUM, 10000 */
} ds_lag_opts_t;

void ds_lag_opts_init(ds_lag_opts_t *o);

/* ---------------------------------------------------------------------
 * Lag tables
 * ------------------------------------------------------------------- */

/* The arrays of a table from ds_lag_table_alloc() are one allocation;
 * a caller may also fill the struct with pointers into its own arrays (a
 * view of one session's slots) and pass it to the functions below, which
 * never assume the arrays are contiguous. */
typedef struct ds_lag_table {
    size_t K;
    int64_t *counts;           /* [K*K] f_ij, row = antecedent i,
                                  column = target j */
    double *expected;          /* [K*K] e_ij */
    double *transition_prob;   /* [K*K] f_ij / R_i */
    double *adjusted_residual; /* [K*K] z_ij (Haberman; leverage form
                                  with structural zeros) */
    double *p_value;           /* [K*K] two-sided normal p of z_ij */
    double *yules_q, *yules_q_se;               /* [K*K] 2×2 collapse; with
                                                   structural zeros relative
                                                   to the fitted collapse */
    double *log_odds_ratio, *log_odds_ratio_se; /* [K*K] the same */
    double *wampold_kappa, *wampold_z;          /* [K*K] Wampold (1989);
                                                   with structural zeros
                                                   from the quasi-
                                                   independence fit to the
                                                   state frequencies */
    double g2, x2, df, g2_p;   /* likelihood-ratio G², Pearson X², df,
                                  chi-square p of G² */
} ds_lag_table_t;

/* A table for K states with zero counts and NaN statistics; NULL on OOM. */
ds_lag_table_t *ds_lag_table_alloc(size_t K);
void ds_lag_table_free(ds_lag_table_t *t);

/* Zero the counts and set every statistic to NaN. */
void ds_lag_table_reset(ds_lag_table_t *t);

/*
 * Add the lag-k transition counts of one session's state sequence to
 * counts[K*K]: f_ij += #{t < n - lag : state[t] = i, state[t + lag] = j}.
 * Call once per session so pairs never cross sessions. lag >= 1; every
 * state must be < K. A sequence of n <= lag events adds nothing.
 */
void ds_lag_count(const uint16_t *state, size_t n, size_t lag, size_t K,
                  int64_t *counts);

/* Add the frequency n_i of every state in the whole sequence to freq[K]. */
void ds_lag_state_freq(const uint16_t *state, size_t n, size_t K, int64_t *freq);

/* ---------------------------------------------------------------------
 * Computation
 * ------------------------------------------------------------------- */

/* Scratch for IPF and the leverages; one per thread, for tables of up to
 * K states. NULL on OOM. */
typedef struct ds_lag_workspace ds_lag_workspace_t;
ds_lag_workspace_t *ds_lag_workspace_alloc(size_t K);
void ds_lag_workspace_free(ds_lag_workspace_t *w);

/*
 * If counts has an observation in a cell that zero marks as structural,
 * return DS_EDATA with a message naming the cell by state indices
 * ("3 transitions from state 2 to state 2 fall in a structural-zero
 * cell") and store the cell's index i*K + j in *cell (if cell is not
 * NULL); the caller prefixes session and line and may translate the
 * indices into labels. DS_OK when zero is NULL or nothing is violated.
 */
int ds_lag_check_zeros(const int64_t *counts, size_t K, const uint8_t *zero,
                       size_t *cell, ds_error_t *err);

/*
 * Given t->counts, compute every other field of t.
 *   freq[K]   state frequencies n_i over the whole sequence(s) and
 *   n_events  n, the number of events, for Wampold's kappa (for a pooled
 *             table, sums over its sessions); freq NULL leaves the Wampold
 *             fields NaN.
 *   zero      [K*K] structural-zero mask (nonzero = structural), or NULL
 *             for none. With a mask the expected values come from IPF of
 *             the quasi-independence model and residuals use leverages;
 *             with at least one structural zero, Q and the log odds ratio
 *             are taken relative to the 2×2 collapse of that fit, and
 *             Wampold's kappa and z come from the quasi-independence fit
 *             to the state frequencies (NaN unless the allowed transitions
 *             among the states present are strongly connected); see
 *             docs/statistics-lag.md.
 *   o         options (NULL: ds_lag_opts_init()).
 *   w         workspace for at least t->K states.
 * Returns DS_OK; DS_EUSAGE for inconsistent arguments; DS_EDATA for a count
 * in a structural-zero cell; DS_ENUM when IPF does not converge within
 * o->ipf_max_iter cycles or the information matrix is singular; DS_ENOMEM.
 * On any error every statistic of t is NaN (counts are left unchanged), so
 * a caller may warn and keep going.
 */
int ds_lag_table_compute(ds_lag_table_t *t, const int64_t *freq,
                         int64_t n_events, const uint8_t *zero,
                         const ds_lag_opts_t *o, ds_lag_workspace_t *w,
                         ds_error_t *err);

/*
 * Only the expected values and adjusted residuals of counts[K*K] (what a
 * permutation test needs, without the 2×2 and Wampold statistics). Same
 * rules and return codes as ds_lag_table_compute(); expected may be NULL.
 */
int ds_lag_residuals(const int64_t *counts, size_t K, const uint8_t *zero,
                     const ds_lag_opts_t *o, ds_lag_workspace_t *w,
                     double *expected, double *z, ds_error_t *err);

#endif
