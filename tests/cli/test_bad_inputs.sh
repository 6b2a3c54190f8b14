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
. tests/lib.sh
cp -R tests/bad "$TMP/bad"
sh tests/bad/generate.sh "$TMP/bad"
cd "$TMP/bad" || exit 1

n_cases=0
for exp in *.expect; do
    name=${exp%.expect}
    n_cases=$((n_cases + 1))
    args=$(sed -n 's/^args: //p' "$exp")
    input=$(sed -n 's/^input: //p' "$exp")
    stdin=$(sed -n 's/^stdin: //p' "$exp")
    want_status=$(sed -n 's/^status: //p' "$exp")
    if [ -z "$input" ]; then
        if [ -e "$name.csv" ]; then input=$name.csv; else input=$name; fi
    fi
    sed '1,/^stderr:$/d' "$exp" >"$TMP/want"
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
    sed -n 's/^stdout-has: //p' "$exp" | while IFS= read -r line; do
        if grep -qF -- "$line" "$TMP/out"; then
            echo "ok - $name: stdout has '$line'"
        else
            echo "not ok - $name: stdout lacks '$line'"
        fi
    done
    # every message is one line naming where: FILE[:LINE]: or a path error
    if [ "$want_status" = 1 ] && grep -v '^dyadseq: error: ' "$TMP/got" | grep -q .; then
        not_ok "$name: a message line without the 'dyadseq: error: ' prefix"
    fi
done
if [ "$n_cases" -ge 25 ]; then ok "corpus has $n_cases cases (>= 25)"; else
    not_ok "corpus has only $n_cases cases"; fi
finish
