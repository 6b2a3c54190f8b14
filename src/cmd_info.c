/*
 * cmd_info.c — `dyadseq info FILE.h5`: what a results file is and holds.
 *
 * Prints the provenance stored in the root attributes (SPEC 5), a summary
 * of the contents (sessions, couples, labels, events, states, lags), and,
 * when the file has them, the strongest pooled lag-1 dependencies (the ten
 * cells with the largest adjusted residual); by session label, the mean
 * over sessions of the response rate and of the median latency of
 * answered bids per bidder, of the softening rate per actor and for both,
 * and pursue-withdraw cycle counts, per session and per 10 minutes; and
 * the actor-partner effects of every model, their means over sessions.
 * Sections whose paths are absent are left out, so it works on files of
 * analyze, compare and agree alike.
 *
 * `dyadseq info` on a transcript corpus (SPEC 2) is not implemented here
 * yet; `dyadseq validate` prints that summary.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cli.h"
#include "layout_paths.h"
#include "results.h"
#include "text.h"
#include "strmap.h"

#define TOP_CELLS 10

static const ds_cmd_spec_t spec = {
    .name = "info",
    .about = "Summarize a results file: provenance (version, command line, "
             "inputs and\n"
             "         their SHA-256, parameters), what it holds, the "
             "strongest pooled lag-1\n"
             "         dependencies; by session label response rates, "
             "latencies of answered\n"
             "         bids, softening per minute and cycle counts.",
    .usage = "[options] FILE.h5",
    .common = 0,
    .min_args = 1,
    .max_args = 1,
};

/* Read path whole if it is a dataset; a->shape.n == 0 and 0 if absent. */
static int read_opt(ds_results_reader_t *f, const char *path,
                    ds_results_type_t as, ds_results_array_t *a,
                    ds_error_t *err)
{
    memset(a, 0, sizeof *a);
    if (ds_results_kind(f, path) != DS_RESULTS_DATASET)
        return 0;
    return ds_results_read(f, path, as, a, err);
}

/* The column name of the table at group, as read_opt. */
static int read_column(ds_results_reader_t *f, const char *group,
                       const char *name, ds_results_type_t as,
                       ds_results_array_t *a, ds_error_t *err)
{
    char *path = ds_layout_path_join(group, name);
    if (!path) {
        memset(a, 0, sizeof *a);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    int rc = read_opt(f, path, as, a, err);
    free(path);
    return rc;
}

/* A number in a column of the given width and decimals; NaN as NA. */
static void put_num(double v, int width, int decimals)
{
    if (isnan(v))
        printf("%*s", width, "NA");
    else
        printf("%*.*f", width, decimals, v);
}

/* Width of s on a terminal: UTF-8 characters, not bytes. */
static int chars(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

/* Print s left-aligned in width columns. */
static void put_padded(const char *s, int width)
{
    int n = chars(s);
    fputs(s, stdout);
    for (; n < width; n++)
        putchar(' ');
}

/* Print n with thousands separators. */
static void put_count(uint64_t n)
{
    char buf[32];
    ds_format_count(buf, sizeof buf, n);
    fputs(buf, stdout);
}

/* Print an attribute's value: strings joined by ", ", numbers. */
static int put_attr(ds_results_reader_t *f, const char *name,
                    ds_error_t *err)
{
    ds_results_array_t a;
    ds_results_shape_t sh;
    int rc = ds_results_read_attr(f, DS_PATH_ROOT, name, DS_RESULTS_DOUBLE,
                                  &a, NULL);
    if (rc == 0) {
        sh = a.shape;
        ds_results_array_clear(&a);
        if (sh.type == DS_RESULTS_INT64 || sh.type == DS_RESULTS_UINT8)
            rc = ds_results_read_attr(f, DS_PATH_ROOT, name, DS_RESULTS_INT64,
                                      &a, err);
        else
            rc = ds_results_read_attr(f, DS_PATH_ROOT, name,
                                      DS_RESULTS_DOUBLE, &a, err);
    } else {
        rc = ds_results_read_attr(f, DS_PATH_ROOT, name, DS_RESULTS_STRING,
                                  &a, err);
    }
    if (rc)
        return rc;
    for (size_t i = 0; i < a.shape.n; i++) {
        if (i)
            fputs(", ", stdout);
        if (a.s)
            fputs(a.s[i], stdout);
        else if (a.i)
            printf("%" PRId64, a.i[i]);
        else if (isnan(a.d[i]))
            fputs("NA", stdout);
        else
            printf("%.17g", a.d[i]);
    }
    ds_results_array_clear(&a);
    return 0;
}

static const char *const known_attrs[] = {
    DS_ATTR_FORMAT,       DS_ATTR_FORMAT_VERSION, DS_ATTR_SOFTWARE_VERSION,
    DS_ATTR_COMMAND_LINE, DS_ATTR_SEED,           DS_ATTR_INPUT_FILES,
    DS_ATTR_INPUT_SHA256, DS_ATTR_PARAMETERS,     NULL};

static int is_known_attr(const char *name)
{
    for (size_t i = 0; known_attrs[i]; i++)
        if (strcmp(name, known_attrs[i]) == 0)
            return 1;
    return 0;
}

/* Input files listed without -v; the rest are counted. */
#define INPUTS_SHOWN 5

static int provenance(ds_results_reader_t *f, const char *file, int verbose,
                      ds_error_t *err)
{
    int rc = 0;
    ds_results_array_t files = {0}, sha = {0};
    char **names = NULL;
    size_t n_names = 0;
    printf("%s: dyadseq results", file);
    if (ds_results_attr_exists(f, DS_PATH_ROOT, DS_ATTR_FORMAT_VERSION)) {
        fputs(", format version ", stdout);
        if ((rc = put_attr(f, DS_ATTR_FORMAT_VERSION, err)))
            goto done;
    }
    putchar('\n');
    static const struct {
        const char *attr, *title;
    } lines[] = {{DS_ATTR_SOFTWARE_VERSION, "software"},
                 {DS_ATTR_COMMAND_LINE, "command line"},
                 {DS_ATTR_SEED, "seed"}};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (!ds_results_attr_exists(f, DS_PATH_ROOT, lines[i].attr))
            continue;
        printf("  %-14s", lines[i].title);
        if (strcmp(lines[i].attr, DS_ATTR_SOFTWARE_VERSION) == 0)
            fputs("dyadseq ", stdout);
        if ((rc = put_attr(f, lines[i].attr, err)))
            goto done;
        putchar('\n');
    }
    if (ds_results_attr_exists(f, DS_PATH_ROOT, DS_ATTR_INPUT_FILES) &&
        (rc = ds_results_read_attr(f, DS_PATH_ROOT, DS_ATTR_INPUT_FILES,
                                   DS_RESULTS_STRING, &files, err)))
        goto done;
    if (ds_results_attr_exists(f, DS_PATH_ROOT, DS_ATTR_INPUT_SHA256) &&
        (rc = ds_results_read_attr(f, DS_PATH_ROOT, DS_ATTR_INPUT_SHA256,
                                   DS_RESULTS_STRING, &sha, err)))
        goto done;
    size_t n_in = files.s ? files.shape.n : sha.s ? sha.shape.n : 0;
    size_t shown = verbose || n_in <= INPUTS_SHOWN + 1 ? n_in : INPUTS_SHOWN;
    for (size_t i = 0; i < shown; i++) {
        printf("  %-13s ", i ? "" : n_in == 1 ? "input" : "inputs");
        if (files.s)
            printf("%s", files.s[i]);
        else
            printf("input %zu", i + 1);
        if (sha.s && i < sha.shape.n)
            printf("  sha256 %s", sha.s[i]);
        putchar('\n');
    }
    if (shown < n_in)
        printf("  %-13s … and %zu more (info -v lists them all)\n", "",
               n_in - shown);
    if (ds_results_attr_exists(f, DS_PATH_ROOT, DS_ATTR_PARAMETERS)) {
        printf("  %-14s", "parameters");
        if ((rc = put_attr(f, DS_ATTR_PARAMETERS, err)))
            goto done;
        putchar('\n');
    }
    if ((rc = ds_results_attr_names(f, DS_PATH_ROOT, &names, &n_names, err)))
        goto done;
    for (size_t i = 0; i < n_names; i++) {
        if (is_known_attr(names[i]))
            continue;
        printf("  %-13s ", names[i]); /* a space even after long names */
        if ((rc = put_attr(f, names[i], err)))
            goto done;
        putchar('\n');
    }
done:
    ds_results_names_free(names, n_names);
    ds_results_array_clear(&files);
    ds_results_array_clear(&sha);
    return rc;
}

/* Distinct labels in byte order with their counts. */
typedef struct label_count {
    const char *label;
    size_t n;
} label_count_t;

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const label_count_t *)a)->label,
                  ((const label_count_t *)b)->label);
}

/*
 * The distinct values of s[0..n) sorted, with counts, and for each i the
 * index of its value in *which (if which is not NULL).
 */
static int distinct(char **s, size_t n, label_count_t **out, size_t *n_out,
                    size_t *which)
{
    *out = NULL;
    *n_out = 0;
    label_count_t *lc = calloc(n ? n : 1, sizeof *lc);
    size_t k = 0;
    if (!lc)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && strcmp(lc[j].label, s[i]) != 0)
            j++;
        if (j == k)
            lc[k++].label = s[i];
        lc[j].n++;
    }
    qsort(lc, k, sizeof *lc, cmp_label);
    if (which)
        for (size_t i = 0; i < n; i++) {
            label_count_t key = {s[i], 0};
            label_count_t *p = bsearch(&key, lc, k, sizeof *lc, cmp_label);
            which[i] = (size_t)(p - lc);
        }
    *out = lc;
    *n_out = k;
    return 0;
}

static int cmp_lag(const void *a, const void *b)
{
    long x = strtol(*(char *const *)a, NULL, 10);
    long y = strtol(*(char *const *)b, NULL, 10);
    return x < y ? -1 : x > y;
}

typedef struct study {
    ds_results_array_t couple, session, states;
    size_t *label_of; /* [S] index into labels */
    label_count_t *labels;
    size_t n_labels;
} study_t;

static void study_clear(study_t *s)
{
    ds_results_array_clear(&s->couple);
    ds_results_array_clear(&s->session);
    ds_results_array_clear(&s->states);
    free(s->label_of);
    free(s->labels);
}

static int contents(ds_results_reader_t *f, study_t *st, ds_error_t *err)
{
    int rc;
    ds_results_array_t ev = {0};
    char **names = NULL, **lags = NULL;
    size_t n_names = 0, n_lags = 0;
    ds_strmap_t *m = NULL;
    printf("\nContents\n");
    if ((rc = read_opt(f, DS_PATH_SESSIONS_COUPLE, DS_RESULTS_STRING,
                       &st->couple, err)) ||
        (rc = read_opt(f, DS_PATH_SESSIONS_SESSION, DS_RESULTS_STRING,
                       &st->session, err)) ||
        (rc = read_opt(f, DS_PATH_STATES_LABEL, DS_RESULTS_STRING,
                       &st->states, err)) ||
        (rc = read_opt(f, DS_PATH_SESSIONS_N_EVENTS, DS_RESULTS_DOUBLE, &ev,
                       err)))
        goto done;
    size_t S = st->couple.s ? st->couple.shape.n : 0;
    if (st->couple.s) {
        if (!(m = ds_strmap_alloc())) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < S; i++)
            if (ds_strmap_put(m, st->couple.s[i], strlen(st->couple.s[i]),
                              i)) {
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
                goto done;
            }
        printf("  %-14s%zu (%zu couple%s)", "sessions", S, ds_strmap_size(m),
               ds_strmap_size(m) == 1 ? "" : "s");
        if (st->session.s && st->session.shape.n == S) {
            if (!(st->label_of = calloc(S ? S : 1, sizeof *st->label_of)) ||
                distinct(st->session.s, S, &st->labels, &st->n_labels,
                         st->label_of)) {
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
                goto done;
            }
            fputs("; labels:", stdout);
            for (size_t l = 0; l < st->n_labels; l++)
                printf("%s %s %zu", l ? "," : "", st->labels[l].label,
                       st->labels[l].n);
        }
        putchar('\n');
    }
    if (ev.d) {
        double total = 0;
        for (size_t i = 0; i < ev.shape.n; i++)
            total += isnan(ev.d[i]) ? 0 : ev.d[i];
        printf("  %-14s", "events");
        put_count((uint64_t)total);
        putchar('\n');
    }
    if (st->states.s) {
        printf("  %-14s%zu:", "states", st->states.shape.n);
        for (size_t i = 0; i < st->states.shape.n && i < 24; i++)
            printf("%s %s", i ? "," : "", st->states.s[i]);
        if (st->states.shape.n > 24)
            printf(" … and %zu more", st->states.shape.n - 24);
        putchar('\n');
    }
    if (ds_results_kind(f, DS_PATH_LAG) == DS_RESULTS_GROUP) {
        if ((rc = ds_results_list(f, DS_PATH_LAG, &lags, &n_lags, err)))
            goto done;
        qsort(lags, n_lags, sizeof *lags, cmp_lag);
        printf("  %-14s", "lags");
        for (size_t i = 0; i < n_lags; i++)
            printf("%s%s", i ? ", " : "", lags[i]);
        putchar('\n');
    }
    if ((rc = ds_results_list(f, DS_PATH_ROOT, &names, &n_names, err)))
        goto done;
    printf("  %-14s", "groups");
    for (size_t i = 0; i < n_names; i++)
        printf("%s/%s", i ? " " : "", names[i]);
    putchar('\n');
done:
    ds_strmap_free(m);
    ds_results_names_free(names, n_names);
    ds_results_names_free(lags, n_lags);
    ds_results_array_clear(&ev);
    return rc;
}

/* The ten pooled lag-1 cells with the largest adjusted residual. */
static int top_cells(ds_results_reader_t *f, const study_t *st,
                     ds_error_t *err)
{
    static const char *const stats[] = {
        DS_LAG_STAT(adjusted_residual), DS_LAG_COUNTS, DS_LAG_STAT(expected),
        DS_LAG_STAT(yules_q), DS_LAG_STAT(transition_prob)};
    enum { N_STATS = 5 };
    ds_results_array_t a[N_STATS];
    memset(a, 0, sizeof a);
    size_t *order = NULL;
    int rc = 0;
    for (size_t s = 0; s < N_STATS; s++) {
        char *path = ds_layout_path_lag(1, DS_LAG_POOLED, stats[s]);
        if (!path) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto done;
        }
        rc = read_opt(f, path, DS_RESULTS_DOUBLE, &a[s], err);
        free(path);
        if (rc)
            goto done;
    }
    const ds_results_array_t *z = &a[0];
    if (!z->d || z->shape.rank != 2)
        goto done; /* no pooled lag-1 table */
    size_t K1 = z->shape.dims[0], K2 = z->shape.dims[1], n = K1 * K2, k = 0;
    if (!(order = malloc((n ? n : 1) * sizeof *order))) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (!isnan(z->d[i]))
            order[k++] = i;
    /* partial selection sort: ties keep cell order, so output is stable */
    size_t top = k < TOP_CELLS ? k : TOP_CELLS;
    for (size_t i = 0; i < top; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < k; j++)
            if (z->d[order[j]] > z->d[order[best]])
                best = j;
        size_t t = order[best];
        memmove(order + i + 1, order + i, (best - i) * sizeof *order);
        order[i] = t;
    }
    int w = 12;
    if (st->states.s)
        for (size_t i = 0; i < st->states.shape.n; i++)
            if (chars(st->states.s[i]) > w)
                w = chars(st->states.s[i]);
    printf("\nStrongest pooled lag-1 dependencies (top %zu of %zu cells by "
           "adjusted residual)\n",
           top, n);
    if (top == 0) {
        printf("  none: every adjusted residual is NA\n");
        goto done;
    }
    printf("  %-*s %-*s %9s %10s %8s %8s %10s\n", w, "from", w, "to", "count",
           "expected", "z", "Yule's Q", "p(to|from)");
    for (size_t i = 0; i < top; i++) {
        size_t c = order[i], r = c / K2, col = c % K2;
        char rb[24], cb[24];
        snprintf(rb, sizeof rb, "%zu", r);
        snprintf(cb, sizeof cb, "%zu", col);
        const char *from = st->states.s && r < st->states.shape.n
                               ? st->states.s[r] : rb;
        const char *to = st->states.s && col < st->states.shape.n
                             ? st->states.s[col] : cb;
        fputs("  ", stdout);
        put_padded(from, w);
        putchar(' ');
        put_padded(to, w);
        putchar(' ');
        double v[N_STATS];
        for (size_t s = 0; s < N_STATS; s++)
            v[s] = a[s].d && a[s].shape.n == n ? a[s].d[c] : NAN;
        put_num(v[1], 9, 0);
        putchar(' ');
        put_num(v[2], 10, 2);
        putchar(' ');
        put_num(v[0], 8, 2);
        putchar(' ');
        put_num(v[3], 8, 3);
        putchar(' ');
        put_num(v[4], 10, 3);
        putchar('\n');
    }
done:
    free(order);
    for (size_t s = 0; s < N_STATS; s++)
        ds_results_array_clear(&a[s]);
    return rc;
}

/* A table of per-label means printed by by_label(). */
typedef struct label_table {
    const char *title;       /* first line of the section */
    const char *group;       /* the table, e.g. /responsiveness */
    const char *value;       /* its column averaged, e.g. response_rate */
    const char *who;         /* string column splitting it, e.g. bidder */
    const char *suffix;      /* column head: the who value and this */
    int decimals;
    int total;               /* also a column of the per-session sums */
} label_table_t;

/*
 * Mean of t->value over sessions, for every distinct value of t->who
 * (one column each, and with t->total one more of the per-session sums
 * over them), overall and per session label, with the number of sessions
 * where the value is defined. The rows of the table name their session
 * in a session_index column beside value. Skipped when the columns are
 * absent.
 */
static int by_label(ds_results_reader_t *f, const study_t *st,
                    const label_table_t *t, ds_error_t *err)
{
    ds_results_array_t val = {0}, who = {0}, sidx = {0};
    label_count_t *cols = NULL;
    size_t n_cols = 0, *which = NULL;
    double *sum = NULL, *tot = NULL;
    size_t *cnt = NULL;
    int rc;
    if ((rc = read_column(f, t->group, t->value, DS_RESULTS_DOUBLE, &val,
                          err)) ||
        (rc = read_column(f, t->group, t->who, DS_RESULTS_STRING, &who,
                          err)) ||
        (rc = read_column(f, t->group, DS_COL_SESSION_INDEX,
                          DS_RESULTS_INT64, &sidx, err)))
        goto done;
    size_t n = val.shape.n, S = st->couple.shape.n;
    if (!val.d || !who.s || who.shape.n != n)
        goto done;
    int have_sessions = sidx.i && sidx.shape.n == n;
    if (!(which = calloc(n ? n : 1, sizeof *which)) ||
        distinct(who.s, n, &cols, &n_cols, which)) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    /* the per-session sums need to know the sessions */
    int total = t->total && have_sessions && S > 0;
    size_t n_all = n_cols + (total ? 1 : 0);
    /* groups: 0 = all sessions, 1 + l = session label l */
    size_t n_groups = 1 + (st->label_of && have_sessions ? st->n_labels : 0);
    if (!(sum = calloc(n_groups * n_all, sizeof *sum)) ||
        !(cnt = calloc(n_groups * n_all, sizeof *cnt)) ||
        (total && !(tot = calloc(2 * S, sizeof *tot)))) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t s = have_sessions ? sidx.i[i] : -1;
        int known = s >= 0 && (size_t)s < S;
        if (total && known) { /* tot[2s] sum, tot[2s + 1] > 0: a NaN */
            tot[2 * s] += isnan(val.d[i]) ? 0 : val.d[i];
            if (isnan(val.d[i]))
                tot[2 * s + 1] = 1;
        }
        if (isnan(val.d[i]))
            continue; /* undefined there, e.g. a session without bids */
        sum[which[i]] += val.d[i];
        cnt[which[i]]++;
        if (n_groups > 1 && known) {
            size_t g = 1 + st->label_of[s];
            sum[g * n_all + which[i]] += val.d[i];
            cnt[g * n_all + which[i]]++;
        }
    }
    if (total) {
        /* only sessions that have rows */
        uint8_t *seen = calloc(S, 1);
        if (!seen) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            if (sidx.i[i] >= 0 && (size_t)sidx.i[i] < S)
                seen[sidx.i[i]] = 1;
        for (size_t s = 0; s < S; s++) {
            if (!seen[s] || tot[2 * s + 1] > 0)
                continue;
            for (size_t g = 0; g < n_groups; g++) {
                if (g > 0 && st->label_of[s] != g - 1)
                    continue;
                sum[g * n_all + n_cols] += tot[2 * s];
                cnt[g * n_all + n_cols]++;
            }
        }
        free(seen);
    }
    printf("\n%s\n  ", t->title);
    put_padded("label", 14);
    for (size_t b = 0; b < n_all; b++) {
        char head[64];
        if (b < n_cols)
            snprintf(head, sizeof head, "%s%s", cols[b].label, t->suffix);
        else
            snprintf(head, sizeof head, "both");
        putchar(' ');
        put_padded(head, b + 1 < n_all ? 16 : 0);
    }
    putchar('\n');
    for (size_t g = 0; g < n_groups; g++) {
        putchar(' ');
        putchar(' ');
        put_padded(g == 0 ? "all" : st->labels[g - 1].label, 14);
        for (size_t b = 0; b < n_all; b++) {
            char cell[64];
            size_t c = cnt[g * n_all + b];
            if (c)
                snprintf(cell, sizeof cell, "%.*f (%zu)", t->decimals,
                         sum[g * n_all + b] / (double)c, c);
            else
                snprintf(cell, sizeof cell, "NA (0)");
            putchar(' ');
            put_padded(cell, b + 1 < n_all ? 16 : 0);
        }
        putchar('\n');
    }
done:
    free(sum);
    free(cnt);
    free(tot);
    free(which);
    free(cols);
    ds_results_array_clear(&val);
    ds_results_array_clear(&who);
    ds_results_array_clear(&sidx);
    return rc;
}

/* Response rates, median latencies and softening by session label. */
static int dyadic(ds_results_reader_t *f, const study_t *st, ds_error_t *err)
{
    static const label_table_t tables[] = {
        {"Response rate to bids: mean over sessions with bids (number of "
         "sessions)",
         DS_PATH_RESPONSIVENESS, DS_COL_RESPONSE_RATE, DS_COL_BIDDER,
         " bids", 3, 0},
        {"Median latency of answered bids, s: mean over sessions (number "
         "of sessions)",
         DS_PATH_RESPONSIVENESS, DS_COL_LATENCY_MEDIAN_S, DS_COL_BIDDER,
         " bids", 2, 0},
        {"Softening per minute: mean over sessions (number of sessions)",
         DS_PATH_SOFTENING, DS_COL_RATE_PER_MIN, DS_COL_ACTOR, "", 2, 1}};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        int rc = by_label(f, st, &tables[i], err);
        if (rc)
            return rc;
    }
    return 0;
}

/* Cycle counts by session label, and per 10 minutes of session when the
 * file has the session durations. */
static int cycles(ds_results_reader_t *f, const study_t *st, ds_error_t *err)
{
    ds_results_array_t nc = {0}, sidx = {0}, dur = {0};
    double *sum = NULL, *rate = NULL;
    size_t *cnt = NULL, *n_rate = NULL;
    int rc;
    if ((rc = read_opt(f, DS_PATH_IN(DS_PATH_CYCLES, DS_COL_N_CYCLES),
                       DS_RESULTS_DOUBLE, &nc, err)) ||
        (rc = read_opt(f, DS_PATH_IN(DS_PATH_CYCLES, DS_COL_SESSION_INDEX),
                       DS_RESULTS_INT64, &sidx, err)) ||
        (rc = read_opt(f, DS_PATH_SESSIONS_DURATION_S, DS_RESULTS_DOUBLE,
                       &dur, err)))
        goto done;
    if (!nc.d)
        goto done;
    size_t n = nc.shape.n, S = st->couple.shape.n;
    size_t n_groups = 1 + (st->label_of ? st->n_labels : 0);
    int timed = dur.d && dur.shape.n == S;
    if (!(sum = calloc(n_groups, sizeof *sum)) ||
        !(cnt = calloc(n_groups, sizeof *cnt)) ||
        !(rate = calloc(n_groups, sizeof *rate)) ||
        !(n_rate = calloc(n_groups, sizeof *n_rate))) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (isnan(nc.d[i]))
            continue;
        /* the session: its session_index, or the row (one per session) */
        int64_t s = sidx.i && sidx.shape.n == n ? sidx.i[i] : (int64_t)i;
        int known = s >= 0 && (size_t)s < S;
        /* cycles per 10 minutes where the duration is known and > 0 */
        double r = timed && known && dur.d[s] > 0 ? nc.d[i] / dur.d[s] * 600
                                                  : NAN;
        for (size_t g = 0; g < n_groups; g++) {
            if (g > 0 && !(known && st->label_of[s] == g - 1))
                continue;
            sum[g] += nc.d[i];
            cnt[g]++;
            if (!isnan(r)) {
                rate[g] += r;
                n_rate[g]++;
            }
        }
    }
    printf("\nPursue-withdraw cycles by session label\n  %-14s %9s %9s "
           "%12s%s\n",
           "label", "sessions", "cycles", "per session",
           timed ? "   per 10 min" : "");
    for (size_t g = 0; g < n_groups; g++) {
        fputs("  ", stdout);
        put_padded(g == 0 ? "all" : st->labels[g - 1].label, 14);
        printf(" %9zu %9.0f ", cnt[g], sum[g]);
        put_num(cnt[g] ? sum[g] / (double)cnt[g] : NAN, 12, 2);
        if (timed) {
            putchar(' ');
            put_num(n_rate[g] ? rate[g] / (double)n_rate[g] : NAN, 12, 2);
        }
        putchar('\n');
    }
done:
    free(sum);
    free(cnt);
    free(rate);
    free(n_rate);
    ds_results_array_clear(&nc);
    ds_results_array_clear(&sidx);
    ds_results_array_clear(&dur);
    return rc;
}

/* The coefficients info shows (the intercept, a base rate, is in the
 * file and in export). */
static const char *const ap_shown[] = {
    DS_AP_COEF(partner), DS_AP_COEF(actor), DS_AP_COEF(interaction),
    DS_AP_COEF(partner_only)};
enum { AP_SHOWN = sizeof ap_shown / sizeof ap_shown[0] };

/* One model's summary table: a line per scope, the mean and p of each
 * coefficient shown. */
static int ap_model(ds_results_reader_t *f, const char *name,
                    ds_error_t *err)
{
    enum { SCOPE, LABEL, COEF, MEAN, N, P, N_COLS };
    static const char *const cols[N_COLS] = {
        DS_COL_SCOPE, DS_COL_LABEL, DS_COL_COEFFICIENT, DS_SUMMARY_MEAN,
        DS_SUMMARY_N, DS_SUMMARY_P};
    static const ds_results_type_t as[N_COLS] = {
        DS_RESULTS_STRING, DS_RESULTS_STRING, DS_RESULTS_STRING,
        DS_RESULTS_DOUBLE, DS_RESULTS_DOUBLE, DS_RESULTS_DOUBLE};
    ds_results_array_t a[N_COLS];
    memset(a, 0, sizeof a);
    char *g = ds_layout_path_join(DS_PATH_ACTOR_PARTNER, name);
    char *gs = g ? ds_layout_path_join(g, DS_AP_COUPLE_SUMMARY) : NULL;
    int rc = DS_OK;
    if (!gs) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (int k = 0; k < N_COLS && !rc; k++)
        rc = read_column(f, gs, cols[k], as[k], &a[k], err);
    size_t n = a[SCOPE].shape.n;
    for (int k = 0; k < N_COLS && !rc; k++)
        if (!a[k].d && !a[k].s)
            goto done; /* not a model's group: nothing to show */
    /* the model exactly (the group name is escaped) */
    char *model = NULL;
    if (ds_results_attr_exists(f, g, DS_ATTR_AP_MODEL) &&
        (rc = ds_results_attr_get_string(f, g, DS_ATTR_AP_MODEL, &model,
                                         err)))
        goto done;
    const char *shown = model ? model : name;
    for (size_t r = 0; !rc && r < n; r++) {
        if (r > 0 && strcmp(a[LABEL].s[r], a[LABEL].s[r - 1]) == 0 &&
            strcmp(a[SCOPE].s[r], a[SCOPE].s[r - 1]) == 0)
            continue; /* one line per scope */
        printf("  ");
        put_padded(shown, 24);
        shown = "";
        put_padded(a[LABEL].s[r][0] ? a[LABEL].s[r] : "all", 10);
        put_num(a[N].d[r], 5, 0);
        for (int k = 0; k < AP_SHOWN; k++)
            for (size_t q = r; q < n; q++) {
                if (strcmp(a[LABEL].s[q], a[LABEL].s[r]) ||
                    strcmp(a[SCOPE].s[q], a[SCOPE].s[r]))
                    break;
                if (strcmp(a[COEF].s[q], ap_shown[k]))
                    continue;
                char p[16];
                double pv = a[P].d[q];
                if (isnan(pv))
                    snprintf(p, sizeof p, "NA");
                else if (pv < 0.001)
                    snprintf(p, sizeof p, "<.001");
                else
                    snprintf(p, sizeof p, "%.3f", pv);
                putchar(' ');
                put_num(a[MEAN].d[q], 7, 3);
                printf(" %-6s", p);
            }
        putchar('\n');
    }
    free(model);
done:
    for (int k = 0; k < N_COLS; k++)
        ds_results_array_clear(&a[k]);
    free(g);
    free(gs);
    return rc;
}

/* Every model of /actor_partner. */
static int actor_partner(ds_results_reader_t *f, ds_error_t *err)
{
    if (ds_results_kind(f, DS_PATH_ACTOR_PARTNER) != DS_RESULTS_GROUP)
        return 0;
    char **names = NULL;
    size_t n = 0;
    int rc = ds_results_list(f, DS_PATH_ACTOR_PARTNER, &names, &n, err);
    if (rc)
        return rc;
    printf("\nActor-partner effects: mean over sessions, p of the "
           "one-sample t-test\n  (logit of Y at t on X and Y at t-1, "
           "effect-coded; docs/actor-partner.md)\n  ");
    put_padded("model", 24);
    put_padded("sessions", 10);
    printf("%5s", "n");
    for (int k = 0; k < AP_SHOWN; k++)
        printf(" %-14s", ap_shown[k]);
    putchar('\n');
    for (size_t i = 0; i < n && !rc; i++)
        rc = ap_model(f, names[i], err);
    ds_results_names_free(names, n);
    return rc;
}

int main_info(int argc, char **argv, const ds_invocation_t *inv)
{
    (void)inv; /* nothing of it is recorded, never started again */
    ds_common_opts_t o;
    char **args;
    size_t n_args;
    int status = ds_cmd_parse(&spec, argc, argv, &o, NULL, &args, &n_args);
    if (status >= 0)
        return status;
    const char *file = args[0];
    ds_error_t err = {0};
    ds_results_reader_t *f = NULL;
    study_t st;
    memset(&st, 0, sizeof st);
    int rc = ds_results_open(file, &f, &err);
    if (rc) {
        ds_msg_error("%s", err.msg);
        if (strstr(err.msg, "not an HDF5 file") ||
            strstr(err.msg, "is a directory"))
            fprintf(stderr,
                    "dyadseq: note: 'dyadseq info' on transcripts is not "
                    "implemented yet; 'dyadseq validate %s' summarizes "
                    "them\n",
                    file);
        return DS_EXIT_DATA;
    }
    if (ds_cli_check_results(f, o.quiet)) {
        ds_results_close(f);
        return DS_EXIT_DATA;
    }
    if ((rc = provenance(f, file, o.verbose, &err)) || (rc = contents(f, &st, &err)) ||
        (rc = top_cells(f, &st, &err)) ||
        (rc = dyadic(f, &st, &err)) || (rc = cycles(f, &st, &err)) ||
        (rc = actor_partner(f, &err)) ||
        (rc = ds_results_reader_error(f, &err))) {
        fflush(stdout);
        ds_msg_error("%s", err.msg);
        study_clear(&st);
        ds_results_close(f);
        return DS_EXIT_DATA;
    }
    study_clear(&st);
    ds_results_close(f);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output: %s", strerror(errno));
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}
