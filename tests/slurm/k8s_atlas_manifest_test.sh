#!/usr/bin/env bash
# deploy/atlas-k8s-job.yaml, validated offline with kubectl (no cluster) as the tiles manifest is
# (k8s_validate in lib.sh), the merge Job taking the pods' job and flags; then, once choro has a
# batch command, the pods' and the merge Job's shell commands run here as Kubernetes would run them (pod i with JOB_COMPLETION_INDEX=i, a few
# states only) and give the atlas of a one-machine `choro batch`.
# shellcheck source=tests/slurm/lib.sh
. "$(dirname "$0")/lib.sh"
k8s_start
manifest=${CHORO_K8S_MANIFEST:-$deploy/atlas-k8s-job.yaml}
k8s_validate "$manifest" choro-atlas
n=$(k8s_field choro-atlas completions)
mapfile -t pod < <(k8s_field choro-atlas arg)
mapfile -t merge < <(k8s_field choro-atlas-merge arg)
[ "${pod[0]}" = sh ] && [ "${pod[1]}" = -c ] && [ "${merge[0]}" = sh ] && [ "${merge[1]}" = -c ] ||
    fail "the atlas Jobs do not run sh -c: ${pod[*]} / ${merge[*]}"
grep -qE '^exec choro batch .* -o /out/[^ ]*\$JOB_COMPLETION_INDEX$' <<<"${pod[2]}" ||
    fail "choro-atlas must exec choro batch into a part folder named by \$JOB_COMPLETION_INDEX: ${pod[2]}"
grep -qE '^choro batch .* --merge-manifests /out/' <<<"${merge[2]}" ||
    fail "choro-atlas-merge must run choro batch JOB ... --merge-manifests: ${merge[2]}"
pod_flags=${pod[2]#exec }
[ "${merge[2]%% --merge-manifests *}" = "${pod_flags%% -o *}" ] ||
    fail "choro-atlas-merge must take the pods' job and flags (it draws atlas.pdf): ${merge[2]}"
has_batch || skip "manifest valid; this choro has no batch command yet, so its commands were not run"

# Here: choro for `choro`, the counties job with made-up values, this folder for /out and /data,
# seven states so the pods share little work.
counties_env
local_cmd() { # the Job's shell command with this machine's paths
    local s=$1
    s=${s//\/out\/agreements\/counties.csv/$VALUES}
    s=${s//jobs\/us-counties.toml/$JOB}
    s=${s//--data-dir \/data/--data-dir $DATA}
    s=${s//\/out\//$work/out/}
    s=${s//choro batch/$CHORO batch}
    echo "${s/ -o / --only CA,TX,AK,ME,OH,DC,RI -q -o }"
}
pod_cmd=$(local_cmd "${pod[2]}")
merge_cmd=$(local_cmd "${merge[2]}")
mkdir -p out one
for ((i = 0; i < n; i++)); do
    JOB_COMPLETION_INDEX=$i JOB_COMPLETIONS=$n sh -c "$pod_cmd" || fail "pod $i failed: $pod_cmd"
done
sh -c "$merge_cmd" || fail "the merge Job's command failed: $merge_cmd"
atlas=${merge_cmd##* -o }
sh -c "${pod_cmd% -o *} -o $work/one/atlas" || fail "the one-machine batch failed"
same_atlas one/atlas "$atlas" "atlas of the $n-pod Indexed Job and its merge against one run"
