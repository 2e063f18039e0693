#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "choro/geo/geometry.hpp"
#include "choro/pipeline/scene.hpp"
#include "choro/styles/job.hpp"

/// @file
/// Internals of the web map (style.cpp, web_page.cpp), exposed for the tests.

namespace choro::render::detail {

/// The shortest decimal c with lo < c <= hi (fewest significant digits): a class threshold that
/// reads well ("4" between 3 and 4.5). hi when lo >= hi.
[[nodiscard]] double shortest_decimal_between(double lo, double hi);

/// The fill colour of a feature as a MapLibre expression on its properties: no data (no `value`,
/// or not a number), zero (when the scene has a zero class), else a `step` over the classes the
/// scene's features fall in.
[[nodiscard]] nlohmann::json fill_color_expression(const pipeline::Scene& scene, const styles::StyleSettings& style);

/// The longitudes and latitudes a page opens on: the smallest span of longitude holding every
/// feature (east edge past 180 when the features lie across it, as the US's Aleutians do), and
/// the latitudes of the features. Empty for an empty scene. Scene projected to Web Mercator.
[[nodiscard]] geo::Box<geo::LonLat> data_view(const pipeline::Scene& scene);

/// MapLibre GL JS and the pmtiles library, embedded at build time from the pinned npm packages.
[[nodiscard]] std::string_view maplibre_js() noexcept;
[[nodiscard]] std::string_view maplibre_css() noexcept;
[[nodiscard]] std::string_view maplibre_license() noexcept;
[[nodiscard]] std::string_view pmtiles_js() noexcept;
[[nodiscard]] std::string_view pmtiles_license() noexcept;

}  // namespace choro::render::detail
