// The legend: a title, then one swatch and label per item (fill, holdout hatch or state-ban hatch),
// in a column beside the map or in wrapped rows under it.

#include <algorithm>
#include <memory>
#include <utility>

#include "detail/cairo_map.hpp"

#include "choro/render/describe.hpp"

namespace choro::render::detail {

namespace {

constexpr styles::Color swatch_outline{120, 120, 120, 255};

}  // namespace

Legend::Legend(
    cairo_t* cr, const pipeline::Scene& scene, const styles::StyleSettings& style, double text_size, double max_width) {
    m_swatch = text_size * 1.6;
    m_gap = text_size * 0.6;
    TextStyle label{style.font, text_size, false, style.text};
    const double label_width = std::max(1.0, max_width - m_swatch - m_gap);
    if (!scene.legend_title.empty()) {
        TextStyle title = label;
        title.bold = true;
        title.size = text_size * 1.12;
        m_title = std::make_shared<const TextBlock>(cr, scene.legend_title, title, max_width);
        m_width = m_title->width();
        m_height = m_title->height() + m_gap;
    }
    m_histogram = scene.legend_histogram && scene.legend_layout == styles::LegendLayout::vertical;
    m_bar_max = text_size * 8.0;
    double counts_w = 0.0;
    for (const auto& item : scene.legend) {
        Row row{item, std::make_shared<const TextBlock>(cr, item.label, label, label_width)};
        m_width = std::max(m_width, m_swatch + m_gap + row.text->width());
        if (item.swatch == styles::Swatch::fill) {
            m_label_w = std::max(m_label_w, row.text->width());  // bars align after the class labels
        }
        m_height += std::max(m_swatch, row.text->height()) + m_gap * 0.5;
        m_rows.push_back(std::move(row));
        std::shared_ptr<const TextBlock> count;
        if (m_histogram && item.swatch == styles::Swatch::fill) {
            TextStyle small = label;
            small.size = text_size * 0.85;
            count = std::make_shared<const TextBlock>(cr, format_value(static_cast<double>(item.count)), small);
            counts_w = std::max(counts_w, count->width());
            m_max_share = std::max(m_max_share, item.share);
        }
        m_counts.push_back(std::move(count));
    }
    if (m_histogram) {
        m_width = std::max(m_width, m_swatch + m_gap + m_label_w + m_gap + m_bar_max + m_gap * 0.5 + counts_w);
    }
}

std::pair<double, double> Legend::horizontal_size(double max_width) const {
    const LegendLayout l = place(0.0, 0.0, true, max_width);
    return {l.box.w, l.box.h};
}

LegendLayout Legend::place(double x, double y, bool horizontal, double max_width) const {
    LegendLayout out;
    out.horizontal = horizontal;
    double right = x;
    double cy = y;
    if (m_title) {
        out.title = PlacedText{m_title, x, cy};
        right = x + m_title->width();
        cy += m_title->height() + m_gap;
    }
    if (!horizontal) {
        for (const auto& row : m_rows) {
            const double h = std::max(m_swatch, row.text->height());
            out.items.push_back(row.item);
            out.swatches.push_back(Rect{x, cy + (h - m_swatch) / 2.0, m_swatch, m_swatch});
            out.labels.push_back(PlacedText{row.text, x + m_swatch + m_gap, cy + (h - row.text->height()) / 2.0});
            right = std::max(right, x + m_swatch + m_gap + row.text->width());
            if (m_histogram) {
                const std::size_t k = out.items.size() - 1;
                const double bx = x + m_swatch + m_gap + m_label_w + m_gap;
                const double len = m_max_share > 0.0 && m_counts[k] ? m_bar_max * row.item.share / m_max_share : 0.0;
                const double bh = m_swatch * 0.6;
                out.bars.push_back(Rect{bx, cy + (h - bh) / 2.0, len, bh});
                if (m_counts[k]) {
                    const auto& c = m_counts[k];
                    out.counts.push_back(PlacedText{c, bx + len + m_gap * 0.5, cy + (h - c->height()) / 2.0});
                    right = std::max(right, bx + len + m_gap * 0.5 + c->width());
                } else {
                    out.counts.push_back(PlacedText{});
                }
            }
            cy += h + m_gap * 0.5;
        }
        out.box = Rect{x, y, right - x, cy - y};
        return out;
    }
    // Items side by side, wrapping to a new row at max_width.
    double cx = x;
    double row_h = 0.0;
    for (const auto& row : m_rows) {
        const double w = m_swatch + m_gap + row.text->width();
        const double h = std::max(m_swatch, row.text->height());
        if (cx > x && cx + w > x + max_width) {
            cx = x;
            cy += row_h + m_gap * 0.5;
            row_h = 0.0;
        }
        out.items.push_back(row.item);
        out.swatches.push_back(Rect{cx, cy + (h - m_swatch) / 2.0, m_swatch, m_swatch});
        out.labels.push_back(PlacedText{row.text, cx + m_swatch + m_gap, cy + (h - row.text->height()) / 2.0});
        right = std::max(right, cx + w);
        row_h = std::max(row_h, h);
        cx += w + 2.0 * m_gap;
    }
    out.box = Rect{x, y, right - x, cy + row_h - y};
    return out;
}

void draw_swatch(cairo_t* cr, const styles::LegendItem& item, const Rect& box, const styles::StyleSettings& style) {
    const double x = box.x;
    const double sy = box.y;
    const double side = box.w;
    SavedState saved(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, x, sy, side, side);
    // Hatch items carry the hatch colour; their ground is the light fill of a county with
    // none, as on the map, so the hatch reads as a hatch and not as a solid class colour.
    set_color(cr, item.swatch == styles::Swatch::fill ? item.color : style.zero);
    cairo_fill_preserve(cr);
    switch (item.swatch) {
        case styles::Swatch::fill:
            set_color(cr, swatch_outline);
            cairo_set_line_width(cr, 0.4);
            cairo_stroke(cr);
            break;
        case styles::Swatch::hatch:
        case styles::Swatch::partial_hatch: {
            const bool partial = item.swatch == styles::Swatch::partial_hatch;
            const HatchMark& mark = partial ? partial_hatch : holdout_hatch;
            cairo_clip(cr);
            set_color(cr, style.highlight, mark.alpha);
            hatch_clip(cr, mark);
            cairo_reset_clip(cr);
            // Inset so the whole outline lies inside the swatch, like the map outline.
            const double w = partial ? partial_outline_width : holdout_outline_width;
            cairo_rectangle(cr, x + w / 2, sy + w / 2, side - w, side - w);
            cairo_set_line_width(cr, w);
            cairo_stroke(cr);
            break;
        }
        case styles::Swatch::overlay_hatch:
        case styles::Swatch::overlay_enacted: {
            const bool enacted = item.swatch == styles::Swatch::overlay_enacted;
            const HatchMark& mark = enacted ? enacted_ban_hatch : state_ban_hatch;
            cairo_clip(cr);
            set_color(cr, style.highlight, mark.alpha);
            hatch_clip(cr, mark);
            cairo_rectangle(cr, x, sy, side, side);
            set_color(cr, style.highlight, enacted ? enacted_ban_band_alpha : state_ban_band_alpha);
            cairo_set_line_width(cr, state_ban_band_width);
            cairo_stroke(cr);
            cairo_reset_clip(cr);
            cairo_rectangle(cr, x, sy, side, side);
            set_color(cr, style.overlay_border);
            cairo_set_line_width(cr, 0.8);
            cairo_stroke(cr);
            break;
        }
    }
}

}  // namespace choro::render::detail
