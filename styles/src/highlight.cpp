#include "choro/styles/highlight.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detail/text.hpp"

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

Highlights read_highlights(const HighlightSource& settings, const geo::Layer& layer, const geo::Layer* overlay) {
    Highlights out;
    out.features.assign(layer.features.size(), false);
    out.overlay.assign(overlay != nullptr ? overlay->features.size() : 0, false);
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
            bool found = false;
            if (const StateInfo* s = find_state(cell)) {
                // Try the state's FIPS in the overlay's key shape, then its abbreviation and name.
                for (const char* candidate : {s->fips, s->abbr, s->name}) {
                    const std::string key = detail::upper(geo::normalise_key(candidate, overlay_shape));
                    if (mark(overlay_index, key, out.overlay)) {
                        found = true;
                        break;
                    }
                }
            } else {
                found = mark(overlay_index, detail::upper(geo::normalise_key(cell, overlay_shape)), out.overlay);
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
        const std::string key = geo::normalise_key(row[*key_col], layer_shape);
        if (key.empty()) {
            continue;  // e.g. a city row without a county: nothing to mark
        }
        if (mark(layer_index, key, out.features)) {
            ++out.rows_used;
        } else {
            out.unmatched.push_back(where + "key " + key + " matches no feature");
        }
    }
    return out;
}

const std::vector<StateInfo>& us_states() {
    static const std::vector<StateInfo> states = {
        {"01", "AL", "Alabama"},
        {"02", "AK", "Alaska"},
        {"04", "AZ", "Arizona"},
        {"05", "AR", "Arkansas"},
        {"06", "CA", "California"},
        {"08", "CO", "Colorado"},
        {"09", "CT", "Connecticut"},
        {"10", "DE", "Delaware"},
        {"11", "DC", "District of Columbia"},
        {"12", "FL", "Florida"},
        {"13", "GA", "Georgia"},
        {"15", "HI", "Hawaii"},
        {"16", "ID", "Idaho"},
        {"17", "IL", "Illinois"},
        {"18", "IN", "Indiana"},
        {"19", "IA", "Iowa"},
        {"20", "KS", "Kansas"},
        {"21", "KY", "Kentucky"},
        {"22", "LA", "Louisiana"},
        {"23", "ME", "Maine"},
        {"24", "MD", "Maryland"},
        {"25", "MA", "Massachusetts"},
        {"26", "MI", "Michigan"},
        {"27", "MN", "Minnesota"},
        {"28", "MS", "Mississippi"},
        {"29", "MO", "Missouri"},
        {"30", "MT", "Montana"},
        {"31", "NE", "Nebraska"},
        {"32", "NV", "Nevada"},
        {"33", "NH", "New Hampshire"},
        {"34", "NJ", "New Jersey"},
        {"35", "NM", "New Mexico"},
        {"36", "NY", "New York"},
        {"37", "NC", "North Carolina"},
        {"38", "ND", "North Dakota"},
        {"39", "OH", "Ohio"},
        {"40", "OK", "Oklahoma"},
        {"41", "OR", "Oregon"},
        {"42", "PA", "Pennsylvania"},
        {"44", "RI", "Rhode Island"},
        {"45", "SC", "South Carolina"},
        {"46", "SD", "South Dakota"},
        {"47", "TN", "Tennessee"},
        {"48", "TX", "Texas"},
        {"49", "UT", "Utah"},
        {"50", "VT", "Vermont"},
        {"51", "VA", "Virginia"},
        {"53", "WA", "Washington"},
        {"54", "WV", "West Virginia"},
        {"55", "WI", "Wisconsin"},
        {"56", "WY", "Wyoming"},
        {"60", "AS", "American Samoa"},
        {"66", "GU", "Guam"},
        {"69", "MP", "Northern Mariana Islands"},
        {"72", "PR", "Puerto Rico"},
        {"78", "VI", "U.S. Virgin Islands"},
    };
    return states;
}

const StateInfo* find_state(std::string_view any) {
    const std::string_view text = detail::trim(any);
    if (text.empty()) {
        return nullptr;
    }
    std::string fips(text);
    if (fips.size() == 1 && fips.find_first_not_of("0123456789") == std::string::npos) {
        fips = "0" + fips;  // "6" from a spreadsheet that dropped the zero
    }
    for (const auto& s : us_states()) {
        if (fips == s.fips || detail::iequals(text, s.abbr) || detail::iequals(text, s.name)) {
            return &s;
        }
    }
    return nullptr;
}

}  // namespace choro::styles
