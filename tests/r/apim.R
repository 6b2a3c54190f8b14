# tests/r/apim.R — actor-partner effects (SPEC 4.5) fit independently in
# base R, for the unit and shell tests.
#
#   Rscript apim.R fit TABLES.txt
#     TABLES.txt: one table a line, "n000 n001 n010 ... n111 delta": the
#     eight cells in the order x (partner at t-1), y (actor at t-1), z
#     (actor at t), last fastest. Prints a line per table:
#       glm_b0 glm_b1 glm_b2 glm_b3 glm_se glm_only ll_b0 ll_b1 ll_b2 ll_b3
#     glm_*: glm(z ~ x * y, binomial, weights = n + delta) with x and y
#     coded -1/+1, its common SE, and glm(z ~ x) on the same table for the
#     partner effect without the actor term; ll_*: the loglinear lambdas of
#     the saturated model of the same table (stats::loglin), taken as
#     DySeq's LogSeq takes them: its table layout (StateTrans with the
#     second sequence as the dependent one, as DySeq's own example runs
#     it) and its differences of lambdas, in the order intercept,
#     partner, actor, interaction of dyadseq (docs/actor-partner.md).
#
#   Rscript apim.R tally EVENTS.csv Y X UNIT DELTA
#     EVENTS.csv: session,onset,state (a session's events in any order).
#     Classifies every time unit [t0 + vU, t0 + (v+1)U) of a session
#     (t0 its first onset, units up to the last onset) by whether an event
#     of state Y, or of X, starts in it, counts the pairs of consecutive
#     units, and prints "session,n000,...,n111,b0,b1,b2,b3,only" with the
#     glm fit as above (NA where glm gives no estimate).
#
# Written from the definitions, not from apim.c; NA prints as NA.

fit_table <- function(n, delta) {
  g <- expand.grid(z = 0:1, y = 0:1, x = 0:1)   # z fastest, as the cells
  g$w <- n + delta
  g$xe <- ifelse(g$x == 1, 1, -1)
  g$ye <- ifelse(g$y == 1, 1, -1)
  # converged far beyond glm's default 1e-8, so that its SE is exact too
  ctl <- glm.control(epsilon = 1e-14, maxit = 200)
  full <- suppressWarnings(glm(z ~ xe * ye, family = binomial,
                               weights = w, data = g, control = ctl))
  only <- suppressWarnings(glm(z ~ xe, family = binomial, weights = w,
                               data = g, control = ctl))
  b <- coef(full)
  se <- sqrt(diag(vcov(full)))[1]
  # DySeq: StateTrans(first = FALSE) rows "1-1" "1-0" "0-1" "0-0" (first
  # digit the first sequence = the partner x, second the dependent y),
  # columns dependent 1, 0; LogSeq: array(c(col1, col2), c(2, 2, 2))
  cell <- function(x, y, z) n[4 * x + 2 * y + z + 1] + delta
  tab <- matrix(c(cell(1, 1, 1), cell(1, 0, 1), cell(0, 1, 1), cell(0, 0, 1),
                  cell(1, 1, 0), cell(1, 0, 0), cell(0, 1, 0), cell(0, 0, 0)),
                4, 2)
  arr <- array(c(tab[1:4, 1], tab[1:4, 2]), c(2, 2, 2))
  p <- loglin(arr, list(c(1, 2, 3)), fit = FALSE, param = TRUE,
              print = FALSE)$param
  l0 <- p$"3"[1] - p$"3"[2]
  l13 <- p$"1.3"[1, 1] - p$"1.3"[1, 2]      # dimension 1: the dependent
  l23 <- p$"2.3"[1, 1] - p$"2.3"[1, 2]      # dimension 2: the partner
  l123 <- p$"1.2.3"[1, 1, 1] - p$"1.2.3"[1, 1, 2]
  c(b, se, coef(only)[2], l0, l23, l13, l123)
}

fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 2 && args[1] == "fit") {
  rows <- read.table(args[2])
  for (r in seq_len(nrow(rows))) {
    v <- as.numeric(rows[r, ])
    cat(paste(fmt(fit_table(v[1:8], v[9])), collapse = " "), "\n")
  }
} else if (length(args) >= 6 && args[1] == "tally") {
  ev <- read.csv(args[2], stringsAsFactors = FALSE)
  Y <- args[3]; X <- args[4]; U <- as.numeric(args[5])
  delta <- as.numeric(args[6])
  for (s in unique(ev$session)) {
    e <- ev[ev$session == s, ]
    t0 <- min(e$onset)
    n_units <- 0
    while (t0 + n_units * U <= max(e$onset)) n_units <- n_units + 1
    has <- function(st, v) any(e$state == st & e$onset >= t0 + v * U &
                                 e$onset < t0 + (v + 1) * U)
    yv <- sapply(seq_len(n_units) - 1, function(v) has(Y, v))
    xv <- sapply(seq_len(n_units) - 1, function(v) has(X, v))
    n <- numeric(8)
    if (n_units > 1)
      for (t in 2:n_units) {
        k <- 4 * xv[t - 1] + 2 * yv[t - 1] + yv[t] + 1
        n[k] <- n[k] + 1
      }
    f <- fit_table(n, delta)
    cat(s, paste(n, collapse = ","), paste(fmt(f[c(1:4, 6)]), collapse = ","),
        sep = ",")
    cat("\n")
  }
} else {
  stop("usage: apim.R fit TABLES | apim.R tally EVENTS Y X UNIT DELTA")
}
