# tests/compare/check_stats.R — every statistic of /comparison recomputed in
# base R from the per-couple values in the same file.
#
#   Rscript --vanilla tests/compare/check_stats.R NAME COMPARISON.csv VALUES.csv
#
# COMPARISON.csv and VALUES.csv are `dyadseq export FILE /comparison` and
# `... /comparison/values`. Prints one "ok - " or "not ok - " line per metric
# (TAP style, for tests/run.sh) and one line "branch NAME BRANCH COUNT"
# per branch of wilcox.test, counting the metrics that took it, so
# the caller can check that every branch was exercised (approx_n: n >= 50
# non-zero differences; approx_ties: fewer, with tied |differences| and a
# finite p; other: zeros without ties, or no non-zero difference). R calls:
#   t.test(post, pre, paired = TRUE)       t, df, p_t, ci_low, ci_high, mean_diff
#   wilcox.test(post, pre, paired = TRUE)  wilcoxon_v, p_wilcoxon (exact or not)
#   p.adjust(p_t, "BH")                    q_bh
# and the effect sizes from their definitions (docs/statistics-compare.md).

args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 3)
name <- args[1]
cmp <- read.csv(args[2], stringsAsFactors = FALSE)
val <- read.csv(args[3], stringsAsFactors = FALSE)

# equal: both NA, or within 1e-9 relative (p-values) or relative to max(1, |want|)
same <- function(got, want, pvalue = FALSE) {
  if (is.na(want) || is.na(got)) return(is.na(want) && is.na(got))
  scale <- if (pvalue) abs(want) else max(1, abs(want))
  abs(got - want) <= 1e-9 * scale
}
try_na <- function(expr) tryCatch(expr, error = function(e) NULL)

q_want <- p.adjust(cmp$p_t, method = "BH")
branches <- c(exact = 0, approx_n = 0, approx_ties = 0, other = 0)
for (i in seq_len(nrow(cmp))) {
  m <- cmp$metric[i]
  v <- val[val$metric == m, ]
  ok <- complete.cases(v$pre, v$post)
  bad <- character(0)
  if (!all(ok == (v$used == 1))) bad <- c(bad, "used")
  pre <- v$pre[ok]; post <- v$post[ok]; d <- post - pre; n <- length(d)
  want <- list(n_pairs = n, n_excluded = sum(!ok),
               mean_pre = if (n) mean(pre) else NA, sd_pre = if (n > 1) sd(pre) else NA,
               mean_post = if (n) mean(post) else NA, sd_post = if (n > 1) sd(post) else NA,
               sd_diff = if (n > 1) sd(d) else NA)
  tt <- if (n > 1) try_na(t.test(post, pre, paired = TRUE)) else NULL
  if (is.null(tt)) {  # R stops: too few pairs or "data are essentially constant"
    want <- c(want, list(t = NA, p_t = NA, ci_low = NA, ci_high = NA,
                         mean_diff = if (n) mean(d) else NA))
  } else {
    want <- c(want, list(t = unname(tt$statistic), df = unname(tt$parameter),
                         p_t = tt$p.value, ci_low = tt$conf.int[1],
                         ci_high = tt$conf.int[2], mean_diff = unname(tt$estimate)))
  }
  wt <- if (n > 0) try_na(suppressWarnings(wilcox.test(post, pre, paired = TRUE))) else NULL
  if (!is.null(wt)) {
    want$wilcoxon_v <- unname(wt$statistic)
    want$p_wilcoxon <- wt$p.value
    exact <- grepl("exact", wt$method)
    want$wilcoxon_exact <- as.integer(exact)
    nz <- d[d != 0]
    br <- if (exact) "exact" else if (length(nz) >= 50) "approx_n"
          else if (any(duplicated(abs(nz))) && is.finite(wt$p.value)) "approx_ties"
          else "other"  # zeros only, or every difference zero (p NaN)
    branches[br] <- branches[br] + 1
  }
  # effect sizes (Lakens 2013), NaN rules of docs/statistics-compare.md
  want$d_z <- if (is.null(tt)) NA else mean(d) / sd(d)
  sav <- (sd(pre) + sd(post)) / 2
  want$d_av <- if (n > 1 && sav > 0) mean(d) / sav else NA
  want$hedges_g <- if (n > 2 && !is.na(want$d_av)) want$d_av * (1 - 3 / (4 * (n - 1) - 1)) else NA
  want$q_bh <- q_want[i]
  for (k in names(want)) {
    if (!same(cmp[[k]][i], want[[k]], pvalue = k %in% c("p_t", "p_wilcoxon", "q_bh")))
      bad <- c(bad, sprintf("%s %.17g, R %.17g", k, cmp[[k]][i], want[[k]]))
  }
  if (length(bad)) {
    cat(sprintf("not ok - %s: %s (n = %d) differs from R\n", name, m, n))
    cat(sprintf("    # %s\n", bad), sep = "")
  } else {
    cat(sprintf("ok - %s: %s (n = %d): %d statistics as R\n", name, m, n, length(want)))
  }
}
for (b in names(branches)) cat(sprintf("branch %s %s %d\n", name, b, branches[b]))
