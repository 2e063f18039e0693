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
#include "choro/styles/color_vision.hpp"

namespace choro::styles {

namespace {

using Kind = PaletteKind;

struct Scheme {
    std::string_view name;
    Kind kind;
    std::size_t size;
    std::array<std::uint32_t, 12> colors;
};

// Colour specifications and designs developed by Cynthia Brewer (https://colorbrewer2.org/),
// Copyright (c) 2002 Cynthia Brewer, Mark Harrower and The Pennsylvania State University,
// licensed under the Apache License, Version 2.0. Values taken from the npm package
// colorbrewer@1.7.0, which packages the published schemes unchanged (detail/generate_palettes.py).
constexpr Scheme schemes[] = {
#include "detail/colorbrewer.inc"
};

struct Ramp {
    std::string_view name;
    std::array<std::uint32_t, 256> colors;
};

// The viridis family as matplotlib publishes it (detail/generate_palettes.py): viridis, magma,
// inferno and plasma by Nathaniel J. Smith, Stefan van der Walt and Eric Firing (CC0); cividis by
// Jamie R. Nuñez, Christopher R. Anderton and Ryan S. Renslow (PLOS ONE 13(7), 2018).
constexpr Ramp ramps[] = {
#include "detail/viridis.inc"
};

[[nodiscard]] Color from_rgb(std::uint32_t rgb) noexcept {
    return Color{static_cast<std::uint8_t>((rgb >> 16) & 0xffU),
                 static_cast<std::uint8_t>((rgb >> 8) & 0xffU),
                 static_cast<std::uint8_t>(rgb & 0xffU),
                 255};
}

// `n` colours spread evenly along the ramp `ramp` (ends kept), blended in CIELAB: the steps of
// the ramp stay even to the eye.
[[nodiscard]] std::vector<Color> stretch(const std::vector<Color>& ramp, std::size_t n) {
    if (ramp.size() == 1 || n == 1) {
        return std::vector<Color>(n, ramp.front());
    }
    std::vector<Color> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double at = static_cast<double>(i) * static_cast<double>(ramp.size() - 1) / static_cast<double>(n - 1);
        const auto k = std::min(static_cast<std::size_t>(at), ramp.size() - 2);
        const double f = at - static_cast<double>(k);
        const Lab a = to_lab(ramp[k]);
        const Lab b = to_lab(ramp[k + 1]);
        if (f == 0.0) {
            out.push_back(ramp[k]);
        } else if (f == 1.0) {
            out.push_back(ramp[k + 1]);
        } else {
            out.push_back(from_lab({a.l + f * (b.l - a.l), a.a + f * (b.a - a.a), a.b + f * (b.b - a.b)}));
        }
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

const char* palette_kind_name(PaletteKind kind) noexcept {
    switch (kind) {
        case PaletteKind::sequential:
            return "sequential";
        case PaletteKind::diverging:
            return "diverging";
        case PaletteKind::qualitative:
            return "qualitative";
        case PaletteKind::continuous:
            return "continuous";
        case PaletteKind::list:
            return "list";
    }
    return "sequential";
}

namespace {

/// A palette spec taken apart: a scheme, a ramp or a list, and whether it is reversed.
struct Parsed {
    std::string name;  ///< canonical scheme or ramp name; empty for a list
    Kind kind = Kind::sequential;
    std::size_t min = 0, max = 0;  ///< published class counts
    const Ramp* ramp = nullptr;
    std::vector<Color> list;
    bool reversed = false;
};

[[nodiscard]] bool ends_with_reverse(std::string_view t) {
    return t.size() > 2 && (t.ends_with("-r") || t.ends_with("-R") || t.ends_with("_r") || t.ends_with("_R"));
}

[[nodiscard]] Parsed parse_spec(std::string_view spec) {
    Parsed p;
    std::string_view t = detail::trim(spec);
    if (t.find(',') != std::string_view::npos || t.starts_with("#")) {
        p.kind = Kind::list;
        std::size_t start = 0;
        while (start <= t.size()) {
            const std::size_t comma = std::min(t.find(',', start), t.size());
            const std::string_view item = detail::trim(t.substr(start, comma - start));
            if (item.empty()) {
                throw JobError("", 0, 0, "palette '" + std::string(spec) + "': an empty colour in the list");
            }
            try {
                p.list.push_back(parse_color(item));
            } catch (const JobError& e) {
                throw JobError("", 0, 0, "palette '" + std::string(spec) + "': " + e.what());
            }
            start = comma + 1;
        }
        p.min = p.max = p.list.size();
        return p;
    }
    if (ends_with_reverse(t)) {
        p.reversed = true;
        t.remove_suffix(2);
    }
    for (const auto& s : schemes) {
        if (detail::iequals(s.name, t)) {
            if (p.name.empty()) {
                p.min = s.size;
            }
            p.name = std::string(s.name);
            p.kind = s.kind;
            p.min = std::min(p.min, s.size);
            p.max = std::max(p.max, s.size);
        }
    }
    if (!p.name.empty()) {
        return p;
    }
    for (const auto& r : ramps) {
        if (detail::iequals(r.name, t)) {
            p.name = std::string(r.name);
            p.kind = Kind::continuous;
            p.ramp = &r;
            p.min = 1;
            p.max = r.colors.size();
            return p;
        }
    }
    std::vector<std::string_view> known;
    for (const auto& s : schemes) {
        known.push_back(s.name);
    }
    for (const auto& r : ramps) {
        known.push_back(r.name);
    }
    const std::string suggestion = detail::nearest(t, known);
    std::string msg = "unknown palette '" + std::string(spec) + "'";
    if (!suggestion.empty()) {
        msg += "; did you mean '" + suggestion + "'?";
    } else {
        msg += "; known palettes:";
        for (const auto& name : palette_names()) {
            msg += " " + name;
        }
        msg += " (add -r to reverse), or a list of colours \"#rrggbb,#rrggbb,…\"";
    }
    throw JobError("", 0, 0, msg);
}

[[nodiscard]] std::vector<Color> scheme_colors(const Parsed& p, std::size_t n) {
    if (n > p.max) {
        if (p.kind == Kind::qualitative) {
            throw JobError("",
                           0,
                           0,
                           "qualitative palette '" + p.name + "' has " + std::to_string(p.max) + " colours, not " +
                               std::to_string(n) + " (Paired and Set3 have 12)");
        }
        // More classes than the scheme was designed for: its largest ramp, blended evenly.
        return stretch(scheme_colors(p, p.max), n);
    }
    const std::size_t wanted = std::max(n, p.min);
    for (const auto& s : schemes) {
        if (s.name == p.name && s.size == wanted) {
            std::vector<Color> out;
            // Fewer than 3 classes: the first colours of the 3-class scheme.
            for (std::size_t i = 0; i < n; ++i) {
                out.push_back(from_rgb(s.colors[i]));
            }
            return out;
        }
    }
    CHORO_ASSERT(false && "scheme sizes are contiguous from 3");
    return {};
}

}  // namespace

std::vector<Color> palette(std::string_view spec, std::size_t n, bool reverse) {
    const Parsed p = parse_spec(spec);
    if (n == 0) {
        throw JobError("", 0, 0, "palette '" + std::string(spec) + "' needs at least 1 class");
    }
    std::vector<Color> out;
    if (p.kind == Kind::list) {
        out = p.list.size() == n ? p.list : stretch(p.list, n);
    } else if (p.ramp != nullptr) {
        // d3.quantize(interpolator, n): t = i / (n - 1); d3's ramp picks floor(t * 256), clamped.
        const auto& c = p.ramp->colors;
        for (std::size_t i = 0; i < n; ++i) {
            const double t = n == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1);
            const auto k =
                std::min(c.size() - 1, static_cast<std::size_t>(std::floor(t * static_cast<double>(c.size()))));
            out.push_back(from_rgb(c[k]));
        }
    } else {
        out = scheme_colors(p, n);
    }
    if (p.reversed != reverse) {
        std::reverse(out.begin(), out.end());
    }
    return out;
}

std::vector<Color> palette(std::string_view spec, std::size_t n) {
    return palette(spec, n, false);
}

PaletteKind palette_kind(std::string_view spec) {
    return parse_spec(spec).kind;
}

ClassRange palette_classes(std::string_view spec) {
    const Parsed p = parse_spec(spec);
    return {p.min, p.max};
}

std::vector<std::string> palette_names() {
    std::vector<std::string> names;
    for (const auto& s : schemes) {
        if (names.empty() || names.back() != s.name) {
            names.emplace_back(s.name);
        }
    }
    for (const auto& r : ramps) {
        names.emplace_back(r.name);
    }
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
        return detail::lower(a) < detail::lower(b);
    });
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

}  // namespace choro::styles
