#!/usr/bin/env bash
# The county atlas: one map per county (3,000+ maps), each framed and projected for its county with
# its neighbours muted, split over a 64-task Slurm array and joined into one atlas by a dependent
# merge. The same script as the state atlas with other defaults; every setting of
# deploy/atlas-slurm.sh still applies (e.g. TASKS=128 CPUS=2 OUT=/shared/counties).
#   deploy/atlas-counties-slurm.sh       run it (not sbatch it): prints the array's and the merge's ids
set -euo pipefail
export BY=${BY:-county} OUT=${OUT:-out/counties} TASKS=${TASKS:-64} CPUS=${CPUS:-2} MEM=${MEM:-2G}
exec "$(dirname "$0")/atlas-slurm.sh"
