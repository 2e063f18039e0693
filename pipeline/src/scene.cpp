// From prepared data and a projection to the scene every drawer (map, tiles, batch) draws.

#include "choro/pipeline/scene.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <optional>
#include <sstream>

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/pipeline/labels.hpp"

namespace choro::pipeline {

namespace {

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
    if (job.map.extent) {
        const auto& b = *job.map.extent;
        return geo::Extent{b.min.x, b.min.y, b.max.x, b.max.y};
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

/// Counts the legend's classes over the features left in the frame (an extent clipped the others
/// away), so a histogram legend and the alt text speak of the map that is shown.
void count_shown(Scene& scene) {
    std::size_t total = 0;
    for (auto& item : scene.legend) {
        if (item.swatch != styles::Swatch::fill) {
            continue;
        }
        item.count = 0;
        for (std::size_t i = 0; i < scene.features.size() && i < scene.info.size(); ++i) {
            item.count += !scene.features[i].empty() && scene.info[i].cls == item.cls ? 1 : 0;
        }
        total += item.count;
    }
    for (auto& item : scene.legend) {
        if (item.swatch == styles::Swatch::fill) {
            item.share = total > 0 ? static_cast<double>(item.count) / static_cast<double>(total) : 0.0;
        }
    }
}

/// Whether place names need their state: the features the map is about (those of --extent-of,
/// else those drawn) are counties of more than one state.
bool names_need_states(const Scene& scene, const styles::Job& job) {
    if (!job.map.extent_of.empty()) {
        return spans_states(job.map.extent_of);
    }
    std::vector<std::string> keys;
    keys.reserve(scene.info.size());
    for (std::size_t i = 0; i < scene.info.size() && i < scene.features.size(); ++i) {
        if (!scene.features[i].empty()) {
            keys.push_back(scene.info[i].key);
        }
    }
    return spans_states(keys);
}

}  // namespace

void add_furniture(Scene& scene, const styles::Job& job, const geo::Projection& projection, bool framed) {
    const bool want_sphere = job.map.sphere || job.map.water.has_value();
    geo::MultiPolygon<geo::Projected> outline;
    if (want_sphere || framed) {
        outline = projection.sphere();
    }
    if (job.map.graticule > 0.0) {
        scene.graticule = projection.graticule(job.map.graticule);
    }
    if (framed) {
        scene.bounds = geo::envelope(outline);
    } else if (want_sphere) {
        // The whole globe is framed, not only the land on it.
        geo::Box<geo::Projected> box = geo::envelope(outline);
        for (const auto& f : scene.features) {
            box.extend(geo::envelope(f));
        }
        scene.bounds = box;
    }
    if (want_sphere) {
        scene.sphere = std::move(outline);
        scene.water = job.map.water;
    }
}

namespace {

/// A projection that shows almost none of the boundaries draws an empty or nearly empty map (US
/// counties in a UTM zone of Europe): an error, not a map. A tenth is the line: a hemisphere of
/// the world (orthographic) keeps about half, and a part mapped on purpose goes through
/// --extent/--extent-of, which are checked on their own.
void check_visible(const PreparedData& data, const Scene& scene, const geo::Projection& projection) {
    const auto& features = data.layer.features;
    std::size_t with_shape = 0;
    std::size_t visible = 0;
    for (std::size_t i = 0; i < features.size(); ++i) {
        if (!features[i].geometry.empty()) {
            ++with_shape;
            visible += scene.features[i].empty() ? 0 : 1;
        }
    }
    if (with_shape > 0 && visible * 10 < with_shape) {
        throw ProjectionError(projection.spec(),
                              0,
                              "only " + std::to_string(visible) + " of the " + std::to_string(with_shape) +
                                  " features of " + data.layer.source +
                                  " are visible in this projection: the map would be (nearly) empty. Choose a "
                                  "projection centred on the data (--projection), or map a part of it on purpose "
                                  "with --extent or --extent-of");
    }
}

/// Every feature's geometry projected, the second half by `helper` on a thread of its own when
/// there is one and enough features to share.
std::vector<geo::MultiPolygon<geo::Projected>> project_features(const std::vector<geo::Feature>& features,
                                                                const geo::Projection& projection,
                                                                const geo::Projection* helper) {
    const std::size_t n = features.size();
    std::vector<geo::MultiPolygon<geo::Projected>> out(n);
    const std::size_t half = helper != nullptr && n >= 64 ? n / 2 : n;
    std::future<void> second;
    if (half < n) {
        second = std::async(std::launch::async, [&] {
            for (std::size_t i = half; i < n; ++i) {
                out[i] = helper->project(features[i].geometry);
            }
        });
    }
    for (std::size_t i = 0; i < half; ++i) {
        out[i] = projection.project(features[i].geometry);
    }
    if (second.valid()) {
        second.get();
    }
    return out;
}

}  // namespace

Scene build_scene(const PreparedData& data,
                  const styles::Job& job,
                  const geo::Projection& full,
                  const geo::Projection* helper) {
    Scene scene;
    // An extent needs a projection that clips to it (built here: the caller's one stays unclipped).
    const std::optional<geo::Extent> extent = job_extent(data, job);
    std::optional<geo::Projection> framed;
    if (extent) {
        framed.emplace(full.spec(), extent);
    }
    const geo::Projection& projection = framed ? *framed : full;
    const auto& features = data.layer.features;
    const std::size_t n = features.size();
    scene.features = project_features(features, projection, framed ? nullptr : helper);
    scene.fills.reserve(n);
    scene.info.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
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
    if (!extent) {
        check_visible(data, scene, projection);
    } else {
        const bool any =
            std::any_of(scene.features.begin(), scene.features.end(), [](const auto& f) { return !f.empty(); });
        if (!any) {
            const std::string flag = job.map.extent ? "--extent" : "--extent-of";
            std::string value;
            if (job.map.extent) {
                const auto& b = *job.map.extent;
                value = join_numbers({b.min.x, b.min.y, b.max.x, b.max.y});
            } else {
                value = join_words(job.map.extent_of);
            }
            throw JobError(flag, 0, 0, "'" + value + "': no feature of the boundaries lies inside this extent");
        }
    }
    add_furniture(scene, job, projection, extent.has_value());
    scene.insets = projection.insets();
    scene.title = job.map.title;
    scene.subtitle = job.map.subtitle;
    scene.legend_title = styles::legend_title(job);
    scene.legend = data.legend;
    if (extent) {
        count_shown(scene);
    }
    scene.legend_layout = job.legend.layout;
    scene.legend_histogram = job.legend.histogram;
    scene.numbers = data.numbers;
    scene.label_callouts = job.labels.callouts;
    scene.notes = job.map.notes;
    if (!job.map.notes_file.empty()) {
        const auto lines = geo::read_notes_file(styles::expand_path(job.map.notes_file, job.data_dir));
        scene.notes.insert(scene.notes.end(), lines.begin(), lines.end());
    }
    scene.source_note = job.map.source_note;
    scene.name_states = names_need_states(scene, job);
    scene.labels = select_labels(scene, job.labels);
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
