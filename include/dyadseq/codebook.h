/*
 * codebook.h — behaviour codes and the roles that drive the dyadic metrics.
 *
 * A codebook maps each code of a study (e.g. SPAFF "criticism") to one of
 * six roles; responsiveness, cycles and softening look only at roles, so
 * any study's codes work. Loaded from a CSV with columns code,role[,
 * description] (schemas/codebook.schema.json) or the built-in default of
 * the five codes pursue, withdraw, soften, bid, response.
 */
#ifndef DYADSEQ_CODEBOOK_H
#define DYADSEQ_CODEBOOK_H

#include <stddef.h>

#include "dyadseq/error.h"

/*
 * The longest code, actor, couple or session label, in bytes (README,
 * Input): a longer one in a transcript, codebook or imported file is a
 * located problem. Labels name groups and datasets of the results file
 * and columns of printed tables; a kilobyte is far beyond any real one.
 */
#define DS_LABEL_MAX 1024

typedef enum ds_role {
    DS_ROLE_PURSUE = 0,
    DS_ROLE_WITHDRAW,
    DS_ROLE_SOFTEN,
    DS_ROLE_BID,
    DS_ROLE_RESPONSE,
    DS_ROLE_OTHER,
    DS_N_ROLES
} ds_role_t;

typedef struct ds_codebook {
    size_t n;            /* number of codes */
    char **code;         /* code names, in codebook order */
    ds_role_t *role;
    char **description;  /* "" when none */
} ds_codebook_t;

/* The built-in codebook: pursue, withdraw, soften, bid, response. NULL
 * on OOM. */
ds_codebook_t *ds_codebook_alloc_default(void);

/* A copy of cb (codes, roles, descriptions). NULL on OOM. */
ds_codebook_t *ds_codebook_alloc_copy(const ds_codebook_t *cb);

/*
 * Load a codebook CSV. Every problem (missing column, unknown role,
 * duplicate or empty code, ragged row, invalid UTF-8) goes to diag; returns
 * DS_EDATA if there was any, DS_EIO/DS_ENOMEM with err set on failures.
 */
int ds_codebook_load(const char *path, ds_codebook_t **out, ds_diag_t *diag,
                     ds_error_t *err);

/* Index of code in cb, or -1. */
long ds_codebook_find(const ds_codebook_t *cb, const char *code);

void ds_codebook_free(ds_codebook_t *cb);

/* "pursue", "withdraw", ... */
const char *ds_role_name(ds_role_t role);

/* Parse a role name; 0 on success, -1 if unknown. */
int ds_role_parse(const char *name, ds_role_t *out);

#endif
