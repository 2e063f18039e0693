// Cairo's image surfaces → straight RGBA: the one conversion every raster output goes through.

#include <cstdint>
#include <cstring>

#include "detail/cairo.hpp"

namespace choro::render::detail {

Image to_image(cairo_surface_t* surface) {
    Image image;
    to_image(surface, 0, 0, cairo_image_surface_get_width(surface), cairo_image_surface_get_height(surface), image);
    return image;
}

void to_image(cairo_surface_t* surface, int x0, int y0, int w, int h, Image& image) {
    cairo_surface_flush(surface);
    image.width = w;
    image.height = h;
    const int stride = cairo_image_surface_get_stride(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    image.rgba.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4);
    std::uint8_t* out = image.rgba.data();
    for (int y = 0; y < image.height; ++y) {
        const unsigned char* row =
            data + static_cast<std::ptrdiff_t>(y0 + y) * stride + static_cast<std::ptrdiff_t>(x0) * 4;
        for (int x = 0; x < image.width; ++x, out += 4) {
            std::uint32_t px;
            std::memcpy(&px, row + static_cast<std::ptrdiff_t>(x) * 4, 4);
            const std::uint32_t a = px >> 24;
            std::uint32_t r = (px >> 16) & 0xFF;
            std::uint32_t g = (px >> 8) & 0xFF;
            std::uint32_t b = px & 0xFF;
            if (a == 0) {
                r = g = b = 0;
            } else if (a != 255) {
                r = (r * 255 + a / 2) / a;
                g = (g * 255 + a / 2) / a;
                b = (b * 255 + a / 2) / a;
            }
            out[0] = static_cast<std::uint8_t>(r);
            out[1] = static_cast<std::uint8_t>(g);
            out[2] = static_cast<std::uint8_t>(b);
            out[3] = static_cast<std::uint8_t>(a);
        }
    }
}

}  // namespace choro::render::detail
