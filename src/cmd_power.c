/*
 * cmd_power.c — `dyadseq power`: power and sample size by simulation
 * (SPEC 2, issue 17). Reads the model (simulate's options, or --model
 * matrices PRE:POST), the design grid and the tests, runs the
 * replications (power.c), prints the power table and the smallest
 * designs reaching the target, and writes /power (layout_power.c) with
 * -o. docs/power.md explains the output.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "cli_sim.h"
#include "commands.h"
#include "dyadseq/power.h"
#include "json.h"
#include "layout_power.h"
#include "dyadseq/dist.h"
#include "progress.h"
#include "results.h"
#include "sha256.h"
#include "text.h"

#define MAX_METRICS 64
#define MAX_GRID 64          /* values of --couples and of --events */
#define DEFAULT_COUPLES "10,20,40,80"
#define DEFAULT_EVENTS "200,400"

enum {
    OPT_COUPLES = DS_OPT_COMMAND,
    OPT_EVENTS,
    OPT_REPLICATIONS,
    OPT_METRIC,
    OPT_TEST,
    OPT_ALPHA,
    OPT_BH,
    OPT_TARGET,
    OPT_PRE,
    OPT_POST
};

static const struct option own_options[] = {
    {"couples", required_argument, NULL, OPT_COUPLES},
    {"events", required_argument, NULL, OPT_EVENTS},
    {"replications", required_argument, NULL, OPT_REPLICATIONS},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"test", required_argument, NULL, OPT_TEST},
    {"alpha", required_argument, NULL, OPT_ALPHA},
    {"bh", no_argument, NULL, OPT_BH},
    {"target-power", required_argument, NULL, OPT_TARGET},
    {"pre", required_argument, NULL, OPT_PRE},
    {"post", required_argument, NULL, OPT_POST},
    DS_CLI_SIM_OPTIONS, /* the model: --groups, --withdraw, ... */
    {NULL, 0, NULL, 0}};

static void own_help(FILE *fp)
{
    fprintf(fp,
"  What to power\n"
"      --metric NAME       a metric of 'dyadseq compare', tested post - pre\n"
"                          over couples (e.g. 'response_rate[A->B]',\n"
"                          'yules_q[A:pursue->B:withdraw]'), or NAME@LABEL:\n"
"                          the mean of yules_q[..] or adjusted_residual[..]\n"
"                          in the LABEL (pre or post) sessions tested\n"
"                          against 0 (analyze's couple summary);\n"
"                          repeatable, at least one [none]\n"
"      --test LIST         t (paired t-test; one-sample t for NAME@LABEL),\n"
"                          wilcoxon (signed-rank test), or t,wilcoxon [t]\n"
"      --alpha A           two-sided level: a test rejects when p <= A [0.05]\n"
"      --bh                reject when the Benjamini-Hochberg q over the\n"
"                          metrics of a replication is <= A [off]\n"
"      --target-power P    report the smallest design with power >= P [0.80]\n"
"      --replications R    simulated studies per design point [1000]\n"
"  Design grid (every combination)\n"
"      --couples LIST      couples, split evenly over --groups [%s]\n"
"      --events LIST       mean events per session; each session has\n"
"                          U{ceil(0.75 M) .. floor(1.25 M)} events [%s]\n"
"      --sessions LIST     session labels in therapy order [%s]\n"
"      --pre LABEL         the sessions before [first of --sessions]\n"
"      --post LABEL        the sessions after [last of --sessions]\n",
            DEFAULT_COUPLES, DEFAULT_EVENTS, DS_CLI_SIM_SESSIONS);
    ds_cli_sim_help_brief(fp);
    fputs(
"  Output: the power table on standard output; -o FILE.h5 also writes\n"
"  /power (schemas/results.md) for scripts/plot_results.\n",
          fp);
}

static void epilog(FILE *fp)
{
    fprintf(fp,
"Each design point (couples x events) is simulated R times, in memory;\n"
"replication r is exactly the study 'dyadseq simulate --seed S_r' writes\n"
"with the same options (S_r in /power/replication_seed), and its p-values\n"
"are those 'dyadseq compare' (and analyze's couple summaries) give on it.\n"
"Power is the share of replications that reject, with its Clopper-Pearson\n"
"95%% interval. docs/power.md explains the table.\n");
}

typedef struct power_args {
    ds_cli_sim_t m;          /* the model: --groups, --withdraw, --model, ... */
    const char *couples, *events, *pre, *post;
    const char *tests;
    const char *metric[MAX_METRICS];
    size_t n_metrics;
    double alpha, target;
    size_t replications;
    int bh;
} power_args_t;

static int own_option(int opt, const char *arg, void *ctx)
{
    power_args_t *a = ctx;
    switch (opt) {
    case OPT_COUPLES: a->couples = arg; return 1;
    case OPT_EVENTS: a->events = arg; return 1;
    case OPT_PRE: a->pre = arg; return 1;
    case OPT_POST: a->post = arg; return 1;
    case OPT_TEST: a->tests = arg; return 1;
    case OPT_BH: a->bh = 1; return 1;
    case OPT_METRIC:
        if (a->n_metrics == MAX_METRICS)
            return ds_usage_error("power", "at most %d --metric options",
                                  MAX_METRICS), -1;
        a->metric[a->n_metrics++] = arg;
        return 1;
    case OPT_REPLICATIONS:
        if (ds_parse_size(arg, &a->replications) || a->replications < 1 ||
            a->replications > 100000000)
            return ds_usage_error("power", "--replications takes a whole "
                                  "number from 1 to 100000000, not '%s'",
                                  arg), -1;
        return 1;
    case OPT_ALPHA:
    case OPT_TARGET: {
        double *x = opt == OPT_ALPHA ? &a->alpha : &a->target;
        if (ds_parse_double(arg, x) || !(*x > 0 && *x < 1))
            return ds_usage_error("power", "%s takes a number between 0 and "
                                  "1, not '%s'", opt == OPT_ALPHA ? "--alpha"
                                  : "--target-power", arg), -1;
        return 1;
    }
    default:
        return ds_cli_sim_option(&a->m, "power", opt, arg);
    }
}

static const ds_cmd_spec_t spec = {
    .name = "power",
    .about =
        "Power and sample size by simulation: for every design point\n"
        "         (couples x events per session) simulate the study R times\n"
        "         with simulate's model and a planted pre/post effect, test\n"
        "         the named compare metrics in each, and report the share\n"
        "         that rejects (with its 95% CI), the estimated effect and\n"
        "         the smallest design reaching the target power.",
    .usage = "--metric NAME [options] [-o FILE.h5]",
    .common = DS_COMMON_OUTPUT | DS_COMMON_THREADS | DS_COMMON_SEED |
              DS_COMMON_PROGRESS,
    .own = own_options,
    .own_help = own_help,
    .own_option = own_option,
    .epilog = epilog,
};

/* ---- setting up --------------------------------------------------------- */

/* Everything a run needs; freed by teardown. */
typedef struct power_run {
    ds_corpus_t *space;
    ds_cli_sim_group_t *group_def; /* --groups */
    ds_power_group_t *groups;      /* the same, for ds_power_run */
    size_t n_groups;
    char **labels;
    size_t n_labels;
    size_t couples[MAX_GRID], events[MAX_GRID];
    size_t n_couples, n_events;
    unsigned tests;
    ds_sim_chain_t *chain[2];
    char *model_path[2];
    size_t n_models;
    ds_power_metric_t metric[MAX_METRICS];
    size_t n_metrics;
    ds_power_ap_t ap;             /* the models of the ap_* metrics */
    ds_power_model_t model;
} power_run_t;

static void teardown(power_run_t *r)
{
    ds_corpus_free(r->space);
    free(r->groups);
    free(r->group_def);
    ds_free_list(r->labels, r->n_labels);
    ds_sim_chain_free(r->chain[0]);
    if (r->chain[1] != r->chain[0])
        ds_sim_chain_free(r->chain[1]);
    free(r->model_path[0]);
    free(r->model_path[1]);
    for (size_t m = 0; m < r->n_metrics; m++)
        ds_power_metric_clear(&r->metric[m]);
    ds_power_ap_clear(&r->ap);
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* A comma-separated list of whole numbers in [lo, hi], sorted, distinct. */
static int parse_grid(const char *opt, const char *s, size_t lo, size_t hi,
                      size_t *out, size_t *n)
{
    char **items = NULL;
    size_t k = 0;
    if (ds_split_list(s, &items, &k)) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    int status = DS_EXIT_OK;
    if (k > MAX_GRID)
        status = ds_usage_error("power", "%s: at most %d values", opt,
                                MAX_GRID);
    for (size_t i = 0; i < k && !status; i++)
        if (ds_parse_size(items[i], &out[i]) || out[i] < lo || out[i] > hi)
            status = ds_usage_error("power", "%s takes whole numbers from "
                                    "%zu to %zu, comma separated; not '%s'",
                                    opt, lo, hi, items[i]);
    ds_free_list(items, k);
    if (status)
        return status;
    qsort(out, k, sizeof *out, by_size);
    for (size_t i = 1; i < k; i++)
        if (out[i] == out[i - 1])
            return ds_usage_error("power", "%s: %zu is given twice", opt,
                                  out[i]);
    *n = k;
    return DS_EXIT_OK;
}

/* --groups as simulate reads it (couples NAME-01 ...). */
static int parse_groups(power_run_t *r, const char *s, double answer_sd)
{
    int status = ds_cli_sim_groups("power", s, answer_sd, &r->group_def,
                                   &r->n_groups);
    if (status)
        return status;
    if (!(r->groups = calloc(r->n_groups, sizeof *r->groups))) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    for (size_t i = 0; i < r->n_groups; i++)
        r->groups[i] = (ds_power_group_t){r->group_def[i].name,
                                          r->group_def[i].rate};
    return DS_EXIT_OK;
}

/* --sessions, --pre and --post. */
static int parse_sessions(power_run_t *r, const power_args_t *a)
{
    int status = ds_cli_sim_sessions("power", a->m.sessions, &r->labels,
                                     &r->n_labels);
    if (status)
        return status;
    if (r->n_labels < 2)
        return ds_usage_error("power", "--sessions needs at least two "
                              "labels, a pre and a post");
    const char *want[2] = {a->pre, a->post};
    size_t *idx[2] = {&r->model.pre, &r->model.post};
    *idx[0] = 0;
    *idx[1] = r->n_labels - 1;
    for (int k = 0; k < 2; k++) {
        if (!want[k])
            continue;
        size_t i = 0;
        while (i < r->n_labels && strcmp(r->labels[i], want[k]) != 0)
            i++;
        if (i == r->n_labels)
            return ds_usage_error("power", "--%s '%s' is not one of "
                                  "--sessions '%s'", k ? "post" : "pre",
                                  want[k], a->m.sessions);
        *idx[k] = i;
    }
    if (r->model.pre == r->model.post)
        return ds_usage_error("power", "--pre and --post are both '%s'",
                              r->labels[r->model.pre]);
    return DS_EXIT_OK;
}

/* The state space: codebook × --actors, as a corpus without sessions
 * whose transcripts have times and durations. */
static int make_space(power_run_t *r, const ds_common_opts_t *o)
{
    int status = ds_cli_sim_space(o, &r->space);
    if (status == DS_EXIT_OK)
        r->space->has_time = r->space->has_duration = 1;
    return status;
}

/* --model FILE or PRE:POST (a name that exists as a file is one file). */
static int load_models(power_run_t *r, const char *arg, int quiet)
{
    struct stat st;
    const char *colon = strrchr(arg, ':');
    if (stat(arg, &st) == 0 || !colon) {
        r->model_path[0] = ds_strdup(arg);
        r->n_models = 1;
    } else {
        r->model_path[0] = malloc((size_t)(colon - arg) + 1);
        if (r->model_path[0]) {
            memcpy(r->model_path[0], arg, (size_t)(colon - arg));
            r->model_path[0][colon - arg] = '\0';
        }
        r->model_path[1] = ds_strdup(colon + 1);
        r->n_models = 2;
    }
    if (!r->model_path[0] || (r->n_models == 2 && !r->model_path[1])) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    for (size_t k = 0; k < r->n_models; k++) {
        int status = ds_cli_sim_load_model(r->model_path[k], r->space, quiet,
                                           &r->chain[k]);
        if (status)
            return status;
    }
    if (r->n_models == 1)
        r->chain[1] = r->chain[0];
    return DS_EXIT_OK;
}

/* --test LIST into bits. */
static int parse_tests(const char *s, unsigned *out)
{
    char **items = NULL;
    size_t n = 0;
    if (ds_split_list(s, &items, &n)) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    int status = DS_EXIT_OK;
    *out = 0;
    for (size_t i = 0; i < n && !status; i++) {
        unsigned bit = strcmp(items[i], "t") == 0 ? 1u << DS_POWER_TEST_T
                       : strcmp(items[i], "wilcoxon") == 0
                           ? 1u << DS_POWER_TEST_WILCOXON
                           : 0;
        if (!bit || (*out & bit))
            status = ds_usage_error("power", "--test takes t, wilcoxon or "
                                    "t,wilcoxon, not '%s'", s);
        *out |= bit;
    }
    ds_free_list(items, n);
    return status;
}

static int parse_metrics(power_run_t *r, const power_args_t *a)
{
    ds_compare_sessions_t v;
    ds_power_space_view(r->space, &v);
    if (a->n_metrics == 0)
        return ds_usage_error("power", "give the metric to power with "
                              "--metric, e.g. --metric 'response_rate[A->B]'"
                              " (a row name of 'dyadseq compare')");
    ds_error_t e = {0}; /* the models the ap_* metrics name */
    int ap = ds_power_ap_init(&r->ap, r->space, a->metric, a->n_metrics, &e);
    if (ap == DS_ENOMEM)
        ds_msg_error("out of memory");
    if (ap)
        return ap == DS_ENOMEM
                   ? DS_EXIT_DATA
                   : ds_usage_error("power", "--metric: %s", e.msg);
    ds_power_ap_view(&r->ap, &v);
    for (size_t i = 0; i < a->n_metrics; i++) {
        ds_error_t err = {0};
        int rc = ds_power_metric_parse(&v, a->metric[i],
                                       r->labels[r->model.pre],
                                       r->labels[r->model.post],
                                       &r->metric[i], &err);
        if (rc == DS_ENOMEM) {
            ds_msg_error("out of memory");
            return DS_EXIT_DATA;
        }
        if (rc)
            return ds_usage_error("power", "--metric: %s", err.msg);
        r->n_metrics++;
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->metric[i], a->metric[j]) == 0)
                return ds_usage_error("power", "--metric '%s' is given "
                                      "twice", a->metric[i]);
    }
    return DS_EXIT_OK;
}

/* Check and build everything; returns an exit status. */
static int setup(power_run_t *r, const power_args_t *a,
                 const ds_common_opts_t *o)
{
    ds_error_t err = {0};
    int st;
    if ((st = ds_cli_sim_check_model(&a->m, "power")))
        return st;
    if (ds_sim_params_check(&a->m.par, &err))
        return ds_usage_error("power", "%s", err.msg);
    if ((st = parse_grid("--couples", a->couples, 2, 100000, r->couples,
                         &r->n_couples)) ||
        (st = parse_grid("--events", a->events, 1, 1000000, r->events,
                         &r->n_events)) ||
        (st = parse_tests(a->tests, &r->tests)) ||
        (st = parse_sessions(r, a)) ||
        (st = parse_groups(r, a->m.model ? "couple:1" : a->m.groups,
                           a->m.model ? 0 : a->m.par.answer_sd)) ||
        (st = make_space(r, o)))
        return st;
    if (!a->m.model && r->space->n_actors != 2)
        return ds_usage_error("power", "the built-in model needs exactly two "
                              "--actors, not '%s' (use --model for another "
                              "design)", o->actors);
    if (a->m.model && (st = load_models(r, a->m.model, o->quiet)))
        return st;
    if ((st = parse_metrics(r, a)))
        return st;
    ds_power_model_t *m = &r->model;
    m->space = r->space;
    m->par = a->m.par;
    m->groups = r->groups;
    m->n_groups = r->n_groups;
    m->labels = (const char *const *)r->labels;
    m->n_labels = r->n_labels;
    m->chain[0] = r->chain[0];
    m->chain[1] = r->chain[1];
    ds_responsive_opts_init(&m->responsive);
    ds_cycles_opts_init(&m->cycles);
    m->ap_models = r->ap.models;
    m->n_ap = r->ap.n;
    ds_ap_opts_init(&m->ap_opts);
    return DS_EXIT_OK;
}

/* ---- output --------------------------------------------------------------- */

static char *parameters_json(const power_run_t *r, const power_args_t *a,
                             const ds_common_opts_t *o)
{
    const ds_sim_params_t *p = &a->m.par;
    double c[MAX_GRID], e[MAX_GRID];
    const char *tests[DS_POWER_N_TESTS], *metrics[MAX_METRICS];
    size_t n_t = 0;
    for (size_t i = 0; i < r->n_couples; i++)
        c[i] = (double)r->couples[i];
    for (size_t i = 0; i < r->n_events; i++)
        e[i] = (double)r->events[i];
    for (int t = 0; t < DS_POWER_N_TESTS; t++)
        if ((r->tests >> t) & 1u)
            tests[n_t++] = ds_power_test_name((ds_power_test_t)t);
    for (size_t m = 0; m < r->n_metrics; m++)
        metrics[m] = r->metric[m].name;
    ds_json_t j;
    ds_json_begin(&j);
    ds_json_string(&j, "command", "power");
    ds_json_strings(&j, "metrics", metrics, r->n_metrics);
    ds_json_strings(&j, "tests", tests, n_t);
    ds_json_number(&j, "alpha", a->alpha);
    ds_json_bool(&j, "bh", a->bh);
    ds_json_number(&j, "target_power", a->target);
    ds_json_number(&j, "replications", (double)a->replications);
    ds_json_numbers(&j, "couples", c, r->n_couples);
    ds_json_numbers(&j, "events", e, r->n_events);
    ds_json_strings(&j, "sessions", (const char *const *)r->labels,
                    r->n_labels);
    ds_json_string(&j, "pre", r->labels[r->model.pre]);
    ds_json_string(&j, "post", r->labels[r->model.post]);
    ds_json_string(&j, "model", a->m.model ? a->m.model : "built-in");
    if (!a->m.model) {
        ds_json_string(&j, "groups", a->m.groups);
        ds_json_numbers(&j, "withdraw", p->withdraw, 2);
        ds_json_numbers(&j, "continue", p->continuation, 2);
        ds_json_numbers(&j, "soften", p->soften, 2);
        ds_json_numbers(&j, "reciprocate", p->reciprocate, 2);
        ds_json_number(&j, "answer_sd", p->answer_sd);
        ds_json_number(&j, "answer_gain", p->answer_gain);
        double th[2] = {p->therapy_mean, p->therapy_sd};
        ds_json_numbers(&j, "therapy", th, 2);
    }
    ds_json_number(&j, "gap_mean", p->gap_mean);
    ds_json_number(&j, "gap_shape", p->gap_shape);
    ds_json_numbers(&j, "latency_mean", p->latency_mean, 2);
    ds_json_number(&j, "latency_shape", p->latency_shape);
    ds_json_number(&j, "duration_mean", p->duration_mean);
    ds_json_number(&j, "duration_shape", p->duration_shape);
    ds_json_string(&j, "codebook", o->codebook ? o->codebook : "built-in");
    ds_json_string(&j, "actors", o->actors);
    ds_json_number(&j, "response_window_s", r->model.responsive.window_s);
    ds_json_number(&j, "cycle_min", (double)r->model.cycles.min_len);
    ds_json_number(&j, "conf_level", 0.95);
    ds_json_number(&j, "seed", (double)o->seed);
    return ds_json_end(&j);
}

static const char *row_metric(const power_run_t *r, size_t m)
{
    return m < r->n_metrics ? r->metric[m].name : "all";
}

/* A number to 3 significant digits at most, NA for NaN. */
static void num3(char *buf, size_t n, double x)
{
    if (isnan(x))
        snprintf(buf, n, "NA");
    else if (x != 0 && fabs(x) < 0.001)
        snprintf(buf, n, "%.2e", x);
    else
        snprintf(buf, n, "%.3g", x);
}

static void print_header(const power_run_t *r, const ds_power_result_t *res,
                         const power_args_t *a, const ds_common_opts_t *o)
{
    printf("Power by simulation: %zu replications of each design point, "
           "'%s' -> '%s' sessions,\n%s, seed %lu. A test rejects when ",
           res->R, r->labels[r->model.pre], r->labels[r->model.post],
           a->m.model ? "the --model matrices" : "simulate's built-in model",
           o->seed);
    if (res->bh)
        printf("its Benjamini-Hochberg q over\nthe %zu metrics is <= %g "
               "(two-sided).\n", res->n_metrics, res->alpha);
    else
        printf("p <= %g (two-sided).\n", res->alpha);
    printf("power: share of replications rejecting [95%% Clopper-Pearson "
           "CI], * at least %.2f;\nestimate: mean (SD) over replications "
           "of the mean post - pre (for NAME@LABEL, of\nthe mean); events: "
           "mean events per session; all: every metric rejects.\n"
           "docs/power.md explains the table.\n\n", res->target);
}

static void print_table(const power_run_t *r, const ds_power_result_t *res,
                        const power_args_t *a, const ds_common_opts_t *o)
{
    print_header(r, res, a, o);
    size_t w = strlen("metric");
    for (size_t m = 0; m < r->n_metrics; m++)
        if (strlen(r->metric[m].name) > w)
            w = strlen(r->metric[m].name);
    printf("%-*s %-8s %7s %6s  %-22s %-22s %s\n", (int)w, "metric", "test",
           "couples", "events", "power [95% CI]", "estimate (SD)",
           "mean pre -> post");
    for (size_t i = 0; i < res->n_rows; i++) {
        const ds_power_row_t *x = &res->row[i];
        char pw[48], est[48], a1[24], a2[24], prepost[64] = "";
        snprintf(pw, sizeof pw, "%.3f [%.3f, %.3f]%s", x->power, x->ci_low,
                 x->ci_high, x->reaches ? " *" : "");
        num3(a1, sizeof a1, x->estimate_mean);
        num3(a2, sizeof a2, x->estimate_sd);
        snprintf(est, sizeof est, "%s (%s)", a1, a2);
        if (x->metric == r->n_metrics)
            snprintf(est, sizeof est, "-");
        else if (!isnan(x->mean_pre)) {
            num3(a1, sizeof a1, x->mean_pre);
            num3(a2, sizeof a2, x->mean_post);
            snprintf(prepost, sizeof prepost, "%s -> %s", a1, a2);
        }
        printf("%-*s %-8s %7zu %6zu  %-22s ", (int)w,
               row_metric(r, x->metric), ds_power_test_name(x->test),
               res->couples[x->design], res->events[x->design], pw);
        if (*prepost)
            printf("%-22s %s\n", est, prepost);
        else
            printf("%s\n", est);
    }
}

static void print_smallest(const power_run_t *r, const ds_power_result_t *res)
{
    size_t per_design = res->n_rows / res->n_designs;
    printf("\nSmallest design reaching power %.2f: the fewest couples x "
           "events, and for each\nnumber of events per session the fewest "
           "couples:\n", res->target);
    for (size_t i = 0; i < res->n_smallest; i++) {
        const ds_power_smallest_t *s = &res->smallest[i];
        printf("  %s, %s: ", row_metric(r, s->metric),
               ds_power_test_name(s->test));
        if (s->design < 0) {
            printf("no design of the grid\n");
            continue;
        }
        size_t d = (size_t)s->design;
        printf("%zu couples x %zu events per session (power %.3f)",
               res->couples[d], res->events[d],
               res->row[d * per_design + i].power);
        for (size_t e = 0; e < res->n_events; e++) {
            long b = s->by_events[e];
            printf("; %zu events: ", r->events[e]);
            if (b < 0)
                printf("none");
            else
                printf("%zu couples", res->couples[b]);
        }
        printf("\n");
    }
}

/* The results file: provenance (the model files and codebook are the
 * inputs), /states, /codebook and /power, complete under its temporary
 * name in *out (ds_results_finish); it is named after the tables are
 * printed. */
static int write_results(const power_run_t *r, const ds_power_result_t *res,
                         const power_args_t *a, const ds_common_opts_t *o,
                         ds_results_t **out, ds_error_t *err)
{
    const char *files[3];
    char sha[3][65];
    const char *shas[3];
    size_t n = 0;
    for (size_t k = 0; k < r->n_models; k++)
        files[n++] = r->model_path[k];
    if (o->codebook)
        files[n++] = o->codebook;
    for (size_t k = 0; k < n; k++) {
        if (ds_sha256_file(files[k], sha[k], NULL)) /* errno: why */
            return ds_error_set(err, DS_EIO, "cannot read '%s': %s",
                                files[k], strerror(errno));
        shas[k] = sha[k];
    }
    char *params = parameters_json(r, a, o);
    if (!params)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    ds_results_provenance_t prov = {.command_line = o->inv->command_line,
                                    .parameters = params,
                                    .seed = o->seed,
                                    .n_inputs = n,
                                    .input_files = files,
                                    .input_sha256 = shas};
    ds_power_layout_t lay = {.res = res,
                             .metric = r->metric,
                             .space = r->space,
                             .pre = r->labels[r->model.pre],
                             .post = r->labels[r->model.post],
                             .model = a->m.model ? a->m.model : "built-in",
                             .seed = o->seed};
    ds_results_t *f = NULL;
    int rc = ds_results_create(o->output, &f, err);
    if (!rc)
        rc = ds_results_write_provenance(f, &prov, err);
    if (!rc)
        rc = ds_layout_power(f, &lay, err);
    if (!rc)
        rc = ds_results_finish(f, err);
    if (!rc) {
        *out = f;
        f = NULL;
    }
    ds_results_abort(f);
    free(params);
    return rc;
}

int main_power(int argc, char **argv, const ds_invocation_t *inv)
{
    power_args_t a = {.couples = DEFAULT_COUPLES,
                      .events = DEFAULT_EVENTS,
                      .tests = "t",
                      .alpha = 0.05,
                      .target = 0.80,
                      .replications = 1000};
    ds_cli_sim_init(&a.m);
    ds_common_opts_t o;
    char **args;
    size_t n_args;
    int status = ds_cmd_parse(&spec, argc, argv, &o, &a, &args, &n_args);
    if (status >= 0)
        return status;
    o.inv = inv;
    if (n_args)
        return ds_usage_error("power", "power takes no input ('%s'); the "
                              "study is simulated", args[0]);
    power_run_t r = {0};
    ds_power_result_t *res = NULL;
    ds_results_t *f = NULL;
    ds_error_t err = {0};
    if ((status = setup(&r, &a, &o)))
        goto done;
    status = DS_EXIT_DATA;
    if (o.output && ds_cli_check_output(o.output, r.model_path, r.n_models))
        goto done;
    ds_power_opts_t po;
    ds_power_opts_init(&po);
    po.couples = r.couples;
    po.n_couples = r.n_couples;
    po.events = r.events;
    po.n_events = r.n_events;
    po.replications = a.replications;
    po.tests = r.tests;
    po.alpha = a.alpha;
    po.bh = a.bh;
    po.target = a.target;
    po.seed = o.seed;
    po.threads = ds_common_threads(&o);
    po.dist = ds_dist_world(); /* MPI ranks share the replications */
    ds_progress_t bar;
    ds_progress_start(&bar, "power", "replications", a.replications,
                      ds_common_progress(&o));
    po.progress = ds_progress_callback;
    po.progress_ctx = &bar;
    clock_t cpu0 = clock();
    int rc = ds_power_run(&r.model, r.metric, r.n_metrics, &po, &res, &err);
    double cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
    ds_progress_finish(&bar);
    if (rc) {
        ds_msg_error("%s", err.msg);
        status = rc == DS_EUSAGE ? DS_EXIT_USAGE : DS_EXIT_DATA;
        goto done;
    }
    if (o.verbose)
        fprintf(stderr, "dyadseq: time: %zu replications of %zu design "
                "points in %.2f s on %d thread%s, %.2f s of CPU: %.2f ms of "
                "CPU per replication\n", res->R, res->n_designs,
                res->seconds, po.threads, po.threads == 1 ? "" : "s", cpu,
                1000 * cpu / (double)res->R);
    if (o.output && (rc = write_results(&r, res, &a, &o, &f, &err))) {
        ds_msg_error("%s", err.msg);
        goto done;
    }
    /* the file gets its name only when the tables could be written too,
     * so that an exit status of 1 leaves no file (issue 18 #8) */
    print_table(&r, res, &a, &o);
    print_smallest(&r, res);
    if (o.output && !o.quiet)
        printf("\nwrote %s: /power\n", o.output);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output: %s%s%s", strerror(errno),
                     f ? "; not written: " : "", f ? o.output : "");
        goto done;
    }
    if (f) {
        rc = ds_results_commit(f, &err);
        f = NULL;
        if (rc) {
            ds_msg_error("%s", err.msg);
            goto done;
        }
    }
    status = DS_EXIT_OK;
done:
    ds_results_abort(f);
    ds_power_result_free(res);
    teardown(&r);
    return status;
}
