#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "choro/styles/classify.hpp"

/// @file
/// How the numbers of a map are written for readers: legend class labels and the values in place
/// labels, rounded to the data's precision, with thousands separators, compact (1.2M) or as percents.

namespace choro::styles {

/// `--legend-format`: automatic (plain, or percent when the value column is a share), plain,
/// compact (1.2K, 3.4M, 5.6B) or percent.
enum class LegendFormat { automatic, plain, compact, percent };

/// "auto", "plain", "compact", "percent" → LegendFormat ("automatic" also accepted). Throws JobError
/// (no path) for anything else, suggesting the nearest.
[[nodiscard]] LegendFormat parse_legend_format(std::string_view text);
/// "auto", "plain", "compact", "percent".
[[nodiscard]] const char* legend_format_name(LegendFormat format) noexcept;

/// `--legend-layout`: classes stacked top to bottom, or side by side in a row.
enum class LegendLayout { vertical, horizontal };

/// "vertical", "horizontal" → LegendLayout. Throws JobError (no path) for anything else.
[[nodiscard]] LegendLayout parse_legend_layout(std::string_view text);
/// "vertical", "horizontal".
[[nodiscard]] const char* legend_layout_name(LegendLayout layout) noexcept;

/// How one map writes its numbers: worked out once from the data by number_style().
struct NumberStyle {
    LegendFormat format = LegendFormat::plain;  ///< never automatic once resolved
    /// Decimals the data are written with (0 for whole numbers; in percent points for shares).
    int decimals = 0;
    /// The values are all multiples of 10^-decimals (counts, or figures given to a fixed precision):
    /// class ranges are then written closed and apart ("1–4", "5–12"). Otherwise (computed ratios)
    /// neighbouring ranges share their edge ("1.5–3.2", "3.2–6.7").
    bool discrete = true;
    bool fraction = false;  ///< percent of shares given as 0–1: written ×100
};

/// The style for a value column: the precision of its values (up to 4 decimals count as the data's
/// precision; more mean computed values, written with 2 significant digits of the largest), and for
/// LegendFormat::automatic, percent when the column's name says it is a share ("percent", "pct",
/// "share", "proportion", "%") and every value lies in 0–100. Percent of values all within 0–1
/// are shares written ×100. NaN, infinities and no data are ignored. O(n).
///
///     auto style = choro::styles::number_style(values, LegendFormat::automatic, "pct_holdout");
[[nodiscard]] NumberStyle number_style(std::span<const std::optional<double>> values,
                                       LegendFormat format,
                                       std::string_view column = {});

/// One value as readers see it: "1,234", "1,234.5", "1.2M", "45%", "−3". Non-finite → "".
[[nodiscard]] std::string format_number(double value, const NumberStyle& style);

/// The legend text of every class of `breaks`, bottom to top, in `style`: whole numbers stay whole
/// ("1–4", "5–12", "13+"), the top class is open ("13+") and every edge is stated once; a class of
/// one value is that value; categorical classes are their values. Labels of neighbouring classes
/// are always distinct (decimals are added when rounding would merge them). O(k).
[[nodiscard]] std::vector<std::string> class_labels(const Breaks& breaks, const NumberStyle& style);

}  // namespace choro::styles
