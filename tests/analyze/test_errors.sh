#!/bin/sh
# tests/analyze/test_errors.sh — how `dyadseq analyze` refuses and fails
# (SPEC 2: exit 1 for invalid data or a runtime failure, 2 for a usage
# error; a failed run leaves no output file and never truncates one):
#
#   -o naming a file that is not a results file, an input, a directory
#   a transition in a structural-zero cell: every one named by file, line,
#     session and cell, nothing written
#   bad option values: usage errors, each with its message
#   a failure while writing (DYADSEQ_FAULT, honoured by results_write.c for
#     testing): no file left, an existing one unchanged, no temporary
#   an existing results file is replaced by rename, never rewritten in place
. tests/lib.sh
ROOT=$PWD
cd "$TMP" || exit 1

cat >cb.csv <<'EOF'
code,role,description
a,other,
b,other,
c,other,
EOF
cat >t.csv <<'EOF'
couple,session,code
c1,s1,a
c1,s1,b
c1,s1,c
c1,s1,a
c2,s1,b
c2,s1,a
c2,s1,c
c2,s1,b
EOF
temps() { ls -a "${1:-.}" | grep -c '\.tmp\.'; }
az() { "$DYADSEQ" analyze -q --codebook cb.csv "$@"; }

# ---- the output path -------------------------------------------------------
printf 'my notes\n' >notes.h5
cp notes.h5 notes.orig
az -o notes.h5 t.csv 2>err
check_eq "-o an existing file that is not a results file: exit 1" "$?" 1
check_eq "... the message says why" "$(cat err)" \
    "dyadseq: error: refusing to overwrite 'notes.h5': it exists and is not a dyadseq results file (remove it or choose another -o)"
check "... and the file is unchanged" cmp notes.h5 notes.orig
az -o t.csv t.csv 2>err
check_eq "-o equal to an input: exit 1" "$?" 1
check_eq "... the message says so" "$(cat err)" \
    "dyadseq: error: -o 't.csv' is one of the inputs; refusing to overwrite it"
ln -s t.csv link.csv
cp t.csv t.orig
az -o ./link.csv t.csv 2>err
check_eq "-o a symbolic link to an input: exit 1" "$?" 1
check "... and the input is unchanged" cmp t.csv t.orig
mkdir in
cp t.csv in/
az -o in/t.csv in 2>err
check_eq "-o a file of an input directory: exit 1" "$?" 1
check "... refused as not a results file" grep -q "it exists and is not a dyadseq results file" err
check "... and the input is unchanged" cmp in/t.csv t.orig
mkdir outdir
az -o outdir t.csv 2>err
check_eq "-o a directory: exit 1" "$?" 1
check_eq "... the message says so" "$(cat err)" \
    "dyadseq: error: -o 'outdir' is a directory; give a file name such as results/study.h5"
az -o nodir/out.h5 t.csv 2>err
check_eq "-o in a directory that does not exist: exit 1" "$?" 1
check "... and nothing is created" test ! -e nodir
check_eq "no temporary is left anywhere" "$(temps)" 0

# ---- structural-zero violations ------------------------------------------
az --structural-zeros diagonal -o z.h5 t.csv
check_eq "no repeated codes: --structural-zeros diagonal runs" "$?" 0
cat >rep.csv <<'EOF'
couple,session,code
c1,s1,a
c1,s1,b
c1,s1,b
c1,s1,c
c2,s1,c
c2,s1,a
c2,s1,a
EOF
az --structural-zeros diagonal -o rep.h5 rep.csv 2>err
check_eq "a repeated code with --structural-zeros diagonal: exit 1" "$?" 1
check_eq "... every violation named by file, line, session, cell and the line before" "$(cat err)" \
"dyadseq: error: rep.csv:4: session 'c1'/'s1': transition b → b (from line 3) falls in a structural-zero cell
dyadseq: error: rep.csv:8: session 'c2'/'s1': transition a → a (from line 7) falls in a structural-zero cell"
check "... and no results file is written" test ! -e rep.h5
printf 'from,to\nb,c\n' >mask.csv
az --structural-zeros mask.csv -o m.h5 t.csv 2>err
check_eq "a transition in a cell of a FILE mask: exit 1" "$?" 1
check_eq "... named" "$(cat err)" \
    "dyadseq: error: t.csv:4: session 'c1'/'s1': transition b → c (from line 3) falls in a structural-zero cell"
printf 'from,to\nb,cc\n' >badmask.csv
az --structural-zeros badmask.csv -o m.h5 t.csv 2>err
check_eq "a mask naming an unknown state: exit 1" "$?" 1
check_eq "... the message names the mask's line and suggests the state" "$(cat err)" \
    "dyadseq: error: badmask.csv:2: column 'to': unknown state 'cc'; did you mean 'c'?"
check "... and no results file is written" test ! -e m.h5

# ---- options that cannot work ----------------------------------------------
az --structural-zeros diag -o z2.h5 t.csv 2>err
check_eq "a mistyped --structural-zeros value: exit 2" "$?" 2
check "... naming the choices" grep -q "give none, diagonal or a CSV file of from,to pairs" err
az --structural-zeros diagonal --permutations 10 -o p.h5 t.csv
check_eq "--permutations with --structural-zeros diagonal: exit 0 (permutations keep them; tests/analyze/test_permute_zeros.sh)" "$?" 0
az --structural-zeros none --permutations 10 -o p0.h5 t.csv
check_eq "--permutations with --structural-zeros none: exit 0" "$?" 0

# usage OPTION MESSAGE: the option is refused with exit 2 and this message
usage() {
    _o=$1 _m=$2
    # shellcheck disable=SC2086
    az $_o -o u.h5 t.csv 2>err
    _s=$?
    if [ "$_s" = 2 ] && [ "$(head -1 err)" = "dyadseq: error: $_m" ] &&
        grep -qx "Try 'dyadseq analyze --help'." err && [ ! -e u.h5 ]; then
        ok "$_o: exit 2, '$_m'"
    else
        not_ok "$_o: exit 2, '$_m' (exit $_s)"; sed 's/^/    # /' err
    fi
}
usage "--lags 0" "--lags takes distinct whole numbers from 1 to 1000, comma separated, not '0'"
usage "--lags 1,1" "--lags takes distinct whole numbers from 1 to 1000, comma separated, not '1,1'"
usage "--lags 1001" "--lags takes distinct whole numbers from 1 to 1000, comma separated, not '1001'"
usage "--zero-correction 0.3" "--zero-correction is 0 or 0.5, not '0.3'"
usage "--permutations -1" "--permutations takes a whole number from 0 to 1e8, not '-1'"
usage "--permutations 1e9" "--permutations takes a whole number from 0 to 1e8, not '1e9'"
usage "--window=5:1" "--window takes LO:HI, whole units with LO <= HI (e.g. 1:5), not '5:1'"
usage "--window=1-5" "--window takes LO:HI, whole units with LO <= HI (e.g. 1:5), not '1-5'"
usage "--time-unit 0" "--time-unit takes seconds > 0, not '0'"
usage "--target later" "--target is onset or ongoing, not 'later'"
usage "--response-window -1" "--response-window takes seconds >= 0, not '-1'"
usage "--cycle-min 1" "--cycle-min takes a whole number >= 2, not '1'"
usage "--compress 10" "--compress takes a level from 0 to 9, not '10'"
usage "-t x" "-t/--threads takes a whole number from 0 (all cores) to 4096, not 'x'"
usage "--seed -3" "--seed takes a whole number from 0 to 4294967295, not '-3'"
usage "--bogus" "unknown option '--bogus'"
"$DYADSEQ" analyze -q t.csv 2>err
check_eq "no -o: exit 2" "$?" 2
check_eq "... the message asks for it" "$(head -1 err)" "dyadseq: error: give the results file with -o FILE.h5"
check_eq "no temporary is left anywhere" "$(temps)" 0

# ---- failures while writing ------------------------------------------------
# the demo study's file takes about 170 writes (HDF5 datasets and
# attributes); fail at the first, in the middle, later on, and at commit
az -o good.h5 t.csv
cp good.h5 good.orig
for fault in results_write:1 results_write:60 results_write:100 results_commit; do
    DYADSEQ_FAULT=$fault "$DYADSEQ" analyze -q -o good.h5 "$ROOT/datasets/demo" 2>err
    check_eq "$fault: exit 1" "$?" 1
    check "$fault: the error says so" grep -q "injected fault DYADSEQ_FAULT=" err
    check "$fault: the existing results file is unchanged" cmp good.h5 good.orig
    check_eq "$fault: no temporary is left" "$(temps)" 0
    DYADSEQ_FAULT=$fault "$DYADSEQ" analyze -q -o fresh.h5 "$ROOT/datasets/demo" 2>/dev/null
    check "$fault: with no previous file, none is left" test ! -e fresh.h5
done

# ---- replacing a results file ----------------------------------------------
ln good.h5 old-link.h5
"$DYADSEQ" analyze -q -o good.h5 "$ROOT/datasets/demo"
check_eq "an existing results file is replaced: exit 0" "$?" 0
check "... by a new file renamed over it (a hard link keeps the old one intact)" cmp old-link.h5 good.orig
check "... and the path now holds the new results (80 sessions)" \
    test "$("$DYADSEQ" export good.h5 /sessions/n_events | wc -l)" -eq 81
check_eq "no temporary is left" "$(temps)" 0
finish
