#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "choro/geo/clip.hpp"
#include "choro/geo/geometry.hpp"
#include "choro/geo/layer.hpp"
#include "choro/geo/projection.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/job.hpp"

/// @file
/// `choro batch`: one map per group of features (per state, per county…), each projected for its
/// own extent, framed on it, with its neighbours muted around it. Nothing here draws or prints; the
/// scenes go to render::render_map like any other.

namespace choro::pipeline {

/// One map of a batch: the features sharing a value of the grouping field.
struct Group {
    std::string key;                    ///< the field's value ("48" for Texas with `--by state`)
    std::string abbr;                   ///< short name for file names ("TX"); the key when no state
    std::string name;                   ///< display name ("Texas")
    std::vector<std::size_t> features;  ///< indices into the layer, in layer order
};

/// Splits a layer into groups, sorted by key. `by` names a boundary field (exact, else
/// case-insensitive); "state" also works without one, from the first two digits of 5-digit keys
/// (US county FIPS), and "county" (or "key") makes each feature its own group. State groups get
/// their USPS abbreviation and Census name (geo/us_states.hpp). Features with no value are in no
/// group. Throws JobError naming `--by` and listing the layer's fields when there is no such field.
/// O(features).
///
///     const auto groups = choro::pipeline::group_features(data.layer, "state");
[[nodiscard]] std::vector<Group> group_features(const geo::Layer& layer, const std::string& by);

/// The groups named in `only` (all when empty) minus those in `except`; a name is a key, an
/// abbreviation or a name (case-insensitive; "6" finds "06"). Throws JobError naming --only or
/// --except and the value when one names no group.
[[nodiscard]] std::vector<Group> select_groups(std::vector<Group> groups,
                                               const std::vector<std::string>& only,
                                               const std::vector<std::string>& except);

/// The lon/lat box around some features of a layer, crossing 180° when their widest gap of
/// longitude does (the Aleutians and the rest of Alaska give one box, 172° E to 130° W). No margin.
[[nodiscard]] geo::Extent features_extent(const geo::Layer& layer, const std::vector<std::size_t>& features);

/// An Albers equal-area conic fitted to `extent` on WGS 84, as a PROJ string: standard parallels
/// at 1/6 and 5/6 of its latitude span, central meridian and latitude of origin at its centre
/// (a Lambert azimuthal equal-area for an extent centred on the equator, where the conic degenerates).
[[nodiscard]] std::string fitted_conic(const geo::Extent& extent);

/// How the maps of a batch are made (from [batch] in the job and the flags).
struct BatchOptions {
    std::string projection = "auto";                               ///< "auto" (fitted conic) or one spec for every map
    std::vector<std::pair<std::string, std::string>> projections;  ///< group → spec overrides
    bool per_map_breaks = false;                                   ///< else one scale for all maps
    bool context = true;                                           ///< neighbours drawn muted
    std::vector<std::string> totals;                               ///< further columns summed in subtitles
    std::string noun = "counties";                                 ///< what a feature is, plural
};

/// Figures of one map (for its subtitle and the manifest).
struct GroupTotals {
    std::size_t features = 0;                           ///< in the group
    std::size_t with_value = 0;                         ///< joined to a value
    std::size_t above_zero = 0;                         ///< value > 0
    double total = 0.0;                                 ///< sum of values
    std::vector<std::pair<std::string, double>> extra;  ///< BatchOptions::totals, summed
    std::vector<std::string> holdouts;                  ///< names of highlighted features
};

/// One map of a batch, ready to draw.
struct GroupMap {
    Scene scene;
    std::string projection;  ///< the spec it was projected with
    styles::Breaks breaks;   ///< the scale it shows (global or its own), counts for this group
    GroupTotals totals;
    bool one_class = false;  ///< all values missing or equal: a one-class map with a note
};

/// The data of a batch: the prepared data, the groups, and what every map shares (feature boxes,
/// further columns). Build once; build(i) may then run on several threads at once.
class Batch {
public:
    /// Reads the further value columns of `options.totals` (the job's value table, joined as the
    /// main column is). Keeps a reference to `data` and `job`: they must outlive the Batch.
    /// Throws InputError for a missing column.
    Batch(const PreparedData& data, const styles::Job& job, std::vector<Group> groups, BatchOptions options);

    [[nodiscard]] const std::vector<Group>& groups() const noexcept { return m_groups; }

    /// The projection spec of group `i`: an override, the batch's, or the fitted conic.
    [[nodiscard]] std::string projection_of(std::size_t i) const;

    /// Builds map `i`: projects its features, its neighbours (muted, unless options.context is
    /// off) and the overlay around it with its own projection, frames it with a margin, classifies
    /// (per-map breaks or the global ones, recounted), and writes title (name and job title),
    /// subtitle (totals), notes (holdouts, one-class note) and legend. Thread-safe (each call
    /// builds its own PROJ objects). Throws ProjectionError, JobError, InputError (notes file).
    [[nodiscard]] GroupMap build(std::size_t i) const;

private:
    /// Frames `map` on its group's features with a margin and adds the neighbours (muted context)
    /// whose boxes meet `around`. Throws ProjectionError when no feature of the group projects.
    void frame_with_context(GroupMap& map,
                            const Group& g,
                            const geo::Projection& projection,
                            const geo::Extent& around) const;

    const PreparedData& m_data;
    const styles::Job& m_job;
    std::vector<Group> m_groups;
    BatchOptions m_options;
    std::vector<geo::Box<geo::LonLat>> m_boxes;          ///< per feature
    std::vector<geo::Box<geo::LonLat>> m_overlay_boxes;  ///< per overlay feature
    std::vector<std::vector<std::optional<double>>> m_extra;
};

/// XXH3-128 (hex) of everything a drawn map depends on: the scene's geometry, colours, marks and
/// texts, the style, the size, the format and choro's version (an upgrade draws every map again).
/// Two equal fingerprints draw the same file.
[[nodiscard]] std::string scene_fingerprint(
    const Scene& scene, const styles::StyleSettings& style, int width, int height, int dpi, const std::string& format);

/// As above, with the version of choro given (the one above passes this build's).
[[nodiscard]] std::string scene_fingerprint(const Scene& scene,
                                            const styles::StyleSettings& style,
                                            int width,
                                            int height,
                                            int dpi,
                                            const std::string& format,
                                            std::string_view version);

}  // namespace choro::pipeline
