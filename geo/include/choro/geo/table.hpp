#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// Value tables (CSV, XLSX) as text cells. Keys stay text so FIPS keep their leading zeros;
/// numbers are parsed where they are used, with the row named in any error.

namespace choro::geo {

/// A table with one header row. Every row has exactly `columns.size()` cells.
struct Table {
    std::string source;                          ///< path as given
    std::vector<std::string> columns;            ///< header cells, trimmed
    std::vector<std::vector<std::string>> rows;  ///< cells as text, untrimmed as read
    std::vector<std::size_t> lines;              ///< for each row, its line (CSV) or row number (XLSX), 1-based
    std::vector<std::string> warnings;           ///< things fixed on the way (BOM, extra header rows...)

    /// Index of a column by name (exact, then trimmed and case-insensitive); nullopt if absent.
    [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;
    /// Like find_column but throws InputError naming the file and listing the columns there are.
    [[nodiscard]] std::size_t column(std::string_view name) const;
};

struct TableOptions {
    std::string sheet;           ///< XLSX sheet name; empty = the first
    std::string header_contains; ///< pick as header the first row that has a cell equal to this (trimmed,
                                 ///< case-insensitive); empty = the first non-empty row
};

/// Reads a CSV (RFC 4180: quotes, quoted newlines, CRLF, a UTF-8 BOM) or an XLSX sheet.
/// The format is taken from the extension (.csv, .tsv, .txt = CSV; .xlsx = XLSX).
/// Throws InputError with path and line for: a missing file, an empty table (no header or no rows),
/// a ragged row (wrong number of cells), an unterminated quote, bytes that are not UTF-8.
[[nodiscard]] Table read_table(const std::string& path, const TableOptions& options = {});

/// Parses a number cell: trims, accepts "1,234", "12.0"; empty, "NA", "N/A", "#N/A" → nullopt.
/// Throws nothing; returns nullopt for text that is not a number (callers decide if that is an error).
[[nodiscard]] std::optional<double> parse_number(std::string_view cell);

}  // namespace choro::geo
