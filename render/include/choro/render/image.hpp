#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// An RGBA image in memory and its PNG encoding (libspng; Cairo's own writer is slower than
/// drawing the map and cannot write the pHYs chunk that carries the DPI).

namespace choro::render {

/// Straight (not premultiplied) 8-bit RGBA, rows top to bottom, no padding.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  ///< width * height * 4 bytes

    [[nodiscard]] const std::uint8_t* pixel(int x, int y) const {
        return &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
    }
};

struct PngOptions {
    int dpi = 0;                ///< written as pHYs when > 0
    bool palette = true;        ///< write an indexed PNG when the image has at most 256 colours
    int level = 6;              ///< deflate level 0..12 (libdeflate's: 1..9 as zlib's, 12 smallest)
    bool fast = false;          ///< true colour deflated by ISA-L's igzip instead of at `level`:
                                ///< the encode about 2.7x faster, files 13-18% larger
    unsigned threads = 1;       ///< with `fast`: threads a large image's rows are deflated on (the
                                ///< bytes are the same on any number)
    std::string description{};  ///< written as a `Description` tEXt chunk when not empty (Latin-1:
                                ///< other characters become '?', dashes '-', curly quotes straight)
};

/// The text of the PNG's tEXt chunk `keyword` (Latin-1 as stored); empty when there is none.
/// Throws RenderError for bytes that are not a PNG.
[[nodiscard]] std::string png_text(std::string_view bytes, const std::string& keyword);

/// Encodes to PNG bytes. Deterministic: same image and options, same bytes.
///
///     write_file_atomic("map.png", encode_png(image, {.dpi = 300}));
///
/// Chooses the smallest exact form: indexed with 1, 2, 4 or 8 bits per pixel (and tRNS when some
/// colour is translucent) when the image has at most 256 colours and `palette` is set, otherwise
/// RGB8 when fully opaque, otherwise RGBA8. No row filters (maps compress better without).
/// Throws RenderError for an empty image, a buffer of the wrong size or a level outside 0..12.
[[nodiscard]] std::string encode_png(const Image& image, const PngOptions& options = {});

/// Pixels as Cairo's image surfaces hold them, not owned: premultiplied ARGB, one native-endian
/// 32-bit word per pixel (alpha in the top byte), rows `stride` bytes apart.
struct ArgbView {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;  ///< bytes from one row to the next, at least width * 4
};

/// The same, straight from premultiplied ARGB: the same bytes as encode_png of the image's
/// straight RGBA (un-premultiplied as `(c * 255 + a / 2) / a`), without a copy of the image.
/// Throws RenderError for an empty view, a stride under width * 4 or a level outside 0..12.
[[nodiscard]] std::string encode_png(const ArgbView& pixels, const PngOptions& options = {});

/// The colour of a view when every pixel has it, as straight RGBA bytes in a word (R in the low
/// byte, as encode_png's palette); nothing when two pixels differ.
[[nodiscard]] std::optional<std::uint32_t> uniform_color(const ArgbView& pixels);

/// Decodes PNG bytes to RGBA (for tests and tile stitching). Throws RenderError on a bad PNG.
[[nodiscard]] Image decode_png(std::string_view bytes);

/// The DPI stored in a PNG's pHYs chunk, 0 when absent.
[[nodiscard]] int png_dpi(std::string_view bytes);

}  // namespace choro::render
