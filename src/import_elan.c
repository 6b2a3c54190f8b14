/*
 * import_elan.c — ELAN annotation documents (.eaf, read with expat) and
 * ELAN's tab-delimited text export.
 *
 * EAF (schema EAFv3.0.xsd, FORMAT "3.0"; 2.7 and 2.8 documents have the
 * same elements used here): HEADER TIME_UNITS (only "milliseconds", the
 * default, is read), TIME_ORDER/TIME_SLOT (TIME_SLOT_ID, TIME_VALUE in ms,
 * optional), TIER (TIER_ID, PARTICIPANT) holding ANNOTATION elements, each
 * an ALIGNABLE_ANNOTATION (TIME_SLOT_REF1, TIME_SLOT_REF2) or a
 * REF_ANNOTATION (ANNOTATION_REF: the times of the annotation it refers
 * to), with the value in ANNOTATION_VALUE. Each tier maps to an actor with
 * --tier-actor TIER=A (a tier named as an actor maps to itself; TIER=-
 * leaves a tier out); an unmapped tier is an error. Each annotation is an
 * event: code = value, onset = begin, duration = end - begin. The document
 * is one session: the file stem is its id (couple and session through
 * --id-pattern). An EAF file records no media duration (MEDIA_DESCRIPTOR
 * has MEDIA_URL, MIME_TYPE, TIME_ORIGIN, no length), so the observation
 * period is left unknown; TIME_ORIGIN is not added to the times.
 *
 * Tab-delimited text (Transcription2TabDelimitedText in ELAN, "one
 * annotation per row", no column header): TIER [TAB PARTICIPANT], then the
 * begin, end and (optional) duration times, each in one or more of the
 * formats hh:mm:ss.ms, ss.msec and ms, then the annotation value. Lines
 * starting with '#' (media header lines) are skipped. The layout is taken
 * from the first row and every row must have it.
 */
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "import.h"
#include "text.h"

typedef struct tier {
    char *name;
    size_t line;
    const char *actor;  /* NULL: not mapped */
    int skip, unknown;
} tier_t;

typedef struct annot {
    char *id, *ts1, *ts2, *ref, *value;
    size_t tier, line;
} annot_t;

typedef struct eaf {
    const ds_import_src_t *src;
    const ds_import_opts_t *opts;
    ds_diag_t *diag;
    XML_Parser xp;
    int depth, root_ok, oom;
    ds_strmap_t *slot_index;  /* TIME_SLOT_ID → index */
    double *slot_ms;          /* NAN: unaligned */
    size_t n_slots, cap_slots;
    tier_t *tiers;
    size_t n_tiers, cap_tiers;
    long cur_tier;            /* -1 outside TIER */
    annot_t *an;
    size_t n_an, cap_an;
    ds_strmap_t *an_index;    /* ANNOTATION_ID → index */
    long cur_an;              /* -1 outside an annotation */
    int in_value;
    char *text;               /* ANNOTATION_VALUE being read */
    size_t text_len, text_cap;
} eaf_t;

static size_t line_now(const eaf_t *e)
{
    return (size_t)XML_GetCurrentLineNumber(e->xp);
}

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 64;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* A problem at a line of the document. */
#define PROBLEM(e, ln, ...)                                                  \
    ds_import_error((e)->diag,                                               \
                    &(ds_import_loc_t){.file = (e)->src->name,               \
                                       .line = (ln)},                        \
                    NULL, __VA_ARGS__)

static void on_slot(eaf_t *e, const XML_Char **a)
{
    char x1[80], x2[80];
    const char *id = attr(a, "TIME_SLOT_ID"), *v = attr(a, "TIME_VALUE");
    size_t ms;
    if (!id) {
        PROBLEM(e, line_now(e), "a TIME_SLOT without TIME_SLOT_ID");
        return;
    }
    if (v && ds_parse_size(v, &ms)) {
        PROBLEM(e, line_now(e), "TIME_VALUE '%s' of time slot '%s' is not "
                "a whole number of milliseconds", ds_import_ex(x1, v),
                ds_import_ex(x2, id));
        return;
    }
    if (grow((void **)&e->slot_ms, &e->cap_slots, e->n_slots,
             sizeof *e->slot_ms) ||
        ds_strmap_put(e->slot_index, id, strlen(id), e->n_slots)) {
        e->oom = 1;
        return;
    }
    e->slot_ms[e->n_slots++] = v ? (double)ms : NAN;
}

static void on_tier(eaf_t *e, const XML_Char **a)
{
    const char *id = attr(a, "TIER_ID");
    if (grow((void **)&e->tiers, &e->cap_tiers, e->n_tiers,
             sizeof *e->tiers)) {
        e->oom = 1;
        return;
    }
    tier_t *t = &e->tiers[e->n_tiers];
    memset(t, 0, sizeof *t);
    t->line = line_now(e);
    if (!(t->name = ds_strdup(id ? id : ""))) {
        e->oom = 1;
        return;
    }
    t->actor = ds_import_map_actor(e->opts, e->opts->tier_actor,
                                   e->opts->n_tier_actor, t->name, &t->skip);
    e->cur_tier = (long)e->n_tiers++;
}

static void on_annotation(eaf_t *e, const XML_Char **a, int ref)
{
    if (e->cur_tier < 0)
        return;
    if (grow((void **)&e->an, &e->cap_an, e->n_an, sizeof *e->an)) {
        e->oom = 1;
        return;
    }
    annot_t *n = &e->an[e->n_an];
    memset(n, 0, sizeof *n);
    const char *id = attr(a, "ANNOTATION_ID");
    n->tier = (size_t)e->cur_tier;
    n->line = line_now(e);
    n->id = ds_strdup(id ? id : "");
    if (ref)
        n->ref = ds_strdup(attr(a, "ANNOTATION_REF"));
    else {
        n->ts1 = ds_strdup(attr(a, "TIME_SLOT_REF1"));
        n->ts2 = ds_strdup(attr(a, "TIME_SLOT_REF2"));
    }
    if (!n->id || (id && ds_strmap_put(e->an_index, id, strlen(id),
                                       e->n_an))) {
        e->oom = 1;
        return;
    }
    e->cur_an = (long)e->n_an++;
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **a)
{
    char x1[80];
    eaf_t *e = ud;
    if (e->depth++ == 0) {
        e->root_ok = strcmp(name, "ANNOTATION_DOCUMENT") == 0;
        if (!e->root_ok)
            PROBLEM(e, line_now(e), "not an ELAN annotation document (the "
                    "root element is '%s', not ANNOTATION_DOCUMENT)",
                    ds_import_ex(x1, name));
        return;
    }
    if (!e->root_ok)
        return;
    if (strcmp(name, "HEADER") == 0) {
        const char *u = attr(a, "TIME_UNITS");
        if (u && strcmp(u, "milliseconds") != 0)
            PROBLEM(e, line_now(e), "TIME_UNITS '%s' is not read; only "
                    "milliseconds (ELAN's default) are",
                    ds_import_ex(x1, u));
    } else if (strcmp(name, "TIME_SLOT") == 0) {
        on_slot(e, a);
    } else if (strcmp(name, "TIER") == 0) {
        on_tier(e, a);
    } else if (strcmp(name, "ALIGNABLE_ANNOTATION") == 0) {
        on_annotation(e, a, 0);
    } else if (strcmp(name, "REF_ANNOTATION") == 0) {
        on_annotation(e, a, 1);
    } else if (strcmp(name, "ANNOTATION_VALUE") == 0 && e->cur_an >= 0) {
        e->in_value = 1;
        e->text_len = 0;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    eaf_t *e = ud;
    e->depth--;
    if (strcmp(name, "TIER") == 0)
        e->cur_tier = -1;
    else if (strcmp(name, "ALIGNABLE_ANNOTATION") == 0 ||
             strcmp(name, "REF_ANNOTATION") == 0)
        e->cur_an = -1;
    else if (strcmp(name, "ANNOTATION_VALUE") == 0 && e->in_value) {
        e->in_value = 0;
        annot_t *n = &e->an[e->cur_an];
        free(n->value);
        if (!(n->value = strndup(e->text ? e->text : "", e->text_len)))
            e->oom = 1;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    eaf_t *e = ud;
    if (!e->in_value || len <= 0)
        return;
    if (e->text_len + (size_t)len + 1 > e->text_cap) {
        size_t cap = e->text_cap ? e->text_cap : 64;
        while (cap < e->text_len + (size_t)len + 1)
            cap *= 2;
        char *t = realloc(e->text, cap);
        if (!t) {
            e->oom = 1;
            return;
        }
        e->text = t;
        e->text_cap = cap;
    }
    memcpy(e->text + e->text_len, s, (size_t)len);
    e->text_len += (size_t)len;
}

/* Milliseconds of a slot; reports and returns -1 when it has none. */
static int slot_time(eaf_t *e, const annot_t *n, const char *ts, double *ms)
{
    char x1[80], x2[80];
    size_t i = ts ? ds_strmap_get(e->slot_index, ts, strlen(ts))
                  : (size_t)-1;
    if (i == (size_t)-1) {
        PROBLEM(e, n->line, "annotation '%s' refers to time slot '%s', "
                "which TIME_ORDER does not define", ds_import_ex(x1, n->id),
                ds_import_ex(x2, ts));
        return -1;
    }
    if (isnan(e->slot_ms[i])) {
        PROBLEM(e, n->line, "annotation '%s' has the unaligned time slot "
                "'%s' (no TIME_VALUE); align it in ELAN",
                ds_import_ex(x1, n->id), ds_import_ex(x2, ts));
        return -1;
    }
    *ms = e->slot_ms[i];
    return 0;
}

/* Begin and end of an annotation, following REF_ANNOTATION to the
 * alignable annotation it depends on. */
static int annot_times(eaf_t *e, const annot_t *n, double *b, double *en)
{
    char x1[80], x2[80];
    const annot_t *a = n;
    for (size_t hops = 0; a->ref; hops++) {
        size_t i = ds_strmap_get(e->an_index, a->ref, strlen(a->ref));
        if (i == (size_t)-1 || hops > e->n_an) {
            PROBLEM(e, n->line, "annotation '%s' refers to annotation "
                    "'%s', which is not in the document (or refers back "
                    "to itself)", ds_import_ex(x1, n->id),
                    ds_import_ex(x2, a->ref));
            return -1;
        }
        a = &e->an[i];
    }
    if (slot_time(e, n, a->ts1, b) || slot_time(e, n, a->ts2, en))
        return -1;
    if (*en < *b) {
        PROBLEM(e, n->line, "annotation '%s' ends before it begins",
                ds_import_ex(x1, n->id));
        return -1;
    }
    return 0;
}

static int emit_annotations(eaf_t *e, ds_import_row_fn emit, void *ctx,
                            ds_error_t *err)
{
    char x1[80];
    char *couple, *session;
    int r = ds_import_split_id(e->opts, e->src->stem, e->src->stem, &couple,
                               &session);
    if (r == DS_ENOMEM)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (r) {
        PROBLEM(e, 0, "file name '%s' does not match --id-pattern '%s' "
                "(group 1 = couple, group 2 = session)",
                ds_import_ex(x1, e->src->stem), e->opts->id_pattern_text);
        return DS_OK;
    }
    for (size_t t = 0; t < e->n_tiers; t++) {
        tier_t *tr = &e->tiers[t];
        if (!tr->actor && !tr->skip)
            PROBLEM(e, tr->line, "unknown tier '%s': map it to an actor "
                    "with --tier-actor '%s=ACTOR' (or leave it out with "
                    "TIER=-)", ds_import_ex(x1, tr->name), x1);
    }
    int rc = DS_OK;
    for (size_t i = 0; i < e->n_an && rc == DS_OK; i++) {
        const annot_t *n = &e->an[i];
        const tier_t *tr = &e->tiers[n->tier];
        double b, en;
        if (!tr->actor || annot_times(e, n, &b, &en))
            continue;
        ds_import_row_t row = {
            .couple = couple, .session = session, .actor = tr->actor,
            .subject = tr->name, .code = n->value ? n->value : "",
            .code_field = "ANNOTATION_VALUE", .onset = b / 1000,
            .duration = ds_round_ns((en - b) / 1000), .start = NAN, .end = NAN,
            .loc = {.file = e->src->name, .line = n->line}};
        rc = emit(&row, ctx);
    }
    free(couple);
    free(session);
    return rc;
}

static void eaf_clear(eaf_t *e)
{
    for (size_t i = 0; i < e->n_tiers; i++)
        free(e->tiers[i].name);
    for (size_t i = 0; i < e->n_an; i++) {
        free(e->an[i].id);
        free(e->an[i].ts1);
        free(e->an[i].ts2);
        free(e->an[i].ref);
        free(e->an[i].value);
    }
    free(e->tiers);
    free(e->an);
    free(e->slot_ms);
    free(e->text);
    ds_strmap_free(e->slot_index);
    ds_strmap_free(e->an_index);
    if (e->xp)
        XML_ParserFree(e->xp);
}

static int read_eaf(const ds_import_src_t *src, const ds_import_opts_t *opts,
                    ds_import_row_fn emit, void *ctx, ds_diag_t *diag,
                    ds_error_t *err)
{
    eaf_t e = {.src = src, .opts = opts, .diag = diag, .cur_tier = -1,
               .cur_an = -1, .slot_index = ds_strmap_alloc(),
               .an_index = ds_strmap_alloc(), .xp = XML_ParserCreate(NULL)};
    int rc = DS_OK;
    if (!e.slot_index || !e.an_index || !e.xp) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    XML_SetUserData(e.xp, &e);
    XML_SetElementHandler(e.xp, on_start, on_end);
    XML_SetCharacterDataHandler(e.xp, on_text);
    if (src->len > (size_t)INT32_MAX) {
        rc = ds_error_set(err, DS_EIO, "%s: too large for an ELAN document",
                          src->name);
        goto done;
    }
    if (XML_Parse(e.xp, src->data, (int)src->len, 1) == XML_STATUS_ERROR) {
        if (e.oom) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto done;
        }
        ds_diag_error(diag, src->name,
                      (size_t)XML_GetCurrentLineNumber(e.xp), NULL,
                      "not valid XML (column %lu): %s",
                      (unsigned long)XML_GetCurrentColumnNumber(e.xp) + 1,
                      XML_ErrorString(XML_GetErrorCode(e.xp)));
        rc = DS_EDATA;
        goto done;
    }
    if (e.oom) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    if (!e.root_ok) {
        rc = DS_EDATA;
        goto done;
    }
    rc = emit_annotations(&e, emit, ctx, err);
done:
    eaf_clear(&e);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Tab-delimited text                                                  */

enum { K_OTHER, K_HMS, K_SEC, K_MS };

static int kind_of(const char *s, double *sec)
{
    size_t ms;
    if (strchr(s, ':'))
        return ds_parse_time(s, sec) == DS_NUM_OK ? K_HMS : K_OTHER;
    if (strchr(s, '.'))
        return ds_parse_seconds(s, sec) == DS_NUM_OK ? K_SEC : K_OTHER;
    if (*s && ds_parse_size(s, &ms) == 0) {
        *sec = (double)ms / 1000;
        return K_MS;
    }
    return K_OTHER;
}

typedef struct txt {
    const ds_import_src_t *src;
    const ds_import_opts_t *opts;
    ds_import_row_fn emit;
    void *ctx;
    ds_diag_t *diag;
    ds_error_t *err;
    char *couple, *session;
    int decided, participant;
    size_t width, k, groups;   /* formats per time, time groups */
    ds_strmap_t *told;         /* tiers reported as unknown */
    int rc;
} txt_t;

/* The layout from the first row; 0 when it was found. */
static int layout(txt_t *t, const ds_csv_row_t *row)
{
    size_t n = row->n, first;
    double v;
    if (n < 4)
        return -1;
    t->participant = kind_of(row->field[1], &v) == K_OTHER;
    first = 1 + (size_t)t->participant;
    if (n < first + 3)
        return -1;
    size_t T = n - 1 - first;
    int kinds[64];
    if (T > 64)
        return -1;
    for (size_t i = 0; i < T; i++)
        if ((kinds[i] = kind_of(row->field[first + i], &v)) == K_OTHER)
            return -1;
    for (size_t k = 1; k <= T / 2; k++) {
        if (T % k || (T / k != 2 && T / k != 3))
            continue;
        int ok = 1;
        for (size_t i = k; i < T && ok; i++)
            ok = kinds[i] == kinds[i % k];
        if (ok) {
            t->k = k;
            t->groups = T / k;
            t->width = n;
            return 0;
        }
    }
    return -1;
}

/* The seconds of time group g of a row; -1 when a format disagrees. */
static int group_time(const txt_t *t, const ds_csv_row_t *row, size_t g,
                      double *out)
{
    size_t first = 1 + (size_t)t->participant + g * t->k;
    for (size_t i = 0; i < t->k; i++) {
        double v;
        if (kind_of(row->field[first + i], &v) == K_OTHER)
            return -1;
        if (i == 0)
            *out = v;
        else if (fabs(v - *out) > 0.0015)
            return -1;
    }
    return 0;
}

static int txt_row(const ds_csv_row_t *row, void *vt)
{
    txt_t *t = vt;
    ds_import_loc_t l = {.file = t->src->name, .line = row->line};
    char ex[80];
    if (row->n == 1 && row->field[0][0] == '#')
        return 0;  /* a media header line */
    if (!t->decided) {
        if (layout(t, row)) {
            ds_import_error(t->diag, &l, NULL,
                            "not ELAN's tab-delimited export: expected "
                            "TIER[, PARTICIPANT], begin and end (and "
                            "duration) as hh:mm:ss.ms, ss.msec or ms, and "
                            "the annotation");
            return 1;
        }
        t->decided = 1;
    }
    if (row->n != t->width) {
        ds_import_error(t->diag, &l, NULL, "%zu fields, but the first row "
                        "has %zu", row->n, t->width);
        return 0;
    }
    double b, en;
    if (group_time(t, row, 0, &b) || group_time(t, row, 1, &en) ||
        en < b) {
        ds_import_error(t->diag, &l, NULL,
                        "cannot read the begin and end times (or they "
                        "disagree between formats, or end < begin)");
        return 0;
    }
    const char *tier = row->field[0];
    int skip;
    const char *actor = ds_import_map_actor(t->opts, t->opts->tier_actor,
                                            t->opts->n_tier_actor, tier,
                                            &skip);
    if (skip)
        return 0;
    if (!actor) {
        if (ds_strmap_get(t->told, tier, strlen(tier)) == (size_t)-1) {
            if (ds_strmap_put(t->told, tier, strlen(tier), 0))
                t->diag->oom = 1;
            ds_import_error(t->diag, &l, NULL,
                            "unknown tier '%s': map it to an actor with "
                            "--tier-actor '%s=ACTOR' (or leave it out with "
                            "TIER=-)", ds_import_ex(ex, tier), ex);
        }
        return 0;
    }
    ds_import_row_t r = {
        .couple = t->couple, .session = t->session, .actor = actor,
        .subject = tier, .code = row->field[row->n - 1],
        .code_field = NULL, .onset = b, .duration = ds_round_ns(en - b),
        .start = NAN, .end = NAN, .loc = l};
    return t->emit(&r, t->ctx);
}

static int read_txt(const ds_import_src_t *src, const ds_import_opts_t *opts,
                    ds_import_row_fn emit, void *ctx, ds_diag_t *diag,
                    ds_error_t *err)
{
    txt_t t = {.src = src, .opts = opts, .emit = emit, .ctx = ctx,
               .diag = diag, .err = err, .told = ds_strmap_alloc()};
    if (!t.told)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    int rc = ds_import_split_id(opts, src->stem, src->stem, &t.couple,
                                &t.session);
    if (rc == DS_ENOMEM) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    } else if (rc) {
        char ex[80];
        ds_diag_error(diag, src->name, 0, NULL,
                      "file name '%s' does not match --id-pattern '%s' "
                      "(group 1 = couple, group 2 = session)",
                      ds_import_ex(ex, src->stem), opts->id_pattern_text);
        rc = DS_EDATA;
    } else {
        rc = ds_import_csv(src, '\t', 0, txt_row, &t, diag, err);
    }
    free(t.couple);
    free(t.session);
    ds_strmap_free(t.told);
    return rc;
}

int ds_import_elan(const ds_import_src_t *src, const ds_import_opts_t *opts,
                   ds_import_row_fn emit, void *ctx, ds_diag_t *diag,
                   ds_error_t *err)
{
    const char *s = src->data, *e = s + src->len;
    if (src->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    if (s < e && *s == '<')
        return read_eaf(src, opts, emit, ctx, diag, err);
    return read_txt(src, opts, emit, ctx, diag, err);
}
