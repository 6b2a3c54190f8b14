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
#include "cli_ap.h"
#include "dyadseq/compare.h"
#include "json.h"
#include "layout.h"
#include "layout_paths.h"
#include "layout_read.h"
#include "results.h"
#include "text.h"

#define MAX_REPEAT 256     /* --transition and --reliability, each */
#define MAX_EXCLUDED 50    /* lines of left-out couples on standard output */

enum { OPT_PRE = DS_OPT_COMMAND, OPT_POST, OPT_TRANSITION, OPT_RELIABILITY,
       OPT_ACTOR_PARTNER, OPT_AP_DELTA, OPT_TIME_UNIT, OPT_TARGET };

static const struct option own_opts[] = {
    {"pre", required_argument, NULL, OPT_PRE},
    {"post", required_argument, NULL, OPT_POST},
    {"transition", required_argument, NULL, OPT_TRANSITION},
    {"reliability", required_argument, NULL, OPT_RELIABILITY},
    {"actor-partner", required_argument, NULL, OPT_ACTOR_PARTNER},
    {"ap-delta", required_argument, NULL, OPT_AP_DELTA},
    {"time-unit", required_argument, NULL, OPT_TIME_UNIT},
    {"target", required_argument, NULL, OPT_TARGET},
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
    ds_cli_ap_t ap;          /* --actor-partner, --ap-delta */
    double time_unit;        /* --time-unit, 0 when not given */
    int target_ongoing;      /* --target ongoing */
    int target_given;
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
        "  ap_COEF[Y~X]                a coefficient of an actor-partner "
        "model (intercept,\n"
        "                              partner, actor, interaction, "
        "partner_only), when\n"
        "                              computed [intercept, partner: lower "
        "when Y pursues\n"
        "                              or withdraws, higher when it softens, "
        "bids or\n"
        "                              responds; the others neither]\n"
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
    case OPT_ACTOR_PARTNER:
        return ds_cli_ap_add(&a->ap, "compare", arg);
    case OPT_AP_DELTA:
        return ds_cli_ap_set_delta(&a->ap, "compare", arg);
    case OPT_TIME_UNIT: {
        double v;
        if (ds_parse_double(arg, &v) || !(v > 0))
            return ds_usage_error("compare", "--time-unit takes seconds > 0, "
                                  "not '%s'", arg), -1;
        a->time_unit = v;
        return 1;
    }
    case OPT_TARGET:
        if (strcmp(arg, "onset") && strcmp(arg, "ongoing"))
            return ds_usage_error("compare", "--target is onset or ongoing, "
                                  "not '%s'", arg), -1;
        a->target_ongoing = strcmp(arg, "ongoing") == 0;
        a->target_given = 1;
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

/*
 * The per-session table of compare from an analyze file read by
 * layout_read: views into lr, which the caller keeps alive.
 */
static void sessions_view(const ds_layout_read_t *lr,
                          ds_compare_sessions_t *v)
{
    memset(v, 0, sizeof *v);
    v->S = lr->S;
    v->K = lr->K;
    v->couple = (const char *const *)lr->couple;
    v->label = (const char *const *)lr->session;
    v->state_label = (const char *const *)lr->state_label;
    v->state_actor = lr->state_actor;
    v->state_role = lr->state_role;
    v->n_actors = lr->n_actors;
    v->actors = (const char *const *)lr->actors;
    v->has_time = lr->has_time;
    v->n_events = lr->n_events;
    v->duration_s = lr->duration_s;
    v->counts = lr->counts;
    v->yules_q = lr->yules_q;
    v->adjusted_residual = lr->adjusted_residual;
    v->structural_zero = lr->structural_zero;
    v->response_window_s = lr->response_window_s;
    v->n_bids = lr->n_bids;
    v->n_answered = lr->n_answered;
    v->response_rate = lr->response_rate;
    v->latency_median_s = lr->latency_median_s;
    if (!lr->n_bids)
        v->responsive_skipped = "the results file has no /responsiveness "
                                "(its input had no actor or time column)";
    v->n_cycles = lr->n_cycles;
    v->share_time_in_cycles = lr->share_time_in_cycles;
    v->n_soften = lr->n_soften;
    v->softening_rate_per_min = lr->softening_rate_per_min;
    if (!lr->n_cycles)
        v->cycles_skipped = "the results file has no /cycles (its input "
                            "had no actor column)";
    v->n_ap = lr->n_ap;
    v->ap_model = (const char *const *)lr->ap_model;
    v->ap_y_role = lr->ap_y_role;
    v->ap_coef = (const double *const *)lr->ap_coef;
    v->ap_counts = (const int64_t *const *)lr->ap_counts;
    v->ap_delta = lr->ap_delta;
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
    if (a->ap.n_spec) { /* only then, so that other files are unchanged */
        ds_json_strings(&j, "actor_partner", a->ap.spec, a->ap.n_spec);
        ds_json_number(&j, "ap_delta", a->ap.delta);
        ds_json_number(&j, "time_unit_s", a->time_unit > 0 ? a->time_unit
                                                           : 1);
        ds_json_string(&j, "target", a->target_ongoing ? "ongoing"
                                                       : "onset");
    }
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
static int layout_source(ds_results_t *r, const ds_layout_read_t *lr,
                         const char *command_line, const char *params,
                         ds_error_t *err)
{
    ds_results_provenance_t prov = {
        .command_line = command_line,
        .parameters = params,
        .seed = (unsigned long)lr->seed,
        .n_inputs = lr->n_inputs,
        .input_files = (const char *const *)lr->input_files,
        .input_sha256 = (const char *const *)lr->input_sha256};
    int rc = ds_results_write_provenance(r, &prov, err);
    if (!rc)
        rc = ds_results_attr_string(r, DS_PATH_ROOT, DS_ATTR_SOURCE_FILE,
                                    lr->file, err);
    if (!rc)
        rc = ds_results_attr_string(r, DS_PATH_ROOT, DS_ATTR_SOURCE_SHA256,
                                    lr->sha256, err);
    if (!rc)
        rc = ds_results_attr_string(r, DS_PATH_ROOT,
                                    DS_ATTR_SOURCE_COMMAND_LINE,
                                    lr->command_line, err);
    if (!rc)
        rc = ds_results_attr_string(r, DS_PATH_ROOT,
                                    DS_ATTR_SOURCE_PARAMETERS,
                                    lr->parameters, err);
    static const char *const copy[] = {
        DS_PATH_STATES_LABEL,        DS_PATH_CODEBOOK_CODE,
        DS_PATH_CODEBOOK_ROLE,       DS_PATH_CODEBOOK_DESCRIPTION,
        DS_PATH_SESSIONS_COUPLE,     DS_PATH_SESSIONS_SESSION,
        DS_PATH_SESSIONS_N_EVENTS,   DS_PATH_SESSIONS_DURATION_S,
        DS_PATH_SESSIONS_FIRST_ONSET_S, DS_PATH_SESSIONS_START_S,
        DS_PATH_SESSIONS_END_S};
    for (size_t i = 0; !rc && i < sizeof copy / sizeof copy[0]; i++)
        if (ds_results_kind(lr->f, copy[i]) == DS_RESULTS_DATASET)
            rc = ds_layout_copy(r, lr->f, copy[i], err);
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

/* The header and one row per metric; w: width of the metric column. */
static void print_metrics(const ds_compare_t *c, size_t w)
{
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
}

/* The couples left out, overall or per metric (at most MAX_EXCLUDED
 * lines). */
static void print_left_out(const ds_compare_t *c, size_t w)
{
    /* a couple missing a session once, other reasons per metric */
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
}

/* The reliable change table, when --reliability asked for one. */
static void print_rci(const ds_compare_t *c, size_t w)
{
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

static void print_table(const ds_compare_t *c)
{
    size_t w = strlen("metric");
    for (size_t i = 0; i < c->n_metrics; i++)
        if (strlen(c->metric[i].name) > w)
            w = strlen(c->metric[i].name);
    print_metrics(c, w);
    print_left_out(c, w);
    print_rci(c, w);
}

/* ---- the command --------------------------------------------------- */

/* One run of compare: the options, the input, what was computed. */
typedef struct compare_run {
    compare_args_t a;
    ds_common_opts_t o;
    char **inputs;
    size_t n_inputs;
    const char *source;       /* the results file given as input, or NULL */
    ds_layout_read_t lr;      /* read from source */
    ds_corpus_t *c;           /* or read from the transcripts, */
    ds_analysis_t *res;       /* and analyzed */
    ds_compare_sessions_t v;
    int64_t cycle_min;
    ds_transition_t *tr;
    size_t n_tr;
    ds_compare_t *cmp;
    ds_paired_opts_t po;
    ds_ap_model_t *ap;        /* --actor-partner models of the transcripts */
    size_t n_ap;
    ds_error_t err;
} compare_run_t;

static int same_transition(const ds_transition_t *a, const ds_transition_t *b)
{
    return a->from == b->from && a->to == b->to;
}

/* The options that need no input: 0, or the exit status of a usage
 * error. Finds the results file among the inputs (run->source). */
static int check_args(compare_run_t *run)
{
    const compare_args_t *a = &run->a;
    const ds_common_opts_t *o = &run->o;
    if (!o->output)
        return ds_usage_error("compare", "give the results file with -o "
                              "FILE.h5");
    if (!a->pre || !a->post)
        return ds_usage_error("compare", "give the two session labels with "
                              "--pre LABEL and --post LABEL");
    if (strcmp(a->pre, a->post) == 0)
        return ds_usage_error("compare", "--pre and --post are both '%s'; "
                              "give two different session labels", a->pre);
    for (size_t i = 0; i < run->n_inputs; i++)
        if (is_hdf5(run->inputs[i])) {
            if (run->n_inputs > 1)
                return ds_usage_error("compare", "'%s' is an HDF5 file: "
                                      "give either one results file of "
                                      "'dyadseq analyze' or transcripts, "
                                      "not both", run->inputs[i]);
            run->source = run->inputs[i];
        }
    if (run->source && (o->codebook || o->sort || o->merge ||
                        strcmp(o->actors, "A,B") != 0))
        return ds_usage_error("compare", "--codebook, --actors, --sort and "
                              "--merge apply to transcripts; the results "
                              "file '%s' was analyzed with its own",
                              run->source);
    if (run->source && (a->ap.n_spec || a->ap.delta_given || a->time_unit ||
                        a->target_given))
        return ds_usage_error("compare", "--actor-partner, --ap-delta, "
                              "--time-unit and --target apply to "
                              "transcripts; the results file '%s' has the "
                              "actor-partner models it was analyzed with",
                              run->source);
    return DS_EXIT_OK;
}

/* The actor-partner models of the transcripts into ao; 0 or an exit
 * status. Asked for but not computable (no time column): a warning. */
static int ap_options(compare_run_t *run, ds_analysis_opts_t *ao)
{
    const compare_args_t *a = &run->a;
    int rc = ds_cli_ap_models(&a->ap, "compare", run->c, &run->ap,
                              &run->n_ap);
    if (rc)
        return rc;
    ao->ap_models = run->ap;
    ao->n_ap_models = run->n_ap;
    ao->ap_opts.delta = a->ap.delta;
    ao->ap_opts.unit_s = a->time_unit > 0 ? a->time_unit : 1;
    ao->ap_opts.target_ongoing = a->target_ongoing;
    const char *why = ds_analysis_ap_skipped(run->c, ao);
    if (run->n_ap && why && !run->o.quiet)
        ds_msg_warning("actor-partner effects not compared: %s", why);
    return DS_EXIT_OK;
}

/* The per-session table run->v: read from the results file, or computed
 * from the transcripts. 0 or an exit status (the error printed). */
static int load_input(compare_run_t *run)
{
    int rc;
    run->cycle_min = DS_CYCLE_MIN_DEFAULT;
    if (run->source) {
        rc = ds_layout_read(run->source, DS_LAYOUT_NEED_LAG1, &run->lr,
                            &run->err);
        if (rc == DS_OK) {
            sessions_view(&run->lr, &run->v);
            run->cycle_min = run->lr.cycle_min;
        }
    } else {
        rc = ds_cli_load_corpus(&run->o, run->inputs, run->n_inputs,
                                &run->c);
        if (rc)
            return rc;
        /* analyze's defaults; lag 1 only, no time windows (not compared) */
        ds_analysis_opts_t ao;
        ds_analysis_opts_init(&ao);
        ao.window = 0;
        if ((rc = ap_options(run, &ao)))
            return rc;
        rc = ds_cli_run_analysis(&run->o, "compare", run->c, &ao,
                                 run->c->n_events, &run->res);
        if (rc)
            return rc;
        rc = ds_compare_sessions_from_analysis(
            run->c, run->res, ao.responsive_opts.window_s, &run->v,
            &run->err);
        run->v.ap_delta = ao.ap_opts.delta;
    }
    if (rc) {
        ds_msg_error("%s", run->err.msg);
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}

/* The transitions compared: as given with --transition, or the defaults.
 * 0 or an exit status. */
static int pick_transitions(compare_run_t *run)
{
    const compare_args_t *a = &run->a;
    size_t n_tr = a->n_transitions;
    if (n_tr == 0)
        n_tr = ds_compare_default_transitions(&run->v, NULL, 0);
    if (!(run->tr = malloc((n_tr ? n_tr : 1) * sizeof *run->tr))) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    run->n_tr = n_tr;
    if (a->n_transitions == 0) {
        ds_compare_default_transitions(&run->v, run->tr, n_tr);
        /* a study codebook with several codes per role multiplies them,
         * and every metric more makes the BH q-values more conservative */
        if (n_tr > 6 && !run->o.quiet)
            ds_msg_warning("the codebook has several codes per role, so the "
                           "default compares %zu transitions (every pair of "
                           "codes with the roles); choose the ones that "
                           "matter with --transition", n_tr);
        return DS_EXIT_OK;
    }
    for (size_t i = 0; i < n_tr; i++) {
        if (ds_compare_parse_transition(&run->v, a->transition[i],
                                        &run->tr[i], &run->err))
            return ds_usage_error("compare", "%s", run->err.msg);
        for (size_t k = 0; k < i; k++)
            if (same_transition(&run->tr[k], &run->tr[i]))
                return ds_usage_error("compare", "--transition '%s' is "
                                      "given twice", a->transition[i]);
    }
    return DS_EXIT_OK;
}

/* Pair the couples and test every metric. 0 or an exit status. */
static int build_and_test(compare_run_t *run)
{
    int rc = ds_compare_build(&run->v, run->a.pre, run->a.post, run->tr,
                              run->n_tr, &run->cmp, &run->err);
    if (rc == DS_EUSAGE)
        return ds_usage_error("compare", "%s", run->err.msg);
    if (rc) {
        ds_msg_error("%s", run->err.msg);
        return DS_EXIT_DATA;
    }
    if (run->cmp->n_metrics == 0) {
        ds_msg_error("nothing to compare: no transitions (the codebook has "
                     "no pursue/withdraw, bid/response or soften codes; give "
                     "--transition) and no time-based metrics");
        return DS_EXIT_DATA;
    }
    if (!run->o.quiet)
        for (size_t i = 0; i < run->cmp->n_notes; i++)
            ds_msg_warning("%s", run->cmp->notes[i]);
    ds_paired_opts_init(&run->po);
    if (ds_compare_test(run->cmp, &run->po, &run->err)) {
        ds_msg_error("%s", run->err.msg);
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}

/* A --reliability naming no metric: the usage error, with a suggestion. */
static void no_such_metric(const ds_compare_t *cmp, const char *metric,
                           const char *shown)
{
    const char **names = malloc(cmp->n_metrics * sizeof *names);
    const char *near = NULL;
    if (names) {
        for (size_t k = 0; k < cmp->n_metrics; k++)
            names[k] = cmp->metric[k].name;
        near = ds_suggest(metric, names, cmp->n_metrics);
        free(names);
    }
    if (near)
        ds_usage_error("compare", "--reliability: no metric '%s' (did you "
                       "mean '%s'?)", shown, near);
    else
        ds_usage_error("compare", "--reliability: no metric '%s'; the "
                       "metrics are the rows of the table ('dyadseq "
                       "compare --help')", shown);
}

/* The reliable change index of every --reliability. 0 or an exit
 * status. */
static int apply_reliability(compare_run_t *run)
{
    const compare_args_t *a = &run->a;
    ds_compare_t *cmp = run->cmp;
    for (size_t i = 0; i < a->n_rel; i++) {
        const reliability_t *x = &a->rel[i];
        long m = ds_compare_find(cmp, x->metric);
        char ex[96];
        ds_excerpt(ex, x->metric, 80);
        if (m < 0) {
            no_such_metric(cmp, x->metric, ex);
            return DS_EXIT_USAGE;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(a->rel[k].metric, x->metric) == 0)
                return ds_usage_error("compare", "--reliability: '%s' is "
                                      "given twice", ex);
        int better = x->better ? x->better : cmp->metric[m].better;
        if (!better)
            return ds_usage_error("compare", "--reliability '%s': %s has no "
                                  "better side; say which with '%s:higher' "
                                  "or '%s:lower'", x->arg, ex, x->arg,
                                  x->arg);
        if (ds_compare_reliability(cmp, (size_t)m, x->r, better,
                                   &run->err)) {
            ds_msg_error("%s", run->err.msg);
            return DS_EXIT_DATA;
        }
    }
    return DS_EXIT_OK;
}

/* The results file: the input's tables and /comparison, complete under
 * its temporary name in *out (ds_results_finish). 0 or an exit status. */
static int write_output(compare_run_t *run, ds_results_t **out)
{
    ds_results_t *r = NULL;
    ds_error_t *err = &run->err;
    char *params = parameters_json(&run->a, &run->o, run->source, &run->v,
                                   run->tr, run->n_tr, run->po.conf_level,
                                   run->cycle_min);
    if (!params) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    int rc = ds_results_create(run->o.output, &r, err);
    if (!rc) {
        ds_results_set_threads(r, ds_common_threads(&run->o));
        if (run->source) {
            rc = layout_source(r, &run->lr, run->o.inv->command_line, params, err);
        } else {
            ds_provenance_t prov = {.command_line = run->o.inv->command_line,
                                    .parameters_json = params,
                                    .seed = run->o.seed};
            rc = ds_layout_corpus(r, run->c, run->res, &prov, err);
        }
    }
    if (!rc)
        rc = ds_layout_comparison(r, run->cmp, err);
    if (!rc)
        rc = ds_results_finish(r, err);
    free(params);
    if (rc) {
        ds_results_abort(r);
        ds_msg_error("%s", err->msg);
        return DS_EXIT_DATA;
    }
    *out = r;
    return DS_EXIT_OK;
}

int main_compare(int argc, char **argv, const ds_invocation_t *inv)
{
    compare_run_t run = {.a = {.ap = {.delta = DS_AP_DELTA_DEFAULT}}};
    ds_results_t *r = NULL;
    int status = ds_cmd_parse(&spec, argc, argv, &run.o, &run.a, &run.inputs,
                              &run.n_inputs);
    if (status >= 0)
        goto done;
    run.o.inv = inv;
    if ((status = check_args(&run)))
        goto done;
    status = DS_EXIT_DATA;
    if (ds_cli_check_output(run.o.output, run.inputs, run.n_inputs))
        goto done;
    if ((status = load_input(&run)) || (status = pick_transitions(&run)) ||
        (status = build_and_test(&run)) ||
        (status = apply_reliability(&run)) ||
        (status = write_output(&run, &r)))
        goto done;
    /* the file is complete; it gets its name only when the table could be
     * written too, so that an exit status of 1 leaves no file */
    print_table(run.cmp);
    if (!run.o.quiet)
        printf("\nwrote %s: /comparison of %zu metrics over %zu couples\n",
               run.o.output, run.cmp->n_metrics, run.cmp->n_couples);
    status = DS_EXIT_DATA;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output: %s; %s not written",
                     strerror(errno), run.o.output);
        goto done;
    }
    int rc = ds_results_commit(r, &run.err);
    r = NULL;
    if (rc) {
        ds_msg_error("%s", run.err.msg);
        goto done;
    }
    status = DS_EXIT_OK;
done:
    ds_results_abort(r);
    ds_compare_free(run.cmp);
    ds_cli_ap_models_free(run.ap, run.n_ap);
    free(run.tr);
    ds_compare_sessions_clear(&run.v);
    ds_layout_read_clear(&run.lr);
    ds_analysis_free(run.res);
    ds_corpus_free(run.c);
    for (size_t i = 0; i < run.a.n_rel; i++)
        free(run.a.rel[i].metric);
    return status;
}
