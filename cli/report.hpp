#pragma once

#include <filesystem>
#include <string>

#include "progress.hpp"

#include "choro/pipeline/prepare.hpp"
#include "choro/styles/job.hpp"

/// @file
/// What the commands that read data tell the user about it, the same way everywhere.

namespace choro::cli {

/// Runs pipeline::prepare with stage lines, then prints every warning of the reader, the join
/// (summary) and the classification on stderr.
[[nodiscard]] pipeline::PreparedData prepare_with_progress(const styles::Job& job, Progress& progress);

/// Runs pipeline::join_values (no classification, no highlights) with stage lines, then prints the
/// reader's and the join's warnings and the join summary on stderr.
[[nodiscard]] pipeline::JoinedData join_with_progress(const styles::Job& job, Progress& progress);

/// `out/map.png` → `out/map.join.json`.
[[nodiscard]] std::filesystem::path join_report_path(const std::filesystem::path& output);

}  // namespace choro::cli
