/*
 * zeros.h — the structural-zero mask of lag-1 tables (SPEC 4.2):
 * `--structural-zeros none|diagonal|FILE`. FILE is a CSV with columns
 * from,to naming states as in /states/label ("A:pursue", or the code alone
 * when the transcripts have no actor column). Parsed through csvread with
 * located messages, like every input.
 */
#ifndef DYADSEQ_ZEROS_H
#define DYADSEQ_ZEROS_H

#include <stdint.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"

/*
 * Build the [K*K] mask for spec ("none", "diagonal" or a file path) over
 * the states of c. *mask is NULL for "none" (no structural zeros),
 * otherwise malloc'd (1 = structural zero). Problems in a file go to diag
 * (returns DS_EDATA); a file must name at least one cell.
 */
int ds_zeros_load(const char *spec, const ds_corpus_t *c, uint8_t **mask,
                  ds_diag_t *diag, ds_error_t *err);

/*
 * Check every session's lag-1 transitions against mask and record each one
 * that falls in a structural zero in diag ("FILE:LINE: session 'c'/'s':
 * transition A:pursue → A:pursue is a structural zero"), where LINE is the
 * line of the second event. Returns the number of such transitions.
 */
size_t ds_zeros_check(const ds_corpus_t *c, const uint8_t *mask,
                      ds_diag_t *diag);

#endif
