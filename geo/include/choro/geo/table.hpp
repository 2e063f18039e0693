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
    std::string sheet;            ///< XLSX sheet name; empty = the first
    std::string header_contains;  ///< pick as header the first row that has a cell equal to this (trimmed,
                                  ///< case-insensitive); empty = the first non-empty row
    char delimiter = 0;           ///< CSV cell separator; 0 = detect (, ; TAB or |) from the header line
};

/// Reads a CSV (RFC 4180: quotes, quoted newlines, CRLF, a UTF-8 BOM) or an XLSX sheet.
/// The format is taken from the extension (.csv, .tsv, .txt = CSV; .xlsx = XLSX); `-` reads
/// standard input (an XLSX when it starts like a zip, else CSV). Only regular files are read, up to
/// input_limits::max_table_bytes.
/// Throws InputError with path and line for: a missing file, a FIFO or device, a file beyond the
/// limit, an empty table (no header or no rows), two columns with the same header, a ragged row
/// (wrong number of cells), an unterminated quote, bytes that are not UTF-8, an XLSX cell naming a
/// shared string that does not exist.
[[nodiscard]] Table read_table(const std::string& path, const TableOptions& options = {});

/// How numbers are written in a table ("numbers as people write them").
struct NumberFormat {
    char decimal = '.';           ///< decimal mark: '.' or ','
    std::string thousands;        ///< group separators; "" = ',' (with '.') or '.', space, no-break space
                                  ///< (with ','); "none" = no grouping
    bool strip_percent = false;   ///< "5.2%" reads as 5.2
    bool strip_currency = false;  ///< "$1,200", "1.200 €" read as 1200
};

/// The signs a cell carries around its number (to decide whether a whole column agrees).
struct NumberSigns {
    bool percent = false;
    std::string currency;  ///< "$", "€", "£", "¥", "US$" or ""
};
[[nodiscard]] NumberSigns number_signs(std::string_view cell);

/// Parses a number cell: trims, accepts "1,234", "12.0"; empty, "NA", "N/A", "#N/A" → nullopt.
/// Throws nothing; returns nullopt for text that is not a number (callers decide if that is an error).
[[nodiscard]] std::optional<double> parse_number(std::string_view cell);

/// The same with a number format: `parse_number("1.234,5", {.decimal = ','}) == 1234.5`.
[[nodiscard]] std::optional<double> parse_number(std::string_view cell, const NumberFormat& format);

}  // namespace choro::geo
