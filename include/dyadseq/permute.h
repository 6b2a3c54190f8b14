/*
 * permute.h — permutation streams for the lag tables (SPEC 4.3).
 *
 * One ds_perm_t per session: a stream of random sequences with the
 * session's code counts, under the null hypothesis that the order of the
 * events carries no sequential dependency. The m-th sequence of session s
 * depends only on (seed, s, m), never on the thread that computes it or on
 * the order sessions are visited, so pooled permuted tables are sums of the
 * very same session tables and results are identical at any thread count.
 *
 * Two kinds of stream, chosen by ds_perm_init() from the structural-zero
 * mask:
 *   - no structural zero: every ordering of the events is possible, and each
 *     draw is a uniform shuffle (gsl_ran_shuffle) of the previous one;
 *   - structural zeros (lag-1 transitions that cannot occur, e.g. repeats
 *     merged away when coding): each draw is uniform over the sequences with
 *     the session's code counts and no transition in a structural-zero cell,
 *     from a Markov chain of moves that keep that constraint (Metropolis,
 *     symmetric proposals: random transpositions and block swaps), run as
 *     Besag & Clifford's (1989) parallel scheme so that the observed
 *     sequence and its draws are exchangeable and the p-values exact
 *     whatever the chain's mixing. docs/statistics-lag.md gives the moves,
 *     the chain length and the mixing measurements behind it.
 *
 * A typical driver, for m = 1..M:
 *     in parallel over sessions s: ds_perm_shuffle(p[s]);
 *         ds_perm_table(p[s], lag, c[s]); ds_lag_residuals(c[s] ..., zs);
 *         ds_perm_exceed(z[s], zs, K*K, exceed[s]);
 *     then pooled = Σ_s c[s] (int64, any order), residuals, exceed.
 * and finally ds_perm_pvalue(). Several lags share one draw.
 *
 * Pure computation: no I/O, no globals, no threads.
 */
#ifndef DYADSEQ_PERMUTE_H
#define DYADSEQ_PERMUTE_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/error.h"

/*
 * The RNG seed of session session_index: splitmix64 (Steele, Lea & Flood
 * 2014) applied twice,
 *   h = mix(seed + γ),  seed_s = mix(h + γ (session_index + 1)),
 * γ = 0x9E3779B97F4A7C15, mix the splitmix64 finalizer. Distinct sessions
 * of one seed get distinct 64-bit values; gsl_rng_taus2 uses the low 32
 * bits (GSL seeds are unsigned long, taus2 keeps 32 bits).
 */
uint64_t ds_perm_seed(uint64_t seed, size_t session_index);

typedef struct ds_perm ds_perm_t;

/* A stream for sessions of up to n_max events; NULL on OOM. */
ds_perm_t *ds_perm_alloc(size_t n_max);
void ds_perm_free(ds_perm_t *p);

/*
 * Start the stream of session session_index: copy state[n] (states < K)
 * and seed a gsl_rng_taus2 with ds_perm_seed(seed, session_index).
 * zero is the [K*K] lag-1 structural-zero mask of the run (nonzero =
 * structural) or NULL; with at least one structural zero the stream keeps
 * it (the mask must stay valid while the stream is used). Returns DS_OK;
 * DS_EUSAGE when n > n_max; DS_EDATA when state itself has a transition in
 * a structural-zero cell.
 */
int ds_perm_init(ds_perm_t *p, uint64_t seed, size_t session_index,
                 const uint16_t *state, size_t n, size_t K,
                 const uint8_t *zero, ds_error_t *err);

/* Draw the next sequence of the stream (a shuffle of the events, or the
 * next draw of the constrained sampler). */
void ds_perm_shuffle(ds_perm_t *p);

/* Does the stream keep structural zeros (the constrained sampler)? */
int ds_perm_constrained(const ds_perm_t *p);

/*
 * The number of moves between the hub and each draw of the constrained
 * sampler for a session of n events (docs/statistics-lag.md: chosen from
 * the measured mixing of the chain).
 */
size_t ds_perm_chain_length(size_t n);

/*
 * Run `moves` moves of the constrained chain from the current sequence
 * (each a proposed transposition or block swap, applied when it keeps the
 * structural zeros). What ds_perm_shuffle() builds on; exposed for the
 * mixing and uniformity checks. Does nothing for an unconstrained stream.
 */
void ds_perm_walk(ds_perm_t *p, size_t moves);

/* The current sequence (n states), valid until the next call. */
const uint16_t *ds_perm_states(const ds_perm_t *p, size_t *n);

/* Set counts[K*K] (zeroed first) to the lag-lag table of the current
 * sequence. */
void ds_perm_table(const ds_perm_t *p, size_t lag, int64_t *counts);

/*
 * exceed[c] += 1 when |zstar[c]| >= |z[c]| for each of n_cells cells. A
 * NaN z* never counts. The comparison allows a relative 1e-12 so values
 * equal in exact arithmetic but for rounding count as ties.
 */
void ds_perm_exceed(const double *z, const double *zstar, size_t n_cells,
                    int64_t *exceed);

/* p[c] = (1 + exceed[c]) / (M + 1) (Phipson & Smyth 2010); NaN where z[c]
 * is NaN. */
void ds_perm_pvalue(const double *z, const int64_t *exceed, size_t M,
                    size_t n_cells, double *p);

#endif
