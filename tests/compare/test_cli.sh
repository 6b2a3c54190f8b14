#!/bin/sh
# tests/compare/test_cli.sh — `dyadseq compare` on the command line: the
# exact message and exit status of every wrong --pre/--post, --transition
# and --reliability, and of inputs it cannot compare (SPEC 2: 2 for a usage
# error, 1 for data), never an output file after a failure; FROM:TO equals
# FROM->TO; what is compared without actors or without times; --help.
. tests/lib.sh

"$DYADSEQ" simulate --couples 6 --events 40 --seed 5 -o "$TMP/s/" -q
"$DYADSEQ" analyze -q -o "$TMP/a.h5" "$TMP/s"
OUT="$TMP/out.h5"

# fails DESCRIPTION STATUS MESSAGE ARGS...: exact status and standard error,
# and no output file left behind
fails() {
    _d=$1; _w=$2; _m=$3; shift 3
    rm -f "$OUT"
    "$DYADSEQ" compare "$@" >"$TMP/o" 2>"$TMP/e"; _s=$?
    _e=$(cat "$TMP/e")
    if [ "$_s" = "$_w" ] && [ "$_e" = "$_m" ] && [ ! -e "$OUT" ]; then ok "$_d"
    else
        not_ok "$_d (exit $_s, want $_w)"
        echo "    # got:  $_e"; echo "    # want: $_m"
        [ -e "$OUT" ] && echo "    # and $OUT was written"
    fi
}
TRY="Try 'dyadseq compare --help'."

# --pre and --post
fails "no --pre" 2 "dyadseq: error: give the two session labels with --pre LABEL and --post LABEL
$TRY" --post post -o "$OUT" "$TMP/s"
fails "no -o" 2 "dyadseq: error: give the results file with -o FILE.h5
$TRY" --pre pre --post post "$TMP/s"
fails "--pre a label no session has (near one)" 2 "dyadseq: error: --pre: no session is labelled 'Pre' (did you mean 'pre'?); the session labels are 'post', 'pre'
$TRY" --pre Pre --post post -o "$OUT" "$TMP/s"
fails "--post a label no session has" 2 "dyadseq: error: --post: no session is labelled 'after'; the session labels are 'post', 'pre'
$TRY" --pre pre --post after -o "$OUT" "$TMP/s"
fails "--pre a label no session has, results-file input" 2 "dyadseq: error: --pre: no session is labelled 'before'; the session labels are 'post', 'pre'
$TRY" --pre before --post post -o "$OUT" "$TMP/a.h5"
fails "--pre equal to --post" 2 "dyadseq: error: --pre and --post are both 'pre'; give two different session labels
$TRY" --pre pre --post pre -o "$OUT" "$TMP/s"

# --transition
fails "--transition with an unknown target state" 2 "dyadseq: error: --transition 'A:pursue->B:withdrw': unknown state 'B:withdrw' (did you mean 'B:withdraw'?); give FROM->TO with two of the states A:pursue … B:response
$TRY" --pre pre --post post --transition 'A:pursue->B:withdrw' -o "$OUT" "$TMP/s"
fails "--transition FROM:TO with an unknown antecedent" 2 "dyadseq: error: --transition 'A:purse:B:withdraw': unknown state 'A:purse' (did you mean 'A:pursue'?); give FROM->TO with two of the states A:pursue … B:response
$TRY" --pre pre --post post --transition 'A:purse:B:withdraw' -o "$OUT" "$TMP/s"
fails "--transition with no state at all" 2 "dyadseq: error: --transition 'X->Y': unknown state 'X'; give FROM->TO with two of the states A:pursue … B:response
$TRY" --pre pre --post post --transition 'X->Y' -o "$OUT" "$TMP/s"
fails "--transition of one state" 2 "dyadseq: error: --transition 'A:pursue': not two states joined by -> or :; give FROM->TO with two of the states A:pursue … B:response
$TRY" --pre pre --post post --transition A:pursue -o "$OUT" "$TMP/s"
fails "the same --transition twice (as FROM:TO and FROM->TO)" 2 "dyadseq: error: --transition 'A:pursue->B:withdraw' is given twice
$TRY" --pre pre --post post --transition A:pursue:B:withdraw --transition 'A:pursue->B:withdraw' -o "$OUT" "$TMP/s"

# --reliability
for bad in cycles_per_10min cycles_per_10min=1 cycles_per_10min=-0.1 \
    cycles_per_10min=x 'cycles_per_10min=0.8:up' =0.8 'cycles_per_10min=0.8:'; do
    fails "--reliability '$bad'" 2 "dyadseq: error: --reliability takes METRIC=R with 0 <= R < 1, optionally followed by :higher or :lower (e.g. 'cycles_per_10min=0.8'), not '$bad'
$TRY" --pre pre --post post --reliability "$bad" -o "$OUT" "$TMP/s"
done
fails "--reliability of an unknown metric (near one)" 2 "dyadseq: error: --reliability: no metric 'cycles_per_10mn' (did you mean 'cycles_per_10min'?)
$TRY" --pre pre --post post --reliability cycles_per_10mn=0.8 -o "$OUT" "$TMP/s"
fails "--reliability of an unknown metric" 2 "dyadseq: error: --reliability: no metric 'kappa'; the metrics are the rows of the table ('dyadseq compare --help')
$TRY" --pre pre --post post --reliability kappa=0.8 -o "$OUT" "$TMP/s"
fails "--reliability of a metric without a better side" 2 "dyadseq: error: --reliability 'events_per_min=0.8': events_per_min has no better side; say which with 'events_per_min=0.8:higher' or 'events_per_min=0.8:lower'
$TRY" --pre pre --post post --reliability events_per_min=0.8 -o "$OUT" "$TMP/s"
fails "--reliability of one metric twice" 2 "dyadseq: error: --reliability: 'share_time_in_cycles' is given twice
$TRY" --pre pre --post post --reliability share_time_in_cycles=0.5 --reliability share_time_in_cycles=0.6:higher -o "$OUT" "$TMP/s"

# inputs
fails "a results file and transcripts together" 2 "dyadseq: error: '$TMP/a.h5' is an HDF5 file: give either one results file of 'dyadseq analyze' or transcripts, not both
$TRY" --pre pre --post post -o "$OUT" "$TMP/a.h5" "$TMP/s"
fails "--actors with a results file" 2 "dyadseq: error: --codebook, --actors, --sort and --merge apply to transcripts; the results file '$TMP/a.h5' was analyzed with its own
$TRY" --pre pre --post post --actors X,Y -o "$OUT" "$TMP/a.h5"
"$DYADSEQ" analyze -q --lags 2 -o "$TMP/lag2.h5" "$TMP/s"
fails "a results file without lag 1" 1 "dyadseq: error: $TMP/lag2.h5 has no lag-1 tables (/lag/1/session); analyze with lag 1 among --lags" \
    --pre pre --post post -o "$OUT" "$TMP/lag2.h5"
"$DYADSEQ" compare -q --pre pre --post post -o "$TMP/c.h5" "$TMP/s" >/dev/null
fails "a file of compare as input" 1 "dyadseq: error: $TMP/c.h5 was written by 'dyadseq compare'; give the transcripts or the results file of 'dyadseq analyze'" \
    --pre pre --post post -o "$OUT" "$TMP/c.h5"
printf 'couple,session,actor,code\nc1,pre,A,pursue\nc1,pre,B,withdraw\nc2,post,A,soften\nc2,post,B,soften\n' >"$TMP/nopair.csv"
fails "no couple with both sessions" 1 "dyadseq: error: no couple has both a 'pre' and a 'post' session, so there is nothing to pair" \
    --pre pre --post post -o "$OUT" "$TMP/nopair.csv"
echo "not a results file" >"$OUT.keep"
fails "-o an existing file that is not a results file" 1 "dyadseq: error: refusing to overwrite '$OUT.keep': it exists and is not a dyadseq results file (remove it or choose another -o)" \
    --pre pre --post post -o "$OUT.keep" "$TMP/s"
check_eq "... and that file is untouched" "$(cat "$OUT.keep")" "not a results file"

# FROM:TO and FROM->TO name the same transition
"$DYADSEQ" compare -q --pre pre --post post --transition A:soften:B:pursue -o "$TMP/t1.h5" "$TMP/s" >/dev/null
"$DYADSEQ" compare -q --pre pre --post post --transition 'A:soften->B:pursue' -o "$TMP/t2.h5" "$TMP/s" >/dev/null
"$DYADSEQ" export -q "$TMP/t1.h5" /comparison >"$TMP/t1.csv"
"$DYADSEQ" export -q "$TMP/t2.h5" /comparison >"$TMP/t2.csv"
if cmp -s "$TMP/t1.csv" "$TMP/t2.csv" && grep -q '^0,yules_q\[A:soften->B:pursue\],' "$TMP/t1.csv" &&
    grep -q '^1,adjusted_residual\[A:soften->B:pursue\],.*,lower$' "$TMP/t1.csv"; then
    ok "--transition A:soften:B:pursue = 'A:soften->B:pursue': its two rows first, better lower"
else
    not_ok "--transition FROM:TO and FROM->TO"; head -3 "$TMP/t1.csv" | sed 's/^/    # /'
fi
check_eq "one --transition replaces the six default ones: 2 + 9 metrics" \
    "$(awk 'END { print NR - 1 }' "$TMP/t1.csv")" 11

# what is compared without an actor column, and without times
printf 'couple,session,code\nc1,pre,pursue\nc1,pre,withdraw\nc1,post,bid\nc1,post,response\n' >"$TMP/noactor.csv"
"$DYADSEQ" compare --pre pre --post post -o "$TMP/na.h5" "$TMP/noactor.csv" >/dev/null 2>"$TMP/na.err"
check_eq "no actor column: the families left out are named" "$(cat "$TMP/na.err")" \
    "dyadseq: warning: response rates, latencies, cycles and softening not compared: responsiveness, cycles and softening need an actor column and two actors
dyadseq: warning: events per minute not compared: the input has no time column"
check_eq "no actor column: transitions between codes" \
    "$("$DYADSEQ" export -q "$TMP/na.h5" /comparison | cut -d, -f2 | tr '\n' ' ')" \
    "metric yules_q[pursue->withdraw] yules_q[bid->response] yules_q[soften->soften] adjusted_residual[pursue->withdraw] adjusted_residual[bid->response] adjusted_residual[soften->soften] "
printf 'couple,session,actor,code\nc1,pre,A,pursue\nc1,pre,B,withdraw\nc1,post,A,bid\nc1,post,B,response\n' >"$TMP/notime.csv"
"$DYADSEQ" compare --pre pre --post post -o "$TMP/nt.h5" "$TMP/notime.csv" >/dev/null 2>"$TMP/nt.err"
check_eq "no time column: the families left out are named" "$(cat "$TMP/nt.err")" \
    "dyadseq: warning: response rates and latencies not compared: responsiveness needs a time column
dyadseq: warning: cycles and softening not compared: they are counted per minute, and the input has no time column
dyadseq: warning: events per minute not compared: the input has no time column"
check_eq "no time column: the 12 lag-1 metrics" \
    "$("$DYADSEQ" export -q "$TMP/nt.h5" /comparison | awk 'END { print NR - 1 }')" 12
"$DYADSEQ" compare -q --pre pre --post post -o "$TMP/q.h5" "$TMP/notime.csv" >"$TMP/q.out" 2>"$TMP/q.err"
if [ ! -s "$TMP/q.err" ] && grep -q '^metric ' "$TMP/q.out" && ! grep -q '^wrote' "$TMP/q.out"; then
    ok "-q: no warnings, the table still printed, no 'wrote' line"
else not_ok "-q"; fi

# a study codebook with several codes per role: every pair, and a warning
"$DYADSEQ" simulate --codebook datasets/spaff/codebook.csv --couples 2 --events 30 -o "$TMP/spaff.csv" -q
"$DYADSEQ" compare --codebook datasets/spaff/codebook.csv --pre pre --post post \
    -o "$TMP/sp.h5" "$TMP/spaff.csv" >/dev/null 2>"$TMP/sp.err"
check_eq "SPAFF codebook: 36 default transitions (7 x 2 x 2 + 3 x 1 x 2 + 1 x 1 x 2), with a warning" \
    "$(cat "$TMP/sp.err"; "$DYADSEQ" export -q "$TMP/sp.h5" /comparison | grep -c '^[0-9]*,yules_q\[')" \
    "dyadseq: warning: the codebook has several codes per role, so the default compares 36 transitions (every pair of codes with the roles); choose the ones that matter with --transition
36"

# help
"$DYADSEQ" compare --help >"$TMP/help"; s=$?
n=0
for w in --pre --post --transition --reliability 'yules_q\[FROM->TO\]' \
    'adjusted_residual\[FROM->TO\]' 'response_rate\[X->Y\]' \
    'latency_median_s\[X->Y\]' cycles_per_10min share_time_in_cycles \
    'softening_rate_per_min\[X\]' events_per_min docs/compare.md; do
    grep -q -- "$w" "$TMP/help" && n=$((n + 1))
done
check_eq "compare --help: exit 0, every option and metric named" "$s $n" "0 13"
if "$DYADSEQ" --help | grep -q '^  compare  '; then ok "dyadseq --help lists compare"
else not_ok "dyadseq --help lists compare"; fi
finish
