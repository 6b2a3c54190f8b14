/*
 * agree.c — event alignment, agreement matrices and their kappas, time-unit
 * agreement, and the per-session driver of `dyadseq agree` (see agree.h for
 * the definitions and their sources; docs/agree.md for worked examples).
 */
#include "dyadseq/agree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* ---- the alignment --------------------------------------------------- */

/* A cost in the order the alignment minimises it: edits, then ms. */
typedef struct cost {
    int64_t c, t;
} cost_t;

static int cost_less(cost_t x, cost_t y)
{
    return x.c < y.c || (x.c == y.c && x.t < y.t);
}

/*
 * The table of one alignment. Rows i = 0..n (first coding), columns
 * j = 0..m (second coding); D(i, j) is the optimum for the first i and j
 * events. Row i stores only its band [lo[i], hi[i]] of columns j whose
 * event can pair with event i (1-based indices; an empty band has
 * lo = hi + 1). Outside the band (agree.h):
 *   j > hi[i]:  D(i, j) = D(i, hi[i]) + (j − hi[i]) gaps   (mrow[i])
 *   j < lo[i]:  D(i, j) = D(ip[j], j) + (i − ip[j]) gaps   (mcol[j])
 * because every second-coding event after hi[i] lies beyond the tolerance
 * of every first-coding event up to i (and symmetrically), so it is
 * unmatched in any alignment of those prefixes. ip[j] is the number of
 * first-coding events whose onset minus T is at most event j's onset.
 */
typedef struct ws {
    size_t cap_n, cap_m, cap_cells, cap_times;
    size_t *lo, *hi, *off; /* [n + 1] */
    size_t *ip;            /* [m + 1] */
    cost_t *mrow;          /* [n + 1] */
    cost_t *mcol;          /* [m + 1] */
    int32_t *cc;           /* [cells] edits of the band cells */
    int64_t *ct;           /* [cells] their ms */
} ws_t;

typedef struct dp {
    const ds_agree_coding_t *a, *b;
    int timed;
    ws_t *w;
} dp_t;

static void ws_free(ws_t *w)
{
    if (!w)
        return;
    free(w->lo);
    free(w->hi);
    free(w->off);
    free(w->ip);
    free(w->mrow);
    free(w->mcol);
    free(w->cc);
    free(w->ct);
    free(w);
}

static int grow(void **p, size_t n, size_t size)
{
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

/* Room for codings of n and m events and `cells` band cells (with their
 * times when timed). */
static int ws_reserve(ws_t *w, size_t n, size_t m, size_t cells, int timed)
{
    if (n + 1 > w->cap_n) {
        size_t c = n + 1;
        if (grow((void **)&w->lo, c, sizeof *w->lo) ||
            grow((void **)&w->hi, c, sizeof *w->hi) ||
            grow((void **)&w->off, c, sizeof *w->off) ||
            grow((void **)&w->mrow, c, sizeof *w->mrow))
            return -1;
        w->cap_n = c;
    }
    if (m + 1 > w->cap_m) {
        size_t c = m + 1;
        if (grow((void **)&w->ip, c, sizeof *w->ip) ||
            grow((void **)&w->mcol, c, sizeof *w->mcol))
            return -1;
        w->cap_m = c;
    }
    if (cells > w->cap_cells) {
        if (grow((void **)&w->cc, cells, sizeof *w->cc))
            return -1;
        w->cap_cells = cells;
    }
    if (timed && cells > w->cap_times) {
        if (grow((void **)&w->ct, cells, sizeof *w->ct))
            return -1;
        w->cap_times = cells;
    }
    return 0;
}

static cost_t value(const dp_t *d, size_t i, size_t j)
{
    const ws_t *w = d->w;
    cost_t v = {0, 0};
    if (i == 0) {
        v.c = (int64_t)j * DS_AGREE_COST_GAP;
    } else if (j == 0) {
        v.c = (int64_t)i * DS_AGREE_COST_GAP;
    } else if (j > w->hi[i]) {
        v = w->mrow[i];
        v.c += (int64_t)(j - w->hi[i]) * DS_AGREE_COST_GAP;
    } else if (j < w->lo[i]) {
        v = w->mcol[j];
        v.c += (int64_t)(i - w->ip[j]) * DS_AGREE_COST_GAP;
    } else {
        size_t k = w->off[i] + (j - w->lo[i]);
        v.c = w->cc[k];
        v.t = d->timed ? w->ct[k] : 0;
    }
    return v;
}

/* |x − y| in whole milliseconds. */
static int64_t ms(double x, double y)
{
    return (int64_t)llround(fabs(x - y) * 1000.0);
}

enum { MOVE_PAIR, MOVE_FIRST, MOVE_SECOND };

/*
 * The best move into cell (i, j), i, j >= 1, and its value: a pair when
 * j is in row i's band, else leaving the first coding's event i or the
 * second coding's event j unmatched; ties go to the earlier of these.
 */
static int pick(const dp_t *d, size_t i, size_t j, cost_t *best)
{
    const ws_t *w = d->w;
    int move = -1;
    cost_t b = {0, 0}, v;
    if (j >= w->lo[i] && j <= w->hi[i]) {
        b = value(d, i - 1, j - 1);
        if (d->a->state[i - 1] != d->b->state[j - 1])
            b.c += DS_AGREE_COST_SUBSTITUTION;
        if (d->timed)
            b.t += ms(d->a->onset[i - 1], d->b->onset[j - 1]);
        move = MOVE_PAIR;
    }
    v = value(d, i - 1, j);
    v.c += DS_AGREE_COST_GAP;
    if (move < 0 || cost_less(v, b)) {
        b = v;
        move = MOVE_FIRST;
    }
    v = value(d, i, j - 1);
    v.c += DS_AGREE_COST_GAP;
    if (cost_less(v, b)) {
        b = v;
        move = MOVE_SECOND;
    }
    *best = b;
    return move;
}

/* Bands of a timed alignment (agree.h): lo, hi, ip, off; returns the
 * number of band cells. */
static size_t bands_timed(const dp_t *d, double tol)
{
    const ds_agree_coding_t *a = d->a, *b = d->b;
    ws_t *w = d->w;
    size_t n = a->n, m = b->n, p = 0, q = 0, cells = 0;
    /* every comparison is between a second-coding onset and a first-coding
     * onset ± T, so the three cases of a cell are exclusive and
     * consistent with one another */
    for (size_t i = 1; i <= n; i++) {
        double alo = a->onset[i - 1] - tol, ahi = a->onset[i - 1] + tol;
        while (p < m && b->onset[p] < alo)
            p++;
        while (q < m && b->onset[q] <= ahi)
            q++;
        w->lo[i] = p + 1;
        w->hi[i] = q;
        w->off[i] = cells;
        if (q >= p + 1)
            cells += q - p;
    }
    size_t k = 0;
    for (size_t j = 1; j <= m; j++) {
        while (k < n && a->onset[k] - tol <= b->onset[j - 1])
            k++;
        w->ip[j] = k;
    }
    return cells;
}

/* Fill the band cells and the memos row by row. */
static void fill(const dp_t *d)
{
    ws_t *w = d->w;
    size_t n = d->a->n, m = d->b->n, jc = 1;
    cost_t v;
    if (d->timed)
        for (; jc <= m && w->ip[jc] == 0; jc++)
            w->mcol[jc] = (cost_t){(int64_t)jc * DS_AGREE_COST_GAP, 0};
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = w->lo[i]; j <= w->hi[i]; j++) {
            pick(d, i, j, &v);
            size_t k = w->off[i] + (j - w->lo[i]);
            w->cc[k] = (int32_t)v.c;
            if (d->timed)
                w->ct[k] = v.t;
        }
        w->mrow[i] = value(d, i, w->hi[i]);
        if (d->timed)
            for (; jc <= m && w->ip[jc] == i; jc++)
                w->mcol[jc] = value(d, i, jc);
    }
}

void ds_agree_alignment_init(ds_agree_alignment_t *al)
{
    memset(al, 0, sizeof *al);
}

void ds_agree_alignment_clear(ds_agree_alignment_t *al)
{
    free(al->pair);
    ws_free(al->ws_);
    memset(al, 0, sizeof *al);
}

/* Walk back from (n, m), appending pairs in reverse, then reverse them. */
static void traceback(const dp_t *d, ds_agree_alignment_t *al)
{
    size_t i = d->a->n, j = d->b->n, k = 0;
    cost_t v;
    while (i > 0 || j > 0) {
        int move = i == 0 ? MOVE_SECOND
                   : j == 0 ? MOVE_FIRST
                            : pick(d, i, j, &v);
        ds_agree_pair_t *p = &al->pair[k++];
        if (move == MOVE_PAIR) {
            p->first = --i;
            p->second = --j;
        } else if (move == MOVE_FIRST) {
            p->first = --i;
            p->second = DS_AGREE_NIL;
        } else {
            p->first = DS_AGREE_NIL;
            p->second = --j;
        }
    }
    for (size_t x = 0, y = k; x + 1 < y; x++, y--) {
        ds_agree_pair_t t = al->pair[x];
        al->pair[x] = al->pair[y - 1];
        al->pair[y - 1] = t;
    }
    al->n = k;
}

int ds_agree_align(const ds_agree_coding_t *a, const ds_agree_coding_t *b,
                   double tolerance_s, ds_agree_alignment_t *al,
                   ds_error_t *err)
{
    size_t n = a->n, m = b->n;
    int timed = a->onset != NULL;
    if ((a->onset == NULL) != (b->onset == NULL))
        return ds_error_set(err, DS_EUSAGE, "one coding has onset times and "
                            "the other has none");
    if (timed && !(tolerance_s >= 0 && isfinite(tolerance_s)))
        return ds_error_set(err, DS_EUSAGE, "the tolerance must be a number "
                            "of seconds >= 0, not %g", tolerance_s);
    if (!al->ws_ && !(al->ws_ = calloc(1, sizeof(ws_t))))
        goto oom;
    dp_t d = {a, b, timed, al->ws_};
    ws_t *w = d.w;
    if (ws_reserve(w, n, m, 0, 0))
        goto oom;
    size_t cells;
    if (timed) {
        cells = bands_timed(&d, tolerance_s + DS_AGREE_TIME_SLACK);
    } else {
        if (m && n > SIZE_MAX / sizeof(int32_t) / m)
            goto too_big;
        cells = n * m;
        for (size_t i = 1; i <= n; i++) {
            w->lo[i] = 1;
            w->hi[i] = m;
            w->off[i] = (i - 1) * m;
        }
    }
    if (ws_reserve(w, n, m, cells ? cells : 1, timed)) {
        if (!timed)
            goto too_big;
        goto oom;
    }
    if (n + m > al->cap) {
        if (grow((void **)&al->pair, n + m, sizeof *al->pair))
            goto oom;
        al->cap = n + m;
    }
    fill(&d);
    cost_t total = value(&d, n, m);
    traceback(&d, al);
    al->cost = total.c;
    al->time_ms = total.t;
    return DS_OK;
too_big:
    return ds_error_set(err, DS_ENOMEM, "out of memory aligning %zu and %zu "
                        "events by their order (without onset times the "
                        "alignment keeps a table of %zu × %zu cells)",
                        n, m, n + 1, m + 1);
oom:
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

/* ---- the matrix and its statistics ---------------------------------- */

void ds_agree_tally(const ds_agree_coding_t *a, const ds_agree_coding_t *b,
                    const ds_agree_alignment_t *al, size_t K,
                    int64_t *matrix)
{
    for (size_t k = 0; k < al->n; k++) {
        size_t f = al->pair[k].first, s = al->pair[k].second;
        size_t i = f == DS_AGREE_NIL ? K : a->state[f];
        size_t j = s == DS_AGREE_NIL ? K : b->state[s];
        matrix[i * (K + 1) + j]++;
    }
}

/* Cohen's (1960) kappa from observed and chance agreement. */
static double kappa_of(double po, double pe)
{
    return pe < 1 ? (po - pe) / (1 - pe) : NAN;
}

void ds_agree_stats(const int64_t *x, size_t K, ds_agree_stats_t *out,
                    double *per_code_kappa)
{
    size_t K1 = K + 1;
    int64_t N = 0, diag = 0, matched = 0, sum_min = 0;
    double sum_rc = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < K1; i++)
        for (size_t j = 0; j < K1; j++) {
            if (i == K && j == K)
                continue; /* nil–nil: structurally empty */
            int64_t v = x[i * K1 + j];
            N += v;
            if (i < K && j < K)
                matched += v;
            if (i == j)
                diag += v;
            if (i < K && j == K)
                out->n_unmatched_first += v;
            if (i == K && j < K)
                out->n_unmatched_second += v;
        }
    /* margins without the nil–nil cell */
    for (size_t i = 0; i < K1; i++) {
        int64_t r = 0, c = 0;
        for (size_t j = 0; j < K1; j++)
            if (!(i == K && j == K)) {
                r += x[i * K1 + j];
                c += x[j * K1 + i];
            }
        sum_rc += (double)r * (double)c;
        if (i < K)
            sum_min += r < c ? r : c;
    }
    out->n_pairs = N;
    out->n_agreements = diag;
    out->n_matched = matched;
    double n = (double)N;
    if (N > 0) {
        double pe = sum_rc / (n * n);
        out->percent_agreement = 100.0 * (double)diag / n;
        out->kappa = kappa_of((double)diag / n, pe);
        /* every nil faces an event: at most N − r_K − c_K pairs of two
         * events, hence of agreements (agree.h, docs/agree.md) */
        int64_t room = N - out->n_unmatched_first - out->n_unmatched_second;
        int64_t D = sum_min < room ? sum_min : room;
        out->kappa_max = kappa_of((double)D / n, pe);
    } else {
        out->percent_agreement = out->kappa = out->kappa_max = NAN;
    }
    if (!per_code_kappa)
        return;
    for (size_t k = 0; k < K; k++) {
        int64_t a = x[k * K1 + k], r = 0, c = 0;
        for (size_t j = 0; j < K1; j++) {
            r += x[k * K1 + j];
            c += x[j * K1 + k];
        }
        if (N == 0) {
            per_code_kappa[k] = NAN;
            continue;
        }
        double d = (double)(N - r - c + a);
        double po = ((double)a + d) / n;
        double pe = ((double)r * (double)c +
                     (double)(N - r) * (double)(N - c)) / (n * n);
        per_code_kappa[k] = kappa_of(po, pe);
    }
}

/* ---- time units ------------------------------------------------------ */

/* (t − t0) / U, snapped to an integer within 1e-9 (relative), as window.c
 * does, so that decimal times land in the unit a reader expects. */
static double unit_coord(double t, double t0, double u)
{
    double x = (t - t0) / u, r = nearbyint(x);
    if (fabs(x - r) <= 1e-9 * fmax(1.0, fabs(x)))
        return r;
    return x;
}

/* First and last unit an event is in progress in (window.h). */
static void event_span(const ds_agree_coding_t *c, size_t e, double t0,
                       double u, int64_t *first, int64_t *last)
{
    *first = (int64_t)floor(unit_coord(c->onset[e], t0, u));
    *last = *first;
    if (c->duration[e] > 0) {
        int64_t l = (int64_t)ceil(
                        unit_coord(c->onset[e] + c->duration[e], t0, u)) - 1;
        if (l > *last)
            *last = l;
    }
}

/* The state in force in each unit (later events overwrite earlier ones:
 * the one that started last wins). */
static void in_force(const ds_agree_coding_t *c, double t0, double u,
                     uint32_t *code)
{
    for (size_t e = 0; e < c->n; e++) {
        int64_t f, l;
        event_span(c, e, t0, u, &f, &l);
        for (int64_t k = f; k <= l; k++)
            code[k] = c->state[e];
    }
}

int ds_agree_units(const ds_agree_coding_t *a, const ds_agree_coding_t *b,
                   size_t K, double unit_s, size_t tolerance_units,
                   int64_t *matrix, size_t *n_units, ds_error_t *err)
{
    *n_units = 0;
    if (!a->onset || !b->onset || !a->duration || !b->duration)
        return ds_error_set(err, DS_EUSAGE, "time-unit agreement needs "
                            "onsets and durations in both codings");
    if (!(unit_s > 0 && isfinite(unit_s)))
        return ds_error_set(err, DS_EUSAGE, "the time unit must be a "
                            "positive number of seconds, not %g", unit_s);
    if (a->n == 0 && b->n == 0)
        return DS_OK;
    double t0 = INFINITY;
    if (a->n)
        t0 = a->onset[0];
    if (b->n && b->onset[0] < t0)
        t0 = b->onset[0];
    int64_t last = 0;
    const ds_agree_coding_t *c2[2] = {a, b};
    for (int w = 0; w < 2; w++)
        for (size_t e = 0; e < c2[w]->n; e++) {
            int64_t f, l;
            event_span(c2[w], e, t0, unit_s, &f, &l);
            if (l > last)
                last = l;
        }
    if ((uint64_t)last >= DS_AGREE_MAX_UNITS)
        return ds_error_set(err, DS_EUSAGE, "%.0f units of %g s are too "
                            "many for one session (at most %zu); use a "
                            "larger --time-unit", (double)last + 1, unit_s,
                            DS_AGREE_MAX_UNITS);
    size_t nu = (size_t)last + 1;
    uint32_t *fa = malloc(nu * sizeof *fa), *fb = malloc(nu * sizeof *fb);
    if (!fa || !fb) {
        free(fa);
        free(fb);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    for (size_t t = 0; t < nu; t++)
        fa[t] = fb[t] = (uint32_t)K;
    in_force(a, t0, unit_s, fa);
    in_force(b, t0, unit_s, fb);
    size_t K1 = K + 1, w = tolerance_units;
    for (size_t t = 0; t < nu; t++) {
        uint32_t f = fa[t], s = fb[t];
        if (f != s && w > 0) {
            /* GSEQ: the second coding agrees when it has f within ±w */
            size_t lo = t > w ? t - w : 0, hi = t + w < nu ? t + w : nu - 1;
            for (size_t u = lo; u <= hi; u++)
                if (fb[u] == f) {
                    s = f;
                    break;
                }
        }
        matrix[(size_t)f * K1 + s]++;
    }
    *n_units = nu;
    free(fa);
    free(fb);
    return DS_OK;
}

/* ---- a whole study --------------------------------------------------- */

void ds_agree_opts_init(ds_agree_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->tolerance_s = DS_AGREE_TOLERANCE_DEFAULT;
    o->units = 1;
    o->unit_s = 1.0;
    o->unit_tolerance = 0;
    o->threads = 1;
}

void ds_agree_result_free(ds_agree_result_t *r)
{
    if (!r)
        return;
    free(r->n_events_first);
    free(r->n_events_second);
    free(r->matrix);
    free(r->stats);
    free(r->per_code_kappa);
    free(r->pooled_matrix);
    free(r->pooled_per_code_kappa);
    free(r->n_units);
    free(r->unit_matrix);
    free(r->unit_stats);
    free(r->unit_pooled_matrix);
    free(r->unit_pooled_per_code_kappa);
    free(r);
}

static ds_agree_coding_t coding_of(const ds_session_t *s, int by_time)
{
    ds_agree_coding_t c = {s->n, by_time ? s->onset : NULL, s->duration,
                           s->state};
    return c;
}

/* One session: align, tally, statistics; time units when asked. */
static int one_session(const ds_corpus_t *c1, const ds_corpus_t *c2,
                       size_t s, const ds_agree_opts_t *o,
                       ds_agree_alignment_t *al, ds_agree_result_t *r,
                       ds_error_t *err)
{
    size_t K = r->K, K1 = K + 1;
    ds_agree_coding_t a = coding_of(&c1->sessions[s], r->by_time);
    ds_agree_coding_t b = coding_of(&c2->sessions[s], r->by_time);
    int rc = ds_agree_align(&a, &b, o->tolerance_s, al, err);
    if (rc)
        return rc;
    int64_t *x = r->matrix + s * K1 * K1;
    ds_agree_tally(&a, &b, al, K, x);
    ds_agree_stats(x, K, &r->stats[s], r->per_code_kappa + s * K);
    r->n_events_first[s] = (int64_t)a.n;
    r->n_events_second[s] = (int64_t)b.n;
    if (!r->has_units)
        return DS_OK;
    size_t nu;
    int64_t *u = r->unit_matrix + s * K1 * K1;
    rc = ds_agree_units(&a, &b, K, o->unit_s, o->unit_tolerance, u, &nu,
                        err);
    if (rc)
        return rc;
    r->n_units[s] = (int64_t)nu;
    ds_agree_stats(u, K, &r->unit_stats[s], NULL);
    return DS_OK;
}

/* Whether the two corpora hold the same sessions over the same states. */
static int check_match(const ds_corpus_t *c1, const ds_corpus_t *c2,
                       ds_error_t *err)
{
    if (c1->n_sessions != c2->n_sessions || c1->n_states != c2->n_states)
        return ds_error_set(err, DS_EUSAGE, "the codings to compare have "
                            "%zu and %zu sessions over %zu and %zu states",
                            c1->n_sessions, c2->n_sessions, c1->n_states,
                            c2->n_states);
    if (c1->n_states > UINT16_MAX)
        return ds_error_set(err, DS_EUSAGE, "too many states (%zu)",
                            c1->n_states);
    if (c1->has_time != c2->has_time)
        return ds_error_set(err, DS_EUSAGE, "one coding has onset times and "
                            "the other has none");
    for (size_t s = 0; s < c1->n_sessions; s++)
        if (strcmp(c1->sessions[s].couple, c2->sessions[s].couple) ||
            strcmp(c1->sessions[s].label, c2->sessions[s].label))
            return ds_error_set(err, DS_EUSAGE, "session %zu differs between "
                                "the codings", s);
    return DS_OK;
}

static int alloc_result(ds_agree_result_t *r)
{
    size_t S = r->S ? r->S : 1, K = r->K, K1 = K + 1;
    r->n_events_first = calloc(S, sizeof(int64_t));
    r->n_events_second = calloc(S, sizeof(int64_t));
    r->matrix = calloc(S * K1 * K1, sizeof(int64_t));
    r->stats = calloc(S, sizeof *r->stats);
    r->per_code_kappa = calloc(S * (K ? K : 1), sizeof(double));
    r->pooled_matrix = calloc(K1 * K1, sizeof(int64_t));
    r->pooled_per_code_kappa = calloc(K ? K : 1, sizeof(double));
    int bad = !r->n_events_first || !r->n_events_second || !r->matrix ||
              !r->stats || !r->per_code_kappa || !r->pooled_matrix ||
              !r->pooled_per_code_kappa;
    if (r->has_units) {
        r->n_units = calloc(S, sizeof(int64_t));
        r->unit_matrix = calloc(S * K1 * K1, sizeof(int64_t));
        r->unit_stats = calloc(S, sizeof *r->unit_stats);
        r->unit_pooled_matrix = calloc(K1 * K1, sizeof(int64_t));
        r->unit_pooled_per_code_kappa = calloc(K ? K : 1, sizeof(double));
        bad |= !r->n_units || !r->unit_matrix || !r->unit_stats ||
               !r->unit_pooled_matrix || !r->unit_pooled_per_code_kappa;
    }
    return bad ? -1 : 0;
}

int ds_agree_run(const ds_corpus_t *first, const ds_corpus_t *second,
                 const ds_agree_opts_t *o, ds_agree_result_t **out,
                 ds_error_t *err)
{
    *out = NULL;
    int rc = check_match(first, second, err);
    if (rc)
        return rc;
    if (!(o->tolerance_s >= 0 && isfinite(o->tolerance_s)))
        return ds_error_set(err, DS_EUSAGE, "the tolerance must be a number "
                            "of seconds >= 0");
    ds_agree_result_t *r = calloc(1, sizeof *r);
    int *status = NULL;
    if (!r)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    r->S = first->n_sessions;
    r->K = first->n_states;
    r->by_time = first->has_time;
    r->tolerance_s = o->tolerance_s;
    r->unit_s = o->unit_s;
    r->unit_tolerance = o->unit_tolerance;
    if (!o->units)
        r->units_skipped = "time-unit agreement was not asked for";
    else if (!first->has_time)
        r->units_skipped = "the codings have no time column";
    else if (!first->has_duration || !second->has_duration)
        r->units_skipped = first->has_duration || second->has_duration
                               ? "only one coding has a duration column"
                               : "the codings have no duration column";
    else if (!(o->unit_s > 0 && isfinite(o->unit_s))) {
        rc = ds_error_set(err, DS_EUSAGE, "the time unit must be a positive "
                          "number of seconds");
        goto fail;
    }
    r->has_units = r->units_skipped == NULL;
    size_t S = r->S, K = r->K, K1 = K + 1;
    status = calloc(S ? S : 1, sizeof *status);
    if (!status || alloc_result(r))
        goto oom;
    int threads = o->threads > 0 ? o->threads : 1;
    (void)threads;
#pragma omp parallel num_threads(threads)
    {
        ds_agree_alignment_t al;
        ds_agree_alignment_init(&al);
#pragma omp for schedule(dynamic, 8)
        for (long s = 0; s < (long)S; s++) {
            ds_error_t e;
            status[s] = one_session(first, second, (size_t)s, o, &al, r, &e);
        }
        ds_agree_alignment_clear(&al);
    }
    for (size_t s = 0; s < S; s++)
        if (status[s]) {
            /* again on this thread, for the message */
            ds_agree_alignment_t al;
            ds_error_t e = {0};
            ds_agree_alignment_init(&al);
            rc = one_session(first, second, s, o, &al, r, &e);
            ds_agree_alignment_clear(&al);
            rc = ds_error_set(err, rc ? rc : status[s], "couple '%s' session "
                              "'%s': %s", first->sessions[s].couple,
                              first->sessions[s].label, e.msg);
            goto fail;
        }
    for (size_t s = 0; s < S; s++)
        for (size_t k = 0; k < K1 * K1; k++) {
            r->pooled_matrix[k] += r->matrix[s * K1 * K1 + k];
            if (r->has_units)
                r->unit_pooled_matrix[k] += r->unit_matrix[s * K1 * K1 + k];
        }
    ds_agree_stats(r->pooled_matrix, K, &r->pooled,
                   r->pooled_per_code_kappa);
    if (r->has_units)
        ds_agree_stats(r->unit_pooled_matrix, K, &r->unit_pooled,
                       r->unit_pooled_per_code_kappa);
    free(status);
    *out = r;
    return DS_OK;
oom:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory");
fail:
    free(status);
    ds_agree_result_free(r);
    return rc;
}
