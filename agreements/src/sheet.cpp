#include "choro/agreements/sheet.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "choro/agreements/reference.hpp"
#include "choro/geo/date.hpp"
#include "choro/geo/error.hpp"
#include "choro/geo/table.hpp"

namespace choro::agreements {

namespace {

std::string trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    std::size_t begin = 0, end = text.size();
    while (begin < end && is_space(text[begin])) {
        ++begin;
    }
    while (end > begin && is_space(text[end - 1])) {
        --end;
    }
    // non-breaking spaces at either end
    std::string out(text.substr(begin, end - begin));
    while (out.ends_with("\xC2\xA0")) {
        out.resize(out.size() - 2);
    }
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

// Misspellings seen in ICE's sheets that are too far from the name for the edit-distance rule or
// that we want to accept explicitly.
constexpr std::pair<std::string_view, std::string_view> state_aliases[] = {
    {"PENNSLYVANIA", "PA"},
    {"UTAHJ", "UT"},
    {"WEST VIRIGINIA", "WV"},
    {"CNMI", "MP"},
    {"NORTHERN MARIANA ISLANDS", "MP"},
    {"COMMONWEALTH OF THE NORTHERN MARIANA ISLANDS", "MP"},
    {"WASHINGTON DC", "DC"},
    {"WASHINGTON D.C.", "DC"},
    {"D.C.", "DC"}};

bool is_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

SupportModel parse_support_model(std::string_view cell) {
    const std::string text = upper(trim(cell));
    if (text.find("JAIL") != std::string::npos || text == "JEM") {
        return SupportModel::jem;
    }
    if (text.find("WARRANT") != std::string::npos || text == "WSO") {
        return SupportModel::wso;
    }
    if (text.find("TASK") != std::string::npos || text == "TFM") {
        return SupportModel::tfm;
    }
    return SupportModel::other;
}

std::string_view to_string(SupportModel model) {
    switch (model) {
        case SupportModel::jem:
            return "JEM";
        case SupportModel::wso:
            return "WSO";
        case SupportModel::tfm:
            return "TFM";
        case SupportModel::other:
            break;
    }
    return "other";
}

std::optional<std::string> match_state(const Reference& reference, std::string_view cell, bool& corrected) {
    corrected = false;
    const std::string wanted = upper(trim(cell));
    if (wanted.empty()) {
        return std::nullopt;
    }
    for (const State& state : reference.states()) {
        if (upper(state.name) == wanted || state.abbr == wanted) {
            return state.abbr;
        }
    }
    for (const auto& [alias, abbr] : state_aliases) {
        if (alias == wanted) {
            corrected = alias != "NORTHERN MARIANA ISLANDS";
            return std::string(abbr);
        }
    }
    std::size_t best = 3;
    std::vector<std::string> found;
    for (const State& state : reference.states()) {
        const std::size_t d = edit_distance(wanted, upper(state.name));
        if (d < best) {
            best = d;
            found = {state.abbr};
        } else if (d == best) {
            found.push_back(state.abbr);
        }
    }
    if (best <= 2 && found.size() == 1) {
        corrected = true;
        return found.front();
    }
    return std::nullopt;
}

namespace {

/// The CSV reader takes the first row as header; ICE's header is the row with a cell "STATE".
/// Moves that row into the columns and drops the rows above it.
void find_header(geo::Table& table) {
    if (table.find_column("STATE")) {
        return;
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& cells = table.rows[r];
        if (std::none_of(cells.begin(), cells.end(), [](const std::string& c) { return upper(trim(c)) == "STATE"; })) {
            continue;
        }
        table.columns.clear();
        for (const std::string& c : cells) {
            table.columns.push_back(trim(c));
        }
        table.rows.erase(table.rows.begin(), table.rows.begin() + static_cast<std::ptrdiff_t>(r + 1));
        if (table.lines.size() > r) {
            table.lines.erase(table.lines.begin(), table.lines.begin() + static_cast<std::ptrdiff_t>(r + 1));
        }
        return;
    }
}

/// Reads the rows of an ICE sheet into `sheet`: state names matched, repeats of one agreement
/// folded into sheet.duplicates, the warnings kept until finish().
class SheetReader {
public:
    SheetReader(const geo::Table& table, const Reference& reference, Sheet& sheet)
        : m_table(table), m_reference(reference), m_sheet(sheet), m_path(sheet.path) {
        const auto state_column = table.find_column("STATE");
        const auto agency_column = table.find_column("LAW ENFORCEMENT AGENCY");
        if (!state_column || !agency_column) {
            std::string have;
            for (const std::string& column : table.columns) {
                have += have.empty() ? "" : ", ";
                have += column;
            }
            const std::string missing = !state_column ? "STATE" : "LAW ENFORCEMENT AGENCY";
            throw InputError(m_path,
                             "no column '" + missing +
                                 "' (an ICE 287(g) sheet has STATE, LAW ENFORCEMENT AGENCY, "
                                 "TYPE, COUNTY, SUPPORT TYPE, SIGNED; this one has: " +
                                 have + ")",
                             0,
                             missing);
        }
        m_state = *state_column;
        m_agency = *agency_column;
        m_type = table.find_column("TYPE");
        m_county = table.find_column("COUNTY");
        m_support = table.find_column("SUPPORT TYPE");
        m_signed = table.find_column("SIGNED");
        sheet.has_type = m_type.has_value();
        sheet.has_county = m_county.has_value();
    }

    void read_row(std::size_t r) {
        const auto& cells = m_table.rows[r];
        const std::string& raw_state = cells[m_state];
        AgreementRow row;
        row.line = r < m_table.lines.size() ? m_table.lines[r] : r + 2;
        row.agency = trim(cells[m_agency]);
        if (trim(raw_state).empty() && row.agency.empty()) {
            return;
        }
        row.state = state_of(raw_state, row.line);
        if (row.agency.empty()) {
            throw InputError(m_path, "empty agency name", row.line, m_table.columns[m_agency]);
        }
        const auto cell = [&](const std::optional<std::size_t>& column) {
            return column ? trim(cells[*column]) : std::string{};
        };
        row.type = cell(m_type);
        row.county = cell(m_county);
        row.support = cell(m_support);
        row.model = parse_support_model(row.support);
        row.signed_date = cell(m_signed);
        if (is_repeat(row)) {
            return;
        }
        if (!row.signed_date.empty() && !geo::iso_date(row.signed_date)) {
            m_bad_dates.push_back(m_path + ":" + std::to_string(row.line) + ": SIGNED '" + row.signed_date +
                                  "' is not a real day as YYYY-MM-DD; kept as written");
        }
        m_sheet.rows.push_back(std::move(row));
    }

    /// Adds the warnings: corrected state spellings, bad dates, repeated rows.
    void finish() {
        for (const auto& [raw, entry] : m_corrections) {
            const auto& [abbr, lines] = entry;
            std::string message = m_path + ":" + std::to_string(lines.front()) + ": STATE '" + raw + "' read as " +
                                  m_reference.state_by_abbr(abbr)->name;
            if (lines.size() > 1) {
                message += " (" + std::to_string(lines.size()) + " rows: " + line_list(lines) + ")";
            }
            m_sheet.warnings.push_back(std::move(message));
        }
        for (std::size_t i = 0; i < m_bad_dates.size() && i < named; ++i) {
            m_sheet.warnings.push_back(m_bad_dates[i]);
        }
        if (m_bad_dates.size() > named) {
            m_sheet.warnings.push_back(m_path + ": " + std::to_string(m_bad_dates.size() - named) +
                                       " more SIGNED cells are not real days (see agencies.csv)");
        }
        warn_duplicates();
    }

private:
    static constexpr std::size_t named = 5;  // per kind of warning; the rest are counted

    /// "12, 14, 20" (the first ten, then ", ...").
    static std::string line_list(const std::vector<std::size_t>& lines) {
        std::string out;
        for (std::size_t i = 0; i < lines.size() && i < 10; ++i) {
            out += i ? ", " : "";
            out += std::to_string(lines[i]);
        }
        out += lines.size() > 10 ? ", ..." : "";
        return out;
    }

    std::string state_of(const std::string& raw_state, std::size_t line) {
        bool corrected = false;
        auto state = match_state(m_reference, raw_state, corrected);
        if (!state) {
            throw InputError(m_path,
                             "state '" + raw_state +
                                 "' matches no US state, DC or territory (checked names, "
                                 "known misspellings and edit distance <= 2)",
                             line,
                             m_table.columns[m_state]);
        }
        const std::string trimmed = trim(raw_state);
        if (corrected || trimmed != raw_state || upper(trimmed) != trimmed) {
            auto& entry = m_corrections[raw_state];
            entry.first = *state;
            entry.second.push_back(line);
        }
        return *state;
    }

    /// ICE lists one agreement per agency and support model; a repeat is the same agreement,
    /// recorded in sheet.duplicates and not read again.
    bool is_repeat(const AgreementRow& row) {
        std::string agreement = row.state + "|" + agency_key(row.agency) + "|" + std::string(to_string(row.model));
        if (row.model == SupportModel::other) {
            agreement += "|" + upper(row.support) + "|" + row.signed_date;
        }
        auto [it, first] = m_seen.emplace(agreement, std::pair{m_sheet.rows.size(), std::string::npos});
        if (first) {
            return false;
        }
        auto& [kept_index, dup_index] = it->second;
        if (dup_index == std::string::npos) {
            const AgreementRow& kept = m_sheet.rows[kept_index];
            dup_index = m_sheet.duplicates.size();
            m_sheet.duplicates.push_back(
                DuplicateRows{kept.state, kept.agency, kept.support, kept.signed_date, kept.line, {}, {}});
        }
        DuplicateRows& dup = m_sheet.duplicates[dup_index];
        dup.lines.push_back(row.line);
        dup.signed_dates.push_back(row.signed_date);
        return true;
    }

    void warn_duplicates() {
        const auto& duplicates = m_sheet.duplicates;
        std::size_t repeats = 0;
        for (std::size_t i = 0; i < duplicates.size(); ++i) {
            const DuplicateRows& dup = duplicates[i];
            repeats += dup.lines.size();
            if (i >= named) {
                continue;
            }
            std::string message = m_path + ":" + std::to_string(dup.kept_line) + ": " + dup.state + " '" + dup.agency +
                                  "' (" + (dup.support.empty() ? std::string("no support type") : dup.support) +
                                  ") is listed again on " + (dup.lines.size() == 1 ? "line " : "lines ") +
                                  line_list(dup.lines) + "; counted once";
            if (std::any_of(dup.signed_dates.begin(), dup.signed_dates.end(), [&](const std::string& s) {
                    return s != dup.signed_date;
                })) {
                message += " (the repeats give other SIGNED dates; the first row's " +
                           (dup.signed_date.empty() ? std::string("blank") : dup.signed_date) + " is kept)";
            }
            m_sheet.warnings.push_back(std::move(message));
        }
        if (!duplicates.empty()) {
            m_sheet.warnings.push_back(m_path + ": " + std::to_string(repeats) + " repeated " +
                                       (repeats == 1 ? "row" : "rows") + " of " + std::to_string(duplicates.size()) +
                                       (duplicates.size() == 1 ? " agreement" : " agreements") +
                                       " not counted (all listed in duplicates.csv)");
        }
    }

    const geo::Table& m_table;
    const Reference& m_reference;
    Sheet& m_sheet;
    std::string m_path;
    std::size_t m_state = 0;
    std::size_t m_agency = 0;
    std::optional<std::size_t> m_type, m_county, m_support, m_signed;
    /// One warning per distinct corrected spelling, naming its rows.
    std::map<std::string, std::pair<std::string, std::vector<std::size_t>>> m_corrections;
    /// Agreements already read → the row kept and its entry in sheet.duplicates (npos: none yet).
    std::map<std::string, std::pair<std::size_t, std::size_t>> m_seen;
    std::vector<std::string> m_bad_dates;
};

}  // namespace

Sheet read_sheet(const std::string& path, const Reference& reference) {
    geo::Table table = geo::read_table(path, geo::TableOptions{.sheet = {}, .header_contains = "STATE"});
    find_header(table);
    Sheet sheet;
    sheet.path = path;
    for (const std::string& warning : table.warnings) {
        sheet.warnings.push_back(path + ": " + warning);
    }
    SheetReader reader(table, reference, sheet);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        reader.read_row(r);
    }
    if (sheet.rows.empty()) {
        throw InputError(path, "the sheet has a header but no agreement rows");
    }
    reader.finish();
    return sheet;
}

std::string snapshot_label(std::string_view file_name) {
    const std::string name = std::filesystem::path(std::string(file_name)).stem().string();
    // ISO form: YYYY-MM-DD followed by am/pm or THHMMSS
    for (std::size_t i = 0; i + 10 <= name.size(); ++i) {
        const std::string_view s(name.data() + i, name.size() - i);
        if (is_digits(s.substr(0, 4)) && s[4] == '-' && is_digits(s.substr(5, 2)) && s[7] == '-' &&
            is_digits(s.substr(8, 2))) {
            std::string label(s.substr(0, 10));
            const std::string_view rest = s.substr(10);
            if (rest.starts_with("am") || rest.starts_with("pm")) {
                return label + std::string(rest.substr(0, 2));
            }
            if (rest.size() >= 7 && rest[0] == 'T' && is_digits(rest.substr(1, 6))) {
                return label + "T" + std::string(rest.substr(1, 2)) + ":" + std::string(rest.substr(3, 2)) + ":" +
                       std::string(rest.substr(5, 2));
            }
            return label;
        }
    }
    // ICE's own names: MMDDYYYY + am/pm, or the archive's YYYYMMDDhhmmss
    std::size_t begin = 0;
    while (begin < name.size()) {
        if (!std::isdigit(static_cast<unsigned char>(name[begin]))) {
            ++begin;
            continue;
        }
        std::size_t end = begin;
        while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) {
            ++end;
        }
        const std::string digits = name.substr(begin, end - begin);
        const std::string rest = name.substr(end);
        if (digits.size() == 14) {
            return digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2) + "T" +
                   digits.substr(8, 2) + ":" + digits.substr(10, 2) + ":" + digits.substr(12, 2);
        }
        if (digits.size() == 8) {
            std::string label = digits.substr(4, 4) + "-" + digits.substr(0, 2) + "-" + digits.substr(2, 2);
            if (rest.starts_with("am") || rest.starts_with("pm")) {
                label += rest.substr(0, 2);
            }
            return label;
        }
        begin = end;
    }
    return {};
}

std::string snapshot_date(std::string_view label) {
    return std::string(label.substr(0, std::min<std::size_t>(10, label.size())));
}

}  // namespace choro::agreements
