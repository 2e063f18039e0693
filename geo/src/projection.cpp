#include "choro/geo/projection.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "detail/proj.hpp"

#include "choro/geo/clip.hpp"
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

/// The "+proj=…" parameters of a CRS (its conversion), e.g. {"proj": "robin", "lon_0": "150"}.
std::map<std::string, std::string> proj_params(PJ_CONTEXT* ctx, PJ* crs) {
    std::map<std::string, std::string> params;
    const char* text = crs != nullptr ? proj_as_proj_string(ctx, crs, PJ_PROJ_5, nullptr) : nullptr;
    if (text == nullptr) {
        return params;
    }
    std::istringstream in(text);
    for (std::string token; in >> token;) {
        if (token.starts_with("+")) {
            token.erase(0, 1);
        }
        const auto eq = token.find('=');
        params[token.substr(0, eq)] = eq == std::string::npos ? std::string() : token.substr(eq + 1);
    }
    return params;
}

double param(const std::map<std::string, std::string>& params, const char* name, double fallback) {
    const auto it = params.find(name);
    if (it == params.end() || it->second.empty()) {
        return fallback;
    }
    try {
        return std::stod(it->second);
    } catch (const std::exception&) {
        return fallback;
    }
}

/// Mercator's latitude limit: the square world of web maps (atan(sinh(pi)) in degrees).
constexpr double mercator_max_lat = 85.0511287798066;

/// Semi-major axis of a CRS from its PROJ parameters (metres), WGS84's when none is given.
double semi_major(const std::map<std::string, std::string>& params) {
    if (params.contains("R")) {
        return param(params, "R", 6378137.0);
    }
    return param(params, "a", 6378137.0);
}

/// How a projection shows the globe, from its PROJ method (see ClipSpec). Azimuthal and perspective
/// projections keep a cap around their centre: ortho a hemisphere, nsper/geos what the viewpoint
/// sees, gnom 60° (d3's default; it reaches infinity at 90°), stere a hemisphere, laea/aeqd all but
/// a degree around the antipode. Interrupted and general oblique (ob_tran, tpers, bertin1953)
/// projections are refused.
ClipSpec clip_for(const std::string& spec, const std::map<std::string, std::string>& params) {
    ClipSpec clip;
    const auto it = params.find("proj");
    const std::string name = it == params.end() ? std::string() : it->second;
    if (name.empty()) {
        return clip;
    }
    if (name == "igh" || name == "igh_o" || name == "imoll" || name == "imoll_o") {
        throw ProjectionError(spec,
                              0,
                              "is an interrupted projection (+proj=" + name +
                                  "); choro cannot cut polygons at its interruptions. Use an uninterrupted one "
                                  "such as +proj=eqearth, +proj=moll or +proj=goode");
    }
    if (name == "ob_tran" || name == "tpers" || name == "bertin1953") {
        throw ProjectionError(spec,
                              0,
                              "is an oblique projection (+proj=" + name +
                                  ") whose seam or horizon choro cannot place, so it cannot cut geometry for it "
                                  "correctly. Use a projection with a plain lon_0 (and lat_0 for azimuthal ones)");
    }
    // Oblique Mercator is centred on lonc; probe() finds the part of the globe PROJ projects.
    clip.lon_0 = name == "omerc" ? param(params, "lonc", 0.0) : param(params, "lon_0", 0.0);
    clip.lat_0 = param(params, "lat_0", 0.0);
    if (name == "ortho") {
        clip.kind = ClipSpec::Kind::cap;
        clip.radius = 90.0 - 1e-6;
    } else if (name == "nsper" || name == "geos") {
        clip.kind = ClipSpec::Kind::cap;
        const double h = param(params, "h", 0.0);
        const double a = semi_major(params);
        clip.radius = h > 0.0 ? std::acos(a / (a + h)) * 180.0 / 3.14159265358979323846 - 1e-6 : 89.0;
        if (name == "geos") {
            clip.lat_0 = 0.0;
        }
    } else if (name == "gnom") {
        clip.kind = ClipSpec::Kind::cap;
        clip.radius = 60.0;
    } else if (name == "stere" || name == "sterea" || name == "ups") {
        clip.kind = ClipSpec::Kind::cap;
        clip.radius = 90.0;
        if (name == "ups") {
            clip.lat_0 = params.contains("south") ? -90.0 : 90.0;
        }
    } else if (name == "laea" || name == "aeqd") {
        clip.kind = ClipSpec::Kind::cap;
        clip.radius = 179.0;
    } else {
        clip.kind = ClipSpec::Kind::seam;
        if (name == "merc" || name == "webmerc") {
            clip.max_lat = mercator_max_lat;
        }
    }
    return clip;
}

}  // namespace

struct Projection::Impl {
    std::string spec;
    bool composite = false;
    // Declaration order matters: the log outlives the context, the context outlives its PJs.
    detail::ProjLog log;
    ProjContextPtr ctx;
    std::vector<Part> parts;  ///< simple: one; composite: indexed by Region
    std::vector<Inset> insets;
    SphereClip clip;         ///< how lon/lat geometry is cut before projecting
    double tolerance = 0.0;  ///< densification: largest gap allowed between an edge and its true curve

    /// Projects points in place in one batched call; points PROJ cannot project become HUGE_VAL.
    static void transform(const Part& part, std::vector<Projected>& pts) {
        if (pts.empty()) {
            return;
        }
        constexpr auto stride = sizeof(Projected);
        proj_trans_generic(part.transform.get(),
                           PJ_FWD,
                           &pts.front().x,
                           stride,
                           pts.size(),
                           &pts.front().y,
                           stride,
                           pts.size(),
                           nullptr,
                           0,
                           0,
                           nullptr,
                           0,
                           0);
        proj_errno_reset(part.transform.get());
        for (Projected& p : pts) {
            if (!std::isfinite(p.x) || !std::isfinite(p.y) || p.x == HUGE_VAL || p.y == HUGE_VAL) {
                p = {HUGE_VAL, HUGE_VAL};
            } else {
                p = {p.x * part.scale + part.offset.x, p.y * part.scale + part.offset.y};
            }
        }
    }

    static bool valid(const Projected& p) noexcept { return p.x != HUGE_VAL; }

    bool project_one(const LonLat& in, Projected& out) const {
        std::vector<Projected> pts{Projected{in.x, in.y}};
        transform(parts.front(), pts);
        out = pts.front();
        return valid(out);
    }

    /// Adds the projected points of the curve between a and b (exclusive) wherever the chord strays
    /// more than `tolerance` from it: d3-geo's adaptive resampling, on lon/lat-straight edges.
    void subdivide(const LonLat& a,
                   const LonLat& b,
                   const Projected& pa,
                   const Projected& pb,
                   int depth,
                   std::vector<Projected>& out) const {
        constexpr int max_depth = 10;
        if (depth >= max_depth) {
            return;
        }
        const double dx = std::remainder(b.x - a.x, 360.0);
        const LonLat m{a.x + dx / 2.0, (a.y + b.y) / 2.0};
        Projected pm;
        if (!project_one(m, pm)) {
            return;
        }
        const double gap = std::hypot(pm.x - (pa.x + pb.x) / 2.0, pm.y - (pa.y + pb.y) / 2.0);
        if (gap <= tolerance) {
            return;
        }
        subdivide(a, m, pa, pm, depth + 1, out);
        out.push_back(pm);
        subdivide(m, b, pm, pb, depth + 1, out);
    }

    /// Projects a ring or line of a simple projection, densifying edges longer than a quarter degree
    /// where the projection curves them. Invalid points split `runs` (lines) or are dropped (rings).
    void project_dense(const Ring<LonLat>& in, std::vector<Ring<Projected>>& runs) const {
        constexpr double check_above = 0.25;  // degrees; shorter edges bend less than a metre
        std::vector<Projected> pts;
        pts.reserve(in.size());
        for (const LonLat& p : in) {
            pts.push_back(Projected{p.x, p.y});
        }
        transform(parts.front(), pts);
        runs.emplace_back();
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (!valid(pts[i])) {
                if (!runs.back().empty()) {
                    runs.emplace_back();
                }
                continue;
            }
            runs.back().push_back(pts[i]);
            if (i + 1 < in.size() && valid(pts[i + 1])) {
                const double len =
                    std::max(std::abs(std::remainder(in[i + 1].x - in[i].x, 360.0)), std::abs(in[i + 1].y - in[i].y));
                if (len > check_above) {
                    subdivide(in[i], in[i + 1], pts[i], pts[i + 1], 0, runs.back());
                }
            }
        }
        if (runs.back().empty()) {
            runs.pop_back();
        }
    }

    bool project_ring_dense(const Ring<LonLat>& in, Ring<Projected>& out) const {
        std::vector<Ring<Projected>> runs;
        project_dense(in, runs);
        out.clear();
        for (const auto& run : runs) {
            out.insert(out.end(), run.begin(), run.end());
        }
        const bool closed = in.size() > 1 && in.front() == in.back();
        if (closed && !out.empty() && !(out.front() == out.back())) {
            out.push_back(out.front());
        }
        const std::size_t distinct = closed ? out.size() - (out.empty() ? 0 : 1) : out.size();
        return distinct >= 3;
    }

    /// Lon/lat polygons already cut, projected ring by ring.
    /// Lines already cut by `clip`, projected densely; the runs of 2 points or more.
    std::vector<Ring<Projected>> project_cut_lines(const std::vector<Ring<LonLat>>& cut) const {
        std::vector<Ring<Projected>> out;
        for (const Ring<LonLat>& line : cut) {
            std::vector<Ring<Projected>> runs;
            project_dense(line, runs);
            for (auto& run : runs) {
                if (run.size() >= 2) {
                    out.push_back(std::move(run));
                }
            }
        }
        return out;
    }

    MultiPolygon<Projected> project_cut(const MultiPolygon<LonLat>& cut) const {
        MultiPolygon<Projected> result;
        result.reserve(cut.size());
        for (const Polygon<LonLat>& polygon : cut) {
            Polygon<Projected> out;
            for (std::size_t i = 0; i < polygon.size(); ++i) {
                Ring<Projected> ring;
                if (project_ring_dense(polygon[i], ring)) {
                    out.push_back(std::move(ring));
                } else if (i == 0) {
                    break;
                }
            }
            if (!out.empty()) {
                result.push_back(std::move(out));
            }
        }
        return result;
    }

    /// Checks that PROJ projects everything the clip keeps (a grid over it, its edge); narrows a cap
    /// whose edge PROJ refuses (ellipsoidal perspective), finds the cap of a projection that fails far
    /// from its centre, and refuses a projection it cannot clip.
    void probe() {
        ClipSpec want = clip.spec();
        const auto failures = [&](const ClipSpec& s) {
            std::vector<LonLat> bad;
            const SphereClip c(s);
            std::vector<LonLat> samples;
            for (const auto& poly : c.sphere()) {
                for (const auto& ring : poly) {
                    samples.insert(samples.end(), ring.begin(), ring.end());
                }
            }
            for (double lat = -87.5; lat < 90.0; lat += 5.0) {
                for (double lon = -177.5; lon < 180.0; lon += 5.0) {
                    const LonLat p{s.lon_0 + lon, lat};
                    if (s.kind == ClipSpec::Kind::cap ? angular_distance(p, {s.lon_0, s.lat_0}) < s.radius
                                                      : std::abs(lat) < s.max_lat) {
                        samples.push_back(p);
                    }
                }
            }
            std::vector<Projected> pts;
            for (const LonLat& p : samples) {
                pts.push_back({p.x, p.y});
            }
            transform(parts.front(), pts);
            for (std::size_t i = 0; i < pts.size(); ++i) {
                if (!valid(pts[i])) {
                    bad.push_back(samples[i]);
                }
            }
            return bad;
        };
        std::vector<LonLat> bad = failures(want);
        if (bad.empty()) {
            return;
        }
        if (want.kind == ClipSpec::Kind::seam) {
            // PROJ fails somewhere: keep the cap around the centre that it projects.
            double nearest = 180.0;
            for (const LonLat& p : bad) {
                nearest = std::min(nearest, angular_distance(p, {want.lon_0, want.lat_0}));
            }
            want.kind = ClipSpec::Kind::cap;
            want.radius = nearest - 2.0;
        }
        for (int i = 0; i < 40 && want.radius >= 10.0; ++i) {
            bad = failures(want);
            if (bad.empty()) {
                clip = SphereClip(want);
                return;
            }
            want.radius -= 0.5;
        }
        std::ostringstream where;
        where << bad.front().x << "," << bad.front().y;
        throw ProjectionError(spec,
                              0,
                              "PROJ cannot project parts of the area this projection should show (e.g. lon,lat " +
                                  where.str() +
                                  ") and choro cannot tell where to clip it; refusing rather than drawing a wrong map");
    }

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

Projection::Projection(std::string_view spec) : Projection(spec, std::nullopt) {}

Projection::Projection(std::string_view spec, const std::optional<Extent>& extent) : m_impl(std::make_unique<Impl>()) {
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
        ClipSpec none;
        none.extent = extent;
        impl.clip = SphereClip(none);
        return;
    }
    Part part;
    part.transform = impl.make_transform(crs_definition(spec));
    impl.parts.push_back(std::move(part));

    const ProjPtr target(proj_create(impl.ctx.get(), crs_definition(spec).c_str()));
    const ProjPtr horizontal = target ? horizontal_crs(impl.ctx.get(), target.get()) : nullptr;
    const auto params = proj_params(impl.ctx.get(), horizontal ? horizontal.get() : target.get());
    ClipSpec clip = clip_for(impl.spec, params);
    impl.clip = SphereClip(clip);
    if (clip.kind != ClipSpec::Kind::none) {
        impl.probe();
    }
    clip = impl.clip.spec();
    clip.extent = extent;
    impl.clip = SphereClip(clip);

    // Densification tolerance: 1e-5 of the projection's scale at its centre (64 m on the Earth).
    double unit = 6378137.0;
    Projected a;
    Projected b;
    const LonLat centre{clip.lon_0, std::clamp(clip.lat_0, -80.0, 80.0)};
    if (impl.project_one(centre, a) && impl.project_one({centre.x, centre.y + 0.01}, b)) {
        const double d = std::hypot(b.x - a.x, b.y - a.y) / (0.01 * 3.14159265358979323846 / 180.0);
        if (d > 0.0 && std::isfinite(d)) {
            unit = d;
        }
    }
    impl.tolerance = unit * 1e-5;
}

Projection::~Projection() = default;
Projection::Projection(Projection&&) noexcept = default;
Projection& Projection::operator=(Projection&&) noexcept = default;

MultiPolygon<Projected> Projection::project(const MultiPolygon<LonLat>& geometry) const {
    CHORO_ASSERT(m_impl);
    if (!m_impl->composite) {
        return m_impl->project_cut(m_impl->clip.polygons(geometry));
    }
    if (m_impl->clip.spec().extent) {
        const MultiPolygon<LonLat> cut = m_impl->clip.polygons(geometry);
        return project_composite(cut);
    }
    return project_composite(geometry);
}

MultiPolygon<Projected> Projection::project_composite(const MultiPolygon<LonLat>& geometry) const {
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

std::vector<Ring<Projected>> Projection::project_lines(const std::vector<Ring<LonLat>>& lines) const {
    CHORO_ASSERT(m_impl);
    if (m_impl->composite) {
        return {};
    }
    return m_impl->project_cut_lines(m_impl->clip.lines(lines));
}

MultiPolygon<Projected> Projection::sphere() const {
    CHORO_ASSERT(m_impl);
    if (m_impl->composite) {
        return m_impl->clip.spec().extent ? project_composite(m_impl->clip.sphere()) : MultiPolygon<Projected>{};
    }
    return m_impl->project_cut(m_impl->clip.sphere());
}

std::vector<Ring<Projected>> Projection::graticule(double step) const {
    CHORO_ASSERT(m_impl);
    if (m_impl->composite) {
        return {};
    }
    return m_impl->project_cut_lines(m_impl->clip.graticule(step));
}

const ClipSpec& Projection::clip() const noexcept {
    static const ClipSpec none;
    return m_impl ? m_impl->clip.spec() : none;
}

bool Projection::project(const LonLat& in, Projected& out) const {
    CHORO_ASSERT(m_impl);
    const ClipSpec& clip = m_impl->clip.spec();
    if (clip.extent && !clip.extent->contains(in)) {
        return false;
    }
    if (clip.kind == ClipSpec::Kind::cap && angular_distance(in, {clip.lon_0, clip.lat_0}) > clip.radius) {
        return false;
    }
    if (clip.kind == ClipSpec::Kind::seam && std::abs(in.y) > clip.max_lat) {
        return false;
    }
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

}  // namespace choro::geo
