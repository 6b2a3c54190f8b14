#!/bin/bash
# scripts/slurm-analyze.sh — an example Slurm batch script for the MPI
# program (README, "Running on a cluster"): one MPI rank per node, OpenMP
# threads on its cores.
#
#   sbatch scripts/slurm-analyze.sh STUDY_DIR OUT.h5 [analyze options...]
#   sbatch --nodes=8 scripts/slurm-analyze.sh transcripts/ study.h5 \
#       --permutations 10000 --lags 1,2
#
# Build first with `make MPI=1` (build/dyadseq-mpi, Open MPI and parallel
# HDF5). The transcripts and the directory of OUT.h5 must be on a file
# system every node sees: every rank reads its share of the input, and
# all ranks write the one results file together (parallel HDF5 over
# MPI-IO; on Lustre or GPFS, as on a local disk). Adapt the partition,
# account and module lines to your site.
#
#SBATCH --job-name=dyadseq
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=32
#SBATCH --time=01:00:00
#SBATCH --output=dyadseq-%j.log
# #SBATCH --partition=...
# #SBATCH --account=...
set -euo pipefail

# module load openmpi hdf5/parallel   (sites with environment modules)

STUDY=${1:?usage: sbatch scripts/slurm-analyze.sh STUDY_DIR OUT.h5 [analyze options]}
OUT=${2:?usage: sbatch scripts/slurm-analyze.sh STUDY_DIR OUT.h5 [analyze options]}
shift 2

# the program next to this script's repository, unless DYADSEQ_MPI says
# where it is (sbatch copies the script away, so SLURM_SUBMIT_DIR is the
# directory it was submitted from)
DYADSEQ_MPI=${DYADSEQ_MPI:-${SLURM_SUBMIT_DIR:-.}/build/dyadseq-mpi}

# each rank's OpenMP threads: the cores Slurm gave its task
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
export OMP_PLACES=cores OMP_PROC_BIND=close

# srun starts the ranks (Slurm built with PMIx; else --mpi=pmi2, or
# `mpirun --map-by ppr:1:node:PE=$OMP_NUM_THREADS "$DYADSEQ_MPI" ...`,
# which reads the allocation from Slurm: without PE=, Open MPI binds a
# rank to one core and its threads share it).
# -t is not recorded in the file: results do not depend on it.
srun --mpi=pmix "$DYADSEQ_MPI" analyze -t "$OMP_NUM_THREADS" \
    -o "$OUT" "$STUDY" "$@"
