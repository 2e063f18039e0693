#include "choro/geo/projection.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/geo/geometry.hpp"
#include "choro/geo/layer.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/styles/job.hpp"

namespace {

using choro::ProjectionError;
using choro::geo::Box;
using choro::geo::Inset;
using choro::geo::LonLat;
using choro::geo::MultiPolygon;
using choro::geo::Projected;
using choro::geo::Projection;

/// A place, its lon/lat and a reference projection computed outside choro.
struct Reference {
    const char* name;
    LonLat where;
    Projected expected;
};

// EPSG:5070 (NAD83 / Conus Albers) references, computed with PROJ 9.1.1's command line tool:
//   echo "38.9072 -77.0369" | cs2cs -d 4 EPSG:4326 EPSG:5070   (one line per place)
const std::vector<Reference> conus_references = {
    {"Washington DC", {-77.0369, 38.9072}, {1618355.2979, 1926511.4991}},
    {"Denver", {-104.9903, 39.7392}, {-762409.0478, 1893843.5996}},
    {"Seattle", {-122.3321, 47.6062}, {-1967991.1690, 3009111.1392}},
    {"Miami", {-80.1918, 25.7617}, {1594077.4304, 434469.9688}},
    {"Bangor", {-68.7778, 44.8016}, {2120607.6388, 2729455.3796}},
};

// Inset references in each inset's own CRS, again from cs2cs (before choro's scale and offset):
//   echo "61.2181 -149.9003" | cs2cs -d 4 EPSG:4326 EPSG:3338
//   echo "21.3069 -157.8583" | cs2cs -d 4 EPSG:4326 +to +proj=aea +lat_1=8 +lat_2=18 +lat_0=13 +lon_0=-157
//        +x_0=0 +y_0=0 +datum=NAD83 +units=m
//   echo "18.4655 -66.1057" | cs2cs -d 4 EPSG:4326 +to +proj=aea +lat_1=18 +lat_2=18.5 +lat_0=18
//        +lon_0=-66.5 +x_0=0 +y_0=0 +datum=NAD83 +units=m
struct InsetReference {
    Reference place;
    const char* inset;
};
const std::vector<InsetReference> inset_references = {
    {{"Anchorage", {-149.9003, 61.2181}, {219349.5792, 1255301.5397}}, "alaska"},
    {{"Honolulu", {-157.8583, 21.3069}, {-89672.4144, 919752.8496}}, "hawaii"},
    {{"San Juan", {-66.1057, 18.4655}, {41647.2635, 51568.1880}}, "puerto-rico"},
};

constexpr double millimetre = 0.001;

/// One shared composite: building its four PROJ transformers costs a few hundred milliseconds.
const Projection& shared_albers() {
    static const Projection albers("us-albers");
    return albers;
}

const Inset& inset_named(const Projection& p, const std::string& name) {
    for (const Inset& inset : p.insets()) {
        if (inset.name == name) {
            return inset;
        }
    }
    throw std::runtime_error("no inset " + name);
}

bool inside(const Box<Projected>& box, const Projected& p) {
    return p.x >= box.min.x && p.x <= box.max.x && p.y >= box.min.y && p.y <= box.max.y;
}

/// A small closed square ring (lon/lat) around a point, as one polygon.
MultiPolygon<LonLat> square_around(LonLat c, double half = 0.1) {
    return {{{{c.x - half, c.y - half},
              {c.x + half, c.y - half},
              {c.x + half, c.y + half},
              {c.x - half, c.y + half},
              {c.x - half, c.y - half}}}};
}

TEST(Projection, ConusEqualsProjEpsg5070ToTheMillimetre) {
    const Projection& albers = shared_albers();
    const Projection epsg5070("EPSG:5070");
    for (const auto& ref : conus_references) {
        SCOPED_TRACE(ref.name);
        Projected out;
        ASSERT_TRUE(albers.project(ref.where, out));
        EXPECT_NEAR(out.x, ref.expected.x, millimetre);
        EXPECT_NEAR(out.y, ref.expected.y, millimetre);
        ASSERT_TRUE(epsg5070.project(ref.where, out));
        EXPECT_NEAR(out.x, ref.expected.x, millimetre);
        EXPECT_NEAR(out.y, ref.expected.y, millimetre);
    }
}

TEST(Projection, ConusPolygonsUseIdentityPlacement) {
    const Projection& albers = shared_albers();
    const Inset& conus = inset_named(albers, "conus");
    EXPECT_EQ(conus.crs, "EPSG:5070");
    EXPECT_EQ(conus.scale, 1.0);
    EXPECT_EQ(conus.offset, (Projected{0.0, 0.0}));
    EXPECT_TRUE(conus.frame.empty());
    // A polygon whose corner is Denver: the batched ring transform agrees with the reference too.
    const auto& denver = conus_references[1];
    const auto projected = albers.project(square_around({denver.where.x + 0.1, denver.where.y + 0.1}));
    ASSERT_EQ(projected.size(), 1U);
    ASSERT_EQ(projected[0].size(), 1U);
    ASSERT_EQ(projected[0][0].size(), 5U);
    EXPECT_NEAR(projected[0][0][0].x, denver.expected.x, millimetre);
    EXPECT_NEAR(projected[0][0][0].y, denver.expected.y, millimetre);
    EXPECT_EQ(projected[0][0].front(), projected[0][0].back());
}

TEST(Projection, InsetsListedInOrderWithPlausibleScales) {
    const Projection& albers = shared_albers();
    ASSERT_EQ(albers.insets().size(), 4U);
    EXPECT_EQ(albers.insets()[0].name, "conus");
    EXPECT_EQ(albers.insets()[1].name, "alaska");
    EXPECT_EQ(albers.insets()[2].name, "hawaii");
    EXPECT_EQ(albers.insets()[3].name, "puerto-rico");
    EXPECT_NEAR(inset_named(albers, "alaska").scale, 0.35, 0.05);
    EXPECT_NEAR(inset_named(albers, "hawaii").scale, 1.0, 0.1);
    EXPECT_GE(inset_named(albers, "puerto-rico").scale, 1.5);
    EXPECT_LE(inset_named(albers, "puerto-rico").scale, 2.0);
    EXPECT_EQ(albers.spec(), "us-albers");
    EXPECT_TRUE(Projection("EPSG:5070").insets().empty());
}

TEST(Projection, InsetCitiesLandInTheirFramesAtScaleTimesProjPlusOffset) {
    const Projection& albers = shared_albers();
    for (const auto& ref : inset_references) {
        SCOPED_TRACE(ref.place.name);
        const Inset& inset = inset_named(albers, ref.inset);
        ASSERT_FALSE(inset.frame.empty());
        const Projected expected{ref.place.expected.x * inset.scale + inset.offset.x,
                                 ref.place.expected.y * inset.scale + inset.offset.y};
        Projected out;
        ASSERT_TRUE(albers.project(ref.place.where, out));
        EXPECT_NEAR(out.x, expected.x, millimetre * inset.scale);
        EXPECT_NEAR(out.y, expected.y, millimetre * inset.scale);
        EXPECT_TRUE(inside(inset.frame, out));
        // The same through the polygon path (a square around the city).
        const auto poly = albers.project(square_around(ref.place.where, 0.01));
        ASSERT_EQ(poly.size(), 1U);
        for (const auto& p : poly[0][0]) {
            EXPECT_TRUE(inside(inset.frame, p));
        }
    }
}

TEST(Projection, FramesDoNotOverlapAndSitWhereTheMapExpectsThem) {
    const Projection& albers = shared_albers();
    const auto& insets = albers.insets();
    for (std::size_t i = 1; i < insets.size(); ++i) {
        for (std::size_t j = i + 1; j < insets.size(); ++j) {
            EXPECT_FALSE(insets[i].frame.intersects(insets[j].frame)) << insets[i].name << " vs " << insets[j].name;
        }
    }
    const Box<Projected>& alaska = inset_named(albers, "alaska").frame;
    const Box<Projected>& hawaii = inset_named(albers, "hawaii").frame;
    const Box<Projected>& puerto_rico = inset_named(albers, "puerto-rico").frame;
    // Reference points of CONUS in EPSG:5070 (cs2cs as above): San Diego 32.53N 117.12W, Brownsville
    // 25.84N 97.4W, Key West 24.55N 81.8W.
    const Projected san_diego{-1956846.0, 1269203.0};
    const Projected brownsville{-141696.0, 311216.0};
    const Projected key_west{1452937.0, 277663.0};
    EXPECT_LT(alaska.max.y, san_diego.y);         // below California
    EXPECT_LT(alaska.max.x, hawaii.min.x);        // Hawaii right of Alaska
    EXPECT_LT(hawaii.max.x, brownsville.x);       // ... west of the tip of Texas
    EXPECT_GT(puerto_rico.min.x, brownsville.x);  // Puerto Rico east of Texas
    EXPECT_LT(puerto_rico.max.y, key_west.y);     // ... and south of Florida's tip
}

TEST(Projection, GeographicTargetIsRefused) {
    for (const char* spec : {"EPSG:4326", "OGC:CRS84", "+proj=longlat +datum=WGS84", "EPSG:4269"}) {
        SCOPED_TRACE(spec);
        try {
            const Projection p(spec);
            ADD_FAILURE() << "no exception";
        } catch (const ProjectionError& e) {
            EXPECT_EQ(e.crs(), spec);
            EXPECT_NE(
                std::string(e.what()).find("is geographic; a map needs a projected CRS, e.g. EPSG:5070 or us-albers"),
                std::string::npos)
                << e.what();
        }
    }
}

TEST(Projection, GarbageSpecGivesProjErrorCode) {
    for (const char* spec : {"this is not a crs", "EPSG:999999", "+proj=nosuchprojection", "", "PROJCRS[\"broken\""}) {
        SCOPED_TRACE(spec);
        try {
            const Projection p(spec);
            ADD_FAILURE() << "no exception";
        } catch (const ProjectionError& e) {
            EXPECT_EQ(e.crs(), spec);
            EXPECT_NE(e.proj_code(), 0);
            EXPECT_NE(std::string(e.what()).find(spec), std::string::npos) << e.what();
        }
    }
}

TEST(Projection, GeocentricTargetIsRefused) {
    try {
        const Projection p("EPSG:4978");
        ADD_FAILURE() << "no exception";
    } catch (const ProjectionError& e) {
        EXPECT_EQ(e.crs(), "EPSG:4978");
        EXPECT_NE(std::string(e.what()).find("is geocentric"), std::string::npos) << e.what();
    }
}

TEST(Projection, CoordinateOperationIsNotACrs) {
    // A PROJ pipeline is an operation, not a CRS: refused with a message saying so.
    EXPECT_THROW(Projection("+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad"), ProjectionError);
}

TEST(Projection, WebMercatorMatchesPublishedConstants) {
    // EPSG:3857: x = R * lon (rad), y = R * ln(tan(pi/4 + lat/2)), R = 6378137 m; the square world
    // is 2 * 20037508.342789244 m wide, reached at lat 85.0511287798°.
    for (const char* spec : {"web-mercator", "EPSG:3857"}) {
        SCOPED_TRACE(spec);
        const Projection merc(spec);
        Projected out;
        ASSERT_TRUE(merc.project(LonLat{0.0, 0.0}, out));
        EXPECT_NEAR(out.x, 0.0, 1e-6);
        EXPECT_NEAR(out.y, 0.0, 1e-6);
        ASSERT_TRUE(merc.project(LonLat{180.0, 85.0511287798}, out));
        EXPECT_NEAR(out.x, 20037508.34, 0.01);
        EXPECT_NEAR(out.y, 20037508.34, 0.01);
        ASSERT_TRUE(merc.project(LonLat{-90.0, 45.0}, out));
        EXPECT_NEAR(out.x, -6378137.0 * M_PI / 2.0, 1e-6);
        EXPECT_NEAR(out.y, 6378137.0 * std::log(std::tan(M_PI / 4.0 + M_PI / 8.0)), 1e-6);
    }
}

TEST(Projection, OtherSpecFormsAgreeWithEpsg5070) {
    // The same CRS written as a PROJ string (with and without +type=crs) and as WKT (EPSG:5070's own
    // parameters, `projinfo EPSG:5070 -o WKT1_GDAL`) gives the same result.
    const std::string wkt =
        "PROJCS[\"NAD83 / Conus Albers\",GEOGCS[\"NAD83\",DATUM[\"North_American_Datum_1983\","
        "SPHEROID[\"GRS 1980\",6378137,298.257222101]],PRIMEM[\"Greenwich\",0],"
        "UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Albers_Conic_Equal_Area\"],"
        "PARAMETER[\"latitude_of_center\",23],PARAMETER[\"longitude_of_center\",-96],"
        "PARAMETER[\"standard_parallel_1\",29.5],PARAMETER[\"standard_parallel_2\",45.5],"
        "PARAMETER[\"false_easting\",0],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]";
    for (const std::string& spec :
         {std::string("+proj=aea +lat_0=23 +lon_0=-96 +lat_1=29.5 +lat_2=45.5 +x_0=0 +y_0=0 +datum=NAD83 +units=m"),
          std::string("+proj=aea +lat_0=23 +lon_0=-96 +lat_1=29.5 +lat_2=45.5 +datum=NAD83 +type=crs"),
          wkt}) {
        SCOPED_TRACE(spec);
        const Projection p(spec);
        EXPECT_EQ(p.spec(), spec);
        for (const auto& ref : conus_references) {
            Projected out;
            ASSERT_TRUE(p.project(ref.where, out));
            EXPECT_NEAR(out.x, ref.expected.x, millimetre) << ref.name;
            EXPECT_NEAR(out.y, ref.expected.y, millimetre) << ref.name;
        }
    }
}

TEST(Projection, EsriCodesAreAccepted) {
    // ESRI:102003 (USA Contiguous Albers, lat_0 37.5): `echo "38.9072 -77.0369" | cs2cs -d 4 EPSG:4326 ESRI:102003`
    const Projection esri("ESRI:102003");
    Projected out;
    ASSERT_TRUE(esri.project(conus_references[0].where, out));
    EXPECT_NEAR(out.x, 1618355.2979, millimetre);
    EXPECT_NEAR(out.y, 319725.2386, millimetre);
}

TEST(Projection, FarSideIsClippedAtTheHorizonNotThinned) {
    // An orthographic view of the hemisphere around (0, 0): a ring reaching round to the far side
    // is cut where it crosses the horizon (90° from the centre) and closed along the horizon circle,
    // as d3-geo's clipCircle does; points behind the globe do not simply vanish.
    const Projection ortho("+proj=ortho +lat_0=0 +lon_0=0 +datum=WGS84");
    const MultiPolygon<LonLat> with_far_point = {
        {{{0.0, 10.0}, {10.0, 10.0}, {170.0, 0.0}, {10.0, 20.0}, {0.0, 20.0}, {0.0, 10.0}}}};
    const auto out = ortho.project(with_far_point);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_GT(out[0][0].size(), 5U);  // the horizon arc adds points
    EXPECT_EQ(out[0][0].front(), out[0][0].back());
    // Every point lies on the visible disc (radius: WGS84's semi-major axis), and some on its rim.
    constexpr double a = 6378137.0;
    double farthest = 0.0;
    for (const auto& p : out[0][0]) {
        ASSERT_TRUE(std::isfinite(p.x) && std::isfinite(p.y));
        farthest = std::max(farthest, std::hypot(p.x, p.y));
    }
    EXPECT_LE(farthest, a * 1.0001);
    EXPECT_GT(farthest, a * 0.99);
    Projected far;
    EXPECT_FALSE(ortho.project(LonLat{170.0, 0.0}, far));
    EXPECT_TRUE(ortho.project(LonLat{10.0, 10.0}, far));

    // A ring wholly behind the globe draws nothing.
    const MultiPolygon<LonLat> behind = {{{{170.0, 0.0}, {175.0, 0.0}, {175.0, 10.0}, {170.0, 10.0}, {170.0, 0.0}}}};
    EXPECT_TRUE(ortho.project(behind).empty());
}

TEST(Projection, HolesFollowTheirExterior) {
    const Projection& albers = shared_albers();
    const MultiPolygon<LonLat> donut = {{
        {{-100.0, 40.0}, {-99.0, 40.0}, {-99.0, 41.0}, {-100.0, 41.0}, {-100.0, 40.0}},
        {{-99.8, 40.2}, {-99.8, 40.8}, {-99.2, 40.8}, {-99.2, 40.2}, {-99.8, 40.2}},
    }};
    const auto out = albers.project(donut);
    ASSERT_EQ(out.size(), 1U);
    ASSERT_EQ(out[0].size(), 2U);
    const Box<Projected> outer = choro::geo::envelope(out[0][0]);
    for (const auto& p : out[0][1]) {
        EXPECT_TRUE(inside(outer, p));
    }
}

TEST(Projection, FarPacificTerritoriesAreDroppedByTheComposite) {
    const Projection& albers = shared_albers();
    // Guam, Saipan (CNMI), Pago Pago (American Samoa), Midway (NW Hawaiian Islands).
    for (const LonLat where :
         {LonLat{144.79, 13.44}, LonLat{145.75, 15.19}, LonLat{-170.70, -14.28}, LonLat{-177.37, 28.21}}) {
        SCOPED_TRACE(where.x);
        Projected out;
        EXPECT_FALSE(albers.project(where, out));
        EXPECT_TRUE(albers.project(square_around(where)).empty());
    }
    // A simple projection keeps them.
    const Projection merc("web-mercator");
    EXPECT_EQ(merc.project(square_around({144.79, 13.44})).size(), 1U);
}

TEST(Projection, AleutianPolygonAcrossTheAntimeridianStaysOnePiece) {
    const Projection& albers = shared_albers();
    const Inset& alaska = inset_named(albers, "alaska");
    // A polygon straddling 180° (as some sources write it, lon jumping from +179.5 to -179.5).
    const MultiPolygon<LonLat> straddle = {
        {{{179.5, 51.5}, {-179.5, 51.5}, {-179.5, 52.0}, {179.5, 52.0}, {179.5, 51.5}}}};
    const auto out = albers.project(straddle);
    ASSERT_EQ(out.size(), 1U);
    const Box<Projected> box = choro::geo::envelope(out);
    EXPECT_TRUE(inside(alaska.frame, box.min));
    EXPECT_TRUE(inside(alaska.frame, box.max));
    EXPECT_LT(box.width(), 0.05 * alaska.frame.width());
    // Attu (172.9E) lies west of Anchorage on the map.
    Projected attu;
    Projected anchorage;
    ASSERT_TRUE(albers.project(LonLat{172.9, 52.9}, attu));
    ASSERT_TRUE(albers.project(inset_references[0].place.where, anchorage));
    EXPECT_LT(attu.x, anchorage.x);
    EXPECT_TRUE(inside(alaska.frame, attu));
}

TEST(Projection, MovedProjectionKeepsWorking) {
    Projection a("us-albers");
    Projection b(std::move(a));
    Projected out;
    ASSERT_TRUE(b.project(conus_references[0].where, out));
    EXPECT_NEAR(out.x, conus_references[0].expected.x, millimetre);
    Projection c("web-mercator");
    c = std::move(b);
    EXPECT_EQ(c.spec(), "us-albers");
    EXPECT_EQ(c.insets().size(), 4U);
}

TEST(Projection, SceneKeepsOrderAndBounds) {
    choro::pipeline::PreparedData data;
    data.layer.features.resize(3);
    data.layer.features[0].geometry = square_around(conus_references[0].where);
    data.layer.features[1].geometry = square_around({144.79, 13.44});  // Guam: dropped, stays as an empty entry
    data.layer.features[2].geometry = square_around(conus_references[1].where);
    const Projection& albers = shared_albers();
    const auto scene = choro::pipeline::build_scene(data, choro::styles::Job{}, albers);
    ASSERT_EQ(scene.features.size(), 3U);
    EXPECT_EQ(scene.features[0], albers.project(data.layer.features[0].geometry));
    EXPECT_TRUE(scene.features[1].empty());
    EXPECT_EQ(scene.features[2], albers.project(data.layer.features[2].geometry));
    Box<Projected> expected = choro::geo::envelope(scene.features[0]);
    expected.extend(choro::geo::envelope(scene.features[2]));
    const Box<Projected> bounds = choro::pipeline::scene_bounds(scene);
    EXPECT_EQ(bounds.min, expected.min);
    EXPECT_EQ(bounds.max, expected.max);
    EXPECT_TRUE(inside(bounds, conus_references[0].expected));
    EXPECT_TRUE(inside(bounds, conus_references[1].expected));
}

TEST(Projection, SceneFromTwoProjectionsIsTheSame) {
    // build_scene's helper projects the second half of the features on its own thread.
    choro::pipeline::PreparedData data;
    for (int i = 0; i < 200; ++i) {
        const auto& where = conus_references[static_cast<std::size_t>(i) % 2].where;
        data.layer.features.emplace_back();
        data.layer.features.back().geometry = square_around({where.x + 0.01 * i, where.y - 0.005 * i});
    }
    const Projection& albers = shared_albers();
    const Projection helper("us-albers");
    const auto alone = choro::pipeline::build_scene(data, choro::styles::Job{}, albers);
    const auto helped = choro::pipeline::build_scene(data, choro::styles::Job{}, albers, &helper);
    ASSERT_EQ(helped.features.size(), 200U);
    EXPECT_EQ(helped.features, alone.features);
    EXPECT_EQ(helped.features[150], albers.project(data.layer.features[150].geometry));
}

}  // namespace
