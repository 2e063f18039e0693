#include "choro/styles/legend.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"

namespace choro::styles {

const char* swatch_name(Swatch s) noexcept {
    switch (s) {
        case Swatch::fill:
            return "fill";
        case Swatch::hatch:
            return "hatch";
        case Swatch::overlay_hatch:
            return "overlay_hatch";
        case Swatch::partial_hatch:
            return "partial_hatch";
        case Swatch::overlay_enacted:
            return "overlay_enacted";
    }
    return "fill";
}

std::optional<Swatch> parse_swatch(std::string_view name) noexcept {
    for (const Swatch s :
         {Swatch::fill, Swatch::hatch, Swatch::overlay_hatch, Swatch::partial_hatch, Swatch::overlay_enacted}) {
        if (name == swatch_name(s)) {
            return s;
        }
    }
    return std::nullopt;
}

Color ClassColors::fill(ClassId id) const {
    if (id == zero_class) {
        return zero;
    }
    if (id >= 0 && static_cast<std::size_t>(id) < classes.size()) {
        return classes[static_cast<std::size_t>(id)];
    }
    // no_data_class, and (defensively) an id from breaks with more classes than colours.
    CHORO_ASSERT(id == no_data_class);
    return no_data;
}

ClassColors class_colors(const Breaks& breaks, const StyleSettings& style) {
    ClassColors colors;
    colors.zero = style.zero;
    colors.no_data = style.no_data;
    if (breaks.size() > 0) {
        colors.classes = palette(style.palette, breaks.size(), style.reverse_palette);
    } else {
        (void)palette(style.palette, 3);  // still reject an unknown palette
    }
    return colors;
}

namespace {

std::vector<LegendItem> make_items(const Breaks& breaks,
                                   const ClassColors& colors,
                                   const StyleSettings& style,
                                   const HighlightSource& highlight,
                                   const std::string& zero_label,
                                   const std::vector<std::string>& labels,
                                   bool with_highlight,
                                   bool with_state_highlight,
                                   bool with_partial,
                                   bool with_enacted) {
    std::vector<LegendItem> items;
    std::size_t total = breaks.zero_count + breaks.no_data_count;
    for (const std::size_t c : breaks.counts) {
        total += c;
    }
    const auto share = [&](std::size_t count) {
        return total > 0 ? static_cast<double>(count) / static_cast<double>(total) : 0.0;
    };
    if (breaks.has_zero_class && breaks.zero_count > 0) {
        items.push_back(
            {Swatch::fill, colors.zero, zero_label, breaks.zero_count, zero_class, share(breaks.zero_count)});
    }
    for (std::size_t i = 0; i < breaks.size(); ++i) {
        items.push_back({Swatch::fill,
                         colors.fill(static_cast<ClassId>(i)),
                         labels[i],
                         breaks.counts[i],
                         static_cast<ClassId>(i),
                         share(breaks.counts[i])});
    }
    if (breaks.no_data_count > 0) {
        items.push_back({Swatch::fill,
                         colors.no_data,
                         "No data",
                         breaks.no_data_count,
                         no_data_class,
                         share(breaks.no_data_count)});
    }
    if (with_highlight) {
        items.push_back({Swatch::hatch, style.highlight, highlight.label, 0});
    }
    if (with_partial) {
        items.push_back({Swatch::partial_hatch, style.highlight, highlight.partial_label, 0});
    }
    if (with_state_highlight) {
        items.push_back({Swatch::overlay_hatch, style.highlight, highlight.state_label, 0});
    }
    if (with_enacted) {
        items.push_back({Swatch::overlay_enacted, style.highlight, highlight.enacted_label, 0});
    }
    return items;
}

}  // namespace

std::vector<LegendItem> legend_items(const Breaks& breaks,
                                     const ClassColors& colors,
                                     const StyleSettings& style,
                                     const HighlightSource& highlight,
                                     bool with_highlight,
                                     bool with_state_highlight,
                                     bool with_partial,
                                     bool with_enacted) {
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < breaks.size(); ++i) {
        labels.push_back(breaks.label(i));
    }
    return make_items(breaks,
                      colors,
                      style,
                      highlight,
                      "0",
                      labels,
                      with_highlight,
                      with_state_highlight,
                      with_partial,
                      with_enacted);
}

std::vector<LegendItem> legend_items(const Breaks& breaks,
                                     const ClassColors& colors,
                                     const StyleSettings& style,
                                     const HighlightSource& highlight,
                                     const NumberStyle& numbers,
                                     bool with_highlight,
                                     bool with_state_highlight,
                                     bool with_partial,
                                     bool with_enacted) {
    return make_items(breaks,
                      colors,
                      style,
                      highlight,
                      format_number(0.0, numbers),
                      class_labels(breaks, numbers),
                      with_highlight,
                      with_state_highlight,
                      with_partial,
                      with_enacted);
}

std::string legend_json(const std::string& title, const std::vector<LegendItem>& items) {
    nlohmann::ordered_json doc;
    doc["title"] = title;
    doc["items"] = nlohmann::ordered_json::array();
    for (const auto& item : items) {
        nlohmann::ordered_json j;
        j["label"] = item.label;
        j["color"] = to_hex(item.color);
        j["swatch"] = swatch_name(item.swatch);
        j["count"] = item.count;
        doc["items"].push_back(std::move(j));
    }
    // Invalid UTF-8 in a label (from a data file) is replaced rather than thrown.
    return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace choro::styles
