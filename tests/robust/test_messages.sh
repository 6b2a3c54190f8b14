#!/bin/sh
# tests/robust/test_messages.sh — a message that carries long user text
# (a path, a label, a dataset path of 2,000 bytes) keeps its reason: the
# user text is cut in the middle, never the end of the message (issue 18
# #1); export looks up the path it was given, not a cut copy of it.
. tests/lib.sh

long_label=$(head -c 2000 /dev/zero | tr '\0' L)
deep=""
i=0
while [ $i -lt 200 ]; do deep="${deep}dir$i/"; i=$((i + 1)); done

# a results file, then export of a 2,000-byte path that names nothing
tiny_transcript "$TMP/t.csv"
# an output in a directory that does not exist, 1,600 bytes of path
"$DYADSEQ" analyze -o "$TMP/$deep/out.h5" "$TMP/t.csv" 2>"$TMP/err"
check_eq "analyze -o in a missing 1,600-byte directory: exit 1" "$?" 1
check "... the message ends with the reason" \
    grep -q "': No such file or directory\$" "$TMP/err"
check "... and names the start of the path" grep -q "for '$TMP/dir0/dir1/" "$TMP/err"
check "... shortened in the middle, marked" grep -q '…' "$TMP/err"

"$DYADSEQ" analyze -q -o "$TMP/r.h5" "$TMP/t.csv"
"$DYADSEQ" export "$TMP/r.h5" "/lag/1/pooled_by_label/$long_label/g2" \
    >/dev/null 2>"$TMP/err"
check_eq "export of a 2,000-byte label path: exit 1" "$?" 1
check "... the message says what the file holds" \
    grep -q "; /lag/1/pooled_by_label holds: /lag/1/pooled_by_label/post" "$TMP/err"
# a path that a 1,024-byte copy would cut to an existing dataset
slashes=$(head -c 1100 /dev/zero | tr '\0' /)
"$DYADSEQ" export "$TMP/r.h5" "/sessions/couple${slashes}x" >"$TMP/out" 2>"$TMP/err"
check_eq "export looks up the whole path it is given, not a cut copy" "$?" 1
check "... and prints nothing" test ! -s "$TMP/out"

# compare: a 2,000-byte --pre label that no session has
"$DYADSEQ" compare -q --pre "$long_label" --post post -o "$TMP/c.h5" \
    "$TMP/t.csv" 2>"$TMP/err"
check_eq "compare --pre of 2,000 bytes that no session has: exit 1 or 2" \
    "$(($? == 1 || $? == 2))" 1
check "... the message names the labels there are" grep -q "'post'" "$TMP/err"
check "... and no file is written" test ! -e "$TMP/c.h5"
finish
