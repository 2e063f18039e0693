#pragma once

#include <memory>
#include <string>
#include <vector>

#include "detail/cairo_map.hpp"
#include <cairo.h>

#include "choro/geo/geometry.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/styles/job.hpp"

/// @file
/// The page of a publication map as data (page.cpp): where the title, subtitle, notes, source
/// note, legend and map frame go, measured with Pango. Both backends draw from it: Cairo (PNG,
/// PDF; draw_page()) and the SVG writer (svg.cpp), so they place everything identically.

namespace choro::render::detail {

/// The map frame: the rectangle the geometry is fitted into and how it is fitted.
struct MapFrame {
    Rect frame;                          ///< page points
    PageTransform t;                     ///< projected → page
    geo::Box<geo::Projected> visible;    ///< what is prepared when the frame clips; empty = all
    bool clip = false;                   ///< some geometry reaches outside the frame: clip to it
    bool empty = true;                   ///< nothing to draw (empty bounds)
    geo::Box<geo::Projected> bounds;     ///< the scene's bounds, fitted
    [[nodiscard]] Rect map_box() const;  ///< where the fitted bounds lie on the page
};

/// Fits the scene's bounds into `frame`.
[[nodiscard]] MapFrame frame_map(const pipeline::Scene& scene, const Rect& frame, double device_px);
/// The same with the scene's bounds (pipeline::scene_bounds) computed once by the caller.
[[nodiscard]] MapFrame frame_map(const pipeline::Scene& scene,
                                 const geo::Box<geo::Projected>& bounds,
                                 const Rect& frame,
                                 double device_px);

/// A place name placed on the page (by the label solver), drawn with a halo by both backends.
struct PlacedLabel {
    std::string text;  ///< may hold several lines
    std::string key;   ///< the feature's key (SVG data-key)
    double x = 0.0;    ///< top-left of the text block, page points
    double y = 0.0;
    bool callout = false;   ///< drawn outside its feature, with a leader line
    double anchor_x = 0.0;  ///< where the leader line ends (inside the feature)
    double anchor_y = 0.0;
    double leader_x = 0.0;  ///< where the leader ends (the label box's nearest side)
    double leader_y = 0.0;
    bool highlighted = false;                ///< a holdout's label
    std::shared_ptr<const TextBlock> block;  ///< the measured text
};

inline constexpr styles::Color label_halo{255, 255, 255, 255};
inline constexpr double label_halo_width = 1.6;  ///< points, the stroke around the glyphs (half shows)
inline constexpr double leader_width = 0.4;

/// Draws labels with their halo (and leader lines for callouts) with Cairo.
void draw_labels(cairo_t* cr, const std::vector<PlacedLabel>& labels);

/// The whole page.
struct PageLayout {
    double page_w = 0.0;
    double page_h = 0.0;
    double device_px = 1.0;         ///< one output pixel in points
    std::vector<PlacedText> title;  ///< title, then subtitle (either may be missing)
    std::vector<PlacedText> notes;  ///< notes, then the source note
    LegendLayout legend;
    MapFrame map;
    Rect area;                        ///< between title and notes, where map and legend go
    double gap = 0.0;                 ///< between map and legend is twice this
    std::vector<PlacedLabel> labels;  ///< empty until a label solver places some

    /// Boxes labels must not cover: title, subtitle, notes, legend and inset frames.
    [[nodiscard]] std::vector<Rect> obstacles(const pipeline::Scene& scene) const;
};

/// Lays out the page of `page_w` × `page_h` points (`cr` only measures text). Sizes follow the
/// page: 576x360 pt has a 16 pt title. The legend goes in a column beside the map, bottom-aligned
/// with it, or in rows under it when that leaves the map larger; map and legend are centred as a
/// group so the legend sits next to the map, not in a far corner.
[[nodiscard]] PageLayout layout_page(cairo_t* cr,
                                     const pipeline::Scene& scene,
                                     const styles::StyleSettings& style,
                                     double page_w,
                                     double page_h,
                                     double device_px);

/// Draws a laid-out page with Cairo: draw_page_ground(), draw_frame(), draw_labels().
void draw_page(cairo_t* cr, const PageLayout& page, const pipeline::Scene& scene, const styles::StyleSettings& style);

/// The page under the map frame: the background, title, subtitle, notes and legend.
void draw_page_ground(cairo_t* cr, const PageLayout& page, const styles::StyleSettings& style);

/// Draws the map frame's geometry (water, graticule, layers, globe outline, inset frames).
void draw_frame(cairo_t* cr, const pipeline::Scene& scene, const styles::StyleSettings& style, const MapFrame& map);

/// The map frame's geometry snapped for drawing: a batch map's neighbours and the scene's layers.
/// Not copyable (PreparedLayers); movable.
struct PreparedFrame {
    std::vector<Shape> context;
    std::vector<const Shape*> context_all;
    BorderRuns context_borders;  ///< of `context_all`
    PreparedLayers layers;
};

/// Prepares the frame's geometry once, for draw_prepared_frame().
[[nodiscard]] PreparedFrame prepare_frame(const pipeline::Scene& scene,
                                          const styles::StyleSettings& style,
                                          const MapFrame& map);

/// draw_frame() from prepared geometry. Reads `prepared` only, so several contexts (the bands of
/// one image, see map.cpp) may draw it at once.
void draw_prepared_frame(cairo_t* cr,
                         const pipeline::Scene& scene,
                         const styles::StyleSettings& style,
                         const MapFrame& map,
                         const PreparedFrame& prepared);

inline constexpr styles::Color note_grey{110, 110, 110, 255};
inline constexpr styles::Color inset_grey{150, 150, 150, 255};
inline constexpr styles::Color context_grey{232, 232, 232, 255};  ///< neighbours on a batch map
inline constexpr double inset_line_width = 0.5;

}  // namespace choro::render::detail

namespace choro::render::detail {

/// Writes the laid-out page as an editable SVG document: text as `<text>` naming the font family,
/// groups `fills`, `borders`, `highlights`, `overlay`, `labels`, `legend`, `title`, `notes`; one
/// `<path>` per feature with `id`, `data-key`, `data-value`, `data-name` (from scene.info), shared
/// borders one path per layer, hatches as `<pattern>`, `<title>`/`<desc>` from `title` and
/// `description`. Geometry is the same prepared shapes the Cairo backend draws. Deterministic.
[[nodiscard]] std::string write_svg(const PageLayout& page,
                                    const pipeline::Scene& scene,
                                    const styles::StyleSettings& style,
                                    const std::string& description);

}  // namespace choro::render::detail
