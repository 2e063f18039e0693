#pragma once

#include <string>

namespace choro::cli {

/// Which part of a sharded run this process is: "--shard i/N" (`flag`), else a Kubernetes Indexed
/// Job (JOB_COMPLETION_INDEX of JOB_COMPLETIONS, which the manifest must set), else a Slurm array
/// (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), else 0 of 1. `choro tiles`
/// and `choro batch` read the same sources. Throws UsageError naming the flag or variable when the
/// value is not a number or not 0 <= i < N.
void resolve_shard(const std::string& flag, int& index, int& count);

}  // namespace choro::cli
