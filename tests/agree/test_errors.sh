#!/bin/sh
# tests/agree/test_errors.sh — every bad input of `dyadseq agree` gives one
# clear line per problem (dyadseq: error: ...), exit 1 for bad data and 2
# for bad usage, and leaves no output file (an existing one untouched).
. tests/lib.sh

D=$DYADSEQ
cd "$TMP" || exit 1
"$D" simulate --couples 2 --events 30 --seed 3 -o a.csv
"$D" simulate --couples 2 --events 30 --seed 3 \
    --coder-error substitution=0.1 -o b.csv
{ echo "coder,couple,session,actor,code,time,duration"
  tail -n +2 a.csv | sed 's/^/ana,/'; tail -n +2 b.csv | sed 's/^/ben,/'; } >both.csv

# expect NAME STATUS MESSAGE ARGS...: the exit status, the first line of
# standard error exactly, and no out.h5
expect() {
    _n=$1 _s=$2 _m=$3; shift 3
    rm -f out.h5
    "$D" agree "$@" -o out.h5 >out 2>err; _got=$?
    check_eq "$_n: exit $_s" "$_got" "$_s"
    check_eq "$_n: message" "$(head -1 err)" "$_m"
    if [ -e out.h5 ]; then not_ok "$_n: no output file"; else ok "$_n: no output file"; fi
}

# codebooks that differ
printf 'code,role\npursue,pursue\nwithdraw,withdraw\nsoften,soften\nbid,bid\nresponse,other\n' >role.csv
expect "codebook: a role differs" 1 \
    "dyadseq: error: role.csv: column 'role': the code 'response' is other here but response in the first coding's codebook (the built-in codebook)" \
    --second-codebook role.csv a.csv b.csv
printf 'code,role\npursue,pursue\nwithdraw,withdraw\nsoften,soften\nbid,bid\nresponse,response\nsilence,other\n' >extra.csv
expect "codebook: an extra code" 1 \
    "dyadseq: error: extra.csv: column 'code': the code 'silence' is not in the first coding's codebook (the built-in codebook); both codings need the same codes" \
    --second-codebook extra.csv a.csv b.csv
printf 'code,role\npursue,pursue\nwithdraw,withdraw\nsoften,soften\nbid,bid\n' >fewer.csv
expect "codebook: a code missing" 1 \
    "dyadseq: error: fewer.csv: column 'code': the code 'response' of the first coding's codebook (the built-in codebook) is missing; both codings need the same codes" \
    --second-codebook fewer.csv a.csv b.csv
expect "codebook: with --coders too" 1 \
    "dyadseq: error: role.csv: column 'role': the code 'response' is other here but response in the first coding's codebook (the built-in codebook)" \
    --coders ana,ben --second-codebook role.csv both.csv

# coders
line=$(grep -n '^ben,' both.csv | sed -n 3p | cut -d: -f1)
awk -F, -v l="$line" 'NR == l { $1 = "Ben" } 1' OFS=, both.csv >typo.csv
expect "--coders: a coder not in the list" 1 \
    "dyadseq: error: typo.csv:$line: column 'coder': 'Ben' is not one of --coders ana,ben (did you mean 'ben'?)" \
    --coders ana,ben typo.csv
awk -F, -v l="$line" 'NR == l { $1 = "" } 1' OFS=, both.csv >empty.csv
expect "--coders: an empty coder" 1 \
    "dyadseq: error: empty.csv:$line: column 'coder': empty; with --coders every row names its coder" \
    --coders ana,ben empty.csv
expect "--coders: no coder column" 1 \
    "dyadseq: error: a.csv:1: column 'coder': no such column; --coders ana,ben splits the rows by it" \
    --coders ana,ben a.csv
grep -v '^ben,' both.csv >onlyana.csv
expect "--coders: a coder with no rows" 1 \
    "dyadseq: error: column 'coder': no row has the coder 'ben' of --coders ana,ben" \
    --coders ana,ben onlyana.csv
expect "--coders: one name" 2 "dyadseq: error: --coders takes two different coder names X,Y, not 'ana'" \
    --coders ana both.csv
expect "--coders: the same name twice" 2 "dyadseq: error: --coders takes two different coder names X,Y, not 'ana,ana'" \
    --coders ana,ana both.csv

# options
expect "negative tolerance" 2 "dyadseq: error: --tolerance takes a number of seconds >= 0, not '-1'" \
    --tolerance -1 a.csv b.csv
expect "tolerance not a number" 2 "dyadseq: error: --tolerance takes a number of seconds >= 0, not 'two'" \
    --tolerance two a.csv b.csv
expect "time unit 0" 2 "dyadseq: error: --time-unit takes a number of seconds > 0, not '0'" \
    --time-unit 0 a.csv b.csv
expect "unit tolerance not whole units" 2 \
    "dyadseq: error: --unit-tolerance 1.5 s is not a whole number of 1-s time units" \
    --unit-tolerance 1.5 a.csv b.csv
expect "one input without --coders" 2 \
    "dyadseq: error: give the two codings as FIRST SECOND (1 input given), or one set of inputs with a coder column and --coders X,Y" \
    a.csv
expect "three inputs without --coders" 2 \
    "dyadseq: error: give the two codings as FIRST SECOND (3 inputs given), or one set of inputs with a coder column and --coders X,Y" \
    a.csv b.csv a.csv
expect "an unknown --transition" 2 \
    "dyadseq: error: --transition 'A:pursue->B:withdrew': unknown state 'B:withdrew' (did you mean 'B:withdraw'?); give FROM->TO with two of the states A:pursue … B:response" \
    --transition 'A:pursue->B:withdrew' a.csv b.csv
rm -f out.h5
"$D" agree a.csv b.csv >out 2>err
check_eq "no -o: exit 2" "$?" 2
check_eq "no -o: message" "$(head -1 err)" "dyadseq: error: give the results file with -o FILE.h5"

# data
head -1 a.csv >other.csv
tail -n +2 a.csv | sed 's/^\([a-z]*\)-0/X\1-0/' >>other.csv
expect "no session in common" 1 \
    "dyadseq: error: no session is in both codings: a.csv has 4 sessions and other.csv has 4, and no (couple, session) is in both" \
    a.csv other.csv
cut -d, -f1-4 b.csv >notime.csv
expect "a time column in one coding only" 1 \
    "dyadseq: error: a.csv has a time column and notime.csv has none; events are aligned by onset only when both codings have one" \
    a.csv notime.csv
cut -d, -f1,2,4- b.csv >noactor.csv
expect "an actor column in one coding only" 1 \
    "dyadseq: error: a.csv has an actor column and noactor.csv has none; both codings need the same columns" \
    a.csv noactor.csv
awk -F, 'NR == 5 { $4 = "sulk" } 1' OFS=, b.csv >badcode.csv
expect "a bad row in the second input" 1 \
    "dyadseq: error: badcode.csv:5: column 'code': unknown code 'sulk' (codebook: pursue, withdraw, soften, bid, response)" \
    a.csv badcode.csv

# a failed run leaves an existing results file as it was
"$D" agree -q a.csv b.csv -o keep.h5 >/dev/null
cp keep.h5 keep.copy
"$D" agree a.csv other.csv -o keep.h5 >/dev/null 2>&1
check_eq "a failed run: exit 1" "$?" 1
if cmp -s keep.h5 keep.copy; then ok "a failed run leaves the existing file untouched"
else not_ok "a failed run changed the existing file"; fi
finish
