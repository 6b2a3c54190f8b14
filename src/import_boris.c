/*
 * import_boris.c — BORIS project files (.boris, JSON) read with jansson.
 *
 * Layout matched (BORIS 7.x to 9.12.3, "project_format_version" "7.0"; the
 * keys are those of BORIS's config.py and the files of its test suite):
 *   behaviors_conf   {"0": {"code", "type": "Point event" | "State event"
 *                    | "... with coding map", "modifiers", ...}, ...}
 *   subjects_conf    {"0": {"name", "key", "description"}, ...}
 *   observations     {ID: {"type": "MEDIA" | "LIVE" | "IMAGES",
 *                    "time offset", "file": {"1": [media...], "2": ...},
 *                    "media_info": {"length": {media: seconds}},
 *                    "observation time interval": [start, stop],
 *                    "independent_variables", "events": [[time, subject,
 *                    behaviour, modifiers, comment(, frame index)], ...]}}
 * A state behaviour's events alternate START and STOP per (subject,
 * behaviour, modifiers), in the order of the event list sorted by time, as
 * BORIS's events_start_stop() pairs them; each pair becomes one event with
 * onset and duration, a point event one with duration 0. An empty subject
 * is BORIS's "No focal subject".
 *
 * Observation period: [a + offset, b + offset] of "observation time
 * interval" [a, b] when b > 0; else, for a media observation, the time
 * offset to the offset plus the summed lengths of player 1's media (BORIS's
 * media_duration(): player 1 holds the longest media); else unknown. Event
 * times in the file already include the time offset.
 *
 * Locations: jansson keeps no line numbers for values, so problems are
 * located by JSON Pointer (RFC 6901): FILE:/observations/ID/events/3.
 * CSV and TSV input (BORIS's exports) goes to import_boris_tab.c.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "text.h"

typedef struct proj {
    const ds_import_src_t *src;
    const ds_import_opts_t *opts;
    ds_import_row_fn emit;
    void *ctx;
    ds_diag_t *diag;
    ds_error_t *err;
    json_t *ethogram;   /* code → json_true (state) / json_false (point) */
    json_t *subjects;   /* name → null */
    ds_strmap_t *told;  /* subjects already reported as not mapped */
} proj_t;

/* A problem at a JSON Pointer: "FILE:POINTER: message". */
#define AT(p, ptr, ...)                                                      \
    ds_import_error((p)->diag,                                               \
                    &(ds_import_loc_t){.file = (p)->src->name,               \
                                       .pointer = (ptr)},                    \
                    NULL, __VA_ARGS__)

/* The ethogram: every behaviour code with whether it is a state. */
static int read_ethogram(proj_t *p, json_t *root)
{
    json_t *conf = json_object_get(root, "behaviors_conf");
    if (!json_is_object(conf)) {
        AT(p, "/behaviors_conf",
           "not a BORIS project: no ethogram (behaviors_conf)");
        return DS_EDATA;
    }
    const char *k;
    json_t *b;
    char ex[80];
    json_object_foreach(conf, k, b) {
        char *ptr = ds_json_pointer_append("/behaviors_conf", k);
        if (!ptr)
            return ds_error_set(p->err, DS_ENOMEM, "out of memory");
        json_t *code = json_object_get(b, "code"),
               *type = json_object_get(b, "type");
        if (!json_is_string(code) || !json_is_string(type) ||
            !*json_string_value(code)) {
            AT(p, ptr, "a behaviour without a code or type");
        } else {
            const char *t = json_string_value(type);
            int state = strstr(t, "State") != NULL;
            if (!state && !strstr(t, "Point"))
                AT(p, ptr, "behaviour type '%s' is neither a point nor a "
                   "state event", ds_import_ex(ex, t));
            else if (json_object_set_new(p->ethogram,
                                         json_string_value(code),
                                         json_boolean(state)))
                return free(ptr),
                       ds_error_set(p->err, DS_ENOMEM, "out of memory");
        }
        free(ptr);
    }
    json_t *subj = json_object_get(root, "subjects_conf");
    json_object_foreach(subj, k, b) {
        json_t *name = json_object_get(b, "name");
        if (json_is_string(name) &&
            json_object_set_new(p->subjects, json_string_value(name),
                                json_null()))
            return ds_error_set(p->err, DS_ENOMEM, "out of memory");
    }
    return DS_OK;
}

static double number_or(json_t *v, double dflt)
{
    return json_is_number(v) ? json_number_value(v) : dflt;
}

/* The observation period (see the top of the file); NAN when unknown. */
static void period(json_t *obs, double *start, double *end)
{
    double offset = number_or(json_object_get(obs, "time offset"), 0);
    json_t *iv = json_object_get(obs, "observation time interval");
    *start = *end = NAN;
    if (json_is_array(iv) && json_array_size(iv) == 2 &&
        json_is_number(json_array_get(iv, 0)) &&
        json_is_number(json_array_get(iv, 1)) &&
        json_number_value(json_array_get(iv, 1)) > 0) {
        *start = json_number_value(json_array_get(iv, 0)) + offset;
        *end = json_number_value(json_array_get(iv, 1)) + offset;
        return;
    }
    json_t *type = json_object_get(obs, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "MEDIA"))
        return;
    json_t *files = json_object_get(json_object_get(obs, "file"), "1");
    json_t *len = json_object_get(json_object_get(obs, "media_info"),
                                  "length");
    if (!json_is_array(files) || json_array_size(files) == 0)
        return;
    double total = 0;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        json_t *l = json_is_string(f)
                        ? json_object_get(len, json_string_value(f))
                        : NULL;
        if (!json_is_number(l) || !(json_number_value(l) > 0))
            return;
        total += json_number_value(l);
    }
    *start = offset;
    *end = offset + total;
}

typedef struct ev {
    double t;
    const char *subject, *code, *modifier;
    size_t index;  /* in the events array */
} ev_t;

static int cmp_ev(const void *va, const void *vb)
{
    const ev_t *a = va, *b = vb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    int c = strcmp(a->subject, b->subject);
    if (!c)
        c = strcmp(a->code, b->code);
    if (!c)
        c = strcmp(a->modifier, b->modifier);
    if (!c)
        c = (a->index > b->index) - (a->index < b->index);
    return c;
}

/* Events of one observation as ev_t, checked for shape; n_bad counts the
 * malformed ones (reported). */
static ev_t *collect_events(proj_t *p, json_t *events, const char *optr,
                            size_t *n_out)
{
    size_t n = json_array_size(events), k = 0, i;
    ev_t *ev = calloc(n ? n : 1, sizeof *ev);
    if (!ev)
        return NULL;
    json_t *e;
    json_array_foreach(events, i, e) {
        json_t *t = json_array_get(e, 0), *s = json_array_get(e, 1),
               *c = json_array_get(e, 2), *m = json_array_get(e, 3);
        if (!json_is_array(e) || !json_is_number(t) || !json_is_string(s) ||
            !json_is_string(c) || (m && !json_is_string(m))) {
            char idx[32], *ptr;
            snprintf(idx, sizeof idx, "%zu", i);
            ptr = ds_json_pointer_append(optr, idx);
            if (ptr)
                AT(p, ptr, "an event is not [time, subject, behaviour, "
                   "modifiers, comment]");
            free(ptr);
            continue;
        }
        ev[k].t = json_number_value(t);
        ev[k].subject = json_string_value(s);
        ev[k].code = json_string_value(c);
        ev[k].modifier = m ? json_string_value(m) : "";
        ev[k].index = i;
        k++;
    }
    qsort(ev, k, sizeof *ev, cmp_ev);
    *n_out = k;
    return ev;
}

/* The actor of a subject, reporting an unmapped one once. *skip: the
 * subject is mapped to "-". Returns 0, or 1 when the event is dropped. */
static int subject_actor(proj_t *p, const char *subject, const char *ptr,
                         const char **actor, int *skip)
{
    const char *name = *subject ? subject : "No focal subject";
    char ex[80];
    *actor = ds_import_map_actor(p->opts, p->opts->subject_actor,
                                 p->opts->n_subject_actor, name, skip);
    if (*actor || *skip || !*subject)
        return *skip;
    if (ds_strmap_get(p->told, subject, strlen(subject)) == (size_t)-1) {
        if (ds_strmap_put(p->told, subject, strlen(subject), 0))
            p->diag->oom = 1;
        AT(p, ptr, "subject '%s' is not mapped to an actor; give "
           "--subject-actor '%s=ACTOR' (or name the subject as an actor)",
           ds_import_ex(ex, subject), ex);
    }
    return 1;
}

/* Emit one event (state pairs already joined). */
static int emit_event(proj_t *p, const char *couple, const char *session,
                      const ev_t *e, double dur, const char *actor,
                      const char *ptr, double start, double end)
{
    char *code = NULL;
    if (p->opts->modifiers_append && *e->modifier) {
        size_t n = strlen(e->code) + strlen(e->modifier) + 2;
        if (!(code = malloc(n)))
            return ds_error_set(p->err, DS_ENOMEM, "out of memory");
        snprintf(code, n, "%s|%s", e->code, e->modifier);
    }
    ds_import_row_t row = {
        .couple = couple, .session = session, .actor = actor,
        .subject = *e->subject ? e->subject : "No focal subject",
        .code = code ? code : e->code, .code_field = NULL,
        .onset = e->t, .duration = dur, .start = start, .end = end,
        .loc = {.file = p->src->name, .pointer = ptr}};
    int rc = p->emit(&row, p->ctx);
    free(code);
    return rc;
}

/* Pair the state events of one observation and emit all its events. */
static int observation_events(proj_t *p, const char *optr, json_t *events,
                              const char *couple, const char *session,
                              double start, double end)
{
    char *eptr = ds_json_pointer_append(optr, "events");
    size_t n;
    ev_t *ev = eptr ? collect_events(p, events, eptr, &n) : NULL;
    ds_strmap_t *open = ds_strmap_alloc();  /* key → START index + 1 */
    int rc = DS_OK;
    char ex[80];
    if (!ev || !open) {
        rc = ds_error_set(p->err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        char idx[32], *ptr;
        snprintf(idx, sizeof idx, "%zu", ev[i].index);
        if (!(ptr = ds_json_pointer_append(eptr, idx))) {
            rc = ds_error_set(p->err, DS_ENOMEM, "out of memory");
            break;
        }
        json_t *state = json_object_get(p->ethogram, ev[i].code);
        const char *actor;
        int skip;
        if (!state) {
            AT(p, ptr, "behaviour '%s' is not in the project's ethogram "
               "(behaviors_conf)", ds_import_ex(ex, ev[i].code));
        } else if (*ev[i].subject &&
                   !json_object_get(p->subjects, ev[i].subject)) {
            AT(p, ptr, "subject '%s' is not in the project's subjects "
               "(subjects_conf)", ds_import_ex(ex, ev[i].subject));
        } else if (subject_actor(p, ev[i].subject, ptr, &actor, &skip)) {
            /* reported, or left out with --subject-actor NAME=- */
        } else if (!json_is_true(state)) {
            rc = emit_event(p, couple, session, &ev[i], 0, actor, ptr,
                            start, end);
        } else {
            size_t kl = strlen(ev[i].subject) + strlen(ev[i].code) +
                        strlen(ev[i].modifier) + 3;
            char *key = malloc(kl);
            if (!key) {
                free(ptr);
                rc = ds_error_set(p->err, DS_ENOMEM, "out of memory");
                break;
            }
            snprintf(key, kl, "%s\x1f%s\x1f%s", ev[i].subject, ev[i].code,
                     ev[i].modifier);
            size_t o = ds_strmap_get(open, key, kl - 1);
            if (o == (size_t)-1 || o == 0) {
                if (ds_strmap_put(open, key, kl - 1, i + 1))
                    rc = ds_error_set(p->err, DS_ENOMEM, "out of memory");
            } else {
                const ev_t *s = &ev[o - 1];
                char sidx[32], *sptr;
                snprintf(sidx, sizeof sidx, "%zu", s->index);
                sptr = ds_json_pointer_append(eptr, sidx);
                rc = sptr ? emit_event(p, couple, session, s,
                                       ds_round_ns(ev[i].t - s->t), actor,
                                       sptr, start, end)
                          : ds_error_set(p->err, DS_ENOMEM, "out of memory");
                free(sptr);
                if (rc == DS_OK && ds_strmap_put(open, key, kl - 1, 0))
                    rc = ds_error_set(p->err, DS_ENOMEM, "out of memory");
            }
            free(key);
        }
        free(ptr);
    }
    /* a START left open: unpaired */
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        size_t kl = strlen(ev[i].subject) + strlen(ev[i].code) +
                    strlen(ev[i].modifier) + 3;
        char *key = malloc(kl);
        if (!key) {
            rc = ds_error_set(p->err, DS_ENOMEM, "out of memory");
            break;
        }
        snprintf(key, kl, "%s\x1f%s\x1f%s", ev[i].subject, ev[i].code,
                 ev[i].modifier);
        if (ds_strmap_get(open, key, kl - 1) == i + 1) {
            char idx[32], *ptr, t[40];
            snprintf(idx, sizeof idx, "%zu", ev[i].index);
            ds_format_seconds(t, sizeof t, ev[i].t);
            char ex2[80];
            if ((ptr = ds_json_pointer_append(eptr, idx)))
                AT(p, ptr, "unpaired state: '%s' of subject '%s' starts at "
                   "%s s and never stops (an odd number of its events)",
                   ds_import_ex(ex, ev[i].code),
                   ds_import_ex(ex2, *ev[i].subject ? ev[i].subject
                                                    : "No focal subject"),
                   t);
            free(ptr);
        }
        free(key);
    }
done:
    ds_strmap_free(open);
    free(ev);
    free(eptr);
    return rc;
}

static int read_observations(proj_t *p, json_t *root)
{
    json_t *obs = json_object_get(root, "observations");
    if (!json_is_object(obs)) {
        AT(p, "/observations", "not a BORIS project: no observations");
        return DS_EDATA;
    }
    const char *id;
    json_t *o;
    int rc = DS_OK;
    char ex[80];
    json_object_foreach(obs, id, o) {
        char *optr = ds_json_pointer_append("/observations", id);
        if (!optr)
            return ds_error_set(p->err, DS_ENOMEM, "out of memory");
        char *couple, *session;
        int r = ds_import_split_id(p->opts, id, p->src->stem, &couple,
                                   &session);
        json_t *events = json_object_get(o, "events");
        if (r == DS_ENOMEM) {
            rc = ds_error_set(p->err, DS_ENOMEM, "out of memory");
        } else if (r) {
            AT(p, optr, "observation id '%s' does not match --id-pattern "
               "'%s' (group 1 = couple, group 2 = session)",
               ds_import_ex(ex, id), p->opts->id_pattern_text);
        } else if (!json_is_object(o) || !json_is_array(events)) {
            AT(p, optr, "observation '%s' has no list of events",
               ds_import_ex(ex, id));
        } else {
            double start, end;
            period(o, &start, &end);
            rc = observation_events(p, optr, events, couple, session, start,
                                    end);
        }
        free(couple);
        free(session);
        free(optr);
        if (rc)
            return rc;
    }
    return DS_OK;
}

/* JSON starts with '{' after white space (and a BOM); exports do not. */
static int looks_json(const ds_import_src_t *src)
{
    const char *s = src->data, *e = s + src->len;
    if (src->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    return s < e && *s == '{';
}

int ds_import_boris(const ds_import_src_t *src, const ds_import_opts_t *opts,
                    ds_import_row_fn emit, void *ctx, ds_diag_t *diag,
                    ds_error_t *err)
{
    if (!looks_json(src))
        return ds_import_boris_tab(src, opts, emit, ctx, diag, err);
    json_error_t je;
    const char *data = src->data;
    size_t len = src->len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        ds_diag_error(diag, src->name, je.line > 0 ? (size_t)je.line : 0,
                      NULL, "not valid JSON (column %d): %s", je.column,
                      je.text);
        return DS_EDATA;
    }
    proj_t p = {.src = src, .opts = opts, .emit = emit, .ctx = ctx,
                .diag = diag, .err = err, .ethogram = json_object(),
                .subjects = json_object(), .told = ds_strmap_alloc()};
    int rc;
    if (!p.ethogram || !p.subjects || !p.told)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    else if (!json_is_object(root)) {
        ds_diag_error(diag, src->name, 0, NULL,
                      "not a BORIS project: the top level is not a JSON "
                      "object");
        rc = DS_EDATA;
    } else {
        rc = read_ethogram(&p, root);
        if (rc == DS_OK)
            rc = read_observations(&p, root);
    }
    json_decref(p.ethogram);
    json_decref(p.subjects);
    ds_strmap_free(p.told);
    json_decref(root);
    return rc;
}
