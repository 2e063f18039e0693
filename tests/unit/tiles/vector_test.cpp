// Vector tiles (choro tiles --format mvt) of the real US counties, decoded by an independent
// decoder (npm @mapbox/vector-tile + pbf, tests/js/mvt_read.mjs): properties against the source
// file and the values table, z7 geometry against the source read by GDAL and projected here with
// the spherical Mercator formula, every county present, polygons valid (GEOS) and wound as the
// spec says, tile sizes under the limit, byte-identical runs, MBTiles/PMTiles/folder metadata,
// shards merged equal to one run, and the size limit enforced by coarser simplification.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <numbers>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../../../render/src/tiles/tiles_internal.hpp"  // gzip, gunzip
#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <geos_c.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "choro/geo/error.hpp"
#include "choro/geo/tile.hpp"
#include "choro/render/tiles.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr double extent = 4096;
constexpr double buffer = 64;

fs::path atlas(const char* file) {
    return choro::test::shared_data_dir() / "reference" / "us-atlas-3.0.1" / file;
}

bool ready() {
    return fs::exists(atlas("counties-10m.json")) &&
           fs::exists(choro::tiles_test::js_dir() / "node_modules" / "@mapbox" / "vector-tile");
}

std::vector<Json> decode(const fs::path& dir, const std::string& zooms = "") {
    const std::string out = choro::tiles_test::shell("cd '" + choro::tiles_test::js_dir().string() +
                                                     "' && node mvt_read.mjs '" + dir.string() + "' " + zooms);
    std::vector<Json> tiles;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        auto j = Json::parse(line, nullptr, false);
        if (j.is_discarded()) {
            ADD_FAILURE() << "not JSON: " << line.substr(0, 300);
            break;
        }
        tiles.push_back(std::move(j));
    }
    return tiles;
}

struct Point {
    double x, y;
};
using Ring = std::vector<Point>;

// Twice the signed area in tile coordinates (y down): positive = an exterior ring (spec 4.3.4.4).
double area2(const Ring& r) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
    }
    return a;
}

Ring ring_of(const Json& j) {
    Ring r;
    for (const auto& p : j) {
        r.push_back({p[0].get<double>(), p[1].get<double>()});
    }
    if (!r.empty() && (r.front().x != r.back().x || r.front().y != r.back().y)) {
        r.push_back(r.front());
    }
    return r;
}

// "" when the feature's rings form valid OGC polygons wound as MVT 2.1 says; else why not.
std::string polygon_problems(const Json& rings) {
    GEOSContextHandle_t h = GEOS_init_r();
    std::vector<std::vector<Ring>> polygons;
    for (const auto& rj : rings) {
        const Ring r = ring_of(rj);
        if (r.size() < 4) {
            GEOS_finish_r(h);
            return "a ring of fewer than 3 points";
        }
        const double a = area2(r);
        if (a == 0) {
            GEOS_finish_r(h);
            return "a ring without area";
        }
        if (a > 0) {
            polygons.push_back({r});
        } else if (polygons.empty()) {
            GEOS_finish_r(h);
            return "the first ring is not an exterior (winding)";
        } else {
            polygons.back().push_back(r);
        }
    }
    std::vector<GEOSGeometry*> parts;
    for (const auto& poly : polygons) {
        std::vector<GEOSGeometry*> lr;
        for (const auto& r : poly) {
            std::vector<double> xy;
            for (const auto& p : r) {
                xy.push_back(p.x);
                xy.push_back(p.y);
            }
            lr.push_back(GEOSGeom_createLinearRing_r(
                h, GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), static_cast<unsigned>(r.size()), 0, 0)));
        }
        parts.push_back(
            GEOSGeom_createPolygon_r(h, lr[0], lr.size() > 1 ? &lr[1] : nullptr, static_cast<unsigned>(lr.size() - 1)));
    }
    GEOSGeometry* mp =
        GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size()));
    std::string why;
    if (GEOSisValid_r(h, mp) != 1) {
        char* reason = GEOSisValidReason_r(h, mp);
        why = reason != nullptr ? reason : "invalid";
        GEOSFree_r(h, reason);
    }
    GEOSGeom_destroy_r(h, mp);
    GEOS_finish_r(h);
    return why;
}

// The source: counties-10m.json read by GDAL, in lon/lat.
struct Source {
    std::map<std::string, std::string> names;                     // id → name
    std::map<std::string, std::vector<std::vector<Ring>>> rings;  // id → polygons → rings (lon/lat)
};

Source read_source() {
    GDALAllRegister();
    Source s;
    GDALDataset* ds = GDALDataset::Open(atlas("counties-10m.json").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY);
    if (ds == nullptr) {
        ADD_FAILURE() << "GDAL cannot open counties-10m.json";
        return s;
    }
    OGRLayer* layer = ds->GetLayerByName("counties");
    for (auto& feature : *layer) {
        const std::string id = feature->GetFieldAsString("id");
        s.names[id] = feature->GetFieldAsString("name");
        const OGRGeometry* g = feature->GetGeometryRef();
        if (g == nullptr) {
            continue;
        }
        auto add_polygon = [&](const OGRPolygon* p) {
            if (p->IsEmpty()) {
                return;
            }
            std::vector<Ring> poly;
            for (int k = -1; k < p->getNumInteriorRings(); ++k) {
                const OGRLinearRing* r = k < 0 ? p->getExteriorRing() : p->getInteriorRing(k);
                Ring ring;
                for (int i = 0; i < r->getNumPoints(); ++i) {
                    ring.push_back({r->getX(i), r->getY(i)});
                }
                poly.push_back(std::move(ring));
            }
            s.rings[id].push_back(std::move(poly));
        };
        if (wkbFlatten(g->getGeometryType()) == wkbPolygon) {
            add_polygon(g->toPolygon());
        } else if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon) {
            for (const auto* p : *g->toMultiPolygon()) {
                add_polygon(p);
            }
        }
    }
    GDALClose(ds);
    return s;
}

// Spherical Mercator to world units at zoom z (x right, y down), written out here.
Point world(const Point& lonlat, int z) {
    const double size = extent * std::pow(2.0, z);
    const double lat = std::clamp(lonlat.y, -85.0511287798066, 85.0511287798066) * std::numbers::pi / 180.0;
    return {(lonlat.x + 180.0) / 360.0 * size,
            (1.0 - std::log(std::tan(lat) + 1.0 / std::cos(lat)) / std::numbers::pi) / 2.0 * size};
}

double segment_distance(const Point& p, const Point& a, const Point& b) {
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

double distance_to(const Point& p, const std::vector<Ring>& rings) {
    double best = 1e300;
    for (const auto& r : rings) {
        for (std::size_t i = 0; i + 1 < r.size(); ++i) {
            best = std::min(best, segment_distance(p, r[i], r[i + 1]));
        }
    }
    return best;
}

struct UsRun {
    fs::path dir;
    fs::path values;
    fs::path job;
    std::map<std::string, double> value;  // key → value in the table
};

// A job over the real counties and states, values for two counties in three, and the shared
// holdouts table for the highlights.
UsRun make_us_job() {
    UsRun run;
    run.dir = choro::test::temp_dir();
    std::string csv = "county_fips,agreements\n";
    const Source src = read_source();
    int i = 0;
    for (const auto& [id, name] : src.names) {
        if (++i % 3 != 0) {
            const double v = (i * 7) % 11;
            run.value[id] = v;
            csv += id + "," + std::to_string(static_cast<int>(v)) + "\n";
        }
    }
    run.values = choro::test::write_file(run.dir / "values.csv", csv);
    run.job =
        choro::test::write_file(run.dir / "job.toml",
                                "[boundaries]\nsource = \"" + atlas("counties-10m.json").string() +
                                    "\"\nlayer = \"counties\"\nsrs = \"EPSG:4326\"\n"
                                    "[overlay]\nsource = \"" +
                                    atlas("states-10m.json").string() +
                                    "\"\nlayer = \"states\"\nsrs = \"EPSG:4326\"\n"
                                    "[values]\nsource = \"" +
                                    run.values.string() +
                                    "\"\nkey = \"county_fips\"\nvalue = \"agreements\"\n"
                                    "[highlight]\nsource = \"" +
                                    (choro::test::shared_data_dir() / "holdouts" / "documented_holdouts.csv").string() +
                                    "\"\nkey = \"county_fips\"\nstate_key = \"state_abbr\"\n"
                                    "[classify]\nmethod = \"manual\"\nbreaks = [1, 2, 4, 8]\n"
                                    "[map]\ntitle = \"Vector test\"\nlegend_title = \"Agreements\"\n");
    return run;
}

std::vector<std::string> mvt_args(const UsRun& run, const std::string& zoom, const fs::path& out) {
    return {"tiles", run.job.string(), "--zoom", zoom, "--format", "mvt", "-q", "-o", out.string()};
}

class VectorUs : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!ready()) {
            return;
        }
        s_run = new UsRun(make_us_job());
        s_source = new Source(read_source());
        const auto r = choro::test::run_choro(mvt_args(*s_run, "0-10", s_run->dir / "tiles"));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        s_ok = true;
    }
    static void TearDownTestSuite() {
        delete s_run;
        delete s_source;
        s_run = nullptr;
        s_source = nullptr;
    }
    void SetUp() override {
        if (!ready()) {
            GTEST_SKIP() << "needs ../shared/data/reference/us-atlas-3.0.1 and tests/js/node_modules "
                            "(npm ci --prefix tests/js)";
        }
        ASSERT_TRUE(s_ok) << "the z0-10 run failed";
    }
    static inline UsRun* s_run = nullptr;
    static inline Source* s_source = nullptr;
    static inline bool s_ok = false;
};

TEST_F(VectorUs, DecodedPropertiesMatchTheSourceAndTheTable) {
    const auto tiles = decode(s_run->dir / "tiles", "5");
    ASSERT_FALSE(tiles.empty());
    std::map<double, std::set<int>> classes_of_value;
    std::size_t highlighted = 0;
    std::size_t banned = 0;
    for (const auto& t : tiles) {
        ASSERT_TRUE(t["layers"].contains("features")) << t["z"] << "/" << t["x"] << "/" << t["y"];
        for (const auto& [name, layer] : t["layers"].items()) {
            EXPECT_TRUE(name == "features" || name == "overlay") << name;
            EXPECT_EQ(layer["version"], 2);
            EXPECT_EQ(layer["extent"], 4096);
        }
        for (const auto& f : t["layers"]["features"]["features"]) {
            EXPECT_EQ(f["type"], 3);  // polygon
            const auto& p = f["properties"];
            const std::string key = p["key"].get<std::string>();
            ASSERT_TRUE(s_source->names.count(key)) << key;
            EXPECT_EQ(p["name"], s_source->names.at(key)) << key;
            const auto v = s_run->value.find(key);
            if (v == s_run->value.end()) {
                EXPECT_FALSE(p.contains("value")) << key;
                EXPECT_EQ(p["class"], -2) << key;  // no data
            } else {
                ASSERT_TRUE(p.contains("value")) << key;
                EXPECT_EQ(p["value"].get<double>(), v->second) << key;
                classes_of_value[v->second].insert(p["class"].get<int>());
            }
            if (p.contains("highlight")) {
                ++highlighted;
                EXPECT_FALSE(p["highlight"].get<std::string>().empty());
                EXPECT_TRUE(p["mark"] == "hatch" || p["mark"] == "partial_hatch") << p;
            }
        }
        if (t["layers"].contains("overlay")) {
            for (const auto& f : t["layers"]["overlay"]["features"]) {
                if (f["properties"].contains("ban")) {
                    ++banned;
                    EXPECT_TRUE(f["properties"]["mark"] == "overlay_hatch" ||
                                f["properties"]["mark"] == "overlay_enacted");
                }
            }
        }
    }
    // One class per value, and classes grow with the value (breaks 1, 2, 4, 8).
    int last = -100;
    for (const auto& [value, classes] : classes_of_value) {
        EXPECT_EQ(classes.size(), 1U) << value;
        EXPECT_GE(*classes.begin(), last) << value;
        last = *classes.begin();
    }
    EXPECT_GT(highlighted, 0U) << "the holdouts table marks counties";
    EXPECT_GT(banned, 0U) << "the holdouts table marks state bans";
}

TEST_F(VectorUs, EveryCountyIsInSomeTileAtZ7AndZ0) {
    for (const char* zoom : {"7", "0"}) {
        std::set<std::string> keys;
        for (const auto& t : decode(s_run->dir / "tiles", zoom)) {
            for (const auto& f : t["layers"]["features"]["features"]) {
                keys.insert(f["properties"]["key"].get<std::string>());
            }
        }
        std::set<std::string> expected;
        for (const auto& [id, rings] : s_source->rings) {
            expected.insert(id);
        }
        EXPECT_EQ(keys, expected) << "zoom " << zoom;
    }
}

TEST_F(VectorUs, GeometryAtZ7MatchesTheSourceWithinTheQuantisationError) {
    constexpr int z = 7;
    // Simplification (1 unit) plus rounding to the grid (half a unit in x and y), and a margin.
    constexpr double tolerance = 1.0 + std::numbers::sqrt2 / 2 + 0.2;
    std::map<std::string, std::vector<std::vector<Ring>>> sample;  // every 40th county, not across 180°
    int i = 0;
    for (const auto& [id, polygons] : s_source->rings) {
        if (i++ % 40 != 0 || id.rfind("02", 0) == 0) {
            continue;
        }
        auto& out = sample[id];
        for (const auto& poly : polygons) {
            std::vector<Ring> rings;
            for (const auto& r : poly) {
                Ring w;
                for (const auto& p : r) {
                    w.push_back(world(p, z));
                }
                rings.push_back(std::move(w));
            }
            out.push_back(std::move(rings));
        }
    }
    ASSERT_GT(sample.size(), 60U);
    std::size_t checked = 0;
    for (const auto& t : decode(s_run->dir / "tiles", std::to_string(z))) {
        const double ox = t["x"].get<double>() * extent;
        const double oy = t["y"].get<double>() * extent;
        for (const auto& f : t["layers"]["features"]["features"]) {
            const auto it = sample.find(f["properties"]["key"].get<std::string>());
            if (it == sample.end()) {
                continue;
            }
            std::vector<Ring> source;
            for (const auto& poly : it->second) {
                source.insert(source.end(), poly.begin(), poly.end());
            }
            std::vector<Ring> tiled;
            for (const auto& rj : f["rings"]) {
                Ring r = ring_of(rj);
                for (auto& p : r) {
                    p = {p.x + ox, p.y + oy};
                }
                tiled.push_back(std::move(r));
            }
            // Every tile vertex lies on the source boundary, except where the buffer's edge cut it.
            for (const auto& r : tiled) {
                for (const auto& p : r) {
                    const double lx = p.x - ox;
                    const double ly = p.y - oy;
                    if (lx <= -buffer || lx >= extent + buffer || ly <= -buffer || ly >= extent + buffer) {
                        continue;
                    }
                    EXPECT_LE(distance_to(p, source), tolerance) << it->first << " at " << lx << "," << ly;
                    ++checked;
                }
            }
            // Every source vertex inside the tile lies on the tile's boundary of that county, but
            // the tips of spikes (an edge folding back on the previous one: no area, not valid OGC
            // rings, removed by the tiler).
            for (const auto& r : source) {
                for (std::size_t k = 0; k + 1 < r.size(); ++k) {
                    const Point& p = r[k];
                    const Point& prev = r[k == 0 ? r.size() - 2 : k - 1];
                    const Point& next = r[k + 1];
                    const double ax = prev.x - p.x;
                    const double ay = prev.y - p.y;
                    const double bx = next.x - p.x;
                    const double by = next.y - p.y;
                    if (std::abs(std::atan2(ax * by - ay * bx, ax * bx + ay * by)) < 2.0 * std::numbers::pi / 180.0) {
                        continue;
                    }
                    const double lx = p.x - ox;
                    const double ly = p.y - oy;
                    if (lx < 0 || lx > extent || ly < 0 || ly > extent) {
                        continue;
                    }
                    EXPECT_LE(distance_to(p, tiled), tolerance) << it->first << " source at " << lx << "," << ly;
                    ++checked;
                }
            }
        }
    }
    EXPECT_GT(checked, 2000U);
}

TEST_F(VectorUs, PolygonsAreValidAndWoundAsTheSpecSaysAtEveryZoomToSeven) {
    std::size_t features = 0;
    for (const auto& t : decode(s_run->dir / "tiles", "0 1 2 3 4 5 6 7")) {
        for (const auto& [name, layer] : t["layers"].items()) {
            for (const auto& f : layer["features"]) {
                ++features;
                const std::string why = polygon_problems(f["rings"]);
                EXPECT_EQ(why, "") << name << " " << f["id"] << " in " << t["z"] << "/" << t["x"] << "/" << t["y"];
            }
        }
    }
    EXPECT_GT(features, 10000U);
}

TEST_F(VectorUs, EveryTileIsUnderTheSizeLimitAtEveryZoom) {
    std::map<int, std::uintmax_t> largest;
    for (const auto& e : fs::recursive_directory_iterator(s_run->dir / "tiles")) {
        if (e.path().extension() == ".pbf") {
            const int z = std::stoi(e.path().parent_path().parent_path().filename().string());
            largest[z] = std::max(largest[z], e.file_size());
        }
    }
    ASSERT_EQ(largest.size(), 11U);
    for (const auto& [z, bytes] : largest) {
        EXPECT_LT(bytes, 500U * 1000U) << "zoom " << z;
    }
}

TEST_F(VectorUs, FolderHasTileJsonWithVectorLayers) {
    const auto j = Json::parse(choro::test::read_file(s_run->dir / "tiles" / "tiles.json"), nullptr, false);
    ASSERT_FALSE(j.is_discarded());
    EXPECT_EQ(choro::tiles_test::tilejson_problems(j), "");
    EXPECT_EQ(j["tiles"][0], "{z}/{x}/{y}.pbf");
    EXPECT_EQ(j["format"], "pbf");
    ASSERT_EQ(j["vector_layers"].size(), 2U);
    EXPECT_EQ(j["vector_layers"][0]["id"], "features");
    EXPECT_TRUE(j["vector_layers"][0]["fields"].contains("highlight"));
    EXPECT_EQ(j["vector_layers"][1]["id"], "overlay");
    EXPECT_FALSE(fs::exists(s_run->dir / "tiles" / "0" / "0" / "0.png"));
}

TEST_F(VectorUs, MbtilesAndPmtilesDeclareVectorTilesAndHoldTheFolderTilesGzipped) {
    const fs::path mb = s_run->dir / "us.mbtiles";
    const fs::path pm = s_run->dir / "us.pmtiles";
    for (const auto& out : {mb, pm}) {
        const auto r = choro::test::run_choro(mvt_args(*s_run, "0-6", out));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const auto format =
        choro::tiles_test::shell("sqlite3 '" + mb.string() + "' \"SELECT value FROM metadata WHERE name='format'\"");
    EXPECT_EQ(format, "pbf\n");
    const auto json = Json::parse(
        choro::tiles_test::shell("sqlite3 '" + mb.string() + "' \"SELECT value FROM metadata WHERE name='json'\""),
        nullptr,
        false);
    ASSERT_FALSE(json.is_discarded());
    ASSERT_EQ(json["vector_layers"].size(), 2U);
    EXPECT_EQ(json["vector_layers"][0]["id"], "features");
    EXPECT_EQ(json["vector_layers"][1]["id"], "overlay");
    EXPECT_EQ(json["vector_layers"][0]["fields"]["value"], "Number");
    // Stored gzipped (magic 1f 8b).
    std::size_t n = 0;
    choro::render::for_each_mbtiles_tile(mb, [&](const choro::geo::TileId&, const std::string& bytes) {
        ++n;
        ASSERT_GE(bytes.size(), 2U);
        EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);
        EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);
    });
    EXPECT_GT(n, 50U);
    // PMTiles read by the pmtiles library: tile type MVT, gzip declared.
    const std::string out = choro::tiles_test::shell(
        "cd '" + choro::tiles_test::js_dir().string() + "' && node pmtiles_read.mjs '" + pm.string() + "'", "");
    const auto head = Json::parse(out.substr(0, out.find('\n')), nullptr, false);
    ASSERT_FALSE(head.is_discarded()) << out.substr(0, 300);
    EXPECT_EQ(head["header"]["tileType"], 1);         // mvt
    EXPECT_EQ(head["header"]["tileCompression"], 2);  // gzip
    EXPECT_EQ(head["metadata"]["vector_layers"][0]["id"], "features");
    EXPECT_EQ(head["header"]["numAddressedTiles"].get<std::size_t>(), n);
}

// ---- the library, on the synthetic scene ---------------------------------------------------------

choro::render::TileOptions small_options(int max_zoom) {
    choro::render::TileOptions o;
    o.max_zoom = max_zoom;
    o.metatile = 2;
    o.threads = 2;
    return o;
}

TEST(VectorTiles, RunsAreByteIdenticalWhateverTheThreads) {
    const auto dir = choro::test::temp_dir();
    const auto scene = choro::tiles_test::make_scene();
    auto o = small_options(7);
    o.threads = 1;
    (void)choro::render::render_vector_tiles(scene, o, dir / "a.pmtiles", {});
    o.threads = 2;
    (void)choro::render::render_vector_tiles(scene, o, dir / "b.pmtiles", {});
    (void)choro::render::render_vector_tiles(scene, o, dir / "c.pmtiles", {});
    const auto a = choro::test::read_file(dir / "a.pmtiles");
    EXPECT_GT(a.size(), 1000U);
    EXPECT_EQ(a, choro::test::read_file(dir / "b.pmtiles"));
    EXPECT_EQ(a, choro::test::read_file(dir / "c.pmtiles"));
}

TEST(VectorTiles, ShardsMergedEqualOneRun) {
    const auto dir = choro::test::temp_dir();
    const auto scene = choro::tiles_test::make_scene();
    auto o = small_options(6);
    (void)choro::render::render_vector_tiles(scene, o, dir / "one.pmtiles", {});
    std::vector<fs::path> parts;
    for (int i = 0; i < 3; ++i) {
        o.shard_index = i;
        o.shard_count = 3;
        parts.push_back(choro::render::render_vector_tiles(scene, o, dir / "set.pmtiles", {}).path);
    }
    (void)choro::render::merge_tiles(parts, dir / "set.pmtiles");
    EXPECT_EQ(choro::test::read_file(dir / "one.pmtiles"), choro::test::read_file(dir / "set.pmtiles"));
    // Into a folder: plain .pbf tiles (unpacked from the parts' gzip) and tiles.json.
    (void)choro::render::merge_tiles(parts, dir / "folder");
    EXPECT_TRUE(fs::exists(dir / "folder" / "tiles.json"));
    const std::string tile = choro::test::read_file(dir / "folder" / "0" / "0" / "0.pbf");
    ASSERT_GE(tile.size(), 2U);
    EXPECT_EQ(tile[0], 0x1a);  // field 3 (layers), length-delimited: an uncompressed tile
}

TEST(VectorTiles, TilesOverTheLimitAreSimplifiedUntilTheyFit) {
    const auto dir = choro::test::temp_dir();
    choro::pipeline::Scene scene;
    // A circle of 20,000 points: ~40 kB at zoom 0 with no simplification.
    choro::geo::Ring<choro::geo::Projected> circle;
    for (int i = 0; i <= 20000; ++i) {
        const double a = 2 * std::numbers::pi * i / 20000.0;
        circle.push_back(choro::geo::lonlat_to_mercator({-100 + 20 * std::cos(a), 40 + 15 * std::sin(a)}));
    }
    circle.back() = circle.front();
    scene.features.push_back({{circle}});
    choro::render::VectorTileOptions v;
    v.tolerance = 0;
    v.max_tile_bytes = 4000;
    const auto stats = choro::render::render_vector_tiles(scene, small_options(2), dir / "t", {}, v);
    EXPECT_GT(stats.coarsened, 0U);
    EXPECT_LE(stats.max_bytes, 4000U);
    for (const auto& e : fs::recursive_directory_iterator(dir / "t")) {
        if (e.path().extension() == ".pbf") {
            EXPECT_LE(e.file_size(), 4000U) << e.path();
        }
    }
    v.max_tile_bytes = 500000;
    const auto roomy = choro::render::render_vector_tiles(scene, small_options(2), dir / "u", {}, v);
    EXPECT_EQ(roomy.coarsened, 0U);
    EXPECT_GT(roomy.max_bytes, 4000U);
}

TEST(VectorTiles, BadOptionsAndFlagsAreRefused) {
    const auto dir = choro::test::temp_dir();
    const auto scene = choro::tiles_test::make_scene();
    choro::render::VectorTileOptions v;
    v.extent = 100;
    EXPECT_THROW((void)choro::render::render_vector_tiles(scene, small_options(1), dir / "t", {}, v),
                 choro::LimitError);
    v = {};
    v.buffer = -1;
    EXPECT_THROW((void)choro::render::render_vector_tiles(scene, small_options(1), dir / "t", {}, v),
                 choro::LimitError);
    const auto r = choro::test::run_choro({"tiles", "--format", "webp", "-o", (dir / "x").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
    const auto r2 = choro::test::run_choro({"tiles", "--format", "png", "--vector", "-o", (dir / "x").string()});
    EXPECT_EQ(r2.exit_code, 2);
    EXPECT_NE(r2.err.find("--vector"), std::string::npos) << r2.err;
}

TEST(VectorTiles, GzipRoundTripsAndBadGzipIsAnInputErrorNamingTheFile) {
    const std::string tile(5000, 'x');
    const std::string packed = choro::render::detail::gzip(tile);
    EXPECT_TRUE(choro::render::detail::is_gzip(packed));
    EXPECT_FALSE(choro::render::detail::is_gzip(tile));
    EXPECT_LT(packed.size(), tile.size());
    EXPECT_EQ(choro::render::detail::gunzip(packed, "t.mbtiles"), tile);
    std::string broken = packed;
    broken[12] = static_cast<char>(broken[12] ^ 0x55);
    try {
        (void)choro::render::detail::gunzip(broken, "parts/t.mbtiles");
        ADD_FAILURE() << "no error";
    } catch (const choro::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("parts/t.mbtiles"), std::string::npos) << e.what();
    }
}

}  // namespace
