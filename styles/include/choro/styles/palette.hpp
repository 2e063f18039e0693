#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// Colours and named palettes: every ColorBrewer scheme (Cynthia Brewer, Apache-2.0 licensed colour
/// schemes: sequential, diverging and qualitative, at every published class count) and the viridis
/// family (viridis, magma, inferno, plasma, cividis), or a list of colours.

namespace choro::styles {

struct Color {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    friend bool operator==(const Color&, const Color&) = default;
};

/// "#rrggbb" or "#rrggbbaa" → Color. Throws JobError (no path) for anything else.
[[nodiscard]] Color parse_color(std::string_view text);
[[nodiscard]] std::string to_hex(Color c);

/// What a palette is designed for.
/// `continuous`: a 256-step ramp (viridis family) sampled evenly; `list`: colours given by the user.
enum class PaletteKind { sequential, diverging, qualitative, continuous, list };

/// "sequential", "diverging", "qualitative", "continuous", "list".
[[nodiscard]] const char* palette_kind_name(PaletteKind kind) noexcept;

/// `n` colours of a palette. `spec` is one of
/// - a ColorBrewer scheme name ("YlOrRd", "Blues", "RdBu", "Set2", "Paired"…): its published
///   n-class colours. n above the scheme's largest size (9 or 11) blends its largest ramp evenly in
///   CIELAB, ends kept (sequential and diverging only: a qualitative scheme throws JobError beyond
///   its size). n below 3 takes the first n of the 3-class colours.
/// - "viridis", "magma", "inferno", "plasma" or "cividis": the 256-colour ramp sampled at
///   t = i/(n−1) (t = 0.5 for n = 1), colour index min(255, ⌊256·t⌋), as d3.quantize(d3.interpolateViridis, n).
/// - a list of colours, "#fee5d9,#fb6a4a,#a50f15": used as given when it has n colours, otherwise
///   blended evenly along the list in CIELAB (ends kept).
/// A name ending in "-r" (or "_r") is reversed: "YlOrRd-r" runs dark to light. Names are
/// case-insensitive. Throws JobError for an unknown name (suggesting the nearest), a bad colour in
/// a list, and n = 0.
///
///     auto colours = choro::styles::palette("viridis-r", 5);
[[nodiscard]] std::vector<Color> palette(std::string_view spec, std::size_t n);

/// Same, reversed when `reverse` (on top of any "-r" in `spec`: both cancel out).
[[nodiscard]] std::vector<Color> palette(std::string_view spec, std::size_t n, bool reverse);

/// The kind of a palette spec (the "-r" suffix ignored). Throws JobError like palette().
[[nodiscard]] PaletteKind palette_kind(std::string_view spec);

/// The class counts a named scheme was published with ({3, 9} for "Blues"; {1, 256} for the
/// viridis family, {n, n} for a list of n colours). Throws JobError like palette().
struct ClassRange {
    std::size_t min = 0, max = 0;
};
[[nodiscard]] ClassRange palette_classes(std::string_view spec);

/// The names palette() knows (ColorBrewer and the viridis family), sorted case-insensitively.
[[nodiscard]] std::vector<std::string> palette_names();

}  // namespace choro::styles
