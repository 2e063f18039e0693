#include "report.hpp"

namespace choro::cli {

namespace {

// A boundary file can have hundreds of small repairs (quantized TopoJSON has many): show the
// first few lines and count the rest, so the warnings that matter stay visible.
void warn_some(Progress& progress, const std::vector<std::string>& warnings, const geo::ReadStats& stats) {
    constexpr std::size_t shown = 5;
    for (std::size_t i = 0; i < warnings.size() && i < shown; ++i) {
        progress.warn(warnings[i]);
    }
    if (warnings.size() > shown) {
        progress.warn("… and " + std::to_string(warnings.size() - shown) + " more (" + std::to_string(stats.repaired) +
                      " polygons repaired, " + std::to_string(stats.rewound) + " rings rewound, " +
                      std::to_string(stats.empty_geometries) + " empty geometries in all)");
    }
}

}  // namespace

namespace {

void report_join(const styles::Job& job,
                 Progress& progress,
                 const geo::Layer& layer,
                 const std::optional<geo::Layer>& overlay,
                 const geo::JoinReport& report) {
    warn_some(progress, layer.stats.warnings, layer.stats);
    if (overlay) {
        warn_some(progress, overlay->stats.warnings, overlay->stats);
    }
    if (!job.values.source.empty()) {
        for (const auto& w : report.warnings) {
            progress.warn(w);
        }
        progress.info(geo::summary(report));
    }
}

}  // namespace

pipeline::JoinedData join_with_progress(const styles::Job& job, Progress& progress) {
    progress.stage("reading and joining");
    pipeline::JoinedData data = pipeline::join_values(job);
    progress.finish(std::to_string(data.layer.features.size()) + " features");
    report_join(job, progress, data.layer, data.overlay, data.join.report);
    return data;
}

pipeline::PreparedData prepare_with_progress(const styles::Job& job, Progress& progress) {
    progress.stage("reading, joining and classifying");
    pipeline::PreparedData data = pipeline::prepare(job);
    progress.finish(std::to_string(data.layer.features.size()) + " features");
    report_join(job, progress, data.layer, data.overlay, data.join.report);
    for (const auto& w : data.breaks.warnings) {
        progress.warn(w);
    }
    for (const auto& u : data.highlights.unmatched) {
        progress.warn("highlight: " + u);
    }
    return data;
}

std::filesystem::path join_report_path(const std::filesystem::path& output) {
    std::filesystem::path p = output;
    p.replace_extension(".join.json");
    return p;
}

}  // namespace choro::cli
