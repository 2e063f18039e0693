// `choro tiles` and `choro merge` through the executable: flags, shard from the environment
// (Slurm), merge equal to one run, and errors with their exit codes.

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

struct Fixture {
    fs::path dir;
    fs::path boundaries;
    fs::path values;
};

Fixture make_inputs() {
    Fixture f;
    f.dir = choro::test::temp_dir();
    f.boundaries = choro::test::write_file(f.dir / "squares.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"01","name":"West"},"geometry":{"type":"Polygon","coordinates":[[[-100,30],[-90,30],[-90,40],[-100,40],[-100,30]]]}},
{"type":"Feature","properties":{"id":"02","name":"East"},"geometry":{"type":"Polygon","coordinates":[[[-90,30],[-80,30],[-80,40],[-90,40],[-90,30]]]}}]})");
    f.values = choro::test::write_file(f.dir / "values.csv", "key,v\n01,3\n02,7\n");
    return f;
}

std::vector<std::string> tiles_args(const Fixture& f, const std::string& out) {
    return {"tiles",
            "--boundaries",
            f.boundaries.string(),
            "--key",
            "id",
            "--srs",
            "EPSG:4326",
            "--values",
            f.values.string(),
            "--values-key",
            "key",
            "--value",
            "v",
            "--classes",
            "2",
            "--zoom",
            "0-4",
            "-q",
            "-o",
            out};
}

TEST(TilesCli, ShardsFromSlurmEnvironmentMergeToOneRun) {
    const auto f = make_inputs();
    // Same file name in two folders: the tile set's name comes from it.
    fs::create_directories(f.dir / "a");
    fs::create_directories(f.dir / "b");
    const auto one = (f.dir / "a" / "us.pmtiles").string();
    auto r = choro::test::run_choro(tiles_args(f, one));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto set = (f.dir / "b" / "us.pmtiles").string();
    std::vector<std::string> parts{"merge", "-o", set};
    for (int i = 0; i < 2; ++i) {
        ::setenv("SLURM_ARRAY_TASK_ID", std::to_string(i + 1).c_str(), 1);
        ::setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
        ::setenv("SLURM_ARRAY_TASK_COUNT", "2", 1);
        r = choro::test::run_choro(tiles_args(f, set));
        ::unsetenv("SLURM_ARRAY_TASK_ID");
        ::unsetenv("SLURM_ARRAY_TASK_MIN");
        ::unsetenv("SLURM_ARRAY_TASK_COUNT");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto part = set + ".part-000" + std::to_string(i) + "-of-0002.mbtiles";
        ASSERT_TRUE(fs::exists(part)) << part;
        parts.push_back(part);
    }
    EXPECT_FALSE(fs::exists(set));
    r = choro::test::run_choro(parts);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(choro::test::read_file(set) == choro::test::read_file(one)) << "merged PMTiles differ from one run";
    // The same parts merged into MBTiles give the bytes of a one-machine MBTiles run.
    const auto one_mb = (f.dir / "a" / "us.mbtiles").string();
    r = choro::test::run_choro(tiles_args(f, one_mb));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto merged_mb = (f.dir / "b" / "us.mbtiles").string();
    auto to_mbtiles = parts;
    to_mbtiles[2] = merged_mb;
    r = choro::test::run_choro(to_mbtiles);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(choro::test::read_file(merged_mb) == choro::test::read_file(one_mb))
        << "merged MBTiles differ from one run";
    // A merge missing a part fails and writes nothing.
    r = choro::test::run_choro({"merge", "-o", (f.dir / "bad.pmtiles").string(), parts[3]});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("parts given"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(f.dir / "bad.pmtiles"));
}

TEST(TilesCli, FolderGetsTileJson) {
    const auto f = make_inputs();
    const auto out = f.dir / "site";
    const auto r = choro::test::run_choro(tiles_args(f, out.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out / "tiles.json"));
    EXPECT_TRUE(fs::exists(out / "4"));
    EXPECT_NE(choro::test::read_file(out / "tiles.json").find("\"3.0.0\""), std::string::npos);
}

// --png-level takes fast or libdeflate's 1-12; the tiles' pixels are the same (pyramid_test.cpp).
TEST(TilesCli, PngLevelIsFastOrANumber) {
    const auto f = make_inputs();
    for (const std::string level : {"fast", "1", "12"}) {
        const auto out = f.dir / ("site-" + level);
        auto args = tiles_args(f, out.string());
        args.insert(args.end(), {"--png-level", level});
        const auto r = choro::test::run_choro(args);
        ASSERT_EQ(r.exit_code, 0) << level << ": " << r.err;
        EXPECT_TRUE(fs::exists(out / "4")) << level;
    }
}

TEST(TilesCli, BadFlagsAreRefusedWithTheirName) {
    const auto f = make_inputs();
    const auto out = (f.dir / "x.mbtiles").string();
    struct Case {
        std::string flag;
        std::string value;
    };
    for (const Case& c : {Case{"--zoom", "5-2"},
                          Case{"--zoom", "0-30"},
                          Case{"--bbox", "1,2,3"},
                          Case{"--bbox", "10,0,10,5"},
                          Case{"--shard", "3/3"},
                          Case{"--shard", "x"},
                          Case{"--scale", "3"},
                          Case{"--bbox", "nan,30,-80,40"},
                          Case{"--bbox", "-100,30,inf,40"},
                          Case{"--metatile", "0"},
                          Case{"--metatile", "17"},
                          Case{"--png-level", "0"},
                          Case{"--png-level", "13"},
                          Case{"--png-level", "-1"},
                          Case{"--png-level", "quick"}}) {
        auto args = tiles_args(f, out);
        args.push_back(c.flag);
        args.push_back(c.value);
        const auto r = choro::test::run_choro(args);
        EXPECT_NE(r.exit_code, 0) << c.flag << " " << c.value;
        EXPECT_NE(r.err.find(c.flag), std::string::npos) << c.flag << " " << c.value << ": " << r.err;
        EXPECT_FALSE(fs::exists(out));
    }
    // A PNG level for vector tiles, which have no PNGs, is refused.
    {
        auto args = tiles_args(f, out);
        args.insert(args.end(), {"--format", "mvt", "--png-level", "9"});
        const auto r = choro::test::run_choro(args);
        EXPECT_NE(r.exit_code, 0);
        EXPECT_NE(r.err.find("--png-level"), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(out));
    }
    // A shard into a folder is refused: shards write MBTiles parts.
    auto args = tiles_args(f, (f.dir / "dir").string());
    args.insert(args.end(), {"--shard", "0/2"});
    EXPECT_NE(choro::test::run_choro(args).exit_code, 0);
}

TEST(TilesCli, MergeIntoAFolderWritesTileJsonAndPreview) {
    const auto f = make_inputs();
    const auto set = f.dir / "set.mbtiles";
    std::vector<std::string> merge{"merge", "-o", (f.dir / "site").string(), "--base-url", "https://example.org/t/"};
    for (int i = 0; i < 2; ++i) {
        auto args = tiles_args(f, set.string());
        args.insert(args.end(), {"--shard", std::to_string(i) + "/2"});
        const auto r = choro::test::run_choro(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        merge.push_back(set.string() + ".part-000" + std::to_string(i) + "-of-0002.mbtiles");
    }
    const auto r = choro::test::run_choro(merge);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(choro::test::read_file(f.dir / "site" / "tiles.json"), nullptr, false);
    EXPECT_EQ(choro::tiles_test::tilejson_problems(j), "");
    EXPECT_EQ(j["tiles"][0], "https://example.org/t/{z}/{x}/{y}.png");
    EXPECT_EQ(j["maxzoom"], 4);
    EXPECT_EQ(j["bounds"], nlohmann::json({-100.0, 30.0, -80.0, 40.0}));
    EXPECT_TRUE(fs::exists(f.dir / "site" / "index.html"));
    EXPECT_TRUE(fs::exists(f.dir / "site" / "leaflet" / "leaflet.js"));
    // The single run writes the same tile set description (its name from the output's, "set").
    const auto one = choro::test::run_choro(tiles_args(f, (f.dir / "one" / "set").string()));
    ASSERT_EQ(one.exit_code, 0) << one.err;
    auto k = nlohmann::json::parse(choro::test::read_file(f.dir / "one" / "set" / "tiles.json"));
    k["tiles"] = j["tiles"];
    EXPECT_EQ(k, j);
}

TEST(TilesCli, MergeOfPartsOfDifferentJobsNamesThePart) {
    const auto f = make_inputs();
    std::vector<std::string> merge{"merge", "-o", (f.dir / "x.pmtiles").string()};
    for (int i = 0; i < 2; ++i) {
        auto args = tiles_args(f, (f.dir / (i == 0 ? "a.pmtiles" : "b.pmtiles")).string());
        args.insert(args.end(), {"--shard", std::to_string(i) + "/2", "--metatile", i == 0 ? "8" : "4"});
        const auto r = choro::test::run_choro(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        merge.push_back((f.dir / (i == 0 ? "a.pmtiles" : "b.pmtiles")).string() + ".part-000" + std::to_string(i) +
                        "-of-0002.mbtiles");
    }
    const auto r = choro::test::run_choro(merge);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find(merge.back()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("another job"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(f.dir / "x.pmtiles"));
}

TEST(TilesCli, AFileWhereTheTileFolderGoesIsAnOutputError) {
    const auto f = make_inputs();
    const auto file = choro::test::write_file(f.dir / "taken", "keep me");
    const auto r = choro::test::run_choro(tiles_args(f, file.string()));
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_NE(r.err.find(file.string()), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    EXPECT_EQ(choro::test::read_file(file), "keep me");
}

}  // namespace
