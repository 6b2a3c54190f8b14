#!/bin/sh
# tests/perf/test_parallel.sh — the parallel paths of issue #7 give the
# same bytes at any thread count: the parallel reader (a large file cut
# into pieces, many files in rounds, sessions spanning pieces and files),
# its fall back to the one-thread reader on problems (the same messages),
# many small pieces (DYADSEQ_PIECE_BYTES, so that seams fall everywhere),
# analyze at 1, 2 and 3 threads (3 oversubscribes a 2-core machine), and
# permutation tests (per-session seeds). Also a 300,000-event session.
# Correctness only: nothing here is timed. The inputs are as small as
# still makes each case: several rounds of the 1 MiB default pieces, and
# with 4 KiB pieces (DYADSEQ_PIECE_BYTES) over a thousand pieces and over
# a hundred rounds (the round size once overflowed after about 50).
. tests/lib.sh
TOP=$PWD
cd "$TMP" || exit 1
D=$DYADSEQ

# an OUT THREADS ARGS...: analyze into OUT.h5, run inside a directory of
# its own so that the command line (provenance) is the same for every OUT
an() {
    _o=$1 _t=$2
    shift 2
    rm -rf run && mkdir run &&
        (cd run && "$D" analyze "$@" -o out.h5 -t "$_t" -q >/dev/null 2>../$_o.err) &&
        mv run/out.h5 "$_o.h5" || not_ok "analyze $* -t $_t"
}

# a large single file: about 135,000 events, 5.4 MB, so several rounds of
# 1 MiB pieces; and the same study as one file per couple
"$D" simulate --couples 150 --sessions pre,mid,post --events 300 --seed 11 \
    -o big.csv >/dev/null 2>&1 || not_ok "simulate big.csv"
mkdir dir
"$D" simulate --couples 150 --sessions pre,mid,post --events 300 --seed 11 \
    -o dir/ >/dev/null 2>&1 || not_ok "simulate dir/"
check "the large file is over 5 MB" test "$(wc -c <big.csv)" -gt 5000000

for t in 1 2 3; do
    an big$t "$t" ../big.csv
    an dir$t "$t" ../dir --lags 1,2
done
check "one large file: identical at 1 and 2 threads" cmp big1.h5 big2.h5
check "one large file: identical at 1 and 3 threads" cmp big1.h5 big3.h5
check "450 files: identical at 1 and 2 threads" cmp dir1.h5 dir2.h5
check "450 files: identical at 1 and 3 threads" cmp dir1.h5 dir3.h5
"$D" export big1.h5 /lag/1/session/counts >big1.csv
an dirb 1 ../dir
"$D" export dirb.h5 /lag/1/session/counts >dir1.csv
check "one file and one file per couple give the same counts" cmp big1.csv dir1.csv

# validate reads on all cores; OMP_NUM_THREADS=1 is the one-thread reader
OMP_NUM_THREADS=1 "$D" validate big.csv >v1.out 2>&1
OMP_NUM_THREADS=2 "$D" validate big.csv >v2.out 2>&1
check "validate: same report from both readers" cmp v1.out v2.out

# -t reaches the reader through the options (issue 11): with -t 1 no
# command starts a thread, compare included (it used to read on all cores);
# only a results file larger than 4 MiB gets one that waits on the disk
# (outfile_sync.c), and the demo's is smaller
if command -v strace >/dev/null 2>&1; then
    demo=$TOP/datasets/demo
    clones() { # COMMAND...: the threads it starts (CLONE_THREAD: not
        # the helper process that LeakSanitizer clones at exit)
        strace -f -qq -e trace=clone,clone3 -o st.txt "$@" >/dev/null 2>&1
        grep -c CLONE_THREAD st.txt
    }
    check_eq "analyze -t 1 starts no thread" \
        "$(clones "$D" analyze -t 1 -o t1.h5 "$demo")" 0
    check_eq "compare -t 1 starts no thread" \
        "$(clones "$D" compare -t 1 --pre pre --post post -o t2.h5 "$demo")" 0
    n=$(clones "$D" compare -t 2 --pre pre --post post -o t3.h5 "$demo")
    check "compare -t 2 does start threads (the check can fail)" \
        test "$n" -gt 0
else
    for w in "analyze -t 1" "compare -t 1" "compare -t 2"; do
        ok "$w: threads started # SKIP no strace"
    done
fi

# a pipe given by name cannot be read twice: the parallel reader leaves it
# to the one-thread reader before reading it (it used to read it, meet the
# quoted field, and leave an empty pipe to the one-thread reader)
printf 'couple,session,actor,code,time\n"c1",pre,A,pursue,1\nc1,pre,B,bid,2\n' >qp.csv
OMP_NUM_THREADS=1 "$D" validate qp.csv >p1.out 2>&1
cat qp.csv | OMP_NUM_THREADS=2 "$D" validate /dev/stdin >p2.out 2>&1
check_eq "a pipe by name with a quoted field, 2 threads: valid" "$?" 0
check "  the same report as from a file" cmp p1.out p2.out

# tiny pieces (testing only): the 5.4 MB file crosses about 1,300 pieces
# and 170 rounds, with sessions cut at many seams
P=4096
DYADSEQ_PIECE_BYTES=$P an bigp 2 ../big.csv
check "4 KiB pieces: identical to the one-thread reader" cmp big1.h5 bigp.h5
DYADSEQ_PIECE_BYTES=$P OMP_NUM_THREADS=3 "$D" validate big.csv >vp.out 2>&1
check "4 KiB pieces, 3 threads: the same validate report" cmp v1.out vp.out
# no thread waits for a round to end, so a round's pieces and the next
# round's run at once; a file's chunks must still be hashed in order (the
# input's SHA-256 is in the file)
DYADSEQ_PIECE_BYTES=$P an bigp3 3 ../big.csv
check "4 KiB pieces, 3 threads: identical to the one-thread reader" \
    cmp big1.h5 bigp3.h5
DYADSEQ_PIECE_BYTES=$P an dirp3 3 ../dir --lags 1,2
check "450 files, 4 KiB pieces, 3 threads: identical" cmp dir1.h5 dirp3.h5
# lines three times as long as a piece, in a column the reader ignores,
# and no line feed after the last line: the parallel reader keeps them
# (it opens the file once; a fall back to the one-thread reader opens it
# again)
awk 'BEGIN { x = "x"; while (length(x) < 12000) x = x x }
    { print $0 "," (NR == 1 ? "note" : NR % 3001 ? "" : x) }' big.csv |
    head -c -1 >long.csv
an long1 1 ../long.csv
DYADSEQ_PIECE_BYTES=$P an long2 2 ../long.csv
check "lines longer than a piece, no last line feed: identical" \
    cmp long1.h5 long2.h5
if command -v strace >/dev/null 2>&1; then
    DYADSEQ_PIECE_BYTES=$P OMP_NUM_THREADS=2 strace -f -qq -e trace=open,openat \
        -o lo.txt "$D" validate long.csv >/dev/null 2>&1
    check_eq "  read by the parallel reader (opened once)" \
        "$(grep -c 'long.csv' lo.txt)" 1
else
    ok "  read by the parallel reader # SKIP no strace"
fi
# time going backwards inside a session, wherever the seams fall
awk -F, -v OFS=, 'NR % 997 == 0 { $5 = "0.001" } { print }' big.csv >back.csv
OMP_NUM_THREADS=1 "$D" validate back.csv >k1.out 2>&1
DYADSEQ_PIECE_BYTES=$P OMP_NUM_THREADS=2 "$D" validate back.csv >k2.out 2>&1
check "time going backwards, 4 KiB pieces: same report" cmp k1.out k2.out
check "  which reports it" grep -q "goes backwards within session" k2.out

# a session split over two files (and over pieces) with --merge
head -n 1 big.csv >h.csv
n=$(wc -l <big.csv)
half=$((n / 2))
mkdir m
{ cat h.csv; sed -n "2,${half}p" big.csv; } >m/a.csv
{ cat h.csv; sed -n "$((half + 1)),\$p" big.csv; } >m/b.csv
an m1 1 ../m --merge
an m2 2 ../m --merge
"$D" export m1.h5 /lag/1/session/counts >m1.csv
check "--merge over files: identical at 1 and 2 threads" cmp m1.h5 m2.h5
check "--merge: the same counts as the single file" cmp big1.csv m1.csv
# without --merge: the one-thread reader's message, from either reader
OMP_NUM_THREADS=1 "$D" validate m >d1.out 2>&1
DYADSEQ_PIECE_BYTES=$P OMP_NUM_THREADS=2 "$D" validate m >d2.out 2>&1
check "a session in two files: same message from both readers" cmp d1.out d2.out
check "  which names the other file" grep -q "also appears in m/a.csv" d2.out

# problems deep in a large file: the same messages (fallback)
awk -F, 'NR == 90000 { $4 = "pursew" } NR == 120000 { $5 = "-3" }
         NR == 102001 { $6 = "x" } { print }' OFS=, big.csv >bad.csv
OMP_NUM_THREADS=1 "$D" validate bad.csv >b1.out 2>&1
s1=$?
OMP_NUM_THREADS=2 "$D" validate bad.csv >b2.out 2>&1
s2=$?
check "bad rows deep in a large file: same report" cmp b1.out b2.out
check_eq "  and the same exit status" "$s2" "$s1"
check "  with the unknown code on its line" grep -q "bad.csv:90000: column 'code': unknown code 'pursew'" b2.out
# a quoted field and CRLF line ends
sed -e '3s/^\([^,]*\),/"\1",/' -e 's/$/\r/' big.csv >q.csv
an q1 1 ../q.csv
an q2 2 ../q.csv
"$D" export q2.h5 /lag/1/session/counts >q2.csv
check "quotes and CRLF: identical at 1 and 2 threads" cmp q1.h5 q2.h5
check "  and the same counts as without them" cmp big1.csv q2.csv

# permutation tests: per-session seeds, so any thread count (20 of the
# couples, 60 sessions: the reader is tested above, here the seeds)
mkdir perm
cp dir/*-0[1-9].csv dir/*-10.csv perm/
check_eq "permutations: 20 couples" "$(ls perm | wc -l | tr -d ' ')" 20
for t in 1 2 3; do
    an p$t "$t" ../perm --permutations 20 --seed 5
done
check "permutations: identical at 1 and 2 threads" cmp p1.h5 p2.h5
check "permutations: identical at 1 and 3 threads" cmp p1.h5 p3.h5
an p9 2 ../perm --permutations 20 --seed 6
"$D" export p1.h5 /lag/1/session/permutation_p >p1.csv
"$D" export p9.h5 /lag/1/session/permutation_p >p9.csv
if cmp -s p1.csv p9.csv; then not_ok "another seed gives other p-values"; else
    ok "another seed gives other p-values"; fi

# one session of 300,000 events (14 MB: many pieces, two rounds at 2
# threads)
"$D" simulate --couples 1 --sessions pre --events 300000 --seed 3 \
    -o one.csv >/dev/null 2>&1 || not_ok "simulate one.csv"
n=$(($(wc -l <one.csv) - 1))
an one1 1 ../one.csv
an one2 2 ../one.csv
check "a 300,000-event session: identical at 1 and 2 threads" cmp one1.h5 one2.h5
got=$("$D" export one2.h5 /sessions/n_events | awk -F, 'NR == 2 { print $NF }')
check_eq "  all its events are read" "$got" "$n"
sum=$("$D" export one2.h5 /lag/1/session/counts |
    awk -F, 'NR > 1 { s += $NF } END { print s }')
check_eq "  its lag-1 counts sum to n - 1" "$sum" "$((n - 1))"
finish
