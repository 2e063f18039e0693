#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2016  # `test && test || fail` is meant; the Go template is no shell
# deploy/tiles-k8s-job.yaml, validated offline with kubectl (no cluster): every field is one the
# client's Kubernetes API types know, the Indexed Job sets the variables choro reads, and the two
# Jobs' commands, run here as Kubernetes would run them, merge into the one-machine PMTiles.
# (`kubectl create --dry-run=client` needs a server to map kinds; `kubectl set env --local` decodes
# the manifest with the same built-in types and needs none.)
# shellcheck source=tests/slurm/lib.sh
. "$(dirname "$0")/lib.sh"
kubectl=$(command -v kubectl) || skip "no kubectl (scripts/setup --with-slurm installs Debian's kubernetes-client)"
work_start
manifest=${CHORO_K8S_MANIFEST:-$deploy/tiles-k8s-job.yaml}
# No cluster, no kubeconfig of the user's: kubectl must not reach anything.
export HOME=$work KUBECONFIG=$work/kubeconfig
: >"$KUBECONFIG"
minor=$("$kubectl" version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p')
note "kubectl client 1.${minor:-?} ($kubectl)"

# 1. Decoded through the client's API types (unknown fields are dropped, wrong types refused).
"$kubectl" set env --local -f "$manifest" -e CHORO_CHECK=1 -o yaml >decoded.yaml 2>err.txt ||
    fail "kubectl cannot decode $manifest: $(cat err.txt)"
keys() { # the mapping keys of a YAML file, block or flow style, comments left out
    sed 's/#.*//' "$1" | grep -oE '(^[ -]*|[{,] *)[A-Za-z][A-Za-z0-9]*:( |$)' |
        sed -E 's/^[ {,-]*//; s/: ?$//' | sort -u
}
dropped=$(comm -23 <(keys "$manifest") <(keys decoded.yaml) | tr '\n' ' ')
if [ "$dropped" = "completionMode " ] && [ "${minor:-99}" -lt 21 ]; then
    note "kubectl 1.$minor predates Indexed Jobs (Kubernetes 1.21): spec.completionMode checked as text only"
    grep -q '^  completionMode: Indexed$' "$manifest" || fail "choro-tiles is not an Indexed Job"
elif [ -n "$dropped" ]; then
    fail "fields unknown to kubectl's API types (misspelt or misplaced?): $dropped"
fi

# 2. What each Job runs and sets, as kubectl reads it.
tmpl='{{$j := .metadata.name}}{{$j}} completions {{.spec.completions}}{{"\n"}}'
tmpl+='{{$j}} mode {{.spec.completionMode}}{{"\n"}}{{range .spec.template.spec.containers}}'
tmpl+='{{range .command}}{{$j}} arg {{.}}{{"\n"}}{{end}}{{range .env}}{{$j}} env {{.name}}={{.value}}{{"\n"}}{{end}}{{end}}'
"$kubectl" set env --local -f "$manifest" -e CHORO_CHECK=1 -o go-template="$tmpl" >jobs.txt
field() { grep -v " env CHORO_CHECK=1$" jobs.txt | sed -n "s/^$1 $2 //p"; }
n=$(field choro-tiles completions)
[ -n "$n" ] && [ "$n" -gt 1 ] || fail "choro-tiles has no completions > 1"
mode=$(field choro-tiles mode)
[ "$mode" = Indexed ] || [ "$mode" = "<no value>" ] || fail "choro-tiles completionMode is '$mode', not Indexed"
# Kubernetes gives each pod of an Indexed Job JOB_COMPLETION_INDEX; the count comes from the manifest.
[ "$(field choro-tiles env)" = "JOB_COMPLETIONS=$n" ] ||
    fail "choro-tiles must set exactly JOB_COMPLETIONS=$n (its completions), not: $(field choro-tiles env)"

# 3. The pods' commands, here: choro for `choro`, the states map and small zooms for the data,
# this folder for /out. Pod i has JOB_COMPLETION_INDEX=i; then the merge Job's shell command.
tiles_env
mapfile -t args < <(field choro-tiles arg)
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
mapfile -t merge < <(field choro-tiles-merge arg)
[ "${merge[0]}" = sh ] && [ "${merge[1]}" = -c ] || fail "choro-tiles-merge does not run sh -c: ${merge[*]}"
script=${merge[2]//\/out\//$work/out/}
sh -c "${script/#choro /$CHORO }" || fail "the merge Job's command failed: $script"

mkdir one
"${run[@]:0:${#run[@]}-1}" "one/$(basename "$out")" -q
same_bytes "one/$(basename "$out")" "$out" "PMTiles of the $n-pod Indexed Job and its merge against one run"
