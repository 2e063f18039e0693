// Map rendering: output formats, files written atomically, determinism, errors, and what lands on
// the page (pixel checks against positions computed by hand from the layout rules).

#include "choro/render/map.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "../../golden/synthetic_scene.hpp"
#include "test_support.hpp"
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace {

namespace fs = std::filesystem;
using choro::render::Format;
using choro::render::format_from_path;
using MapScene = choro::pipeline::Scene;
using choro::render::MapSize;
using choro::render::render_map;
using choro::render::render_map_image;

std::array<int, 4> px(const choro::render::Image& img, int x, int y) {
    const auto* p = img.pixel(x, y);
    return {p[0], p[1], p[2], p[3]};
}
std::array<int, 4> rgba(const choro::styles::Color& c) {
    return {c.r, c.g, c.b, c.a};
}

/// One square filling a page without text, legend or overlay.
MapScene one_square(choro::styles::Color fill) {
    MapScene s;
    s.features.push_back(choro::test::square(0, 0, 1000));
    s.fills.push_back(fill);
    s.highlighted.push_back(false);
    return s;
}

TEST(FormatFromPath, KnowsTheThreeFormatsInAnyCase) {
    EXPECT_EQ(format_from_path("map.png"), Format::png);
    EXPECT_EQ(format_from_path("out/Map.PNG"), Format::png);
    EXPECT_EQ(format_from_path("a.b/map.svg"), Format::svg);
    EXPECT_EQ(format_from_path("map.SvG"), Format::svg);
    EXPECT_EQ(format_from_path("/tmp/x/map.pdf"), Format::pdf);
    EXPECT_EQ(format_from_path("map.Pdf"), Format::pdf);
}

TEST(FormatFromPath, AnythingElseIsAJobErrorNamingThePath) {
    for (const char* bad : {"map.jpg", "map", "map.png.bak", "png", ".png.", "map.tiff"}) {
        try {
            (void)format_from_path(bad);
            ADD_FAILURE() << bad << " accepted";
        } catch (const choro::JobError& e) {
            EXPECT_EQ(e.path(), bad);
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(".png"), std::string::npos) << e.what();
        }
    }
}

TEST(RenderMapImage, SizeIsPixels) {
    const auto img = render_map_image(one_square({10, 20, 30, 255}), {}, {160, 90, 144});
    EXPECT_EQ(img.width, 160);
    EXPECT_EQ(img.height, 90);
    EXPECT_EQ(img.rgba.size(), 160u * 90u * 4u);
}

TEST(RenderMapImage, FitsTheSquareCentredWithMargins) {
    // Page 200x100 pt at 72 dpi; margin = 12 * min(200,100)/360 = 3.33 pt; frame 193.3 x 93.3;
    // the square is fitted to the frame height and centred: x 53.3..146.7, y 3.3..96.7.
    const choro::styles::Color red{215, 48, 31, 255};
    choro::styles::StyleSettings style;
    style.border_width = 0.0;
    const auto img = render_map_image(one_square(red), style, {200, 100, 72});
    EXPECT_EQ(px(img, 100, 50), rgba(red));
    EXPECT_EQ(px(img, 56, 10), rgba(red));
    EXPECT_EQ(px(img, 143, 93), rgba(red));
    EXPECT_EQ(px(img, 50, 50), rgba(style.background));
    EXPECT_EQ(px(img, 150, 50), rgba(style.background));
    EXPECT_EQ(px(img, 100, 1), rgba(style.background));
    EXPECT_EQ(px(img, 100, 98), rgba(style.background));
}

TEST(RenderMapImage, DpiScalesTheDrawingNotTheLayout) {
    // Twice the pixels at twice the dpi is the same page: the square spans the same fraction.
    const choro::styles::Color red{215, 48, 31, 255};
    const auto a = render_map_image(one_square(red), {}, {200, 100, 72});
    const auto b = render_map_image(one_square(red), {}, {400, 200, 144});
    for (const auto& [x, y] : std::vector<std::pair<int, int>>{{100, 50}, {60, 20}, {50, 50}, {150, 50}, {140, 90}}) {
        EXPECT_EQ(px(a, x, y), px(b, 2 * x, 2 * y)) << x << "," << y;
    }
}

TEST(RenderMapImage, HolesAreNotFilled) {
    MapScene s;
    choro::geo::Polygon<choro::geo::Projected> holed{choro::test::square_ring(0, 0, 900),
                                                     choro::test::square_ring(300, 300, 300)};
    s.features.push_back({holed});
    s.fills.push_back({0, 0, 200, 255});
    const auto img = render_map_image(s, {}, {200, 100, 72});
    EXPECT_EQ(px(img, 100, 50), rgba(choro::styles::StyleSettings{}.background));  // centre of the hole
    EXPECT_EQ(px(img, 60, 50), (std::array<int, 4>{0, 0, 200, 255}));
}

TEST(RenderMapImage, EmptyBoundsFitAllGeometryAndExplicitBoundsZoom) {
    const choro::styles::Color red{215, 48, 31, 255};
    MapScene s = one_square(red);
    s.features.push_back(choro::test::square(3000, 0, 1000));
    s.fills.push_back({0, 0, 200, 255});
    choro::styles::StyleSettings style;
    style.border_width = 0.0;
    // All geometry: 4000 x 1000 fitted to 193.3 pt wide → the red square at x 3.3..51.7.
    auto img = render_map_image(s, style, {200, 100, 72});
    EXPECT_EQ(px(img, 20, 50), rgba(red));
    EXPECT_EQ(px(img, 180, 50), (std::array<int, 4>{0, 0, 200, 255}));
    // Bounds = the red square only: the blue one lies outside the frame and is clipped away.
    s.bounds.extend(choro::geo::Projected{0, 0});
    s.bounds.extend(choro::geo::Projected{1000, 1000});
    img = render_map_image(s, style, {200, 100, 72});
    EXPECT_EQ(px(img, 100, 50), rgba(red));
    EXPECT_EQ(px(img, 180, 50), rgba(style.background));
}

TEST(RenderMapImage, SharedBordersAreStrokedOnce) {
    // Two squares sharing an edge, translucent black borders: an edge stroked twice would be darker
    // than an edge stroked once. Left square x 53.3..100, right 100..146.7 (page 200x100, bounds 2000x1000).
    MapScene s;
    s.features = {choro::test::square(0, 0, 1000), choro::test::square(1000, 0, 1000)};
    s.fills = {{255, 255, 255, 255}, {255, 255, 255, 255}};
    choro::styles::StyleSettings style;
    style.border = {0, 0, 0, 128};
    style.border_width = 3.0;
    const auto img = render_map_image(s, style, {200, 100, 72});
    // Page 200x100: bounds 2000x1000 fitted to 193.3x93.3 → scale 0.0933; x 6.7..193.3, y 3.3..96.7;
    // the shared edge is at x = 100, the left outer edge at 6.7 (clipped? no, inside the page).
    const auto shared = px(img, 100, 50);
    const auto outer = px(img, 7, 50);
    EXPECT_LT(shared[0], 200);  // there is a border
    EXPECT_EQ(shared, outer);
}

TEST(RenderMapImage, HighlightAndOverlayUseTheHighlightColour) {
    auto scene = choro::test::synthetic_scene(false);
    scene.legend.clear();  // the legend's hatch swatches would count too
    auto plain = scene;
    plain.highlighted.assign(plain.features.size(), false);
    plain.overlay_highlighted.assign(plain.overlay.size(), false);
    const auto style = choro::test::synthetic_style();
    const auto a = render_map_image(scene, style, {400, 250, 72});
    const auto b = render_map_image(plain, style, {400, 250, 72});
    // Pixels close to the highlight colour (0, 90, 160) appear only with highlighting.
    const auto bluish = [](const choro::render::Image& img) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < img.rgba.size(); i += 4) {
            n += img.rgba[i] < 90 && img.rgba[i + 2] > 120 && img.rgba[i + 2] > img.rgba[i] + 60;
        }
        return n;
    };
    EXPECT_GT(bluish(a), 500u);
    EXPECT_EQ(bluish(b), 0u);
}

TEST(RenderMapImage, MismatchedScenesDoNotCrash) {
    MapScene s = one_square({1, 2, 3, 255});
    s.fills.clear();        // no colour: drawn as no data
    s.highlighted.clear();  // no flags: not highlighted
    const auto img = render_map_image(s, {}, {200, 100, 72});
    EXPECT_EQ(px(img, 100, 50), rgba(choro::styles::StyleSettings{}.no_data));
    MapScene empty;
    const auto blank = render_map_image(empty, {}, {20, 10, 72});
    EXPECT_EQ(px(blank, 10, 5), rgba(choro::styles::StyleSettings{}.background));
}

TEST(RenderMapImage, BadSizesAreRefused) {
    EXPECT_THROW((void)render_map_image({}, {}, {0, 100, 72}), choro::JobError);
    EXPECT_THROW((void)render_map_image({}, {}, {100, -1, 72}), choro::JobError);
    EXPECT_THROW((void)render_map_image({}, {}, {100, 100, 0}), choro::JobError);
    EXPECT_THROW((void)render_map_image({}, {}, {30000, 100, 72}), choro::LimitError);
}

class RenderMapFile : public ::testing::Test {
protected:
    MapScene scene = choro::test::synthetic_scene(true);
    choro::styles::StyleSettings style = choro::test::synthetic_style();
    MapSize size{400, 250, 144};
};

TEST_F(RenderMapFile, PngHoldsTheImageAndTheDpi) {
    const fs::path dir = choro::test::temp_dir();
    render_map(scene, style, size, dir / "map.png");
    const std::string bytes = choro::test::read_file(dir / "map.png");
    EXPECT_EQ(choro::render::png_dpi(bytes), 144);
    const auto decoded = choro::render::decode_png(bytes);
    EXPECT_EQ(decoded.rgba, render_map_image(scene, style, size).rgba);
    // Only the output is left behind, no temporary file.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST_F(RenderMapFile, PdfHasFixedDatesTitleAndIsDeterministic) {
    const fs::path dir = choro::test::temp_dir();
    render_map(scene, style, size, dir / "a.pdf");
    render_map(scene, style, size, dir / "b.PDF");
    const std::string a = choro::test::read_file(dir / "a.pdf");
    EXPECT_EQ(a.substr(0, 5), "%PDF-");
    EXPECT_NE(a.find("/CreationDate (20000101000000Z)"), std::string::npos);  // Cairo 1.16 omits "D:"
    EXPECT_NE(a.find("/ModDate (20000101000000Z)"), std::string::npos);
    EXPECT_NE(a.find("(Synthetic agreements)"), std::string::npos);
    EXPECT_NE(a.find("/Creator (choro)"), std::string::npos);
    EXPECT_NE(a.find("/FontFile"), std::string::npos);  // fonts embedded
    EXPECT_TRUE(a == choro::test::read_file(dir / "b.PDF"));
    // Page size: 400x250 px at 144 dpi = 200x125 pt.
    EXPECT_NE(a.find("/MediaBox [ 0 0 200 125 ]"), std::string::npos);
}

TEST_F(RenderMapFile, SvgIsWellFormedAndDeterministic) {
    const fs::path dir = choro::test::temp_dir();
    render_map(scene, style, size, dir / "a.svg");
    render_map(scene, style, size, dir / "b.svg");
    const std::string a = choro::test::read_file(dir / "a.svg");
    EXPECT_EQ(a.rfind("<?xml", 0), 0u);
    EXPECT_NE(a.find("<svg"), std::string::npos);
    EXPECT_NE(a.find("width=\"200pt\""), std::string::npos);
    EXPECT_NE(a.find("</svg>"), std::string::npos);
    EXPECT_TRUE(a == choro::test::read_file(dir / "b.svg"));
    if (std::system("xmllint --version > /dev/null 2>&1") == 0) {
        const std::string cmd = "xmllint --noout '" + (dir / "a.svg").string() + "'";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
}

TEST_F(RenderMapFile, PngIsDeterministic) {
    const fs::path dir = choro::test::temp_dir();
    render_map(scene, style, size, dir / "a.png");
    render_map(scene, style, size, dir / "b.png");
    EXPECT_TRUE(choro::test::read_file(dir / "a.png") == choro::test::read_file(dir / "b.png"));
}

TEST_F(RenderMapFile, PngIsTheSameOnAnyNumberOfThreads) {
    // The frame is drawn in a fixed number of bands, shared out among the threads.
    const fs::path dir = choro::test::temp_dir();
    render_map(scene, style, size, dir / "one.png", {}, 1);
    const std::string one = choro::test::read_file(dir / "one.png");
    for (const unsigned threads : {2u, 3u, 4u, 16u}) {
        const fs::path out = dir / ("t" + std::to_string(threads) + ".png");
        render_map(scene, style, size, out, {}, threads);
        EXPECT_TRUE(choro::test::read_file(out) == one) << threads << " threads";
    }
    EXPECT_EQ(choro::render::decode_png(one).rgba, render_map_image(scene, style, size).rgba);
}

TEST_F(RenderMapFile, UnknownExtensionIsAJobErrorAndWritesNothing) {
    const fs::path dir = choro::test::temp_dir();
    EXPECT_THROW(render_map(scene, style, size, dir / "map.jpg"), choro::JobError);
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST_F(RenderMapFile, UnwritableFolderIsARenderErrorNamingThePath) {
    const fs::path dir = choro::test::temp_dir();
    choro::test::write_file(dir / "plain-file", "x");
    const fs::path out = dir / "plain-file" / "map.png";  // a folder under a regular file cannot exist
    for (const char* ext : {".png", ".pdf", ".svg"}) {
        fs::path target = out;
        target.replace_extension(ext);
        try {
            render_map(scene, style, size, target);
            ADD_FAILURE() << "no exception for " << target;
        } catch (const choro::RenderError& e) {
            EXPECT_NE(std::string(e.what()).find("plain-file"), std::string::npos) << e.what();
        }
    }
}

TEST_F(RenderMapFile, ExistingOutputIsReplacedWhole) {
    const fs::path dir = choro::test::temp_dir();
    choro::test::write_file(dir / "map.svg", std::string(100000, 'x'));
    render_map(scene, style, size, dir / "map.svg");
    const std::string svg = choro::test::read_file(dir / "map.svg");
    EXPECT_EQ(svg.find("xxxx"), std::string::npos);
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
}

}  // namespace

namespace {

// Cross-process determinism: the test re-runs this executable (a fresh process with fresh Cairo
// counters and font caches) to render the same scene, then compares the bytes.
constexpr const char* child_env = "CHORO_RENDER_CHILD_DIR";

void write_all_formats(const fs::path& dir) {
    const auto scene = choro::test::synthetic_scene(true);
    const auto style = choro::test::synthetic_style();
    for (const char* name : {"map.png", "map.pdf", "map.svg"}) {
        render_map(scene, style, {400, 250, 144}, dir / name);
    }
}

TEST(Determinism, ChildWritesOutputs) {
    const char* dir = std::getenv(child_env);
    if (dir == nullptr) {
        GTEST_SKIP() << "only runs as the child of Determinism.SameBytesInAnotherProcess";
    }
    write_all_formats(dir);
}

TEST(Determinism, SameBytesInAnotherProcess) {
    const fs::path dir = choro::test::temp_dir();
    fs::create_directories(dir / "parent");
    fs::create_directories(dir / "child");
    // Render something else first so this process's Cairo ids are not at their start values.
    (void)render_map_image(choro::test::synthetic_scene(false), {}, {100, 60, 72});
    write_all_formats(dir / "parent");
    const std::string cmd = std::string(child_env) + "='" + (dir / "child").string() + "' '" +
                            fs::read_symlink("/proc/self/exe").string() +
                            "' --gtest_filter=Determinism.ChildWritesOutputs > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    for (const char* name : {"map.png", "map.pdf", "map.svg"}) {
        const std::string parent = choro::test::read_file(dir / "parent" / name);
        const std::string child = choro::test::read_file(dir / "child" / name);
        EXPECT_FALSE(parent.empty()) << name;
        EXPECT_TRUE(parent == child) << name << " differs between processes";
    }
}

TEST(RenderMapImage, InsetFramesAndOverlayBordersAreDrawn) {
    // Page 200x100 pt at 72 dpi, bounds 0..2000 x 0..1000 → frame x 6.7..193.3, y 3.3..96.7, scale 0.0933.
    MapScene s;
    s.bounds.extend(choro::geo::Projected{0, 0});
    s.bounds.extend(choro::geo::Projected{2000, 1000});
    choro::geo::Inset inset;
    inset.frame.extend(choro::geo::Projected{1000, 0});    // page x 100
    inset.frame.extend(choro::geo::Projected{2000, 500});  // page y 50
    s.insets.push_back(inset);
    s.overlay.push_back(choro::test::square(0, 0, 500));  // page x 6.7..53.3, y 50..96.7
    s.overlay_highlighted.push_back(false);
    choro::styles::StyleSettings style;
    style.overlay_border = {0, 0, 0, 255};
    style.overlay_border_width = 2.0;
    const auto img = render_map_image(s, style, {200, 100, 72});
    const auto is_grey_line = [](const std::array<int, 4>& p) { return p[0] < 235 && p[0] == p[1] && p[1] == p[2]; };
    EXPECT_TRUE(is_grey_line(px(img, 100, 70)));  // the inset's left edge at x = 100
    EXPECT_TRUE(is_grey_line(px(img, 150, 50)));  // its top edge at y = 50
    EXPECT_EQ(px(img, 150, 70), rgba(style.background));
    EXPECT_LT(px(img, 53, 75)[0], 60);                   // the overlay square's right edge, dark
    EXPECT_EQ(px(img, 30, 75), rgba(style.background));  // overlay features are not filled
}

}  // namespace
