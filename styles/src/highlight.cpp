#include "choro/styles/highlight.hpp"

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
    // Throws InputError naming the table and column. An empty key setting: only state-level rows count.
    const std::optional<std::size_t> key_col =
        settings.key.empty() ? std::nullopt : std::optional<std::size_t>(table.column(settings.key));
    const std::optional<std::size_t> level_col =
        settings.level.empty() ? std::nullopt : table.find_column(settings.level);
    const std::optional<std::size_t> status_col =
        settings.status.empty() ? std::nullopt : table.find_column(settings.status);
    // Dates matter only for a map with a date; absent columns mean undated rows.
    const bool dated = !settings.as_of.empty();
    const std::optional<std::size_t> date_col =
        dated && !settings.date.empty() ? table.find_column(settings.date) : std::nullopt;
    const std::optional<std::size_t> in_force_col =
        dated && !settings.in_force.empty() ? table.find_column(settings.in_force) : std::nullopt;
    std::optional<std::size_t> state_col;  // looked up only when a state row needs it

    const geo::KeyShape layer_shape = shape_of(layer);
    const KeyIndex layer_index = index_keys(layer, layer_shape, false);
    geo::KeyShape overlay_shape;
    KeyIndex overlay_index;
    if (overlay != nullptr) {
        overlay_shape = shape_of(*overlay);
        overlay_index = index_keys(*overlay, overlay_shape, true);
    }

    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        const std::size_t line = r < table.lines.size() ? table.lines[r] : r + 2;
        const std::string where = "line " + std::to_string(line) + ": ";
        if (status_col) {
            const std::string_view status = detail::trim(row[*status_col]);
            bool excluded = false;
            for (const auto& ex : settings.exclude_status) {
                excluded = excluded || detail::iequals(status, detail::trim(ex));
            }
            if (excluded) {
                continue;
            }
        }
        // The row's standing on the map's date: not yet happened, enacted only, or in force.
        bool in_force = true;
        if (dated) {
            bool bad_date = false;
            bool happened = true;
            for (const auto& [column, is_event] : {std::pair{date_col, true}, std::pair{in_force_col, false}}) {
                if (!column) {
                    continue;
                }
                const std::string_view cell = detail::trim(row[*column]);
                if (cell.empty()) {
                    continue;
                }
                if (!geo::iso_date(cell, true)) {
                    out.unmatched.push_back(where + table.columns[*column] + " '" + std::string(cell) +
                                            "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); row skipped");
                    bad_date = true;
                    break;
                }
                const bool before = geo::on_or_before(cell, settings.as_of);
                (is_event ? happened : in_force) = before;
            }
            if (bad_date) {
                continue;
            }
            if (!happened) {
                ++out.rows_after_date;
                continue;
            }
        }
        const bool state_level = level_col && detail::iequals(detail::trim(row[*level_col]), "state");
        if (state_level) {
            if (!state_col) {
                state_col = table.column(settings.state_key);
            }
            const std::string cell(detail::trim(row[*state_col]));
            if (overlay == nullptr) {
                out.unmatched.push_back(where + "state " + cell + " needs an overlay layer");
                continue;
            }
            std::vector<bool>& marks = in_force ? out.overlay : out.overlay_enacted;
            bool found = false;
            if (const StateInfo* s = find_state(cell)) {
                // Try the state's FIPS in the overlay's key shape, then its abbreviation and name.
                for (const std::string_view candidate : {s->fips, s->abbr, s->name}) {
                    const std::string key = detail::upper(geo::normalise_key(std::string(candidate), overlay_shape));
                    if (mark(overlay_index, key, marks)) {
                        found = true;
                        break;
                    }
                }
            } else {
                found = mark(overlay_index, detail::upper(geo::normalise_key(cell, overlay_shape)), marks);
            }
            if (found) {
                ++out.rows_used;
            } else {
                out.unmatched.push_back(where + "state " + cell + " matches no overlay feature");
            }
            continue;
        }
        if (!key_col) {
            continue;
        }
        if (!in_force) {
            ++out.rows_after_date;  // a feature's decision that takes effect later: not drawn yet
            continue;
        }
        const std::string key = geo::normalise_key(row[*key_col], layer_shape);
        if (key.empty()) {
            continue;  // e.g. a city row without a county: nothing to mark
        }
        // A county-level row (or a table without levels) speaks for the county; a city's row for
        // one agency within it.
        const std::string_view level = level_col ? detail::trim(row[*level_col]) : std::string_view{};
        const bool whole_county = level.empty() || detail::iequals(level, "county") ||
                                  detail::iequals(level, "parish") || detail::iequals(level, "borough");
        if (mark(layer_index, key, whole_county ? out.features : out.partial)) {
            ++out.rows_used;
        } else {
            out.unmatched.push_back(where + "key " + key + " matches no feature");
        }
    }
    // A ban in force wins over one enacted; a feature holding agreements is only partly a holdout.
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
    return out;
}

}  // namespace choro::styles
