// Tile math against independent references: @mapbox/tilebelt and pmtiles (node, tests/js) and
// PROJ's cs2cs for the metres of EPSG:3857.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/geo/tile.hpp"

namespace {

using choro::geo::TileId;

std::filesystem::path js_dir() {
    return std::filesystem::path(CHORO_SOURCE_DIR) / "tests" / "js";
}

// Runs a shell command with `input` on stdin, returns its stdout lines.
std::vector<std::string> run_lines(const std::string& command, const std::string& input) {
    const auto dir = choro::test::temp_dir();
    const auto in = choro::test::write_file(dir / "in.txt", input);
    const auto out = dir / "out.txt";
    const std::string full = command + " < '" + in.string() + "' > '" + out.string() + "'";
    if (std::system(full.c_str()) != 0) {
        ADD_FAILURE() << "command failed: " << full;
        return {};
    }
    std::vector<std::string> lines;
    std::istringstream s(choro::test::read_file(out));
    for (std::string l; std::getline(s, l);) {
        lines.push_back(l);
    }
    return lines;
}

bool have_node_modules() {
    return std::filesystem::exists(js_dir() / "node_modules" / "@mapbox" / "tilebelt");
}

std::vector<nlohmann::json> ask_node(const std::vector<nlohmann::json>& queries) {
    std::string input;
    for (const auto& q : queries) {
        input += q.dump() + "\n";
    }
    std::vector<nlohmann::json> answers;
    for (const auto& l : run_lines("cd '" + js_dir().string() + "' && node tilemath.mjs", input)) {
        answers.push_back(nlohmann::json::parse(l));
    }
    EXPECT_EQ(answers.size(), queries.size());
    return answers;
}

// A deterministic spread of tiles over zooms 0..18 (including the corners of each zoom).
std::vector<TileId> sample_tiles() {
    std::vector<TileId> tiles;
    std::mt19937 rng(42);
    for (int z = 0; z <= 18; ++z) {
        const std::uint32_t last = choro::geo::tiles_per_side(z) - 1;
        tiles.push_back({z, 0, 0});
        tiles.push_back({z, last, last});
        tiles.push_back({z, last, 0});
        std::uniform_int_distribution<std::uint32_t> d(0, last);
        for (int i = 0; i < 6; ++i) {
            tiles.push_back({z, d(rng), d(rng)});
        }
    }
    return tiles;
}

TEST(TileMath, BoundsMatchTilebelt) {
    if (!have_node_modules()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    const auto tiles = sample_tiles();
    std::vector<nlohmann::json> q;
    for (const auto& t : tiles) {
        q.push_back({{"op", "bbox"}, {"z", t.z}, {"x", t.x}, {"y", t.y}});
    }
    const auto a = ask_node(q);
    ASSERT_EQ(a.size(), tiles.size());
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const auto b = choro::geo::tile_lonlat_bounds(tiles[i]);
        SCOPED_TRACE(choro::geo::to_string(tiles[i]));
        EXPECT_NEAR(b.min.x, a[i][0].get<double>(), 1e-9);
        EXPECT_NEAR(b.min.y, a[i][1].get<double>(), 1e-9);
        EXPECT_NEAR(b.max.x, a[i][2].get<double>(), 1e-9);
        EXPECT_NEAR(b.max.y, a[i][3].get<double>(), 1e-9);
    }
}

TEST(TileMath, PointToTileMatchesTilebelt) {
    if (!have_node_modules()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(-179.9, 179.9);
    std::uniform_real_distribution<double> lat(-84.9, 84.9);
    std::vector<choro::geo::LonLat> pts{{-77.0365, 38.8977}, {0.0, 0.0}, {-66.1, 18.4}, {-155.5, 19.6}};
    for (int i = 0; i < 40; ++i) {
        pts.push_back({lon(rng), lat(rng)});
    }
    std::vector<nlohmann::json> q;
    std::vector<int> zooms;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const int z = static_cast<int>(i % 19);
        zooms.push_back(z);
        q.push_back({{"op", "tile"}, {"lon", pts[i].x}, {"lat", pts[i].y}, {"z", z}});
    }
    const auto a = ask_node(q);
    ASSERT_EQ(a.size(), pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const auto t = choro::geo::lonlat_to_tile(pts[i], zooms[i]);
        EXPECT_EQ(t, (TileId{a[i][2].get<int>(), a[i][0].get<std::uint32_t>(), a[i][1].get<std::uint32_t>()}))
            << pts[i].x << "," << pts[i].y << " z" << zooms[i];
    }
}

TEST(TileMath, HilbertIdsMatchPmtilesLibrary) {
    if (!have_node_modules()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    const auto tiles = sample_tiles();
    std::vector<nlohmann::json> q;
    for (const auto& t : tiles) {
        q.push_back({{"op", "hilbert"}, {"z", t.z}, {"x", t.x}, {"y", t.y}});
    }
    const auto a = ask_node(q);
    ASSERT_EQ(a.size(), tiles.size());
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const std::uint64_t id = choro::geo::hilbert_tile_id(tiles[i]);
        EXPECT_EQ(id, a[i].get<std::uint64_t>()) << choro::geo::to_string(tiles[i]);
        EXPECT_EQ(choro::geo::tile_from_hilbert_id(id), tiles[i]);
    }
}

TEST(TileMath, HilbertIdsAreABijectionAtLowZooms) {
    // Every id from 0 to the last tile of zoom 5 maps to a distinct valid tile and back.
    std::uint64_t expected = 0;
    for (int z = 0; z <= 5; ++z) {
        for (std::uint32_t i = 0; i < choro::geo::tiles_per_side(z) * choro::geo::tiles_per_side(z); ++i) {
            const TileId t = choro::geo::tile_from_hilbert_id(expected);
            EXPECT_EQ(t.z, z);
            EXPECT_EQ(choro::geo::hilbert_tile_id(t), expected);
            ++expected;
        }
    }
    // Hand values from the PMTiles v3 spec: 0/0/0 = 0, zoom 1 starts at 1, zoom 2 at 5.
    EXPECT_EQ(choro::geo::hilbert_tile_id({1, 0, 0}), 1u);
    EXPECT_EQ(choro::geo::hilbert_tile_id({2, 0, 0}), 5u);
    EXPECT_EQ(choro::geo::hilbert_tile_id({1, 1, 0}), 4u);
}

TEST(TileMath, MercatorMetresMatchProj) {
    // cs2cs from PROJ as the reference for EPSG:3857.
    const std::vector<choro::geo::LonLat> pts{{-77.0365, 38.8977},
                                              {0, 0},
                                              {180, 85.05112877980659},
                                              {-124.7, 24.5},
                                              {-66.9, 49.4},
                                              {-170.0, -14.3},
                                              {144.9, 13.4}};
    std::string input;
    for (const auto& p : pts) {
        char line[64];
        std::snprintf(line, sizeof line, "%.10f %.10f\n", p.x, p.y);
        input += line;
    }
    const auto lines = run_lines("cs2cs -f %.4f +proj=longlat +datum=WGS84 +to EPSG:3857", input);
    ASSERT_EQ(lines.size(), pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) {
        std::istringstream s(lines[i]);
        double x = 0;
        double y = 0;
        s >> x >> y;
        const auto m = choro::geo::lonlat_to_mercator(pts[i]);
        EXPECT_NEAR(m.x, x, 1e-3);
        EXPECT_NEAR(m.y, y, 1e-3);
        const auto back = choro::geo::mercator_to_lonlat(m);
        EXPECT_NEAR(back.x, pts[i].x, 1e-9);
        EXPECT_NEAR(back.y, pts[i].y, 1e-9);
    }
}

TEST(TileMath, TileBoundsInMetresAgreeWithLonLatBoundsThroughProj) {
    // The corners of a few tiles, given in degrees to cs2cs, must land on the metre bounds.
    const std::vector<TileId> tiles{{0, 0, 0}, {3, 2, 3}, {7, 36, 49}, {12, 1171, 1566}};
    std::string input;
    for (const auto& t : tiles) {
        const auto b = choro::geo::tile_lonlat_bounds(t);
        char line[128];
        std::snprintf(line, sizeof line, "%.12f %.12f\n%.12f %.12f\n", b.min.x, b.min.y, b.max.x, b.max.y);
        input += line;
    }
    const auto lines = run_lines("cs2cs -f %.4f +proj=longlat +datum=WGS84 +to EPSG:3857", input);
    ASSERT_EQ(lines.size(), tiles.size() * 2);
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const auto m = choro::geo::tile_bounds(tiles[i]);
        double x0 = 0;
        double y0 = 0;
        double x1 = 0;
        double y1 = 0;
        std::istringstream(lines[2 * i]) >> x0 >> y0;
        std::istringstream(lines[2 * i + 1]) >> x1 >> y1;
        EXPECT_NEAR(m.min.x, x0, 1e-2);
        EXPECT_NEAR(m.min.y, y0, 1e-2);
        EXPECT_NEAR(m.max.x, x1, 1e-2);
        EXPECT_NEAR(m.max.y, y1, 1e-2);
    }
    // Hand check: tile 1/1/0 is the north-east quarter of the square.
    const auto q = choro::geo::tile_bounds({1, 1, 0});
    EXPECT_DOUBLE_EQ(q.min.x, 0.0);
    EXPECT_DOUBLE_EQ(q.min.y, 0.0);
    EXPECT_DOUBLE_EQ(q.max.x, choro::geo::web_mercator_half);
    EXPECT_DOUBLE_EQ(q.max.y, choro::geo::web_mercator_half);
}

TEST(TileMath, RangeOfABox) {
    // The conterminous US at zoom 4 (tiles counted by hand from the tile grid: x 2..5, y 5..6).
    choro::geo::Box<choro::geo::LonLat> us;
    us.min = {-124.8, 24.4};
    us.max = {-66.9, 49.4};
    const auto r = choro::geo::tile_range(us, 4);
    EXPECT_EQ(r, (choro::geo::TileRange{4, 2, 5, 5, 6}));
    EXPECT_EQ(r.count(), 8u);
    // A box whose edges sit on tile edges does not spill into neighbours.
    const auto exact = choro::geo::tile_range(choro::geo::tile_lonlat_bounds({5, 9, 12}), 5);
    EXPECT_EQ(exact, (choro::geo::TileRange{5, 9, 12, 9, 12}));
    // The whole world.
    choro::geo::Box<choro::geo::LonLat> world;
    world.min = {-180, -90};
    world.max = {180, 90};
    EXPECT_EQ(choro::geo::tile_range(world, 3).count(), 64u);
}

TEST(TileMath, ErrorsNameTheProblem) {
    EXPECT_THROW((void)choro::geo::tile_bounds({3, 8, 0}), choro::LimitError);
    EXPECT_THROW((void)choro::geo::tile_lonlat_bounds({2, 0, 4}), choro::LimitError);
    EXPECT_THROW((void)choro::geo::lonlat_to_tile({0, 0}, -1), choro::LimitError);
    EXPECT_THROW((void)choro::geo::lonlat_to_tile({0, 0}, 27), choro::LimitError);
    EXPECT_THROW((void)choro::geo::hilbert_tile_id({27, 0, 0}), choro::LimitError);
    EXPECT_THROW((void)choro::geo::tile_range(choro::geo::Box<choro::geo::LonLat>{}, 3), choro::LimitError);
    try {
        choro::geo::validate(TileId{2, 5, 1});
        FAIL() << "expected LimitError";
    } catch (const choro::LimitError& e) {
        EXPECT_NE(std::string(e.what()).find("2/5/1"), std::string::npos) << e.what();
    }
}

}  // namespace
