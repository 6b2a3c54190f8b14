/*
 * layout.h — where every number goes in the results file (SPEC 5,
 * schemas/results.md). Commands compute, then call these to lay their
 * results out through the one writer, results.h. Keeping the paths in one
 * module keeps `analyze`, `compare` and the readers (`export`, `info`,
 * the plot scripts) agreeing on the layout.
 */
#ifndef DYADSEQ_LAYOUT_H
#define DYADSEQ_LAYOUT_H

#include "dyadseq/analysis.h"
#include "dyadseq/compare.h"
#include "dyadseq/corpus.h"
#include "dyadseq/results.h"

/* Provenance common to every results file (SPEC 5 root attributes). */
typedef struct ds_provenance {
    const char *command_line;
    const char *parameters_json; /* every option, defaults included */
    uint64_t seed;
} ds_provenance_t;

/*
 * Root attributes, /states, /codebook and /sessions of corpus c (and, when
 * a is not NULL, the session columns it computed).
 */
int ds_layout_corpus(ds_results_t *r, const ds_corpus_t *c,
                     const ds_analysis_t *a, const ds_provenance_t *p,
                     ds_error_t *err);

/* /lag, /window, /responsiveness, /cycles and /softening of a. */
int ds_layout_analysis(ds_results_t *r, const ds_corpus_t *c,
                       const ds_analysis_t *a, const uint8_t *zero,
                       const ds_analysis_opts_t *o, ds_error_t *err);

/*
 * /comparison of c, after ds_compare_test (and ds_compare_reliability):
 * the table of metrics, the per-couple values, the excluded couples with
 * their reasons, and with reliabilities /comparison/reliability and
 * /comparison/rci (schemas/results.md).
 */
int ds_layout_comparison(ds_results_t *r, const ds_compare_t *c,
                         ds_error_t *err);

/*
 * Copy the dataset at path of the results file f to the same path of r,
 * with its `dimensions` (int64 and uint8 stay so; other numbers become
 * float64; strings stay strings). For a command that reads one results
 * file and writes another (compare on an analyze file).
 */
int ds_layout_copy(ds_results_t *r, ds_results_reader_t *f,
                   const char *path, ds_error_t *err);

#endif
