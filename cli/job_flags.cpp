#include "job_flags.hpp"

#include <filesystem>
#include <sstream>

#include <unistd.h>

#include "choro/geo/error.hpp"
#include "choro/geo/layer_cache.hpp"

namespace choro::cli {

namespace fs = std::filesystem;

void add_job_flags(CLI::App* cmd, JobFlags& f, bool with_outputs) {
    // A flag given twice takes its last value, so a wrapper script can append overrides.
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    cmd->add_option("job", f.job_file, "Job file (TOML); flags given here override its settings");
    cmd->add_option(
        "--data-dir", f.data_dir, "Folder that {data} in paths means (default: ../shared/data when present)");

    const std::string b = "Boundaries";
    cmd->add_option(
           "--boundaries", f.boundaries, "Boundary source: any OGR source (.shp, .gpkg, .geojson, TopoJSON, .zip)")
        ->group(b);
    cmd->add_option("--layer", f.layer, "Layer of the boundary source (default: the only or first layer)")->group(b);
    cmd->add_option("--key", f.key, "Boundary field holding the join key (default: 'id', else the feature id)")
        ->group(b);
    cmd->add_option("--name-field", f.name_field, "Boundary field with display names (default: name/NAME)")->group(b);
    cmd->add_option("--srs", f.srs, "CRS of boundary sources that have none, e.g. EPSG:4326")->group(b);
    cmd->add_option("--overlay", f.overlay, "Second boundary source drawn on top with heavier borders (e.g. states)")
        ->group(b);
    cmd->add_option("--overlay-layer", f.overlay_layer, "Layer of the overlay source")->group(b);
    cmd->add_option("--overlay-key", f.overlay_key, "Key field of the overlay (for state highlights)")->group(b);

    const std::string v = "Values";
    cmd->add_option("--values", f.values, "Value table: CSV or XLSX")->group(v);
    cmd->add_option("--sheet", f.sheet, "XLSX sheet (default: the first)")->group(v);
    cmd->add_option("--values-key", f.values_key, "Key column of the value table")->group(v);
    cmd->add_option("--value", f.value, "Numeric column to map")->group(v);
    f.count_option = cmd->add_flag("--count", f.count, "Map the number of rows per key instead of a column")->group(v);
    cmd->add_option("--duplicates", f.duplicates, "Rows sharing a key: error (default), first or sum")
        ->check(CLI::IsMember({"error", "first", "sum"}))
        ->group(v);
    cmd->add_option("--highlight", f.highlight, "Table of jurisdictions to highlight (holdouts)")->group(v);
    cmd->add_option("--highlight-key", f.highlight_key, "Key column of the highlight table (default: county_fips)")
        ->group(v);

    const std::string c = "Classification and style";
    cmd->add_option("--method", f.method, "quantile (default), equal, jenks, manual or categorical")
        ->check(CLI::IsMember({"quantile", "equal", "jenks", "manual", "categorical"}))
        ->group(c);
    cmd->add_option("--classes", f.classes, "Number of classes (1-12, default 5)")->group(c);
    cmd->add_option("--breaks", f.breaks, "Inner class edges for --method manual, e.g. 1,5,10")->group(c);
    cmd->add_option("--zero-class", f.zero, "Own class for zero: auto (default: for counts with zeros), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->group(c);
    cmd->add_option("--palette", f.palette, "ColorBrewer scheme, e.g. YlOrRd (default), Blues, PuBu")->group(c);
    cmd->add_option("--projection", f.projection, "us-albers (default), web-mercator, EPSG:n or a PROJ string")
        ->group(c);

    const std::string l = "Layout";
    cmd->add_option("--title", f.title, "Title")->group(l);
    cmd->add_option("--subtitle", f.subtitle, "Subtitle")->group(l);
    cmd->add_option("--source-note", f.source_note, "Source note at the bottom")->group(l);
    cmd->add_option("--note", f.notes, "Extra note line above the source note (repeatable)")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->group(l);
    cmd->add_option("--notes-file", f.notes_file, "Text file whose lines are added as notes")->group(l);
    cmd->add_option("--legend-title", f.legend_title, "Legend title")->group(l);
    cmd->add_option("--width", f.width, "Width in pixels (default 2400)")->group(l);
    cmd->add_option("--height", f.height, "Height in pixels (default 1500)")->group(l);
    cmd->add_option(
           "--dpi", f.dpi, "Resolution: PNG pixels per inch; sets the physical size of PDF and SVG (default 300)")
        ->group(l);
    if (with_outputs) {
        cmd->add_option("-o,--out", f.outputs, "Output file, format from the extension: .png, .svg, .pdf (repeatable)")
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
            ->group(l);
    }
    cmd->add_flag("--no-cache",
                  f.no_cache,
                  "Read boundaries through GDAL even when the prepared-geometry cache ($XDG_CACHE_HOME/choro, else "
                  "~/.cache/choro) holds them");
}

namespace {

void set_if(std::string& target, const std::string& value) {
    if (!value.empty()) {
        target = value;
    }
}

std::vector<double> parse_breaks(const std::string& text) {
    std::vector<double> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            std::size_t used = 0;
            out.push_back(std::stod(item, &used));
            if (item.find_first_not_of(" \t", used) != std::string::npos) {
                throw std::invalid_argument(item);
            }
        } catch (const std::exception&) {
            throw JobError("--breaks", 0, 0, "'" + item + "' is not a number; expected numbers separated by commas");
        }
    }
    return out;
}

}  // namespace

std::string default_data_dir(const std::string& given) {
    if (!given.empty()) {
        return given;
    }
    if (fs::is_directory("../shared/data")) {
        return "../shared/data";
    }
    // Beside the checkout the executable lives in: <repo>/build/<preset>/cli/choro → <repo>/../shared/data.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
            if (fs::is_directory(dir / ".." / "shared" / "data") && fs::exists(dir / "CMakeLists.txt")) {
                return (dir / ".." / "shared" / "data").lexically_normal().string();
            }
        }
    }
    return {};
}

styles::Job make_job(const JobFlags& f) {
    const std::string data_dir = default_data_dir(f.data_dir);
    styles::Job job;
    if (!f.job_file.empty()) {
        job = styles::parse_job_file(f.job_file, data_dir);
    }
    job.data_dir = data_dir;
    auto path = [&](const std::string& p) { return styles::expand_path(p, data_dir); };

    if (!f.boundaries.empty()) {
        job.boundaries.source = path(f.boundaries);
    }
    set_if(job.boundaries.layer, f.layer);
    set_if(job.boundaries.key, f.key);
    set_if(job.boundaries.name, f.name_field);
    set_if(job.boundaries.srs, f.srs);
    if (!f.overlay.empty()) {
        if (!job.overlay) {
            job.overlay = styles::BoundarySource{};
        }
        job.overlay->source = path(f.overlay);
    }
    if (job.overlay) {
        set_if(job.overlay->layer, f.overlay_layer);
        set_if(job.overlay->key, f.overlay_key);
        set_if(job.overlay->srs, f.srs);
    }
    if (!f.values.empty()) {
        job.values.source = path(f.values);
    }
    set_if(job.values.sheet, f.sheet);
    set_if(job.values.key, f.values_key);
    if (!f.value.empty()) {
        job.values.value = f.value;
        job.values.count = false;
    }
    if (f.count_option && f.count_option->count() > 0) {
        job.values.count = true;
        job.values.value.clear();
    }
    set_if(job.values.duplicates, f.duplicates);
    if (!f.highlight.empty()) {
        job.highlight.source = path(f.highlight);
    }
    set_if(job.highlight.key, f.highlight_key);

    if (!f.method.empty()) {
        job.classify.method = styles::parse_method(f.method);
    }
    if (f.classes != 0) {
        job.classify.classes = static_cast<std::size_t>(std::max(f.classes, 0));
        if (f.classes < 0) {
            throw JobError("--classes", 0, 0, "must be between 1 and 12");
        }
    }
    if (!f.breaks.empty()) {
        job.classify.manual_breaks = parse_breaks(f.breaks);
        if (f.method.empty()) {
            job.classify.method = styles::Method::manual;
        }
    }
    if (!f.zero.empty()) {
        job.classify.zero = f.zero == "on"    ? styles::ZeroClass::on
                            : f.zero == "off" ? styles::ZeroClass::off
                                              : styles::ZeroClass::automatic;
    }
    set_if(job.style.palette, f.palette);
    set_if(job.map.projection, f.projection);
    set_if(job.map.title, f.title);
    set_if(job.map.subtitle, f.subtitle);
    set_if(job.map.source_note, f.source_note);
    set_if(job.map.legend_title, f.legend_title);
    if (!f.notes_file.empty()) {
        job.map.notes_file = path(f.notes_file);
    }
    job.map.notes.insert(job.map.notes.end(), f.notes.begin(), f.notes.end());
    if (f.width) {
        job.map.width = f.width;
    }
    if (f.height) {
        job.map.height = f.height;
    }
    if (f.dpi) {
        job.map.dpi = f.dpi;
    }
    if (!f.outputs.empty()) {
        job.outputs.clear();
        for (const auto& o : f.outputs) {
            job.outputs.push_back(path(o));
        }
    }
    styles::validate(job);
    job.cache_dir = f.no_cache ? std::string() : geo::default_layer_cache_dir();
    return job;
}

}  // namespace choro::cli
