/*
 * export.h — writers of an imported study (import.h): the dyadseq
 * transcript CSV, and SDIS for GSEQ. Both write to an open stream; the
 * command gives them a temporary file (outfile.h), so a failed run leaves
 * no output.
 */
#ifndef DYADSEQ_EXPORT_H
#define DYADSEQ_EXPORT_H

#include <stdio.h>

#include "dyadseq/error.h"
#include "import.h"

/*
 * The transcript: couple, session, then actor, code, time, duration as
 * the study has them, then start and end (the observation period) when
 * any session has one (empty for the others). RFC 4180 quoting; times as
 * the shortest decimal that reads back exactly. 0, or -1 on a write
 * error (errno set).
 */
int ds_export_transcript(FILE *fp, const ds_import_study_t *st);

/*
 * The transcript's text of one field, as ds_export_transcript writes it
 * and the transcript reader reads it back exactly (import_corpus.c feeds
 * the reader these texts):
 *   ds_export_time_field: a time or duration as the shortest decimal
 *     that reads back as the same double; empty for NAN. buf holds
 *     DS_EXPORT_TIME_LEN bytes.
 *   ds_export_period_field: the start (end = 0) or end (end = 1) of
 *     session s's observation period: empty when s has none, one time, or
 *     with stretches not coded between them the stretches' starts or ends
 *     separated by ';' (SPEC 3). malloc'd; NULL when out of memory.
 */
#define DS_EXPORT_TIME_LEN 48
void ds_export_time_field(char *buf, size_t n, double v);
char *ds_export_period_field(const ds_import_session_t *s, int end);

/*
 * SDIS timed-event data (event data when the study has no times), actors
 * as code prefixes ACTOR_CODE, one session <COUPLE_SESSION> each (see
 * export_sdis.c). Names SDIS cannot hold are reported in diag first and
 * nothing is written: returns DS_EDATA; DS_EIO on a write error; DS_OK.
 */
int ds_export_sdis(FILE *fp, const ds_import_study_t *st, ds_diag_t *diag,
                   ds_error_t *err);

#endif
