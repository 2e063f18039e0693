#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "choro/geo/geometry.hpp"

/// @file
/// Web Mercator (EPSG:3857) tile math for XYZ tiles (origin top left, y down), as used by
/// OpenStreetMap, Leaflet and MapLibre, plus the Hilbert tile id of PMTiles v3.
///
/// The formulas are those of the spherical Mercator (EPSG:3857 uses the WGS84 semi-major axis as
/// the sphere radius); they are checked in tests against PROJ and @mapbox/tilebelt.

namespace choro::geo {

/// Half the width of the Web Mercator square in metres (π · 6378137).
inline constexpr double web_mercator_half = 20037508.342789244;
/// Latitude of the top edge of tile 0/0/0 (atan(sinh(π)) in degrees).
inline constexpr double web_mercator_max_lat = 85.05112877980659;
/// Deepest zoom the tile functions accept (PMTiles ids fit 64 bits up to zoom 31; we stop at 26
/// like the PMTiles reference implementation).
inline constexpr int max_tile_zoom = 26;

/// One XYZ tile. x grows east, y grows south, both in [0, 2^z).
struct TileId {
    int z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;

    friend bool operator==(const TileId&, const TileId&) = default;
    friend auto operator<=>(const TileId&, const TileId&) = default;
};

/// An inclusive range of zoom levels.
struct ZoomRange {
    int min = 0;
    int max = 7;
    friend bool operator==(const ZoomRange&, const ZoomRange&) = default;
};

/// "z/x/y", for messages and paths.
[[nodiscard]] std::string to_string(const TileId& t);

/// Checks 0 <= z <= max_tile_zoom and x, y < 2^z. Throws LimitError naming the tile otherwise.
void validate(const TileId& t);

/// Number of tiles along one side at zoom z (2^z).
[[nodiscard]] constexpr std::uint32_t tiles_per_side(int z) noexcept {
    return std::uint32_t{1} << z;
}

/// Lon/lat → EPSG:3857 metres. Latitudes beyond ±web_mercator_max_lat are clamped to it.
[[nodiscard]] Projected lonlat_to_mercator(const LonLat& p) noexcept;
/// EPSG:3857 metres → lon/lat.
[[nodiscard]] LonLat mercator_to_lonlat(const Projected& p) noexcept;

/// The tile's square in EPSG:3857 metres. Throws LimitError for an invalid tile.
[[nodiscard]] Box<Projected> tile_bounds(const TileId& t);
/// The tile's bounds in degrees (west, south in `min`; east, north in `max`). Throws LimitError.
[[nodiscard]] Box<LonLat> tile_lonlat_bounds(const TileId& t);

/// The tile at zoom z holding a point (points on an edge belong to the tile east / south of it;
/// longitudes are clamped to [-180, 180), latitudes to the Mercator limits). Throws LimitError for a bad zoom.
[[nodiscard]] TileId lonlat_to_tile(const LonLat& p, int z);

/// An inclusive rectangle of tiles at one zoom.
struct TileRange {
    int z = 0;
    std::uint32_t min_x = 0;
    std::uint32_t min_y = 0;
    std::uint32_t max_x = 0;
    std::uint32_t max_y = 0;

    [[nodiscard]] std::uint64_t count() const noexcept {
        return std::uint64_t{max_x - min_x + 1} * std::uint64_t{max_y - min_y + 1};
    }
    [[nodiscard]] bool contains(const TileId& t) const noexcept {
        return t.z == z && t.x >= min_x && t.x <= max_x && t.y >= min_y && t.y <= max_y;
    }
    friend bool operator==(const TileRange&, const TileRange&) = default;
};

/// The tiles at zoom z that cover a lon/lat box (west, south in `min`; east, north in `max`).
/// A box edge lying exactly on a tile edge does not pull in the neighbour tile. Throws LimitError
/// for a bad zoom, an empty box or west > east (boxes across the antimeridian are not supported).
[[nodiscard]] TileRange tile_range(const Box<LonLat>& bbox, int z);

/// The PMTiles v3 tile id: tiles of all lower zooms first, then the position along a Hilbert
/// curve at zoom z. Throws LimitError for an invalid tile.
[[nodiscard]] std::uint64_t hilbert_tile_id(const TileId& t);
/// Inverse of hilbert_tile_id(). Throws LimitError for ids beyond zoom max_tile_zoom.
[[nodiscard]] TileId tile_from_hilbert_id(std::uint64_t id);

}  // namespace choro::geo
