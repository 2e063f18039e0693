// Drawing one zoom of a tile pyramid: geometry simplified to a fraction of a pixel, a grid index,
// and the drawing of any pixel rectangle of the world through the print map's own routines
// (detail::draw_geometry_layers), so metatiles, the stitched reference image and the print map at
// the same scale come out of the same code.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "detail/cairo.hpp"
#include "detail/cairo_map.hpp"
#include "tiles/tiles_internal.hpp"

#include "choro/geo/error.hpp"
#include "choro/geo/simplify.hpp"

namespace choro::render::detail {

namespace {

constexpr double simplify_tolerance_px = 0.15;  // well below a pixel: invisible, and few vertices
constexpr double clip_margin_px = 16.0;         // wider than any line, so clip edges stay unseen

/// Simplified to `tolerance`; a polygon that simplification would drop (smaller than the
/// tolerance) keeps its exterior as it is: at low zooms thousands of such polygons together cover
/// whole pixels, and the drawer paints each one's area (Shape::dust) rather than nothing.
geo::MultiPolygon<geo::Projected> simplify_keeping_dust(const geo::MultiPolygon<geo::Projected>& mp, double tolerance) {
    geo::MultiPolygon<geo::Projected> out;
    out.reserve(mp.size());
    for (const auto& polygon : mp) {
        auto simple = geo::simplify(polygon, tolerance);
        if (!simple.empty()) {
            out.push_back(std::move(simple));
        } else if (!polygon.empty() && polygon.front().size() >= 3) {
            out.push_back({polygon.front()});
        }
    }
    return out;
}

}  // namespace

double tile_line_scale(int z) noexcept {
    return std::clamp((z - 1) / 5.0, 0.2, 1.0);
}

ZoomScene::ZoomScene(const pipeline::Scene& scene, int z, int scale) : m_z(z), m_scale(scale), m_scene(&scene) {
    const double world = 256.0 * static_cast<double>(geo::tiles_per_side(z)) * scale;
    m_px_per_metre = world / (2.0 * geo::web_mercator_half);
    const double tolerance = simplify_tolerance_px / m_px_per_metre;
    auto add = [&](const geo::MultiPolygon<geo::Projected>& mp,
                   std::vector<geo::MultiPolygon<geo::Projected>>& geometry,
                   std::vector<geo::Box<geo::Pixel>>& boxes) {
        geometry.push_back(simplify_keeping_dust(mp, tolerance));
        const auto b = geo::envelope(geometry.back());
        geo::Box<geo::Pixel> px;
        if (!b.empty()) {
            px.extend(to_pixel({b.min.x, b.max.y}));
            px.extend(to_pixel({b.max.x, b.min.y}));
        }
        boxes.push_back(px);
    };
    m_features.reserve(scene.features.size());
    for (const auto& f : scene.features) {
        add(f, m_features, m_feature_boxes);
    }
    for (const auto& f : scene.overlay) {
        add(f, m_overlay, m_overlay_boxes);
    }
    // A grid of up to 128×128 cells over the world square, at least 256 px per cell.
    m_cells = static_cast<int>(std::clamp(world / 256.0, 1.0, 128.0));
    m_cell_size = world / m_cells;
    m_grid.assign(static_cast<std::size_t>(m_cells) * m_cells, {});
    auto insert = [&](const geo::Box<geo::Pixel>& box, std::uint32_t id) {
        if (box.empty()) {
            return;
        }
        const int cx0 = std::clamp(static_cast<int>(box.min.x / m_cell_size), 0, m_cells - 1);
        const int cy0 = std::clamp(static_cast<int>(box.min.y / m_cell_size), 0, m_cells - 1);
        const int cx1 = std::clamp(static_cast<int>(box.max.x / m_cell_size), 0, m_cells - 1);
        const int cy1 = std::clamp(static_cast<int>(box.max.y / m_cell_size), 0, m_cells - 1);
        for (int cy = cy0; cy <= cy1; ++cy) {
            for (int cx = cx0; cx <= cx1; ++cx) {
                m_grid[static_cast<std::size_t>(cy) * m_cells + cx].push_back(id);
            }
        }
    };
    for (std::size_t i = 0; i < m_feature_boxes.size(); ++i) {
        insert(m_feature_boxes[i], static_cast<std::uint32_t>(i));
    }
    for (std::size_t i = 0; i < m_overlay_boxes.size(); ++i) {
        insert(m_overlay_boxes[i], static_cast<std::uint32_t>(m_features.size() + i));
    }
}

geo::Pixel ZoomScene::to_pixel(const geo::Projected& p) const noexcept {
    return {(p.x + geo::web_mercator_half) * m_px_per_metre, (geo::web_mercator_half - p.y) * m_px_per_metre};
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
    const std::size_t n = m_features.size();
    for (int cy = cy0; cy <= cy1; ++cy) {
        for (int cx = cx0; cx <= cx1; ++cx) {
            for (std::uint32_t id : m_grid[static_cast<std::size_t>(cy) * m_cells + cx]) {
                const auto& box = id < n ? m_feature_boxes[id] : m_overlay_boxes[id - n];
                if (box.intersects(area)) {
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

struct Canvas::Impl {
    CairoSurfacePtr surface;
    /// Where the last drawing may have painted (surface pixels, x0 <= x < x1, y0 <= y < y1): the
    /// boxes of the features it drew, clip_margin_px wider. Only this is cleared for the next.
    int x0 = 0;
    int y0 = 0;
    int x1 = 0;
    int y1 = 0;
};

Canvas::Canvas() : m_impl(std::make_unique<Impl>()) {}
Canvas::~Canvas() = default;
Canvas::Canvas(Canvas&&) noexcept = default;
Canvas& Canvas::operator=(Canvas&&) noexcept = default;

void Canvas::cut(int x, int y, int w, int h, Image& out) const {
    CHORO_ASSERT(m_impl && m_impl->surface);
    to_image(m_impl->surface.get(), x, y, w, h, out);
}

ArgbView Canvas::view(int x, int y, int w, int h) const {
    CHORO_ASSERT(m_impl && m_impl->surface);
    cairo_surface_t* surface = m_impl->surface.get();
    cairo_surface_flush(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    CHORO_ASSERT(x >= 0 && y >= 0 && x + w <= cairo_image_surface_get_width(surface) &&
                 y + h <= cairo_image_surface_get_height(surface));
    const unsigned char* data = cairo_image_surface_get_data(surface);
    return {data + static_cast<std::ptrdiff_t>(y) * stride + static_cast<std::ptrdiff_t>(x) * 4, w, h, stride};
}

Image ZoomScene::draw(const styles::StyleSettings& style, double ox, double oy, int w, int h) const {
    Canvas canvas;
    draw(style, ox, oy, w, h, canvas);
    Image out;
    canvas.cut(0, 0, w, h, out);
    return out;
}

void ZoomScene::draw(const styles::StyleSettings& style, double ox, double oy, int w, int h, Canvas& canvas) const {
    CairoSurfacePtr& surface = canvas.m_impl->surface;
    Canvas::Impl& c = *canvas.m_impl;
    if (surface && cairo_image_surface_get_width(surface.get()) == w &&
        cairo_image_surface_get_height(surface.get()) == h) {
        // Cleared to what a new surface holds (all zero: transparent black) where the last drawing
        // may have painted; at the edge of the data most of a metatile is left as it was, zero.
        cairo_surface_flush(surface.get());
        unsigned char* data = cairo_image_surface_get_data(surface.get());
        const auto stride = static_cast<std::size_t>(cairo_image_surface_get_stride(surface.get()));
        for (int y = c.y0; y < c.y1; ++y) {
            std::memset(data + static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(c.x0) * 4,
                        0,
                        static_cast<std::size_t>(c.x1 - c.x0) * 4);
        }
        cairo_surface_mark_dirty(surface.get());
    } else {
        surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
        check_surface(surface.get(), "tile", "creating a tile surface");
    }
    CairoPtr ctx(cairo_create(surface.get()));
    cairo_t* cr = ctx.get();
    check_context(cr, "tile", "creating a tile context");

    std::vector<std::uint32_t> ids;
    candidates(ox, oy, w, h, ids);
    // Everything drawn belongs to a candidate and stays within clip_margin_px of its box (the
    // widest line is narrower): that is all the next drawing has to clear.
    geo::Box<geo::Pixel> painted;
    for (const std::uint32_t id : ids) {
        painted.extend(id < m_features.size() ? m_feature_boxes[id] : m_overlay_boxes[id - m_features.size()]);
    }
    c.x0 = c.y0 = c.x1 = c.y1 = 0;
    if (!painted.empty()) {
        const auto clamp = [](double v, int hi) {
            return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(hi)));
        };
        c.x0 = clamp(std::floor(painted.min.x - ox - clip_margin_px), w);
        c.y0 = clamp(std::floor(painted.min.y - oy - clip_margin_px), h);
        c.x1 = clamp(std::ceil(painted.max.x - ox + clip_margin_px), w);
        c.y1 = clamp(std::ceil(painted.max.y - oy + clip_margin_px), h);
    }
    const auto split = std::lower_bound(ids.begin(), ids.end(), static_cast<std::uint32_t>(m_features.size()));
    const std::vector<std::uint32_t> feature_ids(ids.begin(), split);
    std::vector<std::uint32_t> overlay_ids;
    for (auto it = split; it != ids.end(); ++it) {
        overlay_ids.push_back(*it - static_cast<std::uint32_t>(m_features.size()));
    }

    // The drawing is in points, like the print map, at the CSS pixel ratio (× the tile scale).
    const double px_per_pt = tile_px_per_point * m_scale;
    cairo_scale(cr, px_per_pt, px_per_pt);
    PageTransform t;
    t.scale = m_px_per_metre / px_per_pt;  // points per metre
    t.min_x = ox / m_px_per_metre - geo::web_mercator_half;
    t.max_y = geo::web_mercator_half - oy / m_px_per_metre;
    t.unit = 0.25 / px_per_pt;  // a quarter pixel, as on the print map
    t.min_size = 0.0;           // small features still paint at low zooms: Cairo's coverage adds up
    const double margin = clip_margin_px / m_px_per_metre;
    geo::Box<geo::Projected> visible;
    visible.extend(geo::Projected{t.min_x - margin, t.max_y + margin});
    visible.extend(geo::Projected{t.min_x + w / m_px_per_metre + margin, t.max_y - h / m_px_per_metre - margin});
    // The world's origin in this canvas' points: hatches continue across tiles and metatiles.
    const MarkScale marks{PatternOrigin{-ox / px_per_pt, -oy / px_per_pt}, tile_line_scale(m_z), std::nullopt};

    const GeometryLayers layers{&m_features, &m_overlay, &feature_ids, &overlay_ids};
    draw_geometry_layers(cr, *m_scene, layers, t, visible, style, marks);
    check_context(cr, "tile", "drawing a tile");
}

}  // namespace choro::render::detail
