# lag1.R — the lag-1 analysis as a researcher writes it in base R today
# (issue #7, figure 5): the baseline dyadseq's speed is compared against.
#
#   Rscript scripts/bench/lag1.R INPUT... [-o RESULTS.rds]
#
# INPUT is a transcript CSV or a directory (its *.csv, by name). Per session
# (couple, session) and pooled over sessions: the lag-1 table of
# (x_t, x_t+1) over the states actor:code (actor-major, default codebook
# order, as dyadseq), Haberman's adjusted residuals as chisq.test()'s
# stdres, and Yule's Q of every cell's 2x2 collapse (SPEC 4.1). Written the
# way such scripts are written (read.csv, split, table, chisq.test),
# vectorised where a competent R user would vectorise; not tuned to be slow
# or fast. It computes a fraction of what `dyadseq analyze` does (no
# expected-value tables saved, no Wampold, G2, responsiveness or cycles,
# no output file unless -o), which is to R's advantage.
#
# Prints one line: sessions S events N read_s R compute_s C total_s T
# (seconds inside R, without the interpreter's start-up).

args <- commandArgs(trailingOnly = TRUE)
out <- NULL
if (length(i <- which(args == "-o"))) {
    out <- args[i + 1]
    args <- args[-c(i, i + 1)]
}
if (!length(args)) stop("usage: Rscript lag1.R INPUT... [-o RESULTS.rds]")
files <- unlist(lapply(args, function(a)
    if (dir.exists(a)) sort(list.files(a, "\\.csv$", full.names = TRUE)) else a))

codes <- c("pursue", "withdraw", "soften", "bid", "response")
actors <- c("A", "B")
states <- paste(rep(actors, each = length(codes)), codes, sep = ":")

t0 <- proc.time()[["elapsed"]]
d <- do.call(rbind, lapply(files, read.csv, stringsAsFactors = FALSE))
t1 <- proc.time()[["elapsed"]]

d$state <- factor(paste(d$actor, d$code, sep = ":"), levels = states)
d$id <- paste(d$couple, d$session, sep = "/")
sessions <- split(d$state, d$id)   # rows keep their file order within a session

# Yule's Q of each cell's 2x2 collapse: a = f_ij, b = R_i - a, c = C_j - a,
# d = N - R_i - C_j + a (Bakeman & Quera 2011, ch. 9; SPEC 4.1).
yules_q <- function(tab) {
    a <- unclass(tab)
    b <- rowSums(a) - a
    c <- matrix(colSums(a), nrow(a), ncol(a), byrow = TRUE) - a
    d <- sum(a) - a - b - c
    (a * d - b * c) / (a * d + b * c)
}

lag1 <- function(tab) {
    z <- suppressWarnings(chisq.test(tab, correct = FALSE))$stdres
    list(counts = tab, adjusted_residual = z, yules_q = yules_q(tab))
}

per_session <- lapply(sessions, function(x) {
    n <- length(x)
    if (n < 2) return(NULL)
    lag1(table(from = x[-n], to = x[-1]))
})
per_session <- per_session[!vapply(per_session, is.null, logical(1))]
pooled <- lag1(Reduce(`+`, lapply(per_session, `[[`, "counts")))
t2 <- proc.time()[["elapsed"]]

if (!is.null(out))
    saveRDS(list(sessions = per_session, pooled = pooled), out)

cat(sprintf("sessions %d events %d read_s %.3f compute_s %.3f total_s %.3f\n",
            length(per_session), nrow(d), t1 - t0, t2 - t1, t2 - t0))
