#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/styles/legend.hpp"

namespace {

using namespace choro::styles;

Breaks counts_with_zeros_and_gaps() {
    // Two zeros, one each of 1, 2, 3, one no-data feature; equal intervals of width 2/3.
    const std::vector<std::optional<double>> v{0, 1, 0, 2, std::nullopt, 3};
    ClassifyOptions o;
    o.method = Method::equal;
    o.classes = 3;
    return classify(v, o);
}

TEST(Legend, ClassColorsComeFromThePaletteAndTheStyle) {
    const Breaks b = counts_with_zeros_and_gaps();
    StyleSettings style;
    style.palette = "Blues";
    style.zero = parse_color("#010203");
    style.no_data = parse_color("#040506");
    const ClassColors c = class_colors(b, style);
    EXPECT_EQ(c.classes, palette("Blues", 3));
    EXPECT_EQ(c.fill(0), parse_color("#deebf7"));  // Blues 3, colorbrewer2.org
    EXPECT_EQ(c.fill(2), parse_color("#3182bd"));
    EXPECT_EQ(c.fill(zero_class), style.zero);
    EXPECT_EQ(c.fill(no_data_class), style.no_data);
    EXPECT_EQ(c.fill(b.class_of(std::nullopt)), style.no_data);
    EXPECT_EQ(c.fill(b.class_of(0.0)), style.zero);
    EXPECT_EQ(c.fill(b.class_of(3.0)), parse_color("#3182bd"));
}

TEST(Legend, UnknownPaletteOrTooManyClassesIsAJobError) {
    StyleSettings style;
    style.palette = "Nope";
    EXPECT_THROW((void)class_colors(counts_with_zeros_and_gaps(), style), choro::JobError);
    EXPECT_THROW((void)class_colors(Breaks{}, style), choro::JobError);
    style.palette = "Reds";
    ClassifyOptions o;
    o.method = Method::equal;
    o.classes = 10;
    std::vector<std::optional<double>> v;
    for (int i = 1; i <= 20; ++i) {
        v.emplace_back(i);
    }
    EXPECT_EQ(class_colors(classify(v, o), style).classes.size(), 10u);  // Reds has 9: blended beyond
    style.palette = "Redz";
    EXPECT_THROW((void)class_colors(classify(v, o), style), choro::JobError);
}

TEST(Legend, ItemsInOrderZeroClassesNoDataHighlights) {
    const Breaks b = counts_with_zeros_and_gaps();
    StyleSettings style;
    const ClassColors c = class_colors(b, style);
    HighlightSource h;
    h.label = "Holdout";
    h.state_label = "State ban";
    const auto items = legend_items(b, c, style, h, true, true);
    ASSERT_EQ(items.size(), 7u);
    EXPECT_EQ(items[0].label, "0");
    EXPECT_EQ(items[0].count, 2u);
    EXPECT_EQ(items[0].color, style.zero);
    EXPECT_EQ(items[1].label, "1");
    EXPECT_EQ(items[2].label, "2");
    EXPECT_EQ(items[3].label, "3");
    for (int i = 1; i <= 3; ++i) {
        EXPECT_EQ(items[i].count, 1u);
        EXPECT_EQ(items[i].swatch, Swatch::fill);
        EXPECT_EQ(items[i].color, c.classes[static_cast<std::size_t>(i - 1)]);
    }
    EXPECT_EQ(items[4].label, "No data");
    EXPECT_EQ(items[4].count, 1u);
    EXPECT_EQ(items[4].color, style.no_data);
    EXPECT_EQ(items[5].swatch, Swatch::hatch);
    EXPECT_EQ(items[5].label, "Holdout");
    EXPECT_EQ(items[5].color, style.highlight);
    EXPECT_EQ(items[6].swatch, Swatch::overlay_hatch);
    EXPECT_EQ(items[6].label, "State ban");
}

TEST(Legend, NoZeroNoDataNoHighlightEntriesWhenAbsent) {
    ClassifyOptions o;
    o.method = Method::quantile;
    o.classes = 2;
    const std::vector<std::optional<double>> v{1.5, 2.5, 3.5, 4.5};
    const Breaks b = classify(v, o);
    StyleSettings style;
    const auto items = legend_items(b, class_colors(b, style), style, HighlightSource{}, false, false);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].label, "1.5\u20133");
    EXPECT_EQ(items[1].label, "3\u20134.5");
    const auto only_state = legend_items(b, class_colors(b, style), style, HighlightSource{}, false, true);
    ASSERT_EQ(only_state.size(), 3u);
    EXPECT_EQ(only_state[2].swatch, Swatch::overlay_hatch);
    EXPECT_EQ(only_state[2].label, HighlightSource{}.state_label);
}

TEST(Legend, Json) {
    const std::vector<LegendItem> items{
        {Swatch::fill, Color{255, 237, 160, 255}, "1\u20132", 12},
        {Swatch::fill, Color{222, 222, 222, 255}, "No data", 3},
        {Swatch::hatch, Color{0, 90, 160, 128}, "Holdout \"declined\"", 0},
        {Swatch::overlay_hatch, Color{0, 90, 160, 255}, "State ban", 0},
    };
    EXPECT_EQ(legend_json("Agreements", items),
              "{\"title\":\"Agreements\",\"items\":["
              "{\"label\":\"1\u20132\",\"color\":\"#ffeda0\",\"swatch\":\"fill\",\"count\":12},"
              "{\"label\":\"No data\",\"color\":\"#dedede\",\"swatch\":\"fill\",\"count\":3},"
              "{\"label\":\"Holdout \\\"declined\\\"\",\"color\":\"#005aa080\",\"swatch\":\"hatch\",\"count\":0},"
              "{\"label\":\"State ban\",\"color\":\"#005aa0\",\"swatch\":\"overlay_hatch\",\"count\":0}]}");
    EXPECT_EQ(legend_json("", {}), "{\"title\":\"\",\"items\":[]}");
}

}  // namespace
