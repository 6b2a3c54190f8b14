#!/bin/sh
# tests/fuzz/test_fuzz.sh — a short run of each libFuzzer harness (3 s
# each), when `make fuzz-build` has built them into build/fuzz/ (make
# check does not build them: clang and a second build of the library);
# `make fuzz FUZZ_SECONDS=N` runs them for longer with a report.
. tests/lib.sh
: "${FUZZ_DIR:=build/fuzz}"
if [ ! -x "$FUZZ_DIR/fuzz_time" ]; then
    ok "fuzz harnesses # SKIP not built (make fuzz-build)"
    finish
fi
FUZZ_DIR="$TMP/fuzz" sh -c '
    mkdir -p "$FUZZ_DIR" && for b in '"$PWD/$FUZZ_DIR"'/fuzz_*; do ln -s "$b" "$FUZZ_DIR/"; done
    sh tests/fuzz/run.sh 3' >"$TMP/log" 2>&1
for h in time codebook zeros transcript results import; do
    line=$(grep "^$h: " "$TMP/log")
    case "$line" in
    *", 0 found, exit 0") ok "$line" ;;
    *) not_ok "fuzz_$h: ${line:-no report}"; grep -A3 "^$h: " "$TMP/log" | sed 's/^/    # /' ;;
    esac
done
finish
