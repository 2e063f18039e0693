// Maps and tiles across 180°, through the command line: `tiles --bbox` with west > east renders
// both sides of the antimeridian, and `render --extent` across it keeps features on both sides.

#include <filesystem>
#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

/// Two 2°×2° squares at 60° N, one each side of 180° (175° E and 175° W), lon/lat GeoJSON.
fs::path squares(const fs::path& dir) {
    return choro::test::write_file(dir / "squares.geojson",
                                   R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"west"},"geometry":{"type":"Polygon","coordinates":[[[174,59],[176,59],[176,61],[174,61],[174,59]]]}},
{"type":"Feature","properties":{"id":"east"},"geometry":{"type":"Polygon","coordinates":[[[-176,59],[-174,59],[-174,61],[-176,61],[-176,59]]]}}]})");
}

TEST(Antimeridian, TilesBboxAcross180CoversBothSides) {
    const auto dir = choro::test::temp_dir();
    const auto data = squares(dir);
    const auto out = dir / "tiles";
    const auto r = choro::test::run_choro({"tiles",
                                           "--boundaries",
                                           data.string(),
                                           "--key",
                                           "id",
                                           "--bbox",
                                           "170,55,-170,65",
                                           "--zoom",
                                           "3-5",
                                           "-o",
                                           out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Zoom 5 has 32 columns; 175° E is in column 31 and 175° W in column 0: both are rendered,
    // and nothing in between (the box is 20° wide, not 340°).
    EXPECT_TRUE(fs::exists(out / "5" / "31"));
    EXPECT_TRUE(fs::exists(out / "5" / "0"));
    EXPECT_FALSE(fs::exists(out / "5" / "16"));
}

TEST(Antimeridian, TilesBboxWithNoWidthIsRefused) {
    const auto dir = choro::test::temp_dir();
    const auto r = choro::test::run_choro({"tiles",
                                           "--boundaries",
                                           squares(dir).string(),
                                           "--key",
                                           "id",
                                           "--bbox",
                                           "170,55,170,65",
                                           "-o",
                                           (dir / "tiles").string()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("--bbox"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "tiles"));
}

TEST(Antimeridian, RenderExtentAcross180KeepsBothSides) {
    const auto dir = choro::test::temp_dir();
    const auto out = dir / "map.png";
    const auto r = choro::test::run_choro({"render",
                                           "--boundaries",
                                           squares(dir).string(),
                                           "--key",
                                           "id",
                                           "--projection",
                                           "+proj=laea +lat_0=60 +lon_0=180",
                                           "--extent",
                                           "170,50,-170,70",
                                           "--sphere",
                                           "--graticule",
                                           "5",
                                           "--width",
                                           "300",
                                           "--height",
                                           "200",
                                           "--dpi",
                                           "72",
                                           "-o",
                                           out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
}

}  // namespace

namespace {

// choro says what it cut: the seam of a Pacific-centred map, the visible cap of an orthographic
// one, and nothing for the composite US projection.
TEST(Antimeridian, RenderSaysWhatTheProjectionCut) {
    const auto dir = choro::test::temp_dir();
    const auto data = squares(dir);
    const auto run = [&](const std::string& projection) {
        const auto r = choro::test::run_choro({"render",
                                               "--boundaries",
                                               data.string(),
                                               "--key",
                                               "id",
                                               "--projection",
                                               projection,
                                               "--width",
                                               "200",
                                               "--height",
                                               "120",
                                               "--dpi",
                                               "72",
                                               "-o",
                                               (dir / "map.png").string()});
        EXPECT_EQ(r.exit_code, 0) << projection << ": " << r.err;
        return r.err;
    };
    EXPECT_NE(run("+proj=robin +lon_0=150").find("projection: polygons cut at the seam, 30° W"), std::string::npos);
    EXPECT_NE(run("+proj=ortho +lat_0=60 +lon_0=180").find("projection: clipped to what is visible: 90° around 60° N"),
              std::string::npos);
    EXPECT_EQ(run("us-albers").find("projection:"), std::string::npos);  // the composite cuts nothing
}

}  // namespace
