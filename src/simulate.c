/*
 * simulate.c — the generative model of `dyadseq simulate` (see simulate.h
 * and docs/simulate.md): the built-in transition matrix, the --model
 * reader, the derivation of random streams and the simulation of one
 * session. No I/O besides reading the model file; no printing.
 */
#include "dyadseq/simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "sha256.h"
#include "strmap.h"
#include "text.h"

/* Roles of the built-in model, in the order of ds_sim_roles_t.state[a][]. */
enum { R_PURSUE, R_WITHDRAW, R_SOFTEN, R_BID, R_RESPONSE, N_R };

/* Events store their state in a uint16_t (as corpus.h does). */
_Static_assert(DS_SIM_MAX_STATES <= UINT16_MAX + 1, "states fit in uint16_t");

/* Steps of the Cesàro mean that approximates the stationary distribution. */
#define START_STEPS 1000

void ds_sim_params_init(ds_sim_params_t *p)
{
    static const double bg[DS_SIM_N_BG] = {0.30, 0.25, 0.05, 0.40};
    memset(p, 0, sizeof *p);
    p->events = 400;
    p->gap_mean = 2.5;
    p->gap_shape = 2;
    p->latency_mean[0] = p->latency_mean[1] = 1.5;
    p->latency_shape = 4;
    p->duration_mean = 2.0;
    p->duration_shape = 2;
    p->withdraw[0] = 0.45, p->withdraw[1] = 0.25;
    p->continuation[0] = 0.55, p->continuation[1] = 0.25;
    p->soften[0] = 0.05, p->soften[1] = 0.25;
    p->reciprocate[0] = 0.10, p->reciprocate[1] = 0.30;
    p->answer_sd = 0.05;
    p->therapy_mean = 1;
    p->therapy_sd = 0;
    p->away_share = 0.6;
    p->partner_turn = 0.6;
    p->pursuer_bias = 0.3;
    memcpy(p->background, bg, sizeof bg);
}

static int is_prob(double x)
{
    return x >= 0 && x <= 1;
}

int ds_sim_params_check(const ds_sim_params_t *p, ds_error_t *err)
{
    if (p->events < 1)
        return ds_error_set(err, DS_EUSAGE, "events per session must be at "
                                            "least 1");
    const struct {
        const char *name;
        double v;
    } pos[] = {{"gap mean", p->gap_mean},
               {"gap shape", p->gap_shape},
               {"latency mean (pre)", p->latency_mean[DS_SIM_PRE]},
               {"latency mean (post)", p->latency_mean[DS_SIM_POST]},
               {"latency shape", p->latency_shape},
               {"duration mean", p->duration_mean},
               {"duration shape", p->duration_shape}};
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
        if (!(pos[i].v > 0) || !isfinite(pos[i].v))
            return ds_error_set(err, DS_EUSAGE, "%s must be a positive "
                                "number, not %g", pos[i].name, pos[i].v);
    /* simulated times must stay below DS_SIM_MAX_TIME_S: the expected
     * length of the longest session, every gap at the largest mean, must
     * leave a factor 10 for chance */
    double most = (double)(5 * p->events / 4), cap = DS_SIM_MAX_TIME_S / 10;
    if (p->duration_mean > cap)
        return ds_error_set(err, DS_EUSAGE, "duration mean %g s is too "
                            "large: simulated times must stay below %g s, "
                            "so it is at most %g s", p->duration_mean,
                            DS_SIM_MAX_TIME_S, cap);
    static const size_t means[] = {0, 2, 3}; /* gap, latency pre, post */
    for (size_t m = 0; m < 3; m++) {
        size_t i = means[m];
        if (most * pos[i].v + p->duration_mean > cap)
            return ds_error_set(err, DS_EUSAGE, "%s %g s is too large for "
                                "sessions of up to %.0f events: simulated "
                                "times must stay below %g s, so the mean "
                                "times the events is at most %g s",
                                pos[i].name, pos[i].v, most,
                                DS_SIM_MAX_TIME_S, cap);
    }
    for (int s = 0; s < 2; s++) {
        const char *when = s == DS_SIM_PRE ? "pre" : "post";
        const struct {
            const char *name;
            double v;
        } pr[] = {{"withdraw", p->withdraw[s]},
                  {"continue", p->continuation[s]},
                  {"soften", p->soften[s]},
                  {"reciprocate", p->reciprocate[s]}};
        for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++)
            if (!is_prob(pr[i].v))
                return ds_error_set(err, DS_EUSAGE, "%s (%s) must be a "
                                    "probability in [0, 1], not %g",
                                    pr[i].name, when, pr[i].v);
        if (p->continuation[s] + p->soften[s] > 1)
            return ds_error_set(err, DS_EUSAGE, "continue + soften (%s) is "
                                "%g; they share one row, so at most 1",
                                when, p->continuation[s] + p->soften[s]);
    }
    double sum = 0;
    for (int r = 0; r < DS_SIM_N_BG; r++) {
        if (!(p->background[r] >= 0))
            return ds_error_set(err, DS_EUSAGE, "background weights must be "
                                "non-negative");
        sum += p->background[r];
    }
    if (!(sum > 0))
        return ds_error_set(err, DS_EUSAGE, "background weights must not "
                            "all be 0");
    if (!(p->answer_sd >= 0) || !isfinite(p->answer_sd))
        return ds_error_set(err, DS_EUSAGE, "the answer-rate SD must be a "
                            "non-negative number, not %g", p->answer_sd);
    if (!(p->answer_gain >= -1 && p->answer_gain <= 1))
        return ds_error_set(err, DS_EUSAGE, "the answer gain must be a "
                            "number in [-1, 1], not %g", p->answer_gain);
    if (!is_prob(p->therapy_mean))
        return ds_error_set(err, DS_EUSAGE, "the mean therapy response must "
                            "be in [0, 1], not %g", p->therapy_mean);
    double m = p->therapy_mean, v = p->therapy_sd * p->therapy_sd;
    if (!(p->therapy_sd >= 0) ||
        (m > 0 && m < 1 && p->therapy_sd > 0 && v >= m * (1 - m)))
        return ds_error_set(err, DS_EUSAGE, "the SD of the therapy response "
                            "must be in [0, sqrt(mean (1 - mean))) = "
                            "[0, %.3g), not %g", sqrt(m * (1 - m)),
                            p->therapy_sd);
    if (!is_prob(p->away_share) || !is_prob(p->partner_turn) ||
        !(p->pursuer_bias >= 0 && p->pursuer_bias < 1))
        return ds_error_set(err, DS_EUSAGE, "away share and partner turn "
                            "must be in [0, 1], pursuer bias in [0, 1)");
    return DS_OK;
}

double ds_sim_progress(size_t s, size_t n)
{
    return n < 2 ? 0 : (double)s / (double)(n - 1);
}

unsigned long ds_sim_stream_seed(unsigned long seed, const char *couple,
                                 const char *session)
{
    ds_sha256_t h;
    char num[32], hex[65];
    int len = snprintf(num, sizeof num, "%lu/", seed);
    ds_sha256_init(&h);
    ds_sha256_update(&h, num, (size_t)len);
    ds_sha256_update(&h, couple, strlen(couple));
    if (session) {
        ds_sha256_update(&h, "/", 1);
        ds_sha256_update(&h, session, strlen(session));
    }
    ds_sha256_final_hex(&h, hex);
    hex[8] = '\0';
    return strtoul(hex, NULL, 16);
}

ds_sim_chain_t *ds_sim_chain_alloc(size_t k)
{
    if (k == 0 || k > DS_SIM_MAX_STATES)
        return NULL;
    ds_sim_chain_t *ch = calloc(1, sizeof *ch);
    if (!ch)
        return NULL;
    ch->k = k;
    ch->p = calloc(k * k, sizeof *ch->p);
    ch->used = calloc(k, sizeof *ch->used);
    ch->start = calloc(k, sizeof *ch->start);
    ch->row = calloc(k, sizeof *ch->row);
    if (!ch->p || !ch->used || !ch->start || !ch->row) {
        ds_sim_chain_free(ch);
        return NULL;
    }
    return ch;
}

/* Drop the samplers (before preparing again, and when freeing). */
static void chain_drop_samplers(ds_sim_chain_t *ch)
{
    for (size_t i = 0; i < ch->k; i++) {
        if (ch->row[i])
            gsl_ran_discrete_free(ch->row[i]);
        ch->row[i] = NULL;
    }
    if (ch->first)
        gsl_ran_discrete_free(ch->first);
    ch->first = NULL;
}

void ds_sim_chain_free(ds_sim_chain_t *ch)
{
    if (!ch)
        return;
    if (ch->row)
        chain_drop_samplers(ch);
    free(ch->p);
    free(ch->used);
    free(ch->start);
    free(ch->row);
    free(ch);
}

int ds_sim_chain_prepare(ds_sim_chain_t *ch, ds_error_t *err)
{
    size_t k = ch->k, n_used = 0;
    double *v = NULL, *next = NULL;
    chain_drop_samplers(ch);
    for (size_t i = 0; i < k; i++)
        n_used += ch->used[i] != 0;
    if (n_used == 0)
        return ds_error_set(err, DS_EDATA, "the model uses no state");

    /* Cesàro mean of v P^t, t = 0 .. START_STEPS - 1, v uniform on used */
    v = calloc(k, sizeof *v);
    next = calloc(k, sizeof *next);
    if (!v || !next)
        goto fail;
    for (size_t i = 0; i < k; i++) {
        v[i] = ch->used[i] ? 1.0 / (double)n_used : 0;
        ch->start[i] = 0;
    }
    for (int t = 0; t < START_STEPS; t++) {
        memset(next, 0, k * sizeof *next);
        for (size_t i = 0; i < k; i++) {
            if (v[i] == 0)
                continue;
            ch->start[i] += v[i];
            const double *row = ch->p + i * k;
            for (size_t j = 0; j < k; j++)
                next[j] += v[i] * row[j];
        }
        double *tmp = v;
        v = next;
        next = tmp;
    }
    for (size_t i = 0; i < k; i++)
        ch->start[i] /= START_STEPS;

    for (size_t i = 0; i < k; i++)
        if (ch->used[i] && !(ch->row[i] = gsl_ran_discrete_preproc(
                                 k, ch->p + i * k)))
            goto fail;
    if (!(ch->first = gsl_ran_discrete_preproc(k, ch->start)))
        goto fail;
    free(v);
    free(next);
    return DS_OK;
fail:
    free(v);
    free(next);
    chain_drop_samplers(ch);
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

int ds_sim_roles_find(const ds_corpus_t *space, ds_sim_roles_t *out,
                      ds_error_t *err)
{
    const ds_codebook_t *cb = space->codebook;
    if (!space->has_actor || space->n_actors != 2)
        return ds_error_set(err, DS_EDATA, "the built-in model needs "
                            "exactly two actors, not %zu (use --model for "
                            "another design)",
                            space->has_actor ? space->n_actors : 0);
    for (int r = 0; r < N_R; r++) {
        long code = -1;
        for (size_t j = 0; j < cb->n && code < 0; j++)
            if ((int)cb->role[j] == r)
                code = (long)j;
        if (code < 0)
            return ds_error_set(err, DS_EDATA, "the codebook has no code "
                                "with role '%s'; the built-in model needs "
                                "one of each of pursue, withdraw, soften, "
                                "bid and response (or give --model)",
                                ds_role_name((ds_role_t)r));
        for (size_t a = 0; a < 2; a++)
            out->state[a][r] = a * cb->n + (size_t)code;
    }
    return DS_OK;
}

static double lerp(const double v[2], double t)
{
    return v[0] + (v[1] - v[0]) * t;
}

/*
 * The background distribution after a state of actor x with role
 * from_role, into bg[actor][role] over pursue, withdraw, soften, bid: who
 * acts (partner_turn) times the actor's role weights (with the pursuer
 * bias), without the current state, normalised to 1.
 */
static void background(const ds_sim_params_t *p, size_t pursuer, size_t x,
                       int from_role, double bg[2][DS_SIM_N_BG])
{
    double total = 0;
    for (size_t a = 0; a < 2; a++) {
        double w[DS_SIM_N_BG], sum = 0;
        for (int r = 0; r < DS_SIM_N_BG; r++)
            w[r] = p->background[r];
        double b = a == pursuer ? p->pursuer_bias : -p->pursuer_bias;
        w[R_PURSUE] *= 1 + b;
        w[R_WITHDRAW] *= 1 - b;
        for (int r = 0; r < DS_SIM_N_BG; r++)
            sum += w[r];
        double who = a == x ? 1 - p->partner_turn : p->partner_turn;
        for (int r = 0; r < DS_SIM_N_BG; r++) {
            bg[a][r] = sum > 0 ? who * w[r] / sum : 0;
            if (a == x && r == from_role)
                bg[a][r] = 0; /* no state follows itself */
            total += bg[a][r];
        }
    }
    for (size_t a = 0; a < 2; a++)
        for (int r = 0; r < DS_SIM_N_BG; r++)
            bg[a][r] = total > 0 ? bg[a][r] / total : 0;
}

void ds_sim_builtin_chain(const ds_sim_params_t *p, const ds_sim_roles_t *r,
                          size_t pursuer, double answer_rate, double t,
                          ds_sim_chain_t *ch)
{
    size_t k = ch->k;
    memset(ch->p, 0, k * k * sizeof *ch->p);
    memset(ch->used, 0, k * sizeof *ch->used);
    double w = lerp(p->withdraw, t), c = lerp(p->continuation, t);
    double s = lerp(p->soften, t), rec = lerp(p->reciprocate, t);
    double q = answer_rate + p->answer_gain * t;
    q = q < 0 ? 0 : q > 1 ? 1 : q;
    for (size_t x = 0; x < 2; x++) {
        size_t y = 1 - x;
        for (int role = 0; role < N_R; role++) {
            double *row = ch->p + r->state[x][role] * k, rest = 1;
            ch->used[r->state[x][role]] = 1;
            switch (role) {
            case R_PURSUE:
                row[r->state[y][R_WITHDRAW]] += w;
                rest = 1 - w;
                break;
            case R_WITHDRAW:
                row[r->state[y][R_PURSUE]] += c;
                row[r->state[y][R_SOFTEN]] += s;
                rest = 1 - c - s;
                break;
            case R_SOFTEN:
                row[r->state[y][R_SOFTEN]] += rec;
                rest = 1 - rec;
                break;
            case R_BID:
                row[r->state[y][R_RESPONSE]] += q;
                row[r->state[y][R_WITHDRAW]] += (1 - q) * p->away_share;
                row[r->state[y][R_PURSUE]] += (1 - q) * (1 - p->away_share);
                rest = 0;
                break;
            default: /* R_RESPONSE */
                break;
            }
            if (rest <= 0)
                continue;
            double bg[2][DS_SIM_N_BG];
            background(p, pursuer, x, role, bg);
            for (size_t a = 0; a < 2; a++)
                for (int b = 0; b < DS_SIM_N_BG; b++)
                    row[r->state[a][b]] += rest * bg[a][b];
        }
    }
}

/* A Beta draw with mean m and SD sd, or m itself when sd is 0, m is 0 or
 * 1, or sd is too large. */
static double beta_mean_sd(gsl_rng *r, double m, double sd)
{
    double var = sd * sd;
    if (!(m > 0 && m < 1 && var > 0 && var < m * (1 - m)))
        return m;
    /* Beta(m κ, (1 − m) κ) has mean m and variance m(1 − m)/(κ + 1) */
    double kappa = m * (1 - m) / var - 1;
    return gsl_ran_beta(r, m * kappa, (1 - m) * kappa);
}

void ds_sim_couple_draw(const ds_sim_params_t *p, double group_rate,
                        gsl_rng *r, ds_sim_couple_t *out)
{
    out->pursuer = (size_t)gsl_rng_uniform_int(r, 2);
    out->answer_rate = beta_mean_sd(r, group_rate, p->answer_sd);
    out->therapy = beta_mean_sd(r, p->therapy_mean, p->therapy_sd);
}

void ds_sim_events_clear(ds_sim_events_t *ev)
{
    free(ev->onset);
    free(ev->duration);
    free(ev->state);
    memset(ev, 0, sizeof *ev);
}

static int events_reserve(ds_sim_events_t *ev, size_t n)
{
    if (n <= ev->cap)
        return 0;
    double *on = realloc(ev->onset, n * sizeof *on);
    if (on)
        ev->onset = on;
    double *du = realloc(ev->duration, n * sizeof *du);
    if (du)
        ev->duration = du;
    uint16_t *st = realloc(ev->state, n * sizeof *st);
    if (st)
        ev->state = st;
    if (!on || !du || !st)
        return -1;
    ev->cap = n;
    return 0;
}

int ds_sim_session(const ds_sim_params_t *p, const ds_corpus_t *space,
                   const ds_sim_chain_t *ch, double t, gsl_rng *r,
                   ds_sim_events_t *ev, ds_error_t *err)
{
    double latency_scale = lerp(p->latency_mean, t) / p->latency_shape;
    size_t lo = (3 * p->events + 3) / 4, hi = 5 * p->events / 4;
    size_t n = lo + (size_t)gsl_rng_uniform_int(r, hi - lo + 1);
    if (events_reserve(ev, n))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    double on = 0; /* onset of the current event */
    size_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = gsl_ran_discrete(r, i ? ch->row[prev] : ch->first);
        int answer = i > 0 && space->state_role[prev] == DS_ROLE_BID &&
                     space->state_role[s] == DS_ROLE_RESPONSE &&
                     space->state_actor[prev] != space->state_actor[s];
        on += answer ? gsl_ran_gamma(r, p->latency_shape, latency_scale)
                     : gsl_ran_gamma(r, p->gap_shape,
                                     p->gap_mean / p->gap_shape);
        ev->state[i] = (uint16_t)s;
        ev->onset[i] = on;
        ev->duration[i] = gsl_ran_gamma(r, p->duration_shape,
                                        p->duration_mean / p->duration_shape);
        prev = s;
    }
    for (size_t i = 0; i + 1 < n; i++)
        if (ev->duration[i] > ev->onset[i + 1] - ev->onset[i])
            ev->duration[i] = ev->onset[i + 1] - ev->onset[i];
    ev->n = n;
    /* onsets only grow; the last duration is the only one not cut */
    double last = n ? ev->onset[n - 1] + ev->duration[n - 1] : 0;
    if (!(last < DS_SIM_MAX_TIME_S))
        return ds_error_set(err, DS_EDATA, "a simulated time reached %g s, "
                            "beyond the %g s that times are written up to; "
                            "lower the timing means or raise their shapes",
                            last, DS_SIM_MAX_TIME_S);
    return DS_OK;
}

/* ---- a second coder (--coder-error) ---- */

int ds_sim_coder_error(const ds_sim_coder_error_t *e,
                       const ds_corpus_t *space, gsl_rng *r,
                       ds_sim_events_t *ev, ds_error_t *err)
{
    if (!(e->substitution >= 0 && e->substitution <= 1 &&
          e->omission >= 0 && e->omission <= 1 && e->jitter_s >= 0 &&
          isfinite(e->jitter_s)))
        return ds_error_set(err, DS_EUSAGE, "coder error: rates lie in "
                            "[0, 1] and the jitter is seconds >= 0");
    size_t C = space->codebook->n, k = 0;
    for (size_t i = 0; i < ev->n; i++) {
        if (gsl_rng_uniform(r) < e->omission)
            continue;
        size_t s = ev->state[i];
        if (gsl_rng_uniform(r) < e->substitution && C > 1) {
            /* another code of the same actor: states are actor-major */
            size_t code = space->state_code[s];
            size_t other = (size_t)gsl_rng_uniform_int(r, C - 1);
            if (other >= code)
                other++;
            s = s - code + other;
        }
        double on = ev->onset[i];
        if (e->jitter_s > 0)
            on += (2 * gsl_rng_uniform(r) - 1) * e->jitter_s;
        ev->state[k] = (uint16_t)s;
        ev->onset[k] = on > 0 ? on : 0;
        ev->duration[k++] = ev->duration[i];
    }
    ev->n = k;
    /* stable insertion sort by onset: jitter moves events only locally */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && ev->onset[j - 1] > ev->onset[j]; j--) {
            double o = ev->onset[j], d = ev->duration[j];
            uint16_t st = ev->state[j];
            ev->onset[j] = ev->onset[j - 1];
            ev->duration[j] = ev->duration[j - 1];
            ev->state[j] = ev->state[j - 1];
            ev->onset[j - 1] = o;
            ev->duration[j - 1] = d;
            ev->state[j - 1] = st;
        }
    for (size_t i = 0; i + 1 < k; i++)
        if (ev->duration[i] > ev->onset[i + 1] - ev->onset[i])
            ev->duration[i] = ev->onset[i + 1] - ev->onset[i];
    return DS_OK;
}

/* ---- the --model reader ---- */

typedef struct model_ctx {
    const char *path;
    const ds_corpus_t *space;
    ds_strmap_t *index;     /* state label -> index */
    ds_sim_chain_t *ch;
    size_t *entry_line;     /* [k * k] line of each from,to pair, 0 = none */
    size_t *first_line;     /* [k] first line with this from-state */
    size_t *reach_line;     /* [k] first line reaching it with p > 0 */
    size_t *n_rows;         /* [k] rows from this state */
    unsigned char *bad;     /* [k] a row from this state had a problem */
    size_t n_lost;          /* rows whose from-state is unknown */
    long col_from, col_to, col_p;
    size_t n_header, n_data;
    ds_diag_t *diag;
    int bad_header;
} model_ctx_t;

static int model_header(model_ctx_t *c, const ds_csv_row_t *row)
{
    c->n_header = row->n;
    for (size_t i = 0; i < row->n; i++) {
        const char *h = row->field[i];
        long *slot = strcmp(h, "from") == 0 ? &c->col_from
                     : strcmp(h, "to") == 0 ? &c->col_to
                     : strcmp(h, "p") == 0  ? &c->col_p
                                            : NULL;
        char ex[80];
        ds_excerpt(ex, h, 60);
        if (!slot) {
            ds_diag_error(c->diag, c->path, row->line, ex,
                          "unknown column (a model has the columns from,to,p "
                          "and no others)");
            c->bad_header = 1;
        } else if (*slot >= 0) {
            ds_diag_error(c->diag, c->path, row->line, ex,
                          "duplicate column");
            c->bad_header = 1;
        } else {
            *slot = (long)i;
        }
    }
    const char *missing = c->col_from < 0 ? "from"
                          : c->col_to < 0 ? "to"
                          : c->col_p < 0  ? "p"
                                          : NULL;
    if (missing) {
        ds_diag_error(c->diag, c->path, row->line, missing,
                      "required column missing (a model has the columns "
                      "from,to,p)");
        c->bad_header = 1;
    }
    return c->bad_header ? 1 : 0;
}

/* Index of the state named in field col of row, or -1 (reported). */
static long model_state(model_ctx_t *c, const ds_csv_row_t *row,
                        const char *col, long field)
{
    const char *s = row->field[field];
    if (!*s) {
        ds_diag_error(c->diag, c->path, row->line, col, "empty state");
        return -1;
    }
    size_t i = ds_strmap_get(c->index, s, strlen(s));
    if (i != (size_t)-1)
        return (long)i;
    char ex[80];
    ds_excerpt(ex, s, 60);
    const char *sug = ds_suggest(s, (const char *const *)c->space->state_label,
                                 c->space->n_states);
    ds_diag_error(c->diag, c->path, row->line, col,
                  "unknown state '%s'%s%s%s (states are ACTOR:CODE with an "
                  "actor of --actors and a code of the codebook)",
                  ex, sug ? "; did you mean '" : "", sug ? sug : "",
                  sug ? "'?" : "");
    return -1;
}

static int model_row(const ds_csv_row_t *row, void *vc)
{
    model_ctx_t *c = vc;
    if (row->index == 0)
        return model_header(c, row);
    c->n_data++;
    c->n_lost++; /* until the from-state is known */
    if (row->n != c->n_header) {
        ds_diag_error(c->diag, c->path, row->line, NULL,
                      "row has %zu fields, header has %zu", row->n,
                      c->n_header);
        return 0;
    }
    for (size_t i = 0; i < row->n; i++)
        if (ds_utf8_invalid_at(row->field[i], row->len[i]) < row->len[i] ||
            strlen(row->field[i]) != row->len[i]) {
            ds_diag_error(c->diag, c->path, row->line, NULL,
                          "field %zu is not valid UTF-8 text", i + 1);
            return 0;
        }
    long from = model_state(c, row, "from", c->col_from);
    long to = model_state(c, row, "to", c->col_to);
    const char *ps = row->field[c->col_p];
    double p = NAN;
    char ex[80];
    ds_excerpt(ex, ps, 60);
    if (!*ps)
        ds_diag_error(c->diag, c->path, row->line, "p", "empty probability");
    else if (ds_parse_double(ps, &p))
        ds_diag_error(c->diag, c->path, row->line, "p",
                      "'%s' is not a number", ex);
    else if (p < 0)
        ds_diag_error(c->diag, c->path, row->line, "p",
                      "negative probability %s", ex);
    else if (p > 1)
        ds_diag_error(c->diag, c->path, row->line, "p",
                      "probability %s is above 1", ex);
    int p_ok = p >= 0 && p <= 1;
    size_t k = c->ch->k;
    if (from >= 0) {
        c->n_lost--;
        if (!c->first_line[from])
            c->first_line[from] = row->line;
        c->n_rows[from]++;
        if (!p_ok || to < 0)
            c->bad[from] = 1;
    }
    if (from < 0 || to < 0)
        return 0;
    size_t cell = (size_t)from * k + (size_t)to;
    if (c->entry_line[cell]) {
        ds_diag_error(c->diag, c->path, row->line, NULL,
                      "duplicate entry %s -> %s (first on line %zu)",
                      c->space->state_label[from], c->space->state_label[to],
                      c->entry_line[cell]);
        c->bad[from] = 1;
        return 0;
    }
    c->entry_line[cell] = row->line;
    if (!p_ok)
        return 0;
    c->ch->p[cell] = p;
    c->ch->used[from] = 1;
    if (p > 0 && !c->reach_line[to])
        c->reach_line[to] = row->line;
    return 0;
}

/*
 * After reading: row sums, and reachable states without a row. Skipped
 * when some row could not be attributed to a from-state (a ragged row, an
 * unknown state), which would make both checks report false problems.
 */
static void model_finish(model_ctx_t *c)
{
    size_t k = c->ch->k;
    if (c->n_data == 0 && !c->bad_header)
        ds_diag_error(c->diag, c->path, 0, NULL,
                      "the model has no transitions");
    if (c->n_lost)
        return;
    for (size_t i = 0; i < k; i++) {
        if (!c->n_rows[i] || c->bad[i])
            continue;
        double sum = 0;
        for (size_t j = 0; j < k; j++)
            sum += c->ch->p[i * k + j];
        if (fabs(sum - 1) > DS_SIM_ROW_SUM_TOL)
            ds_diag_error(c->diag, c->path, c->first_line[i], "p",
                          "the %zu transition%s from '%s' (first on this "
                          "line) sum to %.12g, not 1 (tolerance 1e-9; "
                          "probabilities are not normalized)",
                          c->n_rows[i], c->n_rows[i] == 1 ? "" : "s",
                          c->space->state_label[i], sum);
    }
    for (size_t j = 0; j < k; j++)
        if (c->reach_line[j] && !c->n_rows[j])
            ds_diag_error(c->diag, c->path, c->reach_line[j], "to",
                          "state '%s' can occur but has no transitions of "
                          "its own (add rows with from '%s')",
                          c->space->state_label[j], c->space->state_label[j]);
}

int ds_sim_model_load(const char *path, const ds_corpus_t *space,
                      ds_sim_chain_t **out, ds_diag_t *diag, ds_error_t *err)
{
    *out = NULL;
    size_t k = space->n_states, errors_before = diag->n_errors;
    model_ctx_t c = {.path = path, .space = space, .col_from = -1,
                     .col_to = -1, .col_p = -1, .diag = diag};
    int rc;
    if (k > DS_SIM_MAX_STATES)
        return ds_error_set(err, DS_EUSAGE, "%zu states are too many for "
                            "a transition matrix (at most %d)", k,
                            DS_SIM_MAX_STATES);
    c.index = ds_strmap_alloc();
    c.ch = ds_sim_chain_alloc(k);
    c.entry_line = calloc(k * k, sizeof *c.entry_line);
    c.first_line = calloc(k, sizeof *c.first_line);
    c.reach_line = calloc(k, sizeof *c.reach_line);
    c.n_rows = calloc(k, sizeof *c.n_rows);
    c.bad = calloc(k, sizeof *c.bad);
    rc = !c.index || !c.ch || !c.entry_line || !c.first_line ||
         !c.reach_line || !c.n_rows || !c.bad;
    for (size_t i = 0; i < k && !rc; i++) {
        const char *l = space->state_label[i];
        rc = ds_strmap_put(c.index, l, strlen(l), i);
    }
    if (rc) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto fail;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        rc = ds_error_set(err, DS_EIO, "cannot open model '%s': %m", path);
        goto fail;
    }
    rc = ds_csv_read(fp, path, model_row, &c, diag, NULL, err);
    fclose(fp);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    if (rc == DS_OK)
        model_finish(&c);
    if (rc == DS_OK && diag->n_errors > errors_before)
        rc = DS_EDATA;
    if (rc == DS_OK) {
        *out = c.ch;
        c.ch = NULL;
    }
fail:
    ds_strmap_free(c.index);
    ds_sim_chain_free(c.ch);
    free(c.entry_line);
    free(c.first_line);
    free(c.reach_line);
    free(c.n_rows);
    free(c.bad);
    return rc;
}

/* ---- couples and rounding as the transcript writer has them -------- */

size_t ds_sim_group_size(size_t n, size_t n_groups, size_t g)
{
    return n / n_groups + (g < n % n_groups);
}

int ds_sim_id_width(size_t n, size_t n_groups)
{
    size_t most = ds_sim_group_size(n, n_groups, 0);
    int width = 2;
    for (; most >= 100; most /= 10)
        width++;
    return width;
}

/*
 * x rounded to 3 decimals as printf("%.3f") rounds (the exact binary
 * value, ties to even), then as strtod reads the result back. x * 1000 is
 * p + e exactly (fma gives the rounding error e); nearbyint(p) is right
 * unless p lies exactly halfway and e tips it: then the exact value is
 * on the far side of the half.
 */
static double round_ms(double x)
{
    double p = x * 1000.0, e = fma(x, 1000.0, -p), r = nearbyint(p);
    double d = p - r;
    if (fabs(d) == 0.5 && e != 0 && (d > 0) == (e > 0))
        r += d > 0 ? 1 : -1;
    return r / 1000.0;
}

void ds_sim_events_round_ms(ds_sim_events_t *ev)
{
    for (size_t i = 0; i < ev->n; i++) {
        ev->onset[i] = round_ms(ev->onset[i]);
        ev->duration[i] = round_ms(ev->duration[i]);
    }
}
