# tests/power/exact.R — the exact power of the paired t-test and of the
# Wilcoxon signed-rank test (R's t.test and wilcox.test, defaults) when
# every couple's post - pre is +1, 0 or -1 with known probabilities, by
# summing the multinomial probability of every count (k+, k-, k0) whose
# differences the test rejects at level alpha; and the Clopper-Pearson
# interval of every row of the power table (binom.test).
#
#   Rscript exact.R TABLE.csv Q_PRE Q_POST
#
# TABLE.csv is `dyadseq export FILE.h5 /power`. The sessions have exactly
# two events from A:bid -> B:response (q) / B:withdraw (1 - q) -> A:bid,
# started from the stationary distribution (A:bid with probability 1/2),
# so a session's response rate is 1 with probability q F / 2 (F the
# chance that the gamma latency, shape 4 and mean 1.5 s, is at most the
# 5-second window) and 0 otherwise. Prints one ok / not ok line per row:
# the number of rejections in the central 99% range of Binomial(R, power).
args <- commandArgs(trailingOnly = TRUE)
tab <- read.csv(args[1], stringsAsFactors = FALSE)
q_pre <- as.numeric(args[2]); q_post <- as.numeric(args[3])
alpha <- 0.05
F <- pgamma(5, shape = 4, rate = 4 / 1.5)
a <- q_pre * F / 2; b <- q_post * F / 2
pr <- c(b * (1 - a), a * (1 - b), 1 - b * (1 - a) - a * (1 - b))
p_or_na <- function(expr) tryCatch(suppressWarnings(expr), error = function(e) NA)
exact_power <- function(n, test) {
    power <- 0
    for (kp in 0:n) for (km in 0:(n - kp)) {
        x <- c(rep(1, kp), rep(-1, km), rep(0, n - kp - km))
        p <- if (test == "t") p_or_na(t.test(x)$p.value)
             else p_or_na(wilcox.test(x)$p.value)
        if (!is.na(p) && p <= alpha)
            power <- power + dmultinom(c(kp, km, n - kp - km), prob = pr)
    }
    power
}
for (i in seq_len(nrow(tab))) {
    r <- tab[i, ]
    R <- r$n_replications; x <- r$n_reject
    ci <- binom.test(x, R)$conf.int
    ok_ci <- abs(ci[1] - r$ci_low) < 1e-9 && abs(ci[2] - r$ci_high) < 1e-9
    cat(if (ok_ci) "ok" else "not ok", "- Clopper-Pearson CI of", r$test,
        r$couples, "couples =", "binom.test:", r$ci_low, r$ci_high, "\n")
    if (r$metric != "response_rate[A->B]") next
    p <- exact_power(r$couples, r$test)
    range <- qbinom(c(0.005, 0.995), R, p)
    ok <- x >= range[1] && x <= range[2]
    cat(if (ok) "ok" else "not ok", "- exact power,", r$test, "test,",
        r$couples, "couples:", x, "of", R, "reject; exact power",
        sprintf("%.4f", p), "99% range", range[1], "..", range[2], "\n")
}
