// Cutting at the seam and clipping to the horizon, against d3-geo (tests/js/d3project.mjs, node):
// the same lon/lat rings are projected by choro (PROJ on a sphere of radius 6371 km, after
// geo::SphereClip) and by d3-geo (clipAntimeridian / clipCircle and adaptive resampling, the same scale),
// and the results must agree in ring count, area and coordinates.
//
// Geometry is Natural Earth 110m countries from npm world-atlas 2.0.2 (a pinned test dependency),
// read with choro's GDAL reader; its edges are densified to 0.5° first so that d3's great-circle
// edges and choro's lon/lat-straight edges coincide within the tolerance.

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/clip.hpp"
#include "choro/geo/layer.hpp"
#include "choro/geo/projection.hpp"

namespace {

namespace fs = std::filesystem;
using choro::geo::LonLat;
using choro::geo::MultiPolygon;
using choro::geo::Projected;
using choro::geo::Ring;

constexpr double radius = 6371000.0;
constexpr double tolerance = 0.004 * radius;  // coordinates: 0.4% of the radius (25 km on the Earth)
constexpr double area_tolerance = 0.005;      // relative

fs::path js_dir() {
    return fs::path(CHORO_SOURCE_DIR) / "tests" / "js";
}

fs::path world_path() {
    return js_dir() / "node_modules" / "world-atlas" / "countries-110m.json";
}

bool have_d3() {
    return fs::exists(js_dir() / "node_modules" / "d3-geo") && fs::exists(world_path());
}

const choro::geo::Layer& world() {
    static const choro::geo::Layer layer = [] {
        choro::geo::LayerOptions options;
        options.layer = "countries";
        options.key_field = "name";
        options.srs = "EPSG:4326";
        return choro::geo::read_layer(world_path().string(), options);
    }();
    return layer;
}

MultiPolygon<LonLat> dense(const MultiPolygon<LonLat>& in) {
    MultiPolygon<LonLat> out;
    for (const auto& poly : in) {
        auto& p = out.emplace_back();
        for (const auto& r : poly) {
            p.push_back(choro::geo::densify_ring(r, 0.5));
        }
    }
    return out;
}

MultiPolygon<LonLat> country(const std::string& name) {
    for (const auto& f : world().features) {
        if (f.key == name) {
            return dense(f.geometry);
        }
    }
    ADD_FAILURE() << name << " is not in world-atlas countries-110m";
    return {};
}

nlohmann::json to_geojson(const MultiPolygon<LonLat>& mp) {
    nlohmann::json coords = nlohmann::json::array();
    for (const auto& poly : mp) {
        nlohmann::json p = nlohmann::json::array();
        for (const auto& r : poly) {
            nlohmann::json ring = nlohmann::json::array();
            for (const auto& q : r) {
                ring.push_back({q.x, q.y});
            }
            p.push_back(ring);
        }
        coords.push_back(p);
    }
    return {{"type", "MultiPolygon"}, {"coordinates", coords}};
}

struct D3Result {
    std::vector<Ring<Projected>> rings;
    double area = 0.0;
};

D3Result ask_d3(const nlohmann::json& query) {
    const auto dir = choro::test::temp_dir();
    const auto in = choro::test::write_file(dir / "query.json", query.dump() + "\n");
    const auto out = dir / "answer.json";
    const std::string cmd =
        "cd '" + js_dir().string() + "' && node d3project.mjs < '" + in.string() + "' > '" + out.string() + "'";
    D3Result r;
    if (std::system(cmd.c_str()) != 0) {
        ADD_FAILURE() << "command failed: " << cmd;
        return r;
    }
    const auto answer = nlohmann::json::parse(choro::test::read_file(out));
    for (const auto& ring : answer["rings"]) {
        auto& rr = r.rings.emplace_back();
        for (const auto& p : ring) {
            rr.push_back({p[0].get<double>(), p[1].get<double>()});
        }
    }
    r.area = answer["area"].get<double>();
    return r;
}

double segment_distance(const Projected& p, const Projected& a, const Projected& b) {
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0.0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/// The largest distance from a vertex of `from` to the nearest edge of `to`.
double farthest(const std::vector<Ring<Projected>>& from, const std::vector<Ring<Projected>>& to) {
    double worst = 0.0;
    for (const auto& ring : from) {
        for (const auto& p : ring) {
            double best = INFINITY;
            for (const auto& other : to) {
                for (std::size_t i = 1; i < other.size(); ++i) {
                    best = std::min(best, segment_distance(p, other[i - 1], other[i]));
                }
            }
            worst = std::max(worst, best);
        }
    }
    return worst;
}

/// Projects with choro and d3 and compares. `d3_projection` and `rotate` give d3 the same view as
/// the PROJ string; `expected_rings` (0: not checked) is what the case is about, e.g. 2 for a box cut
/// in two.
void compare(const std::string& label,
             const MultiPolygon<LonLat>& geometry,
             const std::string& proj,
             const std::string& d3_projection,
             const std::vector<double>& rotate,
             std::size_t expected_rings) {
    SCOPED_TRACE(label + " in " + proj);
    const choro::geo::Projection projection(proj + " +R=6371000");
    const MultiPolygon<Projected> ours = projection.project(geometry);
    std::vector<Ring<Projected>> rings;
    double area = 0.0;
    for (const auto& poly : ours) {
        for (std::size_t i = 0; i < poly.size(); ++i) {
            rings.push_back(poly[i]);
            area += (i == 0 ? 1.0 : -1.0) * std::abs(choro::geo::signed_area(poly[i]));
        }
    }
    const D3Result d3 = ask_d3({{"projection", d3_projection},
                                {"rotate", rotate},
                                {"scale", radius},
                                {"precision", 1e-5 * radius},
                                {"geometry", to_geojson(geometry)}});
    EXPECT_EQ(rings.size(), d3.rings.size());
    if (expected_rings != 0) {
        EXPECT_EQ(rings.size(), expected_rings);
    }
    ASSERT_GT(d3.area, 0.0);
    EXPECT_NEAR(area / d3.area, 1.0, area_tolerance) << "choro " << area << ", d3 " << d3.area;
    EXPECT_LT(farthest(rings, d3.rings), tolerance);
    EXPECT_LT(farthest(d3.rings, rings), tolerance);
}

class D3Reference : public ::testing::Test {
protected:
    void SetUp() override {
        if (!have_d3()) {
            GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`";
        }
    }
};

TEST_F(D3Reference, PolygonCrossing180IsCutIntoTwo) {
    const Ring<LonLat> box{{170, -10}, {-170, -10}, {-170, 10}, {170, 10}, {170, -10}};
    const MultiPolygon<LonLat> g{{choro::geo::densify_ring(box, 0.5)}};
    compare("a box across 180°", g, "+proj=eqearth", "equalEarth", {0, 0, 0}, 2);
    // With the seam moved away, the same box is one piece.
    compare("a box across 180°", g, "+proj=eqearth +lon_0=150", "equalEarth", {-150, 0, 0}, 1);
}

TEST_F(D3Reference, Fiji) {
    compare("Fiji", country("Fiji"), "+proj=eqearth", "equalEarth", {0, 0, 0}, 0);
}

TEST_F(D3Reference, Russia) {
    compare("Russia", country("Russia"), "+proj=eqearth", "equalEarth", {0, 0, 0}, 0);
    compare("Russia", country("Russia"), "+proj=eqearth +lon_0=150", "equalEarth", {-150, 0, 0}, 0);
}

TEST_F(D3Reference, AntarcticaClosesAlongTheBottomEdge) {
    compare("Antarctica", country("Antarctica"), "+proj=eqearth", "equalEarth", {0, 0, 0}, 0);
    compare("Antarctica", country("Antarctica"), "+proj=eqearth +lon_0=150", "equalEarth", {-150, 0, 0}, 0);
}

TEST_F(D3Reference, RingAroundTheNorthPole) {
    Ring<LonLat> cap;
    for (int lon = -180; lon <= 180; lon += 10) {
        cap.push_back({static_cast<double>(lon), 75.0});
    }
    cap.back() = cap.front();
    const MultiPolygon<LonLat> g{{choro::geo::densify_ring(cap, 0.5)}};
    compare("a cap north of 75°", g, "+proj=eqearth", "equalEarth", {0, 0, 0}, 1);
    compare("a cap north of 75°", g, "+proj=eqearth +lon_0=-100", "equalEarth", {100, 0, 0}, 1);
}

TEST_F(D3Reference, CountryHalfBehindTheHorizonInOrthographic) {
    // Seen from above (60° N, 100° W) the horizon runs through Russia, China and Brazil.
    for (const char* name : {"Brazil", "China"}) {
        const auto g = country(name);
        compare(name, g, "+proj=ortho +lat_0=60 +lon_0=-100", "orthographic", {100, -60, 0}, 0);
    }
    compare("Russia", country("Russia"), "+proj=ortho +lat_0=60 +lon_0=-100", "orthographic", {100, -60, 0}, 0);
}

TEST_F(D3Reference, AustraliaIsWhollyBehindTheHorizon) {
    const choro::geo::Projection ortho("+proj=ortho +lat_0=60 +lon_0=-100 +R=6371000");
    EXPECT_TRUE(ortho.project(country("Australia")).empty());
}

}  // namespace
