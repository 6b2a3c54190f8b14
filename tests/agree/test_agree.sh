#!/bin/sh
# tests/agree/test_agree.sh — `dyadseq agree` end to end: the two-coder
# demo, identical codings (kappa 1, ICC 1), every statistic against base R
# (tests/agree/check_agree.R), a simulated second coder whose error rates
# the statistics must recover, --coders against two inputs, thread counts,
# data without times or durations, and simulate --coder-error itself.
. tests/lib.sh

D=$DYADSEQ
value() { "$D" export "$1" "$2" | awk -F, 'NR == 2 { print $2 }'; }
# every /agreement table the R check reads, exported into directory $2
export_all() {
    mkdir -p "$2"
    "$D" export "$1" /agreement/session_matrix >"$2/session_matrix.csv"
    "$D" export "$1" /agreement/session >"$2/session.csv"
    "$D" export "$1" /agreement/session_per_code_kappa >"$2/per_code.csv"
    "$D" export "$1" /agreement/matrix >"$2/matrix.csv"
    "$D" export "$1" /agreement/per_code_kappa >"$2/per_code_pooled.csv"
    "$D" export "$1" /agreement/kappa >"$2/kappa.csv"
    "$D" export "$1" /agreement/kappa_max >"$2/kappa_max.csv"
    "$D" export -q "$1" /agreement/icc >"$2/icc.csv"
    "$D" export "$1" /agreement/icc/values >"$2/icc_values.csv"
}
# check_r NAME DIR: the R check of the exports in DIR (tests/agree/
# check_agree.R), its lines prefixed with NAME; queued, and run_r runs
# every one at the end in one R (tests/plots/rbatch.R)
n_r=0
check_r() {
    n_r=$((n_r + 1))
    echo "r$n_r tests/agree/check_agree.R $2" >>"$TMP/r.jobs"
    echo "$1" >"$TMP/r$n_r.name"
}
run_r() {
    [ "$n_r" -gt 0 ] || return
    if ! have_r; then
        for i in $(seq "$n_r"); do ok "$(cat "$TMP/r$i.name"): statistics against R # SKIP no R"; done
        return
    fi
    Rscript --vanilla tests/plots/rbatch.R "$TMP/rb" <"$TMP/r.jobs" >"$TMP/rb.log" 2>&1 ||
        { not_ok "tests/plots/rbatch.R ran"; sed 's/^/    # /' "$TMP/rb.log" | head -10; }
    for i in $(seq "$n_r"); do
        name=$(cat "$TMP/r$i.name")
        cat "$TMP/rb/r$i.out" "$TMP/rb/r$i.err" >"$TMP/r$i.out" 2>/dev/null
        if [ "$(cat "$TMP/rb/r$i.status" 2>/dev/null)" = 0 ]
        then sed "s/^\(not \)\{0,1\}ok - /&$name: /" "$TMP/r$i.out"
        else not_ok "$name: check_agree.R failed"; sed 's/^/    # /' "$TMP/r$i.out"; fi
    done
}

# ---- the demo --------------------------------------------------------
mkdir -p "$TMP/demo"
DYADSEQ=$D sh datasets/agree/make.sh "$TMP/demo"
for f in coder1.csv coder2.csv; do
    if cmp -s "$TMP/demo/$f" "datasets/agree/$f"; then
        ok "demo: datasets/agree/$f is exactly what make.sh writes"
    else not_ok "demo: datasets/agree/$f differs from make.sh's output"; fi
done
"$D" agree datasets/agree/coder1.csv datasets/agree/coder2.csv \
    -o "$TMP/demo.h5" >"$TMP/demo.out" 2>"$TMP/demo.err"
check_eq "demo: exit 0" "$?" 0
for h in "Event agreement, pooled over the 12 sessions" "Cohen's kappa" \
    "kappa max given the marginals" "Per code" "Time-unit agreement" \
    "Reliability of the session-level results: ICC(A,1)" \
    "cycles_per_10min" "wrote $TMP/demo.h5"; do
    if grep -qF "$h" "$TMP/demo.out"; then ok "demo table: '$h'"
    else not_ok "demo table lacks '$h'"; fi
done
n=$(grep -c "only in datasets/agree/coder1.csv" "$TMP/demo.err")
check_eq "demo: sessions of one coder listed on stderr (50, then a count)" \
    "$n $(grep -c '… and 18 more' "$TMP/demo.err")" "50 1"
check_eq "demo: all 68 single-coded sessions in /agreement/single_coded" \
    "$("$D" export "$TMP/demo.h5" /agreement/single_coded | tail -n +2 | wc -l)" 68
export_all "$TMP/demo.h5" "$TMP/demo.x"
check_r demo "$TMP/demo.x"

# ---- identical codings: kappa 1, ICC 1 -------------------------------
"$D" agree -q datasets/agree/coder2.csv datasets/agree/coder2.csv \
    -o "$TMP/same.h5" >/dev/null
check_eq "identical: kappa 1" "$(value "$TMP/same.h5" /agreement/kappa)" 1
check_eq "identical: percent agreement 100" \
    "$(value "$TMP/same.h5" /agreement/percent_agreement)" 100
check_eq "identical: time-unit kappa 1" \
    "$(value "$TMP/same.h5" /agreement/time_unit_kappa)" 1
out=$("$D" export "$TMP/same.h5" /agreement/session | awk -F, 'NR > 1 && ($4 != 1 || $10 != 0 || $11 != 0) { n++ } END { print n + 0 }')
check_eq "identical: every session kappa 1, nothing unmatched" "$out" 0
out=$("$D" export -q "$TMP/same.h5" /agreement/icc | awk -F, 'NR > 1 && $4 != "NA" { n++; if ($4 != 1 || $5 != 1 || $6 != 1 || $13 != 0) bad++ } END { print n + 0, bad + 0 }')
case $out in
    "0 "*) not_ok "identical: no ICC defined ($out)" ;;
    *" 0") ok "identical: ICC 1 with CI [1, 1] for every defined metric ($out)" ;;
    *) not_ok "identical: ICC not 1 ($out)" ;;
esac

# ---- a second coder with known substitution and omission rates -------
"$D" simulate --couples 30 --events 200 --seed 5 -o "$TMP/s1.csv"
"$D" simulate --couples 30 --events 200 --seed 5 \
    --coder-error substitution=0.2 -o "$TMP/s2.csv"
"$D" agree -q --tolerance 0.01 "$TMP/s1.csv" "$TMP/s2.csv" \
    -o "$TMP/sub.h5" >/dev/null
"$D" export "$TMP/sub.h5" /agreement/matrix >"$TMP/sub.m"
kappa=$(value "$TMP/sub.h5" /agreement/kappa)
# first coding's margins pi; the second's c_j = (1-p) pi_j + p/(C-1) times
# the other codes of j's actor; expected kappa = (1 - p - sum pi c)/(1 - sum pi c)
out=$(awk -F, -v p=0.2 -v C=5 -v kappa="$kappa" '
    NR == 1 { next }
    { r[$1] += $3; N += $3; if ($1 == $2) agree += $3
      if ($1 == "nil" || $2 == "nil") nil += $3 }
    END {
        for (i in r) if (i != "nil") { split(i, a, ":"); act[a[1]] += r[i] }
        pe = 0
        for (j in r) if (j != "nil") {
            split(j, a, ":")
            c = (1 - p) * r[j] / N + p / (C - 1) * (act[a[1]] - r[j]) / N
            pe += r[j] / N * c
        }
        want = (1 - p - pe) / (1 - pe)
        se = sqrt(p * (1 - p) / N)
        po = agree / N
        printf "%d %d %d\n", nil, (po - (1 - p))^2 <= (4 * se)^2,
               (kappa - want)^2 <= (4 * se / (1 - pe))^2
    }' "$TMP/sub.m")
check_eq "substitution 0.2, no jitter: every event paired; observed agreement 1 - p and kappa its expected value within 4 SE" "$out" "0 1 1"

"$D" simulate --couples 30 --events 200 --seed 5 \
    --coder-error omission=0.1 -o "$TMP/o2.csv"
"$D" agree -q --tolerance 0.01 "$TMP/s1.csv" "$TMP/o2.csv" \
    -o "$TMP/omit.h5" >/dev/null
u1=$(value "$TMP/omit.h5" /agreement/n_unmatched_first)
u2=$(value "$TMP/omit.h5" /agreement/n_unmatched_second)
n1=$("$D" export "$TMP/omit.h5" /agreement/session | awk -F, 'NR > 1 { n += $12 } END { print n }')
out=$(awk -v u="$u1" -v n="$n1" 'BEGIN { se = sqrt(0.09 / n); print ((u / n - 0.1)^2 <= (4 * se)^2) }')
check_eq "omission 0.1: unmatched first-coding events 10% within 4 SE, none of the second's" "$out $u2" "1 0"
check_eq "omission only: every paired event agrees" \
    "$(value "$TMP/omit.h5" /agreement/n_matched)" \
    "$(value "$TMP/omit.h5" /agreement/n_agreements)"

# ---- --coders: one file with a coder column, a 30% subset -------------
{
    echo "coder,couple,session,actor,code,time,duration"
    tail -n +2 datasets/agree/coder2.csv | sed 's/^/ben,/'
    tail -n +2 datasets/agree/coder1.csv | sed 's/^/ana,/'
} >"$TMP/both.csv"
"$D" agree -q --coders ana,ben "$TMP/both.csv" -o "$TMP/coders.h5" >/dev/null
check_eq "--coders: exit 0" "$?" 0
# (every dataset under each path equal: one h5diff of the two files, the
# root attributes - the inputs - left out; without h5diff, what export
# prints of each path)
if command -v h5diff >/dev/null 2>&1; then
    differing "$TMP/coders.h5" "$TMP/demo.h5" full >"$TMP/differ"
fi
for p in /agreement/session /agreement/session_matrix /agreement/icc \
    /agreement/time_unit/session /sessions; do
    if [ -e "$TMP/differ" ]; then
        [ -z "$(awk -v p="$p" '$1 == "/" || $1 == p || index($1, p "/") == 1' "$TMP/differ")" ]
    else
        [ "$("$D" export -q "$TMP/coders.h5" $p | md5sum)" = \
          "$("$D" export -q "$TMP/demo.h5" $p | md5sum)" ]
    fi && ok "--coders gives the two-input result: $p" ||
        not_ok "--coders differs from two inputs: $p"
done
check_eq "--coders: the first coding is ana" \
    "$("$D" info "$TMP/coders.h5" | grep -c '"first": "ana"')" 1
want=$(sha256sum "$TMP/both.csv" | cut -c1-64)
check_eq "--coders: input_sha256 is the input's own digest" \
    "$("$D" info "$TMP/coders.h5" | grep -c "$want")" 1
# a coder's bad row is reported at its line in the combined file
awk -F, 'NR == 9 && $1 == "ben" { $5 = "pursew" } 1' OFS=, "$TMP/both.csv" >"$TMP/bad.csv"
"$D" agree --coders ana,ben "$TMP/bad.csv" -o "$TMP/bad.h5" 2>"$TMP/bad.err" >/dev/null
check_eq "--coders: a bad row of the second coder is reported at its own line" \
    "$(grep -c "bad.csv:9: column 'code': unknown code 'pursew'" "$TMP/bad.err") $([ -e "$TMP/bad.h5" ] && echo file)" "1 "

# ---- thread counts ------------------------------------------------------
# the same command line (the file records it, without -t) in two places
for t in 1 2; do
    mkdir "$TMP/t$t"
    (cd "$TMP/t$t" && "$D" agree -q -t $t "$TMP/demo/coder1.csv" \
        "$TMP/demo/coder2.csv" -o out.h5 >/dev/null)
done
if cmp -s "$TMP/t1/out.h5" "$TMP/t2/out.h5"; then
    ok "-t 1 and -t 2: byte-identical files"
else not_ok "-t 1 and -t 2 files differ"; fi

# ---- no duration; no time ---------------------------------------------
for k in 1 2; do
    cut -d, -f1-5 "$TMP/demo/coder$k.csv" >"$TMP/nodur$k.csv"
    cut -d, -f1-4 "$TMP/demo/coder$k.csv" >"$TMP/notime$k.csv"
done
"$D" agree "$TMP/nodur1.csv" "$TMP/nodur2.csv" -o "$TMP/nodur.h5" \
    >/dev/null 2>"$TMP/nodur.err"
check_eq "no durations: time-unit agreement left out with a warning" \
    "$(grep -c 'time-unit agreement not computed: the codings have no duration column' "$TMP/nodur.err") $("$D" export "$TMP/nodur.h5" /agreement/time_unit_kappa >/dev/null 2>&1 || echo absent)" "1 absent"
check_eq "no durations: the events agree as with them" \
    "$(value "$TMP/nodur.h5" /agreement/kappa)" "$(value "$TMP/demo.h5" /agreement/kappa)"
"$D" agree -q "$TMP/notime1.csv" "$TMP/notime2.csv" -o "$TMP/notime.h5" >"$TMP/notime.out"
check_eq "no time: aligned by order" \
    "$(grep -c 'No time column: events are aligned by order' "$TMP/notime.out") $("$D" info "$TMP/notime.h5" | grep -c '"aligned_by": "order"')" "1 1"
export_all "$TMP/notime.h5" "$TMP/notime.x"
check_r "by order" "$TMP/notime.x"

# ---- simulate --coder-error ------------------------------------------
"$D" simulate --couples 4 --events 50 --seed 9 -o "$TMP/p.csv"
"$D" simulate --couples 4 --events 50 --seed 9 --coder-error 0,0,0 -o "$TMP/z.csv"
if cmp -s "$TMP/p.csv" "$TMP/z.csv"; then
    ok "--coder-error 0,0,0 writes the first coding unchanged"
else not_ok "--coder-error 0,0,0 changed the coding"; fi
"$D" simulate --couples 4 --events 50 --seed 9 --coder-error jitter=0.7 -o "$TMP/j.csv"
# moving every onset by at most J moves the k-th smallest by at most J too
out=$(for f in p j; do
        tail -n +2 "$TMP/$f.csv" | awk -F, -v f=$f '{ print f, $1 "/" $2, $5, $3 ":" $4 }'
    done | sort -k1,1 -k2,2 -k3,3g | awk '
    $1 == "j" { k[$2]++; jo[$2, k[$2]] = $3; js[$2, k[$2]] = $4 }
    $1 == "p" { m[$2]++; po[$2, m[$2]] = $3; ps[$2, m[$2]] = $4 }
    END { bad = 0; moved = 0
          for (s in m) { if (k[s] != m[s]) bad++
              for (i = 1; i <= m[s]; i++) {
                  d = jo[s, i] - po[s, i]; if (d < 0) d = -d
                  if (d > 0.7005) bad++; if (d > 0) moved++ } }
          print bad, (moved > 100) }')
check_eq "--coder-error jitter=0.7: every session keeps its events, sorted onsets move by at most 0.7 s" "$out" "0 1"
a=$(tail -n +2 "$TMP/p.csv" | cut -d, -f3,4 | sort | md5sum)
b=$(tail -n +2 "$TMP/j.csv" | cut -d, -f3,4 | sort | md5sum)
check_eq "--coder-error jitter only: the codes are unchanged" "$a" "$b"
"$D" simulate --couples 4 --events 50 --seed 9 --coder-error substitution=1 -o "$TMP/s.csv"
out=$(paste -d, "$TMP/p.csv" "$TMP/s.csv" | tail -n +2 | awk -F, '$3 != $9 || $4 == $10 { n++ } END { print n + 0 }')
check_eq "--coder-error substitution=1: every code changes, never the actor" "$out" 0

# ---- the figure ---------------------------------------------------------
# both plot runs in one Python (tests/plots/pybatch.py: starting Python with
# matplotlib takes about a second)
if PY=$(python_with h5py numpy matplotlib); then
    export PYTHONDONTWRITEBYTECODE=1
    B=$TMP/batch
    printf '%s\n' "fig scripts/plot_results.py $TMP/demo.h5 -o $TMP/fig --only agreement" \
        "fig2 scripts/plot_results.py $TMP/same.h5 -o $TMP/fig2" |
        "$PY" tests/plots/pybatch.py "$B" >"$TMP/batch.log" 2>&1 ||
        { not_ok "tests/plots/pybatch.py ran"; sed 's/^/    # /' "$TMP/batch.log" | head -10; }
    check_eq "plot_results --only agreement: exit 0" "$(cat "$B/fig.status" 2>/dev/null)" 0
    if [ -s "$TMP/fig/agreement_matrix.png" ] &&
        [ "$(head -c 4 "$TMP/fig/agreement_matrix.pdf")" = "%PDF" ]; then
        ok "agreement_matrix.png and .pdf written"
    else not_ok "agreement_matrix.png and .pdf written"; fi
    check_eq "an agree file: the agreement matrix among the figures" \
        "$(ls "$TMP/fig2" | grep -c agreement_matrix)" 2
else
    ok "the agreement figure # SKIP no Python with h5py, numpy and matplotlib"
fi
run_r
finish
