// Outputs are atomic: a run killed (SIGKILL) at any moment leaves the previous complete output or
// none, never a torn one, and the next run succeeds. The kill times are random but seeded, so a
// failure is reproducible (the seed and the delay are in the message).
//
// Two variants of the same map (titles A and B) give two different, deterministic outputs. With A
// in place, a run writing B is killed after a random delay: the target must then hold exactly A's
// bytes or exactly B's (if the rename happened before the kill), nothing else.

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "process.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/tile.hpp"
#include "choro/render/image.hpp"
#include "choro/render/tiles.hpp"

namespace fs = std::filesystem;
using namespace choro::test;

namespace {

constexpr unsigned kill_seed = 287;
constexpr int kills_per_format = 5;

struct Inputs {
    fs::path dir;
    fs::path boundaries;
    fs::path values;
};

Inputs make_inputs() {
    Inputs in;
    in.dir = temp_dir();
    in.boundaries = write_file(in.dir / "counties.geojson", feature_collection(grid_features()));
    in.values = write_file(in.dir / "values.csv", grid_values_csv());
    return in;
}

std::vector<std::string> map_args(const Inputs& in, const std::string& title, const fs::path& out) {
    auto args = render_args(in.boundaries, in.values, 600, 375);
    args.insert(args.end(), {"--title", title, "-q", "-o", out.string()});
    return args;
}

/// Runs to completion and returns the output's bytes and how long the run took.
std::pair<std::string, std::chrono::milliseconds> reference(const std::vector<std::string>& args, const fs::path& out) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_choro_timed(args);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return {read_file(out), took};
}

void check_map_kills(const std::string& ext) {
    const Inputs in = make_inputs();
    const fs::path target = in.dir / ("map" + ext);
    const auto [a, a_time] = reference(map_args(in, "Variant A", in.dir / ("a" + ext)), in.dir / ("a" + ext));
    const auto [b, b_time] = reference(map_args(in, "Variant B", in.dir / ("b" + ext)), in.dir / ("b" + ext));
    ASSERT_NE(a, b) << "the two variants must differ for this test to mean anything";
    if (ext == ".png") {
        EXPECT_EQ(choro::render::decode_png(a).width, 600);
    } else {
        EXPECT_EQ(a.rfind("%PDF", 0), 0u);
    }

    std::mt19937 rng(kill_seed);
    const auto span = std::max(a_time, b_time) + std::chrono::milliseconds(20);
    std::uniform_int_distribution<long> delay_ms(0, span.count());

    // From nothing: killed early the target must be absent, never a stub.
    {
        const auto delay = std::chrono::milliseconds(delay_ms(rng) / 2);
        Background run(map_args(in, "Variant A", target));
        std::this_thread::sleep_for(delay);
        run.kill_and_wait();
        if (fs::exists(target)) {
            EXPECT_EQ(read_file(target), a) << "seed " << kill_seed << ", killed after " << delay.count() << " ms";
        }
    }
    fs::copy_file(in.dir / ("a" + ext), target, fs::copy_options::overwrite_existing);

    std::string current = a;
    int completed = 0;
    // At least kills_per_format kills, and more (up to four times as many) until some landed
    // mid-run: a loaded machine times the references slowly, and a run that finished before its
    // kill shortens the delays that follow.
    for (int i = 0; i < 4 * kills_per_format && (i < kills_per_format || completed == i); ++i) {
        const bool to_b = current == a;
        const auto delay = std::chrono::milliseconds(delay_ms(rng));
        {
            Background run(map_args(in, to_b ? "Variant B" : "Variant A", target));
            std::this_thread::sleep_for(delay);
            if (!run.kill_and_wait()) {
                ++completed;  // it finished before the kill: fine, the target must be the new one
                delay_ms = std::uniform_int_distribution<long>(0, std::max(1L, delay.count() * 2 / 3));
            }
        }
        ASSERT_TRUE(fs::exists(target)) << "seed " << kill_seed << ", kill " << i << " after " << delay.count()
                                        << " ms: the previous output is gone";
        const std::string now = read_file(target);
        const std::string& next = to_b ? b : a;
        ASSERT_TRUE(now == current || now == next)
            << "seed " << kill_seed << ", kill " << i << " after " << delay.count() << " ms: torn output ("
            << now.size() << " bytes; expected " << current.size() << " or " << next.size() << ")";
        current = now;
    }
    // Some kills must land mid-run, or the test proved nothing.
    EXPECT_LT(completed, 4 * kills_per_format) << "every run finished before its kill";

    // The next run succeeds over whatever the kills left (stale temporaries included).
    const auto r = run_choro_timed(map_args(in, "Variant B", target));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(target), b);
}

bool tiles_command_built() {
    // `choro tiles --help` prints the top-level help when there is no such command; look at the list.
    const auto r = run_choro_timed({"--help"}, std::chrono::seconds(10));
    return r.out.find("\n  tiles ") != std::string::npos;
}

std::vector<std::string> tile_args(const Inputs& in, const std::string& palette, const fs::path& out) {
    return {"tiles",
            "--boundaries",
            in.boundaries.string(),
            "--key",
            "GEOID",
            "--values",
            in.values.string(),
            "--values-key",
            "fips",
            "--value",
            "agreements",
            "--palette",
            palette,
            "--zoom",
            "0-6",
            "-q",
            "-o",
            out.string()};
}

using TileSet = std::map<std::string, std::string>;  // "z/x/y" → PNG bytes

TileSet read_mbtiles(const fs::path& p) {
    TileSet set;
    choro::render::for_each_mbtiles_tile(
        p, [&](const choro::geo::TileId& t, const std::string& png) { set[choro::geo::to_string(t)] = png; });
    return set;
}

/// The tiles of a folder pyramid; every file must be a complete PNG.
TileSet read_folder(const fs::path& dir) {
    TileSet set;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().extension() == ".png") {
            const std::string bytes = read_file(e.path());
            EXPECT_NO_THROW((void)choro::render::decode_png(bytes)) << e.path() << " is torn";
            set[fs::relative(e.path(), dir).replace_extension().string()] = bytes;
        }
    }
    return set;
}

}  // namespace

TEST(AtomicOutput, PngKilledAtRandomPoints) {
    check_map_kills(".png");
}

TEST(AtomicOutput, PdfKilledAtRandomPoints) {
    check_map_kills(".pdf");
}

TEST(AtomicOutput, MbtilesKilledAtRandomPoints) {
    if (!tiles_command_built()) {
        GTEST_SKIP() << "choro tiles is not built in this configuration";
    }
    const Inputs in = make_inputs();
    const fs::path ref_a = in.dir / "a.mbtiles";
    const fs::path ref_b = in.dir / "b.mbtiles";
    const fs::path target = in.dir / "t.mbtiles";
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(run_choro_timed(tile_args(in, "Blues", ref_a)).exit_code, 0);
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(run_choro_timed(tile_args(in, "Reds", ref_b)).exit_code, 0);
    const TileSet a = read_mbtiles(ref_a);
    const TileSet b = read_mbtiles(ref_b);
    ASSERT_FALSE(a.empty());
    ASSERT_NE(a, b);
    fs::copy_file(ref_a, target);

    std::mt19937 rng(kill_seed + 1);
    std::uniform_int_distribution<long> delay_ms(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(took).count() + 20);
    const TileSet* current = &a;
    for (int i = 0; i < kills_per_format; ++i) {
        const bool to_b = current == &a;
        const auto delay = std::chrono::milliseconds(delay_ms(rng));
        {
            Background run(tile_args(in, to_b ? "Reds" : "Blues", target));
            std::this_thread::sleep_for(delay);
            run.kill_and_wait();
        }
        ASSERT_TRUE(fs::exists(target)) << "kill " << i << " after " << delay.count() << " ms";
        const TileSet now = read_mbtiles(target);
        const TileSet* next = to_b ? &b : &a;
        ASSERT_TRUE(now == *current || now == *next)
            << "seed " << kill_seed + 1 << ", kill " << i << " after " << delay.count() << " ms: " << now.size()
            << " tiles, a mix of two runs or a torn file";
        current = now == a ? &a : &b;
    }
    const auto r = run_choro_timed(tile_args(in, "Reds", target));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_mbtiles(target), b);
}

TEST(AtomicOutput, TileFolderKilledAtRandomPoints) {
    if (!tiles_command_built()) {
        GTEST_SKIP() << "choro tiles is not built in this configuration";
    }
    const Inputs in = make_inputs();
    const fs::path ref = in.dir / "ref";
    const fs::path target = in.dir / "tiles";
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(run_choro_timed(tile_args(in, "Blues", ref)).exit_code, 0);
    const auto took = std::chrono::steady_clock::now() - start;
    const TileSet complete = read_folder(ref);
    ASSERT_FALSE(complete.empty());
    ASSERT_TRUE(fs::exists(ref / "tiles.json"));

    std::mt19937 rng(kill_seed + 2);
    std::uniform_int_distribution<long> delay_ms(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(took).count() + 20);
    for (int i = 0; i < kills_per_format; ++i) {
        const auto delay = std::chrono::milliseconds(delay_ms(rng));
        {
            Background run(tile_args(in, "Blues", target));
            std::this_thread::sleep_for(delay);
            run.kill_and_wait();
        }
        if (!fs::exists(target)) {
            continue;
        }
        // Every tile present is whole and right; the folder says it is complete (tiles.json,
        // written last) only when every tile is there.
        const TileSet now = read_folder(target);
        for (const auto& [id, png] : now) {
            ASSERT_TRUE(complete.count(id)) << "unexpected tile " << id;
            EXPECT_EQ(png, complete.at(id)) << "tile " << id << " differs from a complete run";
        }
        if (fs::exists(target / "tiles.json")) {
            EXPECT_EQ(now.size(), complete.size()) << "seed " << kill_seed + 2 << ", kill " << i << " after "
                                                   << delay.count() << " ms: tiles.json written before all tiles";
        }
    }
    const auto r = run_choro_timed(tile_args(in, "Blues", target));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_folder(target), complete);
    EXPECT_TRUE(fs::exists(target / "tiles.json"));
}
