#pragma once

#include <span>
#include <string>
#include <vector>

#include "choro/pipeline/scene.hpp"
#include "choro/styles/job.hpp"

/// @file
/// Which features of a scene get a place label, what each says and where it belongs (issue 10).
/// Drawing-free: the drawer measures the text and places it (choro/geo/label_placement.hpp).

namespace choro::pipeline {

/// Features at most this many (non-empty) get labels by default ("all"); more (the national county
/// map) label only the holdouts.
inline constexpr std::size_t label_all_limit = 300;

/// The label candidates of `scene` under `settings` (--labels, --label-format):
/// - "none": none; "all": every feature with geometry; "holdouts": the highlighted and partial
///   features; "top:N": the N largest values; "KEY,KEY": those features (keys as in the
///   boundaries, compared case-insensitively); "" (automatic): "all" for at most label_all_limit
///   features, else "holdouts".
/// - Text: the template with {name} (the key when a feature has no name), {value} written in
///   `scene.numbers` (empty without a value) and {key}; features whose text is empty are skipped.
/// - Anchor: the pole of inaccessibility (geo::polylabel) of the feature's part with the deepest
///   pole, to 1/100 of the feature's larger side.
/// - Priority: holdouts first, then larger values, then roomier features, then the feature order;
///   the result is sorted by it and `priority` numbers it 0, 1, 2…
/// Throws JobError naming --labels for a key that matches no feature. O(k · v log v) for k labels.
///
///     scene.labels = choro::pipeline::select_labels(scene, job.labels);
[[nodiscard]] std::vector<LabelCandidate> select_labels(const Scene& scene, const styles::LabelSettings& settings);

/// The name readers see for feature `i`: its name (its key when it has none), followed by its
/// state's USPS abbreviation when `scene.name_states` and the key is a county FIPS code
/// ("Montgomery, MD"). "" for an index past the features' info.
///
///     const std::string name = choro::pipeline::place_name(scene, i);
[[nodiscard]] std::string place_name(const Scene& scene, std::size_t i);

/// True when the 5-digit county FIPS codes among `keys` name counties of more than one US state
/// (keys that are no county FIPS code are ignored). O(keys).
[[nodiscard]] bool spans_states(std::span<const std::string> keys);

}  // namespace choro::pipeline
