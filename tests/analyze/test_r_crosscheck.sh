#!/bin/sh
# tests/analyze/test_r_crosscheck.sh — every lag-table statistic of
# `dyadseq analyze`, through the command line, against base R computed now.
#
# Random transcripts with fixed seeds (tests/r/random_transcripts.R:
# several couples and session labels, one file per couple, a rare code and
# a code that never occurs, so zero margins) are analyzed, every table is
# exported with `dyadseq export`, and tests/r/lag_crosscheck.R recomputes
# each cell from the transcripts — chisq.test, loglin, glm, t.test and the
# SPEC 4.1 formulas — for the per-session tables, the pooled table, the
# tables pooled per session label and the between-session summaries
# (overall and per label). Tolerance 1e-8 relative (IPF stops at 1e-10 of
# the margins).
#
#   codes        no actors, K = 6, lags 1,2,3, sessions of 1-3 events too
#   codes-zc     the same with --zero-correction 0.5
#   actors       actors A,B, K = 10, three session labels, lags 1,2
#   diagonal     no state follows itself, --structural-zeros diagonal, lags 1,2
#   mask-file    actors, --structural-zeros FILE of eight cells
#   separable    actors that never answer each other: a FILE masking every
#                A→B and B→A cell, so the pooled table splits into two
#                blocks (df gains one; glm's df.residual)
#
# R starts twice: once to generate every set of transcripts and once to
# check every analysis (tests/r/*.R --specs).
. tests/lib.sh

if ! have_r; then
    skip "lag tables against base R" "Rscript not found"
    finish
fi

# run NAME GENDIR ACTORS LAGS ZEROS ZC: analyze GENDIR/data, export every
# table, and add the R check of it to $TMP/checks
run() {
    name=$1 gen=$2 actors=$3 lags=$4 zeros=$5 zc=$6
    out="$TMP/$name.h5" ex="$TMP/$name.ex"
    mkdir -p "$ex"
    set -- analyze --no-window --codebook "$gen/codebook.csv" --lags "$lags" \
        --structural-zeros "$zeros" --zero-correction "$zc" -o "$out"
    [ "$actors" = none ] || set -- "$@" --actors "$actors"
    if ! "$DYADSEQ" "$@" "$gen/data" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
        not_ok "$name: dyadseq analyze"
        sed 's/^/    # /' "$TMP/$name.err" | head -10
        return
    fi
    if grep -q "converge\|singular" "$TMP/$name.err"; then
        not_ok "$name: every table fitted (no IPF warning)"
        sed 's/^/    # /' "$TMP/$name.err" | head -5
    else
        ok "$name: every table fitted (no IPF warning)"
    fi
    "$DYADSEQ" export "$out" /states/label >"$ex/states.csv"
    "$DYADSEQ" export "$out" /sessions >"$ex/sessions.csv"
    labels=$(tail -n +2 "$ex/sessions.csv" | cut -d, -f3 | sort -u)
    for k in $(echo "$lags" | tr , ' '); do
        for g in session pooled couple_summary; do
            "$DYADSEQ" export -q "$out" "/lag/$k/$g" >"$ex/lag${k}_$g.csv"
        done
        for l in $labels; do
            for g in pooled_by_label couple_summary_by_label; do
                "$DYADSEQ" export -q "$out" "/lag/$k/$g/$l" >"$ex/lag${k}_${g}_$l.csv"
            done
        done
    done
    echo "$name $gen/data $gen/codebook.csv $actors $lags $zeros $zc $ex" >>"$TMP/checks"
}

cat >"$TMP/mask.csv" <<'EOF'
from,to
A:u,A:u
B:u,B:u
A:v,A:v
B:v,B:v
A:u,B:v
B:w,A:u
A:w,B:u
B:u,A:w
EOF
{
    echo from,to
    for a in u v w y z; do for b in u v w y z; do
        echo "A:$a,B:$b"; echo "B:$a,A:$b"
    done; done
} >"$TMP/blocks.csv"
cat >"$TMP/gen" <<EOF
$TMP/g1 11 x1,x2,x3,x4,x5,x6 none 8 pre,post 20 150 none 1
$TMP/g2 22 p,w,s,b,r A,B 6 s1,s2,s3 40 250 none 1
$TMP/g3 33 c1,c2,c3,c4,c5 none 8 pre,post 40 200 diagonal
$TMP/g4 44 u,v,w,y,z A,B 6 pre,post 60 200 $TMP/mask.csv
$TMP/g5 55 u,v,w,y,z A,B 6 pre,post 40 120 $TMP/blocks.csv
EOF
Rscript tests/r/random_transcripts.R --specs "$TMP/gen" >"$TMP/gen.out" 2>&1 ||
    { not_ok "tests/r/random_transcripts.R generated the transcripts"; sed 's/^/    # /' "$TMP/gen.out" | head -5; }

: >"$TMP/checks"
run codes "$TMP/g1" none 1,2,3 none 0
run codes-zc "$TMP/g1" none 1 none 0.5
run actors "$TMP/g2" A,B 1,2 none 0
run diagonal "$TMP/g3" none 1,2 diagonal 0
run mask-file "$TMP/g4" A,B 1 "$TMP/mask.csv" 0
run separable "$TMP/g5" A,B 1 "$TMP/blocks.csv" 0
Rscript tests/r/lag_crosscheck.R --specs "$TMP/checks" >"$TMP/r.out" 2>&1
_s=$?
sed 's/ *$//' "$TMP/r.out"
[ $_s -eq 0 ] || not_ok "tests/r/lag_crosscheck.R failed (exit $_s)"
check_eq "R checked every analysis" "$(grep -c '^ok - .* lag 1 sessions: S x K x K rows' "$TMP/r.out")" \
    "$(wc -l <"$TMP/checks" | tr -d ' ')"
# the pooled table really is separable (both actors' blocks are active), so
# its df is one more than SPEC 4.1's (r - 1)(c - 1) - s
want=$(awk -F, 'NR > 1 { R[$1] += $3; C[$2] += $3 }
    END { for (i in R) if (R[i] > 0) r++
          for (j in C) if (C[j] > 0) c++
          for (i in R) for (j in C)
              if (R[i] > 0 && C[j] > 0 && substr(i, 1, 1) != substr(j, 1, 1)) s++
          print (r - 1) * (c - 1) - s + 1 }' "$TMP/separable.ex/lag1_pooled.csv")
check_eq "separable: pooled df = (r - 1)(c - 1) - s + 1" \
    "$("$DYADSEQ" export "$TMP/separable.h5" /lag/1/pooled/df | tail -1 | cut -d, -f2)" "$want"
finish
