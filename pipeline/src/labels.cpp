// Which features get a place label: the --labels policy, the text template and the anchor.

#include "choro/pipeline/labels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "choro/geo/error.hpp"
#include "choro/geo/polylabel.hpp"
#include "choro/geo/text.hpp"
#include "choro/styles/label_text.hpp"
#include "choro/styles/legend_format.hpp"

namespace choro::pipeline {

namespace {

using Kind = styles::LabelSelection::Kind;

[[nodiscard]] bool flagged(const std::vector<bool>& marks, std::size_t i) {
    return i < marks.size() && marks[i];
}

[[nodiscard]] std::optional<double> value_of(const Scene& scene, std::size_t i) {
    if (i < scene.info.size() && scene.info[i].value && std::isfinite(*scene.info[i].value)) {
        return scene.info[i].value;
    }
    return std::nullopt;
}

}  // namespace

std::vector<LabelCandidate> select_labels(const Scene& scene, const styles::LabelSettings& settings) {
    styles::LabelSelection selection = styles::parse_label_selection(settings.select);
    const std::size_t n = scene.features.size();
    const std::size_t drawn = static_cast<std::size_t>(
        std::count_if(scene.features.begin(), scene.features.end(), [](const auto& f) { return !f.empty(); }));
    if (selection.kind == Kind::automatic) {
        selection.kind = drawn <= label_all_limit ? Kind::all : Kind::holdouts;
    }
    const auto holdout = [&](std::size_t i) { return flagged(scene.highlighted, i) || flagged(scene.partial, i); };

    std::vector<std::size_t> chosen;
    switch (selection.kind) {
        case Kind::automatic:
        case Kind::none:
            return {};
        case Kind::all:
        case Kind::top:
            for (std::size_t i = 0; i < n; ++i) {
                if (!scene.features[i].empty() && (selection.kind == Kind::all || value_of(scene, i))) {
                    chosen.push_back(i);
                }
            }
            break;
        case Kind::holdouts:
            for (std::size_t i = 0; i < n; ++i) {
                if (!scene.features[i].empty() && holdout(i)) {
                    chosen.push_back(i);
                }
            }
            break;
        case Kind::keys:
            for (const std::string& key : selection.keys) {
                bool found = false;
                for (std::size_t i = 0; i < n && i < scene.info.size(); ++i) {
                    if (geo::iequals(scene.info[i].key, key)) {
                        found = true;
                        if (!scene.features[i].empty()) {
                            chosen.push_back(i);
                        }
                    }
                }
                if (!found) {
                    throw JobError("--labels", 0, 0, "'" + settings.select + "': no feature has the key '" + key + "'");
                }
            }
            std::sort(chosen.begin(), chosen.end());
            chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
            break;
    }

    if (selection.kind == Kind::top && chosen.size() > selection.top) {
        // The N largest values (ties: feature order); holdouts do not jump this queue.
        std::stable_sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) {
            return *value_of(scene, a) > *value_of(scene, b);
        });
        chosen.resize(selection.top);
    }

    std::vector<LabelCandidate> out;
    out.reserve(chosen.size());
    for (const std::size_t i : chosen) {
        LabelCandidate c;
        c.feature = i;
        c.highlighted = holdout(i);
        const FeatureInfo* info = i < scene.info.size() ? &scene.info[i] : nullptr;
        const std::string key = info ? info->key : std::string();
        const std::string name = info && !info->name.empty() ? info->name : key;
        const auto value = value_of(scene, i);
        const std::string value_text = value ? styles::format_number(*value, scene.numbers) : std::string();
        c.text = styles::expand_label(settings.format, name, value_text, key);
        if (c.text.empty()) {
            continue;
        }
        const auto box = geo::envelope(scene.features[i]);
        const auto pole = geo::polylabel(scene.features[i], std::max(box.width(), box.height()) / 100.0);
        c.anchor = pole.pole.point;
        c.room = std::max(0.0, pole.pole.distance);
        out.push_back(std::move(c));
    }
    // Holdouts, then larger values (no value last), then roomier features, then feature order.
    std::stable_sort(out.begin(), out.end(), [&](const LabelCandidate& a, const LabelCandidate& b) {
        if (a.highlighted != b.highlighted) {
            return a.highlighted;
        }
        const auto va = value_of(scene, a.feature);
        const auto vb = value_of(scene, b.feature);
        if (va.has_value() != vb.has_value()) {
            return va.has_value();
        }
        if (va && *va != *vb) {
            return *va > *vb;
        }
        if (a.room != b.room) {
            return a.room > b.room;
        }
        return a.feature < b.feature;
    });
    for (std::size_t p = 0; p < out.size(); ++p) {
        out[p].priority = p;
    }
    return out;
}

}  // namespace choro::pipeline
