// Every palette against independent references: ColorBrewer and the viridis family as npm
// d3-scale-chromatic publishes them (tests/js/chromatic.mjs, node); CIEDE2000 against the test data
// of Sharma, Wu and Dalal (2005, Table 1); the dichromacy simulation against the matrices printed in
// Machado, Oliveira and Fernandes (2009).

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/styles/color_vision.hpp"
#include "choro/styles/palette.hpp"

namespace {

namespace fs = std::filesystem;
using choro::styles::Color;
using choro::styles::Deficiency;
using choro::styles::palette;
using choro::styles::parse_color;
using choro::styles::to_hex;

fs::path js_dir() {
    return fs::path(CHORO_SOURCE_DIR) / "tests" / "js";
}

/// The output of chromatic.mjs, read once; null when node or the package is missing.
const nlohmann::json& chromatic() {
    static const nlohmann::json doc = [] {
        if (!fs::exists(js_dir() / "node_modules" / "d3-scale-chromatic")) {
            return nlohmann::json();
        }
        const auto dir = choro::test::temp_dir();
        const auto out = dir / "chromatic.json";
        const std::string cmd = "cd '" + js_dir().string() + "' && node chromatic.mjs > '" + out.string() + "'";
        if (std::system(cmd.c_str()) != 0) {
            ADD_FAILURE() << "command failed: " << cmd;
            return nlohmann::json();
        }
        return nlohmann::json::parse(choro::test::read_file(out));
    }();
    return doc;
}

std::vector<std::string> hexes(const std::vector<Color>& colors) {
    std::vector<std::string> out;
    for (const auto& c : colors) {
        out.push_back(to_hex(c));
    }
    return out;
}

#define NEED_D3()                                                                        \
    if (chromatic().is_null()) {                                                         \
        GTEST_SKIP() << "tests/js/node_modules missing: run `npm ci --prefix tests/js`"; \
    }

TEST(PaletteReference, EveryColorBrewerSchemeAtEveryClassCount) {
    NEED_D3();
    std::set<std::string> reference;
    std::size_t compared = 0;
    for (const auto& [name, entry] : chromatic()["colorbrewer"].items()) {
        reference.insert(name);
        for (const auto& [n, colors] : entry["schemes"].items()) {
            const auto want = colors.get<std::vector<std::string>>();
            EXPECT_EQ(hexes(palette(name, std::stoul(n))), want) << name << " " << n;
            // Reversed by suffix, in any case.
            auto reversed = want;
            std::reverse(reversed.begin(), reversed.end());
            EXPECT_EQ(hexes(palette(name + "-r", std::stoul(n))), reversed) << name << "-r " << n;
            EXPECT_EQ(hexes(palette(name, std::stoul(n), true)), reversed) << name << " reverse " << n;
            ++compared;
        }
        const auto kind = choro::styles::palette_kind(name);
        if (entry["kind"] == "qualitative") {
            EXPECT_EQ(kind, choro::styles::PaletteKind::qualitative) << name;
        } else {
            EXPECT_NE(kind, choro::styles::PaletteKind::qualitative) << name;
        }
    }
    EXPECT_EQ(reference.size(), 35u);
    EXPECT_GE(compared, 35u * 6u);
    // Our names are exactly ColorBrewer's and the viridis family.
    std::set<std::string> ours;
    for (const auto& name : choro::styles::palette_names()) {
        ours.insert(name);
    }
    for (const char* ramp : {"viridis", "magma", "inferno", "plasma", "cividis"}) {
        reference.insert(ramp);
    }
    EXPECT_EQ(ours, reference);
}

TEST(PaletteReference, ViridisFamilySampledLikeD3Quantize) {
    NEED_D3();
    for (const auto& [name, ramps] : chromatic()["ramps"].items()) {
        for (const auto& [n, colors] : ramps.items()) {
            const auto want = colors.get<std::vector<std::string>>();
            const auto got = palette(name, std::stoul(n));
            ASSERT_EQ(got.size(), want.size()) << name << " " << n;
            for (std::size_t i = 0; i < got.size(); ++i) {
                if (name == "cividis") {
                    // d3 fits cividis with a polynomial (d3-scale-chromatic src/sequential-multi/cividis.js);
                    // ours is the published table (Nuñez et al. 2018): they agree to a few ΔE00.
                    EXPECT_LT(choro::styles::delta_e00(got[i], parse_color(want[i])), 3.0)
                        << name << " " << n << " colour " << i << ": " << to_hex(got[i]) << " vs " << want[i];
                } else {
                    EXPECT_EQ(to_hex(got[i]), want[i]) << name << " " << n << " colour " << i;
                }
            }
            auto reversed = got;
            std::reverse(reversed.begin(), reversed.end());
            EXPECT_EQ(palette(name + "_r", std::stoul(n)), reversed) << name;
            EXPECT_EQ(palette("Viridis-R", 4), palette("viridis", 4, true));
        }
    }
}

TEST(Palette, KindsAndClassCounts) {
    using choro::styles::PaletteKind;
    EXPECT_EQ(choro::styles::palette_kind("Blues"), PaletteKind::sequential);
    EXPECT_EQ(choro::styles::palette_kind("RdYlBu-r"), PaletteKind::diverging);
    EXPECT_EQ(choro::styles::palette_kind("Set3"), PaletteKind::qualitative);
    EXPECT_EQ(choro::styles::palette_kind("magma"), PaletteKind::continuous);
    EXPECT_EQ(choro::styles::palette_kind("#000000,#ffffff"), PaletteKind::list);
    EXPECT_EQ(choro::styles::palette_classes("Blues").min, 3u);
    EXPECT_EQ(choro::styles::palette_classes("Blues").max, 9u);
    EXPECT_EQ(choro::styles::palette_classes("Spectral").max, 11u);
    EXPECT_EQ(choro::styles::palette_classes("Paired").max, 12u);
    EXPECT_EQ(choro::styles::palette_classes("Accent").max, 8u);
    EXPECT_STREQ(choro::styles::palette_kind_name(PaletteKind::qualitative), "qualitative");
}

TEST(Palette, QualitativeSchemesDoNotStretch) {
    EXPECT_EQ(palette("Set1", 9).size(), 9u);
    try {
        (void)palette("Set1", 10);
        FAIL() << "expected JobError";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("'Set1' has 9 colours"), std::string::npos) << e.what();
    }
    EXPECT_EQ(hexes(palette("Set1", 2)), (std::vector<std::string>{"#e41a1c", "#377eb8"}));
}

TEST(Palette, ListsOfColours) {
    // As many colours as classes: used as given.
    EXPECT_EQ(hexes(palette("#fee5d9, #fb6a4a,#a50f15", 3)),
              (std::vector<std::string>{"#fee5d9", "#fb6a4a", "#a50f15"}));
    // A list is reversed by the flag, not by a suffix (which would be part of its last colour).
    EXPECT_EQ(hexes(palette("#fee5d9,#fb6a4a,#a50f15", 3, true)),
              (std::vector<std::string>{"#a50f15", "#fb6a4a", "#fee5d9"}));
    EXPECT_THROW((void)palette("#fee5d9,#fb6a4a,#a50f15-r", 3), choro::JobError);
}

TEST(Palette, ListsBlendAndRejectBadColours) {
    // Two colours, three classes: the middle one is the CIELAB midpoint of black and white (L* 50,
    // sRGB 119 per Lindbloom's calculator), ends kept.
    const auto p = palette("#000000,#ffffff", 3);
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p.front(), parse_color("#000000"));
    EXPECT_EQ(p.back(), parse_color("#ffffff"));
    EXPECT_NEAR(p[1].r, 119, 1);
    EXPECT_EQ(p[1].r, p[1].g);
    EXPECT_EQ(palette("#123456", 4), std::vector<Color>(4, parse_color("#123456")));
    EXPECT_EQ(palette("#000000,#ffffff", 2, true),
              (std::vector<Color>{parse_color("#ffffff"), parse_color("#000000")}));
    for (const char* bad : {"#000000,", ",#000000", "#000000,red", "#00000,#ffffff", "#000000,,#ffffff"}) {
        try {
            (void)palette(bad, 3);
            ADD_FAILURE() << "expected JobError for " << bad;
        } catch (const choro::JobError& e) {
            EXPECT_NE(std::string(e.what()).find("palette '"), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW((void)palette("#000000,#ffffff", 0), choro::JobError);
    EXPECT_THROW((void)palette("viridis", 0), choro::JobError);
    EXPECT_THROW((void)palette("-r", 3), choro::JobError);
}

// Sharma, Wu and Dalal, "The CIEDE2000 color-difference formula: implementation notes,
// supplementary test data, and mathematical observations", Color Res. Appl. 30(1), 2005, Table 1.
struct SharmaPair {
    double l1, a1, b1, l2, a2, b2, de;
};
constexpr SharmaPair sharma[] = {
    {50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425},
    {50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615},
    {50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412},
    {50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000},
    {50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000},
    {50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000},
    {50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669},
    {50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195},
    {50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045},
    {50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045},
    {50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461},
    {50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065},
    {50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492},
    {50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977},
    {50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030},
    {50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535},
    {50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000},
    {50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000},
    {50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000},
    {50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000},
    {60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644},
    {63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630},
    {61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731},
    {35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645},
    {22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373},
    {36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146},
    {90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441},
    {90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381},
    {6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377},
    {2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082},
};

TEST(ColorVision, Ciede2000MatchesSharmaTestData) {
    for (std::size_t i = 0; i < std::size(sharma); ++i) {
        const auto& p = sharma[i];
        const choro::styles::Lab x{p.l1, p.a1, p.b1};
        const choro::styles::Lab y{p.l2, p.a2, p.b2};
        EXPECT_NEAR(choro::styles::ciede2000(x, y), p.de, 5e-5) << "pair " << i + 1;
        EXPECT_NEAR(choro::styles::ciede2000(y, x), p.de, 5e-5) << "pair " << i + 1 << " swapped";
    }
}

TEST(ColorVision, LabOfSrgbPrimaries) {
    // CIELAB of sRGB white, black and red, D65 (Lindbloom's calculator and IEC 61966-2-1).
    const auto white = choro::styles::to_lab(Color{255, 255, 255, 255});
    EXPECT_NEAR(white.l, 100.0, 1e-3);
    EXPECT_NEAR(white.a, 0.0, 1e-3);
    EXPECT_NEAR(white.b, 0.0, 1e-3);
    const auto red = choro::styles::to_lab(Color{255, 0, 0, 255});
    EXPECT_NEAR(red.l, 53.24, 0.01);
    EXPECT_NEAR(red.a, 80.09, 0.01);
    EXPECT_NEAR(red.b, 67.20, 0.01);
    EXPECT_EQ(choro::styles::from_lab(red), (Color{255, 0, 0, 255}));
}

// Machado et al. 2009, severity 1.0, typed here from the paper's table (not from our source): the
// simulation of a primary is the matrix column, in linear RGB, clamped and encoded as sRGB.
Color expected(double r, double g, double b) {
    const auto enc = [](double v) {
        v = std::clamp(v, 0.0, 1.0);
        v = v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1.0 / 2.4) - 0.055;
        return static_cast<std::uint8_t>(std::lround(v * 255.0));
    };
    return Color{enc(r), enc(g), enc(b), 255};
}

TEST(ColorVision, MachadoMatricesOnPrimaries) {
    using choro::styles::simulate;
    EXPECT_EQ(simulate(Color{255, 0, 0, 255}, Deficiency::protanopia), expected(0.152286, 0.114503, -0.003882));
    EXPECT_EQ(simulate(Color{0, 255, 0, 255}, Deficiency::protanopia), expected(1.052583, 0.786281, -0.048116));
    EXPECT_EQ(simulate(Color{0, 0, 255, 255}, Deficiency::protanopia), expected(-0.204868, 0.099216, 1.051998));
    EXPECT_EQ(simulate(Color{255, 0, 0, 255}, Deficiency::deuteranopia), expected(0.367322, 0.280085, -0.011820));
    EXPECT_EQ(simulate(Color{0, 255, 0, 255}, Deficiency::deuteranopia), expected(0.860646, 0.672501, 0.042940));
    EXPECT_EQ(simulate(Color{0, 0, 255, 255}, Deficiency::deuteranopia), expected(-0.227968, 0.047413, 0.968881));
    EXPECT_EQ(simulate(Color{255, 0, 0, 255}, Deficiency::tritanopia), expected(1.255528, -0.078411, 0.004733));
    EXPECT_EQ(simulate(Color{0, 255, 0, 255}, Deficiency::tritanopia), expected(-0.076749, 0.930809, 0.691367));
    EXPECT_EQ(simulate(Color{0, 0, 255, 255}, Deficiency::tritanopia), expected(-0.178779, 0.147602, 0.303900));
    // Rows sum to 1: greys look the same to everyone (within rounding); alpha is kept.
    for (const Deficiency d : {Deficiency::deuteranopia, Deficiency::protanopia, Deficiency::tritanopia}) {
        for (const int level : {0, 64, 128, 200, 255}) {
            const auto v = static_cast<std::uint8_t>(level);
            const Color grey = simulate(Color{v, v, v, 77}, d);
            EXPECT_NEAR(grey.r, v, 1);
            EXPECT_NEAR(grey.g, v, 1);
            EXPECT_NEAR(grey.b, v, 1);
            EXPECT_EQ(grey.a, 77);
        }
    }
}

TEST(ColorVision, RedGreenSchemesWarnSequentialAndViridisDoNot) {
    // A muted red and green of about the same lightness: the classic red–green confusion. The
    // ColorBrewer sequential schemes and the viridis family stay apart for all three dichromacies.
    const auto red_green = palette("#cc6666,#669966", 2);
    const auto issues = choro::styles::color_vision_issues(red_green);
    ASSERT_FALSE(issues.empty());
    EXPECT_EQ(issues.front().deficiency, Deficiency::deuteranopia);
    EXPECT_LT(issues.front().delta_e, choro::styles::min_class_difference);
    EXPECT_GT(choro::styles::delta_e00(red_green[0], red_green[1]), 30.0);  // plainly apart for the rest of us

    for (const char* name : {"Blues", "YlOrRd", "Greens", "viridis", "magma", "cividis"}) {
        for (const std::size_t n : {3u, 5u, 7u, 9u}) {
            const auto p = palette(name, n);
            EXPECT_TRUE(choro::styles::color_vision_issues(p).empty()) << name << " " << n;
            EXPECT_TRUE(choro::styles::color_vision_warnings(p, name).empty()) << name << " " << n;
        }
    }
    // ColorBrewer marks Spectral as not colour-blind safe: at 7 classes two neighbours merge for tritanopes.
    const auto spectral = choro::styles::color_vision_issues(palette("Spectral", 7));
    ASSERT_FALSE(spectral.empty());
    EXPECT_EQ(spectral.front().deficiency, Deficiency::tritanopia);
    const std::vector<std::string> labels{"1–4", "5–12"};
    const auto lines = choro::styles::color_vision_warnings(red_green, "#cc6666,#669966", labels);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.front().find("deuteranopia"), std::string::npos) << lines.front();
    EXPECT_NE(lines.front().find("'1–4' and '5–12'"), std::string::npos) << lines.front();
    EXPECT_NE(lines.front().find("< 4.0"), std::string::npos) << lines.front();
    EXPECT_TRUE(choro::styles::color_vision_issues(std::vector<Color>{}).empty());
    EXPECT_TRUE(choro::styles::color_vision_issues(std::vector<Color>{Color{}}).empty());
}

}  // namespace
