/*
 * agree_input.c — reading, splitting, checking and matching the two codings
 * of `dyadseq agree` (see agree_input.h).
 */
#include "agree_input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "ingest_internal.h"
#include "sha256.h"
#include "text.h"

void ds_agree_files_clear(ds_agree_files_t *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->name[i]);
    free(f->name);
    free(f->sha256);
    memset(f, 0, sizeof *f);
}

/* ---- splitting inputs by coder -------------------------------------- */

/* Read a whole file ("-": standard input) into memory, with its digest. */
static int slurp(const char *path, char **buf, size_t *len, char sha[65],
                 ds_error_t *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp)
        return ds_error_set(err, DS_EIO, "cannot read input '%s': %s", path,
                            strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    ds_sha256_t h;
    ds_sha256_init(&h);
    int rc = DS_OK;
    while (b) {
        if (n == cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, fp);
        ds_sha256_update(&h, b + n, got);
        n += got;
        if (got == 0)
            break;
    }
    if (!b)
        rc = ds_error_set(err, DS_ENOMEM, "out of memory reading '%s'", path);
    else if (ferror(fp))
        rc = ds_error_set(err, DS_EIO, "cannot read input '%s': %s", path,
                          strerror(errno));
    if (!is_stdin)
        fclose(fp);
    if (rc) {
        free(b);
        return rc;
    }
    ds_sha256_final_hex(&h, sha);
    *buf = b;
    *len = n;
    return DS_OK;
}

typedef struct split {
    const char *name;
    const char *const *coder; /* [2] */
    long col;                 /* the coder column, -1 before the header */
    size_t n, cap;
    size_t *line;             /* [n] first line of each data row */
    signed char *who;         /* [n] 0, 1, or -1: in neither coding */
    size_t count[2];          /* rows of each coder */
    ds_diag_t *diag;
} split_t;

static int on_split_row(const ds_csv_row_t *row, void *vctx)
{
    split_t *s = vctx;
    if (row->index == 0) {
        for (size_t i = 0; i < row->n; i++)
            if (strcasecmp(row->field[i], "coder") == 0 && s->col < 0)
                s->col = (long)i;
        if (s->col < 0) {
            ds_diag_error(s->diag, s->name, row->line, "coder",
                          "no such column; --coders %s,%s splits the rows "
                          "by it", s->coder[0], s->coder[1]);
            return 1; /* stop: this file cannot be split */
        }
        return 0;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        size_t *l = realloc(s->line, cap * sizeof *l);
        if (!l)
            return DS_ENOMEM;
        s->line = l;
        signed char *w = realloc(s->who, cap * sizeof *w);
        if (!w)
            return DS_ENOMEM;
        s->who = w;
        s->cap = cap;
    }
    signed char who = -1;
    if ((size_t)s->col >= row->n) {
        /* a short row: the first coding's reader reports it */
        who = 0;
    } else {
        const char *v = row->field[s->col];
        char ex[96];
        ds_excerpt(ex, v, 80);
        if (strcmp(v, s->coder[0]) == 0) {
            who = 0;
        } else if (strcmp(v, s->coder[1]) == 0) {
            who = 1;
        } else if (!*v) {
            ds_diag_error(s->diag, s->name, row->line, "coder",
                          "empty; with --coders every row names its coder");
        } else {
            const char *near = ds_suggest(v, s->coder, 2);
            ds_diag_error(s->diag, s->name, row->line, "coder",
                          "'%s' is not one of --coders %s,%s%s%s%s", ex,
                          s->coder[0], s->coder[1],
                          near ? " (did you mean '" : "", near ? near : "",
                          near ? "'?)" : "");
        }
    }
    s->line[s->n] = row->line;
    s->who[s->n++] = who;
    if (who >= 0)
        s->count[who]++;
    return 0;
}

/*
 * The bytes of buf with every data row not of coding k replaced by empty
 * lines (its line feeds kept), so the rows of coding k keep their lines.
 * A row runs from its first line to the line before the next row.
 */
static char *blank_others(const char *buf, size_t len, const split_t *s,
                          int k, size_t *out_len)
{
    char *out = malloc(len ? len : 1);
    if (!out)
        return NULL;
    size_t line = 1, r = 0, o = 0;
    for (size_t i = 0; i < len;) {
        /* the row this line belongs to: the last row starting at or
         * before it (lines before the first data row are the header) */
        while (r < s->n && s->line[r] <= line)
            r++;
        int keep = r == 0 || s->who[r - 1] == k;
        size_t e = i;
        while (e < len && buf[e] != '\n')
            e++;
        if (keep) {
            memcpy(out + o, buf + i, e - i);
            o += e - i;
        }
        if (e < len)
            out[o++] = '\n';
        i = e + 1;
        line++;
    }
    *out_len = o;
    return out;
}

static int add_file(ds_agree_files_t *f, const char *name,
                    const char sha[65])
{
    char **n = realloc(f->name, (f->n + 1) * sizeof *n);
    if (!n)
        return -1;
    f->name = n;
    char(*h)[65] = realloc(f->sha256, (f->n + 1) * sizeof *h);
    if (!h)
        return -1;
    f->sha256 = h;
    if (!(f->name[f->n] = ds_strdup(name)))
        return -1;
    memcpy(f->sha256[f->n], sha, 65);
    f->n++;
    return 0;
}

/* Split one input and feed each coding's part to its builder; fed[k]
 * (when the part has rows) says so. */
static int split_one(const char *path, const char *const coder[2],
                     ds_ingest_t *b[2], int fed[2], char sha[65],
                     ds_diag_t *diag, ds_error_t *err)
{
    char *buf = NULL, *part = NULL;
    size_t len = 0, plen = 0;
    split_t s = {.name = path, .coder = coder, .col = -1, .diag = diag};
    fed[0] = fed[1] = 0;
    int rc = slurp(path, &buf, &len, sha, err);
    if (rc)
        return rc;
    FILE *fp = fmemopen(buf, len ? len : 1, "rb");
    if (!fp) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    if (len == 0) /* fmemopen needs a size: an empty file reads as empty */
        fseek(fp, 1, SEEK_SET);
    rc = ds_csv_read(fp, path, on_split_row, &s, diag, NULL, err);
    fclose(fp);
    if (rc == DS_ENOMEM)
        ds_error_set(err, rc, "out of memory");
    if (rc == DS_EDATA || s.col < 0) {
        rc = DS_OK; /* reported in diag */
        goto done;
    }
    if (rc)
        goto done;
    for (int k = 0; k < 2 && !rc; k++) {
        if (s.count[k] == 0)
            continue;
        if (!(part = blank_others(buf, len, &s, k, &plen)) ||
            !(fp = fmemopen(part, plen, "rb"))) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            break;
        }
        rc = ds_ingest_file(b[k], fp, path, diag, err);
        fclose(fp);
        free(part);
        part = NULL;
        if (rc == DS_EDATA)
            rc = DS_OK; /* reported in diag */
        fed[k] = 1;
    }
done:
    free(part);
    free(s.line);
    free(s.who);
    free(buf);
    return rc;
}

int ds_agree_load_coders(const char *const *args, size_t n_args,
                         const char *const coder[2],
                         const ds_ingest_opts_t *const opts[2],
                         ds_corpus_t *out[2], ds_agree_files_t *files,
                         ds_diag_t *diag, ds_error_t *err)
{
    char **paths = NULL;
    size_t n_paths = 0, *fed_index[2] = {NULL, NULL}, n_fed[2] = {0, 0};
    ds_ingest_t *b[2] = {NULL, NULL};
    out[0] = out[1] = NULL;
    memset(files, 0, sizeof *files);
    int rc = ingest_paths_alloc(args, n_args, &paths, &n_paths, err);
    if (rc)
        return rc;
    for (int k = 0; k < 2; k++)
        if (!(b[k] = ds_ingest_alloc(opts[k])) ||
            !(fed_index[k] = malloc((n_paths ? n_paths : 1) *
                                    sizeof *fed_index[k])))
            goto oom;
    for (size_t i = 0; i < n_paths && !rc; i++) {
        char sha[65];
        int fed[2];
        rc = split_one(paths[i], coder, b, fed, sha, diag, err);
        if (!rc && add_file(files, paths[i], sha))
            goto oom;
        for (int k = 0; k < 2; k++)
            if (fed[k])
                fed_index[k][n_fed[k]++] = files->n - 1;
    }
    if (rc)
        goto fail;
    for (int k = 0; k < 2; k++)
        if (n_fed[k] == 0 && diag->n_errors == 0)
            ds_diag_error(diag, NULL, 0, "coder", "no row has the coder '%s' "
                          "of --coders %s,%s", coder[k], coder[0], coder[1]);
    if (diag->n_errors) {
        rc = DS_EDATA;
        goto fail;
    }
    for (int k = 0; k < 2 && !rc; k++)
        rc = ds_ingest_finish(b[k], &out[k], diag, err);
    if (rc)
        goto fail;
    /* the corpora digested the blanked copies: record the inputs' own */
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < n_fed[k] && i < out[k]->n_files; i++)
            memcpy(out[k]->sha256[i], files->sha256[fed_index[k][i]], 65);
    goto done;
oom:
    rc = ds_error_set(err, DS_ENOMEM, "out of memory");
fail:
    for (int k = 0; k < 2; k++) {
        ds_corpus_free(out[k]);
        out[k] = NULL;
    }
    ds_agree_files_clear(files);
done:
    for (int k = 0; k < 2; k++) {
        ds_ingest_free(b[k]);
        free(fed_index[k]);
    }
    ingest_paths_free(paths, n_paths);
    return rc;
}

/* ---- checking and matching ------------------------------------------ */

int ds_agree_check_codebooks(const ds_codebook_t *a, const ds_codebook_t *b,
                             const char *const cb_name[2], ds_error_t *err)
{
    for (size_t i = 0; i < a->n; i++)
        if (ds_codebook_find(b, a->code[i]) < 0)
            return ds_error_set(err, DS_EDATA, "%s: column 'code': the "
                                "code '%s' of the first coding's codebook "
                                "(%s) is missing; both codings need the "
                                "same codes", cb_name[1], a->code[i],
                                cb_name[0]);
    for (size_t j = 0; j < b->n; j++) {
        long i = ds_codebook_find(a, b->code[j]);
        if (i < 0)
            return ds_error_set(err, DS_EDATA, "%s: column 'code': the "
                                "code '%s' is not in the first coding's "
                                "codebook (%s); both codings need the same "
                                "codes", cb_name[1], b->code[j], cb_name[0]);
        if (a->role[i] != b->role[j])
            return ds_error_set(err, DS_EDATA, "%s: column 'role': the code "
                                "'%s' is %s here but %s in the first "
                                "coding's codebook (%s)", cb_name[1],
                                b->code[j], ds_role_name(b->role[j]),
                                ds_role_name(a->role[i]), cb_name[0]);
    }
    return DS_OK;
}

/* The same codes with the same roles; a map from coding 1's states to
 * coding 0's. */
static int check_codebooks(const ds_corpus_t *c0, const ds_corpus_t *c1,
                           const char *const cb_name[2], size_t *map,
                           ds_error_t *err)
{
    const ds_codebook_t *a = c0->codebook, *b = c1->codebook;
    int rc = ds_agree_check_codebooks(a, b, cb_name, err);
    if (rc)
        return rc;
    size_t C = a->n;
    for (size_t s = 0; s < c1->n_states; s++) {
        long code = ds_codebook_find(a, b->code[c1->state_code[s]]);
        map[s] = c1->state_actor[s] >= 0
                     ? (size_t)c1->state_actor[s] * C + (size_t)code
                     : (size_t)code;
    }
    return DS_OK;
}

static int check_columns(const ds_corpus_t *c[2], const char *const name[2],
                         ds_error_t *err)
{
    if (c[0]->has_actor != c[1]->has_actor)
        return ds_error_set(err, DS_EDATA, "%s has an actor column and %s "
                            "has none; both codings need the same columns",
                            name[c[0]->has_actor ? 0 : 1],
                            name[c[0]->has_actor ? 1 : 0]);
    if (c[0]->has_time != c[1]->has_time)
        return ds_error_set(err, DS_EDATA, "%s has a time column and %s has "
                            "none; events are aligned by onset only when "
                            "both codings have one",
                            name[c[0]->has_time ? 0 : 1],
                            name[c[0]->has_time ? 1 : 0]);
    if (c[0]->n_actors != c[1]->n_actors)
        return ds_error_set(err, DS_EDATA, "the codings have %zu and %zu "
                            "actors", c[0]->n_actors, c[1]->n_actors);
    return DS_OK;
}

static int cmp_sessions(const ds_session_t *a, const ds_session_t *b)
{
    int r = strcmp(a->couple, b->couple);
    return r ? r : strcmp(a->label, b->label);
}

/* Index of label in the byte-ordered labels of c. */
static size_t label_index(const ds_corpus_t *c, const char *label)
{
    size_t lo = 0, hi = c->n_labels;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(c->labels[mid], label);
        if (r == 0)
            return mid;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0; /* not reached: a common session's label is in both */
}

void ds_agree_match_clear(ds_agree_match_t *m)
{
    free(m->view[0].sessions);
    free(m->view[1].sessions);
    free(m->single_which);
    free(m->single);
    memset(m, 0, sizeof *m);
}

int ds_agree_match(ds_corpus_t *coding[2], const char *const name[2],
                   const char *const codebook_name[2], ds_agree_match_t *m,
                   ds_error_t *err)
{
    const ds_corpus_t *cc[2] = {coding[0], coding[1]};
    ds_corpus_t *c0 = coding[0], *c1 = coding[1];
    memset(m, 0, sizeof *m);
    int rc = check_columns(cc, name, err);
    if (rc)
        return rc;
    size_t *map = malloc((c1->n_states ? c1->n_states : 1) * sizeof *map);
    if (!map)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    rc = check_codebooks(c0, c1, codebook_name, map, err);
    if (!rc)
        for (size_t s = 0; s < c1->n_sessions; s++)
            for (size_t e = 0; e < c1->sessions[s].n; e++)
                c1->sessions[s].state[e] =
                    (uint16_t)map[c1->sessions[s].state[e]];
    free(map);
    if (rc)
        return rc;

    size_t S0 = c0->n_sessions, S1 = c1->n_sessions, most = S0 + S1;
    for (int k = 0; k < 2; k++) {
        m->view[k] = *c0;
        m->view[k].has_duration = coding[k]->has_duration;
        m->view[k].files = coding[k]->files;
        m->view[k].sha256 = coding[k]->sha256;
        m->view[k].n_files = coding[k]->n_files;
        m->view[k].n_events = 0;
        m->view[k].sessions = malloc((most ? most : 1) * sizeof(ds_session_t));
    }
    m->single = malloc((most ? most : 1) * sizeof *m->single);
    m->single_which = malloc((most ? most : 1) * sizeof *m->single_which);
    if (!m->view[0].sessions || !m->view[1].sessions || !m->single ||
        !m->single_which) {
        ds_agree_match_clear(m);
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    size_t i = 0, j = 0, n = 0;
    while (i < S0 || j < S1) {
        int r = i == S0 ? 1 : j == S1 ? -1
                        : cmp_sessions(&c0->sessions[i], &c1->sessions[j]);
        if (r < 0 || r > 0) {
            m->single_which[m->n_single] = r < 0 ? 0 : 1;
            m->single[m->n_single++] = r < 0 ? &c0->sessions[i++]
                                             : &c1->sessions[j++];
            continue;
        }
        ds_session_t s1 = c1->sessions[j++];
        s1.label_index = label_index(c0, s1.label);
        m->view[0].sessions[n] = c0->sessions[i++];
        m->view[1].sessions[n] = s1;
        m->view[0].n_events += m->view[0].sessions[n].n;
        m->view[1].n_events += s1.n;
        n++;
    }
    m->n_common = n;
    m->view[0].n_sessions = m->view[1].n_sessions = n;
    if (n == 0) {
        rc = ds_error_set(err, DS_EDATA, "no session is in both codings: "
                          "%s has %zu session%s and %s has %zu, and no "
                          "(couple, session) is in both", name[0], S0,
                          S0 == 1 ? "" : "s", name[1], S1);
        ds_agree_match_clear(m);
    }
    return rc;
}
