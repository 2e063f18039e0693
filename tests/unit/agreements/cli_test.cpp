// `choro agreements` end to end (skipped when the choro executable has not been built).

#include <filesystem>
#include <string>

#include "fixture.hpp"
#include <gtest/gtest.h>

namespace {

using namespace choro::agreements::testing;

bool have_choro() {
    return std::filesystem::exists(CHORO_BINARY);
}

std::string fixture(const std::string& name) {
    return (choro::test::data_dir() / "agreements" / name).string();
}

TEST(AgreementsCommand, WritesTablesAndWarnsAboutStateSlips) {
    CHORO_NEED_SHARED_DATA();
    if (!have_choro()) {
        GTEST_SKIP() << "choro not built";
    }
    const auto out = choro::test::temp_dir() / "out";
    const auto result = choro::test::run_choro(
        {"agreements", fixture("typos.csv"), "-o", out.string(), "--data-dir", shared().string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;  // progress and warnings go to stderr
    EXPECT_NE(result.err.find("typos.csv:5: STATE 'UTAh' read as Utah"), std::string::npos) << result.err;
    for (const char* file :
         {"agencies.csv", "counties.csv", "states.csv", "unplaced.csv", "notes.txt", "summary.json"}) {
        EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
    }
    EXPECT_FALSE(std::filesystem::exists(out / "agreements-over-time.png"));  // no chart for one sheet
}

TEST(AgreementsCommand, BadSheetIsAnInputErrorNamingFileAndRow) {
    CHORO_NEED_SHARED_DATA();
    if (!have_choro()) {
        GTEST_SKIP() << "choro not built";
    }
    const auto out = choro::test::temp_dir() / "out";
    const auto result = choro::test::run_choro(
        {"agreements", fixture("unknown_state.csv"), "-o", out.string(), "--data-dir", shared().string()});
    EXPECT_EQ(result.exit_code, 3) << result.err;  // exit_input
    EXPECT_NE(result.err.find("unknown_state.csv:4"), std::string::npos) << result.err;
    EXPECT_FALSE(std::filesystem::exists(out / "counties.csv"));
}

TEST(AgreementsCommand, SheetAndSnapshotsAreExclusiveAndOutIsRequired) {
    if (!have_choro()) {
        GTEST_SKIP() << "choro not built";
    }
    EXPECT_EQ(choro::test::run_choro({"agreements", fixture("typos.csv")}).exit_code, 2);
    EXPECT_EQ(choro::test::run_choro({"agreements", "-o", "x", "--data-dir", "."}).exit_code, 2);
}

}  // namespace
