#!/bin/sh
# tests/dyadic/test_planted.sh — `dyadseq simulate` plants an answer rate
# and an answer latency per group and session; `dyadseq analyze` must
# recover them, read back with `dyadseq export` only: response rates
# (SPEC 4.6) within binomial sampling error of the planted probability
# times the share of latencies within W, the median and mean latency of
# answered bids within sampling error of those of the truncated gamma,
# and after therapy more answers, sooner.
. tests/lib.sh
. tests/dyadic/export.sh

# The planted study. Every couple of a group answers a bid with the same
# probability (--answer-sd 0) and reaches the full therapy effect
# (--therapy 1:0), so the pooled counts of a group and session are
# binomial:
#   group  pre p  post p (+ --answer-gain 0.1)
#   hi     0.80   0.90
#   lo     0.40   0.50
# Answers come after a gamma latency with shape 8 and mean 3 s before
# therapy, 1.5 s after it (--latency-mean 3:1.5). The simulator makes an
# answer the partner's very next event, so every answer comes before the
# bidder's next bid and a bid is answered within W = 5 s with
# probability p F(5), F the gamma CDF.
"$DYADSEQ" simulate --couples 60 --events 400 --groups hi:0.8,lo:0.4 \
    --answer-sd 0 --therapy 1:0 --answer-gain 0.1 --latency-mean 3:1.5 \
    --latency-shape 8 --seed 5 -o "$TMP/study.csv"
check "analyze the planted study" "$DYADSEQ" analyze -q -o "$TMP/s.h5" \
    "$TMP/study.csv"
ex "$TMP/s.h5" /responsiveness >"$TMP/r"
ex "$TMP/s.h5" /responsiveness/km >"$TMP/km"
rows "120 sessions, two directions each" "$TMP/r" 240

# The shape is whole (Erlang): F(x) = 1 - sum_{i<k} e^{-x/s} (x/s)^i / i!
# with scale s = mean / k. Latencies within 5 s are the gamma truncated at
# 5: its median m solves F(m) = F(5)/2; its mean is
# k s F_{k+1}(5) / F_k(5) (because x f_k(x) = k s f_{k+1}(x)), and its
# second moment k (k+1) s^2 F_{k+2}(5) / F_k(5).
gamma_awk() {
    awk "function cdf(x, k, m, s,   i, t, sum) { t = exp(-x / s); sum = 0
             for (i = 0; i < k; i++) { sum += t; t *= x / s / (i + 1) }
             return 1 - sum }
         function pdf(x, k, s,   i, f) { f = exp(-x / s) / s
             for (i = 1; i < k; i++) f *= x / s / i
             return f }
         BEGIN { k = 8; $1 }"
}
planted() { # planted MEAN: F(5) median mean sd of the truncated gamma
    gamma_awk "s = $1 / k; F = cdf(5, k, 0, s)
        lo = 0; hi = 5
        for (i = 0; i < 80; i++) { x = (lo + hi) / 2; if (cdf(x, k, 0, s) < F / 2) lo = x; else hi = x }
        m = (lo + hi) / 2
        mu = k * s * cdf(5, k + 1, 0, s) / F
        m2 = k * (k + 1) * s * s * cdf(5, k + 2, 0, s) / F
        printf \"%.10g %.10g %.10g %.10g %.10g\", F, m, mu, sqrt(m2 - mu * mu), pdf(m, k, s) / F"
}

# Per group and session, from the table: bids, answered within W, answers
# at any delay (answered + answered late), and the sum of the latencies
# of answered bids (mean x n); from the KM curves: every answered bid's
# latency (an event time <= W, n_events times), for the pooled median.
awk -F, 'NR == FNR {
        if (FNR == 1) { for (i = 1; i <= NF; i++) c[$i] = i; next }
        g = $(c["couple"]); sub(/-[0-9]+$/, "", g)
        key = g " " $(c["session"]); grp[$(c["row"])] = key
        bids[key] += $(c["n_bids"]); ans[key] += $(c["n_answered"])
        any[key] += $(c["n_answered"]) + $(c["n_answered_late"])
        if ($(c["n_answered"]) > 0) sum[key] += $(c["latency_mean_s"]) * $(c["n_answered"])
        next
    }
    FNR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next }
    $(k["time_s"]) <= 5 { for (j = 0; j < $(k["n_events"]); j++) print grp[$(k["row"])], $(k["time_s"]) > LAT }
    END { for (key in bids) print key, bids[key], ans[key], any[key], sum[key] / ans[key] }' \
    LAT="$TMP/lat" "$TMP/r" "$TMP/km" >"$TMP/g"

# pooled median of the latencies of answered bids of GROUP SESSION
median_of() {
    grep "^$1 $2 " "$TMP/lat" | cut -d' ' -f3 | sort -g |
        awk '{ x[NR] = $1 } END { print NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'
}
# within DESCRIPTION GOT WANT TOL
within() {
    if awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { exit !(g - w <= t && w - g <= t) }'; then
        ok "$1: $2, planted $3 ± $4"
    else not_ok "$1: $2, planted $3 ± $4"; fi
}

for g in hi lo; do
    for sess in pre post; do
        case $g.$sess in
        hi.pre) p=0.8 lat=3 ;; hi.post) p=0.9 lat=1.5 ;;
        lo.pre) p=0.4 lat=3 ;; lo.post) p=0.5 lat=1.5 ;;
        esac
        set -- $(grep "^$g $sess " "$TMP/g")
        bids=$3 answered=$4 any=$5 mean=$6
        set -- $(planted "$lat")
        F=$1 med=$2 mu=$3 sd=$4 dens=$5
        # the answer probability: answers at any delay per bid, binomial,
        # within 4 SE
        within "$g $sess: answers per bid ($any of $bids)" \
            "$(calc "$any / $bids")" "$p" "$(calc "4 * sqrt($p * (1 - $p) / $bids)")"
        # the response rate (SPEC 4.6, W = 5 s): p F(5), binomial, 4 SE
        want=$(calc "$p * $F")
        within "$g $sess: response rate ($answered of $bids)" \
            "$(calc "$answered / $bids")" "$want" \
            "$(calc "4 * sqrt($want * (1 - $want) / $bids)")"
        # latency of answered bids: mean within 4.5 SE (sd / sqrt(n));
        # pooled median within 4.5 SE (1 / (2 f(m) sqrt(n)), f the
        # truncated density) + 0.001 s (onsets are in milliseconds)
        within "$g $sess: mean latency of answered bids" "$mean" "$mu" \
            "$(calc "4.5 * $sd / sqrt($answered) + 0.001")"
        within "$g $sess: median latency of answered bids (from the KM curves)" \
            "$(median_of "$g" "$sess")" "$med" \
            "$(calc "4.5 / (2 * $dens * sqrt($answered)) + 0.001")"
    done
    # after therapy: more bids answered, sooner
    set -- $(grep "^$g pre " "$TMP/g"); pre_rate=$(calc "$4 / $3")
    set -- $(grep "^$g post " "$TMP/g"); post_rate=$(calc "$4 / $3")
    check "$g: the response rate rises after therapy ($pre_rate -> $post_rate)" \
        awk -v a="$pre_rate" -v b="$post_rate" 'BEGIN { exit !(b > a) }'
    pre_med=$(median_of "$g" pre) post_med=$(median_of "$g" post)
    check "$g: the median latency falls after therapy ($pre_med -> $post_med s)" \
        awk -v a="$pre_med" -v b="$post_med" 'BEGIN { exit !(b < a) }'
done
# the group difference: hi answers more than lo, before and after
for sess in pre post; do
    hi=$(grep "^hi $sess " "$TMP/g" | awk '{ print $4 / $3 }')
    lo=$(grep "^lo $sess " "$TMP/g" | awk '{ print $4 / $3 }')
    check "$sess: hi answers more than lo ($hi > $lo)" \
        awk -v a="$hi" -v b="$lo" 'BEGIN { exit !(a > b + 0.3) }'
done
# the KM answered events agree with the table: n_answered answered bids
# with an event time <= W in each group and session
for key in "hi pre" "hi post" "lo pre" "lo post"; do
    set -- $(grep "^$key " "$TMP/g")
    check_eq "$key: KM event times <= W count the answered bids" \
        "$(grep -c "^$key " "$TMP/lat")" "$4"
done
finish
