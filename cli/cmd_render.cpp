// choro render: one map to PNG, SVG or PDF.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "companions.hpp"
#include "job_flags.hpp"
#include "progress.hpp"
#include "report.hpp"
#include <stdlib.h>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/clip.hpp"
#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/interrupt.hpp"
#include "choro/geo/join.hpp"
#include "choro/geo/projection.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/color_vision.hpp"

namespace choro::cli {

namespace {

std::string degrees(double v, char positive, char negative) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g° %c", std::abs(v), v < 0 ? negative : positive);
    return buf;
}

/// What the projection cuts before projecting, in words ("" when nothing is cut), so a reader of
/// the log knows why a country comes out in two pieces or half of the globe is missing.
std::string describe_cut(const geo::ClipSpec& clip) {
    std::string out;
    if (clip.kind == geo::ClipSpec::Kind::seam) {
        double seam = clip.lon_0 + 180.0;
        seam = seam > 180.0 ? seam - 360.0 : seam;
        out = "polygons cut at the seam, " + degrees(seam, 'E', 'W');
        if (clip.max_lat < 90.0) {
            out += ", and beyond " + degrees(clip.max_lat, 'N', 'S') + "/S";
        }
    } else if (clip.kind == geo::ClipSpec::Kind::cap) {
        char radius[32];
        std::snprintf(radius, sizeof radius, "%g°", clip.radius);
        out = std::string("clipped to what is visible: ") + radius + " around " + degrees(clip.lat_0, 'N', 'S') + ", " +
              degrees(clip.lon_0, 'E', 'W');
    }
    if (clip.extent) {
        out += std::string(out.empty() ? "" : "; ") + "clipped to the extent";
    }
    return out;
}

/// Draws into a private temporary folder (the renderer writes files) and copies the bytes to
/// standard output with every write checked; the folder goes whatever happens.
void render_to_stdout(const pipeline::Scene& scene,
                      const styles::Job& job,
                      const render::MapSize& size,
                      const std::string& alt) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    if (ec) {
        dir = "/tmp";
    }
    char name[] = "choro-stdout-XXXXXX";
    std::string tmpl = (dir / name).string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        throw RenderError(
            "standard output",
            "cannot create a temporary folder in " + dir.string() + ": " + std::generic_category().message(errno));
    }
    struct Remove {
        fs::path p;
        ~Remove() {
            std::error_code ignored;
            fs::remove_all(p, ignored);
        }
    } remove{tmpl};
    const fs::path file = fs::path(tmpl) / ("map." + job.map.format);
    render::render_map(scene, job.style, size, file, alt);
    std::string bytes;
    try {
        bytes = geo::read_input_file(file.string(), std::size_t{1} << 34, "drawn map");
    } catch (const InputError& e) {
        throw RenderError("standard output", e.reason());
    }
    write_stdout(bytes);
}

/// The files a run writes beside standard output (each output, its alt text and data table, the
/// join report), after refusing an output standard output cannot take or with a bad extension.
std::vector<std::filesystem::path> planned_files(const styles::Job& job) {
    if (job.outputs.empty()) {
        throw JobError(
            job.path, 0, 0, "no output: give -o FILE with .png, .svg or .pdf (or output = \"…\" in the job)");
    }
    std::vector<std::filesystem::path> written;
    for (const auto& out : job.outputs) {
        if (out == "-") {
            if (job.map.format.empty()) {
                throw JobError("-o -", 0, 0, "writing to standard output needs --format png, svg or pdf");
            }
            continue;  // no join report beside standard output
        }
        (void)render::format_from_path(out);  // refuse a bad extension before any work
        written.emplace_back(out);
        written.push_back(companion_path(out, ".alt.txt"));
        written.push_back(companion_path(out, ".data.csv"));
        if (!job.values.source.empty()) {
            written.push_back(join_report_path(out));
        }
    }
    return written;
}

/// Set-up that does not need the data, started before it is read: Pango's fontconfig, the PNG
/// canvas (its memory faulted in), both on threads of their own.
void start_setup(const styles::Job& job) {
    render::start_font_setup();
    const bool any_png = std::any_of(job.outputs.begin(), job.outputs.end(), [&](const std::string& out) {
        return out == "-" ? job.map.format == "png" : render::format_from_path(out) == render::Format::png;
    });
    if (any_png && !job.map.auto_height) {
        render::start_canvas_setup({job.map.width, job.map.height, job.map.dpi});
    }
}

/// Neighbouring classes a colour-blind reader could confuse (choro/styles/color_vision.hpp).
void warn_colour_vision(const pipeline::PreparedData& data, const styles::Job& job, Progress& progress) {
    std::vector<std::string> class_labels;
    for (std::size_t i = 0; i < data.breaks.size(); ++i) {
        class_labels.push_back(data.breaks.label(i));
    }
    for (const auto& w : styles::color_vision_warnings(data.colors.classes, job.style.palette, class_labels)) {
        progress.warn(w);
    }
}

/// Draws every output with its alt text and data table, then the join reports.
void draw_outputs(const styles::Job& job,
                  const pipeline::PreparedData& data,
                  const pipeline::Scene& scene,
                  const render::MapSize& size,
                  const MapWords& words,
                  Progress& progress) {
    std::set<std::filesystem::path> reports;
    for (const auto& out : job.outputs) {
        progress.stage("drawing " + (out == "-" ? std::string("to standard output") : out));
        if (out == "-") {
            render_to_stdout(scene, job, size, words.alt);
        } else {
            render::render_map(scene, job.style, size, out, words.alt);
            // Alt text and the data table beside every map (issue 10), the same for every format.
            write_companions(out, words);
            reports.insert(join_report_path(out));
        }
        progress.finish();
    }
    if (!job.values.source.empty()) {
        for (const auto& path : reports) {
            geo::write_file_atomic(path, geo::to_json(data.join.report));
            progress.info("join report: " + path.string());
        }
    }
}

void run_render(const JobFlags& flags, bool quiet, bool print_alt) {
    const styles::Job job = make_job(flags);
    check_outputs_are_not_inputs(job, flags.job_file, planned_files(job));
    check_canvas_memory(job);
    start_setup(job);  // in the background while the job is read and joined
    Progress progress(quiet);
    std::future<Projections> projecting = start_projections(job.map.projection);
    auto data_owner = std::make_unique<const pipeline::PreparedData>(prepare_with_progress(job, progress));
    const pipeline::PreparedData& data = *data_owner;
    geo::check_interrupted();
    warn_colour_vision(data, job, progress);

    progress.stage("projecting (" + job.map.projection + ")");
    auto [projected_by, helper] = projecting.get();
    const geo::Projection& projection = *projected_by;
    auto scene_owner =
        std::make_unique<const pipeline::Scene>(pipeline::build_scene(data, job, projection, helper.get()));
    const pipeline::Scene& scene = *scene_owner;
    progress.finish();
    if (const std::string cut = describe_cut(projection.clip()); !cut.empty()) {
        progress.info("projection: " + cut);
    }
    geo::check_interrupted();

    render::MapSize size{job.map.width, job.map.height, job.map.dpi};
    if (job.map.auto_height) {
        size = render::auto_height(scene, job.style, size);
        progress.info("height: " + std::to_string(size.height) + " px (--height auto)");
    }
    const MapWords words = describe_map(scene, job.highlight.as_of);
    // The last safe point: from here every output is drawn and committed, so a run either
    // leaves all previous outputs or writes all new ones (the drawing takes a moment).
    geo::check_interrupted();
    draw_outputs(job, data, scene, size, words, progress);
    if (print_alt) {
        write_stdout(words.alt + "\n");
    }
    // Done: the process ends as this returns. The scene, the data and the projections are left
    // to the OS to take back (freeing a national map's hundred thousand allocations and PROJ's
    // database took about 10 ms). Only on success: on an error they are freed as usual.
    leave_to_exit(std::move(scene_owner));
    leave_to_exit(std::move(projected_by));
    leave_to_exit(std::move(helper));
    leave_to_exit(std::move(data_owner));
}

}  // namespace

void add_render_command(CLI::App& app) {
    auto flags = std::make_shared<JobFlags>();
    auto quiet = std::make_shared<bool>(false);
    auto print_alt = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("render", "Render a choropleth map to PNG, SVG or PDF");
    cmd->footer(
        "Example:\n"
        "  choro render --boundaries counties-10m.json --layer counties --srs EPSG:4326 \\\n"
        "      --values counties.csv --values-key county_fips --value agreements \\\n"
        "      --method jenks --classes 5 --title \"287(g) agreements\" -o map.png\n"
        "The join report is written beside the first output as <name>.join.json; the alt text and the\n"
        "data table beside every output as <name>.alt.txt and <name>.data.csv.");
    add_job_flags(cmd, *flags);
    cmd->add_flag("-q,--quiet", *quiet, "Print only errors");
    cmd->add_flag("--alt-text",
                  *print_alt,
                  "Print the map's alt text (also written beside each output as <name>.alt.txt, with <name>.data.csv)");
    cmd->callback([flags, quiet, print_alt] { run_render(*flags, *quiet, *print_alt); });
}

}  // namespace choro::cli
