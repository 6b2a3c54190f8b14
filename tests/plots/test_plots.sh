#!/bin/sh
# Figures and reading examples (issue #6) on fake results files that follow
# SPEC 5 (tests/plots/make_fake_results.py): a study of 6 couples x
# pre/post with times, and one session without a time column.
#
#   - scripts/plot_results draws every figure the data allow, as non-empty
#     PNG and PDF files, and says which figures it skipped and why;
#   - the timeline reads the same events from /events and the transcript;
#   - bad inputs give a message and exit 1 (unreadable) or 2 (usage);
#   - its multiple-comparison corrections and noncentral t agree with R;
#   - scripts/read_results.py and .R run, and agree on a non-symmetric
#     cell, which catches a transposed reading in R.
# Parts whose interpreter or module is missing print "ok - ... # skip".
. tests/lib.sh

PY=""
for p in /usr/bin/python3 ${PYTHON:-} python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import h5py, numpy, matplotlib' 2>/dev/null; then
        PY=$p; break
    fi
done
if [ -z "$PY" ]; then
    ok "plots and Python example # skip no Python with h5py, numpy and matplotlib"
    finish
fi
export PYTHONDONTWRITEBYTECODE=1  # leave no __pycache__ in the tree
MAKE_FAKE=tests/plots/make_fake_results.py
PLOT=scripts/plot_results

# is_png FILE / is_pdf FILE: non-empty and the right magic bytes
is_png() { [ -s "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "211PNG" ]; }
is_pdf() { [ -s "$1" ] && [ "$(head -c 4 "$1")" = "%PDF" ]; }

check "fake results: full study" "$PY" $MAKE_FAKE "$TMP/full.h5" --transcript-dir "$TMP/tr"
check "fake results: one session, no time" "$PY" $MAKE_FAKE --variant notime "$TMP/notime.h5" \
    --transcript-dir "$TMP/tr_notime"
check "fake results: no /events group" "$PY" $MAKE_FAKE --no-events "$TMP/noevents.h5"
check "fake results: no actor column" "$PY" $MAKE_FAKE --variant noactors "$TMP/noactors.h5"

# --- the full study: all five figures ----------------------------------
check_status "plot the full study" 0 $PLOT "$TMP/full.h5" -o "$TMP/out" --session c02/post
for fig in lag1_heatmap lag1_diagram response_km timeline comparison_forest; do
    if is_png "$TMP/out/$fig.png" && is_pdf "$TMP/out/$fig.pdf"; then
        ok "full: $fig.png and .pdf written"
    else
        not_ok "full: $fig.png and .pdf written"
    fi
done
grep -q "5 figures in $TMP/out" "$TMP/.err" && ok "full: says where the figures are" \
    || not_ok "full: says where the figures are"
if grep -q "skipped" "$TMP/.err"; then not_ok "full: nothing skipped"; sed 's/^/    # /' "$TMP/.err"
else ok "full: nothing skipped"; fi
grep -q "warning" "$TMP/.err" && not_ok "full: no warning (timeline cycles match /cycles)" \
    || ok "full: no warning (timeline cycles match /cycles)"

# --- one session, no time: time figures skipped with a reason ---------
check_status "plot one session without time" 0 $PLOT "$TMP/notime.h5" -o "$TMP/out1"
for fig in lag1_heatmap lag1_diagram; do
    if is_png "$TMP/out1/$fig.png" && is_pdf "$TMP/out1/$fig.pdf"; then
        ok "no time: $fig written"
    else
        not_ok "no time: $fig written"
    fi
done
for fig in response_km timeline comparison_forest; do
    if [ ! -e "$TMP/out1/$fig.png" ] && grep -q "skipped $fig: ." "$TMP/.err"; then
        ok "no time: $fig skipped with a reason"
    else
        not_ok "no time: $fig skipped with a reason"; sed 's/^/    # /' "$TMP/.err"
    fi
done
grep -q "skipped response_km: no /responsiveness" "$TMP/.err" && ok "no time: KM reason named" \
    || not_ok "no time: KM reason named"
grep -q "skipped timeline: .*no event times" "$TMP/.err" && ok "no time: timeline reason named" \
    || not_ok "no time: timeline reason named"
check_status "no time, --transcript without a time column" 0 \
    $PLOT "$TMP/notime.h5" -o "$TMP/out1" --only timeline --transcript "$TMP/tr_notime"
grep -q "skipped timeline: .*no event times" "$TMP/.err" && ok "transcript without time: timeline skipped" \
    || not_ok "transcript without time: timeline skipped"

# --- no actor column: states are codes, no dyadic figures --------------
check_status "plot without actors" 0 $PLOT "$TMP/noactors.h5" -o "$TMP/out2" --only diagram,timeline,km
for fig in lag1_diagram timeline; do
    is_png "$TMP/out2/$fig.png" && is_pdf "$TMP/out2/$fig.pdf" && ok "no actors: $fig written" \
        || not_ok "no actors: $fig written"
done
grep -q "skipped response_km: no /responsiveness" "$TMP/.err" && ok "no actors: KM skipped" \
    || not_ok "no actors: KM skipped"

# --- the timeline: /events, the transcript, or neither -----------------
check_status "timeline from the transcript" 0 $PLOT "$TMP/full.h5" -o "$TMP/tx" --only timeline \
    --session c02/post --transcript "$TMP/tr"
cmp -s "$TMP/out/timeline.png" "$TMP/tx/timeline.png" && ok "timeline: /events and transcript agree" \
    || not_ok "timeline: /events and transcript agree"
check_status "no /events, no --transcript" 0 $PLOT "$TMP/noevents.h5" -o "$TMP/ne" --only timeline
grep -q "skipped timeline: .*--transcript" "$TMP/.err" && ok "no /events: the message names --transcript" \
    || not_ok "no /events: the message names --transcript"
check_status "no /events, transcript given" 0 $PLOT "$TMP/noevents.h5" -o "$TMP/ne" --only timeline \
    --transcript "$TMP/tr/transcript.csv"
is_png "$TMP/ne/timeline.png" && ok "no /events: timeline from the transcript file" \
    || not_ok "no /events: timeline from the transcript file"

# --- options and errors ------------------------------------------------
check_status "--correction bh --alpha 0.01 --negative" 0 $PLOT "$TMP/full.h5" -o "$TMP/o2" \
    --only diagram --correction bh --alpha 0.01 --negative
grep -q "wrote .*lag1_diagram.png" "$TMP/.err" && ok "options: diagram written" || not_ok "options: diagram written"
check_status "--permutation-p without permutation_p: exit 1" 1 $PLOT "$TMP/full.h5" -o "$TMP/x" \
    --only heatmap --permutation-p
grep -q "permutation_p" "$TMP/.err" && ok "--permutation-p: names the missing dataset" \
    || not_ok "--permutation-p: names the missing dataset"
cp "$TMP/full.h5" "$TMP/perm.h5"
"$PY" -c "
import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], 'r+')
g = f['lag/1/pooled']
g['permutation_p'] = np.maximum(g['p_value'][()], 1 / 1000)
p = json.loads(f.attrs['parameters']); p['permutations'] = 999
f.attrs['parameters'] = json.dumps(p)" "$TMP/perm.h5"
check_status "--permutation-p" 0 $PLOT "$TMP/perm.h5" -o "$TMP/o3" --only heatmap --permutation-p
is_png "$TMP/o3/lag1_heatmap.png" && grep -q "warning: with 999 permutations .* cannot reach" "$TMP/.err" \
    && ok "--permutation-p: drawn, warns that Holm cannot reach alpha" \
    || not_ok "--permutation-p: drawn, warns that Holm cannot reach alpha"
echo "not hdf5" >"$TMP/text.h5"
check_status "not an HDF5 file: exit 1" 1 $PLOT "$TMP/text.h5" -o "$TMP/x"
grep -q "plot_results: error: .*text.h5: not a readable HDF5 file" "$TMP/.err" \
    && ok "not an HDF5 file: message" || not_ok "not an HDF5 file: message"
check_status "missing file: exit 1" 1 $PLOT "$TMP/none.h5" -o "$TMP/x"
grep -q "none.h5: no such file" "$TMP/.err" && ok "missing file: message" || not_ok "missing file: message"
"$PY" -c "import h5py, sys; h5py.File(sys.argv[1], 'w')['x'] = [1]" "$TMP/other.h5"
check_status "HDF5 but not dyadseq: exit 1" 1 $PLOT "$TMP/other.h5" -o "$TMP/x"
grep -q "not a dyadseq results file" "$TMP/.err" && ok "HDF5 but not dyadseq: message" \
    || not_ok "HDF5 but not dyadseq: message"
check_status "unknown --session: exit 2" 2 $PLOT "$TMP/full.h5" -o "$TMP/x" --only timeline --session c99/pre
check_status "no -o: exit 2" 2 $PLOT "$TMP/full.h5"

# the wrapper, when no Python has the modules: a message, exit 1
mkdir "$TMP/bin"
printf '#!/bin/sh\nexit 1\n' >"$TMP/bin/python3"
cp "$TMP/bin/python3" "$TMP/bin/python"
chmod +x "$TMP/bin/python3" "$TMP/bin/python"
sed "s#/usr/bin/python3 #$TMP/bin/python3 #" $PLOT >"$TMP/bin/plot_results"
cp scripts/plot_results.py "$TMP/bin/"
check_status "wrapper without h5py/matplotlib: exit 1" 1 \
    env PATH="$TMP/bin:/usr/bin:/bin" PYTHON= sh "$TMP/bin/plot_results" "$TMP/full.h5" -o "$TMP/x"
grep -q "install python3-h5py and python3-matplotlib" "$TMP/.err" \
    && ok "wrapper without modules: says what to install" || not_ok "wrapper without modules: says what to install"

# --- statistics of the script against R --------------------------------
if have_r; then
    Rscript --vanilla -e '
p <- c(0.01, 0.04, NA, 0.03, 0.005, 0.2, 0.04)
for (m in c("holm", "bonferroni", "BH")) cat(sprintf("%.17g", p.adjust(p, m)), "\n")
for (x in list(c(2, 1, 0.5), c(-3.9, 5, -1), c(0.3, 20, 2), c(8, 3, 6)))
  cat(sprintf("%.17g", pt(x[1], x[2], ncp = x[3])), "\n")' >"$TMP/r_stats" 2>&1
    if "$PY" - "$TMP/r_stats" >"$TMP/cmp_stats" 2>&1 <<'EOF'
import math, sys
sys.path.insert(0, "scripts")
import numpy as np
import plot_results as pr
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
    then
        ok "p-value corrections and noncentral t agree with R"
    else
        not_ok "p-value corrections and noncentral t agree with R"
        sed 's/^/    # /' "$TMP/cmp_stats" "$TMP/r_stats"
    fi
else
    ok "corrections against R # skip Rscript not found"
fi

# --- reading examples ---------------------------------------------------
check_status "read_results.py on the full study" 0 "$PY" scripts/read_results.py "$TMP/full.h5"
cp "$TMP/.out" "$TMP/read_py"
grep -q "^pooled lag 1, A:pursue -> B:withdraw: n = " "$TMP/read_py" && grep -q "^== responsiveness" "$TMP/read_py" \
    && ok "read_results.py prints the lag cell and responsiveness" \
    || not_ok "read_results.py prints the lag cell and responsiveness"
check_status "read_results.py without time" 0 "$PY" scripts/read_results.py "$TMP/notime.h5"
if have_r && Rscript -e 'library(hdf5r)' >/dev/null 2>&1; then
    check_status "read_results.R on the full study" 0 Rscript scripts/read_results.R "$TMP/full.h5"
    cp "$TMP/.out" "$TMP/read_r"
    for pat in "^pooled lag 1," "^session c01/post: Yule" "^KM curve of row 0"; do
        a=$(grep "$pat" "$TMP/read_py"); b=$(grep "$pat" "$TMP/read_r")
        check_eq "R and Python read the same: $pat" "$b" "$a"
    done
    check_status "read_results.R without time" 0 Rscript scripts/read_results.R "$TMP/notime.h5"
else
    ok "read_results.R # skip Rscript or the hdf5r package not found"
fi
finish
