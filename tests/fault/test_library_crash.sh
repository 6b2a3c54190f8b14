#!/bin/sh
# tests/fault/test_library_crash.sh — libraries that do not survive a
# failed allocation (found by the allocation-failure loop, issue 18):
#
#  - the C library's regcomp frees a block twice when one of its
#    allocations fails (glibc 2.36: "free(): double free detected");
#    compiling --id-pattern then ends with exit 1 and a message naming
#    regcomp, never by SIGABRT;
#  - HDF5 1.10 damages the heap, without an error, when an allocation in
#    its free lists fails once and succeeds when retried; the crash can
#    come after the results file got its name. A crash before main()
#    returns then removes the files HDF5 wrote in the run (exit 1, a
#    message): DYADSEQ_FAULT=crash_after_publish aborts right after the
#    rename, as such a crash does.
. tests/lib.sh

tiny_transcript "$TMP/t.csv"
DYADSEQ_FAULT=crash_after_publish "$DYADSEQ" analyze -q -o "$TMP/r.h5" \
    "$TMP/t.csv" 2>"$TMP/err"
check_eq "a crash after the results file was named: exit 1" "$?" 1
check "... the message says HDF5 wrote it and it was removed" \
    grep -q '^dyadseq: error: the HDF5 library crashed (SIGABRT) while writing .*r\.h5; the output was removed$' "$TMP/err"
check "... and the file is gone" test ! -e "$TMP/r.h5"
check_eq "... nothing else left" "$(ls -A "$TMP" | grep -c 'r\.h5')" 0
"$DYADSEQ" analyze -q -o "$TMP/r.h5" "$TMP/t.csv"
check "without the fault the file is written" test -s "$TMP/r.h5"

if ! fault_shim; then
    skip "regcomp failing" "$FAULT_WHY"
    finish
fi
# the allocations of option parsing with and without --id-pattern: those
# of regcomp lie between (an unknown option ends each run right there)
P='^(.*)_(pre|post)$'
DYADSEQ_FAULT_COUNT="$TMP/c0" LD_PRELOAD="$FAULT_SO" "$DYADSEQ" convert --frob 2>/dev/null
DYADSEQ_FAULT_COUNT="$TMP/c1" LD_PRELOAD="$FAULT_SO" "$DYADSEQ" convert \
    --id-pattern "$P" --frob 2>/dev/null
m0=$(cut -d' ' -f1 "$TMP/c0") m1=$(cut -d' ' -f1 "$TMP/c1")
check "--id-pattern allocates ($m0, then $m1)" test "$m1" -gt "$m0"
n=$((m0 - 20)) bad=0 runs=0
while [ "$n" -le "$m1" ]; do
    DYADSEQ_FAIL_ALLOC=$n LD_PRELOAD="$FAULT_SO" "$DYADSEQ" convert \
        --id-pattern "$P" --frob >/dev/null 2>"$TMP/err"
    s=$?
    runs=$((runs + 1))
    if { [ $s -ne 1 ] && [ $s -ne 2 ]; } || ! grep -q '^dyadseq: error: .' "$TMP/err"; then
        bad=$((bad + 1))
        echo "    # allocation $n: exit $s: $(tr '\n' '|' <"$TMP/err" | head -c 200)"
    fi
    n=$((n + 1))
done
check_eq "each of $runs allocations around regcomp failing: exit 1 or 2 with a message" "$bad" 0
finish
