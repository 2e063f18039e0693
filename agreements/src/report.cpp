#include "choro/agreements/report.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "choro/agreements/reference.hpp"
#include "choro/geo/atomic_file.hpp"
#include "choro/geo/us_states.hpp"

namespace choro::agreements {

namespace {

std::string csv_cell(std::string_view text) {
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
        return std::string(text);
    }
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    return out + "\"";
}

template <typename... Cells>
void csv_row(std::string& out, const Cells&... cells) {
    bool first = true;
    ((out += (first ? "" : ","), out += csv_cell(cells), first = false), ...);
    out += '\n';
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += (i ? std::string(separator) : std::string{}) + parts[i];
    }
    return out;
}

std::string n(std::size_t value) {
    return std::to_string(value);
}

/// A row from a list of cells (for tables whose columns are listed once, below).
void csv_cells(std::string& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        out += (i ? "," : "") + csv_cell(cells[i]);
    }
    out += '\n';
}

// The columns of counties.csv and states.csv, and the cells of one row; the per-snapshot tables
// put the snapshot's label and date in front of the same columns.
const std::vector<std::string> county_columns{
    "county_fips", "state", "county_name", "agreements", "agencies", "jem", "wso", "tfm"};

std::vector<std::string> county_cells(const CountyCount& c) {
    return {c.fips, c.state, c.name, n(c.agreements), n(c.agencies), n(c.jem), n(c.wso), n(c.tfm)};
}

const std::vector<std::string> state_columns{"state_fips",
                                             "state",
                                             "state_name",
                                             "agreements",
                                             "agencies",
                                             "jem",
                                             "wso",
                                             "tfm",
                                             "statewide_agencies",
                                             "statewide_agreements",
                                             "unplaced_agencies"};

std::vector<std::string> state_cells(const StateCount& s) {
    return {s.fips,
            s.abbr,
            s.name,
            n(s.agreements),
            n(s.agencies),
            n(s.jem),
            n(s.wso),
            n(s.tfm),
            n(s.statewide_agencies),
            n(s.statewide_agreements),
            n(s.unplaced_agencies)};
}

// AS, GU, MP and VI: not on the US map (Puerto Rico is, as an inset).
bool off_map_territory(const std::string& abbr) {
    const geo::UsState* s = geo::find_us_state(abbr);
    return s != nullptr && s->territory() && abbr != "PR";
}

std::string territory_name(const std::string& abbr) {
    const geo::UsState* s = geo::find_us_state(abbr);
    std::string name = s != nullptr ? std::string(s->name) : abbr;
    constexpr std::string_view prefix = "Commonwealth of the ";
    return name.starts_with(prefix) ? name.substr(prefix.size()) : name;
}

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
    return n(count) + " " + std::string(count == 1 ? one : many);
}

// Kinds of state agencies, by words of their names; the first that matches names the kind.
struct Category {
    std::string_view label;
    std::vector<std::string_view> words;
};
const std::vector<Category>& categories() {
    static const std::vector<Category> list{
        {"National Guard and military", {"national guard", "state guard", "military department"}},
        {"corrections", {"corrections", "correction", "correctional", "prison", "parole", "probation"}},
        {"state police and public safety",
         {"state police", "highway patrol", "state patrol", "public safety", "highway safety", "homeland security"}},
        {"investigation bureaus and prosecutors",
         {"bureau of investigation",
          "criminal investigation",
          "law enforcement division",
          "bureau of narcotics",
          "department of law enforcement",
          "department of justice",
          "attorney general",
          "state attorney",
          "district attorney",
          "prosecuting attorney"}},
        {"wildlife and environment", {"wildlife", "fisheries", "fish", "environmental", "natural resources", "parks"}},
        {"regulatory agencies",
         {"alcohol",
          "tobacco",
          "lottery",
          "gaming",
          "fire marshal",
          "agricultur",
          "financial services",
          "revenue",
          "motor vehicles"}},
        {"colleges and universities", {"college", "university"}},
    };
    return list;
}

std::string category_of(const std::string& name) {
    const std::string normalised = " " + normalise_name(name) + " ";
    for (const Category& c : categories()) {
        for (std::string_view word : c.words) {
            if (normalised.find(" " + std::string(word)) != std::string::npos) {
                return std::string(c.label);
            }
        }
    }
    return "other";
}

std::vector<std::string> prefixed(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

}  // namespace

std::vector<CountyCount> count_by_county(const std::vector<Agency>& agencies, const Reference& reference) {
    std::vector<CountyCount> counts;
    std::unordered_map<std::string, std::size_t> index;
    for (const County& county : reference.counties()) {
        index.emplace(county.fips, counts.size());
        counts.push_back(
            CountyCount{county.fips, county.state, county.full_name.empty() ? county.name : county.full_name});
    }
    for (const Agency& agency : agencies) {
        for (const std::string& fips : agency.county_fips_all) {
            auto it = index.find(fips);
            if (it == index.end()) {
                continue;
            }
            CountyCount& c = counts[it->second];
            c.agreements += agency.agreements();
            c.agencies += 1;
            c.jem += agency.jem;
            c.wso += agency.wso;
            c.tfm += agency.tfm;
        }
    }
    return counts;
}

std::vector<StateCount> count_by_state(const std::vector<Agency>& agencies, const Reference& reference) {
    std::map<std::string, StateCount> by_abbr;
    for (const State& state : reference.states()) {
        // The maps cover the 50 states, DC and Puerto Rico: those always get a row (0, not no
        // data); other territories only when the sheet has them.
        if (state.fips < "60" || state.fips == "72") {
            by_abbr[state.abbr] = StateCount{state.fips, state.abbr, state.name};
        }
    }
    for (const Agency& agency : agencies) {
        auto [it, inserted] = by_abbr.try_emplace(agency.state);
        StateCount& s = it->second;
        if (inserted) {
            const State* state = reference.state_by_abbr(agency.state);
            s.fips = state ? state->fips : std::string{};
            s.abbr = agency.state;
            s.name = state ? state->name : agency.state;
        }
        s.agreements += agency.agreements();
        s.agencies += 1;
        s.jem += agency.jem;
        s.wso += agency.wso;
        s.tfm += agency.tfm;
        if (agency.method == Method::statewide) {
            s.statewide_agencies += 1;
            s.statewide_agreements += agency.agreements();
        }
        if (agency.method == Method::unplaced) {
            s.unplaced_agencies += 1;
        }
    }
    std::vector<StateCount> out;
    out.reserve(by_abbr.size());
    for (auto& [abbr, count] : by_abbr) {
        out.push_back(std::move(count));
    }
    std::sort(out.begin(), out.end(), [](const StateCount& a, const StateCount& b) { return a.fips < b.fips; });
    return out;
}

Totals totals(const std::vector<Agency>& agencies) {
    Totals t;
    for (const Agency& agency : agencies) {
        if (!agency.county_fips_all.empty()) {
            t.placed_agreements += agency.agreements();
            t.county_total_agreements += agency.agreements() * agency.county_fips_all.size();
            t.multi_county += agency.county_fips_all.size() > 1 ? 1 : 0;
        }
        if (off_map_territory(agency.state)) {
            t.territory_agencies += 1;
            t.territory_agreements += agency.agreements();
        }
        t.agreements += agency.agreements();
        t.agencies += 1;
        t.jem += agency.jem;
        t.wso += agency.wso;
        t.tfm += agency.tfm;
        t.other += agency.agreements() - agency.jem - agency.wso - agency.tfm;
        if (agency.method == Method::statewide) {
            t.statewide += 1;
            t.statewide_agreements += agency.agreements();
        } else if (agency.method == Method::unplaced) {
            t.unplaced += 1;
        } else {
            t.placed += 1;
        }
    }
    return t;
}

std::string agencies_csv(const std::vector<Agency>& agencies, const Reference& reference) {
    std::string out;
    csv_row(out,
            "state",
            "agency",
            "type",
            "ice_county",
            "support_models",
            "agreements",
            "jem",
            "wso",
            "tfm",
            "signed",
            "county_fips",
            "county_name",
            "county_fips_all",
            "method",
            "confidence",
            "note",
            "sheet_lines");
    for (const Agency& a : agencies) {
        std::vector<std::string> models, lines;
        for (SupportModel m : a.models) {
            models.emplace_back(to_string(m));
        }
        for (std::size_t line : a.lines) {
            lines.push_back(std::to_string(line));
        }
        const County* county = reference.county(a.county_fips);
        std::ostringstream confidence;
        confidence << a.confidence;
        csv_row(out,
                a.state,
                a.name,
                a.type,
                a.ice_county,
                join(models, ";"),
                n(a.agreements()),
                n(a.jem),
                n(a.wso),
                n(a.tfm),
                join(a.signed_dates, ";"),
                a.county_fips,
                county ? (county->full_name.empty() ? county->name : county->full_name) : std::string{},
                join(a.county_fips_all, ";"),
                std::string(to_string(a.method)),
                confidence.str(),
                a.note,
                join(lines, ";"));
    }
    return out;
}

std::string counties_csv(const std::vector<CountyCount>& counts) {
    std::string out;
    csv_cells(out, county_columns);
    for (const CountyCount& c : counts) {
        csv_cells(out, county_cells(c));
    }
    return out;
}

std::string states_csv(const std::vector<StateCount>& counts) {
    std::string out;
    csv_cells(out, state_columns);
    for (const StateCount& s : counts) {
        csv_cells(out, state_cells(s));
    }
    return out;
}

std::string unplaced_csv(const std::vector<Agency>& agencies) {
    std::string out;
    csv_row(out, "state", "agency", "type", "ice_county", "agreements", "county_fips", "reason", "sheet_lines");
    for (const Agency& a : agencies) {
        if (a.method != Method::unplaced) {
            continue;
        }
        std::vector<std::string> lines;
        for (std::size_t line : a.lines) {
            lines.push_back(std::to_string(line));
        }
        csv_row(out, a.state, a.name, a.type, a.ice_county, n(a.agreements()), std::string{}, a.note, join(lines, ";"));
    }
    return out;
}

std::vector<std::pair<std::string, std::size_t>> statewide_categories(const std::vector<Agency>& agencies) {
    std::map<std::string, std::size_t> counts;
    for (const Agency& agency : agencies) {
        if (agency.method == Method::statewide && !off_map_territory(agency.state)) {
            counts[category_of(agency.name)] += 1;
        }
    }
    std::vector<std::pair<std::string, std::size_t>> out(counts.begin(), counts.end());
    // Most first; "other" last; ties by name (the map's order), so the text is stable.
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        const bool a_other = a.first == "other", b_other = b.first == "other";
        return a_other != b_other ? b_other : a.second > b.second;
    });
    return out;
}

std::string notes_text(const std::vector<Agency>& agencies) {
    const Totals t = totals(agencies);
    std::string out;
    std::size_t state_agencies = 0, state_agreements = 0;
    std::map<std::string, std::pair<std::size_t, std::size_t>> territories;  // abbr -> agencies, agreements
    for (const Agency& agency : agencies) {
        if (off_map_territory(agency.state)) {
            auto& [count, agreements] = territories[agency.state];
            count += 1;
            agreements += agency.agreements();
        } else if (agency.method == Method::statewide) {
            state_agencies += 1;
            state_agreements += agency.agreements();
        }
    }
    if (state_agencies > 0) {
        std::string kinds;
        for (const auto& [label, count] : statewide_categories(agencies)) {
            kinds += (kinds.empty() ? "" : "; ") + label + " (" + n(count) + ")";
        }
        out += plural(state_agencies, "state agency", "state agencies") + " with " +
               plural(state_agreements, "agreement", "agreements") + " " + (state_agencies == 1 ? "is" : "are") +
               " counted at state level, not in a county: " + kinds + ".\n";
    }
    if (!territories.empty()) {
        std::string parts;
        for (const auto& [abbr, count] : territories) {
            parts += (parts.empty() ? "" : "; ") + territory_name(abbr) + ": " +
                     plural(count.first, "agency", "agencies") + " with " +
                     plural(count.second, "agreement", "agreements");
        }
        out += "Not on this map (territories): " + parts + ".\n";
    }
    if (t.multi_county > 0) {
        out += plural(t.multi_county, "agency covers", "agencies cover") + " several counties and " +
               (t.multi_county == 1 ? "is" : "are") + " counted in each, so county totals add to " +
               n(t.county_total_agreements) + " against " + n(t.placed_agreements) + " agreements placed.\n";
    }
    if (t.unplaced > 0) {
        out += plural(t.unplaced, "agency", "agencies") + " could not be placed (see unplaced.csv).\n";
    }
    return out;
}

std::string summary_json(const std::string& source, const std::vector<Agency>& agencies, std::size_t duplicate_rows) {
    const Totals t = totals(agencies);
    const std::string file = std::filesystem::path(source).filename().string();
    const std::string label = snapshot_label(file);
    nlohmann::ordered_json j;
    j["source"] = file;
    j["snapshot_label"] = label;
    j["snapshot_date"] = snapshot_date(label);
    j["agreements"] = t.agreements;
    j["agencies"] = t.agencies;
    j["placed"] = t.placed;
    j["statewide"] = t.statewide;
    j["statewide_agreements"] = t.statewide_agreements;
    j["unplaced"] = t.unplaced;
    j["by_support_model"] = {{"jem", t.jem}, {"wso", t.wso}, {"tfm", t.tfm}, {"other", t.other}};
    j["placed_agreements"] = t.placed_agreements;
    j["county_total_agreements"] = t.county_total_agreements;
    j["multi_county_agencies"] = t.multi_county;
    j["territory_agencies"] = t.territory_agencies;
    j["territory_agreements"] = t.territory_agreements;
    nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
    for (const auto& [label_of_kind, count] : statewide_categories(agencies)) {
        kinds[label_of_kind] = count;
    }
    j["statewide_categories"] = kinds;
    j["duplicate_rows"] = duplicate_rows;
    return j.dump(2) + "\n";
}

std::string duplicates_csv(const Sheet& sheet) {
    std::string out;
    csv_row(out, "state", "agency", "support_type", "signed", "kept_line", "duplicate_lines", "duplicate_signed");
    for (const DuplicateRows& d : sheet.duplicates) {
        std::vector<std::string> lines;
        for (std::size_t line : d.lines) {
            lines.push_back(std::to_string(line));
        }
        csv_row(out,
                d.state,
                d.agency,
                d.support,
                d.signed_date,
                n(d.kept_line),
                join(lines, ";"),
                join(d.signed_dates, ";"));
    }
    return out;
}

void write_outputs(const std::filesystem::path& dir,
                   const Sheet& sheet,
                   const std::vector<Agency>& agencies,
                   const Reference& reference) {
    geo::write_file_atomic(dir / "agencies.csv", agencies_csv(agencies, reference));
    geo::write_file_atomic(dir / "counties.csv", counties_csv(count_by_county(agencies, reference)));
    geo::write_file_atomic(dir / "states.csv", states_csv(count_by_state(agencies, reference)));
    geo::write_file_atomic(dir / "unplaced.csv", unplaced_csv(agencies));
    geo::write_file_atomic(dir / "duplicates.csv", duplicates_csv(sheet));
    geo::write_file_atomic(dir / "notes.txt", notes_text(agencies));
    std::size_t repeats = 0;
    for (const DuplicateRows& d : sheet.duplicates) {
        repeats += d.lines.size();
    }
    geo::write_file_atomic(dir / "summary.json", summary_json(sheet.path, agencies, repeats));
}

bool similar_agency_names(std::string_view a, std::string_view b) {
    const auto words_of = [](std::string_view name) {
        std::vector<std::string> words;
        const std::string key = agency_key(name);
        std::size_t start = 0;
        while (start < key.size()) {
            std::size_t end = key.find(' ', start);
            end = end == std::string::npos ? key.size() : end;
            std::string word = key.substr(start, end - start);
            if (word == "dept") {
                word = "department";
            } else if (word == "ft") {
                word = "fort";
            } else if (word == "twp") {
                word = "township";
            }
            words.push_back(std::move(word));
            start = end + 1;
        }
        return words;
    };
    const std::vector<std::string> wa = words_of(a), wb = words_of(b);
    const auto joined = [](const std::vector<std::string>& words) {
        std::string out;
        for (const std::string& w : words) {
            out += (out.empty() ? "" : " ") + w;
        }
        return out;
    };
    const std::string ka = joined(wa), kb = joined(wb);
    const std::size_t distance = edit_distance(ka, kb);
    if (distance <= 2 || distance * 10 <= std::max(ka.size(), kb.size())) {
        return true;
    }
    // The words of the shorter name, in order, within the longer ("Idaho State Police Department").
    const auto& shorter = wa.size() <= wb.size() ? wa : wb;
    const auto& longer = wa.size() <= wb.size() ? wb : wa;
    if (shorter.size() < 2) {
        return false;
    }
    std::size_t i = 0;
    for (const std::string& w : longer) {
        i += i < shorter.size() && w == shorter[i] ? 1 : 0;
    }
    return i == shorter.size();
}

namespace {

using RowsByKey = std::map<std::string, std::vector<const AgreementRow*>>;

std::unordered_map<std::string, std::string> county_by_agency(const std::vector<Agency>& agencies) {
    std::unordered_map<std::string, std::string> out;
    for (const Agency& agency : agencies) {
        out.emplace(agency.state + "|" + agency.key, agency.county_fips);
    }
    return out;
}

/// A sheet's rows by state, agency and model: the identity of an agreement across snapshots.
RowsByKey rows_by_key(const Sheet& sheet) {
    RowsByKey out;
    for (const AgreementRow& row : sheet.rows) {
        out[row.state + "|" + agency_key(row.agency) + "|" + std::string(to_string(row.model))].push_back(&row);
    }
    return out;
}

/// Rows of `a` beyond the count of their key in `b`, in key order.
std::vector<const AgreementRow*> unmatched(const RowsByKey& a, const RowsByKey& b) {
    std::vector<const AgreementRow*> out;
    for (const auto& [key, rows] : a) {
        auto it = b.find(key);
        const std::size_t have = it == b.end() ? 0 : it->second.size();
        for (std::size_t i = have; i < rows.size(); ++i) {
            out.push_back(rows[i]);
        }
    }
    return out;
}

/// Renames: for each gone row, the index of the appeared row it became, or npos. Candidate pairs
/// share state, model and signing date and have similar names; closest names pair first, each
/// row in one pair at most.
std::vector<std::size_t> pair_renames(const std::vector<const AgreementRow*>& gone,
                                      const std::vector<const AgreementRow*>& appeared) {
    struct Pair {
        std::size_t distance, gone, appeared;
    };
    std::vector<Pair> pairs;
    for (std::size_t g = 0; g < gone.size(); ++g) {
        for (std::size_t a = 0; a < appeared.size(); ++a) {
            const AgreementRow& o = *gone[g];
            const AgreementRow& nw = *appeared[a];
            if (o.state == nw.state && o.model == nw.model && !o.signed_date.empty() &&
                o.signed_date == nw.signed_date && similar_agency_names(o.agency, nw.agency)) {
                pairs.push_back({edit_distance(agency_key(o.agency), agency_key(nw.agency)), g, a});
            }
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.distance < y.distance; });
    std::vector<std::size_t> renamed_to(gone.size(), std::string::npos);
    std::vector<bool> appeared_used(appeared.size(), false);
    for (const Pair& p : pairs) {
        if (renamed_to[p.gone] == std::string::npos && !appeared_used[p.appeared]) {
            renamed_to[p.gone] = p.appeared;
            appeared_used[p.appeared] = true;
        }
    }
    return renamed_to;
}

/// Builds the changes between two snapshots, labelled `from` and `to`, with the counties their
/// agencies were placed in (empty maps: no counties, no "moved").
class ChangeList {
public:
    ChangeList(std::string from,
               std::string to,
               const std::vector<Agency>& older_agencies,
               const std::vector<Agency>& newer_agencies)
        : m_from(std::move(from)),
          m_to(std::move(to)),
          m_old_county(county_by_agency(older_agencies)),
          m_new_county(county_by_agency(newer_agencies)) {}

    void appeared(const AgreementRow& row) { add("appeared", row).county_fips = new_county(row); }
    void ended(const AgreementRow& row) { add("ended", row).previous_county_fips = old_county(row); }
    void renamed(const AgreementRow& before, const AgreementRow& now) {
        Change& c = add("renamed", now);
        c.previous_agency = before.agency;
        c.county_fips = new_county(now);
        c.previous_county_fips = old_county(before);
    }
    /// Agreements of the same key in both sheets whose agency was placed in another county.
    void moved(const RowsByKey& old_rows, const RowsByKey& new_rows) {
        if (m_old_county.empty() || m_new_county.empty()) {
            return;
        }
        for (const auto& [key, rows] : new_rows) {
            auto it = old_rows.find(key);
            if (it == old_rows.end()) {
                continue;
            }
            const std::string before = old_county(*it->second.front());
            const std::string after = new_county(*rows.front());
            if (before.empty() || after.empty() || before == after) {
                continue;
            }
            for (std::size_t i = 0; i < std::min(rows.size(), it->second.size()); ++i) {
                Change& c = add("moved", *rows[i]);
                c.county_fips = after;
                c.previous_county_fips = before;
            }
        }
    }
    [[nodiscard]] std::vector<Change> take() { return std::move(m_changes); }

private:
    Change& add(std::string kind, const AgreementRow& row) {
        return m_changes.emplace_back(Change{m_from,
                                             m_to,
                                             std::move(kind),
                                             row.state,
                                             row.agency,
                                             std::string(to_string(row.model)),
                                             row.signed_date,
                                             {},
                                             {},
                                             {}});
    }
    static std::string county_in(const std::unordered_map<std::string, std::string>& map, const AgreementRow& row) {
        auto it = map.find(row.state + "|" + agency_key(row.agency));
        return it == map.end() ? std::string{} : it->second;
    }
    [[nodiscard]] std::string old_county(const AgreementRow& row) const { return county_in(m_old_county, row); }
    [[nodiscard]] std::string new_county(const AgreementRow& row) const { return county_in(m_new_county, row); }

    std::string m_from;
    std::string m_to;
    std::unordered_map<std::string, std::string> m_old_county;
    std::unordered_map<std::string, std::string> m_new_county;
    std::vector<Change> m_changes;
};

}  // namespace

std::vector<Change> compare_snapshots(const Sheet& older,
                                      const std::vector<Agency>& older_agencies,
                                      const Sheet& newer,
                                      const std::vector<Agency>& newer_agencies) {
    const RowsByKey old_rows = rows_by_key(older);
    const RowsByKey new_rows = rows_by_key(newer);
    const std::vector<const AgreementRow*> appeared = unmatched(new_rows, old_rows);
    const std::vector<const AgreementRow*> gone = unmatched(old_rows, new_rows);
    const std::vector<std::size_t> renamed_to = pair_renames(gone, appeared);
    std::vector<bool> appeared_renamed(appeared.size(), false);
    for (const std::size_t a : renamed_to) {
        if (a != std::string::npos) {
            appeared_renamed[a] = true;
        }
    }

    ChangeList changes(snapshot_label(std::filesystem::path(older.path).filename().string()),
                       snapshot_label(std::filesystem::path(newer.path).filename().string()),
                       older_agencies,
                       newer_agencies);
    for (std::size_t a = 0; a < appeared.size(); ++a) {
        if (!appeared_renamed[a]) {
            changes.appeared(*appeared[a]);
        }
    }
    for (std::size_t g = 0; g < gone.size(); ++g) {
        if (renamed_to[g] == std::string::npos) {
            changes.ended(*gone[g]);
        }
    }
    for (std::size_t g = 0; g < gone.size(); ++g) {
        if (renamed_to[g] != std::string::npos) {
            changes.renamed(*gone[g], *appeared[renamed_to[g]]);
        }
    }
    changes.moved(old_rows, new_rows);
    return changes.take();
}

std::vector<Change> compare_snapshots(const Sheet& older, const Sheet& newer) {
    return compare_snapshots(older, {}, newer, {});
}

std::string changes_csv(const std::vector<Change>& changes) {
    std::string out;
    csv_row(out,
            "from_snapshot",
            "to_snapshot",
            "change",
            "state",
            "agency",
            "previous_agency",
            "support_model",
            "signed",
            "county_fips",
            "previous_county_fips");
    for (const Change& c : changes) {
        csv_row(out,
                c.from,
                c.to,
                c.kind,
                c.state,
                c.agency,
                c.previous_agency,
                c.support,
                c.signed_date,
                c.county_fips,
                c.previous_county_fips);
    }
    return out;
}

SnapshotCounts count_snapshot(const Sheet& sheet, const std::vector<Agency>& agencies, const Reference& reference) {
    SnapshotCounts counts;
    counts.label = snapshot_label(std::filesystem::path(sheet.path).filename().string());
    counts.date = snapshot_date(counts.label);
    counts.states = count_by_state(agencies, reference);
    counts.counties = count_by_county(agencies, reference);
    counts.totals = totals(agencies);
    return counts;
}

std::string snapshot_states_csv(const std::vector<SnapshotCounts>& snapshots) {
    std::string out;
    csv_cells(out, prefixed({"snapshot_label", "snapshot_date"}, state_columns));
    for (const SnapshotCounts& snapshot : snapshots) {
        for (const StateCount& s : snapshot.states) {
            csv_cells(out, prefixed({snapshot.label, snapshot.date}, state_cells(s)));
        }
    }
    return out;
}

std::string snapshot_counties_csv(const std::vector<SnapshotCounts>& snapshots) {
    std::string out;
    csv_cells(out, prefixed({"snapshot_label", "snapshot_date"}, county_columns));
    for (const SnapshotCounts& snapshot : snapshots) {
        for (const CountyCount& c : snapshot.counties) {
            if (c.agencies == 0) {
                continue;
            }
            csv_cells(out, prefixed({snapshot.label, snapshot.date}, county_cells(c)));
        }
    }
    return out;
}

}  // namespace choro::agreements
