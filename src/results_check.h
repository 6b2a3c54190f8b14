/*
 * results_check.h — check a results file against the layout before
 * trusting it (results_check.c says what is checked). For the commands
 * that read results files: info, export, and compare through layout_read.
 */
#ifndef DYADSEQ_RESULTS_CHECK_H
#define DYADSEQ_RESULTS_CHECK_H

#include "dyadseq/error.h"
#include "results.h"

/*
 * Check the open results file f. Each problem goes to diag as "FILE:
 * message" ("FILE: /lag/1/session/expected is missing"). Returns 0 when
 * there is none, DS_EDATA when there are (err holds the first and says
 * how many more), DS_ENOMEM.
 */
int ds_results_check(ds_results_reader_t *f, ds_diag_t *diag,
                     ds_error_t *err);

#endif
