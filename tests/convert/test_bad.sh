#!/bin/sh
# Every bad input under tests/convert/bad/ gives exactly the messages and
# exit status of its .expect file, and leaves no output file behind:
#
#   args: convert [options] -o out.csv   the command line before the input
#   input: PATH                          the input
#   status: N                            the exit status
#   stderr:                              then the exact standard error
#
# Run from a scratch copy, so messages name files as written here. One awk
# reads each .expect (PARSE below, as in tests/cli/test_bad_inputs.sh): the
# expected messages to $TMP/want, the rest as shell variables.
. tests/lib.sh
cp -R tests/convert/bad "$TMP/bad"
cd "$TMP/bad" || exit 1

PARSE='function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
    BEGIN { printf "" >want; print "args= input= want=" }
    body { print >want; next }
    /^stderr:$/ { body = 1; next }
    sub(/^args: /, "") { print "args=" q($0); next }
    sub(/^input: /, "") { print "input=" q($0); next }
    sub(/^status: /, "") { print "want=" q($0); next }'
n=0
for exp in *.expect; do
    name=${exp%.expect}
    n=$((n + 1))
    eval "$(awk -v want="$TMP/want" "$PARSE" "$exp")"
    eval "\"\$DYADSEQ\" $args \"\$input\"" </dev/null >"$TMP/out" 2>"$TMP/got"
    status=$?
    check_eq "$name: exit status" "$status" "$want"
    if cmp -s "$TMP/got" "$TMP/want"; then
        ok "$name: messages"
    else
        not_ok "$name: messages differ"
        diff "$TMP/want" "$TMP/got" | sed 's/^/    # /' | head -10
    fi
    left=""
    for f in out.* ./*.tmp.*; do [ -e "$f" ] && left="$left$f "; done
    check_eq "$name: no output file left" "$left" ""
    [ -z "$left" ] || rm -f out.* ./*.tmp.*
    if grep -v '^dyadseq: error: \|^Try ' "$TMP/got" | grep -q .; then
        not_ok "$name: a message line without the 'dyadseq: error: ' prefix"
    fi
done
if [ "$n" -ge 40 ]; then ok "corpus has $n cases"; else
    not_ok "corpus has only $n cases"; fi
finish
