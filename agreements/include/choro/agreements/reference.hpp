#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "choro/geo/text.hpp"

/// @file
/// The reference tables placement needs (counties, FBI agency roster, cities, manual tables),
/// read once and indexed by state so each lookup is a hash-map probe.

namespace choro::agreements {

/// One county or county equivalent of reference/us_counties_fips.csv.
struct County {
    std::string fips;        ///< 5 digits
    std::string state_fips;  ///< 2 digits
    std::string state;       ///< postal abbreviation
    std::string name;        ///< short name ("Fairfax")
    std::string full_name;   ///< legal name ("Fairfax city"); empty for territories
};

/// One state, DC or territory, from choro's one state table (choro/geo/us_states.hpp).
struct State {
    std::string fips;  ///< 2 digits
    std::string abbr;  ///< "PA"
    std::string name;  ///< "Pennsylvania"
};

/// A member list from the manual regional tables: agency → counties it covers.
struct RegionalAgency {
    std::string state;                     ///< abbreviation
    std::string agency;                    ///< as written in the table
    std::vector<std::string> county_fips;  ///< in table order, no duplicates
};

/// Lowercases, folds accents and apostrophes, turns punctuation into spaces, "saint" into "st" and
/// collapses white space: `normalise_name(" St. Lucie  County ") == "st lucie county"`. O(n).
[[nodiscard]] std::string normalise_name(std::string_view text);

/// Levenshtein distance of two byte strings. O(a*b).
using geo::edit_distance;  // choro/geo/text.hpp

/// How a county name was matched.
struct CountyMatch {
    std::string fips;
    std::string how;  ///< "exact", "base name", "fuzzy 'x' -> 'y'"
};

/// The reference tables, indexed. Build once with load_reference(); lookups are const and
/// thread-safe. Keeps its own copies of all data.
class Reference {
public:
    /// All counties in file order.
    [[nodiscard]] const std::vector<County>& counties() const noexcept { return m_counties; }
    /// All states, DC and territories (geo::us_states()), in FIPS order.
    [[nodiscard]] const std::vector<State>& states() const noexcept { return m_states; }
    /// A state by postal abbreviation; nullptr when unknown.
    [[nodiscard]] const State* state_by_abbr(std::string_view abbr) const;
    /// A county by FIPS; nullptr when unknown.
    [[nodiscard]] const County* county(std::string_view fips) const;

    /// Matches a county name ("St. Luice County" after fixes, "Hopewell County", "ST CLAIR") within
    /// one state: ICE's county-name fixes, then exact legal name, then base name (suffix County,
    /// Parish, Borough, Census Area, city... dropped; a "city" cell prefers Virginia's independent
    /// city), then edit distance <= 2 when unique. nullopt when nothing matches.
    [[nodiscard]] std::optional<CountyMatch> match_county(std::string_view state, std::string_view name) const;

    /// Counties of a city agency in the FBI LEE roster (type City), by normalised city name within
    /// the state; empty when absent or ambiguous.
    [[nodiscard]] std::vector<std::string> fbi_city_counties(std::string_view state, std::string_view city) const;
    /// Counties of any agency in the FBI LEE roster (universities, airports...) by its normalised
    /// name within the state; empty when absent or ambiguous.
    [[nodiscard]] std::vector<std::string> fbi_agency_counties(std::string_view state, std::string_view name) const;
    /// County of a place in simplemaps' cities table; empty when absent or ambiguous.
    [[nodiscard]] std::string simplemaps_city_county(std::string_view state, std::string_view city) const;
    /// Member counties of a regional agency from the manual tables; nullptr when not listed.
    [[nodiscard]] const RegionalAgency* regional(std::string_view state, std::string_view agency) const;
    /// Jurisdiction level from manual-jurisdiction-levels.csv ("Regional", "Judicial District",
    /// "Port", "Campus", "Municipal", "Constable District"); empty when not listed.
    [[nodiscard]] std::string jurisdiction_level(std::string_view state, std::string_view agency) const;
    /// The counties manual-jurisdiction-levels.csv names for an agency ("... Judicial District:
    /// Cleburne, Fulton, Independence, Izard and Stone counties"), in the note's order; empty when
    /// the agency is not listed or its note names no counties.
    [[nodiscard]] const std::vector<std::string>& jurisdiction_counties(std::string_view state,
                                                                        std::string_view agency) const;
    /// A city of the FBI LEE roster near `city` when nothing matches exactly: the only City record
    /// of the state whose name is `city` plus one word ("sunny isles" → "Sunny Isles Beach",
    /// "camden" → "Camden Village") or at edit distance 1 ("pittsburgh" → "Pittsburg"), for names
    /// of 6 letters or more. Returns its counties and sets `found` to its name; empty when there
    /// is no such record or more than one. O(cities of the state).
    [[nodiscard]] std::vector<std::string> fbi_city_like(std::string_view state,
                                                         std::string_view city,
                                                         std::string& found) const;

    friend Reference load_reference(const std::filesystem::path& data_dir);
    friend class ReferenceLoader;  // reference.cpp: one loader per table

private:
    std::vector<County> m_counties;
    std::vector<State> m_states;
    std::unordered_map<std::string, std::size_t> m_county_by_fips;
    std::unordered_map<std::string, std::size_t> m_state_by_abbr;
    std::unordered_map<std::string, std::vector<std::size_t>> m_by_full;         ///< "PA|st lucie county"
    std::unordered_map<std::string, std::vector<std::size_t>> m_by_base;         ///< "PA|st lucie"
    std::unordered_map<std::string, std::vector<std::size_t>> m_by_state;        ///< "PA" -> counties
    std::unordered_map<std::string, std::string> m_county_fixes;                 ///< "PA|lawrence" -> "Lawrence County"
    std::unordered_map<std::string, std::vector<std::string>> m_fbi_city;        ///< "PA|york" -> fips list
    std::unordered_map<std::string, std::vector<std::string>> m_fbi_any;         ///< any agency type
    std::unordered_map<std::string, std::string> m_cities;                       ///< "PA|york" -> fips ("" = ambiguous)
    std::unordered_map<std::string, RegionalAgency> m_regional;                  ///< "PA|agency key"
    std::unordered_map<std::string, std::string> m_levels;                       ///< "PA|agency key" -> level
    std::unordered_map<std::string, std::vector<std::string>> m_level_counties;  ///< "PA|agency key" -> fips
    std::unordered_map<std::string, std::vector<std::string>> m_fbi_city_names;  ///< "PA" -> city keys
};

/// Reads reference/us_counties_fips.csv, reference/fbi-lee/fbi_lee_latest.csv,
/// reference/simplemaps-uscities/uscities.csv and reference/deportationdata-ice-287g-manual/*.csv
/// under `data_dir`. Throws InputError naming the file for a missing file or column, or a county
/// name in a manual table that matches no county. Takes ~100 ms (the two large tables).
[[nodiscard]] Reference load_reference(const std::filesystem::path& data_dir);

/// A key for an agency name: normalised, "sheriffs" read as "sheriff's", so that ICE's spelling
/// variants of one agency compare equal.
[[nodiscard]] std::string agency_key(std::string_view name);

}  // namespace choro::agreements
