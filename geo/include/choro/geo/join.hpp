#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "choro/geo/layer.hpp"
#include "choro/geo/table.hpp"

/// @file
/// Joining values to features by key, with a report of everything that did not match.

namespace choro::geo {

/// What to do when several rows carry the same key (value mode only; count mode counts them).
enum class Duplicates { error, first, sum };

/// Whether percent and currency signs are stripped from the value column.
enum class SignMode {
    automatic,  ///< when every number of the column carries the same sign
    strip,      ///< from any cell that has one
    keep,       ///< never: "5%" is not a number
};

/// Under this share of features with a row a join is weak (JoinReport::weak): most of the map
/// would show no data. choro's default --min-match for a value column.
inline constexpr double weak_join_share = 0.5;

struct JoinOptions {
    std::string key_column;    ///< key column of the table
    std::string value_column;  ///< numeric column; ignored when `count` is set
    bool count = false;        ///< value = number of rows per key; features without rows get 0
    Duplicates duplicates = Duplicates::error;
    /// Share of features (0–1) that must receive a row, else InputError. Whatever it is, a join
    /// where no feature receives a row is an error, and one where fewer than half do is a warning.
    double min_match = 0.0;
    NumberFormat number_format;  ///< decimal mark and thousands separators of the values
    SignMode signs = SignMode::automatic;
    std::string key_field;  ///< the boundary key field, for messages ("" = the feature id)
};

struct KeyFix {
    std::size_t line = 0;  ///< table line of the row
    std::string from;
    std::string to;
};

struct UnmatchedRow {
    std::size_t line = 0;
    std::string key;  ///< after normalisation
};

struct DuplicateKey {
    std::string key;
    std::vector<std::size_t> lines;
};

struct UnmatchedFeature {
    std::string key;
    std::string name;
};

/// Everything the join saw. Lists are sorted (by key, then line) so the JSON is deterministic.
struct JoinReport {
    std::string boundaries;  ///< source paths, for the JSON
    std::string values;
    std::size_t features = 0;
    std::size_t rows = 0;
    std::size_t matched = 0;  ///< features that received at least one row
    std::vector<UnmatchedFeature> unmatched_features;
    std::vector<UnmatchedRow> unmatched_rows;
    std::vector<DuplicateKey> duplicates;
    std::vector<KeyFix> fixes;
    std::vector<std::string> warnings;  ///< e.g. non-numeric, NaN or negative values, with their line
    bool weak = false;                  ///< fewer than half of the features received a row
    std::vector<std::string> hints;     ///< what would have matched better (a field, a column, a key change)
};

struct JoinResult {
    std::vector<std::optional<double>> values;  ///< one per feature of the layer, in layer order; nullopt = no data
    JoinReport report;
};

/// Joins `table` to `layer` by key: both sides normalise_key()'d with the shape of the layer's
/// keys and compared as match_key(). Throws InputError (naming the table and line) for a missing
/// key or value column, a value column without a single number, duplicate keys when
/// `options.duplicates == Duplicates::error`, a join where no feature receives a row, and one
/// below `options.min_match`; each join error carries hints (another boundary field or table
/// column that matches, a Census GEO_ID prefix, case) in its message. Non-numeric values become
/// no data with a warning in the report (keys and cells shown with visible()).
[[nodiscard]] JoinResult join(const Layer& layer, const Table& table, const JoinOptions& options);

/// The report as pretty-printed JSON (stable key order).
[[nodiscard]] std::string to_json(const JoinReport& report);

/// A one-paragraph human summary for stderr ("3108 of 3231 features matched; 12 rows without a feature: …").
[[nodiscard]] std::string summary(const JoinReport& report);

}  // namespace choro::geo
