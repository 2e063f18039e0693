// The geometry layers of a scene, in drawing order. The print map draws them once for the whole
// frame; a tile pyramid draws them for every metatile, from geometry simplified for its zoom.

#include <vector>

#include "detail/cairo_map.hpp"

namespace choro::render::detail {

namespace {

/// Prepares the chosen geometries (all when `ids` is null); returns them with their indices.
void prepare_all(const std::vector<geo::MultiPolygon<geo::Projected>>& geometry,
                 const std::vector<std::uint32_t>* ids,
                 const PageTransform& t,
                 const geo::Box<geo::Projected>& visible,
                 std::vector<Shape>& shapes,
                 std::vector<std::uint32_t>& index) {
    const std::size_t n = ids ? ids->size() : geometry.size();
    shapes.reserve(n);
    index.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t i = ids ? (*ids)[k] : static_cast<std::uint32_t>(k);
        Shape shape = prepare_shape(geometry[i], t, visible);
        if (!shape.empty()) {
            shapes.push_back(std::move(shape));
            index.push_back(i);
        }
    }
}

bool flag(const std::vector<bool>& flags, std::uint32_t i) {
    return i < flags.size() && flags[i];
}

}  // namespace

PreparedLayers prepare_layers(const pipeline::Scene& scene,
                              const GeometryLayers& layers,
                              const PageTransform& t,
                              const geo::Box<geo::Projected>& visible,
                              const styles::StyleSettings& style) {
    PreparedLayers p;
    if (layers.features) {
        prepare_all(*layers.features, layers.feature_ids, t, visible, p.features, p.feature_index);
    }
    if (layers.overlay) {
        prepare_all(*layers.overlay, layers.overlay_ids, t, visible, p.overlay, p.overlay_index);
    }
    // A scene with fewer colours than features is tolerated: the rest show as no data.
    p.fills.reserve(p.features.size());
    for (std::size_t k = 0; k < p.features.size(); ++k) {
        const std::uint32_t i = p.feature_index[k];
        p.fills.push_back(i < scene.fills.size() ? scene.fills[i] : style.no_data);
        p.all.push_back(&p.features[k]);
        if (flag(scene.highlighted, i)) {
            p.highlighted.push_back(&p.features[k]);
        }
        if (flag(scene.partial, i)) {
            p.partial.push_back(&p.features[k]);
        }
    }
    for (std::size_t k = 0; k < p.overlay.size(); ++k) {
        p.overlay_all.push_back(&p.overlay[k]);
        if (flag(scene.overlay_highlighted, p.overlay_index[k])) {
            p.overlay_highlighted.push_back(&p.overlay[k]);
        }
        if (flag(scene.overlay_enacted, p.overlay_index[k])) {
            p.overlay_enacted.push_back(&p.overlay[k]);
        }
    }
    p.borders = border_runs(p.all);
    p.overlay_borders = border_runs(p.overlay_all);
    return p;
}

void draw_prepared_layers(
    cairo_t* cr, const PreparedLayers& p, const styles::StyleSettings& style, double unit, const MarkScale& marks) {
    const double border_width = style.border_width * marks.line_scale;
    draw_fills(cr, p.features, p.fills, unit, fills_covered(style.border, border_width, unit));
    draw_borders(cr, p.borders, style.border, border_width, unit);
    draw_area_mark(cr, p.highlighted, holdout_mark, style, unit, marks);
    draw_area_mark(cr, p.partial, partial_mark, style, unit, marks);
    draw_area_mark(cr, p.overlay_highlighted, state_ban_mark, style, unit, marks);
    draw_area_mark(cr, p.overlay_enacted, enacted_ban_mark, style, unit, marks);
    draw_borders(cr, p.overlay_borders, style.overlay_border, style.overlay_border_width * marks.line_scale, unit);
}

void draw_geometry_layers(cairo_t* cr,
                          const pipeline::Scene& scene,
                          const GeometryLayers& layers,
                          const PageTransform& t,
                          const geo::Box<geo::Projected>& visible,
                          const styles::StyleSettings& style,
                          const MarkScale& marks) {
    draw_prepared_layers(cr, prepare_layers(scene, layers, t, visible, style), style, t.unit, marks);
}

}  // namespace choro::render::detail
