// Golden images of labelled maps (issue 10): the national county map with the holdouts named, a
// state's counties every one named, and a world map with its countries named. Drawn by the choro
// executable from the us-atlas and world-atlas boundaries, with the documented holdouts as the
// table (rows per county), so the test needs no generated data; the world map reads made-up values
// of 40 countries (tests/data/world_values.csv). Also checks, on the same scenes,
// that no two placed labels overlap each other, the title, legend, notes or insets.
// Regenerate with CHORO_UPDATE_GOLDEN=1 and review the PNGs before committing.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/label_placement.hpp"
#include "choro/geo/projection.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/image.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/job.hpp"

namespace {

namespace fs = std::filesystem;

fs::path source(const std::string& rel) {
    return fs::path(CHORO_SOURCE_DIR) / rel;
}
fs::path holdouts() {
    return fs::path(CHORO_SHARED_DATA) / "holdouts" / "documented_holdouts.csv";
}
const char* maryland =
    "24001,24003,24005,24009,24011,24013,24015,24017,24019,24021,24023,24025,24027,24029,24031,24033,24035,24037,"
    "24039,24041,24043,24045,24047,24510";

struct LabelledCase {
    const char* name;
    std::vector<std::string> args;
    fs::path needs;
};

std::vector<LabelledCase> cases() {
    const std::string counties = source("data/downloads/us-atlas-3.0.1/counties-10m.json").string();
    const std::string world = source("tests/js/node_modules/world-atlas/countries-110m.json").string();
    const std::vector<std::string> table{
        "--values", holdouts().string(), "--values-key", "county_fips", "--count", "--data-dir", CHORO_SHARED_DATA};
    auto with = [&](std::vector<std::string> a, const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    return {
        {"labelled-us-counties",
         with({"render", source("jobs/us-counties.toml").string(), "--title", "Holdouts named"}, table),
         counties},
        {"labelled-maryland",
         with({"render",
               source("jobs/us-counties.toml").string(),
               "--title",
               "Maryland",
               "--extent-of",
               maryland,
               "--labels",
               "all"},
              table),
         counties},
        {"labelled-world",
         {"render",
          "--boundaries",
          world,
          "--layer",
          "countries",
          "--srs",
          "EPSG:4326",
          "--key",
          "name",
          "--name-field",
          "name",
          "--values",
          source("tests/data/world_values.csv").string(),
          "--values-key",
          "name",
          "--value",
          "value",
          "--min-match",
          "0",  // 40 of 177 countries have a value, on purpose
          "--projection",
          "+proj=eqearth",
          "--sphere",
          "--water",
          "#dbe9f4",
          "--labels",
          "top:25",
          "--title",
          "World, 25 largest values named"},
         world},
    };
}

TEST(LabelledGolden, MatchesReference) {
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.name);
        if (!fs::exists(c.needs) || !fs::exists(holdouts())) {
            GTEST_SKIP() << c.needs << " or the shared holdouts table is missing";
        }
        const fs::path out = choro::test::temp_dir() / (std::string(c.name) + ".png");
        std::vector<std::string> args = c.args;
        for (const char* a : {"--width", "900", "--height", "600", "--dpi", "110", "-q", "-o"}) {
            args.emplace_back(a);
        }
        args.push_back(out.string());
        const auto run = choro::test::run_choro(args);
        ASSERT_EQ(run.exit_code, 0) << run.err;
        const auto image = choro::render::decode_png(choro::test::read_file(out));
        // Text-heavy: FreeType versions differ at glyph edges, as in the synthetic text golden.
        const std::string message = choro::test::check_golden(image, c.name, 24, 3000);
        EXPECT_TRUE(message.empty()) << message << " (" << choro::render::renderer_versions() << ")";
    }
}

/// The scene of the national county map with the holdouts as the table, built in-process.
choro::pipeline::Scene county_scene(const std::vector<std::string>& extent_of, const std::string& labels) {
    auto job = choro::styles::parse_job_file(source("jobs/us-counties.toml").string(), CHORO_SHARED_DATA);
    job.values.source = holdouts().string();
    job.values.key = "county_fips";
    job.values.value.clear();
    job.values.count = true;
    job.map.extent_of = extent_of;
    if (!labels.empty()) {
        job.labels.select = labels;
    }
    const auto data = choro::pipeline::prepare(job);
    return choro::pipeline::build_scene(data, job, choro::geo::Projection(job.map.projection));
}

void expect_no_overlap(const choro::render::PageBoxes& boxes) {
    for (std::size_t i = 0; i < boxes.labels.size(); ++i) {
        for (std::size_t j = i + 1; j < boxes.labels.size(); ++j) {
            EXPECT_FALSE(choro::geo::overlaps(boxes.labels[i], boxes.labels[j]))
                << boxes.label_texts[i] << " overlaps " << boxes.label_texts[j];
        }
        for (const auto& o : boxes.obstacles) {
            EXPECT_FALSE(choro::geo::overlaps(boxes.labels[i], o))
                << boxes.label_texts[i] << " overlaps the box at " << o.min.x << "," << o.min.y;
        }
    }
}

TEST(Labels, NoneOverlapEachOtherOrTheFurniture) {
    if (!fs::exists(source("data/downloads/us-atlas-3.0.1/counties-10m.json")) || !fs::exists(holdouts())) {
        GTEST_SKIP() << "needs data/downloads (us-atlas) and the shared holdouts table";
    }
    const choro::styles::StyleSettings style;
    const auto national = county_scene({}, "");
    const auto boxes = choro::render::page_boxes(national, style, {2400, 1500, 300});
    EXPECT_GE(boxes.labels.size(), 5u);     // the holdouts are named
    EXPECT_GE(boxes.obstacles.size(), 4u);  // title, legend, notes and insets at least
    expect_no_overlap(boxes);
    std::vector<std::string> keys;
    for (const char* k :
         {"24001", "24003", "24005", "24009", "24011", "24013", "24015", "24017", "24019", "24021", "24023", "24025",
          "24027", "24029", "24031", "24033", "24035", "24037", "24039", "24041", "24043", "24045", "24047", "24510"}) {
        keys.emplace_back(k);
    }
    const auto state = county_scene(keys, "all");
    const auto state_boxes = choro::render::page_boxes(state, style, {1600, 1600, 200});
    EXPECT_GE(state_boxes.labels.size(), 20u);
    expect_no_overlap(state_boxes);
}

/// The state_abbr of every county of the holdouts table (its own column, not the FIPS code).
std::map<std::string, std::string> holdout_states() {
    std::map<std::string, std::string> out;
    std::istringstream in(choro::test::read_file(holdouts()));
    std::string line;
    std::getline(in, line);  // state_abbr,level,jurisdiction,agency,county_fips,...
    while (std::getline(in, line)) {
        std::vector<std::string> f(1);
        bool quoted = false;
        for (const char c : line) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                f.emplace_back();
            } else {
                f.back() += c;
            }
        }
        if (f.size() > 4 && f[4].size() == 5) {
            out[f[4]] = f[0];
        }
    }
    return out;
}

// On the national map "Montgomery" is ambiguous: holdout labels name the state; a state's map
// keeps its labels short.
TEST(Labels, NationalHoldoutsNameTheirStateStateMapsDoNot) {
    if (!fs::exists(source("data/downloads/us-atlas-3.0.1/counties-10m.json")) || !fs::exists(holdouts())) {
        GTEST_SKIP() << "needs data/downloads (us-atlas) and the shared holdouts table";
    }
    const auto states = holdout_states();
    const auto national = county_scene({}, "");
    ASSERT_GE(national.labels.size(), 5u);
    for (const auto& c : national.labels) {
        const auto& info = national.info.at(c.feature);
        ASSERT_EQ(states.count(info.key), 1u) << info.key << " is labelled but no holdout";
        EXPECT_EQ(c.text, info.name + ", " + states.at(info.key));
    }
    const auto state = county_scene(
        {"24001", "24003", "24005", "24009", "24011", "24013", "24015", "24017", "24019", "24021", "24023", "24025",
         "24027", "24029", "24031", "24033", "24035", "24037", "24039", "24041", "24043", "24045", "24047", "24510"},
        "all");
    ASSERT_GE(state.labels.size(), 20u);
    for (const auto& c : state.labels) {
        EXPECT_EQ(c.text, state.info.at(c.feature).name);
    }
}

}  // namespace

namespace {

// The SVG of a labelled map names its places as <text> in the `labels` group (xmllint as parser).
TEST(LabelledSvg, PlaceNamesAreText) {
    if (!fs::exists(source("data/downloads/us-atlas-3.0.1/counties-10m.json")) || !fs::exists(holdouts()) ||
        std::system("command -v xmllint > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "needs data/downloads (us-atlas), the shared holdouts table and xmllint";
    }
    const fs::path out = choro::test::temp_dir() / "maryland.svg";
    const auto run = choro::test::run_choro({"render",
                                             source("jobs/us-counties.toml").string(),
                                             "--data-dir",
                                             CHORO_SHARED_DATA,
                                             "--values",
                                             holdouts().string(),
                                             "--values-key",
                                             "county_fips",
                                             "--count",
                                             "--extent-of",
                                             maryland,
                                             "--labels",
                                             "all",
                                             "-q",
                                             "-o",
                                             out.string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_EQ(std::system(("xmllint --noout '" + out.string() + "'").c_str()), 0);
    for (const char* name : {"Montgomery", "Frederick", "Garrett", "Worcester"}) {
        const std::string cmd = "xmllint --xpath 'count(//*[@id=\"labels\"]//*[local-name()=\"text\"][.=\"" +
                                std::string(name) + "\"])' '" + out.string() + "'";
        FILE* pipe = popen(cmd.c_str(), "r");
        ASSERT_NE(pipe, nullptr);
        char buf[64] = {};
        const std::size_t n = std::fread(buf, 1, sizeof buf - 1, pipe);
        pclose(pipe);
        EXPECT_GE(std::atof(std::string(buf, n).c_str()), 1.0) << name;
    }
}

}  // namespace
