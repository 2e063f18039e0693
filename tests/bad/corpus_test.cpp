// The bad-input corpus run through the choro executable. The expected outcome of every case is
// the table in tests/data/bad/cases.md; this file only builds each case's inputs and checks the
// outcome the table states (exit code, stderr fragments, output left or not).

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "process.hpp"
#include "shapefile_writer.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/render/image.hpp"

namespace fs = std::filesystem;
using namespace choro::test;

namespace {

// ---------------------------------------------------------------- the table of cases.md

struct Case {
    std::string id;
    std::string args;
    int exit_code = -1;
    std::vector<std::string> stderr_parts;
    bool map = false;
    std::size_t line = 0;  // in cases.md, for messages
};

std::vector<std::string> backticked(const std::string& cell) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = cell.find('`', pos)) != std::string::npos) {
        const auto end = cell.find('`', pos + 1);
        if (end == std::string::npos) {
            break;
        }
        out.push_back(cell.substr(pos + 1, end - pos - 1));
        pos = end + 1;
    }
    return out;
}

std::string trimmed(std::string s) {
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<Case> load_cases() {
    const fs::path path = data_dir() / "bad" / "cases.md";
    const std::string text = read_file(path);
    std::vector<Case> cases;
    std::size_t line_no = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        ++line_no;
        if (line.rfind("| `", 0) != 0) {
            continue;  // prose, the header and the |---| rule
        }
        std::vector<std::string> cells;
        std::size_t p = 1;
        while (p < line.size()) {
            const auto bar = line.find('|', p);
            if (bar == std::string::npos) {
                break;
            }
            cells.push_back(trimmed(line.substr(p, bar - p)));
            p = bar + 1;
        }
        if (cells.size() != 6) {
            throw std::runtime_error(path.string() + ":" + std::to_string(line_no) + ": expected 6 cells");
        }
        Case c;
        c.id = backticked(cells[0]).at(0);
        for (const auto& a : backticked(cells[2])) {
            c.args += (c.args.empty() ? "" : " ") + a;
        }
        c.exit_code = std::stoi(cells[3]);
        c.stderr_parts = backticked(cells[4]);
        if (cells[5] != "map" && cells[5] != "none") {
            throw std::runtime_error(path.string() + ":" + std::to_string(line_no) + ": output must be map or none");
        }
        c.map = cells[5] == "map";
        c.line = line_no;
        cases.push_back(c);
    }
    return cases;
}

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::size_t p = 0;
    while (p < s.size()) {
        const auto b = s.find_first_not_of(' ', p);
        if (b == std::string::npos) {
            break;
        }
        const auto e = s.find(' ', b);
        out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
        p = e == std::string::npos ? s.size() : e;
    }
    return out;
}

// ---------------------------------------------------------------- the inputs of each case

constexpr const char* wgs84_prj =
    R"(GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],)"
    R"(PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]])";

/// The grid as a shapefile; `scale`/`offset` move it into other units (metres for EPSG:5070).
ShapefileBytes grid_shapefile(std::uint8_t ldid = 0,
                              const std::string& first_name = "County 0",
                              double scale = 1.0,
                              double ox = 0.0,
                              double oy = 0.0) {
    std::vector<ShpPolygon> shapes;
    std::vector<std::vector<std::string>> records;
    const char* keys[] = {"01001", "01003", "01005", "01007"};
    for (int i = 0; i < 4; ++i) {
        const double x = -88.0 + (i % 2);
        const double y = 32.0 + (i / 2);
        shapes.push_back(
            {{clockwise_square(ox + x * scale, oy + y * scale, ox + (x + 1) * scale, oy + (y + 1) * scale)}});
        records.push_back({keys[i], i == 0 ? first_name : "County " + std::to_string(i)});
    }
    return make_shapefile(shapes, {{"GEOID", 'C', 5, 0}, {"NAME", 'C', 40, 0}}, records, ldid);
}

struct Parts {
    bool shx = true;
    bool dbf = true;
    std::string prj = wgs84_prj;  // empty = no .prj
    std::string cpg;              // empty = no .cpg
};

Parts parts_without(bool shx, bool dbf, bool prj) {
    Parts p;
    p.shx = shx;
    p.dbf = dbf;
    if (!prj) {
        p.prj.clear();
    }
    return p;
}

Parts parts_with_cpg(std::string cpg) {
    Parts p;
    p.cpg = std::move(cpg);
    return p;
}

fs::path write_shapefile(const fs::path& dir, const ShapefileBytes& b, const Parts& parts) {
    write_file(dir / "counties.shp", b.shp);
    if (parts.shx) {
        write_file(dir / "counties.shx", b.shx);
    }
    if (parts.dbf) {
        write_file(dir / "counties.dbf", b.dbf);
    }
    if (!parts.prj.empty()) {
        write_file(dir / "counties.prj", parts.prj);
    }
    if (!parts.cpg.empty()) {
        write_file(dir / "counties.cpg", parts.cpg);
    }
    return dir / "counties.shp";
}

const std::string latin1_dona =
    "Do\xF1"
    "a Ana County";

/// Writes the inputs of case `id` into `dir` and returns the full command line (without -o).
using Maker = std::function<std::vector<std::string>(const fs::path& dir)>;

std::vector<std::string> geojson_case(const fs::path& dir,
                                      const std::vector<JsonFeature>& features,
                                      const std::string& crs = {},
                                      const std::string& values = grid_values_csv()) {
    const auto b = write_file(dir / "counties.geojson", feature_collection(features, crs));
    const auto v = write_file(dir / "values.csv", values);
    return render_args(b, v);
}

std::vector<std::string> values_case(const fs::path& dir, const std::string& values) {
    return geojson_case(dir, grid_features(), {}, values);
}

std::vector<std::string> shapefile_case(const fs::path& dir, const ShapefileBytes& bytes, const Parts& parts) {
    const auto b = write_shapefile(dir, bytes, parts);
    const auto v = write_file(dir / "values.csv", grid_values_csv());
    return render_args(b, v);
}

std::vector<std::string> job_case(const fs::path& dir, const std::string& toml) {
    auto args = values_case(dir, grid_values_csv());
    const auto job = write_file(dir / "job.toml", toml);
    args.insert(args.begin() + 1, job.string());
    return args;
}

// Metres in EPSG:5070 around Alabama: 100 km squares from (800 km, 1000 km).
ShapefileBytes projected_grid() {
    return grid_shapefile(0, "County 0", 100000.0, 800000.0 + 88.0 * 100000.0, 1000000.0 - 32.0 * 100000.0);
}

// `choro tiles` on the grid: the data flags only (tiles are always Web Mercator).
std::vector<std::string> tiles_case(const fs::path& dir, const std::string& values = grid_values_csv()) {
    auto args = values_case(dir, values);
    args[0] = "tiles";
    args.resize(11);
    return args;
}

// Two shard parts (0/2 and 1/2) of `choro tiles` runs that differ by `second_extra`, then the
// `choro merge` of them (the test adds -o). Parts are made here, so the case runs as one command.
std::vector<std::string> merge_case(const fs::path& dir,
                                    const std::vector<std::string>& second_extra,
                                    const std::string& second_values = grid_values_csv()) {
    std::vector<std::string> merge{"merge"};
    for (int i = 0; i < 2; ++i) {
        const fs::path sub = dir / ("run" + std::to_string(i));
        fs::create_directories(sub);
        auto args = tiles_case(sub, i == 0 ? grid_values_csv() : second_values);
        args.insert(args.end(),
                    {"--zoom", "0-3", "-q", "--shard", std::to_string(i) + "/2", "-o", (dir / "set.mbtiles").string()});
        if (i == 1) {
            args.insert(args.end(), second_extra.begin(), second_extra.end());
        }
        const auto r = run_choro(args);
        if (r.exit_code != 0) {
            ADD_FAILURE() << "making a part failed: " << r.err;
        }
        merge.push_back((dir / ("set.mbtiles.part-000" + std::to_string(i) + "-of-0002.mbtiles")).string());
    }
    return merge;
}

const std::map<std::string, Maker>& makers() {
    static const std::map<std::string, Maker> m = {
        {"shp-complete", [](const fs::path& d) { return shapefile_case(d, grid_shapefile(), Parts{}); }},
        {"shp-no-shx",
         [](const fs::path& d) { return shapefile_case(d, grid_shapefile(), parts_without(false, true, true)); }},
        {"shp-no-dbf",
         [](const fs::path& d) { return shapefile_case(d, grid_shapefile(), parts_without(true, false, true)); }},
        {"shp-no-prj-lonlat",
         [](const fs::path& d) { return shapefile_case(d, grid_shapefile(), parts_without(true, true, false)); }},
        {"shp-no-prj-projected",
         [](const fs::path& d) { return shapefile_case(d, projected_grid(), parts_without(true, true, false)); }},
        {"shp-no-prj-projected-srs",
         [](const fs::path& d) { return shapefile_case(d, projected_grid(), parts_without(true, true, false)); }},
        {"dbf-latin1-cpg",
         [](const fs::path& d) {
             return shapefile_case(d, grid_shapefile(0, latin1_dona), parts_with_cpg("ISO-8859-1"));
         }},
        {"dbf-latin1-no-cpg",
         [](const fs::path& d) { return shapefile_case(d, grid_shapefile(0, latin1_dona), Parts{}); }},
        {"polygon-self-intersecting",
         [](const fs::path& d) {
             auto f = grid_features();
             // 01003 covers 87–86° W, 32–33° N; as a bow-tie its ring crosses itself at (-86.5, 32.5).
             f[1].geometry = R"({"type":"Polygon","coordinates":[)" +
                             json_ring({{-87, 32}, {-86, 33}, {-86, 32}, {-87, 33}, {-87, 32}}) + "]}";
             return geojson_case(d, f);
         }},
        {"polygon-wrong-winding",
         [](const fs::path& d) {
             auto f = grid_features();
             // Exterior clockwise and a hole wound the same way (RFC 7946 wants CCW exterior, CW holes).
             f[0].geometry =
                 R"({"type":"Polygon","coordinates":[)" +
                 json_ring({{-88, 32}, {-88, 33}, {-87, 33}, {-87, 32}, {-88, 32}}) + "," +
                 json_ring({{-87.75, 32.25}, {-87.75, 32.75}, {-87.25, 32.75}, {-87.25, 32.25}, {-87.75, 32.25}}) +
                 "]}";
             return geojson_case(d, f);
         }},
        {"geometry-null-and-empty",
         [](const fs::path& d) {
             auto f = grid_features();
             f.push_back({"01009", "Null County", "null"});
             f.push_back({"01011", "Empty County", R"({"type":"Polygon","coordinates":[]})"});
             return geojson_case(d, f);
         }},
        {"geometry-far-outside-crs",
         [](const fs::path& d) {
             std::vector<JsonFeature> f;
             const char* keys[] = {"01001", "01003", "01005", "01007"};
             for (int i = 0; i < 4; ++i) {
                 const double x = 800000.0 + 100000.0 * (i % 2);
                 const double y = 1000000.0 + 100000.0 * (i / 2);
                 f.push_back({keys[i], "County", json_square(x, y, x + 100000.0, y + 100000.0)});
             }
             f[3].geometry = json_square(5e7, 5e7, 5.01e7, 5.01e7);  // PROJ's inverse gives inf here
             return geojson_case(d, f, "urn:ogc:def:crs:EPSG::5070");
         }},
        {"fips-as-numbers",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n1001,3\n1003.0,0\n 1005 ,7\n01007,1\n"); }},
        {"duplicate-keys",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n01001,4\n01005,7\n01007,1\n"); }},
        {"duplicate-keys-first",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n01001,4\n01005,7\n01007,1\n"); }},
        {"duplicate-keys-sum",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n01001,4\n01005,7\n01007,1\n"); }},
        {"csv-bom", [](const fs::path& d) { return values_case(d, "\xEF\xBB\xBF" + grid_values_csv()); }},
        {"csv-crlf",
         [](const fs::path& d) {
             return values_case(d, "fips,agreements\r\n01001,3\r\n01003,0\r\n01005,7\r\n01007,1\r\n");
         }},
        {"csv-ragged",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n01003,0,9\n01005,7\n"); }},
        {"csv-quoted-newline",
         [](const fs::path& d) {
             auto args = values_case(d, "fips,name,agreements\n01001,\"Autauga\nCounty\",3\n01003,Baldwin,0\n");
             return args;
         }},
        {"csv-unterminated-quote",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n01003,\"0\n01005,7\n"); }},
        {"csv-non-utf8",
         [](const fs::path& d) {
             return values_case(d,
                                "fips,name,agreements\n01001,A,3\n01003,B,0\n01005,Do\xD1"
                                "a Ana,7\n");
         }},
        {"csv-nan-negative",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,NaN\n01003,-2\n01005,7\n01007,1\n"); }},
        {"xlsx-extra-header-rows",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             fs::copy_file(data_dir() / "bad" / "extra-header-rows.xlsx", d / "values.xlsx");
             args[6] = (d / "values.xlsx").string();
             return args;
         }},
        {"job-empty", [](const fs::path& d) { return job_case(d, ""); }},
        {"job-unknown-key-near-miss", [](const fs::path& d) { return job_case(d, "[classify]\nclases = 5\n"); }},
        {"job-unknown-key", [](const fs::path& d) { return job_case(d, "[style]\ncolour_ramp = 1\n"); }},
        {"job-wrong-type", [](const fs::path& d) { return job_case(d, "[classify]\nclasses = \"five\"\n"); }},
        {"job-unknown-section", [](const fs::path& d) { return job_case(d, "[clasify]\nclasses = 5\n"); }},
        {"job-toml-syntax", [](const fs::path& d) { return job_case(d, "[map\nwidth = 10\n"); }},
        {"limit-width", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"limit-classes", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"limit-zoom", [](const fs::path& d) { return job_case(d, "[tiles]\nzoom = \"0-30\"\n"); }},
        {"projection-unknown", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"projection-rejected", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"projection-interrupted", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"extent-no-width", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"extent-south-above-north", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"extent-empty", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"extent-of-unknown-key", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"extent-across-180", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"limit-zoom-tiles",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             args[0] = "tiles";
             args.resize(11);  // the data flags only: tiles are always Web Mercator
             return args;
         }},
        {"tiles-bbox-nan", [](const fs::path& d) { return tiles_case(d); }},
        {"tiles-bbox-inf", [](const fs::path& d) { return tiles_case(d); }},
        {"tiles-metatile-zero", [](const fs::path& d) { return tiles_case(d); }},
        {"merge-parts-other-data",
         [](const fs::path& d) { return merge_case(d, {}, "fips,agreements\n01001,9\n01003,0\n01005,7\n01007,1\n"); }},
        {"merge-parts-other-metatile",
         [](const fs::path& d) {
             return merge_case(d, {"--metatile", "2"});
         }},
        {"merge-parts-other-zooms",
         [](const fs::path& d) {
             auto args = merge_case(d, {});
             // The second part made again for zooms 0-2 under the same name.
             const fs::path sub = d / "run1";
             auto tiles = tiles_case(sub);
             tiles.insert(tiles.end(), {"--zoom", "0-2", "-q", "--shard", "1/2", "-o", (d / "set.mbtiles").string()});
             fs::remove(args[2]);
             if (run_choro(tiles).exit_code != 0) {
                 ADD_FAILURE() << "making a part failed";
             }
             return args;
         }},
    };
    return m;
}

// gtest prints a parameter with this instead of its bytes.
void PrintTo(const Case& c, std::ostream* os) {
    *os << c.id << " (cases.md:" << c.line << ")";
}

class Corpus : public ::testing::TestWithParam<Case> {};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    std::string n = info.param.id;
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
}

}  // namespace

TEST(CorpusTable, EveryCaseHasInputsAndEveryInputHasACase) {
    const auto cases = load_cases();
    ASSERT_GE(cases.size(), 30u);
    std::vector<std::string> ids;
    for (const auto& c : cases) {
        EXPECT_TRUE(makers().count(c.id)) << "cases.md:" << c.line << ": no inputs for case " << c.id;
        EXPECT_TRUE(c.exit_code == 0 || (c.exit_code >= 2 && c.exit_code <= 8)) << c.id;
        EXPECT_EQ(c.map, c.exit_code == 0) << c.id << ": a map exactly when the run succeeds";
        ids.push_back(c.id);
    }
    for (const auto& [id, maker] : makers()) {
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id << " has inputs but no row in cases.md";
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "a case id appears twice";
}

TEST_P(Corpus, OutcomeIsTheOneInTheTable) {
    const Case& c = GetParam();
    const auto it = makers().find(c.id);
    ASSERT_NE(it, makers().end()) << c.id;
    const fs::path dir = temp_dir();
    auto args = it->second(dir);
    // Extra flags replace a base flag of the same name (CLI11 refuses a flag given twice).
    const auto extra = split_words(c.args);
    for (std::size_t i = 0; i < extra.size(); ++i) {
        const auto at = std::find(args.begin(), args.end(), extra[i]);
        if (at != args.end() && i + 1 < extra.size() && at + 1 != args.end()) {
            *(at + 1) = extra[++i];
        } else {
            args.push_back(extra[i]);
        }
    }
    const fs::path out = dir / "out.png";
    args.push_back("-o");
    args.push_back(out.string());

    const auto r = run_choro_timed(args, std::chrono::seconds(30));
    ASSERT_FALSE(r.timed_out) << c.id << ": choro hung (killed after 30 s)";
    ASSERT_EQ(r.signal, 0) << c.id << ": choro died of signal " << r.signal << "\n" << r.err;
    EXPECT_EQ(r.exit_code, c.exit_code) << "cases.md:" << c.line << " " << c.id << "\nstderr:\n" << r.err;
    for (const auto& part : c.stderr_parts) {
        EXPECT_NE(r.err.find(part), std::string::npos)
            << "cases.md:" << c.line << " " << c.id << ": stderr lacks '" << part << "':\n"
            << r.err;
    }
    if (c.exit_code != 0) {
        // An error is one line starting "choro: " (no stack dump, no GDAL noise before it).
        EXPECT_NE(r.err.find("choro: "), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    }
    if (c.map) {
        ASSERT_TRUE(fs::exists(out)) << c.id << ": no map written\n" << r.err;
        const auto img = choro::render::decode_png(read_file(out));
        EXPECT_EQ(img.width, 200);
        EXPECT_EQ(img.height, 120);
        EXPECT_TRUE(no_files_starting(dir, "out.png.tmp")) << c.id << ": temporary file left behind";
    } else {
        EXPECT_FALSE(fs::exists(out)) << c.id << ": a failed run left an output";
        EXPECT_TRUE(no_files_starting(dir, "out.")) << c.id << ": a failed run left a file";
    }
}

INSTANTIATE_TEST_SUITE_P(BadInputs, Corpus, ::testing::ValuesIn(load_cases()), case_name);
