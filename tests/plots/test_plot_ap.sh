#!/bin/sh
# tests/plots/test_plot_ap.sh — the actor-partner figure of
# scripts/plot_results.py (scripts/dyadseq_plots/apim.py) on real results
# files of `dyadseq analyze --actor-partner`: drawn as PNG and PDF for a
# file with /actor_partner, silently left out for one without (and named as
# skipped when asked for with --only); the t quantile of its confidence
# intervals against R's qt() (and a tabulated value without R).
# The Python scripts run in one interpreter (tests/plots/pybatch.py:
# starting Python with matplotlib takes about a second).
. tests/lib.sh

if ! PY=$(python_with h5py numpy matplotlib); then
    skip "the actor-partner figure" "no Python with h5py, numpy and matplotlib"
    finish
fi
export PYTHONDONTWRITEBYTECODE=1

# two sessions per couple, A pursues at random, B withdraws after her
# before therapy (and sometimes anyway)
awk 'BEGIN { seed = 7; print "couple,session,actor,code,time"
    for (c = 1; c <= 8; c++) for (s = 0; s < 2; s++) { px = 0
        for (t = 0; t < 120; t++) {
            seed = (16807 * seed) % 2147483647; u = seed / 2147483647
            seed = (16807 * seed) % 2147483647; v = seed / 2147483647
            if (u < 0.4) printf "c%d,%s,A,pursue,%d\n", c, s ? "post" : "pre", t
            if ((px && s == 0 && v < 0.7) || v > 0.8)
                printf "c%d,%s,B,withdraw,%d.5\n", c, s ? "post" : "pre", t
            px = u < 0.4 } } }' >"$TMP/ap.csv"
check "analyze with --actor-partner" "$DYADSEQ" analyze -q -o "$TMP/ap.h5" \
    --actor-partner default "$TMP/ap.csv"
check "analyze without" "$DYADSEQ" analyze -q -o "$TMP/plain.h5" "$TMP/ap.csv"

# the three figures and the t quantiles of the intervals, in one Python
cat >"$TMP/q.py" <<'EOF'
import sys
sys.path.insert(0, "scripts")
from dyadseq_plots import apim
for df in (1, 4, 9, 39):
    print(df, repr(apim.t_quantile(0.975, df)))
EOF
B=$TMP/batch
"$PY" tests/plots/pybatch.py "$B" >"$TMP/batch.log" 2>&1 <<EOF ||
ap scripts/plot_results.py -q $TMP/ap.h5 -o $TMP/fig --only actor_partner --dpi 30
plain scripts/plot_results.py $TMP/plain.h5 -o $TMP/fig2 --only heatmap --dpi 30
asked scripts/plot_results.py $TMP/plain.h5 -o $TMP/fig3 --only actor_partner
q $TMP/q.py
EOF
    { not_ok "tests/plots/pybatch.py ran"; sed 's/^/    # /' "$TMP/batch.log" | head -10; }

if [ "$(cat "$B/ap.status" 2>/dev/null)" = 0 ]; then ok "plot_results draws the figure"
else not_ok "plot_results draws the figure"; sed 's/^/    # /' "$B/ap.err" | head -10; fi
check "... as PNG" test -s "$TMP/fig/actor_partner.png"
check "... and PDF" test -s "$TMP/fig/actor_partner.pdf"
check_eq "a PNG" "$(head -c 4 "$TMP/fig/actor_partner.png" | od -An -c | tr -d ' ')" "211PNG"

check "without /actor_partner and not asked for: no figure" \
    test ! -e "$TMP/fig2/actor_partner.png"
check_eq "... and no message about it" "$(grep -c actor_partner "$B/plain.err")" 0
check_eq "asked for with --only: skipped with the reason" \
    "$(grep -c 'skipped actor_partner: no /actor_partner' "$B/asked.err")" 1

# t quantiles of the intervals: R's qt, or tabulated values (to 1e-3: the
# t CDF is integrated numerically, least accurately for 1 df)
cp "$B/q.out" "$TMP/q" 2>/dev/null || : >"$TMP/q"
if have_r; then
    want=$(Rscript --vanilla -e 'for (d in c(1, 4, 9, 39)) cat(d, sprintf("%.17g", qt(0.975, d)), "\n")')
    src="R's qt"
else
    want="1 12.706204736174707
4 2.7764451051977934
9 2.2621571627982053
39 2.0226909200367595"
    src="tabulated values"
fi
bad=$(echo "$want" | awk 'NR == FNR { w[$1] = $2; next }
    { d = $2 - w[$1]; if (d < 0) d = -d; if (d > 1e-3 * w[$1]) print $1 ": " $2 " vs " w[$1] }' \
    - "$TMP/q")
if [ -z "$bad" ] && [ "$(wc -l <"$TMP/q")" = 4 ]; then
    ok "t quantiles of the 95% intervals equal $src"
else not_ok "t quantiles against $src"; echo "$bad" | sed 's/^/    # /'; fi
finish
