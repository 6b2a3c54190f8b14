/*
 * cmd_compare.c — `dyadseq compare --pre LABEL --post LABEL INPUT... -o
 * FILE.h5`: what changed from the pre to the post session of each couple,
 * for how many couples, and how reliably (SPEC 6).
 *
 * INPUT is either transcripts (analyzed here with analyze's defaults, lag
 * 1 only and no time windows) or one results file written by `analyze`
 * (recognised by the HDF5 signature), whose per-session statistics are
 * read instead of recomputed: both give the same /comparison. The metrics
 * and the pairing are compare.c, the statistics paired.c, the layout
 * layout.c; this file reads the input, writes the file and prints the
 * table.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "dyadseq/analysis.h"
#include "cli.h"
#include "dyadseq/compare.h"
#include "json.h"
#include "layout.h"
#include "results.h"
#include "sha256.h"
#include "text.h"

#define MAX_REPEAT 256     /* --transition and --reliability, each */
#define MAX_EXCLUDED 50    /* lines of left-out couples on standard output */

enum { OPT_PRE = DS_OPT_COMMAND, OPT_POST, OPT_TRANSITION, OPT_RELIABILITY };

static const struct option own_opts[] = {
    {"pre", required_argument, NULL, OPT_PRE},
    {"post", required_argument, NULL, OPT_POST},
    {"transition", required_argument, NULL, OPT_TRANSITION},
    {"reliability", required_argument, NULL, OPT_RELIABILITY},
    {NULL, 0, NULL, 0}};

typedef struct reliability {
    const char *arg;     /* as given */
    char *metric;
    double r;
    int better;          /* +1, -1, or 0: the metric's own */
} reliability_t;

typedef struct compare_args {
    const char *pre, *post;
    const char *transition[MAX_REPEAT];
    size_t n_transitions;
    reliability_t rel[MAX_REPEAT];
    size_t n_rel;
} compare_args_t;

static void own_help(FILE *fp)
{
    fprintf(fp,
        "  -o, --output FILE.h5  results file with /comparison (required)\n"
        "      --pre LABEL       session label before (required)\n"
        "      --post LABEL      session label after (required)\n"
        "      --transition FROM->TO\n"
        "                        a lag-1 transition whose Yule's Q and "
        "adjusted residual\n"
        "                        are compared (quote it for the shell, or "
        "write FROM:TO);\n"
        "                        repeatable [each partner's pursue->the "
        "other's withdraw,\n"
        "                        bid->response, soften->soften]\n"
        "      --reliability METRIC=R[:higher|:lower]\n"
        "                        Jacobson-Truax reliable change index per "
        "couple for a\n"
        "                        test-retest reliability 0 <= R < 1; "
        ":higher or :lower\n"
        "                        says which way is better (needed where the "
        "metric has\n"
        "                        no better side); repeatable [none]\n");
}

static void epilog(FILE *fp)
{
    fprintf(fp,
        "Metrics, per couple and session (X, Y: the partners of --actors; "
        "in brackets\n"
        "the better side, which --reliability counts as improvement):\n"
        "  yules_q[FROM->TO]           lag-1 Yule's Q of a transition "
        "[lower when TO\n"
        "                              pursues or withdraws; higher when it "
        "softens,\n"
        "                              bids or responds]\n"
        "  adjusted_residual[FROM->TO] its adjusted residual [as Yule's Q]\n"
        "  response_rate[X->Y]         share of X's bids Y answers within the "
        "response\n"
        "                              window (5 s; an analyze file's own) "
        "[higher]\n"
        "  latency_median_s[X->Y]      median latency of answered bids, s "
        "[lower]\n"
        "  cycles_per_10min            pursue-withdraw cycles per 10 minutes "
        "[lower]\n"
        "  share_time_in_cycles        share of the session in cycles "
        "[lower]\n"
        "  softening_rate_per_min[X]   X's soften events per minute "
        "[higher]\n"
        "  events_per_min              coded events per minute [neither]\n"
        "Per metric: n pairs, means and SDs, post - pre with its 95%% CI, "
        "paired t-test,\n"
        "Wilcoxon signed-rank test, d_z, d_av, Hedges' g_av, and BH q over "
        "the t-test p\n"
        "of all metrics. INPUT: transcripts (analyzed with analyze's "
        "defaults) or one\n"
        "results file of 'dyadseq analyze' (read, not recomputed). "
        "docs/compare.md\n"
        "explains the table.\n");
}

/* METRIC=R or METRIC=R:higher / :lower (the metric name may hold ':' and
 * '=' is not in any, so split at the last '='). */
static int parse_reliability(const char *arg, reliability_t *out)
{
    const char *eq = strrchr(arg, '=');
    if (!eq || eq == arg)
        return -1;
    char num[64];
    const char *colon = strchr(eq + 1, ':');
    size_t nl = colon ? (size_t)(colon - eq - 1) : strlen(eq + 1);
    if (nl == 0 || nl >= sizeof num)
        return -1;
    memcpy(num, eq + 1, nl);
    num[nl] = '\0';
    double r;
    if (ds_parse_double(num, &r) || !(r >= 0 && r < 1))
        return -1;
    out->better = 0;
    if (colon) {
        if (strcmp(colon + 1, "higher") == 0)
            out->better = DS_RCI_HIGHER_BETTER;
        else if (strcmp(colon + 1, "lower") == 0)
            out->better = DS_RCI_LOWER_BETTER;
        else
            return -1;
    }
    out->metric = malloc((size_t)(eq - arg) + 1);
    if (!out->metric)
        return -1;
    memcpy(out->metric, arg, (size_t)(eq - arg));
    out->metric[eq - arg] = '\0';
    out->r = r;
    out->arg = arg;
    return 0;
}

static int own_option(int opt, const char *arg, void *ctx)
{
    compare_args_t *a = ctx;
    switch (opt) {
    case OPT_PRE:
        a->pre = arg;
        return 1;
    case OPT_POST:
        a->post = arg;
        return 1;
    case OPT_TRANSITION:
        if (a->n_transitions == MAX_REPEAT)
            return ds_usage_error("compare", "at most %d --transition "
                                  "options", MAX_REPEAT), -1;
        a->transition[a->n_transitions++] = arg;
        return 1;
    case OPT_RELIABILITY:
        if (a->n_rel == MAX_REPEAT)
            return ds_usage_error("compare", "at most %d --reliability "
                                  "options", MAX_REPEAT), -1;
        if (parse_reliability(arg, &a->rel[a->n_rel]))
            return ds_usage_error("compare", "--reliability takes "
                                  "METRIC=R with 0 <= R < 1, optionally "
                                  "followed by :higher or :lower (e.g. "
                                  "'cycles_per_10min=0.8'), not '%s'",
                                  arg), -1;
        a->n_rel++;
        return 1;
    default:
        return 0;
    }
}

static const ds_cmd_spec_t spec = {
    .name = "compare",
    .about = "Pre/post comparison of couples: pairs each couple's sessions "
             "labelled --pre\n"
             "         and --post, computes per-couple metrics (lag-1 "
             "Yule's Q and adjusted\n"
             "         residuals, response rates and latencies, cycles, "
             "softening, events\n"
             "         per minute) and tests each change: paired t and "
             "Wilcoxon tests, effect\n"
             "         sizes, Benjamini-Hochberg q, reliable change. Prints "
             "a table and\n"
             "         writes /comparison (schemas/results.md).",
    .usage = "[options] --pre LABEL --post LABEL -o FILE.h5 INPUT...",
    .common = DS_COMMON_INPUT | DS_COMMON_OUTPUT | DS_COMMON_THREADS |
              DS_COMMON_PROGRESS,
    .own = own_opts,
    .own_help = own_help,
    .own_option = own_option,
    .min_args = 1,
    .epilog = epilog,
};

/* ---- input: a results file ---------------------------------------- */

/* Whether path is a regular file that starts with the HDF5 signature. */
static int is_hdf5(const char *path)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F',
                                         '\r', '\n', 0x1a, '\n'};
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    unsigned char b[8];
    int yes = fread(b, 1, 8, fp) == 8 && memcmp(b, sig, 8) == 0;
    fclose(fp);
    return yes;
}

static int sha256_file(const char *path, char hex[65], ds_error_t *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ds_error_set(err, DS_EIO, "%s: %s", path, strerror(errno));
    ds_sha256_t h;
    ds_sha256_init(&h);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        ds_sha256_update(&h, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return ds_error_set(err, DS_EIO, "%s: read error", path);
    ds_sha256_final_hex(&h, hex);
    return DS_OK;
}

/* Everything read from a results file; the arrays own the data that the
 * session table points into. */
typedef struct source {
    ds_results_reader_t *f;
    ds_results_array_t couple, label, n_events, duration, first_onset,
        states, code, role, counts, q, z, zero, n_bids, n_answered, rate,
        latency, n_cycles, share, n_soften, soften_rate;
    int *state_actor;
    ds_role_t *state_role, *code_role;
    char **actors;
    size_t n_actors;
    uint8_t *zero8;
    double response_window_s;
    int64_t cycle_min;
    char sha[65];
} source_t;

static void source_free(source_t *s)
{
    ds_results_array_t *a[] = {
        &s->couple, &s->label, &s->n_events, &s->duration, &s->first_onset,
        &s->states, &s->code, &s->role, &s->counts, &s->q, &s->z, &s->zero,
        &s->n_bids, &s->n_answered, &s->rate, &s->latency, &s->n_cycles,
        &s->share, &s->n_soften, &s->soften_rate};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        ds_results_array_free(a[i]);
    free(s->state_actor);
    free(s->state_role);
    free(s->code_role);
    if (s->actors)
        for (size_t i = 0; i < s->n_actors; i++)
            free(s->actors[i]);
    free(s->actors);
    free(s->zero8);
    if (s->f)
        ds_results_close(s->f);
}

/* Read path as `as`; its element count must be n (checked by the caller
 * through want). DS_EDATA naming the path otherwise. */
static int read_n(source_t *s, const char *path, ds_results_type_t as,
                  size_t want, ds_results_array_t *a, ds_error_t *err)
{
    if (ds_results_kind(s->f, path) != DS_RESULTS_DATASET)
        return ds_error_set(err, DS_EDATA, "%s: no %s; is it a file "
                            "written by 'dyadseq analyze'?",
                            ds_results_file_name(s->f), path);
    int rc = ds_results_read(s->f, path, as, a, err);
    if (rc)
        return rc;
    if (a->shape.n != want)
        return ds_error_set(err, DS_EDATA, "%s: %s has %zu values, "
                            "expected %zu", ds_results_file_name(s->f), path,
                            a->shape.n, want);
    return DS_OK;
}

static double attr_double(ds_results_reader_t *f, const char *obj,
                          const char *name, double dflt)
{
    ds_results_array_t a = {0};
    ds_error_t err;
    double v = dflt;
    if (ds_results_attr_exists(f, obj, name) &&
        ds_results_read_attr(f, obj, name, DS_RESULTS_DOUBLE, &a, &err) ==
            0 &&
        a.shape.n == 1)
        v = a.d[0];
    ds_results_array_free(&a);
    return v;
}

/*
 * The states of the file are actor:code pairs, actor-major, codes in
 * codebook order, or the codes alone (SPEC 4): recover the actors and
 * each state's actor and role from /states/label and /codebook.
 */
static int source_states(source_t *s, ds_error_t *err)
{
    size_t K = s->states.shape.n, C = s->code.shape.n;
    char **lab = s->states.s, **code = s->code.s;
    s->code_role = malloc((C ? C : 1) * sizeof *s->code_role);
    s->state_actor = malloc((K ? K : 1) * sizeof *s->state_actor);
    s->state_role = malloc((K ? K : 1) * sizeof *s->state_role);
    if (!s->code_role || !s->state_actor || !s->state_role)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    for (size_t j = 0; j < C; j++)
        if (ds_role_parse(s->role.s[j], &s->code_role[j]))
            return ds_error_set(err, DS_EDATA, "%s: /codebook/role has the "
                                "unknown role '%s'",
                                ds_results_file_name(s->f), s->role.s[j]);
    int plain = K == C && C > 0;
    for (size_t k = 0; plain && k < K; k++)
        plain = strcmp(lab[k], code[k]) == 0;
    if (plain) {
        for (size_t k = 0; k < K; k++) {
            s->state_actor[k] = -1;
            s->state_role[k] = s->code_role[k];
        }
        return DS_OK;
    }
    int ok = C > 0 && K % C == 0;
    size_t A = ok ? K / C : 0;
    s->actors = calloc(A ? A : 1, sizeof *s->actors);
    if (!s->actors)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    s->n_actors = A;
    for (size_t a = 0; ok && a < A; a++) {
        const char *l0 = lab[a * C];
        size_t n0 = strlen(l0), c0 = strlen(code[0]);
        ok = n0 > c0 + 1 && l0[n0 - c0 - 1] == ':';
        if (!ok)
            break;
        s->actors[a] = malloc(n0 - c0);
        if (!s->actors[a])
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        memcpy(s->actors[a], l0, n0 - c0 - 1);
        s->actors[a][n0 - c0 - 1] = '\0';
        size_t al = strlen(s->actors[a]);
        for (size_t j = 0; ok && j < C; j++) {
            const char *l = lab[a * C + j];
            ok = strncmp(l, s->actors[a], al) == 0 && l[al] == ':' &&
                 strcmp(l + al + 1, code[j]) == 0;
            s->state_actor[a * C + j] = (int)a;
            s->state_role[a * C + j] = s->code_role[j];
        }
    }
    if (!ok)
        return ds_error_set(err, DS_EDATA, "%s: /states/label is not the "
                            "actor:code states of /codebook/code in SPEC 4 "
                            "order", ds_results_file_name(s->f));
    return DS_OK;
}

static int load_results(const char *path, source_t *s,
                        ds_compare_sessions_t *v, ds_error_t *err)
{
    int rc;
    memset(v, 0, sizeof *v);
    if ((rc = ds_results_open(path, &s->f, err)))
        return rc;
    if ((rc = sha256_file(path, s->sha, err)))
        return rc;
#define TRY(call)                                                            \
    do {                                                                     \
        if ((rc = (call)))                                                   \
            return rc;                                                       \
    } while (0)
    ds_results_shape_t sh;
    if (ds_results_kind(s->f, "/sessions/couple") != DS_RESULTS_DATASET)
        return ds_error_set(err, DS_EDATA, "%s: no /sessions/couple; is it "
                            "a file written by 'dyadseq analyze'?", path);
    TRY(ds_results_shape(s->f, "/sessions/couple", &sh, err));
    size_t S = sh.n;
    TRY(read_n(s, "/sessions/couple", DS_RESULTS_STRING, S, &s->couple, err));
    TRY(read_n(s, "/sessions/session", DS_RESULTS_STRING, S, &s->label, err));
    TRY(read_n(s, "/sessions/n_events", DS_RESULTS_INT64, S, &s->n_events,
               err));
    TRY(read_n(s, "/sessions/duration_s", DS_RESULTS_DOUBLE, S, &s->duration,
               err));
    TRY(read_n(s, "/sessions/first_onset_s", DS_RESULTS_DOUBLE, S,
               &s->first_onset, err));
    TRY(ds_results_shape(s->f, "/states/label", &sh, err));
    size_t K = sh.n;
    TRY(read_n(s, "/states/label", DS_RESULTS_STRING, K, &s->states, err));
    TRY(ds_results_shape(s->f, "/codebook/code", &sh, err));
    TRY(read_n(s, "/codebook/code", DS_RESULTS_STRING, sh.n, &s->code, err));
    TRY(read_n(s, "/codebook/role", DS_RESULTS_STRING, sh.n, &s->role, err));
    TRY(source_states(s, err));
    if (ds_results_kind(s->f, "/lag") == DS_RESULTS_ABSENT &&
        ds_results_kind(s->f, "/comparison") == DS_RESULTS_GROUP)
        return ds_error_set(err, DS_EDATA, "%s was written by 'dyadseq "
                            "compare'; give the transcripts or the results "
                            "file of 'dyadseq analyze'", path);
    if (ds_results_kind(s->f, "/lag/1/session/yules_q") != DS_RESULTS_DATASET)
        return ds_error_set(err, DS_EDATA, "%s has no lag-1 tables "
                            "(/lag/1/session); analyze with lag 1 among "
                            "--lags", path);
    TRY(read_n(s, "/lag/1/session/counts", DS_RESULTS_INT64, S * K * K,
               &s->counts, err));
    TRY(read_n(s, "/lag/1/session/yules_q", DS_RESULTS_DOUBLE, S * K * K,
               &s->q, err));
    TRY(read_n(s, "/lag/1/session/adjusted_residual", DS_RESULTS_DOUBLE,
               S * K * K, &s->z, err));
    if (ds_results_kind(s->f, "/lag/1/pooled/structural_zero") ==
        DS_RESULTS_DATASET) {
        TRY(read_n(s, "/lag/1/pooled/structural_zero", DS_RESULTS_INT64,
                   K * K, &s->zero, err));
        if (!(s->zero8 = malloc(K ? K * K : 1)))
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        for (size_t i = 0; i < K * K; i++)
            s->zero8[i] = s->zero.i[i] != 0;
    }

    v->S = S;
    v->K = K;
    v->couple = (const char *const *)s->couple.s;
    v->label = (const char *const *)s->label.s;
    v->state_label = (const char *const *)s->states.s;
    v->state_actor = s->state_actor;
    v->state_role = s->state_role;
    v->n_actors = s->n_actors;
    v->actors = (const char *const *)s->actors;
    for (size_t i = 0; i < S && !v->has_time; i++)
        v->has_time = !isnan(s->first_onset.d[i]);
    v->n_events = s->n_events.i;
    v->duration_s = s->duration.d;
    v->counts = s->counts.i;
    v->yules_q = s->q.d;
    v->adjusted_residual = s->z.d;
    v->structural_zero = s->zero8;

    s->response_window_s = attr_double(s->f, "/responsiveness",
                                       "response_window_s",
                                       DS_RESPONSE_WINDOW_DEFAULT);
    v->response_window_s = s->response_window_s;
    if (ds_results_kind(s->f, "/responsiveness/n_bids") ==
        DS_RESULTS_DATASET) {
        TRY(read_n(s, "/responsiveness/n_bids", DS_RESULTS_INT64, 2 * S,
                   &s->n_bids, err));
        TRY(read_n(s, "/responsiveness/n_answered", DS_RESULTS_INT64, 2 * S,
                   &s->n_answered, err));
        TRY(read_n(s, "/responsiveness/response_rate", DS_RESULTS_DOUBLE,
                   2 * S, &s->rate, err));
        TRY(read_n(s, "/responsiveness/latency_median_s", DS_RESULTS_DOUBLE,
                   2 * S, &s->latency, err));
        v->n_bids = s->n_bids.i;
        v->n_answered = s->n_answered.i;
        v->response_rate = s->rate.d;
        v->latency_median_s = s->latency.d;
    } else {
        v->responsive_skipped = "the results file has no /responsiveness "
                                "(its input had no actor or time column)";
    }
    s->cycle_min = (int64_t)attr_double(s->f, "/cycles", "cycle_min",
                                        DS_CYCLE_MIN_DEFAULT);
    if (ds_results_kind(s->f, "/cycles/n_cycles") == DS_RESULTS_DATASET) {
        TRY(read_n(s, "/cycles/n_cycles", DS_RESULTS_INT64, S, &s->n_cycles,
                   err));
        TRY(read_n(s, "/cycles/share_time_in_cycles", DS_RESULTS_DOUBLE, S,
                   &s->share, err));
        TRY(read_n(s, "/softening/n_soften", DS_RESULTS_INT64, 2 * S,
                   &s->n_soften, err));
        TRY(read_n(s, "/softening/rate_per_min", DS_RESULTS_DOUBLE, 2 * S,
                   &s->soften_rate, err));
        v->n_cycles = s->n_cycles.i;
        v->share_time_in_cycles = s->share.d;
        v->n_soften = s->n_soften.i;
        v->softening_rate_per_min = s->soften_rate.d;
    } else {
        v->cycles_skipped = "the results file has no /cycles (its input "
                            "had no actor column)";
    }
#undef TRY
    return DS_OK;
}

/* ---- output -------------------------------------------------------- */

static char *parameters_json(const compare_args_t *a,
                             const ds_common_opts_t *o, const char *source,
                             const ds_compare_sessions_t *v,
                             const ds_transition_t *tr, size_t n_tr,
                             double conf_level, int64_t cycle_min)
{
    ds_json_t j;
    char **trs = calloc(n_tr ? n_tr : 1, sizeof *trs);
    const char *rels[MAX_REPEAT];
    if (!trs)
        return NULL;
    int oom = 0;
    for (size_t i = 0; i < n_tr && !oom; i++) {
        const char *f = v->state_label[tr[i].from];
        const char *t = v->state_label[tr[i].to];
        trs[i] = malloc(strlen(f) + strlen(t) + 3);
        if (!trs[i])
            oom = 1;
        else
            sprintf(trs[i], "%s->%s", f, t);
    }
    for (size_t i = 0; i < a->n_rel; i++)
        rels[i] = a->rel[i].arg;
    ds_json_begin(&j);
    ds_json_string(&j, "command", "compare");
    ds_json_string(&j, "pre", a->pre);
    ds_json_string(&j, "post", a->post);
    ds_json_string(&j, "input", source ? "results" : "transcripts");
    if (source) {
        ds_json_string(&j, "results_file", source);
    } else {
        ds_json_string(&j, "codebook", o->codebook ? o->codebook
                                                   : "built-in");
        ds_json_string(&j, "actors", o->actors);
        ds_json_bool(&j, "sort", o->sort);
        ds_json_bool(&j, "merge", o->merge);
        double one = 1;
        ds_json_numbers(&j, "lags", &one, 1);
        ds_json_string(&j, "structural_zeros", "none");
        ds_json_number(&j, "zero_correction", 0);
    }
    ds_json_strings(&j, "transitions", (const char *const *)trs, n_tr);
    ds_json_strings(&j, "reliability", rels, a->n_rel);
    ds_json_number(&j, "conf_level", conf_level);
    ds_json_number(&j, "response_window_s", v->response_window_s);
    ds_json_number(&j, "cycle_min", (double)cycle_min);
    char *s = ds_json_end(&j);
    for (size_t i = 0; i < n_tr; i++)
        free(trs[i]);
    free(trs);
    if (oom) {
        free(s);
        return NULL;
    }
    return s;
}

/* Root attributes, /states, /codebook and /sessions of a results-file
 * input: its provenance of the transcripts (input_files, input_sha256,
 * seed), which file was read (source_*), and compare's own command line
 * and parameters. */
static int layout_source(ds_results_t *r, source_t *s, const char *path,
                         const char *params, ds_error_t *err)
{
    ds_results_array_t files = {0}, sha = {0}, seed = {0};
    char *cmd = NULL, *sparams = NULL;
    int rc = DS_OK;
    ds_results_reader_t *f = s->f;
    if (ds_results_attr_exists(f, "/", "input_files"))
        rc = ds_results_read_attr(f, "/", "input_files", DS_RESULTS_STRING,
                                  &files, err);
    if (!rc && ds_results_attr_exists(f, "/", "input_sha256"))
        rc = ds_results_read_attr(f, "/", "input_sha256", DS_RESULTS_STRING,
                                  &sha, err);
    if (!rc && ds_results_attr_exists(f, "/", "seed"))
        rc = ds_results_read_attr(f, "/", "seed", DS_RESULTS_INT64, &seed,
                                  err);
    if (!rc && ds_results_attr_exists(f, "/", "command_line"))
        rc = ds_results_attr_get_string(f, "/", "command_line", &cmd, err);
    if (!rc && ds_results_attr_exists(f, "/", "parameters"))
        rc = ds_results_attr_get_string(f, "/", "parameters", &sparams, err);
    if (rc)
        goto done;
    size_t nf = files.shape.n < sha.shape.n ? files.shape.n : sha.shape.n;
    ds_results_provenance_t prov = {
        .command_line = ds_command_line,
        .parameters = params,
        .seed = seed.shape.n ? (unsigned long)seed.i[0] : 1,
        .n_inputs = nf,
        .input_files = (const char *const *)files.s,
        .input_sha256 = (const char *const *)sha.s};
    rc = ds_results_write_provenance(r, &prov, err);
    if (!rc)
        rc = ds_results_attr_string(r, "/", "source_file", path, err);
    if (!rc)
        rc = ds_results_attr_string(r, "/", "source_sha256", s->sha, err);
    if (!rc)
        rc = ds_results_attr_string(r, "/", "source_command_line",
                                    cmd ? cmd : "", err);
    if (!rc)
        rc = ds_results_attr_string(r, "/", "source_parameters",
                                    sparams ? sparams : "", err);
    static const char *const copy[] = {
        "/states/label",        "/codebook/code",     "/codebook/role",
        "/codebook/description", "/sessions/couple",  "/sessions/session",
        "/sessions/n_events",   "/sessions/duration_s",
        "/sessions/first_onset_s"};
    for (size_t i = 0; !rc && i < sizeof copy / sizeof copy[0]; i++)
        if (ds_results_kind(f, copy[i]) == DS_RESULTS_DATASET)
            rc = ds_layout_copy(r, f, copy[i], err);
done:
    ds_results_array_free(&files);
    ds_results_array_free(&sha);
    ds_results_array_free(&seed);
    free(cmd);
    free(sparams);
    return rc;
}

/* ---- the table on standard output ---------------------------------- */

/* Decimals that show x to about 3 significant digits (0 to 6). */
static int decimals(double x)
{
    x = fabs(x);
    if (!(x > 0) || !isfinite(x))
        return 2;
    int d = 2 - (int)floor(log10(x));
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

static void num(char *buf, size_t n, double x, int dec)
{
    if (isnan(x))
        snprintf(buf, n, "NA");
    else if (fabs(x) >= 1e6)
        snprintf(buf, n, "%.3g", x);
    else
        snprintf(buf, n, "%.*f", dec, x);
}

static void pval(char *buf, size_t n, double p)
{
    if (isnan(p))
        snprintf(buf, n, "NA");
    else if (p < 0.001)
        snprintf(buf, n, "<.001");
    else
        snprintf(buf, n, "%.3f", p);
}

static void print_table(const ds_compare_t *c)
{
    size_t w = strlen("metric");
    for (size_t i = 0; i < c->n_metrics; i++)
        if (strlen(c->metric[i].name) > w)
            w = strlen(c->metric[i].name);
    int pct = (int)lround(c->conf_level * 100);
    printf("Pre/post comparison: '%s' -> '%s', %zu couple%s with both "
           "sessions (%zu with either)\n",
           c->pre, c->post, c->n_both, c->n_both == 1 ? "" : "s",
           c->n_couples);
    printf("diff = %s - %s; p: paired t-test; p(W): Wilcoxon signed-rank; "
           "q: Benjamini-Hochberg\nover the t-test p of the %zu metrics; "
           "g: Hedges' g_av. docs/compare.md explains each column.\n\n",
           c->post, c->pre, c->n_metrics);
    char ci_head[32];
    snprintf(ci_head, sizeof ci_head, "diff [%d%% CI]", pct);
    printf("%-*s %4s  %-18s %-18s %-28s %7s %4s %6s %6s %6s %6s %6s\n",
           (int)w, "metric", "n", "pre mean (SD)", "post mean (SD)", ci_head,
           "t", "df", "p", "p(W)", "d_z", "g", "q");
    for (size_t i = 0; i < c->n_metrics; i++) {
        const ds_compare_metric_t *m = &c->metric[i];
        const ds_paired_result_t *s = &m->stat;
        char a[24], b[24], pre[48], post[48], d1[24], d2[24], d3[24],
            diff[80], t[24], df[16], p1[12], p2[12], dz[16], g[16], q[12];
        /* a mean and its SD to the same decimals, about 3 digits of the
         * larger */
        int dp = decimals(fmax(fabs(s->mean_pre), fabs(s->sd_pre)));
        int dq = decimals(fmax(fabs(s->mean_post), fabs(s->sd_post)));
        num(a, sizeof a, s->mean_pre, dp);
        num(b, sizeof b, s->sd_pre, dp);
        snprintf(pre, sizeof pre, "%s (%s)", a, b);
        num(a, sizeof a, s->mean_post, dq);
        num(b, sizeof b, s->sd_post, dq);
        snprintf(post, sizeof post, "%s (%s)", a, b);
        double big = fabs(s->mean_diff);
        if (fabs(s->ci_low) > big)
            big = fabs(s->ci_low);
        if (fabs(s->ci_high) > big)
            big = fabs(s->ci_high);
        int dd = decimals(big);
        num(d1, sizeof d1, s->mean_diff, dd);
        num(d2, sizeof d2, s->ci_low, dd);
        num(d3, sizeof d3, s->ci_high, dd);
        if (isnan(s->ci_low))
            snprintf(diff, sizeof diff, "%s", d1);
        else
            snprintf(diff, sizeof diff, "%s [%s, %s]", d1, d2, d3);
        num(t, sizeof t, s->t, 2);
        num(df, sizeof df, s->df, 0);
        pval(p1, sizeof p1, s->p_t);
        pval(p2, sizeof p2, s->p_wilcoxon);
        num(dz, sizeof dz, s->d_z, 2);
        num(g, sizeof g, s->hedges_g, 2);
        pval(q, sizeof q, m->q_bh);
        printf("%-*s %4zu  %-18s %-18s %-28s %7s %4s %6s %6s %6s %6s %6s\n",
               (int)w, m->name, s->n_pairs, pre, post, diff, t, df, p1, p2,
               dz, g, q);
    }

    /* left out: a couple missing a session once, other reasons per metric */
    size_t shown = 0, total = 0;
    for (size_t k = 0; k < c->n_couples; k++) {
        if (c->pre_session[k] < 0 || c->post_session[k] < 0) {
            total++;
            continue;
        }
        for (size_t i = 0; i < c->n_metrics; i++)
            total += c->metric[i].reason[k] != NULL;
    }
    if (total) {
        size_t cw = strlen("couple");
        for (size_t k = 0; k < c->n_couples; k++)
            if (strlen(c->couple[k]) > cw)
                cw = strlen(c->couple[k]);
        printf("\nLeft out (each from the metric named only; all in "
               "/comparison/excluded):\n");
        printf("  %-*s  %-*s  %s\n", (int)cw, "couple", (int)w, "metric",
               "reason");
        for (size_t k = 0; k < c->n_couples && shown < MAX_EXCLUDED; k++) {
            if (c->pre_session[k] < 0 || c->post_session[k] < 0) {
                printf("  %-*s  %-*s  %s\n", (int)cw, c->couple[k], (int)w,
                       "(every metric)", c->metric[0].reason[k]);
                shown++;
                continue;
            }
            for (size_t i = 0; i < c->n_metrics && shown < MAX_EXCLUDED; i++)
                if (c->metric[i].reason[k]) {
                    printf("  %-*s  %-*s  %s\n", (int)cw, c->couple[k],
                           (int)w, c->metric[i].name, c->metric[i].reason[k]);
                    shown++;
                }
        }
        if (shown < total)
            printf("  ... and %zu more (dyadseq export FILE "
                   "/comparison/excluded)\n", total - shown);
    }

    int any = 0;
    for (size_t i = 0; i < c->n_metrics; i++)
        any |= c->metric[i].has_rci;
    if (any) {
        printf("\nReliable change (Jacobson & Truax 1991): RCI = (post - pre) "
               "/ SE_diff,\nSE_diff = sqrt(2) * SD_pre * sqrt(1 - r); "
               "|RCI| > %.2f is a reliable change.\n",
               DS_RCI_CRITICAL);
        printf("%-*s %5s %8s %8s %6s %8s %9s %12s\n", (int)w, "metric", "r",
               "SD_pre", "SE_diff", "better", "improved", "unchanged",
               "deteriorated");
        for (size_t i = 0; i < c->n_metrics; i++) {
            const ds_compare_metric_t *m = &c->metric[i];
            if (!m->has_rci)
                continue;
            char sd[24], se[24];
            int d = decimals(m->stat.sd_pre);
            num(sd, sizeof sd, m->stat.sd_pre, d);
            num(se, sizeof se, m->se_diff, d);
            printf("%-*s %5.2f %8s %8s %6s %8zu %9zu %12zu\n", (int)w,
                   m->name, m->r, sd, se, ds_compare_better_name(m->better),
                   m->n_improved, m->n_unchanged, m->n_deteriorated);
        }
    }
}

/* ---- the command --------------------------------------------------- */

static int same_transition(const ds_transition_t *a, const ds_transition_t *b)
{
    return a->from == b->from && a->to == b->to;
}

int main_compare(int argc, char **argv)
{
    compare_args_t a = {0};
    ds_common_opts_t o;
    char **inputs;
    size_t n_inputs;
    int status = ds_cmd_parse(&spec, argc, argv, &o, &a, &inputs, &n_inputs);
    ds_corpus_t *c = NULL;
    ds_analysis_t *res = NULL;
    ds_compare_sessions_t v = {0};
    source_t src = {0};
    ds_transition_t *tr = NULL;
    ds_compare_t *cmp = NULL;
    ds_results_t *r = NULL;
    char *params = NULL;
    ds_error_t err = {0};
    const char *source = NULL;
    int rc;
    if (status >= 0)
        goto done;
    status = DS_EXIT_USAGE;
    if (!o.output) {
        ds_usage_error("compare", "give the results file with -o FILE.h5");
        goto done;
    }
    if (!a.pre || !a.post) {
        ds_usage_error("compare", "give the two session labels with --pre "
                       "LABEL and --post LABEL");
        goto done;
    }
    if (strcmp(a.pre, a.post) == 0) {
        ds_usage_error("compare", "--pre and --post are both '%s'; give "
                       "two different session labels", a.pre);
        goto done;
    }
    for (size_t i = 0; i < n_inputs; i++)
        if (is_hdf5(inputs[i])) {
            if (n_inputs > 1) {
                ds_usage_error("compare", "'%s' is an HDF5 file: give "
                               "either one results file of 'dyadseq "
                               "analyze' or transcripts, not both",
                               inputs[i]);
                goto done;
            }
            source = inputs[i];
        }
    if (source && (o.codebook || o.sort || o.merge ||
                   strcmp(o.actors, "A,B") != 0)) {
        ds_usage_error("compare", "--codebook, --actors, --sort and --merge "
                       "apply to transcripts; the results file '%s' was "
                       "analyzed with its own", source);
        goto done;
    }
    status = DS_EXIT_DATA;
    if (ds_cli_check_output(o.output, inputs, n_inputs))
        goto done;

    int64_t cycle_min = DS_CYCLE_MIN_DEFAULT;
    if (source) {
        rc = load_results(source, &src, &v, &err);
        cycle_min = src.cycle_min;
    } else {
        rc = ds_cli_load_corpus(&o, inputs, n_inputs, &c);
        if (rc) {
            status = rc;
            goto done;
        }
        /* analyze's defaults; lag 1 only, no time windows (not compared) */
        ds_analysis_opts_t ao;
        ds_analysis_opts_init(&ao);
        ao.window = 0;
        rc = ds_cli_run_analysis(&o, "compare", c, &ao, c->n_events, &res);
        if (rc) {
            status = rc;
            goto done;
        }
        rc = ds_compare_sessions_from_analysis(
            c, res, ao.responsive_opts.window_s, &v, &err);
    }
    if (rc) {
        ds_msg_error("%s", err.msg);
        goto done;
    }

    /* the transitions: as given, or the defaults */
    size_t n_tr = a.n_transitions;
    if (n_tr == 0)
        n_tr = ds_compare_default_transitions(&v, NULL, 0);
    tr = malloc((n_tr ? n_tr : 1) * sizeof *tr);
    if (!tr) {
        ds_msg_error("out of memory");
        goto done;
    }
    if (a.n_transitions == 0) {
        ds_compare_default_transitions(&v, tr, n_tr);
        /* a study codebook with several codes per role multiplies them,
         * and every metric more makes the BH q-values more conservative */
        if (n_tr > 6 && !o.quiet)
            ds_msg_warning("the codebook has several codes per role, so the "
                           "default compares %zu transitions (every pair of "
                           "codes with the roles); choose the ones that "
                           "matter with --transition", n_tr);
    } else {
        for (size_t i = 0; i < n_tr; i++) {
            if (ds_compare_parse_transition(&v, a.transition[i], &tr[i],
                                            &err)) {
                ds_usage_error("compare", "%s", err.msg);
                status = DS_EXIT_USAGE;
                goto done;
            }
            for (size_t k = 0; k < i; k++)
                if (same_transition(&tr[k], &tr[i])) {
                    ds_usage_error("compare", "--transition '%s' is given "
                                   "twice", a.transition[i]);
                    status = DS_EXIT_USAGE;
                    goto done;
                }
        }
    }

    rc = ds_compare_build(&v, a.pre, a.post, tr, n_tr, &cmp, &err);
    if (rc == DS_EUSAGE) {
        ds_usage_error("compare", "%s", err.msg);
        status = DS_EXIT_USAGE;
        goto done;
    } else if (rc) {
        ds_msg_error("%s", err.msg);
        goto done;
    }
    if (cmp->n_metrics == 0) {
        ds_msg_error("nothing to compare: no transitions (the codebook has "
                     "no pursue/withdraw, bid/response or soften codes; give "
                     "--transition) and no time-based metrics");
        goto done;
    }
    if (!o.quiet)
        for (size_t i = 0; i < cmp->n_notes; i++)
            ds_msg_warning("%s", cmp->notes[i]);
    ds_paired_opts_t po;
    ds_paired_opts_init(&po);
    if ((rc = ds_compare_test(cmp, &po, &err))) {
        ds_msg_error("%s", err.msg);
        goto done;
    }
    for (size_t i = 0; i < a.n_rel; i++) {
        const reliability_t *x = &a.rel[i];
        long m = ds_compare_find(cmp, x->metric);
        char ex[96];
        ds_excerpt(ex, x->metric, 80);
        if (m < 0) {
            const char **names = malloc(cmp->n_metrics * sizeof *names);
            const char *near = NULL;
            if (names) {
                for (size_t k = 0; k < cmp->n_metrics; k++)
                    names[k] = cmp->metric[k].name;
                near = ds_suggest(x->metric, names, cmp->n_metrics);
                free(names);
            }
            if (near)
                ds_usage_error("compare", "--reliability: no metric '%s' "
                               "(did you mean '%s'?)", ex, near);
            else
                ds_usage_error("compare", "--reliability: no metric '%s'; "
                               "the metrics are the rows of the table "
                               "('dyadseq compare --help')", ex);
            status = DS_EXIT_USAGE;
            goto done;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(a.rel[k].metric, x->metric) == 0) {
                ds_usage_error("compare", "--reliability: '%s' is given "
                               "twice", ex);
                status = DS_EXIT_USAGE;
                goto done;
            }
        int better = x->better ? x->better : cmp->metric[m].better;
        if (!better) {
            ds_usage_error("compare", "--reliability '%s': %s has no better "
                           "side; say which with '%s:higher' or "
                           "'%s:lower'", x->arg, ex, x->arg, x->arg);
            status = DS_EXIT_USAGE;
            goto done;
        }
        if ((rc = ds_compare_reliability(cmp, (size_t)m, x->r, better,
                                         &err))) {
            ds_msg_error("%s", err.msg);
            goto done;
        }
    }

    params = parameters_json(&a, &o, source, &v, tr, n_tr, po.conf_level,
                             cycle_min);
    if (!params) {
        ds_msg_error("out of memory");
        goto done;
    }
    rc = ds_results_create(o.output, &r, &err);
    if (!rc) {
        ds_results_set_threads(r, ds_common_threads(&o));
        if (source) {
            rc = layout_source(r, &src, source, params, &err);
        } else {
            ds_provenance_t prov = {.command_line = ds_command_line,
                                    .parameters_json = params,
                                    .seed = o.seed};
            rc = ds_layout_corpus(r, c, res, &prov, &err);
        }
    }
    if (!rc)
        rc = ds_layout_comparison(r, cmp, &err);
    if (!rc) {
        rc = ds_results_commit(r, &err);
        r = NULL;
    }
    if (rc) {
        ds_msg_error("%s", err.msg);
        goto done;
    }
    print_table(cmp);
    if (!o.quiet)
        printf("\nwrote %s: /comparison of %zu metrics over %zu couples\n",
               o.output, cmp->n_metrics, cmp->n_couples);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output");
        goto done;
    }
    status = DS_EXIT_OK;
done:
    ds_results_abort(r);
    free(params);
    ds_compare_free(cmp);
    free(tr);
    source_free(&src);
    ds_compare_sessions_clear(&v);
    ds_analysis_free(res);
    ds_corpus_free(c);
    for (size_t i = 0; i < a.n_rel; i++)
        free(a.rel[i].metric);
    return status;
}
