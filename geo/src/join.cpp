#include "choro/geo/join.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "detail/text.hpp"
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/geo/keys.hpp"

namespace choro::geo {

namespace {

struct RowValue {
    std::size_t line = 0;
    std::optional<double> value;
};

std::string format_number(double v) {
    std::string s = std::to_string(v);
    // to_string gives six decimals; trim the zeros for messages.
    if (s.find('.') != std::string::npos) {
        while (!s.empty() && s.back() == '0') {
            s.pop_back();
        }
        if (!s.empty() && s.back() == '.') {
            s.pop_back();
        }
    }
    return s;
}

std::string lines_text(const std::vector<std::size_t>& lines) {
    std::string out;
    for (const auto line : lines) {
        if (!out.empty()) {
            out += ", ";
        }
        out += std::to_string(line);
    }
    return out;
}

}  // namespace

JoinResult join(const Layer& layer, const Table& table, const JoinOptions& options) {
    const std::size_t key_col = table.column(options.key_column);
    std::optional<std::size_t> value_col;
    if (!options.count) {
        if (options.value_column.empty()) {
            throw InputError(table.source, "no value column given (give one, or count rows per key instead)");
        }
        value_col = table.column(options.value_column);
    }

    std::vector<std::string> feature_keys;
    feature_keys.reserve(layer.features.size());
    for (const auto& f : layer.features) {
        feature_keys.emplace_back(detail::trim(f.key));
    }
    const KeyShape shape = infer_key_shape(feature_keys);
    std::unordered_map<std::string, std::vector<std::size_t>> features_by_key;
    for (std::size_t i = 0; i < feature_keys.size(); ++i) {
        features_by_key[normalise_key(feature_keys[i], shape)].push_back(i);
    }

    JoinResult result;
    JoinReport& report = result.report;
    report.boundaries = layer.source;
    report.values = table.source;
    // What the table reader fixed on the way (a BOM, rows above the header) is part of what the
    // join saw, and the report is what the CLI shows: carry it over.
    report.warnings = table.warnings;
    report.features = layer.features.size();
    report.rows = table.rows.size();

    // Rows per normalised key, in table order.
    std::map<std::string, std::vector<RowValue>> rows_by_key;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        const std::size_t line = r < table.lines.size() ? table.lines[r] : r + 2;
        const std::string& raw = row[key_col];
        std::string key = normalise_key(raw, shape);
        if (key != raw) {
            report.fixes.push_back(KeyFix{line, raw, key});
        }
        RowValue rv{line, std::nullopt};
        if (value_col) {
            const std::string& cell = row[*value_col];
            rv.value = parse_number(cell);
            const std::string where = "line " + std::to_string(line) + ", key '" + key + "': ";
            if (!rv.value) {
                const auto trimmed = detail::trim(cell);
                if (trimmed.empty()) {
                    report.warnings.push_back(where + "no value (no data)");
                } else if (detail::iequals(trimmed, "nan")) {
                    report.warnings.push_back(where + "value is NaN (no data)");
                } else {
                    report.warnings.push_back(where + "value '" + cell + "' is not a number (no data)");
                }
            } else if (*rv.value < 0.0) {
                report.warnings.push_back(where + "negative value " + format_number(*rv.value) + " (kept)");
            }
        }
        if (key.empty() || !features_by_key.contains(key)) {
            report.unmatched_rows.push_back(UnmatchedRow{line, key});
        }
        rows_by_key[std::move(key)].push_back(rv);
    }

    if (!options.count) {
        for (const auto& [key, rows] : rows_by_key) {
            if (rows.size() > 1 && !key.empty()) {
                DuplicateKey dup{key, {}};
                for (const auto& rv : rows) {
                    dup.lines.push_back(rv.line);
                }
                report.duplicates.push_back(std::move(dup));
            }
        }
        if (options.duplicates == Duplicates::error && !report.duplicates.empty()) {
            const auto& first = report.duplicates.front();
            std::string what = "duplicate key '" + first.key + "' on lines " + lines_text(first.lines);
            if (report.duplicates.size() > 1) {
                what += " (and " + std::to_string(report.duplicates.size() - 1) + " more duplicate keys)";
            }
            what += "; choose how to combine them: duplicates = \"first\" or \"sum\", or count rows instead";
            throw InputError(table.source, what, first.lines.front(), options.key_column);
        }
    }

    result.values.assign(layer.features.size(), std::nullopt);
    std::vector<bool> has_rows(layer.features.size(), false);
    for (const auto& [key, indices] : features_by_key) {
        const auto it = rows_by_key.find(key);
        const bool found = it != rows_by_key.end() && !key.empty();
        std::optional<double> value;
        if (options.count) {
            value = found ? static_cast<double>(it->second.size()) : 0.0;
        } else if (found) {
            const auto& rows = it->second;
            if (options.duplicates == Duplicates::sum) {
                double sum = 0.0;
                bool any = false;
                for (const auto& rv : rows) {
                    if (rv.value) {
                        sum += *rv.value;
                        any = true;
                    }
                }
                value = any ? std::optional<double>(sum) : std::nullopt;
            } else {
                value = rows.front().value;  // error (then unique) or first
            }
        }
        for (const auto i : indices) {
            result.values[i] = value;
            has_rows[i] = found;
        }
    }
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        if (has_rows[i]) {
            ++report.matched;
        } else {
            report.unmatched_features.push_back(UnmatchedFeature{layer.features[i].key, layer.features[i].name});
        }
    }

    std::sort(report.unmatched_features.begin(), report.unmatched_features.end(), [](const auto& a, const auto& b) {
        return std::tie(a.key, a.name) < std::tie(b.key, b.name);
    });
    std::sort(report.unmatched_rows.begin(), report.unmatched_rows.end(), [](const auto& a, const auto& b) {
        return std::tie(a.key, a.line) < std::tie(b.key, b.line);
    });
    std::sort(report.fixes.begin(), report.fixes.end(), [](const auto& a, const auto& b) {
        return std::tie(a.to, a.line, a.from) < std::tie(b.to, b.line, b.from);
    });
    // duplicates come out of a std::map: already sorted by key, lines in table order.
    return result;
}

std::string to_json(const JoinReport& report) {
    using nlohmann::json;
    json j;  // std::map-backed: keys come out sorted, so equal reports give equal text
    j["boundaries"] = report.boundaries;
    j["values"] = report.values;
    j["features"] = report.features;
    j["rows"] = report.rows;
    j["matched"] = report.matched;
    j["unmatched_features"] = json::array();
    for (const auto& f : report.unmatched_features) {
        j["unmatched_features"].push_back({{"key", f.key}, {"name", f.name}});
    }
    j["unmatched_rows"] = json::array();
    for (const auto& r : report.unmatched_rows) {
        j["unmatched_rows"].push_back({{"line", r.line}, {"key", r.key}});
    }
    j["duplicates"] = json::array();
    for (const auto& d : report.duplicates) {
        j["duplicates"].push_back({{"key", d.key}, {"lines", d.lines}});
    }
    j["fixes"] = json::array();
    for (const auto& f : report.fixes) {
        j["fixes"].push_back({{"line", f.line}, {"from", f.from}, {"to", f.to}});
    }
    j["warnings"] = report.warnings;
    // Cells are UTF-8 checked for CSV, but XLSX and layer names come from GDAL: never throw here.
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string summary(const JoinReport& report) {
    constexpr std::size_t shown = 5;
    std::string s = std::to_string(report.matched) + " of " + std::to_string(report.features) + " features matched";
    s += " (" + std::to_string(report.rows) + " rows)";
    if (!report.unmatched_rows.empty()) {
        s += "; " + std::to_string(report.unmatched_rows.size()) + " rows without a feature: ";
        for (std::size_t i = 0; i < report.unmatched_rows.size() && i < shown; ++i) {
            const auto& r = report.unmatched_rows[i];
            s += (i ? ", " : "") + (r.key.empty() ? std::string("(empty key)") : "'" + r.key + "'") + " (line " +
                 std::to_string(r.line) + ")";
        }
        if (report.unmatched_rows.size() > shown) {
            s += ", …";
        }
    }
    if (!report.unmatched_features.empty()) {
        s += "; " + std::to_string(report.unmatched_features.size()) + " features without a row";
    }
    if (!report.fixes.empty()) {
        const auto& f = report.fixes.front();
        s += "; " + std::to_string(report.fixes.size()) + " keys normalised (e.g. '" + f.from + "' → '" + f.to +
             "' on line " + std::to_string(f.line) + ")";
    }
    if (!report.duplicates.empty()) {
        s += "; " + std::to_string(report.duplicates.size()) + " duplicate keys";
    }
    if (!report.warnings.empty()) {
        s += "; " + std::to_string(report.warnings.size()) + " warnings";
    }
    return s + ".";
}

}  // namespace choro::geo
