#!/bin/sh
# scripts/reproduce.sh — `make reproduce`: rerun the published worked
# examples of datasets/published/ through the command line and print
# dyadseq's values beside the published ones.
#
# For O'Connor (1999), the lag-1 analysis of the Gottman & Roy (1990)
# sequence: `dyadseq analyze` writes $RESULTS_DIR/oconnor1999.h5, every value
# is read back with `dyadseq export` (none is typed in here), rounded to the
# number of decimals the publication prints, and compared as text with the
# published value, which comes from datasets/published/oconnor1999_published.csv
# (datasets/published/README.md says where each number is printed).
#
# Prints a table "statistic | published | dyadseq | match" and exits 1 when
# any value does not match (or a step fails), 0 when all do.
#
# Environment: DYADSEQ (default build/dyadseq), RESULTS_DIR (default
# results), PUBLISHED (default datasets/published/oconnor1999_published.csv;
# the tests point it at an altered copy to see a mismatch fail).
set -u

: "${DYADSEQ:=build/dyadseq}"
: "${RESULTS_DIR:=results}"
: "${PUBLISHED:=datasets/published/oconnor1999_published.csv}"
D=datasets/published
OUT="$RESULTS_DIR/oconnor1999.h5"

die() { echo "reproduce: $*" >&2; exit 1; }
[ -x "$DYADSEQ" ] || die "no dyadseq binary at $DYADSEQ (run make first)"
[ -r "$PUBLISHED" ] || die "cannot read $PUBLISHED"
mkdir -p "$RESULTS_DIR" || die "cannot create $RESULTS_DIR"

echo "O'Connor (1999), Appendix A: the Gottman & Roy (1990, p. 78) sequence, lag 1"
echo "  \$ dyadseq analyze --codebook $D/oconnor1999_codebook.csv -o $OUT $D/oconnor1999.csv"
"$DYADSEQ" analyze -q --codebook "$D/oconnor1999_codebook.csv" -o "$OUT" \
    "$D/oconnor1999.csv" || die "dyadseq analyze failed"
echo

# value DATASET FROM TO: the pooled lag-1 value, read with dyadseq export
# (a scalar prints "name,value"; a [K, K] dataset "from,to,name")
value() {
    if [ -z "$2" ]; then
        "$DYADSEQ" export "$OUT" "/lag/1/pooled/$1" | awk -F, 'NR == 2 { print $2 }'
    else
        "$DYADSEQ" export "$OUT" "/lag/1/pooled/$1" |
            awk -F, -v f="$2" -v t="$3" 'NR > 1 && $1 == f && $2 == t { print $3 }'
    fi
}

# the published table, without its header; fields have no commas
tail -n +2 "$PUBLISHED" >"$RESULTS_DIR/.published.$$" || die "cannot read $PUBLISHED"
trap 'rm -f "$RESULTS_DIR/.published.$$"' EXIT
fmt='%-24s | %10s | %10s | %-5s | %s\n'
# shellcheck disable=SC2059
printf "$fmt" statistic published dyadseq match "dyadseq, full precision"
printf '%s\n' "-------------------------+------------+------------+-------+------------------------"
bad=0
n=0
while IFS=, read -r stat ds from to pub; do
    [ -n "$stat" ] || continue
    n=$((n + 1))
    v=$(value "$ds" "$from" "$to")
    if [ -z "$v" ]; then
        echo "reproduce: no value for $ds $from $to in $OUT" >&2
        bad=$((bad + 1))
        continue
    fi
    # round to the number of decimals the publication prints (printf
    # rounds the double to the nearest such decimal)
    got=$(awk -v v="$v" -v p="$pub" 'BEGIN {
        d = index(p, ".") ? length(p) - index(p, ".") : 0
        printf("%." d "f", v) }')
    if [ "$got" = "$pub" ]; then m=yes; else m=NO; bad=$((bad + 1)); fi
    # shellcheck disable=SC2059
    printf "$fmt" "$stat" "$pub" "$got" "$m" "$v"
done <"$RESULTS_DIR/.published.$$"
echo
[ "$n" -gt 0 ] || die "no published values in $PUBLISHED"
if [ "$bad" -eq 0 ]; then
    echo "all $n published values reproduced"
else
    echo "$bad of $n published values NOT reproduced"
    exit 1
fi
