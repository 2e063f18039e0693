#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "choro/geo/geometry.hpp"
#include "choro/geo/join.hpp"
#include "choro/geo/tile.hpp"

/// @file
/// Every setting a job file or a flag can give, parsed and checked in one place. A job file and
/// the command line share these parsers, so `--zoom 0-7` and `zoom = "0-7"` mean the same and
/// fail the same way; later stages (classify, the renderers) only assert what was checked here.
///
/// A value below a setting's minimum, zero where zero means nothing, NaN or malformed text is the
/// caller's mistake: a UsageError naming the flag (exit 2) or a JobError naming the file, line and
/// column (exit 4). A well-formed value above a limit that keeps work and memory bounded is a
/// LimitError (exit 7), wherever it came from.

namespace choro::styles {

/// Where a setting came from, for messages: a flag (`flag` set) or a job file position.
struct Origin {
    std::string flag;  ///< "--classes"; empty for a job file
    std::string path;  ///< the job file ("" when built in code)
    std::size_t line = 0;
    std::size_t column = 0;
    std::string key;  ///< "'classes' in [classify]", for job files

    [[nodiscard]] static Origin of_flag(std::string flag) { return Origin{std::move(flag), {}, 0, 0, {}}; }
    /// "--classes" or "'classes' in [classify]".
    [[nodiscard]] std::string name() const { return flag.empty() ? key : flag; }
};

/// Throws the error for a bad setting: UsageError for a flag, JobError for a job file.
[[noreturn]] void bad_setting(const Origin& origin, const std::string& what);

/// A whole-number setting with its range. The one place each limit is written.
struct IntRange {
    long long min;
    long long max;
    bool max_is_limit;  ///< above max: LimitError (a resource bound) rather than a bad value
};

namespace ranges {
inline constexpr IntRange width{1, 20000, true};  ///< pixels
inline constexpr IntRange height{1, 20000, true};
inline constexpr IntRange dpi{1, 2400, true};
inline constexpr IntRange classes{1, 12, true};  ///< palettes are interpolated beyond their own size
inline constexpr IntRange zoom{0, 22, true};
inline constexpr IntRange metatile{1, 16, true};
inline constexpr IntRange scale{1, 2, false};
inline constexpr IntRange threads{1, 1024, true};
inline constexpr IntRange png_level{1, 12, false};  ///< libdeflate's deflate levels (tiles' --png-level)
}  // namespace ranges

/// Checks `value` against `range`; returns it. Throws as described in the file comment, the
/// message naming the setting and the allowed range ("--classes 0: expected 1 to 12").
long long check_range(const IntRange& range, long long value, const Origin& origin);

/// Parses a whole number (no sign games: "7", "-1"; not "7.5", "7a", "") and checks its range.
long long parse_int(std::string_view text, const IntRange& range, const Origin& origin);

/// A finite number ("nan", "inf", "1e999" and trailing text refused).
double parse_number(std::string_view text, const Origin& origin);

/// "0-7" or "5"; both within ranges::zoom and min <= max.
[[nodiscard]] geo::ZoomRange parse_zoom(std::string_view text, const Origin& origin);
/// Checks a zoom range given as two numbers.
[[nodiscard]] geo::ZoomRange check_zoom(long long min, long long max, const Origin& origin);

/// "W,S,E,N" in degrees: finite, -180 <= W, E <= 180, -90 <= S < N <= 90, W != E. W > E is a box
/// across the antimeridian and is refused unless `allow_antimeridian`.
[[nodiscard]] geo::Box<geo::LonLat> parse_bbox(std::string_view text,
                                               const Origin& origin,
                                               bool allow_antimeridian = false);
/// Checks four numbers the same way.
[[nodiscard]] geo::Box<geo::LonLat> check_bbox(
    double west, double south, double east, double north, const Origin& origin, bool allow_antimeridian = false);

/// "error", "first" or "sum".
[[nodiscard]] geo::Duplicates parse_duplicates(std::string_view text, const Origin& origin);

}  // namespace choro::styles
