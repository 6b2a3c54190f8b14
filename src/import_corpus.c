/*
 * import_corpus.c — a checked study (import.h) as a corpus, so that
 * `validate` and `analyze --format FORMAT` read other tools' files
 * directly.
 *
 * The events of each input are written as a transcript in memory and read
 * through the transcript reader's own entry point (ingest.h:
 * ds_ingest_file, under the input's name), so the corpus is exactly what
 * the same transcript on disk gives. Afterwards each input's digest is
 * that of its original bytes (provenance) and each event's line is its
 * line in the original file (0 for JSON, which has none), so later
 * messages point at the source. The reader's warnings would name lines of
 * the transcript in memory; they are replaced by this module's own
 * (sessions of fewer than two events), located in the source.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyadseq/ingest.h"
#include "export.h"
#include "import.h"
#include "import_corpus.h"

/* One input's transcript in memory, read into the builder. */
static int ingest_input(const ds_import_study_t *st, size_t i,
                        ds_ingest_t *b, uint32_t **lines, ds_diag_t *rdiag,
                        ds_error_t *err)
{
    char *buf = NULL;
    size_t len = 0, n = 0;
    for (size_t s = 0; s < st->n_s; s++)
        for (size_t e = 0; e < st->s[s].n; e++)
            n += st->s[s].ev[e].input == i;
    *lines = malloc((n ? n : 1) * sizeof **lines);
    FILE *w = *lines ? open_memstream(&buf, &len) : NULL;
    if (!w) {
        free(buf);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    int bad = ds_export_transcript_part(w, st, (long)i, *lines);
    if (fclose(w) != 0 || bad) {
        free(buf);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    FILE *r = fmemopen(buf, len, "rb");
    if (!r) {
        free(buf);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    int rc = ds_ingest_file(b, r, st->inputs[i], rdiag, err);
    fclose(r);
    free(buf);
    return rc;
}

/* Sessions of fewer than two events, located in the source. */
static void warn_short(const ds_import_study_t *st, ds_diag_t *diag)
{
    for (size_t s = 0; s < st->n_s; s++)
        if (st->s[s].n < 2)
            ds_diag_warning(diag, st->locs[st->s[s].ev[0].loc], 0, NULL,
                            "session '%s'/'%s' has only %zu event; its "
                            "sequential statistics are NaN",
                            st->s[s].couple, st->s[s].session, st->s[s].n);
}

int ds_import_corpus(const ds_import_study_t *st, const ds_ingest_opts_t *io,
                     ds_corpus_t **out, ds_diag_t *diag, ds_error_t *err)
{
    *out = NULL;
    ds_ingest_opts_t o = *io;
    o.merge = st->merge;
    o.sort = st->merge;  /* a merged session's parts, ordered by onset */
    o.verbose = 0;
    ds_ingest_t *b = ds_ingest_alloc(&o);
    uint32_t **lines = calloc(st->n_inputs ? st->n_inputs : 1,
                              sizeof *lines);
    ds_diag_t rdiag;
    ds_diag_init(&rdiag, diag->keep);
    int rc = DS_OK;
    size_t *input = NULL, n_files = 0;
    if (!b || !lines) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    /* only inputs that gave events: a header-only transcript is an
     * error to the reader; file[f] of the corpus is input[f] of the study */
    input = calloc(st->n_inputs ? st->n_inputs : 1, sizeof *input);
    if (!input) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < st->n_inputs && rc == DS_OK; i++) {
        int any = 0;
        for (size_t s = 0; s < st->n_s && !any; s++)
            for (size_t e = 0; e < st->s[s].n && !any; e++)
                any = st->s[s].ev[e].input == i;
        if (any) {
            input[n_files] = i;
            rc = ingest_input(st, i, b, &lines[n_files++], &rdiag, err);
        }
    }
    if (rc == DS_OK)
        rc = ds_ingest_finish(b, out, &rdiag, err);
    if (rdiag.n_errors) {
        /* cannot happen for a checked study; shown as the reader says */
        for (size_t k = 0; k < rdiag.n_errors_kept; k++)
            ds_diag_error(diag, NULL, 0, NULL, "%s", rdiag.errors[k]);
        if (rc == DS_OK)
            rc = DS_EDATA;
    }
    if (rc)
        goto done;
    ds_corpus_t *c = *out;
    for (size_t f = 0; f < c->n_files && f < n_files; f++)
        memcpy(c->sha256[f], st->sha256[input[f]], sizeof c->sha256[f]);
    for (size_t s = 0; s < c->n_sessions; s++) {
        ds_session_t *ss = &c->sessions[s];
        for (size_t e = 0; e < ss->n; e++) {
            uint32_t f = ss->file[e], l = ss->line[e];
            ss->line[e] = f < n_files && l >= 2 ? lines[f][l - 2] : 0;
        }
    }
    warn_short(st, diag);
done:
    if (rc && *out) {
        ds_corpus_free(*out);
        *out = NULL;
    }
    for (size_t i = 0; lines && i < st->n_inputs; i++)
        free(lines[i]);
    free(lines);
    free(input);
    ds_ingest_free(b);
    ds_diag_free(&rdiag);
    return rc;
}
