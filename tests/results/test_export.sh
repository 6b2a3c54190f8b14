#!/bin/sh
# tests/results/test_export.sh — `dyadseq export`: the exact CSV of small
# datasets and tables of a fixture file (written by test_results --write,
# laid out as SPEC 5), and its errors and exit statuses.
. tests/lib.sh
: "${UNIT_DIR:=build/tests-opt}"
FIX="$UNIT_DIR/test_results"
H5="$TMP/small.h5"
if ! "$FIX" --write "$H5" 2>"$TMP/fix.err"; then
    not_ok "write the fixture with $FIX"; sed 's/^/    # /' "$TMP/fix.err"
    finish
fi

# expect PATH [OPTION]: export's standard output equals standard input
expect() {
    cat >"$TMP/want"
    "$DYADSEQ" export "$H5" "$@" >"$TMP/got" 2>"$TMP/got.err"; _s=$?
    if [ "$_s" -eq 0 ] && cmp -s "$TMP/got" "$TMP/want"; then
        ok "export $*"
    else
        not_ok "export $* (exit $_s)"
        diff "$TMP/want" "$TMP/got" | sed 's/^/    # /' | head -20
        sed 's/^/    # /' "$TMP/got.err" | head -5
    fi
}

# fails DESCRIPTION STATUS MESSAGE ARGS...: exit status and exact stderr
fails() {
    _d=$1; _w=$2; _m=$3; shift 3
    "$DYADSEQ" "$@" >"$TMP/out" 2>"$TMP/err"; _s=$?
    _e=$(cat "$TMP/err")
    if [ "$_s" = "$_w" ] && [ "$_e" = "$_m" ]; then ok "$_d"; else
        not_ok "$_d (exit $_s, want $_w)"
        echo "    # got:  $_e"; echo "    # want: $_m"; fi
}

expect /lag/1/session/counts <<'CSV'
session_index,couple,session,from,to,counts
0,"c,2",pre,A:pursue,A:pursue,1
0,"c,2",pre,A:pursue,B:withdraw,2
0,"c,2",pre,B:withdraw,A:pursue,1
0,"c,2",pre,B:withdraw,B:withdraw,0
1,c1,post,A:pursue,A:pursue,0
1,c1,post,A:pursue,B:withdraw,2
1,c1,post,B:withdraw,A:pursue,1
1,c1,post,B:withdraw,B:withdraw,0
2,c1,prä,A:pursue,A:pursue,0
2,c1,prä,A:pursue,B:withdraw,0
2,c1,prä,B:withdraw,A:pursue,0
2,c1,prä,B:withdraw,B:withdraw,0
CSV

expect /lag/1/session/expected <<'CSV'
session_index,couple,session,from,to,expected
0,"c,2",pre,A:pursue,A:pursue,1.5
0,"c,2",pre,A:pursue,B:withdraw,1.5
0,"c,2",pre,B:withdraw,A:pursue,0.5
0,"c,2",pre,B:withdraw,B:withdraw,0.5
1,c1,post,A:pursue,A:pursue,0.6666666666666666
1,c1,post,A:pursue,B:withdraw,1.3333333333333333
1,c1,post,B:withdraw,A:pursue,0.3333333333333333
1,c1,post,B:withdraw,B:withdraw,0.6666666666666666
2,c1,prä,A:pursue,A:pursue,NA
2,c1,prä,A:pursue,B:withdraw,NA
2,c1,prä,B:withdraw,A:pursue,NA
2,c1,prä,B:withdraw,B:withdraw,NA
CSV

# a group: one column per member; the per-session g2 and df repeat per cell
expect /lag/1/session <<'CSV'
session_index,couple,session,from,to,counts,expected,transition_prob,yules_q,g2,df
0,"c,2",pre,A:pursue,A:pursue,1,1.5,0.3333333333333333,-1,0.30000000000000004,1
0,"c,2",pre,A:pursue,B:withdraw,2,1.5,0.6666666666666666,1,0.30000000000000004,1
0,"c,2",pre,B:withdraw,A:pursue,1,0.5,1,1,0.30000000000000004,1
0,"c,2",pre,B:withdraw,B:withdraw,0,0.5,0,-1,0.30000000000000004,1
1,c1,post,A:pursue,A:pursue,0,0.6666666666666666,0,-1,1e-300,1
1,c1,post,A:pursue,B:withdraw,2,1.3333333333333333,1,1,1e-300,1
1,c1,post,B:withdraw,A:pursue,1,0.3333333333333333,1,1,1e-300,1
1,c1,post,B:withdraw,B:withdraw,0,0.6666666666666666,0,-1,1e-300,1
2,c1,prä,A:pursue,A:pursue,0,NA,NA,NA,NA,NA
2,c1,prä,A:pursue,B:withdraw,0,NA,NA,NA,NA,NA
2,c1,prä,B:withdraw,A:pursue,0,NA,NA,NA,NA,NA
2,c1,prä,B:withdraw,B:withdraw,0,NA,NA,NA,NA,NA
CSV

# the pooled table's scalars repeat on every cell
expect /lag/1/pooled <<'CSV'
from,to,counts,expected,adjusted_residual,yules_q,transition_prob,structural_zero,g2,df,g2_p
A:pursue,A:pursue,1,1,0,0,0.3333333333333333,0,0.25,1,NA
A:pursue,B:withdraw,2,2,0,0,0.6666666666666666,0,0.25,1,NA
B:withdraw,A:pursue,1,1,0,0,0.3333333333333333,0,0.25,1,NA
B:withdraw,B:withdraw,2,2,0.5,0,0.6666666666666666,0,0.25,1,NA
CSV

expect lag/1/pooled/counts/ <<'CSV'
from,to,counts
A:pursue,A:pursue,1
A:pursue,B:withdraw,2
B:withdraw,A:pursue,1
B:withdraw,B:withdraw,2
CSV

expect /lag/1/pooled_by_label/prä <<'CSV'
from,to,counts
A:pursue,A:pursue,0
A:pursue,B:withdraw,0
B:withdraw,A:pursue,0
B:withdraw,B:withdraw,0
CSV

expect /lag/1/pooled/g2 <<'CSV'
name,value
g2,0.25
CSV

expect /lag/1/pooled/g2_p <<'CSV'
name,value
g2_p,NA
CSV

expect /sessions <<'CSV'
session_index,couple,session,n_events,duration_s,first_onset_s,start_s,end_s
0,"c,2",pre,5,12.5,0,0,12.5
1,c1,post,4,30,1.25,1.25,31.25
2,c1,prä,1,NA,3,3,3
CSV

expect /sessions/couple <<'CSV'
session_index,couple,session
0,"c,2",pre
1,c1,post
2,c1,prä
CSV

expect /states/label <<'CSV'
state,label
0,A:pursue
1,B:withdraw
CSV

expect /codebook <<'CSV'
code,role,description
pursue,pursue,"demands, criticizes"
withdraw,withdraw,"says ""fine""; leaves"
CSV

# a table of rows: session_index brings couple and session along
expect /responsiveness -q <<'CSV'
row,session_index,couple,session,bidder,n_bids,n_answered,response_rate,latency_mean_s,n_turned_away
0,0,"c,2",pre,A,2,1,0.5,2.5,0
1,0,"c,2",pre,B,1,1,1,1,0
2,1,c1,post,A,0,0,NA,NA,0
3,1,c1,post,B,3,2,0.6666666666666666,3.25,0
4,2,c1,prä,A,0,0,NA,NA,0
5,2,c1,prä,B,0,0,NA,NA,0
CSV
check_eq "-q: no note on standard error" "$(cat "$TMP/got.err")" ""
"$DYADSEQ" export "$H5" /responsiveness >/dev/null 2>"$TMP/err"
check_eq "a skipped subgroup is noted" "$(cat "$TMP/err")" \
    "dyadseq: note: skipped group /responsiveness/km (export it by its own path)"

expect /responsiveness/km <<'CSV'
point,row,time_s,survival
0,0,1,0.5
1,0,4,0
2,3,2,0.6666666666666666
CSV

expect /cycles <<'CSV'
session_index,couple,session,n_cycles,share_time_in_cycles
0,"c,2",pre,1,0.4
1,c1,post,2,0.125
2,c1,prä,0,NA
CSV

# shortest digits that read back the same; NA, Inf, -Inf
expect /misc/numbers <<'CSV'
row,numbers
0,Inf
1,-Inf
2,-0
3,0.1
4,100
5,1e+21
6,123456.789
7,NA
CSV

# ---- errors ----
echo "couple,session,code" >"$TMP/t.csv"
fails "not an HDF5 file" 1 "dyadseq: error: '$TMP/t.csv' is not an HDF5 file" \
    export "$TMP/t.csv" /lag
"$FIX" --write-other "$TMP/other.h5"
fails "an HDF5 file that is not a results file" 1 \
    "dyadseq: error: '$TMP/other.h5' is not a dyadseq results file (its root attribute format is 'netcdf4', not 'dyadseq-results')" \
    export "$TMP/other.h5" /lag
fails "a missing file" 1 \
    "dyadseq: error: cannot open '$TMP/none.h5': No such file or directory" \
    export "$TMP/none.h5" /lag
fails "a missing top-level path lists the top-level groups" 1 \
    "dyadseq: error: $H5 has no '/window'; its top-level groups are: /states, /codebook, /sessions, /lag, /responsiveness, /cycles, /misc" \
    export "$H5" /window
fails "a missing lag lists the lags" 1 \
    "dyadseq: error: $H5 has no '/lag/3/pooled'; /lag holds: /lag/1, /lag/2" \
    export "$H5" /lag/3/pooled
fails "a group of groups names its members" 1 \
    "dyadseq: error: $H5: /lag/1 holds no datasets to print; export one of its members: /lag/1/session, /lag/1/pooled, /lag/1/pooled_by_label" \
    export "$H5" /lag/1
check_eq "nothing on standard output after an error" "$(cat "$TMP/out")" ""
fails "no arguments" 2 "dyadseq: error: missing arguments
Try 'dyadseq export --help'." export
fails "one argument" 2 "dyadseq: error: too few arguments
Try 'dyadseq export --help'." export "$H5"
fails "three arguments" 2 "dyadseq: error: too many arguments (from 'x')
Try 'dyadseq export --help'." export "$H5" /lag x
fails "unknown option" 2 "dyadseq: error: unknown option '--wide'
Try 'dyadseq export --help'." export --wide "$H5" /lag
if [ -w /dev/full ]; then
    "$DYADSEQ" export "$H5" /lag/1/session/counts >/dev/full 2>"$TMP/err"
    check_eq "a full standard output: exit 1" "$?" 1
    check_eq "a full standard output: message" "$(cat "$TMP/err")" \
        "dyadseq: error: cannot write to standard output: No space left on device"
    "$DYADSEQ" export "$H5" /lag/1/session >/dev/full 2>/dev/null
    check_eq "a full standard output (group): exit 1" "$?" 1
else
    for what in "a full standard output: exit 1" "a full standard output: message" \
        "a full standard output (group): exit 1"; do
        skip "$what" "no writable /dev/full"
    done
fi
"$DYADSEQ" export --help >"$TMP/help" 2>&1
check_eq "--help exits 0" "$?" 0
check "--help shows usage" grep -q "Usage:   dyadseq export \[options\] FILE.h5 PATH" "$TMP/help"
finish
