/*
 * results.h — the one writer and reader of dyadseq results files (HDF5).
 *
 * Every command that writes results (analyze, compare, agree) and every
 * command that reads them (export, info, compare) goes through this module;
 * its files (results_write.c, results_dset.c, results_codec.c,
 * results_read.c, results_common.c; results_internal.h says who does
 * what) are the only ones that include <hdf5.h> apart from main.c, so a
 * parallel-HDF5 build changes one module. Callers see no HDF5 types.
 *
 * Writing (SPEC 2, 5):
 *   - ds_results_create() makes a temporary file ".NAME.tmp.XXXXXX" in the
 *     directory of the output path through the one atomic save of
 *     outfile.h, and never touches an existing file there;
 *     ds_results_commit() closes and fsyncs it, renames it over the path
 *     (atomic on POSIX file systems) and fsyncs the directory;
 *     ds_results_abort() removes it. A failed run therefore leaves no
 *     output file and never truncates an existing one; outfile.h says
 *     what removes the temporary on a signal or a crash.
 *   - Datasets are written by absolute path ("/lag/1/session/expected");
 *     missing groups on the way are created. Every dataset carries a string
 *     attribute `dimensions` naming its axes ("session,from,to", "" for a
 *     scalar); `dyadseq export` uses it to label rows.
 *   - Storage: datasets under 8 KiB are compact (in the object header),
 *     under 64 KiB contiguous; larger ones are chunked along their first
 *     axis in blocks of whole rows (sessions) of about 256 KiB, with the
 *     shuffle and deflate filters (ds_results_set_compression). Numeric
 *     chunks are shuffled and deflated by this module on all threads and
 *     stored with H5Dwrite_chunk; readers see ordinary shuffle+deflate
 *     datasets.
 *   - Determinism: no object timestamps, link and attribute creation order
 *     tracked, library format bounds fixed at 1.8 (readable by HDF5 >= 1.8,
 *     which every MATLAB, h5py and R build has), little-endian file types.
 *     The same calls give a byte-identical file at any thread count.
 *   - Strings are variable-length UTF-8: h5py reads them as str (via
 *     .asstr() for datasets), R hdf5r as character vectors, MATLAB h5read
 *     as cell arrays of char (fixed-length strings would come back padded,
 *     as a char matrix in MATLAB and bytes in h5py).
 *
 * Reading: ds_results_open() opens a results file read-only and checks the
 * root attribute format = "dyadseq-results"; then test and list paths, read
 * datasets whole or in blocks of rows, read attributes.
 *
 * Not thread-safe: call from one thread (chunk compression inside uses
 * OpenMP threads of its own, never HDF5 from them).
 *
 * Under MPI (the MPI program, a command shared among ranks: dist.h),
 * every rank calls every function with the same arguments, and they write
 * one file together with parallel HDF5 (results_internal.h says how);
 * each function's outcome is then the same on every rank.
 *
 * All functions return 0 or a negative DS_E* code with err set: DS_EHDF5
 * when the HDF5 library fails (the message names the file and the path),
 * DS_EIO for system calls, DS_ENOMEM, DS_EUSAGE for a malformed path or
 * shape (a programming error), DS_EDATA when a file is not what it should
 * be (not HDF5, not a results file, a path missing or of the wrong type).
 *
 * Testing only: the environment variable DYADSEQ_FAULT=results_write[:N]
 * makes the N-th dataset or attribute write of each file fail (default
 * N = 2), DYADSEQ_FAULT=results_commit makes ds_results_commit() fail just
 * before the rename, so tests can check that failures leave no file.
 */
#ifndef DYADSEQ_RESULTS_H
#define DYADSEQ_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/error.h"

/* Root attribute `format` of every results file. */
#define DS_RESULTS_FORMAT "dyadseq-results"

/* The root attributes this module writes (ds_results_create and
 * ds_results_write_provenance); layout_paths.h gives them to readers. */
#define DS_RESULTS_ATTR_FORMAT "format"
#define DS_RESULTS_ATTR_FORMAT_VERSION "format_version"
#define DS_RESULTS_ATTR_SOFTWARE_VERSION "software_version"
#define DS_RESULTS_ATTR_COMMAND_LINE "command_line"
#define DS_RESULTS_ATTR_PARAMETERS "parameters"
#define DS_RESULTS_ATTR_INPUT_FILES "input_files"
#define DS_RESULTS_ATTR_INPUT_SHA256 "input_sha256"
#define DS_RESULTS_ATTR_SEED "seed"

/* Most axes a dataset may have. */
#define DS_RESULTS_MAX_RANK 8

/* Longest `dimensions` attribute, terminating NUL included. */
#define DS_RESULTS_DIMNAMES_MAX 256

/* Default deflate level: fast (see ds_results_set_compression). */
#define DS_RESULTS_DEFAULT_LEVEL 1

/* Element types. */
typedef enum {
    DS_RESULTS_DOUBLE = 0, /* IEEE 754 binary64 */
    DS_RESULTS_INT64,      /* signed 64-bit integer */
    DS_RESULTS_UINT8,      /* unsigned 8-bit integer (flags) */
    DS_RESULTS_STRING,     /* variable-length UTF-8 string */
    DS_RESULTS_OTHER       /* anything else (only seen when reading) */
} ds_results_type_t;

/*
 * Start the HDF5 library, first thing in main(): its error printing off,
 * every package it sets up lazily set up now, no exit handler, and the
 * crash guard of outfile.h installed. HDF5 is never closed: by the end of
 * main() every file is closed (a writer committed or aborted, a reader
 * closed); H5close, in an exit handler or at the end, crashed after a
 * close of the library's own had failed unseen (out of memory) or when a
 * library's exit() came half way through a write (issue 18 #5, #9); the
 * process's memory goes with it (HDF5's free lists stay reachable, so
 * leak checkers do not count them). Returns 0 or DS_EHDF5 (out of
 * memory).
 */
int ds_results_library_open(void);

/* ------------------------------------------------------------------ */
/* Writing                                                            */
/* ------------------------------------------------------------------ */

typedef struct ds_results ds_results_t;

/*
 * Start writing the results file `path`: create the temporary file next to
 * it and write the root attributes format = "dyadseq-results",
 * format_version (DS_FORMAT_VERSION) and software_version (DS_VERSION).
 * Fails with DS_EIO when the directory is not writable.
 */
int ds_results_create(const char *path, ds_results_t **out, ds_error_t *err);

/* The rest of the provenance every results file records (SPEC 5). */
typedef struct ds_results_provenance {
    const char *command_line;           /* as typed, for provenance */
    const char *parameters;             /* JSON object of every option */
    unsigned long seed;
    size_t n_inputs;
    const char *const *input_files;     /* [n_inputs] names as given */
    const char *const *input_sha256;    /* [n_inputs] hex digests */
} ds_results_provenance_t;

/*
 * Write the root attributes command_line, parameters, input_files,
 * input_sha256 (arrays, one entry per input file) and seed (int64).
 * NULL strings are written as "".
 */
int ds_results_write_provenance(ds_results_t *r,
                                const ds_results_provenance_t *p,
                                ds_error_t *err);

/*
 * Deflate level for datasets created from now on: 0 = no filters (large
 * datasets contiguous), 1 = fast (zlib level 1 with its run-length
 * strategy, which on shuffled doubles compresses as well as levels 1-6 in
 * less than half the time; the default), 2..9 = zlib level with its
 * default strategy. Values outside 0..9 are clamped.
 */
void ds_results_set_compression(ds_results_t *r, int level);

/* Threads for compressing chunks; 0 = OpenMP's default (all cores). */
void ds_results_set_threads(ds_results_t *r, int n);

/*
 * Close, fsync and rename the temporary over the output path. r is freed
 * whether or not this succeeds; on failure the temporary is removed and an
 * existing file at the path is left as it was.
 */
int ds_results_commit(ds_results_t *r, ds_error_t *err);

/*
 * The first half of ds_results_commit: close and fsync the temporary, so
 * that the file is complete but has not its name yet. A command that
 * reports on standard output does so now, and commits only when that
 * succeeded: a run that exits 1 leaves no file (issue 18 #8). On failure
 * r is left to ds_results_abort; after success ds_results_commit only
 * renames (and ds_results_abort still removes the file).
 */
int ds_results_finish(ds_results_t *r, ds_error_t *err);

/* Give up: close and remove the temporary, free r. r may be NULL. */
void ds_results_abort(ds_results_t *r);

/*
 * Write a whole dataset of `rank` axes (0 = scalar; dims may then be NULL)
 * with the given axis names, comma separated ("session,from,to"; "" for a
 * scalar; NULL means "" for a scalar and "row" for one axis). Data are in
 * C (row-major) order. Groups on the path are created; an existing object
 * at the path is an error.
 */
int ds_results_write_double(ds_results_t *r, const char *path, size_t rank,
                            const size_t *dims, const double *data,
                            const char *dimnames, ds_error_t *err);
int ds_results_write_int64(ds_results_t *r, const char *path, size_t rank,
                           const size_t *dims, const int64_t *data,
                           const char *dimnames, ds_error_t *err);
int ds_results_write_uint8(ds_results_t *r, const char *path, size_t rank,
                           const size_t *dims, const uint8_t *data,
                           const char *dimnames, ds_error_t *err);

/* A 1-D array of n strings (NULL entries are written as ""). */
int ds_results_write_strings(ds_results_t *r, const char *path, size_t n,
                             const char *const *data, const char *dimnames,
                             ds_error_t *err);

/* Scalars (rank 0, dimensions ""). */
int ds_results_write_scalar_double(ds_results_t *r, const char *path,
                                   double v, ds_error_t *err);
int ds_results_write_scalar_int64(ds_results_t *r, const char *path,
                                  int64_t v, ds_error_t *err);
int ds_results_write_scalar_string(ds_results_t *r, const char *path,
                                   const char *s, ds_error_t *err);

/*
 * A label (session label, metric) as one path component, for groups such
 * as /lag/1/pooled_by_label/<label>: '%' and '/' are percent-encoded
 * ("%25", "%2F") and the names "." and ".." become "%2E" and "%2E%2E".
 * Write the label itself in the group's `label` attribute too. Returns a
 * malloc'd string, or NULL for an empty label or when out of memory.
 */
char *ds_results_escape_name(const char *label);

/* Create a group (and its parents); an existing group is not an error. */
int ds_results_make_group(ds_results_t *r, const char *path,
                          ds_error_t *err);

/*
 * Attributes on the object at obj ("/" = the root group). A missing object
 * is created as a group; an attribute that exists already is an error.
 */
int ds_results_attr_string(ds_results_t *r, const char *obj,
                           const char *name, const char *value,
                           ds_error_t *err);
int ds_results_attr_strings(ds_results_t *r, const char *obj,
                            const char *name, size_t n,
                            const char *const *values, ds_error_t *err);
int ds_results_attr_int64(ds_results_t *r, const char *obj, const char *name,
                          int64_t value, ds_error_t *err);
int ds_results_attr_double(ds_results_t *r, const char *obj,
                           const char *name, double value, ds_error_t *err);

/*
 * Incremental writing of a large array in blocks of rows (first-axis
 * slices, e.g. sessions), in order, so a caller need not hold the whole
 * [S, K, K] array: begin, append rows until dims[0] rows are written, end.
 * Several datasets may be open at once. Numeric types, and
 * DS_RESULTS_STRING with rank 1 (data is then const char *const *). The
 * ds_results_write_* functions are begin + one append + end. After a
 * failed append, ds_results_abort(r) frees every open dataset too.
 */
typedef struct ds_results_dset ds_results_dset_t;

/* First-axis rows per chunk of a large dataset whose rows are row_bytes
 * long: appending whole chunks lets them be compressed in parallel. */
size_t ds_results_chunk_rows(size_t row_bytes);

int ds_results_begin(ds_results_t *r, const char *path,
                     ds_results_type_t type, size_t rank, const size_t *dims,
                     const char *dimnames, ds_results_dset_t **out,
                     ds_error_t *err);
int ds_results_append(ds_results_dset_t *d, size_t n_rows, const void *data,
                      ds_error_t *err);
/*
 * Rows [first, first + n_rows) of this process's own: in the serial
 * program the same as ds_results_append (first must be the next row);
 * under MPI (dist.h) each rank gives its own rows, possibly none, and all
 * call it together.
 */
int ds_results_append_at(ds_results_dset_t *d, size_t first, size_t n_rows,
                         const void *data, ds_error_t *err);
/*
 * Rows [first, first + n_rows) of each of n datasets (NULL ones skipped),
 * as ds_results_append_at on each in turn, writing the same bytes; whole
 * chunks of several datasets go to the codec together, so that a block of
 * sessions, one chunk per dataset, is compressed on all threads.
 */
int ds_results_append_block(ds_results_dset_t *const *d,
                            const void *const *data, size_t n_dsets,
                            size_t first, size_t n_rows, ds_error_t *err);
/* Finish: every row must have been appended. d is freed in any case. */
int ds_results_end(ds_results_dset_t *d, ds_error_t *err);

/*
 * A column (rank 1) whose length is known only at its end, such as the
 * points of every session's curves: its rows are appended with
 * ds_results_append as they are computed, and ds_results_end creates the
 * dataset at path with all of them, exactly as ds_results_write_* would
 * at that moment (the same storage, the same bytes; it takes its place in
 * the creation order then). Until then the rows are held in memory:
 * whole chunks compressed (a chunk a thread, up to four at a time) when the
 * dataset will be stored in compressed chunks that this module writes
 * directly (Storage, above), else as given (strings: the pointers, whose
 * strings must live until the end). Nothing touches the file before the
 * end; under MPI every rank appends the same rows.
 */
int ds_results_begin_column(ds_results_t *r, const char *path,
                            ds_results_type_t type, const char *dimname,
                            ds_results_dset_t **out, ds_error_t *err);

/* ------------------------------------------------------------------ */
/* Reading                                                            */
/* ------------------------------------------------------------------ */

typedef struct ds_results_reader ds_results_reader_t;

/*
 * Open a results file read-only. DS_EIO when it cannot be opened (missing,
 * unreadable, a directory), DS_EDATA when it is not an HDF5 file or its
 * root attribute format is not "dyadseq-results".
 */
int ds_results_open(const char *path, ds_results_reader_t **out,
                    ds_error_t *err);
void ds_results_close(ds_results_reader_t *f);

/* The file name given to ds_results_open. */
const char *ds_results_file_name(const ds_results_reader_t *f);

typedef enum {
    DS_RESULTS_ABSENT = 0,
    DS_RESULTS_GROUP,
    DS_RESULTS_DATASET,
    DS_RESULTS_OTHER_OBJECT /* a named datatype, a dangling link */
} ds_results_kind_t;

/*
 * What is at path (an ill-formed path is ABSENT). A look-up that HDF5
 * fails (out of memory, a damaged object header) answers ABSENT or
 * OTHER_OBJECT, and is remembered: ds_results_reader_error reports it, so
 * that a command does not end with success after reading less than the
 * file holds. ds_results_attr_exists does the same.
 */
ds_results_kind_t ds_results_kind(ds_results_reader_t *f, const char *path);

/* 0, or the DS_E* code of the first look-up that failed (err set). */
int ds_results_reader_error(const ds_results_reader_t *f, ds_error_t *err);

/*
 * Names of the members of the group at path, in creation order (name order
 * for groups written without creation-order tracking). Free with
 * ds_results_names_free.
 */
int ds_results_list(ds_results_reader_t *f, const char *path,
                    char ***names, size_t *n, ds_error_t *err);
void ds_results_names_free(char **names, size_t n);

/* The shape of a dataset or an attribute. */
typedef struct ds_results_shape {
    ds_results_type_t type;     /* stored type, as the nearest of ours */
    size_t rank;                /* 0 = scalar */
    size_t dims[DS_RESULTS_MAX_RANK];
    size_t n;                   /* elements: product of dims, 1 if scalar */
    size_t row_elems;           /* elements per first-axis row (n if rank 0) */
    size_t chunk_rows;          /* first-axis rows per chunk; 0 = unchunked */
    char dimensions[DS_RESULTS_DIMNAMES_MAX]; /* "" when absent */
} ds_results_shape_t;

/*
 * Every object of the file below the root, with each dataset's shape, in
 * one pass (H5Ovisit: an object reached by two paths is listed once),
 * sorted by path; string datasets are checked against the string heap on
 * the way. For checking a whole file (results_check.h). Free with
 * ds_results_catalog_free.
 */
typedef struct ds_results_entry {
    char *path;                 /* "/lag/1/pooled/g2" */
    ds_results_kind_t kind;
    ds_results_shape_t shape;   /* datasets only (chunk_rows not set) */
} ds_results_entry_t;

int ds_results_catalog(ds_results_reader_t *f, ds_results_entry_t **out,
                       size_t *n, ds_error_t *err);
const ds_results_entry_t *ds_results_catalog_find(
    const ds_results_entry_t *cat, size_t n, const char *path);
void ds_results_catalog_free(ds_results_entry_t *cat, size_t n);

/* A whole dataset or attribute read into memory. */
typedef struct ds_results_array {
    ds_results_shape_t shape;
    ds_results_type_t as;       /* what the data pointer holds */
    double *d;                  /* as DS_RESULTS_DOUBLE: n values */
    int64_t *i;                 /* as DS_RESULTS_INT64: n values */
    char **s;                   /* as DS_RESULTS_STRING: n strings */
} ds_results_array_t;

/* Free the data of a (or nothing if it holds none); a may be reused. */
void ds_results_array_clear(ds_results_array_t *a);

/* The shape of the dataset at path. */
int ds_results_shape(ds_results_reader_t *f, const char *path,
                     ds_results_shape_t *shape, ds_error_t *err);

/*
 * Read the whole dataset at path, converted to `as`: DS_RESULTS_DOUBLE
 * from any numeric type, DS_RESULTS_INT64 from integers only (a
 * floating-point dataset is DS_EDATA: NaN has no integer value),
 * DS_RESULTS_STRING from strings only.
 */
int ds_results_read(ds_results_reader_t *f, const char *path,
                    ds_results_type_t as, ds_results_array_t *a,
                    ds_error_t *err);

/*
 * Reading a large dataset in blocks of first-axis rows. buf receives
 * count * shape.row_elems values of type `as` (for strings, malloc'd
 * strings; free with ds_results_strings_free). Rows in [first, first +
 * count) must exist; a scalar has one row.
 */
typedef struct ds_results_dread ds_results_dread_t;

int ds_results_dread_open(ds_results_reader_t *f, const char *path,
                          ds_results_dread_t **out, ds_error_t *err);
const ds_results_shape_t *ds_results_dread_shape(const ds_results_dread_t *d);
int ds_results_dread_rows(ds_results_dread_t *d, ds_results_type_t as,
                          size_t first, size_t count, void *buf,
                          ds_error_t *err);
void ds_results_dread_close(ds_results_dread_t *d);

void ds_results_strings_free(char **s, size_t n);

/* Names of the attributes of obj in creation order. */
int ds_results_attr_names(ds_results_reader_t *f, const char *obj,
                          char ***names, size_t *n, ds_error_t *err);

/* Whether obj has the attribute (0 or 1; 0 also when obj is absent). */
int ds_results_attr_exists(ds_results_reader_t *f, const char *obj,
                           const char *name);

/* Read an attribute whole (conversion rules as ds_results_read). */
int ds_results_read_attr(ds_results_reader_t *f, const char *obj,
                         const char *name, ds_results_type_t as,
                         ds_results_array_t *a, ds_error_t *err);

/* A scalar string attribute as a malloc'd string. */
int ds_results_attr_get_string(ds_results_reader_t *f, const char *obj,
                               const char *name, char **out,
                               ds_error_t *err);

#endif
