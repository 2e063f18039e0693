#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "choro/geo/geometry.hpp"

/// @file
/// Boundary layers read through GDAL/OGR.

namespace choro::geo {

/// One boundary feature: its join key (always text; FIPS keep their zeros), a display name,
/// its geometry in lon/lat and its other attributes as text.
struct Feature {
    std::string key;
    std::string name;
    MultiPolygon<LonLat> geometry;
    std::vector<std::pair<std::string, std::string>> attributes;  ///< field name → value as text
    long long fid = -1;                                           ///< OGR feature id, for messages
};

/// What the reader did to the geometries it was given (reported, never silent).
struct ReadStats {
    std::size_t features_read = 0;
    std::size_t empty_geometries = 0;     ///< null or empty geometries (kept with an empty MultiPolygon)
    std::size_t repaired = 0;             ///< invalid polygons (self-intersecting) made valid
    std::size_t rewound = 0;              ///< rings whose winding was corrected
    std::size_t non_polygon_skipped = 0;  ///< points and lines in a polygon layer
    std::vector<std::string> warnings;    ///< one line each, already naming the feature
};

/// A layer of boundary features, always in lon/lat (the reader transforms from the source CRS).
struct Layer {
    std::string source;      ///< path as the user gave it
    std::string name;        ///< layer name inside the source
    std::string source_crs;  ///< the CRS the data came in, as PROJ/OGR describe it ("EPSG:4326", WKT name...)
    std::vector<Feature> features;
    ReadStats stats;
};

/// Options of read_layer().
struct LayerOptions {
    std::string layer;       ///< layer name; empty = the first (only) layer, error if several and ambiguous
    std::string key_field;   ///< field holding the key; empty = the OGR FID / TopoJSON "id"
    std::string name_field;  ///< display names; empty = "name", "NAME" or "NAMELSAD" when present
    std::string srs;         ///< CRS to assume when the source has none ("EPSG:4326"); overrides nothing
    std::string cache_dir;   ///< prepared-geometry cache folder (see layer_cache.hpp); empty = no cache
};

/// Reads every polygon feature of one layer of any OGR source (shapefile, GeoPackage, GeoJSON,
/// TopoJSON, `/vsizip/` and plain `.zip` paths are opened through GDAL's virtual file systems).
///
///     auto counties = choro::geo::read_layer("counties-10m.json", {.layer = "counties", .srs = "EPSG:4326"});
///
/// Geometries are converted to lon/lat, invalid ones repaired (counted in `stats`), rings closed.
/// With `options.cache_dir` set, a layer read before from the same bytes comes from the cache.
/// Throws InputError naming the path (and layer, field or feature) when the source cannot be
/// opened, the layer or key field does not exist, or the source has no CRS and none was given.
[[nodiscard]] Layer read_layer(const std::string& path, const LayerOptions& options);

/// The names of the layers in a source (for messages and `choro info`). Throws InputError.
[[nodiscard]] std::vector<std::string> list_layers(const std::string& path);

}  // namespace choro::geo
