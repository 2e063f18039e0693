// Vector tiles: Mapbox Vector Tile 2.1 (mapbox/vector-tile-spec 2.1) of the scene, through the same
// pyramid driver, sinks, sharding and resume as the raster tiles. Per zoom the geometry is
// simplified and snapped to that zoom's integer grid (extent units of the world), fixed where the
// snapping broke validity; per metatile it is clipped once to the metatile (with the buffer), per
// tile again to the tile, rounded, re-checked where clipping added points, oriented as the spec
// says and encoded with protozero. GEOS clips (rectangle intersection keeps valid input valid)
// and repairs (make-valid, then snap-rounding to the integer grid, which keeps the result valid).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tiles/geos_api.hpp"
#include "tiles/tiles_internal.hpp"
#include <protozero/pbf_builder.hpp>
#include <protozero/pbf_writer.hpp>

#include "choro/geo/error.hpp"
#include "choro/geo/simplify.hpp"
#include "choro/render/tiles.hpp"

namespace choro::render {

namespace {

using Pt = geo::Pixel;  // world units of one zoom (extent · 2^z across), y down; integral after snapping
using IRing = geo::Ring<Pt>;
using IPolygon = geo::Polygon<Pt>;
using IMulti = geo::MultiPolygon<Pt>;
using IBox = geo::Box<Pt>;

// ---- GEOS, one context per thread ----------------------------------------------------------------

class Geos {
public:
    Geos() : m_api(detail::geos_api()), m_h(m_api.GEOS_init_r()) {
        if (m_h == nullptr) {
            throw RenderError("vector tiles", "cannot start GEOS");
        }
    }
    ~Geos() { m_api.GEOS_finish_r(m_h); }
    Geos(const Geos&) = delete;
    Geos& operator=(const Geos&) = delete;
    Geos(Geos&&) = delete;
    Geos& operator=(Geos&&) = delete;

    struct Deleter {
        const detail::GeosApi* api;
        GEOSContextHandle_t h;
        void operator()(GEOSGeometry* g) const noexcept {
            if (g != nullptr) {
                api->GEOSGeom_destroy_r(h, g);
            }
        }
    };
    using Ptr = std::unique_ptr<GEOSGeometry, Deleter>;

    [[nodiscard]] Ptr own(GEOSGeometry* g) const { return Ptr(g, Deleter{&m_api, m_h}); }

    [[nodiscard]] Ptr make(const IMulti& mp) const {
        std::vector<GEOSGeometry*> polys;
        polys.reserve(mp.size());
        for (const auto& poly : mp) {
            std::vector<GEOSGeometry*> rings;
            for (const auto& ring : poly) {
                m_buf.clear();
                for (const auto& p : ring) {
                    m_buf.push_back(p.x);
                    m_buf.push_back(p.y);
                }
                if (!ring.empty() && (ring.front().x != ring.back().x || ring.front().y != ring.back().y)) {
                    m_buf.push_back(ring.front().x);
                    m_buf.push_back(ring.front().y);
                }
                auto* seq = m_api.GEOSCoordSeq_copyFromBuffer_r(
                    m_h, m_buf.data(), static_cast<unsigned>(m_buf.size() / 2), 0, 0);
                rings.push_back(m_api.GEOSGeom_createLinearRing_r(m_h, seq));
            }
            polys.push_back(m_api.GEOSGeom_createPolygon_r(
                m_h, rings.front(), rings.size() > 1 ? &rings[1] : nullptr, static_cast<unsigned>(rings.size() - 1)));
        }
        return own(m_api.GEOSGeom_createCollection_r(
            m_h, GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size())));
    }

    void read(const GEOSGeometry* g, IMulti& out) const {
        const int type = m_api.GEOSGeomTypeId_r(m_h, g);
        if (type == GEOS_POLYGON) {
            IPolygon poly;
            poly.push_back(ring(m_api.GEOSGetExteriorRing_r(m_h, g)));
            const int holes = m_api.GEOSGetNumInteriorRings_r(m_h, g);
            for (int i = 0; i < holes; ++i) {
                poly.push_back(ring(m_api.GEOSGetInteriorRingN_r(m_h, g, i)));
            }
            if (!poly.front().empty()) {
                out.push_back(std::move(poly));
            }
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            const int n = m_api.GEOSGetNumGeometries_r(m_h, g);
            for (int i = 0; i < n; ++i) {
                read(m_api.GEOSGetGeometryN_r(m_h, g, i), out);
            }
        }  // points and lines left by clipping or repair have no area: dropped
    }

    [[nodiscard]] bool valid(const GEOSGeometry* g) const { return m_api.GEOSisValid_r(m_h, g) == 1; }

    /// The rectangle intersection (valid output for valid input).
    [[nodiscard]] Ptr clip(const GEOSGeometry* g, const IBox& r) const {
        return own(m_api.GEOSClipByRect_r(m_h, g, r.min.x, r.min.y, r.max.x, r.max.y));
    }

    /// Valid, with integral coordinates: made valid, then snap-rounded to the unit grid.
    [[nodiscard]] Ptr repair(const GEOSGeometry* g) const {
        Ptr valid = own(m_api.GEOSMakeValid_r(m_h, g));
        if (!valid) {
            return nullptr;
        }
        return own(m_api.GEOSGeom_setPrecision_r(m_h, valid.get(), 1.0, 0));
    }

private:
    IRing ring(const GEOSGeometry* r) const {
        IRing out;
        const GEOSCoordSequence* seq = m_api.GEOSGeom_getCoordSeq_r(m_h, r);
        unsigned n = 0;
        if (seq == nullptr || m_api.GEOSCoordSeq_getSize_r(m_h, seq, &n) == 0 || n == 0) {
            return out;
        }
        m_buf.resize(static_cast<std::size_t>(n) * 2);
        m_api.GEOSCoordSeq_copyToBuffer_r(m_h, seq, m_buf.data(), 0, 0);
        out.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = {m_buf[2 * i], m_buf[2 * i + 1]};
        }
        return out;
    }

    const detail::GeosApi& m_api;  // detail::geos_api(): GEOS is loaded by the first Geos
    GEOSContextHandle_t m_h;
    mutable std::vector<double> m_buf;
};

// ---- integral rings --------------------------------------------------------------------------------

// Twice the signed area (y down: positive = clockwise on screen, the spec's exterior).
double area2(const IRing& r) {
    double a = 0;
    for (std::size_t i = 0, n = r.size(); i < n; ++i) {
        const Pt& p = r[i];
        const Pt& q = r[(i + 1) % n];
        a += p.x * q.y - q.x * p.y;
    }
    return a;
}

// Rounds, removes repeated points and returns an open ring; empty when fewer than three points or
// no area are left.
IRing snap_ring(const IRing& ring) {
    IRing out;
    out.reserve(ring.size());
    for (const auto& p : ring) {
        const Pt q{std::round(p.x), std::round(p.y)};
        if (out.empty() || out.back().x != q.x || out.back().y != q.y) {
            out.push_back(q);
        }
    }
    while (out.size() > 1 && out.front().x == out.back().x && out.front().y == out.back().y) {
        out.pop_back();
    }
    if (out.size() < 3 || area2(out) == 0.0) {
        out.clear();
    }
    return out;
}

// Snapped polygons (open rings), exteriors positive and holes negative; degenerate rings dropped,
// a polygon whose exterior degenerates dropped with its holes.
IMulti snap(const IMulti& mp) {
    IMulti out;
    out.reserve(mp.size());
    for (const auto& poly : mp) {
        IPolygon p;
        for (std::size_t k = 0; k < poly.size(); ++k) {
            IRing r = snap_ring(poly[k]);
            if (r.empty()) {
                if (k == 0) {
                    break;
                }
                continue;
            }
            if ((area2(r) > 0) != (k == 0)) {
                std::reverse(r.begin(), r.end());
            }
            p.push_back(std::move(r));
        }
        if (!p.empty()) {
            out.push_back(std::move(p));
        }
    }
    return out;
}

IBox box_of(const IMulti& mp) {
    IBox b;
    for (const auto& poly : mp) {
        if (!poly.empty()) {
            for (const auto& p : poly.front()) {
                b.extend(p);
            }
        }
    }
    return b;
}

bool inside(const IBox& a, const IBox& r) {
    return a.min.x >= r.min.x && a.max.x <= r.max.x && a.min.y >= r.min.y && a.max.y <= r.max.y;
}
bool overlaps(const IBox& a, const IBox& r) {
    return !a.empty() && a.min.x < r.max.x && a.max.x > r.min.x && a.min.y < r.max.y && a.max.y > r.min.y;
}

// Snapped, then checked: valid as it is, or repaired (and snapped again: repair output is integral).
IMulti snap_valid(const Geos& geos, const IMulti& mp, bool check) {
    IMulti s = snap(mp);
    if (!check || s.empty()) {
        return s;
    }
    auto g = geos.make(s);
    if (g && geos.valid(g.get())) {
        return s;
    }
    IMulti fixed;
    if (g) {
        if (auto r = geos.repair(g.get())) {
            geos.read(r.get(), fixed);
        }
    }
    return snap(fixed);
}

// ---- the scene at one zoom -------------------------------------------------------------------------

struct Layer {
    std::vector<IMulti> geometry;  // snapped, valid, in world units
    std::vector<IBox> boxes;
};

struct Props {
    std::vector<std::string> highlight;  // per feature: reason or empty
    std::vector<std::string> mark;       // per feature: swatch name or empty
    std::vector<std::string> ban;        // per overlay feature
    std::vector<std::string> ban_mark;
};

Props properties_of(const pipeline::Scene& scene) {
    auto label = [&scene](styles::Swatch s, const char* fallback) {
        for (const auto& item : scene.legend) {
            if (item.swatch == s && !item.label.empty()) {
                return item.label;
            }
        }
        return std::string(fallback);
    };
    Props p;
    const std::string full = label(styles::Swatch::hatch, "holdout");
    const std::string part = label(styles::Swatch::partial_hatch, "partial holdout");
    const std::string in_force = label(styles::Swatch::overlay_hatch, "state ban");
    const std::string enacted = label(styles::Swatch::overlay_enacted, "state ban enacted, not yet in force");
    p.highlight.resize(scene.features.size());
    p.mark.resize(scene.features.size());
    for (std::size_t i = 0; i < scene.features.size(); ++i) {
        if (i < scene.highlighted.size() && scene.highlighted[i]) {
            p.highlight[i] = full;
            p.mark[i] = styles::swatch_name(styles::Swatch::hatch);
        } else if (i < scene.partial.size() && scene.partial[i]) {
            p.highlight[i] = part;
            p.mark[i] = styles::swatch_name(styles::Swatch::partial_hatch);
        }
    }
    p.ban.resize(scene.overlay.size());
    p.ban_mark.resize(scene.overlay.size());
    for (std::size_t i = 0; i < scene.overlay.size(); ++i) {
        if (i < scene.overlay_highlighted.size() && scene.overlay_highlighted[i]) {
            p.ban[i] = in_force;
            p.ban_mark[i] = styles::swatch_name(styles::Swatch::overlay_hatch);
        } else if (i < scene.overlay_enacted.size() && scene.overlay_enacted[i]) {
            p.ban[i] = enacted;
            p.ban_mark[i] = styles::swatch_name(styles::Swatch::overlay_enacted);
        }
    }
    return p;
}

class VectorZoom {
public:
    VectorZoom(const pipeline::Scene& scene, const Props& props, int z, const VectorTileOptions& o)
        : m_scene(&scene), m_props(&props), m_o(o) {
        m_world = static_cast<double>(o.extent) * static_cast<double>(geo::tiles_per_side(z));
        const double per_metre = m_world / (2.0 * geo::web_mercator_half);
        const double tolerance = o.tolerance / per_metre;
        const Geos geos;
        auto prepare = [&](const std::vector<geo::MultiPolygon<geo::Projected>>& in, Layer& layer) {
            layer.geometry.reserve(in.size());
            for (const auto& mp : in) {
                IMulti world;
                IBox whole;
                for (const auto& polygon : mp) {
                    if (!polygon.empty()) {
                        for (const auto& p : polygon.front()) {
                            whole.extend(to_world(p));
                        }
                    }
                    const auto simple = tolerance > 0 ? geo::simplify(polygon, tolerance) : polygon;
                    if (simple.empty()) {
                        continue;
                    }
                    IPolygon poly;
                    for (const auto& ring : simple) {
                        IRing r;
                        r.reserve(ring.size());
                        for (const auto& p : ring) {
                            r.push_back(to_world(p));
                        }
                        poly.push_back(std::move(r));
                    }
                    world.push_back(std::move(poly));
                }
                IMulti s = snap_valid(geos, world, true);
                if (s.empty() && !whole.empty()) {
                    // Too small for this zoom's grid: one unit square where it is, so every feature
                    // stays in the tiles (found by hover and search) at every zoom.
                    const double x = std::floor((whole.min.x + whole.max.x) / 2);
                    const double y = std::floor((whole.min.y + whole.max.y) / 2);
                    s.push_back({IRing{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}}});
                }
                layer.boxes.push_back(box_of(s));
                layer.geometry.push_back(std::move(s));
            }
        };
        prepare(scene.features, m_features);
        prepare(scene.overlay, m_overlay);
    }

    /// The tiles of one metatile (with the thread's GEOS context).
    [[nodiscard]] detail::MetatileResult cut(const Geos& geos,
                                             const detail::MetaTile& m,
                                             const geo::TileRange& tr) const {
        detail::MetatileResult result;
        const double e = m_o.extent;
        const double b = m_o.buffer;
        const IBox meta{{tr.min_x * e - b, tr.min_y * e - b}, {(tr.max_x + 1.0) * e + b, (tr.max_y + 1.0) * e + b}};
        Pieces features = pieces(geos, m_features, meta);
        Pieces overlay = pieces(geos, m_overlay, meta);
        for (std::uint32_t y = tr.min_y; y <= tr.max_y; ++y) {
            for (std::uint32_t x = tr.min_x; x <= tr.max_x; ++x) {
                const IBox tile{{x * e - b, y * e - b}, {(x + 1.0) * e + b, (y + 1.0) * e + b}};
                TileGeometry tg;
                tg.origin = {x * e, y * e};
                collect(geos, features, tile, tg.origin, tg.features);
                collect(geos, overlay, tile, tg.origin, tg.overlay);
                if (tg.features.empty() && tg.overlay.empty()) {
                    ++result.empty;
                    continue;
                }
                std::string bytes = encode(tg);
                bool coarse = false;
                for (double tolerance = std::max(1.0, m_o.tolerance);
                     bytes.size() > m_o.max_tile_bytes && tolerance < e;) {
                    // Too big: drop detail (coarser simplification) until it fits.
                    tolerance *= 2;
                    coarsen(geos, tg.features, tolerance);
                    coarsen(geos, tg.overlay, tolerance);
                    bytes = encode(tg);
                    coarse = true;
                }
                result.coarsened += coarse ? 1 : 0;
                result.max_bytes = std::max<std::uint64_t>(result.max_bytes, bytes.size());
                result.tiles.push_back({geo::TileId{m.z, x, y}, std::move(bytes)});
            }
        }
        return result;
    }

private:
    struct Piece {
        std::uint32_t index = 0;
        const IMulti* shared = nullptr;  // the zoom's geometry, wholly inside the metatile
        IMulti own;                      // clipped to the metatile (unrounded)
        IBox box;
        [[nodiscard]] const IMulti& geometry() const { return shared != nullptr ? *shared : own; }
    };
    using Pieces = std::vector<Piece>;

    struct TileFeature {
        std::uint32_t index = 0;
        IMulti geometry;  // tile coordinates, snapped, oriented, valid
    };
    struct TileGeometry {
        Pt origin;
        std::vector<TileFeature> features;
        std::vector<TileFeature> overlay;
    };

    [[nodiscard]] Pt to_world(const geo::Projected& p) const noexcept {
        const double k = m_world / (2.0 * geo::web_mercator_half);
        return {(p.x + geo::web_mercator_half) * k, (geo::web_mercator_half - p.y) * k};
    }

    static Pieces pieces(const Geos& geos, const Layer& layer, const IBox& meta) {
        Pieces out;
        for (std::uint32_t i = 0; i < layer.geometry.size(); ++i) {
            const IBox& box = layer.boxes[i];
            if (!overlaps(box, meta)) {
                continue;
            }
            Piece p;
            p.index = i;
            if (inside(box, meta)) {
                p.shared = &layer.geometry[i];
                p.box = box;
            } else {
                auto g = geos.make(layer.geometry[i]);
                auto c = g ? geos.clip(g.get(), meta) : nullptr;
                if (!c) {
                    throw RenderError("vector tiles", "GEOS cannot clip feature " + std::to_string(i));
                }
                geos.read(c.get(), p.own);
                if (p.own.empty()) {
                    continue;
                }
                p.box = box_of(p.own);
            }
            out.push_back(std::move(p));
        }
        return out;
    }

    static void collect(
        const Geos& geos, const Pieces& pieces, const IBox& tile, const Pt& origin, std::vector<TileFeature>& out) {
        IMulti local;
        for (const Piece& p : pieces) {
            if (!overlaps(p.box, tile)) {
                continue;
            }
            const bool whole = inside(p.box, tile);
            IMulti geometry;
            if (whole) {
                geometry = p.geometry();
            } else {
                auto g = geos.make(p.geometry());
                auto c = g ? geos.clip(g.get(), tile) : nullptr;
                if (!c) {
                    throw RenderError("vector tiles", "GEOS cannot clip feature " + std::to_string(p.index));
                }
                geos.read(c.get(), geometry);
            }
            for (auto& poly : geometry) {
                for (auto& ring : poly) {
                    for (auto& pt : ring) {
                        pt.x -= origin.x;
                        pt.y -= origin.y;
                    }
                }
            }
            // Unclipped shared geometry is snapped and valid already; clipped pieces gained
            // rounded points on the tile's edges and are checked again.
            IMulti s = whole && p.shared != nullptr ? std::move(geometry) : snap_valid(geos, geometry, true);
            if (!s.empty()) {
                out.push_back({p.index, std::move(s)});
            }
        }
    }

    static void coarsen(const Geos& geos, std::vector<TileFeature>& features, double tolerance) {
        for (auto& f : features) {
            IMulti simple;
            for (const auto& poly : f.geometry) {
                auto s = geo::simplify(poly, tolerance);  // open rings stay open
                if (!s.empty()) {
                    simple.push_back(std::move(s));
                }
            }
            f.geometry = snap_valid(geos, simple, true);
        }
        std::erase_if(features, [](const TileFeature& f) { return f.geometry.empty(); });
    }

    // ---- encoding (vector_tile.proto) ----

    enum class TileMsg : protozero::pbf_tag_type { layers = 3 };
    enum class LayerMsg : protozero::pbf_tag_type {
        name = 1,
        features = 2,
        keys = 3,
        values = 4,
        extent = 5,
        version = 15
    };
    enum class FeatureMsg : protozero::pbf_tag_type { id = 1, tags = 2, type = 3, geometry = 4 };
    enum class ValueMsg : protozero::pbf_tag_type { string_value = 1, double_value = 3, sint_value = 6 };

    struct Value {
        int kind = 0;  // 0 string, 1 double, 2 sint
        std::string s;
        double d = 0;
        std::int64_t i = 0;
        friend bool operator<(const Value& a, const Value& b) {
            return std::tie(a.kind, a.s, a.d, a.i) < std::tie(b.kind, b.s, b.d, b.i);
        }
    };

    class LayerWriter {
    public:
        void add(std::uint64_t id, const std::vector<std::pair<std::uint32_t, Value>>& props, const IMulti& mp) {
            Feature f;
            f.id = id;
            for (const auto& [key, value] : props) {
                f.tags.push_back(key);
                auto [it, fresh] = m_index.emplace(value, static_cast<std::uint32_t>(m_values.size()));
                if (fresh) {
                    m_values.push_back(value);
                }
                f.tags.push_back(it->second);
            }
            std::int64_t cx = 0;
            std::int64_t cy = 0;
            auto cmd = [](std::uint32_t c, std::uint32_t n) { return (c & 7U) | (n << 3U); };
            auto zig = [](std::int64_t v) { return static_cast<std::uint32_t>((v << 1) ^ (v >> 63)); };
            for (const auto& poly : mp) {
                for (const auto& ring : poly) {
                    const auto x0 = static_cast<std::int64_t>(ring[0].x);
                    const auto y0 = static_cast<std::int64_t>(ring[0].y);
                    f.geometry.push_back(cmd(1, 1));
                    f.geometry.push_back(zig(x0 - cx));
                    f.geometry.push_back(zig(y0 - cy));
                    cx = x0;
                    cy = y0;
                    f.geometry.push_back(cmd(2, static_cast<std::uint32_t>(ring.size() - 1)));
                    for (std::size_t k = 1; k < ring.size(); ++k) {
                        const auto x = static_cast<std::int64_t>(ring[k].x);
                        const auto y = static_cast<std::int64_t>(ring[k].y);
                        f.geometry.push_back(zig(x - cx));
                        f.geometry.push_back(zig(y - cy));
                        cx = x;
                        cy = y;
                    }
                    f.geometry.push_back(cmd(7, 1));
                }
            }
            m_features.push_back(std::move(f));
        }

        void write(protozero::pbf_builder<TileMsg>& tile,
                   const char* name,
                   const std::vector<const char*>& keys,
                   std::uint32_t extent) const {
            if (m_features.empty()) {
                return;
            }
            protozero::pbf_builder<LayerMsg> layer(tile, TileMsg::layers);
            layer.add_uint32(LayerMsg::version, 2);
            layer.add_string(LayerMsg::name, name);
            for (const auto& f : m_features) {
                protozero::pbf_builder<FeatureMsg> feature(layer, LayerMsg::features);
                feature.add_uint64(FeatureMsg::id, f.id);
                feature.add_packed_uint32(FeatureMsg::tags, f.tags.begin(), f.tags.end());
                feature.add_enum(FeatureMsg::type, 3);  // POLYGON
                feature.add_packed_uint32(FeatureMsg::geometry, f.geometry.begin(), f.geometry.end());
            }
            for (const char* k : keys) {
                layer.add_string(LayerMsg::keys, k);
            }
            for (const auto& v : m_values) {
                protozero::pbf_builder<ValueMsg> value(layer, LayerMsg::values);
                if (v.kind == 0) {
                    value.add_string(ValueMsg::string_value, v.s);
                } else if (v.kind == 1) {
                    value.add_double(ValueMsg::double_value, v.d);
                } else {
                    value.add_sint64(ValueMsg::sint_value, v.i);
                }
            }
            layer.add_uint32(LayerMsg::extent, extent);
        }

    private:
        struct Feature {
            std::uint64_t id = 0;
            std::vector<std::uint32_t> tags;
            std::vector<std::uint32_t> geometry;
        };
        std::vector<Feature> m_features;
        std::vector<Value> m_values;
        std::map<Value, std::uint32_t> m_index;
    };

    [[nodiscard]] std::string encode(const TileGeometry& tg) const {
        std::string out;
        protozero::pbf_builder<TileMsg> tile(out);
        const auto text = [](std::string s) {
            Value v;
            v.s = std::move(s);
            return v;
        };
        {
            // keys: key, name, value, class, highlight, mark
            LayerWriter w;
            std::vector<std::pair<std::uint32_t, Value>> props;
            for (const auto& f : tg.features) {
                props.clear();
                const auto i = f.index;
                if (i < m_scene->info.size()) {
                    const auto& info = m_scene->info[i];
                    props.emplace_back(0, text(info.key));
                    props.emplace_back(1, text(info.name));
                    if (info.value && std::isfinite(*info.value)) {
                        Value v;
                        v.kind = 1;
                        v.d = *info.value;
                        props.emplace_back(2, v);
                    }
                    Value c;
                    c.kind = 2;
                    c.i = info.cls;
                    props.emplace_back(3, c);
                }
                if (!m_props->highlight[i].empty()) {
                    props.emplace_back(4, text(m_props->highlight[i]));
                    props.emplace_back(5, text(m_props->mark[i]));
                }
                w.add(i + 1ULL, props, f.geometry);
            }
            w.write(tile, "features", {"key", "name", "value", "class", "highlight", "mark"}, m_o.extent);
        }
        {
            LayerWriter w;
            std::vector<std::pair<std::uint32_t, Value>> props;
            for (const auto& f : tg.overlay) {
                props.clear();
                if (!m_props->ban[f.index].empty()) {
                    props.emplace_back(0, text(m_props->ban[f.index]));
                    props.emplace_back(1, text(m_props->ban_mark[f.index]));
                }
                w.add(f.index + 1ULL, props, f.geometry);
            }
            w.write(tile, "overlay", {"ban", "mark"}, m_o.extent);
        }
        return out;
    }

    const pipeline::Scene* m_scene;
    const Props* m_props;
    VectorTileOptions m_o;
    double m_world = 0;
    Layer m_features;
    Layer m_overlay;
};

std::string vector_fingerprint(const pipeline::Scene& scene,
                               const TileOptions& options,
                               const VectorTileOptions& vo,
                               const geo::Box<geo::LonLat>& bbox) {
    std::string bytes = "mvt-1";
    auto add = [&bytes](const auto& value) { bytes.append(reinterpret_cast<const char*>(&value), sizeof value); };
    auto add_text = [&](const std::string& s) {
        add(s.size());
        bytes += s;
    };
    auto add_geometry = [&add](const std::vector<geo::MultiPolygon<geo::Projected>>& features) {
        for (const auto& mp : features) {
            add(mp.size());
            for (const auto& poly : mp) {
                add(poly.size());
                for (const auto& ring : poly) {
                    add(ring.size());
                    for (const auto& p : ring) {
                        add(p.x);
                        add(p.y);
                    }
                }
            }
        }
    };
    add_geometry(scene.features);
    add_geometry(scene.overlay);
    for (const auto& info : scene.info) {
        add_text(info.key);
        add_text(info.name);
        add(info.value.has_value());
        add(info.value.value_or(0.0));
        add(info.cls);
    }
    for (const bool h : scene.highlighted) {
        add(h);
    }
    for (const bool h : scene.partial) {
        add(h);
    }
    for (const bool h : scene.overlay_highlighted) {
        add(h);
    }
    for (const bool h : scene.overlay_enacted) {
        add(h);
    }
    for (const auto& item : scene.legend) {
        add_text(item.label);
    }
    add(options.min_zoom);
    add(options.max_zoom);
    add(options.metatile);
    add(vo.extent);
    add(vo.buffer);
    add(vo.tolerance);
    add(vo.max_tile_bytes);
    add(bbox.min);
    add(bbox.max);
    return detail::content_hash(bytes);
}

}  // namespace

TileStats render_vector_tiles(const pipeline::Scene& scene,
                              const TileOptions& options,
                              const std::filesystem::path& out,
                              TilesetInfo info,
                              const VectorTileOptions& vector) {
    if (vector.extent < 256 || vector.extent > 8192 || vector.buffer < 0 || vector.buffer > vector.extent ||
        !(vector.tolerance >= 0) || vector.max_tile_bytes < 1024) {
        throw LimitError("vector tiles: extent " + std::to_string(vector.extent) + ", buffer " +
                         std::to_string(vector.buffer) +
                         ": expected 256 <= extent <= 8192, 0 <= buffer <= extent, tolerance >= 0, a size limit "
                         ">= 1024 bytes");
    }
    info.format = "pbf";
    auto opts = options;
    opts.scale = 1;
    const auto props = std::make_shared<const Props>(properties_of(scene));
    return detail::run_pyramid(
        scene,
        opts,
        out,
        std::move(info),
        [&](const geo::Box<geo::LonLat>& requested) { return vector_fingerprint(scene, opts, vector, requested); },
        [&](int z) -> std::function<detail::MetatileFn()> {
            auto zoom = std::make_shared<const VectorZoom>(scene, *props, z, vector);
            return [zoom]() -> detail::MetatileFn {
                auto geos = std::make_shared<Geos>();  // one GEOS context per worker thread
                return [zoom, geos](const detail::MetaTile& m, const geo::TileRange& tr) {
                    return zoom->cut(*geos, m, tr);
                };
            };
        });
}

}  // namespace choro::render
