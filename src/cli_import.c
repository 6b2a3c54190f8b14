/*
 * cli_import.c — other tools' files for the commands: choose the format
 * (--from/--format, or the inputs' extensions), read every input with its
 * importer into a checked study (import.h), print every problem; and the
 * study as a corpus for validate/analyze --format. Transcripts ("--from
 * transcript") go through the transcript reader itself, so convert --to
 * sdis checks them exactly as validate does.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "dyadseq/ingest.h"
#include "import_corpus.h"
#include "text.h"


void ds_cli_import_clear(ds_cli_import_t *x)
{
    ds_import_study_free(x->study);
    ds_codebook_free(x->codebook);
    ds_free_list(x->actors, x->n_actors);
    memset(x, 0, sizeof *x);
}

/* Codebook and actors of the options; an exit status. */
static int setup(const ds_common_opts_t *o, ds_cli_import_t *x)
{
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    int status = DS_EXIT_DATA;
    if (ds_split_list(o->actors, &x->actors, &x->n_actors)) {
        ds_msg_error("out of memory");
        goto done;
    }
    if (ds_check_actors(x->actors, x->n_actors)) {
        status = DS_EXIT_USAGE;
        goto done;
    }
    if (o->codebook) {
        int rc = ds_codebook_load(o->codebook, &x->codebook, &diag, &err);
        if (rc) {
            if (rc == DS_EDATA)
                ds_print_diag(&diag, o->quiet);
            else
                ds_msg_error("%s", err.msg);
            goto done;
        }
    } else if (!(x->codebook = ds_codebook_alloc_default())) {
        ds_msg_error("out of memory");
        goto done;
    }
    status = DS_EXIT_OK;
done:
    ds_diag_clear(&diag);
    return status;
}

static const char *format_list(void)
{
    return "boris, elan, sdis, columns, intervals, transcript";
}

/* The one format whose own extensions the files of a directory have
 * (.eaf, .boris, .sds), or NULL. */
static const ds_importer_t *dir_format(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    DIR *d = opendir(path);
    const ds_importer_t *f = NULL;
    int several = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        const ds_importer_t *g = ds_importer_for_path(e->d_name);
        if (g && f && g != f)
            several = 1;
        if (g)
            f = g;
    }
    if (d)
        closedir(d);
    return several ? NULL : f;
}

int ds_cli_import_wanted(const ds_common_opts_t *o, char *const *inputs,
                         size_t n_inputs)
{
    if (o->format)
        return strcmp(o->format, "transcript") != 0;
    if (o->import.columns_given)
        return 1;
    for (size_t i = 0; i < n_inputs; i++)
        if (!ds_importer_for_path(inputs[i]) && !dir_format(inputs[i]))
            return 0;
    return n_inputs > 0;
}

/* The importer of the inputs (NULL: transcripts); an exit status. */
static int choose(const ds_common_opts_t *o, const char *cmd,
                  char *const *inputs, size_t n, const ds_importer_t **imp)
{
    *imp = NULL;
    if (o->format) {
        if (strcmp(o->format, "transcript") == 0)
            return DS_EXIT_OK;
        if (!(*imp = ds_importer_find(o->format)))
            return ds_usage_error(cmd, "unknown format '%s' (formats: %s)",
                                  o->format, format_list());
        if ((*imp)->read == ds_import_intervals &&
            (!o->import.interval_given || !o->import.n_code_map))
            return ds_usage_error(cmd, "--from intervals needs the "
                                  "interval length, --interval SECONDS, "
                                  "and the codes' columns, --code "
                                  "ACTOR:CODE=COLUMN (docs/convert.md)");
        return DS_EXIT_OK;
    }
    if (o->import.columns_given) {
        *imp = ds_importer_find("columns");
        return DS_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        const ds_importer_t *f = ds_importer_for_path(inputs[i]);
        if (!f)
            f = dir_format(inputs[i]);
        if (!f || (*imp && f != *imp))
            return ds_usage_error(cmd, "cannot tell the format of '%s' from "
                                  "its name; give --from FORMAT (%s)",
                                  inputs[i], format_list());
        *imp = f;
    }
    return DS_EXIT_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(char ***v, size_t *n, const char *s)
{
    char **p = realloc(*v, (*n + 1) * sizeof *p);
    if (!p)
        return -1;
    *v = p;
    if (!(p[*n] = ds_strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

/* Inputs with directories replaced by their files of the format's
 * extensions, by name; an exit status (message printed). */
static int expand(char *const *inputs, size_t n, const ds_importer_t *imp,
                  char ***paths, size_t *np)
{
    *paths = NULL;
    *np = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(inputs[i], "-") == 0 || stat(inputs[i], &st) != 0 ||
            !S_ISDIR(st.st_mode)) {
            if (push(paths, np, inputs[i]))
                goto oom;
            continue;
        }
        DIR *d = opendir(inputs[i]);
        if (!d) {
            ds_msg_error("cannot open directory '%s': %s", inputs[i],
                         strerror(errno));
            return DS_EXIT_DATA;
        }
        size_t first = *np, al = strlen(inputs[i]);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.' ||
                !ds_import_has_extension(e->d_name, imp->dir_files))
                continue;
            size_t l = al + strlen(e->d_name) + 2;
            char *full = malloc(l);
            if (!full) {
                closedir(d);
                goto oom;
            }
            snprintf(full, l, "%s%s%s", inputs[i],
                     al && inputs[i][al - 1] == '/' ? "" : "/", e->d_name);
            int bad = stat(full, &st) == 0 && !S_ISDIR(st.st_mode) &&
                      push(paths, np, full);
            free(full);
            if (bad) {
                closedir(d);
                goto oom;
            }
        }
        closedir(d);
        if (*np == first) {
            ds_msg_error("no %s files (%s) in directory '%s'", imp->name,
                         imp->dir_files, inputs[i]);
            return DS_EXIT_DATA;
        }
        qsort(*paths + first, *np - first, sizeof **paths, cmp_str);
    }
    return DS_EXIT_OK;
oom:
    ds_msg_error("out of memory");
    return DS_EXIT_DATA;
}

/* The whole of a file ("-": standard input), NUL-terminated. */
static int read_all(const char *path, char **data, size_t *len)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    *data = NULL;
    *len = 0;
    if (!fp)
        return -1;
    size_t cap = 0;
    for (;;) {
        if (*len + 65536 + 1 > cap) {
            size_t c = cap ? 2 * cap : 131072;
            char *p = realloc(*data, c);
            if (!p) {
                errno = ENOMEM;
                break;
            }
            *data = p;
            cap = c;
        }
        size_t k = fread(*data + *len, 1, 65536, fp);
        *len += k;
        if (k < 65536) {
            int bad = ferror(fp);
            if (fp != stdin)
                fclose(fp);
            if (bad)
                return -1;
            (*data)[*len] = '\0';
            return 0;
        }
    }
    if (fp != stdin)
        fclose(fp);
    return -1;
}

/* The file name without directories and its last extension. */
static char *stem_of(const char *path)
{
    if (strcmp(path, "-") == 0)
        return ds_strdup("stdin");
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    return strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

/* One input through its importer into the study; DS_* code. */
static int import_one(const ds_common_opts_t *o, const ds_importer_t *imp,
                      const char *path, ds_import_study_t *st,
                      ds_diag_t *diag, ds_error_t *err)
{
    char *data, *stem = NULL;
    size_t len;
    if (read_all(path, &data, &len)) {
        int e = errno;
        free(data);
        return ds_error_set(err, DS_EIO, "cannot read input '%s': %s", path,
                            strerror(e));
    }
    int rc = DS_ENOMEM;
    if (!(stem = stem_of(path)))
        goto done;
    rc = ds_import_study_begin_input(st, path, data, len, err);
    if (rc)
        goto done;
    ds_import_src_t src = {.name = path, .stem = stem, .data = data,
                           .len = len};
    ds_import_sink_t sink = {.study = st, .diag = diag, .err = err};
    ds_import_opts_t io = o->import;
    rc = imp->read(&src, &io, ds_import_study_emit, &sink, diag, err);
done:
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    free(stem);
    free(data);
    return rc;
}

/* Transcripts through the transcript reader, then as a study. */
static int from_transcripts(const ds_common_opts_t *o, char *const *inputs,
                            size_t n, ds_cli_import_t *x, ds_diag_t *diag,
                            ds_error_t *err)
{
    ds_ingest_opts_t io = {.codebook = x->codebook,
                           .actors = (const char *const *)x->actors,
                           .n_actors = x->n_actors, .sort = o->sort,
                           .merge = o->merge, .verbose = o->verbose};
    ds_corpus_t *c = NULL;
    int rc = ds_ingest_load((const char *const *)inputs, n, &io, &c, diag,
                            err);
    if (rc)
        return rc;
    ds_import_study_t *st = x->study;
    st->check_overlap = 0;
    for (size_t f = 0; f < c->n_files && rc == DS_OK; f++) {
        rc = ds_import_study_begin_input(st, c->files[f], "", 0, err);
        if (rc == DS_OK)
            memcpy(st->sha256[f], c->sha256[f], sizeof st->sha256[f]);
    }
    for (size_t s = 0; s < c->n_sessions && rc == DS_OK; s++) {
        const ds_session_t *ss = &c->sessions[s];
        for (size_t e = 0; e < ss->n && rc == DS_OK; e++) {
            size_t k = ss->state[e];
            ds_import_row_t row = {
                .couple = ss->couple, .session = ss->label,
                .actor = c->has_actor ? c->actors[c->state_actor[k]] : NULL,
                .code = c->codebook->code[c->state_code[k]],
                .onset = c->has_time ? ss->onset[e] : NAN,
                .duration = c->has_duration ? ss->duration[e] : NAN,
                .start = NAN, .end = NAN,
                .loc = {.file = c->files[ss->file[e]], .line = ss->line[e]}};
            if (ss->n_periods) { /* the observation period goes along */
                row.start = ds_session_start(ss);
                row.end = ds_session_end(ss);
                if (ss->n_periods > 1) {
                    row.stretch = ss->period;
                    row.n_stretches = ss->n_periods;
                }
            }
            st->input = ss->file[e];
            rc = ds_import_study_add(st, &row, diag, err);
        }
    }
    ds_corpus_free(c);
    return rc;
}

int ds_cli_import(const ds_common_opts_t *o, char *const *inputs,
                  size_t n_inputs, ds_cli_import_t *x)
{
    memset(x, 0, sizeof *x);
    const char *cmd = o->cmd;
    const ds_importer_t *imp;
    char **paths = NULL, msg[512];
    size_t np = 0;
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    int status = setup(o, x), rc = DS_OK;
    if (status)
        goto done;
    if ((status = choose(o, cmd, inputs, n_inputs, &imp)))
        goto done;
    ds_import_opts_t io = o->import;
    io.actors = (const char *const *)x->actors;
    io.n_actors = x->n_actors;
    if (ds_import_opts_check(&io, msg, sizeof msg)) {
        status = ds_usage_error(cmd, "%s", msg);
        goto done;
    }
    status = DS_EXIT_DATA;
    x->study = ds_import_study_alloc(x->codebook,
                                     (const char *const *)x->actors,
                                     x->n_actors, o->merge);
    if (!x->study) {
        ds_msg_error("out of memory");
        goto done;
    }
    if (!imp) {
        rc = from_transcripts(o, inputs, n_inputs, x, &diag, &err);
    } else {
        ds_common_opts_t oo = *o;
        oo.import = io;
        if ((status = expand(inputs, n_inputs, imp, &paths, &np)))
            goto done;
        status = DS_EXIT_DATA;
        for (size_t i = 0; i < np && (rc == DS_OK || rc == DS_EDATA); i++)
            rc = import_one(&oo, imp, paths[i], x->study, &diag, &err);
    }
    if (rc == DS_OK || rc == DS_EDATA) {
        int r2 = ds_import_study_finish(x->study, &diag, &err);
        rc = rc ? rc : r2;
        if (r2 == DS_ENOMEM)
            rc = r2;
    }
    if (rc == DS_OK && x->study->n_events == 0) {
        ds_msg_error("no events in the input%s", np == 1 ? "" : "s");
        goto done;
    }
    if (diag.n_errors || diag.n_warnings)
        ds_print_diag(&diag, o->quiet);
    if (rc && rc != DS_EDATA)
        ds_msg_error("%s", err.msg);
    else if (rc == DS_OK && !diag.n_errors)
        status = DS_EXIT_OK;
done:
    if (status)
        ds_cli_import_clear(x);
    ds_free_list(paths, np);
    ds_diag_clear(&diag);
    return status;
}

int ds_cli_import_corpus(const ds_common_opts_t *o, char *const *inputs,
                         size_t n_inputs, ds_corpus_t **out)
{
    ds_cli_import_t x;
    *out = NULL;
    int status = ds_cli_import(o, inputs, n_inputs, &x);
    if (status)
        return status;
    ds_ingest_opts_t io = {.codebook = x.codebook,
                           .actors = (const char *const *)x.actors,
                           .n_actors = x.n_actors};
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    int rc = ds_import_corpus(x.study, &io, out, &diag, &err);
    if (diag.n_errors || diag.n_warnings)
        ds_print_diag(&diag, o->quiet);
    if (rc && rc != DS_EDATA)
        ds_msg_error("%s", err.msg);
    ds_diag_clear(&diag);
    ds_cli_import_clear(&x);
    return rc ? DS_EXIT_DATA : DS_EXIT_OK;
}
