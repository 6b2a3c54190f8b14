/*
 * sha256.h — SHA-256 (FIPS 180-4) of input files, recorded in every results
 * file as provenance (and of the results file a command reads). None of
 * the project's libraries (libcsv, GSL, HDF5) provides a digest, and ~100
 * lines checked against the FIPS test vectors are lighter than a new
 * dependency (see README, "Dependencies").
 */
#ifndef DYADSEQ_SHA256_H
#define DYADSEQ_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/error.h"

typedef struct ds_sha256 {
    uint32_t h[8];
    uint64_t n_bytes;
    unsigned char buf[64];
    size_t buf_len;
    int portable;  /* set to 1 to force the portable code (for tests) */
} ds_sha256_t;

/* 1 when the x86 SHA extensions are used, else 0. */
int ds_sha256_accelerated(void);

void ds_sha256_init(ds_sha256_t *c);
void ds_sha256_update(ds_sha256_t *c, const void *data, size_t len);
/* Finish and write 64 lowercase hex digits and a NUL to hex[65]. */
void ds_sha256_final_hex(ds_sha256_t *c, char hex[65]);

/* The digest of the whole file at path into hex[65]. Returns 0, or DS_EIO
 * with err set ("PATH: reason") when it cannot be opened or read. */
int ds_sha256_file(const char *path, char hex[65], ds_error_t *err);

#endif
