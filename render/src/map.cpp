// Page layout of a publication map and its three outputs (PNG through libspng, PDF and SVG through Cairo).

#include "choro/render/map.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/cairo.hpp"
#include "detail/cairo_map.hpp"
#include "detail/furniture.hpp"
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace choro::render {

namespace detail {

namespace {

constexpr styles::Color note_grey{110, 110, 110, 255};
constexpr styles::Color inset_grey{150, 150, 150, 255};
constexpr styles::Color context_grey{232, 232, 232, 255};

/// True when some geometry reaches outside `bounds` (then the map frame must clip).
bool spills(const pipeline::Scene& scene, const geo::Box<geo::Projected>& bounds) {
    const auto outside = [&](const geo::MultiPolygon<geo::Projected>& mp) {
        const auto b = geo::envelope(mp);
        return !b.empty() &&
               (b.min.x < bounds.min.x || b.min.y < bounds.min.y || b.max.x > bounds.max.x || b.max.y > bounds.max.y);
    };
    return std::any_of(scene.features.begin(), scene.features.end(), outside) ||
           std::any_of(scene.overlay.begin(), scene.overlay.end(), outside) ||
           std::any_of(scene.context.begin(), scene.context.end(), outside);
}

/// Neighbours (a batch map's other groups): light grey fills, borders in the background colour,
/// under everything the map is about.
void draw_context(cairo_t* cr,
                  const pipeline::Scene& scene,
                  const styles::StyleSettings& style,
                  const PageTransform& t,
                  const geo::Box<geo::Projected>& visible) {
    if (scene.context.empty()) {
        return;
    }
    std::vector<Shape> shapes;
    shapes.reserve(scene.context.size());
    for (const auto& g : scene.context) {
        Shape shape = prepare_shape(g, t, visible);
        if (!shape.empty()) {
            shapes.push_back(std::move(shape));
        }
    }
    std::vector<const Shape*> all;
    all.reserve(shapes.size());
    for (const auto& shape : shapes) {
        all.push_back(&shape);
    }
    draw_fills(cr, shapes, std::vector<styles::Color>(shapes.size(), context_grey), t.unit);
    draw_borders(cr, all, style.background, style.border_width, t.unit);
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
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
    }
}

void draw_geometry(cairo_t* cr,
                   const pipeline::Scene& scene,
                   const styles::StyleSettings& style,
                   const Rect& frame,
                   double device_px) {
    const geo::Box<geo::Projected> bounds = pipeline::scene_bounds(scene);
    if (bounds.empty()) {
        return;
    }
    const PageTransform t = fit(bounds, frame, device_px);
    SavedState saved(cr);
    geo::Box<geo::Projected> visible;  // empty: everything is visible
    if (spills(scene, bounds)) {
        // Only what lies inside the frame is drawn; polygons wholly outside are not even prepared,
        // and rings far larger than the frame are cut a little beyond it (wider than any line).
        const double margin = 8.0 / t.scale;
        visible.extend(geo::Projected{bounds.min.x + (frame.x - t.origin_x) / t.scale - margin,
                                      bounds.max.y + (t.origin_y - frame.y) / t.scale + margin});
        visible.extend(geo::Projected{bounds.min.x + (frame.x + frame.w - t.origin_x) / t.scale + margin,
                                      bounds.max.y - (frame.y + frame.h - t.origin_y) / t.scale - margin});
        cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
        cairo_clip(cr);
    }
    draw_water(cr, scene, t);
    draw_graticule(cr, scene, t);
    draw_context(cr, scene, style, t, visible);
    const GeometryLayers layers{&scene.features, &scene.overlay, nullptr, nullptr};
    draw_geometry_layers(cr, scene, layers, t, visible, style, MarkScale{});
    draw_sphere_outline(cr, scene, t);
    draw_insets(cr, scene.insets, t);
}

}  // namespace

void draw_map(cairo_t* cr,
              const pipeline::Scene& scene,
              const styles::StyleSettings& style,
              double page_w,
              double page_h,
              double device_px) {
    // Sizes follow the page: a 2400x1500 px map at 300 dpi (576x360 pt) has a 16 pt title.
    const double u = std::min(page_w, page_h) / 360.0;
    const double margin = 12.0 * u;
    const double gap = 6.0 * u;

    set_color(cr, style.background);
    cairo_paint(cr);

    const double text_width = page_w - 2.0 * margin;
    double top = margin;
    if (!scene.title.empty()) {
        const TextBlock title(cr, scene.title, {style.font, 16.0 * u, true, style.text}, text_width);
        title.draw(cr, margin, top);
        top += title.height();
    }
    if (!scene.subtitle.empty()) {
        const TextBlock subtitle(cr, scene.subtitle, {style.font, 10.0 * u, false, style.text}, text_width);
        subtitle.draw(cr, margin, top);
        top += subtitle.height();
    }
    if (top > margin) {
        top += gap;
    }

    // Footer: notes, then the source note, bottom-up from the margin.
    std::vector<TextBlock> footer;
    for (const auto& line : scene.notes) {
        footer.emplace_back(cr, line, TextStyle{style.font, 6.5 * u, false, note_grey}, text_width);
    }
    if (!scene.source_note.empty()) {
        footer.emplace_back(cr, scene.source_note, TextStyle{style.font, 6.5 * u, false, note_grey}, text_width);
    }
    double footer_h = 0.0;
    for (const auto& block : footer) {
        footer_h += block.height();
    }
    double y = page_h - margin - footer_h;
    for (const auto& block : footer) {
        block.draw(cr, margin, y);
        y += block.height();
    }
    const double bottom = page_h - margin - footer_h - (footer_h > 0.0 ? gap : 0.0);

    // Legend in a column on the right, its bottom level with the map frame's bottom.
    const Legend legend(cr, scene, style, 7.5 * u, page_w * 0.3);
    double right = page_w - margin;
    if (!legend.empty()) {
        legend.draw(cr, right - legend.width(), std::max(top, bottom - legend.height()));
        right -= legend.width() + 2.0 * gap;
    }

    const Rect frame{margin, top, std::max(0.0, right - margin), std::max(0.0, bottom - top)};
    draw_geometry(cr, scene, style, frame, device_px);
}

}  // namespace detail

namespace {

constexpr int max_side = 20000;
// A fixed date keeps PDFs byte-identical across runs (Cairo would write the current time).
constexpr const char* pdf_date = "2000-01-01T00:00:00Z";

void check_size(const MapSize& size, const std::string& path) {
    if (size.width <= 0 || size.height <= 0 || size.dpi <= 0) {
        throw JobError(path,
                       0,
                       0,
                       "map size " + std::to_string(size.width) + "x" + std::to_string(size.height) + " at " +
                           std::to_string(size.dpi) + " dpi: width, height and dpi must be positive");
    }
    if (size.width > max_side || size.height > max_side) {
        throw LimitError((path.empty() ? std::string() : path + ": ") + "map size " + std::to_string(size.width) + "x" +
                         std::to_string(size.height) + " exceeds the limit of " + std::to_string(max_side) +
                         " px per side");
    }
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

Image draw_image(const pipeline::Scene& scene,
                 const styles::StyleSettings& style,
                 const MapSize& size,
                 const std::string& path) {
    check_size(size, path);
    detail::CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size.width, size.height));
    detail::check_surface(surface.get(), path, "cannot create the image surface");
    detail::CairoPtr cr(cairo_create(surface.get()));
    detail::check_context(cr.get(), path, "cannot create the drawing context");
    const double scale = size.dpi / 72.0;
    cairo_scale(cr.get(), scale, scale);
    detail::draw_map(cr.get(), scene, style, size.width / scale, size.height / scale, 1.0 / scale);
    detail::check_context(cr.get(), path, "drawing failed");
    cairo_surface_flush(surface.get());
    detail::check_surface(surface.get(), path, "drawing failed");
    return detail::to_image(surface.get());
}

std::string renumber_svg_surfaces(const std::string& svg);

/// Draws onto a PDF or SVG surface writing into a string.
std::string draw_vector(const pipeline::Scene& scene,
                        const styles::StyleSettings& style,
                        const MapSize& size,
                        Format format,
                        const std::string& path) {
    check_size(size, path);
    const double page_w = size.width * 72.0 / size.dpi;
    const double page_h = size.height * 72.0 / size.dpi;
    std::string bytes;
    detail::CairoSurfacePtr surface;
    if (format == Format::pdf) {
        surface.reset(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, page_w, page_h));
        detail::check_surface(surface.get(), path, "cannot create the PDF surface");
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, scene.title.c_str());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "choro");
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, pdf_date);
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, pdf_date);
    } else {
        surface.reset(cairo_svg_surface_create_for_stream(append_bytes, &bytes, page_w, page_h));
        detail::check_surface(surface.get(), path, "cannot create the SVG surface");
    }
    {
        detail::CairoPtr cr(cairo_create(surface.get()));
        detail::check_context(cr.get(), path, "cannot create the drawing context");
        detail::draw_map(cr.get(), scene, style, page_w, page_h, 72.0 / size.dpi);
        detail::check_context(cr.get(), path, "drawing failed");
        cairo_show_page(cr.get());
    }
    cairo_surface_finish(surface.get());
    detail::check_surface(surface.get(), path, "cannot finish the output");
    return format == Format::svg ? renumber_svg_surfaces(bytes) : bytes;
}

/// Cairo 1.16 names SVG groups after its process-wide surface counter (`id="surface127"`), so the
/// same map drawn twice would differ. Renumber them 1, 2, … in order of first appearance; references
/// (`#surfaceN`) get the same new numbers, so the document stays consistent.
std::string renumber_svg_surfaces(const std::string& svg) {
    constexpr std::string_view word = "surface";
    std::string out;
    out.reserve(svg.size());
    std::vector<std::pair<std::string, std::string>> seen;  // old digits → new digits (a handful)
    std::size_t at = 0;
    while (true) {
        const std::size_t hit = svg.find(word, at);
        if (hit == std::string::npos) {
            out.append(svg, at, std::string::npos);
            break;
        }
        std::size_t end = hit + word.size();
        while (end < svg.size() && svg[end] >= '0' && svg[end] <= '9') {
            ++end;
        }
        const bool is_id = hit > 0 && (svg[hit - 1] == '"' || svg[hit - 1] == '#') && end > hit + word.size();
        out.append(svg, at, hit + word.size() - at);
        if (is_id) {
            const std::string digits = svg.substr(hit + word.size(), end - hit - word.size());
            auto found = std::find_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == digits; });
            if (found == seen.end()) {
                seen.emplace_back(digits, std::to_string(seen.size() + 1));
                found = seen.end() - 1;
            }
            out += found->second;
            at = end;
        } else {
            at = hit + word.size();
        }
    }
    return out;
}

void write_output(const std::filesystem::path& target, const std::string& bytes) {
    geo::write_file_atomic(target, bytes);  // every write, the flush and the close checked, with the OS reason
}

}  // namespace

Format format_from_path(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(
        ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".png") {
        return Format::png;
    }
    if (ext == ".svg") {
        return Format::svg;
    }
    if (ext == ".pdf") {
        return Format::pdf;
    }
    throw JobError(
        path.string(), 0, 0, "unknown output format '" + path.extension().string() + "': expected .png, .svg or .pdf");
}

std::string renderer_versions() {
    return std::string("cairo ") + cairo_version_string() + ", pango " + pango_version_string();
}

Image render_map_image(const pipeline::Scene& scene, const styles::StyleSettings& style, const MapSize& size) {
    return draw_image(scene, style, size, "");
}

void render_atlas_pdf(const std::string& title,
                      const std::vector<const pipeline::Scene*>& scenes,
                      const styles::StyleSettings& style,
                      const MapSize& size,
                      const std::filesystem::path& out) {
    const std::string path = out.string();
    check_size(size, path);
    const double page_w = size.width * 72.0 / size.dpi;
    const double page_h = size.height * 72.0 / size.dpi;
    const double u = std::min(page_w, page_h) / 360.0;
    const double margin = 12.0 * u;
    const double line = 9.5 * u;
    // Contents: up to three columns of entries per page, as many pages as needed.
    const double title_h = 28.0 * u;
    const auto per_column = static_cast<std::size_t>(std::max(1.0, (page_h - 2.0 * margin - title_h) / line));
    constexpr std::size_t columns = 3;
    const std::size_t per_page = per_column * columns;
    const std::size_t contents_pages = std::max<std::size_t>(1, (scenes.size() + per_page - 1) / per_page);

    std::string bytes;
    detail::CairoSurfacePtr surface(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, page_w, page_h));
    detail::check_surface(surface.get(), path, "cannot create the PDF surface");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "choro");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, pdf_date);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, pdf_date);
    {
        detail::CairoPtr cr(cairo_create(surface.get()));
        detail::check_context(cr.get(), path, "cannot create the drawing context");
        const double col_w = (page_w - 2.0 * margin) / static_cast<double>(columns);
        for (std::size_t p = 0; p < contents_pages; ++p) {
            detail::set_color(cr.get(), style.background);
            cairo_paint(cr.get());
            const detail::TextBlock heading(cr.get(),
                                            title.empty() ? std::string("Contents") : title,
                                            {style.font, 14.0 * u, true, style.text},
                                            page_w - 2.0 * margin);
            heading.draw(cr.get(), margin, margin);
            for (std::size_t k = 0; k < per_page; ++k) {
                const std::size_t i = p * per_page + k;
                if (i >= scenes.size()) {
                    break;
                }
                const double x = margin + static_cast<double>(k / per_column) * col_w;
                const double y = margin + title_h + static_cast<double>(k % per_column) * line;
                const std::string entry = std::to_string(contents_pages + i + 1) + "  " + scenes[i]->title;
                const detail::TextBlock text(
                    cr.get(), entry, {style.font, 7.0 * u, false, style.text}, col_w - 4.0 * u);
                text.draw(cr.get(), x, y);
            }
            cairo_show_page(cr.get());
        }
        for (const pipeline::Scene* scene : scenes) {
            detail::draw_map(cr.get(), *scene, style, page_w, page_h, 72.0 / size.dpi);
            detail::check_context(cr.get(), path, "drawing failed");
            cairo_show_page(cr.get());
        }
        detail::check_context(cr.get(), path, "drawing failed");
    }
    cairo_surface_finish(surface.get());
    detail::check_surface(surface.get(), path, "cannot finish the output");
    write_output(out, bytes);
}

Image render_frame_image(const pipeline::Scene& scene, const styles::StyleSettings& style, const MapSize& size) {
    check_size(size, "");
    detail::CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size.width, size.height));
    detail::check_surface(surface.get(), "", "cannot create the image surface");
    detail::CairoPtr cr(cairo_create(surface.get()));
    detail::check_context(cr.get(), "", "cannot create the drawing context");
    const double scale = size.dpi / 72.0;
    cairo_scale(cr.get(), scale, scale);
    const detail::Rect frame{0.0, 0.0, size.width / scale, size.height / scale};
    detail::draw_geometry(cr.get(), scene, style, frame, 1.0 / scale);
    detail::check_context(cr.get(), "", "drawing failed");
    return detail::to_image(surface.get());
}

void render_map(const pipeline::Scene& scene,
                const styles::StyleSettings& style,
                const MapSize& size,
                const std::filesystem::path& out) {
    const Format format = format_from_path(out);
    const std::string path = out.string();
    std::string bytes;
    if (format == Format::png) {
        const Image image = draw_image(scene, style, size, path);
        try {
            bytes = encode_png(image, PngOptions{.dpi = size.dpi});
        } catch (const RenderError& e) {
            throw RenderError(path, e.what());
        }
    } else {
        bytes = draw_vector(scene, style, size, format, path);
    }
    write_output(out, bytes);
}

}  // namespace choro::render
