// One parser per setting: a flag and a job file key fail the same way, with the flag or the file
// position named, and the range stated (issue 11: settings checked once).

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/settings.hpp"

namespace {

using choro::styles::Origin;
namespace ranges = choro::styles::ranges;

template <class E, class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("wrong exception: ") + e.what();
    }
    return "no exception";
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(Settings, FlagOutOfRangeIsAUsageErrorNamingFlagAndRange) {
    const auto m = message_of<choro::UsageError>(
        [] { (void)choro::styles::check_range(ranges::classes, 0, Origin::of_flag("--classes")); });
    EXPECT_TRUE(has(m, "--classes")) << m;
    EXPECT_TRUE(has(m, "1 to 12")) << m;
    for (const auto& [range, flag] : {std::pair{ranges::width, "--width"},
                                      std::pair{ranges::height, "--height"},
                                      std::pair{ranges::dpi, "--dpi"},
                                      std::pair{ranges::metatile, "--metatile"},
                                      std::pair{ranges::scale, "--scale"},
                                      std::pair{ranges::threads, "--threads"}}) {
        EXPECT_THROW((void)choro::styles::check_range(range, 0, Origin::of_flag(flag)), choro::UsageError) << flag;
        EXPECT_THROW((void)choro::styles::check_range(range, -1, Origin::of_flag(flag)), choro::UsageError) << flag;
        EXPECT_EQ(choro::styles::check_range(range, range.min, Origin::of_flag(flag)), range.min) << flag;
        EXPECT_EQ(choro::styles::check_range(range, range.max, Origin::of_flag(flag)), range.max) << flag;
    }
}

TEST(Settings, AboveALimitIsALimitErrorWhereverItCameFrom) {
    EXPECT_THROW((void)choro::styles::check_range(ranges::width, 20001, Origin::of_flag("--width")), choro::LimitError);
    const Origin file{{}, "job.toml", 3, 1, "'width' in [map]"};
    const auto m = message_of<choro::LimitError>([&] { (void)choro::styles::check_range(ranges::width, 20001, file); });
    EXPECT_TRUE(has(m, "job.toml:3:1")) << m;
    // Scale is not a resource bound: 3 is just wrong.
    EXPECT_THROW((void)choro::styles::check_range(ranges::scale, 3, Origin::of_flag("--scale")), choro::UsageError);
}

TEST(Settings, JobFileOriginGivesAJobErrorWithThePosition) {
    const Origin file{{}, "job.toml", 7, 5, "'classes' in [classify]"};
    try {
        (void)choro::styles::check_range(ranges::classes, 0, file);
        FAIL() << "expected JobError";
    } catch (const choro::JobError& e) {
        EXPECT_EQ(e.path(), "job.toml");
        EXPECT_EQ(e.line(), 7u);
        EXPECT_TRUE(has(e.what(), "'classes' in [classify]")) << e.what();
    }
}

TEST(Settings, Zoom) {
    const auto o = Origin::of_flag("--zoom");
    EXPECT_EQ(choro::styles::parse_zoom("0-7", o), (choro::geo::ZoomRange{0, 7}));
    EXPECT_EQ(choro::styles::parse_zoom(" 5 ", o), (choro::geo::ZoomRange{5, 5}));
    for (const char* bad : {"", "7-3", "a-b", "-1", "0-", "1.5", "0-7-9", "nan"}) {
        EXPECT_THROW((void)choro::styles::parse_zoom(bad, o), choro::UsageError) << bad;
    }
    EXPECT_THROW((void)choro::styles::parse_zoom("0-30", o), choro::LimitError);
}

TEST(Settings, BoxesRefuseNaNEmptyAndSwappedCorners) {
    const auto o = Origin::of_flag("--bbox");
    const auto b = choro::styles::parse_bbox("-125,24,-66,50", o);
    EXPECT_EQ(b.min.x, -125);
    EXPECT_EQ(b.max.y, 50);
    for (const char* bad : {"nan,30,-80,40",
                            "-90,inf,-80,40",
                            "-90,30,-90,40",   // W = E
                            "-90,40,-80,40",   // S = N
                            "-90,41,-80,40",   // S > N
                            "-190,30,-80,40",  // beyond ±180
                            "1,2,3",
                            "1,2,3,4,5",
                            "a,b,c,d",
                            "170,50,-130,72"}) {  // across 180°: only where the caller allows it
        const auto m = message_of<choro::UsageError>([&] { (void)choro::styles::parse_bbox(bad, o); });
        EXPECT_TRUE(has(m, "--bbox")) << bad << ": " << m;
    }
    const auto across = choro::styles::parse_bbox("170,50,-130,72", o, true);
    EXPECT_GT(across.min.x, across.max.x);
}

TEST(Settings, NumbersMustBeFinite) {
    const auto o = Origin::of_flag("--breaks");
    EXPECT_EQ(choro::styles::parse_number("2.5", o), 2.5);
    for (const char* bad : {"", "nan", "inf", "-inf", "1e999", "2x", "1,5"}) {
        EXPECT_THROW((void)choro::styles::parse_number(bad, o), choro::UsageError) << bad;
    }
}

TEST(Settings, Duplicates) {
    const auto o = Origin::of_flag("--duplicates");
    EXPECT_EQ(choro::styles::parse_duplicates("sum", o), choro::geo::Duplicates::sum);
    EXPECT_EQ(choro::styles::parse_duplicates("first", o), choro::geo::Duplicates::first);
    EXPECT_EQ(choro::styles::parse_duplicates("error", o), choro::geo::Duplicates::error);
    EXPECT_THROW((void)choro::styles::parse_duplicates("mean", o), choro::UsageError);
}

// The job file goes through the same checks: zero is refused there too, with the position.
TEST(Settings, JobFileUsesTheSameRanges) {
    for (const char* text : {"[map]\nwidth = 0\n",
                             "[map]\ndpi = 0\n",
                             "[classify]\nclasses = 0\n",
                             "[tiles]\nmetatile = 0\n",
                             "[tiles]\nscale = 3\n",
                             "[tiles]\nzoom = \"7-3\"\n"}) {
        EXPECT_THROW((void)choro::styles::parse_job_text(text, "job.toml", ""), choro::JobError) << text;
    }
    EXPECT_THROW((void)choro::styles::parse_job_text("[map]\nwidth = 20001\n", "job.toml", ""), choro::LimitError);
    const auto job =
        choro::styles::parse_job_text("[tiles]\nbbox = [-125, 24, -66, 50]\nzoom = \"2-9\"\n", "job.toml", "");
    ASSERT_TRUE(job.tiles.bbox.has_value());
    EXPECT_EQ(job.tiles.bbox->min.x, -125);
    EXPECT_EQ(job.tiles.zoom, (choro::geo::ZoomRange{2, 9}));
}

}  // namespace
