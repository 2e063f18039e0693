// The shard of a run, from --shard or the scheduler's environment (shard.hpp).

#include "shard.hpp"

#include <climits>
#include <cstdlib>
#include <string>

#include "choro/styles/settings.hpp"

namespace choro::cli {

namespace {

[[noreturn]] void bad_flag(const std::string& flag, const std::string& what) {
    styles::bad_setting(styles::Origin::of_flag(flag), what);
}

int parse_int(const std::string& flag, const std::string& text) {
    return static_cast<int>(styles::parse_int(text, {INT_MIN, INT_MAX, false}, styles::Origin::of_flag(flag)));
}

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

}  // namespace

void resolve_shard(const std::string& flag, int& index, int& count) {
    index = 0;
    count = 1;
    std::string where = "--shard";
    if (!flag.empty()) {
        const auto slash = flag.find('/');
        if (slash == std::string::npos) {
            bad_flag(where, "'" + flag + "' is not i/N");
        }
        index = parse_int(where, flag.substr(0, slash));
        count = parse_int(where, flag.substr(slash + 1));
    } else if (!env("JOB_COMPLETION_INDEX").empty()) {
        where = "JOB_COMPLETION_INDEX";
        index = parse_int(where, env("JOB_COMPLETION_INDEX"));
        if (env("JOB_COMPLETIONS").empty()) {
            bad_flag(where, "set JOB_COMPLETIONS to the Job's completions in the manifest");
        }
        count = parse_int("JOB_COMPLETIONS", env("JOB_COMPLETIONS"));
    } else if (!env("SLURM_ARRAY_TASK_ID").empty()) {
        where = "SLURM_ARRAY_TASK_ID";
        const int min =
            env("SLURM_ARRAY_TASK_MIN").empty() ? 0 : parse_int("SLURM_ARRAY_TASK_MIN", env("SLURM_ARRAY_TASK_MIN"));
        index = parse_int(where, env("SLURM_ARRAY_TASK_ID")) - min;
        count = parse_int("SLURM_ARRAY_TASK_COUNT", env("SLURM_ARRAY_TASK_COUNT"));
    }
    if (count < 1 || index < 0 || index >= count) {
        bad_flag(where, "shard " + std::to_string(index) + "/" + std::to_string(count) + " is not 0 <= i < N");
    }
}

}  // namespace choro::cli
