// Page layout of a publication map and its three outputs (PNG through libspng, PDF and SVG through Cairo).

#include "choro/render/map.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "detail/cairo.hpp"
#include "detail/cairo_map.hpp"
#include "detail/furniture.hpp"
#include "detail/page.hpp"
#include "detail/parallel.hpp"
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <sys/mman.h>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace choro::render {

namespace detail {

void draw_map(cairo_t* cr,
              const pipeline::Scene& scene,
              const styles::StyleSettings& style,
              double page_w,
              double page_h,
              double device_px) {
    const PageLayout page = layout_page(cr, scene, style, page_w, page_h, device_px);
    draw_page(cr, page, scene, style);
}

}  // namespace detail

namespace {

constexpr int max_side = 20000;
// Bands a PNG map's frame is drawn in (draw_frame_in_bands): enough to keep two to four cores
// busy whatever the geometry's spread; each band walks every shape.
constexpr int map_bands = 4;
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

constexpr std::size_t huge_page = std::size_t{2} << 20;

/// Bytes of the mapping behind a surface of `width`×`height` (whole huge pages); 0 when the
/// surface is too small to be worth its own mapping.
std::size_t mapping_size(int width, int height) {
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width);
    const std::size_t bytes = static_cast<std::size_t>(std::max(stride, 0)) * static_cast<std::size_t>(height);
    return bytes < huge_page ? 0 : (bytes + huge_page - 1) / huge_page * huge_page;
}

/// Anonymous memory of `size` bytes, transparent huge pages advised (a hint: refused, the pages
/// stay small); with `touch`, every page faulted in (zeroed by the kernel) before it returns.
/// Null when the system refuses the mapping.
void* map_memory(std::size_t size, bool touch) {
    void* memory = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        return nullptr;
    }
    (void)::madvise(memory, size, MADV_HUGEPAGE);
    if (touch) {
        auto* bytes = static_cast<volatile unsigned char*>(memory);
        for (std::size_t at = 0; at < size; at += 4096) {
            bytes[at] = 0;
        }
    }
    return memory;
}

/// Memory for the next map's surface, being faulted in on a thread of its own
/// (start_canvas_setup); taken by the first new_surface() of that size.
struct ReservedCanvas {
    std::mutex lock;
    std::future<void*> memory;
    int width = 0;
    int height = 0;
};

ReservedCanvas& reserved_canvas() {
    static ReservedCanvas reserved;
    return reserved;
}

/// A new image surface of `width`×`height`, transparent, on memory of its own mapped with
/// transparent huge pages where the system allows them (madvise), or on the memory
/// start_canvas_setup() faulted in beforehand: on this project's VM the kernel takes about 30 ms
/// to zero the 14 MB of a 2400x1500 map on first touch, serial work before the bands start.
/// Falls back to Cairo's own allocation.
cairo_surface_t* new_surface(int width, int height) {
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width);
    const std::size_t mapped = mapping_size(width, height);
    if (stride <= 0 || mapped == 0) {
        return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    }
    void* memory = nullptr;
    {
        ReservedCanvas& r = reserved_canvas();
        const std::scoped_lock guard(r.lock);
        if (r.memory.valid() && r.width == width && r.height == height) {
            memory = r.memory.get();
        }
    }
    if (memory == nullptr) {
        memory = map_memory(mapped, false);
    }
    if (memory == nullptr) {
        return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    }
    cairo_surface_t* surface = cairo_image_surface_create_for_data(
        static_cast<unsigned char*>(memory), CAIRO_FORMAT_ARGB32, width, height, stride);
    struct Mapping {
        void* memory;
        std::size_t size;
    };
    static const cairo_user_data_key_t key{};
    auto* mapping = new Mapping{memory, mapped};
    const cairo_status_t attached = cairo_surface_set_user_data(surface, &key, mapping, [](void* p) {
        const auto* m = static_cast<Mapping*>(p);
        ::munmap(m->memory, m->size);
        delete m;
    });
    if (attached != CAIRO_STATUS_SUCCESS) {  // a surface in error: Cairo's own allocation instead
        cairo_surface_destroy(surface);
        ::munmap(memory, mapped);
        delete mapping;
        return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    }
    return surface;
}

/// This thread's image surface of `width`×`height`, cleared to transparent: kept from one map to
/// the next (a batch draws many maps of one size, and a fresh surface costs its page faults every
/// time). Surfaces over 16 megapixels are not kept.
cairo_surface_t* thread_surface(int width, int height, const std::string& path, detail::CairoSurfacePtr& own) {
    constexpr long long keep_up_to = 16LL << 20;
    thread_local detail::CairoSurfacePtr kept;
    if (static_cast<long long>(width) * height > keep_up_to) {
        own.reset(new_surface(width, height));
        detail::check_surface(own.get(), path, "cannot create the image surface");
        return own.get();
    }
    if (kept && cairo_surface_status(kept.get()) == CAIRO_STATUS_SUCCESS &&
        cairo_image_surface_get_width(kept.get()) == width && cairo_image_surface_get_height(kept.get()) == height) {
        cairo_surface_flush(kept.get());
        unsigned char* data = cairo_image_surface_get_data(kept.get());
        std::memset(data, 0, static_cast<std::size_t>(cairo_image_surface_get_stride(kept.get())) * height);
        cairo_surface_mark_dirty(kept.get());
        return kept.get();
    }
    kept.reset(new_surface(width, height));
    detail::check_surface(kept.get(), path, "cannot create the image surface");
    return kept.get();
}

/// The map frame drawn into `surface` in `bands` horizontal bands, each through its own Cairo
/// context on a surface over the band's rows of the same pixels, up to `threads` bands at once.
/// Every band draws the same prepared geometry in the same order, so a band's pixels are those
/// of the whole image drawn in one pass up to the rounding where an edge is cut at a band's top
/// (the output depends on the band count, which is fixed, never on the thread count).
void draw_frame_in_bands(cairo_surface_t* surface,
                         double scale,
                         const pipeline::Scene& scene,
                         const styles::StyleSettings& style,
                         const detail::MapFrame& map,
                         const detail::PreparedFrame& prepared,
                         unsigned threads,
                         const std::string& path) {
    if (map.empty) {
        return;
    }
    const int width = cairo_image_surface_get_width(surface);
    const int height = cairo_image_surface_get_height(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    unsigned char* data = cairo_image_surface_get_data(surface);
    const int bands = std::min(map_bands, height);
    detail::for_each_piece(static_cast<std::size_t>(bands), threads, [&](std::size_t piece) {
        const int k = static_cast<int>(piece);
        const int y0 = static_cast<int>(static_cast<long long>(height) * k / bands);
        const int y1 = static_cast<int>(static_cast<long long>(height) * (k + 1) / bands);
        detail::CairoSurfacePtr band(cairo_image_surface_create_for_data(
            data + static_cast<std::ptrdiff_t>(y0) * stride, CAIRO_FORMAT_ARGB32, width, y1 - y0, stride));
        detail::check_surface(band.get(), path, "cannot create the image surface of a band");
        // The band's device space is the whole image's: what draws in device pixels
        // (draw_dust) lands where it would in one pass.
        cairo_surface_set_device_offset(band.get(), 0.0, -y0);
        detail::CairoPtr cr(cairo_create(band.get()));
        detail::check_context(cr.get(), path, "cannot create the drawing context");
        cairo_scale(cr.get(), scale, scale);
        detail::draw_prepared_frame(cr.get(), scene, style, map, prepared);
        detail::check_context(cr.get(), path, "drawing failed");
        cr.reset();
        cairo_surface_finish(band.get());
        detail::check_surface(band.get(), path, "drawing failed");
    });
}

/// Draws the map on the thread's surface (on `own` when it is too large to keep) and returns it,
/// flushed: the page's ground, then the frame in bands on up to `threads` threads, then labels.
cairo_surface_t* draw_surface(const pipeline::Scene& scene,
                              const styles::StyleSettings& style,
                              const MapSize& size,
                              const std::string& path,
                              detail::CairoSurfacePtr& own,
                              unsigned threads) {
    check_size(size, path);
    cairo_surface_t* surface = thread_surface(size.width, size.height, path, own);
    const double scale = size.dpi / 72.0;
    detail::CairoPtr cr(cairo_create(surface));
    detail::check_context(cr.get(), path, "cannot create the drawing context");
    cairo_scale(cr.get(), scale, scale);
    const detail::PageLayout page =
        detail::layout_page(cr.get(), scene, style, size.width / scale, size.height / scale, 1.0 / scale);
    // The frame's geometry is prepared on a thread while the page's ground is drawn: both only
    // read the scene and the layout.
    std::future<detail::PreparedFrame> prepared;
    const auto prepare = [&] { return detail::prepare_frame(scene, style, page.map); };
    try {
        prepared = std::async(threads > 1 ? std::launch::async : std::launch::deferred, prepare);
    } catch (const std::system_error&) {
        prepared = std::async(std::launch::deferred, prepare);  // no thread to spare
    }
    detail::draw_page_ground(cr.get(), page, style);
    detail::check_context(cr.get(), path, "drawing failed");
    cairo_surface_flush(surface);
    draw_frame_in_bands(surface, scale, scene, style, page.map, prepared.get(), threads, path);
    cairo_surface_mark_dirty(surface);
    detail::draw_labels(cr.get(), page.labels);
    detail::check_context(cr.get(), path, "drawing failed");
    cr.reset();
    cairo_surface_flush(surface);
    detail::check_surface(surface, path, "drawing failed");
    return surface;
}

std::string renumber_svg_surfaces(const std::string& svg);

/// Draws onto a PDF or SVG surface writing into a string.
std::string draw_vector(const pipeline::Scene& scene,
                        const styles::StyleSettings& style,
                        const MapSize& size,
                        Format format,
                        const std::string& path,
                        const std::string& description) {
    check_size(size, path);
    const double page_w = size.width * 72.0 / size.dpi;
    const double page_h = size.height * 72.0 / size.dpi;
    if (format == Format::svg) {
        // Our own writer (text as text, named groups, one path per feature), laid out exactly as
        // the PNG: text measured on a surface at the PNG's scale.
        detail::CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
        detail::check_surface(surface.get(), path, "cannot create the measuring surface");
        detail::CairoPtr cr(cairo_create(surface.get()));
        detail::check_context(cr.get(), path, "cannot create the drawing context");
        cairo_scale(cr.get(), size.dpi / 72.0, size.dpi / 72.0);
        const detail::PageLayout page = detail::layout_page(cr.get(), scene, style, page_w, page_h, 72.0 / size.dpi);
        return detail::write_svg(page, scene, style, description);
    }
    std::string bytes;
    detail::CairoSurfacePtr surface;
    if (format == Format::pdf) {
        surface.reset(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, page_w, page_h));
        detail::check_surface(surface.get(), path, "cannot create the PDF surface");
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, scene.title.c_str());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "choro");
        if (!description.empty()) {
            cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT, description.c_str());
        }
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

void start_canvas_setup(const MapSize& size) {
    if (size.width <= 0 || size.height <= 0 || size.width > max_side || size.height > max_side) {
        return;  // refused later, with the reason
    }
    const std::size_t mapped = mapping_size(size.width, size.height);
    ReservedCanvas& r = reserved_canvas();
    const std::scoped_lock guard(r.lock);
    if (mapped == 0 || r.memory.valid()) {
        return;
    }
    try {
        r.memory = std::async(std::launch::async, [mapped] { return map_memory(mapped, true); });
        r.width = size.width;
        r.height = size.height;
    } catch (const std::system_error&) {
        // No thread to spare: the surface is mapped when it is needed.
    }
}

void start_font_setup() {
    // Pango 1.50 hands fontconfig's initialisation to a thread ("[pango] FcInit") when the font
    // map is made; the map is the calling thread's default, the one its layouts will use.
    (void)pango_cairo_font_map_get_default();
}

MapSize auto_height(const pipeline::Scene& scene, const styles::StyleSettings& style, const MapSize& size) {
    check_size(size, "");
    detail::CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    detail::check_surface(surface.get(), "", "cannot create the measuring surface");
    detail::CairoPtr cr(cairo_create(surface.get()));
    detail::check_context(cr.get(), "", "cannot create the drawing context");
    const double scale = size.dpi / 72.0;
    cairo_scale(cr.get(), scale, scale);
    const double page_w = size.width / scale;
    double page_h = size.height / scale;
    // Text sizes follow the page's shorter side, so the layout is redone a few times; the slack
    // (frame height the fitted map does not use) shrinks to nothing in two or three rounds.
    for (int round = 0; round < 6; ++round) {
        const detail::PageLayout page = detail::layout_page(cr.get(), scene, style, page_w, page_h, 1.0 / scale);
        if (page.map.empty) {
            break;
        }
        const detail::Rect box = page.map.map_box();
        // The height map and legend take; the rest of the area is slack.
        double used = box.h;
        if (!page.legend.empty()) {
            used = page.legend.horizontal ? box.h + 2.0 * page.gap + page.legend.box.h
                                          : std::max(box.h, page.legend.box.h);
        }
        const double slack = page.area.h - used;
        const double next = std::clamp(page_h - slack, 0.25 * page_w, 4.0 * page_w);
        if (std::abs(next - page_h) < 0.5 / scale) {
            page_h = next;
            break;
        }
        page_h = next;
    }
    MapSize out = size;
    out.height = std::clamp(static_cast<int>(std::lround(page_h * scale)), 1, max_side);
    return out;
}

PageBoxes page_boxes(const pipeline::Scene& scene, const styles::StyleSettings& style, const MapSize& size) {
    check_size(size, "");
    detail::CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    detail::check_surface(surface.get(), "", "cannot create the measuring surface");
    detail::CairoPtr cr(cairo_create(surface.get()));
    detail::check_context(cr.get(), "", "cannot create the drawing context");
    const double scale = size.dpi / 72.0;
    cairo_scale(cr.get(), scale, scale);
    const detail::PageLayout page =
        detail::layout_page(cr.get(), scene, style, size.width / scale, size.height / scale, 1.0 / scale);
    const auto box = [](double x, double y, double w, double h) {
        geo::Box<geo::Pixel> b;
        b.extend(geo::Pixel{x, y});
        b.extend(geo::Pixel{x + w, y + h});
        return b;
    };
    PageBoxes out;
    for (const auto& label : page.labels) {
        out.labels.push_back(box(label.x, label.y, label.block->width(), label.block->height()));
        out.label_texts.push_back(label.text);
        out.callouts.push_back(label.callout);
    }
    for (const auto& r : page.obstacles(scene)) {
        out.obstacles.push_back(box(r.x, r.y, r.w, r.h));
    }
    return out;
}

Image render_map_image(const pipeline::Scene& scene, const styles::StyleSettings& style, const MapSize& size) {
    detail::CairoSurfacePtr own;
    return detail::to_image(draw_surface(scene, style, size, "", own, 1));
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
                const std::size_t column = k / per_column;  // whole columns: integer division
                const std::size_t row = k % per_column;
                const double x = margin + static_cast<double>(column) * col_w;
                const double y = margin + title_h + static_cast<double>(row) * line;
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
    detail::draw_frame(cr.get(), scene, style, detail::frame_map(scene, frame, 1.0 / scale));
    detail::check_context(cr.get(), "", "drawing failed");
    return detail::to_image(surface.get());
}

void render_map(const pipeline::Scene& scene,
                const styles::StyleSettings& style,
                const MapSize& size,
                const std::filesystem::path& out,
                const std::string& description,
                unsigned threads) {
    if (threads == 0) {
        threads = std::max(1u, std::thread::hardware_concurrency());
    }
    const Format format = format_from_path(out);
    const std::string path = out.string();
    std::string bytes;
    if (format == Format::png) {
        // Encoded from Cairo's pixels as they are: no straight-RGBA copy of the image.
        detail::CairoSurfacePtr own;
        cairo_surface_t* surface = draw_surface(scene, style, size, path, own, threads);
        const ArgbView pixels{
            cairo_image_surface_get_data(surface), size.width, size.height, cairo_image_surface_get_stride(surface)};
        try {
            // igzip, not libdeflate: on the national map (bench/png_bench.cpp) 18 against 49 ms
            // (libdeflate level 3) for a file 13% larger; a map is encoded once per run and a
            // batch encodes hundreds. Tiles, served many times, keep libdeflate level 6.
            bytes = encode_png(
                pixels,
                PngOptions{.dpi = size.dpi, .level = 3, .fast = true, .threads = threads, .description = description});
        } catch (const RenderError& e) {
            throw RenderError(path, e.what());
        }
    } else {
        bytes = draw_vector(scene, style, size, format, path, description);
    }
    write_output(out, bytes);
}

}  // namespace choro::render
