/*
 * cli.c — common options, messages and input loading for the commands.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "dyadseq/dist.h"
#include "dyadseq/ingest.h"
#include "outfile.h"
#include "progress.h"
#include "results.h"
#include "results_check.h"
#include "text.h"


void ds_common_init(ds_common_opts_t *o, unsigned which)
{
    memset(o, 0, sizeof *o);
    o->which = which;
    o->actors = "A,B";
    o->seed = 1;
    o->progress = -1;
    ds_import_opts_init(&o->import);
}

void ds_common_clear(ds_common_opts_t *o)
{
    ds_import_opts_clear(&o->import);
}

static const struct option common_long[] = {
    {"help", no_argument, NULL, 'h'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"output", required_argument, NULL, 'o'},
    {"threads", required_argument, NULL, 't'},
    {"codebook", required_argument, NULL, DS_OPT_CODEBOOK},
    {"actors", required_argument, NULL, DS_OPT_ACTORS},
    {"sort", no_argument, NULL, DS_OPT_SORT},
    {"merge", no_argument, NULL, DS_OPT_MERGE},
    {"seed", required_argument, NULL, DS_OPT_SEED},
    {"progress", no_argument, NULL, DS_OPT_PROGRESS},
    {"no-progress", no_argument, NULL, DS_OPT_NO_PROGRESS},
    {"from", required_argument, NULL, DS_OPT_FORMAT},
    {"format", required_argument, NULL, DS_OPT_FORMAT},
    {"subject-actor", required_argument, NULL, DS_OPT_SUBJECT_ACTOR},
    {"tier-actor", required_argument, NULL, DS_OPT_TIER_ACTOR},
    {"id-pattern", required_argument, NULL, DS_OPT_ID_PATTERN},
    {"modifiers", required_argument, NULL, DS_OPT_MODIFIERS},
    {"columns", required_argument, NULL, DS_OPT_COLUMNS},
    {"interval", required_argument, NULL, DS_OPT_INTERVAL},
    {"code", required_argument, NULL, DS_OPT_CODE},
    {"n-intervals", required_argument, NULL, DS_OPT_N_INTERVALS},
};

/* Which DS_COMMON_* flag enables a common option (0 = always). */
static unsigned common_flag(int val)
{
    switch (val) {
    case 'o': return DS_COMMON_OUTPUT;
    case 't': return DS_COMMON_THREADS;
    case DS_OPT_CODEBOOK:
    case DS_OPT_ACTORS:
    case DS_OPT_SORT:
    case DS_OPT_MERGE: return DS_COMMON_INPUT;
    case DS_OPT_SEED: return DS_COMMON_SEED;
    case DS_OPT_PROGRESS:
    case DS_OPT_NO_PROGRESS: return DS_COMMON_PROGRESS;
    case DS_OPT_FORMAT:
    case DS_OPT_SUBJECT_ACTOR:
    case DS_OPT_TIER_ACTOR:
    case DS_OPT_ID_PATTERN:
    case DS_OPT_MODIFIERS:
    case DS_OPT_COLUMNS:
    case DS_OPT_INTERVAL:
    case DS_OPT_CODE:
    case DS_OPT_N_INTERVALS: return DS_COMMON_IMPORT;
    default: return 0;
    }
}

struct option *ds_common_longopts(const ds_common_opts_t *o,
                                  const struct option *own,
                                  const char **shortopts)
{
    size_t n_own = 0;
    while (own && own[n_own].name)
        n_own++;
    size_t n_common = sizeof common_long / sizeof common_long[0];
    struct option *all = calloc(n_own + n_common + 1, sizeof *all);
    if (!all)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n_own; i++)
        all[k++] = own[i];
    for (size_t i = 0; i < n_common; i++) {
        unsigned f = common_flag(common_long[i].val);
        if (f == 0 || (o->which & f))
            all[k++] = common_long[i];
    }
    static char s[16];
    snprintf(s, sizeof s, ":hqv%s%s", (o->which & DS_COMMON_OUTPUT) ? "o:" : "",
             (o->which & DS_COMMON_THREADS) ? "t:" : "");
    *shortopts = s;
    return all;
}

/* The importers' options (import.h); as ds_common_option. */
static int import_option(ds_common_opts_t *o, const char *cmd, int opt,
                         const char *arg)
{
    ds_import_opts_t *im = &o->import;
    char msg[512];
    int rc;
    double v;
    switch (opt) {
    case DS_OPT_FORMAT:
        o->format = arg;
        return 1;
    case DS_OPT_SUBJECT_ACTOR:
        rc = ds_import_opt_map(&im->subject_actor, &im->n_subject_actor, arg,
                               "--subject-actor", msg, sizeof msg);
        break;
    case DS_OPT_TIER_ACTOR:
        rc = ds_import_opt_map(&im->tier_actor, &im->n_tier_actor, arg,
                               "--tier-actor", msg, sizeof msg);
        break;
    case DS_OPT_ID_PATTERN:
        ds_outfile_guard_library("the C library's regcomp",
                                 "compiling --id-pattern");
        rc = ds_import_opt_id_pattern(im, arg, msg, sizeof msg);
        ds_outfile_guard_library(NULL, NULL);
        break;
    case DS_OPT_MODIFIERS:
        rc = ds_import_opt_modifiers(im, arg, msg, sizeof msg);
        break;
    case DS_OPT_COLUMNS:
        rc = ds_import_opt_columns(im, arg, msg, sizeof msg);
        break;
    case DS_OPT_INTERVAL:
        if (ds_parse_double(arg, &v) || !(v > 0)) {
            ds_usage_error(cmd, "--interval takes seconds > 0, not '%s'",
                           arg);
            return -1;
        }
        im->interval = v;
        im->interval_given = 1;
        return 1;
    case DS_OPT_CODE:
        rc = ds_import_opt_code(im, arg, msg, sizeof msg);
        break;
    case DS_OPT_N_INTERVALS: {
        size_t n;
        if (ds_parse_size(arg, &n) || n == 0 || n > 100000000) {
            ds_usage_error(cmd, "--n-intervals takes a whole number from 1, "
                           "not '%s'", arg);
            return -1;
        }
        im->n_intervals = n;
        return 1;
    }
    default:
        return 0;
    }
    if (rc == -2) {
        ds_msg_error("out of memory");
        return -2;
    }
    if (rc)
        ds_usage_error(cmd, "%s", msg);
    return rc ? -1 : 1;
}

int ds_common_option(ds_common_opts_t *o, const char *cmd, int opt,
                     const char *arg)
{
    int r = import_option(o, cmd, opt, arg);
    if (r)
        return r;
    switch (opt) {
    case 'q':
        o->quiet = 1;
        o->verbose = 0;
        return 1;
    case 'v':
        o->verbose = 1;
        o->quiet = 0;
        return 1;
    case 'o':
        if (!*arg) {
            ds_usage_error(cmd, "-o needs a file name");
            return -1;
        }
        o->output = arg;
        return 1;
    case 't': {
        size_t n;
        if (ds_parse_size(arg, &n) || n > 4096) {
            ds_usage_error(cmd, "-t/--threads takes a whole number from 0 "
                                "(all cores) to 4096, not '%s'", arg);
            return -1;
        }
        o->threads = (int)n;
        return 1;
    }
    case DS_OPT_CODEBOOK:
        o->codebook = arg;
        return 1;
    case DS_OPT_ACTORS:
        o->actors = arg;
        return 1;
    case DS_OPT_SORT:
        o->sort = 1;
        return 1;
    case DS_OPT_MERGE:
        o->merge = 1;
        return 1;
    case DS_OPT_SEED: {
        size_t n;
        if (ds_parse_size(arg, &n) || n > 0xFFFFFFFFUL) {
            ds_usage_error(cmd, "--seed takes a whole number from 0 to "
                                "4294967295, not '%s'", arg);
            return -1;
        }
        o->seed = (unsigned long)n;
        return 1;
    }
    case DS_OPT_PROGRESS:
        o->progress = 1;
        return 1;
    case DS_OPT_NO_PROGRESS:
        o->progress = 0;
        return 1;
    default:
        return 0;
    }
}

void ds_common_help(FILE *fp, const ds_common_opts_t *o)
{
    if (o->which & DS_COMMON_OUTPUT)
        fprintf(fp, "  -o, --output FILE     output file (written atomically: "
                    "a failed run leaves no file)\n");
    if (o->which & DS_COMMON_INPUT) {
        fprintf(fp,
                "      --codebook FILE   codebook CSV with columns code,role"
                "[,description]\n"
                "                        [built-in: pursue, withdraw, soften, "
                "bid, response]\n"
                "      --actors LIST     the partners, comma separated, in "
                "state order [A,B]\n"
                "      --sort            sort each session stably by onset "
                "instead of\n"
                "                        reporting time going backwards [off]\n"
                "      --merge           let one session's rows span several "
                "files [off]\n");
    }
    if (o->which & DS_COMMON_IMPORT) {
        fprintf(fp,
                "  Other tools' files (docs/convert.md)\n"
                "      --from FORMAT     the inputs' format (also --format) "
                "[told by the\n"
                "                        extension: .boris, .eaf, .sds; "
                "otherwise needed]\n");
        for (size_t i = 0; i < ds_n_importers; i++) {
            fprintf(fp, "        %-10s ", ds_importers[i].name);
            for (const char *p = ds_importers[i].summary; *p; p++) {
                fputc(*p, fp);
                if (*p == '\n')
                    fprintf(fp, "%19s", "");
            }
            fputc('\n', fp);
        }
        fprintf(fp,
                "        %-10s dyadseq transcripts (the default of "
                "--to sdis)\n"
                "      --subject-actor NAME=A  subject NAME (BORIS subject, "
                "SDIS code prefix,\n"
                "                        the actor column of --columns) is "
                "actor A; A '-' leaves\n"
                "                        its events out; repeatable; a "
                "subject named as an\n"
                "                        actor is that actor [none]\n"
                "      --tier-actor TIER=A  the same for ELAN tiers; every "
                "tier must map [none]\n"
                "      --id-pattern REGEX  POSIX extended regex on the "
                "observation id (BORIS\n"
                "                        observation, SDIS label, ELAN "
                "file name): group 1 is\n"
                "                        the couple, group 2 the session "
                "[none: the id is the\n"
                "                        session, the file name's stem "
                "the couple]\n"
                "      --modifiers ignore|append  BORIS modifiers are "
                "dropped, or appended to the\n"
                "                        code as BEHAVIOR|MODIFIERS "
                "[ignore]\n"
                "      --columns KEY=COL,...  the columns of --from columns: "
                "code (required),\n"
                "                        couple, session, actor, time, "
                "duration or offset,\n"
                "                        status (START/STOP/POINT), start, "
                "end; unit=ms for\n"
                "                        times in milliseconds [none]\n"
                "      --interval S      seconds per interval of SDIS "
                "interval data [1] and of\n"
                "                        interval sheets (needed)\n"
                "      --code ACTOR:CODE=COLUMN  interval sheets: a 0/1 "
                "column (long), or the\n"
                "                        prefix of a run of them, "
                "COLUMN01..COLUMN48 (wide);\n"
                "                        ACTOR=COLUMN: the column lists "
                "the actor's codes\n"
                "                        present, separated by ';' (0: "
                "none); repeatable [none]\n"
                "      --n-intervals N   interval sheets: intervals per "
                "session [the sheet's]\n",
                "transcript");
    }
    if (o->which & DS_COMMON_THREADS)
        fprintf(fp, "  -t, --threads N       threads; 0 = all cores [0]\n");
    if (o->which & DS_COMMON_SEED)
        fprintf(fp, "      --seed N          random seed [1]\n");
    if (o->which & DS_COMMON_PROGRESS)
        fprintf(fp, "      --progress        progress bar on standard error "
                    "[on when it is a terminal]\n"
                    "      --no-progress     no progress bar\n");
    fprintf(fp, "  -q, --quiet           only errors on standard error\n"
                "  -v, --verbose         more detail (e.g. ignored columns)\n"
                "  -h, --help            this help\n");
}

int ds_common_threads(const ds_common_opts_t *o)
{
    if (o->threads > 0)
        return o->threads;
    return ds_dist_cores(); /* shared among MPI ranks on one machine */
}

int ds_common_progress(const ds_common_opts_t *o)
{
    if (o->quiet)
        return 0;
    return o->progress < 0 ? isatty(STDERR_FILENO) : o->progress;
}

void ds_msg_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dyadseq: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void ds_msg_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dyadseq: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int ds_stdout_status(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return DS_EXIT_OK;
    ds_msg_error("cannot write to standard output: %s", strerror(errno));
    return DS_EXIT_DATA;
}

int ds_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dyadseq: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'dyadseq %s%s--help'.\n", cmd ? cmd : "",
            cmd ? " " : "");
    return DS_EXIT_USAGE;
}

void ds_print_diag(const ds_diag_t *d, int quiet)
{
    for (size_t i = 0; i < d->n_errors_kept; i++)
        fprintf(stderr, "dyadseq: error: %s\n", d->errors[i]);
    if (d->n_errors > d->n_errors_kept)
        fprintf(stderr, "dyadseq: error: … and %zu more problem%s\n",
                d->n_errors - d->n_errors_kept,
                d->n_errors - d->n_errors_kept == 1 ? "" : "s");
    if (quiet)
        return;
    for (size_t i = 0; i < d->n_warnings_kept; i++)
        fprintf(stderr, "dyadseq: warning: %s\n", d->warnings[i]);
    if (d->n_warnings > d->n_warnings_kept)
        fprintf(stderr, "dyadseq: warning: … and %zu more warning%s\n",
                d->n_warnings - d->n_warnings_kept,
                d->n_warnings - d->n_warnings_kept == 1 ? "" : "s");
    if (d->oom)
        fprintf(stderr, "dyadseq: warning: out of memory while recording "
                        "problems; some are not shown\n");
}

int ds_split_list(const char *s, char ***items, size_t *n)
{
    *items = NULL;
    *n = 0;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    char **out = calloc(cap, sizeof *out);
    if (!out)
        return -1;
    size_t k = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == ',' || *p == '\0') {
            size_t len = (size_t)(p - start);
            out[k] = malloc(len + 1);
            if (!out[k]) {
                ds_free_list(out, k);
                return -1;
            }
            memcpy(out[k], start, len);
            out[k][len] = '\0';
            k++;
            if (*p == '\0')
                break;
            start = p + 1;
        }
    }
    *items = out;
    *n = k;
    return 0;
}

void ds_free_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

char *ds_join_argv(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) * 2 + 3;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        if (i)
            *p++ = ' ';
        int quote = argv[i][0] == '\0' || strpbrk(argv[i], " \t\"'\\$");
        if (quote)
            *p++ = '\'';
        for (const char *q = argv[i]; *q; q++) {
            if (*q == '\'' && quote) {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *q;
            }
        }
        if (quote)
            *p++ = '\'';
    }
    *p = '\0';
    return s;
}

int ds_check_actors(char **actors, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!*actors[i] || strchr(actors[i], ':')) {
            ds_msg_error("--actors: '%s' is not a valid actor name (names "
                         "must be non-empty and contain no ':')",
                         actors[i]);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(actors[i], actors[j]) == 0) {
                ds_msg_error("--actors: '%s' is given twice", actors[i]);
                return -1;
            }
    }
    return 0;
}

int ds_cli_load_corpus(const ds_common_opts_t *o, char *const *inputs,
                       size_t n_inputs, ds_corpus_t **out)
{
    *out = NULL;
    if (ds_cli_import_wanted(o, inputs, n_inputs))
        return ds_cli_import_corpus(o, inputs, n_inputs, out);
#ifndef DS_MPI /* the MPI program does it before MPI starts (main.c) */
    /* analyze, validate and compare did it in main(); this is for the
     * others (agree), and does nothing once the tunable is set */
    ds_cli_huge_pages(o->inv ? o->inv->argv : NULL, inputs, n_inputs);
#endif
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    ds_codebook_t *cb = NULL;
    char **actors = NULL;
    size_t n_actors = 0;
    int status = DS_EXIT_DATA, rc;

    if (ds_split_list(o->actors, &actors, &n_actors)) {
        ds_msg_error("out of memory");
        goto done;
    }
    if (ds_check_actors(actors, n_actors)) {
        status = DS_EXIT_USAGE;
        goto done;
    }
    if (o->codebook) {
        rc = ds_codebook_load(o->codebook, &cb, &diag, &err);
        if (rc) {
            if (rc == DS_EDATA)
                ds_print_diag(&diag, o->quiet);
            else
                ds_msg_error("%s", *err.msg ? err.msg : ds_error_str(rc));
            goto done;
        }
    } else if (!(cb = ds_codebook_alloc_default())) {
        ds_msg_error("out of memory");
        goto done;
    }
    ds_ingest_opts_t io = {.codebook = cb,
                           .actors = (const char *const *)actors,
                           .n_actors = n_actors,
                           .sort = o->sort,
                           .merge = o->merge,
                           .verbose = o->verbose,
                           .drop_lines = o->drop_lines,
                           /* -t for the commands that take it; the reader's
                            * own default (OpenMP's) for the others */
                           .threads = (o->which & DS_COMMON_THREADS)
                                          ? ds_common_threads(o)
                                          : 0};
    /* under MPI every rank reads its share (dist.h) */
    int shared = 0;
    rc = ds_dist_ingest_load(ds_dist_world(), (const char *const *)inputs,
                             n_inputs, &io, out, &shared, &diag, &err);
    if (o->verbose && ds_dist_world())
        fprintf(stderr, "dyadseq: note: %d MPI processes read %s\n",
                ds_dist_size(ds_dist_world()),
                shared ? "a share of the input each"
                       : "the whole input each (the shared reader could "
                         "not judge it exactly as one process would)");
    if (rc == DS_EDATA || (rc == DS_OK && (diag.n_errors || diag.n_warnings)))
        ds_print_diag(&diag, o->quiet);
    if (rc == DS_EUSAGE) {
        ds_msg_error("%s", *err.msg ? err.msg : ds_error_str(rc));
        status = DS_EXIT_DATA;
    } else if (rc && rc != DS_EDATA) {
        ds_msg_error("%s", *err.msg ? err.msg : ds_error_str(rc));
    } else if (rc == DS_OK) {
        status = DS_EXIT_OK;
    }
done:
    ds_codebook_free(cb);
    ds_free_list(actors, n_actors);
    ds_diag_clear(&diag);
    return status;
}

int ds_cli_check_output(const char *out, char *const *inputs, size_t n)
{
    struct stat so, si;
    if (stat(out, &so) != 0)
        return 0;
    if (S_ISDIR(so.st_mode)) {
        ds_msg_error("-o '%s' is a directory; give a file name such as "
                     "results/study.h5", out);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino) {
            ds_msg_error("-o '%s' is one of the inputs; refusing to "
                         "overwrite it", out);
            return -1;
        }
    ds_results_reader_t *f;
    ds_error_t err;
    if (ds_results_open(out, &f, &err) != 0) {
        ds_msg_error("refusing to overwrite '%s': it exists and is not a "
                     "dyadseq results file (remove it or choose another -o)",
                     out);
        return -1;
    }
    ds_results_close(f);
    return 0;
}

int ds_cli_check_results(ds_results_reader_t *f, int quiet)
{
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    int rc = ds_results_check(f, &diag, &err);
    if (rc == DS_EDATA)
        ds_print_diag(&diag, quiet);
    else if (rc)
        ds_msg_error("%s", *err.msg ? err.msg : ds_error_str(rc));
    ds_diag_clear(&diag);
    return rc ? DS_EXIT_DATA : DS_EXIT_OK;
}

int ds_cli_run_analysis(const ds_common_opts_t *o, const char *label,
                        const ds_corpus_t *c, ds_analysis_opts_t *ao,
                        size_t work, ds_analysis_t **out)
{
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    ds_progress_t prog;
    ao->threads = ds_common_threads(o);
    ds_progress_start(&prog, label, "events", work, ds_common_progress(o));
    ao->progress = ds_progress_callback;
    ao->progress_ctx = &prog;
    int rc = ds_analysis_run(c, ao, out, &diag, &err);
    ds_progress_finish(&prog);
    ao->progress = NULL;
    ao->progress_ctx = NULL;
    if (diag.n_warnings && !o->quiet)
        ds_print_diag(&diag, 0);
    ds_diag_clear(&diag);
    if (rc) {
        ds_msg_error("%s", *err.msg ? err.msg : ds_error_str(rc));
        return rc == DS_EUSAGE ? DS_EXIT_USAGE : DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}

void ds_cmd_help(const ds_cmd_spec_t *spec, const ds_common_opts_t *o,
                 FILE *fp)
{
    fprintf(fp, "\nAbout:   %s\nUsage:   dyadseq %s %s\n\nOptions:\n",
            spec->about, spec->name, spec->usage);
    if (spec->own_help)
        spec->own_help(fp);
    ds_common_help(fp, o);
    if (spec->epilog) {
        fputc('\n', fp);
        spec->epilog(fp);
    }
    fputc('\n', fp);
}

int ds_cmd_parse(const ds_cmd_spec_t *spec, int argc, char **argv,
                 ds_common_opts_t *o, void *ctx, char ***args,
                 size_t *n_args)
{
    ds_common_init(o, spec->common);
    o->cmd = spec->name;
    const char *shortopts;
    struct option *lo = ds_common_longopts(o, spec->own, &shortopts);
    if (!lo) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    int status = -1, c;
    optind = 1;
    opterr = 0;
    while (status < 0 &&
           (c = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
        if (c == 'h') {
            ds_cmd_help(spec, o, stdout);
            status = ds_stdout_status();
        } else if (c == '?') {
            if (optopt)
                status = ds_usage_error(spec->name, "unknown option '-%c'",
                                        optopt);
            else
                status = ds_usage_error(spec->name, "unknown option '%s'",
                                        argv[optind - 1]);
        } else if (c == ':') {
            status = ds_usage_error(spec->name, "option '%s' needs a value",
                                    argv[optind - 1]);
        } else {
            int r = ds_common_option(o, spec->name, c, optarg);
            if (r == 0 && spec->own_option)
                r = spec->own_option(c, optarg, ctx);
            if (r == -2) /* out of memory: not the user's error */
                status = DS_EXIT_DATA;
            else if (r < 0)
                status = DS_EXIT_USAGE;
            else if (r == 0)
                status = ds_usage_error(spec->name, "unknown option '%s'",
                                        argv[optind - 1]);
        }
    }
    free(lo);
    if (status >= 0) {
        ds_common_clear(o);
        return status;
    }
    size_t n = (size_t)(argc - optind);
    if (n < spec->min_args) {
        ds_common_clear(o);
        return ds_usage_error(spec->name, "%s", n == 0
                                  ? "missing arguments"
                                  : "too few arguments");
    }
    if (spec->max_args && n > spec->max_args) {
        ds_common_clear(o);
        return ds_usage_error(spec->name, "too many arguments (from '%s')",
                              argv[optind + (int)spec->max_args]);
    }
    *args = argv + optind;
    *n_args = n;
    return -1;
}
