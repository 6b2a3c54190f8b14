#!/bin/sh
# tests/fault/loop.sh — the allocation-failure loop (issue 18 #9): run each
# command of a small study with its N-th allocation failing, for every N
# (or a sample), under the shim of tests/fault/faultinject.c, and check
# that every run exits 0 or 1 with a message, never by a signal, never
# 255, without HDF5's own error stack (but when HDF5 cannot start at all),
# and leaves no output file (nor temporary) behind when it fails.
#
#   sh tests/fault/loop.sh [-e EVERY] [-n SAMPLE] [-s SEED] [-j JOBS]
#                          [-o LOG] [-k DIR] [CASE...]
#
#   -e EVERY   run N = 1, 1 + EVERY, 1 + 2 EVERY, ... (default 1: every N)
#   -n SAMPLE  instead, SAMPLE values of N drawn at random (seeded by -s)
#   -j JOBS    runs at a time (default 1), each in a directory of its own
#   -o LOG     one line per run that broke the rules (default stdout)
#   -k DIR     work in DIR (made if missing) and keep it: a bad run can
#              then be repeated in DIR/w0 (same paths, same allocations):
#              cd DIR/w0 && DYADSEQ_FAIL_ALLOC=N LD_PRELOAD=... dyadseq ...
#   CASE       validate analyze1 analyze2 compare export (default: these
#              five, the commands of issue 18), or any of: info agree
#              convert-boris convert-elan convert-sdis convert-columns
#              convert-tosdis (the importers, on datasets/formats); all:
#              every case
#
# DYADSEQ is the binary, FAULT_SO the shim (build/fault/libfaultinject.so).
# Prints per case: "CASE: M allocations, R runs: X exit 0, Y exit 1 with a
# message, Z bad" and the bad runs, one a line: "CASE N: why: stderr".
# Exit status 0 when no run was bad.
: "${DYADSEQ:=build/dyadseq}"
: "${FAULT_SO:=build/fault/libfaultinject.so}"
case "$DYADSEQ" in /*) ;; *) DYADSEQ="$PWD/$DYADSEQ" ;; esac
case "$FAULT_SO" in /*) ;; *) FAULT_SO="$PWD/$FAULT_SO" ;; esac
every=1 sample=0 seed=1 log="" keep="" jobs=1
while getopts e:n:s:o:k:j: opt; do
    case $opt in
    e) every=$OPTARG ;;
    n) sample=$OPTARG ;;
    s) seed=$OPTARG ;;
    o) log=$OPTARG ;;
    k) keep=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) echo "usage: $0 [-e EVERY] [-n SAMPLE] [-s SEED] [-j JOBS] [-o LOG] [-k DIR] [CASE...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- validate analyze1 analyze2 compare export
[ "$*" = all ] && set -- validate analyze1 analyze2 compare export info agree \
    convert-boris convert-elan convert-sdis convert-columns convert-tosdis
[ -f "$FAULT_SO" ] || { echo "no $FAULT_SO: make fault" >&2; exit 2; }

if [ -n "$keep" ]; then
    mkdir -p "$keep" && W=$(cd "$keep" && pwd) || exit 2
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/dyadseq-fault.XXXXXX")
    trap 'rm -rf "$W"' EXIT
fi
rm -rf "$W/study" "$W/in.h5"
"$DYADSEQ" simulate --couples 2 --events 25 -o "$W/study/" >/dev/null || exit 2
"$DYADSEQ" analyze -q -o "$W/in.h5" "$W/study" || exit 2

# the command of a case, writing into out/ of the directory it runs in
# (arguments as the shell reads them: it is run with eval)
F="$(cd "$(dirname "$0")/../.." && pwd)/datasets/formats"
ID="--id-pattern '^(.*)_(pre|post)\$'"
command_of() {
    case $1 in
    validate) echo "validate $W/study" ;;
    analyze1) echo "analyze -q -t 1 -o out/r.h5 $W/study" ;;
    analyze2) echo "analyze -q -t 2 -o out/r.h5 $W/study" ;;
    compare) echo "compare -q --pre pre --post post -o out/r.h5 $W/study" ;;
    export) echo "export $W/in.h5 /lag/1/session" ;;
    info) echo "info $W/in.h5" ;;
    agree) echo "agree -q -o out/r.h5 $W/study $W/study" ;;
    convert-boris) echo "convert -q $ID '--subject-actor=Partner 1=A'" \
        "'--subject-actor=Partner 2=B' $F/boris/study.boris -o out/r.csv" ;;
    convert-elan) echo "convert -q $ID --tier-actor=Partner1=A" \
        "--tier-actor=Partner2=B --tier-actor=Comments=- $F/elan -o out/r.csv" ;;
    convert-sdis) echo "convert -q $ID $F/sdis/study.sds -o out/r.csv" ;;
    convert-columns) echo "convert -q --columns" \
        "session=file,actor=column,code=code,time=onset,offset=offset,unit=ms" \
        "--subject-actor partner1=A --subject-actor partner2=B" \
        "--id-pattern '^(.*)_(pre|post)\\.opf\$' $F/columns/datavyu.csv -o out/r.csv" ;;
    convert-tosdis) echo "convert -q --to sdis $W/study -o out/r.sds" ;;
    *) return 1 ;;
    esac
}

# the values of N for M allocations
values() {
    if [ "$sample" -gt 0 ]; then
        awk -v m="$1" -v k="$sample" -v s="$seed" 'BEGIN {
            srand(s); if (k > m) k = m
            while (n < k) { v = 1 + int(rand() * m); if (!(v in seen)) { seen[v] = 1; n++; print v } }
        }' | sort -n
    else
        awk -v m="$1" -v e="$every" 'BEGIN { for (v = 1; v <= m; v += e) print v }'
    fi
}

# one run of the case's command in directory $1 (out/ there, made empty
# first), with the environment assignments $2 (the shim, the fault) given
# to dyadseq alone; its status in $s
run_in() {
    rm -rf "$1/out"; mkdir -p "$1/out"
    (cd "$1" && eval "$2" '"$DYADSEQ"' "$cmd") >"$1/out.txt" 2>"$1/err"
    s=$?
}

# worker J: run N = each value of $W/values.J in $W/wJ and judge it;
# "zero one bad" to $W/counts.J, the bad runs' lines to $W/bad.J
worker() {
    d="$W/w$1" zero=0 one=0 bad=0
    mkdir -p "$d"
    : >"$W/bad.$1"
    while read -r n; do
        run_in "$d" 'DYADSEQ_FAIL_ALLOC=$n LD_PRELOAD="$FAULT_SO"'
        why=""
        left=$(ls -A "$d/out")
        if [ $s -eq 0 ]; then
            zero=$((zero + 1))
            if ! cmp -s "$d/out.txt" "$W/ref.out"; then
                why="exit 0 but standard output differs"
            elif [ -n "$out" ] && ! cmp -s "$d/out/$out" "$W/ref.h5"; then
                why="exit 0 but the file differs"
            elif [ -n "$(ls -A "$d/out" | grep -v "^$out\$")" ]; then
                why="exit 0 and left $(ls -A "$d/out" | grep -v "^$out\$")"
            fi
        elif [ $s -eq 1 ]; then
            # HDF5's own error stack: never once it has started (its
            # printing is off); when it cannot start at all, it prints
            # before that can be turned off, and dyadseq's line follows
            if grep -q '^HDF5-DIAG' "$d/err" &&
                ! grep -q 'starting the HDF5 library\|while starting' "$d/err"; then
                why="exit 1 with HDF5's own error stack printed"
            elif ! grep -q '^dyadseq: error: .' "$d/err"; then
                why="exit 1 without a dyadseq message"
            elif grep -q '^dyadseq: error: *$' "$d/err"; then
                why="exit 1 with an empty message"
            elif [ -n "$left" ]; then
                why="exit 1 and left $left"
            else
                one=$((one + 1))
            fi
        elif [ $s -gt 128 ] && [ $s -lt 255 ]; then
            why="signal $((s - 128))"
        else
            why="exit $s"
        fi
        if [ -n "$why" ]; then
            bad=$((bad + 1))
            echo "$case $n: $why: $(tr '\n' '|' <"$d/err" | cut -c1-300)" >>"$W/bad.$1"
        fi
    done <"$W/values.$1"
    echo "$zero $one $bad" >"$W/counts.$1"
}

bad_total=0
for case in "$@"; do
    cmd=$(command_of "$case") || { echo "unknown case $case" >&2; exit 2; }
    # the run without a fault: its output is what a run that exits 0 must
    # give, byte for byte (outputs do not depend on anything but inputs;
    # every run writes to out/ of its own directory, so the command lines
    # are the same)
    run_in "$W/w0" 'DYADSEQ_FAULT_COUNT="$W/count" LD_PRELOAD="$FAULT_SO"'
    cp "$W/w0/out.txt" "$W/ref.out"
    [ $s -eq 0 ] || { echo "$case: fails without a fault" >&2; cat "$W/w0/err" >&2; exit 2; }
    rm -f "$W/ref.h5"
    out=$(ls "$W/w0/out")
    [ -n "$out" ] && mv "$W/w0/out/$out" "$W/ref.h5"
    m=$(cut -d' ' -f1 "$W/count")
    values "$m" >"$W/values"
    runs=$(wc -l <"$W/values")
    j=0
    while [ $j -lt "$jobs" ]; do
        awk -v j=$j -v k="$jobs" 'NR % k == j' "$W/values" >"$W/values.$j"
        worker $j &
        j=$((j + 1))
    done
    wait
    zero=0 one=0 bad=0 j=0
    while [ $j -lt "$jobs" ]; do
        read -r z o b <"$W/counts.$j"
        zero=$((zero + z)) one=$((one + o)) bad=$((bad + b))
        if [ -n "$log" ]; then cat "$W/bad.$j" >>"$log"; else cat "$W/bad.$j"; fi
        j=$((j + 1))
    done
    echo "$case: $m allocations, $runs runs: $zero exit 0, $one exit 1 with a message, $bad bad"
    bad_total=$((bad_total + bad))
done
[ $bad_total -eq 0 ]
