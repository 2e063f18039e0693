// Golden images of the synthetic map (tests/golden/synthetic_scene.hpp). Names follow
// `<case>-<w>x<h>@<dpi>`. Regenerate with CHORO_UPDATE_GOLDEN=1 and review the PNGs before committing.

#include <string>

#include "synthetic_scene.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/render/map.hpp"

namespace {

struct GoldenCase {
    const char* name;
    bool text;
    choro::render::MapSize size;
    int threshold;
    std::size_t max_differing;
};

std::string golden_name(const GoldenCase& c) {
    return std::string(c.name) + "-" + std::to_string(c.size.width) + "x" + std::to_string(c.size.height) + "@" +
           std::to_string(c.size.dpi);
}

class MapGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(MapGolden, MatchesReference) {
    const GoldenCase& c = GetParam();
    // Logged so a failure on another machine can be told apart from a Cairo/pixman difference.
    RecordProperty("renderer", choro::render::renderer_versions());
    const auto image =
        choro::render::render_map_image(choro::test::synthetic_scene(c.text), choro::test::synthetic_style(), c.size);
    const std::string message = choro::test::check_golden(image, golden_name(c), c.threshold, c.max_differing);
    EXPECT_TRUE(message.empty()) << message << " (" << choro::render::renderer_versions() << ")";
}

// Shapes only (no text): strict. With text: glyph rasterisation differs between FreeType versions,
// so the budget of differing pixels is larger.
INSTANTIATE_TEST_SUITE_P(Synthetic,
                         MapGolden,
                         ::testing::Values(GoldenCase{"synthetic-shapes", false, {400, 250, 72}, 8, 50},
                                           GoldenCase{"synthetic-shapes", false, {800, 500, 144}, 8, 100},
                                           GoldenCase{"synthetic-text", true, {400, 250, 72}, 24, 800}),
                         [](const auto& param_info) {
                             std::string n = golden_name(param_info.param);
                             for (char& ch : n) {
                                 if (ch == '-' || ch == '@') {
                                     ch = '_';
                                 }
                             }
                             return n;
                         });

}  // namespace
