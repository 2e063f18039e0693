#pragma once

#include <string_view>

/// @file
/// Calendar dates as data files write them: ISO `YYYY-MM-DD`, or a partial `YYYY-MM` / `YYYY` for
/// events known only to the month or year. Checked for real days (2025-02-30 is not one).

namespace choro::geo {

/// True for a Gregorian leap year.
[[nodiscard]] constexpr bool is_leap_year(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// True when `text` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (when `allow_partial`; otherwise only the
/// full form) naming a real day: month 1-12, day within the month, 29 February only in leap years.
/// `iso_date("2024-02-29")` is true, `iso_date("2025-02-30")` and `iso_date("2025-13-01")` false. O(1).
[[nodiscard]] constexpr bool iso_date(std::string_view text, bool allow_partial = false) noexcept {
    const auto digits = [&](std::size_t from, std::size_t n, int& value) {
        value = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
            value = value * 10 + (text[i] - '0');
        }
        return true;
    };
    int year = 0, month = 0, day = 0;
    if (text.size() != 10 && !(allow_partial && (text.size() == 4 || text.size() == 7))) {
        return false;
    }
    if (!digits(0, 4, year) || year < 1) {
        return false;
    }
    if (text.size() == 4) {
        return true;
    }
    if (text[4] != '-' || !digits(5, 2, month) || month < 1 || month > 12) {
        return false;
    }
    if (text.size() == 7) {
        return true;
    }
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int last = days[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
    return text[7] == '-' && digits(8, 2, day) && day >= 1 && day <= last;
}

/// Whether an event dated `date` (full or partial, as iso_date accepts) had happened by the day
/// `as_of` (full): a partial date counts from its first day, so "2026-05" is on or before
/// "2026-05-01" and "2026" before "2026-01-01" is false. Both must be valid. O(1).
[[nodiscard]] constexpr bool on_or_before(std::string_view date, std::string_view as_of) noexcept {
    return date <= as_of.substr(0, date.size());
}

}  // namespace choro::geo
