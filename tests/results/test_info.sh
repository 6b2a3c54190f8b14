#!/bin/sh
# tests/results/test_info.sh — `dyadseq info`: provenance, contents, the
# strongest pooled lag-1 cells, response rates and cycles of a fixture file;
# response rates, median latencies, softening and cycles by label of a
# small analyzed transcript; errors and exit statuses.
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
  label           sessions    cycles  per session   per 10 min
  all                    3         3         1.00        44.00
  post                   1         2         2.00        40.00
  pre                    1         1         1.00        48.00
  prä                    1         0         0.00           NA
EOT
# per 10 min: pre 1 cycle in 12.5 s = 48, post 2 in 30 s = 40, prä has no
# duration (NA); all: the mean over the sessions with one, (48 + 40)/2.
# The fixture has no latency_median_s and no /softening: those sections
# are left out.
if cmp -s "$TMP/info" "$TMP/want"; then ok "info output"; else
    not_ok "info output"; diff "$TMP/want" "$TMP/info" | sed 's/^/    # /'; fi

# The dyadic sections on a file of `analyze`: two couples, pre and post.
cat >"$TMP/dy.csv" <<'EOF'
couple,session,actor,code,time
k1,pre,A,bid,0
k1,pre,B,response,2
k1,pre,B,bid,4
k1,pre,A,response,8
k1,pre,A,soften,10
k1,pre,B,pursue,12
k1,post,A,bid,0
k1,post,B,withdraw,1
k1,post,A,pursue,2
k1,post,B,withdraw,3
k1,post,A,pursue,4
k1,post,B,soften,30
k2,pre,A,bid,0
k2,pre,B,response,1
k2,pre,A,pursue,5
k2,pre,B,withdraw,6
k2,pre,A,pursue,7
k2,post,B,bid,0
k2,post,A,response,3
k2,post,A,soften,6
EOF
"$DYADSEQ" analyze -q -o "$TMP/dy.h5" "$TMP/dy.csv"
"$DYADSEQ" info "$TMP/dy.h5" | sed -n '/^Response rate/,$p' >"$TMP/dy.info"
# By hand, sessions k1/pre (12 s), k1/post (30 s), k2/pre (7 s), k2/post
# (6 s):
# A bids: k1/pre answered after 2 s (rate 1), k1/post never (rate 0, no
#   latency), k2/pre after 1 s (rate 1), k2/post none (NA): all (1 + 0 +
#   1)/3, post 0 in 1 session, pre 1; median latency all (2 + 1)/2, pre
#   the same, post none.
# B bids: k1/pre after 4 s, k2/post after 3 s: rates 1; medians all
#   (4 + 3)/2, post 3, pre 4.
# Softening per minute: A k1/pre 1 in 12 s = 5, k2/post 1 in 6 s = 10,
#   else 0; B k1/post 1 in 30 s = 2. A: all 15/4, post 10/2, pre 5/2;
#   B: all 2/4, post 2/2, pre 0; both: all 17/4, post 12/2, pre 5/2.
# Cycles: k1/post B:w A:p B:w A:p (one, 1 per 30 s = 20 per 10 min),
#   k2/pre A:p B:w A:p (one, 600/7 = 85.71 per 10 min): all (20 + 85.71)/4
#   = 26.43, post 20/2, pre 85.71/2 = 42.86.
cat >"$TMP/dy.want" <<'EOT'
Response rate to bids: mean over sessions with bids (number of sessions)
  label          A bids           B bids
  all            0.667 (3)        1.000 (2)
  post           0.000 (1)        1.000 (1)
  pre            1.000 (2)        1.000 (1)

Median latency of answered bids, s: mean over sessions (number of sessions)
  label          A bids           B bids
  all            1.50 (2)         3.50 (2)
  post           NA (0)           3.00 (1)
  pre            1.50 (2)         4.00 (1)

Softening per minute: mean over sessions (number of sessions)
  label          A                B                both
  all            3.75 (4)         0.50 (4)         4.25 (4)
  post           5.00 (2)         1.00 (2)         6.00 (2)
  pre            2.50 (2)         0.00 (2)         2.50 (2)

Pursue-withdraw cycles by session label
  label           sessions    cycles  per session   per 10 min
  all                    4         2         0.50        26.43
  post                   2         1         0.50        10.00
  pre                    2         1         0.50        42.86
EOT
if cmp -s "$TMP/dy.info" "$TMP/dy.want"; then
    ok "info: rates, latencies, softening and cycles by label of analyze output"
else
    not_ok "info: rates, latencies, softening and cycles by label of analyze output"
    diff "$TMP/dy.want" "$TMP/dy.info" | sed 's/^/    # /'
fi

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
