#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "detail/cairo.hpp"
#include <cairo.h>

#include "choro/geo/geometry.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/palette.hpp"

/// @file
/// The pieces of a map, one file each (shape.cpp, fill.cpp, outline.cpp, layers.cpp, legend.cpp,
/// label.cpp) and the layout that puts them on the page (map.cpp). Everything here works in page
/// points (1/72 in, y down). The print map and every tile draw their geometry through
/// draw_geometry_layers(): the same fills, shared borders and marks, in the same units.

namespace choro::render::detail {

/// A rectangle on the page, in points.
struct Rect {
    double x = 0.0;
    double y = 0.0;
    double w = 0.0;
    double h = 0.0;
};

/// Projected coordinates → page points: scale about the corner (min.x, max.y), y flipped.
struct PageTransform {
    double scale = 1.0;
    double origin_x = 0.0;  ///< page x of projected min.x
    double origin_y = 0.0;  ///< page y of projected max.y
    double min_x = 0.0;
    double max_y = 0.0;
    double unit = 1.0;      ///< snapping grid in points (~0.25 device pixel)
    double min_size = 0.0;  ///< polygons smaller than this (points) in both directions are skipped;
                            ///< at 0 none is, and those that collapse on the grid become Dust

    [[nodiscard]] double page_x(double x) const noexcept { return origin_x + (x - min_x) * scale; }
    [[nodiscard]] double page_y(double y) const noexcept { return origin_y + (max_y - y) * scale; }
};

/// Fits `bounds` into `frame` keeping the aspect ratio, centred. `device_px` is one device pixel in points.
[[nodiscard]] PageTransform fit(const geo::Box<geo::Projected>& bounds, const Rect& frame, double device_px);

/// A point on the snapping grid (page points = grid units × PageTransform::unit).
struct GridPoint {
    std::int32_t x = 0;
    std::int32_t y = 0;
    friend bool operator==(const GridPoint&, const GridPoint&) = default;
};

/// A polygon too small to keep a ring on the grid, kept as its area: a square of the same area
/// at its centroid (page points), filled but not outlined. Thousands of them in one pixel still
/// paint it (issue 12: 200,000 small polygons vanished at zooms 0-1).
struct Dust {
    double x = 0.0;
    double y = 0.0;
    double side = 0.0;
};

/// One feature ready to draw: rings of grid points, each ring open (the closing edge is implied).
/// Snapping every vertex to the same grid simplifies to the output resolution and keeps shared
/// borders shared: two neighbours snap their common vertices identically.
/// A box on the grid, bounds included; empty until extended.
struct GridBox {
    GridPoint lo{INT32_MAX, INT32_MAX};
    GridPoint hi{INT32_MIN, INT32_MIN};

    void extend(const GridPoint& p) noexcept {
        lo.x = std::min(lo.x, p.x);
        lo.y = std::min(lo.y, p.y);
        hi.x = std::max(hi.x, p.x);
        hi.y = std::max(hi.y, p.y);
    }
    [[nodiscard]] bool empty() const noexcept { return lo.x > hi.x; }
    /// True when the two boxes share a point (false when either is empty).
    [[nodiscard]] bool meets(const GridBox& o) const noexcept {
        return lo.x <= o.hi.x && o.lo.x <= hi.x && lo.y <= o.hi.y && o.lo.y <= hi.y;
    }
};

/// The current clip extents of `cr` grown by `margin` user units, on the grid of `unit`: a shape
/// whose box does not meet it draws nothing. Drawing functions skip such shapes, which matters
/// when a map is drawn in bands (map.cpp): each band would otherwise build every path.
[[nodiscard]] GridBox clip_view(cairo_t* cr, double unit, double margin);

struct Shape {
    std::vector<GridPoint> points;
    std::vector<std::uint32_t> ring_ends;  ///< end (one past) of each ring in `points`
    std::vector<Dust> dust;                ///< polygons below the grid (only when t.min_size is 0)
    GridBox box;                           ///< of `points` (dust not included)

    [[nodiscard]] bool empty() const noexcept { return ring_ends.empty() && dust.empty(); }
};

/// Converts a multipolygon: drops polygons outside `visible` or smaller than `t.min_size`, clips
/// rings much larger than `visible` to it (Cairo's 24.8 fixed point cannot hold a state at zoom
/// 16), snaps vertices, removes repeated ones, drops rings left with fewer than 3 points.
/// O(vertices).
[[nodiscard]] Shape prepare_shape(const geo::MultiPolygon<geo::Projected>& geometry,
                                  const PageTransform& t,
                                  const geo::Box<geo::Projected>& visible);

/// prepare_shape of every geometry, keeping only the shapes with something to draw (a batch
/// map's neighbours: drawn together, so which feature a shape was is not kept).
[[nodiscard]] std::vector<Shape> prepare_nonempty_shapes(
    const std::vector<geo::MultiPolygon<geo::Projected>>& geometries,
    const PageTransform& t,
    const geo::Box<geo::Projected>& visible);

/// Where path geometry goes: a Cairo path (CairoPathSink) or SVG path data (svg.cpp). The Cairo
/// and SVG backends walk the same shapes and the same unique edges through it.
class PathSink {
public:
    PathSink() = default;
    PathSink(const PathSink&) = default;
    PathSink(PathSink&&) = default;
    PathSink& operator=(const PathSink&) = default;
    PathSink& operator=(PathSink&&) = default;
    virtual ~PathSink() = default;
    virtual void move_to(double x, double y) = 0;
    virtual void line_to(double x, double y) = 0;
    virtual void close_path() = 0;
};

/// Appends to the current path of a Cairo context (keeps the pointer, no ownership).
class CairoPathSink final : public PathSink {
public:
    explicit CairoPathSink(cairo_t* cr) : m_cr(cr) {}
    void move_to(double x, double y) override { cairo_move_to(m_cr, x, y); }
    void line_to(double x, double y) override { cairo_line_to(m_cr, x, y); }
    void close_path() override { cairo_close_path(m_cr); }

private:
    cairo_t* m_cr;
};

/// Adds the rings of `shape` to the current path (closed sub-paths).
void append_shape(cairo_t* cr, const Shape& shape, double unit);
/// Same, into any sink.
void append_shape(PathSink& sink, const Shape& shape, double unit);

/// Paints the dust of `shapes` (coloured by `fills`): areas summed per device pixel.
void draw_dust(cairo_t* cr, const std::vector<Shape>& shapes, const std::vector<styles::Color>& fills);

/// Shared borders ready to stroke: every edge of a set of shapes once (an edge shared by two shapes,
/// in either direction, is kept only for the first), consecutive new edges chained into runs, each
/// run with its box so that a band of a map strokes only the runs that reach it.
struct BorderRuns {
    struct Run {
        std::uint32_t begin = 0;  ///< first point in `points`
        std::uint32_t end = 0;    ///< one past the last
        bool closed = false;      ///< a whole ring, closed (its last edge implied)
        GridBox box;
    };
    std::vector<GridPoint> points;
    std::vector<Run> runs;
};

/// The unique edges of `shapes` as runs. O(edges) expected.
[[nodiscard]] BorderRuns border_runs(const std::vector<const Shape*>& shapes);

/// Adds the runs that meet `view` (every run when null) to `sink`: closed sub-paths for whole
/// rings, open ones for the rest.
void append_runs(PathSink& sink, const BorderRuns& runs, double unit, const GridBox* view = nullptr);

void set_color(cairo_t* cr, const styles::Color& color, double alpha_factor = 1.0);

/// How holdouts and state bans are marked, in points; the map, its legend and the tiles draw the
/// same marks.
struct HatchMark {
    double spacing;     ///< between hatch lines
    double line_width;  ///< of a hatch line
    bool rising;        ///< "/" when true, "\\" when false
    double alpha;       ///< applied to the highlight colour
};

/// Where the pattern grid's origin lies in the current user space (points). The print map uses
/// the page origin; a tile uses the world's origin, so hatch lines run on across tile edges.
struct PatternOrigin {
    double x = 0.0;
    double y = 0.0;
};

/// How the marks of one drawing are placed and weighted: the pattern origin, and a factor on every
/// line width (1 on the print map; below 1 on tiles of low zooms, where a county is a few pixels
/// wide). Hatch spacing is not scaled, so a hatch stays readable as a hatch.
struct MarkScale {
    PatternOrigin origin;
    double line_scale = 1.0;
    /// Where hatch lines may run (user units): the hatched shapes' extents cut to it, instead of
    /// the clip extents, so that every band of a map drawn in bands draws the very same lines.
    std::optional<Rect> hatch_area;
};

/// Parallel lines of `mark` across `extents` (user units), at +45° (rising) or -45° on the page,
/// on a grid anchored at `origin` so neighbouring areas continue the same pattern.
void hatch_lines(cairo_t* cr, const HatchMark& mark, PatternOrigin origin, const Rect& extents);

/// hatch_lines() over the current clip extents.
void hatch_clip(cairo_t* cr, const HatchMark& mark, PatternOrigin origin = {});
inline constexpr HatchMark holdout_hatch{2.4, 0.55, true, 1.0};
inline constexpr HatchMark state_ban_hatch{4.0, 0.5, false, 0.55};
inline constexpr double holdout_outline_width = 1.2;  ///< strong outline around a holdout
inline constexpr double state_ban_band_width = 4.0;   ///< translucent band inside a banning state
inline constexpr double state_ban_band_alpha = 0.45;
/// A holdout agency in a county where other agencies hold agreements: a sparse hatch, thin outline.
inline constexpr HatchMark partial_hatch{4.8, 0.55, true, 1.0};
inline constexpr double partial_outline_width = 0.6;
/// A state ban enacted but not yet in force: the state-ban marks, lighter.
inline constexpr HatchMark enacted_ban_hatch{8.0, 0.5, false, 0.4};
inline constexpr double enacted_ban_band_alpha = 0.18;

/// Fills each shape with its colour (shapes and colours in parallel). `covered`: an opaque border
/// at least half a pixel wide is drawn over every edge afterwards (fills_covered), so the edges are
/// antialiased with Cairo's cheaper 4x4 samples, whose steps the border hides.
void draw_fills(cairo_t* cr,
                const std::vector<Shape>& shapes,
                const std::vector<styles::Color>& fills,
                double unit,
                bool covered = false);

/// True when borders of `color` and `width` (user units; `unit` is a quarter device pixel) hide
/// the fills' edges: opaque and at least half a device pixel wide (the default 0.25 pt border is
/// 0.5 px at 144 dpi; a fill's 16-level edge under it is not told apart).
[[nodiscard]] inline bool fills_covered(const styles::Color& color, double width, double unit) noexcept {
    return color.a == 255 && width >= 2.0 * unit;
}

/// An area mark: a hatch clipped to the shapes, then an outline, either centred on the edge or
/// clipped to its inside (a band that reads at a glance).
struct AreaMark {
    HatchMark hatch;
    double outline_alpha;  ///< applied to the highlight colour
    double outline_width;  ///< points
    bool outline_inside;   ///< only the half of the outline within the shapes
};
/// Holdouts: diagonal hatch, strong outline.
inline constexpr AreaMark holdout_mark{holdout_hatch, 1.0, holdout_outline_width, false};
/// Holdout agencies in counties where other agencies hold agreements: sparse hatch, thin outline.
inline constexpr AreaMark partial_mark{partial_hatch, 1.0, partial_outline_width, false};
/// State bans: counter-diagonal hatch, wide translucent inner band.
inline constexpr AreaMark state_ban_mark{state_ban_hatch, state_ban_band_alpha, state_ban_band_width, true};
/// State bans enacted but not yet in force: the same, lighter and sparser.
inline constexpr AreaMark enacted_ban_mark{enacted_ban_hatch, enacted_ban_band_alpha, state_ban_band_width, true};

/// Marks `shapes` with `mark` in the style's highlight colour (nothing when `shapes` is empty).
void draw_area_mark(cairo_t* cr,
                    const std::vector<const Shape*>& shapes,
                    const AreaMark& mark,
                    const styles::StyleSettings& style,
                    double unit,
                    const MarkScale& marks);

/// Strokes shared borders once (the runs within reach of the clip).
void draw_borders(cairo_t* cr, const BorderRuns& runs, const styles::Color& color, double width, double unit);

/// The geometry of a scene to draw: its own (the print map) or a copy simplified for one zoom
/// (tiles), parallel to the scene's features and overlay.
struct GeometryLayers {
    const std::vector<geo::MultiPolygon<geo::Projected>>* features = nullptr;
    const std::vector<geo::MultiPolygon<geo::Projected>>* overlay = nullptr;
    const std::vector<std::uint32_t>* feature_ids = nullptr;  ///< which features to draw; null = all
    const std::vector<std::uint32_t>* overlay_ids = nullptr;  ///< which overlay features; null = all
};

/// The geometry layers prepared for drawing (shared by the Cairo and SVG backends, so both draw the
/// same snapped geometry). The pointer vectors point into `features` / `overlay`: not copyable.
struct PreparedLayers {
    PreparedLayers() = default;
    PreparedLayers(const PreparedLayers&) = delete;
    PreparedLayers& operator=(const PreparedLayers&) = delete;
    PreparedLayers(PreparedLayers&&) = default;
    PreparedLayers& operator=(PreparedLayers&&) = default;
    ~PreparedLayers() = default;

    std::vector<Shape> features;               ///< non-empty shapes only
    std::vector<std::uint32_t> feature_index;  ///< scene feature index of each shape
    std::vector<styles::Color> fills;          ///< parallel to `features`
    std::vector<Shape> overlay;
    std::vector<std::uint32_t> overlay_index;
    std::vector<const Shape*> all;
    std::vector<const Shape*> highlighted;
    std::vector<const Shape*> partial;
    std::vector<const Shape*> overlay_all;
    std::vector<const Shape*> overlay_highlighted;
    std::vector<const Shape*> overlay_enacted;
    BorderRuns borders;          ///< of `all`
    BorderRuns overlay_borders;  ///< of `overlay_all`
};

/// Prepares the layers of `scene` (see draw_geometry_layers()).
[[nodiscard]] PreparedLayers prepare_layers(const pipeline::Scene& scene,
                                            const GeometryLayers& layers,
                                            const PageTransform& t,
                                            const geo::Box<geo::Projected>& visible,
                                            const styles::StyleSettings& style);

/// Draws prepared layers in order: fills, feature borders (each shared border once), holdout
/// marks, state-ban marks, overlay borders. `cr` only reads `p`: several contexts (bands of one
/// image) may draw the same prepared layers at once.
void draw_prepared_layers(
    cairo_t* cr, const PreparedLayers& p, const styles::StyleSettings& style, double unit, const MarkScale& marks);
/// Draws the geometry layers of `scene` in order: fills, feature borders (each shared border
/// once), holdout marks, state-ban marks, overlay borders. Colours and marks come from `scene`
/// (by feature index); geometry from `layers`, placed by `t` and cut to `visible` (empty = all).
void draw_geometry_layers(cairo_t* cr,
                          const pipeline::Scene& scene,
                          const GeometryLayers& layers,
                          const PageTransform& t,
                          const geo::Box<geo::Projected>& visible,
                          const styles::StyleSettings& style,
                          const MarkScale& marks);

/// A paragraph laid out by Pango, ready to draw.
struct TextStyle {
    std::string font = "DejaVu Sans";
    double size = 10.0;  ///< points
    bool bold = false;
    styles::Color color{30, 30, 30, 255};
};

/// One line of a laid-out paragraph: its text and where it starts, relative to the block's top-left.
struct TextLine {
    std::string text;
    double x = 0.0;         ///< left edge of the line
    double baseline = 0.0;  ///< baseline below the block's top
};

class TextBlock {
public:
    /// Lays out `text` (wrapped at `max_width` points when > 0). Keeps no reference to `cr`.
    TextBlock(cairo_t* cr, const std::string& text, const TextStyle& style, double max_width = 0.0);
    [[nodiscard]] double width() const noexcept { return m_width; }
    [[nodiscard]] double height() const noexcept { return m_height; }
    [[nodiscard]] const TextStyle& style() const noexcept { return m_style; }
    /// The lines as Pango broke them (for writers that place text themselves, like the SVG one).
    [[nodiscard]] std::vector<TextLine> lines() const;
    /// Draws with the top-left corner of the logical box at (x, y).
    void draw(cairo_t* cr, double x, double y) const;
    /// Same, over a halo: the glyph outlines stroked `halo_width` wide in `halo` first.
    void draw_with_halo(cairo_t* cr, double x, double y, const styles::Color& halo, double halo_width) const;

private:
    PangoLayoutPtr m_layout;
    TextStyle m_style;
    double m_width = 0.0;
    double m_height = 0.0;
};

/// Draws a legend swatch for `item` filling `box`: a class colour, or the mark of a hatch entry
/// on the light ground of a zero feature.
void draw_swatch(cairo_t* cr, const styles::LegendItem& item, const Rect& box, const styles::StyleSettings& style);

/// A block of text placed on the page (top-left corner of its logical box).
struct PlacedText {
    std::shared_ptr<const TextBlock> block;
    double x = 0.0;
    double y = 0.0;
    [[nodiscard]] Rect box() const { return Rect{x, y, block->width(), block->height()}; }
};

/// The legend placed on the page: its title, a swatch and a label per item, the box around all.
struct LegendLayout {
    std::optional<PlacedText> title;
    std::vector<styles::LegendItem> items;
    std::vector<Rect> swatches;      ///< parallel to `items`
    std::vector<PlacedText> labels;  ///< parallel to `items`
    /// Histogram legend (vertical only): a bar per class, its length the class's share, and the
    /// count after it; parallel to `items`, zero-width bars and null counts for the other entries.
    std::vector<Rect> bars;
    std::vector<PlacedText> counts;
    Rect box;
    bool horizontal = false;
    [[nodiscard]] bool empty() const noexcept { return items.empty() && !title; }
};

/// The legend measured: a title, then one swatch and label per item, either in a column
/// (vertical) or in rows that wrap at a width (horizontal).
class Legend {
public:
    Legend(cairo_t* cr,
           const pipeline::Scene& scene,
           const styles::StyleSettings& style,
           double text_size,
           double max_width);
    [[nodiscard]] bool empty() const noexcept { return m_rows.empty() && !m_title; }
    /// Size of the vertical layout.
    [[nodiscard]] double width() const noexcept { return m_width; }
    [[nodiscard]] double height() const noexcept { return m_height; }
    /// Size of the horizontal layout wrapped at `max_width`.
    [[nodiscard]] std::pair<double, double> horizontal_size(double max_width) const;
    /// The legend placed with its top-left corner at (x, y).
    [[nodiscard]] LegendLayout place(double x, double y, bool horizontal, double max_width) const;

private:
    struct Row {
        styles::LegendItem item;
        std::shared_ptr<const TextBlock> text;
    };
    std::shared_ptr<const TextBlock> m_title;
    std::vector<Row> m_rows;
    std::vector<std::shared_ptr<const TextBlock>> m_counts;  ///< histogram: per row, null when none
    bool m_histogram = false;
    double m_label_w = 0.0;  ///< widest row label
    double m_bar_max = 0.0;  ///< length of the longest bar
    double m_max_share = 0.0;
    double m_swatch = 10.0;
    double m_gap = 4.0;
    double m_width = 0.0;
    double m_height = 0.0;
};

/// Draws the whole map on a page of `page_w` × `page_h` points; `device_px` is one output pixel in points.
void draw_map(cairo_t* cr,
              const pipeline::Scene& scene,
              const styles::StyleSettings& style,
              double page_w,
              double page_h,
              double device_px);

}  // namespace choro::render::detail
