#pragma once

#include <string>

#include "choro/geo/layer.hpp"

/// @file
/// The split between read_layer() (layer_cache.cpp: consults the cache) and the GDAL reader
/// proper (layer_reader.cpp).

namespace choro::geo::detail {

/// Reads a layer through GDAL, ignoring options.cache_dir. Throws as read_layer().
[[nodiscard]] Layer read_layer_uncached(const std::string& path, const LayerOptions& options);

}  // namespace choro::geo::detail
