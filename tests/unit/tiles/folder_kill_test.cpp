// A folder output killed (SIGKILL) at random points while two jobs take turns writing it: the
// folder is always one job's complete pyramid (tiles, tiles.json, preview), never a mix and never
// missing once written, and the next run finishes whatever the kills left.

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "test_support.hpp"
#include "tiles_fixture.hpp"
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

struct Folder {
    choro::tiles_test::TileMap tiles;
    std::string tilejson;
    friend bool operator==(const Folder&, const Folder&) = default;
};

Folder read(const fs::path& dir) {
    return {choro::tiles_test::read_folder(dir), choro::test::read_file(dir / "tiles.json")};
}

std::vector<std::string> args(const fs::path& dir, const std::string& palette, const fs::path& out) {
    return {"tiles",
            "--boundaries",
            (dir / "squares.geojson").string(),
            "--key",
            "id",
            "--srs",
            "EPSG:4326",
            "--values",
            (dir / "values.csv").string(),
            "--values-key",
            "key",
            "--value",
            "v",
            "--classes",
            "2",
            "--palette",
            palette,
            "--zoom",
            "0-6",
            "--threads",
            "1",
            "-q",
            "-o",
            out.string()};
}

void write_squares(const fs::path& dir) {
    choro::test::write_file(dir / "squares.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"01"},"geometry":{"type":"Polygon","coordinates":[[[-100,30],[-90,30],[-90,40],[-100,40],[-100,30]]]}},
{"type":"Feature","properties":{"id":"02"},"geometry":{"type":"Polygon","coordinates":[[[-90,30],[-80,30],[-80,40],[-90,40],[-90,30]]]}}]})");
    choro::test::write_file(dir / "values.csv", "key,v\n01,3\n02,7\n");
}

// A run killed while it wrote one of the folder's files (style.json, tiles.json…) leaves that
// file's temporary (`style.json.tmp-<pid>`): the folder is still choro's and the next run replaces
// it. A file of any other name keeps the folder from being replaced.
TEST(FolderKill, ATemporaryLeftByAKilledRunIsChoros) {
    const fs::path dir = choro::test::temp_dir();
    write_squares(dir);
    const fs::path target = dir / "t";
    auto r = choro::test::run_choro_timed(args(dir, "Blues", target));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    choro::test::write_file(target / "style.json.tmp-4194301", "{\"half\":");
    choro::test::write_file(target / "tiles.json.tmp-77", "");
    r = choro::test::run_choro_timed(args(dir, "Reds", target));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(target / "style.json.tmp-4194301"));

    for (const char* foreign : {"notes.txt", "style.json.tmp-x1", "style.json.tmp-", "mine.tmp-12"}) {
        choro::test::write_file(target / foreign, "mine");
        r = choro::test::run_choro_timed(args(dir, "Blues", target));
        EXPECT_NE(r.exit_code, 0) << foreign;
        EXPECT_NE(r.err.find(std::string("holds '") + foreign + "'"), std::string::npos) << r.err;
        EXPECT_TRUE(fs::exists(target / foreign)) << foreign;
        fs::remove(target / foreign);
    }
}

TEST(FolderKill, TwoJobsTakingTurnsNeverMixAndTheOutputNeverVanishes) {
    const fs::path dir = choro::test::temp_dir();
    write_squares(dir);
    const auto start = std::chrono::steady_clock::now();
    auto r = choro::test::run_choro_timed(args(dir, "Blues", dir / "a" / "t"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto took = std::chrono::steady_clock::now() - start;
    r = choro::test::run_choro_timed(args(dir, "Reds", dir / "b" / "t"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Same file name as the target: the tile set is named after it.
    const Folder a = read(dir / "a" / "t");
    const Folder b = read(dir / "b" / "t");
    ASSERT_NE(a.tiles, b.tiles);
    const fs::path target = dir / "t";
    fs::copy(dir / "a" / "t", target, fs::copy_options::recursive);

    std::mt19937 rng(287);
    std::uniform_int_distribution<long> delay_ms(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(took).count() + 20);
    const Folder* current = &a;
    int interrupted = 0;
    for (int i = 0; i < 6; ++i) {
        const bool to_b = current == &a;
        const auto delay = std::chrono::milliseconds(delay_ms(rng));
        {
            choro::test::Background run(args(dir, to_b ? "Reds" : "Blues", target));
            std::this_thread::sleep_for(delay);
            interrupted += run.kill_and_wait() ? 1 : 0;
        }
        ASSERT_TRUE(fs::exists(target / "tiles.json")) << "kill " << i << " after " << delay.count() << " ms";
        const Folder now = read(target);
        ASSERT_TRUE(now == a || now == b)
            << "kill " << i << " after " << delay.count() << " ms: " << now.tiles.size() << " tiles, a mix of two jobs";
        current = now == a ? &a : &b;
    }
    EXPECT_GT(interrupted, 0) << "every run finished before its kill: the test proved nothing";
    r = choro::test::run_choro_timed(args(dir, "Reds", target));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(read(target) == b);
    EXPECT_FALSE(fs::exists(dir / "t.partial"));
}

}  // namespace
