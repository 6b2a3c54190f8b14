#!/bin/sh
# simulate --layout intervals: the committed example sheet is exactly its
# output, and each cell is the transcript of the same seed cut into
# intervals (1 when an event of the state starts in the interval),
# recounted here with awk.
. tests/lib.sh
"$DYADSEQ" simulate -q --layout intervals --couples 20 --seed 13 \
    -o "$TMP/sheet.csv"
if cmp -s "$TMP/sheet.csv" datasets/intervals/sheet.csv; then
    ok "datasets/intervals/sheet.csv is the documented command's output"
else
    not_ok "datasets/intervals/sheet.csv differs from its command's output"
fi
"$DYADSEQ" simulate -q --couples 3 --seed 5 --events 60 -o "$TMP/t.csv"
"$DYADSEQ" simulate -q --layout intervals --interval 4 --n-intervals 30 \
    --couples 3 --seed 5 --events 60 -o "$TMP/s.csv"
# the transcript cut into 4-s intervals, as the sheet's 0/1 cells
awk -F, 'NR > 1 { k = int($5 / 4) + 1; if (k <= 30)
        m[$1 "," $2 "," $3 "_" $4 sprintf("%02d", k)] = 1 }
    END { for (x in m) print x }' "$TMP/t.csv" | sort >"$TMP/want"
awk -F, 'NR == 1 { for (i = 3; i <= NF; i++) h[i] = $i; next }
    { for (i = 3; i <= NF; i++) if ($i == "1") print $1 "," $2 "," h[i] }' \
    "$TMP/s.csv" | sort >"$TMP/got"
check_eq "every 1 of the sheet is an event's interval, and only those" \
    "$(cmp "$TMP/got" "$TMP/want" && wc -l <"$TMP/got")" "$(wc -l <"$TMP/want")"
check_eq "a row per session, 2 + 10 x 30 columns" \
    "$(awk -F, '{ print NF }' "$TMP/s.csv" | sort -u):$(($(wc -l <"$TMP/s.csv") - 1))" \
    "302:6"
check_eq "the columns: state, interval zero-padded" \
    "$(head -1 "$TMP/s.csv" | cut -d, -f1-4,302)" \
    "couple,session,A_pursue01,A_pursue02,B_response30"
finish
