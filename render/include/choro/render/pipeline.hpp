#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "choro/geo/join.hpp"
#include "choro/geo/layer.hpp"
#include "choro/geo/projection.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/highlight.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/legend.hpp"

/// @file
/// The pipeline of a job, stage by stage: read → join → classify → (project → draw).
/// Commands call these; they print nothing.

namespace choro::render {

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
};

/// Reads, joins, classifies and resolves highlights. Throws InputError / JobError.
[[nodiscard]] PreparedData prepare(const styles::Job& job);

/// Projects the prepared data and assembles the scene to draw. With an extent (job.map.extent or
/// extent_of) the features are clipped to it through a projection built here and the map is framed
/// on it; throws JobError naming --extent/--extent-of and the value when a key matches no feature
/// or no feature lies inside. Adds the sphere and graticule when the job asks for them.
[[nodiscard]] MapScene build_scene(const PreparedData& data, const styles::Job& job, const geo::Projection& projection);

/// Adds the globe outline, water and graticule the job asks for to `scene`, and widens the frame
/// (scene.bounds) to the whole outline, or to the extent's outline when `framed`.
void add_furniture(MapScene& scene, const styles::Job& job, const geo::Projection& projection, bool framed);

}  // namespace choro::render
