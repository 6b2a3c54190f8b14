#!/bin/sh
# tests/results/test_atomic.sh — a failed run leaves no output file behind
# and never truncates an existing one (SPEC 2): failures injected mid-write
# and at commit (DYADSEQ_FAULT, honoured for testing), an output directory
# that does not exist, a failure of simulate's CSV files before the rename,
# the directory fsync after the rename (strace, where it can trace), and —
# where a small file system can be mounted (as root) — a disk that fills up
# mid-write.
. tests/lib.sh
: "${UNIT_DIR:=build/tests-opt}"
FIX="$UNIT_DIR/test_results"

temps() { ls -a "$1" | grep -c '\.tmp\.' ; }

OUT="$TMP/out.h5"
echo "the previous results" >"$TMP/previous"
cp "$TMP/previous" "$OUT"
# the generated study makes 20 writes: 5 provenance attributes, the labels,
# the session names, chunked counts (9), residuals, g2, blocks (12), the
# sessions' columns and the codebook (20)
for fault in results_write:1 results_write:6 results_write:9 results_write:12 results_commit; do
    DYADSEQ_FAULT=$fault "$FIX" --write "$OUT" --sessions 600 2>"$TMP/err"
    check_eq "$fault: the run fails" "$?" 1
    check "$fault: the error says so" grep -q "injected fault" "$TMP/err"
    check "$fault: the existing file is unchanged" cmp -s "$OUT" "$TMP/previous"
    check_eq "$fault: no temporary is left" "$(temps "$TMP")" 0
done
DYADSEQ_FAULT=results_write:21 "$FIX" --write "$OUT" --sessions 600 2>"$TMP/err"
check_eq "the fault counter counts writes: a 21st write never comes" "$?" 0
rm -f "$OUT"
DYADSEQ_FAULT=results_write:3 "$FIX" --write "$OUT" 2>/dev/null
check "a failed run with no previous file leaves none" test ! -e "$OUT"
check_eq "... and no temporary" "$(temps "$TMP")" 0

"$FIX" --write "$TMP/none/out.h5" 2>"$TMP/err"
check_eq "a missing directory: the run fails" "$?" 1
check "a missing directory: the message names it" grep -q "in '$TMP/none/': No such file or directory" "$TMP/err"

"$FIX" --write "$OUT"
check "a good run writes the file" test -s "$OUT"
check "... that export reads" "$DYADSEQ" export "$OUT" /lag/1/pooled/g2
check_eq "... with no temporary left" "$(temps "$TMP")" 0

# the disk fails while the file is written: the background sync that runs
# meanwhile (outfile_sync.c, every 4 MiB: 6000 sessions make 8 MB) reports
# it, and the commit fails
cp "$TMP/previous" "$OUT"
DYADSEQ_FAULT=outfile_sync "$FIX" --write "$OUT" --sessions 6000 2>"$TMP/err"
check_eq "a failing background sync: the run fails" "$?" 1
check "... saying why" grep -q "out.h5': Input/output error" "$TMP/err"
check "... the existing file is unchanged" cmp -s "$OUT" "$TMP/previous"
check_eq "... no temporary is left" "$(temps "$TMP")" 0
rm -f "$OUT"

# simulate's CSV files go through the same save: a failure just before the
# renames leaves none of them, and not the directory it made
DYADSEQ_FAULT=outfile_publish "$DYADSEQ" simulate --couples 3 --events 20 \
    -o "$TMP/sim/" 2>"$TMP/err"
check_eq "simulate, failure before the renames: exit 1" "$?" 1
check "simulate: the error says so" grep -q "injected fault" "$TMP/err"
check "simulate: no file and no directory left" test ! -e "$TMP/sim"
DYADSEQ_FAULT=outfile_publish "$DYADSEQ" simulate --couples 2 --events 20 \
    -o "$TMP/one.csv" 2>/dev/null
check "simulate -o FILE: nothing left" test ! -e "$TMP/one.csv"
check_eq "simulate: no temporary left" "$(temps "$TMP")" 0

# the directory is fsynced after the rename (Redis fsyncFileDir): strace
# shows the rename (or, without --force, link) onto NAME, then the
# directory opened and that descriptor fsynced. dir_synced LOG DIR NAME: "yes" when it did.
dir_synced() {
    awk -v dir="$2" -v name="$3" '
        /(rename|link)/ && index($0, "/" name "\"") && / = 0$/ { renamed = 1; next }
        renamed && /O_DIRECTORY/ && index($0, "\"" dir "\"") { fd = $NF; next }
        fd != "" && index($0, "fsync(" fd ")") && / = 0$/ { ok = 1 }
        END { print ok ? "yes" : "no" }' "$1"
}
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
    strace -f -o "$TMP/st" -e trace=rename,renameat,renameat2,open,openat,fsync \
        "$FIX" --write "$OUT"
    check_eq "results file: the directory is fsynced after the rename" \
        "$(dir_synced "$TMP/st" "$TMP" out.h5)" yes
    strace -f -o "$TMP/st" -e trace=rename,renameat,renameat2,link,linkat,open,openat,fsync \
        "$DYADSEQ" simulate --couples 3 --events 20 -o "$TMP/sim2/"
    check_eq "simulate -o DIR/: the directory is fsynced after the renames" \
        "$(dir_synced "$TMP/st" "$TMP/sim2" distressed-01.csv)" yes
    # (opened for the sync; the sweep of stale temporaries opens it to
    # read, O_NONBLOCK|O_CLOEXEC|O_DIRECTORY, and syncs nothing)
    check_eq "... once, not once per file" \
        "$(grep -c 'O_RDONLY|O_DIRECTORY)' "$TMP/st")" 1
    # the temporary is fdatasynced while it is written, by another thread,
    # before the final fsync (which then has little left to wait for)
    strace -f -o "$TMP/st" -e trace=openat,fdatasync,fsync \
        "$FIX" --write "$OUT" --sessions 6000
    check_eq "results file: synced while written, before the final fsync" \
        "$(awk '/\.out\.h5\.tmp\..*O_EXCL/ { pid = $1; fd = $NF; next }
                fd != "" && $1 != pid && index($0, "fdatasync(" fd ")") && / = 0$/ { early = 1 }
                fd != "" && $1 == pid && index($0, "fsync(" fd ")") && / = 0$/ { print early ? "yes" : "no"; exit }' "$TMP/st")" yes
    rm -f "$OUT"
else
    ok "# skip: strace cannot trace here (the sync is unit-tested)"
fi

# a disk that fills up: a 4 MiB tmpfs, where root may mount one
MNT="$TMP/small-fs"
mkdir "$MNT"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null; then
    trap 'umount "$MNT" 2>/dev/null; rm -rf "$TMP"' EXIT
    cp "$TMP/previous" "$MNT/out.h5"
    "$FIX" --write "$MNT/out.h5" --sessions 3000 2>"$TMP/err"
    check_eq "disk full mid-write: exit 1 (no crash)" "$?" 1
    check "disk full: the message says so" grep -q "No space left on device" "$TMP/err"
    check "disk full: the existing file is unchanged" cmp -s "$MNT/out.h5" "$TMP/previous"
    check_eq "disk full: no temporary is left" "$(temps "$MNT")" 0
    # fill the disk to different levels: the run succeeds or fails cleanly,
    # wherever the disk runs out (data, metadata, the final flush)
    rm -f "$MNT/out.h5"
    bad=""
    for kb in 0 1000 2500 3000 3050 3500 4000 4090; do
        for n in 0 1500; do
            rm -f "$MNT/fill" "$MNT/out.h5"
            [ $kb -gt 0 ] && head -c ${kb}k /dev/zero >"$MNT/fill" 2>/dev/null
            "$FIX" --write "$MNT/out.h5" --sessions $n 2>/dev/null
            _s=$?
            if [ $_s -eq 0 ]; then
                "$DYADSEQ" export "$MNT/out.h5" /states/label >/dev/null 2>&1 ||
                    bad="$bad $kb/$n:unreadable"
            elif [ $_s -ne 1 ] || [ -e "$MNT/out.h5" ]; then
                bad="$bad $kb/$n:exit$_s"
            fi
            [ "$(temps "$MNT")" = 0 ] || bad="$bad $kb/$n:temporary"
        done
    done
    check_eq "disk full anywhere: exit 0 with a good file, or 1 with none" "$bad" ""
    umount "$MNT"
else
    skip "disk full anywhere: exit 0 with a good file, or 1 with none" \
        "cannot mount a small file system to fill (needs root)"
fi
finish
