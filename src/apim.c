/*
 * apim.c — actor and partner effects over time (see apim.h; SPEC 4.5):
 * models named by states or roles, the 2×2×2 table of consecutive time
 * units, and the saturated effect-coded logit of Bakeman & Gottman (1997)
 * fit to it in closed form.
 *
 * The grid is the time windows' (window.h: ds_window_grid, its observed
 * stretches and its event units), so both count the same units. The
 * table is counted a word at a time: Y and X get a bitset over the units
 * of the session (bit t set when the state is present in unit t), the
 * units t whose pair (t − 1, t) lies inside one observed stretch get a
 * third,
 * and each of the eight cells is the popcount of the AND of three of
 * them (Y and X shifted by one unit for t − 1), so a session costs
 * O(events + units / 64) per model.
 */
#include "dyadseq/apim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitset.h"
#include "dyadseq/window.h"
#include "text.h"

/* ---- models ------------------------------------------------------- */

void ds_ap_space_of(const ds_corpus_t *c, ds_ap_space_t *sp)
{
    sp->K = c->n_states;
    sp->state_label = (const char *const *)c->state_label;
    sp->state_actor = c->state_actor;
    sp->state_role = c->state_role;
    sp->n_actors = c->has_actor ? c->n_actors : 0;
    sp->actors = (const char *const *)c->actors;
}

void ds_ap_model_clear(ds_ap_model_t *m)
{
    if (!m)
        return;
    free(m->name);
    free(m->y);
    free(m->x);
    free(m->side);
    memset(m, 0, sizeof *m);
}

/* Index of the string s[0..len) in names[0..n), or -1. */
static long find_name(const char *const *names, size_t n, const char *s,
                      size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (strlen(names[k]) == len && memcmp(names[k], s, len) == 0)
            return (long)k;
    return -1;
}

/* A role named by s[0..len), or -1. */
static int role_of(const char *s, size_t len, ds_role_t *out)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return ds_role_parse(buf, out);
}

/*
 * The states side names (apim.h): marked with bit in mask when mask is
 * not NULL. Returns how many, 0 when side names none.
 */
static size_t resolve(const ds_ap_space_t *sp, const char *side, size_t len,
                      uint8_t *mask, uint8_t bit)
{
    long k = find_name(sp->state_label, sp->K, side, len);
    if (k >= 0) {
        if (mask)
            mask[k] |= bit;
        return 1;
    }
    long actor = -1;
    ds_role_t role;
    const char *r = side;
    size_t rl = len;
    if (sp->n_actors > 0) {
        /* ACTOR:ROLE; an actor name may itself hold ':' */
        for (const char *p = side; p < side + len; p++)
            if (*p == ':' &&
                (actor = find_name(sp->actors, sp->n_actors, side,
                                   (size_t)(p - side))) >= 0) {
                r = p + 1;
                rl = (size_t)(side + len - r);
                break;
            }
        if (actor < 0)
            return 0;
    }
    if (role_of(r, rl, &role))
        return 0;
    size_t n = 0;
    for (size_t q = 0; q < sp->K; q++)
        if (sp->state_role[q] == role &&
            (actor < 0 || sp->state_actor[q] == actor)) {
            if (mask)
                mask[q] |= bit;
            n++;
        }
    return n;
}

/* s[0..len) without leading and trailing blanks. */
static const char *trim(const char *s, size_t *len)
{
    while (*len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        (*len)--;
    }
    while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

/* "side 'S' names no state (did you mean 'T'?)" into buf. */
static void no_state(const ds_ap_space_t *sp, const char *which,
                     const char *s, size_t len, char *buf, size_t size)
{
    char *w = malloc(len + 1), ex[96];
    if (!w) {
        snprintf(buf, size, "%s names no state", which);
        return;
    }
    memcpy(w, s, len);
    w[len] = '\0';
    ds_excerpt(ex, w, 80);
    const char *near = ds_suggest(w, sp->state_label, sp->K);
    if (near)
        snprintf(buf, size, "%s '%s' names no state (did you mean '%s'?)",
                 which, ex, near);
    else
        snprintf(buf, size, "%s '%s' names no state%s", which, ex,
                 sp->n_actors ? " and no ACTOR:ROLE" : " and no role");
    free(w);
}

/* Fill m from the split of spec at tilde (both sides resolve). */
static int build_model(const ds_ap_space_t *sp, const char *spec,
                       const char *tilde, ds_ap_model_t *m, ds_error_t *err)
{
    size_t yl = (size_t)(tilde - spec), xl = strlen(tilde + 1);
    const char *y = trim(spec, &yl), *x = trim(tilde + 1, &xl);
    m->K = sp->K;
    m->side = calloc(sp->K ? sp->K : 1, 1);
    m->y = malloc(yl + 1);
    m->x = malloc(xl + 1);
    m->name = malloc(yl + xl + 2);
    if (!m->side || !m->y || !m->x || !m->name)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    memcpy(m->y, y, yl);
    m->y[yl] = '\0';
    memcpy(m->x, x, xl);
    m->x[xl] = '\0';
    snprintf(m->name, yl + xl + 2, "%s~%s", m->y, m->x);
    resolve(sp, y, yl, m->side, DS_AP_Y);
    resolve(sp, x, xl, m->side, DS_AP_X);
    int roles = 0;
    for (size_t q = 0; q < sp->K; q++) {
        if (m->side[q] == (DS_AP_Y | DS_AP_X))
            return ds_error_set(err, DS_EUSAGE, "Y and X share the state "
                                "'%s'; an actor-partner model needs two "
                                "behaviours", sp->state_label[q]);
        if (m->side[q] == DS_AP_Y) {
            if (!roles++)
                m->y_role = sp->state_role[q];
            else if (m->y_role != sp->state_role[q])
                m->y_role = DS_ROLE_OTHER;
        }
    }
    return DS_OK;
}

int ds_ap_model_parse(const ds_ap_space_t *sp, const char *spec,
                      ds_ap_model_t *out, ds_error_t *err)
{
    char why[320] = "";
    const char *found = NULL;
    size_t n_found = 0;
    memset(out, 0, sizeof *out);
    /* try every '~': a code could hold one */
    for (const char *p = strchr(spec, '~'); p; p = strchr(p + 1, '~')) {
        size_t yl = (size_t)(p - spec), xl = strlen(p + 1);
        const char *y = trim(spec, &yl), *x = trim(p + 1, &xl);
        size_t ny = resolve(sp, y, yl, NULL, 0);
        size_t nx = resolve(sp, x, xl, NULL, 0);
        if (ny && nx) {
            found = p;
            n_found++;
        } else if (!why[0]) {
            if (!ny)
                no_state(sp, "Y", y, yl, why, sizeof why);
            else
                no_state(sp, "X", x, xl, why, sizeof why);
        }
    }
    if (n_found == 1)
        return build_model(sp, spec, found, out, err);
    if (n_found > 1)
        return ds_error_set(err, DS_EUSAGE, "splits at '~' in more than "
                            "one way");
    if (!why[0])
        snprintf(why, sizeof why, "not two behaviours joined by '~'");
    return ds_error_set(err, DS_EUSAGE, "%s; give Y~X with %s, e.g. %s",
                        why,
                        sp->n_actors ? "state labels or ACTOR:ROLE"
                                     : "codes or roles",
                        sp->n_actors ? "B:withdraw~A:pursue"
                                     : "withdraw~pursue");
}

int ds_ap_default_models(const ds_ap_space_t *sp, ds_ap_model_t **out,
                         size_t *n, ds_error_t *err)
{
    /* (Y role, X role): withdraw on pursue, response on bid, soften on
     * soften */
    static const ds_role_t pairs[3][2] = {
        {DS_ROLE_WITHDRAW, DS_ROLE_PURSUE},
        {DS_ROLE_RESPONSE, DS_ROLE_BID},
        {DS_ROLE_SOFTEN, DS_ROLE_SOFTEN}};
    *out = NULL;
    *n = 0;
    if (sp->n_actors < 2)
        return DS_OK;
    ds_ap_model_t *m = calloc(6, sizeof *m);
    if (!m)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int rc = DS_OK;
    for (int p = 0; p < 3 && rc == DS_OK; p++)
        for (int a = 1; a >= 0 && rc == DS_OK; a--) {
            /* Y: actor a's role pairs[p][0]; X: the other's pairs[p][1] */
            const char *ya = sp->actors[a], *xa = sp->actors[1 - a];
            const char *yr = ds_role_name(pairs[p][0]);
            const char *xr = ds_role_name(pairs[p][1]);
            size_t len = strlen(ya) + strlen(yr) + strlen(xa) + strlen(xr) + 4;
            char *spec = malloc(len);
            if (!spec) {
                rc = ds_error_set(err, DS_ENOMEM, "out of memory");
                break;
            }
            snprintf(spec, len, "%s:%s~%s:%s", ya, yr, xa, xr);
            ds_error_t e;
            int r = ds_ap_model_parse(sp, spec, &m[*n], &e);
            free(spec);
            if (r == DS_OK)
                (*n)++;
            else if (r == DS_ENOMEM)
                rc = ds_error_set(err, r, "%s", e.msg);
            else /* an actor lacks the role: leave the pair out */
                ds_ap_model_clear(&m[*n]);
        }
    if (rc) {
        for (size_t i = 0; i <= *n && i < 6; i++)
            ds_ap_model_clear(&m[i]);
        free(m);
        *n = 0;
        return rc;
    }
    *out = m;
    return DS_OK;
}

/* ---- the table ---------------------------------------------------- */

void ds_ap_opts_init(ds_ap_opts_t *o)
{
    o->unit_s = 1.0;
    o->target_ongoing = 0;
    o->delta = DS_AP_DELTA_DEFAULT;
}

struct ds_ap_workspace {
    ds_word_t *bits;  /* Y, X and the counted units, n_words each */
    size_t cap_words;
    int64_t *units;   /* a session's events' units (ds_window_grid) */
    size_t cap_units; /* events that units has room for */
};

ds_ap_workspace_t *ds_ap_workspace_alloc(void)
{
    return calloc(1, sizeof(ds_ap_workspace_t));
}

void ds_ap_workspace_free(ds_ap_workspace_t *w)
{
    if (!w)
        return;
    free(w->bits);
    free(w->units);
    free(w);
}

/*
 * Mark the units in which Y and X are present, each event within the
 * units of its observed stretch (window.h), and the units t whose pair
 * (t − 1, t) is counted: every unit of a stretch but its first, so that no
 * pair spans time that was not coded.
 */
static void mark_units(const ds_session_t *s, const ds_ap_model_t *m,
                       const ds_ap_opts_t *o, double t0,
                       const int64_t *units, size_t n_units, ds_word_t *y,
                       ds_word_t *x, ds_word_t *counted)
{
    size_t n_stretch = s->n_periods > 1 ? s->n_periods : 1, k_prev = SIZE_MAX;
    int64_t a = 0, b = (int64_t)n_units;
    for (size_t k = 0; k < n_stretch; k++) {
        ds_window_stretch_units(s, k, t0, o->unit_s, n_units, &a, &b);
        if (b - a > 1)
            ds_bitset_set_range(counted, (size_t)a + 1, (size_t)b - 1);
    }
    for (size_t e = 0; e < s->n; e++) {
        uint8_t side = m->side[s->state[e]];
        if (side == DS_AP_NONE)
            continue;
        size_t k = ds_session_stretch(s, s->onset[e]);
        if (k == SIZE_MAX)
            continue; /* not in the period: the reader refuses these */
        if (k != k_prev)
            ds_window_stretch_units(s, k, t0, o->unit_s, n_units, &a, &b);
        k_prev = k;
        int64_t f = units[2 * e], l = units[2 * e + 1];
        if (!o->target_ongoing)
            l = f;
        if (l > b - 1)
            l = b - 1;
        if (f <= l)
            ds_bitset_set_range(side == DS_AP_Y ? y : x, (size_t)f, (size_t)l);
    }
}

/* The eight cells from the bitsets, a word at a time. */
DS_CLONES("popcnt")
static void count_cells(const ds_word_t *y, const ds_word_t *x,
                        const ds_word_t *counted, size_t n_words,
                        int64_t *counts)
{
    memset(counts, 0, DS_AP_N_CELLS * sizeof *counts);
    for (size_t i = 0; i < n_words; i++) {
        ds_word_t v = counted[i];
        if (!v)
            continue;
        /* bit t of py, px: Y and X at t − 1 */
        ds_word_t py = y[i] << 1 | (i ? y[i - 1] >> (DS_WORD_BITS - 1) : 0);
        ds_word_t px = x[i] << 1 | (i ? x[i - 1] >> (DS_WORD_BITS - 1) : 0);
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                ds_word_t w = v & (a ? px : ~px) & (b ? py : ~py);
                counts[DS_AP_CELL(a, b, 1)] += __builtin_popcountll(w & y[i]);
                counts[DS_AP_CELL(a, b, 0)] +=
                    __builtin_popcountll(w & ~y[i]);
            }
    }
}

int ds_ap_tally(const ds_corpus_t *c, const ds_session_t *s,
                const ds_ap_model_t *m, const ds_ap_opts_t *o,
                ds_ap_workspace_t *w, int64_t *counts, size_t *n_units,
                ds_error_t *err)
{
    ds_ap_workspace_t *own = NULL;
    memset(counts, 0, DS_AP_N_CELLS * sizeof *counts);
    if (n_units)
        *n_units = 0;
    if (!c->has_time || !s->onset)
        return ds_error_set(err, DS_ENOTAVAIL, "actor-partner effects need "
                            "a time column");
    if (o->target_ongoing && (!c->has_duration || !s->duration))
        return ds_error_set(err, DS_ENOTAVAIL, "--target ongoing needs a "
                            "duration column");
    if (!(o->unit_s > 0) || !isfinite(o->unit_s))
        return ds_error_set(err, DS_EUSAGE, "time unit must be a positive "
                            "number of seconds (got %g)", o->unit_s);
    if (m->K != c->n_states)
        return ds_error_set(err, DS_EUSAGE, "model '%s' is for %zu states, "
                            "the corpus has %zu", m->name, m->K,
                            c->n_states);
    if (s->n == 0 && !s->n_periods)
        return DS_OK;
    double t0 = 0;
    size_t nu = 0;
    if (!w && !(w = own = ds_ap_workspace_alloc()))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (ds_units_reserve(&w->units, &w->cap_units, s->n)) {
        ds_ap_workspace_free(own);
        return ds_error_set(err, DS_ENOMEM, "out of memory counting "
                            "time units");
    }
    int rc = ds_window_grid(s, o->unit_s, &t0, &nu, w->units, err);
    if (rc) {
        ds_ap_workspace_free(own);
        return rc;
    }
    size_t n_words = ds_bitset_words(nu), words = 3 * n_words;
    if (ds_bitset_reserve(&w->bits, &w->cap_words, words)) {
        ds_ap_workspace_free(own);
        return ds_error_set(err, DS_ENOMEM, "out of memory counting "
                            "time units");
    }
    ds_word_t *y = w->bits, *x = y + n_words, *counted = x + n_words;
    memset(w->bits, 0, words * sizeof *w->bits);
    mark_units(s, m, o, t0, w->units, nu, y, x, counted);
    count_cells(y, x, counted, n_words, counts);
    if (n_units)
        *n_units = nu;
    ds_ap_workspace_free(own);
    return DS_OK;
}

/* ---- the fit ------------------------------------------------------ */

/* ln(a / b), NaN unless both are > 0 (a cell empty with δ = 0). */
static double logit_of(double a, double b)
{
    return a > 0 && b > 0 ? log(a / b) : NAN;
}

void ds_ap_fit(const int64_t *counts, double delta, ds_ap_fit_t *out)
{
    double m[DS_AP_N_CELLS], L[2][2], total = 0, inv = 0;
    for (int k = 0; k < DS_AP_N_CELLS; k++) {
        total += (double)counts[k];
        m[k] = (double)counts[k] + delta;
        inv += 1 / m[k];
    }
    int ok = total > 0;
    for (int x = 0; x < 2; x++)
        for (int y = 0; y < 2; y++) {
            L[x][y] = logit_of(m[DS_AP_CELL(x, y, 1)], m[DS_AP_CELL(x, y, 0)]);
            ok &= isfinite(L[x][y]);
        }
    if (ok) {
        /* Bakeman & Gottman (1997): effect-coded saturated logit */
        out->intercept = (L[1][1] + L[1][0] + L[0][1] + L[0][0]) / 4;
        out->partner = (L[1][1] + L[1][0] - L[0][1] - L[0][0]) / 4;
        out->actor = (L[1][1] - L[1][0] + L[0][1] - L[0][0]) / 4;
        out->interaction = (L[1][1] - L[1][0] - L[0][1] + L[0][0]) / 4;
        out->se = sqrt(inv) / 4;
    } else {
        out->intercept = out->partner = out->actor = out->interaction = NAN;
        out->se = NAN;
    }
    /* without the actor term: the table collapsed over Y at t − 1 */
    double l1 = logit_of(m[DS_AP_CELL(1, 0, 1)] + m[DS_AP_CELL(1, 1, 1)],
                         m[DS_AP_CELL(1, 0, 0)] + m[DS_AP_CELL(1, 1, 0)]);
    double l0 = logit_of(m[DS_AP_CELL(0, 0, 1)] + m[DS_AP_CELL(0, 1, 1)],
                         m[DS_AP_CELL(0, 0, 0)] + m[DS_AP_CELL(0, 1, 0)]);
    out->partner_only = total > 0 && isfinite(l1) && isfinite(l0)
                            ? (l1 - l0) / 2
                            : NAN;
}

void ds_ap_fit_values(const ds_ap_fit_t *f, double *v)
{
    size_t k = 0;
#define X_(name, type, description) v[k++] = f->name;
    DS_AP_COEFS(X_)
#undef X_
}
