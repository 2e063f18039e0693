#include "choro/geo/simplify.hpp"

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace choro::geo {

namespace {

/// Squared distance from p to the segment a-b (to the point a when a == b).
template <class P>
double segment_distance2(const P& p, const P& a, const P& b) noexcept {
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = 0.0;
    if (len2 > 0.0) {
        t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
        t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
    }
    const double ex = a.x + t * dx - p.x;
    const double ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

/// Marks the points of pts[first..last] that Douglas-Peucker keeps (the ends are kept by the caller).
/// Iterative, so long rings cannot overflow the stack.
template <class P>
void douglas_peucker(
    const std::vector<P>& pts, std::size_t first, std::size_t last, double tolerance2, std::vector<char>& keep) {
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        double max_d2 = -1.0;
        std::size_t index = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d2 = segment_distance2(pts[i], pts[a], pts[b]);
            if (d2 > max_d2) {
                max_d2 = d2;
                index = i;
            }
        }
        if (index != a && max_d2 > tolerance2) {
            keep[index] = 1;
            stack.emplace_back(a, index);
            stack.emplace_back(index, b);
        }
    }
}

template <class P>
Ring<P> simplify_ring(const Ring<P>& ring, double tolerance) {
    if (!(tolerance > 0.0)) {
        return ring;  // also NaN
    }
    const bool closed = ring.size() > 1 && ring.front() == ring.back();
    // Distinct points in cyclic order: no consecutive duplicates, no closing point.
    std::vector<P> pts;
    pts.reserve(ring.size() + 1);
    for (const P& p : ring) {
        if (pts.empty() || !(pts.back() == p)) {
            pts.push_back(p);
        }
    }
    while (pts.size() > 1 && pts.front() == pts.back()) {
        pts.pop_back();
    }
    const std::size_t n = pts.size();
    if (n < 3) {
        return {};
    }
    // Split the cycle at point 0 and the point farthest from it, then simplify both chains.
    std::size_t far = 1;
    double far_d2 = -1.0;
    for (std::size_t i = 1; i < n; ++i) {
        const double dx = pts[i].x - pts[0].x;
        const double dy = pts[i].y - pts[0].y;
        if (dx * dx + dy * dy > far_d2) {
            far_d2 = dx * dx + dy * dy;
            far = i;
        }
    }
    pts.push_back(pts.front());  // index n closes the cycle
    std::vector<char> keep(n + 1, 0);
    keep[0] = keep[far] = keep[n] = 1;
    const double tolerance2 = tolerance * tolerance;
    douglas_peucker(pts, 0, far, tolerance2, keep);
    douglas_peucker(pts, far, n, tolerance2, keep);

    Ring<P> out;
    for (std::size_t i = 0; i < n; ++i) {
        if (keep[i] != 0) {
            out.push_back(pts[i]);
        }
    }
    if (out.size() < 3 || std::abs(signed_area(out)) < tolerance2) {
        return {};
    }
    if (closed) {
        out.push_back(out.front());
    }
    return out;
}

template <class P>
Polygon<P> simplify_polygon(const Polygon<P>& polygon, double tolerance) {
    Polygon<P> out;
    out.reserve(polygon.size());
    for (std::size_t i = 0; i < polygon.size(); ++i) {
        Ring<P> ring = simplify_ring(polygon[i], tolerance);
        if (!ring.empty()) {
            out.push_back(std::move(ring));
        } else if (i == 0) {
            return {};  // the exterior vanished: so do its holes
        }
    }
    return out;
}

template <class P>
MultiPolygon<P> simplify_multi(const MultiPolygon<P>& geometry, double tolerance) {
    MultiPolygon<P> out;
    out.reserve(geometry.size());
    for (const Polygon<P>& polygon : geometry) {
        Polygon<P> simple = simplify_polygon(polygon, tolerance);
        if (!simple.empty()) {
            out.push_back(std::move(simple));
        }
    }
    return out;
}

}  // namespace

Ring<Projected> simplify(const Ring<Projected>& ring, double tolerance) {
    return simplify_ring(ring, tolerance);
}
Ring<Pixel> simplify(const Ring<Pixel>& ring, double tolerance) {
    return simplify_ring(ring, tolerance);
}
Polygon<Projected> simplify(const Polygon<Projected>& polygon, double tolerance) {
    return simplify_polygon(polygon, tolerance);
}
Polygon<Pixel> simplify(const Polygon<Pixel>& polygon, double tolerance) {
    return simplify_polygon(polygon, tolerance);
}
MultiPolygon<Projected> simplify(const MultiPolygon<Projected>& geometry, double tolerance) {
    return simplify_multi(geometry, tolerance);
}
MultiPolygon<Pixel> simplify(const MultiPolygon<Pixel>& geometry, double tolerance) {
    return simplify_multi(geometry, tolerance);
}

}  // namespace choro::geo
