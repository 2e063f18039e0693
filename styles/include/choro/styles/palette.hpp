#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// Colours and the ColorBrewer palettes (Cynthia Brewer, Apache-2.0 licensed colour schemes).

namespace choro::styles {

struct Color {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    friend bool operator==(const Color&, const Color&) = default;
};

/// "#rrggbb" or "#rrggbbaa" → Color. Throws JobError (no path) for anything else.
[[nodiscard]] Color parse_color(std::string_view text);
[[nodiscard]] std::string to_hex(Color c);

/// `n` colours of a named sequential or diverging ColorBrewer scheme ("YlOrRd", "Blues", "OrRd",
/// "Purples", "PuBu", "RdBu"...). n above the scheme's largest size (9 or 11) blends its largest
/// ramp evenly in CIELAB, ends kept. n below 3 takes the 3-class colours from the light end.
/// Names are case-insensitive. n = 0 is a JobError.
[[nodiscard]] std::vector<Color> palette(std::string_view name, std::size_t n);

/// The names palette() knows, sorted.
[[nodiscard]] std::vector<std::string> palette_names();

}  // namespace choro::styles
