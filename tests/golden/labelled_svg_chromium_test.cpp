// The editable SVG of a real labelled map, drawn by an independent renderer (headless Chromium,
// Skia) against choro's PNG of the same map (Cairo): Maryland's counties from us-atlas, every one
// named, with legend, title and notes. The synthetic scene's check (tests/unit/render/svg_test.cpp)
// covers the writer's pieces; this one covers what a graphics desk opens: clipped, projected
// county paths, shared borders, hatches, the legend and text as <text>.

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/render/image.hpp"

namespace {

namespace fs = std::filesystem;

fs::path source(const std::string& rel) {
    return fs::path(CHORO_SOURCE_DIR) / rel;
}

TEST(LabelledSvg, ChromiumDrawsMarylandLikeThePng) {
    const fs::path counties = source("data/downloads/us-atlas-3.0.1/counties-10m.json");
    const fs::path holdouts = fs::path(CHORO_SHARED_DATA) / "holdouts" / "documented_holdouts.csv";
    if (!fs::exists(counties) || !fs::exists(holdouts)) {
        GTEST_SKIP() << "needs data/downloads (us-atlas) and the shared holdouts table";
    }
    if (!choro::test::have_tool("chromium")) {
        GTEST_SKIP() << "needs the chromium package";
    }
    const fs::path dir = choro::test::temp_dir();
    const std::vector<std::string> common{
        "render",
        source("jobs/us-counties.toml").string(),
        "--data-dir",
        CHORO_SHARED_DATA,
        "--values",
        holdouts.string(),
        "--values-key",
        "county_fips",
        "--count",
        "--title",
        "Maryland",
        "--extent-of",
        "24001,24003,24005,24009,24011,24013,24015,24017,24019,24021,24023,24025,24027,24029,24031,24033,24035,"
        "24037,24039,24041,24043,24045,24047,24510",
        "--labels",
        "all",
        // 96 dpi: one CSS pixel of the SVG per pixel of the PNG.
        "--width",
        "900",
        "--height",
        "600",
        "--dpi",
        "96",
        "-q",
        "-o"};
    for (const char* format : {"png", "svg"}) {
        std::vector<std::string> args = common;
        args.push_back((dir / (std::string("maryland.") + format)).string());
        const auto run = choro::test::run_choro(args);
        ASSERT_EQ(run.exit_code, 0) << run.err;
    }
    const fs::path shot = choro::test::chromium_screenshot(dir, "maryland.svg", 900, 600);
    ASSERT_FALSE(shot.empty());
    const auto cairo = choro::render::decode_png(choro::test::read_file(dir / "maryland.png"));
    const auto skia = choro::render::decode_png(choro::test::read_file(shot));
    const auto diff = choro::test::compare_images(cairo, skia, 48);
    ASSERT_TRUE(diff.same_size) << skia.width << "x" << skia.height;
    // Text is rasterised by another engine (Skia against Cairo/FreeType) and about 120 counties are
    // named, so glyph and hatch edges differ: under 5% of the pixels may differ by more than 48
    // levels (measured: 3.3%; the same map laid out with a horizontal legend differs in 15%). The two
    // images are left in the test's folder to look at side by side.
    EXPECT_LT(diff.differing, 900u * 600u * 5u / 100u)
        << "max delta " << diff.max_delta << "; see " << (dir / "maryland.png") << " and " << shot;
}

}  // namespace
