#!/bin/sh
# Every bad input under tests/convert/bad/ gives exactly the messages and
# exit status of its .expect file, and leaves no output file behind:
#
#   args: convert [options] -o out.csv   the command line before the input
#   input: PATH                          the input
#   status: N                            the exit status
#   stderr:                              then the exact standard error
#
# Run from a scratch copy, so messages name files as written here.
. tests/lib.sh
cp -R tests/convert/bad "$TMP/bad"
cd "$TMP/bad" || exit 1

n=0
for exp in *.expect; do
    name=${exp%.expect}
    n=$((n + 1))
    args=$(sed -n 's/^args: //p' "$exp")
    input=$(sed -n 's/^input: //p' "$exp")
    want=$(sed -n 's/^status: //p' "$exp")
    sed '1,/^stderr:$/d' "$exp" >"$TMP/want"
    eval "\"\$DYADSEQ\" $args \"\$input\"" </dev/null >"$TMP/out" 2>"$TMP/got"
    status=$?
    check_eq "$name: exit status" "$status" "$want"
    if cmp -s "$TMP/got" "$TMP/want"; then
        ok "$name: messages"
    else
        not_ok "$name: messages differ"
        diff "$TMP/want" "$TMP/got" | sed 's/^/    # /' | head -10
    fi
    left=$(ls out.* *.tmp.* 2>/dev/null)
    check_eq "$name: no output file left" "$left" ""
    rm -f out.* ./*.tmp.*
    if grep -v '^dyadseq: error: \|^Try ' "$TMP/got" | grep -q .; then
        not_ok "$name: a message line without the 'dyadseq: error: ' prefix"
    fi
done
if [ "$n" -ge 40 ]; then ok "corpus has $n cases"; else
    not_ok "corpus has only $n cases"; fi
finish
