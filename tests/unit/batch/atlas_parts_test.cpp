// The pieces of a batch outside the projection: [batch] in job files, and the muted neighbours
// filling a map frame wider than the group it is fitted to.

#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/job.hpp"

namespace {

using choro::geo::Projected;

choro::geo::MultiPolygon<Projected> square(double x0, double y0, double x1, double y1) {
    return {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
}

}  // namespace

TEST(BatchJob, BatchSectionIsRead) {
    const auto job = choro::styles::parse_job_text(
        "[boundaries]\nsource = \"b.json\"\n[batch]\nby = \"STATEFP\"\nname = \"{key}.png\"\n"
        "breaks_scope = \"per-map\"\ncontext = false\ntotals = [\"agencies\"]\n"
        "[batch.projection]\nAK = \"EPSG:3338\"\n\"15\" = \"ESRI:102007\"\n",
        "job.toml",
        "");
    EXPECT_EQ(job.batch.by, "STATEFP");
    EXPECT_EQ(job.batch.name, "{key}.png");
    EXPECT_EQ(job.batch.breaks_scope, "per-map");
    EXPECT_FALSE(job.batch.context);
    ASSERT_EQ(job.batch.totals.size(), 1u);
    ASSERT_EQ(job.batch.projections.size(), 2u);
    const auto has = [&](const std::string& group, const std::string& crs) {
        for (const auto& [g, c] : job.batch.projections) {
            if (g == group && c == crs) {
                return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(has("AK", "EPSG:3338"));
    EXPECT_TRUE(has("15", "ESRI:102007"));
}

TEST(BatchJob, BadBatchSettingsNameTheKeyAndLine) {
    const auto fails = [](const std::string& text, const std::string& expected) {
        try {
            (void)choro::styles::parse_job_text(text, "job.toml", "");
            ADD_FAILURE() << "no error for " << text;
        } catch (const choro::JobError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    fails("[batch]\nbreaks_scope = \"local\"\n", "job.toml:2");
    fails("[batch]\nbreaks_scope = \"local\"\n", "per-map");
    fails("[batch]\nprojection = \"EPSG:5070\"\n", "'projection' in [batch]");
    fails("[batch]\ncontext = \"no\"\n", "'context' in [batch]");
    fails("[batch]\nbye = \"state\"\n", "did you mean 'by'");
    fails("[batch.projection]\nAK = 3338\n", "'AK' in [batch.projection]");
}

TEST(BatchContext, NeighboursFillTheFrameOnBothSides) {
    // The group is a unit square; the frame is three times wider than tall, so the square is
    // centred with room left and right: the neighbour around it must show on both sides.
    choro::pipeline::Scene scene;
    scene.features.push_back(square(0.0, 0.0, 1.0, 1.0));
    scene.fills.push_back({200, 0, 0, 255});
    scene.context.push_back(square(-10.0, -10.0, 10.0, 10.0));
    scene.bounds.extend(Projected{0.0, 0.0});
    scene.bounds.extend(Projected{1.0, 1.0});
    const choro::styles::StyleSettings style;
    const auto image = choro::render::render_frame_image(scene, style, {300, 100, 72});
    const auto grey = [&](int x, int y) {
        const auto* p = image.pixel(x, y);
        return p[0] == p[1] && p[1] == p[2] && p[0] > 200 && p[0] < 250;
    };
    EXPECT_TRUE(grey(20, 50)) << "left of the group";
    EXPECT_TRUE(grey(280, 50)) << "right of the group";
    const auto* centre = image.pixel(150, 50);
    EXPECT_EQ(centre[0], 200);
    EXPECT_EQ(centre[1], 0);
}
