#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "choro/pipeline/scene.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/job.hpp"

/// @file
/// The files beside every drawn map (issue 10): `<name>.alt.txt` (the alt text, also embedded in
/// the map) and `<name>.data.csv` (the features shown, with key, name, value and class). One code
/// path for `choro render` and `choro batch`.

namespace choro::cli {

/// What a map says in words and as a table (render::alt_text, render::data_csv).
struct MapWords {
    std::string alt;
    std::string table;
};

/// The alt text and data table of `scene` dated `as_of` (the job's --as-of; may be empty).
[[nodiscard]] MapWords describe_map(const pipeline::Scene& scene, const std::string& as_of);

/// `<name>.alt.txt` / `<name>.data.csv` beside an output (`extension` with its dot).
[[nodiscard]] std::filesystem::path companion_path(const std::filesystem::path& output, const char* extension);

/// Writes the alt text and the data table beside `output` (atomically). Throws RenderError.
void write_companions(const std::filesystem::path& output, const MapWords& words);

/// A batch map's companions: writes them beside `dir / rel` (its first file) and adds them to
/// the manifest entry's `files` with formats "alt" and "csv", their xxh3 and the scene's
/// fingerprint for that format (so a merge checks them as it checks the maps). Throws RenderError.
void add_batch_companions(nlohmann::ordered_json& files,
                          const std::filesystem::path& dir,
                          const std::string& rel,
                          const MapWords& words,
                          const pipeline::Scene& scene,
                          const styles::StyleSettings& style,
                          const render::MapSize& size);

}  // namespace choro::cli
