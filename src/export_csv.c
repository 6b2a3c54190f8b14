/*
 * export_csv.c — an imported study as the dyadseq transcript CSV
 * (schemas/transcript.schema.json; see export.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "export.h"

void ds_export_time_field(char *buf, size_t n, double v)
{
    if (isnan(v))
        *buf = '\0';
    else
        ds_format_seconds(buf, n, v);
}

char *ds_export_period_field(const ds_import_session_t *s, int end)
{
    size_t n = s->n_stretches ? s->n_stretches : 1;
    char *out = malloc(n * (DS_EXPORT_TIME_LEN + 1));
    if (!out)
        return NULL;
    if (!s->n_stretches) {
        ds_export_time_field(out, DS_EXPORT_TIME_LEN, end ? s->end : s->start);
        return out;
    }
    size_t len = 0;
    for (size_t k = 0; k < s->n_stretches; k++) {
        if (k)
            out[len++] = ';';
        ds_export_time_field(out + len, DS_EXPORT_TIME_LEN,
                             s->stretch[2 * k + (end ? 1 : 0)]);
        len += strlen(out + len);
    }
    return out;
}

static int put_time(FILE *fp, double v)
{
    char b[DS_EXPORT_TIME_LEN];
    ds_export_time_field(b, sizeof b, v);
    return fputs(b, fp) < 0 ? -1 : 0;
}

/* One event of session s as a row of the transcript; period[2] are the
 * session's start and end fields when the study has periods. */
static int put_event(FILE *fp, const ds_import_study_t *st,
                     const ds_import_session_t *s,
                     const ds_import_event_t *ev, char *const period[2])
{
    int bad = ds_csv_write_field(fp, s->couple) || fputc(',', fp) == EOF ||
              ds_csv_write_field(fp, s->session);
    if (st->has_actor)
        bad = bad || fputc(',', fp) == EOF ||
              ds_csv_write_field(fp, st->actors[ev->actor]);
    bad = bad || fputc(',', fp) == EOF ||
          ds_csv_write_field(fp, st->codebook->code[ev->code]);
    if (st->has_time)
        bad = bad || fputc(',', fp) == EOF || put_time(fp, ev->onset);
    if (st->has_duration)
        bad = bad || fputc(',', fp) == EOF || put_time(fp, ev->duration);
    if (period[0])
        bad = bad || fprintf(fp, ",%s,%s", period[0], period[1]) < 0;
    return bad || fputc('\n', fp) == EOF ? -1 : 0;
}

int ds_export_transcript(FILE *fp, const ds_import_study_t *st)
{
    if (fprintf(fp, "couple,session%s,code%s%s%s\n",
                st->has_actor ? ",actor" : "", st->has_time ? ",time" : "",
                st->has_duration ? ",duration" : "",
                st->has_period ? ",start,end" : "") < 0)
        return -1;
    for (size_t i = 0; i < st->n_s; i++) {
        const ds_import_session_t *s = &st->s[i];
        char *period[2] = {NULL, NULL};
        if (st->has_period &&
            (!(period[0] = ds_export_period_field(s, 0)) ||
             !(period[1] = ds_export_period_field(s, 1)))) {
            free(period[0]);
            return -1; /* errno: ENOMEM */
        }
        int bad = 0;
        for (size_t e = 0; e < s->n && !bad; e++)
            bad = put_event(fp, st, s, &s->ev[e], period);
        free(period[0]);
        free(period[1]);
        if (bad)
            return -1;
    }
    return 0;
}
