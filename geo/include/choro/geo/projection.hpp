#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "choro/geo/geometry.hpp"
#include "choro/geo/layer.hpp"

/// @file
/// Map projections through PROJ, including the composite US Albers projection with insets.

namespace choro::geo {

/// An inset of a composite projection: the part of the world it shows, the frame drawn around
/// it in projected coordinates, and how its own projection is placed (scale, then offset).
struct Inset {
    std::string name;           ///< "conus", "alaska", "hawaii", "puerto-rico"
    std::string crs;            ///< PROJ definition of the inset's own projection
    double scale = 1.0;         ///< applied to the inset's projected coordinates...
    Projected offset;           ///< ...then this is added
    Box<Projected> frame;       ///< drawn around the inset (empty for the main area)
};

/// A projection from lon/lat to a plane. Build once and reuse: creating PROJ transformers is the
/// costly part (20-30 ms each); transforming is cheap.
///
///     choro::geo::Projection albers("us-albers");
///     auto plane = albers.project(feature.geometry);
///
/// Specs: "us-albers" (composite: lower 48 + DC in EPSG:5070, Alaska, Hawaii, Puerto Rico as insets),
/// "web-mercator" (EPSG:3857), "EPSG:n", any CRS string PROJ accepts ("+proj=…", WKT, "ESRI:n").
/// Not thread-safe: it owns one PROJ context; give each thread its own Projection.
class Projection {
public:
    /// Throws ProjectionError with PROJ's code and message when the spec is not a usable CRS
    /// (geographic CRSs are refused: a map needs a plane).
    explicit Projection(std::string_view spec);
    ~Projection();
    Projection(Projection&&) noexcept;
    Projection& operator=(Projection&&) noexcept;
    Projection(const Projection&) = delete;
    Projection& operator=(const Projection&) = delete;

    /// Projects a multipolygon. For the composite, each polygon goes to the inset whose area holds
    /// it (Alaska's Aleutians across 180° stay one piece). Points PROJ cannot project are dropped;
    /// polygons left with fewer than 3 points are dropped too.
    [[nodiscard]] MultiPolygon<Projected> project(const MultiPolygon<LonLat>& geometry) const;

    /// Projects one point (for labels). Returns false when PROJ cannot project it.
    [[nodiscard]] bool project(const LonLat& in, Projected& out) const;

    /// Insets of a composite projection (empty for a simple one).
    [[nodiscard]] const std::vector<Inset>& insets() const noexcept;

    /// The spec as given.
    [[nodiscard]] const std::string& spec() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A layer after projection: geometry per feature in the same order as the source layer.
struct ProjectedLayer {
    std::vector<MultiPolygon<Projected>> geometries;
    Box<Projected> bounds;
};

/// Projects every feature of a layer.
[[nodiscard]] ProjectedLayer project_layer(const Layer& layer, const Projection& projection);

}  // namespace choro::geo
