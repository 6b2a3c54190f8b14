/*
 * fuzz_codebook.c — the codebook reader (--codebook FILE): any bytes give
 * a codebook or located problems, never a memory error; a codebook read
 * has codes that are found again by name.
 */
#include "dyadseq/codebook.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    char path[512];
    if (fuzz_file(data, n, ".csv", path, sizeof path))
        return 0;
    ds_codebook_t *cb = NULL;
    ds_diag_t diag;
    ds_error_t err;
    ds_diag_init(&diag, 50);
    if (ds_codebook_load(path, &cb, &diag, &err) == 0) {
        for (size_t i = 0; i < cb->n; i++)
            if (ds_codebook_find(cb, cb->code[i]) != (long)i)
                abort();
    }
    ds_codebook_free(cb);
    ds_diag_clear(&diag);
    unlink(path);
    return 0;
}
