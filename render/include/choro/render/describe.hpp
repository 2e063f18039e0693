#pragma once

#include <string>

#include "choro/pipeline/scene.hpp"

/// @file
/// A map in words and as a table, for readers who cannot see it and for those who want the data:
/// the alt text written beside every map (`<name>.alt.txt`, the PNG's Description chunk, the SVG's
/// `<desc>`, the PDF's Subject) and the companion `<name>.data.csv`. Both read the same scene, and
/// every number the alt text states is a value of the table, written by format_value().

namespace choro::render {

/// A value as the alt text writes it: integers with thousands separators ("23,568,378"),
/// others as the shortest decimal that reads back as the same double ("1.5", "3.18").
[[nodiscard]] std::string format_value(double value);

/// The alt text: what the map shows (title, subtitle, value column), the date (`as_of`, omitted
/// when empty), how many features have data, the range with the features at each end, the three
/// highest, how many holdouts (highlighted features) and state bans are marked with the first
/// holdouts' names, and the classes with their counts. Plain UTF-8 sentences, one paragraph.
/// O(features log features).
///
///     const std::string alt = choro::render::alt_text(scene, job.highlight.as_of);
[[nodiscard]] std::string alt_text(const pipeline::Scene& scene, const std::string& as_of);

/// The features as CSV (RFC 4180, `\n` line ends), in scene order: `key,name,value,class,mark`,
/// where `value` is empty for no data (else the shortest text that reads back as the same double),
/// `class` the legend label of the feature's class, and `mark` "holdout", "partial" or empty.
[[nodiscard]] std::string data_csv(const pipeline::Scene& scene);

}  // namespace choro::render
