#!/bin/sh
# tests/dyadic/test_r_independent.sh — the pooled time-window tallies and
# the responsiveness tables with their per-session Kaplan–Meier curves,
# as `dyadseq analyze` writes them and `dyadseq export` prints them,
# against base R computing from the events alone: tests/r/window.R (each
# time unit classified from the definition, SPEC 4.4) and tests/r/km.R
# (forward searches and the product-limit formula, SPEC 4.6), then R sums
# the session tallies and computes Q, log odds, SE and the adjusted
# residual of the pooled tables itself. Nothing dyadseq computed is an
# input to R. Skips without Rscript. The shell runs every analysis and
# export first; then one R session (R starts in about half a second)
# sources tests/r/window.R and tests/r/km.R and checks every case.
. tests/lib.sh
. tests/dyadic/export.sh
if ! have_r; then
    skip "windows and responsiveness against base R" "Rscript not installed"
    finish
fi

# A small simulated study (4 couples, pre and post, ~80 events each; slow
# answers, gamma with mean 3 s and shape 2, so that some come after W),
# onsets and durations rounded to quarter seconds: exact in binary, so
# unit boundaries are no rounding question for R's floor().
"$DYADSEQ" simulate --couples 4 --events 80 --latency-mean 3 --latency-shape 2 \
    --seed 11 -o "$TMP/raw.csv"
awk -F, -v OFS=, 'NR == 1 { print; next }
    { $5 = int($5 * 4 + 0.5) / 4; $6 = int($6 * 4 + 0.5) / 4; print }' \
    "$TMP/raw.csv" >"$TMP/sim.csv"

# Events for the R scripts. Sessions are numbered in (couple, session)
# byte order (SPEC 4); states actor-major (A, B) in the order of the
# built-in codebook; the role of a built-in code is the code.
tail -n +2 "$TMP/sim.csv" | cut -d, -f1,2 | LC_ALL=C sort -u >"$TMP/keys"
awk -F, -v OFS=, '
    NR == FNR { idx[$1 "," $2] = FNR - 1; next }
    FNR == 1 { print "session,onset,duration,state" >W
               print "session,onset,actor,role" >K; next }
    {
        s = idx[$1 "," $2]
        a = $3 == "A" ? 0 : 1
        c = $4 == "pursue" ? 0 : $4 == "withdraw" ? 1 : $4 == "soften" ? 2 : \
            $4 == "bid" ? 3 : 4
        print s, $5, $6, a * 5 + c >W
        print s, $5, a, $4 >K
    }' W="$TMP/wev.csv" K="$TMP/kev.csv" "$TMP/keys" "$TMP/sim.csv"
S=$(wc -l <"$TMP/keys")
check_eq "8 sessions" "$S" 8

# compare_windows NAME LO HI UNIT ONGOING [OPTIONS]: analyze with that
# window, export /window/session and /window/pooled, and add the case to
# $TMP/cases (R checks window.R's tallies of every session against
# /window/session, and R's own pooled table and its statistics against
# /window/pooled)
: >"$TMP/cases"
n=0
compare_windows() {
    name=$1 lo=$2 hi=$3 unit=$4 ongoing=$5; shift 5
    n=$((n + 1))
    target=onset; [ "$ongoing" = 1 ] && target=ongoing
    check "$name: analyze" "$DYADSEQ" analyze -q -o "$TMP/w$n.h5" \
        --window="$lo:$hi" --time-unit "$unit" --target "$target" "$@" \
        "$TMP/sim.csv"
    echo "session,k,lo,hi,unit,ongoing" >"$TMP/par$n.csv"
    s=0
    while [ "$s" -lt "$S" ]; do
        echo "$s,10,$lo,$hi,$unit,$ongoing" >>"$TMP/par$n.csv"; s=$((s + 1))
    done
    ex "$TMP/w$n.h5" /window/session >"$TMP/ws$n.csv"
    ex "$TMP/w$n.h5" /window/pooled >"$TMP/wp$n.csv"
    printf 'window\t%s:\t%s\t%s\t%s\n' "$name" "$TMP/par$n.csv" "$TMP/ws$n.csv" \
        "$TMP/wp$n.csv" >>"$TMP/cases"
}
compare_windows "window 1:3, 0.5-s units" 1 3 0.5 0
compare_windows "window -2:4, ongoing" -2 4 1 1
compare_windows "window 0:0, 2-s units, ongoing" 0 0 2 1

# compare_responsiveness NAME W [OPTIONS]: analyze, export /responsiveness
# and /responsiveness/km, and add the case (R checks km.R's table and
# curves against them; row = 2 session + bidder)
compare_responsiveness() {
    name=$1 w=$2; shift 2
    n=$((n + 1))
    check "$name: analyze" "$DYADSEQ" analyze -q -o "$TMP/r$n.h5" \
        --response-window "$w" "$@" "$TMP/sim.csv"
    ex "$TMP/r$n.h5" /responsiveness >"$TMP/rt$n.csv"
    ex "$TMP/r$n.h5" /responsiveness/km >"$TMP/rk$n.csv"
    printf 'responsiveness\t%s:\t%s\t%s\t%s\n' "$name" "$w" "$TMP/rt$n.csv" \
        "$TMP/rk$n.csv" >>"$TMP/cases"
}
compare_responsiveness "responsiveness W = 5" 5
compare_responsiveness "responsiveness W = 2.5" 2.5

cat >"$TMP/check.R" <<'EOF'
a <- commandArgs(TRUE)
source("tests/r/window.R")
source("tests/r/km.R")
wev <- read.csv(a[2])
kev <- read.csv(a[3], stringsAsFactors = FALSE)

check_window <- function(name, tallies, ses, pool) {
    r <- read.csv(text = tallies, header = FALSE,
                  col.names = c("session", "i", "j", "a", "b", "c", "d", "n"))
    lab <- as.vector(t(outer(c("A", "B"),
                            c("pursue", "withdraw", "soften", "bid", "response"),
                            paste, sep = ":")))
    r$from <- lab[r$i + 1]; r$to <- lab[r$j + 1]
    out <- function(ok, what) cat(if (ok) "ok" else "not ok", "-", name, what, "\n")
    m <- merge(r, ses, by.x = c("session", "from", "to"),
               by.y = c("session_index", "from", "to"))
    out(nrow(m) == nrow(r) && nrow(r) == nrow(ses) &&
        all(m$a.x == m$a.y & m$b.x == m$b.y & m$c.x == m$c.y & m$d.x == m$d.y),
        sprintf("every session tally (%d cells) equals R's", nrow(r)))
    # pooled: R sums the tallies and computes the statistics (SPEC 4.1, 4.4)
    p <- aggregate(cbind(a, b, c, d) ~ from + to, data = r, FUN = sum)
    m <- merge(p, pool, by = c("from", "to"))
    out(nrow(m) == 100 && all(m$a.x == m$a.y & m$b.x == m$b.y &
                              m$c.x == m$c.y & m$d.x == m$d.y),
        sprintf("pooled tallies equal R's sums (%d units with a > 0 in %d cells)",
                sum(p$a), sum(p$a > 0)))
    A <- m$a.x; B <- m$b.x; C <- m$c.x; D <- m$d.x
    N <- A + B + C + D; R <- A + B; CC <- A + C
    q <- ifelse(A * D + B * C > 0, (A * D - B * C) / (A * D + B * C), NA)
    zero <- A == 0 | B == 0 | C == 0 | D == 0
    lor <- ifelse(zero, NA, log(A * D / (B * C)))
    se <- ifelse(zero, NA, sqrt(1 / A + 1 / B + 1 / C + 1 / D))
    e <- R * CC / N
    z <- ifelse(R > 0 & CC > 0 & R < N & CC < N,
                (A - e) / sqrt(e * (1 - R / N) * (1 - CC / N)), NA)
    same <- function(x, y) all((is.na(x) & is.na(y)) |
                               (!is.na(x) & !is.na(y) & abs(x - y) <= 1e-9 * pmax(1, abs(x))))
    out(same(q, m$yules_q), "pooled Yule's Q equals R's")
    out(same(lor, m$log_odds_ratio), "pooled log odds ratio equals R's")
    out(same(se, m$log_odds_ratio_se), "pooled log odds SE equals R's")
    out(same(z, m$adjusted_residual), "pooled adjusted residual equals R's")
    out(sum(!is.na(q)) > 50 && sum(!is.na(lor)) > 20,
        sprintf("the pooled table is not degenerate (%d Q, %d log odds defined)",
                sum(!is.na(q)), sum(!is.na(lor))))
}

check_responsiveness <- function(name, lines, t, km) {
    S <- read.csv(text = sub("^S,", "", grep("^S,", lines, value = TRUE)),
                  header = FALSE, na.strings = "nan",
                  col.names = c("session", "bidder", "n_bids", "n_answered", "n_late",
                                "rate", "mean", "median", "away", "against", "p"))
    K <- read.csv(text = sub("^K,", "", grep("^K,", lines, value = TRUE)),
                  header = FALSE, na.strings = "nan",
                  col.names = c("session", "bidder", "time", "n_risk", "n_event", "surv"))
    out <- function(ok, what) cat(if (ok) "ok" else "not ok", "-", name, what, "\n")
    same <- function(x, y) length(x) == length(y) &&
        all((is.na(x) & is.na(y)) |
            (!is.na(x) & !is.na(y) & abs(x - y) <= 1e-9 * pmax(1, abs(x))))
    S$row <- 2 * S$session + S$bidder
    S <- S[order(S$row), ]
    out(nrow(S) == nrow(t) && all(S$row == t$row) &&
        all(t$bidder == c("A", "B")[S$bidder + 1]),
        sprintf("%d rows, session-major, A then B", nrow(t)))
    for (v in list(c("n_bids", "n_bids"), c("n_answered", "n_answered"),
                   c("n_late", "n_answered_late"), c("rate", "response_rate"),
                   c("mean", "latency_mean_s"), c("median", "latency_median_s"),
                   c("away", "n_turned_away"), c("against", "n_turned_against"),
                   c("p", "p_response_by_window")))
        out(same(S[[v[1]]], t[[v[2]]]), paste(v[2], "equals R's in every row"))
    K$row <- 2 * K$session + K$bidder
    K <- K[order(K$row, K$time), ]
    km <- km[order(km$row, km$time_s), ]
    out(nrow(K) == nrow(km) && all(K$row == km$row),
        sprintf("KM: the same %d points of the same rows", nrow(km)))
    out(same(K$time, km$time_s) && same(K$surv, km$survival) &&
        all(K$n_risk == km$n_at_risk) && all(K$n_event == km$n_events),
        "KM: time, survival, at risk and events equal R's product-limit estimate")
    out(sum(S$n_answered) > 40 && sum(S$away) > 10 && sum(S$against) > 5 &&
        sum(S$n_late) > 0,
        sprintf("the data exercise every rule (%d answered, %d late, %d away, %d against)",
                sum(S$n_answered), sum(S$n_late), sum(S$away), sum(S$against)))
}

for (line in readLines(a[1])) {
    f <- strsplit(line, "\t")[[1]]
    name <- f[2]
    if (f[1] == "window") {
        check_window(name, capture.output(window_tallies(wev, read.csv(f[3]))),
                     read.csv(f[4]), read.csv(f[5]))
    } else {
        check_responsiveness(name, capture.output(km_events(kev, as.numeric(f[3]))),
                             read.csv(f[4]), read.csv(f[5]))
    }
}
EOF
Rscript --vanilla "$TMP/check.R" "$TMP/cases" "$TMP/wev.csv" "$TMP/kev.csv" >"$TMP/r.out" 2>&1
_s=$?
sed 's/ *$//' "$TMP/r.out"
[ $_s -eq 0 ] || not_ok "the R checks ran (exit $_s)"
finish
