#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "choro/agreements/placement.hpp"
#include "choro/agreements/sheet.hpp"

/// @file
/// Counts per county and per state, the CSV/JSON/text outputs of `choro agreements`, and the
/// agreements that appeared or disappeared between two snapshots.

namespace choro::agreements {

class Reference;

/// Counts for one county. An agency covering several counties counts in each of them.
struct CountyCount {
    std::string fips, state, name;
    std::size_t agreements = 0, agencies = 0, jem = 0, wso = 0, tfm = 0;
};

/// Counts for one state, DC or territory, from the sheet's rows (not from counties), so they
/// equal ICE's row counts.
struct StateCount {
    std::string fips, abbr, name;
    std::size_t agreements = 0, agencies = 0, jem = 0, wso = 0, tfm = 0;
    std::size_t statewide_agencies = 0, statewide_agreements = 0;
    std::size_t unplaced_agencies = 0;
};

/// One row per county of the reference (zeros included), in reference order. O(counties + agencies).
[[nodiscard]] std::vector<CountyCount> count_by_county(const std::vector<Agency>& agencies, const Reference& reference);
/// One row per state and DC, plus each territory that has agreements, in FIPS order.
[[nodiscard]] std::vector<StateCount> count_by_state(const std::vector<Agency>& agencies, const Reference& reference);

/// Totals of a sheet, for summary.json and notes.txt. Statewide agencies of territories (CNMI)
/// count in `statewide` and in `territory_*`.
struct Totals {
    std::size_t agreements = 0, agencies = 0, placed = 0, statewide = 0, statewide_agreements = 0, unplaced = 0;
    std::size_t jem = 0, wso = 0, tfm = 0, other = 0;
    std::size_t placed_agreements = 0;  ///< agreements of agencies placed in at least one county
    /// Sum of the county table's agreements: an agency covering k counties counts k times.
    std::size_t county_total_agreements = 0;
    std::size_t multi_county = 0;                                  ///< agencies counted in more than one county
    std::size_t territory_agencies = 0, territory_agreements = 0;  ///< of AS, GU, MP, VI (not PR)
};
[[nodiscard]] Totals totals(const std::vector<Agency>& agencies);

/// CSV texts (header + rows, `\n` line ends, RFC 4180 quoting).
[[nodiscard]] std::string agencies_csv(const std::vector<Agency>& agencies, const Reference& reference);
[[nodiscard]] std::string counties_csv(const std::vector<CountyCount>& counts);
[[nodiscard]] std::string states_csv(const std::vector<StateCount>& counts);
[[nodiscard]] std::string unplaced_csv(const std::vector<Agency>& agencies);
/// The kinds of state agencies counted at state level, named from the agencies present
/// ("corrections", "state police and highway patrol", ...), with how many of each, most first.
/// Agencies of territories are left out. O(agencies).
[[nodiscard]] std::vector<std::pair<std::string, std::size_t>> statewide_categories(
    const std::vector<Agency>& agencies);
/// Plain lines a map can show under its title: state agencies counted at state level (with their
/// kinds), agencies of territories the US map does not show, agencies counted in several counties
/// (with the county total against the placed agreements), unplaced agencies.
[[nodiscard]] std::string notes_text(const std::vector<Agency>& agencies);
/// Snapshot label/date, source file and totals as JSON (the notes' figures included).
[[nodiscard]] std::string summary_json(const std::string& source,
                                       const std::vector<Agency>& agencies,
                                       std::size_t duplicate_rows = 0);
/// The repeated rows of a sheet: state, agency, support_type, signed, kept_line, duplicate_lines.
[[nodiscard]] std::string duplicates_csv(const Sheet& sheet);

/// Writes agencies.csv, counties.csv, states.csv, unplaced.csv, duplicates.csv, notes.txt and summary.json into
/// `dir` (created when missing), each atomically. Throws RenderError when a file cannot be written.
void write_outputs(const std::filesystem::path& dir,
                   const Sheet& sheet,
                   const std::vector<Agency>& agencies,
                   const Reference& reference);

/// An agreement (state, agency, support model) that changed between two snapshots.
struct Change {
    std::string from, to;  ///< snapshot labels
    /// "appeared", "ended" (gone and not renamed), "renamed" (old and new name of one agreement)
    /// or "moved" (same agency and agreement, placed in another county).
    std::string kind;
    std::string state, agency, support, signed_date;
    std::string previous_agency;                    ///< "renamed": the old name
    std::string county_fips, previous_county_fips;  ///< where placed (with agencies given)
};
/// True when two agency names of one state are one agency renamed or corrected by ICE: their keys
/// (with dept/ft/twp spelled out) are within edit distance 2 or 10 % of the longer, or the words of
/// one appear in order in the other (at least two words): "Dogulas County Sheriff's Office" and
/// "Douglas County Sheriff's Office", "Idaho State Police" and "Idaho State Police Department".
[[nodiscard]] bool similar_agency_names(std::string_view a, std::string_view b);
/// The changes from `older` to `newer`. Agreements are matched on state, agency_key and support
/// model (counted, so repeats balance). An unmatched old agreement and an unmatched new one with
/// the same state, support model and (non-blank) signed date and similar_agency_names() are one
/// "renamed" agreement (closest names paired first, one to one); the other unmatched ones are
/// "ended" and "appeared". With the placed agencies of both sheets, a matched agreement whose
/// agency's main county differs is "moved". Order: appeared, ended, renamed, moved, each by key.
/// O(changes² + rows).
[[nodiscard]] std::vector<Change> compare_snapshots(const Sheet& older,
                                                    const std::vector<Agency>& older_agencies,
                                                    const Sheet& newer,
                                                    const std::vector<Agency>& newer_agencies);
/// The same without placement: no "moved" rows and no counties.
[[nodiscard]] std::vector<Change> compare_snapshots(const Sheet& older, const Sheet& newer);
[[nodiscard]] std::string changes_csv(const std::vector<Change>& changes);

/// Counts of one snapshot, for the long tables of `--snapshots`.
struct SnapshotCounts {
    std::string label;  ///< "2026-05-18am"
    std::string date;   ///< "2026-05-18"
    std::vector<StateCount> states;
    std::vector<CountyCount> counties;
    Totals totals;
};
/// Places a sheet's agencies and counts them. O(rows).
[[nodiscard]] SnapshotCounts count_snapshot(const Sheet& sheet,
                                            const std::vector<Agency>& agencies,
                                            const Reference& reference);
/// snapshot_label, snapshot_date, then the states.csv columns; one row per state per snapshot.
[[nodiscard]] std::string snapshot_states_csv(const std::vector<SnapshotCounts>& snapshots);
/// snapshot_label, snapshot_date, then the counties.csv columns; only counties with an agency
/// (a county absent from a snapshot has zero there).
[[nodiscard]] std::string snapshot_counties_csv(const std::vector<SnapshotCounts>& snapshots);

}  // namespace choro::agreements
