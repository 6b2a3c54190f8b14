/*
 * zeros.c — structural-zero masks (see zeros.h).
 */
#include "dyadseq/zeros.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "text.h"

typedef struct zctx {
    const char *path;
    const ds_corpus_t *c;
    uint8_t *mask;
    long col_from, col_to;
    size_t n_header, n_cells;
    ds_diag_t *diag;
} zctx_t;

static long find_state(const ds_corpus_t *c, const char *label)
{
    for (size_t i = 0; i < c->n_states; i++)
        if (strcmp(c->state_label[i], label) == 0)
            return (long)i;
    return -1;
}

static int zrow(const ds_csv_row_t *row, void *vz)
{
    zctx_t *z = vz;
    if (row->index == 0) {
        z->n_header = row->n;
        for (size_t i = 0; i < row->n; i++) {
            if (strcmp(row->field[i], "from") == 0)
                z->col_from = (long)i;
            else if (strcmp(row->field[i], "to") == 0)
                z->col_to = (long)i;
        }
        if (z->col_from < 0 || z->col_to < 0) {
            ds_diag_error(z->diag, z->path, row->line, NULL,
                          "a structural-zeros file needs columns from,to "
                          "(state labels such as A:pursue)");
            return 1;
        }
        return 0;
    }
    if (row->n != z->n_header) {
        ds_diag_error(z->diag, z->path, row->line, NULL,
                      "row has %zu fields, header has %zu", row->n,
                      z->n_header);
        return 0;
    }
    long idx[2];
    const char *names[2] = {"from", "to"};
    long cols[2] = {z->col_from, z->col_to};
    int bad = 0;
    for (int k = 0; k < 2; k++) {
        const char *v = row->field[cols[k]];
        idx[k] = find_state(z->c, v);
        if (idx[k] < 0) {
            char ex[80];
            ds_excerpt(ex, v, 60);
            const char *s = ds_suggest(
                v, (const char *const *)z->c->state_label, z->c->n_states);
            ds_diag_error(z->diag, z->path, row->line, names[k],
                          "unknown state '%s'%s%s%s", ex,
                          s ? "; did you mean '" : "", s ? s : "",
                          s ? "'?" : "");
            bad = 1;
        }
    }
    if (!bad) {
        z->mask[(size_t)idx[0] * z->c->n_states + (size_t)idx[1]] = 1;
        z->n_cells++;
    }
    return 0;
}

int ds_zeros_load(const char *spec, const ds_corpus_t *c, uint8_t **mask,
                  ds_diag_t *diag, ds_error_t *err)
{
    size_t K = c->n_states;
    *mask = NULL;
    if (strcmp(spec, "none") == 0)
        return DS_OK;
    uint8_t *m = calloc(K * K, 1);
    if (!m)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (strcmp(spec, "diagonal") == 0) {
        for (size_t i = 0; i < K; i++)
            m[i * K + i] = 1;
        *mask = m;
        return DS_OK;
    }
    FILE *fp = fopen(spec, "rb");
    if (!fp) {
        int e = errno;
        free(m);
        /* a word that is no file is a mistyped value ("diag"): usage */
        return ds_error_set(err, e == ENOENT ? DS_EUSAGE : DS_EIO,
                            "--structural-zeros: cannot open '%s': %s (give "
                            "none, diagonal or a CSV file of from,to pairs)",
                            spec, strerror(e));
    }
    size_t before = diag->n_errors;
    zctx_t z = {.path = spec, .c = c, .mask = m, .col_from = -1,
                .col_to = -1, .diag = diag};
    int rc = ds_csv_read(fp, spec, zrow, &z, diag, NULL, err);
    fclose(fp);
    if (rc == DS_OK && diag->n_errors == before && z.n_cells == 0)
        ds_diag_error(diag, spec, 0, NULL, "no structural-zero cells listed");
    if (rc == DS_OK && diag->n_errors > before)
        rc = DS_EDATA;
    if (rc) {
        free(m);
        return rc;
    }
    *mask = m;
    return DS_OK;
}

size_t ds_zeros_check(const ds_corpus_t *c, const uint8_t *mask,
                      ds_diag_t *diag)
{
    size_t K = c->n_states, n_bad = 0;
    if (!mask)
        return 0;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const ds_session_t *s = &c->sessions[i];
        for (size_t t = 1; t < s->n; t++) {
            size_t from = s->state[t - 1], to = s->state[t];
            if (!mask[from * K + to])
                continue;
            n_bad++;
            ds_diag_error(diag, c->files[s->file[t]], s->line[t], NULL,
                          "session '%s'/'%s': transition %s → %s (from line "
                          "%u) falls in a structural-zero cell",
                          s->couple, s->label, c->state_label[from],
                          c->state_label[to], s->line[t - 1]);
        }
    }
    return n_bad;
}
