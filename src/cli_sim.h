/*
 * cli_sim.h — simulate's model on the command line, shared by `simulate`
 * and `power` (cli_sim.c), so that both take the same options with the
 * same checks and messages: the options that set the built-in model
 * (--groups, --withdraw ... --duration-shape), --sessions, --model,
 * --codebook and --actors; their help; the groups and session labels
 * they name; the state space of the transcripts; loading a --model
 * matrix. Messages name the command (`cmd`) that was given the option.
 */
#ifndef DYADSEQ_CLI_SIM_H
#define DYADSEQ_CLI_SIM_H

#include <stdio.h>

#include "cli.h"
#include "dyadseq/simulate.h"

/* Option codes of the model, above any command's own (DS_OPT_COMMAND..). */
enum {
    DS_OPT_SIM_GROUPS = DS_OPT_COMMAND + 256,
    DS_OPT_SIM_SESSIONS,
    DS_OPT_SIM_WITHDRAW,
    DS_OPT_SIM_CONTINUE,
    DS_OPT_SIM_SOFTEN,
    DS_OPT_SIM_RECIPROCATE,
    DS_OPT_SIM_ANSWER_SD,
    DS_OPT_SIM_ANSWER_GAIN,
    DS_OPT_SIM_THERAPY,
    DS_OPT_SIM_GAP_MEAN,
    DS_OPT_SIM_GAP_SHAPE,
    DS_OPT_SIM_LATENCY_MEAN,
    DS_OPT_SIM_LATENCY_SHAPE,
    DS_OPT_SIM_DURATION_MEAN,
    DS_OPT_SIM_DURATION_SHAPE,
    DS_OPT_SIM_MODEL
};

/* The model's entries of a command's getopt_long table (put them before
 * its zero entry); --codebook and --actors are handled by
 * ds_common_option: they give the state space of the transcripts. */
#define DS_CLI_SIM_OPTIONS                                                   \
    {"groups", required_argument, NULL, DS_OPT_SIM_GROUPS},                  \
    {"sessions", required_argument, NULL, DS_OPT_SIM_SESSIONS},              \
    {"withdraw", required_argument, NULL, DS_OPT_SIM_WITHDRAW},              \
    {"continue", required_argument, NULL, DS_OPT_SIM_CONTINUE},              \
    {"soften", required_argument, NULL, DS_OPT_SIM_SOFTEN},                  \
    {"reciprocate", required_argument, NULL, DS_OPT_SIM_RECIPROCATE},        \
    {"answer-sd", required_argument, NULL, DS_OPT_SIM_ANSWER_SD},            \
    {"answer-gain", required_argument, NULL, DS_OPT_SIM_ANSWER_GAIN},        \
    {"therapy", required_argument, NULL, DS_OPT_SIM_THERAPY},                \
    {"gap-mean", required_argument, NULL, DS_OPT_SIM_GAP_MEAN},              \
    {"gap-shape", required_argument, NULL, DS_OPT_SIM_GAP_SHAPE},            \
    {"latency-mean", required_argument, NULL, DS_OPT_SIM_LATENCY_MEAN},      \
    {"latency-shape", required_argument, NULL, DS_OPT_SIM_LATENCY_SHAPE},    \
    {"duration-mean", required_argument, NULL, DS_OPT_SIM_DURATION_MEAN},    \
    {"duration-shape", required_argument, NULL, DS_OPT_SIM_DURATION_SHAPE},  \
    {"model", required_argument, NULL, DS_OPT_SIM_MODEL},                    \
    {"codebook", required_argument, NULL, DS_OPT_CODEBOOK},                  \
    {"actors", required_argument, NULL, DS_OPT_ACTORS}

#define DS_CLI_SIM_GROUPS "stable:0.86,distressed:0.33" /* --groups */
#define DS_CLI_SIM_SESSIONS "pre,post"                  /* --sessions */
#define DS_CLI_SIM_MAX_GROUP_NAME 32

/* The model as the options give it. */
typedef struct ds_cli_sim {
    ds_sim_params_t par;
    const char *groups, *sessions; /* the lists as given */
    const char *model;             /* --model as given, or NULL */
    const char *builtin_opt;       /* first option of the built-in model
                                      given, e.g. "--withdraw", or NULL */
} ds_cli_sim_t;

/* The defaults (ds_sim_params_init, DS_CLI_SIM_GROUPS, ...). */
void ds_cli_sim_init(ds_cli_sim_t *m);

/* Handle option opt of command cmd if it is one of the model's: 1 when
 * handled, 0 when not one, -1 after a usage error (a bad value). */
int ds_cli_sim_option(ds_cli_sim_t *m, const char *cmd, int opt,
                      const char *arg);

/* An option of the built-in model given with --model: DS_EXIT_USAGE after
 * the message, else DS_EXIT_OK. */
int ds_cli_sim_check_model(const ds_cli_sim_t *m, const char *cmd);

/* The help of the model's options: simulate's sections "Built-in model"
 * and "Timing", and power's shorter section "The planted effect"
 * (through --model, --codebook and --actors). */
void ds_cli_sim_help(FILE *fp);
void ds_cli_sim_help_brief(FILE *fp);

/* A group of couples of --groups: its name (couples are NAME-01, ...)
 * and the mean probability that a bid is answered. */
typedef struct ds_cli_sim_group {
    char name[DS_CLI_SIM_MAX_GROUP_NAME + 1];
    double rate;
} ds_cli_sim_group_t;

/*
 * Parse --groups NAME:RATE,... (answer_sd: --answer-sd, which must fit
 * every group's rate). Returns DS_EXIT_OK with *out (malloc'd) and *n,
 * or the exit status after the message.
 */
int ds_cli_sim_groups(const char *cmd, const char *list, double answer_sd,
                      ds_cli_sim_group_t **out, size_t *n);

/* Parse --sessions: non-empty, distinct UTF-8 labels into *labels
 * (ds_free_list, also after a failure). Returns an exit status. */
int ds_cli_sim_sessions(const char *cmd, const char *list, char ***labels,
                        size_t *n);

/* The state space: the codebook (--codebook or built-in) × --actors, as
 * a corpus without sessions. Returns DS_EXIT_OK with *out, or the exit
 * status after the message. */
int ds_cli_sim_space(const ds_common_opts_t *o, ds_corpus_t **out);

/* A --model transition matrix over space, ready to simulate from (*out:
 * ds_sim_chain_free, also after a failure). Returns an exit status after
 * printing the problems. */
int ds_cli_sim_load_model(const char *path, const ds_corpus_t *space,
                          int quiet, ds_sim_chain_t **out);

#endif
