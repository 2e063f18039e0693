#!/usr/bin/env bash
# deploy/atlas-slurm.sh on a real (single-node) Slurm cluster: a 3-task array of `choro batch`
# (each task takes its share of the states from SLURM_ARRAY_TASK_ID) plus the dependent
# `choro batch JOB <the same flags> --merge-manifests` gives the atlas of a one-machine
# `choro batch` byte for byte: every map, manifest.json, index.html and atlas.pdf.
# shellcheck source=tests/slurm/lib.sh
. "$(dirname "$0")/lib.sh"
has_batch || skip "this choro has no batch command yet"
slurm_start
counties_env # the counties job, made-up values, CPUS and MEM
# A handful of states keeps the test short; more tasks than one state each, so the shard split shows.
export OUT=$work/slurm/atlas TASKS=3 BY=state FORMAT=png WIDTH=600 HEIGHT=450
export ARGS="--only CA,TX,AK,ME,OH,DC,RI -q"

mkdir one slurm
# shellcheck disable=SC2086  # ARGS is a list of flags
"$CHORO" batch "$JOB" --data-dir "$DATA" --values "$VALUES" --by "$BY" --format "$FORMAT" \
    --width "$WIDTH" --height "$HEIGHT" --threads 1 $ARGS -o one/atlas || fail "the one-machine batch failed"
submit_array "$deploy/atlas-slurm.sh"
wait_jobs 300 "$ARRAY" "$MERGE"
expect_completed "$ARRAY" "$MERGE"

for i in 0 1 2; do
    [ -d "$OUT.parts/part-000$i-of-0003" ] || fail "task $i wrote no part folder"
done
maps=$(find one/atlas -name '*.png' | wc -l)
[ "$maps" -ge 7 ] || fail "the one-machine atlas has $maps maps, not 7"
same_atlas one/atlas "$OUT" "atlas of $TASKS Slurm tasks and their merge against one run"
