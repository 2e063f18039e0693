// PNG encoding and decoding: round trips, colour type selection, pHYs, errors. The chunk layout is
// checked on the raw bytes (PNG spec, ISO/IEC 15948) so the test does not rely on libspng to read
// back what libspng wrote.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace {

using choro::render::decode_png;
using choro::render::encode_png;
using choro::render::Image;
using choro::render::png_dpi;
using choro::render::PngOptions;

Image make_image(int w, int h, auto&& color_of) {
    Image img;
    img.width = w;
    img.height = h;
    img.rgba.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const std::array<std::uint8_t, 4> c = color_of(x, y);
            std::copy(c.begin(), c.end(), img.rgba.begin() + (static_cast<std::ptrdiff_t>(y) * w + x) * 4);
        }
    }
    return img;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

// IHDR is the first chunk: 8-byte signature, length, "IHDR", width, height, depth, colour type.
int bit_depth(const std::string& png) {
    return static_cast<unsigned char>(png.at(24));
}
int color_type(const std::string& png) {
    return static_cast<unsigned char>(png.at(25));
}

/// Offset of the data of the first chunk of `type`, or npos.
std::size_t find_chunk(const std::string& png, const std::string& type) {
    std::size_t at = 8;
    while (at + 8 <= png.size()) {
        const std::uint32_t len = be32(png, at);
        if (png.compare(at + 4, 4, type) == 0) {
            return at + 8;
        }
        at += 12 + len;
    }
    return std::string::npos;
}

Image three_colours() {
    return make_image(37, 21, [](int x, int y) -> std::array<std::uint8_t, 4> {
        if (x < 10) {
            return {255, 255, 255, 255};
        }
        return (x + y) % 3 == 0 ? std::array<std::uint8_t, 4>{215, 48, 31, 255}
                                : std::array<std::uint8_t, 4>{0, 90, 160, 255};
    });
}

TEST(Png, StartsWithTheSignature) {
    const std::string png = encode_png(three_colours());
    ASSERT_GE(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.compare(12, 4, "IHDR"), 0);
    EXPECT_EQ(be32(png, 16), 37u);
    EXPECT_EQ(be32(png, 20), 21u);
}

TEST(Png, FewColoursGivePaletteWithSmallestDepth) {
    const Image img = three_colours();
    const std::string png = encode_png(img);
    EXPECT_EQ(color_type(png), 3);  // indexed
    EXPECT_EQ(bit_depth(png), 2);   // 3 colours fit in 2 bits
    const std::size_t plte = find_chunk(png, "PLTE");
    ASSERT_NE(plte, std::string::npos);
    EXPECT_EQ(be32(png, plte - 8), 9u);                     // 3 entries x RGB
    EXPECT_EQ(find_chunk(png, "tRNS"), std::string::npos);  // all opaque
    EXPECT_EQ(decode_png(png).rgba, img.rgba);
}

TEST(Png, BitDepthFollowsTheNumberOfColours) {
    for (const auto& [colours, depth] :
         std::vector<std::pair<int, int>>{{1, 1}, {2, 1}, {4, 2}, {5, 4}, {16, 4}, {17, 8}, {256, 8}}) {
        const int n = colours;
        const Image img = make_image(33, 9, [n](int x, int y) -> std::array<std::uint8_t, 4> {
            const int i = (x + 33 * y) % n;
            return {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(255 - i), 7, 255};
        });
        const std::string png = encode_png(img);
        EXPECT_EQ(color_type(png), 3) << colours;
        EXPECT_EQ(bit_depth(png), depth) << colours;
        EXPECT_EQ(decode_png(png).rgba, img.rgba) << colours;
    }
}

TEST(Png, PaletteKeepsTransparencyInTrns) {
    const Image img = make_image(16, 16, [](int x, int y) -> std::array<std::uint8_t, 4> {
        if (x < 8) {
            return {0, 0, 0, 0};
        }
        return y < 8 ? std::array<std::uint8_t, 4>{10, 20, 30, 128} : std::array<std::uint8_t, 4>{200, 100, 50, 255};
    });
    const std::string png = encode_png(img);
    EXPECT_EQ(color_type(png), 3);
    EXPECT_NE(find_chunk(png, "tRNS"), std::string::npos);
    EXPECT_EQ(decode_png(png).rgba, img.rgba);
}

TEST(Png, ManyOpaqueColoursGiveRgb) {
    const Image img = make_image(40, 30, [](int x, int y) -> std::array<std::uint8_t, 4> {
        return {
            static_cast<std::uint8_t>(x * 6), static_cast<std::uint8_t>(y * 8), static_cast<std::uint8_t>(x ^ y), 255};
    });
    const std::string png = encode_png(img);
    EXPECT_EQ(color_type(png), 2);  // truecolour, no alpha
    EXPECT_EQ(bit_depth(png), 8);
    EXPECT_EQ(decode_png(png).rgba, img.rgba);
}

TEST(Png, ManyTranslucentColoursGiveRgba) {
    const Image img = make_image(40, 30, [](int x, int y) -> std::array<std::uint8_t, 4> {
        return {
            static_cast<std::uint8_t>(x * 6), static_cast<std::uint8_t>(y * 8), 3, static_cast<std::uint8_t>(100 + x)};
    });
    const std::string png = encode_png(img);
    EXPECT_EQ(color_type(png), 6);
    EXPECT_EQ(decode_png(png).rgba, img.rgba);
}

TEST(Png, PaletteCanBeTurnedOff) {
    const Image img = three_colours();
    const std::string png = encode_png(img, PngOptions{.palette = false});
    EXPECT_EQ(color_type(png), 2);
    EXPECT_EQ(decode_png(png).rgba, img.rgba);
}

TEST(Png, PaletteIsSmallerForMapLikeImages) {
    const Image img = make_image(300, 200, [](int x, int y) -> std::array<std::uint8_t, 4> {
        const int cell = (x / 30 + y / 25) % 6;
        return {static_cast<std::uint8_t>(40 * cell), static_cast<std::uint8_t>(250 - 30 * cell), 90, 255};
    });
    EXPECT_LT(encode_png(img).size(), encode_png(img, PngOptions{.palette = false}).size());
}

TEST(Png, PhysCarriesTheDpiInPixelsPerMetre) {
    const Image img = three_colours();
    for (const int dpi : {72, 96, 150, 300, 600}) {
        const std::string png = encode_png(img, PngOptions{.dpi = dpi});
        const std::size_t phys = find_chunk(png, "pHYs");
        ASSERT_NE(phys, std::string::npos) << dpi;
        // 1 inch = 0.0254 m, so 300 dpi = 11811 px/m (11811.02 rounded).
        const auto expected = static_cast<std::uint32_t>(dpi / 0.0254 + 0.5);
        EXPECT_EQ(be32(png, phys), expected) << dpi;
        EXPECT_EQ(be32(png, phys + 4), expected) << dpi;
        EXPECT_EQ(png[phys + 8], 1) << dpi;  // unit: metre
        EXPECT_EQ(png_dpi(png), dpi);
    }
    EXPECT_EQ(
        be32(encode_png(img, PngOptions{.dpi = 300}), find_chunk(encode_png(img, PngOptions{.dpi = 300}), "pHYs")),
        11811u);
}

TEST(Png, NoDpiNoPhys) {
    const std::string png = encode_png(three_colours());
    EXPECT_EQ(find_chunk(png, "pHYs"), std::string::npos);
    EXPECT_EQ(png_dpi(png), 0);
}

TEST(Png, Deterministic) {
    const Image img = three_colours();
    EXPECT_EQ(encode_png(img, PngOptions{.dpi = 300}), encode_png(img, PngOptions{.dpi = 300}));
}

TEST(Png, CompressionLevelChangesSizeNotPixels) {
    const Image img = make_image(200, 100, [](int x, int y) -> std::array<std::uint8_t, 4> {
        return {
            static_cast<std::uint8_t>((x * y) % 251), static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(y), 255};
    });
    const std::string fast = encode_png(img, PngOptions{.level = 1});
    const std::string small = encode_png(img, PngOptions{.level = 9});
    EXPECT_EQ(decode_png(fast).rgba, img.rgba);
    EXPECT_EQ(decode_png(small).rgba, img.rgba);
    EXPECT_NE(fast, small);
    EXPECT_THROW((void)encode_png(img, PngOptions{.level = 10}), choro::RenderError);
    EXPECT_THROW((void)encode_png(img, PngOptions{.level = -1}), choro::RenderError);
}

TEST(Png, BadImagesAreRefused) {
    Image empty;
    EXPECT_THROW((void)encode_png(empty), choro::RenderError);
    Image short_buffer;
    short_buffer.width = 4;
    short_buffer.height = 4;
    short_buffer.rgba.resize(10);
    EXPECT_THROW((void)encode_png(short_buffer), choro::RenderError);
}

TEST(Png, BadBytesAreRefused) {
    EXPECT_THROW((void)decode_png(""), choro::RenderError);
    EXPECT_THROW((void)decode_png("not a png at all, just text"), choro::RenderError);
    const std::string png = encode_png(three_colours());
    EXPECT_THROW((void)decode_png(png.substr(0, png.size() / 2)), choro::RenderError);
    std::string corrupt = png;
    corrupt[30] = static_cast<char>(corrupt[30] ^ 0x55);  // inside IHDR: the CRC no longer matches
    EXPECT_THROW((void)decode_png(corrupt), choro::RenderError);
    EXPECT_THROW((void)png_dpi("garbage"), choro::RenderError);
}

TEST(Png, ErrorMessagesSayWhatFailed) {
    try {
        (void)decode_png("garbage");
        FAIL() << "no exception";
    } catch (const choro::RenderError& e) {
        EXPECT_NE(std::string(e.what()).find("PNG"), std::string::npos) << e.what();
    }
}

}  // namespace
