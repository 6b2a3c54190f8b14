# tests/simulate/transitions.R — do simulated transcripts recover the
# transition matrix they were simulated from? Base R only.
#
#   Rscript transitions.R DATA.csv MODEL.csv LABEL [GROUP SESSION]
#   Rscript transitions.R --specs FILE
#
# With --specs, every line of FILE holds those arguments separated by tabs
# (LABEL has spaces), all checked in one R session (R starts in about half
# a second).
# MODEL is a --model file (from,to,p), or with GROUP and SESSION the output
# of `simulate --print-model` (group,session,pursuer,from,to,p): a couple's
# pursuer is not in the data, so the expected probability of a cell lies
# between its two pursuer matrices, mid ± half their difference.
# Lag-1 pairs are counted within sessions. Every cell with expected p > 0
# must satisfy |p_hat - mid| <= half + 4.5 sqrt(mid (1 - mid) / n_row);
# cells with p = 0 must never be observed. Prints TAP lines.
recovered <- function(args) {
  d <- read.csv(args[1], colClasses = "character")
  m <- read.csv(args[2], colClasses = "character")
  label <- args[3]
  if (length(args) >= 5) {
    g <- args[4]; s <- args[5]
    d <- d[startsWith(d$couple, paste0(g, "-")) & d$session == s, ]
    m <- m[m$group == g & m$session == s, ]
    pursuers <- unique(m$pursuer)
    key <- paste(m$from, m$to)
    cells <- unique(key)
    pa <- sapply(cells, function(k) sum(as.numeric(m$p[key == k & m$pursuer == pursuers[1]])))
    pb <- sapply(cells, function(k) sum(as.numeric(m$p[key == k & m$pursuer == pursuers[2]])))
    mid <- (pa + pb) / 2; half <- abs(pa - pb) / 2
  } else {
    cells <- paste(m$from, m$to)
    mid <- as.numeric(m$p); half <- rep(0, length(mid))
  }
  names(mid) <- cells; names(half) <- cells
  state <- paste(d$actor, d$code, sep = ":")
  sess <- paste(d$couple, d$session)
  n <- length(state)
  same <- sess[-1] == sess[-n]
  from <- state[-n][same]; to <- state[-1][same]
  obs <- table(paste(from, to))
  rows <- table(from)
  bad <- character(0); worst <- 0
  for (k in cells[mid > 0]) {
    f <- strsplit(k, " ")[[1]][1]
    nr <- if (f %in% names(rows)) rows[[f]] else 0
    if (nr == 0) { bad <- c(bad, paste(k, "row never observed")); next }
    phat <- if (k %in% names(obs)) obs[[k]] / nr else 0
    se <- sqrt(mid[[k]] * (1 - mid[[k]]) / nr)
    dev <- max(0, abs(phat - mid[[k]]) - half[[k]])
    z <- if (se > 0) dev / se else if (dev > 0) Inf else 0
    worst <- max(worst, z)
    if (z > 4.5)
      bad <- c(bad, sprintf("%s: %.4f observed, %.4f ± %.4f planted, n %d",
                            k, phat, mid[[k]], half[[k]], nr))
  }
  unplanned <- setdiff(names(obs), cells[mid > 0])
  if (length(unplanned))
    bad <- c(bad, paste("observed but not in the model:", unplanned))
  if (length(bad) == 0) {
    cat(sprintf("ok - %s: %d transitions within 4.5 SE of the model (worst z %.2f, %d pairs), none outside it\n",
                label, sum(mid > 0), worst, length(from)))
  } else {
    cat(sprintf("not ok - %s: %d problems\n", label, length(bad)))
    cat(paste0("    # ", head(bad, 20), "\n"), sep = "")
  }
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) == 2 && args[1] == "--specs") {
  for (line in readLines(args[2]))
    if (nzchar(line))
      recovered(strsplit(line, "\t")[[1]])
} else {
  recovered(args)
}
