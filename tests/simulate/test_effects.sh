#!/bin/sh
# tests/simulate/test_effects.sh — the built-in model plants what it says:
# bids answered at the groups' rates (Gottman's 86% / 33%), the matrix of
# --print-model for every group and session, after therapy fewer and
# shorter pursue-withdraw cycles and more softening, and with
# --latency-mean PRE:POST and --answer-gain faster and more frequent
# answers. Recomputed with tests/simulate/metrics.awk, base R and awk,
# never with `dyadseq analyze`.
. tests/lib.sh
A=tests/simulate/metrics.awk

# field NAME of the metrics line of GROUP and SESSION
metric() {
    awk -v k="$1=" -v g="group=$2" -v s="session=$3" '$1 == g && $2 == s {
        for (i = 1; i <= NF; i++) if (index($i, k) == 1) print substr($i, length(k) + 1) }' "$TMP/m"
}
# within VALUE WANT TOL: |VALUE - WANT| <= TOL
within() { awk -v v="$1" -v w="$2" -v t="$3" 'BEGIN { exit !(v - w <= t && w - v <= t) }'; }
# less A B: A < B
less() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# The gamma latencies of the tests have whole shapes K (Erlang), whose CDF
# is 1 - sum_{i<K} e^(-x/s) (x/s)^i / i! with scale s = MEAN / K.
# gamma_awk PROGRAM: run PROGRAM with cdf(x, k, mean) and pdf(x, k, mean).
gamma_awk() {
    awk "function cdf(x, k, m,   s, i, term, sum) { s = m / k; term = exp(-x / s); sum = 0
             for (i = 0; i < k; i++) { sum += term; term *= x / s / (i + 1) }
             return 1 - sum }
         function pdf(x, k, m,   s, i, f) { s = m / k; f = exp(-x / s) / s
             for (i = 1; i < k; i++) f *= x / s / i
             return f }
         BEGIN { $1 }"
}
# late MEAN K: share of latencies beyond W = 5 s
late() { gamma_awk "print 1 - cdf(5, $2, $1)"; }
# planted_median MEAN K: median of the latencies within 5 s (bisection of
# cdf(x) = cdf(5) / 2)
planted_median() {
    gamma_awk "lo = 0; hi = 5; h = cdf(5, $2, $1) / 2
               for (i = 0; i < 60; i++) { x = (lo + hi) / 2; if (cdf(x, $2, $1) < h) lo = x; else hi = x }
               print (lo + hi) / 2"
}
# median_se MEAN K N: asymptotic SE of the median of N such latencies,
# 1 / (2 f(m) sqrt(N)) with f the density truncated at 5 s
median_se() {
    m=$(planted_median "$1" "$2")
    gamma_awk "print cdf(5, $2, $1) / (2 * pdf($m, $2, $1) * sqrt($3))"
}

# latency_checks GROUP SESSION MEAN K: the mean latency of all answers is
# the planted mean (gamma SD MEAN / sqrt(K)) and the median of the
# answered bids (within 5 s) that of the truncated gamma, within 4.5 SE
latency_checks() {
    n=$(metric answers "$1" "$2") mean=$(metric lat_mean "$1" "$2")
    med=$(metric lat_median "$1" "$2") answered=$(metric answered "$1" "$2")
    tol=$(awk -v m="$3" -v k="$4" -v n="$n" 'BEGIN { print 4.5 * m / sqrt(k) / sqrt(n) }')
    if within "$mean" "$3" "$tol"; then
        ok "$1 $2: mean answer latency $mean s, planted $3 ± $tol ($n answers)"
    else not_ok "$1 $2: mean answer latency $mean s, planted $3 ± $tol ($n answers)"; fi
    want=$(planted_median "$3" "$4")
    # + 0.001: onsets are written to the millisecond
    tol=$(awk -v s="$(median_se "$3" "$4" "$answered")" 'BEGIN { print 4.5 * s + 0.001 }')
    if within "$med" "$want" "$tol"; then
        ok "$1 $2: median latency of answered bids $med s, planted $want ± $tol"
    else not_ok "$1 $2: median latency of answered bids $med s, planted $want ± $tol"; fi
}

# rate_checks GROUP SESSION Q MEAN K: bids answered within 5 s at the
# planted answer probability Q times the share of latencies within 5 s,
# binomial within 4 SE
rate_checks() {
    rate=$(metric rate "$1" "$2") bids=$(metric bids "$1" "$2")
    want=$(awk -v q="$3" -v l="$(late "$4" "$5")" 'BEGIN { print q * (1 - l) }')
    tol=$(awk -v p="$want" -v n="$bids" 'BEGIN { print 4 * sqrt(p * (1 - p) / n) + 1e-9 }')
    if within "$rate" "$want" "$tol"; then
        ok "$1 $2: bids answered within 5 s $rate, planted $want ± $tol ($bids bids)"
    else not_ok "$1 $2: bids answered within 5 s $rate, planted $want ± $tol ($bids bids)"; fi
}

# every couple at exactly its group's rate: the pooled rate is binomial.
# Answer latencies are gamma(4, mean 1.5 s), 99.92% of them within 5 s.
"$DYADSEQ" simulate --couples 40 --events 450 --answer-sd 0 --seed 3 -o "$TMP/sd0.csv"
awk -f "$A" "$TMP/sd0.csv" >"$TMP/m"
for g in stable:0.86 distressed:0.33; do
    name=${g%:*} p=${g#*:}
    for s in pre post; do
        rate=$(metric rate "$name" "$s") bids=$(metric bids "$name" "$s")
        want=$(awk -v p="$p" 'BEGIN { print p * 0.99918 }')
        tol=$(awk -v p="$want" -v n="$bids" 'BEGIN { print 4 * sqrt(p * (1 - p) / n) }')
        if within "$rate" "$want" "$tol"; then
            ok "$name $s: bids answered within 5 s $rate, planted $want ± $tol ($bids bids)"
        else
            not_ok "$name $s: bids answered within 5 s $rate, planted $want ± $tol ($bids bids)"
        fi
    done
done

# the default between-couple SD 0.05: per-session rates spread by about
# sqrt(0.05^2 + binomial); the pooled rate stays near the group's
"$DYADSEQ" simulate --couples 40 --events 450 --seed 4 -o "$TMP/sd5.csv"
awk -f "$A" "$TMP/sd5.csv" >"$TMP/m"
for g in stable:0.86 distressed:0.33; do
    name=${g%:*} p=${g#*:}
    rate=$(metric couple_rate_mean "$name" pre) sd=$(metric couple_rate_sd "$name" pre)
    bids=$(metric bids "$name" pre) k=$(metric sessions "$name" pre)
    want_sd=$(awk -v p="$p" -v n="$bids" -v k="$k" 'BEGIN { print sqrt(0.0025 + p * (1 - p) / (n / k)) }')
    tol=$(awk -v s="$want_sd" -v k="$k" 'BEGIN { print 4 * s / sqrt(k) }')
    if within "$rate" "$p" "$tol"; then ok "$name: mean couple rate $rate ~ $p"
    else not_ok "$name: mean couple rate $rate, want $p ± $tol"; fi
    if within "$sd" "$want_sd" "$(awk -v s="$want_sd" 'BEGIN { print s * 0.6 }')"; then
        ok "$name: between-couple SD $sd ~ $want_sd"
    else not_ok "$name: between-couple SD $sd, want about $want_sd"; fi
done

# the whole matrix of every group and session (R)
if have_r; then
    "$DYADSEQ" simulate --print-model -o "$TMP/pm.csv"
    for g in stable distressed; do
        for s in pre post; do
            printf '%s\t%s\t%s\t%s\t%s\n' "$TMP/sd0.csv" "$TMP/pm.csv" \
                "built-in $g $s: --print-model matrix recovered" "$g" "$s"
        done
    done >"$TMP/specs"
    Rscript tests/simulate/transitions.R --specs "$TMP/specs"
else
    skip "built-in matrices recovered" "no Rscript"
fi

# therapy: fewer and shorter cycles, more softening, less withdrawal after
# pursuit, more cycles ended by softening — in both groups
awk -f "$A" "$TMP/sd5.csv" >"$TMP/m"
for g in stable distressed; do
    for f in cycles_mean cycle_len w_after_p; do
        pre=$(metric $f $g pre) post=$(metric $f $g post)
        if less "$post" "$pre"; then ok "$g: $f falls after therapy ($pre -> $post)"
        else not_ok "$g: $f falls after therapy ($pre -> $post)"; fi
    done
    for f in soften_per_min_mean end_soften; do
        pre=$(metric $f $g pre) post=$(metric $f $g post)
        if less "$pre" "$post"; then ok "$g: $f rises after therapy ($pre -> $post)"
        else not_ok "$g: $f rises after therapy ($pre -> $post)"; fi
    done
done

# three sessions: the middle one lies between pre and post
"$DYADSEQ" simulate --couples 20 --events 450 --groups all:0.6 \
    --sessions pre,mid,post --seed 5 -o "$TMP/three.csv"
awk -f "$A" "$TMP/three.csv" >"$TMP/m"
pre=$(metric soften_per_min_mean all pre) mid=$(metric soften_per_min_mean all mid)
post=$(metric soften_per_min_mean all post)
if less "$pre" "$mid" && less "$mid" "$post"; then
    ok "softening rises pre < mid < post ($pre, $mid, $post)"
else not_ok "softening rises pre < mid < post ($pre, $mid, $post)"; fi

# no effect planted, none found: equal pre and post parameters
"$DYADSEQ" simulate --couples 20 --events 450 --groups all:0.6 --withdraw 0.4 \
    --continue 0.4 --soften 0.1 --reciprocate 0.1 --seed 6 -o "$TMP/flat.csv"
check_eq "equal PRE:POST values make the pre and post matrices equal" \
    "$("$DYADSEQ" simulate --print-model --groups all:0.6 --withdraw 0.4 --continue 0.4 \
        --soften 0.1 --reciprocate 0.1 | awk -F, 'NR > 1 { k = $3 "," $4 "," $5; if ($2 == "pre") a[k] = $6; else b[k] = $6 }
        END { for (k in a) if (a[k] != b[k]) d++; print d + 0 }')" "0"
check_eq "--therapy 0:0 (no couple responds) makes pre and post equal" \
    "$("$DYADSEQ" simulate --print-model --therapy 0:0 | awk -F, 'NR > 1 { k = $1 "," $3 "," $4 "," $5; if ($2 == "pre") a[k] = $6; else b[k] = $6 }
        END { for (k in a) if (a[k] != b[k]) d++; print d + 0 }')" "0"
check_eq "--therapy 0.5:0.2: --print-model shows the mean response, halfway" \
    "$("$DYADSEQ" simulate --print-model --therapy 0.5:0.2 --groups g:0.5 --soften 0.1:0.3 \
        --continue 0.4 | grep '^g,post,A,A:withdraw,B:soften,' | cut -d, -f6)" \
    "$("$DYADSEQ" simulate --print-model --groups g:0.5 --soften 0.2 \
        --continue 0.4 | grep '^g,post,A,A:withdraw,B:soften,' | cut -d, -f6)"
awk -f "$A" "$TMP/flat.csv" >"$TMP/m"
for f in cycles soften_per_min; do
    pre=$(metric ${f}_mean all pre) post=$(metric ${f}_mean all post)
    tol=$(awk -v a="$(metric ${f}_sd all pre)" -v b="$(metric ${f}_sd all post)" \
        'BEGIN { print 4 * sqrt((a * a + b * b) / 20) }')
    if within "$pre" "$post" "$tol"; then ok "no effect planted: $f pre $pre ~ post $post"
    else not_ok "no effect planted: $f pre $pre, post $post differ by more than $tol"; fi
done
# faster and more frequent answers after therapy: --latency-mean 2.5:1.2
# with gamma shape 8 (the demo's: 1.0% of pre answers beyond 5 s, none
# post) and --answer-gain 0.10, every couple at its group's rate and
# reaching the post values
"$DYADSEQ" simulate --couples 40 --events 450 --answer-sd 0 --latency-mean 2.5:1.2 \
    --latency-shape 8 --answer-gain 0.10 --seed 7 -o "$TMP/fast.csv"
awk -f "$A" "$TMP/fast.csv" >"$TMP/m"
for g in stable:0.86 distressed:0.33; do
    name=${g%:*} p=${g#*:}
    latency_checks "$name" pre 2.5 8
    latency_checks "$name" post 1.2 8
    pre=$(metric lat_median "$name" pre) post=$(metric lat_median "$name" post)
    if less "$post" "$pre"; then ok "$name: answered bids faster after therapy (median $pre -> $post s)"
    else not_ok "$name: answered bids faster after therapy (median $pre -> $post s)"; fi
    rate_checks "$name" pre "$p" 2.5 8
    rate_checks "$name" post "$(awk -v p="$p" 'BEGIN { print p + 0.10 }')" 1.2 8
    late_pre=$(metric late "$name" pre) n=$(metric answers "$name" pre) want=$(late 2.5 8)
    tol=$(awk -v p="$want" -v n="$n" 'BEGIN { print 4 * sqrt(p * (1 - p) / n) }')
    if within "$late_pre" "$want" "$tol"; then
        ok "$name pre: share of answers beyond 5 s $late_pre, planted $want ± $tol"
    else not_ok "$name pre: share of answers beyond 5 s $late_pre, planted $want ± $tol"; fi
done

# both scale with the couple's therapy share: at 0.5 the post latency is
# halfway (1.85 s) and the rate gains half (0.05)
"$DYADSEQ" simulate --couples 40 --events 450 --answer-sd 0 --latency-mean 2.5:1.2 \
    --latency-shape 8 --answer-gain 0.10 --therapy 0.5:0 --seed 8 -o "$TMP/half.csv"
awk -f "$A" "$TMP/half.csv" >"$TMP/m"
for g in stable:0.86 distressed:0.33; do
    name=${g%:*} p=${g#*:}
    latency_checks "$name" post 1.85 8
    rate_checks "$name" post "$(awk -v p="$p" 'BEGIN { print p + 0.05 }')" 1.85 8
done

# the gain is clamped to [0, 1]: 0.95 + 0.2 answers every bid, 0.1 - 0.3 none
"$DYADSEQ" simulate --couples 4 --events 450 --groups high:0.95,low:0.1 --answer-sd 0 \
    --answer-gain 0.2 --seed 9 -o "$TMP/clamp-up.csv"
awk -f "$A" "$TMP/clamp-up.csv" >"$TMP/m"
check_eq "0.95 + 0.2: every post bid answered" \
    "$(metric answers high post)" "$(metric bids high post)"
"$DYADSEQ" simulate --couples 4 --events 450 --groups low:0.1 --answer-sd 0 \
    --answer-gain -0.3 --seed 9 -o "$TMP/clamp-down.csv"
awk -f "$A" "$TMP/clamp-down.csv" >"$TMP/m"
check_eq "0.1 - 0.3: no post bid answered" "$(metric answers low post)" 0
if less 0 "$(metric answers low pre)"; then ok "0.1 - 0.3: pre bids still answered"
else not_ok "0.1 - 0.3: pre bids still answered"; fi

# --print-model: the bid row at the post values, mean therapy share
pm_cell() { "$DYADSEQ" simulate --print-model "$@" | grep '^stable,post,A,A:bid,B:response,' | cut -d, -f6; }
check_eq "--print-model: gain 0.10 -> stable post 0.96" "$(pm_cell --answer-gain 0.10)" 0.96
check_eq "--print-model: gain 0.10, therapy 0.5:0.2 -> 0.91" \
    "$(pm_cell --answer-gain 0.10 --therapy 0.5:0.2)" 0.91
check_eq "--print-model: 0.86 + 0.2 clamped to 1" "$(pm_cell --answer-gain 0.2)" 1
check_eq "--print-model: pre keeps the group's rate" \
    "$("$DYADSEQ" simulate --print-model --answer-gain 0.10 | grep '^stable,pre,A,A:bid,B:response,' | cut -d, -f6)" 0.86

# one --latency-mean value is PRE:POST with both equal
"$DYADSEQ" simulate --couples 4 --events 100 --latency-mean 2 --seed 10 -o "$TMP/l1.csv"
"$DYADSEQ" simulate --couples 4 --events 100 --latency-mean 2:2 --seed 10 -o "$TMP/l2.csv"
check "--latency-mean 2 and 2:2 write the same bytes" cmp -s "$TMP/l1.csv" "$TMP/l2.csv"
finish
