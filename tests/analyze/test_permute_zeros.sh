#!/bin/sh
# tests/analyze/test_permute_zeros.sh — permutation tests that keep the
# structural zeros (SPEC 4.3 with 4.2, issue 12), through the command line:
#
#   threads      --permutations with --structural-zeros diagonal and with a
#                FILE mask: byte-identical files at -t 1 and -t 2
#   p-values     NaN exactly where the adjusted residual is (structural
#                cells included), else (1 + k)/(M + 1) with 0 <= k <= M
#   power        a session that cycles a → b → c with no repeats gets
#                p = 1/(M + 1) for a → b, while its permutations keep
#                the no-repeat rule
#   lag 2        on no-dependency sessions without repeats, the lag-2
#                diagonal cells are inflated against independence (the
#                adjusted residuals reject often), but the permutations,
#                which keep the no-repeat rule, do not reject more than
#                chance
# (The uniformity of the draws and of the p-values, and the chain's
# mixing, are unit tests: tests/unit/test_permute.c.)
. tests/lib.sh
ROOT=$PWD
cd "$TMP" || exit 1
# four couples of datasets/demo (no code follows itself there)
DEMO=$TMP/demo
mkdir demo && cp "$ROOT"/datasets/demo/distressed-0[12].csv \
    "$ROOT"/datasets/demo/stable-0[12].csv demo/ || not_ok "copy the demo"

# same_at_threads DESCRIPTION ARGS...: -t 1 and -t 2 write identical files
same_at_threads() {
    _d=$1; shift
    for t in 1 2; do
        "$DYADSEQ" analyze -q -t $t -o t.h5 "$@" 2>err ||
            { not_ok "$_d: -t $t failed"; sed 's/^/    # /' err | head -5; }
        mv t.h5 "t$t.h5" 2>/dev/null
    done
    check "$_d: byte-identical at -t 1 and -t 2" cmp t1.h5 t2.h5
}

same_at_threads "--structural-zeros diagonal --permutations 40 --lags 1,2" \
    --structural-zeros diagonal --permutations 40 --lags 1,2 --no-window "$DEMO"
cp t1.h5 diag.h5

# a FILE mask: the diagonal and every transition the demo never shows
"$DYADSEQ" export diag.h5 /lag/1/pooled >pooled.csv
awk -F, 'NR == 1 { print "from,to"; next }
         $1 == $2 || $3 == 0 { print $1 "," $2 }' pooled.csv >mask.csv
nmask=$(($(wc -l <mask.csv) - 1))
check "a FILE mask of $nmask cells (the diagonal and more)" test "$nmask" -gt 20
same_at_threads "--structural-zeros FILE --permutations 40" \
    --structural-zeros mask.csv --permutations 40 --no-window "$DEMO"
cp t1.h5 file.h5

# p-values: NaN where z is, else (1 + k)/(M + 1)
for f in diag file; do
    "$DYADSEQ" export $f.h5 /lag/1/session >s.csv
    bad=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        { z = $h["adjusted_residual"]; p = $h["permutation_p"]
          if ((z == "NA") != (p == "NA")) { n++; next }
          if ($h["structural_zero"] == 1 && p != "NA") { n++; next }
          if (p == "NA") next
          k = p * 41 - 1
          if (k < -1e-9 || k > 40 + 1e-9 || (k - int(k + 0.5))^2 > 1e-12) n++ }
        END { print n + 0 }' s.csv)
    check_eq "$f: permutation p NaN exactly where z is, else (1 + k)/41" "$bad" 0
done

# power: a no-repeat cycle a b c a b c ... against its constrained
# permutations
{
    echo "couple,session,code"
    for i in $(seq 1 20); do printf 'c1,s1,a\nc1,s1,b\nc1,s1,c\n'; done
    printf 'c2,s1,%s\n' a b a c b c a c b a b c a c b c b a c a b c a b a c
} >cycle.csv
printf 'code,role,description\na,other,\nb,other,\nc,other,\n' >cb.csv
"$DYADSEQ" analyze -q --codebook cb.csv --structural-zeros diagonal \
    --permutations 99 --no-window -o cycle.h5 cycle.csv ||
    not_ok "analyze the cycle"
p=$("$DYADSEQ" export cycle.h5 /lag/1/session | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h["couple"] == "c1" && $h["from"] == "a" && $h["to"] == "b" { print $h["permutation_p"] }')
check_eq "a → b → c cycle: permutation p of a → b = 1/100" "$p" 0.01

# lag 2: 40 no-dependency no-repeat sessions of 100 events, K = 4
awk -v seed=12 'BEGIN {
    srand(seed); print "couple,session,code"
    for (s = 1; s <= 40; s++) {
        prev = -1
        for (t = 0; t < 100; t++) {
            do c = int(rand() * 4); while (c == prev)
            printf "c%02d,s1,x%d\n", s, c; prev = c
        }
    }
}' >null.csv
printf 'code,role,description\nx0,other,\nx1,other,\nx2,other,\nx3,other,\n' >cb4.csv
"$DYADSEQ" analyze -q --codebook cb4.csv --structural-zeros diagonal \
    --lags 1,2 --permutations 99 --no-window -o null.h5 null.csv ||
    not_ok "analyze the no-dependency sessions"
"$DYADSEQ" export null.h5 /lag/2/session | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h["from"] == $h["to"] && $h["permutation_p"] != "NA" {
        n++; z += ($h["adjusted_residual"] > 1.96 || $h["adjusted_residual"] < -1.96)
        p += ($h["permutation_p"] <= 0.05) }
    END { printf "%d %d %d\n", n, z, p }' >lag2
read n z p <lag2
check "lag 2 diagonal, no-repeat sessions: |adjusted residual| > 1.96 in $z of $n cells (inflated: more than 15%)" \
    test $((100 * z)) -gt $((15 * n))
check "... but permutation p <= 0.05 in only $p of $n (chance: at most 10%)" \
    test $((100 * p)) -le $((10 * n))
finish
