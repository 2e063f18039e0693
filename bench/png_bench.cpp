// PNG encoders on the national county map (2400x1500, ~17,000 colours after antialiasing, so RGB):
// choro's encoder (its own chunks, libdeflate) against libpng, the library Cairo's own writer and
// Mapnik use, at the same level, with and without row filters. libspng, tried first, deflates with
// zlib like libpng and measured the same (116 vs 109 ms, same bytes); libdeflate is what gains.
//
//   build/release/bench/bench_png --benchmark_min_time=0.5

#include <csetjmp>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>
#include <png.h>

#include "choro/geo/layer.hpp"
#include "choro/geo/projection.hpp"
#include "choro/render/image.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/legend.hpp"

namespace {

const choro::render::Image& national_image() {
    static const choro::render::Image image = [] {
        const char* env = std::getenv("CHORO_DATA_DIR");
        const std::string dir = env ? env : CHORO_SHARED_DATA;
        choro::geo::LayerOptions o;
        o.layer = "counties";
        o.srs = "EPSG:4326";
        const auto layer = choro::geo::read_layer(dir + "/reference/us-atlas-3.0.1/counties-10m.json", o);
        const choro::geo::Projection p("us-albers");
        std::vector<std::optional<double>> values;
        for (std::size_t i = 0; i < layer.features.size(); ++i) {
            values.push_back(static_cast<double>((i * 2654435761u) % 1000 / 100));
        }
        const auto breaks = choro::styles::classify(values, {});
        const auto colors = choro::styles::class_colors(breaks, {});
        choro::pipeline::Scene scene;
        for (std::size_t i = 0; i < layer.features.size(); ++i) {
            scene.features.push_back(p.project(layer.features[i].geometry));
            scene.fills.push_back(colors.fill(breaks.class_of(values[i])));
        }
        scene.highlighted.assign(scene.features.size(), false);
        return choro::render::render_map_image(scene, {}, {2400, 1500, 200});
    }();
    return image;
}

std::string encode_libpng(const choro::render::Image& image, int level, bool filters) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    std::string out;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("libpng failed");
    }
    png_set_write_fn(
        png,
        &out,
        [](png_structp p, png_bytep data, png_size_t n) {
            static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), n);
        },
        nullptr);
    png_set_compression_level(png, level);
    png_set_filter(png, 0, filters ? PNG_ALL_FILTERS : PNG_FILTER_NONE);
    png_set_IHDR(png,
                 info,
                 static_cast<png_uint_32>(image.width),
                 static_cast<png_uint_32>(image.height),
                 8,
                 PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    // Same pixels as choro writes; libpng drops the opaque alpha channel itself.
    png_set_filler(png, 0, PNG_FILLER_AFTER);
    for (int y = 0; y < image.height; ++y) {
        png_write_row(png, const_cast<png_bytep>(image.pixel(0, y)));
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

/// Times `encode()` (returning the PNG bytes) and reports the file's size.
template <class Encode>
void time_encoder(benchmark::State& state, const Encode& encode) {
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string png = encode();
        bytes = png.size();
        benchmark::DoNotOptimize(png);
    }
    state.counters["bytes"] = static_cast<double>(bytes);
}

// choro's encoder at each libdeflate level (6 is what tiles use): the time against size trade.
void BM_Choro(benchmark::State& state) {
    const auto& image = national_image();
    const int level = static_cast<int>(state.range(0));
    time_encoder(state, [&] { return choro::render::encode_png(image, {.dpi = 0, .palette = true, .level = level}); });
}
BENCHMARK(BM_Choro)->DenseRange(1, 9)->Unit(benchmark::kMillisecond);

// The fast deflate (ISA-L's igzip) maps use.
void BM_ChoroFast(benchmark::State& state) {
    const auto& image = national_image();
    time_encoder(state, [&] { return choro::render::encode_png(image, {.dpi = 0, .palette = true, .fast = true}); });
}
BENCHMARK(BM_ChoroFast)->Unit(benchmark::kMillisecond);

// The same from Cairo's premultiplied words (an ArgbView), as maps are encoded.
void BM_ChoroFastFromCairo(benchmark::State& state) {
    const auto& image = national_image();
    std::vector<std::uint32_t> words(image.rgba.size() / 4);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::uint8_t* p = image.rgba.data() + i * 4;
        const std::uint32_t a = p[3];
        words[i] = (a << 24) | ((p[0] * a / 255u) << 16) | ((p[1] * a / 255u) << 8) | (p[2] * a / 255u);
    }
    const choro::render::ArgbView view{
        reinterpret_cast<const unsigned char*>(words.data()), image.width, image.height, image.width * 4};
    time_encoder(state, [&] { return choro::render::encode_png(view, {.dpi = 0, .palette = true, .fast = true}); });
}
BENCHMARK(BM_ChoroFastFromCairo)->Unit(benchmark::kMillisecond);

void BM_Libpng(benchmark::State& state) {
    const auto& image = national_image();
    const bool filters = state.range(0) != 0;
    time_encoder(state, [&] { return encode_libpng(image, 6, filters); });
    state.SetLabel(filters ? "adaptive filters" : "no filters");
}
BENCHMARK(BM_Libpng)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
