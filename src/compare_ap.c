/*
 * compare_ap.c — the actor-partner metrics of a comparison (see compare.h
 * and compare_internal.h; SPEC 4.5, apim.h): their names, which way each
 * improves, why one is undefined in a session, and the per-session table
 * of an analysis that computed them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"

#define X_(name, type, description) #name,
static const char *const coef_names[DS_AP_N_COEFS] = {DS_AP_COEFS(X_)};
#undef X_

const char *ds_compare_ap_coef_name(size_t coef)
{
    return coef < DS_AP_N_COEFS ? coef_names[coef] : "";
}

int ds_compare_ap_name(const char *name, size_t *coef, const char **model,
                       size_t *model_len)
{
    size_t n = strlen(name);
    if (strncmp(name, "ap_", 3) != 0 || n < 6 || name[n - 1] != ']')
        return 0;
    for (size_t k = 0; k < DS_AP_N_COEFS; k++) {
        size_t l = strlen(coef_names[k]);
        if (strncmp(name + 3, coef_names[k], l) == 0 && name[3 + l] == '[' &&
            n > 3 + l + 2) {
            *coef = k;
            *model = name + 3 + l + 1;
            *model_len = n - (3 + l + 1) - 1;
            return 1;
        }
    }
    return 0;
}

int ds_compare_ap_parse(const ds_compare_sessions_t *v, const char *name,
                        size_t *model, size_t *coef, ds_error_t *err)
{
    const char *m;
    size_t ml;
    if (!ds_compare_ap_name(name, coef, &m, &ml))
        return 0;
    for (size_t a = 0; a < v->n_ap; a++)
        if (strlen(v->ap_model[a]) == ml &&
            memcmp(v->ap_model[a], m, ml) == 0) {
            *model = a;
            return 1;
        }
    char ex[96];
    ds_excerpt(ex, name, 80);
    if (v->n_ap == 0)
        return ds_error_set(err, DS_EUSAGE, "metric '%s': no actor-partner "
                            "effects were computed (analyze "
                            "--actor-partner)", ex);
    return ds_error_set(err, DS_EUSAGE, "metric '%s': no actor-partner "
                        "model '%.*s'; the models are %s%s", ex, (int)ml, m,
                        v->ap_model[0], v->n_ap > 1 ? " ..." : "");
}

int ds_compare_ap_better(const ds_compare_sessions_t *v, size_t model,
                         size_t coef)
{
    /* the base rate of Y and how much X raises it: less is better for a
     * pursuit or a withdrawal, more for a softening, bid or response; the
     * actor's stability and the interaction have no better side */
    const char *c = coef_names[coef];
    if (strcmp(c, "intercept") && strcmp(c, "partner") &&
        strcmp(c, "partner_only"))
        return 0;
    switch (v->ap_y_role[model]) {
    case DS_ROLE_PURSUE:
    case DS_ROLE_WITHDRAW: return DS_RCI_LOWER_BETTER;
    case DS_ROLE_SOFTEN:
    case DS_ROLE_BID:
    case DS_ROLE_RESPONSE: return DS_RCI_HIGHER_BETTER;
    default: return 0;
    }
}

void ds_compare_ap_why(const ds_compare_sessions_t *v, size_t model,
                       size_t s, char *buf, size_t size)
{
    const int64_t *n = v->ap_counts[model] + s * DS_AP_N_CELLS;
    int64_t total = 0, empty = 0;
    for (size_t k = 0; k < DS_AP_N_CELLS; k++) {
        total += n[k];
        empty += n[k] == 0;
    }
    if (total == 0)
        snprintf(buf, size, "no two consecutive time units");
    else if (empty && v->ap_delta == 0)
        snprintf(buf, size, "%lld of the 8 cells of the %s table are empty "
                 "(--ap-delta 0)", (long long)empty, v->ap_model[model]);
    else
        snprintf(buf, size, "undefined");
}

int ds_compare_ap_from_analysis(const ds_analysis_t *a,
                                ds_compare_sessions_t *v)
{
    v->ap_delta = DS_AP_DELTA_DEFAULT;
    if (!a->ap || a->n_ap == 0)
        return 0;
    size_t n = a->n_ap;
    const char **model = malloc(n * sizeof *model);
    ds_role_t *role = malloc(n * sizeof *role);
    const double **coef = malloc(n * sizeof *coef);
    const int64_t **counts = malloc(n * sizeof *counts);
    v->owned_[8] = model;
    v->owned_[9] = role;
    v->owned_[10] = coef;
    v->owned_[11] = counts;
    if (!model || !role || !coef || !counts)
        return -1;
    for (size_t m = 0; m < n; m++) {
        model[m] = a->ap[m].model->name;
        role[m] = a->ap[m].model->y_role;
        coef[m] = a->ap[m].coef;
        counts[m] = a->ap[m].counts;
    }
    v->n_ap = n;
    v->ap_model = model;
    v->ap_y_role = role;
    v->ap_coef = coef;
    v->ap_counts = counts;
    return 0;
}
