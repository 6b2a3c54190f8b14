#!/bin/sh
# tests/robust/test_damaged.sh — info, export and compare check a results
# file before trusting it (issue 18 #6, #10): a dataset or group removed,
# a format_version this program does not read, a wrong type: exit 1 naming
# what is wrong; seeded bit flips in the string heap, the object headers
# and anywhere in a real file: exit 0 or 1 with a message, never a signal.
# (tests/robust/damage.py does the damage, with h5py.)
. tests/lib.sh

if ! PY=$(python_with h5py numpy); then
    ok "damaged results files # SKIP no python3 with h5py"
    finish
fi
"$DYADSEQ" simulate --couples 2 --events 60 -o "$TMP/study.csv"
"$DYADSEQ" analyze -q --lags 1,2 --permutations 2 -o "$TMP/a.h5" "$TMP/study.csv"
"$DYADSEQ" compare -q --pre pre --post post -o "$TMP/c.h5" "$TMP/a.h5" >/dev/null
check "a good analyze file passes info" "$DYADSEQ" info "$TMP/a.h5"
check "... export" "$DYADSEQ" export "$TMP/a.h5" /lag/2/pooled_by_label/post
check "a good compare file passes info" "$DYADSEQ" info "$TMP/c.h5"

# every group and every dataset removed, several unrelated ones per copy
# (up to 40 lines of messages: info keeps 50), each named "... is missing"
$PY tests/robust/damage.py remove "$DYADSEQ" "$TMP/a.h5" "$TMP" 40 >"$TMP/rm"
check_eq "analyze file: info names what is missing, for every object removed" \
    "$(grep -v '^checked' "$TMP/rm")" ""
check "... (checked $(sed -n 's/^checked //p' "$TMP/rm"))" grep -q '^checked [1-9]' "$TMP/rm"
$PY tests/robust/damage.py remove "$DYADSEQ" "$TMP/c.h5" "$TMP" 40 >"$TMP/rm"
check_eq "compare file: the same" "$(grep -v '^checked' "$TMP/rm")" ""

# r.h5: one dataset removed; s.h5: a dataset of the wrong shape, one of
# the wrong type (one Python for both)
cp "$TMP/a.h5" "$TMP/r.h5"
cp "$TMP/a.h5" "$TMP/s.h5"
$PY - "$TMP/r.h5" "$TMP/s.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    del f["/lag/1/session/expected"]
with h5py.File(sys.argv[2], "r+") as f:
    d = f["/cycles/n_cycles"]
    attrs = dict(d.attrs)
    del f["/cycles/n_cycles"]
    f["/cycles/n_cycles"] = np.zeros(3, dtype="i8")
    for k, v in attrs.items():
        f["/cycles/n_cycles"].attrs[k] = v
    del f["/sessions/n_events"]
    f["/sessions/n_events"] = np.zeros(4, dtype="f8")
PY

# what each command says about one removal
"$DYADSEQ" info "$TMP/r.h5" >"$TMP/out" 2>"$TMP/err"
check_eq "info, /lag/1/session/expected removed: exit 1" "$?" 1
check_eq "... one line naming it" "$(cat "$TMP/err")" \
    "dyadseq: error: $TMP/r.h5: /lag/1/session/expected is missing"
check "... and nothing on standard output" test ! -s "$TMP/out"
"$DYADSEQ" export "$TMP/r.h5" /sessions >"$TMP/out" 2>"$TMP/err"
check_eq "export of another path of that file: exit 1" "$?" 1
check "... naming what is missing" grep -q "/lag/1/session/expected is missing" "$TMP/err"
"$DYADSEQ" compare -q --pre pre --post post -o "$TMP/c2.h5" "$TMP/r.h5" \
    >/dev/null 2>"$TMP/err"
check_eq "compare from that file: exit 1" "$?" 1
check "... naming what is missing" grep -q "/lag/1/session/expected is missing" "$TMP/err"
check "... and writing nothing" test ! -e "$TMP/c2.h5"

# a dataset of the wrong shape or type
"$DYADSEQ" info "$TMP/s.h5" 2>"$TMP/err"
check_eq "a column one row short and a count of the wrong type: exit 1" "$?" 1
check "... the short column named" grep -q "/cycles/n_cycles has 3 entries along axis 1, expected 4" "$TMP/err"
check "... the wrong type named" grep -q "/sessions/n_events holds floating-point numbers, not integers" "$TMP/err"

# root attributes
$PY tests/robust/damage.py attr "$DYADSEQ" "$TMP/a.h5" "$TMP" >"$TMP/attr"
while read -r line; do
    case "$line" in
    ok*) ok "${line#ok }" ;;
    *) not_ok "$line" ;;
    esac
done <"$TMP/attr"

# seeded bit flips (half in the string heap, a quarter in the object
# headers and the superblock, a quarter anywhere): info and export never
# die by a signal (before issue 18, 4 of these 30 copies crashed them)
$PY tests/robust/damage.py flip "$DYADSEQ" "$TMP/a.h5" "$TMP" 30 18 >"$TMP/flip"
check_eq "30 damaged copies, info and export: never a signal, always a message" \
    "$(grep -v '^checked\|^guarded' "$TMP/flip")" ""
# a crash of HDF5 that the crash guard turned into exit 1 (outfile_guard.c)
# is allowed, and counted here
ok "... of which HDF5 crashed under the guard: $(grep -c '^guarded' "$TMP/flip")"
finish
