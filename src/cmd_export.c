/*
 * cmd_export.c — `dyadseq export FILE.h5 PATH`: print a dataset or a table
 * of a results file as tidy CSV (long format) for R and pandas (SPEC 5).
 *
 * Every dataset's `dimensions` attribute names its axes; each axis becomes
 * index columns:
 *   session            session_index (0-based row of /sessions), couple,
 *                      session (from /sessions/couple, /sessions/session)
 *   from, to, state,   the state label (/states/label; an axis one longer
 *   first, second      than the labels ends with "nil", as the agreement
 *                      matrix does)
 *   code               the code (/codebook/code)
 *   anything else      a 0-based integer index named after the axis
 * followed by the values. A single dataset gives one value column named
 * after it; a scalar prints "name,value". A group gives one table: its axes
 * are those of its member with the most axes, every member dataset whose
 * axes are among them is a column (creation order), and members with fewer
 * axes are repeated along the others — so the table-wise g2 of a session
 * repeats on each of its K×K cells and a pooled table's scalars on every
 * cell. Members that do not fit, and subgroups, are skipped with a note. A
 * member with the name of an index column (/sessions/couple) is not
 * repeated. A session_index column is followed by couple and session.
 *
 * Numbers: integers as integers; doubles with the fewest digits that read
 * back to the same double (at most 17); NaN as NA, infinities as Inf and
 * -Inf (read.csv and pandas read all three). Strings are quoted per RFC 4180
 * when needed. Large tables are read in blocks of whole chunks, so memory
 * stays bounded.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cli.h"
#include "csvread.h"
#include "layout_paths.h"
#include "results.h"

#define MAX_RANK DS_RESULTS_MAX_RANK
#define BLOCK_BYTES ((size_t)2 << 20) /* per column and block, about */

static const ds_cmd_spec_t spec = {
    .name = "export",
    .about = "Print a dataset or a table (group) of a results file as tidy "
             "CSV on standard\n"
             "         output: one row per cell, with session_index, couple, "
             "session, from\n"
             "         and to columns as the data have them, NaN as NA; e.g. "
             "PATH /lag/1/pooled\n"
             "         or /lag/1/session/yules_q. 'dyadseq info FILE' lists "
             "what a file holds;\n"
             "         schemas/results.md describes every path.",
    .usage = "[options] FILE.h5 PATH",
    .common = 0,
    .min_args = 2,
    .max_args = 2,
};

typedef enum { AX_PLAIN, AX_SESSION, AX_STATE, AX_CODE } axis_kind_t;

typedef struct column {
    char *name;
    ds_results_dread_t *rd;
    ds_results_shape_t sh;
    ds_results_type_t as;      /* DOUBLE, INT64 or STRING */
    size_t n_axes;
    size_t axis[MAX_RANK];     /* table axis of each of its axes */
    size_t stride[MAX_RANK];   /* elements per step along each of its axes */
    int blocked;               /* spans table axis 0: read block by block */
    int loaded;                /* a non-blocked column read once */
    void *buf;                 /* values of the current block */
    size_t buf_n;
    int session_index;         /* add couple and session after it */
} column_t;

typedef struct table {
    ds_results_reader_t *f;
    size_t rank;
    size_t dims[MAX_RANK];
    char axis_name[MAX_RANK][DS_RESULTS_DIMNAMES_MAX];
    axis_kind_t kind[MAX_RANK];
    column_t *cols;
    size_t n_cols;
    char **couple, **session; /* [n_sessions] or NULL */
    size_t n_sessions;
    char **states;            /* [n_states] or NULL */
    size_t n_states;
    char **codes;
    size_t n_codes;
    int quiet;
} table_t;

static void note(const table_t *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(const table_t *t, const char *fmt, ...)
{
    if (t->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("dyadseq: note: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Split "a,b,c" into names; returns the count or -1 if more than max. */
static int split_axes(const char *s, char names[][DS_RESULTS_DIMNAMES_MAX],
                      size_t max)
{
    if (!*s)
        return 0;
    size_t n = 0;
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (n == max)
            return -1;
        snprintf(names[n++], DS_RESULTS_DIMNAMES_MAX, "%.*s", (int)len, p);
        if (!e)
            return (int)n;
        p = e + 1;
    }
}

static axis_kind_t axis_kind(const char *name)
{
    if (strcmp(name, DS_DIM_SESSION) == 0)
        return AX_SESSION;
    if (strcmp(name, DS_DIM_FROM) == 0 || strcmp(name, DS_DIM_TO) == 0 ||
        strcmp(name, DS_DIM_STATE) == 0 || strcmp(name, DS_DIM_FIRST) == 0 ||
        strcmp(name, DS_DIM_SECOND) == 0)
        return AX_STATE;
    if (strcmp(name, DS_DIM_CODE) == 0)
        return AX_CODE;
    return AX_PLAIN;
}

/* Read a 1-D string dataset if it exists; *out NULL when absent. */
static int read_labels(ds_results_reader_t *f, const char *path, char ***out,
                       size_t *n, ds_error_t *err)
{
    *out = NULL;
    *n = 0;
    if (ds_results_kind(f, path) != DS_RESULTS_DATASET)
        return 0;
    ds_results_array_t a;
    int rc = ds_results_read(f, path, DS_RESULTS_STRING, &a, err);
    if (rc)
        return rc;
    *out = a.s;
    *n = a.shape.n;
    return 0;
}

/* Whether name is one of the index columns the table prints. */
static int is_index_column(const table_t *t, const char *name)
{
    for (size_t k = 0; k < t->rank; k++) {
        if (t->kind[k] == AX_SESSION) {
            if (strcmp(name, DS_COL_SESSION_INDEX) == 0 ||
                strcmp(name, DS_COL_COUPLE) == 0 ||
                strcmp(name, DS_COL_SESSION) == 0)
                return 1;
        } else if (strcmp(name, t->axis_name[k]) == 0) {
            return 1;
        }
    }
    return 0;
}

/*
 * Match a member's axes to the table's: each of its axis names must be a
 * table axis of the same length, in the same order. Returns 1 if it fits.
 */
static int fit_column(const table_t *t, column_t *c)
{
    char names[MAX_RANK][DS_RESULTS_DIMNAMES_MAX];
    int n = split_axes(c->sh.dimensions, names, MAX_RANK);
    if (n < 0 || (size_t)n != c->sh.rank)
        return 0;
    size_t next = 0;
    for (size_t k = 0; k < (size_t)n; k++) {
        size_t a = next;
        while (a < t->rank && strcmp(t->axis_name[a], names[k]) != 0)
            a++;
        if (a == t->rank || t->dims[a] != c->sh.dims[k])
            return 0;
        c->axis[k] = a;
        next = a + 1;
    }
    c->n_axes = (size_t)n;
    size_t s = 1;
    for (size_t k = c->n_axes; k-- > 0;) {
        c->stride[k] = s;
        s *= c->sh.dims[k];
    }
    c->blocked = c->n_axes > 0 && c->axis[0] == 0;
    return 1;
}

static void free_column_buf(column_t *c)
{
    if (c->as == DS_RESULTS_STRING && c->buf)
        ds_results_strings_free(c->buf, c->buf_n);
    else
        free(c->buf);
    c->buf = NULL;
    c->buf_n = 0;
}

static void table_clear(table_t *t)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        free_column_buf(&t->cols[i]);
        ds_results_dread_close(t->cols[i].rd);
        free(t->cols[i].name);
    }
    free(t->cols);
    ds_results_strings_free(t->couple, t->n_sessions);
    ds_results_strings_free(t->session, t->n_sessions);
    ds_results_strings_free(t->states, t->n_states);
    ds_results_strings_free(t->codes, t->n_codes);
}

/* Open the dataset at path as a candidate column named name. */
static int open_column(table_t *t, const char *path, const char *name,
                       column_t *c, ds_error_t *err)
{
    memset(c, 0, sizeof *c);
    int rc = ds_results_dread_open(t->f, path, &c->rd, err);
    if (rc)
        return rc;
    c->sh = *ds_results_dread_shape(c->rd);
    c->as = c->sh.type == DS_RESULTS_DOUBLE   ? DS_RESULTS_DOUBLE
            : c->sh.type == DS_RESULTS_STRING ? DS_RESULTS_STRING
                                              : DS_RESULTS_INT64;
    if (!(c->name = malloc(strlen(name) + 1))) {
        ds_results_dread_close(c->rd);
        c->rd = NULL;
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    strcpy(c->name, name);
    return 0;
}

/* Set the table's axes from a shape and check the label sources. */
static int set_axes(table_t *t, const ds_results_shape_t *sh,
                    const char *path, ds_error_t *err)
{
    const char *fn = ds_results_file_name(t->f);
    int n = split_axes(sh->dimensions, t->axis_name, MAX_RANK);
    if (n < 0 || (size_t)n != sh->rank) {
        /* no or a wrong `dimensions` attribute: plain indexes */
        for (size_t k = 0; k < sh->rank; k++)
            snprintf(t->axis_name[k], sizeof t->axis_name[k],
                     sh->rank == 1 ? "row" : "dim%zu", k);
        note(t, "%s has no valid 'dimensions' attribute; rows are numbered",
             path);
    }
    t->rank = sh->rank;
    for (size_t k = 0; k < t->rank; k++) {
        t->dims[k] = sh->dims[k];
        t->kind[k] = axis_kind(t->axis_name[k]);
        size_t want = t->dims[k];
        if (t->kind[k] == AX_SESSION && t->couple &&
            (t->n_sessions != want || !t->session))
            return ds_error_set(err, DS_EDATA,
                                "%s: %s has %zu sessions but /sessions has "
                                "%zu rows",
                                fn, path, want, t->n_sessions);
        if (t->kind[k] == AX_STATE && t->states && t->n_states != want &&
            t->n_states + 1 != want)
            return ds_error_set(err, DS_EDATA,
                                "%s: axis '%s' of %s has %zu entries but "
                                DS_PATH_STATES_LABEL " has %zu",
                                fn, t->axis_name[k], path, want, t->n_states);
        if (t->kind[k] == AX_CODE && t->codes && t->n_codes != want)
            return ds_error_set(err, DS_EDATA,
                                "%s: axis 'code' of %s has %zu entries but "
                                DS_PATH_CODEBOOK_CODE " has %zu",
                                fn, path, want, t->n_codes);
        if ((t->kind[k] == AX_STATE && !t->states) ||
            (t->kind[k] == AX_CODE && !t->codes))
            t->kind[k] = AX_PLAIN; /* no labels in the file: numbers */
    }
    return 0;
}

/* ---- output ---- */

/* Write a double with the fewest digits that read back the same. */
static void put_double(FILE *fp, double v)
{
    if (isnan(v)) {
        fputs("NA", fp);
        return;
    }
    if (isinf(v)) {
        fputs(v > 0 ? "Inf" : "-Inf", fp);
        return;
    }
    char buf[40];
    if (fabs(v) < 1e15 && v == (double)(long long)v &&
        !(v == 0 && signbit(v))) {
        /* whole numbers (counts, df, Q = ±1) without the float formatter */
        fprintf(fp, "%lld", (long long)v);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, fp);
}

static void put_value(FILE *fp, const column_t *c, size_t i)
{
    if (c->as == DS_RESULTS_DOUBLE)
        put_double(fp, ((const double *)c->buf)[i]);
    else if (c->as == DS_RESULTS_INT64)
        fprintf(fp, "%" PRId64, ((const int64_t *)c->buf)[i]);
    else
        ds_csv_write_field(fp, ((char **)c->buf)[i]);
}

static void put_label(FILE *fp, char **labels, size_t n, size_t i)
{
    if (i < n)
        ds_csv_write_field(fp, labels[i]);
    else
        fputs(i == n ? "nil" : "NA", fp);
}

static void put_header(FILE *fp, const table_t *t)
{
    int first = 1;
    for (size_t k = 0; k < t->rank; k++) {
        if (!first)
            fputc(',', fp);
        first = 0;
        if (t->kind[k] == AX_SESSION)
            fputs(t->couple ? DS_COL_SESSION_INDEX "," DS_COL_COUPLE
                                                   "," DS_COL_SESSION
                            : DS_COL_SESSION_INDEX,
                  fp);
        else
            ds_csv_write_field(fp, t->axis_name[k]);
    }
    for (size_t i = 0; i < t->n_cols; i++) {
        if (!first)
            fputc(',', fp);
        first = 0;
        ds_csv_write_field(fp, t->cols[i].name);
        if (t->cols[i].session_index)
            fputs(",couple,session", fp);
    }
    fputc('\n', fp);
}

/* Read a column's values for table rows [first, first + count) of axis 0. */
static int load_block(column_t *c, size_t first, size_t count,
                      ds_error_t *err)
{
    if (!c->blocked && c->loaded)
        return 0;
    free_column_buf(c);
    size_t rows = c->blocked ? count : (c->sh.rank ? c->sh.dims[0] : 1);
    size_t from = c->blocked ? first : 0;
    size_t n = rows * c->sh.row_elems;
    c->buf = calloc(n ? n : 1, c->as == DS_RESULTS_STRING ? sizeof(char *)
                                                          : 8);
    if (!c->buf)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    c->buf_n = n;
    int rc = ds_results_dread_rows(c->rd, c->as, from, rows, c->buf, err);
    if (rc) {
        if (c->as == DS_RESULTS_STRING)
            memset(c->buf, 0, n * sizeof(char *));
        return rc;
    }
    c->loaded = 1;
    return 0;
}

/* Print the rows of the table whose axis-0 index is in [first, +count). */
static void put_rows(FILE *fp, const table_t *t, size_t first, size_t count)
{
    size_t idx[MAX_RANK] = {0};
    size_t inner = 1;
    for (size_t k = 1; k < t->rank; k++)
        inner *= t->dims[k];
    for (size_t r0 = 0; r0 < count; r0++) {
        idx[0] = first + r0;
        for (size_t k = 1; k < t->rank; k++)
            idx[k] = 0;
        for (size_t in = 0; in < inner; in++) {
            int sep = 0;
            for (size_t k = 0; k < t->rank; k++) {
                if (sep)
                    fputc(',', fp);
                sep = 1;
                switch (t->kind[k]) {
                case AX_SESSION:
                    fprintf(fp, "%zu", idx[k]);
                    if (t->couple) {
                        fputc(',', fp);
                        ds_csv_write_field(fp, t->couple[idx[k]]);
                        fputc(',', fp);
                        ds_csv_write_field(fp, t->session[idx[k]]);
                    }
                    break;
                case AX_STATE:
                    put_label(fp, t->states, t->n_states, idx[k]);
                    break;
                case AX_CODE:
                    put_label(fp, t->codes, t->n_codes, idx[k]);
                    break;
                default:
                    fprintf(fp, "%zu", idx[k]);
                }
            }
            for (size_t i = 0; i < t->n_cols; i++) {
                const column_t *c = &t->cols[i];
                size_t off = 0;
                for (size_t a = 0; a < c->n_axes; a++) {
                    size_t v = idx[c->axis[a]];
                    if (a == 0 && c->blocked)
                        v -= first;
                    off += v * c->stride[a];
                }
                if (sep)
                    fputc(',', fp);
                sep = 1;
                put_value(fp, c, off);
                if (c->session_index) {
                    int64_t s = ((const int64_t *)c->buf)[off];
                    if (s >= 0 && (size_t)s < t->n_sessions) {
                        fputc(',', fp);
                        ds_csv_write_field(fp, t->couple[s]);
                        fputc(',', fp);
                        ds_csv_write_field(fp, t->session[s]);
                    } else {
                        fputs(",NA,NA", fp);
                    }
                }
            }
            fputc('\n', fp);
            /* next index of axes 1.. (odometer) */
            for (size_t k = t->rank; k-- > 1;) {
                if (++idx[k] < t->dims[k])
                    break;
                idx[k] = 0;
            }
        }
    }
}

/* Print the whole table in blocks of axis-0 rows. */
static int put_table(FILE *fp, table_t *t, ds_error_t *err)
{
    put_header(fp, t);
    size_t rows = t->rank ? t->dims[0] : 1;
    size_t row_elems = 1, chunk = 0;
    for (size_t k = 1; k < t->rank; k++)
        row_elems *= t->dims[k];
    for (size_t i = 0; i < t->n_cols; i++)
        if (t->cols[i].blocked && t->cols[i].sh.chunk_rows > chunk)
            chunk = t->cols[i].sh.chunk_rows;
    size_t block = BLOCK_BYTES / 8 / (row_elems ? row_elems : 1);
    if (block < 1)
        block = 1;
    if (chunk && block > chunk)
        block -= block % chunk; /* whole chunks: each inflated once */
    for (size_t first = 0; first < rows; first += block) {
        size_t count = rows - first < block ? rows - first : block;
        for (size_t i = 0; i < t->n_cols; i++) {
            int rc = load_block(&t->cols[i], first, count, err);
            if (rc)
                return rc;
        }
        put_rows(fp, t, first, count);
        if (ferror(fp))
            return ds_error_set(err, DS_EIO,
                                "cannot write to standard output: %s",
                                strerror(errno));
    }
    return 0;
}

/* ---- what to export ---- */

/* Add a column (taking ownership of *c) to the table. */
static int add_column(table_t *t, column_t *c, ds_error_t *err)
{
    column_t *cols = realloc(t->cols, (t->n_cols + 1) * sizeof *cols);
    if (!cols)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    t->cols = cols;
    t->cols[t->n_cols++] = *c;
    return 0;
}

static void close_column(column_t *c)
{
    free_column_buf(c);
    ds_results_dread_close(c->rd);
    free(c->name);
    memset(c, 0, sizeof *c);
}

/* A session_index column without a session axis gets couple and session. */
static void mark_session_index(table_t *t, column_t *c)
{
    c->session_index = t->couple &&
                       strcmp(c->name, DS_COL_SESSION_INDEX) == 0 &&
                       c->as == DS_RESULTS_INT64;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int export_dataset(FILE *fp, table_t *t, const char *path,
                          ds_error_t *err)
{
    column_t c;
    int rc = open_column(t, path, base_name(path), &c, err);
    if (rc)
        return rc;
    if (c.sh.type == DS_RESULTS_OTHER) {
        close_column(&c);
        return ds_error_set(err, DS_EDATA, "%s: %s has a data type export "
                            "does not know", ds_results_file_name(t->f),
                            path);
    }
    if (c.sh.rank == 0) {
        /* a scalar: name,value */
        rc = load_block(&c, 0, 1, err);
        if (rc == 0) {
            fputs("name,value\n", fp);
            ds_csv_write_field(fp, c.name);
            fputc(',', fp);
            put_value(fp, &c, 0);
            fputc('\n', fp);
        }
        close_column(&c);
        return rc;
    }
    if ((rc = set_axes(t, &c.sh, path, err))) {
        close_column(&c);
        return rc;
    }
    /* the dataset's own axes, whatever its `dimensions` says */
    c.n_axes = c.sh.rank;
    size_t s = 1;
    for (size_t k = c.n_axes; k-- > 0;) {
        c.axis[k] = k;
        c.stride[k] = s;
        s *= c.sh.dims[k];
    }
    c.blocked = 1;
    if (is_index_column(t, c.name)) {
        /* /sessions/couple: the index columns are its values */
        close_column(&c);
        return put_table(fp, t, err);
    }
    mark_session_index(t, &c);
    if ((rc = add_column(t, &c, err))) {
        close_column(&c);
        return rc;
    }
    return put_table(fp, t, err);
}

static int export_group(FILE *fp, table_t *t, const char *path,
                        ds_error_t *err)
{
    const char *fn = ds_results_file_name(t->f);
    char **names = NULL;
    size_t n = 0;
    column_t *cand = NULL;
    size_t n_cand = 0, best = (size_t)-1;
    int rc = ds_results_list(t->f, path, &names, &n, err);
    if (rc)
        return rc;
    if (!(cand = calloc(n ? n : 1, sizeof *cand))) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        char *mp = ds_layout_path_join(path, names[i]);
        if (!mp) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto done;
        }
        ds_results_kind_t kind = ds_results_kind(t->f, mp);
        if (kind == DS_RESULTS_DATASET) {
            rc = open_column(t, mp, names[i], &cand[n_cand], err);
            if (rc == 0 && cand[n_cand].sh.type == DS_RESULTS_OTHER) {
                note(t, "skipped %s: a data type export does not know", mp);
                close_column(&cand[n_cand]);
            } else if (rc == 0) {
                if (best == (size_t)-1 ||
                    cand[n_cand].sh.rank > cand[best].sh.rank)
                    best = n_cand;
                n_cand++;
            }
        }
        free(mp);
        if (rc)
            goto done;
    }
    if (n_cand == 0) {
        char list[800] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used + 2 < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used,
                                     "%s%s%s%s", i ? ", " : "",
                                     strcmp(path, DS_PATH_ROOT) ? path : "",
                                     "/",
                                     names[i]);
        rc = ds_error_set(err, DS_EDATA,
                          "%s: %s holds no datasets to print; export one of "
                          "its members: %s",
                          fn, path, n ? list : "(none)");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        char *mp = ds_layout_path_join(path, names[i]);
        if (!mp) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto done;
        }
        if (ds_results_kind(t->f, mp) == DS_RESULTS_GROUP)
            note(t, "skipped group %s (export it by its own path)", mp);
        free(mp);
    }
    if ((rc = set_axes(t, &cand[best].sh, path, err)))
        goto done;
    for (size_t i = 0; i < n_cand; i++) {
        column_t *c = &cand[i];
        if (!fit_column(t, c)) {
            note(t, "skipped %s/%s: its axes (%s) are not among the table's",
                 strcmp(path, DS_PATH_ROOT) ? path : "", c->name,
                 *c->sh.dimensions ? c->sh.dimensions : "none");
            close_column(c);
            continue;
        }
        if (is_index_column(t, c->name)) {
            close_column(c); /* printed as an index column already */
            continue;
        }
        mark_session_index(t, c);
        if ((rc = add_column(t, c, err)))
            goto done;
        memset(c, 0, sizeof *c); /* owned by the table now */
    }
    rc = put_table(fp, t, err);
done:
    for (size_t i = 0; i < n_cand; i++)
        close_column(&cand[i]);
    free(cand);
    ds_results_names_free(names, n);
    return rc;
}

/*
 * PATH is missing: name the nearest group above it that exists and what it
 * holds (for "/", the top-level groups).
 */
static int missing_path(ds_results_reader_t *f, const char *path,
                        ds_error_t *err)
{
    char *parent = malloc(strlen(path) + 2);
    if (!parent)
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    strcpy(parent, path);
    for (;;) {
        char *s = strrchr(parent, '/');
        if (!s || s == parent) {
            strcpy(parent, DS_PATH_ROOT);
            break;
        }
        *s = '\0';
        if (ds_results_kind(f, parent) == DS_RESULTS_GROUP)
            break;
    }
    char **names = NULL;
    size_t n = 0;
    char list[800] = "";
    if (ds_results_list(f, parent, &names, &n, NULL) == 0) {
        size_t used = 0;
        for (size_t i = 0; i < n && used + 2 < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used,
                                     "%s%s/%s", i ? ", " : "",
                                     strcmp(parent, DS_PATH_ROOT) ? parent
                                                                  : "",
                                     names[i]);
        ds_results_names_free(names, n);
    }
    int rc;
    if (strcmp(parent, DS_PATH_ROOT) == 0)
        rc = ds_error_set(err, DS_EDATA,
                          "%s has no '%s'; its top-level groups are: %s",
                          ds_results_file_name(f), path,
                          *list ? list : "(none)");
    else
        rc = ds_error_set(err, DS_EDATA, "%s has no '%s'; %s holds: %s",
                          ds_results_file_name(f), path, parent,
                          *list ? list : "(nothing)");
    free(parent);
    return rc;
}

int main_export(int argc, char **argv, const ds_invocation_t *inv)
{
    (void)inv; /* nothing of it is recorded, never started again */
    ds_common_opts_t o;
    char **args;
    size_t n_args;
    int status = ds_cmd_parse(&spec, argc, argv, &o, NULL, &args, &n_args);
    if (status >= 0)
        return status;

    const char *file = args[0];
    /* accept "lag/1/pooled" and "/lag/1/pooled/" */
    size_t len = strlen(args[1]) + 2;
    char *path = malloc(len);
    if (!path) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    snprintf(path, len, "%s%s", args[1][0] == '/' ? "" : "/", args[1]);
    len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        path[--len] = '\0';

    ds_error_t err = {0};
    table_t t;
    memset(&t, 0, sizeof t);
    t.quiet = o.quiet;
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    int rc = ds_results_open(file, &t.f, &err);
    if (rc)
        goto fail;
    if (ds_cli_check_results(t.f, o.quiet)) {
        ds_results_close(t.f);
        free(path);
        return DS_EXIT_DATA;
    }
    ds_results_kind_t kind = ds_results_kind(t.f, path);
    if (kind == DS_RESULTS_ABSENT) {
        rc = missing_path(t.f, path, &err);
        goto fail;
    }
    if ((rc = read_labels(t.f, DS_PATH_SESSIONS_COUPLE, &t.couple,
                          &t.n_sessions, &err)))
        goto fail;
    size_t n_sess2 = 0;
    if ((rc = read_labels(t.f, DS_PATH_SESSIONS_SESSION, &t.session,
                          &n_sess2, &err)))
        goto fail;
    if (!t.session || n_sess2 != t.n_sessions) {
        /* both or neither: without labels sessions are numbers */
        ds_results_strings_free(t.couple, t.n_sessions);
        ds_results_strings_free(t.session, n_sess2);
        t.couple = t.session = NULL;
        t.n_sessions = 0;
    }
    /* the label lists themselves are numbered, not labelled by themselves */
    if ((strncmp(path, DS_PATH_STATES, strlen(DS_PATH_STATES)) != 0 &&
         (rc = read_labels(t.f, DS_PATH_STATES_LABEL, &t.states, &t.n_states,
                           &err))) ||
        (rc = read_labels(t.f, DS_PATH_CODEBOOK_CODE, &t.codes, &t.n_codes,
                          &err)))
        goto fail;

    if (kind == DS_RESULTS_DATASET)
        rc = export_dataset(stdout, &t, path, &err);
    else if (kind == DS_RESULTS_GROUP)
        rc = export_group(stdout, &t, path, &err);
    else
        rc = ds_error_set(&err, DS_EDATA, "%s: %s is neither a dataset nor "
                          "a group", file, path);
    if (!rc)
        rc = ds_results_reader_error(t.f, &err);
    if (rc)
        goto fail;
    table_clear(&t);
    ds_results_close(t.f);
    free(path);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output: %s", strerror(errno));
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;

fail:
    fflush(stdout);
    ds_msg_error("%s", err.msg);
    table_clear(&t);
    ds_results_close(t.f);
    free(path);
    return DS_EXIT_DATA;
}
