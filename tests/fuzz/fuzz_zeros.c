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
    ds_corpus_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->has_actor = 1;
    c->n_actors = 2;
    c->actors = calloc(2, sizeof *c->actors);
    c->codebook = ds_codebook_default();
    if (!c->actors || !c->codebook || !(c->actors[0] = strdup("A")) ||
        !(c->actors[1] = strdup("B")) || ds_corpus_make_states(c)) {
        ds_corpus_free(c);
        return NULL;
    }
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
    ds_diag_free(&diag);
    unlink(path);
    return 0;
}
