#!/bin/sh
# tests/robust/test_options.sh — option values a hostile or careless user
# gives (issue 18 #7, #10): decimal numbers only (no hexadecimal, no
# "inf"), simulated times that stay plain decimals, and outputs that are
# symbolic links or devices refused even with --force.
. tests/lib.sh

tiny_transcript "$TMP/t.csv"

# numeric options: decimal only
for opt in "--time-unit 0x10" "--response-window 0x5" "--zero-correction 0x0.8p0" \
           "--time-unit inf" "--response-window ' 5'" "--time-unit 1e999"; do
    eval "\"\$DYADSEQ\" analyze $opt -o \"\$TMP/x.h5\" \"\$TMP/t.csv\"" \
        >/dev/null 2>"$TMP/err"
    check_eq "analyze $opt: a usage error" "$?" 2
done
check "... that names the option" grep -q "^dyadseq: error: --time-unit takes seconds > 0, not '1e999'" "$TMP/err"
check "analyze --time-unit 16 (decimal) works" "$DYADSEQ" analyze -q --time-unit 16 -o "$TMP/x.h5" "$TMP/t.csv"
for opt in "--gap-mean 0x1p3" "--withdraw 0x0.4p0" "--groups a:0x0.8p0" \
           "--therapy 0x1:0" "--latency-mean 0x2:1" "--answer-sd infinity"; do
    "$DYADSEQ" simulate --couples 2 --events 10 $opt -o "$TMP/s.csv" >/dev/null 2>&1
    check_eq "simulate $opt: a usage error" "$?" 2
done
"$DYADSEQ" compare -q --pre pre --post post --reliability cycles_per_10min=0x0.8p0 \
    -o "$TMP/c.h5" "$TMP/t.csv" 2>/dev/null
check_eq "compare --reliability M=0x0.8p0: a usage error" "$?" 2

# simulated times: means whose times would overflow or not print as plain
# decimals are refused before anything is written
for opt in "--gap-mean 1e308" "--latency-mean 1e308" "--latency-mean 1:1e300" \
           "--duration-mean 1e308" "--gap-mean 1e7 --events 400"; do
    "$DYADSEQ" simulate --couples 2 --events 20 $opt -o "$TMP/s.csv" 2>"$TMP/err"
    check_eq "simulate $opt: a usage error" "$?" 2
    check "... saying times must stay below 1e+09 s" grep -q "must stay below 1e+09 s" "$TMP/err"
    check "... and no file" test ! -e "$TMP/s.csv"
done
"$DYADSEQ" simulate --couples 2 --events 20 --gap-mean 1e5 -o "$TMP/s.csv"
check_eq "simulate --gap-mean 1e5 s with 25 events works" "$?" 0
check_eq "... its times are plain decimals with 3 places" \
    "$(awk -F, 'NR > 1 && ($5 !~ /^[0-9]+\.[0-9][0-9][0-9]$/ || $6 !~ /^[0-9]+\.[0-9][0-9][0-9]$/)' "$TMP/s.csv" | wc -l)" 0
check "... that validate accepts" "$DYADSEQ" validate "$TMP/s.csv"

# --force never replaces a symbolic link, a device or a named pipe
echo "kept" >"$TMP/target"
ln -s "$TMP/target" "$TMP/link.csv"
"$DYADSEQ" simulate --couples 2 --events 10 --force -o "$TMP/link.csv" 2>"$TMP/err"
check_eq "simulate --force -o SYMLINK: exit 1" "$?" 1
check "... it says why" grep -q "is a symbolic link, not a regular file; refusing to replace it" "$TMP/err"
check "... the link is still a link" test -L "$TMP/link.csv"
check "... to the file as it was" grep -qx kept "$TMP/target"
mkfifo "$TMP/fifo"
"$DYADSEQ" simulate --couples 2 --events 10 --force -o "$TMP/fifo" 2>"$TMP/err"
check_eq "simulate --force -o FIFO: exit 1" "$?" 1
check "... the pipe is still there" test -p "$TMP/fifo"
# a device node of our own (never /dev/null: a build with the defect, run
# as root, would replace it for the whole machine)
if mknod "$TMP/null" c 1 3 2>/dev/null; then
    "$DYADSEQ" simulate --couples 2 --events 10 --force -o "$TMP/null" 2>"$TMP/err"
    check_eq "simulate --force -o DEVICE: exit 1" "$?" 1
    check "... a character device" grep -q "is a character device" "$TMP/err"
    check "... the device is still there" test -c "$TMP/null"
else
    ok "simulate --force -o DEVICE # SKIP cannot make a device node here"
fi
"$DYADSEQ" analyze -q -o "$TMP/r.h5" "$TMP/t.csv"
ln -s "$TMP/r.h5" "$TMP/rlink.h5"
"$DYADSEQ" analyze -q -o "$TMP/rlink.h5" "$TMP/t.csv" 2>"$TMP/err"
check_eq "analyze -o SYMLINK to a results file: exit 1" "$?" 1
check "... the link is still a link" test -L "$TMP/rlink.h5"
check_eq "no temporary left anywhere" "$(ls -a "$TMP" | grep -c '\.tmp\.')" 0
finish
