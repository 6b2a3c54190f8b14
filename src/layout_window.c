/*
 * layout_window.c — the between-session summaries of the time-window
 * statistics (SPEC 4.5, 5): /window/couple_summary/<stat>_<part> over all
 * sessions and /window/couple_summary_by_label/<label>/<stat>_<part> over
 * each label's, for the statistics of DS_WINDOW_SUMMARY_STATS, laid out
 * as the lag tables' couple summaries are (layout_stream.c).
 */
#include <stdlib.h>

#include "layout_internal.h"

int ds_layout_window_summaries(ds_results_t *r, const ds_corpus_t *c,
                               const ds_window_result_t *w, size_t K,
                               ds_error_t *err)
{
    size_t dims[2] = {K, K};
#define X_(name, type, description)                                          \
    TRY(ds_layout_write_summary(r, DS_PATH_WINDOW_COUPLE_SUMMARY, #name,     \
                                w->summary.summary_##name, dims, err));
    DS_WINDOW_SUMMARY_STATS(X_)
#undef X_
    for (size_t l = 0; l < c->n_labels && l < w->n_labels; l++) {
        char *g = ds_layout_path_window_label(c->labels[l]);
        if (!g)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        int rc = DS_OK;
#define X_(name, type, description)                                          \
        if (rc == DS_OK)                                                     \
            rc = ds_layout_write_summary(                                    \
                r, g, #name, w->summary_by_label[l].summary_##name, dims,    \
                err);
        DS_WINDOW_SUMMARY_STATS(X_)
#undef X_
        if (rc == DS_OK)
            rc = ds_results_attr_string(r, g, DS_ATTR_LABEL, c->labels[l],
                                        err);
        free(g);
        if (rc)
            return rc;
    }
    return DS_OK;
}
