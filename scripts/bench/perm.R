# perm.R — the lag-1 permutation test as a researcher writes it in base R
# (issue #7, figure 6): the baseline for `dyadseq analyze --permutations M`.
#
#   Rscript scripts/bench/perm.R M SEED INPUT... [-o RESULTS.rds]
#
# Per session (couple, session): the observed adjusted residuals z of the
# lag-1 table, then M times: shuffle the session's events (sample), tabulate
# (table), recompute the adjusted residuals z* and count |z*| >= |z| per
# cell; p = (1 + count) / (M + 1) (SPEC 4.3). The adjusted residual is
# Haberman's (f - e) / sqrt(e (1 - R/N)(1 - C/N)), written out rather than
# through chisq.test(), which would only add overhead. Cells where z is
# undefined (a zero margin) get p = NA. Pooled tables are not permuted
# here, although dyadseq does permute them: again to R's advantage.
#
# Prints one line:
#   sessions S events N permutations M seconds T per_session_perm_us U
# where T is the permutation loop alone (reading the files excluded) and
# U = T / (S * M) in microseconds.

args <- commandArgs(trailingOnly = TRUE)
out <- NULL
if (length(i <- which(args == "-o"))) {
    out <- args[i + 1]
    args <- args[-c(i, i + 1)]
}
if (length(args) < 3) stop("usage: Rscript perm.R M SEED INPUT... [-o RESULTS.rds]")
M <- as.integer(args[1])
set.seed(as.integer(args[2]))
files <- unlist(lapply(args[-(1:2)], function(a)
    if (dir.exists(a)) sort(list.files(a, "\\.csv$", full.names = TRUE)) else a))

codes <- c("pursue", "withdraw", "soften", "bid", "response")
actors <- c("A", "B")
states <- paste(rep(actors, each = length(codes)), codes, sep = ":")

d <- do.call(rbind, lapply(files, read.csv, stringsAsFactors = FALSE))
d$state <- factor(paste(d$actor, d$code, sep = ":"), levels = states)
sessions <- split(d$state, paste(d$couple, d$session, sep = "/"))
sessions <- sessions[lengths(sessions) >= 2]

# Haberman's adjusted residuals of the lag-1 table of x (SPEC 4.1).
adjusted_residuals <- function(x) {
    n <- length(x)
    f <- table(x[-n], x[-1])
    N <- sum(f)
    R <- rowSums(f) / N
    C <- colSums(f) / N
    e <- N * outer(R, C)
    (f - e) / sqrt(e * outer(1 - R, 1 - C))
}

t0 <- proc.time()[["elapsed"]]
p <- lapply(sessions, function(x) {
    z <- abs(adjusted_residuals(x))
    count <- matrix(0, length(states), length(states))
    for (m in seq_len(M)) {
        ge <- abs(adjusted_residuals(sample(x))) >= z
        ge[is.na(ge)] <- FALSE
        count <- count + ge
    }
    p <- (1 + count) / (M + 1)
    p[is.na(z)] <- NA
    p
})
secs <- proc.time()[["elapsed"]] - t0

if (!is.null(out))
    saveRDS(p, out)

cat(sprintf("sessions %d events %d permutations %d seconds %.3f per_session_perm_us %.2f\n",
            length(sessions), sum(lengths(sessions)), M, secs,
            1e6 * secs / (length(sessions) * M)))
