/*
 * analysis_ap.c — actor-partner effects in the driver (see
 * analysis_internal.h; SPEC 4.5, apim.h): the per-session tables and
 * coefficients of every model, computed in the parallel loop over
 * sessions into the session's own slots, and their summaries between
 * sessions (all sessions, each label) in the pooling step, one model per
 * task.
 */
#include <string.h>

#include "analysis_internal.h"

const char *ds_analysis_ap_skipped(const ds_corpus_t *c,
                                   const ds_analysis_opts_t *o)
{
    if (o->n_ap_models == 0)
        return "not asked for";
    if (!c->has_time)
        return "actor-partner effects need a time column";
    if (o->ap_opts.target_ongoing && !c->has_duration)
        return "--target ongoing needs a duration column";
    return NULL;
}

static void ap_clear(ds_ap_result_t *r, size_t n_labels)
{
    free(r->counts);
    free(r->coef);
    free(r->se);
    free(r->n_units);
    ds_summary_free(r->summary);
    for (size_t l = 0; r->by_label && l < n_labels; l++)
        ds_summary_free(r->by_label[l]);
    free(r->by_label);
}

void ds_analysis_ap_free(ds_analysis_t *a)
{
    for (size_t m = 0; a->ap && m < a->n_ap; m++)
        ap_clear(&a->ap[m], a->n_labels);
    free(a->ap);
    a->ap = NULL;
}

int ds_analysis_ap_alloc(ds_analysis_t *a, const ds_corpus_t *c,
                         const ds_analysis_opts_t *o)
{
    size_t S = a->S, L = a->n_labels, S1 = ds_analysis_atleast1(S);
    if ((a->ap_skipped = ds_analysis_ap_skipped(c, o)))
        return 0;
    a->ap = calloc(o->n_ap_models, sizeof *a->ap);
    if (!a->ap)
        return -1;
    a->n_ap = o->n_ap_models;
    for (size_t m = 0; m < a->n_ap; m++) {
        ds_ap_result_t *r = &a->ap[m];
        r->model = &o->ap_models[m];
        r->counts = calloc(S1 * DS_AP_N_CELLS, sizeof *r->counts);
        r->coef = ds_analysis_nan_array(S * DS_AP_N_COEFS);
        r->se = ds_analysis_nan_array(S);
        r->n_units = calloc(S1, sizeof *r->n_units);
        r->summary = ds_summary_alloc(DS_AP_N_COEFS, S1);
        r->by_label = calloc(ds_analysis_atleast1(L), sizeof *r->by_label);
        if (!r->counts || !r->coef || !r->se || !r->n_units || !r->summary ||
            !r->by_label)
            return -1;
        for (size_t l = 0; l < L; l++)
            if (!(r->by_label[l] = ds_summary_alloc(DS_AP_N_COEFS, S1)))
                return -1;
    }
    return 0;
}

int ds_analysis_ap_session(const ds_corpus_t *c, const ds_analysis_opts_t *o,
                           ds_analysis_t *a, const ds_session_t *s,
                           size_t si, ds_ap_workspace_t *w, ds_error_t *e)
{
    for (size_t m = 0; m < a->n_ap; m++) {
        ds_ap_result_t *r = &a->ap[m];
        int64_t *n = r->counts + si * DS_AP_N_CELLS;
        size_t units;
        int rc = ds_ap_tally(c, s, r->model, &o->ap_opts, w, n, &units, e);
        if (rc)
            return rc;
        ds_ap_fit_t f;
        ds_ap_fit(n, o->ap_opts.delta, &f);
        ds_ap_fit_values(&f, r->coef + si * DS_AP_N_COEFS);
        r->se[si] = f.se;
        r->n_units[si] = (int64_t)units;
    }
    return DS_OK;
}

int ds_analysis_pool_ap(ds_analysis_t *a, const ds_analysis_labels_t *ls,
                        int threads, ds_error_t *err)
{
    size_t S = a->S, L = a->n_labels, n_jobs = a->n_ap;
    int *job_rc = calloc(ds_analysis_atleast1(n_jobs), sizeof *job_rc);
    ds_error_t *job_err = calloc(ds_analysis_atleast1(n_jobs),
                                 sizeof *job_err);
    int rc = DS_OK;
    if (!job_rc || !job_err) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t m = 0; m < n_jobs; m++) {
        ds_ap_result_t *r = &a->ap[m];
        job_rc[m] = ds_summary_compute(r->summary, r->coef, S, NULL, S,
                                       &job_err[m]);
        for (size_t l = 0; l < L && !job_rc[m]; l++)
            job_rc[m] = ds_summary_compute(
                r->by_label[l], r->coef, S, ls->index + ls->start[l],
                ls->start[l + 1] - ls->start[l], &job_err[m]);
    }
    for (size_t m = 0; m < n_jobs && rc == DS_OK; m++)
        if (job_rc[m])
            rc = ds_error_set(err, job_rc[m], "%s", job_err[m].msg);
done:
    free(job_rc);
    free(job_err);
    return rc;
}
