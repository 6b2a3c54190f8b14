# tests/r/window.R — independent time-unit tallies for SPEC 4.4, in base R.
#
#   Rscript window.R EVENTS.csv PARAMS.csv
#   source("tests/r/window.R"); window_tallies(events, params)
#
# EVENTS.csv: session,onset,duration,state   (state 0-based; duration NA
#             when the session has none)
# PARAMS.csv: session,k,lo,hi,unit,ongoing
# Prints one line per session and cell: session,i,j,a,b,c,d,n_units
#
# Written from the definition rather than from window.c: every unit v is
# the interval [t0 + vU, t0 + (v+1)U) and is classified by looking at the
# events directly (is some given onset LO..HI units before it? does a
# target start in it, or overlap it?), one unit at a time. Test data use
# times that are exact in binary, so no rounding question arises here.

# window_tallies(ev, par): the lines below for the data frames read from
# EVENTS.csv and PARAMS.csv (sourced, the script defines it and reads
# nothing)
window_tallies <- function(ev, par) {
  for (r in seq_len(nrow(par))) {
    p <- par[r, ]
    e <- ev[ev$session == p$session, ]
    k <- p$k; U <- p$unit
    t0 <- min(e$onset)
    dur <- ifelse(is.na(e$duration), 0, e$duration)
    # the session runs to the last onset or the last offset
    t_end <- max(e$onset, e$onset + dur)
    # units: every [t0 + vU, t0 + (v+1)U) that starts at or before the last
    # onset, or that starts before the last offset
    n_units <- 0
    while (t0 + n_units * U <= max(e$onset) ||
           t0 + n_units * U < t_end) n_units <- n_units + 1
    onset_unit <- floor((e$onset - t0) / U)
    given <- matrix(FALSE, n_units, k)
    target <- matrix(FALSE, n_units, k)
    for (v in 0:(n_units - 1)) {
      lo_t <- t0 + v * U; hi_t <- lo_t + U
      for (x in seq_len(nrow(e))) {
        s <- e$state[x] + 1
        d <- v - onset_unit[x]
        if (d >= p$lo && d <= p$hi) given[v + 1, s] <- TRUE
        starts <- e$onset[x] >= lo_t && e$onset[x] < hi_t
        if (p$ongoing == 1 && dur[x] > 0) {
          on <- e$onset[x] < hi_t && e$onset[x] + dur[x] > lo_t
        } else {
          on <- starts
        }
        if (on) target[v + 1, s] <- TRUE
      }
    }
    for (i in 1:k) for (j in 1:k) {
      a <- sum(given[, i] & target[, j])
      b <- sum(given[, i] & !target[, j])
      cc <- sum(!given[, i] & target[, j])
      d <- sum(!given[, i] & !target[, j])
      cat(sprintf("%d,%d,%d,%d,%d,%d,%d,%d\n", p$session, i - 1, j - 1,
                  a, b, cc, d, n_units))
    }
  }
}

if (sys.nframe() == 0L) {
  args <- commandArgs(trailingOnly = TRUE)
  window_tallies(read.csv(args[1]), read.csv(args[2]))
}
