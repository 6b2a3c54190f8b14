#!/bin/sh
# tests/fuzz/run.sh SECONDS — run each libFuzzer harness of tests/fuzz/
# (built by `make fuzz-build` into $FUZZ_DIR) for SECONDS, from seed
# corpora made of the inputs under tests/ and datasets/, and report per
# harness: its run time, executions, the coverage it reached and when it
# stopped growing, and what it found. Found inputs stay in
# $FUZZ_DIR/found/HARNESS/; each belongs in tests/bad/ with a .expect file
# of the message it must produce (tests/cli/test_bad_inputs.sh says the
# format). `make fuzz FUZZ_SECONDS=N` runs it; FUZZ_ONLY="time results"
# runs some. Exit status 0 when every harness ran and found nothing (CI).
secs=${1:-60}
: "${FUZZ_DIR:=build/fuzz}"
: "${DYADSEQ:=build/dyadseq}"
case "$DYADSEQ" in /*) ;; *) DYADSEQ="$PWD/$DYADSEQ" ;; esac
seeds="$FUZZ_DIR/seeds"
report="$FUZZ_DIR/report.txt"
rm -rf "$seeds"
mkdir -p "$seeds/time" "$seeds/codebook" "$seeds/zeros" "$seeds/transcript" \
    "$seeds/results" "$seeds/import"

# seeds: every field of the time and duration columns, the codebooks and
# structural-zero files of tests/ and datasets/, the bad transcripts and a
# few good ones, and results files of analyze and compare
for f in tests/bad/*.csv datasets/demo/stable-01.csv datasets/published/*.csv \
         datasets/spaff/transcript.csv; do
    [ -f "$f" ] || continue
    [ "$(wc -c <"$f")" -le 65536 ] && cp "$f" "$seeds/transcript/"
done
awk -F, 'FNR > 1 { print $5; print $6 }' datasets/demo/stable-0*.csv tests/bad/*time*.csv \
    tests/bad/*duration*.csv 2>/dev/null | sort -u | head -300 |
    awk -v d="$seeds/time" '{ f = d "/" NR; printf "%s", $0 > f; close(f) }'
for t in 1:02:03.5 01:05 1e3 -0 inf nan 0x10 " 1" 1e999 59.999 1:60:00; do
    printf '%s' "$t" >"$seeds/time/x$(printf '%s' "$t" | od -An -tx1 | tr -d ' \n')"
done
for f in $(grep -rl '^code,role' tests datasets 2>/dev/null); do
    cp "$f" "$seeds/codebook/$(echo "$f" | tr / _)"
done
grep -rl '^from,to' tests datasets 2>/dev/null | while read -r f; do
    cp "$f" "$seeds/zeros/$(echo "$f" | tr / _)"
done
printf 'from,to\nA:pursue,A:pursue\nB:bid,A:response\n' >"$seeds/zeros/two"
w=$(mktemp -d "${TMPDIR:-/tmp}/dyadseq-fuzz.XXXXXX")
trap 'rm -rf "$w"' EXIT
"$DYADSEQ" simulate --couples 1 --events 8 -o "$w/s.csv" &&
    "$DYADSEQ" analyze -q -o "$seeds/results/analyze.h5" "$w/s.csv" &&
    "$DYADSEQ" analyze -q --lags 1,2 --no-window -o "$seeds/results/lags.h5" "$w/s.csv" &&
    "$DYADSEQ" compare -q --pre pre --post post -o "$seeds/results/compare.h5" \
        "$w/s.csv" >/dev/null
cut -d, -f1,2,4 "$w/s.csv" >"$w/plain.csv" &&
    "$DYADSEQ" analyze -q -o "$seeds/results/plain.h5" "$w/plain.csv"

# importer seeds: the samples of datasets/formats/ and the inputs of
# tests/convert/, each behind the byte that picks its format (import.c:
# 0 boris, 1 elan, 2 sdis, 3 columns, 4 intervals)
k=0
for pair in 0:datasets/formats/boris 1:datasets/formats/elan \
            1:datasets/formats/elan_txt 2:datasets/formats/sdis \
            3:datasets/formats/columns 4:datasets/intervals; do
    sel=${pair%%:*}
    for f in $(find "${pair#*:}" -type f 2>/dev/null); do
        [ "$(wc -c <"$f")" -le 60000 ] || continue
        k=$((k + 1))
        { printf "\\$(printf '%03o' "$sel")"; cat "$f"; } >"$seeds/import/$k"
    done
done

: >"$report"
failed=0
for h in ${FUZZ_ONLY:-time codebook zeros transcript results import}; do
    bin="$FUZZ_DIR/fuzz_$h"
    [ -x "$bin" ] || { echo "$h: not built (make fuzz-build)" | tee -a "$report"; failed=$((failed + 1)); continue; }
    corpus="$FUZZ_DIR/corpus/$h"
    found="$FUZZ_DIR/found/$h"
    mkdir -p "$corpus" "$found"
    max=4096
    case $h in transcript|import) max=65536 ;; results) max=131072 ;; esac
    start=$(date +%s)
    ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp "$bin" -max_total_time="$secs" -max_len=$max \
        -rss_limit_mb=4096 -timeout=30 -print_final_stats=1 \
        -artifact_prefix="$found/" "$corpus" "$seeds/$h" >"$w/log" 2>&1
    status=$?
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log")
    # coverage: the last "cov:" figure, and the execution that first reached it
    last=$(grep -o 'cov: [0-9]*' "$w/log" | tail -1 | cut -d' ' -f2)
    plateau=$(awk -v c="$last" '/cov: / { for (i = 1; i <= NF; i++) if ($i == "cov:" && $(i+1) == c && !seen) { seen = 1; print $1 } }' "$w/log" | tr -d '#')
    n_found=$(ls "$found" | wc -l)
    echo "$h: ${took} s, ${execs:-?} executions, coverage ${last:-?} edges (reached by execution ${plateau:-?}), $n_found found, exit $status" | tee -a "$report"
    grep -m3 '^==.*ERROR\|^SUMMARY' "$w/log" | sed 's/^/    /' | tee -a "$report"
    [ "$status" -eq 0 ] && [ "$n_found" -eq 0 ] || failed=$((failed + 1))
done
[ "$failed" -eq 0 ]
