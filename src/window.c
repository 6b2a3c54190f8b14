/*
 * window.c — time-unit tallies for time-window sequential analysis
 * (SPEC 4.4; see window.h for the exact definitions).
 *
 * Each state gets two bitsets over the units of the session: the units in
 * its given window and the units in which it is a target. Marking a window
 * sets a range of bits a word at a time; the K² tallies are popcounts of
 * the AND of two bitsets, so the cost is K² × n_units / 64 word operations
 * rather than K² × n_units unit visits, with the same result as
 * classifying the units one by one (as tests/r/window.R does).
 */
#include "dyadseq/window.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t word_t;
#define WORD_BITS 64

struct ds_window_workspace {
    word_t *bits;     /* 2 × k bitsets of n_words words each */
    size_t cap_words; /* words allocated in bits */
};

void ds_window_opts_init(ds_window_opts_t *o)
{
    o->lo = 1;
    o->hi = 5;
    o->unit_s = 1.0;
    o->target_ongoing = 0;
}

ds_window_counts_t *ds_window_counts_alloc(size_t k)
{
    ds_window_counts_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->k = k;
    size_t kk = k > 0 ? k * k : 1;
    w->a = calloc(kk, sizeof *w->a);
    w->b = calloc(kk, sizeof *w->b);
    w->c = calloc(kk, sizeof *w->c);
    w->d = calloc(kk, sizeof *w->d);
    if (!w->a || !w->b || !w->c || !w->d) {
        ds_window_counts_free(w);
        return NULL;
    }
    return w;
}

void ds_window_counts_free(ds_window_counts_t *w)
{
    if (!w)
        return;
    free(w->a);
    free(w->b);
    free(w->c);
    free(w->d);
    free(w);
}

void ds_window_counts_add(ds_window_counts_t *dst,
                          const ds_window_counts_t *src)
{
    size_t kk = dst->k * dst->k;
    for (size_t x = 0; x < kk; x++) {
        dst->a[x] += src->a[x];
        dst->b[x] += src->b[x];
        dst->c[x] += src->c[x];
        dst->d[x] += src->d[x];
    }
    dst->n_units += src->n_units;
}

ds_window_workspace_t *ds_window_workspace_alloc(void)
{
    return calloc(1, sizeof(ds_window_workspace_t));
}

void ds_window_workspace_free(ds_window_workspace_t *w)
{
    if (!w)
        return;
    free(w->bits);
    free(w);
}

/*
 * (t - t0) / U, snapped to the nearest integer when within 1e-9 of it
 * (relative), so that times written in decimal land in the unit a reader
 * expects: 0.3 / 0.1 is 2.9999999999999996 in binary and must be unit 3.
 */
static double unit_coord(double t, double t0, double u)
{
    double x = (t - t0) / u, r = nearbyint(x);
    if (fabs(x - r) <= 1e-9 * fmax(1.0, fabs(x)))
        return r;
    return x;
}

/* Onset unit and last unit in progress of event e (window.h). */
static void event_units(const ds_session_t *s, size_t e, double u,
                        int64_t *first, int64_t *last)
{
    double t0 = s->onset[0];
    *first = (int64_t)floor(unit_coord(s->onset[e], t0, u));
    *last = *first;
    if (s->duration && s->duration[e] > 0) {
        int64_t l = (int64_t)ceil(
                        unit_coord(s->onset[e] + s->duration[e], t0, u)) - 1;
        if (l > *last)
            *last = l;
    }
}

/* Set bits [lo, hi] (inclusive, lo <= hi) of bitset b. */
static void set_range(word_t *b, size_t lo, size_t hi)
{
    size_t wl = lo / WORD_BITS, wh = hi / WORD_BITS;
    word_t ml = ~(word_t)0 << (lo % WORD_BITS);
    word_t mh = ~(word_t)0 >> (WORD_BITS - 1 - hi % WORD_BITS);
    if (wl == wh) {
        b[wl] |= ml & mh;
        return;
    }
    b[wl] |= ml;
    for (size_t x = wl + 1; x < wh; x++)
        b[x] = ~(word_t)0;
    b[wh] |= mh;
}

static int64_t popcount_and(const word_t *x, const word_t *y, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += __builtin_popcountll(x[i] & y[i]);
    return c;
}

static int64_t popcount(const word_t *x, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += __builtin_popcountll(x[i]);
    return c;
}

int ds_window_tally(const ds_corpus_t *c, const ds_session_t *s,
                    const ds_window_opts_t *o, ds_window_workspace_t *w,
                    ds_window_counts_t *out, ds_error_t *err)
{
    ds_window_workspace_t *own = NULL;
    int64_t *gsum = NULL, *tsum = NULL;
    int rc = DS_OK;
    size_t k = c->n_states, kk = k * k;

    if (!c->has_time || !s->onset)
        return ds_error_set(err, DS_ENOTAVAIL,
                            "time windows need a time column");
    if (o->target_ongoing && (!c->has_duration || !s->duration))
        return ds_error_set(err, DS_ENOTAVAIL,
                            "--target ongoing needs a duration column");
    if (!(o->unit_s > 0) || !isfinite(o->unit_s))
        return ds_error_set(err, DS_EUSAGE,
                            "time unit must be a positive number of "
                            "seconds (got %g)", o->unit_s);
    if (o->lo > o->hi)
        return ds_error_set(err, DS_EUSAGE,
                            "window %ld:%ld is empty (LO must not exceed HI)",
                            o->lo, o->hi);
    if (out->k != k)
        return ds_error_set(err, DS_EUSAGE,
                            "window counts are for %zu states, the corpus "
                            "has %zu", out->k, k);

    memset(out->a, 0, kk * sizeof *out->a);
    memset(out->b, 0, kk * sizeof *out->b);
    memset(out->c, 0, kk * sizeof *out->c);
    memset(out->d, 0, kk * sizeof *out->d);
    out->n_units = 0;
    if (s->n == 0 || k == 0)
        return DS_OK;

    /* n_units = 1 + the last unit any event reaches. Onsets are sorted,
     * but offsets need not be, so look at every event. */
    double span = 0;
    for (size_t e = 0; e < s->n; e++) {
        if (s->onset[e] < s->onset[0])
            return ds_error_set(err, DS_EDATA,
                                "session %s/%s: onsets are not in time "
                                "order", s->couple, s->label);
        double end = s->onset[e] +
                     (s->duration && s->duration[e] > 0 ? s->duration[e] : 0);
        if (end - s->onset[0] > span)
            span = end - s->onset[0];
    }
    if (!(span / o->unit_s < (double)DS_WINDOW_MAX_UNITS))
        return ds_error_set(err, DS_EUSAGE,
                            "session %s/%s: %.0f s in units of %g s is more "
                            "than %zu time units; use a larger --time-unit",
                            s->couple, s->label, span, o->unit_s,
                            DS_WINDOW_MAX_UNITS);
    int64_t max_last = 0;
    for (size_t e = 0; e < s->n; e++) {
        int64_t f, l;
        event_units(s, e, o->unit_s, &f, &l);
        if (l > max_last)
            max_last = l;
    }
    size_t n_units = (size_t)max_last + 1;
    size_t n_words = (n_units + WORD_BITS - 1) / WORD_BITS;

    if (!w) {
        if (!(w = own = ds_window_workspace_alloc()))
            goto nomem;
    }
    if (w->cap_words < 2 * k * n_words) {
        word_t *nb = realloc(w->bits, 2 * k * n_words * sizeof *nb);
        if (!nb)
            goto nomem;
        w->bits = nb;
        w->cap_words = 2 * k * n_words;
    }
    word_t *given = w->bits, *target = w->bits + k * n_words;
    memset(w->bits, 0, 2 * k * n_words * sizeof *w->bits);

    /* The window offsets are clamped to ±(n_units + 1) so that u + lo and
     * u + hi cannot overflow; a window beyond the session is empty anyway. */
    int64_t nu = (int64_t)n_units;
    int64_t lo = o->lo < -nu - 1 ? -nu - 1 : o->lo > nu + 1 ? nu + 1 : o->lo;
    int64_t hi = o->hi < -nu - 1 ? -nu - 1 : o->hi > nu + 1 ? nu + 1 : o->hi;
    for (size_t e = 0; e < s->n; e++) {
        size_t st = s->state[e];
        int64_t f, l;
        event_units(s, e, o->unit_s, &f, &l);
        int64_t g0 = f + lo, g1 = f + hi;
        if (g0 < 0)
            g0 = 0;
        if (g1 > nu - 1)
            g1 = nu - 1;
        if (g0 <= g1)
            set_range(given + st * n_words, (size_t)g0, (size_t)g1);
        set_range(target + st * n_words, (size_t)f,
                  (size_t)(o->target_ongoing ? l : f));
    }

    gsum = malloc(k * sizeof *gsum);
    tsum = malloc(k * sizeof *tsum);
    if (!gsum || !tsum)
        goto nomem;
    for (size_t i = 0; i < k; i++) {
        gsum[i] = popcount(given + i * n_words, n_words);
        tsum[i] = popcount(target + i * n_words, n_words);
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            size_t x = i * k + j;
            int64_t a = gsum[i] && tsum[j]
                            ? popcount_and(given + i * n_words,
                                           target + j * n_words, n_words)
                            : 0;
            out->a[x] = a;
            out->b[x] = gsum[i] - a;
            out->c[x] = tsum[j] - a;
            out->d[x] = nu - gsum[i] - tsum[j] + a;
        }
    out->n_units = n_units;
    goto done;

nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory tallying time units");
done:
    free(gsum);
    free(tsum);
    ds_window_workspace_free(own);
    return rc;
}

void ds_window_stats(const ds_window_counts_t *w, double zero_correction,
                     ds_2x2_t *out)
{
    for (size_t x = 0; x < w->k * w->k; x++)
        ds_2x2_stats((double)w->a[x], (double)w->b[x], (double)w->c[x],
                     (double)w->d[x], zero_correction, &out[x]);
}
