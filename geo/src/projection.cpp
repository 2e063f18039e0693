#include "choro/geo/projection.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
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

/// The pipeline from EPSG:4326 (normalised for visualisation) to a plain "+proj=" CRS on the
/// WGS 84 datum (batch's fitted conics), as proj_create_crs_to_crs gives it (`projinfo -s
/// EPSG:4326 -t "+proj=aea ... +datum=WGS84"`: degrees to radians, then the projection on the
/// WGS 84 ellipsoid) but without its database look-ups; nullopt for any other definition.
std::optional<std::string> wgs84_pipeline(const std::string& definition) {
    static const std::set<std::string> methods = {"aea", "laea", "lcc", "eqdc", "tmerc", "merc", "eqc"};
    static const std::set<std::string> numbers = {"lat_0", "lon_0", "lat_1", "lat_2", "x_0", "y_0", "k", "k_0"};
    std::istringstream in(definition);
    std::string token;
    std::string method;
    std::string params;
    bool wgs84 = false;
    while (in >> token) {
        const std::size_t eq = token.find('=');
        const std::size_t from = token.starts_with('+') ? 1 : 0;
        const std::string key = token.substr(from, eq == std::string::npos ? eq : eq - from);
        const std::string value = eq == std::string::npos ? std::string() : token.substr(eq + 1);
        if (key == "proj" && methods.count(value) != 0 && method.empty()) {
            method = value;
        } else if (numbers.count(key) != 0 && !value.empty()) {
            params += " +" + key + "=" + value;
        } else if (key == "datum" && value == "WGS84") {
            wgs84 = true;
        } else if (!(key == "units" && value == "m") && !(key == "no_defs" && value.empty()) &&
                   !(key == "type" && value == "crs")) {
            return std::nullopt;
        }
    }
    if (method.empty() || !wgs84) {
        return std::nullopt;
    }
    return "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=" + method + params +
           " +ellps=WGS84";
}

/// One coordinate operation from EPSG:4326 (lon/lat, normalised for visualisation) written as a
/// PROJ pipeline, with the lon/lat box of its area of use (west > east when it crosses 180°) and its
/// accuracy in metres (-1: unknown, PROJ's "ballpark" operation), as PROJ's database gives them.
struct KnownOp {
    double west = -180.0;
    double south = -90.0;
    double east = 180.0;
    double north = 90.0;
    double accuracy = -1.0;
    std::string pipeline;

    /// As PROJ tests it: longitudes as given (a longitude beyond ±180° is in no area but the ones
    /// it literally falls in).
    [[nodiscard]] bool contains(const LonLat& p) const noexcept {
        const bool lon =
            west <= east ? p.x >= west && p.x <= east : (p.x >= west && p.x <= 180.0) || (p.x >= -180.0 && p.x <= east);
        return lon && p.y >= south && p.y <= north;
    }
};

/// A CRS whose operations from EPSG:4326 are known, so its transformer is built from pipeline
/// strings without a look-up in PROJ's database (`proj_create_crs_to_crs` from an EPSG code costs
/// 140-200 ms; a pipeline string well under a millisecond). `params` is the CRS's own PROJ string
/// (`projinfo -o PROJ`), from which the clip is read. Where PROJ finds several operations, `ops`
/// lists them all (in PROJ's order) and each point takes the one PROJ would take (pick_op), so the
/// results equal PROJ's EPSG path; the projection tests check that against PROJ over the globe.
struct KnownCrs {
    std::string definition;  ///< as crs_definition() gives it
    std::string params;
    std::vector<KnownOp> ops;
};

/// The CRSs choro's own specs use (us-albers' four parts, EPSG:5070, web-mercator), their operations
/// from EPSG:4326 as PROJ 9.1 lists them (`projinfo -s EPSG:4326 -t <crs> --spatial-test intersects`,
/// operations needing absent grids left out, as proj_create_crs_to_crs leaves them out).
const std::vector<KnownCrs>& known_crs() {
    static const std::vector<KnownCrs> table = [] {
        const std::string deg = "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad ";
        // WGS 84 → NAD83: the inverses of EPSG's "NAD83 to WGS 84" (1) (a null shift, North America),
        // (2) (Aleutians) and (3) (Hawaii), and the ballpark (null) for the rest of the world.
        const std::string aleutians_shift =
            "+step +proj=push +v_3 +step +proj=cart +ellps=WGS84 +step +proj=helmert +x=2 +y=0 +z=-4 "
            "+step +inv +proj=cart +ellps=GRS80 +step +proj=pop +v_3 ";
        const std::string hawaii_shift =
            "+step +proj=push +v_3 +step +proj=cart +ellps=WGS84 +step +proj=helmert +x=-1 +y=-1 +z=1 "
            "+step +inv +proj=cart +ellps=GRS80 +step +proj=pop +v_3 ";
        const auto north_america = [&](const std::string& step) {
            return KnownOp{-172.54, 23.81, -47.74, 86.46, 4.0, deg + step};
        };
        const auto aleutians = [&](const std::string& step) {
            return KnownOp{172.42, 51.3, -164.84, 54.34, 8.0, deg + aleutians_shift + step};
        };
        const auto hawaii = [&](const std::string& step) {
            return KnownOp{-163.74, 15.56, -151.27, 25.58, 4.0, deg + hawaii_shift + step};
        };
        const auto world = [&](const std::string& step) {
            return KnownOp{-180.0, -90.0, 180.0, 90.0, -1.0, deg + step};
        };
        const auto albers = [](const char* p) {
            return std::string("+step +proj=aea ") + p + " +x_0=0 +y_0=0 +ellps=GRS80";
        };
        const std::string conus = albers("+lat_0=23 +lon_0=-96 +lat_1=29.5 +lat_2=45.5");
        const std::string alaska = albers("+lat_0=50 +lon_0=-154 +lat_1=55 +lat_2=65");
        const std::string hi = albers("+lat_0=13 +lon_0=-157 +lat_1=8 +lat_2=18");
        const std::string pr = albers("+lat_0=18 +lon_0=-66.5 +lat_1=18 +lat_2=18.5");
        const std::string nad83 = " +x_0=0 +y_0=0 +datum=NAD83 +units=m +no_defs +type=crs";
        std::vector<KnownCrs> t;
        // EPSG:5070's area (the lower 48) meets North America's operation only: PROJ applies it everywhere.
        t.push_back({"EPSG:5070",
                     "+proj=aea +lat_0=23 +lon_0=-96 +lat_1=29.5 +lat_2=45.5 +x_0=0 +y_0=0 +ellps=GRS80 "
                     "+towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
                     {world(conus)}});
        t.push_back({"EPSG:3338",
                     "+proj=aea +lat_0=50 +lon_0=-154 +lat_1=55 +lat_2=65" + nad83,
                     {north_america(alaska), aleutians(alaska), world(alaska)}});
        t.push_back({"EPSG:3857",
                     "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null "
                     "+wktext +no_defs +type=crs",
                     {world("+step +proj=webmerc +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84")}});
        // The Hawaii and Puerto Rico insets (strings of inset_defs()): a CRS without an area of its
        // own, so PROJ keeps all three NAD83 operations and the ballpark.
        t.push_back({"+proj=aea +lat_1=8 +lat_2=18 +lat_0=13 +lon_0=-157" + nad83,
                     "+proj=aea +lat_0=13 +lon_0=-157 +lat_1=8 +lat_2=18" + nad83,
                     {north_america(hi), hawaii(hi), aleutians(hi), world(hi)}});
        t.push_back({"+proj=aea +lat_1=18 +lat_2=18.5 +lat_0=18 +lon_0=-66.5" + nad83,
                     "+proj=aea +lat_0=18 +lon_0=-66.5 +lat_1=18 +lat_2=18.5" + nad83,
                     {north_america(pr), hawaii(pr), aleutians(pr), world(pr)}});
        return t;
    }();
    return table;
}

const KnownCrs* find_known(const std::string& definition) {
    const std::string low = lower(definition);
    for (const KnownCrs& k : known_crs()) {
        if (lower(k.definition) == low) {
            return &k;
        }
    }
    return nullptr;
}

/// The operation PROJ's proj_trans takes for a point when a transformation has several: of those
/// whose area holds the point, the most accurate (a known accuracy before an unknown one), on a tie
/// the first listed; the first one when no area holds it (PROJ 9.1's rule, checked against PROJ by
/// the tests: where Hawaii's and North America's areas overlap, North America's null shift wins).
std::size_t pick_op(const std::vector<KnownOp>& ops, const LonLat& p) noexcept {
    std::ptrdiff_t best = -1;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const KnownOp& op = ops[i];
        if (!op.contains(p)) {
            continue;
        }
        if (best < 0) {
            best = static_cast<std::ptrdiff_t>(i);
            continue;
        }
        const KnownOp& b = ops[static_cast<std::size_t>(best)];
        if (op.accuracy >= 0.0 && (b.accuracy < 0.0 || op.accuracy < b.accuracy)) {
            best = static_cast<std::ptrdiff_t>(i);
        }
    }
    return best < 0 ? 0 : static_cast<std::size_t>(best);
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
    const PJ_TYPE type = detail::proj_api().proj_get_type(crs);
    if (type == PJ_TYPE_BOUND_CRS) {
        ProjPtr base(detail::proj_api().proj_get_source_crs(ctx, crs));
        return base ? horizontal_crs(ctx, base.get()) : nullptr;
    }
    if (type == PJ_TYPE_COMPOUND_CRS) {
        ProjPtr first(detail::proj_api().proj_crs_get_sub_crs(ctx, crs, 0));
        return first ? horizontal_crs(ctx, first.get()) : nullptr;
    }
    return ProjPtr(detail::proj_api().proj_clone(ctx, crs));
}

/// One transformation lon/lat → part CRS, then scale and offset.
struct Part {
    ProjPtr transform;  ///< the operation (for a known CRS with several: the first)
    /// A known CRS with several operations: one per KnownOp of `ops`, each point takes pick_op's.
    std::vector<ProjPtr> alternatives;
    const std::vector<KnownOp>* ops = nullptr;
    double scale = 1.0;
    Projected offset;
};

/// Transforms `n` points (lon/lat in, the part's CRS out, before scale and offset) in place, in
/// batched calls: one for the whole array unless its points need different operations, then one
/// per run of points that share one. Points PROJ cannot project come out as HUGE_VAL or not finite.
void apply(const Part& part, Projected* pts, std::size_t n) {
    constexpr auto stride = sizeof(Projected);
    const auto run = [&](PJ* pj, std::size_t first, std::size_t count) {
        detail::proj_api().proj_trans_generic(
            pj, PJ_FWD, &pts[first].x, stride, count, &pts[first].y, stride, count, nullptr, 0, 0, nullptr, 0, 0);
        detail::proj_api().proj_errno_reset(pj);  // per-point failures are reported as HUGE_VAL
    };
    if (n == 0) {
        return;
    }
    if (part.alternatives.empty()) {
        run(part.transform.get(), 0, n);
        return;
    }
    std::vector<std::size_t> which(n);
    for (std::size_t i = 0; i < n; ++i) {
        which[i] = pick_op(*part.ops, LonLat{pts[i].x, pts[i].y});
    }
    for (std::size_t first = 0; first < n;) {
        std::size_t end = first + 1;
        while (end < n && which[end] == which[first]) {
            ++end;
        }
        run(part.alternatives[which[first]].get(), first, end - first);
        first = end;
    }
}

/// The "+proj=…" parameters of a PROJ string, e.g. {"proj": "robin", "lon_0": "150"}.
std::map<std::string, std::string> proj_params(const char* text) {
    std::map<std::string, std::string> params;
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

/// The "+proj=…" parameters of a CRS (its conversion).
std::map<std::string, std::string> proj_params(PJ_CONTEXT* ctx, PJ* crs) {
    return proj_params(crs != nullptr ? detail::proj_api().proj_as_proj_string(ctx, crs, PJ_PROJ_5, nullptr) : nullptr);
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
        apply(part, pts.data(), pts.size());
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
            pts.reserve(samples.size());
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

    /// Sets `part`'s transformation lon/lat → `definition`: from the pipelines of a known CRS
    /// (no database look-up), else through PROJ's database (make_transform).
    void make_part(const std::string& definition, Part& part) {
        const KnownCrs* known = find_known(definition);
        if (known == nullptr) {
            if (const auto pipeline = wgs84_pipeline(definition)) {
                {
                    const detail::WithoutDatabase no_database(ctx.get());
                    part.transform.reset(detail::proj_api().proj_create(ctx.get(), pipeline->c_str()));
                }
                if (part.transform) {
                    return;
                }
            }
            part.transform = make_transform(definition);
            return;
        }
        const detail::WithoutDatabase no_database(ctx.get());
        std::vector<ProjPtr> pjs;
        for (const KnownOp& op : known->ops) {
            ProjPtr pj(detail::proj_api().proj_create(ctx.get(), op.pipeline.c_str()));
            if (!pj) {
                detail::throw_proj_error(ctx.get(), &log, spec, "cannot build the pipeline " + op.pipeline);
            }
            pjs.push_back(std::move(pj));
        }
        if (pjs.size() == 1) {
            part.transform = std::move(pjs.front());
            return;
        }
        part.transform.reset(detail::proj_api().proj_clone(ctx.get(), pjs.front().get()));
        part.alternatives = std::move(pjs);
        part.ops = &known->ops;
    }

    /// Builds lon/lat → `definition`: context, crs-to-crs, normalise for visualisation, drop the
    /// un-normalised operation. Each step is held in a unique_ptr, so a throw leaks nothing.
    ProjPtr make_transform(const std::string& definition) {
        PJ_CONTEXT* c = ctx.get();
        ProjPtr target(detail::proj_api().proj_create(c, definition.c_str()));
        if (!target) {
            detail::throw_proj_error(c,
                                     &log,
                                     spec,
                                     "not a CRS PROJ understands (expected us-albers, web-mercator, EPSG:n, ESRI:n, "
                                     "a +proj= string or WKT)",
                                     PROJ_ERR_INVALID_OP_WRONG_SYNTAX);
        }
        if (detail::proj_api().proj_is_crs(target.get()) == 0) {
            throw ProjectionError(spec,
                                  PROJ_ERR_INVALID_OP_ILLEGAL_ARG_VALUE,
                                  "is a coordinate operation, not a CRS; a map needs a projected CRS, e.g. EPSG:5070 "
                                  "or us-albers");
        }
        const ProjPtr horizontal = horizontal_crs(c, target.get());
        const PJ_TYPE type = horizontal ? detail::proj_api().proj_get_type(horizontal.get())
                                        : detail::proj_api().proj_get_type(target.get());
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
        ProjPtr source(detail::proj_api().proj_create(c, source_crs));
        if (!source) {
            detail::throw_proj_error(c, &log, spec, std::string("cannot build the source CRS ") + source_crs);
        }
        ProjPtr op(detail::proj_api().proj_create_crs_to_crs_from_pj(c, source.get(), target.get(), nullptr, nullptr));
        if (!op) {
            detail::throw_proj_error(c, &log, spec, "no transformation from lon/lat to this CRS");
        }
        ProjPtr normalized(detail::proj_api().proj_normalize_for_visualization(c, op.get()));
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
        apply(part, out.data(), out.size());  // per-point failures are reported as HUGE_VAL, dropped below
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
    impl.ctx.reset(detail::proj_api().proj_context_create());
    if (!impl.ctx) {
        throw ProjectionError(impl.spec, PROJ_ERR_OTHER, "cannot create a PROJ context");
    }
    detail::install_log(impl.ctx.get(), &impl.log);
    if (lower(spec) == "us-albers") {
        impl.composite = true;
        for (const InsetDef& def : inset_defs()) {
            Part part;
            impl.make_part(def.crs, part);
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
    const std::string definition = crs_definition(spec);
    Part part;
    impl.make_part(definition, part);
    impl.parts.push_back(std::move(part));

    std::map<std::string, std::string> params;
    if (const KnownCrs* known = find_known(definition)) {
        params = proj_params(known->params.c_str());
    } else {
        const ProjPtr target(detail::proj_api().proj_create(impl.ctx.get(), definition.c_str()));
        const ProjPtr horizontal = target ? horizontal_crs(impl.ctx.get(), target.get()) : nullptr;
        params = proj_params(impl.ctx.get(), horizontal ? horizontal.get() : target.get());
    }
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
    Projected c{in.x, in.y};
    apply(*part, &c, 1);
    if (!std::isfinite(c.x) || !std::isfinite(c.y) || c.x == HUGE_VAL || c.y == HUGE_VAL) {
        return false;
    }
    out = Projected{c.x * part->scale + part->offset.x, c.y * part->scale + part->offset.y};
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
