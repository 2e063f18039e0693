// Golden images of world maps in four projections (Natural Earth 110m countries from npm
// world-atlas 2.0.2, a pinned test dependency in tests/js), and pixel checks of what cutting at the
// seam and clipping at the horizon must give. Regenerate with CHORO_UPDATE_GOLDEN=1 and review the
// PNGs before committing.

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/layer.hpp"
#include "choro/geo/projection.hpp"
#include "choro/render/map.hpp"

namespace {

namespace fs = std::filesystem;
using choro::styles::Color;

fs::path world_path() {
    return fs::path(CHORO_SOURCE_DIR) / "tests" / "js" / "node_modules" / "world-atlas" / "countries-110m.json";
}

const choro::geo::Layer& world() {
    static const choro::geo::Layer layer = [] {
        choro::geo::LayerOptions options;
        options.layer = "countries";
        options.key_field = "name";
        options.srs = "EPSG:4326";
        return choro::geo::read_layer(world_path().string(), options);
    }();
    return layer;
}

constexpr Color water{219, 233, 244, 255};
constexpr Color land{205, 205, 205, 255};
constexpr Color marked{200, 30, 30, 255};

/// A world map: every country grey except `mark` (red), the globe filled with water, a 30° graticule.
choro::pipeline::Scene world_scene(const std::string& proj, const std::string& mark = "") {
    const choro::geo::Projection projection(proj);
    choro::pipeline::Scene scene;
    for (const auto& f : world().features) {
        scene.features.push_back(projection.project(f.geometry));
        scene.fills.push_back(f.key == mark ? marked : land);
    }
    scene.sphere = projection.sphere();
    scene.water = water;
    scene.graticule = projection.graticule(30.0);
    choro::geo::Box<choro::geo::Projected> box = choro::geo::envelope(scene.sphere);
    scene.bounds = box;
    return scene;
}

choro::styles::StyleSettings style() {
    choro::styles::StyleSettings s;
    s.border = {255, 255, 255, 255};
    return s;
}

bool have_world() {
    return fs::exists(world_path());
}

struct WorldCase {
    const char* name;
    const char* proj;
};

class WorldGolden : public ::testing::TestWithParam<WorldCase> {};

TEST_P(WorldGolden, MatchesReference) {
    if (!have_world()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    const WorldCase& c = GetParam();
    RecordProperty("renderer", choro::render::renderer_versions());
    const auto image = choro::render::render_map_image(world_scene(c.proj), style(), {480, 260, 72});
    const std::string message = choro::test::check_golden(image, std::string("world-") + c.name + "-480x260@72", 8, 60);
    EXPECT_TRUE(message.empty()) << message << " (" << choro::render::renderer_versions() << ")";
}

INSTANTIATE_TEST_SUITE_P(Projections,
                         WorldGolden,
                         ::testing::Values(WorldCase{"eqearth", "+proj=eqearth"},
                                           WorldCase{"robinson-pacific", "+proj=robin +lon_0=150"},
                                           WorldCase{"ortho", "+proj=ortho +lat_0=60 +lon_0=-100"},
                                           WorldCase{"polar-stereographic", "+proj=stere +lat_0=90 +lon_0=-45"}),
                         [](const auto& param_info) {
                             std::string n = param_info.param.name;
                             for (char& ch : n) {
                                 ch = ch == '-' ? '_' : ch;
                             }
                             return n;
                         });

bool is_marked(const choro::render::Image& image, int x, int y) {
    const auto* p = &image.rgba[(static_cast<std::size_t>(y) * image.width + x) * 4];
    // Red fill, allowing for antialiased edges blended with grey, white or blue.
    return p[0] > 150 && p[1] < 120 && p[2] < 120;
}

bool is_painted(const choro::render::Image& image, int x, int y) {
    const auto* p = &image.rgba[(static_cast<std::size_t>(y) * image.width + x) * 4];
    return !(p[0] == 255 && p[1] == 255 && p[2] == 255);
}

TEST(WorldPixels, GreenlandIsCutAtThePacificMapsEdges) {
    if (!have_world()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    // Robinson centred on 150° E: the seam at 30° W cuts Greenland; its pieces must sit at the two
    // opposite edges of the map, not smeared across it.
    const auto image =
        choro::render::render_map_image(world_scene("+proj=robin +lon_0=150", "Greenland"), style(), {1200, 640, 72});
    int map_left = image.width;
    int map_right = -1;
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            if (is_painted(image, x, y)) {
                map_left = std::min(map_left, x);
                map_right = std::max(map_right, x);
            }
        }
    }
    const int map_width = map_right - map_left + 1;
    ASSERT_GT(map_width, image.width / 2);
    // Row by row: each run of Greenland pixels is narrow, and some run touches the globe's left
    // edge in its row and some its right edge (Robinson's rows get shorter towards the poles).
    bool at_left = false;
    bool at_right = false;
    int widest = 0;
    int red_rows = 0;
    for (int y = 0; y < image.height; ++y) {
        int row_left = -1;
        int row_right = -1;
        for (int x = 0; x < image.width; ++x) {
            if (is_painted(image, x, y)) {
                row_left = row_left < 0 ? x : row_left;
                row_right = x;
            }
        }
        bool any = false;
        for (int x = 0; x < image.width; ++x) {
            if (!is_marked(image, x, y)) {
                continue;
            }
            int end = x;
            while (end + 1 < image.width && is_marked(image, end + 1, y)) {
                ++end;
            }
            widest = std::max(widest, end - x + 1);
            at_left = at_left || x - row_left <= 3;
            at_right = at_right || row_right - end <= 3;
            any = true;
            x = end;
        }
        red_rows += any ? 1 : 0;
    }
    EXPECT_GT(red_rows, 10);
    EXPECT_LE(widest, map_width / 10) << "a piece of Greenland is smeared across the map";
    EXPECT_TRUE(at_left) << "no piece of Greenland at the map's left edge";
    EXPECT_TRUE(at_right) << "no piece of Greenland at the map's right edge";
}

TEST(WorldPixels, AustraliaIsNotDrawnFromAboveNorthAmerica) {
    if (!have_world()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    const auto hidden = choro::render::render_map_image(
        world_scene("+proj=ortho +lat_0=60 +lon_0=-100", "Australia"), style(), {800, 800, 72});
    std::size_t red = 0;
    for (int y = 0; y < hidden.height; ++y) {
        for (int x = 0; x < hidden.width; ++x) {
            red += is_marked(hidden, x, y) ? 1 : 0;
        }
    }
    EXPECT_EQ(red, 0U);
    // The check can see red: Canada, in front, is drawn.
    const auto seen = choro::render::render_map_image(
        world_scene("+proj=ortho +lat_0=60 +lon_0=-100", "Canada"), style(), {800, 800, 72});
    std::size_t canada = 0;
    for (int y = 0; y < seen.height; ++y) {
        for (int x = 0; x < seen.width; ++x) {
            canada += is_marked(seen, x, y) ? 1 : 0;
        }
    }
    EXPECT_GT(canada, 10000U);
}

}  // namespace
