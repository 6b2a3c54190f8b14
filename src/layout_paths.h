/*
 * layout_paths.h — every name in a results file, defined once (SPEC 5,
 * schemas/results.md).
 *
 * The writer (layout*.c) and every reader (info, export, compare, the
 * documentation of the plot and reading scripts) take group, dataset,
 * attribute and axis names from here instead of spelling them out, so the
 * layout is changed in one place and a typo fails to compile instead of
 * reading an absent path. Fixed paths are string literals (they
 * concatenate: DS_PATH_IN(DS_PATH_CYCLES, DS_COL_N_CYCLES) is
 * "/cycles/n_cycles"); paths with a parameter (a lag, a session label) are
 * built by the ds_layout_path_* functions below, which allocate, so no
 * path is ever cut short.
 *
 * The statistics of a lag table and of a time window are named after the
 * fields that hold them, as listed in dyadseq/statlist.h (the writer
 * loops over those lists); a reader that wants one by name writes
 * DS_LAG_STAT(yules_q), which is "yules_q" and fails to compile when
 * ds_lag_table_t has no such field.
 */
#ifndef DYADSEQ_LAYOUT_PATHS_H
#define DYADSEQ_LAYOUT_PATHS_H

#include <stddef.h>

#include "dyadseq/apim.h"
#include "dyadseq/lagstats.h"
#include "dyadseq/twobytwo.h"
#include "dyadseq/window.h"
#include "results.h"

/* "<group>/<name>" of two literals. */
#define DS_PATH_IN(group, name) group "/" name

/* ---- root ------------------------------------------------------------ */

#define DS_PATH_ROOT "/"
/* attributes of the root (provenance) */
/* attributes of the root (provenance), written by results_write.c */
#define DS_ATTR_FORMAT DS_RESULTS_ATTR_FORMAT
#define DS_ATTR_FORMAT_VERSION DS_RESULTS_ATTR_FORMAT_VERSION
#define DS_ATTR_SOFTWARE_VERSION DS_RESULTS_ATTR_SOFTWARE_VERSION
#define DS_ATTR_COMMAND_LINE DS_RESULTS_ATTR_COMMAND_LINE
#define DS_ATTR_PARAMETERS DS_RESULTS_ATTR_PARAMETERS
#define DS_ATTR_INPUT_FILES DS_RESULTS_ATTR_INPUT_FILES
#define DS_ATTR_INPUT_SHA256 DS_RESULTS_ATTR_INPUT_SHA256
#define DS_ATTR_SEED DS_RESULTS_ATTR_SEED
/* ... of a compare file made from a results file */
#define DS_ATTR_SOURCE_FILE "source_file"
#define DS_ATTR_SOURCE_SHA256 "source_sha256"
#define DS_ATTR_SOURCE_COMMAND_LINE "source_command_line"
#define DS_ATTR_SOURCE_PARAMETERS "source_parameters"

/* ---- axes: the `dimensions` attribute of every dataset ---------------- */

#define DS_ATTR_DIMENSIONS "dimensions"
#define DS_DIM_SESSION "session"
#define DS_DIM_FROM "from"
#define DS_DIM_TO "to"
#define DS_DIM_STATE "state"
#define DS_DIM_CODE "code"
#define DS_DIM_FIRST "first"
#define DS_DIM_SECOND "second"
#define DS_DIM_ROW "row"
#define DS_DIM_POINT "point"
#define DS_DIM_SCALAR ""
#define DS_DIMS_FROM_TO DS_DIM_FROM "," DS_DIM_TO
#define DS_DIMS_SESSION_FROM_TO DS_DIM_SESSION "," DS_DIMS_FROM_TO
#define DS_DIMS_FIRST_SECOND DS_DIM_FIRST "," DS_DIM_SECOND

/* attribute of a per-label group: the label exactly */
#define DS_ATTR_LABEL "label"

/* ---- /states, /codebook, /sessions ------------------------------------ */

#define DS_PATH_STATES "/states"
#define DS_PATH_STATES_LABEL DS_PATH_IN(DS_PATH_STATES, "label")
#define DS_PATH_CODEBOOK "/codebook"
#define DS_PATH_CODEBOOK_CODE DS_PATH_IN(DS_PATH_CODEBOOK, "code")
#define DS_PATH_CODEBOOK_ROLE DS_PATH_IN(DS_PATH_CODEBOOK, "role")
#define DS_PATH_CODEBOOK_DESCRIPTION                                         \
    DS_PATH_IN(DS_PATH_CODEBOOK, "description")
#define DS_PATH_SESSIONS "/sessions"
#define DS_COL_COUPLE "couple"
#define DS_COL_SESSION "session"
#define DS_PATH_SESSIONS_COUPLE DS_PATH_IN(DS_PATH_SESSIONS, DS_COL_COUPLE)
#define DS_PATH_SESSIONS_SESSION DS_PATH_IN(DS_PATH_SESSIONS, DS_COL_SESSION)
#define DS_PATH_SESSIONS_N_EVENTS DS_PATH_IN(DS_PATH_SESSIONS, "n_events")
#define DS_PATH_SESSIONS_DURATION_S DS_PATH_IN(DS_PATH_SESSIONS, "duration_s")
#define DS_PATH_SESSIONS_FIRST_ONSET_S                                       \
    DS_PATH_IN(DS_PATH_SESSIONS, "first_onset_s")
/* the observation period (SPEC 3), else first and last onset */
#define DS_PATH_SESSIONS_START_S DS_PATH_IN(DS_PATH_SESSIONS, "start_s")
#define DS_PATH_SESSIONS_END_S DS_PATH_IN(DS_PATH_SESSIONS, "end_s")

/* ---- /lag/<k> ---------------------------------------------------------- */

#define DS_PATH_LAG "/lag"
#define DS_ATTR_LAG "lag"                 /* of /lag/<k>: k */
/* the tables of a lag: /lag/<k>/<part>[/<label>] */
#define DS_LAG_SESSION "session"
#define DS_LAG_POOLED "pooled"
#define DS_LAG_POOLED_BY_LABEL "pooled_by_label"
#define DS_LAG_COUPLE_SUMMARY "couple_summary"
#define DS_LAG_COUPLE_SUMMARY_BY_LABEL "couple_summary_by_label"
/* members of a table besides the statistics of statlist.h */
#define DS_LAG_COUNTS "counts"
#define DS_LAG_PERMUTATION_P "permutation_p"
#define DS_LAG_N_EVENTS "n_events"               /* pooled tables */
#define DS_LAG_STRUCTURAL_ZERO "structural_zero" /* pooled tables */
/* a statistic of ds_lag_table_t by its field name, checked */
#define DS_LAG_STAT(field)                                                   \
    (#field + 0 * sizeof(((ds_lag_table_t *)0)->field))
/* couple summaries: <stat>_<part> */
#define DS_SUMMARY_MEAN "mean"
#define DS_SUMMARY_SD "sd"
#define DS_SUMMARY_N "n"
#define DS_SUMMARY_T "t"
#define DS_SUMMARY_P "p"

/* ---- /window ----------------------------------------------------------- */

#define DS_PATH_WINDOW "/window"
#define DS_PATH_WINDOW_SESSION DS_PATH_IN(DS_PATH_WINDOW, "session")
#define DS_PATH_WINDOW_POOLED DS_PATH_IN(DS_PATH_WINDOW, "pooled")
/* between-session summaries: <stat>_<part>, and per label in
 * couple_summary_by_label/<label> (ds_layout_path_window_label) */
#define DS_PATH_WINDOW_COUPLE_SUMMARY                                        \
    DS_PATH_IN(DS_PATH_WINDOW, "couple_summary")
#define DS_WINDOW_COUPLE_SUMMARY_BY_LABEL "couple_summary_by_label"
#define DS_ATTR_WINDOW_EDGES "edges"
#define DS_VAL_EDGES_KEEP "keep"
#define DS_VAL_EDGES_DROP "drop"
#define DS_ATTR_WINDOW_LO "lo"
#define DS_ATTR_WINDOW_HI "hi"
#define DS_ATTR_WINDOW_TIME_UNIT_S "time_unit_s"
#define DS_ATTR_WINDOW_TARGET "target"
#define DS_VAL_TARGET_ONSET "onset"
#define DS_VAL_TARGET_ONGOING "ongoing"
/* the cells of a window's 2×2 table, by their ds_window_counts_t field,
 * and its statistics, by their ds_2x2_t field */
#define DS_WINDOW_CELL(field)                                                \
    (#field + 0 * sizeof(((ds_window_counts_t *)0)->field))
#define DS_WINDOW_STAT(field) (#field + 0 * sizeof(((ds_2x2_t *)0)->field))

/* ---- /actor_partner ---------------------------------------------------- */

/* attributes: delta, time_unit_s and target (DS_ATTR_WINDOW_*) */
#define DS_PATH_ACTOR_PARTNER "/actor_partner"
#define DS_ATTR_AP_DELTA "delta"
/* a model's group /actor_partner/<model> (ds_layout_path_ap), attributes
 * model (the name exactly), y, x, y_states, x_states */
#define DS_ATTR_AP_MODEL "model"
#define DS_ATTR_AP_Y "y"
#define DS_ATTR_AP_X "x"
#define DS_ATTR_AP_Y_STATES "y_states"
#define DS_ATTR_AP_X_STATES "x_states"
/* its members: the tables [S, 2, 2, 2], the per-session columns, the
 * summaries between sessions */
#define DS_AP_COUNTS "counts"
#define DS_DIMS_AP_COUNTS                                                    \
    DS_DIM_SESSION ",partner_prev,actor_prev,actor_now"
#define DS_AP_SESSION "session"
#define DS_AP_COUPLE_SUMMARY "couple_summary"
/* per-session columns besides the coefficients of DS_AP_COEFS */
#define DS_COL_N_UNITS "n_units"
#define DS_COL_N_UNIT_PAIRS "n_unit_pairs"
#define DS_COL_SE "se"
/* a coefficient by its ds_ap_fit_t field, checked */
#define DS_AP_COEF(field) (#field + 0 * sizeof(((ds_ap_fit_t *)0)->field))
/* the summary table: scope, label, coefficient, mean, sd, n, t, p */
#define DS_COL_COEFFICIENT "coefficient"

/* ---- table columns shared by several groups ---------------------------- */

#define DS_COL_SESSION_INDEX "session_index"
#define DS_COL_ROW "row"                 /* of a curve: row of its table */
#define DS_COL_TIME_S "time_s"
#define DS_COL_SURVIVAL "survival"
#define DS_COL_N_AT_RISK "n_at_risk"
#define DS_COL_N_EVENTS "n_events"
#define DS_COL_BIDDER "bidder"
#define DS_COL_N_BIDS "n_bids"
#define DS_COL_P_RESPONSE_BY_WINDOW "p_response_by_window"
#define DS_COL_LABEL "label"
#define DS_COL_METRIC "metric"
#define DS_COL_PRE "pre"
#define DS_COL_POST "post"
#define DS_COL_BETTER "better"
#define DS_COL_SD_PRE "sd_pre"
/* attribute of /responsiveness and /softening: W */
#define DS_ATTR_RESPONSE_WINDOW_S "response_window_s"

/* ---- /responsiveness --------------------------------------------------- */

#define DS_PATH_RESPONSIVENESS "/responsiveness"
#define DS_COL_N_ANSWERED "n_answered"
#define DS_COL_N_ANSWERED_LATE "n_answered_late"
#define DS_COL_RESPONSE_RATE "response_rate"
#define DS_COL_LATENCY_MEAN_S "latency_mean_s"
#define DS_COL_LATENCY_MEDIAN_S "latency_median_s"
#define DS_COL_N_TURNED_AWAY "n_turned_away"
#define DS_COL_N_TURNED_AGAINST "n_turned_against"
/* the session curves: row, time_s, survival, n_at_risk, n_events */
#define DS_PATH_RESPONSIVENESS_KM DS_PATH_IN(DS_PATH_RESPONSIVENESS, "km")
/* pooled over sessions: scope, label, bidder, n_bids,
 * p_response_by_window, median_time_to_response_s; curves as above */
#define DS_PATH_RESPONSIVENESS_POOLED                                        \
    DS_PATH_IN(DS_PATH_RESPONSIVENESS, "pooled")
#define DS_PATH_RESPONSIVENESS_POOLED_KM                                     \
    DS_PATH_IN(DS_PATH_RESPONSIVENESS_POOLED, "km")
#define DS_COL_SCOPE "scope"
#define DS_VAL_SCOPE_ALL "all"
#define DS_VAL_SCOPE_LABEL "label"
#define DS_COL_MEDIAN_TIME_TO_RESPONSE_S "median_time_to_response_s"

/* ---- /cycles ----------------------------------------------------------- */

#define DS_PATH_CYCLES "/cycles"
#define DS_ATTR_CYCLE_MIN "cycle_min"
#define DS_COL_N_CYCLES "n_cycles"
#define DS_COL_EVENTS_IN_CYCLES "events_in_cycles"
#define DS_COL_LONGEST_CYCLE "longest_cycle"
#define DS_COL_TIME_IN_CYCLES_S "time_in_cycles_s"
#define DS_COL_SHARE_TIME_IN_CYCLES "share_time_in_cycles"
#define DS_COL_N_PURSUER_A "n_pursuer_a"
#define DS_COL_N_PURSUER_B "n_pursuer_b"
#define DS_COL_ENDED_BY_SOFTEN "ended_by_soften"
#define DS_COL_ENDED_BY_BID "ended_by_bid"
#define DS_COL_ENDED_OTHER "ended_other"
#define DS_COL_ENDED_BY_SESSION_END "ended_by_session_end"
/* the cycles themselves, one row per cycle in session order */
#define DS_PATH_CYCLES_RUNS DS_PATH_IN(DS_PATH_CYCLES, "runs")
#define DS_COL_PURSUER "pursuer"
#define DS_COL_FIRST_EVENT "first_event"
/* and DS_COL_N_EVENTS */
#define DS_COL_START_S "start_s"
#define DS_COL_END_S "end_s"
#define DS_COL_ENDING "ending"
#define DS_VAL_ENDING_SOFTEN "soften"
#define DS_VAL_ENDING_BID "bid"
#define DS_VAL_ENDING_OTHER "other"
#define DS_VAL_ENDING_SESSION_END "session_end"

/* ---- /softening -------------------------------------------------------- */

#define DS_PATH_SOFTENING "/softening"
#define DS_COL_ACTOR "actor"
#define DS_COL_N_SOFTEN "n_soften"
#define DS_COL_N_RECIPROCATED "n_reciprocated"
#define DS_COL_RATE_PER_MIN "rate_per_min"
#define DS_COL_FIRST_ONSET_S "first_onset_s"
#define DS_COL_SHARE_RECIPROCATED "share_reciprocated"

/* ---- /comparison (compare) --------------------------------------------- */

#define DS_PATH_COMPARISON "/comparison"
#define DS_ATTR_PRE "pre"
#define DS_ATTR_POST "post"
#define DS_ATTR_CONF_LEVEL "conf_level"
#define DS_ATTR_Q_BH_OF "q_bh_of"
#define DS_ATTR_N_COUPLES "n_couples"
#define DS_ATTR_N_BOTH "n_both"
#define DS_COL_N_PAIRS "n_pairs"
#define DS_COL_MEAN_PRE "mean_pre"
#define DS_COL_MEAN_POST "mean_post"
#define DS_COL_SD_POST "sd_post"
#define DS_COL_MEAN_DIFF "mean_diff"
#define DS_COL_CI_LOW "ci_low"
#define DS_COL_CI_HIGH "ci_high"
#define DS_COL_T "t"
#define DS_COL_DF "df"
#define DS_COL_P_T "p_t"
#define DS_COL_WILCOXON_V "wilcoxon_v"
#define DS_COL_P_WILCOXON "p_wilcoxon"
#define DS_COL_D_Z "d_z"
#define DS_COL_D_AV "d_av"
#define DS_COL_HEDGES_G "hedges_g"
#define DS_COL_Q_BH "q_bh"
#define DS_COL_N_EXCLUDED "n_excluded"
#define DS_COL_SD_DIFF "sd_diff"
#define DS_COL_WILCOXON_N "wilcoxon_n"
#define DS_COL_WILCOXON_EXACT "wilcoxon_exact"
/* every couple's values: metric, couple, pre, post, used */
#define DS_PATH_COMPARISON_VALUES DS_PATH_IN(DS_PATH_COMPARISON, "values")
#define DS_COL_USED "used"
/* couples not used: metric, couple, reason */
#define DS_PATH_COMPARISON_EXCLUDED DS_PATH_IN(DS_PATH_COMPARISON, "excluded")
#define DS_COL_REASON "reason"
/* --reliability: metric, r, better, sd_pre, se_diff, n_improved,
 * n_unchanged, n_deteriorated; attribute critical */
#define DS_PATH_COMPARISON_RELIABILITY                                       \
    DS_PATH_IN(DS_PATH_COMPARISON, "reliability")
#define DS_ATTR_CRITICAL "critical"
#define DS_COL_R "r"
#define DS_COL_SE_DIFF "se_diff"
#define DS_COL_N_IMPROVED "n_improved"
#define DS_COL_N_UNCHANGED "n_unchanged"
#define DS_COL_N_DETERIORATED "n_deteriorated"
/* per used couple: metric, couple, pre, post, rci, class */
#define DS_PATH_COMPARISON_RCI DS_PATH_IN(DS_PATH_COMPARISON, "rci")
#define DS_COL_RCI "rci"
#define DS_COL_CLASS "class"
#define DS_VAL_RCI_DETERIORATED "deteriorated"
#define DS_VAL_RCI_UNCHANGED "unchanged"
#define DS_VAL_RCI_IMPROVED "improved"
#define DS_VAL_RCI_UNDEFINED "undefined"

/* ---- /agreement (agree) ------------------------------------------------ */

#define DS_PATH_AGREEMENT "/agreement"
#define DS_COL_KAPPA "kappa"
#define DS_COL_KAPPA_MAX "kappa_max"
#define DS_COL_PERCENT_AGREEMENT "percent_agreement"
#define DS_COL_N_MATCHED "n_matched"
#define DS_COL_N_UNMATCHED_FIRST "n_unmatched_first"
#define DS_COL_N_UNMATCHED_SECOND "n_unmatched_second"
#define DS_COL_TIME_UNIT_KAPPA "time_unit_kappa"
#define DS_COL_PER_CODE_KAPPA "per_code_kappa"
#define DS_COL_MATRIX "matrix"

/* ---- paths with parameters --------------------------------------------- */

/*
 * Each returns a new string (free it), or NULL when out of memory; a NULL
 * argument ends the path there.
 */

/* "<group>/<name>"; "/<name>" when group is "/" */
char *ds_layout_path_join(const char *group, const char *name);

/* "/lag/<lag>", "/lag/<lag>/<part>", "/lag/<lag>/<part>/<name>":
 * ds_layout_path_lag(2, DS_LAG_SESSION, DS_LAG_STAT(yules_q)) is
 * "/lag/2/session/yules_q". */
char *ds_layout_path_lag(size_t lag, const char *part, const char *name);

/* "/lag/<lag>/<part>/<label>[/<name>]" for part DS_LAG_POOLED_BY_LABEL or
 * DS_LAG_COUPLE_SUMMARY_BY_LABEL, the label escaped as a group name
 * (schemas/results.md: `%` and `/` percent-encoded, `.` and `..` too). */
char *ds_layout_path_lag_label(size_t lag, const char *part,
                               const char *label, const char *name);

/* "/window/couple_summary_by_label/<label>", the label escaped as by
 * ds_layout_path_lag_label. */
char *ds_layout_path_window_label(const char *label);

/* "/actor_partner/<model>[/<part>[/<name>]]", the model escaped as a
 * group name (as a label is) */
char *ds_layout_path_ap(const char *model, const char *part,
                        const char *name);

/* "<group>/<stat>_<part>": a couple summary, e.g.
 * "/lag/1/couple_summary/yules_q_mean" */
char *ds_layout_path_summary(const char *group, const char *stat,
                             const char *part);

#endif
