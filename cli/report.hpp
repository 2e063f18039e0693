#pragma once

#include <filesystem>
#include <string>

#include "progress.hpp"

#include "choro/render/pipeline.hpp"
#include "choro/styles/job.hpp"

/// @file
/// What the commands that read data tell the user about it, the same way everywhere.

namespace choro::cli {

/// Runs render::prepare with stage lines, then prints every warning of the reader, the join
/// (summary) and the classification on stderr.
[[nodiscard]] render::PreparedData prepare_with_progress(const styles::Job& job, Progress& progress);

/// `out/map.png` → `out/map.join.json`.
[[nodiscard]] std::filesystem::path join_report_path(const std::filesystem::path& output);

}  // namespace choro::cli
