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
            const auto start = static_cast<std::uint32_t>(shape.points.size());
            for (const auto& p : ring) {
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
                    break;
                }
                continue;
            }
            shape.ring_ends.push_back(static_cast<std::uint32_t>(shape.points.size()));
        }
    }
    return shape;
}

void append_shape(cairo_t* cr, const Shape& shape, double unit) {
    std::uint32_t begin = 0;
    for (const std::uint32_t end : shape.ring_ends) {
        cairo_move_to(cr, shape.points[begin].x * unit, shape.points[begin].y * unit);
        for (std::uint32_t i = begin + 1; i < end; ++i) {
            cairo_line_to(cr, shape.points[i].x * unit, shape.points[i].y * unit);
        }
        cairo_close_path(cr);
        begin = end;
    }
}

void set_color(cairo_t* cr, const styles::Color& color, double alpha_factor) {
    cairo_set_source_rgba(cr, color.r / 255.0, color.g / 255.0, color.b / 255.0, color.a / 255.0 * alpha_factor);
}

}  // namespace choro::render::detail
