#include "choro/styles/highlight.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "detail/text.hpp"

#include "choro/geo/date.hpp"
#include "choro/geo/error.hpp"
#include "choro/geo/keys.hpp"
#include "choro/geo/table.hpp"

namespace choro::styles {

namespace {

/// Feature indexes by key (several features may share one, e.g. a county split in parts).
using KeyIndex = std::unordered_map<std::string, std::vector<std::size_t>>;

[[nodiscard]] KeyIndex index_keys(const geo::Layer& layer, const geo::KeyShape& shape, bool upper_case) {
    KeyIndex index;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        std::string key = geo::normalise_key(layer.features[i].key, shape);
        if (upper_case) {
            key = detail::upper(key);
        }
        index[key].push_back(i);
    }
    return index;
}

[[nodiscard]] geo::KeyShape shape_of(const geo::Layer& layer) {
    std::vector<std::string> keys;
    keys.reserve(layer.features.size());
    for (const auto& f : layer.features) {
        keys.push_back(f.key);
    }
    return geo::infer_key_shape(keys);
}

/// Marks every feature listed under `key`; true if there was one.
bool mark(const KeyIndex& index, const std::string& key, std::vector<bool>& marks) {
    const auto it = index.find(key);
    if (it == index.end()) {
        return false;
    }
    for (const std::size_t i : it->second) {
        marks[i] = true;
    }
    return true;
}

/// Feature indexes by key, and the shape the keys have, for one layer.
struct KeyedLayer {
    geo::KeyShape shape;
    KeyIndex index;
};

[[nodiscard]] KeyedLayer keyed(const geo::Layer& layer, bool upper_case) {
    KeyedLayer keyed;
    keyed.shape = shape_of(layer);
    keyed.index = index_keys(layer, keyed.shape, upper_case);
    return keyed;
}

/// The columns of the highlight table the settings name; nullopt for one not set or absent.
struct HighlightColumns {
    std::optional<std::size_t> key;
    std::optional<std::size_t> level;
    std::optional<std::size_t> status;
    std::optional<std::size_t> date;
    std::optional<std::size_t> in_force;
    std::optional<std::size_t> state;  // looked up only when a state row needs it
};

[[nodiscard]] HighlightColumns find_columns(const geo::Table& table, const HighlightSource& settings) {
    HighlightColumns columns;
    // Throws InputError naming the table and column. An empty key setting: only state-level rows count.
    columns.key = settings.key.empty() ? std::nullopt : std::optional<std::size_t>(table.column(settings.key));
    columns.level = settings.level.empty() ? std::nullopt : table.find_column(settings.level);
    columns.status = settings.status.empty() ? std::nullopt : table.find_column(settings.status);
    // Dates matter only for a map with a date; absent columns mean undated rows.
    const bool dated = !settings.as_of.empty();
    columns.date = dated && !settings.date.empty() ? table.find_column(settings.date) : std::nullopt;
    columns.in_force = dated && !settings.in_force.empty() ? table.find_column(settings.in_force) : std::nullopt;
    return columns;
}

/// A row's standing on the map's date: skipped (not yet happened, or a date that is no date),
/// enacted only, or in force.
enum class Standing { skipped, enacted, in_force };

/// Marks the features and overlay features the rows of a highlight table name, and counts and
/// lists in `out` the rows it cannot use. Keeps references to everything it is given.
class RowMarker {
public:
    RowMarker(const HighlightSource& settings,
              const geo::Table& table,
              const geo::Layer& layer,
              const geo::Layer* overlay,
              Highlights& out)
        : m_settings(settings),
          m_table(table),
          m_columns(find_columns(table, settings)),
          m_layer(keyed(layer, false)),
          m_overlay(overlay != nullptr ? keyed(*overlay, true) : KeyedLayer{}),
          m_has_overlay(overlay != nullptr),
          m_out(out) {}

    void mark_row(std::size_t r) {
        const auto& row = m_table.rows[r];
        const std::size_t line = r < m_table.lines.size() ? m_table.lines[r] : r + 2;
        const std::string where = "line " + std::to_string(line) + ": ";
        if (excluded(row)) {
            return;
        }
        const Standing standing = standing_of(row, where);
        if (standing == Standing::skipped) {
            return;
        }
        const bool in_force = standing == Standing::in_force;
        if (m_columns.level && detail::iequals(detail::trim(row[*m_columns.level]), "state")) {
            mark_state(row, where, in_force);
        } else if (m_columns.key) {
            mark_feature(row, where, in_force);
        }
    }

private:
    using Row = std::vector<std::string>;

    /// The row's status is one the settings exclude.
    [[nodiscard]] bool excluded(const Row& row) const {
        if (!m_columns.status) {
            return false;
        }
        const std::string_view status = detail::trim(row[*m_columns.status]);
        return std::any_of(m_settings.exclude_status.begin(), m_settings.exclude_status.end(), [&](const auto& ex) {
            return detail::iequals(status, detail::trim(ex));
        });
    }

    /// Without a map date every row is in force.
    Standing standing_of(const Row& row, const std::string& where) {
        if (m_settings.as_of.empty()) {
            return Standing::in_force;
        }
        bool happened = true;
        bool in_force = true;
        for (const auto& [column, is_event] : {std::pair{m_columns.date, true}, std::pair{m_columns.in_force, false}}) {
            if (!column) {
                continue;
            }
            const std::string_view cell = detail::trim(row[*column]);
            if (cell.empty()) {
                continue;
            }
            if (!geo::iso_date(cell, true)) {
                m_out.unmatched.push_back(where + m_table.columns[*column] + " '" + std::string(cell) +
                                          "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); row skipped");
                return Standing::skipped;
            }
            const bool before = geo::on_or_before(cell, m_settings.as_of);
            (is_event ? happened : in_force) = before;
        }
        if (!happened) {
            ++m_out.rows_after_date;
            return Standing::skipped;
        }
        return in_force ? Standing::in_force : Standing::enacted;
    }

    /// A state-level row marks its state in the overlay (a ban in force, or enacted only).
    void mark_state(const Row& row, const std::string& where, bool in_force) {
        if (!m_columns.state) {
            m_columns.state = m_table.column(m_settings.state_key);
        }
        const std::string cell(detail::trim(row[*m_columns.state]));
        if (!m_has_overlay) {
            m_out.unmatched.push_back(where + "state " + cell + " needs an overlay layer");
            return;
        }
        std::vector<bool>& marks = in_force ? m_out.overlay : m_out.overlay_enacted;
        bool found = false;
        if (const StateInfo* s = find_state(cell)) {
            // Try the state's FIPS in the overlay's key shape, then its abbreviation and name.
            for (const std::string_view candidate : {s->fips, s->abbr, s->name}) {
                const std::string key = detail::upper(geo::normalise_key(std::string(candidate), m_overlay.shape));
                if (mark(m_overlay.index, key, marks)) {
                    found = true;
                    break;
                }
            }
        } else {
            found = mark(m_overlay.index, detail::upper(geo::normalise_key(cell, m_overlay.shape)), marks);
        }
        if (found) {
            ++m_out.rows_used;
        } else {
            m_out.unmatched.push_back(where + "state " + cell + " matches no overlay feature");
        }
    }

    /// Any other row marks the features of its key, wholly or in part.
    void mark_feature(const Row& row, const std::string& where, bool in_force) {
        if (!in_force) {
            ++m_out.rows_after_date;  // a feature's decision that takes effect later: not drawn yet
            return;
        }
        const std::string key = geo::normalise_key(row[*m_columns.key], m_layer.shape);
        if (key.empty()) {
            return;  // e.g. a city row without a county: nothing to mark
        }
        // A county-level row (or a table without levels) speaks for the county; a city's row for
        // one agency within it.
        const std::string_view level = m_columns.level ? detail::trim(row[*m_columns.level]) : std::string_view{};
        const bool whole_county = level.empty() || detail::iequals(level, "county") ||
                                  detail::iequals(level, "parish") || detail::iequals(level, "borough");
        if (mark(m_layer.index, key, whole_county ? m_out.features : m_out.partial)) {
            ++m_out.rows_used;
        } else {
            m_out.unmatched.push_back(where + "key " + key + " matches no feature");
        }
    }

    const HighlightSource& m_settings;
    const geo::Table& m_table;
    HighlightColumns m_columns;
    KeyedLayer m_layer;
    KeyedLayer m_overlay;
    bool m_has_overlay;
    Highlights& m_out;
};

/// A ban in force wins over one enacted; a feature holding agreements is only partly a holdout.
void settle(Highlights& out, const std::vector<std::optional<double>>* values) {
    for (std::size_t i = 0; i < out.overlay.size(); ++i) {
        out.overlay_enacted[i] = out.overlay_enacted[i] && !out.overlay[i];
    }
    for (std::size_t i = 0; i < out.features.size(); ++i) {
        out.partial[i] = out.partial[i] && !out.features[i];
    }
    if (values != nullptr) {
        for (std::size_t i = 0; i < out.features.size() && i < values->size(); ++i) {
            const auto& v = (*values)[i];
            if (out.features[i] && v && *v > 0.0) {
                out.features[i] = false;
                out.partial[i] = true;
            }
        }
    }
}

}  // namespace

Highlights read_highlights(const HighlightSource& settings,
                           const geo::Layer& layer,
                           const geo::Layer* overlay,
                           const std::vector<std::optional<double>>* values) {
    Highlights out;
    out.features.assign(layer.features.size(), false);
    out.partial.assign(layer.features.size(), false);
    out.overlay.assign(overlay != nullptr ? overlay->features.size() : 0, false);
    out.overlay_enacted.assign(out.overlay.size(), false);
    if (settings.source.empty()) {
        return out;
    }
    const geo::Table table = geo::read_table(settings.source);
    RowMarker marker(settings, table, layer, overlay, out);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        marker.mark_row(r);
    }
    settle(out, values);
    return out;
}

}  // namespace choro::styles
