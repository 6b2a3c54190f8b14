#!/bin/sh
# tests/simulate/test_demo.sh — datasets/demo is valid, is exactly what
# the command in its README writes, and shows the answer effects it plants.
. tests/lib.sh
D=datasets/demo

check "datasets/demo validates" "$DYADSEQ" validate "$D"
cmd=$(grep '^build/dyadseq simulate ' "$D/README.md")
check_eq "the README gives one simulate command" "$(printf '%s\n' "$cmd" | wc -l | tr -d ' ')" 1
# run the README's command with the output redirected to a scratch directory
args=$(printf '%s\n' "$cmd" | sed 's|^build/dyadseq simulate ||; s| -o datasets/demo/$||')
# shellcheck disable=SC2086
"$DYADSEQ" simulate $args -o "$TMP/demo/"
check_eq "the README command writes 40 files" "$(ls "$TMP/demo" | wc -l | tr -d ' ')" 40
same=0
for f in "$TMP"/demo/*.csv; do
    cmp -s "$f" "$D/$(basename "$f")" || { same=1; echo "    # differs: $(basename "$f")"; }
done
check_eq "datasets/demo is byte-identical to the README command's output" "$same" 0
check_eq "no other CSV files in datasets/demo" "$(ls "$D"/*.csv | wc -l | tr -d ' ')" 40

# the effects its README plants are visible in the files (metrics.awk, not
# the analysis engine): answers faster and more often after therapy in
# both groups, and few answers beyond the 5-s window before it
awk -f tests/simulate/metrics.awk "$D"/*.csv >"$TMP/m"
metric() { grep "^group=$2 session=$3 " "$TMP/m" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
less() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
for g in stable distressed; do
    pre=$(metric lat_median $g pre) post=$(metric lat_median $g post)
    if less "$post" "$pre" && less 2.2 "$pre" && less "$post" 1.6; then
        ok "demo $g: median latency of answered bids $pre -> $post s (mean couple 2.39 -> 1.46)"
    else not_ok "demo $g: median latency of answered bids $pre -> $post s (mean couple 2.39 -> 1.46)"; fi
    pre=$(metric rate $g pre) post=$(metric rate $g post)
    if less "$(awk -v p="$pre" 'BEGIN { print p + 0.04 }')" "$post"; then
        ok "demo $g: response rate $pre -> $post (planted gain +0.075)"
    else not_ok "demo $g: response rate $pre -> $post (planted gain +0.075)"; fi
    late=$(metric late $g pre)
    if less "$late" 0.02; then ok "demo $g pre: answers beyond 5 s $late (planted 0.010)"
    else not_ok "demo $g pre: answers beyond 5 s $late (planted 0.010)"; fi
done
finish
