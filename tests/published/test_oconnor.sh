#!/bin/sh
# tests/published/test_oconnor.sh — the O'Connor (1999) worked example
# through the command line: scripts/reproduce.sh (what `make reproduce`
# runs) analyzes datasets/published/oconnor1999.csv, reads every value back
# with `dyadseq export` and matches each published value to its printed
# precision; an altered published value makes it fail.
. tests/lib.sh
D=datasets/published

# the transcript is the published sequence, event for event
grep -v '^#' "$D/oconnor1999_sequence.txt" >"$TMP/seq"
tail -n +2 "$D/oconnor1999.csv" | awk -F, '{ print $3 }' >"$TMP/csv"
check "oconnor1999.csv holds the sequence of oconnor1999_sequence.txt" cmp "$TMP/seq" "$TMP/csv"
check_eq "the sequence has 393 events (O'Connor 1999, Appendix A)" "$(wc -l <"$TMP/seq" | tr -d ' ')" 393
check_eq "one couple, one session" \
    "$(tail -n +2 "$D/oconnor1999.csv" | cut -d, -f1,2 | sort -u | wc -l | tr -d ' ')" 1

RESULTS_DIR="$TMP/r" DYADSEQ="$DYADSEQ" sh scripts/reproduce.sh >"$TMP/out" 2>"$TMP/err"
check_eq "scripts/reproduce.sh exits 0" "$?" 0
sed 's/^/    # /' "$TMP/out"
n_pub=$(tail -n +2 "$D/oconnor1999_published.csv" | grep -c .)
check_eq "six published values" "$n_pub" 6
tail -n +2 "$D/oconnor1999_published.csv" | while IFS=, read -r stat ds from to pub; do
    line=$(grep -F "$stat " "$TMP/out" | head -1)
    got=$(printf '%s\n' "$line" | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')
    m=$(printf '%s\n' "$line" | awk -F'|' '{ gsub(/ /, "", $4); print $4 }')
    if [ "$got" = "$pub" ] && [ "$m" = yes ]; then
        echo "ok - O'Connor $stat: dyadseq $got, published $pub"
    else
        echo "not ok - O'Connor $stat: dyadseq '$got', published $pub"
    fi
done
check "reproduce says all values reproduced" grep -q "^all 6 published values reproduced$" "$TMP/out"
check "the results file was written" test -s "$TMP/r/oconnor1999.h5"
check_eq "analyze recorded the 393 events" \
    "$("$DYADSEQ" export "$TMP/r/oconnor1999.h5" /sessions/n_events | tail -1 | cut -d, -f4)" 393
check_eq "392 lag-1 pairs" \
    "$("$DYADSEQ" export "$TMP/r/oconnor1999.h5" /lag/1/pooled/counts | awk -F, 'NR > 1 { s += $3 } END { print s }')" 392
# the single session's table is the pooled table
"$DYADSEQ" export "$TMP/r/oconnor1999.h5" /lag/1/session/adjusted_residual | cut -d, -f4- >"$TMP/s"
"$DYADSEQ" export "$TMP/r/oconnor1999.h5" /lag/1/pooled/adjusted_residual >"$TMP/p"
check "the session table equals the pooled table" cmp "$TMP/s" "$TMP/p"

# a value that does not match makes the script fail, and says which
sed 's/,202\.5009$/,202.5010/' "$D/oconnor1999_published.csv" >"$TMP/altered.csv"
RESULTS_DIR="$TMP/r2" PUBLISHED="$TMP/altered.csv" DYADSEQ="$DYADSEQ" \
    sh scripts/reproduce.sh >"$TMP/out2" 2>&1
check_eq "a mismatch: scripts/reproduce.sh exits 1" "$?" 1
check "a mismatch: the row says NO" grep -q "^G2 (likelihood ratio) *| *202.5010 | *202.5009 | NO" "$TMP/out2"
check "a mismatch: the summary counts it" grep -q "^1 of 6 published values NOT reproduced$" "$TMP/out2"
finish
