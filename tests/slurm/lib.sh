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
stub_pid=""

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
    [ -z "$stub_pid" ] || kill "$stub_pid" 2>/dev/null
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

# same_atlas A B WHAT: two atlases (choro batch folders) hold the same files, every one byte for
# byte, atlas.pdf (which both must have) included: the merge draws it as one machine does.
same_atlas() {
    local maps f
    [ -d "$1" ] && [ -d "$2" ] || fail "$3: $1 or $2 is not a folder"
    for f in manifest.json index.html atlas.pdf; do
        same_bytes "$1/$f" "$2/$f" "$3, $f"
    done
    [ "$(cd "$1" && find . -type f | sort)" = "$(cd "$2" && find . -type f | sort)" ] ||
        fail "$3: $2 holds other files than $1"
    diff -r "$1" "$2" >&2 || fail "$3: $2 differs from $1"
    maps=$(find "$1" -name '*.png' | wc -l)
    note "$3: $maps maps, manifest.json, index.html and atlas.pdf ($(pdfinfo "$1/atlas.pdf" |
        sed -n 's/^Pages: *//p') pages) identical"
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

# Values for jobs/us-counties.toml: every county of us-atlas with a made-up count (0 to 9), and the
# settings of deploy/atlas-slurm.sh for that job (the atlas of state maps of counties).
counties_env() {
    [ -f "$CHORO_SHARED_DATA/holdouts/documented_holdouts.csv" ] ||
        skip "no shared data at $CHORO_SHARED_DATA (the job's highlight file)"
    local atlas=$CHORO_SOURCE_DIR/data/downloads/us-atlas-3.0.1/counties-10m.json
    [ -f "$atlas" ] || skip "no $atlas (scripts/setup downloads us-atlas)"
    python3 - "$atlas" >"$work/counties.csv" <<'PY'
import json, sys
ids = sorted(g["id"] for g in json.load(open(sys.argv[1]))["objects"]["counties"]["geometries"])
print("county_fips,agreements")
for i in ids:
    print(f"{i},{int(i) * 37 % 10}")
PY
    export JOB=$CHORO_SOURCE_DIR/jobs/us-counties.toml DATA=$CHORO_SHARED_DATA VALUES=$work/counties.csv
    export CPUS=1 MEM=512M
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

# True when this choro has the batch command (the atlas).
has_batch() { "$CHORO" --help 2>/dev/null | grep -qE '^ +batch +'; }

# ---- Kubernetes, offline -------------------------------------------------------------------------

# k8s_start: work_start, then a kubeconfig of our own naming a stub API server on 127.0.0.1
# (k8s_stub.py: API discovery only), so `kubectl create --dry-run=client` can map the manifest's
# kinds. No cluster, no kubeconfig of the user's: kubectl reaches nothing else.
k8s_start() {
    kubectl=$(command -v kubectl) || skip "no kubectl (scripts/setup --with-slurm installs Debian's kubernetes-client)"
    command -v python3 >/dev/null || skip "no python3 for the stub API server"
    work_start
    export HOME=$work KUBECONFIG=$work/kubeconfig
    python3 "$CHORO_SOURCE_DIR/tests/slurm/k8s_stub.py" >"$work/stub.port" 2>"$work/stub.log" &
    stub_pid=$!
    local i
    for ((i = 0; i < 100; i++)); do
        [ -s "$work/stub.port" ] && break
        sleep 0.1
    done
    [ -s "$work/stub.port" ] || fail "the stub API server did not start: $(cat "$work/stub.log")"
    printf '%s\n' "apiVersion: v1" "kind: Config" \
        "clusters: [{name: stub, cluster: {server: \"http://127.0.0.1:$(cat "$work/stub.port")\"}}]" \
        "contexts: [{name: stub, context: {cluster: stub, namespace: default}}]" \
        "current-context: stub" >"$KUBECONFIG"
    k8s_minor=$("$kubectl" version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p')
    note "kubectl client 1.${k8s_minor:-?} ($kubectl)"
}

# The environment variables choro reads for its shard, from the sources of its CLI.
choro_reads_env() {
    grep -ohE '"(JOB|SLURM)_[A-Z_]+"' "$CHORO_SOURCE_DIR"/cli/*.cpp | tr -d '"' | sort -u
}

# k8s_validate MANIFEST INDEXED_JOB: the manifest checked offline, three ways. Leaves jobs.txt
# (lines "JOB completions N", "JOB mode M", "JOB arg A", "JOB env K=V"), read with k8s_field.
#  1. `kubectl create --dry-run=client --validate=false -o yaml`: kubectl takes every document as
#     a batch/v1 Job it would create (nothing is sent: the stub refuses and logs any write);
#  2. decoded through the client's typed API (`kubectl set env --local`): no field dropped as
#     unknown (misspelt or misplaced), none of the wrong type;
#  3. the Indexed Job sets only variables choro reads, and JOB_COMPLETIONS equal to its completions.
k8s_validate() {
    local manifest=$1 indexed=$2 dropped n mode names unread tmpl jobs
    [ -f "$manifest" ] || fail "no manifest $manifest"
    "$kubectl" create --dry-run=client --validate=false -o yaml -f "$manifest" >created.yaml 2>err.txt ||
        fail "kubectl create --dry-run=client refuses $manifest: $(cat err.txt)"
    ! grep -q REFUSED "$work/stub.log" || fail "kubectl tried to write to the API server: $(cat "$work/stub.log")"
    jobs=$(grep -c '^kind: Job$' "$manifest")
    [ "$(grep -c '^kind: Job$' created.yaml)" = "$jobs" ] && grep -q "^  name: $indexed\$" created.yaml ||
        fail "kubectl create did not take the $jobs Jobs of $manifest: $(cat created.yaml err.txt)"
    note "kubectl create --dry-run=client --validate=false: $jobs Jobs of $(basename "$manifest")"
    # The two steps, as the manifest's comment runs them: the label picks the Indexed Job, then the merge.
    [ "$("$kubectl" create --dry-run=client --validate=false -o name -l choro-step=render -f "$manifest")" = \
        "job.batch/$indexed" ] || fail "-l choro-step=render does not pick exactly job $indexed"
    [ "$("$kubectl" create --dry-run=client --validate=false -o name -l choro-step=merge -f "$manifest")" = \
        "job.batch/$indexed-merge" ] || fail "-l choro-step=merge does not pick exactly job $indexed-merge"

    "$kubectl" set env --local -f "$manifest" -e CHORO_CHECK=1 -o yaml >decoded.yaml 2>err.txt ||
        fail "kubectl cannot decode $manifest: $(cat err.txt)"
    dropped=$(comm -23 <(yaml_keys "$manifest") <(yaml_keys decoded.yaml) | tr '\n' ' ')
    if [ "$dropped" = "completionMode " ] && [ "${k8s_minor:-99}" -lt 21 ]; then
        note "kubectl 1.$k8s_minor predates Indexed Jobs (Kubernetes 1.21): spec.completionMode checked as text only"
        grep -q '^  completionMode: Indexed$' "$manifest" || fail "$indexed is not an Indexed Job"
    elif [ -n "$dropped" ]; then
        fail "fields unknown to kubectl's API types (misspelt or misplaced?): $dropped"
    fi

    tmpl='{{$j := .metadata.name}}{{$j}} completions {{.spec.completions}}{{"\n"}}'
    tmpl+='{{$j}} mode {{.spec.completionMode}}{{"\n"}}{{range .spec.template.spec.containers}}'
    tmpl+='{{range .command}}{{$j}} arg {{.}}{{"\n"}}{{end}}{{range .env}}{{$j}} env {{.name}}={{.value}}{{"\n"}}{{end}}{{end}}'
    "$kubectl" set env --local -f "$manifest" -e CHORO_CHECK=1 -o go-template="$tmpl" >jobs.txt
    n=$(k8s_field "$indexed" completions)
    [ -n "$n" ] && [ "$n" -gt 1 ] || fail "$indexed has no completions > 1"
    mode=$(k8s_field "$indexed" mode)
    [ "$mode" = Indexed ] || [ "$mode" = "<no value>" ] || fail "$indexed completionMode is '$mode', not Indexed"
    # Kubernetes gives each pod of an Indexed Job JOB_COMPLETION_INDEX; the manifest sets the rest.
    choro_reads_env | grep -qx JOB_COMPLETION_INDEX || fail "choro's CLI reads no JOB_COMPLETION_INDEX"
    names=$(k8s_field "$indexed" env | sed 's/=.*//' | sort -u)
    unread=$(comm -23 <(echo "$names") <(choro_reads_env) | tr '\n' ' ')
    [ -z "${unread// /}" ] ||
        fail "$indexed sets variables choro does not read: $unread(it reads: $(choro_reads_env | tr '\n' ' '))"
    [ "$(k8s_field "$indexed" env)" = "JOB_COMPLETIONS=$n" ] ||
        fail "$indexed must set exactly JOB_COMPLETIONS=$n (its completions), not: $(k8s_field "$indexed" env)"
    note "$indexed: an Indexed Job of $n pods setting JOB_COMPLETIONS=$n, read by choro with JOB_COMPLETION_INDEX"
}

# The mapping keys of a YAML file, block or flow style, comments left out.
yaml_keys() {
    sed 's/#.*//' "$1" | grep -oE '(^[ -]*|[{,] *)[A-Za-z][A-Za-z0-9]*:( |$)' |
        sed -E 's/^[ {,-]*//; s/: ?$//' | sort -u
}

# k8s_field JOB WHAT: one setting of a Job, from the jobs.txt of k8s_validate.
k8s_field() { grep -v " env CHORO_CHECK=1$" jobs.txt | sed -n "s/^$1 $2 //p"; }
