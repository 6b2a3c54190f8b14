"""stats.py — the statistics plot_results.py computes itself, without
scipy: multiple-comparison corrections as R's p.adjust, the noncentral t
distribution and the exact confidence interval of Cohen's d_z.
"""
import math

import numpy as np


def adjust_p(p, method):
    """Adjusted p-values over the finite entries of p (any shape), as R's
    p.adjust: holm (Holm 1979), bonferroni, bh (Benjamini & Hochberg 1995).
    NaN stays NaN and is not counted in m. Returns (adjusted, m)."""
    p = np.asarray(p, float)
    flat = p.ravel()
    out = np.full(flat.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(flat))
    m = len(ok)
    if m == 0:
        return out.reshape(p.shape), 0
    order = ok[np.argsort(flat[ok], kind="stable")]
    ps = flat[order]
    if method == "bonferroni":
        adj = np.minimum(1.0, m * ps)
    elif method == "holm":
        adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * ps))
    else:  # bh
        adj = np.minimum(1.0, np.minimum.accumulate((m / np.arange(m, 0, -1) * ps[::-1]))[::-1])
    out[order] = adj
    return out.reshape(p.shape), m


CORRECTION_NAMES = {"holm": "Holm", "bonferroni": "Bonferroni",
                    "bh": "Benjamini\u2013Hochberg FDR"}


def _norm_cdf(x):
    """Standard normal CDF from erfc (Numerical Recipes erfcc, relative
    error < 1.2e-7): vectorized without scipy."""
    z = -np.asarray(x, float) / math.sqrt(2.0)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.5 * a)
    r = t * np.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (
        0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (
            1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    erfc = np.where(z >= 0, r, 2.0 - r)
    return 0.5 * erfc


def nct_cdf(t, df, delta):
    """P(T <= t) for T noncentral t with df degrees of freedom and
    noncentrality delta: E[Phi(t U / sqrt(df) - delta)], U ~ chi(df),
    integrated numerically over U (trapezoid, 4000 points)."""
    u = np.linspace(0.0, math.sqrt(df) + 12.0, 4001)
    with np.errstate(divide="ignore", invalid="ignore"):
        logg = ((df - 1) * np.log(u) - u * u / 2 - (df / 2 - 1) * math.log(2)
                - math.lgamma(df / 2))
    g = np.exp(logg)
    g[0] = math.sqrt(2 / math.pi) if df == 1 else (0.0 if df > 1 else math.inf)
    y = _norm_cdf(t * u / math.sqrt(df) - delta) * g
    h = u[1] - u[0]
    return float(np.sum(y) * h - (y[0] + y[-1]) * h / 2)


def dz_confint(t, df, n, conf):
    """Exact CI of Cohen's d_z by inverting the noncentral t (Cumming &
    Finch 2001; Steiger & Fouladi 1997): delta with P(T <= t | delta) =
    1 - a/2 and a/2, divided by sqrt(n). NaN when t or df is not finite."""
    if not (math.isfinite(t) and math.isfinite(df) and df >= 1 and n >= 2):
        return math.nan, math.nan
    a = 1 - conf
    out = []
    for target in (1 - a / 2, a / 2):
        lo, hi, step = t - 1.0, t + 1.0, 1.0
        while nct_cdf(t, df, lo) < target and step < 1e4:
            step *= 2
            lo = t - step
        while nct_cdf(t, df, hi) > target and step < 1e4:
            step *= 2
            hi = t + step
        if step >= 1e4:
            return math.nan, math.nan
        for _ in range(60):
            mid = (lo + hi) / 2
            if nct_cdf(t, df, mid) > target:
                lo = mid
            else:
                hi = mid
        out.append((lo + hi) / 2 / math.sqrt(n))
    return out[0], out[1]
