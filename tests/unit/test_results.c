/*
 * Unit tests of the results module (results_*.c: the HDF5 writer and
 * reader), and the writer of the fixture files the shell tests in
 * tests/results/ export and read from Python and R:
 *
 *   test_results                          run the unit tests
 *   test_results --write FILE [--sessions N] [--level L] [--threads T]
 *                                         write a fixture: the small study
 *                                         (3 sessions, 2 states) laid out
 *                                         as SPEC 5, or with N > 0 a
 *                                         generated one of N sessions and
 *                                         10 states with chunked arrays
 *   test_results --write-other FILE       an HDF5 file that is not ours
 *
 * The fixtures are in fixture_results.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "fixture_results.h"
#include "results.h"
#include "unit.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static char tmpdir[256];

static const char *tpath(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* Whole file into memory; NULL if it cannot be read. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *b = malloc(len > 0 ? (size_t)len : 1);
    if (b && fread(b, 1, (size_t)len, fp) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(fp);
    *n = (size_t)len;
    return b;
}

static int same_file(const char *a, const char *b)
{
    size_t na, nb;
    unsigned char *x = slurp(a, &na), *y = slurp(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

/* Number of entries in tmpdir whose name contains part. */
static int count_files(const char *part)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, part) != NULL;
    if (d)
        closedir(d);
    return n;
}

static void put_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

/* ------------------------------------------------------------------ */
/* Tests                                                              */
/* ------------------------------------------------------------------ */

/* The small study's attributes, members and kinds of objects. */
static void read_small_structure(ds_results_reader_t *f)
{
    ds_error_t err = {0};
    char *s = NULL;
    CHECK(ds_results_attr_get_string(f, "/", "format", &s, &err) == 0 &&
              strcmp(s, DS_RESULTS_FORMAT) == 0,
          "root attribute format");
    free(s);
    ds_results_array_t a;
    CHECK(ds_results_read_attr(f, "/", "format_version", DS_RESULTS_INT64, &a,
                               &err) == 0 &&
              a.shape.rank == 0 && a.i[0] == 1,
          "format_version is the integer 1");
    ds_results_array_clear(&a);
    CHECK(ds_results_read_attr(f, "/", "input_sha256", DS_RESULTS_STRING, &a,
                               &err) == 0 &&
              a.shape.n == 2 && strcmp(a.s[1], sha[1]) == 0,
          "input_sha256 has one digest per input");
    ds_results_array_clear(&a);
    CHECK(ds_results_read_attr(f, "/misc", "window_lo", DS_RESULTS_DOUBLE, &a,
                               &err) == 0 &&
              a.d[0] == 1.5,
          "a double attribute on a group");
    ds_results_array_clear(&a);

    char **names;
    size_t n;
    CHECK(ds_results_attr_names(f, "/", &names, &n, &err) == 0 && n == 8 &&
              strcmp(names[0], "format") == 0 &&
              strcmp(names[3], "command_line") == 0 &&
              strcmp(names[7], "seed") == 0,
          "root attributes in creation order");
    ds_results_names_free(names, n);
    CHECK(ds_results_list(f, "/", &names, &n, &err) == 0 && n == 7 &&
              strcmp(names[0], "states") == 0 &&
              strcmp(names[6], "misc") == 0,
          "top-level groups in creation order");
    ds_results_names_free(names, n);
    CHECK(ds_results_list(f, "/lag/1/pooled", &names, &n, &err) == 0 &&
              n == 9 && strcmp(names[0], "counts") == 0 &&
              strcmp(names[8], "g2_p") == 0,
          "group members in creation order, not name order");
    ds_results_names_free(names, n);

    CHECK(ds_results_kind(f, "/lag/1") == DS_RESULTS_GROUP, "kind: group");
    CHECK(ds_results_kind(f, "/lag/1/pooled/g2") == DS_RESULTS_DATASET,
          "kind: dataset");
    CHECK(ds_results_kind(f, "/lag/3/pooled") == DS_RESULTS_ABSENT,
          "kind: absent below a missing group");
    CHECK(ds_results_kind(f, "lag") == DS_RESULTS_ABSENT,
          "kind: relative path is absent");
    CHECK(ds_results_kind(f, "/") == DS_RESULTS_GROUP, "kind: root");
}

/* The small study's datasets, whole and by rows, as other types. */
static void read_small_arrays(ds_results_reader_t *f)
{
    ds_error_t err = {0};
    ds_results_array_t a;
    int rc = ds_results_read(f, "/lag/1/session/expected", DS_RESULTS_DOUBLE,
                             &a, &err);
    CHECK(rc == 0 && a.shape.rank == 3 && a.shape.dims[0] == 3 &&
              a.shape.dims[2] == 2 && a.shape.n == 12 &&
              a.shape.row_elems == 4,
          "[S,K,K] shape");
    CHECK_STR(a.shape.dimensions, "session,from,to", "dimensions attribute");
    CHECK(rc == 0 && a.d[4] == 2.0 / 3 && isnan(a.d[8]) && isnan(a.d[11]),
          "values and NaN read back exactly");
    CHECK_INT(a.shape.chunk_rows, 0, "a small dataset is not chunked");
    ds_results_array_clear(&a);

    rc = ds_results_read(f, "/lag/1/session/counts", DS_RESULTS_DOUBLE, &a,
                         &err);
    CHECK(rc == 0 && a.shape.type == DS_RESULTS_INT64 && a.d[5] == 2,
          "int64 read as double");
    ds_results_array_clear(&a);
    rc = ds_results_read(f, "/lag/1/pooled/structural_zero",
                         DS_RESULTS_INT64, &a, &err);
    CHECK(rc == 0 && a.shape.type == DS_RESULTS_UINT8 && a.i[3] == 0,
          "uint8 read as int64");
    ds_results_array_clear(&a);
    rc = ds_results_read(f, "/lag/1/session/expected", DS_RESULTS_INT64, &a,
                         &err);
    CHECK(rc == DS_EDATA && strstr(err.msg, "floating-point"),
          "double cannot be read as int64");
    rc = ds_results_read(f, "/lag/1/session/expected", DS_RESULTS_STRING, &a,
                         &err);
    CHECK_INT(rc, DS_EDATA, "numbers cannot be read as strings");

    rc = ds_results_read(f, "/lag/1/pooled/g2", DS_RESULTS_DOUBLE, &a, &err);
    CHECK(rc == 0 && a.shape.rank == 0 && a.shape.n == 1 && a.d[0] == 0.25 &&
              strcmp(a.shape.dimensions, "") == 0,
          "scalar: rank 0, dimensions \"\"");
    ds_results_array_clear(&a);

    rc = ds_results_read(f, "/sessions/session", DS_RESULTS_STRING, &a, &err);
    CHECK(rc == 0 && a.shape.n == 3 && strcmp(a.s[2], "pr\xC3\xA4") == 0,
          "UTF-8 strings read back");
    ds_results_array_clear(&a);
    rc = ds_results_read(f, "/codebook/description", DS_RESULTS_STRING, &a,
                         &err);
    CHECK(rc == 0 && strcmp(a.s[1], "says \"fine\"; leaves") == 0,
          "quotes in strings");
    ds_results_array_clear(&a);

    ds_results_dread_t *d;
    rc = ds_results_dread_open(f, "/lag/1/session/yules_q", &d, &err);
    CHECK_INT(rc, 0, "open a dataset for reading by rows");
    if (rc == 0) {
        double rows[8];
        CHECK(ds_results_dread_rows(d, DS_RESULTS_DOUBLE, 1, 2, rows,
                                    &err) == 0 &&
                  rows[0] == -1 && rows[3] == -1 && isnan(rows[4]),
              "rows 1..2 of [S,K,K]");
        CHECK_INT(ds_results_dread_rows(d, DS_RESULTS_DOUBLE, 2, 2, rows,
                                        &err),
                  DS_EUSAGE, "rows past the end are refused");
        ds_results_dread_close(d);
    }
    rc = ds_results_read(f, "/lag/9/pooled/counts", DS_RESULTS_DOUBLE, &a,
                         &err);
    CHECK(rc == DS_EDATA && strstr(err.msg, "/lag/9/pooled/counts"),
          "a missing dataset is named");
}

static void test_read_small(void)
{
    ds_error_t err = {0};
    const char *path = tpath("small.h5");
    CHECK_INT(write_fixture(path, 0, -1, 0, &err), 0, "write the small study");
    ds_results_reader_t *f;
    int rc = ds_results_open(path, &f, &err);
    CHECK_INT(rc, 0, "open it");
    if (rc) {
        printf("# %s\n", err.msg);
        return;
    }
    read_small_structure(f);
    read_small_arrays(f);
    ds_results_close(f);
}

static void test_big(void)
{
    ds_error_t err = {0};
    const size_t S = 2001;
    const char *p1 = tpath("big1.h5"), *p2 = tpath("big2.h5");
    CHECK_INT(write_fixture(p1, S, -1, 1, &err), 0, "big study, 1 thread");
    CHECK_INT(write_fixture(p2, S, -1, 2, &err), 0, "big study, 2 threads");
    CHECK(same_file(p1, p2), "byte-identical at 1 and 2 threads");
    ds_results_reader_t *f;
    if (ds_results_open(p1, &f, &err)) {
        CHECK(0, err.msg);
        return;
    }
    ds_results_array_t a, b;
    int rc = ds_results_read(f, "/lag/1/session/adjusted_residual",
                             DS_RESULTS_DOUBLE, &a, &err);
    CHECK(rc == 0 && a.shape.chunk_rows > 1 && a.shape.chunk_rows < S,
          "a large [S,K,K] array is chunked in blocks of sessions");
    size_t chunk_bytes = a.shape.chunk_rows * a.shape.row_elems * 8;
    CHECK(chunk_bytes >= (64 << 10) && chunk_bytes <= (1 << 20),
          "chunks of 64 KiB to 1 MiB");
    int rc2 = ds_results_read(f, "/lag/1/session/blocks", DS_RESULTS_DOUBLE,
                              &b, &err);
    int same = rc == 0 && rc2 == 0 && a.shape.n == b.shape.n;
    for (size_t i = 0; same && i < a.shape.n; i++)
        same = a.d[i] == b.d[i] || (isnan(a.d[i]) && isnan(b.d[i]));
    CHECK(same, "appending uneven blocks gives the same array");
    /* read again in blocks that straddle chunks */
    ds_results_dread_t *d;
    same = rc == 0 && ds_results_dread_open(f, "/lag/1/session/blocks", &d,
                                            &err) == 0;
    double *buf = malloc(777 * 100 * sizeof *buf);
    for (size_t first = 0; same && buf && first < S; first += 777) {
        size_t n = S - first < 777 ? S - first : 777;
        same = ds_results_dread_rows(d, DS_RESULTS_DOUBLE, first, n, buf,
                                     &err) == 0;
        for (size_t i = 0; same && i < n * 100; i++) {
            double w = a.d[first * 100 + i];
            same = buf[i] == w || (isnan(buf[i]) && isnan(w));
        }
    }
    free(buf);
    if (rc == 0)
        ds_results_dread_close(d);
    CHECK(same, "reading in blocks of rows across chunks");
    ds_results_array_clear(&a);
    ds_results_array_clear(&b);
    rc = ds_results_read(f, "/lag/1/session/counts", DS_RESULTS_INT64, &a,
                         &err);
    int64_t sum = 0;
    for (size_t i = 0; rc == 0 && i < a.shape.n; i++)
        sum += a.i[i];
    CHECK(rc == 0 && a.shape.n == S * 100 && sum > 0,
          "chunked int64 array reads back");
    ds_results_array_clear(&a);
    rc = ds_results_read(f, "/sessions/couple", DS_RESULTS_STRING, &a, &err);
    CHECK(rc == 0 && a.shape.n == S && strcmp(a.s[S - 1], "c01000") == 0,
          "chunked strings read back");
    ds_results_array_clear(&a);
    ds_results_close(f);

    const char *p0 = tpath("big0.h5");
    CHECK_INT(write_fixture(p0, S, 0, 0, &err), 0, "big study, level 0");
    struct stat s0, s1;
    CHECK(stat(p0, &s0) == 0 && stat(p1, &s1) == 0 && s1.st_size < s0.st_size,
          "compression makes the file smaller");
    if (ds_results_open(p0, &f, &err) == 0) {
        rc = ds_results_read(f, "/lag/1/session/blocks", DS_RESULTS_DOUBLE,
                             &a, &err);
        CHECK(rc == 0 && a.shape.chunk_rows == 0,
              "level 0: large arrays are contiguous");
        ds_results_array_clear(&a);
        ds_results_close(f);
    }
}

static void test_deterministic(void)
{
    ds_error_t err = {0};
    const char *a = tpath("det1.h5"), *b = tpath("det2.h5");
    CHECK_INT(write_fixture(a, 0, -1, 0, &err), 0, "write once");
    sleep(1); /* a timestamp would now differ */
    CHECK_INT(write_fixture(b, 0, -1, 0, &err), 0, "write again");
    CHECK(same_file(a, b), "the same calls give a byte-identical file");
}

static void test_atomic(void)
{
    ds_error_t err = {0};
    const char *out = tpath("atomic.h5");
    ds_results_t *r;
    int rc = ds_results_create(out, &r, &err);
    CHECK_INT(rc, 0, "create");
    if (rc)
        return;
    CHECK_INT(count_files("atomic.h5"), 1, "a temporary is being written");
    CHECK(access(out, F_OK) != 0, "... and not the output file");
    ds_results_write_scalar_int64(r, "/x", 1, &err);
    ds_results_abort(r);
    CHECK_INT(count_files("atomic.h5"), 0, "abort removes the temporary");

    put_file(out, "precious");
    ds_results_create(out, &r, &err);
    ds_results_abort(r);
    size_t n;
    unsigned char *c = slurp(out, &n);
    CHECK(c && n == 8 && memcmp(c, "precious", 8) == 0,
          "abort leaves an existing file as it was");
    free(c);

    setenv("DYADSEQ_FAULT", "results_write:5", 1);
    rc = write_fixture(out, 0, -1, 0, &err);
    CHECK(rc == DS_EHDF5 && strstr(err.msg, "injected"),
          "an injected write fault fails the run");
    setenv("DYADSEQ_FAULT", "results_commit", 1);
    rc = write_fixture(out, 0, -1, 0, &err);
    CHECK(rc != 0 && strstr(err.msg, "injected"),
          "an injected commit fault fails the run");
    unsetenv("DYADSEQ_FAULT");
    c = slurp(out, &n);
    CHECK(c && n == 8 && memcmp(c, "precious", 8) == 0,
          "failed runs leave the existing file unchanged");
    free(c);
    CHECK_INT(count_files(".tmp."), 0, "and no temporary behind");

    CHECK_INT(write_fixture(out, 0, -1, 0, &err), 0, "a good run");
    ds_results_reader_t *f;
    CHECK(ds_results_open(out, &f, &err) == 0, "replaces the file");
    ds_results_close(f);
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    CHECK(stat(out, &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask),
          "with the permissions of a new file, not mkstemp's 0600");

    rc = ds_results_create(tpath("no/such/dir/x.h5"), &r, &err);
    CHECK(rc == DS_EIO && strstr(err.msg, "no/such/dir/") &&
              strstr(err.msg, "No such file"),
          "a missing directory is named");
    rc = ds_results_create(tmpdir, &r, &err);
    CHECK(rc == DS_EIO && strstr(err.msg, "directory"),
          "a directory as output is refused");
}

static void test_writer_errors(void)
{
    ds_error_t err = {0};
    ds_results_t *r;
    if (ds_results_create(tpath("errors.h5"), &r, &err)) {
        CHECK(0, err.msg);
        return;
    }
    size_t dims[2] = {2, 2};
    double v[4] = {1, 2, 3, 4};
    CHECK_INT(ds_results_write_double(r, "x", 2, dims, v, "from,to", &err),
              DS_EUSAGE, "relative path refused");
    CHECK_INT(ds_results_write_double(r, "/a//b", 2, dims, v, "from,to",
                                      &err),
              DS_EUSAGE, "empty component refused");
    CHECK_INT(ds_results_write_double(r, "/a/b", 2, dims, v, "from", &err),
              DS_EUSAGE, "dimension names must match the rank");
    CHECK_INT(ds_results_write_double(r, "/a/b", 2, dims, v, "from,", &err),
              DS_EUSAGE, "empty dimension name refused");
    CHECK_INT(ds_results_write_double(r, "/a/b", 2, dims, v, NULL, &err),
              DS_EUSAGE, "rank 2 needs names");
    CHECK_INT(ds_results_write_double(r, "/a/b", 2, dims, v, "from,to", &err),
              0, "write /a/b");
    CHECK(ds_results_write_double(r, "/a/b", 2, dims, v, "from,to", &err) ==
                  DS_EUSAGE &&
              strstr(err.msg, "written twice"),
          "writing a path twice is an error");
    CHECK(ds_results_write_double(r, "/a/b/c", 2, dims, v, "from,to",
                                  &err) == DS_EUSAGE &&
              strstr(err.msg, "not a group"),
          "a dataset cannot hold a dataset");
    CHECK_INT(ds_results_attr_int64(r, "/a/b", "n", 1, &err), 0,
              "attribute on a dataset");
    CHECK_INT(ds_results_attr_int64(r, "/a/b", "n", 1, &err), DS_EUSAGE,
              "an attribute twice is an error");
    CHECK_INT(ds_results_attr_string(r, "/new/group", "s", "x", &err), 0,
              "attribute on a missing path creates the group");
    CHECK_INT(ds_results_make_group(r, "/new/group", &err), 0,
              "make_group on an existing group is fine");
    const char *strs[] = {"a", NULL, "c"};
    CHECK_INT(ds_results_write_strings(r, "/s", 3, strs, NULL, &err), 0,
              "strings with NULL");
    CHECK_INT(ds_results_write_double(r, "/empty", 1, (size_t[]){0}, NULL,
                                      "row", &err),
              0, "an empty dataset");
    ds_results_dset_t *d;
    CHECK_INT(ds_results_begin(r, "/inc", DS_RESULTS_DOUBLE, 2, dims,
                               "from,to", &d, &err),
              0, "begin");
    CHECK_INT(ds_results_append(d, 3, v, &err), DS_EUSAGE,
              "appending beyond the rows is refused");
    CHECK_INT(ds_results_append(d, 1, v, &err), 0, "append one row");
    int rc = ds_results_commit(r, &err);
    CHECK(rc == DS_EUSAGE && strstr(err.msg, "/inc"),
          "commit with an unfinished dataset fails");
    CHECK(access(tpath("errors.h5"), F_OK) != 0 &&
              count_files("errors.h5") == 0,
          "and leaves nothing");
    /* ds_results_end(d) is not allowed after commit: d was freed */

    if (ds_results_create(tpath("errors2.h5"), &r, &err) == 0) {
        CHECK_INT(ds_results_begin(r, "/inc", DS_RESULTS_DOUBLE, 2, dims,
                                   "from,to", &d, &err),
                  0, "begin");
        ds_results_append(d, 1, v, &err);
        CHECK(ds_results_end(d, &err) == DS_EUSAGE &&
                  strstr(err.msg, "1 of its 2 rows"),
              "end with rows missing fails");
        CHECK_INT(ds_results_commit(r, &err), 0, "commit the rest");
        ds_results_reader_t *f;
        ds_results_array_t a;
        if (ds_results_open(tpath("errors2.h5"), &f, &err) == 0) {
            CHECK(ds_results_read(f, "/inc", DS_RESULTS_DOUBLE, &a, &err) ==
                      0,
                  "the unfinished dataset exists (its rows unspecified)");
            ds_results_array_clear(&a);
            ds_results_close(f);
        }
    }
    ds_results_reader_t *f;
    if (write_fixture(tpath("s.h5"), 0, -1, 0, &err) == 0 &&
        ds_results_open(tpath("s.h5"), &f, &err) == 0) {
        ds_results_array_t a;
        CHECK(ds_results_read(f, "/lag/1/pooled/g2", DS_RESULTS_DOUBLE, &a,
                              &err) == 0,
              "fixture reopens");
        ds_results_array_clear(&a);
        ds_results_close(f);
    }
}

static void test_escape(void)
{
    char *e = ds_results_escape_name("pre/post 100%");
    CHECK_STR(e, "pre%2Fpost 100%25", "escape '/' and '%'");
    free(e);
    e = ds_results_escape_name("..");
    CHECK_STR(e, "%2E%2E", "escape '..'");
    free(e);
    e = ds_results_escape_name("pr\xC3\xA4");
    CHECK_STR(e, "pr\xC3\xA4", "UTF-8 as is");
    free(e);
    CHECK(ds_results_escape_name("") == NULL, "empty label: NULL");
}

static void test_reader_errors(void)
{
    ds_error_t err = {0};
    ds_results_reader_t *f;
    int rc = ds_results_open(tpath("missing.h5"), &f, &err);
    CHECK(rc == DS_EIO && strstr(err.msg, "No such file"), "missing file");
    put_file(tpath("text.h5"), "couple,session,code\n");
    rc = ds_results_open(tpath("text.h5"), &f, &err);
    CHECK(rc == DS_EDATA && strstr(err.msg, "not an HDF5 file"),
          "a text file is not HDF5");
    rc = ds_results_open(tmpdir, &f, &err);
    CHECK(rc == DS_EIO && strstr(err.msg, "directory"), "a directory");

    /* an HDF5 file that is not ours */
    hid_t h = H5Fcreate(tpath("other.h5"), H5F_ACC_TRUNC, H5P_DEFAULT,
                        H5P_DEFAULT);
    if (h >= 0)
        H5Fclose(h);
    rc = ds_results_open(tpath("other.h5"), &f, &err);
    CHECK(rc == DS_EDATA && strstr(err.msg, "not a dyadseq results file"),
          "an HDF5 file without format");
}

/* An HDF5 file as other programs write it: no creation order tracked, so
 * members are listed in name order. Groups "b", "a", "c"
 * (made in that order), "a" holding a dataset, and root attributes "y",
 * "x". */
static int write_untracked(const char *path)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return -1;
    int ok = 1;
    static const char *const groups[] = {"b", "a", "c"};
    for (size_t i = 0; i < 3; i++) {
        hid_t g = H5Gcreate2(f, groups[i], H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT);
        ok &= g >= 0;
        if (g >= 0)
            H5Gclose(g);
    }
    hid_t sp = H5Screate(H5S_SCALAR);
    int v = 1;
    hid_t d = H5Dcreate2(f, "/a/d", H5T_STD_I32LE, sp, H5P_DEFAULT,
                         H5P_DEFAULT, H5P_DEFAULT);
    ok &= d >= 0 && H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL,
                             H5P_DEFAULT, &v) >= 0;
    if (d >= 0)
        H5Dclose(d);
    static const char *const attrs[] = {"y", "x"};
    for (size_t i = 0; i < 2; i++) {
        hid_t a = H5Acreate2(f, attrs[i], H5T_STD_I32LE, sp, H5P_DEFAULT,
                             H5P_DEFAULT);
        ok &= a >= 0 && H5Awrite(a, H5T_NATIVE_INT, &v) >= 0;
        if (a >= 0)
            H5Aclose(a);
    }
    H5Sclose(sp);
    ok &= H5Fclose(f) >= 0;
    return ok ? 0 : -1;
}

/* Listing group members and attributes: one helper serves both. */
static void test_listing(void)
{
    ds_error_t err = {0};
    char **names = NULL;
    size_t n = 0;
    int rc;
    ds_results_reader_t *f;
    const char *path = tpath("untracked.h5");
    if (write_untracked(path) != 0) {
        CHECK(0, "write a file without creation order");
        return;
    }
    /* ds_results_open wants format = dyadseq-results: add it */
    hid_t h = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
    const char *fmt = DS_RESULTS_FORMAT;
    H5Tset_size(t, H5T_VARIABLE);
    hid_t a = H5Acreate2(h, "format", t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, &fmt);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    H5Fclose(h);
    if (ds_results_open(path, &f, &err) != 0) {
        CHECK(0, err.msg);
        return;
    }
    CHECK(ds_results_list(f, "/", &names, &n, &err) == 0 && n == 3 &&
              strcmp(names[0], "a") == 0 && strcmp(names[1], "b") == 0 &&
              strcmp(names[2], "c") == 0,
          "members without creation order: in name order");
    ds_results_names_free(names, n);
    /* HDF5 answers a creation-order query on untracked compact attributes
     * with their storage order, so only the set is certain here */
    int seen = 0;
    rc = ds_results_attr_names(f, "/", &names, &n, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        seen |= strcmp(names[i], "format") == 0   ? 1
                : strcmp(names[i], "x") == 0 ? 2
                : strcmp(names[i], "y") == 0 ? 4
                                             : 8;
    CHECK(rc == 0 && n == 3 && seen == 7,
          "attributes of a file without creation order: all listed");
    ds_results_names_free(names, n);
    CHECK(ds_results_list(f, "/c", &names, &n, &err) == 0 && n == 0,
          "an empty group lists nothing");
    ds_results_names_free(names, n);
    CHECK(ds_results_attr_names(f, "/a/d", &names, &n, &err) == 0 && n == 0,
          "a dataset without attributes lists none");
    ds_results_names_free(names, n);
    CHECK(ds_results_list(f, "/a/d", &names, &n, &err) == DS_EDATA &&
              strstr(err.msg, "no group '/a/d'") && names == NULL && n == 0,
          "listing a dataset as a group is refused");
    CHECK(ds_results_attr_names(f, "/nope", &names, &n, &err) == DS_EDATA &&
              strstr(err.msg, "untracked.h5: no object '/nope'"),
          "attributes of a missing object: the file and path named");
    ds_results_close(f);

    /* creation order wins where it is tracked (ours), for both */
    ds_results_t *r;
    path = tpath("tracked.h5");
    rc = ds_results_create(path, &r, &err);
    if (!rc)
        rc = ds_results_make_group(r, "/z", &err);
    if (!rc)
        rc = ds_results_make_group(r, "/m", &err);
    if (!rc)
        rc = ds_results_attr_int64(r, "/m", "zeta", 1, &err);
    if (!rc)
        rc = ds_results_attr_int64(r, "/m", "alpha", 2, &err);
    if (!rc)
        rc = ds_results_commit(r, &err);
    else
        ds_results_abort(r);
    if (rc || ds_results_open(path, &f, &err)) {
        CHECK(0, err.msg);
        return;
    }
    CHECK(ds_results_list(f, "/", &names, &n, &err) == 0 && n == 2 &&
              strcmp(names[0], "z") == 0 && strcmp(names[1], "m") == 0,
          "members in creation order");
    ds_results_names_free(names, n);
    CHECK(ds_results_attr_names(f, "/m", &names, &n, &err) == 0 && n == 2 &&
              strcmp(names[0], "zeta") == 0 &&
              strcmp(names[1], "alpha") == 0,
          "attributes in creation order");
    ds_results_names_free(names, n);
    ds_results_close(f);
}

/* Commit r when rc is 0, else abort it: rc, or the commit's outcome. */
static int commit_or_abort(ds_results_t *r, int rc, ds_error_t *err)
{
    if (rc) {
        ds_results_abort(r);
        return rc;
    }
    return ds_results_commit(r, err);
}

/* Write three datasets in blocks of `block` rows, the last one short: a
 * chunked [S,10,10] double, a chunked [S,10,10] int64, a small [S] one
 * written through HDF5's pipeline, in that order or (small_between) with
 * the small one between the two others; by ds_results_append_block
 * (together) or ds_results_append_at (one by one). */
static int write_blocks(const char *path, int together, int small_between,
                        size_t S, size_t block, ds_error_t *err)
{
    ds_results_t *r = NULL;
    ds_results_dset_t *d[3] = {NULL};
    size_t big[3] = {S, 10, 10}, small[1] = {S};
    /* where each goes in d: the double, the int64, the small one */
    int at[3] = {0, small_between ? 2 : 1, small_between ? 1 : 2};
    double *x = malloc(S * 100 * sizeof *x), *y = malloc(S * sizeof *y);
    int64_t *z = malloc(S * 100 * sizeof *z);
    int rc = x && y && z ? ds_results_create(path, &r, err) : DS_ENOMEM;
    for (size_t i = 0; !rc && i < S * 100; i++) {
        x[i] = (double)(i % 977) / 7.0 + (double)i * 1e-9;
        z[i] = (int64_t)(i % 13);
        if (i < S)
            y[i] = (double)i / 3.0;
    }
    if (!rc) {
        ds_results_set_threads(r, 2);
        rc = ds_results_begin(r, "/a", DS_RESULTS_DOUBLE, 3, big,
                              "session,from,to", &d[at[0]], err);
    }
    if (!rc && small_between)
        rc = ds_results_begin(r, "/b", DS_RESULTS_DOUBLE, 1, small,
                              "session", &d[at[2]], err);
    if (!rc)
        rc = ds_results_begin(r, "/c", DS_RESULTS_INT64, 3, big,
                              "session,from,to", &d[at[1]], err);
    if (!rc && !small_between)
        rc = ds_results_begin(r, "/b", DS_RESULTS_DOUBLE, 1, small,
                              "session", &d[at[2]], err);
    for (size_t first = 0; !rc && first < S; first += block) {
        size_t n = S - first < block ? S - first : block;
        const void *v[3];
        v[at[0]] = x + first * 100;
        v[at[1]] = z + first * 100;
        v[at[2]] = y + first;
        if (together)
            rc = ds_results_append_block(d, v, 3, first, n, err);
        for (int k = 0; !together && !rc && k < 3; k++)
            rc = ds_results_append_at(d[k], first, n, v[k], err);
    }
    for (int k = 0; !rc && k < 3; k++) {
        rc = ds_results_end(d[k], err);
        d[k] = NULL;
    }
    rc = commit_or_abort(r, rc, err);
    free(x);
    free(y);
    free(z);
    return rc;
}

/* ds_results_append_block writes what ds_results_append_at one dataset
 * after another writes, byte for byte: blocks of whole chunks (the
 * codec's batch path; the last block, short, is the datasets' last rows,
 * padded with zeros in the batch as ds_results_end pads them when they
 * come one at a time), and blocks that are not (one at a time); with a
 * small dataset between two chunked ones, one stream takes the chunks of
 * both and writes the small one in between. */
static void test_append_block(void)
{
    ds_error_t err = {0};
    size_t S = 1000;
    /* 327 rows: whole chunks of 800-byte rows (256 KiB), the streaming
     * case; 100: not whole chunks */
    size_t blocks[2] = {327, 100};
    for (int between = 0; between < 2; between++)
        for (int b = 0; b < 2; b++) {
            const char *p1 = tpath("block1.h5"), *p2 = tpath("block2.h5");
            CHECK_INT(write_blocks(p1, 1, between, S, blocks[b], &err), 0,
                      "blocks appended together");
            CHECK_INT(write_blocks(p2, 0, between, S, blocks[b], &err), 0,
                      "blocks appended one dataset at a time");
            CHECK(same_file(p1, p2),
                  blocks[b] == 327
                      ? (between ? "the same bytes (whole chunks, the small "
                                   "dataset between the others)"
                                 : "the same bytes (whole chunks)")
                      : (between ? "the same bytes (partial chunks, the "
                                   "small dataset between the others)"
                                 : "the same bytes (partial chunks)"));
            remove(p1);
            remove(p2);
        }
}

/* A file with a dataset /x, then columns /d (double), /i (int64) and /s
 * (strings) of n rows: written whole after /x, or (as_columns) begun
 * before /x with ds_results_begin_column, appended in uneven pieces
 * around it, and ended after it. */
static int write_columns(const char *path, int as_columns, size_t n,
                         int level, int threads, ds_error_t *err)
{
    static const char *const names[3] = {"alpha", "beta", ""};
    ds_results_t *r = NULL;
    ds_results_dset_t *c[3] = {NULL};
    double *x = malloc((n + 1) * sizeof *x);
    int64_t *y = malloc((n + 1) * sizeof *y);
    const char **z = malloc((n + 1) * sizeof *z);
    double head[3] = {1, 2, 3};
    size_t three = 3;
    int rc = x && y && z ? ds_results_create(path, &r, err) : DS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)(i % 977) / 7.0 + (double)i * 1e-9;
        y[i] = (int64_t)(i / 5);
        z[i] = names[i % 3];
    }
    if (!rc) {
        ds_results_set_threads(r, threads);
        ds_results_set_compression(r, level);
    }
    if (as_columns) {
        static const ds_results_type_t type[3] = {
            DS_RESULTS_DOUBLE, DS_RESULTS_INT64, DS_RESULTS_STRING};
        static const char *const path_of[3] = {"/g/d", "/g/i", "/g/s"};
        const void *v[3] = {x, y, z};
        size_t esize[3] = {sizeof *x, sizeof *y, sizeof *z};
        for (int k = 0; !rc && k < 3; k++)
            rc = ds_results_begin_column(r, path_of[k], type[k], "point",
                                         &c[k], err);
        /* pieces of 1, 2, 4, ... rows, /x written half way */
        size_t done = 0, piece = 1;
        int x_done = 0;
        while (!rc && (done < n || !x_done)) {
            if (!x_done && (done >= n / 2)) {
                rc = ds_results_write_double(r, "/x", 1, &three, head, NULL,
                                             err);
                x_done = 1;
                continue;
            }
            size_t m = n - done < piece ? n - done : piece;
            for (int k = 0; !rc && k < 3; k++)
                rc = ds_results_append(
                    c[k], m, (const char *)v[k] + done * esize[k], err);
            done += m;
            piece = piece * 2 + 1;
        }
        for (int k = 0; !rc && k < 3; k++) {
            rc = ds_results_end(c[k], err);
            c[k] = NULL;
        }
    } else {
        if (!rc)
            rc = ds_results_write_double(r, "/x", 1, &three, head, NULL, err);
        if (!rc)
            rc = ds_results_write_double(r, "/g/d", 1, &n, x, "point", err);
        if (!rc)
            rc = ds_results_write_int64(r, "/g/i", 1, &n, y, "point", err);
        if (!rc)
            rc = ds_results_write_strings(r, "/g/s", n, z, "point", err);
    }
    rc = commit_or_abort(r, rc, err);
    free(x);
    free(y);
    free(z);
    return rc;
}

/* A column begun with ds_results_begin_column and ended after other
 * writes is the dataset written whole at its end, byte for byte, at every
 * storage: empty, compact, contiguous, one whole chunk, several chunks
 * and a partial one (held compressed), no compression, two threads. */
static void test_columns(void)
{
    ds_error_t err = {0};
    size_t sizes[] = {0, 5, 900, 5000, 32768, 2 * 32768 + 17, 4 * 32768 + 5};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (int level = 0; level <= 1; level++)
            for (int threads = 1; threads <= 2; threads++) {
                if (threads == 2 && (level == 0 || sizes[i] < 32768))
                    continue;
                const char *p1 = tpath("col1.h5"), *p2 = tpath("col2.h5");
                char what[128];
                snprintf(what, sizeof what,
                         "%zu rows, level %d, %d thread(s): ", sizes[i],
                         level, threads);
                int rc1 = write_columns(p1, 1, sizes[i], level, threads, &err);
                CHECK(rc1 == 0, rc1 ? err.msg : "columns written");
                int rc2 = write_columns(p2, 0, sizes[i], level, threads, &err);
                CHECK(rc2 == 0, rc2 ? err.msg : "written whole");
                char msg[200];
                snprintf(msg, sizeof msg, "%sthe same bytes", what);
                CHECK(!rc1 && !rc2 && same_file(p1, p2), msg);
                remove(p1);
                remove(p2);
            }
    /* abort with columns open: no file, nothing leaked */
    ds_results_t *r;
    ds_results_dset_t *d;
    const char *p = tpath("col_abort.h5");
    double v[40000] = {0};
    CHECK(ds_results_create(p, &r, &err) == 0 &&
              ds_results_begin_column(r, "/d", DS_RESULTS_DOUBLE, NULL, &d,
                                      &err) == 0 &&
              ds_results_append(d, 40000, v, &err) == 0,
          "a column begun and appended");
    ds_results_abort(r);
    CHECK(access(p, F_OK) != 0, "an aborted file with an open column is not "
                                "left behind");
}

int main(int argc, char **argv)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (argc == 3 && strcmp(argv[1], "--write-other") == 0)
        return write_other(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "--write") == 0) {
        size_t big = 0;
        int level = -1, threads = 0;
        for (int i = 3; i + 1 < argc; i += 2) {
            if (strcmp(argv[i], "--sessions") == 0)
                big = (size_t)strtoul(argv[i + 1], NULL, 10);
            else if (strcmp(argv[i], "--level") == 0)
                level = atoi(argv[i + 1]);
            else if (strcmp(argv[i], "--threads") == 0)
                threads = atoi(argv[i + 1]);
        }
        ds_error_t err = {0};
        if (write_fixture(argv[2], big, level, threads, &err)) {
            fprintf(stderr, "test_results: error: %s\n", err.msg);
            return 1;
        }
        return 0;
    }
    snprintf(tmpdir, sizeof tmpdir, "%s/dyadseq-results.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("not ok 1 - cannot make a temporary directory\n");
        return 1;
    }
    test_read_small();
    test_big();
    test_deterministic();
    test_atomic();
    test_writer_errors();
    test_reader_errors();
    test_escape();
    test_listing();
    test_append_block();
    test_columns();

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmpdir);
    return UNIT_DONE();
}
