// Greedy label placement by priority: candidates around the anchor, then callouts.

#include "choro/geo/label_placement.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace choro::geo {

namespace {

[[nodiscard]] Box<Pixel> box_at(double cx, double cy, double w, double h) {
    Box<Pixel> b;
    b.min = {cx - w / 2.0, cy - h / 2.0};
    b.max = {cx + w / 2.0, cy + h / 2.0};
    return b;
}

[[nodiscard]] bool inside(const Box<Pixel>& inner, const Box<Pixel>& outer) {
    return outer.empty() || (inner.min.x >= outer.min.x && inner.min.y >= outer.min.y && inner.max.x <= outer.max.x &&
                             inner.max.y <= outer.max.y);
}

/// Whether the segment a–b meets the box (Liang–Barsky clipping).
[[nodiscard]] bool segment_meets(const Pixel& a, const Pixel& b, const Box<Pixel>& box) {
    double t0 = 0.0;
    double t1 = 1.0;
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x - box.min.x, box.max.x - a.x, a.y - box.min.y, box.max.y - a.y};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0) {
                return false;
            }
        } else {
            const double t = q[i] / p[i];
            if (p[i] < 0.0) {
                t0 = std::max(t0, t);
            } else {
                t1 = std::min(t1, t);
            }
            if (t0 > t1) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

bool overlaps(const Box<Pixel>& a, const Box<Pixel>& b, double gap) noexcept {
    if (a.empty() || b.empty()) {
        return false;
    }
    return a.min.x < b.max.x + gap && b.min.x < a.max.x + gap && a.min.y < b.max.y + gap && b.min.y < a.max.y + gap;
}

std::vector<PlacedLabel> label_positions(const LabelRequest& r, std::size_t index, const PlacementOptions& options) {
    std::vector<PlacedLabel> out;
    const double w = r.width;
    const double h = r.height;
    const double x = r.anchor.x;
    const double y = r.anchor.y;
    if (r.fits || !options.callouts) {
        constexpr double nudges[9][2] = {{0, 0}, {0, -1}, {0, 1}, {1, 0}, {-1, 0}, {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
        for (const auto& n : nudges) {
            PlacedLabel p;
            p.request = index;
            p.box = box_at(x + n[0] * w / 2.0, y + n[1] * h / 2.0, w, h);
            out.push_back(p);
        }
    }
    if (options.callouts) {
        const double d = options.callout_distance;
        // Box centres so that the nearest side (or corner) lies `d` from the anchor.
        const double dd = d / std::sqrt(2.0);
        const double places[8][2] = {{d + w / 2.0, 0},
                                     {-(d + w / 2.0), 0},
                                     {0, -(d + h / 2.0)},
                                     {0, d + h / 2.0},
                                     {dd + w / 2.0, -(dd + h / 2.0)},
                                     {-(dd + w / 2.0), -(dd + h / 2.0)},
                                     {dd + w / 2.0, dd + h / 2.0},
                                     {-(dd + w / 2.0), dd + h / 2.0}};
        for (const auto& c : places) {
            PlacedLabel p;
            p.request = index;
            p.callout = true;
            p.box = box_at(x + c[0], y + c[1], w, h);
            p.leader_from = r.anchor;
            // The middle of the side facing the anchor (the nearer corner's side for diagonals).
            const Box<Pixel>& b = p.box;
            const double tx = c[0] > 0 ? b.min.x : c[0] < 0 ? b.max.x : x;
            const double ty = c[0] != 0 ? (c[1] > 0   ? b.min.y
                                           : c[1] < 0 ? b.max.y
                                                      : y)
                                        : (c[1] > 0 ? b.min.y : b.max.y);
            p.leader_to = {tx, ty};
            out.push_back(p);
        }
    }
    return out;
}

std::vector<PlacedLabel> place_labels(std::span<const LabelRequest> requests,
                                      std::span<const Box<Pixel>> obstacles,
                                      const PlacementOptions& options) {
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return requests[a].priority < requests[b].priority;
    });
    std::vector<PlacedLabel> placed;
    const auto free = [&](const PlacedLabel& c) {
        if (!inside(c.box, options.frame)) {
            return false;
        }
        for (const auto& o : obstacles) {
            if (overlaps(c.box, o, options.gap) || (c.callout && segment_meets(c.leader_from, c.leader_to, o))) {
                return false;
            }
        }
        for (const auto& p : placed) {
            if (overlaps(c.box, p.box, options.gap) ||
                (c.callout && segment_meets(c.leader_from, c.leader_to, p.box))) {
                return false;
            }
            // A new box must not cover an earlier callout's leader either.
            if (p.callout && segment_meets(p.leader_from, p.leader_to, c.box)) {
                return false;
            }
        }
        return true;
    };
    for (const std::size_t i : order) {
        const LabelRequest& r = requests[i];
        if (!(r.width >= 0.0 && r.height >= 0.0)) {
            continue;  // NaN or negative sizes: nothing sensible to place
        }
        for (const auto& candidate : label_positions(r, i, options)) {
            if (free(candidate)) {
                placed.push_back(candidate);
                break;
            }
        }
    }
    return placed;
}

}  // namespace choro::geo
