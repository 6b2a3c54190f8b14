# datasets/demo/effects.R — the planted effects of the demo study,
# recomputed per couple in base R with the definitions of SPEC 4.1, 4.6
# and 4.7 (independently of `dyadseq analyze`, which should give the same
# numbers): response rate, mean and median latency of answered bids,
# answers later than the window, cycles, softening, lag-1 cells.
#
#   Rscript datasets/demo/effects.R [DIR]     (DIR defaults to datasets/demo)
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[1] else "datasets/demo"
files <- sort(list.files(dir, pattern = "\\.csv$", full.names = TRUE))
d <- do.call(rbind, lapply(files, read.csv, colClasses = c(time = "numeric", duration = "numeric")))
W <- 5

session_metrics <- function(e) {
  n <- nrow(e)
  minutes <- (max(e$time + e$duration) - e$time[1]) / 60
  # responsiveness (SPEC 4.6): partner's first response before the
  # bidder's next bid; the bid is answered when that comes within W
  # seconds; latencies of all such answers, at any delay, in lat
  bids <- which(e$code == "bid"); lat <- numeric(0)
  for (i in bids) {
    for (j in seq_len(n - i) + i) {
      if (e$actor[j] == e$actor[i] && e$code[j] == "bid") break
      if (e$actor[j] != e$actor[i] && e$code[j] == "response") {
        lat <- c(lat, e$time[j] - e$time[i]); break
      }
    }
  }
  answered <- lat[lat <= W]
  # cycles (SPEC 4.7): maximal runs alternating one partner's pursue and
  # the other's withdraw, at least 3 events
  link <- e$actor[-n] != e$actor[-1] &
    ((e$code[-n] == "pursue" & e$code[-1] == "withdraw") |
     (e$code[-n] == "withdraw" & e$code[-1] == "pursue"))
  r <- rle(link); runs <- r$lengths[r$values] + 1
  # lag 1: partner withdraws right after a pursue
  p <- which(e$code[-n] == "pursue")
  data.frame(response_rate = length(answered) / length(bids),
             latency_mean = if (length(answered)) mean(answered) else NA,
             latency_median = if (length(answered)) median(answered) else NA,
             n_answers = length(lat), n_late = sum(lat > W),
             cycles_per_10min = sum(runs >= 3) / minutes * 10,
             mean_cycle_length = if (any(runs >= 3)) mean(runs[runs >= 3]) else NA,
             soften_per_min = sum(e$code == "soften") / minutes,
             p_withdraw_after_pursue = mean(e$code[p + 1] == "withdraw" & e$actor[p + 1] != e$actor[p]),
             events_per_min = n / minutes)
}

key <- paste(d$couple, d$session)
m <- do.call(rbind, lapply(split(d, factor(key, levels = unique(key))), function(e)
  cbind(data.frame(couple = e$couple[1], session = e$session[1]), session_metrics(e))))
m$group <- sub("-[0-9]+$", "", m$couple)
metrics <- setdiff(names(m), c("couple", "session", "group", "n_answers", "n_late"))

cat(sprintf("%d files, %d couples, %d sessions, %d events\n\n", length(files),
            length(unique(m$couple)), nrow(m), nrow(d)))
cat("Pre -> post, paired by couple (mean (SD); d_z = mean difference / SD of differences)\n")
for (g in c("all", sort(unique(m$group)))) {
  mm <- if (g == "all") m else m[m$group == g, ]
  pre <- mm[mm$session == "pre", ]; post <- mm[mm$session == "post", ]
  post <- post[match(pre$couple, post$couple), ]
  cat(sprintf("\n  %s (n = %d couples)\n", g, nrow(pre)))
  for (v in metrics) {
    ok <- !is.na(pre[[v]]) & !is.na(post[[v]])  # sessions without an answered bid
    x <- pre[[v]][ok]; y <- post[[v]][ok]; dif <- y - x
    tt <- t.test(y, x, paired = TRUE)
    cat(sprintf("    %-24s %8.3f (%.3f) -> %8.3f (%.3f)  diff %+8.3f  d_z %+6.2f  p %.2g%s\n", v,
                mean(x), sd(x), mean(y), sd(y), mean(dif), mean(dif) / sd(dif), tt$p.value,
                if (all(ok)) "" else sprintf("  (n = %d)", sum(ok))))
  }
  # answers that come later than W (not counted as answered), pooled
  # over the sessions of a label
  for (lab in c("pre", "post")) {
    k <- mm[mm$session == lab, ]
    cat(sprintf("    %-4s answers later than %g s: %d of %d (%.2f%%)\n", lab, W,
                sum(k$n_late), sum(k$n_answers), 100 * sum(k$n_late) / sum(k$n_answers)))
  }
}
for (lab in c("pre", "post")) {
  cat(sprintf("\nStable vs distressed: response rate per couple, %s\n", lab))
  k <- m[m$session == lab, ]
  a <- k$response_rate[k$group == "stable"]; b <- k$response_rate[k$group == "distressed"]
  tt <- t.test(a, b)
  cat(sprintf("  stable %.3f (%.3f), distressed %.3f (%.3f), difference %.3f, Cohen's d %.1f, Welch p %.2g\n",
              mean(a), sd(a), mean(b), sd(b), mean(a) - mean(b),
              (mean(a) - mean(b)) / sqrt((var(a) + var(b)) / 2), tt$p.value))
}

# Lag-1 tables pooled over the sessions of each group and label (SPEC
# 4.1): adjusted residual (Haberman) and Yule's Q of a few planted cells.
cat("\nLag 1, pooled over the sessions of a group and label: adjusted residual z (Yule's Q)\n")
states <- as.vector(outer(c("A", "B"), c("pursue", "withdraw", "soften", "bid", "response"),
                          paste, sep = ":"))
cells <- list(c("A:pursue", "B:withdraw"), c("B:withdraw", "A:pursue"),
              c("B:withdraw", "A:soften"), c("A:soften", "B:soften"),
              c("A:bid", "B:response"), c("A:bid", "B:withdraw"))
cols <- list()
for (grp in c("stable", "distressed")) for (lab in c("pre", "post")) {
  e <- d[startsWith(d$couple, paste0(grp, "-")) & d$session == lab, ]
  st <- factor(paste(e$actor, e$code, sep = ":"), levels = states)
  s <- paste(e$couple, e$session); n <- length(st); same <- s[-1] == s[-n]
  f <- table(st[-n][same], st[-1][same])
  N <- sum(f); R <- rowSums(f); C <- colSums(f)
  cols[[paste(grp, lab)]] <- sapply(cells, function(x) {
    a <- f[x[1], x[2]]; ex <- R[x[1]] * C[x[2]] / N
    z <- (a - ex) / sqrt(ex * (1 - R[x[1]] / N) * (1 - C[x[2]] / N))
    b <- R[x[1]] - a; c <- C[x[2]] - a; dd <- N - R[x[1]] - C[x[2]] + a
    sprintf("%5.1f (%+.2f)", z, (a * dd - b * c) / (a * dd + b * c))
  })
}
cat(sprintf("  %-22s %s\n", "", paste(sprintf("%-14s", names(cols)), collapse = " ")))
for (i in seq_along(cells))
  cat(sprintf("  %-22s %s\n", paste(cells[[i]], collapse = " -> "),
              paste(sapply(cols, function(x) sprintf("%-14s", x[i])), collapse = " ")))
