/*
 * layout_internal.h — what the files of the layout share (internal; the
 * interface is layout.h):
 *
 *   layout.c          writing at built paths, table columns, /states,
 *                     /codebook, /sessions, copying a dataset
 *   layout_stream.c   /lag and /window, streamed block by block
 *   layout_dyadic.c   /responsiveness, /cycles, /softening
 *   layout_compare.c  /comparison
 *   layout_apim.c     /actor_partner
 *
 * Every name written comes from layout_paths.h.
 */
#ifndef DYADSEQ_LAYOUT_INTERNAL_H
#define DYADSEQ_LAYOUT_INTERNAL_H

#include "layout.h"
#include "layout_paths.h"

/* Return the error code of call, if any. */
#define TRY(call)                                                            \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_)                                                             \
            return rc_;                                                      \
    } while (0)

/* ---- writing at a path built from group and name (layout.c) -------- */

/* group/name, or NULL with an out-of-memory error in err. */
char *ds_layout_path_in(const char *group, const char *name, ds_error_t *err);

/* ds_results_write_* and ds_results_begin at group/name. */
int ds_layout_put_double(ds_results_t *r, const char *group, const char *name,
                         size_t rank, const size_t *dims, const double *v,
                         const char *dimnames, ds_error_t *err);
int ds_layout_put_int64(ds_results_t *r, const char *group, const char *name,
                        size_t rank, const size_t *dims, const int64_t *v,
                        const char *dimnames, ds_error_t *err);
int ds_layout_put_uint8(ds_results_t *r, const char *group, const char *name,
                        size_t rank, const size_t *dims, const uint8_t *v,
                        const char *dimnames, ds_error_t *err);
int ds_layout_put_strings(ds_results_t *r, const char *group,
                          const char *name, size_t n, const char *const *v,
                          const char *dimnames, ds_error_t *err);
int ds_layout_put_scalar_double(ds_results_t *r, const char *group,
                                const char *name, double v, ds_error_t *err);
int ds_layout_put_scalar_int64(ds_results_t *r, const char *group,
                               const char *name, int64_t v, ds_error_t *err);
int ds_layout_begin_in(ds_results_t *r, const char *group, const char *name,
                       ds_results_type_t type, size_t rank,
                       const size_t *dims, const char *dimnames,
                       ds_results_dset_t **out, ds_error_t *err);

/* ---- table columns (layout.c) ---------------------------------------- */

/*
 * The row tables (/responsiveness, /cycles, /softening) are written one
 * column at a time from a list, so that the columns are created, and
 * `dyadseq export` prints them, in the order of SPEC 5 (extra columns
 * next to their relatives: n_answered_late after n_answered,
 * n_reciprocated after n_soften).
 */
typedef struct ds_layout_column {
    const char *name;
    char kind;          /* 'i' int64, 'd' float64, 'u' uint8, 's' string */
    int64_t *i;
    double *d;
    const char **s;
    uint8_t *u;
} ds_layout_column_t;

#define COL_I(name) {name, 'i', NULL, NULL, NULL, NULL}
#define COL_D(name) {name, 'd', NULL, NULL, NULL, NULL}
#define COL_S(name) {name, 's', NULL, NULL, NULL, NULL}
#define COL_U(name) {name, 'u', NULL, NULL, NULL, NULL}

/* A buffer of n rows for each of the n_cols columns, of its kind (string
 * columns all NULL); -1 when out of memory (ds_layout_columns_clear frees
 * what was had). */
int ds_layout_columns_init(ds_layout_column_t *c, size_t n_cols, size_t n);
void ds_layout_columns_clear(ds_layout_column_t *c, size_t n_cols);

/* Write the columns of n rows under group, in order, with axis dimname. */
int ds_layout_columns_write(ds_results_t *r, const char *group,
                            const ds_layout_column_t *c, size_t n_cols,
                            size_t n, const char *dimname, ds_error_t *err);

/* ---- couple summaries (layout_stream.c, layout_window.c) ----------- */

/* A couple summary: <stat>_<part> under group for every part
 * (DS_SUMMARY_PARTS), [K, K] with dims. */
int ds_layout_write_summary(ds_results_t *r, const char *group,
                            const char *stat, const ds_summary_t *sm,
                            const size_t dims[2], ds_error_t *err);

/* /window/couple_summary and /window/couple_summary_by_label/<label>: the
 * between-session summaries of the window statistics. */
int ds_layout_window_summaries(ds_results_t *r, const ds_corpus_t *c,
                               const ds_window_result_t *w, size_t K,
                               ds_error_t *err);

/* ---- the row tables (layout_dyadic.c) ------------------------------ */

/*
 * The sessions' curve points (/responsiveness/km) and cycles
 * (/cycles/runs), fed session by session in order: sessions [first,
 * first + n) with their resp[2n], cyc[n] and runs[n] (NULL: not
 * computed). The columns are created when ds_layout_dyadic writes their
 * tables, with every row fed. *rows starts NULL; free with
 * ds_layout_rows_free.
 */
typedef struct ds_layout_rows ds_layout_rows_t;
int ds_layout_rows_feed(ds_layout_rows_t **rows, ds_results_t *r,
                        size_t first, size_t n, const ds_responsive_t *resp,
                        const ds_cycles_t *cyc, ds_cycle_run_t *const *runs,
                        ds_error_t *err);
void ds_layout_rows_free(ds_layout_rows_t *rows);

/* What the sessions alone give, as far as a computed it: /responsiveness
 * (with the sessions' curves), /cycles and /softening, the rows of the
 * sessions not fed to *rows yet taken from a. Then, after pooling,
 * /responsiveness/pooled (ds_analysis_opts_t.sessions_sink says why two
 * steps). */
int ds_layout_dyadic(ds_results_t *r, const ds_corpus_t *c,
                     const ds_analysis_t *a, const ds_analysis_opts_t *o,
                     ds_layout_rows_t **rows, ds_error_t *err);
int ds_layout_dyadic_pooled(ds_results_t *r, const ds_corpus_t *c,
                            const ds_analysis_t *a, ds_error_t *err);

/* ---- actor-partner effects (layout_apim.c) ------------------------- */

/* /actor_partner: every model a computed (nothing when it computed none). */
int ds_layout_ap(ds_results_t *r, const ds_corpus_t *c,
                 const ds_analysis_t *a, const ds_analysis_opts_t *o,
                 ds_error_t *err);

#endif
