// Calendar checks against the Gregorian rules (leap years: divisible by 4, not by 100 unless by 400).

#include "choro/geo/date.hpp"

#include <gtest/gtest.h>

namespace {

using choro::geo::iso_date;
using choro::geo::on_or_before;

TEST(IsoDate, RealDaysOnly) {
    EXPECT_TRUE(iso_date("2025-02-28"));
    EXPECT_FALSE(iso_date("2025-02-29"));
    EXPECT_TRUE(iso_date("2024-02-29"));
    EXPECT_TRUE(iso_date("2000-02-29"));   // divisible by 400
    EXPECT_FALSE(iso_date("1900-02-29"));  // divisible by 100 only
    EXPECT_FALSE(iso_date("2025-02-30"));
    EXPECT_FALSE(iso_date("2025-04-31"));
    EXPECT_TRUE(iso_date("2025-12-31"));
    EXPECT_FALSE(iso_date("2025-13-01"));
    EXPECT_FALSE(iso_date("2025-00-10"));
    EXPECT_FALSE(iso_date("2025-01-00"));
    for (const char* bad : {"", "05/082025", "2025-1-01", "2025/01/01", "2025-01-01 ", "20250101", "abcd-ef-gh"}) {
        EXPECT_FALSE(iso_date(bad)) << bad;
    }
}

TEST(IsoDate, PartialFormsOnlyWhenAllowed) {
    EXPECT_FALSE(iso_date("2025"));
    EXPECT_FALSE(iso_date("2025-10"));
    EXPECT_TRUE(iso_date("2025", true));
    EXPECT_TRUE(iso_date("2025-10", true));
    EXPECT_FALSE(iso_date("2025-13", true));
    EXPECT_FALSE(iso_date("202", true));
}

TEST(IsoDate, PartialDatesCountFromTheirFirstDay) {
    EXPECT_TRUE(on_or_before("2026-05-18", "2026-05-18"));
    EXPECT_FALSE(on_or_before("2026-05-20", "2026-05-18"));
    EXPECT_TRUE(on_or_before("2026-05", "2026-05-01"));
    EXPECT_FALSE(on_or_before("2026-05", "2026-04-30"));
    EXPECT_TRUE(on_or_before("2026", "2026-01-01"));
    EXPECT_FALSE(on_or_before("2026", "2025-12-31"));
}

}  // namespace
