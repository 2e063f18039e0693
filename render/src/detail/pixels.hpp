#pragma once

#include <bit>
#include <cstdint>

/// @file
/// Cairo's premultiplied ARGB words → straight RGBA: the one un-premultiplying rule of the PNG
/// encoder (png.cpp) and of the images cut from surfaces (image_surface.cpp).

namespace choro::render::detail {

// Straight RGBA as one word is R | G << 8 | B << 16 | A << 24: its bytes in memory are R, G, B, A
// on a little-endian machine.
static_assert(std::endian::native == std::endian::little, "pixels are read and written as little-endian words");

/// Straight RGBA (as above) of a premultiplied ARGB word, rounded as `(c * 255 + a / 2) / a`, as
/// Cairo's own PNG writer does. Inline: it runs once per pixel.
[[nodiscard]] inline std::uint32_t straight_rgba(std::uint32_t px) noexcept {
    const std::uint32_t a = px >> 24;
    if (a == 255) {  // opaque: only red and blue change places
        return (px & 0xFF00FF00u) | ((px >> 16) & 0xFFu) | ((px & 0xFFu) << 16);
    }
    if (a == 0) {
        return 0;
    }
    const auto un = [a](std::uint32_t c) { return (c * 255 + a / 2) / a; };
    return un((px >> 16) & 0xFFu) | (un((px >> 8) & 0xFFu) << 8) | (un(px & 0xFFu) << 16) | (a << 24);
}

}  // namespace choro::render::detail
