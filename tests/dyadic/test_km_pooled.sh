#!/bin/sh
# /responsiveness/pooled: one Kaplan-Meier estimate over all bids of a
# scope (all sessions, each label) and bidder, checked against a hand
# computation.
#
# A's bids, as (time, event) with event 1 = answered, 0 = censored:
#   c1/pre:  bid 0 answered at 1 -> (1,1); bid 10, next bid at 13 before
#            any response -> (3,0); bid 13 answered at 15 -> (2,1)
#   c2/pre:  bid 0 answered at 4 -> (4,1); bid 5, no response before the
#            last onset 6 -> (1,0)
#   c1/post: bid 0 answered at 0.5 -> (0.5,1)
# pre, sorted 1e 1c 2e 3c 4e (n = 5): at 1 five at risk (the censoring at
#   1 is still at risk), S = 4/5; at 2 three at risk, S = 4/5 * 2/3 =
#   8/15; censored at 3; at 4 one at risk, S = 0. Median (first S <= 1/2)
#   4 s; 1 - S(5) = 1; with W = 2, 1 - S(2) = 7/15.
# all, 0.5e 1e 1c 2e 3c 4e (n = 6): 5/6, 5/6 * 4/5 = 2/3, 2/3 * 2/3 =
#   4/9, 0; median 2 s.
# post: S(0.5) = 0, median 0.5 s. B never bids: NA.
. tests/lib.sh
cat >"$TMP/t.csv" <<'CSV'
couple,session,actor,code,time
c1,pre,A,bid,0
c1,pre,B,response,1
c1,pre,A,bid,10
c1,pre,A,bid,13
c1,pre,B,response,15
c1,pre,B,pursue,20
c1,post,A,bid,0
c1,post,B,response,0.5
c1,post,B,pursue,3
c2,pre,A,bid,0
c2,pre,B,response,4
c2,pre,A,bid,5
c2,pre,B,withdraw,6
CSV
check "analyze" "$DYADSEQ" analyze -q "$TMP/t.csv" -o "$TMP/t.h5"
"$DYADSEQ" export -q "$TMP/t.h5" /responsiveness/pooled >"$TMP/p.csv"
check_eq "pooled table" "$(cat "$TMP/p.csv")" "row,scope,label,bidder,n_bids,p_response_by_window,median_time_to_response_s
0,all,,A,6,1,2
1,all,,B,0,NA,NA
2,label,post,A,1,1,0.5
3,label,post,B,0,NA,NA
4,label,pre,A,5,1,4
5,label,pre,B,0,NA,NA"
"$DYADSEQ" export -q "$TMP/t.h5" /responsiveness/pooled/km >"$TMP/k.csv"
# compare survival to 1e-12 against the fractions above
awk -F, 'NR > 1 { printf "%s %s %s %.12f %s %s\n", $2, $3, $5, $4, $6, $1 }' "$TMP/k.csv" >"$TMP/k.txt"
check_eq "pooled curves" "$(cat "$TMP/k.txt")" "0 0.5 6 0.833333333333 1 0
0 1 5 0.666666666667 1 1
0 2 3 0.444444444444 1 2
0 4 1 0.000000000000 1 3
2 0.5 1 0.000000000000 1 4
4 1 5 0.800000000000 1 5
4 2 3 0.533333333333 1 6
4 4 1 0.000000000000 1 7"
check "analyze, W = 2" "$DYADSEQ" analyze -q --response-window 2 "$TMP/t.csv" -o "$TMP/w.h5"
got=$("$DYADSEQ" export -q "$TMP/w.h5" /responsiveness/pooled | awk -F, '$1 == 4 { printf "%.12f", $6 }')
check_eq "pre, A: 1 - S(2) = 7/15" "$got" "0.466666666667"
finish
