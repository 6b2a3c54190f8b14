#!/bin/sh
# tests/analyze/test_reader_lines.sh — analyze keeps no input line per
# event when nothing after reading cites one (no --structural-zeros:
# ds_ingest_opts_t.drop_lines, issue #7), and says every message about
# the data exactly as validate, which keeps them all: the line of the
# previous event when time goes backwards, the line of a session's only
# event, the lines of events outside an observation period (sessions with
# a period keep their lines), a session merged from two files (--merge
# keeps them), and the lines of structural-zero transitions (lines kept
# when zeros are given). Each case of tests/bad/ named below, at one and
# two threads: the same exit status, and every line of its .expect in
# analyze's standard error.
. tests/lib.sh
cp -R tests/bad "$TMP/bad"
sh tests/bad/generate.sh "$TMP/bad"
cd "$TMP/bad" || exit 1
for name in backwards period_outside single_event dup_session_merge \
    backwards_sort; do
    args=$(sed -n 's/^args: validate//p' "$name.expect")
    want=$(sed -n 's/^status: //p' "$name.expect")
    sed '1,/^stderr:$/d' "$name.expect" >"$TMP/want"
    input=$name.csv
    [ -e "$input" ] || input=$name
    for t in 1 2; do
        rm -f "$TMP/out.h5"
        # shellcheck disable=SC2086 # $args: options of the case
        "$DYADSEQ" analyze $args "$input" -o "$TMP/out.h5" -t "$t" \
            --no-progress >/dev/null 2>"$TMP/got"
        check_eq "$name, analyze -t $t: exit status of validate" "$?" "$want"
        missing=$(grep -vxF -f "$TMP/got" "$TMP/want")
        check_eq "$name, analyze -t $t: validate's messages" "$missing" ""
    done
done
# structural zeros: the transition's line, and the line before it
printf 'couple,session,code,actor,time\nc1,pre,pursue,A,1\nc1,pre,pursue,A,2\nc1,pre,withdraw,B,3\n' >"$TMP/z.csv"
"$DYADSEQ" analyze --structural-zeros diagonal "$TMP/z.csv" \
    -o "$TMP/z.h5" -q 2>"$TMP/got"
check_eq "structural zeros: exit 1" "$?" 1
check "... at the transition's line, from the line before" \
    grep -q "z.csv:3: .*A:pursue → A:pursue (from line 2)" "$TMP/got"
finish
