#include "choro/styles/job.hpp"

#include <climits>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "detail/text.hpp"
#include <toml++/toml.h>

#include "choro/geo/date.hpp"
#include "choro/geo/error.hpp"
#include "choro/styles/label_text.hpp"

namespace choro::styles {

namespace {

namespace fs = std::filesystem;

/// Where a setting sits in the job file, for messages.
struct Where {
    std::size_t line = 0;
    std::size_t column = 0;
};

[[nodiscard]] Where where(const toml::source_region& r) noexcept {
    return {static_cast<std::size_t>(r.begin.line), static_cast<std::size_t>(r.begin.column)};
}

[[nodiscard]] std::string type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a floating-point number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

/// Parsing state of one job file.
class Parser {
public:
    Parser(std::string path, std::string data_dir) : m_path(std::move(path)), m_data_dir(std::move(data_dir)) {
        if (!m_path.empty()) {
            m_dir = fs::path(m_path).parent_path();
        }
    }

    [[noreturn]] void fail(Where w, const std::string& what) const { throw JobError(m_path, w.line, w.column, what); }

    /// "'classes' in [classify]" or "'output'" at the top level.
    [[nodiscard]] static std::string name(std::string_view key, std::string_view section) {
        std::string n = "'" + std::string(key) + "'";
        if (!section.empty()) {
            n += " in [" + std::string(section) + "]";
        }
        return n;
    }

    [[noreturn]] void wrong_type(const toml::node& n,
                                 std::string_view key,
                                 std::string_view section,
                                 std::string_view expected) const {
        fail(where(n.source()), name(key, section) + " must be " + std::string(expected) + ", not " + type_name(n));
    }

    [[nodiscard]] std::string string(const toml::node& n, std::string_view key, std::string_view section) const {
        if (const auto* s = n.as_string()) {
            return s->get();
        }
        wrong_type(n, key, section, "a string");
    }

    [[nodiscard]] bool boolean(const toml::node& n, std::string_view key, std::string_view section) const {
        if (const auto* b = n.as_boolean()) {
            return b->get();
        }
        wrong_type(n, key, section, "a boolean (true or false)");
    }

    [[nodiscard]] long long integer(const toml::node& n, std::string_view key, std::string_view section) const {
        if (const auto* i = n.as_integer()) {
            return i->get();
        }
        wrong_type(n, key, section, "an integer");
    }

    /// Where a setting sits, for the shared checks of choro/styles/settings.hpp.
    [[nodiscard]] Origin origin(const toml::node& n, std::string_view key, std::string_view section) const {
        const Where w = where(n.source());
        return Origin{{}, m_path, w.line, w.column, name(key, section)};
    }

    /// An integer within `range` (settings.hpp): below is a JobError, above a LimitError.
    [[nodiscard]] int bounded(const toml::node& n,
                              std::string_view key,
                              std::string_view section,
                              const IntRange& range) const {
        return static_cast<int>(check_range(range, integer(n, key, section), origin(n, key, section)));
    }

    [[nodiscard]] double number(const toml::node& n, std::string_view key, std::string_view section) const {
        if (const auto* i = n.as_integer()) {
            return static_cast<double>(i->get());
        }
        if (const auto* f = n.as_floating_point()) {
            if (!std::isfinite(f->get())) {
                fail(where(n.source()), name(key, section) + " must be a finite number");
            }
            return f->get();
        }
        wrong_type(n, key, section, "a number");
    }

    [[nodiscard]] double non_negative(const toml::node& n, std::string_view key, std::string_view section) const {
        const double v = number(n, key, section);
        if (v < 0.0) {
            fail(where(n.source()), name(key, section) + " must not be negative");
        }
        return v;
    }

    /// A string or an array of strings.
    [[nodiscard]] std::vector<std::string> strings(const toml::node& n,
                                                   std::string_view key,
                                                   std::string_view section) const {
        if (n.is_string()) {
            return {string(n, key, section)};
        }
        const auto* a = n.as_array();
        if (a == nullptr) {
            wrong_type(n, key, section, "a string or an array of strings");
        }
        std::vector<std::string> out;
        for (const auto& item : *a) {
            if (!item.is_string()) {
                wrong_type(item, key, section, "an array of strings, with every item a string,");
            }
            out.push_back(string(item, key, section));
        }
        return out;
    }

    [[nodiscard]] std::vector<double> numbers(const toml::node& n,
                                              std::string_view key,
                                              std::string_view section) const {
        const auto* a = n.as_array();
        if (a == nullptr) {
            wrong_type(n, key, section, "an array of numbers");
        }
        std::vector<double> out;
        for (const auto& item : *a) {
            if (!item.is_number()) {
                wrong_type(item, key, section, "an array of numbers, with every item a number,");
            }
            out.push_back(number(item, key, section));
        }
        return out;
    }

    [[nodiscard]] Color color(const toml::node& n, std::string_view key, std::string_view section) const {
        const std::string text = string(n, key, section);
        try {
            return parse_color(text);
        } catch (const JobError&) {
            fail(where(n.source()),
                 name(key, section) + ": invalid colour '" + text + "'; expected \"#rrggbb\" or \"#rrggbbaa\"");
        }
    }

    /// A path setting: `{data}` expanded, relative paths resolved against the job file's folder.
    [[nodiscard]] std::string path(const toml::node& n, std::string_view key, std::string_view section) const {
        std::string raw = string(n, key, section);
        if (raw.empty()) {
            return raw;
        }
        if (raw.find("{data}") != std::string::npos) {
            try {
                // Relative to where choro runs, as the data folder itself is.
                return expand_path(raw, m_data_dir);
            } catch (const JobError& e) {
                fail(where(n.source()), name(key, section) + ": " + e.what());
            }
        }
        const fs::path p(raw);
        if (p.is_absolute() || raw.rfind("/vsi", 0) == 0 || raw.find("://") != std::string::npos || m_dir.empty()) {
            return raw;
        }
        return (m_dir / p).lexically_normal().string();
    }

    /// Calls the handler of each key of `table`; unknown keys fail with a suggestion.
    using Handler = std::function<void(const toml::node&)>;
    void section(const toml::table& table,
                 std::string_view section_name,
                 const std::vector<std::pair<std::string_view, Handler>>& handlers) const {
        for (const auto& [key, node] : table) {
            bool found = false;
            for (const auto& [known, handler] : handlers) {
                if (key.str() == known) {
                    handler(node);
                    found = true;
                    break;
                }
            }
            if (!found) {
                std::vector<std::string_view> names;
                names.reserve(handlers.size());
                for (const auto& h : handlers) {
                    names.push_back(h.first);
                }
                std::string msg = "unknown key '" + std::string(key.str()) + "' in [" + std::string(section_name) + "]";
                const std::string near = detail::nearest(key.str(), names);
                if (!near.empty()) {
                    msg += "; did you mean '" + near + "'?";
                } else {
                    msg += "; known keys:";
                    for (const auto k : names) {
                        msg += " " + std::string(k);
                    }
                }
                fail(where(key.source()), msg);
            }
        }
    }

    [[nodiscard]] const toml::table& table(const toml::key& key, const toml::node& n) const {
        const auto* t = n.as_table();
        if (t == nullptr) {
            fail(where(key.source()), "[" + std::string(key.str()) + "] must be a table, not " + type_name(n));
        }
        return *t;
    }

    [[nodiscard]] BoundarySource boundaries(const toml::table& t, std::string_view s) const {
        BoundarySource b;
        section(t,
                s,
                {{"source", [&](const toml::node& n) { b.source = path(n, "source", s); }},
                 {"layer", [&](const toml::node& n) { b.layer = string(n, "layer", s); }},
                 {"key", [&](const toml::node& n) { b.key = string(n, "key", s); }},
                 {"name", [&](const toml::node& n) { b.name = string(n, "name", s); }},
                 {"srs", [&](const toml::node& n) { b.srs = string(n, "srs", s); }}});
        return b;
    }

    void values(const toml::table& t, ValueSource& v) const {
        constexpr std::string_view s = "values";
        section(t,
                s,
                {{"source", [&](const toml::node& n) { v.source = path(n, "source", s); }},
                 {"sheet", [&](const toml::node& n) { v.sheet = string(n, "sheet", s); }},
                 {"key", [&](const toml::node& n) { v.key = string(n, "key", s); }},
                 {"value", [&](const toml::node& n) { v.value = string(n, "value", s); }},
                 {"count", [&](const toml::node& n) { v.count = boolean(n, "count", s); }},
                 {"duplicates",
                  [&](const toml::node& n) {
                      v.duplicates = parse_duplicates(string(n, "duplicates", s), origin(n, "duplicates", s));
                  }},

                 {"min_match", [&](const toml::node& n) { v.min_match = number(n, "min_match", s); }},
                 {"decimal", [&](const toml::node& n) { v.decimal = string(n, "decimal", s); }},
                 {"thousands", [&](const toml::node& n) { v.thousands = string(n, "thousands", s); }},
                 {"number_format", [&](const toml::node& n) { v.number_format = string(n, "number_format", s); }},
                 {"delimiter", [&](const toml::node& n) { v.delimiter = string(n, "delimiter", s); }}});
    }

    void highlight(const toml::table& t, HighlightSource& h) const {
        constexpr std::string_view s = "highlight";
        section(t,
                s,
                {{"source", [&](const toml::node& n) { h.source = path(n, "source", s); }},
                 {"key", [&](const toml::node& n) { h.key = string(n, "key", s); }},
                 {"state_key", [&](const toml::node& n) { h.state_key = string(n, "state_key", s); }},
                 {"level", [&](const toml::node& n) { h.level = string(n, "level", s); }},
                 {"status", [&](const toml::node& n) { h.status = string(n, "status", s); }},
                 {"exclude_status", [&](const toml::node& n) { h.exclude_status = strings(n, "exclude_status", s); }},
                 {"label", [&](const toml::node& n) { h.label = string(n, "label", s); }},
                 {"state_label", [&](const toml::node& n) { h.state_label = string(n, "state_label", s); }},
                 {"date", [&](const toml::node& n) { h.date = string(n, "date", s); }},
                 {"in_force", [&](const toml::node& n) { h.in_force = string(n, "in_force", s); }},
                 {"as_of", [&](const toml::node& n) { h.as_of = string(n, "as_of", s); }},
                 {"partial_label", [&](const toml::node& n) { h.partial_label = string(n, "partial_label", s); }},
                 {"enacted_label", [&](const toml::node& n) { h.enacted_label = string(n, "enacted_label", s); }}});
    }

    void classify(const toml::table& t, ClassifyOptions& c) const {
        constexpr std::string_view s = "classify";
        bool method_given = false;
        section(t,
                s,
                {{"method",
                  [&](const toml::node& n) {
                      const std::string m = string(n, "method", s);
                      try {
                          c.method = parse_method(m);
                      } catch (const JobError& e) {
                          fail(where(n.source()), name("method", s) + ": " + e.what());
                      }
                      method_given = true;
                  }},
                 {"classes",
                  [&](const toml::node& n) {
                      c.classes = static_cast<std::size_t>(bounded(n, "classes", s, ranges::classes));
                  }},
                 {"breaks",
                  [&](const toml::node& n) {
                      c.manual_breaks = numbers(n, "breaks", s);
                      for (std::size_t i = 1; i < c.manual_breaks.size(); ++i) {
                          if (!(c.manual_breaks[i] > c.manual_breaks[i - 1])) {
                              fail(where(n.source()), name("breaks", s) + " must be ascending");
                          }
                      }
                  }},
                 {"zero", [&](const toml::node& n) {
                      if (n.is_boolean()) {
                          c.zero = boolean(n, "zero", s) ? ZeroClass::on : ZeroClass::off;
                          return;
                      }
                      if (!n.is_string()) {
                          wrong_type(n, "zero", s, "\"auto\", \"on\", \"off\" or a boolean");
                      }
                      const std::string z = detail::lower(string(n, "zero", s));
                      if (z == "auto" || z == "automatic") {
                          c.zero = ZeroClass::automatic;
                      } else if (z == "on") {
                          c.zero = ZeroClass::on;
                      } else if (z == "off") {
                          c.zero = ZeroClass::off;
                      } else {
                          fail(where(n.source()),
                               name("zero", s) + " must be \"auto\", \"on\" or \"off\", not \"" + z + "\"");
                      }
                  }}});
        if (!method_given && !c.manual_breaks.empty()) {
            c.method = Method::manual;  // breaks alone mean manual classes
        }
    }

    void style(const toml::table& t, StyleSettings& st) const {
        constexpr std::string_view s = "style";
        const auto reverse = [&](const toml::node& n) { st.reverse_palette = boolean(n, "reverse_palette", s); };
        section(t,
                s,
                {{"palette",
                  [&](const toml::node& n) {
                      st.palette = string(n, "palette", s);
                      try {
                          (void)palette(st.palette, 3);
                      } catch (const JobError& e) {
                          fail(where(n.source()), name("palette", s) + ": " + e.what());
                      }
                  }},
                 {"reverse_palette", reverse},
                 {"background", [&](const toml::node& n) { st.background = color(n, "background", s); }},
                 {"no_data", [&](const toml::node& n) { st.no_data = color(n, "no_data", s); }},
                 {"zero", [&](const toml::node& n) { st.zero = color(n, "zero", s); }},
                 {"border", [&](const toml::node& n) { st.border = color(n, "border", s); }},
                 {"border_width", [&](const toml::node& n) { st.border_width = non_negative(n, "border_width", s); }},
                 {"overlay_border", [&](const toml::node& n) { st.overlay_border = color(n, "overlay_border", s); }},
                 {"overlay_border_width",
                  [&](const toml::node& n) { st.overlay_border_width = non_negative(n, "overlay_border_width", s); }},
                 {"highlight", [&](const toml::node& n) { st.highlight = color(n, "highlight", s); }},
                 {"text", [&](const toml::node& n) { st.text = color(n, "text", s); }},
                 {"font", [&](const toml::node& n) { st.font = string(n, "font", s); }}});
    }

    // [legend] and [labels] (issue 10): a bad word fails at its line and column.
    template <typename Parse>
    void checked(const toml::node& n, std::string_view key, std::string_view s, Parse&& parse) const {
        try {
            parse(string(n, key, s));
        } catch (const JobError& e) {
            std::string what = e.what();
            if (what.rfind("job: ", 0) == 0) {
                what.erase(0, 5);  // the parsers throw without a path; the file's line and column name the place
            }
            fail(where(n.source()), name(key, s) + ": " + what);
        }
    }

    void legend(const toml::table& t, LegendSettings& l) const {
        constexpr std::string_view s = "legend";
        section(t,
                s,
                {{"format",
                  [&](const toml::node& n) {
                      checked(n, "format", s, [&](const std::string& v) { l.format = parse_legend_format(v); });
                  }},
                 {"layout",
                  [&](const toml::node& n) {
                      checked(n, "layout", s, [&](const std::string& v) { l.layout = parse_legend_layout(v); });
                  }},
                 {"histogram", [&](const toml::node& n) { l.histogram = boolean(n, "histogram", s); }}});
    }

    void labels(const toml::table& t, LabelSettings& l) const {
        constexpr std::string_view s = "labels";
        section(t,
                s,
                {{"select",
                  [&](const toml::node& n) {
                      checked(n, "select", s, [&](const std::string& v) {
                          (void)parse_label_selection(v);
                          l.select = v;
                      });
                  }},
                 {"format",
                  [&](const toml::node& n) {
                      checked(n, "format", s, [&](const std::string& v) {
                          check_label_format(v);
                          l.format = v;
                      });
                  }},
                 {"callouts", [&](const toml::node& n) { l.callouts = boolean(n, "callouts", s); }}});
    }

    void map(const toml::table& t, MapSettings& m) const {
        constexpr std::string_view s = "map";
        section(t,
                s,
                {{"title", [&](const toml::node& n) { m.title = string(n, "title", s); }},
                 {"subtitle", [&](const toml::node& n) { m.subtitle = string(n, "subtitle", s); }},
                 {"source_note", [&](const toml::node& n) { m.source_note = string(n, "source_note", s); }},
                 {"notes", [&](const toml::node& n) { m.notes = strings(n, "notes", s); }},
                 {"legend_title", [&](const toml::node& n) { m.legend_title = string(n, "legend_title", s); }},
                 {"width", [&](const toml::node& n) { m.width = bounded(n, "width", s, ranges::width); }},
                 {"height", [&](const toml::node& n) { m.height = bounded(n, "height", s, ranges::height); }},
                 {"dpi", [&](const toml::node& n) { m.dpi = bounded(n, "dpi", s, ranges::dpi); }},
                 {"projection", [&](const toml::node& n) { m.projection = string(n, "projection", s); }},
                 {"notes_file", [&](const toml::node& n) { m.notes_file = path(n, "notes_file", s); }},
                 {"extent",
                  [&](const toml::node& n) {
                      const auto b = numbers(n, "extent", s);
                      if (b.size() != 4) {
                          fail(where(n.source()),
                               name("extent", s) + " must have 4 numbers (west, south, east, north), not " +
                                   std::to_string(b.size()));
                      }
                      m.extent = check_bbox(b[0], b[1], b[2], b[3], origin(n, "extent", s), true);
                  }},
                 {"extent_of", [&](const toml::node& n) { m.extent_of = strings(n, "extent_of", s); }},
                 {"sphere", [&](const toml::node& n) { m.sphere = boolean(n, "sphere", s); }},
                 {"water", [&](const toml::node& n) { m.water = color(n, "water", s); }},
                 {"graticule", [&](const toml::node& n) { m.graticule = number(n, "graticule", s); }}});
    }

    void tiles(const toml::table& t, TileSettings& ts) const {
        constexpr std::string_view s = "tiles";
        section(
            t,
            s,
            {{"zoom", [&](const toml::node& n) { zoom(n, ts); }},
             {"bbox",
              [&](const toml::node& n) {
                  const auto b = numbers(n, "bbox", s);
                  if (b.size() != 4) {
                      fail(where(n.source()),
                           name("bbox", s) + " must have 4 numbers (west, south, east, north), not " +
                               std::to_string(b.size()));
                  }
                  ts.bbox = check_bbox(b[0], b[1], b[2], b[3], origin(n, "bbox", s), true);
              }},
             {"scale", [&](const toml::node& n) { ts.scale = bounded(n, "scale", s, ranges::scale); }},
             {"metatile", [&](const toml::node& n) { ts.metatile = bounded(n, "metatile", s, ranges::metatile); }}});
    }

    void batch(const toml::table& t, BatchSettings& b) const {
        constexpr std::string_view s = "batch";
        section(t,
                s,
                {{"by", [&](const toml::node& n) { b.by = string(n, "by", s); }},
                 {"name", [&](const toml::node& n) { b.name = string(n, "name", s); }},
                 {"breaks_scope",
                  [&](const toml::node& n) {
                      b.breaks_scope = string(n, "breaks_scope", s);
                      if (b.breaks_scope != "global" && b.breaks_scope != "per-map") {
                          fail(where(n.source()),
                               name("breaks_scope", s) + " must be \"global\" or \"per-map\", not \"" + b.breaks_scope +
                                   "\"");
                      }
                  }},
                 {"context", [&](const toml::node& n) { b.context = boolean(n, "context", s); }},
                 {"totals", [&](const toml::node& n) { b.totals = strings(n, "totals", s); }},
                 {"projection", [&](const toml::node& n) {
                      const auto* table = n.as_table();
                      if (table == nullptr) {
                          wrong_type(
                              n, "projection", s, "a table of group = \"CRS\" ([batch.projection] AK = \"EPSG:3338\")");
                      }
                      for (const auto& [group, crs] : *table) {
                          b.projections.emplace_back(std::string(group.str()),
                                                     string(crs, group.str(), "batch.projection"));
                      }
                  }}});
    }

    void zoom(const toml::node& n, TileSettings& ts) const {
        constexpr std::string_view s = "tiles";
        const Origin o = origin(n, "zoom", s);
        if (const auto* a = n.as_array()) {
            if (a->size() != 2 || !(*a)[0].is_integer() || !(*a)[1].is_integer()) {
                fail(where(n.source()),
                     name("zoom", s) + " must be \"min-max\" (e.g. \"0-7\"), one zoom level or [min, max]");
            }
            ts.zoom = check_zoom(integer((*a)[0], "zoom", s), integer((*a)[1], "zoom", s), o);
        } else if (n.is_integer()) {
            const long long z = integer(n, "zoom", s);
            ts.zoom = check_zoom(z, z, o);
        } else if (n.is_string()) {
            ts.zoom = parse_zoom(string(n, "zoom", s), o);
        } else {
            wrong_type(n, "zoom", s, "a string (\"0-7\"), an integer or an array [min, max]");
        }
    }

    [[nodiscard]] Job parse(std::string_view text) const {
        toml::table root;
        try {
            root = toml::parse(text, m_path);
        } catch (const toml::parse_error& e) {
            fail(where(e.source()), "TOML syntax error: " + std::string(e.description()));
        }
        if (root.empty()) {
            fail({}, "empty job file");
        }
        Job job;
        job.path = m_path;
        job.data_dir = m_data_dir;
        static const std::vector<std::string_view> top = {"boundaries",
                                                          "overlay",
                                                          "values",
                                                          "highlight",
                                                          "classify",
                                                          "style",
                                                          "map",
                                                          "tiles",
                                                          "batch",
                                                          "output",
                                                          "legend",
                                                          "labels"};
        for (const auto& [key, node] : root) {
            const std::string_view k = key.str();
            if (k == "boundaries") {
                job.boundaries = boundaries(table(key, node), "boundaries");
            } else if (k == "overlay") {
                job.overlay = boundaries(table(key, node), "overlay");
            } else if (k == "values") {
                values(table(key, node), job.values);
            } else if (k == "highlight") {
                highlight(table(key, node), job.highlight);
            } else if (k == "classify") {
                classify(table(key, node), job.classify);
            } else if (k == "style") {
                style(table(key, node), job.style);
            } else if (k == "map") {
                map(table(key, node), job.map);
            } else if (k == "tiles") {
                tiles(table(key, node), job.tiles);
            } else if (k == "batch") {
                batch(table(key, node), job.batch);
            } else if (k == "legend") {
                legend(table(key, node), job.legend);
            } else if (k == "labels") {
                labels(table(key, node), job.labels);
            } else if (k == "output") {
                job.outputs.clear();
                if (node.is_string()) {
                    job.outputs.push_back(path(node, "output", ""));
                } else if (const auto* a = node.as_array()) {
                    for (const auto& item : *a) {
                        if (!item.is_string()) {
                            wrong_type(item, "output", "", "an array of strings, with every item a string,");
                        }
                        job.outputs.push_back(path(item, "output", ""));
                    }
                } else {
                    wrong_type(node, "output", "", "a string or an array of strings");
                }
            } else {
                const std::string near = detail::nearest(k, top);
                const bool is_section = node.is_table();
                std::string msg =
                    is_section ? "unknown section [" + std::string(k) + "]" : "unknown key '" + std::string(k) + "'";
                if (!near.empty()) {
                    msg += near == "output" ? "; did you mean 'output'?" : "; did you mean [" + near + "]?";
                } else {
                    msg +=
                        "; known sections: [boundaries] [overlay] [values] [highlight] [classify] [style] [map] "
                        "[tiles] [batch] [legend] [labels] and the key output";
                }
                fail(where(key.source()), msg);
            }
        }
        return job;
    }

private:
    std::string m_path;
    std::string m_data_dir;
    fs::path m_dir;
};

std::string format_number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

[[noreturn]] void job_fail(const Job& job, const std::string& what) {
    throw JobError(job.path, 0, 0, what);
}

/// A range check of a job built in code or from flags: named like the job file's key.
long long check(const Job& job, const IntRange& range, long long v, const std::string& key) {
    return check_range(range, v, Origin{{}, job.path, 0, 0, key});
}

/// The sources: boundaries, overlay, and the value table's key and value columns.
void validate_sources(const Job& job) {
    if (job.boundaries.source.empty()) {
        job_fail(job, "no boundaries: set source in [boundaries] (flag: --boundaries SRC)");
    }
    if (job.overlay && job.overlay->source.empty()) {
        job_fail(job, "[overlay] has no source");
    }
    if (!job.values.source.empty()) {
        if (job.values.key.empty()) {
            job_fail(job, "[values] needs key, the key column of " + job.values.source + " (flag: --values-key COL)");
        }
        if (job.values.value.empty() && !job.values.count) {
            job_fail(job, "[values] needs value (a column) or count = true (flags: --value COL or --count)");
        }
        if (!job.values.value.empty() && job.values.count) {
            job_fail(job, "[values] has both value and count = true; choose one");
        }
    }
}

/// How values are written (flags --min-match, --decimal, --thousands, --number-format, --delimiter).
void validate_value_format(const Job& job) {
    if (job.values.min_match && !(*job.values.min_match >= 0.0 && *job.values.min_match <= 1.0)) {  // NaN too
        job_fail(job,
                 "min_match in [values] (--min-match) must be a share between 0 and 1, not " +
                     std::to_string(*job.values.min_match));
    }
    if (job.values.decimal != "." && job.values.decimal != ",") {
        job_fail(job, "decimal in [values] (--decimal) must be \".\" or \",\", not \"" + job.values.decimal + "\"");
    }
    if (!job.values.thousands.empty() && job.values.thousands != "," && job.values.thousands != "." &&
        job.values.thousands != " " && job.values.thousands != "'" && job.values.thousands != "none") {
        job_fail(job,
                 "thousands in [values] (--thousands) must be \",\", \".\", \" \", \"'\" or \"none\", not \"" +
                     job.values.thousands + "\"");
    }
    if (!job.values.thousands.empty() && job.values.thousands == job.values.decimal) {
        job_fail(job,
                 "the thousands separator (--thousands) and the decimal mark (--decimal) are both \"" +
                     job.values.decimal + "\"");
    }
    if (job.values.number_format != "auto" && job.values.number_format != "strip" &&
        job.values.number_format != "plain") {
        job_fail(job,
                 "number_format in [values] (--number-format) must be \"auto\", \"strip\" or \"plain\", not \"" +
                     job.values.number_format + "\"");
    }
    if (!job.values.delimiter.empty() && job.values.delimiter != "," && job.values.delimiter != ";" &&
        job.values.delimiter != "tab" && job.values.delimiter != "\t" && job.values.delimiter != "|") {
        job_fail(job,
                 "delimiter in [values] (--delimiter) must be \",\", \";\", \"tab\" or \"|\", not \"" +
                     job.values.delimiter + "\"");
    }
}

/// The classes: manual breaks ascending, a count in range, a palette with that many colours.
void validate_classes(const Job& job) {
    std::size_t classes = job.classify.classes;
    if (job.classify.method == Method::manual) {
        if (job.classify.manual_breaks.empty()) {
            job_fail(job, "manual classification needs breaks in [classify] (flag: --breaks a,b,c)");
        }
        for (std::size_t i = 1; i < job.classify.manual_breaks.size(); ++i) {
            if (!(job.classify.manual_breaks[i] > job.classify.manual_breaks[i - 1])) {
                job_fail(job, "breaks in [classify] must be ascending");
            }
        }
        classes = job.classify.manual_breaks.size() + 1;
        check(job, ranges::classes, static_cast<long long>(classes), "classes (manual breaks + 1)");
    } else if (job.classify.method != Method::categorical) {
        check(job, ranges::classes, static_cast<long long>(classes), "classes in [classify]");
    }
    if (job.classify.method != Method::categorical) {
        try {
            (void)palette(job.style.palette, classes);
        } catch (const JobError& e) {
            job_fail(job, std::string("[style] palette: ") + e.what());
        }
    }
}

/// The map's projection, extent and graticule (its size is checked before the classes).
void validate_map_frame(const Job& job) {
    if (job.map.projection.empty()) {
        job_fail(job, "projection in [map] is empty");
    }
    if (job.map.extent) {
        const auto& e = *job.map.extent;
        (void)check_bbox(e.min.x, e.min.y, e.max.x, e.max.y, Origin{{}, job.path, 0, 0, "extent in [map]"}, true);
    }
    if (job.map.graticule < 0.0 || job.map.graticule > 90.0) {
        job_fail(job, "graticule " + format_number(job.map.graticule) + ": expected degrees between lines, 0 to 90");
    }
    // The histogram's bars run to the right of the labels, in the vertical legend's column.
    if (job.legend.histogram && job.legend.layout == LegendLayout::horizontal) {
        job_fail(job,
                 "[legend] histogram (--legend-histogram) needs the vertical legend, but layout is horizontal "
                 "(--legend-layout horizontal): drop one of them");
    }
}

/// The tiles: zoom range, metatile, scale, bounding box.
void validate_tiles(const Job& job) {
    const Origin zoom_origin{{}, job.path, 0, 0, "zoom in [tiles]"};
    (void)check_zoom(job.tiles.zoom.min, job.tiles.zoom.max, zoom_origin);
    check(job, ranges::metatile, job.tiles.metatile, "metatile in [tiles]");
    check(job, ranges::scale, job.tiles.scale, "scale in [tiles]");
    if (job.tiles.bbox) {
        const auto& b = *job.tiles.bbox;
        (void)check_bbox(b.min.x, b.min.y, b.max.x, b.max.y, Origin{{}, job.path, 0, 0, "bbox in [tiles]"}, true);
    }
}

}  // namespace

Job parse_job_text(const std::string& text, const std::string& path, const std::string& data_dir) {
    return Parser(path, data_dir).parse(text);
}

Job parse_job_file(const std::string& path, const std::string& data_dir) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        throw JobError(path, 0, 0, "is a folder, not a job file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw JobError(path, 0, 0, "cannot open job file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_job_text(text.str(), path, data_dir);
}

std::string expand_path(const std::string& path, const std::string& data_dir) {
    constexpr std::string_view token = "{data}";
    if (path.find(token) == std::string::npos) {
        return path;
    }
    if (data_dir.empty()) {
        throw JobError("", 0, 0, "path '" + path + "' uses {data} but no data folder is set (--data-dir)");
    }
    std::string out;
    std::size_t pos = 0;
    for (std::size_t hit = path.find(token); hit != std::string::npos; hit = path.find(token, pos)) {
        out.append(path, pos, hit - pos);
        out += data_dir;
        pos = hit + token.size();
    }
    out.append(path, pos);
    return out;
}

void validate(const Job& job) {
    validate_sources(job);
    validate_value_format(job);
    // An empty [highlight] key is allowed: only state-level rows are used (a map of states).
    if (!job.highlight.as_of.empty() && !geo::iso_date(job.highlight.as_of)) {
        job_fail(job,
                 "as_of in [highlight] (flag: --as-of) must be a real day as YYYY-MM-DD, not \"" + job.highlight.as_of +
                     "\"");
    }
    check(job, ranges::width, job.map.width, "width in [map]");
    check(job, ranges::height, job.map.height, "height in [map]");
    check(job, ranges::dpi, job.map.dpi, "dpi in [map]");
    validate_classes(job);
    validate_map_frame(job);
    validate_tiles(job);
}

}  // namespace choro::styles
