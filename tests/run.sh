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
# adds the CPU seconds up and gives the wall-clock time of the whole run.
#
#   TESTS=pattern   run only the tests whose name contains pattern
#   JOBS=N          run N tests at a time (default 2, or 1 on one core);
#                   results are still printed in order. With JOBS=1 the
#                   wall-clock seconds of a test are its own, with more they
#                   include waiting for the processor.
#   TMPDIR=dir      the tests' scratch directories; by default /dev/shm
#                   when it is a writable tmpfs with 1 GiB free, else /tmp.
#                   Results files are synced to disk (file and directory)
#                   before they count as written: on tmpfs that costs
#                   nothing, on a disk the test waits and a core idles.
#
# The pool starts the slowest tests first (FIRST below, in that order, the
# rest in list order), so that no long test starts at the end and runs
# alone; the results are still printed in list order.

: "${UNIT_DIR:=build/tests-opt}"
: "${DYADSEQ:=build/dyadseq}"
export DYADSEQ
SKIP_RE='^ok[^#]*#[[:space:]]*[Ss][Kk][Ii][Pp]'

# the slowest tests, slowest first (CPU seconds of `make check`, measured)
FIRST="tests/plots/test_plots.sh tests/analyze/test_properties.sh
tests/perf/test_parallel.sh tests/analyze/test_r_crosscheck.sh
tests/robust/test_damaged.sh tests/plots/test_plots_real.sh
tests/agree/test_agree.sh tests/fault/test_faults.sh
tests/power/test_power.sh tests/analyze/test_edge_cases.sh
tests/plots/test_plot_ap.sh tests/dyadic/test_r_independent.sh
tests/simulate/test_effects.sh tests/dyadic/test_cli_metrics.sh
unit/test_power tests/fault/test_library_crash.sh
tests/dyadic/test_actor_partner.sh"

# now: seconds since the epoch, with decimals where date has them
now() { date +%s.%N 2>/dev/null | sed 's/\.N$//'; }
# cpu_seconds FILE: user + system seconds of the finished children of the
# shell that wrote FILE with `times >FILE` (its second line). `times` must
# run in that shell itself: in a $(...) subshell it would report the
# subshell's own children, none.
cpu_seconds() {
    awk 'NR == 2 { t = 0
        for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] }
        printf "%.2f\n", t }' "$1"
}

# --one DIR INDEX NAME COMMAND...: run one test (internal, one job of the
# pool): its output to DIR/INDEX.log, "status seconds cpu" to
# DIR/INDEX.result, then DIR/INDEX.done
if [ "${1:-}" = --one ]; then
    dir=$2 i=$3; shift 4
    start=$(now)
    times >"$dir/$i.t0"
    "$@" >"$dir/$i.log" 2>&1
    status=$?
    end=$(now)
    times >"$dir/$i.t1"
    awk -v s="$status" -v a="$start" -v b="$end" -v c0="$(cpu_seconds "$dir/$i.t0")" \
        -v c1="$(cpu_seconds "$dir/$i.t1")" \
        'BEGIN { printf "%d %.1f %.1f\n", s, b - a, c1 - c0 }' >"$dir/$i.result"
    : >"$dir/$i.done"
    exit 0
fi

# shm_room: /dev/shm is a writable tmpfs with at least 1 GiB available
shm_room() {
    [ -d /dev/shm ] && [ -w /dev/shm ] || return 1
    df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { exit !($4 >= 1048576) }' || return 1
    # a tmpfs (Linux; elsewhere /dev/shm may be something else)
    grep -qs '^[^ ]* /dev/shm tmpfs ' /proc/mounts
}
if [ -z "${TMPDIR:-}" ] && shm_room; then
    TMPDIR=/dev/shm
    export TMPDIR
fi
RUN=$(mktemp -d "${TMPDIR:-/tmp}/dyadseq-check.XXXXXX")
# OpenMP's idle threads sleep instead of spinning between parallel regions:
# two tests run at a time on two cores, and a spinning thread takes the
# core another test's process waits for (the results do not depend on it)
: "${OMP_WAIT_POLICY:=passive}"
export OMP_WAIT_POLICY
trap 'rm -rf "$RUN"' EXIT
trap 'exit 130' INT TERM
if [ -z "${JOBS:-}" ]; then
    JOBS=$(nproc 2>/dev/null || echo 1)
    [ "$JOBS" -gt 2 ] && JOBS=2
fi

# the list: "INDEX NAME COMMAND..." per test
n=0
for t in "$UNIT_DIR"/test_*; do
    [ -x "$t" ] || continue
    name="unit/$(basename "$t")"
    case "$name" in *"${TESTS:-}"*) ;; *) continue ;; esac
    n=$((n + 1)); echo "$n $name $t"
done >"$RUN/list"
for t in tests/*/test_*.sh; do
    [ -f "$t" ] || continue
    case "$t" in *"${TESTS:-}"*) ;; *) continue ;; esac
    n=$((n + 1)); echo "$n $t sh $t"
done >>"$RUN/list"

# the order the pool starts them in: FIRST's tests (those in the list),
# then the others
for f in $FIRST; do
    awk -v f="$f" '$2 == f' "$RUN/list"
done >"$RUN/order"
awk -v first=" $(echo $FIRST) " 'index(first, " " $2 " ") == 0' "$RUN/list" >>"$RUN/order"

started=$(now)
if [ "$n" -eq 0 ]; then
    pool=""
elif [ "$JOBS" -gt 1 ]; then
    xargs -P "$JOBS" -L 1 sh "$0" --one "$RUN" <"$RUN/order" &
    pool=$!
else
    while read -r i name cmd; do
        # shellcheck disable=SC2086  # cmd is "PROGRAM" or "sh FILE"
        sh "$0" --one "$RUN" "$i" "$name" $cmd
    done <"$RUN/list" &
    pool=$!
fi

passed=0 failed=0 skipped=0 total_cpu=0
while read -r i name cmd; do
    while [ ! -e "$RUN/$i.done" ]; do
        if ! kill -0 "$pool" 2>/dev/null && [ ! -e "$RUN/$i.done" ]; then
            echo "not ok - $name did not run" >"$RUN/$i.log"
            echo "1 0 0" >"$RUN/$i.result"
            break
        fi
        sleep 0.2
    done
    read -r status secs csecs <"$RUN/$i.result"
    LOG=$RUN/$i.log
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
done <"$RUN/list"
[ -z "$pool" ] || wait "$pool"

awk -v a="$started" -v b="$(now)" -v c="$total_cpu" -v j="$JOBS" \
    'BEGIN { printf "tests took %.0f s (%d at a time), cpu %.0f s\n", b - a, j, c }'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
