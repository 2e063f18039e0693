#pragma once

// A small synthetic scene shared by the tile tests: three features (one with a hole, one
// highlighted) and two overlay features (one highlighted), in the lower 48's longitudes.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
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

using TileMap = std::map<geo::TileId, std::string>;

/// The tiles of a z/x/y.png folder.
inline TileMap read_folder(const std::filesystem::path& dir) {
    TileMap tiles;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (e.path().extension() != ".png") {
            continue;
        }
        const auto rel = std::filesystem::relative(e.path(), dir);
        auto it = rel.begin();
        const int z = std::stoi((it++)->string());
        const auto x = static_cast<std::uint32_t>(std::stoul((it++)->string()));
        const auto y = static_cast<std::uint32_t>(std::stoul(it->stem().string()));
        tiles[{z, x, y}] = test::read_file(e.path());
    }
    return tiles;
}

/// The tiles of an MBTiles file.
inline TileMap read_mbtiles(const std::filesystem::path& file) {
    TileMap tiles;
    render::for_each_mbtiles_tile(file, [&](const geo::TileId& t, const std::string& png) { tiles[t] = png; });
    return tiles;
}

/// What makes `j` an invalid TileJSON 3.0.0 document (empty when valid), checked field by field
/// against the specification (github.com/mapbox/tilejson-spec, 3.0.0/README.md and schema.json).
inline std::string tilejson_problems(const nlohmann::json& j) {
    std::string p;
    auto bad = [&p](const std::string& what) { p += what + "; "; };
    if (!j.is_object()) {
        return "not an object";
    }
    // 3.1 tilejson: REQUIRED string, semver.
    if (!j.contains("tilejson") || !j["tilejson"].is_string() ||
        !std::regex_match(j["tilejson"].get<std::string>(), std::regex(R"(\d+\.\d+\.\d+\w?[\w\d]*)"))) {
        bad("tilejson must be a semver string");
    }
    // 3.2 tiles: REQUIRED array of at least one string.
    if (!j.contains("tiles") || !j["tiles"].is_array() || j["tiles"].empty()) {
        bad("tiles must be a non-empty array");
    } else {
        for (const auto& t : j["tiles"]) {
            if (!t.is_string()) {
                bad("tiles must hold strings");
            }
        }
    }
    // 3.3 vector_layers: required by the schema (for raster tiles the text waives it); objects with id and fields.
    if (!j.contains("vector_layers") || !j["vector_layers"].is_array()) {
        bad("vector_layers must be an array");
    } else {
        for (const auto& l : j["vector_layers"]) {
            if (!l.is_object() || !l.contains("id") || !l["id"].is_string() || !l.contains("fields") ||
                !l["fields"].is_object()) {
                bad("a vector layer needs id and fields");
            }
        }
    }
    // 3.4, 3.8, 3.11, 3.14, 3.16: optional strings.
    for (const char* key : {"attribution", "description", "legend", "name", "template", "version"}) {
        if (j.contains(key) && !j[key].is_string()) {
            bad(std::string(key) + " must be a string");
        }
    }
    // 3.12, 3.13: integers, 0 <= minzoom <= maxzoom <= 30.
    const int minzoom = j.contains("minzoom") && j["minzoom"].is_number_integer() ? j["minzoom"].get<int>() : 0;
    const int maxzoom = j.contains("maxzoom") && j["maxzoom"].is_number_integer() ? j["maxzoom"].get<int>() : 30;
    for (const char* key : {"minzoom", "maxzoom"}) {
        if (j.contains(key) && !j[key].is_number_integer()) {
            bad(std::string(key) + " must be an integer");
        }
    }
    if (!(0 <= minzoom && minzoom <= maxzoom && maxzoom <= 30)) {
        bad("zooms must satisfy 0 <= minzoom <= maxzoom <= 30");
    }
    // 3.5 bounds: four numbers, left bottom right top, within -180/180 and -90/90, no wrap.
    double w = -180, s = -85.05112877980659, e = 180, n = 85.0511287798066;
    if (j.contains("bounds")) {
        const auto& b = j["bounds"];
        if (!b.is_array() || b.size() != 4 || !b[0].is_number() || !b[1].is_number() || !b[2].is_number() ||
            !b[3].is_number()) {
            bad("bounds must be four numbers");
        } else {
            w = b[0].get<double>();
            s = b[1].get<double>();
            e = b[2].get<double>();
            n = b[3].get<double>();
            if (!(w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n)) {
                bad("bounds out of range or wrapped");
            }
        }
    }
    // 3.6 center: [lon, lat, zoom], within the bounds, zoom an integer between minzoom and maxzoom.
    if (j.contains("center")) {
        const auto& c = j["center"];
        if (!c.is_array() || c.size() != 3 || !c[0].is_number() || !c[1].is_number() || !c[2].is_number_integer()) {
            bad("center must be [lon, lat, integer zoom]");
        } else if (!(c[0].get<double>() >= w && c[0].get<double>() <= e && c[1].get<double>() >= s &&
                     c[1].get<double>() <= n && c[2].get<int>() >= minzoom && c[2].get<int>() <= maxzoom)) {
            bad("center outside the bounds or zooms");
        }
    }
    // 3.15 scheme: "xyz" or "tms".
    if (j.contains("scheme") && j["scheme"] != "xyz" && j["scheme"] != "tms") {
        bad("scheme must be xyz or tms");
    }
    return p;
}

}  // namespace choro::tiles_test
