// The pole of inaccessibility (polylabel), after the algorithm published by Vladimir Agafonkin
// (mapbox/polylabel, ISC licence): written afresh from its description.

#include "choro/geo/polylabel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <vector>

namespace choro::geo {

namespace {

/// Squared distance from p to the segment a–b.
template <class P>
[[nodiscard]] double segment_distance_squared(const P& p, const P& a, const P& b) noexcept {
    double x = a.x;
    double y = a.y;
    double dx = b.x - x;
    double dy = b.y - y;
    if (dx != 0.0 || dy != 0.0) {
        const double t = ((p.x - x) * dx + (p.y - y) * dy) / (dx * dx + dy * dy);
        if (t > 1.0) {
            x = b.x;
            y = b.y;
        } else if (t > 0.0) {
            x += dx * t;
            y += dy * t;
        }
    }
    dx = p.x - x;
    dy = p.y - y;
    return dx * dx + dy * dy;
}

template <class P>
struct Cell {
    P center;
    double half = 0.0;      ///< half the cell's side
    double distance = 0.0;  ///< from the centre to the polygon (signed)
    double reach = 0.0;     ///< the most any point of the cell could have: distance + half·√2
};

template <class P>
[[nodiscard]] Cell<P> make_cell(double x, double y, double half, const Polygon<P>& polygon) {
    Cell<P> c;
    c.center = P{x, y};
    c.half = half;
    c.distance = signed_distance(c.center, polygon);
    c.reach = c.distance + half * std::sqrt(2.0);
    return c;
}

/// The area-weighted centroid of the exterior ring (its first point when it has no area).
template <class P>
[[nodiscard]] P centroid(const Ring<P>& ring) {
    double area = 0.0;
    double x = 0.0;
    double y = 0.0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const P& a = ring[i];
        const P& b = ring[j];
        const double f = a.x * b.y - b.x * a.y;
        x += (a.x + b.x) * f;
        y += (a.y + b.y) * f;
        area += f * 3.0;
    }
    if (area == 0.0) {
        return ring.front();
    }
    return P{x / area, y / area};
}

}  // namespace

template <class P>
double signed_distance(const P& p, const Polygon<P>& polygon) noexcept {
    bool inside = false;
    double min_squared = std::numeric_limits<double>::infinity();
    for (const auto& ring : polygon) {
        const std::size_t n = ring.size();
        for (std::size_t i = 0, j = n - 1; n > 0 && i < n; j = i++) {
            const P& a = ring[i];
            const P& b = ring[j];
            // Crossing number: a ray to the right crosses each edge whose y-span holds p.y.
            if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
                inside = !inside;
            }
            min_squared = std::min(min_squared, segment_distance_squared(p, a, b));
        }
    }
    if (!std::isfinite(min_squared)) {
        return -std::numeric_limits<double>::infinity();
    }
    return (inside ? 1.0 : -1.0) * std::sqrt(min_squared);
}

template <class P>
Pole<P> polylabel(const Polygon<P>& polygon, double precision) {
    if (polygon.empty() || polygon.front().empty()) {
        return {};
    }
    const Box<P> box = envelope(polygon.front());
    const double width = box.width();
    const double height = box.height();
    const double size = std::min(width, height);
    if (size <= 0.0 || polygon.front().size() < 3) {
        return {box.min, 0.0};
    }
    precision = precision > 0.0 ? precision : size / 1000.0;
    const auto farther = [](const Cell<P>& a, const Cell<P>& b) { return a.reach < b.reach; };
    std::priority_queue<Cell<P>, std::vector<Cell<P>>, decltype(farther)> queue(farther);

    // Start from the centroid and the box's centre, whichever lies deeper.
    Cell<P> best = make_cell(centroid(polygon.front()).x, centroid(polygon.front()).y, 0.0, polygon);
    const Cell<P> middle = make_cell(box.min.x + width / 2.0, box.min.y + height / 2.0, 0.0, polygon);
    if (middle.distance > best.distance) {
        best = middle;
    }
    // Cover the box with square cells of side `size`.
    const double half = size / 2.0;
    for (double x = box.min.x; x < box.max.x; x += size) {
        for (double y = box.min.y; y < box.max.y; y += size) {
            queue.push(make_cell(x + half, y + half, half, polygon));
        }
    }
    while (!queue.empty()) {
        const Cell<P> cell = queue.top();
        queue.pop();
        if (cell.distance > best.distance) {
            best = cell;
        }
        // Nothing in this cell can beat the best by more than the precision: skip it.
        if (cell.reach - best.distance <= precision) {
            continue;
        }
        const double h = cell.half / 2.0;
        queue.push(make_cell(cell.center.x - h, cell.center.y - h, h, polygon));
        queue.push(make_cell(cell.center.x + h, cell.center.y - h, h, polygon));
        queue.push(make_cell(cell.center.x - h, cell.center.y + h, h, polygon));
        queue.push(make_cell(cell.center.x + h, cell.center.y + h, h, polygon));
    }
    return {best.center, best.distance};
}

template <class P>
MultiPole<P> polylabel(const MultiPolygon<P>& shape, double precision) {
    MultiPole<P> out;
    bool first = true;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const Pole<P> pole = polylabel(shape[i], precision);
        if (first || pole.distance > out.pole.distance) {
            out = {pole, i};
            first = false;
        }
    }
    return out;
}

// The spaces labels are placed in.
template Pole<LonLat> polylabel(const Polygon<LonLat>&, double);
template MultiPole<LonLat> polylabel(const MultiPolygon<LonLat>&, double);
template double signed_distance(const LonLat&, const Polygon<LonLat>&) noexcept;
template Pole<Projected> polylabel(const Polygon<Projected>&, double);
template MultiPole<Projected> polylabel(const MultiPolygon<Projected>&, double);
template double signed_distance(const Projected&, const Polygon<Projected>&) noexcept;
template Pole<Pixel> polylabel(const Polygon<Pixel>&, double);
template MultiPole<Pixel> polylabel(const MultiPolygon<Pixel>&, double);
template double signed_distance(const Pixel&, const Polygon<Pixel>&) noexcept;

}  // namespace choro::geo
