#!/usr/bin/env bash
# The batch atlas (one map per state, or per county) split over a Slurm job array, then joined into
# one atlas (maps, manifest.json, index.html, atlas.pdf) by a dependent merge job.
#   deploy/atlas-slurm.sh        run it (not sbatch it): submits the array and the merge, prints both ids
#   BY=county TASKS=64 deploy/atlas-slurm.sh          the county atlas (3,000+ maps): see atlas-counties-slurm.sh
# Settings from the environment (defaults in brackets): CHORO [choro], JOB [jobs/us-counties.toml],
# DATA [../shared/data], VALUES [out/agreements/counties.csv], OUT [out/states], BY [state],
# FORMAT [png], WIDTH [1200], HEIGHT [900], TASKS [8], CPUS per task [4], MEM per task [2G],
# ARGS (more `choro batch` flags, e.g. --only or --breaks-scope).
# choro reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT itself and takes
# its share of the groups; each task writes its own part folder OUT.parts/part-IIII-of-NNNN, which
# the merge (`choro batch JOB <the same flags> --merge-manifests`) joins into OUT, drawing atlas.pdf. Relative paths are taken from the folder
# you submit from; OUT must be on a file system all nodes share. A task that died is requeued with
# `scontrol requeue ARRAY_i`; its rerun skips the maps it had finished. Re-arm the merge's
# dependency afterwards with the command this script prints.
#SBATCH --job-name=choro-atlas
#SBATCH --requeue
set -euo pipefail
CHORO=${CHORO:-choro}
JOB=${JOB:-jobs/us-counties.toml}
DATA=${DATA:-../shared/data}
VALUES=${VALUES:-out/agreements/counties.csv}
OUT=${OUT:-out/states}
BY=${BY:-state}
FORMAT=${FORMAT:-png}
WIDTH=${WIDTH:-1200}
HEIGHT=${HEIGHT:-900}
TASKS=${TASKS:-8}
CPUS=${CPUS:-4}
MEM=${MEM:-2G}
OUT=${OUT%/}
parts=$OUT.parts

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # Not inside the array: submit it, and the merge after every task has succeeded.
    array=$(sbatch --parsable --array=0-$((TASKS - 1)) --cpus-per-task="$CPUS" --mem="$MEM" "$0")
    array=${array%%;*}
    # One afterok per task rather than afterok:ARRAY: a requeued task clears only its own entry.
    deps=afterok$(for ((i = 0; i < TASKS; i++)); do printf ':%s_%d' "$array" "$i"; done)
    # The merge takes the tasks' job and flags: it draws atlas.pdf from the maps' scenes (no map again).
    q() { printf '%q ' "$@"; }
    merge=$(sbatch --parsable --dependency="$deps" --job-name=choro-atlas-merge --cpus-per-task="$CPUS" \
        --mem="$MEM" --wrap "$(q "$CHORO" batch "$JOB" --data-dir "$DATA" --values "$VALUES" --by "$BY" \
            --format "$FORMAT" --width "$WIDTH" --height "$HEIGHT")\
--threads \${SLURM_CPUS_PER_TASK:-1} ${ARGS:-} --merge-manifests \
$(printf %q "$parts")/part-*-of-$(printf %04d "$TASKS") -o $(printf %q "$OUT")")
    merge=${merge%%;*}
    echo "submitted array $array ($TASKS tasks) and merge $merge"
    echo "after a requeue: scontrol update jobid=$merge dependency=$deps"
    exit 0
fi
# Inside the array: this task's part folder, named by its place in the array.
index=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}))
count=${SLURM_ARRAY_TASK_COUNT:-$TASKS}
part=$parts/part-$(printf %04d "$index")-of-$(printf %04d "$count")
mkdir -p "$parts"
# shellcheck disable=SC2086  # ARGS is a list of flags
"$CHORO" batch "$JOB" --data-dir "$DATA" --values "$VALUES" --by "$BY" --format "$FORMAT" \
    --width "$WIDTH" --height "$HEIGHT" --threads "${SLURM_CPUS_PER_TASK:-1}" ${ARGS:-} -o "$part"
