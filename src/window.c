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

#include "bitset.h"

struct ds_window_workspace {
    ds_word_t *bits;  /* 2 × k bitsets of n_words words each */
    size_t cap_words; /* words allocated in bits */
    int64_t *units;   /* a session's events' onset and last units */
    size_t cap_units; /* events that units has room for */
    int64_t *sums;    /* units given and target of each state (2 × k) */
    size_t cap_sums;  /* states that sums has room for */
};

void ds_window_opts_init(ds_window_opts_t *o)
{
    o->lo = 1;
    o->hi = 5;
    o->unit_s = 1.0;
    o->target_ongoing = 0;
    o->edges = DS_WINDOW_EDGES_KEEP;
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
    free(w->units);
    free(w->sums);
    free(w);
}

/*
 * (t - t0) / U, snapped to the nearest integer when within 1e-9 of it
 * (relative), so that times written in decimal land in the unit a reader
 * expects: 0.3 / 0.1 is 2.9999999999999996 in binary and must be unit 3.
 */
static inline double unit_coord(double t, double t0, double u)
{
    double x = (t - t0) / u, r = nearbyint(x);
    if (fabs(x - r) <= 1e-9 * (fabs(x) > 1.0 ? fabs(x) : 1.0))
        return r;
    return x;
}

/* The onset unit and last unit in progress of every event (window.h)
 * into units (when not NULL), and 1 + the last unit any event reaches.
 * One loop for the whole session, so the roundings stay in registers;
 * the clones are of a function of this file: clang 14 does not link
 * calls from other files to a function with clones (apim.c reads the
 * units from ds_window_grid). */
DS_CLONES("sse4.1")
static int64_t event_units(const ds_session_t *s, double t0, double u,
                           int64_t *units)
{
    const double *on = s->onset, *du = s->duration;
    int64_t n = 0;
    for (size_t e = 0; e < s->n; e++) {
        int64_t f = (int64_t)floor(unit_coord(on[e], t0, u)), l = f;
        if (du && du[e] > 0) {
            int64_t m = (int64_t)ceil(unit_coord(on[e] + du[e], t0, u)) - 1;
            if (m > l)
                l = m;
        }
        if (units) {
            units[2 * e] = f;
            units[2 * e + 1] = l;
        }
        if (l + 1 > n)
            n = l + 1;
    }
    return n;
}

static inline int64_t popcount_and(const ds_word_t *x, const ds_word_t *y,
                                   size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += __builtin_popcountll(x[i] & y[i]);
    return c;
}

static inline int64_t popcount(const ds_word_t *x, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += __builtin_popcountll(x[i]);
    return c;
}

/* Check the options and the corpus against each other (window.h). */
static int check_args(const ds_corpus_t *c, const ds_session_t *s,
                      const ds_window_opts_t *o,
                      const ds_window_counts_t *out, ds_error_t *err)
{
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
    if (out->k != c->n_states)
        return ds_error_set(err, DS_EUSAGE,
                            "window counts are for %zu states, the corpus "
                            "has %zu", out->k, c->n_states);
    return DS_OK;
}

/*
 * The grid of session s (window.h): its origin t0 and its number of
 * units, 1 + the last unit any event reaches, and with an observation
 * period at least the units that start before its end; with units, each
 * event's onset unit and last unit, which the marking reads back.
 */
int ds_window_grid(const ds_session_t *s, double unit_s, double *t0,
                   size_t *n_units, int64_t *units, ds_error_t *err)
{
    *t0 = ds_session_start(s);
    double span = s->n_periods ? ds_session_end(s) - *t0 : 0;
    /* onsets are sorted, but offsets need not be: look at every event */
    for (size_t e = 0; e < s->n; e++) {
        if (s->onset[e] < *t0)
            return ds_error_set(err, DS_EDATA,
                                "session %s/%s: onsets are not in time "
                                "order", s->couple, s->label);
        double end = s->onset[e] +
                     (s->duration && s->duration[e] > 0 ? s->duration[e] : 0);
        if (end - *t0 > span)
            span = end - *t0;
    }
    if (!(span / unit_s < (double)DS_WINDOW_MAX_UNITS))
        return ds_error_set(err, DS_EUSAGE,
                            "session %s/%s: %.0f s in units of %g s is more "
                            "than %zu time units; use a larger --time-unit",
                            s->couple, s->label, span, unit_s,
                            DS_WINDOW_MAX_UNITS);
    int64_t n = event_units(s, *t0, unit_s, units);
    if (s->n_periods) {
        int64_t p = (int64_t)ceil(unit_coord(ds_session_end(s), *t0,
                                             unit_s));
        if (p > n)
            n = p;
    }
    *n_units = (size_t)n;
    return DS_OK;
}

/*
 * The units [*a, *b) of observed stretch k of s (all units without a
 * period or with one stretch): those that begin within the stretch.
 */
void ds_window_stretch_units(const ds_session_t *s, size_t k, double t0,
                             double u, size_t n_units, int64_t *a,
                             int64_t *b)
{
    *a = 0;
    *b = (int64_t)n_units;
    if (s->n_periods < 2)
        return;
    if (k > 0)
        *a = (int64_t)ceil(unit_coord(s->period[2 * k], t0, u));
    if (k + 1 < s->n_periods)
        *b = (int64_t)ceil(unit_coord(s->period[2 * k + 1], t0, u));
    if (*b > (int64_t)n_units)
        *b = (int64_t)n_units;
    if (*a > *b)
        *a = *b;
}

/*
 * Mark the given and target units of every event: the given window of an
 * event in stretch k is cut at the stretch's units, as its targets are,
 * so no window spans time that was not coded.
 */
static void mark_events(const ds_session_t *s, const ds_window_opts_t *o,
                        double t0, const int64_t *units, size_t n_units,
                        size_t n_words, ds_word_t *given, ds_word_t *target)
{
    /* the window offsets are clamped to ±(n_units + 1) so that u + lo and
     * u + hi cannot overflow; a window beyond the session is empty */
    int64_t nu = (int64_t)n_units;
    int64_t lo = o->lo < -nu - 1 ? -nu - 1 : o->lo > nu + 1 ? nu + 1 : o->lo;
    int64_t hi = o->hi < -nu - 1 ? -nu - 1 : o->hi > nu + 1 ? nu + 1 : o->hi;
    size_t k_prev = (size_t)-1;
    int64_t a = 0, b = nu;
    for (size_t e = 0; e < s->n; e++) {
        size_t k = ds_session_stretch(s, s->onset[e]);
        if (k == (size_t)-1)
            continue; /* not in the period: the reader refuses these */
        if (k != k_prev)
            ds_window_stretch_units(s, k, t0, o->unit_s, n_units, &a, &b);
        k_prev = k;
        size_t st = s->state[e];
        int64_t f = units[2 * e], l = units[2 * e + 1];
        int64_t g0 = f + lo, g1 = f + hi;
        if (g0 < a)
            g0 = a;
        if (g1 > b - 1)
            g1 = b - 1;
        if (g0 <= g1)
            ds_bitset_set_range(given + st * n_words, (size_t)g0, (size_t)g1);
        int64_t t1 = o->target_ongoing ? l : f;
        if (t1 > b - 1)
            t1 = b - 1;
        if (f <= t1)
            ds_bitset_set_range(target + st * n_words, (size_t)f, (size_t)t1);
    }
}

/*
 * The units that are tallied, as a bitset: the units of every observed
 * stretch, and with o->edges DS_WINDOW_EDGES_DROP only those whose whole
 * window lies within their stretch (window.h). Returns how many.
 */
static int64_t mark_counted(const ds_session_t *s, const ds_window_opts_t *o,
                            double t0, size_t n_units, ds_word_t *counted)
{
    size_t n = s->n_periods > 1 ? s->n_periods : 1;
    for (size_t k = 0; k < n; k++) {
        int64_t a, b;
        ds_window_stretch_units(s, k, t0, o->unit_s, n_units, &a, &b);
        if (o->edges == DS_WINDOW_EDGES_DROP) {
            if (o->hi > 0)
                a = o->hi > b - a ? b : a + o->hi;
            if (o->lo < 0)
                b = -o->lo > b - a ? a : b + o->lo;
        }
        if (a < b)
            ds_bitset_set_range(counted, (size_t)a, (size_t)(b - 1));
    }
    size_t n_words = ds_bitset_words(n_units);
    return popcount(counted, n_words);
}

/* The 2x2 tallies of every pair from the bitsets: given and target
 * units are first restricted to the counted ones. */
DS_CLONES("popcnt")
static void tally_pairs(size_t k, size_t n_words, ds_word_t *given,
                        ds_word_t *target, const ds_word_t *counted,
                        int64_t nu, int64_t *gsum, int64_t *tsum,
                        ds_window_counts_t *out)
{
    for (size_t i = 0; counted && i < 2 * k; i++)
        for (size_t x = 0; x < n_words; x++)
            given[i * n_words + x] &= counted[x]; /* target follows given */
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
}

int ds_window_tally(const ds_corpus_t *c, const ds_session_t *s,
                    const ds_window_opts_t *o, ds_window_workspace_t *w,
                    ds_window_counts_t *out, ds_error_t *err)
{
    ds_window_workspace_t *own = NULL;
    int64_t *gsum = NULL, *tsum = NULL;
    size_t k = c->n_states, kk = k * k;
    int rc = check_args(c, s, o, out, err);
    if (rc)
        return rc;
    memset(out->a, 0, kk * sizeof *out->a);
    memset(out->b, 0, kk * sizeof *out->b);
    memset(out->c, 0, kk * sizeof *out->c);
    memset(out->d, 0, kk * sizeof *out->d);
    out->n_units = 0;
    if ((s->n == 0 && !s->n_periods) || k == 0)
        return DS_OK;
    double t0 = 0;
    size_t n_units = 0;
    if (!w && !(w = own = ds_window_workspace_alloc()))
        goto nomem;
    if (ds_units_reserve(&w->units, &w->cap_units, s->n))
        goto nomem;
    if ((rc = ds_window_grid(s, o->unit_s, &t0, &n_units, w->units, err)))
        goto done;
    size_t n_words = ds_bitset_words(n_units);
    /* every unit counts unless some time was not coded or edges drop */
    int masked = s->n_periods > 1 || o->edges == DS_WINDOW_EDGES_DROP;
    size_t words = (2 * k + (masked ? 1 : 0)) * n_words;
    if (ds_bitset_reserve(&w->bits, &w->cap_words, words))
        goto nomem;
    ds_word_t *given = w->bits, *target = w->bits + k * n_words;
    ds_word_t *counted = masked ? w->bits + 2 * k * n_words : NULL;
    memset(w->bits, 0, words * sizeof *w->bits);
    mark_events(s, o, t0, w->units, n_units, n_words, given, target);
    int64_t nu = counted ? mark_counted(s, o, t0, n_units, counted)
                         : (int64_t)n_units;
    if (ds_units_reserve(&w->sums, &w->cap_sums, k))
        goto nomem;
    gsum = w->sums;
    tsum = w->sums + k;
    tally_pairs(k, n_words, given, target, counted, nu, gsum, tsum, out);
    out->n_units = (size_t)nu;
    goto done;
nomem:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory tallying time units");
done:
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
