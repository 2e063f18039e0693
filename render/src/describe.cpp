// The map in words (alt text) and as a table (data CSV), from the scene.

#include "choro/render/describe.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "choro/pipeline/labels.hpp"

namespace choro::render {

namespace {

std::string shortest(double v) {
    std::array<char, 64> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    return std::string(buf.data(), r.ptr);
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    return out + "\"";
}

bool flag(const std::vector<bool>& flags, std::size_t i) {
    return i < flags.size() && flags[i];
}

/// The legend entry of feature `i`'s class: the fill entry of the same colour (nullptr: none).
const styles::LegendItem* class_item(const pipeline::Scene& scene, std::size_t i) {
    if (i >= scene.fills.size()) {
        return nullptr;
    }
    for (const auto& item : scene.legend) {
        if (item.swatch == styles::Swatch::fill && item.color == scene.fills[i]) {
            return &item;
        }
    }
    return nullptr;
}

std::string class_label(const pipeline::Scene& scene, std::size_t i) {
    const styles::LegendItem* item = class_item(scene, i);
    return item != nullptr ? item->label : std::string();
}

std::string legend_label(const pipeline::Scene& scene, styles::Swatch swatch, const char* fallback) {
    for (const auto& item : scene.legend) {
        if (item.swatch == swatch) {
            return item.label;
        }
    }
    return fallback;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return format_value(static_cast<double>(n)) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string format_value(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e15) {
        const auto whole = static_cast<long long>(std::abs(value));
        std::string digits = std::to_string(whole);
        std::string out;
        for (std::size_t k = 0; k < digits.size(); ++k) {
            if (k > 0 && (digits.size() - k) % 3 == 0) {
                out += ',';
            }
            out += digits[k];
        }
        return (value < 0 ? "-" : "") + out;
    }
    return shortest(value);
}

namespace {

/// The features the map shows: those with geometry left in the frame (an extent clips the others
/// away), in scene order. The alt text and the data table describe these and no others.
std::vector<std::size_t> in_frame(const pipeline::Scene& scene) {
    std::vector<std::size_t> out;
    out.reserve(scene.features.size());
    for (std::size_t i = 0; i < scene.features.size(); ++i) {
        if (!scene.features[i].empty()) {
            out.push_back(i);
        }
    }
    return out;
}

std::string opening(const pipeline::Scene& scene, std::size_t shown, const std::string& as_of) {
    std::string out;
    if (!scene.title.empty()) {
        out += scene.title;
        if (!scene.subtitle.empty()) {
            out += " (" + scene.subtitle + ")";
        }
        out += ". ";
    }
    const std::string what = scene.legend_title.empty() ? std::string("values") : scene.legend_title;
    out += "A map of " + what + " across " + plural(shown, "area", "areas");
    if (!as_of.empty()) {
        out += ", as of " + as_of;
    }
    return out + ".";
}

/// The range and the three highest values of the shown features.
std::string value_sentences(const pipeline::Scene& scene, const std::vector<std::size_t>& shown) {
    std::vector<std::size_t> with_value;
    for (const std::size_t i : shown) {
        if (i < scene.info.size() && scene.info[i].value && std::isfinite(*scene.info[i].value)) {
            with_value.push_back(i);
        }
    }
    if (with_value.empty()) {
        return " No area has data.";
    }
    // Highest first; ties keep scene order, so the text is the same on every run.
    std::stable_sort(with_value.begin(), with_value.end(), [&](std::size_t a, std::size_t b) {
        return *scene.info[a].value > *scene.info[b].value;
    });
    const std::size_t hi = with_value.front();
    const std::size_t lo = with_value.back();
    std::string out = " " + plural(with_value.size(), "area has", "areas have") + " data; values range from " +
                      format_value(*scene.info[lo].value) + " (" + pipeline::place_name(scene, lo) + ") to " +
                      format_value(*scene.info[hi].value) + " (" + pipeline::place_name(scene, hi) + ").";
    out += " Highest: ";
    const std::size_t top = std::min<std::size_t>(3, with_value.size());
    for (std::size_t k = 0; k < top; ++k) {
        const std::size_t i = with_value[k];
        out += (k > 0 ? ", " : "") + pipeline::place_name(scene, i) + " (" + format_value(*scene.info[i].value) + ")";
    }
    return out + ".";
}

/// How many holdouts (with the first ten named), partial holdouts and state bans the map marks.
std::string mark_sentences(const pipeline::Scene& scene, const std::vector<std::size_t>& shown) {
    std::vector<std::size_t> holdouts;
    std::size_t partial = 0;
    for (const std::size_t i : shown) {
        if (flag(scene.highlighted, i)) {
            holdouts.push_back(i);
        }
        if (flag(scene.partial, i)) {
            ++partial;
        }
    }
    std::string out;
    if (!holdouts.empty()) {
        out += " " + plural(holdouts.size(), "holdout is", "holdouts are") + " marked (" +
               legend_label(scene, styles::Swatch::hatch, "highlighted") + ")";
        if (!scene.info.empty()) {
            out += ": ";
            const std::size_t named = std::min<std::size_t>(10, holdouts.size());
            for (std::size_t k = 0; k < named; ++k) {
                out += (k > 0 ? ", " : "") + pipeline::place_name(scene, holdouts[k]);
            }
            if (holdouts.size() > named) {
                out += " and " + format_value(static_cast<double>(holdouts.size() - named)) + " more";
            }
        }
        out += ".";
    }
    if (partial > 0) {
        out += " " + plural(partial, "area is", "areas are") + " marked as partial holdouts.";
    }
    std::size_t bans = 0;
    for (std::size_t i = 0; i < scene.overlay.size(); ++i) {
        bans += flag(scene.overlay_highlighted, i) && !scene.overlay[i].empty() ? 1 : 0;
    }
    if (bans > 0) {
        out += " " + plural(bans, "state is", "states are") + " marked (" +
               legend_label(scene, styles::Swatch::overlay_hatch, "state ban") + ").";
    }
    return out;
}

/// The classes of the legend with how many shown features fall in each.
std::string class_sentence(const pipeline::Scene& scene, const std::vector<std::size_t>& shown) {
    std::string classes;
    for (const auto& item : scene.legend) {
        if (item.swatch != styles::Swatch::fill) {
            continue;
        }
        // Counted as the data table assigns classes, so the two always agree.
        const auto count = static_cast<std::size_t>(
            std::count_if(shown.begin(), shown.end(), [&](std::size_t i) { return class_item(scene, i) == &item; }));
        classes += (classes.empty() ? "" : "; ") + item.label;
        if (count > 0) {
            classes += ": " + plural(count, "area", "areas");
        }
    }
    return classes.empty() ? std::string() : " Classes: " + classes + ".";
}

}  // namespace

std::string alt_text(const pipeline::Scene& scene, const std::string& as_of) {
    const std::vector<std::size_t> shown = in_frame(scene);
    return opening(scene, shown.size(), as_of) + value_sentences(scene, shown) + mark_sentences(scene, shown) +
           class_sentence(scene, shown);
}

std::string data_csv(const pipeline::Scene& scene) {
    std::string out = "key,name,value,class,mark\n";
    for (const std::size_t i : in_frame(scene)) {
        const pipeline::FeatureInfo info = i < scene.info.size() ? scene.info[i] : pipeline::FeatureInfo{};
        out += csv_field(info.key) + "," + csv_field(info.name) + ",";
        if (info.value) {
            out += shortest(*info.value);
        }
        out += "," + csv_field(class_label(scene, i)) + ",";
        out += flag(scene.highlighted, i) ? "holdout" : (flag(scene.partial, i) ? "partial" : "");
        out += "\n";
    }
    return out;
}

}  // namespace choro::render
