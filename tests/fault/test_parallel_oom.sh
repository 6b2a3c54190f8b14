#!/bin/sh
# tests/fault/test_parallel_oom.sh — the parallel reader running out of
# memory in a later round (issue 18 #3): a chunk that cannot be allocated
# after an earlier round freed the same slot once freed it twice (glibc:
# "double free", or a segfault). Pieces of 64 KiB make a 3 MB transcript
# take about eight rounds (three round slots, reused); only allocations of
# 64 KiB and more are counted (the chunks and a few merged session
# arrays), so each run fails one of them whatever the threads do with
# their small allocations. Every run exits 1 with a message.
. tests/lib.sh
: "${FAULT_SO:=build/fault/libfaultinject.so}"
if [ ! -f "$FAULT_SO" ]; then
    ok "parallel reader out of memory # SKIP no $FAULT_SO (make $FAULT_SO)"
    finish
fi
if ldd "$DYADSEQ" 2>/dev/null | grep -q 'libasan'; then
    ok "parallel reader out of memory # SKIP AddressSanitizer build (it must be loaded first)"
    finish
fi
case "$FAULT_SO" in /*) ;; *) FAULT_SO="$PWD/$FAULT_SO" ;; esac

"$DYADSEQ" simulate --couples 20 --events 2000 -o "$TMP/big.csv"
export DYADSEQ_PIECE_BYTES=65536 DYADSEQ_FAIL_MIN=65536 OMP_NUM_THREADS=2
DYADSEQ_FAULT_COUNT="$TMP/count" LD_PRELOAD="$FAULT_SO" \
    "$DYADSEQ" validate "$TMP/big.csv" >/dev/null 2>"$TMP/err"
check_eq "without a fault: valid" "$?" 0
m=$(cut -d' ' -f1 "$TMP/count")
check "at least 6 large allocations (chunks of 4+ rounds): $m" test "$m" -ge 6
n=1 bad=0
while [ "$n" -le "$m" ]; do
    DYADSEQ_FAIL_ALLOC=$n LD_PRELOAD="$FAULT_SO" \
        "$DYADSEQ" validate "$TMP/big.csv" >/dev/null 2>"$TMP/err"
    s=$?
    if [ $s -ne 1 ] || ! grep -q '^dyadseq: error: out of memory .' "$TMP/err"; then
        bad=$((bad + 1))
        echo "    # allocation $n: exit $s: $(head -c 200 "$TMP/err")"
    fi
    n=$((n + 1))
done
check_eq "each of the $m large allocations failing: exit 1, \"out of memory ...\"" "$bad" 0
finish
