/*
 * import.c — the table of formats and what the importers share: their
 * options (--subject-actor, --tier-actor, --id-pattern, --modifiers,
 * --columns), mapping source names to actors, observation ids to couple
 * and session, JSON Pointers for locations, and CSV/TSV input through
 * csvread (see import.h).
 */
#include "import.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "text.h"

const ds_importer_t ds_importers[] = {
    {"boris", ".boris", ".boris,.csv,.tsv",
     "BORIS project (.boris, JSON), or its aggregated events\n"
     "or events table export (CSV/TSV)",
     ds_import_boris},
    {"elan", ".eaf", ".eaf,.txt",
     "ELAN annotation document (.eaf, XML), or its\n"
     "tab-delimited text export",
     ds_import_elan},
    {"sdis", ".sds,.sdis", ".sds,.sdis",
     "SDIS of GSEQ: event, state, timed-event, interval data",
     ds_import_sdis},
    {"columns", "", ".csv,.tsv,.txt",
     "any tool's CSV/TSV with --columns (Observer XT,\n"
     "INTERACT, Datavyu)",
     ds_import_columns},
    {"intervals", "", ".csv,.tsv",
     "interval-coded sheets (0/1 per interval and code),\n"
     "wide or long, with --interval and --code",
     ds_import_intervals},
};
const size_t ds_n_importers = sizeof ds_importers / sizeof ds_importers[0];

const char *const ds_import_colkey_name[DS_N_COLKEYS] = {
    "couple", "session", "actor", "code", "time",
    "duration", "offset", "status", "start", "end", "interval"};

const ds_importer_t *ds_importer_find(const char *name)
{
    for (size_t i = 0; i < ds_n_importers; i++)
        if (strcmp(ds_importers[i].name, name) == 0)
            return &ds_importers[i];
    return NULL;
}

int ds_import_has_extension(const char *path, const char *exts)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot || !dot[1])
        return 0;
    size_t len = strlen(dot);
    for (const char *e = exts; e && *e;) {
        const char *c = strchr(e, ',');
        size_t el = c ? (size_t)(c - e) : strlen(e);
        if (el == len && strncasecmp(e, dot, len) == 0)
            return 1;
        e = c ? c + 1 : NULL;
    }
    return 0;
}

const ds_importer_t *ds_importer_for_path(const char *path)
{
    for (size_t i = 0; i < ds_n_importers; i++)
        if (ds_import_has_extension(path, ds_importers[i].extensions))
            return &ds_importers[i];
    return NULL;
}

void ds_import_opts_init(ds_import_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->interval = 1;
}

static void free_pairs(ds_import_pair_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].name);
        free(p[i].value);
    }
    free(p);
}

void ds_import_opts_clear(ds_import_opts_t *o)
{
    free_pairs(o->subject_actor, o->n_subject_actor);
    free_pairs(o->tier_actor, o->n_tier_actor);
    if (o->has_id_pattern)
        regfree(&o->id_pattern);
    free(o->id_pattern_text);
    for (int k = 0; k < DS_N_COLKEYS; k++)
        free(o->column[k]);
    free_pairs(o->code_map, o->n_code_map);
    ds_import_opts_init(o);
}

int ds_import_opt_map(ds_import_pair_t **list, size_t *n, const char *arg,
                      const char *opt, char *msg, size_t n_msg)
{
    const char *eq = strrchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        snprintf(msg, n_msg, "%s takes NAME=ACTOR, not '%s'", opt, arg);
        return -1;
    }
    for (size_t i = 0; i < *n; i++)
        if (strlen((*list)[i].name) == (size_t)(eq - arg) &&
            strncmp((*list)[i].name, arg, (size_t)(eq - arg)) == 0) {
            snprintf(msg, n_msg, "%s: '%.*s' is mapped twice", opt,
                     (int)(eq - arg), arg);
            return -1;
        }
    ds_import_pair_t *p = realloc(*list, (*n + 1) * sizeof *p);
    if (!p)
        return -2;
    *list = p;
    p[*n].name = strndup(arg, (size_t)(eq - arg));
    p[*n].value = ds_strdup(eq + 1);
    if (!p[*n].name || !p[*n].value) {
        free(p[*n].name);
        free(p[*n].value);
        return -2;
    }
    (*n)++;
    return 0;
}

int ds_import_opt_id_pattern(ds_import_opts_t *o, const char *arg, char *msg,
                             size_t n_msg)
{
    if (o->has_id_pattern) {
        regfree(&o->id_pattern);
        o->has_id_pattern = 0;
    }
    free(o->id_pattern_text);
    o->id_pattern_text = NULL;
    int rc = regcomp(&o->id_pattern, arg, REG_EXTENDED);
    if (rc == REG_ESPACE)
        return -2; /* out of memory, not a bad pattern */
    if (rc) {
        char why[256];
        regerror(rc, &o->id_pattern, why, sizeof why);
        snprintf(msg, n_msg, "--id-pattern '%s' is not a POSIX extended "
                 "regular expression: %s", arg, why);
        return -1;
    }
    if (o->id_pattern.re_nsub < 2) {
        regfree(&o->id_pattern);
        snprintf(msg, n_msg, "--id-pattern '%s' needs two groups: "
                 "(couple) and (session), e.g. '^(.*)_(pre|post)$'", arg);
        return -1;
    }
    o->has_id_pattern = 1;
    if (!(o->id_pattern_text = ds_strdup(arg)))
        return -2;
    return 0;
}

int ds_import_opt_modifiers(ds_import_opts_t *o, const char *arg, char *msg,
                            size_t n_msg)
{
    if (strcmp(arg, "ignore") == 0)
        o->modifiers_append = 0;
    else if (strcmp(arg, "append") == 0)
        o->modifiers_append = 1;
    else {
        snprintf(msg, n_msg, "--modifiers is ignore or append, not '%s'",
                 arg);
        return -1;
    }
    return 0;
}

int ds_import_opt_code(ds_import_opts_t *o, const char *arg, char *msg,
                       size_t n_msg)
{
    const char *eq = strrchr(arg, '=');
    const char *colon = eq ? memchr(arg, ':', (size_t)(eq - arg)) : NULL;
    if (!eq || eq == arg || !eq[1] || colon == arg ||
        (colon && colon + 1 == eq)) {
        snprintf(msg, n_msg, "--code takes ACTOR:CODE=COLUMN (a 0/1 column, "
                 "or the prefix of a run of them) or ACTOR=COLUMN (a column "
                 "listing the actor's codes), not '%s'", arg);
        return -1;
    }
    for (size_t i = 0; i < o->n_code_map; i++)
        if (strcmp(o->code_map[i].value, eq + 1) == 0) {
            snprintf(msg, n_msg, "--code: column '%s' is mapped twice",
                     eq + 1);
            return -1;
        }
    ds_import_pair_t *p = realloc(o->code_map,
                                  (o->n_code_map + 1) * sizeof *p);
    if (!p)
        return -2;
    o->code_map = p;
    p[o->n_code_map].name = strndup(arg, (size_t)(eq - arg));
    p[o->n_code_map].value = ds_strdup(eq + 1);
    if (!p[o->n_code_map].name || !p[o->n_code_map].value) {
        free(p[o->n_code_map].name);
        free(p[o->n_code_map].value);
        return -2;
    }
    o->n_code_map++;
    return 0;
}

/* One KEY=COL of --columns. */
static int column_item(ds_import_opts_t *o, const char *item, size_t len,
                       char *msg, size_t n_msg)
{
    const char *eq = memchr(item, '=', len);
    if (!eq || eq == item || eq == item + len - 1) {
        snprintf(msg, n_msg, "--columns takes KEY=COLUMN,... (e.g. "
                 "couple=Observation,code=Behavior), not '%.*s'",
                 (int)len, item);
        return -1;
    }
    size_t kl = (size_t)(eq - item), vl = len - kl - 1;
    if (kl == 4 && strncmp(item, "unit", 4) == 0) {
        if (vl == 1 && eq[1] == 's')
            o->columns_ms = 0;
        else if (vl == 2 && strncmp(eq + 1, "ms", 2) == 0)
            o->columns_ms = 1;
        else {
            snprintf(msg, n_msg, "--columns: unit is s or ms, not '%.*s'",
                     (int)vl, eq + 1);
            return -1;
        }
        return 0;
    }
    for (int k = 0; k < DS_N_COLKEYS; k++)
        if (strlen(ds_import_colkey_name[k]) == kl &&
            strncmp(ds_import_colkey_name[k], item, kl) == 0) {
            if (o->column[k]) {
                snprintf(msg, n_msg, "--columns: %s is given twice",
                         ds_import_colkey_name[k]);
                return -1;
            }
            if (!(o->column[k] = strndup(eq + 1, vl)))
                return -2;
            return 0;
        }
    snprintf(msg, n_msg, "--columns: unknown key '%.*s' (keys: couple, "
             "session, actor, code, time, duration, offset, status, start, "
             "end, interval, unit)", (int)kl, item);
    return -1;
}

int ds_import_opt_columns(ds_import_opts_t *o, const char *arg, char *msg,
                          size_t n_msg)
{
    const char *p = arg;
    o->columns_given = 1;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        int rc = column_item(o, p, len, msg, n_msg);
        if (rc)
            return rc;
        if (!c)
            break;
        p = c + 1;
    }
    return 0;
}

static int is_actor(const ds_import_opts_t *o, const char *name)
{
    for (size_t i = 0; i < o->n_actors; i++)
        if (strcmp(o->actors[i], name) == 0)
            return 1;
    return 0;
}

int ds_import_opts_check(const ds_import_opts_t *o, char *msg, size_t n_msg)
{
    const struct {
        const char *opt;
        const ds_import_pair_t *p;
        size_t n;
    } lists[] = {{"--subject-actor", o->subject_actor, o->n_subject_actor},
                 {"--tier-actor", o->tier_actor, o->n_tier_actor}};
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l].n; i++) {
            const char *v = lists[l].p[i].value;
            if (strcmp(v, "-") == 0 || is_actor(o, v))
                continue;
            size_t k = 0;
            int w = snprintf(msg, n_msg, "%s %s=%s: '%s' is not one of "
                             "--actors (", lists[l].opt, lists[l].p[i].name,
                             v, v);
            k = w > 0 ? (size_t)w : 0;
            for (size_t a = 0; a < o->n_actors && k < n_msg; a++) {
                w = snprintf(msg + k, n_msg - k, "%s%s", a ? "," : "",
                             o->actors[a]);
                k += w > 0 ? (size_t)w : 0;
            }
            if (k < n_msg)
                snprintf(msg + k, n_msg - k, ")");
            return -1;
        }
    return 0;
}

const char *ds_import_map_actor(const ds_import_opts_t *o,
                                 const ds_import_pair_t *list, size_t n,
                                 const char *name, int *skip)
{
    *skip = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0) {
            if (strcmp(list[i].value, "-") == 0) {
                *skip = 1;
                return NULL;
            }
            return list[i].value;
        }
    for (size_t i = 0; i < o->n_actors; i++)
        if (strcmp(o->actors[i], name) == 0)
            return o->actors[i];
    return NULL;
}

int ds_import_split_id(const ds_import_opts_t *o, const char *id,
                       const char *stem, char **couple, char **session)
{
    *couple = *session = NULL;
    if (!o->has_id_pattern) {
        *couple = ds_strdup(stem);
        *session = ds_strdup(id);
    } else {
        regmatch_t m[3];
        int r = regexec(&o->id_pattern, id, 3, m, 0);
        if (r == REG_ESPACE)
            return DS_ENOMEM; /* not a mismatch */
        if (r != 0 || m[1].rm_so < 0 ||
            m[2].rm_so < 0 || m[1].rm_eo == m[1].rm_so ||
            m[2].rm_eo == m[2].rm_so)
            return 1;
        *couple = strndup(id + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
        *session = strndup(id + m[2].rm_so,
                           (size_t)(m[2].rm_eo - m[2].rm_so));
    }
    if (!*couple || !*session) {
        free(*couple);
        free(*session);
        *couple = *session = NULL;
        return DS_ENOMEM;
    }
    return 0;
}

void ds_import_error(ds_diag_t *d, const ds_import_loc_t *loc,
                     const char *column, const char *fmt, ...)
{
    char body[DS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (!loc->pointer) {
        ds_diag_error(d, loc->file, loc->line, column, "%s", body);
        return;
    }
    size_t n = strlen(loc->file) + strlen(loc->pointer) + 2;
    char *where = malloc(n);
    if (!where) {
        d->oom = 1;
        return;
    }
    snprintf(where, n, "%s:%s", loc->file, loc->pointer);
    ds_diag_error(d, where, 0, column, "%s", body);
    free(where);
}

const char *ds_import_ex(char *buf, const char *s)
{
    ds_excerpt(buf, s ? s : "", 60);
    return buf;
}

char *ds_json_pointer_append(const char *base, const char *s)
{
    size_t n = strlen(base) + 2;
    for (const char *p = s; *p; p++)
        n += (*p == '~' || *p == '/') ? 2 : 1;
    char *out = malloc(n), *q = out;
    if (!out)
        return NULL;
    q += sprintf(q, "%s/", base);
    for (const char *p = s; *p; p++) {
        if (*p == '~') {
            *q++ = '~';
            *q++ = '0';
        } else if (*p == '/') {
            *q++ = '~';
            *q++ = '1';
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return out;
}

void ds_format_seconds(char *buf, size_t n, double v)
{
    /* fixed notation with as few decimals as read back exactly; %.17g as
     * the last resort (never needed for times typed or exported by tools) */
    for (int d = 0; d <= 9; d++) {
        snprintf(buf, n, "%.*f", d, v);
        if (strtod(buf, NULL) == v)
            return;
    }
    snprintf(buf, n, "%.17g", v);
}

double ds_round_ns(double v)
{
    return isfinite(v) ? nearbyint(v * 1e9) / 1e9 : v;
}

int ds_import_csv(const ds_import_src_t *src, unsigned char delim, int header,
                  int (*fn)(const struct ds_csv_row *row, void *ctx),
                  void *ctx, ds_diag_t *diag, ds_error_t *err)
{
    /* the delimiter from the first line: tabs outnumber commas in a TSV */
    const char *p = src->data, *end = src->data + src->len;
    size_t tabs = 0, commas = 0;
    for (; p < end && *p != '\n'; p++) {
        tabs += *p == '\t';
        commas += *p == ',';
    }
    FILE *fp = fmemopen((void *)src->data, src->len ? src->len : 1, "rb");
    if (!fp)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (src->len == 0) /* fmemopen needs a size > 0: read nothing */
        fseek(fp, 0, SEEK_END);
    if (!delim)
        delim = tabs > commas ? '\t' : ',';
    int rc = ds_csv_read_delim(fp, src->name, delim, header, fn, ctx, diag,
                               NULL, err);
    fclose(fp);
    return rc;
}
