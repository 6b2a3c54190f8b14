#!/usr/bin/python3
"""make_fake_results.py — write dyadseq results files (SPEC 5 layout) for
testing the plot script and the reading examples before the engine exists.

    make_fake_results.py [--variant full|notime|k20|noactors] [--seed N] OUT.h5
                         [--transcript-dir DIR] [--no-cycle-runs]

The numbers are not made up: the script simulates coded interaction
(a Markov chain over the K actor:code states with a planted
A:pursue -> B:withdraw dependency that is stronger in `pre` than in `post`
sessions, and bids answered more often in `post`), then computes every
statistic from its SPEC section with plain numpy, so that the figures show
what real files will show. It is a test fixture, not a reference
implementation: the engine's numbers are checked elsewhere.

Variants:
  full    6 couples x {pre, post}, K = 10, times and durations,
          /lag, /window, /responsiveness (+ km), /cycles (with
          /cycles/runs, one row per cycle), /softening, /comparison
  k20     as full with 10 codes (K = 20 states), to check label layout
  notime  one session, no time column: no /window, no /responsiveness,
          time columns of /sessions, /cycles, /softening are NaN
  noactors as full without an actor column: states are the 5 codes, no
          /responsiveness, /cycles, /softening or /comparison

--transcript-dir writes the simulated events as a transcript CSV
(couple,session,actor,code,time,duration) for `--transcript`: the events
the timeline draws (results files hold none). --no-cycle-runs leaves out
/cycles/runs, as in files of a dyadseq that did not write it yet.

Layout conventions beyond SPEC 5 that this file assumes (docs/plots.md):
every dataset has a string attribute `dimensions` ("session,from,to",
"from,to", "session", "row", "point", "metric", "state", "code", or ""
for scalars); strings are variable-length UTF-8; counts are int64,
everything else float64 (df too, since it may be NaN).
"""
import argparse
import json
import math
import os
import sys

import h5py
import numpy as np

FORMAT_VERSION = 1
W_RESPONSE = 5.0  # --response-window default (SPEC 4.6)
CYCLE_MIN = 3     # --cycle-min default (SPEC 4.7)
WINDOW_LO, WINDOW_HI, TIME_UNIT = 1, 5, 1.0  # --window 1:5, --time-unit 1

BASE_CODES = [("pursue", "pursue", "criticizes, demands, protests"),
              ("withdraw", "withdraw", "stonewalls, leaves, goes silent"),
              ("soften", "soften", "expresses a softer, vulnerable feeling"),
              ("bid", "bid", "bid for attention, affection or support"),
              ("response", "response", "turns toward the partner's bid")]
EXTRA_CODES = [("criticize", "pursue", "SPAFF criticism"),
               ("stonewall", "withdraw", "SPAFF stonewalling"),
               ("humor", "soften", "SPAFF humor"),
               ("question", "bid", "asks about the partner's experience"),
               ("validate", "response", "SPAFF validation")]

STR = h5py.string_dtype("utf-8")


# ---------------------------------------------------------------- numerics
def norm_sf2(z):
    """Two-sided normal p-value."""
    return math.erfc(abs(z) / math.sqrt(2.0)) if math.isfinite(z) else math.nan


def _gammq(a, x):
    """Regularized upper incomplete gamma Q(a, x) (Numerical Recipes 6.2)."""
    if x < 0 or a <= 0:
        return math.nan
    if x == 0:
        return 1.0
    gln = math.lgamma(a)
    if x < a + 1:  # series for P
        ap, s, d = a, 1.0 / a, 1.0 / a
        for _ in range(1000):
            ap += 1
            d *= x / ap
            s += d
            if abs(d) < abs(s) * 1e-15:
                break
        return 1.0 - s * math.exp(-x + a * math.log(x) - gln)
    b, c, d = x + 1 - a, 1.0 / 1e-300, 1.0 / (x + 1 - a)
    h = d
    for i in range(1, 1000):  # continued fraction for Q
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1.0 / d
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - gln) * h


def chi2_sf(x, df):
    if not (math.isfinite(x) and df > 0):
        return math.nan
    return _gammq(df / 2.0, x / 2.0)


def _betacf(a, b, x):
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1.0 / (1e-300 if abs(d) < 1e-300 else d)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1.0 / (1e-300 if abs(d) < 1e-300 else d)
        c = 1 + aa / c
        c = 1e-300 if abs(c) < 1e-300 else c
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1.0 / (1e-300 if abs(d) < 1e-300 else d)
        c = 1 + aa / c
        c = 1e-300 if abs(c) < 1e-300 else c
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def betai(a, b, x):
    """Regularized incomplete beta I_x(a, b) (Numerical Recipes 6.4)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    bt = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                  + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return bt * _betacf(a, b, x) / a
    return 1 - bt * _betacf(b, a, 1 - x) / b


def t_p2(t, df):
    """Two-sided p of Student's t."""
    if not (math.isfinite(t) and df > 0):
        return math.nan
    return betai(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(p, df):
    """Upper quantile q with P(T > q) = 1 - p, p > 0.5, by bisection."""
    lo, hi = 0.0, 1e3
    for _ in range(200):
        mid = (lo + hi) / 2
        if 1 - t_p2(mid, df) / 2 < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def two_by_two(a, b, c, d):
    """Yule's Q, its SE, log odds ratio and SE (SPEC 4.1), no correction."""
    ad, bc = a * d, b * c
    q = (ad - bc) / (ad + bc) if ad + bc > 0 else math.nan
    if min(a, b, c, d) > 0:
        s = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        return q, 0.5 * (1 - q * q) * s, math.log(ad / bc), s
    return q, math.nan, math.nan, math.nan


# ------------------------------------------------------------- lag tables
LAG_STATS = ["counts", "expected", "transition_prob", "adjusted_residual",
             "p_value", "yules_q", "yules_q_se", "log_odds_ratio",
             "log_odds_ratio_se", "wampold_kappa", "wampold_z"]


def lag_table(f, nfreq, n):
    """Every statistic of SPEC 4.1 for one lag-1 count table f [K,K];
    nfreq the state frequencies in the sequence(s), n the number of events."""
    K = f.shape[0]
    f = f.astype(np.int64)
    N = float(f.sum())
    R = f.sum(axis=1).astype(float)
    C = f.sum(axis=0).astype(float)
    out = {k: np.full((K, K), math.nan) for k in LAG_STATS}
    out["counts"] = f
    with np.errstate(invalid="ignore", divide="ignore"):
        e = np.outer(R, C) / N if N > 0 else np.full((K, K), math.nan)
        out["expected"] = e
        out["transition_prob"] = f / R[:, None]
        den = e * np.outer(1 - R / N, 1 - C / N)
        z = (f - e) / np.sqrt(den)
        z[~(den > 0)] = math.nan
        out["adjusted_residual"] = z
    for i in range(K):
        for j in range(K):
            out["p_value"][i, j] = norm_sf2(out["adjusted_residual"][i, j])
            if N > 0:
                a = float(f[i, j])
                b, c = R[i] - a, C[j] - a
                d = N - R[i] - C[j] + a
                q, qse, lor, lse = two_by_two(a, b, c, d)
                out["yules_q"][i, j], out["yules_q_se"][i, j] = q, qse
                out["log_odds_ratio"][i, j] = lor
                out["log_odds_ratio_se"][i, j] = lse
            ni, nj = float(nfreq[i]), float(nfreq[j])
            if n > 1:
                ep = ni * nj / n
                if f[i, j] >= ep:
                    dd = min(ni, nj) - ep
                    kap = (f[i, j] - ep) / dd if dd > 0 else math.nan
                else:
                    kap = (f[i, j] - ep) / ep
                v = ni * nj * (n - ni) * (n - nj) / (n * n * (n - 1))
                out["wampold_kappa"][i, j] = kap
                out["wampold_z"][i, j] = (f[i, j] - ep) / math.sqrt(v) if v > 0 else math.nan
    pos = (f > 0) & (e > 0)
    g2 = 2 * float(np.sum(f[pos] * np.log(f[pos] / e[pos]))) if N > 0 else math.nan
    ok = e > 0
    x2 = float(np.sum((f[ok] - e[ok]) ** 2 / e[ok])) if N > 0 else math.nan
    df = float((np.count_nonzero(R) - 1) * (np.count_nonzero(C) - 1)) if N > 0 else math.nan
    out["g2"], out["x2"], out["df"] = g2, x2, df
    out["g2_p"] = chi2_sf(g2, df) if df > 0 else math.nan
    return out


# ------------------------------------------------------------ simulation
def make_chain(states, roles, actors, label, rng, k_codes):
    """Transition matrix with the planted dependencies."""
    K = len(states)
    P = rng.uniform(0.5, 1.5, size=(K, K))
    idx = {s: i for i, s in enumerate(states)}
    pre = label == "pre"

    def st(actor, code):
        return idx.get(f"{actor}:{code}")

    # partners mostly take turns
    for i in range(K):
        for j in range(K):
            if (i // k_codes) != (j // k_codes):
                P[i, j] *= 1.6
    P /= P.sum(axis=1, keepdims=True)

    def plant(i, j, p):
        if i is None or j is None:
            return
        P[i] *= (1 - p) / (1 - P[i, j]) if P[i, j] < 1 else 0
        P[i, j] = p

    plant(st("A", "pursue"), st("B", "withdraw"), rng.uniform(0.55, 0.7) if pre else rng.uniform(0.3, 0.45))
    plant(st("B", "withdraw"), st("A", "pursue"), rng.uniform(0.45, 0.6) if pre else rng.uniform(0.2, 0.3))
    plant(st("A", "bid"), st("B", "response"), rng.uniform(0.3, 0.45) if pre else rng.uniform(0.5, 0.7))
    plant(st("B", "bid"), st("A", "response"), rng.uniform(0.35, 0.5) if pre else rng.uniform(0.5, 0.7))
    plant(st("A", "soften"), st("B", "soften"), 0.3)
    plant(st("B", "soften"), st("A", "response"), 0.3)
    plant(st("A", "withdraw"), st("A", "withdraw"), 0.01)
    return P


def simulate_session(P, n_events, with_time, rng):
    K = P.shape[0]
    x = np.empty(n_events, dtype=np.int64)
    x[0] = rng.integers(K)
    for t in range(1, n_events):
        x[t] = rng.choice(K, p=P[x[t - 1]])
    if not with_time:
        return x, None, None
    gaps = 0.4 + rng.exponential(2.6, size=n_events)
    onset = np.round(np.cumsum(gaps) + rng.uniform(2, 20), 1)
    onset -= 0  # absolute onsets, as coded from video
    dur = np.round(np.minimum(gaps[1:].tolist() + [2.0], rng.gamma(2.0, 0.9, size=n_events)), 1)
    return x, onset, np.maximum(dur, 0.1)


# ----------------------------------------------------------- dyadic metrics
def km_estimate(times, events):
    """Product-limit curve at distinct event times (censorings at t are at
    risk at t)."""
    times = np.asarray(times, float)
    events = np.asarray(events, bool)
    ts = np.unique(times[events])
    surv, risk, nev = [], [], []
    s = 1.0
    for t in ts:
        r = int(np.sum(times >= t))
        d = int(np.sum((times == t) & events))
        s *= 1 - d / r
        surv.append(s)
        risk.append(r)
        nev.append(d)
    return ts, np.array(surv), np.array(risk, np.int64), np.array(nev, np.int64)


def km_at(ts, surv, max_time, n_obs, t):
    if n_obs == 0:
        return math.nan
    s = 1.0
    for ti, si in zip(ts, surv):
        if ti <= t:
            s = si
    if t > max_time and s > 0:
        return math.nan
    return s


def responsiveness(actor, role, onset, W):
    """Both directions of one session (SPEC 4.6; semantics of
    include/dyadseq/responsive.h). Returns two dicts, A->B first."""
    n = len(actor)
    rows = []
    for bidder in (0, 1):
        partner = 1 - bidder
        bids = [i for i in range(n) if actor[i] == bidder and role[i] == "bid"]
        lat_ok, times, evs = [], [], []
        away = against = 0
        for k, b in enumerate(bids):
            nxt = bids[k + 1] if k + 1 < len(bids) else n
            answer = first = None
            for j in range(b + 1, nxt):
                if actor[j] != partner:
                    continue
                if first is None:
                    first = j
                if role[j] == "response":
                    answer = j
                    break
            if answer is not None:
                lat = onset[answer] - onset[b]
                times.append(lat)
                evs.append(True)
                if lat <= W:
                    lat_ok.append(lat)
            else:
                end = onset[nxt] if nxt < n else onset[-1]
                times.append(end - onset[b])
                evs.append(False)
            if first is not None and first != answer and onset[first] - onset[b] <= W:
                if role[first] == "withdraw":
                    away += 1
                elif role[first] == "pursue":
                    against += 1
        ts, surv, risk, nev = km_estimate(times, evs)
        nb = len(bids)
        rows.append(dict(
            bidder=bidder, n_bids=nb, n_answered=len(lat_ok),
            response_rate=len(lat_ok) / nb if nb else math.nan,
            latency_mean_s=float(np.mean(lat_ok)) if lat_ok else math.nan,
            latency_median_s=float(np.median(lat_ok)) if lat_ok else math.nan,
            n_turned_away=away, n_turned_against=against,
            p_response_by_window=1 - km_at(ts, surv, max(times) if times else math.nan, nb, W),
            km=(ts, surv, risk, nev)))
    return rows


def cycles(actor, role, onset, duration_s, cmin):
    """Pursue-withdraw cycles of one session (SPEC 4.7). Returns the /cycles
    row and its /cycles/runs rows (schemas/results.md)."""
    n = len(actor)

    def pursuer(i):
        if role[i] == "pursue":
            return actor[i]
        if role[i] == "withdraw":
            return 1 - actor[i]
        return None

    runs, i = [], 0
    while i < n:
        p = pursuer(i)
        if p is None:
            i += 1
            continue
        j = i
        while j + 1 < n and pursuer(j + 1) == p and role[j + 1] != role[j]:
            j += 1
        if j - i + 1 >= cmin:
            runs.append((i, j))
        i = j + 1
    row = dict(n_cycles=len(runs), events_in_cycles=sum(b - a + 1 for a, b in runs),
               longest_cycle=max((b - a + 1 for a, b in runs), default=0),
               n_pursuer_a=sum(1 for a, b in runs if pursuer(a) == 0),
               n_pursuer_b=sum(1 for a, b in runs if pursuer(a) == 1),
               ended_by_soften=0, ended_by_bid=0, ended_other=0, ended_by_session_end=0)
    tic = 0.0
    run_rows = []
    for a, b in runs:
        if b + 1 >= n:
            ending = "session_end"
        elif role[b + 1] in ("soften", "bid"):
            ending = role[b + 1]
        else:
            ending = "other"
        row["ended_by_" + ending if ending != "other" else "ended_other"] += 1
        start = end = math.nan
        if onset is not None:
            start, end = float(onset[a]), float(onset[b + 1] if b + 1 < n else onset[-1])
            tic += end - start
        run_rows.append(dict(pursuer=pursuer(a), first_event=a, n_events=b - a + 1,
                             start_s=start, end_s=end, ending=ending))
    if onset is None:
        row["time_in_cycles_s"] = row["share_time_in_cycles"] = math.nan
    else:
        row["time_in_cycles_s"] = tic
        row["share_time_in_cycles"] = tic / duration_s if duration_s > 0 else math.nan
    return row, run_rows


def softening(actor, role, onset, duration_s, W):
    out = []
    n = len(actor)
    for a in (0, 1):
        idx = [i for i in range(n) if actor[i] == a and role[i] == "soften"]
        rec = 0
        for i in idx:
            for j in range(i + 1, n):
                if actor[j] == 1 - a and role[j] in ("soften", "response"):
                    if onset is not None and onset[j] - onset[i] <= W:
                        rec += 1
                    break
        timed = onset is not None
        out.append(dict(actor=a, n_soften=len(idx),
                        rate_per_min=len(idx) / (duration_s / 60) if timed and duration_s > 0 else math.nan,
                        first_onset_s=float(onset[idx[0]]) if timed and idx else math.nan,
                        share_reciprocated=rec / len(idx) if timed and idx else math.nan))
    return out


def window_tallies(x, onset, K):
    """GSEQ time-unit tallies a, b, c, d [K,K] (SPEC 4.4, onsets only)."""
    t0 = onset[0]
    units = (np.floor((onset - t0) / TIME_UNIT)).astype(int)
    nu = units[-1] + 1
    given = np.zeros((K, nu), bool)
    target = np.zeros((K, nu), bool)
    for s, u in zip(x, units):
        given[s, max(0, u + WINDOW_LO):min(nu, u + WINDOW_HI + 1)] = True
        target[s, u] = True
    a = given.astype(np.int64) @ target.T.astype(np.int64)
    g = given.sum(axis=1)[:, None]
    t = target.sum(axis=1)[None, :]
    b, c = g - a, t - a
    d = nu - a - b - c
    return a, b, c, d


def window_stats(a, b, c, d):
    K = a.shape[0]
    out = {k: np.full((K, K), math.nan) for k in ("yules_q", "log_odds_ratio", "log_odds_ratio_se",
                                                   "adjusted_residual")}
    for i in range(K):
        for j in range(K):
            A, B, C, D = (float(v[i, j]) for v in (a, b, c, d))
            q, _, lor, lse = two_by_two(A, B, C, D)
            out["yules_q"][i, j], out["log_odds_ratio"][i, j] = q, lor
            out["log_odds_ratio_se"][i, j] = lse
            N, R, Cc = A + B + C + D, A + B, A + C
            if N > 0:
                e = R * Cc / N
                den = e * (1 - R / N) * (1 - Cc / N)
                if den > 0:
                    out["adjusted_residual"][i, j] = (A - e) / math.sqrt(den)
    out.update(a=a, b=b, c=c, d=d)
    return out


# ---------------------------------------------------------- comparison
def paired(pre, post):
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    ok = np.isfinite(pre) & np.isfinite(post)
    x, y = pre[ok], post[ok]
    n = len(x)
    d = y - x
    r = dict(n_pairs=n, mean_pre=math.nan, sd_pre=math.nan, mean_post=math.nan, sd_post=math.nan,
             mean_diff=math.nan, ci_low=math.nan, ci_high=math.nan, t=math.nan, df=math.nan,
             p_t=math.nan, wilcoxon_v=math.nan, p_wilcoxon=math.nan, d_z=math.nan,
             d_av=math.nan, hedges_g=math.nan)
    if n == 0:
        return r
    r.update(mean_pre=x.mean(), mean_post=y.mean(), mean_diff=d.mean())
    if n < 2:
        return r
    r.update(sd_pre=x.std(ddof=1), sd_post=y.std(ddof=1), df=n - 1.0)
    sdd = d.std(ddof=1)
    if sdd > 0:
        se = sdd / math.sqrt(n)
        t = d.mean() / se
        q = t_quantile(0.975, n - 1)
        r.update(t=t, p_t=t_p2(t, n - 1), ci_low=(t - q) * se, ci_high=(t + q) * se,
                 d_z=d.mean() / sdd)
    if r["sd_pre"] + r["sd_post"] > 0:
        r["d_av"] = d.mean() / ((r["sd_pre"] + r["sd_post"]) / 2)
        if n > 2:
            r["hedges_g"] = r["d_av"] * (1 - 3 / (4 * (n - 1) - 1))
    nz = d[d != 0]
    if len(nz):  # exact signed-rank by enumeration (fixture: small n)
        ranks = np.argsort(np.argsort(np.abs(nz))) + 1.0
        v = float(ranks[nz > 0].sum())
        m = len(nz)
        mu = m * (m + 1) / 4
        if m <= 12:
            sums = np.array([sum(ranks[k] for k in range(m) if (s >> k) & 1) for s in range(2 ** m)])
            p = 2 * (np.mean(sums >= v) if v > mu else np.mean(sums <= v))
        else:  # normal approximation with continuity correction (no tie correction)
            z = (v - mu - math.copysign(0.5, v - mu)) / math.sqrt(m * (m + 1) * (2 * m + 1) / 24)
            p = norm_sf2(z)
        r.update(wilcoxon_v=v, p_wilcoxon=min(1.0, p))
    return r


def bh(p):
    p = np.asarray(p, float)
    q = np.full(p.shape, math.nan)
    ok = np.where(np.isfinite(p))[0]
    m = len(ok)
    if m == 0:
        return q
    order = ok[np.argsort(p[ok], kind="stable")]
    run = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        run = min(run, m / rank * p[i])
        q[i] = run
    return q


# ------------------------------------------------------------------ write
def put(g, name, data, dims, dtype=None):
    if dtype is None and isinstance(data, (list, tuple)) and data and isinstance(data[0], str):
        dtype = STR
    if dtype is STR:
        data = np.array(data, dtype=object)
    ds = g.create_dataset(name, data=data, dtype=dtype)
    ds.attrs["dimensions"] = dims
    return ds


def put_table(g, stats, lead):
    """lead: "session," for [S,K,K] groups, "" for pooled [K,K]."""
    for k in LAG_STATS:
        put(g, k, stats[k], lead + "from,to", np.int64 if k == "counts" else np.float64)
    for k in ("g2", "x2", "df", "g2_p"):
        put(g, k, np.asarray(stats[k], np.float64), lead.rstrip(","))
    K = stats["counts"].shape[-1]
    put(g, "structural_zero", np.zeros((K, K), np.uint8), "from,to")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--variant", choices=("full", "notime", "k20", "noactors"), default="full")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--couples", type=int, default=6)
    ap.add_argument("--transcript-dir")
    ap.add_argument("--no-cycle-runs", action="store_true", help="omit /cycles/runs")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)

    codes = BASE_CODES + (EXTRA_CODES if a.variant == "k20" else [])
    actors = ["A", "B"]
    nc = len(codes)
    states = [f"{ac}:{c[0]}" for ac in actors for c in codes]
    K = len(states)
    roles = [c[1] for c in codes] * 2
    with_time = a.variant != "notime"
    if a.variant == "notime":
        sessions = [("c01", "s1")]
    else:
        sessions = [(f"c{i + 1:02d}", lab) for i in range(a.couples) for lab in ("post", "pre")]
    sessions.sort(key=lambda s: (s[0].encode(), s[1].encode()))  # SPEC 4: byte order
    S = len(sessions)

    sim = []
    for couple, label in sessions:
        P = make_chain(states, roles, actors, label if label in ("pre", "post") else "pre", rng, nc)
        n = int(rng.integers(150, 260)) if with_time else 120
        x, onset, dur = simulate_session(P, n, with_time, rng)
        sim.append((x, onset, dur))
    dyadic = a.variant != "noactors"
    if not dyadic:  # the same events with the actor column dropped
        sim = [(x % nc, onset, dur) for x, onset, dur in sim]
        states, K, actors = [c[0] for c in codes], nc, []

    params = {"lags": [1], "structural_zeros": "none", "permutations": 0, "window": "1:5",
              "time_unit": 1.0, "target": "onset", "response_window": W_RESPONSE,
              "cycle_min": CYCLE_MIN, "actors": actors, "zero_correction": 0,
              "threads": 2, "seed": 1, "fake": True}
    tmp = a.out + ".tmp"
    with h5py.File(tmp, "w") as f:
        f.attrs["format"] = "dyadseq-results"
        f.attrs["format_version"] = np.int64(FORMAT_VERSION)
        f.attrs["software_version"] = "0.0.0-fake"
        f.attrs["command_line"] = "make_fake_results.py " + " ".join(sys.argv[1:])
        f.attrs["parameters"] = json.dumps(params, sort_keys=True)
        f.attrs.create("input_sha256", np.array(["0" * 64], dtype=object), dtype=STR)
        f.attrs["seed"] = np.int64(1)

        put(f, "states/label", states, "state")
        put(f, "codebook/code", [c[0] for c in codes], "code")
        put(f, "codebook/role", [c[1] for c in codes], "code")
        put(f, "codebook/description", [c[2] for c in codes], "code")

        n_events = [len(s[0]) for s in sim]
        first = [float(s[1][0]) if with_time else math.nan for s in sim]
        dur_s = [float(max(s[1][-1], np.max(s[1] + s[2])) - s[1][0]) if with_time else math.nan
                 for s in sim]
        put(f, "sessions/couple", [s[0] for s in sessions], "session")
        put(f, "sessions/session", [s[1] for s in sessions], "session")
        put(f, "sessions/n_events", np.array(n_events, np.int64), "session")
        put(f, "sessions/duration_s", np.array(dur_s), "session")
        put(f, "sessions/first_onset_s", np.array(first), "session")

        # lag 1 ------------------------------------------------------------
        counts = np.zeros((S, K, K), np.int64)
        freqs = np.zeros((S, K), np.int64)
        for s, (x, _, _) in enumerate(sim):
            np.add.at(counts[s], (x[:-1], x[1:]), 1)
            freqs[s] = np.bincount(x, minlength=K)
        per = [lag_table(counts[s], freqs[s], n_events[s]) for s in range(S)]
        g = f.create_group("lag/1/session")
        stacked = {k: np.stack([p[k] for p in per]) for k in LAG_STATS + ["g2", "x2", "df", "g2_p"]}
        put_table(g, stacked, "session,")
        put_table(f.create_group("lag/1/pooled"),
                  lag_table(counts.sum(0), freqs.sum(0), sum(n_events)), "")
        labels = sorted({s[1] for s in sessions}, key=str.encode)
        for lab in labels:
            m = np.array([s[1] == lab for s in sessions])
            put_table(f.create_group(f"lag/1/pooled_by_label/{lab}"),
                      lag_table(counts[m].sum(0), freqs[m].sum(0), int(np.sum(np.array(n_events)[m]))), "")

        def summary(g, mask):
            for stat in ("yules_q", "adjusted_residual"):
                v = stacked[stat][mask]
                ok = np.isfinite(v)
                nn = ok.sum(0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    mean = np.where(nn > 0, np.nansum(v, 0) / np.maximum(nn, 1), math.nan)
                    sd = np.full((K, K), math.nan)
                    t = np.full((K, K), math.nan)
                    p = np.full((K, K), math.nan)
                    for i in range(K):
                        for j in range(K):
                            vv = v[:, i, j][ok[:, i, j]]
                            if len(vv) >= 2:
                                sd[i, j] = vv.std(ddof=1)
                                if sd[i, j] > 0:
                                    t[i, j] = vv.mean() / (sd[i, j] / math.sqrt(len(vv)))
                                    p[i, j] = t_p2(t[i, j], len(vv) - 1)
                for suf, arr in (("mean", mean), ("sd", sd), ("n", nn.astype(np.int64)), ("t", t), ("p", p)):
                    put(g, f"{stat}_{suf}", arr, "from,to")

        summary(f.create_group("lag/1/couple_summary"), np.ones(S, bool))
        for lab in labels:
            summary(f.create_group(f"lag/1/couple_summary_by_label/{lab}"),
                    np.array([s[1] == lab for s in sessions]))

        # dyadic ----------------------------------------------------------
        resp_rows, cyc_rows, soft_rows, run_rows, win = [], [], [], [], []
        for s, (x, onset, dur) in enumerate(sim):
            if not dyadic:  # dyadic metrics need actors (SPEC 3)
                if with_time:
                    win.append(window_tallies(x, onset, K))
                continue
            actor = [int(v) // nc for v in x]
            role = [roles[int(v)] for v in x]
            if with_time:
                for r in responsiveness(actor, role, onset, W_RESPONSE):
                    r["session_index"] = s
                    resp_rows.append(r)
                win.append(window_tallies(x, onset, K))
            c, runs = cycles(actor, role, onset, dur_s[s], CYCLE_MIN)
            c["session_index"] = s
            cyc_rows.append(c)
            run_rows += [dict(r, session_index=s) for r in runs]
            for r in softening(actor, role, onset, dur_s[s], W_RESPONSE):
                r["session_index"] = s
                soft_rows.append(r)

        if win:
            g = f.create_group("window")
            g.attrs["lo"], g.attrs["hi"], g.attrs["time_unit_s"] = np.int64(WINDOW_LO), np.int64(WINDOW_HI), TIME_UNIT
            per_w = [window_stats(*w) for w in win]
            for k in ("a", "b", "c", "d", "yules_q", "log_odds_ratio", "log_odds_ratio_se", "adjusted_residual"):
                put(g, f"session/{k}", np.stack([p[k] for p in per_w]), "session,from,to",
                    np.int64 if k in "abcd" else np.float64)
            pooled = window_stats(*(sum(w[i] for w in win) for i in range(4)))
            for k in ("a", "b", "c", "d", "yules_q", "log_odds_ratio", "log_odds_ratio_se", "adjusted_residual"):
                put(g, f"pooled/{k}", pooled[k], "from,to", np.int64 if k in "abcd" else np.float64)

        if resp_rows:
            g = f.create_group("responsiveness")
            put(g, "session_index", np.array([r["session_index"] for r in resp_rows], np.int64), "row")
            put(g, "bidder", [actors[r["bidder"]] for r in resp_rows], "row")
            for k in ("n_bids", "n_answered", "n_turned_away", "n_turned_against"):
                put(g, k, np.array([r[k] for r in resp_rows], np.int64), "row")
            for k in ("response_rate", "latency_mean_s", "latency_median_s", "p_response_by_window"):
                put(g, k, np.array([r[k] for r in resp_rows], np.float64), "row")
            rows, ts, sv, rk, ne = [], [], [], [], []
            for i, r in enumerate(resp_rows):
                t, s_, risk, nev = r["km"]
                rows += [i] * len(t)
                ts += list(t)
                sv += list(s_)
                rk += list(risk)
                ne += list(nev)
            put(g, "km/row", np.array(rows, np.int64), "point")
            put(g, "km/time_s", np.array(ts, np.float64), "point")
            put(g, "km/survival", np.array(sv, np.float64), "point")
            put(g, "km/n_at_risk", np.array(rk, np.int64), "point")
            put(g, "km/n_events", np.array(ne, np.int64), "point")

        if cyc_rows:
            g = f.create_group("cycles")
            for k in ("session_index", "n_cycles", "events_in_cycles", "longest_cycle", "n_pursuer_a",
                      "n_pursuer_b", "ended_by_soften", "ended_by_bid", "ended_other",
                      "ended_by_session_end"):
                put(g, k, np.array([c[k] for c in cyc_rows], np.int64), "session")
            for k in ("time_in_cycles_s", "share_time_in_cycles"):
                put(g, k, np.array([c[k] for c in cyc_rows], np.float64), "session")
            g.attrs["cycle_min"] = np.int64(CYCLE_MIN)
            if not a.no_cycle_runs:
                for k in ("session_index", "first_event", "n_events"):
                    put(g, f"runs/{k}", np.array([r[k] for r in run_rows], np.int64), "row")
                put(g, "runs/pursuer", [actors[r["pursuer"]] for r in run_rows], "row", STR)
                for k in ("start_s", "end_s"):
                    put(g, f"runs/{k}", np.array([r[k] for r in run_rows], np.float64), "row")
                put(g, "runs/ending", [r["ending"] for r in run_rows], "row", STR)

        if soft_rows:
            g = f.create_group("softening")
            put(g, "session_index", np.array([r["session_index"] for r in soft_rows], np.int64), "row")
            put(g, "actor", [actors[r["actor"]] for r in soft_rows], "row")
            put(g, "n_soften", np.array([r["n_soften"] for r in soft_rows], np.int64), "row")
            for k in ("rate_per_min", "first_onset_s", "share_reciprocated"):
                put(g, k, np.array([r[k] for r in soft_rows], np.float64), "row")

        # comparison (as `compare --pre pre --post post` would add) --------
        if a.variant in ("full", "k20"):
            couples = sorted({s[0] for s in sessions}, key=str.encode)
            sidx = {s: i for i, s in enumerate(sessions)}
            ip, iw = states.index("A:pursue"), states.index("B:withdraw")
            ib, ir = states.index("A:bid"), states.index("B:response")

            def resp(s, b, k):
                return resp_rows[2 * s + b][k]

            metrics = {
                "yules_q[A:pursue>B:withdraw]": lambda s: stacked["yules_q"][s, ip, iw],
                "adjusted_residual[A:pursue>B:withdraw]": lambda s: stacked["adjusted_residual"][s, ip, iw],
                "yules_q[A:bid>B:response]": lambda s: stacked["yules_q"][s, ib, ir],
                "response_rate[A>B]": lambda s: resp(s, 0, "response_rate"),
                "response_rate[B>A]": lambda s: resp(s, 1, "response_rate"),
                "latency_mean_s[A>B]": lambda s: resp(s, 0, "latency_mean_s"),
                "latency_mean_s[B>A]": lambda s: resp(s, 1, "latency_mean_s"),
                "cycles_per_10min": lambda s: cyc_rows[s]["n_cycles"] / (dur_s[s] / 600),
                "softening_per_min[A]": lambda s: soft_rows[2 * s]["rate_per_min"],
                "softening_per_min[B]": lambda s: soft_rows[2 * s + 1]["rate_per_min"],
                "events_per_min": lambda s: n_events[s] / (dur_s[s] / 60),
            }
            res, vals = [], []
            for name, fn in metrics.items():
                pre = [fn(sidx[(c, "pre")]) for c in couples]
                post = [fn(sidx[(c, "post")]) for c in couples]
                r = paired(pre, post)
                r["metric"] = name
                res.append(r)
                vals += [(name, c, float(p), float(q)) for c, p, q in zip(couples, pre, post)]
            q = bh([r["p_t"] for r in res])
            g = f.create_group("comparison")
            put(g, "metric", [r["metric"] for r in res], "metric")
            put(g, "n_pairs", np.array([r["n_pairs"] for r in res], np.int64), "metric")
            for k in ("mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff", "ci_low", "ci_high",
                      "t", "df", "p_t", "wilcoxon_v", "p_wilcoxon", "d_z", "d_av", "hedges_g"):
                put(g, k, np.array([r[k] for r in res], np.float64), "metric")
            put(g, "q_bh", q, "metric")
            put(g, "values/metric", [v[0] for v in vals], "row")
            put(g, "values/couple", [v[1] for v in vals], "row")
            put(g, "values/pre", np.array([v[2] for v in vals]), "row")
            put(g, "values/post", np.array([v[3] for v in vals]), "row")
    os.replace(tmp, a.out)

    if a.transcript_dir:
        os.makedirs(a.transcript_dir, exist_ok=True)
        path = os.path.join(a.transcript_dir, "transcript.csv")
        with open(path, "w", encoding="utf-8", newline="") as out:
            cols = ["couple", "session"] + (["actor"] if dyadic else []) + ["code"] \
                + (["time", "duration"] if with_time else [])
            out.write(",".join(cols) + "\n")
            for (couple, label), (x, onset, dur) in zip(sessions, sim):
                for k, v in enumerate(x):
                    row = [couple, label] + states[v].split(":", 1)
                    if with_time:
                        row += [f"{onset[k]:.1f}", f"{dur[k]:.1f}"]
                    out.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
