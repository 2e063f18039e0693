#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// Place labels as settings: which features get one (`--labels`) and what it says (`--label-format`).
/// The selection itself runs on a scene (choro/pipeline/labels.hpp).

namespace choro::styles {

/// A parsed `--labels` value.
struct LabelSelection {
    enum class Kind { automatic, none, all, holdouts, top, keys };
    Kind kind = Kind::automatic;    ///< automatic: "all" or "holdouts" by the map (see LabelSettings)
    std::size_t top = 0;            ///< Kind::top: how many
    std::vector<std::string> keys;  ///< Kind::keys: feature keys, as given
};

/// "" (automatic), "none", "all", "holdouts", "top:N" (N ≥ 1) or "KEY,KEY,…" (a single word that is
/// none of the others is one key). Case-insensitive words. Throws JobError (no path) for "top:" with
/// no positive whole number and for an empty key in a list.
///
///     auto s = choro::styles::parse_label_selection("top:10");  // s.kind == Kind::top, s.top == 10
[[nodiscard]] LabelSelection parse_label_selection(std::string_view text);

/// Checks a `--label-format` template: only {name}, {value} and {key}; braces otherwise unbalanced
/// or another placeholder throw JobError (no path) naming it.
void check_label_format(std::string_view format);

/// The text of one label: the template with {name}, {value} and {key} replaced and the two
/// characters "\n" turned into a line break (shells pass them literally). Blank lines (e.g. a
/// feature without a value) are dropped, and the result is trimmed. Assumes check_label_format().
///
///     expand_label("{name}\\n{value}", "Dallas", "1,234", "48113") == "Dallas\n1,234"
[[nodiscard]] std::string expand_label(std::string_view format,
                                       std::string_view name,
                                       std::string_view value,
                                       std::string_view key);

}  // namespace choro::styles
