/*
 * cycles.c — pursue–withdraw cycles and softening (SPEC 4.7; the exact
 * rules and examples are in cycles.h).
 *
 * One forward pass finds the maximal runs: each event either names a
 * pursuer (X:pursue names X, X:withdraw names X's partner) or breaks the
 * run, and a run goes on while the pursuer stays the same and pursue and
 * withdraw alternate.
 */
#include "dyadseq/cycles.h"

#include <math.h>
#include <string.h>

#include "dyadseq/responsive.h"

void ds_cycles_opts_init(ds_cycles_opts_t *o)
{
    o->min_len = DS_CYCLE_MIN_DEFAULT;
    o->window_s = DS_RESPONSE_WINDOW_DEFAULT;
}

static int check_actors(const ds_corpus_t *c, const char *what,
                        ds_error_t *err)
{
    if (!c->has_actor)
        return ds_error_set(err, DS_ENOTAVAIL, "%s need an actor column",
                            what);
    if (c->n_actors < 2)
        return ds_error_set(err, DS_ENOTAVAIL,
                            "%s need two actors (--actors names %zu)", what,
                            c->n_actors);
    return DS_OK;
}

/*
 * The pursuer event e names (0 or 1), or -1 when e cannot be part of a
 * run; *kind is its role (pursue or withdraw).
 */
static int names_pursuer(const ds_corpus_t *c, const ds_session_t *s,
                         size_t e, ds_role_t *kind)
{
    size_t st = s->state[e];
    int actor = c->state_actor[st];
    *kind = c->state_role[st];
    if (actor != 0 && actor != 1)
        return -1;
    if (*kind == DS_ROLE_PURSUE)
        return actor;
    if (*kind == DS_ROLE_WITHDRAW)
        return 1 - actor;
    return -1;
}

int ds_cycles_compute(const ds_corpus_t *c, const ds_session_t *s,
                      const ds_cycles_opts_t *o, ds_cycles_t *out,
                      ds_cycle_run_t *runs, size_t runs_cap, size_t *n_runs,
                      ds_error_t *err)
{
    int rc = check_actors(c, "pursue-withdraw cycles", err);
    if (rc != DS_OK)
        return rc;
    if (o->min_len < 2)
        return ds_error_set(err, DS_EUSAGE,
                            "a cycle needs at least 2 events (--cycle-min "
                            "is %zu)", o->min_len);

    const int timed = c->has_time && s->onset;
    memset(out, 0, sizeof *out);
    out->time_in_cycles_s = timed ? 0 : NAN;
    out->share_time_in_cycles = NAN;
    size_t found = 0;

    for (size_t i = 0; i < s->n;) {
        ds_role_t kind, next_kind;
        int p = names_pursuer(c, s, i, &kind);
        if (p < 0) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < s->n && names_pursuer(c, s, j + 1, &next_kind) == p &&
               next_kind != kind) {
            kind = next_kind;
            j++;
        }
        size_t len = j - i + 1;
        if (len >= o->min_len) {
            ds_cycle_end_t end = DS_CYCLE_END_SESSION;
            if (j + 1 < s->n) {
                ds_role_t r = c->state_role[s->state[j + 1]];
                end = r == DS_ROLE_SOFTEN ? DS_CYCLE_END_SOFTEN
                      : r == DS_ROLE_BID  ? DS_CYCLE_END_BID
                                          : DS_CYCLE_END_OTHER;
            }
            double t = NAN, start = NAN, stop = NAN;
            if (timed) {
                start = s->onset[i];
                stop = j + 1 < s->n ? s->onset[j + 1] : ds_session_close(s);
                t = stop - start;
            }
            out->n_cycles++;
            out->events_in_cycles += len;
            if (len > out->longest_cycle)
                out->longest_cycle = len;
            if (timed)
                out->time_in_cycles_s += t;
            if (p == 0)
                out->n_pursuer_a++;
            else
                out->n_pursuer_b++;
            out->ended_by_soften += end == DS_CYCLE_END_SOFTEN;
            out->ended_by_bid += end == DS_CYCLE_END_BID;
            out->ended_other += end == DS_CYCLE_END_OTHER;
            out->ended_by_session_end += end == DS_CYCLE_END_SESSION;
            if (runs && found < runs_cap)
                runs[found] = (ds_cycle_run_t){.first = i,
                                               .len = len,
                                               .pursuer = (size_t)p,
                                               .end = end,
                                               .start_s = start,
                                               .end_s = stop,
                                               .time_s = t};
            found++;
        }
        i = j + 1;
    }
    if (timed) {
        double d = ds_session_duration(s);
        if (d > 0)
            out->share_time_in_cycles = out->time_in_cycles_s / d;
    }
    if (n_runs)
        *n_runs = found;
    return DS_OK;
}
