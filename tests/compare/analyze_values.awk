# tests/compare/analyze_values.awk — the per-session values behind compare's
# metrics, read from `dyadseq export` of an analyze results file (columns
# found by header name, POSIX awk, no quoted fields). Input files, in any
# order: exports of /lag/1/session/yules_q, /lag/1/session/adjusted_residual,
# /responsiveness, /cycles, /softening. Output: one line per value,
#   METRIC,COUPLE,SESSION,VALUE
# with METRIC named as compare names it (yules_q[A:pursue->B:withdraw],
# response_rate[A->B], softening_rate_per_min[A], ...) and VALUE exactly as
# export printed it. Assumes the two actors A and B.
BEGIN { FS = ","; OFS = "," }
FNR == 1 { delete col; for (i = 1; i <= NF; i++) col[$i] = i; next }
function v(name) { return $(col[name]) }
function partner(a) { return a == "A" ? "B" : "A" }
("yules_q" in col) && ("from" in col) {
    print "yules_q[" v("from") "->" v("to") "]", v("couple"), v("session"), v("yules_q")
}
("adjusted_residual" in col) && ("from" in col) {
    print "adjusted_residual[" v("from") "->" v("to") "]", v("couple"), v("session"), v("adjusted_residual")
}
"bidder" in col {
    d = v("bidder") "->" partner(v("bidder"))
    print "response_rate[" d "]", v("couple"), v("session"), v("response_rate")
    print "latency_median_s[" d "]", v("couple"), v("session"), v("latency_median_s")
}
"share_time_in_cycles" in col {
    print "share_time_in_cycles", v("couple"), v("session"), v("share_time_in_cycles")
}
("actor" in col) && ("rate_per_min" in col) {
    print "softening_rate_per_min[" v("actor") "]", v("couple"), v("session"), v("rate_per_min")
}
