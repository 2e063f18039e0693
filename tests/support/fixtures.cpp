#include "fixtures.hpp"

#include <cstdio>

namespace choro::test {

namespace fs = std::filesystem;

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

}  // namespace

std::string json_ring(const std::vector<std::pair<double, double>>& points) {
    std::string s = "[";
    for (std::size_t i = 0; i < points.size(); ++i) {
        s += (i ? ",[" : "[") + num(points[i].first) + "," + num(points[i].second) + "]";
    }
    return s + "]";
}

std::string json_square(double x0, double y0, double x1, double y1) {
    return R"({"type":"Polygon","coordinates":[)" + json_ring({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}) +
           "]}";
}

std::string feature_collection(const std::vector<JsonFeature>& features, const std::string& crs) {
    std::string s = R"({"type":"FeatureCollection",)";
    if (!crs.empty()) {
        s += R"("crs":{"type":"name","properties":{"name":")" + crs + R"("}},)";
    }
    s += R"("features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto& f = features[i];
        s += (i ? ",\n" : "\n");
        s += R"({"type":"Feature","properties":{"GEOID":")" + f.key + R"(","NAME":")" + f.name + R"("},"geometry":)" +
             f.geometry + "}";
    }
    return s + "\n]}\n";
}

std::vector<JsonFeature> grid_features() {
    const char* keys[] = {"01001", "01003", "01005", "01007"};
    std::vector<JsonFeature> out;
    for (int i = 0; i < 4; ++i) {
        const double x = -88.0 + (i % 2);
        const double y = 32.0 + (i / 2);
        out.push_back({keys[i], "County " + std::to_string(i), json_square(x, y, x + 1, y + 1)});
    }
    return out;
}

std::string grid_values_csv() {
    return "fips,agreements\n01001,3\n01003,0\n01005,7\n01007,1\n";
}

std::vector<std::string> render_args(const fs::path& b, const fs::path& v, int width, int height) {
    return {"render",
            "--boundaries",
            b.string(),
            "--key",
            "GEOID",
            "--values",
            v.string(),
            "--values-key",
            "fips",
            "--value",
            "agreements",
            "--projection",
            "EPSG:5070",
            "--width",
            std::to_string(width),
            "--height",
            std::to_string(height),
            "--dpi",
            "72"};
}

bool no_files_starting(const fs::path& dir, const std::string& prefix) {
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().filename().string().rfind(prefix, 0) == 0) {
            return false;
        }
    }
    return true;
}

}  // namespace choro::test
