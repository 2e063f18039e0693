// The sinks' own guarantees: metadata written by every sink (a merge into a folder gets a valid
// TileJSON 3.0.0), deduplication that survives hash collisions, merge refusing parts of other
// jobs, and folder outputs that appear whole and never mix two jobs' tiles.

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../../render/src/tiles/tiles_internal.hpp"  // open_sink with an injected hash, content_hash
#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/render/tiles.hpp"

namespace {

namespace fs = std::filesystem;
using choro::tiles_test::read_folder;
using choro::tiles_test::read_mbtiles;
using choro::tiles_test::TileMap;

choro::render::TileOptions options(int max_zoom = 4) {
    choro::render::TileOptions o;
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
    i.legend = {{choro::styles::Swatch::fill, {215, 48, 31, 255}, "1-3", 2},
                {choro::styles::Swatch::overlay_hatch, {40, 40, 40, 200}, "State ban", 0}};
    return i;
}

class Sinks : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = choro::test::temp_dir();
        m_scene = choro::tiles_test::make_scene();
    }
    // Renders shard parts of `scene` with `o` for `out`; returns their paths.
    std::vector<fs::path> parts(const choro::pipeline::Scene& scene,
                                choro::render::TileOptions o,
                                const fs::path& out,
                                int count) {
        std::vector<fs::path> paths;
        for (int i = 0; i < count; ++i) {
            o.shard_index = i;
            o.shard_count = count;
            paths.push_back(choro::render::render_tiles(scene, m_style, o, out, info()).path);
        }
        return paths;
    }
    fs::path m_dir;
    choro::pipeline::Scene m_scene;
    choro::styles::StyleSettings m_style;
};

TEST_F(Sinks, MergeIntoAFolderWritesAValidTileJsonAndPreview) {
    const auto one = m_dir / "one";
    const auto stats = choro::render::render_tiles(m_scene, m_style, options(), one, info());
    const auto set = m_dir / "set";
    const auto merged = choro::render::merge_tiles(parts(m_scene, options(), m_dir / "set.mbtiles", 3), set);
    EXPECT_EQ(read_folder(set), read_folder(one));
    // The tile set described by the merge is the one the single run wrote.
    EXPECT_EQ(merged.bounds.min.x, stats.tileset.bounds.min.x);
    EXPECT_EQ(merged.bounds.max.y, stats.tileset.bounds.max.y);
    EXPECT_EQ(choro::render::detail::metadata_json(merged), choro::render::detail::metadata_json(stats.tileset));
    for (const char* file : {"tiles.json", "metadata.json", "index.html", "leaflet/leaflet.js", "leaflet/LICENSE"}) {
        EXPECT_TRUE(fs::exists(set / file)) << file;
        EXPECT_EQ(choro::test::read_file(set / file), choro::test::read_file(one / file)) << file;
    }
    const auto j = nlohmann::json::parse(choro::test::read_file(set / "tiles.json"), nullptr, false);
    EXPECT_EQ(choro::tiles_test::tilejson_problems(j), "");
    EXPECT_EQ(j["tiles"][0], "{z}/{x}/{y}.png");
    EXPECT_EQ(j["minzoom"], 0);
    EXPECT_EQ(j["maxzoom"], 4);
    // The bounds of the data (-120..-80, 30..45), rounded in one place for every format.
    EXPECT_EQ(j["bounds"], nlohmann::json({-120.0, 30.0, -80.0, 45.0}));
    EXPECT_EQ(j["choro_legend"]["items"][1]["color"], "#282828c8");
    EXPECT_FALSE(fs::exists(m_dir / "set.partial"));
}

TEST_F(Sinks, BoundsAreClampedAndRoundedOnce) {
    {
        choro::geo::Box<choro::geo::LonLat> b;
        b.min = {-200.0, -89.0};
        b.max = {-80.12345678, 89.0};
        const auto r = choro::render::tileset_bounds(b);
        EXPECT_EQ(r.min.x, -180.0);
        EXPECT_NEAR(r.min.y, -choro::geo::web_mercator_max_lat, 1e-6);
        EXPECT_EQ(r.max.x, -80.123457);
        EXPECT_NEAR(r.max.y, choro::geo::web_mercator_max_lat, 1e-6);
    }
}

TEST_F(Sinks, HashCollisionsStillStoreEveryTileCorrectly) {
    // Real tiles (solid, hatched, edges) plus arbitrary ones; every hash collides.
    const auto folder = m_dir / "f";
    (void)choro::render::render_tiles(m_scene, m_style, options(6), folder, info());
    TileMap tiles = read_folder(folder);
    tiles[{6, 0, 0}] = "not a png";
    tiles[{6, 1, 0}] = "not a png";  // a real duplicate under a colliding hash
    ASSERT_GT(tiles.size(), 20u);
    auto write = [&](const fs::path& out, const choro::render::detail::TileHash& hash) {
        auto sink = choro::render::detail::open_sink(out, {.shard = {}, .fingerprint = "test", .hash = hash});
        std::vector<choro::render::detail::EncodedTile> batch;
        for (const auto& [id, png] : tiles) {
            batch.push_back({id, png});
        }
        sink->write({6, 0, 0}, batch);
        auto i = info();
        i.min_zoom = 0;
        i.max_zoom = 6;
        i.bounds = {{-120, 30}, {-80, 45}};
        sink->finish(i);
        return i;
    };
    const auto colliding = m_dir / "colliding.mbtiles";
    const auto normal = m_dir / "normal.mbtiles";
    const auto i = write(colliding, [](std::string_view) { return std::string("0123456789abcdef"); });
    (void)write(normal, {});
    EXPECT_EQ(read_mbtiles(colliding), tiles);
    EXPECT_EQ(read_mbtiles(normal), tiles);
    // Finished files are whole: no temporary, journal or WAL left beside them.
    for (const auto& e : fs::directory_iterator(m_dir)) {
        const std::string name = e.path().filename().string();
        EXPECT_TRUE(name == "f" || name == "colliding.mbtiles" || name == "normal.mbtiles") << name;
    }
    // Stored once per distinct content either way.
    const auto distinct = [&](const fs::path& mb) {
        return choro::tiles_test::shell("sqlite3 '" + mb.string() + "' 'SELECT COUNT(*) FROM images'");
    };
    EXPECT_EQ(distinct(colliding), distinct(normal));
    // And the PMTiles built from each are the same bytes.
    choro::render::detail::write_pmtiles(colliding, m_dir / "colliding.pmtiles", i);
    choro::render::detail::write_pmtiles(normal, m_dir / "normal.pmtiles", i);
    EXPECT_TRUE(choro::test::read_file(m_dir / "colliding.pmtiles") ==
                choro::test::read_file(m_dir / "normal.pmtiles"));
}

TEST_F(Sinks, ContentHashIsXxh3Of128Bits) {
    // XXH3-128 of the empty input and of "abc", from the xxHash reference tool when present.
    if (std::system("command -v xxhsum > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "xxhsum (Debian package xxhash) not installed";
    }
    for (const std::string text : {"", "abc", "choro tiles"}) {
        const auto out = choro::tiles_test::shell("xxhsum -H2 -", text);
        EXPECT_EQ(out.substr(0, 32), choro::render::detail::content_hash(text)) << out;
    }
}

TEST_F(Sinks, MergeRefusesPartsOfAnotherJobNamingThePart) {
    const auto good = parts(m_scene, options(), m_dir / "a.pmtiles", 2);
    // Other data (one fill changed), same zooms and metadata.
    auto other_scene = m_scene;
    other_scene.fills[1] = {0, 0, 0, 255};
    const auto other_data = parts(other_scene, options(), m_dir / "b.pmtiles", 2);
    // Another metatile.
    auto o = options();
    o.metatile = 4;
    const auto other_metatile = parts(m_scene, o, m_dir / "c.pmtiles", 2);
    for (const auto& stranger : {other_data[1], other_metatile[1]}) {
        SCOPED_TRACE(stranger.string());
        try {
            (void)choro::render::merge_tiles({good[0], stranger}, m_dir / "x.pmtiles");
            FAIL() << "expected InputError";
        } catch (const choro::InputError& e) {
            EXPECT_NE(std::string(e.what()).find(stranger.string()), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("another job"), std::string::npos) << e.what();
        }
        EXPECT_FALSE(fs::exists(m_dir / "x.pmtiles"));
    }
    // A part as the merge's own output is refused, and the part left alone.
    const auto before = choro::test::read_file(good[0]);
    EXPECT_THROW((void)choro::render::merge_tiles(good, good[0]), choro::InputError);
    EXPECT_TRUE(choro::test::read_file(good[0]) == before);
    EXPECT_NO_THROW((void)choro::render::merge_tiles(good, m_dir / "a.pmtiles"));
}

TEST_F(Sinks, AFolderRunReplacesAnotherJobsFolderWhole) {
    const auto dir = m_dir / "site";
    (void)choro::render::render_tiles(m_scene, m_style, options(5), dir, info());
    auto other = m_scene;
    other.features.resize(1);
    other.fills.resize(1);
    other.highlighted.resize(1);
    other.bounds.extend(choro::geo::lonlat_to_mercator({-100, 30}));
    other.bounds.extend(choro::geo::lonlat_to_mercator({-90, 40}));
    (void)choro::render::render_tiles(other, m_style, options(3), dir, info());
    const auto fresh = m_dir / "fresh";
    (void)choro::render::render_tiles(other, m_style, options(3), fresh, info());
    EXPECT_EQ(read_folder(dir), read_folder(fresh)) << "stale tiles of the first job were kept";
    EXPECT_EQ(choro::test::read_file(dir / "tiles.json"), choro::test::read_file(fresh / "tiles.json"));
    EXPECT_FALSE(fs::exists(m_dir / "site.partial"));
    EXPECT_FALSE(fs::exists(m_dir / "site.old"));
    // "site/" is the same folder: its temporary sits beside it, not inside.
    (void)choro::render::render_tiles(other, m_style, options(3), m_dir / "site" / "", info());
    EXPECT_EQ(read_folder(dir), read_folder(fresh));
    EXPECT_FALSE(fs::exists(dir / ".partial"));
}

TEST_F(Sinks, AFolderOfOtherFilesOrAFileIsRefusedAndLeftAlone) {
    const auto docs = m_dir / "docs";
    choro::test::write_file(docs / "notes.txt", "mine");
    fs::create_directories(docs / "3");
    try {
        (void)choro::render::render_tiles(m_scene, m_style, options(2), docs, info());
        FAIL() << "expected RenderError";
    } catch (const choro::RenderError& e) {
        EXPECT_NE(std::string(e.what()).find("notes.txt"), std::string::npos) << e.what();
    }
    EXPECT_EQ(choro::test::read_file(docs / "notes.txt"), "mine");
    const auto file = choro::test::write_file(m_dir / "plain", "a file");
    EXPECT_THROW((void)choro::render::render_tiles(m_scene, m_style, options(2), file, info()), choro::RenderError);
    EXPECT_EQ(choro::test::read_file(file), "a file");
    fs::create_directories(m_dir / "d.mbtiles");
    EXPECT_THROW((void)choro::render::render_tiles(m_scene, m_style, options(2), m_dir / "d.mbtiles", info()),
                 choro::RenderError);
}

TEST_F(Sinks, AKilledFolderRunLeavesThePreviousOutputAndResumes) {
    const auto dir = m_dir / "site";
    (void)choro::render::render_tiles(m_scene, m_style, options(5), dir, info());
    const TileMap previous = read_folder(dir);
    const std::string previous_json = choro::test::read_file(dir / "tiles.json");
    auto other = m_scene;
    other.fills[0] = {10, 20, 30, 255};
    auto o = options(5);
    int calls = 0;
    o.progress = [&](const choro::render::TileProgress&) {
        if (++calls == 6) {
            throw std::runtime_error("killed");
        }
    };
    EXPECT_THROW((void)choro::render::render_tiles(other, m_style, o, dir, info()), std::runtime_error);
    EXPECT_EQ(read_folder(dir), previous);
    EXPECT_EQ(choro::test::read_file(dir / "tiles.json"), previous_json);
    EXPECT_TRUE(fs::exists(m_dir / "site.partial"));
    o.progress = nullptr;
    const auto stats = choro::render::render_tiles(other, m_style, o, dir, info());
    EXPECT_GT(stats.resumed, 0u);
    const auto fresh = m_dir / "fresh";
    (void)choro::render::render_tiles(other, m_style, options(5), fresh, info());
    EXPECT_EQ(read_folder(dir), read_folder(fresh));
    EXPECT_FALSE(fs::exists(m_dir / "site.partial"));
}

TEST_F(Sinks, InvalidDescriptionsAreRefusedBeforeAnythingAppears) {
    const auto out = m_dir / "nan.mbtiles";
    auto sink = choro::render::detail::open_sink(out);
    sink->write({0, 0, 0}, {{{0, 0, 0}, "tile"}});
    auto i = info();
    i.bounds = {{std::nan(""), 30}, {-80, 40}};
    EXPECT_THROW(sink->finish(i), choro::JobError);
    EXPECT_FALSE(fs::exists(out));
    i.bounds = {{-120, 30}, {-80, 40}};
    i.min_zoom = 5;
    i.max_zoom = 2;
    EXPECT_THROW(sink->finish(i), choro::JobError);
    EXPECT_FALSE(fs::exists(out));
}

}  // namespace
