/*
 * dist.h — a run shared among processes (MPI), or run by one (issue 16).
 *
 * The serial program (build/dyadseq) is one process: ds_dist_world() is
 * NULL and every function here does what one process does (nothing to
 * exchange; src/dist_serial.c). The MPI program (build/dyadseq-mpi, `make
 * MPI=1`, src/mpi_dist.c) started by `mpirun -np P` shares `analyze` and
 * `validate` among its P processes (ranks): each reads its share of the
 * input, computes its share of the sessions on its own OpenMP threads,
 * and all of them write one results file with parallel HDF5; every other
 * command runs on rank 0 alone while the others wait for its exit status.
 *
 * The sessions of a rank are a contiguous run in the order of /sessions,
 * balanced on a cost (ds_dist_split): a session costs its events plus K²,
 * the cells of its tables. Contiguous runs keep each rank's rows of the
 * per-session datasets one block of rows, and make the first failure in
 * session order the first failing rank's.
 *
 * Every function taking a ds_dist_t is collective: all ranks call it, in
 * the same order, or the run hangs. NULL means one process.
 */
#ifndef DYADSEQ_DIST_H
#define DYADSEQ_DIST_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/corpus.h"
#include "dyadseq/error.h"
#include "dyadseq/ingest.h"

typedef struct ds_dist ds_dist_t;

/*
 * Start the process for `command` (main() calls this first; it may change
 * argc/argv as MPI_Init does). Returns 1 when this process runs the
 * command, 0 when it only waits for rank 0's (a command that is not
 * shared, on ranks other than 0). Ranks other than 0 print nothing: their
 * standard output and error go to /dev/null, and what they have to say
 * reaches rank 0 through ds_dist_agree.
 */
int ds_dist_start(int *argc, char ***argv, const char *command);

/* End: every rank returns the same exit status (the highest of the
 * ranks', or rank 0's for a command that is not shared); then MPI ends. */
int ds_dist_finish(int status);

/* The processes sharing this command, or NULL when there is one. */
const ds_dist_t *ds_dist_world(void);

int ds_dist_rank(const ds_dist_t *d); /* 0 for NULL */
int ds_dist_size(const ds_dist_t *d); /* 1 for NULL */

/* Cores for this process's threads when -t is not given: all of the
 * machine's, shared evenly among the ranks on the same machine. */
int ds_dist_cores(void);

/*
 * Agree on an outcome: returns the rc of the lowest rank whose rc is not
 * 0, with that rank's err copied into err on every rank, or 0 when all
 * succeeded. Collective; with d NULL, returns rc.
 */
int ds_dist_agree(const ds_dist_t *d, int rc, ds_error_t *err);

/* v[0..n) summed over the ranks, in place (exact: integers). */
int ds_dist_sum_i64(const ds_dist_t *d, int64_t *v, size_t n,
                    ds_error_t *err);

/* The largest v over the ranks. */
size_t ds_dist_max(const ds_dist_t *d, size_t v);

/*
 * Every rank's bytes, concatenated in rank order, on every rank: *all
 * (malloc'd; free it) of sum(len) bytes, len[r] the length of rank r's
 * part (len has ds_dist_size(d) entries). Any length (sent in pieces
 * below MPI's int limit).
 */
int ds_dist_allgather(const ds_dist_t *d, const void *mine, size_t n,
                      unsigned char **all, size_t *len, ds_error_t *err);

/*
 * A [rows][cols] array of elements of `size` bytes whose columns
 * [bounds[r], bounds[r + 1]) rank r filled: every rank's columns on
 * every rank (power's replications).
 */
int ds_dist_gather_cols(const ds_dist_t *d, void *v, size_t size,
                        size_t rows, size_t cols, const size_t *bounds,
                        ds_error_t *err);

/* Rank root's n bytes at buf, to every rank. */
int ds_dist_bcast(const ds_dist_t *d, int root, void *buf, size_t n,
                  ds_error_t *err);

/*
 * Split items with costs cost[0..n) into P contiguous runs of about equal
 * cost: run r is [bounds[r], bounds[r + 1]), bounds[0] = 0, bounds[P] = n;
 * rank r starts at the first item whose cost before it is at least r/P of
 * the total, so no run exceeds its share by more than one item. Runs may
 * be empty (fewer items than ranks).
 */
void ds_dist_split(const uint64_t *cost, size_t n, int P, size_t *bounds);

/* This rank's equal share [*lo, *hi) of n like items, rank after rank
 * (all of them with d NULL). */
void ds_dist_range(const ds_dist_t *d, size_t n, size_t *lo, size_t *hi);

/*
 * The sessions of corpus c for each rank: bounds[0..P] (P =
 * ds_dist_size(d), malloc'd; free it) from ds_dist_split with the cost of
 * a session n + K². NULL when out of memory.
 */
size_t *ds_dist_sessions(const ds_dist_t *d, const ds_corpus_t *c);

/*
 * ds_ingest_load shared among the ranks of d: the inputs, in order, are
 * cut into P byte ranges of about equal size at line starts, each rank
 * parses its range (a file's header is read by every rank that has part
 * of the file; each file is hashed by the rank that has its start), the
 * parsed events go to every rank and are merged in file order, so every
 * rank has the corpus one process would read. Whatever the shared reader
 * cannot judge exactly as the one-thread reader would (as in
 * ds_ingest_load: any problem in the data, a quoted field, ...) makes
 * every rank read everything with ds_ingest_load, so the messages in diag
 * are the serial program's, on every rank (rank 0 prints them). Standard
 * input and other files that are not regular files cannot be shared:
 * DS_EUSAGE. With d NULL, ds_ingest_load. *shared (may be NULL) tells
 * whether the ranks read in shares (1) or each read everything (0).
 * Collective.
 */
int ds_dist_ingest_load(const ds_dist_t *d, const char *const *args,
                        size_t n_args, const ds_ingest_opts_t *opts,
                        ds_corpus_t **out, int *shared, ds_diag_t *diag,
                        ds_error_t *err);

#endif
