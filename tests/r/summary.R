# tests/r/summary.R — reference values for the between-session summaries of
# tests/unit/test_lagstats.c: per column of a matrix (rows = sessions,
# NaN = undefined), n, mean, sd, and t.test(x)$statistic / $p.value of the
# defined values (NaN when n < 2 or sd = 0).
#
#   Rscript tests/r/summary.R IN OUT
#
# IN: first line "S C", then S lines of C values. OUT: C lines
# "n mean sd t p".
args <- commandArgs(trailingOnly = TRUE)
con <- file(args[1], "r")
dims <- scan(con, nlines = 1, quiet = TRUE)
v <- matrix(scan(con, quiet = TRUE), dims[1], dims[2], byrow = TRUE)
close(con)
out <- file(args[2], "w")
for (j in seq_len(ncol(v))) {
    x <- v[!is.nan(v[, j]), j]
    n <- length(x)
    m <- if (n > 0) mean(x) else NaN
    s <- if (n > 1) sd(x) else NaN
    t <- NaN
    p <- NaN
    if (n > 1 && s > 0) {
        tt <- t.test(x)
        t <- unname(tt$statistic)
        p <- tt$p.value
    }
    writeLines(sprintf("%d %.17g %.17g %.17g %.17g", n, m, s, t, p), out)
}
close(out)
