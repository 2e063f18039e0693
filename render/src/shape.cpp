// Projected geometry → page geometry on a snapping grid (the simplification step of the renderer).

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "detail/cairo_map.hpp"

namespace choro::render::detail {

namespace {

// Grid coordinates stay far inside int32 even for geometry far outside the page.
constexpr double grid_limit = 1.0e9;

std::int32_t snap(double page, double unit) noexcept {
    const double g = std::clamp(std::round(page / unit), -grid_limit, grid_limit);
    return static_cast<std::int32_t>(g);
}

using ProjectedRing = geo::Ring<geo::Projected>;

// One Sutherland-Hodgman pass against an axis-aligned half plane.
template <class Inside, class Cut>
ProjectedRing clip_edge(const ProjectedRing& in, Inside inside, Cut cut) {
    ProjectedRing out;
    if (in.empty()) {
        return out;
    }
    out.reserve(in.size() + 4);
    geo::Projected prev = in.back();
    bool prev_in = inside(prev);
    for (const auto& p : in) {
        const bool cur_in = inside(p);
        if (cur_in != prev_in) {
            out.push_back(cut(prev, p));
        }
        if (cur_in) {
            out.push_back(p);
        }
        prev = p;
        prev_in = cur_in;
    }
    return out;
}

// The ring cut to the box. Edges along the box are invisible when the box reaches beyond the
// canvas by more than the widest line, which is how callers choose it.
ProjectedRing clip_ring(const ProjectedRing& ring, const geo::Box<geo::Projected>& box) {
    auto at_x = [](double x) {
        return [x](const geo::Projected& a, const geo::Projected& b) {
            const double f = (x - a.x) / (b.x - a.x);
            return geo::Projected{x, a.y + f * (b.y - a.y)};
        };
    };
    auto at_y = [](double y) {
        return [y](const geo::Projected& a, const geo::Projected& b) {
            const double f = (y - a.y) / (b.y - a.y);
            return geo::Projected{a.x + f * (b.x - a.x), y};
        };
    };
    const auto& lo = box.min;
    const auto& hi = box.max;
    ProjectedRing r = clip_edge(
        ring, [&](const geo::Projected& p) { return p.x >= lo.x; }, at_x(lo.x));
    r = clip_edge(
        r, [&](const geo::Projected& p) { return p.x <= hi.x; }, at_x(hi.x));
    r = clip_edge(
        r, [&](const geo::Projected& p) { return p.y >= lo.y; }, at_y(lo.y));
    return clip_edge(
        r, [&](const geo::Projected& p) { return p.y <= hi.y; }, at_y(hi.y));
}

// A ring is clipped when it reaches this many times beyond the visible box: cheaper than
// clipping every ring, and far inside what the grid and Cairo's fixed point hold.
constexpr double clip_factor = 4.0;

bool huge(const geo::Box<geo::Projected>& ring_box, const geo::Box<geo::Projected>& visible) noexcept {
    return !visible.empty() &&
           (ring_box.width() > clip_factor * visible.width() || ring_box.height() > clip_factor * visible.height());
}

/// The exterior `ring` as a square of the same area at its centroid, in page points.
void add_dust(Shape& shape, const ProjectedRing& ring, const PageTransform& t) {
    double area2 = 0.0;
    double cx = 0.0;
    double cy = 0.0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const double cross = ring[j].x * ring[i].y - ring[i].x * ring[j].y;
        area2 += cross;
        cx += (ring[j].x + ring[i].x) * cross;
        cy += (ring[j].y + ring[i].y) * cross;
    }
    if (area2 == 0.0) {
        return;
    }
    cx /= 3.0 * area2;
    cy /= 3.0 * area2;
    const double side = std::sqrt(std::abs(area2) / 2.0) * t.scale;
    shape.dust.push_back(Dust{t.page_x(cx), t.page_y(cy), side});
}

}  // namespace

PageTransform fit(const geo::Box<geo::Projected>& bounds, const Rect& frame, double device_px) {
    PageTransform t;
    t.unit = 0.25 * device_px;
    t.min_size = 0.1 * device_px;
    if (bounds.empty()) {
        return t;
    }
    const double bw = bounds.width();
    const double bh = bounds.height();
    double scale = 0.0;
    if (bw > 0.0 && bh > 0.0) {
        scale = std::min(frame.w / bw, frame.h / bh);
    } else if (bw > 0.0) {
        scale = frame.w / bw;
    } else if (bh > 0.0) {
        scale = frame.h / bh;
    } else {
        scale = 1.0;  // a single point: centre it
    }
    t.scale = scale;
    t.min_x = bounds.min.x;
    t.max_y = bounds.max.y;
    t.origin_x = frame.x + (frame.w - bw * scale) / 2.0;
    t.origin_y = frame.y + (frame.h - bh * scale) / 2.0;
    return t;
}

std::vector<Shape> prepare_nonempty_shapes(const std::vector<geo::MultiPolygon<geo::Projected>>& geometries,
                                           const PageTransform& t,
                                           const geo::Box<geo::Projected>& visible) {
    std::vector<Shape> shapes;
    shapes.reserve(geometries.size());
    for (const auto& g : geometries) {
        Shape shape = prepare_shape(g, t, visible);
        if (!shape.empty()) {
            shapes.push_back(std::move(shape));
        }
    }
    return shapes;
}

Shape prepare_shape(const geo::MultiPolygon<geo::Projected>& geometry,
                    const PageTransform& t,
                    const geo::Box<geo::Projected>& visible) {
    Shape shape;
    const double min_projected = t.scale > 0.0 ? t.min_size / t.scale : 0.0;
    for (const auto& polygon : geometry) {
        if (polygon.empty()) {
            continue;
        }
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            const auto& ring = polygon[r];
            const geo::Box<geo::Projected> box = geo::envelope(ring);
            if (box.empty() || (box.width() < min_projected && box.height() < min_projected)) {
                if (r == 0) {
                    break;  // the exterior is too small to see: skip the polygon with its holes
                }
                continue;
            }
            if (r == 0 && !visible.empty() && !box.intersects(visible)) {
                break;
            }
            // Under a pixel each way (the grid is a quarter pixel): its fill would be a sliver of
            // coverage that 8-bit compositing rounds away, so it is kept as dust.
            const double pixel = 4.0 * t.unit;
            if (r == 0 && t.min_size <= 0.0 && box.width() * t.scale < pixel && box.height() * t.scale < pixel) {
                add_dust(shape, ring, t);
                break;
            }
            const auto start = static_cast<std::uint32_t>(shape.points.size());
            ProjectedRing clipped;
            const bool clip = huge(box, visible);
            if (clip) {
                clipped = clip_ring(ring, visible);
            }
            for (const auto& p : clip ? clipped : ring) {
                const GridPoint g{snap(t.page_x(p.x), t.unit), snap(t.page_y(p.y), t.unit)};
                if (shape.points.size() == start || !(shape.points.back() == g)) {
                    shape.points.push_back(g);
                }
            }
            // Rings are stored open: the closing edge is implied.
            while (shape.points.size() > start + 1 && shape.points.back() == shape.points[start]) {
                shape.points.pop_back();
            }
            if (shape.points.size() - start < 3) {
                shape.points.resize(start);
                if (r == 0) {
                    if (t.min_size <= 0.0) {
                        add_dust(shape, ring, t);
                    }
                    break;
                }
                continue;
            }
            shape.ring_ends.push_back(static_cast<std::uint32_t>(shape.points.size()));
        }
    }
    for (const GridPoint& p : shape.points) {
        shape.box.extend(p);
    }
    return shape;
}

GridBox clip_view(cairo_t* cr, double unit, double margin) {
    double x1 = 0.0;
    double y1 = 0.0;
    double x2 = 0.0;
    double y2 = 0.0;
    cairo_clip_extents(cr, &x1, &y1, &x2, &y2);
    // Clamped well inside int32: an unbounded surface reports huge extents.
    constexpr double limit = 1e9;
    const auto grid = [&](double v) {
        return static_cast<std::int32_t>(std::clamp(std::floor(v / unit), -limit, limit));
    };
    GridBox view;
    view.extend(GridPoint{grid(x1 - margin) - 1, grid(y1 - margin) - 1});
    view.extend(GridPoint{grid(x2 + margin) + 1, grid(y2 + margin) + 1});
    return view;
}

void append_shape(PathSink& sink, const Shape& shape, double unit) {
    std::uint32_t begin = 0;
    for (const std::uint32_t end : shape.ring_ends) {
        sink.move_to(shape.points[begin].x * unit, shape.points[begin].y * unit);
        for (std::uint32_t i = begin + 1; i < end; ++i) {
            sink.line_to(shape.points[i].x * unit, shape.points[i].y * unit);
        }
        sink.close_path();
        begin = end;
    }
}

void append_shape(cairo_t* cr, const Shape& shape, double unit) {
    CairoPathSink sink(cr);
    append_shape(sink, shape, unit);
}

void set_color(cairo_t* cr, const styles::Color& color, double alpha_factor) {
    cairo_set_source_rgba(cr, color.r / 255.0, color.g / 255.0, color.b / 255.0, color.a / 255.0 * alpha_factor);
}

}  // namespace choro::render::detail
