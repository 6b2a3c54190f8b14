#!/bin/sh
# tests/compare/test_metrics.sh — the per-couple values of `dyadseq compare`:
#   - every value equals the one `dyadseq analyze` exports for that couple's
#     pre or post session (the same printed double), and events per minute
#     and cycles per 10 minutes equal a direct awk computation from the
#     transcripts (tests/compare/session_rates.awk);
#   - a results file of analyze as input gives the same /comparison, bit for
#     bit, as the transcripts, and carries their provenance;
#   - a hand-made study: the couples missing a session and the metrics
#     undefined on one side are listed with their reasons and left out of
#     that metric only; the reliable change index against a hand
#     computation.
. tests/lib.sh

"$DYADSEQ" simulate --couples 10 --events 80 --seed 21 -o "$TMP/s/" -q
check "analyze the study" "$DYADSEQ" analyze -q -o "$TMP/a.h5" "$TMP/s"
check "compare the transcripts" "$DYADSEQ" compare -q --pre pre --post post \
    --reliability 'latency_median_s[B->A]=0.6' -o "$TMP/c.h5" "$TMP/s"
for p in /lag/1/session/yules_q /lag/1/session/adjusted_residual \
    /responsiveness /cycles /softening; do
    "$DYADSEQ" export -q "$TMP/a.h5" "$p" >"$TMP/x$(echo "$p" | tr / _).csv"
done
awk -f tests/compare/analyze_values.awk "$TMP"/x_*.csv >"$TMP/analyze.csv"
"$DYADSEQ" export "$TMP/c.h5" /comparison/values >"$TMP/values.csv"

# every value of every metric that analyze has, pre and post
out=$(awk -F, '
    NR == FNR { a[$1 SUBSEP $2 SUBSEP $3] = $4; next }
    FNR == 1 { next }
    { for (k = 0; k < 2; k++) {
          key = $2 SUBSEP $3 SUBSEP (k ? "post" : "pre")
          got = k ? $5 : $4
          if (!(key in a)) { miss[$2]++; continue }
          n++; if (a[key] != got) { bad++; if (bad < 5) print "differs:", $2, $3, k, got, a[key] } } }
    END { for (m in miss) if (m != "cycles_per_10min" && m != "events_per_min") print "not in analyze:", m
          print "values", n, bad + 0 }' "$TMP/analyze.csv" "$TMP/values.csv")
n_want=$(awk -F, 'NR > 1 && $2 != "cycles_per_10min" && $2 != "events_per_min" { n += 2 } END { print n }' "$TMP/values.csv")
check_eq "every lag-1, responsiveness, share and softening value is analyze's ($n_want values)" \
    "$out" "values $n_want 0"

# events per minute and cycles per 10 minutes, from the transcripts
awk -f tests/compare/session_rates.awk "$TMP"/s/*.csv >"$TMP/rates.csv"
out=$(awk -F, '
    NR == FNR { e[$1 SUBSEP $2] = $3; c[$1 SUBSEP $2] = $4; next }
    FNR == 1 || ($2 != "events_per_min" && $2 != "cycles_per_10min") { next }
    { for (k = 0; k < 2; k++) {
          key = $3 SUBSEP (k ? "post" : "pre"); got = k ? $5 : $4
          want = $2 == "events_per_min" ? e[key] : c[key]
          n++; d = got - want; if (d < 0) d = -d
          if (d > 1e-9 * (want < 0 ? -want : want) + 1e-12) { bad++; print "differs:", $2, $3, k, got, want } } }
    END { print "rates", n, bad + 0 }' "$TMP/rates.csv" "$TMP/values.csv")
check_eq "events per minute and cycles per 10 minutes as awk computes them" "$out" "rates 40 0"
n_cyc=$(awk -F, '$4 > 0 { n++ } END { print n + 0 }' "$TMP/rates.csv")
if [ "$n_cyc" -gt 10 ]; then ok "cycles in $n_cyc of 20 sessions (the check is not vacuous)"
else not_ok "cycles in only $n_cyc of 20 sessions"; fi

# a results file as input: the same /comparison, bit for bit
check "compare the results file" "$DYADSEQ" compare -q --pre pre --post post \
    --reliability 'latency_median_s[B->A]=0.6' -o "$TMP/c2.h5" "$TMP/a.h5"
same=0
for p in /comparison /comparison/values /comparison/excluded \
    /comparison/reliability /comparison/rci /sessions /states/label \
    /codebook; do
    "$DYADSEQ" export -q "$TMP/c.h5" "$p" >"$TMP/e1" 2>&1
    "$DYADSEQ" export -q "$TMP/c2.h5" "$p" >"$TMP/e2" 2>&1
    if cmp -s "$TMP/e1" "$TMP/e2" && [ -s "$TMP/e1" ]; then same=$((same + 1))
    else echo "    # $p differs"; fi
done
check_eq "results-file input: /comparison and its tables as from transcripts" "$same" 8
h5attr() { "$DYADSEQ" info "$1" | sed -n "s/^  $2 *//p"; }
check_eq "results-file input: the transcripts' checksums carried over" \
    "$(h5attr "$TMP/c2.h5" inputs | md5sum)" "$(h5attr "$TMP/a.h5" inputs | md5sum)"
"$DYADSEQ" info "$TMP/c2.h5" >"$TMP/info" 2>&1
if grep -q "source_file.*$TMP/a.h5" "$TMP/info" &&
    grep -q "source_sha256.*$(sha256sum "$TMP/a.h5" | cut -c1-64)" "$TMP/info"; then
    ok "results-file input: the file read and its SHA-256 recorded"
else
    not_ok "results-file input: source_file / source_sha256 missing"; sed 's/^/    # /' "$TMP/info" | head
fi

# the same bytes at 1 and 4 threads (the command line, which names -o, is
# the same when run from two directories; -t is left out of it)
mkdir "$TMP/t1" "$TMP/t4"
(cd "$TMP/t1" && "$DYADSEQ" compare -q -t 1 --pre pre --post post -o c.h5 ../s >/dev/null)
(cd "$TMP/t4" && "$DYADSEQ" compare -q -t 4 --pre pre --post post -o c.h5 ../s >/dev/null)
if cmp -s "$TMP/t1/c.h5" "$TMP/t4/c.h5"; then ok "byte-identical files at 1 and 4 threads"
else not_ok "the files at 1 and 4 threads differ"; fi

# ---- a hand-made study -----------------------------------------------------
# Events at i * 60 / (n - 1), i = 0 .. n - 1: 60 s, so events_per_min = n.
# c1-c4, c7: both sessions; c5 only pre, c6 only post; c7's pre session has
# no bid by A.
mk() { # COUPLE SESSION N PATTERN
    awk -v c="$1" -v s="$2" -v n="$3" -v p="$4" 'BEGIN {
        k = split(p, e, " ")
        for (i = 0; i < n; i++) {
            split(e[i % k + 1], ac, ":")
            printf "%s,%s,%s,%s,%.6f\n", c, s, ac[1], ac[2], i * 60 / (n - 1) } }'
}
P="A:bid B:response B:bid A:response A:pursue B:withdraw"
Q="B:bid A:response A:pursue B:withdraw"
{
    echo couple,session,actor,code,time
    mk c1 pre 10 "$P"; mk c1 post 20 "$P"
    mk c2 pre 12 "$P"; mk c2 post 12 "$P"
    mk c3 pre 14 "$P"; mk c3 post 13 "$P"
    mk c4 pre 16 "$P"; mk c4 post 8 "$P"
    mk c5 pre 12 "$P"
    mk c6 post 12 "$P"
    mk c7 pre 18 "$Q"; mk c7 post 18 "$P"
} >"$TMP/hand.csv"
check "compare the hand-made study" "$DYADSEQ" compare --pre pre --post post \
    --reliability events_per_min=0.5:higher -o "$TMP/h.h5" "$TMP/hand.csv"
cp "$TMP/.out" "$TMP/h.out"
"$DYADSEQ" export "$TMP/h.h5" /comparison/excluded >"$TMP/hx.csv"
M=$("$DYADSEQ" export -q "$TMP/h.h5" /comparison | awk 'END { print NR - 1 }')
check_eq "c5 left out of all $M metrics: no post session" \
    "$(grep -c ",c5,no 'post' session$" "$TMP/hx.csv")" "$M"
check_eq "c6 left out of all $M metrics: no pre session" \
    "$(grep -c ",c6,no 'pre' session$" "$TMP/hx.csv")" "$M"
check_eq "c7 left out of the A->B responsiveness: pre has no bids by A" \
    "$(grep ',c7,' "$TMP/hx.csv" | grep -E 'A:bid|A->B' | cut -d, -f2-)" \
    "yules_q[A:bid->B:response],c7,pre: no transition from A:bid
adjusted_residual[A:bid->B:response],c7,pre: no transition from A:bid
response_rate[A->B],c7,pre: no bids by A
latency_median_s[A->B],c7,pre: no bids by A"
check_eq "soften never happens: its transitions are left out with the reason" \
    "$(grep -c ',c1,pre and post: no transition from [AB]:soften$' "$TMP/hx.csv")" 4
if grep -q '^  c5  *(every metric)  *no .post. session$' "$TMP/h.out" &&
    grep -q '^  c7  *response_rate\[A->B\]  *pre: no bids by A$' "$TMP/h.out"; then
    ok "the table lists the couples left out with their reasons"
else
    not_ok "the table lists the couples left out"; sed 's/^/    # /' "$TMP/h.out" | tail -20
fi
n=$("$DYADSEQ" export -q "$TMP/h.h5" /comparison | awk -F, '$2 == "response_rate[A->B]" { print $3 }')
check_eq "response_rate[A->B]: 4 pairs (c7 left out of this metric only)" "$n" 4
n=$("$DYADSEQ" export -q "$TMP/h.h5" /comparison | awk -F, '$2 == "events_per_min" { print $3 }')
check_eq "events_per_min: 5 pairs (c7 kept)" "$n" 5

# Reliable change by hand: pre 10 12 14 16 18 (c1-c4, c7), SD = sqrt(10);
# r = 0.5: SE_diff = sqrt(2) sqrt(10) sqrt(0.5) = sqrt(10) = 3.16227766;
# post - pre = 10, 0, -1, -8, 0: RCI = sqrt(10) = 3.1623 (improved),
# 0, -0.3162, 0 (unchanged), -8/sqrt(10) = -2.5298 (deteriorated).
check_eq "RCI per couple as by hand" \
    "$("$DYADSEQ" export "$TMP/h.h5" /comparison/rci | awk -F, 'NR > 1 { printf "%s %s %s %.10f %s\n", $3, $4, $5, $6, $7 }')" \
    "c1 10 20 3.1622776602 improved
c2 12 12 0.0000000000 unchanged
c3 14 13 -0.3162277660 unchanged
c4 16 8 -2.5298221281 deteriorated
c7 18 18 0.0000000000 unchanged"
check_eq "RCI counts and SE_diff as by hand" \
    "$("$DYADSEQ" export "$TMP/h.h5" /comparison/reliability | awk -F, 'NR > 1 { printf "%s %s %s %.10f %.10f %s %s %s\n", $2, $3, $4, $5, $6, $7, $8, $9 }')" \
    "events_per_min 0.5 higher 3.1622776602 3.1622776602 1 3 1"
finish
