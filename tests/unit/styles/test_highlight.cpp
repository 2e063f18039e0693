#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/geo/table.hpp"
#include "choro/styles/highlight.hpp"
#include "choro/styles/legend.hpp"

namespace {

namespace fs = std::filesystem;
using namespace choro::styles;

const fs::path shared = fs::path(CHORO_SHARED_DATA);

choro::geo::Layer layer_of(const std::vector<std::string>& keys) {
    choro::geo::Layer layer;
    layer.source = "synthetic";
    for (const auto& k : keys) {
        choro::geo::Feature f;
        f.key = k;
        layer.features.push_back(f);
    }
    return layer;
}

/// A CSV in a fresh folder of the system temp dir, named after the running test.
std::string write_csv(const std::string& name, const std::string& text) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir = fs::temp_directory_path() / ("choro-styles-" + std::string(info->name()));
    fs::create_directories(dir);
    const fs::path p = dir / name;
    std::ofstream(p) << text;
    return p.string();
}

bool contains(const std::vector<std::string>& v, const std::string& part) {
    return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

TEST(States, TableMatchesTheCensusStateList) {
    const fs::path ref = shared / "reference/kjhealy-fips-codes/state_fips_master.csv";
    if (!fs::exists(ref)) {
        GTEST_SKIP() << "shared data not present: " << ref;
    }
    // state_name,state_abbr,long_name,fips,... (no quoted fields in this file)
    std::ifstream in(ref);
    std::string line;
    std::getline(in, line);
    std::size_t rows = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) {
            cells.push_back(cell);
        }
        ASSERT_GE(cells.size(), 4u) << line;
        const std::string fips = (cells[3].size() == 1 ? "0" : "") + cells[3];
        const StateInfo* s = find_state(cells[1]);
        ASSERT_NE(s, nullptr) << cells[1];
        EXPECT_EQ(std::string(s->fips), fips) << cells[1];
        EXPECT_EQ(std::string(s->name), cells[0]);
        EXPECT_EQ(find_state(cells[0]), s);
        EXPECT_EQ(find_state(fips), s);
        ++rows;
    }
    EXPECT_EQ(rows, 50u);
}

TEST(States, FiftyStatesDcAndFiveTerritories) {
    const auto& all = us_states();
    EXPECT_EQ(all.size(), 56u);
    for (const char* abbr : {"DC", "PR", "GU", "VI", "AS", "MP"}) {
        EXPECT_NE(find_state(abbr), nullptr) << abbr;
    }
    EXPECT_EQ(std::string(find_state("72")->abbr), "PR");
    EXPECT_EQ(std::string(find_state("district of columbia")->fips), "11");
    std::vector<std::string> fips;
    for (const auto& s : all) {
        fips.emplace_back(s.fips);
    }
    EXPECT_TRUE(std::is_sorted(fips.begin(), fips.end()));
    EXPECT_EQ(std::adjacent_find(fips.begin(), fips.end()), fips.end());
}

TEST(States, FindStateIsCaseInsensitiveAndTrimmed) {
    EXPECT_EQ(std::string(find_state("md")->fips), "24");
    EXPECT_EQ(std::string(find_state("  Maryland ")->abbr), "MD");
    EXPECT_EQ(std::string(find_state("NEW YORK")->fips), "36");
    EXPECT_EQ(std::string(find_state("6")->abbr), "CA");
    EXPECT_EQ(std::string(find_state(" 06")->abbr), "CA");
    EXPECT_EQ(find_state("XX"), nullptr);
    EXPECT_EQ(find_state(""), nullptr);
    EXPECT_EQ(find_state("03"), nullptr);  // an unused FIPS code
    EXPECT_EQ(find_state("Mary land"), nullptr);
}

TEST(Highlight, DocumentedHoldoutsMarkCountiesAndStateBans) {
    const fs::path table = shared / "holdouts/documented_holdouts.csv";
    if (!fs::exists(table)) {
        GTEST_SKIP() << "shared data not present: " << table;
    }
    const auto counties = layer_of({"24031", "42017", "48113", "01001"});
    const auto states = layer_of({"24", "06", "48", "01"});
    HighlightSource settings;
    settings.source = table.string();
    const Highlights h = read_highlights(settings, counties, &states);
    // Montgomery MD (policy) and Bucks PA (terminated) as counties; Dallas TX (declined, two city
    // rows) as holdout agencies within the county.
    EXPECT_EQ(h.features, (std::vector<bool>{true, true, false, false}));
    EXPECT_EQ(h.partial, (std::vector<bool>{false, false, true, false}));
    // MD and CA have state bans; TX's only state row is the mandate to join (excluded), AL has none.
    EXPECT_EQ(h.overlay, (std::vector<bool>{true, true, false, false}));
    EXPECT_EQ(h.rows_used, 6u);
    EXPECT_TRUE(contains(h.unmatched, "state IL matches no overlay feature"));
    EXPECT_TRUE(contains(h.unmatched, "key 24001 matches no feature"));
    EXPECT_FALSE(contains(h.unmatched, "state TX"));  // excluded, not unmatched
    EXPECT_FALSE(contains(h.unmatched, "state NY"));  // proposed ban, excluded
}

TEST(Highlight, OverlayKeyedByAbbreviationAndNoOverlay) {
    const fs::path table = shared / "holdouts/documented_holdouts.csv";
    if (!fs::exists(table)) {
        GTEST_SKIP() << "shared data not present: " << table;
    }
    HighlightSource settings;
    settings.source = table.string();
    const auto counties = layer_of({"48113"});
    const auto by_abbr = layer_of({"TX", "MD", "ca", "NJ"});
    const Highlights h = read_highlights(settings, counties, &by_abbr);
    EXPECT_EQ(h.overlay, (std::vector<bool>{false, true, true, true}));
    const Highlights none = read_highlights(settings, counties, nullptr);
    EXPECT_EQ(none.partial, (std::vector<bool>{true}));  // Dallas: city rows
    EXPECT_TRUE(none.overlay.empty());
    EXPECT_TRUE(contains(none.unmatched, "state MD needs an overlay layer"));
}

TEST(Highlight, SyntheticTableRules) {
    const std::string csv = write_csv("h.csv",
                                      "state_abbr,level,county_fips,status\n"
                                      "AL,county,1001.0,terminated\n"  // line 2: number as a spreadsheet writes it
                                      "AL,county,1003,STATE_MANDATE_TO_JOIN\n"  // 3: excluded (any case)
                                      "AL,city,,declined\n"                     // 4: no county: skipped silently
                                      "AL,county,99999,declined\n"              // 5: unmatched
                                      "Alabama,State,,state_ban\n"              // 6: state row by name
                                      "ZZ,state,,state_ban\n");                 // 7: unknown state
    HighlightSource settings;
    settings.source = csv;
    const auto counties = layer_of({"01001", "01003", "01005"});
    const auto states = layer_of({"01", "02"});
    const Highlights h = read_highlights(settings, counties, &states);
    EXPECT_EQ(h.features, (std::vector<bool>{true, false, false}));
    EXPECT_EQ(h.overlay, (std::vector<bool>{true, false}));
    EXPECT_EQ(h.rows_used, 2u);
    ASSERT_EQ(h.unmatched.size(), 2u);
    EXPECT_EQ(h.unmatched[0], "line 5: key 99999 matches no feature");
    EXPECT_EQ(h.unmatched[1], "line 7: state ZZ matches no overlay feature");
}

TEST(Highlight, WithoutStatusOrLevelColumnsEveryRowIsAFeatureRow) {
    const std::string csv = write_csv("plain.csv", "fips\n24031\n42017\n");
    HighlightSource settings;
    settings.source = csv;
    settings.key = "fips";
    const auto counties = layer_of({"24031", "42017", "48113"});
    const Highlights h = read_highlights(settings, counties, nullptr);
    EXPECT_EQ(h.features, (std::vector<bool>{true, true, false}));
    EXPECT_EQ(h.rows_used, 2u);
    EXPECT_TRUE(h.unmatched.empty());
}

TEST(Highlight, EmptyKeyUsesOnlyStateRows) {
    const fs::path table = shared / "holdouts/documented_holdouts.csv";
    if (!fs::exists(table)) {
        GTEST_SKIP() << "shared data not present: " << table;
    }
    HighlightSource settings;
    settings.source = table.string();
    settings.key = "";
    const auto states = layer_of({"24", "06", "48", "17", "53", "34", "36", "41", "10", "35"});
    const Highlights h = read_highlights(settings, states, &states);
    EXPECT_EQ(h.features, (std::vector<bool>(10, false)));
    // MD, CA, IL, WA, NJ, OR, DE, NM bans (all in force without a date); TX mandate and NY proposal excluded.
    EXPECT_EQ(h.overlay, (std::vector<bool>{true, true, false, true, true, true, false, true, true, true}));
    EXPECT_EQ(h.overlay_enacted, (std::vector<bool>(10, false)));
    EXPECT_EQ(h.rows_used, 8u);
    EXPECT_TRUE(h.unmatched.empty());
}

TEST(Highlight, DocumentedHoldoutsHaveEightStateBansAndThirtyTwoRows) {
    const fs::path table = shared / "holdouts/documented_holdouts.csv";
    if (!fs::exists(table)) {
        GTEST_SKIP() << "shared data not present: " << table;
    }
    // PROVENANCE §6: 32 rows, 8 state_ban (CA, IL, NJ, WA, MD, OR, DE, NM), a column in_force_date.
    const auto t = choro::geo::read_table(table.string());
    EXPECT_EQ(t.rows.size(), 32u);
    ASSERT_TRUE(t.find_column("in_force_date").has_value());
    std::size_t bans = 0;
    for (const auto& row : t.rows) {
        bans += row[t.column("status")] == "state_ban" ? 1 : 0;
    }
    EXPECT_EQ(bans, 8u);
}

/// The documented holdouts on the state map on day `as_of`.
Highlights bans_on(const std::string& as_of, const choro::geo::Layer& states) {
    HighlightSource settings;
    settings.source = (shared / "holdouts/documented_holdouts.csv").string();
    settings.key = "";
    settings.as_of = as_of;
    return read_highlights(settings, states, &states);
}

TEST(Highlight, NewMexicoBanIsEnactedOnTheMaySheetAndInForceAfterMay20) {
    const fs::path table = shared / "holdouts/documented_holdouts.csv";
    if (!fs::exists(table)) {
        GTEST_SKIP() << "shared data not present: " << table;
    }
    // HB 9 signed 2026-02-05, in force 2026-05-20 (documented_holdouts.csv).
    const auto states = layer_of({"35", "24", "10"});  // NM, MD, DE
    const Highlights may18 = bans_on("2026-05-18", states);
    EXPECT_EQ(may18.overlay, (std::vector<bool>{false, true, true}));
    EXPECT_EQ(may18.overlay_enacted, (std::vector<bool>{true, false, false}));
    const Highlights may21 = bans_on("2026-05-21", states);
    EXPECT_EQ(may21.overlay, (std::vector<bool>{true, true, true}));
    EXPECT_EQ(may21.overlay_enacted, (std::vector<bool>{false, false, false}));
    const Highlights may20 = bans_on("2026-05-20", states);  // in force that day
    EXPECT_EQ(may20.overlay, (std::vector<bool>{true, true, true}));
    // Before it was signed, and before Maryland's (2026-02-17): neither is drawn.
    const Highlights jan26 = bans_on("2026-01-26", states);
    EXPECT_EQ(jan26.overlay, (std::vector<bool>{false, false, true}));
    EXPECT_EQ(jan26.overlay_enacted, (std::vector<bool>{false, false, false}));
    EXPECT_GE(jan26.rows_after_date, 2u);
    // Delaware's ban (signed and in force 2025-07-14) is not there on 2025-07-13.
    EXPECT_EQ(bans_on("2025-07-13", states).overlay, (std::vector<bool>{false, false, false}));
    EXPECT_EQ(bans_on("2025-07-14", states).overlay, (std::vector<bool>{false, false, true}));
}

TEST(Highlight, AsOfDropsCountyRowsDatedLater) {
    const fs::path table = shared / "holdouts/documented_holdouts.csv";
    if (!fs::exists(table)) {
        GTEST_SKIP() << "shared data not present: " << table;
    }
    // Bucks PA ended its agreement 2026-01-14; Allegany MD 2026-02-17; Dallas TX declined 2025-10 (month).
    const auto counties = layer_of({"42017", "24001", "48113"});
    HighlightSource settings;
    settings.source = table.string();
    // Dallas's rows are the city's (partial mark), the others the county's (full mark).
    const auto marks = [&](const std::string& as_of) {
        settings.as_of = as_of;
        const Highlights h = read_highlights(settings, counties, nullptr);
        std::vector<bool> any;
        for (std::size_t i = 0; i < h.features.size(); ++i) {
            any.push_back(h.features[i] || h.partial[i]);
        }
        return any;
    };
    EXPECT_EQ(marks("2026-01-13"), (std::vector<bool>{false, false, true}));
    EXPECT_EQ(marks("2026-01-26"), (std::vector<bool>{true, false, true}));
    EXPECT_EQ(marks("2026-05-18"), (std::vector<bool>{true, true, true}));
    EXPECT_EQ(marks("2025-09-30"),
              (std::vector<bool>{
                  false, false, true}));  // "2025-10" counts from 2025-10-01; "2025" (the marshal) from 2025-01-01
    EXPECT_EQ(marks("2024-12-31"), (std::vector<bool>{false, false, false}));
}

TEST(Highlight, HarrisCountyIsAHoldoutAgencyInACountyWithAgreements) {
    const fs::path table = shared / "holdouts/documented_holdouts.csv";
    if (!fs::exists(table)) {
        GTEST_SKIP() << "shared data not present: " << table;
    }
    // Harris TX: its sheriff (a county-level row) opted out in 2017, but Southside Place PD holds
    // 1 agreement on the 2026-05-18 sheet; Montgomery MD holds none; Bucks PA none.
    const auto counties = layer_of({"48201", "24031", "42017", "01001"});
    const std::vector<std::optional<double>> values{1.0, 0.0, std::nullopt, 3.0};
    HighlightSource settings;
    settings.source = table.string();
    settings.as_of = "2026-05-18";
    const Highlights h = read_highlights(settings, counties, nullptr, &values);
    EXPECT_EQ(h.features, (std::vector<bool>{false, true, true, false}));
    EXPECT_EQ(h.partial, (std::vector<bool>{true, false, false, false}));
    // Without values (a table of holdouts alone), the county mark is the full one.
    EXPECT_EQ(read_highlights(settings, counties, nullptr).features, (std::vector<bool>{true, true, true, false}));
}

TEST(Highlight, DateCellsThatAreNoDatesAreListedAndSkipped) {
    const std::string csv = write_csv("dated.csv",
                                      "state_abbr,level,county_fips,status,event_date,in_force_date\n"
                                      "AL,county,01001,terminated,2025-02-30,\n"         // 2: no such day
                                      "AL,county,01003,terminated,2025-02-28,\n"         // 3
                                      "AL,county,01005,terminated,2025-02,2026-01-01\n"  // 4: in force later
                                      "AL,state,,state_ban,2025,soon\n");                // 5: bad in_force
    HighlightSource settings;
    settings.source = csv;
    settings.as_of = "2025-06-01";
    const auto counties = layer_of({"01001", "01003", "01005"});
    const auto states = layer_of({"01"});
    const Highlights h = read_highlights(settings, counties, &states);
    EXPECT_EQ(h.features, (std::vector<bool>{false, true, false}));
    EXPECT_EQ(h.overlay, (std::vector<bool>{false}));
    ASSERT_EQ(h.unmatched.size(), 2u);
    EXPECT_EQ(h.unmatched[0],
              "line 2: event_date '2025-02-30' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); row skipped");
    EXPECT_EQ(h.unmatched[1], "line 5: in_force_date 'soon' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); row skipped");
    EXPECT_EQ(h.rows_after_date, 1u);
}

TEST(Highlight, AsOfMustBeARealDay) {
    choro::styles::Job job;
    job.boundaries.source = "b.json";
    job.highlight.as_of = "2026-02-30";
    try {
        choro::styles::validate(job);
        ADD_FAILURE() << "no JobError";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("--as-of"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("2026-02-30"), std::string::npos) << e.what();
    }
    job.highlight.as_of = "2024-02-29";
    EXPECT_NO_THROW(choro::styles::validate(job));
}

TEST(States, OneTableAgreesWithTheCountyReference) {
    const fs::path ref = shared / "reference/us_counties_fips.csv";
    if (!fs::exists(ref)) {
        GTEST_SKIP() << "shared data not present: " << ref;
    }
    // Every state_fips/state_abbr/state_name of us_counties_fips.csv (us-atlas + Census) is one
    // entry of the compiled table, and every entry has counties there.
    const auto t = choro::geo::read_table(ref.string());
    std::set<std::string> seen;
    for (const auto& row : t.rows) {
        const StateInfo* s = find_state(row[t.column("state_abbr")]);
        ASSERT_NE(s, nullptr) << row[t.column("state_abbr")];
        EXPECT_EQ(std::string(s->fips), row[t.column("state_fips")]);
        EXPECT_EQ(std::string(s->name), row[t.column("state_name")]);
        seen.insert(std::string(s->abbr));
    }
    EXPECT_EQ(seen.size(), us_states().size());
    EXPECT_TRUE(find_state("GU")->territory());
    EXPECT_FALSE(find_state("DC")->territory());
}

TEST(Highlight, LegendNamesThePartialAndEnactedMarks) {
    // Breaks of three values in two classes; every highlight entry asked for, in the map's order.
    const std::vector<std::optional<double>> values{1.0, 2.0, 3.0};
    ClassifyOptions options;
    options.method = Method::manual;
    options.manual_breaks = {2.0};
    const auto breaks = classify(values, options);
    StyleSettings style;
    const HighlightSource h;
    const auto items = legend_items(breaks, class_colors(breaks, style), style, h, true, true, true, true);
    ASSERT_GE(items.size(), 4u);
    const std::size_t first = items.size() - 4;
    EXPECT_EQ(items[first].swatch, Swatch::hatch);
    EXPECT_EQ(items[first + 1].swatch, Swatch::partial_hatch);
    EXPECT_EQ(items[first + 1].label, "Holdout agency, not the whole county (a city's, or others hold agreements)");
    EXPECT_EQ(items[first + 2].swatch, Swatch::overlay_hatch);
    EXPECT_EQ(items[first + 3].swatch, Swatch::overlay_enacted);
    EXPECT_EQ(items[first + 3].label, "State ban enacted, not yet in force");
    const std::string json = legend_json("t", items);
    EXPECT_NE(json.find("\"swatch\":\"partial_hatch\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"swatch\":\"overlay_enacted\""), std::string::npos) << json;
    // Without those marks on the map, no entries.
    EXPECT_EQ(legend_items(breaks, class_colors(breaks, style), style, h, true, true).size(), first + 2);
}

TEST(Highlight, EmptySourceMarksNothing) {
    const auto counties = layer_of({"1", "2"});
    const auto states = layer_of({"3"});
    const Highlights h = read_highlights(HighlightSource{}, counties, &states);
    EXPECT_EQ(h.features, (std::vector<bool>{false, false}));
    EXPECT_EQ(h.overlay, (std::vector<bool>{false}));
    EXPECT_EQ(h.rows_used, 0u);
}

TEST(Highlight, MissingColumnsAreInputErrorsNamingTableAndColumn) {
    const std::string csv = write_csv("cols.csv", "state_abbr,level,fips\nMD,state,\n");
    HighlightSource settings;
    settings.source = csv;
    const auto counties = layer_of({"24031"});
    try {
        (void)read_highlights(settings, counties, nullptr);
        FAIL() << "expected InputError";
    } catch (const choro::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("cols.csv"), std::string::npos) << what;
        EXPECT_NE(what.find("county_fips"), std::string::npos) << what;
    }
    settings.key = "fips";
    settings.state_key = "state_fips";  // needed by the state row, absent
    const auto states = layer_of({"24"});
    try {
        (void)read_highlights(settings, counties, &states);
        FAIL() << "expected InputError";
    } catch (const choro::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("cols.csv"), std::string::npos) << what;
        EXPECT_NE(what.find("state_fips"), std::string::npos) << what;
    }
}

TEST(Highlight, MissingTableIsAnInputError) {
    HighlightSource settings;
    settings.source = (fs::temp_directory_path() / "choro-no-such-holdouts.csv").string();
    EXPECT_THROW((void)read_highlights(settings, layer_of({"1"}), nullptr), choro::InputError);
}

}  // namespace
