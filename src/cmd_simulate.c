/*
 * cmd_simulate.c — `dyadseq simulate`: write synthetic transcripts with
 * known sequential structure (SPEC 2), from the built-in model or a
 * --model transition matrix (the model itself is in simulate.c and
 * docs/simulate.md). Couples are named GROUP-NN; -o DIR/ writes one file
 * per couple, -o FILE one file, -o - standard output; every file is
 * written to a temporary name and renamed only when all are complete
 * (outfile.h, the one atomic save).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "cli.h"
#include "cli_sim.h"
#include "csvread.h"
#include "outfile.h"
#include "sim_sheet.h"
#include "dyadseq/simulate.h"
#include "text.h"

enum {
    OPT_COUPLES = DS_OPT_COMMAND,
    OPT_EVENTS,
    OPT_PRINT_MODEL,
    OPT_FORCE,
    OPT_CODER_ERROR,
    OPT_LAYOUT,
    OPT_INTERVAL,
    OPT_N_INTERVALS
};

static const struct option own_options[] = {
    {"couples", required_argument, NULL, OPT_COUPLES},
    {"events", required_argument, NULL, OPT_EVENTS},
    {"print-model", no_argument, NULL, OPT_PRINT_MODEL},
    {"force", no_argument, NULL, OPT_FORCE},
    {"coder-error", required_argument, NULL, OPT_CODER_ERROR},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"n-intervals", required_argument, NULL, OPT_N_INTERVALS},
    DS_CLI_SIM_OPTIONS, /* the model: --groups, --withdraw, ... */
    {NULL, 0, NULL, 0}};

#define DEFAULT_COUPLES 20

static void own_help(FILE *fp)
{
    fprintf(fp,
"  Study design\n"
"      --couples N         couples, split evenly over the groups (the first\n"
"                          groups get one more when N does not divide) [%d]\n"
"      --groups LIST       NAME:RATE,... groups of couples and the mean\n"
"                          probability that a bid is answered; couples are\n"
"                          NAME-01, NAME-02, ... [%s]\n"
"      --sessions LIST     session labels in therapy order: the first has the\n"
"                          pre values of the built-in model, the last the post\n"
"                          values, others in between linearly [%s]\n"
"      --events M          mean events per session; each session has\n"
"                          U{ceil(0.75 M) .. floor(1.25 M)} events [400]\n",
            DEFAULT_COUPLES, DS_CLI_SIM_GROUPS, DS_CLI_SIM_SESSIONS);
    ds_cli_sim_help(fp);
    fputs(
"  Model and output\n"
"      --model FILE        transition matrix CSV with columns from,to,p\n"
"                          (states ACTOR:CODE; rows sum to 1 within 1e-9)\n"
"                          for every couple and session, instead of the\n"
"                          built-in model; couples are couple-01, ... [off]\n"
"      --print-model       write the built-in model's matrices as CSV\n"
"                          group,session,pursuer,from,to,p, not transcripts\n"
"      --codebook FILE     codes of the transcripts; the built-in model uses\n"
"                          the first code of each role [built-in codebook]\n"
"      --actors LIST       the partners, comma separated [A,B]\n"
"      --force             replace existing output files [off]\n"
"      --coder-error SPEC  write a second coder's coding of the same study\n"
"                          instead: substitution=P,omission=P,jitter=S (any\n"
"                          of them; or P,P,S), each event left out with P,\n"
"                          else its code replaced by another of the same\n"
"                          actor with P, its onset moved uniformly within\n"
"                          +-S seconds; for 'dyadseq agree' [off]\n"
"      --layout events|intervals  transcripts, or an interval-coded sheet\n"
"                          (wide: a row per session, a 0/1 column per state\n"
"                          and interval, A_pursue01 ..; convert --from\n"
"                          intervals reads it) [events]\n"
"      --interval S        seconds per interval of --layout intervals [5]\n"
"      --n-intervals N     intervals per session (events later are not\n"
"                          coded) [48]\n"
"  Output: -o DIR/ (or an existing directory) writes DIR/COUPLE.csv for each\n"
"  couple, -o FILE all couples in one file, -o - or no -o standard output.\n"
"  Columns couple,session,actor,code,time,duration; a couple's sessions in\n"
"  --sessions order.\n",
          fp);
}


typedef struct sim_opts {
    ds_cli_sim_t m;          /* the model: --groups, --withdraw, --model, ... */
    size_t couples;
    int print_model, force;
    int coder_error;         /* --coder-error given */
    ds_sim_coder_error_t err2;
    int intervals;           /* --layout intervals */
    double interval;         /* --interval S */
    size_t n_intervals;      /* --n-intervals N */
} sim_opts_t;

/*
 * --coder-error: "substitution=P,omission=P,jitter=S" (any subset, any
 * order) or up to three numbers "P,P,S" in that order; 0 or -1.
 */
static int parse_coder_error(const char *arg, ds_sim_coder_error_t *e)
{
    static const char *const key[3] = {"substitution", "omission", "jitter"};
    double *slot[3] = {&e->substitution, &e->omission, &e->jitter_s};
    int seen[3] = {0, 0, 0}, named = strchr(arg, '=') != NULL;
    size_t n = 0;
    const char *p = arg;
    memset(e, 0, sizeof *e);
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[64];
        if (len == 0 || len >= sizeof item || n == 3)
            return -1;
        memcpy(item, p, len);
        item[len] = '\0';
        int k = (int)n;
        char *val = item;
        if (named) {
            char *eq = strchr(item, '=');
            if (!eq)
                return -1;
            *eq = '\0';
            for (k = 0; k < 3 && strcmp(item, key[k]); k++)
                ;
            if (k == 3 || seen[k])
                return -1;
            val = eq + 1;
        }
        if (ds_parse_double(val, slot[k]) || *slot[k] < 0 ||
            (k < 2 && *slot[k] > 1))
            return -1;
        seen[k] = 1;
        n++;
        if (!end)
            return 0;
        p = end + 1;
    }
}

static int own_option(int opt, const char *arg, void *vctx)
{
    sim_opts_t *so = vctx;
    size_t n;
    switch (opt) {
    case OPT_COUPLES:
        if (ds_parse_size(arg, &n) || n < 1 || n > 1000000) {
            ds_usage_error("simulate", "--couples takes a whole number from "
                           "1 to 1000000, not '%s'", arg);
            return -1;
        }
        so->couples = n;
        return 1;
    case OPT_EVENTS:
        if (ds_parse_size(arg, &n) || n < 1 || n > 10000000) {
            ds_usage_error("simulate", "--events takes a whole number from "
                           "1 to 10000000, not '%s'", arg);
            return -1;
        }
        so->m.par.events = n;
        return 1;
    case OPT_PRINT_MODEL:
        so->print_model = 1;
        return 1;
    case OPT_FORCE:
        so->force = 1;
        return 1;
    case OPT_LAYOUT:
        if (strcmp(arg, "events") && strcmp(arg, "intervals")) {
            ds_usage_error("simulate", "--layout is events or intervals, "
                           "not '%s'", arg);
            return -1;
        }
        so->intervals = strcmp(arg, "intervals") == 0;
        return 1;
    case OPT_INTERVAL:
        if (ds_parse_double(arg, &so->interval) || !(so->interval > 0) ||
            !isfinite(so->interval)) {
            ds_usage_error("simulate", "--interval takes seconds > 0, not "
                           "'%s'", arg);
            return -1;
        }
        return 1;
    case OPT_N_INTERVALS:
        if (ds_parse_size(arg, &n) || n < 1 || n > 100000) {
            ds_usage_error("simulate", "--n-intervals takes a whole number "
                           "from 1 to 100000, not '%s'", arg);
            return -1;
        }
        so->n_intervals = n;
        return 1;
    case OPT_CODER_ERROR:
        if (parse_coder_error(arg, &so->err2)) {
            ds_usage_error("simulate", "--coder-error takes substitution=P,"
                           "omission=P,jitter=S (probabilities P in [0, 1], "
                           "S seconds >= 0; any of the three) or P,P,S, not "
                           "'%s'", arg);
            return -1;
        }
        so->coder_error = 1;
        return 1;
    default:
        return ds_cli_sim_option(&so->m, "simulate", opt, arg);
    }
}

static const ds_cmd_spec_t spec = {
    .name = "simulate",
    .about =
        "Write synthetic transcripts with known sequential structure:\n"
        "         a first-order Markov chain over actor:code states with\n"
        "         pursue-withdraw cycles, bids answered at a per-group rate,\n"
        "         softening that rises over therapy, and gamma gaps, latencies\n"
        "         and durations; or a given transition matrix (--model). Same\n"
        "         seed, same output. The model: docs/simulate.md.",
    .usage = "[options] [-o DIR/|FILE|-]",
    .common = DS_COMMON_OUTPUT | DS_COMMON_SEED,
    .own = own_options,
    .own_help = own_help,
    .own_option = own_option,
};

/* Everything a run needs, built once. */
typedef struct sim_run {
    const sim_opts_t *so;
    const ds_common_opts_t *o;
    ds_sim_params_t par;
    ds_corpus_t *space;
    ds_cli_sim_group_t *groups;
    size_t n_groups;
    char **labels;
    size_t n_labels;
    ds_sim_roles_t roles;
    ds_sim_chain_t *chain; /* the --model chain, or the built-in work chain */
    gsl_rng *rng;
    ds_sim_events_t ev;
    size_t width;          /* digits of the couple numbers */
    size_t n_sessions, n_events;
} sim_run_t;

/* Couples in group g: an even split, the first groups taking the rest. */
static size_t group_size(const sim_run_t *r, size_t g)
{
    return r->so->couples / r->n_groups + (g < r->so->couples % r->n_groups);
}

static int write_header(const sim_run_t *r, FILE *fp)
{
    if (r->so->intervals)
        return ds_sim_sheet_header(fp, r->space, r->so->n_intervals);
    return fputs("couple,session,actor,code,time,duration\n", fp) < 0 ? -1
                                                                       : 0;
}

/* Write one session's rows. */
static int write_session(FILE *fp, const ds_corpus_t *space,
                         const char *couple, const char *label,
                         const ds_sim_events_t *ev)
{
    int bad = 0;
    for (size_t i = 0; i < ev->n && !bad; i++) {
        size_t s = ev->state[i];
        const char *actor = space->actors[space->state_actor[s]];
        const char *code = space->codebook->code[space->state_code[s]];
        bad |= ds_csv_write_field(fp, couple) || fputc(',', fp) == EOF ||
               ds_csv_write_field(fp, label) || fputc(',', fp) == EOF ||
               ds_csv_write_field(fp, actor) || fputc(',', fp) == EOF ||
               ds_csv_write_field(fp, code) ||
               fprintf(fp, ",%.3f,%.3f\n", ev->onset[i], ev->duration[i]) < 0;
    }
    return bad ? -1 : 0;
}

/*
 * --coder-error: the second coder's version of the session just simulated,
 * from a stream of its own ("LABEL/coder-error" as the session of
 * ds_sim_stream_seed), so the first coding's events are those of the same
 * run without --coder-error.
 */
static int second_coder(sim_run_t *r, const char *id, size_t s,
                        ds_error_t *err)
{
    const char *label = r->labels[s];
    size_t len = strlen(label) + sizeof "/coder-error";
    char *key = malloc(len);
    if (!key)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    snprintf(key, len, "%s/coder-error", label);
    gsl_rng_set(r->rng, ds_sim_stream_seed(r->o->seed, id, key));
    free(key);
    return ds_sim_coder_error(&r->so->err2, r->space, r->rng, &r->ev, err);
}

/*
 * Simulate and write all sessions of one couple; DS_EIO (err not set) on
 * a write error. With --model no couple is drawn: every couple reaches
 * the post latency (therapy share 1), as --therapy cannot be given.
 */
static int simulate_couple(sim_run_t *r, const char *id, size_t g, FILE *fp,
                           ds_error_t *err)
{
    unsigned long seed = r->o->seed;
    ds_sim_couple_t cp = {0, 0, 1};
    if (!r->so->m.model) {
        gsl_rng_set(r->rng, ds_sim_stream_seed(seed, id, NULL));
        ds_sim_couple_draw(&r->par, r->groups[g].rate, r->rng, &cp);
    }
    for (size_t s = 0; s < r->n_labels; s++) {
        int rc;
        double t = ds_sim_progress(s, r->n_labels) * cp.therapy;
        if (!r->so->m.model) {
            ds_sim_builtin_chain(&r->par, &r->roles, cp.pursuer,
                                 cp.answer_rate, t, r->chain);
            if ((rc = ds_sim_chain_prepare(r->chain, err)))
                return rc;
        }
        gsl_rng_set(r->rng, ds_sim_stream_seed(seed, id, r->labels[s]));
        if ((rc = ds_sim_session(&r->par, r->space, r->chain, t, r->rng,
                                 &r->ev, err)))
            return rc;
        if (r->so->coder_error && (rc = second_coder(r, id, s, err)))
            return rc;
        rc = r->so->intervals
                 ? ds_sim_sheet_row(fp, r->space, id, r->labels[s], &r->ev,
                                    r->so->interval, r->so->n_intervals)
                 : write_session(fp, r->space, id, r->labels[s], &r->ev);
        if (rc == DS_ENOMEM)
            return ds_error_set(err, rc, "out of memory");
        if (rc)
            return DS_EIO; /* the caller names the file */
        r->n_sessions++;
        r->n_events += r->ev.n;
    }
    return DS_OK;
}

/* "DIR/ID.csv", malloc'd. */
static char *couple_path(const char *dir, const char *id)
{
    size_t len = strlen(dir) + strlen(id) + 6;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s%s%s.csv", dir,
                 dir[strlen(dir) - 1] == '/' ? "" : "/", id);
    return p;
}

static void couple_id(const sim_run_t *r, size_t g, size_t j, char *buf,
                      size_t size)
{
    snprintf(buf, size, "%s-%0*zu", r->groups[g].name, (int)r->width, j + 1);
}

/*
 * One file per couple in dir: check first that none exists (without
 * --force), write all to temporary files, then publish all.
 */
static int write_dir(sim_run_t *r, const char *dir)
{
    ds_error_t err = {0};
    size_t n = r->so->couples, k = 0, existing = 0;
    char *first_existing = NULL;
    int status = DS_EXIT_DATA, made_dir = 0;
    ds_outfile_t *out = calloc(n, sizeof *out);
    char **paths = calloc(n, sizeof *paths);
    if (!out || !paths) {
        ds_msg_error("out of memory");
        goto fail;
    }
    char id[DS_CLI_SIM_MAX_GROUP_NAME + 32];
    for (size_t g = 0, i = 0; g < r->n_groups; g++)
        for (size_t j = 0; j < group_size(r, g); j++, i++) {
            couple_id(r, g, j, id, sizeof id);
            if (!(paths[i] = couple_path(dir, id))) {
                ds_msg_error("out of memory");
                goto fail;
            }
            if (!r->so->force && ds_outfile_exists(paths[i]) &&
                existing++ == 0)
                first_existing = paths[i];
        }
    if (existing) {
        ds_msg_error("'%s' exists%s; use --force to overwrite", first_existing,
                     existing > 1 ? " (and more files of this run)" : "");
        goto fail;
    }
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0777) != 0) {
            ds_msg_error("cannot create directory '%s': %s", dir,
                         strerror(errno));
            goto fail;
        }
        made_dir = 1;
    } else if (!S_ISDIR(st.st_mode)) {
        ds_msg_error("'%s' is not a directory", dir);
        goto fail;
    }
    for (size_t g = 0; g < r->n_groups; g++)
        for (size_t j = 0; j < group_size(r, g); j++) {
            couple_id(r, g, j, id, sizeof id);
            int rc = ds_outfile_open(&out[k], paths[k], r->so->force, &err);
            if (rc == DS_OK) {
                rc = write_header(r, out[k].fp);
                rc = rc ? DS_EIO : simulate_couple(r, id, g, out[k].fp, &err);
                if (rc == DS_EIO)
                    ds_error_set(&err, rc, "cannot write '%s': %s", paths[k],
                                 strerror(errno));
                if (rc == DS_OK)
                    rc = ds_outfile_close(&out[k], &err);
            }
            k++; /* out[0 .. k) to discard on failure */
            if (rc) {
                ds_msg_error("%s", err.msg);
                goto fail;
            }
        }
    if (ds_outfile_publish_all(out, n, &err)) {
        ds_msg_error("%s", err.msg);
        goto fail;
    }
    status = DS_EXIT_OK;
fail:
    for (size_t i = 0; out && i < k; i++)
        ds_outfile_discard(&out[i]);
    if (status != DS_EXIT_OK && made_dir)
        rmdir(dir);
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
    free(out);
    return status;
}

/* All couples into one file (or standard output). */
static int write_file(sim_run_t *r, const char *path)
{
    ds_error_t err = {0};
    ds_outfile_t out;
    int rc = ds_outfile_open(&out, path, r->so->force, &err);
    if (rc) {
        ds_msg_error("%s", err.msg);
        return DS_EXIT_DATA;
    }
    char id[DS_CLI_SIM_MAX_GROUP_NAME + 32];
    rc = write_header(r, out.fp) ? DS_EIO : DS_OK;
    for (size_t g = 0; g < r->n_groups && !rc; g++)
        for (size_t j = 0; j < group_size(r, g) && !rc; j++) {
            couple_id(r, g, j, id, sizeof id);
            rc = simulate_couple(r, id, g, out.fp, &err);
        }
    if (rc == DS_EIO)
        ds_error_set(&err, rc, "cannot write '%s': %s", path,
                     strerror(errno));
    if (!rc)
        rc = ds_outfile_commit(&out, &err);
    else
        ds_outfile_discard(&out);
    if (rc) {
        ds_msg_error("%s", err.msg);
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}

/*
 * --print-model: the built-in matrices of every group, session and
 * pursuer, non-zero entries only, at the group's mean answer rate and the
 * mean therapy response. The matrix is linear in both, so these are also
 * the means of the couples' matrices.
 */
static int print_model(sim_run_t *r, const char *path)
{
    ds_error_t err = {0};
    ds_outfile_t out;
    if (ds_outfile_open(&out, path, r->so->force, &err)) {
        ds_msg_error("%s", err.msg);
        return DS_EXIT_DATA;
    }
    FILE *fp = out.fp;
    const ds_corpus_t *sp = r->space;
    size_t k = sp->n_states;
    int bad = fputs("group,session,pursuer,from,to,p\n", fp) < 0;
    for (size_t g = 0; g < r->n_groups; g++)
        for (size_t s = 0; s < r->n_labels; s++)
            for (size_t a = 0; a < 2; a++) {
                ds_sim_builtin_chain(&r->par, &r->roles, a, r->groups[g].rate,
                                     ds_sim_progress(s, r->n_labels) *
                                         r->par.therapy_mean,
                                     r->chain);
                for (size_t i = 0; i < k; i++)
                    for (size_t j = 0; j < k; j++) {
                        double p = r->chain->p[i * k + j];
                        if (p == 0 || bad)
                            continue;
                        bad |= fprintf(fp, "%s,", r->groups[g].name) < 0 ||
                               ds_csv_write_field(fp, r->labels[s]) ||
                               fputc(',', fp) == EOF ||
                               ds_csv_write_field(fp, sp->actors[a]) ||
                               fputc(',', fp) == EOF ||
                               ds_csv_write_field(fp, sp->state_label[i]) ||
                               fputc(',', fp) == EOF ||
                               ds_csv_write_field(fp, sp->state_label[j]) ||
                               fprintf(fp, ",%.15g\n", p) < 0;
                    }
            }
    if (bad) {
        ds_msg_error("cannot write '%s': %s", path, strerror(errno));
        ds_outfile_discard(&out);
        return DS_EXIT_DATA;
    }
    if (ds_outfile_commit(&out, &err)) {
        ds_msg_error("%s", err.msg);
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}

/* -o DIR/ or an existing directory: one file per couple. */
static int is_dir_target(const char *path)
{
    struct stat st;
    size_t len = strlen(path);
    return (len > 1 && path[len - 1] == '/') ||
           (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
            S_ISDIR(st.st_mode));
}

/* Number of items of a comma-separated list. */
static size_t list_length(const char *s)
{
    size_t n = 1;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

/* Check option combinations and build the run; returns an exit status. */
static int setup(sim_run_t *r, const sim_opts_t *so, const ds_common_opts_t *o)
{
    ds_error_t err = {0};
    int status;
    memset(r, 0, sizeof *r);
    r->so = so;
    r->o = o;
    r->par = so->m.par;
    if ((status = ds_cli_sim_check_model(&so->m, "simulate")))
        return status;
    if (so->m.model && so->print_model)
        return ds_usage_error("simulate", "--print-model prints the built-in "
                              "model; it cannot be combined with --model");
    if (so->coder_error && so->print_model)
        return ds_usage_error("simulate", "--coder-error writes transcripts; "
                              "it cannot be combined with --print-model");
    if (!so->m.model && list_length(o->actors) != 2)
        return ds_usage_error("simulate", "the built-in model needs exactly "
                              "two --actors, not '%s' (use --model for "
                              "another design)", o->actors);
    if (so->print_model && o->output && is_dir_target(o->output))
        return ds_usage_error("simulate", "--print-model writes one file, "
                              "not a directory");
    if (ds_sim_params_check(&r->par, &err))
        return ds_usage_error("simulate", "%s", err.msg);
    status = ds_cli_sim_groups("simulate",
                               so->m.model ? "couple:1" : so->m.groups,
                               so->m.model ? 0 : r->par.answer_sd,
                               &r->groups, &r->n_groups);
    if (status)
        return status;
    if ((status = ds_cli_sim_sessions("simulate", so->m.sessions, &r->labels,
                                      &r->n_labels)))
        return status;
    size_t most = group_size(r, 0);
    for (r->width = 2; most >= 100; most /= 10)
        r->width++;
    if ((status = ds_cli_sim_space(o, &r->space)))
        return status;
    if (so->m.model) {
        if ((status = ds_cli_sim_load_model(so->m.model, r->space, o->quiet,
                                            &r->chain)))
            return status;
    } else {
        if (ds_sim_roles_find(r->space, &r->roles, &err)) {
            ds_msg_error("%s", err.msg);
            return DS_EXIT_DATA;
        }
        if (!(r->chain = ds_sim_chain_alloc(r->space->n_states)))
            goto oom;
    }
    if (!(r->rng = gsl_rng_alloc(gsl_rng_mt19937)))
        goto oom;
    return DS_EXIT_OK;
oom:
    ds_msg_error("out of memory");
    return DS_EXIT_DATA;
}

static void teardown(sim_run_t *r)
{
    free(r->groups);
    ds_free_list(r->labels, r->n_labels);
    ds_corpus_free(r->space);
    ds_sim_chain_free(r->chain);
    if (r->rng)
        gsl_rng_free(r->rng);
    ds_sim_events_clear(&r->ev);
}

int main_simulate(int argc, char **argv, const ds_invocation_t *inv)
{
    (void)inv; /* nothing of it is recorded, never started again */
    ds_common_opts_t o;
    sim_opts_t so = {.couples = DEFAULT_COUPLES,
                     .interval = 5, .n_intervals = 48};
    ds_cli_sim_init(&so.m);
    char **args;
    size_t n_args;
    int status = ds_cmd_parse(&spec, argc, argv, &o, &so, &args, &n_args);
    if (status >= 0)
        return status;
    if (n_args)
        return ds_usage_error("simulate", "simulate takes no input ('%s')",
                              args[0]);
    sim_run_t r;
    const char *out = o.output ? o.output : "-";
    status = setup(&r, &so, &o);
    if (status == DS_EXIT_OK) {
        if (so.print_model)
            status = print_model(&r, out);
        else if (is_dir_target(out))
            status = write_dir(&r, out);
        else
            status = write_file(&r, out);
    }
    if (status == DS_EXIT_OK && o.verbose && !so.print_model)
        fprintf(stderr, "dyadseq: simulate: %zu couples, %zu sessions, %zu "
                "events -> %s\n", so.couples, r.n_sessions, r.n_events, out);
    teardown(&r);
    return status;
}
