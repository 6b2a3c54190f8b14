#!/bin/sh
# tests/fault/loop.sh — the allocation-failure loop (issue 18 #9): run each
# command of a small study with its N-th allocation failing, for every N
# (or a sample), under the shim of tests/fault/faultinject.c, and check
# that every run exits 0 or 1 with a message, never by a signal, never
# 255, and leaves no output file (nor temporary) behind when it fails.
#
#   sh tests/fault/loop.sh [-e EVERY] [-n SAMPLE] [-s SEED] [-o LOG] [-k DIR]
#                          [CASE...]
#
#   -e EVERY   run N = 1, 1 + EVERY, 1 + 2 EVERY, ... (default 1: every N)
#   -n SAMPLE  instead, SAMPLE values of N drawn at random (seeded by -s)
#   -o LOG     one line per run that broke the rules (default stdout)
#   -k DIR     work in DIR (made if missing) and keep it: the bad runs can
#              then be repeated there (same paths, same allocations)
#   CASE       validate analyze1 analyze2 compare export (default: these
#              five, the commands of issue 18), or any of: info agree
#              convert-boris convert-elan convert-sdis convert-columns
#              convert-tosdis (the importers, on datasets/formats)
#
# DYADSEQ is the binary, FAULT_SO the shim (build/fault/libfaultinject.so).
# Prints per case: "CASE: M allocations, R runs: X exit 0, Y exit 1 with a
# message, Z bad" and the bad runs, one a line: "CASE N: why: stderr".
# Exit status 0 when no run was bad.
: "${DYADSEQ:=build/dyadseq}"
: "${FAULT_SO:=build/fault/libfaultinject.so}"
case "$DYADSEQ" in /*) ;; *) DYADSEQ="$PWD/$DYADSEQ" ;; esac
case "$FAULT_SO" in /*) ;; *) FAULT_SO="$PWD/$FAULT_SO" ;; esac
every=1 sample=0 seed=1 log="" keep=""
while getopts e:n:s:o:k: opt; do
    case $opt in
    e) every=$OPTARG ;;
    n) sample=$OPTARG ;;
    s) seed=$OPTARG ;;
    o) log=$OPTARG ;;
    k) keep=$OPTARG ;;
    *) echo "usage: $0 [-e EVERY] [-n SAMPLE] [-s SEED] [-o LOG] [CASE...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- validate analyze1 analyze2 compare export
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

# the command of a case, writing into $W/out (arguments as the shell
# reads them: it is run with eval)
F="$(cd "$(dirname "$0")/../.." && pwd)/datasets/formats"
ID="--id-pattern '^(.*)_(pre|post)\$'"
command_of() {
    case $1 in
    validate) echo "validate $W/study" ;;
    analyze1) echo "analyze -q -t 1 -o $W/out/r.h5 $W/study" ;;
    analyze2) echo "analyze -q -t 2 -o $W/out/r.h5 $W/study" ;;
    compare) echo "compare -q --pre pre --post post -o $W/out/r.h5 $W/study" ;;
    export) echo "export $W/in.h5 /lag/1/session" ;;
    info) echo "info $W/in.h5" ;;
    agree) echo "agree -q -o $W/out/r.h5 $W/study $W/study" ;;
    convert-boris) echo "convert -q $ID '--subject-actor=Partner 1=A'" \
        "'--subject-actor=Partner 2=B' $F/boris/study.boris -o $W/out/r.csv" ;;
    convert-elan) echo "convert -q $ID --tier-actor=Partner1=A" \
        "--tier-actor=Partner2=B --tier-actor=Comments=- $F/elan -o $W/out/r.csv" ;;
    convert-sdis) echo "convert -q $ID $F/sdis/study.sds -o $W/out/r.csv" ;;
    convert-columns) echo "convert -q --columns" \
        "session=file,actor=column,code=code,time=onset,offset=offset,unit=ms" \
        "--subject-actor partner1=A --subject-actor partner2=B" \
        "--id-pattern '^(.*)_(pre|post)\\.opf\$' $F/columns/datavyu.csv -o $W/out/r.csv" ;;
    convert-tosdis) echo "convert -q --to sdis $W/study -o $W/out/r.sds" ;;
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

bad_total=0
for case in "$@"; do
    cmd=$(command_of "$case") || { echo "unknown case $case" >&2; exit 2; }
    rm -rf "$W/out"; mkdir "$W/out"
    # the run without a fault: its output is what a run that exits 0 must
    # give, byte for byte (outputs do not depend on anything but inputs)
    eval 'DYADSEQ_FAULT_COUNT="$W/count" LD_PRELOAD="$FAULT_SO" "$DYADSEQ"' "$cmd" \
        >"$W/ref.out" 2>"$W/err" || { echo "$case: fails without a fault" >&2; cat "$W/err" >&2; exit 2; }
    rm -f "$W/ref.h5"
    out=$(ls "$W/out")
    [ -n "$out" ] && mv "$W/out/$out" "$W/ref.h5"
    m=$(cut -d' ' -f1 "$W/count")
    runs=0 zero=0 one=0 bad=0
    for n in $(values "$m"); do
        rm -rf "$W/out"; mkdir "$W/out"
        eval 'DYADSEQ_FAIL_ALLOC=$n LD_PRELOAD="$FAULT_SO" "$DYADSEQ"' "$cmd" \
            >"$W/out.txt" 2>"$W/err"
        s=$?
        runs=$((runs + 1))
        why=""
        left=$(ls -A "$W/out")
        if [ $s -eq 0 ]; then
            zero=$((zero + 1))
            if ! cmp -s "$W/out.txt" "$W/ref.out"; then
                why="exit 0 but standard output differs"
            elif [ -n "$out" ] && ! cmp -s "$W/out/$out" "$W/ref.h5"; then
                why="exit 0 but the file differs"
            elif [ -n "$(ls -A "$W/out" | grep -v "^$out\$")" ]; then
                why="exit 0 and left $(ls -A "$W/out" | grep -v "^$out\$")"
            fi
        elif [ $s -eq 1 ]; then
            if ! grep -q '^dyadseq: error: .' "$W/err"; then
                why="exit 1 without a dyadseq message"
            elif grep -q '^dyadseq: error: *$' "$W/err"; then
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
            line="$case $n: $why: $(tr '\n' '|' <"$W/err" | cut -c1-300)"
            if [ -n "$log" ]; then echo "$line" >>"$log"; else echo "$line"; fi
        fi
    done
    echo "$case: $m allocations, $runs runs: $zero exit 0, $one exit 1 with a message, $bad bad"
    bad_total=$((bad_total + bad))
done
[ $bad_total -eq 0 ]
