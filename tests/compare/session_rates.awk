# tests/compare/session_rates.awk — events per minute and pursue-withdraw
# cycles per 10 minutes of every session, straight from transcripts,
# independently of dyadseq (POSIX awk). Input: CSV files with the header
# couple,session,actor,code,time,duration (in that order, no quoted fields,
# a session's rows contiguous), the built-in codebook, actors A and B.
# Output: COUPLE,SESSION,EVENTS_PER_MIN,CYCLES_PER_10MIN (%.17g).
#
# Duration (SPEC 5): the latest offset (time + duration) minus the first
# onset. Cycles (SPEC 4.7, the algorithm of include/dyadseq/cycles.h): a
# pursue names its actor as the pursuer, a withdraw names the partner; two
# consecutive events continue a run when both name the same pursuer and one
# is a pursue and the other a withdraw; maximal runs of >= 3 events count.
BEGIN { FS = ","; OFS = "," }
FNR == 1 { next }
{
    key = $1 SUBSEP $2
    if (key != cur) { if (cur != "") flush(); cur = key; n = 0; c = $1; s = $2 }
    n++; actor[n] = $3; code[n] = $4; t[n] = $5 + 0; off[n] = $5 + $6
}
END { if (cur != "") flush() }

function names(i) {
    if (code[i] == "pursue") return actor[i]
    if (code[i] == "withdraw") return actor[i] == "A" ? "B" : "A"
    return ""
}
function flush(   i, last, dur, run, cycles) {
    last = t[1]
    for (i = 1; i <= n; i++) if (off[i] > last) last = off[i]
    dur = last - t[1]
    run = 1; cycles = 0
    for (i = 2; i <= n + 1; i++) {
        if (i <= n && names(i) != "" && names(i) == names(i - 1) && code[i] != code[i - 1])
            run++
        else { if (run >= 3 && names(i - 1) != "") cycles++; run = 1 }
    }
    printf "%s,%s,%.17g,%.17g\n", c, s, 60 * n / dur, 600 * cycles / dur
}
