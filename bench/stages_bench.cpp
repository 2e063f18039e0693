// Each stage of the national county map on its own: read, project, classify, draw, encode.
// Data: the us-atlas counties from ../shared/data (or $CHORO_DATA_DIR). Every benchmark checks
// its result before timing (mapnik's benchmark framework does the same), so a broken stage
// cannot look fast.
//
//   build/release/bench/bench_stages --benchmark_min_time=0.5

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include "choro/geo/layer.hpp"
#include "choro/geo/projection.hpp"
#include "choro/render/image.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/legend.hpp"

namespace {

std::string data_dir() {
    const char* env = std::getenv("CHORO_DATA_DIR");
    return env ? env : CHORO_SHARED_DATA;
}

const choro::geo::Layer& counties() {
    static const choro::geo::Layer layer = [] {
        choro::geo::LayerOptions o;
        o.layer = "counties";
        o.srs = "EPSG:4326";
        return choro::geo::read_layer(data_dir() + "/reference/us-atlas-3.0.1/counties-10m.json", o);
    }();
    return layer;
}

std::vector<std::optional<double>> fake_values() {
    // A deterministic, skewed spread like agreement counts: many zeros, a long tail.
    std::vector<std::optional<double>> v;
    const auto& layer = counties();
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const std::size_t h = (i * 2654435761u) % 1000;
        v.push_back(h < 600 ? 0.0 : static_cast<double>((h - 600) / 25));
    }
    return v;
}

void BM_ReadTopoJson(benchmark::State& state) {
    choro::geo::LayerOptions o;
    o.layer = "counties";
    o.srs = "EPSG:4326";
    const std::string path = data_dir() + "/reference/us-atlas-3.0.1/counties-10m.json";
    if (choro::geo::read_layer(path, o).features.size() != 3231) {
        throw std::runtime_error("expected 3231 counties");
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(choro::geo::read_layer(path, o));
    }
}
BENCHMARK(BM_ReadTopoJson)->Unit(benchmark::kMillisecond);

void BM_CreateUsAlbers(benchmark::State& state) {
    for (auto _ : state) {
        choro::geo::Projection p("us-albers");
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(BM_CreateUsAlbers)->Unit(benchmark::kMillisecond);

void BM_ProjectCounties(benchmark::State& state) {
    const auto& layer = counties();
    const choro::geo::Projection p("us-albers");
    for (auto _ : state) {
        for (const auto& f : layer.features) {
            benchmark::DoNotOptimize(p.project(f.geometry));
        }
    }
}
BENCHMARK(BM_ProjectCounties)->Unit(benchmark::kMillisecond);

void BM_ClassifyJenks(benchmark::State& state) {
    const auto values = fake_values();
    choro::styles::ClassifyOptions o;
    o.method = choro::styles::Method::jenks;
    o.classes = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        benchmark::DoNotOptimize(choro::styles::classify(values, o));
    }
}
BENCHMARK(BM_ClassifyJenks)->Arg(5)->Arg(7)->Unit(benchmark::kMillisecond);

choro::pipeline::Scene national_scene() {
    const auto& layer = counties();
    const choro::geo::Projection p("us-albers");
    const auto values = fake_values();
    choro::styles::ClassifyOptions o;
    const auto breaks = choro::styles::classify(values, o);
    const auto colors = choro::styles::class_colors(breaks, choro::styles::StyleSettings{});
    choro::pipeline::Scene scene;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        scene.features.push_back(p.project(layer.features[i].geometry));
        scene.fills.push_back(colors.fill(breaks.class_of(values[i])));
        scene.highlighted.push_back(i % 97 == 0);
    }
    scene.insets = p.insets();
    scene.title = "Benchmark";
    return scene;
}

void BM_DrawNational(benchmark::State& state) {
    const auto scene = national_scene();
    const choro::render::MapSize size{2400, 1500, 200};
    for (auto _ : state) {
        benchmark::DoNotOptimize(choro::render::render_map_image(scene, choro::styles::StyleSettings{}, size));
    }
}
BENCHMARK(BM_DrawNational)->Unit(benchmark::kMillisecond);

void BM_EncodePngNational(benchmark::State& state) {
    const auto image =
        choro::render::render_map_image(national_scene(), choro::styles::StyleSettings{}, {2400, 1500, 200});
    for (auto _ : state) {
        benchmark::DoNotOptimize(choro::render::encode_png(image, {.dpi = 200}));
    }
}
BENCHMARK(BM_EncodePngNational)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
