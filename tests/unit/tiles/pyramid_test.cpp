// The tile pyramid: stitching (no seams), empty and solid tiles, options, progress, resume.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"
#include "choro/render/map.hpp"
#include "choro/render/tiles.hpp"

namespace {

namespace fs = std::filesystem;
using choro::geo::TileId;
using choro::render::Image;

fs::path tile_path(const fs::path& dir, const TileId& t) {
    return dir / std::to_string(t.z) / std::to_string(t.x) / (std::to_string(t.y) + ".png");
}

// Places the tiles of a folder for `range` side by side (missing tiles stay transparent).
Image stitch(const fs::path& dir, const choro::geo::TileRange& range, int px) {
    Image out;
    out.width = static_cast<int>(range.max_x - range.min_x + 1) * px;
    out.height = static_cast<int>(range.max_y - range.min_y + 1) * px;
    out.rgba.assign(static_cast<std::size_t>(out.width) * out.height * 4, 0);
    for (auto y = range.min_y; y <= range.max_y; ++y) {
        for (auto x = range.min_x; x <= range.max_x; ++x) {
            const auto p = tile_path(dir, {range.z, x, y});
            if (!fs::exists(p)) {
                continue;
            }
            const Image t = choro::render::decode_png(choro::test::read_file(p));
            EXPECT_EQ(t.width, px);
            for (int r = 0; r < px; ++r) {
                std::copy_n(&t.rgba[static_cast<std::size_t>(r) * px * 4],
                            px * 4,
                            &out.rgba[(static_cast<std::size_t>((y - range.min_y) * px + r) * out.width +
                                       (x - range.min_x) * px) *
                                      4]);
            }
        }
    }
    return out;
}

class Stitching : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

TEST_P(Stitching, TilesStitchedEqualTheWholeArea) {
    const auto [zoom, scale, metatile] = GetParam();
    const auto scene = choro::tiles_test::make_scene();
    const choro::styles::StyleSettings style;
    const auto dir = choro::test::temp_dir() / "tiles";
    choro::render::TileOptions o;
    o.min_zoom = zoom;
    o.max_zoom = zoom;
    o.scale = scale;
    o.metatile = metatile;
    o.threads = 2;
    const auto stats = choro::render::render_tiles(scene, style, o, dir, {});
    const auto range = choro::geo::tile_range(choro::render::lonlat_bounds(scene), zoom);
    EXPECT_EQ(stats.tiles, range.count());
    EXPECT_EQ(stats.written + stats.empty, stats.tiles);
    EXPECT_GT(stats.written, 0u);
    const Image whole = choro::render::render_tile_area(scene, style, range, scale);
    const Image stitched = stitch(dir, range, 256 * scale);
    const auto diff = choro::test::compare_images(stitched, whole, 12);
    EXPECT_TRUE(diff.same_size);
    // Same geometry, same transform up to whole pixels. Hatch lines are tessellated from different
    // end points, which moves their antialiasing by a few levels (<= 8 seen); a seam would differ by far more.
    EXPECT_LE(diff.differing, 8u) << "max delta " << diff.max_delta;
    // And the picture is not trivially empty: the feature colours are there.
    std::set<std::uint32_t> colours;
    for (std::size_t i = 0; i < whole.rgba.size(); i += 4) {
        colours.insert(static_cast<std::uint32_t>(whole.rgba[i] << 16 | whole.rgba[i + 1] << 8 | whole.rgba[i + 2]));
    }
    EXPECT_TRUE(colours.count(215u << 16 | 48u << 8 | 31u)) << "red fill missing";
    EXPECT_TRUE(colours.count(116u << 16 | 196u << 8 | 118u)) << "green fill missing";
}

INSTANTIATE_TEST_SUITE_P(Zooms,
                         Stitching,
                         ::testing::Values(std::make_tuple(3, 1, 8),
                                           std::make_tuple(5, 1, 2),
                                           std::make_tuple(5, 1, 3),
                                           std::make_tuple(4, 2, 2)));

// One scene, one drawer: a 2×2 block of stored tiles equals the print map's frame drawn at the same
// scale (96/72 px per point) and extent, fills, shared borders, holdout and state-ban marks alike.
TEST(Pyramid, TwoByTwoTilesEqualThePrintMapAtTheirScale) {
    const auto scene = choro::tiles_test::make_scene();
    const choro::styles::StyleSettings style;
    const int z = 6;  // lines are full width from zoom 6 on
    const auto dir = choro::test::temp_dir() / "tiles";
    choro::render::TileOptions o;
    o.min_zoom = o.max_zoom = z;
    o.threads = 2;
    (void)choro::render::render_tiles(scene, style, o, dir, {});
    // Two blocks: the holdout (hatch, strong outline) beside a plain fill; the edge of a state with
    // a ban (band, counter-hatch) beside a plain fill under an overlay border.
    for (const auto& [lon, lat, name] :
         {std::tuple{-90.0, 37.0, "tiles-2x2-z6-holdout"}, std::tuple{-101.0, 40.0, "tiles-2x2-z6-state-ban"}}) {
        const TileId corner = choro::geo::lonlat_to_tile({lon, lat}, z);
        const choro::geo::TileRange range{z, corner.x - 1, corner.y - 1, corner.x, corner.y};
        const Image tiles = stitch(dir, range, 256);

        auto frame = scene;
        frame.bounds = choro::geo::tile_bounds({z, range.min_x, range.min_y});
        frame.bounds.extend(choro::geo::tile_bounds({z, range.max_x, range.max_y}));
        const Image map = choro::render::render_frame_image(frame, style, {512, 512, 96});

        const auto diff = choro::test::compare_images(tiles, map, 24);
        ASSERT_TRUE(diff.same_size);
        // The tiles simplify their geometry to 0.15 px and the map does not: a few edge pixels move.
        EXPECT_LE(diff.differing, 512u * 512u / 200u) << name << ": max delta " << diff.max_delta;
        const std::string message = choro::test::check_golden(tiles, name, 8, 50);
        EXPECT_TRUE(message.empty()) << message;
    }
}

// Features smaller than a pixel still paint at low zooms: 40,000 squares of 0.05° over a 10° block
// are each far below a pixel at zoom 1, and together cover the block's pixels.
TEST(Pyramid, SubPixelFeaturesStillPaintAtLowZooms) {
    choro::pipeline::Scene scene;
    for (int i = 0; i < 200; ++i) {
        for (int j = 0; j < 200; ++j) {
            const double w = -100.0 + i * 0.05;
            const double s = 35.0 + j * 0.05;
            choro::geo::Ring<choro::geo::Projected> r;
            for (const auto& p : {choro::geo::LonLat{w, s},
                                  choro::geo::LonLat{w + 0.05, s},
                                  choro::geo::LonLat{w + 0.05, s + 0.05},
                                  choro::geo::LonLat{w, s + 0.05},
                                  choro::geo::LonLat{w, s}}) {
                r.push_back(choro::geo::lonlat_to_mercator(p));
            }
            scene.features.push_back({{r}});
            scene.fills.push_back({200, 0, 0, 255});
        }
    }
    const choro::styles::StyleSettings style;
    for (const int z : {0, 1}) {
        const auto range = choro::geo::tile_range(choro::render::lonlat_bounds(scene), z);
        const Image img = choro::render::render_tile_area(scene, style, range, 1);
        // The block is about 7 × 7 px at zoom 0 and 14 × 14 at zoom 1: count strongly red pixels.
        std::size_t red = 0;
        for (std::size_t i = 0; i < img.rgba.size(); i += 4) {
            red += img.rgba[i + 3] > 128 && img.rgba[i] > 150 && img.rgba[i + 1] < 80 ? 1 : 0;
        }
        EXPECT_GE(red, z == 0 ? 9u : 49u) << "zoom " << z;
    }
}

TEST(Pyramid, EmptyTilesAreNotWrittenAndSolidTilesAreOneColour) {
    const auto scene = choro::tiles_test::make_scene();
    const choro::styles::StyleSettings style;
    const auto dir = choro::test::temp_dir() / "tiles";
    choro::render::TileOptions o;
    o.min_zoom = 7;
    o.max_zoom = 7;
    o.bbox.min = {-130, 25};
    o.bbox.max = {-75, 50};
    o.threads = 2;
    const auto stats = choro::render::render_tiles(scene, style, o, dir, {});
    EXPECT_EQ(stats.tiles, choro::geo::tile_range(o.bbox, 7).count());
    EXPECT_GT(stats.empty, 0u);
    EXPECT_GT(stats.solid, 0u);
    // A tile over the Pacific (-128, 28) touches nothing: not written.
    EXPECT_FALSE(fs::exists(tile_path(dir, choro::geo::lonlat_to_tile({-128, 28}, 7))));
    // A tile well inside the red square is one colour, the red fill.
    const auto red = choro::geo::lonlat_to_tile({-95, 35}, 7);
    const Image t = choro::render::decode_png(choro::test::read_file(tile_path(dir, red)));
    for (std::size_t i = 0; i < t.rgba.size(); i += 4) {
        ASSERT_EQ(t.rgba[i], 215);
        ASSERT_EQ(t.rgba[i + 1], 48);
        ASSERT_EQ(t.rgba[i + 2], 31);
        ASSERT_EQ(t.rgba[i + 3], 255);
    }
    // Every written file is counted.
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        files += e.path().extension() == ".png" ? 1 : 0;
    }
    EXPECT_EQ(files, stats.written);
    EXPECT_TRUE(fs::exists(dir / "metadata.json"));
    EXPECT_FALSE(fs::exists(dir / ".choro-progress"));
}

// The PNG level changes the files, never the pixels. A disc of 36 wedges, each its own colour,
// antialiases into tiles of over 256 colours: those are the ones the fast default deflates with
// igzip rather than libdeflate (palette tiles take libdeflate at every level).
TEST(Pyramid, PngLevelChangesTheBytesNotThePixels) {
    choro::pipeline::Scene scene;
    constexpr int wedges = 36;
    constexpr double pi = 3.14159265358979323846;
    for (int i = 0; i < wedges; ++i) {
        choro::geo::Ring<choro::geo::Projected> r{choro::geo::lonlat_to_mercator({-95.0, 38.0})};
        for (int k = 0; k <= 8; ++k) {
            const double a = 2.0 * pi * (i + k / 8.0) / wedges;
            r.push_back(choro::geo::lonlat_to_mercator({-95.0 + 12.0 * std::cos(a), 38.0 + 9.0 * std::sin(a)}));
        }
        r.push_back(r.front());
        scene.features.push_back({{r}});
        scene.fills.push_back({static_cast<std::uint8_t>(i * 7),
                               static_cast<std::uint8_t>(250 - i * 6),
                               static_cast<std::uint8_t>(i * 37 % 256),
                               255});
        scene.highlighted.push_back(false);
    }
    const choro::styles::StyleSettings style;
    const auto root = choro::test::temp_dir();
    auto render = [&](int level) {
        choro::render::TileOptions o;
        o.min_zoom = 3;
        o.max_zoom = 4;
        o.png_level = level;
        o.threads = 2;
        const auto dir = root / ("level-" + std::to_string(level));
        (void)choro::render::render_tiles(scene, style, o, dir, {});
        std::map<std::string, std::string> files;
        for (const auto& e : fs::recursive_directory_iterator(dir)) {
            if (e.path().extension() == ".png") {
                files[fs::relative(e.path(), dir).string()] = choro::test::read_file(e.path());
            }
        }
        return files;
    };
    const auto fast = render(0);
    const auto level6 = render(6);
    const auto level12 = render(12);
    ASSERT_FALSE(fast.empty());
    std::size_t truecolour = 0;
    std::size_t bytes_fast = 0;
    std::size_t bytes_12 = 0;
    for (const auto& [name, png] : fast) {
        ASSERT_TRUE(level6.count(name) && level12.count(name)) << name;
        const Image pixels = choro::render::decode_png(png);
        EXPECT_EQ(pixels.rgba, choro::render::decode_png(level6.at(name)).rgba) << name;
        EXPECT_EQ(pixels.rgba, choro::render::decode_png(level12.at(name)).rgba) << name;
        const auto colour_type = static_cast<unsigned char>(png.at(25));  // IHDR's colour type
        if (colour_type == 2 || colour_type == 6) {
            ++truecolour;
            EXPECT_NE(png, level6.at(name)) << name << ": the fast deflate was not used";
        }
        bytes_fast += png.size();
        bytes_12 += level12.at(name).size();
    }
    EXPECT_GT(truecolour, 0u) << "no tile of over 256 colours: the fast path went untried";
    EXPECT_EQ(fast.size(), level6.size());
    EXPECT_LT(bytes_12, bytes_fast);
}

TEST(Pyramid, ProgressCountsUpToTheTotal) {
    const auto scene = choro::tiles_test::make_scene();
    choro::render::TileOptions o;
    o.min_zoom = 0;
    o.max_zoom = 6;
    o.metatile = 2;
    o.threads = 2;
    std::uint64_t last = 0;
    std::uint64_t total = 0;
    int calls = 0;
    o.progress = [&](const choro::render::TileProgress& p) {
        EXPECT_GE(p.done, last);
        last = p.done;
        total = p.total;
        ++calls;
    };
    const auto stats = choro::render::render_tiles(scene, {}, o, choro::test::temp_dir() / "t", {});
    EXPECT_EQ(last, total);
    EXPECT_EQ(total, stats.tiles);
    EXPECT_EQ(static_cast<std::uint64_t>(calls), stats.metatiles);
    std::uint64_t expected = 0;
    for (int z = 0; z <= 6; ++z) {
        expected += choro::geo::tile_range(choro::render::lonlat_bounds(scene), z).count();
    }
    EXPECT_EQ(stats.tiles, expected);
}

TEST(Pyramid, BadOptionsThrowLimitError) {
    const auto scene = choro::tiles_test::make_scene();
    const auto dir = choro::test::temp_dir() / "t";
    auto run = [&](auto change) {
        choro::render::TileOptions o;
        o.max_zoom = 1;
        change(o);
        (void)choro::render::render_tiles(scene, {}, o, dir, {});
    };
    EXPECT_THROW(run([](auto& o) { o.scale = 3; }), choro::LimitError);
    EXPECT_THROW(run([](auto& o) { o.metatile = 0; }), choro::LimitError);
    EXPECT_THROW(run([](auto& o) { o.max_zoom = 23; }), choro::LimitError);
    EXPECT_THROW(run([](auto& o) { o.min_zoom = 3; }), choro::LimitError);
    EXPECT_THROW(run([](auto& o) { o.shard_index = 3, o.shard_count = 3; }), choro::LimitError);
    EXPECT_THROW(run([](auto& o) { o.png_level = 13; }), choro::LimitError);
    EXPECT_THROW(run([](auto& o) { o.png_level = -1; }), choro::LimitError);
    choro::pipeline::Scene empty;
    choro::render::TileOptions o;
    EXPECT_THROW((void)choro::render::render_tiles(empty, {}, o, dir, {}), choro::LimitError);
    EXPECT_THROW((void)choro::render::render_tile_area(scene, {}, {3, 0, 0, 0, 0}, 4), choro::LimitError);
}

}  // namespace
