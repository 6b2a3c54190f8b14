# tests/analyze/close.awk — compare two CSV texts line by line and field by
# field: text fields must be equal, numbers within a relative tolerance.
#
#   awk -F, -v tol=1e-12 -f tests/analyze/close.awk A B
#
# Fields that both read as numbers agree when |a - b| <= tol * max(1, |a|,
# |b|) (row and column permutations change the order of floating-point
# sums, so G², X² and fitted values may differ in the last bits); "NA"
# only equals "NA". Prints the first differences on standard output and
# exits 1 when there are any, or when the line counts differ.
function isnum(s) { return s ~ /^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
NR == FNR { a[FNR] = $0; na = FNR; next }
{
    nb = FNR
    if (!(FNR in a)) { bad++; if (bad <= 5) print "only in " FILENAME ": " $0; next }
    if (a[FNR] == $0) next
    n = split(a[FNR], f, FS)
    if (n != NF) { bad++; if (bad <= 5) print "line " FNR ": " a[FNR] " | " $0; next }
    for (i = 1; i <= NF; i++) {
        if (f[i] == $i) continue
        if (isnum(f[i]) && isnum($i)) {
            x = f[i] + 0; y = $i + 0
            m = abs(x) > abs(y) ? abs(x) : abs(y)
            if (m < 1) m = 1
            if (abs(x - y) <= tol * m) continue
        }
        bad++
        if (bad <= 5) print "line " FNR " field " i ": " f[i] " | " $i
        break
    }
}
END {
    if (na != nb) { print "line counts differ: " na " and " nb; bad++ }
    exit bad > 0
}
