#!/bin/sh
# tests/dyadic/test_demo_effects.sh — the effects planted in datasets/demo
# (see its README) are visible in what `dyadseq analyze` writes, read back
# with `dyadseq export` and tested per couple in base R: after therapy
# more softening per minute, a shorter median latency of answered bids and
# fewer pursue–withdraw cycles per 10 minutes (paired t-test and sign
# test, p < 0.01); before therapy, response rates near the planted 0.86
# (stable) and 0.33 (distressed); the therapy gain near the planted one;
# and the per-couple means equal those the README reports from
# datasets/demo/effects.R, an independent base-R computation from the
# transcripts. Skips without Rscript.
. tests/lib.sh
. tests/dyadic/export.sh
if ! have_r; then
    skip "the effects planted in datasets/demo, tested in R" "Rscript not installed"
    finish
fi
check "analyze datasets/demo" "$DYADSEQ" analyze -q -o "$TMP/demo.h5" \
    datasets/demo
for p in responsiveness responsiveness/km cycles softening sessions; do
    ex "$TMP/demo.h5" "/$p" >"$TMP/$(echo "$p" | tr / _).csv"
done

cat >"$TMP/effects.R" <<'EOF'
d <- commandArgs(TRUE)[1]
rd <- function(x) read.csv(file.path(d, paste0(x, ".csv")), stringsAsFactors = FALSE)
resp <- rd("responsiveness"); km <- rd("responsiveness_km")
cyc <- rd("cycles"); soft <- rd("softening"); ses <- rd("sessions")
W <- 5
out <- function(ok, what) cat(if (isTRUE(ok)) "ok" else "not ok", "-", what, "\n")

# per session (one row of /sessions)
s <- data.frame(i = ses$session_index, couple = ses$couple,
                session = ses$session, minutes = ses$duration_s / 60)
s$group <- sub("-[0-9]+$", "", s$couple)
# softening: both partners' events over the one session duration
s$soften_per_min <- tapply(soft$rate_per_min, soft$session_index, sum)[as.character(s$i)]
# cycles per 10 minutes
s$cycles_per_10min <- cyc$n_cycles[match(s$i, cyc$session_index)] / s$minutes * 10
# response rate over both bidders: answered / bids
s$response_rate <- tapply(resp$n_answered, resp$session_index, sum)[as.character(s$i)] /
    tapply(resp$n_bids, resp$session_index, sum)[as.character(s$i)]
# median latency of the session's answered bids (both bidders): the KM
# event times <= W, each n_events times
km$session_index <- resp$session_index[match(km$row, resp$row)]
a <- km[km$time_s <= W, ]
lat <- split(rep(a$time_s, a$n_events), rep(a$session_index, a$n_events))
s$latency_median <- sapply(as.character(s$i), function(k)
    if (is.null(lat[[k]])) NA else median(lat[[k]]))
n_lat <- sapply(as.character(s$i), function(k) length(lat[[k]]))
out(all(n_lat == tapply(resp$n_answered, resp$session_index, sum)[as.character(s$i)]),
    "KM event times <= W are the answered bids of every session")
out(nrow(s) == 80 && all(table(s$couple) == 2), "80 sessions, pre and post of 40 couples")

pre <- s[s$session == "pre", ]; post <- s[s$session == "post", ]
post <- post[match(pre$couple, post$couple), ]

# post against pre, paired by couple
paired <- function(v, dir, what) {
  x <- pre[[v]]; y <- post[[v]]; ok <- !is.na(x) & !is.na(y)
  dif <- y[ok] - x[ok]
  tt <- t.test(y[ok], x[ok], paired = TRUE)
  sg <- binom.test(sum(dif * dir > 0), sum(dif != 0))
  out(sign(mean(dif)) == dir && tt$p.value < 0.01 && sg$p.value < 0.01,
      sprintf("%s %s after therapy: %.3f -> %.3f (n = %d couples, paired t p = %.1g, sign test %d of %d p = %.1g)",
              what, if (dir > 0) "higher" else "lower", mean(x[ok]), mean(y[ok]),
              sum(ok), tt$p.value, sum(dif * dir > 0), sum(dif != 0), sg$p.value))
}
paired("soften_per_min", +1, "softening per minute")
paired("latency_median", -1, "median latency of answered bids, s,")
paired("cycles_per_10min", -1, "pursue-withdraw cycles per 10 min")
paired("response_rate", +1, "response rate")

# before therapy: the groups' planted answer rates, times the share of
# answers within W (gamma, shape 8, mean 2.5 s: pgamma(5, 8, 8/2.5)),
# within 3.5 SE of the couples' mean (the rates are drawn per couple)
F_pre <- pgamma(W, 8, 8 / 2.5)
for (g in c("stable", "distressed")) {
  planted <- c(stable = 0.86, distressed = 0.33)[[g]]
  x <- pre$response_rate[pre$group == g]
  se <- sd(x) / sqrt(length(x))
  out(abs(mean(x) - planted * F_pre) <= 3.5 * se,
      sprintf("%s pre: response rate %.3f, planted %.2f x %.4f = %.3f +- %.3f (3.5 SE)",
              g, mean(x), planted, F_pre, planted * F_pre, 3.5 * se))
  # therapy adds 0.10 r to the answer rate (r: Beta, mean 0.75) and cuts
  # the latency, so (almost) no answer comes after W any more:
  # gain = 0.075 + planted (1 - F_pre)
  dif <- post$response_rate[post$group == g] - x
  gain <- 0.075 + planted * (1 - F_pre)
  se <- sd(dif) / sqrt(length(dif))
  out(abs(mean(dif) - gain) <= 3.5 * se,
      sprintf("%s: response rate gain %.3f, planted %.3f +- %.3f (3.5 SE)",
              g, mean(dif), gain, 3.5 * se))
}
out(mean(pre$response_rate[pre$group == "stable"]) -
    mean(pre$response_rate[pre$group == "distressed"]) > 0.4,
    "stable couples answer far more bids than distressed ones")

# the numbers of the README's table (from datasets/demo/effects.R), to
# the digits printed there
readme <- function(v, sel, lab, want, digits) {
  x <- s[[v]][sel & s$session == lab]
  got <- mean(x, na.rm = TRUE)
  out(abs(got - want) <= 0.5 * 10^-digits + 1e-9,
      sprintf("README: %s %s %.*f (got %.5f)", v, lab, digits, want, got))
}
st <- s$group == "stable"; di <- s$group == "distressed"; all <- rep(TRUE, nrow(s))
readme("response_rate", st, "pre", 0.854, 3); readme("response_rate", st, "post", 0.940, 3)
readme("response_rate", di, "pre", 0.307, 3); readme("response_rate", di, "post", 0.388, 3)
readme("latency_median", all, "pre", 2.39, 2); readme("latency_median", all, "post", 1.41, 2)
readme("cycles_per_10min", all, "pre", 21.5, 1); readme("cycles_per_10min", all, "post", 13.7, 1)
readme("soften_per_min", all, "pre", 1.01, 2); readme("soften_per_min", all, "post", 2.74, 2)
EOF
Rscript --vanilla "$TMP/effects.R" "$TMP" 2>&1 | sed 's/ *$//'

# and `dyadseq info` shows them by session label
"$DYADSEQ" info "$TMP/demo.h5" >"$TMP/info"
check "info: response rates by label" grep -q "^Response rate to bids" "$TMP/info"
check "info: median latency by label" grep -q "^Median latency of answered bids" "$TMP/info"
check "info: softening by label" grep -q "^Softening per minute" "$TMP/info"
check "info: cycles by label" grep -q "^Pursue-withdraw cycles by session label" "$TMP/info"
finish
