#!/bin/sh
# tests/robust/test_stdout.sh — standard output that cannot be written
# (/dev/full): every command exits 1 with a message, and analyze and
# compare, which print a summary of the file they write, leave no file
# (the file is complete before they print, and gets its name only after)
# and an existing one as it was (issue 18 #8).
. tests/lib.sh

if ! { echo x >/dev/full; } 2>/dev/null && [ -c /dev/full ]; then :; else
    ok "standard output failing # SKIP no /dev/full here"
    finish
fi
temps() { ls -a "$1" | grep -c '\.tmp\.' ; }

for args in --help --version "analyze --help" "info -h" "simulate --help"; do
    "$DYADSEQ" $args >/dev/full 2>"$TMP/err"
    check_eq "dyadseq $args >/dev/full: exit 1" "$?" 1
    check "... with a message" grep -q "^dyadseq: error: cannot write to standard output: No space left on device" "$TMP/err"
done

"$DYADSEQ" simulate --couples 3 --events 40 -o "$TMP/study.csv"
"$DYADSEQ" analyze -o "$TMP/a.h5" "$TMP/study.csv" >/dev/full 2>"$TMP/err"
check_eq "analyze >/dev/full: exit 1" "$?" 1
check "... saying so and that the file is not written" \
    grep -q "cannot write to standard output: No space left on device; $TMP/a.h5 not written" "$TMP/err"
check "... and no file" test ! -e "$TMP/a.h5"
check_eq "... and no temporary" "$(temps "$TMP")" 0
"$DYADSEQ" analyze -q -o "$TMP/a.h5" "$TMP/study.csv" >/dev/full
check_eq "analyze -q prints nothing: exit 0 with /dev/full" "$?" 0
check "... and the file" test -s "$TMP/a.h5"
cp "$TMP/a.h5" "$TMP/before.h5"
"$DYADSEQ" analyze --lags 1,2 -o "$TMP/a.h5" "$TMP/study.csv" >/dev/full 2>/dev/null
check_eq "analyze over an existing file >/dev/full: exit 1" "$?" 1
check "... the existing file as it was" cmp -s "$TMP/a.h5" "$TMP/before.h5"

for input in "$TMP/study.csv" "$TMP/a.h5"; do
    "$DYADSEQ" compare --pre pre --post post -o "$TMP/c.h5" "$input" >/dev/full 2>"$TMP/err"
    check_eq "compare $(basename "$input") >/dev/full: exit 1" "$?" 1
    check "... saying so" grep -q "cannot write to standard output: No space left on device; $TMP/c.h5 not written" "$TMP/err"
    check "... and no file" test ! -e "$TMP/c.h5"
    check_eq "... and no temporary" "$(temps "$TMP")" 0
done
"$DYADSEQ" compare --pre pre --post post -o "$TMP/c.h5" "$TMP/a.h5" >"$TMP/out"
check_eq "compare with standard output working: exit 0" "$?" 0
check "... the file" test -s "$TMP/c.h5"
check "... and the table" grep -q "^wrote $TMP/c.h5: /comparison" "$TMP/out"

# agree and power print their tables the same way
"$DYADSEQ" agree -q -o "$TMP/g.h5" datasets/agree/coder1.csv \
    datasets/agree/coder2.csv >/dev/full 2>"$TMP/err"
check_eq "agree >/dev/full: exit 1" "$?" 1
check "... saying so" grep -q "cannot write to standard output: No space left on device; $TMP/g.h5 not written" "$TMP/err"
check "... and no file" test ! -e "$TMP/g.h5"
"$DYADSEQ" power -q --metric 'response_rate[A->B]' --replications 10 \
    --couples 4 --events 40 -o "$TMP/p.h5" >/dev/full 2>"$TMP/err"
check_eq "power >/dev/full: exit 1" "$?" 1
check "... and no file" test ! -e "$TMP/p.h5"
check_eq "no temporary left" "$(temps "$TMP")" 0

for cmd in "validate $TMP/study.csv" "info $TMP/a.h5" "export $TMP/a.h5 /lag/1/pooled" \
           "simulate --couples 2 --events 10"; do
    "$DYADSEQ" $cmd >/dev/full 2>"$TMP/err"
    check_eq "${cmd%% *} >/dev/full: exit 1" "$?" 1
    check "... with a message" grep -q "cannot write" "$TMP/err"
done
finish
