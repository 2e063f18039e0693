#pragma once

#include "choro/geo/text.hpp"

/// @file
/// The text helpers of choro/geo/text.hpp under the names geo's sources use.

namespace choro::geo::detail {

using geo::ascii_lower;
using geo::iequals;
using geo::is_ascii_space;
using geo::quoted_list;
using geo::trim;

}  // namespace choro::geo::detail
