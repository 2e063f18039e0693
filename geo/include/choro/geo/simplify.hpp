#pragma once

#include "choro/geo/geometry.hpp"

/// @file
/// Polygon simplification (Douglas-Peucker per ring) to a tolerance in the geometry's own units,
/// e.g. a fraction of a pixel expressed in projected metres before drawing a map or a tile.

namespace choro::geo {

/// Simplifies one ring with the Douglas-Peucker algorithm: every removed point lies within
/// `tolerance` of the simplified ring, and the kept points are a subset of the input, in order.
///
///     auto coarse = choro::geo::simplify(ring, 0.25 * metres_per_pixel);
///
/// The ring is treated as cyclic: a closed input (first == last) comes back closed, an open one
/// open. Consecutive duplicate points are removed. Returns an empty ring when fewer than three
/// distinct points would remain or the ring's area is below tolerance² (too small to see).
/// A tolerance <= 0 (or NaN) returns the ring unchanged. Never throws except std::bad_alloc.
/// Complexity: O(n log n) typical, O(n²) worst case.
[[nodiscard]] Ring<Projected> simplify(const Ring<Projected>& ring, double tolerance);
[[nodiscard]] Ring<Pixel> simplify(const Ring<Pixel>& ring, double tolerance);

/// Simplifies each ring of a polygon (see the Ring overload). A polygon whose exterior vanishes
/// is returned empty (its holes go with it); holes that vanish are dropped.
[[nodiscard]] Polygon<Projected> simplify(const Polygon<Projected>& polygon, double tolerance);
[[nodiscard]] Polygon<Pixel> simplify(const Polygon<Pixel>& polygon, double tolerance);

/// Simplifies every polygon of a multipolygon; polygons whose exterior vanishes are dropped, so the
/// result may hold fewer polygons (or none). Used by the map renderer and the tile renderer to
/// simplify to a fraction of a pixel:
///
///     auto drawn = choro::geo::simplify(projected, 0.5 * metres_per_pixel);
[[nodiscard]] MultiPolygon<Projected> simplify(const MultiPolygon<Projected>& geometry, double tolerance);
[[nodiscard]] MultiPolygon<Pixel> simplify(const MultiPolygon<Pixel>& geometry, double tolerance);

}  // namespace choro::geo
