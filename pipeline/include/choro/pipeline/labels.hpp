#pragma once

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

}  // namespace choro::pipeline
