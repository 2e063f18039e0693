#!/usr/bin/env bash
# shellcheck disable=SC2015  # `test && test || fail` is meant
# A task of deploy/tiles-slurm.sh killed mid-run (scancel --signal=KILL on one array element) and
# requeued resumes its part, and the merge still gives the one-machine PMTiles byte for byte.
# shellcheck source=tests/slurm/lib.sh
. "$(dirname "$0")/lib.sh"
slurm_start
tiles_env
# Small metatiles, so the victim has many steps and is caught between two of them.
export ZOOM=0-7 TASKS=2 ARGS="--metatile 2 --bbox -125,24,-66,50"

mkdir one slurm
one_machine_tiles one/us.pmtiles
OUT=slurm/us.pmtiles submit_array "$deploy/tiles-slurm.sh"
victim=${ARRAY}_1
part=slurm/us.pmtiles.part-0001-of-0002.mbtiles
done_count() { sqlite3 "$part.partial" 'SELECT count(*) FROM choro_done' 2>/dev/null || echo 0; }

# Kill the victim once it has finished some metatiles (the limit only guards against a hang).
deadline=$((SECONDS + 120))
until [ "$(job_state "$victim")" = RUNNING ] && [ -f "$part.partial" ] && [ "$(done_count)" -gt 0 ]; do
    [ "$(job_state "$victim")" != COMPLETED ] || fail "task 1 finished before it could be killed"
    [ "$SECONDS" -lt "$deadline" ] || fail "task 1 made no progress in 120 s"
    sleep 0.1
done
scancel --signal=KILL "$victim"
wait_jobs 60 "$victim"
state=$(job_state "$victim")
[ "$state" != COMPLETED ] || fail "task 1 completed: the kill came too late to test a resume"
[ -f "$part.partial" ] && [ ! -f "$part" ] || fail "task 1 left no unfinished part"
before=$(done_count)
note "task 1 killed ($state) with $before metatiles done; requeued"
[ "$(job_state "$MERGE")" = PENDING ] || fail "the merge ran without task 1"

scontrol requeue "$victim"
# A failed dependency stays failed after the requeue: re-arm it as deploy/tiles-slurm.sh prints.
scontrol update jobid="$MERGE" dependency="afterok:${ARRAY}_0:${ARRAY}_1"
wait_jobs 240 "$ARRAY" "$MERGE"
expect_completed "$ARRAY" "$MERGE"
scontrol show job -o "$victim" | grep -q 'Restarts=1 ' || fail "task 1 did not run twice"

# The rerun resumed the killed run's part instead of starting it again.
resumed=$(sed -n 's/.* \([0-9]*\) resumed,.*/\1/p' "slurm-${ARRAY}_1.out" | tail -n1)
[ "${resumed:-0}" -gt 0 ] || fail "the requeued task resumed nothing: $(cat "slurm-${ARRAY}_1.out")"
note "the requeued task resumed $resumed tiles"
same_bytes one/us.pmtiles slurm/us.pmtiles "PMTiles after a killed and requeued task against one run"
