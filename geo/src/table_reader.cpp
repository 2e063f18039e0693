#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "detail/gdal_module.hpp"
#include "detail/text.hpp"

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/table.hpp"

namespace choro::geo {

namespace {

std::string lower_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) { return detail::ascii_lower(c); });
    return ext;
}

void check_table_path(const std::string& path) {
    std::error_code ec;
    if (path != "-" && !std::filesystem::exists(path, ec)) {
        throw InputError(path, "no such file");
    }
    if (path != "-" && std::filesystem::is_directory(path, ec)) {
        throw InputError(path, "is a folder, expected a CSV or XLSX file");
    }
    check_input_file(path, input_limits::max_table_bytes, "value table");
}

/// The column names in a message: "column 3 ('fips')" for CSV, "column C ('fips')" for XLSX.
std::string column_label(std::size_t index, bool letters);

/// Two header cells with the same name (trimmed) would make the second column unreachable: an
/// error naming both. (Names that differ in case only are told apart by an exact lookup;
/// Table::column() refuses a loose lookup that finds both.)
void check_duplicate_headers(const Table& table, std::size_t line, bool letters) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const auto a = detail::trim(table.columns[i]);
        if (a.empty()) {
            continue;
        }
        for (std::size_t j = i + 1; j < table.columns.size(); ++j) {
            if (a == detail::trim(table.columns[j])) {
                throw InputError(table.source,
                                 "two columns have the same header: " + column_label(i, letters) + " and " +
                                     column_label(j, letters) + "; rename one so the table says which to use",
                                 line);
            }
        }
    }
}

/// The delimiter of a CSV: the most frequent of , ; TAB | outside quotes on the first non-empty
/// line (ties go to the comma).
char detect_delimiter(std::string_view text) {
    std::size_t counts[4] = {0, 0, 0, 0};
    const char candidates[4] = {',', ';', '\t', '|'};
    bool quoted = false;
    bool any = false;
    for (const char c : text) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            if (any) {
                break;
            }
        } else if (!quoted) {
            any = true;
            for (int k = 0; k < 4; ++k) {
                counts[k] += c == candidates[k] ? 1 : 0;
            }
        }
    }
    int best = 0;
    for (int k = 1; k < 4; ++k) {
        if (counts[k] > counts[best]) {
            best = k;
        }
    }
    return candidates[best];
}

/// Checks that `bytes` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
/// Throws InputError naming the line and the column (1-based byte offset within the line).
void check_utf8(const std::string& path, std::string_view bytes) {
    std::size_t line = 1;
    std::size_t line_start = 0;
    std::size_t i = 0;
    const std::size_t n = bytes.size();
    auto fail = [&](std::size_t at) {
        char hex[8];
        const auto byte = static_cast<unsigned char>(bytes[at]);
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(byte));
        throw InputError(path,
                         "column " + std::to_string(at - line_start + 1) + " (byte offset " + std::to_string(at) +
                             "): byte " + hex +
                             " is not valid UTF-8; the file must be UTF-8 (in Excel: Save As \"CSV UTF-8\")",
                         line);
    };
    while (i < n) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c < 0x80) {
            if (c == '\n') {
                ++line;
                line_start = i + 1;
            }
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned lo = 0x80;
        unsigned hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) {
                lo = 0xA0;  // no overlongs
            } else if (c == 0xED) {
                hi = 0x9F;  // no surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            fail(i);
        }
        if (i + len > n) {
            fail(i);
        }
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(bytes[i + k]);
            const unsigned min = k == 1 ? lo : 0x80;
            const unsigned max = k == 1 ? hi : 0xBF;
            if (cc < min || cc > max) {
                fail(i);
            }
        }
        i += len;
    }
}

struct Record {
    std::vector<std::string> cells;
    std::size_t line = 0;
    bool blank = false;  ///< an empty line (one empty unquoted cell)
};

/// A strict RFC 4180 reader over UTF-8 text: quoted cells may hold the delimiter, doubled quotes
/// and line breaks; records end at LF or CRLF.
class CsvParser {
public:
    CsvParser(const std::string& path, std::string_view text, char delimiter)
        : m_path(path), m_text(text), m_delim(delimiter) {}

    /// Reads the next record; false at the end of the text.
    bool next(Record& rec) {
        if (m_pos >= m_text.size()) {
            return false;
        }
        rec.cells.clear();
        rec.line = m_line;
        bool any_quoted = false;
        while (true) {
            std::string cell;
            bool end_of_record = false;
            if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                any_quoted = true;
                end_of_record = read_quoted(cell);
            } else {
                end_of_record = read_plain(cell);
            }
            rec.cells.push_back(std::move(cell));
            if (end_of_record) {
                break;
            }
        }
        rec.blank = !any_quoted && rec.cells.size() == 1 && rec.cells.front().empty();
        return true;
    }

private:
    // Consumes a record terminator at m_pos if there is one (LF, CRLF or end of text).
    bool at_record_end() {
        if (m_pos >= m_text.size()) {
            return true;
        }
        if (m_text[m_pos] == '\n') {
            ++m_pos;
            ++m_line;
            return true;
        }
        if (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
            m_pos += 2;
            ++m_line;
            return true;
        }
        return false;
    }

    bool read_plain(std::string& cell) {
        const std::size_t start = m_pos;
        while (true) {
            const std::size_t here = m_pos;
            if (at_record_end()) {
                cell.assign(m_text.substr(start, here - start));
                return true;
            }
            const char c = m_text[m_pos];
            if (c == m_delim) {
                cell.assign(m_text.substr(start, m_pos - start));
                ++m_pos;
                return false;
            }
            if (c == '"') {
                throw InputError(m_path,
                                 "a quote inside an unquoted cell (column " + std::to_string(column_of(m_pos)) +
                                     "); quote the whole cell and double the quote (\"\")",
                                 m_line);
            }
            ++m_pos;
        }
    }

    bool read_quoted(std::string& cell) {
        const std::size_t began = m_line;
        ++m_pos;  // opening quote
        while (true) {
            if (m_pos >= m_text.size()) {
                throw InputError(m_path,
                                 "unterminated quote: the quoted cell that begins on this line never ends "
                                 "(expected a closing \")",
                                 began);
            }
            const char c = m_text[m_pos];
            if (c == '"') {
                if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
                    cell += '"';
                    m_pos += 2;
                    continue;
                }
                ++m_pos;  // closing quote
                if (at_record_end()) {
                    return true;
                }
                if (m_text[m_pos] == m_delim) {
                    ++m_pos;
                    return false;
                }
                throw InputError(m_path,
                                 "unexpected text after a closing quote (column " + std::to_string(column_of(m_pos)) +
                                     "); expected a delimiter or the end of the line",
                                 m_line);
            }
            if (c == '\n') {
                ++m_line;
            }
            cell += c;
            ++m_pos;
        }
    }

    std::size_t column_of(std::size_t pos) const {
        const auto nl = m_text.rfind('\n', pos == 0 ? 0 : pos - 1);
        return nl == std::string_view::npos ? pos + 1 : pos - nl;
    }

    const std::string& m_path;
    std::string_view m_text;
    char m_delim;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
};

Table read_csv_bytes(const std::string& path, const std::string& bytes, char delimiter) {
    Table table;
    table.source = path;
    std::string_view text(bytes);
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
        table.warnings.push_back(path + ": removed a UTF-8 byte order mark (BOM) at the start of the file");
    }
    check_utf8(path, text);
    if (delimiter == 0) {
        delimiter = detect_delimiter(text);
        if (delimiter != ',') {
            table.warnings.push_back(path + ": cells are separated by '" +
                                     std::string(delimiter == '\t' ? "TAB" : std::string(1, delimiter)) +
                                     "' (detected from the header line; give --delimiter to say otherwise)");
        }
    }

    CsvParser parser(path, text, delimiter);
    Record rec;
    bool have_header = false;
    while (parser.next(rec)) {
        if (rec.blank) {
            continue;  // empty lines (often one at the end) carry nothing
        }
        if (!have_header) {
            for (const auto& cell : rec.cells) {
                table.columns.emplace_back(detail::trim(cell));
            }
            check_duplicate_headers(table, rec.line, false);
            have_header = true;
            continue;
        }
        if (rec.cells.size() != table.columns.size()) {
            throw InputError(path,
                             "row has " + std::to_string(rec.cells.size()) + " cells but the header has " +
                                 std::to_string(table.columns.size()) + " (a ragged row; check for an unquoted '" +
                                 std::string(1, delimiter) + "')",
                             rec.line);
        }
        table.rows.push_back(std::move(rec.cells));
        table.lines.push_back(rec.line);
    }
    if (!have_header) {
        throw InputError(path, "no rows: the file is empty (expected a header line and data rows)");
    }
    if (table.rows.empty()) {
        throw InputError(path, "no rows: the file has a header line but no data rows");
    }
    return table;
}

std::string column_letters(std::size_t index);

std::string column_label(std::size_t index, bool letters) {
    return "column " + (letters ? column_letters(index) : std::to_string(index + 1));
}

std::string column_letters(std::size_t index) {
    std::string s;
    std::size_t n = index + 1;
    while (n > 0) {
        const std::size_t r = (n - 1) % 26;
        s.insert(s.begin(), static_cast<char>('A' + r));
        n = (n - 1) / 26;
    }
    return s;
}

bool row_empty(const std::vector<std::string>& cells) {
    return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return detail::trim(c).empty(); });
}

using detail::SheetRows;  // a sheet as the GDAL module reads it

/// The header row: the first with a cell `header_contains` (case and spaces aside), else the first
/// that is not empty. Throws InputError when there is none.
std::size_t find_header(const SheetRows& rows,
                        const std::string& header_contains,
                        const std::string& path,
                        const std::string& sheet_name) {
    for (std::size_t r = 0; r < rows.cells.size(); ++r) {
        if (header_contains.empty()) {
            if (!row_empty(rows.cells[r])) {
                return r;
            }
        } else if (std::any_of(rows.cells[r].begin(), rows.cells[r].end(), [&](const std::string& c) {
                       return detail::iequals(detail::trim(c), detail::trim(header_contains));
                   })) {
            return r;
        }
    }
    if (header_contains.empty()) {
        throw InputError(path, "no rows: sheet '" + sheet_name + "' is empty");
    }
    throw InputError(
        path, "no row of sheet '" + sheet_name + "' has a cell '" + header_contains + "' (looked for the header row)");
}

/// The columns kept: named ones, and unnamed ones that hold data below the header.
std::vector<std::size_t> kept_columns(const SheetRows& rows, std::size_t header) {
    std::vector<std::size_t> keep;
    const auto& head = rows.cells[header];
    for (std::size_t c = 0; c < head.size(); ++c) {
        bool has_data = !detail::trim(head[c]).empty();
        for (std::size_t r = header + 1; r < rows.cells.size() && !has_data; ++r) {
            has_data = !detail::trim(rows.cells[r][c]).empty();
        }
        if (has_data) {
            keep.push_back(c);
        }
    }
    return keep;
}

/// The table under the header row: the kept columns (an unnamed one is called by its letter), the
/// rows that are not empty, warnings for the rows skipped and dropped. Moves the cells out of `rows`.
Table table_under_header(const std::string& path, SheetRows& rows, std::size_t header) {
    Table table;
    table.source = path;
    const std::vector<std::size_t> keep = kept_columns(rows, header);
    table.columns.reserve(keep.size());
    for (const auto c : keep) {
        const auto name = detail::trim(rows.cells[header][c]);
        table.columns.emplace_back(name.empty() ? "column " + column_letters(c) : std::string(name));
    }
    const std::size_t header_number = rows.numbers[header];
    check_duplicate_headers(table, header_number, true);
    if (header_number > 1) {
        table.warnings.push_back(path + ": skipped " + std::to_string(header_number - 1) +
                                 " rows above the header (row " + std::to_string(header_number) + ")");
    }
    std::size_t dropped = 0;
    for (std::size_t r = header + 1; r < rows.cells.size(); ++r) {
        if (row_empty(rows.cells[r])) {
            ++dropped;
            continue;
        }
        std::vector<std::string> cells;
        cells.reserve(keep.size());
        for (const auto c : keep) {
            cells.push_back(std::move(rows.cells[r][c]));
        }
        table.rows.push_back(std::move(cells));
        table.lines.push_back(rows.numbers[r]);
    }
    if (dropped > 0) {
        table.warnings.push_back(path + ": dropped " + std::to_string(dropped) + " empty rows");
    }
    return table;
}

/// A workbook's sheet as a table. `bytes`, when not null, is the workbook (standard input) and
/// `path` names it.
Table read_xlsx(const std::string& path, const TableOptions& options, const std::string* bytes = nullptr) {
    if (bytes == nullptr) {
        check_table_path(path);
    }
    // Read every row as text first (GDAL's XLSX driver, in the GDAL module); the header row is
    // chosen afterwards.
    SheetRows rows = detail::gdal_api().read_sheet(path, bytes, options.sheet);
    const std::size_t header = find_header(rows, options.header_contains, path, rows.name);
    Table table = table_under_header(path, rows, header);
    if (table.rows.empty()) {
        throw InputError(
            path, "no rows: sheet '" + rows.name + "' has a header but no data rows", rows.numbers[header]);
    }
    return table;
}

}  // namespace

std::optional<std::size_t> Table::find_column(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == name) {
            return i;
        }
    }
    const auto wanted = detail::trim(name);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (detail::iequals(detail::trim(columns[i]), wanted)) {
            return i;
        }
    }
    return std::nullopt;
}

std::size_t Table::column(std::string_view name) const {
    if (const auto i = find_column(name)) {
        if (columns[*i] != name) {  // found loosely: refuse when another column matches as loosely
            for (std::size_t j = *i + 1; j < columns.size(); ++j) {
                if (detail::iequals(detail::trim(columns[j]), detail::trim(name))) {
                    throw InputError(source,
                                     "column '" + std::string(name) + "' matches two headers when case is ignored: '" +
                                         columns[*i] + "' (column " + std::to_string(*i + 1) + ") and '" + columns[j] +
                                         "' (column " + std::to_string(j + 1) + "); give the name exactly");
                }
            }
        }
        return *i;
    }
    throw InputError(source, "no column '" + std::string(name) + "'; the columns are: " + detail::quoted_list(columns));
}

Table read_table(const std::string& path, const TableOptions& options) {
    const std::string ext = lower_extension(path);
    if (std::error_code ec;
        path != "-" && std::filesystem::exists(path, ec) && !std::filesystem::is_directory(path, ec)) {
        check_input_file(path, input_limits::max_table_bytes, "value table");  // no FIFO, device or giant
    }
    if (path == "-") {
        // Standard input: CSV, or an XLSX workbook (a zip) kept in GDAL's memory file system.
        const std::string bytes = read_input_file(path, input_limits::max_table_bytes, "value table");
        if (bytes.rfind("PK\x03\x04", 0) == 0) {
            return read_xlsx("standard input", options, &bytes);
        }
        return read_csv_bytes("standard input", bytes, options.delimiter);
    }
    if (ext == ".csv" || ext == ".txt" || ext == ".tsv") {
        check_table_path(path);
        const std::string bytes = read_input_file(path, input_limits::max_table_bytes, "value table");
        return read_csv_bytes(path, bytes, options.delimiter != 0 ? options.delimiter : ext == ".tsv" ? '\t' : '\0');
    }
    if (ext == ".xlsx" || ext == ".xlsm") {
        return read_xlsx(path, options);
    }
    throw InputError(path, "unknown table format '" + ext + "'; expected .csv, .tsv, .txt or .xlsx");
}

namespace {

bool is_na(std::string_view s) {
    return s.empty() || detail::iequals(s, "NA") || detail::iequals(s, "N/A") || detail::iequals(s, "#N/A") ||
           detail::iequals(s, "#NA") || detail::iequals(s, "NaN") || s == "-" || s == ".";
}

constexpr std::string_view currency_signs[] = {
    "US$", "$", "\xE2\x82\xAC" /* € */, "\xC2\xA3" /* £ */, "\xC2\xA5" /* ¥ */};

std::string_view strip_currency(std::string_view s) {
    for (const auto sign : currency_signs) {
        if (s.starts_with(sign)) {
            return detail::trim(s.substr(sign.size()));
        }
        if (s.ends_with(sign)) {
            return detail::trim(s.substr(0, s.size() - sign.size()));
        }
    }
    return s;
}

}  // namespace

NumberSigns number_signs(std::string_view cell) {
    std::string_view s = detail::trim(cell);
    NumberSigns signs;
    if (s.starts_with('-') || s.starts_with('+')) {
        s = detail::trim(s.substr(1));
    }
    if (s.ends_with('%')) {
        signs.percent = true;
        s = detail::trim(s.substr(0, s.size() - 1));
    }
    for (const auto sign : currency_signs) {
        if (s.starts_with(sign) || s.ends_with(sign)) {
            signs.currency = std::string(sign);
            break;
        }
    }
    return signs;
}

namespace {

/// A number's text without its sign and the percent and currency signs the format strips, and
/// whether it was negative.
struct UnsignedText {
    std::string_view body;
    bool negative = false;
};

UnsignedText strip_signs(std::string_view s, const NumberFormat& format) {
    bool negative = false;
    if (s[0] == '+' || s[0] == '-') {
        negative = s[0] == '-';
        s = detail::trim(s.substr(1));
    }
    if (format.strip_percent && s.ends_with('%')) {
        s = detail::trim(s.substr(0, s.size() - 1));
    }
    if (format.strip_currency) {
        s = strip_currency(s);
    }
    if (!negative && (s.starts_with('-') || s.starts_with('+'))) {  // "$-5" and "€ -5"
        negative = s[0] == '-';
        s = detail::trim(s.substr(1));
    }
    return {s, negative};
}

/// The characters that group thousands: the format's, else those that go with its decimal mark
/// ("," after "."; ".", space and no-break space after ",").
std::string thousands_separators(const NumberFormat& format, char decimal) {
    std::string groups = format.thousands;
    if (groups.empty()) {
        groups = decimal == ',' ? std::string(".") + ' ' + "\xC2\xA0" : std::string(",");
    } else if (groups == "none") {
        groups.clear();
    }
    return groups;
}

/// The digits of an integer part appended to `digits`, its thousands separators dropped: they
/// must group the digits by three ("1,234,567"). False when they do not, or on a non-digit.
bool append_integer_digits(std::string_view int_part, const std::string& groups, std::string& digits) {
    std::size_t group = 0;
    bool first = true;
    bool grouped = false;
    for (std::size_t i = 0; i < int_part.size();) {
        std::size_t sep = 0;
        if (!groups.empty()) {
            if (int_part.substr(i).starts_with("\xC2\xA0") && groups.find("\xC2\xA0") != std::string::npos) {
                sep = 2;
            } else if (groups.find(int_part[i]) != std::string::npos &&
                       static_cast<unsigned char>(int_part[i]) < 0x80) {
                sep = 1;
            }
        }
        if (sep > 0) {
            if ((first && (group == 0 || group > 3)) || (!first && group != 3)) {
                return false;
            }
            first = false;
            grouped = true;
            group = 0;
            i += sep;
            continue;
        }
        if (int_part[i] < '0' || int_part[i] > '9') {
            return false;
        }
        ++group;
        digits += int_part[i];
        ++i;
    }
    return !grouped || group == 3;
}

/// The rest after the integer part (decimal mark, decimals, exponent) appended to `digits`, the
/// mark as '.'. False on a second decimal mark, or a separator after it.
bool append_fraction(std::string_view rest, char decimal, std::string& digits) {
    if (rest[0] == decimal) {
        digits += '.';
        rest.remove_prefix(1);
    }
    for (const char c : rest) {
        if (c == '.' || c == ',') {
            return false;
        }
    }
    digits.append(rest);
    return true;
}

/// The value of the normalised text; nullopt unless all of it is a finite number with a digit.
std::optional<double> finite_value(const std::string& digits) {
    double value = 0.0;
    const char* begin = digits.data();
    const char* end = digits.data() + digits.size();
    const auto [ptr, err] = std::from_chars(begin, end, value);
    if (err != std::errc() || ptr != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    // from_chars also takes "inf"/"nan" spellings; require a digit.
    if (std::none_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<double> parse_number(std::string_view cell, const NumberFormat& format) {
    const std::string_view trimmed = detail::trim(cell);
    if (is_na(trimmed)) {
        return std::nullopt;
    }
    const auto [s, negative] = strip_signs(trimmed, format);
    if (s.empty()) {
        return std::nullopt;
    }
    const char decimal = format.decimal == ',' ? ',' : '.';
    // Integer part: up to the decimal mark or an exponent.
    std::size_t int_end = s.size();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == decimal || s[i] == 'e' || s[i] == 'E') {
            int_end = i;
            break;
        }
    }
    std::string digits = negative ? "-" : "";
    // Thousands separators: in the integer part only, in groups of three ("1,234,567").
    if (!append_integer_digits(s.substr(0, int_end), thousands_separators(format, decimal), digits)) {
        return std::nullopt;
    }
    if (int_end < s.size() && !append_fraction(s.substr(int_end), decimal, digits)) {
        return std::nullopt;
    }
    return finite_value(digits);
}

std::optional<double> parse_number(std::string_view cell) {
    return parse_number(cell, NumberFormat{});
}

}  // namespace choro::geo
