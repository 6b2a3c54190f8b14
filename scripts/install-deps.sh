#!/bin/sh
# install-deps.sh — install what dyadseq needs to build, test and plot.
#
# Idempotent: on a machine that has everything it prints nothing and takes
# a fraction of a second. On Debian/Ubuntu it installs the missing packages
# with apt-get (as root, or through sudo); elsewhere it lists what to get.
set -eu

# build: compiler flags come from pkg-config; libcsv, GSL, HDF5 (+ tools),
#        jansson and expat (convert: BORIS project JSON, ELAN XML)
# tests: R (cross-checks against base R), hdf5r (R reading example),
#        h5py (Python reading example), GNU time (memory in the benchmark)
# plots: matplotlib
# MPI (only with DYADSEQ_WITH_MPI=1, as `make MPI=1` runs it): Open MPI and the
#        HDF5 built against it, for build/dyadseq-mpi (README, running on a
#        cluster)
# fuzz (only with DYADSEQ_WITH_FUZZ=1, as `make fuzz` runs it): clang and its
#        runtime libraries (libFuzzer, AddressSanitizer; libclang-rt-dev is
#        the distribution's default version, libclang-rt-14-dev on Debian 12)
PACKAGES="gcc make pkg-config libcsv-dev libgsl-dev libhdf5-dev zlib1g-dev hdf5-tools \
libjansson-dev libexpat1-dev \
r-base-core r-cran-hdf5r python3-h5py python3-matplotlib time"
if [ "${DYADSEQ_WITH_MPI:-}" = 1 ]; then
    PACKAGES="$PACKAGES libopenmpi-dev openmpi-bin libhdf5-openmpi-dev"
fi
if [ "${DYADSEQ_WITH_FUZZ:-}" = 1 ]; then
    PACKAGES="$PACKAGES clang libclang-rt-dev"
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    missing=""
    command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl hdf5 jansson expat 2>/dev/null || missing=1
    if [ -n "$missing" ]; then
        echo "install-deps: not a Debian/Ubuntu system; please install:" >&2
        echo "  a C11 compiler with OpenMP, make, pkg-config, libcsv (>= 3.0)," >&2
        echo "  GSL (>= 2.5), HDF5 C library and tools (>= 1.10), jansson (>= 2.10)," >&2
        echo "  expat (>= 2.2), R with the hdf5r" >&2
        echo "  package, Python 3 with h5py and matplotlib, GNU time" >&2
        [ "${DYADSEQ_WITH_MPI:-}" = 1 ] &&
            echo "  and for the MPI program: an MPI (Open MPI) and HDF5 built with it" >&2
        [ "${DYADSEQ_WITH_FUZZ:-}" = 1 ] &&
            echo "  and for the fuzzers: clang with libFuzzer and its sanitizers" >&2
    fi
    exit 0
fi

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-deps: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# refresh the package lists only when they are missing or an install fails
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "install-deps: done" >&2
