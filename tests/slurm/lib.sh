# shellcheck shell=bash disable=SC2015  # `test && test || fail` is meant
# Helpers for the scale-out tests (sourced by tests/slurm/*_test.sh; ctest runs each of those).
# Environment from tests/CMakeLists.txt: CHORO (the executable), CHORO_SOURCE_DIR, CHORO_SHARED_DATA.
# A test calls slurm_start, which makes a work folder, starts a private single-node cluster with
# deploy/slurm-local and arranges that both are gone when the test ends, whatever its outcome.
# Exit 77 means skipped (ctest SKIP_RETURN_CODE); set CHORO_KEEP_TEST_DIR=1 to keep the folder.
#
# A new test in a few lines:
#   . "$(dirname "$0")/lib.sh"
#   slurm_start
#   "$CHORO" ... -o one/                       # the one-machine reference
#   submit_array "$deploy/some-slurm.sh"        # sets ARRAY and MERGE
#   wait_jobs 240 "$ARRAY" "$MERGE"; expect_completed "$ARRAY" "$MERGE"
#   same_tree one slurm "what is compared"      # or same_bytes FILE FILE, same_mbtiles
set -euo pipefail

: "${CHORO:?CHORO must name the choro executable}"
: "${CHORO_SOURCE_DIR:?CHORO_SOURCE_DIR must name the source tree}"
CHORO_SHARED_DATA=${CHORO_SHARED_DATA:-$CHORO_SOURCE_DIR/../shared/data}
deploy=$CHORO_SOURCE_DIR/deploy
work=""

note() { printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2; }
skip() {
    note "SKIPPED: $*"
    exit 77
}
fail() {
    note "FAILED: $*"
    exit 1
}

# Runs at exit: on failure, show the cluster's and the jobs' logs; then stop the cluster and
# remove the work folder (the cluster folder is inside it).
_cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [ -n "$work" ] && [ -d "$work" ]; then
        if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
            note "exit $rc; logs follow"
            for f in "$work"/*.out "$work"/cluster/log/*.log; do
                [ -f "$f" ] && { echo "---- $f"; tail -n 30 "$f"; } >&2
            done
        fi
        [ ! -d "$work/cluster" ] || CHORO_SLURM_DIR=$work/cluster "$deploy/slurm-local" stop 2>/dev/null
        if [ -n "${CHORO_KEEP_TEST_DIR:-}" ]; then
            note "kept $work"
        else
            rm -rf "$work"
        fi
    fi
    exit "$rc"
}

# Makes the work folder, the current directory from then on, removed when the test ends.
work_start() {
    [ -x "$CHORO" ] || fail "no choro executable at $CHORO"
    work=$(mktemp -d "${TMPDIR:-/tmp}/choro-slurm-test.XXXXXX")
    chmod 755 "$work" # munged wants every folder above its socket searchable by all
    trap _cleanup EXIT
    trap 'exit 130' INT TERM
    cd "$work"
}

# work_start, then starts the cluster in the work folder and exports SLURM_CONF. Skips when the
# machine cannot run the daemons.
slurm_start() {
    work_start
    local env rc=0
    env=$(CHORO_SLURM_DIR=$work/cluster "$deploy/slurm-local" start) || rc=$?
    [ "$rc" = 77 ] && skip "no local Slurm cluster (see the message above)"
    [ "$rc" = 0 ] || fail "deploy/slurm-local start exited $rc"
    eval "$env"
    # The jobs must not see a shard from the environment that started the test.
    unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_COUNT JOB_COMPLETION_INDEX JOB_COMPLETIONS
}

# The state of one job or array element, e.g. RUNNING, COMPLETED, FAILED.
job_state() {
    scontrol show job -o "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n1
}

# wait_jobs SECONDS ID...: waits until no job or array element of these is pending, running or
# completing. The limit only keeps a broken cluster from hanging the suite.
wait_jobs() {
    local limit=$1 deadline
    shift
    deadline=$((SECONDS + limit))
    while [ -n "$(squeue -h -j "$(
        IFS=,
        echo "$*"
    )" -t pending,running,completing,configuring,suspended -o %i 2>/dev/null)" ]; do
        [ "$SECONDS" -lt "$deadline" ] || {
            squeue -a >&2
            fail "jobs $* still queued or running after $limit s"
        }
        sleep 0.5
    done
}

# expect_completed ID...: every job, and every element of every array, ended COMPLETED.
expect_completed() {
    local id states
    for id in "$@"; do
        states=$(scontrol show job -o "$id" | sed -n 's/^JobId=\([0-9]*\).*JobState=\([A-Z_]*\).*/\1:\2/p')
        [ -n "$states" ] || fail "job $id unknown to the cluster"
        if grep -qv ':COMPLETED$' <<<"$states"; then
            fail "job $id did not complete: $(tr '\n' ' ' <<<"$states")"
        fi
    done
}

# same_bytes A B WHAT: the two files are identical.
same_bytes() {
    [ -s "$1" ] || fail "$3: $1 missing or empty"
    [ -s "$2" ] || fail "$3: $2 missing or empty"
    cmp "$1" "$2" >&2 || fail "$3: $2 differs from $1"
    note "$3: identical ($(stat -c %s "$1") bytes)"
}

# same_tree A B WHAT: two folders hold the same files with the same bytes (e.g. an atlas's maps,
# manifest and index from one machine and from an array plus its merge).
same_tree() {
    [ -d "$1" ] && [ -d "$2" ] || fail "$3: $1 or $2 is not a folder"
    diff -r "$1" "$2" >&2 || fail "$3: $2 differs from $1"
    note "$3: identical ($(find "$1" -type f | wc -l) files)"
}

# same_mbtiles A B WHAT: the same tiles and the same metadata, read through SQLite (choro writes a
# finished MBTiles in a fixed layout, so same_bytes holds as well; this says what differs if not).
same_mbtiles() {
    local q="SELECT zoom_level, tile_column, tile_row, hex(tile_data) FROM tiles ORDER BY 1, 2, 3;
             SELECT name, value FROM metadata ORDER BY name;"
    [ -s "$1" ] && [ -s "$2" ] || fail "$3: $1 or $2 missing or empty"
    cmp -s <(sqlite3 "$1" "$q") <(sqlite3 "$2" "$q") || fail "$3: tiles or metadata of $2 differ from $1"
    note "$3: same $(sqlite3 "$1" 'SELECT count(*) FROM tiles') tiles and metadata"
}

# Values for jobs/us-states.toml: every state FIPS code with a made-up count, so the test needs no
# `choro agreements` run (the numbers only have to be the same on both sides of a comparison).
states_values() {
    echo "state_fips,agreements"
    for f in 01 02 04 05 06 08 09 10 11 12 13 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 \
        33 34 35 36 37 38 39 40 41 42 44 45 46 47 48 49 50 51 53 54 55 56 60 66 69 72 78; do
        echo "$f,$(((10#$f * 37) % 23))"
    done
}

# The common settings of deploy/tiles-slurm.sh for the tests: the states map, small zooms.
tiles_env() {
    [ -f "$CHORO_SHARED_DATA/holdouts/documented_holdouts.csv" ] ||
        skip "no shared data at $CHORO_SHARED_DATA (the job's highlight file)"
    states_values >"$work/states.csv"
    export JOB=$CHORO_SOURCE_DIR/jobs/us-states.toml DATA=$CHORO_SHARED_DATA VALUES=$work/states.csv
    export CPUS=1 MEM=256M
}

# The flags deploy/tiles-slurm.sh gives `choro tiles`, for a one-machine run of the same pyramid.
one_machine_tiles() { # one_machine_tiles OUT
    # shellcheck disable=SC2086
    "$CHORO" tiles "$JOB" --data-dir "$DATA" --values "$VALUES" --zoom "$ZOOM" --threads 1 -q ${ARGS:-} -o "$1"
}

# submit_array SCRIPT: runs a deploy/*-slurm.sh script, which submits an array and its merge and
# prints "submitted array A (N tasks) and merge M"; sets ARRAY and MERGE to the two job ids.
submit_array() {
    local out
    out=$("$1") || fail "$1 failed"
    ARRAY=$(sed -n 's/^submitted array \([0-9]*\) .*/\1/p' <<<"$out")
    MERGE=$(sed -n 's/.* and merge \([0-9]*\)$/\1/p' <<<"$out")
    [ -n "$ARRAY" ] && [ -n "$MERGE" ] || fail "cannot read the job ids from: $out"
    note "$(head -n1 <<<"$out")"
}
