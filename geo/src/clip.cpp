// Cutting at the seam and clipping to a cap or a box, on lon/lat geometry before projection.
//
// Every cut is done in a plane where the cut is a straight line: longitudes are unwrapped (made
// continuous along a ring) around an origin meridian, so the seam is x = ±180; for a cap, points are
// first rotated so that the cap's centre is the north pole, and the cap's edge is y = 90 - radius.
// A ring that winds once around the pole of that plane is closed along the pole line (y = ±90).
// A polygon is then clipped against one axis-parallel half-plane at a time: the parts of its rings
// inside are kept as chains, and chains are joined along the cut line by pairing crossings in their
// order along it (even-odd), which is what d3-geo's rejoin does on the sphere.

#include "choro/geo/clip.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <utility>

namespace choro::geo {

namespace {

using PRing = std::vector<LonLat>;  // a ring in an unwrapped plane, closed
using PPoly = std::vector<PRing>;

constexpr double seam_eps = 1e-7;   // points on a seam are pulled this far (degrees) to their own side
constexpr double fill_step = 1.0;   // degrees between points added along a cut edge
constexpr double min_area = 1e-12;  // square degrees: pieces smaller than this are slivers of a cut
constexpr double deg = std::numbers::pi / 180.0;

double wrap180(double d) noexcept {
    d = std::fmod(d + 180.0, 360.0);
    if (d < 0.0) {
        d += 360.0;
    }
    return d - 180.0;
}

struct Cut {
    int axis = 0;  // 0: x = value, 1: y = value
    double value = 0.0;
    bool keep_le = true;  // keep coord <= value (else >=)
};

double coord(const LonLat& p, int axis) noexcept {
    return axis == 0 ? p.x : p.y;
}

double side(const LonLat& p, const Cut& c) noexcept {
    const double v = coord(p, c.axis);
    return c.keep_le ? c.value - v : v - c.value;
}

LonLat crossing(const LonLat& a, const LonLat& b, const Cut& c) noexcept {
    const double sa = side(a, c);
    const double sb = side(b, c);
    const double t = sa / (sa - sb);
    LonLat p{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
    (c.axis == 0 ? p.x : p.y) = c.value;
    return p;
}

void push_unique(PRing& r, const LonLat& p) {
    if (r.empty() || !(r.back() == p)) {
        r.push_back(p);
    }
}

void close_ring(PRing& r) {
    if (!r.empty() && !(r.front() == r.back())) {
        r.push_back(r.front());
    }
}

/// Points along the cut line strictly between a and b (both on it), every fill_step degrees.
void fill_between(PRing& out, const LonLat& a, const LonLat& b, const Cut& c) {
    const int other = 1 - c.axis;
    const double from = coord(a, other);
    const double to = coord(b, other);
    const int n = static_cast<int>(std::ceil(std::abs(to - from) / fill_step));
    for (int i = 1; i < n; ++i) {
        const double t = from + (to - from) * i / n;
        push_unique(out, c.axis == 0 ? LonLat{c.value, t} : LonLat{t, c.value});
    }
}

bool point_in_ring(const LonLat& p, const PRing& r) noexcept {
    bool in = false;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        if (((r[i].y > p.y) != (r[j].y > p.y)) &&
            (p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)) {
            in = !in;
        }
    }
    return in;
}

std::size_t distinct_points(const PRing& r) noexcept {
    return r.size() > 1 && r.front() == r.back() ? r.size() - 1 : r.size();
}

/// The parts of a cut ring inside, walked from its first point outside (`outside`, of `m` distinct
/// points): each chain runs from an entry on the line to an exit on it.
void append_chains(const PRing& ring, std::size_t m, std::size_t outside, const Cut& cut, std::vector<PRing>& chains) {
    PRing cur;
    for (std::size_t j = 0; j < m; ++j) {
        const LonLat& a = ring[(outside + j) % m];
        const LonLat& b = ring[(outside + j + 1) % m];
        const bool in_a = side(a, cut) >= 0.0;
        const bool in_b = side(b, cut) >= 0.0;
        if (!in_a && in_b) {
            cur.clear();
            push_unique(cur, crossing(a, b, cut));
            push_unique(cur, b);
        } else if (in_a && in_b) {
            push_unique(cur, b);
        } else if (in_a && !in_b) {
            push_unique(cur, crossing(a, b, cut));
            // A run lying wholly on the line touches it from outside: no area, not a chain.
            const bool on_line =
                std::all_of(cur.begin(), cur.end(), [&](const LonLat& p) { return side(p, cut) == 0.0; });
            if (!on_line) {
                chains.push_back(std::move(cur));
            }
            cur.clear();
        }
    }
}

/// What of a polygon lies inside a half-plane: the rings wholly inside, and the chains of the cut ones.
struct InsideParts {
    std::vector<char> whole;    // per ring: 1 when it lies wholly inside
    std::vector<PRing> chains;  // the inside runs of the rings that cross the line
    bool any_cut = false;       // a ring has points on both sides
};

InsideParts inside_parts(const PPoly& poly, const Cut& cut) {
    InsideParts parts{std::vector<char>(poly.size(), 0), {}, false};
    for (std::size_t i = 0; i < poly.size(); ++i) {
        const PRing& ring = poly[i];
        const std::size_t m = distinct_points(ring);
        if (m < 3) {
            continue;
        }
        std::size_t outside = m;
        bool any_in = false;
        for (std::size_t j = 0; j < m; ++j) {
            if (side(ring[j], cut) < 0.0) {
                outside = std::min(outside, j);
            } else {
                any_in = true;
            }
        }
        if (outside == m) {
            parts.whole[i] = 1;
            continue;
        }
        if (!any_in) {
            continue;
        }
        parts.any_cut = true;
        append_chains(ring, m, outside, cut, parts.chains);
    }
    return parts;
}

/// A polygon that no cut crosses: its rings wholly inside, or nothing when the exterior is outside.
std::vector<PPoly> uncut(const PPoly& poly, const std::vector<char>& whole) {
    std::vector<PPoly> out;
    if (!whole[0]) {
        return out;
    }
    PPoly kept;
    for (std::size_t i = 0; i < poly.size(); ++i) {
        if (whole[i]) {
            kept.push_back(poly[i]);
        }
    }
    out.push_back(std::move(kept));
    return out;
}

/// For each chain, the chain its exit joins along the line.
std::vector<std::size_t> next_chains(const std::vector<PRing>& chains, const Cut& cut) {
    // Crossings along the line, paired even-odd: each inside stretch of the line joins an exit to an entry.
    struct End {
        double t;
        std::size_t chain;
        bool exit;
    };
    std::vector<End> ends;
    ends.reserve(chains.size() * 2);
    const int other = 1 - cut.axis;
    for (std::size_t c = 0; c < chains.size(); ++c) {
        ends.push_back({coord(chains[c].front(), other), c, false});
        ends.push_back({coord(chains[c].back(), other), c, true});
    }
    std::stable_sort(ends.begin(), ends.end(), [](const End& a, const End& b) { return a.t < b.t; });
    std::vector<std::size_t> next(chains.size());
    bool paired = true;
    for (std::size_t k = 0; k + 1 < ends.size(); k += 2) {
        const End& a = ends[k];
        const End& b = ends[k + 1];
        if (a.exit == b.exit) {
            paired = false;
            break;
        }
        next[a.exit ? a.chain : b.chain] = a.exit ? b.chain : a.chain;
    }
    if (!paired) {  // crossings that do not alternate (a self-touching ring): close each chain on itself
        for (std::size_t c = 0; c < chains.size(); ++c) {
            next[c] = c;
        }
    }
    return next;
}

/// The chains joined into rings, each exit to the next chain's entry along the line; rings without
/// area are dropped.
std::vector<PPoly> join_chains(const std::vector<PRing>& chains, const std::vector<std::size_t>& next, const Cut& cut) {
    std::vector<PPoly> out;
    std::vector<char> used(chains.size(), 0);
    for (std::size_t start = 0; start < chains.size(); ++start) {
        if (used[start]) {
            continue;
        }
        PRing ring;
        std::size_t c = start;
        while (!used[c]) {
            used[c] = 1;
            for (const LonLat& p : chains[c]) {
                push_unique(ring, p);
            }
            const std::size_t n = next[c];
            fill_between(ring, ring.back(), chains[n].front(), cut);
            c = n;
        }
        close_ring(ring);
        if (distinct_points(ring) >= 3 && std::abs(signed_area(ring)) > min_area) {
            out.push_back(PPoly{std::move(ring)});
        }
    }
    return out;
}

/// Holes that were not cut go into the piece that holds them.
void add_whole_holes(const PPoly& poly, const std::vector<char>& whole, std::vector<PPoly>& pieces) {
    for (std::size_t i = 1; i < poly.size(); ++i) {
        if (!whole[i]) {
            continue;
        }
        for (PPoly& piece : pieces) {
            if (point_in_ring(poly[i].front(), piece.front())) {
                piece.push_back(poly[i]);
                break;
            }
        }
    }
}

/// One polygon (rings closed, ring 0 exterior) against one half-plane: zero or more polygons.
std::vector<PPoly> clip_half(const PPoly& poly, const Cut& cut) {
    if (poly.empty()) {
        return {};
    }
    const InsideParts parts = inside_parts(poly, cut);
    if (!parts.any_cut || parts.chains.empty()) {
        return uncut(poly, parts.whole);
    }
    std::vector<PPoly> out = join_chains(parts.chains, next_chains(parts.chains, cut), cut);
    add_whole_holes(poly, parts.whole, out);
    return out;
}

/// An open polyline against one half-plane: the runs inside.
void clip_line_half(const PRing& line, const Cut& cut, std::vector<PRing>& out) {
    PRing cur;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const bool in = side(line[i], cut) >= 0.0;
        if (i > 0) {
            const bool was_in = side(line[i - 1], cut) >= 0.0;
            if (!was_in && in) {
                push_unique(cur, crossing(line[i - 1], line[i], cut));
            } else if (was_in && !in) {
                push_unique(cur, crossing(line[i - 1], line[i], cut));
                if (cur.size() >= 2) {
                    out.push_back(std::move(cur));
                }
                cur.clear();
                continue;
            }
        }
        if (in) {
            push_unique(cur, line[i]);
        }
    }
    if (cur.size() >= 2) {
        out.push_back(std::move(cur));
    }
}

/// Longitudes made continuous around `origin` (the first point within ±180° of it, or of `near`).
PRing unwrap_open(const Ring<LonLat>& ring, double origin, double near) {
    PRing out;
    out.reserve(ring.size() + 3);
    if (ring.empty()) {
        return out;
    }
    double x = wrap180(ring.front().x - origin);
    x += 360.0 * std::round((near - x) / 360.0);
    out.push_back({x, ring.front().y});
    for (std::size_t i = 1; i < ring.size(); ++i) {
        x += wrap180(ring[i].x - ring[i - 1].x);
        out.push_back({x, ring[i].y});
    }
    return out;
}

/// As unwrap_open for a closed ring; a ring that winds around the pole of the plane is closed along
/// the pole line on the side of its mean latitude, so that it becomes an ordinary planar ring.
PRing unwrap_closed(const Ring<LonLat>& ring, double origin, double near) {
    PRing out = unwrap_open(ring, origin, near);
    if (out.size() < 2) {
        return out;
    }
    const double winding = out.back().x - out.front().x;
    if (std::abs(winding) > 180.0) {
        double mean = 0.0;
        for (const LonLat& p : ring) {
            mean += p.y;
        }
        const double pole = mean < 0.0 ? -90.0 : 90.0;
        // Start the ring where it crosses the plane's seam (x = 180 mod 360) nearest the pole, so
        // the closure through the pole runs along the seam, crosses no other part of the ring, and
        // adds no cut of its own.
        std::size_t best = out.size();
        double best_y = 0.0;
        double best_seam = 0.0;
        for (std::size_t i = 0; i + 1 < out.size(); ++i) {
            const double a = std::floor((out[i].x + 180.0) / 360.0);
            const double b = std::floor((out[i + 1].x + 180.0) / 360.0);
            if (a == b) {
                continue;
            }
            const double seam = 180.0 + 360.0 * std::min(a, b);
            const double t = (seam - out[i].x) / (out[i + 1].x - out[i].x);
            const double y = out[i].y + t * (out[i + 1].y - out[i].y);
            if (best == out.size() || (pole < 0.0 ? y < best_y : y > best_y)) {
                best = i;
                best_y = y;
                best_seam = seam;
            }
        }
        if (best < out.size()) {
            const LonLat c{origin + best_seam, best_y};
            Ring<LonLat> turned{c};
            turned.insert(turned.end(), ring.begin() + static_cast<std::ptrdiff_t>(best) + 1, ring.end() - 1);
            turned.insert(turned.end(), ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(best) + 1);
            turned.push_back(c);
            out = unwrap_open(turned, origin, near);
        }
        const LonLat first = out.front();
        out.push_back({out.back().x, pole});
        out.push_back({first.x, pole});
        out.push_back(first);
    } else {
        out.back().x = out.front().x;  // exactly closed
    }
    return out;
}

struct XRange {
    double min = 0.0;
    double max = 0.0;
};

XRange x_range(const PRing& r) {
    XRange x{r.front().x, r.front().x};
    for (const LonLat& p : r) {
        x.min = std::min(x.min, p.x);
        x.max = std::max(x.max, p.x);
    }
    return x;
}

/// Polygon unwrapped around `origin`, the exterior's x-range centred within ±180°, holes beside it.
PPoly unwrap_polygon(const Polygon<LonLat>& poly, double origin) {
    PPoly out;
    if (poly.empty() || poly.front().size() < 2) {
        return out;
    }
    out.push_back(unwrap_closed(poly.front(), origin, 0.0));
    const XRange r = x_range(out.front());
    const double shift = 360.0 * std::round((r.min + r.max) / 2.0 / 360.0);
    for (LonLat& p : out.front()) {
        p.x -= shift;
    }
    const double mid = (r.min + r.max) / 2.0 - shift;
    for (std::size_t i = 1; i < poly.size(); ++i) {
        if (poly[i].size() >= 2) {
            out.push_back(unwrap_closed(poly[i], origin, mid));
        }
    }
    return out;
}

/// A planar polygon clipped to the box; appended to `out` with `dx` added to every x.
void clip_box(const PPoly& poly, double x0, double x1, double y0, double y1, double dx, std::vector<PPoly>& out) {
    std::vector<PPoly> cur{poly};
    const Cut cuts[4] = {{0, x1, true}, {0, x0, false}, {1, y1, true}, {1, y0, false}};
    for (const Cut& c : cuts) {
        if (c.axis == 1 && ((c.keep_le && c.value >= 90.0) || (!c.keep_le && c.value <= -90.0))) {
            continue;
        }
        std::vector<PPoly> next;
        for (const PPoly& p : cur) {
            bool all_in = true;
            for (const PRing& r : p) {
                for (const LonLat& q : r) {
                    if (side(q, c) < 0.0) {
                        all_in = false;
                        break;
                    }
                }
            }
            if (all_in) {
                next.push_back(p);
            } else {
                auto pieces = clip_half(p, c);
                for (auto& piece : pieces) {
                    next.push_back(std::move(piece));
                }
            }
        }
        cur = std::move(next);
    }
    for (PPoly& p : cur) {
        for (PRing& r : p) {
            for (LonLat& q : r) {
                q.x += dx;
            }
        }
        out.push_back(std::move(p));
    }
}

/// Cut a polygon to the box x0..x1 × y0..y1 of the plane unwrapped around `origin` (x0 < x1, x1 - x0
/// <= 360), repeating the box every 360° so that pieces beyond it come back on their side.
std::vector<PPoly> cut_box(const Polygon<LonLat>& polygon, double origin, double x0, double x1, double y0, double y1) {
    std::vector<PPoly> out;
    const PPoly poly = unwrap_polygon(polygon, origin);
    if (poly.empty()) {
        return out;
    }
    XRange r = x_range(poly.front());
    for (std::size_t i = 1; i < poly.size(); ++i) {
        const XRange h = x_range(poly[i]);
        r.min = std::min(r.min, h.min);
        r.max = std::max(r.max, h.max);
    }
    const int k0 = static_cast<int>(std::floor((r.min - x1) / 360.0));
    const int k1 = static_cast<int>(std::ceil((r.max - x0) / 360.0));
    for (int k = k0; k <= k1; ++k) {
        const double off = 360.0 * k;
        if (r.max < x0 + off || r.min > x1 + off) {
            continue;
        }
        clip_box(poly, x0 + off, x1 + off, y0, y1, origin - off, out);
    }
    return out;
}

/// Rotation taking the cap's centre to the north pole.
struct Rotation {
    double e[3]{};  // centre
    double u[3]{};  // x axis of the rotated frame
    double v[3]{};  // y axis

    Rotation(double lon0, double lat0) {
        const double l = lon0 * deg;
        const double f = lat0 * deg;
        e[0] = std::cos(f) * std::cos(l);
        e[1] = std::cos(f) * std::sin(l);
        e[2] = std::sin(f);
        u[0] = std::sin(f) * std::cos(l);
        u[1] = std::sin(f) * std::sin(l);
        u[2] = -std::cos(f);
        v[0] = e[1] * u[2] - e[2] * u[1];
        v[1] = e[2] * u[0] - e[0] * u[2];
        v[2] = e[0] * u[1] - e[1] * u[0];
    }
    [[nodiscard]] LonLat forward(const LonLat& p) const noexcept {
        const double l = p.x * deg;
        const double f = p.y * deg;
        const double w[3] = {std::cos(f) * std::cos(l), std::cos(f) * std::sin(l), std::sin(f)};
        const double a = w[0] * u[0] + w[1] * u[1] + w[2] * u[2];
        const double b = w[0] * v[0] + w[1] * v[1] + w[2] * v[2];
        const double c = std::clamp(w[0] * e[0] + w[1] * e[1] + w[2] * e[2], -1.0, 1.0);
        return {std::atan2(b, a) / deg, std::asin(c) / deg};
    }
    [[nodiscard]] LonLat inverse(const LonLat& p) const noexcept {
        const double l = p.x * deg;
        const double f = p.y * deg;
        const double cf = std::cos(f);
        const double w0 = cf * std::cos(l);
        const double w1 = cf * std::sin(l);
        const double w2 = std::sin(f);
        const double x = w0 * u[0] + w1 * v[0] + w2 * e[0];
        const double y = w0 * u[1] + w1 * v[1] + w2 * e[1];
        const double z = std::clamp(w0 * u[2] + w1 * v[2] + w2 * e[2], -1.0, 1.0);
        return {std::atan2(y, x) / deg, std::asin(z) / deg};
    }
};

bool near_equal(const LonLat& a, const LonLat& b) noexcept {
    if (std::abs(a.y - b.y) > 1e-9) {
        return false;
    }
    return std::abs(a.y) > 90.0 - 1e-9 || std::abs(wrap180(a.x - b.x)) <= 1e-9;
}

/// Removes repeated points and there-and-back spikes (left where a pole closure maps to one point).
Ring<LonLat> clean_ring(const Ring<LonLat>& in) {
    Ring<LonLat> s;
    s.reserve(in.size());
    const std::size_t n = distinct_points(in);
    for (std::size_t i = 0; i < n; ++i) {
        const LonLat& q = in[i];
        if (!s.empty() && near_equal(s.back(), q)) {
            continue;
        }
        if (s.size() >= 2 && near_equal(s[s.size() - 2], q)) {
            s.pop_back();
            continue;
        }
        s.push_back(q);
    }
    for (bool changed = true; changed && s.size() >= 3;) {
        changed = false;
        // NOLINTNEXTLINE(bugprone-branch-clone): a closing duplicate and a spike at the end share a cure
        if (near_equal(s.front(), s.back())) {
            s.pop_back();
            changed = true;
        } else if (near_equal(s[1], s.back())) {  // spike at s[0]
            s.erase(s.begin());
            s.pop_back();
            changed = true;
        } else if (near_equal(s.front(), s[s.size() - 2])) {  // spike at the last point
            s.pop_back();
            changed = true;
        }
    }
    if (s.size() < 3) {
        return {};
    }
    s.push_back(s.front());
    return s;
}

}  // namespace

double angular_distance(const LonLat& a, const LonLat& b) noexcept {
    const double s = std::sin(a.y * deg) * std::sin(b.y * deg) +
                     std::cos(a.y * deg) * std::cos(b.y * deg) * std::cos((a.x - b.x) * deg);
    return std::acos(std::clamp(s, -1.0, 1.0)) / deg;
}

namespace {

void append_polygons(std::vector<PPoly>&& pieces, MultiPolygon<LonLat>& out) {
    for (PPoly& p : pieces) {
        Polygon<LonLat> poly;
        for (PRing& r : p) {
            poly.push_back(std::move(r));
        }
        out.push_back(std::move(poly));
    }
}

}  // namespace

bool Extent::contains(const LonLat& p) const noexcept {
    if (p.y < south || p.y > north) {
        return false;
    }
    const double dx = p.x - west - 360.0 * std::floor((p.x - west) / 360.0);  // 0 <= dx < 360
    return dx <= width() || width() >= 360.0;
}

Ring<LonLat> densify_ring(const Ring<LonLat>& ring, double max_step) {
    Ring<LonLat> out;
    out.reserve(ring.size());
    for (std::size_t i = 0; i < ring.size(); ++i) {
        if (i > 0) {
            const LonLat& a = ring[i - 1];
            const LonLat& b = ring[i];
            const double dx = wrap180(b.x - a.x);
            const double len = std::max(std::abs(dx), std::abs(b.y - a.y));
            const int n = static_cast<int>(std::ceil(len / max_step));
            for (int k = 1; k < n; ++k) {
                const double t = static_cast<double>(k) / n;
                out.push_back({a.x + t * dx, a.y + t * (b.y - a.y)});
            }
        }
        out.push_back(ring[i]);
    }
    return out;
}

namespace {

/// A piece clipped in the rotated plane, rotated back to lon/lat and cleaned; empty when its
/// exterior is left without area.
Polygon<LonLat> rotate_back(const PPoly& piece, const Rotation& rot) {
    Polygon<LonLat> back;
    for (const PRing& r : piece) {
        Ring<LonLat> rr;
        rr.reserve(r.size());
        for (const LonLat& p : r) {
            rr.push_back(rot.inverse(p));
        }
        Ring<LonLat> cleaned = clean_ring(rr);
        if (cleaned.empty()) {
            if (back.empty()) {
                break;
            }
            continue;
        }
        back.push_back(std::move(cleaned));
    }
    return back;
}

/// One polygon clipped to the cap whose centre `rot` takes to the north pole and whose edge is at
/// y = `edge` in the rotated plane; the pieces are appended to `out`.
void clip_cap(const Polygon<LonLat>& poly, const Rotation& rot, double edge, MultiPolygon<LonLat>& out) {
    if (poly.empty()) {
        return;
    }
    // Fast paths: the exterior wholly inside (and not around the centre) or wholly outside.
    Polygon<LonLat> dense;
    bool all_in = true;
    bool all_out = true;
    for (const Ring<LonLat>& r : poly) {
        dense.push_back(densify_ring(r, fill_step));
    }
    Polygon<LonLat> rotated;
    for (const Ring<LonLat>& r : dense) {
        Ring<LonLat> rr;
        rr.reserve(r.size());
        for (const LonLat& p : r) {
            rr.push_back(rot.forward(p));
            (rr.back().y >= edge ? all_out : all_in) = false;
        }
        rotated.push_back(std::move(rr));
    }
    const PPoly plane = unwrap_polygon(rotated, 0.0);
    const bool winds = !plane.empty() && plane.front().size() > rotated.front().size();
    if (all_in && !winds) {
        out.push_back(poly);
        return;
    }
    if (all_out && !winds) {
        return;
    }
    for (const PPoly& piece : clip_half(plane, Cut{1, edge, false})) {
        Polygon<LonLat> back = rotate_back(piece, rot);
        if (!back.empty()) {
            out.push_back(std::move(back));
        }
    }
}

/// Pieces without area (slivers along a cut, when `cut`) and without an exterior are dropped.
MultiPolygon<LonLat> drop_slivers(MultiPolygon<LonLat> pieces, bool cut) {
    MultiPolygon<LonLat> kept;
    kept.reserve(pieces.size());
    for (Polygon<LonLat>& p : pieces) {
        if (p.empty() || distinct_points(p.front()) < 3) {
            continue;
        }
        if (cut && std::abs(signed_area(p.front())) <= min_area) {
            continue;
        }
        kept.push_back(std::move(p));
    }
    return kept;
}

}  // namespace

SphereClip::SphereClip(const ClipSpec& spec) : m_spec(spec) {}

MultiPolygon<LonLat> SphereClip::polygons(const MultiPolygon<LonLat>& geometry) const {
    using Kind = ClipSpec::Kind;
    MultiPolygon<LonLat> cur;
    if (m_spec.extent) {
        const Extent& e = *m_spec.extent;
        const double w = e.width();
        const double mid = e.west + w / 2.0;
        for (const Polygon<LonLat>& poly : geometry) {
            append_polygons(cut_box(poly, mid, -w / 2.0, w / 2.0, e.south, e.north), cur);
        }
    } else {
        cur = geometry;
    }
    MultiPolygon<LonLat> out;
    if (m_spec.kind == Kind::seam) {
        const double lim = m_spec.max_lat;
        for (const Polygon<LonLat>& poly : cur) {
            append_polygons(cut_box(poly, m_spec.lon_0, -180.0 + seam_eps, 180.0 - seam_eps, -lim, lim), out);
        }
    } else if (m_spec.kind == Kind::cap) {
        const Rotation rot(m_spec.lon_0, m_spec.lat_0);
        const double edge = 90.0 - m_spec.radius;
        for (const Polygon<LonLat>& poly : cur) {
            clip_cap(poly, rot, edge, out);
        }
    } else {
        out = std::move(cur);
    }
    return drop_slivers(std::move(out), m_spec.kind != Kind::none);
}

std::vector<Ring<LonLat>> SphereClip::lines(const std::vector<Ring<LonLat>>& lines) const {
    using Kind = ClipSpec::Kind;
    std::vector<Ring<LonLat>> cur;
    const auto cut_lines = [](const std::vector<Ring<LonLat>>& in,
                              double origin,
                              double x0,
                              double x1,
                              double y0,
                              double y1,
                              std::vector<Ring<LonLat>>& out) {
        for (const Ring<LonLat>& line : in) {
            if (line.size() < 2) {
                continue;
            }
            const PRing plane = unwrap_open(line, origin, 0.0);
            const XRange r = x_range(plane);
            const int k0 = static_cast<int>(std::floor((r.min - x1) / 360.0));
            const int k1 = static_cast<int>(std::ceil((r.max - x0) / 360.0));
            for (int k = k0; k <= k1; ++k) {
                const double off = 360.0 * k;
                std::vector<PRing> runs{plane};
                const Cut cuts[4] = {{0, x1 + off, true}, {0, x0 + off, false}, {1, y1, true}, {1, y0, false}};
                for (const Cut& c : cuts) {
                    std::vector<PRing> next;
                    for (const PRing& run : runs) {
                        clip_line_half(run, c, next);
                    }
                    runs = std::move(next);
                }
                for (PRing& run : runs) {
                    for (LonLat& p : run) {
                        p.x += origin - off;
                    }
                    out.push_back(std::move(run));
                }
            }
        }
    };
    if (m_spec.extent) {
        const Extent& e = *m_spec.extent;
        const double w = e.width();
        cut_lines(lines, e.west + w / 2.0, -w / 2.0, w / 2.0, e.south, e.north, cur);
    } else {
        cur = lines;
    }
    std::vector<Ring<LonLat>> out;
    if (m_spec.kind == Kind::seam) {
        cut_lines(cur, m_spec.lon_0, -180.0 + seam_eps, 180.0 - seam_eps, -m_spec.max_lat, m_spec.max_lat, out);
    } else if (m_spec.kind == Kind::cap) {
        const Rotation rot(m_spec.lon_0, m_spec.lat_0);
        const Cut cut{1, 90.0 - m_spec.radius, false};
        for (const Ring<LonLat>& line : cur) {
            Ring<LonLat> rotated;
            for (const LonLat& p : densify_ring(line, fill_step)) {
                rotated.push_back(rot.forward(p));
            }
            std::vector<PRing> runs;
            clip_line_half(unwrap_open(rotated, 0.0, 0.0), cut, runs);
            for (const PRing& run : runs) {
                Ring<LonLat> back;
                for (const LonLat& p : run) {
                    back.push_back(rot.inverse(p));
                }
                out.push_back(std::move(back));
            }
        }
    } else {
        out = std::move(cur);
    }
    return out;
}

MultiPolygon<LonLat> SphereClip::sphere() const {
    using Kind = ClipSpec::Kind;
    const auto box_ring = [](double x0, double x1, double y0, double y1, double dx) {
        Ring<LonLat> r{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
        r = densify_ring(r, fill_step);
        for (LonLat& p : r) {
            p.x += dx;
        }
        return r;
    };
    if (m_spec.extent) {
        const Extent& e = *m_spec.extent;
        const double w = std::min(e.width(), 360.0 - 2.0 * seam_eps);
        const double mid = e.west + e.width() / 2.0;
        const MultiPolygon<LonLat> box{{box_ring(-w / 2.0, w / 2.0, e.south, e.north, mid)}};
        return polygons(box);
    }
    if (m_spec.kind == Kind::cap) {
        const Rotation rot(m_spec.lon_0, m_spec.lat_0);
        const double edge = 90.0 - m_spec.radius + 1e-9;
        Ring<LonLat> r;
        for (int i = 0; i <= 360; ++i) {
            r.push_back(rot.inverse({-180.0 + i, edge}));
        }
        r.back() = r.front();
        return {{r}};
    }
    const double lim = m_spec.kind == Kind::seam ? m_spec.max_lat : 90.0;
    return {{box_ring(-180.0 + seam_eps, 180.0 - seam_eps, -lim, lim, m_spec.lon_0)}};
}

std::vector<Ring<LonLat>> SphereClip::graticule(double step) const {
    std::vector<Ring<LonLat>> lines;
    if (!(step > 0.0) || step > 180.0) {
        return lines;
    }
    const auto n = static_cast<int>(std::floor(360.0 / step + 1e-9));
    for (int i = 0; i < n; ++i) {
        const double lon = -180.0 + i * step;
        const bool major = std::abs(std::remainder(lon, 90.0)) < 1e-9;
        const double lat = major ? 90.0 : 90.0 - std::min(step, 10.0);
        lines.push_back(densify_ring(Ring<LonLat>{{lon, -lat}, {lon, lat}}, fill_step));
    }
    for (double lat = -90.0 + step; lat < 90.0 - 1e-9; lat += step) {
        Ring<LonLat> r;
        for (int i = 0; i <= 360; ++i) {
            r.push_back({m_spec.lon_0 - 180.0 + seam_eps + i * (360.0 - 2.0 * seam_eps) / 360.0, lat});
        }
        lines.push_back(std::move(r));
    }
    return this->lines(lines);
}

}  // namespace choro::geo
