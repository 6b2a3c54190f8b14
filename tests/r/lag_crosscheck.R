# tests/r/lag_crosscheck.R — recompute with base R, from the transcripts
# themselves, every lag-table statistic that `dyadseq analyze` wrote, and
# compare cell by cell with what `dyadseq export` printed
# (tests/analyze/test_r_crosscheck.sh). Prints "ok - ..." / "not ok - ..."
# lines, one per statistic and table group.
#
#   Rscript tests/r/lag_crosscheck.R NAME INPUTDIR CODEBOOK ACTORS LAGS \
#       ZEROS ZC EXPORTDIR
#   Rscript tests/r/lag_crosscheck.R --specs FILE
#
# With --specs, every line of FILE holds those arguments (separated by
# spaces) and all are checked in one R session (R starts in about half a
# second), in order; an error in one stops only that one, with a "not ok"
# line.
# NAME labels the output lines. INPUTDIR holds the transcripts (read as
# dyadseq reads a directory: every *.csv, by name in byte order, rows in
# file order). ACTORS is "none" or "A,B"; LAGS e.g. "1,2,3"; ZEROS "none",
# "diagonal" or a from,to CSV file; ZC the --zero-correction (0 or 0.5).
# EXPORTDIR holds the exports (see the shell test): states.csv,
# sessions.csv, and for each lag k lag<k>_session.csv, lag<k>_pooled.csv,
# lag<k>_couple_summary.csv, lag<k>_pooled_by_label_<label>.csv and
# lag<k>_couple_summary_by_label_<label>.csv.
#
# The references, independent of dyadseq's code:
#   counts         table() of the lagged pairs of each session, summed
#   expected       chisq.test(correct = FALSE)$expected on the active
#                  subtable (rows and columns with non-zero margins);
#                  with structural zeros loglin(start = 1 - mask, fit = TRUE)
#   adjusted res.  chisq.test(...)$stdres; with structural zeros
#                  rstandard(glm(f ~ from + to, poisson, subset = allowed),
#                  type = "pearson")
#   G², X², df     deviance, sum of squared Pearson residuals and
#                  df.residual of the Poisson glm (chisq.test's statistic
#                  for X² without structural zeros, where its parameter
#                  must equal the glm's df);
#                  g2_p = pchisq(G², df, lower.tail = FALSE)
#   Yule's Q, log odds, their SEs, Wampold's kappa and z, transition
#                  probabilities: the formulas of SPEC 4.1, written out
#                  again here from the SPEC; with structural zeros the
#                  odds ratio relative to the collapse of the loglin fit,
#                  and Wampold from a loglin fit to the state frequencies
#                  with glm hat values (docs/statistics-lag.md)
#   summaries      mean, sd, n and t.test() over the sessions whose value
#                  is finite (SPEC 4.5)
# Tolerance: |dyadseq − R| <= 1e-8 · max(1, |R|), and the same cells NaN.
crosscheck <- function(args) {
    name <- args[1]
    indir <- args[2]
    cb <- read.csv(args[3], colClasses = "character")
    actors <- if (args[4] == "none") character(0) else strsplit(args[4], ",")[[1]]
    lags <- as.integer(strsplit(args[5], ",")[[1]])
    zeros <- args[6]
    zc <- as.numeric(args[7])
    exdir <- args[8]
    TOL <- 1e-8

    codes <- cb$code
    states <- if (length(actors))
        paste(rep(actors, each = length(codes)), codes, sep = ":") else codes
    K <- length(states)

    n_ok <- 0
    report <- function(ok, what, detail = NULL) {
        cat(if (ok) "ok" else "not ok", "-", name, what, "\n")
        if (!ok && length(detail))
            cat(paste0("    # ", detail, "\n"), sep = "")
    }

    # ---- the transcripts, read independently -------------------------------
    files <- sort(list.files(indir, pattern = "\\.csv$", full.names = TRUE),
                  method = "radix")
    rows <- do.call(rbind, lapply(files, function(f) {
        d <- read.csv(f, colClasses = "character")
        data.frame(couple = d$couple, session = d$session,
                   state = if (length(actors)) paste(d$actor, d$code, sep = ":")
                           else d$code,
                   stringsAsFactors = FALSE)
    }))
    key <- paste(rows$couple, rows$session, sep = "\r")
    ukey <- unique(key)
    sess <- do.call(rbind, lapply(ukey, function(k) {
        p <- strsplit(k, "\r")[[1]]
        data.frame(couple = p[1], session = p[2], stringsAsFactors = FALSE)
    }))
    # SPEC 4: sessions ordered by (couple, session) in byte order
    o <- order(sess$couple, sess$session, method = "radix")
    sess <- sess[o, ]
    seqs <- lapply(ukey[o], function(k) match(rows$state[key == k], states))
    S <- nrow(sess)
    labels <- sort(unique(sess$session), method = "radix")

    # an export, with the label columns as text (state labels may be numbers)
    rd <- function(f) {
        path <- file.path(exdir, f)
        head <- strsplit(readLines(path, n = 1), ",")[[1]]
        text <- intersect(head, c("from", "to", "couple", "session"))
        read.csv(path, colClasses = setNames(rep("character", length(text)), text))
    }

    st <- read.csv(file.path(exdir, "states.csv"), colClasses = "character")
    report(identical(st$label, states),
           "/states/label: actor-major, codes in codebook order",
           c(paste(st$label, collapse = " "), paste(states, collapse = " ")))
    ss <- read.csv(file.path(exdir, "sessions.csv"), colClasses = c(
        couple = "character", session = "character"))
    report(identical(ss$couple, sess$couple) &&
               identical(ss$session, sess$session) &&
               identical(as.numeric(ss$n_events),
                         as.numeric(sapply(seqs, length))),
           sprintf("/sessions: %d sessions in (couple, session) byte order, n_events", S))

    mask <- matrix(0, K, K)
    if (zeros == "diagonal") {
        diag(mask) <- 1
    } else if (zeros != "none") {
        fz <- read.csv(zeros, colClasses = "character")
        mask[cbind(match(fz$from, states), match(fz$to, states))] <- 1
    }

    # ---- reference statistics of one table ---------------------------------
    nanmat <- function() matrix(NaN, K, K)
    ref_table <- function(f, freq, n, use_mask) {
        r <- list(masked = use_mask, counts = f, expected = nanmat(), transition_prob = nanmat(),
                  adjusted_residual = nanmat(), p_value = nanmat(),
                  yules_q = nanmat(), yules_q_se = nanmat(),
                  log_odds_ratio = nanmat(), log_odds_ratio_se = nanmat(),
                  wampold_kappa = nanmat(), wampold_z = nanmat(),
                  g2 = NaN, x2 = NaN, df = NaN, g2_p = NaN)
        R <- rowSums(f)
        C <- colSums(f)
        N <- sum(f)
        if (N == 0)
            return(r) # no pairs: every statistic NaN (SPEC 3, 4.1)
        m <- if (use_mask) mask else matrix(0, K, K)
        ar <- R > 0
        ac <- C > 0
        sub <- f[ar, ac, drop = FALSE]
        msub <- m[ar, ac, drop = FALSE]
        E <- matrix(0, K, K) # 0 in zero-margin rows and columns
        Z <- nanmat()
        if (!use_mask) {
            if (sum(ar) >= 2 && sum(ac) >= 2) {
                ct <- suppressWarnings(chisq.test(sub, correct = FALSE))
                E[ar, ac] <- ct$expected
                Z[ar, ac] <- ct$stdres
                d <- data.frame(f = as.vector(sub),
                                from = factor(as.vector(row(sub))),
                                to = factor(as.vector(col(sub))))
                g <- glm(f ~ from + to, family = poisson, data = d,
                         control = glm.control(epsilon = 1e-14, maxit = 100))
                r$g2 <- deviance(g)
                r$x2 <- unname(ct$statistic)
                r$df <- df.residual(g)
                if (r$df != unname(ct$parameter))
                    stop("glm and chisq.test disagree on df")
            } else {
                # one active row or column: e = f, no residual variance
                E[ar, ac] <- outer(R[ar], C[ac]) / N
                r$g2 <- 0
                r$x2 <- 0
                r$df <- 0
            }
        } else {
            fit <- loglin(sub, list(1, 2), start = 1 - msub, fit = TRUE,
                          eps = 1e-12, iter = 100000, print = FALSE)$fit
            E[ar, ac] <- fit
            allowed <- as.vector(msub) == 0
            d <- data.frame(f = as.vector(sub), from = factor(as.vector(row(sub))),
                            to = factor(as.vector(col(sub))))
            # epsilon 1e-10: glm.fit's QR tolerance is min(1e-7, epsilon/1000),
            # and a smaller one misses the aliased column of a separable table
            ctl <- glm.control(epsilon = 1e-10, maxit = 100)
            g <- glm(f ~ from + to, family = poisson, data = d, subset = allowed,
                     control = ctl)
            # glm's hat values use the IRLS weights of its last iteration, one
            # step behind the fit (parameters good to ~1e-5 when the deviance
            # has converged to 1e-10): refit twice from the converged values so
            # the weights, and so the leverages, are those of the maximum
            d$mu0 <- NA
            for (it in 1:2) {
                d$mu0[allowed] <- fitted(g)
                g <- glm(f ~ from + to, family = poisson, data = d,
                         subset = allowed, control = ctl, mustart = mu0)
            }
            zs <- rep(NaN, nrow(d))
            h <- hatvalues(g)
            zz <- rstandard(g, type = "pearson")
            zz[1 - h < 1e-10] <- NaN # fitted exactly: 0/0 (docs/statistics-lag.md)
            zs[allowed] <- zz
            Z[ar, ac] <- zs
            r$g2 <- deviance(g)
            r$x2 <- sum(residuals(g, type = "pearson")^2)
            r$df <- df.residual(g)
        }
        E[m == 1] <- NaN
        r$expected <- E
        r$adjusted_residual <- Z
        r$p_value <- 2 * pnorm(-abs(Z))
        r$g2_p <- if (r$df > 0) pchisq(r$g2, r$df, lower.tail = FALSE) else NaN

        # SPEC 4.1 with structural zeros: odds ratios relative to the same 2x2
        # collapse of the fitted table (E is 0 in zero-margin rows and columns)
        E0 <- E
        E0[m == 1] <- 0
        er <- rowSums(E0); ec <- colSums(E0); et <- sum(E0)
        has_zero <- any(m == 1)
        for (i in 1:K) for (j in 1:K) {
            if (m[i, j] == 1)
                next # structural: NaN everywhere
            if (R[i] > 0)
                r$transition_prob[i, j] <- f[i, j] / R[i]
            if (R[i] > 0 && C[j] > 0) {
                # SPEC 4.1: the 2x2 collapse of cell ij
                a <- f[i, j]; b <- R[i] - a; c <- C[j] - a; dd <- N - R[i] - C[j] + a
                theta <- 1
                if (has_zero) {
                    ae <- E0[i, j]; be <- er[i] - ae; ce <- ec[j] - ae
                    de <- et - er[i] - ec[j] + ae
                    theta <- if (min(ae, be, ce, de) > 1e-9 * et)
                        ae * de / (be * ce) else NaN
                }
                zero <- min(a, b, c, dd) == 0
                if (zero && zc > 0) {
                    a <- a + zc; b <- b + zc; c <- c + zc; dd <- dd + zc
                    zero <- FALSE
                }
                if (is.nan(theta))
                    next # the fitted collapse has a zero cell: all NaN
                q <- if (a * dd + b * c * theta > 0)
                    (a * dd - b * c * theta) / (a * dd + b * c * theta) else NaN
                r$yules_q[i, j] <- q
                if (!zero) {
                    s <- sqrt(1 / a + 1 / b + 1 / c + 1 / dd)
                    r$yules_q_se[i, j] <- 0.5 * (1 - q^2) * s
                    r$log_odds_ratio[i, j] <- log((a * dd) / (b * c)) - log(theta)
                    r$log_odds_ratio_se[i, j] <- s
                }
            }
            if (has_zero)
                next # Wampold with structural zeros: below
            # SPEC 4.1: Wampold's transformed kappa, from whole-sequence
            # frequencies
            ni <- freq[i]; nj <- freq[j]; fij <- f[i, j]
            ep <- ni * nj / n
            den <- if (fij >= ep) min(ni, nj) - ep else ep
            if (den > 0)
                r$wampold_kappa[i, j] <- (fij - ep) / den
            v <- ni * nj * (n - ni) * (n - nj) / (n^2 * (n - 1))
            if (n >= 2 && v > 0)
                r$wampold_z[i, j] <- (fij - ep) / sqrt(v)
        }
        if (has_zero)
            r[c("wampold_kappa", "wampold_z")] <- wampold_zeros(f, freq, m)
        r
    }

    # Wampold's kappa and z with structural zeros (docs/statistics-lag.md):
    # e' = the quasi-independence fit (loglin) with row and column margins the
    # state frequencies (those of diag(freq)), variance e' (1 - h) with h the
    # hat values of the Poisson glm at that fit; NaN unless the allowed
    # transitions among the present states are strongly connected.
    wampold_zeros <- function(f, freq, m) {
        kap <- nanmat(); z <- nanmat()
        p <- freq > 0
        A <- (1 - m[p, p, drop = FALSE]) > 0
        reach <- A | diag(sum(p)) > 0
        for (it in seq_len(sum(p)))
            reach <- (reach + (reach %*% A)) > 0
        if (!all(reach))
            return(list(kap, z))
        ms <- m[p, p, drop = FALSE]
        fit <- loglin(diag(freq[p], sum(p)), list(1, 2), start = 1 - ms,
                      fit = TRUE, eps = 1e-12, iter = 100000, print = FALSE)$fit
        d <- data.frame(y = as.vector(fit), from = factor(as.vector(row(fit))),
                        to = factor(as.vector(col(fit))),
                        allowed = as.vector(ms) == 0)
        g <- suppressWarnings(glm(y ~ from + to, family = poisson, data = d,
                                  subset = allowed, mustart = y,
                                  control = glm.control(epsilon = 1e-12,
                                                        maxit = 100)))
        h <- rep(NaN, nrow(d))
        h[d$allowed] <- hatvalues(g)
        H <- matrix(h, sum(p))
        idx <- which(p)
        for (a in seq_along(idx)) for (b in seq_along(idx)) {
            if (ms[a, b] == 1)
                next
            i <- idx[a]; j <- idx[b]
            ep <- fit[a, b]; fij <- f[i, j]
            den <- if (fij >= ep) min(freq[i], freq[j]) - ep else ep
            if (den > 0)
                kap[i, j] <- (fij - ep) / den
            if (1 - H[a, b] > 1e-10)
                z[i, j] <- (fij - ep) / sqrt(ep * (1 - H[a, b]))
        }
        list(kap, z)
    }

    lag_counts <- function(x, k) {
        n <- length(x)
        if (n <= k)
            return(matrix(0, K, K))
        unclass(table(factor(x[1:(n - k)], levels = 1:K),
                      factor(x[(1 + k):n], levels = 1:K)))[1:K, 1:K]
    }
    freq_of <- function(x) as.numeric(tabulate(x, nbins = K))

    # ---- comparison ----------------------------------------------------------
    agree <- function(got, want) {
        got <- as.numeric(got)
        want <- as.numeric(want)
        bad <- xor(is.na(got), is.na(want))
        both <- !is.na(got) & !is.na(want)
        bad[both] <- abs(got[both] - want[both]) > TOL * pmax(1, abs(want[both]))
        bad
    }
    compare <- function(what, got, want, where) {
        bad <- agree(got, want)
        report(!any(bad), sprintf("%s (%d values, %d defined)", what,
                                  length(want), sum(!is.na(want))),
               if (any(bad)) head(sprintf("%s: dyadseq %.17g, R %.17g",
                                          where[bad], as.numeric(got)[bad],
                                          as.numeric(want)[bad]), 5))
    }

    cell_stats <- c("counts", "expected", "transition_prob", "adjusted_residual",
                    "p_value", "yules_q", "yules_q_se", "log_odds_ratio",
                    "log_odds_ratio_se", "wampold_kappa", "wampold_z")
    table_stats <- c("g2", "x2", "df", "g2_p")

    # a pooled export (one table) against a reference table
    check_pool <- function(what, d, ref) {
        i <- match(d$from, states)
        j <- match(d$to, states)
        if (nrow(d) != K * K || anyNA(i) || anyNA(j)) {
            report(FALSE, paste(what, "has K x K rows with state labels"))
            return()
        }
        where <- paste0(d$from, "->", d$to)
        for (s in cell_stats)
            compare(paste(what, s), d[[s]], ref[[s]][cbind(i, j)], where)
        for (s in table_stats)
            compare(paste(what, s), unique(d[[s]]), ref[[s]], s)
        # the mask the table was fitted with (lag 1 only)
        if (!is.null(d$structural_zero))
            compare(paste(what, "structural_zero"), d$structural_zero,
                    (if (ref$masked) mask else 0 * mask)[cbind(i, j)], where)
        else
            report(FALSE, paste(what, "has a structural_zero column"))
    }

    summary_ref <- function(v) {
        x <- v[is.finite(v)]
        n <- length(x)
        out <- c(mean = if (n > 0) mean(x) else NaN,
                 sd = if (n > 1) sd(x) else NaN, n = n, t = NaN, p = NaN)
        if (n > 1 && sd(x) > 0) {
            tt <- t.test(x)
            out["t"] <- unname(tt$statistic)
            out["p"] <- tt$p.value
        }
        out
    }
    check_summary <- function(what, d, refs, idx) {
        i <- match(d$from, states)
        j <- match(d$to, states)
        where <- paste0(d$from, "->", d$to)
        for (stat in c("yules_q", "adjusted_residual")) {
            want <- t(sapply(seq_len(nrow(d)), function(r)
                summary_ref(sapply(refs[idx], function(t) t[[stat]][i[r], j[r]]))))
            for (part in c("mean", "sd", "n", "t", "p"))
                compare(sprintf("%s %s_%s", what, stat, part),
                        d[[paste(stat, part, sep = "_")]], want[, part], where)
        }
    }

    # ---- every lag -------------------------------------------------------------
    for (k in lags) {
        use_mask <- k == 1 && zeros != "none"
        refs <- lapply(seqs, function(x)
            ref_table(lag_counts(x, k), freq_of(x), length(x), use_mask))

        # per session: [S, K, K] and [S]
        d <- rd(sprintf("lag%d_session.csv", k))
        si <- match(paste(d$couple, d$session), paste(sess$couple, sess$session))
        i <- match(d$from, states)
        j <- match(d$to, states)
        report(nrow(d) == S * K * K && !anyNA(si) &&
                   identical(d$session_index, si - 1L),
               sprintf("lag %d sessions: S x K x K rows, session_index in order", k))
        where <- sprintf("session %d %s->%s", si - 1, d$from, d$to)
        for (s in cell_stats)
            compare(sprintf("lag %d sessions %s", k, s), d[[s]],
                    mapply(function(a, b, c) refs[[a]][[s]][b, c], si, i, j),
                    where)
        first <- !duplicated(si)
        for (s in table_stats)
            compare(sprintf("lag %d sessions %s", k, s), d[[s]][first],
                    sapply(refs[si[first]], function(t) t[[s]]),
                    sprintf("session %d", si[first] - 1))

        # pooled: counts summed, frequencies and events summed (SPEC 4.5)
        pool_ref <- function(idx)
            ref_table(Reduce(`+`, lapply(seqs[idx], lag_counts, k)),
                      Reduce(`+`, lapply(seqs[idx], freq_of)),
                      sum(sapply(seqs[idx], length)), use_mask)
        check_pool(sprintf("lag %d pooled", k),
                   rd(sprintf("lag%d_pooled.csv", k)), pool_ref(seq_len(S)))
        check_summary(sprintf("lag %d couple_summary", k),
                      rd(sprintf("lag%d_couple_summary.csv", k)), refs,
                      seq_len(S))
        for (l in labels) {
            idx <- which(sess$session == l)
            check_pool(sprintf("lag %d pooled_by_label/%s", k, l),
                       rd(sprintf("lag%d_pooled_by_label_%s.csv", k, l)),
                       pool_ref(idx))
            check_summary(sprintf("lag %d couple_summary_by_label/%s", k, l),
                          rd(sprintf("lag%d_couple_summary_by_label_%s.csv", k, l)),
                          refs, idx)
        }
    }
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) == 2 && args[1] == "--specs") {
    for (line in readLines(args[2])) {
        spec <- strsplit(trimws(line), " +")[[1]]
        if (!length(spec) || !nzchar(spec[1]))
            next
        tryCatch(crosscheck(spec), error = function(e)
            cat("not ok -", spec[1], "tests/r/lag_crosscheck.R failed:",
                conditionMessage(e), "\n"))
    }
} else {
    crosscheck(args)
}
