/*
 * import_corpus.c — a checked study (import.h) as a corpus, so that
 * `validate` and `analyze --format FORMAT` read other tools' files
 * directly.
 *
 * The events of each input go through the transcript reader's row
 * interface (ingest.h: ds_ingest_begin, _row, _end, under the input's
 * name, with each event's line in the source, 0 for JSON, which has
 * none), as the fields a transcript of the study would hold (export.h
 * writes the same texts). So the corpus is exactly what that transcript
 * gives, while its files carry the digests of the original bytes
 * (provenance) and its events their source lines. The reader's warnings
 * cannot name a JSON event; they are replaced by this module's own
 * (sessions of fewer than two events), located in the source.
 */
#include <stdlib.h>

#include "dyadseq/ingest.h"
#include "export.h"
#include "import.h"
#include "import_corpus.h"

/* The columns of the study's rows (DS_INGEST_BIT set). */
static unsigned study_columns(const ds_import_study_t *st)
{
    unsigned c = DS_INGEST_BIT(DS_INGEST_COUPLE) |
                 DS_INGEST_BIT(DS_INGEST_SESSION) |
                 DS_INGEST_BIT(DS_INGEST_CODE);
    if (st->has_actor)
        c |= DS_INGEST_BIT(DS_INGEST_ACTOR);
    if (st->has_time)
        c |= DS_INGEST_BIT(DS_INGEST_TIME);
    if (st->has_duration)
        c |= DS_INGEST_BIT(DS_INGEST_DURATION);
    if (st->has_period)
        c |= DS_INGEST_BIT(DS_INGEST_START) | DS_INGEST_BIT(DS_INGEST_END);
    return c;
}

/* The events of input i in session s as rows of b. */
static int feed_session(const ds_import_study_t *st,
                        const ds_import_session_t *s, size_t i,
                        ds_ingest_t *b, ds_error_t *err)
{
    char onset[DS_EXPORT_TIME_LEN], duration[DS_EXPORT_TIME_LEN];
    char *period[2] = {NULL, NULL};
    ds_ingest_row_t row = {{NULL}, 0};
    row.field[DS_INGEST_COUPLE] = s->couple;
    row.field[DS_INGEST_SESSION] = s->session;
    if (st->has_time)
        row.field[DS_INGEST_TIME] = onset;
    if (st->has_duration)
        row.field[DS_INGEST_DURATION] = duration;
    if (st->has_period) {
        period[0] = ds_export_period_field(s, 0);
        period[1] = ds_export_period_field(s, 1);
        row.field[DS_INGEST_START] = period[0];
        row.field[DS_INGEST_END] = period[1];
    }
    int rc = DS_OK;
    if (st->has_period && (!period[0] || !period[1]))
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t e = 0; e < s->n && !rc; e++) {
        const ds_import_event_t *ev = &s->ev[e];
        if (ev->input != i)
            continue;
        row.field[DS_INGEST_CODE] = st->codebook->code[ev->code];
        if (st->has_actor)
            row.field[DS_INGEST_ACTOR] = st->actors[ev->actor];
        ds_export_time_field(onset, sizeof onset, ev->onset);
        ds_export_time_field(duration, sizeof duration, ev->duration);
        row.line = ev->line;
        rc = ds_ingest_row(b, &row, err);
    }
    free(period[0]);
    free(period[1]);
    return rc;
}

/* Whether input i gave any event. */
static int gave_events(const ds_import_study_t *st, size_t i)
{
    for (size_t s = 0; s < st->n_s; s++)
        for (size_t e = 0; e < st->s[s].n; e++)
            if (st->s[s].ev[e].input == i)
                return 1;
    return 0;
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
    ds_diag_t rdiag;
    ds_diag_init(&rdiag, diag->keep);
    int rc = b ? DS_OK : ds_error_set(err, DS_ENOMEM, "out of memory");
    /* only inputs that gave events, as a transcript of each would be
     * read: file[f] of the corpus is the f-th input with events */
    for (size_t i = 0; i < st->n_inputs && rc == DS_OK; i++) {
        if (!gave_events(st, i))
            continue;
        rc = ds_ingest_begin(b, st->inputs[i], study_columns(st), 0, &rdiag,
                             err);
        for (size_t s = 0; s < st->n_s && rc == DS_OK; s++)
            rc = feed_session(st, &st->s[s], i, b, err);
        if (rc == DS_OK)
            rc = ds_ingest_end(b, st->sha256[i], err);
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
    if (rc == DS_OK)
        warn_short(st, diag);
    if (rc && *out) {
        ds_corpus_free(*out);
        *out = NULL;
    }
    ds_ingest_free(b);
    ds_diag_clear(&rdiag);
    return rc;
}
