/*
 * layout.c — the SPEC 5 layout of results (see layout.h): writing at
 * paths built from layout_paths.h, table columns, the corpus (/states,
 * /codebook, /sessions) and copying a dataset between results files.
 * /lag and /window are in layout_stream.c, the dyadic tables in
 * layout_dyadic.c, /comparison in layout_compare.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* ---- writing at a built path ----------------------------------------- */

/* group/name, or NULL with an out-of-memory error in err. */
char *ds_layout_path_in(const char *group, const char *name, ds_error_t *err)
{
    char *p = ds_layout_path_join(group, name);
    if (!p)
        ds_error_set(err, DS_ENOMEM, "out of memory");
    return p;
}

int ds_layout_put_double(ds_results_t *r, const char *group, const char *name,
                         size_t rank, const size_t *dims, const double *v,
                         const char *dimnames, ds_error_t *err)
{
    char *p = ds_layout_path_in(group, name, err);
    int rc = p ? ds_results_write_double(r, p, rank, dims, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

int ds_layout_put_int64(ds_results_t *r, const char *group, const char *name,
                        size_t rank, const size_t *dims, const int64_t *v,
                        const char *dimnames, ds_error_t *err)
{
    char *p = ds_layout_path_in(group, name, err);
    int rc = p ? ds_results_write_int64(r, p, rank, dims, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

int ds_layout_put_uint8(ds_results_t *r, const char *group, const char *name,
                        size_t rank, const size_t *dims, const uint8_t *v,
                        const char *dimnames, ds_error_t *err)
{
    char *p = ds_layout_path_in(group, name, err);
    int rc = p ? ds_results_write_uint8(r, p, rank, dims, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

int ds_layout_put_strings(ds_results_t *r, const char *group, const char *name,
                          size_t n, const char *const *v, const char *dimnames,
                          ds_error_t *err)
{
    char *p = ds_layout_path_in(group, name, err);
    int rc = p ? ds_results_write_strings(r, p, n, v, dimnames, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

int ds_layout_put_scalar_double(ds_results_t *r, const char *group,
                                const char *name, double v, ds_error_t *err)
{
    char *p = ds_layout_path_in(group, name, err);
    int rc = p ? ds_results_write_scalar_double(r, p, v, err) : DS_ENOMEM;
    free(p);
    return rc;
}

int ds_layout_put_scalar_int64(ds_results_t *r, const char *group,
                               const char *name, int64_t v, ds_error_t *err)
{
    char *p = ds_layout_path_in(group, name, err);
    int rc = p ? ds_results_write_scalar_int64(r, p, v, err) : DS_ENOMEM;
    free(p);
    return rc;
}

int ds_layout_begin_in(ds_results_t *r, const char *group, const char *name,
                       ds_results_type_t type, size_t rank, const size_t *dims,
                       const char *dimnames, ds_results_dset_t **out,
                       ds_error_t *err)
{
    char *p = ds_layout_path_in(group, name, err);
    int rc = p ? ds_results_begin(r, p, type, rank, dims, dimnames, out, err)
               : DS_ENOMEM;
    free(p);
    return rc;
}

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

    TRY(ds_results_write_strings(r, DS_PATH_STATES_LABEL, c->n_states,
                                 (const char *const *)c->state_label,
                                 DS_DIM_STATE, err));
    const ds_codebook_t *cb = c->codebook;
    TRY(ds_results_write_strings(r, DS_PATH_CODEBOOK_CODE, cb->n,
                                 (const char *const *)cb->code, DS_DIM_CODE,
                                 err));
    const char **roles = malloc((cb->n ? cb->n : 1) * sizeof *roles);
    if (!roles)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t i = 0; i < cb->n; i++)
        roles[i] = ds_role_name(cb->role[i]);
    rc = ds_results_write_strings(r, DS_PATH_CODEBOOK_ROLE, cb->n, roles,
                                  DS_DIM_CODE, err);
    free(roles);
    if (rc)
        return rc;
    TRY(ds_results_write_strings(r, DS_PATH_CODEBOOK_DESCRIPTION, cb->n,
                                 (const char *const *)cb->description,
                                 DS_DIM_CODE, err));

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
    rc = ds_results_write_strings(r, DS_PATH_SESSIONS_COUPLE, S, couple,
                                  DS_DIM_SESSION, err);
    if (!rc)
        rc = ds_results_write_strings(r, DS_PATH_SESSIONS_SESSION, S, label,
                                      DS_DIM_SESSION, err);
    if (!rc)
        rc = ds_results_write_int64(r, DS_PATH_SESSIONS_N_EVENTS, 1, dims,
                                    n_events, DS_DIM_SESSION, err);
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
    TRY(ds_results_write_double(r, DS_PATH_SESSIONS_DURATION_S, 1, dims,
                                a->duration_s, DS_DIM_SESSION, err));
    TRY(ds_results_write_double(r, DS_PATH_SESSIONS_FIRST_ONSET_S, 1, dims,
                                a->first_onset_s, DS_DIM_SESSION, err));
    TRY(ds_results_write_double(r, DS_PATH_SESSIONS_START_S, 1, dims,
                                a->start_s, DS_DIM_SESSION, err));
    TRY(ds_results_write_double(r, DS_PATH_SESSIONS_END_S, 1, dims,
                                a->end_s, DS_DIM_SESSION, err));
    return DS_OK;
}

/* ---- table columns ----------------------------------------------------- */

/* A buffer of n rows for each column, of its kind. */
int ds_layout_columns_init(ds_layout_column_t *c, size_t n_cols, size_t n)
{
    size_t rows = n ? n : 1;
    int ok = 1;
    for (size_t k = 0; k < n_cols; k++) {
        if (c[k].kind == 'i')
            ok &= (c[k].i = malloc(rows * sizeof *c[k].i)) != NULL;
        else if (c[k].kind == 'd')
            ok &= (c[k].d = malloc(rows * sizeof *c[k].d)) != NULL;
        else if (c[k].kind == 'u')
            ok &= (c[k].u = malloc(rows)) != NULL;
        else
            ok &= (c[k].s = calloc(rows, sizeof *c[k].s)) != NULL;
    }
    return ok ? 0 : -1;
}

void ds_layout_columns_clear(ds_layout_column_t *c, size_t n_cols)
{
    for (size_t k = 0; k < n_cols; k++) {
        free(c[k].i);
        free(c[k].d);
        free(c[k].s);
        free(c[k].u);
    }
}

/* Write the columns of n rows under group, in order. */
int ds_layout_columns_write(ds_results_t *r, const char *group,
                            const ds_layout_column_t *c, size_t n_cols,
                            size_t n, const char *dimname, ds_error_t *err)
{
    size_t dims[1] = {n};
    for (size_t k = 0; k < n_cols; k++) {
        if (c[k].kind == 'i')
            TRY(ds_layout_put_int64(r, group, c[k].name, 1, dims, c[k].i,
                                    dimname, err));
        else if (c[k].kind == 'd')
            TRY(ds_layout_put_double(r, group, c[k].name, 1, dims, c[k].d,
                                     dimname, err));
        else if (c[k].kind == 'u')
            TRY(ds_layout_put_uint8(r, group, c[k].name, 1, dims, c[k].u,
                                    dimname, err));
        else
            TRY(ds_layout_put_strings(r, group, c[k].name, n, c[k].s, dimname,
                                      err));
    }
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
            ds_results_array_clear(&a);
            return ds_error_set(err, DS_EDATA, "%s: %s is a string array "
                                "of rank %zu, expected 1",
                                ds_results_file_name(f), path, sh.rank);
        }
        rc = ds_results_write_strings(r, path, sh.n,
                                      (const char *const *)a.s, dn, err);
    } else if (sh.type == DS_RESULTS_UINT8) {
        uint8_t *u = malloc(sh.n ? sh.n : 1);
        if (!u) {
            ds_results_array_clear(&a);
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
    ds_results_array_clear(&a);
    return rc;
}
