// GDAL is used here only to write fixtures at test time (shapefiles, zips); the code under test
// is choro::geo::read_layer. The test target gets no GDAL include path, hence <gdal/...>.
#include <cmath>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gdal/cpl_conv.h>
#include <gdal/ogrsf_frmts.h>
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/geo/layer.hpp"

namespace fs = std::filesystem;
using choro::InputError;
using choro::geo::LayerOptions;
using choro::geo::LonLat;
using choro::geo::read_layer;

namespace {

/// LayerOptions by position (designated initializers trip GCC's -Wmissing-field-initializers).
LayerOptions options(const std::string& layer,
                     const std::string& key_field,
                     const std::string& srs = "",
                     const std::string& name_field = "") {
    LayerOptions o;
    o.layer = layer;
    o.key_field = key_field;
    o.srs = srs;
    o.name_field = name_field;
    return o;
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

const fs::path us_atlas = choro::test::shared_data_dir() / "reference/us-atlas-3.0.1/counties-10m.json";

/// Spherical Web Mercator by its textbook formula (EPSG:3857, R = 6378137 m): an independent
/// reference for what GDAL/PROJ must undo.
void mercator(double lon, double lat, double& x, double& y) {
    constexpr double r = 6378137.0;
    const double rad = std::numbers::pi / 180.0;
    x = r * lon * rad;
    y = r * std::log(std::tan(std::numbers::pi / 4.0 + lat * rad / 2.0));
}

/// Writes a shapefile `dir/name.shp` with one square (lon -100..-90, lat 30..40) in EPSG:3857
/// plus a field FIPS = "48001" and NAME = "Square". Returns the .shp path.
fs::path write_mercator_shapefile(const fs::path& dir, const std::string& name) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    EXPECT_NE(driver, nullptr);
    fs::create_directories(dir);
    const fs::path shp = dir / (name + ".shp");
    GDALDatasetUniquePtr ds(driver->Create(shp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    EXPECT_NE(ds, nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(3857);
    OGRLayer* layer = ds->CreateLayer(name.c_str(), &srs, wkbPolygon, nullptr);
    OGRFieldDefn fips("FIPS", OFTString);
    OGRFieldDefn label("NAME", OFTString);
    layer->CreateField(&fips);
    layer->CreateField(&label);
    OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    feature->SetField("FIPS", "48001");
    feature->SetField("NAME", "Square");
    OGRLinearRing ring;
    const double corners[5][2] = {{-100, 30}, {-100, 40}, {-90, 40}, {-90, 30}, {-100, 30}};  // clockwise
    for (const auto& c : corners) {
        double x = 0;
        double y = 0;
        mercator(c[0], c[1], x, y);
        ring.addPoint(x, y);
    }
    OGRPolygon poly;
    poly.addRing(&ring);
    feature->SetGeometry(&poly);
    EXPECT_EQ(layer->CreateFeature(feature.get()), OGRERR_NONE);
    return shp;
}

/// Copies files into a new zip with GDAL's zip writer (CPLCreateZip...).
void zip_files(const fs::path& zip, const std::vector<fs::path>& files) {
    void* handle = CPLCreateZip(zip.c_str(), nullptr);
    ASSERT_NE(handle, nullptr) << zip;
    for (const auto& f : files) {
        const std::string bytes = choro::test::read_file(f);
        ASSERT_EQ(CPLCreateFileInZip(handle, f.filename().c_str(), nullptr), CE_None);
        ASSERT_EQ(CPLWriteFileInZip(handle, bytes.data(), static_cast<int>(bytes.size())), CE_None);
        ASSERT_EQ(CPLCloseFileInZip(handle), CE_None);
    }
    ASSERT_EQ(CPLCloseZip(handle), CE_None);
}

std::vector<fs::path> shapefile_parts(const fs::path& shp) {
    std::vector<fs::path> parts;
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"}) {
        auto p = shp;
        p.replace_extension(ext);
        if (fs::exists(p)) {
            parts.push_back(p);
        }
    }
    return parts;
}

void expect_square(const choro::geo::Layer& layer) {
    ASSERT_EQ(layer.features.size(), 1u);
    const auto& f = layer.features.front();
    EXPECT_EQ(f.key, "48001");
    EXPECT_EQ(f.name, "Square");
    ASSERT_EQ(f.geometry.size(), 1u);
    ASSERT_EQ(f.geometry[0].size(), 1u);
    const auto& ring = f.geometry[0][0];
    ASSERT_EQ(ring.size(), 5u);
    EXPECT_EQ(ring.front(), ring.back());
    EXPECT_GT(choro::geo::signed_area(ring), 0.0);  // rewound to counter-clockwise
    EXPECT_EQ(layer.stats.rewound, 1u);
    const auto box = choro::geo::envelope(f.geometry);
    EXPECT_NEAR(box.min.x, -100.0, 1e-9);
    EXPECT_NEAR(box.max.x, -90.0, 1e-9);
    EXPECT_NEAR(box.min.y, 30.0, 1e-9);
    EXPECT_NEAR(box.max.y, 40.0, 1e-9);
}

InputError read_error(const std::string& path, const LayerOptions& options) {
    try {
        (void)read_layer(path, options);
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "no InputError for " << path;
    return InputError(path, "none");
}

const char* const small_geojson = R"({
  "type": "FeatureCollection",
  "features": [
    {"type": "Feature", "properties": {"fips": "01001", "NAME": "Clockwise", "pop": 12},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[0,1],[1,1],[1,0],[0,0]]]}},
    {"type": "Feature", "properties": {"fips": "01003", "NAME": "Holed", "pop": 7},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[4,0],[4,4],[0,4],[0,0]],
                                                     [[1,1],[3,1],[3,3],[1,3],[1,1]]]}},
    {"type": "Feature", "properties": {"fips": "01005", "NAME": "Two parts", "pop": null},
     "geometry": {"type": "MultiPolygon", "coordinates": [[[[10,0],[11,0],[11,1],[10,0]]],
                                                          [[[20,0],[21,0],[21,1],[20,0]]]]}},
    {"type": "Feature", "properties": {"fips": "01007", "NAME": "A point", "pop": 1},
     "geometry": {"type": "Point", "coordinates": [5, 5]}},
    {"type": "Feature", "properties": {"fips": "01009", "NAME": "Nothing", "pop": 2},
     "geometry": null},
    {"type": "Feature", "properties": {"fips": "01011", "NAME": "Bow-tie", "pop": 3},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[2,2],[2,0],[0,2],[0,0]]]}}
  ]
})";

TEST(ReadLayer, GeoJsonPolygonsWindingNullsAndSkips) {
    const auto path = choro::test::write_file(choro::test::temp_dir() / "small.geojson", small_geojson);
    const auto layer = read_layer(path.string(), options("", "fips", "", ""));
    EXPECT_EQ(layer.source, path.string());
    EXPECT_EQ(layer.stats.features_read, 6u);
    EXPECT_EQ(layer.stats.non_polygon_skipped, 1u);
    EXPECT_EQ(layer.stats.empty_geometries, 1u);
    ASSERT_EQ(layer.features.size(), 5u);  // the point is skipped, the null kept
    std::vector<std::string> keys;
    for (const auto& f : layer.features) {
        keys.push_back(f.key);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"01001", "01003", "01005", "01009", "01011"}));
    EXPECT_EQ(layer.features[0].name, "Clockwise");  // "NAME" guessed as the name field

    // Exterior made counter-clockwise; area 1 by hand.
    EXPECT_DOUBLE_EQ(choro::geo::signed_area(layer.features[0].geometry.at(0).at(0)), 1.0);
    // Exterior CCW (area 16), hole CW (area -4).
    const auto& holed = layer.features[1].geometry.at(0);
    ASSERT_EQ(holed.size(), 2u);
    EXPECT_DOUBLE_EQ(choro::geo::signed_area(holed[0]), 16.0);
    EXPECT_DOUBLE_EQ(choro::geo::signed_area(holed[1]), -4.0);
    EXPECT_EQ(layer.features[2].geometry.size(), 2u);
    EXPECT_TRUE(layer.features[3].geometry.empty());
    EXPECT_EQ(layer.features[3].name, "Nothing");

    // Attributes as text, in field order; null stays empty.
    const auto& attrs = layer.features[2].attributes;
    ASSERT_EQ(attrs.size(), 3u);
    EXPECT_EQ(attrs[0], (std::pair<std::string, std::string>{"fips", "01005"}));
    EXPECT_EQ(attrs[2], (std::pair<std::string, std::string>{"pop", ""}));
    EXPECT_EQ(layer.features[0].attributes[2].second, "12");
    // Every skip and empty is explained, naming the feature.
    bool named_point = false;
    for (const auto& w : layer.stats.warnings) {
        named_point = named_point || contains(w, "01007");
    }
    EXPECT_TRUE(named_point);
}

TEST(ReadLayer, BowTieIsRepairedAndCounted) {
    const auto path = choro::test::write_file(choro::test::temp_dir() / "small.geojson", small_geojson);
    const auto layer = read_layer(path.string(), options("", "fips", "", ""));
    EXPECT_EQ(layer.stats.repaired, 1u);
    const auto& bowtie = layer.features.back();
    ASSERT_EQ(bowtie.key, "01011");
    // Made valid: two triangles meeting at (1,1), each of area 1 (hand-computed), both CCW.
    ASSERT_EQ(bowtie.geometry.size(), 2u);
    double total = 0.0;
    for (const auto& poly : bowtie.geometry) {
        const auto& ring = poly.at(0);
        EXPECT_EQ(ring.front(), ring.back());
        EXPECT_GT(choro::geo::signed_area(ring), 0.0);
        total += choro::geo::signed_area(ring);
    }
    EXPECT_NEAR(total, 2.0, 1e-12);
}

TEST(ReadLayer, KeyDefaultsToFidWithoutIdField) {
    const auto path = choro::test::write_file(choro::test::temp_dir() / "small.geojson", small_geojson);
    const auto layer = read_layer(path.string(), {});
    ASSERT_EQ(layer.features.size(), 5u);
    EXPECT_EQ(layer.features[0].key, std::to_string(layer.features[0].fid));
    EXPECT_NE(layer.features[0].key, layer.features[1].key);
}

TEST(ReadLayer, ShapefileInWebMercatorIsTransformedToLonLat) {
    const auto shp = write_mercator_shapefile(choro::test::temp_dir(), "square");
    const auto layer = read_layer(shp.string(), options("", "FIPS", "", ""));
    expect_square(layer);
    EXPECT_EQ(layer.name, "square");
    EXPECT_FALSE(layer.source_crs.empty());
}

TEST(ReadLayer, ZippedShapefile) {
    const auto dir = choro::test::temp_dir();
    const auto shp = write_mercator_shapefile(dir / "src", "square");
    const auto zip = dir / "square.zip";
    zip_files(zip, shapefile_parts(shp));
    const auto layer = read_layer(zip.string(), options("", "FIPS", "", ""));
    expect_square(layer);
    EXPECT_EQ(choro::geo::list_layers(zip.string()), std::vector<std::string>{"square"});
}

TEST(ReadLayer, ZippedGeoJson) {
    const auto dir = choro::test::temp_dir();
    const auto json = choro::test::write_file(dir / "src" / "small.geojson", small_geojson);
    const auto zip = dir / "small.zip";
    zip_files(zip, {json});
    const auto layer = read_layer(zip.string(), options("", "fips", "", ""));
    EXPECT_EQ(layer.features.size(), 5u);
}

TEST(ReadLayer, NoCrsNeedsSrs) {
    const auto shp = write_mercator_shapefile(choro::test::temp_dir(), "square");
    fs::remove(fs::path(shp).replace_extension(".prj"));
    const auto e = read_error(shp.string(), options("", "FIPS", "", ""));
    EXPECT_EQ(e.path(), shp.string());
    EXPECT_TRUE(contains(e.what(), "no CRS in " + shp.string() + "; give one with --srs (e.g. --srs EPSG:4326)"))
        << e.what();
    expect_square(read_layer(shp.string(), options("", "FIPS", "EPSG:3857", "")));
}

TEST(ReadLayer, BadSrsIsNamed) {
    const auto shp = write_mercator_shapefile(choro::test::temp_dir(), "square");
    fs::remove(fs::path(shp).replace_extension(".prj"));
    for (const std::string bad : {"EPSG:99999999", "not a crs"}) {
        const auto e = read_error(shp.string(), options("", "FIPS", bad, ""));
        EXPECT_TRUE(contains(e.what(), "'" + bad + "'")) << e.what();
    }
}

TEST(ReadLayer, MissingFile) {
    const auto path = (choro::test::temp_dir() / "missing.shp").string();
    const auto e = read_error(path, {});
    EXPECT_EQ(e.path(), path);
    EXPECT_TRUE(contains(e.what(), "no such file")) << e.what();
    EXPECT_THROW((void)choro::geo::list_layers(path), InputError);
    EXPECT_THROW((void)read_layer((choro::test::temp_dir() / "missing.zip").string(), {}), InputError);
}

TEST(ReadLayer, UnreadableSourceIsInputErrorAndGdalStaysQuiet) {
    const auto path = choro::test::write_file(choro::test::temp_dir() / "broken.geojson", "{\"type\": \"Feat");
    ::testing::internal::CaptureStderr();
    const auto e = read_error(path.string(), {});
    const std::string printed = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(printed, "");  // GDAL's own messages are collected, not printed
    EXPECT_TRUE(contains(e.what(), "cannot open")) << e.what();
}

TEST(ReadLayer, MissingKeyFieldListsFields) {
    const auto path = choro::test::write_file(choro::test::temp_dir() / "small.geojson", small_geojson);
    const auto e = read_error(path.string(), options("", "GEOID", "", ""));
    const std::string msg = e.what();
    EXPECT_TRUE(contains(msg, "'GEOID'")) << msg;
    EXPECT_TRUE(contains(msg, "'fips', 'NAME', 'pop'")) << msg;
    const auto e2 = read_error(path.string(), options("", "fips", "", "LABEL"));
    EXPECT_TRUE(contains(e2.what(), "'LABEL'")) << e2.what();
}

class UsAtlas : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(us_atlas)) {
            GTEST_SKIP() << "us-atlas not found at " << us_atlas;
        }
    }
};

TEST_F(UsAtlas, CountiesReadWithIdKeys) {
    const auto layer = read_layer(us_atlas.string(), options("counties", "", "EPSG:4326", ""));
    EXPECT_EQ(layer.name, "counties");
    ASSERT_EQ(layer.features.size(), 3231u);
    EXPECT_EQ(layer.stats.features_read, 3231u);
    EXPECT_EQ(layer.stats.non_polygon_skipped, 0u);
    const choro::geo::Feature* autauga = nullptr;
    for (const auto& f : layer.features) {
        if (f.name == "Autauga") {
            autauga = &f;
        }
        for (const auto& poly : f.geometry) {
            ASSERT_FALSE(poly.empty());
            EXPECT_EQ(poly[0].front(), poly[0].back());
            EXPECT_GT(choro::geo::signed_area(poly[0]), 0.0) << f.key;
        }
    }
    ASSERT_NE(autauga, nullptr);
    EXPECT_EQ(autauga->key, "01001");
    // Autauga County, AL lies around 86.4-86.9 W, 32.3-32.7 N (Census gazetteer centroid -86.64, 32.53).
    const auto box = choro::geo::envelope(autauga->geometry);
    EXPECT_GT(box.min.x, -87.0);
    EXPECT_LT(box.max.x, -86.3);
    EXPECT_GT(box.min.y, 32.2);
    EXPECT_LT(box.max.y, 32.8);
}

TEST_F(UsAtlas, LayersAndErrors) {
    auto names = choro::geo::list_layers(us_atlas.string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"counties", "nation", "states"}));

    const auto missing = read_error(us_atlas.string(), options("countiez", "", "EPSG:4326", ""));
    EXPECT_EQ(missing.path(), us_atlas.string());
    EXPECT_TRUE(contains(missing.what(), "'countiez'")) << missing.what();
    EXPECT_TRUE(contains(missing.what(), "'counties'")) << missing.what();
    EXPECT_TRUE(contains(missing.what(), "'states'")) << missing.what();

    const auto ambiguous = read_error(us_atlas.string(), options("", "", "EPSG:4326", ""));
    EXPECT_TRUE(contains(ambiguous.what(), "several layers")) << ambiguous.what();

    const auto no_crs = read_error(us_atlas.string(), options("states", "", "", ""));
    EXPECT_TRUE(contains(no_crs.what(), "--srs")) << no_crs.what();
}

}  // namespace
