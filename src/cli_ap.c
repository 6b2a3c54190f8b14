/*
 * cli_ap.c — actor-partner effects on the command line (see cli_ap.h):
 * the options, the models they name, and the table on standard output.
 */
#include "cli_ap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"

void ds_cli_ap_init(ds_cli_ap_t *x)
{
    memset(x, 0, sizeof *x);
    x->delta = DS_AP_DELTA_DEFAULT;
}

int ds_cli_ap_add(ds_cli_ap_t *x, const char *cmd, const char *arg)
{
    if (x->n_spec == DS_CLI_AP_MAX)
        return ds_usage_error(cmd, "at most %d --actor-partner options",
                              DS_CLI_AP_MAX), -1;
    if (!strchr(arg, '~') && strcmp(arg, DS_CLI_AP_DEFAULT) != 0)
        return ds_usage_error(cmd, "--actor-partner takes Y~X (e.g. "
                              "'B:withdraw~A:pursue') or '%s', not '%s'",
                              DS_CLI_AP_DEFAULT, arg), -1;
    x->spec[x->n_spec++] = arg;
    return 1;
}

int ds_cli_ap_set_delta(ds_cli_ap_t *x, const char *cmd, const char *arg)
{
    double v;
    if (ds_parse_double(arg, &v) || !(v >= 0) || v > 1e6)
        return ds_usage_error(cmd, "--ap-delta takes a number >= 0 added to "
                              "each cell, not '%s'", arg), -1;
    x->delta = v;
    x->delta_given = 1;
    return 1;
}

void ds_cli_ap_help(FILE *fp)
{
    fprintf(fp,
        "      --actor-partner Y~X\n"
        "                        actor and partner effects on the time-unit "
        "grid: does X\n"
        "                        (the partner, e.g. A:pursue) at t-1 predict "
        "Y (the actor,\n"
        "                        e.g. B:withdraw) at t beyond Y at t-1? Y, X: "
        "states or\n"
        "                        ACTOR:ROLE; 'default': each partner's "
        "withdraw~pursue,\n"
        "                        response~bid, soften~soften; repeatable "
        "[none]\n"
        "      --ap-delta D      added to each cell of their 2x2x2 tables "
        "[0.5]\n");
}

void ds_cli_ap_models_free(ds_ap_model_t *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++)
        ds_ap_model_clear(&m[i]);
    free(m);
}

/* Append the default models of sp to m[*n]. An exit status. */
static int add_defaults(const ds_ap_space_t *sp, const char *cmd,
                        ds_ap_model_t *m, size_t *n)
{
    ds_ap_model_t *d = NULL;
    size_t nd = 0;
    ds_error_t err = {0};
    if (ds_ap_default_models(sp, &d, &nd, &err)) {
        ds_msg_error("%s", err.msg);
        return DS_EXIT_DATA;
    }
    if (nd == 0) {
        ds_cli_ap_models_free(d, nd);
        return ds_usage_error(cmd, "--actor-partner %s: %s; name the "
                              "models as Y~X", DS_CLI_AP_DEFAULT,
                              sp->n_actors < 2
                                  ? "the default models need two partners "
                                    "(an actor column)"
                                  : "the codebook has no codes with the "
                                    "roles withdraw and pursue, response "
                                    "and bid, or soften");
    }
    memcpy(m + *n, d, nd * sizeof *d);
    *n += nd;
    free(d);
    return DS_EXIT_OK;
}

int ds_cli_ap_models(const ds_cli_ap_t *x, const char *cmd,
                     const ds_corpus_t *c, ds_ap_model_t **out, size_t *n)
{
    ds_ap_space_t sp;
    ds_ap_space_of(c, &sp);
    *out = NULL;
    *n = 0;
    if (x->n_spec == 0)
        return DS_EXIT_OK;
    /* every spec one model, "default" at most six */
    ds_ap_model_t *m = calloc(x->n_spec * 6, sizeof *m);
    if (!m) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    int status = DS_EXIT_OK;
    for (size_t i = 0; i < x->n_spec && !status; i++) {
        if (strcmp(x->spec[i], DS_CLI_AP_DEFAULT) == 0) {
            status = add_defaults(&sp, cmd, m, n);
            continue;
        }
        ds_error_t err = {0};
        char ex[96];
        ds_excerpt(ex, x->spec[i], 80);
        int rc = ds_ap_model_parse(&sp, x->spec[i], &m[*n], &err);
        (*n)++;
        if (rc == DS_EUSAGE) {
            status = ds_usage_error(cmd, "--actor-partner '%s': %s", ex,
                                    err.msg);
        } else if (rc) {
            ds_msg_error("%s", err.msg);
            status = DS_EXIT_DATA;
        }
    }
    for (size_t i = 0; i < *n && !status; i++)
        for (size_t k = 0; k < i && !status; k++)
            if (strcmp(m[i].name, m[k].name) == 0)
                status = ds_usage_error(cmd, "--actor-partner: the model "
                                        "'%s' is given twice", m[i].name);
    if (status) {
        ds_cli_ap_models_free(m, *n);
        *n = 0;
        return status;
    }
    *out = m;
    return DS_EXIT_OK;
}

/* ---- the table ---------------------------------------------------- */

static void put_num(FILE *fp, int width, double v)
{
    if (isnan(v))
        fprintf(fp, " %*s", width, "NA");
    else
        fprintf(fp, " %*.3f", width, v);
}

static void put_p(FILE *fp, double p)
{
    if (isnan(p))
        fprintf(fp, " %6s", "NA");
    else if (p < 0.001)
        fprintf(fp, " %6s", "<.001");
    else
        fprintf(fp, " %6.3f", p);
}

/* Width of the couple and label columns over the sessions shown. */
static void widths(const ds_corpus_t *c, size_t shown, int *wc, int *wl)
{
    *wc = (int)strlen("couple");
    *wl = (int)strlen("session");
    for (size_t s = 0; s < shown; s++) {
        int a = (int)strlen(c->sessions[s].couple);
        int b = (int)strlen(c->sessions[s].label);
        *wc = a > *wc ? a : *wc;
        *wl = b > *wl ? b : *wl;
    }
    *wc = *wc > 24 ? 24 : *wc;
    *wl = *wl > 16 ? 16 : *wl;
}

static void print_sessions(FILE *fp, const ds_corpus_t *c,
                           const ds_ap_result_t *x, size_t max_rows)
{
#define X_(name, type, description) #name,
    static const char *const coef[DS_AP_N_COEFS] = {DS_AP_COEFS(X_)};
#undef X_
    size_t S = c->n_sessions, shown = S < max_rows ? S : max_rows;
    int wc, wl;
    widths(c, shown, &wc, &wl);
    fprintf(fp, "  %-*s %-*s %7s", wc, "couple", wl, "session", "pairs");
    for (size_t k = 0; k < DS_AP_N_COEFS; k++)
        fprintf(fp, " %12s", coef[k]);
    fputc('\n', fp);
    for (size_t s = 0; s < shown; s++) {
        int64_t pairs = 0;
        for (size_t k = 0; k < DS_AP_N_CELLS; k++)
            pairs += x->counts[s * DS_AP_N_CELLS + k];
        fprintf(fp, "  %-*.*s %-*.*s %7lld", wc, wc, c->sessions[s].couple,
                wl, wl, c->sessions[s].label, (long long)pairs);
        for (size_t k = 0; k < DS_AP_N_COEFS; k++)
            put_num(fp, 12, x->coef[s * DS_AP_N_COEFS + k]);
        fputc('\n', fp);
    }
    if (shown < S)
        fprintf(fp, "  ... and %zu more sessions (dyadseq export FILE "
                "'/actor_partner/%s/session')\n", S - shown, x->model->name);
}

static void print_summary(FILE *fp, const ds_corpus_t *c,
                          const ds_ap_result_t *x)
{
#define X_(name, type, description) #name,
    static const char *const coef[DS_AP_N_COEFS] = {DS_AP_COEFS(X_)};
#undef X_
    int wl = (int)strlen("sessions");
    for (size_t l = 0; l < c->n_labels; l++) {
        int n = (int)strlen(c->labels[l]);
        wl = n > wl ? n : wl;
    }
    wl = wl > 16 ? 16 : wl;
    fprintf(fp, "  between couples: mean, SD and one-sample t-test "
                "against 0 over the sessions\n");
    fprintf(fp, "  %-12s %-*s %5s %8s %8s %8s %6s\n", "coefficient", wl,
            "sessions", "n", "mean", "SD", "t", "p");
    for (size_t k = 0; k < DS_AP_N_COEFS; k++)
        for (size_t p = 0; p <= c->n_labels; p++) {
            const ds_summary_t *sm = p ? x->by_label[p - 1] : x->summary;
            fprintf(fp, "  %-12s %-*.*s %5lld", coef[k], wl, wl,
                    p ? c->labels[p - 1] : "all", (long long)sm->n[k]);
            put_num(fp, 8, sm->mean[k]);
            put_num(fp, 8, sm->sd[k]);
            if (isnan(sm->t[k]))
                fprintf(fp, " %8s", "NA");
            else
                fprintf(fp, " %8.2f", sm->t[k]);
            put_p(fp, sm->p[k]);
            fputc('\n', fp);
        }
}

int ds_cli_ap_print(FILE *fp, const ds_corpus_t *c, const ds_analysis_t *a,
                    const ds_ap_opts_t *o, size_t max_rows)
{
    for (size_t m = 0; m < a->n_ap; m++) {
        const ds_ap_result_t *x = &a->ap[m];
        fprintf(fp, "\nActor-partner effects %s (Y %s, X %s; units of %g s, "
                    "delta %g, %s):\n",
                x->model->name, x->model->y, x->model->x, o->unit_s,
                o->delta, o->target_ongoing ? "ongoing" : "onsets");
        fprintf(fp, "  logit P(Y at t) = intercept + partner*x + actor*y + "
                    "interaction*x*y, x and y\n  X and Y at t-1 coded +1 "
                    "present, -1 absent; partner_only: without y "
                    "(docs/actor-partner.md)\n");
        print_sessions(fp, c, x, max_rows);
        print_summary(fp, c, x);
    }
    return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}
