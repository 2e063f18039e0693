#pragma once

#include "choro/geo/geometry.hpp"

/// @file
/// The pole of inaccessibility of a polygon: the interior point farthest from its edges, where a
/// place label sits best (V. Agafonkin's "polylabel" algorithm, Mapbox 2016: a quadtree of cells
/// searched best-first by the distance they could still reach).

namespace choro::geo {

/// A point and its distance to the nearest edge (the radius of the largest circle centred there
/// that stays inside the polygon).
template <class P>
struct Pole {
    P point;
    double distance = 0.0;
};

/// The pole of inaccessibility of `polygon` (ring 0 the exterior, the others holes) to within
/// `precision` (in the polygon's units): the result's distance is at most `precision` below the
/// best possible. A degenerate polygon (no area, fewer than 3 points) gives its box's corner and
/// distance 0; an empty one gives {0, 0} and 0. Points on the edge count as outside.
/// O(v · c) for v vertices and c cells visited (about (size / precision)·log of it, in practice a few hundred).
///
///     const auto pole = choro::geo::polylabel(polygon, 1000.0);  // 1 km in a metric projection
template <class P>
[[nodiscard]] Pole<P> polylabel(const Polygon<P>& polygon, double precision);

/// The pole of the polygon of `shape` with the farthest pole (usually the largest part), and the
/// index of that polygon; an empty multipolygon gives index 0 and a zero pole.
template <class P>
struct MultiPole {
    Pole<P> pole;
    std::size_t polygon = 0;
};
template <class P>
[[nodiscard]] MultiPole<P> polylabel(const MultiPolygon<P>& shape, double precision);

/// Signed distance from `p` to the edges of `polygon`: positive inside, negative outside. O(v).
template <class P>
[[nodiscard]] double signed_distance(const P& p, const Polygon<P>& polygon) noexcept;

}  // namespace choro::geo
