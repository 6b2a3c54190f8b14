# tests/simulate/metrics.awk — the planted effects of `dyadseq simulate`,
# recomputed from transcripts independently of `dyadseq analyze` (POSIX
# awk). Input: one or more CSV files with a header and the columns
# couple,session,actor,code,time,duration in that order, sessions
# contiguous, no quoted fields. The group of a couple is its id without the
# last "-NN" (stable-07 -> stable).
#
# Per group and session label, one line of name=value pairs:
#   sessions events bids answered rate      bids answered within W = 5 s by
#                                           the partner's first response
#                                           before the bidder's next bid
#                                           (SPEC 4.6), pooled
#   couple_rate_mean couple_rate_sd         per-session response rates
#   answers lat_mean late                   answers at any delay (the
#                                           partner's first response before
#                                           the bidder's next bid), their
#                                           mean latency and the share of
#                                           them later than W
#   lat_median                              median latency of the answered
#                                           bids (latency <= W), pooled
#   cycles_mean cycles_sd cycle_len         pursue-withdraw cycles of >= 3
#                                           events (SPEC 4.7) per session;
#                                           mean events per cycle
#   end_soften                              share of cycles followed by soften
#   soften_per_min_mean soften_per_min_sd   soften events per minute of
#                                           session (first onset to last offset)
#   w_after_p                               P(partner withdraws | pursue)
BEGIN { FS = ","; W = 5 }
FNR == 1 { next }
{
    key = $1 SUBSEP $2
    if (key != cur) { if (cur != "") flush(); cur = key; n = 0 }
    n++; couple[n] = $1; sess[n] = $2; actor[n] = $3; code[n] = $4
    t[n] = $5 + 0; d[n] = $6 + 0
}
END { if (cur != "") flush(); report() }

function flush(   g, i, j, b, ans, lat, run, start, dur, last, sof, np, nwp) {
    g = couple[1]; sub(/-[0-9]+$/, "", g); g = g SUBSEP sess[1]
    if (!(g in S)) order[++ng] = g
    S[g]++; E[g] += n
    b = 0; ans = 0
    for (i = 1; i <= n; i++) {
        if (code[i] != "bid") continue
        b++
        for (j = i + 1; j <= n; j++) {
            if (actor[j] == actor[i] && code[j] == "bid") break
            if (actor[j] != actor[i] && code[j] == "response") {
                lat = t[j] - t[i]
                AN[g]++; AL[g] += lat
                if (lat <= W) { ans++; LAT[g, ++NL[g]] = lat }
                else LATE[g]++
                break
            }
        }
    }
    B[g] += b; A[g] += ans
    if (b > 0) { R1[g] += ans / b; R2[g] += (ans / b) ^ 2; RN[g]++ }
    # cycles: maximal runs alternating one partner's pursue and the other's withdraw
    run = 0; i = 1
    while (i <= n) {
        if (code[i] != "pursue" && code[i] != "withdraw") { i++; continue }
        j = i
        while (j < n && actor[j] != actor[j + 1] && \
               ((code[j] == "pursue" && code[j + 1] == "withdraw") || \
                (code[j] == "withdraw" && code[j + 1] == "pursue"))) j++
        if (j - i + 1 >= 3) {
            run++; CE[g] += j - i + 1
            if (j < n && code[j + 1] == "soften") ES[g]++
        }
        i = j + 1
    }
    C1[g] += run; C2[g] += run ^ 2
    last = 0; sof = 0; np = 0; nwp = 0
    for (i = 1; i <= n; i++) {
        if (t[i] + d[i] > last) last = t[i] + d[i]
        if (code[i] == "soften") sof++
        if (i < n && code[i] == "pursue") {
            np++
            if (code[i + 1] == "withdraw" && actor[i + 1] != actor[i]) nwp++
        }
    }
    dur = (last - t[1]) / 60
    F1[g] += sof / dur; F2[g] += (sof / dur) ^ 2
    NP[g] += np; NWP[g] += nwp
}

function sd(s1, s2, k) { return k > 1 ? sqrt((s2 - s1 * s1 / k) / (k - 1)) : 0 }

# sort X[lo..hi] in place (quicksort, Kernighan & Pike)
function qsort(X, lo, hi,   i, last) {
    if (lo >= hi) return
    swap(X, lo, int((lo + hi) / 2)); last = lo
    for (i = lo + 1; i <= hi; i++) if (X[i] < X[lo]) swap(X, ++last, i)
    swap(X, lo, last); qsort(X, lo, last - 1); qsort(X, last + 1, hi)
}
function swap(X, i, j,   tmp) { tmp = X[i]; X[i] = X[j]; X[j] = tmp }

# median of the answered latencies of group key g
function median(g,   X, i, k) {
    k = NL[g]; if (k == 0) return -1
    for (i = 1; i <= k; i++) X[i] = LAT[g, i]
    qsort(X, 1, k)
    return k % 2 ? X[(k + 1) / 2] : (X[k / 2] + X[k / 2 + 1]) / 2
}

function report(   i, g, k, parts) {
    for (i = 1; i <= ng; i++) {
        g = order[i]; split(g, parts, SUBSEP); k = S[g]
        printf "group=%s session=%s sessions=%d events=%d bids=%d answered=%d rate=%.4f", \
            parts[1], parts[2], k, E[g], B[g], A[g], B[g] ? A[g] / B[g] : 0
        printf " couple_rate_mean=%.4f couple_rate_sd=%.4f", R1[g] / RN[g], sd(R1[g], R2[g], RN[g])
        printf " answers=%d lat_mean=%.4f late=%.5f lat_median=%.4f", AN[g], \
            AN[g] ? AL[g] / AN[g] : -1, AN[g] ? LATE[g] / AN[g] : -1, median(g)
        printf " cycles_mean=%.2f cycles_sd=%.2f cycle_len=%.3f end_soften=%.4f", \
            C1[g] / k, sd(C1[g], C2[g], k), C1[g] ? CE[g] / C1[g] : 0, C1[g] ? ES[g] / C1[g] : 0
        printf " soften_per_min_mean=%.3f soften_per_min_sd=%.3f w_after_p=%.4f\n", \
            F1[g] / k, sd(F1[g], F2[g], k), NP[g] ? NWP[g] / NP[g] : 0
    }
}
