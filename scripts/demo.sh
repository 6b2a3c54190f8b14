#!/bin/sh
# demo.sh — `make demo`: validate and analyze the demo study, summarize it,
# compare pre with post, and draw the figures. Everything goes to results/.
set -eu
B=${DYADSEQ:-build/dyadseq}
mkdir -p results

echo "== dyadseq validate datasets/demo"
"$B" validate datasets/demo
echo
echo "== dyadseq analyze datasets/demo -o results/demo.h5"
"$B" analyze datasets/demo -o results/demo.h5
echo
echo "== dyadseq info results/demo.h5 (summary)"
"$B" info results/demo.h5 | sed -n '/^Contents/,$p'
if "$B" --help | grep -q '^  compare '; then
    echo
    echo "== dyadseq compare --pre pre --post post datasets/demo -o results/demo-compare.h5"
    "$B" compare --pre pre --post post datasets/demo -o results/demo-compare.h5
fi
if "$B" --help | grep -q '^  agree '; then
    echo
    echo "== dyadseq agree datasets/agree/coder1.csv datasets/agree/coder2.csv -o results/agree.h5"
    "$B" agree -q datasets/agree/coder1.csv datasets/agree/coder2.csv -o results/agree.h5
fi
figures=""
if [ -x scripts/plot_results ]; then
    echo
    echo "== figures"
    set -- results/demo.h5 -o results/demo --transcript datasets/demo
    [ -f results/demo-compare.h5 ] && set -- "$@" --comparison results/demo-compare.h5
    if scripts/plot_results "$@"; then figures=results/demo/; fi
    if [ -f results/agree.h5 ]; then
        scripts/plot_results results/agree.h5 -o results/demo --only agreement -q || :
    fi
fi
echo
echo "Results file: results/demo.h5 (layout: schemas/results.md)"
[ -f results/demo-compare.h5 ] && echo "Comparison:   results/demo-compare.h5"
[ -f results/agree.h5 ] && echo "Agreement:    results/agree.h5 (datasets/agree)"
[ -n "$figures" ] && echo "Figures:      $figures (PNG and PDF)"
echo "Any table as CSV: build/dyadseq export results/demo.h5 /lag/1/pooled"
