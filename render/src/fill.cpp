// Area symbolizers: feature fills, the holdout hatch and the state-ban highlight.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "detail/cairo_map.hpp"

namespace choro::render::detail {

void hatch_clip(cairo_t* cr, const HatchMark& mark, PatternOrigin origin) {
    double x1 = 0.0;
    double y1 = 0.0;
    double x2 = 0.0;
    double y2 = 0.0;
    cairo_clip_extents(cr, &x1, &y1, &x2, &y2);
    hatch_lines(cr, mark, origin, Rect{x1, y1, x2 - x1, y2 - y1});
}

void hatch_lines(cairo_t* cr, const HatchMark& mark, PatternOrigin origin, const Rect& extents) {
    double x1 = extents.x;
    double y1 = extents.y;
    double x2 = extents.x + extents.w;
    double y2 = extents.y + extents.h;
    const double spacing = mark.spacing;
    if (!(x2 > x1 && y2 > y1) || spacing <= 0.0) {
        return;
    }
    // The lines run a line width past the extents: a butt cap square to a 45° line would
    // otherwise cut a corner off the top and bottom rows.
    y1 -= mark.line_width;
    y2 += mark.line_width;
    x1 -= mark.line_width;
    x2 += mark.line_width;
    // Line k lies at c = k · spacing + phase, computed afresh for each k (not by adding up
    // spacings), so a line's position does not depend on where the clip starts: the bands of one
    // map (map.cpp) each draw part of the same lines.
    cairo_new_path(cr);
    if (mark.rising) {
        // Lines x + y = c.
        const double phase = std::fmod(origin.x + origin.y, spacing);
        const double last = std::floor((x2 + y2 - phase) / spacing) + 1.0;
        for (double k = std::floor((x1 + y1 - phase) / spacing); k <= last; k += 1.0) {
            const double c = k * spacing + phase;
            cairo_move_to(cr, c - y1, y1);
            cairo_line_to(cr, c - y2, y2);
        }
    } else {
        // Lines x - y = c.
        const double phase = std::fmod(origin.x - origin.y, spacing);
        const double last = std::floor((x2 - y1 - phase) / spacing) + 1.0;
        for (double k = std::floor((x1 - y2 - phase) / spacing); k <= last; k += 1.0) {
            const double c = k * spacing + phase;
            cairo_move_to(cr, c + y1, y1);
            cairo_line_to(cr, c + y2, y2);
        }
    }
    cairo_set_line_width(cr, mark.line_width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
}

void draw_fills(
    cairo_t* cr, const std::vector<Shape>& shapes, const std::vector<styles::Color>& fills, double unit, bool covered) {
    SavedState saved(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    if (covered) {
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);  // the national map: 5% of the run less
    }
    // Shapes out of reach of the clip draw nothing (a pixel of margin for antialiasing).
    const GridBox view = clip_view(cr, unit, 4.0 * unit);
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (shapes[i].ring_ends.empty() || !shapes[i].box.meets(view)) {
            continue;  // dust alone is drawn by draw_dust()
        }
        cairo_new_path(cr);
        append_shape(cr, shapes[i], unit);
        set_color(cr, fills[i]);
        cairo_fill(cr);
    }
    draw_dust(cr, shapes, fills);
}

void draw_dust(cairo_t* cr, const std::vector<Shape>& shapes, const std::vector<styles::Color>& fills) {
    // Each grain covers far less than 1/255 of a pixel: filled one by one, 8-bit compositing would
    // round every one of them away. Their areas are summed per device pixel instead, each pixel
    // painted once with the summed coverage and the area-weighted colour.
    struct Sum {
        double area = 0.0;
        double r = 0.0;
        double g = 0.0;
        double b = 0.0;
    };
    std::map<std::pair<long long, long long>, Sum> pixels;  // ordered: the same output every run
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        for (const Dust& d : shapes[i].dust) {
            double x = d.x;
            double y = d.y;
            cairo_user_to_device(cr, &x, &y);
            double side = d.side;
            double unused = 0.0;
            cairo_user_to_device_distance(cr, &side, &unused);
            const double area = side * side;
            Sum& s = pixels[{static_cast<long long>(std::floor(x)), static_cast<long long>(std::floor(y))}];
            s.area += area;
            s.r += area * fills[i].r;
            s.g += area * fills[i].g;
            s.b += area * fills[i].b;
        }
    }
    if (pixels.empty()) {
        return;
    }
    SavedState saved(cr);
    cairo_identity_matrix(cr);
    for (const auto& [at, s] : pixels) {
        cairo_rectangle(cr, static_cast<double>(at.first), static_cast<double>(at.second), 1.0, 1.0);
        cairo_set_source_rgba(
            cr, s.r / s.area / 255.0, s.g / s.area / 255.0, s.b / s.area / 255.0, std::min(1.0, s.area));
        cairo_fill(cr);
    }
}

namespace {

/// Replaces the current path by the outlines of `shapes`, leaving out those farther than `margin`
/// (user units) from the clip.
void path_of(cairo_t* cr, const std::vector<const Shape*>& shapes, double unit, double margin) {
    const GridBox view = clip_view(cr, unit, margin);
    cairo_new_path(cr);
    for (const Shape* shape : shapes) {
        if (shape->box.meets(view)) {
            append_shape(cr, *shape, unit);
        }
    }
}

/// Hatches the union of `shapes` (they do not overlap, so even-odd is their union) with `mark`.
void hatch_shapes(cairo_t* cr,
                  const std::vector<const Shape*>& shapes,
                  const HatchMark& mark,
                  const styles::Color& color,
                  double unit,
                  const MarkScale& marks) {
    SavedState saved(cr);
    std::optional<Rect> area;
    if (marks.hatch_area) {
        // The shapes' own extents (not the path's, which leaves out what is out of reach), cut to
        // the area: the same in every band.
        GridBox box;
        for (const Shape* shape : shapes) {
            if (!shape->box.empty()) {
                box.extend(shape->box.lo);
                box.extend(shape->box.hi);
            }
        }
        if (box.empty()) {
            return;
        }
        const Rect& a = *marks.hatch_area;
        const double x1 = std::max(box.lo.x * unit, a.x);
        const double y1 = std::max(box.lo.y * unit, a.y);
        const double x2 = std::min(box.hi.x * unit, a.x + a.w);
        const double y2 = std::min(box.hi.y * unit, a.y + a.h);
        area = Rect{x1, y1, x2 - x1, y2 - y1};
    }
    path_of(cr, shapes, unit, 4.0 * unit);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
    set_color(cr, color, mark.alpha);
    HatchMark scaled = mark;
    scaled.line_width *= marks.line_scale;
    if (area) {
        hatch_lines(cr, scaled, marks.origin, *area);
    } else {
        hatch_clip(cr, scaled, marks.origin);
    }
}

/// Strokes the outlines of `shapes`; with `inside`, only the half of the line within them shows.
void outline_shapes(cairo_t* cr,
                    const std::vector<const Shape*>& shapes,
                    const styles::Color& color,
                    double alpha,
                    double width,
                    bool inside,
                    double unit) {
    SavedState saved(cr);
    if (inside) {
        path_of(cr, shapes, unit, 4.0 * unit);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_clip(cr);
    }
    path_of(cr, shapes, unit, width + 4.0 * unit);
    set_color(cr, color, alpha);
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

}  // namespace

void draw_area_mark(cairo_t* cr,
                    const std::vector<const Shape*>& shapes,
                    const AreaMark& mark,
                    const styles::StyleSettings& style,
                    double unit,
                    const MarkScale& marks) {
    if (shapes.empty()) {
        return;
    }
    hatch_shapes(cr, shapes, mark.hatch, style.highlight, unit, marks);
    outline_shapes(cr,
                   shapes,
                   style.highlight,
                   mark.outline_alpha,
                   mark.outline_width * marks.line_scale,
                   mark.outline_inside,
                   unit);
}

}  // namespace choro::render::detail
