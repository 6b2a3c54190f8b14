#!/bin/sh
# tests/power/test_power.sh — `dyadseq power` from the command line:
#   - a replication is the study `simulate --seed S_r` writes, and its
#     numbers are those of `compare` and `analyze` on those transcripts, to
#     the last digit (paired metrics of every family, one-sample couple
#     summaries), with non-default model options;
#   - the same seed gives byte-identical output at 1 and 2 threads;
#   - with R: simulated power against the exact power of the t and
#     Wilcoxon tests for a discrete planted effect (tests/power/exact.R),
#     and every Clopper-Pearson interval against binom.test;
#   - scripts/plot_results draws the power curves;
#   - usage and data errors, and no output file after a failure.
. tests/lib.sh

# ---- one replication equals simulate + compare / analyze ------------------
model="--sessions pre,mid,post --groups g1:0.6,g2:0.4,g3:0.75 --answer-gain 0.1
       --therapy 0.7:0.2 --latency-mean 2:1.2 --withdraw 0.5:0.3"
# shellcheck disable=SC2086
check "power runs (3 metric families, one-sample)" "$DYADSEQ" power $model \
    --couples 6,9 --events 50,80 --replications 3 --seed 5 --test t,wilcoxon \
    --metric 'response_rate[A->B]' --metric 'latency_median_s[B->A]' \
    --metric 'yules_q[A:pursue->B:withdraw]' \
    --metric 'adjusted_residual[B:bid->A:response]' \
    --metric cycles_per_10min --metric share_time_in_cycles \
    --metric 'softening_rate_per_min[B]' --metric events_per_min \
    --metric 'yules_q[A:pursue->B:withdraw]@post' \
    --metric 'adjusted_residual[B:pursue->A:withdraw]@pre' \
    -o "$TMP/p.h5"
"$DYADSEQ" export "$TMP/p.h5" /power/replications >"$TMP/reps.csv"
"$DYADSEQ" export "$TMP/p.h5" /power/metrics >"$TMP/metrics.csv"
seed=$("$DYADSEQ" export "$TMP/p.h5" /power/replication_seed | awk -F, 'NR == 3 { print $2 }')
# shellcheck disable=SC2086
"$DYADSEQ" simulate $model --couples 9 --events 80 --seed "$seed" -o "$TMP/rep/" -q
"$DYADSEQ" compare --pre pre --post post -q -o "$TMP/c.h5" "$TMP/rep" \
    --transition 'A:pursue->B:withdraw' --transition 'B:bid->A:response' >/dev/null
"$DYADSEQ" export "$TMP/c.h5" /comparison >"$TMP/cmp.csv" 2>/dev/null
"$DYADSEQ" analyze "$TMP/rep" -o "$TMP/a.h5" -q
for x in mean p; do
    for s in yules_q adjusted_residual; do
        for l in pre post; do
            "$DYADSEQ" export "$TMP/a.h5" \
                "/lag/1/couple_summary_by_label/$l/${s}_$x" >"$TMP/sum-$l-$s-$x.csv"
        done
    done
done
# replication 1 of the design 9 couples x 80 events, metric by metric
out=$(awk -F, -v dir="$TMP" '
    FILENAME ~ /metrics.csv$/ { if (FNR > 1) { name[FNR - 2] = $2; kind[FNR - 2] = $3; label[FNR - 2] = $4 }; next }
    FILENAME ~ /cmp.csv$/ { if (FNR > 1) { diff[$2] = $8; pt[$2] = $13; pw[$2] = $15 }; next }
    FNR > 1 && $2 == 9 && $3 == 80 && $5 == 1 {
        m = name[$4]
        if (kind[$4] == "paired") {
            if (!(m in diff)) { print "missing " m; next }
            if ($6 != diff[m] || $10 != pt[m] || $11 != pw[m])
                print m ": power " $6 " " $10 " " $11 " compare " diff[m] " " pt[m] " " pw[m]
            n++
        } else {
            split(m, part, /[\[\]@]/); sub(/->/, ",", part[2]); split(part[2], ft, ",")
            stat = part[1]
            for (x = 0; x < 2; x++) {
                f = dir "/sum-" label[$4] "-" stat "-" (x ? "p" : "mean") ".csv"
                while ((getline line < f) > 0) {
                    split(line, c, ",")
                    if (c[1] == ft[1] && c[2] == ft[2]) v[x] = c[3]
                }
                close(f)
            }
            if ($6 != v[0] || $10 != v[1])
                print m ": power " $6 " " $10 " analyze " v[0] " " v[1]
            n++
        }
    }
    END { print "checked " n }' "$TMP/metrics.csv" "$TMP/cmp.csv" "$TMP/reps.csv")
check_eq "replication 1 = simulate + compare / analyze, every metric, to the last digit" \
    "$out" "checked 10"

# the one-sample Wilcoxon test against R's wilcox.test(x) on the same values
# (R runs once, at the end: tests/plots/rbatch.R)
if have_r; then
    "$DYADSEQ" export "$TMP/c.h5" /comparison/values >"$TMP/values.csv"
    awk -F, '$2 == "yules_q[A:pursue->B:withdraw]" && $6 == 1 { print $5 }' "$TMP/values.csv" \
        >"$TMP/wx.txt"
    echo 'x <- scan(commandArgs(TRUE)[1], quiet = TRUE); cat(sprintf("%.15g", wilcox.test(x)$p.value))' \
        >"$TMP/wx.R"
    echo "wilcox $TMP/wx.R $TMP/wx.txt" >>"$TMP/r.jobs"
fi

# ---- threads ---------------------------------------------------------------
mkdir -p "$TMP/t1" "$TMP/t2"
for t in 1 2; do
    (cd "$TMP/t$t" && "$DYADSEQ" power --metric 'response_rate[A->B]' \
        --metric 'yules_q[A:pursue->B:withdraw]' --test t,wilcoxon --bh \
        --couples 5,10 --events 40 --replications 30 -t $t -o o.h5 >o.txt)
done
check "1 and 2 threads: the same table" cmp "$TMP/t1/o.txt" "$TMP/t2/o.txt"
check "1 and 2 threads: byte-identical results files" cmp "$TMP/t1/o.h5" "$TMP/t2/o.h5"

# ---- the figure ----------------------------------------------------------------
# (python_with looks the modules up without importing them: 1 s less)
if python_with h5py numpy matplotlib >/dev/null; then
    export PYTHONDONTWRITEBYTECODE=1
    check_status "plot_results draws the power figure" 0 scripts/plot_results "$TMP/t1/o.h5" -o "$TMP/fig"
    if [ -s "$TMP/fig/power_curve.png" ] && [ "$(head -c 4 "$TMP/fig/power_curve.pdf")" = "%PDF" ]; then
        ok "power_curve.png and .pdf written"
    else
        not_ok "power_curve.png and .pdf written"
    fi
    grep -q skipped "$TMP/.err" && not_ok "a power file: no other figure tried" ||
        ok "a power file: no other figure tried"
else
    ok "power figure # SKIP no Python with h5py, numpy and matplotlib"
fi

# ---- exact power (R) ---------------------------------------------------------
printf 'from,to,p\nA:bid,B:response,%s\nA:bid,B:withdraw,%s\nB:response,A:bid,1\nB:withdraw,A:bid,1\n' \
    0.3 0.7 >"$TMP/pre.csv"
printf 'from,to,p\nA:bid,B:response,%s\nA:bid,B:withdraw,%s\nB:response,A:bid,1\nB:withdraw,A:bid,1\n' \
    0.9 0.1 >"$TMP/post.csv"
check "power with --model PRE:POST" "$DYADSEQ" power \
    --model "$TMP/pre.csv:$TMP/post.csv" --events 2 --couples 10,20,40 \
    --metric 'response_rate[A->B]' --test t,wilcoxon --replications 2000 \
    --seed 3 -o "$TMP/x.h5"
"$DYADSEQ" export -q "$TMP/x.h5" /power >"$TMP/x.csv"
if have_r; then
    echo "exact tests/power/exact.R $TMP/x.csv 0.3 0.9" >>"$TMP/r.jobs"
    Rscript --vanilla tests/plots/rbatch.R "$TMP/rb" <"$TMP/r.jobs" >"$TMP/rb.log" 2>&1 ||
        { not_ok "tests/plots/rbatch.R ran"; sed 's/^/    # /' "$TMP/rb.log" | head -10; }
    got=$(awk -F, 'NR > 1 && $2 == 9 && $3 == 80 && $4 == 8 && $5 == 1 { printf "%.15g", $11 }' "$TMP/reps.csv")
    check_eq "one-sample Wilcoxon p = R's wilcox.test" "$got" "$(cat "$TMP/rb/wilcox.out" 2>/dev/null)"
    cat "$TMP/rb/exact.out" "$TMP/rb/exact.err" 2>/dev/null
    [ "$(cat "$TMP/rb/exact.status" 2>/dev/null)" = 0 ] || not_ok "tests/power/exact.R ran"
else
    ok "one-sample Wilcoxon against R # SKIP no R"
    ok "exact power against R # SKIP no R"
fi

# ---- errors -----------------------------------------------------------------
check_status "no --metric: usage error" 2 "$DYADSEQ" power
grep -q "give the metric to power with --metric" "$TMP/.err" &&
    ok "no --metric: says what to give" || not_ok "no --metric message"
check_status "unknown metric: usage error" 2 "$DYADSEQ" power --metric 'respons_rate[A->B]'
grep -q "did you mean 'response_rate\[A->B\]'" "$TMP/.err" &&
    ok "unknown metric: suggests the nearest" || not_ok "unknown metric message"
check_status "one-sample response rate: usage error" 2 "$DYADSEQ" power \
    --metric 'response_rate[A->B]@post'
check_status "--couples 1: usage error" 2 "$DYADSEQ" power --metric events_per_min --couples 1,10
check_status "--test z: usage error" 2 "$DYADSEQ" power --metric events_per_min --test z
check_status "--alpha 1: usage error" 2 "$DYADSEQ" power --metric events_per_min --alpha 1
check_status "--model with --withdraw: usage error" 2 "$DYADSEQ" power \
    --metric events_per_min --model "$TMP/pre.csv" --withdraw 0.3
check_status "--pre not a session label: usage error" 2 "$DYADSEQ" power \
    --metric events_per_min --pre before
printf 'from,to,p\nA:bid,B:response,0.5\n' >"$TMP/bad.csv"
check_status "invalid model file: exit 1" 1 "$DYADSEQ" power --metric events_per_min \
    --model "$TMP/bad.csv" --replications 2 -o "$TMP/bad.h5"
[ ! -e "$TMP/bad.h5" ] && ok "invalid model: no output file" || not_ok "invalid model left a file"
echo "not a results file" >"$TMP/precious.txt"
check_status "refuses to replace a file that is not a results file" 1 "$DYADSEQ" power \
    --metric events_per_min --replications 2 --couples 3 --events 5 -o "$TMP/precious.txt"
check_eq "the file is untouched" "$(cat "$TMP/precious.txt")" "not a results file"
finish
