# tests/r/km.R — independent Kaplan–Meier and responsiveness in base R
# (the survival package is not assumed: the product-limit estimate is
# written out from Kaplan & Meier 1958).
#
#   Rscript km.R pairs PAIRS.csv
#       PAIRS.csv: time,event (event 1 = response, 0 = censored)
#       prints time,n_risk,n_event,surv at each distinct event time
#
#   Rscript km.R events EVENTS.csv W
#   source("tests/r/km.R"); km_events(events, W)   (the same lines)
#       EVENTS.csv: session,onset,actor,role   (actor 0, 1, or 2 = other)
#       prints for every session and bidder 0, 1
#         S,session,bidder,n_bids,n_answered,n_late,rate,mean,median,
#           away,against,p_by_window
#         K,session,bidder,time,n_risk,n_event,surv   (one per event time)
#
# The responsiveness rules are coded from SPEC 4.6 / responsive.h with
# forward searches (which()), not from the backward pass of responsive.c.

km <- function(time, event) {
  ut <- sort(unique(time[event == 1]))
  n_risk <- vapply(ut, function(t) sum(time >= t), 0)
  n_event <- vapply(ut, function(t) sum(time == t & event == 1), 0)
  list(time = ut, n_risk = n_risk, n_event = n_event,
       surv = cumprod(1 - n_event / n_risk))
}

surv_at <- function(k, time, t) {
  if (length(time) == 0) return(NA)
  s <- if (any(k$time <= t)) k$surv[max(which(k$time <= t))] else 1
  if (t > max(time) && s > 0) return(NA)
  s
}

fmt <- function(x) ifelse(is.na(x), "nan", sprintf("%.17g", x))

# km_events(ev, W): the S and K lines of "events" for the data frame read
# from EVENTS.csv (sourced, the script defines the functions and reads
# nothing)
km_events <- function(ev, W) {
  for (sess in sort(unique(ev$session))) {
    e <- ev[ev$session == sess, ]
    n <- nrow(e)
    idx <- seq_len(n)
    for (bidder in 0:1) {
      partner <- 1 - bidder
      bids <- which(e$actor == bidder & e$role == "bid")
      time <- numeric(0); event <- numeric(0); lat <- numeric(0)
      late <- 0; away <- 0; against <- 0
      for (b in bids) {
        later_bids <- bids[bids > b]
        limit <- if (length(later_bids)) later_bids[1] else n + 1
        mine <- which(e$actor == partner & idx > b & idx < limit)
        resp <- mine[e$role[mine] == "response"]
        if (length(resp)) {
          l <- e$onset[resp[1]] - e$onset[b]
          time <- c(time, l); event <- c(event, 1)
          if (l <= W) lat <- c(lat, l) else late <- late + 1
        } else {
          end <- if (length(later_bids)) e$onset[later_bids[1]] else e$onset[n]
          time <- c(time, end - e$onset[b]); event <- c(event, 0)
        }
        if (length(mine)) {
          f <- mine[1]
          is_answer <- length(resp) && resp[1] == f
          if (!is_answer && e$onset[f] - e$onset[b] <= W) {
            if (e$role[f] == "withdraw") away <- away + 1
            if (e$role[f] == "pursue") against <- against + 1
          }
        }
      }
      nb <- length(bids)
      k <- km(time, event)
      cat(sprintf("S,%d,%d,%d,%d,%d,%s,%s,%s,%d,%d,%s\n", sess, bidder, nb,
                  length(lat), late,
                  fmt(if (nb) length(lat) / nb else NA),
                  fmt(if (length(lat)) mean(lat) else NA),
                  fmt(if (length(lat)) median(lat) else NA),
                  away, against, fmt(1 - surv_at(k, time, W))))
      for (i in seq_along(k$time))
        cat(sprintf("K,%d,%d,%s,%d,%d,%s\n", sess, bidder, fmt(k$time[i]),
                    k$n_risk[i], k$n_event[i], fmt(k$surv[i])))
    }
  }
}

if (sys.nframe() == 0L) {
  args <- commandArgs(trailingOnly = TRUE)
  if (args[1] == "pairs") {
    p <- read.csv(args[2])
    k <- km(p$time, p$event)
    for (i in seq_along(k$time))
      cat(sprintf("%s,%d,%d,%s\n", fmt(k$time[i]), k$n_risk[i],
                  k$n_event[i], fmt(k$surv[i])))
    quit(status = 0)
  }
  km_events(read.csv(args[2], stringsAsFactors = FALSE), as.numeric(args[3]))
}
