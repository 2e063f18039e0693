#pragma once

// A small synthetic scene shared by the tile tests: three features (one with a hole, one
// highlighted) and two overlay features (one highlighted), in the lower 48's longitudes.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <unistd.h>

#include "choro/geo/tile.hpp"
#include "choro/render/tiles.hpp"

namespace choro::tiles_test {

inline geo::Ring<geo::Projected> box_ring(double w, double s, double e, double n) {
    // Densified a little, so simplification has work to do.
    geo::Ring<geo::LonLat> ll;
    for (int i = 0; i < 10; ++i) {
        ll.push_back({w + (e - w) * i / 10.0, s});
    }
    for (int i = 0; i < 10; ++i) {
        ll.push_back({e, s + (n - s) * i / 10.0});
    }
    for (int i = 0; i < 10; ++i) {
        ll.push_back({e - (e - w) * i / 10.0, n});
    }
    for (int i = 0; i < 10; ++i) {
        ll.push_back({w, n - (n - s) * i / 10.0});
    }
    ll.push_back(ll.front());
    geo::Ring<geo::Projected> r;
    for (const auto& p : ll) {
        r.push_back(geo::lonlat_to_mercator(p));
    }
    return r;
}

inline pipeline::Scene make_scene() {
    pipeline::Scene s;
    s.features.push_back({{box_ring(-100, 30, -90, 40)}});
    s.features.push_back({{box_ring(-90, 30, -80, 40)}});
    s.features.push_back({{box_ring(-120, 35, -105, 45), box_ring(-115, 38, -110, 42)}});
    s.fills = {{215, 48, 31, 255}, {49, 130, 189, 255}, {116, 196, 118, 255}};
    s.highlighted = {false, true, false};
    s.overlay.push_back({{box_ring(-100, 30, -80, 40)}});
    s.overlay.push_back({{box_ring(-120, 35, -105, 45)}});
    s.overlay_highlighted = {false, true};
    return s;
}

inline std::filesystem::path js_dir() {
    return std::filesystem::path(CHORO_SOURCE_DIR) / "tests" / "js";
}
inline bool have_node_modules() {
    return std::filesystem::exists(js_dir() / "node_modules" / "pmtiles");
}

/// Runs a shell command, returns its stdout (empty and a failure recorded when it fails).
inline std::string shell(const std::string& command, const std::string& input = {}) {
    // Not under test::temp_dir(): calling that again would empty the test's folder.
    static int counter = 0;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("choro-tiles-shell-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    const auto in = test::write_file(dir / "in.txt", input);
    const auto out = dir / "out.txt";
    const std::string full = command + " < '" + in.string() + "' > '" + out.string() + "' 2>&1";
    const int rc = std::system(full.c_str());
    std::string text = test::read_file(out);
    std::filesystem::remove_all(dir);
    if (rc != 0) {
        ADD_FAILURE() << "command failed (" << rc << "): " << full << "\n" << text;
    }
    return text;
}

}  // namespace choro::tiles_test
