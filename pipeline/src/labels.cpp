// Which features get a place label: the --labels policy, the text template and the anchor.

#include "choro/pipeline/labels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "choro/geo/error.hpp"
#include "choro/geo/polylabel.hpp"
#include "choro/geo/text.hpp"
#include "choro/geo/us_states.hpp"
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

/// The state of a county FIPS key ("24031" → Maryland); nullptr for any other key.
[[nodiscard]] const geo::UsState* county_state(std::string_view key) {
    if (key.size() != 5 || !std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return nullptr;
    }
    return geo::find_us_state(key.substr(0, 2));
}

/// The features `selection` chooses, in feature order (keys: in the order given, deduplicated).
[[nodiscard]] std::vector<std::size_t> choose(const Scene& scene,
                                              const styles::LabelSelection& selection,
                                              const std::string& select_text) {
    const std::size_t n = scene.features.size();
    const auto holdout = [&](std::size_t i) { return flagged(scene.highlighted, i) || flagged(scene.partial, i); };
    std::vector<std::size_t> chosen;
    if (selection.kind == Kind::keys) {
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
                std::string what = "'";
                what += select_text;
                what += "': no feature has the key '";
                what += key;
                what += "'";
                throw JobError("--labels", 0, 0, what);
            }
        }
        std::sort(chosen.begin(), chosen.end());
        chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
        return chosen;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (scene.features[i].empty()) {
            continue;
        }
        const bool take = selection.kind == Kind::all || (selection.kind == Kind::top && value_of(scene, i)) ||
                          (selection.kind == Kind::holdouts && holdout(i));
        if (take) {
            chosen.push_back(i);
        }
    }
    if (selection.kind == Kind::top && chosen.size() > selection.top) {
        // The N largest values (ties: feature order); holdouts do not jump this queue.
        std::stable_sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) {
            return *value_of(scene, a) > *value_of(scene, b);
        });
        chosen.resize(selection.top);
    }
    return chosen;
}

/// The candidate of feature `i`: text from the template, anchor at the pole of inaccessibility.
[[nodiscard]] LabelCandidate candidate(const Scene& scene, const styles::LabelSettings& settings, std::size_t i) {
    LabelCandidate c;
    c.feature = i;
    c.highlighted = flagged(scene.highlighted, i) || flagged(scene.partial, i);
    const std::string key = i < scene.info.size() ? scene.info[i].key : std::string();
    const auto value = value_of(scene, i);
    const std::string value_text = value ? styles::format_number(*value, scene.numbers) : std::string();
    c.text = styles::expand_label(settings.format, place_name(scene, i), value_text, key);
    if (c.text.empty()) {
        return c;
    }
    const auto box = geo::envelope(scene.features[i]);
    const auto pole = geo::polylabel(scene.features[i], std::max(box.width(), box.height()) / 100.0);
    c.anchor = pole.pole.point;
    c.room = std::max(0.0, pole.pole.distance);
    return c;
}

/// Holdouts, then larger values (no value last), then roomier features, then feature order.
void sort_by_priority(const Scene& scene, std::vector<LabelCandidate>& out) {
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
}

}  // namespace

std::string place_name(const Scene& scene, std::size_t i) {
    if (i >= scene.info.size()) {
        return {};
    }
    const FeatureInfo& info = scene.info[i];
    std::string name = info.name.empty() ? info.key : info.name;
    if (scene.name_states) {
        if (const geo::UsState* state = county_state(info.key)) {
            name += ", ";
            name += state->abbr;
        }
    }
    return name;
}

bool spans_states(std::span<const std::string> keys) {
    const geo::UsState* first = nullptr;
    for (const std::string& key : keys) {
        const geo::UsState* state = county_state(key);
        if (state == nullptr) {
            continue;
        }
        if (first != nullptr && first != state) {
            return true;
        }
        first = state;
    }
    return false;
}

std::vector<LabelCandidate> select_labels(const Scene& scene, const styles::LabelSettings& settings) {
    styles::LabelSelection selection = styles::parse_label_selection(settings.select);
    if (selection.kind == Kind::automatic) {
        const auto drawn = static_cast<std::size_t>(
            std::count_if(scene.features.begin(), scene.features.end(), [](const auto& f) { return !f.empty(); }));
        selection.kind = drawn <= label_all_limit ? Kind::all : Kind::holdouts;
    }
    if (selection.kind == Kind::none || selection.kind == Kind::automatic) {
        return {};
    }
    std::vector<LabelCandidate> out;
    for (const std::size_t i : choose(scene, selection, settings.select)) {
        LabelCandidate c = candidate(scene, settings, i);
        if (!c.text.empty()) {
            out.push_back(std::move(c));
        }
    }
    sort_by_priority(scene, out);
    return out;
}

}  // namespace choro::pipeline
