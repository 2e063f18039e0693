#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "choro/render/image.hpp"

/// @file
/// Helpers shared by the test executables (and benchmarks).

namespace choro::test {

/// Root of tests/data in the source tree.
[[nodiscard]] std::filesystem::path data_dir();
/// ../shared/data beside the repository (may not exist; tests that need it skip).
[[nodiscard]] std::filesystem::path shared_data_dir();
/// A fresh, empty folder under the build tree for one test (named after the running test).
[[nodiscard]] std::filesystem::path temp_dir();
/// Writes text to a file (creating folders), returns the path.
std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text);
[[nodiscard]] std::string read_file(const std::filesystem::path& path);
/// True when `tool` is on the PATH.
[[nodiscard]] bool have_tool(const std::string& tool);
/// Screenshots `svg` (a file in `dir`) drawn by headless Chromium at width x height CSS pixels,
/// one CSS pixel per image pixel, into `dir`/chromium.png; returns that path. Fails the test
/// (ADD_FAILURE) and returns an empty path when Chromium fails.
[[nodiscard]] std::filesystem::path chromium_screenshot(const std::filesystem::path& dir,
                                                        const std::string& svg,
                                                        int width,
                                                        int height);
/// The fields of one CSV line (RFC 4180 quotes; no line breaks inside a field).
[[nodiscard]] std::vector<std::string> csv_fields(const std::string& line);

/// The result of running the choro executable.
struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
/// Runs `choro ARGS...` (no shell), capturing stdout and stderr.
[[nodiscard]] RunResult run_choro(const std::vector<std::string>& args);

/// Result of comparing two images.
struct ImageDiff {
    bool same_size = false;
    std::size_t differing = 0;  ///< pixels where some channel differs by more than the threshold
    int max_delta = 0;          ///< of colours premultiplied by alpha (how they show over a background)
};
[[nodiscard]] ImageDiff compare_images(const render::Image& a, const render::Image& b, int threshold);

/// Compares `actual` with the golden PNG `tests/golden/<name>.png`. Passes when at most
/// `max_differing` pixels differ by more than `threshold` in some channel. On failure writes
/// `<build>/golden-failures/<name>.actual.png`, `.diff.png` and an `index.html` side by side, and
/// returns a message naming them; returns "" on success. With CHORO_UPDATE_GOLDEN=1 in the
/// environment it (re)writes the golden file instead and passes.
[[nodiscard]] std::string check_golden(const render::Image& actual,
                                       const std::string& name,
                                       int threshold = 8,
                                       std::size_t max_differing = 50);

/// Sets an environment variable (inherited by run_choro's children) for one scope, then puts
/// back what was there (or unsets it).
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ScopedEnv(ScopedEnv&&) = delete;
    ScopedEnv& operator=(ScopedEnv&&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

}  // namespace choro::test
