/*
 * fixture_results.h — the results files that test_results.c writes: for
 * its own tests, and (test_results --write, --write-other) for the shell
 * tests in tests/results/, which export and read them from Python and R.
 *
 *   write_fixture(path, 0, -1, 0, &err)      the small study (3 sessions,
 *                                            2 states) laid out as SPEC 5
 *   write_fixture(path, S, level, threads, &err)
 *                                            a generated one of S sessions
 *                                            and 10 states, chunked arrays
 *   write_other(path)                        an HDF5 file that is not ours
 *
 * The calls, and so the bytes of the files, are the ones the tests were
 * written against: change them only with the tests that read them.
 */
#ifndef DYADSEQ_FIXTURE_RESULTS_H
#define DYADSEQ_FIXTURE_RESULTS_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <hdf5.h>

#include "results.h"

#define S_SMALL 3
#define K_SMALL 2

static const char *const sha[] = {
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"};
static const char *const inputs[] = {"demo/a.csv", "demo/b.csv"};

/* The root attributes of every fixture. */
static int provenance(ds_results_t *r, ds_error_t *err)
{
    ds_results_provenance_t p = {
        .command_line = "dyadseq analyze -o out.h5 demo",
        .parameters = "{\"lags\":[1,2],\"permutations\":0}",
        .seed = 1,
        .n_inputs = 2,
        .input_files = inputs,
        .input_sha256 = sha};
    return ds_results_write_provenance(r, &p, err);
}

#define TRY(call)                                                            \
    do {                                                                     \
        if ((rc = (call)))                                                   \
            goto fail;                                                       \
    } while (0)

/* The small study's provenance, states, codebook and sessions. */
static int write_small_sessions(ds_results_t *r, ds_error_t *err)
{
    int rc;
    const size_t S = S_SMALL, K = K_SMALL;
    size_t s1[1] = {S};
    const double nan = NAN;

    TRY(provenance(r, err));
    const char *labels[] = {"A:pursue", "B:withdraw"};
    TRY(ds_results_write_strings(r, "/states/label", K, labels, "state",
                                 err));
    const char *code[] = {"pursue", "withdraw"};
    const char *role[] = {"pursue", "withdraw"};
    const char *desc[] = {"demands, criticizes", "says \"fine\"; leaves"};
    TRY(ds_results_write_strings(r, "/codebook/code", 2, code, "code", err));
    TRY(ds_results_write_strings(r, "/codebook/role", 2, role, "code", err));
    TRY(ds_results_write_strings(r, "/codebook/description", 2, desc, "code",
                                 err));

    /* sessions in (couple, session) byte order: "c,2" < "c1" */
    const char *couple[] = {"c,2", "c1", "c1"};
    const char *session[] = {"pre", "post", "pr\xC3\xA4"};
    const int64_t n_events[] = {5, 4, 1};
    const double duration[] = {12.5, 30, nan}, onset[] = {0, 1.25, 3};
    TRY(ds_results_write_strings(r, "/sessions/couple", S, couple, "session",
                                 err));
    TRY(ds_results_write_strings(r, "/sessions/session", S, session,
                                 "session", err));
    TRY(ds_results_write_int64(r, "/sessions/n_events", 1, s1, n_events,
                               "session", err));
    TRY(ds_results_write_double(r, "/sessions/duration_s", 1, s1, duration,
                                "session", err));
    TRY(ds_results_write_double(r, "/sessions/first_onset_s", 1, s1, onset,
                                "session", err));
    const double end[] = {12.5, 31.25, 3};
    TRY(ds_results_write_double(r, "/sessions/start_s", 1, s1, onset,
                                "session", err));
    TRY(ds_results_write_double(r, "/sessions/end_s", 1, s1, end, "session",
                                err));
    return 0;
fail:
    return rc;
}

/* The small study's lags 1 and 2. */
static int write_small_lags(ds_results_t *r, ds_error_t *err)
{
    int rc;
    const size_t S = S_SMALL, K = K_SMALL;
    size_t sk[3] = {S, K, K}, kk[2] = {K, K}, s1[1] = {S};
    const double nan = NAN;

    /* lag 1, per session: session 2 has one event, so no pairs: NaN */
    const int64_t counts[] = {1, 2, 1, 0, 0, 2, 1, 0, 0, 0, 0, 0};
    const double expected[] = {1.5, 1.5, 0.5, 0.5, 2.0 / 3, 4.0 / 3,
                               1.0 / 3, 2.0 / 3, nan, nan, nan, nan};
    const double tp[] = {1.0 / 3, 2.0 / 3, 1, 0, 0, 1, 1, 0,
                         nan, nan, nan, nan};
    const double q[] = {-1, 1, 1, -1, -1, 1, 1, -1, nan, nan, nan, nan};
    const double g2[] = {0.1 + 0.2, 1e-300, nan}, df[] = {1, 1, nan};
    TRY(ds_results_write_int64(r, "/lag/1/session/counts", 3, sk, counts,
                               "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/expected", 3, sk,
                                expected, "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/transition_prob", 3, sk,
                                tp, "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/yules_q", 3, sk, q,
                                "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/g2", 1, s1, g2, "session",
                                err));
    TRY(ds_results_write_double(r, "/lag/1/session/df", 1, s1, df, "session",
                                err));

    /* lag 1, pooled: R = (3, 3), C = (2, 4), N = 6 */
    const int64_t pc[] = {1, 2, 1, 2};
    const double pe[] = {1, 2, 1, 2};
    const double pz[] = {0, 0, 0, 0.5};
    const double pq[] = {0, 0, 0, 0};
    const double ptp[] = {1.0 / 3, 2.0 / 3, 1.0 / 3, 2.0 / 3};
    const uint8_t sz[] = {0, 0, 0, 0};
    TRY(ds_results_write_int64(r, "/lag/1/pooled/counts", 2, kk, pc,
                               "from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/pooled/expected", 2, kk, pe,
                                "from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/pooled/adjusted_residual", 2, kk,
                                pz, "from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/pooled/yules_q", 2, kk, pq,
                                "from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/pooled/transition_prob", 2, kk,
                                ptp, "from,to", err));
    TRY(ds_results_write_uint8(r, "/lag/1/pooled/structural_zero", 2, kk, sz,
                               "from,to", err));
    TRY(ds_results_write_scalar_double(r, "/lag/1/pooled/g2", 0.25, err));
    TRY(ds_results_write_scalar_double(r, "/lag/1/pooled/df", 1, err));
    TRY(ds_results_write_scalar_double(r, "/lag/1/pooled/g2_p", nan, err));
    /* per session label: group names escaped, the label in an attribute */
    static const char *const lab[] = {"post", "pre", "pr\xC3\xA4"};
    for (size_t l = 0; l < 3; l++) {
        char *esc = ds_results_escape_name(lab[l]), path[128];
        if (!esc)
            return ds_error_set(err, DS_ENOMEM, "out of memory");
        snprintf(path, sizeof path, "/lag/1/pooled_by_label/%s", esc);
        free(esc);
        if ((rc = ds_results_attr_string(r, path, "label", lab[l], err)))
            goto fail;
        char cpath[160];
        snprintf(cpath, sizeof cpath, "%s/counts", path);
        TRY(ds_results_write_int64(r, cpath, 2, kk, counts + 4 * l,
                                   "from,to", err));
    }
    const int64_t pc2[] = {0, 1, 1, 0};
    TRY(ds_results_write_int64(r, "/lag/2/pooled/counts", 2, kk, pc2,
                               "from,to", err));
    return 0;
fail:
    return rc;
}

/* The small study's responsiveness, cycles and numbers for the CSV
 * formatting. */
static int write_small_dyadic(ds_results_t *r, ds_error_t *err)
{
    int rc;
    const size_t S = S_SMALL;
    size_t s1[1] = {S};
    const double nan = NAN;

    /* responsiveness: 2S rows, session-major, A bids first */
    size_t r2[1] = {2 * S};
    const int64_t sidx2[] = {0, 0, 1, 1, 2, 2};
    const char *bidder[] = {"A", "B", "A", "B", "A", "B"};
    const int64_t n_bids[] = {2, 1, 0, 3, 0, 0};
    const int64_t n_ans[] = {1, 1, 0, 2, 0, 0};
    const double rate[] = {0.5, 1, nan, 2.0 / 3, nan, nan};
    const double lat[] = {2.5, 1, nan, 3.25, nan, nan};
    const int64_t zero6[] = {0, 0, 0, 0, 0, 0};
    TRY(ds_results_write_int64(r, "/responsiveness/session_index", 1, r2,
                               sidx2, "row", err));
    TRY(ds_results_write_strings(r, "/responsiveness/bidder", 2 * S, bidder,
                                 "row", err));
    TRY(ds_results_write_int64(r, "/responsiveness/n_bids", 1, r2, n_bids,
                               "row", err));
    TRY(ds_results_write_int64(r, "/responsiveness/n_answered", 1, r2, n_ans,
                               "row", err));
    TRY(ds_results_write_double(r, "/responsiveness/response_rate", 1, r2,
                                rate, "row", err));
    TRY(ds_results_write_double(r, "/responsiveness/latency_mean_s", 1, r2,
                                lat, "row", err));
    TRY(ds_results_write_int64(r, "/responsiveness/n_turned_away", 1, r2,
                               zero6, "row", err));
    size_t p3[1] = {3};
    const int64_t km_row[] = {0, 0, 3};
    const double km_t[] = {1, 4, 2}, km_s[] = {0.5, 0, 0.6666666666666666};
    TRY(ds_results_write_int64(r, "/responsiveness/km/row", 1, p3, km_row,
                               "point", err));
    TRY(ds_results_write_double(r, "/responsiveness/km/time_s", 1, p3, km_t,
                                "point", err));
    TRY(ds_results_write_double(r, "/responsiveness/km/survival", 1, p3,
                                km_s, "point", err));

    /* cycles: one row per session */
    const int64_t sidx[] = {0, 1, 2}, n_cycles[] = {1, 2, 0};
    const double share[] = {0.4, 0.125, nan};
    TRY(ds_results_write_int64(r, "/cycles/session_index", 1, s1, sidx,
                               "session", err));
    TRY(ds_results_write_int64(r, "/cycles/n_cycles", 1, s1, n_cycles,
                               "session", err));
    TRY(ds_results_write_double(r, "/cycles/share_time_in_cycles", 1, s1,
                                share, "session", err));

    /* numbers that test the CSV formatting */
    const double special[] = {INFINITY, -INFINITY, -0.0, 0.1, 100, 1e21,
                              123456.789, nan};
    size_t n8[1] = {8};
    TRY(ds_results_write_double(r, "/misc/numbers", 1, n8, special, "row",
                                err));
    TRY(ds_results_attr_double(r, "/misc", "window_lo", 1.5, err));
    return 0;
fail:
    return rc;
}

/* The small study: every group of SPEC 5 that analyze writes. */
static int write_small(ds_results_t *r, ds_error_t *err)
{
    int rc = write_small_sessions(r, err);
    if (!rc)
        rc = write_small_lags(r, err);
    if (!rc)
        rc = write_small_dyadic(r, err);
    return rc;
}

/* Deterministic pseudo-random numbers (a 64-bit LCG). */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* A generated study of S sessions, K = 10, with chunked [S, K, K] arrays. */
static int write_big(ds_results_t *r, size_t S, ds_error_t *err)
{
    const size_t K = 10;
    int rc = 0;
    char **couple = calloc(S, sizeof *couple);
    const char **session = calloc(S, sizeof *session);
    char **labels = calloc(K, sizeof *labels);
    int64_t *counts = malloc(S * K * K * sizeof *counts);
    double *z = malloc(S * K * K * sizeof *z), *g2 = malloc(S * sizeof *g2);
    if (!couple || !session || !labels || !counts || !z || !g2) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < S; i++) {
        if (!(couple[i] = malloc(16))) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto fail;
        }
        snprintf(couple[i], 16, "c%05zu", i / 2);
        session[i] = i % 2 ? "pre" : "post";
    }
    for (size_t k = 0; k < K; k++) {
        if (!(labels[k] = malloc(16))) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            goto fail;
        }
        snprintf(labels[k], 16, "%c:code%zu", k < K / 2 ? 'A' : 'B',
                 k % (K / 2));
    }
    uint64_t seed = 42;
    for (size_t i = 0; i < S * K * K; i++) {
        counts[i] = (int64_t)(lcg(&seed) % 7);
        z[i] = lcg(&seed) % 10 == 0
                   ? NAN
                   : ((double)counts[i] - 3) /
                         sqrt(1.7 + (double)(lcg(&seed) % 1000) / 37.0);
    }
    for (size_t i = 0; i < S; i++)
        g2[i] = (double)(lcg(&seed) % 100000) / 7.0;
    size_t sk[3] = {S, K, K}, s1[1] = {S};
    TRY(provenance(r, err));
    TRY(ds_results_write_strings(r, "/states/label", K,
                                 (const char *const *)labels, "state", err));
    TRY(ds_results_write_strings(r, "/sessions/couple", S,
                                 (const char *const *)couple, "session",
                                 err));
    TRY(ds_results_write_strings(r, "/sessions/session", S, session,
                                 "session", err));
    TRY(ds_results_write_int64(r, "/lag/1/session/counts", 3, sk, counts,
                               "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/adjusted_residual", 3, sk,
                                z, "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/g2", 1, s1, g2, "session",
                                err));
    /* the same values again, appended in uneven blocks */
    ds_results_dset_t *d;
    TRY(ds_results_begin(r, "/lag/1/session/blocks", DS_RESULTS_DOUBLE, 3,
                         sk, "session,from,to", &d, err));
    size_t done = 0, step[] = {1, 500, 3, 1000};
    for (size_t i = 0; done < S; i++) {
        size_t n = step[i % 4] < S - done ? step[i % 4] : S - done;
        if ((rc = ds_results_append(d, n, z + done * K * K, err))) {
            ds_results_end(d, NULL);
            goto fail;
        }
        done += n;
    }
    TRY(ds_results_end(d, err));
    /* the rest of what every results file has (results_check.c): the
     * sessions' columns and the codebook of the states' codes */
    for (size_t i = 0; i < S; i++) {
        counts[i] = (int64_t)(10 + i % 7);
        z[i] = (double)(i % 13);
        g2[i] = i % 5 ? (double)i : NAN;
    }
    TRY(ds_results_write_int64(r, "/sessions/n_events", 1, s1, counts,
                               "session", err));
    TRY(ds_results_write_double(r, "/sessions/duration_s", 1, s1, z,
                                "session", err));
    TRY(ds_results_write_double(r, "/sessions/first_onset_s", 1, s1, g2,
                                "session", err));
    TRY(ds_results_write_double(r, "/sessions/start_s", 1, s1, g2, "session",
                                err));
    TRY(ds_results_write_double(r, "/sessions/end_s", 1, s1, z, "session",
                                err));
    static const char *const code[] = {"code0", "code1", "code2", "code3",
                                       "code4"};
    static const char *const role[] = {"pursue", "withdraw", "soften", "bid",
                                       "response"};
    static const char *const desc[] = {"", "", "", "", ""};
    TRY(ds_results_write_strings(r, "/codebook/code", K / 2, code, "code",
                                 err));
    TRY(ds_results_write_strings(r, "/codebook/role", K / 2, role, "code",
                                 err));
    TRY(ds_results_write_strings(r, "/codebook/description", K / 2, desc,
                                 "code", err));
fail:
    for (size_t i = 0; couple && i < S; i++)
        free(couple[i]);
    for (size_t k = 0; labels && k < K; k++)
        free(labels[k]);
    free(couple);
    free(session);
    free(labels);
    free(counts);
    free(z);
    free(g2);
    return rc;
}

/* Write a fixture file; 0 or a DS_E* code with err set. */
static int write_fixture(const char *path, size_t big, int level,
                         int threads, ds_error_t *err)
{
    ds_results_t *r;
    int rc = ds_results_create(path, &r, err);
    if (rc)
        return rc;
    if (level >= 0)
        ds_results_set_compression(r, level);
    ds_results_set_threads(r, threads);
    rc = big ? write_big(r, big, err) : write_small(r, err);
    if (rc) {
        ds_results_abort(r);
        return rc;
    }
    return ds_results_commit(r, err);
}

/* An HDF5 file whose root attribute format is something else. */
static int write_other(const char *path)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR), a = -1;
    const char *v = "netcdf4";
    int ok = f >= 0 && t >= 0 && sp >= 0 &&
             H5Tset_size(t, H5T_VARIABLE) >= 0 &&
             (a = H5Acreate2(f, "format", t, sp, H5P_DEFAULT,
                             H5P_DEFAULT)) >= 0 &&
             H5Awrite(a, t, &v) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (f >= 0 && H5Fclose(f) < 0)
        ok = 0;
    return ok ? 0 : 1;
}

#endif
