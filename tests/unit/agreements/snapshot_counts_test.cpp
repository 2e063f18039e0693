// Per-state counts equal ICE's own row counts (../shared/data/ice287g/derived/snapshot_state_counts.csv,
// computed independently from the archived workbooks) for every snapshot in ice287g/participating/.

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "fixture.hpp"
#include <gtest/gtest.h>

#include "choro/agreements/report.hpp"
#include "choro/geo/table.hpp"

namespace {

using namespace choro::agreements;
using namespace choro::agreements::testing;

TEST(SnapshotCounts, EveryParticipatingSheetMatchesDerivedStateCounts) {
    CHORO_NEED_SHARED_DATA();
    const choro::geo::Table derived =
        choro::geo::read_table((shared() / "ice287g" / "derived" / "snapshot_state_counts.csv").string());
    const std::size_t c_path = derived.column("source_path"), c_label = derived.column("snapshot_label"),
                      c_abbr = derived.column("state_abbr"), c_agreements = derived.column("agreements"),
                      c_agencies = derived.column("agencies"), c_jem = derived.column("jem"),
                      c_wso = derived.column("wso"), c_tfm = derived.column("tfm");
    std::size_t sheets = 0;
    for (const auto& entry : std::filesystem::directory_iterator(shared() / "ice287g" / "participating")) {
        if (entry.path().extension() != ".csv") {
            continue;
        }
        ++sheets;
        const std::string file = entry.path().filename().string();
        const std::string label = snapshot_label(file);
        ASSERT_FALSE(label.empty()) << file;
        // The derived rows of the one archived file with this label whose own name gives this label.
        std::map<std::string, std::vector<std::string>> expected;
        std::string source;
        for (const auto& row : derived.rows) {
            if (row[c_label] != label ||
                snapshot_label(std::filesystem::path(row[c_path]).filename().string()) != label) {
                continue;
            }
            if (source.empty()) {
                source = row[c_path];
            }
            if (row[c_path] == source) {
                expected[row[c_abbr]] = {row[c_agreements], row[c_agencies], row[c_jem], row[c_wso], row[c_tfm]};
            }
        }
        ASSERT_FALSE(expected.empty()) << "no derived counts for label " << label << " (" << file << ")";
        const Sheet sheet = read_sheet(entry.path().string(), reference());
        const auto agencies = place_agencies(sheet, reference());
        std::set<std::string> seen;
        for (const StateCount& s : count_by_state(agencies, reference())) {
            if (s.agreements == 0) {
                EXPECT_FALSE(expected.contains(s.abbr)) << file << " " << s.abbr;
                continue;
            }
            seen.insert(s.abbr);
            auto it = expected.find(s.abbr);
            ASSERT_NE(it, expected.end()) << file << ": we count " << s.abbr << ", ICE's counts do not";
            const auto& e = it->second;
            EXPECT_EQ(std::to_string(s.agreements), e[0]) << file << " " << s.abbr << " agreements";
            EXPECT_EQ(std::to_string(s.agencies), e[1]) << file << " " << s.abbr << " agencies";
            EXPECT_EQ(std::to_string(s.jem), e[2]) << file << " " << s.abbr << " JEM";
            EXPECT_EQ(std::to_string(s.wso), e[3]) << file << " " << s.abbr << " WSO";
            EXPECT_EQ(std::to_string(s.tfm), e[4]) << file << " " << s.abbr << " TFM";
        }
        EXPECT_EQ(seen.size(), expected.size()) << file;
    }
    EXPECT_EQ(sheets, 18u);
}

TEST(SnapshotLabel, FileNamesOfBothArchives) {
    EXPECT_EQ(snapshot_label("participatingAgencies05182026am.xlsx"), "2026-05-18am");
    EXPECT_EQ(snapshot_label("ice287g_participating_2026-05-18am.csv"), "2026-05-18am");
    EXPECT_EQ(snapshot_label("ParticipatingEntities-20250119192356.xlsx"), "2025-01-19T19:23:56");
    EXPECT_EQ(snapshot_label("ice287g_participating_2025-01-19T192356.csv"), "2025-01-19T19:23:56");
    EXPECT_EQ(snapshot_label("participatingAgencies-20250228192630.xlsx"), "2025-02-28T19:26:30");
    EXPECT_EQ(snapshot_label("sheet.csv"), "");
    EXPECT_EQ(snapshot_date("2025-01-19T19:23:56"), "2025-01-19");
}

}  // namespace
