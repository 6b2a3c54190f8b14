/*
 * cmd_agree.c — `dyadseq agree FIRST SECOND -o FILE.h5` or `dyadseq agree
 * --coders X,Y INPUT... -o FILE.h5`: inter-coder agreement between two
 * codings of the same sessions (SPEC 7), from the aligned events to the
 * reliability of the session-level results.
 *
 * The codings are read and matched by agree_input.c, aligned and tallied
 * by agree.c; both are analyzed as `compare` analyzes transcripts (lag 1,
 * analyze's defaults) and compare.c gives every session's metrics, whose
 * ICC(A,1) across the sessions is icc.c. layout_agree.c writes /agreement;
 * this file reads the options, prints the table and writes the file.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agree_input.h"
#include "cli.h"
#include "commands.h"
#include "dyadseq/agree.h"
#include "dyadseq/compare.h"
#include "dyadseq/icc.h"
#include "json.h"
#include "layout.h"
#include "layout_agree.h"
#include "results.h"
#include "text.h"

#define MAX_REPEAT 256    /* --transition */
#define MAX_SINGLE_LISTED 50 /* sessions of one coding listed on stderr */
#define CONF_LEVEL 0.95

enum {
    OPT_CODERS = DS_OPT_COMMAND,
    OPT_SECOND_CODEBOOK,
    OPT_TOLERANCE,
    OPT_TIME_UNIT,
    OPT_UNIT_TOLERANCE,
    OPT_TRANSITION
};

static const struct option own_opts[] = {
    {"coders", required_argument, NULL, OPT_CODERS},
    {"second-codebook", required_argument, NULL, OPT_SECOND_CODEBOOK},
    {"tolerance", required_argument, NULL, OPT_TOLERANCE},
    {"time-unit", required_argument, NULL, OPT_TIME_UNIT},
    {"unit-tolerance", required_argument, NULL, OPT_UNIT_TOLERANCE},
    {"transition", required_argument, NULL, OPT_TRANSITION},
    {NULL, 0, NULL, 0}};

typedef struct agree_args {
    const char *coders;
    char **coder;
    size_t n_coder;
    const char *second_codebook;
    double tolerance, time_unit, unit_tolerance;
    const char *transition[MAX_REPEAT];
    size_t n_transitions;
} agree_args_t;

static void own_help(FILE *fp)
{
    fprintf(fp,
        "  -o, --output FILE.h5  results file with /agreement (required)\n"
        "      --coders X,Y      one set of inputs with a coder column: the "
        "rows of\n"
        "                        coder X are the first coding, of Y the "
        "second\n"
        "                        [off: two inputs FIRST SECOND]\n"
        "      --second-codebook FILE\n"
        "                        the second coding's own codebook; it must "
        "hold the\n"
        "                        same codes with the same roles [--codebook]\n"
        "      --tolerance S     events pair only when their onsets differ by "
        "at most\n"
        "                        S seconds (without a time column: by order) "
        "[%g]\n"
        "      --time-unit U     seconds per unit of time-unit agreement "
        "(needs\n"
        "                        durations) [1]\n"
        "      --unit-tolerance S\n"
        "                        GSEQ's tolerance: a unit agrees when the "
        "second coding\n"
        "                        has the first's code within S seconds, a "
        "whole number\n"
        "                        of units [0]\n"
        "      --transition FROM->TO\n"
        "                        a lag-1 transition whose Yule's Q and "
        "adjusted residual\n"
        "                        get an ICC (as compare); repeatable [each "
        "partner's\n"
        "                        pursue->the other's withdraw, bid->response, "
        "soften->soften]\n",
        DS_AGREE_TOLERANCE_DEFAULT);
}

static void epilog(FILE *fp)
{
    fprintf(fp,
        "Sessions are matched by (couple, session); sessions of one coding "
        "only are\n"
        "listed and left out. Events are aligned by dynamic programming "
        "(Bakeman, Quera\n"
        "& Gnisci 2009): a pair of events within the tolerance is an "
        "agreement (cost 0)\n"
        "or a substitution (1); an event left unmatched faces nil (1). "
        "Reported: the\n"
        "(K+1)x(K+1) agreement matrix, Cohen's kappa, kappa max, percent "
        "agreement,\n"
        "kappa per code, unmatched events per coding; time-unit kappa with "
        "durations;\n"
        "and, per session-level metric of compare, ICC(A,1) between the "
        "codings with\n"
        "its 95%% CI (McGraw & Wong 1996). docs/agree.md explains every "
        "number.\n");
}

/* A number of seconds >= 0 (> 0 when positive), or a usage error. */
static int seconds_arg(const char *opt, const char *arg, int positive,
                       double *out)
{
    double v;
    if (ds_parse_double(arg, &v) || !isfinite(v) || v < 0 ||
        (positive && v == 0))
        return ds_usage_error("agree", "%s takes a number of seconds %s, "
                              "not '%s'", opt, positive ? "> 0" : ">= 0",
                              arg), -1;
    *out = v;
    return 1;
}

static int own_option(int opt, const char *arg, void *ctx)
{
    agree_args_t *a = ctx;
    switch (opt) {
    case OPT_CODERS:
        a->coders = arg;
        return 1;
    case OPT_SECOND_CODEBOOK:
        a->second_codebook = arg;
        return 1;
    case OPT_TOLERANCE:
        return seconds_arg("--tolerance", arg, 0, &a->tolerance);
    case OPT_TIME_UNIT:
        return seconds_arg("--time-unit", arg, 1, &a->time_unit);
    case OPT_UNIT_TOLERANCE:
        return seconds_arg("--unit-tolerance", arg, 0, &a->unit_tolerance);
    case OPT_TRANSITION:
        if (a->n_transitions == MAX_REPEAT)
            return ds_usage_error("agree", "at most %d --transition options",
                                  MAX_REPEAT), -1;
        a->transition[a->n_transitions++] = arg;
        return 1;
    default:
        return 0;
    }
}

static const ds_cmd_spec_t spec = {
    .name = "agree",
    .about = "Inter-coder agreement between two codings of the same "
             "sessions: aligns\n"
             "         the events (onset tolerance), tallies the agreement "
             "matrix, kappa,\n"
             "         kappa max, percent agreement and kappa per code; "
             "time-unit kappa\n"
             "         with durations; and the ICC of every session-level "
             "metric between\n"
             "         the codings. Prints a table and writes /agreement "
             "(schemas/results.md).",
    .usage = "[options] -o FILE.h5 FIRST SECOND  |  --coders X,Y -o FILE.h5 "
             "INPUT...",
    .common = DS_COMMON_INPUT | DS_COMMON_OUTPUT | DS_COMMON_THREADS |
              DS_COMMON_PROGRESS,
    .own = own_opts,
    .own_help = own_help,
    .own_option = own_option,
    .min_args = 1,
    .epilog = epilog,
};

/* ---- the run --------------------------------------------------------- */

typedef struct run {
    const agree_args_t *a;
    const ds_common_opts_t *o;
    const char *name[2];        /* the codings: coder names or inputs */
    const char *cb_name[2];     /* their codebooks, for messages */
    ds_corpus_t *coding[2];
    ds_agree_files_t files;     /* every input, for provenance */
    ds_agree_match_t match;
    ds_agree_result_t *res;
    ds_analysis_t *an[2];
    ds_compare_sessions_t cs[2];
    ds_compare_values_t cv[2];
    ds_transition_t *tr;
    size_t n_tr;
    ds_icc_t *icc;              /* [n_metrics] */
    ds_results_t *out;          /* the file, complete, not yet named */
} run_t;

static void run_clear(run_t *r)
{
    ds_results_abort(r->out);
    for (int k = 0; k < 2; k++) {
        ds_compare_values_clear(&r->cv[k]);
        ds_compare_sessions_clear(&r->cs[k]);
        ds_analysis_free(r->an[k]);
    }
    free(r->icc);
    free(r->tr);
    ds_agree_result_free(r->res);
    ds_agree_match_clear(&r->match);
    for (int k = 0; k < 2; k++)
        ds_corpus_free(r->coding[k]);
    ds_agree_files_clear(&r->files);
}

static int load_codebook(const char *path, int quiet, ds_codebook_t **out);

/* With --second-codebook, the codebooks agree before any data is read
 * (a code missing from one is a clearer message than its rows' errors). */
static int codebooks_agree(const run_t *r)
{
    ds_codebook_t *cb[2] = {NULL, NULL};
    ds_error_t err = {0};
    int status = DS_EXIT_DATA;
    if (!r->a->second_codebook)
        return DS_EXIT_OK;
    if (load_codebook(r->o->codebook, r->o->quiet, &cb[0]) ||
        load_codebook(r->a->second_codebook, r->o->quiet, &cb[1]))
        goto done;
    if (ds_agree_check_codebooks(cb[0], cb[1], r->cb_name, &err))
        ds_msg_error("%s", err.msg);
    else
        status = DS_EXIT_OK;
done:
    ds_codebook_free(cb[0]);
    ds_codebook_free(cb[1]);
    return status;
}

/* Two inputs: each loaded as analyze loads its inputs. */
static int load_two(run_t *r, char *const *inputs)
{
    ds_common_opts_t o2 = *r->o;
    if (r->a->second_codebook)
        o2.codebook = r->a->second_codebook;
    int s0 = ds_cli_load_corpus(r->o, &inputs[0], 1, &r->coding[0]);
    int s1 = ds_cli_load_corpus(&o2, &inputs[1], 1, &r->coding[1]);
    if (s0 || s1)
        return s0 == DS_EXIT_USAGE || s1 == DS_EXIT_USAGE ? DS_EXIT_USAGE
                                                          : DS_EXIT_DATA;
    for (int k = 0; k < 2; k++) {
        const ds_corpus_t *c = r->coding[k];
        for (size_t i = 0; i < c->n_files; i++) {
            char **n = realloc(r->files.name,
                               (r->files.n + 1) * sizeof *n);
            char(*h)[65] = n ? realloc(r->files.sha256,
                                       (r->files.n + 1) * sizeof *h)
                             : NULL;
            if (n)
                r->files.name = n;
            if (h)
                r->files.sha256 = h;
            if (!n || !h || !(n[r->files.n] = ds_strdup(c->files[i]))) {
                ds_msg_error("out of memory");
                return DS_EXIT_DATA;
            }
            memcpy(h[r->files.n++], c->sha256[i], 65);
        }
    }
    return DS_EXIT_OK;
}

/* Load a codebook (or the built-in one); prints problems. */
static int load_codebook(const char *path, int quiet, ds_codebook_t **out)
{
    ds_diag_t diag;
    ds_error_t err = {0};
    ds_diag_init(&diag, 50);
    int rc = DS_OK;
    if (!path) {
        if (!(*out = ds_codebook_alloc_default())) {
            ds_msg_error("out of memory");
            rc = DS_ENOMEM;
        }
    } else if ((rc = ds_codebook_load(path, out, &diag, &err))) {
        if (rc == DS_EDATA)
            ds_print_diag(&diag, quiet);
        else
            ds_msg_error("%s", err.msg);
    }
    ds_diag_clear(&diag);
    return rc;
}

/* One set of inputs split by the coder column. */
static int load_coders(run_t *r, char *const *inputs, size_t n_inputs)
{
    const ds_common_opts_t *o = r->o;
    ds_codebook_t *cb[2] = {NULL, NULL};
    char **actors = NULL;
    size_t n_actors = 0;
    ds_diag_t diag;
    ds_error_t err = {0};
    int status = DS_EXIT_DATA;
    ds_diag_init(&diag, 50);
    if (ds_split_list(o->actors, &actors, &n_actors)) {
        ds_msg_error("out of memory");
        goto done;
    }
    if (ds_check_actors(actors, n_actors)) {
        status = DS_EXIT_USAGE;
        goto done;
    }
    if (load_codebook(o->codebook, o->quiet, &cb[0]) ||
        load_codebook(r->a->second_codebook ? r->a->second_codebook
                                            : o->codebook,
                      o->quiet, &cb[1]))
        goto done;
    ds_ingest_opts_t io[2];
    const ds_ingest_opts_t *iop[2] = {&io[0], &io[1]};
    for (int k = 0; k < 2; k++)
        io[k] = (ds_ingest_opts_t){.codebook = cb[k],
                                   .actors = (const char *const *)actors,
                                   .n_actors = n_actors,
                                   .sort = o->sort,
                                   .merge = o->merge,
                                   .verbose = o->verbose};
    const char *coder[2] = {r->a->coder[0], r->a->coder[1]};
    int rc = ds_agree_load_coders((const char *const *)inputs, n_inputs,
                                  coder, iop, r->coding, &r->files, &diag,
                                  &err);
    if (rc == DS_EDATA || diag.n_errors || diag.n_warnings)
        ds_print_diag(&diag, o->quiet);
    if (rc && rc != DS_EDATA)
        ds_msg_error("%s", err.msg);
    if (!rc)
        status = DS_EXIT_OK;
done:
    ds_codebook_free(cb[0]);
    ds_codebook_free(cb[1]);
    ds_free_list(actors, n_actors);
    ds_diag_clear(&diag);
    return status;
}

/* Sessions of one coding only: listed on standard error, left out. */
static void report_single(const run_t *r)
{
    const ds_agree_match_t *m = &r->match;
    if (r->o->quiet || m->n_single == 0)
        return;
    ds_msg_warning("%zu session%s coded in one coding only, left out (all "
                   "in /agreement/single_coded):", m->n_single,
                   m->n_single == 1 ? " is" : "s are");
    for (size_t i = 0; i < m->n_single && i < MAX_SINGLE_LISTED; i++)
        fprintf(stderr, "dyadseq: warning:   couple '%s' session '%s': "
                "only in %s\n", m->single[i]->couple, m->single[i]->label,
                r->name[m->single_which[i]]);
    if (m->n_single > MAX_SINGLE_LISTED)
        fprintf(stderr, "dyadseq: warning:   … and %zu more\n",
                m->n_single - MAX_SINGLE_LISTED);
}

/* The transitions of the lag-1 metrics: as given, or compare's. */
static int transitions(run_t *r)
{
    const agree_args_t *a = r->a;
    const ds_compare_sessions_t *v = &r->cs[0];
    ds_error_t err;
    size_t n = a->n_transitions ? a->n_transitions
                                : ds_compare_default_transitions(v, NULL, 0);
    if (!(r->tr = malloc((n ? n : 1) * sizeof *r->tr))) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    r->n_tr = n;
    if (!a->n_transitions) {
        ds_compare_default_transitions(v, r->tr, n);
        return DS_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (ds_compare_parse_transition(v, a->transition[i], &r->tr[i],
                                        &err))
            return ds_usage_error("agree", "%s", err.msg);
        for (size_t k = 0; k < i; k++)
            if (r->tr[k].from == r->tr[i].from && r->tr[k].to == r->tr[i].to)
                return ds_usage_error("agree", "--transition '%s' is given "
                                      "twice", a->transition[i]);
    }
    return DS_EXIT_OK;
}

/* Analyze both codings as compare does and take each session's metrics;
 * then the ICC of every metric across the sessions. */
static int reliability(run_t *r)
{
    ds_error_t err = {0};
    int status;
    for (int k = 0; k < 2; k++) {
        ds_analysis_opts_t ao;
        ds_analysis_opts_init(&ao);
        ao.window = 0;
        const ds_corpus_t *c = &r->match.view[k];
        if ((status = ds_cli_run_analysis(r->o, "agree", c, &ao, c->n_events,
                                          &r->an[k])))
            return status;
        if (ds_compare_sessions_from_analysis(c, r->an[k],
                                              ao.responsive_opts.window_s,
                                              &r->cs[k], &err)) {
            ds_msg_error("%s", err.msg);
            return DS_EXIT_DATA;
        }
    }
    if ((status = transitions(r)))
        return status;
    for (int k = 0; k < 2; k++)
        if (ds_compare_session_values(&r->cs[k], r->tr, r->n_tr, &r->cv[k],
                                      &err)) {
            ds_msg_error("%s", err.msg);
            return DS_EXIT_DATA;
        }
    const ds_compare_values_t *x = &r->cv[0], *y = &r->cv[1];
    int same = x->n_metrics == y->n_metrics;
    for (size_t m = 0; same && m < x->n_metrics; m++)
        same = strcmp(x->name[m], y->name[m]) == 0;
    if (!same) {
        ds_msg_error("the two codings give different session metrics");
        return DS_EXIT_DATA;
    }
    if (!r->o->quiet)
        for (size_t i = 0; i < x->n_notes; i++)
            ds_msg_warning("%s", x->notes[i]);
    size_t M = x->n_metrics, S = x->S;
    if (!(r->icc = calloc(M ? M : 1, sizeof *r->icc))) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    for (size_t m = 0; m < M; m++)
        if (ds_icc_a1(x->value + m * S, y->value + m * S, S, CONF_LEVEL,
                      &r->icc[m], &err)) {
            ds_msg_error("%s", err.msg);
            return DS_EXIT_DATA;
        }
    return DS_EXIT_OK;
}

/* ---- output ---------------------------------------------------------- */

static char *parameters_json(const run_t *r)
{
    const agree_args_t *a = r->a;
    const ds_common_opts_t *o = r->o;
    ds_json_t j;
    char **trs = calloc(r->n_tr ? r->n_tr : 1, sizeof *trs);
    if (!trs)
        return NULL;
    int oom = 0;
    const char *const *lab = (const char *const *)r->match.view[0].state_label;
    for (size_t i = 0; i < r->n_tr && !oom; i++) {
        const char *f = lab[r->tr[i].from], *t = lab[r->tr[i].to];
        if (!(trs[i] = malloc(strlen(f) + strlen(t) + 3)))
            oom = 1;
        else
            sprintf(trs[i], "%s->%s", f, t);
    }
    ds_json_begin(&j);
    ds_json_string(&j, "command", "agree");
    ds_json_string(&j, "first", r->name[0]);
    ds_json_string(&j, "second", r->name[1]);
    ds_json_strings(&j, "coders", (const char *const *)a->coder, a->n_coder);
    ds_json_string(&j, "codebook", o->codebook ? o->codebook : "built-in");
    ds_json_string(&j, "second_codebook",
                   a->second_codebook ? a->second_codebook
                   : o->codebook      ? o->codebook
                                      : "built-in");
    ds_json_string(&j, "actors", o->actors);
    ds_json_bool(&j, "sort", o->sort);
    ds_json_bool(&j, "merge", o->merge);
    ds_json_string(&j, "aligned_by", r->res->by_time ? "onset" : "order");
    ds_json_number(&j, "tolerance_s", a->tolerance);
    ds_json_number(&j, "cost_substitution", DS_AGREE_COST_SUBSTITUTION);
    ds_json_number(&j, "cost_unmatched", DS_AGREE_COST_GAP);
    ds_json_number(&j, "time_unit_s", a->time_unit);
    ds_json_number(&j, "unit_tolerance_s", a->unit_tolerance);
    double one = 1;
    ds_json_numbers(&j, "lags", &one, 1);
    ds_json_strings(&j, "transitions", (const char *const *)trs, r->n_tr);
    ds_json_number(&j, "conf_level", CONF_LEVEL);
    ds_json_number(&j, "response_window_s", r->cs[0].response_window_s);
    ds_json_number(&j, "cycle_min", DS_CYCLE_MIN_DEFAULT);
    char *s = ds_json_end(&j);
    for (size_t i = 0; i < r->n_tr; i++)
        free(trs[i]);
    free(trs);
    if (oom) {
        free(s);
        return NULL;
    }
    return s;
}

/* The results file, complete under its temporary name in r->out
 * (ds_results_finish); it is named after the table is printed. */
static int write_file(run_t *r, const char *params)
{
    ds_error_t err = {0};
    ds_results_t *f = NULL;
    size_t ns = r->match.n_single ? r->match.n_single : 1;
    const char **sc = malloc(ns * sizeof *sc), **ss = malloc(ns * sizeof *ss),
               **sw = malloc(ns * sizeof *sw);
    int rc = DS_ENOMEM;
    if (!sc || !ss || !sw) {
        ds_error_set(&err, rc, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < r->match.n_single; i++) {
        sc[i] = r->match.single[i]->couple;
        ss[i] = r->match.single[i]->label;
        sw[i] = r->name[r->match.single_which[i]];
    }
    /* /sessions, /states, /codebook from the first coding; the inputs of
     * both in the provenance */
    ds_corpus_t lv = r->match.view[0];
    lv.files = r->files.name;
    lv.sha256 = r->files.sha256;
    lv.n_files = r->files.n;
    ds_provenance_t prov = {.command_line = r->o->inv->command_line,
                            .parameters_json = params,
                            .seed = r->o->seed};
    ds_layout_agree_t L = {
        .result = r->res,
        .first = r->name[0],
        .second = r->name[1],
        .n_metrics = r->cv[0].n_metrics,
        .metric = (const char *const *)r->cv[0].name,
        .icc = r->icc,
        .value_first = r->cv[0].value,
        .value_second = r->cv[1].value,
        .conf_level = CONF_LEVEL,
        .n_single = r->match.n_single,
        .single_couple = sc,
        .single_session = ss,
        .single_coded_by = sw};
    rc = ds_results_create(r->o->output, &f, &err);
    if (!rc) {
        ds_results_set_threads(f, ds_common_threads(r->o));
        rc = ds_layout_corpus(f, &lv, r->an[0], &prov, &err);
    }
    if (!rc)
        rc = ds_layout_agreement(f, &L, &err);
    if (!rc)
        rc = ds_results_finish(f, &err);
    if (!rc) {
        r->out = f;
        f = NULL;
    }
done:
    ds_results_abort(f);
    if (rc)
        ds_msg_error("%s", err.msg);
    free(sc);
    free(ss);
    free(sw);
    return rc ? DS_EXIT_DATA : DS_EXIT_OK;
}

/* ---- the table on standard output ----------------------------------- */

static void num(char *buf, size_t n, double x, int dec)
{
    if (isnan(x))
        snprintf(buf, n, "NA");
    else /* no "-0.000" */
        snprintf(buf, n, "%.*f", dec,
                 fabs(x) < 0.5 * pow(10, -dec) ? 0.0 : x);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Median, lowest and highest of the finite session kappas. */
static size_t kappa_spread(const ds_agree_stats_t *st, size_t S, double *med,
                           double *lo, double *hi)
{
    double *k = malloc((S ? S : 1) * sizeof *k);
    size_t n = 0;
    *med = *lo = *hi = NAN;
    if (!k)
        return 0;
    for (size_t s = 0; s < S; s++)
        if (isfinite(st[s].kappa))
            k[n++] = st[s].kappa;
    if (n) {
        qsort(k, n, sizeof *k, cmp_double);
        *med = n % 2 ? k[n / 2] : (k[n / 2 - 1] + k[n / 2]) / 2;
        *lo = k[0];
        *hi = k[n - 1];
    }
    free(k);
    return n;
}

static void print_events(const run_t *r)
{
    const ds_agree_result_t *x = r->res;
    const ds_agree_stats_t *p = &x->pooled;
    char k[16], km[16], c1[32], c2[32], c3[32];
    num(k, sizeof k, p->kappa, 3);
    num(km, sizeof km, p->kappa_max, 3);
    printf("\nEvent agreement, pooled over the %zu session%s\n", x->S,
           x->S == 1 ? "" : "s");
    printf("  Cohen's kappa        %-8s (kappa max given the marginals: %s)\n",
           k, km);
    ds_format_count(c1, sizeof c1, (unsigned long long)p->n_agreements);
    ds_format_count(c2, sizeof c2, (unsigned long long)p->n_pairs);
    num(k, sizeof k, p->percent_agreement, 1);
    strcat(k, isnan(p->percent_agreement) ? "" : "%");
    printf("  percent agreement    %-8s (%s agreements in %s aligned pairs)\n",
           k, c1, c2);
    ds_format_count(c1, sizeof c1, (unsigned long long)p->n_matched);
    printf("  events paired        %-8s (agreements and substitutions)\n",
           c1);
    ds_format_count(c2, sizeof c2, (unsigned long long)p->n_unmatched_first);
    ds_format_count(c3, sizeof c3, (unsigned long long)p->n_unmatched_second);
    printf("  unmatched (nil)      first %s, second %s\n", c2, c3);
    double med, lo, hi;
    size_t n = kappa_spread(x->stats, x->S, &med, &lo, &hi);
    if (n) {
        num(k, sizeof k, med, 3);
        num(c1, sizeof c1, lo, 3);
        num(c2, sizeof c2, hi, 3);
        printf("  per session          kappa median %s (from %s to %s, %zu "
               "session%s)\n", k, c1, c2, n, n == 1 ? "" : "s");
    }
    if (x->has_units) {
        const ds_agree_stats_t *u = &x->unit_pooled;
        int64_t units = 0;
        for (size_t s = 0; s < x->S; s++)
            units += x->n_units[s];
        num(k, sizeof k, u->kappa, 3);
        num(km, sizeof km, u->percent_agreement, 1);
        ds_format_count(c1, sizeof c1, (unsigned long long)u->n_pairs);
        ds_format_count(c2, sizeof c2, (unsigned long long)units);
        printf("Time-unit agreement (%g-s units, tolerance %g s)\n",
               x->unit_s, (double)x->unit_tolerance * x->unit_s);
        printf("  Cohen's kappa        %-8s (%s%% of the %s units either "
               "coding coded; %s units in all)\n", k, km, c1, c2);
    }
}

static void print_codes(const run_t *r)
{
    const ds_agree_result_t *x = r->res;
    const ds_corpus_t *c = &r->match.view[0];
    size_t K = x->K, K1 = K + 1, w = strlen("state");
    for (size_t i = 0; i < K; i++)
        if (strlen(c->state_label[i]) > w)
            w = strlen(c->state_label[i]);
    printf("\nPer code (each code against all others and nil)\n");
    printf("  %-*s %8s %8s %8s %8s%s\n", (int)w, "state", "first", "second",
           "agreed", "kappa", x->has_units ? "  time-unit kappa" : "");
    for (size_t i = 0; i <= K; i++) {
        int64_t rs = 0, cs = 0;
        for (size_t j = 0; j < K1; j++)
            if (!(i == K && j == K)) {
                rs += x->pooled_matrix[i * K1 + j];
                cs += x->pooled_matrix[j * K1 + i];
            }
        if (i == K) {
            printf("  %-*s %8lld %8lld %8s %8s\n", (int)w, "nil",
                   (long long)rs, (long long)cs, "-", "-");
            break;
        }
        char k[16], ku[16] = "";
        num(k, sizeof k, x->pooled_per_code_kappa[i], 3);
        if (x->has_units)
            num(ku, sizeof ku, x->unit_pooled_per_code_kappa[i], 3);
        printf("  %-*s %8lld %8lld %8lld %8s%s%8s\n", (int)w,
               c->state_label[i], (long long)rs, (long long)cs,
               (long long)x->pooled_matrix[i * K1 + i], k,
               x->has_units ? "  " : "", ku);
    }
}

/* Decimals that show x to about 3 significant digits (0 to 6). */
static int decimals(double x)
{
    x = fabs(x);
    if (!(x > 0) || !isfinite(x))
        return 2;
    int d = 2 - (int)floor(log10(x));
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

static void print_icc(const run_t *r)
{
    const ds_compare_values_t *v = &r->cv[0];
    size_t M = v->n_metrics, w = strlen("metric");
    if (M == 0)
        return;
    for (size_t m = 0; m < M; m++)
        if (strlen(v->name[m]) > w)
            w = strlen(v->name[m]);
    printf("\nReliability of the session-level results: ICC(A,1), two-way, "
           "absolute agreement,\nsingle measures (McGraw & Wong 1996), over "
           "the sessions where the metric is\ndefined in both codings; diff "
           "= second - first.\n");
    printf("  %-*s %4s %7s  %-17s %10s %10s %10s\n", (int)w, "metric", "n",
           "ICC", "[95% CI]", "mean first", "second", "diff");
    for (size_t m = 0; m < M; m++) {
        const ds_icc_t *c = &r->icc[m];
        char icc[16], lo[16], hi[16], ci[40], f[24], s[24], d[24];
        num(icc, sizeof icc, c->icc, 3);
        num(lo, sizeof lo, c->ci_low, 2);
        num(hi, sizeof hi, c->ci_high, 2);
        if (isnan(c->ci_low))
            snprintf(ci, sizeof ci, "NA");
        else
            snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
        int dp = decimals(fmax(fabs(c->mean_first), fabs(c->mean_second)));
        num(f, sizeof f, c->mean_first, dp);
        num(s, sizeof s, c->mean_second, dp);
        num(d, sizeof d, c->mean_diff, dp);
        printf("  %-*s %4zu %7s  %-17s %10s %10s %10s\n", (int)w, v->name[m],
               c->n, icc, ci, f, s, d);
    }
}

static void print_table(const run_t *r)
{
    const ds_agree_result_t *x = r->res;
    printf("Inter-coder agreement: first coding '%s', second coding '%s'\n",
           r->name[0], r->name[1]);
    printf("%zu session%s coded in both", x->S, x->S == 1 ? "" : "s");
    if (r->match.n_single)
        printf("; %zu in one only (left out)", r->match.n_single);
    printf(".\n");
    if (x->by_time)
        printf("Events pair when their onsets are within %g s ",
               x->tolerance_s);
    else
        printf("No time column: events are aligned by order ");
    printf("(Bakeman, Quera &\nGnisci 2009): an agreement costs 0, a "
           "substitution 1, an unmatched event (nil) 1.\ndocs/agree.md "
           "explains every number.\n");
    print_events(r);
    print_codes(r);
    print_icc(r);
}

/* ---- the command ----------------------------------------------------- */

/* Options that need each other; a usage error status, or 0. */
static int check_args(agree_args_t *a, const ds_common_opts_t *o,
                      size_t n_inputs)
{
    if (!o->output)
        return ds_usage_error("agree", "give the results file with -o "
                              "FILE.h5");
    if (a->coders) {
        if (ds_split_list(a->coders, &a->coder, &a->n_coder)) {
            ds_msg_error("out of memory");
            return DS_EXIT_DATA;
        }
        if (a->n_coder != 2 || !*a->coder[0] || !*a->coder[1] ||
            strcmp(a->coder[0], a->coder[1]) == 0)
            return ds_usage_error("agree", "--coders takes two different "
                                  "coder names X,Y, not '%s'", a->coders);
    } else if (n_inputs != 2) {
        return ds_usage_error("agree", "give the two codings as FIRST "
                              "SECOND (%zu input%s given), or one set of "
                              "inputs with a coder column and --coders X,Y",
                              n_inputs, n_inputs == 1 ? "" : "s");
    }
    double w = a->unit_tolerance / a->time_unit, rw = nearbyint(w);
    if (fabs(w - rw) > 1e-9 * fmax(1.0, w))
        return ds_usage_error("agree", "--unit-tolerance %g s is not a "
                              "whole number of %g-s time units",
                              a->unit_tolerance, a->time_unit);
    return 0;
}

static int run_agree(run_t *r, char *const *inputs, size_t n_inputs)
{
    const agree_args_t *a = r->a;
    const ds_common_opts_t *o = r->o;
    ds_error_t err = {0};
    int status;
    r->name[0] = a->coders ? a->coder[0] : inputs[0];
    r->name[1] = a->coders ? a->coder[1] : inputs[1];
    r->cb_name[0] = o->codebook ? o->codebook : "the built-in codebook";
    r->cb_name[1] = a->second_codebook ? a->second_codebook : r->cb_name[0];
    if (ds_cli_check_output(o->output, inputs, n_inputs))
        return DS_EXIT_DATA;
    if ((status = codebooks_agree(r)))
        return status;
    status = a->coders ? load_coders(r, inputs, n_inputs)
                       : load_two(r, inputs);
    if (status)
        return status;
    if (ds_agree_match(r->coding, r->name, r->cb_name, &r->match, &err)) {
        ds_msg_error("%s", err.msg);
        return DS_EXIT_DATA;
    }
    report_single(r);
    ds_agree_opts_t ao;
    ds_agree_opts_init(&ao);
    ao.tolerance_s = a->tolerance;
    ao.unit_s = a->time_unit;
    ao.unit_tolerance = (size_t)nearbyint(a->unit_tolerance / a->time_unit);
    ao.threads = ds_common_threads(o);
    int rc = ds_agree_run(&r->match.view[0], &r->match.view[1], &ao, &r->res,
                          &err);
    if (rc) {
        ds_msg_error("%s", err.msg);
        return rc == DS_EUSAGE ? DS_EXIT_USAGE : DS_EXIT_DATA;
    }
    if (!r->res->has_units && r->match.view[0].has_time && !o->quiet)
        ds_msg_warning("time-unit agreement not computed: %s",
                       r->res->units_skipped);
    if ((status = reliability(r)))
        return status;
    char *params = parameters_json(r);
    if (!params) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    status = write_file(r, params);
    free(params);
    if (status)
        return status;
    /* the file gets its name only when the table could be written too, so
     * that an exit status of 1 leaves no file (issue 18 #8) */
    print_table(r);
    if (!o->quiet)
        printf("\nwrote %s: /agreement of %zu sessions\n", o->output,
               r->res->S);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output: %s; %s not written",
                     strerror(errno), o->output);
        return DS_EXIT_DATA;
    }
    ds_results_t *f = r->out;
    r->out = NULL;
    if (ds_results_commit(f, &err)) {
        ds_msg_error("%s", err.msg);
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}

int main_agree(int argc, char **argv, const ds_invocation_t *inv)
{
    agree_args_t a = {.tolerance = DS_AGREE_TOLERANCE_DEFAULT,
                      .time_unit = 1.0};
    ds_common_opts_t o;
    char **inputs;
    size_t n_inputs;
    int status = ds_cmd_parse(&spec, argc, argv, &o, &a, &inputs, &n_inputs);
    if (status >= 0)
        return status;
    o.inv = inv;
    if ((status = check_args(&a, &o, n_inputs))) {
        ds_free_list(a.coder, a.n_coder);
        return status;
    }
    run_t r = {.a = &a, .o = &o};
    status = run_agree(&r, inputs, n_inputs);
    run_clear(&r);
    ds_free_list(a.coder, a.n_coder);
    return status;
}
