#!/bin/sh
# tests/golden/make_golden.sh BINARY DIR — write the golden results files
# of tests/golden/test_golden.sh with BINARY into DIR (absolute), exactly as
# the test does, so that test and reference run the same command lines
# (the command line, with argv[0] and every path, is stored in the file).
#   sh tests/golden/make_golden.sh build/dyadseq /tmp/g && sha256sum /tmp/g/out/*
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=$2
mkdir -p "$dir/bin" "$dir/out"
ln -sf "$bin" "$dir/bin/dyadseq"
ln -sfn "$repo/datasets" "$dir/datasets"
cd "$dir"
rm -rf sim out/*.h5
bin/dyadseq simulate -q --couples 30 --events 300 --seed 7 -o sim/
bin/dyadseq analyze -q -o out/demo.h5 datasets/demo
bin/dyadseq analyze -q -o out/spaff.h5 --codebook datasets/spaff/codebook.csv \
    datasets/spaff/transcript.csv
bin/dyadseq analyze -q --lags 1,2 --permutations 50 -o out/sim.h5 sim/
bin/dyadseq analyze -q --lags 1,2 --structural-zeros none --zero-correction 0.5 \
    --window=0:3 --time-unit 2 --target ongoing -o out/sim_options.h5 sim/
bin/dyadseq compare -q --pre pre --post post -o out/compare.h5 datasets/demo >/dev/null
cat sim/*.csv | sha256sum | sed "s/-$/sim.csv/" >out/sim.csv.sha256
