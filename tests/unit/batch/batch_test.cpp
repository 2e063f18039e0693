// choro batch's library part against independent references: the area of each state's map
// against the geodesic area PROJ's geodesic routines (Karney, geodesic.h) give for the same
// lon/lat rings, and the shape of Alaska's frame.

#include "choro/pipeline/batch.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "test_support.hpp"
#include <geodesic.h>
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/styles/job.hpp"

namespace {

using choro::pipeline::Batch;
using choro::pipeline::Group;

class UsStates : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const auto path = choro::test::shared_data_dir() / "reference" / "us-atlas-3.0.1" / "counties-10m.json";
        if (!std::filesystem::exists(path)) {
            return;
        }
        s_job = std::make_unique<choro::styles::Job>();
        s_job->boundaries.source = path.string();
        s_job->boundaries.layer = "counties";
        s_job->boundaries.srs = "EPSG:4326";
        s_data = std::make_unique<choro::pipeline::PreparedData>(choro::pipeline::prepare(*s_job));
        s_batch = std::make_unique<Batch>(
            *s_data, *s_job, choro::pipeline::group_features(s_data->layer, "state"), choro::pipeline::BatchOptions{});
    }
    static void TearDownTestSuite() {
        s_batch.reset();
        s_data.reset();
        s_job.reset();
    }
    void SetUp() override {
        if (!s_batch) {
            GTEST_SKIP() << "us-atlas counties-10m.json not found under " << choro::test::shared_data_dir();
        }
    }
    static std::size_t index_of(const std::string& abbr) {
        const auto& groups = s_batch->groups();
        const auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.abbr == abbr; });
        EXPECT_NE(it, groups.end()) << abbr;
        return static_cast<std::size_t>(it - groups.begin());
    }

    static std::unique_ptr<choro::styles::Job> s_job;
    static std::unique_ptr<choro::pipeline::PreparedData> s_data;
    static std::unique_ptr<Batch> s_batch;
};

std::unique_ptr<choro::styles::Job> UsStates::s_job;
std::unique_ptr<choro::pipeline::PreparedData> UsStates::s_data;
std::unique_ptr<Batch> UsStates::s_batch;

/// Shoelace area of a ring (m², unsigned).
double planar_area(const choro::geo::Ring<choro::geo::Projected>& ring) {
    double a = 0.0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        a += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
    }
    if (!ring.empty()) {
        a += ring.back().x * ring.front().y - ring.front().x * ring.back().y;
    }
    return std::abs(a) / 2.0;
}

/// Geodesic area of a lon/lat ring on WGS 84 from PROJ's geod_polygonarea (m², unsigned).
double geodesic_area(const choro::geo::Ring<choro::geo::LonLat>& ring) {
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    std::vector<double> lats;
    std::vector<double> lons;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        if (i + 1 == ring.size() && ring[i].x == ring.front().x && ring[i].y == ring.front().y) {
            break;  // closing point
        }
        lats.push_back(ring[i].y);
        lons.push_back(ring[i].x);
    }
    double area = 0.0;
    double perimeter = 0.0;
    geod_polygonarea(&g, lats.data(), lons.data(), static_cast<int>(lats.size()), &area, &perimeter);
    return std::abs(area);
}

class AreaRatio : public UsStates, public ::testing::WithParamInterface<const char*> {};

TEST_P(AreaRatio, ProjectedAreaWithinTwoPercentOfGeodesic) {
    const std::size_t i = index_of(GetParam());
    const auto map = s_batch->build(i);
    double projected = 0.0;
    for (const auto& mp : map.scene.features) {
        for (const auto& poly : mp) {
            for (std::size_t r = 0; r < poly.size(); ++r) {
                projected += (r == 0 ? 1.0 : -1.0) * planar_area(poly[r]);
            }
        }
    }
    double geodesic = 0.0;
    for (const std::size_t f : s_batch->groups()[i].features) {
        for (const auto& poly : s_data->layer.features[f].geometry) {
            for (std::size_t r = 0; r < poly.size(); ++r) {
                geodesic += (r == 0 ? 1.0 : -1.0) * geodesic_area(poly[r]);
            }
        }
    }
    ASSERT_GT(geodesic, 1e9) << GetParam();
    RecordProperty("ratio", std::to_string(projected / geodesic));
    std::printf("%s: projected / geodesic area = %.6f\n", GetParam(), projected / geodesic);
    EXPECT_NEAR(projected / geodesic, 1.0, 0.02) << GetParam() << " in " << map.projection;
    EXPECT_NE(map.projection.find("+proj=aea"), std::string::npos) << map.projection;
}

INSTANTIATE_TEST_SUITE_P(States, AreaRatio, ::testing::Values("TX", "CA", "AK", "ME"));

TEST_F(UsStates, AlaskaIsOneStateOfSaneWidthWithoutStreaks) {
    const auto map = s_batch->build(index_of("AK"));
    const auto& b = map.scene.bounds;
    const double w = b.max.x - b.min.x;
    const double h = b.max.y - b.min.y;
    ASSERT_GT(h, 0.0);
    EXPECT_GE(w / h, 0.8);
    EXPECT_LE(w / h, 2.5);
    // A polygon wrapped the wrong way round 180° shows as an edge across the frame.
    double longest = 0.0;
    for (const auto& mp : map.scene.features) {
        for (const auto& poly : mp) {
            for (const auto& ring : poly) {
                for (std::size_t k = 1; k < ring.size(); ++k) {
                    longest = std::max(longest, std::hypot(ring[k].x - ring[k - 1].x, ring[k].y - ring[k - 1].y));
                }
            }
        }
    }
    EXPECT_LT(longest, 0.1 * w) << "an edge crosses a tenth of the frame";
    // The Aleutians west of 180° (Aleutians West, 02016) lie at the map's west end, not beyond the east.
    const auto& groups = s_batch->groups();
    const auto& ak = groups[index_of("AK")];
    const auto k =
        static_cast<std::size_t>(std::find_if(ak.features.begin(),
                                              ak.features.end(),
                                              [](std::size_t f) { return s_data->layer.features[f].key == "02016"; }) -
                                 ak.features.begin());
    ASSERT_LT(k, ak.features.size());
    const auto aleutians = choro::geo::envelope(map.scene.features[k]);
    EXPECT_LT(aleutians.min.x, b.min.x + 0.2 * w);
}

TEST_F(UsStates, FittedConicHasParallelsAtASixthOfTheSpan) {
    choro::geo::Extent e;
    e.west = -106.65;
    e.east = -93.51;
    e.south = 25.84;
    e.north = 36.50;
    const std::string spec = choro::pipeline::fitted_conic(e);
    const double span = e.north - e.south;
    char expected[128];
    std::snprintf(expected, sizeof expected, "+lat_1=%.4f +lat_2=%.4f", e.south + span / 6, e.north - span / 6);
    EXPECT_NE(spec.find(expected), std::string::npos) << spec;
    EXPECT_NE(spec.find("+lon_0=-100.0800"), std::string::npos) << spec;
    // Across 180°: Alaska's box, 172° E to 130° W, is centred at 159° W.
    e.west = 172.0;
    e.east = -130.0;
    EXPECT_NE(choro::pipeline::fitted_conic(e).find("+lon_0=-159.0000"), std::string::npos);
}

TEST_F(UsStates, GroupsAreTheStatesWithTheirNames) {
    const auto& groups = s_batch->groups();
    const auto& tx = groups[index_of("TX")];
    EXPECT_EQ(tx.key, "48");
    EXPECT_EQ(tx.name, "Texas");
    EXPECT_EQ(tx.features.size(), 254u);  // Texas has 254 counties (Census)
    EXPECT_EQ(groups[index_of("ME")].features.size(), 16u);
}

TEST_F(UsStates, ByAMissingFieldListsTheFields) {
    try {
        (void)choro::pipeline::group_features(s_data->layer, "STATEFP");
        FAIL() << "no error";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("--by"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("name"), std::string::npos) << e.what();
    }
}

TEST_F(UsStates, OnlyNamingNoGroupIsAnErrorNamingIt) {
    try {
        (void)choro::pipeline::select_groups(choro::pipeline::group_features(s_data->layer, "state"), {"TX", "XX"}, {});
        FAIL() << "no error";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("'XX'"), std::string::npos) << e.what();
    }
    const auto some = choro::pipeline::select_groups(
        choro::pipeline::group_features(s_data->layer, "state"), {"tx", "6", "Maine"}, {});
    ASSERT_EQ(some.size(), 3u);
    EXPECT_EQ(some[0].abbr, "CA");
}

TEST_F(UsStates, FingerprintHoldsTheVersionOfChoro) {
    const auto map = s_batch->build(index_of("ME"));
    const choro::styles::StyleSettings style;
    const auto fp = [&](std::string_view version) {
        return choro::pipeline::scene_fingerprint(map.scene, style, 1200, 900, 96, "png", version);
    };
    EXPECT_NE(fp("0.1.0"), fp("0.2.0")) << "an upgrade must draw every map again";
    EXPECT_EQ(fp("0.1.0"), fp("0.1.0"));
    // The short form is this build's version: one of the two, never both.
    const std::string own = choro::pipeline::scene_fingerprint(map.scene, style, 1200, 900, 96, "png");
    EXPECT_EQ(own.size(), 32u);
    EXPECT_FALSE(own == fp("0.1.0") && own == fp("0.2.0"));
}

}  // namespace
