#!/bin/sh
# tests/results/test_info.sh — `dyadseq info`: provenance, contents, the
# strongest pooled lag-1 cells, response rates and cycles of a fixture file;
# errors and exit statuses.
. tests/lib.sh
: "${UNIT_DIR:=build/tests-opt}"
FIX="$UNIT_DIR/test_results"
H5="$TMP/small.h5"
if ! "$FIX" --write "$H5" 2>"$TMP/fix.err"; then
    not_ok "write the fixture with $FIX"; sed 's/^/    # /' "$TMP/fix.err"
    finish
fi

"$DYADSEQ" info "$H5" >"$TMP/info" 2>"$TMP/err"
check_eq "info exits 0" "$?" 0
check_eq "nothing on standard error" "$(cat "$TMP/err")" ""
cat >"$TMP/want" <<EOT
$H5: dyadseq results, format version 1
  software      dyadseq 0.1.0
  command line  dyadseq analyze -o out.h5 demo
  seed          1
  inputs        demo/a.csv  sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                demo/b.csv  sha256 fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
  parameters    {"lags":[1,2],"permutations":0}

Contents
  sessions      3 (2 couples); labels: post 1, pre 1, prä 1
  events        10
  states        2: A:pursue, B:withdraw
  lags          1, 2
  groups        /states /codebook /sessions /lag /responsiveness /cycles /misc

Strongest pooled lag-1 dependencies (top 4 of 4 cells by adjusted residual)
  from         to               count   expected        z Yule's Q p(to|from)
  B:withdraw   B:withdraw           2       2.00     0.50    0.000      0.667
  A:pursue     A:pursue             1       1.00     0.00    0.000      0.333
  A:pursue     B:withdraw           2       2.00     0.00    0.000      0.667
  B:withdraw   A:pursue             1       1.00     0.00    0.000      0.333

Response rate to bids: mean over sessions with bids (number of sessions)
  label          A bids           B bids
  all            0.500 (1)        0.833 (2)
  post           NA (0)           0.667 (1)
  pre            0.500 (1)        1.000 (1)
  prä            NA (0)           NA (0)

Pursue-withdraw cycles by session label
  label           sessions    cycles  per session
  all                    3         3         1.00
  post                   1         2         2.00
  pre                    1         1         1.00
  prä                    1         0         0.00
EOT
if cmp -s "$TMP/info" "$TMP/want"; then ok "info output"; else
    not_ok "info output"; diff "$TMP/want" "$TMP/info" | sed 's/^/    # /'; fi

# a generated study: ten cells of a 10-state table, no responsiveness
"$FIX" --write "$TMP/big.h5" --sessions 40
"$DYADSEQ" info "$TMP/big.h5" >"$TMP/big" 2>&1
check_eq "big: exit 0" "$?" 0
check "big: sessions and couples" grep -q "^  sessions      40 (20 couples); labels: post 20, pre 20$" "$TMP/big"
check "big: absent sections are left out" sh -c "! grep -q -e 'Strongest' -e 'Response' -e 'cycles' '$TMP/big'"

echo "couple,session,code" >"$TMP/t.csv"
"$DYADSEQ" info "$TMP/t.csv" >"$TMP/out" 2>"$TMP/err"
check_eq "a transcript: exit 1" "$?" 1
check_eq "a transcript: says why and what to use" "$(cat "$TMP/err")" \
"dyadseq: error: '$TMP/t.csv' is not an HDF5 file
dyadseq: note: 'dyadseq info' on transcripts is not implemented yet; 'dyadseq validate $TMP/t.csv' summarizes them"
"$DYADSEQ" info "$TMP/none.h5" >"$TMP/out" 2>"$TMP/err"
check_eq "a missing file: exit 1" "$?" 1
check_eq "a missing file: message" "$(cat "$TMP/err")" \
    "dyadseq: error: cannot open '$TMP/none.h5': No such file or directory"
check_status "no argument: exit 2" 2 "$DYADSEQ" info
check_status "two arguments: exit 2" 2 "$DYADSEQ" info "$H5" "$H5"
if [ -w /dev/full ]; then
    "$DYADSEQ" info "$H5" >/dev/full 2>"$TMP/err"
    check_eq "a full standard output: exit 1" "$?" 1
    check_eq "a full standard output: message" "$(cat "$TMP/err")" \
        "dyadseq: error: cannot write to standard output: No space left on device"
fi
"$DYADSEQ" --help >"$TMP/help"
check "listed in dyadseq --help" grep -q "^  info " "$TMP/help"
check "export listed in dyadseq --help" grep -q "^  export " "$TMP/help"
finish
