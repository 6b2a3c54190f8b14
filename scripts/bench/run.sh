#!/bin/sh
# run.sh — `make bench` (issue #7): how fast dyadseq is, against the floor
# libcsv sets and against the base-R scripts researchers write today.
#
# Simulates three corpora with `dyadseq simulate` into a temporary
# directory (removed at exit), times every measurement BENCH_REPS times,
# interleaved so that other load on the machine hits all of them alike, and
# reports medians: a Markdown table on standard output and in results/bench.md
# (and between the <!-- bench:begin --> / <!-- bench:end --> markers of
# README.md, when it has them). docs/performance.md explains every figure.
#
# Settings (environment):
#   BENCH_EVENTS=2000000      events of the main corpus (10000000: the large one)
#   BENCH_SESSION_EVENTS=250  events per session in the main and R corpora
#   BENCH_R_EVENTS=200000     events of the corpus for the base-R lag-1 script
#   BENCH_PERM_COUPLES=40     demo-sized permutation corpus: 40 couples x
#   BENCH_PERM_EVENTS=450       pre,post x 450 events = 80 sessions
#   BENCH_PERMS=1000          permutations for dyadseq
#   BENCH_R_PERMS=1000        permutations for the base-R loop (~10-20 s a run)
#   BENCH_REPS=3              runs per figure (the median is reported)
#   BENCH_THREADS=$(nproc)    "all cores"
#   BENCH_SEED=7              simulate's seed
#   BENCH_E2E_EVENTS=1000000  the end-to-end corpus (issue 16): analyze at 1
#                             and all threads against the floor, same files
#   BENCH_E2E_REPS=3*BENCH_REPS  runs of that trio (figures 7a-7c): under a
#                             second each, so more of them than of the
#                             other figures, for medians that a passing
#                             disturbance of the host moves less
#   BENCH_E2E_WARMUP=0        1: each timed run of that trio follows an
#                             untimed run of the same command, so that no
#                             figure depends on what ran just before it (on
#                             the development machine a two-thread run
#                             after a one-thread run took 10-20 ms longer
#                             than after another two-thread run;
#                             docs/performance.md, eighth pass)
#   BENCH_MPI_RANKS="1 2 3"   ranks of the MPI program on the main corpus
#   BENCH_LARGE_EVENTS=10000000  a corpus for figure 4b alone: one analyze
#                             at all threads, its peak memory against issue
#                             7's budget, which is stated for this size (0:
#                             skip; it needs about 430 MB of BENCH_TMP)
#   BENCH_PIN=auto            auto: time each core alone (the floor pinned to
#                             it, figure 7d), then run the floor and every
#                             one-thread analyze on the fastest core; 0: never
#                             pin (needs taskset, util-linux)
#   BENCH_OUT=results/bench.md
#   DYADSEQ=build/dyadseq  PARSE_FLOOR=build/bench/parse_floor  (set by make)
#   DYADSEQ_MPI=build/dyadseq-mpi  the MPI program, when built (make MPI=1);
#                             without it the MPI rows read n/a
#   MPIRUN="mpirun --oversubscribe --bind-to none --mca pml ob1"
#                             (--allow-run-as-root added for root). Without
#                             --bind-to none Open MPI binds a lone process
#                             to one core, where its threads would share it
#                             (the program says so); pml ob1 is Open MPI's
#                             transport for processes of one machine, where
#                             the default (UCX) spends about 0.2 s of each
#                             start probing for network hardware
#
# Needs: POSIX sh, awk, GNU date (%N), GNU time (/usr/bin/time -v) for memory,
# Rscript for figures 5 and 6 (each is reported n/a when missing).
set -u

: "${DYADSEQ:=build/dyadseq}"
: "${PARSE_FLOOR:=build/bench/parse_floor}"
: "${BENCH_EVENTS:=2000000}"
: "${BENCH_SESSION_EVENTS:=250}"
: "${BENCH_R_EVENTS:=200000}"
: "${BENCH_PERM_COUPLES:=40}"
: "${BENCH_PERM_EVENTS:=450}"
: "${BENCH_PERMS:=1000}"
: "${BENCH_R_PERMS:=1000}"
: "${BENCH_REPS:=3}"
: "${BENCH_THREADS:=$(nproc 2>/dev/null || echo 1)}"
: "${BENCH_SEED:=7}"
: "${BENCH_OUT:=results/bench.md}"
: "${BENCH_E2E_EVENTS:=1000000}"
: "${BENCH_E2E_REPS:=}"
: "${BENCH_E2E_WARMUP:=0}"
: "${BENCH_MPI_RANKS:=1 2 3}"
: "${DYADSEQ_MPI:=}"
: "${BENCH_PIN:=auto}"
: "${BENCH_LARGE_EVENTS:=10000000}"
if [ -z "${MPIRUN:-}" ]; then
    MPIRUN="mpirun --oversubscribe --bind-to none --mca pml ob1"
    [ "$(id -u)" -eq 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
fi
GNU_TIME=${GNU_TIME:-/usr/bin/time}
HERE=$(dirname "$0")

die() {
    echo "bench: error: $*" >&2
    exit 1
}

for v in BENCH_EVENTS BENCH_SESSION_EVENTS BENCH_R_EVENTS BENCH_PERM_COUPLES \
         BENCH_PERM_EVENTS BENCH_PERMS BENCH_R_PERMS BENCH_REPS BENCH_THREADS \
         BENCH_SEED BENCH_E2E_EVENTS BENCH_LARGE_EVENTS; do
    val=$(eval "echo \"\${$v}\"")
    case "$val" in
        '' | *[!0-9]*) die "$v must be a whole number, not '$val'" ;;
    esac
done
[ -n "$BENCH_E2E_REPS" ] || BENCH_E2E_REPS=$((3 * BENCH_REPS))
case "$BENCH_E2E_REPS" in
    '' | *[!0-9]*) die "BENCH_E2E_REPS must be a whole number, not '$BENCH_E2E_REPS'" ;;
esac
[ "$BENCH_REPS" -ge 1 ] && [ "$BENCH_THREADS" -ge 1 ] &&
    [ "$BENCH_SESSION_EVENTS" -ge 2 ] && [ "$BENCH_PERMS" -ge 1 ] &&
    [ "$BENCH_R_PERMS" -ge 1 ] && [ "$BENCH_E2E_REPS" -ge 1 ] || die "BENCH_REPS, BENCH_E2E_REPS, BENCH_THREADS and BENCH_*PERMS must be >= 1, BENCH_SESSION_EVENTS >= 2"

[ -x "$DYADSEQ" ] || die "$DYADSEQ not found; run 'make' first"
[ -x "$PARSE_FLOOR" ] || die "$PARSE_FLOOR not found; run 'make bench'"
date +%s%N | grep -q '^[0-9]*$' || die "needs GNU date (date +%s%N)"

# A command exists when `dyadseq CMD --help` succeeds (unknown ones exit 2).
has_command() { "$DYADSEQ" "$1" --help >/dev/null 2>&1; }

has_command simulate ||
    die "$DYADSEQ has no 'simulate' command yet: the benchmark corpora are made with it (merge the simulate branch and rebuild)"
HAVE_ANALYZE=1
has_command analyze || HAVE_ANALYZE=0
HAVE_R=1
command -v Rscript >/dev/null 2>&1 || HAVE_R=0
[ -x "$GNU_TIME" ] && "$GNU_TIME" -v true >/dev/null 2>&1 || GNU_TIME=

if [ "$HAVE_ANALYZE" -eq 0 ]; then
    NA_ANALYZE="n/a (analyze not built)"
    echo "bench: warning: $DYADSEQ has no 'analyze' command yet; its figures will read '$NA_ANALYZE'" >&2
fi
[ "$HAVE_R" -eq 1 ] ||
    echo "bench: warning: Rscript not found; the base-R comparisons will read 'n/a (R not installed)'" >&2
[ -n "$GNU_TIME" ] ||
    echo "bench: warning: GNU time (/usr/bin/time -v) not found; memory will read n/a" >&2

T=$(mktemp -d "${TMPDIR:-/tmp}/dyadseq-bench.XXXXXX") || die "cannot make a temporary directory"
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
START=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
FAILED=""

log() { echo "bench: $*" >&2; }

# --- helpers -----------------------------------------------------------------

# num EXPR VAR=VALUE...: evaluate an awk expression; empty if a value is empty.
num() {
    expr=$1
    shift
    for a in "$@"; do
        case "$a" in *=) echo ""; return ;; esac
    done
    for a in "$@"; do
        shift
        set -- "$@" -v "$a"
    done
    awk "$@" "BEGIN { printf \"%.6g\", $expr }" </dev/null
}

# commas N: N with thousands separators.
commas() {
    awk -v n="$1" 'BEGIN { s = n ""; o = ""
        while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
        print s o }'
}

# median FILE: the median of the numbers in FILE, one a line (empty if none).
median() {
    [ -s "$1" ] || return 0
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.6g", v[(NR + 1) / 2];
        else printf "%.6g", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# least FILE: the smallest of the numbers in FILE (empty if none): the
# run least slowed by other work on a shared machine.
least() {
    [ -s "$1" ] || return 0
    sort -g "$1" | awk 'NR == 1 { printf "%.6g", $1 }'
}

# field KEY FILE: the value after KEY in a "key value key value" line.
field() {
    awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$2"
}

# phase NAME FILE: seconds of phase NAME from analyze's -v line
#   dyadseq: time: parse 0.123 s, compute 0.456 s, write 0.078 s
# (any phases, in any order; the last such line counts). Empty if absent.
phase() {
    sed -n 's/^dyadseq: time: //p' "$2" | tail -n 1 | tr ',' '\n' |
        awk -v n="$1" '$1 == n && $3 == "s" && $2 ~ /^[0-9.eE+-]+$/ { print $2 }'
}

# run TAG CMD...: run CMD with stdout in $T/TAG.out, stderr in $T/TAG.err and
# GNU time's report in $T/TAG.time; append the wall seconds to $T/TAG.wall
# and the peak RSS (KiB) to $T/TAG.rss. Returns CMD's exit status.
run() {
    tag=$1
    shift
    t0=$(date +%s%N)
    if [ -n "$GNU_TIME" ]; then
        "$GNU_TIME" -v -o "$T/$tag.time" "$@" >"$T/$tag.out" 2>"$T/$tag.err"
    else
        "$@" >"$T/$tag.out" 2>"$T/$tag.err"
    fi
    st=$?
    t1=$(date +%s%N)
    if [ "$st" -eq 0 ]; then
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }' >>"$T/$tag.wall"
        [ -n "$GNU_TIME" ] &&
            sed -n 's/^.*Maximum resident set size (kbytes): //p' "$T/$tag.time" >>"$T/$tag.rss"
    fi
    return "$st"
}

# fail TAG WHAT: report a failed command once and remember it.
fail() {
    case " $FAILED " in *" $1 "*) return ;; esac
    FAILED="$FAILED $1"
    echo "bench: error: $2 failed; its standard error ends:" >&2
    tail -n 5 "$T/$1.err" | sed 's/^/    /' >&2
}
failed() { case " $FAILED " in *" $1 "*) return 0 ;; esac; return 1; }

# cmd TEXT: remember a command line for the report, with $T spelled $BENCH_TMP.
cmd() {
    printf '%s\n' "$*" | sed -e "s|$T|\$BENCH_TMP|g" -e 's/ *$//' >>"$T/commands"
}

# analyze TAG INPUT THREADS [OPTIONS...]: one timed analyze run, phases kept.
# Issue #7's default options: lag 1, time windows off (they are on by
# default when the input has times, hence --no-window), responsiveness,
# cycles; with WINDOWS=1 analyze's own defaults, windows on (figure 7e).
WINDOWS=0
analyze() {
    atag=$1 input=$2 th=$3
    shift 3
    failed "$atag" && return 1
    pin=""
    [ "$th" -eq 1 ] && pin=$PIN
    nowin="--no-window"
    [ "$WINDOWS" -eq 1 ] && nowin=""
    [ "$REP" -eq 1 ] && cmd "$pin${pin:+ }$DYADSEQ analyze $input -o $T/out.h5 -t $th${nowin:+ }$nowin --no-progress -v $*"
    # shellcheck disable=SC2086 # $pin is empty or "taskset -c N"; $nowin empty or one word
    if run "$atag" $pin "$DYADSEQ" analyze "$input" -o "$T/out.h5" -t "$th" $nowin --no-progress -v "$@"; then
        for ph in parse compute write; do
            v=$(phase "$ph" "$T/$atag.err")
            [ -n "$v" ] && echo "$v" >>"$T/$atag.$ph"
        done
    else
        fail "$atag" "dyadseq analyze ($atag)"
    fi
    rm -f "$T/out.h5"
}

# warm_up THREADS: the end-to-end run at THREADS, untimed (BENCH_E2E_WARMUP).
warm_up() {
    pin=""
    [ "$1" -eq 1 ] && pin=$PIN
    # shellcheck disable=SC2086 # $pin is empty or "taskset -c N"
    $pin "$DYADSEQ" analyze "$T/e2e" -o "$T/out.h5" -t "$1" --no-window \
        --no-progress -q >/dev/null 2>&1
    rm -f "$T/out.h5"
}

# --- corpora -----------------------------------------------------------------

SE=$BENCH_SESSION_EVENTS
per_couple=$((2 * SE))
MAIN_COUPLES=$(((BENCH_EVENTS + per_couple - 1) / per_couple))
R_COUPLES=$(((BENCH_R_EVENTS + per_couple - 1) / per_couple))
PERM_SESSIONS=$((2 * BENCH_PERM_COUPLES))

# simulate NAME COUPLES EVENTS_PER_SESSION
simulate() {
    log "simulating $1 corpus: $2 couples x pre,post x $3 events"
    cmd "$DYADSEQ simulate --couples $2 --sessions pre,post --events $3 --seed $BENCH_SEED -o $T/$1"
    "$DYADSEQ" simulate --couples "$2" --sessions pre,post --events "$3" \
        --seed "$BENCH_SEED" -o "$T/$1" >"$T/sim.out" 2>"$T/sim.err" || {
        tail -n 5 "$T/sim.err" >&2
        die "dyadseq simulate failed"
    }
    # count what was written (and warm the page cache for every later run)
    "$PARSE_FLOOR" "$T/$1" >"$T/$1.count" || die "cannot read the $1 corpus"
}
simulate main "$MAIN_COUPLES" "$SE"
simulate e2e "$(((BENCH_E2E_EVENTS + per_couple - 1) / per_couple))" "$SE"
simulate r "$R_COUPLES" "$SE"
simulate perm "$BENCH_PERM_COUPLES" "$BENCH_PERM_EVENTS"

# events = rows - one header row per file
events_of() { awk '{ for (i = 1; i < NF; i++) { if ($i == "rows") r = $(i + 1); if ($i == "files") f = $(i + 1) } } END { print r - f }' "$T/$1.count"; }
N_MAIN=$(events_of main)
N_E2E=$(events_of e2e)
N_R=$(events_of r)
N_PERM=$(events_of perm)
BYTES_MAIN=$(field bytes "$T/main.count")
FILES_MAIN=$(field files "$T/main.count")
want=$((MAIN_COUPLES * per_couple))
if [ "$N_MAIN" -lt $((want * 9 / 10)) ] || [ "$N_MAIN" -gt $((want * 11 / 10)) ]; then
    log "warning: simulate wrote $N_MAIN events where $want were asked for (is --events per session?); figures use the $N_MAIN counted"
fi

# --- the cores ---------------------------------------------------------------

# A virtual machine's cores need not be equally fast: a host may run other
# work on the physical core behind one of them. Time the floor pinned to
# each core this process may use (the first BENCH_THREADS), and pin every
# one-thread measurement to the fastest, so that the one-thread figures do
# not depend on where the scheduler put the process, and figure 7c can be
# read against what the cores allow: perfectly parallel work on them runs
# at most (sum of their speeds) / (the fastest one's) times as fast.
PIN="" CORE_LIST=""
cpu_list() { # taskset's "0-3,6" as "0 1 2 3 6"
    taskset -cp $$ 2>/dev/null | sed 's/.*: *//' | tr ',' '\n' |
        awk -F- 'NF == 2 { for (i = $1; i <= $2; i++) print i; next } NF == 1 && $1 != "" { print $1 }'
}
if [ "$BENCH_PIN" != 0 ] && command -v taskset >/dev/null 2>&1; then
    CORE_LIST=$(cpu_list | head -n "$BENCH_THREADS" | tr '\n' ' ')
fi
# time_cores OUT: the floor pinned to each core of CORE_LIST, BENCH_REPS
# times, into OUT as "core median-seconds", a line per core timed
time_cores() {
    for c in $CORE_LIST; do rm -f "$T/core$c.secs"; done
    REP=1
    while [ "$REP" -le "$BENCH_REPS" ]; do
        for c in $CORE_LIST; do
            run "core$c" taskset -c "$c" "$PARSE_FLOOR" "$T/e2e" &&
                field seconds "$T/core$c.out" >>"$T/core$c.secs"
        done
        REP=$((REP + 1))
    done
    for c in $CORE_LIST; do
        s_=$(median "$T/core$c.secs")
        [ -n "$s_" ] && echo "$c $s_"
    done >"$1"
}
# fastest FILE: the core of time_cores' FILE with the shortest time
fastest() { sort -k2,2g "$1" | awk 'NR == 1 { print $1 }'; }
if [ -n "$CORE_LIST" ]; then
    log "timing the floor on each core: $CORE_LIST"
    time_cores "$T/cores" # to pin the one-thread runs to the fastest
    # (again before the end-to-end runs, figure 7d)
    FAST=$(fastest "$T/cores")
    [ -n "$FAST" ] && PIN="taskset -c $FAST"
fi

# --- measurements ----------------------------------------------------------

cmd "$PIN${PIN:+ }$PARSE_FLOOR $T/main"
cmd "$DYADSEQ validate $T/main"
REP=1
while [ "$REP" -le "$BENCH_REPS" ]; do
    log "run $REP of $BENCH_REPS: parse floor, validate, analyze at 1 and $BENCH_THREADS threads ($N_MAIN events)"
    # shellcheck disable=SC2086
    if run floor $PIN "$PARSE_FLOOR" "$T/main"; then
        field seconds "$T/floor.out" >>"$T/floor.secs"
    else
        fail floor "parse_floor"
    fi
    failed validate || run validate "$DYADSEQ" validate "$T/main" ||
        fail validate "dyadseq validate"
    if [ "$HAVE_ANALYZE" -eq 1 ]; then
        analyze a1 "$T/main" 1
        analyze aN "$T/main" "$BENCH_THREADS"
    fi
    REP=$((REP + 1))
done

# End to end (issue 16): process start to exit (the file closed and
# renamed), default options as above, 1 and all threads, against the floor
# on the same files.
# The cores are timed right before these runs and right after figure
# 7e's (figure 7d), so that 7a-7e are known to compare runs made at the
# same speeds, or said not to.
if [ "$HAVE_ANALYZE" -eq 1 ]; then
    if [ -n "$CORE_LIST" ]; then
        log "timing the floor on each core before the end-to-end runs"
        time_cores "$T/cores_e2e"
        # their one-thread runs on the core that is fastest now
        FAST_E2E=$(fastest "$T/cores_e2e")
        [ -n "$FAST_E2E" ] && FAST=$FAST_E2E && PIN="taskset -c $FAST"
    fi
    cmd "$PIN${PIN:+ }$PARSE_FLOOR $T/e2e"
    REP=1
    while [ "$REP" -le "$BENCH_E2E_REPS" ]; do
        log "run $REP of $BENCH_E2E_REPS: end to end at 1 and $BENCH_THREADS threads ($N_E2E events)"
        # shellcheck disable=SC2086
        if run efloor $PIN "$PARSE_FLOOR" "$T/e2e"; then
            field seconds "$T/efloor.out" >>"$T/efloor.secs"
        else
            fail efloor "parse_floor"
        fi
        [ "$BENCH_E2E_WARMUP" = 1 ] && warm_up 1
        analyze e1 "$T/e2e" 1
        [ "$BENCH_E2E_WARMUP" = 1 ] && warm_up "$BENCH_THREADS"
        analyze eN "$T/e2e" "$BENCH_THREADS"
        REP=$((REP + 1))
    done
    # Figure 7e: the same with analyze's own defaults, time windows on (as
    # for any input with times), BENCH_REPS runs at 1 and all threads.
    WINDOWS=1
    REP=1
    while [ "$REP" -le "$BENCH_REPS" ]; do
        log "run $REP of $BENCH_REPS: end to end with time windows at 1 and $BENCH_THREADS threads"
        analyze w1 "$T/e2e" 1
        analyze wN "$T/e2e" "$BENCH_THREADS"
        REP=$((REP + 1))
    done
    WINDOWS=0
    # the cores again: a host whose cores changed speed during 7a-7e
    # (other guests on their physical cores) makes the one-thread and the
    # all-thread runs incomparable, and figure 7d says so
    if [ -n "$CORE_LIST" ]; then
        log "timing the floor on each core after the end-to-end runs"
        time_cores "$T/cores_end"
    fi
fi

# Figure 4b: the memory target at the size it is stated for. One run at
# all threads (its peak does not vary between runs the way times do), on a
# corpus of BENCH_LARGE_EVENTS made for it and removed after it. Skipped
# when that is not larger than the main corpus.
N_LARGE=""
if [ "$HAVE_ANALYZE" -eq 1 ] && [ -n "$GNU_TIME" ] &&
    [ "$BENCH_LARGE_EVENTS" -gt "$N_MAIN" ]; then
    simulate large "$(((BENCH_LARGE_EVENTS + per_couple - 1) / per_couple))" "$SE"
    N_LARGE=$(events_of large)
    REP=1
    log "peak memory of analyze at $BENCH_THREADS threads ($N_LARGE events)"
    analyze aL "$T/large" "$BENCH_THREADS"
    rm -rf "$T/large"
fi

# The MPI program on the main corpus, 1, 2, 3 ranks (its threads: the
# cores shared among the ranks, at least one each).
HAVE_MPI=0
NA_MPI="n/a (no MPI program: make MPI=1)"
if [ -n "$DYADSEQ_MPI" ] && [ -x "$DYADSEQ_MPI" ] &&
    command -v mpirun >/dev/null 2>&1; then
    HAVE_MPI=1
fi
if [ "$HAVE_MPI" -eq 1 ] && [ "$HAVE_ANALYZE" -eq 1 ]; then
    REP=1
    while [ "$REP" -le "$BENCH_REPS" ]; do
        for np in $BENCH_MPI_RANKS; do
            log "run $REP of $BENCH_REPS: MPI, $np rank(s) ($N_MAIN events)"
            tag=mpi$np
            [ "$REP" -eq 1 ] && cmd "$MPIRUN -np $np $DYADSEQ_MPI analyze $T/main -o $T/out.h5 --no-window --no-progress -q"
            failed "$tag" || run "$tag" $MPIRUN -np "$np" "$DYADSEQ_MPI" \
                analyze "$T/main" -o "$T/out.h5" --no-window --no-progress -q ||
                fail "$tag" "mpirun -np $np dyadseq-mpi analyze"
            rm -f "$T/out.h5"
        done
        REP=$((REP + 1))
    done
fi

if [ "$HAVE_R" -eq 1 ] || [ "$HAVE_ANALYZE" -eq 1 ]; then
    REP=1
    [ "$HAVE_R" -eq 1 ] && cmd "Rscript $HERE/lag1.R $T/r"
    while [ "$REP" -le "$BENCH_REPS" ]; do
        log "run $REP of $BENCH_REPS: lag-1 in base R and in dyadseq ($N_R events)"
        if [ "$HAVE_R" -eq 1 ] && ! failed rlag; then
            if run rlag Rscript "$HERE/lag1.R" "$T/r"; then
                field total_s "$T/rlag.out" >>"$T/rlag.secs"
            else
                fail rlag "Rscript lag1.R"
            fi
        fi
        [ "$HAVE_ANALYZE" -eq 1 ] && analyze ar "$T/r" "$BENCH_THREADS"
        REP=$((REP + 1))
    done

    REP=1
    [ "$HAVE_R" -eq 1 ] && cmd "Rscript $HERE/perm.R $BENCH_R_PERMS $BENCH_SEED $T/perm"
    while [ "$REP" -le "$BENCH_REPS" ]; do
        log "run $REP of $BENCH_REPS: permutations, base R ($BENCH_R_PERMS) and dyadseq ($BENCH_PERMS), $PERM_SESSIONS sessions"
        if [ "$HAVE_R" -eq 1 ] && ! failed rperm; then
            if run rperm Rscript "$HERE/perm.R" "$BENCH_R_PERMS" "$BENCH_SEED" "$T/perm"; then
                field per_session_perm_us "$T/rperm.out" >>"$T/rperm.us"
            else
                fail rperm "Rscript perm.R"
            fi
        fi
        if [ "$HAVE_ANALYZE" -eq 1 ]; then
            analyze p0_1 "$T/perm" 1 --permutations 0 --seed "$BENCH_SEED"
            analyze pM_1 "$T/perm" 1 --permutations "$BENCH_PERMS" --seed "$BENCH_SEED"
            analyze p0_N "$T/perm" "$BENCH_THREADS" --permutations 0 --seed "$BENCH_SEED"
            analyze pM_N "$T/perm" "$BENCH_THREADS" --permutations "$BENCH_PERMS" --seed "$BENCH_SEED"
        fi
        REP=$((REP + 1))
    done
fi

# --- figures -----------------------------------------------------------------

CORES_N=$(nproc 2>/dev/null || echo 1)

m() { median "$T/$1"; }   # median of a series ('' when none)
lo() { least "$T/$1"; }   # its fastest run

FLOOR_S=$(m floor.secs)
VAL_S=$(m validate.wall)
A1_WALL=$(m a1.wall) AN_WALL=$(m aN.wall)
A1_PARSE=$(m a1.parse) A1_COMPUTE=$(m a1.compute) A1_WRITE=$(m a1.write)
AN_COMPUTE=$(m aN.compute) AN_WRITE=$(m aN.write)
AN_RSS=$(m aN.rss) A1_RSS=$(m a1.rss)
R_LAG=$(m rlag.secs) AR_WALL=$(m ar.wall)
R_PERM_US=$(m rperm.us)
P0_1=$(m p0_1.wall) PM_1=$(m pM_1.wall) P0_N=$(m p0_N.wall) PM_N=$(m pM_N.wall)

# fmt KIND VALUE: a figure as the table shows it ('' stays '').
fmt() {
    [ -n "$2" ] || return 0
    case "$1" in
        eps) awk -v v="$2" 'BEGIN { printf "%.2f M events/s", v / 1e6 }' ;;
        mbps) awk -v v="$2" 'BEGIN { printf "%.0f MB/s", v / 1e6 }' ;;
        s) awk -v v="$2" 'BEGIN { printf (v < 10 ? "%.3f s" : "%.1f s"), v }' ;;
        x) awk -v v="$2" 'BEGIN { printf (v < 10 ? "%.2f×" : "%.0f×"), v }' ;;
        us) awk -v v="$2" 'BEGIN { printf (v < 10 ? "%.2f µs" : "%.0f µs"), v }' ;;
        mb) awk -v v="$2" 'BEGIN { printf "%.0f MiB", v / 1048576 }' ;;
    esac
}

# status VALUE OP TARGET: pass / **miss** ('—' when there is no value).
status() {
    if [ -z "$1" ]; then echo "—"; return; fi
    awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {
        ok = (op == ">=") ? v >= t : (op == "<=") ? v <= t : v < t
        print (ok ? "pass" : "**miss**") }'
}

# na WHY...: the first reason that applies.
na() {
    for why in "$@"; do
        [ -n "$why" ] && { echo "$why"; return; }
    done
    echo "n/a"
}
NA_R=""
[ "$HAVE_R" -eq 1 ] || NA_R="n/a (R not installed)"
NA_ANALYZE=${NA_ANALYZE:-}
NA_PHASES="n/a (analyze printed no phase timings)"
NA_TIME=""
[ -n "$GNU_TIME" ] || NA_TIME="n/a (GNU time not installed)"
failed a1 && NA_A1="failed (see above)" || NA_A1=""
failed aN && NA_AN="failed (see above)" || NA_AN=""

ROWS="$T/rows"
: >"$ROWS"
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" >>"$ROWS"; }
# or VALUE WHY...: VALUE, or else the first reason that applies.
or() {
    _v=$1
    shift
    if [ -n "$_v" ]; then echo "$_v"; else na "$@"; fi
}

# 1. parse floor
FLOOR_EPS=$(num "n / s" n="$N_MAIN" s="$FLOOR_S")
FLOOR_MBPS=$(num "b / s" b="$BYTES_MAIN" s="$FLOOR_S")
v=""
[ -n "$FLOOR_EPS" ] && v="$(fmt eps "$FLOOR_EPS"), $(fmt mbps "$FLOOR_MBPS")"
row 1 "parse only: libcsv, callbacks count fields" "$(or "$v" "failed")" "the floor" "—"

# 2. validate
VAL_EPS=$(num "n / s" n="$N_MAIN" s="$VAL_S")
v=""
[ -n "$VAL_EPS" ] && v="$(fmt eps "$VAL_EPS") ($(awk -v a="$VAL_EPS" -v b="$FLOOR_EPS" 'BEGIN { printf "%.2f", a / b }') of the floor)"
row 2 "\`validate\`, end to end" "$(or "$v" "failed")" "—" "—"

# 3. analyze
A1_PC=$(num "p + c" p="$A1_PARSE" c="$A1_COMPUTE")
A1_EPS=$(num "n / s" n="$N_MAIN" s="$A1_PC")
v="" st="—"
if [ -n "$A1_EPS" ]; then
    RATIO=$(num "a / b" a="$A1_EPS" b="$FLOOR_EPS")
    v="$(fmt eps "$A1_EPS") ($(awk -v r="$RATIO" 'BEGIN { printf "%.2f", r }') of the floor)"
    st=$(status "$RATIO" ">=" 0.3333333)
elif [ -n "$A1_WALL" ]; then
    # no phase timings: judge the whole run, write included (stricter)
    A1_EPS=$(num "n / s" n="$N_MAIN" s="$A1_WALL")
    RATIO=$(num "a / b" a="$A1_EPS" b="$FLOOR_EPS")
    v="$(fmt eps "$A1_EPS") ($(awk -v r="$RATIO" 'BEGIN { printf "%.2f", r }') of the floor; end to end: no phase timings)"
    st=$(status "$RATIO" ">=" 0.3333333)
fi
row 3a "\`analyze\` 1 thread, parse + compute" "$(or "$v" "$NA_ANALYZE" "$NA_A1")" "≥ 1/3 of the floor" "$st"
row 3b "\`analyze\` 1 thread, end to end" \
    "$(or "$(fmt eps "$(num "n / s" n="$N_MAIN" s="$A1_WALL")")" "$NA_ANALYZE" "$NA_A1")" "—" "—"
v=""
[ -n "$A1_WRITE" ] && v="$(fmt s "$A1_WRITE") (1 thread), $(fmt s "$AN_WRITE") ($BENCH_THREADS threads)"
row 3c "\`analyze\` HDF5 write, measured apart" "$(or "$v" "$NA_ANALYZE" "$NA_A1" "$NA_PHASES")" "—" "—"
row 3d "\`analyze\` $BENCH_THREADS threads, end to end" \
    "$(or "$(fmt eps "$(num "n / s" n="$N_MAIN" s="$AN_WALL")")" "$NA_ANALYZE" "$NA_AN")" "—" "—"
SP_COMPUTE=$(num "a / b" a="$A1_COMPUTE" b="$AN_COMPUTE")
row 3e "speedup at $BENCH_THREADS threads, compute phase" \
    "$(or "$(fmt x "$SP_COMPUTE")" "$NA_ANALYZE" "$NA_A1" "$NA_AN" "$NA_PHASES")" "≥ 1.7×" \
    "$(status "$SP_COMPUTE" ">=" 1.7)"
SP_WALL=$(num "a / b" a="$A1_WALL" b="$AN_WALL")
row 3f "speedup at $BENCH_THREADS threads, end to end" \
    "$(or "$(fmt x "$SP_WALL")" "$NA_ANALYZE" "$NA_A1" "$NA_AN")" "≥ 1.5×" \
    "$(status "$SP_WALL" ">=" 1.5)"

# 4. memory: peak RSS of the all-cores run against 40 B/event + 64 MiB
RSS_B=$(num "k * 1024" k="$AN_RSS")
BUDGET=$(num "40 * n + 64 * 1048576" n="$N_MAIN")
v=""
[ -n "$RSS_B" ] && v="$(fmt mb "$RSS_B") = $(awk -v r="$RSS_B" -v n="$N_MAIN" 'BEGIN { printf "%.1f", r / n }') B/event ($BENCH_THREADS threads; 1 thread $(fmt mb "$(num "k * 1024" k="$A1_RSS")"))"
row 4 "peak resident memory, \`analyze\`" "$(or "$v" "$NA_ANALYZE" "$NA_TIME" "$NA_AN")" \
    "≤ 40 B/event + 64 MiB = $(fmt mb "$BUDGET")" "$(status "$RSS_B" "<=" "$BUDGET")"

# 4b. the same at the large corpus's size
if [ -n "$N_LARGE" ]; then
    RSS_L=$(num "k * 1024" k="$(m aL.rss)")
    BUDGET_L=$(num "40 * n + 64 * 1048576" n="$N_LARGE")
    v=""
    [ -n "$RSS_L" ] && v="$(fmt mb "$RSS_L") = $(awk -v r="$RSS_L" -v n="$N_LARGE" 'BEGIN { printf "%.1f", r / n }') B/event ($(commas "$N_LARGE") events, $BENCH_THREADS threads, one run)"
    row 4b "peak resident memory, \`analyze\`, large corpus" \
        "$(or "$v" "failed (see above)")" \
        "≤ 40 B/event + 64 MiB = $(fmt mb "$BUDGET_L")" "$(status "$RSS_L" "<=" "$BUDGET_L")"
fi

# 5. base-R lag-1 script against dyadseq, same files
R_RATIO=$(num "a / b" a="$R_LAG" b="$AR_WALL")
v=""
[ -n "$R_LAG" ] && v="R $(fmt s "$R_LAG")"
if [ -n "$AR_WALL" ]; then
    v="${v:+$v; }dyadseq $(fmt s "$AR_WALL")"
elif [ -n "$v" ]; then
    v="$v; dyadseq $(na "$NA_ANALYZE" "failed (see above)")"
fi
[ -n "$R_RATIO" ] && v="$v: $(fmt x "$R_RATIO") faster"
[ -z "$v" ] && v=$(na "$NA_R" "$NA_ANALYZE")
row 5 "lag-1 table, residuals, Q: base R vs \`analyze\` ($(commas "$N_R") events)" "$v" "≥ 30×" \
    "$(status "$R_RATIO" ">=" 30)"

# 6. permutations, per session-permutation
# the permutations' own cost: the compute phase with minus without them
# (less noisy than wall time), or the wall times when there are no phases
C0_1=$(m p0_1.compute) CM_1=$(m pM_1.compute)
if [ -n "$C0_1" ] && [ -n "$CM_1" ]; then
    D_US=$(num "(b - a) / (s * m) * 1e6" a="$C0_1" b="$CM_1" s="$PERM_SESSIONS" m="$BENCH_PERMS")
else
    D_US=$(num "(b - a) / (s * m) * 1e6" a="$P0_1" b="$PM_1" s="$PERM_SESSIONS" m="$BENCH_PERMS")
fi
NA_NOISE=""
if [ -n "$D_US" ] && awk -v d="$D_US" 'BEGIN { exit !(d <= 0) }'; then
    D_US=""
    NA_NOISE="too small to measure (permutations cost less than the run-to-run noise)"
fi
P_RATIO=$(num "a / b" a="$R_PERM_US" b="$D_US")
row 6a "permutations, base-R loop, per session-permutation" \
    "$(or "$(fmt us "$R_PERM_US")" "$NA_R" "failed (see above)")" "—" "—"
v=""
[ -n "$D_US" ] && v="$(fmt us "$D_US") (1 thread)${P_RATIO:+: $(fmt x "$P_RATIO") faster}"
row 6b "permutations, \`analyze --permutations\`, per session-permutation" \
    "$(or "$v" "$NA_ANALYZE" "$NA_NOISE" "failed (see above)")" "≥ 30× faster than R" "$(status "$P_RATIO" ">=" 30)"
st="—"
[ "$BENCH_PERMS" -eq 1000 ] && st=$(status "$PM_N" "<" 2)
v=""
[ -n "$PM_N" ] && v="$(fmt s "$PM_N")${P0_N:+ (without permutations $(fmt s "$P0_N"))}"
row 6c "$BENCH_PERMS permutations of the demo-sized study, $BENCH_THREADS threads" \
    "$(or "$v" "$NA_ANALYZE" "failed (see above)")" "< 2 s (1000 permutations)" "$st"

# 7. end to end (issue 16)
EF_S=$(m efloor.secs)
E1_WALL=$(m e1.wall) EN_WALL=$(m eN.wall)
E1_PARSE=$(m e1.parse) E1_COMPUTE=$(m e1.compute) E1_WRITE=$(m e1.write)
EF_EPS=$(num "n / s" n="$N_E2E" s="$EF_S")
E1_EPS=$(num "n / s" n="$N_E2E" s="$E1_WALL")
E_RATIO=$(num "a / b" a="$E1_EPS" b="$EF_EPS")
v=""
[ -n "$E_RATIO" ] && v="$(fmt eps "$E1_EPS") = $(fmt s "$E1_WALL") ($(awk -v r="$E_RATIO" 'BEGIN { printf "%.2f", r }') of the floor's $(fmt eps "$EF_EPS"))"
# the fastest runs of each, beside the medians: on a shared machine the
# floor and analyze are slowed by different amounts (the status stays
# the medians')
E_RATIO_LO=$(num "f / e" f="$(lo efloor.secs)" e="$(lo e1.wall)")
[ -n "$v" ] && [ -n "$E_RATIO_LO" ] && v="$v; fastest runs $(fmt s "$(lo e1.wall)"), $(awk -v r="$E_RATIO_LO" 'BEGIN { printf "%.2f", r }') of the fastest floor"
row 7a "end to end, 1 thread, $(commas "$N_E2E") events" \
    "$(or "$v" "$NA_ANALYZE" "failed (see above)")" "≥ 0.2 of the floor" \
    "$(status "$E_RATIO" ">=" 0.2)"
E1_OTHER=$(num "w - p - c - x" w="$E1_WALL" p="$E1_PARSE" c="$E1_COMPUTE" x="$E1_WRITE")
v=""
[ -n "$E1_OTHER" ] && v="parse $(fmt s "$E1_PARSE"), compute $(fmt s "$E1_COMPUTE"), write $(fmt s "$E1_WRITE"), the rest $(fmt s "$E1_OTHER") (start-up, restart for huge pages, exit)"
row 7b "its phases (medians)" "$(or "$v" "$NA_ANALYZE" "$NA_PHASES")" "—" "—"
E_SP=$(num "a / b" a="$E1_WALL" b="$EN_WALL")
v=""
[ -n "$E_SP" ] && v="$(fmt x "$E_SP") ($(fmt s "$EN_WALL") at $BENCH_THREADS threads)"
E_SP_LO=$(num "a / b" a="$(lo e1.wall)" b="$(lo eN.wall)")
[ -n "$v" ] && [ -n "$E_SP_LO" ] && v="$v; fastest runs $(fmt x "$E_SP_LO")"
# 7d: each core alone right before the end-to-end runs, and the most that
# BENCH_THREADS threads can gain
# speeds FILE: time_cores' FILE as "core 0 X M events/s, core 1 ..."
speeds() {
    sp_=""
    while read -r c s_; do
        sp_="${sp_:+$sp_, }core $c $(fmt eps "$(num "n / s" n="$N_E2E" s="$s_")")"
    done <"$1"
    echo "$sp_"
}
CORE_V="" CEIL=""
if [ -s "$T/cores_e2e" ]; then
    CEIL=$(awk '{ v = 1 / $2; s += v; if (v > m) m = v } END { if (m > 0) printf "%.6g", s / m }' "$T/cores_e2e")
    CORE_V=$(speeds "$T/cores_e2e")
fi
[ -n "$v" ] && [ -n "$CEIL" ] && awk -v c="$CEIL" 'BEGIN { exit !(c > 1.001) }' &&
    v="$v; $(awk -v a="$E_SP" -v c="$CEIL" 'BEGIN { printf "%.0f%%", 100 * (a - 1) / (c - 1) }') of the gain figure 7d allows"
row 7c "end to end, $BENCH_THREADS threads against 1" \
    "$(or "$v" "$NA_ANALYZE" "failed (see above)")" "≥ 1.6×" "$(status "$E_SP" ">=" 1.6)"
v=""
[ -n "$CORE_V" ] && v="before 7a $CORE_V; perfectly parallel work gains at most $(fmt x "$CEIL") on these cores; one-thread runs and the floor on core $FAST"
# after 7e: each core's speed again, and whether any moved by more than a
# tenth during 7a-7e
if [ -n "$v" ] && [ -s "$T/cores_end" ]; then
    MOVED=""
    while read -r c s_; do
        s0=$(awk -v c="$c" '$1 == c { print $2 }' "$T/cores_e2e")
        [ -n "$s0" ] && awk -v a="$s0" -v b="$s_" 'BEGIN { r = b / a; exit !(r > 1.1 || r < 1 / 1.1) }' &&
            MOVED="${MOVED:+$MOVED, }core $c"
    done <"$T/cores_end"
    v="$v; after 7e $(speeds "$T/cores_end")"
    [ -n "$MOVED" ] && v="$v (**$MOVED changed speed by more than a tenth during figures 7a–7e: the host was not idle, and they compare runs made at different speeds**)"
fi
row 7d "each core alone: the floor pinned to it" \
    "$(or "$v" "n/a (BENCH_PIN=0, taskset missing or one core)")" "—" "—"

# 7e: end to end with windows on, against the same floor (no target: the
# issue's figures are measured with figure 3's options, above)
W1_WALL=$(m w1.wall) WN_WALL=$(m wN.wall)
W_RATIO=$(num "f / w" f="$EF_S" w="$W1_WALL")
v=""
[ -n "$W_RATIO" ] && v="1 thread $(fmt s "$W1_WALL") ($(awk -v r="$W_RATIO" 'BEGIN { printf "%.2f", r }') of the floor)"
[ -n "$v" ] && [ -n "$WN_WALL" ] && v="$v, $BENCH_THREADS threads $(fmt s "$WN_WALL") ($(fmt x "$(num "a / b" a="$W1_WALL" b="$WN_WALL")"))"
row 7e "end to end with analyze's own defaults (time windows on), $(commas "$N_E2E") events" \
    "$(or "$v" "$NA_ANALYZE" "failed (see above)")" "—" "—"

# 8. the MPI program, main corpus, beside the serial program
for np in $BENCH_MPI_RANKS; do
    W=$(m "mpi$np.wall")
    v=""
    if [ -n "$W" ]; then
        v="$(fmt s "$W"), $(fmt eps "$(num "n / s" n="$N_MAIN" s="$W")")"
        [ -n "$A1_WALL" ] && v="$v; $(fmt x "$(num "a / b" a="$A1_WALL" b="$W")") the serial program at 1 thread"
        [ -n "$AN_WALL" ] && v="$v, $(fmt x "$(num "a / b" a="$AN_WALL" b="$W")") at $BENCH_THREADS"
    fi
    thr=$((CORES_N / np))
    [ "$thr" -ge 1 ] || thr=1
    row "8.$np" "MPI program, $np rank(s) × $thr thread(s), $(commas "$N_MAIN") events, end to end" \
        "$(or "$v" "$NA_MPI" "$NA_ANALYZE" "failed (see above)")" "—" "—"
done

# --- report ------------------------------------------------------------------

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
CORES=$(nproc 2>/dev/null || echo "?")
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
VERSION=$("$DYADSEQ" --version 2>/dev/null)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
RVER=""
[ "$HAVE_R" -eq 1 ] && RVER=$(Rscript --version 2>&1 | sed -n 's/.*version \([0-9.]*\).*/R \1/p' | head -n 1)
CCVER=$(${CC:-cc} --version 2>/dev/null | head -n 1)
ELAPSED=$(($(date +%s) - START))


REPORT="$T/bench.md"
{
    echo "# dyadseq benchmark"
    echo
    echo "Written by \`make bench\` (scripts/bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); docs/performance.md explains each figure."
    echo
    echo "- machine: $CORES cores, ${CPU:-unknown CPU}, ${MEM:-? GiB}, $(uname -sr); load average at the end $LOAD"
    echo "- software: ${VERSION:-dyadseq}, commit $COMMIT; ${CCVER:-cc}; ${RVER:-no R}"
    echo "- load average at the start $LOAD0 (the figures are only as good as the machine was quiet: other work on it slows some runs more than others)"
    echo "- main corpus: $(commas "$N_MAIN") events, $(commas "$((2 * MAIN_COUPLES))") sessions of about $SE events ($(commas "$MAIN_COUPLES") couples × pre, post), $(awk -v b="$BYTES_MAIN" 'BEGIN { printf "%.1f MB", b / 1e6 }') in $(commas "$FILES_MAIN") files; end-to-end corpus $(commas "$N_E2E") events (the same shape)${N_LARGE:+; large corpus $(commas "$N_LARGE") events (the same shape, figure 4b only)}; R corpus $(commas "$N_R") events; permutation corpus $PERM_SESSIONS sessions × $BENCH_PERM_EVENTS events = $(commas "$N_PERM") (demo-sized), $BENCH_PERMS permutations for dyadseq and $BENCH_R_PERMS for R"
    [ "$BENCH_E2E_WARMUP" = 1 ] && echo "- 7a-7c: each timed run followed an untimed run of the same command (BENCH_E2E_WARMUP=1)"
    echo "- each figure is the median of $BENCH_REPS runs (7a-7c: of $BENCH_E2E_REPS); files were in the page cache; \"all cores\" = $BENCH_THREADS threads; the whole benchmark took $ELAPSED s"
    echo
    echo "| # | figure | value | target | status |"
    echo "| --- | --- | --- | --- | --- |"
    cat "$ROWS"
    echo
    echo "Commands (\$BENCH_TMP is the temporary directory; each analyze run writes \$BENCH_TMP/out.h5, removed after it):"
    echo
    echo '```'
    awk '!seen[$0]++' "$T/commands"
    echo '```'
} >"$REPORT"

cat "$REPORT"
mkdir -p "$(dirname "$BENCH_OUT")" && cp "$REPORT" "$BENCH_OUT" ||
    die "cannot write $BENCH_OUT"
log "wrote $BENCH_OUT"

# Keep the README's performance section in step: replace what lies between
# its markers with the table and the machine line.
if [ -f README.md ] && grep -q '^<!-- bench:begin -->' README.md &&
    grep -q '^<!-- bench:end -->' README.md; then
    {
        sed -n '/^- machine:/p' "$REPORT"
        echo
        echo "| # | figure | value | target | status |"
        echo "| --- | --- | --- | --- | --- |"
        cat "$ROWS"
    } >"$T/readme.part"
    awk -v part="$T/readme.part" '
        /^<!-- bench:begin -->/ { print; while ((getline l < part) > 0) print l; skip = 1; next }
        /^<!-- bench:end -->/ { skip = 0 }
        !skip' README.md >"$T/README.md" && cp "$T/README.md" README.md &&
        log "updated the performance section of README.md"
fi

# ... and its MPI section (issue 16): the serial program's end-to-end
# times on the main corpus beside the MPI program's, when measured.
if [ -f README.md ] && grep -q '^<!-- mpi:begin -->' README.md &&
    grep -q '^<!-- mpi:end -->' README.md && [ "$HAVE_MPI" -eq 1 ]; then
    {
        echo "| program | processes × threads | end to end | events/s |"
        echo "| --- | --- | --- | --- |"
        [ -n "$A1_WALL" ] && echo "| serial | 1 × 1 | $(fmt s "$A1_WALL") | $(fmt eps "$(num "n / s" n="$N_MAIN" s="$A1_WALL")") |"
        [ -n "$AN_WALL" ] && echo "| serial | 1 × $BENCH_THREADS | $(fmt s "$AN_WALL") | $(fmt eps "$(num "n / s" n="$N_MAIN" s="$AN_WALL")") |"
        for np in $BENCH_MPI_RANKS; do
            W=$(m "mpi$np.wall")
            thr=$((CORES_N / np))
            [ "$thr" -ge 1 ] || thr=1
            [ -n "$W" ] && echo "| MPI | $np × $thr | $(fmt s "$W") | $(fmt eps "$(num "n / s" n="$N_MAIN" s="$W")") |"
        done
        echo
        echo "$(commas "$N_MAIN") events in $(commas "$((2 * MAIN_COUPLES))") sessions, medians of $BENCH_REPS runs (end to end: $BENCH_E2E_REPS), $(date -u '+%Y-%m-%d'), load average at the start $LOAD0."
    } >"$T/mpi.part"
    awk -v part="$T/mpi.part" '
        /^<!-- mpi:begin -->/ { print; while ((getline l < part) > 0) print l; skip = 1; next }
        /^<!-- mpi:end -->/ { skip = 0 }
        !skip' README.md >"$T/README.md" && cp "$T/README.md" README.md &&
        log "updated the MPI section of README.md"
fi

[ "$ELAPSED" -le 600 ] || log "warning: the benchmark took $ELAPSED s, over the 10 minutes issue #7 allows"
if [ "$HAVE_ANALYZE" -eq 0 ]; then
    die "incomplete: $DYADSEQ has no 'analyze' command yet; its figures read n/a"
fi
[ -z "$FAILED" ] || die "some runs failed:$FAILED"
exit 0
