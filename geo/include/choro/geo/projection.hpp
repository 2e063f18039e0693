#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "choro/geo/clip.hpp"
#include "choro/geo/geometry.hpp"
#include "choro/geo/layer.hpp"

/// @file
/// Map projections through PROJ, including the composite US Albers projection with insets.

namespace choro::geo {

/// An inset of a composite projection: the part of the world it shows, the frame drawn around
/// it in projected coordinates, and how its own projection is placed (scale, then offset).
struct Inset {
    std::string name;      ///< "conus", "alaska", "hawaii", "puerto-rico"
    std::string crs;       ///< PROJ definition of the inset's own projection
    double scale = 1.0;    ///< applied to the inset's projected coordinates...
    Projected offset;      ///< ...then this is added
    Box<Projected> frame;  ///< drawn around the inset (empty for the main area)
};

/// A projection from lon/lat to a plane. Build once and reuse: creating PROJ transformers is the
/// costly part (up to 200 ms each through PROJ's database); transforming is cheap.
///
///     choro::geo::Projection albers("us-albers");
///     auto plane = albers.project(feature.geometry);
///
/// Specs: "us-albers" (composite: lower 48 + DC in EPSG:5070, Alaska, Hawaii, Puerto Rico as insets),
/// "web-mercator" (EPSG:3857), "EPSG:n", any CRS string PROJ accepts ("+proj=…", WKT, "ESRI:n").
/// A "+proj=" string without "+type=crs" is read as a CRS (the suffix is added). The two names are
/// matched case-insensitively. Input is lon/lat on EPSG:4326 (longitude first), so results equal
/// PROJ's own `cs2cs EPSG:4326 <target>` output.
///
/// The composite "us-albers" (like d3.geoAlbersUsa): each polygon goes to one part by the centre of
/// its exterior ring's lon/lat box (antimeridian-aware), each point by itself:
///   - alaska: lat > 50 and (lon < -129 or lon > 170), EPSG:3338 scaled 0.35, below California/Arizona;
///     the Aleutians west of 180° are projected with Alaska's projection too, so they stay one piece;
///   - hawaii: lat 15..24, lon -161..-150 (main islands), Hawaii Albers, scale 1, right of Alaska;
///   - puerto-rico: lat 17..19, lon -68..-64 (with the US Virgin Islands), a local Albers, scale 2,
///     south of Florida's tip;
///   - conus: lon -130..-50, lat 14..55, EPSG:5070 exactly (scale 1, offset 0);
///   - anything else is DROPPED: Guam, the Northern Mariana Islands, American Samoa and the
///     Northwestern Hawaiian Islands (west of -161°) produce no geometry, and project(point) returns
///     false for them.
/// insets() lists the four parts in that order (conus first, with an empty frame); the inset frames
/// lie in the sea south of the Mexican border and the Gulf coast and overlap neither each other nor
/// the lower 48's land.
///
/// Not thread-safe: it owns one PROJ context; give each thread its own Projection. Construction
/// costs 140-200 ms per PROJ transformer looked up in PROJ's database: build once, reuse. The CRSs
/// of "us-albers", "web-mercator", EPSG:5070, EPSG:3338 and EPSG:3857 are built from PROJ pipeline
/// strings instead (well under a millisecond each; same results as the database's to 1e-6 m).
class Projection {
public:
    /// Throws ProjectionError with PROJ's code (never 0) and message when PROJ cannot build the spec,
    /// code 0 for an interrupted (igh) or general oblique (ob_tran, tpers) projection choro cannot cut,
    /// and for one where PROJ fails on points choro cannot clip away;
    /// or when it is a coordinate operation rather than a CRS. Geographic and geocentric CRSs are
    /// refused with code 0 ("… is geographic; a map needs a projected CRS, e.g. EPSG:5070 or
    /// us-albers"). Nothing is printed: PROJ's log is captured into the message.
    explicit Projection(std::string_view spec);
    /// As above, keeping only what lies inside `extent` (lon/lat, may cross 180°): features are
    /// clipped to it, and sphere() is the extent's outline.
    Projection(std::string_view spec, const std::optional<Extent>& extent);
    ~Projection();
    Projection(Projection&&) noexcept;
    Projection& operator=(Projection&&) noexcept;
    Projection(const Projection&) = delete;
    Projection& operator=(const Projection&) = delete;

    /// Projects a multipolygon. A simple projection first cuts it as clip() says (at the seam
    /// lon_0 ± 180°, to the visible cap of an azimuthal or perspective projection, to Mercator's
    /// ±85.05°, to the extent) and densifies long edges where the projection curves them (to 1e-5 of
    /// its scale). For the composite, each polygon goes to the inset whose area holds
    /// it (Alaska's Aleutians across 180° stay one piece). Points PROJ cannot project are dropped;
    /// rings left with fewer than 3 distinct points are dropped too, and a polygon whose exterior is
    /// dropped goes with its holes. Closed rings stay closed. One batched PROJ call per ring; never
    /// throws for bad coordinates (only std::bad_alloc).
    [[nodiscard]] MultiPolygon<Projected> project(const MultiPolygon<LonLat>& geometry) const;

    /// Projects one point (for labels). Returns false when PROJ cannot project it, or when it lies
    /// outside what the map shows (the extent, the visible cap, Mercator's latitude limit).
    [[nodiscard]] bool project(const LonLat& in, Projected& out) const;

    /// Projects open lines (cut and clipped like polygons; a line leaving the visible area is split).
    /// Empty for the composite.
    [[nodiscard]] std::vector<Ring<Projected>> project_lines(const std::vector<Ring<LonLat>>& lines) const;

    /// The outline of the globe in this projection (within the extent, if any): for "+proj=robin"
    /// the Robinson outline, for "+proj=ortho" the horizon circle. Empty for the composite without
    /// an extent.
    [[nodiscard]] MultiPolygon<Projected> sphere() const;

    /// Meridians and parallels every `step` degrees, cut and clipped like the data.
    [[nodiscard]] std::vector<Ring<Projected>> graticule(double step) const;

    /// How geometry is cut before projecting (kind none for the composite).
    [[nodiscard]] const ClipSpec& clip() const noexcept;

    /// Insets of a composite projection (empty for a simple one).
    [[nodiscard]] const std::vector<Inset>& insets() const noexcept;

    /// The spec as given.
    [[nodiscard]] const std::string& spec() const noexcept;

private:
    [[nodiscard]] MultiPolygon<Projected> project_composite(const MultiPolygon<LonLat>& geometry) const;

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace choro::geo
