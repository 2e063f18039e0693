// The CRSs choro builds from PROJ pipeline strings (EPSG:5070, EPSG:3338, EPSG:3857, web-mercator
// and the four parts of us-albers) against PROJ's own EPSG path: the same CRS spelt so that choro
// cannot recognise it (an OGC URN, a PROJ string with its parameters in another order) goes through
// PROJ's database (proj_create_crs_to_crs), which is the reference. Every point of a world grid and
// of dense grids over the areas where PROJ changes operation (Hawaii, the Aleutians, across 180°)
// must agree to 1e-6 m, and be refused by both or neither.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "choro/geo/geometry.hpp"
#include "choro/geo/projection.hpp"

namespace {

using choro::geo::Inset;
using choro::geo::LonLat;
using choro::geo::MultiPolygon;
using choro::geo::Projected;
using choro::geo::Projection;

constexpr double tolerance = 1e-6;  // metres

/// A grid over [west, east] × [south, north] (east may exceed 180: wrapped).
std::vector<LonLat> grid(double west, double south, double east, double north, double step) {
    std::vector<LonLat> points;
    for (double x = west; x <= east + 1e-9; x += step) {
        for (double y = south; y <= north + 1e-9; y += step) {
            points.push_back({x > 180.0 ? x - 360.0 : x, y});
        }
    }
    return points;
}

/// The world at 1°, plus 0.05° over the edges of the NAD83 operations' areas and over Puerto Rico.
std::vector<LonLat> probe_points() {
    std::vector<LonLat> points = grid(-180.0, -89.5, 179.5, 89.5, 1.0);
    for (const auto& extra : {grid(-164.5, 14.5, -150.5, 26.5, 0.05),   // Hawaii's operation
                              grid(170.0, 50.5, 195.5, 55.0, 0.05),     // the Aleutians, across 180°
                              grid(-173.5, 23.0, -160.0, 30.0, 0.1),    // North America's south-west corner
                              grid(-68.0, 17.0, -64.0, 19.0, 0.05)}) {  // Puerto Rico
        points.insert(points.end(), extra.begin(), extra.end());
    }
    return points;
}

void expect_same(const Projection& fast, const Projection& reference, double scale, Projected offset) {
    std::size_t compared = 0;
    for (const LonLat& p : probe_points()) {
        Projected a;
        Projected b;
        const bool ok_a = fast.project(p, a);
        const bool ok_b = reference.project(p, b);
        ASSERT_EQ(ok_a, ok_b) << "at " << p.x << "," << p.y;
        if (!ok_a) {
            continue;
        }
        b = {b.x * scale + offset.x, b.y * scale + offset.y};
        ASSERT_NEAR(a.x, b.x, tolerance) << "at " << p.x << "," << p.y;
        ASSERT_NEAR(a.y, b.y, tolerance) << "at " << p.x << "," << p.y;
        ++compared;
    }
    EXPECT_GT(compared, 10000U);
}

TEST(KnownCrs, SimpleSpecsEqualProjsEpsgPath) {
    struct Case {
        const char* fast;
        const char* reference;
    };
    for (const Case& c : {Case{"EPSG:5070", "urn:ogc:def:crs:EPSG::5070"},
                          Case{"epsg:5070", "urn:ogc:def:crs:EPSG::5070"},
                          Case{"EPSG:3338", "urn:ogc:def:crs:EPSG::3338"},
                          Case{"EPSG:3857", "urn:ogc:def:crs:EPSG::3857"},
                          Case{"web-mercator", "urn:ogc:def:crs:EPSG::3857"}}) {
        SCOPED_TRACE(c.fast);
        const Projection fast(c.fast);
        const Projection reference(c.reference);
        // The clip read from the known CRS's PROJ string is the one read from PROJ's database.
        EXPECT_EQ(fast.clip().kind, reference.clip().kind);
        EXPECT_EQ(fast.clip().lon_0, reference.clip().lon_0);
        EXPECT_EQ(fast.clip().lat_0, reference.clip().lat_0);
        EXPECT_EQ(fast.clip().max_lat, reference.clip().max_lat);
        EXPECT_EQ(fast.clip().radius, reference.clip().radius);
        expect_same(fast, reference, 1.0, {});
    }
}

TEST(KnownCrs, CompositePartsEqualProjsEpsgPath) {
    // Each inset through the composite (its points routed to it by where they are) against its CRS
    // through PROJ's database, scaled and offset as insets() says.
    const Projection albers("us-albers");
    const std::vector<std::pair<std::string, std::string>> references = {
        {"conus", "urn:ogc:def:crs:EPSG::5070"},
        {"alaska", "urn:ogc:def:crs:EPSG::3338"},
        {"hawaii", "+proj=aea +lat_0=13 +lon_0=-157 +lat_1=8 +lat_2=18 +datum=NAD83 +units=m"},
        {"puerto-rico", "+proj=aea +lat_0=18 +lon_0=-66.5 +lat_1=18 +lat_2=18.5 +datum=NAD83 +units=m"},
    };
    for (const auto& [name, spec] : references) {
        SCOPED_TRACE(name);
        const Projection reference(spec);
        const Inset* inset = nullptr;
        for (const Inset& i : albers.insets()) {
            if (i.name == name) {
                inset = &i;
            }
        }
        ASSERT_NE(inset, nullptr);
        std::size_t compared = 0;
        for (const LonLat& p : probe_points()) {
            Projected a;
            Projected b;
            if (!albers.project(p, a)) {
                continue;  // dropped, or another part's
            }
            // Only the points this part projected: its placement maps the reference onto them.
            ASSERT_TRUE(reference.project(p, b));
            b = {b.x * inset->scale + inset->offset.x, b.y * inset->scale + inset->offset.y};
            if (std::abs(a.x - b.x) > 1000.0 || std::abs(a.y - b.y) > 1000.0) {
                continue;  // another part's point
            }
            ASSERT_NEAR(a.x, b.x, tolerance) << "at " << p.x << "," << p.y;
            ASSERT_NEAR(a.y, b.y, tolerance) << "at " << p.x << "," << p.y;
            ++compared;
        }
        EXPECT_GT(compared, 100U);
    }
}

TEST(KnownCrs, RingsAcrossOperationAreasEqualProjsEpsgPath) {
    // One ring whose points need different operations (Hawaii's shift inside its area, the null
    // shift outside it; the Aleutians' across 180°): projected in one call, point for point as PROJ.
    const MultiPolygon<LonLat> hawaii_edge = {{{{-165.0, 20.0},
                                                {-160.0, 20.0},
                                                {-155.0, 20.0},
                                                {-150.0, 20.0},
                                                {-150.0, 27.0},
                                                {-165.0, 27.0},
                                                {-165.0, 20.0}}}};
    const MultiPolygon<LonLat> aleutians_edge = {
        {{{170.0, 52.0}, {175.0, 52.0}, {-175.0, 52.0}, {-165.0, 52.0}, {-165.0, 56.0}, {170.0, 56.0}, {170.0, 52.0}}}};
    struct Case {
        const char* fast;
        const char* reference;
        const MultiPolygon<LonLat>* polygon;
    };
    for (const Case& c :
         {Case{"+proj=aea +lat_1=8 +lat_2=18 +lat_0=13 +lon_0=-157 +x_0=0 +y_0=0 +datum=NAD83 +units=m +no_defs",
               "+proj=aea +lat_0=13 +lon_0=-157 +lat_1=8 +lat_2=18 +datum=NAD83 +units=m",
               &hawaii_edge},
          Case{"EPSG:3338", "urn:ogc:def:crs:EPSG::3338", &aleutians_edge}}) {
        SCOPED_TRACE(c.fast);
        const Projection fast(c.fast);
        const Projection reference(c.reference);
        const auto a = fast.project(*c.polygon);
        const auto b = reference.project(*c.polygon);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            ASSERT_EQ(a[i].size(), b[i].size());
            for (std::size_t r = 0; r < a[i].size(); ++r) {
                ASSERT_EQ(a[i][r].size(), b[i][r].size());
                for (std::size_t k = 0; k < a[i][r].size(); ++k) {
                    EXPECT_NEAR(a[i][r][k].x, b[i][r][k].x, tolerance);
                    EXPECT_NEAR(a[i][r][k].y, b[i][r][k].y, tolerance);
                }
            }
        }
    }
}

}  // namespace

// Batch's fitted conics (and other plain "+proj=" CRSs on WGS 84) are built from a pipeline string,
// not through PROJ's database; the same CRS with a harmless extra term (+pm=greenwich) goes through
// proj_create_crs_to_crs, the reference.
TEST(KnownCrs, PlainWgs84ProjStringsEqualProjsCrsToCrs) {
    for (const std::string spec :
         {"+proj=aea +lat_0=31.1700 +lon_0=-100.0800 +lat_1=27.6167 +lat_2=34.7233 +datum=WGS84 +units=m +no_defs",
          "+proj=aea +lat_0=58.6 +lon_0=-159.0 +lat_1=53.2 +lat_2=66.5 +datum=WGS84 +units=m +no_defs",
          "+proj=laea +lat_0=0 +lon_0=-150 +datum=WGS84 +units=m +no_defs",
          "+proj=lcc +lat_0=40 +lon_0=-75 +lat_1=39 +lat_2=42 +x_0=100 +y_0=-20 +datum=WGS84 +units=m",
          "+proj=eqdc +lat_0=0 +lon_0=-96 +lat_1=33 +lat_2=45 +x_0=500000 +datum=WGS84 +units=m +no_defs +type=crs"}) {
        SCOPED_TRACE(spec);
        const Projection fast(spec);
        const Projection reference(spec + " +pm=greenwich");
        expect_same(fast, reference, 1.0, {0.0, 0.0});
    }
}
