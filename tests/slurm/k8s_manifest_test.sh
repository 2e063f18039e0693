#!/usr/bin/env bash
# deploy/tiles-k8s-job.yaml, validated offline with kubectl (no cluster): kubectl creates it in a
# client-side dry run, every field is one the client's Kubernetes API types know, the Indexed Job
# sets the variables choro reads (k8s_validate in lib.sh), and the two Jobs' commands, run here as
# Kubernetes would run them, merge into the one-machine PMTiles.
# shellcheck source=tests/slurm/lib.sh
. "$(dirname "$0")/lib.sh"
k8s_start
manifest=${CHORO_K8S_MANIFEST:-$deploy/tiles-k8s-job.yaml}
k8s_validate "$manifest" choro-tiles
n=$(k8s_field choro-tiles completions)

# The pods' commands, here: choro for `choro`, the states map and small zooms for the data, this
# folder for /out. Pod i has JOB_COMPLETION_INDEX=i; then the merge Job's shell command.
tiles_env
mapfile -t args < <(k8s_field choro-tiles arg)
[ "${args[0]}" = choro ] && [ "${args[1]}" = tiles ] || fail "choro-tiles does not run choro tiles: ${args[*]}"
run=("$CHORO")
for ((i = 1; i < ${#args[@]}; i++)); do
    a=${args[i]}
    case "${args[i - 1]}" in
        --data-dir) a=$DATA ;;
        --values) a=$VALUES ;;
        --zoom) a=0-3 ;;
        *) case "$a" in *.toml) a=$JOB ;; /out/*) a=$work/out/${a#/out/} ;; esac ;;
    esac
    run+=("$a")
done
out=${run[-1]}
[ "${run[-2]}" = -o ] || fail "choro-tiles' command does not end with -o OUT"
for ((i = 0; i < n; i++)); do
    JOB_COMPLETION_INDEX=$i JOB_COMPLETIONS=$n "${run[@]}" -q || fail "pod $i failed"
done
mapfile -t merge < <(k8s_field choro-tiles-merge arg)
[ "${merge[0]}" = sh ] && [ "${merge[1]}" = -c ] || fail "choro-tiles-merge does not run sh -c: ${merge[*]}"
script=${merge[2]//\/out\//$work/out/}
sh -c "${script/#choro /$CHORO }" || fail "the merge Job's command failed: $script"

mkdir one
"${run[@]:0:${#run[@]}-1}" "one/$(basename "$out")" -q
same_bytes "one/$(basename "$out")" "$out" "PMTiles of the $n-pod Indexed Job and its merge against one run"
