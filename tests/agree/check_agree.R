# tests/agree/check_agree.R — the statistics of /agreement recomputed in
# base R from the matrices and per-session values in the same file.
#
#   Rscript --vanilla tests/agree/check_agree.R DIR
#
# DIR holds `dyadseq export` output of one results file:
#   session_matrix.csv  /agreement/session_matrix   (one row per cell)
#   session.csv         /agreement/session          (per-session statistics)
#   per_code.csv        /agreement/session_per_code_kappa
#   matrix.csv, per_code_pooled.csv, kappa.csv, kappa_max.csv
#   icc.csv, icc_values.csv   /agreement/icc, /agreement/icc/values
# Prints "ok - " / "not ok - " lines (TAP style, for tests/run.sh).
#
# Kappa (Cohen 1960) from each matrix with the nil-nil cell empty:
#   p_o = sum of the code diagonal / N, p_e = sum(r * c) / N^2;
# kappa max with D = min(sum over codes of min(r, c), N - r_nil - c_nil);
# per-code kappa from the 2 x 2 collapse. ICC(A,1) from the mean squares
# of a two-way ANOVA fitted by aov() (McGraw & Wong 1996, case 2A), its
# CI from their formulas with qf().

args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
rd <- function(f) read.csv(file.path(dir, f), stringsAsFactors = FALSE,
                           check.names = FALSE)
same <- function(got, want, tol = 1e-9) {
  if (is.na(want) || is.na(got)) return(is.na(want) && is.na(got))
  abs(got - want) <= tol * max(1, abs(want))
}
report <- function(ok, what) cat(if (ok) "ok - " else "not ok - ", what, "\n",
                                 sep = "")

kappas <- function(x) {
  K1 <- nrow(x); K <- K1 - 1
  x[K1, K1] <- 0
  N <- sum(x); r <- rowSums(x); cc <- colSums(x)
  if (N == 0) return(list(kappa = NA, kmax = NA, pct = NA, code = rep(NA, K)))
  pe <- sum(r * cc) / N^2
  po <- sum(diag(x)[1:K]) / N
  D <- min(sum(pmin(r[1:K], cc[1:K])), N - r[K1] - cc[K1])
  k <- function(o, e) if (e < 1) (o - e) / (1 - e) else NA
  code <- sapply(1:K, function(j) {
    a <- x[j, j]; d <- N - r[j] - cc[j] + a
    k((a + d) / N, (r[j] * cc[j] + (N - r[j]) * (N - cc[j])) / N^2)
  })
  list(kappa = k(po, pe), kmax = k(D / N, pe), pct = 100 * po, code = code)
}

sm <- rd("session_matrix.csv")
ses <- rd("session.csv")
pcs <- rd("per_code.csv")
states <- unique(sm$first)            # K states then nil, in file order
K1 <- length(states)
to_matrix <- function(d, col) {
  x <- matrix(0, K1, K1)
  x[cbind(match(d$first, states), match(d$second, states))] <- d[[col]]
  x
}
bad <- 0; pooled <- matrix(0, K1, K1)
for (s in sort(unique(sm$session_index))) {
  x <- to_matrix(sm[sm$session_index == s, ], "session_matrix")
  pooled <- pooled + x
  k <- kappas(x)
  row <- ses[ses$session_index == s, ]
  pc <- pcs[pcs$session_index == s, ]
  ok <- same(row$kappa, k$kappa) && same(row$kappa_max, k$kmax) &&
    same(row$percent_agreement, k$pct) &&
    all(mapply(same, pc$session_per_code_kappa, k$code))
  if (!ok) bad <- bad + 1
}
report(bad == 0, sprintf("kappa, kappa max, percent and per-code kappa of %d sessions as R computes them from the matrices",
                         length(unique(sm$session_index))))
m <- to_matrix(rd("matrix.csv"), "matrix")
report(all(m == pooled), "the pooled matrix is the sum of the session matrices")
k <- kappas(m)
pcp <- rd("per_code_pooled.csv")
report(same(rd("kappa.csv")$value, k$kappa) &&
         same(rd("kappa_max.csv")$value, k$kmax) &&
         all(mapply(same, pcp$per_code_kappa, k$code)),
       "pooled kappa, kappa max and per-code kappa as R computes them")

icc <- rd("icc.csv")
val <- rd("icc_values.csv")
bad <- 0; checked <- 0
for (i in seq_len(nrow(icc))) {
  v <- val[val$metric == icc$metric[i] & val$used == 1, ]
  n <- nrow(v)
  if (n != icc$n[i]) { bad <- bad + 1; next }
  if (n < 2 || var(c(v$first, v$second)) == 0) next
  d <- data.frame(y = c(v$first, v$second),
                  subject = factor(rep(seq_len(n), 2)),
                  coder = factor(rep(1:2, each = n)))
  ms <- summary(aov(y ~ subject + coder, data = d))[[1]][["Mean Sq"]]
  MSR <- ms[1]; MSC <- ms[2]; MSE <- if (length(ms) > 2) ms[3] else 0
  if (MSE < 1e-12 * max(1, MSR)) MSE <- 0
  k <- 2
  rho <- (MSR - MSE) / (MSR + (k - 1) * MSE + k / n * (MSC - MSE))
  if (MSE == 0 && MSC == 0) { rho <- 1; lo <- 1; hi <- 1 } else {
    a <- k * rho / (n * (1 - rho))
    b <- 1 + k * rho * (n - 1) / (n * (1 - rho))
    v2 <- (a * MSC + b * MSE)^2 / ((a * MSC)^2 / (k - 1) + (b * MSE)^2 / ((n - 1) * (k - 1)))
    FL <- qf(0.975, n - 1, v2); FU <- qf(0.975, v2, n - 1)
    lo <- n * (MSR - FL * MSE) / (FL * (k * MSC + (k * n - k - n) * MSE) + n * MSR)
    hi <- n * (FU * MSR - MSE) / (k * MSC + (k * n - k - n) * MSE + n * FU * MSR)
  }
  checked <- checked + 1
  ok <- same(icc$icc[i], rho, 1e-8) && same(icc$ci_low[i], lo, 1e-6) &&
    same(icc$ci_high[i], hi, 1e-6) &&
    same(icc$mean_diff[i], mean(v$second - v$first), 1e-9)
  if (!ok) {
    bad <- bad + 1
    cat("# ", icc$metric[i], ": got ", icc$icc[i], " [", icc$ci_low[i], ", ",
        icc$ci_high[i], "], R ", rho, " [", lo, ", ", hi, "]\n", sep = "")
  }
}
report(bad == 0 && checked > 0,
       sprintf("ICC(A,1) and its 95%% CI of %d metrics as R's aov() and qf() give them", checked))
