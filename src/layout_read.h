/*
 * layout_read.h — a results file of `dyadseq analyze` read back at the
 * level of its layout (SPEC 5, schemas/results.md): the sessions, states
 * and codebook, the lag-1 session tables, responsiveness, cycles,
 * softening, actor-partner effects and the provenance, in one struct. For commands that take an
 * analyze file as input instead of transcripts: compare now, agree and
 * power to come. It reads through the results reader (results.h) and
 * knows the paths; it computes nothing but what the layout implies (each
 * state's actor and role, from /states/label and /codebook).
 *
 * The file is checked first (results_check.h: what its command promises
 * is there, of the right shapes). Errors name the file and the path:
 * "FILE: /sessions/couple is missing (and 2 more problems)", "FILE:
 * /lag/1/session/counts has 2 entries along axis 1, expected 3".
 */
#ifndef DYADSEQ_LAYOUT_READ_H
#define DYADSEQ_LAYOUT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/codebook.h"
#include "dyadseq/error.h"
#include "results.h"

/* What the caller cannot do without (ds_layout_read's `need`). */
enum {
    DS_LAYOUT_NEED_LAG1 = 1 /* the lag-1 session tables */
};

typedef struct ds_layout_store ds_layout_store_t;

/*
 * The file as read. Arrays are owned by the struct and freed by
 * ds_layout_read_clear; a section the file does not have is NULL (its
 * counts 0). "[2S]" arrays have two rows per session, session-major, the
 * first actor first (as /responsiveness and /softening).
 */
typedef struct ds_layout_read {
    ds_results_reader_t *f;   /* the open file, for further reads */
    const char *file;         /* its name as given */
    char sha256[65];          /* SHA-256 of its bytes, hex */

    /* root attributes (SPEC 5 provenance); absent: none, "" and seed 1 */
    size_t n_inputs;          /* entries of both lists */
    char **input_files, **input_sha256;
    int64_t seed;
    char *command_line, *parameters;

    /* /sessions [S] */
    size_t S;
    char **couple, **session;
    const int64_t *n_events;
    const double *duration_s, *first_onset_s;
    int has_time;             /* some session has a first onset */

    /* /states [K], /codebook [C]; states are the codes, or actor:code
     * pairs actor-major (SPEC 4) */
    size_t K, C;
    char **state_label, **code;
    ds_role_t *code_role;     /* [C] /codebook/role */
    int *state_actor;         /* [K] index into actors, -1 without actors */
    ds_role_t *state_role;    /* [K] the role of the state's code */
    size_t n_actors;
    char **actors;            /* [n_actors], from the state labels */

    /* /lag/1/session [S*K*K] (session, antecedent, target) and
     * /lag/1/pooled/structural_zero [K*K] (NULL: none marked) */
    const int64_t *counts;
    const double *yules_q, *adjusted_residual;
    uint8_t *structural_zero;

    /* /responsiveness [2S] */
    double response_window_s; /* its attribute, else the default */
    const int64_t *n_bids, *n_answered;
    const double *response_rate, *latency_median_s;

    /* /cycles [S] and /softening [2S] */
    int64_t cycle_min;        /* its attribute, else the default */
    const int64_t *n_cycles;
    const double *share_time_in_cycles;
    const int64_t *n_soften;
    const double *softening_rate_per_min;

    /* /actor_partner (n_ap 0: none); per model its name, the role of Y
     * (DS_ROLE_OTHER when its states have several), the coefficients
     * [S * DS_AP_N_COEFS] and the tables [S * DS_AP_N_CELLS] */
    size_t n_ap;
    char **ap_model;
    ds_role_t *ap_y_role;
    double **ap_coef;
    int64_t **ap_counts;
    double ap_delta;          /* its attribute, else the default */

    ds_layout_store_t *store_; /* internal: the arrays read */
} ds_layout_read_t;

/*
 * Open the results file at path and read it into lr, which needs no
 * initialisation. `need` is 0 or DS_LAYOUT_NEED_LAG1 (then a file without
 * the lag-1 tables, or one written by `compare`, is an error). Returns 0,
 * DS_EIO (cannot open or read), DS_EDATA (not a results file of analyze,
 * a dataset missing or of the wrong size or type), DS_EHDF5, DS_ENOMEM;
 * on failure lr holds nothing to clear.
 */
int ds_layout_read(const char *path, unsigned need, ds_layout_read_t *lr,
                   ds_error_t *err);

/* Close the file and free everything; lr may be zeroed or cleared. */
void ds_layout_read_clear(ds_layout_read_t *lr);

/* Internal (layout_read_ap.c): read /actor_partner into lr after the
 * sessions and states, and free it. */
int ds_layout_read_ap(ds_layout_read_t *lr, ds_error_t *err);
void ds_layout_read_ap_clear(ds_layout_read_t *lr);

#endif
