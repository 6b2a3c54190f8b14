# tests/lib.sh — helpers for the shell tests, sourced by tests/*/*.sh.
#
# Each check prints "ok - what" or "not ok - what", and a check that cannot
# run here (no R, no Python module, not root) "ok - what # SKIP reason";
# tests/run.sh counts passed, failed and skipped lines. DYADSEQ is the binary under test; TMP a scratch directory
# removed on exit.

: "${DYADSEQ:=build/dyadseq}"
case "$DYADSEQ" in /*) ;; *) DYADSEQ="$PWD/$DYADSEQ" ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dyadseq-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
_failed=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; _failed=$((_failed + 1)); }
# skip WHAT REASON: the check WHAT did not run, because of REASON (TAP SKIP)
skip() { echo "ok - $1 # SKIP $2"; }

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

# R starts with the packages the checks use, not also methods, graphics,
# grDevices and datasets: a quarter of a second less per R, some eight
# seconds of the suite (a script needing more loads it with library())
: "${R_DEFAULT_PACKAGES:=utils,stats}"
export R_DEFAULT_PACKAGES
# have_r: Rscript is installed (base R: the independent cross-checks)
have_r() { command -v Rscript >/dev/null 2>&1; }
# python_with MODULE...: print the first Python that has every MODULE
# (Debian's /usr/bin/python3 first, then $PYTHON, then python3 on PATH,
# which may be another interpreter without them); fail when none does.
# find_spec looks the modules up without importing them (matplotlib: 1 s).
python_with() {
    _code="import importlib.util as u, sys
sys.exit(not all(u.find_spec(m) for m in '$*'.split()))"
    for _py in /usr/bin/python3 ${PYTHON:-} python3; do
        if command -v "$_py" >/dev/null 2>&1 && "$_py" -c "$_code" 2>/dev/null; then
            echo "$_py"; return 0
        fi
    done
    return 1
}

finish() { exit $((_failed > 100 ? 100 : _failed)); }

# differing A.h5 B.h5 [full]: print the top-level groups (with "full": the
# objects) whose datasets differ between two results files or exist in one
# only, the root attributes (the inputs' names) left out
# (tests/analyze/h5diff_groups.awk); "/ (h5diff failed: ...)" when h5diff
# cannot compare them. Needs h5diff (hdf5-tools).
differing() {
    h5diff -v "$1" "$2" >"$TMP/h5diff.out" 2>&1
    case $? in
        0) ;;
        1) awk -v full="${3:+1}" -f tests/analyze/h5diff_groups.awk "$TMP/h5diff.out" ;;
        *) echo "/ (h5diff failed: $(head -1 "$TMP/h5diff.out"))" ;;
    esac
}

# tiny_transcript FILE: one couple, two sessions of two events each (the
# smallest study every command takes)
tiny_transcript() {
    printf '%s\n' couple,session,actor,code,time c1,pre,A,bid,1 \
        c1,pre,B,response,2 c1,post,A,pursue,1 c1,post,B,withdraw,2 >"$1"
}

# fault_shim: the allocation-failure shim (tests/fault/faultinject.c) can
# be preloaded into $DYADSEQ: FAULT_SO (default build/fault/libfaultinject.so)
# made absolute; otherwise fails with the reason in FAULT_WHY
fault_shim() {
    : "${FAULT_SO:=build/fault/libfaultinject.so}"
    if [ ! -f "$FAULT_SO" ]; then
        FAULT_WHY="no $FAULT_SO (make $FAULT_SO)"
        return 1
    fi
    if ldd "$DYADSEQ" 2>/dev/null | grep -q 'libasan'; then
        FAULT_WHY="AddressSanitizer build (the shim must be loaded first)"
        return 1
    fi
    case "$FAULT_SO" in /*) ;; *) FAULT_SO="$PWD/$FAULT_SO" ;; esac
}
