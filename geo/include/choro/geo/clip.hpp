#pragma once

#include <optional>
#include <string>
#include <vector>

#include "choro/geo/geometry.hpp"

/// @file
/// Cutting and clipping on the globe, before projection: the seam of a world-wrapping projection
/// (lon_0 ± 180°), the visible cap of an azimuthal or perspective one, a latitude band (Mercator) and
/// a lon/lat extent that may cross 180°. The idea is d3-geo's (clipAntimeridian, clipCircle): pieces
/// that leave the visible area are cut where they leave it and closed along its edge, so a polygon
/// crossing the seam becomes pieces at the two opposite edges of the map and one enclosing a pole
/// closes along the map's top or bottom edge. Edges are straight lines in lon/lat (as OGC and GDAL
/// read them), not great circles.

namespace choro::geo {

/// A lon/lat box in degrees. `west > east` means the box crosses 180° (170,50,-130,72 is the
/// Bering Sea); west == east is not a box.
struct Extent {
    double west = -180.0;
    double south = -90.0;
    double east = 180.0;
    double north = 90.0;

    /// Width in degrees of longitude, 0 < width <= 360 for a valid extent.
    [[nodiscard]] double width() const noexcept { return east > west ? east - west : east - west + 360.0; }
    /// Whether a point lies inside (longitudes compared modulo 360).
    [[nodiscard]] bool contains(const LonLat& p) const noexcept;
};

/// How a projection shows the globe, and so how geometry must be cut before projecting.
struct ClipSpec {
    enum class Kind {
        none,  ///< nothing is cut (regional composite projections)
        seam,  ///< cut at lon_0 ± 180° (cylindrical, pseudo-cylindrical, conic)
        cap,   ///< keep a spherical cap around (lon_0, lat_0) of `radius` degrees (azimuthal, perspective)
    };
    Kind kind = Kind::none;
    double lon_0 = 0.0;            ///< seam: the central meridian; cap: the centre's longitude
    double lat_0 = 0.0;            ///< cap: the centre's latitude
    double radius = 90.0;          ///< cap: angular radius in degrees, 0 < radius < 180
    double max_lat = 90.0;         ///< seam: latitudes beyond ±max_lat are cut too (Mercator: 85.0511)
    std::optional<Extent> extent;  ///< also keep only what lies in this box
};

/// Cuts lon/lat geometry as a ClipSpec says. Holds no resources; cheap to copy.
///
///     choro::geo::SphereClip clip({.kind = ClipSpec::Kind::seam, .lon_0 = 150.0});
///     auto pieces = clip.polygons(greenland);   // two pieces, one each side of -30°
///
/// Rings in and out are closed. Output longitudes are chosen so that `lon - lon_0` lies strictly
/// inside (-180, 180) in seam mode (points on the seam are pulled in by 1e-7°), so a projection with
/// that lon_0 puts each piece on its own side of the map. Polygons are handled ring by ring with
/// their holes; the parity of crossings along each cut line decides how pieces are closed, so ring
/// orientation does not matter. A ring that winds around a pole (Antarctica, a polar cap) is closed
/// through the pole on the side of its mean latitude. Never throws except std::bad_alloc. O(n log n)
/// per polygon cut, O(n) for polygons that need no cut.
class SphereClip {
public:
    SphereClip() = default;
    explicit SphereClip(const ClipSpec& spec);

    /// Polygons cut and clipped; pieces with no area are dropped.
    [[nodiscard]] MultiPolygon<LonLat> polygons(const MultiPolygon<LonLat>& geometry) const;
    /// Lines (open polylines) cut and clipped into the runs that stay visible.
    [[nodiscard]] std::vector<Ring<LonLat>> lines(const std::vector<Ring<LonLat>>& lines) const;
    /// The outline of everything visible (the globe in that projection, within the extent) as one
    /// or more polygons.
    [[nodiscard]] MultiPolygon<LonLat> sphere() const;
    /// Lines of a graticule every `step` degrees (meridians and parallels), cut like the data.
    [[nodiscard]] std::vector<Ring<LonLat>> graticule(double step) const;

    [[nodiscard]] const ClipSpec& spec() const noexcept { return m_spec; }

private:
    ClipSpec m_spec;
};

/// Inserts points along lon/lat edges longer than `max_step` degrees (in either coordinate), evenly,
/// so later cuts and projections see no long straight edges. O(output points).
[[nodiscard]] Ring<LonLat> densify_ring(const Ring<LonLat>& ring, double max_step);

/// Great-circle distance between two points, in degrees of arc (on a sphere).
[[nodiscard]] double angular_distance(const LonLat& a, const LonLat& b) noexcept;

}  // namespace choro::geo
