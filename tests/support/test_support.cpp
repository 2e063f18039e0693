#include "test_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "process.hpp"
#include <gtest/gtest.h>
#include <unistd.h>

namespace choro::test {

namespace fs = std::filesystem;

fs::path data_dir() {
    return CHORO_TEST_DATA;
}

fs::path shared_data_dir() {
    return CHORO_SHARED_DATA;
}

fs::path temp_dir() {
    const auto* unit = ::testing::UnitTest::GetInstance();
    const auto* info = unit->current_test_info();
    std::string name;
    if (info) {
        name = std::string(info->test_suite_name()) + "." + info->name();
    } else {
        // SetUpTestSuite: ctest runs every test of the suite in its own process, in parallel, and
        // each sets the suite up again; a folder per process keeps one from deleting another's.
        const auto* suite = unit->current_test_suite();
        name = std::string(suite ? suite->name() : "no-test") + ".setup-" + std::to_string(::getpid());
    }
    std::replace(name.begin(), name.end(), '/', '_');
    const fs::path dir = fs::path(CHORO_TEST_OUTPUT) / "tmp" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

fs::path write_file(const fs::path& path, const std::string& text) {
    if (path.has_parent_path()) {
        fs::create_directories(path.parent_path());
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
    return path;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

ScopedEnv::ScopedEnv(const char* name, const std::string& value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
        m_old = old;
    }
    ::setenv(name, value.c_str(), 1);
}

ScopedEnv::~ScopedEnv() {
    if (m_old) {
        ::setenv(m_name, m_old->c_str(), 1);
    } else {
        ::unsetenv(m_name);
    }
}

RunResult run_choro(const std::vector<std::string>& args) {
    // One way to start choro for every test (process.hpp); ten minutes is "never" for a test.
    const TimedRun run = run_choro_timed(args, std::chrono::minutes(10));
    if (run.timed_out) {
        throw std::runtime_error("choro did not finish within 10 minutes");
    }
    RunResult result;
    result.exit_code = run.signal ? 128 + run.signal : run.exit_code;
    result.out = run.out;
    result.err = run.err;
    return result;
}

ImageDiff compare_images(const render::Image& a, const render::Image& b, int threshold) {
    ImageDiff d;
    d.same_size = a.width == b.width && a.height == b.height;
    if (!d.same_size) {
        return d;
    }
    // Colours are compared premultiplied by their alpha, as they show over a background: a pixel
    // that is 1/255 opaque differs by at most 1 whatever colour its faint fringe has.
    const auto premultiplied = [](const render::Image& img, std::size_t i, std::size_t c) {
        return c == 3 ? int(img.rgba[i + 3]) : (int(img.rgba[i + c]) * int(img.rgba[i + 3]) + 127) / 255;
    };
    for (std::size_t i = 0; i < a.rgba.size(); i += 4) {
        int worst = 0;
        for (std::size_t c = 0; c < 4; ++c) {
            worst = std::max(worst, std::abs(premultiplied(a, i, c) - premultiplied(b, i, c)));
        }
        d.max_delta = std::max(d.max_delta, worst);
        if (worst > threshold) {
            ++d.differing;
        }
    }
    return d;
}

namespace {

// Red where the images differ beyond the threshold, a faded copy of the expected image elsewhere.
render::Image diff_image(const render::Image& expected, const render::Image& actual, int threshold) {
    render::Image d = expected;
    for (std::size_t i = 0; i < d.rgba.size(); i += 4) {
        int worst = 0;
        for (std::size_t c = 0; c < 4; ++c) {
            worst = std::max(worst, std::abs(int(expected.rgba[i + c]) - int(actual.rgba[i + c])));
        }
        if (worst > threshold) {
            d.rgba[i] = 255;
            d.rgba[i + 1] = 0;
            d.rgba[i + 2] = 0;
        } else {
            for (std::size_t c = 0; c < 3; ++c) {
                d.rgba[i + c] = static_cast<std::uint8_t>(255 - (255 - d.rgba[i + c]) / 4);
            }
        }
        d.rgba[i + 3] = 255;
    }
    return d;
}

}  // namespace

std::string check_golden(const render::Image& actual,
                         const std::string& name,
                         int threshold,
                         std::size_t max_differing) {
    const fs::path golden = fs::path(CHORO_SOURCE_DIR) / "tests" / "golden" / (name + ".png");
    const char* update = std::getenv("CHORO_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        write_file(golden, render::encode_png(actual));
        return {};
    }
    if (!fs::exists(golden)) {
        return "golden image " + golden.string() + " is missing (run with CHORO_UPDATE_GOLDEN=1 to create it)";
    }
    const render::Image expected = render::decode_png(read_file(golden));
    const ImageDiff d = compare_images(expected, actual, threshold);
    if (d.same_size && d.differing <= max_differing) {
        return {};
    }
    const fs::path dir = fs::path(CHORO_TEST_OUTPUT) / "golden-failures";
    fs::create_directories(dir);
    const fs::path actual_path = dir / (name + ".actual.png");
    const fs::path expected_path = dir / (name + ".expected.png");
    write_file(actual_path, render::encode_png(actual));
    write_file(expected_path, render::encode_png(expected));
    std::string msg = "golden " + name + ": ";
    if (!d.same_size) {
        msg += "size " + std::to_string(actual.width) + "x" + std::to_string(actual.height) + " differs from " +
               std::to_string(expected.width) + "x" + std::to_string(expected.height);
    } else {
        const fs::path diff_path = dir / (name + ".diff.png");
        write_file(diff_path, render::encode_png(diff_image(expected, actual, threshold)));
        msg += std::to_string(d.differing) + " pixels differ by more than " + std::to_string(threshold) + " (allowed " +
               std::to_string(max_differing) + ", max delta " + std::to_string(d.max_delta) + ")";
    }
    const fs::path index = dir / (name + ".html");
    write_file(index,
               "<!doctype html><title>" + name + "</title><h1>" + name + "</h1><p>" + msg +
                   "</p><table><tr><th>expected<th>actual<th>diff<tr><td><img src='" + name +
                   ".expected.png'><td><img src='" + name + ".actual.png'><td><img src='" + name +
                   ".diff.png'></table>\n");
    return msg + "; see " + index.string();
}

std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                out.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                out.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

bool have_tool(const std::string& tool) {
    return std::system(("command -v " + tool + " > /dev/null 2>&1").c_str()) == 0;
}

std::filesystem::path chromium_screenshot(const std::filesystem::path& dir,
                                          const std::string& svg,
                                          int width,
                                          int height) {
    const std::string w = std::to_string(width);
    const std::string h = std::to_string(height);
    write_file(dir / "page.html",
               "<!doctype html><html><body style=\"margin:0\"><img src=\"" + svg + "\" width=\"" + w + "\" height=\"" +
                   h + "\" style=\"display:block\"></body></html>");
    const std::filesystem::path shot = dir / "chromium.png";
    const std::string cmd = "cd '" + dir.string() +
                            "' && timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
                            "--force-device-scale-factor=1 --window-size=" +
                            w + "," + h + " --screenshot='" + shot.string() + "' 'file://" +
                            (dir / "page.html").string() + "' > /dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        ADD_FAILURE() << cmd;
        return {};
    }
    return shot;
}

}  // namespace choro::test
