// From prepared data and a projection to the scene every drawer (map, tiles, batch) draws.

#include "choro/pipeline/scene.hpp"

namespace choro::pipeline {

Scene build_scene(const PreparedData& data, const styles::Job& job, const geo::Projection& projection) {
    Scene scene;
    const auto& features = data.layer.features;
    const std::size_t n = features.size();
    scene.features.reserve(n);
    scene.fills.reserve(n);
    scene.info.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        scene.features.push_back(projection.project(features[i].geometry));
        const styles::ClassId cls = i < data.classes.size() ? data.classes[i] : styles::no_data_class;
        scene.fills.push_back(data.colors.fill(cls));
        scene.info.push_back(
            {features[i].key, features[i].name, i < data.join.values.size() ? data.join.values[i] : std::nullopt, cls});
    }
    scene.highlighted = data.highlights.features;
    scene.highlighted.resize(n, false);
    scene.partial = data.highlights.partial;
    scene.partial.resize(n, false);
    if (data.overlay) {
        scene.overlay.reserve(data.overlay->features.size());
        for (const auto& f : data.overlay->features) {
            scene.overlay.push_back(projection.project(f.geometry));
        }
        scene.overlay_highlighted = data.highlights.overlay;
        scene.overlay_highlighted.resize(scene.overlay.size(), false);
        scene.overlay_enacted = data.highlights.overlay_enacted;
        scene.overlay_enacted.resize(scene.overlay.size(), false);
    }
    scene.insets = projection.insets();
    scene.title = job.map.title;
    scene.subtitle = job.map.subtitle;
    scene.legend_title = job.map.legend_title;
    scene.legend = data.legend;
    scene.notes = job.map.notes;
    if (!job.map.notes_file.empty()) {
        const auto lines = read_notes_file(styles::expand_path(job.map.notes_file, job.data_dir));
        scene.notes.insert(scene.notes.end(), lines.begin(), lines.end());
    }
    scene.source_note = job.map.source_note;
    return scene;
}

geo::Box<geo::Projected> scene_bounds(const Scene& scene) {
    if (!scene.bounds.empty()) {
        return scene.bounds;
    }
    geo::Box<geo::Projected> box;
    for (const auto& f : scene.features) {
        box.extend(geo::envelope(f));
    }
    for (const auto& f : scene.overlay) {
        box.extend(geo::envelope(f));
    }
    return box;
}

}  // namespace choro::pipeline
