/*
 * permute.c — permutation streams for the lag tables (SPEC 4.3; see
 * permute.h and docs/statistics-lag.md, "Permutation tests").
 *
 * Without structural zeros a draw is a uniform shuffle of the events.
 * With structural zeros a draw is uniform over the sequences with the
 * session's code counts and no transition in a structural-zero cell. No
 * exact sampler of that set is practical (counting its members needs the
 * remaining count of every code, exponential in K), so the draws come from
 * a Markov chain on the set:
 *   - a move proposes a transposition of two random positions or of two
 *     neighbours, the swap of two disjoint blocks x[a..b) and x[c..d)
 *     (b <= c; the middle x[b..c) stays between them) or the reversal of a
 *     segment, each drawn so that a move and its inverse are equally
 *     likely; the move is applied when the new sequence has no transition
 *     in a structural-zero cell, otherwise the chain stays (Metropolis
 *     with a uniform target: the chain is reversible and the uniform
 *     distribution on each class of sequences it connects is stationary);
 *   - transpositions alone leave some sequences unreachable (x y x y and
 *     y x y x with no repeats; masks that allow few transitions); block
 *     swaps, which include rotations, connect them in every case we
 *     enumerated (docs/statistics-lag.md); reversals and neighbour swaps
 *     are there for speed (measured in the same place);
 *   - Besag & Clifford's (1989) parallel scheme: the hub is the observed
 *     sequence after L moves (the chain is reversible, so this is also L
 *     moves of the reversed chain), and each draw is the hub after L fresh
 *     moves. Under the null hypothesis (the observed sequence uniform on
 *     its class) the observed sequence and the draws are exchangeable, so
 *     p = (1 + #{|z*| >= |z|}) / (M + 1) is exact for any L; L sets how
 *     close the draws come to independent ones, i.e. the power.
 *
 * Sources:
 *   Besag & Clifford (1989) Generalized Monte Carlo significance tests,
 *     Biometrika 76, 633–642.
 *   Phipson & Smyth (2010) Permutation p-values should never be zero,
 *     Stat. Appl. Genet. Mol. Biol. 9(1), art. 39.
 *   Steele, Lea & Flood (2014) Fast splittable pseudorandom number
 *     generators, OOPSLA (splitmix64, for the per-session seeds).
 */
#include "dyadseq/permute.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dyadseq/lagstats.h"

/* Relative slack of |z*| >= |z| in the permutation count. */
#define PERM_TIE_TOL 1e-12

/* A move proposes, out of 16: a transposition of two random positions
 * (8), of two neighbours (4), a block swap (2) or a segment reversal (2).
 * Block swaps and reversals span SPAN_MIN + floor(SPAN_SCALE (1/u − 1))
 * positions, u uniform on (0, 1]: P(span >= 2 + m) = SPAN_SCALE /
 * (SPAN_SCALE + m), mostly short (cheap) but any length up to n. */
#define MOVE_SWAP 8
#define MOVE_ADJACENT 4
#define MOVE_BLOCKS 2
#define SPAN_MIN 2
#define SPAN_SCALE 8.0

/* Moves per draw: CHAIN_SWEEPS · n, at least CHAIN_MIN (see
 * docs/statistics-lag.md, "Mixing"). */
#define CHAIN_SWEEPS 10
#define CHAIN_MIN 1000

#define GOLDEN_GAMMA UINT64_C(0x9E3779B97F4A7C15)

/* The splitmix64 output function (Steele, Lea & Flood 2014, OOPSLA;
 * constants of Vigna's reference implementation). A bijection. */
static uint64_t splitmix64_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

uint64_t ds_perm_seed(uint64_t seed, size_t session_index)
{
    uint64_t h = splitmix64_mix(seed + GOLDEN_GAMMA);
    return splitmix64_mix(h + GOLDEN_GAMMA * ((uint64_t)session_index + 1));
}

struct ds_perm {
    size_t n_max, n, K;
    uint16_t *state;     /* current sequence */
    uint16_t *hub;       /* [n_max] Besag–Clifford hub (constrained) */
    uint16_t *tmp;       /* [n_max] scratch of a block swap */
    const uint8_t *zero; /* [K*K] mask, or NULL: unconstrained */
    int hub_ready;       /* hub computed (on the first draw) */
    gsl_rng *rng;
};

ds_perm_t *ds_perm_alloc(size_t n_max)
{
    ds_perm_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    size_t m = n_max ? n_max : 1;
    p->n_max = n_max;
    p->state = malloc(m * sizeof *p->state);
    p->hub = malloc(m * sizeof *p->hub);
    p->tmp = malloc(m * sizeof *p->tmp);
    p->rng = gsl_rng_alloc(gsl_rng_taus2);
    if (!p->state || !p->hub || !p->tmp || !p->rng) {
        ds_perm_free(p);
        return NULL;
    }
    return p;
}

void ds_perm_free(ds_perm_t *p)
{
    if (!p)
        return;
    free(p->state);
    free(p->hub);
    free(p->tmp);
    if (p->rng)
        gsl_rng_free(p->rng);
    free(p);
}

int ds_perm_init(ds_perm_t *p, uint64_t seed, size_t session_index,
                 const uint16_t *state, size_t n, size_t K,
                 const uint8_t *zero, ds_error_t *err)
{
    if (n > p->n_max)
        return ds_error_set(err, DS_EUSAGE,
                            "permutation stream for %zu events given %zu",
                            p->n_max, n);
    p->zero = NULL;
    if (zero)
        for (size_t c = 0; c < K * K && !p->zero; c++)
            if (zero[c])
                p->zero = zero;
    if (p->zero)
        for (size_t t = 0; t + 1 < n; t++)
            if (zero[(size_t)state[t] * K + state[t + 1]])
                return ds_error_set(err, DS_EDATA,
                                    "events %zu and %zu (states %u → %u) "
                                    "are a transition in a structural-zero "
                                    "cell",
                                    t + 1, t + 2, (unsigned)state[t],
                                    (unsigned)state[t + 1]);
    p->n = n;
    p->K = K;
    p->hub_ready = 0;
    if (n)
        memcpy(p->state, state, n * sizeof *state);
    gsl_rng_set(p->rng, (unsigned long)ds_perm_seed(seed, session_index));
    return DS_OK;
}

int ds_perm_constrained(const ds_perm_t *p)
{
    return p->zero != NULL;
}

size_t ds_perm_chain_length(size_t n)
{
    size_t L = CHAIN_SWEEPS * n;
    return L < CHAIN_MIN ? CHAIN_MIN : L;
}

/* May state a be followed by state b? */
static int allowed(const ds_perm_t *p, uint16_t a, uint16_t b)
{
    return !p->zero[(size_t)a * p->K + b];
}

/* Propose the transposition of two distinct positions, drawn uniformly
 * (a symmetric proposal), and apply it if it keeps the structural zeros:
 * only the (at most four) transitions around the two positions change. */
static void move_swap(ds_perm_t *p)
{
    uint16_t *x = p->state;
    size_t n = p->n;
    size_t i = gsl_rng_uniform_int(p->rng, n);
    size_t j = gsl_rng_uniform_int(p->rng, n - 1);
    if (j >= i)
        j++;
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    uint16_t u = x[i], v = x[j];
    if (u == v)
        return;
    if (i > 0 && !allowed(p, x[i - 1], v))
        return;
    if (j + 1 < n && !allowed(p, u, x[j + 1]))
        return;
    if (j == i + 1) {
        if (!allowed(p, v, u))
            return;
    } else if (!allowed(p, v, x[i + 1]) || !allowed(p, x[j - 1], u)) {
        return;
    }
    x[i] = v;
    x[j] = u;
}

/* The span of a block swap or reversal (see SPAN_SCALE), or 0 when it
 * exceeds the sequence (no move). */
static size_t draw_span(ds_perm_t *p)
{
    double s = SPAN_MIN + floor(SPAN_SCALE * (1 / gsl_rng_uniform_pos(p->rng)
                                              - 1));
    return s > (double)p->n ? 0 : (size_t)s;
}

/* Propose the transposition of positions i and i + 1, i uniform. */
static void move_adjacent(ds_perm_t *p)
{
    uint16_t *x = p->state;
    size_t n = p->n, i = gsl_rng_uniform_int(p->rng, n - 1);
    uint16_t u = x[i], v = x[i + 1];
    if (u == v || !allowed(p, v, u))
        return;
    if (i > 0 && !allowed(p, x[i - 1], v))
        return;
    if (i + 2 < n && !allowed(p, u, x[i + 2]))
        return;
    x[i] = v;
    x[i + 1] = u;
}

/*
 * Propose the swap of blocks x[a..b) and x[c..d), a < b <= c < d, and
 * apply it if it keeps the structural zeros. The span d − a is drawn
 * first, a uniformly among the places it fits, b and c as two uniform
 * draws from [a, d], sorted; a = b or c = d proposes nothing. The inverse
 * of the swap is the swap (a, a + d − c, a + d − b, d), which has the same
 * span and the mirrored (b, c), so the same probability: the proposal is
 * symmetric. Only the transitions at the block boundaries change.
 */
static void move_blocks(ds_perm_t *p)
{
    uint16_t *x = p->state, *y = p->tmp;
    size_t n = p->n, span = draw_span(p);
    if (span == 0)
        return;
    size_t a = gsl_rng_uniform_int(p->rng, n - span + 1), d = a + span;
    size_t b = a + gsl_rng_uniform_int(p->rng, span + 1);
    size_t c = a + gsl_rng_uniform_int(p->rng, span + 1);
    if (b > c) {
        size_t t = b;
        b = c;
        c = t;
    }
    if (a == b || c == d)
        return;
    size_t l3 = d - c, l2 = c - b, l1 = b - a;
    memcpy(y, x + c, l3 * sizeof *y);
    memcpy(y + l3, x + b, l2 * sizeof *y);
    memcpy(y + l3 + l2, x + a, l1 * sizeof *y);
    if (a > 0 && !allowed(p, x[a - 1], y[0]))
        return;
    if (d < n && !allowed(p, y[span - 1], x[d]))
        return;
    if (!allowed(p, y[l3 - 1], y[l3]))
        return;
    if (l2 > 0 && !allowed(p, y[l3 + l2 - 1], y[l3 + l2]))
        return;
    memcpy(x + a, y, span * sizeof *y);
}

/* Propose the reversal of x[a..b) (its own inverse: a symmetric
 * proposal). Every transition inside is reversed, so with an asymmetric
 * mask each must be allowed backwards. */
static void move_reverse(ds_perm_t *p)
{
    uint16_t *x = p->state;
    size_t n = p->n, span = draw_span(p);
    if (span == 0)
        return;
    size_t a = gsl_rng_uniform_int(p->rng, n - span + 1), b = a + span;
    if (a > 0 && !allowed(p, x[a - 1], x[b - 1]))
        return;
    if (b < n && !allowed(p, x[a], x[b]))
        return;
    for (size_t t = a; t + 1 < b; t++)
        if (!allowed(p, x[t + 1], x[t]))
            return;
    for (size_t i = a, j = b - 1; i < j; i++, j--) {
        uint16_t t = x[i];
        x[i] = x[j];
        x[j] = t;
    }
}

void ds_perm_walk(ds_perm_t *p, size_t moves)
{
    if (!p->zero || p->n < 2)
        return;
    for (size_t m = 0; m < moves; m++) {
        unsigned long u = gsl_rng_uniform_int(p->rng, 16);
        if (u < MOVE_SWAP)
            move_swap(p);
        else if (u < MOVE_SWAP + MOVE_ADJACENT)
            move_adjacent(p);
        else if (u < MOVE_SWAP + MOVE_ADJACENT + MOVE_BLOCKS)
            move_blocks(p);
        else
            move_reverse(p);
    }
}

void ds_perm_shuffle(ds_perm_t *p)
{
    if (!p->zero) {
        if (p->n > 1)
            gsl_ran_shuffle(p->rng, p->state, p->n, sizeof *p->state);
        return;
    }
    if (p->n < 2)
        return;
    size_t L = ds_perm_chain_length(p->n);
    if (!p->hub_ready) { /* Besag & Clifford (1989): the hub, L moves from
                            the observed sequence */
        ds_perm_walk(p, L);
        memcpy(p->hub, p->state, p->n * sizeof *p->hub);
        p->hub_ready = 1;
    } else {
        memcpy(p->state, p->hub, p->n * sizeof *p->state);
    }
    ds_perm_walk(p, L);
}

const uint16_t *ds_perm_states(const ds_perm_t *p, size_t *n)
{
    if (n)
        *n = p->n;
    return p->state;
}

void ds_perm_table(const ds_perm_t *p, size_t lag, int64_t *counts)
{
    memset(counts, 0, p->K * p->K * sizeof *counts);
    ds_lag_count(p->state, p->n, lag, p->K, counts);
}

void ds_perm_exceed(const double *z, const double *zstar, size_t n_cells,
                    int64_t *exceed)
{
    for (size_t c = 0; c < n_cells; c++) {
        if (isnan(z[c]) || isnan(zstar[c]))
            continue;
        if (fabs(zstar[c]) >= fabs(z[c]) * (1 - PERM_TIE_TOL))
            exceed[c]++;
    }
}

void ds_perm_pvalue(const double *z, const int64_t *exceed, size_t M,
                    size_t n_cells, double *p)
{
    for (size_t c = 0; c < n_cells; c++)
        p[c] = isnan(z[c]) ? NAN
                           : (1.0 + (double)exceed[c]) / ((double)M + 1.0);
}
