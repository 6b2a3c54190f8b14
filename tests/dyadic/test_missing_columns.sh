#!/bin/sh
# tests/dyadic/test_missing_columns.sh — transcripts without `time`,
# without `actor`, with one partner only, and --target ongoing without
# `duration`: `dyadseq analyze` says which metrics it cannot compute and
# why (exact messages), exits 0, and still writes the file with the lag
# tables and whatever the columns allow (SPEC 3: "without actor ... dyadic
# metrics are not computed; without time ... time-based metrics are
# absent").
. tests/lib.sh
. tests/dyadic/export.sh

# run NAME [OPTIONS] INPUT: analyze into $TMP/NAME.h5; status in $st,
# standard error in $TMP/NAME.err
run() {
    _n=$1; shift
    rm -f "$TMP/$_n.h5"
    "$DYADSEQ" analyze -o "$TMP/$_n.h5" "$@" >"$TMP/$_n.out" 2>"$TMP/$_n.err"
    st=$?
}
# groups NAME: the top-level groups of $TMP/NAME.h5, as info lists them
groups() { "$DYADSEQ" info "$TMP/$1.h5" | sed -n 's/^  groups *//p'; }
W=dyadseq:\ warning:

# --- no time column --------------------------------------------------------
# Cycles are counted by event order; their times are NA. A pursues at rows
# 1 and 3, B withdraws between: a cycle of 3, pursuer A, ended by B's
# soften. B softens once; without times the rate, first onset and share
# are NA (and nothing can be reciprocated "within W").
cat >"$TMP/notime.csv" <<'EOF'
couple,session,actor,code
c1,s,A,pursue
c1,s,B,withdraw
c1,s,A,pursue
c1,s,B,soften
c1,s,A,bid
c1,s,B,response
EOF
NOTIME="$W time windows and responsiveness not computed: the input has no time column; cycles and softening are counted without times (their times, rates and shares are NA)"
run notime "$TMP/notime.csv"
check_eq "no time: exit 0" "$st" 0
check_eq "no time: the warning names the metrics and the column" \
    "$(cat "$TMP/notime.err")" "$NOTIME"
check_eq "no time: the summary line lists what was computed" \
    "$(cat "$TMP/notime.out")" \
    "wrote $TMP/notime.h5: 1 sessions of 1 couples, 6 events, 10 states, lag 1, cycles, softening"
check_eq "no time: groups" "$(groups notime)" \
    "/states /codebook /sessions /lag /cycles /softening"
ex "$TMP/notime.h5" /lag/1/session/counts >"$TMP/x"
row_is "no time: lag table A:pursue -> B:withdraw" "$TMP/x" \
    "from=A:pursue to=B:withdraw" "counts=1"
ex "$TMP/notime.h5" /cycles >"$TMP/x"
row_is "no time: cycles counted, their times NA" "$TMP/x" "session_index=0" \
    "n_cycles=1 events_in_cycles=3 longest_cycle=3 time_in_cycles_s=NA share_time_in_cycles=NA n_pursuer_a=1 ended_by_soften=1"
ex "$TMP/notime.h5" /softening >"$TMP/x"
row_is "no time: B's soften counted, rate, first onset and share NA" "$TMP/x" \
    "actor=B" "n_soften=1 n_reciprocated=0 rate_per_min=NA first_onset_s=NA share_reciprocated=NA"
row_is "no time: A never softens: rate NA, not 0" "$TMP/x" \
    "actor=A" "n_soften=0 rate_per_min=NA"
ex "$TMP/notime.h5" /sessions >"$TMP/x"
row_is "no time: duration and first onset NA" "$TMP/x" "session_index=0" \
    "n_events=6 duration_s=NA first_onset_s=NA"
"$DYADSEQ" export -q "$TMP/notime.h5" /window >"$TMP/x" 2>"$TMP/x.err"
check_eq "no time: export /window fails (exit 1)" "$?" 1
"$DYADSEQ" export -q "$TMP/notime.h5" /responsiveness >"$TMP/x" 2>&1
check_eq "no time: export /responsiveness fails (exit 1)" "$?" 1

# asked for explicitly: the user hears that the option had no effect
for opt in --window --window=0:2 "--time-unit 2" "--target ongoing"; do
    name=${opt%% *}; name=${name%%=*}
    # shellcheck disable=SC2086
    run asked $opt "$TMP/notime.csv"
    check_eq "no time, $opt: exit 0" "$st" 0
    check_eq "no time, $opt: the warning says it was asked for" \
        "$(cat "$TMP/asked.err")" \
        "$W time windows (asked for with $name) and responsiveness not computed: the input has no time column; cycles and softening are counted without times (their times, rates and shares are NA)"
done
run nowin --no-window "$TMP/notime.csv"
check_eq "no time, --no-window: windows not mentioned" "$(cat "$TMP/nowin.err")" \
    "$W responsiveness not computed: the input has no time column; cycles and softening are counted without times (their times, rates and shares are NA)"
run quiet -q "$TMP/notime.csv"
check_eq "no time, -q: silent, exit 0" "$st:$(cat "$TMP/quiet.err")$(cat "$TMP/quiet.out")" "0:"
check "no time, -q: the file is written" test -s "$TMP/quiet.h5"

# --- no actor column -------------------------------------------------------
# States are the codes alone; windows need only time: computed.
cat >"$TMP/noactor.csv" <<'EOF'
couple,session,code,time
c1,s,pursue,0
c1,s,withdraw,1
c1,s,pursue,2
c1,s,soften,4
EOF
run noactor "$TMP/noactor.csv"
check_eq "no actor: exit 0" "$st" 0
check_eq "no actor: the warning names the metrics and the column" \
    "$(cat "$TMP/noactor.err")" \
    "$W responsiveness, cycles and softening not computed: the input has no actor column"
check_eq "no actor: groups" "$(groups noactor)" \
    "/states /codebook /sessions /lag /window"
ex "$TMP/noactor.h5" /states/label >"$TMP/x"
rows "no actor: 5 states, the codes" "$TMP/x" 5
# window 1:5 (default): given pursue = units {1..5} u {3..7} cut at the
# last unit 4: {1,2,3,4}; target withdraw {1}: a = 1, b = 3, c = 0, d = 1
ex "$TMP/noactor.h5" /window/pooled >"$TMP/x"
row_is "no actor: windows computed" "$TMP/x" "from=pursue to=withdraw" \
    "a=1 b=3 c=0 d=1"

# neither: the lag tables only
cat >"$TMP/bare.csv" <<'EOF'
couple,session,code
c1,s,pursue
c1,s,withdraw
EOF
run bare "$TMP/bare.csv"
check_eq "no actor, no time: exit 0" "$st" 0
check_eq "no actor, no time: one warning per missing column" \
    "$(cat "$TMP/bare.err")" \
    "$W time windows not computed: the input has no time column
$W responsiveness, cycles and softening not computed: the input has no actor column"
check_eq "no actor, no time: groups" "$(groups bare)" \
    "/states /codebook /sessions /lag"

# --- one partner only --------------------------------------------------------
cat >"$TMP/onlya.csv" <<'EOF'
couple,session,actor,code,time
c1,s,A,bid,0
c1,s,A,pursue,1
c1,s,A,soften,3
EOF
run onlya "$TMP/onlya.csv"
check_eq "one actor in the data: exit 0" "$st" 0
check_eq "one actor in the data: a warning names the silent partner" \
    "$(cat "$TMP/onlya.err")" \
    "$W actor 'B' of --actors A,B has no events: responsiveness, cycles and softening are computed as if B never acted (no answer to A's bids, no cycles)"
check_eq "one actor in the data: every group" "$(groups onlya)" \
    "/states /codebook /sessions /lag /window /responsiveness /cycles /softening"
# A's bid at 0: never answered, censored at the last onset, 3 s: rate 0,
# and W = 5 > 3 s of follow-up with S = 1: 1 - S(5) NA.
ex "$TMP/onlya.h5" /responsiveness >"$TMP/x"
row_is "one actor in the data: A's bid unanswered" "$TMP/x" "bidder=A" \
    "n_bids=1 n_answered=0 response_rate=0 p_response_by_window=NA"
# B's partner acting first: the warning names A
sed 's/,A,/,B,/' "$TMP/onlya.csv" >"$TMP/onlyb.csv"
run onlyb "$TMP/onlyb.csv"
check_eq "only B in the data: the warning names A" "$(cat "$TMP/onlyb.err")" \
    "$W actor 'A' of --actors A,B has no events: responsiveness, cycles and softening are computed as if A never acted (no answer to B's bids, no cycles)"
# --actors A: one partner named: no dyadic metric at all
run one --actors A "$TMP/onlya.csv"
check_eq "--actors A: exit 0" "$st" 0
check_eq "--actors A: the warning says two are needed" "$(cat "$TMP/one.err")" \
    "$W responsiveness, cycles and softening not computed: they need two partners and --actors names one ('A')"
check_eq "--actors A: groups" "$(groups one)" \
    "/states /codebook /sessions /lag /window"
# a third actor without events is no partner: no warning
printf 'couple,session,actor,code,time\nc1,s,A,bid,0\nc1,s,B,response,1\n' >"$TMP/ab.csv"
run three --actors A,B,T "$TMP/ab.csv"
check_eq "--actors A,B,T with no T events: no warning" "$st:$(cat "$TMP/three.err")" "0:"

# --- --target ongoing without durations --------------------------------------
cat >"$TMP/nodur.csv" <<'EOF'
couple,session,actor,code,time
c1,s,A,pursue,0
c1,s,B,withdraw,1
c1,s,A,bid,2
c1,s,B,response,3
EOF
run nodur --target ongoing "$TMP/nodur.csv"
check_eq "--target ongoing, no durations: exit 0" "$st" 0
check_eq "--target ongoing, no durations: the warning" "$(cat "$TMP/nodur.err")" \
    "$W time windows not computed: --target ongoing needs a duration column and the input has none (the default, --target onset, does not)"
check_eq "--target ongoing, no durations: groups" "$(groups nodur)" \
    "/states /codebook /sessions /lag /responsiveness /cycles /softening"
ex "$TMP/nodur.h5" /responsiveness >"$TMP/x"
row_is "--target ongoing, no durations: responsiveness still computed" \
    "$TMP/x" "bidder=A" "n_bids=1 n_answered=1 latency_mean_s=1"
run ondur --target onset "$TMP/nodur.csv"
check_eq "--target onset, no durations: no warning" "$st:$(cat "$TMP/ondur.err")" "0:"

# --- a window written apart from --window ------------------------------------
# `--window 0:2` is the window 0:2 (as `--window=0:2`); a lone 0:2 among
# the inputs is no file and says where a window goes.
run space --window 0:2 "$TMP/nodur.csv"
check_eq "--window 0:2 (a space): exit 0" "$st" 0
check_eq "--window 0:2 (a space): the window's attributes" \
    "$(h5dump -a /window/lo -a /window/hi "$TMP/space.h5" | grep -c '(0): [02]$')" 2
run typo "$TMP/nodur.csv" 0:2
check_eq "a lone 0:2: exit 2" "$st" 2
check_eq "a lone 0:2: says where a window goes" "$(cat "$TMP/typo.err")" \
    "dyadseq: error: '0:2' is not an input file; a window is given right after --window: --window 0:2
Try 'dyadseq analyze --help'."
check "a lone 0:2: no file" test ! -e "$TMP/typo.h5"
finish
