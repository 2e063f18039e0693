// The parsers and range checks of every setting, shared by job files and flags.

#include "choro/styles/settings.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "detail/text.hpp"

#include "choro/geo/error.hpp"

namespace choro::styles {

namespace {

std::string range_text(const IntRange& r) {
    return std::to_string(r.min) + " to " + std::to_string(r.max);
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

}  // namespace

void bad_setting(const Origin& origin, const std::string& what) {
    if (!origin.flag.empty()) {
        throw UsageError(origin.flag + " " + what);
    }
    throw JobError(origin.path, origin.line, origin.column, origin.key.empty() ? what : origin.key + " " + what);
}

long long check_range(const IntRange& range, long long value, const Origin& origin) {
    if (value > range.max && range.max_is_limit) {
        const std::string where = origin.flag.empty() ? (origin.path.empty() ? std::string("job") : origin.path) + ":" +
                                                            std::to_string(origin.line) + ":" +
                                                            std::to_string(origin.column) + ": " + origin.key
                                                      : origin.flag;
        throw LimitError(where + " " + std::to_string(value) + " is beyond the limit of " + std::to_string(range.max));
    }
    if (value < range.min) {
        bad_setting(origin,
                    "must be at least " + std::to_string(range.min) + ", not " + std::to_string(value) +
                        " (allowed: " + range_text(range) + ")");
    }
    if (value > range.max) {
        bad_setting(origin,
                    "must be at most " + std::to_string(range.max) + ", not " + std::to_string(value) +
                        " (allowed: " + range_text(range) + ")");
    }
    return value;
}

long long parse_int(std::string_view text, const IntRange& range, const Origin& origin) {
    const std::string s(detail::trim(text));
    const bool digits =
        !s.empty() && s.find_first_not_of("0123456789", s[0] == '-' ? 1 : 0) == std::string::npos && s != "-";
    if (!digits || s.size() > 18) {
        bad_setting(origin, "is " + quoted(text) + ", not a whole number (allowed: " + range_text(range) + ")");
    }
    return check_range(range, std::stoll(s), origin);
}

double parse_number(std::string_view text, const Origin& origin) {
    const std::string s(detail::trim(text));
    char* end = nullptr;
    errno = 0;
    const double v = s.empty() ? 0.0 : std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v)) {
        bad_setting(origin, "has " + quoted(text) + ", not a finite number");
    }
    return v;
}

geo::ZoomRange check_zoom(long long min, long long max, const Origin& origin) {
    if (min < 0 || max < 0) {
        bad_setting(
            origin,
            "must not be negative (expected MIN-MAX with 0 <= MIN <= MAX <= " + std::to_string(ranges::zoom.max) + ")");
    }
    if (min > max) {
        bad_setting(origin, "has its minimum " + std::to_string(min) + " above its maximum " + std::to_string(max));
    }
    check_range(ranges::zoom, max, origin);
    return {static_cast<int>(min), static_cast<int>(max)};
}

geo::ZoomRange parse_zoom(std::string_view text, const Origin& origin) {
    const std::string s(detail::trim(text));
    const std::size_t dash = s.find('-', 1);
    const auto part = [&](std::string_view p) -> long long {
        p = detail::trim(p);
        if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos) {
            bad_setting(origin,
                        "is " + quoted(text) +
                            ", not a zoom range: expected MIN-MAX (e.g. 0-7) or one zoom level, 0 to " +
                            std::to_string(ranges::zoom.max));
        }
        return std::stoll(std::string(p));
    };
    if (dash == std::string::npos) {
        const long long z = part(s);
        return check_zoom(z, z, origin);
    }
    return check_zoom(part(std::string_view(s).substr(0, dash)), part(std::string_view(s).substr(dash + 1)), origin);
}

geo::Box<geo::LonLat> check_bbox(
    double west, double south, double east, double north, const Origin& origin, bool allow_antimeridian) {
    const std::string expected = "expected W,S,E,N in degrees with -180 <= W, E <= 180 and -90 <= S < N <= 90" +
                                 std::string(allow_antimeridian ? " (W > E crosses 180°)" : " and W < E");
    for (const double v : {west, south, east, north}) {
        if (!std::isfinite(v)) {
            bad_setting(origin, "must have finite numbers; " + expected);
        }
    }
    const bool lon_ok = west >= -180 && west <= 180 && east >= -180 && east <= 180 && west != east &&
                        (west < east || allow_antimeridian);
    if (!lon_ok || !(south >= -90 && north <= 90 && south < north)) {
        char box[160];
        std::snprintf(box, sizeof box, "%g,%g,%g,%g", west, south, east, north);
        bad_setting(origin, "is " + std::string(box) + ", not a box: " + expected);
    }
    geo::Box<geo::LonLat> b;
    b.min = {west, south};
    b.max = {east, north};
    return b;
}

geo::Box<geo::LonLat> parse_bbox(std::string_view text, const Origin& origin, bool allow_antimeridian) {
    double v[4] = {0, 0, 0, 0};
    std::size_t n = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view part = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
        if (n == 4) {
            n = 5;
            break;
        }
        v[n++] = parse_number(part, origin);
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    if (n != 4) {
        bad_setting(origin, "is " + quoted(text) + ", not 4 numbers: expected W,S,E,N in degrees");
    }
    return check_bbox(v[0], v[1], v[2], v[3], origin, allow_antimeridian);
}

geo::Duplicates parse_duplicates(std::string_view text, const Origin& origin) {
    if (text == "error") {
        return geo::Duplicates::error;
    }
    if (text == "first") {
        return geo::Duplicates::first;
    }
    if (text == "sum") {
        return geo::Duplicates::sum;
    }
    bad_setting(origin, "must be \"error\", \"first\" or \"sum\", not \"" + std::string(text) + "\"");
}

}  // namespace choro::styles
