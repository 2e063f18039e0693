#include "choro/render/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "choro/geo/error.hpp"
#include "choro/geo/table.hpp"

namespace choro::render {

namespace {

geo::Layer read_boundaries(const styles::BoundarySource& src, const std::string& data_dir) {
    geo::LayerOptions options;
    options.layer = src.layer;
    options.key_field = src.key;
    options.name_field = src.name;
    options.srs = src.srs;
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

/// The lon/lat box around some features: the complement of the widest gap between their
/// longitudes (so a set straddling 180° gets a box across it), grown by 5% (at least 0.5°).
geo::Extent extent_around(const std::vector<const geo::Feature*>& features) {
    std::vector<double> lons;
    double south = 90.0;
    double north = -90.0;
    for (const geo::Feature* f : features) {
        for (const auto& poly : f->geometry) {
            for (const auto& ring : poly) {
                for (const auto& p : ring) {
                    lons.push_back(p.x - 360.0 * std::floor((p.x + 180.0) / 360.0));
                    south = std::min(south, p.y);
                    north = std::max(north, p.y);
                }
            }
        }
    }
    geo::Extent e;
    if (lons.empty()) {
        return e;
    }
    std::sort(lons.begin(), lons.end());
    double gap = lons.front() + 360.0 - lons.back();  // across 180°
    double west = lons.front();
    double east = lons.back();
    for (std::size_t i = 1; i < lons.size(); ++i) {
        if (lons[i] - lons[i - 1] > gap) {
            gap = lons[i] - lons[i - 1];
            west = lons[i];
            east = lons[i - 1];
        }
    }
    const double width = east >= west ? east - west : east - west + 360.0;
    const double mx = std::max(0.5, width * 0.05);
    const double my = std::max(0.5, (north - south) * 0.05);
    if (width + 2.0 * mx >= 360.0) {
        e.west = -180.0;
        e.east = 180.0;
    } else {
        e.west = west - mx < -180.0 ? west - mx + 360.0 : west - mx;
        e.east = east + mx > 180.0 ? east + mx - 360.0 : east + mx;
    }
    e.south = std::max(-90.0, south - my);
    e.north = std::min(90.0, north + my);
    return e;
}

std::string join_numbers(const std::vector<double>& v) {
    std::ostringstream out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        out << (i ? "," : "") << v[i];
    }
    return out.str();
}

std::string join_words(const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        out += (i ? "," : "") + v[i];
    }
    return out;
}

/// The extent a job asks for (--extent, or --extent-of its features), if any. Throws JobError
/// naming --extent-of and the key when a key matches no feature.
std::optional<geo::Extent> job_extent(const PreparedData& data, const styles::Job& job) {
    if (job.map.extent && job.map.extent->size() == 4) {
        const auto& b = *job.map.extent;
        return geo::Extent{b[0], b[1], b[2], b[3]};
    }
    if (job.map.extent_of.empty()) {
        return std::nullopt;
    }
    std::vector<const geo::Feature*> chosen;
    for (const std::string& key : job.map.extent_of) {
        const auto found = std::find_if(data.layer.features.begin(),
                                        data.layer.features.end(),
                                        [&](const geo::Feature& f) { return f.key == key; });
        if (found == data.layer.features.end()) {
            throw JobError(
                "--extent-of", 0, 0, "'" + join_words(job.map.extent_of) + "': no feature has the key '" + key + "'");
        }
        chosen.push_back(&*found);
    }
    return extent_around(chosen);
}

}  // namespace

PreparedData prepare(const styles::Job& job) {
    PreparedData data;
    data.layer = read_boundaries(job.boundaries, job.data_dir);
    if (job.overlay && !job.overlay->source.empty()) {
        data.overlay = read_boundaries(*job.overlay, job.data_dir);
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

MapScene build_scene(const PreparedData& data, const styles::Job& job, const geo::Projection& full) {
    MapScene scene;
    // An extent needs a projection that clips to it (built here: the caller's one stays unclipped).
    const std::optional<geo::Extent> extent = job_extent(data, job);
    std::optional<geo::Projection> framed;
    if (extent) {
        framed.emplace(full.spec(), extent);
    }
    const geo::Projection& projection = framed ? *framed : full;
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
    if (extent) {
        const bool any =
            std::any_of(scene.features.begin(), scene.features.end(), [](const auto& f) { return !f.empty(); });
        if (!any) {
            const std::string flag = job.map.extent ? "--extent" : "--extent-of";
            const std::string value = job.map.extent ? join_numbers(*job.map.extent) : join_words(job.map.extent_of);
            throw JobError(flag, 0, 0, "'" + value + "': no feature of the boundaries lies inside this extent");
        }
    }
    add_furniture(scene, job, projection, extent.has_value());
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
