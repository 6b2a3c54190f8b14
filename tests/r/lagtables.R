# tests/r/lagtables.R — reference values for the lag-table cross-check of
# tests/unit/test_lagstats.c, computed with base R only.
#
#   Rscript tests/r/lagtables.R IN OUT
#
# IN holds tables, each as a line "table K HASMASK", K lines of K counts
# and K lines of K mask flags (1 = structural zero). For each table OUT gets
# "table I", then the lines "expected", "z", "hat" (K*K values, row-major;
# NaN where undefined) and "x2 X", "g2 G", "df D".
#
# Rows and columns with zero margins are left out of every model (expected
# 0, residual NaN), as dyadseq does.
#  - without a mask: chisq.test(correct = FALSE) on the active subtable
#    ($expected, $stdres, $statistic, $parameter) and the deviance of the
#    Poisson independence glm for G²;
#  - with a mask: loglin(start = 1 - mask) for the IPF fit, and
#    glm(f ~ from + to, poisson, subset = allowed cells) for
#    rstandard(type = "pearson"), hatvalues, deviance (G²), the Pearson X²
#    and df.residual (glm drops the aliased column of a separable table,
#    so df.residual = cells − rank).
args <- commandArgs(trailingOnly = TRUE)
lines <- readLines(args[1])
out <- file(args[2], "w")
fmt <- function(x) {
    x[is.na(x)] <- NaN
    paste(sprintf("%.17g", x), collapse = " ")
}
nums <- function(l) as.numeric(strsplit(trimws(l), " +")[[1]])
pos <- 1
idx <- 0
while (pos <= length(lines)) {
    head <- strsplit(lines[pos], " ")[[1]]
    K <- as.integer(head[2])
    has_mask <- head[3] == "1"
    tab <- matrix(unlist(lapply(lines[pos + seq_len(K)], nums)), K, K,
                  byrow = TRUE)
    mask <- matrix(unlist(lapply(lines[pos + K + seq_len(K)], nums)), K, K,
                   byrow = TRUE)
    pos <- pos + 2 * K + 1

    ar <- rowSums(tab) > 0
    ac <- colSums(tab) > 0
    sub <- tab[ar, ac, drop = FALSE]
    msub <- mask[ar, ac, drop = FALSE]
    E <- matrix(0, K, K)
    Z <- matrix(NaN, K, K)
    H <- matrix(NaN, K, K)
    d <- data.frame(f = as.vector(sub), from = factor(as.vector(row(sub))),
                    to = factor(as.vector(col(sub))),
                    allowed = as.vector(msub) == 0)
    # glm starts from the closed-form or IPF fit, which is the MLE, so its
    # IRLS only polishes it and the hat values are those of the MLE
    ctl <- glm.control(epsilon = 1e-12, maxit = 100)
    if (!has_mask) {
        ct <- suppressWarnings(chisq.test(sub, correct = FALSE))
        E[ar, ac] <- ct$expected
        Z[ar, ac] <- ct$stdres
        d$mu0 <- as.vector(ct$expected)
        g <- glm(f ~ from + to, family = poisson, data = d, control = ctl,
                 mustart = mu0)
        h <- matrix(hatvalues(g), nrow(sub))
        H[ar, ac] <- h
        x2 <- unname(ct$statistic)
        df <- unname(ct$parameter)
    } else {
        fit <- loglin(sub, list(1, 2), start = 1 - msub, fit = TRUE,
                      eps = 1e-13, iter = 100000, print = FALSE)$fit
        Esub <- fit
        Esub[msub == 1] <- NaN
        E[ar, ac] <- Esub
        d$mu0 <- pmax(as.vector(fit), 1e-300)
        g <- glm(f ~ from + to, family = poisson, data = d,
                 subset = allowed, control = ctl, mustart = mu0)
        zs <- rep(NaN, nrow(d))
        hs <- rep(NaN, nrow(d))
        zs[d$allowed] <- rstandard(g, type = "pearson")
        hs[d$allowed] <- hatvalues(g)
        Z[ar, ac] <- zs
        H[ar, ac] <- hs
        x2 <- sum(residuals(g, type = "pearson")^2)
        df <- df.residual(g)
    }
    E[mask == 1] <- NaN
    idx <- idx + 1
    writeLines(sprintf("table %d", idx - 1), out)
    writeLines(paste("expected", fmt(as.vector(t(E)))), out)
    writeLines(paste("z", fmt(as.vector(t(Z)))), out)
    writeLines(paste("hat", fmt(as.vector(t(H)))), out)
    writeLines(sprintf("x2 %.17g", x2), out)
    writeLines(sprintf("g2 %.17g", deviance(g)), out)
    writeLines(sprintf("df %.17g", df), out)
}
close(out)
