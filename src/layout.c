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
    return a ? ds_layout_session_columns(r, a, err) : DS_OK;
}

int ds_layout_session_columns(ds_results_t *r, const ds_analysis_t *a,
                              ds_error_t *err)
{
    size_t dims[1] = {a->S};
    TRY(ds_results_write_double(r, "/sessions/duration_s", 1, dims,
                                a->duration_s, "session", err));
    TRY(ds_results_write_double(r, "/sessions/first_onset_s", 1, dims,
                                a->first_onset_s, "session", err));
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
                      const char *table_group, const char *summary_group,
                      const char *label, ds_error_t *err)
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

/*
 * Streaming: the per-session [S, K, K] and [S] datasets of /lag and the
 * [S, K, K] datasets of /window are begun in SPEC order before the
 * analysis runs and filled block by block from its block sink, so the
 * whole arrays are never held in memory (issue #7). HDF5 keeps creation
 * order per group, and within every group objects are created in the
 * order they always were, so listings and exports are unchanged.
 */

/* Per-session datasets of one lag, in creation order. */
enum { LD_COUNTS, LD_STAT0, LD_PERM = LD_STAT0 + 10, LD_G2, LD_X2, LD_DF,
       LD_G2_P, LD_N };
/* Per-session datasets of /window. */
enum { WD_A, WD_B, WD_C, WD_D, WD_Q, WD_LOR, WD_LOR_SE, WD_Z, WD_N };

struct ds_layout_stream {
    ds_results_t *r;
    const ds_corpus_t *c;
    size_t S, K, n_lags;
    size_t *lags;
    ds_results_dset_t **lag_d;   /* [n_lags * LD_N]; LD_PERM may be NULL */
    ds_results_dset_t *win_d[WD_N];
    int window;
};

static const char *const stat_names[10] = {
    "expected",       "transition_prob",   "adjusted_residual", "p_value",
    "yules_q",        "yules_q_se",        "log_odds_ratio",
    "log_odds_ratio_se", "wampold_kappa", "wampold_z"};

void ds_layout_stream_abort(ds_layout_stream_t *ls)
{
    if (!ls)
        return;
    /* open datasets are freed by ds_results_abort */
    free(ls->lag_d);
    free(ls->lags);
    free(ls);
}

size_t ds_layout_block_rows(size_t K, size_t n_lags, int window)
{
    /* whole chunks of the [S, K, K] datasets, about 16 MiB of buffers */
    size_t row = K * K * sizeof(double);
    size_t per = row * (9 * n_lags + (window ? 8 : 0)) + 1;
    size_t chunk = ds_results_chunk_rows(row), m = 1;
    while (chunk * (m + 1) * per <= ((size_t)16 << 20) && m < 4)
        m++;
    return chunk * m;
}

int ds_layout_stream_begin(ds_results_t *r, const ds_corpus_t *c,
                           const ds_analysis_opts_t *o, const uint8_t *zero,
                           ds_layout_stream_t **out, ds_error_t *err)
{
    size_t S = c->n_sessions, K = c->n_states;
    size_t d3[3] = {S, K, K}, d1[1] = {S}, d2[2] = {K, K};
    char base[64], path[1024];
    int rc = DS_OK;
    *out = NULL;
    ds_layout_stream_t *ls = calloc(1, sizeof *ls);
    if (!ls)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    ls->r = r;
    ls->c = c;
    ls->S = S;
    ls->K = K;
    ls->n_lags = o->n_lags;
    ls->lags = malloc((o->n_lags ? o->n_lags : 1) * sizeof *ls->lags);
    ls->lag_d = calloc((o->n_lags ? o->n_lags : 1) * LD_N,
                       sizeof *ls->lag_d);
    uint8_t *mask = calloc(K * K + 1, 1);
    if (!ls->lags || !ls->lag_d || !mask) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t l = 0; l < o->n_lags; l++) {
        size_t lag = ls->lags[l] = o->lags[l];
        ds_results_dset_t **d = ls->lag_d + l * LD_N;
        snprintf(base, sizeof base, "/lag/%zu", lag);
        if ((rc = ds_results_attr_int64(r, base, "lag", (int64_t)lag, err)))
            goto done;
        memset(mask, 0, K * K);
        if (zero && lag == 1)
            memcpy(mask, zero, K * K);
        snprintf(path, sizeof path, "%s/structural_zero", base);
        if ((rc = ds_results_write_uint8(r, path, 2, d2, mask, "from,to",
                                         err)))
            goto done;
        snprintf(path, sizeof path, "%s/session/counts", base);
        if ((rc = ds_results_begin(r, path, DS_RESULTS_INT64, 3, d3,
                                   "session,from,to", &d[LD_COUNTS], err)))
            goto done;
        for (int i = 0; i < 10; i++) {
            snprintf(path, sizeof path, "%s/session/%s", base,
                     stat_names[i]);
            if ((rc = ds_results_begin(r, path, DS_RESULTS_DOUBLE, 3, d3,
                                       "session,from,to", &d[LD_STAT0 + i],
                                       err)))
                goto done;
        }
        if (o->permutations) {
            snprintf(path, sizeof path, "%s/session/permutation_p", base);
            if ((rc = ds_results_begin(r, path, DS_RESULTS_DOUBLE, 3, d3,
                                       "session,from,to", &d[LD_PERM], err)))
                goto done;
        }
        const char *tn[4] = {"g2", "x2", "df", "g2_p"};
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof path, "%s/session/%s", base, tn[i]);
            if ((rc = ds_results_begin(r, path, DS_RESULTS_DOUBLE, 1, d1,
                                       "session", &d[LD_G2 + i], err)))
                goto done;
        }
    }
    ls->window = ds_analysis_window_skipped(c, o) == NULL;
    if (ls->window) {
        if ((rc = ds_results_attr_int64(r, "/window", "lo",
                                        o->window_opts.lo, err)) ||
            (rc = ds_results_attr_int64(r, "/window", "hi",
                                        o->window_opts.hi, err)) ||
            (rc = ds_results_attr_double(r, "/window", "time_unit_s",
                                         o->window_opts.unit_s, err)) ||
            (rc = ds_results_attr_string(r, "/window", "target",
                                         o->window_opts.target_ongoing
                                             ? "ongoing"
                                             : "onset",
                                         err)))
            goto done;
        const char *wn[WD_N] = {"a", "b", "c", "d", "yules_q",
                                "log_odds_ratio", "log_odds_ratio_se",
                                "adjusted_residual"};
        for (int i = 0; i < WD_N; i++) {
            snprintf(path, sizeof path, "/window/session/%s", wn[i]);
            if ((rc = ds_results_begin(r, path,
                                       i < 4 ? DS_RESULTS_INT64
                                             : DS_RESULTS_DOUBLE,
                                       3, d3, "session,from,to",
                                       &ls->win_d[i], err)))
                goto done;
        }
    }
done:
    free(mask);
    if (rc) {
        ds_layout_stream_abort(ls);
        return rc;
    }
    *out = ls;
    return DS_OK;
}

int ds_layout_stream_block(void *vls, const ds_analysis_block_t *b,
                           ds_error_t *err)
{
    ds_layout_stream_t *ls = vls;
    for (size_t l = 0; l < ls->n_lags; l++) {
        ds_results_dset_t **d = ls->lag_d + l * LD_N;
        const ds_lag_result_t *x = &b->lag[l];
        const double *st[10] = {x->expected,          x->transition_prob,
                                x->adjusted_residual, x->p_value,
                                x->yules_q,           x->yules_q_se,
                                x->log_odds_ratio,    x->log_odds_ratio_se,
                                x->wampold_kappa,     x->wampold_z};
        const double *col[4] = {x->g2, x->x2, x->df, x->g2_p};
        TRY(ds_results_append(d[LD_COUNTS], b->n, x->counts, err));
        for (int i = 0; i < 10; i++)
            TRY(ds_results_append(d[LD_STAT0 + i], b->n, st[i], err));
        for (int i = 0; i < 4; i++)
            TRY(ds_results_append(d[LD_G2 + i], b->n, col[i], err));
    }
    if (ls->window && b->window) {
        const ds_window_result_t *w = b->window;
        const void *wv[WD_N] = {w->a,
                                w->b,
                                w->c,
                                w->d,
                                w->yules_q,
                                w->log_odds_ratio,
                                w->log_odds_ratio_se,
                                w->adjusted_residual};
        for (int i = 0; i < WD_N; i++)
            TRY(ds_results_append(ls->win_d[i], b->n, wv[i], err));
    }
    return DS_OK;
}

/* Close the per-session datasets (after the permutation p-values), then
 * write what comes after them: pooled tables, summaries, /window/pooled. */
static int stream_finish(ds_layout_stream_t *ls, const ds_analysis_t *a,
                         ds_error_t *err)
{
    ds_results_t *r = ls->r;
    const ds_corpus_t *c = ls->c;
    size_t K = ls->K;
    char base[64], g1[1024], g2[1024];
    for (size_t l = 0; l < ls->n_lags; l++) {
        ds_results_dset_t **d = ls->lag_d + l * LD_N;
        if (d[LD_PERM] && a->lag[l].permutation_p)
            TRY(ds_results_append(d[LD_PERM], ls->S,
                                  a->lag[l].permutation_p, err));
        for (int i = 0; i < LD_N; i++)
            if (d[i]) {
                ds_results_dset_t *x = d[i];
                d[i] = NULL;
                TRY(ds_results_end(x, err));
            }
    }
    if (ls->window)
        for (int i = 0; i < WD_N; i++) {
            ds_results_dset_t *x = ls->win_d[i];
            ls->win_d[i] = NULL;
            TRY(ds_results_end(x, err));
        }
    for (size_t l = 0; l < ls->n_lags; l++) {
        const ds_lag_result_t *lr = &a->lag[l];
        snprintf(base, sizeof base, "/lag/%zu", lr->lag);
        snprintf(g1, sizeof g1, "%s/pooled", base);
        snprintf(g2, sizeof g2, "%s/couple_summary", base);
        TRY(write_pool(r, &lr->pooled, K, g1, g2, NULL, err));
        for (size_t lb = 0; lb < a->n_labels; lb++) {
            char *name = ds_results_escape_name(c->labels[lb]);
            if (!name)
                return ds_error_set(err, DS_ENOMEM, "out of memory");
            snprintf(g1, sizeof g1, "%s/pooled_by_label/%s", base, name);
            snprintf(g2, sizeof g2, "%s/couple_summary_by_label/%s", base,
                     name);
            free(name);
            TRY(write_pool(r, &lr->by_label[lb], K, g1, g2, c->labels[lb],
                           err));
        }
    }
    if (ls->window && a->window) {
        const ds_window_result_t *w = a->window;
        size_t d2[2] = {K, K};
        const char *in[4] = {"a", "b", "c", "d"};
        const int64_t *pv[4] = {w->pooled->a, w->pooled->b, w->pooled->c,
                                w->pooled->d};
        char path[256];
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof path, "/window/pooled/%s", in[i]);
            TRY(ds_results_write_int64(r, path, 2, d2, pv[i], "from,to",
                                       err));
        }
        const char *dn[4] = {"yules_q", "log_odds_ratio",
                             "log_odds_ratio_se", "adjusted_residual"};
        const double *dp[4] = {w->pooled_q, w->pooled_lor, w->pooled_lor_se,
                               w->pooled_z};
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof path, "/window/pooled/%s", dn[i]);
            TRY(ds_results_write_double(r, path, 2, d2, dp[i], "from,to",
                                        err));
        }
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

/*
 * /responsiveness/km: the Kaplan-Meier points of every row, n_km in all,
 * appended in blocks of sessions. A streaming analysis kept only each
 * curve's size; its points are then computed again here (ds_analysis_km),
 * so neither the curves nor these columns are ever held whole.
 */
#define KM_BLOCK 4096 /* sessions: enough points that each append fills
                         several chunks, compressed in parallel */
static int write_km(ds_results_t *r, const ds_corpus_t *c,
                    const ds_analysis_t *a, const ds_analysis_opts_t *o,
                    size_t n_km, ds_error_t *err)
{
    static const char *const name[5] = {"row", "n_at_risk", "n_events",
                                        "time_s", "survival"};
    ds_results_dset_t *d[5] = {NULL};
    size_t dims[1] = {n_km}, S = a->S;
    size_t bs = S < KM_BLOCK ? (S ? S : 1) : KM_BLOCK;
    int rc = DS_OK;
    ds_responsive_t *again = malloc(2 * bs * sizeof *again);
    int64_t *iv[3] = {NULL};
    double *dv[2] = {NULL};
    size_t cap = 0;
    if (!again)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (int i = 0; i < 5 && !rc; i++) {
        char path[64];
        snprintf(path, sizeof path, "/responsiveness/km/%s", name[i]);
        rc = ds_results_begin(r, path,
                              i < 3 ? DS_RESULTS_INT64 : DS_RESULTS_DOUBLE, 1,
                              dims, "point", &d[i], err);
    }
    for (size_t first = 0; !rc && first < S; first += bs) {
        size_t n = S - first < bs ? S - first : bs;
        const ds_responsive_t *x = a->responsive + 2 * first;
        int recomputed = 0;
        for (size_t k = 0; k < 2 * n; k++)
            if (x[k].km.n && !x[k].km.time_s)
                recomputed = 1;
        if (recomputed) {
            if ((rc = ds_analysis_km(c, o, first, n, again, err)))
                break;
            x = again;
        }
        size_t m = 0;
        for (size_t k = 0; k < 2 * n; k++)
            m += x[k].km.n;
        if (m > cap) {
            cap = m;
            for (int i = 0; i < 3; i++) {
                free(iv[i]);
                iv[i] = malloc(cap * sizeof *iv[i]);
            }
            for (int i = 0; i < 2; i++) {
                free(dv[i]);
                dv[i] = malloc(cap * sizeof *dv[i]);
            }
            if (!iv[0] || !iv[1] || !iv[2] || !dv[0] || !dv[1])
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        }
        for (size_t k = 0, j = 0; !rc && k < 2 * n; k++)
            for (size_t p = 0; p < x[k].km.n; p++, j++) {
                iv[0][j] = (int64_t)(2 * first + k);
                iv[1][j] = (int64_t)x[k].km.n_at_risk[p];
                iv[2][j] = (int64_t)x[k].km.n_events[p];
                dv[0][j] = x[k].km.time_s[p];
                dv[1][j] = x[k].km.survival[p];
            }
        if (recomputed)
            for (size_t k = 0; k < 2 * n; k++)
                ds_responsive_clear(&again[k]);
        for (int i = 0; i < 3 && !rc; i++)
            rc = ds_results_append(d[i], m, iv[i], err);
        for (int i = 0; i < 2 && !rc; i++)
            rc = ds_results_append(d[3 + i], m, dv[i], err);
    }
    for (int i = 0; i < 5; i++)
        if (d[i]) {
            ds_error_t e2;
            int e = ds_results_end(d[i], rc ? &e2 : err);
            if (!rc)
                rc = e;
        }
    for (int i = 0; i < 3; i++)
        free(iv[i]);
    for (int i = 0; i < 2; i++)
        free(dv[i]);
    free(again);
    return rc;
}

static int write_responsiveness(ds_results_t *r, const ds_corpus_t *c,
                                const ds_analysis_t *a,
                                const ds_analysis_opts_t *o, ds_error_t *err)
{
    size_t rows = 2 * a->S, n_km = 0;
    columns_t t = {0};
    int rc = DS_ENOMEM;
    for (size_t k = 0; k < rows; k++)
        n_km += a->responsive[k].km.n;
    if (columns_alloc(&t, rows, 6, 4, 1))
        goto done;
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
    if (!rc)
        rc = write_km(r, c, a, o, n_km, err);
done:
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    columns_free(&t);
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

/* /responsiveness, /cycles and /softening. */
static int write_rows(ds_results_t *r, const ds_corpus_t *c,
                      const ds_analysis_t *a, const ds_analysis_opts_t *o,
                      ds_error_t *err)
{
    if (a->responsive)
        TRY(write_responsiveness(r, c, a, o, err));
    if (a->cycles)
        TRY(write_cycles(r, c, a, o, err));
    return DS_OK;
}

int ds_layout_stream_end(ds_layout_stream_t *ls, const ds_analysis_t *a,
                         const ds_analysis_opts_t *o, ds_error_t *err)
{
    int rc = stream_finish(ls, a, err);
    if (!rc)
        rc = write_rows(ls->r, ls->c, a, o, err);
    ds_layout_stream_abort(ls);
    return rc;
}

int ds_layout_analysis(ds_results_t *r, const ds_corpus_t *c,
                       const ds_analysis_t *a, const uint8_t *zero,
                       const ds_analysis_opts_t *o, ds_error_t *err)
{
    ds_layout_stream_t *ls;
    TRY(ds_layout_stream_begin(r, c, o, zero, &ls, err));
    ds_analysis_block_t b = {.first = 0, .n = a->S, .lag = a->lag,
                             .window = a->window};
    int rc = ds_layout_stream_block(ls, &b, err);
    if (rc) {
        ds_layout_stream_abort(ls);
        return rc;
    }
    return ds_layout_stream_end(ls, a, o, err);
}
