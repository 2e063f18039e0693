#pragma once

#include <filesystem>
#include <string>

#include "choro/pipeline/scene.hpp"
#include "choro/render/tiles.hpp"
#include "choro/styles/job.hpp"

/// @file
/// The web map of a tile set: a MapLibre style (`style.json`) with the job's class colours as a
/// data-driven expression, a sprite of the holdout and state-ban hatches drawn by Cairo with the
/// print map's own marks, and an offline page (`index.html`, MapLibre GL JS and the pmtiles
/// protocol embedded in choro) with hover, search, URL hash and legend.
///
/// Vector tiles are those of render_vector_tiles(): a layer `features` with `key`, `name`, `value`
/// (absent: no data), `highlight` (the reason, shown on hover) and `mark` (`hatch`,
/// `partial_hatch`), and a layer `overlay` with `mark` (`overlay_hatch`, `overlay_enacted`).

namespace choro::render {

/// Raster tiles (PNG, drawn by choro) or Mapbox Vector Tiles (styled in the browser).
enum class TileKind { raster, vector };

/// Where the page finds its tiles, relative to the page: a URL template for a folder
/// ("{z}/{x}/{y}.pbf") or a PMTiles file ("pmtiles://us.pmtiles").
struct WebMapSource {
    TileKind kind = TileKind::vector;
    std::string url;
};

/// The MapLibre style (spec version 8) of a tile set, as JSON text. Fills: a `case` on `value`
/// (no data and zero colours) around a `step` on `value` whose thresholds separate the scene's
/// classes exactly (the shortest decimal between the largest value of one class and the smallest
/// of the next); holdouts: the sprite's hatch pattern and a strong outline; state bans: a hatch
/// and a translucent band inside the border. Relative URLs (`sprite`, tiles) are relative to the
/// style file. Deterministic. Throws nothing but std::bad_alloc.
///
///     const auto json = choro::render::maplibre_style(scene, job.style, stats.tileset, {TileKind::vector,
///     "pmtiles://us.pmtiles"}, "sprite");
[[nodiscard]] std::string maplibre_style(const pipeline::Scene& scene,
                                         const styles::StyleSettings& style,
                                         const TilesetInfo& info,
                                         const WebMapSource& source,
                                         const std::string& sprite_url);

/// One sprite sheet: the PNG and its index JSON (MapLibre's sprite format).
struct SpriteSheet {
    std::string png;
    std::string json;
};

/// The fill patterns of the map at `pixel_ratio` (1 or 2): `holdout`, `partial`, `state-ban`,
/// `enacted-ban`, drawn with the print map's hatch marks in the style's highlight colour. Each
/// pattern is a whole number of hatch periods wide, so it tiles seamlessly. Deterministic.
/// Throws RenderError on a Cairo failure, LimitError for a pixel ratio other than 1 or 2.
[[nodiscard]] SpriteSheet hatch_sprite(const styles::StyleSettings& style, int pixel_ratio);

/// The interactive page: MapLibre GL JS and pmtiles from `maplibre/` beside it, the style from
/// `style_url`, fitted to the tile set's bounds (across 180° too), with hover (name, value,
/// highlight reason; vector tiles), a search box over every feature (name or key, index embedded
/// in the page), the view in the URL hash, the legend, the title and the source note.
[[nodiscard]] std::string web_map_html(const pipeline::Scene& scene,
                                       const TilesetInfo& info,
                                       const WebMapSource& source,
                                       const std::string& style_url);

/// Writes the web map of the tile set at `tiles` (a folder or a `.pmtiles` file) beside it. A
/// folder gets `style.json`, `sprite.{png,json}`, `sprite@2x.{png,json}`, `index.html` and
/// `maplibre/` inside it; a file `X.pmtiles` gets `X.style.json`, `X.sprite…`, `X.html` and
/// `maplibre/` in its folder. Vector folders are expected to hold `{z}/{x}/{y}.pbf`; raster
/// folders already get a Leaflet page from the sink (file:// works there), so only the style is
/// written. `.mbtiles` needs a tile server: nothing is written. Returns the page written (empty
/// when none). Throws RenderError on write failures.
std::filesystem::path write_web_map(const std::filesystem::path& tiles,
                                    const pipeline::Scene& scene,
                                    const styles::StyleSettings& style,
                                    const TilesetInfo& info,
                                    TileKind kind);

}  // namespace choro::render
