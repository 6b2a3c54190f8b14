/*
 * fuzz_zeros.c — the structural-zero file (--structural-zeros FILE) over
 * the default states (A,B x the built-in codebook): any bytes give a mask
 * or located problems, never a memory error.
 */
#include "dyadseq/codebook.h"
#include "dyadseq/corpus.h"
#include "dyadseq/zeros.h"
#include "fuzz.h"

static ds_corpus_t *space(void)
{
    static const char *const actors[] = {"A", "B"};
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_corpus_t *c = cb ? ds_corpus_alloc(cb, actors, 2, 1) : NULL;
    ds_codebook_free(cb);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static ds_corpus_t *c;
    if (!c && !(c = space()))
        abort();
    char path[512];
    if (fuzz_file(data, n, ".csv", path, sizeof path))
        return 0;
    uint8_t *mask = NULL;
    ds_diag_t diag;
    ds_error_t err;
    ds_diag_init(&diag, 50);
    if (ds_zeros_load(path, c, &mask, &diag, &err) == 0 && !mask)
        abort(); /* a file names at least one cell */
    free(mask);
    ds_diag_clear(&diag);
    unlink(path);
    return 0;
}
