#!/usr/bin/env bash
# A tile pyramid split over a Slurm job array, then merged by a dependent job.
#   sbatch deploy/tiles-slurm.sh            (submits the array and the merge)
# choro reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT itself.
# OUT must be on a file system all nodes share.
#SBATCH --job-name=choro-tiles
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --requeue
set -euo pipefail
CHORO=${CHORO:-choro}
DATA=${DATA:-../shared/data}
OUT=${OUT:-out/tiles/us-counties.pmtiles}
ZOOM=${ZOOM:-0-10}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # Not inside the array: submit it, and the merge after every task has succeeded.
    array=$(sbatch --parsable "$0")
    sbatch --dependency=afterok:"$array" --job-name=choro-merge --wrap \
        "$CHORO merge -o $OUT $OUT.part-*-of-$(printf %04d 8).mbtiles"
    echo "submitted array $array and its merge"
    exit 0
fi
# A requeued task resumes its part where it stopped.
"$CHORO" tiles jobs/us-counties.toml --data-dir "$DATA" --values out/agreements/counties.csv \
    --zoom "$ZOOM" --threads "${SLURM_CPUS_PER_TASK:-1}" -q -o "$OUT"
