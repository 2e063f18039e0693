// The map in words (alt text) and as a table (data CSV), from the scene.

#include "choro/render/describe.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

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

std::string name_of(const pipeline::FeatureInfo& info) {
    return info.name.empty() ? info.key : info.name;
}

/// The legend label of feature `i`'s class: the fill entry of the same colour.
std::string class_label(const pipeline::Scene& scene, std::size_t i) {
    if (i >= scene.fills.size()) {
        return {};
    }
    for (const auto& item : scene.legend) {
        if (item.swatch == styles::Swatch::fill && item.color == scene.fills[i]) {
            return item.label;
        }
    }
    return {};
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

std::string alt_text(const pipeline::Scene& scene, const std::string& as_of) {
    std::string out;
    if (!scene.title.empty()) {
        out += scene.title;
        if (!scene.subtitle.empty()) {
            out += " (" + scene.subtitle + ")";
        }
        out += ". ";
    }
    const std::string what = scene.legend_title.empty() ? std::string("values") : scene.legend_title;
    const std::size_t n = scene.features.size();
    out += "A map of " + what + " across " + plural(n, "area", "areas");
    if (!as_of.empty()) {
        out += ", as of " + as_of;
    }
    out += ".";

    std::vector<std::size_t> with_value;
    for (std::size_t i = 0; i < scene.info.size() && i < n; ++i) {
        if (scene.info[i].value && std::isfinite(*scene.info[i].value)) {
            with_value.push_back(i);
        }
    }
    if (!with_value.empty()) {
        // Highest first; ties keep scene order, so the text is the same on every run.
        std::stable_sort(with_value.begin(), with_value.end(), [&](std::size_t a, std::size_t b) {
            return *scene.info[a].value > *scene.info[b].value;
        });
        const auto& hi = scene.info[with_value.front()];
        const auto& lo = scene.info[with_value.back()];
        out += " " + plural(with_value.size(), "area has", "areas have") + " data; values range from " +
               format_value(*lo.value) + " (" + name_of(lo) + ") to " + format_value(*hi.value) + " (" + name_of(hi) +
               ").";
        out += " Highest: ";
        const std::size_t top = std::min<std::size_t>(3, with_value.size());
        for (std::size_t k = 0; k < top; ++k) {
            const auto& f = scene.info[with_value[k]];
            out += (k > 0 ? ", " : "") + name_of(f) + " (" + format_value(*f.value) + ")";
        }
        out += ".";
    } else {
        out += " No area has data.";
    }

    std::vector<std::size_t> holdouts;
    std::size_t partial = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (flag(scene.highlighted, i)) {
            holdouts.push_back(i);
        }
        if (flag(scene.partial, i)) {
            ++partial;
        }
    }
    if (!holdouts.empty()) {
        out += " " + plural(holdouts.size(), "holdout is", "holdouts are") + " marked (" +
               legend_label(scene, styles::Swatch::hatch, "highlighted") + ")";
        if (!scene.info.empty()) {
            out += ": ";
            const std::size_t shown = std::min<std::size_t>(10, holdouts.size());
            for (std::size_t k = 0; k < shown; ++k) {
                out += (k > 0 ? ", " : "") + (holdouts[k] < scene.info.size() ? name_of(scene.info[holdouts[k]]) : "");
            }
            if (holdouts.size() > shown) {
                out += " and " + format_value(static_cast<double>(holdouts.size() - shown)) + " more";
            }
        }
        out += ".";
    }
    if (partial > 0) {
        out += " " + plural(partial, "area is", "areas are") + " marked as partial holdouts.";
    }
    const auto bans =
        static_cast<std::size_t>(std::count(scene.overlay_highlighted.begin(), scene.overlay_highlighted.end(), true));
    if (bans > 0) {
        out += " " + plural(bans, "state is", "states are") + " marked (" +
               legend_label(scene, styles::Swatch::overlay_hatch, "state ban") + ").";
    }
    std::string classes;
    for (const auto& item : scene.legend) {
        if (item.swatch != styles::Swatch::fill) {
            continue;
        }
        classes += (classes.empty() ? "" : "; ") + item.label;
        if (item.count > 0) {
            classes += ": " + plural(item.count, "area", "areas");
        }
    }
    if (!classes.empty()) {
        out += " Classes: " + classes + ".";
    }
    return out;
}

std::string data_csv(const pipeline::Scene& scene) {
    std::string out = "key,name,value,class,mark\n";
    for (std::size_t i = 0; i < scene.features.size(); ++i) {
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
