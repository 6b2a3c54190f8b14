#!/bin/sh
# tests/robust/test_string_chunks.sh — the references of a chunked string
# dataset are shuffled before deflate (src/results_dset.c), and the check
# that every reference names a string of the heap (src/results_heap.c)
# reads them unshuffled. A study with more cycles than fit unchunked
# (/cycles/runs is chunked from 4,096 rows): export checks the references
# before it reads a string column, which fails ("points outside the
# string heap") if the check read them shuffled, and the strings read back
# as the endings and pursuers they are.
. tests/lib.sh

"$DYADSEQ" simulate -q --couples 150 --events 250 --seed 11 -o "$TMP/study.csv"
check "analyze a study with over 4,096 cycles" \
    "$DYADSEQ" analyze -q -o "$TMP/a.h5" "$TMP/study.csv"
check "info reads it" "$DYADSEQ" info "$TMP/a.h5"
export_to() { "$DYADSEQ" export "$TMP/a.h5" "$1" >"$2"; }
check "export checks and reads the endings" \
    export_to /cycles/runs/ending "$TMP/ending"
rows=$(($(wc -l <"$TMP/ending") - 1))
check_eq "more cycles than one unchunked dataset holds" \
    "$([ "$rows" -gt 4096 ] && echo yes)" yes
check_eq "every ending reads back as one of the four" \
    "$(sed 1d "$TMP/ending" | cut -d, -f2 | sort -u | tr '\n' ' ')" \
    "bid other session_end soften "
check "export checks and reads the pursuers" \
    export_to /cycles/runs/pursuer "$TMP/pursuer"
check_eq "every pursuer reads back as A or B" \
    "$(sed 1d "$TMP/pursuer" | cut -d, -f2 | sort -u | tr '\n' ' ')" "A B "
check_eq "as many pursuers as endings" "$(wc -l <"$TMP/pursuer")" \
    "$(wc -l <"$TMP/ending")"
finish
