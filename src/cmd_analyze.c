/*
 * cmd_analyze.c — `dyadseq analyze`: validate, compute every statistic,
 * write one results file (SPEC 2, 4, 5).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "commands.h"
#include "dyadseq/analysis.h"
#include "dyadseq/dist.h"
#include "cli.h"
#include "cli_ap.h"
#include "json.h"
#include "layout.h"
#include "results.h"
#include "text.h"
#include "dyadseq/zeros.h"

#define MAX_LAG 1000
#define MAX_LAGS 32

enum {
    OPT_LAGS = DS_OPT_COMMAND,
    OPT_ZEROS,
    OPT_ZERO_CORRECTION,
    OPT_PERMUTATIONS,
    OPT_WINDOW,
    OPT_TIME_UNIT,
    OPT_TARGET,
    OPT_RESPONSE_WINDOW,
    OPT_CYCLE_MIN,
    OPT_COMPRESS,
    OPT_NO_WINDOW,
    OPT_WINDOW_EDGES,
    OPT_ACTOR_PARTNER,
    OPT_AP_DELTA
};

static const struct option own_opts[] = {
    {"lags", required_argument, NULL, OPT_LAGS},
    {"structural-zeros", required_argument, NULL, OPT_ZEROS},
    {"zero-correction", required_argument, NULL, OPT_ZERO_CORRECTION},
    {"permutations", required_argument, NULL, OPT_PERMUTATIONS},
    {"window", optional_argument, NULL, OPT_WINDOW},
    {"time-unit", required_argument, NULL, OPT_TIME_UNIT},
    {"target", required_argument, NULL, OPT_TARGET},
    {"response-window", required_argument, NULL, OPT_RESPONSE_WINDOW},
    {"cycle-min", required_argument, NULL, OPT_CYCLE_MIN},
    {"compress", required_argument, NULL, OPT_COMPRESS},
    {"no-window", no_argument, NULL, OPT_NO_WINDOW},
    {"window-edges", required_argument, NULL, OPT_WINDOW_EDGES},
    {"actor-partner", required_argument, NULL, OPT_ACTOR_PARTNER},
    {"ap-delta", required_argument, NULL, OPT_AP_DELTA},
    {NULL, 0, NULL, 0}};

typedef struct analyze_args {
    size_t lags[MAX_LAGS];
    size_t n_lags;
    const char *zeros;
    double zero_correction;
    size_t permutations;
    int window;        /* 1 on (default), 0 off (--no-window) */
    int window_given;  /* --window on the command line */
    const char *window_asked; /* the option that asked for time windows
                                 (--window, --time-unit, --target), or NULL */
    long lo, hi;
    double time_unit;
    int target_ongoing;
    int edges_drop;    /* --window-edges drop */
    int argc;          /* the command line, for `--window LO:HI` */
    char **argv;
    double response_window;
    size_t cycle_min;
    int compress;
    ds_cli_ap_t ap;    /* --actor-partner, --ap-delta */
} analyze_args_t;

static void own_help(FILE *fp)
{
    fprintf(fp,
        "      --lags LIST       lags of the event lag tables, e.g. 1,2,3 "
        "[1]\n"
        "      --structural-zeros none|diagonal|FILE\n"
        "                        lag-1 cells that cannot occur; FILE is a "
        "CSV of from,to\n"
        "                        state labels [none]\n"
        "      --zero-correction 0|0.5\n"
        "                        add 0.5 to all four cells of a 2x2 "
        "collapse with a zero\n"
        "                        cell (Yule's Q, log odds ratio) [0]\n"
        "      --permutations M  within-session permutation tests of the "
        "residuals [0]\n"
        "      --window [LO:HI]  time-window tallies: units LO to HI after "
        "the given\n"
        "                        event's unit (also --window=LO:HI) [1:5; "
        "computed when\n"
        "                        the input has times]\n"
        "      --no-window       no time-window tallies\n"
        "      --window-edges keep|drop\n"
        "                        drop: leave out the units whose window "
        "reaches past the\n"
        "                        start or end of the observation (interval "
        "data: window\n"
        "                        1:1 tallies consecutive intervals, as a "
        "lag-1 table) [keep]\n"
        "      --time-unit U     seconds per time unit of --window [1]\n"
        "      --target onset|ongoing\n"
        "                        a unit is a target when an event starts in "
        "it, or is in\n"
        "                        progress (needs durations) [onset]\n"
        "      --response-window W\n"
        "                        seconds within which a bid counts as "
        "answered; also the\n"
        "                        window of reciprocated softening [5]\n"
        "      --cycle-min N     events in a pursue-withdraw cycle, at "
        "least [3]\n");
    ds_cli_ap_help(fp);
    fprintf(fp,
        "      --compress LEVEL  deflate level of large datasets, 0-9 (0 = "
        "none) [1]\n");
}

static int parse_lags(const char *arg, analyze_args_t *a)
{
    char **items;
    size_t n;
    if (ds_split_list(arg, &items, &n))
        return -1;
    int ok = n > 0 && n <= MAX_LAGS;
    a->n_lags = 0;
    for (size_t i = 0; ok && i < n; i++) {
        size_t v;
        ok = ds_parse_size(items[i], &v) == 0 && v >= 1 && v <= MAX_LAG;
        for (size_t k = 0; ok && k < a->n_lags; k++)
            ok = a->lags[k] != v;
        /* keep them in increasing order */
        size_t k = a->n_lags;
        while (ok && k > 0 && a->lags[k - 1] > v) {
            a->lags[k] = a->lags[k - 1];
            k--;
        }
        if (ok) {
            a->lags[k] = v;
            a->n_lags++;
        }
    }
    ds_free_list(items, n);
    return ok ? 0 : -1;
}

static int parse_window(const char *arg, analyze_args_t *a)
{
    char *end;
    errno = 0;
    long lo = strtol(arg, &end, 10);
    if (end == arg || *end != ':' || errno)
        return -1;
    const char *h = end + 1;
    long hi = strtol(h, &end, 10);
    if (end == h || *end || errno || lo > hi || lo < -100000 || hi > 100000)
        return -1;
    a->lo = lo;
    a->hi = hi;
    return 0;
}

static int own_option(int opt, const char *arg, void *ctx)
{
    analyze_args_t *a = ctx;
    double v;
    size_t n;
    switch (opt) {
    case OPT_LAGS:
        if (parse_lags(arg, a))
            return ds_usage_error("analyze", "--lags takes distinct whole "
                                  "numbers from 1 to %d, comma separated, "
                                  "not '%s'", MAX_LAG, arg), -1;
        return 1;
    case OPT_ZEROS:
        a->zeros = arg;
        return 1;
    case OPT_ZERO_CORRECTION:
        if (ds_parse_double(arg, &v) || (v != 0 && v != 0.5))
            return ds_usage_error("analyze", "--zero-correction is 0 or "
                                  "0.5, not '%s'", arg), -1;
        a->zero_correction = v;
        return 1;
    case OPT_PERMUTATIONS:
        if (ds_parse_size(arg, &n) || n > 100000000)
            return ds_usage_error("analyze", "--permutations takes a whole "
                                  "number from 0 to 1e8, not '%s'", arg), -1;
        a->permutations = n;
        return 1;
    case OPT_NO_WINDOW:
        a->window = 0;
        return 1;
    case OPT_WINDOW:
        a->window = 1;
        a->window_given = 1;
        if (!a->window_asked)
            a->window_asked = "--window";
        /* `--window LO:HI`: the next word is the window when it reads as
         * one (getopt_long takes an optional value only after '=') */
        if (!arg && optind < a->argc && parse_window(a->argv[optind], a) == 0)
            arg = a->argv[optind++];
        if (arg && parse_window(arg, a))
            return ds_usage_error("analyze", "--window takes LO:HI, whole "
                                  "units with LO <= HI (e.g. 1:5), not '%s'",
                                  arg), -1;
        return 1;
    case OPT_WINDOW_EDGES:
        if (strcmp(arg, "keep") && strcmp(arg, "drop"))
            return ds_usage_error("analyze", "--window-edges is keep or "
                                  "drop, not '%s'", arg), -1;
        a->edges_drop = strcmp(arg, "drop") == 0;
        if (!a->window_asked)
            a->window_asked = "--window-edges";
        return 1;
    case OPT_TIME_UNIT:
        if (ds_parse_double(arg, &v) || !(v > 0))
            return ds_usage_error("analyze", "--time-unit takes seconds > 0, "
                                  "not '%s'", arg), -1;
        a->time_unit = v;
        if (!a->window_asked)
            a->window_asked = "--time-unit";
        return 1;
    case OPT_TARGET:
        if (strcmp(arg, "onset") && strcmp(arg, "ongoing"))
            return ds_usage_error("analyze", "--target is onset or ongoing, "
                                  "not '%s'", arg), -1;
        a->target_ongoing = strcmp(arg, "ongoing") == 0;
        if (!a->window_asked)
            a->window_asked = "--target";
        return 1;
    case OPT_RESPONSE_WINDOW:
        if (ds_parse_double(arg, &v) || v < 0)
            return ds_usage_error("analyze", "--response-window takes "
                                  "seconds >= 0, not '%s'", arg), -1;
        a->response_window = v;
        return 1;
    case OPT_CYCLE_MIN:
        if (ds_parse_size(arg, &n) || n < 2 || n > 1000000)
            return ds_usage_error("analyze", "--cycle-min takes a whole "
                                  "number >= 2, not '%s'", arg), -1;
        a->cycle_min = n;
        return 1;
    case OPT_ACTOR_PARTNER:
        return ds_cli_ap_add(&a->ap, "analyze", arg);
    case OPT_AP_DELTA:
        return ds_cli_ap_set_delta(&a->ap, "analyze", arg);
    case OPT_COMPRESS:
        if (ds_parse_size(arg, &n) || n > 9)
            return ds_usage_error("analyze", "--compress takes a level from "
                                  "0 to 9, not '%s'", arg), -1;
        a->compress = (int)n;
        return 1;
    default:
        return 0;
    }
}

static const ds_cmd_spec_t spec = {
    .name = "analyze",
    .about = "Validate transcripts and compute every statistic of a study "
             "in parallel:\n"
             "         lag tables (counts, expected, transitional "
             "probabilities, adjusted\n"
             "         residuals, Yule's Q, log odds, Wampold's kappa, G²), "
             "pooled and per\n"
             "         session label, between-session summaries, permutation "
             "tests,\n"
             "         time windows, responsiveness to bids, pursue-withdraw "
             "cycles and\n"
             "         softening. Writes one HDF5 file (schemas/results.md).",
    .usage = "[options] -o FILE.h5 INPUT...",
    .common = DS_COMMON_INPUT | DS_COMMON_OUTPUT | DS_COMMON_THREADS |
              DS_COMMON_SEED | DS_COMMON_PROGRESS | DS_COMMON_IMPORT,
    .own = own_opts,
    .own_help = own_help,
    .own_option = own_option,
    .min_args = 1,
};

static char *parameters_json(const analyze_args_t *a,
                             const ds_common_opts_t *o)
{
    ds_json_t j;
    double lags[MAX_LAGS];
    for (size_t i = 0; i < a->n_lags; i++)
        lags[i] = (double)a->lags[i];
    ds_json_begin(&j);
    ds_json_string(&j, "command", "analyze");
    if (o->format) /* other tools' files: the format; the rest of the
                      mapping is in the command line */
        ds_json_string(&j, "format", o->format);
    ds_json_string(&j, "codebook", o->codebook ? o->codebook : "built-in");
    ds_json_string(&j, "actors", o->actors);
    ds_json_bool(&j, "sort", o->sort);
    ds_json_bool(&j, "merge", o->merge);
    ds_json_numbers(&j, "lags", lags, a->n_lags);
    ds_json_string(&j, "structural_zeros", a->zeros);
    ds_json_number(&j, "zero_correction", a->zero_correction);
    ds_json_number(&j, "permutations", (double)a->permutations);
    ds_json_number(&j, "seed", (double)o->seed);
    ds_json_bool(&j, "window", a->window);
    ds_json_number(&j, "window_lo", (double)a->lo);
    ds_json_number(&j, "window_hi", (double)a->hi);
    ds_json_number(&j, "time_unit_s", a->time_unit);
    ds_json_string(&j, "target", a->target_ongoing ? "ongoing" : "onset");
    ds_json_string(&j, "window_edges", a->edges_drop ? "drop" : "keep");
    ds_json_number(&j, "response_window_s", a->response_window);
    ds_json_number(&j, "cycle_min", (double)a->cycle_min);
    ds_json_number(&j, "compress", a->compress);
    ds_json_number(&j, "ipf_tolerance", 1e-10);
    if (a->ap.n_spec) { /* only then, so that other files are unchanged */
        ds_json_strings(&j, "actor_partner", a->ap.spec, a->ap.n_spec);
        ds_json_number(&j, "ap_delta", a->ap.delta);
    }
    /* not the thread count: it changes no result, and the file must be
     * byte-identical at any thread count */
    return ds_json_end(&j);
}

static double now(void)
{
#ifdef _OPENMP
    return omp_get_wtime();
#else
    return 0;
#endif
}

/*
 * An input that reads as a window, 0:2, and is no file was meant for
 * --window (written apart from it): say so rather than "cannot read input
 * '0:2'". Returns -1 after the message.
 */
static int check_window_typo(char *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        analyze_args_t t;
        struct stat st;
        if (stat(inputs[i], &st) == 0 || parse_window(inputs[i], &t) != 0)
            continue;
        ds_usage_error("analyze", "'%s' is not an input file; a window is "
                       "given right after --window: --window %s",
                       inputs[i], inputs[i]);
        return -1;
    }
    return 0;
}

/*
 * Warn about each metric that is on (by default or asked for) but could
 * not be computed, naming the metrics and the column they lack (SPEC 3:
 * without `actor` no dyadic metrics, without `time` no time-based ones),
 * one line per cause; and about a partner who never acts, whose dyadic
 * metrics are computed but can only be empty.
 */
static void warn_not_computed(const ds_corpus_t *c, const ds_analysis_t *res,
                              const analyze_args_t *a, const char *actors)
{
    int dyadic = c->has_actor && c->n_actors >= 2;
    if (!c->has_time) {
        char what[128] = "";
        if (a->window && a->window_asked)
            snprintf(what, sizeof what, "time windows (asked for with %s)",
                     a->window_asked);
        else if (a->window)
            snprintf(what, sizeof what, "time windows");
        if (dyadic && !res->responsive)
            snprintf(what + strlen(what), sizeof what - strlen(what), "%s",
                     *what ? " and responsiveness" : "responsiveness");
        if (*what)
            ds_msg_warning("%s not computed: the input has no time column%s",
                           what,
                           res->cycles ? "; cycles and softening are counted "
                                         "without times (their times, rates "
                                         "and shares are NA)"
                                       : "");
    } else if (a->window && !res->window) {
        if (a->target_ongoing && !c->has_duration)
            ds_msg_warning("time windows not computed: --target ongoing "
                           "needs a duration column and the input has none "
                           "(the default, --target onset, does not)");
        else
            ds_msg_warning("time windows not computed: %s",
                           res->window_skipped ? res->window_skipped
                                               : "unknown reason");
    }
    if (!c->has_actor) {
        ds_msg_warning("responsiveness, cycles and softening not computed: "
                       "the input has no actor column");
    } else if (c->n_actors < 2) {
        ds_msg_warning("responsiveness, cycles and softening not computed: "
                       "they need two partners and --actors names one "
                       "('%s')", c->actors[0]);
    } else {
        /* the first two actors are the partners (docs/statistics-dyadic.md);
         * their events counted from the sessions' state frequencies, not
         * by another pass over every event */
        int64_t n[2] = {0, 0};
        size_t K = c->n_states;
        for (size_t s = 0; s < c->n_sessions; s++)
            for (size_t k = 0; k < K; k++) {
                int who = c->state_actor[k];
                if (who == 0 || who == 1)
                    n[who] += res->state_freq[s * K + k];
            }
        for (int p = 0; p < 2; p++)
            if (n[p] == 0 && n[1 - p] > 0)
                ds_msg_warning("actor '%s' of --actors %s has no events: "
                               "responsiveness, cycles and softening are "
                               "computed as if %s never acted (no answer "
                               "to %s's bids, no cycles)",
                               c->actors[p], actors, c->actors[p],
                               c->actors[1 - p]);
    }
}

/* Actor-partner effects asked for but not computed: why. */
static void warn_ap_not_computed(const ds_corpus_t *c,
                                 const ds_analysis_t *res,
                                 const analyze_args_t *a)
{
    if (!a->ap.n_spec || res->ap)
        return;
    if (!c->has_time)
        ds_msg_warning("actor-partner effects not computed: the input has "
                       "no time column (they are counted on the time-unit "
                       "grid)");
    else
        ds_msg_warning("actor-partner effects not computed: %s",
                       res->ap_skipped ? res->ap_skipped : "unknown reason");
}

/*
 * The structural zeros of --structural-zeros over c's states, checked
 * against every session (*zero NULL for none). Returns DS_EXIT_OK or the
 * exit status after the messages.
 */
static int load_zeros(const analyze_args_t *a, const ds_common_opts_t *o,
                      const ds_corpus_t *c, uint8_t **zero)
{
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    int status = DS_EXIT_OK;
    int rc = ds_zeros_load(a->zeros, c, zero, &diag, &err);
    if (rc == DS_OK && ds_zeros_check(c, *zero, &diag) > 0)
        rc = DS_EDATA;
    if (rc) {
        if (rc == DS_EDATA)
            ds_print_diag(&diag, o->quiet);
        else
            ds_msg_error("%s", err.msg);
        status = rc == DS_EUSAGE ? DS_EXIT_USAGE : DS_EXIT_DATA;
    }
    ds_diag_clear(&diag);
    return status;
}

/* The analysis options of the command line, for corpus c. */
static void analysis_opts(ds_analysis_opts_t *ao, const analyze_args_t *a,
                          const ds_common_opts_t *o, const ds_corpus_t *c,
                          const uint8_t *zero)
{
    ds_analysis_opts_init(ao);
    ao->lags = a->lags;
    ao->n_lags = a->n_lags;
    ao->zero = zero;
    ao->lag.zero_correction = a->zero_correction;
    ao->permutations = a->permutations;
    ao->seed = o->seed;
    /* windows are on by default, but only where there are times to cut */
    ao->window = a->window && (c->has_time || a->window_given);
    ao->window_opts.lo = a->lo;
    ao->window_opts.hi = a->hi;
    ao->window_opts.unit_s = a->time_unit;
    ao->window_opts.target_ongoing = a->target_ongoing;
    ao->window_opts.edges = a->edges_drop ? DS_WINDOW_EDGES_DROP
                                          : DS_WINDOW_EDGES_KEEP;
    ao->responsive_opts.window_s = a->response_window;
    ao->cycles_opts.min_len = a->cycle_min;
    ao->cycles_opts.window_s = a->response_window;
    ao->ap_opts.unit_s = a->time_unit;
    ao->ap_opts.target_ongoing = a->target_ongoing;
    ao->ap_opts.delta = a->ap.delta;
    ao->dist = ds_dist_world(); /* the MPI ranks sharing the run, if any */
}

/* The results file of a run and the streams into which the analysis
 * writes its per-session arrays block by block as sessions are computed,
 * so that they are never held whole (issue #7: memory): begun by the
 * analysis (sink_begin), at two threads while it computes the first
 * block (issue 16), and written by its sinks. */
typedef struct sinks {
    const analyze_args_t *a;
    const ds_common_opts_t *o;
    const ds_corpus_t *c;
    const ds_analysis_opts_t *ao;
    const uint8_t *zero;
    ds_results_t *r;
    ds_layout_stream_t *ls;
} sinks_t;

/* Begin the results file: provenance, the corpus, and the streams. */
static int sinks_begin(void *ctx, ds_error_t *err)
{
    sinks_t *k = ctx;
    char *params = parameters_json(k->a, k->o);
    if (!params)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    ds_provenance_t prov = {.command_line = k->o->inv->command_line,
                            .parameters_json = params,
                            .seed = k->o->seed};
    int rc = ds_results_create(k->o->output, &k->r, err);
    if (!rc) {
        ds_results_set_compression(k->r, k->a->compress);
        ds_results_set_threads(k->r, ds_common_threads(k->o));
        rc = ds_layout_corpus(k->r, k->c, NULL, &prov, err);
    }
    free(params);
    if (!rc)
        rc = ds_layout_stream_begin(k->r, k->c, k->ao, k->zero, &k->ls, err);
    /* a file that cannot be made where -o says is not a usage error: exit
     * status 1, as for any failed write */
    return rc == DS_EUSAGE ? DS_EIO : rc;
}

static int sinks_block(void *ctx, const ds_analysis_block_t *b,
                       ds_error_t *err)
{
    return ds_layout_stream_block(((sinks_t *)ctx)->ls, b, err);
}

static int sinks_sessions(void *ctx, const ds_analysis_t *res,
                          ds_error_t *err)
{
    return ds_layout_stream_sessions(((sinks_t *)ctx)->ls, res, err);
}

static int sinks_pooled(void *ctx, const ds_analysis_t *res, ds_error_t *err)
{
    return ds_layout_stream_pooled(((sinks_t *)ctx)->ls, res, err);
}

/* The analysis' sinks into k (begun by the analysis). */
static void sinks_init(sinks_t *k, const analyze_args_t *a,
                       const ds_common_opts_t *o, const ds_corpus_t *c,
                       ds_analysis_opts_t *ao, const uint8_t *zero)
{
    *k = (sinks_t){.a = a, .o = o, .c = c, .ao = ao, .zero = zero};
    ao->sink_begin = sinks_begin;
    ao->block_sink = sinks_block;
    ao->sessions_sink = sinks_sessions;
    ao->pooled_sink = sinks_pooled;
    ao->block_ctx = k;
    ao->block_rows = ds_layout_block_rows(c->n_states, a->n_lags,
                                          ds_analysis_window_skipped(c, ao) ==
                                              NULL);
}

/* ", permute N s" of the -v timing line (static storage). */
static const char *permute_time(const ds_analysis_t *res)
{
    static char buf[64];
    snprintf(buf, sizeof buf, ", permute %.3f s", res->seconds_permute);
    return buf;
}

/* "wrote FILE: ..." on standard output, then the actor-partner
 * coefficients; -1 after a message if it cannot be written. */
static int print_summary(const analyze_args_t *a, const ds_common_opts_t *o,
                         const ds_corpus_t *c, const ds_analysis_t *res,
                         const ds_analysis_opts_t *ao)
{
    printf("wrote %s: %zu sessions of %zu couples, %zu events, %zu "
           "states, lag%s",
           o->output, c->n_sessions, ds_corpus_n_couples(c), c->n_events,
           c->n_states, a->n_lags > 1 ? "s" : "");
    for (size_t i = 0; i < a->n_lags; i++)
        printf("%s%zu", i ? "," : " ", a->lags[i]);
    printf("%s%s%s%s%s\n", res->window ? ", time windows" : "",
           res->responsive ? ", responsiveness" : "",
           res->cycles ? ", cycles, softening" : "",
           res->ap ? ", actor-partner effects" : "",
           a->permutations ? ", permutation tests" : "");
    if ((res->ap && ds_cli_ap_print(stdout, c, res, &ao->ap_opts, 50)) ||
        fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output: %s; %s not written",
                     strerror(errno), o->output);
        return -1;
    }
    return 0;
}

/* The checks before reading: -o given, no --window typo among the inputs,
 * an output path that destroys nothing. -1 when all is well, else the exit
 * status to return (after the message). */
static int check_command(const ds_common_opts_t *o, char *const *inputs,
                         size_t n_inputs)
{
    if (!o->output)
        return ds_usage_error("analyze", "give the results file with -o "
                              "FILE.h5");
    if (check_window_typo(inputs, n_inputs))
        return DS_EXIT_USAGE;
    if (ds_cli_check_output(o->output, inputs, n_inputs))
        return DS_EXIT_DATA;
    return -1;
}

/* After the analysis: the end of the streams and the file's last parts,
 * all but its name (ds_results_commit). Returns 0, or -1 after the
 * message. */
static int end_results(ds_results_t *r, ds_layout_stream_t *ls,
                       const ds_analysis_t *res)
{
    ds_error_t err = {0};
    int rc = ds_layout_stream_end(ls, res, &err);
    if (!rc)
        rc = ds_results_finish(r, &err);
    if (rc) {
        ds_msg_error("%s", err.msg);
        return -1;
    }
    return 0;
}

int main_analyze(int argc, char **argv, const ds_invocation_t *inv)
{
    analyze_args_t a = {.lags = {1}, .n_lags = 1, .zeros = "none",
                        .window = 1,
                        .lo = 1, .hi = 5, .time_unit = 1,
                        .response_window = DS_RESPONSE_WINDOW_DEFAULT,
                        .cycle_min = DS_CYCLE_MIN_DEFAULT,
                        .compress = DS_RESULTS_DEFAULT_LEVEL,
                        .ap = {.delta = DS_AP_DELTA_DEFAULT}};
    ds_common_opts_t o;
    char **inputs;
    size_t n_inputs;
    a.argc = argc;
    a.argv = argv;
    int status = ds_cmd_parse(&spec, argc, argv, &o, &a, &inputs, &n_inputs);
    if (status >= 0)
        return status;
    o.inv = inv;
    if ((status = check_command(&o, inputs, n_inputs)) >= 0) {
        ds_common_clear(&o);
        return status;
    }

    ds_corpus_t *c = NULL;
    ds_analysis_t *res = NULL;
    ds_results_t *r = NULL;
    ds_layout_stream_t *ls = NULL;
    uint8_t *zero = NULL;
    ds_ap_model_t *ap = NULL;
    size_t n_ap = 0;
    ds_error_t err = {0};
    status = DS_EXIT_DATA;

    double t0 = now();
    /* without structural zeros no message after reading cites an event's
     * line: the reader keeps none (issue #7) */
    o.drop_lines = strcmp(a.zeros, "none") == 0;
    int rc = ds_cli_load_corpus(&o, inputs, n_inputs, &c);
    ds_common_clear(&o);
    if (rc) {
        status = rc;
        goto done;
    }
    /* The reader's buffers and the pieces' builders are freed by now and
     * their pages stay with the malloc arenas, where the analysis reuses
     * them. They were given back here once (malloc_trim) for issue #7's
     * peak memory; since the streams write blocks as they are computed
     * that no longer lowers the peak (2M events, 2 threads: 137-138 MiB
     * either way), and the analysis then faulted fresh pages back in,
     * which in this project's virtual machine costs about 1 ms a
     * megabyte: 30 ms of a 1M-event run (issue 16). */
    double t_parse = now() - t0;

    if ((status = load_zeros(&a, &o, c, &zero)) != DS_EXIT_OK ||
        (status = ds_cli_ap_models(&a.ap, "analyze", c, &ap, &n_ap)))
        goto done;
    status = DS_EXIT_DATA;
    /* every message about the data is out: the events' lines go */
    ds_corpus_drop_sources(c);

    ds_analysis_opts_t ao;
    analysis_opts(&ao, &a, &o, c, zero);
    ao.ap_models = ap;
    ao.n_ap_models = n_ap;
    sinks_t sinks;
    sinks_init(&sinks, &a, &o, c, &ao, zero);
    double t_write = 0;
    t0 = now();
    rc = ds_cli_run_analysis(&o, "analyze", c, &ao,
                             c->n_events * (1 + a.permutations), &res);
    r = sinks.r; /* the file and streams the analysis began, if it did */
    ls = sinks.ls;
    /* compute: every statistic, permutations included; the time spent
     * writing blocks counts as writing */
    double t_compute = now() - t0 - (res ? res->seconds_sink : 0);
    if (rc) {
        status = rc;
        goto done;
    }
    t_write += res->seconds_sink;
    if (!o.quiet) {
        warn_not_computed(c, res, &a, o.actors);
        warn_ap_not_computed(c, res, &a);
    }

    t0 = now();
    if (end_results(r, ls, res))
        goto done;
    t_write += now() - t0;
    if (o.verbose) /* one line, parsed by scripts/bench/run.sh */
        fprintf(stderr, "dyadseq: time: parse %.3f s, compute %.3f s, "
                        "write %.3f s%s\n", t_parse, t_compute, t_write,
                a.permutations ? permute_time(res) : "");
    /* the file is complete; it gets its name only when the summary could
     * be written too, so that an exit status of 1 leaves no file */
    if (!o.quiet && print_summary(&a, &o, c, res, &ao))
        goto done;
    rc = ds_results_commit(r, &err);
    r = NULL;
    if (rc) {
        ds_msg_error("%s", err.msg);
        goto done;
    }
    status = DS_EXIT_OK;
done:
    ds_layout_stream_free(ls);
    ds_results_abort(r);
    free(zero);
    ds_cli_ap_models_free(ap, n_ap);
    /* The file is written and the process ends next: freeing the events
     * and the results one array at a time took 6-8 ms on the 1-million-
     * event benchmark (issue 16), for memory that the exit returns at
     * once. Memory checkers still see everything freed. */
    if (status != DS_EXIT_OK || ds_cli_memory_checked()) {
        ds_analysis_free(res);
        ds_corpus_free(c);
    }
    return status;
}
