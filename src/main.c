/*
 * main.c — dispatch `dyadseq COMMAND ...` through a table (samtools'
 * cmd_t), --help and --version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "commands.h"
#include "cli.h"
#include "dyadseq/dist.h"
#include "outfile.h"
#include "results.h"
#include "version.h"

static const ds_command_t commands[] = {
    {"validate", main_validate,
     "check transcripts against the schema and codebook; report every "
     "problem"},
    {"analyze", main_analyze,
     "compute every statistic of a study into one HDF5 results file"},
    {"compare", main_compare,
     "pre/post comparison of per-couple metrics: paired tests, effect "
     "sizes"},
    {"agree", main_agree,
     "inter-coder agreement: aligned events, kappa, ICC of the metrics"},
    {"export", main_export,
     "print a dataset or table of a results file as tidy CSV"},
    {"info", main_info,
     "summarize a results file: provenance, contents, strongest effects"},
    {"simulate", main_simulate,
     "write synthetic transcripts with known sequential structure"},
    {"power", main_power, "power and sample size by simulation"},
    {"convert", main_convert,
     "BORIS, ELAN, SDIS and other tools' files to transcripts; SDIS out"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "About:   dyadseq %s — sequential analysis of coded couple "
            "interaction.\n"
            "         Lag tables, adjusted residuals, Yule's Q, Wampold's "
            "kappa,\n"
            "         responsiveness to bids and pursue-withdraw cycles for "
            "a whole study,\n"
            "         in parallel, into one HDF5 results file.\n"
            "Usage:   dyadseq COMMAND [options] INPUT...\n"
            "\n"
            "Commands:\n",
            DS_VERSION);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp,
            "\n"
            "INPUT is a transcript CSV, a directory (every *.csv in it, by "
            "name) or - (stdin).\n"
            "'dyadseq COMMAND --help' lists a command's options with their "
            "defaults.\n"
            "\n"
            "Options:\n"
            "  -h, --help      this help\n"
            "      --version   print the version\n"
            "\n");
}

/* The command line for provenance, without -t/--threads: the thread count
 * never changes a result, and leaving it out keeps results files
 * byte-identical at any thread count (SPEC 5). malloc'd; NULL on OOM. */
static char *provenance_line(int argc, char **argv)
{
    char **kept = malloc((size_t)(argc + 1) * sizeof *kept);
    if (!kept)
        return NULL;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if ((strcmp(argv[i], "-t") == 0 ||
             strcmp(argv[i], "--threads") == 0) && i + 1 < argc) {
            i++;
            continue;
        }
        if ((strncmp(argv[i], "-t", 2) == 0 && argv[i][2] != '\0' &&
             argv[i][2] != '-') ||
            strncmp(argv[i], "--threads=", 10) == 0)
            continue;
        kept[n++] = argv[i];
    }
    char *line = ds_join_argv(n, kept);
    free(kept);
    return line;
}

/* Run the command named argv[1]; typed is argv as typed (or NULL), to
 * start again (ds_invocation_t). */
static int run_command(const ds_command_t *cmd, int argc, char **argv,
                       char *const *typed)
{
    char *line = provenance_line(argc, argv);
    if (!line) {
        fprintf(stderr, "dyadseq: error: out of memory\n");
        return DS_EXIT_DATA;
    }
    ds_invocation_t inv = {.command_line = line, .argv = typed};
    int status = cmd->main(argc - 1, argv + 1, &inv);
    free(line);
    return status;
}

/* Dispatch argv[1]. */
static int run(int argc, char **argv, char *const *typed)
{
    if (argc < 2) {
        usage(stderr);
        return DS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage(stdout);
        return ds_stdout_status();
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("dyadseq %s\n", DS_VERSION);
        return ds_stdout_status();
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return run_command(&commands[i], argc, argv, typed);
    if (cmd[0] == '-')
        fprintf(stderr, "dyadseq: error: unknown option '%s'\n", cmd);
    else
        fprintf(stderr, "dyadseq: error: unknown command '%s'\n", cmd);
    usage(stderr);
    return DS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    /* argv as typed, to start again (getopt reorders argv itself); NULL
     * when out of memory: then the program never starts again */
    char **typed = malloc((size_t)(argc + 1) * sizeof *typed);
    if (typed)
        memcpy(typed, argv, (size_t)(argc + 1) * sizeof *typed);
    /* large inputs in huge pages (cli_hugepages.c), while a restart is
     * cheap: before HDF5 sets itself up (about 4 ms that the first
     * process would spend for nothing) and, under MPI, before MPI starts.
     * Every argument that names a file or directory counts; the commands
     * not named here start again when they load their inputs (cli.c). */
    if (argc > 2 && (strcmp(argv[1], "analyze") == 0 ||
                     strcmp(argv[1], "validate") == 0 ||
                     strcmp(argv[1], "compare") == 0))
        ds_cli_huge_pages(typed, argv + 2, (size_t)(argc - 2));
    /* one process, or several under MPI (dist.h): ranks that do not run
     * this command wait for the exit status of the one that does */
    if (!ds_dist_start(&argc, &argv, argc > 1 ? argv[1] : NULL)) {
        free(typed);
        return ds_dist_finish(DS_EXIT_OK);
    }
    /* HDF5 has no exit handler (results.h): an exit() from below
     * (libgomp's, when it cannot create a thread) while a file was half
     * written made that handler crash (issue 18 #5); such an exit is
     * turned into status 1 with a message (outfile_guard.c) */
    if (ds_results_library_open() != 0) {
        fprintf(stderr, "dyadseq: error: out of memory starting the HDF5 "
                        "library\n");
        ds_outfile_guard_done();
        free(typed);
        return ds_dist_finish(DS_EXIT_DATA);
    }
    int status = run(argc, argv, typed);
    ds_outfile_guard_done();
    free(typed);
    return ds_dist_finish(status);
}
