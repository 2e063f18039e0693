#!/usr/bin/env bash
# deploy/tiles-slurm.sh on a real (single-node) Slurm cluster: a 4-task array plus its dependent
# merge gives the PMTiles and the MBTiles of a one-machine run byte for byte.
# shellcheck source=tests/slurm/lib.sh
. "$(dirname "$0")/lib.sh"
slurm_start
tiles_env
export ZOOM=0-4 TASKS=4

mkdir one slurm
one_machine_tiles one/us.pmtiles
one_machine_tiles one/us.mbtiles
OUT=slurm/us.pmtiles submit_array "$deploy/tiles-slurm.sh"
pm_array=$ARRAY pm_merge=$MERGE
OUT=slurm/us.mbtiles submit_array "$deploy/tiles-slurm.sh"
wait_jobs 240 "$pm_array" "$pm_merge" "$ARRAY" "$MERGE"
expect_completed "$pm_array" "$pm_merge" "$ARRAY" "$MERGE"

for i in 0 1 2 3; do
    [ -f "slurm/us.pmtiles.part-000$i-of-0004.mbtiles" ] || fail "task $i wrote no part"
done
same_bytes one/us.pmtiles slurm/us.pmtiles "PMTiles merged from $TASKS Slurm tasks against one run"
same_mbtiles one/us.mbtiles slurm/us.mbtiles "MBTiles merged from $TASKS Slurm tasks against one run"
same_bytes one/us.mbtiles slurm/us.mbtiles "MBTiles file merged from $TASKS Slurm tasks against one run"
