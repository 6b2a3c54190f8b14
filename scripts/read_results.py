#!/usr/bin/python3
"""read_results.py — how to load a dyadseq results file in Python.

    /usr/bin/python3 scripts/read_results.py [results/demo.h5]

A short, commented example to copy from, not a tool: it loads the sessions,
a lag table (pooled, and one session's slice) and the responsiveness table,
and prints a few rows of each. The layout is in schemas/results.md (SPEC 5).
Needs h5py and numpy (Debian: python3-h5py); uses pandas when it is
installed (Debian: python3-pandas), plain dicts of numpy arrays otherwise.
"""
import json
import sys

import h5py
import numpy as np

try:
    import pandas as pd
except ImportError:
    pd = None

path = sys.argv[1] if len(sys.argv) > 1 else "results/demo.h5"


def strings(ds):
    """Strings are stored as variable-length UTF-8; h5py returns bytes
    unless asked for str."""
    return [str(s) for s in ds.asstr()[()]]


def attr(obj, name):
    """A string attribute as str: h5py gives str for variable-length
    strings but bytes for fixed-length ones."""
    v = obj.attrs[name]
    return v.decode("utf-8") if isinstance(v, bytes) else v


def columns(group):
    """A columnar group (/sessions, /responsiveness, /cycles, ...) as a
    dict name -> 1-D array: every dataset of the group with one dimension
    (subgroups such as /responsiveness/km are left out)."""
    out = {}
    for name, ds in group.items():
        if isinstance(ds, h5py.Dataset) and ds.ndim == 1:
            out[name] = strings(ds) if h5py.check_string_dtype(ds.dtype) else ds[()]
    return out


def frame(cols):
    """A pandas DataFrame when pandas is there, else the dict itself."""
    return pd.DataFrame(cols) if pd is not None else cols


def show(title, tab, n=4):
    print(f"\n== {title}")
    if pd is not None:
        print(tab.head(n).to_string())
    else:  # a plain dict of equal-length columns
        names = list(tab)
        print("  ".join(names))
        for i in range(min(n, len(tab[names[0]]))):
            print("  ".join(f"{tab[c][i]:.4g}" if isinstance(tab[c][i], float)
                            else str(tab[c][i]) for c in names))


with h5py.File(path, "r") as f:
    # Provenance: root attributes. `parameters` is JSON with every option.
    print(f"{path}: {attr(f, 'format')} version {f.attrs['format_version']}, "
          f"dyadseq {attr(f, 'software_version')}")
    params = json.loads(attr(f, "parameters"))
    print("lags:", params.get("lags"), " response window (s):", params.get("response_window"))

    # States: the row/column labels of every lag table. With an actor
    # column they are actor:code, actor-major (A:pursue ... B:response).
    states = strings(f["states/label"])
    K = len(states)

    # Sessions: row s of /sessions is session index s everywhere else
    # (axis 0 of /lag/*/session/*, and the session_index columns, which
    # count from 0).
    sessions = columns(f["sessions"])  # h5py lists names alphabetically:
    first = ["couple", "session"]      # put the keys first
    sessions = {c: sessions[c] for c in first + [c for c in sessions if c not in first]}
    show("sessions", frame(sessions))

    # A lag table. h5py reads arrays in the order they were written (C
    # order), so pooled[i, j] is antecedent states[i] -> target states[j].
    # (R's hdf5r and MATLAB show the same array transposed; see
    # read_results.R.) Undefined cells are NaN.
    g = f["lag/1/pooled"]
    z, q, n = g["adjusted_residual"][()], g["yules_q"][()], g["counts"][()]
    if "A:pursue" in states and "B:withdraw" in states:
        i, j = states.index("A:pursue"), states.index("B:withdraw")
    else:  # another codebook: the cell with the largest residual
        i, j = np.unravel_index(np.nanargmax(z), z.shape)
    print(f"\npooled lag 1, {states[i]} -> {states[j]}: n = {n[i, j]}, "
          f"z = {z[i, j]:.2f}, Yule's Q = {q[i, j]:.2f}")

    # The same table in long ("tidy") format: one row per cell.
    from_idx, to_idx = np.meshgrid(np.arange(K), np.arange(K), indexing="ij")
    long = {"from": [states[k] for k in from_idx.ravel()],
            "to": [states[k] for k in to_idx.ravel()],
            "counts": n.ravel(), "adjusted_residual": z.ravel(),
            "p_value": g["p_value"][()].ravel(), "yules_q": q.ravel()}
    show("pooled lag-1 table, long format", frame(long))

    # Per-session tables are [S, K, K]: slice the session first.
    s = 0
    q_s = f["lag/1/session/yules_q"][s]  # [K, K] for session s only
    print(f"\nsession {sessions['couple'][s]}/{sessions['session'][s]}: "
          f"Yule's Q {states[i]} -> {states[j]} = {q_s[i, j]:.2f}")

    # Responsiveness: 2 rows per session (A bids first, then B), joined to
    # the sessions through session_index. Absent without actor and time.
    if "responsiveness" in f:
        resp = columns(f["responsiveness"])
        si = resp["session_index"]
        resp["couple"] = [sessions["couple"][k] for k in si]
        resp["session"] = [sessions["session"][k] for k in si]
        keep = ["couple", "session", "bidder", "n_bids", "response_rate", "latency_median_s"]
        show("responsiveness", frame({c: resp[c] for c in keep}))
        # A Kaplan-Meier curve: /responsiveness/km is long format, one row
        # per event time; km/row is the row of /responsiveness (from 0).
        km = columns(f["responsiveness/km"])
        sel = km["row"] == 0
        print(f"KM curve of row 0: {int(sel.sum())} steps, S = "
              + ", ".join(f"{v:.2f}" for v in km["survival"][sel][:5]) + " ...")
    else:
        print("\nno /responsiveness (the transcripts have no actor or time column)")

if pd is None:
    print("\n(pandas is not installed: the tables above are dicts of numpy arrays;"
          " Debian: apt-get install python3-pandas)")
