#!/bin/sh
# tests/analyze/test_edge_cases.sh — the edge cases of issue #4 through
# the command line, each with the result SPEC 4.1 and
# docs/statistics-lag.md ("NaN rules", "Edge cases") define:
#
#   a session of one event          every statistic NaN, a warning; its
#                                   event still counts in pooled Wampold n
#   a state that never occurs       zero margins: expected 0, the rest NaN
#   a state only as the last event  zero row, but Wampold's kappa defined
#   all counts in one cell          Q NaN, residuals NaN, G² = X² = 0,
#                                   df 0, p NaN, Wampold's kappa −1/n
#   a 60-code codebook (K = 120)    shapes, state order, counts, G², df,
#                                   residuals and Wampold against awk
#   a session of 10^6 events        the same, generated at test time
#
# Expected values are written out in the comments next to each check.
. tests/lib.sh

# (in each awk below, c is the column named STAT, from the header: one
# process per value)
# sv STAT SESSION FROM TO: a per-session value from $TMP/s.csv
sv() {
    awk -F, -v name="$1" -v s="$2" -v f="$3" -v t="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        c && $1 == s && $4 == f && $5 == t { print $c }' "$TMP/s.csv"
}
# pv STAT FROM TO: a pooled value from $TMP/p.csv
pv() {
    awk -F, -v name="$1" -v f="$2" -v t="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        c && $1 == f && $2 == t { print $c }' "$TMP/p.csv"
}
# near DESCRIPTION GOT WANT [TOL]: numbers equal to a relative tolerance
near() {
    if awk -v g="$2" -v w="$3" -v t="${4:-1e-12}" 'BEGIN {
        d = g - w; if (d < 0) d = -d; m = w < 0 ? -w : w; if (m < 1) m = 1
        exit !(g != "" && d <= t * m) }'; then ok "$1"
    else not_ok "$1"; echo "    # got:  $2"; echo "    # want: $3"; fi
}
# count_na STAT SESSION: NA cells of a per-session statistic
count_na() {
    awk -F, -v name="$1" -v s="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        c && $1 == s && $c == "NA" { n++ } END { print n + 0 }' "$TMP/s.csv"
}

# ---------------------------------------------------------------------------
# small sessions: one event, an absent state, a last-only state, one cell
# ---------------------------------------------------------------------------
printf 'code,role,description\na,other,\nb,other,\nc,other,\nd,other,\n' >"$TMP/cb.csv"
cat >"$TMP/t.csv" <<'EOF'
couple,session,code
c1,s1,a
c2,s1,a
c2,s1,b
c2,s1,a
c2,s1,c
c2,s1,b
c2,s1,a
c2,s1,b
c2,s1,c
c2,s1,a
c3,s1,a
c3,s1,a
c3,s1,a
c3,s1,a
c3,s1,a
c4,s1,b
c4,s1,a
c4,s1,b
c4,s1,c
c4,s1,b
c4,s1,d
EOF
"$DYADSEQ" analyze --codebook "$TMP/cb.csv" -o "$TMP/e.h5" "$TMP/t.csv" >"$TMP/out" 2>"$TMP/err"
check_eq "sessions of 1 to 9 events: exit 0" "$?" 0
check "a one-event session is a warning naming it" grep -qx \
    "dyadseq: warning: $TMP/t.csv:2: session 'c1'/'s1' has only 1 event; its sequential statistics are NaN" "$TMP/err"
"$DYADSEQ" export "$TMP/e.h5" /lag/1/session >"$TMP/s.csv"
"$DYADSEQ" export "$TMP/e.h5" /lag/1/pooled >"$TMP/p.csv"

# c1, one event: no pairs (N = 0), so every statistic is NaN, table-wise
# ones too, and the counts are 0 (SPEC 3, docs "N = 0")
check_eq "one event: n_events 1" "$("$DYADSEQ" export "$TMP/e.h5" /sessions/n_events |
    awk -F, '$2 == "c1" { print $4 }')" 1
check_eq "one event: counts all 0" "$(awk -F, 'NR > 1 && $1 == 0 { s += $6 } END { print s + 0 }' "$TMP/s.csv")" 0
bad=""
for st in expected transition_prob adjusted_residual p_value yules_q yules_q_se \
          log_odds_ratio log_odds_ratio_se wampold_kappa wampold_z g2 x2 df g2_p; do
    [ "$(count_na $st 0)" = 16 ] || bad="$bad $st"
done
check_eq "one event: all 14 statistics NaN in all 16 cells" "$bad" ""

# c2 = a b a c b a b c a: d never occurs, so row d and column d have zero
# margins: expected 0; transition_prob NaN in row d (0/0) and 0 in column d
# of the active rows; residual, Q and its kin NaN; Wampold NaN too (n_d = 0:
# f = e' = 0 and min(n_i, n_d) − e' = 0); df = (3 − 1)(3 − 1) = 4
check_eq "absent state: expected 0 in row and column d" \
    "$(sv expected 1 d a) $(sv expected 1 a d) $(sv expected 1 d d)" "0 0 0"
check_eq "absent state: transition_prob NaN in row d, 0 in column d" \
    "$(sv transition_prob 1 d b) $(sv transition_prob 1 b d)" "NA 0"
check_eq "absent state: residual, p, Q, SE, log odds NaN in row and column d" \
    "$(for st in adjusted_residual p_value yules_q yules_q_se log_odds_ratio log_odds_ratio_se; do
          printf '%s %s ' "$(sv $st 1 d a)" "$(sv $st 1 a d)"; done)" \
    "NA NA NA NA NA NA NA NA NA NA NA NA "
check_eq "absent state: Wampold kappa and z NaN (n_d = 0)" \
    "$(sv wampold_kappa 1 a d) $(sv wampold_z 1 d a)" "NA NA"
check_eq "absent state: df = (r - 1)(c - 1) over active rows and columns = 4" "$(sv df 1 a a)" 4
# Q of a → b from its 2×2 collapse: a = 2, b = R_a − 2 = 1, c = C_b − 2 = 1,
# d = 8 − 3 − 3 + 2 = 4: (8 − 1)/(8 + 1) = 7/9
near "absent state: the active cells are computed (Q a->b = 7/9)" "$(sv yules_q 1 a b)" 0.77777777777777778

# c4 = b a b c b d: d occurs only as the last event: row d has no pairs
# (zero margin, Q NaN) but n_d = 1, so Wampold is defined:
# d → a: f = 0 < e' = 1·1/6, κ = (0 − 1/6)/(1/6) = −1,
# z = −(1/6)/sqrt(1·1·5·5/(36·5)) = −1/sqrt(5)
check_eq "last-only state: Yule's Q NaN in its zero row" "$(sv yules_q 3 d a)" NA
check_eq "last-only state: Wampold kappa d->a = -1" "$(sv wampold_kappa 3 d a)" -1
near "last-only state: Wampold z d->a = -1/sqrt(5)" "$(sv wampold_z 3 d a)" -0.44721359549995794

# c3 = a a a a a: every pair in one cell. One active row and column: e = f
# = 4, no residual variance (1 − R/N = 0), so z and p NaN; the 2×2 collapse
# has b = c = d = 0, ad + bc = 0, so Q NaN; G² = X² = 0, df 0, p NaN;
# Wampold: n_a = n = 5, e' = 5 > f = 4, κ = (4 − 5)/5 = −1/n = −0.2 (the
# formula counts n events where the table has n − 1 pairs), z NaN
# (n − n_a = 0); other cells: expected 0, transition_prob 0 in row a, NaN
# elsewhere
check_eq "one cell: counts, expected, transition_prob of a->a" \
    "$(sv counts 2 a a) $(sv expected 2 a a) $(sv transition_prob 2 a a)" "4 4 1"
check_eq "one cell: adjusted residual and p NaN in every cell" \
    "$(count_na adjusted_residual 2) $(count_na p_value 2)" "16 16"
check_eq "one cell: Yule's Q, SE, log odds NaN (ad + bc = 0)" \
    "$(sv yules_q 2 a a) $(sv yules_q_se 2 a a) $(sv log_odds_ratio 2 a a)" "NA NA NA"
check_eq "one cell: G2 0, X2 0, df 0, p NaN" \
    "$(sv g2 2 a a) $(sv x2 2 a a) $(sv df 2 a a) $(sv g2_p 2 a a)" "0 0 0 NA"
check_eq "one cell: Wampold kappa -1/n = -0.2, z NaN" \
    "$(sv wampold_kappa 2 a a) $(sv wampold_z 2 a a)" "-0.2 NA"
check_eq "one cell: expected 0, transition_prob 0 in row a, NaN in other rows" \
    "$(sv expected 2 a b) $(sv transition_prob 2 a b) $(sv transition_prob 2 b a)" "0 0 NA"

# pooled over the four sessions: 17 pairs, and Wampold's n is all 21 events
# (the one-event session included): a → a: n_a = 11, e' = 121/21 > f = 4,
# κ = (4 − 121/21)/(121/21) = 84/121 − 1
check_eq "pooled: 17 pairs, 21 events" \
    "$(awk -F, 'NR > 1 { s += $3 } END { print s }' "$TMP/p.csv") $(pv n_events a a)" "17 21"
near "pooled: Wampold kappa a->a uses all 21 events" "$(pv wampold_kappa a a)" -0.30578512396694213
check "info reads the file" "$DYADSEQ" info "$TMP/e.h5"

# ---------------------------------------------------------------------------
# reference computations with awk for the large cases
# ---------------------------------------------------------------------------
# tally FILE...: the lag-1 table of transcripts (couple,session,actor,code,...;
# one session's rows contiguous) as "from,to,count" lines for f > 0, and
# the state frequencies as "freq,state,n"
tally() {
    awk -F, 'FNR == 1 { next }
        { s = $1 "," $2; x = $3 ":" $4; freq[x]++
          if (s == prev) f[last "," x]++; prev = s; last = x }
        END { for (k in f) print k "," f[k]; for (x in freq) print "freq," x "," freq[x] }' "$@"
}
# reference TALLY POOLED_EXPORT: compare every pooled cell and the table
# statistics with awk's (Haberman residuals, Wampold, G², X², df)
reference() {
    awk -F, -v tol=1e-9 '
        function abs(v) { return v < 0 ? -v : v }
        function cmp(what, g, w) {
            if (g == "NA" && w == "NA") return
            if (g == "NA" || w == "NA" || abs(g - w) > tol * (abs(w) > 1 ? abs(w) : 1)) {
                bad++; if (bad <= 5) print "    # " what ": dyadseq " g ", awk " w }
            checked++ }
        NR == FNR {
            if ($1 == "freq") { nf[$2] = $3; n += $3 }
            else { f[$1 "," $2] = $3; R[$1] += $3; C[$2] += $3; N += $3 }
            next }
        FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        {   i = $1; j = $2; o = (i "," j) in f ? f[i "," j] : 0
            if ($h["counts"] != o) {
                bad++
                if (bad <= 5) print "    # counts " i "->" j ": " $h["counts"] " vs " o }
            e = R[i] * C[j] / N
            cmp("expected " i "->" j, $h["expected"], e)
            v = e * (1 - R[i] / N) * (1 - C[j] / N)
            cmp("adjusted_residual " i "->" j, $h["adjusted_residual"], e > 0 && v > 0 ? (o - e) / sqrt(v) : "NA")
            ni = nf[i] + 0; nj = nf[j] + 0; ep = ni * nj / n
            den = o >= ep ? (ni < nj ? ni : nj) - ep : ep
            cmp("wampold_kappa " i "->" j, $h["wampold_kappa"], den > 0 ? (o - ep) / den : "NA")
            w = ni * nj * (n - ni) * (n - nj) / (n * n * (n - 1))
            cmp("wampold_z " i "->" j, $h["wampold_z"], w > 0 ? (o - ep) / sqrt(w) : "NA")
            if (o > 0) g2 += 2 * o * log(o / e)
            if (e > 0) x2 += (o - e) ^ 2 / e
            g = $h["g2"]; x = $h["x2"]; df = $h["df"]; cells++ }
        END {
            for (k in R) if (R[k] > 0) r++
            for (k in C) if (C[k] > 0) c++
            cmp("g2", g, g2); cmp("x2", x, x2); cmp("df", df, (r - 1) * (c - 1))
            print (bad ? "not ok" : "ok") " - " name ": " cells \
                " cells and G2, X2, df agree with awk (" checked " values)"
            exit bad > 0 }' name="$3" "$1" "$2"
}

# ---------------------------------------------------------------------------
# K = 120: a 60-code codebook and two actors
# ---------------------------------------------------------------------------
awk 'BEGIN { print "code,role,description"
    split("pursue withdraw soften bid response", r, " ")
    for (i = 1; i <= 60; i++) printf "c%02d,%s,code %d\n", i, i <= 5 ? r[i] : "other", i }' >"$TMP/cb60.csv"
awk 'BEGIN { srand(60); print "couple,session,actor,code,time"
    for (cp = 1; cp <= 3; cp++) for (s = 1; s <= 2; s++) {
        t = 0; k = 1
        for (e = 0; e < 3000; e++) {
            # a dependency: code k is often followed by code k + 1
            k = rand() < 0.3 ? (k % 60) + 1 : 1 + int(rand() * rand() * 60)
            t += 0.5 + rand()
            printf "k%d,%s,%s,c%02d,%.2f\n", cp, s == 1 ? "pre" : "post",
                rand() < 0.5 ? "A" : "B", k, t } } }' >"$TMP/k120.csv"
"$DYADSEQ" analyze -q --codebook "$TMP/cb60.csv" -o "$TMP/k120.h5" "$TMP/k120.csv"
check_eq "K = 120: exit 0" "$?" 0
"$DYADSEQ" export "$TMP/k120.h5" /states/label >"$TMP/labels"
check_eq "K = 120: 120 states, actor-major in codebook order" \
    "$(tail -n +2 "$TMP/labels" | wc -l | tr -d ' ') $(sed -n '2p;61p;62p;121p' "$TMP/labels" | cut -d, -f2 | tr '\n' ' ')" \
    "120 A:c01 A:c60 B:c01 B:c60 "
"$DYADSEQ" export "$TMP/k120.h5" /lag/1/session/counts >"$TMP/kc"
check_eq "K = 120: [S, K, K] = 6 x 120 x 120 per-session cells, 2999 pairs each" \
    "$(awk -F, 'NR > 1 { n++; s[$1] += $6 }
        END { for (k in s) if (s[k] != 2999) bad++; print n, bad + 0 }' "$TMP/kc")" "86400 0"
"$DYADSEQ" export "$TMP/k120.h5" /lag/1/pooled >"$TMP/k120p.csv"
tally "$TMP/k120.csv" >"$TMP/k120.tally"
reference "$TMP/k120.tally" "$TMP/k120p.csv" "K = 120 pooled"
check_eq "K = 120: windows, responsiveness, cycles computed" \
    "$(h=$("$DYADSEQ" info "$TMP/k120.h5"); for g in /window /responsiveness /cycles /softening; do
        printf '%s\n' "$h" | grep -q "groups .*$g" && printf '%s ' "$g"; done)" \
    "/window /responsiveness /cycles /softening "

# ---------------------------------------------------------------------------
# one session of 10^6 events
# ---------------------------------------------------------------------------
awk 'BEGIN { srand(42); split("pursue withdraw soften bid response", c, " ")
    print "couple,session,actor,code,time"; t = 0; a = 1; k = 1
    for (i = 0; i < 1000000; i++) {
        r = rand(); if (r < 0.6) a = 3 - a
        if (k == 1 && r < 0.5) k = 2; else if (k == 4 && r < 0.4) k = 5
        else k = 1 + int(rand() * 5)
        t += 0.2 + rand() * 2
        printf "big,s1,%s,%s,%.3f\n", a == 1 ? "A" : "B", c[k], t } }' >"$TMP/big.csv"
start=$(date +%s)
"$DYADSEQ" analyze -q --lags 1,2 -o "$TMP/big.h5" "$TMP/big.csv"
check_eq "10^6 events: exit 0" "$?" 0
secs=$(( $(date +%s) - start ))
check_eq "10^6 events: n_events, lag-1 and lag-2 pairs" \
    "$("$DYADSEQ" export "$TMP/big.h5" /sessions/n_events | tail -1 | cut -d, -f4) $(
       "$DYADSEQ" export "$TMP/big.h5" /lag/1/pooled/counts | awk -F, 'NR > 1 { s += $3 } END { print s }') $(
       "$DYADSEQ" export "$TMP/big.h5" /lag/2/pooled/counts | awk -F, 'NR > 1 { s += $3 } END { print s }')" \
    "1000000 999999 999998"
"$DYADSEQ" export "$TMP/big.h5" /lag/1/pooled >"$TMP/bigp.csv"
tally "$TMP/big.csv" >"$TMP/big.tally"
reference "$TMP/big.tally" "$TMP/bigp.csv" "10^6 events (analyzed in ${secs}s)"
# the one session's table is the pooled one: the session export's columns
# (after session_index, couple, session) picked from the pooled export by
# name (the pooled table has more: n_events, structural_zero)
"$DYADSEQ" export "$TMP/big.h5" /lag/1/session | cut -d, -f4- >"$TMP/bigs.csv"
awk -F, -v OFS=, 'NR == FNR { if (FNR == 1) n = split($0, want, ","); next }
    FNR == 1 { for (i = 1; i <= NF; i++) at[$i] = i }
    { line = ""; for (k = 1; k <= n; k++) line = line (k > 1 ? "," : "") $(at[want[k]]); print line }' \
    "$TMP/bigs.csv" "$TMP/bigp.csv" >"$TMP/bigp-cols.csv"
check "10^6 events: the session table is the pooled table" cmp "$TMP/bigs.csv" "$TMP/bigp-cols.csv"
check_eq "10^6 events: the planted A/B:pursue -> withdraw dependency is the strongest from pursue" \
    "$(awk -F, 'NR > 1 && $1 ~ /pursue$/ && $6 > m { m = $6; c = $2 }
        END { sub(/^[AB]:/, "", c); print c }' "$TMP/bigp.csv")" withdraw
finish
