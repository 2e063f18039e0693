// The output tables: a row for every county, state counts from rows, notes and summary.

#include <filesystem>
#include <sstream>
#include <string>

#include "fixture.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/agreements/report.hpp"
#include "choro/geo/table.hpp"

namespace {

using namespace choro::agreements;
using namespace choro::agreements::testing;

TEST(Outputs, WritesEveryTableForTheMay2026Sheet) {
    CHORO_NEED_SHARED_DATA();
    const Sheet sheet = read_sheet(participating("ice287g_participating_2026-05-18am.csv").string(), reference());
    const auto agencies = place_agencies(sheet, reference());
    const auto dir = choro::test::temp_dir();
    write_outputs(dir, sheet, agencies, reference());

    // counties.csv: every county of the reference, zeros included.
    const auto counties = choro::geo::read_table((dir / "counties.csv").string());
    EXPECT_EQ(counties.rows.size(), reference().counties().size());
    EXPECT_EQ(counties.rows.size(), 3231u);  // PROVENANCE §5.2
    for (const char* column : {"county_fips", "state", "county_name", "agreements", "agencies", "jem", "wso", "tfm"}) {
        EXPECT_TRUE(counties.find_column(column).has_value()) << column;
    }
    // Autauga County AL: 3 agreements (JEM, WSO, TFM) of one agency (sheet lines 2-4).
    const std::size_t fips = counties.column("county_fips"), agreements = counties.column("agreements");
    for (const auto& row : counties.rows) {
        if (row[fips] == "01001") {
            EXPECT_EQ(row[agreements], "3");
        }
    }

    // states.csv: agreements sum to the sheet's 1843 rows (PROVENANCE §4.1), agencies to 1551.
    const auto states = choro::geo::read_table((dir / "states.csv").string());
    std::size_t total = 0, agency_total = 0;
    for (const auto& row : states.rows) {
        total += std::stoul(row[states.column("agreements")]);
        agency_total += std::stoul(row[states.column("agencies")]);
    }
    EXPECT_EQ(total, 1843u);
    EXPECT_EQ(agency_total, 1551u);
    EXPECT_EQ(states.rows.size(), 52u + 2u);  // 50 states, DC, Puerto Rico (always), Guam, CNMI (in the sheet)
    for (const char* column : {"state_fips", "state", "state_name", "statewide_agencies", "statewide_agreements"}) {
        EXPECT_TRUE(states.find_column(column).has_value()) << column;
    }

    // agencies.csv: one row per agency; unplaced.csv: one per unplaced agency, with a reason.
    EXPECT_EQ(choro::geo::read_table((dir / "agencies.csv").string()).rows.size(), 1551u);
    const auto unplaced = choro::geo::read_table((dir / "unplaced.csv").string());
    const Totals t = totals(agencies);
    EXPECT_EQ(unplaced.rows.size(), t.unplaced);
    for (const auto& row : unplaced.rows) {
        EXPECT_FALSE(row[unplaced.column("reason")].empty());
    }

    const auto summary = nlohmann::json::parse(choro::test::read_file(dir / "summary.json"));
    EXPECT_EQ(summary["snapshot_label"], "2026-05-18am");
    EXPECT_EQ(summary["snapshot_date"], "2026-05-18");
    EXPECT_EQ(summary["agreements"], 1843);
    EXPECT_EQ(summary["placed"].get<std::size_t>() + summary["statewide"].get<std::size_t>() +
                  summary["unplaced"].get<std::size_t>(),
              1551u);
    // snapshot_totals.csv has jem 182, wso 499, tfm 1162 for this sheet.
    EXPECT_EQ(summary["by_support_model"]["jem"], 182);
    EXPECT_EQ(summary["by_support_model"]["wso"], 499);
    EXPECT_EQ(summary["by_support_model"]["tfm"], 1162);

    const std::string notes = choro::test::read_file(dir / "notes.txt");
    // CNMI's two territory-wide agencies are on the territories' line, not among the state agencies.
    EXPECT_NE(notes.find(std::to_string(t.statewide - 2) + " state agencies with " +
                         std::to_string(t.statewide_agreements - 2) + " agreements are counted at state level"),
              std::string::npos)
        << notes;
    EXPECT_EQ(summary["duplicate_rows"], 0);
    EXPECT_TRUE(std::filesystem::exists(dir / "duplicates.csv"));
    EXPECT_NE(notes.find(std::to_string(t.unplaced) + " agencies could not be placed (see unplaced.csv)"),
              std::string::npos)
        << notes;
}

TEST(Outputs, CsvQuotesCellsWithCommas) {
    CHORO_NEED_SHARED_DATA();
    const Agency& a = find_agency(
        "ice287g_participating_2026-05-18am.csv", "VA", "Rappahannock, Shenandoah, Warren Regional Jail Authority");
    const std::string csv = agencies_csv({a}, reference());
    EXPECT_NE(csv.find("\"Rappahannock, Shenandoah, Warren Regional Jail Authority\""), std::string::npos);
    EXPECT_NE(csv.find("51157;51171;51187"), std::string::npos) << csv;
}

TEST(Outputs, MultiCountyAgencyCountsInEachCounty) {
    CHORO_NEED_SHARED_DATA();
    const Agency& a = find_agency(
        "ice287g_participating_2026-05-18am.csv", "VA", "Rappahannock, Shenandoah, Warren Regional Jail Authority");
    const auto counts = count_by_county({a}, reference());
    std::size_t counties_with_it = 0;
    for (const CountyCount& c : counts) {
        if (c.agencies > 0) {
            ++counties_with_it;
            EXPECT_EQ(c.agreements, a.agreements());
        }
    }
    EXPECT_EQ(counties_with_it, 3u);
    // ...but the state counts it once.
    for (const StateCount& s : count_by_state({a}, reference())) {
        EXPECT_EQ(s.agreements, s.abbr == "VA" ? a.agreements() : 0u);
    }
}

}  // namespace
