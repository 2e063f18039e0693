// The editable SVG writer, the alt text and the data table (issue 10): the SVG is XML (checked
// with xmllint, an independent parser), carries the named groups and one path per feature with its
// key, is byte-deterministic, and headless Chromium draws it like the PNG; the alt text states the
// numbers of the data table, and the PNG, SVG and PDF carry it.

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../../golden/synthetic_scene.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/render/describe.hpp"
#include "choro/render/image.hpp"
#include "choro/render/map.hpp"

namespace {

namespace fs = std::filesystem;
using choro::test::read_file;
using choro::test::temp_dir;

/// The synthetic scene with keys, names and values, as a joined map has them.
choro::pipeline::Scene scene_with_info() {
    auto s = choro::test::synthetic_scene(true);
    const std::vector<std::pair<std::string, std::optional<double>>> rows{{"Alpha & Sons", 1.0},
                                                                          {"Beta", 2.5},
                                                                          {"Gamma \"G\"", 7.0},
                                                                          {"Delta", 0.0},
                                                                          {"Epsilon", std::nullopt},
                                                                          {"Zeta", 9.0},
                                                                          {"Eta, North", 3.0}};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        choro::pipeline::FeatureInfo info;
        info.key = "K" + std::to_string(10 + i);
        info.name = rows[i].first;
        info.value = rows[i].second;
        s.info.push_back(info);
    }
    return s;
}

/// Runs a shell command and returns its standard output.
std::string run(const std::string& command) {
    std::string out;
    const std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) {
        return out;
    }
    std::array<char, 4096> buf{};
    while (const std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get())) {
        out.append(buf.data(), n);
    }
    return out;
}

/// An XPath string from xmllint, without the line end it adds.
std::string xpath_string(const fs::path& file, const std::string& expr) {
    std::string out = run("xmllint --xpath '" + expr + "' '" + file.string() + "' 2>/dev/null");
    if (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

/// An XPath number from xmllint (namespace-free through local-name()).
double xpath_number(const fs::path& file, const std::string& expr) {
    const std::string out = run("xmllint --xpath '" + expr + "' '" + file.string() + "' 2>/dev/null");
    return out.empty() ? -1.0 : std::stod(out);
}

fs::path write_svg(const fs::path& dir, const choro::pipeline::Scene& scene, const std::string& desc = {}) {
    const fs::path out = dir / "map.svg";
    choro::render::render_map(scene, choro::test::synthetic_style(), {480, 300, 96}, out, desc);
    return out;
}

TEST(Svg, ParsesAsXmlWithNamedGroups) {
    if (!choro::test::have_tool("xmllint")) {
        GTEST_SKIP() << "needs xmllint (libxml2-utils)";
    }
    const fs::path svg = write_svg(temp_dir(), scene_with_info(), "A synthetic map.");
    ASSERT_EQ(std::system(("xmllint --noout '" + svg.string() + "'").c_str()), 0) << read_file(svg);
    for (const char* id : {"fills", "borders", "overlay", "highlights", "labels", "legend", "title", "notes"}) {
        EXPECT_EQ(xpath_number(svg, std::string("count(//*[local-name()=\"g\"][@id=\"") + id + "\"])"), 1.0) << id;
    }
    EXPECT_EQ(xpath_number(svg, "count(//*[local-name()=\"title\"])"), 1.0);
    const std::string desc = xpath_string(svg, "string(//*[local-name()=\"desc\"])");
    EXPECT_EQ(desc, "A synthetic map.");
}

TEST(Svg, OnePathPerFeatureWithKeyValueAndName) {
    if (!choro::test::have_tool("xmllint")) {
        GTEST_SKIP() << "needs xmllint (libxml2-utils)";
    }
    const auto scene = scene_with_info();
    const fs::path svg = write_svg(temp_dir(), scene);
    EXPECT_EQ(xpath_number(svg, "count(//*[@id=\"fills\"]/*[local-name()=\"path\"][@data-key])"),
              static_cast<double>(scene.features.size()));
    for (const auto& info : scene.info) {
        const std::string at = "//*[local-name()=\"path\"][@data-key=\"" + info.key + "\"]";
        EXPECT_EQ(xpath_number(svg, "count(" + at + ")"), 1.0) << info.key;
        const std::string name = xpath_string(svg, "string(" + at + "/@data-name)");
        EXPECT_EQ(name, info.name);
        if (info.value) {
            EXPECT_EQ(xpath_number(svg, "number(" + at + "/@data-value)"), *info.value) << info.key;
        } else {
            EXPECT_EQ(xpath_number(svg, "count(" + at + "/@data-value)"), 0.0) << info.key;
        }
    }
    // Shared borders: one path per layer, not one per feature.
    EXPECT_EQ(xpath_number(svg, "count(//*[@id=\"borders\"]/*[local-name()=\"path\"])"), 1.0);
    EXPECT_EQ(xpath_number(svg, "count(//*[@id=\"overlay\"]/*[local-name()=\"path\"])"), 1.0);
    // Hatches are patterns, referenced by the holdout mark.
    EXPECT_GE(xpath_number(svg, "count(//*[local-name()=\"pattern\"])"), 1.0);
    EXPECT_GE(xpath_number(svg, "count(//*[@id=\"highlights\"]//*[@fill=\"url(#hatch-holdout)\"])"), 1.0);
}

TEST(Svg, TextStaysTextWithTheFontNamed) {
    if (!choro::test::have_tool("xmllint")) {
        GTEST_SKIP() << "needs xmllint (libxml2-utils)";
    }
    const fs::path svg = write_svg(temp_dir(), scene_with_info());
    for (const char* text : {"Synthetic agreements", "Agreements", "State ban", "Source: choro test suite"}) {
        EXPECT_GE(xpath_number(svg,
                               std::string("count(//*[local-name()=\"text\"][.=\"") + text +
                                   "\"][@font-family=\"DejaVu Sans\"])"),
                  1.0)
            << text;
    }
    // No glyph outlines: Cairo's SVG surface wrote <symbol id="glyph…">.
    EXPECT_EQ(read_file(svg).find("glyph"), std::string::npos);
}

TEST(Svg, ByteDeterministic) {
    const auto scene = scene_with_info();
    const fs::path dir = temp_dir();
    choro::render::render_map(scene, choro::test::synthetic_style(), {480, 300, 96}, dir / "a.svg", "x");
    choro::render::render_map(scene, choro::test::synthetic_style(), {480, 300, 96}, dir / "b.svg", "x");
    EXPECT_EQ(read_file(dir / "a.svg"), read_file(dir / "b.svg"));
}

// Headless Chromium, an independent SVG renderer, draws the file like the PNG. Text is rasterised
// by another engine (Skia against Cairo/FreeType), so the budget is the text golden's.
TEST(Svg, ChromiumDrawsItLikeThePng) {
    if (!choro::test::have_tool("chromium") || !choro::test::have_tool("xmllint")) {
        GTEST_SKIP() << "needs the chromium package";
    }
    const fs::path dir = temp_dir();
    const auto scene = scene_with_info();
    const choro::render::MapSize size{480, 300, 96};  // 96 dpi: one CSS pixel per output pixel
    choro::render::render_map(scene, choro::test::synthetic_style(), size, dir / "map.svg");
    const auto png = choro::render::render_map_image(scene, choro::test::synthetic_style(), size);
    const fs::path shot = choro::test::chromium_screenshot(dir, "map.svg", 480, 300);
    ASSERT_FALSE(shot.empty());
    const auto drawn = choro::render::decode_png(read_file(shot));
    const auto diff = choro::test::compare_images(png, drawn, 48);
    ASSERT_TRUE(diff.same_size) << drawn.width << "x" << drawn.height;
    // Under 3% of the pixels (text edges and antialiasing) may differ by more than 48 levels.
    EXPECT_LT(diff.differing, 480u * 300u * 3u / 100u) << "max delta " << diff.max_delta;
}

double number(std::string text) {
    std::erase(text, ',');
    return std::stod(text);
}

TEST(AltText, NumbersEqualTheDataTable) {
    const auto scene = scene_with_info();
    const std::string alt = choro::render::alt_text(scene, "2026-05-18");
    const std::string csv = choro::render::data_csv(scene);

    // The table, read back as a reader would.
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "key,name,value,class,mark");
    std::size_t rows = 0;
    std::size_t with_data = 0;
    std::size_t holdouts = 0;
    double lo = 1e300;
    double hi = -1e300;
    std::string lo_name;
    std::string hi_name;
    while (std::getline(in, line)) {
        const auto f = choro::test::csv_fields(line);
        ASSERT_EQ(f.size(), 5u) << line;
        ++rows;
        if (!f[2].empty()) {
            ++with_data;
            const double v = std::stod(f[2]);
            if (v < lo) {
                lo = v;
                lo_name = f[1];
            }
            if (v > hi) {
                hi = v;
                hi_name = f[1];
            }
        }
        holdouts += f[4] == "holdout" ? 1 : 0;
    }
    EXPECT_EQ(rows, scene.features.size());

    const std::regex areas(R"(across ([0-9,]+) areas)");
    const std::regex data(
        R"(([0-9,]+) areas have data; values range from ([-0-9.,]+) \((.*?)\) to ([-0-9.,]+) \((.*?)\)\.)");
    const std::regex held(R"(([0-9,]+) holdouts? (is|are) marked)");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(alt, m, areas)) << alt;
    EXPECT_EQ(number(m[1]), static_cast<double>(rows));
    ASSERT_TRUE(std::regex_search(alt, m, data)) << alt;
    EXPECT_EQ(number(m[1]), static_cast<double>(with_data));
    EXPECT_EQ(number(m[2]), lo);
    EXPECT_EQ(m[3].str(), lo_name);
    EXPECT_EQ(number(m[4]), hi);
    EXPECT_EQ(m[5].str(), hi_name);
    ASSERT_TRUE(std::regex_search(alt, m, held)) << alt;
    EXPECT_EQ(number(m[1]), static_cast<double>(holdouts));
    EXPECT_NE(alt.find("as of 2026-05-18"), std::string::npos) << alt;
    EXPECT_NE(alt.find("Synthetic agreements"), std::string::npos) << alt;
}

TEST(AltText, WrittenIntoThePngSvgAndPdf) {
    const auto scene = scene_with_info();
    const std::string alt = choro::render::alt_text(scene, "");
    const fs::path dir = temp_dir();
    for (const char* name : {"map.png", "map.svg", "map.pdf"}) {
        choro::render::render_map(scene, choro::test::synthetic_style(), {480, 300, 96}, dir / name, alt);
    }
    EXPECT_EQ(choro::render::png_text(read_file(dir / "map.png"), "Description"), alt);  // ASCII: no change
    EXPECT_NE(read_file(dir / "map.svg").find("<desc id=\"map-desc\">"), std::string::npos);
    if (choro::test::have_tool("pdfinfo")) {
        const std::string info = run("pdfinfo '" + (dir / "map.pdf").string() + "'");
        EXPECT_NE(info.find("Subject:"), std::string::npos) << info;
        EXPECT_NE(info.find(alt.substr(0, 40)), std::string::npos) << info;
    }
}

TEST(AltText, PngDescriptionIsLatin1) {
    choro::render::Image img;
    img.width = 1;
    img.height = 1;
    img.rgba = {1, 2, 3, 255};
    choro::render::PngOptions o;
    o.description = "1\u20134 \u201cquoted\u201d caf\u00e9 \u4e2d";
    EXPECT_EQ(choro::render::png_text(choro::render::encode_png(img, o), "Description"), "1-4 \"quoted\" caf\xe9 ?");
    EXPECT_EQ(choro::render::png_text(choro::render::encode_png(img, {}), "Description"), "");
}

TEST(DataCsv, QuotesNamesAndLeavesNoDataEmpty) {
    const std::string csv = choro::render::data_csv(scene_with_info());
    EXPECT_NE(csv.find("K10,Alpha & Sons,1,1,\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("K12,\"Gamma \"\"G\"\"\",7,4-9,\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("K14,Epsilon,,No data,\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("K15,Zeta,9,4-9,holdout\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("K16,\"Eta, North\",3,2-3,\n"), std::string::npos) << csv;
}

}  // namespace
