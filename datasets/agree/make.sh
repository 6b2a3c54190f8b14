#!/bin/sh
# datasets/agree/make.sh [DIR] — write the two-coder demo (README.md) into
# DIR (default: this directory). Coder 1 coded the whole simulated study;
# coder 2 double-coded the sessions of couples 01-03 of each group (12 of
# the 80 sessions, 15%), with known errors (simulate --coder-error).
set -eu
here=$(dirname "$0")
out=${1:-$here}
B=${DYADSEQ:-build/dyadseq}
study="--couples 40 --events 200 --seed 2009"
"$B" simulate $study -o - >"$out/coder1.csv.tmp"
"$B" simulate $study --coder-error substitution=0.08,omission=0.04,jitter=0.8 \
    -o - | awk -F, 'NR == 1 || $1 ~ /-0[123]$/' >"$out/coder2.csv.tmp"
mv "$out/coder1.csv.tmp" "$out/coder1.csv"
mv "$out/coder2.csv.tmp" "$out/coder2.csv"
