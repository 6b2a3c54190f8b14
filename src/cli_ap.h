/*
 * cli_ap.h — actor-partner effects on the command line (SPEC 4.5), shared
 * by analyze and compare: the options --actor-partner and --ap-delta, the
 * models they name in a corpus, and the table of per-session and mean
 * coefficients printed on standard output (cli_ap.c).
 */
#ifndef DYADSEQ_CLI_AP_H
#define DYADSEQ_CLI_AP_H

#include <stdio.h>

#include "dyadseq/analysis.h"
#include "dyadseq/apim.h"

/* Most --actor-partner options of one command. */
#define DS_CLI_AP_MAX 64

/* The keyword of --actor-partner for the default models. */
#define DS_CLI_AP_DEFAULT "default"

typedef struct ds_cli_ap {
    const char *spec[DS_CLI_AP_MAX]; /* --actor-partner as given */
    size_t n_spec;
    double delta;                    /* --ap-delta [0.5] */
    int delta_given;
} ds_cli_ap_t;

void ds_cli_ap_init(ds_cli_ap_t *x);

/* --actor-partner MODEL and --ap-delta D of command cmd: 1 when handled,
 * -1 after a usage error. */
int ds_cli_ap_add(ds_cli_ap_t *x, const char *cmd, const char *arg);
int ds_cli_ap_set_delta(ds_cli_ap_t *x, const char *cmd, const char *arg);

/* Their help lines. */
void ds_cli_ap_help(FILE *fp);

/*
 * The models x names in the states of c ("default": the default models
 * of apim.h), none when x names none. Returns DS_EXIT_OK with *out (an
 * array of *n, free with ds_cli_ap_models_free), or the exit status after
 * the message: DS_EXIT_USAGE for a model that names no state, a model
 * given twice, "default" where the codebook has none.
 */
int ds_cli_ap_models(const ds_cli_ap_t *x, const char *cmd,
                     const ds_corpus_t *c, ds_ap_model_t **out, size_t *n);
void ds_cli_ap_models_free(ds_ap_model_t *m, size_t n);

/*
 * Print every model's per-session coefficients (at most max_rows
 * sessions, then how many more) and their summaries between sessions, all
 * and per label, to fp. Returns 0, or -1 when fp cannot be written.
 */
int ds_cli_ap_print(FILE *fp, const ds_corpus_t *c, const ds_analysis_t *a,
                    const ds_ap_opts_t *o, size_t max_rows);

#endif
