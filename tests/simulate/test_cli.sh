#!/bin/sh
# tests/simulate/test_cli.sh — `dyadseq simulate` on the command line:
# --help, usage errors (exit 2), determinism, valid output, output layouts,
# refusing to overwrite, atomic output.
. tests/lib.sh
S="$DYADSEQ simulate"

# --help: every option with its default
$S --help >"$TMP/help" 2>&1
check_eq "--help exits 0" "$?" 0
for opt in --couples --groups --sessions --events --withdraw --continue \
    --soften --reciprocate --answer-sd --answer-gain --therapy --gap-mean --gap-shape \
    --latency-mean --latency-shape --duration-mean --duration-shape \
    --model --print-model --codebook --actors --force --output --seed; do
    if grep -q -- "$opt" "$TMP/help"; then ok "--help lists $opt"
    else not_ok "--help lists $opt"; fi
done
for d in '\[20\]' '\[stable:0.86,distressed:0.33\]' '\[pre,post\]' '\[400\]' \
    '\[0.45:0.25\]' '\[0.55:0.25\]' '\[0.05:0.25\]' '\[0.10:0.30\]' \
    '\[0.05\]' '\[0\]' '\[1:0\]' '\[2.5\]' '\[1.5\]' '\[2.0\]' '\[A,B\]'; do
    if grep -q -- "$d" "$TMP/help"; then ok "--help shows default $d"
    else not_ok "--help shows default $d"; fi
done
$DYADSEQ --help | grep -q '^  simulate ' && ok "dyadseq --help lists simulate" \
    || not_ok "dyadseq --help lists simulate"

# usage errors: exit 2, nothing written
cd "$TMP" || exit 1
for args in "--bogus" "--couples 0" "--couples x" "--events 0" \
    "--groups a:1.5" "--groups a" "--groups a:0.5,a:0.4" "--groups -a:0.5" \
    "--groups a:0.5 --answer-sd 0.6" "--sessions pre,pre" "--sessions ," \
    "--withdraw 1.5" "--withdraw 0.2:x" "--continue 0.8 --soften 0.3" \
    "--gap-mean 0" "--latency-shape -1" "--duration-mean nan" \
    "--latency-mean 2:0" "--latency-mean 2:x" "--latency-mean :1" \
    "--answer-gain 1.5" "--answer-gain x" "--model m.csv --answer-gain 0.1" \
    "--therapy 0.5" "--therapy 1.5:0" "--therapy 0.5:0.5" "--model m.csv --therapy 1:0" \
    "--actors A,B,C" "--actors A,A" "--seed -1" "--seed 4294967296" \
    "--model m.csv --withdraw 0.3" "--model m.csv --groups a:1" \
    "--model m.csv --print-model" "--print-model -o dir/" "extra-arg" \
    "--couples"; do
    # shellcheck disable=SC2086
    check_status "usage error exits 2: $args" 2 $S -o usage.csv $args
    [ -e usage.csv ] && not_ok "no output after: $args" && rm -f usage.csv
done
grep -q "Try 'dyadseq simulate --help'" "$TMP/.err" && ok "usage error hints at --help" \
    || not_ok "usage error hints at --help"

# options added later leave existing invocations byte for byte as they
# were: checksums (POSIX cksum) of the output of dyadseq 0.1.0 before
# --latency-mean PRE:POST and --answer-gain
check_eq "default output unchanged since 0.1.0" \
    "$($S --couples 4 --events 100 --seed 7 | cksum)" "2066697293 30191"
check_eq "three sessions with --therapy unchanged since 0.1.0" \
    "$($S --couples 4 --events 100 --seed 7 --sessions a,b,c --therapy 0.6:0.2 | cksum)" \
    "932110433 43541"

# determinism: same seed -> identical bytes; another seed -> different
$S --couples 6 --events 120 --seed 11 -o a.csv
$S --couples 6 --events 120 --seed 11 -o b.csv
$S --couples 6 --events 120 --seed 11 >c.csv
$S --couples 6 --events 120 --seed 12 -o d.csv
check "same seed, byte-identical file" cmp -s a.csv b.csv
check "file and standard output identical" cmp -s a.csv c.csv
if cmp -s a.csv d.csv; then not_ok "another seed differs"; else ok "another seed differs"; fi
check_eq "header is the transcript schema" "$(head -1 a.csv)" \
    "couple,session,actor,code,time,duration"
check "output validates" "$DYADSEQ" validate a.csv
check_eq "couples named by group" \
    "$(cut -d, -f1 a.csv | sed 1d | sort -u | tr '\n' ' ')" \
    "distressed-01 distressed-02 distressed-03 stable-01 stable-02 stable-03 "
check_eq "sessions pre and post" "$(cut -d, -f2 a.csv | sed 1d | sort -u | tr '\n' ' ')" \
    "post pre "
n=$(awk -F, 'NR > 1 { n[$1 "," $2]++ } END { for (k in n) if (n[k] < 90 || n[k] > 150) bad++; print bad + 0 }' a.csv)
check_eq "every session has 90..150 events for --events 120" "$n" 0

# layouts: one file per couple holds the same rows as one file
$S --couples 6 --events 120 --seed 11 -o per/
check_eq "-o DIR/ writes one file per couple" "$(ls per | tr '\n' ' ')" \
    "distressed-01.csv distressed-02.csv distressed-03.csv stable-01.csv stable-02.csv stable-03.csv "
check "DIR output validates" "$DYADSEQ" validate per
for f in per/*.csv; do sed 1d "$f"; done | sort >rows-dir
sed 1d a.csv | sort >rows-file
check "DIR and FILE layouts hold the same rows" cmp -s rows-dir rows-file
mkdir existing
$S --couples 2 --events 20 -o existing
check_eq "an existing directory without / is a DIR target" "$(ls existing | wc -l | tr -d ' ')" 2

# a session depends only on seed, couple id and label
$S --couples 2 --events 120 --seed 11 --sessions pre,mid,post -o few.csv
grep '^stable-01,pre,' a.csv >s1
grep '^stable-01,pre,' few.csv >s2
check "stable-01 pre unchanged by other couples and sessions" cmp -s s1 s2
grep '^stable-01,post,' a.csv >s1
grep '^stable-01,post,' few.csv >s2
check "stable-01 post unchanged by a middle session" cmp -s s1 s2

# refusing to overwrite; --force; no temporary files left
cp a.csv keep.csv
check_status "existing file is refused (exit 1)" 1 $S --couples 2 --events 20 -o a.csv
grep -q "exists; use --force" "$TMP/.err" && ok "message says use --force" \
    || not_ok "message says use --force"
check "refused file is unchanged" cmp -s a.csv keep.csv
check_status "existing per-couple file is refused (exit 1)" 1 \
    $S --couples 6 --events 20 --seed 5 -o per/
for f in per/*.csv; do sed 1d "$f"; done | sort >rows-dir2
check "refused directory is unchanged" cmp -s rows-dir rows-dir2
check_status "--force replaces" 0 $S --couples 2 --events 20 -o a.csv --force
if cmp -s a.csv keep.csv; then not_ok "--force wrote new content"; else ok "--force wrote new content"; fi
check_status "--force replaces per-couple files" 0 $S --couples 6 --events 20 -o per/ --force
check_eq "no temporary files left" "$(find . -name '*.tmp.*' | wc -l | tr -d ' ')" 0

# a failed run leaves no output: codebook without a soften code
printf 'code,role\ncrit,pursue\nstonewall,withdraw\nask,bid\nturn,response\n' >cb.csv
check_status "codebook lacking a role: exit 1" 1 $S --codebook cb.csv -o fail.csv
grep -q "no code with role 'soften'" "$TMP/.err" && ok "message names the missing role" \
    || not_ok "message names the missing role"
[ -e fail.csv ] && not_ok "failed run leaves no file" || ok "failed run leaves no file"
check_status "unwritable directory: exit 1" 1 $S -o no/such/dir/x.csv
check_status "missing parent of DIR/: exit 1" 1 $S -o no/such/dir/
[ -e no ] && not_ok "nothing created for a missing parent" || ok "nothing created for a missing parent"

# a study's own codes and actors
printf 'code,role\ncrit,pursue\nstonewall,withdraw\nvuln,soften\nask,bid\nturn,response\nhumor,other\n' >cb2.csv
$S --codebook cb2.csv --actors W,H --couples 2 --events 50 -o own.csv
check "own codebook and actors validate" "$DYADSEQ" validate --codebook cb2.csv --actors W,H own.csv
check_eq "own codes used (first of each role, never 'other')" \
    "$(cut -d, -f4 own.csv | sed 1d | sort -u | tr '\n' ' ')" "ask crit stonewall turn vuln "

# --print-model: rows of each matrix sum to 1; the bid row is the rate
$S --print-model -o model.csv
check_eq "--print-model header" "$(head -1 model.csv)" "group,session,pursuer,from,to,p"
bad=$(awk -F, 'NR > 1 { s[$1 "," $2 "," $3 "," $4] += $6 }
    END { for (k in s) if (s[k] < 1 - 1e-12 || s[k] > 1 + 1e-12) b++; print b + 0 }' model.csv)
check_eq "--print-model rows sum to 1" "$bad" 0
check_eq "8 matrices of 10 rows" "$(sed 1d model.csv | cut -d, -f1-4 | sort -u | wc -l | tr -d ' ')" 80
check_eq "stable: A:bid -> B:response is 0.86" \
    "$(grep '^stable,pre,A,A:bid,B:response,' model.csv | cut -d, -f6)" 0.86
check_eq "distressed: B:bid -> A:response is 0.33" \
    "$(grep '^distressed,post,B,B:bid,A:response,' model.csv | cut -d, -f6)" 0.33
check_eq "no state follows itself" \
    "$(awk -F, 'NR > 1 && $4 == $5' model.csv | wc -l | tr -d ' ')" 0

finish
