// From prepared data to a tile scene: project once to EPSG:3857 and resolve colours.

#include "choro/geo/projection.hpp"
#include "choro/render/tiles.hpp"

namespace choro::render {

TileScene build_tile_scene(const PreparedData& data) {
    const geo::Projection mercator("web-mercator");
    TileScene scene;
    const auto& features = data.layer.features;
    scene.features.reserve(features.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        scene.features.push_back(mercator.project(features[i].geometry));
        scene.bounds.extend(geo::envelope(features[i].geometry));
        scene.fills.push_back(data.colors.fill(i < data.classes.size() ? data.classes[i] : styles::no_data_class));
        scene.highlighted.push_back(i < data.highlights.features.size() && data.highlights.features[i]);
    }
    if (data.overlay) {
        const auto& overlay = data.overlay->features;
        for (std::size_t i = 0; i < overlay.size(); ++i) {
            scene.overlay.push_back(mercator.project(overlay[i].geometry));
            scene.overlay_highlighted.push_back(i < data.highlights.overlay.size() && data.highlights.overlay[i]);
        }
    }
    return scene;
}

}  // namespace choro::render
