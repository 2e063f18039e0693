#!/usr/bin/env bash
# deploy/atlas-slurm.sh on a real (single-node) Slurm cluster: a 3-task array of `choro batch`
# (each task takes its share of the states from SLURM_ARRAY_TASK_ID) plus the dependent
# `choro batch --merge-manifests` gives the atlas of a one-machine `choro batch` byte for byte:
# every map, manifest.json and index.html (and atlas.pdf when both sides write one).
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
for f in manifest.json index.html; do
    same_bytes "one/atlas/$f" "$OUT/$f" "$f of $TASKS Slurm tasks and their merge against one run"
done
# Every file but atlas.pdf byte for byte (a PDF may carry its creation time); the PDF has the same pages.
[ "$(cd one/atlas && find . -type f | sort)" = "$(cd "$OUT" && find . -type f | sort)" ] ||
    fail "the merged atlas holds other files than the one-machine atlas"
diff -r --exclude=atlas.pdf one/atlas "$OUT" >&2 || fail "the merged atlas differs from the one-machine atlas"
note "atlas of $TASKS Slurm tasks and their merge against one run: $maps maps and every other file identical"
if [ -f one/atlas/atlas.pdf ]; then
    pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
    [ "$(pages one/atlas/atlas.pdf)" = "$(pages "$OUT/atlas.pdf")" ] || fail "atlas.pdf has another page count"
    cmp -s one/atlas/atlas.pdf "$OUT/atlas.pdf" && note "atlas.pdf identical too" ||
        note "atlas.pdf: same $(pages "$OUT/atlas.pdf") pages, bytes differ"
fi
