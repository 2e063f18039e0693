// Outputs: MBTiles read back by GDAL, PMTiles read back by the npm pmtiles library, TileJSON,
// sharding + merge, resume after an interruption, and the preview page in headless Chromium.

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "../../../render/src/tiles/tiles_internal.hpp"  // sink and PMTiles writer, to build a big archive fast
#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"
#include "choro/render/tiles.hpp"

namespace {

namespace fs = std::filesystem;
using choro::geo::TileId;
using TileMap = std::map<TileId, std::string>;

choro::render::TileOptions options(int max_zoom = 5) {
    choro::render::TileOptions o;
    o.min_zoom = 0;
    o.max_zoom = max_zoom;
    o.metatile = 2;
    o.threads = 2;
    return o;
}

choro::render::TilesetInfo info() {
    choro::render::TilesetInfo i;
    i.name = "synthetic";
    i.description = "three squares";
    i.attribution = "choro tests";
    i.legend_title = "Agreements";
    i.legend = {{choro::styles::Swatch::fill, {215, 48, 31, 255}, "1-3", 1},
                {choro::styles::Swatch::hatch, {0, 0, 0, 255}, "Declined", 0}};
    return i;
}

using choro::tiles_test::read_folder;
using choro::tiles_test::read_mbtiles;

std::string base64_decode(const std::string& in) {
    static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0;
    int bits = -8;
    for (char c : in) {
        const auto p = chars.find(c);
        if (p == std::string::npos) {
            break;
        }
        val = (val << 6) + static_cast<int>(p);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((val >> bits) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

class Outputs : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = choro::test::temp_dir();
        m_scene = choro::tiles_test::make_scene();
    }
    fs::path m_dir;
    choro::pipeline::Scene m_scene;
    choro::styles::StyleSettings m_style;
};

TEST_F(Outputs, MbtilesHoldTheFolderTilesAndGdalReadsThem) {
    (void)choro::render::render_tiles(m_scene, m_style, options(), m_dir / "f", info());
    const auto mb = m_dir / "t.mbtiles";
    (void)choro::render::render_tiles(m_scene, m_style, options(), mb, info());
    EXPECT_FALSE(fs::exists(m_dir / "t.mbtiles.partial"));
    const TileMap folder = read_folder(m_dir / "f");
    EXPECT_FALSE(folder.empty());
    EXPECT_EQ(read_mbtiles(mb), folder);

    const std::string text = choro::tiles_test::shell("gdalinfo -json '" + mb.string() + "'");
    const auto j = nlohmann::json::parse(text, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << text;
    const auto& md = j["metadata"][""];
    EXPECT_EQ(md["ZOOM_LEVEL"], "5") << md.dump();
    EXPECT_EQ(md["name"], "synthetic");
    EXPECT_EQ(md["minzoom"], "0");
    EXPECT_EQ(md["maxzoom"], "5");
    // GDAL reads the raster at maxzoom: 40° of longitude at zoom 5 is 40/360 · 256 · 2^5 pixels.
    EXPECT_NEAR(j["size"][0].get<double>(), 40.0 / 360.0 * 8192.0, 1.0);
    // Its extent is the bounds snapped outwards to whole zoom-5 pixels (360/8192 = 0.044°).
    const auto& ext = j["wgs84Extent"]["coordinates"][0];
    double w = 1e9, s = 1e9, e = -1e9, n = -1e9;
    for (const auto& p : ext) {
        w = std::min(w, p[0].get<double>());
        e = std::max(e, p[0].get<double>());
        s = std::min(s, p[1].get<double>());
        n = std::max(n, p[1].get<double>());
    }
    const double px = 360.0 / 8192.0;
    EXPECT_NEAR(w, -120.0, px);
    EXPECT_NEAR(e, -80.0, px);
    EXPECT_NEAR(s, 30.0, px);
    EXPECT_NEAR(n, 45.0, px);
    EXPECT_EQ(md["bounds"], "-120.000000,30.000000,-80.000000,45.000000");
    EXPECT_EQ(md["center"], "-100.000000,37.500000,2");
    EXPECT_EQ(md["format"], "png");
    // The legend sits in the `json` row (GDAL does not show it; read it with sqlite3).
    const std::string json =
        choro::tiles_test::shell("sqlite3 '" + mb.string() + "' \"SELECT value FROM metadata WHERE name = 'json'\"");
    const auto meta = nlohmann::json::parse(json, nullptr, false);
    ASSERT_FALSE(meta.is_discarded()) << json;
    EXPECT_EQ(meta["legend"]["title"], "Agreements");
    // The tiles view and TMS rows: the red square's tile at zoom 5, looked up by its TMS row.
    const TileId red = choro::geo::lonlat_to_tile({-95, 35}, 5);
    const std::string count = choro::tiles_test::shell(
        "sqlite3 '" + mb.string() + "' 'SELECT COUNT(*) FROM tiles WHERE zoom_level = 5 AND tile_column = " +
        std::to_string(red.x) + " AND tile_row = " + std::to_string(31 - red.y) + "'");
    EXPECT_EQ(count, "1\n");
}

TEST_F(Outputs, PmtilesReadByThePmtilesLibraryGiveTheFolderBytes) {
    if (!choro::tiles_test::have_node_modules()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    // Zooms 6-7: the squares span whole tiles there, so solid and hatched tiles repeat.
    auto o = options(7);
    o.min_zoom = 6;
    o.metatile = 8;
    (void)choro::render::render_tiles(m_scene, m_style, o, m_dir / "f", info());
    const auto pm = m_dir / "t.pmtiles";
    (void)choro::render::render_tiles(m_scene, m_style, o, pm, info());
    EXPECT_FALSE(fs::exists(m_dir / "t.pmtiles.work.mbtiles"));
    const TileMap folder = read_folder(m_dir / "f");
    std::string queries;
    std::vector<TileId> asked;
    for (const auto& [t, png] : folder) {
        queries += std::to_string(t.z) + " " + std::to_string(t.x) + " " + std::to_string(t.y) + "\n";
        asked.push_back(t);
    }
    // Plus one tile between the squares that no feature touches: it must be absent.
    const TileId ocean = choro::geo::lonlat_to_tile({-102.5, 43}, 7);
    queries += "7 " + std::to_string(ocean.x) + " " + std::to_string(ocean.y) + "\n";
    const std::string out = choro::tiles_test::shell(
        "cd '" + choro::tiles_test::js_dir().string() + "' && node pmtiles_read.mjs '" + pm.string() + "'", queries);
    std::istringstream lines(out);
    std::string line;
    ASSERT_TRUE(std::getline(lines, line));
    const auto head = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(head.is_discarded()) << out.substr(0, 400);
    EXPECT_EQ(head["header"]["specVersion"], 3);
    EXPECT_EQ(head["header"]["minZoom"], 6);
    EXPECT_EQ(head["header"]["maxZoom"], 7);
    EXPECT_EQ(head["header"]["clustered"], true);
    EXPECT_EQ(head["header"]["tileType"], 2);  // png
    EXPECT_NEAR(head["header"]["minLon"].get<double>(), -120.0, 1e-6);
    EXPECT_NEAR(head["header"]["maxLat"].get<double>(), 45.0, 1e-6);
    EXPECT_EQ(head["header"]["numAddressedTiles"], folder.size());
    // Identical tiles (solid colours) are stored once.
    EXPECT_LT(head["header"]["numTileContents"].get<std::size_t>(), folder.size());
    EXPECT_EQ(head["metadata"]["legend"]["title"], "Agreements");
    for (const auto& t : asked) {
        ASSERT_TRUE(std::getline(lines, line));
        EXPECT_EQ(base64_decode(line), folder.at(t)) << choro::geo::to_string(t);
    }
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line, "-");
}

TEST_F(Outputs, PmtilesWithLeafDirectoriesReadBack) {
    if (!choro::tiles_test::have_node_modules()) {
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
    }
    // 6000 distinct tiles (any bytes do: PMTiles does not look inside) make a root directory
    // too large for the first 16 KiB, so the writer must split it into leaf directories.
    const auto mb = m_dir / "leaf.mbtiles";
    TileMap tiles;
    {
        auto sink = choro::render::detail::open_sink(mb);
        std::vector<choro::render::detail::EncodedTile> batch;
        for (std::uint32_t i = 0; i < 6000; ++i) {
            const TileId t{7, i % 128, (i / 128) * 2};
            const std::string bytes = "tile " + std::to_string(i) + std::string(i % 13, 'x');
            tiles[t] = bytes;
            batch.push_back({t, bytes});
        }
        sink->write({7, 0, 0}, batch);
        auto i = info();
        i.min_zoom = 7;
        i.max_zoom = 7;
        i.bounds.min = {-180, -85};
        i.bounds.max = {180, 85};
        sink->finish(i);
        choro::render::detail::write_pmtiles(mb, m_dir / "leaf.pmtiles", i);
    }
    const auto pm = m_dir / "leaf.pmtiles";
    std::string queries;
    std::vector<TileId> asked;
    std::size_t i = 0;
    for (const auto& [t, png] : tiles) {
        if (i++ % 7 == 0) {
            queries += std::to_string(t.z) + " " + std::to_string(t.x) + " " + std::to_string(t.y) + "\n";
            asked.push_back(t);
        }
    }
    queries += "7 5 1\n";  // odd rows hold no tile
    const std::string out = choro::tiles_test::shell(
        "cd '" + choro::tiles_test::js_dir().string() + "' && node pmtiles_read.mjs '" + pm.string() + "'", queries);
    std::istringstream lines(out);
    std::string line;
    ASSERT_TRUE(std::getline(lines, line));
    const auto head = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(head.is_discarded()) << out.substr(0, 400);
    EXPECT_GT(head["header"]["leafDirectoryLength"].get<std::size_t>(), 0u) << "expected leaf directories";
    EXPECT_EQ(head["header"]["numTileContents"], 6000);
    for (const auto& t : asked) {
        ASSERT_TRUE(std::getline(lines, line));
        EXPECT_EQ(base64_decode(line), tiles.at(t)) << choro::geo::to_string(t);
    }
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line, "-");
}

TEST_F(Outputs, TileJsonDescribesTheSet) {
    auto i = info();
    i.min_zoom = 2;
    i.max_zoom = 6;
    i.bounds.min = {-120, 30};
    i.bounds.max = {-80, 45};
    const auto j = nlohmann::json::parse(choro::render::tilejson(i, "{z}/{x}/{y}.png"));
    EXPECT_EQ(j["tilejson"], "3.0.0");
    EXPECT_EQ(j["tiles"][0], "{z}/{x}/{y}.png");
    EXPECT_EQ(j["minzoom"], 2);
    EXPECT_EQ(j["maxzoom"], 6);
    EXPECT_EQ(j["bounds"], nlohmann::json({-120.0, 30.0, -80.0, 45.0}));
    EXPECT_EQ(j["center"], nlohmann::json({-100.0, 37.5, 4}));
    // TileJSON 3.0.0's legend is a string; the legend as data sits beside it.
    EXPECT_EQ(j["legend"], "Agreements\n1-3 (#d7301f)\nDeclined (#000000)");
    EXPECT_EQ(j["choro_legend"]["items"][0]["label"], "1-3");
    EXPECT_EQ(j["choro_legend"]["items"][1]["swatch"], "hatch");
    EXPECT_TRUE(choro::tiles_test::tilejson_problems(j).empty()) << choro::tiles_test::tilejson_problems(j);
    // With a base URL the tile URLs are absolute, as 3.0.0 asks.
    i.base_url = "https://example.org/us/";
    EXPECT_EQ(nlohmann::json::parse(choro::render::tilejson(i, "{z}/{x}/{y}.png"))["tiles"][0],
              "https://example.org/us/{z}/{x}/{y}.png");
    // A label cannot close the script element of the preview.
    i.name = "</script><b>x";
    EXPECT_EQ(choro::render::preview_html(i, "{z}/{x}/{y}.png").find("</script><b>"), std::string::npos);
}

TEST_F(Outputs, ShardsMergeIntoTheSameSetAsOneRun) {
    const auto one_pm = m_dir / "one.pmtiles";
    const auto one_mb = m_dir / "one.mbtiles";
    (void)choro::render::render_tiles(m_scene, m_style, options(), one_pm, info());
    (void)choro::render::render_tiles(m_scene, m_style, options(), one_mb, info());
    const auto set = m_dir / "set.pmtiles";
    std::vector<fs::path> parts;
    std::uint64_t total = 0;
    for (int i = 0; i < 3; ++i) {
        auto o = options();
        o.shard_index = i;
        o.shard_count = 3;
        const auto stats = choro::render::render_tiles(m_scene, m_style, o, set, info());
        EXPECT_GT(stats.tiles, 0u) << "shard " << i << " got no work";
        total += stats.tiles;
        parts.push_back(choro::render::shard_part_path(set, i, 3));
        EXPECT_TRUE(fs::exists(parts.back()));
    }
    EXPECT_FALSE(fs::exists(set)) << "a shard must not write the whole set";
    EXPECT_EQ(parts[1].filename().string(), "set.pmtiles.part-0001-of-0003.mbtiles");
    choro::render::merge_tiles(parts, set);
    EXPECT_TRUE(choro::test::read_file(set) == choro::test::read_file(one_pm)) << "merged PMTiles differ from one run";
    const auto merged_mb = m_dir / "merged.mbtiles";
    choro::render::merge_tiles(parts, merged_mb);
    EXPECT_EQ(read_mbtiles(merged_mb), read_mbtiles(one_mb));
    // MBTiles too, byte for byte: the merge, a rerun on one thread (tiles finish in another order)
    // and the first run are one file, which SQLite itself finds sound and holds no resume state.
    EXPECT_TRUE(choro::test::read_file(merged_mb) == choro::test::read_file(one_mb))
        << "merged MBTiles differ from one run";
    const auto rerun_mb = m_dir / "rerun.mbtiles";
    auto one_thread = options();
    one_thread.threads = 1;
    (void)choro::render::render_tiles(m_scene, m_style, one_thread, rerun_mb, info());
    EXPECT_TRUE(choro::test::read_file(rerun_mb) == choro::test::read_file(one_mb))
        << "a rerun's MBTiles differ from the first run";
    const auto sql = [](const fs::path& mb, const std::string& q) {
        return choro::tiles_test::shell("sqlite3 '" + mb.string() + "' \"" + q + "\"");
    };
    EXPECT_EQ(sql(merged_mb, "PRAGMA integrity_check"), "ok\n");
    EXPECT_EQ(sql(merged_mb, "SELECT type || ' ' || name FROM sqlite_master ORDER BY 1"),
              "index images_id\nindex map_index\nindex name\ntable images\ntable map\ntable metadata\nview tiles\n");
    EXPECT_EQ(sql(parts[0], "SELECT count(*) FROM choro_job"), "1\n") << "a part keeps its job for merge";

    // Errors: a missing part, a part twice, a part of another run, a file that is not a part.
    EXPECT_THROW(choro::render::merge_tiles({parts[0], parts[1]}, m_dir / "x.pmtiles"), choro::InputError);
    EXPECT_THROW(choro::render::merge_tiles({parts[0], parts[0], parts[1]}, m_dir / "x.pmtiles"), choro::InputError);
    EXPECT_THROW(choro::render::merge_tiles({parts[0], parts[1], m_dir / "nope.mbtiles"}, m_dir / "x.pmtiles"),
                 choro::InputError);
    EXPECT_THROW(choro::render::merge_tiles({one_mb}, m_dir / "x.pmtiles"), choro::InputError);
    auto other = options(4);
    other.shard_index = 2;
    other.shard_count = 3;
    (void)choro::render::render_tiles(m_scene, m_style, other, m_dir / "other.pmtiles", info());
    try {
        choro::render::merge_tiles({parts[0], parts[1], choro::render::shard_part_path(m_dir / "other.pmtiles", 2, 3)},
                                   m_dir / "x.pmtiles");
        FAIL() << "expected InputError";
    } catch (const choro::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("differs"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(m_dir / "x.pmtiles"));
}

TEST_F(Outputs, AnInterruptedRunResumesAndLeavesNoCorruptOutput) {
    for (const char* name : {"r.pmtiles", "r.mbtiles", "rdir"}) {
        SCOPED_TRACE(name);
        const auto out = m_dir / name;
        const auto reference = m_dir / (std::string("ref-") + name);
        (void)choro::render::render_tiles(m_scene, m_style, options(), reference, info());
        auto o = options();
        int calls = 0;
        o.progress = [&](const choro::render::TileProgress&) {
            if (++calls == 6) {
                throw std::runtime_error("killed");
            }
        };
        EXPECT_THROW((void)choro::render::render_tiles(m_scene, m_style, o, out, info()), std::runtime_error);
        EXPECT_FALSE(fs::exists(out)) << "an unfinished output must not appear";
        o.progress = nullptr;
        const auto stats = choro::render::render_tiles(m_scene, m_style, o, out, info());
        EXPECT_GT(stats.resumed, 0u);
        EXPECT_LT(stats.metatiles, stats.metatiles + 6u);
        if (std::string(name) == "r.pmtiles") {
            EXPECT_TRUE(choro::test::read_file(out) == choro::test::read_file(reference));
        } else if (std::string(name) == "r.mbtiles") {
            EXPECT_EQ(read_mbtiles(out), read_mbtiles(reference));
            EXPECT_TRUE(choro::test::read_file(out) == choro::test::read_file(reference))
                << "a resumed MBTiles differs from an uninterrupted run";
        } else {
            EXPECT_EQ(read_folder(out), read_folder(reference));
        }
    }
}

TEST_F(Outputs, PreviewPageShowsTilesInHeadlessChromium) {
    const fs::path leaflet = choro::tiles_test::js_dir() / "node_modules" / "leaflet" / "dist";
    if (!fs::exists(leaflet) || std::system("command -v chromium > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "needs tests/js/node_modules (npm ci --prefix tests/js) and the chromium package";
    }
    const auto dir = m_dir / "site";
    const auto stats = choro::render::render_tiles(m_scene, m_style, options(5), dir, info());
    EXPECT_EQ(stats.path, dir);
    // The sink wrote the page and Leaflet (embedded in choro: the same bytes as the pinned npm files).
    EXPECT_EQ(choro::test::read_file(dir / "leaflet" / "leaflet.js"), choro::test::read_file(leaflet / "leaflet.js"));
    EXPECT_EQ(choro::test::read_file(dir / "leaflet" / "leaflet.css"), choro::test::read_file(leaflet / "leaflet.css"));
    EXPECT_TRUE(fs::exists(dir / "tiles.json"));
    const auto shot = m_dir / "shot.png";
    (void)choro::tiles_test::shell(
        "chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files "
        "--virtual-time-budget=4000 --window-size=800,600 --screenshot='" +
        shot.string() + "' 'file://" + (dir / "index.html").string() + "'");
    ASSERT_TRUE(fs::exists(shot));
    const auto img = choro::render::decode_png(choro::test::read_file(shot));
    // The page background is #f4f6f8; the tiles bring the feature fills. Count red and green pixels.
    std::size_t red = 0;
    std::size_t green = 0;
    for (std::size_t k = 0; k < img.rgba.size(); k += 4) {
        const int r = img.rgba[k];
        const int g = img.rgba[k + 1];
        const int b = img.rgba[k + 2];
        red += (std::abs(r - 215) < 6 && std::abs(g - 48) < 6 && std::abs(b - 31) < 6) ? 1 : 0;
        green += (std::abs(r - 116) < 6 && std::abs(g - 196) < 6 && std::abs(b - 118) < 6) ? 1 : 0;
    }
    EXPECT_GT(red, 1000u) << "no tiles visible in " << shot;
    EXPECT_GT(green, 1000u) << "no tiles visible in " << shot;
    // And the legend is on the page.
    EXPECT_NE(choro::test::read_file(dir / "index.html").find("Agreements"), std::string::npos);
}

}  // namespace
