#!/bin/sh
# tests/simulate/test_demo.sh — datasets/demo is valid and is exactly what
# the command in its README writes.
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
finish
