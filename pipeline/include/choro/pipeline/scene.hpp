#pragma once

#include <optional>
#include <string>
#include <vector>

#include "choro/geo/geometry.hpp"
#include "choro/geo/projection.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/legend.hpp"
#include "choro/styles/legend_format.hpp"
#include "choro/styles/palette.hpp"

/// @file
/// The scene: what one map shows, projected and coloured, as plain data. It is built once from
/// the prepared data and a projection; the print map (PNG, SVG, PDF), every tile of a pyramid and
/// every map of a batch draw from it, through the same drawing routines.

namespace choro::pipeline {

/// What a reader may want to know of a feature (labels, SVG attributes, vector tiles).
struct FeatureInfo {
    std::string key;
    std::string name;
    std::optional<double> value;
    styles::ClassId cls = styles::no_data_class;
};

/// A feature chosen for a place label (select_labels(), choro/pipeline/labels.hpp): what it says and
/// where it belongs. The drawer measures `text`, converts `anchor` to the page and places the
/// labels with geo::place_labels() (choro/geo/label_placement.hpp) in `priority` order.
struct LabelCandidate {
    std::size_t feature = 0;   ///< index into Scene::features / info
    std::string text;          ///< lines separated by '\n'
    geo::Projected anchor;     ///< the pole of inaccessibility of the feature's largest part
    double room = 0.0;         ///< distance from the anchor to the feature's edge (projected units):
                               ///< the label fits inside when its box fits a circle of this radius
    std::size_t priority = 0;  ///< 0 first: holdouts, then larger values, then roomier features
    bool highlighted = false;  ///< a holdout (highlighted or partial)
};

/// What a map shows. Geometry is projected; the drawer fits `bounds` into the map frame.
/// The per-feature vectors run parallel to `features` (shorter ones are tolerated: no data, not
/// highlighted, no info); the overlay ones parallel to `overlay`.
struct Scene {
    std::vector<geo::MultiPolygon<geo::Projected>> features;  ///< filled, thin shared borders
    std::vector<styles::Color> fills;                         ///< one per feature
    std::vector<bool> highlighted;                            ///< one per feature: hatch + strong outline
    std::vector<bool> partial;      ///< one per feature: a holdout agency where others hold agreements
    std::vector<FeatureInfo> info;  ///< one per feature (may be empty)
    std::vector<geo::MultiPolygon<geo::Projected>> overlay;  ///< heavier borders on top (states)
    std::vector<bool> overlay_highlighted;                   ///< one per overlay feature (state bans)
    std::vector<bool> overlay_enacted;                       ///< one per overlay feature: ban enacted, not yet in force
    std::vector<geo::Inset> insets;                          ///< frames to draw (composite projections)
    geo::Box<geo::Projected> bounds;                         ///< area to fit; empty = all geometry
    geo::MultiPolygon<geo::Projected> sphere;                ///< globe outline drawn under the data (may be empty)
    std::optional<styles::Color> water;                      ///< fill of `sphere`; none = outline only
    std::vector<geo::Ring<geo::Projected>> graticule;        ///< meridians and parallels, open lines
    std::vector<geo::MultiPolygon<geo::Projected>> context;  ///< neighbours drawn muted under the features (batch)

    std::string title;
    std::string subtitle;
    std::string legend_title;                ///< the job's, else the value column's name ("Count" with --count)
    std::vector<styles::LegendItem> legend;  ///< as data: drawn by the map, written into tile metadata
    styles::LegendLayout legend_layout = styles::LegendLayout::vertical;  ///< --legend-layout
    bool legend_histogram = false;       ///< --legend-histogram: draw LegendItem::count as bars
    styles::NumberStyle numbers;         ///< how the legend wrote its numbers (for any other number shown)
    std::vector<LabelCandidate> labels;  ///< place labels chosen by --labels, in priority order
    bool label_callouts = false;         ///< --label-callouts: pass to geo::PlacementOptions::callouts
    /// Place names carry their state ("Montgomery, MD"): the map's features are US counties (5-digit
    /// FIPS keys) of more than one state. Set by build_scene(); read by place_name() (labels.hpp).
    bool name_states = false;
    std::vector<std::string> notes;  ///< lines above the source note
    std::string source_note;
};

/// Projects the prepared data and assembles the scene. Notes from the job's notes file are read
/// here. With an extent (job.map.extent or extent_of) the features are clipped to it through a
/// projection built here and the map is framed on it; throws JobError naming --extent/--extent-of
/// and the value when a key matches no feature or no feature lies inside. Adds the sphere and
/// graticule the job asks for. Throws ProjectionError, InputError (notes file). O(vertices).
///
///     const auto data = choro::pipeline::prepare(job);
///     const auto scene = choro::pipeline::build_scene(data, job, choro::geo::Projection(job.map.projection));
///
/// `helper`, another Projection of the same spec, projects the second half of the features on a
/// thread of its own (same results: each Projection owns its PROJ context). Unused with an extent.
[[nodiscard]] Scene build_scene(const PreparedData& data,
                                const styles::Job& job,
                                const geo::Projection& projection,
                                const geo::Projection* helper = nullptr);

/// Adds the globe outline, water and graticule the job asks for to `scene`, and widens the frame
/// (scene.bounds) to the whole outline, or to the extent's outline when `framed`.
void add_furniture(Scene& scene, const styles::Job& job, const geo::Projection& projection, bool framed);

/// The box of every feature and overlay geometry of the scene (its `bounds` when set).
[[nodiscard]] geo::Box<geo::Projected> scene_bounds(const Scene& scene);

}  // namespace choro::pipeline
