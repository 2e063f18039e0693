// Replays the fuzz seeds (tests/fuzz/corpus/<target>/) and every crash the fuzzers found
// (tests/data/bad/fuzz/<target>/) through the same harness the libFuzzer targets use, so each
// build, the sanitizer build included, checks them: a choro::Error or a result, never a crash.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "../fuzz/harness.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>

namespace fs = std::filesystem;
using choro::test::read_file;

namespace {

/// Every file of the seed and crash folders of one target, sorted (stable test order).
std::vector<fs::path> inputs(const std::string& target) {
    std::vector<fs::path> files;
    for (const fs::path& dir : {fs::path(CHORO_SOURCE_DIR) / "tests" / "fuzz" / "corpus" / target,
                                choro::test::data_dir() / "bad" / "fuzz" / target}) {
        if (!fs::is_directory(dir)) {
            continue;
        }
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.is_regular_file() && e.path().filename().string().front() != '.') {
                files.push_back(e.path());
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

const std::uint8_t* bytes(const std::string& s) {
    return reinterpret_cast<const std::uint8_t*>(s.data());
}

}  // namespace

TEST(FuzzRegression, TableInputs) {
    const auto files = inputs("table");
    ASSERT_FALSE(files.empty());
    const auto dir = choro::test::temp_dir();
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const std::string data = read_file(f);
        choro::fuzz::table_input(bytes(data), data.size(), dir);
    }
}

TEST(FuzzRegression, JobInputs) {
    const auto files = inputs("job");
    ASSERT_FALSE(files.empty());
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const std::string data = read_file(f);
        choro::fuzz::job_input(bytes(data), data.size());
    }
}

TEST(FuzzRegression, KeyInputs) {
    const auto files = inputs("key");
    ASSERT_FALSE(files.empty());
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const std::string data = read_file(f);
        choro::fuzz::key_input(bytes(data), data.size());
    }
}

TEST(FuzzRegression, ShapefileInputs) {
    const auto files = inputs("shapefile");
    ASSERT_FALSE(files.empty());
    const auto dir = choro::test::temp_dir();
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const std::string data = read_file(f);
        const auto parts = choro::fuzz::unpack_shapefile(bytes(data), data.size());
        fs::remove(dir / "layer.shx");
        choro::test::write_file(dir / "layer.shp", parts.shp);
        if (parts.has_shx) {
            choro::test::write_file(dir / "layer.shx", parts.shx);
        }
        choro::test::write_file(dir / "layer.dbf", parts.dbf);
        choro::fuzz::read_shapefile((dir / "layer.shp").string());
    }
}

TEST(FuzzRegression, ShapefilePackingRoundTrips) {
    const choro::fuzz::ShapefileParts p{"SHP", "SX", "DBF bytes", true};
    const std::string packed = choro::fuzz::pack_shapefile(p);
    const auto back = choro::fuzz::unpack_shapefile(bytes(packed), packed.size());
    EXPECT_EQ(back.shp, "SHP");
    EXPECT_EQ(back.shx, "SX");
    EXPECT_EQ(back.dbf, "DBF bytes");
    EXPECT_TRUE(back.has_shx);
    const choro::fuzz::ShapefileParts q{"SHP", "", "D", false};
    const std::string packed_q = choro::fuzz::pack_shapefile(q);
    EXPECT_FALSE(choro::fuzz::unpack_shapefile(bytes(packed_q), packed_q.size()).has_shx);
    // Lengths beyond the input are cut, never read past the end.
    const std::string truncated = packed.substr(0, 10);
    const auto cut = choro::fuzz::unpack_shapefile(bytes(truncated), truncated.size());
    EXPECT_EQ(cut.shp, "SH");
    EXPECT_EQ(cut.shx, "");
}

TEST(FuzzRegression, XlsxInputs) {
    const auto files = inputs("xlsx");
    ASSERT_FALSE(files.empty());
    const auto dir = choro::test::temp_dir();
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const std::string data = read_file(f);
        choro::fuzz::xlsx_input(bytes(data), data.size(), dir);
    }
}

TEST(FuzzRegression, JoinInputs) {
    const auto files = inputs("join");
    ASSERT_FALSE(files.empty());
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const std::string data = read_file(f);
        choro::fuzz::join_input(bytes(data), data.size());
    }
}
