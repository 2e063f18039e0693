// The legend: a title, then one row per item with its swatch (fill, holdout hatch or state-ban hatch).

#include <algorithm>
#include <memory>

#include "detail/cairo_map.hpp"

namespace choro::render::detail {

namespace {

constexpr styles::Color swatch_outline{120, 120, 120, 255};

}  // namespace

Legend::Legend(
    cairo_t* cr, const pipeline::Scene& scene, const styles::StyleSettings& style, double text_size, double max_width)
    : m_style(style) {
    m_swatch = text_size * 1.6;
    m_gap = text_size * 0.6;
    TextStyle label{style.font, text_size, false, style.text};
    const double label_width = std::max(1.0, max_width - m_swatch - m_gap);
    if (!scene.legend_title.empty()) {
        TextStyle title = label;
        title.bold = true;
        title.size = text_size * 1.12;
        m_title = std::make_unique<TextBlock>(cr, scene.legend_title, title, max_width);
        m_width = m_title->width();
        m_height = m_title->height() + m_gap;
    }
    for (const auto& item : scene.legend) {
        Row row{item, TextBlock(cr, item.label, label, label_width)};
        m_width = std::max(m_width, m_swatch + m_gap + row.text.width());
        m_height += std::max(m_swatch, row.text.height()) + m_gap * 0.5;
        m_rows.push_back(std::move(row));
    }
}

void Legend::draw(cairo_t* cr, double x, double y) const {
    if (m_title) {
        m_title->draw(cr, x, y);
        y += m_title->height() + m_gap;
    }
    for (const auto& row : m_rows) {
        const double h = std::max(m_swatch, row.text.height());
        const double sy = y + (h - m_swatch) / 2.0;
        {
            SavedState saved(cr);
            cairo_new_path(cr);
            cairo_rectangle(cr, x, sy, m_swatch, m_swatch);
            // Hatch items carry the hatch colour; their ground is the light fill of a county with
            // none, as on the map, so the hatch reads as a hatch and not as a solid class colour.
            set_color(cr, row.item.swatch == styles::Swatch::fill ? row.item.color : m_style.zero);
            cairo_fill_preserve(cr);
            switch (row.item.swatch) {
                case styles::Swatch::fill:
                    set_color(cr, swatch_outline);
                    cairo_set_line_width(cr, 0.4);
                    cairo_stroke(cr);
                    break;
                case styles::Swatch::hatch: {
                    cairo_clip(cr);
                    set_color(cr, m_style.highlight, holdout_hatch.alpha);
                    hatch_clip(cr, holdout_hatch);
                    cairo_reset_clip(cr);
                    // Inset so the whole outline lies inside the swatch, like the map outline.
                    const double w = holdout_outline_width;
                    cairo_rectangle(cr, x + w / 2, sy + w / 2, m_swatch - w, m_swatch - w);
                    cairo_set_line_width(cr, w);
                    cairo_stroke(cr);
                    break;
                }
                case styles::Swatch::partial_hatch: {
                    cairo_clip(cr);
                    set_color(cr, m_style.highlight, partial_hatch.alpha);
                    hatch_clip(cr, partial_hatch);
                    cairo_reset_clip(cr);
                    const double w = partial_outline_width;
                    cairo_rectangle(cr, x + w / 2, sy + w / 2, m_swatch - w, m_swatch - w);
                    cairo_set_line_width(cr, w);
                    cairo_stroke(cr);
                    break;
                }
                case styles::Swatch::overlay_hatch:
                case styles::Swatch::overlay_enacted: {
                    const bool enacted = row.item.swatch == styles::Swatch::overlay_enacted;
                    const HatchMark& mark = enacted ? enacted_ban_hatch : state_ban_hatch;
                    cairo_clip(cr);
                    set_color(cr, m_style.highlight, mark.alpha);
                    hatch_clip(cr, mark);
                    cairo_rectangle(cr, x, sy, m_swatch, m_swatch);
                    set_color(cr, m_style.highlight, enacted ? enacted_ban_band_alpha : state_ban_band_alpha);
                    cairo_set_line_width(cr, state_ban_band_width);
                    cairo_stroke(cr);
                    cairo_reset_clip(cr);
                    cairo_rectangle(cr, x, sy, m_swatch, m_swatch);
                    set_color(cr, m_style.overlay_border);
                    cairo_set_line_width(cr, 0.8);
                    cairo_stroke(cr);
                    break;
                }
            }
        }
        row.text.draw(cr, x + m_swatch + m_gap, y + (h - row.text.height()) / 2.0);
        y += h + m_gap * 0.5;
    }
}

}  // namespace choro::render::detail
