// Cutting, clipping and densifying before projection, checked against properties that do not
// depend on choro: PROJ's own projection of single points, the area of the globe in equal-area
// projections (4πR²), the radius of the orthographic disc, Mercator's square world.

#include "choro/geo/clip.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/geo/projection.hpp"

namespace {

using choro::geo::Extent;
using choro::geo::LonLat;
using choro::geo::MultiPolygon;
using choro::geo::Projected;
using choro::geo::Projection;
using choro::geo::Ring;

constexpr double earth = 6371000.0;

double area(const MultiPolygon<Projected>& mp) {
    double a = 0.0;
    for (const auto& poly : mp) {
        for (std::size_t i = 0; i < poly.size(); ++i) {
            a += (i == 0 ? 1.0 : -1.0) * std::abs(choro::geo::signed_area(poly[i]));
        }
    }
    return a;
}

TEST(Clip, ParallelDrawsAsACurveInAConicProjection) {
    // A box whose north edge runs along 49° N from 120° W to 70° W, given by its corners only.
    const Projection albers("EPSG:5070");
    const MultiPolygon<LonLat> box{{{{-120.0, 40.0}, {-70.0, 40.0}, {-70.0, 49.0}, {-120.0, 49.0}, {-120.0, 40.0}}}};
    const auto out = albers.project(box);
    ASSERT_EQ(out.size(), 1U);
    // Every point PROJ gives for the parallel lies on the drawn edge within 100 m (the chord alone
    // would miss the middle by ~190 km).
    for (double lon = -119.0; lon < -70.0; lon += 1.0) {
        Projected want;
        ASSERT_TRUE(albers.project(LonLat{lon, 49.0}, want));
        double best = INFINITY;
        const auto& ring = out[0][0];
        for (std::size_t i = 1; i < ring.size(); ++i) {
            const double dx = ring[i].x - ring[i - 1].x;
            const double dy = ring[i].y - ring[i - 1].y;
            const double t = std::clamp(
                ((want.x - ring[i - 1].x) * dx + (want.y - ring[i - 1].y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
            best = std::min(best, std::hypot(want.x - ring[i - 1].x - t * dx, want.y - ring[i - 1].y - t * dy));
        }
        EXPECT_LT(best, 100.0) << "at " << lon;
    }
}

TEST(Clip, TheGlobeHasItsAreaInEqualAreaProjections) {
    // Cut at the seam, the sphere's outline encloses 4πR², whatever lon_0 is.
    for (const std::string proj : {"+proj=eqearth", "+proj=moll +lon_0=150", "+proj=eqearth +lon_0=-100"}) {
        const Projection p(proj + " +R=6371000");
        const double want = 4.0 * std::numbers::pi * earth * earth;
        EXPECT_NEAR(area(p.sphere()) / want, 1.0, 1e-4) << proj;
    }
    // The orthographic globe is a disc of radius R.
    const Projection ortho("+proj=ortho +lat_0=60 +lon_0=-100 +R=6371000");
    EXPECT_NEAR(area(ortho.sphere()) / (std::numbers::pi * earth * earth), 1.0, 1e-3);
}

TEST(Clip, PolygonsAcrossTheSeamKeepTheirArea) {
    // A 20°×20° box across 180°, in Mollweide (equal-area): the same area wherever the seam is.
    const MultiPolygon<LonLat> box{
        {choro::geo::densify_ring(Ring<LonLat>{{170, -10}, {-170, -10}, {-170, 10}, {170, 10}, {170, -10}}, 0.5)}};
    const Projection centred("+proj=moll +lon_0=180 +R=6371000");
    const Projection cut("+proj=moll +R=6371000");
    const auto whole = centred.project(box);
    const auto pieces = cut.project(box);
    EXPECT_EQ(whole.size(), 1U);
    EXPECT_EQ(pieces.size(), 2U);
    EXPECT_NEAR(area(pieces) / area(whole), 1.0, 1e-4);
}

TEST(Clip, MercatorStopsAtTheSquareWorld) {
    const Projection mercator("web-mercator");
    const MultiPolygon<LonLat> south{
        {{{-60.0, -90.0}, {-50.0, -90.0}, {-50.0, -70.0}, {-60.0, -70.0}, {-60.0, -90.0}}}};
    const auto out = mercator.project(south);
    ASSERT_EQ(out.size(), 1U);
    const auto box = choro::geo::envelope(out);
    EXPECT_NEAR(box.min.y, -20037508.34, 1.0);  // 85.0511° S: the bottom of the web map square
}

TEST(Clip, ExtentAcross180ClipsAndFrames) {
    const Extent bering{170.0, 50.0, -130.0, 72.0};
    EXPECT_DOUBLE_EQ(bering.width(), 60.0);
    EXPECT_TRUE(bering.contains({-175.0, 60.0}));
    EXPECT_TRUE(bering.contains({175.0, 60.0}));
    EXPECT_FALSE(bering.contains({0.0, 60.0}));
    const Projection p("+proj=aea +lat_1=55 +lat_2=65 +lon_0=-170", bering);
    // A box from 160° E to 160° W is cut to 170° E..160° W; one wholly outside disappears.
    const MultiPolygon<LonLat> across{{{{160.0, 55.0}, {-160.0, 55.0}, {-160.0, 60.0}, {160.0, 60.0}, {160.0, 55.0}}}};
    const auto out = p.project(across);
    ASSERT_EQ(out.size(), 1U);
    const auto frame = choro::geo::envelope(p.sphere());
    const auto got = choro::geo::envelope(out);
    EXPECT_GE(got.min.x, frame.min.x - 1.0);
    EXPECT_LE(got.max.x, frame.max.x + 1.0);
    Projected west;
    ASSERT_TRUE(p.project(LonLat{170.0, 55.0}, west));  // the south-west corner after the cut
    EXPECT_NEAR(got.min.x, west.x, 1.0);
    const MultiPolygon<LonLat> europe{{{{0.0, 50.0}, {10.0, 50.0}, {10.0, 55.0}, {0.0, 55.0}, {0.0, 50.0}}}};
    EXPECT_TRUE(p.project(europe).empty());
    Projected nowhere;
    EXPECT_FALSE(p.project(LonLat{5.0, 52.0}, nowhere));
}

TEST(Clip, InterruptedAndObliqueProjectionsAreRefused) {
    for (const char* spec : {"+proj=igh", "+proj=ob_tran +o_proj=moll +o_lat_p=45"}) {
        try {
            const Projection p(spec);
            ADD_FAILURE() << spec << " was accepted";
        } catch (const choro::ProjectionError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(spec), std::string::npos) << what;
        }
    }
}

TEST(Clip, GraticuleIsCutLikeTheData) {
    // Every 30°: 12 meridians and 5 parallels; with the seam at 180° each parallel stays one line,
    // and the meridian on the seam (180°) is left out.
    const Projection p("+proj=eqearth +R=6371000");
    EXPECT_EQ(p.graticule(30.0).size(), 11U + 5U);
    // Seen from above 60° N, only what is in front of the horizon is drawn.
    const Projection ortho("+proj=ortho +lat_0=60 +lon_0=-100 +R=6371000");
    for (const auto& line : ortho.graticule(10.0)) {
        for (const auto& q : line) {
            EXPECT_LE(std::hypot(q.x, q.y), earth * 1.000001);
        }
    }
}

}  // namespace
