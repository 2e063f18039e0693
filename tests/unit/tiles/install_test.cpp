// `cmake --install` gives a choro that needs nothing of the checkout: installed into a temporary
// prefix and run from a folder with no checkout around, it renders the demo map (agreements →
// county map) and writes tiles with a working preview page (Leaflet embedded in the binary).

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <gtest/gtest.h>
#include <unistd.h>

#include "choro/render/image.hpp"

namespace {

namespace fs = std::filesystem;

// The build folder holding the choro under test: the nearest parent with a CMakeCache.txt.
fs::path build_dir() {
    for (fs::path p = fs::path(CHORO_BINARY).parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
        if (fs::exists(p / "CMakeCache.txt")) {
            return p;
        }
    }
    return {};
}

std::string q(const fs::path& p) {
    return "'" + p.string() + "'";
}

TEST(Install, AnInstalledChoroRendersTheDemoAndWritesAWorkingPreview) {
    const fs::path build = build_dir();
    ASSERT_FALSE(build.empty()) << "no CMakeCache.txt above " << CHORO_BINARY;
    const fs::path data = choro::test::shared_data_dir();
    const fs::path atlas = fs::path(CHORO_SOURCE_DIR) / "data" / "downloads" / "us-atlas-3.0.1" / "counties-10m.json";
    if (!fs::exists(data / "ice287g") || !fs::exists(atlas)) {
        GTEST_SKIP() << "needs the shared data and data/downloads/us-atlas-3.0.1 (scripts/setup)";
    }
    // Outside the checkout and the build folder, so nothing of them can be found from there.
    const fs::path root = fs::temp_directory_path() / ("choro-install-test-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);
    const fs::path prefix = root / "prefix";
    (void)choro::tiles_test::shell("cmake --install " + q(build) + " --prefix " + q(prefix));
    const fs::path choro = prefix / "bin" / "choro";
    ASSERT_TRUE(fs::exists(choro)) << "cmake --install put no bin/choro";

    // The job and its boundaries copied out of the checkout; everything runs from `work`.
    const fs::path work = root / "work";
    fs::create_directories(work / "data" / "downloads");
    fs::create_directories(work / "jobs");
    fs::copy(atlas.parent_path(), work / "data" / "downloads" / "us-atlas-3.0.1");
    fs::copy_file(fs::path(CHORO_SOURCE_DIR) / "jobs" / "us-counties.toml", work / "jobs" / "us-counties.toml");
    // The demo's sheet: the newest ICE snapshot.
    std::string sheet;
    for (const auto& e : fs::directory_iterator(data / "ice287g" / "participating")) {
        const std::string name = e.path().filename().string();
        if (name.rfind("ice287g_participating_", 0) == 0 && e.path().extension() == ".csv" &&
            e.path().string() > sheet) {
            sheet = e.path().string();
        }
    }
    ASSERT_FALSE(sheet.empty());
    const std::string cd = "cd " + q(work) + " && ";
    (void)choro::tiles_test::shell(cd + q(choro) + " agreements '" + sheet + "' --data-dir " + q(data) +
                                   " -o agreements");
    (void)choro::tiles_test::shell(cd + q(choro) + " render jobs/us-counties.toml --data-dir " + q(data) +
                                   " --values agreements/counties.csv --width 800 --height 500 --dpi 72 -o map.png");
    ASSERT_TRUE(fs::exists(work / "map.png"));
    const auto map = choro::render::decode_png(choro::test::read_file(work / "map.png"));
    EXPECT_EQ(map.width, 800);
    (void)choro::tiles_test::shell(cd + q(choro) + " tiles jobs/us-counties.toml --data-dir " + q(data) +
                                   " --values agreements/counties.csv --zoom 0-3 -q -o site");
    for (const char* file : {"index.html", "tiles.json", "leaflet/leaflet.js", "leaflet/leaflet.css", "3"}) {
        EXPECT_TRUE(fs::exists(work / "site" / file)) << file;
    }

    // The page shows the tiles in headless Chromium: the counties' YlOrRd fills appear.
    if (std::system("command -v chromium > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "chromium not installed: the page was written but not loaded";
    }
    const auto shot = root / "shot.png";
    (void)choro::tiles_test::shell(
        "chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files "
        "--virtual-time-budget=4000 --window-size=800,600 --screenshot=" +
        q(shot) + " 'file://" + (work / "site" / "index.html").string() + "'");
    ASSERT_TRUE(fs::exists(shot));
    const auto img = choro::render::decode_png(choro::test::read_file(shot));
    // YlOrRd classes are warm (red well above blue); the page is grey-blue. The legend's box
    // (bottom right, under 260×200 px) is left out of the count.
    std::size_t warm = 0;
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            const std::size_t k = (static_cast<std::size_t>(y) * img.width + x) * 4;
            const bool legend = x > img.width - 270 && y > img.height - 210;
            warm += (!legend && img.rgba[k] > img.rgba[k + 2] + 40) ? 1 : 0;
        }
    }
    EXPECT_GT(warm, 300u) << "no tiles visible in " << shot;
    fs::remove_all(root);
}

}  // namespace
