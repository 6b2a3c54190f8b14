/*
 * layout_read_ap.c — /actor_partner of an analyze file read back for
 * compare (see layout_read.h): every model's name, the role of its Y, its
 * per-session coefficients and tables, each checked for its size.
 */
#include <stdlib.h>
#include <string.h>

#include "layout_paths.h"
#include "layout_read.h"

void ds_layout_read_ap_clear(ds_layout_read_t *lr)
{
    for (size_t m = 0; m < lr->n_ap; m++) {
        if (lr->ap_model)
            free(lr->ap_model[m]);
        if (lr->ap_coef)
            free(lr->ap_coef[m]);
        if (lr->ap_counts)
            free(lr->ap_counts[m]);
    }
    free(lr->ap_model);
    free(lr->ap_y_role);
    free(lr->ap_coef);
    free(lr->ap_counts);
    lr->ap_model = NULL;
    lr->ap_y_role = NULL;
    lr->ap_coef = NULL;
    lr->ap_counts = NULL;
    lr->n_ap = 0;
}

/* Read group/name whole as type as, with want values; its data moved to
 * *out (double or int64). */
static int read_exact(ds_layout_read_t *lr, const char *group,
                      const char *name, ds_results_type_t as, size_t want,
                      void **out, ds_error_t *err)
{
    char *p = ds_layout_path_join(group, name);
    ds_results_array_t a = {0};
    int rc = DS_OK;
    if (!p)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (ds_results_kind(lr->f, p) != DS_RESULTS_DATASET)
        rc = ds_error_set(err, DS_EDATA, "%s: no %s", lr->file, p);
    else if (!(rc = ds_results_read(lr->f, p, as, &a, err)) &&
             a.shape.n != want)
        rc = ds_error_set(err, DS_EDATA, "%s: %s has %zu values, expected "
                          "%zu", lr->file, p, a.shape.n, want);
    if (!rc) {
        *out = as == DS_RESULTS_INT64 ? (void *)a.i : (void *)a.d;
        a.i = NULL;
        a.d = NULL;
    }
    ds_results_array_clear(&a);
    free(p);
    return rc;
}

/* The role shared by the states named in attribute y_states of group g. */
static ds_role_t y_role(ds_layout_read_t *lr, const char *g)
{
    ds_results_array_t a = {0};
    ds_role_t role = DS_ROLE_OTHER;
    int seen = 0;
    if (ds_results_attr_exists(lr->f, g, DS_ATTR_AP_Y_STATES) &&
        ds_results_read_attr(lr->f, g, DS_ATTR_AP_Y_STATES,
                             DS_RESULTS_STRING, &a, NULL) == DS_OK)
        for (size_t i = 0; i < a.shape.n; i++)
            for (size_t k = 0; k < lr->K; k++)
                if (strcmp(a.s[i], lr->state_label[k]) == 0) {
                    if (!seen++)
                        role = lr->state_role[k];
                    else if (role != lr->state_role[k])
                        role = DS_ROLE_OTHER;
                }
    ds_results_array_clear(&a);
    return role;
}

/* One model: its group's member name g_name. */
static int read_model(ds_layout_read_t *lr, size_t m, const char *g_name,
                      ds_error_t *err)
{
    char *g = ds_layout_path_join(DS_PATH_ACTOR_PARTNER, g_name);
    char *gs = g ? ds_layout_path_join(g, DS_AP_SESSION) : NULL;
    int rc = DS_OK;
    double *col = NULL;
    if (!gs) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    if (ds_results_attr_exists(lr->f, g, DS_ATTR_AP_MODEL))
        rc = ds_results_attr_get_string(lr->f, g, DS_ATTR_AP_MODEL,
                                        &lr->ap_model[m], err);
    else if (!(lr->ap_model[m] = malloc(strlen(g_name) + 1)))
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    else
        strcpy(lr->ap_model[m], g_name);
    if (rc)
        goto done;
    lr->ap_y_role[m] = y_role(lr, g);
    size_t S = lr->S;
    if ((rc = read_exact(lr, g, DS_AP_COUNTS, DS_RESULTS_INT64,
                         S * DS_AP_N_CELLS, (void **)&lr->ap_counts[m], err)))
        goto done;
    if (!(lr->ap_coef[m] = malloc((S ? S : 1) * DS_AP_N_COEFS *
                                  sizeof **lr->ap_coef))) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
#define X_(name, type, description) #name,
    static const char *const coef[DS_AP_N_COEFS] = {DS_AP_COEFS(X_)};
#undef X_
    for (size_t k = 0; k < DS_AP_N_COEFS && !rc; k++) {
        if ((rc = read_exact(lr, gs, coef[k], DS_RESULTS_DOUBLE, S,
                             (void **)&col, err)))
            break;
        for (size_t s = 0; s < S; s++)
            lr->ap_coef[m][s * DS_AP_N_COEFS + k] = col[s];
        free(col);
        col = NULL;
    }
done:
    free(g);
    free(gs);
    return rc;
}

int ds_layout_read_ap(ds_layout_read_t *lr, ds_error_t *err)
{
    lr->ap_delta = DS_AP_DELTA_DEFAULT;
    if (ds_results_kind(lr->f, DS_PATH_ACTOR_PARTNER) != DS_RESULTS_GROUP)
        return DS_OK;
    ds_results_array_t d = {0};
    if (ds_results_attr_exists(lr->f, DS_PATH_ACTOR_PARTNER,
                               DS_ATTR_AP_DELTA) &&
        ds_results_read_attr(lr->f, DS_PATH_ACTOR_PARTNER, DS_ATTR_AP_DELTA,
                             DS_RESULTS_DOUBLE, &d, NULL) == DS_OK &&
        d.shape.n == 1)
        lr->ap_delta = d.d[0];
    ds_results_array_clear(&d);
    char **names = NULL;
    size_t n = 0;
    int rc = ds_results_list(lr->f, DS_PATH_ACTOR_PARTNER, &names, &n, err);
    if (rc)
        return rc;
    size_t n1 = n ? n : 1;
    lr->ap_model = calloc(n1, sizeof *lr->ap_model);
    lr->ap_y_role = calloc(n1, sizeof *lr->ap_y_role);
    lr->ap_coef = calloc(n1, sizeof *lr->ap_coef);
    lr->ap_counts = calloc(n1, sizeof *lr->ap_counts);
    if (!lr->ap_model || !lr->ap_y_role || !lr->ap_coef || !lr->ap_counts)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    lr->n_ap = n;
    for (size_t m = 0; m < n && !rc; m++)
        rc = read_model(lr, m, names[m], err);
    ds_results_names_free(names, n);
    return rc;
}
