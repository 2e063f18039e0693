#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "choro/styles/classify.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/legend_format.hpp"
#include "choro/styles/palette.hpp"

/// @file
/// From breaks to colours and legend entries: shared by print maps and tiles (TileJSON legend).

namespace choro::styles {

/// How a legend entry is drawn.
/// `partial_hatch`: a holdout agency in a county where other agencies hold agreements;
/// `overlay_enacted`: a state ban enacted but not yet in force on the map's date.
enum class Swatch { fill, hatch, overlay_hatch, partial_hatch, overlay_enacted };

/// "fill", "hatch", "overlay_hatch", "partial_hatch", "overlay_enacted": the names in tile metadata.
[[nodiscard]] const char* swatch_name(Swatch s) noexcept;
/// The swatch of a name swatch_name() gives; nullopt for any other text.
[[nodiscard]] std::optional<Swatch> parse_swatch(std::string_view name) noexcept;

struct LegendItem {
    Swatch swatch = Swatch::fill;
    Color color;
    std::string label;
    std::size_t count = 0;  ///< features in the class (0 for hatch entries): a histogram legend's bar
    /// The class this entry shows (zero_class, a class index, no_data_class), or no_data_class for
    /// the highlight entries (which are not classes: check `swatch`).
    ClassId cls = no_data_class;
    /// `count` as a share (0–1) of the features in all classes (zero and no data included): the
    /// length of the histogram bar relative to the whole map; 0 for highlight entries.
    double share = 0.0;
};

/// The colour scheme of a classified map: one colour per class plus zero and no data.
struct ClassColors {
    std::vector<Color> classes;
    Color zero;
    Color no_data;

    /// The fill of a feature of class `id` (zero_class and no_data_class included).
    [[nodiscard]] Color fill(ClassId id) const;
};

/// Colours for `breaks` from the style's palette. Throws JobError for an unknown palette.
[[nodiscard]] ClassColors class_colors(const Breaks& breaks, const StyleSettings& style);

/// Legend items, top to bottom: zero (if any), classes ascending, no data (if any), then the
/// highlight entries when `with_highlight` / `with_partial` / `with_state_highlight` /
/// `with_enacted` (in that order).
[[nodiscard]] std::vector<LegendItem> legend_items(const Breaks& breaks,
                                                   const ClassColors& colors,
                                                   const StyleSettings& style,
                                                   const HighlightSource& highlight,
                                                   bool with_highlight,
                                                   bool with_state_highlight,
                                                   bool with_partial = false,
                                                   bool with_enacted = false);

/// The same, with class labels people read (class_labels() in `numbers`: "1–4", "5–12", "13+",
/// "1.2M", "45%") instead of Breaks::label(), and the zero class written in `numbers` too.
[[nodiscard]] std::vector<LegendItem> legend_items(const Breaks& breaks,
                                                   const ClassColors& colors,
                                                   const StyleSettings& style,
                                                   const HighlightSource& highlight,
                                                   const NumberStyle& numbers,
                                                   bool with_highlight,
                                                   bool with_state_highlight,
                                                   bool with_partial,
                                                   bool with_enacted);

/// The legend as JSON (for MBTiles metadata and TileJSON): {"title":…, "items":[{"label","color","swatch","count"}]}.
[[nodiscard]] std::string legend_json(const std::string& title, const std::vector<LegendItem>& items);

}  // namespace choro::styles
