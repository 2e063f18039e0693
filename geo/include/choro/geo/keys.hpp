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

/// Normalises one key the same way for boundary and table keys: removes invisible characters
/// (zero-width spaces and joiners, word joiner, BOM) wherever they are, turns full-width digits
/// into ASCII, trims white space (also no-break and ideographic spaces), strips a trailing ".0"
/// (or ".00…") from a number, and left-pads digits to `shape.numeric_width`.
///
///     normalise_key(" 1001.0 ", {5}) == "01001"
[[nodiscard]] std::string normalise_key(std::string_view raw, const KeyShape& shape);

/// The form two normalised keys are compared in: digit keys without their leading zeros, so a
/// boundary stored as the integer 1001 meets the table's "01001" (and the other way round).
///
///     match_key("01001") == match_key("1001")
[[nodiscard]] std::string match_key(std::string_view normalised);

}  // namespace choro::geo
