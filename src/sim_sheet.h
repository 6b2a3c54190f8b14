/*
 * sim_sheet.h — a simulated session as one row of an interval-coded sheet
 * in the wide layout (`simulate --layout intervals`, issue 13), the input
 * of `convert --from intervals` (import_intervals.c).
 *
 * The session is cut into n intervals of `interval` seconds from time 0;
 * the column STATE<k> (the state's label with ':' written as '_', k the
 * interval number from 1, zero-padded to the width of n: A_pursue01 ..
 * A_pursue48) is 1 when an event of that state has its onset in interval
 * k, else 0. Events after the last interval are not coded; a session
 * shorter than n intervals has 0 in the rest.
 */
#ifndef DYADSEQ_SIM_SHEET_H
#define DYADSEQ_SIM_SHEET_H

#include <stdio.h>

#include "dyadseq/corpus.h"
#include "dyadseq/simulate.h"

/* The header: couple,session, then n columns per state of space. 0 or -1
 * on a write error. */
int ds_sim_sheet_header(FILE *fp, const ds_corpus_t *space, size_t n);

/* One session's row. 0, -1 on a write error, DS_ENOMEM. */
int ds_sim_sheet_row(FILE *fp, const ds_corpus_t *space, const char *couple,
                     const char *label, const ds_sim_events_t *ev,
                     double interval, size_t n);

#endif
