/*
 * Unit tests of the layout (layout.h, layout_paths.h):
 *   - the paths with parameters are built as schemas/results.md says,
 *     labels escaped, at any length (no fixed buffer cuts them);
 *   - a small analysis written as analyze writes it (streamed in blocks)
 *     holds every dataset of schemas/results.md with its documented type,
 *     shape and axes, in the documented order, per-label groups for every
 *     label (one of them 1,200 bytes long), and the values the analysis
 *     computed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "dyadseq/analysis.h"
#include "fixture_study.h"
#include "layout.h"
#include "layout_paths.h"
#include "results.h"
#include "unit.h"

static void check_path(char *got, const char *want, const char *what)
{
    CHECK_STR(got, want, what);
    free(got);
}

static void test_paths(void)
{
    check_path(ds_layout_path_lag(2, DS_LAG_SESSION, DS_LAG_STAT(yules_q)),
               "/lag/2/session/yules_q", "per-session statistic");
    check_path(ds_layout_path_lag(1, NULL, NULL), "/lag/1", "a lag's group");
    check_path(ds_layout_path_lag(12, DS_LAG_POOLED, NULL), "/lag/12/pooled",
               "a pooled table");
    check_path(ds_layout_path_lag_label(1, DS_LAG_POOLED_BY_LABEL, "a/b%c",
                                        DS_LAG_STAT(g2)),
               "/lag/1/pooled_by_label/a%2Fb%25c/g2",
               "a label with / and % is percent-encoded");
    check_path(ds_layout_path_lag_label(3, DS_LAG_COUPLE_SUMMARY_BY_LABEL,
                                        "..", NULL),
               "/lag/3/couple_summary_by_label/%2E%2E", "'..' is encoded");
    check_path(ds_layout_path_lag_label(1, DS_LAG_POOLED_BY_LABEL, ".",
                                        NULL),
               "/lag/1/pooled_by_label/%2E", "'.' is encoded");
    check_path(ds_layout_path_summary("/lag/1/couple_summary",
                                      DS_LAG_STAT(yules_q), DS_SUMMARY_MEAN),
               "/lag/1/couple_summary/yules_q_mean", "a couple summary");
    check_path(ds_layout_path_join(DS_PATH_ROOT, "lag"), "/lag",
               "a member of the root");
    check_path(ds_layout_path_join(DS_PATH_CYCLES, DS_COL_N_CYCLES),
               DS_PATH_IN(DS_PATH_CYCLES, DS_COL_N_CYCLES),
               "join = DS_PATH_IN = /cycles/n_cycles");
    CHECK_STR(DS_PATH_IN(DS_PATH_CYCLES, DS_COL_N_CYCLES), "/cycles/n_cycles",
              "DS_PATH_IN");
    check_path(ds_layout_path_join(DS_PATH_WINDOW, NULL), "/window",
               "join with no name");
    /* a 5,000-byte label with every 10th byte a '/' (3 bytes encoded) */
    size_t n = 5000;
    char *label = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        label[i] = i % 10 == 9 ? '/' : (char)('a' + i % 26);
    label[n] = '\0';
    char *p = ds_layout_path_lag_label(1, DS_LAG_POOLED_BY_LABEL, label,
                                       DS_LAG_STAT(wampold_z));
    size_t want = strlen("/lag/1/pooled_by_label/") + n + 2 * (n / 10) +
                  strlen("/wampold_z");
    CHECK(p && strlen(p) == want, "a 5,000-byte label: the whole path");
    CHECK(p && strncmp(p + want - 10, "/wampold_z", 10) == 0 &&
              strncmp(p + 23, "abcdefghi%2Fklmnopqrs%2F", 24) == 0,
          "... escaped, and the statistic after it");
    free(p);
    free(label);
}

/* ---- a written analysis --------------------------------------------- */

typedef struct file {
    ds_results_reader_t *f;
    size_t bad_shape, bad_order, n_checked;
} file_t;

/* The dataset at path has type, rank, dims and `dimensions`. */
static void expect(file_t *x, const char *path, ds_results_type_t type,
                   size_t rank, const size_t *dims, const char *dimensions)
{
    ds_results_shape_t sh;
    ds_error_t err;
    x->n_checked++;
    int ok = ds_results_kind(x->f, path) == DS_RESULTS_DATASET &&
             ds_results_shape(x->f, path, &sh, &err) == 0 &&
             sh.type == type && sh.rank == rank &&
             strcmp(sh.dimensions, dimensions) == 0;
    for (size_t k = 0; ok && k < rank; k++)
        ok &= sh.dims[k] == dims[k];
    if (!ok) {
        x->bad_shape++;
        printf("# %s: not a %zu-axis dataset '%s'\n", path, rank,
               dimensions);
    }
}

static void expect_in(file_t *x, const char *group, const char *name,
                      ds_results_type_t type, size_t rank,
                      const size_t *dims, const char *dimensions)
{
    char *p = ds_layout_path_join(group, name);
    expect(x, p, type, rank, dims, dimensions);
    free(p);
}

/* The members of group are exactly names[0..n), in that order. */
static void expect_members(file_t *x, const char *group,
                           const char *const *names, size_t n)
{
    char **got = NULL;
    size_t n_got = 0;
    ds_error_t err;
    int ok = ds_results_list(x->f, group, &got, &n_got, &err) == 0 &&
             n_got == n;
    for (size_t i = 0; ok && i < n; i++)
        ok &= strcmp(got[i], names[i]) == 0;
    if (!ok) {
        x->bad_order++;
        printf("# %s: members not as documented (%zu of %zu)\n", group,
               n_got, n);
    }
    ds_results_names_free(got, n_got);
}

/* /lag/<k>: per-session, pooled and summaries, in order and shape. */
static void expect_lag(file_t *x, const ds_corpus_t *c, size_t lag,
                       int perm)
{
    size_t S = c->n_sessions, K = c->n_states;
    size_t d3[3] = {S, K, K}, d2[2] = {K, K}, d1[1] = {S};
    const char *names[32];
    size_t n = 0;
    char *g = ds_layout_path_lag(lag, DS_LAG_SESSION, NULL);
    names[n++] = DS_LAG_COUNTS;
    expect_in(x, g, DS_LAG_COUNTS, DS_RESULTS_INT64, 3, d3,
              DS_DIMS_SESSION_FROM_TO);
#define X_(name, type, description)                                          \
    names[n++] = #name;                                                      \
    expect_in(x, g, #name, DS_RESULTS_DOUBLE, 3, d3, DS_DIMS_SESSION_FROM_TO);
    DS_LAG_CELL_STATS(X_)
#undef X_
    if (perm) {
        names[n++] = DS_LAG_PERMUTATION_P;
        expect_in(x, g, DS_LAG_PERMUTATION_P, DS_RESULTS_DOUBLE, 3, d3,
                  DS_DIMS_SESSION_FROM_TO);
    }
#define X_(name, type, description)                                          \
    names[n++] = #name;                                                      \
    expect_in(x, g, #name, DS_RESULTS_DOUBLE, 1, d1, DS_DIM_SESSION);
    DS_LAG_TABLE_STATS(X_)
#undef X_
    expect_members(x, g, names, n);
    free(g);
    for (size_t lb = 0; lb <= c->n_labels; lb++) {
        char *t = lb ? ds_layout_path_lag_label(lag, DS_LAG_POOLED_BY_LABEL,
                                                c->labels[lb - 1], NULL)
                     : ds_layout_path_lag(lag, DS_LAG_POOLED, NULL);
        char *u = lb ? ds_layout_path_lag_label(
                           lag, DS_LAG_COUPLE_SUMMARY_BY_LABEL,
                           c->labels[lb - 1], NULL)
                     : ds_layout_path_lag(lag, DS_LAG_COUPLE_SUMMARY, NULL);
        expect_in(x, t, DS_LAG_COUNTS, DS_RESULTS_INT64, 2, d2,
                  DS_DIMS_FROM_TO);
#define X_(name, type, description)                                          \
    expect_in(x, t, #name, DS_RESULTS_DOUBLE, 2, d2, DS_DIMS_FROM_TO);
        DS_LAG_CELL_STATS(X_)
#undef X_
        expect_in(x, t, DS_LAG_STRUCTURAL_ZERO, DS_RESULTS_UINT8, 2, d2,
                  DS_DIMS_FROM_TO);
#define X_(name, type, description)                                          \
    expect_in(x, t, #name, DS_RESULTS_DOUBLE, 0, NULL, DS_DIM_SCALAR);
        DS_LAG_TABLE_STATS(X_)
#undef X_
        expect_in(x, t, DS_LAG_N_EVENTS, DS_RESULTS_INT64, 0, NULL,
                  DS_DIM_SCALAR);
        for (size_t k = 0; k < 2; k++) {
            const char *stat = k ? DS_LAG_STAT(adjusted_residual)
                                 : DS_LAG_STAT(yules_q);
#define X_(part, type, description)                                          \
    {                                                                        \
        char *p = ds_layout_path_summary(u, stat, #part);                    \
        expect(x, p,                                                         \
               _Generic((type)0, double: DS_RESULTS_DOUBLE,                  \
                        int64_t: DS_RESULTS_INT64),                          \
               2, d2, DS_DIMS_FROM_TO);                                      \
        free(p);                                                             \
    }
            DS_SUMMARY_PARTS(X_)
#undef X_
        }
        if (lb) { /* the label, exactly, beside its escaped group name */
            char *l1 = NULL, *l2 = NULL;
            ds_error_t err;
            int ok = ds_results_attr_get_string(x->f, t, DS_ATTR_LABEL, &l1,
                                                &err) == 0 &&
                     ds_results_attr_get_string(x->f, u, DS_ATTR_LABEL, &l2,
                                                &err) == 0 &&
                     strcmp(l1, c->labels[lb - 1]) == 0 &&
                     strcmp(l2, c->labels[lb - 1]) == 0;
            x->bad_shape += !ok;
            free(l1);
            free(l2);
        }
        free(t);
        free(u);
    }
}

/* The dyadic tables: their columns in SPEC 5 order, 1-D. */
static void expect_table(file_t *x, const char *group,
                         const char *const *cols, const char *types,
                         size_t n_cols, size_t rows, const char *dim)
{
    size_t d1[1] = {rows};
    for (size_t i = 0; i < n_cols; i++)
        expect_in(x, group, cols[i],
                  types[i] == 'i'   ? DS_RESULTS_INT64
                  : types[i] == 'd' ? DS_RESULTS_DOUBLE
                                    : DS_RESULTS_STRING,
                  1, d1, dim);
}

static void expect_dyadic(file_t *x, const ds_analysis_t *a)
{
    size_t S = a->S, P = 0, PP = 0, R = 2 * (1 + a->n_labels);
    for (size_t i = 0; i < 2 * S; i++)
        P += a->responsive[i].km.n;
    for (size_t i = 0; i < R; i++)
        PP += a->km_pooled[i].km.n;
    static const char *const resp[] = {
        DS_COL_SESSION_INDEX,   DS_COL_BIDDER,
        DS_COL_N_BIDS,          DS_COL_N_ANSWERED,
        DS_COL_N_ANSWERED_LATE, DS_COL_RESPONSE_RATE,
        DS_COL_LATENCY_MEAN_S,  DS_COL_LATENCY_MEDIAN_S,
        DS_COL_N_TURNED_AWAY,   DS_COL_N_TURNED_AGAINST,
        DS_COL_P_RESPONSE_BY_WINDOW};
    expect_table(x, DS_PATH_RESPONSIVENESS, resp, "isiiidddiid", 11, 2 * S,
                 DS_DIM_ROW);
    static const char *const km[] = {DS_COL_ROW, DS_COL_TIME_S,
                                     DS_COL_SURVIVAL, DS_COL_N_AT_RISK,
                                     DS_COL_N_EVENTS};
    expect_table(x, DS_PATH_RESPONSIVENESS_KM, km, "iddii", 5, P,
                 DS_DIM_POINT);
    expect_members(x, DS_PATH_RESPONSIVENESS_KM, km, 5);
    static const char *const pooled[] = {
        DS_COL_SCOPE, DS_COL_LABEL, DS_COL_BIDDER, DS_COL_N_BIDS,
        DS_COL_P_RESPONSE_BY_WINDOW, DS_COL_MEDIAN_TIME_TO_RESPONSE_S};
    expect_table(x, DS_PATH_RESPONSIVENESS_POOLED, pooled, "sssidd", 6, R,
                 DS_DIM_ROW);
    expect_table(x, DS_PATH_RESPONSIVENESS_POOLED_KM, km, "iddii", 5, PP,
                 DS_DIM_POINT);
    static const char *const cyc[] = {
        DS_COL_SESSION_INDEX,     DS_COL_N_CYCLES,
        DS_COL_EVENTS_IN_CYCLES,  DS_COL_LONGEST_CYCLE,
        DS_COL_TIME_IN_CYCLES_S,  DS_COL_SHARE_TIME_IN_CYCLES,
        DS_COL_N_PURSUER_A,       DS_COL_N_PURSUER_B,
        DS_COL_ENDED_BY_SOFTEN,   DS_COL_ENDED_BY_BID,
        DS_COL_ENDED_OTHER,       DS_COL_ENDED_BY_SESSION_END};
    expect_table(x, DS_PATH_CYCLES, cyc, "iiiiddiiiiii", 12, S,
                 DS_DIM_SESSION);
    size_t n_runs = 0;
    for (size_t s = 0; s < S; s++)
        n_runs += a->cycles[s].n_cycles;
    static const char *const runs[] = {
        DS_COL_SESSION_INDEX, DS_COL_PURSUER, DS_COL_FIRST_EVENT,
        DS_COL_N_EVENTS,      DS_COL_START_S, DS_COL_END_S,
        DS_COL_ENDING};
    expect_table(x, DS_PATH_CYCLES_RUNS, runs, "isiidds", 7, n_runs,
                 DS_DIM_ROW);
    expect_members(x, DS_PATH_CYCLES_RUNS, runs, 7);
    const char *cyc_members[13];
    memcpy(cyc_members, cyc, sizeof cyc);
    cyc_members[12] = "runs";
    expect_members(x, DS_PATH_CYCLES, cyc_members, 13);
    static const char *const soft[] = {
        DS_COL_SESSION_INDEX, DS_COL_ACTOR,          DS_COL_N_SOFTEN,
        DS_COL_N_RECIPROCATED, DS_COL_RATE_PER_MIN,  DS_COL_FIRST_ONSET_S,
        DS_COL_SHARE_RECIPROCATED};
    expect_table(x, DS_PATH_SOFTENING, soft, "isiiddd", 7, 2 * S,
                 DS_DIM_ROW);
    expect_members(x, DS_PATH_SOFTENING, soft, 7);
}

/* Read the column name of group whole, as type as, into v. */
static int column(file_t *x, const char *group, const char *name,
                  ds_results_type_t as, ds_results_array_t *v)
{
    ds_error_t err;
    char *p = ds_layout_path_join(group, name);
    int rc = ds_results_read(x->f, p, as, v, &err);
    free(p);
    return rc == 0;
}

/*
 * /cycles/runs against /cycles, both as written: per session, as many
 * rows as n_cycles, in session order; their events, pursuers, endings and
 * times add up to the session's row; each run lies within its session and
 * ends where the next one can begin at the earliest.
 */
static int runs_consistent(file_t *x, const ds_corpus_t *c)
{
    enum { SI, FE, NE, ST, EN, PU, EG, NC, EV, TI, PA, PB, ES, EB, EO, EE,
           N };
    static const char *const g[N] = {
        DS_PATH_CYCLES_RUNS, DS_PATH_CYCLES_RUNS, DS_PATH_CYCLES_RUNS,
        DS_PATH_CYCLES_RUNS, DS_PATH_CYCLES_RUNS, DS_PATH_CYCLES_RUNS,
        DS_PATH_CYCLES_RUNS, DS_PATH_CYCLES, DS_PATH_CYCLES, DS_PATH_CYCLES,
        DS_PATH_CYCLES, DS_PATH_CYCLES, DS_PATH_CYCLES, DS_PATH_CYCLES,
        DS_PATH_CYCLES, DS_PATH_CYCLES};
    static const char *const name[N] = {
        DS_COL_SESSION_INDEX,  DS_COL_FIRST_EVENT,
        DS_COL_N_EVENTS,       DS_COL_START_S,
        DS_COL_END_S,          DS_COL_PURSUER,
        DS_COL_ENDING,         DS_COL_N_CYCLES,
        DS_COL_EVENTS_IN_CYCLES, DS_COL_TIME_IN_CYCLES_S,
        DS_COL_N_PURSUER_A,    DS_COL_N_PURSUER_B,
        DS_COL_ENDED_BY_SOFTEN, DS_COL_ENDED_BY_BID,
        DS_COL_ENDED_OTHER,    DS_COL_ENDED_BY_SESSION_END};
    static const char type[N + 1] = "iiiddssiidiiiiii";
    ds_results_array_t v[N];
    memset(v, 0, sizeof v);
    int ok = 1;
    for (int i = 0; i < N; i++)
        ok &= column(x, g[i], name[i],
                     type[i] == 'i'   ? DS_RESULTS_INT64
                     : type[i] == 'd' ? DS_RESULTS_DOUBLE
                                      : DS_RESULTS_STRING,
                     &v[i]);
    size_t n = ok ? v[SI].shape.n : 0, j = 0;
    for (size_t s = 0; ok && s < c->n_sessions; s++) {
        int64_t k = 0, ev = 0, pa = 0, pb = 0, e[4] = {0};
        double t = 0, last_end = -INFINITY;
        int64_t next_first = 0;
        const ds_session_t *se = &c->sessions[s];
        for (; j < n && v[SI].i[j] == (int64_t)s; j++, k++) {
            int64_t f = v[FE].i[j], m = v[NE].i[j];
            ok &= f >= next_first && m >= 3 && (size_t)(f + m) <= se->n &&
                  v[ST].d[j] == se->onset[f] && v[ST].d[j] >= last_end &&
                  v[EN].d[j] == se->onset[(size_t)(f + m) < se->n
                                              ? (size_t)(f + m)
                                              : se->n - 1];
            next_first = f + m;
            last_end = v[EN].d[j];
            ev += m;
            t += v[EN].d[j] - v[ST].d[j];
            pa += strcmp(v[PU].s[j], "A") == 0;
            pb += strcmp(v[PU].s[j], "B") == 0;
            const char *end = v[EG].s[j];
            e[0] += strcmp(end, DS_VAL_ENDING_SOFTEN) == 0;
            e[1] += strcmp(end, DS_VAL_ENDING_BID) == 0;
            e[2] += strcmp(end, DS_VAL_ENDING_OTHER) == 0;
            e[3] += strcmp(end, DS_VAL_ENDING_SESSION_END) == 0;
        }
        ok &= k == v[NC].i[s] && ev == v[EV].i[s] && pa == v[PA].i[s] &&
              pb == v[PB].i[s] && e[0] == v[ES].i[s] && e[1] == v[EB].i[s] &&
              e[2] == v[EO].i[s] && e[3] == v[EE].i[s] &&
              fabs(t - v[TI].d[s]) <= 1e-9 * (1 + t);
    }
    ok &= j == n && n > 0;
    for (int i = 0; i < N; i++)
        ds_results_array_clear(&v[i]);
    return ok;
}

/* Values in the file: those of the analysis (a whole, one-block run). */
static int values_match(file_t *x, const ds_analysis_t *a)
{
    ds_results_array_t v = {0};
    ds_error_t err;
    size_t n = a->S * a->K * a->K;
    int ok = ds_results_read(x->f, "/lag/2/session/wampold_z",
                             DS_RESULTS_DOUBLE, &v, &err) == 0 &&
             v.shape.n == n &&
             memcmp(v.d, a->lag[1].wampold_z, n * sizeof(double)) == 0;
    ds_results_array_clear(&v);
    ok &= ds_results_read(x->f, "/lag/1/session/counts", DS_RESULTS_INT64,
                          &v, &err) == 0 &&
          memcmp(v.i, a->lag[0].counts, n * sizeof(int64_t)) == 0;
    ds_results_array_clear(&v);
    ok &= ds_results_read(x->f, DS_PATH_IN(DS_PATH_RESPONSIVENESS_KM,
                                           DS_COL_SURVIVAL),
                          DS_RESULTS_DOUBLE, &v, &err) == 0;
    size_t j = 0;
    for (size_t i = 0; ok && i < 2 * a->S; i++)
        for (size_t p = 0; p < a->responsive[i].km.n; p++)
            ok &= j < v.shape.n &&
                  v.d[j++] == a->responsive[i].km.survival[p];
    ok &= j == v.shape.n;
    ds_results_array_clear(&v);
    ok &= ds_results_read(x->f, DS_PATH_IN(DS_PATH_RESPONSIVENESS_POOLED,
                                           DS_COL_MEDIAN_TIME_TO_RESPONSE_S),
                          DS_RESULTS_DOUBLE, &v, &err) == 0;
    for (size_t k = 0; ok && k < 2 * (1 + a->n_labels); k++)
        ok &= memcmp(&v.d[k], &a->km_pooled[k].median_time_to_response_s,
                     sizeof(double)) == 0;
    ds_results_array_clear(&v);
    return ok;
}

/* Whether files a and b have the same bytes. */
static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int x = getc(fa), y = getc(fb);
        same = x == y;
        if (x == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* Write c's analysis as analyze does: corpus, stream, blocks, the
 * sessions sink (unless no_sink: then the stream's end writes its part),
 * end. */
static int write_study(const char *path, const ds_corpus_t *c,
                       ds_analysis_opts_t *o, int no_sink)
{
    ds_results_t *r = NULL;
    ds_layout_stream_t *ls = NULL;
    ds_analysis_t *a = NULL;
    ds_diag_t diag;
    ds_diag_init(&diag, 10);
    ds_error_t err = {0};
    ds_provenance_t prov = {.command_line = "test_layout",
                            .parameters_json = "{}",
                            .seed = o->seed};
    int rc = ds_results_create(path, &r, &err);
    if (!rc)
        rc = ds_layout_corpus(r, c, NULL, &prov, &err);
    if (!rc)
        rc = ds_layout_stream_begin(r, c, o, NULL, &ls, &err);
    if (!rc) {
        o->block_sink = ds_layout_stream_block;
        o->sessions_sink = no_sink ? NULL : ds_layout_stream_sessions;
        o->block_ctx = ls;
        o->block_rows = 3;
        rc = ds_analysis_run(c, o, &a, &diag, &err);
    }
    if (!rc)
        rc = ds_layout_stream_end(ls, a, &err);
    if (!rc) {
        rc = ds_results_commit(r, &err);
        r = NULL;
    }
    if (rc)
        printf("# writing: %s\n", err.msg);
    ds_layout_stream_free(ls);
    ds_results_abort(r);
    ds_analysis_free(a);
    ds_diag_clear(&diag);
    o->block_sink = NULL;
    o->sessions_sink = NULL;
    o->block_ctx = NULL;
    return rc;
}

static void test_written(void)
{
    ds_corpus_t *c = fx_study(5, 50, 21, FX_TIME | FX_DURATION);
    /* label 0 ("post") becomes 1,200 bytes with '/' and '%' in it (still
     * before "pre" in byte order) */
    size_t n = 1200;
    char *label = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        label[i] = i % 50 == 49 ? '/' : i % 50 == 48 ? '%' : 'a';
    label[n] = '\0';
    free(c->labels[0]);
    c->labels[0] = label;
    for (size_t s = 0; s < c->n_sessions; s++)
        if (c->sessions[s].label_index == 0) {
            free(c->sessions[s].label);
            c->sessions[s].label = fx_strdup(label);
        }
    static const size_t lags[] = {1, 2};
    ds_analysis_opts_t o;
    ds_analysis_opts_init(&o);
    o.lags = lags;
    o.n_lags = 2;
    o.window = 1;
    o.permutations = 9;
    o.threads = 2;
    char path[256];
    fx_tmpname(path, sizeof path, "layout");
    CHECK_INT(write_study(path, c, &o, 0), 0, "study written as analyze does");
    ds_diag_t diag;
    ds_diag_init(&diag, 10);
    ds_error_t err = {0};
    ds_analysis_t *a = NULL;
    CHECK_INT(ds_analysis_run(c, &o, &a, &diag, &err), 0,
              "the same analysis in one block");
    file_t x = {0};
    CHECK_INT(ds_results_open(path, &x.f, &err), 0, "the file opens");
    if (x.f && a) {
        size_t S = c->n_sessions, K = c->n_states;
        size_t d3[3] = {S, K, K}, d2[2] = {K, K}, d1[1] = {S};
        expect(&x, DS_PATH_STATES_LABEL, DS_RESULTS_STRING, 1, (size_t[]){K},
               DS_DIM_STATE);
        expect(&x, DS_PATH_SESSIONS_COUPLE, DS_RESULTS_STRING, 1, d1,
               DS_DIM_SESSION);
        expect(&x, DS_PATH_SESSIONS_N_EVENTS, DS_RESULTS_INT64, 1, d1,
               DS_DIM_SESSION);
        expect(&x, DS_PATH_SESSIONS_DURATION_S, DS_RESULTS_DOUBLE, 1, d1,
               DS_DIM_SESSION);
        for (size_t l = 1; l <= 2; l++)
            expect_lag(&x, c, l, 1);
        /* window: counts then statistics, per session and pooled */
        const char *wn[16];
        size_t nw = 0;
#define X_(name, type, description)                                          \
    wn[nw++] = #name;                                                        \
    expect_in(&x, DS_PATH_WINDOW_SESSION, #name,                             \
              _Generic((type)0, double: DS_RESULTS_DOUBLE,                   \
                       int64_t: DS_RESULTS_INT64),                           \
              3, d3, DS_DIMS_SESSION_FROM_TO);                               \
    expect_in(&x, DS_PATH_WINDOW_POOLED, #name,                              \
              _Generic((type)0, double: DS_RESULTS_DOUBLE,                   \
                       int64_t: DS_RESULTS_INT64),                           \
              2, d2, DS_DIMS_FROM_TO);
        DS_WINDOW_CELL_COUNTS(X_)
        DS_WINDOW_CELL_STATS(X_)
#undef X_
        expect_members(&x, DS_PATH_WINDOW_SESSION, wn, nw);
        CHECK(ds_results_attr_exists(x.f, DS_PATH_WINDOW, DS_ATTR_WINDOW_LO) &&
                  ds_results_attr_exists(x.f, DS_PATH_WINDOW,
                                         DS_ATTR_WINDOW_TARGET),
              "/window has its attributes");
        expect_dyadic(&x, a);
        CHECK(x.n_checked > 250, "the documented datasets were looked for");
        CHECK_INT(x.bad_shape, 0,
                  "every dataset present, documented type, shape, axes");
        CHECK_INT(x.bad_order, 0, "members in the documented order");
        CHECK(values_match(&x, a), "values are those the analysis computed");
        CHECK(runs_consistent(&x, c),
              "/cycles/runs: one row per cycle in session order, adding "
              "up to /cycles; starts and ends are the sessions' onsets");
        /* the test can fail: a wrong shape is reported */
        size_t before = x.bad_shape, wrong[1] = {S + 1};
        expect(&x, DS_PATH_SESSIONS_N_EVENTS, DS_RESULTS_INT64, 1, wrong,
               DS_DIM_SESSION);
        CHECK_INT(x.bad_shape, before + 1, "a wrong shape is caught");
    }
    ds_results_close(x.f);
    /* the sessions sink ran beside pooling at 2 threads; without it, and
     * at 1 thread, the stream's end writes the same parts in the same
     * order: the same bytes */
    char path1[256];
    fx_tmpname(path1, sizeof path1, "layout1");
    o.threads = 1;
    CHECK_INT(write_study(path1, c, &o, 1), 0,
              "study written without a sessions sink, one thread");
    CHECK(same_file(path, path1), "the same bytes as with the sink");
    remove(path1);
    ds_analysis_free(a);
    ds_diag_clear(&diag);
    remove(path);
    ds_corpus_free(c);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors are ours to report */
    test_paths();
    test_written();
    return UNIT_DONE();
}
