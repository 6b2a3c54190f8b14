/*
 * fuzz_transcript.c — the transcript reader through its public entry
 * point (ds_ingest_load, as validate and analyze call it) on one file,
 * with the built-in codebook and actors A,B, once sorted and once not:
 * any bytes give a corpus or located problems, never a memory error, and
 * a corpus's sessions hold their events in order when sorted.
 *
 * Inputs are capped at 64 KiB (run with -max_len=65536): libcsv grows a
 * field's buffer 128 bytes at a time, so under AddressSanitizer a 1 MB
 * field costs 8,000 reallocations and the fuzzer would spend its time
 * there; tests/bad/big_field.csv covers the 1 MB field.
 */
#include "dyadseq/codebook.h"
#include "dyadseq/ingest.h"
#include "fuzz.h"

#define MAX_INPUT (64 << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static ds_codebook_t *cb;
    static const char *const actors[] = {"A", "B"};
    if (n > MAX_INPUT)
        return 0;
    if (!cb && !(cb = ds_codebook_alloc_default()))
        abort();
    char path[512];
    if (fuzz_file(data, n, ".csv", path, sizeof path))
        return 0;
    const char *args[] = {path};
    for (int sort = 0; sort < 2; sort++) {
        ds_ingest_opts_t o = {.codebook = cb, .actors = actors,
                              .n_actors = 2, .sort = sort, .threads = 1};
        ds_corpus_t *c = NULL;
        ds_diag_t diag;
        ds_error_t err = {0};
        ds_diag_init(&diag, 50);
        int rc = ds_ingest_load(args, 1, &o, &c, &diag, &err);
        if (rc == 0 && c && c->has_time && sort)
            for (size_t s = 0; s < c->n_sessions; s++)
                for (size_t e = 1; e < c->sessions[s].n; e++)
                    if (c->sessions[s].onset[e] < c->sessions[s].onset[e - 1])
                        abort();
        if (rc != 0 && rc != DS_EDATA && !*err.msg)
            abort(); /* an error without a message */
        ds_corpus_free(c);
        ds_diag_clear(&diag);
    }
    unlink(path);
    return 0;
}
