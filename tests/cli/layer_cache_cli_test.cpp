// The prepared-geometry cache seen from the command line: two runs at once on the same inputs
// both succeed and agree, a cached run gives the same bytes as an uncached one, and --no-cache
// leaves the cache alone.

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>

namespace fs = std::filesystem;
using choro::test::read_file;
using choro::test::run_choro;
using choro::test::temp_dir;
using choro::test::write_file;

namespace {

/// Points XDG_CACHE_HOME (inherited by the choro processes) at a folder for one test.
class CacheHome {
public:
    explicit CacheHome(const fs::path& dir) : m_dir(dir), m_env("XDG_CACHE_HOME", dir.string()) {}
    CacheHome(const CacheHome&) = delete;
    CacheHome& operator=(const CacheHome&) = delete;
    CacheHome(CacheHome&&) = delete;
    CacheHome& operator=(CacheHome&&) = delete;

    [[nodiscard]] std::size_t entries() const {
        std::size_t n = 0;
        const fs::path layers = m_dir / "choro" / "layers";
        if (fs::is_directory(layers)) {
            for (const auto& e : fs::directory_iterator(layers)) {
                n += e.is_regular_file() ? 1 : 0;
            }
        }
        return n;
    }

private:
    fs::path m_dir;
    choro::test::ScopedEnv m_env;
};

/// `choro render` of the fixture to `out`, -q, plus `more`.
std::vector<std::string> render_args(const fs::path& dir,
                                     const fs::path& out,
                                     const std::vector<std::string>& more = {}) {
    auto args = choro::test::render_args(dir / "counties.geojson", dir / "values.csv", 400, 250);
    args.insert(args.end(), {"-q", "-o", out.string()});
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

void write_inputs(const fs::path& dir) {
    write_file(dir / "counties.geojson",
               choro::test::feature_collection(choro::test::grid_features(), "urn:ogc:def:crs:OGC:1.3:CRS84"));
    write_file(dir / "values.csv", "fips,agreements\n1001,3\n1003,0\n1005,7\n");
}

}  // namespace

TEST(LayerCacheCli, TwoRunsAtOnceBothSucceedAndMatchAnUncachedRun) {
    const fs::path dir = temp_dir();
    write_inputs(dir);
    const CacheHome cache(dir / "xdg");
    std::vector<choro::test::RunResult> runs(2);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        threads.emplace_back(
            [&, i] { runs[i] = run_choro(render_args(dir, dir / ("at-once-" + std::to_string(i) + ".png"))); });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (const auto& r : runs) {
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    EXPECT_EQ(cache.entries(), 1u);
    // A third run reads the entry; --no-cache reads GDAL: all four maps are the same bytes.
    ASSERT_EQ(run_choro(render_args(dir, dir / "hit.png")).exit_code, 0);
    ASSERT_EQ(run_choro(render_args(dir, dir / "uncached.png", {"--no-cache"})).exit_code, 0);
    const std::string reference = read_file(dir / "uncached.png");
    EXPECT_EQ(read_file(dir / "at-once-0.png"), reference);
    EXPECT_EQ(read_file(dir / "at-once-1.png"), reference);
    EXPECT_EQ(read_file(dir / "hit.png"), reference);
}

TEST(LayerCacheCli, NoCacheLeavesTheCacheAlone) {
    const fs::path dir = temp_dir();
    write_inputs(dir);
    const CacheHome cache(dir / "xdg");
    const auto r = run_choro(render_args(dir, dir / "map.png", {"--no-cache"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(cache.entries(), 0u);
}
