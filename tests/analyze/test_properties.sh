#!/bin/sh
# tests/analyze/test_properties.sh — what must not change the statistics
# (STYLE: tests like a numerical library), on datasets/demo through the
# command line:
#
#   relabelling   codes renamed and listed in another codebook order, actors
#                 renamed: every statistic equal after mapping the labels
#                 back and permuting rows and columns (to 1e-12: sums run in
#                 another order)
#   reordering    input files in another order, all sessions in one file
#                 with their rows interleaved, sessions in reverse order,
#                 standard input: every dataset identical
#   splitting     one file, one file per couple, one per session, a
#                 session's rows split over two files with --merge (and an
#                 error without it): every dataset identical
#   threads       -t 1, 2 and 3 write byte-identical files (windows on and
#                 off, permutations, lags 1,2, structural zeros)
#   seeds         the same --seed gives the same permutation p-values, another
#                 seed other ones, and nothing else changes
#
# Results files also record the input names and checksums and the command
# line, so "identical" compares the datasets (h5diff of every group below
# the root, or tests/analyze/dump.sh), except for the thread test, where
# the command line is the same (-t is left out of it) and the files are
# compared byte for byte.
. tests/lib.sh
. tests/analyze/dump.sh
DEMO=datasets/demo

# analyze OUT ARGS...: run quietly; a failure is reported
analyze() {
    _o=$1; shift
    "$DYADSEQ" analyze -q -o "$_o" "$@" 2>"$TMP/analyze.err" ||
        { not_ok "dyadseq analyze $* failed"; sed 's/^/    # /' "$TMP/analyze.err" | head -5; }
}
# differing A.h5 B.h5: print the top-level groups whose datasets differ —
# h5diff group by group below the root (NaN equals NaN there), or the
# exports when h5diff is missing ("all")
differing() {
    if command -v h5diff >/dev/null 2>&1; then
        for _g in /states /codebook /sessions /lag /window /responsiveness /cycles /softening; do
            _in1=$(h5ls "$1$_g" >/dev/null 2>&1 && echo 1)
            _in2=$(h5ls "$2$_g" >/dev/null 2>&1 && echo 1)
            if [ "$_in1" != "$_in2" ]; then echo "$_g"
            elif [ -n "$_in1" ] && ! h5diff -q "$1" "$2" "$_g" "$_g" >/dev/null 2>&1; then echo "$_g"; fi
        done
    else
        [ -f "$1.dump" ] || dump_results "$1" >"$1.dump"
        dump_results "$2" | cmp -s "$1.dump" - || echo all
    fi
}
# same DESCRIPTION A.h5 B.h5: every dataset equal
same() {
    _d=$(differing "$2" "$3" | tr '\n' ' ')
    if [ -z "$_d" ]; then ok "$1"; else not_ok "$1"; echo "    # differ: $_d"; fi
}
# body FILE: the data rows of a CSV file
body() { tail -n +2 "$1"; }
HEADER=$(head -1 "$DEMO/stable-01.csv")

# ---------------------------------------------------------------------------
# relabelling
# ---------------------------------------------------------------------------
mkdir "$TMP/relabel"
cat >"$TMP/codebook-r.csv" <<'EOF'
code,role,description
reply,response,renamed response
melt,soften,renamed soften
chase,pursue,renamed pursue
ask,bid,renamed bid
retreat,withdraw,renamed withdraw
EOF
for f in "$DEMO"/*.csv; do
    awk -F, -v OFS=, 'NR > 1 {
        $3 = $3 == "A" ? "P" : "Q"
        m["pursue"] = "chase"; m["withdraw"] = "retreat"; m["soften"] = "melt"
        m["bid"] = "ask"; m["response"] = "reply"; $4 = m[$4] } { print }' \
        "$f" >"$TMP/relabel/$(basename "$f")"
done
# labels of the relabelled run mapped back to the original ones
cat >"$TMP/map.awk" <<'EOF'
BEGIN { FS = OFS = ","
    c["chase"] = "pursue"; c["retreat"] = "withdraw"; c["melt"] = "soften"
    c["ask"] = "bid"; c["reply"] = "response"; a["P"] = "A"; a["Q"] = "B" }
/^## / { sec = $0; next }
{ for (i = 1; i <= NF; i++) {
      if ($i in a) $i = a[$i]
      else if (split($i, p, ":") == 2 && (p[1] in a) && (p[2] in c))
          $i = a[p[1]] ":" c[p[2]]
      else if ($i in c) $i = c[$i]
  }
  print sec "," $0 }
EOF
# relabelled DESCRIPTION ORIG.h5 RELABELLED.h5: statistics equal up to the
# permutation, section by section (the states and the codebook differ)
relabelled() {
    dump_results "$2" | awk -v OFS=, '/^## / { sec = $0; next } { print sec, $0 }' |
        grep -v '^## /states/label,\|^## /codebook,' | LC_ALL=C sort >"$TMP/r1"
    dump_results "$3" | awk -f "$TMP/map.awk" |
        grep -v '^## /states/label,\|^## /codebook,' | LC_ALL=C sort >"$TMP/r2"
    n=$(wc -l <"$TMP/r1" | tr -d ' ')
    if [ "$n" -gt 1000 ] && awk -F, -v tol=1e-12 -f tests/analyze/close.awk "$TMP/r1" "$TMP/r2" >"$TMP/close"; then
        ok "$1 ($n rows)"
    else
        not_ok "$1 ($n rows)"; sed 's/^/    # /' "$TMP/close"
    fi
}
analyze "$TMP/o.h5" --lags 1,2 "$DEMO"
analyze "$TMP/r.h5" --lags 1,2 --codebook "$TMP/codebook-r.csv" --actors P,Q "$TMP/relabel"
check_eq "relabelled: the states are in the new codebook order" \
    "$("$DYADSEQ" export "$TMP/r.h5" /states/label | sed -n '2p;3p;7p' | cut -d, -f2 | tr '\n' ' ')" \
    "P:reply P:melt Q:reply "
relabelled "relabelled codes and actors: every lag, window, responsiveness, cycle and softening statistic unchanged" "$TMP/o.h5" "$TMP/r.h5"
analyze "$TMP/oz.h5" --structural-zeros diagonal --no-window "$DEMO"
analyze "$TMP/rz.h5" --structural-zeros diagonal --no-window --codebook "$TMP/codebook-r.csv" --actors P,Q "$TMP/relabel"
relabelled "relabelled, with structural zeros (IPF, leverages): unchanged" "$TMP/oz.h5" "$TMP/rz.h5"
# without an actor column: the states are the codes alone
mkdir "$TMP/codes" "$TMP/codes-r"
for f in "$DEMO"/*.csv; do
    cut -d, -f1,2,4 "$f" >"$TMP/codes/$(basename "$f")"
    cut -d, -f1,2,4 "$TMP/relabel/$(basename "$f")" >"$TMP/codes-r/$(basename "$f")"
done
analyze "$TMP/oc.h5" --lags 1,3 "$TMP/codes"
analyze "$TMP/rc.h5" --lags 1,3 --codebook "$TMP/codebook-r.csv" "$TMP/codes-r"
relabelled "relabelled codes without actors: unchanged" "$TMP/oc.h5" "$TMP/rc.h5"

# ---------------------------------------------------------------------------
# reordering sessions and files; splitting and merging
# ---------------------------------------------------------------------------
analyze "$TMP/base.h5" --lags 1,2 --permutations 20 "$DEMO"
# the files in reverse order on the command line
analyze "$TMP/rev.h5" --lags 1,2 --permutations 20 $(ls "$DEMO"/*.csv | sort -r)
same "files given in reverse order: identical datasets" "$TMP/base.h5" "$TMP/rev.h5"
analyze "$TMP/seed3.h5" --lags 1,2 --permutations 20 --seed 3 "$DEMO"
check_eq "the comparison sees differences (another seed: /lag)" \
    "$(differing "$TMP/base.h5" "$TMP/seed3.h5" | tr '\n' ' ')" "/lag "
# one file, every session's rows interleaved with the others' (each
# session's own rows stay in order)
{
    echo "$HEADER"
    for f in "$DEMO"/*.csv; do body "$f"; done |
        awk -F, '{ k = $1 "," $2; print ++n[k] "\t" (length(k) * 7919 + n[k] * 31) % 97 "\t" NR "\t" $0 }' |
        sort -t "$(printf '\t')" -k1,1n -k2,2n -k3,3n | cut -f4-
} >"$TMP/interleaved.csv"
check "the interleaved file really interleaves sessions" \
    test "$(sed -n '2p;3p' "$TMP/interleaved.csv" | cut -d, -f1,2 | sort -u | wc -l)" -eq 2
analyze "$TMP/inter.h5" --lags 1,2 --permutations 20 "$TMP/interleaved.csv"
same "one file with the sessions' rows interleaved: identical datasets" "$TMP/base.h5" "$TMP/inter.h5"
# one file, sessions in reverse order
{
    echo "$HEADER"
    for f in $(ls "$DEMO"/*.csv | sort -r); do
        body "$f" | awk -F, '$2 == "pre"'; body "$f" | awk -F, '$2 == "post"'
    done
} >"$TMP/reversed.csv"
analyze "$TMP/reversed.h5" --lags 1,2 --permutations 20 "$TMP/reversed.csv"
same "one file with the sessions in reverse order: identical datasets" "$TMP/base.h5" "$TMP/reversed.h5"
# standard input
{ echo "$HEADER"; for f in "$DEMO"/*.csv; do body "$f"; done; } >"$TMP/all.csv"
"$DYADSEQ" analyze -q --lags 1,2 --permutations 20 -o "$TMP/stdin.h5" - <"$TMP/all.csv" ||
    not_ok "analyze - (standard input)"
same "the corpus on standard input: identical datasets" "$TMP/base.h5" "$TMP/stdin.h5"
analyze "$TMP/one.h5" --lags 1,2 --permutations 20 "$TMP/all.csv"
same "the corpus in one file: identical datasets" "$TMP/base.h5" "$TMP/one.h5"
# one file per session
mkdir "$TMP/per-session"
for f in "$DEMO"/*.csv; do
    b=$(basename "$f" .csv)
    for s in pre post; do
        { echo "$HEADER"; body "$f" | awk -F, -v s=$s '$2 == s'; } >"$TMP/per-session/$b-$s.csv"
    done
done
analyze "$TMP/per-session.h5" --lags 1,2 --permutations 20 "$TMP/per-session"
same "one file per session (160 files): identical datasets" "$TMP/base.h5" "$TMP/per-session.h5"
# every session's rows split over two files, the first half in one
mkdir "$TMP/halves"
for f in "$DEMO"/*.csv; do
    b=$(basename "$f" .csv)
    for s in pre post; do
        body "$f" | awk -F, -v s=$s '$2 == s' >"$TMP/rows"
        h=$(( $(wc -l <"$TMP/rows") / 2 ))
        { echo "$HEADER"; head -n $h "$TMP/rows"; } >"$TMP/halves/$b-$s-1.csv"
        { echo "$HEADER"; tail -n +$((h + 1)) "$TMP/rows"; } >"$TMP/halves/$b-$s-2.csv"
    done
done
analyze "$TMP/merged.h5" --merge --lags 1,2 --permutations 20 "$TMP/halves"
same "sessions split over two files each, with --merge: identical datasets" "$TMP/base.h5" "$TMP/merged.h5"
"$DYADSEQ" analyze -q -o "$TMP/nomerge.h5" "$TMP/halves" 2>"$TMP/err"
check_eq "sessions split over two files without --merge: exit 1" "$?" 1
check "... the message names both files and suggests --merge" grep -q \
    "distressed-01-post-2.csv:2: session 'distressed-01'/'post' also appears in .*distressed-01-post-1.csv (line 2); give --merge" "$TMP/err"
check "... and no results file is written" test ! -e "$TMP/nomerge.h5"

# ---------------------------------------------------------------------------
# threads: byte-identical files at 1, 2 and 3 threads
# ---------------------------------------------------------------------------
threads() {
    _d=$1; shift
    for t in 1 2 3; do
        "$DYADSEQ" analyze -q -t $t -o "$TMP/t.h5" "$@" || not_ok "$_d: -t $t failed"
        mv "$TMP/t.h5" "$TMP/t$t.h5"
    done
    if cmp -s "$TMP/t1.h5" "$TMP/t2.h5" && cmp -s "$TMP/t1.h5" "$TMP/t3.h5"; then
        ok "$_d: byte-identical at -t 1, 2, 3"
    else
        not_ok "$_d: byte-identical at -t 1, 2, 3"
    fi
}
threads "defaults (windows, responsiveness, cycles)" "$DEMO"
threads "--no-window --lags 1,2,3" --no-window --lags 1,2,3 "$DEMO"
threads "--permutations 100 --lags 1,2" --permutations 100 --lags 1,2 "$DEMO"
threads "--permutations 50 --window=0:3 --time-unit 2" --permutations 50 --window=0:3 --time-unit 2 "$DEMO"
threads "--structural-zeros diagonal --zero-correction 0.5" --structural-zeros diagonal --zero-correction 0.5 "$DEMO"
threads "one file, interleaved sessions, --permutations 30" --permutations 30 "$TMP/interleaved.csv"

# ---------------------------------------------------------------------------
# permutation p-values: reproducible by seed
# ---------------------------------------------------------------------------
# the same -o path each time: the command line is part of the file
for s in 7 7b 8; do
    analyze "$TMP/seed.h5" --permutations 99 --seed "${s%b}" --no-window "$DEMO"
    mv "$TMP/seed.h5" "$TMP/seed-$s.h5"
done
check "the same seed twice: identical files" cmp "$TMP/seed-7.h5" "$TMP/seed-7b.h5"
"$DYADSEQ" export "$TMP/seed-7.h5" /lag/1/session/permutation_p >"$TMP/p7"
"$DYADSEQ" export "$TMP/seed-8.h5" /lag/1/session/permutation_p >"$TMP/p8"
ndiff=$(paste -d'|' "$TMP/p7" "$TMP/p8" | awk -F'|' '$1 != $2' | wc -l | tr -d ' ')
check "another seed: other permutation p-values ($ndiff of 8000 cells differ)" test "$ndiff" -gt 1000
"$DYADSEQ" export "$TMP/seed-7.h5" /lag/1/pooled/permutation_p >"$TMP/pp7"
"$DYADSEQ" export "$TMP/seed-8.h5" /lag/1/pooled/permutation_p >"$TMP/pp8"
check "another seed: other pooled permutation p-values" test "$(cat "$TMP/pp7")" != "$(cat "$TMP/pp8")"
for s in 7 8; do
    dump_results "$TMP/seed-$s.h5" | awk -F, -v OFS=, '
        /^## / { sec = $0; col = 0; print; next }
        /permutation_p/ && !col { for (i = 1; i <= NF; i++) if ($i == "permutation_p") col = i }
        { if (col) { $col = "" } print }' >"$TMP/np$s"
done
check "another seed: every other statistic unchanged" cmp "$TMP/np7" "$TMP/np8"
bad=$(tail -n +2 "$TMP/p7" | awk -F, '$6 != "NA" { k = $6 * 100
    if (k < 0.999 || k > 100.001 || (k - int(k + 0.5))^2 > 1e-12) n++ }
    END { print n + 0 }')
check_eq "every permutation p is (1 + count)/(M + 1), between 1/100 and 1" "$bad" 0
check_eq "permutation p is NaN exactly where the adjusted residual is" \
    "$("$DYADSEQ" export "$TMP/seed-7.h5" /lag/1/session/adjusted_residual | cut -d, -f6 | grep -c NA)" \
    "$(cut -d, -f6 "$TMP/p7" | grep -c NA)"
finish
