/*
 * cli.h — what every command shares: the command table entry, the common
 * options (SPEC 2), messages to standard error, help text, loading the
 * inputs with all diagnostics printed. Only command files (cmd_*.c) and
 * main.c use this module; computation modules never print.
 */
#ifndef DYADSEQ_CLI_H
#define DYADSEQ_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "dyadseq/analysis.h"
#include "dyadseq/corpus.h"
#include "dyadseq/error.h"
#include "import.h"

/* Exit statuses (SPEC 2). */
enum { DS_EXIT_OK = 0, DS_EXIT_DATA = 1, DS_EXIT_USAGE = 2 };

/* How the program was started, as main() hands it to a command. */
typedef struct ds_invocation {
    /* the whole command line as typed, less -t/--threads (recorded in
     * results files) */
    const char *command_line;
    /* main()'s argv as typed, NULL-terminated, to start the program again
     * (cli_hugepages.c; getopt reorders the command's own argv); NULL when
     * it could not be kept: then the program never starts again */
    char *const *argv;
} ds_invocation_t;

typedef struct ds_command {
    const char *name;
    /* argv[0] is the command name */
    int (*main)(int argc, char **argv, const ds_invocation_t *inv);
    const char *summary;                /* one line for `dyadseq --help` */
} ds_command_t;

/* Long-only option codes shared by commands; a command's own start at
 * DS_OPT_COMMAND. */
enum {
    DS_OPT_CODEBOOK = 256,
    DS_OPT_ACTORS,
    DS_OPT_SEED,
    DS_OPT_PROGRESS,
    DS_OPT_NO_PROGRESS,
    DS_OPT_SORT,
    DS_OPT_MERGE,
    DS_OPT_FORMAT,
    DS_OPT_SUBJECT_ACTOR,
    DS_OPT_TIER_ACTOR,
    DS_OPT_ID_PATTERN,
    DS_OPT_MODIFIERS,
    DS_OPT_COLUMNS,
    DS_OPT_INTERVAL,
    DS_OPT_CODE,
    DS_OPT_N_INTERVALS,
    DS_OPT_COMMAND = 512
};

/* Which common options a command takes (for parsing and help). */
enum {
    DS_COMMON_INPUT = 1 << 0,   /* --codebook --actors --sort --merge */
    DS_COMMON_OUTPUT = 1 << 1,  /* -o FILE */
    DS_COMMON_THREADS = 1 << 2, /* -t N */
    DS_COMMON_SEED = 1 << 3,    /* --seed N */
    DS_COMMON_PROGRESS = 1 << 4, /* --progress / --no-progress */
    DS_COMMON_IMPORT = 1 << 5    /* --from/--format and the importers'
                                    options (import.h) */
};

typedef struct ds_common_opts {
    const char *cmd;         /* the command's name, for messages */
    unsigned which;          /* DS_COMMON_* flags this command accepts */
    const char *output;      /* -o */
    int threads;             /* -t; 0 = all cores */
    const char *codebook;    /* --codebook FILE, NULL = built-in */
    const char *actors;      /* --actors, default "A,B" */
    unsigned long seed;      /* --seed, default 1 */
    int quiet, verbose;      /* -q, -v */
    int progress;            /* -1 auto (stderr is a terminal), 0, 1 */
    int sort, merge;         /* --sort, --merge */
    int drop_lines;          /* set by the command: ds_ingest_opts_t's */
    const ds_invocation_t *inv; /* provenance, restart; set by the command */
    const char *format;      /* --from/--format, NULL = by extension */
    ds_import_opts_t import; /* the importers' options */
} ds_common_opts_t;

/* Defaults for the given DS_COMMON_* flags. */
void ds_common_init(ds_common_opts_t *o, unsigned which);

/* Free what options allocated (the importers' maps and pattern). A
 * command calls it before returning once ds_cmd_parse said to run;
 * ds_cmd_parse calls it itself when it returns an exit status. */
void ds_common_clear(ds_common_opts_t *o);

/*
 * Build a getopt_long option array: the command's own options (terminated
 * by a zero entry) followed by the common options selected in o->which,
 * plus -h/--help, -q, -v. Returns a malloc'd array, or NULL on OOM.
 * `shortopts` receives the matching short-option string (static storage).
 */
struct option *ds_common_longopts(const ds_common_opts_t *o,
                                  const struct option *own,
                                  const char **shortopts);

/*
 * Handle one option returned by getopt_long if it is a common one.
 * Returns 1 if handled, 0 if not a common option, -1 if its value is
 * invalid (message printed; exit with DS_EXIT_USAGE), -2 when memory ran
 * out (message printed; exit with DS_EXIT_DATA).
 */
int ds_common_option(ds_common_opts_t *o, const char *cmd, int opt,
                     const char *arg);

/* Print the help lines of the common options selected in o->which. */
void ds_common_help(FILE *fp, const ds_common_opts_t *o);

/* Number of threads to use: o->threads, or all cores when 0. */
int ds_common_threads(const ds_common_opts_t *o);

/* Whether to draw a progress bar. */
int ds_common_progress(const ds_common_opts_t *o);

/* "dyadseq: error: ..." / "dyadseq: warning: ..." / notes (not with -q). */
void ds_msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ds_msg_warning(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Flush standard output: DS_EXIT_OK, or DS_EXIT_DATA after "cannot write
 * to standard output: REASON" (a full disk, a closed pipe). */
int ds_stdout_status(void);

/* A usage error: message, then "Try 'dyadseq CMD --help'."; returns 2. */
int ds_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Print the stored problems of diag (errors first, at most its keep count,
 * then "… and N more problems"), and its warnings unless quiet.
 */
void ds_print_diag(const ds_diag_t *diag, int quiet);

/*
 * Load the codebook (--codebook or built-in) and all inputs with the common
 * options, printing every problem. The reader runs on o's thread count
 * (ds_common_threads) when the command takes -t, on OpenMP's default
 * (OMP_NUM_THREADS, else all cores) when it does not. Returns DS_EXIT_OK
 * with *out set, or the exit status to return.
 */
int ds_cli_load_corpus(const ds_common_opts_t *o, char *const *inputs,
                       size_t n_inputs, ds_corpus_t **out);

/*
 * Another tool's files (--from/--format FORMAT, or told by their
 * extension) as a checked study: the codebook and actors of the options,
 * every input read by its importer, every problem printed (cli_import.c).
 * "transcript" reads dyadseq transcripts with the transcript reader.
 * Returns DS_EXIT_OK with *x filled, or the exit status to return.
 */
typedef struct ds_cli_import {
    ds_codebook_t *codebook;
    char **actors;
    size_t n_actors;
    ds_import_study_t *study;
} ds_cli_import_t;
int ds_cli_import(const ds_common_opts_t *o, char *const *inputs,
                  size_t n_inputs, ds_cli_import_t *x);
void ds_cli_import_clear(ds_cli_import_t *x);

/* Whether the inputs are another tool's files: --from/--format names a
 * format other than "transcript", or --columns is given, or (neither
 * given) every input is named as one format's file (.boris, .eaf, .sds,
 * or a directory of those). */
int ds_cli_import_wanted(const ds_common_opts_t *o, char *const *inputs,
                         size_t n_inputs);

/* ds_cli_import, then the study as a corpus (validate, analyze --format). */
int ds_cli_import_corpus(const ds_common_opts_t *o, char *const *inputs,
                         size_t n_inputs, ds_corpus_t **out);

/*
 * Refuse an output path that would destroy data: a directory, one of the
 * inputs, or an existing file that is not a dyadseq results file (results
 * files are replaced atomically by the writer). Prints the reason; 0 when
 * the path may be written, -1 when not (exit with DS_EXIT_DATA).
 */
int ds_cli_check_output(const char *out, char *const *inputs, size_t n);

/*
 * Check a results file before trusting it (results_check.h): prints
 * every problem found; DS_EXIT_OK, or DS_EXIT_DATA after the messages.
 */
struct ds_results_reader;
int ds_cli_check_results(struct ds_results_reader *f, int quiet);

/*
 * Run ds_analysis_run(c, ao) with o's thread count and, when o asks for
 * one, a progress bar named `label` over `work` units (events). Prints the
 * analysis' warnings (unless -q) and its error. Returns DS_EXIT_OK with
 * *out set, or the exit status to return (DS_EXIT_USAGE for options that
 * cannot work together).
 */
int ds_cli_run_analysis(const ds_common_opts_t *o, const char *label,
                        const ds_corpus_t *c, ds_analysis_opts_t *ao,
                        size_t work, ds_analysis_t **out);

/* Split "A,B" into a malloc'd array of malloc'd strings. -1 on error. */
int ds_split_list(const char *s, char ***items, size_t *n);
void ds_free_list(char **items, size_t n);

/* Check an --actors list: names non-empty, distinct, without ':' (it
 * separates actor and code in state labels). Prints the problem; -1. */
int ds_check_actors(char **actors, size_t n);

/* The command line as one string (for provenance), malloc'd. */
char *ds_join_argv(int argc, char **argv);

/*
 * A command's description for ds_cmd_parse(): its own options and how to
 * handle them, and the help text. own_option returns 1 if it handled opt,
 * 0 if opt is not its own, -1 if the value is invalid (after printing a
 * message with ds_usage_error).
 */
typedef struct ds_cmd_spec {
    const char *name;      /* "validate" */
    const char *about;     /* one paragraph for --help */
    const char *usage;     /* "[options] INPUT..." */
    unsigned common;       /* DS_COMMON_* flags */
    const struct option *own; /* zero-terminated, may be NULL */
    void (*own_help)(FILE *fp);
    int (*own_option)(int opt, const char *arg, void *ctx);
    size_t min_args, max_args; /* positional arguments; max 0 = no limit */
    void (*epilog)(FILE *fp); /* text after the options, or NULL */
} ds_cmd_spec_t;

/*
 * Parse a command's arguments (options anywhere, GNU style). Returns -1
 * when the command should run, with its positional arguments in
 * (*args, *n_args) (pointers into argv), or an exit status to return now:
 * 0 after --help, DS_EXIT_USAGE after a usage error (message printed).
 */
int ds_cmd_parse(const ds_cmd_spec_t *spec, int argc, char **argv,
                 ds_common_opts_t *o, void *ctx, char ***args,
                 size_t *n_args);

/* Print a command's --help (samtools shape: About, Usage, Options). */
void ds_cmd_help(const ds_cmd_spec_t *spec, const ds_common_opts_t *o,
                 FILE *fp);

/*
 * Inputs of 16 MiB or more: run this command again from the start, as
 * argv (main()'s, as typed; see ds_invocation_t) says, with glibc's malloc
 * asking for transparent huge pages (a fifth less CPU time on large
 * studies, from fewer page faults; cli_hugepages.c says when it does not).
 * Returns only when it does not start again (always when argv is NULL).
 */
void ds_cli_huge_pages(char *const *argv, char *const *inputs,
                       size_t n_inputs);

/*
 * Whether a tool that checks memory replaces malloc in this process
 * (AddressSanitizer, valgrind): then the program frees everything before
 * it exits, as such tools expect. Otherwise a command that has done its
 * work may leave its large results to the exit, which returns all of a
 * process's memory at once (cli_hugepages.c).
 */
int ds_cli_memory_checked(void);

#endif
