// choro batch: groups, a projection fitted to each, and the scene of each group's map.

#include "choro/pipeline/batch.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string_view>
#include <type_traits>

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/layer_cache.hpp"
#include "choro/geo/projection.hpp"
#include "choro/geo/table.hpp"
#include "choro/geo/us_states.hpp"
#include "choro/styles/legend.hpp"

namespace choro::pipeline {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_fips5(const std::string& key) {
    return key.size() == 5 && std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

/// The value of field `field` of a feature; nullptr when absent.
const std::string* attribute(const geo::Feature& f, const std::string& field) {
    for (const auto& [name, value] : f.attributes) {
        if (name == field) {
            return &value;
        }
    }
    return nullptr;
}

/// The field of the layer called `by` (exactly, else ignoring case); "" when none.
std::string find_field(const geo::Layer& layer, const std::string& by) {
    std::set<std::string> fields;
    for (const auto& f : layer.features) {
        for (const auto& a : f.attributes) {
            fields.insert(a.first);
        }
        if (fields.count(by) != 0) {
            return by;
        }
    }
    for (const auto& name : fields) {
        if (lower(name) == lower(by)) {
            return name;
        }
    }
    return {};
}

std::string field_list(const geo::Layer& layer) {
    std::set<std::string> fields;
    for (const auto& f : layer.features) {
        for (const auto& a : f.attributes) {
            fields.insert(a.first);
        }
    }
    std::string out;
    for (const auto& name : fields) {
        out += (out.empty() ? "" : ", ") + name;
    }
    return out.empty() ? std::string("none") : out;
}

/// A name usable in file names: letters, digits, '-' and '_' kept, anything else '_'.
std::string file_safe(const std::string& s) {
    std::string out = s;
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && c != '-' && c != '_') {
            c = '_';
        }
    }
    return out.empty() ? std::string("_") : out;
}

void name_state_group(Group& g) {
    if (const geo::UsState* s = geo::find_us_state(g.key)) {
        g.key = std::string(s->fips);
        g.abbr = std::string(s->abbr);
        g.name = std::string(s->name);
    }
}

/// Normalised longitude in [-180, 180).
double wrap(double lon) {
    return lon - 360.0 * std::floor((lon + 180.0) / 360.0);
}

bool boxes_meet(const geo::Extent& e, const geo::Box<geo::LonLat>& b) {
    if (b.empty() || b.max.y < e.south || b.min.y > e.north) {
        return false;
    }
    // Feature boxes are in [-180, 180] (a feature across 180° has a box the whole width).
    const auto meets = [&](double w, double east) { return !(b.max.x < w || b.min.x > east); };
    if (e.west <= e.east) {
        return meets(e.west, e.east);
    }
    return meets(e.west, 180.0) || meets(-180.0, e.east);
}

geo::Extent grown(const geo::Extent& e, double factor) {
    geo::Extent g = e;
    const double width = e.width();
    const double dx = std::max(0.5, width * factor);
    const double dy = std::max(0.5, (e.north - e.south) * factor);
    if (width + 2.0 * dx >= 360.0) {
        g.west = -180.0;
        g.east = 180.0;
    } else {
        g.west = wrap(e.west - dx);
        g.east = wrap(e.east + dx);
        if (g.east == -180.0) {
            g.east = 180.0;
        }
    }
    g.south = std::max(-90.0, e.south - dy);
    g.north = std::min(90.0, e.north + dy);
    return g;
}

std::string format_number(double v) {
    char buf[64];
    if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
        std::string digits = buf;
        const bool negative = !digits.empty() && digits.front() == '-';
        std::string body = negative ? digits.substr(1) : digits;
        for (int i = static_cast<int>(body.size()) - 3; i > 0; i -= 3) {
            body.insert(static_cast<std::size_t>(i), ",");
        }
        return (negative ? "-" : "") + body;
    }
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string words(std::string column) {
    std::replace(column.begin(), column.end(), '_', ' ');
    return column;
}

/// "383 agreements", "1 agreement" (a plural column name loses its "s" for one).
std::string counted(double v, const std::string& plural) {
    if (v == 1.0 && plural.size() > 1 && plural.back() == 's') {
        return "1 " + plural.substr(0, plural.size() - 1);
    }
    return format_number(v) + " " + plural;
}

/// Another column of the job's value table joined to the layer as the value column is (its
/// values summed, never its rows counted).
std::vector<std::optional<double>> join_column(const styles::Job& job,
                                               const geo::Layer& layer,
                                               const geo::Table& table,
                                               const std::string& column) {
    geo::JoinOptions options = value_join_options(job, column);
    options.count = false;
    return geo::join(layer, table, options).values;
}

/// The global breaks with this group's counts.
styles::Breaks recounted(styles::Breaks breaks, const std::vector<std::optional<double>>& values) {
    std::fill(breaks.counts.begin(), breaks.counts.end(), 0);
    breaks.zero_count = 0;
    breaks.no_data_count = 0;
    for (const auto& v : values) {
        const styles::ClassId c = breaks.class_of(v);
        if (c == styles::zero_class) {
            ++breaks.zero_count;
        } else if (c == styles::no_data_class) {
            ++breaks.no_data_count;
        } else {
            ++breaks.counts[static_cast<std::size_t>(c)];
        }
    }
    return breaks;
}

/// Appends a value's raw bytes to a fingerprint buffer.
template <class T>
void put(std::string& out, const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_text(std::string& out, const std::string& s) {
    put(out, static_cast<std::uint64_t>(s.size()));
    out += s;
}

void put_geometry(std::string& out, const std::vector<geo::MultiPolygon<geo::Projected>>& all) {
    put(out, static_cast<std::uint64_t>(all.size()));
    for (const auto& mp : all) {
        put(out, static_cast<std::uint64_t>(mp.size()));
        for (const auto& poly : mp) {
            put(out, static_cast<std::uint64_t>(poly.size()));
            for (const auto& ring : poly) {
                put(out, static_cast<std::uint64_t>(ring.size()));
                for (const auto& p : ring) {
                    put(out, p.x);
                    put(out, p.y);
                }
            }
        }
    }
}

void put_flags(std::string& out, const std::vector<bool>& flags) {
    put(out, static_cast<std::uint64_t>(flags.size()));
    for (const bool f : flags) {
        out += f ? '1' : '0';
    }
}

void put_color(std::string& out, const styles::Color& c) {
    put(out, c);
}

}  // namespace

std::vector<Group> group_features(const geo::Layer& layer, const std::string& by) {
    const std::string wanted = lower(by);
    const std::string field = find_field(layer, by);
    const bool all_fips = !layer.features.empty() && std::all_of(layer.features.begin(),
                                                                 layer.features.end(),
                                                                 [](const geo::Feature& f) { return is_fips5(f.key); });
    enum class Mode { by_field, state_of_key, each_key } mode = Mode::by_field;
    if (field.empty()) {
        if (wanted == "state" && all_fips) {
            mode = Mode::state_of_key;
        } else if (wanted == "key" || (wanted == "county" && all_fips)) {
            mode = Mode::each_key;
        } else {
            throw JobError(
                "--by",
                0,
                0,
                "'" + by + "': the boundaries (" + layer.source +
                    ") have no such field; their fields: " + field_list(layer) +
                    (all_fips ? "" : "; 'state' needs 5-digit county keys (FIPS) when there is no such field"));
        }
    }
    std::map<std::string, Group> groups;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const geo::Feature& f = layer.features[i];
        std::string key;
        if (mode == Mode::by_field) {
            const std::string* v = attribute(f, field);
            if (v == nullptr || v->empty()) {
                continue;
            }
            key = *v;
        } else if (mode == Mode::state_of_key) {
            key = f.key.substr(0, 2);
        } else {
            key = f.key;
            if (key.empty()) {
                continue;
            }
        }
        Group& g = groups[key];
        if (g.features.empty()) {
            g.key = key;
            g.abbr = file_safe(key);
            g.name = key;
            if (mode == Mode::each_key) {
                g.name = f.name.empty() ? key : f.name;
                if (is_fips5(key)) {
                    if (const geo::UsState* s = geo::find_us_state(key.substr(0, 2))) {
                        g.name += ", " + std::string(s->abbr);
                    }
                }
            } else if (mode == Mode::state_of_key || wanted == "state" ||
                       lower(field).find("state") != std::string::npos) {
                name_state_group(g);
            }
        }
        g.features.push_back(i);
    }
    std::vector<Group> out;
    out.reserve(groups.size());
    for (auto& [key, g] : groups) {
        out.push_back(std::move(g));
    }
    std::sort(out.begin(), out.end(), [](const Group& a, const Group& b) { return a.key < b.key; });
    return out;
}

std::vector<Group> select_groups(std::vector<Group> groups,
                                 const std::vector<std::string>& only,
                                 const std::vector<std::string>& except) {
    const auto matches = [](const Group& g, const std::string& name) {
        const std::string n = lower(name);
        if (n == lower(g.key) || n == lower(g.abbr) || n == lower(g.name)) {
            return true;
        }
        // "6" for "06", as a spreadsheet writes it.
        return !n.empty() && std::all_of(n.begin(), n.end(), [](unsigned char c) { return std::isdigit(c) != 0; }) &&
               g.key.size() > n.size() && g.key.substr(g.key.size() - n.size()) == n &&
               std::all_of(
                   g.key.begin(), g.key.end() - static_cast<std::ptrdiff_t>(n.size()), [](char c) { return c == '0'; });
    };
    const auto check = [&](const std::vector<std::string>& names, const char* flag) {
        for (const auto& name : names) {
            if (std::none_of(groups.begin(), groups.end(), [&](const Group& g) { return matches(g, name); })) {
                throw JobError(flag, 0, 0, "'" + name + "' names no group of the boundaries");
            }
        }
    };
    check(only, "--only");
    check(except, "--except");
    std::vector<Group> out;
    for (auto& g : groups) {
        const bool in =
            only.empty() || std::any_of(only.begin(), only.end(), [&](const auto& n) { return matches(g, n); });
        const bool out_ = std::any_of(except.begin(), except.end(), [&](const auto& n) { return matches(g, n); });
        if (in && !out_) {
            out.push_back(std::move(g));
        }
    }
    return out;
}

geo::Extent features_extent(const geo::Layer& layer, const std::vector<std::size_t>& features) {
    std::vector<double> lons;
    double south = 90.0;
    double north = -90.0;
    for (const std::size_t i : features) {
        for (const auto& poly : layer.features[i].geometry) {
            for (const auto& p : poly.empty() ? geo::Ring<geo::LonLat>{} : poly.front()) {
                lons.push_back(wrap(p.x));
                south = std::min(south, p.y);
                north = std::max(north, p.y);
            }
        }
    }
    geo::Extent e;
    if (lons.empty()) {
        return e;
    }
    std::sort(lons.begin(), lons.end());
    // The box is the complement of the widest gap between longitudes (the gap across 180° included).
    double gap = lons.front() + 360.0 - lons.back();
    double west = lons.front();
    double east = lons.back();
    for (std::size_t k = 1; k < lons.size(); ++k) {
        if (lons[k] - lons[k - 1] > gap) {
            gap = lons[k] - lons[k - 1];
            west = lons[k];
            east = lons[k - 1];
        }
    }
    e.west = west;
    e.east = east;
    e.south = south;
    e.north = north;
    return e;
}

std::string fitted_conic(const geo::Extent& e) {
    const double span = e.north - e.south;
    const double lat_1 = e.south + span / 6.0;
    const double lat_2 = e.north - span / 6.0;
    const double lat_0 = (e.south + e.north) / 2.0;
    const double lon_0 = wrap(e.west + e.width() / 2.0);
    char buf[256];
    if (std::abs(lat_1 + lat_2) < 1e-6) {
        std::snprintf(
            buf, sizeof buf, "+proj=laea +lat_0=%.4f +lon_0=%.4f +datum=WGS84 +units=m +no_defs", lat_0, lon_0);
    } else {
        std::snprintf(buf,
                      sizeof buf,
                      "+proj=aea +lat_0=%.4f +lon_0=%.4f +lat_1=%.4f +lat_2=%.4f +datum=WGS84 +units=m +no_defs",
                      lat_0,
                      lon_0,
                      lat_1,
                      lat_2);
    }
    return buf;
}

Batch::Batch(const PreparedData& data, const styles::Job& job, std::vector<Group> groups, BatchOptions options)
    : m_data(data), m_job(job), m_groups(std::move(groups)), m_options(std::move(options)) {
    const auto box_of = [](const geo::MultiPolygon<geo::LonLat>& mp) {
        geo::Box<geo::LonLat> b;
        for (const auto& poly : mp) {
            for (const auto& ring : poly) {
                for (const auto& p : ring) {
                    b.extend(p);
                }
            }
        }
        return b;
    };
    m_boxes.reserve(data.layer.features.size());
    for (const auto& f : data.layer.features) {
        m_boxes.push_back(box_of(f.geometry));
    }
    if (data.overlay) {
        for (const auto& f : data.overlay->features) {
            m_overlay_boxes.push_back(box_of(f.geometry));
        }
    }
    if (!job.values.source.empty() && !m_options.totals.empty()) {
        const geo::Table table = read_value_table(job);
        for (const auto& column : m_options.totals) {
            m_extra.push_back(join_column(job, data.layer, table, column));
        }
    }
}

std::string Batch::projection_of(std::size_t i) const {
    const Group& g = m_groups[i];
    for (const auto& [name, spec] : m_options.projections) {
        const std::string n = lower(name);
        if (n == lower(g.key) || n == lower(g.abbr) || n == lower(g.name)) {
            return spec;
        }
    }
    if (!m_options.projection.empty() && lower(m_options.projection) != "auto") {
        return m_options.projection;
    }
    return fitted_conic(features_extent(m_data.layer, g.features));
}

namespace {

/// Which marks a map shows (its legend lists only those).
struct Marks {
    bool highlight = false;
    bool partial = false;
    bool ban = false;
    bool enacted = false;
};

/// The values of a group's features (layer order), with its totals filled in; `first` is the first
/// finite value and `all_equal` whether every finite value equals it.
struct GroupValues {
    std::vector<std::optional<double>> values;
    std::optional<double> first;
    bool all_equal = true;
};

GroupValues collect_values(const PreparedData& data,
                           const Group& g,
                           const std::vector<std::vector<std::optional<double>>>& extra,
                           const std::vector<std::string>& extra_names,
                           GroupTotals& totals) {
    GroupValues out;
    out.values.reserve(g.features.size());
    totals.features = g.features.size();
    for (const std::size_t f : g.features) {
        const std::optional<double> v = f < data.join.values.size() ? data.join.values[f] : std::nullopt;
        out.values.push_back(v);
        if (v && std::isfinite(*v)) {
            ++totals.with_value;
            totals.total += *v;
            totals.above_zero += *v > 0.0 ? 1 : 0;
            if (!out.first) {
                out.first = v;
            } else if (*v != *out.first) {
                out.all_equal = false;
            }
        }
    }
    for (std::size_t k = 0; k < extra.size(); ++k) {
        double sum = 0.0;
        for (const std::size_t f : g.features) {
            if (f < extra[k].size() && extra[k][f] && std::isfinite(*extra[k][f])) {
                sum += *extra[k][f];
            }
        }
        totals.extra.emplace_back(extra_names[k], sum);
    }
    return out;
}

/// The prepared data of the group's own features (their values, classes and highlights); the
/// holdouts go to `totals`.
PreparedData group_data(const PreparedData& data,
                        const Group& g,
                        const GroupValues& values,
                        std::vector<styles::ClassId> classes,
                        GroupTotals& totals,
                        Marks& marks) {
    const auto& features = data.layer.features;
    PreparedData sub;
    sub.layer.source = data.layer.source;
    sub.layer.name = data.layer.name;
    sub.classes = std::move(classes);
    sub.join.values = values.values;
    for (const std::size_t f : g.features) {
        sub.layer.features.push_back(features[f]);
        const bool hl = f < data.highlights.features.size() && data.highlights.features[f];
        const bool part = f < data.highlights.partial.size() && data.highlights.partial[f];
        sub.highlights.features.push_back(hl);
        sub.highlights.partial.push_back(part);
        marks.highlight = marks.highlight || hl;
        marks.partial = marks.partial || part;
        if (hl || part) {
            totals.holdouts.push_back(features[f].name.empty() ? features[f].key : features[f].name);
        }
    }
    return sub;
}

/// The overlay features whose boxes meet `around`; only the group's own overlay feature (its
/// state, by key or name) keeps its marks: a neighbour's ban is the neighbour's map's business.
void add_overlay(PreparedData& sub,
                 const PreparedData& data,
                 const std::vector<geo::Box<geo::LonLat>>& boxes,
                 const geo::Extent& around,
                 const Group& g,
                 Marks& marks) {
    if (!data.overlay) {
        return;
    }
    geo::Layer overlay;
    overlay.source = data.overlay->source;
    for (std::size_t k = 0; k < data.overlay->features.size(); ++k) {
        if (!boxes_meet(around, boxes[k])) {
            continue;
        }
        const geo::Feature& f = data.overlay->features[k];
        overlay.features.push_back(f);
        const std::string key = lower(f.key);
        const bool own =
            !key.empty() && (key == lower(g.key) || key == lower(g.abbr) || lower(f.name) == lower(g.name));
        const bool ban = own && k < data.highlights.overlay.size() && data.highlights.overlay[k];
        const bool enacted = own && k < data.highlights.overlay_enacted.size() && data.highlights.overlay_enacted[k];
        sub.highlights.overlay.push_back(ban);
        sub.highlights.overlay_enacted.push_back(enacted);
        marks.ban = marks.ban || ban;
        marks.enacted = marks.enacted || enacted;
    }
    sub.overlay = std::move(overlay);
}

/// The job of one map: the batch's, with the group's title, totals in the subtitle, and the
/// one-class note and holdouts in the notes.
styles::Job group_job(const styles::Job& base,
                      const Group& g,
                      const GroupTotals& totals,
                      const GroupValues& values,
                      bool one_class,
                      const std::string& noun) {
    styles::Job job = base;
    job.map.extent.reset();
    job.map.extent_of.clear();
    job.map.title = base.map.title.empty() ? g.name : g.name + ": " + base.map.title;
    const std::string value_name = base.values.count ? std::string("rows") : words(base.values.value);
    std::string subtitle;
    if (!base.values.source.empty()) {
        subtitle = counted(totals.total, value_name);
        for (const auto& [column, sum] : totals.extra) {
            subtitle += ", " + counted(sum, words(column));
        }
        subtitle += "; " + format_number(static_cast<double>(totals.above_zero)) + " of " +
                    format_number(static_cast<double>(totals.features)) + " " + noun + " with at least one";
    }
    if (!base.map.subtitle.empty()) {
        subtitle += (subtitle.empty() ? "" : ". ") + base.map.subtitle;
    }
    job.map.subtitle = subtitle;
    std::vector<std::string> notes;
    if (one_class) {
        const std::string n = format_number(static_cast<double>(totals.features)) + " " + noun;
        notes.push_back(!values.first
                            ? "None of the " + n + " of " + g.name + " has a value: one class."
                            : "All " + format_number(static_cast<double>(totals.with_value)) + " of the " + n + " of " +
                                  g.name + " with a value have " + format_number(*values.first) + ": one class.");
    }
    if (!totals.holdouts.empty()) {
        std::string line = "Holdouts (hatched): ";
        const std::size_t shown = std::min<std::size_t>(totals.holdouts.size(), 40);
        for (std::size_t k = 0; k < shown; ++k) {
            line += (k ? ", " : "") + totals.holdouts[k];
        }
        if (shown < totals.holdouts.size()) {
            line += " and " + std::to_string(totals.holdouts.size() - shown) + " more";
        }
        notes.push_back(line + ".");
    }
    job.map.notes.insert(job.map.notes.begin(), notes.begin(), notes.end());
    return job;
}

/// The legend of a one-class map: its one value, no data, and the marks.
std::vector<styles::LegendItem> one_class_legend(const GroupMap& map,
                                                 const GroupValues& values,
                                                 const styles::ClassColors& colors,
                                                 const styles::Job& job,
                                                 const Marks& marks) {
    std::vector<styles::LegendItem> legend;
    const GroupTotals& totals = map.totals;
    if (values.first) {
        styles::LegendItem item;
        item.swatch = styles::Swatch::fill;
        item.count = totals.with_value;
        item.color = colors.fill(map.breaks.class_of(values.first));
        item.label = format_number(*values.first);
        legend.push_back(item);
    }
    if (totals.with_value < totals.features) {
        legend.push_back({styles::Swatch::fill, colors.no_data, "No data", totals.features - totals.with_value});
    }
    for (const auto& it : styles::legend_items(
             map.breaks, colors, job.style, job.highlight, marks.highlight, marks.ban, marks.partial, marks.enacted)) {
        if (it.swatch != styles::Swatch::fill) {
            legend.push_back(it);
        }
    }
    return legend;
}

}  // namespace

GroupMap Batch::build(std::size_t i) const {
    const Group& g = m_groups[i];
    GroupMap map;
    map.projection = projection_of(i);
    const geo::Projection projection(map.projection);

    // Values, totals and the one-class case; the classes of the map's scale.
    const GroupValues values = collect_values(m_data, g, m_extra, m_options.totals, map.totals);
    map.one_class = !values.first || values.all_equal;
    styles::ClassColors colors = m_data.colors;
    std::vector<styles::ClassId> classes;
    if (m_options.per_map_breaks && !map.one_class) {
        map.breaks = styles::classify(values.values, m_job.classify);
        colors = styles::class_colors(map.breaks, m_job.style);
        for (const auto& v : values.values) {
            classes.push_back(map.breaks.class_of(v));
        }
    } else {
        map.breaks = recounted(m_data.breaks, values.values);
        for (const std::size_t f : g.features) {
            classes.push_back(f < m_data.classes.size() ? m_data.classes[f] : styles::no_data_class);
        }
    }

    // The group's own features and the overlay around them, through build_scene (notes file,
    // furniture, texts).
    Marks marks;
    PreparedData sub = group_data(m_data, g, values, std::move(classes), map.totals, marks);
    sub.breaks = map.breaks;
    sub.colors = colors;
    const geo::Extent around = grown(features_extent(m_data.layer, g.features), 0.6);
    add_overlay(sub, m_data, m_overlay_boxes, around, g, marks);
    styles::Job job = group_job(m_job, g, map.totals, values, map.one_class, m_options.noun);
    // Legend: the classes (global scale: every class, this map's counts), or the one class.
    sub.legend = map.one_class ? one_class_legend(map, values, colors, m_job, marks)
                               : styles::legend_items(map.breaks,
                                                      colors,
                                                      m_job.style,
                                                      m_job.highlight,
                                                      marks.highlight,
                                                      marks.ban,
                                                      marks.partial,
                                                      marks.enacted);
    job.map.legend_title = (m_job.map.legend_title.empty() ? std::string("Value") : m_job.map.legend_title) +
                           (map.one_class              ? " (one class)"
                            : m_options.per_map_breaks ? " (scale of this map)"
                                                       : " (same scale on every map)");
    map.scene = build_scene(sub, job, projection);
    frame_with_context(map, g, projection, around);
    return map;
}

void Batch::frame_with_context(GroupMap& map,
                               const Group& g,
                               const geo::Projection& projection,
                               const geo::Extent& around) const {
    // Frame: the group's own geometry with a margin; neighbours fill the rest of the frame.
    geo::Box<geo::Projected> box;
    for (const auto& f : map.scene.features) {
        box.extend(geo::envelope(f));
    }
    if (box.empty()) {
        throw ProjectionError(
            map.projection, 0, g.name + " (" + g.key + "): no feature of the group could be projected");
    }
    const double pad = 0.03 * std::max(box.max.x - box.min.x, box.max.y - box.min.y);
    box.extend(geo::Projected{box.min.x - pad, box.min.y - pad});
    box.extend(geo::Projected{box.max.x + pad, box.max.y + pad});
    map.scene.bounds = box;
    if (!m_options.context) {
        return;
    }
    const auto& features = m_data.layer.features;
    std::size_t next = 0;  // g.features is sorted: skip the group's own
    for (std::size_t f = 0; f < features.size(); ++f) {
        if (next < g.features.size() && g.features[next] == f) {
            ++next;
            continue;
        }
        if (boxes_meet(around, m_boxes[f])) {
            auto projected = projection.project(features[f].geometry);
            if (!projected.empty()) {
                map.scene.context.push_back(std::move(projected));
            }
        }
    }
}

std::string scene_fingerprint(
    const Scene& scene, const styles::StyleSettings& style, int width, int height, int dpi, const std::string& format) {
    return scene_fingerprint(scene, style, width, height, dpi, format, CHORO_VERSION);
}

std::string scene_fingerprint(const Scene& scene,
                              const styles::StyleSettings& style,
                              int width,
                              int height,
                              int dpi,
                              const std::string& format,
                              std::string_view version) {
    std::string b;
    put_text(b, "choro batch map v1");
    put_text(b, std::string(version));
    put_text(b, format);
    put(b, width);
    put(b, height);
    put(b, dpi);
    put_text(b, style.palette);
    for (const auto& c : {style.background,
                          style.no_data,
                          style.zero,
                          style.border,
                          style.overlay_border,
                          style.highlight,
                          style.text}) {
        put_color(b, c);
    }
    put(b, style.border_width);
    put(b, style.overlay_border_width);
    put_text(b, style.font);
    put_geometry(b, scene.features);
    put(b, static_cast<std::uint64_t>(scene.fills.size()));
    for (const auto& c : scene.fills) {
        put_color(b, c);
    }
    put_flags(b, scene.highlighted);
    put_flags(b, scene.partial);
    put_geometry(b, scene.overlay);
    put_flags(b, scene.overlay_highlighted);
    put_flags(b, scene.overlay_enacted);
    put_geometry(b, scene.context);
    put_geometry(b, {scene.sphere});
    put(b, scene.bounds.min.x);
    put(b, scene.bounds.min.y);
    put(b, scene.bounds.max.x);
    put(b, scene.bounds.max.y);
    for (const auto* text : {&scene.title, &scene.subtitle, &scene.legend_title, &scene.source_note}) {
        put_text(b, *text);
    }
    put(b, static_cast<std::uint64_t>(scene.notes.size()));
    for (const auto& n : scene.notes) {
        put_text(b, n);
    }
    put(b, static_cast<std::uint64_t>(scene.legend.size()));
    for (const auto& item : scene.legend) {
        put(b, static_cast<int>(item.swatch));
        put_color(b, item.color);
        put_text(b, item.label);
        put(b, static_cast<std::uint64_t>(item.count));
    }
    return geo::content_hash(b);
}

}  // namespace choro::pipeline
