#pragma once

#include <algorithm>
#include <limits>
#include <vector>

/// @file
/// Geometry value types (after mapbox/geometry.hpp): plain structs, polygon = rings with ring 0 the
/// exterior. Each coordinate space has its own point type, so lon/lat data cannot reach a canvas
/// without being projected (libosmium keeps lon/lat and projected coordinates apart the same way).

namespace choro::geo {

/// A point tagged with its coordinate space. `Space` is an empty tag type.
template <class Space>
struct BasicPoint {
    using coordinate_type = double;
    double x = 0.0;
    double y = 0.0;

    friend bool operator==(const BasicPoint&, const BasicPoint&) = default;
};

struct LonLatSpace {};     ///< degrees, x = longitude east, y = latitude north (OGC:CRS84 order)
struct ProjectedSpace {};  ///< metres (or the target CRS's unit), x east, y north
struct PixelSpace {};      ///< device pixels, x right, y down

using LonLat = BasicPoint<LonLatSpace>;
using Projected = BasicPoint<ProjectedSpace>;
using Pixel = BasicPoint<PixelSpace>;

template <class P>
using Ring = std::vector<P>;  ///< closed or open; readers store them closed (first == last)

template <class P>
using Polygon = std::vector<Ring<P>>;  ///< ring 0 is the exterior, the rest are holes

template <class P>
using MultiPolygon = std::vector<Polygon<P>>;

/// An axis-aligned box. An empty box has min > max.
template <class P>
struct Box {
    P min{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    P max{-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};

    [[nodiscard]] bool empty() const noexcept { return min.x > max.x || min.y > max.y; }
    void extend(const P& p) noexcept {
        min.x = std::min(min.x, p.x);
        min.y = std::min(min.y, p.y);
        max.x = std::max(max.x, p.x);
        max.y = std::max(max.y, p.y);
    }
    void extend(const Box& b) noexcept {
        if (!b.empty()) {
            extend(b.min);
            extend(b.max);
        }
    }
    [[nodiscard]] bool intersects(const Box& b) const noexcept {
        return !(b.min.x > max.x || b.max.x < min.x || b.min.y > max.y || b.max.y < min.y);
    }
    [[nodiscard]] double width() const noexcept { return max.x - min.x; }
    [[nodiscard]] double height() const noexcept { return max.y - min.y; }
};

/// The bounding box of any point container nesting (ring, polygon, multipolygon).
template <class P>
[[nodiscard]] Box<P> envelope(const Ring<P>& ring) {
    Box<P> b;
    for (const auto& p : ring) {
        b.extend(p);
    }
    return b;
}
template <class P>
[[nodiscard]] Box<P> envelope(const Polygon<P>& poly) {
    Box<P> b;
    if (!poly.empty()) {
        b = envelope(poly.front());  // holes lie inside the exterior
    }
    return b;
}
template <class P>
[[nodiscard]] Box<P> envelope(const MultiPolygon<P>& mp) {
    Box<P> b;
    for (const auto& poly : mp) {
        b.extend(envelope(poly));
    }
    return b;
}

/// Signed area of a ring by the shoelace formula (positive when counter-clockwise in a y-up space).
template <class P>
[[nodiscard]] double signed_area(const Ring<P>& ring) noexcept {
    double a = 0.0;
    const std::size_t n = ring.size();
    for (std::size_t i = 0; n > 2 && i < n; ++i) {
        const P& p = ring[i];
        const P& q = ring[(i + 1) % n];
        a += p.x * q.y - q.x * p.y;
    }
    return a / 2.0;
}

}  // namespace choro::geo
