#!/usr/bin/env bash
# A tile pyramid split over a Slurm job array, then merged by a dependent job.
#   deploy/tiles-slurm.sh        run it (not sbatch it): submits the array and the merge, prints both ids
# Settings from the environment (defaults in brackets): CHORO [choro], JOB [jobs/us-counties.toml],
# DATA [../shared/data], VALUES [out/agreements/counties.csv], OUT [out/tiles/us-counties.pmtiles],
# ZOOM [0-10], TASKS [8], CPUS per task [4], MEM per task [2G], ARGS (more `choro tiles` flags).
# choro reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT itself. Relative
# paths are taken from the folder you submit from; OUT must be on a file system all nodes share.
# A task that died (killed, node lost) is requeued with `scontrol requeue ARRAY_i` and resumes its
# part. Slurm keeps the merge's dependency failed after that, so re-arm it with the command this
# script prints (`scontrol update jobid=MERGE dependency=afterok:ARRAY_0:...`).
#SBATCH --job-name=choro-tiles
#SBATCH --requeue
set -euo pipefail
CHORO=${CHORO:-choro}
JOB=${JOB:-jobs/us-counties.toml}
DATA=${DATA:-../shared/data}
VALUES=${VALUES:-out/agreements/counties.csv}
OUT=${OUT:-out/tiles/us-counties.pmtiles}
ZOOM=${ZOOM:-0-10}
TASKS=${TASKS:-8}
CPUS=${CPUS:-4}
MEM=${MEM:-2G}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # Not inside the array: submit it, and the merge after every task has succeeded.
    array=$(sbatch --parsable --array=0-$((TASKS - 1)) --cpus-per-task="$CPUS" --mem="$MEM" "$0")
    array=${array%%;*}
    # One afterok per task rather than afterok:ARRAY: a requeued task clears only its own entry.
    deps=afterok$(for ((i = 0; i < TASKS; i++)); do printf ':%s_%d' "$array" "$i"; done)
    merge=$(sbatch --parsable --dependency="$deps" --job-name=choro-merge --wrap \
        "$(printf '%q' "$CHORO") merge -o $(printf '%q' "$OUT") $(printf '%q' "$OUT").part-*-of-$(printf %04d "$TASKS").mbtiles")
    merge=${merge%%;*}
    echo "submitted array $array ($TASKS tasks) and merge $merge"
    echo "after a requeue: scontrol update jobid=$merge dependency=$deps"
    exit 0
fi
# A requeued task resumes its part where it stopped.
# shellcheck disable=SC2086  # ARGS is a list of flags
"$CHORO" tiles "$JOB" --data-dir "$DATA" --values "$VALUES" --zoom "$ZOOM" \
    --threads "${SLURM_CPUS_PER_TASK:-1}" ${ARGS:-} -o "$OUT"
