/*
 * results_check.c — a results file is checked before it is trusted
 * (issue 18 #6, #10): what `info`, `export` and `compare` read must be
 * there and consistent, or they say what is missing or damaged and stop.
 *
 * Checked, in order (schemas/results.md says what each path holds):
 *  1. the root attributes: format_version an integer this program reads
 *     (1 .. DS_FORMAT_VERSION), the provenance strings, input_files and
 *     input_sha256 of equal length, seed;
 *  2. what every file has: /states/label [K], /codebook/{code,role,
 *     description} [C], /sessions/{couple,session,n_events,duration_s,
 *     first_onset_s} [S], with their types;
 *  3. what the command that wrote it promises, from the root attribute
 *     parameters: for analyze every lag table of "lags" (per session,
 *     pooled, per session label, the between-session summaries, the
 *     permutation p-values with "permutations"), the time windows (when
 *     asked for, with times, --target onset), responsiveness (two
 *     partners and times), cycles and softening (two partners); for
 *     compare the /comparison table and its values and exclusions;
 *  4. every dataset of the file against its own `dimensions` attribute:
 *     one name per axis, and the axes named session, from, to, state,
 *     code, first, second as long as /sessions, /states, /codebook say;
 *     the columns of a table group equally long; session_index and km
 *     row indexes within their tables.
 *
 * Every problem is reported ("FILE: /lag/1/session/expected is
 * missing"), up to the diagnostics' limit. Files of other commands
 * (agree) get checks 1, 2 and 4. The names here are the layout's
 * (layout.c); keep them in step.
 */
#include "results_check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "version.h"

/* Lengths the axes of a dataset must have. */
typedef struct sizes {
    size_t S, K, C;
    int has_time, dyadic;
} sizes_t;

typedef struct check {
    ds_results_reader_t *f;
    const char *file;
    ds_diag_t *diag;
    ds_error_t *err;
    int fatal;            /* an error that is not a problem of the file */
    sizes_t z;
    char **labels;        /* distinct session labels */
    size_t n_labels;
    ds_results_entry_t *cat; /* every object, with shapes */
    size_t n_cat;
} check_t;

#define PROBLEM(c, ...) ds_diag_error((c)->diag, (c)->file, 0, NULL, __VA_ARGS__)

/* Shape codes of a promised dataset. */
enum { SH_S, SH_2S, SH_K, SH_C, SH_KK, SH_SKK, SH_SCALAR, SH_ROWS,
       SH_POOLED /* 2 (1 + session labels) */ };

typedef struct item {
    const char *name;
    ds_results_type_t type; /* DS_RESULTS_OTHER: any numeric */
    int shape;
} item_t;

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* The parameters (a flat JSON object)                                */
/* ------------------------------------------------------------------ */

/* Skip a JSON string starting at the quote; the character after it. */
static const char *skip_string(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p ? p + 1 : p;
}

/* The value of top-level key in the object json, or NULL. */
static const char *json_value(const char *json, const char *key)
{
    size_t klen = strlen(key);
    const char *p = json;
    while (*p && *p != '{')
        p++;
    int depth = 0;
    for (; *p; p++) {
        if (*p == '"') {
            const char *end = skip_string(p);
            if (depth == 1 && (size_t)(end - p) == klen + 2 &&
                memcmp(p + 1, key, klen) == 0) {
                const char *v = end;
                while (*v == ' ')
                    v++;
                if (*v == ':') {
                    for (v++; *v == ' '; v++)
                        ;
                    return v;
                }
            }
            p = end - 1;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        }
    }
    return NULL;
}

static int json_is(const char *json, const char *key, const char *text)
{
    const char *v = json ? json_value(json, key) : NULL;
    return v && strncmp(v, text, strlen(text)) == 0;
}

static double json_number(const char *json, const char *key)
{
    const char *v = json ? json_value(json, key) : NULL;
    return v ? strtod(v, NULL) : NAN;
}

/* ------------------------------------------------------------------ */
/* Datasets                                                           */
/* ------------------------------------------------------------------ */

static size_t want_len(const check_t *c, int shape, size_t k)
{
    switch (shape) {
    case SH_S: return c->z.S;
    case SH_2S: return 2 * c->z.S;
    case SH_K: return c->z.K;
    case SH_C: return c->z.C;
    case SH_KK: return c->z.K;
    case SH_SKK: return k == 0 ? c->z.S : c->z.K;
    case SH_POOLED: return 2 * (1 + c->n_labels);
    default: return 0;
    }
}

static size_t want_rank(int shape)
{
    switch (shape) {
    case SH_SCALAR: return 0;
    case SH_KK: return 2;
    case SH_SKK: return 3;
    default: return 1;
    }
}

static const char *type_name(ds_results_type_t t)
{
    return t == DS_RESULTS_STRING   ? "strings"
           : t == DS_RESULTS_DOUBLE ? "floating-point numbers"
           : t == DS_RESULTS_OTHER  ? "an unknown type"
                                    : "integers";
}

/*
 * Check the dataset at path against a promise: present, of the type and
 * shape. *rows receives its length for SH_ROWS (0 when absent). Returns
 * 1 when it is as promised.
 */
static int promised(check_t *c, const char *path, const item_t *it,
                    size_t *rows)
{
    const ds_results_entry_t *en = ds_results_catalog_find(c->cat, c->n_cat,
                                                           path);
    if (!en || en->kind != DS_RESULTS_DATASET) {
        PROBLEM(c, "%s is %s", path, !en ? "missing" : "not a dataset");
        return 0;
    }
    const ds_results_shape_t sh = en->shape;
    ds_results_type_t t = sh.type == DS_RESULTS_UINT8 ? DS_RESULTS_INT64
                                                      : sh.type;
    int type_ok = it->type == DS_RESULTS_OTHER
                      ? t == DS_RESULTS_DOUBLE || t == DS_RESULTS_INT64
                      : t == it->type;
    if (!type_ok) {
        PROBLEM(c, "%s holds %s, not %s", path, type_name(t),
                type_name(it->type == DS_RESULTS_OTHER ? DS_RESULTS_DOUBLE
                                                       : it->type));
        return 0;
    }
    if (sh.rank != want_rank(it->shape)) {
        PROBLEM(c, "%s has %zu axes, not %zu", path, sh.rank,
                want_rank(it->shape));
        return 0;
    }
    if (it->shape == SH_ROWS) {
        if (rows)
            *rows = sh.dims[0];
        return 1;
    }
    for (size_t k = 0; k < sh.rank; k++)
        if (sh.dims[k] != want_len(c, it->shape, k)) {
            PROBLEM(c, "%s has %zu entries along axis %zu, expected %zu",
                    path, sh.dims[k], k + 1, want_len(c, it->shape, k));
            return 0;
        }
    return 1;
}

/* Check the items of the group at dir ("/lag/1/pooled"), name + suffix
 * for each. */
static void promised_group(check_t *c, const char *dir, const item_t *items,
                           size_t n, const char *suffix)
{
    for (size_t i = 0; i < n && !c->fatal; i++) {
        size_t len = strlen(dir) + strlen(items[i].name) +
                     strlen(suffix) + 2;
        char *path = malloc(len);
        if (!path) {
            c->fatal = ds_error_set(c->err, DS_ENOMEM, "out of memory");
            return;
        }
        snprintf(path, len, "%s/%s%s", dir, items[i].name, suffix);
        promised(c, path, &items[i], NULL);
        free(path);
    }
}

/* "FMT" formatted into a malloc'd path; NULL (fatal set) when OOM. */
static char *path_of(check_t *c, const char *a, const char *b,
                     const char *d)
{
    size_t len = strlen(a) + strlen(b) + strlen(d) + 3;
    char *p = malloc(len);
    if (!p)
        c->fatal = ds_error_set(c->err, DS_ENOMEM, "out of memory");
    else
        snprintf(p, len, "%s/%s%s%s", a, b, *d ? "/" : "", d);
    return p;
}

/* ------------------------------------------------------------------ */
/* 1, 2: the root and what every file has                             */
/* ------------------------------------------------------------------ */

static void check_root(check_t *c, char **params)
{
    ds_results_array_t a = {0};
    ds_error_t e;
    if (!ds_results_attr_exists(c->f, "/", "format_version")) {
        PROBLEM(c, "the root attribute format_version is missing");
    } else if (ds_results_read_attr(c->f, "/", "format_version",
                                    DS_RESULTS_INT64, &a, &e) ||
               a.shape.n != 1) {
        PROBLEM(c, "the root attribute format_version is not one integer");
    } else if (a.i[0] < 1 || a.i[0] > DS_FORMAT_VERSION) {
        PROBLEM(c, "format_version %lld is not supported (this dyadseq "
                "reads format version%s%d)", (long long)a.i[0],
                DS_FORMAT_VERSION > 1 ? "s 1 to " : " ", DS_FORMAT_VERSION);
    }
    ds_results_array_clear(&a);
    static const char *const strings[] = {"software_version",
                                          "command_line", "parameters"};
    for (size_t i = 0; i < N_OF(strings); i++) {
        char *s = NULL;
        if (!ds_results_attr_exists(c->f, "/", strings[i]))
            PROBLEM(c, "the root attribute %s is missing", strings[i]);
        else if (ds_results_attr_get_string(c->f, "/", strings[i], &s, &e))
            PROBLEM(c, "the root attribute %s is not one string",
                    strings[i]);
        if (s && i == 2)
            *params = s;
        else
            free(s);
    }
    size_t n[2] = {0, 0};
    static const char *const lists[] = {"input_files", "input_sha256"};
    for (size_t i = 0; i < 2; i++) {
        if (!ds_results_attr_exists(c->f, "/", lists[i]))
            PROBLEM(c, "the root attribute %s is missing", lists[i]);
        else if (ds_results_read_attr(c->f, "/", lists[i],
                                      DS_RESULTS_STRING, &a, &e) ||
                 a.shape.rank > 1)
            PROBLEM(c, "the root attribute %s is not a list of strings",
                    lists[i]);
        else
            n[i] = a.shape.n;
        ds_results_array_clear(&a);
    }
    if (n[0] != n[1])
        PROBLEM(c, "the root attributes input_files (%zu) and input_sha256 "
                "(%zu) differ in length", n[0], n[1]);
    if (!ds_results_attr_exists(c->f, "/", "seed") ||
        ds_results_read_attr(c->f, "/", "seed", DS_RESULTS_INT64, &a, &e) ||
        a.shape.n != 1)
        PROBLEM(c, "the root attribute seed is missing or not one integer");
    ds_results_array_clear(&a);
}

/* The datasets every results file has; couple, label and code define
 * S, K and C. */
enum {
    CORE_COUPLE, CORE_SESSION, CORE_N_EVENTS, CORE_DURATION,
    CORE_FIRST_ONSET, CORE_START, CORE_END, CORE_LABEL, CORE_CODE,
    CORE_ROLE, CORE_DESCRIPTION, N_CORE
};

static const item_t CORE[N_CORE] = {
    {"/sessions/couple", DS_RESULTS_STRING, SH_ROWS},
    {"/sessions/session", DS_RESULTS_STRING, SH_S},
    {"/sessions/n_events", DS_RESULTS_INT64, SH_S},
    {"/sessions/duration_s", DS_RESULTS_DOUBLE, SH_S},
    {"/sessions/first_onset_s", DS_RESULTS_DOUBLE, SH_S},
    {"/sessions/start_s", DS_RESULTS_DOUBLE, SH_S},
    {"/sessions/end_s", DS_RESULTS_DOUBLE, SH_S},
    {"/states/label", DS_RESULTS_STRING, SH_ROWS},
    {"/codebook/code", DS_RESULTS_STRING, SH_ROWS},
    {"/codebook/role", DS_RESULTS_STRING, SH_C},
    {"/codebook/description", DS_RESULTS_STRING, SH_C},
};

/* Distinct values of s[0..n), in *out (pointers into s). */
static int distinct(char **s, size_t n, char ***out, size_t *n_out)
{
    char **d = malloc((n ? n : 1) * sizeof *d);
    size_t k = 0;
    if (!d)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && strcmp(d[j], s[i]) != 0)
            j++;
        if (j == k)
            d[k++] = s[i];
    }
    *out = d;
    *n_out = k;
    return 0;
}

/* Whether the states are actor:code pairs of two actors or more, actor-
 * major (SPEC 4): the dyadic metrics are promised then. */
static int two_partners(char **label, size_t K, char **code, size_t C)
{
    if (C == 0 || K < 2 * C || K % C != 0)
        return 0;
    for (size_t k = 0; k < K; k++) {
        size_t ll = strlen(label[k]), cl = strlen(code[k % C]);
        if (ll < cl + 2 || label[k][ll - cl - 1] != ':' ||
            strcmp(label[k] + ll - cl, code[k % C]) != 0)
            return 0;
    }
    return 1;
}

static void check_core(check_t *c, ds_results_array_t *session)
{
    size_t rows[N_CORE] = {0};
    int ok[N_CORE];
    for (size_t i = 0; i < N_CORE; i++) {
        ok[i] = promised(c, CORE[i].name, &CORE[i], &rows[i]);
        /* the defining datasets set the sizes the others are held to */
        if (i == CORE_COUPLE)
            c->z.S = rows[i];
        else if (i == CORE_LABEL)
            c->z.K = rows[i];
        else if (i == CORE_CODE)
            c->z.C = rows[i];
    }
    ds_results_array_t onset = {0}, label = {0}, code = {0};
    ds_error_t e;
    if (ok[CORE_SESSION] &&
        ds_results_read(c->f, CORE[CORE_SESSION].name, DS_RESULTS_STRING,
                        session, &e) == 0 &&
        distinct(session->s, session->shape.n, &c->labels, &c->n_labels))
        c->fatal = ds_error_set(c->err, DS_ENOMEM, "out of memory");
    if (ok[CORE_FIRST_ONSET] &&
        ds_results_read(c->f, CORE[CORE_FIRST_ONSET].name,
                        DS_RESULTS_DOUBLE, &onset, &e) == 0)
        for (size_t i = 0; i < onset.shape.n && !c->z.has_time; i++)
            c->z.has_time = isfinite(onset.d[i]);
    if (ok[CORE_LABEL] && ok[CORE_CODE] &&
        ds_results_read(c->f, CORE[CORE_LABEL].name, DS_RESULTS_STRING,
                        &label, &e) == 0 &&
        ds_results_read(c->f, CORE[CORE_CODE].name, DS_RESULTS_STRING, &code,
                        &e) == 0)
        c->z.dyadic = two_partners(label.s, label.shape.n, code.s,
                                   code.shape.n);
    ds_results_array_clear(&onset);
    ds_results_array_clear(&label);
    ds_results_array_clear(&code);
}

/* ------------------------------------------------------------------ */
/* 3: what the command promises                                       */
/* ------------------------------------------------------------------ */

static const char *const CELL[] = {
    "counts", "expected", "transition_prob", "adjusted_residual",
    "p_value", "yules_q", "yules_q_se", "log_odds_ratio",
    "log_odds_ratio_se", "wampold_kappa", "wampold_z"};
static const char *const TABLEWISE[] = {"g2", "x2", "df", "g2_p"};

/* One lag table group: per session (cell SH_SKK, table SH_S) or pooled
 * (SH_KK, scalars, n_events and the structural zeros). */
static void check_lag_table(check_t *c, const char *dir, int pooled,
                            int perms)
{
    item_t it[N_OF(CELL) + N_OF(TABLEWISE) + 3];
    size_t n = 0;
    int cell = pooled ? SH_KK : SH_SKK, table = pooled ? SH_SCALAR : SH_S;
    for (size_t i = 0; i < N_OF(CELL); i++)
        it[n++] = (item_t){CELL[i], i == 0 ? DS_RESULTS_INT64
                                           : DS_RESULTS_DOUBLE, cell};
    if (perms)
        it[n++] = (item_t){"permutation_p", DS_RESULTS_DOUBLE, cell};
    for (size_t i = 0; i < N_OF(TABLEWISE); i++)
        it[n++] = (item_t){TABLEWISE[i], DS_RESULTS_DOUBLE, table};
    if (pooled) {
        it[n++] = (item_t){"n_events", DS_RESULTS_INT64, SH_SCALAR};
        it[n++] = (item_t){"structural_zero", DS_RESULTS_INT64, SH_KK};
    }
    promised_group(c, dir, it, n, "");
}

static void check_summary(check_t *c, const char *dir)
{
    static const item_t it[] = {{"yules_q", DS_RESULTS_DOUBLE, SH_KK},
                                {"adjusted_residual", DS_RESULTS_DOUBLE,
                                 SH_KK}};
    static const char *const part[] = {"_mean", "_sd", "_n", "_t", "_p"};
    for (size_t p = 0; p < N_OF(part); p++) {
        item_t x[2] = {it[0], it[1]};
        if (p == 2)
            x[0].type = x[1].type = DS_RESULTS_INT64;
        promised_group(c, dir, x, 2, part[p]);
    }
}

/* /lag/<k>: per session, pooled, per label, summaries. */
static void check_lag(check_t *c, long k, int perms)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", k);
    static const char *const part[] = {"session", "pooled",
                                       "couple_summary"};
    for (size_t p = 0; p < 3 && !c->fatal; p++) {
        char *dir = path_of(c, "/lag", num, part[p]);
        if (dir && p < 2)
            check_lag_table(c, dir, p == 1, perms);
        else if (dir)
            check_summary(c, dir);
        free(dir);
    }
    for (size_t l = 0; l < c->n_labels && !c->fatal; l++) {
        char *esc = ds_results_escape_name(c->labels[l]);
        char *lag = path_of(c, "/lag", num, "");
        char *a = esc && lag ? path_of(c, lag, "pooled_by_label", esc)
                             : NULL;
        char *b = esc && lag
                      ? path_of(c, lag, "couple_summary_by_label", esc)
                      : NULL;
        if (a && b) {
            check_lag_table(c, a, 1, perms);
            check_summary(c, b);
        } else if (!c->fatal) {
            c->fatal = ds_error_set(c->err, DS_ENOMEM, "out of memory");
        }
        free(esc);
        free(lag);
        free(a);
        free(b);
    }
}

/* The lags of the parameters ("lags": [1, 2]); each /lag/<k>. */
static void check_lags(check_t *c, const char *params)
{
    const char *v = params ? json_value(params, "lags") : NULL;
    int perms = json_number(params, "permutations") > 0;
    if (!v || *v != '[') {
        PROBLEM(c, "the parameters do not say which lags were computed");
        return;
    }
    for (const char *p = v + 1; *p && *p != ']' && !c->fatal;) {
        char *end;
        long k = strtol(p, &end, 10);
        if (end == p || k < 1 || k > 1000000) {
            PROBLEM(c, "the parameters' lags are not whole numbers");
            return;
        }
        check_lag(c, k, perms);
        for (p = end; *p == ',' || *p == ' '; p++)
            ;
    }
}

static const item_t WINDOW[] = {
    {"a", DS_RESULTS_INT64, 0}, {"b", DS_RESULTS_INT64, 0},
    {"c", DS_RESULTS_INT64, 0}, {"d", DS_RESULTS_INT64, 0},
    {"yules_q", DS_RESULTS_DOUBLE, 0},
    {"log_odds_ratio", DS_RESULTS_DOUBLE, 0},
    {"log_odds_ratio_se", DS_RESULTS_DOUBLE, 0},
    {"adjusted_residual", DS_RESULTS_DOUBLE, 0}};

static const item_t RESPONSIVENESS[] = {
    {"session_index", DS_RESULTS_INT64, SH_2S},
    {"bidder", DS_RESULTS_STRING, SH_2S},
    {"n_bids", DS_RESULTS_INT64, SH_2S},
    {"n_answered", DS_RESULTS_INT64, SH_2S},
    {"n_answered_late", DS_RESULTS_INT64, SH_2S},
    {"response_rate", DS_RESULTS_DOUBLE, SH_2S},
    {"latency_mean_s", DS_RESULTS_DOUBLE, SH_2S},
    {"latency_median_s", DS_RESULTS_DOUBLE, SH_2S},
    {"n_turned_away", DS_RESULTS_INT64, SH_2S},
    {"n_turned_against", DS_RESULTS_INT64, SH_2S},
    {"p_response_by_window", DS_RESULTS_DOUBLE, SH_2S}};

/* /responsiveness/pooled: both directions over all sessions, then over
 * each session label's */
static const item_t RESPONSIVENESS_POOLED[] = {
    {"scope", DS_RESULTS_STRING, SH_POOLED},
    {"label", DS_RESULTS_STRING, SH_POOLED},
    {"bidder", DS_RESULTS_STRING, SH_POOLED},
    {"n_bids", DS_RESULTS_INT64, SH_POOLED},
    {"median_time_to_response_s", DS_RESULTS_DOUBLE, SH_POOLED},
    {"p_response_by_window", DS_RESULTS_DOUBLE, SH_POOLED}};

static const item_t KM[] = {{"row", DS_RESULTS_INT64, SH_ROWS},
                            {"time_s", DS_RESULTS_DOUBLE, SH_ROWS},
                            {"survival", DS_RESULTS_DOUBLE, SH_ROWS},
                            {"n_at_risk", DS_RESULTS_INT64, SH_ROWS},
                            {"n_events", DS_RESULTS_INT64, SH_ROWS}};

static const item_t CYCLES[] = {
    {"session_index", DS_RESULTS_INT64, SH_S},
    {"n_cycles", DS_RESULTS_INT64, SH_S},
    {"events_in_cycles", DS_RESULTS_INT64, SH_S},
    {"longest_cycle", DS_RESULTS_INT64, SH_S},
    {"time_in_cycles_s", DS_RESULTS_DOUBLE, SH_S},
    {"share_time_in_cycles", DS_RESULTS_DOUBLE, SH_S},
    {"n_pursuer_a", DS_RESULTS_INT64, SH_S},
    {"n_pursuer_b", DS_RESULTS_INT64, SH_S},
    {"ended_by_soften", DS_RESULTS_INT64, SH_S},
    {"ended_by_bid", DS_RESULTS_INT64, SH_S},
    {"ended_other", DS_RESULTS_INT64, SH_S},
    {"ended_by_session_end", DS_RESULTS_INT64, SH_S}};

static const item_t CYCLE_RUNS[] = {
    {"session_index", DS_RESULTS_INT64, SH_ROWS},
    {"pursuer", DS_RESULTS_STRING, SH_ROWS},
    {"first_event", DS_RESULTS_INT64, SH_ROWS},
    {"n_events", DS_RESULTS_INT64, SH_ROWS},
    {"start_s", DS_RESULTS_DOUBLE, SH_ROWS},
    {"end_s", DS_RESULTS_DOUBLE, SH_ROWS},
    {"ending", DS_RESULTS_STRING, SH_ROWS}};

static const item_t SOFTENING[] = {
    {"session_index", DS_RESULTS_INT64, SH_2S},
    {"actor", DS_RESULTS_STRING, SH_2S},
    {"n_soften", DS_RESULTS_INT64, SH_2S},
    {"n_reciprocated", DS_RESULTS_INT64, SH_2S},
    {"rate_per_min", DS_RESULTS_DOUBLE, SH_2S},
    {"first_onset_s", DS_RESULTS_DOUBLE, SH_2S},
    {"share_reciprocated", DS_RESULTS_DOUBLE, SH_2S}};

static int present(const check_t *c, const char *path)
{
    return ds_results_catalog_find(c->cat, c->n_cat, path) != NULL;
}

/* analyze: lags; windows, responsiveness, cycles and softening where the
 * input and the options make them. */
static void check_analyze(check_t *c, const char *params)
{
    check_lags(c, params);
    int window = json_is(params, "window", "true") && c->z.has_time &&
                 json_is(params, "target", "\"onset\"");
    if (window || present(c, "/window")) {
        item_t w[N_OF(WINDOW)];
        for (int pooled = 0; pooled < 2; pooled++) {
            for (size_t i = 0; i < N_OF(WINDOW); i++) {
                w[i] = WINDOW[i];
                w[i].shape = pooled ? SH_KK : SH_SKK;
            }
            promised_group(c, pooled ? "/window/pooled" : "/window/session",
                           w, N_OF(w), "");
        }
        check_summary(c, "/window/couple_summary");
        for (size_t l = 0; l < c->n_labels && !c->fatal; l++) {
            char *esc = ds_results_escape_name(c->labels[l]);
            char *dir = esc ? path_of(c, "/window",
                                      "couple_summary_by_label", esc)
                            : NULL;
            if (dir)
                check_summary(c, dir);
            else if (!c->fatal)
                c->fatal = ds_error_set(c->err, DS_ENOMEM, "out of memory");
            free(esc);
            free(dir);
        }
    }
    if ((c->z.dyadic && c->z.has_time) ||
        present(c, "/responsiveness")) {
        promised_group(c, "/responsiveness", RESPONSIVENESS,
                       N_OF(RESPONSIVENESS), "");
        promised_group(c, "/responsiveness/km", KM, N_OF(KM), "");
        promised_group(c, "/responsiveness/pooled", RESPONSIVENESS_POOLED,
                       N_OF(RESPONSIVENESS_POOLED), "");
        promised_group(c, "/responsiveness/pooled/km", KM, N_OF(KM), "");
    }
    if (c->z.dyadic || present(c, "/cycles")) {
        promised_group(c, "/cycles", CYCLES, N_OF(CYCLES), "");
        promised_group(c, "/cycles/runs", CYCLE_RUNS, N_OF(CYCLE_RUNS), "");
    }
    if (c->z.dyadic ||
        present(c, "/softening"))
        promised_group(c, "/softening", SOFTENING, N_OF(SOFTENING), "");
}

static const item_t COMPARISON[] = {
    {"metric", DS_RESULTS_STRING, SH_ROWS},
    {"n_pairs", DS_RESULTS_INT64, SH_ROWS},
    {"mean_pre", DS_RESULTS_DOUBLE, SH_ROWS},
    {"sd_pre", DS_RESULTS_DOUBLE, SH_ROWS},
    {"mean_post", DS_RESULTS_DOUBLE, SH_ROWS},
    {"sd_post", DS_RESULTS_DOUBLE, SH_ROWS},
    {"mean_diff", DS_RESULTS_DOUBLE, SH_ROWS},
    {"ci_low", DS_RESULTS_DOUBLE, SH_ROWS},
    {"ci_high", DS_RESULTS_DOUBLE, SH_ROWS},
    {"t", DS_RESULTS_DOUBLE, SH_ROWS},
    {"df", DS_RESULTS_DOUBLE, SH_ROWS},
    {"p_t", DS_RESULTS_DOUBLE, SH_ROWS},
    {"wilcoxon_v", DS_RESULTS_DOUBLE, SH_ROWS},
    {"p_wilcoxon", DS_RESULTS_DOUBLE, SH_ROWS},
    {"d_z", DS_RESULTS_DOUBLE, SH_ROWS},
    {"d_av", DS_RESULTS_DOUBLE, SH_ROWS},
    {"hedges_g", DS_RESULTS_DOUBLE, SH_ROWS},
    {"q_bh", DS_RESULTS_DOUBLE, SH_ROWS},
    {"n_excluded", DS_RESULTS_INT64, SH_ROWS},
    {"sd_diff", DS_RESULTS_DOUBLE, SH_ROWS},
    {"wilcoxon_n", DS_RESULTS_INT64, SH_ROWS},
    {"wilcoxon_exact", DS_RESULTS_INT64, SH_ROWS},
    {"better", DS_RESULTS_STRING, SH_ROWS}};

static const item_t VALUES[] = {{"metric", DS_RESULTS_STRING, SH_ROWS},
                                {"couple", DS_RESULTS_STRING, SH_ROWS},
                                {"pre", DS_RESULTS_DOUBLE, SH_ROWS},
                                {"post", DS_RESULTS_DOUBLE, SH_ROWS},
                                {"used", DS_RESULTS_INT64, SH_ROWS}};

static const item_t EXCLUDED[] = {{"metric", DS_RESULTS_STRING, SH_ROWS},
                                  {"couple", DS_RESULTS_STRING, SH_ROWS},
                                  {"reason", DS_RESULTS_STRING, SH_ROWS}};

/* ------------------------------------------------------------------ */
/* 4: every dataset against its own axes                              */
/* ------------------------------------------------------------------ */

/* The length an axis name promises, or 0 for one that promises none. */
static size_t axis_len(const check_t *c, const char *name, size_t len)
{
    if (len == 7 && memcmp(name, "session", 7) == 0)
        return c->z.S;
    if ((len == 4 && memcmp(name, "from", 4) == 0) ||
        (len == 2 && memcmp(name, "to", 2) == 0) ||
        (len == 5 && memcmp(name, "state", 5) == 0))
        return c->z.K;
    if (len == 4 && memcmp(name, "code", 4) == 0)
        return c->z.C;
    if ((len == 5 && memcmp(name, "first", 5) == 0) ||
        (len == 6 && memcmp(name, "second", 6) == 0))
        return c->z.K + 1;
    return 0;
}

/* An index column: every value a row of a table of limit rows. */
static void check_index(check_t *c, const char *path, size_t limit)
{
    ds_results_array_t a = {0};
    ds_error_t e;
    if (ds_results_read(c->f, path, DS_RESULTS_INT64, &a, &e)) {
        PROBLEM(c, "%s cannot be read as indexes: %s", path, e.msg);
        return;
    }
    for (size_t i = 0; i < a.shape.n; i++)
        if (a.i[i] < 0 || (uint64_t)a.i[i] >= limit) {
            PROBLEM(c, "%s has the index %lld at row %zu, outside 0 to %zu",
                    path, (long long)a.i[i], i, limit ? limit - 1 : 0);
            break;
        }
    ds_results_array_clear(&a);
}

/* The length of the grandparent part of path, whose parent part is pl
 * long ("/a" of "/a/km/row"). */
static size_t parent_len2(const char *path, size_t pl)
{
    while (pl > 0 && path[pl - 1] != '/')
        pl--;
    return pl > 0 ? pl - 1 : 0;
}

/* One dataset: one axis name per axis, the named axes as long as the
 * file says. */
static void check_axes(check_t *c, const ds_results_entry_t *en)
{
    const ds_results_shape_t *sh = &en->shape;
    const char *p = sh->dimensions;
    size_t k = 0;
    while (sh->rank > 0) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (k < sh->rank) {
            size_t want = axis_len(c, p, len);
            if (want && sh->dims[k] != want)
                PROBLEM(c, "%s has %zu entries along its axis '%.*s', "
                        "expected %zu", en->path, sh->dims[k], (int)len, p,
                        want);
        }
        k++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (k != sh->rank)
        PROBLEM(c, "%s has %zu axes but its dimensions attribute names %zu "
                "('%s')", en->path, sh->rank, k, sh->dimensions);
}

/* Length of the parent part of path ("/a/b" of "/a/b/c"). */
static size_t parent_len(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? (size_t)(s - path) : 0;
}

/* Whether en is a 1-D column of a table group (axis "row", or "point"
 * for the curves). */
static int is_column(const ds_results_entry_t *en)
{
    return en->kind == DS_RESULTS_DATASET && en->shape.rank == 1 &&
           (strcmp(en->shape.dimensions, "row") == 0 ||
            strcmp(en->shape.dimensions, "point") == 0);
}

/* The row count of the table group dir (its first column), 0 if none. */
static size_t table_rows(const check_t *c, const char *dir, size_t len)
{
    for (size_t i = 0; i < c->n_cat; i++) {
        const ds_results_entry_t *en = &c->cat[i];
        if (is_column(en) && parent_len(en->path) == len &&
            strncmp(en->path, dir, len) == 0)
            return en->shape.dims[0];
    }
    return 0;
}

/* Every dataset: its axes; the columns of a table equally long; the
 * index columns within their tables (session_index of /sessions, a km
 * curve's row of the table above it). */
static void check_all(check_t *c)
{
    for (size_t i = 0; i < c->n_cat && !c->fatal; i++) {
        const ds_results_entry_t *en = &c->cat[i];
        if (en->kind == DS_RESULTS_OTHER_OBJECT)
            PROBLEM(c, "%s is neither a group nor a dataset", en->path);
        if (en->kind != DS_RESULTS_DATASET)
            continue;
        check_axes(c, en);
        size_t pl = parent_len(en->path);
        const char *name = en->path + pl + 1;
        if (is_column(en)) {
            size_t rows = table_rows(c, en->path, pl);
            if (en->shape.dims[0] != rows)
                PROBLEM(c, "%s has %zu rows, the other columns of %.*s %zu",
                        en->path, en->shape.dims[0], (int)pl, en->path,
                        rows);
        }
        if (strcmp(name, "session_index") == 0)
            check_index(c, en->path, c->z.S);
        else if (strcmp(name, "row") == 0 && pl >= 3 &&
                 strncmp(en->path + pl - 3, "/km", 3) == 0)
            check_index(c, en->path, table_rows(c, en->path,
                                                parent_len2(en->path, pl)));
    }
}

/* ------------------------------------------------------------------ */
/* The interface                                                      */
/* ------------------------------------------------------------------ */

int ds_results_check(ds_results_reader_t *f, ds_diag_t *diag,
                     ds_error_t *err)
{
    check_t c = {.f = f, .file = ds_results_file_name(f), .diag = diag,
                 .err = err};
    ds_results_array_t session = {0};
    char *params = NULL;
    size_t before = diag->n_errors;
    int rc = ds_results_catalog(f, &c.cat, &c.n_cat, err);
    if (rc)
        return rc;
    check_root(&c, &params);
    /* every file but power's holds the study it was made from */
    if (!json_is(params, "command", "\"power\""))
        check_core(&c, &session);
    if (!c.fatal && json_is(params, "command", "\"analyze\""))
        check_analyze(&c, params);
    if (!c.fatal && json_is(params, "command", "\"compare\"")) {
        promised_group(&c, "/comparison", COMPARISON, N_OF(COMPARISON), "");
        promised_group(&c, "/comparison/values", VALUES, N_OF(VALUES), "");
        promised_group(&c, "/comparison/excluded", EXCLUDED,
                       N_OF(EXCLUDED), "");
    }
    if (!c.fatal)
        check_all(&c);
    free(c.labels);
    ds_results_catalog_free(c.cat, c.n_cat);
    ds_results_array_clear(&session);
    free(params);
    if (!c.fatal)
        c.fatal = ds_results_reader_error(f, err);
    if (c.fatal)
        return c.fatal;
    if (diag->oom)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    size_t n = diag->n_errors - before;
    if (n == 0)
        return DS_OK;
    const char *first = diag->n_errors_kept > before
                            ? diag->errors[before]
                            : "";
    if (n == 1)
        return ds_error_set(err, DS_EDATA, "%s", first);
    return ds_error_set(err, DS_EDATA, "%s (and %zu more problem%s)", first,
                        n - 1, n == 2 ? "" : "s");
}
