#pragma once

#include "choro/geo/text.hpp"

/// @file
/// The text helpers of choro/geo/text.hpp under the names the styles sources use.

namespace choro::styles::detail {

using geo::edit_distance;
using geo::iequals;
using geo::lower;
using geo::nearest;
using geo::trim;
using geo::upper;

}  // namespace choro::styles::detail
