#pragma once

#include <optional>
#include <string>
#include <vector>

#include "choro/geo/join.hpp"
#include "choro/geo/layer.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/highlight.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/legend.hpp"

/// @file
/// The data stages of a run: read → join → classify → highlights. Every command that draws
/// (render, tiles, batch) starts from prepare(); `choro join` stops after join_values().
/// Nothing here projects or draws, and nothing prints.

namespace choro::pipeline {

/// The boundaries (and overlay) of a job, read and the values joined to them.
struct JoinedData {
    geo::Layer layer;
    std::optional<geo::Layer> overlay;
    geo::JoinResult join;  ///< values[i] belongs to layer.features[i]
};

/// Everything known about a job's data before projection: shared by maps, tiles and batches.
struct PreparedData {
    geo::Layer layer;
    std::optional<geo::Layer> overlay;
    geo::JoinResult join;
    styles::Breaks breaks;
    styles::ClassColors colors;
    std::vector<styles::ClassId> classes;  ///< one per feature
    styles::Highlights highlights;
    std::vector<styles::LegendItem> legend;
    styles::NumberStyle numbers;  ///< how the legend writes the values (--legend-format and the data)
};

/// Reads one boundary source of a job ({data} expanded), through the prepared-layer cache in
/// `cache_dir` when it is not empty (geo/layer_cache.hpp). Throws InputError.
[[nodiscard]] geo::Layer read_boundaries(const styles::BoundarySource& source,
                                         const std::string& data_dir,
                                         const std::string& cache_dir = {});

/// Reads the boundaries, the overlay and the value table, and joins them. A job without a value
/// table gives every feature no value. Throws InputError.
[[nodiscard]] JoinedData join_values(const styles::Job& job);

/// The job's value table ([values] source, sheet, delimiter), read as join_values() reads it.
/// Throws InputError.
[[nodiscard]] geo::Table read_value_table(const styles::Job& job);

/// How join_values() joins `column` of the value table to the boundaries (key, duplicates, number
/// format, count, min-match from the job).
[[nodiscard]] geo::JoinOptions value_join_options(const styles::Job& job, const std::string& column);

/// join_values(), then classifies the values, resolves the highlights and builds the legend.
/// Throws InputError / JobError.
[[nodiscard]] PreparedData prepare(const styles::Job& job);

}  // namespace choro::pipeline
