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
    for (auto& [abbr, count] : by_abbr) {
        out.push_back(std::move(count));
    }
    std::sort(out.begin(), out.end(), [](const StateCount& a, const StateCount& b) { return a.fips < b.fips; });
    return out;
}

Totals totals(const std::vector<Agency>& agencies) {
    Totals t;
    for (const Agency& agency : agencies) {
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

std::string notes_text(const std::vector<Agency>& agencies) {
    const Totals t = totals(agencies);
    std::string out;
    if (t.statewide > 0) {
        out += n(t.statewide) + " statewide " + (t.statewide == 1 ? "agency" : "agencies") + " with " +
               n(t.statewide_agreements) + (t.statewide_agreements == 1 ? " agreement" : " agreements") +
               " (state police, corrections, universities) " + (t.statewide == 1 ? "is" : "are") +
               " not placed in a county.\n";
    }
    if (t.unplaced > 0) {
        out +=
            n(t.unplaced) + (t.unplaced == 1 ? " agency" : " agencies") + " could not be placed (see unplaced.csv).\n";
    }
    return out;
}

std::string summary_json(const std::string& source, const std::vector<Agency>& agencies) {
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
    return j.dump(2) + "\n";
}

void write_outputs(const std::filesystem::path& dir,
                   const Sheet& sheet,
                   const std::vector<Agency>& agencies,
                   const Reference& reference) {
    geo::write_file_atomic(dir / "agencies.csv", agencies_csv(agencies, reference));
    geo::write_file_atomic(dir / "counties.csv", counties_csv(count_by_county(agencies, reference)));
    geo::write_file_atomic(dir / "states.csv", states_csv(count_by_state(agencies, reference)));
    geo::write_file_atomic(dir / "unplaced.csv", unplaced_csv(agencies));
    geo::write_file_atomic(dir / "notes.txt", notes_text(agencies));
    geo::write_file_atomic(dir / "summary.json", summary_json(sheet.path, agencies));
}

std::vector<Change> compare_snapshots(const Sheet& older, const Sheet& newer) {
    const std::string from = snapshot_label(std::filesystem::path(older.path).filename().string());
    const std::string to = snapshot_label(std::filesystem::path(newer.path).filename().string());
    auto key_of = [](const AgreementRow& row) {
        return row.state + "|" + agency_key(row.agency) + "|" + std::string(to_string(row.model));
    };
    std::map<std::string, std::vector<const AgreementRow*>> old_rows, new_rows;
    for (const AgreementRow& row : older.rows) {
        old_rows[key_of(row)].push_back(&row);
    }
    for (const AgreementRow& row : newer.rows) {
        new_rows[key_of(row)].push_back(&row);
    }
    std::vector<Change> changes;
    auto diff = [&](const auto& a, const auto& b, const std::string& kind) {
        for (const auto& [key, rows] : a) {
            auto it = b.find(key);
            const std::size_t have = it == b.end() ? 0 : it->second.size();
            for (std::size_t i = have; i < rows.size(); ++i) {
                const AgreementRow& row = *rows[i];
                changes.push_back(
                    Change{from, to, kind, row.state, row.agency, std::string(to_string(row.model)), row.signed_date});
            }
        }
    };
    diff(new_rows, old_rows, "appeared");
    diff(old_rows, new_rows, "disappeared");
    return changes;
}

std::string changes_csv(const std::vector<Change>& changes) {
    std::string out;
    csv_row(out, "from_snapshot", "to_snapshot", "change", "state", "agency", "support_model", "signed");
    for (const Change& c : changes) {
        csv_row(out, c.from, c.to, c.kind, c.state, c.agency, c.support, c.signed_date);
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
