// The corpus cases again, one level down: what the readers make of each bad input, checked
// against values worked out by hand (areas of the repaired bow-tie, joined values, line numbers).
// The CLI test (corpus_test.cpp) checks exit codes and messages; this one checks the data.

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "shapefile_writer.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/geo/join.hpp"
#include "choro/geo/layer.hpp"
#include "choro/geo/table.hpp"
#include "choro/styles/job.hpp"

namespace fs = std::filesystem;
using namespace choro;
using namespace choro::test;

namespace {

const std::string dona_utf8 =
    "Do\xC3\xB1"
    "a Ana County";
const std::string dona_latin1 =
    "Do\xF1"
    "a Ana County";

fs::path write_grid_shapefile(const fs::path& dir,
                              const std::string& first_name,
                              std::uint8_t ldid,
                              const std::string& cpg) {
    std::vector<ShpPolygon> shapes;
    std::vector<std::vector<std::string>> records;
    const char* keys[] = {"35013", "35015"};
    for (int i = 0; i < 2; ++i) {
        shapes.push_back({{clockwise_square(-107.0 + i, 32.0, -106.0 + i, 33.0)}});
        records.push_back({keys[i], i == 0 ? first_name : "Eddy County"});
    }
    const auto b = make_shapefile(shapes, {{"GEOID", 'C', 5, 0}, {"NAME", 'C', 40, 0}}, records, ldid);
    write_file(dir / "nm.shp", b.shp);
    write_file(dir / "nm.shx", b.shx);
    write_file(dir / "nm.dbf", b.dbf);
    write_file(dir / "nm.prj",
               R"(GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,)"
               R"(298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]])");
    if (!cpg.empty()) {
        write_file(dir / "nm.cpg", cpg);
    }
    return dir / "nm.shp";
}

geo::Layer read_geojson(const fs::path& dir, const std::vector<JsonFeature>& features) {
    const auto path = write_file(dir / "layer.geojson", feature_collection(features));
    geo::LayerOptions options;
    options.key_field = "GEOID";
    options.name_field = "NAME";
    return geo::read_layer(path.string(), options);
}

double polygon_area(const geo::Polygon<geo::LonLat>& poly) {
    double a = 0.0;
    for (const auto& ring : poly) {
        a += geo::signed_area(ring);
    }
    return a;
}

double multipolygon_area(const geo::MultiPolygon<geo::LonLat>& mp) {
    double a = 0.0;
    for (const auto& p : mp) {
        a += polygon_area(p);
    }
    return a;
}

const geo::Feature& feature(const geo::Layer& layer, const std::string& key) {
    for (const auto& f : layer.features) {
        if (f.key == key) {
            return f;
        }
    }
    throw std::runtime_error("no feature " + key);
}

geo::JoinResult join_csv(const fs::path& dir, const std::string& csv, geo::Duplicates dup = geo::Duplicates::error) {
    const auto layer = read_geojson(dir, grid_features());
    const auto table = geo::read_table(write_file(dir / "values.csv", csv).string());
    geo::JoinOptions options;
    options.key_column = "fips";
    options.value_column = "agreements";
    options.duplicates = dup;
    return geo::join(layer, table, options);
}

}  // namespace

// --- DBF encodings: "Doña Ana County" must come out as UTF-8 whatever the DBF says ---

TEST(BadDbf, Latin1WithCpgIsRecoded) {
    const auto dir = temp_dir();
    geo::LayerOptions o;
    o.key_field = "GEOID";
    o.name_field = "NAME";
    const auto layer = geo::read_layer(write_grid_shapefile(dir, dona_latin1, 0, "ISO-8859-1").string(), o);
    EXPECT_EQ(feature(layer, "35013").name, dona_utf8);
}

TEST(BadDbf, Latin1LanguageDriverByteIsRecoded) {
    const auto dir = temp_dir();
    geo::LayerOptions o;
    o.key_field = "GEOID";
    o.name_field = "NAME";
    // LDID 0x57 = Windows ANSI (1252), where 0xF1 is also ñ.
    const auto layer = geo::read_layer(write_grid_shapefile(dir, dona_latin1, 0x57, "").string(), o);
    EXPECT_EQ(feature(layer, "35013").name, dona_utf8);
}

TEST(BadDbf, Latin1WithoutCpgIsRecodedWithAWarning) {
    // GDAL 3.6 leaves the bytes as they are when neither a .cpg nor the LDID byte names the
    // encoding (checked with ogrinfo); the reader must notice they are not UTF-8.
    const auto dir = temp_dir();
    geo::LayerOptions o;
    o.key_field = "GEOID";
    o.name_field = "NAME";
    const auto layer = geo::read_layer(write_grid_shapefile(dir, dona_latin1, 0, "").string(), o);
    EXPECT_EQ(feature(layer, "35013").name, dona_utf8);
    EXPECT_EQ(feature(layer, "35015").name, "Eddy County");
    std::string all;
    for (const auto& w : layer.stats.warnings) {
        all += w + "\n";
    }
    EXPECT_NE(all.find("Latin-1"), std::string::npos) << all;
    EXPECT_NE(all.find("nm.dbf"), std::string::npos) << all;
}

TEST(BadDbf, Utf8WithoutCpgStaysAsItIs) {
    const auto dir = temp_dir();
    geo::LayerOptions o;
    o.key_field = "GEOID";
    o.name_field = "NAME";
    const auto layer = geo::read_layer(write_grid_shapefile(dir, dona_utf8, 0, "").string(), o);
    EXPECT_EQ(feature(layer, "35013").name, dona_utf8);  // not recoded twice ("DoÃ±a")
}

// --- geometry repairs ---

TEST(BadGeometry, BowTieIsSplitIntoItsTwoTriangles) {
    auto f = grid_features();
    f[1].geometry = R"({"type":"Polygon","coordinates":[)" +
                    json_ring({{-87, 32}, {-86, 33}, {-86, 32}, {-87, 33}, {-87, 32}}) + "]}";
    const auto layer = read_geojson(temp_dir(), f);
    EXPECT_EQ(layer.stats.repaired, 1u);
    const auto& g = feature(layer, "01003").geometry;
    // Two triangles meeting at (-86.5, 32.5), each with base 1° and height 0.5°: 0.25 square degrees.
    ASSERT_EQ(g.size(), 2u);
    for (const auto& tri : g) {
        EXPECT_NEAR(std::abs(polygon_area(tri)), 0.25, 1e-12);
        EXPECT_GT(polygon_area(tri), 0.0) << "exteriors are stored counter-clockwise";
    }
    EXPECT_NEAR(multipolygon_area(g), 0.5, 1e-12);
    // The valid neighbours are untouched.
    EXPECT_NEAR(multipolygon_area(feature(layer, "01001").geometry), 1.0, 1e-12);
}

TEST(BadGeometry, WrongWindingIsCorrectedAndTheHoleStaysAHole) {
    auto f = grid_features();
    f[0].geometry =
        R"({"type":"Polygon","coordinates":[)" + json_ring({{-88, 32}, {-88, 33}, {-87, 33}, {-87, 32}, {-88, 32}}) +
        "," + json_ring({{-87.75, 32.25}, {-87.75, 32.75}, {-87.25, 32.75}, {-87.25, 32.25}, {-87.75, 32.25}}) + "]}";
    const auto layer = read_geojson(temp_dir(), f);
    const auto& g = feature(layer, "01001").geometry;
    ASSERT_EQ(g.size(), 1u);
    ASSERT_EQ(g[0].size(), 2u) << "the hole must stay a hole of the same polygon";
    EXPECT_NEAR(geo::signed_area(g[0][0]), 1.0, 1e-12);
    EXPECT_NEAR(geo::signed_area(g[0][1]), -0.25, 1e-12);
    EXPECT_GE(layer.stats.rewound, 1u);
}

TEST(BadGeometry, NullAndEmptyGeometriesAreKeptEmptyAndCounted) {
    auto f = grid_features();
    f.push_back({"01009", "Null County", "null"});
    f.push_back({"01011", "Empty County", R"({"type":"Polygon","coordinates":[]})"});
    const auto layer = read_geojson(temp_dir(), f);
    ASSERT_EQ(layer.features.size(), 6u);
    EXPECT_EQ(layer.stats.empty_geometries, 2u);
    EXPECT_TRUE(feature(layer, "01009").geometry.empty());
    EXPECT_TRUE(feature(layer, "01011").geometry.empty());
    EXPECT_EQ(layer.stats.warnings.size(), 2u);
}

TEST(BadGeometry, FeatureFarOutsideItsCrsIsAnInputErrorNamingIt) {
    const auto dir = temp_dir();
    std::vector<JsonFeature> f{{"01001", "A", json_square(800000, 1000000, 900000, 1100000)},
                               {"01007", "B", json_square(5e7, 5e7, 5.01e7, 5.01e7)}};
    const auto path = write_file(dir / "far.geojson", feature_collection(f, "urn:ogc:def:crs:EPSG::5070"));
    geo::LayerOptions o;
    o.key_field = "GEOID";
    try {
        (void)geo::read_layer(path.string(), o);
        FAIL() << "a feature PROJ cannot bring back to lon/lat must not pass silently";
    } catch (const InputError& e) {
        EXPECT_EQ(e.feature(), "01007");
        EXPECT_EQ(e.path(), path.string());
    }
}

// --- keys and joins ---

TEST(BadValues, FipsStoredAsNumbersAreRepaired) {
    const auto r = join_csv(temp_dir(), "fips,agreements\n1001,3\n1003.0,0\n 1005 ,7\n01007,1\n");
    ASSERT_EQ(r.values.size(), 4u);
    EXPECT_EQ(r.values[0], 3.0);
    EXPECT_EQ(r.values[1], 0.0);
    EXPECT_EQ(r.values[2], 7.0);
    EXPECT_EQ(r.values[3], 1.0);
    EXPECT_EQ(r.report.matched, 4u);
    EXPECT_TRUE(r.report.unmatched_rows.empty());
    // Each changed key is reported with its line.
    ASSERT_GE(r.report.fixes.size(), 2u);
    bool saw_1003 = false;
    for (const auto& fix : r.report.fixes) {
        if (fix.from == "1003.0") {
            saw_1003 = true;
            EXPECT_EQ(fix.to, "01003");
            EXPECT_EQ(fix.line, 3u);
        }
    }
    EXPECT_TRUE(saw_1003);
}

TEST(BadValues, DuplicateKeysAreAnErrorNamingBothLines) {
    const std::string csv = "fips,agreements\n01001,3\n01001,4\n01005,7\n01007,1\n";
    try {
        (void)join_csv(temp_dir(), csv);
        FAIL() << "duplicates must be an error by default";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("values.csv"), std::string::npos) << what;
        EXPECT_NE(what.find("01001"), std::string::npos) << what;
        EXPECT_NE(what.find('2'), std::string::npos) << what;
        EXPECT_NE(what.find('3'), std::string::npos) << what;
    }
}

TEST(BadValues, DuplicatePolicyFirstAndSum) {
    const std::string csv = "fips,agreements\n01001,3\n01001,4\n01005,7\n01007,1\n";
    const auto first = join_csv(temp_dir(), csv, geo::Duplicates::first);
    EXPECT_EQ(first.values[0], 3.0);
    const auto sum = join_csv(temp_dir(), csv, geo::Duplicates::sum);
    EXPECT_EQ(sum.values[0], 7.0);
    EXPECT_EQ(sum.values[1], std::nullopt) << "01003 has no row";
    EXPECT_EQ(sum.values[2], 7.0);
    ASSERT_EQ(sum.report.duplicates.size(), 1u);
    EXPECT_EQ(sum.report.duplicates[0].key, "01001");
    EXPECT_EQ(sum.report.duplicates[0].lines, (std::vector<std::size_t>{2, 3}));
}

TEST(BadValues, NanIsNoDataAndNegativeCountsAreWarnedAbout) {
    const auto r = join_csv(temp_dir(), "fips,agreements\n01001,NaN\n01003,-2\n01005,7\n01007,1\n");
    EXPECT_EQ(r.values[0], std::nullopt);
    EXPECT_EQ(r.values[2], 7.0);
    std::string all;
    for (const auto& w : r.report.warnings) {
        all += w + "\n";
    }
    EXPECT_NE(all.find("NaN"), std::string::npos) << all;
    EXPECT_NE(all.find("-2"), std::string::npos) << all;
}

// --- CSV as spreadsheets save it ---

TEST(BadCsv, BomIsRemovedWithAWarning) {
    const auto dir = temp_dir();
    const auto t = geo::read_table(write_file(dir / "bom.csv", "\xEF\xBB\xBF" + grid_values_csv()).string());
    ASSERT_EQ(t.columns.size(), 2u);
    EXPECT_EQ(t.columns[0], "fips");
    EXPECT_EQ(t.rows.size(), 4u);
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("BOM"), std::string::npos);
}

TEST(BadCsv, CrlfReadsLikeLf) {
    const auto dir = temp_dir();
    const auto lf = geo::read_table(write_file(dir / "lf.csv", grid_values_csv()).string());
    const auto crlf = geo::read_table(
        write_file(dir / "crlf.csv", "fips,agreements\r\n01001,3\r\n01003,0\r\n01005,7\r\n01007,1\r\n").string());
    EXPECT_EQ(crlf.columns, lf.columns);
    EXPECT_EQ(crlf.rows, lf.rows);
    EXPECT_EQ(crlf.lines, lf.lines);
}

TEST(BadCsv, QuotedNewlineStaysInItsCellAndLinesCountOn) {
    const auto dir = temp_dir();
    const auto t = geo::read_table(
        write_file(dir / "q.csv", "fips,name,agreements\n01001,\"Autauga\nCounty\",3\n01003,Baldwin,0\n").string());
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][1], "Autauga\nCounty");
    EXPECT_EQ(t.lines, (std::vector<std::size_t>{2, 4}));
}

TEST(BadCsv, RaggedRowNamesItsLine) {
    const auto dir = temp_dir();
    try {
        (void)geo::read_table(write_file(dir / "r.csv", "fips,agreements\n01001,3\n01003,0,9\n").string());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 3u);
    }
}

TEST(BadCsv, NonUtf8ByteNamesLineAndColumn) {
    const auto dir = temp_dir();
    try {
        (void)geo::read_table(write_file(dir / "n.csv",
                                         "fips,name\n01001,A\n01005,Do\xD1"
                                         "a Ana\n")
                                  .string());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 3u);
        EXPECT_NE(std::string(e.what()).find("column 9"), std::string::npos) << e.what();  // "01005,Do" is 8 bytes
    }
}

TEST(BadXlsx, ExtraHeaderRowsAreSkipped) {
    geo::TableOptions o;
    o.header_contains = "fips";
    const auto t = geo::read_table((data_dir() / "bad" / "extra-header-rows.xlsx").string(), o);
    EXPECT_EQ(t.columns, (std::vector<std::string>{"fips", "agreements"}));
    ASSERT_EQ(t.rows.size(), 4u);
    EXPECT_EQ(t.rows[0][0], "01001");
    EXPECT_EQ(t.rows[2][1], "7");
    EXPECT_EQ(t.lines.front(), 5u);  // row 4 is the header
    ASSERT_FALSE(t.warnings.empty());
    EXPECT_NE(t.warnings[0].find("3 rows"), std::string::npos) << t.warnings[0];
}

// --- job files: line, column and a suggestion ---

namespace {

JobError job_error(const std::string& text) {
    try {
        (void)styles::parse_job_text(text, "job.toml", "");
    } catch (const JobError& e) {
        return e;
    }
    throw std::runtime_error("no JobError for:\n" + text);
}

}  // namespace

TEST(BadJob, EmptyFile) {
    const auto e = job_error("");
    EXPECT_EQ(e.path(), "job.toml");
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
}

TEST(BadJob, NearMissKeyGetsASuggestion) {
    const auto e = job_error("[classify]\nclases = 5\n");
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 1u);
    EXPECT_NE(std::string(e.what()).find("did you mean 'classes'"), std::string::npos) << e.what();
}

TEST(BadJob, WrongTypeNamesTheValue) {
    const auto e = job_error("[map]\ntitle = \"x\"\nwidth = \"wide\"\n");
    EXPECT_EQ(e.line(), 3u);
    EXPECT_NE(std::string(e.what()).find("width"), std::string::npos) << e.what();
}

TEST(BadJob, SyntaxErrorHasALine) {
    const auto e = job_error("[map]\nwidth = = 3\n");
    EXPECT_EQ(e.line(), 2u);
}

// Found by fuzz_shapefile (tests/data/bad/fuzz/shapefile/nan-and-huge-latitude): NaN and 1e68
// coordinates went through to the renderer.
TEST(BadGeometry, NanCoordinateIsAnInputErrorNamingTheFeature) {
    const auto dir = temp_dir();
    const double nan = std::nan("");
    const auto b = make_shapefile(
        {{{clockwise_square(-88, 32, -87, 33)}}, {{{{-87, 32}, {-87, nan}, {-86, 33}, {-86, 32}, {-87, 32}}}}},
        {{"GEOID", 'C', 5, 0}},
        {{"01001"}, {"01003"}});
    write_file(dir / "nan.shp", b.shp);
    write_file(dir / "nan.shx", b.shx);
    write_file(dir / "nan.dbf", b.dbf);
    geo::LayerOptions o;
    o.key_field = "GEOID";
    o.srs = "EPSG:4326";
    try {
        (void)geo::read_layer((dir / "nan.shp").string(), o);
        FAIL() << "a NaN coordinate must not pass";
    } catch (const InputError& e) {
        EXPECT_EQ(e.feature(), "01003");
        EXPECT_NE(std::string(e.what()).find("nan"), std::string::npos) << e.what();
    }
}

TEST(BadGeometry, LatitudeBeyondThePoleIsAnInputError) {
    const auto dir = temp_dir();
    auto f = grid_features();
    f[2].geometry = json_square(-88, 500, -87, 501);
    try {
        (void)read_geojson(dir, f);
        FAIL() << "latitude 500 must not pass";
    } catch (const InputError& e) {
        EXPECT_EQ(e.feature(), "01005");
        EXPECT_NE(std::string(e.what()).find("latitudes within"), std::string::npos) << e.what();
    }
}
