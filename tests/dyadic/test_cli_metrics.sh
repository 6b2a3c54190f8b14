#!/bin/sh
# tests/dyadic/test_cli_metrics.sh — time windows, responsiveness (with its
# Kaplan–Meier curves), cycles and softening through the command line:
# small transcripts written here, `dyadseq analyze`, `dyadseq export`, and
# every value compared with one derived by hand in the comments (SPEC 4.4,
# 4.6, 4.7; docs/statistics-dyadic.md). Then the options that change them
# (--window=LO:HI, --time-unit, --target ongoing, --response-window,
# --cycle-min), a third actor (--actors A,B,T) and the SPAFF example of
# datasets/spaff against the numbers worked out in its README.
. tests/lib.sh
. tests/dyadic/export.sh

# analyze NAME [OPTIONS] INPUT: analyze into $TMP/NAME.h5
analyze() {
    _n=$1; shift
    rm -f "$TMP/$_n.h5"
    check "analyze $_n: exit 0" "$DYADSEQ" analyze -q -o "$TMP/$_n.h5" "$@"
}

# ---------------------------------------------------------------------------
# Time windows (SPEC 4.4). Two sessions of couple w, no durations.
cat >"$TMP/win.csv" <<'EOF'
couple,session,actor,code,time
w,s1,A,pursue,0
w,s1,B,withdraw,1.5
w,s1,A,pursue,3
w,s1,B,withdraw,4.2
w,s1,B,soften,7
w,s2,A,pursue,0
w,s2,B,withdraw,1
w,s2,A,pursue,5
w,s2,A,soften,6
w,s2,B,withdraw,9
w,s2,A,pursue,10
w,s2,B,soften,12
EOF
analyze win --window=1:2 "$TMP/win.csv"
ex "$TMP/win.h5" /window/session >"$TMP/ws"
ex "$TMP/win.h5" /window/pooled >"$TMP/wp"
rows "window/session: S * K * K = 2 * 10 * 10 rows" "$TMP/ws" 200
rows "window/pooled: K * K rows" "$TMP/wp" 100

# s1 (session_index 0), 1-s units from t0 = 0: onset units A:pursue {0, 3},
# B:withdraw {1, 4} (1.5 -> 1, 4.2 -> 4), B:soften {7}; n_units = 8.
# Window 1:2: given A:pursue = {1,2} u {4,5}.
#   A:pursue -> B:withdraw: target {1, 4}: a = 2, b = 2, c = 0, d = 4.
#     Q = (ad - bc)/(ad + bc) = 8/8 = 1; a zero cell: log odds and SE NA;
#     z: N = 8, R = 4, C = 2, e = RC/N = 1,
#     (2 - 1)/sqrt(1 (1 - 4/8)(1 - 2/8)) = 1/sqrt(0.375)
row_is "window s1 A:pursue -> B:withdraw" "$TMP/ws" \
    "session_index=0 from=A:pursue to=B:withdraw" \
    "couple=w session=s1 a=2 b=2 c=0 d=4 yules_q=1 log_odds_ratio=NA log_odds_ratio_se=NA adjusted_residual=$(calc '1/sqrt(0.375)')"
#   A:pursue -> B:soften: target {7}: a = 0, b = 4, c = 1, d = 3;
#     Q = (0 - 4)/(0 + 4) = -1; e = 4 * 1/8 = 0.5,
#     z = (0 - 0.5)/sqrt(0.5 (1 - 4/8)(1 - 1/8))
row_is "window s1 A:pursue -> B:soften" "$TMP/ws" \
    "session_index=0 from=A:pursue to=B:soften" \
    "a=0 b=4 c=1 d=3 yules_q=-1 log_odds_ratio=NA log_odds_ratio_se=NA adjusted_residual=$(calc '-0.5/sqrt(0.5*0.5*0.875)')"
#   B:withdraw -> A:pursue: given {2,3} u {5,6}, target {0, 3}: a = 1 (3),
#     b = 3, c = 1 (0), d = 3: Q = (3 - 3)/6 = 0, log odds ln(3/3) = 0,
#     SE sqrt(1 + 1/3 + 1 + 1/3), e = 4 * 2/8 = 1 = a so z = 0
row_is "window s1 B:withdraw -> A:pursue" "$TMP/ws" \
    "session_index=0 from=B:withdraw to=A:pursue" \
    "a=1 b=3 c=1 d=3 yules_q=0 log_odds_ratio=0 log_odds_ratio_se=$(calc 'sqrt(8/3)') adjusted_residual=0"
#   B:soften -> A:pursue: given {8, 9} lies past the last unit (7): empty,
#     a = b = 0, c = 2, d = 6: ad + bc = 0, so Q is NA, and z (R = 0) too
row_is "window s1 B:soften -> A:pursue: an empty window is NA" "$TMP/ws" \
    "session_index=0 from=B:soften to=A:pursue" \
    "a=0 b=0 c=2 d=6 yules_q=NA log_odds_ratio=NA log_odds_ratio_se=NA adjusted_residual=NA"

# s2 (session_index 1): onset units A:pursue {0, 5, 10}, B:withdraw
# {1, 9}, A:soften {6}, B:soften {12}; n_units = 13.
# Given A:pursue = {1,2} u {6,7} u {11,12}.
#   A:pursue -> B:withdraw: a = 1 (1), b = 5, c = 1 (9), d = 13 - 7 = 6.
#     Q = (6 - 5)/(6 + 5) = 1/11; ln(6/5); SE sqrt(1 + 1/5 + 1 + 1/6);
#     e = 6 * 2/13 = 12/13, z = (1 - 12/13)/sqrt(12/13 * 7/13 * 11/13)
row_is "window s2 A:pursue -> B:withdraw" "$TMP/ws" \
    "session_index=1 from=A:pursue to=B:withdraw" \
    "couple=w session=s2 a=1 b=5 c=1 d=6 yules_q=$(calc '1/11') log_odds_ratio=$(calc 'log(6/5)') log_odds_ratio_se=$(calc 'sqrt(1+1/5+1+1/6)') adjusted_residual=$(calc '(1-12/13)/sqrt(12/13*7/13*11/13)')"
#   A:pursue -> B:soften: target {12}: a = 1, b = 5, c = 0, d = 7: Q = 1;
#     e = 6/13, z = (1 - 6/13)/sqrt(6/13 * 7/13 * 12/13)
row_is "window s2 A:pursue -> B:soften" "$TMP/ws" \
    "session_index=1 from=A:pursue to=B:soften" \
    "a=1 b=5 c=0 d=7 yules_q=1 log_odds_ratio=NA adjusted_residual=$(calc '(1-6/13)/sqrt(6/13*7/13*12/13)')"
#   B:withdraw -> A:pursue: given {2,3} u {10,11}, target {0, 5, 10}:
#     a = 1, b = 3, c = 2, d = 7: Q = (7 - 6)/(7 + 6) = 1/13, ln(7/6),
#     SE sqrt(1 + 1/3 + 1/2 + 1/7); e = 4 * 3/13,
#     z = (1 - 12/13)/sqrt(12/13 * 9/13 * 10/13)
row_is "window s2 B:withdraw -> A:pursue" "$TMP/ws" \
    "session_index=1 from=B:withdraw to=A:pursue" \
    "a=1 b=3 c=2 d=7 yules_q=$(calc '1/13') log_odds_ratio=$(calc 'log(7/6)') log_odds_ratio_se=$(calc 'sqrt(1+1/3+1/2+1/7)') adjusted_residual=$(calc '(1-12/13)/sqrt(12/13*9/13*10/13)')"
#   A:soften -> B:withdraw: given {7, 8}, target {1, 9}: a = 0, b = 2,
#     c = 2, d = 9: Q = (0 - 4)/4 = -1
row_is "window s2 A:soften -> B:withdraw" "$TMP/ws" \
    "session_index=1 from=A:soften to=B:withdraw" "a=0 b=2 c=2 d=9 yules_q=-1"

# Pooled: the tallies summed, the statistics recomputed on the sums.
#   A:pursue -> B:withdraw: (2,2,0,4) + (1,5,1,6) = (3,7,1,10):
#     Q = (30 - 7)/(30 + 7) = 23/37, ln(30/7), SE sqrt(1/3 + 1/7 + 1 + 1/10);
#     N = 21, R = 10, C = 4, e = 40/21,
#     z = (3 - 40/21)/sqrt(40/21 * 11/21 * 17/21)
row_is "window pooled A:pursue -> B:withdraw" "$TMP/wp" \
    "from=A:pursue to=B:withdraw" \
    "a=3 b=7 c=1 d=10 yules_q=$(calc '23/37') log_odds_ratio=$(calc 'log(30/7)') log_odds_ratio_se=$(calc 'sqrt(1/3+1/7+1+1/10)') adjusted_residual=$(calc '(3-40/21)/sqrt(40/21*11/21*17/21)')"
#   B:withdraw -> A:pursue: (1,3,1,3) + (1,3,2,7) = (2,6,3,10):
#     Q = (20 - 18)/(20 + 18) = 1/19, ln(20/18), SE sqrt(1/2+1/6+1/3+1/10);
#     N = 21, R = 8, C = 5, e = 40/21,
#     z = (2 - 40/21)/sqrt(40/21 * 13/21 * 16/21)
row_is "window pooled B:withdraw -> A:pursue" "$TMP/wp" \
    "from=B:withdraw to=A:pursue" \
    "a=2 b=6 c=3 d=10 yules_q=$(calc '1/19') log_odds_ratio=$(calc 'log(20/18)') log_odds_ratio_se=$(calc 'sqrt(1/2+1/6+1/3+1/10)') adjusted_residual=$(calc '(2-40/21)/sqrt(40/21*13/21*16/21)')"
#   B:soften -> A:pursue: both windows empty (s2: {13, 14} > 12):
#     (0,0,2,6) + (0,0,3,10) = (0,0,5,16), all statistics NA
row_is "window pooled B:soften -> A:pursue" "$TMP/wp" \
    "from=B:soften to=A:pursue" \
    "a=0 b=0 c=5 d=16 yules_q=NA log_odds_ratio=NA log_odds_ratio_se=NA adjusted_residual=NA"
# every pooled cell is the sum of its two session cells (columns by name)
check_eq "window pooled: every cell (of 100) is the sum of the session cells" "$(awk -F, '
    FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
    FILENAME == s { k = $c[s, "from"] "," $c[s, "to"]
        for (j = 1; j <= 4; j++) sum[k, j] += $c[s, substr("abcd", j, 1)]; next }
    { k = $c[p, "from"] "," $c[p, "to"]; n++
      for (j = 1; j <= 4; j++) if (sum[k, j] != $c[p, substr("abcd", j, 1)]) bad++ }
    END { print n + 0, bad + 0 }' s="$TMP/ws" p="$TMP/wp" "$TMP/ws" "$TMP/wp")" "100 0"
if have_h5dump; then
    check_eq "/window attributes lo, hi, time_unit_s, target" \
        "$(attr "$TMP/win.h5" /window lo) $(attr "$TMP/win.h5" /window hi) $(attr "$TMP/win.h5" /window time_unit_s) $(attr "$TMP/win.h5" /window target)" \
        "1 2 1 onset"
else
    skip "/window attributes lo, hi, time_unit_s, target" "h5dump not installed"
fi

# --window=-1:1 on s1: given A:pursue = {-1,0,1} u {2,3,4}, cut at unit 0:
# {0,...,4}; target B:withdraw {1, 4}: a = 2, b = 3, c = 0, d = 3; Q = 1;
# e = 5 * 2/8 = 1.25, z = 0.75/sqrt(1.25 (3/8)(6/8)). A window that
# includes unit 0 makes a state "follow" itself: A:pursue -> A:pursue has
# target {0, 3}, both given: the same a, b, c, d.
analyze lo-neg --window=-1:1 "$TMP/win.csv"
ex "$TMP/lo-neg.h5" /window/session >"$TMP/ws"
row_is "--window=-1:1: s1 A:pursue -> B:withdraw" "$TMP/ws" \
    "session_index=0 from=A:pursue to=B:withdraw" \
    "a=2 b=3 c=0 d=3 yules_q=1 adjusted_residual=$(calc '0.75/sqrt(1.25*3/8*6/8)')"
row_is "--window=-1:1: s1 A:pursue -> A:pursue" "$TMP/ws" \
    "session_index=0 from=A:pursue to=A:pursue" "a=2 b=3 c=0 d=3"

# --time-unit 2 (window 1:2) on s1: units floor(t/2): A:pursue 0 -> 0,
# 3 -> 1; B:withdraw 1.5 -> 0, 4.2 -> 2; B:soften 7 -> 3; n_units = 4.
# Given A:pursue {1,2} u {2,3} = {1,2,3}; target B:withdraw {0, 2}:
# a = 1, b = 2, c = 1, d = 0; Q = (0 - 2)/(0 + 2) = -1; e = 3 * 2/4 = 1.5,
# z = (1 - 1.5)/sqrt(1.5 (1/4)(1/2))
analyze unit2 --window=1:2 --time-unit 2 "$TMP/win.csv"
ex "$TMP/unit2.h5" /window/session >"$TMP/ws"
row_is "--time-unit 2: s1 A:pursue -> B:withdraw" "$TMP/ws" \
    "session_index=0 from=A:pursue to=B:withdraw" \
    "a=1 b=2 c=1 d=0 yules_q=-1 log_odds_ratio=NA adjusted_residual=$(calc '-0.5/sqrt(1.5*0.25*0.5)')"
# --time-unit 0.5 on s1: units 0 -> 0, 1.5 -> 3, 3 -> 6, 4.2 -> 8, 7 -> 14;
# n_units = 15; given A:pursue {1,2} u {7,8}; target B:withdraw {3, 8}:
# a = 1, b = 3, c = 1, d = 10; Q = (10 - 3)/(10 + 3) = 7/13, ln(10/3),
# SE sqrt(1 + 1/3 + 1 + 1/10)
analyze unit05 --window=1:2 --time-unit 0.5 "$TMP/win.csv"
ex "$TMP/unit05.h5" /window/session >"$TMP/ws"
row_is "--time-unit 0.5: s1 A:pursue -> B:withdraw" "$TMP/ws" \
    "session_index=0 from=A:pursue to=B:withdraw" \
    "a=1 b=3 c=1 d=10 yules_q=$(calc '7/13') log_odds_ratio=$(calc 'log(10/3)') log_odds_ratio_se=$(calc 'sqrt(1+1/3+1+1/10)')"
if have_h5dump; then
    check_eq "--time-unit 0.5: /window time_unit_s" \
        "$(attr "$TMP/unit05.h5" /window time_unit_s)" "0.5"
else
    skip "--time-unit 0.5: /window time_unit_s" "h5dump not installed"
fi

# --target ongoing, with durations. Onset units 0, 2, 6, 8; last units
# (offset exclusive) A:pursue 0+1 -> 0, B:withdraw 2+3 -> 4,
# A:pursue 6+0.5 -> 6, B:soften 8+1 -> 8: n_units = 9 in both modes.
# Given A:pursue (window 1:2) = {1,2} u {7,8}.
#   onset:   target B:withdraw {2}: a = 1, b = 3, c = 0, d = 5; Q = 1
#   ongoing: target B:withdraw {2,3,4}: a = 1, b = 3, c = 2, d = 3;
#            Q = (3 - 6)/(3 + 6) = -1/3, ln(3/6), SE sqrt(1+1/3+1/2+1/3);
#            e = 4 * 3/9 = 4/3, z = (1 - 4/3)/sqrt(4/3 * 5/9 * 6/9)
#   ongoing: A:pursue -> A:pursue: target {0, 6}: a = 0, b = 4, c = 2,
#            d = 3; Q = -1
cat >"$TMP/dur.csv" <<'EOF'
couple,session,actor,code,time,duration
d,s1,A,pursue,0,1
d,s1,B,withdraw,2,3
d,s1,A,pursue,6,0.5
d,s1,B,soften,8,1
EOF
analyze onset --window=1:2 "$TMP/dur.csv"
ex "$TMP/onset.h5" /window/session >"$TMP/ws"
row_is "--target onset with durations: A:pursue -> B:withdraw" "$TMP/ws" \
    "from=A:pursue to=B:withdraw" "a=1 b=3 c=0 d=5 yules_q=1"
analyze ongoing --window=1:2 --target ongoing "$TMP/dur.csv"
ex "$TMP/ongoing.h5" /window/session >"$TMP/ws"
row_is "--target ongoing: A:pursue -> B:withdraw" "$TMP/ws" \
    "from=A:pursue to=B:withdraw" \
    "a=1 b=3 c=2 d=3 yules_q=$(calc '-1/3') log_odds_ratio=$(calc 'log(3/6)') log_odds_ratio_se=$(calc 'sqrt(1+1/3+1/2+1/3)') adjusted_residual=$(calc '(1-4/3)/sqrt(4/3*5/9*6/9)')"
row_is "--target ongoing: A:pursue -> A:pursue" "$TMP/ws" \
    "from=A:pursue to=A:pursue" "a=0 b=4 c=2 d=3 yules_q=-1"
ex "$TMP/ongoing.h5" /sessions >"$TMP/s"
row_is "durations: the session runs to the last offset, 8 + 1" "$TMP/s" \
    "session_index=0" "duration_s=9 first_onset_s=0"
if have_h5dump; then
    check_eq "--target ongoing: /window target attribute" \
        "$(attr "$TMP/ongoing.h5" /window target)" "ongoing"
else
    skip "--target ongoing: /window target attribute" "h5dump not installed"
fi

# ---------------------------------------------------------------------------
# Responsiveness (SPEC 4.6). r/s1 is the worked example of
# docs/statistics-dyadic.md (A bids only); in r/s2 B bids.
cat >"$TMP/resp.csv" <<'EOF'
couple,session,actor,code,time
r,s1,A,bid,0
r,s1,B,response,2
r,s1,A,bid,10
r,s1,B,withdraw,11
r,s1,B,response,13
r,s1,A,bid,20
r,s1,B,pursue,21
r,s1,A,pursue,22
r,s1,A,bid,30
r,s1,B,soften,31
r,s1,B,response,38
r,s1,A,bid,40
r,s1,B,withdraw,46
r,s1,A,soften,50
r,s2,B,bid,0
r,s2,A,response,0
r,s2,B,bid,4
r,s2,B,response,5
r,s2,A,withdraw,6
r,s2,B,bid,12
r,s2,A,response,14
r,s2,A,bid,16
r,s2,B,bid,20
EOF
analyze resp "$TMP/resp.csv"
ex "$TMP/resp.h5" /responsiveness >"$TMP/r"
ex "$TMP/resp.h5" /responsiveness/km >"$TMP/km"
rows "responsiveness: 2 rows per session" "$TMP/r" 4
check_eq "responsiveness columns, in SPEC order" "$(head -1 "$TMP/r")" \
    "row,session_index,couple,session,bidder,n_bids,n_answered,n_answered_late,response_rate,latency_mean_s,latency_median_s,n_turned_away,n_turned_against,p_response_by_window"
check_eq "km columns" "$(head -1 "$TMP/km")" \
    "point,row,time_s,survival,n_at_risk,n_events"
# Row 0, r/s1, A bids at 0, 10, 20, 30, 40 (W = 5):
#   0: B's response at 2, before A's next bid: answered, latency 2;
#   10: B's first reaction is the withdraw at 11 (1 s): turned away; B's
#       response at 13 still answers it: latency 3;
#   20: B's first reaction, the pursue at 21: turned against; no response
#       of B before A's bid at 30: censored at 10 s;
#   30: B's soften at 31 turns nothing; the response at 38 answers it
#       after 8 s > W: answered late (a KM event at 8);
#   40: B's withdraw at 46 is 6 s > W later: no turning; no response:
#       censored at the last onset, 50 - 40 = 10 s.
#   n_bids 5, answered 2, late 1, rate 2/5, latency mean = median
#   (2 + 3)/2 = 2.5, away 1, against 1.
#   KM over 2, 3, 8 (events) and 10, 10 (censored):
#     t = 2: 5 at risk, S = 4/5; t = 3: 4 at risk, S = 4/5 * 3/4 = 3/5;
#     t = 8: 3 at risk, S = 3/5 * 2/3 = 2/5.  1 - S(5) = 1 - 3/5 = 0.4.
row_is "resp r/s1 A bids: every column" "$TMP/r" "row=0" \
    "session_index=0 couple=r session=s1 bidder=A n_bids=5 n_answered=2 n_answered_late=1 response_rate=0.4 latency_mean_s=2.5 latency_median_s=2.5 n_turned_away=1 n_turned_against=1 p_response_by_window=0.4"
row_is "resp r/s1 A bids: KM at 2 s" "$TMP/km" "row=0 time_s=2" \
    "survival=0.8 n_at_risk=5 n_events=1"
row_is "resp r/s1 A bids: KM at 3 s" "$TMP/km" "row=0 time_s=3" \
    "survival=0.6 n_at_risk=4 n_events=1"
row_is "resp r/s1 A bids: KM at 8 s" "$TMP/km" "row=0 time_s=8" \
    "survival=0.4 n_at_risk=3 n_events=1"
# Row 1, r/s1, B bids: none. Counts 0, everything else NA, no curve.
row_is "resp r/s1 B bids: no bids" "$TMP/r" "row=1" \
    "bidder=B n_bids=0 n_answered=0 n_answered_late=0 response_rate=NA latency_mean_s=NA latency_median_s=NA n_turned_away=0 n_turned_against=0 p_response_by_window=NA"
# Row 2, r/s2, A bids once, at 16; B's next event is a bid (turns
# nothing), no response: censored at the last onset 20 - 16 = 4 s. Rate
# 0/1 = 0; no latency; W = 5 lies beyond the follow-up (4 s) and S is
# still 1 there, so 1 - S(5) is NA; no event time, no curve.
row_is "resp r/s2 A bids: never answered" "$TMP/r" "row=2" \
    "session_index=1 session=s2 bidder=A n_bids=1 n_answered=0 n_answered_late=0 response_rate=0 latency_mean_s=NA latency_median_s=NA n_turned_away=0 n_turned_against=0 p_response_by_window=NA"
# Row 3, r/s2, B bids at 0, 4, 12, 20:
#   0: A's response at 0, a later row: latency 0, answered;
#   4: B's own response at 5 does not count; A's withdraw at 6 (2 s):
#      turned away; no response of A before B's bid at 12: censored at 8;
#   12: A's response at 14: answered, latency 2;
#   20: the last event: censored at 20 - 20 = 0.
#   n_bids 4, answered 2, late 0, rate 0.5, latency mean = median 1,
#   away 1, against 0. KM over 0, 2 (events), 8, 0 (censored): the bid
#   censored at 0 is at risk at 0: t = 0: 4 at risk, S = 3/4; t = 2:
#   2 at risk (2 and 8), S = 3/4 * 1/2 = 3/8. 1 - S(5) = 5/8.
row_is "resp r/s2 B bids: every column" "$TMP/r" "row=3" \
    "session_index=1 bidder=B n_bids=4 n_answered=2 n_answered_late=0 response_rate=0.5 latency_mean_s=1 latency_median_s=1 n_turned_away=1 n_turned_against=0 p_response_by_window=0.625"
row_is "resp r/s2 B bids: KM at 0 s" "$TMP/km" "row=3 time_s=0" \
    "survival=0.75 n_at_risk=4 n_events=1"
row_is "resp r/s2 B bids: KM at 2 s" "$TMP/km" "row=3 time_s=2" \
    "survival=0.375 n_at_risk=2 n_events=1"
rows "resp: 3 + 2 KM points, none for bids never answered" "$TMP/km" 5

# --response-window 8: bid 30 of r/s1 (8 s) is now answered, and bid 40's
# withdraw 6 s later turns it away: answered 3, late 0, rate 3/5,
# mean (2 + 3 + 8)/3 = 13/3, median 3, away 2, against 1;
# 1 - S(8) = 1 - 2/5 = 0.6. The curve does not depend on W.
# r/s2 A: W = 8 > 4 s of follow-up: NA. r/s2 B: latencies 0 and 2 as
# before; 1 - S(8) = 1 - 3/8 (8 s is the longest follow-up, still defined).
analyze resp8 --response-window 8 "$TMP/resp.csv"
ex "$TMP/resp8.h5" /responsiveness >"$TMP/r"
row_is "--response-window 8: r/s1 A bids" "$TMP/r" "row=0" \
    "n_bids=5 n_answered=3 n_answered_late=0 response_rate=0.6 latency_mean_s=$(calc '13/3') latency_median_s=3 n_turned_away=2 n_turned_against=1 p_response_by_window=0.6"
row_is "--response-window 8: r/s2 A bids" "$TMP/r" "row=2" \
    "n_bids=1 response_rate=0 p_response_by_window=NA"
row_is "--response-window 8: r/s2 B bids" "$TMP/r" "row=3" \
    "n_answered=2 n_answered_late=0 response_rate=0.5 latency_median_s=1 n_turned_away=1 p_response_by_window=0.625"
ex "$TMP/resp8.h5" /responsiveness/km >"$TMP/km8"
check "--response-window 8: the KM curves are those of W = 5" \
    cmp -s "$TMP/km" "$TMP/km8"
if have_h5dump; then
    check_eq "--response-window 8: /responsiveness response_window_s" \
        "$(attr "$TMP/resp8.h5" /responsiveness response_window_s)" "8"
else
    skip "--response-window 8: /responsiveness response_window_s" "h5dump not installed"
fi
# --response-window 0: only latency 0 counts. r/s1 A: none answered,
# latencies 2, 3, 8 all late (3), no turning within 0 s; S(0) = 1:
# 1 - S(0) = 0. r/s2 B: bid 0 answered (0 <= 0), bid 12 late: rate 1/4,
# mean = median 0, away 0 (the withdraw is 2 s later); 1 - S(0) = 1/4.
analyze resp0 --response-window 0 "$TMP/resp.csv"
ex "$TMP/resp0.h5" /responsiveness >"$TMP/r"
row_is "--response-window 0: r/s1 A bids" "$TMP/r" "row=0" \
    "n_answered=0 n_answered_late=3 response_rate=0 latency_mean_s=NA latency_median_s=NA n_turned_away=0 n_turned_against=0 p_response_by_window=0"
row_is "--response-window 0: r/s2 B bids" "$TMP/r" "row=3" \
    "n_answered=1 n_answered_late=1 response_rate=0.25 latency_mean_s=0 latency_median_s=0 n_turned_away=0 p_response_by_window=0.25"

# ---------------------------------------------------------------------------
# Cycles and softening (SPEC 4.7). c/s1 from 0 to 28 s, c/s2 from 100
# to 118 s; no durations, so the session durations are 28 and 18 s.
cat >"$TMP/cyc.csv" <<'EOF'
couple,session,actor,code,time
c,s1,A,pursue,0
c,s1,B,withdraw,2
c,s1,A,pursue,4
c,s1,B,withdraw,6
c,s1,A,soften,8
c,s1,B,soften,10
c,s1,B,withdraw,13
c,s1,A,pursue,15
c,s1,B,withdraw,16
c,s1,A,bid,20
c,s1,B,pursue,22
c,s1,A,withdraw,23
c,s1,B,pursue,25
c,s1,A,pursue,26
c,s1,B,withdraw,27
c,s1,A,pursue,28
c,s2,A,pursue,100
c,s2,B,withdraw,101
c,s2,A,soften,103
c,s2,B,response,106
c,s2,A,soften,110
c,s2,B,pursue,112
c,s2,B,soften,117
c,s2,A,response,118
EOF
analyze cyc "$TMP/cyc.csv"
ex "$TMP/cyc.h5" /cycles >"$TMP/c"
ex "$TMP/cyc.h5" /softening >"$TMP/f"
check_eq "cycles columns, in SPEC order" "$(head -1 "$TMP/c")" \
    "session_index,couple,session,n_cycles,events_in_cycles,longest_cycle,time_in_cycles_s,share_time_in_cycles,n_pursuer_a,n_pursuer_b,ended_by_soften,ended_by_bid,ended_other,ended_by_session_end"
# c/s1, runs of consecutive events naming one pursuer and alternating
# pursue/withdraw (X:pursue names X, X:withdraw names X's partner):
#   events 1-4  A:p B:w A:p B:w   4 events, pursuer A; next A:soften at 8:
#               ended by soften, time 8 - 0 = 8;
#   events 7-9  B:w A:p B:w       withdraw first, pursuer A; next A:bid at
#               20: ended by bid, time 20 - 13 = 7;
#   events 11-13 B:p A:w B:p      pursuer B; next A:pursue names A, a new
#               run: ended other, time 26 - 22 = 4;
#   events 14-16 A:p B:w A:p      pursuer A, the session ends: time = last
#               onset - first onset = 28 - 26 = 2.
#   n_cycles 4, events 4 + 3 + 3 + 3 = 13, longest 4, time 21, share
#   21/28 = 0.75, pursuer A 3, B 1; ended by soften 1, bid 1, other 1,
#   session end 1.
row_is "cycles c/s1: every column" "$TMP/c" "session_index=0" \
    "couple=c session=s1 n_cycles=4 events_in_cycles=13 longest_cycle=4 time_in_cycles_s=21 share_time_in_cycles=0.75 n_pursuer_a=3 n_pursuer_b=1 ended_by_soften=1 ended_by_bid=1 ended_other=1 ended_by_session_end=1"
# c/s2: one run A:p B:w of 2 events: no cycle (min 3): all 0, share 0/18.
row_is "cycles c/s2: a run of 2 is no cycle" "$TMP/c" "session_index=1" \
    "n_cycles=0 events_in_cycles=0 longest_cycle=0 time_in_cycles_s=0 share_time_in_cycles=0 n_pursuer_a=0 n_pursuer_b=0 ended_by_soften=0 ended_by_bid=0 ended_other=0 ended_by_session_end=0"
# Softening, W = 5: a soften is reciprocated when the partner's first
# later soften or response comes within 5 s.
#   c/s1 A: soften at 8, B's soften at 10 (2 s): 1 of 1; rate 1 per
#     28/60 min = 60/28; first 8.
#   c/s1 B: soften at 10; A never softens or responds later: 0 of 1.
#   c/s2 A: softens at 103 (B's response at 106, 3 s: yes) and 110 (B's
#     next soften/response is the soften at 117, 7 s: no): 1 of 2, share
#     0.5, rate 2 per 18/60 min = 20/3, first 103 (the input's clock).
#   c/s2 B: soften at 117, A's response at 118 (1 s): 1 of 1, rate 10/3.
check_eq "softening columns" "$(head -1 "$TMP/f")" \
    "row,session_index,couple,session,actor,n_soften,n_reciprocated,rate_per_min,first_onset_s,share_reciprocated"
row_is "softening c/s1 A" "$TMP/f" "session_index=0 actor=A" \
    "n_soften=1 n_reciprocated=1 rate_per_min=$(calc '60/28') first_onset_s=8 share_reciprocated=1"
row_is "softening c/s1 B" "$TMP/f" "session_index=0 actor=B" \
    "n_soften=1 n_reciprocated=0 rate_per_min=$(calc '60/28') first_onset_s=10 share_reciprocated=0"
row_is "softening c/s2 A" "$TMP/f" "session_index=1 actor=A" \
    "n_soften=2 n_reciprocated=1 rate_per_min=$(calc '20/3') first_onset_s=103 share_reciprocated=0.5"
row_is "softening c/s2 B" "$TMP/f" "session_index=1 actor=B" \
    "n_soften=1 n_reciprocated=1 rate_per_min=$(calc '10/3') first_onset_s=117 share_reciprocated=1"
ex "$TMP/cyc.h5" /sessions >"$TMP/s"
row_is "c/s2: duration 118 - 100, first onset 100" "$TMP/s" \
    "session_index=1" "duration_s=18 first_onset_s=100"
if have_h5dump; then
    check_eq "/cycles cycle_min and /softening response_window_s" \
        "$(attr "$TMP/cyc.h5" /cycles cycle_min) $(attr "$TMP/cyc.h5" /softening response_window_s)" \
        "3 5"
else
    skip "/cycles cycle_min and /softening response_window_s" "h5dump not installed"
fi

# --cycle-min 4: only c/s1's first cycle (4 events, soften, 8 s, 8/28).
analyze cyc4 --cycle-min 4 "$TMP/cyc.csv"
ex "$TMP/cyc4.h5" /cycles >"$TMP/c"
row_is "--cycle-min 4: c/s1" "$TMP/c" "session_index=0" \
    "n_cycles=1 events_in_cycles=4 longest_cycle=4 time_in_cycles_s=8 share_time_in_cycles=$(calc '8/28') n_pursuer_a=1 n_pursuer_b=0 ended_by_soften=1 ended_by_bid=0 ended_other=0 ended_by_session_end=0"
# --cycle-min 2: c/s1 has no run of 2, so the same 4 cycles; c/s2's
# A:p B:w is now a cycle: pursuer A, ended by A's soften at 103, time
# 103 - 100 = 3, share 3/18.
analyze cyc2 --cycle-min 2 "$TMP/cyc.csv"
ex "$TMP/cyc2.h5" /cycles >"$TMP/c"
row_is "--cycle-min 2: c/s1 unchanged" "$TMP/c" "session_index=0" \
    "n_cycles=4 events_in_cycles=13 time_in_cycles_s=21"
row_is "--cycle-min 2: c/s2" "$TMP/c" "session_index=1" \
    "n_cycles=1 events_in_cycles=2 longest_cycle=2 time_in_cycles_s=3 share_time_in_cycles=$(calc '3/18') n_pursuer_a=1 n_pursuer_b=0 ended_by_soften=1 ended_by_bid=0 ended_other=0 ended_by_session_end=0"
if have_h5dump; then
    check_eq "--cycle-min 2: /cycles cycle_min" \
        "$(attr "$TMP/cyc2.h5" /cycles cycle_min)" "2"
else
    skip "--cycle-min 2: /cycles cycle_min" "h5dump not installed"
fi
# --response-window 8: c/s2 A's soften at 110 is now reciprocated (7 s):
# 2 of 2. --response-window 2: A's at 103 (3 s) is not; B's at 117 (1 s)
# still is; c/s1 A's at 8 (2 s, equality counts) still is.
analyze cycw8 --response-window 8 "$TMP/cyc.csv"
ex "$TMP/cycw8.h5" /softening >"$TMP/f"
row_is "--response-window 8: c/s2 A softening" "$TMP/f" \
    "session_index=1 actor=A" "n_reciprocated=2 share_reciprocated=1"
analyze cycw2 --response-window 2 "$TMP/cyc.csv"
ex "$TMP/cycw2.h5" /softening >"$TMP/f"
row_is "--response-window 2: c/s2 A softening" "$TMP/f" \
    "session_index=1 actor=A" "n_reciprocated=0 share_reciprocated=0"
row_is "--response-window 2: c/s2 B softening" "$TMP/f" \
    "session_index=1 actor=B" "n_reciprocated=1 share_reciprocated=1"
row_is "--response-window 2: c/s1 A softening (2 s <= 2 s)" "$TMP/f" \
    "session_index=0 actor=A" "n_reciprocated=1 share_reciprocated=1"

# ---------------------------------------------------------------------------
# A third actor (a therapist T, --actors A,B,T): T's events are no
# partner's: they break runs, answer no bid, are not softening of anyone
# and reciprocate nothing, but a cycle's ending is the role of the next
# event whatever its actor.
cat >"$TMP/tri.csv" <<'EOF'
couple,session,actor,code,time
t,s1,A,pursue,0
t,s1,B,withdraw,1
t,s1,A,pursue,2
t,s1,T,soften,3
t,s1,B,withdraw,4
t,s1,A,pursue,5
t,s1,T,response,6
t,s1,B,withdraw,7
t,s1,A,bid,8
t,s1,T,response,9
t,s1,B,soften,10
t,s1,B,response,15
t,s1,A,soften,16
t,s1,T,soften,17
t,s1,B,pursue,18
EOF
analyze tri --actors A,B,T "$TMP/tri.csv"
ex "$TMP/tri.h5" /states/label >"$TMP/st"
rows "third actor: 3 x 5 states" "$TMP/st" 15
check_eq "third actor: states actor-major, T last" "$(sed -n '12p;16p' "$TMP/st" | tr '\n' ' ')" \
    "10,T:pursue 14,T:response "
ex "$TMP/tri.h5" /responsiveness >"$TMP/r"
ex "$TMP/tri.h5" /responsiveness/km >"$TMP/km"
ex "$TMP/tri.h5" /cycles >"$TMP/c"
ex "$TMP/tri.h5" /softening >"$TMP/f"
rows "third actor: responsiveness rows for A and B only" "$TMP/r" 2
rows "third actor: softening rows for A and B only" "$TMP/f" 2
# A bids at 8. T's response at 9 is no answer. B's first event after it is
# the soften at 10: no turning; B's response at 15 answers it after 7 s >
# W: late. KM: one event at 7 (1 at risk): S = 0; 1 - S(5) = 1 - 1 = 0.
row_is "third actor: A's bid is not answered by T" "$TMP/r" "bidder=A" \
    "n_bids=1 n_answered=0 n_answered_late=1 response_rate=0 latency_mean_s=NA latency_median_s=NA n_turned_away=0 n_turned_against=0 p_response_by_window=0"
row_is "third actor: KM" "$TMP/km" "row=0" \
    "time_s=7 survival=0 n_at_risk=1 n_events=1"
row_is "third actor: B makes no bids" "$TMP/r" "bidder=B" \
    "n_bids=0 response_rate=NA p_response_by_window=NA"
# Runs: A:p B:w A:p (0-2), then T:soften: a cycle of 3, pursuer A, ended
# by soften (T's), time 3 - 0 = 3. B:w A:p (4-5) is cut by T's response
# at 6: a run of 2. B:w at 7 is followed by A:bid. Session 0 to 18 s.
# n_cycles 1, events 3, longest 3, time 3, share 3/18.
row_is "third actor: T breaks runs and T's soften ends a cycle" "$TMP/c" \
    "session_index=0" \
    "n_cycles=1 events_in_cycles=3 longest_cycle=3 time_in_cycles_s=3 share_time_in_cycles=$(calc '3/18') n_pursuer_a=1 n_pursuer_b=0 ended_by_soften=1 ended_by_bid=0 ended_other=0 ended_by_session_end=0"
# Softening: A softens once (16); B's next event is a pursue, T's soften
# at 17 does not count: 0 of 1; rate 1 per 18/60 min = 10/3. B softens
# once (10); A's next soften/response is the soften at 16 (6 s > W): 0 of
# 1. T's two softens are nobody's.
row_is "third actor: A's softening, T does not reciprocate" "$TMP/f" \
    "actor=A" "n_soften=1 n_reciprocated=0 rate_per_min=$(calc '10/3') first_onset_s=16 share_reciprocated=0"
row_is "third actor: B's softening" "$TMP/f" "actor=B" \
    "n_soften=1 n_reciprocated=0 rate_per_min=$(calc '10/3') first_onset_s=10 share_reciprocated=0"
# --cycle-min 2: B:w A:p (4-5) is a cycle too, ended by T's response
# (role response: other), time 6 - 4 = 2: 2 cycles, 5 events, 5 s.
analyze tri2 --actors A,B,T --cycle-min 2 "$TMP/tri.csv"
ex "$TMP/tri2.h5" /cycles >"$TMP/c"
row_is "third actor, --cycle-min 2" "$TMP/c" "session_index=0" \
    "n_cycles=2 events_in_cycles=5 longest_cycle=3 time_in_cycles_s=5 share_time_in_cycles=$(calc '5/18') n_pursuer_a=2 ended_by_soften=1 ended_other=1"

# ---------------------------------------------------------------------------
# The SPAFF example: a study codebook drives the metrics. Expected values
# are those worked out by hand in datasets/spaff/README.md.
analyze spaff --codebook datasets/spaff/codebook.csv \
    datasets/spaff/transcript.csv
ex "$TMP/spaff.h5" /responsiveness >"$TMP/r"
ex "$TMP/spaff.h5" /responsiveness/km >"$TMP/km"
ex "$TMP/spaff.h5" /cycles >"$TMP/c"
ex "$TMP/spaff.h5" /softening >"$TMP/f"
ex "$TMP/spaff.h5" /sessions >"$TMP/s"
row_is "spaff: session durations 89 and 63 s" "$TMP/s" "couple=c01" \
    "n_events=24 duration_s=89"
row_is "spaff: c02 duration" "$TMP/s" "couple=c02" "n_events=18 duration_s=63"
# c01 A: bids 2 (answered 2 s) and 14 (answered 8 s later: late); KM
# events at 2 and 8: S 1/2, 0; 1 - S(5) = 0.5.
row_is "spaff c01 A bids" "$TMP/r" "couple=c01 bidder=A" \
    "n_bids=2 n_answered=1 n_answered_late=1 response_rate=0.5 latency_mean_s=2 latency_median_s=2 n_turned_away=0 n_turned_against=0 p_response_by_window=0.5"
# c01 B: bids 12 (answered 3 s) and 20 (turned away by A's defensiveness
# 2 s later, answered 10 s later: late); KM events at 3 and 10.
row_is "spaff c01 B bids" "$TMP/r" "couple=c01 bidder=B" \
    "n_bids=2 n_answered=1 n_answered_late=1 response_rate=0.5 latency_mean_s=3 latency_median_s=3 n_turned_away=1 n_turned_against=0 p_response_by_window=0.5"
# c02 A: bid 10 turned away by stonewalling, censored at 9 s; bid 12
# answered after 3 s: KM at 3 s, 2 at risk, S = 1/2.
row_is "spaff c02 A bids" "$TMP/r" "couple=c02 bidder=A" \
    "n_bids=2 n_answered=1 n_answered_late=0 response_rate=0.5 latency_mean_s=3 latency_median_s=3 n_turned_away=1 n_turned_against=0 p_response_by_window=0.5"
# c02 B: bid 2 turned against by criticism, censored at 44 s; bid 14
# answered after 1 s.
row_is "spaff c02 B bids" "$TMP/r" "couple=c02 bidder=B" \
    "n_bids=2 n_answered=1 n_answered_late=0 response_rate=0.5 latency_mean_s=1 latency_median_s=1 n_turned_away=0 n_turned_against=1 p_response_by_window=0.5"
row_is "spaff KM c01 A at 2 s" "$TMP/km" "row=0 time_s=2" "survival=0.5 n_at_risk=2 n_events=1"
row_is "spaff KM c01 A at 8 s" "$TMP/km" "row=0 time_s=8" "survival=0 n_at_risk=1 n_events=1"
row_is "spaff KM c01 B at 3 s" "$TMP/km" "row=1 time_s=3" "survival=0.5 n_at_risk=2 n_events=1"
row_is "spaff KM c01 B at 10 s" "$TMP/km" "row=1 time_s=10" "survival=0 n_at_risk=1 n_events=1"
row_is "spaff KM c02 A at 3 s" "$TMP/km" "row=2 time_s=3" "survival=0.5 n_at_risk=2 n_events=1"
row_is "spaff KM c02 B at 1 s" "$TMP/km" "row=3 time_s=1" "survival=0.5 n_at_risk=2 n_events=1"
rows "spaff KM: 6 points" "$TMP/km" 6
# c01: cycles 4-9 (6 events, soften, 26 s) and 17-19 (3, bid, 11 s):
# 37 s of 89. c02: 4-8 (5 events, pursuer B, other, 18 s) and 16-18
# (3, session end, 8 s): 26 s of 63.
row_is "spaff c01 cycles" "$TMP/c" "couple=c01" \
    "n_cycles=2 events_in_cycles=9 longest_cycle=6 time_in_cycles_s=37 share_time_in_cycles=$(calc '37/89') n_pursuer_a=2 n_pursuer_b=0 ended_by_soften=1 ended_by_bid=1 ended_other=0 ended_by_session_end=0"
row_is "spaff c02 cycles" "$TMP/c" "couple=c02" \
    "n_cycles=2 events_in_cycles=8 longest_cycle=5 time_in_cycles_s=26 share_time_in_cycles=$(calc '26/63') n_pursuer_a=0 n_pursuer_b=2 ended_by_soften=0 ended_by_bid=0 ended_other=1 ended_by_session_end=1"
# Softening: c01 A at 36 (reciprocated) and 86 (not), rate 2/(89/60);
# c01 B at 80 (reciprocated), rate 1/(89/60); c02 none: rate 0, first and
# share NA.
row_is "spaff c01 A softening" "$TMP/f" "couple=c01 actor=A" \
    "n_soften=2 n_reciprocated=1 rate_per_min=$(calc '120/89') first_onset_s=36 share_reciprocated=0.5"
row_is "spaff c01 B softening" "$TMP/f" "couple=c01 actor=B" \
    "n_soften=1 n_reciprocated=1 rate_per_min=$(calc '60/89') first_onset_s=80 share_reciprocated=1"
row_is "spaff c02 A softening" "$TMP/f" "couple=c02 actor=A" \
    "n_soften=0 n_reciprocated=0 rate_per_min=0 first_onset_s=NA share_reciprocated=NA"
row_is "spaff c02 B softening" "$TMP/f" "couple=c02 actor=B" \
    "n_soften=0 n_reciprocated=0 rate_per_min=0 first_onset_s=NA share_reciprocated=NA"
finish
