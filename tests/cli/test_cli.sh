#!/bin/sh
# Command-line behaviour: help, version, exit statuses (SPEC 2).
. tests/lib.sh

check_status "dyadseq --help exits 0" 0 "$DYADSEQ" --help
grep -q '^Usage:   dyadseq COMMAND' "$TMP/.out" && ok "--help shows usage" || not_ok "--help shows usage"
check_status "dyadseq --version exits 0" 0 "$DYADSEQ" --version
grep -Eq '^dyadseq [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/.out" && ok "--version prints a version" || not_ok "--version prints a version"
check_status "no arguments: usage, exit 2" 2 "$DYADSEQ"
check_status "unknown command: exit 2" 2 "$DYADSEQ" frobnicate
grep -q "unknown command 'frobnicate'" "$TMP/.err" && ok "unknown command named" || not_ok "unknown command named"
check_status "unknown top-level option: exit 2" 2 "$DYADSEQ" --frob

# every command listed in --help has a --help of the samtools shape
"$DYADSEQ" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 {print $1}' >"$TMP/cmds"
[ -s "$TMP/cmds" ] && ok "commands listed" || not_ok "commands listed"
while read -r cmd; do
    "$DYADSEQ" "$cmd" --help >"$TMP/h" 2>&1; s=$?
    if [ $s -eq 0 ] && grep -q '^About:' "$TMP/h" && grep -q "^Usage:   dyadseq $cmd" "$TMP/h" \
        && grep -q '^Options:' "$TMP/h" && grep -q -- '--help' "$TMP/h"; then
        echo "ok - $cmd --help"
    else
        echo "not ok - $cmd --help (exit $s)"
    fi
    "$DYADSEQ" "$cmd" --no-such-option >/dev/null 2>"$TMP/e"; s=$?
    if [ $s -eq 2 ] && grep -q "Try 'dyadseq $cmd --help'" "$TMP/e"; then
        echo "ok - $cmd: unknown option exits 2 with a hint"
    else
        echo "not ok - $cmd: unknown option (exit $s)"
    fi
done <"$TMP/cmds"

check_status "validate without input: exit 2" 2 "$DYADSEQ" validate
check_status "validate of a missing file: exit 1" 1 "$DYADSEQ" validate "$TMP/none.csv"
check_status "--actors with an empty name: exit 2" 2 "$DYADSEQ" validate --actors A, tests/bad/crlf_bom.csv
check_status "--actors with a duplicate: exit 2" 2 "$DYADSEQ" validate --actors A,A tests/bad/crlf_bom.csv
check_status "missing codebook file: exit 1" 1 "$DYADSEQ" validate --codebook "$TMP/none.csv" tests/bad/crlf_bom.csv
if [ -w /dev/full ]; then
    check_status "validate to a full stdout: exit 1" 1 sh -c "'$DYADSEQ' validate tests/bad/crlf_bom.csv >/dev/full"
fi
check_status "-q: valid input prints nothing" 0 "$DYADSEQ" validate -q tests/bad/single_event.csv
[ ! -s "$TMP/.out" ] && [ ! -s "$TMP/.err" ] && ok "-q is quiet" || not_ok "-q is quiet"
check_status "-v reports ignored columns" 0 "$DYADSEQ" validate -v tests/bad/quoted_commas.csv
grep -q "ignoring columns: note" "$TMP/.err" && ok "-v names the ignored column" || not_ok "-v names the ignored column"

# a directory is every *.csv in it, by name; LF and CRLF give the same corpus
mkdir "$TMP/d"
printf 'couple,session,actor,code,time\nc2,pre,A,pursue,0\nc2,pre,B,withdraw,1\n' >"$TMP/d/b.csv"
printf 'couple,session,actor,code,time\r\nc1,pre,A,bid,0\r\nc1,pre,B,response,1\r\n' >"$TMP/d/a.csv"
echo "not a transcript" >"$TMP/d/notes.txt"
check_status "a directory of CSVs validates" 0 "$DYADSEQ" validate "$TMP/d"
grep -q "valid: 2 files" "$TMP/.out" && ok "directory: both CSVs read, .txt skipped" || not_ok "directory: both CSVs read"
finish
