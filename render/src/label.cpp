// Text with Pango: titles, notes and legend labels.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "detail/cairo_map.hpp"

namespace choro::render::detail {

TextBlock::TextBlock(cairo_t* cr, const std::string& text, const TextStyle& style, double max_width)
    : m_layout(pango_cairo_create_layout(cr)), m_style(style) {
    if (!m_layout) {
        throw RenderError("", "Pango could not create a text layout");
    }
    // Same glyph positions on every run and at every scale (see deterministic_font_options).
    const CairoFontOptionsPtr options = deterministic_font_options();
    pango_cairo_context_set_font_options(pango_layout_get_context(m_layout.get()), options.get());
    pango_layout_context_changed(m_layout.get());

    PangoFontDescriptionPtr desc(pango_font_description_from_string(style.font.c_str()));
    // Absolute size is in user units, which are points on every surface (PNG surfaces are scaled).
    pango_font_description_set_absolute_size(desc.get(), style.size * PANGO_SCALE);
    pango_font_description_set_weight(desc.get(), style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(m_layout.get(), desc.get());
    if (max_width > 0.0) {
        pango_layout_set_width(m_layout.get(), static_cast<int>(max_width * PANGO_SCALE));
        pango_layout_set_wrap(m_layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(m_layout.get(), text.c_str(), static_cast<int>(text.size()));
    PangoRectangle logical{};
    pango_layout_get_extents(m_layout.get(), nullptr, &logical);
    m_width = static_cast<double>(logical.x + logical.width) / PANGO_SCALE;
    m_height = static_cast<double>(logical.height) / PANGO_SCALE;
}

std::vector<TextLine> TextBlock::lines() const {
    std::vector<TextLine> out;
    const char* text = pango_layout_get_text(m_layout.get());
    struct IterDeleter {
        void operator()(PangoLayoutIter* it) const noexcept { pango_layout_iter_free(it); }
    };
    const std::unique_ptr<PangoLayoutIter, IterDeleter> it(pango_layout_get_iter(m_layout.get()));
    do {
        const PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it.get());
        PangoRectangle logical{};
        pango_layout_iter_get_line_extents(it.get(), nullptr, &logical);
        std::string s(text + line->start_index, static_cast<std::size_t>(line->length));
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
            s.pop_back();  // the break itself is not drawn
        }
        out.push_back(TextLine{std::move(s),
                               static_cast<double>(logical.x) / PANGO_SCALE,
                               static_cast<double>(pango_layout_iter_get_baseline(it.get())) / PANGO_SCALE});
    } while (pango_layout_iter_next_line(it.get()));
    return out;
}

void TextBlock::draw_with_halo(cairo_t* cr, double x, double y, const styles::Color& halo, double halo_width) const {
    {
        SavedState saved(cr);
        cairo_new_path(cr);
        cairo_move_to(cr, x, y);
        pango_cairo_update_layout(cr, m_layout.get());
        pango_cairo_layout_path(cr, m_layout.get());
        set_color(cr, halo);
        cairo_set_line_width(cr, halo_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    draw(cr, x, y);
}

void TextBlock::draw(cairo_t* cr, double x, double y) const {
    SavedState saved(cr);
    set_color(cr, m_style.color);
    cairo_move_to(cr, x, y);
    pango_cairo_update_layout(cr, m_layout.get());
    pango_cairo_show_layout(cr, m_layout.get());
}

}  // namespace choro::render::detail
