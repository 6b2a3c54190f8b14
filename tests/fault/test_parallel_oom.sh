#!/bin/sh
# tests/fault/test_parallel_oom.sh — the parallel reader running out of
# memory in a later round (issue 18 #3): a chunk that cannot be allocated
# after an earlier round freed the same slot once freed it twice (glibc:
# "double free", or a segfault). Pieces of 64 KiB make a 3 MB transcript
# take about eight rounds (three round slots, reused); only allocations of
# 64 KiB and more are counted (the chunks and a few merged session
# arrays), so each run fails one of them whatever the threads do with
# their small allocations. Every run exits 1 with a message that says
# what ran out; so does a failure merging a piece into a long session
# (issue 18 #4: it had no message of its own).
. tests/lib.sh
if ! fault_shim; then
    skip "parallel reader out of memory" "$FAULT_WHY"
    finish
fi

# each_large FILE MAX: validate FILE with each of its first MAX large
# allocations failing; every run must exit 1 saying "out of memory
# reading FILE"
each_large() {
    DYADSEQ_FAULT_COUNT="$TMP/count" LD_PRELOAD="$FAULT_SO" \
        "$DYADSEQ" validate "$1" >/dev/null 2>"$TMP/err"
    check_eq "$(basename "$1") without a fault: valid" "$?" 0
    m=$(cut -d' ' -f1 "$TMP/count")
    check "$(basename "$1"): at least 6 large allocations: $m" test "$m" -ge 6
    [ "$m" -gt "$2" ] && m=$2
    n=1 bad=0
    while [ "$n" -le "$m" ]; do
        DYADSEQ_FAIL_ALLOC=$n LD_PRELOAD="$FAULT_SO" \
            "$DYADSEQ" validate "$1" >/dev/null 2>"$TMP/err"
        s=$?
        if [ $s -ne 1 ] || ! grep -q "^dyadseq: error: out of memory reading $1\$" "$TMP/err"; then
            bad=$((bad + 1))
            echo "    # allocation $n: exit $s: $(head -c 200 "$TMP/err")"
        fi
        n=$((n + 1))
    done
    check_eq "$(basename "$1"): each of $m large allocations failing: exit 1, \"out of memory reading FILE\"" "$bad" 0
}

# one process, not started again for huge pages (cli_hugepages.c): the
# restarted process's first large allocation is the heap's spare block,
# whose failure costs nothing, and would shift the count by one
export DYADSEQ_PIECE_BYTES=65536 DYADSEQ_FAIL_MIN=65536 OMP_NUM_THREADS=2
export DYADSEQ_HUGEPAGES=0
# 40 sessions: the chunks of 8 rounds
"$DYADSEQ" simulate --couples 20 --events 2000 -o "$TMP/big.csv"
each_large "$TMP/big.csv" 20
# one session of 60,000 events: its arrays grow with every piece merged
# (issue 18 #4: that failure came without a message)
"$DYADSEQ" simulate --couples 1 --sessions one --events 60000 -o "$TMP/one.csv"
each_large "$TMP/one.csv" 12
finish
