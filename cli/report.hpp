#pragma once

#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "progress.hpp"

#include "choro/geo/projection.hpp"
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

struct JobFlags;

/// Refuses a job file that is not a regular file or is beyond geo::input_limits::max_job_bytes
/// (JobError naming it).
void check_job_file(const std::string& path);

/// Applies --min-match, --decimal, --thousands, --number-format, --delimiter, --format and
/// --max-memory to the job (JobError naming the flag for a bad value: 0, NaN and negative
/// included), and checks the texts (title, notes…) against geo::input_limits::max_text_bytes
/// (LimitError naming the setting).
void apply_robust_flags(const JobFlags& flags, styles::Job& job);

/// Peak bytes per pixel of `choro render -o map.png`: the ARGB canvas, its copy for encoding, the
/// palette image, the deflate buffers and Cairo's scratch. Measured with /usr/bin/time (maximum
/// resident set) on the national county map at 3000×3000 (206 MB) and 6000×6000 (576 MB):
/// 14.0 bytes per pixel beyond about 80 MB of libraries and data.
inline constexpr std::uint64_t raster_bytes_per_pixel = 14;

/// Bytes a raster map of `width` × `height` takes while it is drawn and encoded (the canvas, its
/// copy for encoding, the palette image and the compressed output, measured on the national map).
[[nodiscard]] std::uint64_t raster_memory_estimate(int width, int height);

/// Lets go of what `owner` holds without freeing it: for what a finished command would free just
/// before the process exits, which the OS takes back at once (freeing it one allocation at a time
/// took 10 ms on the national map). Sanitizer builds free it, so their leak check still sees all.
template <class T>
void leave_to_exit(std::unique_ptr<T> owner) {
#ifdef CHORO_SANITIZED
    owner.reset();
#else
    static_cast<void>(owner.release());  // NOLINT(bugprone-unused-return-value): deliberate
#endif
}

/// The map's projection and, when it was quick to build, a second one of the same spec (it
/// projects half the features beside the first).
using Projections = std::pair<std::unique_ptr<geo::Projection>, std::unique_ptr<geo::Projection>>;

/// Builds the projections on a thread of their own while the data is read and joined (each has
/// its own PROJ context, and the first loads PROJ itself); an error surfaces from get(), after the
/// data's. The second is built only when the first was quick (a CRS from PROJ pipeline strings:
/// 20-40 ms with PROJ's context set-up while the data is read; one looked up in PROJ's database
/// 140-200 ms, more than the projecting it halves).
[[nodiscard]] std::future<Projections> start_projections(const std::string& spec);

/// Tells glibc's malloc to keep what is freed instead of giving it back to the kernel, when
/// `threads` (0: every core) will allocate and free side by side: memory given back and taken
/// again comes back as the shared zero page, and the first write to each page then flushes the
/// TLBs of every core running the process. Measured on `choro tiles` W3 with two threads: system
/// time 344 → 160 ms, wall 1.06 → 0.93 s, the same peak memory; on one thread no change.
void keep_freed_memory(unsigned threads);

/// Writes `bytes` to standard output, checking the write and the flush (a full disk or a closed
/// pipe is a RenderError naming standard output and the system's reason).
void write_stdout(std::string_view bytes);

/// Refuses (LimitError naming --max-memory) a PNG output whose estimate is above the budget.
void check_canvas_memory(const styles::Job& job);

/// Refuses (RenderError naming both) any output, or join report beside one, whose path is one of
/// the job's inputs (the job file, boundaries and their shapefile parts, overlay, values,
/// highlight table, notes file), compared by file identity (hard links, symlinks, `..`).
void check_outputs_are_not_inputs(const styles::Job& job,
                                  const std::string& job_file,
                                  const std::vector<std::filesystem::path>& outputs);

/// For `choro tiles`: refuses outputs that are inputs, and a folder output whose path is an
/// existing regular file (RenderError naming it).
void check_tile_outputs(const styles::Job& job, const std::string& job_file);

/// `out/map.png` → `out/map.join.json`.
[[nodiscard]] std::filesystem::path join_report_path(const std::filesystem::path& output);

}  // namespace choro::cli
