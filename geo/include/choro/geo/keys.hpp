#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

/// @file
/// Join keys. Spreadsheets turn FIPS "01001" into the number 1001 or "1001.0"; this puts them back.

namespace choro::geo {

/// What the boundary keys look like, learnt from them: when every key is digits of one length
/// (2 for states, 5 for counties), table keys are left-padded with zeros to that width.
struct KeyShape {
    std::size_t numeric_width = 0;  ///< 0 = the keys are not all fixed-width digits
};

/// Learns the shape from boundary keys (empty keys ignored). O(n).
[[nodiscard]] KeyShape infer_key_shape(std::span<const std::string> keys);

/// Normalises one key: trims white space (also non-breaking spaces), strips a trailing ".0"
/// (or ".00…") from a number, and left-pads digits to `shape.numeric_width`. Text keys are only trimmed.
///
///     normalise_key(" 1001.0 ", {5}) == "01001"
[[nodiscard]] std::string normalise_key(std::string_view raw, const KeyShape& shape);

}  // namespace choro::geo
