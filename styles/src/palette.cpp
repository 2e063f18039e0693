#include "choro/styles/palette.hpp"

#include <algorithm>
#include <array>
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
        throw JobError("",
                       0,
                       0,
                       "palette '" + canonical + "' has at most " + std::to_string(largest) + " classes, " +
                           std::to_string(n) + " requested");
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
