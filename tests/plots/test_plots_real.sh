#!/bin/sh
# Figures from results files written by dyadseq itself (test_plots.sh uses
# fake files): part of the demo study analyzed and compared, with the
# timeline of the session with the most cycles (its cycles from
# /cycles/runs, its events from the transcripts, checked against the
# file), and the O'Connor (1999) sequence — one session, no time and no
# actor column — on which the figures that need times or actors are
# skipped with a message. Both plot runs are in one Python
# (tests/plots/pybatch.py: starting Python with matplotlib takes about a
# second); the wrapper scripts/plot_results is run by test_power.sh and
# test_plots.sh.
. tests/lib.sh
if ! PY=$(python_with h5py numpy matplotlib); then
    skip "figures from dyadseq output" "no Python with h5py, numpy and matplotlib"
    finish
fi
export PYTHONDONTWRITEBYTECODE=1  # leave no __pycache__ in the tree
is_png() { [ -s "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "211PNG" ]; }
is_pdf() { [ -s "$1" ] && [ "$(head -c 4 "$1")" = "%PDF" ]; }

mkdir "$TMP/study"
for c in stable-01 stable-02 stable-03 distressed-01 distressed-02 distressed-03; do
    cp "datasets/demo/$c.csv" "$TMP/study/"
done
check "analyze six demo couples" "$DYADSEQ" analyze -q "$TMP/study" -o "$TMP/s.h5"
check "compare them" "$DYADSEQ" compare -q --pre pre --post post "$TMP/s.h5" -o "$TMP/c.h5"
check "analyze the O'Connor sequence (no time, no actor)" "$DYADSEQ" analyze -q \
    --codebook datasets/published/oconnor1999_codebook.csv \
    datasets/published/oconnor1999.csv -o "$TMP/o.h5"
B=$TMP/batch
"$PY" tests/plots/pybatch.py "$B" >"$TMP/batch.log" 2>&1 <<EOF ||
fig scripts/plot_results.py $TMP/s.h5 -o $TMP/fig --transcript $TMP/study --comparison $TMP/c.h5 --dpi 30
ofig scripts/plot_results.py $TMP/o.h5 -o $TMP/ofig --only heatmap,km,timeline --format png --dpi 30
EOF
    { not_ok "tests/plots/pybatch.py ran"; sed 's/^/    # /' "$TMP/batch.log" | head -10; }
# (standard output and error together, as the plot script prints them)
cat "$B/fig.out" "$B/fig.err" >"$TMP/fig.out" 2>/dev/null
check_eq "plot_results on analyze output" "$(cat "$B/fig.status" 2>/dev/null)" 0
for f in lag1_heatmap lag1_diagram response_km comparison_forest; do
    if is_png "$TMP/fig/$f.png" && is_pdf "$TMP/fig/$f.pdf"; then
        ok "$f drawn as PNG and PDF"
    else
        not_ok "$f drawn as PNG and PDF"
    fi
done
# the timeline needs the cycles of every session, /cycles/runs: asked of
# dyadseq's own reader, not of the plot script
if "$DYADSEQ" export -q "$TMP/s.h5" /cycles/runs/session_index >/dev/null 2>&1; then
    if is_png "$TMP/fig/timeline.png" && is_pdf "$TMP/fig/timeline.pdf"; then
        ok "timeline drawn as PNG and PDF (cycles from /cycles/runs, events from the transcripts)"
    else
        not_ok "timeline drawn as PNG and PDF (cycles from /cycles/runs, events from the transcripts)"
        sed 's/^/    # /' "$TMP/fig.out"
    fi
    if grep -q "warning" "$TMP/fig.out"; then
        not_ok "no warning (/cycles/runs agrees with /cycles)"; sed 's/^/    # /' "$TMP/fig.out"
    else
        ok "no warning (/cycles/runs agrees with /cycles)"
    fi
else
    for what in "timeline drawn as PNG and PDF" "no warning (/cycles/runs agrees with /cycles)"; do
        skip "$what" "the results file has no /cycles/runs (this dyadseq does not write it)"
    done
    grep -q "skipped timeline: no /cycles/runs" "$TMP/fig.out" \
        && ok "without /cycles/runs, the timeline is skipped, saying so" \
        || { not_ok "without /cycles/runs, the timeline is skipped, saying so"; sed 's/^/    # /' "$TMP/fig.out"; }
fi

cat "$B/ofig.out" "$B/ofig.err" >"$TMP/o.out" 2>/dev/null
check_eq "plot_results exits 0 when figures are skipped" "$(cat "$B/ofig.status" 2>/dev/null)" 0
is_png "$TMP/ofig/lag1_heatmap.png" && ok "heat map drawn without time" || not_ok "heat map drawn without time"
for f in response_km timeline; do
    if [ ! -e "$TMP/ofig/$f.png" ] && grep -q "skipped $f" "$TMP/o.out"; then
        ok "$f skipped with a message"
    else
        not_ok "$f skipped with a message"; sed 's/^/    # /' "$TMP/o.out"
    fi
done
finish
