# tests/r/random_transcripts.R — random transcripts with a fixed seed, for
# the command-line cross-checks of tests/analyze/test_r_crosscheck.sh.
#
#   Rscript tests/r/random_transcripts.R DIR SEED CODES ACTORS COUPLES \
#       LABELS MINLEN MAXLEN FORBID [SHORT]
#   Rscript tests/r/random_transcripts.R --specs FILE
#
# With --specs, every line of FILE holds those arguments (separated by
# spaces) and all are generated in one R session (R starts in about half
# a second); each set of transcripts is the same as from a run of its own.
#
# DIR/data/couple-NN.csv  one file per couple, the columns in the order
#                         code,session,couple[,actor] (dyadseq finds columns
#                         by name), one row per event
# DIR/codebook.csv        the CODES (comma separated) in that order, role other
#
# ACTORS is "none" or a comma-separated list; states are then actor:code,
# actor-major. LABELS are the session labels (comma separated): every couple
# has one session per label. Sessions have MINLEN..MAXLEN events of a
# first-order Markov chain whose transition rows are random (gamma weights,
# so some transitions are strong and others rare). The second-to-last code
# is rare (weight x 0.03) and the last code never occurs, so tables have
# zero margins. FORBID: "none", "diagonal" (no state follows itself) or a
# CSV file of from,to state labels that never follow each other — the
# structural zeros the analysis is then given. SHORT = 1 adds a couple whose
# sessions have 1, 2 and 3 events (statistics NaN or degenerate).
generate <- function(args) {
    dir <- args[1]
    set.seed(as.integer(args[2]))
    codes <- strsplit(args[3], ",")[[1]]
    actors <- if (args[4] == "none") character(0) else strsplit(args[4], ",")[[1]]
    n_couples <- as.integer(args[5])
    labels <- strsplit(args[6], ",")[[1]]
    minlen <- as.integer(args[7])
    maxlen <- as.integer(args[8])
    forbid <- args[9]
    short <- length(args) >= 10 && args[10] == "1"

    states <- if (length(actors))
        paste(rep(actors, each = length(codes)), codes, sep = ":") else codes
    K <- length(states)
    code_of <- rep(codes, times = max(1, length(actors)))
    actor_of <- if (length(actors)) rep(actors, each = length(codes)) else NULL

    allowed <- matrix(TRUE, K, K)
    if (forbid == "diagonal") {
        diag(allowed) <- FALSE
    } else if (forbid != "none") {
        fz <- read.csv(forbid, colClasses = "character")
        allowed[cbind(match(fz$from, states), match(fz$to, states))] <- FALSE
    }
    weight <- rep(1, K)
    weight[code_of == codes[length(codes) - 1]] <- 0.03
    weight[code_of == codes[length(codes)]] <- 0

    dir.create(file.path(dir, "data"), recursive = TRUE, showWarnings = FALSE)
    writeLines(c("code,role,description",
                 paste0(codes, ",other,random code ", seq_along(codes))),
               file.path(dir, "codebook.csv"))

    chain <- function(n, P) {
        x <- integer(n)
        x[1] <- sample(which(weight > 0), 1)
        for (t in seq_len(n - 1) + 1)
            x[t] <- sample.int(K, 1, prob = P[x[t - 1], ])
        x
    }

    write_couple <- function(name, lens) {
        rows <- list()
        for (l in seq_along(labels)) {
            P <- matrix(rgamma(K * K, shape = 0.7), K, K)
            P <- sweep(P, 2, weight, "*") * allowed
            P <- P / rowSums(P)
            x <- chain(lens[l], P)
            rows[[l]] <- data.frame(code = code_of[x], session = labels[l],
                                    couple = name, stringsAsFactors = FALSE)
            if (length(actors))
                rows[[l]]$actor <- actor_of[x]
        }
        d <- do.call(rbind, rows)
        write.csv(d, file.path(dir, "data", paste0(name, ".csv")),
                  row.names = FALSE, quote = FALSE)
    }

    for (i in seq_len(n_couples))
        write_couple(sprintf("couple-%02d", i),
                     sample(minlen:maxlen, length(labels), replace = TRUE))
    if (short)
        write_couple("couple-short", rep(1:3, length.out = length(labels)))
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) == 2 && args[1] == "--specs") {
    for (line in readLines(args[2]))
        if (nzchar(trimws(line)))
            generate(strsplit(trimws(line), " +")[[1]])
} else {
    generate(args)
}
