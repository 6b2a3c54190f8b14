# tests/analyze/h5diff_groups.awk — what differs between two HDF5 files,
# from the output of `h5diff -v A B` (HDF5 1.10 and later).
#
#   h5diff -v A.h5 B.h5 | awk -f tests/analyze/h5diff_groups.awk [-v full=1]
#
# Prints, once each and sorted, the top-level group ("/lag") of every
# object that differs — a dataset or attribute with differences, one not
# comparable (another shape or type), an object in one file only — or with
# full=1 the object's whole path ("/lag/1/pooled/permutation_p"). The root
# attributes (provenance: input names and checksums, the command line,
# parameters, seed) are left out. h5diff counts NaN equal to NaN.
function report(path,    p) {
    if (path == "" || path == "/") return
    if (!full) { split(path, p, "/"); path = "/" p[2] }
    seen[path] = 1
}
# the listing: "    x      x    /path" (in both files), one x: one file only
/^ +x +x +\// { next }
/^ +x +\// { report($NF); next }
# "attribute: <NAME of </path>> and <NAME of </path>>"
/^attribute: </ {
    cur = $0
    sub(/^attribute: <[^<]* of </, "", cur)
    sub(/>.*/, "", cur)
    cur = cur == "/" ? "" : cur
    next
}
# "dataset: </path> and </path>", "group  : ...", "datatype: ...", "link: ..."
/^(dataset|group|datatype|link|soft link|external link) *: </ {
    cur = $0
    sub(/^[^<]*</, "", cur)
    sub(/>.*/, "", cur)
    next
}
/^[0-9]+ differences? found/ { if ($1 > 0) report(cur); next }
/^Not comparable/ { report(cur); next }
END { for (p in seen) print p | "LC_ALL=C sort" }
