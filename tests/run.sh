#!/bin/sh
# tests/run.sh — run every test of `make check` and print "N passed, N failed".
#
#   unit tests     $UNIT_DIR/test_*          (C, TAP-style lines)
#   shell tests    tests/*/test_*.sh         (CLI, bad inputs, cross-checks)
#
# A test program's lines "ok ..." and "not ok ..." are counted; a program
# that exits non-zero without a "not ok" line counts as one failure.
# TESTS=pattern runs only the tests whose file name contains pattern.

: "${UNIT_DIR:=build/tests-opt}"
: "${DYADSEQ:=build/dyadseq}"
export DYADSEQ
LOG=$(mktemp "${TMPDIR:-/tmp}/dyadseq-check.XXXXXX")
trap 'rm -f "$LOG"' EXIT
passed=0
failed=0

run_one() {
    name=$1; shift
    case "$name" in *"${TESTS:-}"*) ;; *) return ;; esac
    start=$(date +%s)
    "$@" >"$LOG" 2>&1
    status=$?
    p=$(grep -c '^ok' "$LOG")
    f=$(grep -c '^not ok' "$LOG")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited with status $status" >>"$LOG"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    secs=$(( $(date +%s) - start ))
    if [ "$f" -gt 0 ]; then
        printf '%-44s %4d passed, %d FAILED (%ss)\n' "$name" "$p" "$f" "$secs"
        grep -v '^ok' "$LOG" | head -60 | sed 's/^/    /'
    else
        printf '%-44s %4d passed (%ss)\n' "$name" "$p" "$secs"
    fi
}

for t in "$UNIT_DIR"/test_*; do
    [ -x "$t" ] || continue
    run_one "unit/$(basename "$t")" "$t"
done
for t in tests/*/test_*.sh; do
    [ -f "$t" ] || continue
    run_one "$t" sh "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
