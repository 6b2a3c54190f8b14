# rbatch.R — run several R scripts in one R process, for the tests (as
# tests/plots/pybatch.py does for Python).
#
#   Rscript tests/plots/rbatch.R DIR < JOBS
#
# Starting R takes about half a second, and a script that loads hdf5r
# another half; the plot test runs three, so it runs them here, one after
# the other. Each line of JOBS is `NAME SCRIPT ARG...`, split on spaces
# (no quoting: the tests' paths have none; blank lines and lines starting
# with # are skipped). SCRIPT is sourced into an environment of its own
# in which commandArgs() returns ARG... (trailingOnly = TRUE) as
# `Rscript SCRIPT ARG...` would, its top-level values printed as Rscript
# prints them; its standard output goes to DIR/NAME.out,
# its messages (standard error: message(), warnings as Rscript prints
# them) to DIR/NAME.err and its exit status to DIR/NAME.status: 0 when it
# ends, 1 when it stops with an error (the message in .err, as Rscript
# prints it). Jobs run in order, so a job may read what an earlier one
# wrote.
run_job <- function(dir, name, script, args) {
    out <- file(file.path(dir, paste0(name, ".out")), "w")
    err <- file(file.path(dir, paste0(name, ".err")), "w")
    sink(out)
    sink(err, type = "message")
    env <- new.env(parent = globalenv())
    env$commandArgs <- function(trailingOnly = FALSE)
        if (trailingOnly) args else c("R", "--no-echo",
                                      paste0("--file=", script), "--args", args)
    status <- withCallingHandlers(
        tryCatch({
            source(script, local = env, print.eval = TRUE)
            0L
        }, error = function(e) {
            message("Error: ", conditionMessage(e))
            1L
        }),
        warning = function(w) {
            message("Warning message:\n", conditionMessage(w))
            invokeRestart("muffleWarning")
        })
    sink(type = "message")
    sink()
    close(err)
    close(out)
    writeLines(as.character(status), file.path(dir, paste0(name, ".status")))
}

dir <- commandArgs(trailingOnly = TRUE)[1]
if (is.na(dir))
    stop("usage: rbatch.R DIR < JOBS")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
con <- file("stdin")
jobs <- readLines(con)
close(con)
for (line in jobs) {
    words <- strsplit(trimws(line), " +")[[1]]
    if (!length(words) || !nzchar(words[1]) || startsWith(words[1], "#"))
        next
    if (length(words) < 2)
        stop("rbatch.R: a job needs NAME and SCRIPT: ", line)
    run_job(dir, words[1], words[2], words[-(1:2)])
}
