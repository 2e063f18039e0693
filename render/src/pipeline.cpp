#include "choro/render/pipeline.hpp"

#include <algorithm>
#include <fstream>

#include "choro/geo/error.hpp"
#include "choro/geo/table.hpp"

namespace choro::render {

namespace {

geo::Layer read_boundaries(const styles::BoundarySource& src,
                           const std::string& data_dir,
                           const std::string& cache_dir) {
    geo::LayerOptions options;
    options.layer = src.layer;
    options.key_field = src.key;
    options.name_field = src.name;
    options.srs = src.srs;
    options.cache_dir = cache_dir;
    return geo::read_layer(styles::expand_path(src.source, data_dir), options);
}

geo::Duplicates parse_duplicates(const std::string& text, const std::string& job_path) {
    if (text == "first") {
        return geo::Duplicates::first;
    }
    if (text == "sum") {
        return geo::Duplicates::sum;
    }
    if (text.empty() || text == "error") {
        return geo::Duplicates::error;
    }
    throw JobError(job_path, 0, 0, "duplicates = '" + text + "': expected error, first or sum");
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw InputError(path, "cannot read the notes file");
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

}  // namespace

PreparedData prepare(const styles::Job& job) {
    PreparedData data;
    data.layer = read_boundaries(job.boundaries, job.data_dir, job.cache_dir);
    if (job.overlay && !job.overlay->source.empty()) {
        data.overlay = read_boundaries(*job.overlay, job.data_dir, job.cache_dir);
    }

    if (!job.values.source.empty()) {
        geo::TableOptions table_options;
        table_options.sheet = job.values.sheet;
        table_options.header_contains = job.values.key;
        const geo::Table table = geo::read_table(styles::expand_path(job.values.source, job.data_dir), table_options);
        geo::JoinOptions join_options;
        join_options.key_column = job.values.key;
        join_options.value_column = job.values.value;
        join_options.count = job.values.count;
        join_options.duplicates = parse_duplicates(job.values.duplicates, job.path);
        data.join = geo::join(data.layer, table, join_options);
    } else {
        data.join.values.assign(data.layer.features.size(), std::nullopt);
        data.join.report.features = data.layer.features.size();
    }

    data.breaks = styles::classify(data.join.values, job.classify);
    data.colors = styles::class_colors(data.breaks, job.style);
    data.classes.reserve(data.join.values.size());
    for (const auto& v : data.join.values) {
        data.classes.push_back(data.breaks.class_of(v));
    }
    data.highlights = styles::read_highlights(job.highlight, data.layer, data.overlay ? &*data.overlay : nullptr);
    const bool any_feature = std::find(data.highlights.features.begin(), data.highlights.features.end(), true) !=
                             data.highlights.features.end();
    const bool any_state = std::find(data.highlights.overlay.begin(), data.highlights.overlay.end(), true) !=
                           data.highlights.overlay.end();
    data.legend = styles::legend_items(data.breaks, data.colors, job.style, job.highlight, any_feature, any_state);
    return data;
}

MapScene build_scene(const PreparedData& data, const styles::Job& job, const geo::Projection& projection) {
    MapScene scene;
    const std::size_t n = data.layer.features.size();
    scene.features.reserve(n);
    scene.fills.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        scene.features.push_back(projection.project(data.layer.features[i].geometry));
        scene.fills.push_back(data.colors.fill(data.classes[i]));
    }
    scene.highlighted = data.highlights.features;
    scene.highlighted.resize(n, false);
    if (data.overlay) {
        for (const auto& f : data.overlay->features) {
            scene.overlay.push_back(projection.project(f.geometry));
        }
        scene.overlay_highlighted = data.highlights.overlay;
        scene.overlay_highlighted.resize(scene.overlay.size(), false);
    }
    scene.insets = projection.insets();
    scene.title = job.map.title;
    scene.subtitle = job.map.subtitle;
    scene.legend_title = job.map.legend_title;
    scene.legend = data.legend;
    scene.notes = job.map.notes;
    if (!job.map.notes_file.empty()) {
        const auto lines = read_lines(styles::expand_path(job.map.notes_file, job.data_dir));
        scene.notes.insert(scene.notes.end(), lines.begin(), lines.end());
    }
    scene.source_note = job.map.source_note;
    return scene;
}

}  // namespace choro::render
