// The prepared-geometry cache of read_layer(): a cached layer is the layer GDAL reads, entries are
// invalidated by any input byte or setting, damaged entries are rebuilt, concurrent readers succeed.
// The reference is always read_layer() without a cache (the GDAL path), never a stored result.
#include "choro/geo/layer_cache.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/layer.hpp"

namespace fs = std::filesystem;
using choro::geo::Layer;
using choro::geo::layer_cache_entry;
using choro::geo::LayerOptions;
using choro::geo::read_layer;

namespace {

// A clockwise square (rewound), a square with a hole, a bow tie (repaired by GEOS), a null
// geometry and a Latin-1-free name with a non-ASCII character.
constexpr const char* fixture = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"fips": "01001", "NAME": "Clockwise", "pop": 12},
  "geometry": {"type": "Polygon", "coordinates": [[[0,0],[0,1],[1,1],[1,0],[0,0]]]}},
 {"type": "Feature", "properties": {"fips": "01003", "NAME": "Doña Ana", "pop": 7},
  "geometry": {"type": "Polygon", "coordinates": [[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,3],[3,3],[3,1],[1,1]]]}},
 {"type": "Feature", "properties": {"fips": "01005", "NAME": "Bow tie", "pop": null},
  "geometry": {"type": "Polygon", "coordinates": [[[0,0],[2,2],[2,0],[0,2],[0,0]]]}},
 {"type": "Feature", "properties": {"fips": "01007", "NAME": "Nothing", "pop": 3}, "geometry": null}
]})";

LayerOptions with_cache(const fs::path& cache, const std::string& key_field = "fips") {
    LayerOptions o;
    o.key_field = key_field;
    o.cache_dir = cache.string();
    return o;
}

LayerOptions without_cache(const std::string& key_field = "fips") {
    LayerOptions o;
    o.key_field = key_field;
    return o;
}

/// Every field of two layers, geometry bit for bit.
void expect_same(const Layer& a, const Layer& b) {
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.source_crs, b.source_crs);
    EXPECT_EQ(a.stats.features_read, b.stats.features_read);
    EXPECT_EQ(a.stats.empty_geometries, b.stats.empty_geometries);
    EXPECT_EQ(a.stats.repaired, b.stats.repaired);
    EXPECT_EQ(a.stats.rewound, b.stats.rewound);
    EXPECT_EQ(a.stats.non_polygon_skipped, b.stats.non_polygon_skipped);
    EXPECT_EQ(a.stats.warnings, b.stats.warnings);
    ASSERT_EQ(a.features.size(), b.features.size());
    for (std::size_t i = 0; i < a.features.size(); ++i) {
        EXPECT_EQ(a.features[i].key, b.features[i].key);
        EXPECT_EQ(a.features[i].name, b.features[i].name);
        EXPECT_EQ(a.features[i].fid, b.features[i].fid);
        EXPECT_EQ(a.features[i].geometry, b.features[i].geometry) << "feature " << i;
        EXPECT_EQ(a.features[i].attributes, b.features[i].attributes);
    }
}

std::string bytes_of(const fs::path& p) {
    return choro::test::read_file(p);
}

void overwrite(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

struct Fixture {
    fs::path dir = choro::test::temp_dir();
    fs::path source = choro::test::write_file(dir / "small.geojson", fixture);
    fs::path cache = dir / "cache";
};

}  // namespace

TEST(LayerCache, CachedLayerIsTheLayerGdalReads) {
    const Fixture f;
    const Layer direct = read_layer(f.source.string(), without_cache());
    ASSERT_EQ(direct.stats.repaired, 1u);  // the fixture exercises repair and rewinding
    ASSERT_GE(direct.stats.rewound, 1u);
    const std::string entry = layer_cache_entry(f.source.string(), with_cache(f.cache), f.cache.string());
    ASSERT_FALSE(entry.empty());
    EXPECT_FALSE(fs::exists(entry));

    const Layer first = read_layer(f.source.string(), with_cache(f.cache));  // miss: read, then stored
    ASSERT_TRUE(fs::exists(entry));
    const Layer second = read_layer(f.source.string(), with_cache(f.cache));  // hit
    expect_same(direct, first);
    expect_same(direct, second);
    // Only the entry itself is left in the folder (no temporary files).
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(f.cache)) {
        files += e.is_regular_file() ? 1 : 0;
    }
    EXPECT_EQ(files, 1u);
}

TEST(LayerCache, CorruptEntryIsDetectedAndRebuilt) {
    const Fixture f;
    const Layer direct = read_layer(f.source.string(), without_cache());
    (void)read_layer(f.source.string(), with_cache(f.cache));
    const fs::path entry = layer_cache_entry(f.source.string(), with_cache(f.cache), f.cache.string());
    const std::string good = bytes_of(entry);
    ASSERT_GT(good.size(), 100u);

    // One flipped bit in the header, in the middle of the payload (a coordinate), in the last byte.
    for (const std::size_t at : {std::size_t{20}, good.size() / 2, good.size() - 1}) {
        std::string bad = good;
        bad[at] = static_cast<char>(bad[at] ^ 0x04);
        overwrite(entry, bad);
        expect_same(direct, read_layer(f.source.string(), with_cache(f.cache)));
        EXPECT_EQ(bytes_of(entry), good) << "entry not rebuilt after corrupting byte " << at;
    }
}

TEST(LayerCache, TruncatedOrEmptyEntryIsDetectedAndRebuilt) {
    const Fixture f;
    const Layer direct = read_layer(f.source.string(), without_cache());
    (void)read_layer(f.source.string(), with_cache(f.cache));
    const fs::path entry = layer_cache_entry(f.source.string(), with_cache(f.cache), f.cache.string());
    const std::string good = bytes_of(entry);
    for (const std::size_t keep : {good.size() - 1, good.size() / 2, std::size_t{30}, std::size_t{0}}) {
        overwrite(entry, good.substr(0, keep));
        expect_same(direct, read_layer(f.source.string(), with_cache(f.cache)));
        EXPECT_EQ(bytes_of(entry), good) << "entry not rebuilt after truncating to " << keep << " bytes";
    }
    // Garbage appended is as bad as bytes missing.
    overwrite(entry, good + "x");
    expect_same(direct, read_layer(f.source.string(), with_cache(f.cache)));
    EXPECT_EQ(bytes_of(entry), good);
}

TEST(LayerCache, ChangingOneInputByteInvalidates) {
    const Fixture f;
    const Layer before = read_layer(f.source.string(), with_cache(f.cache));
    const std::string entry_before = layer_cache_entry(f.source.string(), with_cache(f.cache), f.cache.string());

    // One byte: the clockwise square's corner (1,1) becomes (1,7)... via "1,1]" → "1,7]" (first only).
    std::string text = fixture;
    const auto at = text.find("[1,1],[1,0]");
    ASSERT_NE(at, std::string::npos);
    text[at + 3] = '7';
    overwrite(f.source, text);

    const std::string entry_after = layer_cache_entry(f.source.string(), with_cache(f.cache), f.cache.string());
    EXPECT_NE(entry_before, entry_after);
    const Layer after = read_layer(f.source.string(), with_cache(f.cache));
    expect_same(read_layer(f.source.string(), without_cache()), after);
    EXPECT_NE(before.features[0].geometry, after.features[0].geometry);
}

TEST(LayerCache, SettingsAndPathArePartOfTheKey) {
    const Fixture f;
    const std::string base = layer_cache_entry(f.source.string(), with_cache(f.cache), f.cache.string());
    EXPECT_NE(base, layer_cache_entry(f.source.string(), with_cache(f.cache, "NAME"), f.cache.string()));
    LayerOptions srs = with_cache(f.cache);
    srs.srs = "EPSG:4269";
    EXPECT_NE(base, layer_cache_entry(f.source.string(), srs, f.cache.string()));
    LayerOptions name = with_cache(f.cache);
    name.name_field = "fips";
    EXPECT_NE(base, layer_cache_entry(f.source.string(), name, f.cache.string()));
    // The same bytes under another name: the layer records its path, so it is another entry.
    const fs::path copy = choro::test::write_file(f.dir / "copy.geojson", fixture);
    EXPECT_NE(base, layer_cache_entry(copy.string(), with_cache(f.cache), f.cache.string()));
    // Keyed options give a layer read with those options.
    expect_same(read_layer(f.source.string(), without_cache("NAME")),
                read_layer(f.source.string(), with_cache(f.cache, "NAME")));
}

TEST(LayerCache, ShapefileSidecarsArePartOfTheKey) {
    // The key hashes every file with the shapefile's stem (.dbf holds the attributes, .prj the CRS),
    // and no other file beside it.
    const fs::path dir = choro::test::temp_dir();
    choro::test::write_file(dir / "a.shp", "shp bytes");
    choro::test::write_file(dir / "a.dbf", "dbf bytes");
    choro::test::write_file(dir / "b.dbf", "other");
    const fs::path cache = dir / "cache";
    const std::string base = layer_cache_entry((dir / "a.shp").string(), with_cache(cache), cache.string());
    ASSERT_FALSE(base.empty());
    choro::test::write_file(dir / "b.dbf", "other, changed");
    EXPECT_EQ(base, layer_cache_entry((dir / "a.shp").string(), with_cache(cache), cache.string()));
    choro::test::write_file(dir / "a.dbf", "dbf bytez");
    EXPECT_NE(base, layer_cache_entry((dir / "a.shp").string(), with_cache(cache), cache.string()));
    const std::string with_dbf_change = layer_cache_entry((dir / "a.shp").string(), with_cache(cache), cache.string());
    choro::test::write_file(dir / "a.prj", "GEOGCS[...]");
    EXPECT_NE(with_dbf_change, layer_cache_entry((dir / "a.shp").string(), with_cache(cache), cache.string()));
}

TEST(LayerCache, ConcurrentReadersOnTheSameInputsAllSucceed) {
    const Fixture f;
    const Layer direct = read_layer(f.source.string(), without_cache());
    // Several rounds: empty cache (all miss and write at once), then a mix of hits and rewrites.
    for (int round = 0; round < 3; ++round) {
        if (round == 2) {
            overwrite(layer_cache_entry(f.source.string(), with_cache(f.cache), f.cache.string()), "damaged");
        }
        std::vector<Layer> results(4);
        std::vector<std::thread> threads;
        for (auto& r : results) {
            threads.emplace_back([&] { r = read_layer(f.source.string(), with_cache(f.cache)); });
        }
        for (auto& t : threads) {
            t.join();
        }
        for (const auto& r : results) {
            expect_same(direct, r);
        }
    }
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(f.cache)) {
        files += e.is_regular_file() ? 1 : 0;
    }
    EXPECT_EQ(files, 1u);  // one entry, no temporary left behind
}

TEST(LayerCache, OnlyLocalSourcesAreCached) {
    const fs::path cache = choro::test::temp_dir();
    EXPECT_EQ(layer_cache_entry("/vsicurl/https://example.org/a.geojson", with_cache(cache), cache.string()), "");
    EXPECT_EQ(layer_cache_entry("PG:dbname=gis", with_cache(cache), cache.string()), "");
    EXPECT_EQ(layer_cache_entry((cache / "missing.geojson").string(), with_cache(cache), cache.string()), "");
}

TEST(LayerCache, DefaultFolderFollowsXdg) {
    const char* old_xdg = std::getenv("XDG_CACHE_HOME");
    const std::string saved_xdg = old_xdg != nullptr ? old_xdg : "";
    ASSERT_EQ(::setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1), 0);
    EXPECT_EQ(choro::geo::default_layer_cache_dir(), "/tmp/xdg-test/choro");
    // The XDG spec ignores relative paths; HOME's .cache is used then.
    ASSERT_EQ(::setenv("XDG_CACHE_HOME", "relative", 1), 0);
    const char* home = std::getenv("HOME");
    if (home != nullptr && *home != '\0') {
        EXPECT_EQ(choro::geo::default_layer_cache_dir(), (fs::path(home) / ".cache" / "choro").string());
    }
    if (old_xdg != nullptr) {
        ::setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
    } else {
        ::unsetenv("XDG_CACHE_HOME");
    }
}
