# tests/r/paired.R — base-R reference values for tests/unit/test_paired.c.
#
#   Rscript --vanilla tests/r/paired.R PAIRS PVALUES
#
# PAIRS holds cases: a line "# NAME CONF" then one line "PRE POST" per
# couple (C99 hex floats, so R reads the exact doubles; NA for missing).
# PVALUES holds vectors: a line "# NAME" then one p-value a line.
# Prints "NAME STAT VALUE" lines, VALUE as a hex float (NaN for NA or an
# error). Statistics come from t.test / wilcox.test (paired, defaults) and
# p.adjust(method = "BH"); the effect sizes are written out from their
# definitions (Lakens 2013) with no NaN rules applied, the C test applies
# those.

args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 2)

hex <- function(v) {
  v <- as.numeric(v)
  v[is.na(v)] <- NaN
  sprintf("%a", v)
}
out <- function(name, stat, v) cat(name, stat, hex(v), "\n")
num <- function(s) { # "NA" is missing; anything else must parse
  v <- rep(NA_real_, length(s))
  k <- s != "NA"
  v[k] <- as.numeric(s[k])
  stopifnot(!is.na(v[k]))
  v
}

read_blocks <- function(file) {
  lines <- readLines(file)
  head <- grep("^#", lines)
  blocks <- list()
  for (k in seq_along(head)) {
    from <- head[k] + 1
    to <- if (k < length(head)) head[k + 1] - 1 else length(lines)
    body <- if (from <= to) lines[from:to] else character(0)
    blocks[[k]] <- list(head = strsplit(sub("^# *", "", lines[head[k]]), " ")[[1]],
                        body = body)
  }
  blocks
}

for (b in read_blocks(args[1])) {
  name <- b$head[1]
  conf <- num(b$head[2])
  f <- strsplit(b$body, " ")
  pre <- num(vapply(f, `[`, "", 1))
  post <- num(vapply(f, `[`, "", 2))
  ok <- complete.cases(pre, post)
  x <- pre[ok]; y <- post[ok]; d <- y - x; n <- length(d)
  out(name, "n_pairs", n)
  out(name, "mean_pre", if (n) mean(x) else NaN)
  out(name, "mean_post", if (n) mean(y) else NaN)
  out(name, "mean_diff", if (n) mean(d) else NaN)
  out(name, "sd_pre", sd(x))
  out(name, "sd_post", sd(y))
  out(name, "sd_diff", sd(d))
  tt <- tryCatch(t.test(post, pre, paired = TRUE, conf.level = conf),
                 error = function(e) NULL)
  out(name, "t", if (is.null(tt)) NaN else tt$statistic)
  out(name, "df", if (is.null(tt)) NaN else tt$parameter)
  out(name, "p_t", if (is.null(tt)) NaN else tt$p.value)
  out(name, "ci_low", if (is.null(tt)) NaN else tt$conf.int[1])
  out(name, "ci_high", if (is.null(tt)) NaN else tt$conf.int[2])
  w <- tryCatch(suppressWarnings(wilcox.test(post, pre, paired = TRUE)),
                error = function(e) NULL)
  out(name, "wilcoxon_v", if (is.null(w)) NaN else w$statistic)
  out(name, "p_wilcoxon", if (is.null(w)) NaN else w$p.value)
  out(name, "wilcoxon_exact",
      if (is.null(w)) NaN else as.numeric(grepl("exact", w$method)))
  out(name, "wilcoxon_n", sum(d != 0))
  # effect sizes from their definitions (Lakens 2013)
  dav <- mean(d) / ((sd(x) + sd(y)) / 2)
  out(name, "d_z", mean(d) / sd(d))
  out(name, "d_av", dav)
  out(name, "hedges_g", dav * (1 - 3 / (4 * (n - 1) - 1)))
}

for (b in read_blocks(args[2])) {
  p <- num(b$body)
  q <- p.adjust(p, method = "BH")
  for (i in seq_along(q)) out(b$head[1], paste0("q", i), q[i])
}
