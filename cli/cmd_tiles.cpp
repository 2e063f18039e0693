// choro tiles: a Web Mercator tile pyramid of the job's map; choro merge: join sharded parts.

#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "job_flags.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "shard.hpp"
#include <unistd.h>

#include "choro/geo/error.hpp"
#include "choro/geo/projection.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/render/tiles.hpp"
#include "choro/render/web_map.hpp"
#include "choro/styles/legend.hpp"
#include "choro/styles/settings.hpp"

namespace choro::cli {

namespace {

namespace fs = std::filesystem;

struct TileFlags {
    std::string zoom;
    std::string bbox;
    std::optional<int> scale;     // unset: the job's
    std::optional<int> metatile;  // unset: the job's
    std::string shard;
    std::optional<int> threads;
    std::string base_url;
    std::string png_level;  // empty or "fast": igzip; else libdeflate's level
    bool vector = false;
    bool quiet = false;
};

[[noreturn]] void bad_flag(const std::string& flag, const std::string& what) {
    styles::bad_setting(styles::Origin::of_flag(flag), what);
}

// --format (the job flag that names -o -'s format for render) names the tile format here: takes it
// out of `flags` and says whether the tiles are vector tiles.
bool take_tile_format(JobFlags& flags, const TileFlags& tf) {
    const std::string format = flags.format;
    flags.format.clear();
    if (!format.empty() && format != "png" && format != "mvt" && format != "pbf") {
        bad_flag("--format", "'" + format + "' is not a tile format: png (raster) or mvt (vector tiles)");
    }
    if (tf.vector && format == "png") {
        bad_flag("--format", "png contradicts --vector");
    }
    const bool vector = tf.vector || format == "mvt" || format == "pbf";
    if (vector && !tf.png_level.empty()) {
        bad_flag("--png-level", "sets the compression of PNG tiles; vector tiles (--format mvt) have none");
    }
    return vector;
}

// The pyramid's settings: the tile flags over the job's [tiles]. Every flag is checked by the code
// that checks the job file's [tiles] (styles/settings.hpp).
render::TileOptions tile_options(const styles::Job& job, const TileFlags& tf) {
    using styles::Origin;
    const geo::ZoomRange zoom =
        tf.zoom.empty() ? job.tiles.zoom : styles::parse_zoom(tf.zoom, Origin::of_flag("--zoom"));
    render::TileOptions options;
    options.min_zoom = zoom.min;
    options.max_zoom = zoom.max;
    if (!tf.bbox.empty()) {
        options.bbox = styles::parse_bbox(tf.bbox, Origin::of_flag("--bbox"), true);
    } else if (job.tiles.bbox) {
        options.bbox = *job.tiles.bbox;
    }
    if (options.bbox.min.x > options.bbox.max.x) {
        options.bbox.max.x += 360.0;  // across 180°: the pyramid renders 170..230 as 170..180 and -180..-130
    }
    const auto flag_int =
        [](const std::optional<int>& v, const styles::IntRange& range, const char* flag, int fallback) {
            return v ? static_cast<int>(styles::check_range(range, *v, Origin::of_flag(flag))) : fallback;
        };
    options.scale = flag_int(tf.scale, styles::ranges::scale, "--scale", job.tiles.scale);
    options.metatile = flag_int(tf.metatile, styles::ranges::metatile, "--metatile", job.tiles.metatile);
    options.threads = static_cast<unsigned>(flag_int(tf.threads, styles::ranges::threads, "--threads", 0));
    if (!tf.png_level.empty() && tf.png_level != "fast") {
        if (tf.png_level.find_first_not_of("0123456789") != std::string::npos) {
            bad_flag("--png-level", "'" + tf.png_level + "' is not a level: expected fast or 1 to 12");
        }
        options.png_level = static_cast<int>(
            styles::parse_int(tf.png_level, styles::ranges::png_level, Origin::of_flag("--png-level")));
    }
    resolve_shard(tf.shard, options.shard_index, options.shard_count);
    for (const auto& out : job.outputs) {
        if (options.shard_count > 1 && render::tile_format_from_path(out) == render::TileFormat::folder) {
            bad_flag("--shard", "shards write MBTiles parts: give -o FILE.mbtiles or FILE.pmtiles");
        }
    }
    return options;
}

// What the outputs say about themselves: the map's title, subtitle, source note and legend.
render::TilesetInfo tileset_info(const styles::Job& job, const pipeline::PreparedData& data, const TileFlags& tf) {
    render::TilesetInfo info;
    info.name = !job.map.title.empty() ? job.map.title : fs::path(job.outputs.front()).stem().string();
    info.description = job.map.subtitle;
    info.attribution = job.map.source_note;
    info.legend_title = styles::legend_title(job);
    info.legend = data.legend;
    info.base_url = tf.base_url;
    return info;
}

// The summary line of one output, the vector tiles' sizes, and where the part or preview is.
void report_tiles(Progress& progress,
                  const render::TileStats& stats,
                  const render::TileOptions& options,
                  const std::string& out,
                  bool vector) {
    char detail[256];
    std::snprintf(detail,
                  sizeof detail,
                  "%llu tiles, %llu stored (%llu one colour), %llu empty, %llu resumed, %.0f tiles/s",
                  static_cast<unsigned long long>(stats.tiles),
                  static_cast<unsigned long long>(stats.written),
                  static_cast<unsigned long long>(stats.solid),
                  static_cast<unsigned long long>(stats.empty),
                  static_cast<unsigned long long>(stats.resumed),
                  stats.seconds > 0 ? static_cast<double>(stats.tiles) / stats.seconds : 0.0);
    progress.finish(detail);
    if (vector) {
        progress.info("largest tile " + std::to_string(stats.max_bytes / 1000) + " kB (before gzip)");
        if (stats.coarsened > 0) {
            // Said even with --quiet: the tiles hold less detail than asked for.
            std::fprintf(stderr,
                         "choro: %llu vector tiles were over %zu kB and were simplified further to fit\n",
                         static_cast<unsigned long long>(stats.coarsened),
                         render::VectorTileOptions{}.max_tile_bytes / 1000);
        }
    }
    if (options.shard_count > 1) {
        progress.info("part: " + stats.path.string());
    } else if (!vector && render::tile_format_from_path(out) == render::TileFormat::folder) {
        progress.info("preview: " + (stats.path / "index.html").string());
    }
}

// The tiles of one output, with a progress bar, then style.json and a MapLibre page beside them.
void write_output(const std::string& out,
                  const pipeline::Scene& scene,
                  const styles::Job& job,
                  const render::TileOptions& options,
                  const render::TilesetInfo& info,
                  bool vector,
                  Progress& progress) {
    progress.stage("tiles " + out +
                   (options.shard_count > 1 ? " (shard " + std::to_string(options.shard_index) + "/" +
                                                  std::to_string(options.shard_count) + ")"
                                            : ""));
    auto opts = options;
    opts.progress = [&progress](const render::TileProgress& p) {
        progress.bar(static_cast<std::size_t>(p.done), static_cast<std::size_t>(p.total), "tiles");
    };
    const auto stats = vector ? render::render_vector_tiles(scene, opts, out, info)
                              : render::render_tiles(scene, job.style, opts, out, info);
    report_tiles(progress, stats, options, out, vector);
    if (options.shard_count == 1) {  // style.json and a MapLibre page beside the tiles (web_map.hpp)
        const auto page = render::write_web_map(
            out, scene, job.style, stats.tileset, vector ? render::TileKind::vector : render::TileKind::raster);
        if (!page.empty()) {
            progress.info("web map: " + page.string() + " (serve its folder over HTTP)");
        }
    }
}

void run_tiles(const JobFlags& given, const TileFlags& tf) {
    JobFlags flags = given;
    const bool vector = take_tile_format(flags, tf);
    styles::Job job = make_job(flags);
    if (job.outputs.empty()) {
        throw JobError(job.path, 0, 0, "no output: give -o DIR, FILE.mbtiles or FILE.pmtiles");
    }
    const render::TileOptions options = tile_options(job, tf);

    check_tile_outputs(job, flags.job_file);  // report.hpp: no output over an input, no folder over a file
    keep_freed_memory(options.threads);
    Progress progress(tf.quiet);
    // On more than one thread PROJ is loaded and the projections built beside the reading, and a
    // second projection projects half the features (as `choro render` does); on one, in turn.
    std::future<Projections> projecting;
    if (options.threads != 1) {
        projecting = start_projections("web-mercator");
    }
    const pipeline::PreparedData data = prepare_with_progress(job, progress);
    progress.stage("projecting to Web Mercator");
    auto [projection, helper] = projecting.valid() ? projecting.get() : Projections{};
    if (!projection) {
        projection = std::make_unique<geo::Projection>("web-mercator");
    }
    const pipeline::Scene scene = pipeline::build_scene(data, job, *projection, helper.get());
    progress.finish(std::to_string(scene.features.size()) + " features");

    const render::TilesetInfo info = tileset_info(job, data, tf);
    for (const auto& out : job.outputs) {
        write_output(out, scene, job, options, info, vector, progress);
    }
}

}  // namespace

void add_tiles_command(CLI::App& app) {
    auto flags = std::make_shared<JobFlags>();
    auto tf = std::make_shared<TileFlags>();
    CLI::App* cmd = app.add_subcommand("tiles", "Render a Web Mercator tile pyramid (folder, MBTiles or PMTiles)");
    cmd->footer(
        "Example:\n"
        "  choro tiles job.toml --zoom 0-7 -o out/tiles/us-counties.pmtiles\n"
        "  choro tiles job.toml --zoom 0-10 --format mvt -o out/tiles/us-counties-vector.pmtiles\n"
        "Outputs: DIR (z/x/y.png + tiles.json + index.html), FILE.mbtiles, FILE.pmtiles. A folder\n"
        "run replaces an earlier tile folder whole and refuses a folder holding anything else.\n"
        "Scale-out: --shard i/N (or JOB_COMPLETION_INDEX + JOB_COMPLETIONS, or SLURM_ARRAY_TASK_ID +\n"
        "SLURM_ARRAY_TASK_COUNT) writes OUT.part-iiii-of-NNNN.mbtiles; join them with `choro merge`.\n"
        "A killed run resumes where it stopped when started again with the same arguments.");
    add_job_flags(cmd, *flags);
    cmd->add_option("--zoom", tf->zoom, "Zoom range MIN-MAX (default from the job, else 0-7)");
    cmd->add_option("--bbox", tf->bbox, "Area W,S,E,N in degrees (default: the data's bounds)");
    cmd->add_option("--scale", tf->scale, "1 = 256 px tiles, 2 = 512 px");
    cmd->add_option("--metatile", tf->metatile, "Metatile side in tiles (default 8)");
    cmd->add_option("--shard", tf->shard, "Render part i of N (0-based), e.g. 2/8");
    cmd->add_option("--threads", tf->threads, "Worker threads (default: all cores)");
    cmd->add_option("--png-level",
                    tf->png_level,
                    "PNG compression: fast (default; igzip) or 1-12 (libdeflate; 6 as zlib's default, 12 smallest)");
    cmd->add_option("--base-url", tf->base_url, "Where a folder will be served (makes tiles.json's URLs absolute)");
    cmd->add_flag("--vector", tf->vector, "Vector tiles (Mapbox Vector Tiles 2.1), same as --format mvt");
    cmd->add_flag("-q,--quiet", tf->quiet, "Print only errors");
    cmd->callback([flags, tf] { run_tiles(*flags, *tf); });
}

void add_merge_command(CLI::App& app) {
    auto parts = std::make_shared<std::vector<std::string>>();
    auto out = std::make_shared<std::string>();
    auto base_url = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("merge", "Join the MBTiles parts of a sharded `choro tiles` run");
    cmd->footer("Example:\n  choro merge -o us.pmtiles us.pmtiles.part-*.mbtiles");
    cmd->add_option("-o,--out", *out, "The whole set: DIR, FILE.mbtiles or FILE.pmtiles")->required();
    cmd->add_option("parts", *parts, "The parts (all N of them)")->required();
    cmd->add_option("--base-url", *base_url, "Where a folder will be served (makes tiles.json's URLs absolute)");
    cmd->callback([parts, out, base_url] {
        std::vector<fs::path> paths(parts->begin(), parts->end());
        (void)render::merge_tiles(paths, *out, *base_url);
        std::fprintf(stderr, "merged %zu parts into %s\n", paths.size(), out->c_str());
    });
}

}  // namespace choro::cli
