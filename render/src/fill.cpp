// Area symbolizers: feature fills, the holdout hatch and the state-ban highlight.

#include <algorithm>
#include <cmath>
#include <map>
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
    const double spacing = mark.spacing;
    if (!(x2 > x1 && y2 > y1) || spacing <= 0.0) {
        return;
    }
    // Lines (x - ox) ± (y - oy) = k · spacing. The phase is reduced first: a tile's world origin
    // can lie a billion points away, and the line positions must stay exact.
    cairo_new_path(cr);
    if (mark.rising) {
        // Lines x + y = c.
        const double phase = std::fmod(origin.x + origin.y, spacing);
        const double first = std::floor((x1 + y1 - phase) / spacing) * spacing + phase;
        for (double c = first; c <= x2 + y2 + spacing; c += spacing) {
            cairo_move_to(cr, c - y1, y1);
            cairo_line_to(cr, c - y2, y2);
        }
    } else {
        // Lines x - y = c.
        const double phase = std::fmod(origin.x - origin.y, spacing);
        const double first = std::floor((x1 - y2 - phase) / spacing) * spacing + phase;
        for (double c = first; c <= x2 - y1 + spacing; c += spacing) {
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
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (shapes[i].empty()) {
            continue;
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

/// Replaces the current path by the outlines of `shapes`.
void path_of(cairo_t* cr, const std::vector<const Shape*>& shapes, double unit) {
    cairo_new_path(cr);
    for (const Shape* shape : shapes) {
        append_shape(cr, *shape, unit);
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
    path_of(cr, shapes, unit);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
    set_color(cr, color, mark.alpha);
    HatchMark scaled = mark;
    scaled.line_width *= marks.line_scale;
    hatch_clip(cr, scaled, marks.origin);
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
        path_of(cr, shapes, unit);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_clip(cr);
    }
    path_of(cr, shapes, unit);
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
