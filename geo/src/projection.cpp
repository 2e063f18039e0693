#include "choro/geo/projection.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "detail/proj.hpp"

#include "choro/geo/error.hpp"

namespace choro::geo {

namespace {

using detail::ProjContextPtr;
using detail::ProjPtr;

/// The source CRS. EPSG:4326 rather than OGC:CRS84: PROJ then finds the same (EPSG) operations as
/// `cs2cs EPSG:4326 <target>`, so CONUS results equal PROJ's own EPSG:5070 output (from OGC:CRS84
/// it would also consider ESRI's ITRF00 → NAD83 shift, 0.4 m off). normalize_for_visualization()
/// makes the operation take longitude first, as our LonLat points are.
constexpr const char* source_crs = "EPSG:4326";

/// Composite "us-albers" parts, in the order of Projection::insets().
enum class Region : std::size_t { conus = 0, alaska = 1, hawaii = 2, puerto_rico = 3, dropped = 4 };

/// Space kept between an inset's projected land and its frame, in composite units (metres).
constexpr double frame_margin = 30000.0;

/// One inset of the composite. `extent` is the projected extent of the region's land in the inset's
/// own CRS, measured on us-atlas 3.0.1 counties-10m (Census cartographic boundaries, 2017) and rounded
/// outward; the frame is that extent scaled, offset and grown by frame_margin. The offsets place
/// Alaska below California/Arizona, Hawaii to its right below New Mexico/west Texas, and Puerto Rico
/// (with the US Virgin Islands) below the tip of Florida; all frames sit in the sea south of the
/// Mexican border and the Gulf, so they overlap neither each other nor the lower 48.
struct InsetDef {
    const char* name;
    const char* crs;
    double scale;
    Projected offset;
    Box<Projected> extent;
};

const std::array<InsetDef, 4>& inset_defs() {
    static const std::array<InsetDef, 4> defs{{
        {"conus", "EPSG:5070", 1.0, {0.0, 0.0}, {}},
        {"alaska", "EPSG:3338", 0.35, {-1580000.0, -115000.0}, {{-2167730.0, 416042.0}, {1492589.0, 2374439.0}}},
        {"hawaii",
         "+proj=aea +lat_1=8 +lat_2=18 +lat_0=13 +lon_0=-157 +x_0=0 +y_0=0 +datum=NAD83 +units=m +no_defs +type=crs",
         1.0,
         {-630000.0, -626000.0},
         {{-338803.0, 656497.0}, {230666.0, 1022417.0}}},
        {"puerto-rico",
         "+proj=aea +lat_1=18 +lat_2=18.5 +lat_0=18 +lon_0=-66.5 +x_0=0 +y_0=0 +datum=NAD83 +units=m +no_defs "
         "+type=crs",
         2.0,
         {1235000.0, 100000.0},
         {{-152459.0, -34687.0}, {203939.0, 57039.0}}},
    }};
    return defs;
}

/// Which part of the composite a place (a polygon's exterior centre) belongs to. Far-Pacific
/// territories (Guam, Northern Mariana Islands, American Samoa) and the Northwestern Hawaiian Islands
/// are dropped, as d3.geoAlbersUsa drops them.
Region classify(const LonLat& c) noexcept {
    if (c.y > 50.0 && (c.x < -129.0 || c.x > 170.0)) {
        return Region::alaska;
    }
    if (c.y >= 15.0 && c.y <= 24.0 && c.x >= -179.0 && c.x <= -150.0) {
        return c.x >= -161.0 ? Region::hawaii : Region::dropped;  // west of Niihau: NW Hawaiian Islands
    }
    if (c.y >= 17.0 && c.y <= 19.0 && c.x >= -68.0 && c.x <= -64.0) {
        return Region::puerto_rico;
    }
    if (c.x >= -130.0 && c.x <= -50.0 && c.y >= 14.0 && c.y <= 55.0) {
        return Region::conus;
    }
    return Region::dropped;
}

/// Centre of a ring's lon/lat bounding box. A ring spanning more than 180° of longitude is taken to
/// cross the antimeridian (the Aleutians), and its centre is measured with longitudes in [0, 360).
LonLat ring_centre(const Ring<LonLat>& ring) noexcept {
    Box<LonLat> box = envelope(ring);
    if (box.empty()) {
        return {};
    }
    if (box.width() > 180.0) {
        Box<LonLat> shifted;
        for (const LonLat& p : ring) {
            shifted.extend(LonLat{p.x < 0.0 ? p.x + 360.0 : p.x, p.y});
        }
        box = shifted;
    }
    LonLat c{(box.min.x + box.max.x) / 2.0, (box.min.y + box.max.y) / 2.0};
    if (c.x > 180.0) {
        c.x -= 360.0;
    }
    return c;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(
        out.begin(), out.end(), out.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

/// The CRS definition PROJ should parse for a user's spec.
std::string crs_definition(std::string_view spec) {
    const std::string low = lower(spec);
    if (low == "web-mercator") {
        return "EPSG:3857";
    }
    std::string def(spec);
    const bool proj_string = low.starts_with("+proj=") || low.starts_with("proj=");
    if (proj_string && low.find("type=crs") == std::string::npos) {
        def += " +type=crs";  // without it PROJ reads a "+proj=" string as a conversion, not a CRS
    }
    return def;
}

bool is_geographic_type(PJ_TYPE type) noexcept {
    return type == PJ_TYPE_GEOGRAPHIC_CRS || type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

/// What a CRS whose coordinates are not places on a map is (for the message); nullptr for a
/// horizontal one. A vertical CRS (EPSG:5703) holds heights only.
const char* non_horizontal_kind(PJ_TYPE type) noexcept {
    switch (type) {
        case PJ_TYPE_VERTICAL_CRS:
            return "is vertical (heights only)";
        case PJ_TYPE_TEMPORAL_CRS:
            return "is temporal";
        case PJ_TYPE_ENGINEERING_CRS:
            return "is an engineering (local) CRS";
        default:
            return nullptr;
    }
}

/// The horizontal CRS that decides what a map would look like (unwraps bound and compound CRSs).
ProjPtr horizontal_crs(PJ_CONTEXT* ctx, PJ* crs) {
    const PJ_TYPE type = proj_get_type(crs);
    if (type == PJ_TYPE_BOUND_CRS) {
        ProjPtr base(proj_get_source_crs(ctx, crs));
        return base ? horizontal_crs(ctx, base.get()) : nullptr;
    }
    if (type == PJ_TYPE_COMPOUND_CRS) {
        ProjPtr first(proj_crs_get_sub_crs(ctx, crs, 0));
        return first ? horizontal_crs(ctx, first.get()) : nullptr;
    }
    return ProjPtr(proj_clone(ctx, crs));
}

/// One transformation lon/lat → part CRS, then scale and offset.
struct Part {
    ProjPtr transform;
    double scale = 1.0;
    Projected offset;
};

}  // namespace

struct Projection::Impl {
    std::string spec;
    bool composite = false;
    // Declaration order matters: the log outlives the context, the context outlives its PJs.
    detail::ProjLog log;
    ProjContextPtr ctx;
    std::vector<Part> parts;  ///< simple: one; composite: indexed by Region
    std::vector<Inset> insets;

    /// Builds lon/lat → `definition`: context, crs-to-crs, normalise for visualisation, drop the
    /// un-normalised operation. Each step is held in a unique_ptr, so a throw leaks nothing.
    ProjPtr make_transform(const std::string& definition) {
        PJ_CONTEXT* c = ctx.get();
        ProjPtr target(proj_create(c, definition.c_str()));
        if (!target) {
            detail::throw_proj_error(c,
                                     &log,
                                     spec,
                                     "not a CRS PROJ understands (expected us-albers, web-mercator, EPSG:n, ESRI:n, "
                                     "a +proj= string or WKT)",
                                     PROJ_ERR_INVALID_OP_WRONG_SYNTAX);
        }
        if (proj_is_crs(target.get()) == 0) {
            throw ProjectionError(spec,
                                  PROJ_ERR_INVALID_OP_ILLEGAL_ARG_VALUE,
                                  "is a coordinate operation, not a CRS; a map needs a projected CRS, e.g. EPSG:5070 "
                                  "or us-albers");
        }
        const ProjPtr horizontal = horizontal_crs(c, target.get());
        const PJ_TYPE type = horizontal ? proj_get_type(horizontal.get()) : proj_get_type(target.get());
        if (is_geographic_type(type)) {
            throw ProjectionError(spec, 0, "is geographic; a map needs a projected CRS, e.g. EPSG:5070 or us-albers");
        }
        if (type == PJ_TYPE_GEOCENTRIC_CRS) {
            throw ProjectionError(spec, 0, "is geocentric; a map needs a projected CRS, e.g. EPSG:5070 or us-albers");
        }
        if (const char* kind = non_horizontal_kind(type)) {
            throw ProjectionError(spec,
                                  PROJ_ERR_INVALID_OP_ILLEGAL_ARG_VALUE,
                                  std::string(kind) +
                                      ", not a map projection; a map needs a projected CRS, e.g. "
                                      "EPSG:5070 or us-albers");
        }
        ProjPtr source(proj_create(c, source_crs));
        if (!source) {
            detail::throw_proj_error(c, &log, spec, std::string("cannot build the source CRS ") + source_crs);
        }
        ProjPtr op(proj_create_crs_to_crs_from_pj(c, source.get(), target.get(), nullptr, nullptr));
        if (!op) {
            detail::throw_proj_error(c, &log, spec, "no transformation from lon/lat to this CRS");
        }
        ProjPtr normalized(proj_normalize_for_visualization(c, op.get()));
        if (!normalized) {
            detail::throw_proj_error(c, &log, spec, "cannot normalise the transformation to east/north axis order");
        }
        return normalized;  // `op`, `source` and `target` are released here
    }

    /// The part a polygon (by its exterior ring) or a point goes to; nullptr when dropped.
    const Part* part_for(const LonLat& where) const noexcept {
        if (!composite) {
            return &parts.front();
        }
        const Region region = classify(where);
        return region == Region::dropped ? nullptr : &parts[static_cast<std::size_t>(region)];
    }

    /// Projects one ring in a single batched call. Coordinates PROJ cannot project (HUGE_VAL, or
    /// not finite) are dropped; a closed input ring stays closed. Returns false when fewer than three
    /// distinct points remain.
    bool project_ring(const Part& part, const Ring<LonLat>& in, Ring<Projected>& out) const {
        out.clear();
        if (in.empty()) {
            return false;
        }
        out.reserve(in.size());
        for (const LonLat& p : in) {
            out.push_back(Projected{p.x, p.y});
        }
        constexpr auto stride = sizeof(Projected);
        proj_trans_generic(part.transform.get(),
                           PJ_FWD,
                           &out.front().x,
                           stride,
                           out.size(),
                           &out.front().y,
                           stride,
                           out.size(),
                           nullptr,
                           0,
                           0,
                           nullptr,
                           0,
                           0);
        proj_errno_reset(part.transform.get());  // per-point failures are reported as HUGE_VAL below
        const bool closed = in.size() > 1 && in.front() == in.back();
        auto kept = std::remove_if(out.begin(), out.end(), [](const Projected& p) {
            return !std::isfinite(p.x) || !std::isfinite(p.y) || p.x == HUGE_VAL || p.y == HUGE_VAL;
        });
        out.erase(kept, out.end());
        for (Projected& p : out) {
            p.x = p.x * part.scale + part.offset.x;
            p.y = p.y * part.scale + part.offset.y;
        }
        if (closed && !out.empty() && !(out.front() == out.back())) {
            out.push_back(out.front());  // the closing point itself failed: close again
        }
        const std::size_t distinct = closed ? out.size() - (out.empty() ? 0 : 1) : out.size();
        return distinct >= 3;
    }
};

Projection::Projection(std::string_view spec) : m_impl(std::make_unique<Impl>()) {
    Impl& impl = *m_impl;
    impl.spec = std::string(spec);
    impl.ctx.reset(proj_context_create());
    if (!impl.ctx) {
        throw ProjectionError(impl.spec, PROJ_ERR_OTHER, "cannot create a PROJ context");
    }
    detail::install_log(impl.ctx.get(), &impl.log);
    if (lower(spec) == "us-albers") {
        impl.composite = true;
        for (const InsetDef& def : inset_defs()) {
            Part part;
            part.transform = impl.make_transform(def.crs);
            part.scale = def.scale;
            part.offset = def.offset;
            impl.parts.push_back(std::move(part));
            Inset inset;
            inset.name = def.name;
            inset.crs = def.crs;
            inset.scale = def.scale;
            inset.offset = def.offset;
            if (!def.extent.empty()) {
                inset.frame.min = {def.extent.min.x * def.scale + def.offset.x - frame_margin,
                                   def.extent.min.y * def.scale + def.offset.y - frame_margin};
                inset.frame.max = {def.extent.max.x * def.scale + def.offset.x + frame_margin,
                                   def.extent.max.y * def.scale + def.offset.y + frame_margin};
            }
            impl.insets.push_back(std::move(inset));
        }
        return;
    }
    Part part;
    part.transform = impl.make_transform(crs_definition(spec));
    impl.parts.push_back(std::move(part));
}

Projection::~Projection() = default;
Projection::Projection(Projection&&) noexcept = default;
Projection& Projection::operator=(Projection&&) noexcept = default;

MultiPolygon<Projected> Projection::project(const MultiPolygon<LonLat>& geometry) const {
    CHORO_ASSERT(m_impl);
    MultiPolygon<Projected> result;
    result.reserve(geometry.size());
    for (const Polygon<LonLat>& polygon : geometry) {
        if (polygon.empty() || polygon.front().empty()) {
            continue;
        }
        const Part* part = m_impl->part_for(ring_centre(polygon.front()));
        if (part == nullptr) {
            continue;
        }
        Polygon<Projected> out;
        out.reserve(polygon.size());
        for (std::size_t i = 0; i < polygon.size(); ++i) {
            Ring<Projected> ring;
            if (m_impl->project_ring(*part, polygon[i], ring)) {
                out.push_back(std::move(ring));
            } else if (i == 0) {
                break;  // no exterior left: the holes go with it
            }
        }
        if (!out.empty()) {
            result.push_back(std::move(out));
        }
    }
    return result;
}

bool Projection::project(const LonLat& in, Projected& out) const {
    CHORO_ASSERT(m_impl);
    const Part* part = m_impl->part_for(in);
    if (part == nullptr) {
        return false;
    }
    PJ_COORD c = proj_coord(in.x, in.y, 0.0, 0.0);
    c = proj_trans(part->transform.get(), PJ_FWD, c);
    proj_errno_reset(part->transform.get());
    if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y) || c.xy.x == HUGE_VAL || c.xy.y == HUGE_VAL) {
        return false;
    }
    out = Projected{c.xy.x * part->scale + part->offset.x, c.xy.y * part->scale + part->offset.y};
    return true;
}

const std::vector<Inset>& Projection::insets() const noexcept {
    static const std::vector<Inset> none;
    return m_impl ? m_impl->insets : none;
}

const std::string& Projection::spec() const noexcept {
    static const std::string none;
    return m_impl ? m_impl->spec : none;
}

ProjectedLayer project_layer(const Layer& layer, const Projection& projection) {
    ProjectedLayer result;
    result.geometries.reserve(layer.features.size());
    for (const Feature& feature : layer.features) {
        result.geometries.push_back(projection.project(feature.geometry));
        result.bounds.extend(envelope(result.geometries.back()));
    }
    return result;
}

}  // namespace choro::geo
