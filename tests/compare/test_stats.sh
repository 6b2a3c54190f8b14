#!/bin/sh
# tests/compare/test_stats.sh — every statistic of `dyadseq compare` against
# base R computed now on the per-couple values of the same file
# (tests/compare/check_stats.R: t.test and wilcox.test paired, p.adjust
# BH, the effect sizes from their definitions), on two simulated studies
# that between them take every branch of the Wilcoxon test: the exact
# distribution (n < 50, no ties), the normal approximation for n >= 50, and
# the approximation with its tie correction for small n with ties. Then the
# reliable change index of the file against its formula on the same values.
. tests/lib.sh

# small: 12 couples of short sessions (continuous metrics, and response
# rates that tie); large: 60 couples (n >= 50 for most metrics)
"$DYADSEQ" simulate --couples 12 --events 60 --seed 11 -o "$TMP/small/" -q
"$DYADSEQ" simulate --couples 60 --events 40 --seed 12 -o "$TMP/large/" -q
for s in small large; do
    check "compare $s" "$DYADSEQ" compare --pre pre --post post \
        --reliability 'cycles_per_10min=0.8' \
        --reliability 'response_rate[A->B]=0.7' \
        --reliability 'events_per_min=0.9:higher' \
        -o "$TMP/$s.h5" "$TMP/$s"
    "$DYADSEQ" export -q "$TMP/$s.h5" /comparison >"$TMP/$s.c.csv"
    "$DYADSEQ" export "$TMP/$s.h5" /comparison/values >"$TMP/$s.v.csv"
    "$DYADSEQ" export "$TMP/$s.h5" /comparison/rci >"$TMP/$s.rci.csv"
    "$DYADSEQ" export "$TMP/$s.h5" /comparison/reliability >"$TMP/$s.rel.csv"
done

if have_r; then
    # both studies in one R (tests/plots/rbatch.R)
    for s in small large; do
        echo "$s tests/compare/check_stats.R $s $TMP/$s.c.csv $TMP/$s.v.csv"
    done | Rscript --vanilla tests/plots/rbatch.R "$TMP/rb" >"$TMP/rb.log" 2>&1 ||
        { echo "not ok - tests/plots/rbatch.R ran"; sed 's/^/    # /' "$TMP/rb.log" | head -10; }
    for s in small large; do
        cat "$TMP/rb/$s.out" "$TMP/rb/$s.err" >"$TMP/$s.r" 2>/dev/null
        [ "$(cat "$TMP/rb/$s.status" 2>/dev/null)" = 0 ] || echo "not ok - check_stats.R $s failed"
        grep -v '^branch' "$TMP/$s.r"
    done
    # branch counts summed over both studies
    branch() { cat "$TMP/small.r" "$TMP/large.r" | awk -v b="$1" '$1 == "branch" && $3 == b { n += $4 } END { print n + 0 }'; }
    for b in exact approx_n approx_ties; do
        n=$(branch $b)
        if [ "$n" -gt 0 ]; then ok "Wilcoxon branch $b taken by $n metrics"
        else not_ok "Wilcoxon branch $b never taken: the test data do not exercise it"; fi
    done
else
    skip "statistics against R" "no Rscript"
fi

# RCI_i = (post - pre) / (sqrt(2) * SD_pre * sqrt(1 - r)) per used couple,
# SD_pre over the used pairs (Jacobson & Truax 1991); classes at |RCI| > 1.96
for s in small large; do
    out=$(awk -F, '
        FNR == 1 { f++; next }
        f == 1 { r[$2] = $3; better[$2] = $4; sd[$2] = $5; imp[$2] = $7; unch[$2] = $8; det[$2] = $9; next }
        f == 2 && $6 == 1 { n[$2]++; pre[$2, n[$2]] = $4; post[$2, n[$2]] = $5; next }
        f == 3 { rci[$2, $3] = $6; cls[$2, $3] = $7; rows[$2]++ }
        END {
            bad = 0
            for (m in r) {
                # SD of the pre values with n - 1
                s = 0; for (i = 1; i <= n[m]; i++) s += pre[m, i]; mean = s / n[m]
                ss = 0; for (i = 1; i <= n[m]; i++) ss += (pre[m, i] - mean) ^ 2
                want_sd = sqrt(ss / (n[m] - 1))
                if ((want_sd - sd[m]) ^ 2 > 1e-20 * (1 + want_sd ^ 2)) { print "sd_pre " m; bad++ }
                se = sqrt(2) * want_sd * sqrt(1 - r[m])
                ni = nu = nd = 0
                for (i = 1; i <= n[m]; i++) {
                    x = (post[m, i] - pre[m, i]) / se
                    c = (x > 1.96 || x < -1.96) ? (((x > 0) == (better[m] == "higher")) ? "improved" : "deteriorated") : "unchanged"
                    if (c == "improved") ni++; else if (c == "deteriorated") nd++; else nu++
                }
                if (ni != imp[m] || nu != unch[m] || nd != det[m] || rows[m] != n[m]) { print "counts " m; bad++ }
            }
            print "checked", length(r), bad
        }' "$TMP/$s.rel.csv" "$TMP/$s.v.csv" "$TMP/$s.rci.csv")
    check_eq "$s: reliable change counts and SD_pre as the formula" "$out" "checked 3 0"
    # each couple's RCI and class, against the values in the same row
    bad=$(awk -F, -v rel="$TMP/$s.rel.csv" '
        BEGIN { while ((getline l < rel) > 0) { split(l, a, ","); if (a[1] != "row") { se[a[2]] = sqrt(2) * a[5] * sqrt(1 - a[3]); b[a[2]] = a[4] } } }
        FNR == 1 { next }
        { x = ($5 - $4) / se[$2]
          c = (x > 1.96 || x < -1.96) ? (((x > 0) == (b[$2] == "higher")) ? "improved" : "deteriorated") : "unchanged"
          if ((x - $6) ^ 2 > 1e-18 * (1 + x ^ 2) || c != $7) { print; n++ } }
        END { print n + 0 }' "$TMP/$s.rci.csv" | tail -1)
    check_eq "$s: every couple's RCI and class as the formula" "$bad" 0
done
finish
