#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// ICE's 287(g) participating-agencies sheet, read row by row with its slips corrected.

namespace choro::agreements {

class Reference;

/// The three support models of a 287(g) agreement.
enum class SupportModel { jem, wso, tfm, other };

/// Reads ICE's SUPPORT TYPE cell ("Jail Enforcement Model ", "Warrant Service Office"...).
[[nodiscard]] SupportModel parse_support_model(std::string_view cell);
/// "JEM", "WSO", "TFM", "other".
[[nodiscard]] std::string_view to_string(SupportModel model);

/// One row of the sheet = one agreement.
struct AgreementRow {
    std::size_t line = 0;  ///< line (CSV) or row (XLSX) in the file
    std::string state;     ///< postal abbreviation after correction ("PA", "GU", "MP")
    std::string agency;    ///< LAW ENFORCEMENT AGENCY, trimmed
    std::string type;      ///< TYPE, trimmed; empty when the sheet has no TYPE column
    std::string county;    ///< COUNTY, trimmed; empty when absent
    std::string support;   ///< SUPPORT TYPE, trimmed
    SupportModel model = SupportModel::other;
    std::string signed_date;  ///< SIGNED, trimmed
};

/// An agreement the sheet lists more than once: the first row is counted, the others are not.
struct DuplicateRows {
    std::string state, agency, support;
    std::string signed_date;                ///< of the kept row
    std::size_t kept_line = 0;              ///< the row that counts
    std::vector<std::size_t> lines;         ///< the repeats, not counted
    std::vector<std::string> signed_dates;  ///< their SIGNED cells, in parallel with `lines`
};

/// A whole sheet.
struct Sheet {
    std::string path;
    std::vector<AgreementRow> rows;  ///< one per agreement, repeats removed
    std::vector<DuplicateRows> duplicates;
    /// `path:line: ...` for every corrected state name, SIGNED cell that is no real day (kept as
    /// written) and repeated agreement (the first 5 of each kind named, then a count).
    std::vector<std::string> warnings;
    bool has_type = false;
    bool has_county = false;
};

/// Matches ICE's STATE cell to a state, DC or territory: exact (trimmed, any case), a known alias
/// (PENNSLYVANIA, UTAHJ, WEST VIRIGINIA), then the unique name at edit distance <= 2.
/// Returns the abbreviation, or nullopt. `corrected` says whether anything beyond trimming and
/// case was needed.
[[nodiscard]] std::optional<std::string> match_state(const Reference& reference,
                                                     std::string_view cell,
                                                     bool& corrected);

/// Reads a sheet (CSV or XLSX) with geo::read_table, header = the row with a cell "STATE".
/// Throws InputError naming the file (and row, column) for: a missing STATE or LAW ENFORCEMENT
/// AGENCY column, a state that matches nothing, an empty or unreadable file.
/// Blank rows (no state and no agency) are skipped. A row repeating an agreement already read
/// (same state, agency_key and support model; for an unrecognised support type also the same
/// SUPPORT TYPE and SIGNED cells) is not counted: it goes to `duplicates` and a warning.
[[nodiscard]] Sheet read_sheet(const std::string& path, const Reference& reference);

/// The snapshot label of an ICE file name: "participatingAgencies05182026am.xlsx" and
/// "ice287g_participating_2026-05-18am.csv" → "2026-05-18am";
/// "ParticipatingEntities-20250119192356.xlsx" and "ice287g_participating_2025-01-19T192356.csv" →
/// "2025-01-19T19:23:56". Empty when the name has no date.
[[nodiscard]] std::string snapshot_label(std::string_view file_name);
/// The ISO date (first 10 characters) of a label; empty when the label is empty.
[[nodiscard]] std::string snapshot_date(std::string_view label);

}  // namespace choro::agreements
