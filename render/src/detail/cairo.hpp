#pragma once

#include <memory>
#include <string>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

/// @file
/// RAII owners of Cairo and Pango handles (unique_ptr aliases with stateless deleters, as mapnik's
/// cairo_context.hpp does) and the status checks that turn Cairo's sticky error state into a
/// RenderError naming the output.

namespace choro::render::detail {

struct CairoDeleter {
    void operator()(cairo_t* cr) const noexcept { cairo_destroy(cr); }
};
struct CairoSurfaceDeleter {
    void operator()(cairo_surface_t* surface) const noexcept { cairo_surface_destroy(surface); }
};
struct CairoPatternDeleter {
    void operator()(cairo_pattern_t* pattern) const noexcept { cairo_pattern_destroy(pattern); }
};
struct CairoFontOptionsDeleter {
    void operator()(cairo_font_options_t* options) const noexcept { cairo_font_options_destroy(options); }
};
struct GObjectDeleter {
    void operator()(gpointer object) const noexcept { g_object_unref(object); }
};
struct PangoFontDescriptionDeleter {
    void operator()(PangoFontDescription* desc) const noexcept { pango_font_description_free(desc); }
};

using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using CairoSurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter>;
using CairoPatternPtr = std::unique_ptr<cairo_pattern_t, CairoPatternDeleter>;
using CairoFontOptionsPtr = std::unique_ptr<cairo_font_options_t, CairoFontOptionsDeleter>;
using PangoLayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;
using PangoFontDescriptionPtr = std::unique_ptr<PangoFontDescription, PangoFontDescriptionDeleter>;

/// Throws RenderError naming `path` when `status` is an error.
inline void check_status(cairo_status_t status, const std::string& path, const char* what) {
    if (status != CAIRO_STATUS_SUCCESS) {
        throw RenderError(path, std::string(what) + ": " + cairo_status_to_string(status));
    }
}
inline void check_surface(cairo_surface_t* surface, const std::string& path, const char* what) {
    check_status(cairo_surface_status(surface), path, what);
}
inline void check_context(cairo_t* cr, const std::string& path, const char* what) {
    check_status(cairo_status(cr), path, what);
}

/// cairo_save on construction, cairo_restore on destruction: per-feature state cannot leak.
class SavedState {
public:
    explicit SavedState(cairo_t* cr) noexcept : m_cr(cr) { cairo_save(m_cr); }
    ~SavedState() { cairo_restore(m_cr); }
    SavedState(const SavedState&) = delete;
    SavedState& operator=(const SavedState&) = delete;
    SavedState(SavedState&&) = delete;
    SavedState& operator=(SavedState&&) = delete;

private:
    cairo_t* m_cr;
};

/// Font options that make text the same on every run and at every scale: no hinting, no
/// hinted metrics (so glyph advances scale linearly with the DPI), grey antialiasing.
[[nodiscard]] inline CairoFontOptionsPtr deterministic_font_options() {
    CairoFontOptionsPtr options(cairo_font_options_create());
    cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_subpixel_order(options.get(), CAIRO_SUBPIXEL_ORDER_DEFAULT);
    return options;
}

/// An ARGB32 image surface (premultiplied, native-endian words) as straight RGBA bytes: what
/// every raster output (map, tiles, chart) encodes. Flushes the surface first.
[[nodiscard]] Image to_image(cairo_surface_t* surface);
/// The same for the w×h rectangle at (x0, y0) of the surface (inside it), into `out` (its buffer
/// reused).
void to_image(cairo_surface_t* surface, int x0, int y0, int w, int h, Image& out);

}  // namespace choro::render::detail
