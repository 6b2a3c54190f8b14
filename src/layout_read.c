/*
 * layout_read.c — read a results file of `dyadseq analyze` into a
 * ds_layout_read_t (see layout_read.h).
 *
 * The datasets are read in the order of the tables below, each checked for
 * existence and element count, so the first problem is reported with the
 * file and the path. Sections that analyze writes only for some inputs
 * (/responsiveness without time or actors, /cycles and /softening without
 * actors, the structural zeros) are read when present.
 */
#include "layout_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dyadseq/cycles.h"
#include "dyadseq/responsive.h"
#include "results_check.h"
#include "sha256.h"
#include "layout_paths.h"
#include "text.h"

/* ------------------------------------------------------------------ */
/* The paths and attributes read (SPEC 5), named in layout_paths.h     */
/* ------------------------------------------------------------------ */

enum {
    SESSIONS_COUPLE, SESSIONS_SESSION, SESSIONS_N_EVENTS,
    SESSIONS_DURATION_S, SESSIONS_FIRST_ONSET_S,
    STATES_LABEL, CODEBOOK_CODE, CODEBOOK_ROLE,
    LAG, COMPARISON,
    LAG1_COUNTS, LAG1_YULES_Q, LAG1_ADJUSTED_RESIDUAL, LAG1_STRUCTURAL_ZERO,
    RESPONSIVENESS, RESPONSIVENESS_N_BIDS, RESPONSIVENESS_N_ANSWERED,
    RESPONSIVENESS_RATE, RESPONSIVENESS_LATENCY,
    CYCLES, CYCLES_N, CYCLES_SHARE, SOFTENING_N, SOFTENING_RATE,
    N_PATHS
};

/* /lag/1/<part>/<name> of literals (ds_layout_path_lag builds it for any
 * lag; lag 1 is what compare reads) */
#define LAG1(part, name) DS_PATH_IN(DS_PATH_IN(DS_PATH_LAG, "1"), \
                                    DS_PATH_IN(part, name))

static const char *const PATH[N_PATHS] = {
    [SESSIONS_COUPLE] = DS_PATH_SESSIONS_COUPLE,
    [SESSIONS_SESSION] = DS_PATH_SESSIONS_SESSION,
    [SESSIONS_N_EVENTS] = DS_PATH_SESSIONS_N_EVENTS,
    [SESSIONS_DURATION_S] = DS_PATH_SESSIONS_DURATION_S,
    [SESSIONS_FIRST_ONSET_S] = DS_PATH_SESSIONS_FIRST_ONSET_S,
    [STATES_LABEL] = DS_PATH_STATES_LABEL,
    [CODEBOOK_CODE] = DS_PATH_CODEBOOK_CODE,
    [CODEBOOK_ROLE] = DS_PATH_CODEBOOK_ROLE,
    [LAG] = DS_PATH_LAG,
    [COMPARISON] = DS_PATH_COMPARISON,
    [LAG1_COUNTS] = LAG1(DS_LAG_SESSION, DS_LAG_COUNTS),
    [LAG1_YULES_Q] = LAG1(DS_LAG_SESSION, "yules_q"),
    [LAG1_ADJUSTED_RESIDUAL] = LAG1(DS_LAG_SESSION, "adjusted_residual"),
    [LAG1_STRUCTURAL_ZERO] = LAG1(DS_LAG_POOLED, DS_LAG_STRUCTURAL_ZERO),
    [RESPONSIVENESS] = DS_PATH_RESPONSIVENESS,
    [RESPONSIVENESS_N_BIDS] = DS_PATH_IN(DS_PATH_RESPONSIVENESS,
                                         DS_COL_N_BIDS),
    [RESPONSIVENESS_N_ANSWERED] = DS_PATH_IN(DS_PATH_RESPONSIVENESS,
                                             DS_COL_N_ANSWERED),
    [RESPONSIVENESS_RATE] = DS_PATH_IN(DS_PATH_RESPONSIVENESS,
                                       DS_COL_RESPONSE_RATE),
    [RESPONSIVENESS_LATENCY] = DS_PATH_IN(DS_PATH_RESPONSIVENESS,
                                          DS_COL_LATENCY_MEDIAN_S),
    [CYCLES] = DS_PATH_CYCLES,
    [CYCLES_N] = DS_PATH_IN(DS_PATH_CYCLES, DS_COL_N_CYCLES),
    [CYCLES_SHARE] = DS_PATH_IN(DS_PATH_CYCLES, DS_COL_SHARE_TIME_IN_CYCLES),
    [SOFTENING_N] = DS_PATH_IN(DS_PATH_SOFTENING, DS_COL_N_SOFTEN),
    [SOFTENING_RATE] = DS_PATH_IN(DS_PATH_SOFTENING, DS_COL_RATE_PER_MIN),
};

/* the two statistics above are named after their fields (statlist.h) */
_Static_assert(sizeof(((ds_lag_table_t *)0)->yules_q) != 0 &&
                   sizeof(((ds_lag_table_t *)0)->adjusted_residual) != 0,
               "lag statistics read by compare");

#define ROOT DS_PATH_ROOT
#define ATTR_INPUT_FILES DS_ATTR_INPUT_FILES
#define ATTR_INPUT_SHA256 DS_ATTR_INPUT_SHA256
#define ATTR_SEED DS_ATTR_SEED
#define ATTR_COMMAND_LINE DS_ATTR_COMMAND_LINE
#define ATTR_PARAMETERS DS_ATTR_PARAMETERS
#define ATTR_RESPONSE_WINDOW DS_ATTR_RESPONSE_WINDOW_S /* of /responsiveness */
#define ATTR_CYCLE_MIN DS_ATTR_CYCLE_MIN               /* of /cycles */

/* ------------------------------------------------------------------ */
/* What is read, in order                                             */
/* ------------------------------------------------------------------ */

/* How many values a dataset must hold. */
typedef enum {
    N_SELF,  /* whatever it holds: it defines S, K or C */
    N_S, N_2S, N_C, N_SKK, N_KK
} count_t;

typedef struct item {
    int path;
    ds_results_type_t as;
    count_t n;
} item_t;

static const item_t SESSION_ITEMS[] = {
    {SESSIONS_COUPLE, DS_RESULTS_STRING, N_SELF},
    {SESSIONS_SESSION, DS_RESULTS_STRING, N_S},
    {SESSIONS_N_EVENTS, DS_RESULTS_INT64, N_S},
    {SESSIONS_DURATION_S, DS_RESULTS_DOUBLE, N_S},
    {SESSIONS_FIRST_ONSET_S, DS_RESULTS_DOUBLE, N_S},
    {STATES_LABEL, DS_RESULTS_STRING, N_SELF},
    {CODEBOOK_CODE, DS_RESULTS_STRING, N_SELF},
    {CODEBOOK_ROLE, DS_RESULTS_STRING, N_C},
};

static const item_t LAG1_ITEMS[] = {
    {LAG1_COUNTS, DS_RESULTS_INT64, N_SKK},
    {LAG1_YULES_Q, DS_RESULTS_DOUBLE, N_SKK},
    {LAG1_ADJUSTED_RESIDUAL, DS_RESULTS_DOUBLE, N_SKK},
};

static const item_t RESPONSIVENESS_ITEMS[] = {
    {RESPONSIVENESS_N_BIDS, DS_RESULTS_INT64, N_2S},
    {RESPONSIVENESS_N_ANSWERED, DS_RESULTS_INT64, N_2S},
    {RESPONSIVENESS_RATE, DS_RESULTS_DOUBLE, N_2S},
    {RESPONSIVENESS_LATENCY, DS_RESULTS_DOUBLE, N_2S},
};

static const item_t CYCLE_ITEMS[] = {
    {CYCLES_N, DS_RESULTS_INT64, N_S},
    {CYCLES_SHARE, DS_RESULTS_DOUBLE, N_S},
    {SOFTENING_N, DS_RESULTS_INT64, N_2S},
    {SOFTENING_RATE, DS_RESULTS_DOUBLE, N_2S},
};

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The arrays behind the struct's pointers. */
struct ds_layout_store {
    ds_results_array_t a[N_PATHS];   /* datasets, by path */
    ds_results_array_t files, sha;   /* root attributes */
};

static int oom(ds_error_t *err)
{
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

static int has_dataset(const ds_layout_read_t *lr, int path)
{
    return ds_results_kind(lr->f, PATH[path]) == DS_RESULTS_DATASET;
}

static size_t count_of(const ds_layout_read_t *lr, count_t n)
{
    switch (n) {
    case N_S: return lr->S;
    case N_2S: return 2 * lr->S;
    case N_C: return lr->C;
    case N_SKK: return lr->S * lr->K * lr->K;
    case N_KK: return lr->K * lr->K;
    default: return 0;
    }
}

/* Read one dataset into its slot; check that it exists and its size. */
static int read_item(ds_layout_read_t *lr, const item_t *it, ds_error_t *err)
{
    const char *path = PATH[it->path];
    ds_results_array_t *a = &lr->store_->a[it->path];
    if (!has_dataset(lr, it->path))
        return ds_error_set(err, DS_EDATA, "%s: no %s; is it a file "
                            "written by 'dyadseq analyze'?", lr->file, path);
    int rc = ds_results_read(lr->f, path, it->as, a, err);
    if (rc)
        return rc;
    size_t want = it->n == N_SELF ? a->shape.n : count_of(lr, it->n);
    if (a->shape.n != want)
        return ds_error_set(err, DS_EDATA, "%s: %s has %zu values, "
                            "expected %zu", lr->file, path, a->shape.n,
                            want);
    switch (it->path) { /* the datasets that define the sizes */
    case SESSIONS_COUPLE: lr->S = want; break;
    case STATES_LABEL: lr->K = want; break;
    case CODEBOOK_CODE: lr->C = want; break;
    default: break;
    }
    return DS_OK;
}

static int read_items(ds_layout_read_t *lr, const item_t *items, size_t n,
                      ds_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc = read_item(lr, &items[i], err);
        if (rc)
            return rc;
    }
    return DS_OK;
}

static const double *dbl(const ds_layout_read_t *lr, int path)
{
    return lr->store_->a[path].d;
}

static const int64_t *i64(const ds_layout_read_t *lr, int path)
{
    return lr->store_->a[path].i;
}

/* A scalar numeric attribute, or dflt when absent or unreadable. */
static double attr_double(ds_results_reader_t *f, const char *obj,
                          const char *name, double dflt)
{
    ds_results_array_t a = {0};
    double v = dflt;
    if (ds_results_attr_exists(f, obj, name) &&
        ds_results_read_attr(f, obj, name, DS_RESULTS_DOUBLE, &a, NULL) ==
            0 &&
        a.shape.n == 1)
        v = a.d[0];
    ds_results_array_clear(&a);
    return v;
}

/* ------------------------------------------------------------------ */
/* States: actor:code pairs, or the codes alone                       */
/* ------------------------------------------------------------------ */

/* The actor of the actor-major block a: the prefix of its first label
 * before ":CODE0". 1 if found, 0 if the label does not end so, -1 OOM. */
static int block_actor(ds_layout_read_t *lr, size_t a)
{
    const char *l0 = lr->state_label[a * lr->C], *c0 = lr->code[0];
    size_t n0 = strlen(l0), nc = strlen(c0);
    if (!(n0 > nc + 1 && l0[n0 - nc - 1] == ':'))
        return 0;
    if (!(lr->actors[a] = malloc(n0 - nc)))
        return -1;
    memcpy(lr->actors[a], l0, n0 - nc - 1);
    lr->actors[a][n0 - nc - 1] = '\0';
    return 1;
}

/* Actors and each state's actor from labels "ACTOR:CODE", actor-major,
 * codes in codebook order (SPEC 4). */
static int actor_states(ds_layout_read_t *lr, ds_error_t *err)
{
    size_t K = lr->K, C = lr->C;
    int ok = C > 0 && K % C == 0;
    size_t A = ok ? K / C : 0;
    if (!(lr->actors = calloc(A ? A : 1, sizeof *lr->actors)))
        return oom(err);
    lr->n_actors = A;
    for (size_t a = 0; ok && a < A; a++) {
        int found = block_actor(lr, a);
        if (found < 0)
            return oom(err);
        if (!(ok = found))
            break;
        size_t al = strlen(lr->actors[a]);
        for (size_t j = 0; ok && j < C; j++) {
            const char *l = lr->state_label[a * C + j];
            ok = strncmp(l, lr->actors[a], al) == 0 && l[al] == ':' &&
                 strcmp(l + al + 1, lr->code[j]) == 0;
            lr->state_actor[a * C + j] = (int)a;
            lr->state_role[a * C + j] = lr->code_role[j];
        }
    }
    if (!ok)
        return ds_error_set(err, DS_EDATA, "%s: /states/label is not the "
                            "actor:code states of /codebook/code in SPEC 4 "
                            "order", lr->file);
    return DS_OK;
}

/* Roles of the codes, and the actor and role of every state. */
static int derive_states(ds_layout_read_t *lr, ds_error_t *err)
{
    size_t K = lr->K, C = lr->C;
    char **role = lr->store_->a[CODEBOOK_ROLE].s;
    lr->code_role = malloc((C ? C : 1) * sizeof *lr->code_role);
    lr->state_actor = malloc((K ? K : 1) * sizeof *lr->state_actor);
    lr->state_role = malloc((K ? K : 1) * sizeof *lr->state_role);
    if (!lr->code_role || !lr->state_actor || !lr->state_role)
        return oom(err);
    for (size_t j = 0; j < C; j++)
        if (ds_role_parse(role[j], &lr->code_role[j]))
            return ds_error_set(err, DS_EDATA, "%s: /codebook/role has the "
                                "unknown role '%s'", lr->file, role[j]);
    int plain = K == C && C > 0;
    for (size_t k = 0; plain && k < K; k++)
        plain = strcmp(lr->state_label[k], lr->code[k]) == 0;
    if (!plain)
        return actor_states(lr, err);
    for (size_t k = 0; k < K; k++) {
        lr->state_actor[k] = -1;
        lr->state_role[k] = lr->code_role[k];
    }
    return DS_OK;
}

/* ------------------------------------------------------------------ */
/* The sections                                                       */
/* ------------------------------------------------------------------ */

static int read_sessions(ds_layout_read_t *lr, ds_error_t *err)
{
    int rc = read_items(lr, SESSION_ITEMS, N_ITEMS(SESSION_ITEMS), err);
    if (rc)
        return rc;
    ds_results_array_t *a = lr->store_->a;
    lr->couple = a[SESSIONS_COUPLE].s;
    lr->session = a[SESSIONS_SESSION].s;
    lr->n_events = a[SESSIONS_N_EVENTS].i;
    lr->duration_s = a[SESSIONS_DURATION_S].d;
    lr->first_onset_s = a[SESSIONS_FIRST_ONSET_S].d;
    for (size_t i = 0; i < lr->S && !lr->has_time; i++)
        lr->has_time = !isnan(lr->first_onset_s[i]);
    lr->state_label = a[STATES_LABEL].s;
    lr->code = a[CODEBOOK_CODE].s;
    return derive_states(lr, err);
}

static int read_lag1(ds_layout_read_t *lr, unsigned need, ds_error_t *err)
{
    if ((need & DS_LAYOUT_NEED_LAG1) &&
        ds_results_kind(lr->f, PATH[LAG]) == DS_RESULTS_ABSENT &&
        ds_results_kind(lr->f, PATH[COMPARISON]) == DS_RESULTS_GROUP)
        return ds_error_set(err, DS_EDATA, "%s was written by 'dyadseq "
                            "compare'; give the transcripts or the results "
                            "file of 'dyadseq analyze'", lr->file);
    if (!has_dataset(lr, LAG1_YULES_Q)) {
        if (!(need & DS_LAYOUT_NEED_LAG1))
            return DS_OK;
        return ds_error_set(err, DS_EDATA, "%s has no lag-1 tables "
                            "(/lag/1/session); analyze with lag 1 among "
                            "--lags", lr->file);
    }
    int rc = read_items(lr, LAG1_ITEMS, N_ITEMS(LAG1_ITEMS), err);
    if (rc)
        return rc;
    lr->counts = i64(lr, LAG1_COUNTS);
    lr->yules_q = dbl(lr, LAG1_YULES_Q);
    lr->adjusted_residual = dbl(lr, LAG1_ADJUSTED_RESIDUAL);
    if (!has_dataset(lr, LAG1_STRUCTURAL_ZERO))
        return DS_OK;
    static const item_t zero = {LAG1_STRUCTURAL_ZERO, DS_RESULTS_INT64,
                                N_KK};
    if ((rc = read_item(lr, &zero, err)))
        return rc;
    size_t KK = lr->K * lr->K;
    if (!(lr->structural_zero = malloc(KK ? KK : 1)))
        return oom(err);
    for (size_t i = 0; i < KK; i++)
        lr->structural_zero[i] = i64(lr, LAG1_STRUCTURAL_ZERO)[i] != 0;
    return DS_OK;
}

static int read_responsiveness(ds_layout_read_t *lr, ds_error_t *err)
{
    lr->response_window_s = attr_double(lr->f, PATH[RESPONSIVENESS],
                                        ATTR_RESPONSE_WINDOW,
                                        DS_RESPONSE_WINDOW_DEFAULT);
    if (!has_dataset(lr, RESPONSIVENESS_N_BIDS))
        return DS_OK;
    int rc = read_items(lr, RESPONSIVENESS_ITEMS,
                        N_ITEMS(RESPONSIVENESS_ITEMS), err);
    if (rc)
        return rc;
    lr->n_bids = i64(lr, RESPONSIVENESS_N_BIDS);
    lr->n_answered = i64(lr, RESPONSIVENESS_N_ANSWERED);
    lr->response_rate = dbl(lr, RESPONSIVENESS_RATE);
    lr->latency_median_s = dbl(lr, RESPONSIVENESS_LATENCY);
    return DS_OK;
}

static int read_cycles(ds_layout_read_t *lr, ds_error_t *err)
{
    lr->cycle_min = (int64_t)attr_double(lr->f, PATH[CYCLES], ATTR_CYCLE_MIN,
                                         DS_CYCLE_MIN_DEFAULT);
    if (!has_dataset(lr, CYCLES_N))
        return DS_OK;
    int rc = read_items(lr, CYCLE_ITEMS, N_ITEMS(CYCLE_ITEMS), err);
    if (rc)
        return rc;
    lr->n_cycles = i64(lr, CYCLES_N);
    lr->share_time_in_cycles = dbl(lr, CYCLES_SHARE);
    lr->n_soften = i64(lr, SOFTENING_N);
    lr->softening_rate_per_min = dbl(lr, SOFTENING_RATE);
    return DS_OK;
}

/* A root string attribute as a malloc'd string; "" when absent. */
static int root_string(ds_layout_read_t *lr, const char *name, char **out,
                       ds_error_t *err)
{
    *out = NULL;
    if (ds_results_attr_exists(lr->f, ROOT, name))
        return ds_results_attr_get_string(lr->f, ROOT, name, out, err);
    return (*out = ds_strdup("")) ? DS_OK : oom(err);
}

/* The provenance of the root attributes (SPEC 5). */
static int read_provenance(ds_layout_read_t *lr, ds_error_t *err)
{
    ds_layout_store_t *st = lr->store_;
    ds_results_array_t seed = {0};
    int rc = DS_OK;
    ds_results_reader_t *f = lr->f;
    if (ds_results_attr_exists(f, ROOT, ATTR_INPUT_FILES))
        rc = ds_results_read_attr(f, ROOT, ATTR_INPUT_FILES,
                                  DS_RESULTS_STRING, &st->files, err);
    if (!rc && ds_results_attr_exists(f, ROOT, ATTR_INPUT_SHA256))
        rc = ds_results_read_attr(f, ROOT, ATTR_INPUT_SHA256,
                                  DS_RESULTS_STRING, &st->sha, err);
    if (!rc && ds_results_attr_exists(f, ROOT, ATTR_SEED))
        rc = ds_results_read_attr(f, ROOT, ATTR_SEED, DS_RESULTS_INT64,
                                  &seed, err);
    if (!rc)
        rc = root_string(lr, ATTR_COMMAND_LINE, &lr->command_line, err);
    if (!rc)
        rc = root_string(lr, ATTR_PARAMETERS, &lr->parameters, err);
    if (rc == DS_OK) {
        lr->seed = seed.shape.n ? seed.i[0] : 1;
        lr->n_inputs = st->files.shape.n < st->sha.shape.n
                           ? st->files.shape.n
                           : st->sha.shape.n;
        lr->input_files = st->files.s;
        lr->input_sha256 = st->sha.s;
    }
    ds_results_array_clear(&seed);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The interface                                                      */
/* ------------------------------------------------------------------ */

int ds_layout_read(const char *path, unsigned need, ds_layout_read_t *lr,
                   ds_error_t *err)
{
    memset(lr, 0, sizeof *lr);
    int rc;
    if ((rc = ds_results_open(path, &lr->f, err)))
        goto fail;
    lr->file = ds_results_file_name(lr->f);
    /* what the file promises is there, before any of it is trusted */
    ds_diag_t diag;
    ds_diag_init(&diag, 1);
    rc = ds_results_check(lr->f, &diag, err);
    ds_diag_clear(&diag);
    if (rc)
        goto fail;
    if (!(lr->store_ = calloc(1, sizeof *lr->store_))) {
        rc = oom(err);
        goto fail;
    }
    if ((rc = ds_sha256_file(path, lr->sha256, err)) ||
        (rc = read_sessions(lr, err)) || (rc = read_lag1(lr, need, err)) ||
        (rc = read_responsiveness(lr, err)) || (rc = read_cycles(lr, err)) ||
        (rc = ds_layout_read_ap(lr, err)) || (rc = read_provenance(lr, err)) ||
        (rc = ds_results_reader_error(lr->f, err)))
        goto fail;
    return DS_OK;
fail:
    ds_layout_read_clear(lr);
    return rc;
}

void ds_layout_read_clear(ds_layout_read_t *lr)
{
    if (lr->store_) {
        for (size_t i = 0; i < N_PATHS; i++)
            ds_results_array_clear(&lr->store_->a[i]);
        ds_results_array_clear(&lr->store_->files);
        ds_results_array_clear(&lr->store_->sha);
        free(lr->store_);
    }
    free(lr->code_role);
    free(lr->state_actor);
    free(lr->state_role);
    if (lr->actors)
        for (size_t i = 0; i < lr->n_actors; i++)
            free(lr->actors[i]);
    free(lr->actors);
    free(lr->structural_zero);
    ds_layout_read_ap_clear(lr);
    free(lr->command_line);
    free(lr->parameters);
    if (lr->f)
        ds_results_close(lr->f);
    memset(lr, 0, sizeof *lr);
}
