/*
 * fuzz_time.c — the number parsers: ds_parse_time (onsets, [hh:]mm:ss),
 * ds_parse_seconds (durations), ds_parse_double and ds_parse_size (option
 * values). Each must return one of its statuses and, when it accepts,
 * a finite value (non-negative for times), with no memory error.
 */
#include <math.h>

#include "fuzz.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    char *s = fuzz_string(data, n);
    if (!s)
        return 0;
    double v = -1;
    ds_num_status_t st = ds_parse_time(s, &v);
    if (st == DS_NUM_OK && !(isfinite(v) && v >= 0))
        abort();
    st = ds_parse_seconds(s, &v);
    if (st == DS_NUM_OK && !(isfinite(v) && v >= 0))
        abort();
    if (ds_parse_double(s, &v) == 0 && !isfinite(v))
        abort();
    size_t z;
    ds_parse_size(s, &z);
    free(s);
    return 0;
}
