/*
 * codebook.c — the built-in codebook and the codebook CSV parser.
 */
#include "dyadseq/codebook.h"

#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "text.h"

static const char *const role_names[DS_N_ROLES] = {
    "pursue", "withdraw", "soften", "bid", "response", "other"};

const char *ds_role_name(ds_role_t role)
{
    return (unsigned)role < DS_N_ROLES ? role_names[role] : "?";
}

int ds_role_parse(const char *name, ds_role_t *out)
{
    for (int i = 0; i < DS_N_ROLES; i++)
        if (strcmp(name, role_names[i]) == 0) {
            *out = (ds_role_t)i;
            return 0;
        }
    return -1;
}

static ds_codebook_t *codebook_alloc(size_t cap)
{
    ds_codebook_t *cb = calloc(1, sizeof *cb);
    if (!cb)
        return NULL;
    cb->code = calloc(cap ? cap : 1, sizeof *cb->code);
    cb->role = calloc(cap ? cap : 1, sizeof *cb->role);
    cb->description = calloc(cap ? cap : 1, sizeof *cb->description);
    if (!cb->code || !cb->role || !cb->description) {
        ds_codebook_free(cb);
        return NULL;
    }
    return cb;
}

/* Append a code; cb must have room. Returns 0 or -1 on allocation failure. */
static int codebook_push(ds_codebook_t *cb, const char *code, ds_role_t role,
                         const char *desc)
{
    char *c = ds_strdup(code), *d = ds_strdup(desc ? desc : "");
    if (!c || !d) {
        free(c);
        free(d);
        return -1;
    }
    cb->code[cb->n] = c;
    cb->role[cb->n] = role;
    cb->description[cb->n] = d;
    cb->n++;
    return 0;
}

ds_codebook_t *ds_codebook_alloc_default(void)
{
    static const char *const desc[] = {
        "demands, criticizes or presses the partner for engagement",
        "disengages, stonewalls, avoids or goes silent",
        "expresses vulnerability or softens toward the partner",
        "bid for connection: asks for attention, interest or support",
        "turns toward the partner's bid"};
    ds_codebook_t *cb = codebook_alloc(5);
    if (!cb)
        return NULL;
    for (int r = DS_ROLE_PURSUE; r <= DS_ROLE_RESPONSE; r++)
        if (codebook_push(cb, role_names[r], (ds_role_t)r, desc[r])) {
            ds_codebook_free(cb);
            return NULL;
        }
    return cb;
}

ds_codebook_t *ds_codebook_alloc_copy(const ds_codebook_t *cb)
{
    ds_codebook_t *c = codebook_alloc(cb->n);
    if (!c)
        return NULL;
    for (size_t i = 0; i < cb->n; i++)
        if (codebook_push(c, cb->code[i], cb->role[i], cb->description[i])) {
            ds_codebook_free(c);
            return NULL;
        }
    return c;
}

long ds_codebook_find(const ds_codebook_t *cb, const char *code)
{
    for (size_t i = 0; i < cb->n; i++)
        if (strcmp(cb->code[i], code) == 0)
            return (long)i;
    return -1;
}

void ds_codebook_free(ds_codebook_t *cb)
{
    if (!cb)
        return;
    for (size_t i = 0; i < cb->n; i++) {
        free(cb->code[i]);
        free(cb->description[i]);
    }
    free(cb->code);
    free(cb->role);
    free(cb->description);
    free(cb);
}

typedef struct load_ctx {
    const char *path;
    ds_codebook_t *cb;
    size_t cap;
    long col_code, col_role, col_desc;
    size_t n_header;
    ds_diag_t *diag;
    int bad_header;
} load_ctx_t;

static int load_header(load_ctx_t *c, const ds_csv_row_t *row)
{
    c->n_header = row->n;
    for (size_t i = 0; i < row->n; i++) {
        const char *h = row->field[i];
        long *slot = strcmp(h, "code") == 0          ? &c->col_code
                     : strcmp(h, "role") == 0        ? &c->col_role
                     : strcmp(h, "description") == 0 ? &c->col_desc
                                                     : NULL;
        if (slot && *slot >= 0) {
            ds_diag_error(c->diag, c->path, row->line, h, "duplicate column");
            c->bad_header = 1;
        } else if (slot) {
            *slot = (long)i;
        }
    }
    if (c->col_code < 0 || c->col_role < 0) {
        ds_diag_error(c->diag, c->path, row->line,
                      c->col_code < 0 ? "code" : "role",
                      "required column missing (a codebook needs columns "
                      "code,role and optionally description)");
        c->bad_header = 1;
    }
    return c->bad_header ? 1 : 0;
}

static int load_row(const ds_csv_row_t *row, void *vc)
{
    load_ctx_t *c = vc;
    if (row->index == 0)
        return load_header(c, row);
    if (row->n != c->n_header) {
        ds_diag_error(c->diag, c->path, row->line, NULL,
                      "row has %zu fields, header has %zu", row->n,
                      c->n_header);
        return 0;
    }
    for (size_t i = 0; i < row->n; i++) {
        size_t bad = ds_utf8_invalid_at(row->field[i], row->len[i]);
        if (bad < row->len[i] || strlen(row->field[i]) != row->len[i]) {
            ds_diag_error(c->diag, c->path, row->line, NULL,
                          "field %zu is not valid UTF-8 text", i + 1);
            return 0;
        }
    }
    const char *code = row->field[c->col_code];
    const char *role = row->field[c->col_role];
    const char *desc = c->col_desc >= 0 ? row->field[c->col_desc] : "";
    ds_role_t r;
    int ok = 1;
    if (!*code) {
        ds_diag_error(c->diag, c->path, row->line, "code", "empty code");
        ok = 0;
    } else if (row->len[c->col_code] > DS_LABEL_MAX) {
        ds_diag_error(c->diag, c->path, row->line, "code",
                      "code longer than %d bytes (%zu bytes)", DS_LABEL_MAX,
                      row->len[c->col_code]);
        ok = 0;
    } else if (ds_codebook_find(c->cb, code) >= 0) {
        char ex[80];
        ds_excerpt(ex, code, 60);
        ds_diag_error(c->diag, c->path, row->line, "code",
                      "duplicate code '%s'", ex);
        ok = 0;
    }
    if (ds_role_parse(role, &r)) {
        char ex[80];
        ds_excerpt(ex, role, 60);
        const char *s = ds_suggest(role, role_names, DS_N_ROLES);
        ds_diag_error(c->diag, c->path, row->line, "role",
                      "unknown role '%s'%s%s%s (roles are pursue, withdraw, "
                      "soften, bid, response, other)",
                      ex, s ? "; did you mean '" : "", s ? s : "",
                      s ? "'?" : "");
        ok = 0;
    }
    if (!ok)
        return 0;
    if (c->cb->n == c->cap) {
        size_t cap = c->cap * 2;
        char **code_ = realloc(c->cb->code, cap * sizeof *code_);
        if (code_)
            c->cb->code = code_;
        ds_role_t *role_ = realloc(c->cb->role, cap * sizeof *role_);
        if (role_)
            c->cb->role = role_;
        char **desc_ = realloc(c->cb->description, cap * sizeof *desc_);
        if (desc_)
            c->cb->description = desc_;
        if (!code_ || !role_ || !desc_)
            return DS_ENOMEM;
        c->cap = cap;
    }
    if (c->cb->n >= 65535) {
        ds_diag_error(c->diag, c->path, row->line, NULL,
                      "too many codes (at most 65535)");
        return 1;
    }
    return codebook_push(c->cb, code, r, desc) ? DS_ENOMEM : 0;
}

int ds_codebook_load(const char *path, ds_codebook_t **out, ds_diag_t *diag,
                     ds_error_t *err)
{
    *out = NULL;
    size_t errors_before = diag->n_errors;
    load_ctx_t c = {.path = path, .cap = 16, .col_code = -1, .col_role = -1,
                    .col_desc = -1, .diag = diag};
    c.cb = codebook_alloc(c.cap);
    if (!c.cb)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        ds_codebook_free(c.cb);
        return ds_error_set(err, DS_EIO, "cannot open codebook '%s': %m",
                            path);
    }
    int rc = ds_csv_read(fp, path, load_row, &c, diag, NULL, err);
    fclose(fp);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    if (rc == DS_OK && c.cb->n == 0 && !c.bad_header) {
        ds_diag_error(diag, path, 0, NULL, "codebook has no codes");
    }
    if (rc == DS_OK && diag->n_errors > errors_before)
        rc = DS_EDATA;
    if (rc) {
        ds_codebook_free(c.cb);
        return rc;
    }
    *out = c.cb;
    return DS_OK;
}
