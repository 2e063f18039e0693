// Reading ICE sheets: slips corrected with warnings naming the row, errors naming file, row, column.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fixture.hpp"
#include <gtest/gtest.h>

#include "choro/agreements/report.hpp"
#include "choro/geo/error.hpp"

namespace {

using namespace choro::agreements;
using namespace choro::agreements::testing;

std::string fixture(const std::string& name) {
    return (choro::test::data_dir() / "agreements" / name).string();
}

TEST(Sheet, StateSlipsAreCorrectedWithAWarningNamingTheRow) {
    CHORO_NEED_SHARED_DATA();
    const Sheet sheet = read_sheet(fixture("typos.csv"), reference());
    ASSERT_EQ(sheet.rows.size(), 7u);
    EXPECT_TRUE(sheet.has_type);
    EXPECT_TRUE(sheet.has_county);
    // The header is line 2 (a title row above it); data starts at line 3.
    EXPECT_EQ(sheet.rows[0].line, 3u);
    EXPECT_EQ(sheet.rows[0].state, "PA");
    EXPECT_EQ(sheet.rows[2].state, "UT");
    EXPECT_EQ(sheet.rows[3].state, "WV");
    EXPECT_EQ(sheet.rows[4].state, "TX");
    EXPECT_EQ(sheet.rows[4].agency, "Tye Police Department");  // trailing space trimmed
    EXPECT_EQ(sheet.rows[5].state, "GU");
    EXPECT_EQ(sheet.rows[6].state, "MP");
    EXPECT_EQ(sheet.rows[2].model, SupportModel::jem);  // "Jail Enforcement Model " with its space
    auto warned = [&](const std::string& needle) {
        for (const std::string& w : sheet.warnings) {
            if (w.find(needle) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(warned("typos.csv:3: STATE 'PENNSLYVANIA' read as Pennsylvania (2 rows: 3, 4)"));
    EXPECT_TRUE(warned("typos.csv:5: STATE 'UTAh' read as Utah"));
    EXPECT_TRUE(warned("typos.csv:6: STATE 'WEST VIRIGINIA' read as West Virginia"));
    EXPECT_TRUE(warned("typos.csv:7: STATE 'TEXAS ' read as Texas"));
    EXPECT_FALSE(warned("GUAM"));

    const auto agencies = place_agencies(sheet, reference());
    ASSERT_EQ(agencies.size(), 6u);  // the two Adams rows are one agency with two agreements
    EXPECT_EQ(agencies[0].agreements(), 2u);
    EXPECT_EQ(agencies[0].county_fips, "42001");
    EXPECT_EQ(agencies[1].county_fips, "49049");
    EXPECT_EQ(agencies[2].county_fips, "54039");  // "Kenawha County" via county-name-fixes.csv
    EXPECT_EQ(agencies[4].county_fips, "66010");
    EXPECT_EQ(agencies[5].method, Method::statewide);
}

TEST(Sheet, MatchStateAcceptsTyposWithinDistanceTwoOnly) {
    CHORO_NEED_SHARED_DATA();
    bool corrected = false;
    EXPECT_EQ(match_state(reference(), " georgia ", corrected).value_or(""), "GA");
    EXPECT_FALSE(corrected);
    EXPECT_EQ(match_state(reference(), "UTAHJ", corrected).value_or(""), "UT");
    EXPECT_TRUE(corrected);
    EXPECT_EQ(match_state(reference(), "MISSISIPPI", corrected).value_or(""), "MS");
    EXPECT_TRUE(corrected);
    EXPECT_FALSE(match_state(reference(), "NARNIA", corrected).has_value());
    EXPECT_FALSE(match_state(reference(), "", corrected).has_value());
}

template <typename F>
choro::InputError input_error(F f) {
    try {
        f();
    } catch (const choro::InputError& e) {
        return e;
    }
    ADD_FAILURE() << "no InputError";
    return choro::InputError("", "");
}

TEST(Sheet, UnknownStateNamesFileRowAndColumn) {
    CHORO_NEED_SHARED_DATA();
    const auto e = input_error([] { (void)read_sheet(fixture("unknown_state.csv"), reference()); });
    EXPECT_NE(e.path().find("unknown_state.csv"), std::string::npos);
    EXPECT_EQ(e.line(), 4u);
    EXPECT_EQ(e.column(), "STATE");
    EXPECT_NE(std::string(e.what()).find("NARNIA"), std::string::npos) << e.what();
}

TEST(Sheet, MissingColumnsNameFileAndColumn) {
    CHORO_NEED_SHARED_DATA();
    const auto agency = input_error([] { (void)read_sheet(fixture("no_agency_column.csv"), reference()); });
    EXPECT_NE(agency.path().find("no_agency_column.csv"), std::string::npos);
    EXPECT_EQ(agency.column(), "LAW ENFORCEMENT AGENCY");
    // No cell reads STATE, so read_table finds no header row, or we find no STATE column: both name the file.
    const auto state = input_error([] { (void)read_sheet(fixture("no_state_column.csv"), reference()); });
    EXPECT_NE(state.path().find("no_state_column.csv"), std::string::npos);
    EXPECT_NE(std::string(state.what()).find("STATE"), std::string::npos) << state.what();
}

TEST(Sheet, EmptyHeaderOnlyAndNonSpreadsheetFilesAreInputErrors) {
    CHORO_NEED_SHARED_DATA();
    for (const char* name : {"empty.csv", "header_only.csv", "not_a_sheet.xlsx", "missing.csv"}) {
        const auto e = input_error([&] { (void)read_sheet(fixture(name), reference()); });
        EXPECT_NE(e.path().find(name), std::string::npos) << name << ": " << e.what();
    }
}

TEST(Snapshots, AppearedAndEndedAgreements) {
    CHORO_NEED_SHARED_DATA();
    const Sheet older = read_sheet(fixture("older.csv"), reference());
    const Sheet newer = read_sheet(fixture("newer.csv"), reference());
    const auto changes = compare_snapshots(older, newer);
    ASSERT_EQ(changes.size(), 2u);
    // Autauga's trailing space does not make its TFM agreement new; its WSO is.
    EXPECT_EQ(changes[0].kind, "appeared");
    EXPECT_EQ(changes[0].agency, "Autauga County Sheriff's Office");
    EXPECT_EQ(changes[0].support, "WSO");
    EXPECT_EQ(changes[1].kind, "ended");
    EXPECT_EQ(changes[1].agency, "Frederick County Sheriff's Office");
    EXPECT_EQ(changes[1].state, "MD");
    const std::string csv = changes_csv(changes);
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "from_snapshot,to_snapshot,change,state,agency,previous_agency,support_model,signed,county_fips,"
              "previous_county_fips");
}

/// Writes `text` to a fresh file named `name` in a temporary folder.
std::string temp_sheet(const std::string& name, const std::string& text) {
    const auto path = choro::test::temp_dir() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

bool warned(const Sheet& sheet, const std::string& needle) {
    for (const std::string& w : sheet.warnings) {
        if (w.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

TEST(Sheet, EveryRowRepeatedIsCountedOnceAndReported) {
    CHORO_NEED_SHARED_DATA();
    // The first archived sheet (135 agreements of 133 agencies, PROVENANCE §2), every data row
    // written 100 times.
    const auto original = participating("ice287g_participating_2025-01-19T192356.csv");
    std::ifstream in(original, std::ios::binary);
    std::string header, line, text;
    std::getline(in, header);
    text = header + "\n";
    std::vector<std::string> lines;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    for (int copy = 0; copy < 100; ++copy) {
        for (const std::string& l : lines) {
            text += l + "\n";
        }
    }
    const Sheet once = read_sheet(original.string(), reference());
    const Sheet sheet = read_sheet(temp_sheet("ice287g_participating_2025-01-19T192356.csv", text), reference());
    ASSERT_EQ(once.rows.size(), 135u);
    EXPECT_TRUE(once.duplicates.empty());
    EXPECT_EQ(sheet.rows.size(), 135u);
    ASSERT_EQ(sheet.duplicates.size(), 135u);
    for (const DuplicateRows& d : sheet.duplicates) {
        EXPECT_EQ(d.lines.size(), 99u) << d.agency;
        EXPECT_LT(d.kept_line, d.lines.front());
    }
    // The first agreement (line 2) repeats on lines 137, 272, ... (every 135 lines).
    EXPECT_EQ(sheet.duplicates.front().kept_line, 2u);
    EXPECT_EQ(sheet.duplicates.front().lines[0], 137u);
    EXPECT_EQ(sheet.duplicates.front().lines[1], 272u);
    EXPECT_TRUE(warned(sheet, ":2: ")) << sheet.warnings.front();
    EXPECT_TRUE(warned(sheet, "is listed again on lines 137, 272, 407,"));
    EXPECT_TRUE(warned(sheet, "13365 repeated rows of 135 agreements not counted (all listed in duplicates.csv)"));
    EXPECT_LE(sheet.warnings.size(), 7u);  // 5 named, the total, no flood

    const auto agencies = place_agencies(sheet, reference());
    EXPECT_EQ(agencies.size(), 133u);
    for (const Agency& a : agencies) {
        EXPECT_LE(a.agreements(), 3u) << a.name;
    }
    EXPECT_EQ(totals(agencies).agreements, 135u);
    const std::string csv = duplicates_csv(sheet);
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "state,agency,support_type,signed,kept_line,duplicate_lines,duplicate_signed");
    EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), 136u);
}

TEST(Sheet, ImpossibleDateWarnsNamingTheRow) {
    CHORO_NEED_SHARED_DATA();
    const Sheet sheet =
        read_sheet(temp_sheet("dates.csv",
                              "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED\n"
                              "TEXAS,Harris County Sheriff's Office,County,Harris County,Task Force Model,2025-02-28\n"
                              "TEXAS,Dallas County Sheriff's Office,County,Dallas County,Task Force Model,2025-02-30\n"
                              "TEXAS,Travis County Sheriff's Office,County,Travis County,Task Force Model,2024-02-29\n"
                              "TEXAS,Bexar County Sheriff's Office,County,Bexar County,Task Force Model,2025-13-01\n"),
                   reference());
    ASSERT_EQ(sheet.rows.size(), 4u);
    EXPECT_EQ(sheet.rows[1].signed_date, "2025-02-30");  // kept as written
    EXPECT_TRUE(warned(sheet, "dates.csv:3: SIGNED '2025-02-30' is not a real day"));
    EXPECT_TRUE(warned(sheet, "dates.csv:5: SIGNED '2025-13-01' is not a real day"));
    EXPECT_FALSE(warned(sheet, "2024-02-29"));  // a leap day
    EXPECT_FALSE(warned(sheet, "2025-02-28"));
    // ICE's own slip: 2025-05-29am has one SIGNED cell "05/082025".
    const Sheet may = read_sheet(participating("ice287g_participating_2025-05-29am.csv").string(), reference());
    EXPECT_TRUE(warned(may, "SIGNED '05/082025' is not a real day")) << (may.warnings.empty() ? "" : may.warnings[0]);
}

}  // namespace

namespace {

TEST(Sheet, XlsxAndCsvOfOneSnapshotAgree) {
    CHORO_NEED_SHARED_DATA();
    using namespace choro::agreements;
    using namespace choro::agreements::testing;
    // ICE's own workbook (header on the row with "STATE") and the archive's CSV of it.
    const Sheet xlsx = read_sheet(participating("participatingAgencies05182026am.xlsx").string(), reference());
    const Sheet csv = read_sheet(participating("ice287g_participating_2026-05-18am.csv").string(), reference());
    ASSERT_EQ(xlsx.rows.size(), 1843u);
    ASSERT_EQ(csv.rows.size(), 1843u);
    for (std::size_t i = 0; i < csv.rows.size(); ++i) {
        EXPECT_EQ(xlsx.rows[i].state, csv.rows[i].state) << i;
        EXPECT_EQ(xlsx.rows[i].agency, csv.rows[i].agency) << i;
        EXPECT_EQ(xlsx.rows[i].model, csv.rows[i].model) << i;
    }
}

}  // namespace
