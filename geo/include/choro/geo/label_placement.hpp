#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "choro/geo/geometry.hpp"

/// @file
/// Where place labels go on the page: a greedy solver that places labels in priority order, each at
/// the first candidate position that overlaps no label already placed and no obstacle (title,
/// legend, notes, insets). Pure computation on boxes: the caller measures the text (in page points,
/// or pixels: any unit, x right, y down) and draws the result.

namespace choro::geo {

/// One label to place.
struct LabelRequest {
    Pixel anchor;        ///< where it belongs (the feature's pole of inaccessibility, on the page)
    double width = 0.0;  ///< the label's box, measured by the caller (halo included)
    double height = 0.0;
    std::size_t priority = 0;  ///< lower goes first; ties keep the order of the requests
    /// The label fits inside its feature at the anchor (e.g. its box fits the feature's inscribed
    /// circle). With callouts on, a label that does not fit is only placed outside, with a leader.
    bool fits = true;
};

struct PlacementOptions {
    double gap = 1.0;                ///< space kept between a label and any other label or obstacle
    bool callouts = false;           ///< --label-callouts: try positions outside the feature, with a leader line
    double callout_distance = 14.0;  ///< from the anchor to the nearest edge of a callout's box
    Box<Pixel> frame;                ///< labels stay inside (the map area); empty = anywhere
};

/// Where one label went.
struct PlacedLabel {
    std::size_t request = 0;  ///< index into the requests
    Box<Pixel> box;           ///< the label's box on the page
    bool callout = false;
    Pixel leader_from;  ///< callouts: the leader line runs from the anchor…
    Pixel leader_to;    ///< …to the middle of the box's nearest side
};

/// The candidate boxes of a request, in the order they are tried: centred on the anchor, then
/// nudged by half the box above, below, right, left and to the four corners (labels that fit);
/// then, with callouts, outside at `callout_distance` to the right, left, above, below and the
/// four diagonals. A label that does not fit gets only the callout boxes when callouts are on.
[[nodiscard]] std::vector<PlacedLabel> label_positions(const LabelRequest& request,
                                                       std::size_t index,
                                                       const PlacementOptions& options);

/// Places the labels greedily by priority (then request order): each takes its first position
/// (label_positions()) that stays inside the frame and keeps `gap` from every obstacle and every
/// label placed before it, and whose leader (callouts) crosses no placed label or obstacle; a
/// label with no such position is left out. So no two placed boxes overlap, no box overlaps an
/// obstacle, and a label is only left out for the sake of labels ahead of it. Deterministic.
/// Returns the placed labels in placement order. O(n² · 16) box tests for n labels.
///
///     auto placed = choro::geo::place_labels(requests, {title_box, legend_box}, {.callouts = true});
[[nodiscard]] std::vector<PlacedLabel> place_labels(std::span<const LabelRequest> requests,
                                                    std::span<const Box<Pixel>> obstacles,
                                                    const PlacementOptions& options = {});

/// Whether two boxes overlap once `gap` is kept between them (touching at the gap is allowed).
[[nodiscard]] bool overlaps(const Box<Pixel>& a, const Box<Pixel>& b, double gap = 0.0) noexcept;

}  // namespace choro::geo
