#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "choro/geo/geometry.hpp"
#include "choro/geo/tile.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/image.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/legend.hpp"

/// @file
/// Raster tile pyramids (Web Mercator, XYZ) of a choropleth, to a `z/x/y.png` folder, MBTiles 1.3
/// or PMTiles v3, with TileJSON and an offline preview page. The tiles draw a scene projected to
/// Web Mercator (pipeline::build_scene with geo::Projection("web-mercator")) through the print
/// map's own routines, so colours, borders and marks match the print map.

namespace choro::render {

/// The scene's bounds in degrees (of every feature and overlay geometry, or of its `bounds`), for
/// a scene projected to Web Mercator: the default area of a pyramid.
[[nodiscard]] geo::Box<geo::LonLat> lonlat_bounds(const pipeline::Scene& scene);

/// Progress of a run, reported after each metatile (from the thread that stored it).
struct TileProgress {
    std::uint64_t done = 0;   ///< tiles of this run finished (rendered, found empty, or resumed)
    std::uint64_t total = 0;  ///< tiles of this run (this shard)
    int zoom = 0;             ///< zoom being rendered
};

/// How to render a pyramid.
struct TileOptions {
    int min_zoom = 0;
    int max_zoom = 7;
    geo::Box<geo::LonLat> bbox;  ///< area to cover; empty = the scene's bounds
    int scale = 1;               ///< 1 = 256 px tiles, 2 = 512 px
    int metatile = 8;            ///< metatile side in tiles (1..16)
    /// PNG compression: 0 = fast (tiles of over 256 colours deflated by ISA-L's igzip, about 8x
    /// faster than level 6 for files about 14% larger); 1..12 = libdeflate's level for every tile
    /// (6 is zlib's default, 12 the smallest and slowest). The pixels are the same at every level.
    int png_level = 0;
    unsigned threads = 0;  ///< 0 = all cores
    int shard_index = 0;   ///< this run renders the metatiles k with k % shard_count == shard_index
    int shard_count = 1;
    std::function<void(const TileProgress&)> progress;  ///< may be empty
};

/// Describes a tile set: what every sink writes as its metadata (MBTiles `metadata` rows,
/// PMTiles header and metadata, a folder's `metadata.json`, `tiles.json` and preview page).
/// render_tiles() fills in the zooms, bounds and scale; the caller gives the texts and legend.
struct TilesetInfo {
    std::string name = "choro";
    std::string description;
    std::string attribution;
    std::string legend_title;
    std::vector<styles::LegendItem> legend;  ///< top to bottom, as on the print map
    int min_zoom = 0;
    int max_zoom = 7;
    geo::Box<geo::LonLat> bounds;  ///< of the tiles rendered, rounded to 1e-6° (tileset_bounds)
    int scale = 1;                 ///< 1 = 256 px tiles, 2 = 512 px
    std::string format = "png";    ///< tile format, as MBTiles and TileJSON name it
    /// What a page opens on: the data's longitudes and latitudes, the east edge past 180 for data
    /// across 180° (render_tiles fills it in). Empty: `bounds`. Not stored in the metadata.
    geo::Box<geo::LonLat> view;
    /// Where a folder will be served ("https://example.org/tiles/"): TileJSON 3.0.0 wants absolute
    /// tile URLs, made by prefixing it. Empty: relative to tiles.json. Not stored in the metadata.
    std::string base_url;
};

/// The bounds a tile set records for the area `bbox` rendered: clamped to Web Mercator's
/// latitudes and rounded to 1e-6° (as MBTiles metadata stores them), so every format and a
/// merge of shards state the same numbers. The one place bounds are rounded.
[[nodiscard]] geo::Box<geo::LonLat> tileset_bounds(const geo::Box<geo::LonLat>& bbox);

/// What a run did.
struct TileStats {
    std::uint64_t tiles = 0;      ///< tiles in this run's part of the pyramid
    std::uint64_t written = 0;    ///< tiles stored (not empty)
    std::uint64_t empty = 0;      ///< tiles no feature touches (not stored: transparent)
    std::uint64_t solid = 0;      ///< stored tiles of one colour (encoded once per colour)
    std::uint64_t resumed = 0;    ///< tiles of metatiles already done by an earlier, interrupted run
    std::uint64_t metatiles = 0;  ///< metatiles rendered by this run
    std::uint64_t max_bytes = 0;  ///< vector tiles: largest tile this run stored, before gzip (0 for PNG)
    std::uint64_t coarsened = 0;  ///< vector tiles simplified further to stay under the size limit
    double seconds = 0.0;
    TilesetInfo tileset;         ///< the tile set as written (zooms, bounds, scale filled in)
    std::filesystem::path path;  ///< where it was written: `out`, or the shard's MBTiles part
};

/// The kind of output, from the path: `.mbtiles`, `.pmtiles`, anything else a folder.
enum class TileFormat { folder, mbtiles, pmtiles };
[[nodiscard]] TileFormat tile_format_from_path(const std::filesystem::path& out);

/// Renders the pyramid into `out` (folder, .mbtiles or .pmtiles). Tiles stream to the output as
/// they are cut, so memory does not grow with zoom. The output appears whole: every format is
/// built under a temporary name beside `out` (`out.partial`, a folder for folders) with its
/// metadata (a folder gets `metadata.json`, `tiles.json` and the preview page) and renamed into
/// place at the end; a folder replaces an earlier tile folder at `out` whole, and anything else at
/// `out` is refused. A run that was killed is resumed from the temporary state (metatiles already
/// stored are skipped); the previous output stays untouched until then. With `shard_count > 1`, `out` names the whole
/// set and this run writes the MBTiles part shard_part_path(out, …), to be joined by merge_tiles().
///
///     auto stats = choro::render::render_tiles(scene, job.style, {.max_zoom = 7}, "us.pmtiles", info);
///
/// Returns what it did, with the tile set description as written (stats.tileset).
/// Throws RenderError naming the path (disk, SQLite; `out` a file where a folder is wanted, or a
/// folder that is not a tile folder), LimitError for bad zooms, scale or metatile.
TileStats render_tiles(const pipeline::Scene& scene,
                       const styles::StyleSettings& style,
                       const TileOptions& options,
                       const std::filesystem::path& out,
                       TilesetInfo info);

/// How vector tiles are cut (Mapbox Vector Tile 2.1).
struct VectorTileOptions {
    int extent = 4096;                     ///< tile side in integer units
    int buffer = 64;                       ///< units kept beyond each tile edge (64 = 4 px of 256)
    double tolerance = 1.0;                ///< Douglas-Peucker tolerance in units at every zoom
    std::size_t max_tile_bytes = 500'000;  ///< larger tiles are simplified further until they fit
};

/// Renders Mapbox Vector Tiles 2.1 of the scene (projected to Web Mercator) into `out` like
/// render_tiles() (same outputs, sharding, resume, merge; `options.scale` is ignored). Two layers:
/// `features` (the scene's features: `key`, `name`, `value` (absent without data), `class`
/// (0-based class, -1 the zero class, -2 no data), `highlight` (the reason, the legend's label of
/// the mark; absent when not highlighted) and `mark` (the legend swatch: hatch, partial_hatch))
/// and `overlay` (`ban`, `mark`: overlay_hatch, overlay_enacted; absent without a ban). Polygons
/// are simplified per zoom, snapped to the integer grid, clipped with the buffer, valid (OGC) and
/// wound as the spec says; a feature too small for a zoom's grid is kept as one unit square.
/// MBTiles and PMTiles store the tiles gzipped (format pbf, `vector_layers` in the metadata), a
/// folder as plain `z/x/y.pbf` with tiles.json. A tile over `max_tile_bytes` is simplified
/// further until it fits (counted in TileStats::coarsened). Throws like render_tiles().
TileStats render_vector_tiles(const pipeline::Scene& scene,
                              const TileOptions& options,
                              const std::filesystem::path& out,
                              TilesetInfo info,
                              const VectorTileOptions& vector = {});

/// Draws a rectangle of tiles at one zoom as one image (straight RGBA, transparent where no
/// feature is): what the tiles of that rectangle, stitched, must equal. Throws LimitError.
[[nodiscard]] Image render_tile_area(const pipeline::Scene& scene,
                                     const styles::StyleSettings& style,
                                     const geo::TileRange& range,
                                     int scale);

/// `out` → `out.part-0002-of-0008.mbtiles` (indices 0-based, zero-padded so parts sort).
[[nodiscard]] std::filesystem::path shard_part_path(const std::filesystem::path& out, int index, int count);

/// Joins MBTiles parts written by sharded runs into `out` (.mbtiles, .pmtiles or a folder),
/// giving the same tiles and metadata as a single run (byte-identical for PMTiles; a folder gets
/// its `tiles.json` and preview page). The parts are only read. Returns the tile set written.
/// Throws InputError naming a part that is missing, not a choro part, or made by another job
/// than the first part (other data, settings, metatile or zooms: the fingerprint each part
/// records), or when the parts disagree on their metadata; RenderError for write failures.
/// `base_url`: see TilesetInfo::base_url (not recorded in the parts).
TilesetInfo merge_tiles(const std::vector<std::filesystem::path>& parts,
                        const std::filesystem::path& out,
                        const std::string& base_url = {});

/// TileJSON 3.0.0 for a tile set whose tiles are at `info.base_url + tiles_url` (e.g.
/// "{z}/{x}/{y}.png"). The legend is there twice: in words (`legend`, a string as 3.0.0 says) and
/// as data (`choro_legend`: {"title", "items":[{"label","color","swatch","count"}]}).
[[nodiscard]] std::string tilejson(const TilesetInfo& info, const std::string& tiles_url);

/// The preview page: Leaflet from `leaflet/` beside it (written there by write_preview), the
/// tiles from `tiles_url`, and the legend. No network access needed.
[[nodiscard]] std::string preview_html(const TilesetInfo& info, const std::string& tiles_url);

/// Writes `tiles.json` (TileJSON), `index.html` and Leaflet (`leaflet/leaflet.js`,
/// `leaflet/leaflet.css` and its LICENSE, embedded in choro at build time) into `dir`. The
/// folder sink calls it; call it yourself to preview tiles served from elsewhere.
/// Throws RenderError on write failures.
void write_preview(const std::filesystem::path& dir, const TilesetInfo& info, const std::string& tiles_url);

/// Reads the stored tiles of an MBTiles file (in XYZ numbering) one by one, for merging and tests.
/// Throws InputError naming the file when it cannot be read.
void for_each_mbtiles_tile(const std::filesystem::path& mbtiles,
                           const std::function<void(const geo::TileId&, const std::string& png)>& fn);

}  // namespace choro::render
