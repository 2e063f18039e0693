#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// Classification of values into classes for a choropleth.

namespace choro::styles {

enum class Method { quantile, equal, jenks, manual, categorical };

/// "quantile", "equal", "jenks", "manual", "categorical" ↔ Method. Parse throws JobError (no path).
[[nodiscard]] Method parse_method(std::string_view name);
[[nodiscard]] std::string to_string(Method m);

/// When zero gets its own class.
enum class ZeroClass { automatic, on, off };

struct ClassifyOptions {
    Method method = Method::quantile;
    std::size_t classes = 5;                ///< wanted number of classes (1..12; more is a LimitError)
    std::vector<double> manual_breaks;      ///< inner edges for Method::manual, ascending ("--breaks 1,5,10")
    ZeroClass zero = ZeroClass::automatic;  ///< automatic: on when all values are whole numbers >= 0 and some are 0
};

/// The class of a value: an index into Breaks::counts, or one of the special classes.
using ClassId = int;
inline constexpr ClassId no_data_class = -2;
inline constexpr ClassId zero_class = -1;

/// The result of classify(). Class i holds values in [edges[i], edges[i+1]] (first closed on both
/// ends, then (edges[i], edges[i+1]]), so edges.size() == counts.size() + 1.
struct Breaks {
    Method method = Method::quantile;
    std::vector<double> edges;
    std::vector<std::size_t> counts;
    bool has_zero_class = false;
    std::size_t zero_count = 0;
    std::size_t no_data_count = 0;
    bool integers = false;              ///< all classified values are whole numbers (labels drop decimals)
    std::vector<std::string> warnings;  ///< e.g. "duplicate quantile edges collapsed: 5 classes requested, 3 made"

    [[nodiscard]] std::size_t size() const noexcept { return counts.size(); }
    /// The class of one value. O(log k).
    [[nodiscard]] ClassId class_of(std::optional<double> value) const;
    /// Legend text of class i ("1–3", "4–10", "> 100" …), using integer ranges when `integers`.
    [[nodiscard]] std::string label(std::size_t i) const;
};

/// Classifies values (nullopt = no data; NaN and infinities count as no data). Jenks is the exact Fisher-Jenks
/// optimisation over all values (O(k·n²) on distinct values), never a sample.
/// Quantile edges that coincide are collapsed with a warning instead of leaving empty classes.
/// Throws JobError for unusable options (manual breaks not ascending, 0 classes) and LimitError
/// beyond 12 classes.
[[nodiscard]] Breaks classify(std::span<const std::optional<double>> values, const ClassifyOptions& options);

}  // namespace choro::styles
