/*
 * mpi_pack.c — the byte buffers in which the MPI program packs what the
 * ranks exchange (mpi_ingest.c: the pieces of the input; mpi_analysis.c:
 * the per-session results), and the cursor that reads one back, checking
 * every read against the end (mpi_internal.h).
 */
#include "mpi_internal.h"

#include <stdlib.h>
#include <string.h>

void ds_pack_put(ds_pack_t *b, const void *v, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, v, n);
    b->n += n;
}

const void *ds_unpack_take(ds_unpack_t *c, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = 1;
        return NULL;
    }
    const void *v = c->p;
    c->p += n;
    return v;
}

void ds_unpack_get(ds_unpack_t *c, void *v, size_t n)
{
    const void *p = ds_unpack_take(c, n);
    if (p)
        memcpy(v, p, n);
    else
        memset(v, 0, n);
}
