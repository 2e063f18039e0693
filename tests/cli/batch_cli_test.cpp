// `choro batch` end to end on a small three-state fixture: the maps, the atlas files, breaks
// global and per map, a group whose values are all zero, a group that fails, reruns, shards and
// their merge, and every bad input the issue names.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/render/image.hpp"

namespace fs = std::filesystem;
using choro::test::read_file;
using choro::test::run_choro;
using choro::test::temp_dir;
using choro::test::write_file;
using json = nlohmann::json;

namespace {

struct Atlas {
    fs::path dir;
    fs::path boundaries;
    fs::path values;
};

/// Alabama (01), Georgia (13) and Mississippi (28), two or three squares each. Georgia's values
/// are all zero; Alabama's run 1–5, Mississippi's 10–40.
Atlas make_atlas() {
    Atlas a;
    a.dir = temp_dir();
    std::vector<choro::test::JsonFeature> features = {
        {"01001", "Autauga", choro::test::json_square(-87.0, 32.0, -86.0, 33.0)},
        {"01003", "Baldwin", choro::test::json_square(-86.0, 32.0, -85.0, 33.0)},
        {"01005", "Barbour", choro::test::json_square(-86.0, 33.0, -85.0, 34.0)},
        {"13001", "Appling", choro::test::json_square(-85.0, 32.0, -84.0, 33.0)},
        {"13003", "Atkinson", choro::test::json_square(-84.0, 32.0, -83.0, 33.0)},
        {"28001", "Adams", choro::test::json_square(-89.0, 32.0, -88.0, 33.0)},
        {"28003", "Alcorn", choro::test::json_square(-88.0, 32.0, -87.0, 33.0)},
    };
    a.boundaries = write_file(a.dir / "counties.geojson", choro::test::feature_collection(features));
    a.values = write_file(a.dir / "values.csv",
                          "fips,agreements\n01001,1\n01003,2\n01005,5\n13001,0\n13003,0\n28001,10\n28003,40\n");
    return a;
}

std::vector<std::string> args(const Atlas& a, const fs::path& out, std::vector<std::string> more = {}) {
    std::vector<std::string> v = {"batch",
                                  "--boundaries",
                                  a.boundaries.string(),
                                  "--key",
                                  "GEOID",
                                  "--values",
                                  a.values.string(),
                                  "--values-key",
                                  "fips",
                                  "--value",
                                  "agreements",
                                  "--method",
                                  "quantile",
                                  "--classes",
                                  "2",
                                  "--zero-class",
                                  "off",
                                  "--title",
                                  "Agreements",
                                  "--width",
                                  "300",
                                  "--height",
                                  "200",
                                  "--dpi",
                                  "72",
                                  "--threads",
                                  "2",
                                  "--no-cache",
                                  "-o",
                                  out.string()};
    v.insert(v.end(), more.begin(), more.end());
    return v;
}

json manifest_of(const fs::path& dir, const std::string& name = "manifest.json") {
    return json::parse(read_file(dir / name));
}

const json* map_of(const json& manifest, const std::string& abbr) {
    for (const auto& m : manifest["maps"]) {
        if (m["abbr"] == abbr) {
            return &m;
        }
    }
    return nullptr;
}

}  // namespace

TEST(Batch, OneMapPerStateWithTheAtlasFiles) {
    const Atlas a = make_atlas();
    const fs::path out = a.dir / "atlas";
    const auto r = run_choro(args(a, out, {"--format", "png,svg,pdf"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json m = manifest_of(out);
    ASSERT_EQ(m["maps"].size(), 3u) << m.dump(1);
    EXPECT_TRUE(m["failed"].empty());
    for (const char* abbr : {"AL", "GA", "MS"}) {
        const json* e = map_of(m, abbr);
        ASSERT_NE(e, nullptr) << abbr;
        ASSERT_EQ((*e)["files"].size(), 5u);  // png, svg, pdf, alt, csv
        for (const auto& f : (*e)["files"]) {
            EXPECT_TRUE(fs::exists(out / f["path"].get<std::string>())) << f.dump();
            EXPECT_EQ(f["xxh3"].get<std::string>().size(), 32u);
        }
        EXPECT_NE((*e)["projection"].get<std::string>().find("+proj=aea"), std::string::npos);
        const auto png = choro::render::decode_png(read_file(out / (std::string(abbr) + ".png")));
        EXPECT_EQ(png.width, 300);
        EXPECT_EQ(png.height, 200);
    }
    EXPECT_EQ((*map_of(m, "AL"))["counts"]["features"], 3);
    EXPECT_EQ((*map_of(m, "AL"))["counts"]["total"], 8.0);
    EXPECT_EQ((*map_of(m, "MS"))["counts"]["above_zero"], 2);
    EXPECT_EQ((*map_of(m, "AL"))["name"], "Alabama");
    // The inputs are recorded with their hashes.
    ASSERT_GE(m["inputs"].size(), 2u);
    EXPECT_EQ(m["inputs"][0]["role"], "boundaries");
    EXPECT_EQ(m["inputs"][0]["xxh3"].get<std::string>().size(), 32u);
    // The contact sheet links every map and needs nothing online.
    const std::string html = read_file(out / "index.html");
    for (const char* file : {"AL.png", "GA.svg", "MS.pdf", "atlas.pdf", "manifest.json"}) {
        EXPECT_NE(html.find(std::string("\"") + file + "\""), std::string::npos) << file;
    }
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    // atlas.pdf: a contents page and one page per map.
    const std::string pdf = read_file(out / "atlas.pdf");
    ASSERT_EQ(pdf.rfind("%PDF", 0), 0u);
    EXPECT_NE(pdf.find("/Count 4"), std::string::npos) << "expected 4 pages";
    EXPECT_NE(pdf.find("/FontFile"), std::string::npos) << "fonts are embedded";
}

TEST(Batch, AllZeroGroupGetsOneClassAndANote) {
    const Atlas a = make_atlas();
    const fs::path out = a.dir / "atlas";
    const auto r = run_choro(args(a, out, {"--breaks-scope", "per-map", "--only", "GA,AL"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json m = manifest_of(out);
    ASSERT_EQ(m["maps"].size(), 2u);
    EXPECT_EQ((*map_of(m, "GA"))["one_class"], true);
    EXPECT_EQ((*map_of(m, "AL"))["one_class"], false);
    // The map is drawn: both of Georgia's counties in the same colour.
    EXPECT_TRUE(fs::exists(out / "GA.png"));
}

TEST(Batch, GlobalBreaksAreSharedPerMapBreaksFollowEachState) {
    const Atlas a = make_atlas();
    ASSERT_EQ(run_choro(args(a, a.dir / "global")).exit_code, 0);
    ASSERT_EQ(run_choro(args(a, a.dir / "per-map", {"--breaks-scope", "per-map"})).exit_code, 0);
    const json g = manifest_of(a.dir / "global");
    const json p = manifest_of(a.dir / "per-map");
    // Global: every map shows the scale of all values (1 … 40, zeros included: 0 … 40).
    const auto global_edges = g["global_breaks"]["edges"];
    for (const char* abbr : {"AL", "MS"}) {
        EXPECT_EQ((*map_of(g, abbr))["breaks"]["edges"], global_edges) << abbr;
    }
    EXPECT_EQ(global_edges.front(), 0.0);
    EXPECT_EQ(global_edges.back(), 40.0);
    // Per map: each state's scale spans its own values only.
    const auto al = (*map_of(p, "AL"))["breaks"]["edges"];
    const auto ms = (*map_of(p, "MS"))["breaks"]["edges"];
    EXPECT_EQ(al.front(), 1.0);
    EXPECT_EQ(al.back(), 5.0);
    EXPECT_EQ(ms.front(), 10.0);
    EXPECT_EQ(ms.back(), 40.0);
    // …and the legends say which.
    EXPECT_NE(read_file(a.dir / "global" / "AL.png"), read_file(a.dir / "per-map" / "AL.png"));
}

TEST(Batch, AFailingGroupDoesNotStopTheOthersAndExitsNine) {
    const Atlas a = make_atlas();
    const fs::path job = write_file(a.dir / "job.toml", "[batch.projection]\nMS = \"EPSG:99999\"\n");
    const fs::path out = a.dir / "atlas";
    auto v = args(a, out);
    v.insert(v.begin() + 1, job.string());
    const auto r = run_choro(v);
    EXPECT_EQ(r.exit_code, 9) << r.err;
    EXPECT_NE(r.err.find("Mississippi"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("99999"), std::string::npos) << r.err;
    const json m = manifest_of(out);
    EXPECT_EQ(m["maps"].size(), 2u);
    ASSERT_EQ(m["failed"].size(), 1u);
    EXPECT_EQ(m["failed"][0]["key"], "28");
    EXPECT_TRUE(fs::exists(out / "AL.png"));
    EXPECT_TRUE(fs::exists(out / "GA.png"));
    EXPECT_FALSE(fs::exists(out / "MS.png"));
    EXPECT_NE(read_file(out / "index.html").find("Mississippi"), std::string::npos);
}

TEST(Batch, RerunSkipsUnchangedMapsAndForceRedraws) {
    const Atlas a = make_atlas();
    const fs::path out = a.dir / "atlas";
    // Per-map breaks: a value of Mississippi changes Mississippi's map only (with global breaks
    // it could move the shared scale, and then every map is redrawn, as it should be).
    const std::vector<std::string> per_map = {"--breaks-scope", "per-map"};
    ASSERT_EQ(run_choro(args(a, out, per_map)).exit_code, 0);
    const std::string first = read_file(out / "manifest.json");
    const auto before = fs::last_write_time(out / "AL.png");
    const auto again = run_choro(args(a, out, per_map));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("3 unchanged"), std::string::npos) << again.err;
    EXPECT_EQ(fs::last_write_time(out / "AL.png"), before);
    EXPECT_EQ(read_file(out / "manifest.json"), first);
    // A changed value redraws that state only.
    const std::string al_png = read_file(out / "AL.png");
    write_file(a.values, "fips,agreements\n01001,1\n01003,2\n01005,5\n13001,0\n13003,0\n28001,10\n28003,41\n");
    const auto changed = run_choro(args(a, out, per_map));
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    EXPECT_NE(changed.err.find("2 unchanged"), std::string::npos) << changed.err;
    EXPECT_EQ(fs::last_write_time(out / "AL.png"), before) << changed.err;
    EXPECT_EQ(read_file(out / "AL.png"), al_png);
    const auto forced = run_choro(args(a, out, {"--breaks-scope", "per-map", "--force"}));
    ASSERT_EQ(forced.exit_code, 0);
    EXPECT_EQ(forced.err.find("unchanged"), std::string::npos) << forced.err;
}

TEST(Batch, ShardsMergeIntoTheOneMachineAtlas) {
    const Atlas a = make_atlas();
    ASSERT_EQ(run_choro(args(a, a.dir / "whole")).exit_code, 0);
    ASSERT_EQ(run_choro(args(a, a.dir / "p0", {"--shard", "0/2"})).exit_code, 0);
    ASSERT_EQ(run_choro(args(a, a.dir / "p1", {"--shard", "1/2"})).exit_code, 0);
    EXPECT_TRUE(fs::exists(a.dir / "p0" / "manifest.part-0000-of-0002.json"));
    const std::vector<std::string> parts = {"--merge-manifests", (a.dir / "p0").string(), (a.dir / "p1").string()};
    // Without the job the merge cannot draw atlas.pdf: a usage error saying so, nothing written.
    const auto no_job = run_choro({"batch", parts[0], parts[1], parts[2], "-o", (a.dir / "m").string()});
    EXPECT_EQ(no_job.exit_code, 2) << no_job.err;
    EXPECT_NE(no_job.err.find("needs the job"), std::string::npos) << no_job.err;
    EXPECT_NE(no_job.err.find("atlas.pdf"), std::string::npos) << no_job.err;
    EXPECT_FALSE(fs::exists(a.dir / "m" / "manifest.json"));
    // One part missing: refused, naming it.
    const auto partial = run_choro(args(a, a.dir / "m", {"--merge-manifests", (a.dir / "p0").string()}));
    EXPECT_EQ(partial.exit_code, 3) << partial.err;
    EXPECT_NE(partial.err.find("1 of 2"), std::string::npos) << partial.err;
    // Another size than the parts': atlas.pdf would not match the maps, refused naming the setting.
    auto other = args(a, a.dir / "m", parts);
    *(std::find(other.begin(), other.end(), "--width") + 1) = "310";
    const auto wrong = run_choro(other);
    EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
    EXPECT_NE(wrong.err.find("\"width\""), std::string::npos) << wrong.err;
    EXPECT_FALSE(fs::exists(a.dir / "m" / "manifest.json"));
    // A flag the manifest's head does not record but the drawing shows (no grey neighbours): the
    // pages would not be the parts' maps, refused by their fingerprints.
    auto bare = args(a, a.dir / "m", parts);
    bare.push_back("--no-context");
    const auto unlike = run_choro(bare);
    EXPECT_EQ(unlike.exit_code, 2) << unlike.err;
    EXPECT_NE(unlike.err.find("otherwise than its part did"), std::string::npos) << unlike.err;
    EXPECT_FALSE(fs::exists(a.dir / "m" / "manifest.json"));
    EXPECT_FALSE(fs::exists(a.dir / "m" / "atlas.pdf"));
    // With the job and flags of the parts: every file of the one-machine run, byte for byte,
    // atlas.pdf, manifest.json and index.html included (and no map drawn again).
    const auto merged = run_choro(args(a, a.dir / "m", parts));
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(a.dir / "whole")) {
        const fs::path name = entry.path().filename();
        EXPECT_EQ(read_file(entry.path()), read_file(a.dir / "m" / name)) << name;
        ++files;
    }
    EXPECT_EQ(files, 12u);  // three maps with their alt text and data table, manifest.json, index.html, atlas.pdf
    EXPECT_EQ(std::distance(fs::directory_iterator(a.dir / "m"), fs::directory_iterator{}), 12);
    EXPECT_NE(read_file(a.dir / "m" / "index.html").find("href=\"atlas.pdf\""), std::string::npos);
    EXPECT_EQ(manifest_of(a.dir / "m")["atlas"]["pdf"], "atlas.pdf");
}

TEST(Batch, ByAMissingFieldListsTheFields) {
    const Atlas a = make_atlas();
    const auto r = run_choro(args(a, a.dir / "atlas", {"--by", "STATEFP"}));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("--by"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("GEOID, NAME"), std::string::npos) << r.err;
}

TEST(Batch, OnlyNamingNoGroupNamesIt) {
    const Atlas a = make_atlas();
    const auto r = run_choro(args(a, a.dir / "atlas", {"--only", "AL,XX"}));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("'XX'"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(a.dir / "atlas" / "AL.png"));
}

TEST(Batch, UnwritableOutputFolderFailsBeforeAnyMap) {
    const Atlas a = make_atlas();
    // Under a regular file no folder can be made (root or not).
    const auto r = run_choro(args(a, a.values / "atlas"));
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_NE(r.err.find("values.csv/atlas"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("reading"), std::string::npos) << "failed only after reading the data: " << r.err;
    const auto file = run_choro(args(a, a.values));
    EXPECT_EQ(file.exit_code, 6) << file.err;
}

TEST(Batch, BadFlagsAreUsageErrors) {
    const Atlas a = make_atlas();
    EXPECT_EQ(run_choro(args(a, a.dir / "x", {"--shard", "2/2"})).exit_code, 2);
    EXPECT_EQ(run_choro(args(a, a.dir / "x", {"--format", "gif"})).exit_code, 2);
    EXPECT_EQ(run_choro(args(a, a.dir / "x", {"--breaks-scope", "local"})).exit_code, 2);
    EXPECT_EQ(run_choro(args(a, a.dir / "x", {"--name", "map.png"})).exit_code, 2);  // every map the same file
    EXPECT_EQ(run_choro(args(a, a.dir / "x", {"--threads", "0"})).exit_code, 2);
    const auto help = run_choro({"batch", "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("--merge-manifests"), std::string::npos);
}

TEST(Batch, TwoRunsWriteIdenticalFiles) {
    const Atlas a = make_atlas();
    ASSERT_EQ(run_choro(args(a, a.dir / "one", {"--format", "png,svg,pdf"})).exit_code, 0);
    ASSERT_EQ(run_choro(args(a, a.dir / "two", {"--format", "png,svg,pdf", "--threads", "1"})).exit_code, 0);
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(a.dir / "one")) {
        const fs::path name = entry.path().filename();
        EXPECT_EQ(read_file(entry.path()), read_file(a.dir / "two" / name)) << name;
        ++files;
    }
    // three maps in three formats with alt text and data table, index.html, atlas.pdf, manifest.json
    EXPECT_EQ(files, 3u * 5u + 3u);
}

// Every batch map gets the alt text and data table a render of it gets (issue 10): beside it, in
// the manifest, and embedded in the PNG, SVG and PDF; the numbers are those of its own group.
TEST(Batch, EachMapHasItsAltTextAndDataTable) {
    const Atlas a = make_atlas();
    const fs::path out = a.dir / "atlas";
    const auto r = run_choro(args(a, out, {"--format", "png,svg,pdf"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json m = manifest_of(out);
    for (const char* abbr : {"AL", "GA", "MS"}) {
        const json* e = map_of(m, abbr);
        ASSERT_NE(e, nullptr) << abbr;
        std::vector<std::string> paths;
        for (const auto& f : (*e)["files"]) {
            paths.push_back(f["path"].get<std::string>());
        }
        const std::string stem(abbr);
        EXPECT_NE(std::find(paths.begin(), paths.end(), stem + ".alt.txt"), paths.end()) << abbr;
        EXPECT_NE(std::find(paths.begin(), paths.end(), stem + ".data.csv"), paths.end()) << abbr;
        std::string alt = read_file(out / (stem + ".alt.txt"));
        ASSERT_FALSE(alt.empty());
        ASSERT_EQ(alt.back(), '\n');
        alt.pop_back();
        // The PNG chunk is Latin-1 (an en dash becomes '-'): the opening words are the same.
        const std::string desc = choro::render::png_text(read_file(out / (stem + ".png")), "Description");
        EXPECT_EQ(desc.substr(0, 40), alt.substr(0, 40)) << abbr;
        EXPECT_NE(read_file(out / (stem + ".svg")).find("<desc id=\"map-desc\">"), std::string::npos);
        const std::string csv = read_file(out / (stem + ".data.csv"));
        EXPECT_EQ(csv.rfind("key,name,value,class,mark\n", 0), 0u) << csv;
    }
    // Alabama's map shows its three counties (the neighbours are grey context, not data).
    const std::string al = read_file(out / "AL.data.csv");
    EXPECT_EQ(std::count(al.begin(), al.end(), '\n'), 4) << al;
    for (const char* row : {"01001,Autauga,1,", "01003,Baldwin,2,", "01005,Barbour,5,"}) {
        EXPECT_NE(al.find(row), std::string::npos) << row << " in " << al;
    }
    const std::string alt = read_file(out / "AL.alt.txt");
    EXPECT_NE(alt.find("across 3 areas"), std::string::npos) << alt;
    EXPECT_NE(alt.find("values range from 1 (Autauga) to 5 (Barbour)"), std::string::npos) << alt;
}

TEST(Batch, AtlasFlagChoosesTheAtlasFilesAndTheManifestSaysSo) {
    const Atlas a = make_atlas();
    const fs::path out = a.dir / "atlas";
    // The full atlas first, then only the maps: the atlas files of the first run go.
    ASSERT_EQ(run_choro(args(a, out)).exit_code, 0);
    ASSERT_TRUE(fs::exists(out / "atlas.pdf"));
    const auto none = run_choro(args(a, out, {"--atlas", "none"}));
    ASSERT_EQ(none.exit_code, 0) << none.err;
    for (const char* map : {"AL.png", "GA.png", "MS.png", "manifest.json"}) {
        EXPECT_TRUE(fs::exists(out / map)) << map;
    }
    EXPECT_FALSE(fs::exists(out / "atlas.pdf"));
    EXPECT_FALSE(fs::exists(out / "index.html"));
    json m = manifest_of(out);
    EXPECT_EQ(m["maps"].size(), 3u);
    EXPECT_TRUE(m["atlas"]["outputs"].empty()) << m["atlas"].dump();
    EXPECT_FALSE(m["atlas"].contains("pdf"));
    EXPECT_FALSE(m["atlas"].contains("index"));

    const fs::path index_only = a.dir / "index-only";
    ASSERT_EQ(run_choro(args(a, index_only, {"--atlas", "index"})).exit_code, 0);
    EXPECT_TRUE(fs::exists(index_only / "index.html"));
    EXPECT_FALSE(fs::exists(index_only / "atlas.pdf"));
    m = manifest_of(index_only);
    EXPECT_EQ(m["atlas"]["outputs"], json::array({"index"}));
    EXPECT_EQ(m["atlas"]["index"], "index.html");
    EXPECT_EQ(read_file(index_only / "index.html").find("atlas.pdf"), std::string::npos);

    const fs::path pdf_only = a.dir / "pdf-only";
    ASSERT_EQ(run_choro(args(a, pdf_only, {"--atlas", "pdf"})).exit_code, 0);
    EXPECT_TRUE(fs::exists(pdf_only / "atlas.pdf"));
    EXPECT_FALSE(fs::exists(pdf_only / "index.html"));
    EXPECT_EQ(manifest_of(pdf_only)["atlas"]["outputs"], json::array({"pdf"}));

    // The default writes both and says so.
    const fs::path both = a.dir / "both";
    ASSERT_EQ(run_choro(args(a, both)).exit_code, 0);
    EXPECT_EQ(manifest_of(both)["atlas"]["outputs"], json::array({"pdf", "index"}));
    // The maps are the same whatever the atlas.
    EXPECT_EQ(read_file(both / "AL.png"), read_file(out / "AL.png"));

    for (const char* bad : {"html", "none,pdf", "pdf,,x"}) {
        EXPECT_EQ(run_choro(args(a, a.dir / "x", {"--atlas", bad})).exit_code, 2) << bad;
    }
}

TEST(Batch, AspectSetsTheHeightOfEveryMapFromItsWidth) {
    const Atlas a = make_atlas();
    // args() gives --height 200: drop it, --aspect sets the height.
    std::vector<std::string> v = args(a, a.dir / "wide", {"--aspect", "3:1"});
    const auto h = std::find(v.begin(), v.end(), "--height");
    ASSERT_NE(h, v.end());
    v.erase(h, h + 2);
    const auto r = run_choro(v);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* abbr : {"AL", "GA", "MS"}) {
        const auto png = choro::render::decode_png(read_file(a.dir / "wide" / (std::string(abbr) + ".png")));
        EXPECT_EQ(png.width, 300) << abbr;
        EXPECT_EQ(png.height, 100) << abbr;
    }
    EXPECT_EQ(manifest_of(a.dir / "wide")["height"], 100);
    std::vector<std::string> tall = v;
    tall[tall.size() - 1] = "1:1.5";
    tall[tall.size() - 3] = (a.dir / "tall").string();
    ASSERT_EQ(run_choro(tall).exit_code, 0);
    EXPECT_EQ(choro::render::decode_png(read_file(a.dir / "tall" / "AL.png")).height, 450);
    // Not with --height (both set the height), and only W:H with positive numbers.
    EXPECT_EQ(run_choro(args(a, a.dir / "x", {"--aspect", "4:3"})).exit_code, 2);
    for (const char* bad : {"4", "4:", ":3", "0:1", "4:-3", "a:b", "4:3x"}) {
        std::vector<std::string> w = v;
        w.back() = bad;
        EXPECT_EQ(run_choro(w).exit_code, 2) << bad;
    }
}

TEST(Batch, AnotherChoroVersionRedrawsEveryMap) {
    const Atlas a = make_atlas();
    const fs::path out = a.dir / "atlas";
    ASSERT_EQ(run_choro(args(a, out)).exit_code, 0);
    const auto again = run_choro(args(a, out));
    EXPECT_NE(again.err.find("3 unchanged"), std::string::npos) << again.err;
    // The manifest of an older choro: every map is drawn again (its fingerprints hold its version).
    json m = manifest_of(out);
    ASSERT_TRUE(m.contains("choro"));
    m["choro"] = "0.0.1";
    write_file(out / "manifest.json", m.dump(2));
    const auto upgraded = run_choro(args(a, out));
    ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;
    EXPECT_EQ(upgraded.err.find("unchanged"), std::string::npos) << upgraded.err;
    EXPECT_NE(manifest_of(out)["choro"], "0.0.1");
}
