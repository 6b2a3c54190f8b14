/*
 * fuzz_import.c — the importers of `convert` (import.h: BORIS, ELAN, SDIS,
 * columns, interval sheets) on any bytes. The first byte picks the format
 * (its value modulo the number of importers), the rest is the input, read
 * with the options the format needs (columns of one row per event; an
 * interval sheet of 1-s intervals with one code column per partner) and
 * actors A, B and the subjects/tiers 'Partner 1' and 'Partner 2' mapped
 * to them. Any bytes give rows or located problems, never a memory error;
 * every row emitted has a couple, session and code.
 */
#include "fuzz.h"
#include "import.h"

typedef struct count {
    size_t rows;
} count_t;

static int emit(const ds_import_row_t *row, void *ctx)
{
    if (!row->couple || !row->session || !row->code)
        abort();
    ((count_t *)ctx)->rows++;
    return 0;
}

static void options(ds_import_opts_t *o, const char *format)
{
    static const char *const actors[] = {"A", "B"};
    char msg[256];
    ds_import_opts_init(o);
    o->actors = actors;
    o->n_actors = 2;
    if (ds_import_opt_map(&o->subject_actor, &o->n_subject_actor,
                          "Partner 1=A", "--subject-actor", msg, sizeof msg) ||
        ds_import_opt_map(&o->subject_actor, &o->n_subject_actor,
                          "Partner 2=B", "--subject-actor", msg, sizeof msg) ||
        ds_import_opt_map(&o->tier_actor, &o->n_tier_actor, "Partner 1=A",
                          "--tier-actor", msg, sizeof msg))
        abort();
    if (strcmp(format, "columns") == 0 &&
        ds_import_opt_columns(o, "couple=couple,session=session,actor=actor,"
                              "code=code,time=time,offset=offset", msg,
                              sizeof msg))
        abort();
    if (strcmp(format, "intervals") == 0) {
        o->interval = 1;
        o->interval_given = 1;
        if (ds_import_opt_code(o, "A:pursue=a", msg, sizeof msg) ||
            ds_import_opt_code(o, "B:withdraw=b", msg, sizeof msg) ||
            ds_import_opt_columns(o, "couple=couple,session=session", msg,
                                  sizeof msg))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (n < 1 || n > (64 << 10))
        return 0;
    const ds_importer_t *imp = &ds_importers[data[0] % ds_n_importers];
    if (!imp->read)
        return 0;
    char *text = fuzz_string(data + 1, n - 1);
    if (!text)
        return 0;
    ds_import_src_t src = {.name = "input", .stem = "input", .data = text,
                           .len = n - 1};
    ds_import_opts_t o;
    options(&o, imp->name);
    ds_diag_t diag;
    ds_error_t err = {0};
    ds_diag_init(&diag, 50);
    count_t c = {0};
    int rc = imp->read(&src, &o, emit, &c, &diag, &err);
    if (rc != 0 && rc != DS_EDATA && !*err.msg)
        abort(); /* an error without a message */
    ds_diag_clear(&diag);
    ds_import_opts_clear(&o);
    free(text);
    return 0;
}
