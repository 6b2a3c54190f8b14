/*
 * lagstats.c — event lag tables: expected values, adjusted residuals, the
 * 2×2-collapse statistics, Wampold's kappa, G² and X² of SPEC 4.1–4.2 (see
 * lagstats.h and docs/statistics-lag.md).
 *
 * Sources:
 *   Bakeman & Quera (2011) Sequential Analysis and Observational Methods
 *     for the Behavioral Sciences (lag tables, transitional
 *     probabilities, adjusted residuals, Yule's Q, G², structural zeros).
 *   Haberman (1973) The analysis of residuals in cross-classified tables,
 *     Biometrics 29, 205–220 (adjusted residual).
 *   Bishop, Fienberg & Holland (1975) Discrete Multivariate Analysis
 *     (IPF; quasi-independence in incomplete tables, separability,
 *     degrees of freedom).
 *   McCullagh & Nelder (1989) Generalized Linear Models, 2nd ed.
 *     (leverages of a GLM: h = diag(W^½ X (X'WX)⁻¹ X' W^½)).
 *   Wampold (1989) Kappa as a measure of pattern in sequential data,
 *     Quality & Quantity 23, 171–187; Wampold (1992) in Kratochwill &
 *     Levin (eds.) Single-Case Research Design and Analysis.
 *   O'Connor (1999) Behavior Research Methods, Instruments, & Computers
 *     31, 718–726 (worked example, datasets/published/).
 */
#include "dyadseq/lagstats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include "dyadseq/twobytwo.h"

#define NONE ((size_t)-1)

/* 1 - h below this is taken as h = 1: the cell is fitted exactly by the
 * model (e.g. the only free cell of its row and column), so its residual
 * is 0/0 and reported as NaN. */
#define LEVERAGE_ONE_TOL 1e-10

void ds_lag_opts_init(ds_lag_opts_t *o)
{
    o->zero_correction = 0;
    o->ipf_tol = 1e-10;
    o->ipf_max_iter = 10000;
}

/* ---------------------------------------------------------------------
 * Tables and counting
 * ------------------------------------------------------------------- */

enum { N_STATS = 10 }; /* double [K*K] arrays of a table */

/* Set every statistic to NaN. The arrays are set one by one: a caller may
 * point them into its own [S, K, K] arrays (a view of one session's
 * slots), so they need not be the one block ds_lag_table_alloc makes. */
static void set_stats_nan(ds_lag_table_t *t)
{
    double *a[N_STATS] = {t->expected,       t->transition_prob,
                          t->adjusted_residual, t->p_value,
                          t->yules_q,        t->yules_q_se,
                          t->log_odds_ratio, t->log_odds_ratio_se,
                          t->wampold_kappa,  t->wampold_z};
    size_t kk = t->K * t->K;
    for (int k = 0; k < N_STATS; k++)
        for (size_t c = 0; c < kk; c++)
            a[k][c] = NAN;
    t->g2 = t->x2 = t->df = t->g2_p = NAN;
}

ds_lag_table_t *ds_lag_table_alloc(size_t K)
{
    if (K == 0 || K > 65536)
        return NULL;
    size_t kk = K * K;
    ds_lag_table_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->K = K;
    t->counts = calloc(kk, sizeof *t->counts);
    double *block = malloc(N_STATS * kk * sizeof *block);
    if (!t->counts || !block) {
        free(t->counts);
        free(block);
        free(t);
        return NULL;
    }
    t->expected = block;
    t->transition_prob = block + 1 * kk;
    t->adjusted_residual = block + 2 * kk;
    t->p_value = block + 3 * kk;
    t->yules_q = block + 4 * kk;
    t->yules_q_se = block + 5 * kk;
    t->log_odds_ratio = block + 6 * kk;
    t->log_odds_ratio_se = block + 7 * kk;
    t->wampold_kappa = block + 8 * kk;
    t->wampold_z = block + 9 * kk;
    set_stats_nan(t);
    return t;
}

void ds_lag_table_free(ds_lag_table_t *t)
{
    if (!t)
        return;
    free(t->counts);
    free(t->expected); /* the block of all double arrays */
    free(t);
}

void ds_lag_table_reset(ds_lag_table_t *t)
{
    memset(t->counts, 0, t->K * t->K * sizeof *t->counts);
    set_stats_nan(t);
}

void ds_lag_count(const uint16_t *state, size_t n, size_t lag, size_t K,
                  int64_t *counts)
{
    if (lag == 0 || n <= lag)
        return;
    /* f_ij = #{t : x_t = i, x_{t+lag} = j}, t = 1..n-lag (SPEC 4.1) */
    for (size_t t = 0; t + lag < n; t++)
        counts[(size_t)state[t] * K + state[t + lag]]++;
}

void ds_lag_state_freq(const uint16_t *state, size_t n, size_t K, int64_t *freq)
{
    (void)K;
    for (size_t t = 0; t < n; t++)
        freq[state[t]]++;
}

/* ---------------------------------------------------------------------
 * Workspace
 * ------------------------------------------------------------------- */

struct ds_lag_workspace {
    size_t K;
    double *mu;        /* [K*K] fitted values of the model cells, else 0 */
    double *ebuf;      /* [K*K] expected values when the caller has none */
    double *rsum;      /* [K] observed row sums R_i */
    double *csum;      /* [K] observed column sums C_j */
    double *fsum;      /* [K] scratch sums of fitted values */
    double *ecol;      /* [K] column sums of fitted values */
    size_t *queue;     /* [K] breadth-first search of the allowed graph */
    size_t *rpar;      /* [K] parameter index of row i's dummy, or NONE */
    size_t *cpar;      /* [K] parameter index of column j's dummy, or NONE */
    size_t *uf;        /* [2K] union-find parents: rows 0..K-1, cols K.. */
    uint8_t *seen;     /* [K] component already has a reference column */
    gsl_matrix *info;  /* [2K × 2K] X'WX and its inverse, top-left p × p */
    double n_total;    /* N of the last fit */
};

ds_lag_workspace_t *ds_lag_workspace_alloc(size_t K)
{
    if (K == 0 || K > 65536)
        return NULL;
    ds_lag_workspace_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->K = K;
    w->mu = malloc(K * K * sizeof *w->mu);
    w->ebuf = malloc(K * K * sizeof *w->ebuf);
    w->rsum = malloc(K * sizeof *w->rsum);
    w->csum = malloc(K * sizeof *w->csum);
    w->fsum = malloc(K * sizeof *w->fsum);
    w->ecol = malloc(K * sizeof *w->ecol);
    w->queue = malloc(K * sizeof *w->queue);
    w->rpar = malloc(K * sizeof *w->rpar);
    w->cpar = malloc(K * sizeof *w->cpar);
    w->uf = malloc(2 * K * sizeof *w->uf);
    w->seen = malloc(K);
    w->info = gsl_matrix_alloc(2 * K, 2 * K);
    if (!w->mu || !w->ebuf || !w->rsum || !w->csum || !w->fsum || !w->ecol
        || !w->queue || !w->rpar || !w->cpar || !w->uf || !w->seen
        || !w->info) {
        ds_lag_workspace_free(w);
        return NULL;
    }
    return w;
}

void ds_lag_workspace_free(ds_lag_workspace_t *w)
{
    if (!w)
        return;
    free(w->mu);
    free(w->ebuf);
    free(w->rsum);
    free(w->csum);
    free(w->fsum);
    free(w->ecol);
    free(w->queue);
    free(w->rpar);
    free(w->cpar);
    free(w->uf);
    free(w->seen);
    if (w->info)
        gsl_matrix_free(w->info);
    free(w);
}

/* ---------------------------------------------------------------------
 * Expected values and adjusted residuals
 * ------------------------------------------------------------------- */

int ds_lag_check_zeros(const int64_t *counts, size_t K, const uint8_t *zero,
                       size_t *cell, ds_error_t *err)
{
    if (!zero)
        return DS_OK;
    for (size_t c = 0; c < K * K; c++) {
        if (zero[c] && counts[c] != 0) {
            if (cell)
                *cell = c;
            return ds_error_set(err, DS_EDATA,
                                "%lld transition%s from state %zu to state "
                                "%zu fall%s in a structural-zero cell",
                                (long long)counts[c], counts[c] == 1 ? "" : "s",
                                c / K, c % K, counts[c] == 1 ? "s" : "");
        }
    }
    return DS_OK;
}

static size_t uf_find(size_t *uf, size_t a)
{
    while (uf[a] != a) {
        uf[a] = uf[uf[a]]; /* path halving */
        a = uf[a];
    }
    return a;
}

static void uf_join(size_t *uf, size_t a, size_t b)
{
    a = uf_find(uf, a);
    b = uf_find(uf, b);
    if (a != b)
        uf[a > b ? a : b] = a < b ? a : b; /* smaller index is the root */
}

/*
 * Iterative proportional fitting of the quasi-independence model
 * (Bishop, Fienberg & Holland 1975; Bakeman & Quera 2011):
 * start from 1 on the model cells (allowed cells of active rows and
 * columns) and 0 elsewhere, scale rows to R_i, then columns to C_j, until
 * every row sum is within tol·R_i of R_i (column sums are exact after the
 * column step). w->mu holds the start table on entry, the fit on return.
 */
static int ipf(ds_lag_workspace_t *w, size_t K, const ds_lag_opts_t *o,
               ds_error_t *err)
{
    double *mu = w->mu, *fs = w->fsum, dev = INFINITY;
    for (size_t it = 0; it < o->ipf_max_iter; it++) {
        for (size_t i = 0; i < K; i++) {
            if (w->rsum[i] == 0)
                continue;
            double s = 0;
            for (size_t j = 0; j < K; j++)
                s += mu[i * K + j];
            double f = w->rsum[i] / s;
            for (size_t j = 0; j < K; j++)
                mu[i * K + j] *= f;
        }
        memset(fs, 0, K * sizeof *fs);
        for (size_t i = 0; i < K; i++)
            for (size_t j = 0; j < K; j++)
                fs[j] += mu[i * K + j];
        for (size_t i = 0; i < K; i++)
            for (size_t j = 0; j < K; j++)
                if (fs[j] > 0)
                    mu[i * K + j] *= w->csum[j] / fs[j];
        dev = 0;
        for (size_t i = 0; i < K; i++) {
            if (w->rsum[i] == 0)
                continue;
            double s = 0;
            for (size_t j = 0; j < K; j++)
                s += mu[i * K + j];
            double d = fabs(s - w->rsum[i]) / w->rsum[i];
            if (d > dev)
                dev = d;
        }
        if (dev <= o->ipf_tol)
            return DS_OK;
    }
    return ds_error_set(err, DS_ENUM,
                        "iterative proportional fitting of the "
                        "quasi-independence model did not converge in %zu "
                        "cycles (largest relative margin error %.3g); the "
                        "maximum-likelihood fit may not exist for this "
                        "pattern of zeros",
                        o->ipf_max_iter, dev);
}

/* Entry (a, b) of the symmetric matrix m, read from its lower triangle. */
static double sym(const gsl_matrix *m, size_t a, size_t b)
{
    return a >= b ? gsl_matrix_get(m, a, b) : gsl_matrix_get(m, b, a);
}

/*
 * Start a quasi-independence fit to the margins w->rsum, w->csum: w->mu is
 * 1 on the model cells (allowed cells of active rows and columns) and 0
 * elsewhere, and w->uf joins the rows and columns that share a model cell.
 * Returns s, the number of structural zeros among the active cells.
 */
static size_t qi_start(ds_lag_workspace_t *w, size_t K, const uint8_t *zero)
{
    size_t s = 0;
    for (size_t a = 0; a < 2 * K; a++)
        w->uf[a] = a;
    for (size_t i = 0; i < K; i++) {
        for (size_t j = 0; j < K; j++) {
            size_t c = i * K + j;
            int active = w->rsum[i] > 0 && w->csum[j] > 0;
            w->mu[c] = 0;
            if (zero[c]) {
                s += active;
                continue;
            }
            if (active) {
                w->mu[c] = 1;
                uf_join(w->uf, i, K + j);
            }
        }
    }
    return s;
}

/*
 * The inverse information matrix of the quasi-independence fit w->mu
 * (margins w->rsum, w->csum, components w->uf), left in the top-left
 * *p × *p block of w->info with the parameter indices in w->rpar, w->cpar.
 *
 * The Poisson log-linear model log mu_ij = α_i + β_j on the model cells
 * has, per connected component of the row–column graph (BFH 1975:
 * a separable table is several independent subtables), one column
 * dummy too many; drop the first column of each component. Its Fisher
 * information is X'WX with W = diag(mu):
 *   [α_a, α_a] = Σ_j mu_aj,  [β_b, β_b] = Σ_i mu_ib,  [α_a, β_b] = mu_ab,
 * all other entries 0, inverted once by Cholesky (O(p³), p < 2K).
 */
static int qi_invert(ds_lag_workspace_t *w, size_t K, size_t *p_out,
                     ds_error_t *err)
{
    const double *mu = w->mu;
    size_t p = 0;
    for (size_t i = 0; i < K; i++)
        w->rpar[i] = w->rsum[i] > 0 ? p++ : NONE;
    /* the first column (lowest index) of each component is the reference.
     * Union-find roots are the smallest member and rows (0..K-1) come
     * before columns (K..2K-1), so every component's root is a row. */
    for (size_t j = 0; j < K; j++)
        w->cpar[j] = NONE;
    uint8_t *seen = w->seen;
    memset(seen, 0, K);
    for (size_t j = 0; j < K; j++) {
        if (w->csum[j] == 0)
            continue;
        size_t root = uf_find(w->uf, K + j);
        /* a component always holds a row, so its root is a row index */
        if (root < K && !seen[root]) {
            seen[root] = 1; /* j is the reference column */
            continue;
        }
        w->cpar[j] = p++;
    }
    *p_out = p;

    gsl_matrix_view v = gsl_matrix_submatrix(w->info, 0, 0, p, p);
    gsl_matrix *A = &v.matrix;
    gsl_matrix_set_zero(A);
    for (size_t i = 0; i < K; i++) {
        if (w->rpar[i] == NONE)
            continue;
        for (size_t j = 0; j < K; j++) {
            double m = mu[i * K + j];
            if (m == 0)
                continue;
            size_t a = w->rpar[i], b = w->cpar[j];
            *gsl_matrix_ptr(A, a, a) += m;
            if (b != NONE) {
                *gsl_matrix_ptr(A, b, b) += m;
                *gsl_matrix_ptr(A, b, a) += m; /* lower triangle, b > a */
            }
        }
    }
    for (size_t a = 0; a < p; a++) /* mirror for decomp1, which reads both */
        for (size_t b = a + 1; b < p; b++)
            gsl_matrix_set(A, a, b, gsl_matrix_get(A, b, a));

    int rc = gsl_linalg_cholesky_decomp1(A);
    if (rc == GSL_SUCCESS)
        rc = gsl_linalg_cholesky_invert(A);
    if (rc != GSL_SUCCESS)
        return ds_error_set(err, DS_ENUM,
                            "the information matrix of the "
                            "quasi-independence fit is singular (%s)",
                            gsl_strerror(rc));
    return DS_OK;
}

/*
 * 1 − h_ij for model cell ij (row i active) after qi_invert(). The leverage
 * (McCullagh & Nelder 1989, model checking) is h_ij = mu_ij x_ij'
 * (X'WX)⁻¹ x_ij with x_ij = e_α(i) + e_β(j), a 2×2 quadratic form:
 *   h_ij = mu_ij (I[αi,αi] + I[βj,βj] + 2 I[αi,βj]).
 */
static double qi_one_minus_h(const ds_lag_workspace_t *w, size_t K, size_t p,
                             size_t i, size_t j)
{
    gsl_matrix_const_view v = gsl_matrix_const_submatrix(w->info, 0, 0, p, p);
    const gsl_matrix *A = &v.matrix;
    size_t a = w->rpar[i], b = w->cpar[j];
    double q = sym(A, a, a);
    if (b != NONE)
        q += sym(A, b, b) + 2 * sym(A, a, b);
    return 1 - w->mu[i * K + j] * q;
}

/*
 * Adjusted residuals of the quasi-independence fit w->mu:
 * z_ij = (f_ij − mu_ij) / sqrt(mu_ij (1 − h_ij)) (the standardized Pearson
 * residual; = Haberman's adjusted residual without structural zeros;
 * Bakeman & Quera 2011). NaN where 1 − h_ij <= LEVERAGE_ONE_TOL.
 */
static int leverage_residuals(const int64_t *counts, size_t K,
                              ds_lag_workspace_t *w, double *z,
                              ds_error_t *err)
{
    size_t p;
    int rc = qi_invert(w, K, &p, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < K; i++) {
        if (w->rpar[i] == NONE)
            continue;
        for (size_t j = 0; j < K; j++) {
            size_t c = i * K + j;
            double m = w->mu[c];
            if (m <= 0)
                continue;
            double one_minus_h = qi_one_minus_h(w, K, p, i, j);
            if (one_minus_h > LEVERAGE_ONE_TOL)
                z[c] = ((double)counts[c] - m) / sqrt(m * one_minus_h);
        }
    }
    return DS_OK;
}

/*
 * Expected values e[K*K], adjusted residuals z[K*K] and df of counts;
 * margins and N are left in w. Cells outside the model are NaN in z;
 * expected is 0 in zero-margin rows and columns, NaN in structural zeros.
 */
static int fit_table(const int64_t *counts, size_t K, const uint8_t *zero,
                     const ds_lag_opts_t *o, ds_lag_workspace_t *w, double *e,
                     double *z, double *df, ds_error_t *err)
{
    size_t kk = K * K;
    for (size_t c = 0; c < kk; c++)
        e[c] = z[c] = NAN;
    *df = NAN;
    int rc = ds_lag_check_zeros(counts, K, zero, NULL, err);
    if (rc < 0)
        return rc;

    /* margins in exact integer arithmetic */
    int64_t n_int = 0;
    for (size_t i = 0; i < K; i++) {
        int64_t r = 0;
        for (size_t j = 0; j < K; j++)
            r += counts[i * K + j];
        w->rsum[i] = (double)r;
        n_int += r;
    }
    for (size_t j = 0; j < K; j++) {
        int64_t s = 0;
        for (size_t i = 0; i < K; i++)
            s += counts[i * K + j];
        w->csum[j] = (double)s;
    }
    double N = (double)n_int;
    w->n_total = N;
    if (n_int == 0)
        return DS_OK; /* no pairs: every statistic undefined */

    size_t r = 0, cc = 0;
    for (size_t i = 0; i < K; i++) {
        r += w->rsum[i] > 0;
        cc += w->csum[i] > 0;
    }

    if (!zero) {
        /* independence: e_ij = R_i C_j / N; Haberman (1973) adjusted
         * residual z = (f − e) / sqrt(e (1 − R_i/N)(1 − C_j/N));
         * Bakeman & Quera (2011) */
        for (size_t i = 0; i < K; i++) {
            double R = w->rsum[i];
            for (size_t j = 0; j < K; j++) {
                size_t c = i * K + j;
                double C = w->csum[j];
                e[c] = R * C / N;
                double var = e[c] * (1 - R / N) * (1 - C / N);
                if (e[c] > 0 && var > 0)
                    z[c] = ((double)counts[c] - e[c]) / sqrt(var);
            }
        }
        *df = (double)(r - 1) * (double)(cc - 1);
        return DS_OK;
    }

    /* quasi-independence: model cells are the allowed cells of active rows
     * and columns; s counts the structural zeros among active ones */
    size_t s = qi_start(w, K, zero);
    size_t n_comp = 0;
    for (size_t i = 0; i < K; i++)
        n_comp += w->rsum[i] > 0 && uf_find(w->uf, i) == i;

    rc = ipf(w, K, o, err);
    if (rc < 0) {
        for (size_t c = 0; c < kk; c++)
            e[c] = NAN;
        return rc;
    }
    for (size_t c = 0; c < kk; c++)
        if (!zero[c])
            e[c] = w->mu[c]; /* 0 in zero-margin rows and columns */

    /* df = (r − 1)(c − 1) − s (Bakeman & Quera 2011), plus one per
     * extra component of a separable table (BFH 1975: each
     * independent subtable has its own total) */
    *df = (double)(r - 1) * (double)(cc - 1) - (double)s
        + (double)(n_comp - 1);

    rc = leverage_residuals(counts, K, w, z, err);
    if (rc < 0) {
        for (size_t c = 0; c < kk; c++)
            z[c] = NAN;
        return rc;
    }
    return DS_OK;
}

static int check_args(size_t K, const ds_lag_opts_t *o,
                      const ds_lag_workspace_t *w, ds_error_t *err)
{
    if (!w || w->K < K)
        return ds_error_set(err, DS_EUSAGE,
                            "lag workspace for %zu states used for %zu",
                            w ? w->K : 0, K);
    if (!(o->zero_correction >= 0) || !(o->ipf_tol > 0)
        || o->ipf_max_iter == 0)
        return ds_error_set(err, DS_EUSAGE,
                            "invalid lag options (zero correction %g, IPF "
                            "tolerance %g, %zu IPF cycles)",
                            o->zero_correction, o->ipf_tol, o->ipf_max_iter);
    return DS_OK;
}

int ds_lag_residuals(const int64_t *counts, size_t K, const uint8_t *zero,
                     const ds_lag_opts_t *o, ds_lag_workspace_t *w,
                     double *expected, double *z, ds_error_t *err)
{
    ds_lag_opts_t def;
    if (!o) {
        ds_lag_opts_init(&def);
        o = &def;
    }
    int rc = check_args(K, o, w, err);
    if (rc < 0) {
        for (size_t c = 0; c < K * K; c++) {
            z[c] = NAN;
            if (expected)
                expected[c] = NAN;
        }
        return rc;
    }
    double df;
    return fit_table(counts, K, zero, o, w, expected ? expected : w->ebuf, z,
                     &df, err);
}

/*
 * Wampold's transformed kappa and its z for cell ij (Wampold 1989, 1992;
 * O'Connor 1999): e' = n_i n_j / n;
 *   κ = (f − e') / (min(n_i, n_j) − e')  when f ≥ e',
 *   κ = (f − e') / e'                     otherwise;
 *   z = (f − e') / sqrt(n_i n_j (n − n_i)(n − n_j) / (n² (n − 1))).
 * NaN wherever a denominator is 0.
 */
static void wampold(double f, double ni, double nj, double n, double *kappa,
                    double *z)
{
    *kappa = *z = NAN;
    if (n < 1)
        return;
    double ep = ni * nj / n;
    double den = f >= ep ? fmin(ni, nj) - ep : ep;
    if (den > 0)
        *kappa = (f - ep) / den;
    double var = ni * nj * (n - ni) * (n - nj) / (n * n * (n - 1));
    if (n >= 2 && var > 0)
        *z = (f - ep) / sqrt(var);
}

/*
 * Can every state present in the sequence (freq > 0) be reached from every
 * other through transitions the mask allows? Breadth-first search from
 * the first present state, forwards (dir 0) and backwards (dir 1).
 */
static int strongly_connected(const int64_t *freq, size_t K,
                              const uint8_t *zero, ds_lag_workspace_t *w)
{
    size_t start = K;
    for (size_t i = 0; i < K && start == K; i++)
        if (freq[i] > 0)
            start = i;
    if (start == K)
        return 0;
    for (int dir = 0; dir < 2; dir++) {
        memset(w->seen, 0, K);
        size_t head = 0, tail = 0;
        w->queue[tail++] = start;
        w->seen[start] = 1;
        while (head < tail) {
            size_t u = w->queue[head++];
            for (size_t v = 0; v < K; v++) {
                size_t c = dir == 0 ? u * K + v : v * K + u;
                if (!w->seen[v] && freq[v] > 0 && !zero[c]) {
                    w->seen[v] = 1;
                    w->queue[tail++] = v;
                }
            }
        }
        for (size_t i = 0; i < K; i++)
            if (freq[i] > 0 && !w->seen[i])
                return 0;
    }
    return 1;
}

/*
 * Wampold's kappa and z with structural zeros (docs/statistics-lag.md,
 * "Wampold's kappa with structural zeros"). Under the null hypothesis the
 * sequence is uniform among those with its code counts and no transition
 * in a structural-zero cell; by Whittle's (1955) count of sequences with a
 * given transition table, its lag-1 table is then asymptotically a
 * quasi-independence table conditioned on margins that are the state
 * frequencies. So
 *   e'_ij = the IPF fit of quasi-independence on the allowed cells with
 *           row and column margins n_i (for the diagonal mask, the symmetric
 *           a_i a_j with a_i (Σ a − a_i) = n_i; O'Connor's 1999
 *           n_i n_j / (n − n_i) is its approximation for equal n_i),
 *   var  = e'_ij (1 − h'_ij), h' the leverage of that fit,
 *   κ    = Wampold's transform of f − e', z = (f − e') / sqrt(var).
 * Left NaN when the allowed transitions among the present states are not
 * strongly connected (the asymptotics need every state to be reachable
 * from every other), when the fit does not converge (e.g. a state in more
 * than half the events) or when 1 − h' is 0.
 */
static void wampold_zeros(ds_lag_table_t *t, const int64_t *freq,
                          const uint8_t *zero, const ds_lag_opts_t *o,
                          ds_lag_workspace_t *w)
{
    size_t K = t->K, p;
    if (!strongly_connected(freq, K, zero, w))
        return;
    for (size_t i = 0; i < K; i++)
        w->rsum[i] = w->csum[i] = (double)freq[i];
    qi_start(w, K, zero);
    ds_error_t e;
    if (ipf(w, K, o, &e) < 0 || qi_invert(w, K, &p, &e) < 0)
        return;
    for (size_t i = 0; i < K; i++) {
        if (freq[i] == 0)
            continue;
        for (size_t j = 0; j < K; j++) {
            size_t c = i * K + j;
            double ep = w->mu[c];
            if (ep <= 0)
                continue; /* structural, or state j absent */
            double f = (double)t->counts[c];
            double ni = (double)freq[i], nj = (double)freq[j];
            double den = f >= ep ? fmin(ni, nj) - ep : ep;
            if (den > 0)
                t->wampold_kappa[c] = (f - ep) / den;
            double one_minus_h = qi_one_minus_h(w, K, p, i, j);
            if (one_minus_h > LEVERAGE_ONE_TOL)
                t->wampold_z[c] = (f - ep) / sqrt(ep * one_minus_h);
        }
    }
}

/* Row sums (w->fsum) and column sums (w->ecol) of the fitted table
 * t->expected, structural cells counting 0; returns its total. */
static double fitted_margins(const ds_lag_table_t *t, const uint8_t *zero,
                             ds_lag_workspace_t *w)
{
    size_t K = t->K;
    double total = 0;
    memset(w->ecol, 0, K * sizeof *w->ecol);
    for (size_t i = 0; i < K; i++) {
        w->fsum[i] = 0;
        for (size_t j = 0; j < K; j++) {
            double e = zero[i * K + j] ? 0 : t->expected[i * K + j];
            w->fsum[i] += e;
            w->ecol[j] += e;
        }
        total += w->fsum[i];
    }
    return total;
}

/*
 * The odds ratio of the 2×2 collapse of cell ij of the fitted table e
 * (a_e = e_ij, b_e = rest of row i, c_e = rest of column j, d_e = the
 * rest), with row sums er, column sums ec and total et of e. NaN when a
 * cell of the collapse is 0 (up to rounding, 1e-9 of the total).
 */
static double fitted_or(double eij, double er, double ec, double et)
{
    double be = er - eij, ce = ec - eij, de = et - er - ec + eij;
    double tiny = 1e-9 * et;
    if (!(eij > tiny && be > tiny && ce > tiny && de > tiny))
        return NAN;
    return eij * de / (be * ce);
}

int ds_lag_table_compute(ds_lag_table_t *t, const int64_t *freq,
                         int64_t n_events, const uint8_t *zero,
                         const ds_lag_opts_t *o, ds_lag_workspace_t *w,
                         ds_error_t *err)
{
    ds_lag_opts_t def;
    if (!o) {
        ds_lag_opts_init(&def);
        o = &def;
    }
    size_t K = t->K;
    set_stats_nan(t);
    int rc = check_args(K, o, w, err);
    if (rc < 0)
        return rc;
    if (freq) {
        int64_t sum = 0;
        for (size_t i = 0; i < K; i++)
            sum += freq[i];
        if (sum != n_events)
            return ds_error_set(err, DS_EUSAGE,
                                "state frequencies sum to %lld, not to the "
                                "%lld events",
                                (long long)sum, (long long)n_events);
    }

    double df;
    rc = fit_table(t->counts, K, zero, o, w, t->expected,
                   t->adjusted_residual, &df, err);
    if (rc < 0) {
        set_stats_nan(t);
        return rc;
    }
    double N = w->n_total;
    if (N == 0)
        return DS_OK;

    /* a mask with at least one structural zero changes Q, the log odds
     * ratio and Wampold's statistics (SPEC 4.1); an empty one does not */
    int has_zero = 0;
    for (size_t c = 0; zero && c < K * K && !has_zero; c++)
        has_zero = zero[c] != 0;
    double e_total = has_zero ? fitted_margins(t, zero, w) : 0;

    double g2 = 0, x2 = 0;
    for (size_t i = 0; i < K; i++) {
        double R = w->rsum[i];
        for (size_t j = 0; j < K; j++) {
            size_t c = i * K + j;
            if (zero && zero[c])
                continue; /* structural: NaN everywhere */
            double C = w->csum[j], f = (double)t->counts[c];
            double e = t->expected[c], z = t->adjusted_residual[c];

            /* G² = 2 Σ f ln(f/e) over f > 0, X² = Σ (f − e)²/e over e > 0
             * (Bakeman & Quera 2011) */
            if (f > 0 && e > 0)
                g2 += f * log(f / e);
            if (e > 0)
                x2 += (f - e) * (f - e) / e;

            if (!isnan(z))
                t->p_value[c] = 2 * gsl_cdf_ugaussian_Q(fabs(z));
            if (R > 0)
                t->transition_prob[c] = f / R; /* B&Q 2011 */

            /* 2×2 collapse of cell ij against the rest (B&Q 2011);
             * undefined in zero-margin rows and columns, even with the
             * 0.5 correction, which would otherwise invent a value */
            if (R > 0 && C > 0) {
                ds_2x2_t s;
                if (has_zero) /* relative to the fitted collapse */
                    ds_2x2_stats_relative(
                        f, R - f, C - f, N - R - C + f,
                        fitted_or(e, w->fsum[i], w->ecol[j], e_total),
                        o->zero_correction, &s);
                else
                    ds_2x2_stats(f, R - f, C - f, N - R - C + f,
                                 o->zero_correction, &s);
                t->yules_q[c] = s.yules_q;
                t->yules_q_se[c] = s.yules_q_se;
                t->log_odds_ratio[c] = s.log_odds_ratio;
                t->log_odds_ratio_se[c] = s.log_odds_ratio_se;
            }

            if (freq && !has_zero)
                wampold(f, (double)freq[i], (double)freq[j],
                        (double)n_events, &t->wampold_kappa[c],
                        &t->wampold_z[c]);
        }
    }
    if (freq && has_zero) /* last: it reuses the workspace's fit */
        wampold_zeros(t, freq, zero, o, w);
    t->g2 = 2 * g2;
    t->x2 = x2;
    t->df = df;
    t->g2_p = df > 0 ? gsl_cdf_chisq_Q(t->g2, df) : NAN;
    return DS_OK;
}
