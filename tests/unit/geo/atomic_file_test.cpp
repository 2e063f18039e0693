#include "choro/geo/atomic_file.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"

namespace fs = std::filesystem;

namespace {

TEST(AtomicFile, WritesWholeFileAndCreatesFolders) {
    const auto dir = choro::test::temp_dir();
    const auto target = dir / "a" / "b" / "out.txt";
    choro::geo::write_file_atomic(target, "hello\n");
    EXPECT_EQ(choro::test::read_file(target), "hello\n");
    // Nothing else left beside it.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(target.parent_path())) {
        ++entries;
    }
    EXPECT_EQ(entries, 1u);
}

TEST(AtomicFile, ReplacesExistingTarget) {
    const auto target = choro::test::temp_dir() / "out.txt";
    choro::test::write_file(target, "old");
    choro::geo::write_file_atomic(target, "new contents");
    EXPECT_EQ(choro::test::read_file(target), "new contents");
}

TEST(AtomicFile, TempNameBesideTarget) {
    const auto target = choro::test::temp_dir() / "map.png";
    const choro::geo::AtomicFile file(target);
    EXPECT_EQ(file.path().parent_path(), target.parent_path());
    EXPECT_EQ(file.path().filename().string().rfind("map.png.tmp-", 0), 0u) << file.path();
}

TEST(AtomicFile, AbandonedFileLeavesTargetUntouched) {
    const auto target = choro::test::temp_dir() / "out.txt";
    choro::test::write_file(target, "keep me");
    fs::path temp;
    try {
        choro::geo::AtomicFile file(target);
        temp = file.path();
        choro::test::write_file(file.path(), "half-written");
        ASSERT_TRUE(fs::exists(temp));
        throw std::runtime_error("simulated failure while writing");
    } catch (const std::runtime_error&) {
    }
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_EQ(choro::test::read_file(target), "keep me");
}

TEST(AtomicFile, CommitWithoutWritingIsRenderError) {
    const auto target = choro::test::temp_dir() / "out.txt";
    choro::geo::AtomicFile file(target);
    EXPECT_THROW(file.commit(), choro::RenderError);
    EXPECT_FALSE(fs::exists(target));
}

TEST(AtomicFile, UncreatableFolderIsRenderErrorNamingPath) {
    const auto dir = choro::test::temp_dir();
    choro::test::write_file(dir / "blocker", "a file, not a folder");
    const auto target = dir / "blocker" / "sub" / "out.txt";
    try {
        choro::geo::write_file_atomic(target, "x");
        FAIL() << "expected RenderError";
    } catch (const choro::RenderError& e) {
        EXPECT_EQ(e.path(), target.string());
        EXPECT_NE(std::string(e.what()).find("blocker"), std::string::npos) << e.what();
    }
}

TEST(AtomicFile, RenameOntoFolderFailsAndCleansUp) {
    const auto dir = choro::test::temp_dir();
    const auto target = dir / "taken";
    fs::create_directories(target / "inside");  // a non-empty folder cannot be replaced by rename()
    fs::path temp;
    {
        choro::geo::AtomicFile file(target);
        temp = file.path();
        choro::test::write_file(file.path(), "data");
        EXPECT_THROW(file.commit(), choro::RenderError);
    }
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_TRUE(fs::is_directory(target));
}

}  // namespace

TEST(AtomicFile, RemovesTemporariesOfDeadRunsOnly) {
    const auto dir = choro::test::temp_dir();
    const auto target = dir / "map.png";
    // A pid that cannot exist (above the kernel's maximum) stands for a run killed by SIGKILL;
    // pid 1 always exists and stands for a run still writing.
    const auto dead = choro::test::write_file(dir / "map.png.tmp-999999999", "half a PNG");
    const auto live = choro::test::write_file(dir / "map.png.tmp-1", "in progress");
    const auto other = choro::test::write_file(dir / "other.png.tmp-999999999", "another target's");
    choro::geo::write_file_atomic(target, "whole");
    EXPECT_FALSE(std::filesystem::exists(dead));
    EXPECT_TRUE(std::filesystem::exists(other));
    EXPECT_TRUE(std::filesystem::exists(live));
    EXPECT_EQ(choro::test::read_file(target), "whole");
}
