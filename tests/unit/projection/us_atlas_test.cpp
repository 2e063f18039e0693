#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/geometry.hpp"
#include "choro/geo/layer.hpp"
#include "choro/geo/projection.hpp"

/// The composite projection against real boundaries: us-atlas 3.0.1 counties-10m.json (Census
/// cartographic boundaries 2017, ../shared/data/reference/us-atlas-3.0.1, see PROVENANCE.md).

namespace {

using choro::geo::Box;
using choro::geo::Feature;
using choro::geo::Inset;
using choro::geo::Layer;
using choro::geo::MultiPolygon;
using choro::geo::Projected;
using choro::geo::Projection;

bool inside(const Box<Projected>& box, const Projected& p) {
    return p.x >= box.min.x && p.x <= box.max.x && p.y >= box.min.y && p.y <= box.max.y;
}

const Inset& inset_named(const Projection& p, const std::string& name) {
    for (const Inset& inset : p.insets()) {
        if (inset.name == name) {
            return inset;
        }
    }
    throw std::runtime_error("no inset " + name);
}

/// Even-odd point in ring test.
bool in_ring(const choro::geo::Ring<Projected>& ring, const Projected& p) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const Projected& a = ring[i];
        const Projected& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
            in = !in;
        }
    }
    return in;
}

std::string state_of(const Feature& f) {
    return f.key.substr(0, 2);
}

const std::set<std::string> outside_conus = {"02", "15", "60", "66", "69", "72", "78"};

class UsAtlas : public ::testing::Test {
protected:
    static choro::geo::LayerOptions options(const std::string& layer) {
        choro::geo::LayerOptions o;
        o.layer = layer;
        o.srs = "EPSG:4326";
        return o;
    }
    static void SetUpTestSuite() {
        const auto path = choro::test::shared_data_dir() / "reference" / "us-atlas-3.0.1" / "counties-10m.json";
        if (!std::filesystem::exists(path)) {
            return;
        }
        s_counties = std::make_unique<Layer>(choro::geo::read_layer(path.string(), options("counties")));
        s_states = std::make_unique<Layer>(choro::geo::read_layer(path.string(), options("states")));
        s_albers = std::make_unique<Projection>("us-albers");
    }
    static void TearDownTestSuite() {
        s_counties.reset();
        s_states.reset();
        s_albers.reset();
    }
    void SetUp() override {
        if (!s_counties) {
            GTEST_SKIP() << "us-atlas counties-10m.json not found under " << choro::test::shared_data_dir();
        }
    }

    static std::unique_ptr<Layer> s_counties;
    static std::unique_ptr<Layer> s_states;
    static std::unique_ptr<Projection> s_albers;
};

std::unique_ptr<Layer> UsAtlas::s_counties;
std::unique_ptr<Layer> UsAtlas::s_states;
std::unique_ptr<Projection> UsAtlas::s_albers;

TEST_F(UsAtlas, AleutiansWestLiesWhollyInTheAlaskaFrameWestOfTheRest) {
    const Inset& alaska = inset_named(*s_albers, "alaska");
    const auto it = std::find_if(
        s_counties->features.begin(), s_counties->features.end(), [](const Feature& f) { return f.key == "02016"; });
    ASSERT_NE(it, s_counties->features.end());
    // The source really crosses the antimeridian: it has longitudes on both sides of 180°.
    const Box<choro::geo::LonLat> lonlat = choro::geo::envelope(it->geometry);
    ASSERT_GT(lonlat.max.x, 170.0);
    ASSERT_LT(lonlat.min.x, -170.0);

    const MultiPolygon<Projected> projected = s_albers->project(it->geometry);
    ASSERT_FALSE(projected.empty());
    std::size_t points = 0;
    for (const auto& polygon : projected) {
        for (const auto& ring : polygon) {
            for (const auto& p : ring) {
                ++points;
                ASSERT_TRUE(inside(alaska.frame, p)) << p.x << ", " << p.y;
            }
        }
    }
    EXPECT_GT(points, 100U);
    // One piece west of the rest: its centre lies west of the centre of every other Alaska county.
    const Box<Projected> box = choro::geo::envelope(projected);
    EXPECT_LT(box.width(), 0.6 * alaska.frame.width());
    const double centre = (box.min.x + box.max.x) / 2.0;
    for (const Feature& f : s_counties->features) {
        if (state_of(f) == "02" && f.key != "02016") {
            const Box<Projected> other = choro::geo::envelope(s_albers->project(f.geometry));
            EXPECT_LT(centre, (other.min.x + other.max.x) / 2.0) << f.key;
        }
    }
}

TEST_F(UsAtlas, NoAlaskaRingStreaksAcrossTheInset) {
    const Inset& alaska = inset_named(*s_albers, "alaska");
    std::size_t features = 0;
    for (const Feature& f : s_counties->features) {
        if (state_of(f) != "02") {
            continue;
        }
        ++features;
        const auto projected = s_albers->project(f.geometry);
        ASSERT_FALSE(projected.empty()) << f.key;
        for (const auto& polygon : projected) {
            // The widest county (North Slope, Yukon-Koyukuk) spans well under half the inset; a ring
            // wrapped the wrong way round the antimeridian would span all of it.
            EXPECT_LT(choro::geo::envelope(polygon).width(), 0.5 * alaska.frame.width()) << f.key;
            for (const auto& ring : polygon) {
                for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                    EXPECT_TRUE(inside(alaska.frame, ring[i])) << f.key;
                    EXPECT_LT(std::abs(ring[i + 1].x - ring[i].x), 0.1 * alaska.frame.width()) << f.key;
                }
            }
        }
    }
    EXPECT_EQ(features, 29U);  // Alaska's 29 boroughs and census areas in the 2017 boundaries
}

TEST_F(UsAtlas, HawaiiAndPuertoRicoFillTheirFrames) {
    for (const auto& [state, inset_name] :
         {std::pair<std::string, std::string>{"15", "hawaii"}, {"72", "puerto-rico"}, {"78", "puerto-rico"}}) {
        SCOPED_TRACE(state);
        const Inset& inset = inset_named(*s_albers, inset_name);
        Box<Projected> all;
        for (const Feature& f : s_counties->features) {
            if (state_of(f) != state) {
                continue;
            }
            const auto projected = s_albers->project(f.geometry);
            ASSERT_FALSE(projected.empty()) << f.key;
            for (const auto& polygon : projected) {
                for (const auto& ring : polygon) {
                    for (const auto& p : ring) {
                        ASSERT_TRUE(inside(inset.frame, p)) << f.key;
                    }
                }
            }
            all.extend(choro::geo::envelope(projected));
        }
        ASSERT_FALSE(all.empty());
    }
}

TEST_F(UsAtlas, LowerFortyEightEqualsEpsg5070AndStaysOutOfTheFrames) {
    // Reference extent of the lower 48 + DC in EPSG:5070, computed with GDAL/PROJ outside choro:
    //   ogr2ogr -f GeoJSON -s_srs EPSG:4326 -t_srs EPSG:5070
    //     -where "id NOT IN ('02','15','72','66','60','69','78')" conus.json counties-10m.json states
    //   ogrinfo -so -al conus.json  →  Extent: (-2356168.470197, 268062.402025) - (2255957.296841, 3172596.483301)
    const Box<Projected> reference{{-2356168.470197, 268062.402025}, {2255957.296841, 3172596.483301}};
    const auto& insets = s_albers->insets();
    Box<Projected> conus;
    std::size_t states = 0;
    for (const Feature& f : s_states->features) {
        const auto projected = s_albers->project(f.geometry);
        if (f.key == "60" || f.key == "66" || f.key == "69") {
            EXPECT_TRUE(projected.empty()) << f.key << " (far-Pacific territories are dropped)";
            continue;
        }
        if (outside_conus.contains(f.key)) {
            continue;
        }
        ++states;
        for (const auto& polygon : projected) {
            for (const auto& ring : polygon) {
                for (const auto& p : ring) {
                    for (const Inset& inset : insets) {
                        ASSERT_FALSE(inset.frame.empty() ? false : inside(inset.frame, p))
                            << f.key << " inside the " << inset.name << " frame";
                    }
                }
            }
        }
        conus.extend(choro::geo::envelope(projected));
    }
    EXPECT_EQ(states, 49U);  // 48 states and DC
    EXPECT_NEAR(conus.min.x, reference.min.x, 0.01);
    EXPECT_NEAR(conus.min.y, reference.min.y, 0.01);
    EXPECT_NEAR(conus.max.x, reference.max.x, 0.01);
    EXPECT_NEAR(conus.max.y, reference.max.y, 0.01);
    // Nor does any land of the lower 48 cover a frame's corners or centre (even-odd ray casting; first
    // a check that the test sees land where there is some: Denver, EPSG:5070 from cs2cs, in Colorado).
    const auto colorado = std::find_if(
        s_states->features.begin(), s_states->features.end(), [](const Feature& f) { return f.key == "08"; });
    ASSERT_NE(colorado, s_states->features.end());
    EXPECT_TRUE(in_ring(s_albers->project(colorado->geometry).at(0).at(0), Projected{-762409.0478, 1893843.5996}));
    for (const Inset& inset : insets) {
        if (inset.frame.empty()) {
            continue;
        }
        const Box<Projected>& fr = inset.frame;
        for (const Projected& probe : {fr.min,
                                       fr.max,
                                       Projected{fr.min.x, fr.max.y},
                                       Projected{fr.max.x, fr.min.y},
                                       Projected{(fr.min.x + fr.max.x) / 2.0, (fr.min.y + fr.max.y) / 2.0}}) {
            for (const Feature& f : s_states->features) {
                if (!outside_conus.contains(f.key)) {
                    for (const auto& polygon : s_albers->project(f.geometry)) {
                        EXPECT_FALSE(in_ring(polygon.front(), probe)) << inset.name << " corner in " << f.key;
                    }
                }
            }
        }
    }
}

TEST_F(UsAtlas, ProjectLayerCoversEveryCounty) {
    std::vector<choro::geo::MultiPolygon<Projected>> projected;
    Box<Projected> bounds;
    for (const Feature& f : s_counties->features) {
        projected.push_back(s_albers->project(f.geometry));
        bounds.extend(choro::geo::envelope(projected.back()));
    }
    std::size_t empty = 0;
    for (std::size_t i = 0; i < projected.size(); ++i) {
        const Feature& f = s_counties->features[i];
        if (projected[i].empty() && !f.geometry.empty()) {
            ++empty;
            const std::string state = state_of(f);
            EXPECT_TRUE(state == "60" || state == "66" || state == "69") << f.key;
        }
    }
    EXPECT_GT(empty, 0U);  // Guam, American Samoa and the Northern Mariana Islands are in the file
    // Composite bounds: the lower 48 plus the insets below it.
    EXPECT_FALSE(bounds.empty());
    for (const Inset& inset : s_albers->insets()) {
        if (!inset.frame.empty()) {
            EXPECT_TRUE(bounds.intersects(inset.frame)) << inset.name;
        }
    }
}

}  // namespace
