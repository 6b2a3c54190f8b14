/*
 * export_sdis.c — an imported study as SDIS, GSEQ's input language, so a
 * dyadseq result can be checked in GSEQ (Bakeman & Quera 2011).
 *
 * Timed-event data when the study has times, else event data:
 *
 *   % comment lines (written by dyadseq, the mapping, how to read back)
 *   Timed A_pursue A_withdraw ... B_response ;
 *   <c01_pre>
 *   ,0 A_bid,0-1.8 B_response,2.1-3.3 A_pursue,4-6.5 ... ,120/
 *
 * Actor and code make one SDIS code ACTOR_CODE (SDIS has no actors; BORIS
 * writes SUBJECT_BEHAVIOR the same way). The declaration lists every
 * actor × code of the codebook, the state space of dyadseq. A session is
 * <COUPLE_SESSION>; `convert --from sdis --id-pattern '^(.*)_([^_]*)$'`
 * reads couple and session back. Each event is CODE,ONSET-OFFSET, or
 * CODE,ONSET for a point (duration 0) or without durations (read back as
 * duration 0 when other events have offsets); a known observation period
 * is the session's
 * ",START" and ",END/". Times are seconds, the shortest decimal that
 * reads back exactly.
 *
 * Names: an actor or code must be letters, digits and '_' (starting with
 * a letter), a session label must have no '_' (it separates couple and
 * session) and neither part '>' or a line break; anything else is
 * reported, with nothing written.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "export.h"
#include "version.h"

static int sdis_name(const char *s)
{
    if (!isalpha((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

static int check_names(const ds_import_study_t *st, ds_diag_t *diag)
{
    const char *why = "SDIS codes are letters, digits and '_', starting "
                      "with a letter";
    size_t before = diag->n_errors;
    for (size_t j = 0; j < st->codebook->n; j++)
        if (!sdis_name(st->codebook->code[j]))
            ds_diag_error(diag, NULL, 0, NULL,
                          "code '%s' cannot be written to SDIS: %s",
                          st->codebook->code[j], why);
    if (st->has_actor)
        for (size_t a = 0; a < st->n_actors; a++)
            if (!sdis_name(st->actors[a]))
                ds_diag_error(diag, NULL, 0, NULL,
                              "actor '%s' cannot be written to SDIS: %s",
                              st->actors[a], why);
    for (size_t i = 0; i < st->n_s; i++) {
        const ds_import_session_t *s = &st->s[i];
        if (strchr(s->session, '_') || strpbrk(s->session, ">\r\n") ||
            strpbrk(s->couple, ">\r\n"))
            ds_diag_error(diag, st->locs[s->ev[0].loc], 0, NULL,
                          "session '%s'/'%s' cannot be an SDIS label "
                          "<COUPLE_SESSION>: the session must not contain "
                          "'_', and neither part '>' or a line break",
                          s->couple, s->session);
    }
    return diag->n_errors > before;
}

static int put_code(FILE *fp, const ds_import_study_t *st, uint32_t actor,
                    uint32_t code)
{
    if (st->has_actor && actor != DS_IMPORT_NO_ACTOR &&
        fprintf(fp, "%s_", st->actors[actor]) < 0)
        return -1;
    return fputs(st->codebook->code[code], fp) < 0 ? -1 : 0;
}

static int declaration(FILE *fp, const ds_import_study_t *st)
{
    if (fprintf(fp,
                "%% SDIS written by dyadseq %s (convert --to sdis)\n"
                "%% %s data; actors as code prefixes ACTOR_CODE; sessions "
                "<COUPLE_SESSION>%s\n"
                "%% read back: dyadseq convert --from sdis --id-pattern "
                "'^(.*)_([^_]*)$' FILE\n"
                "%s",
                DS_VERSION, st->has_time ? "timed-event" : "event",
                st->has_time ? "; times in seconds" : "",
                st->has_time ? "Timed" : "Event") < 0)
        return -1;
    size_t na = st->has_actor ? st->n_actors : 1, k = 0;
    for (size_t a = 0; a < na; a++)
        for (size_t j = 0; j < st->codebook->n; j++, k++)
            if (fputs(k % 6 == 5 ? "\n " : " ", fp) < 0 ||
                put_code(fp, st, st->has_actor ? (uint32_t)a
                                               : DS_IMPORT_NO_ACTOR,
                         (uint32_t)j))
                return -1;
    return fputs(" ;\n", fp) < 0 ? -1 : 0;
}

static int put_seconds(FILE *fp, double v)
{
    char b[48];
    ds_format_seconds(b, sizeof b, ds_round_ns(v));
    return fputs(b, fp) < 0 ? -1 : 0;
}

static int session(FILE *fp, const ds_import_study_t *st,
                   const ds_import_session_t *s)
{
    int period = !isnan(s->start) && st->has_time;
    if (fprintf(fp, "\n<%s_%s>\n", s->couple, s->session) < 0)
        return -1;
    if (period && (fputc(',', fp) == EOF || put_seconds(fp, s->start) ||
                   fputc(' ', fp) == EOF))
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        const ds_import_event_t *e = &s->ev[i];
        if (put_code(fp, st, e->actor, e->code))
            return -1;
        if (st->has_time &&
            (fputc(',', fp) == EOF || put_seconds(fp, e->onset)))
            return -1;
        if (st->has_time && st->has_duration && e->duration > 0 &&
            (fputc('-', fp) == EOF ||
             put_seconds(fp, e->onset + e->duration)))
            return -1;
        if (fputc(i % 6 == 5 ? '\n' : ' ', fp) == EOF)
            return -1;
    }
    if (period && (fputc(',', fp) == EOF || put_seconds(fp, s->end)))
        return -1;
    return fputs("/\n", fp) < 0 ? -1 : 0;
}

int ds_export_sdis(FILE *fp, const ds_import_study_t *st, ds_diag_t *diag,
                   ds_error_t *err)
{
    if (check_names(st, diag))
        return DS_EDATA;
    int bad = declaration(fp, st);
    for (size_t i = 0; i < st->n_s && !bad; i++)
        bad = session(fp, st, &st->s[i]);
    if (bad)
        return ds_error_set(err, DS_EIO, "cannot write the SDIS file");
    return DS_OK;
}
