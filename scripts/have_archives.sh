#!/bin/sh
# have_archives.sh CC [-LDIR...]: print 1 when the static archives that
# `make` links by default (STATIC_LIBS=1, README "Dependencies") are all
# there: GSL, HDF5 (in CC's search path or a -L directory, where
# Debian keeps it), jansson, expat, szip/libaec and zlib. Print nothing
# when one is missing, and the Makefile links them as shared libraries.
cc=$1
shift
found() { # found NAME: lib NAME.a in CC's search path or a -L directory
    f=$("$cc" -print-file-name="lib$1.a" 2>/dev/null)
    [ -f "$f" ] && return 0
    for d in $DIRS; do [ -f "$d/lib$1.a" ] && return 0; done
    return 1
}
DIRS=""
for a in "$@"; do
    case $a in -L*) DIRS="$DIRS ${a#-L}" ;; esac
done
for lib in gsl gslcblas hdf5 jansson expat sz aec z; do
    found "$lib" || exit 0
done
echo 1
