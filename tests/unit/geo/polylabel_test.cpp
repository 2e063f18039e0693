// The pole of inaccessibility against npm polylabel 2.1.0 (tests/js/polylabel.mjs, node) on real
// county polygons of us-atlas 3.0.1 (lon/lat), and against closed forms on simple shapes.

#include "choro/geo/polylabel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/layer.hpp"

namespace {

namespace fs = std::filesystem;
using choro::geo::LonLat;
using choro::geo::Projected;

choro::geo::Polygon<Projected> square(double x0, double y0, double side) {
    return {{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}};
}

TEST(Polylabel, SquareRectangleAndHole) {
    // A square's pole is its centre, half a side from every edge.
    const auto sq = choro::geo::polylabel(square(0, 0, 10), 0.01);
    EXPECT_NEAR(sq.point.x, 5.0, 0.05);
    EXPECT_NEAR(sq.point.y, 5.0, 0.05);
    EXPECT_NEAR(sq.distance, 5.0, 0.01);
    // A 40 × 10 rectangle: anywhere on the middle line, 5 from the long sides.
    const choro::geo::Polygon<Projected> rect{{{0, 0}, {40, 0}, {40, 10}, {0, 10}, {0, 0}}};
    const auto r = choro::geo::polylabel(rect, 0.01);
    EXPECT_NEAR(r.distance, 5.0, 0.01);
    EXPECT_NEAR(r.point.y, 5.0, 0.1);
    // A square 0–30 with a 10 × 10 hole in the middle: the best circle sits in a corner, centre
    // (c, c) as far from the two sides as from the hole's corner (10, 10): c = √2·(10 − c).
    auto holed = square(0, 0, 30);
    holed.push_back({{10, 10}, {10, 20}, {20, 20}, {20, 10}, {10, 10}});
    const auto h = choro::geo::polylabel(holed, 0.001);
    EXPECT_NEAR(h.distance, 10.0 * std::sqrt(2.0) / (1.0 + std::sqrt(2.0)), 0.001);
    EXPECT_GT(choro::geo::signed_distance(h.point, holed), 0.0);
    EXPECT_LT(choro::geo::signed_distance(Projected{15, 15}, holed), 0.0);  // in the hole: outside
}

TEST(Polylabel, DegenerateAndMultiPolygons) {
    const auto empty = choro::geo::polylabel(choro::geo::Polygon<Projected>{}, 1.0);
    EXPECT_EQ(empty.distance, 0.0);
    const choro::geo::Polygon<Projected> line{{{0, 0}, {10, 0}, {20, 0}, {0, 0}}};
    EXPECT_EQ(choro::geo::polylabel(line, 1.0).distance, 0.0);
    // Two parts: the pole of the one with the deeper pole.
    const choro::geo::MultiPolygon<Projected> parts{square(0, 0, 2), square(100, 100, 20)};
    const auto mp = choro::geo::polylabel(parts, 0.01);
    EXPECT_EQ(mp.polygon, 1u);
    EXPECT_NEAR(mp.pole.distance, 10.0, 0.01);
    EXPECT_EQ(choro::geo::polylabel(choro::geo::MultiPolygon<Projected>{}, 1.0).polygon, 0u);
}

fs::path js_dir() {
    return fs::path(CHORO_SOURCE_DIR) / "tests" / "js";
}

TEST(Polylabel, MatchesNpmPolylabelOnCounties) {
    const auto path = choro::test::shared_data_dir() / "reference" / "us-atlas-3.0.1" / "counties-10m.json";
    if (!fs::exists(path) || !fs::exists(js_dir() / "node_modules" / "polylabel")) {
        GTEST_SKIP() << "needs " << path << " and tests/js/node_modules (npm ci --prefix tests/js)";
    }
    choro::geo::LayerOptions options;
    options.layer = "counties";
    options.srs = "EPSG:4326";
    const auto layer = choro::geo::read_layer(path.string(), options);
    // The holdouts named in issue 10 (Montgomery MD, Orleans, Dallas), long thin and ragged ones
    // (Monroe FL's keys, Barnstable MA's hook, Lake of the Woods MN), islands and large ones.
    const std::vector<std::string> keys{"24031",
                                        "22071",
                                        "48113",
                                        "12087",
                                        "25001",
                                        "27077",
                                        "15001",
                                        "02185",
                                        "06037",
                                        "53055",
                                        "37055",
                                        "26083",
                                        "36103",
                                        "51001",
                                        "06075",
                                        "48301"};
    nlohmann::json query = nlohmann::json::array();
    std::vector<choro::geo::Polygon<LonLat>> polygons;
    std::vector<double> precisions;
    for (const auto& key : keys) {
        const auto found =
            std::find_if(layer.features.begin(), layer.features.end(), [&](const auto& f) { return f.key == key; });
        ASSERT_NE(found, layer.features.end()) << key;
        // Every part of the county: each is compared.
        for (const auto& poly : found->geometry) {
            const auto box = choro::geo::envelope(poly);
            const double precision = std::max(box.width(), box.height()) / 200.0;
            nlohmann::json rings = nlohmann::json::array();
            for (const auto& ring : poly) {
                nlohmann::json r = nlohmann::json::array();
                for (const auto& p : ring) {
                    r.push_back({p.x, p.y});
                }
                rings.push_back(std::move(r));
            }
            query.push_back({{"polygon", std::move(rings)}, {"precision", precision}});
            polygons.push_back(poly);
            precisions.push_back(precision);
        }
    }
    const auto dir = choro::test::temp_dir();
    const auto in = choro::test::write_file(dir / "polygons.json", query.dump() + "\n");
    const auto out = dir / "poles.json";
    const std::string cmd =
        "cd '" + js_dir().string() + "' && node polylabel.mjs < '" + in.string() + "' > '" + out.string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    const auto answer = nlohmann::json::parse(choro::test::read_file(out));
    ASSERT_EQ(answer.size(), polygons.size());
    for (std::size_t i = 0; i < polygons.size(); ++i) {
        const auto ours = choro::geo::polylabel(polygons[i], precisions[i]);
        const double theirs = answer[i][2].get<double>();
        // Both are within `precision` of the best distance, so within it of each other.
        EXPECT_NEAR(ours.distance, theirs, precisions[i]) << "polygon " << i;
        // Our distance is the true distance of our point, and the point lies inside.
        EXPECT_NEAR(choro::geo::signed_distance(ours.point, polygons[i]), ours.distance, 1e-12) << "polygon " << i;
        if (theirs > 0.0) {
            EXPECT_GT(ours.distance, 0.0) << "polygon " << i;
        }
        // Where both found a clear best, they found the same spot (within a few cells).
        const LonLat them{answer[i][0].get<double>(), answer[i][1].get<double>()};
        EXPECT_NEAR(choro::geo::signed_distance(them, polygons[i]), theirs, 1e-9) << "polygon " << i;
    }
    EXPECT_GE(polygons.size(), keys.size());
}

}  // namespace
