/*
 * dist.c — how a run is shared among ranks (see dist.h): the balanced
 * split of the sessions. Pure computation, in the serial and the MPI
 * program alike; the exchanges are mpi_dist.c (or dist_serial.c).
 */
#include "dyadseq/dist.h"

#include <stdlib.h>

void ds_dist_split(const uint64_t *cost, size_t n, int P, size_t *bounds)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += cost[i];
    bounds[0] = 0;
    size_t i = 0;
    uint64_t before = 0; /* cost of items [0, i) */
    for (int r = 1; r < P; r++) {
        /* the first item with before * P >= r * total */
        while (i < n && before * (uint64_t)P < (uint64_t)r * total)
            before += cost[i++];
        bounds[r] = i;
    }
    bounds[P > 0 ? P : 0] = n;
}

size_t *ds_dist_sessions(const ds_dist_t *d, const ds_corpus_t *c)
{
    int P = ds_dist_size(d);
    size_t S = c->n_sessions, K = c->n_states;
    size_t *bounds = malloc(((size_t)P + 1) * sizeof *bounds);
    uint64_t *cost = malloc((S ? S : 1) * sizeof *cost);
    if (!bounds || !cost) {
        free(bounds);
        free(cost);
        return NULL;
    }
    for (size_t s = 0; s < S; s++)
        cost[s] = (uint64_t)c->sessions[s].n + (uint64_t)(K * K);
    ds_dist_split(cost, S, P, bounds);
    free(cost);
    return bounds;
}

void ds_dist_range(const ds_dist_t *d, size_t n, size_t *lo, size_t *hi)
{
    size_t P = (size_t)ds_dist_size(d), r = (size_t)ds_dist_rank(d);
    *lo = n * r / P;
    *hi = n * (r + 1) / P;
}
