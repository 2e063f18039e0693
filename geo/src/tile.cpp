#include "choro/geo/tile.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "choro/geo/error.hpp"

namespace choro::geo {

namespace {

constexpr double earth_radius = 6378137.0;  // EPSG:3857 sphere = WGS84 semi-major axis

void check_zoom(int z) {
    if (z < 0 || z > max_tile_zoom) {
        throw LimitError("zoom " + std::to_string(z) + " is out of range: expected 0.." +
                         std::to_string(max_tile_zoom));
    }
}

double deg(double rad) noexcept {
    return rad * 180.0 / std::numbers::pi;
}
double rad(double degrees) noexcept {
    return degrees * std::numbers::pi / 180.0;
}

// Hilbert curve rotation of the PMTiles reference (protomaps/PMTiles js/src/index.ts).
void rotate(std::uint64_t n, std::uint64_t& x, std::uint64_t& y, std::uint64_t rx, std::uint64_t ry) noexcept {
    if (ry == 0) {
        if (rx == 1) {
            x = n - 1 - x;
            y = n - 1 - y;
        }
        std::swap(x, y);
    }
}

// Tiles in all zooms below z: (4^z - 1) / 3.
std::uint64_t tiles_below(int z) noexcept {
    return ((std::uint64_t{1} << (2 * z)) - 1) / 3;
}

}  // namespace

std::string to_string(const TileId& t) {
    return std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y);
}

void validate(const TileId& t) {
    check_zoom(t.z);
    if (t.x >= tiles_per_side(t.z) || t.y >= tiles_per_side(t.z)) {
        throw LimitError("tile " + to_string(t) + " is outside zoom " + std::to_string(t.z) +
                         ": x and y must be below " + std::to_string(tiles_per_side(t.z)));
    }
}

Projected lonlat_to_mercator(const LonLat& p) noexcept {
    const double lat = std::clamp(p.y, -web_mercator_max_lat, web_mercator_max_lat);
    return {earth_radius * rad(p.x), earth_radius * std::log(std::tan(std::numbers::pi / 4.0 + rad(lat) / 2.0))};
}

LonLat mercator_to_lonlat(const Projected& p) noexcept {
    return {deg(p.x / earth_radius), deg(2.0 * std::atan(std::exp(p.y / earth_radius)) - std::numbers::pi / 2.0)};
}

Box<Projected> tile_bounds(const TileId& t) {
    validate(t);
    const double size = 2.0 * web_mercator_half / tiles_per_side(t.z);
    Box<Projected> b;
    b.min = {-web_mercator_half + t.x * size, web_mercator_half - (t.y + 1.0) * size};
    b.max = {-web_mercator_half + (t.x + 1.0) * size, web_mercator_half - t.y * size};
    return b;
}

Box<LonLat> tile_lonlat_bounds(const TileId& t) {
    validate(t);
    // Directly from tile numbers (as tilebelt does) rather than through metres, to keep full precision.
    const double n = tiles_per_side(t.z);
    auto lon = [n](double x) { return x / n * 360.0 - 180.0; };
    auto lat = [n](double y) { return deg(std::atan(std::sinh(std::numbers::pi * (1.0 - 2.0 * y / n)))); };
    Box<LonLat> b;
    b.min = {lon(t.x), lat(t.y + 1.0)};
    b.max = {lon(t.x + 1.0), lat(t.y)};
    return b;
}

namespace {

// Fractional tile coordinates of a point at zoom z.
void fractional_tile(const LonLat& p, int z, double& fx, double& fy) noexcept {
    const double n = tiles_per_side(z);
    const double lat = rad(std::clamp(p.y, -web_mercator_max_lat, web_mercator_max_lat));
    fx = (p.x + 180.0) / 360.0 * n;
    fy = (1.0 - std::log(std::tan(lat) + 1.0 / std::cos(lat)) / std::numbers::pi) / 2.0 * n;
}

std::uint32_t clamp_index(double f, int z) noexcept {
    const double last = tiles_per_side(z) - 1.0;
    return static_cast<std::uint32_t>(std::clamp(std::floor(f), 0.0, last));
}

}  // namespace

TileId lonlat_to_tile(const LonLat& p, int z) {
    check_zoom(z);
    double fx = 0;
    double fy = 0;
    fractional_tile(p, z, fx, fy);
    return {z, clamp_index(fx, z), clamp_index(fy, z)};
}

TileRange tile_range(const Box<LonLat>& bbox, int z) {
    check_zoom(z);
    if (bbox.empty()) {
        throw LimitError("tile range: the bounding box is empty (expected west <= east and south <= north)");
    }
    double x0 = 0;
    double y0 = 0;
    double x1 = 0;
    double y1 = 0;
    fractional_tile({bbox.min.x, bbox.max.y}, z, x0, y0);  // north-west corner
    fractional_tile({bbox.max.x, bbox.min.y}, z, x1, y1);  // south-east corner
    TileRange r;
    r.z = z;
    r.min_x = clamp_index(x0, z);
    r.min_y = clamp_index(y0, z);
    // An east or south edge exactly on a tile edge belongs to the tile before it.
    r.max_x = std::max(r.min_x, clamp_index(std::ceil(x1) - 1.0, z));
    r.max_y = std::max(r.min_y, clamp_index(std::ceil(y1) - 1.0, z));
    return r;
}

std::uint64_t hilbert_tile_id(const TileId& t) {
    validate(t);
    const std::uint64_t n = std::uint64_t{1} << t.z;
    std::uint64_t x = t.x;
    std::uint64_t y = t.y;
    std::uint64_t d = 0;
    for (std::uint64_t s = n / 2; s > 0; s /= 2) {
        const std::uint64_t rx = (x & s) > 0 ? 1 : 0;
        const std::uint64_t ry = (y & s) > 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        rotate(s, x, y, rx, ry);
    }
    return tiles_below(t.z) + d;
}

TileId tile_from_hilbert_id(std::uint64_t id) {
    int z = 0;
    while (z <= max_tile_zoom && id >= tiles_below(z + 1)) {
        ++z;
    }
    if (z > max_tile_zoom) {
        throw LimitError("PMTiles tile id " + std::to_string(id) + " is beyond zoom " + std::to_string(max_tile_zoom));
    }
    const std::uint64_t n = std::uint64_t{1} << z;
    std::uint64_t t = id - tiles_below(z);
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    for (std::uint64_t s = 1; s < n; s *= 2) {
        const std::uint64_t rx = 1 & (t / 2);
        const std::uint64_t ry = 1 & (t ^ rx);
        rotate(s, x, y, rx, ry);
        x += s * rx;
        y += s * ry;
        t /= 4;
    }
    return {z, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)};
}

}  // namespace choro::geo
