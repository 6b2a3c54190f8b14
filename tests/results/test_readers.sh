#!/bin/sh
# tests/results/test_readers.sh — the results file read by the tools our
# users have: Python h5py and R hdf5r read every kind of dataset (NaN,
# UTF-8 strings, scalars, attributes, chunked+compressed arrays written in
# blocks), and R's read.csv reads what `dyadseq export` prints. Prints "ok -
# ... # SKIP reason" when an interpreter or package is missing.
. tests/lib.sh
: "${UNIT_DIR:=build/tests-opt}"
FIX="$UNIT_DIR/test_results"
SMALL="$TMP/small.h5"
BIG="$TMP/big.h5"
if ! "$FIX" --write "$SMALL" || ! "$FIX" --write "$BIG" --sessions 5000; then
    not_ok "write the fixtures with $FIX"
    finish
fi
PY=$(python_with h5py numpy)

if [ -n "$PY" ]; then
    "$PY" - "$SMALL" "$BIG" >"$TMP/py.out" 2>&1 <<'PYEOF'
import sys, math
import h5py, numpy as np

n = 0
def check(cond, what):
    global n
    n += 1
    print(("ok" if cond else "not ok") + " - h5py: " + what)

f = h5py.File(sys.argv[1], "r")
check(f.attrs["format"] == "dyadseq-results", "root attribute format is a str")
check(int(f.attrs["format_version"]) == 1, "format_version is an integer")
check(list(f.attrs["input_sha256"])[1].startswith("fedcba"),
      "input_sha256 is an array of strings")
check(list(f.attrs.keys())[:3] == ["format", "format_version",
                                   "software_version"],
      "attributes in creation order")
e = f["/lag/1/session/expected"]
check(e.shape == (3, 2, 2) and e.dtype == np.float64, "[S,K,K] float64")
check(e.attrs["dimensions"] == "session,from,to", "dimensions attribute")
check(e[1, 0, 1] == 4.0 / 3 and np.isnan(e[2]).all(), "values and NaN")
check(f["/lag/1/session/counts"].dtype == np.int64, "counts are int64")
check(f["/lag/1/pooled/structural_zero"].dtype == np.uint8,
      "structural_zero is uint8")
g2 = f["/lag/1/pooled/g2"]
check(g2.shape == () and g2[()] == 0.25 and g2.attrs["dimensions"] == "",
      "a scalar")
s = f["/sessions/session"].asstr()[()]
check(list(s) == ["pre", "post", "pr\u00e4"], "UTF-8 strings")
check(list(f["/lag/1/pooled"].keys())[:3] ==
      ["counts", "expected", "adjusted_residual"],
      "group members in creation order")
check(f["/codebook/description"].asstr()[1] == 'says "fine"; leaves',
      "quotes in strings")

b = h5py.File(sys.argv[2], "r")
a = b["/lag/1/session/adjusted_residual"]
check(a.chunks is not None and a.chunks[1:] == (10, 10) and
      a.compression == "gzip" and a.shuffle, "chunked, shuffle + deflate")
x = a[()]
check(np.array_equal(x, b["/lag/1/session/blocks"][()], equal_nan=True),
      "a dataset appended in blocks equals the whole-array one")
check(int(np.isnan(x).sum()) > 0 and np.isfinite(x).sum() > 0,
      "NaN and numbers survive compression")
check(b["/sessions/couple"].asstr()[4999] == "c02499" and b["/sessions/couple"].chunks is not None, "5000 strings, chunked")
PYEOF
    _s=$?
    cat "$TMP/py.out"
    [ "$_s" -eq 0 ] || not_ok "the h5py script failed (exit $_s)"
else
    skip "h5py reads the file" "no Python with h5py and numpy"
fi

# one R start: the script itself says when hdf5r is missing
if have_r; then
    "$DYADSEQ" export "$SMALL" /lag/1/session >"$TMP/session.csv"
    Rscript - "$SMALL" "$BIG" "$TMP/session.csv" >"$TMP/r.out" 2>&1 <<'REOF'
if (!requireNamespace("hdf5r", quietly = TRUE)) {
    cat("ok - hdf5r reads the file # SKIP the R package hdf5r is not installed\n")
    quit(status = 0)
}
suppressMessages(library(hdf5r))
args <- commandArgs(trailingOnly = TRUE)
check <- function(cond, what)
    cat(if (isTRUE(cond)) "ok" else "not ok", "- hdf5r:", what, "\n")
f <- H5File$new(args[1], mode = "r")
check(h5attr(f, "format") == "dyadseq-results", "root attribute format")
check(h5attr(f, "format_version") == 1, "format_version")
check(length(h5attr(f, "input_sha256")) == 2, "input_sha256 array")
x <- f[["lag/1/session/expected"]]$read()
# hdf5r reverses the axes (R is column-major): x[to, from, session]
check(identical(dim(x), c(2L, 2L, 3L)), "dims reversed: [to, from, session]")
check(x[2, 1, 2] == 4 / 3, "x[to = B, from = A, session = 2]")
check(all(is.nan(x[, , 3])), "NaN is NaN")
y <- aperm(x, 3:1)
check(y[2, 1, 2] == 4 / 3, "aperm(x, 3:1) gives [session, from, to]")
check(identical(f[["sessions/session"]]$read(), c("pre", "post", "pr\u00e4")),
      "UTF-8 strings")
check(h5attr(f[["lag/1/session/expected"]], "dimensions") == "session,from,to",
      "dimensions attribute")
check(f[["lag/1/pooled/g2"]]$read() == 0.25, "a scalar")
check(f[["lag/1/session/counts"]]$read()[2, 1, 1] == 2, "int64 counts")
b <- H5File$new(args[2], mode = "r")
a <- b[["lag/1/session/adjusted_residual"]]$read()
bl <- b[["lag/1/session/blocks"]]$read()
check(identical(dim(a), c(10L, 10L, 5000L)), "chunked array dims")
check(identical(a, bl), "chunked arrays read back equal")
d <- read.csv(args[3], fileEncoding = "UTF-8", stringsAsFactors = FALSE)
check(nrow(d) == 12 && identical(names(d)[1:5],
      c("session_index", "couple", "session", "from", "to")),
      "read.csv reads export's table")
check(is.na(d$expected[9]) && d$expected[5] == 2 / 3,
      "NA and full-precision numbers from export")
check(d$couple[1] == "c,2" && d$session[9] == "pr\u00e4",
      "quoted and UTF-8 fields from export")
REOF
    _s=$?
    sed 's/ *$//' "$TMP/r.out"
    [ "$_s" -eq 0 ] || not_ok "the hdf5r script failed (exit $_s)"
else
    skip "hdf5r reads the file" "Rscript not found"
fi
finish
