/*
 * compare.c — per-couple metrics of a pre/post comparison, why a couple is
 * left out of one, and their paired statistics (see compare.h; the
 * statistics themselves are paired.c, docs/statistics-compare.md).
 */
#include "dyadseq/compare.h"
#include "dyadseq/padjust.h"

#include "compare_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---- the session table from an analysis ---------------------------- */

int ds_compare_sessions_from_analysis(const ds_corpus_t *c,
                                      const ds_analysis_t *a,
                                      double response_window_s,
                                      ds_compare_sessions_t *v,
                                      ds_error_t *err)
{
    size_t S = a->S;
    const ds_lag_result_t *lag1 = NULL;
    memset(v, 0, sizeof *v);
    for (size_t l = 0; l < a->n_lags; l++)
        if (a->lag[l].lag == 1)
            lag1 = &a->lag[l];
    if (!lag1)
        return ds_error_set(err, DS_EUSAGE, "compare needs the lag-1 "
                            "tables, and the analysis has none");
    /* couple and label pointers, then the copied columns */
    const char **couple = malloc((S ? S : 1) * sizeof *couple);
    const char **label = malloc((S ? S : 1) * sizeof *label);
    v->owned_[0] = couple;
    v->owned_[1] = label;
    if (!couple || !label)
        goto oom;
    for (size_t s = 0; s < S; s++) {
        couple[s] = c->sessions[s].couple;
        label[s] = c->sessions[s].label;
    }
    v->S = S;
    v->K = a->K;
    v->couple = couple;
    v->label = label;
    v->state_label = (const char *const *)c->state_label;
    v->state_actor = c->state_actor;
    v->state_role = c->state_role;
    v->n_actors = c->has_actor ? c->n_actors : 0;
    v->actors = (const char *const *)c->actors;
    v->has_time = c->has_time;
    v->n_events = a->n_events;
    v->duration_s = a->duration_s;
    v->counts = lag1->counts;
    v->yules_q = lag1->yules_q;
    v->adjusted_residual = lag1->adjusted_residual;
    v->response_window_s = response_window_s;
    v->responsive_skipped = a->responsive_skipped;
    v->cycles_skipped = a->cycles_skipped;

    size_t n2 = S ? 2 * S : 1;
    if (a->responsive) {
        int64_t *nb = malloc(n2 * sizeof *nb), *na = malloc(n2 * sizeof *na);
        double *rr = malloc(n2 * sizeof *rr), *lm = malloc(n2 * sizeof *lm);
        v->owned_[2] = nb;
        v->owned_[3] = na;
        v->owned_[4] = rr;
        v->owned_[5] = lm;
        if (!nb || !na || !rr || !lm)
            goto oom;
        for (size_t k = 0; k < 2 * S; k++) {
            nb[k] = (int64_t)a->responsive[k].n_bids;
            na[k] = (int64_t)a->responsive[k].n_answered;
            rr[k] = a->responsive[k].response_rate;
            lm[k] = a->responsive[k].latency_median_s;
        }
        v->n_bids = nb;
        v->n_answered = na;
        v->response_rate = rr;
        v->latency_median_s = lm;
    }
    if (a->cycles) {
        /* one block: n_cycles [S], n_soften [2S], share [S], rate [2S] */
        size_t n1 = S ? S : 1;
        int64_t *ni = malloc((n1 + n2) * sizeof *ni);
        double *nd = malloc((n1 + n2) * sizeof *nd);
        v->owned_[6] = ni;
        v->owned_[7] = nd;
        if (!ni || !nd)
            goto oom;
        for (size_t s = 0; s < S; s++) {
            ni[s] = (int64_t)a->cycles[s].n_cycles;
            nd[s] = a->cycles[s].share_time_in_cycles;
        }
        for (size_t k = 0; k < 2 * S; k++) {
            ni[n1 + k] = (int64_t)a->softening[k].n_soften;
            nd[n1 + k] = a->softening[k].rate_per_min;
        }
        v->n_cycles = ni;
        v->share_time_in_cycles = nd;
        v->n_soften = ni + n1;
        v->softening_rate_per_min = nd + n1;
    }
    if (ds_compare_ap_from_analysis(a, v))
        goto oom;
    return DS_OK;
oom:
    ds_compare_sessions_clear(v);
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

void ds_compare_sessions_clear(ds_compare_sessions_t *v)
{
    for (size_t i = 0; i < sizeof v->owned_ / sizeof v->owned_[0]; i++)
        free(v->owned_[i]);
    memset(v, 0, sizeof *v);
}

/* ---- transitions --------------------------------------------------- */

static long find_state(const ds_compare_sessions_t *v, const char *s,
                       size_t len)
{
    for (size_t k = 0; k < v->K; k++)
        if (strlen(v->state_label[k]) == len &&
            memcmp(v->state_label[k], s, len) == 0)
            return (long)k;
    return -1;
}

/* "unknown state 'X' (did you mean 'Y'?)" into buf */
static void unknown_state(const ds_compare_sessions_t *v, const char *s,
                          size_t len, char *buf, size_t size)
{
    char *w = malloc(len + 1), ex[96];
    if (!w) {
        snprintf(buf, size, "unknown state");
        return;
    }
    memcpy(w, s, len);
    w[len] = '\0';
    ds_excerpt(ex, w, 80);
    const char *near = ds_suggest(w, v->state_label, v->K);
    if (near)
        snprintf(buf, size, "unknown state '%s' (did you mean '%s'?)", ex,
                 near);
    else
        snprintf(buf, size, "unknown state '%s'", ex);
    free(w);
}

int ds_compare_parse_transition(const ds_compare_sessions_t *v,
                                const char *spec, ds_transition_t *out,
                                ds_error_t *err)
{
    char ex[96], why[256] = "";
    size_t n = strlen(spec), found = 0;
    long from = -1, to = -1;
    const char *bad_right = NULL, *bad_left = NULL; /* a split's bad side */
    size_t bad_left_len = 0;
    ds_excerpt(ex, spec, 80);
    const char *arrow = strstr(spec, "->");
    /* FROM->TO when there is an arrow, else FROM:TO; try every split */
    const char *sep = arrow ? "->" : ":";
    size_t sl = strlen(sep);
    for (const char *p = strstr(spec, sep); p; p = strstr(p + 1, sep)) {
        size_t ll = (size_t)(p - spec);
        long f = find_state(v, spec, ll);
        long t = find_state(v, p + sl, n - ll - sl);
        if (f >= 0 && t >= 0) {
            found++;
            from = f;
            to = t;
        } else if (f >= 0 && !bad_right) {
            bad_right = p + sl;
        } else if (t >= 0 && !bad_left) {
            bad_left = spec;
            bad_left_len = ll;
        }
    }
    if (found == 0) {
        if (bad_right)
            unknown_state(v, bad_right, strlen(bad_right), why, sizeof why);
        else if (bad_left)
            unknown_state(v, bad_left, bad_left_len, why, sizeof why);
        else if (arrow)
            unknown_state(v, spec, (size_t)(arrow - spec), why, sizeof why);
        else
            snprintf(why, sizeof why, "not two states joined by -> or :");
        return ds_error_set(err, DS_EUSAGE, "--transition '%s': %s; give "
                            "FROM->TO with two of the states %s … %s",
                            ex, why, v->K ? v->state_label[0] : "",
                            v->K ? v->state_label[v->K - 1] : "");
    }
    if (found > 1)
        return ds_error_set(err, DS_EUSAGE, "--transition '%s' splits into "
                            "two states in more than one way; write it as "
                            "FROM->TO", ex);
    if (v->structural_zero && v->structural_zero[from * (long)v->K + to])
        return ds_error_set(err, DS_EUSAGE, "--transition '%s' is a "
                            "structural zero of the analysis: its "
                            "statistics are NaN in every session", ex);
    out->from = (size_t)from;
    out->to = (size_t)to;
    return DS_OK;
}

size_t ds_compare_default_transitions(const ds_compare_sessions_t *v,
                                      ds_transition_t *out, size_t cap)
{
    static const ds_role_t pairs[3][2] = {
        {DS_ROLE_PURSUE, DS_ROLE_WITHDRAW},
        {DS_ROLE_BID, DS_ROLE_RESPONSE},
        {DS_ROLE_SOFTEN, DS_ROLE_SOFTEN}};
    size_t n = 0, K = v->K;
    int dyadic = v->n_actors >= 2;
    for (int p = 0; p < 3; p++)
        for (int x = 0; x < (dyadic ? 2 : 1); x++)
            for (size_t i = 0; i < K; i++) {
                if (v->state_role[i] != pairs[p][0] ||
                    (dyadic && v->state_actor[i] != x))
                    continue;
                for (size_t j = 0; j < K; j++) {
                    if (v->state_role[j] != pairs[p][1] ||
                        (dyadic && v->state_actor[j] != 1 - x))
                        continue;
                    if (v->structural_zero && v->structural_zero[i * K + j])
                        continue;
                    if (n < cap) {
                        out[n].from = i;
                        out[n].to = j;
                    }
                    n++;
                }
            }
    return n;
}

/* ---- metrics ------------------------------------------------------- */

typedef enum {
    M_Q, M_Z, M_RATE, M_LATENCY, M_CYCLES, M_SHARE, M_SOFTEN, M_EVENTS, M_AP
} kind_t;

typedef struct spec {
    kind_t kind;
    ds_transition_t tr; /* M_Q, M_Z */
    size_t actor;       /* M_RATE, M_LATENCY (the bidder), M_SOFTEN */
    size_t model, coef; /* M_AP */
} spec_t;

/* The value of a metric in session s (NaN when undefined). */
static double value(const ds_compare_sessions_t *v, const spec_t *m,
                    size_t s)
{
    size_t K = v->K, cell = (s * K + m->tr.from) * K + m->tr.to;
    double d = v->duration_s[s];
    switch (m->kind) {
    case M_Q: return v->yules_q[cell];
    case M_Z: return v->adjusted_residual[cell];
    case M_RATE: return v->response_rate[2 * s + m->actor];
    case M_LATENCY: return v->latency_median_s[2 * s + m->actor];
    /* per 10 minutes and per minute of the SPEC 5 session duration */
    case M_CYCLES: return d > 0 ? 600.0 * (double)v->n_cycles[s] / d : NAN;
    case M_SHARE: return v->share_time_in_cycles[s];
    case M_SOFTEN: return v->softening_rate_per_min[2 * s + m->actor];
    case M_EVENTS: return d > 0 ? 60.0 * (double)v->n_events[s] / d : NAN;
    case M_AP: return v->ap_coef[m->model][s * DS_AP_N_COEFS + m->coef];
    }
    return NAN;
}

/* Why a metric is NaN in session s, read from the counts behind it. */
static void why_undefined(const ds_compare_sessions_t *v, const spec_t *m,
                          size_t s, char *buf, size_t size)
{
    size_t K = v->K;
    const char *partner = NULL, *actor = NULL;
    if (v->n_actors >= 2) {
        actor = v->actors[m->actor];
        partner = v->actors[1 - m->actor];
    }
    switch (m->kind) {
    case M_Q:
    case M_Z: {
        const int64_t *f = v->counts + s * K * K;
        int64_t N = 0, R = 0, C = 0;
        for (size_t i = 0; i < K; i++)
            for (size_t j = 0; j < K; j++) {
                N += f[i * K + j];
                if (i == m->tr.from)
                    R += f[i * K + j];
                if (j == m->tr.to)
                    C += f[i * K + j];
            }
        const char *a = v->state_label[m->tr.from];
        const char *b = v->state_label[m->tr.to];
        if (N == 0)
            snprintf(buf, size, "no lag-1 transitions (fewer than two "
                     "events)");
        else if (R == 0)
            snprintf(buf, size, "no transition from %s", a);
        else if (C == 0)
            snprintf(buf, size, "no transition to %s", b);
        else if (R == N)
            snprintf(buf, size, "every transition is from %s", a);
        else if (C == N)
            snprintf(buf, size, "every transition is to %s", b);
        else
            snprintf(buf, size, "undefined");
        return;
    }
    case M_RATE:
    case M_LATENCY:
        if (v->n_bids[2 * s + m->actor] == 0)
            snprintf(buf, size, "no bids by %s", actor);
        else if (m->kind == M_LATENCY &&
                 v->n_answered[2 * s + m->actor] == 0)
            snprintf(buf, size, "no bid by %s answered by %s within %g s",
                     actor, partner, v->response_window_s);
        else
            snprintf(buf, size, "undefined");
        return;
    case M_CYCLES:
    case M_SHARE:
    case M_SOFTEN:
    case M_EVENTS:
        if (v->duration_s[s] == 0)
            snprintf(buf, size, "session duration is 0 s");
        else if (isnan(v->duration_s[s]))
            snprintf(buf, size, "no session duration");
        else
            snprintf(buf, size, "undefined");
        return;
    case M_AP:
        ds_compare_ap_why(v, m->model, s, buf, size);
        return;
    }
    snprintf(buf, size, "undefined");
}

/* Which way a lag-1 metric improves: by the role of the later event, a
 * pursue or withdraw following less, a soften, bid or response more. */
static int transition_better(const ds_compare_sessions_t *v, size_t to)
{
    switch (v->state_role[to]) {
    case DS_ROLE_PURSUE:
    case DS_ROLE_WITHDRAW: return DS_RCI_LOWER_BETTER;
    case DS_ROLE_SOFTEN:
    case DS_ROLE_BID:
    case DS_ROLE_RESPONSE: return DS_RCI_HIGHER_BETTER;
    default: return 0;
    }
}

static char *metric_name(const ds_compare_sessions_t *v, const spec_t *m)
{
    const char *x = v->n_actors >= 2 ? v->actors[m->actor] : "";
    const char *y = v->n_actors >= 2 ? v->actors[1 - m->actor] : "";
    switch (m->kind) {
    case M_Q:
        return ds_aprintf("yules_q[%s->%s]", v->state_label[m->tr.from],
                          v->state_label[m->tr.to]);
    case M_Z:
        return ds_aprintf("adjusted_residual[%s->%s]",
                          v->state_label[m->tr.from],
                          v->state_label[m->tr.to]);
    case M_RATE: return ds_aprintf("response_rate[%s->%s]", x, y);
    case M_LATENCY: return ds_aprintf("latency_median_s[%s->%s]", x, y);
    case M_CYCLES: return ds_strdup("cycles_per_10min");
    case M_SHARE: return ds_strdup("share_time_in_cycles");
    case M_SOFTEN: return ds_aprintf("softening_rate_per_min[%s]", x);
    case M_EVENTS: return ds_strdup("events_per_min");
    case M_AP:
        return ds_aprintf("ap_%s[%s]", ds_compare_ap_coef_name(m->coef),
                          v->ap_model[m->model]);
    }
    return NULL;
}

static int metric_better(const ds_compare_sessions_t *v, const spec_t *m)
{
    switch (m->kind) {
    case M_Q:
    case M_Z: return transition_better(v, m->tr.to);
    case M_RATE:
    case M_SOFTEN: return DS_RCI_HIGHER_BETTER;
    case M_LATENCY:
    case M_CYCLES:
    case M_SHARE: return DS_RCI_LOWER_BETTER;
    case M_EVENTS: return 0;
    case M_AP: return ds_compare_ap_better(v, m->model, m->coef);
    }
    return 0;
}

/* The metrics v supports, in the order of compare.h; notes say which
 * families are left out and why. Returns the count, or -1 on OOM. */
static long metric_specs(const ds_compare_sessions_t *v,
                         const ds_transition_t *tr, size_t n_tr,
                         spec_t **out, ds_compare_t *c)
{
    spec_t *m = malloc((2 * n_tr + 9 + v->n_ap * DS_AP_N_COEFS) * sizeof *m);
    if (!m)
        return -1;
    size_t n = 0;
    for (int z = 0; z < 2; z++)
        for (size_t i = 0; i < n_tr; i++)
            m[n++] = (spec_t){.kind = z ? M_Z : M_Q, .tr = tr[i]};
#define NOTE(...)                                                           \
    do {                                                                     \
        if (c->n_notes < DS_COMPARE_MAX_NOTES &&                             \
            !(c->notes[c->n_notes++] = ds_aprintf(__VA_ARGS__))) {           \
            free(m);                                                         \
            return -1;                                                       \
        }                                                                    \
    } while (0)
    int rates = v->response_rate && v->n_actors >= 2;
    int cycles = v->n_cycles && v->has_time;
    if (rates)
        for (int k = M_RATE; k <= M_LATENCY; k++)
            for (size_t x = 0; x < 2; x++)
                m[n++] = (spec_t){.kind = (kind_t)k, .actor = x};
    if (cycles) {
        m[n++] = (spec_t){.kind = M_CYCLES};
        m[n++] = (spec_t){.kind = M_SHARE};
        for (size_t x = 0; x < 2; x++)
            m[n++] = (spec_t){.kind = M_SOFTEN, .actor = x};
    }
    const char *why_rates = v->responsive_skipped
                                ? v->responsive_skipped
                                : "responsiveness was not computed";
    const char *why_cycles = !v->n_cycles
                                 ? (v->cycles_skipped
                                        ? v->cycles_skipped
                                        : "cycles were not computed")
                                 : "they are counted per minute, and the "
                                   "input has no time column";
    if (!rates && !cycles && strcmp(why_rates, why_cycles) == 0)
        NOTE("response rates, latencies, cycles and softening not "
             "compared: %s", why_rates);
    else {
        if (!rates)
            NOTE("response rates and latencies not compared: %s", why_rates);
        if (!cycles)
            NOTE("cycles and softening not compared: %s", why_cycles);
    }
    if (v->has_time)
        m[n++] = (spec_t){.kind = M_EVENTS};
    else
        NOTE("events per minute not compared: the input has no time "
             "column");
    for (size_t a = 0; a < v->n_ap; a++)
        for (size_t k = 0; k < DS_AP_N_COEFS; k++)
            m[n++] = (spec_t){.kind = M_AP, .model = a, .coef = k};
#undef NOTE
    *out = m;
    return (long)n;
}

/* ---- pairing ------------------------------------------------------- */

typedef struct keyed {
    const char *couple;
    size_t s;
} keyed_t;

static int by_couple(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    int r = strcmp(x->couple, y->couple);
    return r ? r : (x->s > y->s) - (x->s < y->s);
}

/* DS_EUSAGE: no session has label; list the labels there are. */
static int no_label(const ds_compare_sessions_t *v, const char *which,
                    const char *label, ds_error_t *err)
{
    const char **seen = malloc((v->S ? v->S : 1) * sizeof *seen);
    if (!seen)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t s = 0; s < v->S; s++) {
        size_t k = 0;
        while (k < n && strcmp(seen[k], v->label[s]))
            k++;
        if (k == n)
            seen[n++] = v->label[s];
    }
    /* byte order, for a stable message */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && strcmp(seen[k - 1], seen[k]) > 0; k--) {
            const char *t = seen[k];
            seen[k] = seen[k - 1];
            seen[k - 1] = t;
        }
    char list[512] = "", ex[96];
    size_t l = 0;
    for (size_t i = 0; i < n && l < sizeof list; i++)
        l += (size_t)snprintf(list + l, sizeof list - l, "%s'%s'",
                              i ? ", " : "", seen[i]);
    const char *near = ds_suggest(label, seen, n);
    ds_excerpt(ex, label, 80);
    int rc;
    if (near)
        rc = ds_error_set(err, DS_EUSAGE, "%s: no session is labelled '%s' "
                          "(did you mean '%s'?); the session labels are %s",
                          which, ex, near, list);
    else
        rc = ds_error_set(err, DS_EUSAGE, "%s: no session is labelled '%s'; "
                          "the session labels are %s", which, ex, list);
    free(seen);
    return rc;
}

static void metric_clear(ds_compare_metric_t *m, size_t n)
{
    free(m->name);
    free(m->pre);
    free(m->post);
    if (m->reason)
        for (size_t k = 0; k < n; k++)
            free(m->reason[k]);
    free(m->reason);
    free(m->rci);
}

void ds_compare_free(ds_compare_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_metrics; i++)
        metric_clear(&c->metric[i], c->n_couples);
    free(c->metric);
    for (size_t i = 0; i < c->n_notes; i++)
        free(c->notes[i]);
    if (c->couple)
        for (size_t k = 0; k < c->n_couples; k++)
            free(c->couple[k]);
    free(c->couple);
    free(c->pre_session);
    free(c->post_session);
    free(c->pre);
    free(c->post);
    free(c);
}

/* Fill metric m's values and reasons over the couples of c. */
static int extract(const ds_compare_sessions_t *v, const spec_t *sp,
                   ds_compare_t *c, ds_compare_metric_t *m)
{
    size_t n = c->n_couples ? c->n_couples : 1;
    m->pre = malloc(n * sizeof *m->pre);
    m->post = malloc(n * sizeof *m->post);
    m->reason = calloc(n, sizeof *m->reason);
    if (!m->pre || !m->post || !m->reason)
        return -1;
    for (size_t k = 0; k < c->n_couples; k++) {
        long sp_pre = c->pre_session[k], sp_post = c->post_session[k];
        double a = sp_pre >= 0 ? value(v, sp, (size_t)sp_pre) : NAN;
        double b = sp_post >= 0 ? value(v, sp, (size_t)sp_post) : NAN;
        m->pre[k] = a;
        m->post[k] = b;
        if (ds_paired_usable(a, b))
            continue;
        char r1[256] = "", r2[256] = "";
        if (sp_pre < 0 || sp_post < 0) {
            m->reason[k] = ds_aprintf("no '%s' session",
                                      sp_pre < 0 ? c->pre : c->post);
        } else {
            if (!isfinite(a))
                why_undefined(v, sp, (size_t)sp_pre, r1, sizeof r1);
            if (!isfinite(b))
                why_undefined(v, sp, (size_t)sp_post, r2, sizeof r2);
            if (r1[0] && r2[0] && strcmp(r1, r2) == 0)
                m->reason[k] = ds_aprintf("%s and %s: %s", c->pre, c->post,
                                          r1);
            else if (r1[0] && r2[0])
                m->reason[k] = ds_aprintf("%s: %s; %s: %s", c->pre, r1,
                                          c->post, r2);
            else
                m->reason[k] = ds_aprintf("%s: %s", r1[0] ? c->pre : c->post,
                                          r1[0] ? r1 : r2);
        }
        if (!m->reason[k])
            return -1;
    }
    return 0;
}

int ds_compare_build(const ds_compare_sessions_t *v, const char *pre,
                     const char *post, const ds_transition_t *tr,
                     size_t n_tr, ds_compare_t **out, ds_error_t *err)
{
    ds_compare_t *c = NULL;
    keyed_t *idx = NULL;
    spec_t *specs = NULL;
    int rc = DS_ENOMEM;
    *out = NULL;
    if (strcmp(pre, post) == 0)
        return ds_error_set(err, DS_EUSAGE, "--pre and --post are both "
                            "'%s'; give two different session labels", pre);
    int have_pre = 0, have_post = 0;
    for (size_t s = 0; s < v->S; s++) {
        have_pre |= strcmp(v->label[s], pre) == 0;
        have_post |= strcmp(v->label[s], post) == 0;
    }
    if (!have_pre)
        return no_label(v, "--pre", pre, err);
    if (!have_post)
        return no_label(v, "--post", post, err);

    c = calloc(1, sizeof *c);
    idx = malloc((v->S ? v->S : 1) * sizeof *idx);
    if (!c || !idx)
        goto fail;
    c->pre = ds_strdup(pre);
    c->post = ds_strdup(post);
    size_t n = v->S ? v->S : 1;
    c->couple = calloc(n, sizeof *c->couple);
    c->pre_session = malloc(n * sizeof *c->pre_session);
    c->post_session = malloc(n * sizeof *c->post_session);
    if (!c->pre || !c->post || !c->couple || !c->pre_session ||
        !c->post_session)
        goto fail;

    /* group the sessions by couple (byte order); a couple's sessions have
     * distinct labels, so each has at most one pre and one post */
    for (size_t s = 0; s < v->S; s++)
        idx[s] = (keyed_t){v->couple[s], s};
    qsort(idx, v->S, sizeof *idx, by_couple);
    for (size_t i = 0; i < v->S;) {
        size_t j = i;
        long sp = -1, sq = -1;
        for (; j < v->S && strcmp(idx[j].couple, idx[i].couple) == 0; j++) {
            if (strcmp(v->label[idx[j].s], pre) == 0)
                sp = (long)idx[j].s;
            else if (strcmp(v->label[idx[j].s], post) == 0)
                sq = (long)idx[j].s;
        }
        if (sp >= 0 || sq >= 0) {
            size_t k = c->n_couples;
            if (!(c->couple[k] = ds_strdup(idx[i].couple)))
                goto fail;
            c->pre_session[k] = sp;
            c->post_session[k] = sq;
            c->n_both += sp >= 0 && sq >= 0;
            c->n_couples++;
        }
        i = j;
    }
    if (c->n_both == 0) {
        rc = ds_error_set(err, DS_EDATA, "no couple has both a '%s' and a "
                          "'%s' session, so there is nothing to pair", pre,
                          post);
        goto fail_msg;
    }

    long nm = metric_specs(v, tr, n_tr, &specs, c);
    if (nm < 0)
        goto fail;
    c->metric = calloc((size_t)nm ? (size_t)nm : 1, sizeof *c->metric);
    if (!c->metric)
        goto fail;
    c->n_metrics = (size_t)nm;
    for (size_t i = 0; i < c->n_metrics; i++) {
        ds_compare_metric_t *m = &c->metric[i];
        m->better = metric_better(v, &specs[i]);
        m->q_bh = NAN;
        m->r = m->se_diff = NAN;
        if (!(m->name = metric_name(v, &specs[i])) ||
            extract(v, &specs[i], c, m))
            goto fail;
    }
    free(specs);
    free(idx);
    *out = c;
    return DS_OK;
fail:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory");
fail_msg:
    free(specs);
    free(idx);
    ds_compare_free(c);
    return rc;
}

/* ---- per-session values (agree) ------------------------------------ */

void ds_compare_values_clear(ds_compare_values_t *out)
{
    if (out->name)
        for (size_t i = 0; i < out->n_metrics; i++)
            free(out->name[i]);
    free(out->name);
    free(out->better);
    free(out->value);
    for (size_t i = 0; i < out->n_notes; i++)
        free(out->notes[i]);
    memset(out, 0, sizeof *out);
}

int ds_compare_session_values(const ds_compare_sessions_t *v,
                              const ds_transition_t *tr, size_t n_tr,
                              ds_compare_values_t *out, ds_error_t *err)
{
    ds_compare_t notes = {0};
    spec_t *specs = NULL;
    memset(out, 0, sizeof *out);
    long nm = metric_specs(v, tr, n_tr, &specs, &notes);
    for (size_t i = 0; i < notes.n_notes; i++)
        out->notes[i] = notes.notes[i];
    out->n_notes = notes.n_notes;
    if (nm < 0)
        goto oom;
    size_t M = (size_t)nm, S = v->S;
    out->S = S;
    out->name = calloc(M ? M : 1, sizeof *out->name);
    out->better = calloc(M ? M : 1, sizeof *out->better);
    out->value = malloc((M * S + 1) * sizeof *out->value);
    if (!out->name || !out->better || !out->value)
        goto oom;
    out->n_metrics = M;
    for (size_t i = 0; i < M; i++) {
        if (!(out->name[i] = metric_name(v, &specs[i])))
            goto oom;
        out->better[i] = metric_better(v, &specs[i]);
        for (size_t s = 0; s < S; s++)
            out->value[i * S + s] = value(v, &specs[i], s);
    }
    free(specs);
    return DS_OK;
oom:
    free(specs);
    ds_compare_values_clear(out);
    return ds_error_set(err, DS_ENOMEM, "out of memory");
}

/* ---- statistics ---------------------------------------------------- */

int ds_compare_test(ds_compare_t *c, const ds_paired_opts_t *o,
                    ds_error_t *err)
{
    size_t M = c->n_metrics;
    double *p = calloc(M ? M : 1, sizeof *p);
    if (!p)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int rc = DS_OK;
    ds_paired_opts_t def;
    ds_paired_opts_init(&def);
    c->conf_level = o ? o->conf_level : def.conf_level;
    for (size_t i = 0; i < M && !rc; i++) {
        ds_compare_metric_t *m = &c->metric[i];
        rc = ds_paired_test(m->pre, m->post, c->n_couples, o, &m->stat, err);
        p[i] = m->stat.p_t;
    }
    /* Benjamini & Hochberg (1995) across the metrics, over the t-test p */
    if (!rc)
        rc = ds_padjust_bh(p, M, p, err);
    for (size_t i = 0; i < M && !rc; i++)
        c->metric[i].q_bh = p[i];
    free(p);
    return rc;
}

long ds_compare_find(const ds_compare_t *c, const char *name)
{
    for (size_t i = 0; i < c->n_metrics; i++)
        if (strcmp(c->metric[i].name, name) == 0)
            return (long)i;
    return -1;
}

int ds_compare_reliability(ds_compare_t *c, size_t m, double r, int better,
                           ds_error_t *err)
{
    if (m >= c->n_metrics)
        return ds_error_set(err, DS_EUSAGE, "reliable change: no metric %zu",
                            m);
    ds_compare_metric_t *x = &c->metric[m];
    double *rci = malloc((c->n_couples ? c->n_couples : 1) * sizeof *rci);
    if (!rci)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    double sd = x->stat.sd_pre;
    /* ds_rci: NaN SD (fewer than two pairs) gives NaN RCIs, as 0 does */
    int rc = ds_rci(x->pre, x->post, c->n_couples, isnan(sd) ? 0 : sd, r,
                    rci, &x->n_improved, &x->n_unchanged, &x->n_deteriorated,
                    better, err);
    if (rc) {
        free(rci);
        return rc;
    }
    free(x->rci);
    x->rci = rci;
    x->has_rci = 1;
    x->r = r;
    /* Jacobson & Truax (1991): S_diff = sqrt(2) · SD_pre · sqrt(1 − r) */
    x->se_diff = sqrt(2.0) * sd * sqrt(1 - r);
    x->better = better;
    return DS_OK;
}

const char *ds_compare_better_name(int better)
{
    return better > 0 ? "higher" : better < 0 ? "lower" : "";
}

/* ---- one metric by name (dyadseq power) ----------------------------- */

/* What value() reads for a metric of kind k. */
static unsigned kind_needs(kind_t k)
{
    switch (k) {
    case M_Q:
    case M_Z: return DS_COMPARE_NEEDS_LAG1;
    case M_RATE:
    case M_LATENCY: return DS_COMPARE_NEEDS_RESPONSIVE;
    case M_CYCLES: return DS_COMPARE_NEEDS_CYCLES | DS_COMPARE_NEEDS_SESSION;
    case M_SHARE:
    case M_SOFTEN: return DS_COMPARE_NEEDS_CYCLES;
    case M_EVENTS: return DS_COMPARE_NEEDS_SESSION;
    case M_AP: return DS_COMPARE_NEEDS_AP;
    }
    return 0;
}

static void def_from_spec(const ds_compare_sessions_t *v, const spec_t *sp,
                          ds_compare_metric_def_t *out)
{
    out->kind = (int)sp->kind;
    out->tr = sp->tr;
    out->actor = sp->actor;
    out->ap_model = sp->model;
    out->ap_coef = sp->coef;
    out->needs = kind_needs(sp->kind);
    out->better = metric_better(v, sp);
}

int ds_compare_metric_parse(const ds_compare_sessions_t *v, const char *name,
                            ds_compare_metric_def_t *out, ds_error_t *err)
{
    static const char *const prefix[2] = {"yules_q[", "adjusted_residual["};
    size_t n = strlen(name);
    char ex[96];
    ds_excerpt(ex, name, 80);
    memset(out, 0, sizeof *out);
    for (int z = 0; z < 2; z++) {
        size_t pl = strlen(prefix[z]);
        if (n <= pl + 1 || strncmp(name, prefix[z], pl) != 0 ||
            name[n - 1] != ']')
            continue;
        char *inner = malloc(n - pl);
        if (!inner)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        memcpy(inner, name + pl, n - pl - 1);
        inner[n - pl - 1] = '\0';
        spec_t sp = {.kind = z ? M_Z : M_Q};
        ds_error_t e = {0};
        int rc = ds_compare_parse_transition(v, inner, &sp.tr, &e);
        free(inner);
        if (rc) {
            /* the message starts "--transition 'FROM->TO': " */
            const char *why = strstr(e.msg, "': ");
            return ds_error_set(err, rc, "metric '%s': %s", ex,
                                why ? why + 3 : e.msg);
        }
        def_from_spec(v, &sp, out);
        return DS_OK;
    }
    size_t apm, apc;
    int ap = ds_compare_ap_parse(v, name, &apm, &apc, err);
    if (ap < 0)
        return ap;
    if (ap) {
        spec_t sp = {.kind = M_AP, .model = apm, .coef = apc};
        def_from_spec(v, &sp, out);
        return DS_OK;
    }
    /* every other metric v's state space has, by its name */
    spec_t cand[9];
    size_t nc = 0;
    if (v->has_time && v->n_actors >= 2) {
        for (int k = M_RATE; k <= M_LATENCY; k++)
            for (size_t x = 0; x < 2; x++)
                cand[nc++] = (spec_t){.kind = (kind_t)k, .actor = x};
        cand[nc++] = (spec_t){.kind = M_CYCLES};
        cand[nc++] = (spec_t){.kind = M_SHARE};
        for (size_t x = 0; x < 2; x++)
            cand[nc++] = (spec_t){.kind = M_SOFTEN, .actor = x};
    }
    if (v->has_time)
        cand[nc++] = (spec_t){.kind = M_EVENTS};
    char *names[9] = {0};
    int rc = DS_OK, found = -1;
    for (size_t i = 0; i < nc && rc == DS_OK; i++) {
        if (!(names[i] = metric_name(v, &cand[i])))
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        else if (found < 0 && strcmp(names[i], name) == 0)
            found = (int)i;
    }
    if (rc == DS_OK && found >= 0) {
        def_from_spec(v, &cand[found], out);
    } else if (rc == DS_OK) {
        const char *near = ds_suggest(name, (const char *const *)names, nc);
        char list[512] = "";
        size_t l = 0;
        for (size_t i = 0; i < nc && l < sizeof list; i++)
            l += (size_t)snprintf(list + l, sizeof list - l, ", %s",
                                  names[i]);
        rc = ds_error_set(err, DS_EUSAGE, "no metric '%s'%s%s%s; the metrics "
                          "are yules_q[FROM->TO], adjusted_residual[FROM->TO]"
                          "%s, ap_COEF[Y~X]", ex,
                          near ? " (did you mean '" : "",
                          near ? near : "", near ? "'?)" : "", list);
    }
    for (size_t i = 0; i < nc; i++)
        free(names[i]);
    return rc;
}

double ds_compare_metric_value(const ds_compare_sessions_t *v,
                               const ds_compare_metric_def_t *m, size_t s)
{
    spec_t sp = {.kind = (kind_t)m->kind, .tr = m->tr, .actor = m->actor,
                 .model = m->ap_model, .coef = m->ap_coef};
    return value(v, &sp, s);
}
