// choro render: one map to PNG, SVG or PDF.

#include <filesystem>
#include <memory>
#include <set>

#include "commands.hpp"
#include "job_flags.hpp"
#include "progress.hpp"
#include "report.hpp"

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/geo/join.hpp"
#include "choro/geo/projection.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/map.hpp"

namespace choro::cli {

namespace {

void run_render(const JobFlags& flags, bool quiet) {
    const styles::Job job = make_job(flags);
    if (job.outputs.empty()) {
        throw JobError(
            job.path, 0, 0, "no output: give -o FILE with .png, .svg or .pdf (or output = \"…\" in the job)");
    }
    for (const auto& out : job.outputs) {
        (void)render::format_from_path(out);  // refuse a bad extension before any work
    }
    Progress progress(quiet);
    const pipeline::PreparedData data = prepare_with_progress(job, progress);

    progress.stage("projecting (" + job.map.projection + ")");
    const geo::Projection projection(job.map.projection);
    const pipeline::Scene scene = pipeline::build_scene(data, job, projection);
    progress.finish();

    const render::MapSize size{job.map.width, job.map.height, job.map.dpi};
    std::set<std::filesystem::path> reports;
    for (const auto& out : job.outputs) {
        progress.stage("drawing " + out);
        render::render_map(scene, job.style, size, out);
        progress.finish();
        reports.insert(join_report_path(out));
    }
    if (!job.values.source.empty()) {
        for (const auto& path : reports) {
            geo::write_file_atomic(path, geo::to_json(data.join.report));
            progress.info("join report: " + path.string());
        }
    }
}

}  // namespace

void add_render_command(CLI::App& app) {
    auto flags = std::make_shared<JobFlags>();
    auto quiet = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("render", "Render a choropleth map to PNG, SVG or PDF");
    cmd->footer(
        "Example:\n"
        "  choro render --boundaries counties-10m.json --layer counties --srs EPSG:4326 \\\n"
        "      --values counties.csv --values-key county_fips --value agreements \\\n"
        "      --method jenks --classes 5 --title \"287(g) agreements\" -o map.png\n"
        "The join report is written beside the first output as <name>.join.json.");
    add_job_flags(cmd, *flags);
    cmd->add_flag("-q,--quiet", *quiet, "Print only errors");
    cmd->callback([flags, quiet] { run_render(*flags, *quiet); });
}

}  // namespace choro::cli
