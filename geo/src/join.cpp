#include "choro/geo/join.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "detail/text.hpp"
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/interrupt.hpp"
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

std::string percent(double f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", f * 100.0);
    return buf;
}

/// A Census GEO_ID ("0500000US01001", "1400000US01001020100"): the FIPS code after "US".
std::optional<std::string> geo_id_tail(std::string_view key) {
    const auto us = key.find("US");
    if (us == std::string_view::npos || us < 3 || us + 2 >= key.size()) {
        return std::nullopt;
    }
    const auto head = key.substr(0, us);
    const auto tail = key.substr(us + 2);
    const auto digits = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(head) || !digits(tail)) {
        return std::nullopt;
    }
    return std::string(tail);
}

std::string lower_ascii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char c) { return detail::ascii_lower(c); });
    return s;
}

/// The keys of both sides as the join compares them.
struct JoinKeys {
    std::vector<std::string> rows;             // per table row
    std::unordered_set<std::string> features;  // of every feature
};

JoinKeys join_keys(const Layer& layer, const Table& table, std::size_t key_col) {
    JoinKeys keys;
    keys.rows.reserve(table.rows.size());
    for (const auto& row : table.rows) {
        keys.rows.push_back(match_key(normalise_key(row[key_col], KeyShape{})));
    }
    for (const auto& f : layer.features) {
        keys.features.insert(match_key(normalise_key(f.key, KeyShape{})));
    }
    return keys;
}

/// How many of `keys` (empty ones aside) are in `set`.
std::size_t count_in(const std::unordered_set<std::string>& set, const std::vector<std::string>& keys) {
    std::size_t n = 0;
    for (const auto& k : keys) {
        n += !k.empty() && set.contains(k) ? 1 : 0;
    }
    return n;
}

/// A field or column that would match more keys than the join did, and how many.
struct BetterKey {
    std::string name;  // empty: none matches more
    std::size_t matches = 0;
};

/// 1. Another boundary field.
BetterKey better_boundary_field(const Layer& layer, const JoinKeys& keys, std::size_t matched_rows) {
    BetterKey best{{}, matched_rows};
    const auto& attrs = layer.features.front().attributes;
    for (std::size_t a = 0; a < attrs.size(); ++a) {
        std::unordered_set<std::string> values;
        for (const auto& f : layer.features) {
            if (a < f.attributes.size()) {
                values.insert(match_key(normalise_key(f.attributes[a].second, KeyShape{})));
            }
        }
        const std::size_t n = count_in(values, keys.rows);
        if (n > best.matches) {
            best = {attrs[a].first, n};
        }
    }
    return best;
}

/// 2. Another table column.
BetterKey better_table_column(const Table& table,
                              const JoinOptions& options,
                              std::size_t key_col,
                              const JoinKeys& keys,
                              std::size_t matched_rows) {
    BetterKey best{{}, matched_rows};
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (c == key_col || (!options.count && table.columns[c] == options.value_column)) {
            continue;  // the value column holds numbers, not keys (they would "match" feature ids)
        }
        std::vector<std::string> column;
        column.reserve(table.rows.size());
        for (const auto& row : table.rows) {
            column.push_back(match_key(normalise_key(row[c], KeyShape{})));
        }
        const std::size_t n = count_in(keys.features, column);
        if (n > best.matches) {
            best = {table.columns[c], n};
        }
    }
    return best;
}

/// Only the better of the two: a boundary field, or a table column.
std::optional<std::string> other_key_hint(const Layer& layer,
                                          const Table& table,
                                          const JoinOptions& options,
                                          std::size_t key_col,
                                          const JoinKeys& keys,
                                          std::size_t matched_rows) {
    const std::size_t rows = table.rows.size();
    const BetterKey field = better_boundary_field(layer, keys, matched_rows);
    const BetterKey column = better_table_column(table, options, key_col, keys, matched_rows);
    if (!field.name.empty() && !detail::iequals(field.name, options.key_field) && field.matches >= column.matches) {
        const std::string key_now =
            options.key_field.empty() ? std::string("the feature id") : "field '" + options.key_field + "'";
        return "boundary field '" + field.name + "' matches " + std::to_string(field.matches) + " of " +
               std::to_string(rows) + " table keys (" + key_now + " matches " + std::to_string(matched_rows) +
               "): give --key " + field.name;
    }
    if (!column.name.empty()) {
        return "table column '" + column.name + "' matches " + std::to_string(column.matches) + " of " +
               std::to_string(rows) + " rows: give --values-key " + column.name;
    }
    return std::nullopt;
}

/// 3. Census GEO_IDs in the table's keys.
std::optional<std::string> table_geo_id_hint(const Table& table, std::size_t key_col, const JoinKeys& keys) {
    const std::size_t rows = table.rows.size();
    std::size_t geo_rows = 0;
    std::size_t geo_match = 0;
    std::string example;
    for (std::size_t r = 0; r < rows; ++r) {
        if (const auto tail = geo_id_tail(detail::trim(table.rows[r][key_col]))) {
            ++geo_rows;
            if (example.empty()) {
                example = std::string(detail::trim(table.rows[r][key_col]));
            }
            geo_match += keys.features.contains(match_key(*tail)) ? 1 : 0;
        }
    }
    if (geo_rows * 2 > rows) {
        return "table keys look like Census GEO_IDs ('" + visible(example) + "'): without the prefix up to 'US' " +
               std::to_string(geo_match) + " of " + std::to_string(rows) +
               " would match; use a column of plain FIPS codes (such as GEOID) or strip the prefix";
    }
    return std::nullopt;
}

/// 3. Census GEO_IDs in the boundary keys.
std::optional<std::string> boundary_geo_id_hint(const Layer& layer, const JoinKeys& keys) {
    std::size_t geo_features = 0;
    std::unordered_set<std::string> feature_tails;
    for (const auto& f : layer.features) {
        if (const auto tail = geo_id_tail(detail::trim(f.key))) {
            ++geo_features;
            feature_tails.insert(match_key(*tail));
        }
    }
    if (geo_features * 2 > layer.features.size()) {
        return "boundary keys look like Census GEO_IDs ('" + visible(layer.features.front().key) +
               "'): without the prefix up to 'US' " + std::to_string(count_in(feature_tails, keys.rows)) + " of " +
               std::to_string(keys.rows.size()) +
               " table keys would match; give --key a field of plain FIPS "
               "codes (such as GEOID)";
    }
    return std::nullopt;
}

/// 4. Case.
std::optional<std::string> case_hint(const JoinKeys& keys) {
    std::unordered_set<std::string> lower_features;
    for (const auto& k : keys.features) {
        lower_features.insert(lower_ascii(k));
    }
    std::size_t case_n = 0;
    std::string case_example;
    for (const auto& key : keys.rows) {
        if (!keys.features.contains(key) && lower_features.contains(lower_ascii(key))) {
            ++case_n;
            if (case_example.empty()) {
                case_example = key;
            }
        }
    }
    if (case_n > 0) {
        return std::to_string(case_n) + " table keys match when upper and lower case are ignored (e.g. '" +
               visible(case_example) + "'); write them as the boundary keys are written";
    }
    return std::nullopt;
}

/// 5. Look-alike characters the normalisation does not touch (the first such key).
std::optional<std::string> lookalike_hint(const Table& table, const JoinKeys& keys) {
    for (std::size_t r = 0; r < keys.rows.size(); ++r) {
        const std::string shown = visible(keys.rows[r]);
        if (!keys.features.contains(keys.rows[r]) && shown != keys.rows[r]) {
            return "table key '" + shown + "' (line " +
                   std::to_string(r < table.lines.size() ? table.lines[r] : r + 2) +
                   ") holds invisible or look-alike characters (shown escaped)";
        }
    }
    return std::nullopt;
}

/// What would have matched better than the join that was made: other boundary fields, other table
/// columns, Census GEO_ID prefixes, case. Each hint says how many and what to change.
std::vector<std::string> join_hints(
    const Layer& layer, const Table& table, const JoinOptions& options, std::size_t key_col, std::size_t matched_rows) {
    std::vector<std::string> hints;
    if (layer.features.empty() || table.rows.empty()) {
        return hints;
    }
    const JoinKeys keys = join_keys(layer, table, key_col);
    const auto add = [&hints](std::optional<std::string>&& hint) {
        if (hint) {
            hints.push_back(std::move(*hint));
        }
    };
    add(other_key_hint(layer, table, options, key_col, keys, matched_rows));
    add(table_geo_id_hint(table, key_col, keys));
    add(boundary_geo_id_hint(layer, keys));
    add(case_hint(keys));
    add(lookalike_hint(table, keys));
    return hints;
}

/// Percent and currency signs: stripped when the whole column agrees (or when told to).
NumberFormat sign_format(const Table& table, std::optional<std::size_t> value_col, const JoinOptions& options) {
    NumberFormat format = options.number_format;
    if (!value_col || options.signs == SignMode::keep) {
        return format;
    }
    if (options.signs == SignMode::strip) {
        format.strip_percent = true;
        format.strip_currency = true;
        return format;
    }
    bool all_percent = true;
    std::optional<std::string> currency;
    bool same_currency = true;
    std::size_t cells = 0;
    for (const auto& row : table.rows) {
        const auto cell = detail::trim(row[*value_col]);
        if (cell.empty() || cell.find_first_of("0123456789") == std::string_view::npos) {
            continue;  // no data, NA...
        }
        ++cells;
        const NumberSigns signs = number_signs(cell);
        all_percent = all_percent && signs.percent;
        if (!currency) {
            currency = signs.currency;
        }
        same_currency = same_currency && signs.currency == *currency;
    }
    format.strip_percent = cells > 0 && all_percent;
    format.strip_currency = cells > 0 && same_currency && currency && !currency->empty();
    return format;
}

/// One join, step by step: the boundary keys, the table's rows read against them, the checks on
/// the values and the keys, the values given to the features, the checks on the coverage.
class Joiner {
public:
    Joiner(const Layer& layer, const Table& table, const JoinOptions& options)
        : m_layer(layer), m_table(table), m_options(options), m_key_col(table.column(options.key_column)) {
        if (!options.count) {
            if (options.value_column.empty()) {
                throw InputError(table.source, "no value column given (give one, or count rows per key instead)");
            }
            m_value_col = table.column(options.value_column);
        }
        m_feature_keys.reserve(layer.features.size());
        for (const auto& f : layer.features) {
            m_feature_keys.emplace_back(detail::trim(f.key));
        }
        m_shape = infer_key_shape(m_feature_keys);
        for (std::size_t i = 0; i < m_feature_keys.size(); ++i) {
            m_features_by_key[match_key(normalise_key(m_feature_keys[i], m_shape))].push_back(i);
        }
        m_format = sign_format(table, m_value_col, options);

        JoinReport& report = m_result.report;
        report.boundaries = layer.source;
        report.values = table.source;
        // What the table reader fixed on the way (a BOM, rows above the header) is part of what the
        // join saw, and the report is what the CLI shows: carry it over.
        report.warnings = table.warnings;
        report.features = layer.features.size();
        report.rows = table.rows.size();
    }

    JoinResult run() {
        for (std::size_t r = 0; r < m_table.rows.size(); ++r) {
            if ((r & 1023) == 0) {
                check_interrupted();
            }
            read_row(r);
        }
        check_numbers();
        if (!m_options.count) {
            check_duplicates();
        }
        assign_values();
        check_coverage();
        JoinReport& report = m_result.report;
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
        return std::move(m_result);
    }

private:
    void read_row(std::size_t r) {
        JoinReport& report = m_result.report;
        const auto& row = m_table.rows[r];
        const std::size_t line = r < m_table.lines.size() ? m_table.lines[r] : r + 2;
        const std::string& raw = row[m_key_col];
        std::string key = normalise_key(raw, m_shape);
        const std::string mkey = match_key(key);
        const auto hit = m_features_by_key.find(mkey);
        if (hit != m_features_by_key.end() && !key.empty()) {
            // Report the key the boundary has when it is written differently ("1001" for "01001").
            const std::string feature_key = normalise_key(m_feature_keys[hit->second.front()], KeyShape{});
            if (feature_key != key && match_key(feature_key) == mkey) {
                key = feature_key;
            }
        }
        if (key != raw) {
            report.fixes.push_back(KeyFix{line, raw, key});
        }
        RowValue rv{line, std::nullopt};
        if (m_value_col) {
            rv.value = read_value(row[*m_value_col], line, key);
        }
        if (key.empty() || hit == m_features_by_key.end()) {
            report.unmatched_rows.push_back(UnmatchedRow{line, key});
        } else {
            ++m_matched_rows;
        }
        m_display_key.emplace(key.empty() ? std::string() : mkey, key);
        m_rows_by_key[key.empty() ? std::string() : mkey].push_back(rv);
    }

    /// A value cell as a number, or no data with a warning saying why.
    std::optional<double> read_value(const std::string& cell, std::size_t line, const std::string& key) {
        auto& warnings = m_result.report.warnings;
        const std::optional<double> value = parse_number(cell, m_format);
        const std::string where = "line " + std::to_string(line) + ", key '" + visible(key) + "': ";
        if (value) {
            ++m_numbers;
            if (*value < 0.0) {
                warnings.push_back(where + "negative value " + format_number(*value) + " (kept)");
            }
            return value;
        }
        const auto trimmed = detail::trim(cell);
        if (trimmed.empty()) {
            warnings.push_back(where + "no value (no data)");
            return value;
        }
        if (detail::iequals(trimmed, "nan")) {
            warnings.push_back(where + "value is NaN (no data)");
            return value;
        }
        const bool na =
            !parse_number(trimmed, m_format) && (detail::iequals(trimmed, "NA") || detail::iequals(trimmed, "N/A") ||
                                                 detail::iequals(trimmed, "#N/A") || trimmed == "-" || trimmed == ".");
        warnings.push_back(where + "value '" + visible(cell) + "' is not a number (no data)");
        if (!na) {
            ++m_not_numbers;
            if (m_first_text.empty()) {
                m_first_text = visible(cell);
                m_first_text_line = line;
            }
            NumberFormat comma = m_format;
            comma.decimal = ',';
            comma.thousands.clear();
            m_decimal_commas += m_format.decimal != ',' && parse_number(cell, comma) ? 1 : 0;
        }
        return value;
    }

    /// A value column of text is an error that names the columns of numbers; values that read
    /// with a decimal comma get a hint.
    void check_numbers() {
        if (!m_value_col || m_not_numbers == 0) {
            return;
        }
        const bool commas = m_decimal_commas * 2 >= m_not_numbers;
        if (m_numbers == 0) {
            std::string hint;
            if (commas) {
                hint = "; the values look like numbers with a decimal comma: give --decimal ,";
            } else {
                const std::vector<std::string> numeric = numeric_columns();
                hint = numeric.empty() ? std::string("; no column of this table holds numbers")
                                       : "; choose a column of numbers with --value (numeric columns: " +
                                             detail::quoted_list(numeric) + ")";
            }
            throw InputError(m_table.source,
                             "the value column '" + m_options.value_column + "' holds no numbers (e.g. '" +
                                 m_first_text + "' on line " + std::to_string(m_first_text_line) + ")" + hint,
                             m_first_text_line,
                             m_options.value_column);
        }
        if (commas) {
            m_result.report.hints.push_back(
                std::to_string(m_decimal_commas) + " values of '" + m_options.value_column +
                "' read as numbers with a decimal comma (e.g. '" + m_first_text +
                "'): give --decimal , (and --thousands . if they group thousands with dots)");
        }
    }

    /// The columns other than the key where most cells are numbers.
    [[nodiscard]] std::vector<std::string> numeric_columns() const {
        std::vector<std::string> numeric;
        for (std::size_t c = 0; c < m_table.columns.size(); ++c) {
            std::size_t n = 0;
            for (const auto& row : m_table.rows) {
                n += parse_number(row[c], m_format) ? 1 : 0;
            }
            if (c != m_key_col && n * 2 > m_table.rows.size()) {
                numeric.push_back(m_table.columns[c]);
            }
        }
        return numeric;
    }

    void check_duplicates() {
        JoinReport& report = m_result.report;
        for (const auto& [key, rows] : m_rows_by_key) {
            if (rows.size() > 1 && !key.empty()) {
                DuplicateKey dup{m_display_key[key], {}};
                dup.lines.reserve(rows.size());
                for (const auto& rv : rows) {
                    dup.lines.push_back(rv.line);
                }
                report.duplicates.push_back(std::move(dup));
            }
        }
        if (m_options.duplicates == Duplicates::error && !report.duplicates.empty()) {
            const auto& first = report.duplicates.front();
            std::string what = "duplicate key '" + visible(first.key) + "' on lines " + lines_text(first.lines);
            if (report.duplicates.size() > 1) {
                what += " (and " + std::to_string(report.duplicates.size() - 1) + " more duplicate keys)";
            }
            what += "; choose how to combine them: duplicates = \"first\" or \"sum\", or count rows instead";
            throw InputError(m_table.source, what, first.lines.front(), m_options.key_column);
        }
    }

    /// The value of a key's rows: their count, their sum, or the first row's value.
    [[nodiscard]] std::optional<double> value_of(const std::vector<RowValue>* rows) const {
        if (m_options.count) {
            return rows ? static_cast<double>(rows->size()) : 0.0;
        }
        if (rows == nullptr) {
            return std::nullopt;
        }
        if (m_options.duplicates != Duplicates::sum) {
            return rows->front().value;  // error (then unique) or first
        }
        double sum = 0.0;
        bool any = false;
        for (const auto& rv : *rows) {
            if (rv.value) {
                sum += *rv.value;
                any = true;
            }
        }
        return any ? std::optional<double>(sum) : std::nullopt;
    }

    void assign_values() {
        JoinReport& report = m_result.report;
        m_result.values.assign(m_layer.features.size(), std::nullopt);
        std::vector<bool> has_rows(m_layer.features.size(), false);
        for (const auto& [key, indices] : m_features_by_key) {
            const auto it = m_rows_by_key.find(key);
            const bool found = it != m_rows_by_key.end() && !key.empty();
            const std::optional<double> value = value_of(found ? &it->second : nullptr);
            for (const auto i : indices) {
                m_result.values[i] = value;
                has_rows[i] = found;
            }
        }
        for (std::size_t i = 0; i < m_layer.features.size(); ++i) {
            if (has_rows[i]) {
                ++report.matched;
            } else {
                report.unmatched_features.push_back(
                    UnmatchedFeature{m_layer.features[i].key, m_layer.features[i].name});
            }
        }
    }

    /// A join that gives no feature a row draws an empty map: say so, with what would have matched.
    void check_coverage() {
        JoinReport& report = m_result.report;
        const std::size_t features = m_layer.features.size();
        if (features == 0 || m_table.rows.empty()) {
            return;
        }
        const double share = static_cast<double>(report.matched) / static_cast<double>(features);
        if (report.matched == 0 || share < m_options.min_match || share < weak_join_share) {
            auto hints = join_hints(m_layer, m_table, m_options, m_key_col, m_matched_rows);
            report.hints.insert(report.hints.end(), hints.begin(), hints.end());
        }
        std::string hint_text;
        for (const auto& h : report.hints) {
            hint_text += " Hint: " + h + ".";
        }
        if (report.matched == 0) {
            std::string example_row;
            for (const auto& row : m_table.rows) {
                if (!detail::trim(row[m_key_col]).empty()) {
                    example_row = visible(detail::trim(row[m_key_col]));
                    break;
                }
            }
            throw InputError(m_table.source,
                             "no feature joined: none of the " + std::to_string(m_table.rows.size()) +
                                 " table keys in column '" + m_options.key_column + "' (e.g. '" + example_row +
                                 "') matches a boundary key (e.g. '" + visible(m_feature_keys.front()) + "' in " +
                                 m_layer.source + ")." + hint_text,
                             0,
                             m_options.key_column);
        }
        if (share < m_options.min_match) {
            throw InputError(m_table.source,
                             "only " + std::to_string(report.matched) + " of " + std::to_string(features) +
                                 " features joined (" + percent(share) + "), below --min-match " +
                                 format_number(m_options.min_match) +
                                 ": most of the map would show no data. Check the keys, or pass --min-match 0 to "
                                 "draw whatever joins." +
                                 hint_text,
                             0,
                             m_options.key_column);
        }
        report.weak = share < weak_join_share;
    }

    const Layer& m_layer;
    const Table& m_table;
    const JoinOptions& m_options;
    std::size_t m_key_col;
    std::optional<std::size_t> m_value_col;
    std::vector<std::string> m_feature_keys;
    KeyShape m_shape;
    std::unordered_map<std::string, std::vector<std::size_t>> m_features_by_key;  // by match_key()
    NumberFormat m_format;
    JoinResult m_result;

    // Rows per normalised key, in table order.
    std::map<std::string, std::vector<RowValue>> m_rows_by_key;
    std::map<std::string, std::string> m_display_key;  // match key → the key as the report shows it
    std::size_t m_numbers = 0;
    std::size_t m_not_numbers = 0;
    std::size_t m_decimal_commas = 0;  // cells that would read with --decimal ,
    std::string m_first_text;          // the first cell that is text, for the message
    std::size_t m_first_text_line = 0;
    std::size_t m_matched_rows = 0;
};

}  // namespace

JoinResult join(const Layer& layer, const Table& table, const JoinOptions& options) {
    return Joiner(layer, table, options).run();
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
    j["hints"] = report.hints;
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
            s += (i ? ", " : "") + (r.key.empty() ? std::string("(empty key)") : "'" + visible(r.key) + "'") +
                 " (line " + std::to_string(r.line) + ")";
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
        s += "; " + std::to_string(report.fixes.size()) + " keys normalised (e.g. '" + visible(f.from) + "' → '" +
             visible(f.to) + "' on line " + std::to_string(f.line) + ")";
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
