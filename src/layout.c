/*
 * layout.c — the SPEC 5 layout of analysis results (see layout.h).
 */
#include "dyadseq/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyadseq/version.h"

#define TRY(call)                                                            \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_)                                                             \
            return rc_;                                                      \
    } while (0)

int ds_layout_corpus(ds_results_t *r, const ds_corpus_t *c,
                     const ds_analysis_t *a, const ds_provenance_t *p,
                     ds_error_t *err)
{
    size_t S = c->n_sessions;
    const char **sha = malloc((c->n_files ? c->n_files : 1) * sizeof *sha);
    if (!sha)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_files; i++)
        sha[i] = c->sha256[i];
    ds_results_provenance_t prov = {
        .command_line = p->command_line,
        .parameters = p->parameters_json,
        .seed = (unsigned long)p->seed,
        .n_inputs = c->n_files,
        .input_files = (const char *const *)c->files,
        .input_sha256 = sha};
    int rc = ds_results_write_provenance(r, &prov, err);
    free(sha);
    if (rc)
        return rc;

    TRY(ds_results_write_strings(r, "/states/label", c->n_states,
                                 (const char *const *)c->state_label, "state",
                                 err));
    const ds_codebook_t *cb = c->codebook;
    TRY(ds_results_write_strings(r, "/codebook/code", cb->n,
                                 (const char *const *)cb->code, "code", err));
    const char **roles = malloc((cb->n ? cb->n : 1) * sizeof *roles);
    if (!roles)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t i = 0; i < cb->n; i++)
        roles[i] = ds_role_name(cb->role[i]);
    rc = ds_results_write_strings(r, "/codebook/role", cb->n, roles, "code",
                                  err);
    free(roles);
    if (rc)
        return rc;
    TRY(ds_results_write_strings(r, "/codebook/description", cb->n,
                                 (const char *const *)cb->description, "code",
                                 err));

    const char **couple = malloc((S ? S : 1) * sizeof *couple);
    const char **label = malloc((S ? S : 1) * sizeof *label);
    int64_t *n_events = malloc((S ? S : 1) * sizeof *n_events);
    if (!couple || !label || !n_events) {
        free(couple);
        free(label);
        free(n_events);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    for (size_t s = 0; s < S; s++) {
        couple[s] = c->sessions[s].couple;
        label[s] = c->sessions[s].label;
        n_events[s] = (int64_t)c->sessions[s].n;
    }
    size_t dims[1] = {S};
    rc = ds_results_write_strings(r, "/sessions/couple", S, couple,
                                  "session", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/sessions/session", S, label,
                                      "session", err);
    if (!rc)
        rc = ds_results_write_int64(r, "/sessions/n_events", 1, dims,
                                    n_events, "session", err);
    free(couple);
    free(label);
    free(n_events);
    if (rc)
        return rc;
    if (a) {
        TRY(ds_results_write_double(r, "/sessions/duration_s", 1, dims,
                                    a->duration_s, "session", err));
        TRY(ds_results_write_double(r, "/sessions/first_onset_s", 1, dims,
                                    a->first_onset_s, "session", err));
    }
    return DS_OK;
}

/* Per-cell statistics of one table, by name; arrays [n * K * K]. */
typedef struct cell_stat {
    const char *name;
    const double *v;
} cell_stat_t;

static size_t table_stats(const ds_lag_table_t *t, cell_stat_t out[10])
{
    cell_stat_t s[10] = {
        {"expected", t->expected},
        {"transition_prob", t->transition_prob},
        {"adjusted_residual", t->adjusted_residual},
        {"p_value", t->p_value},
        {"yules_q", t->yules_q},
        {"yules_q_se", t->yules_q_se},
        {"log_odds_ratio", t->log_odds_ratio},
        {"log_odds_ratio_se", t->log_odds_ratio_se},
        {"wampold_kappa", t->wampold_kappa},
        {"wampold_z", t->wampold_z}};
    memcpy(out, s, sizeof s);
    return 10;
}

/* A pooled table, its permutation p-values and its summaries: the table
 * under `table_group`, the summaries under `summary_group`. */
static int write_pool(ds_results_t *r, const ds_lag_pool_t *p, size_t K,
                      const uint8_t *mask, const char *table_group,
                      const char *summary_group, const char *label,
                      ds_error_t *err)
{
    char path[1024];
    size_t dims[2] = {K, K};
    cell_stat_t st[10];
    size_t n = table_stats(p->table, st);
    snprintf(path, sizeof path, "%s/counts", table_group);
    TRY(ds_results_write_int64(r, path, 2, dims, p->table->counts,
                               "from,to", err));
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", table_group, st[i].name);
        TRY(ds_results_write_double(r, path, 2, dims, st[i].v, "from,to",
                                    err));
    }
    snprintf(path, sizeof path, "%s/structural_zero", table_group);
    TRY(ds_results_write_uint8(r, path, 2, dims, mask, "from,to", err));
    if (p->permutation_p) {
        snprintf(path, sizeof path, "%s/permutation_p", table_group);
        TRY(ds_results_write_double(r, path, 2, dims, p->permutation_p,
                                    "from,to", err));
    }
    const char *tn[4] = {"g2", "x2", "df", "g2_p"};
    double tv[4] = {p->table->g2, p->table->x2, p->table->df,
                    p->table->g2_p};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", table_group, tn[i]);
        TRY(ds_results_write_scalar_double(r, path, tv[i], err));
    }
    snprintf(path, sizeof path, "%s/n_events", table_group);
    TRY(ds_results_write_scalar_int64(r, path, p->n_events, err));
    if (label)
        TRY(ds_results_attr_string(r, table_group, "label", label, err));

    const ds_summary_t *sm[2] = {p->summary_q, p->summary_z};
    const char *sn[2] = {"yules_q", "adjusted_residual"};
    for (int k = 0; k < 2; k++) {
        const char *part[5] = {"mean", "sd", "n", "t", "p"};
        const double *pv[5] = {sm[k]->mean, sm[k]->sd, NULL, sm[k]->t,
                               sm[k]->p};
        for (int j = 0; j < 5; j++) {
            snprintf(path, sizeof path, "%s/%s_%s", summary_group, sn[k],
                     part[j]);
            if (j == 2)
                TRY(ds_results_write_int64(r, path, 2, dims, sm[k]->n,
                                           "from,to", err));
            else
                TRY(ds_results_write_double(r, path, 2, dims, pv[j],
                                            "from,to", err));
        }
    }
    if (label)
        TRY(ds_results_attr_string(r, summary_group, "label", label, err));
    return DS_OK;
}

static int write_lag(ds_results_t *r, const ds_corpus_t *c,
                     const ds_analysis_t *a, const ds_lag_result_t *lr,
                     const uint8_t *zero, ds_error_t *err)
{
    size_t S = a->S, K = a->K;
    size_t d3[3] = {S, K, K}, d1[1] = {S};
    char base[64], path[1024], g1[1024], g2[1024];
    snprintf(base, sizeof base, "/lag/%zu", lr->lag);
    TRY(ds_results_attr_int64(r, base, "lag", (int64_t)lr->lag, err));

    snprintf(path, sizeof path, "%s/session/counts", base);
    TRY(ds_results_write_int64(r, path, 3, d3, lr->counts,
                               "session,from,to", err));
    ds_lag_table_t view = {.K = K,
                           .expected = lr->expected,
                           .transition_prob = lr->transition_prob,
                           .adjusted_residual = lr->adjusted_residual,
                           .p_value = lr->p_value,
                           .yules_q = lr->yules_q,
                           .yules_q_se = lr->yules_q_se,
                           .log_odds_ratio = lr->log_odds_ratio,
                           .log_odds_ratio_se = lr->log_odds_ratio_se,
                           .wampold_kappa = lr->wampold_kappa,
                           .wampold_z = lr->wampold_z};
    cell_stat_t st[10];
    size_t n = table_stats(&view, st);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/session/%s", base, st[i].name);
        TRY(ds_results_write_double(r, path, 3, d3, st[i].v,
                                    "session,from,to", err));
    }
    if (lr->permutation_p) {
        snprintf(path, sizeof path, "%s/session/permutation_p", base);
        TRY(ds_results_write_double(r, path, 3, d3, lr->permutation_p,
                                    "session,from,to", err));
    }
    const char *tn[4] = {"g2", "x2", "df", "g2_p"};
    const double *tv[4] = {lr->g2, lr->x2, lr->df, lr->g2_p};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/session/%s", base, tn[i]);
        TRY(ds_results_write_double(r, path, 1, d1, tv[i], "session", err));
    }

    /* structural zeros constrain lag 1 only (SPEC 4.2) */
    uint8_t *mask = calloc(K * K + 1, 1);
    if (!mask)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (zero && lr->lag == 1)
        memcpy(mask, zero, K * K);
    snprintf(g1, sizeof g1, "%s/pooled", base);
    snprintf(g2, sizeof g2, "%s/couple_summary", base);
    int rc = write_pool(r, &lr->pooled, K, mask, g1, g2, NULL, err);
    for (size_t l = 0; rc == DS_OK && l < a->n_labels; l++) {
        char *name = ds_results_escape_name(c->labels[l]);
        if (!name) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            break;
        }
        snprintf(g1, sizeof g1, "%s/pooled_by_label/%s", base, name);
        snprintf(g2, sizeof g2, "%s/couple_summary_by_label/%s", base, name);
        free(name);
        rc = write_pool(r, &lr->by_label[l], K, mask, g1, g2, c->labels[l],
                        err);
    }
    free(mask);
    return rc;
}

static int write_window(ds_results_t *r, const ds_analysis_t *a,
                        const ds_analysis_opts_t *o, ds_error_t *err)
{
    const ds_window_result_t *w = a->window;
    size_t S = a->S, K = a->K;
    size_t d3[3] = {S, K, K}, d2[2] = {K, K};
    TRY(ds_results_attr_int64(r, "/window", "lo", o->window_opts.lo, err));
    TRY(ds_results_attr_int64(r, "/window", "hi", o->window_opts.hi, err));
    TRY(ds_results_attr_double(r, "/window", "time_unit_s",
                               o->window_opts.unit_s, err));
    TRY(ds_results_attr_string(r, "/window", "target",
                               o->window_opts.target_ongoing ? "ongoing"
                                                             : "onset",
                               err));
    const char *in[4] = {"a", "b", "c", "d"};
    const int64_t *iv[4] = {w->a, w->b, w->c, w->d};
    const int64_t *pv[4] = {w->pooled->a, w->pooled->b, w->pooled->c,
                            w->pooled->d};
    char path[256];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/window/session/%s", in[i]);
        TRY(ds_results_write_int64(r, path, 3, d3, iv[i], "session,from,to",
                                   err));
        snprintf(path, sizeof path, "/window/pooled/%s", in[i]);
        TRY(ds_results_write_int64(r, path, 2, d2, pv[i], "from,to", err));
    }
    const char *dn[4] = {"yules_q", "log_odds_ratio", "log_odds_ratio_se",
                         "adjusted_residual"};
    const double *dv[4] = {w->yules_q, w->log_odds_ratio,
                           w->log_odds_ratio_se, w->adjusted_residual};
    const double *dp[4] = {w->pooled_q, w->pooled_lor, w->pooled_lor_se,
                           w->pooled_z};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/window/session/%s", dn[i]);
        TRY(ds_results_write_double(r, path, 3, d3, dv[i], "session,from,to",
                                    err));
        snprintf(path, sizeof path, "/window/pooled/%s", dn[i]);
        TRY(ds_results_write_double(r, path, 2, d2, dp[i], "from,to", err));
    }
    return DS_OK;
}

/* Column buffers for the row tables (/responsiveness, /cycles, ...). */
typedef struct columns {
    size_t n;
    int64_t *i[8];
    double *d[8];
    const char **s;
} columns_t;

static int columns_alloc(columns_t *c, size_t n, int ni, int nd, int ns)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    int ok = 1;
    for (int k = 0; k < ni; k++)
        ok &= (c->i[k] = malloc((n ? n : 1) * sizeof(int64_t))) != NULL;
    for (int k = 0; k < nd; k++)
        ok &= (c->d[k] = malloc((n ? n : 1) * sizeof(double))) != NULL;
    if (ns)
        ok &= (c->s = malloc((n ? n : 1) * sizeof *c->s)) != NULL;
    return ok ? 0 : -1;
}

static void columns_free(columns_t *c)
{
    for (int k = 0; k < 8; k++) {
        free(c->i[k]);
        free(c->d[k]);
    }
    free(c->s);
}

/* Write named int64 and double columns of c under group. */
static int columns_write(ds_results_t *r, const char *group,
                         const columns_t *c, const char *const *inames,
                         int ni, const char *const *dnames, int nd,
                         const char *dimname, ds_error_t *err)
{
    char path[256];
    size_t dims[1] = {c->n};
    for (int k = 0; k < ni; k++) {
        snprintf(path, sizeof path, "%s/%s", group, inames[k]);
        TRY(ds_results_write_int64(r, path, 1, dims, c->i[k], dimname, err));
    }
    for (int k = 0; k < nd; k++) {
        snprintf(path, sizeof path, "%s/%s", group, dnames[k]);
        TRY(ds_results_write_double(r, path, 1, dims, c->d[k], dimname, err));
    }
    return DS_OK;
}

static int write_responsiveness(ds_results_t *r, const ds_corpus_t *c,
                                const ds_analysis_t *a,
                                const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t rows = 2 * a->S, n_km = 0;
    columns_t t = {0}, km = {0};
    int rc = DS_ENOMEM;
    for (size_t k = 0; k < rows; k++)
        n_km += a->responsive[k].km.n;
    if (columns_alloc(&t, rows, 6, 4, 1) || columns_alloc(&km, n_km, 3, 2, 0))
        goto done;
    size_t j = 0;
    for (size_t k = 0; k < rows; k++) {
        const ds_responsive_t *x = &a->responsive[k];
        t.i[0][k] = (int64_t)(k / 2);
        t.s[k] = c->actors[x->bidder];
        t.i[1][k] = (int64_t)x->n_bids;
        t.i[2][k] = (int64_t)x->n_answered;
        t.i[3][k] = (int64_t)x->n_turned_away;
        t.i[4][k] = (int64_t)x->n_turned_against;
        t.i[5][k] = (int64_t)x->n_answered_late;
        t.d[0][k] = x->response_rate;
        t.d[1][k] = x->latency_mean_s;
        t.d[2][k] = x->latency_median_s;
        t.d[3][k] = x->p_response_by_window;
        for (size_t p = 0; p < x->km.n; p++, j++) {
            km.i[0][j] = (int64_t)k;
            km.i[1][j] = (int64_t)x->km.n_at_risk[p];
            km.i[2][j] = (int64_t)x->km.n_events[p];
            km.d[0][j] = x->km.time_s[p];
            km.d[1][j] = x->km.survival[p];
        }
    }
    size_t dims[1] = {rows};
    static const char *const in[] = {"session_index", "n_bids", "n_answered",
                                     "n_turned_away", "n_turned_against",
                                     "n_answered_late"};
    static const char *const dn[] = {"response_rate", "latency_mean_s",
                                     "latency_median_s",
                                     "p_response_by_window"};
    rc = ds_results_write_int64(r, "/responsiveness/session_index", 1, dims,
                                t.i[0], "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/responsiveness/bidder", rows, t.s,
                                      "row", err);
    if (!rc) {
        /* the rest in SPEC order after session_index and bidder */
        columns_t rest = t;
        for (int k = 0; k < 5; k++)
            rest.i[k] = t.i[k + 1];
        rest.i[5] = NULL;
        rc = columns_write(r, "/responsiveness", &rest, in + 1, 5, dn, 4,
                           "row", err);
    }
    if (!rc)
        rc = ds_results_attr_double(r, "/responsiveness", "response_window_s",
                                    o->responsive_opts.window_s, err);
    static const char *const kin[] = {"row", "n_at_risk", "n_events"};
    static const char *const kdn[] = {"time_s", "survival"};
    if (!rc)
        rc = columns_write(r, "/responsiveness/km", &km, kin, 3, kdn, 2,
                           "point", err);
done:
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    columns_free(&t);
    columns_free(&km);
    return rc;
}

static int write_cycles(ds_results_t *r, const ds_corpus_t *c,
                        const ds_analysis_t *a, const ds_analysis_opts_t *o,
                        ds_error_t *err)
{
    size_t S = a->S;
    columns_t t = {0}, sf = {0};
    int rc = DS_ENOMEM;
    if (columns_alloc(&t, S, 8, 2, 0) || columns_alloc(&sf, 2 * S, 3, 3, 1))
        goto done;
    for (size_t s = 0; s < S; s++) {
        const ds_cycles_t *x = &a->cycles[s];
        t.i[0][s] = (int64_t)s;
        t.i[1][s] = (int64_t)x->n_cycles;
        t.i[2][s] = (int64_t)x->events_in_cycles;
        t.i[3][s] = (int64_t)x->longest_cycle;
        t.i[4][s] = (int64_t)x->n_pursuer_a;
        t.i[5][s] = (int64_t)x->n_pursuer_b;
        t.i[6][s] = (int64_t)x->ended_by_soften;
        t.i[7][s] = (int64_t)x->ended_by_bid;
        t.d[0][s] = x->time_in_cycles_s;
        t.d[1][s] = x->share_time_in_cycles;
    }
    static const char *const in[] = {
        "session_index", "n_cycles",    "events_in_cycles", "longest_cycle",
        "n_pursuer_a",   "n_pursuer_b", "ended_by_soften",  "ended_by_bid"};
    static const char *const dn[] = {"time_in_cycles_s",
                                     "share_time_in_cycles"};
    rc = columns_write(r, "/cycles", &t, in, 8, dn, 2, "session", err);
    if (rc)
        goto done;
    /* the two remaining end counts */
    for (size_t s = 0; s < S; s++) {
        t.i[0][s] = (int64_t)a->cycles[s].ended_other;
        t.i[1][s] = (int64_t)a->cycles[s].ended_by_session_end;
    }
    static const char *const in2[] = {"ended_other", "ended_by_session_end"};
    rc = columns_write(r, "/cycles", &t, in2, 2, NULL, 0, "session", err);
    if (!rc)
        rc = ds_results_attr_int64(r, "/cycles", "cycle_min",
                                   (int64_t)o->cycles_opts.min_len, err);
    if (rc)
        goto done;

    for (size_t k = 0; k < 2 * S; k++) {
        const ds_softening_t *x = &a->softening[k];
        sf.i[0][k] = (int64_t)(k / 2);
        sf.s[k] = c->actors[x->actor];
        sf.i[1][k] = (int64_t)x->n_soften;
        sf.i[2][k] = (int64_t)x->n_reciprocated;
        sf.d[0][k] = x->rate_per_min;
        sf.d[1][k] = x->first_onset_s;
        sf.d[2][k] = x->share_reciprocated;
    }
    size_t dims[1] = {2 * S};
    rc = ds_results_write_int64(r, "/softening/session_index", 1, dims,
                                sf.i[0], "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/softening/actor", 2 * S, sf.s,
                                      "row", err);
    if (!rc) {
        columns_t rest = sf;
        rest.i[0] = sf.i[1];
        rest.i[1] = sf.i[2];
        rest.i[2] = NULL;
        static const char *const sin[] = {"n_soften", "n_reciprocated"};
        static const char *const sdn[] = {"rate_per_min", "first_onset_s",
                                          "share_reciprocated"};
        rc = columns_write(r, "/softening", &rest, sin, 2, sdn, 3, "row",
                           err);
    }
done:
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    columns_free(&t);
    columns_free(&sf);
    return rc;
}

int ds_layout_analysis(ds_results_t *r, const ds_corpus_t *c,
                       const ds_analysis_t *a, const uint8_t *zero,
                       const ds_analysis_opts_t *o, ds_error_t *err)
{
    for (size_t l = 0; l < a->n_lags; l++)
        TRY(write_lag(r, c, a, &a->lag[l], zero, err));
    if (a->window)
        TRY(write_window(r, a, o, err));
    if (a->responsive)
        TRY(write_responsiveness(r, c, a, o, err));
    if (a->cycles)
        TRY(write_cycles(r, c, a, o, err));
    return DS_OK;
}

/* ---- /comparison (compare) ----------------------------------------- */

static const char *const rci_class_name[] = {"deteriorated", "unchanged",
                                             "improved", "undefined"};

/* The table of metrics: SPEC 5's columns, then n_excluded, sd_diff,
 * wilcoxon_n, wilcoxon_exact and better. */
static int write_comparison_table(ds_results_t *r, const ds_compare_t *c,
                                  ds_error_t *err)
{
    size_t M = c->n_metrics, n = M ? M : 1;
    columns_t t = {0};
    const char **names = malloc(n * sizeof *names);
    const char **better = malloc(n * sizeof *better);
    uint8_t *exact = malloc(n);
    int rc = DS_ENOMEM;
    if (!names || !better || !exact || columns_alloc(&t, M, 3, 8, 0))
        goto done;
    static const char *const dn[] = {
        "mean_pre", "sd_pre",    "mean_post",  "sd_post",  "mean_diff",
        "ci_low",   "ci_high",   "t",          "df",       "p_t",
        "wilcoxon_v", "p_wilcoxon", "d_z",     "d_av",     "hedges_g",
        "q_bh",     "sd_diff"};
    size_t n_dn = sizeof dn / sizeof dn[0];
    double *d = malloc(n * n_dn * sizeof *d);
    if (!d)
        goto done;
    for (size_t i = 0; i < M; i++) {
        const ds_compare_metric_t *m = &c->metric[i];
        const ds_paired_result_t *s = &m->stat;
        double v[] = {s->mean_pre,   s->sd_pre,     s->mean_post, s->sd_post,
                      s->mean_diff,  s->ci_low,     s->ci_high,   s->t,
                      s->df,         s->p_t,        s->wilcoxon_v,
                      s->p_wilcoxon, s->d_z,        s->d_av,      s->hedges_g,
                      m->q_bh,       s->sd_diff};
        for (size_t k = 0; k < n_dn; k++)
            d[k * n + i] = v[k];
        names[i] = m->name;
        better[i] = ds_compare_better_name(m->better);
        t.i[0][i] = (int64_t)s->n_pairs;
        t.i[1][i] = (int64_t)s->n_excluded;
        t.i[2][i] = (int64_t)s->wilcoxon_n;
        exact[i] = (uint8_t)(s->wilcoxon_exact != 0);
    }
    size_t dims[1] = {M};
    char path[64];
    rc = ds_results_write_strings(r, "/comparison/metric", M, names, "row",
                                  err);
    if (!rc)
        rc = ds_results_write_int64(r, "/comparison/n_pairs", 1, dims,
                                    t.i[0], "row", err);
    for (size_t k = 0; k < n_dn - 1 && !rc; k++) {
        snprintf(path, sizeof path, "/comparison/%s", dn[k]);
        rc = ds_results_write_double(r, path, 1, dims, d + k * n, "row", err);
    }
    if (!rc)
        rc = ds_results_write_int64(r, "/comparison/n_excluded", 1, dims,
                                    t.i[1], "row", err);
    if (!rc)
        rc = ds_results_write_double(r, "/comparison/sd_diff", 1, dims,
                                     d + (n_dn - 1) * n, "row", err);
    if (!rc)
        rc = ds_results_write_int64(r, "/comparison/wilcoxon_n", 1, dims,
                                    t.i[2], "row", err);
    if (!rc)
        rc = ds_results_write_uint8(r, "/comparison/wilcoxon_exact", 1, dims,
                                    exact, "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/better", M, better,
                                      "row", err);
    free(d);
done:
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    free(names);
    free(better);
    free(exact);
    columns_free(&t);
    return rc;
}

/* /comparison/values (every metric × couple) and /comparison/excluded. */
static int write_comparison_values(ds_results_t *r, const ds_compare_t *c,
                                   ds_error_t *err)
{
    size_t M = c->n_metrics, C = c->n_couples, n = M * C, x = 0;
    for (size_t i = 0; i < M; i++)
        for (size_t k = 0; k < C; k++)
            x += c->metric[i].reason[k] != NULL;
    size_t n1 = n ? n : 1, x1 = x ? x : 1;
    const char **vm = malloc(n1 * sizeof *vm), **vc = malloc(n1 * sizeof *vc);
    const char **xm = malloc(x1 * sizeof *xm), **xc = malloc(x1 * sizeof *xc);
    const char **xr = malloc(x1 * sizeof *xr);
    double *pre = malloc(n1 * sizeof *pre), *post = malloc(n1 * sizeof *post);
    uint8_t *used = malloc(n1);
    int rc = DS_ENOMEM;
    if (!vm || !vc || !xm || !xc || !xr || !pre || !post || !used)
        goto done;
    size_t j = 0, e = 0;
    for (size_t i = 0; i < M; i++) {
        const ds_compare_metric_t *m = &c->metric[i];
        for (size_t k = 0; k < C; k++, j++) {
            vm[j] = m->name;
            vc[j] = c->couple[k];
            pre[j] = m->pre[k];
            post[j] = m->post[k];
            used[j] = m->reason[k] == NULL;
            if (m->reason[k]) {
                xm[e] = m->name;
                xc[e] = c->couple[k];
                xr[e++] = m->reason[k];
            }
        }
    }
    size_t dims[1] = {n};
    rc = ds_results_write_strings(r, "/comparison/values/metric", n, vm,
                                  "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/values/couple", n, vc,
                                      "row", err);
    if (!rc)
        rc = ds_results_write_double(r, "/comparison/values/pre", 1, dims,
                                     pre, "row", err);
    if (!rc)
        rc = ds_results_write_double(r, "/comparison/values/post", 1, dims,
                                     post, "row", err);
    if (!rc)
        rc = ds_results_write_uint8(r, "/comparison/values/used", 1, dims,
                                    used, "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/excluded/metric", x, xm,
                                      "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/excluded/couple", x, xc,
                                      "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/excluded/reason", x, xr,
                                      "row", err);
done:
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    free(vm);
    free(vc);
    free(xm);
    free(xc);
    free(xr);
    free(pre);
    free(post);
    free(used);
    return rc;
}

/* /comparison/reliability (one row per --reliability metric) and
 * /comparison/rci (one row per metric and used pair). */
static int write_comparison_rci(ds_results_t *r, const ds_compare_t *c,
                                ds_error_t *err)
{
    size_t M = c->n_metrics, C = c->n_couples, nr = 0, nc = 0;
    for (size_t i = 0; i < M; i++)
        if (c->metric[i].has_rci) {
            nr++;
            for (size_t k = 0; k < C; k++)
                nc += c->metric[i].reason[k] == NULL;
        }
    if (nr == 0)
        return DS_OK;
    size_t nc1 = nc ? nc : 1;
    columns_t t = {0}, u = {0};
    const char **rm = malloc(nr * sizeof *rm), **rb = malloc(nr * sizeof *rb);
    const char **cm = malloc(nc1 * sizeof *cm), **cc = malloc(nc1 * sizeof *cc);
    const char **cl = malloc(nc1 * sizeof *cl);
    int rc = DS_ENOMEM;
    if (!rm || !rb || !cm || !cc || !cl || columns_alloc(&t, nr, 3, 3, 0) ||
        columns_alloc(&u, nc, 0, 3, 0))
        goto done;
    size_t a = 0, b = 0;
    for (size_t i = 0; i < M; i++) {
        const ds_compare_metric_t *m = &c->metric[i];
        if (!m->has_rci)
            continue;
        rm[a] = m->name;
        rb[a] = ds_compare_better_name(m->better);
        t.d[0][a] = m->r;
        t.d[1][a] = m->stat.sd_pre;
        t.d[2][a] = m->se_diff;
        t.i[0][a] = (int64_t)m->n_improved;
        t.i[1][a] = (int64_t)m->n_unchanged;
        t.i[2][a++] = (int64_t)m->n_deteriorated;
        for (size_t k = 0; k < C; k++) {
            if (m->reason[k])
                continue;
            cm[b] = m->name;
            cc[b] = c->couple[k];
            u.d[0][b] = m->pre[k];
            u.d[1][b] = m->post[k];
            u.d[2][b] = m->rci[k];
            int cls = ds_rci_class(m->rci[k], m->better);
            cl[b++] = rci_class_name[cls + 1];
        }
    }
    /* metric, r, better, sd_pre, se_diff, the three counts */
    size_t dims[1] = {nr};
    rc = ds_results_write_strings(r, "/comparison/reliability/metric", nr, rm,
                                  "row", err);
    if (!rc)
        rc = ds_results_write_double(r, "/comparison/reliability/r", 1, dims,
                                     t.d[0], "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/reliability/better", nr,
                                      rb, "row", err);
    static const char *const tdn[] = {"sd_pre", "se_diff"};
    static const char *const tin[] = {"n_improved", "n_unchanged",
                                      "n_deteriorated"};
    columns_t rest = t;
    rest.d[0] = t.d[1];
    rest.d[1] = t.d[2];
    if (!rc)
        rc = columns_write(r, "/comparison/reliability", &rest, NULL, 0, tdn,
                           2, "row", err);
    if (!rc)
        rc = columns_write(r, "/comparison/reliability", &t, tin, 3, NULL, 0,
                           "row", err);
    if (!rc)
        rc = ds_results_attr_double(r, "/comparison/reliability", "critical",
                                    DS_RCI_CRITICAL, err);
    static const char *const udn[] = {"pre", "post", "rci"};
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/rci/metric", nc, cm,
                                      "row", err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/rci/couple", nc, cc,
                                      "row", err);
    if (!rc)
        rc = columns_write(r, "/comparison/rci", &u, NULL, 0, udn, 3, "row",
                           err);
    if (!rc)
        rc = ds_results_write_strings(r, "/comparison/rci/class", nc, cl,
                                      "row", err);
done:
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    free(rm);
    free(rb);
    free(cm);
    free(cc);
    free(cl);
    columns_free(&t);
    columns_free(&u);
    return rc;
}

int ds_layout_comparison(ds_results_t *r, const ds_compare_t *c,
                         ds_error_t *err)
{
    TRY(write_comparison_table(r, c, err));
    TRY(ds_results_attr_string(r, "/comparison", "pre", c->pre, err));
    TRY(ds_results_attr_string(r, "/comparison", "post", c->post, err));
    TRY(ds_results_attr_double(r, "/comparison", "conf_level", c->conf_level,
                               err));
    TRY(ds_results_attr_string(r, "/comparison", "q_bh_of", "p_t", err));
    TRY(ds_results_attr_int64(r, "/comparison", "n_couples",
                              (int64_t)c->n_couples, err));
    TRY(ds_results_attr_int64(r, "/comparison", "n_both",
                              (int64_t)c->n_both, err));
    TRY(write_comparison_values(r, c, err));
    TRY(write_comparison_rci(r, c, err));
    return DS_OK;
}

int ds_layout_copy(ds_results_t *r, ds_results_reader_t *f, const char *path,
                   ds_error_t *err)
{
    ds_results_array_t a = {0};
    ds_results_shape_t sh;
    TRY(ds_results_shape(f, path, &sh, err));
    ds_results_type_t as = sh.type == DS_RESULTS_STRING ? DS_RESULTS_STRING
                           : sh.type == DS_RESULTS_INT64 ||
                                   sh.type == DS_RESULTS_UINT8
                               ? DS_RESULTS_INT64
                               : DS_RESULTS_DOUBLE;
    TRY(ds_results_read(f, path, as, &a, err));
    const char *dn = sh.dimensions;
    int rc;
    if (as == DS_RESULTS_STRING) {
        if (sh.rank != 1) {
            ds_results_array_free(&a);
            return ds_error_set(err, DS_EDATA, "%s: %s is a string array "
                                "of rank %zu, expected 1",
                                ds_results_file_name(f), path, sh.rank);
        }
        rc = ds_results_write_strings(r, path, sh.n,
                                      (const char *const *)a.s, dn, err);
    } else if (sh.type == DS_RESULTS_UINT8) {
        uint8_t *u = malloc(sh.n ? sh.n : 1);
        if (!u) {
            ds_results_array_free(&a);
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < sh.n; i++)
            u[i] = (uint8_t)a.i[i];
        rc = ds_results_write_uint8(r, path, sh.rank, sh.dims, u, dn, err);
        free(u);
    } else if (as == DS_RESULTS_INT64) {
        rc = ds_results_write_int64(r, path, sh.rank, sh.dims, a.i, dn, err);
    } else {
        rc = ds_results_write_double(r, path, sh.rank, sh.dims, a.d, dn, err);
    }
    ds_results_array_free(&a);
    return rc;
}
