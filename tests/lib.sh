# tests/lib.sh — helpers for the shell tests, sourced by tests/*/*.sh.
#
# Each check prints "ok - what" or "not ok - what"; tests/run.sh counts
# these lines. DYADSEQ is the binary under test; TMP a scratch directory
# removed on exit.

: "${DYADSEQ:=build/dyadseq}"
case "$DYADSEQ" in /*) ;; *) DYADSEQ="$PWD/$DYADSEQ" ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dyadseq-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
_failed=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; _failed=$((_failed + 1)); }

# check DESCRIPTION COMMAND...: passes when the command exits 0
check() {
    _d=$1; shift
    if "$@" >"$TMP/.out" 2>&1; then ok "$_d"; else
        not_ok "$_d"; sed 's/^/    # /' "$TMP/.out" | head -20; fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"; echo "    # got:  $2"; echo "    # want: $3"; fi
}

# check_status DESCRIPTION WANT_STATUS COMMAND...: exit status equals WANT
check_status() {
    _d=$1; _w=$2; shift 2
    "$@" >"$TMP/.out" 2>"$TMP/.err"; _s=$?
    if [ "$_s" = "$_w" ]; then ok "$_d"; else
        not_ok "$_d (exit $_s, want $_w)"; sed 's/^/    # /' "$TMP/.err" | head -10; fi
}

# R_AVAILABLE / PY_H5: which optional interpreters are here
have_r() { command -v Rscript >/dev/null 2>&1; }

finish() { exit $((_failed > 100 ? 100 : _failed)); }
