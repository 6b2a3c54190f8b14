/*
 * layout.h — where every number goes in the results file (SPEC 5,
 * schemas/results.md). Commands compute, then call these to lay their
 * results out through the one writer, results.h; nothing is computed
 * here. Every name is defined once, in layout_paths.h, which the readers
 * (`export`, `info`, `compare`) use too, so they agree on the layout.
 * The module is layout*.c behind layout_internal.h.
 */
#ifndef DYADSEQ_LAYOUT_H
#define DYADSEQ_LAYOUT_H

#include "dyadseq/analysis.h"
#include "dyadseq/compare.h"
#include "dyadseq/corpus.h"
#include "results.h"

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

/* /sessions/duration_s, first_onset_s, start_s and end_s
 * (ds_layout_corpus writes them
 * when given a; a streaming writer calls this after the analysis). */
int ds_layout_session_columns(ds_results_t *r, const ds_analysis_t *a,
                              ds_error_t *err);

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

/*
 * Streaming (issue #7: memory): begin allocates the stream and creates
 * the per-session datasets of /lag and /window for the analysis c and o
 * will give; pass ds_layout_stream_block and the stream as the analysis'
 * block sink (ds_analysis_opts_t.block_sink / block_ctx) and
 * ds_layout_stream_sessions as its sessions sink, which writes
 * /responsiveness (the Kaplan-Meier curves the analysis computed),
 * /cycles and /softening, and ds_layout_stream_pooled as its pooled sink,
 * which closes the per-session datasets and writes the pooled lag and
 * window tables; then end with the finished analysis: it writes what no
 * sink did (the permutation p-values come before the datasets close),
 * then the pooled curves.
 * The options given to begin must outlive the stream (the sink and end
 * read them). Free the stream in any case, after end or after a failure
 * (then ds_results_abort the file). ds_layout_block_rows is the block
 * size to give the analysis: whole chunks, about 16 MiB of buffers.
 */
typedef struct ds_layout_stream ds_layout_stream_t;

int ds_layout_stream_begin(ds_results_t *r, const ds_corpus_t *c,
                           const ds_analysis_opts_t *o, const uint8_t *zero,
                           ds_layout_stream_t **out, ds_error_t *err);
int ds_layout_stream_block(void *ls, const ds_analysis_block_t *b,
                           ds_error_t *err);
/* The analysis' sessions sink (with the stream as block_ctx): the
 * per-session columns, /responsiveness, /cycles and /softening, while
 * pooling runs. */
int ds_layout_stream_sessions(void *ls, const ds_analysis_t *a,
                              ds_error_t *err);
/* The analysis' pooled sink (with the stream as block_ctx): closes the
 * per-session datasets and writes the pooled lag and window tables and
 * their summaries, while the pooled curves may still be pooled. */
int ds_layout_stream_pooled(void *ls, const ds_analysis_t *a,
                            ds_error_t *err);
int ds_layout_stream_end(ds_layout_stream_t *ls, const ds_analysis_t *a,
                         ds_error_t *err);
void ds_layout_stream_free(ds_layout_stream_t *ls); /* NULL is fine */
size_t ds_layout_block_rows(size_t K, size_t n_lags, int window);

#endif
