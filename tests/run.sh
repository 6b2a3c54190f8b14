#!/bin/sh
# tests/run.sh — run every test of `make check`; the last line is
# "N passed, N failed, N skipped".
#
#   unit tests     $UNIT_DIR/test_*          (C, TAP-style lines)
#   shell tests    tests/*/test_*.sh         (CLI, bad inputs, cross-checks)
#
# A test program's lines "ok ..." and "not ok ..." are counted; an "ok"
# line with a TAP SKIP directive ("ok 3 - what # SKIP reason") counts as
# skipped, not passed, and its reason is listed. A program that exits
# non-zero without a "not ok" line, or prints no result line at all, counts
# as one failure. Each test's line gives its wall-clock seconds and the CPU
# seconds (user + system) of all its processes; the line before the last
# adds them up. TESTS=pattern runs only the tests whose name contains
# pattern.

: "${UNIT_DIR:=build/tests-opt}"
: "${DYADSEQ:=build/dyadseq}"
export DYADSEQ
LOG=$(mktemp "${TMPDIR:-/tmp}/dyadseq-check.XXXXXX")
TIMES=$(mktemp "${TMPDIR:-/tmp}/dyadseq-times.XXXXXX")
trap 'rm -f "$LOG" "$TIMES"' EXIT
passed=0
failed=0
skipped=0
SKIP_RE='^ok[^#]*#[[:space:]]*[Ss][Kk][Ii][Pp]'

# now: seconds since the epoch, with decimals where date has them
now() { date +%s.%N 2>/dev/null | sed 's/\.N$//'; }
# cpu_seconds: user + system seconds of this shell's finished children,
# from `times` (its second line), which must run in this shell: a $(...)
# subshell would report its own children only, none. So: `times >"$TIMES";
# x=$(cpu_seconds)`.
cpu_seconds() {
    awk 'NR == 2 { t = 0
        for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] }
        printf "%.2f\n", t }' "$TIMES"
}
total_wall=0
total_cpu=0

run_one() {
    name=$1; shift
    case "$name" in *"${TESTS:-}"*) ;; *) return ;; esac
    start=$(now)
    times >"$TIMES"; cpu0=$(cpu_seconds)
    "$@" >"$LOG" 2>&1
    status=$?
    secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    times >"$TIMES"
    csecs=$(awk -v a="$cpu0" -v b="$(cpu_seconds)" 'BEGIN { printf "%.1f", b - a }')
    s=$(grep -c "$SKIP_RE" "$LOG")
    p=$(( $(grep -c '^ok' "$LOG") - s ))
    f=$(grep -c '^not ok' "$LOG")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited with status $status" >>"$LOG"
    elif [ "$p" -eq 0 ] && [ "$s" -eq 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name printed no ok/not ok line" >>"$LOG"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
    total_wall=$(awk -v a="$total_wall" -v b="$secs" 'BEGIN { print a + b }')
    total_cpu=$(awk -v a="$total_cpu" -v b="$csecs" 'BEGIN { print a + b }')
    extra=""
    [ "$s" -gt 0 ] && extra=", $s skipped"
    if [ "$f" -gt 0 ]; then
        printf '%-40s %4d passed, %d FAILED%s (%ss, cpu %ss)\n' "$name" "$p" "$f" "$extra" "$secs" "$csecs"
        grep -v '^ok' "$LOG" | head -60 | sed 's/^/    /'
    else
        printf '%-40s %4d passed%s (%ss, cpu %ss)\n' "$name" "$p" "$extra" "$secs" "$csecs"
    fi
    grep "$SKIP_RE" "$LOG" | head -10 | sed 's/^/    /'
}

for t in "$UNIT_DIR"/test_*; do
    [ -x "$t" ] || continue
    run_one "unit/$(basename "$t")" "$t"
done
for t in tests/*/test_*.sh; do
    [ -f "$t" ] || continue
    run_one "$t" sh "$t"
done

printf 'tests took %.0f s (cpu %.0f s)\n' "$total_wall" "$total_cpu"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
