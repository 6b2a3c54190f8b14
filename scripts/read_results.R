# read_results.R — how to load a dyadseq results file in R.
#
#   Rscript scripts/read_results.R [results/demo.h5]
#
# A short, commented example to copy from, not a tool: it loads the
# sessions, a lag table (pooled, and one session's slice) and the
# responsiveness table into data frames and prints a few rows of each.
# The layout is in schemas/results.md (SPEC 5). Needs the hdf5r package
# (Debian: r-cran-hdf5r; elsewhere install.packages("hdf5r")).
#
# ONE THING TO KNOW: dyadseq writes arrays in C (row-major) order, as
# h5py and the HDF5 tools show them: /lag/1/pooled/yules_q is [from, to]
# and /lag/1/session/yules_q is [session, from, to]. R, like MATLAB and
# Fortran, is column-major, and hdf5r hands the array over with its
# dimensions reversed: [to, from] and [to, from, session]. Transpose with
# t() or aperm() before indexing, as below, so that rows are antecedents
# and columns are targets.

suppressPackageStartupMessages(library(hdf5r))

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "results/demo.h5"
f <- H5File$new(path, mode = "r")

# Provenance: root attributes; `parameters` is JSON text of every option.
cat(sprintf("%s: %s version %d, dyadseq %s\n", path, h5attr(f, "format"),
            h5attr(f, "format_version"), h5attr(f, "software_version")))

# A columnar group (/sessions, /responsiveness, /cycles, ...) as a data
# frame: every one-dimensional dataset of the group is a column
# (subgroups such as /responsiveness/km are left out). Strings come back
# as character, counts as integer (or integer64 for huge values), other
# numbers as double with NaN where a value is undefined.
read_columns <- function(group) {
  cols <- list()
  for (name in names(group)) {
    if (group$obj_info_by_name(name)$type != "H5O_TYPE_DATASET") next
    ds <- group[[name]]
    if (length(ds$dims) == 1) cols[[name]] <- ds[]
  }
  as.data.frame(cols, stringsAsFactors = FALSE)
}

# States label the rows and columns of every lag table: with an actor
# column they are actor:code, actor-major (A:pursue ... B:response).
states <- f[["states/label"]][]
K <- length(states)

# Sessions: row s of /sessions (counting from 1 in R) is session index
# s - 1 in the session_index columns, which count from 0 as in C.
sessions <- read_columns(f[["sessions"]])
sessions <- sessions[, c("couple", "session",
                         setdiff(names(sessions), c("couple", "session")))]
cat("\n== sessions\n")
print(head(sessions, 4))

# The pooled lag-1 table: t() undoes the reversal, then [from, to].
read_table <- function(path) {
  m <- t(f[[path]][, ])
  dimnames(m) <- list(from = states, to = states)
  m
}
z <- read_table("lag/1/pooled/adjusted_residual")
q <- read_table("lag/1/pooled/yules_q")
n <- read_table("lag/1/pooled/counts")
if (all(c("A:pursue", "B:withdraw") %in% states)) {
  i <- "A:pursue"; j <- "B:withdraw"
} else {  # another codebook: the cell with the largest residual
  ij <- which(z == max(z, na.rm = TRUE), arr.ind = TRUE)[1, ]
  i <- states[ij[1]]; j <- states[ij[2]]
}
cat(sprintf("\npooled lag 1, %s -> %s: n = %d, z = %.2f, Yule's Q = %.2f\n",
            i, j, n[i, j], z[i, j], q[i, j]))

# The same table in long ("tidy") format, one row per cell. as.vector()
# of a matrix runs down the columns, hence the from/to grid below.
long <- data.frame(from = rep(states, times = K), to = rep(states, each = K),
                   counts = as.vector(n), adjusted_residual = as.vector(z),
                   p_value = as.vector(read_table("lag/1/pooled/p_value")),
                   yules_q = as.vector(q), stringsAsFactors = FALSE)
cat("\n== pooled lag-1 table, long format\n")
print(head(long[order(match(long$from, states), match(long$to, states)), ], 4),
      row.names = FALSE)

# Per-session tables: hdf5r gives [to, from, session]; aperm() makes it
# [session, from, to], so qs[s, , ] is session s's table.
qs <- aperm(f[["lag/1/session/yules_q"]][, , , drop = FALSE], c(3, 2, 1))
dimnames(qs) <- list(session = paste(sessions$couple, sessions$session, sep = "/"),
                     from = states, to = states)
cat(sprintf("\nsession %s: Yule's Q %s -> %s = %.2f\n",
            dimnames(qs)$session[1], i, j, qs[1, i, j]))

# Responsiveness: two rows per session (A bids first), joined to the
# sessions through session_index + 1. Absent without actor and time.
if (f$exists("responsiveness")) {
  resp <- read_columns(f[["responsiveness"]])
  resp <- cbind(sessions[resp$session_index + 1, c("couple", "session")], resp)
  cat("\n== responsiveness\n")
  print(head(resp[, c("couple", "session", "bidder", "n_bids", "response_rate",
                      "latency_median_s")], 4), row.names = FALSE)
  # Kaplan-Meier curves, long format: km$row is the /responsiveness row,
  # counting from 0.
  km <- read_columns(f[["responsiveness/km"]])
  k0 <- km[km$row == 0, ]
  cat(sprintf("KM curve of row 0: %d steps, S = %s ...\n", nrow(k0),
              paste(sprintf("%.2f", head(k0$survival, 5)), collapse = ", ")))
} else {
  cat("\nno /responsiveness (the transcripts have no actor or time column)\n")
}

f$close_all()
