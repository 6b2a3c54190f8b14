#!/bin/sh
# Figures from results files written by dyadseq itself (test_plots.sh uses
# fake files): part of the demo study analyzed and compared, and the
# O'Connor (1999) sequence — one session, no time and no actor column — on
# which the figures that need times or actors are skipped with a message.
. tests/lib.sh
if ! /usr/bin/python3 -c 'import h5py, matplotlib' 2>/dev/null &&
   ! python3 -c 'import h5py, matplotlib' 2>/dev/null; then
    ok "figures from dyadseq output # skip no Python with h5py and matplotlib"
    finish
fi
is_png() { [ -s "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "211PNG" ]; }
is_pdf() { [ -s "$1" ] && [ "$(head -c 4 "$1")" = "%PDF" ]; }

mkdir "$TMP/study"
for c in stable-01 stable-02 stable-03 distressed-01 distressed-02 distressed-03; do
    cp "datasets/demo/$c.csv" "$TMP/study/"
done
check "analyze six demo couples" "$DYADSEQ" analyze -q "$TMP/study" -o "$TMP/s.h5"
check "compare them" "$DYADSEQ" compare -q --pre pre --post post "$TMP/s.h5" -o "$TMP/c.h5"
check "plot_results on analyze output" scripts/plot_results "$TMP/s.h5" -o "$TMP/fig" \
    --transcript "$TMP/study" --comparison "$TMP/c.h5"
for f in lag1_heatmap lag1_diagram response_km timeline comparison_forest; do
    if is_png "$TMP/fig/$f.png" && is_pdf "$TMP/fig/$f.pdf"; then
        ok "$f drawn as PNG and PDF"
    else
        not_ok "$f drawn as PNG and PDF"
    fi
done

check "analyze the O'Connor sequence (no time, no actor)" "$DYADSEQ" analyze -q \
    --codebook datasets/published/oconnor1999_codebook.csv \
    datasets/published/oconnor1999.csv -o "$TMP/o.h5"
scripts/plot_results "$TMP/o.h5" -o "$TMP/ofig" >"$TMP/o.out" 2>&1
check_eq "plot_results exits 0 when figures are skipped" "$?" 0
is_png "$TMP/ofig/lag1_heatmap.png" && ok "heat map drawn without time" || not_ok "heat map drawn without time"
for f in response_km timeline; do
    if [ ! -e "$TMP/ofig/$f.png" ] && grep -q "skipped $f" "$TMP/o.out"; then
        ok "$f skipped with a message"
    else
        not_ok "$f skipped with a message"; sed 's/^/    # /' "$TMP/o.out"
    fi
done
finish
