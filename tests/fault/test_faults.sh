#!/bin/sh
# tests/fault/test_faults.sh — a sample of the allocation-failure loop
# (tests/fault/loop.sh; `make fault` runs every N): 12 values of N for each
# of validate, analyze at 1 and 2 threads, compare and export, and every
# thread creation of analyze -t 4 failing. Every run exits 0 (with the
# same output as without the fault) or 1 with a message, never by a
# signal, never 255, and leaves no file behind.
. tests/lib.sh
if ! fault_shim; then
    skip "allocation failures" "$FAULT_WHY"
    finish
fi

DYADSEQ="$DYADSEQ" FAULT_SO="$FAULT_SO" sh tests/fault/loop.sh -n 12 -s 18 \
    -o "$TMP/bad" >"$TMP/summary" 2>&1
status=$?
while read -r line; do
    case "$line" in
    *" 0 bad") ok "$line" ;;
    *) not_ok "$line" ;;
    esac
done <"$TMP/summary"
[ -s "$TMP/bad" ] && sed 's/^/    # /' "$TMP/bad" | head -20
check_eq "the loop's status" "$status" 0

# a thread that cannot be created: libgomp prints why and calls exit(1);
# from standard input the reader makes no threads, so the first threads
# are made for the first block of sessions (threads 1-3 of -t 4), while
# the results file is begun on the calling thread, and the next ones for
# pooling (4-5), while it is being written: either way no output and no
# temporary are left, and dyadseq says so, naming the file once it was
# being written (issue 18 #5)
"$DYADSEQ" simulate --couples 2 --events 40 -o "$TMP/study.csv"
mkdir "$TMP/out"
writing=0
for n in 1 2 3 4 5; do
    DYADSEQ_FAIL_THREAD=$n LD_PRELOAD="$FAULT_SO" "$DYADSEQ" analyze -q -t 4 \
        -o "$TMP/out/r.h5" - <"$TMP/study.csv" 2>"$TMP/err"
    s=$?
    if [ $s -eq 0 ]; then
        check "thread $n failing: exit 0, a file" test -s "$TMP/out/r.h5"
    else
        check_eq "thread $n failing: exit 1" "$s" 1
        check "... with a message" grep -q '^dyadseq: error: a library ended the program (exit status 1)' "$TMP/err"
        grep -q 'while writing .*; the incomplete output was removed' \
            "$TMP/err" && writing=$((writing + 1))
        check_eq "... and nothing left" "$(ls -A "$TMP/out")" ""
    fi
    rm -f "$TMP/out/r.h5"
done
check "a thread failing while the file was written said so" \
    test "$writing" -gt 0
finish
