// A projection that shows (almost) none of the boundaries is an error (exit 5) naming the
// projection and the counts, with no output written; a part shown on purpose is not. Tiles over a
// --bbox that meets no feature are refused the same way (exit 2), across 180° too.

#include <filesystem>
#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

/// 20 one-degree squares at the equator: `near` of them around 0° E, the rest around 180°.
fs::path squares(const fs::path& dir, int near) {
    std::string json = R"({"type":"FeatureCollection","features":[)";
    for (int i = 0; i < 20; ++i) {
        const int lon = i < near ? i * 2 : 160 + i;
        json += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"id":"f)" + std::to_string(i) +
                R"("},"geometry":{"type":"Polygon","coordinates":[[[)" + std::to_string(lon) + ",0],[" +
                std::to_string(lon + 1) + ",0],[" + std::to_string(lon + 1) + ",1],[" + std::to_string(lon) + ",1],[" +
                std::to_string(lon) + ",0]]]}}";
    }
    return choro::test::write_file(dir / ("squares" + std::to_string(near) + ".geojson"), json + "]}");
}

choro::test::RunResult render_ortho(const fs::path& data, const fs::path& out) {
    // Orthographic centred on 0°, 0°: the far side (around 180°) is clipped away.
    return choro::test::run_choro({"render",
                                   "--boundaries",
                                   data.string(),
                                   "--key",
                                   "id",
                                   "--projection",
                                   "+proj=ortho +lat_0=0 +lon_0=0",
                                   "--width",
                                   "300",
                                   "--height",
                                   "200",
                                   "-q",
                                   "-o",
                                   out.string()});
}

TEST(Visible, ProjectionShowingUnderATenthIsAnError) {
    const auto dir = choro::test::temp_dir();
    const auto out = dir / "map.png";
    const auto r = render_ortho(squares(dir, 1), out);
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_NE(r.err.find("+proj=ortho"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("only 1 of the 20 features"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--extent"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
}

TEST(Visible, NoneVisibleIsAnError) {
    const auto dir = choro::test::temp_dir();
    const auto r = render_ortho(squares(dir, 0), dir / "map.png");
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_NE(r.err.find("only 0 of the 20 features"), std::string::npos) << r.err;
}

TEST(Visible, AFewMoreIsAMapOfWhatShows) {
    const auto dir = choro::test::temp_dir();
    const auto out = dir / "map.png";
    const auto r = render_ortho(squares(dir, 3), out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
}

choro::test::RunResult tiles_in(const fs::path& data, const std::string& bbox, const fs::path& out) {
    return choro::test::run_choro({"tiles",
                                   "--boundaries",
                                   data.string(),
                                   "--key",
                                   "id",
                                   "--bbox",
                                   bbox,
                                   "--zoom",
                                   "0-2",
                                   "-q",
                                   "-o",
                                   out.string()});
}

TEST(Visible, TilesBboxAwayFromEveryFeatureIsAnError) {
    const auto dir = choro::test::temp_dir();
    const auto data = squares(dir, 3);
    const auto out = dir / "tiles";
    const auto r = tiles_in(data, "100,40,110,50", out);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--bbox 100,40,110,50: no feature"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    // Across 180° it meets the squares at 175°-179° E: tiles.
    const auto across = tiles_in(data, "175,-5,-175,5", dir / "across");
    EXPECT_EQ(across.exit_code, 0) << across.err;
    EXPECT_TRUE(fs::exists(dir / "across" / "tiles.json"));
}

}  // namespace
