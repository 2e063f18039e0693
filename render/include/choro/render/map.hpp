#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "choro/pipeline/scene.hpp"
#include "choro/render/image.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/legend.hpp"

/// @file
/// A publication map: the drawing of a scene (choro/pipeline/scene.hpp) with its title, legend and
/// notes, to PNG, SVG or PDF.

namespace choro::render {

/// Output size: `width` × `height` pixels at `dpi`; PDF and SVG get the same physical size in points.
struct MapSize {
    int width = 2400;
    int height = 1500;
    int dpi = 300;
};

enum class Format { png, svg, pdf };

/// The format of an output path from its extension; throws JobError for anything else.
[[nodiscard]] Format format_from_path(const std::filesystem::path& path);

/// Draws the map into `out` (format from the extension), atomically: a temporary file is renamed
/// over `out` only when complete. Deterministic: the same scene gives byte-identical files, also
/// across processes (PDF dates fixed to 2000-01-01, SVG ids renumbered, PNG written by encode_png
/// with the DPI in pHYs).
///
///     choro::render::render_map(scene, job.style, {2400, 1500, 300}, "out/map.pdf");
///
/// Layout, in points (sizes scale with the page; 576x360 pt = 2400x1500 px at 300 dpi has a 16 pt
/// title): title and subtitle top-left, notes and source note bottom-left in small grey text, the
/// legend in a column on the right, the map frame in the rest with `bounds` fitted and centred.
/// Geometry is snapped to a quarter-pixel grid (which keeps shared borders shared), polygons under
/// 0.1 px are skipped, and every border is stroked once however many features share it.
/// `fills` and `highlighted` shorter than `features` are tolerated (no data, not highlighted).
/// Throws JobError for an unknown extension or a size/dpi that is not positive, LimitError above
/// 20000 px a side, RenderError naming the path when drawing or writing fails.
///
/// SVG is written by choro's own writer, editable: text as `<text>`, groups `fills`, `borders`,
/// `highlights`, `overlay`, `labels`, `legend`, `title`, `notes`, one `<path>` per feature with
/// `id`, `data-key`, `data-value`, `data-name`, hatches as `<pattern>`. `description` (alt text,
/// see describe.hpp) goes into the PNG's `Description` text chunk, the SVG's `<desc>` and the PDF's
/// Subject; empty = none. A PNG's map frame is drawn on up to `threads` threads (0: one per core);
/// the pixels do not depend on it.
void render_map(const pipeline::Scene& scene,
                const styles::StyleSettings& style,
                const MapSize& size,
                const std::filesystem::path& out,
                const std::string& description = {},
                unsigned threads = 0);

/// `size` with its height fitted to the map (`--height auto`): the width kept, the canvas as tall
/// as title, map (filling the width left by the legend), legend and notes need, so no empty band
/// is left above and below the map. Between 0.25 and 4 times the width. Throws as render_map().
[[nodiscard]] MapSize auto_height(const pipeline::Scene& scene,
                                  const styles::StyleSettings& style,
                                  const MapSize& size);

/// Where the page layout put the labels and what they must keep clear of, in page points (x right,
/// y down): for tests and reports. `labels` and `label_texts` run parallel; `obstacles` are the
/// title, subtitle, notes, legend and inset frames.
struct PageBoxes {
    std::vector<geo::Box<geo::Pixel>> labels;
    std::vector<std::string> label_texts;
    std::vector<bool> callouts;
    std::vector<geo::Box<geo::Pixel>> obstacles;
};

/// Lays the page out as render_map() would and returns its boxes. Throws as render_map().
[[nodiscard]] PageBoxes page_boxes(const pipeline::Scene& scene,
                                   const styles::StyleSettings& style,
                                   const MapSize& size);

/// Writes an atlas PDF: contents pages (`title`, then each map's title with its page number, in
/// columns), then one page per scene at `size`, laid out as render_map() lays out a map. Fonts are
/// embedded (subset) by Cairo; the file is deterministic and written atomically. Keeps no
/// reference to the scenes. Throws as render_map() does (RenderError naming `out`).
///
///     choro::render::render_atlas_pdf("287(g) agreements by state", scenes, job.style, size, "out/atlas.pdf");
void render_atlas_pdf(const std::string& title,
                      const std::vector<const pipeline::Scene*>& scenes,
                      const styles::StyleSettings& style,
                      const MapSize& size,
                      const std::filesystem::path& out);

/// Draws the map to an RGBA image (what the PNG would hold), for tests and previews. Same layout
/// and errors as render_map(), without a path in the messages.
[[nodiscard]] Image render_map_image(const pipeline::Scene& scene,
                                     const styles::StyleSettings& style,
                                     const MapSize& size);

/// The map frame alone: the geometry (and inset frames) fitted to the whole canvas, without margins,
/// title, legend or notes. At `size.dpi` = 96 × tile scale this is what the tiles of the same
/// area show (the tiles draw with the same routines, one point = 96/72 px).
[[nodiscard]] Image render_frame_image(const pipeline::Scene& scene,
                                       const styles::StyleSettings& style,
                                       const MapSize& size);

/// The versions of the drawing libraries in use ("cairo 1.16.0, pango 1.50.12"), for logs, manifests
/// and golden-image reports (output can differ slightly between versions).
[[nodiscard]] std::string renderer_versions();

/// Starts setting up fonts in the background: Pango's font map, whose fontconfig set-up (about 10
/// ms: the configuration parsed, the font caches opened) runs on Pango's own thread while the
/// caller reads and joins its data. Commands that will lay out text call it first; harmless
/// when called again or when no text is drawn.
void start_font_setup();

/// Starts faulting in the memory of a PNG map of `size` on a thread of its own (the kernel zeroes
/// it on first touch: 30 ms for 2400x1500 on a virtual machine), while the caller reads and joins
/// its data; the next map drawn at that size takes it. Does nothing for small or invalid sizes
/// or when memory is already set up; if no map of that size is drawn, the memory is left to exit.
void start_canvas_setup(const MapSize& size);

}  // namespace choro::render
