// Area symbolizers: feature fills, the holdout hatch and the state-ban highlight.

#include <cmath>
#include <vector>

#include "detail/cairo_map.hpp"

namespace choro::render::detail {

void hatch_clip(cairo_t* cr, double spacing, double line_width, bool rising) {
    double x1 = 0.0;
    double y1 = 0.0;
    double x2 = 0.0;
    double y2 = 0.0;
    cairo_clip_extents(cr, &x1, &y1, &x2, &y2);
    if (!(x2 > x1 && y2 > y1) || spacing <= 0.0) {
        return;
    }
    cairo_new_path(cr);
    if (rising) {
        // Lines x + y = c, c a multiple of the spacing.
        const double first = std::floor((x1 + y1) / spacing) * spacing;
        for (double c = first; c <= x2 + y2 + spacing; c += spacing) {
            cairo_move_to(cr, c - y1, y1);
            cairo_line_to(cr, c - y2, y2);
        }
    } else {
        // Lines x - y = c.
        const double first = std::floor((x1 - y2) / spacing) * spacing;
        for (double c = first; c <= x2 - y1 + spacing; c += spacing) {
            cairo_move_to(cr, c + y1, y1);
            cairo_line_to(cr, c + y2, y2);
        }
    }
    cairo_set_line_width(cr, line_width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
}

void draw_fills(cairo_t* cr, const std::vector<Shape>& shapes, const std::vector<styles::Color>& fills, double unit) {
    SavedState saved(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (shapes[i].empty()) {
            continue;
        }
        cairo_new_path(cr);
        append_shape(cr, shapes[i], unit);
        set_color(cr, fills[i]);
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
                  double unit) {
    SavedState saved(cr);
    path_of(cr, shapes, unit);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
    set_color(cr, color, mark.alpha);
    hatch_clip(cr, mark.spacing, mark.line_width, mark.rising);
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

void draw_feature_highlight(cairo_t* cr,
                            const std::vector<const Shape*>& shapes,
                            const styles::StyleSettings& style,
                            double unit) {
    if (shapes.empty()) {
        return;
    }
    hatch_shapes(cr, shapes, holdout_hatch, style.highlight, unit);
    outline_shapes(cr, shapes, style.highlight, 1.0, holdout_outline_width, false, unit);
}

void draw_overlay_highlight(cairo_t* cr,
                            const std::vector<const Shape*>& shapes,
                            const styles::StyleSettings& style,
                            double unit) {
    if (shapes.empty()) {
        return;
    }
    hatch_shapes(cr, shapes, state_ban_hatch, style.highlight, unit);
    // A wide outline clipped to the inside: a band along the state's edge that reads at a glance.
    outline_shapes(cr, shapes, style.highlight, state_ban_band_alpha, state_ban_band_width, true, unit);
}

void draw_partial_highlight(cairo_t* cr,
                            const std::vector<const Shape*>& shapes,
                            const styles::StyleSettings& style,
                            double unit) {
    if (shapes.empty()) {
        return;
    }
    hatch_shapes(cr, shapes, partial_hatch, style.highlight, unit);
    outline_shapes(cr, shapes, style.highlight, 1.0, partial_outline_width, false, unit);
}

void draw_overlay_enacted(cairo_t* cr,
                          const std::vector<const Shape*>& shapes,
                          const styles::StyleSettings& style,
                          double unit) {
    if (shapes.empty()) {
        return;
    }
    hatch_shapes(cr, shapes, enacted_ban_hatch, style.highlight, unit);
    outline_shapes(cr, shapes, style.highlight, enacted_ban_band_alpha, state_ban_band_width, true, unit);
}

}  // namespace choro::render::detail
