#!/bin/sh
# tests/simulate/test_model.sh — `simulate --model FILE`: every bad model
# gives its exact located messages and exit 1; a planted matrix, gap and
# latency distribution (also a PRE:POST latency) are recovered from the
# transcripts (base R, awk).
. tests/lib.sh
M=tests/simulate/models
R=tests/simulate/transitions.R

# bad models: exact messages (tests/simulate/models/bad-*.expected), exit 1
for f in "$M"/bad-*.csv; do
    name=$(basename "$f" .csv)
    (cd "$M" && "$DYADSEQ" simulate --model "$name.csv" -o "$TMP/$name.out") \
        >"$TMP/out" 2>"$TMP/err"
    status=$?
    check_eq "$name: exit 1" "$status" 1
    if cmp -s "$TMP/err" "$M/$name.expected"; then ok "$name: exact messages"
    else not_ok "$name: exact messages"; diff "$M/$name.expected" "$TMP/err" | sed 's/^/    # /'; fi
    [ -e "$TMP/$name.out" ] && not_ok "$name: no output" || ok "$name: no output"
done
check_status "missing model file: exit 1" 1 "$DYADSEQ" simulate --model "$M/none.csv"
grep -q "cannot open model" "$TMP/.err" && ok "missing model: message" || not_ok "missing model: message"

# the model is checked against --actors and --codebook
check_status "model states follow --actors (W,H: A:pursue unknown)" 1 \
    "$DYADSEQ" simulate --actors W,H --model "$M/planted.csv"
printf 'code,role\ncrit,pursue\nstone,withdraw\n' >"$TMP/cb.csv"
printf 'from,to,p\nW:crit,H:stone,1\nH:stone,W:crit,0.5\nH:stone,H:crit,0.5\nH:crit,W:crit,1\n' >"$TMP/own.csv"
check_status "own codebook and three actors in a model" 0 "$DYADSEQ" simulate \
    --codebook "$TMP/cb.csv" --actors W,H,X --model "$TMP/own.csv" --couples 2 \
    --events 30 -o "$TMP/own-out.csv"
check "own-model output validates" "$DYADSEQ" validate --codebook "$TMP/cb.csv" \
    --actors W,H,X "$TMP/own-out.csv"

# a planted matrix is recovered (transition proportions within sampling error)
"$DYADSEQ" simulate --model "$M/planted.csv" --couples 30 --events 500 \
    --gap-mean 3 --gap-shape 2 --latency-mean 0.8 --latency-shape 4 \
    --duration-mean 1 --seed 9 -o "$TMP/planted-out.csv"
check "planted model output validates" "$DYADSEQ" validate "$TMP/planted-out.csv"
check_eq "couples are couple-01 .. couple-30" \
    "$(sed 1d "$TMP/planted-out.csv" | cut -d, -f1 | sort -u | sed -n '1p;$p' | tr '\n' ' ')" \
    "couple-01 couple-30 "
if have_r; then
    # checked at the end, with the other matrix, in one R session
    printf '%s\t%s\t%s\n' "$TMP/planted-out.csv" "$M/planted.csv" "planted matrix recovered" \
        >"$TMP/specs"
    # gaps: gamma(2, mean 3) before ordinary events, gamma(4, mean 0.8)
    # before an answer to a bid; durations end by the next onset (run at
    # the end with transitions.R, in one R)
    cat >"$TMP/gaps.R" <<'REOF'
d <- read.csv(commandArgs(trailingOnly = TRUE)[1], colClasses = c(time = "numeric", duration = "numeric"))
tap <- function(ok, what) cat(if (ok) "ok" else "not ok", "-", what, "\n")
n <- nrow(d); same <- paste(d$couple, d$session)[-1] == paste(d$couple, d$session)[-n]
gap <- diff(d$time)[same]
answer <- (d$code[-n] == "bid" & d$code[-1] == "response" & d$actor[-n] != d$actor[-1])[same]
chk <- function(x, mean, shape, what) {
  se <- mean / sqrt(shape) / sqrt(length(x))
  tap(abs(mean(x) - mean) < 4.5 * se + 0.0005,
      sprintf("%s: mean %.4f, planted %.2f (n %d)", what, mean(x), mean, length(x)))
  tap(abs(var(x) - mean^2 / shape) < 0.1 * mean^2 / shape,
      sprintf("%s: variance %.4f, gamma %.4f", what, var(x), mean^2 / shape))
}
chk(gap[answer], 0.8, 4, "latency of answers")
chk(gap[!answer], 3, 2, "gaps")
first <- d$time[c(TRUE, !same)]
tap(abs(mean(first) - 3) < 4.5 * 3 / sqrt(2) / sqrt(length(first)),
    sprintf("first onset is one gap after 0: mean %.3f", mean(first)))
tap(all(d$duration[-n][same] <= gap + 0.0015), "durations end by the next onset")
tap(all(d$duration >= 0), "durations >= 0")
REOF
else
    skip "planted matrix recovered" "no Rscript"
fi

# a PRE:POST latency mean applies with --model too, moving with the
# session's progress alone: 0.8 s pre, 0.4 s post (gamma shape 4)
"$DYADSEQ" simulate --model "$M/planted.csv" --couples 30 --events 500 \
    --latency-mean 0.8:0.4 --seed 9 -o "$TMP/model-lat.csv"
awk -f tests/simulate/metrics.awk "$TMP/model-lat.csv" >"$TMP/m"
for s in pre:0.8 post:0.4; do
    label=${s%:*} want=${s#*:}
    line=$(grep "^group=couple session=$label " "$TMP/m")
    n=$(printf '%s\n' "$line" | tr ' ' '\n' | sed -n 's/^answers=//p')
    got=$(printf '%s\n' "$line" | tr ' ' '\n' | sed -n 's/^lat_mean=//p')
    if awk -v g="$got" -v w="$want" -v n="$n" 'BEGIN { t = 4.5 * w / 2 / sqrt(n); exit !(g - w <= t && w - g <= t) }'; then
        ok "--model, $label: mean answer latency $got s, planted $want ($n answers)"
    else not_ok "--model, $label: mean answer latency $got s, planted $want ($n answers)"; fi
done

# --model files are read strictly but thirds with 12 digits are fine
printf 'from,to,p\nA:pursue,B:withdraw,0.333333333333\nA:pursue,B:bid,0.333333333333\nA:pursue,A:bid,0.333333333334\nB:withdraw,A:pursue,1\nB:bid,A:pursue,1\nA:bid,A:pursue,1\n' >"$TMP/thirds.csv"
check_status "row sums within 1e-9 accepted" 0 "$DYADSEQ" simulate --model "$TMP/thirds.csv" \
    --couples 1 --events 10 -o "$TMP/thirds-out.csv"

# the built-in model's own matrices, used as a --model, give the same law
"$DYADSEQ" simulate --print-model -o "$TMP/pm.csv"
awk -F, 'NR == 1 { print "from,to,p" } $1 == "stable" && $2 == "pre" && $3 == "A" { print $4 "," $5 "," $6 }' \
    "$TMP/pm.csv" >"$TMP/stable-pre-A.csv"
check_status "a --print-model matrix is a valid --model" 0 "$DYADSEQ" simulate \
    --model "$TMP/stable-pre-A.csv" --couples 20 --events 400 -o "$TMP/rt.csv"
if have_r; then
    printf '%s\t%s\t%s\n' "$TMP/rt.csv" "$TMP/stable-pre-A.csv" \
        "printed built-in matrix recovered through --model" >>"$TMP/specs"
    # the gaps' script and transitions.R in one R (tests/plots/rbatch.R)
    printf '%s\n' "gaps $TMP/gaps.R $TMP/planted-out.csv" "trans $R --specs $TMP/specs" |
        Rscript tests/plots/rbatch.R "$TMP/rb" >"$TMP/rb.log" 2>&1 ||
        { not_ok "tests/plots/rbatch.R ran"; sed 's/^/    # /' "$TMP/rb.log" | head -5; }
    for j in gaps:"the gaps' R script" trans:transitions.R; do
        cat "$TMP/rb/${j%%:*}.out" 2>/dev/null
        [ "$(cat "$TMP/rb/${j%%:*}.status" 2>/dev/null)" = 0 ] ||
            { not_ok "${j#*:} ran"; sed 's/^/    # /' "$TMP/rb/${j%%:*}.err" 2>/dev/null | head -5; }
    done
else
    skip "printed built-in matrix recovered through --model" "no Rscript"
fi
finish
