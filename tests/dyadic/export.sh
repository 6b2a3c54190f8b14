# tests/dyadic/export.sh — helpers for the dyadic CLI tests, sourced after
# tests/lib.sh: read tables printed by `dyadseq export` and compare them
# with values derived by hand.

# ex FILE.h5 PATH: the table at PATH, as `dyadseq export` prints it
ex() { "$DYADSEQ" export -q "$1" "$2"; }

# calc EXPR: the value of an awk expression, e.g. calc 'log(6/5)'
calc() { awk "BEGIN { printf \"%.17g\", $1 }"; }

# row_is DESCRIPTION CSV KEYS WANTS: the one row of CSV whose columns match
# KEYS ("col=value col=value", compared as strings) has, in every column
# named in WANTS ("col=value ..."), that value: NA must be NA, numbers
# agree within 1e-9 relative (1e-12 absolute near 0), anything else as a
# string. One "ok"/"not ok" line.
row_is() {
    _d=$1
    _r=$(awk -F, -v keys="$3" -v wants="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        {
            nk = split(keys, k, " "); hit = 1
            for (i = 1; i <= nk; i++) {
                split(k[i], kv, "=")
                if (!(kv[1] in col)) { print "no column " kv[1]; exit }
                if ($(col[kv[1]]) != kv[2]) hit = 0
            }
            if (hit) { n++; line = $0 }
        }
        END {
            if (n != 1) { print n + 0 " rows match " keys; exit }
            m = split(line, f, ",")
            nw = split(wants, w, " ")
            for (i = 1; i <= nw; i++) {
                eq = index(w[i], "="); c = substr(w[i], 1, eq - 1)
                want = substr(w[i], eq + 1)
                if (!(c in col)) { print "no column " c; continue }
                got = f[col[c]]
                if (want == "NA" || got == "NA" ||
                    want !~ /^[-+0-9.eE]+$/ || got !~ /^[-+0-9.eE]+$/) {
                    if (got != want) print c ": got " got ", want " want
                } else {
                    diff = got - want; if (diff < 0) diff = -diff
                    scale = want < 0 ? -want : want
                    if (diff > 1e-9 * scale && diff > 1e-12)
                        print c ": got " got ", want " want
                }
            }
        }' "$2")
    if [ -z "$_r" ]; then ok "$_d"; else
        not_ok "$_d"; echo "$_r" | sed 's/^/    # /'; fi
}

# rows DESCRIPTION CSV N: CSV has N rows besides its header
rows() { check_eq "$1" "$(($(wc -l <"$2") - 1))" "$3"; }

# attr FILE.h5 OBJECT NAME: the value of a scalar attribute (h5dump)
attr() {
    h5dump -a "$2/$3" "$1" 2>/dev/null |
        sed -n 's/^ *(0): *//p' | tr -d '"' | head -1
}
have_h5dump() { command -v h5dump >/dev/null 2>&1; }
