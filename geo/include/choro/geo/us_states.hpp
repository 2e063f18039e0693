#pragma once

#include <span>
#include <string_view>

/// @file
/// The US states, DC and the five inhabited territories: FIPS code, USPS abbreviation and Census
/// name. One compiled table for every module (highlights, agreements); a test checks it against
/// the Census-derived reference files (us_counties_fips.csv, kjhealy state_fips_master.csv).

namespace choro::geo {

/// One state, DC or territory. Names are the Census names of us-atlas ("Commonwealth of the
/// Northern Mariana Islands", "United States Virgin Islands").
struct UsState {
    std::string_view fips;  ///< 2 digits, "01".."78"
    std::string_view abbr;  ///< USPS, "AL"
    std::string_view name;  ///< "Alabama"

    /// True for AS, GU, MP, PR and VI (FIPS 60 and above).
    [[nodiscard]] constexpr bool territory() const noexcept { return fips >= "60"; }
};

/// All 56 entries (50 states, DC, AS, GU, MP, PR, VI), sorted by FIPS. Static storage; never throws.
///
///     for (const geo::UsState& s : geo::us_states()) { ... }
[[nodiscard]] std::span<const UsState> us_states() noexcept;

/// Looks up by FIPS ("24", or "6" for a spreadsheet that dropped the zero), abbreviation or name,
/// case-insensitive and trimmed; nullptr when unknown. O(56).
[[nodiscard]] const UsState* find_us_state(std::string_view any) noexcept;

}  // namespace choro::geo
