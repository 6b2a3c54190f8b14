/*
 * export_csv.c — an imported study as the dyadseq transcript CSV
 * (schemas/transcript.schema.json; see export.h).
 */
#include <math.h>
#include <string.h>

#include "csvread.h"
#include "export.h"

static int put_time(FILE *fp, double v)
{
    char b[48];
    if (isnan(v))
        return 0;
    ds_format_seconds(b, sizeof b, v);
    return fputs(b, fp) < 0 ? -1 : 0;
}

/* The start (which 0) or end (1) of s's period: with stretches not coded
 * between them, the list of the stretches' starts or ends separated by
 * ';' (SPEC 3, schemas/transcript.schema.json). */
static int put_bounds(FILE *fp, const ds_import_session_t *s, int which)
{
    if (!s->n_stretches)
        return put_time(fp, which ? s->end : s->start);
    for (size_t k = 0; k < s->n_stretches; k++)
        if ((k && fputc(';', fp) == EOF) ||
            put_time(fp, s->stretch[2 * k + which]))
            return -1;
    return 0;
}

int ds_export_transcript(FILE *fp, const ds_import_study_t *st)
{
    return ds_export_transcript_part(fp, st, -1, NULL);
}

int ds_export_transcript_part(FILE *fp, const ds_import_study_t *st,
                              long input, uint32_t *src_line)
{
    size_t k = 0;
    int actor = st->has_actor, time = st->has_time, dur = st->has_duration,
        period = st->has_period;
    if (fprintf(fp, "couple,session%s,code%s%s%s\n", actor ? ",actor" : "",
                time ? ",time" : "", dur ? ",duration" : "",
                period ? ",start,end" : "") < 0)
        return -1;
    for (size_t i = 0; i < st->n_s; i++) {
        const ds_import_session_t *s = &st->s[i];
        for (size_t e = 0; e < s->n; e++) {
            const ds_import_event_t *ev = &s->ev[e];
            if (input >= 0 && ev->input != (uint32_t)input)
                continue;
            if (src_line)
                src_line[k] = ev->line;
            k++;
            int bad = ds_csv_write_field(fp, s->couple) ||
                      fputc(',', fp) == EOF ||
                      ds_csv_write_field(fp, s->session);
            if (actor)
                bad = bad || fputc(',', fp) == EOF ||
                      ds_csv_write_field(fp, st->actors[ev->actor]);
            bad = bad || fputc(',', fp) == EOF ||
                  ds_csv_write_field(fp, st->codebook->code[ev->code]);
            if (time)
                bad = bad || fputc(',', fp) == EOF || put_time(fp, ev->onset);
            if (dur)
                bad = bad || fputc(',', fp) == EOF ||
                      put_time(fp, ev->duration);
            if (period)
                bad = bad || fputc(',', fp) == EOF ||
                      put_bounds(fp, s, 0) || fputc(',', fp) == EOF ||
                      put_bounds(fp, s, 1);
            if (bad || fputc('\n', fp) == EOF)
                return -1;
        }
    }
    return 0;
}
