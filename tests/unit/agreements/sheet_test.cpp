// Reading ICE sheets: slips corrected with warnings naming the row, errors naming file, row, column.

#include <filesystem>
#include <string>

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

TEST(Snapshots, AppearedAndDisappearedAgreements) {
    CHORO_NEED_SHARED_DATA();
    const Sheet older = read_sheet(fixture("older.csv"), reference());
    const Sheet newer = read_sheet(fixture("newer.csv"), reference());
    const auto changes = compare_snapshots(older, newer);
    ASSERT_EQ(changes.size(), 2u);
    // Autauga's trailing space does not make its TFM agreement new; its WSO is.
    EXPECT_EQ(changes[0].kind, "appeared");
    EXPECT_EQ(changes[0].agency, "Autauga County Sheriff's Office");
    EXPECT_EQ(changes[0].support, "WSO");
    EXPECT_EQ(changes[1].kind, "disappeared");
    EXPECT_EQ(changes[1].agency, "Frederick County Sheriff's Office");
    EXPECT_EQ(changes[1].state, "MD");
    const std::string csv = changes_csv(changes);
    EXPECT_EQ(csv.substr(0, csv.find('\n')), "from_snapshot,to_snapshot,change,state,agency,support_model,signed");
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
