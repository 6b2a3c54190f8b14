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
 * The same restricted to the events of one input (input >= 0; -1: all).
 * When src_line is not NULL, src_line[k] receives the source line of the
 * k-th data row written (0 when the source has no lines); it must hold
 * the number of events written. Rows never span lines (the study refuses
 * line breaks in names).
 */
int ds_export_transcript_part(FILE *fp, const ds_import_study_t *st,
                              long input, uint32_t *src_line);

/*
 * SDIS timed-event data (event data when the study has no times), actors
 * as code prefixes ACTOR_CODE, one session <COUPLE_SESSION> each (see
 * export_sdis.c). Names SDIS cannot hold are reported in diag first and
 * nothing is written: returns DS_EDATA; DS_EIO on a write error; DS_OK.
 */
int ds_export_sdis(FILE *fp, const ds_import_study_t *st, ds_diag_t *diag,
                   ds_error_t *err);

#endif
