// Cairo's image surfaces → straight RGBA: the one conversion every raster output goes through.

#include <cstdint>
#include <cstring>

#include "detail/cairo.hpp"
#include "detail/pixels.hpp"

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
            const std::uint32_t rgba = straight_rgba(px);
            std::memcpy(out, &rgba, 4);
        }
    }
}

}  // namespace choro::render::detail
