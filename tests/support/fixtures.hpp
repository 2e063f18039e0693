#pragma once

#include <filesystem>
#include <string>
#include <vector>

/// @file
/// Inputs shared by the robustness tests: the four-county grid (FIPS 01001 01003 01005 01007 at
/// 88–86° W, 32–34° N) as GeoJSON, its value table, and the flags of a small, fast map.

namespace choro::test {

/// One GeoJSON feature: key (property GEOID), name (property NAME) and the geometry as JSON text.
struct JsonFeature {
    std::string key;
    std::string name;
    std::string geometry;  ///< e.g. {"type":"Polygon","coordinates":[...]}, or "null"
};

/// A closed ring as GeoJSON coordinates "[[x,y],…]" from (x, y) pairs.
[[nodiscard]] std::string json_ring(const std::vector<std::pair<double, double>>& points);
/// A square polygon, counter-clockwise (RFC 7946 exterior winding).
[[nodiscard]] std::string json_square(double x0, double y0, double x1, double y1);
/// A FeatureCollection; `crs` empty = none (CRS84 by RFC 7946), else a URN such as
/// "urn:ogc:def:crs:EPSG::5070".
[[nodiscard]] std::string feature_collection(const std::vector<JsonFeature>& features, const std::string& crs = {});

/// The four grid counties with square geometries.
[[nodiscard]] std::vector<JsonFeature> grid_features();
/// Their value table, "fips,agreements" with values 3, 0, 7, 1.
[[nodiscard]] std::string grid_values_csv();

/// `render` flags for boundaries `b` and values `v`: key GEOID, value column agreements,
/// EPSG:5070, `width` × `height` pixels at 72 dpi. No output flag.
[[nodiscard]] std::vector<std::string> render_args(const std::filesystem::path& b,
                                                   const std::filesystem::path& v,
                                                   int width = 200,
                                                   int height = 120);

/// True when no file in `dir` has a name starting with `prefix` (e.g. "out." for out.png and
/// its temporaries out.png.tmp-…).
[[nodiscard]] bool no_files_starting(const std::filesystem::path& dir, const std::string& prefix);

}  // namespace choro::test
