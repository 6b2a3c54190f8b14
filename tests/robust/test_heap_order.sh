#!/bin/sh
# tests/robust/test_heap_order.sh — the string heap's objects out of
# order or twice (src/results_heap.c). Opening a file indexes every
# object of every heap collection by (collection, index) and skips the
# sort when they come in order, as HDF5 writes them; here the objects of
# one collection are stored in reverse order (with their indices), which
# must read as before (it fails when the sort is left out), and one
# object takes its neighbour's index, which must be reported as damage.
# Plain bytes, no h5py.
. tests/lib.sh

if ! PY=$(python_with); then
    ok "heap order # SKIP no python3"
    finish
fi
"$DYADSEQ" simulate --couples 20 --events 250 -o "$TMP/study.csv"
"$DYADSEQ" analyze -q -o "$TMP/a.h5" "$TMP/study.csv"
"$DYADSEQ" export "$TMP/a.h5" /sessions/couple >"$TMP/want"
check_eq "the study has its 40 sessions" "$(wc -l <"$TMP/want")" 41

# reversed: the objects of the collection with the most of them are
# stored in reverse order with their indices, so each reference still
# finds its string (HDF5 finds an object by its index wherever it lies);
# twice: its second object takes the first one's index
$PY - "$TMP/a.h5" "$TMP/swap.h5" "$TMP/twice.h5" <<'PY'
import struct, sys
src, swap, twice = sys.argv[1:]
d = bytearray(open(src, "rb").read())
best, at = None, d.find(b"GCOL\x01")
while at >= 0:
    size = struct.unpack_from("<Q", d, at + 8)[0]
    objs, p = [], at + 16
    while p + 16 <= at + size:
        idx, = struct.unpack_from("<H", d, p)
        if idx == 0:
            break
        need = 16 + ((struct.unpack_from("<Q", d, p + 8)[0] + 7) & ~7)
        objs.append((p, need))
        p += need
    if best is None or len(objs) > len(best):
        best = objs
    at = d.find(b"GCOL\x01", at + 1)
if not best or len(best) < 3:
    sys.exit("no collection with three objects")
first, last = best[0][0], best[-1][0] + best[-1][1]
s = bytearray(d)
s[first:last] = b"".join(bytes(d[p:p + n]) for p, n in reversed(best))
open(swap, "wb").write(s)
t = bytearray(d)
t[best[1][0]:best[1][0] + 2] = d[best[0][0]:best[0][0] + 2]
open(twice, "wb").write(t)
PY
check "objects out of order: info passes" "$DYADSEQ" info "$TMP/swap.h5"
"$DYADSEQ" export "$TMP/swap.h5" /sessions/couple >"$TMP/got" 2>&1
check_eq "... and the strings read as before" "$(cat "$TMP/got")" "$(cat "$TMP/want")"
"$DYADSEQ" info "$TMP/twice.h5" >"$TMP/out" 2>&1
check_eq "an index twice: exit 1" "$?" 1
check "... naming the damage" grep -q "has an object twice" "$TMP/out"
finish
