#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "choro/geo/geometry.hpp"
#include "choro/geo/join.hpp"
#include "choro/geo/tile.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/legend_format.hpp"
#include "choro/styles/palette.hpp"
#include "choro/styles/settings.hpp"

/// @file
/// The job: everything one map (or tile set, or batch) needs. A job file (TOML) and the command
/// line flags fill the same struct; flags given on the command line override the file.
///
/// Paths in a job file are relative to the file's folder; `{data}` in a path expands to the data
/// folder (`--data-dir`, default `../shared/data` when present).

namespace choro::styles {

struct BoundarySource {
    std::string source;  ///< any OGR source
    std::string layer;
    std::string key;   ///< key field; empty = OGR FID / TopoJSON id
    std::string name;  ///< name field; empty = guess
    std::string srs;   ///< CRS when the source has none
};

struct ValueSource {
    std::string source;  ///< CSV or XLSX
    std::string sheet;
    std::string key;     ///< key column
    std::string value;   ///< value column (empty with count)
    bool count = false;  ///< value = rows per key
    geo::Duplicates duplicates = geo::Duplicates::error;
    // How the values are written (issue 12).
    /// Share of features (0–1) that must join, else an error. Not set: geo::weak_join_share for a value
    /// column (a map mostly without data is wrong, not a map), none for `count` (a feature with no
    /// row has a count of 0). `0` draws whatever joins.
    std::optional<double> min_match;
    std::string decimal = ".";           ///< decimal mark of the values: "." or ","
    std::string thousands;               ///< "" = default for the decimal mark; ",", ".", " ", "'" or "none"
    std::string number_format = "auto";  ///< "auto": % and currency signs stripped when the column agrees;
                                         ///< "strip": always; "plain": never
    std::string delimiter;               ///< CSV separator: "" = detect, ",", ";", "tab" or "|"
};

/// Jurisdictions to highlight (holdouts). Rows whose `level` column says "state" mark a feature of
/// the overlay (state) layer through `state_key`; other rows mark a feature of the main layer through `key`.
struct HighlightSource {
    std::string source;                    ///< CSV/XLSX; empty = no highlighting
    std::string key = "county_fips";       ///< column matched to the boundary keys; empty = only state-level rows
    std::string state_key = "state_abbr";  ///< column matched to overlay keys (abbreviations or FIPS)
    std::string level = "level";           ///< column telling state-level rows apart; absent = all rows feature-level
    std::string status = "status";         ///< column of statuses; absent = every row counts
    std::vector<std::string> exclude_status{"proposed_state_ban", "state_mandate_to_join"};
    std::string label = "Holdout: declined, ended or no agreement";
    std::string state_label = "State bans agreements";
    std::string date = "event_date";         ///< column of event dates (YYYY[-MM[-DD]]); absent = undated
    std::string in_force = "in_force_date";  ///< column of in-force dates; absent or blank = the event date
    std::string as_of;                       ///< the map's date (YYYY-MM-DD); empty = every row in force
    std::string partial_label = "Holdout agency, not the whole county (a city's, or others hold agreements)";
    std::string enacted_label = "State ban enacted, not yet in force";
};

struct StyleSettings {
    std::string palette = "YlOrRd";  ///< a name (choro/styles/palette.hpp), "-r" reverses, or "#rrggbb,#rrggbb,…"
    bool reverse_palette = false;    ///< --reverse-palette: the palette's colours in reverse order
    Color background{255, 255, 255, 255};
    Color no_data{222, 222, 222, 255};
    Color zero{247, 247, 247, 255};
    Color border{255, 255, 255, 255};       ///< feature (county) borders
    double border_width = 0.25;             ///< in points (1/72 in)
    Color overlay_border{60, 60, 60, 255};  ///< state borders
    double overlay_border_width = 0.8;
    Color highlight{0, 90, 160, 255};  ///< holdout hatch and outline
    Color text{30, 30, 30, 255};
    std::string font = "DejaVu Sans";
};

struct MapSettings {
    std::string title;
    std::string subtitle;
    std::string source_note;
    std::vector<std::string> notes;  ///< extra lines above the source note
    std::string legend_title;
    int width = 2400;  ///< pixels (PNG) or points × dpi/72 (PDF, SVG)
    int height = 1500;
    int dpi = 300;
    bool auto_height = false;  ///< --height auto: the height follows the map's aspect (width kept)
    std::string projection = "us-albers";
    std::string notes_file;  ///< text file whose non-empty lines are added to `notes` (read by the CLI)
    std::optional<geo::Box<geo::LonLat>> extent;  ///< degrees; min.x > max.x: across 180°
    std::vector<std::string> extent_of;           ///< keys of the features the map is fitted to (and clipped around)
    bool sphere = false;                          ///< draw the globe's outline in the projection
    std::optional<Color> water;                   ///< fill the globe with this colour (implies sphere)
    double graticule = 0.0;                       ///< degrees between meridians and parallels drawn; 0 = none

    // Standard output and memory (issue 12).
    std::string format;                                 ///< output format for `-o -`: png, svg or pdf
    std::uint64_t max_memory = std::uint64_t{2} << 30;  ///< bytes a raster canvas may take (--max-memory)
};

struct TileSettings {
    geo::ZoomRange zoom{0, 7};
    std::optional<geo::Box<geo::LonLat>> bbox;  ///< area in degrees; none = the data's bounds
    int scale = 1;                              ///< 1 = 256 px tiles, 2 = 512 px
    int metatile = 8;                           ///< metatile side in tiles
};

/// `choro batch`: one map per group of features (the [batch] section; flags override it).
struct BatchSettings {
    std::string by;                   ///< boundary field splitting the maps; "state": a 5-digit key's first two digits
    std::string name;                 ///< output name template ({abbr}, {key}, {name}); empty = "{abbr}.png"
    std::string breaks_scope;         ///< "global" (default) or "per-map"
    bool context = true;              ///< neighbouring groups drawn muted around each map
    std::vector<std::string> totals;  ///< further value columns summed in each map's subtitle (e.g. agencies)
    /// [batch.projection]: group (FIPS, abbreviation or value of `by`) → CRS, e.g. AK = "EPSG:3338".
    std::vector<std::pair<std::string, std::string>> projections;
};

/// [legend]: how the legend reads (issue 10). Its title is MapSettings::legend_title (default: the
/// value column's name).
struct LegendSettings {
    LegendFormat format = LegendFormat::automatic;  ///< --legend-format: numbers of the class labels
    LegendLayout layout = LegendLayout::vertical;   ///< --legend-layout
    bool histogram = false;  ///< --legend-histogram: a bar per class as long as its count (LegendItem::count)
};

/// [labels]: which features get a place label, and what it says (issue 10).
struct LabelSettings {
    /// --labels: "top:N" (the N largest values), "holdouts", "all", "KEY,KEY", "none"; empty = by
    /// map: "all" when the map shows at most 300 features (a state's counties, the states, the
    /// world), "holdouts" otherwise (the national county map). Parsed by parse_label_selection().
    std::string select;
    std::string format = "{name}";  ///< --label-format: {name}, {value} (as the legend writes it), {key}; "\n" breaks
    bool callouts = false;          ///< --label-callouts: a label too big for its feature goes outside, with a leader
};

struct Job {
    std::string path;      ///< the job file, empty when built from flags
    std::string data_dir;  ///< folder `{data}` expands to
    BoundarySource boundaries;
    std::optional<BoundarySource> overlay;  ///< e.g. state borders drawn on top
    ValueSource values;
    HighlightSource highlight;
    ClassifyOptions classify;
    StyleSettings style;
    MapSettings map;
    TileSettings tiles;
    BatchSettings batch;
    LegendSettings legend;
    LabelSettings labels;
    std::vector<std::string> outputs;  ///< "-o" paths; format from the extension
    std::string cache_dir;             ///< prepared-geometry cache (geo/layer_cache.hpp); empty = none
};

/// Parses a job file. Unknown or mistyped keys, wrong types and bad values throw JobError with the
/// file, line and column, suggesting the nearest known key ("did you mean 'classes'?").
/// An empty file is an error. Relative paths (sources, notes_file, outputs) are resolved against the
/// file's folder; a path with `{data}` is expanded and then left as it is (relative to the working
/// folder when `data_dir` is). GDAL virtual paths (`/vsizip/…`) and URLs are kept unchanged.
/// Limits are checked too: a value beyond one throws LimitError with `path:line:col:` in its message.
///
///     auto job = choro::styles::parse_job_file("jobs/us-counties.toml", "../shared/data");
///     choro::styles::validate(job);
[[nodiscard]] Job parse_job_file(const std::string& path, const std::string& data_dir);

/// Same, from text (`path` is used in messages and to resolve relative paths).
[[nodiscard]] Job parse_job_text(const std::string& text, const std::string& path, const std::string& data_dir);

/// Expands `{data}` in a path.
[[nodiscard]] std::string expand_path(const std::string& path, const std::string& data_dir);

/// Checks a job before anything is read: required settings present, settings that depend on each
/// other consistent, every number within its range (choro/styles/settings.hpp, the one place the
/// ranges are written). Throws JobError or LimitError.
void validate(const Job& job);

}  // namespace choro::styles
