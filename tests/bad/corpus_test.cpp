// The bad-input corpus run through the choro executable. The expected outcome of every case is
// the table in tests/data/bad/cases.md; this file only builds each case's inputs and checks the
// outcome the table states (exit code, stderr fragments, output left or not).

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "process.hpp"
#include "redirected_run.hpp"
#include "shapefile_writer.hpp"
#include "test_support.hpp"
#include <cpl_vsi.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "choro/render/image.hpp"

namespace fs = std::filesystem;
using namespace choro::test;

namespace {

// ---------------------------------------------------------------- the table of cases.md

/// What a case must leave: `map` (out.png written and decodable), `none` (no new file at all),
/// `kept` (a failure that leaves the files that were there, out.png included, as they were),
/// `stdout` (a PNG on standard output, no new file).
enum class Output { map, none, kept, stdout_png };

struct Case {
    std::string id;
    std::string args;
    int exit_code = -1;
    std::vector<std::string> stderr_parts;
    Output output = Output::none;
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
        if (cells[5] == "map") {
            c.output = Output::map;
        } else if (cells[5] == "none") {
            c.output = Output::none;
        } else if (cells[5] == "kept") {
            c.output = Output::kept;
        } else if (cells[5] == "stdout") {
            c.output = Output::stdout_png;
        } else {
            throw std::runtime_error(path.string() + ":" + std::to_string(line_no) +
                                     ": output must be map, none, kept or stdout");
        }
        c.map = c.output == Output::map;
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

// ---------------------------------------------------------------- issue 12: helpers

/// `args` without `flag` and its value.
std::vector<std::string> without(std::vector<std::string> args, const std::string& flag) {
    const auto at = std::find(args.begin(), args.end(), flag);
    if (at != args.end()) {
        args.erase(at, at + 2 <= args.end() ? at + 2 : args.end());
    }
    return args;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& extra) {
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// The value of `flag` in `args` replaced.
std::vector<std::string> set_flag(std::vector<std::string> args, const std::string& flag, const std::string& value) {
    const auto at = std::find(args.begin(), args.end(), flag);
    if (at != args.end() && at + 1 != args.end()) {
        *(at + 1) = value;
    } else {
        args.push_back(flag);
        args.push_back(value);
    }
    return args;
}

/// The grid's value table with each key passed through `key`.
std::string values_with_keys(const std::function<std::string(const std::string&)>& key) {
    const char* keys[] = {"01001", "01003", "01005", "01007"};
    const int values[] = {3, 0, 7, 1};
    std::string csv = "fips,agreements\n";
    for (int i = 0; i < 4; ++i) {
        csv += key(keys[i]) + "," + std::to_string(values[i]) + "\n";
    }
    return csv;
}

/// The grid's value table with the values as given.
std::string values_with(const std::vector<std::string>& values, const std::string& sep = ",") {
    const char* keys[] = {"01001", "01003", "01005", "01007"};
    std::string csv = "fips" + sep + "agreements\n";
    for (std::size_t i = 0; i < 4; ++i) {
        csv += std::string(keys[i]) + sep + values[i] + "\n";
    }
    return csv;
}

/// Grid features whose key is written by `key` (as JSON: a quoted string or a number).
std::string grid_geojson_with_keys(const std::function<std::string(const std::string&)>& key) {
    std::string out = R"({"type":"FeatureCollection","features":[)";
    const auto f = grid_features();
    for (std::size_t i = 0; i < f.size(); ++i) {
        out += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"GEOID":)" + key(f[i].key) +
               R"(,"NAME":")" + f[i].name + R"("},"geometry":)" + f[i].geometry + "}";
    }
    return out + "]}";
}

std::vector<std::string> boundary_text_case(const fs::path& dir,
                                            const std::string& geojson,
                                            const std::string& values) {
    const auto b = write_file(dir / "counties.geojson", geojson);
    const auto v = write_file(dir / "values.csv", values);
    return render_args(b, v);
}

std::vector<std::string> notes_case(const fs::path& dir, const std::string& notes_path) {
    return with(values_case(dir, grid_values_csv()), {"--notes-file", notes_path});
}

std::string fifo(const fs::path& dir, const std::string& name) {
    const fs::path p = dir / name;
    if (::mkfifo(p.c_str(), 0644) != 0) {
        throw std::runtime_error("mkfifo failed");
    }
    return p.string();
}

/// A minimal XLSX (written with GDAL's /vsizip/) whose sheet cells name shared strings by index.
void write_xlsx(const fs::path& path, const std::string& sheet_rows, const std::vector<std::string>& strings) {
    const std::string zip = "/vsizip/" + path.string();
    const auto put = [&](const std::string& name, const std::string& text) {
        VSILFILE* f = VSIFOpenL((zip + "/" + name).c_str(), "wb");
        ASSERT_NE(f, nullptr) << name;
        VSIFWriteL(text.data(), 1, text.size(), f);
        VSIFCloseL(f);
    };
    put("[Content_Types].xml",
        R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
        R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
        R"(<Default Extension="xml" ContentType="application/xml"/>)"
        R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
        R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
        R"(<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>)"
        R"(</Types>)");
    put("_rels/.rels",
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
        R"(</Relationships>)");
    put("xl/workbook.xml",
        R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
        R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
        R"(<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)");
    put("xl/_rels/workbook.xml.rels",
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
        R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
        R"(</Relationships>)");
    std::string sst =
        R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)";
    for (const auto& t : strings) {
        sst += "<si><t>" + t + "</t></si>";
    }
    put("xl/sharedStrings.xml", sst + "</sst>");
    put("xl/worksheets/sheet1.xml",
        R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
            sheet_rows + "</sheetData></worksheet>");
}

/// One XLSX row: shared-string cells (t="s") and number cells.
std::string xlsx_row(int r, const std::string& a_index, const std::string& b_number) {
    const std::string n = std::to_string(r);
    return "<row r=\"" + n + "\"><c r=\"A" + n + "\" t=\"s\"><v>" + a_index + "</v></c><c r=\"B" + n + "\"" +
           (b_number.rfind("s", 0) == 0 ? " t=\"s\"><v>" + b_number.substr(1) : "><v>" + b_number) + "</v></c></row>";
}

std::vector<std::string> xlsx_case(const fs::path& d, const std::string& bad_index) {
    auto args = values_case(d, grid_values_csv());
    // Shared strings: 0 fips, 1 agreements, 2–5 the keys.
    std::string rows = xlsx_row(1, "0", "s1");
    const char* idx[] = {"2", "3", "4", "5"};
    const char* vals[] = {"3", "0", "7", "1"};
    for (int i = 0; i < 4; ++i) {
        rows += xlsx_row(i + 2, i == 2 ? bad_index : idx[i], vals[i]);
    }
    write_xlsx(d / "values.xlsx", rows, {"fips", "agreements", "01001", "01003", "01005", "01007"});
    return set_flag(args, "--values", (d / "values.xlsx").string());
}

std::vector<std::string> tiles_case(const fs::path& d, const std::vector<JsonFeature>& features) {
    auto args = geojson_case(d, features);
    args[0] = "tiles";
    args.resize(11);  // the data flags only
    return with(args, {"--zoom", "0-1", "-q"});
}

constexpr const char* geocentric_prj =
    R"(GEOCCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],)"
    R"(UNIT["metre",1],AXIS["Geocentric X",OTHER],AXIS["Geocentric Y",OTHER],AXIS["Geocentric Z",NORTH]])";

Parts parts_with_prj(std::string prj) {
    Parts p;
    p.prj = std::move(prj);
    return p;
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
        // ---- issue 12, item 1: silent wrong maps
        {"join-forgot-key",
         [](const fs::path& d) { return without(values_case(d, grid_values_csv()), "--key"); }},
        {"join-census-geo-id",
         [](const fs::path& d) {
             return values_case(d, values_with_keys([](const std::string& k) { return "0500000US" + k; }));
         }},
        {"join-integer-boundary-keys",
         [](const fs::path& d) {
             return boundary_text_case(d,
                                       grid_geojson_with_keys([](const std::string& k) { return k.substr(1); }),
                                       grid_values_csv());
         }},
        {"join-integer-table-and-text-boundary",
         [](const fs::path& d) {
             return values_case(d, values_with_keys([](const std::string& k) { return k.substr(1); }));
         }},
        {"join-zero-width-space",
         [](const fs::path& d) {
             return values_case(d, values_with_keys([](const std::string& k) { return k + "\xE2\x80\x8B"; }));
         }},
        {"join-ideographic-space",
         [](const fs::path& d) {
             return values_case(d, values_with_keys([](const std::string& k) { return k + "\xE3\x80\x80"; }));
         }},
        {"join-fullwidth-digits",
         [](const fs::path& d) {
             return values_case(d, values_with_keys([](const std::string& k) {
                 std::string out;
                 for (const char c : k) {
                     out += "\xEF\xBC";
                     out += static_cast<char>(0x90 + (c - '0'));
                 }
                 return out;
             }));
         }},
        {"join-zero-width-boundary-keys",
         [](const fs::path& d) {
             return boundary_text_case(
                 d, grid_geojson_with_keys([](const std::string& k) { return "\"\xE2\x80\x8B" + k + "\""; }),
                 grid_values_csv());
         }},
        {"join-case-differs",
         [](const fs::path& d) {
             return boundary_text_case(d,
                                       grid_geojson_with_keys([](const std::string& k) {
                                           return std::string("\"C") + k.substr(3) + "\"";
                                       }),
                                       values_with_keys([](const std::string& k) { return "c" + k.substr(3); }));
         }},
        {"join-wrong-values-key",
         [](const fs::path& d) {
             return set_flag(values_case(d,
                                         "name,fips,agreements\nA,01001,3\nB,01003,0\nC,01005,7\nD,01007,1\n"),
                             "--values-key",
                             "name");
         }},
        {"join-weak",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n99003,0\n99005,7\n99007,1\n"); }},
        {"join-weak-allowed",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n99003,0\n99005,7\n99007,1\n"); }},
        {"join-min-match-error",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,3\n01003,0\n01005,7\n99007,1\n"); }},
        {"join-min-match-met", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"join-min-match-nan", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"join-min-match-above-one", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"join-count-none-matched",
         [](const fs::path& d) {
             return with(without(values_case(d, "fips\n99001\n99003\n"), "--value"), {"--count"});
         }},
        {"layer-empty", [](const fs::path& d) { return geojson_case(d, {}); }},
        {"layer-points-only",
         [](const fs::path& d) {
             std::vector<JsonFeature> f;
             for (const auto& g : grid_features()) {
                 f.push_back({g.key, g.name, R"({"type":"Point","coordinates":[-87.5,32.5]})"});
             }
             return geojson_case(d, f);
         }},
        {"layer-lines-only",
         [](const fs::path& d) {
             std::vector<JsonFeature> f;
             for (const auto& g : grid_features()) {
                 f.push_back({g.key, g.name, R"({"type":"LineString","coordinates":[[-88,32],[-86,34]]})"});
             }
             return geojson_case(d, f);
         }},
        {"layer-only-null-geometries",
         [](const fs::path& d) {
             std::vector<JsonFeature> f;
             for (const auto& g : grid_features()) {
                 f.push_back({g.key, g.name, "null"});
             }
             return geojson_case(d, f);
         }},
        {"csv-duplicate-header",
         [](const fs::path& d) {
             return values_case(d, "fips,agreements,agreements\n01001,3,4\n01003,0,1\n01005,7,2\n01007,1,5\n");
         }},
        {"csv-duplicate-header-case",
         [](const fs::path& d) {
             return values_case(d, "fips,Agreements,agreements \n01001,3,4\n01003,0,1\n01005,7,2\n01007,1,5\n");
         }},
        {"xlsx-duplicate-header",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             std::string rows = xlsx_row(1, "0", "s0");
             const char* idx[] = {"2", "3", "4", "5"};
             for (int i = 0; i < 4; ++i) {
                 rows += xlsx_row(i + 2, idx[i], "1");
             }
             write_xlsx(d / "values.xlsx", rows, {"fips", "agreements", "01001", "01003", "01005", "01007"});
             return set_flag(args, "--values", (d / "values.xlsx").string());
         }},
        {"csv-text-value-column",
         [](const fs::path& d) {
             return set_flag(values_case(d, "fips,name,agreements\n01001,A,3\n01003,B,0\n01005,C,7\n01007,D,1\n"),
                             "--value",
                             "name");
         }},
        {"csv-percent", [](const fs::path& d) { return values_case(d, values_with({"5.2%", "0%", "7.5 %", "1%"})); }},
        {"csv-percent-mixed", [](const fs::path& d) { return values_case(d, values_with({"5%", "0", "7", "1"})); }},
        {"csv-percent-mixed-strip",
         [](const fs::path& d) { return values_case(d, values_with({"5%", "0", "7", "1"})); }},
        {"csv-percent-plain", [](const fs::path& d) { return values_case(d, values_with({"5%", "0%", "7%", "1%"})); }},
        {"csv-currency",
         [](const fs::path& d) {
             return values_case(d, values_with({"\"$1,200\"", "$0", "\"$7,500.50\"", "$1"}));
         }},
        {"csv-currency-euro-after",
         [](const fs::path& d) {
             return values_case(
                 d, values_with({"1.200 \xE2\x82\xAC", "0 \xE2\x82\xAC", "7,5 \xE2\x82\xAC", "1 \xE2\x82\xAC"}, ";"));
         }},
        {"csv-decimal-comma-unflagged",
         [](const fs::path& d) { return values_case(d, values_with({"5,2", "0,5", "7,25", "1,5"}, ";")); }},
        {"csv-decimal-comma", [](const fs::path& d) { return values_case(d, values_with({"5,2", "0,5", "7,25", "1,5"}, ";")); }},
        {"csv-decimal-comma-thousands-dot",
         [](const fs::path& d) { return values_case(d, values_with({"1.200,5", "0,5", "7.000", "1"}, ";")); }},
        {"csv-thousands-space",
         [](const fs::path& d) { return values_case(d, values_with({"1 200", "0", "7 000", "1"})); }},
        {"csv-semicolon", [](const fs::path& d) { return values_case(d, values_with({"3", "0", "7", "1"}, ";")); }},
        {"csv-tab-in-csv", [](const fs::path& d) { return values_case(d, values_with({"3", "0", "7", "1"}, "\t")); }},
        {"csv-delimiter-flag",
         [](const fs::path& d) {
             return values_case(d, "fips;agreements;a,b,c\n01001;3;x\n01003;0;y\n01005;7;z\n01007;1;w\n");
         }},
        {"csv-delimiter-bad", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"csv-decimal-bad", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"csv-many-bad-values",
         [](const fs::path& d) {
             std::string csv = grid_values_csv();
             for (int i = 0; i < 300; ++i) {
                 csv += "9" + std::to_string(1000 + i) + ",n/a?\n";
             }
             return values_case(d, csv);
         }},
        {"csv-nul-byte",
         [](const fs::path& d) {
             return values_case(d, std::string("fips,agreements\n01001,3\n01003,0\n01005,7") + '\0' +
                                       "x\n01007,1\n");
         }},
        {"values-stdin",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             return with(set_flag(args, "--values", "-"), {"<stdin:" + (d / "values.csv").string() + ">"});
         }},
        {"values-stdin-semicolon",
         [](const fs::path& d) {
             auto args = values_case(d, values_with({"3", "0", "7", "1"}, ";"));
             return with(set_flag(args, "--values", "-"), {"<stdin:" + (d / "values.csv").string() + ">"});
         }},
        {"values-stdin-empty",
         [](const fs::path& d) { return set_flag(values_case(d, grid_values_csv()), "--values", "-"); }},
        {"render-stdout",
         [](const fs::path& d) { return with(values_case(d, grid_values_csv()), {"--format", "png", "-o", "-"}); }},
        {"render-stdout-no-format",
         [](const fs::path& d) { return with(values_case(d, grid_values_csv()), {"-o", "-"}); }},
        {"render-stdout-bad-format",
         [](const fs::path& d) { return with(values_case(d, grid_values_csv()), {"--format", "gif", "-o", "-"}); }},
        // ---- item 4: inputs destroyed, writes lost
        {"output-report-is-boundaries",
         [](const fs::path& d) {
             // render --boundaries o/m.join.json … -o o/m.png: the report would replace the boundaries.
             const auto b = write_file(d / "out.join.json", feature_collection(grid_features()));
             const auto v = write_file(d / "values.csv", grid_values_csv());
             return render_args(b, v);
         }},
        {"output-is-notes-file",
         [](const fs::path& d) {
             // --notes-file o/m.svg -o o/m.svg (here .png): the map would replace the notes.
             write_file(d / "out.png", "A note\n");
             return notes_case(d, (d / "out.png").string());
         }},
        {"output-report-is-job-file",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             const auto job = write_file(d / "out.join.json", "[map]\ntitle = \"t\"\n");
             args.insert(args.begin() + 1, job.string());
             return args;
         }},
        {"output-symlink-to-values",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             fs::create_symlink(d / "values.csv", d / "out.png");
             return args;
         }},
        {"output-hardlink-to-boundaries",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             fs::create_hard_link(d / "counties.geojson", d / "out.png");
             return args;
         }},
        {"output-long-name",
         [](const fs::path& d) {
             // 250 bytes: legal (NAME_MAX 255), but "<name>.tmp-<pid>" would not be.
             return with(values_case(d, grid_values_csv()), {"-o", (d / (std::string(240, 'm') + ".png")).string()});
         }},
        {"output-name-too-long",
         [](const fs::path& d) {
             return with(values_case(d, grid_values_csv()), {"-o", (d / (std::string(300, 'm') + ".png")).string()});
         }},
        {"output-parent-is-file",
         [](const fs::path& d) {
             return with(values_case(d, grid_values_csv()), {"-o", (d / "values.csv" / "out.png").string()});
         }},
        {"output-is-folder",
         [](const fs::path& d) {
             fs::create_directories(d / "map.png");
             return with(values_case(d, grid_values_csv()), {"-o", (d / "map.png").string()});
         }},
        {"join-dev-full",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             args[0] = "join";
             args.resize(11);
             return with(args, {"<stdout:/dev/full>"});
         }},
        {"render-stdout-dev-full",
         [](const fs::path& d) {
             return with(values_case(d, grid_values_csv()), {"--format", "png", "-o", "-", "<stdout:/dev/full>"});
         }},
        // ---- item 5: interrupts
        {"interrupt-sigint",
         [](const fs::path& d) {
             auto args = set_flag(values_case(d, grid_values_csv()), "--values", "-");
             return with(args, {"<hold-stdin:" + (d / "values.csv").string() + ">", "<signal:2>"});
         }},
        {"interrupt-sigterm-keeps-previous-output",
         [](const fs::path& d) {
             auto args = set_flag(values_case(d, grid_values_csv()), "--values", "-");
             write_file(d / "out.png", "the previous map");
             return with(args, {"<hold-stdin:" + (d / "values.csv").string() + ">", "<signal:15>"});
         }},
        {"interrupt-sigterm-join",
         [](const fs::path& d) {
             auto args = set_flag(values_case(d, grid_values_csv()), "--values", "-");
             args[0] = "join";
             args.resize(11);
             return with(args, {"<hold-stdin:" + (d / "values.csv").string() + ">", "<signal:15>"});
         }},
        // ---- item 7: bounded resources
        {"values-dev-zero",
         [](const fs::path& d) { return set_flag(values_case(d, grid_values_csv()), "--values", "/dev/zero"); }},
        {"values-fifo",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             return set_flag(args, "--values", fifo(d, "pipe.csv"));
         }},
        {"job-dev-zero",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             args.insert(args.begin() + 1, "/dev/zero");
             return args;
         }},
        {"job-fifo",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             args.insert(args.begin() + 1, fifo(d, "job.toml"));
             return args;
         }},
        {"notes-dev-zero", [](const fs::path& d) { return notes_case(d, "/dev/zero"); }},
        {"notes-fifo", [](const fs::path& d) { return notes_case(d, fifo(d, "notes.txt")); }},
        {"boundaries-fifo",
         [](const fs::path& d) {
             auto args = values_case(d, grid_values_csv());
             return set_flag(args, "--boundaries", fifo(d, "pipe.geojson"));
         }},
        {"boundaries-dev-zero",
         [](const fs::path& d) { return set_flag(values_case(d, grid_values_csv()), "--boundaries", "/dev/zero"); }},
        {"job-huge-title",
         [](const fs::path& d) {
             return job_case(d, "[map]\ntitle = \"" + std::string(50u << 20, 'T') + "\"\n");
         }},
        {"job-long-title",
         [](const fs::path& d) { return job_case(d, "[map]\ntitle = \"" + std::string(100000, 'T') + "\"\n"); }},
        {"flag-long-title",
         [](const fs::path& d) { return with(values_case(d, grid_values_csv()), {"--title", std::string(100000, 'T')}); }},
        {"notes-too-large",
         [](const fs::path& d) {
             std::string notes;
             for (int i = 0; i < 30000; ++i) {
                 notes += "note line number " + std::to_string(i) + " of a file far too long\n";
             }
             return notes_case(d, write_file(d / "notes.txt", notes).string());
         }},
        {"notes-too-many-lines-in-job",
         [](const fs::path& d) {
             std::string toml = "[map]\nnotes = [";
             for (int i = 0; i < 1500; ++i) {
                 toml += std::string(i ? "," : "") + "\"n\"";
             }
             return job_case(d, toml + "]\n");
         }},
        {"canvas-over-memory-budget", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"canvas-max-memory-small", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"canvas-max-memory-zero", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"canvas-max-memory-nan", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"canvas-max-memory-unit", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        // ---- item 8: wrong messages and codes
        {"prj-garbage",
         [](const fs::path& d) { return shapefile_case(d, grid_shapefile(), parts_with_prj("this is not a CRS at all")); }},
        {"prj-binary",
         [](const fs::path& d) {
             return shapefile_case(d, grid_shapefile(), parts_with_prj(std::string("\x89PNG\r\n\x1A\n\0\0", 10)));
         }},
        {"prj-geocentric",
         [](const fs::path& d) { return shapefile_case(d, grid_shapefile(), parts_with_prj(geocentric_prj)); }},
        {"projection-vertical", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"srs-vertical",
         [](const fs::path& d) {
             return shapefile_case(d, grid_shapefile(), parts_without(true, true, false));
         }},
        {"srs-geocentric",
         [](const fs::path& d) {
             return shapefile_case(d, grid_shapefile(), parts_without(true, true, false));
         }},
        {"tiles-output-is-file",
         [](const fs::path& d) {
             write_file(d / "tiles-out", "a regular file");
             return with(tiles_case(d, grid_features()), {"-o", (d / "tiles-out").string()});
         }},
        {"tiles-output-is-input",
         [](const fs::path& d) {
             auto args = tiles_case(d, grid_features());
             return with(args, {"-o", (d / "values.csv").string()});
         }},
        {"tiles-empty-layer",
         [](const fs::path& d) { return with(tiles_case(d, std::vector<JsonFeature>{}), {"-o", (d / "tiles-out").string()}); }},
        {"xlsx-shared-string-out-of-range", [](const fs::path& d) { return xlsx_case(d, "99"); }},
        {"xlsx-shared-string-negative", [](const fs::path& d) { return xlsx_case(d, "-1"); }},
        {"xlsx-generated-ok", [](const fs::path& d) { return xlsx_case(d, "4"); }},
        // The workbook on standard input (read from GDAL's memory file system, in the GDAL module).
        {"xlsx-stdin",
         [](const fs::path& d) {
             const auto args = xlsx_case(d, "4");
             return with(set_flag(args, "--values", "-"), {"<stdin:" + (d / "values.xlsx").string() + ">"});
         }},
        {"xlsx-stdin-shared-string-out-of-range",
         [](const fs::path& d) {
             const auto args = xlsx_case(d, "99");
             return with(set_flag(args, "--values", "-"), {"<stdin:" + (d / "values.xlsx").string() + ">"});
         }},
        {"notes-binary",
         [](const fs::path& d) {
             return notes_case(d, write_file(d / "notes.txt", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)).string());
         }},
        {"notes-latin1",
         [](const fs::path& d) { return notes_case(d, write_file(d / "notes.txt", "Do\xF1" "a Ana\n").string()); }},
        // ---- issue 12, items 2 and 3: settings and classes
        {"flag-classes-zero", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"flag-width-zero", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"flag-dpi-zero", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"flag-breaks-nan", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"flag-breaks-descending", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"classes-twelve", [](const fs::path& d) { return values_case(d, grid_values_csv()); }},
        {"values-near-double-max",
         [](const fs::path& d) {
             return values_case(d, "fips,agreements\n01001,-1e308\n01003,1e308\n01005,0\n01007,1e308\n");
         }},
        {"quantile-ties",
         [](const fs::path& d) { return values_case(d, "fips,agreements\n01001,1\n01003,1\n01005,2\n01007,3\n"); }},
        {"notes-ok",
         [](const fs::path& d) { return notes_case(d, write_file(d / "notes.txt", "First note\r\n\r\nSecond\n").string()); }},
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
        EXPECT_EQ(c.output == Output::map || c.output == Output::stdout_png, c.exit_code == 0)
            << c.id << ": a map exactly when the run succeeds";
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
    // Redirections and signals are tokens among the maker's arguments (see redirected_run.hpp).
    Redirects redirects;
    for (auto a = args.begin(); a != args.end();) {
        const auto take = [&](const std::string& prefix, std::string& into) {
            if (a->rfind(prefix, 0) == 0 && a->back() == '>') {
                into = a->substr(prefix.size(), a->size() - prefix.size() - 1);
                return true;
            }
            return false;
        };
        std::string signal;
        std::string hold_file;
        if (take("<stdin:", redirects.stdin_file) || take("<stdout:", redirects.stdout_file) ||
            take("<signal:", signal) || take("<hold-stdin:", hold_file)) {
            if (!signal.empty()) {
                redirects.signal = std::stoi(signal);
            }
            if (!hold_file.empty()) {
                redirects.hold_stdin = read_file(hold_file);
            }
            a = args.erase(a);
        } else {
            ++a;
        }
    }
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
    // The output: the maker's own -o when it gives one, none for `join`, else out.png.
    fs::path out = dir / "out.png";
    if (const auto o = std::find(args.begin(), args.end(), "-o"); o != args.end() && o + 1 != args.end()) {
        out = *(o + 1) == "-" ? fs::path() : fs::path(*(o + 1));
    } else if (args.front() != "join") {
        args.push_back("-o");
        args.push_back(out.string());
    }

    // Every file there before the run (the inputs, and a previous output) must be left as it was.
    std::map<fs::path, std::string> before;  // regular files and their bytes
    std::set<fs::path> existed;              // every path (FIFOs and folders too)
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        existed.insert(e.path());
        if (e.is_regular_file()) {
            before[e.path()] = read_file(e.path());
        }
    }

    const auto r = run_choro_redirected(args, redirects, std::chrono::seconds(30));
    ASSERT_FALSE(r.timed_out) << c.id << ": choro hung (killed after 30 s)";
    ASSERT_EQ(r.signal, 0) << c.id << ": choro died of signal " << r.signal << "\n" << r.err;
    EXPECT_EQ(r.exit_code, c.exit_code) << "cases.md:" << c.line << " " << c.id << "\nstderr:\n" << r.err;
    for (const auto& part : c.stderr_parts) {
        EXPECT_NE(r.err.find(part), std::string::npos)
            << "cases.md:" << c.line << " " << c.id << ": stderr lacks '" << part << "':\n"
            << r.err;
    }
    EXPECT_EQ(r.err.find('\0'), std::string::npos) << c.id << ": a raw NUL byte on stderr";
    if (c.exit_code != 0) {
        // An error is one line starting "choro: " (no stack dump, no GDAL noise before it).
        EXPECT_NE(r.err.find("choro: "), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    }
    for (const auto& [path, bytes] : before) {
        if (c.output == Output::map && path == out) {
            continue;
        }
        ASSERT_TRUE(fs::exists(path)) << c.id << ": " << path.filename() << " was there before the run and is gone";
        EXPECT_TRUE(read_file(path) == bytes) << c.id << ": " << path.filename() << " was changed by the run";
    }
    std::vector<fs::path> added;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!existed.count(e.path())) {
            added.push_back(e.path());
        }
    }
    if (c.output == Output::map) {
        ASSERT_TRUE(fs::exists(out)) << c.id << ": no map written\n" << r.err;
        const auto img = choro::render::decode_png(read_file(out));
        EXPECT_EQ(img.width, 200);
        EXPECT_EQ(img.height, 120);
        for (const auto& p : added) {
            fs::path report = out;
            report.replace_extension(".join.json");
            // Beside every map: its alt text and data table (issue 10).
            fs::path alt = out;
            alt.replace_extension(".alt.txt");
            fs::path table = out;
            table.replace_extension(".data.csv");
            EXPECT_TRUE(p == out || p == report || p == alt || p == table)
                << c.id << ": left " << p.filename() << " behind";
        }
    } else {
        for (const auto& p : added) {
            EXPECT_TRUE(p.string() == redirects.stdout_file)
                << c.id << ": a run that writes no file left " << p.filename();
        }
    }
    if (c.output == Output::stdout_png) {
        const auto img = choro::render::decode_png(r.out);
        EXPECT_EQ(img.width, 200);
        EXPECT_EQ(img.height, 120);
    }
}

INSTANTIATE_TEST_SUITE_P(BadInputs, Corpus, ::testing::ValuesIn(load_cases()), case_name);
