#!/bin/sh
# tests/perf/test_hugepages.sh — large inputs restart the command with
# glibc's malloc asking for transparent huge pages (cli_hugepages.c,
# issue 16). Forced with DYADSEQ_HUGEPAGES=1 whatever the input size: the
# results file is byte-identical to a run without it, the messages and the
# exit status of a bad input are the same, and (where strace exists) the
# program was indeed started again with the tunable set, once.
. tests/lib.sh
TOP=$PWD
cd "$TMP" || exit 1
D=$DYADSEQ

for mode in 0 1; do
    mkdir "m$mode"
    # an option after the input: getopt reorders argv, the restart must
    # not (the command line is in the file)
    (cd "m$mode" && DYADSEQ_HUGEPAGES=$mode "$D" analyze -q -o out.h5 \
        "$TOP/datasets/demo" --lags 1,2 >out.txt 2>err.txt) ||
        not_ok "analyze with DYADSEQ_HUGEPAGES=$mode"
done
check "the file is byte-identical with and without the restart" \
    cmp m0/out.h5 m1/out.h5

printf 'couple,session,code\nc1,s1,pursue\nc1,s1,nonsense\n' >bad.csv
DYADSEQ_HUGEPAGES=0 "$D" validate bad.csv >bad0.out 2>bad0.err
s0=$?
DYADSEQ_HUGEPAGES=1 "$D" validate bad.csv >bad1.out 2>bad1.err
s1=$?
check_eq "a bad input: the same exit status" "$s1" "$s0"
check "a bad input: the same messages" cmp bad0.err bad1.err

if ldd "$D" 2>/dev/null | grep -q 'libasan\|libtsan'; then
    ok "started again once # SKIP a sanitizer build (it replaces malloc: no restart)"
    ok "... with huge pages and large arrays from the heap # SKIP a sanitizer build"
    ok "... the user's own mmap threshold kept # SKIP a sanitizer build"
    ok "DYADSEQ_HUGEPAGES=0: not started again # SKIP a sanitizer build"
elif command -v strace >/dev/null 2>&1 &&
    grep -qs '\[\(always\|madvise\)\]' /sys/kernel/mm/transparent_hugepage/enabled; then
    env -u GLIBC_TUNABLES DYADSEQ_HUGEPAGES=1 strace -f -v -s 1000 -e trace=execve \
        -o trace.txt "$D" validate "$TOP/datasets/demo" >/dev/null 2>&1
    check_eq "started again once" "$(grep -c 'execve(' trace.txt)" 2
    check_eq "... with huge pages and large arrays from the heap" \
        "$(grep -o '"GLIBC_TUNABLES=[^"]*"' trace.txt)" \
        '"GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.top_pad=16777216"'
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576 DYADSEQ_HUGEPAGES=1 \
        strace -f -v -s 1000 -e trace=execve -o trace1.txt \
        "$D" validate "$TOP/datasets/demo" >/dev/null 2>&1
    check_eq "... the user's own mmap threshold kept" \
        "$(grep -o '"GLIBC_TUNABLES=[^"]*"' trace1.txt | tail -1)" \
        '"GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576:glibc.malloc.hugetlb=1:glibc.malloc.top_pad=16777216"'
    env -u GLIBC_TUNABLES DYADSEQ_HUGEPAGES=0 strace -f -e trace=execve \
        -o trace0.txt "$D" validate "$TOP/datasets/demo" >/dev/null 2>&1
    check_eq "DYADSEQ_HUGEPAGES=0: not started again" \
        "$(grep -c 'execve(' trace0.txt)" 1
else
    ok "started again once # SKIP no strace or no transparent huge pages"
    ok "... with huge pages and large arrays from the heap # SKIP no strace or no transparent huge pages"
    ok "... the user's own mmap threshold kept # SKIP no strace or no transparent huge pages"
    ok "DYADSEQ_HUGEPAGES=0: not started again # SKIP no strace or no transparent huge pages"
fi
finish
