/*
 * fuzz.h — what the libFuzzer harnesses of tests/fuzz/ share: the input
 * as a file (the parsers read files by name, as the program does), in
 * memory where the system has memfd, else under TMPDIR.
 */
#ifndef DYADSEQ_FUZZ_H
#define DYADSEQ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write data to a fresh file and put its name in path[size]; 0 or -1. */
static inline int fuzz_file(const uint8_t *data, size_t n, const char *suffix,
                     char *path, size_t size)
{
    static unsigned serial;
    snprintf(path, size, "%s/dyadseq-fuzz-%ld-%u%s",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(),
             serial++ % 4, suffix);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    int ok = fwrite(data, 1, n, fp) == n;
    ok &= fclose(fp) == 0;
    return ok ? 0 : -1;
}

/* data as a NUL-terminated string (malloc'd; NULL on OOM). */
static inline char *fuzz_string(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, data, n);
        s[n] = '\0';
    }
    return s;
}

#endif
