/*
 * fuzz_results.c — the results reader on any bytes, as info, export and
 * compare use it: open (the string heap scanned), the check against the
 * layout (results_check.c), then every dataset of the catalog read whole,
 * and the file read as compare reads an analyze file (layout_read). HDF5
 * 1.10 itself crashes on some damaged metadata (dyadseq's crash guard
 * turns that into exit 1 with a message in the program); those crashes
 * are found here as crashes, and each becomes a case of tests/bad.
 */
#include "fuzz.h"
#include "layout_read.h"
#include "results.h"
#include "results_check.h"

#include <hdf5.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static int started;
    if (!started) {
        H5dont_atexit();
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        started = 1;
    }
    char path[512];
    if (fuzz_file(data, n, ".h5", path, sizeof path))
        return 0;
    ds_results_reader_t *f = NULL;
    ds_error_t err;
    if (ds_results_open(path, &f, &err) == 0) {
        ds_diag_t diag;
        ds_diag_init(&diag, 50);
        ds_results_entry_t *cat = NULL;
        size_t n_cat = 0;
        if (ds_results_check(f, &diag, &err) == 0 &&
            ds_results_catalog(f, &cat, &n_cat, &err) == 0)
            for (size_t i = 0; i < n_cat; i++) {
                ds_results_array_t a;
                if (cat[i].kind != DS_RESULTS_DATASET)
                    continue;
                ds_results_type_t as = cat[i].shape.type == DS_RESULTS_STRING
                                           ? DS_RESULTS_STRING
                                           : DS_RESULTS_DOUBLE;
                if (ds_results_read(f, cat[i].path, as, &a, &err) == 0)
                    ds_results_array_clear(&a);
            }
        ds_results_catalog_free(cat, n_cat);
        ds_diag_clear(&diag);
        ds_results_close(f);
        ds_layout_read_t lr;
        if (ds_layout_read(path, 0, &lr, &err) == 0)
            ds_layout_read_clear(&lr);
    }
    unlink(path);
    return 0;
}
