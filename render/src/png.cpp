// PNG encoding (chunks written here, image data deflated by libdeflate or ISA-L) and decoding (libspng).
// Cairo's own PNG writer is slower than drawing a whole national map and cannot write pHYs; a
// palette where the colours allow (tiles rarely have more than 256) and a fast deflate are both
// small and fast.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail/parallel.hpp"
#include "detail/pixels.hpp"
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <spng.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace choro::render {

namespace {

using detail::straight_rgba;

/// Owner of a spng_ctx (stateless deleter, as the Cairo aliases).
struct SpngDeleter {
    void operator()(spng_ctx* ctx) const noexcept { spng_ctx_free(ctx); }
};
using SpngPtr = std::unique_ptr<spng_ctx, SpngDeleter>;

constexpr double metres_per_inch = 0.0254;

void check(int rc, const char* what) {
    if (rc != 0) {
        throw RenderError("", std::string("PNG ") + what + ": " + spng_strerror(rc));
    }
}

SpngPtr make_ctx(int flags) {
    SpngPtr ctx(spng_ctx_new(flags));
    if (!ctx) {
        throw RenderError("", "PNG: cannot create a libspng context (out of memory)");
    }
    return ctx;
}

/// The pixels an encoder reads, row by row: straight RGBA bytes (an Image) or Cairo's
/// premultiplied ARGB words (an ArgbView, encoded without converting the whole image first).
struct Pixels {
    const std::uint8_t* data = nullptr;
    std::size_t width = 0;
    std::size_t height = 0;
    std::size_t stride = 0;  ///< bytes from one row to the next

    [[nodiscard]] const std::uint8_t* row(std::size_t y) const noexcept { return data + y * stride; }
};

// A pixel as one 32-bit word: RGBA bytes read on a little-endian machine are R | G << 8 | B << 16
// | A << 24, the form the palette keeps; Cairo's words have alpha on top too.
static_assert(std::endian::native == std::endian::little, "the PNG encoder reads pixels as little-endian words");

std::uint32_t word_at(const std::uint8_t* row, std::size_t x) noexcept {
    std::uint32_t w;
    std::memcpy(&w, row + x * 4, 4);
    return w;
}

/// A pixel's straight RGBA word: `Premultiplied` says which kind `Pixels` holds.
template <bool Premultiplied>
std::uint32_t straight(std::uint32_t w) noexcept {
    if constexpr (Premultiplied) {
        return straight_rgba(w);
    } else {
        return w;
    }
}

/// The distinct colours of an image, in order of first appearance, when there are at most 256.
/// Also fills `indices` (one per pixel). Returns false as soon as a 257th colour shows up.
template <bool Premultiplied>
bool build_palette(const Pixels& image, std::vector<std::uint32_t>& colors, std::vector<std::uint8_t>& indices) {
    // Open addressing over 1024 slots: at most 256 keys, so probes stay short.
    constexpr std::size_t slots = 1024;
    std::array<std::uint32_t, slots> keys{};
    std::array<std::int16_t, slots> values{};
    values.fill(-1);
    indices.resize(image.width * image.height);
    colors.clear();
    std::uint8_t* index = indices.data();
    std::uint32_t last_word = 0;  // as stored: runs are found before any conversion
    std::uint8_t last_index = 0;
    bool have_last = false;
    for (std::size_t y = 0; y < image.height; ++y) {
        const std::uint8_t* row = image.row(y);
        for (std::size_t x = 0; x < image.width; ++x, ++index) {
            const std::uint32_t word = word_at(row, x);
            if (have_last && word == last_word) {  // runs of one colour are the common case in maps
                *index = last_index;
                continue;
            }
            const std::uint32_t key = straight<Premultiplied>(word);
            std::size_t slot = (key * 2654435761u) >> 22;  // top 10 bits of a Fibonacci hash
            while (values[slot] >= 0 && keys[slot] != key) {
                slot = (slot + 1) & (slots - 1);
            }
            if (values[slot] < 0) {
                if (colors.size() == 256) {
                    return false;
                }
                keys[slot] = key;
                values[slot] = static_cast<std::int16_t>(colors.size());
                colors.push_back(key);
            }
            last_word = word;
            last_index = static_cast<std::uint8_t>(values[slot]);
            have_last = true;
            *index = last_index;
        }
    }
    return true;
}

int bit_depth_for(std::size_t colors) {
    if (colors <= 2) {
        return 1;
    }
    if (colors <= 4) {
        return 2;
    }
    if (colors <= 16) {
        return 4;
    }
    return 8;
}

/// The PNG rows of an indexed image: a filter byte (0, none) then one index per pixel packed at
/// `depth` bits (PNG order: high bits first), into `raw` (resized; its memory is reused).
void pack_rows(
    const std::vector<std::uint8_t>& indices, int width, int height, int depth, std::vector<std::uint8_t>& raw) {
    const std::size_t w = static_cast<std::size_t>(width);
    const std::size_t row_bytes = (w * static_cast<std::size_t>(depth) + 7) / 8;
    raw.resize((row_bytes + 1) * static_cast<std::size_t>(height));
    const int per_byte = 8 / depth;
    for (std::size_t y = 0; y < static_cast<std::size_t>(height); ++y) {
        const std::uint8_t* in = indices.data() + y * w;
        std::uint8_t* row = raw.data() + y * (row_bytes + 1);
        *row++ = 0;
        if (depth == 8) {
            std::memcpy(row, in, w);
            continue;
        }
        std::memset(row, 0, row_bytes);
        for (std::size_t x = 0; x < w; ++x) {
            const int shift = 8 - depth * (static_cast<int>(x % static_cast<std::size_t>(per_byte)) + 1);
            row[x / static_cast<std::size_t>(per_byte)] |= static_cast<std::uint8_t>(in[x] << shift);
        }
    }
}

/// Pixels converted a block at a time by straight_blocks: a block all opaque or all clear is
/// converted without a branch per pixel (the compiler vectorises it); a mixed one pixel by pixel.
constexpr std::size_t straight_block = 8;

/// Cairo's premultiplied ARGB words of a row → straight RGBA into `out`, whole blocks of
/// straight_block pixels (most of a map's pixels sit in blocks of one kind); returns how many
/// pixels it converted, which the caller finishes.
std::size_t straight_blocks(const std::uint8_t* in, std::size_t width, std::uint8_t* out) noexcept {
    std::size_t x = 0;
    for (; x + straight_block <= width; x += straight_block) {
        std::array<std::uint32_t, straight_block> words{};
        std::memcpy(words.data(), in + x * 4, sizeof(words));
        std::uint32_t all = 0xFFFFFFFFu;
        std::uint32_t any = 0;
        for (const std::uint32_t w : words) {
            all &= w;
            any |= w;
        }
        if ((all >> 24) == 0xFFu) {  // all opaque: red and blue change places
            for (std::uint32_t& w : words) {
                w = (w & 0xFF00FF00u) | ((w >> 16) & 0xFFu) | ((w & 0xFFu) << 16);
            }
        } else if (any != 0) {  // mixed (all clear, any == 0, is straight already)
            for (std::uint32_t& w : words) {
                w = straight_rgba(w);
            }
        }
        std::memcpy(out + x * 4, words.data(), sizeof(words));
    }
    return x;
}

/// The PNG rows of a true-colour image: a filter byte (0) then RGB (`channels` 3) or RGBA (4) per
/// pixel, into `raw` (resized; its memory is reused).
template <bool Premultiplied>
void truecolour_rows(const Pixels& image, std::size_t channels, std::size_t y0, std::size_t y1, std::uint8_t* out) {
    const std::size_t row_bytes = image.width * channels;
    for (std::size_t y = y0; y < y1; ++y) {
        const std::uint8_t* in = image.row(y);
        std::uint8_t* row = out + (y - y0) * (row_bytes + 1);
        *row++ = 0;
        if (!Premultiplied && channels == 4) {
            std::memcpy(row, in, row_bytes);
            continue;
        }
        if (Premultiplied && channels == 3 && image.width > 1) {
            // An opaque image (channels 3) from Cairo: un-premultiplying is the identity, only red
            // and blue change places. Four bytes are stored per pixel, the fourth overwritten by
            // the next one: no branch and no three-byte copy per pixel.
            for (std::size_t x = 0; x + 1 < image.width; ++x) {
                const std::uint32_t w = word_at(in, x);
                const std::uint32_t rgb = ((w >> 16) & 0xFFu) | (w & 0xFF00u) | ((w & 0xFFu) << 16);
                std::memcpy(row + x * 3, &rgb, 4);
            }
            const std::uint32_t rgba = straight<Premultiplied>(word_at(in, image.width - 1));
            std::memcpy(row + (image.width - 1) * 3, &rgba, 3);
            continue;
        }
        std::size_t x = 0;
        if (Premultiplied && channels == 4) {
            x = straight_blocks(in, image.width, row);
        }
        for (; x < image.width; ++x) {
            const std::uint32_t rgba = straight<Premultiplied>(word_at(in, x));
            std::memcpy(row + x * channels, &rgba, channels);
        }
    }
}

template <bool Premultiplied>
void truecolour_rows(const Pixels& image, std::size_t channels, std::vector<std::uint8_t>& raw) {
    raw.resize((image.width * channels + 1) * image.height);
    truecolour_rows<Premultiplied>(image, channels, 0, image.height, raw.data());
}

bool fully_opaque(const Pixels& image) {
    for (std::size_t y = 0; y < image.height; ++y) {
        const std::uint8_t* row = image.row(y);
        std::uint32_t all = 0xFFFFFFFFu;  // a row at a time, without a branch per pixel
        for (std::size_t x = 0; x < image.width; ++x) {
            all &= word_at(row, x);
        }
        if ((all >> 24) != 255) {  // alpha is the top byte in both kinds
            return false;
        }
    }
    return true;
}

/// Owner of a libdeflate compressor.
struct DeflateDeleter {
    void operator()(libdeflate_compressor* c) const noexcept { libdeflate_free_compressor(c); }
};

/// libdeflate's levels: 0..9 on zlib's scale, then 10..12, slower still and smaller.
constexpr int max_level = 12;

/// A zlib stream of `raw` at `level` (0..max_level), in `out` (resized; its memory is reused).
/// The compressor of each level is made once per thread.
std::string_view zlib_compress(const std::vector<std::uint8_t>& raw, int level, std::vector<char>& out) {
    thread_local std::array<std::unique_ptr<libdeflate_compressor, DeflateDeleter>, max_level + 1> compressors;
    auto& c = compressors.at(static_cast<std::size_t>(level));
    if (!c) {
        c.reset(libdeflate_alloc_compressor(level));
    }
    if (!c) {
        throw RenderError("", "PNG: cannot set up the compressor (level " + std::to_string(level) + ")");
    }
    out.resize(libdeflate_zlib_compress_bound(c.get(), raw.size()));
    const std::size_t size = libdeflate_zlib_compress(c.get(), raw.data(), raw.size(), out.data(), out.size());
    if (size == 0) {
        throw RenderError("", "PNG: compression failed");
    }
    return {out.data(), size};
}

/// Owner of igzip's stream state and level buffer (a few hundred kB: one per thread, reused).
struct FastDeflate {
    isal_zstream stream{};
    std::vector<std::uint8_t> level_buf = std::vector<std::uint8_t>(ISAL_DEF_LVL1_DEFAULT);
};

/// Rows [y0, y1) of `image` deflated by igzip at its level 1 as raw deflate blocks, appended to
/// `out` from `written` on (`out` grows as needed). With `last` the blocks end the deflate stream;
/// without, they end on a byte boundary (a sync flush), so another part's blocks can follow.
/// Rows are converted a band at a time and streamed, so the image's raw rows (11 MB for
/// 2400x1500 RGB) are never held whole. Returns the Adler-32 of the part's raw rows (filter bytes
/// included), started from 1.
template <bool Premultiplied>
std::uint32_t deflate_part(const Pixels& image,
                           std::size_t channels,
                           std::size_t y0,
                           std::size_t y1,
                           bool last,
                           std::vector<char>& out,
                           std::size_t& written) {
    thread_local FastDeflate state;
    thread_local std::vector<std::uint8_t> rows;
    const std::size_t row_bytes = image.width * channels + 1;
    const std::size_t band = std::max<std::size_t>(1, (std::size_t{256} << 10) / row_bytes);
    rows.resize(band * row_bytes);
    isal_zstream& s = state.stream;
    isal_deflate_init(&s);
    s.level = 1;
    s.level_buf = state.level_buf.data();
    s.level_buf_size = static_cast<std::uint32_t>(state.level_buf.size());
    s.gzip_flag = IGZIP_DEFLATE;
    if (out.size() <= written) {
        out.resize(written + std::max<std::size_t>(std::size_t{64} << 10, row_bytes * (y1 - y0) / 8));
    }
    // igzip counts in 32 bits: the output is handed over in pieces of at most 1 GB.
    constexpr std::size_t piece = std::size_t{1} << 30;
    const auto deflate = [&] {
        do {
            if (written == out.size()) {
                out.resize(out.size() * 2);
            }
            s.next_out = reinterpret_cast<std::uint8_t*>(out.data() + written);
            s.avail_out = static_cast<std::uint32_t>(std::min(out.size() - written, piece));
            const std::uint32_t before = s.avail_out;
            if (isal_deflate(&s) != COMP_OK) {
                throw RenderError("", "PNG: compression failed (igzip)");
            }
            written += before - s.avail_out;
            // Input all taken and room left over: the flush or the end is written whole.
        } while (s.avail_in > 0 || s.avail_out == 0 || (s.end_of_stream && s.internal_state.state != ZSTATE_END));
    };
    std::uint32_t adler = 1;
    for (std::size_t y = y0; y < y1; y += band) {
        const std::size_t y_end = std::min(y1, y + band);
        truecolour_rows<Premultiplied>(image, channels, y, y_end, rows.data());
        const std::size_t bytes = (y_end - y) * row_bytes;
        adler = isal_adler32(adler, rows.data(), bytes);
        s.next_in = rows.data();
        s.avail_in = static_cast<std::uint32_t>(bytes);
        const bool end = y_end == y1;
        s.end_of_stream = end && last ? 1 : 0;
        s.flush = end && !last ? SYNC_FLUSH : NO_FLUSH;
        deflate();
    }
    return adler;
}

/// The Adler-32 of A then B from the Adler-32s of each (B's started from 1) and B's length: what
/// zlib's adler32_combine computes.
std::uint32_t adler32_combine(std::uint32_t a, std::uint32_t b, std::uint64_t b_length) {
    constexpr std::uint64_t mod = 65521;
    const std::uint64_t a_low = a & 0xFFFFu;
    const std::uint64_t sum_low = (a_low + (b & 0xFFFFu) + mod - 1) % mod;
    const std::uint64_t sum_high = ((a >> 16) + (b >> 16) + (b_length % mod) * ((a_low + mod - 1) % mod)) % mod;
    return static_cast<std::uint32_t>(sum_high << 16 | sum_low);
}

/// Parts a large true-colour image's rows are deflated in, side by side (deflate_rows_fast). A
/// constant, not the thread count, so the bytes are the same on any number of threads.
constexpr std::size_t fast_parts = 4;
/// Raw rows below this many bytes are deflated in one part: a thread would cost more than it saves.
constexpr std::size_t fast_parts_from = std::size_t{4} << 20;

/// The zlib stream of a true-colour image's rows deflated by ISA-L's igzip at its level 1, into
/// `out` (resized; its memory is reused). On the national county map (bench/png_bench.cpp) the
/// whole encode takes 18 ms against 49 ms with libdeflate at level 3, for a file 13% larger.
/// A large image is deflated in fast_parts parts of rows, each from an empty history, on up to
/// `threads` threads (pigz's way: the parts' blocks end on byte boundaries and are joined, the
/// Adler-32s combined); the file's size moves by under 0.2% (W1 and the demo's map). igzip picks
/// its code for the CPU it runs on, so the bytes may differ between machines of different
/// instruction sets; the pixels never do.
template <bool Premultiplied>
std::string_view deflate_rows_fast(const Pixels& image,
                                   std::size_t channels,
                                   unsigned threads,
                                   std::vector<char>& out) {
    const std::size_t row_bytes = image.width * channels + 1;
    const std::size_t parts = row_bytes * image.height >= fast_parts_from ? fast_parts : 1;
    out.resize(std::max<std::size_t>(std::size_t{64} << 10, row_bytes * image.height / 8));
    std::size_t written = 2;
    out[0] = '\x78';  // zlib: deflate, 32 kB window
    out[1] = '\x01';  // fastest; (0x78 << 8 | 0x01) is a multiple of 31, as zlib's header check wants
    std::vector<std::vector<char>> blocks(parts);
    std::vector<std::size_t> sizes(parts, 0);
    std::vector<std::uint32_t> adlers(parts, 1);
    detail::for_each_piece(parts, threads, [&](std::size_t k) {
        const std::size_t y0 = image.height * k / parts;
        const std::size_t y1 = image.height * (k + 1) / parts;
        adlers[k] = k == 0 ? deflate_part<Premultiplied>(image, channels, y0, y1, parts == 1, out, written)
                           : deflate_part<Premultiplied>(image, channels, y0, y1, k + 1 == parts, blocks[k], sizes[k]);
    });
    std::uint32_t adler = adlers[0];
    for (std::size_t k = 1; k < parts; ++k) {
        const std::size_t y0 = image.height * k / parts;
        const std::size_t y1 = image.height * (k + 1) / parts;
        adler = adler32_combine(adler, adlers[k], static_cast<std::uint64_t>(y1 - y0) * row_bytes);
        out.resize(std::max(out.size(), written + sizes[k] + 4));
        std::memcpy(out.data() + written, blocks[k].data(), sizes[k]);
        written += sizes[k];
    }
    out.resize(std::max(out.size(), written + 4));
    for (int shift = 24; shift >= 0; shift -= 8) {
        out[written++] = static_cast<char>((adler >> shift) & 0xFFu);
    }
    return {out.data(), written};
}

struct Header {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint8_t bit_depth = 8;
    std::uint8_t color_type = 6;
};

/// A PNG file built chunk by chunk (signature, then length, type, data, CRC-32 per chunk).
class PngChunks {
public:
    PngChunks() { m_out.assign("\x89PNG\r\n\x1a\n", 8); }

    void chunk(const char (&type)[5], std::string_view data) {
        put32(static_cast<std::uint32_t>(data.size()));
        const std::size_t start = m_out.size();
        m_out.append(type, 4);
        m_out.append(data);
        put32(libdeflate_crc32(0, m_out.data() + start, m_out.size() - start));
    }
    void header(const Header& h) {
        std::string d;
        put32(d, h.width);
        put32(d, h.height);
        d.push_back(static_cast<char>(h.bit_depth));
        d.push_back(static_cast<char>(h.color_type));
        d.append(3, '\0');  // deflate, adaptive filter method, no interlace
        chunk("IHDR", d);
    }
    void phys(std::uint32_t pixels_per_metre) {
        std::string d;
        put32(d, pixels_per_metre);
        put32(d, pixels_per_metre);
        d.push_back(1);  // unit: metre
        chunk("pHYs", d);
    }
    [[nodiscard]] std::string take() { return std::move(m_out); }

private:
    static void put32(std::string& s, std::uint32_t v) {
        const char b[4] = {
            static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
        s.append(b, 4);
    }
    void put32(std::uint32_t v) { put32(m_out, v); }

    std::string m_out;
};

/// UTF-8 → Latin-1 for tEXt (which holds Latin-1 only).
std::string latin1(std::string_view utf8) {
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        std::uint32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xF0) {
            len = 4;
            cp = c & 0x07u;
        } else if (c >= 0xE0) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xC0) {
            len = 2;
            cp = c & 0x1Fu;
        }
        if (len > 1) {
            if (i + len > utf8.size()) {
                out += '?';
                break;
            }
            for (std::size_t k = 1; k < len; ++k) {
                cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
            }
        }
        i += len;
        if (cp == 0x2013 || cp == 0x2014 || cp == 0x2212) {
            out += '-';
        } else if (cp == 0x2018 || cp == 0x2019) {
            out += '\'';
        } else if (cp == 0x201C || cp == 0x201D) {
            out += '"';
        } else if (cp == 0x2026) {
            out += "...";
        } else if (cp == 0) {
            out += ' ';
        } else if (cp < 0x100 && (cp >= 0x20 || cp == '\n') && (cp < 0x7F || cp >= 0xA0)) {
            out += static_cast<char>(cp);
        } else {
            out += '?';
        }
    }
    return out;
}

/// Refuses a level outside 0..max_level.
void check_level(const PngOptions& options) {
    if (options.level < 0 || options.level > max_level) {
        throw RenderError(
            "",
            "PNG: compression level " + std::to_string(options.level) + " is not in 0.." + std::to_string(max_level));
    }
}

/// Refuses an image encode_png cannot write and a level outside 0..max_level.
void check_encodable(const Image& image, const PngOptions& options) {
    if (image.width <= 0 || image.height <= 0) {
        throw RenderError(
            "", "PNG: image has no pixels (" + std::to_string(image.width) + "x" + std::to_string(image.height) + ")");
    }
    const std::size_t n = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
    if (image.rgba.size() != n * 4) {
        throw RenderError("",
                          "PNG: image buffer holds " + std::to_string(image.rgba.size()) + " bytes, expected " +
                              std::to_string(n * 4));
    }
    check_level(options);
}

/// The same for a view of Cairo's pixels.
void check_encodable(const ArgbView& view, const PngOptions& options) {
    if (view.width <= 0 || view.height <= 0 || view.data == nullptr) {
        throw RenderError(
            "", "PNG: image has no pixels (" + std::to_string(view.width) + "x" + std::to_string(view.height) + ")");
    }
    if (view.stride / 4 < view.width) {
        throw RenderError("",
                          "PNG: row stride " + std::to_string(view.stride) + " is under " + std::to_string(view.width) +
                              " pixels of 4 bytes");
    }
    check_level(options);
}

/// The PLTE and tRNS chunks' data of a palette (tRNS up to the last translucent entry: the
/// entries past it are opaque).
void palette_chunks(const std::vector<std::uint32_t>& colors, std::string& plte, std::string& trns) {
    std::size_t last_translucent = 0;
    for (std::size_t i = 0; i < colors.size(); ++i) {
        std::uint8_t c[4];
        std::memcpy(c, &colors[i], 4);
        plte.append(reinterpret_cast<const char*>(c), 3);
        if (c[3] != 255) {
            last_translucent = i + 1;
        }
    }
    for (std::size_t i = 0; i < last_translucent; ++i) {
        std::uint8_t c[4];
        std::memcpy(c, &colors[i], 4);
        trns.push_back(static_cast<char>(c[3]));
    }
}

/// The PNG of `image`; `Premultiplied` says which kind of pixels it holds.
template <bool Premultiplied>
std::string encode_pixels(const Pixels& image, const PngOptions& options) {
    // The chunks are written here and the image data compressed with libdeflate: libspng and
    // libpng both deflate with zlib and were measured equal (bench/png_bench.cpp: 116 vs 109 ms on
    // the national map, same bytes); libdeflate is the faster deflate the design asks for.
    // No row filters (filter byte 0 on every row). The PNG spec recommends none for indexed
    // images, and for maps in true colour (flat areas, antialiased edges) they do not pay either:
    // on the national county map, adaptive filtering made the file 11% larger and encoding 2x slower.
    // The buffers live as long as the thread: a batch or a pyramid encodes many images of one size,
    // and fresh megabytes would cost their page faults every time.
    thread_local std::vector<std::uint32_t> colors;
    thread_local std::vector<std::uint8_t> indices;
    thread_local std::vector<std::uint8_t> raw;
    thread_local std::vector<char> compressed;
    Header header;
    header.width = static_cast<std::uint32_t>(image.width);
    header.height = static_cast<std::uint32_t>(image.height);
    std::string palette_chunk;
    std::string trns_chunk;
    if (options.palette && build_palette<Premultiplied>(image, colors, indices)) {
        const int depth = bit_depth_for(colors.size());
        header.bit_depth = static_cast<std::uint8_t>(depth);
        header.color_type = 3;  // indexed
        palette_chunks(colors, palette_chunk, trns_chunk);
        pack_rows(indices, static_cast<int>(image.width), static_cast<int>(image.height), depth, raw);
    } else {
        const bool opaque = fully_opaque(image);
        header.color_type = opaque ? 2 : 6;  // truecolour, without or with alpha
        if (!options.fast) {
            truecolour_rows<Premultiplied>(image, opaque ? 3 : 4, raw);
        }
    }

    PngChunks png;
    png.header(header);
    if (options.dpi > 0) {
        png.phys(static_cast<std::uint32_t>(std::lround(options.dpi / metres_per_inch)));
    }
    if (!options.description.empty()) {
        std::string text = "Description";
        text.push_back('\0');
        text += latin1(options.description);
        png.chunk("tEXt", text);
    }
    if (!palette_chunk.empty()) {
        png.chunk("PLTE", palette_chunk);
    }
    if (!trns_chunk.empty()) {
        png.chunk("tRNS", trns_chunk);
    }
    if (options.fast && header.color_type != 3) {
        png.chunk("IDAT",
                  deflate_rows_fast<Premultiplied>(image, header.color_type == 2 ? 3 : 4, options.threads, compressed));
    } else {
        png.chunk("IDAT", zlib_compress(raw, options.level, compressed));
    }
    png.chunk("IEND", {});
    return png.take();
}

}  // namespace

std::string encode_png(const Image& image, const PngOptions& options) {
    check_encodable(image, options);
    const auto w = static_cast<std::size_t>(image.width);
    return encode_pixels<false>({image.rgba.data(), w, static_cast<std::size_t>(image.height), w * 4}, options);
}

std::string encode_png(const ArgbView& pixels, const PngOptions& options) {
    check_encodable(pixels, options);
    return encode_pixels<true>({pixels.data,
                                static_cast<std::size_t>(pixels.width),
                                static_cast<std::size_t>(pixels.height),
                                static_cast<std::size_t>(pixels.stride)},
                               options);
}

std::optional<std::uint32_t> uniform_color(const ArgbView& pixels) {
    if (pixels.width <= 0 || pixels.height <= 0 || pixels.data == nullptr) {
        return std::nullopt;
    }
    // The first row one colour, then every other row the same bytes as the first (memcmp).
    const std::uint32_t first = word_at(pixels.data, 0);
    const std::size_t width = static_cast<std::size_t>(pixels.width);
    for (std::size_t x = 1; x < width; ++x) {
        if (word_at(pixels.data, x) != first) {
            return std::nullopt;
        }
    }
    for (int y = 1; y < pixels.height; ++y) {
        const std::uint8_t* row = pixels.data + static_cast<std::size_t>(y) * static_cast<std::size_t>(pixels.stride);
        if (std::memcmp(row, pixels.data, width * 4) != 0) {
            return std::nullopt;
        }
    }
    return straight_rgba(first);
}

Image decode_png(std::string_view bytes) {
    SpngPtr ctx = make_ctx(0);
    // Refuse absurd sizes before allocating (a corrupt header must not exhaust memory).
    check(spng_set_image_limits(ctx.get(), 1u << 16, 1u << 16), "set limits");
    check(spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()), "decode");
    spng_ihdr ihdr{};
    check(spng_get_ihdr(ctx.get(), &ihdr), "decode header");
    std::size_t size = 0;
    check(spng_decoded_image_size(ctx.get(), SPNG_FMT_RGBA8, &size), "decode");
    Image image;
    image.width = static_cast<int>(ihdr.width);
    image.height = static_cast<int>(ihdr.height);
    image.rgba.resize(size);
    check(spng_decode_image(ctx.get(), image.rgba.data(), size, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS), "decode");
    return image;
}

std::string png_text(std::string_view bytes, const std::string& keyword) {
    SpngPtr ctx = make_ctx(0);
    check(spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()), "read");
    std::uint32_t n = 0;
    const int rc = spng_get_text(ctx.get(), nullptr, &n);
    if (rc == SPNG_ECHUNKAVAIL) {
        return {};
    }
    check(rc, "read text");
    std::vector<spng_text> texts(n);
    check(spng_get_text(ctx.get(), texts.data(), &n), "read text");
    for (const auto& t : texts) {
        if (keyword == t.keyword) {
            return std::string(t.text, t.length);
        }
    }
    return {};
}

int png_dpi(std::string_view bytes) {
    SpngPtr ctx = make_ctx(0);
    check(spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()), "read");
    spng_phys phys{};
    const int rc = spng_get_phys(ctx.get(), &phys);
    if (rc == SPNG_ECHUNKAVAIL) {
        return 0;
    }
    check(rc, "read pHYs");
    if (phys.unit_specifier != 1) {
        return 0;  // aspect ratio only, no physical size
    }
    return static_cast<int>(std::lround(phys.ppu_x * metres_per_inch));
}

}  // namespace choro::render
