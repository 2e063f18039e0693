// The time-series chart (render/chart.hpp): drawn, decodable, and errors for bad input.

#include "choro/render/chart.hpp"

#include <cmath>
#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace {

using namespace choro::render;

TimeChart sample() {
    TimeChart chart;
    chart.title = "287(g) agreements over time";
    chart.y_label = "agreements";
    chart.dates = {"2025-01-19", "2025-06-27", "2026-01-26", "2026-05-18"};
    // National totals of those sheets (PROVENANCE §4.1) and Florida's.
    chart.series = {{"United States", {135, 737, 1372, 1843}}, {"Florida", {48, 289, 341, 348}}};
    chart.width = 900;
    chart.height = 500;
    return chart;
}

TEST(Chart, DaysFromIso) {
    EXPECT_EQ(days_from_iso("1970-01-01"), 0);
    EXPECT_EQ(days_from_iso("2000-03-01"), 11017);  // 30 years incl. 7 leap days + Jan/Feb 2000
    EXPECT_EQ(days_from_iso("2026-05-18") - days_from_iso("2026-01-26"), 112);
    EXPECT_THROW((void)days_from_iso("18/05/2026"), choro::RenderError);
    EXPECT_THROW((void)days_from_iso("2026-13-01"), choro::RenderError);
}

TEST(Chart, PngHasTheSizeAndTheLines) {
    const TimeChart chart = sample();
    const std::string png = render_chart_png(chart);
    const Image image = decode_png(png);
    ASSERT_EQ(image.width, 900);
    ASSERT_EQ(image.height, 500);
    // The last point of the national line (1843 = the maximum) is near the top of the plot, at
    // the right end of the x axis: the near-black line colour must be there.
    // Plot area: left 80, right 900-250=650, top 90, bottom 500-80=420; top of y scale = 2000.
    const int x = 650, y = static_cast<int>(std::lround(420 - (420 - 90) * 1843.0 / 2000.0));
    bool dark = false;
    for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 0; ++dx) {
            const auto* p = image.pixel(x + dx, y + dy);
            dark = dark || (p[0] < 80 && p[1] < 80 && p[2] < 80);
        }
    }
    EXPECT_TRUE(dark) << "no national line at " << x << "," << y;
    // The corner is background white.
    EXPECT_EQ(image.pixel(2, 2)[0], 255);
    choro::test::write_file(std::filesystem::path(CHORO_TEST_OUTPUT) / "agreements-chart-sample.png", png);
}

TEST(Chart, SvgIsAnSvgDocument) {
    const std::string svg = render_chart_svg(sample());
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("width=\"900"), std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(Chart, BadInputThrowsRenderError) {
    TimeChart chart = sample();
    chart.series[1].values.pop_back();
    EXPECT_THROW((void)render_chart_png(chart), choro::RenderError);
    chart = sample();
    chart.dates.clear();
    for (auto& s : chart.series) {
        s.values.clear();
    }
    EXPECT_THROW((void)render_chart_svg(chart), choro::RenderError);
    chart = sample();
    chart.dates[1] = "June 2025";
    EXPECT_THROW((void)render_chart_png(chart), choro::RenderError);
    chart = sample();
    chart.width = 20;
    EXPECT_THROW((void)render_chart_png(chart), choro::RenderError);
}

}  // namespace
