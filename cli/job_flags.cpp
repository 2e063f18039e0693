#include "job_flags.hpp"

#include <charconv>
#include <filesystem>
#include <sstream>

#include "report.hpp"
#include <unistd.h>

#include "choro/geo/error.hpp"
#include "choro/geo/layer_cache.hpp"
#include "choro/styles/label_text.hpp"
#include "choro/styles/legend_format.hpp"
#include "choro/styles/palette.hpp"
#include "choro/styles/settings.hpp"

namespace choro::cli {

namespace fs = std::filesystem;

namespace {

// One function per --help group, called in the help's order: --help lists the groups in the
// order of their first flag, and the flags of a group in the order they are added.

constexpr const char* layout_group = "Layout";  // also holds the memory limit and the outputs

void add_boundary_flags(CLI::App* cmd, JobFlags& f) {
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
}

void add_value_flags(CLI::App* cmd, JobFlags& f) {
    const std::string v = "Values";
    cmd->add_option("--values", f.values, "Value table: CSV or XLSX")->group(v);
    cmd->add_option("--sheet", f.sheet, "XLSX sheet (default: the first)")->group(v);
    cmd->add_option("--values-key", f.values_key, "Key column of the value table")->group(v);
    cmd->add_option("--value", f.value, "Numeric column to map")->group(v);
    f.count_option = cmd->add_flag("--count", f.count, "Map the number of rows per key instead of a column")->group(v);
    cmd->add_option("--duplicates", f.duplicates, "Rows sharing a key: error (default), first or sum")->group(v);
    cmd->add_option("--min-match",
                    f.min_match,
                    "Share of features (0-1) that must join, else an error (default: 0.5 for a value column, 0 with "
                    "--count; 0 draws whatever joins)")
        ->group(v);
    cmd->add_option("--decimal", f.decimal, "Decimal mark of the values: . (default) or ,")->group(v);
    cmd->add_option("--thousands", f.thousands, "Thousands separator of the values: , . ' space or none")->group(v);
    cmd->add_option("--number-format",
                    f.number_format,
                    "auto (default: strip % and currency signs when the whole column has them), strip or plain")
        ->group(v);
    cmd->add_option("--delimiter", f.delimiter, "CSV separator: , ; tab or | (default: detected)")->group(v);
    cmd->add_option("--highlight", f.highlight, "Table of jurisdictions to highlight (holdouts)")->group(v);
    cmd->add_option("--highlight-key", f.highlight_key, "Key column of the highlight table (default: county_fips)")
        ->group(v);
    cmd->add_option("--as-of",
                    f.as_of,
                    "The map's date, YYYY-MM-DD: highlight rows dated later are not drawn; a ban enacted but "
                    "not yet in force gets its own lighter mark")
        ->group(v);
}

void add_classify_flags(CLI::App* cmd, JobFlags& f) {
    const std::string c = "Classification and style";
    cmd->add_option("--method", f.method, "quantile (default), equal, jenks, manual or categorical")
        ->check(CLI::IsMember({"quantile", "equal", "jenks", "manual", "categorical"}))
        ->group(c);
    cmd->add_option("--classes",
                    f.classes,
                    "Number of classes (" + std::to_string(styles::ranges::classes.min) + "-" +
                        std::to_string(styles::ranges::classes.max) + ", default 5)")
        ->group(c);
    cmd->add_option("--breaks", f.breaks, "Inner class edges for --method manual, e.g. 1,5,10")->group(c);
    cmd->add_option("--zero-class", f.zero, "Own class for zero: auto (default: for counts with zeros), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->group(c);
    cmd->add_option("--palette",
                    f.palette,
                    "ColorBrewer scheme (YlOrRd default, Blues, RdBu, Set2…), viridis, magma, inferno, plasma, "
                    "cividis, a name with -r to reverse it, or colours #rrggbb,#rrggbb,…")
        ->group(c);
    cmd->add_flag("--reverse-palette", f.reverse_palette, "Use the palette's colours in reverse order")->group(c);
    cmd->add_option("--projection", f.projection, "us-albers (default), web-mercator, EPSG:n or a PROJ string")
        ->group(c);
}

// Titles, notes, legend, labels and the map's size.
void add_layout_flags(CLI::App* cmd, JobFlags& f) {
    const std::string l = layout_group;
    cmd->add_option("--title", f.title, "Title")->group(l);
    cmd->add_option("--subtitle", f.subtitle, "Subtitle")->group(l);
    cmd->add_option("--source-note", f.source_note, "Source note at the bottom")->group(l);
    cmd->add_option("--note", f.notes, "Extra note line above the source note (repeatable)")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->group(l);
    cmd->add_option("--notes-file", f.notes_file, "Text file whose lines are added as notes")->group(l);
    cmd->add_option("--legend-title", f.legend_title, "Legend title")->group(l);
    cmd->add_option("--legend-format",
                    f.legend_format,
                    "Numbers of the legend: auto (default: percent when the column is a share), plain, compact "
                    "(1.2M) or percent")
        ->group(l);
    cmd->add_option(
           "--legend-layout", f.legend_layout, "Legend classes stacked (vertical, default) or in a row (horizontal)")
        ->group(l);
    cmd->add_flag("--legend-histogram", f.legend_histogram, "Legend bars as long as each class's count of features")
        ->group(l);
    cmd->add_option("--highlight-label", f.highlight_label, "Legend text of the highlight (holdout) swatch")->group(l);
    cmd->add_option("--state-ban-label", f.state_ban_label, "Legend text of the state-level highlight swatch")
        ->group(l);
    cmd->add_option("--labels",
                    f.labels,
                    "Place labels: top:N (largest values), holdouts, all, KEY,KEY or none (default: all on maps of at "
                    "most 300 features, else holdouts)")
        ->group(l);
    cmd->add_option("--label-format",
                    f.label_format,
                    "Label text with {name}, {value} (written as the legend writes it) and {key}; \\n breaks a line, "
                    "e.g. '{name}\\n{value}' (default {name})")
        ->group(l);
    cmd->add_flag(
           "--label-callouts", f.label_callouts, "Label features too small for their label outside, with a leader line")
        ->group(l);
    cmd->add_option("--width", f.width, "Width in pixels (default 2400)")->group(l);
    cmd->add_option("--height", f.height, "Height in pixels (default 1500), or auto: as tall as the map needs")
        ->group(l);
    cmd->add_option("--layout",
                    f.layout,
                    "Common sizes: wide (2400x1350, 16:9), tall (1600x2000, 4:5), square (2000x2000); "
                    "--width/--height override")
        ->group(l);
    cmd->add_option(
           "--dpi", f.dpi, "Resolution: PNG pixels per inch; sets the physical size of PDF and SVG (default 300)")
        ->group(l);
}

void add_world_flags(CLI::App* cmd, JobFlags& f) {
    const std::string w = "World maps";
    cmd->add_option("--extent", f.extent, "Map only W,S,E,N in degrees (may cross 180°, e.g. 170,50,-130,72)")
        ->group(w);
    cmd->add_option("--extent-of", f.extent_of, "Fit and clip the map to these features' keys, e.g. 02,15")->group(w);
    cmd->add_flag("--sphere", f.sphere, "Draw the outline of the globe in the projection")->group(w);
    cmd->add_option("--water", f.water, "Fill the globe with this colour, e.g. #dbe9f4 (implies --sphere)")->group(w);
    cmd->add_option("--graticule", f.graticule, "Draw meridians and parallels every DEG degrees")->group(w);
}

// The memory limit and the outputs (listed under Layout), and the cache switch (ungrouped).
void add_output_flags(CLI::App* cmd, JobFlags& f, bool with_outputs) {
    const std::string l = layout_group;
    cmd->add_option("--max-memory",
                    f.max_memory,
                    "Memory a raster canvas may take, e.g. 2G (default), 512M; larger maps are refused")
        ->group(l);
    if (with_outputs) {
        cmd->add_option("--format", f.format, "Format of -o - (standard output): png, svg or pdf")->group(l);
        cmd->add_option("-o,--out", f.outputs, "Output file, format from the extension: .png, .svg, .pdf (repeatable)")
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
            ->group(l);
    }
    cmd->add_flag("--no-cache",
                  f.no_cache,
                  "Read boundaries through GDAL even when the prepared-geometry cache ($XDG_CACHE_HOME/choro, else "
                  "~/.cache/choro) holds them");
}

}  // namespace

void add_job_flags(CLI::App* cmd, JobFlags& f, bool with_outputs) {
    // A flag given twice takes its last value, so a wrapper script can append overrides.
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    cmd->add_option("job", f.job_file, "Job file (TOML); flags given here override its settings");
    cmd->add_option(
        "--data-dir", f.data_dir, "Folder that {data} in paths means (default: ../shared/data when present)");

    add_boundary_flags(cmd, f);
    add_value_flags(cmd, f);
    add_classify_flags(cmd, f);
    add_layout_flags(cmd, f);
    add_world_flags(cmd, f);
    add_output_flags(cmd, f, with_outputs);
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
    const auto origin = styles::Origin::of_flag("--breaks");
    while (std::getline(ss, item, ',')) {
        out.push_back(styles::parse_number(item, origin));
    }
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (!(out[i] > out[i - 1])) {
            styles::bad_setting(origin, "'" + text + "': breaks must be ascending numbers separated by commas");
        }
    }
    return out;
}

int flag_int(const std::optional<int>& value, const styles::IntRange& range, const char* flag) {
    return static_cast<int>(styles::check_range(range, *value, styles::Origin::of_flag(flag)));
}

std::vector<std::string> split_keys(const std::string& text) {
    std::vector<std::string> out = split_list(text);
    if (out.empty()) {
        styles::bad_setting(styles::Origin::of_flag("--extent-of"),
                            "is '" + text + "': expected feature keys separated by commas");
    }
    return out;
}

}  // namespace

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');) {
        const auto b = item.find_first_not_of(' ');
        const auto e = item.find_last_not_of(' ');
        if (b != std::string::npos) {
            out.push_back(item.substr(b, e - b + 1));
        }
    }
    return out;
}

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

namespace {

// --boundaries … --overlay-key; --srs also applies to the overlay.
void apply_boundary_flags(const JobFlags& f, const std::string& data_dir, styles::Job& job) {
    if (!f.boundaries.empty()) {
        job.boundaries.source = styles::expand_path(f.boundaries, data_dir);
    }
    set_if(job.boundaries.layer, f.layer);
    set_if(job.boundaries.key, f.key);
    set_if(job.boundaries.name, f.name_field);
    set_if(job.boundaries.srs, f.srs);
    if (!f.overlay.empty()) {
        if (!job.overlay) {
            job.overlay = styles::BoundarySource{};
        }
        job.overlay->source = styles::expand_path(f.overlay, data_dir);
    }
    if (job.overlay) {
        set_if(job.overlay->layer, f.overlay_layer);
        set_if(job.overlay->key, f.overlay_key);
        set_if(job.overlay->srs, f.srs);
    }
}

// --values … --duplicates (--value and --count replace each other), and the highlight table.
void apply_value_flags(const JobFlags& f, const std::string& data_dir, styles::Job& job) {
    if (!f.values.empty()) {
        job.values.source = styles::expand_path(f.values, data_dir);
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
    if (!f.duplicates.empty()) {
        job.values.duplicates = styles::parse_duplicates(f.duplicates, styles::Origin::of_flag("--duplicates"));
    }
    if (!f.highlight.empty()) {
        job.highlight.source = styles::expand_path(f.highlight, data_dir);
    }
    set_if(job.highlight.key, f.highlight_key);
    set_if(job.highlight.as_of, f.as_of);
}

// --method … --projection: the classes and their colours. --breaks alone means --method manual.
void apply_classify_flags(const JobFlags& f, styles::Job& job) {
    if (!f.method.empty()) {
        job.classify.method = styles::parse_method(f.method);
    }
    if (f.classes) {
        job.classify.classes = static_cast<std::size_t>(flag_int(f.classes, styles::ranges::classes, "--classes"));
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
    if (f.reverse_palette) {
        job.style.reverse_palette = true;
    }
    set_if(job.map.projection, f.projection);
}

// A word flag checked by the parser the job file uses; a bad one names its flag (exit 2).
template <class Apply>
void apply_checked(const char* flag, const std::string& value, const Apply& apply) {
    if (value.empty()) {
        return;
    }
    try {
        apply(value);
    } catch (const JobError& e) {
        std::string what = e.what();
        if (what.rfind("job: ", 0) == 0) {
            what.erase(0, 5);  // the parsers throw without a path; the flag names the place
        }
        styles::bad_setting(styles::Origin::of_flag(flag), what);
    }
}

// The map's words: titles, legend, labels and notes.
void apply_text_flags(const JobFlags& f, const std::string& data_dir, styles::Job& job) {
    set_if(job.map.title, f.title);
    set_if(job.map.subtitle, f.subtitle);
    set_if(job.map.source_note, f.source_note);
    set_if(job.map.legend_title, f.legend_title);
    set_if(job.highlight.label, f.highlight_label);
    set_if(job.highlight.state_label, f.state_ban_label);
    apply_checked("--legend-format", f.legend_format, [&](const std::string& v) {
        job.legend.format = styles::parse_legend_format(v);
    });
    apply_checked("--legend-layout", f.legend_layout, [&](const std::string& v) {
        job.legend.layout = styles::parse_legend_layout(v);
    });
    apply_checked("--labels", f.labels, [&](const std::string& v) {
        (void)styles::parse_label_selection(v);
        job.labels.select = v;
    });
    apply_checked("--label-format", f.label_format, [&](const std::string& v) {
        styles::check_label_format(v);
        job.labels.format = v;
    });
    if (f.legend_histogram) {
        job.legend.histogram = true;
    }
    if (f.label_callouts) {
        job.labels.callouts = true;
    }
    if (!f.notes_file.empty()) {
        job.map.notes_file = styles::expand_path(f.notes_file, data_dir);
    }
    job.map.notes.insert(job.map.notes.end(), f.notes.begin(), f.notes.end());
}

// --layout, then --width, --height (pixels or auto) and --dpi over it.
void apply_size_flags(const JobFlags& f, styles::Job& job) {
    if (!f.layout.empty()) {
        if (f.layout == "wide") {
            job.map.width = 2400;
            job.map.height = 1350;
        } else if (f.layout == "tall") {
            job.map.width = 1600;
            job.map.height = 2000;
        } else if (f.layout == "square") {
            job.map.width = 2000;
            job.map.height = 2000;
        } else {
            throw UsageError("--layout " + f.layout + ": expected wide, tall or square");
        }
    }
    if (f.width) {
        job.map.width = flag_int(f.width, styles::ranges::width, "--width");
    }
    if (f.height == "auto") {
        job.map.auto_height = true;
    } else if (!f.height.empty()) {
        int h = 0;
        const auto* end = f.height.data() + f.height.size();
        const auto r = std::from_chars(f.height.data(), end, h);
        if (r.ec != std::errc() || r.ptr != end) {
            throw UsageError("--height " + f.height + ": expected a whole number of pixels or auto");
        }
        job.map.height = flag_int(h, styles::ranges::height, "--height");
        job.map.auto_height = false;
    }
    if (f.dpi) {
        job.map.dpi = flag_int(f.dpi, styles::ranges::dpi, "--dpi");
    }
}

// --extent … --graticule: what of the world is mapped, and the globe's outline, water and lines.
void apply_world_flags(const JobFlags& f, styles::Job& job) {
    if (!f.extent.empty()) {
        job.map.extent = styles::parse_bbox(f.extent, styles::Origin::of_flag("--extent"), true);
    }
    if (!f.extent_of.empty()) {
        job.map.extent_of = split_keys(f.extent_of);
    }
    if (f.sphere) {
        job.map.sphere = true;
    }
    if (!f.water.empty()) {
        try {
            job.map.water = styles::parse_color(f.water);
        } catch (const std::exception& e) {
            styles::bad_setting(styles::Origin::of_flag("--water"), "'" + f.water + "': " + e.what());
        }
    }
    if (f.graticule != 0.0) {
        if (!(f.graticule > 0.0 && f.graticule <= 90.0)) {
            styles::bad_setting(
                styles::Origin::of_flag("--graticule"),
                "is " + std::to_string(f.graticule) + ": expected degrees between lines, above 0 to 90");
        }
        job.map.graticule = f.graticule;
    }
}

}  // namespace

styles::Job make_job(const JobFlags& f) {
    const std::string data_dir = default_data_dir(f.data_dir);
    styles::Job job;
    if (!f.job_file.empty()) {
        check_job_file(f.job_file);  // a regular file within the size limit (report.hpp)
        job = styles::parse_job_file(f.job_file, data_dir);
    }
    job.data_dir = data_dir;
    // Group by group, in the order of --help.
    apply_boundary_flags(f, data_dir, job);
    apply_value_flags(f, data_dir, job);
    apply_classify_flags(f, job);
    apply_text_flags(f, data_dir, job);
    apply_size_flags(f, job);
    apply_world_flags(f, job);
    if (!f.outputs.empty()) {
        job.outputs.clear();
        for (const auto& o : f.outputs) {
            job.outputs.push_back(styles::expand_path(o, data_dir));
        }
    }
    apply_robust_flags(f, job);  // report.hpp: --min-match … --max-memory, text limits
    styles::validate(job);
    job.cache_dir = f.no_cache ? std::string() : geo::default_layer_cache_dir();
    return job;
}

}  // namespace choro::cli
