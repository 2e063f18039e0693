#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
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

/// Totals of a sheet, for summary.json and notes.txt.
struct Totals {
    std::size_t agreements = 0, agencies = 0, placed = 0, statewide = 0, statewide_agreements = 0, unplaced = 0;
    std::size_t jem = 0, wso = 0, tfm = 0, other = 0;
};
[[nodiscard]] Totals totals(const std::vector<Agency>& agencies);

/// CSV texts (header + rows, `\n` line ends, RFC 4180 quoting).
[[nodiscard]] std::string agencies_csv(const std::vector<Agency>& agencies, const Reference& reference);
[[nodiscard]] std::string counties_csv(const std::vector<CountyCount>& counts);
[[nodiscard]] std::string states_csv(const std::vector<StateCount>& counts);
[[nodiscard]] std::string unplaced_csv(const std::vector<Agency>& agencies);
/// One or two plain lines a map can show under its title.
[[nodiscard]] std::string notes_text(const std::vector<Agency>& agencies);
/// Snapshot label/date, source file and totals as JSON.
[[nodiscard]] std::string summary_json(const std::string& source, const std::vector<Agency>& agencies);

/// Writes agencies.csv, counties.csv, states.csv, unplaced.csv, notes.txt and summary.json into
/// `dir` (created when missing), each atomically. Throws RenderError when a file cannot be written.
void write_outputs(const std::filesystem::path& dir,
                   const Sheet& sheet,
                   const std::vector<Agency>& agencies,
                   const Reference& reference);

/// An agreement (state, agency, support model) present in one snapshot and not the next.
struct Change {
    std::string from, to;  ///< snapshot labels
    std::string kind;      ///< "appeared" or "disappeared"
    std::string state, agency, support, signed_date;
};
/// Agreements of `newer` absent from `older` (appeared) and of `older` absent from `newer`
/// (disappeared), matched on state, agency_key and support model (counted, so duplicates balance).
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
