#include "report.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <thread>

#include "job_flags.hpp"
#include <malloc.h>

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"

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
        // Per-row warnings can run to thousands: the first few, then a count; the join report
        // written beside the output (or printed by `choro join`) lists them all.
        const auto& warnings = report.warnings;
        constexpr std::size_t shown = 5;
        for (std::size_t i = 0; i < warnings.size() && i < shown; ++i) {
            progress.warn(warnings[i]);
        }
        if (warnings.size() > shown) {
            progress.warn("… and " + std::to_string(warnings.size() - shown) +
                          " more warnings about the values (all of them are in the join report)");
        }
        progress.info(geo::summary(report));
        if (report.weak) {
            progress.warn("fewer than half of the features joined (" + std::to_string(report.matched) + " of " +
                          std::to_string(report.features) +
                          "); most of the map shows no data (drawn because --min-match allows it)");
        }
        for (const auto& h : report.hints) {
            progress.warn("hint: " + h);
        }
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

namespace {

[[noreturn]] void bad_flag(const std::string& flag, const std::string& what) {
    throw JobError(flag, 0, 0, what);
}

double parse_share(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(v) || v < 0.0 || v > 1.0) {
        bad_flag("--min-match", "'" + text + "' is not a share between 0 and 1 (e.g. 0.9)");
    }
    return v;
}

std::uint64_t parse_bytes(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end == text.c_str() || !std::isfinite(v) || v <= 0.0) {
        bad_flag("--max-memory", "'" + text + "' is not a positive size (e.g. 2G, 512M)");
    }
    std::string unit(end);
    for (auto& c : unit) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    double factor = 1.0;
    if (unit == "K" || unit == "KB" || unit == "KIB") {
        factor = 1024.0;
    } else if (unit == "M" || unit == "MB" || unit == "MIB") {
        factor = 1024.0 * 1024.0;
    } else if (unit == "G" || unit == "GB" || unit == "GIB") {
        factor = 1024.0 * 1024.0 * 1024.0;
    } else if (unit == "T" || unit == "TB" || unit == "TIB") {
        factor = 1024.0 * 1024.0 * 1024.0 * 1024.0;
    } else if (!unit.empty() && unit != "B") {
        bad_flag("--max-memory", "unknown unit '" + std::string(end) + "' (expected K, M, G or T)");
    }
    const double bytes = v * factor;
    if (bytes < 1024.0 * 1024.0 || bytes > 1e15) {
        bad_flag("--max-memory", "'" + text + "' is outside 1M–1000T");
    }
    return static_cast<std::uint64_t>(bytes);
}

void check_text(const std::string& what, const std::string& text) {
    if (text.size() > geo::input_limits::max_text_bytes) {
        throw LimitError(what + ": " + std::to_string(text.size()) + " bytes of text is beyond the limit of " +
                         std::to_string(geo::input_limits::max_text_bytes) + " bytes");
    }
}

}  // namespace

std::future<Projections> start_projections(const std::string& spec) {
    return std::async(std::launch::async, [spec] {
        const auto start = std::chrono::steady_clock::now();
        auto first = std::make_unique<geo::Projection>(spec);
        std::unique_ptr<geo::Projection> second;
        if (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(60)) {
            second = std::make_unique<geo::Projection>(spec);
        }
        return std::make_pair(std::move(first), std::move(second));
    });
}

void keep_freed_memory(unsigned threads) {
    if (threads == 1 || (threads == 0 && std::thread::hardware_concurrency() <= 1)) {
        return;
    }
    // Freed memory stays in the heap (256 MB before the top is trimmed) and blocks up to 32 MB
    // come from it rather than from mappings of their own, unmapped when freed. A hint: a malloc
    // that ignores it (a sanitizer's) changes nothing but the speed.
    (void)::mallopt(M_TRIM_THRESHOLD, 256 << 20);
    (void)::mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

void write_stdout(std::string_view bytes) {
    errno = 0;
    const std::size_t n = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    int err = errno;
    const bool flushed = std::fflush(stdout) == 0;
    if (err == 0) {
        err = errno;
    }
    if (n != bytes.size() || !flushed || std::ferror(stdout) != 0) {
        throw RenderError(
            "standard output",
            "cannot write: " + (err != 0 ? std::generic_category().message(err) : std::string("write error")));
    }
}

void check_job_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return;  // parse_job_file says it is a folder
    }
    try {
        geo::check_input_file(path, geo::input_limits::max_job_bytes, "job file");
    } catch (const InputError& e) {
        throw JobError(path, 0, 0, e.reason());
    }
}

void apply_robust_flags(const JobFlags& f, styles::Job& job) {
    if (!f.min_match.empty()) {
        job.values.min_match = parse_share(f.min_match);
    }
    if (!f.decimal.empty()) {
        job.values.decimal = f.decimal;
    }
    if (!f.thousands.empty()) {
        job.values.thousands = f.thousands == "space" ? " " : f.thousands;
    }
    if (!f.number_format.empty()) {
        job.values.number_format = f.number_format;
    }
    if (!f.delimiter.empty()) {
        job.values.delimiter = f.delimiter == "\\t" ? "tab" : f.delimiter;
    }
    if (!f.format.empty()) {
        if (f.format != "png" && f.format != "svg" && f.format != "pdf") {
            bad_flag("--format", "'" + f.format + "' is not png, svg or pdf");
        }
        job.map.format = f.format;
    }
    if (!f.max_memory.empty()) {
        job.map.max_memory = parse_bytes(f.max_memory);
    }
    check_text("title", job.map.title);
    check_text("subtitle", job.map.subtitle);
    check_text("source note", job.map.source_note);
    check_text("legend title", job.map.legend_title);
    for (const auto& n : job.map.notes) {
        check_text("note", n);
    }
    if (job.map.notes.size() > 1000) {
        throw LimitError("notes: " + std::to_string(job.map.notes.size()) + " note lines is beyond the limit of 1000");
    }
}

std::uint64_t raster_memory_estimate(int width, int height) {
    const auto pixels =
        static_cast<std::uint64_t>(std::max(width, 0)) * static_cast<std::uint64_t>(std::max(height, 0));
    return pixels * raster_bytes_per_pixel + (std::uint64_t{96} << 20);  // + libraries, fonts, data
}

void check_canvas_memory(const styles::Job& job) {
    bool raster = job.map.format == "png";
    for (const auto& out : job.outputs) {
        auto ext = std::filesystem::path(out).extension().string();
        for (auto& c : ext) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        raster = raster || ext == ".png";
    }
    if (!raster) {
        return;
    }
    const std::uint64_t need = raster_memory_estimate(job.map.width, job.map.height);
    if (need > job.map.max_memory) {
        const auto mib = [](std::uint64_t b) { return std::to_string((b + (1u << 20) - 1) >> 20) + " MiB"; };
        throw LimitError("a " + std::to_string(job.map.width) + "×" + std::to_string(job.map.height) +
                         " PNG needs about " + mib(need) + " of memory, above the budget of " +
                         mib(job.map.max_memory) + "; give --max-memory " + mib(need).substr(0, mib(need).size() - 4) +
                         "M to allow it, or draw a smaller map (or SVG/PDF)");
    }
}

void check_outputs_are_not_inputs(const styles::Job& job,
                                  const std::string& job_file,
                                  const std::vector<std::filesystem::path>& outputs) {
    namespace fs = std::filesystem;
    std::vector<std::string> inputs;
    const auto add = [&](const std::string& p) {
        if (!p.empty() && p != "-" && p.rfind("/vsi", 0) != 0) {
            inputs.push_back(styles::expand_path(p, job.data_dir));
        }
    };
    add(job_file);
    const auto add_source = [&](const std::string& p) {
        add(p);
        auto ext = fs::path(p).extension().string();
        for (auto& c : ext) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (ext == ".shp") {  // a shapefile is several files
            for (const char* part : {".shx", ".dbf", ".prj", ".cpg", ".SHX", ".DBF", ".PRJ", ".CPG"}) {
                add(fs::path(p).replace_extension(part).string());
            }
        }
    };
    add_source(job.boundaries.source);
    if (job.overlay) {
        add_source(job.overlay->source);
    }
    add(job.values.source);
    add(job.highlight.source);
    add(job.map.notes_file);
    const auto same = [](const fs::path& a, const fs::path& b) {
        std::error_code ec;
        if (fs::exists(a, ec) && fs::exists(b, ec)) {
            return fs::equivalent(a, b, ec) && !ec;
        }
        const auto ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
        const auto cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
        return !ec && ca == cb;
    };
    for (const auto& out : outputs) {
        if (out == "-") {
            continue;
        }
        for (const auto& in : inputs) {
            if (same(out, in)) {
                throw RenderError(out.string(),
                                  "this output would overwrite an input (" + in +
                                      "); choose another output name (nothing was written)");
            }
        }
    }
}

void check_tile_outputs(const styles::Job& job, const std::string& job_file) {
    std::vector<std::filesystem::path> outs;
    for (const auto& o : job.outputs) {
        outs.emplace_back(o);
    }
    check_outputs_are_not_inputs(job, job_file, outs);
    for (const auto& o : job.outputs) {
        auto ext = std::filesystem::path(o).extension().string();
        for (auto& c : ext) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::error_code ec;
        if (ext != ".mbtiles" && ext != ".pmtiles" && std::filesystem::exists(o, ec) &&
            !std::filesystem::is_directory(o, ec)) {
            throw RenderError(o,
                              "is a file, not a folder; a tile folder output needs a folder or a new name "
                              "(or give FILE.mbtiles or FILE.pmtiles)");
        }
    }
}

std::filesystem::path join_report_path(const std::filesystem::path& output) {
    std::filesystem::path p = output;
    p.replace_extension(".join.json");
    return p;
}

}  // namespace choro::cli
