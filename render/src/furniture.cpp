// World-map furniture: the globe's outline and water, and the graticule. Geometry comes already cut
// and clipped from geo::Projection (sphere(), graticule()), so drawing is plain paths.

#include "detail/furniture.hpp"

#include "detail/cairo.hpp"

namespace choro::render {

namespace detail {

namespace {

void sphere_path(cairo_t* cr, const pipeline::Scene& scene, const PageTransform& t) {
    cairo_new_path(cr);
    CairoPathSink sink(cr);
    sphere_path(sink, scene, t);
}

}  // namespace

void sphere_path(PathSink& sink, const pipeline::Scene& scene, const PageTransform& t) {
    for (const auto& poly : scene.sphere) {
        for (const auto& ring : poly) {
            if (ring.size() < 3) {
                continue;
            }
            sink.move_to(t.page_x(ring.front().x), t.page_y(ring.front().y));
            for (std::size_t i = 1; i < ring.size(); ++i) {
                sink.line_to(t.page_x(ring[i].x), t.page_y(ring[i].y));
            }
            sink.close_path();
        }
    }
}

void graticule_path(PathSink& sink, const pipeline::Scene& scene, const PageTransform& t) {
    for (const auto& line : scene.graticule) {
        if (line.size() < 2) {
            continue;
        }
        sink.move_to(t.page_x(line.front().x), t.page_y(line.front().y));
        for (std::size_t i = 1; i < line.size(); ++i) {
            sink.line_to(t.page_x(line[i].x), t.page_y(line[i].y));
        }
    }
}

void draw_water(cairo_t* cr, const pipeline::Scene& scene, const PageTransform& t) {
    if (!scene.water || scene.sphere.empty()) {
        return;
    }
    SavedState saved(cr);
    sphere_path(cr, scene, t);
    set_color(cr, *scene.water);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_fill(cr);
}

void draw_graticule(cairo_t* cr, const pipeline::Scene& scene, const PageTransform& t) {
    if (scene.graticule.empty()) {
        return;
    }
    SavedState saved(cr);
    cairo_new_path(cr);
    CairoPathSink sink(cr);
    graticule_path(sink, scene, t);
    set_color(cr, graticule_grey);
    cairo_set_line_width(cr, graticule_width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

void draw_sphere_outline(cairo_t* cr, const pipeline::Scene& scene, const PageTransform& t) {
    if (scene.sphere.empty()) {
        return;
    }
    SavedState saved(cr);
    sphere_path(cr, scene, t);
    set_color(cr, outline_grey);
    cairo_set_line_width(cr, outline_width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

}  // namespace detail

}  // namespace choro::render
