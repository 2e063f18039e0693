// The alt text and data table beside every map, for render and batch alike.

#include "companions.hpp"

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/layer_cache.hpp"
#include "choro/pipeline/batch.hpp"
#include "choro/render/describe.hpp"

namespace choro::cli {

MapWords describe_map(const pipeline::Scene& scene, const std::string& as_of) {
    return {render::alt_text(scene, as_of), render::data_csv(scene)};
}

std::filesystem::path companion_path(const std::filesystem::path& output, const char* extension) {
    std::filesystem::path p = output;
    p.replace_extension(extension);
    return p;
}

void write_companions(const std::filesystem::path& output, const MapWords& words) {
    geo::write_file_atomic(companion_path(output, ".alt.txt"), words.alt + "\n");
    geo::write_file_atomic(companion_path(output, ".data.csv"), words.table);
}

void add_batch_companions(nlohmann::ordered_json& files,
                          const std::filesystem::path& dir,
                          const std::string& rel,
                          const MapWords& words,
                          const pipeline::Scene& scene,
                          const styles::StyleSettings& style,
                          const render::MapSize& size) {
    write_companions(dir / rel, words);
    const auto add = [&](const char* format, const char* extension, const std::string& bytes) {
        files.push_back(
            {{"format", format},
             {"path", companion_path(rel, extension).generic_string()},
             {"xxh3", geo::content_hash(bytes)},
             {"fingerprint", pipeline::scene_fingerprint(scene, style, size.width, size.height, size.dpi, format)}});
    };
    add("alt", ".alt.txt", words.alt + "\n");
    add("csv", ".data.csv", words.table);
}

}  // namespace choro::cli
