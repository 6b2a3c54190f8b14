/*
 * analysis_stream.c — sessions in blocks (see analysis_internal.h).
 *
 * Without a block sink there is one block, all sessions, and its view
 * points into the whole arrays of ds_analysis_t. With one (issue #7:
 * memory), a block is o->block_rows sessions: the statistics that are
 * kept whole (pooling, summaries, permutations) are still viewed in
 * place, the others are computed into block buffers that the sink
 * receives and that the next block reuses, so the [S, K, K] arrays of the
 * results file are never held whole.
 */
#include <string.h>

#include "analysis_internal.h"

/* Arrays of the block buffers: the lag counts and streamed statistics of
 * every lag, and the window counts and streamed statistics. */
static size_t n_block_arrays(const ds_analysis_t *a)
{
    size_t n = 0;
    for (size_t i = 0; i < DS_N_CELL; i++)
        n += !ds_analysis_kept_whole(i);
    n = a->n_lags * (1 + n);
    if (a->window) {
        n += DS_N_WCOUNT;
        for (size_t i = 0; i < DS_N_WSTAT; i++)
            n += !ds_analysis_wkept_whole(i);
    }
    return n;
}

/*
 * The block buffers for b->rows sessions, carved from one allocation
 * (b->slab) and not filled: every statistic of a session's rows is
 * written by its task, and the lag counts are zeroed there
 * (ds_analysis_blocks_reset_row). One allocation, because malloc writes
 * a header before and after each block it hands out, and with the heap
 * in 2 MiB pages (cli_hugepages.c) the headers of twenty arrays of
 * 0.8 MB made the calling thread zero nearly every page of them while the
 * other threads waited: 17-23 ms of a run after a pause, when the host
 * has taken the guest's free memory back (issue 16). Carved from one
 * block, the pages are touched first by the sessions' tasks, on all
 * threads (at two threads after a pause: this set-up 4-5 ms, the
 * computing about 10 ms longer).
 */
static int block_buffers(ds_analysis_blocks_t *b, const ds_analysis_t *a)
{
    size_t per = b->rows * a->K * a->K * sizeof(double); /* int64 alike */
    unsigned char *p = b->slab = malloc(ds_analysis_atleast1(
        n_block_arrays(a) * per));
    b->buf = calloc(ds_analysis_atleast1(a->n_lags), sizeof *b->buf);
    if (!p || !b->buf)
        return -1;
    for (size_t l = 0; l < a->n_lags; l++) {
        b->buf[l].counts = (int64_t *)(void *)p;
        p += per;
        for (size_t i = 0; i < DS_N_CELL; i++)
            if (!ds_analysis_kept_whole(i)) {
                *ds_analysis_cell(&b->buf[l], i) = (double *)(void *)p;
                p += per;
            }
    }
    if (!a->window)
        return 0;
    if (!(b->wbuf = calloc(1, sizeof *b->wbuf)))
        return -1;
    for (size_t i = 0; i < DS_N_WCOUNT; i++) {
        *ds_analysis_field_i(b->wbuf, ds_analysis_wcount_off[i]) =
            (int64_t *)(void *)p;
        p += per;
    }
    for (size_t i = 0; i < DS_N_WSTAT; i++)
        if (!ds_analysis_wkept_whole(i)) {
            *ds_analysis_field_d(b->wbuf, ds_analysis_wstat_off[i]) =
                (double *)(void *)p;
            p += per;
        }
    return 0;
}

int ds_analysis_blocks_init(ds_analysis_blocks_t *b, const ds_analysis_t *a,
                            const ds_analysis_opts_t *o)
{
    size_t S = a->S;
    int stream = o->block_sink != NULL;
    memset(b, 0, sizeof *b);
    b->n_lags = a->n_lags;
    /* sessions per block: all of them unless streaming */
    b->rows = stream ? (o->block_rows ? o->block_rows : 512) : S;
    if (b->rows > S)
        b->rows = S;
    if (b->rows == 0)
        b->rows = 1;
    b->lag = calloc(ds_analysis_atleast1(a->n_lags), sizeof *b->lag);
    if (!b->lag)
        return -1;
    return stream ? block_buffers(b, a) : 0;
}

void ds_analysis_blocks_clear(ds_analysis_blocks_t *b)
{
    free(b->slab); /* the buffers' arrays */
    free(b->buf);
    free(b->wbuf);
    free(b->lag);
    memset(b, 0, sizeof *b);
}

void ds_analysis_blocks_set(ds_analysis_blocks_t *b, ds_analysis_t *a,
                            size_t first, size_t n)
{
    size_t KK = a->K * a->K, o = first * KK;
    b->first = first;
    b->n = n;
    b->reset = b->buf != NULL;
    for (size_t l = 0; l < a->n_lags; l++) {
        ds_lag_result_t *r = &a->lag[l], *x = &b->lag[l];
        *x = *r;
        x->permutation_p = NULL;
        for (size_t i = 0; i < DS_N_TABLE; i++)
            *ds_analysis_field_d(x, ds_analysis_table_off[i]) += first;
        x->counts = b->buf ? b->buf[l].counts : r->counts + o;
        for (size_t i = 0; i < DS_N_CELL; i++) {
            if (b->buf && !ds_analysis_kept_whole(i))
                *ds_analysis_cell(x, i) = *ds_analysis_cell(&b->buf[l], i);
            else
                *ds_analysis_cell(x, i) += o;
        }
    }
    b->has_window = a->window != NULL;
    if (!b->has_window)
        return;
    ds_window_result_t *w = b->wbuf ? b->wbuf : a->window;
    size_t wo = b->wbuf ? 0 : o;
    for (size_t i = 0; i < DS_N_WCOUNT; i++) {
        size_t off = ds_analysis_wcount_off[i];
        *ds_analysis_field_i(&b->win, off) = *ds_analysis_field_i(w, off) + wo;
    }
    for (size_t i = 0; i < DS_N_WSTAT; i++) {
        size_t off = ds_analysis_wstat_off[i];
        if (b->wbuf && ds_analysis_wkept_whole(i)) /* kept whole: in place */
            *ds_analysis_field_d(&b->win, off) =
                *ds_analysis_field_d(a->window, off) + o;
        else
            *ds_analysis_field_d(&b->win, off) =
                *ds_analysis_field_d(w, off) + wo;
    }
}

void ds_analysis_blocks_reset_row(ds_analysis_blocks_t *b, size_t i,
                                  size_t KK)
{
    if (!b->reset)
        return;
    /* only the lag counts are added to; every statistic is written whole:
     * ds_lag_table_compute sets its cells NaN before it computes any,
     * and the window tally and its statistics write every cell (filling
     * NaN here too was 45 MB of stores for a 1M-event study) */
    for (size_t l = 0; l < b->n_lags; l++)
        memset(b->lag[l].counts + i * KK, 0, KK * sizeof(int64_t));
}

/* o's block sink on pub; a->seconds_sink accumulates the time spent. */
static int call_sink(const ds_analysis_opts_t *o, ds_analysis_t *a,
                     const ds_analysis_block_t *pub, ds_error_t *err)
{
    double t0 = ds_analysis_wall();
    int rc = o->block_sink(o->block_ctx, pub, err);
    a->seconds_sink += ds_analysis_wall() - t0;
    return rc;
}

int ds_analysis_blocks_sink(const ds_analysis_blocks_t *b,
                            const ds_analysis_opts_t *o, ds_analysis_t *a,
                            ds_error_t *err)
{
    if (!o->block_sink)
        return DS_OK;
    ds_analysis_block_t pub = {.first = b->first,
                               .n = b->n,
                               .lag = b->lag,
                               .window = b->has_window ? &b->win : NULL};
    return call_sink(o, a, &pub, err);
}

int ds_analysis_rows_sink(size_t first, size_t n,
                          const ds_analysis_opts_t *o, ds_analysis_t *a,
                          ds_error_t *err)
{
    /* under MPI the rows are merged first (dist.h), and written whole */
    if (!o->block_sink || o->dist || n == 0 ||
        (!a->responsive && !a->cycles))
        return DS_OK;
    ds_analysis_block_t pub = {.first = first, .n = n};
    if (a->responsive)
        pub.responsive = a->responsive + 2 * first;
    if (a->cycles) {
        pub.cycles = a->cycles + first;
        pub.cycle_runs = a->cycle_runs + first;
    }
    int rc = call_sink(o, a, &pub, err);
    /* the curves' points and the cycles' lists were the sink's to copy */
    for (size_t k = 0; pub.responsive && k < 2 * n; k++)
        ds_km_clear(&a->responsive[2 * first + k].km);
    for (size_t s = 0; pub.cycle_runs && s < n; s++) {
        free(a->cycle_runs[first + s]);
        a->cycle_runs[first + s] = NULL;
    }
    return rc;
}
