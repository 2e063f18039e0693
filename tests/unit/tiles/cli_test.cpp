// `choro tiles` and `choro merge` through the executable: flags, shard from the environment
// (Slurm), merge equal to one run, and errors with their exit codes.

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_support.hpp"
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
                          Case{"--scale", "3"}}) {
        auto args = tiles_args(f, out);
        args.push_back(c.flag);
        args.push_back(c.value);
        const auto r = choro::test::run_choro(args);
        EXPECT_NE(r.exit_code, 0) << c.flag << " " << c.value;
        EXPECT_NE(r.err.find(c.flag), std::string::npos) << c.flag << " " << c.value << ": " << r.err;
        EXPECT_FALSE(fs::exists(out));
    }
    // A shard into a folder is refused: shards write MBTiles parts.
    auto args = tiles_args(f, (f.dir / "dir").string());
    args.insert(args.end(), {"--shard", "0/2"});
    EXPECT_NE(choro::test::run_choro(args).exit_code, 0);
}

}  // namespace
