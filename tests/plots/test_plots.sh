#!/bin/sh
# Figures and reading examples (issue #6) on fake results files that follow
# SPEC 5 (tests/plots/make_fake_results.py): a study of 6 couples x
# pre/post with times, the same without /cycles/runs, the same without an
# actor column, and one session without a time column.
#
#   - scripts/plot_results draws every figure the data allow, as non-empty
#     PNG and PDF files (or the formats of --format), and says which
#     figures it skipped and why;
#   - the timeline takes its cycles from /cycles/runs only (a file with a
#     cycle removed there draws one cycle fewer) and its events from the
#     transcript, which must be the one analyzed: a transcript of other
#     sessions, with an event missing, shifted onsets, an unreadable time,
#     an unknown code, a ragged row, onsets going backwards or a session in
#     two files is an error naming the file and line;
#   - bad inputs give a message and exit 1 (unreadable) or 2 (usage);
#   - its multiple-comparison corrections and noncentral t agree with R;
#   - scripts/read_results.py and .R run, and agree on a non-symmetric
#     cell, which catches a transposed reading in R.
#
# Starting Python with h5py and matplotlib takes about a second, so every
# Python script of the test runs in one interpreter (tests/plots/pybatch.py;
# two batches: the fake files first, the figures once the shell has made
# the transcript variants), and the checks read each job's status and
# messages afterwards. Parts whose interpreter or module is missing print
# "ok - ... # SKIP reason".
. tests/lib.sh

if ! PY=$(python_with h5py numpy matplotlib); then
    skip "plots and Python example" "no Python with h5py, numpy and matplotlib"
    finish
fi
export PYTHONDONTWRITEBYTECODE=1  # leave no __pycache__ in the tree
MAKE_FAKE=tests/plots/make_fake_results.py
PLOT=scripts/plot_results.py
B=$TMP/batch

# is_png FILE / is_pdf FILE: non-empty and the right magic bytes
is_png() { [ -s "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "211PNG" ]; }
is_pdf() { [ -s "$1" ] && [ "$(head -c 4 "$1")" = "%PDF" ]; }
# batch < JOBS: run the jobs in one Python (tests/plots/pybatch.py)
batch() {
    "$PY" tests/plots/pybatch.py "$B" >"$TMP/batch.log" 2>&1 ||
        { not_ok "tests/plots/pybatch.py ran"; sed 's/^/    # /' "$TMP/batch.log" | head -10; }
}
# ran NAME WANT DESCRIPTION: job NAME exited with status WANT
ran() {
    _s=$(cat "$B/$1.status" 2>/dev/null || echo "no status")
    if [ "$_s" = "$2" ]; then ok "$3"; else
        not_ok "$3 (exit $_s, want $2)"; sed 's/^/    # /' "$B/$1.err" 2>/dev/null | head -10; fi
}
# said NAME PATTERN DESCRIPTION: job NAME's standard error matches PATTERN
said() {
    if grep -q -- "$2" "$B/$1.err" 2>/dev/null; then ok "$3"; else
        not_ok "$3"; sed 's/^/    # /' "$B/$1.err" 2>/dev/null | head -10; fi
}
# drawn DESCRIPTION FILE...: every FILE is a PNG or PDF as its name says
drawn() {
    _d=$1; shift
    for _f; do
        case "$_f" in *.png) is_png "$_f" ;; *) is_pdf "$_f" ;; esac || {
            not_ok "$_d"; echo "    # not written: $_f"; return; }
    done
    ok "$_d"
}

# --- the fake results files and the h5py edits of them -----------------
cat >"$TMP/perm.py" <<'EOF'
import h5py, json, shutil, sys, numpy as np
shutil.copy(sys.argv[1], sys.argv[2])
f = h5py.File(sys.argv[2], 'r+')
g = f['lag/1/pooled']
g['permutation_p'] = np.maximum(g['p_value'][()], 1 / 1000)
p = json.loads(f.attrs['parameters']); p['permutations'] = 999
f.attrs['parameters'] = json.dumps(p)
EOF
cat >"$TMP/other.py" <<'EOF'
import h5py, sys
h5py.File(sys.argv[1], 'w')['x'] = [1]
EOF
# param.py IN OUT NAME: OUT is IN with option NAME true in `parameters`,
# as from an analysis with --NAME (--sort, --merge)
cat >"$TMP/param.py" <<'EOF'
import h5py, json, shutil, sys
shutil.copy(sys.argv[1], sys.argv[2])
f = h5py.File(sys.argv[2], 'r+')
p = json.loads(f.attrs['parameters']); p[sys.argv[3]] = True
f.attrs['parameters'] = json.dumps(p)
EOF
# fewer.py IN OUT COUPLE LABEL: OUT is IN without the first cycle of the
# session in /cycles/runs (every column loses that row)
cat >"$TMP/fewer.py" <<'EOF'
import h5py, shutil, sys, numpy as np
shutil.copy(sys.argv[1], sys.argv[2])
f = h5py.File(sys.argv[2], 'r+')
s = [i for i, (c, l) in enumerate(zip(f['sessions/couple'].asstr()[()],
                                      f['sessions/session'].asstr()[()]))
     if (c, l) == (sys.argv[3], sys.argv[4])][0]
g = f['cycles/runs']
drop = int(np.flatnonzero(g['session_index'][()] == s)[0])
for name in list(g):
    data, dims, dt = g[name][()], g[name].attrs['dimensions'], g[name].dtype
    del g[name]
    g.create_dataset(name, data=np.delete(data, drop), dtype=dt).attrs['dimensions'] = dims
EOF
batch <<EOF
fake_full $MAKE_FAKE $TMP/full.h5 --transcript-dir $TMP/tr
fake_notime $MAKE_FAKE --variant notime $TMP/notime.h5 --transcript-dir $TMP/tr_notime
fake_noruns $MAKE_FAKE --no-cycle-runs $TMP/noruns.h5
fake_noactors $MAKE_FAKE --variant noactors $TMP/noactors.h5 --transcript-dir $TMP/tr_noactors
mkperm $TMP/perm.py $TMP/full.h5 $TMP/perm.h5
mkother $TMP/other.py $TMP/other.h5
fewer $TMP/fewer.py $TMP/full.h5 $TMP/fewer.h5 c02 post
mksorted $TMP/param.py $TMP/full.h5 $TMP/sorted.h5 sort
mkmerged $TMP/param.py $TMP/full.h5 $TMP/merged.h5 merge
EOF
ran fake_full 0 "fake results: full study"
ran fake_notime 0 "fake results: one session, no time"
ran fake_noruns 0 "fake results: no /cycles/runs"
ran fake_noactors 0 "fake results: no actor column"
ran fewer 0 "fake results: a cycle of c02/post removed from /cycles/runs"
ran mkperm 0 "fake results: a copy with permutation_p"
ran mkother 0 "an HDF5 file that is not a results file"
ran mksorted 0 "fake results: as analyzed with --sort"
ran mkmerged 0 "fake results: as analyzed with --merge"

# --- transcripts that are not the one analyzed (session c02/post) -------
T=$TMP/tr/transcript.csv
mkdir "$TMP/bad"
# line numbers of c02/post's rows: the first, the second, the last
first=$(awk -F, '$1 == "c02" && $2 == "post" { print NR; exit }' "$T")
last=$(awk -F, '$1 == "c02" && $2 == "post" { n = NR } END { print n }' "$T")
other=$(awk -F, 'NR > 1 && $1 == "c01" { print NR; exit }' "$T")
awk -v n="$last" 'NR != n' "$T" >"$TMP/bad/short.csv"
awk -F, -v OFS=, '$1 == "c02" && $2 == "post" { $5 = sprintf("%.1f", $5 + 1) } { print }' \
    "$T" >"$TMP/bad/shifted.csv"
awk -F, -v OFS=, -v n="$((first + 1))" 'NR == n { $5 = "1:75" } { print }' "$T" >"$TMP/bad/badtime.csv"
awk -F, -v OFS=, -v n="$((first + 1))" 'NR == n { $4 = "pursew" } { print }' "$T" >"$TMP/bad/code.csv"
awk -v n="$other" 'NR == n { $0 = $0 ",x" } { print }' "$T" >"$TMP/bad/ragged.csv"
{ cat "$T"; echo "zz,pre,A,pursue,1.0,1.0"; } >"$TMP/bad/foreign.csv"
awk -F, -v OFS=, -v n="$((first + 1))" 'NR == n { $5 = "0.5" } { print }' "$T" >"$TMP/bad/back.csv"
# two rows of the session swapped: onsets go backwards, which --sort undoes
awk -v n="$((first + 1))" 'NR == n { held = $0; next } { print } NR == n + 1 { print held }' \
    "$T" >"$TMP/bad/swapped.csv"
mkdir "$TMP/split"
awk -v n="$((first + 2))" 'NR < n' "$T" >"$TMP/split/a.csv"
{ head -n 1 "$T"; awk -v n="$((first + 2))" 'NR >= n' "$T"; } >"$TMP/split/b.csv"

# --- the figures ----------------------------------------------------------
cat >"$TMP/cmp_stats.py" <<'EOF'
import math, sys
sys.path.insert(0, "scripts")
import numpy as np
from dyadseq_plots import stats as pr
want = [[float("nan" if v == "NA" else v) for v in line.split()] for line in open(sys.argv[1])]
p = np.array([0.01, 0.04, np.nan, 0.03, 0.005, 0.2, 0.04])
got = [list(pr.adjust_p(p, m)[0]) for m in ("holm", "bonferroni", "bh")]
got += [[pr.nct_cdf(t, df, d)] for t, df, d in ((2.0, 1, 0.5), (-3.9, 5, -1.0),
                                                  (0.3, 20, 2.0), (8.0, 3, 6.0))]
bad = 0
for k, (g, w) in enumerate(zip(got, want)):
    tol = 1e-12 if k < 3 else 2e-6  # the noncentral t is integrated numerically
    for a, b in zip(g, w):
        if not (math.isnan(a) and math.isnan(b)) and not abs(a - b) <= tol * max(1, abs(b)):
            print(f"line {k + 1}: got {a!r}, R {b!r}")
            bad += 1
sys.exit(1 if bad or len(want) != 7 else 0)
EOF
# R once (tests/plots/rbatch.R): the references of the corrections and the
# noncentral t, and scripts/read_results.R on two of the files
RB=$TMP/rbatch
if have_r; then
    cat >"$TMP/stats.R" <<'EOF'
p <- c(0.01, 0.04, NA, 0.03, 0.005, 0.2, 0.04)
for (m in c("holm", "bonferroni", "BH")) cat(sprintf("%.17g", p.adjust(p, m)), "\n")
for (x in list(c(2, 1, 0.5), c(-3.9, 5, -1), c(0.3, 20, 2), c(8, 3, 6)))
  cat(sprintf("%.17g", pt(x[1], x[2], ncp = x[3])), "\n")
EOF
    Rscript tests/plots/rbatch.R "$RB" >"$TMP/rbatch.log" 2>&1 <<EOF ||
stats $TMP/stats.R
read_r scripts/read_results.R $TMP/full.h5
read_r_notime scripts/read_results.R $TMP/notime.h5
EOF
        { not_ok "tests/plots/rbatch.R ran"; sed 's/^/    # /' "$TMP/rbatch.log" | head -10; }
    cat "$RB/stats.out" "$RB/stats.err" >"$TMP/r_stats" 2>/dev/null
    R_JOB="cmp_stats $TMP/cmp_stats.py $TMP/r_stats"
fi
# figures whose drawing, not their pixels, is checked are drawn at 30 dpi
# (PNG rendering is most of the time of this test)
LO="--dpi 30"
TL="--only timeline --session c02/post"
echo "not hdf5" >"$TMP/text.h5"
batch <<EOF
full $PLOT $TMP/full.h5 -o $TMP/out --session c02/post --transcript $TMP/tr
notime $PLOT $TMP/notime.h5 -o $TMP/out1 --format png $LO
notime_tr $PLOT $TMP/notime.h5 -o $TMP/out1 --only timeline --transcript $TMP/tr_notime $LO
noactors $PLOT $TMP/noactors.h5 -o $TMP/out2 --only diagram,timeline,km --transcript $TMP/tr_noactors --format png $LO
tl_file $PLOT $TMP/full.h5 -o $TMP/tx $TL --transcript $T --format png
tl_fewer $PLOT $TMP/fewer.h5 -o $TMP/tf $TL --transcript $TMP/tr --format png
tl_noruns $PLOT $TMP/noruns.h5 -o $TMP/ne $TL --transcript $TMP/tr
tl_none $PLOT $TMP/full.h5 -o $TMP/ne $TL
tl_noactor $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/tr_noactors
tl_short $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/short.csv
tl_shifted $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/shifted.csv
tl_badtime $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/badtime.csv
tl_code $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/code.csv
tl_ragged $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/ragged.csv
tl_foreign $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/foreign.csv
tl_back $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/back.csv
tl_split $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/split
tl_swapped $PLOT $TMP/full.h5 -o $TMP/x $TL --transcript $TMP/bad/swapped.csv
tl_sorted $PLOT $TMP/sorted.h5 -o $TMP/ts $TL --transcript $TMP/bad/swapped.csv --format png
tl_merged $PLOT $TMP/merged.h5 -o $TMP/tm $TL --transcript $TMP/split --format png
options $PLOT $TMP/full.h5 -o $TMP/o2 --only diagram --correction bh --alpha 0.01 --negative --format png $LO
noperm $PLOT $TMP/full.h5 -o $TMP/x --only heatmap --permutation-p
perm_p $PLOT $TMP/perm.h5 -o $TMP/o3 --only heatmap --permutation-p --format png $LO
text $PLOT $TMP/text.h5 -o $TMP/x
none $PLOT $TMP/none.h5 -o $TMP/x
other $PLOT $TMP/other.h5 -o $TMP/x
nosession $PLOT $TMP/full.h5 -o $TMP/x --only timeline --session c99/pre
no_o $PLOT $TMP/full.h5
badformat $PLOT $TMP/full.h5 -o $TMP/x --format svg
baddpi $PLOT $TMP/full.h5 -o $TMP/x --dpi 5
read_py scripts/read_results.py $TMP/full.h5
read_py_notime scripts/read_results.py $TMP/notime.h5
${R_JOB:-}
EOF

# --- the full study: all five figures ----------------------------------
ran full 0 "plot the full study"
for fig in lag1_heatmap lag1_diagram response_km timeline comparison_forest; do
    drawn "full: $fig.png and .pdf written" "$TMP/out/$fig.png" "$TMP/out/$fig.pdf"
done
said full "5 figures in $TMP/out" "full: says where the figures are"
if grep -q "skipped" "$B/full.err"; then not_ok "full: nothing skipped"; sed 's/^/    # /' "$B/full.err"
else ok "full: nothing skipped"; fi
grep -q "warning" "$B/full.err" && not_ok "full: no warning (/cycles/runs agrees with /cycles)" \
    || ok "full: no warning (/cycles/runs agrees with /cycles)"

# --- one session, no time: time figures skipped with a reason ---------
ran notime 0 "plot one session without time"
for fig in lag1_heatmap lag1_diagram; do
    drawn "no time: $fig written" "$TMP/out1/$fig.png"
done
if ls "$TMP/out1"/*.pdf >/dev/null 2>&1; then not_ok "--format png: no PDF written"
else ok "--format png: no PDF written"; fi
for fig in response_km timeline comparison_forest; do
    if [ ! -e "$TMP/out1/$fig.png" ] && grep -q "skipped $fig: ." "$B/notime.err"; then
        ok "no time: $fig skipped with a reason"
    else
        not_ok "no time: $fig skipped with a reason"; sed 's/^/    # /' "$B/notime.err"
    fi
done
said notime "skipped response_km: no /responsiveness" "no time: KM reason named"
said notime "skipped timeline: .*no event times" "no time: timeline reason named"
ran notime_tr 0 "no time, --transcript without a time column"
said notime_tr "skipped timeline: .*no event times" "transcript without time: timeline skipped"

# --- no actor column: states are codes, no dyadic figures --------------
ran noactors 0 "plot without actors"
for fig in lag1_diagram timeline; do
    drawn "no actors: $fig written" "$TMP/out2/$fig.png"
done
said noactors "skipped response_km: no /responsiveness" "no actors: KM skipped"

# --- the timeline: cycles from /cycles/runs, events from the transcript --
ran tl_file 0 "timeline from the transcript file"
cmp -s "$TMP/out/timeline.png" "$TMP/tx/timeline.png" \
    && ok "timeline: the transcript as a file or as its directory: the same figure" \
    || not_ok "timeline: the transcript as a file or as its directory: the same figure"
ran tl_fewer 0 "timeline of a file with a cycle removed from /cycles/runs"
drawn "... drawn" "$TMP/tf/timeline.png"
counts=$(sed -n 's|.*warning: timeline: /cycles/runs has \([0-9]*\) cycles of c02/post, /cycles/n_cycles says \([0-9]*\)$|\1 \2|p' \
    "$B/tl_fewer.err")
check "... with the cycles of /cycles/runs, not found again from the events (one fewer: $counts)" \
    test -n "$counts" -a "${counts% *}" -eq "$((${counts#* } - 1))"
cmp -s "$TMP/out/timeline.png" "$TMP/tf/timeline.png" \
    && not_ok "... and one cycle fewer shaded (another figure)" \
    || ok "... and one cycle fewer shaded (another figure)"
ran tl_noruns 0 "no /cycles/runs: exit 0"
said tl_noruns "skipped timeline: no /cycles/runs in " "no /cycles/runs: timeline skipped, saying so"
ran tl_none 0 "no --transcript: exit 0"
said tl_none "skipped timeline: .*holds no events.*--transcript" "no --transcript: the message names --transcript"
ran tl_noactor 1 "transcript without the actor column the file has: exit 1"
said tl_noactor "tr_noactors/transcript.csv:1: required column missing: actor" "... the message names the column"
ran tl_short 1 "transcript with an event of the session missing: exit 1"
said tl_short "short.csv: 2[0-9]* events of session c02/post, .*full.h5 counts" "... the message counts both"
ran tl_shifted 1 "transcript with the session's onsets shifted: exit 1"
said tl_shifted "the cycle starting at event [0-9]* of session c02/post starts at" "... the message names the cycle"
ran tl_badtime 1 "an unreadable time: exit 1"
said tl_badtime "badtime.csv:$((first + 1)): column 'time': cannot read time '1:75'" "... FILE:LINE: column 'time': message"
ran tl_code 1 "an unknown code: exit 1"
said tl_code "code.csv:$((first + 1)): column 'code': unknown code 'pursew'" "... FILE:LINE: column 'code': message"
ran tl_ragged 1 "a ragged row of another session: exit 1"
said tl_ragged "ragged.csv:$other: row has 7 fields, header has 6" "... FILE:LINE: message"
ran tl_foreign 1 "a session the results file does not have: exit 1"
said tl_foreign "foreign.csv:[0-9]*: session 'zz'/'pre' is not in " "... FILE:LINE: message"
ran tl_back 1 "onsets going backwards (the analysis did not sort): exit 1"
said tl_back "back.csv:$((first + 1)): column 'time': time goes backwards within session 'c02'/'post'" \
    "... FILE:LINE: column 'time': message"
ran tl_split 1 "the session in two files (the analysis did not merge): exit 1"
said tl_split "split/b.csv:2: session 'c02'/'post' also appears in .*split/a.csv (line $first)" \
    "... names both files"
ran tl_swapped 1 "two rows swapped (the analysis did not sort): exit 1"
ran tl_sorted 0 "two rows swapped, the analysis sorted (--sort): exit 0"
cmp -s "$TMP/tx/timeline.png" "$TMP/ts/timeline.png" \
    && ok "... the events sorted as dyadseq sorts them: the same figure" \
    || not_ok "... the events sorted as dyadseq sorts them: the same figure"
ran tl_merged 0 "the session in two files, the analysis merged them (--merge): exit 0"
cmp -s "$TMP/tx/timeline.png" "$TMP/tm/timeline.png" \
    && ok "... the same figure" || not_ok "... the same figure"

# --- options and errors ------------------------------------------------
ran options 0 "--correction bh --alpha 0.01 --negative"
said options "wrote .*lag1_diagram.png$" "options: diagram written (PNG only)"
ran noperm 1 "--permutation-p without permutation_p: exit 1"
said noperm "permutation_p" "--permutation-p: names the missing dataset"
ran perm_p 0 "--permutation-p"
if is_png "$TMP/o3/lag1_heatmap.png" && grep -q "warning: with 999 permutations .* cannot reach" "$B/perm_p.err"; then
    ok "--permutation-p: drawn, warns that Holm cannot reach alpha"
else
    not_ok "--permutation-p: drawn, warns that Holm cannot reach alpha"
fi
ran text 1 "not an HDF5 file: exit 1"
said text "plot_results: error: .*text.h5: not a readable HDF5 file" "not an HDF5 file: message"
ran none 1 "missing file: exit 1"
said none "none.h5: no such file" "missing file: message"
ran other 1 "HDF5 but not dyadseq: exit 1"
said other "not a dyadseq results file" "HDF5 but not dyadseq: message"
ran nosession 2 "unknown --session: exit 2"
ran no_o 2 "no -o: exit 2"
ran badformat 2 "--format svg: exit 2"
said badformat "unknown format 'svg'" "--format svg: message"
ran baddpi 2 "--dpi 5: exit 2"
said baddpi "dpi must lie in 20 .. 1200" "--dpi 5: message"
# --dpi sets the PNG's size in pixels: the diagram at 30 dpi (options) is a
# fifth as wide as at the default 150 (full), within the crop's rounding
png_width() { od -An -tu1 -j16 -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'; }
w150=$(png_width "$TMP/out/lag1_diagram.png") w30=$(png_width "$TMP/o2/lag1_diagram.png")
if awk -v a="$w150" -v b="$w30" 'BEGIN { r = a / b; exit !(b > 0 && r > 4.8 && r < 5.2) }'; then
    ok "--dpi 30: the PNG is a fifth as wide as at 150 dpi ($w30 and $w150 pixels)"
else
    not_ok "--dpi 30: the PNG is a fifth as wide as at 150 dpi ($w30 and $w150 pixels)"
fi

# the wrapper, when no Python has the modules: a message, exit 1
mkdir "$TMP/bin"
printf '#!/bin/sh\nexit 1\n' >"$TMP/bin/python3"
cp "$TMP/bin/python3" "$TMP/bin/python"
chmod +x "$TMP/bin/python3" "$TMP/bin/python"
sed "s#/usr/bin/python3 #$TMP/bin/python3 #" scripts/plot_results >"$TMP/bin/plot_results"
cp scripts/plot_results.py "$TMP/bin/"
check_status "wrapper without h5py/matplotlib: exit 1" 1 \
    env PATH="$TMP/bin:/usr/bin:/bin" PYTHON= sh "$TMP/bin/plot_results" "$TMP/full.h5" -o "$TMP/x"
grep -q "install python3-h5py and python3-matplotlib" "$TMP/.err" \
    && ok "wrapper without modules: says what to install" || not_ok "wrapper without modules: says what to install"

# --- statistics of the script against R --------------------------------
if have_r; then
    if [ "$(cat "$B/cmp_stats.status" 2>/dev/null)" = 0 ]; then
        ok "p-value corrections and noncentral t agree with R"
    else
        not_ok "p-value corrections and noncentral t agree with R"
        sed 's/^/    # /' "$B/cmp_stats.out" "$B/cmp_stats.err" "$TMP/r_stats"
    fi
else
    skip "corrections against R" "Rscript not found"
fi

# --- reading examples ---------------------------------------------------
ran read_py 0 "read_results.py on the full study"
grep -q "^pooled lag 1, A:pursue -> B:withdraw: n = " "$B/read_py.out" && grep -q "^== responsiveness" "$B/read_py.out" \
    && ok "read_results.py prints the lag cell and responsiveness" \
    || not_ok "read_results.py prints the lag cell and responsiveness"
ran read_py_notime 0 "read_results.py without time"
# read_results.R needs the hdf5r package: its first run tells (both ran
# in the R batch above)
if have_r; then
    st=$(cat "$RB/read_r.status" 2>/dev/null || echo "no status")
else
    st=none
fi
if [ "$st" != none ] && ! grep -q "no package called .hdf5r." "$RB/read_r.err"; then
    check_eq "read_results.R on the full study: exit 0" "$st" 0
    for pat in "^pooled lag 1," "^session c01/post: Yule" "^KM curve of row 0"; do
        a=$(grep "$pat" "$B/read_py.out"); b=$(grep "$pat" "$RB/read_r.out")
        check_eq "R and Python read the same: $pat" "$b" "$a"
    done
    check_eq "read_results.R without time" "$(cat "$RB/read_r_notime.status" 2>/dev/null)" 0
else
    skip "read_results.R" "Rscript or the hdf5r package not found"
fi
finish
