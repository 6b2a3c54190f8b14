#!/bin/sh
# tests/mpi/test_mpi.sh — the MPI program (build/dyadseq-mpi, issue 16)
# under mpirun on this machine, against the serial program:
#   - analyze with 2 and 3 ranks writes a file identical in content to the
#     serial one (h5diff, attributes included; the same groups, datasets,
#     attributes in the same order with the same chunks and filters): the
#     demo study, permutation tests (per-session seeds), a study of very
#     uneven sessions, one session on 3 ranks (fewer sessions than ranks,
#     one file cut among the ranks), several lags and time windows,
#     observation periods (the interval sheet, converted);
#   - the ranks really read shares (-v says so);
#   - a bad input in one rank's share: the serial program's messages,
#     exit status 1 on every rank, no file; a write failure on one rank
#     only (DYADSEQ_FAULT_RANK): one message, exit 1 everywhere, no file;
#   - power shares its replications: the serial program's file and table;
#   - a command that is not shared (compare) runs on rank 0: the same
#     file as the serial program, every rank exits 0.
# Run by `make check-mpi` (and `make MPI=1 check`): MPI_TESTS=1 with
# DYADSEQ_MPI and DYADSEQ_SERIAL set; skipped otherwise. MPIRUN overrides
# the launcher (default: mpirun --allow-run-as-root --oversubscribe).
. tests/lib.sh
TOP=$PWD

N_CHECKS=28
skip_all() {
    i=0
    while [ $i -lt $N_CHECKS ]; do
        ok "MPI check $i # SKIP $1"
        i=$((i + 1))
    done
    finish
}
[ "${MPI_TESTS:-}" = 1 ] || skip_all "the MPI tests run with make check-mpi"
[ -x "${DYADSEQ_MPI:-}" ] || skip_all "no MPI program (make MPI=1)"
command -v mpirun >/dev/null 2>&1 || skip_all "no mpirun"
command -v h5diff >/dev/null 2>&1 || skip_all "no h5diff"
# (a hang, which a collective call missed on one rank would be, fails the
# test instead of the CI run)
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 300"
: "${MPIRUN:=$TIMEOUT mpirun --allow-run-as-root --oversubscribe}"
case "$DYADSEQ_MPI" in /*) ;; *) DYADSEQ_MPI=$TOP/$DYADSEQ_MPI ;; esac
: "${DYADSEQ_SERIAL:=$DYADSEQ}"
case "$DYADSEQ_SERIAL" in /*) ;; *) DYADSEQ_SERIAL=$TOP/$DYADSEQ_SERIAL ;; esac

cd "$TMP" || exit 1
# both programs as "dyadseq" on the PATH: the command line in the file
# (provenance) is then the same
mkdir sbin mbin
ln -s "$DYADSEQ_SERIAL" sbin/dyadseq
ln -s "$DYADSEQ_MPI" mbin/dyadseq
# each rank's exit status into status.RANK (then exit 0: mpirun stops the
# other ranks when one exits non-zero, before they could say theirs)
cat >mbin/ranked <<'EOF'
#!/bin/sh
dyadseq "$@"
echo "$?" >"status.${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-0}}"
EOF
chmod +x mbin/ranked

# serial NAME ARGS...: the serial program in NAME/s
serial() {
    _n=$1
    shift
    mkdir -p "$_n/s"
    (cd "$_n/s" && PATH="$TMP/sbin:$PATH" dyadseq "$@" >out.txt 2>err.txt;
        echo $? >status)
}
# parallel NAME NP ARGS...: the MPI program on NP ranks in NAME/NP
parallel() {
    _n=$1 _p=$2
    shift 2
    mkdir -p "$_n/$_p"
    (cd "$_n/$_p" && PATH="$TMP/mbin:$PATH" $MPIRUN -np "$_p" ranked "$@" \
        >out.txt 2>err.txt; echo $? >status)
}
# statuses NAME NP: every rank's exit status, sorted, one line
statuses() {
    cat "$1/$2"/status.* 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'
}
# same_file WHAT NAME NP: h5diff reports nothing, and the structure too
same_file() {
    if h5diff "$1/s/out.h5" "$1/$2/out.h5" >"$1/$2/h5diff.txt" 2>&1; then
        ok "$1, $2 ranks: identical to the serial file (h5diff)"
    else
        not_ok "$1, $2 ranks: identical to the serial file (h5diff)"
        head -20 "$1/$2/h5diff.txt" | sed 's/^/    # /'
    fi
}

# --- the demo study, 2 and 3 ranks; permutations; lags and windows -----
serial demo analyze -q -v -o out.h5 "$TOP/datasets/demo" --permutations 40 \
    --lags 1,2
for p in 2 3; do
    parallel demo "$p" analyze -q -v -o out.h5 "$TOP/datasets/demo" \
        --permutations 40 --lags 1,2
    check_eq "demo, $p ranks: every rank exits 0" "$(statuses demo $p)" \
        "$(seq 1 $p | sed 's/.*/0/' | tr '\n' ' ' | sed 's/ $//')"
    same_file demo "$p"
done
check "demo, 3 ranks: the ranks read shares of the input" \
    grep -q 'MPI processes read a share of the input each' demo/3/err.txt
if [ -n "${PY:-}" ] || /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
    cat >h5struct.py <<'EOF'
import sys, h5py
def walk(f):
    out = []
    def rec(g, path):
        out.append(('G', path, list(g.attrs.keys())))
        for name in g:
            o = g[name]
            p = path.rstrip('/') + '/' + name
            if isinstance(o, h5py.Group):
                rec(o, p)
            else:
                out.append(('D', p, o.shape, str(o.dtype), o.chunks,
                            o.compression, o.compression_opts, o.shuffle,
                            list(o.attrs.keys())))
    rec(f, '/')
    return out
a = walk(h5py.File(sys.argv[1], 'r'))
b = walk(h5py.File(sys.argv[2], 'r'))
sys.exit(0 if a == b else 1)
EOF
    check "demo, 3 ranks: the same objects, order, chunks and filters" \
        /usr/bin/python3 h5struct.py demo/s/out.h5 demo/3/out.h5
else
    ok "demo, 3 ranks: the same objects, order, chunks and filters # SKIP no h5py"
fi

# --- the compressed chunks: the serial writer's bytes ----------------------
# Parallel HDF5 compresses through its deflate filter, which the MPI
# program makes the serial writer's encoder (mpi_filter.c): every chunk of
# a number dataset is then stored byte for byte as the serial program
# stores it (strings are references into the file, which differ). 800
# sessions make [S, K, K] tables of three chunks, cut between the ranks.
"$DYADSEQ_SERIAL" simulate -q --couples 400 --events 12 --seed 5 \
    -o "$TMP/many.csv" || echo "simulate failed" >&2
serial many analyze -q -o out.h5 "$TMP/many.csv"
for p in 2 3; do
    parallel many "$p" analyze -q -o out.h5 "$TMP/many.csv"
done
if [ -n "${PY:-}" ] || /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
    cat >h5chunks.py <<'EOF'
import sys, h5py
a, b = h5py.File(sys.argv[1], 'r'), h5py.File(sys.argv[2], 'r')
seen = [0, 0]  # chunks compared, [S, K, K] datasets of several chunks
def visit(name, d):
    if not isinstance(d, h5py.Dataset) or not d.chunks or d.dtype.kind == 'O':
        return
    for i in range(d.id.get_num_chunks()):
        at = d.id.get_chunk_info(i).chunk_offset
        if d.id.read_direct_chunk(at) != b[name].id.read_direct_chunk(at):
            sys.exit('%s: chunk at %s differs' % (name, at))
        seen[0] += 1
    seen[1] += len(d.shape) == 3 and d.id.get_num_chunks() > 1
a.visititems(visit)
sys.exit(0 if seen[0] and seen[1] else 'no chunked tables to compare')
EOF
    for p in 2 3; do
        check "$p ranks: every number chunk as the serial writer stores it" \
            /usr/bin/python3 h5chunks.py many/s/out.h5 "many/$p/out.h5"
    done
else
    for p in 2 3; do
        ok "$p ranks: every number chunk as the serial writer stores it # SKIP no h5py"
    done
fi

# --- very uneven sessions: one couple of 2 x ~30,000 events, six of ~10 --
mkdir uneven
"$DYADSEQ_SERIAL" simulate -q --couples 1 --groups big:0.5 --events 30000 \
    --seed 3 -o uneven/ && "$DYADSEQ_SERIAL" simulate -q --couples 6 \
    --groups small:0.5 --events 10 --seed 4 -o uneven/ ||
    not_ok "simulate the uneven study"
serial uneven analyze -q -o out.h5 "$TMP/uneven" --permutations 20
for p in 2 3; do
    parallel uneven "$p" analyze -q -o out.h5 "$TMP/uneven" --permutations 20
    same_file uneven "$p"
done

# --- one session on 3 ranks: fewer sessions than ranks, one file cut ---
"$DYADSEQ_SERIAL" simulate -q --couples 1 --sessions only --events 20000 \
    --seed 5 -o one.csv || not_ok "simulate one session"
serial one analyze -q -o out.h5 "$TMP/one.csv" --window=0:2
parallel one 3 analyze -q -o out.h5 "$TMP/one.csv" --window=0:2
same_file one 3
check_eq "one session, 3 ranks: every rank exits 0" "$(statuses one 3)" \
    "0 0 0"

# --- observation periods (start, end), one file cut among 3 ranks -------
"$DYADSEQ_SERIAL" convert -q --from intervals --interval 5 \
    --code A:pursue=A_pursue --code B:withdraw=B_withdraw \
    --code B:pursue=B_pursue --code A:withdraw=A_withdraw \
    "$TOP/datasets/intervals/sheet.csv" -o periods.csv ||
    not_ok "convert the interval sheet"
serial periods analyze -q -v -o out.h5 "$TMP/periods.csv" --time-unit 5 \
    --window 1:1 --window-edges drop
parallel periods 3 analyze -q -v -o out.h5 "$TMP/periods.csv" --time-unit 5 \
    --window 1:1 --window-edges drop
same_file periods 3
check "observation periods, 3 ranks: read in shares" \
    grep -q 'MPI processes read a share of the input each' periods/3/err.txt

# --- a bad input in the last rank's share --------------------------------
awk 'NR == 15000 { sub(/,[AB],/, ",Q,") } { print }' one.csv >bad.csv
serial bad analyze -q -o out.h5 "$TMP/bad.csv"
parallel bad 3 analyze -q -o out.h5 "$TMP/bad.csv"
check_eq "bad input: the serial program exits 1" "$(cat bad/s/status)" 1
check_eq "bad input, 3 ranks: every rank exits 1" "$(statuses bad 3)" \
    "1 1 1"
grep '^dyadseq' bad/3/err.txt >bad/3/msg.txt
check "bad input, 3 ranks: the serial program's messages, once" \
    cmp bad/s/err.txt bad/3/msg.txt
check "bad input: no file" test ! -e bad/3/out.h5
check_eq "bad input: the message names the line" \
    "$(grep -c 'bad.csv:15000: column .actor.: unknown actor .Q.' bad/3/err.txt)" 1

# --- a write that fails on rank 1 only -----------------------------------
mkdir -p fault/3
(cd fault/3 && DYADSEQ_FAULT=results_write:40 DYADSEQ_FAULT_RANK=1 \
    PATH="$TMP/mbin:$PATH" $MPIRUN -x DYADSEQ_FAULT -x DYADSEQ_FAULT_RANK \
    -np 3 ranked analyze -q -o out.h5 "$TOP/datasets/demo" >out.txt 2>err.txt)
check_eq "a write failing on rank 1: every rank exits 1" \
    "$(statuses fault 3)" "1 1 1"
check_eq "a write failing on rank 1: one message" \
    "$(grep -c '^dyadseq: error: .*injected fault' fault/3/err.txt)" 1
check "a write failing on rank 1: no file, no temporary" \
    test -z "$(ls -A fault/3 | grep -v -e '^out.txt$' -e '^err.txt$' -e '^status')"

# --- power: the replications shared among the ranks ---------------------
serial pow power --metric 'response_rate[A->B]' --couples 8,16 --events 80 \
    --replications 30 -o out.h5
parallel pow 3 power --metric 'response_rate[A->B]' --couples 8,16 \
    --events 80 --replications 30 -o out.h5
same_file pow 3
check "power, 3 ranks: the serial program's table" cmp pow/s/out.txt \
    pow/3/out.txt

# --- a command that is not shared: compare on rank 0 ---------------------
serial cmp compare -q --pre pre --post post -o out.h5 "$TOP/datasets/demo"
parallel cmp 2 compare -q --pre pre --post post -o out.h5 "$TOP/datasets/demo"
same_file cmp 2
check_eq "compare, 2 ranks: every rank exits 0" "$(statuses cmp 2)" "0 0"

# --- mpirun's binding: one process on one of several cores ----------------
# Open MPI binds a lone process to one core, where its threads would
# share it; the program says so (not with -q), and not when it is free.
if [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ]; then
    parallel bind 1 analyze -o out.h5 "$TOP/datasets/demo" --no-progress
    check "one rank bound to one core: a note says how to free it" \
        grep -q '^dyadseq: note: mpirun bound this process to 1 of the .* --bind-to none' \
        bind/1/err.txt
    (cd bind && mkdir -p free && cd free &&
        PATH="$TMP/mbin:$PATH" $MPIRUN --bind-to none -np 1 ranked analyze \
            -o out.h5 "$TOP/datasets/demo" --no-progress >out.txt 2>err.txt)
    check "one rank, --bind-to none: no note about binding" \
        test -z "$(grep 'mpirun bound' bind/free/err.txt)"
else
    skip "one rank bound to one core: a note says how to free it" \
        "one core"
    skip "one rank, --bind-to none: no note about binding" "one core"
fi
finish
