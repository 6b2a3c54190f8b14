/*
 * ingest_period.c — the observation period of a session (SPEC 3: the
 * transcript columns `start` and `end`), read from the rows and checked.
 *
 * A row gives the period when its start and end fields are not empty:
 * each a time as the time column takes it (seconds, or [hh:]mm:ss[.fff]),
 * or, for a period with stretches that were not coded, a list separated
 * by ';' (start "0;60", end "45;240": observed from 0 to 45 s and from 60
 * to 240 s). The stretches must be in time order and must not overlap.
 * Every row of a session that gives the period gives the same one; a row
 * that disagrees is an error at its line. When the rows are read, every
 * event must lie within its session's period (its onset and, with
 * durations, its offset within one stretch); an event outside is an error
 * at the event's line.
 */
#include "ingest_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Times within this many seconds of a bound count as on it (as
 * corpus.c's ds_session_stretch). */
#define PERIOD_EPS 1e-9

void ingest_period_text(char *buf, size_t len, const double *p, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < len; i++) {
        int w = snprintf(buf + k, len - k, "%s%.10g..%.10g", i ? "; " : "",
                         p[2 * i], p[2 * i + 1]);
        if (w < 0)
            return;
        k += (size_t)w;
    }
    if (k < len)
        snprintf(buf + k, len - k, " s");
}

/* The number of ';'-separated items of text. */
static size_t n_items(const char *text)
{
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ';';
    return n;
}

/*
 * Parse the items of column col (start or end) into v[2k + at]: times of
 * ds_parse_time, white space around them ignored. 0, or 1 after
 * reporting a problem.
 */
static int parse_times(ingest_src_t *s, const ingest_fields_t *r, int col,
                       double *v, size_t at)
{
    const char *name = ds_ingest_col_name(col);
    const char *p = r->f[col];
    char *item = NULL;
    size_t i = 0;
    int bad = 0;
    for (;;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        free(item);
        if (!(item = malloc(len + 1))) {
            s->diag->oom = 1;
            return 1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        char *t = item;
        while (*t == ' ' || *t == '\t')
            t++;
        size_t tl = strlen(t);
        while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
            t[--tl] = '\0';
        double x;
        ds_num_status_t st = ds_parse_time(t, &x);
        if (st != DS_NUM_OK) {
            char ex[80];
            ds_excerpt(ex, t, 60);
            ds_diag_error(s->diag, s->name, r->line, name,
                          st == DS_NUM_NEGATIVE    ? "negative %s '%s'"
                          : st == DS_NUM_NONFINITE ? "%s '%s' is not a "
                                                     "finite number"
                                                   : "cannot read %s '%s' "
                                                     "(expected seconds or "
                                                     "[hh:]mm:ss[.fff]; "
                                                     "stretches separated "
                                                     "by ';')",
                          name, ex);
            bad = 1;
            break;
        }
        v[2 * i + at] = x;
        i++;
        if (!e)
            break;
        p = e + 1;
    }
    free(item);
    return bad;
}

/* The period of row r into s->pbuf (*n stretches): 0 when it gives none,
 * 1 when it gives one, 2 after reporting a problem, DS_ENOMEM. */
static int row_period(ingest_src_t *s, const ingest_fields_t *r, size_t *n)
{
    const char *fs = r->f[DS_INGEST_START], *fe = r->f[DS_INGEST_END];
    *n = 0;
    if (!fs || !fe || (!*fs && !*fe))
        return 0;
    if (!*fs || !*fe) {
        ds_diag_error(s->diag, s->name, r->line,
                      !*fs ? "start" : "end",
                      "empty value; start and end give the observation "
                      "period together (both empty: this row does not "
                      "give it)");
        return 2;
    }
    size_t ns = n_items(fs), ne = n_items(fe);
    if (ns != ne) {
        ds_diag_error(s->diag, s->name, r->line, "end",
                      "%zu end%s but %zu start%s; each observed stretch "
                      "has a start and an end", ne, ne == 1 ? "" : "s", ns,
                      ns == 1 ? "" : "s");
        return 2;
    }
    if (2 * ns > s->pbuf_cap) {
        double *b = realloc(s->pbuf, 2 * ns * sizeof *b);
        if (!b)
            return DS_ENOMEM;
        s->pbuf = b;
        s->pbuf_cap = 2 * ns;
    }
    if (parse_times(s, r, DS_INGEST_START, s->pbuf, 0) |
        parse_times(s, r, DS_INGEST_END, s->pbuf, 1))
        return 2;
    const double *p = s->pbuf;
    for (size_t k = 0; k < ns; k++) {
        if (p[2 * k + 1] < p[2 * k]) {
            ds_diag_error(s->diag, s->name, r->line, "end",
                          "end %.10g s is before start %.10g s", p[2 * k + 1],
                          p[2 * k]);
            return 2;
        }
        if (k && p[2 * k] < p[2 * k - 1]) {
            ds_diag_error(s->diag, s->name, r->line, "start",
                          "stretch %zu starts at %.10g s, before stretch %zu "
                          "ends at %.10g s; the observed stretches must be "
                          "in time order and must not overlap",
                          k + 1, p[2 * k], k, p[2 * k - 1]);
            return 2;
        }
    }
    *n = ns;
    return 1;
}

int ingest_row_period(ingest_src_t *s, ingest_session_t *e,
                      const ingest_fields_t *r)
{
    size_t n;
    int rc = row_period(s, r, &n);
    if (rc != 1)
        return rc == 2 ? 1 : rc;
    if (!e->n_periods) {
        if (!(e->period = malloc(2 * n * sizeof *e->period)))
            return DS_ENOMEM;
        memcpy(e->period, s->pbuf, 2 * n * sizeof *e->period);
        e->n_periods = n;
        e->period_file = s->file;
        e->period_line = r->line;
        return 0;
    }
    if (e->n_periods == n &&
        memcmp(e->period, s->pbuf, 2 * n * sizeof *e->period) == 0)
        return 0;
    char a[200], b[200], ec[80], el[80], where[1200];
    ingest_period_text(a, sizeof a, s->pbuf, n);
    ingest_period_text(b, sizeof b, e->period, e->n_periods);
    ds_excerpt(ec, e->couple, 60);
    ds_excerpt(el, e->label, 60);
    if (e->period_file == s->file)
        snprintf(where, sizeof where, "line %zu", e->period_line);
    else
        snprintf(where, sizeof where, "%s:%zu", s->g->files[e->period_file],
                 e->period_line);
    /* name the column that differs: start, unless only the ends do */
    int starts_same = e->n_periods == n;
    for (size_t k = 0; starts_same && k < n; k++)
        starts_same = e->period[2 * k] == s->pbuf[2 * k];
    ds_diag_error(s->diag, s->name, r->line, starts_same ? "end" : "start",
                  "observation period %s differs from %s given for session "
                  "'%s'/'%s' at %s; every row that gives it gives the same",
                  a, b, ec, el, where);
    return 1;
}

/* The events of session e outside its period, reported. */
static size_t check_session(const ds_ingest_t *g, const ingest_session_t *e,
                            ds_diag_t *diag)
{
    size_t bad = 0;
    const double *p = e->period;
    for (size_t i = 0; i < e->n; i++) {
        double on = e->onset[i];
        double off = on + (e->duration ? e->duration[i] : 0);
        size_t k = 0;
        while (k < e->n_periods && on > p[2 * k + 1] + PERIOD_EPS)
            k++;
        if (k < e->n_periods && on >= p[2 * k] - PERIOD_EPS &&
            off <= p[2 * k + 1] + PERIOD_EPS)
            continue;
        char per[200], ec[80], el[80], span[80];
        ingest_period_text(per, sizeof per, p, e->n_periods);
        ds_excerpt(ec, e->couple, 60);
        ds_excerpt(el, e->label, 60);
        if (e->duration)
            snprintf(span, sizeof span, "%.10g..%.10g s", on, off);
        else
            snprintf(span, sizeof span, "%.10g s", on);
        ds_diag_error(diag, g->files[e->file[i]], e->line[i], "time",
                      "event at %s lies outside the observation period %s "
                      "of session '%s'/'%s' (given at %s:%zu)",
                      span, per, ec, el, g->files[e->period_file],
                      e->period_line);
        bad++;
    }
    return bad;
}

size_t ingest_check_periods(ds_ingest_t *g, ds_diag_t *diag)
{
    size_t bad = 0;
    if (!g->has_col[DS_INGEST_START] || !g->has_col[DS_INGEST_TIME])
        return 0;
    for (size_t i = 0; i < g->n_s; i++)
        if (g->s[i].n_periods)
            bad += check_session(g, &g->s[i], diag);
    return bad;
}
