// The page of a publication map as data: blocks measured with Pango, then placed.

#include "detail/page.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "detail/furniture.hpp"

#include "choro/geo/label_placement.hpp"

namespace choro::render::detail {

namespace {

/// True when some geometry reaches outside `bounds` (then the map frame must clip).
bool spills(const pipeline::Scene& scene, const geo::Box<geo::Projected>& bounds) {
    const bool own_bounds = !scene.bounds.empty();
    const auto outside = [&](const geo::MultiPolygon<geo::Projected>& mp) {
        const auto b = geo::envelope(mp);
        return !b.empty() &&
               (b.min.x < bounds.min.x || b.min.y < bounds.min.y || b.max.x > bounds.max.x || b.max.y > bounds.max.y);
    };
    // Without bounds of its own, the scene's bounds are its features' and overlay's box
    // (scene_bounds): only the context can reach outside them, and the two passes are saved.
    return (own_bounds && (std::any_of(scene.features.begin(), scene.features.end(), outside) ||
                           std::any_of(scene.overlay.begin(), scene.overlay.end(), outside))) ||
           std::any_of(scene.context.begin(), scene.context.end(), outside);
}

/// Neighbours (a batch map's other groups): light grey fills, borders in the background colour,
/// under everything the map is about.
void draw_context(cairo_t* cr, const PreparedFrame& prepared, const styles::StyleSettings& style, double unit) {
    if (prepared.context.empty()) {
        return;
    }
    draw_fills(cr,
               prepared.context,
               std::vector<styles::Color>(prepared.context.size(), context_grey),
               unit,
               fills_covered(style.background, style.border_width, unit));
    draw_borders(cr, prepared.context_borders, style.background, style.border_width, unit);
}

void draw_insets(cairo_t* cr, const std::vector<geo::Inset>& insets, const PageTransform& t) {
    SavedState saved(cr);
    cairo_new_path(cr);
    bool any = false;
    for (const auto& inset : insets) {
        if (inset.frame.empty()) {
            continue;
        }
        const double x0 = t.page_x(inset.frame.min.x);
        const double x1 = t.page_x(inset.frame.max.x);
        const double y0 = t.page_y(inset.frame.max.y);
        const double y1 = t.page_y(inset.frame.min.y);
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        any = true;
    }
    if (any) {
        set_color(cr, inset_grey);
        cairo_set_line_width(cr, inset_line_width);
        cairo_stroke(cr);
    }
}

/// The scale at which the scene's bounds fit `frame` (0 when nothing fits).
double fit_scale(const geo::Box<geo::Projected>& bounds, double w, double h) {
    if (bounds.empty() || w <= 0.0 || h <= 0.0) {
        return 0.0;
    }
    const double bw = bounds.width();
    const double bh = bounds.height();
    if (bw > 0.0 && bh > 0.0) {
        return std::min(w / bw, h / bh);
    }
    return bw > 0.0 ? w / bw : (bh > 0.0 ? h / bh : 1.0);
}

geo::Box<geo::Pixel> pixel_box(const Rect& r) {
    geo::Box<geo::Pixel> b;
    b.extend(geo::Pixel{r.x, r.y});
    b.extend(geo::Pixel{r.x + r.w, r.y + r.h});
    return b;
}

/// Measures the scene's label candidates and places them with the greedy solver
/// (geo::place_labels), with title, legend, notes and insets as obstacles.
std::vector<PlacedLabel> place_scene_labels(
    cairo_t* cr, const PageLayout& page, const pipeline::Scene& scene, const styles::StyleSettings& style, double u) {
    std::vector<PlacedLabel> out;
    if (scene.labels.empty() || page.map.empty) {
        return out;
    }
    const PageTransform& t = page.map.t;
    const double size = 5.5 * u;
    const double halo = label_halo_width;
    std::vector<std::shared_ptr<const TextBlock>> blocks;
    std::vector<geo::LabelRequest> requests;
    blocks.reserve(scene.labels.size());
    requests.reserve(scene.labels.size());
    for (const auto& c : scene.labels) {
        auto block = std::make_shared<const TextBlock>(
            cr, c.text, TextStyle{style.font, c.highlighted ? size * 1.1 : size, c.highlighted, style.text});
        geo::LabelRequest r;
        r.anchor = geo::Pixel{t.page_x(c.anchor.x), t.page_y(c.anchor.y)};
        r.width = block->width() + halo;
        r.height = block->height() + halo;
        r.priority = c.priority;
        // Fits when the box fits the circle of `room` around the anchor.
        r.fits = std::hypot(r.width, r.height) / 2.0 <= c.room * t.scale;
        requests.push_back(r);
        blocks.push_back(std::move(block));
    }
    std::vector<geo::Box<geo::Pixel>> obstacles;
    for (const Rect& r : page.obstacles(scene)) {
        obstacles.push_back(pixel_box(r));
    }
    geo::PlacementOptions options;
    options.gap = 1.0 * u;
    options.callouts = scene.label_callouts;
    options.callout_distance = 10.0 * u;
    options.frame = pixel_box(page.map.frame);
    for (const geo::PlacedLabel& p : geo::place_labels(requests, obstacles, options)) {
        const auto& c = scene.labels[p.request];
        PlacedLabel label;
        label.text = c.text;
        label.key = c.feature < scene.info.size() ? scene.info[c.feature].key : std::string();
        label.x = p.box.min.x + halo / 2.0;
        label.y = p.box.min.y + halo / 2.0;
        label.callout = p.callout;
        label.anchor_x = p.leader_from.x;
        label.anchor_y = p.leader_from.y;
        label.leader_x = p.leader_to.x;
        label.leader_y = p.leader_to.y;
        label.highlighted = c.highlighted;
        label.block = blocks[p.request];
        out.push_back(std::move(label));
    }
    return out;
}

}  // namespace

Rect MapFrame::map_box() const {
    if (empty) {
        return frame;
    }
    return Rect{t.origin_x, t.origin_y, bounds.width() * t.scale, bounds.height() * t.scale};
}

MapFrame frame_map(const pipeline::Scene& scene, const Rect& frame, double device_px) {
    return frame_map(scene, pipeline::scene_bounds(scene), frame, device_px);
}

MapFrame frame_map(const pipeline::Scene& scene,
                   const geo::Box<geo::Projected>& bounds,
                   const Rect& frame,
                   double device_px) {
    MapFrame m;
    m.frame = frame;
    m.bounds = bounds;
    if (bounds.empty()) {
        m.t = fit(bounds, frame, device_px);
        return m;
    }
    m.empty = false;
    m.t = fit(bounds, frame, device_px);
    const PageTransform& t = m.t;
    if (spills(scene, bounds)) {
        // Only what lies inside the frame is drawn; polygons wholly outside are not even prepared,
        // and rings far larger than the frame are cut a little beyond it (wider than any line).
        m.clip = true;
        const double margin = 8.0 / t.scale;
        m.visible.extend(geo::Projected{bounds.min.x + (frame.x - t.origin_x) / t.scale - margin,
                                        bounds.max.y + (t.origin_y - frame.y) / t.scale + margin});
        m.visible.extend(geo::Projected{bounds.min.x + (frame.x + frame.w - t.origin_x) / t.scale + margin,
                                        bounds.max.y - (frame.y + frame.h - t.origin_y) / t.scale - margin});
    }
    return m;
}

std::vector<Rect> PageLayout::obstacles(const pipeline::Scene& scene) const {
    std::vector<Rect> out;
    for (const auto& p : title) {
        out.push_back(p.box());
    }
    for (const auto& p : notes) {
        out.push_back(p.box());
    }
    if (!legend.empty()) {
        out.push_back(legend.box);
    }
    if (!map.empty) {
        for (const auto& inset : scene.insets) {
            if (inset.frame.empty()) {
                continue;
            }
            const double x0 = map.t.page_x(inset.frame.min.x);
            const double y0 = map.t.page_y(inset.frame.max.y);
            out.push_back(Rect{x0, y0, map.t.page_x(inset.frame.max.x) - x0, map.t.page_y(inset.frame.min.y) - y0});
        }
    }
    return out;
}

namespace {

/// Page sizes that follow the page: a 2400x1500 px map at 300 dpi (576x360 pt) has a 16 pt title.
struct PageMetrics {
    double u;       ///< one unit: the page's shorter side / 360
    double margin;  ///< around the page
    double gap;     ///< between blocks
    double text_width;
};

/// Title and subtitle from the top margin down; returns where the map area starts.
double place_title(cairo_t* cr,
                   PageLayout& page,
                   const pipeline::Scene& scene,
                   const styles::StyleSettings& style,
                   const PageMetrics& m) {
    double top = m.margin;
    if (!scene.title.empty()) {
        auto block = std::make_shared<const TextBlock>(
            cr, scene.title, TextStyle{style.font, 16.0 * m.u, true, style.text}, m.text_width);
        page.title.push_back(PlacedText{block, m.margin, top});
        top += block->height();
    }
    if (!scene.subtitle.empty()) {
        auto block = std::make_shared<const TextBlock>(
            cr, scene.subtitle, TextStyle{style.font, 10.0 * m.u, false, style.text}, m.text_width);
        page.title.push_back(PlacedText{block, m.margin, top});
        top += block->height();
    }
    return top > m.margin ? top + m.gap : top;
}

/// Notes, then the source note, bottom-up from the margin; returns where the map area ends.
double place_footer(cairo_t* cr,
                    PageLayout& page,
                    const pipeline::Scene& scene,
                    const styles::StyleSettings& style,
                    const PageMetrics& m) {
    std::vector<std::shared_ptr<const TextBlock>> footer;
    const TextStyle note_style{style.font, 6.5 * m.u, false, note_grey};
    for (const auto& line : scene.notes) {
        footer.push_back(std::make_shared<const TextBlock>(cr, line, note_style, m.text_width));
    }
    if (!scene.source_note.empty()) {
        footer.push_back(std::make_shared<const TextBlock>(cr, scene.source_note, note_style, m.text_width));
    }
    double footer_h = 0.0;
    for (const auto& block : footer) {
        footer_h += block->height();
    }
    double y = page.page_h - m.margin - footer_h;
    for (const auto& block : footer) {
        page.notes.push_back(PlacedText{block, m.margin, y});
        y += block->height();
    }
    return page.page_h - m.margin - footer_h - (footer_h > 0.0 ? m.gap : 0.0);
}

/// The map with the legend in a column on its right, the pair centred in `page.area`.
void place_beside(PageLayout& page,
                  const pipeline::Scene& scene,
                  const geo::Box<geo::Projected>& bounds,
                  const Legend& legend,
                  double beside_w,
                  double scale) {
    const Rect& area = page.area;
    const double gap = page.gap;
    double map_w = beside_w;
    if (scale > 0.0 && bounds.width() > 0.0) {
        map_w = std::min(beside_w, bounds.width() * scale);
    }
    const double group_w = map_w + 2.0 * gap + legend.width();
    const double x0 = area.x + std::max(0.0, (area.w - group_w) / 2.0);
    page.map = frame_map(scene, bounds, Rect{x0, area.y, map_w, area.h}, page.device_px);
    const Rect box = page.map.map_box();
    const double legend_y = std::max(area.y, std::min(box.y + box.h, area.y + area.h) - legend.height());
    page.legend = legend.place(x0 + map_w + 2.0 * gap, legend_y, false, legend.width());
}

/// The map with the legend in wrapped rows under it, the pair centred in `page.area`.
void place_under(PageLayout& page,
                 const pipeline::Scene& scene,
                 const geo::Box<geo::Projected>& bounds,
                 const Legend& legend,
                 double under_w,
                 double under_h,
                 double scale) {
    const Rect& area = page.area;
    const double gap = page.gap;
    double map_h = std::max(0.0, area.h - under_h - 2.0 * gap);
    if (scale > 0.0 && bounds.height() > 0.0) {
        map_h = std::min(map_h, bounds.height() * scale);
    }
    const double group_h = map_h + 2.0 * gap + under_h;
    const double y0 = area.y + std::max(0.0, (area.h - group_h) / 2.0);
    page.map = frame_map(scene, bounds, Rect{area.x, y0, area.w, map_h}, page.device_px);
    const Rect box = page.map.map_box();
    const double legend_x = std::clamp(box.x, area.x, std::max(area.x, area.x + area.w - under_w));
    page.legend = legend.place(legend_x, y0 + map_h + 2.0 * gap, true, area.w);
}

}  // namespace

PageLayout layout_page(cairo_t* cr,
                       const pipeline::Scene& scene,
                       const styles::StyleSettings& style,
                       double page_w,
                       double page_h,
                       double device_px) {
    PageLayout page;
    page.page_w = page_w;
    page.page_h = page_h;
    page.device_px = device_px;
    const double u = std::min(page_w, page_h) / 360.0;
    const PageMetrics m{u, 12.0 * u, 6.0 * u, page_w - 2.0 * 12.0 * u};
    const double top = place_title(cr, page, scene, style, m);
    const double bottom = place_footer(cr, page, scene, style, m);

    const Rect area{m.margin, top, std::max(0.0, page_w - 2.0 * m.margin), std::max(0.0, bottom - top)};
    page.area = area;
    page.gap = m.gap;
    const geo::Box<geo::Projected> bounds = pipeline::scene_bounds(scene);
    const Legend legend(cr, scene, style, 7.5 * u, page_w * 0.3);
    if (legend.empty()) {
        page.map = frame_map(scene, bounds, area, device_px);
        page.labels = place_scene_labels(cr, page, scene, style, u);
        return page;
    }

    // Beside: a column on the right. Under: wrapped rows below the map. Whichever lets the map be larger.
    const double beside_w = std::max(0.0, area.w - legend.width() - 2.0 * m.gap);
    const double scale_beside = fit_scale(bounds, beside_w, area.h);
    const auto [under_w, under_h] = legend.horizontal_size(area.w);
    const double scale_under = fit_scale(bounds, area.w, std::max(0.0, area.h - under_h - 2.0 * m.gap));
    // A histogram legend needs its column (bars run to the right of the labels).
    const bool under = scene.legend_layout == styles::LegendLayout::horizontal ||
                       (!scene.legend_histogram && scale_under > scale_beside * 1.05);
    if (under) {
        place_under(page, scene, bounds, legend, under_w, under_h, scale_under);
    } else {
        place_beside(page, scene, bounds, legend, beside_w, scale_beside);
    }
    page.labels = place_scene_labels(cr, page, scene, style, u);
    return page;
}

PreparedFrame prepare_frame(const pipeline::Scene& scene, const styles::StyleSettings& style, const MapFrame& map) {
    PreparedFrame p;
    if (map.empty) {
        return p;
    }
    if (!scene.context.empty()) {
        p.context = prepare_nonempty_shapes(scene.context, map.t, map.visible);
        p.context_all.reserve(p.context.size());
        for (const auto& shape : p.context) {
            p.context_all.push_back(&shape);
        }
        p.context_borders = border_runs(p.context_all);
    }
    const GeometryLayers layers{&scene.features, &scene.overlay, nullptr, nullptr};
    p.layers = prepare_layers(scene, layers, map.t, map.visible, style);
    return p;
}

void draw_prepared_frame(cairo_t* cr,
                         const pipeline::Scene& scene,
                         const styles::StyleSettings& style,
                         const MapFrame& map,
                         const PreparedFrame& prepared) {
    if (map.empty) {
        return;
    }
    SavedState saved(cr);
    if (map.clip) {
        cairo_rectangle(cr, map.frame.x, map.frame.y, map.frame.w, map.frame.h);
        cairo_clip(cr);
    }
    draw_water(cr, scene, map.t);
    draw_graticule(cr, scene, map.t);
    draw_context(cr, prepared, style, map.t.unit);
    // Hatches span the frame, not the clip: the same lines in every band (map.cpp).
    MarkScale marks;
    marks.hatch_area = map.frame;
    draw_prepared_layers(cr, prepared.layers, style, map.t.unit, marks);
    draw_sphere_outline(cr, scene, map.t);
    draw_insets(cr, scene.insets, map.t);
}

void draw_frame(cairo_t* cr, const pipeline::Scene& scene, const styles::StyleSettings& style, const MapFrame& map) {
    draw_prepared_frame(cr, scene, style, map, prepare_frame(scene, style, map));
}

void draw_labels(cairo_t* cr, const std::vector<PlacedLabel>& labels) {
    for (const auto& label : labels) {
        if (!label.block) {
            continue;
        }
        SavedState saved(cr);
        if (label.callout) {
            // The leader runs from the feature to the nearest point of the label's box.
            cairo_new_path(cr);
            cairo_move_to(cr, label.anchor_x, label.anchor_y);
            cairo_line_to(cr, label.leader_x, label.leader_y);
            set_color(cr, label.block->style().color);
            cairo_set_line_width(cr, leader_width);
            cairo_stroke(cr);
        }
        label.block->draw_with_halo(cr, label.x, label.y, label_halo, label_halo_width);
    }
}

void draw_page_ground(cairo_t* cr, const PageLayout& page, const styles::StyleSettings& style) {
    set_color(cr, style.background);
    cairo_paint(cr);
    for (const auto& p : page.title) {
        p.block->draw(cr, p.x, p.y);
    }
    for (const auto& p : page.notes) {
        p.block->draw(cr, p.x, p.y);
    }
    if (page.legend.title) {
        page.legend.title->block->draw(cr, page.legend.title->x, page.legend.title->y);
    }
    for (std::size_t i = 0; i < page.legend.items.size(); ++i) {
        draw_swatch(cr, page.legend.items[i], page.legend.swatches[i], style);
        page.legend.labels[i].block->draw(cr, page.legend.labels[i].x, page.legend.labels[i].y);
        if (i < page.legend.bars.size() && page.legend.bars[i].w > 0.0) {
            const Rect& b = page.legend.bars[i];
            SavedState saved(cr);
            cairo_new_path(cr);
            cairo_rectangle(cr, b.x, b.y, b.w, b.h);
            set_color(cr, page.legend.items[i].color);
            cairo_fill_preserve(cr);
            set_color(cr, styles::Color{120, 120, 120, 255});
            cairo_set_line_width(cr, 0.3);
            cairo_stroke(cr);
        }
        if (i < page.legend.counts.size() && page.legend.counts[i].block) {
            page.legend.counts[i].block->draw(cr, page.legend.counts[i].x, page.legend.counts[i].y);
        }
    }
}

void draw_page(cairo_t* cr, const PageLayout& page, const pipeline::Scene& scene, const styles::StyleSettings& style) {
    draw_page_ground(cr, page, style);
    draw_frame(cr, scene, style, page.map);
    draw_labels(cr, page.labels);
}

}  // namespace choro::render::detail
