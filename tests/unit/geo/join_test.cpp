#include "choro/geo/join.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"

using choro::InputError;
using choro::geo::Duplicates;
using choro::geo::join;
using choro::geo::JoinOptions;
using choro::geo::Layer;
using choro::geo::Table;

namespace {

Layer counties() {
    Layer layer;
    layer.source = "counties.json";
    for (const auto& [key, name] : std::vector<std::pair<std::string, std::string>>{
             {"01001", "Autauga"}, {"01003", "Baldwin"}, {"06037", "Los Angeles"}, {"48201", "Harris"}}) {
        choro::geo::Feature f;
        f.key = key;
        f.name = name;
        layer.features.push_back(f);
    }
    return layer;
}

Table table(const std::vector<std::vector<std::string>>& rows) {
    Table t;
    t.source = "values.csv";
    t.columns = {"fips", "value"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        t.rows.push_back(rows[i]);
        t.lines.push_back(i + 2);  // line 1 is the header
    }
    return t;
}

JoinOptions value_options(Duplicates d = Duplicates::error) {
    JoinOptions o;
    o.key_column = "fips";
    o.value_column = "value";
    o.duplicates = d;
    return o;
}

JoinOptions count_options() {
    JoinOptions o;
    o.key_column = "fips";
    o.count = true;
    return o;
}

TEST(Join, CountsRowsPerKeyWithZeroForMissing) {
    // ICE-like: one row per agreement, keys as a spreadsheet mangles them.
    const auto t = table({{"1001", ""}, {"01001", ""}, {"1001.0", ""}, {"6037", ""}, {"99999", ""}});
    const auto r = join(counties(), t, count_options());
    ASSERT_EQ(r.values.size(), 4u);
    EXPECT_EQ(r.values[0], std::optional<double>(3.0));
    EXPECT_EQ(r.values[1], std::optional<double>(0.0));
    EXPECT_EQ(r.values[2], std::optional<double>(1.0));
    EXPECT_EQ(r.values[3], std::optional<double>(0.0));
    EXPECT_EQ(r.report.matched, 2u);
    EXPECT_EQ(r.report.features, 4u);
    EXPECT_EQ(r.report.rows, 5u);
    EXPECT_TRUE(r.report.duplicates.empty());  // count mode counts them
    ASSERT_EQ(r.report.unmatched_rows.size(), 1u);
    EXPECT_EQ(r.report.unmatched_rows[0].key, "99999");
    EXPECT_EQ(r.report.unmatched_rows[0].line, 6u);
    ASSERT_EQ(r.report.unmatched_features.size(), 2u);
    EXPECT_EQ(r.report.unmatched_features[0].key, "01003");
    EXPECT_EQ(r.report.unmatched_features[0].name, "Baldwin");
    EXPECT_EQ(r.report.unmatched_features[1].name, "Harris");
}

TEST(Join, FixesAreReportedWithLines) {
    const auto t = table({{"1001", "1"}, {" 01003 ", "2"}, {"6037.0", "3"}, {"48201", "4"}});
    const auto r = join(counties(), t, value_options());
    ASSERT_EQ(r.report.fixes.size(), 3u);
    EXPECT_EQ(r.report.fixes[0].from, "1001");
    EXPECT_EQ(r.report.fixes[0].to, "01001");
    EXPECT_EQ(r.report.fixes[0].line, 2u);
    EXPECT_EQ(r.report.fixes[1].from, " 01003 ");
    EXPECT_EQ(r.report.fixes[1].to, "01003");
    EXPECT_EQ(r.report.fixes[2].from, "6037.0");
    EXPECT_EQ(r.report.fixes[2].to, "06037");
    EXPECT_EQ(r.report.fixes[2].line, 4u);
    EXPECT_EQ(r.report.matched, 4u);
    EXPECT_TRUE(r.report.unmatched_features.empty());
    EXPECT_TRUE(r.report.unmatched_rows.empty());
}

TEST(Join, ValuesWithWarningsForBadNumbers) {
    const auto t = table({{"01001", "1,234"}, {"01003", "abc"}, {"06037", "-5"}, {"48201", "NaN"}});
    const auto r = join(counties(), t, value_options());
    EXPECT_EQ(r.values[0], std::optional<double>(1234.0));
    EXPECT_EQ(r.values[1], std::nullopt);
    EXPECT_EQ(r.values[2], std::optional<double>(-5.0));  // negative kept, with a warning
    EXPECT_EQ(r.values[3], std::nullopt);
    ASSERT_EQ(r.report.warnings.size(), 3u);
    EXPECT_NE(r.report.warnings[0].find("line 3"), std::string::npos) << r.report.warnings[0];
    EXPECT_NE(r.report.warnings[0].find("'abc'"), std::string::npos) << r.report.warnings[0];
    EXPECT_NE(r.report.warnings[1].find("negative"), std::string::npos) << r.report.warnings[1];
    EXPECT_NE(r.report.warnings[2].find("NaN"), std::string::npos) << r.report.warnings[2];
    EXPECT_EQ(r.report.matched, 4u);  // a row with no data still matches its feature
}

TEST(Join, DuplicatePolicies) {
    const auto t = table({{"01001", "2"}, {"06037", "10"}, {"1001", "3"}, {"01001", "x"}});
    try {
        (void)join(counties(), t, value_options(Duplicates::error));
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_EQ(e.path(), "values.csv");
        EXPECT_EQ(e.line(), 2u);
        EXPECT_NE(msg.find("'01001'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("lines 2, 4, 5"), std::string::npos) << msg;
    }
    const auto first = join(counties(), t, value_options(Duplicates::first));
    EXPECT_EQ(first.values[0], std::optional<double>(2.0));
    EXPECT_EQ(first.values[2], std::optional<double>(10.0));
    ASSERT_EQ(first.report.duplicates.size(), 1u);
    EXPECT_EQ(first.report.duplicates[0].key, "01001");
    EXPECT_EQ(first.report.duplicates[0].lines, (std::vector<std::size_t>{2, 4, 5}));
    const auto sum = join(counties(), t, value_options(Duplicates::sum));
    EXPECT_EQ(sum.values[0], std::optional<double>(5.0));  // 2 + 3; "x" is no data
    EXPECT_EQ(sum.values[2], std::optional<double>(10.0));
}

TEST(Join, MissingColumnsAreInputErrors) {
    const auto t = table({{"01001", "1"}});
    JoinOptions bad_key = value_options();
    bad_key.key_column = "GEOID";
    EXPECT_THROW((void)join(counties(), t, bad_key), InputError);
    JoinOptions bad_value = value_options();
    bad_value.value_column = "rate";
    try {
        (void)join(counties(), t, bad_value);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'rate'"), std::string::npos) << e.what();
    }
}

TEST(Join, TextKeysAreOnlyTrimmed) {
    Layer states;
    for (const char* abbr : {"AL", "CA"}) {
        choro::geo::Feature f;
        f.key = abbr;
        states.features.push_back(f);
    }
    Table t = table({{"AL ", "1"}, {"al", "2"}});
    const auto r = join(states, t, value_options(Duplicates::first));
    EXPECT_EQ(r.values[0], std::optional<double>(1.0));
    EXPECT_EQ(r.values[1], std::nullopt);
    ASSERT_EQ(r.report.unmatched_rows.size(), 1u);
    EXPECT_EQ(r.report.unmatched_rows[0].key, "al");  // case is not folded
}

TEST(JoinReport, JsonIsDeterministicAndComplete) {
    const auto t = table({{"99999", "1"}, {"1001", "2"}, {"00000", "3"}, {"06037", "oops"}});
    auto layer = counties();
    const auto a = join(layer, t, value_options());
    const auto b = join(layer, t, value_options());
    const std::string json = choro::geo::to_json(a.report);
    EXPECT_EQ(json, choro::geo::to_json(b.report));
    const auto j = nlohmann::json::parse(json);
    EXPECT_EQ(j.at("boundaries"), "counties.json");
    EXPECT_EQ(j.at("values"), "values.csv");
    EXPECT_EQ(j.at("features"), 4);
    EXPECT_EQ(j.at("rows"), 4);
    EXPECT_EQ(j.at("matched"), 2);
    // Unmatched rows sorted by key, whatever the table order.
    ASSERT_EQ(j.at("unmatched_rows").size(), 2u);
    EXPECT_EQ(j.at("unmatched_rows")[0].at("key"), "00000");
    EXPECT_EQ(j.at("unmatched_rows")[0].at("line"), 4);
    EXPECT_EQ(j.at("unmatched_rows")[1].at("key"), "99999");
    EXPECT_EQ(j.at("fixes")[0].at("from"), "1001");
    EXPECT_EQ(j.at("fixes")[0].at("to"), "01001");
    EXPECT_EQ(j.at("unmatched_features").size(), 2u);
    EXPECT_EQ(j.at("warnings").size(), 1u);
    EXPECT_TRUE(j.at("duplicates").empty());
    // Object keys come out sorted.
    std::vector<std::string> keys;
    for (const auto& item : j.items()) {
        keys.push_back(item.key());
    }
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    EXPECT_LT(json.find("\"boundaries\""), json.find("\"warnings\""));
}

TEST(JoinReport, SummaryNamesTheCounts) {
    const auto t = table({{"99999", "1"}, {"1001", "2"}});
    const auto r = join(counties(), t, value_options());
    const std::string s = choro::geo::summary(r.report);
    EXPECT_NE(s.find("1 of 4 features matched"), std::string::npos) << s;
    EXPECT_NE(s.find("1 rows without a feature: '99999' (line 2)"), std::string::npos) << s;
    EXPECT_NE(s.find("3 features without a row"), std::string::npos) << s;
    EXPECT_NE(s.find("'1001' → '01001'"), std::string::npos) << s;
}

}  // namespace
