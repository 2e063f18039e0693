// The alt text and data table of a map cut to an extent (issue 10) speak of the features the map
// shows, not of every feature read. The reference is independent of choro: GDAL's ogr2ogr clips the
// us-atlas counties to the same lon/lat box (GEOS), and the holdouts table is counted here.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

fs::path source(const std::string& rel) {
    return fs::path(CHORO_SOURCE_DIR) / rel;
}
fs::path counties() {
    return source("data/downloads/us-atlas-3.0.1/counties-10m.json");
}
fs::path holdouts() {
    return fs::path(CHORO_SHARED_DATA) / "holdouts" / "documented_holdouts.csv";
}

/// Maryland and the edges of its neighbours, W,S,E,N in degrees.
constexpr const char* west = "-79.6";
constexpr const char* south = "37.8";
constexpr const char* east = "-75.0";
constexpr const char* north = "39.8";

std::string run(const std::string& command) {
    std::string out;
    const std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) {
        return out;
    }
    char buf[4096];
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) {
        out.append(buf, n);
    }
    return out;
}

/// Rows of a CSV text, header first; a quoted field may span lines.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::string record;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        record += record.empty() ? line : "\n" + line;
        if (std::count(record.begin(), record.end(), '"') % 2 == 0) {
            rows.push_back(choro::test::csv_fields(record));
            record.clear();
        }
    }
    return rows;
}

/// USPS abbreviations of the states in the box, by FIPS (Census).
std::string state_of(const std::string& county_fips) {
    static const std::map<std::string, std::string> states{
        {"10", "DE"}, {"11", "DC"}, {"24", "MD"}, {"34", "NJ"}, {"42", "PA"}, {"51", "VA"}, {"54", "WV"}};
    const auto it = states.find(county_fips.substr(0, 2));
    return it == states.end() ? std::string("?") : it->second;
}

double number(std::string text) {
    std::erase(text, ',');
    return std::stod(text);
}

TEST(AltText, ExtentMapDescribesOnlyTheFeaturesShown) {
    if (!fs::exists(counties()) || !fs::exists(holdouts()) ||
        run("command -v ogr2ogr > /dev/null 2>&1 && echo yes").empty()) {
        GTEST_SKIP() << "needs data/downloads (us-atlas), the shared holdouts table and ogr2ogr";
    }
    // The reference: the counties GDAL finds in the box, with their names.
    const std::string box = std::string(west) + " " + south + " " + east + " " + north;
    const auto reference = csv_rows(run("ogr2ogr -f CSV /vsistdout/ '" + counties().string() + "' counties -spat " +
                                        box + " -clipsrc spat_extent -select id,name"));
    ASSERT_GT(reference.size(), 30u);
    std::map<std::string, std::string> in_box;  // key → name
    for (std::size_t r = 1; r < reference.size(); ++r) {
        ASSERT_GE(reference[r].size(), 2u);
        in_box[reference[r][0]] = reference[r][1];
    }
    // Rows of the holdouts table per county shown: the --count values; every county listed is marked.
    std::map<std::string, int> rows_of;
    const auto table = csv_rows(choro::test::read_file(holdouts()));
    const auto fips_at = std::find(table.front().begin(), table.front().end(), "county_fips") - table.front().begin();
    for (std::size_t r = 1; r < table.size(); ++r) {
        const std::string& fips = table[r].at(static_cast<std::size_t>(fips_at));
        if (in_box.count(fips) != 0) {
            ++rows_of[fips];
        }
    }
    ASSERT_FALSE(rows_of.empty());
    int highest = 0;
    for (const auto& [fips, n] : rows_of) {
        highest = std::max(highest, n);
    }

    const fs::path out = choro::test::temp_dir() / "maryland.png";
    const auto result = choro::test::run_choro({"render",
                                                source("jobs/us-counties.toml").string(),
                                                "--data-dir",
                                                CHORO_SHARED_DATA,
                                                "--values",
                                                holdouts().string(),
                                                "--values-key",
                                                "county_fips",
                                                "--count",
                                                "--extent",
                                                std::string(west) + "," + south + "," + east + "," + north,
                                                "--labels",
                                                "none",
                                                "--width",
                                                "600",
                                                "--height",
                                                "400",
                                                "--dpi",
                                                "72",
                                                "-q",
                                                "-o",
                                                out.string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::string alt = choro::test::read_file(fs::path(out).replace_extension(".alt.txt"));
    const auto data = csv_rows(choro::test::read_file(fs::path(out).replace_extension(".data.csv")));

    // The table lists exactly the counties in the box.
    std::set<std::string> listed;
    std::size_t marked = 0;
    for (std::size_t r = 1; r < data.size(); ++r) {
        listed.insert(data[r].at(0));
        marked += data[r].at(4).empty() ? 0 : 1;
    }
    std::set<std::string> expected;
    for (const auto& [fips, name] : in_box) {
        expected.insert(fips);
    }
    EXPECT_EQ(listed, expected);

    std::smatch m;
    ASSERT_TRUE(std::regex_search(alt, m, std::regex(R"(across ([0-9,]+) areas)"))) << alt;
    EXPECT_EQ(number(m[1]), static_cast<double>(in_box.size())) << alt;
    // The highest value and the county holding it (any of those tied for it).
    ASSERT_TRUE(
        std::regex_search(alt, m, std::regex(R"(values range from [-0-9.,]+ \(.*?\) to ([0-9,]+) \((.*?)\)\.)")))
        << alt;
    EXPECT_EQ(number(m[1]), highest) << alt;
    std::set<std::string> top_names;
    for (const auto& [fips, n] : rows_of) {
        if (n == highest) {
            top_names.insert(in_box.at(fips) + ", " + state_of(fips));  // the box spans states
        }
    }
    EXPECT_EQ(top_names.count(m[2].str()), 1u) << m[2] << " is none of the counties with the most rows";
    // Holdouts: every county of the table in the box is marked, fully or partly.
    std::size_t said = 0;
    if (std::regex_search(alt, m, std::regex(R"(([0-9,]+) holdouts? (is|are) marked)"))) {
        said += static_cast<std::size_t>(number(m[1]));
    }
    if (std::regex_search(alt, m, std::regex(R"(([0-9,]+) areas? (is|are) marked as partial)"))) {
        said += static_cast<std::size_t>(number(m[1]));
    }
    EXPECT_EQ(said, rows_of.size()) << alt;
    EXPECT_EQ(marked, rows_of.size());
    // Nothing from outside the box.
    for (const char* far : {"Palm Beach", "Orleans", "Dallas", "3,231"}) {
        EXPECT_EQ(alt.find(far), std::string::npos) << far << " in: " << alt;
    }
}

}  // namespace
