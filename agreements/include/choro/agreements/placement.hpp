#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "choro/agreements/sheet.hpp"

/// @file
/// Placing each agency of a sheet in its county (or at state level), with the evidence used.

namespace choro::agreements {

class Reference;

/// How an agency was placed, in order of evidence.
enum class Method {
    ice_county,           ///< ICE's COUNTY cell (after fixes) matched within the state
    sheriff_name,         ///< a sheriff: the county in its own name (wins over a disagreeing cell)
    agency_name_county,   ///< "X County ..." in the name of a county-type agency without a usable cell
    fbi_city,             ///< municipal: the city's county in the FBI LEE roster
    fbi_city_override,    ///< municipal: FBI LEE's county for the exact city overrides ICE's cell
    simplemaps_city,      ///< municipal: the city's county in simplemaps' table
    regional_manual,      ///< regional jail / police: member counties from the manual tables
    jurisdiction_manual,  ///< judicial district, regional body: the counties its manual-jurisdiction-levels note names
    campus,               ///< a state college named after its city, or listed by FBI LEE in ICE's county
    territory,            ///< Guam: its one county equivalent
    statewide,            ///< a state (or territory-wide) agency: counted at state level
    unplaced,             ///< nothing matched; see `reason`
};
[[nodiscard]] std::string_view to_string(Method method);

/// One agency of a sheet with its agreements and its place.
struct Agency {
    std::string state;               ///< abbreviation
    std::string name;                ///< as first written in the sheet
    std::string key;                 ///< agency_key(name)
    std::string type;                ///< ICE TYPE (or inferred from the name for old sheets)
    std::string ice_county;          ///< ICE COUNTY cell (first non-blank)
    std::vector<std::size_t> lines;  ///< sheet lines of its agreements
    std::vector<SupportModel> models;
    std::vector<std::string> signed_dates;
    std::size_t jem = 0, wso = 0, tfm = 0;
    std::string county_fips;  ///< main county; empty when statewide or unplaced
    /// Every county it covers (main first). An agency covering several counties is counted in
    /// each of them: county totals add to more than the agreements placed (see Totals).
    std::vector<std::string> county_fips_all;
    Method method = Method::unplaced;
    double confidence = 0.0;  ///< 0..1: exact cell 1.0, fuzzy 0.8, name-based 0.9...
    std::string note;         ///< evidence or reason

    [[nodiscard]] std::size_t agreements() const noexcept { return lines.size(); }
};

/// Groups the rows by agency (same state, same agency_key) and places each. O(rows), hash lookups.
/// Never throws for data it cannot place: those get Method::unplaced and a reason in `note`.
[[nodiscard]] std::vector<Agency> place_agencies(const Sheet& sheet, const Reference& reference);

}  // namespace choro::agreements
