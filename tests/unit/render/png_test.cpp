// PNG encoding and decoding: round trips, colour type selection, pHYs, errors. The chunk layout is
// checked on the raw bytes (PNG spec, ISO/IEC 15948) so the test does not rely on libspng to read
// back what libspng wrote.

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <cairo.h>
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace {

using choro::render::ArgbView;
using choro::render::decode_png;
using choro::render::encode_png;
using choro::render::Image;
using choro::render::png_dpi;
using choro::render::PngOptions;
using choro::render::uniform_color;

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
    const std::string smallest = encode_png(img, PngOptions{.level = 12});  // libdeflate's top level
    EXPECT_EQ(decode_png(fast).rgba, img.rgba);
    EXPECT_EQ(decode_png(small).rgba, img.rgba);
    EXPECT_EQ(decode_png(smallest).rgba, img.rgba);
    EXPECT_NE(fast, small);
    EXPECT_THROW((void)encode_png(img, PngOptions{.level = 13}), choro::RenderError);
    EXPECT_THROW((void)encode_png(img, PngOptions{.level = -1}), choro::RenderError);
}

TEST(Png, FastDeflateKeepsThePixels) {
    // igzip streams the rows a band of about 256 kB at a time and grows its output as needed:
    // 700x500 RGBA noise is six bands and does not compress, the worst case for both.
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> byte(0, 255);
    const auto noise = [&](int, int) -> std::array<std::uint8_t, 4> {
        return {static_cast<std::uint8_t>(byte(rng)),
                static_cast<std::uint8_t>(byte(rng)),
                static_cast<std::uint8_t>(byte(rng)),
                static_cast<std::uint8_t>(byte(rng))};
    };
    const Image translucent = make_image(700, 500, noise);
    const std::string rgba = encode_png(translucent, PngOptions{.fast = true});
    EXPECT_EQ(color_type(rgba), 6);
    EXPECT_EQ(decode_png(rgba).rgba, translucent.rgba);
    EXPECT_EQ(rgba, encode_png(translucent, PngOptions{.fast = true}));  // deterministic

    // Opaque and map-like (flat areas): RGB, smaller than the slowest libdeflate level's file by
    // less than a third.
    const Image opaque = make_image(900, 400, [](int x, int y) -> std::array<std::uint8_t, 4> {
        return {static_cast<std::uint8_t>((x / 30) * 7),
                static_cast<std::uint8_t>((y / 20) * 11),
                static_cast<std::uint8_t>((x + y) % 256),
                255};
    });
    const std::string fast = encode_png(opaque, PngOptions{.fast = true});
    const std::string small = encode_png(opaque, PngOptions{.level = 9});
    EXPECT_EQ(color_type(fast), 2);
    EXPECT_EQ(decode_png(fast).rgba, opaque.rgba);
    EXPECT_LT(fast.size(), small.size() * 4 / 3);

    // Few colours: the palette path, deflated at `level`, whatever `fast` says.
    const Image few = three_colours();
    EXPECT_EQ(encode_png(few, PngOptions{.fast = true}), encode_png(few, PngOptions{}));
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

// ---- encoding straight from Cairo's premultiplied pixels (ArgbView)

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

/// A Cairo image surface whose pixels are given as premultiplied words (alpha on top).
Surface argb_surface(int w, int h, auto&& word_of) {
    Surface s(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
    cairo_surface_flush(s.get());
    unsigned char* data = cairo_image_surface_get_data(s.get());
    const int stride = cairo_image_surface_get_stride(s.get());
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const std::uint32_t word = word_of(x, y);
            std::memcpy(data + static_cast<std::ptrdiff_t>(y) * stride + x * 4, &word, 4);
        }
    }
    cairo_surface_mark_dirty(s.get());
    return s;
}

ArgbView view_of(cairo_surface_t* s) {
    return {cairo_image_surface_get_data(s),
            cairo_image_surface_get_width(s),
            cairo_image_surface_get_height(s),
            cairo_image_surface_get_stride(s)};
}

/// Cairo's own PNG writer: the reference for un-premultiplying (cairo-png.c).
std::string cairo_png(cairo_surface_t* s) {
    std::string out;
    cairo_surface_write_to_png_stream(
        s,
        [](void* closure, const unsigned char* data, unsigned int length) {
            static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
            return CAIRO_STATUS_SUCCESS;
        },
        &out);
    return out;
}

/// A premultiplied word of alpha `a` with channels at most `a`.
std::uint32_t premultiplied(std::uint32_t a, std::uint32_t r, std::uint32_t g, std::uint32_t b) {
    return (a << 24) | ((r * a / 255) << 16) | ((g * a / 255) << 8) | (b * a / 255);
}

TEST(PngFromCairo, ManyTranslucentColoursDecodeAsCairoWritesThem) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::uint32_t> byte(0, 255);
    const Surface s = argb_surface(61, 37, [&](int x, int) {
        const std::uint32_t a = x % 5 == 0 ? 255 : x % 7 == 0 ? 0 : byte(rng);
        return premultiplied(a, byte(rng), byte(rng), byte(rng));
    });
    const std::string ours = encode_png(view_of(s.get()));
    EXPECT_EQ(color_type(ours), 6);  // RGBA: more than 256 colours, some translucent
    EXPECT_EQ(decode_png(ours).rgba, decode_png(cairo_png(s.get())).rgba);
}

/// Cairo's own PNG reader (libpng and zlib, which check the Adler-32): the surface it reads.
Surface cairo_read_png(const std::string& png) {
    struct Reader {
        const std::string* bytes;
        std::size_t at;
    } reader{&png, 0};
    return Surface(cairo_image_surface_create_from_png_stream(
        [](void* closure, unsigned char* data, unsigned int length) {
            auto* r = static_cast<Reader*>(closure);
            if (r->bytes->size() - r->at < length) {
                return CAIRO_STATUS_READ_ERROR;
            }
            std::memcpy(data, r->bytes->data() + r->at, length);
            r->at += length;
            return CAIRO_STATUS_SUCCESS;
        },
        &reader));
}

// A large image's rows are deflated in parts side by side (png.cpp, deflate_rows_fast): the bytes
// are the same on any number of threads, and the joined stream, Adler-32 included, is one that
// libpng and zlib read back to the same pixels.
TEST(PngFromCairo, FastDeflateInPartsIsOneStreamOnAnyNumberOfThreads) {
    std::mt19937 rng(5);
    std::uniform_int_distribution<std::uint32_t> byte(0, 255);
    for (const bool opaque : {true, false}) {
        // Over 4 MB of raw rows either way (3 or 4 bytes a pixel): four parts. Flat areas with a
        // band of noise, so some parts compress and some do not.
        const Surface s = argb_surface(1100, 1300, [&](int x, int y) {
            const std::uint32_t a = opaque || (x / 50) % 3 != 0 ? 255 : byte(rng);
            if (y > 600 && y < 700) {
                return premultiplied(a, byte(rng), byte(rng), byte(rng));
            }
            return premultiplied(
                a, static_cast<std::uint32_t>(x / 40) * 9 % 256, static_cast<std::uint32_t>(y / 30) * 5 % 256, 90);
        });
        const std::string one = encode_png(view_of(s.get()), PngOptions{.fast = true, .threads = 1});
        EXPECT_EQ(color_type(one), opaque ? 2 : 6);
        EXPECT_EQ(one, encode_png(view_of(s.get()), PngOptions{.fast = true, .threads = 2}));
        EXPECT_EQ(one, encode_png(view_of(s.get()), PngOptions{.fast = true, .threads = 4}));
        EXPECT_EQ(decode_png(one).rgba, decode_png(cairo_png(s.get())).rgba);
        const Surface back = cairo_read_png(one);
        ASSERT_EQ(cairo_surface_status(back.get()), CAIRO_STATUS_SUCCESS)
            << cairo_status_to_string(cairo_surface_status(back.get()));
        EXPECT_EQ(decode_png(cairo_png(back.get())).rgba, decode_png(cairo_png(s.get())).rgba);
    }
}

TEST(PngFromCairo, OpaqueAndPaletteImagesDecodeAsCairoWritesThem) {
    const Surface opaque = argb_surface(300, 20, [](int x, int y) {
        return premultiplied(255, static_cast<std::uint32_t>(x) % 256, static_cast<std::uint32_t>(y) * 12, 77);
    });
    const std::string rgb = encode_png(view_of(opaque.get()));
    EXPECT_EQ(color_type(rgb), 2);
    EXPECT_EQ(decode_png(rgb).rgba, decode_png(cairo_png(opaque.get())).rgba);

    // Few colours, one translucent and one transparent: a palette with tRNS.
    const Surface few = argb_surface(40, 30, [](int x, int y) {
        return x < 10 ? premultiplied(128, 200, 30, 10) : (x + y) % 3 == 0 ? 0u : premultiplied(255, 0, 90, 160);
    });
    const std::string indexed = encode_png(view_of(few.get()));
    EXPECT_EQ(color_type(indexed), 3);
    EXPECT_NE(find_chunk(indexed, "tRNS"), std::string::npos);
    EXPECT_EQ(decode_png(indexed).rgba, decode_png(cairo_png(few.get())).rgba);
}

TEST(PngFromCairo, SameBytesAsTheStraightImage) {
    // The view's PNG is the PNG of the image Cairo's writer gives back: same chunks, same bytes.
    const Surface s = argb_surface(50, 50, [](int x, int y) {
        return (x / 10 + y / 10) % 2 == 0 ? premultiplied(255, 215, 48, 31) : premultiplied(64, 0, 90, 160);
    });
    const Image straight = decode_png(cairo_png(s.get()));
    EXPECT_EQ(encode_png(view_of(s.get()), PngOptions{.dpi = 144}), encode_png(straight, PngOptions{.dpi = 144}));
}

TEST(PngFromCairo, AViewOfPartOfASurfaceEncodesThatPart) {
    const Surface s = argb_surface(64, 64, [](int x, int y) {
        return x >= 32 && y >= 32 ? premultiplied(255, 10, 20, 30)
                                  : premultiplied(255, static_cast<std::uint32_t>(x * 4), 0, 0);
    });
    ArgbView part = view_of(s.get());
    part.data += 32 * part.stride + 32 * 4;
    part.width = 32;
    part.height = 32;
    const Image decoded = decode_png(encode_png(part));
    ASSERT_EQ(decoded.width, 32);
    for (std::size_t i = 0; i < decoded.rgba.size(); i += 4) {
        ASSERT_EQ(decoded.rgba[i], 10);
        ASSERT_EQ(decoded.rgba[i + 1], 20);
        ASSERT_EQ(decoded.rgba[i + 2], 30);
        ASSERT_EQ(decoded.rgba[i + 3], 255);
    }
    const auto colour = uniform_color(part);
    ASSERT_TRUE(colour.has_value());
    EXPECT_EQ(*colour, 10u | (20u << 8) | (30u << 16) | (255u << 24));  // straight RGBA, R in the low byte
    EXPECT_FALSE(uniform_color(view_of(s.get())).has_value());
}

TEST(PngFromCairo, TranslucentUniformColourIsStraight) {
    const Surface s = argb_surface(8, 8, [](int, int) { return premultiplied(128, 200, 100, 0); });
    const auto colour = uniform_color(view_of(s.get()));
    ASSERT_TRUE(colour.has_value());
    const Image reference = decode_png(cairo_png(s.get()));
    std::uint32_t expected = 0;
    std::memcpy(&expected, reference.rgba.data(), 4);
    EXPECT_EQ(*colour, expected);
    EXPECT_FALSE(uniform_color(ArgbView{}).has_value());
}

TEST(PngFromCairo, BadViewsAreRefused) {
    const Surface s = argb_surface(4, 4, [](int, int) { return 0xFF000000u; });
    ArgbView v = view_of(s.get());
    EXPECT_THROW((void)encode_png(ArgbView{}), choro::RenderError);
    ArgbView narrow = v;
    narrow.stride = 12;  // under 4 pixels of 4 bytes
    EXPECT_THROW((void)encode_png(narrow), choro::RenderError);
    ArgbView empty = v;
    empty.height = 0;
    EXPECT_THROW((void)encode_png(empty), choro::RenderError);
    EXPECT_THROW((void)encode_png(v, PngOptions{.level = 13}), choro::RenderError);
    EXPECT_NO_THROW((void)encode_png(v));
}

}  // namespace
