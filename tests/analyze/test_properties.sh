#!/bin/sh
# tests/analyze/test_properties.sh — what must not change the statistics
# (STYLE: tests like a numerical library), on datasets/demo through the
# command line:
#
#   relabelling   codes renamed and listed in another codebook order, actors
#                 renamed: every statistic equal after mapping the labels
#                 back and permuting rows and columns (to 1e-12: sums run in
#                 another order); lag 1 with structural zeros (IPF,
#                 leverages), lag 2 without, and without actors (lags 1, 3)
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
# line, so "identical" compares the datasets: one h5diff of the two files,
# differences in the root attributes (that provenance) left out
# (tests/analyze/h5diff_groups.awk). The relabelled runs compare what
# `dyadseq export` prints (tests/analyze/dump.sh), labels mapped back. In
# the thread test the command line is the same (-t is left out of it) and
# the files are compared byte for byte; its run at -t 1 is also the
# reference of the comparisons with the same options. Inputs are derived
# from datasets/demo by one awk each.
. tests/lib.sh
. tests/analyze/dump.sh
# 16 of datasets/demo's 40 couples (32 sessions, 8 of each kind): the
# properties hold for any corpus, and every run is 2.5 times cheaper
DEMO=$TMP/demo
mkdir "$DEMO"
for f in datasets/demo/distressed-0[1-8].csv datasets/demo/stable-0[1-8].csv; do
    cp "$f" "$DEMO/"
done

# analyze OUT ARGS...: run quietly; a failure is reported
analyze() {
    _o=$1; shift
    "$DYADSEQ" analyze -q -o "$_o" "$@" 2>"$TMP/analyze.err" ||
        { not_ok "dyadseq analyze $* failed"; sed 's/^/    # /' "$TMP/analyze.err" | head -5; }
}
# differ_is DESCRIPTION A.h5 B.h5 WANT [full]: what differs (differing of
# tests/lib.sh, one line, space-separated) is WANT; skipped without h5diff
differ_is() {
    if ! command -v h5diff >/dev/null 2>&1; then
        skip "$1" "h5diff (hdf5-tools) not installed"; return
    fi
    check_eq "$1" "$(differing "$2" "$3" $5 | tr '\n' ' ')" "$4"
}
# same DESCRIPTION A.h5 B.h5: every dataset equal
same() { differ_is "$1" "$2" "$3" ""; }
# threads DESCRIPTION ARGS...: analyze at -t 1, 2 and 3 into t1.h5, t2.h5,
# t3.h5 (through the same -o path, so with the same command line):
# byte-identical
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
HEADER=$(head -1 "$DEMO/stable-01.csv")

# ---------------------------------------------------------------------------
# relabelling
# ---------------------------------------------------------------------------
mkdir "$TMP/relabel" "$TMP/codes" "$TMP/codes-r"
cat >"$TMP/codebook-r.csv" <<'EOF'
code,role,description
reply,response,renamed response
melt,soften,renamed soften
chase,pursue,renamed pursue
ask,bid,renamed bid
retreat,withdraw,renamed withdraw
EOF
# every demo file relabelled (actors P, Q), and both without the actor column
awk -F, -v OFS=, -v r="$TMP/relabel/" -v c="$TMP/codes/" -v cr="$TMP/codes-r/" '
    BEGIN { m["pursue"] = "chase"; m["withdraw"] = "retreat"; m["soften"] = "melt"
            m["bid"] = "ask"; m["response"] = "reply" }
    FNR == 1 { if (out != "") { close(out); close(oc); close(ocr) }
               name = FILENAME; sub(/.*\//, "", name)
               out = r name; oc = c name; ocr = cr name
               print >out; print $1, $2, $4 >oc; print $1, $2, $4 >ocr; next }
    { print $1, $2, $4 >oc
      $3 = $3 == "A" ? "P" : "Q"; $4 = m[$4]
      print >out; print $1, $2, $4 >ocr }' "$DEMO"/*.csv
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
# relabel_dumps ORIG.h5 RELABELLED.h5: $TMP/r1 and $TMP/r2, every exported
# row prefixed by its section, the relabelled labels mapped back, sorted
# (the states and the codebook differ by design and are left out)
relabel_dumps() {
    dump_results "$1" | awk -v OFS=, '/^## / { sec = $0; next } { print sec, $0 }' |
        grep -v '^## /states/label,\|^## /codebook,' | LC_ALL=C sort >"$TMP/r1"
    dump_results "$2" | awk -f "$TMP/map.awk" |
        grep -v '^## /states/label,\|^## /codebook,' | LC_ALL=C sort >"$TMP/r2"
}
# relabelled DESCRIPTION SECTIONS MIN: the rows of the sections matching
# the grep pattern SECTIONS (at least MIN of them) are equal to 1e-12
relabelled() {
    grep "$2" "$TMP/r1" >"$TMP/s1"
    grep "$2" "$TMP/r2" >"$TMP/s2"
    n=$(wc -l <"$TMP/s1" | tr -d ' ')
    if [ "$n" -ge "$3" ] && awk -F, -v tol=1e-12 -f tests/analyze/close.awk "$TMP/s1" "$TMP/s2" >"$TMP/close"; then
        ok "$1 ($n rows)"
    else
        not_ok "$1 ($n rows, want $3 or more)"; sed 's/^/    # /' "$TMP/close" 2>/dev/null
    fi
}
Z="--lags 1,2 --structural-zeros diagonal --zero-correction 0.5"
threads "$Z" $Z "$DEMO"
mv "$TMP/t1.h5" "$TMP/o.h5"
analyze "$TMP/r.h5" $Z --codebook "$TMP/codebook-r.csv" --actors P,Q "$TMP/relabel"
check_eq "relabelled: the states are in the new codebook order" \
    "$("$DYADSEQ" export "$TMP/r.h5" /states/label | sed -n '2p;3p;7p' | cut -d, -f2 | tr '\n' ' ')" \
    "P:reply P:melt Q:reply "
relabel_dumps "$TMP/o.h5" "$TMP/r.h5"
relabelled "relabelled codes and actors, lag 1 with structural zeros (IPF, leverages): unchanged" \
    '^## /lag/1/' 3200
relabelled "relabelled codes and actors, lag 2 (no structural zeros): unchanged" '^## /lag/2/' 3200
relabelled "relabelled codes and actors: every window, responsiveness, cycle and softening statistic unchanged" \
    '^## /\(window\|responsiveness\|cycles\|softening\)' 3200
relabelled "relabelled codes and actors: the sessions unchanged" '^## /sessions,' 32
# without an actor column: the states are the codes alone
analyze "$TMP/oc.h5" --lags 1,3 "$TMP/codes"
analyze "$TMP/rc.h5" --lags 1,3 --codebook "$TMP/codebook-r.csv" "$TMP/codes-r"
relabel_dumps "$TMP/oc.h5" "$TMP/rc.h5"
relabelled "relabelled codes without actors: unchanged" '^## /' 1600

# ---------------------------------------------------------------------------
# reordering sessions and files; splitting and merging
# ---------------------------------------------------------------------------
P="--lags 1,2 --permutations 20"
threads "$P" $P "$DEMO"
mv "$TMP/t1.h5" "$TMP/base.h5"
# the files in reverse order on the command line
analyze "$TMP/rev.h5" $P $(ls "$DEMO"/*.csv | sort -r)
same "files given in reverse order: identical datasets" "$TMP/base.h5" "$TMP/rev.h5"
analyze "$TMP/seed3.h5" $P --seed 3 "$DEMO"
differ_is "the comparison sees differences (another seed: /lag)" "$TMP/base.h5" "$TMP/seed3.h5" "/lag "
# one file, every session's rows interleaved with the others' (each
# session's own rows stay in order)
{
    echo "$HEADER"
    awk -F, 'FNR > 1 { k = $1 "," $2; print ++n[k] "\t" (length(k) * 7919 + n[k] * 31) % 97 "\t" NR "\t" $0 }' \
        "$DEMO"/*.csv | sort -t "$(printf '\t')" -k1,1n -k2,2n -k3,3n | cut -f4-
} >"$TMP/interleaved.csv"
check "the interleaved file really interleaves sessions" \
    test "$(sed -n '2p;3p' "$TMP/interleaved.csv" | cut -d, -f1,2 | sort -u | wc -l)" -eq 2
threads "one file, interleaved sessions, $P" $P "$TMP/interleaved.csv"
same "one file with the sessions' rows interleaved: identical datasets" "$TMP/base.h5" "$TMP/t1.h5"
# one file, sessions in reverse order: each file's pre rows, then its post rows
awk -F, -v h="$HEADER" 'BEGIN { print h } FNR == 1 { printf "%s", post; post = ""; next }
    $2 == "pre" { print; next } { post = post $0 "\n" } END { printf "%s", post }' \
    $(ls "$DEMO"/*.csv | sort -r) >"$TMP/reversed.csv"
analyze "$TMP/reversed.h5" $P "$TMP/reversed.csv"
same "one file with the sessions in reverse order: identical datasets" "$TMP/base.h5" "$TMP/reversed.h5"
# standard input
awk 'NR == 1 || FNR > 1' "$DEMO"/*.csv >"$TMP/all.csv"
"$DYADSEQ" analyze -q $P -o "$TMP/stdin.h5" - <"$TMP/all.csv" ||
    not_ok "analyze - (standard input)"
same "the corpus on standard input: identical datasets" "$TMP/base.h5" "$TMP/stdin.h5"
analyze "$TMP/one.h5" $P "$TMP/all.csv"
same "the corpus in one file: identical datasets" "$TMP/base.h5" "$TMP/one.h5"
# one file per session (files are fresh: append, the header first)
mkdir "$TMP/per-session"
awk -F, -v d="$TMP/per-session/" 'FNR == 1 { h = $0; b = FILENAME; sub(/.*\//, "", b); sub(/\.csv$/, "", b); next }
    { o = d b "-" $2 ".csv"; if (o != cur) { if (cur != "") close(cur); cur = o }
      if (!(o in seen)) { seen[o] = 1; print h >>o } print >>o }' "$DEMO"/*.csv
check_eq "one file per session: 32 files" "$(ls "$TMP/per-session" | wc -l | tr -d ' ')" 32
analyze "$TMP/per-session.h5" $P "$TMP/per-session"
same "one file per session (32 files): identical datasets" "$TMP/base.h5" "$TMP/per-session.h5"
# every session's rows split over two files, the first half in one (a
# first pass counts each session's rows)
mkdir "$TMP/halves"
awk -F, -v d="$TMP/halves/" '
    FNR == 1 { h = $0; b = FILENAME; sub(/.*\//, "", b); sub(/\.csv$/, "", b); next }
    pass == 1 { n[b "-" $2]++; next }
    { k = b "-" $2; o = d k "-" (++i[k] <= int(n[k] / 2) ? 1 : 2) ".csv"
      if (o != cur) { if (cur != "") close(cur); cur = o }
      if (!(o in seen)) { seen[o] = 1; print h >>o } print >>o }' \
    pass=1 "$DEMO"/*.csv pass=2 "$DEMO"/*.csv
analyze "$TMP/merged.h5" --merge $P "$TMP/halves"
same "sessions split over two files each, with --merge: identical datasets" "$TMP/base.h5" "$TMP/merged.h5"
"$DYADSEQ" analyze -q -o "$TMP/nomerge.h5" "$TMP/halves" 2>"$TMP/err"
check_eq "sessions split over two files without --merge: exit 1" "$?" 1
check "... the message names both files and suggests --merge" grep -q \
    "distressed-01-post-2.csv:2: session 'distressed-01'/'post' also appears in .*distressed-01-post-1.csv (line 2); give --merge" "$TMP/err"
check "... and no results file is written" test ! -e "$TMP/nomerge.h5"

# ---------------------------------------------------------------------------
# threads: byte-identical files at 1, 2 and 3 threads (three more above,
# one below)
# ---------------------------------------------------------------------------
threads "defaults (windows, responsiveness, cycles)" "$DEMO"
threads "--permutations 20 --window=0:3 --time-unit 2" --permutations 20 --window=0:3 --time-unit 2 "$DEMO"

# ---------------------------------------------------------------------------
# permutation p-values: reproducible by seed
# ---------------------------------------------------------------------------
# the same -o path each time (the command line is part of the file); the
# first run of seed 7 is the thread test's at -t 1
S7="--no-window --lags 1,2,3 --permutations 49"
threads "$S7 --seed 7" $S7 --seed 7 "$DEMO"
mv "$TMP/t1.h5" "$TMP/seed-7.h5"
for s in 7b 8; do
    "$DYADSEQ" analyze -q -t 1 -o "$TMP/t.h5" $S7 --seed "${s%b}" "$DEMO" || not_ok "analyze --seed $s"
    mv "$TMP/t.h5" "$TMP/seed-$s.h5"
done
check "the same seed twice (at -t 1 both times): identical files" cmp "$TMP/seed-7.h5" "$TMP/seed-7b.h5"
"$DYADSEQ" export "$TMP/seed-7.h5" /lag/1/session/permutation_p >"$TMP/p7"
"$DYADSEQ" export "$TMP/seed-8.h5" /lag/1/session/permutation_p >"$TMP/p8"
ndiff=$(paste -d'|' "$TMP/p7" "$TMP/p8" | awk -F'|' '$1 != $2' | wc -l | tr -d ' ')
check "another seed: other permutation p-values ($ndiff of 8000 cells differ)" test "$ndiff" -gt 1000
"$DYADSEQ" export "$TMP/seed-7.h5" /lag/1/pooled/permutation_p >"$TMP/pp7"
"$DYADSEQ" export "$TMP/seed-8.h5" /lag/1/pooled/permutation_p >"$TMP/pp8"
check "another seed: other pooled permutation p-values" test "$(cat "$TMP/pp7")" != "$(cat "$TMP/pp8")"
differ_is "another seed: every other statistic unchanged (only the permutation_p datasets differ)" \
    "$TMP/seed-7.h5" "$TMP/seed-8.h5" "$(for k in 1 2 3; do for g in pooled pooled_by_label/post pooled_by_label/pre session; do
        printf '/lag/%s/%s/permutation_p ' $k $g; done; done)" full
bad=$(tail -n +2 "$TMP/p7" | awk -F, '$6 != "NA" { k = $6 * 50
    if (k < 0.999 || k > 50.001 || (k - int(k + 0.5))^2 > 1e-12) n++ }
    END { print n + 0 }')
check_eq "every permutation p is (1 + count)/(M + 1), between 1/50 and 1" "$bad" 0
check_eq "permutation p is NaN exactly where the adjusted residual is" \
    "$("$DYADSEQ" export "$TMP/seed-7.h5" /lag/1/session/adjusted_residual | cut -d, -f6 | grep -c NA)" \
    "$(cut -d, -f6 "$TMP/p7" | grep -c NA)"
finish
