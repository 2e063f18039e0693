// Drawing one zoom of a tile pyramid: geometry simplified to a fraction of a pixel, a grid index,
// and Cairo drawing of any pixel rectangle in world coordinates (so metatiles and the stitched
// reference image come out of the same code, pixel for pixel).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "detail/cairo.hpp"
#include "tiles/tiles_internal.hpp"

#include "choro/geo/error.hpp"
#include "choro/geo/simplify.hpp"

namespace choro::render::detail {

namespace {

constexpr double simplify_tolerance_px = 0.15;  // well below a pixel: invisible, and few vertices
constexpr double clip_margin_px = 16.0;         // wider than any line, so clip edges stay unseen

using PixelRing = geo::Ring<geo::Pixel>;

// One Sutherland-Hodgman pass against an axis-aligned half plane.
template <class Inside, class Cut>
PixelRing clip_edge(const PixelRing& in, Inside inside, Cut cut) {
    PixelRing out;
    if (in.empty()) {
        return out;
    }
    out.reserve(in.size() + 4);
    geo::Pixel prev = in.back();
    bool prev_in = inside(prev);
    for (const auto& p : in) {
        const bool cur_in = inside(p);
        if (cur_in != prev_in) {
            out.push_back(cut(prev, p));
        }
        if (cur_in) {
            out.push_back(p);
        }
        prev = p;
        prev_in = cur_in;
    }
    return out;
}

PixelRing clip_ring(const PixelRing& ring, double x0, double y0, double x1, double y1) {
    auto at_x = [](double x) {
        return [x](const geo::Pixel& a, const geo::Pixel& b) {
            const double t = (x - a.x) / (b.x - a.x);
            return geo::Pixel{x, a.y + t * (b.y - a.y)};
        };
    };
    auto at_y = [](double y) {
        return [y](const geo::Pixel& a, const geo::Pixel& b) {
            const double t = (y - a.y) / (b.y - a.y);
            return geo::Pixel{a.x + t * (b.x - a.x), y};
        };
    };
    PixelRing r = clip_edge(
        ring, [x0](const geo::Pixel& p) { return p.x >= x0; }, at_x(x0));
    r = clip_edge(
        r, [x1](const geo::Pixel& p) { return p.x <= x1; }, at_x(x1));
    r = clip_edge(
        r, [y0](const geo::Pixel& p) { return p.y >= y0; }, at_y(y0));
    return clip_edge(
        r, [y1](const geo::Pixel& p) { return p.y <= y1; }, at_y(y1));
}

void append_ring(cairo_t* cr, const PixelRing& ring, double ox, double oy) {
    if (ring.size() < 3) {
        return;
    }
    cairo_move_to(cr, ring[0].x - ox, ring[0].y - oy);
    for (std::size_t i = 1; i < ring.size(); ++i) {
        cairo_line_to(cr, ring[i].x - ox, ring[i].y - oy);
    }
    cairo_close_path(cr);
}

// Appends a shape to the path in local pixels (origin ox, oy), clipping huge shapes to the canvas
// plus a margin: Cairo's 24.8 fixed point cannot hold the coordinates of a state at zoom 16.
template <class Shape>
void append_shape(cairo_t* cr, const Shape& s, double ox, double oy, int w, int h) {
    const bool huge = s.box.width() > 4.0 * (w + 2 * clip_margin_px) || s.box.height() > 4.0 * (h + 2 * clip_margin_px);
    for (const auto& poly : s.geometry) {
        for (const auto& ring : poly) {
            if (huge) {
                append_ring(cr,
                            clip_ring(ring,
                                      ox - clip_margin_px,
                                      oy - clip_margin_px,
                                      ox + w + clip_margin_px,
                                      oy + h + clip_margin_px),
                            ox,
                            oy);
            } else {
                append_ring(cr, ring, ox, oy);
            }
        }
    }
}

void set_color(cairo_t* cr, const styles::Color& c, double alpha = 1.0) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0 * alpha);
}

// Hatch lines over the current clip, on a grid fixed in world pixels so that neighbouring
// metatiles continue each other's lines.
void hatch(cairo_t* cr, double ox, double oy, int w, int h, double spacing, double width, bool rising) {
    cairo_new_path(cr);
    const double lo = rising ? ox + oy : ox - oy - h;
    const double hi = rising ? ox + oy + w + h : ox + w - oy;
    for (double c = std::floor(lo / spacing) * spacing; c <= hi + spacing; c += spacing) {
        if (rising) {  // x + y = c (world), i.e. local x + y = c - ox - oy
            const double k = c - ox - oy;
            cairo_move_to(cr, k + 1.0, -1.0);
            cairo_line_to(cr, k - h - 1.0, h + 1.0);
        } else {  // x - y = c
            const double k = c - ox + oy;
            cairo_move_to(cr, k - 1.0, -1.0);
            cairo_line_to(cr, k + h + 1.0, h + 1.0);
        }
    }
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
}

}  // namespace

ZoomScene::ZoomScene(const TileScene& scene, int z, int scale) : m_z(z), m_scale(scale), m_scene(&scene) {
    const double world = 256.0 * static_cast<double>(geo::tiles_per_side(z)) * scale;
    const double k = world / (2.0 * geo::web_mercator_half);
    auto to_pixels = [&](const geo::MultiPolygon<geo::Projected>& mp) {
        Shape s;
        geo::MultiPolygon<geo::Pixel> px;
        px.reserve(mp.size());
        for (const auto& poly : mp) {
            geo::Polygon<geo::Pixel> pp;
            for (const auto& ring : poly) {
                geo::Ring<geo::Pixel> r;
                r.reserve(ring.size());
                for (const auto& p : ring) {
                    r.push_back({(p.x + geo::web_mercator_half) * k, (geo::web_mercator_half - p.y) * k});
                }
                pp.push_back(std::move(r));
            }
            px.push_back(std::move(pp));
        }
        s.geometry = geo::simplify(px, simplify_tolerance_px);
        s.box = geo::envelope(s.geometry);
        return s;
    };
    geo::Box<geo::Pixel> all;
    for (const auto& f : scene.features) {
        m_features.push_back(to_pixels(f));
        all.extend(m_features.back().box);
    }
    for (const auto& f : scene.overlay) {
        m_overlay.push_back(to_pixels(f));
        all.extend(m_overlay.back().box);
    }
    // A grid of up to 128×128 cells over the world square, at least 256 px per cell.
    m_cells = static_cast<int>(std::clamp(world / 256.0, 1.0, 128.0));
    m_cell_size = world / m_cells;
    m_grid.assign(static_cast<std::size_t>(m_cells) * m_cells, {});
    auto insert = [&](const Shape& s, std::uint32_t id) {
        if (s.box.empty()) {
            return;
        }
        const int cx0 = std::clamp(static_cast<int>(s.box.min.x / m_cell_size), 0, m_cells - 1);
        const int cy0 = std::clamp(static_cast<int>(s.box.min.y / m_cell_size), 0, m_cells - 1);
        const int cx1 = std::clamp(static_cast<int>(s.box.max.x / m_cell_size), 0, m_cells - 1);
        const int cy1 = std::clamp(static_cast<int>(s.box.max.y / m_cell_size), 0, m_cells - 1);
        for (int cy = cy0; cy <= cy1; ++cy) {
            for (int cx = cx0; cx <= cx1; ++cx) {
                m_grid[static_cast<std::size_t>(cy) * m_cells + cx].push_back(id);
            }
        }
    };
    for (std::size_t i = 0; i < m_features.size(); ++i) {
        insert(m_features[i], static_cast<std::uint32_t>(i));
    }
    for (std::size_t i = 0; i < m_overlay.size(); ++i) {
        insert(m_overlay[i], static_cast<std::uint32_t>(m_features.size() + i));
    }
}

void ZoomScene::candidates(double x0, double y0, double w, double h, std::vector<std::uint32_t>& out) const {
    out.clear();
    const double m = clip_margin_px;
    const int cx0 = std::clamp(static_cast<int>((x0 - m) / m_cell_size), 0, m_cells - 1);
    const int cy0 = std::clamp(static_cast<int>((y0 - m) / m_cell_size), 0, m_cells - 1);
    const int cx1 = std::clamp(static_cast<int>((x0 + w + m) / m_cell_size), 0, m_cells - 1);
    const int cy1 = std::clamp(static_cast<int>((y0 + h + m) / m_cell_size), 0, m_cells - 1);
    geo::Box<geo::Pixel> area;
    area.min = {x0 - m, y0 - m};
    area.max = {x0 + w + m, y0 + h + m};
    for (int cy = cy0; cy <= cy1; ++cy) {
        for (int cx = cx0; cx <= cx1; ++cx) {
            for (std::uint32_t id : m_grid[static_cast<std::size_t>(cy) * m_cells + cx]) {
                const Shape& s = id < m_features.size() ? m_features[id] : m_overlay[id - m_features.size()];
                if (s.box.intersects(area)) {
                    out.push_back(id);
                }
            }
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

bool ZoomScene::touches(double x0, double y0, double w, double h) const {
    std::vector<std::uint32_t> ids;
    candidates(x0, y0, w, h, ids);
    return !ids.empty();
}

Image ZoomScene::draw(const styles::StyleSettings& style, double ox, double oy, int w, int h) const {
    CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
    check_surface(surface.get(), "tile", "creating a tile surface");
    CairoPtr ctx(cairo_create(surface.get()));
    cairo_t* cr = ctx.get();
    check_context(cr, "tile", "creating a tile context");

    std::vector<std::uint32_t> ids;
    candidates(ox, oy, w, h, ids);
    const std::size_t n_features = m_features.size();
    const double s = m_scale;
    const double zf = std::clamp((m_z - 1) / 5.0, 0.2, 1.0);  // thinner lines when zoomed out

    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    // Fills.
    for (std::uint32_t id : ids) {
        if (id >= n_features) {
            break;
        }
        cairo_new_path(cr);
        append_shape(cr, m_features[id], ox, oy, w, h);
        set_color(cr, m_scene->fills[id]);
        cairo_fill(cr);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    // Thin feature borders, one path, one stroke.
    cairo_new_path(cr);
    for (std::uint32_t id : ids) {
        if (id < n_features) {
            append_shape(cr, m_features[id], ox, oy, w, h);
        }
    }
    set_color(cr, style.border);
    cairo_set_line_width(cr, std::max(0.1, style.border_width * 2.0 * s * zf));
    cairo_stroke(cr);
    // Holdouts: hatch inside, then a strong outline.
    cairo_new_path(cr);
    bool any = false;
    for (std::uint32_t id : ids) {
        if (id < n_features && m_scene->highlighted[id]) {
            append_shape(cr, m_features[id], ox, oy, w, h);
            any = true;
        }
    }
    if (any) {
        cairo_path_t* path = cairo_copy_path(cr);
        {
            SavedState saved(cr);
            cairo_clip(cr);
            set_color(cr, style.highlight);
            hatch(cr, ox, oy, w, h, 4.0 * s, 0.7 * s, true);
        }
        cairo_new_path(cr);
        cairo_append_path(cr, path);
        cairo_path_destroy(path);
        set_color(cr, style.highlight);
        cairo_set_line_width(cr, std::max(0.4, 1.2 * s * zf));
        cairo_stroke(cr);
    }
    // State bans: a falling hatch and a band along the inside of the edge.
    for (std::uint32_t id : ids) {
        const std::size_t o = id - n_features;
        if (id < n_features || o >= m_scene->overlay_highlighted.size() || !m_scene->overlay_highlighted[o]) {
            continue;
        }
        SavedState saved(cr);
        cairo_new_path(cr);
        append_shape(cr, m_overlay[o], ox, oy, w, h);
        cairo_path_t* path = cairo_copy_path(cr);
        cairo_clip(cr);
        set_color(cr, style.highlight);
        hatch(cr, ox, oy, w, h, 6.0 * s, 0.6 * s, false);
        cairo_new_path(cr);
        cairo_append_path(cr, path);
        cairo_path_destroy(path);
        set_color(cr, style.highlight, 0.45);
        cairo_set_line_width(cr, 4.0 * s * zf);
        cairo_stroke(cr);
    }
    // Overlay (state) borders on top.
    cairo_new_path(cr);
    for (std::uint32_t id : ids) {
        if (id >= n_features) {
            append_shape(cr, m_overlay[id - n_features], ox, oy, w, h);
        }
    }
    set_color(cr, style.overlay_border);
    cairo_set_line_width(cr, std::max(0.3, style.overlay_border_width * 1.25 * s * zf));
    cairo_stroke(cr);
    check_context(cr, "tile", "drawing a tile");
    cairo_surface_flush(surface.get());

    // Premultiplied native-endian ARGB32 → straight RGBA.
    Image img;
    img.width = w;
    img.height = h;
    img.rgba.resize(static_cast<std::size_t>(w) * h * 4);
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    for (int y = 0; y < h; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        std::uint8_t* out = &img.rgba[static_cast<std::size_t>(y) * w * 4];
        for (int x = 0; x < w; ++x) {
            const std::uint32_t p = row[x];
            const std::uint32_t a = p >> 24;
            std::uint8_t* o = out + static_cast<std::ptrdiff_t>(x) * 4;
            if (a == 0) {
                o[0] = o[1] = o[2] = o[3] = 0;
            } else if (a == 255) {
                o[0] = static_cast<std::uint8_t>(p >> 16);
                o[1] = static_cast<std::uint8_t>(p >> 8);
                o[2] = static_cast<std::uint8_t>(p);
                o[3] = 255;
            } else {
                o[0] = static_cast<std::uint8_t>((((p >> 16) & 0xff) * 255 + a / 2) / a);
                o[1] = static_cast<std::uint8_t>((((p >> 8) & 0xff) * 255 + a / 2) / a);
                o[2] = static_cast<std::uint8_t>(((p & 0xff) * 255 + a / 2) / a);
                o[3] = static_cast<std::uint8_t>(a);
            }
        }
    }
    return img;
}

}  // namespace choro::render::detail
