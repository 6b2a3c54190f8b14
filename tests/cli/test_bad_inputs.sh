#!/bin/sh
# Every input under tests/bad/ produces exactly the messages and exit
# status in its .expect file:
#
#   args: validate [options]     the command line before the input
#   input: PATH                  optional; default NAME.csv or NAME/
#   stdin: FILE                  optional; file fed to standard input
#   status: N                    the exit status
#   stdout-has: TEXT             optional, repeatable; a line of stdout
#   stderr:                      then the exact standard error, line by line
#
# The corpus is copied to a scratch directory (with the generated cases of
# generate.sh) and run from there, so messages name files as written here.
# One awk reads each .expect (PARSE below), the expected messages to
# $TMP/want, the stdout-has lines to $TMP/has, the rest as shell variables.
. tests/lib.sh
cp -R tests/bad "$TMP/bad"
sh tests/bad/generate.sh "$TMP/bad"
cd "$TMP/bad" || exit 1

PARSE='function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
    BEGIN { printf "" >want; printf "" >has
            print "args= input= stdin= want_status=" }
    body { print >want; next }
    /^stderr:$/ { body = 1; next }
    sub(/^args: /, "") { print "args=" q($0); next }
    sub(/^input: /, "") { print "input=" q($0); next }
    sub(/^stdin: /, "") { print "stdin=" q($0); next }
    sub(/^status: /, "") { print "want_status=" q($0); next }
    sub(/^stdout-has: /, "") { print >has; next }'
n_cases=0
for exp in *.expect; do
    name=${exp%.expect}
    n_cases=$((n_cases + 1))
    eval "$(awk -v want="$TMP/want" -v has="$TMP/has" "$PARSE" "$exp")"
    if [ -z "$input" ]; then
        if [ -e "$name.csv" ]; then input=$name.csv; else input=$name; fi
    fi
    # shellcheck disable=SC2086
    "$DYADSEQ" $args "$input" <"${stdin:-/dev/null}" >"$TMP/out" 2>"$TMP/got"
    status=$?
    if [ "$status" = "$want_status" ]; then
        ok "$name: exit status $status"
    else
        not_ok "$name: exit status $status, want $want_status"
    fi
    if cmp -s "$TMP/got" "$TMP/want"; then
        ok "$name: messages"
    else
        not_ok "$name: messages differ"
        diff "$TMP/want" "$TMP/got" | sed 's/^/    # /' | head -10
    fi
    while IFS= read -r line; do
        if grep -qF -- "$line" "$TMP/out"; then
            ok "$name: stdout has '$line'"
        else
            not_ok "$name: stdout lacks '$line'"
        fi
    done <"$TMP/has"
    # every message is one line naming where: FILE[:LINE]: or a path error
    if [ "$want_status" = 1 ] && grep -v '^dyadseq: error: ' "$TMP/got" | grep -q .; then
        not_ok "$name: a message line without the 'dyadseq: error: ' prefix"
    fi
done
if [ "$n_cases" -ge 25 ]; then ok "corpus has $n_cases cases (>= 25)"; else
    not_ok "corpus has only $n_cases cases"; fi
finish
