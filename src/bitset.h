/*
 * bitset.h — bitsets over the time units of a session, one bit a unit and
 * 64 to a word, as the time windows (window.c) and the actor-partner
 * tables (apim.c) count them: a range of units is set a word at a time and
 * tallies are popcounts, so a session costs units / 64 word operations
 * rather than a visit of every unit. Internal: static inline helpers, no
 * state.
 */
#ifndef DYADSEQ_BITSET_H
#define DYADSEQ_BITSET_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* A function made twice, for processors with the instruction set isa and
 * for the rest, the one to run chosen when the program loads (GCC's and
 * clang's target_clones, on ELF with ifunc): popcounts are then one
 * instruction instead of a call into libgcc (isa "popcnt"), and floor,
 * ceil and rounding are inlined ("sse4.1"). The results are the same bits
 * either way. Not under AddressSanitizer, so that CI's sanitized run
 * (make check-sanitize) runs the versions for every processor. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) &&        \
    !defined(__SANITIZE_ADDRESS__)
#define DS_CLONES(isa) __attribute__((target_clones(isa, "default")))
#else
#define DS_CLONES(isa)
#endif

typedef uint64_t ds_word_t;
#define DS_WORD_BITS 64

/* Words that hold n bits. */
static inline size_t ds_bitset_words(size_t n)
{
    return (n + DS_WORD_BITS - 1) / DS_WORD_BITS;
}

/* Set bits [lo, hi] (inclusive, lo <= hi) of bitset b. */
static inline void ds_bitset_set_range(ds_word_t *b, size_t lo, size_t hi)
{
    size_t wl = lo / DS_WORD_BITS, wh = hi / DS_WORD_BITS;
    ds_word_t ml = ~(ds_word_t)0 << (lo % DS_WORD_BITS);
    ds_word_t mh = ~(ds_word_t)0 >> (DS_WORD_BITS - 1 - hi % DS_WORD_BITS);
    if (wl == wh) {
        b[wl] |= ml & mh;
        return;
    }
    b[wl] |= ml;
    for (size_t x = wl + 1; x < wh; x++)
        b[x] = ~(ds_word_t)0;
    b[wh] |= mh;
}

/* Grow the words of a workspace (*bits, *cap_words allocated) to at least
 * words (one when words is 0); 0, or -1 when out of memory with *bits as
 * it was. */
static inline int ds_bitset_reserve(ds_word_t **bits, size_t *cap_words,
                                    size_t words)
{
    if (*cap_words >= words)
        return 0;
    ds_word_t *nb = realloc(*bits, (words ? words : 1) * sizeof *nb);
    if (!nb)
        return -1;
    *bits = nb;
    *cap_words = words;
    return 0;
}

/* Grow a workspace's array of int64 pairs (*units, room for *cap_events
 * pairs) to at least n_events pairs: the events' onset and last units as
 * ds_window_grid gives them, or a tally's two sums of each state. 0, or
 * -1 when out of memory with *units as it was. */
static inline int ds_units_reserve(int64_t **units, size_t *cap_events,
                                   size_t n_events)
{
    if (*cap_events >= n_events)
        return 0;
    int64_t *nu = realloc(*units, 2 * n_events * sizeof *nu);
    if (!nu)
        return -1;
    *units = nu;
    *cap_events = n_events;
    return 0;
}

#endif
