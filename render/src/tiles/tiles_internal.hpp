#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "choro/geo/tile.hpp"
#include "choro/render/tiles.hpp"

/// @file
/// Internals of the tile renderer: metatiles, the per-zoom drawing and the output sinks.

namespace choro::render::detail {

/// A block of up to n×n tiles at one zoom, rendered as one image then cut.
struct MetaTile {
    int z = 0;
    std::uint32_t x = 0;  ///< in metatile units
    std::uint32_t y = 0;
    friend bool operator==(const MetaTile&, const MetaTile&) = default;
};

/// One encoded tile ready to store.
struct EncodedTile {
    geo::TileId id;
    std::string png;
};

/// Whether stored bytes are gzip data (a compressed vector tile), from their first bytes.
[[nodiscard]] bool is_gzip(std::string_view bytes) noexcept;
/// Gzip (libdeflate level 6, deterministic) and back. gunzip throws InputError naming `where`.
[[nodiscard]] std::string gzip(std::string_view bytes);
[[nodiscard]] std::string gunzip(std::string_view bytes, const std::filesystem::path& where);

/// The content hash tiles are deduplicated on: any function of the bytes to a fixed-size key.
/// Equal keys are only candidates: sinks compare the bytes too (tests inject a colliding hash).
using TileHash = std::function<std::string(std::string_view bytes)>;

/// XXH3-128 of `bytes` as 32 hex digits: the default TileHash and the job fingerprint.
[[nodiscard]] std::string content_hash(std::string_view bytes);

/// Where tiles go. Methods are called from one thread at a time (the renderer holds a lock).
class TileSink {
public:
    TileSink() = default;
    virtual ~TileSink() = default;
    TileSink(const TileSink&) = delete;
    TileSink& operator=(const TileSink&) = delete;
    TileSink(TileSink&&) = delete;
    TileSink& operator=(TileSink&&) = delete;

    /// True when an earlier, interrupted run already stored this metatile.
    [[nodiscard]] virtual bool is_done(const MetaTile& m) = 0;
    /// Stores the tiles of one metatile and marks it done, atomically.
    virtual void write(const MetaTile& m, const std::vector<EncodedTile>& tiles) = 0;
    /// Writes the metadata of `info` in the format's own way and makes the output appear at its
    /// final path. Throws JobError when `info` is not a valid description (NaN bounds, zooms).
    virtual void finish(const TilesetInfo& info) = 0;
};

/// The stored tiles of one metatile, and what was left out.
struct MetatileResult {
    std::vector<EncodedTile> tiles;
    std::uint64_t empty = 0;      ///< tiles no feature touches, or fully transparent
    std::uint64_t solid = 0;      ///< stored tiles of one colour
    std::uint64_t max_bytes = 0;  ///< largest tile stored (before the sink's compression)
    std::uint64_t coarsened = 0;  ///< vector tiles simplified further to stay under the size limit
};

/// Cuts one metatile (its tiles `tr`): one per worker thread, used from that thread only.
using MetatileFn = std::function<MetatileResult(const MetaTile& m, const geo::TileRange& tr)>;
/// For zoom z, what makes one MetatileFn per worker thread (zoom-wide work done once, shared).
using ZoomWorkers = std::function<std::function<MetatileFn()>(int z)>;

/// The pyramid driver shared by raster and vector tiles: metatiles of each zoom in a fixed order,
/// sharded, skipped when the sink has them (resume), cut by a thread pool, streamed to the sink
/// for `out`. `fingerprint` gets the requested area and names the job (resume and merge checks).
TileStats run_pyramid(const pipeline::Scene& scene,
                      const TileOptions& options,
                      const std::filesystem::path& out,
                      TilesetInfo info,
                      const std::function<std::string(const geo::Box<geo::LonLat>&)>& fingerprint,
                      const ZoomWorkers& make_zoom);

/// How a sink is opened.
struct SinkOptions {
    std::string shard;        ///< "i/N" for a shard's MBTiles part (recorded in its metadata); empty for a whole set
    std::string fingerprint;  ///< the job: a partial output of another job is discarded; parts record it for merge
    TileHash hash = content_hash;
    bool vector = false;  ///< vector tiles: gzipped in MBTiles/PMTiles, plain `.pbf` in a folder
};

/// Opens the sink for `out` (format from the extension), resuming from its temporary state.
/// Throws RenderError when `out` cannot become that output (a file where a folder goes, a folder
/// that is not a tile folder).
[[nodiscard]] std::unique_ptr<TileSink> open_sink(const std::filesystem::path& out, SinkOptions options = {});

/// Writes the tiles of a finished MBTiles file as PMTiles v3 at `out` (atomically).
void write_pmtiles(const std::filesystem::path& mbtiles, const std::filesystem::path& out, const TilesetInfo& info);

/// The metadata JSON stored in PMTiles, the MBTiles `json` row and a folder's metadata.json.
[[nodiscard]] std::string metadata_json(const TilesetInfo& info);
/// Reads metadata_json() back (for merge). Throws InputError naming `where` when it is not one.
[[nodiscard]] TilesetInfo tileset_from_metadata_json(const std::string& json, const std::string& where);
/// Throws JobError naming the field when `info` cannot be written as metadata (NaN or inverted
/// bounds, zooms outside 0..22 or inverted, scale not 1 or 2).
void check_tileset(const TilesetInfo& info);

/// Leaflet's files embedded at build time from the pinned npm `leaflet` (tests/js).
[[nodiscard]] std::string_view leaflet_js() noexcept;
[[nodiscard]] std::string_view leaflet_css() noexcept;
[[nodiscard]] std::string_view leaflet_license() noexcept;

/// Tiles draw in points like the print map, at the CSS pixel ratio: 96/72 px per point at scale 1.
inline constexpr double tile_px_per_point = 96.0 / 72.0;

/// Line widths of the tiles at zoom z, as a factor: 1 from zoom 6 on, thinner below it, where a
/// county is a few pixels wide.
[[nodiscard]] double tile_line_scale(int z) noexcept;

/// A worker's drawing surface, kept from one metatile to the next: a fresh 2048×2048 surface (16 MB)
/// for every metatile costs more in page faults than much of the drawing. Not thread-safe.
class Canvas {
public:
    Canvas();
    ~Canvas();
    Canvas(Canvas&&) noexcept;
    Canvas& operator=(Canvas&&) noexcept;
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    /// The w×h rectangle at (x, y) of the last drawing (inside it) as straight RGBA, into `out`.
    void cut(int x, int y, int w, int h, Image& out) const;
    /// The same rectangle as Cairo holds it (premultiplied ARGB), valid until the next drawing:
    /// what the pyramid encodes, without a copy.
    [[nodiscard]] ArgbView view(int x, int y, int w, int h) const;

private:
    friend class ZoomScene;
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The scene at one zoom: geometry simplified to a fraction of a pixel (still in EPSG:3857
/// metres), with a grid index of feature boxes in world pixels (0..256·2^z·scale, y down).
class ZoomScene {
public:
    ZoomScene(const pipeline::Scene& scene, int z, int scale);

    /// Draws the pixel rectangle [x0, x0+w) × [y0, y0+h) of the world at this zoom into straight
    /// RGBA. Thread-safe (const). Throws RenderError on a Cairo failure.
    [[nodiscard]] Image draw(const styles::StyleSettings& style, double x0, double y0, int w, int h) const;
    /// The same drawing into `canvas` (cleared first, its surface reused when the size is the same);
    /// cut the tiles out with Canvas::cut.
    void draw(const styles::StyleSettings& style, double x0, double y0, int w, int h, Canvas& canvas) const;

    /// True when some feature's (stroked) box touches the pixel rectangle.
    [[nodiscard]] bool touches(double x0, double y0, double w, double h) const;

    [[nodiscard]] int zoom() const noexcept { return m_z; }
    [[nodiscard]] int scale() const noexcept { return m_scale; }

private:
    [[nodiscard]] geo::Pixel to_pixel(const geo::Projected& p) const noexcept;
    void candidates(double x0, double y0, double w, double h, std::vector<std::uint32_t>& out) const;

    int m_z;
    int m_scale;
    double m_px_per_metre = 1.0;
    const pipeline::Scene* m_scene;
    std::vector<geo::MultiPolygon<geo::Projected>> m_features;
    std::vector<geo::Box<geo::Pixel>> m_feature_boxes;
    std::vector<geo::MultiPolygon<geo::Projected>> m_overlay;
    std::vector<geo::Box<geo::Pixel>> m_overlay_boxes;
    // Grid index over the world square: cell → indices of features (then overlay + offset).
    int m_cells = 1;
    double m_cell_size = 1.0;
    std::vector<std::vector<std::uint32_t>> m_grid;
};

}  // namespace choro::render::detail
