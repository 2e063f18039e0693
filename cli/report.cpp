#include "report.hpp"

namespace choro::cli {

render::PreparedData prepare_with_progress(const styles::Job& job, Progress& progress) {
    progress.stage("reading, joining and classifying");
    render::PreparedData data = render::prepare(job);
    progress.finish(std::to_string(data.layer.features.size()) + " features");
    for (const auto& w : data.layer.stats.warnings) {
        progress.warn(w);
    }
    if (data.overlay) {
        for (const auto& w : data.overlay->stats.warnings) {
            progress.warn(w);
        }
    }
    if (!job.values.source.empty()) {
        for (const auto& w : data.join.report.warnings) {
            progress.warn(w);
        }
        progress.info(geo::summary(data.join.report));
    }
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
