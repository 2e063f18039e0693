#pragma once

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
    unsigned threads = 0;        ///< 0 = all cores
    int shard_index = 0;         ///< this run renders the metatiles k with k % shard_count == shard_index
    int shard_count = 1;
    std::function<void(const TileProgress&)> progress;  ///< may be empty
};

/// Describes a tile set in MBTiles metadata, PMTiles metadata and TileJSON.
struct TilesetInfo {
    std::string name = "choro";
    std::string description;
    std::string attribution;
    std::string legend_json;  ///< styles::legend_json(...)
    int min_zoom = 0;
    int max_zoom = 7;
    geo::Box<geo::LonLat> bounds;  ///< of the tiles rendered
    int scale = 1;
};

/// What a run did.
struct TileStats {
    std::uint64_t tiles = 0;      ///< tiles in this run's part of the pyramid
    std::uint64_t written = 0;    ///< tiles stored (not empty)
    std::uint64_t empty = 0;      ///< tiles no feature touches (not stored: transparent)
    std::uint64_t solid = 0;      ///< stored tiles of one colour (encoded once per colour)
    std::uint64_t resumed = 0;    ///< tiles of metatiles already done by an earlier, interrupted run
    std::uint64_t metatiles = 0;  ///< metatiles rendered by this run
    double seconds = 0.0;
};

/// The kind of output, from the path: `.mbtiles`, `.pmtiles`, anything else a folder.
enum class TileFormat { folder, mbtiles, pmtiles };
[[nodiscard]] TileFormat tile_format_from_path(const std::filesystem::path& out);

/// Renders the pyramid into `out` (folder, .mbtiles or .pmtiles). Tiles stream to the output as
/// they are cut, so memory does not grow with zoom. The output appears whole: MBTiles and PMTiles
/// are built under a temporary name and renamed at the end; a folder gets its TileJSON and
/// index.html last. A run that was killed is resumed from the temporary state (metatiles already
/// stored are skipped). With `shard_count > 1`, `out` names the whole set and this run writes the
/// MBTiles part shard_part_path(out, …), to be joined by merge_tiles().
///
///     auto stats = choro::render::render_tiles(scene, job.style, {.max_zoom = 7}, "us.pmtiles", info);
///
/// Throws RenderError naming the path (disk, SQLite), LimitError for bad zooms, scale or metatile.
TileStats render_tiles(const pipeline::Scene& scene,
                       const styles::StyleSettings& style,
                       const TileOptions& options,
                       const std::filesystem::path& out,
                       TilesetInfo info);

/// Draws a rectangle of tiles at one zoom as one image (straight RGBA, transparent where no
/// feature is): what the tiles of that rectangle, stitched, must equal. Throws LimitError.
[[nodiscard]] Image render_tile_area(const pipeline::Scene& scene,
                                     const styles::StyleSettings& style,
                                     const geo::TileRange& range,
                                     int scale);

/// `out` → `out.part-0002-of-0008.mbtiles` (indices 0-based, zero-padded so parts sort).
[[nodiscard]] std::filesystem::path shard_part_path(const std::filesystem::path& out, int index, int count);

/// Joins MBTiles parts written by sharded runs into `out` (.mbtiles, .pmtiles or a folder),
/// giving the same tiles and metadata as a single run (byte-identical for PMTiles). The parts
/// are only read. Throws InputError naming a part that is missing or not a choro part, or when
/// the parts disagree on their metadata; RenderError for write failures.
void merge_tiles(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& out);

/// TileJSON 3.0.0 for a tile set whose tiles are at `tiles_url` (e.g. "{z}/{x}/{y}.png").
[[nodiscard]] std::string tilejson(const TilesetInfo& info, const std::string& tiles_url);

/// The preview page: Leaflet from `leaflet/` beside it (copied there by write_preview), the
/// tiles from `tiles_url`, and the legend. No network access needed.
[[nodiscard]] std::string preview_html(const TilesetInfo& info, const std::string& tiles_url);

/// Writes `tiles.json` (TileJSON) and `index.html` into `dir` and copies Leaflet's `leaflet.js`
/// and `leaflet.css` from `leaflet_dist` (an npm `leaflet/dist` folder) into `dir/leaflet/`.
/// Throws InputError when `leaflet_dist` lacks them, RenderError on write failures.
void write_preview(const std::filesystem::path& dir,
                   const TilesetInfo& info,
                   const std::string& tiles_url,
                   const std::filesystem::path& leaflet_dist);

/// Reads the stored tiles of an MBTiles file (in XYZ numbering) one by one, for merging and tests.
/// Throws InputError naming the file when it cannot be read.
void for_each_mbtiles_tile(const std::filesystem::path& mbtiles,
                           const std::function<void(const geo::TileId&, const std::string& png)>& fn);

}  // namespace choro::render
