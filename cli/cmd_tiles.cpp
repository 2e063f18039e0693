// choro tiles: a Web Mercator tile pyramid of the job's map; choro merge: join sharded parts.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "job_flags.hpp"
#include "progress.hpp"
#include "report.hpp"
#include <unistd.h>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/render/pipeline.hpp"
#include "choro/render/tiles.hpp"
#include "choro/styles/legend.hpp"

namespace choro::cli {

namespace {

namespace fs = std::filesystem;

struct TileFlags {
    std::string zoom;
    std::string bbox;
    int scale = 0;
    int metatile = 0;
    std::string shard;
    unsigned threads = 0;
    std::string leaflet;
    bool quiet = false;
};

[[noreturn]] void bad_flag(const std::string& flag, const std::string& what) {
    throw JobError("command line", 0, 0, flag + ": " + what);
}

int parse_int(const std::string& flag, const std::string& text) {
    std::size_t used = 0;
    int v = 0;
    try {
        v = std::stoi(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size()) {
        bad_flag(flag, "'" + text + "' is not a whole number");
    }
    return v;
}

// "0-7" or "5".
void parse_zoom(const std::string& text, int& lo, int& hi) {
    const auto dash = text.find('-');
    if (dash == std::string::npos) {
        lo = hi = parse_int("--zoom", text);
    } else {
        lo = parse_int("--zoom", text.substr(0, dash));
        hi = parse_int("--zoom", text.substr(dash + 1));
    }
    if (lo < 0 || lo > hi) {
        bad_flag("--zoom", "'" + text + "' is not a zoom range: expected MIN-MAX with 0 <= MIN <= MAX <= 22");
    }
    if (hi > styles::limits::max_zoom) {
        // A well-formed request for more than choro renders: the limit exit code, as in a job file.
        throw LimitError("--zoom " + text + ": zoom " + std::to_string(hi) +
                         " is beyond the deepest zoom choro renders (" + std::to_string(styles::limits::max_zoom) +
                         ")");
    }
}

geo::Box<geo::LonLat> parse_bbox(const std::string& text) {
    std::vector<double> v;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        try {
            std::size_t used = 0;
            v.push_back(std::stod(part, &used));
            if (used != part.size()) {
                throw std::invalid_argument(part);
            }
        } catch (const std::exception&) {
            bad_flag("--bbox", "'" + part + "' is not a number (expected W,S,E,N in degrees)");
        }
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    if (v.size() != 4 || v[0] >= v[2] || v[1] >= v[3] || v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90) {
        bad_flag("--bbox", "'" + text + "' is not W,S,E,N with W < E, S < N within -180..180 and -90..90");
    }
    geo::Box<geo::LonLat> b;
    b.min = {v[0], v[1]};
    b.max = {v[2], v[3]};
    return b;
}

// "--shard i/N", else Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX with JOB_COMPLETIONS set in the
// manifest), else Slurm arrays (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT).
void resolve_shard(const std::string& flag, int& index, int& count) {
    index = 0;
    count = 1;
    auto env = [](const char* name) -> std::string {
        const char* v = std::getenv(name);
        return v ? v : "";
    };
    std::string where = "--shard";
    if (!flag.empty()) {
        const auto slash = flag.find('/');
        if (slash == std::string::npos) {
            bad_flag(where, "'" + flag + "' is not i/N");
        }
        index = parse_int(where, flag.substr(0, slash));
        count = parse_int(where, flag.substr(slash + 1));
    } else if (!env("JOB_COMPLETION_INDEX").empty()) {
        where = "JOB_COMPLETION_INDEX";
        index = parse_int(where, env("JOB_COMPLETION_INDEX"));
        if (env("JOB_COMPLETIONS").empty()) {
            bad_flag(where, "set JOB_COMPLETIONS to the Job's completions in the manifest");
        }
        count = parse_int("JOB_COMPLETIONS", env("JOB_COMPLETIONS"));
    } else if (!env("SLURM_ARRAY_TASK_ID").empty()) {
        where = "SLURM_ARRAY_TASK_ID";
        const int min =
            env("SLURM_ARRAY_TASK_MIN").empty() ? 0 : parse_int("SLURM_ARRAY_TASK_MIN", env("SLURM_ARRAY_TASK_MIN"));
        index = parse_int(where, env("SLURM_ARRAY_TASK_ID")) - min;
        count = parse_int("SLURM_ARRAY_TASK_COUNT", env("SLURM_ARRAY_TASK_COUNT"));
    }
    if (count < 1 || index < 0 || index >= count) {
        bad_flag(where, "shard " + std::to_string(index) + "/" + std::to_string(count) + " is not 0 <= i < N");
    }
}

// Leaflet for the preview: --leaflet, $CHORO_LEAFLET, else node_modules/leaflet/dist in the working
// directory or in tests/js of the checkout holding this executable.
fs::path find_leaflet(const std::string& flag) {
    if (!flag.empty()) {
        return flag;
    }
    if (const char* env = std::getenv("CHORO_LEAFLET")) {
        return env;
    }
    std::vector<fs::path> roots{fs::current_path()};
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    for (fs::path p = exe.parent_path(); !ec && !p.empty() && p != p.root_path(); p = p.parent_path()) {
        roots.push_back(p);
    }
    for (const auto& r : roots) {
        for (const fs::path rel : {"node_modules/leaflet/dist", "tests/js/node_modules/leaflet/dist"}) {
            if (fs::exists(r / rel / "leaflet.js")) {
                return r / rel;
            }
        }
    }
    return {};
}

void run_tiles(const JobFlags& flags, const TileFlags& tf) {
    styles::Job job = make_job(flags);
    if (job.outputs.empty()) {
        throw JobError(job.path, 0, 0, "no output: give -o DIR, FILE.mbtiles or FILE.pmtiles");
    }
    render::TileOptions options;
    options.min_zoom = job.tiles.min_zoom;
    options.max_zoom = job.tiles.max_zoom;
    if (!tf.zoom.empty()) {
        parse_zoom(tf.zoom, options.min_zoom, options.max_zoom);
    }
    if (!tf.bbox.empty()) {
        options.bbox = parse_bbox(tf.bbox);
    } else if (job.tiles.bbox && job.tiles.bbox->size() == 4) {
        const auto& b = *job.tiles.bbox;
        options.bbox.min = {b[0], b[1]};
        options.bbox.max = {b[2], b[3]};
    }
    options.scale = tf.scale != 0 ? tf.scale : job.tiles.scale;
    options.metatile = tf.metatile != 0 ? tf.metatile : job.tiles.metatile;
    options.threads = tf.threads;
    resolve_shard(tf.shard, options.shard_index, options.shard_count);
    if (options.scale != 1 && options.scale != 2) {
        bad_flag("--scale", std::to_string(options.scale) + " is not 1 or 2");
    }
    for (const auto& out : job.outputs) {
        if (options.shard_count > 1 && render::tile_format_from_path(out) == render::TileFormat::folder) {
            bad_flag("--shard", "shards write MBTiles parts: give -o FILE.mbtiles or FILE.pmtiles");
        }
    }

    check_tile_outputs(job, flags.job_file);  // report.hpp: no output over an input, no folder over a file
    Progress progress(tf.quiet);
    const render::PreparedData data = prepare_with_progress(job, progress);
    progress.stage("projecting to Web Mercator");
    const render::TileScene scene = render::build_tile_scene(data);
    progress.finish(std::to_string(scene.features.size()) + " features");

    render::TilesetInfo info;
    info.name = !job.map.title.empty() ? job.map.title : fs::path(job.outputs.front()).stem().string();
    info.description = job.map.subtitle;
    info.attribution = job.map.source_note;
    info.legend_json = styles::legend_json(job.map.legend_title, data.legend);
    for (const auto& out : job.outputs) {
        progress.stage("tiles " + out +
                       (options.shard_count > 1 ? " (shard " + std::to_string(options.shard_index) + "/" +
                                                      std::to_string(options.shard_count) + ")"
                                                : ""));
        auto opts = options;
        opts.progress = [&progress](const render::TileProgress& p) {
            progress.bar(static_cast<std::size_t>(p.done), static_cast<std::size_t>(p.total), "tiles");
        };
        const auto stats = render::render_tiles(scene, job.style, opts, out, info);
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
        if (options.shard_count > 1) {
            progress.info("part: " + render::shard_part_path(out, options.shard_index, options.shard_count).string());
            continue;
        }
        if (render::tile_format_from_path(out) == render::TileFormat::folder) {
            info.min_zoom = opts.min_zoom;
            info.max_zoom = opts.max_zoom;
            info.scale = opts.scale;
            info.bounds = opts.bbox.empty() ? scene.bounds : opts.bbox;
            const fs::path leaflet = find_leaflet(tf.leaflet);
            if (leaflet.empty()) {
                progress.warn("no Leaflet found (npm ci --prefix tests/js, or --leaflet DIR): index.html not written");
                geo::write_file_atomic(fs::path(out) / "tiles.json", render::tilejson(info, "{z}/{x}/{y}.png"));
            } else {
                render::write_preview(out, info, "{z}/{x}/{y}.png", leaflet);
                progress.info("preview: " + (fs::path(out) / "index.html").string());
            }
        }
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
        "Outputs: DIR (z/x/y.png + tiles.json + index.html), FILE.mbtiles, FILE.pmtiles.\n"
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
    cmd->add_option("--leaflet", tf->leaflet, "npm leaflet/dist folder for the preview page");
    cmd->add_flag("-q,--quiet", tf->quiet, "Print only errors");
    cmd->callback([flags, tf] { run_tiles(*flags, *tf); });
}

void add_merge_command(CLI::App& app) {
    auto parts = std::make_shared<std::vector<std::string>>();
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("merge", "Join the MBTiles parts of a sharded `choro tiles` run");
    cmd->footer("Example:\n  choro merge -o us.pmtiles us.pmtiles.part-*.mbtiles");
    cmd->add_option("-o,--out", *out, "The whole set: DIR, FILE.mbtiles or FILE.pmtiles")->required();
    cmd->add_option("parts", *parts, "The parts (all N of them)")->required();
    cmd->callback([parts, out] {
        std::vector<fs::path> paths(parts->begin(), parts->end());
        render::merge_tiles(paths, *out);
        std::fprintf(stderr, "merged %zu parts into %s\n", paths.size(), out->c_str());
    });
}

}  // namespace choro::cli
