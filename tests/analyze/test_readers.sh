#!/bin/sh
# tests/analyze/test_readers.sh — what `dyadseq analyze` writes for the demo
# study is read by the tools its users have (issue #4, "done when"):
# Python h5py and R hdf5r read /lag/1/pooled/adjusted_residual (and the
# [S, K, K] per-session array), agree with each other once hdf5r's reversed
# axes are accounted for, and agree with `dyadseq export`; `dyadseq info`
# shows the pursue → withdraw dependency planted in datasets/demo. Prints
# "ok - ... # SKIP reason" when an interpreter or package is missing.
. tests/lib.sh
OUT="$TMP/demo.h5"
"$DYADSEQ" analyze -q -o "$OUT" datasets/demo
check_eq "analyze datasets/demo: exit 0" "$?" 0
"$DYADSEQ" export "$OUT" /lag/1/pooled/adjusted_residual >"$TMP/export.csv"

# dyadseq info: the planted A:pursue -> B:withdraw dependency among the
# strongest pooled lag-1 cells (datasets/demo/README.md: X:pursue ->
# Y:withdraw is planted at 0.45 before therapy and 0.25 after it)
"$DYADSEQ" info "$OUT" >"$TMP/info"
line=$(grep -E '^ +A:pursue +B:withdraw ' "$TMP/info")
if [ -n "$line" ] && printf '%s\n' "$line" |
    awk '{ exit !($5 > 50 && $6 > 0.8 && $7 > 0.4) }'; then
    ok "info lists A:pursue -> B:withdraw among the strongest dependencies: $(echo $line)"
else
    not_ok "info lists A:pursue -> B:withdraw with z > 50, Q > 0.8, p(to|from) > 0.4"
    sed -n '/Strongest/,/^$/p' "$TMP/info" | sed 's/^/    # /'
fi
check "... and B:pursue -> A:withdraw" grep -qE '^ +B:pursue +A:withdraw ' "$TMP/info"

PY=$(python_with h5py numpy)
if [ -n "$PY" ]; then
    "$PY" - "$OUT" "$TMP/export.csv" "$TMP/py.txt" "$TMP/pys.txt" >"$TMP/py.out" 2>&1 <<'PYEOF'
import sys, csv, math
import h5py, numpy as np

def check(cond, what):
    print(("ok" if cond else "not ok") + " - h5py: " + what)

f = h5py.File(sys.argv[1], "r")
check(f.attrs["format"] == "dyadseq-results", "a dyadseq results file")
z = f["/lag/1/pooled/adjusted_residual"]
check(z.shape == (10, 10) and z.dtype == np.float64,
      "/lag/1/pooled/adjusted_residual is float64 [K, K] = [10, 10]")
check(z.attrs["dimensions"] == "from,to", "its axes are from,to")
labels = list(f["/states/label"].asstr()[()])
x = z[()]
i, j = labels.index("A:pursue"), labels.index("B:withdraw")
check(x[i, j] > 50, "z[A:pursue, B:withdraw] = %.2f" % x[i, j])
ex = {}
with open(sys.argv[2]) as fp:
    for r in csv.DictReader(fp):
        ex[(r["from"], r["to"])] = r["adjusted_residual"]
same = all((ex[(labels[a], labels[b])] == "NA" and math.isnan(x[a, b])) or
           float(ex[(labels[a], labels[b])]) == x[a, b]
           for a in range(10) for b in range(10))
check(same, "every cell equals dyadseq export's (exactly)")
s = f["/lag/1/session/adjusted_residual"]
S = f["/sessions/couple"].shape[0]
check(s.shape == (S, 10, 10) and s.attrs["dimensions"] == "session,from,to",
      "/lag/1/session/adjusted_residual is [S, K, K] = [%d, 10, 10]" % S)
np.savetxt(sys.argv[3], x, fmt="%.17g")
np.savetxt(sys.argv[4], s[()].reshape(S, 100), fmt="%.17g")
PYEOF
    _s=$?
    cat "$TMP/py.out"
    [ "$_s" -eq 0 ] || not_ok "the h5py script failed (exit $_s)"
else
    skip "h5py reads the file" "no Python with h5py and numpy"
fi

# one R start: the script itself says when hdf5r is missing
if have_r; then
    Rscript - "$OUT" "$TMP/export.csv" "$TMP/py.txt" "$TMP/pys.txt" >"$TMP/r.out" 2>&1 <<'REOF'
if (!requireNamespace("hdf5r", quietly = TRUE)) {
    cat("ok - hdf5r reads the file # SKIP the R package hdf5r is not installed\n")
    quit(status = 0)
}
suppressMessages(library(hdf5r))
args <- commandArgs(trailingOnly = TRUE)
check <- function(cond, what)
    cat(if (isTRUE(cond)) "ok" else "not ok", "- hdf5r:", what, "\n")
f <- H5File$new(args[1], mode = "r")
labels <- f[["states/label"]]$read()
x <- f[["lag/1/pooled/adjusted_residual"]]$read()
check(identical(dim(x), c(10L, 10L)), "reads /lag/1/pooled/adjusted_residual, 10 x 10")
# R is column-major: hdf5r returns the axes reversed, x[to, from]; the
# comparisons with export and h5py below check that orientation
z <- t(x)
i <- match("A:pursue", labels)
j <- match("B:withdraw", labels)
check(z[i, j] > 50, sprintf("t(x)[A:pursue, B:withdraw] = %.2f", z[i, j]))
check(!isTRUE(all.equal(x, t(x))),
      "the table is not symmetric, so the orientation checks below can fail")
e <- read.csv(args[2], colClasses = c(from = "character", to = "character"))
want <- z[cbind(match(e$from, labels), match(e$to, labels))]
check(identical(is.na(want), is.na(e$adjusted_residual)) &&
          all(want == e$adjusted_residual, na.rm = TRUE),
      "every cell equals dyadseq export's (exactly)")
if (file.exists(args[3])) {
    py <- as.matrix(read.table(args[3]))
    dimnames(py) <- NULL
    check(identical(is.nan(py), is.nan(z)) && all(py == z, na.rm = TRUE),
          "t(x) equals h5py's [from, to] array (exactly)")
    s <- f[["lag/1/session/adjusted_residual"]]$read()
    S <- length(f[["sessions/couple"]]$read())
    check(identical(dim(s), c(10L, 10L, S)),
          sprintf("/lag/1/session/adjusted_residual comes back as [to, from, session] = 10 x 10 x %d", S))
    a <- aperm(s, 3:1)
    pys <- as.matrix(read.table(args[4]))
    dimnames(pys) <- NULL
    flat <- t(apply(a, 1, function(m) as.vector(t(m))))
    check(identical(is.nan(pys), is.nan(flat)) && all(pys == flat, na.rm = TRUE),
          "aperm(x, 3:1) equals h5py's [session, from, to] array (exactly)")
}
f$close_all()
REOF
    _s=$?
    sed 's/ *$//' "$TMP/r.out"
    [ "$_s" -eq 0 ] || not_ok "the hdf5r script failed (exit $_s)"
else
    skip "hdf5r reads the file" "Rscript not found"
fi
finish
