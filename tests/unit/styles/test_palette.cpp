#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/styles/palette.hpp"

namespace {

using choro::styles::Color;
using choro::styles::palette;
using choro::styles::parse_color;
using choro::styles::to_hex;

std::vector<std::string> hexes(const std::vector<Color>& colors) {
    std::vector<std::string> out;
    for (const auto& c : colors) {
        out.push_back(to_hex(c));
    }
    return out;
}

double luminance(Color c) {
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

// Reference values as published on colorbrewer2.org (Cynthia Brewer).
TEST(Palette, PublishedColorBrewerValues) {
    EXPECT_EQ(hexes(palette("YlOrRd", 3)), (std::vector<std::string>{"#ffeda0", "#feb24c", "#f03b20"}));
    EXPECT_EQ(hexes(palette("YlOrRd", 5)),
              (std::vector<std::string>{"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"}));
    EXPECT_EQ(hexes(palette("Blues", 9)).back(), "#08306b");
    EXPECT_EQ(hexes(palette("Greys", 9)).front(), "#ffffff");
    EXPECT_EQ(hexes(palette("Reds", 6)),
              (std::vector<std::string>{"#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"}));
    EXPECT_EQ(hexes(palette("RdBu", 11)),
              (std::vector<std::string>{"#67001f",
                                        "#b2182b",
                                        "#d6604d",
                                        "#f4a582",
                                        "#fddbc7",
                                        "#f7f7f7",
                                        "#d1e5f0",
                                        "#92c5de",
                                        "#4393c3",
                                        "#2166ac",
                                        "#053061"}));
    EXPECT_EQ(hexes(palette("BrBG", 3)), (std::vector<std::string>{"#d8b365", "#f5f5f5", "#5ab4ac"}));
}

TEST(Palette, SequentialSchemesGetDarkerForEverySize) {
    for (const char* name : {"YlOrRd",
                             "YlOrBr",
                             "OrRd",
                             "Reds",
                             "Blues",
                             "Greens",
                             "Purples",
                             "PuBu",
                             "BuPu",
                             "GnBu",
                             "YlGnBu",
                             "Greys"}) {
        for (std::size_t n = 3; n <= 9; ++n) {
            const auto p = palette(name, n);
            ASSERT_EQ(p.size(), n) << name;
            for (std::size_t i = 1; i < n; ++i) {
                EXPECT_LT(luminance(p[i]), luminance(p[i - 1])) << name << " " << n << " class " << i;
            }
        }
        // Beyond the 9 published classes: the 9-class ramp blended, its ends kept, still darker
        // class by class (the documented maximum of 12 works with every sequential scheme).
        const auto nine = palette(name, 9);
        for (std::size_t n = 10; n <= 12; ++n) {
            const auto p = palette(name, n);
            ASSERT_EQ(p.size(), n) << name;
            EXPECT_EQ(p.front(), nine.front()) << name;
            EXPECT_EQ(p.back(), nine.back()) << name;
            for (std::size_t i = 1; i < n; ++i) {
                EXPECT_LT(luminance(p[i]), luminance(p[i - 1])) << name << " " << n << " class " << i;
            }
        }
    }
}

TEST(Palette, DivergingSchemesAreLightestInTheMiddle) {
    for (const char* name : {"RdBu", "BrBG"}) {
        for (std::size_t n = 3; n <= 11; n += 2) {
            const auto p = palette(name, n);
            ASSERT_EQ(p.size(), n);
            for (std::size_t i = 0; i < n; ++i) {
                if (i != n / 2) {
                    EXPECT_LT(luminance(p[i]), luminance(p[n / 2])) << name << " " << n;
                }
            }
        }
        EXPECT_EQ(palette(name, 10).size(), 10u);
        const auto twelve = palette(name, 12);
        ASSERT_EQ(twelve.size(), 12u);
        EXPECT_EQ(twelve.front(), palette(name, 11).front());
        EXPECT_EQ(twelve.back(), palette(name, 11).back());
    }
}

TEST(Palette, FewerThanThreeClassesTakeTheLightEnd) {
    EXPECT_EQ(hexes(palette("YlOrRd", 1)), (std::vector<std::string>{"#ffeda0"}));
    EXPECT_EQ(hexes(palette("YlOrRd", 2)), (std::vector<std::string>{"#ffeda0", "#feb24c"}));
    EXPECT_THROW((void)palette("YlOrRd", 0), choro::JobError);
}

TEST(Palette, NamesAreCaseInsensitiveAndUnknownNamesSuggest) {
    EXPECT_EQ(palette("ylorrd", 4), palette("YlOrRd", 4));
    try {
        (void)palette("YlOrRdd", 4);
        FAIL() << "expected JobError";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean 'YlOrRd'?"), std::string::npos) << e.what();
    }
    EXPECT_EQ(palette("Blues", 10).size(), 10u);  // blended beyond the published 9
    EXPECT_THROW((void)palette("Viridian", 4), choro::JobError);
}

TEST(Palette, NamesAreSortedAndComplete) {
    const auto names = choro::styles::palette_names();
    EXPECT_EQ(names.size(), 40u);  // 35 ColorBrewer schemes and the viridis family
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end(), [](std::string a, std::string b) {
        std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::tolower(c); });
        std::transform(b.begin(), b.end(), b.begin(), [](unsigned char c) { return std::tolower(c); });
        return a < b;
    }));
    EXPECT_NE(std::find(names.begin(), names.end(), "YlGnBu"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "BrBG"), names.end());
}

TEST(Color, ParseAndFormat) {
    EXPECT_EQ(parse_color("#ff8000"), (Color{255, 128, 0, 255}));
    EXPECT_EQ(parse_color("#FF800080"), (Color{255, 128, 0, 128}));
    EXPECT_EQ(parse_color(" #0a0B0c "), (Color{10, 11, 12, 255}));
    EXPECT_EQ(to_hex(Color{255, 128, 0, 255}), "#ff8000");
    EXPECT_EQ(to_hex(Color{1, 2, 3, 4}), "#01020304");
    for (const char* bad : {"", "ff8000", "#ff80", "#gg0000", "#ff80001", "red", "#ff8000ff00"}) {
        EXPECT_THROW((void)parse_color(bad), choro::JobError) << bad;
    }
}

}  // namespace
