#!/bin/sh
# tests/compare/test_demo.sh — `dyadseq compare --pre pre --post post
# datasets/demo` (the command of issue #8's "done when") prints the table,
# and the effects planted in the demo study (datasets/demo/README.md) come
# out with the right sign and clearly: after therapy softening rises,
# pursue-withdraw cycles fall, answers to bids come faster and more often,
# partners withdraw less after a pursuit. Nothing is planted on the other
# metrics, so only these are checked.
. tests/lib.sh

check "compare the demo study" "$DYADSEQ" compare --pre pre --post post \
    datasets/demo -o "$TMP/demo-compare.h5"
cp "$TMP/.out" "$TMP/table"
if grep -q "^Pre/post comparison: 'pre' -> 'post', 40 couples with both sessions (40 with either)$" "$TMP/table" &&
    grep -q '^metric  *n  pre mean (SD)  *post mean (SD)  *diff \[95% CI\]  *t  *df  *p  *p(W)  *d_z  *g  *q$' "$TMP/table"; then
    ok "the table: its title and header"
else
    not_ok "the table: title and header"; sed 's/^/    # /' "$TMP/table" | head
fi
check_eq "the table: one row per metric (21)" \
    "$(grep -cE '^(yules_q|adjusted_residual|response_rate|latency_median_s|cycles_per_10min|share_time_in_cycles|softening_rate_per_min|events_per_min)' "$TMP/table")" 21
"$DYADSEQ" export -q "$TMP/demo-compare.h5" /comparison >"$TMP/c.csv"

# planted METRIC SIGN: mean_diff has the sign, and the t-test and the
# Wilcoxon test both find it (q and p(W) < .001, n = 40)
planted() {
    row=$(awk -F, -v m="$1" '$2 == m' "$TMP/c.csv")
    if [ -z "$row" ]; then not_ok "$1: no such row"; return; fi
    echo "$row" | awk -F, -v s="$2" '
        { exit !($3 == 40 && $8 * s > 0 && $19 < 0.001 && $15 < 0.001) }' &&
        ok "$1: $(echo "$row" | awk -F, '{ printf "%+.3g, d_z %+.2f, q %.1g", $8, $16, $19 }') (planted: $3)" ||
        not_ok "$1 should $3 clearly: $row"
}
planted 'softening_rate_per_min[A]' 1 rise
planted 'softening_rate_per_min[B]' 1 rise
planted cycles_per_10min -1 fall
planted share_time_in_cycles -1 fall
planted 'latency_median_s[A->B]' -1 fall
planted 'latency_median_s[B->A]' -1 fall
planted 'response_rate[A->B]' 1 rise
planted 'response_rate[B->A]' 1 rise
planted 'yules_q[A:pursue->B:withdraw]' -1 fall
planted 'yules_q[B:pursue->A:withdraw]' -1 fall
planted 'adjusted_residual[A:soften->B:soften]' 1 rise
planted 'adjusted_residual[B:soften->A:soften]' 1 rise

# the sizes datasets/demo/README.md reports from effects.R for the metrics
# defined the same way: cycles per 10 min d_z -1.75, events per minute +1.10
dz() { awk -F, -v m="$1" '$2 == m { printf "%.2f", $16 }' "$TMP/c.csv"; }
check_eq "cycles_per_10min: d_z as datasets/demo/README.md" "$(dz cycles_per_10min)" -1.75
check_eq "events_per_min: d_z as datasets/demo/README.md" "$(dz events_per_min)" 1.10

# docs/compare.md and README.md show rows of this table: they must be the
# real ones
"$DYADSEQ" compare --pre pre --post post datasets/demo -o "$TMP/r.h5" \
    --reliability cycles_per_10min=0.8 --reliability 'response_rate[A->B]=0.7' >"$TMP/table_rci"
n=0 bad=0
while IFS= read -r line; do
    n=$((n + 1))
    grep -qxF -- "$line" "$TMP/table_rci" || { bad=$((bad + 1)); echo "    # not in the output: $line"; }
done <<EOT
$(grep -hE '^(yules_q|adjusted_residual|response_rate|latency_median_s|cycles_per_10min|share_time|softening_rate|events_per_min)[^ ]* +(40|0\.[0-9]+) ' docs/compare.md README.md)
EOT
if [ "$n" -ge 15 ] && [ "$bad" -eq 0 ]; then ok "docs/compare.md, README.md: their $n demo rows are the output's"
else not_ok "docs/compare.md, README.md: $bad of $n demo rows differ from the output"; fi
finish
