# tests/analyze/dump.sh — sourced by the tests of tests/analyze/.
#
# dump_results FILE: print every table of a results file as `dyadseq
# export` prints it, one "## PATH" line before each: the states, codebook
# and sessions, every lag's tables (per session, pooled, per label,
# summaries), windows, responsiveness (and its
# Kaplan-Meier curves), cycles and softening, whichever the file has. The
# root attributes (input names and checksums, command line) are left out,
# so two runs on differently arranged inputs compare by their datasets.
dump_results() {
    _f=$1
    _labels=$("$DYADSEQ" export "$_f" /sessions/session | tail -n +2 | cut -d, -f3 | LC_ALL=C sort -u)
    # the lags, from export's list of /lag's members ("/lag/1, /lag/2")
    _lags=$("$DYADSEQ" export "$_f" /lag 2>&1 |
        sed -n 's/.*export one of its members: //p' | tr -d , | sed 's|/lag/||g')
    set -- /states/label /codebook /sessions
    for _k in $_lags; do
        set -- "$@" /lag/$_k/session /lag/$_k/pooled /lag/$_k/couple_summary
        for _l in $_labels; do
            set -- "$@" /lag/$_k/pooled_by_label/$_l /lag/$_k/couple_summary_by_label/$_l
        done
    done
    set -- "$@" /window/session /window/pooled /responsiveness /responsiveness/km /cycles /softening
    for _p; do
        echo "## $_p"
        "$DYADSEQ" export -q "$_f" "$_p" 2>/dev/null || echo "(absent)"
    done
}
