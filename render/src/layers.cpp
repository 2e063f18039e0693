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

void draw_geometry_layers(cairo_t* cr,
                          const pipeline::Scene& scene,
                          const GeometryLayers& layers,
                          const PageTransform& t,
                          const geo::Box<geo::Projected>& visible,
                          const styles::StyleSettings& style,
                          const MarkScale& marks) {
    std::vector<Shape> features;
    std::vector<std::uint32_t> feature_index;
    if (layers.features) {
        prepare_all(*layers.features, layers.feature_ids, t, visible, features, feature_index);
    }
    std::vector<Shape> overlay;
    std::vector<std::uint32_t> overlay_index;
    if (layers.overlay) {
        prepare_all(*layers.overlay, layers.overlay_ids, t, visible, overlay, overlay_index);
    }

    // A scene with fewer colours than features is tolerated: the rest show as no data.
    std::vector<styles::Color> fills;
    fills.reserve(features.size());
    std::vector<const Shape*> all;
    std::vector<const Shape*> highlighted;
    std::vector<const Shape*> partial;
    for (std::size_t k = 0; k < features.size(); ++k) {
        const std::uint32_t i = feature_index[k];
        fills.push_back(i < scene.fills.size() ? scene.fills[i] : style.no_data);
        all.push_back(&features[k]);
        if (flag(scene.highlighted, i)) {
            highlighted.push_back(&features[k]);
        }
        if (flag(scene.partial, i)) {
            partial.push_back(&features[k]);
        }
    }
    std::vector<const Shape*> overlay_all;
    std::vector<const Shape*> overlay_highlighted;
    std::vector<const Shape*> overlay_enacted;
    for (std::size_t k = 0; k < overlay.size(); ++k) {
        overlay_all.push_back(&overlay[k]);
        if (flag(scene.overlay_highlighted, overlay_index[k])) {
            overlay_highlighted.push_back(&overlay[k]);
        }
        if (flag(scene.overlay_enacted, overlay_index[k])) {
            overlay_enacted.push_back(&overlay[k]);
        }
    }

    draw_fills(cr, features, fills, t.unit);
    draw_borders(cr, all, style.border, style.border_width * marks.line_scale, t.unit);
    draw_area_mark(cr, highlighted, holdout_mark, style, t.unit, marks);
    draw_area_mark(cr, partial, partial_mark, style, t.unit, marks);
    draw_area_mark(cr, overlay_highlighted, state_ban_mark, style, t.unit, marks);
    draw_area_mark(cr, overlay_enacted, enacted_ban_mark, style, t.unit, marks);
    draw_borders(cr, overlay_all, style.overlay_border, style.overlay_border_width * marks.line_scale, t.unit);
}

}  // namespace choro::render::detail
