/*
 * statlist.h — the statistics of a lag table and of a time window, listed
 * once for everything that must agree on them: the driver's result arrays
 * (analysis.h declares one field per entry, allocates, resets and copies
 * them by the list), the writer (layout*.c writes one dataset per entry,
 * in list order, which is the order of the datasets in a results file)
 * and the documentation check (tests/unit/test_statlist.c finds every
 * entry in schemas/results.md with its type).
 *
 * Each list is an X-macro: DS_LAG_CELL_STATS(X) expands to
 * X(name, type, description) once per statistic, where
 *   name         is the field that holds it (in ds_lag_table_t,
 *                ds_lag_result_t, ds_2x2_t, ds_window_result_t,
 *                ds_summary_t) and the dataset's name in the results file;
 *   type         the C type of one value: double is float64 in the file,
 *                int64_t is int64;
 *   description  one line; schemas/results.md gives formulas and sources.
 * A new statistic is one line here, one field where it is computed
 * (lagstats.c fills ds_lag_table_t) and one row of schemas/results.md.
 */
#ifndef DYADSEQ_STATLIST_H
#define DYADSEQ_STATLIST_H

#include <stdint.h>

/* Per-cell statistics of a lag table (SPEC 4.1), [K, K] per table. The
 * counts f_ij (int64) come first in a file and are not in the list: they
 * are the table, the rest is computed from them. */
#define DS_LAG_CELL_STATS(X)                                                 \
    X(expected, double, "expected count e_ij under (quasi-)independence")    \
    X(transition_prob, double, "transition probability f_ij / R_i")          \
    X(adjusted_residual, double, "adjusted residual (Haberman 1973)")        \
    X(p_value, double, "two-sided normal p of the adjusted residual")        \
    X(yules_q, double, "Yule's Q of the cell's 2x2 collapse")                \
    X(yules_q_se, double, "standard error of Yule's Q")                      \
    X(log_odds_ratio, double, "log odds ratio of the 2x2 collapse")          \
    X(log_odds_ratio_se, double, "its standard error (Woolf 1955)")          \
    X(wampold_kappa, double, "Wampold's transformed kappa (1989)")           \
    X(wampold_z, double, "Wampold's z")

/* Table-wise statistics of a lag table: [S] per session, scalars pooled. */
#define DS_LAG_TABLE_STATS(X)                                                \
    X(g2, double, "likelihood-ratio chi-square G2")                          \
    X(x2, double, "Pearson chi-square X2")                                   \
    X(df, double, "degrees of freedom (quasi-independence)")                 \
    X(g2_p, double, "P(chi-square_df >= G2)")

/* The per-cell statistics summarized between sessions (SPEC 4.5):
 * couple_summary/<stat>_<part>. */
#define DS_LAG_SUMMARY_STATS(X)                                              \
    X(yules_q, double, "per-session Yule's Q")                               \
    X(adjusted_residual, double, "per-session adjusted residual")

/* The parts of a between-session summary (ds_summary_t), [K, K]. */
#define DS_SUMMARY_PARTS(X)                                                  \
    X(mean, double, "mean over the sessions where it is defined")            \
    X(sd, double, "standard deviation, divisor n - 1")                       \
    X(n, int64_t, "sessions where it is defined")                            \
    X(t, double, "one-sample t against 0")                                   \
    X(p, double, "two-sided p of t, Student t on n - 1 df")

/* The 2x2 table of a time window (SPEC 4.4), per cell. */
#define DS_WINDOW_CELL_COUNTS(X)                                             \
    X(a, int64_t, "units both given and target")                             \
    X(b, int64_t, "given, not target")                                       \
    X(c, int64_t, "target, not given")                                       \
    X(d, int64_t, "neither")

/* Statistics of a window's 2x2 table, per cell. */
#define DS_WINDOW_CELL_STATS(X)                                              \
    X(yules_q, double, "Yule's Q")                                           \
    X(log_odds_ratio, double, "log odds ratio")                              \
    X(log_odds_ratio_se, double, "its standard error (Woolf 1955)")          \
    X(adjusted_residual, double, "adjusted residual of cell a")

/* The window statistics summarized between sessions (SPEC 4.5):
 * /window/couple_summary/<stat>_<part>, each a field of
 * DS_WINDOW_CELL_STATS too. */
#define DS_WINDOW_SUMMARY_STATS(X)                                           \
    X(yules_q, double, "per-session Yule's Q of the window")                 \
    X(adjusted_residual, double, "per-session adjusted residual of cell a")

/* The coefficients of an actor-partner model (SPEC 4.5, apim.h), per
 * session [S] and summarized between sessions. */
#define DS_AP_COEFS(X)                                                       \
    X(intercept, double, "b0: mean logit of Y over the four cells")          \
    X(partner, double, "b1: partner effect of X at t-1 (effect-coded)")      \
    X(actor, double, "b2: actor (stability) effect of Y at t-1")             \
    X(interaction, double, "b3: partner x actor interaction")                \
    X(partner_only, double, "partner effect without the actor term")

#endif
