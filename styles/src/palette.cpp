#include "choro/styles/palette.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "detail/text.hpp"

#include "choro/geo/error.hpp"

namespace choro::styles {

namespace {

struct Scheme {
    std::string_view name;
    std::size_t size;
    std::array<std::uint32_t, 11> colors;
};

// Colour specifications and designs developed by Cynthia Brewer (https://colorbrewer2.org/),
// Copyright (c) 2002 Cynthia Brewer, Mark Harrower and The Pennsylvania State University,
// licensed under the Apache License, Version 2.0. Values taken from the npm package
// colorbrewer@1.7.0 (index.es.js), which packages the published schemes unchanged.
constexpr std::array<Scheme, 102> schemes{{
#include "detail/colorbrewer.inc"
}};

[[nodiscard]] Color from_rgb(std::uint32_t rgb) noexcept {
    return Color{static_cast<std::uint8_t>((rgb >> 16) & 0xffU),
                 static_cast<std::uint8_t>((rgb >> 8) & 0xffU),
                 static_cast<std::uint8_t>(rgb & 0xffU),
                 255};
}

// CIELAB (D65) from sRGB and back: blending there keeps the steps of a ramp even to the eye.
struct Lab {
    double l, a, b;
};

[[nodiscard]] double to_linear(double c) noexcept {
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
[[nodiscard]] double from_linear(double c) noexcept {
    return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
}
constexpr double xn = 0.95047;
constexpr double zn = 1.08883;
[[nodiscard]] double lab_f(double t) noexcept {
    return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0;
}
[[nodiscard]] double lab_finv(double t) noexcept {
    return t * t * t > 216.0 / 24389.0 ? t * t * t : (116.0 * t - 16.0) * 27.0 / 24389.0;
}

[[nodiscard]] Lab to_lab(Color c) noexcept {
    const double r = to_linear(c.r / 255.0);
    const double g = to_linear(c.g / 255.0);
    const double b = to_linear(c.b / 255.0);
    const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / xn;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / zn;
    return {116.0 * lab_f(y) - 16.0, 500.0 * (lab_f(x) - lab_f(y)), 200.0 * (lab_f(y) - lab_f(z))};
}

[[nodiscard]] Color from_lab(const Lab& lab) noexcept {
    const double fy = (lab.l + 16.0) / 116.0;
    const double x = xn * lab_finv(fy + lab.a / 500.0);
    const double y = lab_finv(fy);
    const double z = zn * lab_finv(fy - lab.b / 200.0);
    const double rgb[3] = {3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
                           -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
                           0.0556434 * x - 0.2040259 * y + 1.0572252 * z};
    std::uint8_t out[3];
    for (int i = 0; i < 3; ++i) {
        out[i] = static_cast<std::uint8_t>(std::lround(std::clamp(from_linear(rgb[i]), 0.0, 1.0) * 255.0));
    }
    return Color{out[0], out[1], out[2], 255};
}

// `n` colours spread evenly along the ramp `ramp` (ends kept), blended in CIELAB.
[[nodiscard]] std::vector<Color> stretch(const std::vector<Color>& ramp, std::size_t n) {
    std::vector<Color> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double at = static_cast<double>(i) * static_cast<double>(ramp.size() - 1) / static_cast<double>(n - 1);
        const auto k = std::min(static_cast<std::size_t>(at), ramp.size() - 2);
        const double f = at - static_cast<double>(k);
        const Lab a = to_lab(ramp[k]);
        const Lab b = to_lab(ramp[k + 1]);
        out.push_back(f == 0.0 ? ramp[k]
                               : from_lab({a.l + f * (b.l - a.l), a.a + f * (b.a - a.a), a.b + f * (b.b - a.b)}));
    }
    return out;
}

[[nodiscard]] int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

Color parse_color(std::string_view text) {
    const std::string_view t = detail::trim(text);
    const auto bad = [&]() {
        return JobError("", 0, 0, "invalid colour '" + std::string(text) + "'; expected \"#rrggbb\" or \"#rrggbbaa\"");
    };
    if (t.size() != 7 && t.size() != 9) {
        throw bad();
    }
    if (t[0] != '#') {
        throw bad();
    }
    std::array<std::uint8_t, 4> channels{0, 0, 0, 255};
    for (std::size_t i = 0; 1 + 2 * i < t.size(); ++i) {
        const int hi = hex_digit(t[1 + 2 * i]);
        const int lo = hex_digit(t[2 + 2 * i]);
        if (hi < 0 || lo < 0) {
            throw bad();
        }
        channels[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return Color{channels[0], channels[1], channels[2], channels[3]};
}

std::string to_hex(Color c) {
    constexpr std::string_view digits = "0123456789abcdef";
    std::string out = "#";
    const auto put = [&](std::uint8_t v) {
        out += digits[v >> 4];
        out += digits[v & 0x0f];
    };
    put(c.r);
    put(c.g);
    put(c.b);
    if (c.a != 255) {
        put(c.a);
    }
    return out;
}

std::vector<Color> palette(std::string_view name, std::size_t n) {
    std::string canonical;
    std::size_t largest = 0;
    for (const auto& s : schemes) {
        if (detail::iequals(s.name, detail::trim(name))) {
            canonical = std::string(s.name);
            largest = std::max(largest, s.size);
        }
    }
    if (canonical.empty()) {
        std::vector<std::string_view> known;
        for (const auto& s : schemes) {
            known.push_back(s.name);
        }
        const std::string suggestion = detail::nearest(name, known);
        std::string msg = "unknown palette '" + std::string(name) + "'";
        if (!suggestion.empty()) {
            msg += "; did you mean '" + suggestion + "'?";
        } else {
            msg += "; known palettes:";
            for (const auto& p : palette_names()) {
                msg += " " + p;
            }
        }
        throw JobError("", 0, 0, msg);
    }
    if (n == 0) {
        throw JobError("", 0, 0, "palette '" + canonical + "' needs at least 1 class");
    }
    if (n > largest) {
        // More classes than the scheme was designed for: its largest ramp, blended evenly.
        return stretch(palette(canonical, largest), n);
    }
    const std::size_t wanted = std::max<std::size_t>(n, 3);
    for (const auto& s : schemes) {
        if (s.name == canonical && s.size == wanted) {
            std::vector<Color> out;
            // Fewer than 3 classes: the light end of the 3-class scheme.
            for (std::size_t i = 0; i < n; ++i) {
                out.push_back(from_rgb(s.colors[i]));
            }
            return out;
        }
    }
    CHORO_ASSERT(false && "scheme sizes are contiguous from 3");
    return {};
}

std::vector<std::string> palette_names() {
    std::vector<std::string> names;
    for (const auto& s : schemes) {
        if (names.empty() || names.back() != s.name) {
            names.emplace_back(s.name);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

}  // namespace choro::styles
