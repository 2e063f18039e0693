#pragma once

#include <string>
#include <vector>

#include "choro/geo/layer.hpp"
#include "choro/styles/job.hpp"

/// @file
/// Holdout highlighting: which features and which overlay (state) features to mark.

namespace choro::styles {

struct Highlights {
    std::vector<bool> features;  ///< one per feature of the main layer
    std::vector<bool> overlay;   ///< one per feature of the overlay layer (may be empty)
    std::size_t rows_used = 0;
    std::vector<std::string> unmatched;  ///< "line 12: key 99999 matches no feature"
};

/// Reads the highlight table of `settings` and marks the features whose key it lists.
/// State abbreviations ("MD") are turned into state FIPS ("24") when the overlay keys are FIPS.
/// Throws InputError naming the table for missing columns. With an empty `settings.source`
/// returns all-false vectors.
[[nodiscard]] Highlights read_highlights(const HighlightSource& settings,
                                         const geo::Layer& layer,
                                         const geo::Layer* overlay);

/// US state and territory FIPS ↔ USPS abbreviation ↔ name (the 50 states, DC and the territories).
struct StateInfo {
    const char* fips;
    const char* abbr;
    const char* name;
};
[[nodiscard]] const std::vector<StateInfo>& us_states();
/// Looks up by FIPS, abbreviation or name (case-insensitive, trimmed); nullptr when unknown.
[[nodiscard]] const StateInfo* find_state(std::string_view any);

}  // namespace choro::styles
