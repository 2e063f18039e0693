#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "choro/styles/job.hpp"

/// @file
/// The data and style flags every command shares (render, tiles, join, batch): the same flag
/// means the same thing everywhere. A job file gives the defaults; flags override it.

namespace choro::cli {

struct JobFlags {
    std::string job_file;
    std::string data_dir;
    // boundaries
    std::string boundaries, layer, key, name_field, srs;
    // overlay (e.g. state borders)
    std::string overlay, overlay_layer, overlay_key, overlay_srs;
    // values
    std::string values, sheet, values_key, value, duplicates;
    bool count = false;
    // highlight
    std::string highlight, highlight_key;
    std::string as_of;  ///< --as-of: the map's date for highlights
    // classification and style
    std::string method, breaks, zero, palette, projection;
    std::optional<int> classes;
    bool reverse_palette = false;  ///< --reverse-palette
    // layout
    std::string title, subtitle, source_note, legend_title, notes_file;
    std::vector<std::string> notes;
    std::optional<int> width, dpi;
    std::string height;  ///< pixels, or "auto" (the map's aspect)
    std::string layout;  ///< --layout wide|tall|square: common sizes
    // world maps: extent, globe outline, graticule
    std::string extent, extent_of, water;
    bool sphere = false;
    double graticule = 0.0;
    // outputs
    std::vector<std::string> outputs;
    bool no_cache = false;  // --no-cache: read boundaries through GDAL, bypassing the layer cache

    // how values are written, resource limits, standard output (issue 12)
    std::string min_match, decimal, thousands, number_format, delimiter, format, max_memory;

    // readable legends and place labels (issue 10)
    std::string legend_format, legend_layout, highlight_label, state_ban_label, labels, label_format;
    bool legend_histogram = false, label_callouts = false;

    CLI::Option* count_option = nullptr;
};

/// Adds the shared flags to a command. `with_outputs` adds -o/--out (commands with their own
/// output flag pass false).
void add_job_flags(CLI::App* cmd, JobFlags& flags, bool with_outputs = true);

/// The job file (if any) with the flags applied on top, {data} expanded, validated. A flag's value
/// is checked by the same code as the job file's (choro/styles/settings.hpp): a bad one is a
/// UsageError naming the flag (exit 2). Throws UsageError / JobError / LimitError.
[[nodiscard]] styles::Job make_job(const JobFlags& flags);

/// The data folder: --data-dir, else ../shared/data from the working directory or beside the
/// checkout the executable was built in; "" when none exists.
[[nodiscard]] std::string default_data_dir(const std::string& given);

/// "a, b,,c" → {"a", "b", "c"}: a comma-separated flag value, items trimmed of spaces, empty ones dropped.
[[nodiscard]] std::vector<std::string> split_list(const std::string& text);

}  // namespace choro::cli
