// The web map: the MapLibre style checked by MapLibre's own style-spec (validation, and its
// expression engine giving every feature of a real scene the scene's colour), the hatch sprite,
// the view across 180°, and the page in headless Chromium over vector tiles of US counties.

#include "choro/render/web_map.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../../../render/src/tiles/web_internal.hpp"
#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/geo/projection.hpp"
#include "choro/geo/tile.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/image.hpp"
#include "choro/styles/job.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using choro::render::TileKind;

fs::path atlas_dir() {
    return fs::path(CHORO_SOURCE_DIR) / "data" / "downloads" / "us-atlas-3.0.1";
}

bool have_browser_tools() {
    return choro::tiles_test::have_node_modules() &&
           fs::exists(choro::tiles_test::js_dir() / "node_modules" / "maplibre-gl") &&
           std::system("command -v chromium > /dev/null 2>&1") == 0;
}

// US counties joined to a made-up value (the FIPS code mod 13), with Palm Beach (12099) a holdout
// of value 0 and Florida a banning state, projected to Web Mercator.
struct UsCounties {
    choro::styles::Job job;
    choro::pipeline::Scene scene;
    std::vector<choro::styles::LegendItem> legend;
};

UsCounties us_counties(const fs::path& dir) {
    std::ofstream csv(dir / "values.csv");
    csv << "fips,value\n";
    std::ofstream holdouts(dir / "holdouts.csv");
    holdouts << "county_fips,state_abbr,level\n12099,FL,county\n,FL,state\n";
    holdouts.close();
    // Every county FIPS in us-atlas (the TopoJSON's geometry ids).
    const auto atlas = Json::parse(choro::test::read_file(atlas_dir() / "counties-10m.json"));
    for (const auto& g : atlas["objects"]["counties"]["geometries"]) {
        const auto id = g["id"].get<std::string>();
        csv << id << "," << (id == "12099" ? 0 : std::atoi(id.c_str()) % 13) << "\n";
    }
    csv.close();
    const std::string text =
        "[boundaries]\nsource = \"" + (atlas_dir() / "counties-10m.json").string() +
        "\"\nlayer = \"counties\"\nsrs = \"EPSG:4326\"\n"
        "[overlay]\nsource = \"" +
        (atlas_dir() / "states-10m.json").string() +
        "\"\nlayer = \"states\"\nsrs = \"EPSG:4326\"\n"
        "[values]\nsource = \"" +
        (dir / "values.csv").string() +
        "\"\nkey = \"fips\"\nvalue = \"value\"\n"
        "[highlight]\nsource = \"" +
        (dir / "holdouts.csv").string() +
        "\"\nkey = \"county_fips\"\nstate_key = \"state_abbr\"\n"
        "[classify]\nmethod = \"quantile\"\nclasses = 5\n"
        "[map]\ntitle = \"Test counties\"\nlegend_title = \"Things\"\nsource_note = \"Source: tests\"\n";
    UsCounties us;
    us.job = choro::styles::parse_job_text(text, (dir / "job.toml").string(), dir.string());
    const auto data = choro::pipeline::prepare(us.job);
    us.scene = choro::pipeline::build_scene(data, us.job, choro::geo::Projection("web-mercator"));
    us.legend = data.legend;
    return us;
}

TEST(WebMap, ShortestDecimalSeparatesClasses) {
    using choro::render::detail::shortest_decimal_between;
    EXPECT_EQ(shortest_decimal_between(3, 4), 4);
    EXPECT_EQ(shortest_decimal_between(3, 12), 10);
    EXPECT_EQ(shortest_decimal_between(0.12, 0.1234), 0.121);
    EXPECT_EQ(shortest_decimal_between(0.1234, 0.1239), 0.1235);
    EXPECT_EQ(shortest_decimal_between(-5.5, -3), -5);
    EXPECT_EQ(shortest_decimal_between(99, 1234), 1000);
    EXPECT_EQ(shortest_decimal_between(99, 120), 100);
    EXPECT_EQ(shortest_decimal_between(5, 5), 5);
    for (double lo : {0.1, 1.0 / 3.0, 2.5e-7, 123456.789}) {
        const double hi = std::nextafter(lo, 1e300);
        const double c = shortest_decimal_between(lo, hi);
        EXPECT_TRUE(c > lo && c <= hi) << lo;
    }
}

TEST(WebMap, ViewOfUsCountiesLiesAcross180) {
    if (!fs::exists(atlas_dir() / "counties-10m.json")) {
        GTEST_SKIP() << "needs data/downloads/us-atlas-3.0.1 (scripts/setup)";
    }
    const auto dir = choro::test::temp_dir();
    const auto us = us_counties(dir);
    const auto view = choro::render::detail::data_view(us.scene);
    // us-atlas holds the territories: Guam (144.6° E) and the Aleutians lie west of 180°, the
    // Virgin Islands (64.6° W) furthest east. The view runs from Guam east across 180° to the
    // Virgin Islands (east edge + 360), 151° wide, not around the world.
    EXPECT_NEAR(view.min.x, 144.6, 0.3);
    EXPECT_NEAR(view.max.x - 360.0, -64.6, 0.3);
    EXPECT_LT(view.max.x - view.min.x, 155.0);
    EXPECT_NEAR(view.min.y, -14.4, 0.3);  // American Samoa
    EXPECT_NEAR(view.max.y, 71.4, 0.3);   // Alaska
    // A scene that does not cross 180° keeps its plain bounds.
    const auto small = choro::render::detail::data_view(choro::tiles_test::make_scene());
    EXPECT_NEAR(small.min.x, -120, 1e-6);
    EXPECT_NEAR(small.max.x, -80, 1e-6);
}

TEST(WebMap, SpriteTilesTheHatch) {
    choro::styles::StyleSettings style;
    for (int ratio : {1, 2}) {
        const auto sheet = choro::render::hatch_sprite(style, ratio);
        const auto img = choro::render::decode_png(sheet.png);
        const auto index = Json::parse(sheet.json);
        for (const char* name : {"holdout", "partial", "state-ban", "enacted-ban"}) {
            ASSERT_TRUE(index.contains(name)) << name;
            const auto& e = index[name];
            EXPECT_EQ(e["pixelRatio"], ratio);
            const int x0 = e["x"];
            const int side = e["width"];
            ASSERT_EQ(side, e["height"].get<int>());
            ASSERT_LE(x0 + side, img.width);
            // Seamless: along a 45° hatch line every pixel is covered alike, and the line runs on
            // across the pattern's edges (wrapped), so each pixel equals its neighbour one step
            // along the line, the wrapped ones included. Ink is the highlight colour.
            const bool rising = std::string(name) == "holdout" || std::string(name) == "partial";
            int max_alpha = 0;
            for (int y = 0; y < side; ++y) {
                for (int x = 0; x < side; ++x) {
                    max_alpha = std::max(max_alpha, static_cast<int>(img.pixel(x0 + x, y)[3]));
                }
            }
            int inked = 0;
            int mismatched = 0;
            for (int y = 0; y < side; ++y) {
                for (int x = 0; x < side; ++x) {
                    const auto* p = img.pixel(x0 + x, y);
                    const auto* q = img.pixel(x0 + (x + 1) % side, rising ? (y + side - 1) % side : (y + 1) % side);
                    mismatched += std::abs(static_cast<int>(p[3]) - static_cast<int>(q[3])) > 8 ? 1 : 0;
                    if (p[3] * 2 > max_alpha) {
                        ++inked;
                        EXPECT_NEAR(p[0], style.highlight.r, 3);
                        EXPECT_NEAR(p[2], style.highlight.b, 3);
                    }
                }
            }
            EXPECT_GT(max_alpha, 60) << name;
            EXPECT_GT(inked, side) << name;
            EXPECT_EQ(mismatched, 0) << name << " at ratio " << ratio;
        }
    }
    EXPECT_THROW((void)choro::render::hatch_sprite(style, 3), choro::LimitError);
}

// MapLibre's style-spec validates the style and evaluates its fill colour for every feature
// of a real scene: each must get the scene's own fill (the print map's and raster tiles' colour).
TEST(WebMap, StyleValidatesAndColoursEveryFeatureAsTheScene) {
    if (!choro::tiles_test::have_node_modules() ||
        !fs::exists(choro::tiles_test::js_dir() / "node_modules" / "@maplibre" / "maplibre-gl-style-spec") ||
        !fs::exists(atlas_dir() / "counties-10m.json")) {
        GTEST_SKIP() << "needs tests/js/node_modules (npm ci --prefix tests/js) and us-atlas (scripts/setup)";
    }
    const auto dir = choro::test::temp_dir();
    const auto us = us_counties(dir);
    choro::render::TilesetInfo info;
    info.name = "Test counties";
    info.bounds = {{-180, 18}, {180, 72}};
    info.max_zoom = 6;
    const auto style = choro::render::maplibre_style(
        us.scene, us.job.style, info, {TileKind::vector, "pmtiles://x.pmtiles"}, "sprite");
    std::ofstream(dir / "style.json") << style;
    Json features = Json::array();
    for (std::size_t i = 0; i < us.scene.features.size(); ++i) {
        Json props = {{"key", us.scene.info[i].key}};
        if (us.scene.info[i].value) {
            props["value"] = *us.scene.info[i].value;
        }
        features.push_back({{"properties", props}, {"fill", choro::styles::to_hex(us.scene.fills[i])}});
    }
    std::ofstream(dir / "features.json") << features.dump();
    const auto out =
        choro::tiles_test::shell("node '" + (choro::tiles_test::js_dir() / "style_check.mjs").string() + "' '" +
                                 (dir / "style.json").string() + "' '" + (dir / "features.json").string() + "'");
    const auto result = Json::parse(out);
    EXPECT_EQ(result["errors"], Json::array()) << out;
    EXPECT_EQ(result["checked"], us.scene.features.size());
    EXPECT_EQ(result["wrong"], Json::array()) << out;
    // Some of each: several classes, zero, and the no-data colour for a county without a value.
    EXPECT_GE(result["colours"].get<int>(), 6) << out;
}

// The demo output: vector tiles of US counties as PMTiles (render_vector_tiles), with the
// style and page beside them, served over HTTP with Range requests.
TEST(WebMap, PageHoversPalmBeachOverVectorTilesInHeadlessChromium) {
    if (!have_browser_tools() || !fs::exists(atlas_dir() / "counties-10m.json")) {
        GTEST_SKIP() << "needs tests/js/node_modules, us-atlas (scripts/setup) and chromium";
    }
    const auto dir = choro::test::temp_dir();
    const auto us = us_counties(dir);
    choro::render::TilesetInfo info;
    info.name = "Test counties";
    info.description = "Made-up values";
    info.attribution = "Source: tests";
    info.legend_title = "Things";
    info.legend = us.legend;
    choro::render::TileOptions options;
    options.max_zoom = 7;
    options.threads = 2;
    const auto tiles = dir / "us-vector.pmtiles";
    const auto stats = choro::render::render_vector_tiles(us.scene, options, tiles, info);
    const auto page = choro::render::write_web_map(tiles, us.scene, us.job.style, stats.tileset, TileKind::vector);
    EXPECT_EQ(page, dir / "us-vector.html");
    for (const char* f : {"us-vector.style.json",
                          "us-vector.sprite.png",
                          "us-vector.sprite@2x.json",
                          "maplibre/maplibre-gl.js",
                          "maplibre/pmtiles.js"}) {
        EXPECT_TRUE(fs::exists(dir / f)) << f;
    }
    const char* shot = std::getenv("CHORO_WEB_MAP_SCREENSHOT");  // a picture of the hover, if wanted
    const auto out =
        choro::tiles_test::shell("node '" + (choro::tiles_test::js_dir() / "web_map_check.mjs").string() + "' '" +
                                 dir.string() + "' us-vector.html -80.45 26.65 '" +
                                 (shot ? std::string(shot) : (dir / "shot.png").string()) + "' 'Los Angeles'");
    const auto r = Json::parse(out);
    EXPECT_EQ(r["errors"], Json::array()) << out;
    // The US in view: the lower 48 inside the map's bounds, centred on North America.
    const auto& b = r["bounds"];
    ASSERT_TRUE(b.is_array()) << out;
    const double west = b[0];
    const double east = b[2];
    EXPECT_LE(b[1].get<double>(), 25.0) << out;
    EXPECT_GE(b[3].get<double>(), 49.0) << out;
    EXPECT_TRUE((west <= -125.0 || west >= 170.0) && east >= -67.0 && east <= 0.0 + 360.0) << out;
    const double lon = r["center"][0];
    EXPECT_TRUE(lon < -60.0 || lon > 170.0) << out;
    EXPECT_LT(east - west, 250.0) << out;
    // The hover over Palm Beach, FL shows its name, value and why it is marked.
    const auto text = r["info"].get<std::string>();
    EXPECT_NE(text.find("Palm Beach"), std::string::npos) << out;
    EXPECT_NE(text.find("Things: 0"), std::string::npos) << out;
    EXPECT_NE(text.find(us.job.highlight.label), std::string::npos) << out;
    // The search box finds Los Angeles by name and moves there; the URL hash follows the view.
    EXPECT_NE(r["search"].get<std::string>().find("Los Angeles"), std::string::npos) << out;
    const auto hash = r["hash"].get<std::string>();  // #zoom/lat/lon
    const auto slash = hash.find('/');
    ASSERT_NE(slash, std::string::npos) << out;
    const double lat = std::atof(hash.c_str() + slash + 1);
    EXPECT_TRUE(lat > 32.5 && lat < 35.0) << out;
}

}  // namespace

namespace {

// Raster tiles as PMTiles: the page loads every tile (empty ones too), opens on the US and finds
// a county by its key.
TEST(WebMap, RasterPmtilesPageOpensOnTheUsAndSearchesInHeadlessChromium) {
    if (!have_browser_tools() || !fs::exists(atlas_dir() / "counties-10m.json")) {
        GTEST_SKIP() << "needs tests/js/node_modules, us-atlas (scripts/setup) and chromium";
    }
    const auto dir = choro::test::temp_dir();
    const auto us = us_counties(dir);
    choro::render::TileOptions options;
    options.max_zoom = 3;
    options.threads = 2;
    choro::render::TilesetInfo info;
    info.name = "Test counties";
    info.legend = us.legend;
    const auto stats = choro::render::render_tiles(us.scene, us.job.style, options, dir / "us.pmtiles", info);
    const auto page =
        choro::render::write_web_map(dir / "us.pmtiles", us.scene, us.job.style, stats.tileset, TileKind::raster);
    EXPECT_EQ(page, dir / "us.html");
    EXPECT_TRUE(fs::exists(dir / "us.style.json"));
    EXPECT_TRUE(fs::exists(dir / "maplibre" / "pmtiles.js"));
    const auto out =
        choro::tiles_test::shell("node '" + (choro::tiles_test::js_dir() / "web_map_check.mjs").string() + "' '" +
                                 dir.string() + "' us.html -80.45 26.65 '" + (dir / "shot.png").string() + "' 06037");
    const auto r = Json::parse(out);
    EXPECT_EQ(r["errors"], Json::array()) << out;
    ASSERT_TRUE(r["bounds"].is_array()) << out;
    EXPECT_LE(r["bounds"][1].get<double>(), 25.0) << out;
    EXPECT_GE(r["bounds"][3].get<double>(), 49.0) << out;
    const double lon = r["center"][0];
    EXPECT_TRUE(lon < -60.0 || lon > 170.0) << out;
    EXPECT_NE(r["search"].get<std::string>().find("Los Angeles"), std::string::npos) << out;
}

}  // namespace
