#pragma once

#include <span>
#include <string>
#include <vector>

#include "choro/styles/palette.hpp"

/// @file
/// Colour science for palettes: CIELAB, the CIEDE2000 colour difference and a simulation of colour
/// vision deficiencies, used to warn when neighbouring classes of a map become hard to tell apart.

namespace choro::styles {

/// A colour in CIELAB (D65 white, 2° observer).
struct Lab {
    double l = 0.0, a = 0.0, b = 0.0;
};

/// sRGB (IEC 61966-2-1) → CIELAB, D65. The alpha channel is ignored.
[[nodiscard]] Lab to_lab(Color c) noexcept;

/// CIELAB → sRGB, each channel clamped to 0–255 and rounded.
[[nodiscard]] Color from_lab(const Lab& lab) noexcept;

/// The CIEDE2000 colour difference ΔE00 (CIE 142-2001; kL = kC = kH = 1), following the
/// implementation notes of G. Sharma, W. Wu and E. N. Dalal, "The CIEDE2000 color-difference
/// formula", Color Research & Application 30(1), 2005. Symmetric. About 1 is a just-noticeable difference.
[[nodiscard]] double ciede2000(const Lab& x, const Lab& y) noexcept;
[[nodiscard]] double delta_e00(Color x, Color y) noexcept;

enum class Deficiency { deuteranopia, protanopia, tritanopia };

/// "deuteranopia", "protanopia", "tritanopia".
[[nodiscard]] const char* deficiency_name(Deficiency d) noexcept;

/// How a colour looks to a dichromat: the matrices of G. M. Machado, M. M. Oliveira and
/// L. A. F. Fernandes, "A physiologically-based model for simulation of color vision deficiency",
/// IEEE TVCG 15(6), 2009, at severity 1.0, applied to linear sRGB (as colorspacious does), the result
/// clamped to the gamut. Alpha is kept.
[[nodiscard]] Color simulate(Color c, Deficiency d) noexcept;

/// Below this ΔE00 between two neighbouring classes as a dichromat sees them, the classes count as
/// hard to tell apart. 1 is about the smallest difference noticed side by side; classes on a map lie
/// apart, so they need several times that. Not higher: ColorBrewer's 9-class sequential schemes
/// and viridis keep neighbours 4.5–5.5 apart for dichromats (and about 5 for everyone else), which
/// a reader manages, while a red–green pair such as #cc6666/#669966 falls to 2 for deuteranopes.
inline constexpr double min_class_difference = 4.0;

/// One pair of neighbouring classes a dichromat would hardly tell apart.
struct ColorVisionIssue {
    Deficiency deficiency = Deficiency::deuteranopia;
    std::size_t lower = 0;  ///< index of the first class of the pair (the other is lower + 1)
    double delta_e = 0.0;   ///< ΔE00 between the two simulated colours
};

/// Every pair of neighbouring colours (i, i+1) whose simulated ΔE00 under any of the three
/// dichromacies is below `threshold`, by deficiency then class. O(n).
[[nodiscard]] std::vector<ColorVisionIssue> color_vision_issues(std::span<const Color> classes,
                                                                double threshold = min_class_difference);

/// The issues as warning lines the CLI prints, one per deficiency, e.g.
/// "palette 'RdYlGn': with deuteranopia classes 2 and 3 look alike (ΔE00 3.1 < 6)".
/// `class_names` (optional, parallel to the classes) names the classes by their legend labels.
[[nodiscard]] std::vector<std::string> color_vision_warnings(std::span<const Color> classes,
                                                             const std::string& palette_name,
                                                             std::span<const std::string> class_names = {},
                                                             double threshold = min_class_difference);

}  // namespace choro::styles
