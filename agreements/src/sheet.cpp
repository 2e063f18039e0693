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

Sheet read_sheet(const std::string& path, const Reference& reference) {
    geo::Table table = geo::read_table(path, geo::TableOptions{.sheet = {}, .header_contains = "STATE"});
    if (!table.find_column("STATE")) {
        // The CSV reader takes the first row as header; ICE's header is the row with a cell "STATE".
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const auto& cells = table.rows[r];
            if (std::any_of(
                    cells.begin(), cells.end(), [](const std::string& c) { return upper(trim(c)) == "STATE"; })) {
                table.columns.clear();
                for (const std::string& c : cells) {
                    table.columns.push_back(trim(c));
                }
                table.rows.erase(table.rows.begin(), table.rows.begin() + static_cast<std::ptrdiff_t>(r + 1));
                if (table.lines.size() > r) {
                    table.lines.erase(table.lines.begin(), table.lines.begin() + static_cast<std::ptrdiff_t>(r + 1));
                }
                break;
            }
        }
    }
    Sheet sheet;
    sheet.path = path;
    for (const std::string& warning : table.warnings) {
        sheet.warnings.push_back(path + ": " + warning);
    }
    const auto state_column = table.find_column("STATE");
    const auto agency_column = table.find_column("LAW ENFORCEMENT AGENCY");
    if (!state_column || !agency_column) {
        std::string have;
        for (const std::string& column : table.columns) {
            have += (have.empty() ? "" : ", ") + column;
        }
        const std::string missing = !state_column ? "STATE" : "LAW ENFORCEMENT AGENCY";
        throw InputError(path,
                         "no column '" + missing +
                             "' (an ICE 287(g) sheet has STATE, LAW ENFORCEMENT AGENCY, "
                             "TYPE, COUNTY, SUPPORT TYPE, SIGNED; this one has: " +
                             have + ")",
                         0,
                         missing);
    }
    const auto type_column = table.find_column("TYPE");
    const auto county_column = table.find_column("COUNTY");
    const auto support_column = table.find_column("SUPPORT TYPE");
    const auto signed_column = table.find_column("SIGNED");
    sheet.has_type = type_column.has_value();
    sheet.has_county = county_column.has_value();

    // One warning per distinct corrected spelling, naming its rows.
    std::map<std::string, std::pair<std::string, std::vector<std::size_t>>> corrections;
    // Agreements already read → the row kept and its entry in sheet.duplicates (npos: none yet).
    std::map<std::string, std::pair<std::size_t, std::size_t>> seen;
    std::vector<std::string> bad_dates;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& cells = table.rows[r];
        const std::string raw_state = cells[*state_column];
        AgreementRow row;
        row.line = r < table.lines.size() ? table.lines[r] : r + 2;
        row.agency = trim(cells[*agency_column]);
        if (trim(raw_state).empty() && row.agency.empty()) {
            continue;
        }
        bool corrected = false;
        auto state = match_state(reference, raw_state, corrected);
        if (!state) {
            throw InputError(path,
                             "state '" + raw_state +
                                 "' matches no US state, DC or territory (checked names, "
                                 "known misspellings and edit distance <= 2)",
                             row.line,
                             table.columns[*state_column]);
        }
        const std::string trimmed = trim(raw_state);
        if (corrected || trimmed != raw_state || upper(trimmed) != trimmed) {
            auto& entry = corrections[raw_state];
            entry.first = *state;
            entry.second.push_back(row.line);
        }
        row.state = *state;
        if (row.agency.empty()) {
            throw InputError(path, "empty agency name", row.line, table.columns[*agency_column]);
        }
        row.type = type_column ? trim(cells[*type_column]) : std::string{};
        row.county = county_column ? trim(cells[*county_column]) : std::string{};
        row.support = support_column ? trim(cells[*support_column]) : std::string{};
        row.model = parse_support_model(row.support);
        row.signed_date = signed_column ? trim(cells[*signed_column]) : std::string{};
        // ICE lists one agreement per agency and support model; a repeat is the same agreement.
        std::string agreement = row.state + "|" + agency_key(row.agency) + "|" + std::string(to_string(row.model));
        if (row.model == SupportModel::other) {
            agreement += "|" + upper(row.support) + "|" + row.signed_date;
        }
        auto [it, first] = seen.emplace(agreement, std::pair{sheet.rows.size(), std::string::npos});
        if (!first) {
            auto& [kept_index, dup_index] = it->second;
            if (dup_index == std::string::npos) {
                const AgreementRow& kept = sheet.rows[kept_index];
                dup_index = sheet.duplicates.size();
                sheet.duplicates.push_back(
                    DuplicateRows{kept.state, kept.agency, kept.support, kept.signed_date, kept.line, {}, {}});
            }
            DuplicateRows& dup = sheet.duplicates[dup_index];
            dup.lines.push_back(row.line);
            dup.signed_dates.push_back(row.signed_date);
            continue;
        }
        if (!row.signed_date.empty() && !geo::iso_date(row.signed_date)) {
            bad_dates.push_back(path + ":" + std::to_string(row.line) + ": SIGNED '" + row.signed_date +
                                "' is not a real day as YYYY-MM-DD; kept as written");
        }
        sheet.rows.push_back(std::move(row));
    }
    if (sheet.rows.empty()) {
        throw InputError(path, "the sheet has a header but no agreement rows");
    }
    for (const auto& [raw, entry] : corrections) {
        const auto& [abbr, lines] = entry;
        std::string message = path + ":" + std::to_string(lines.front()) + ": STATE '" + raw + "' read as " +
                              reference.state_by_abbr(abbr)->name;
        if (lines.size() > 1) {
            message += " (" + std::to_string(lines.size()) + " rows: ";
            for (std::size_t i = 0; i < lines.size() && i < 10; ++i) {
                message += (i ? ", " : "") + std::to_string(lines[i]);
            }
            message += lines.size() > 10 ? ", ...)" : ")";
        }
        sheet.warnings.push_back(std::move(message));
    }
    constexpr std::size_t named = 5;  // per kind of warning; the rest are counted
    for (std::size_t i = 0; i < bad_dates.size() && i < named; ++i) {
        sheet.warnings.push_back(bad_dates[i]);
    }
    if (bad_dates.size() > named) {
        sheet.warnings.push_back(path + ": " + std::to_string(bad_dates.size() - named) +
                                 " more SIGNED cells are not real days (see agencies.csv)");
    }
    std::size_t repeats = 0;
    for (std::size_t i = 0; i < sheet.duplicates.size(); ++i) {
        const DuplicateRows& dup = sheet.duplicates[i];
        repeats += dup.lines.size();
        if (i >= named) {
            continue;
        }
        std::string message = path + ":" + std::to_string(dup.kept_line) + ": " + dup.state + " '" + dup.agency +
                              "' (" + (dup.support.empty() ? std::string("no support type") : dup.support) +
                              ") is listed again on " + (dup.lines.size() == 1 ? "line " : "lines ");
        for (std::size_t j = 0; j < dup.lines.size() && j < 10; ++j) {
            message += (j ? ", " : "") + std::to_string(dup.lines[j]);
        }
        message += dup.lines.size() > 10 ? ", ..." : "";
        message += "; counted once";
        if (std::any_of(dup.signed_dates.begin(), dup.signed_dates.end(), [&](const std::string& s) {
                return s != dup.signed_date;
            })) {
            message += " (the repeats give other SIGNED dates; the first row's " +
                       (dup.signed_date.empty() ? std::string("blank") : dup.signed_date) + " is kept)";
        }
        sheet.warnings.push_back(std::move(message));
    }
    if (!sheet.duplicates.empty()) {
        sheet.warnings.push_back(path + ": " + std::to_string(repeats) + " repeated " +
                                 (repeats == 1 ? "row" : "rows") + " of " + std::to_string(sheet.duplicates.size()) +
                                 (sheet.duplicates.size() == 1 ? " agreement" : " agreements") +
                                 " not counted (all listed in duplicates.csv)");
    }
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
