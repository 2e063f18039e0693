#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "choro/geo/layer.hpp"
#include "choro/geo/us_states.hpp"
#include "choro/styles/job.hpp"

/// @file
/// Holdout highlighting: which features and which overlay (state) features to mark.

namespace choro::styles {

/// What the highlight table marks on one map, resolved for the map's date (`as_of`).
struct Highlights {
    /// One per feature: the county itself holds out (a county-level row, or a table without a level
    /// column) and no agency in it holds an agreement (full mark).
    std::vector<bool> features;
    /// One per feature: a holdout agency, not the whole county: a row below county level (a city's
    /// police: Dallas TX) or a feature where other agencies hold agreements (its value is above 0:
    /// Harris County TX, whose sheriff opted out while Southside Place's police holds one).
    std::vector<bool> partial;
    std::vector<bool> overlay;          ///< one per overlay feature: state ban in force (may be empty)
    std::vector<bool> overlay_enacted;  ///< one per overlay feature: ban enacted, not yet in force
    std::size_t rows_used = 0;
    std::size_t rows_after_date = 0;     ///< rows whose event (or, for a feature, in-force) date is after as_of
    std::vector<std::string> unmatched;  ///< "line 12: key 99999 matches no feature"
};

/// Reads the highlight table of `settings` and marks the features whose key it lists.
/// State abbreviations ("MD") are turned into state FIPS ("24") when the overlay keys are FIPS.
/// With `settings.as_of` set, a row dated (`settings.date`) after it is not drawn, and a row whose
/// in-force date (`settings.in_force`) is after it is a ban "enacted, not yet in force" (state rows,
/// `overlay_enacted`) or not drawn (feature rows); partial dates count from their first day; a date
/// cell that is no date is listed in `unmatched` and the row skipped. Without `as_of` every row
/// counts as in force. Rows whose level is not county, parish or borough mark `partial`; with
/// `values` (one per feature), a highlighted feature whose value is above 0 moves from `features`
/// to `partial`; a feature with both kinds of row keeps the full mark. Throws InputError naming the table for missing
/// columns. With an empty `settings.source` returns all-false vectors. O(rows + features).
[[nodiscard]] Highlights read_highlights(const HighlightSource& settings,
                                         const geo::Layer& layer,
                                         const geo::Layer* overlay,
                                         const std::vector<std::optional<double>>* values = nullptr);

/// US state and territory FIPS ↔ USPS abbreviation ↔ name: the one table in choro/geo/us_states.hpp.
using StateInfo = geo::UsState;
[[nodiscard]] inline std::span<const StateInfo> us_states() noexcept {
    return geo::us_states();
}
/// Looks up by FIPS, abbreviation or name (case-insensitive, trimmed); nullptr when unknown.
[[nodiscard]] inline const StateInfo* find_state(std::string_view any) noexcept {
    return geo::find_us_state(any);
}

}  // namespace choro::styles
