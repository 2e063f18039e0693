#pragma once

#include "detail/cairo_map.hpp"
#include <cairo.h>

#include "choro/render/map.hpp"
#include "choro/styles/job.hpp"

/// @file
/// World-map furniture (furniture.cpp): the globe's outline, its water and the graticule, drawn
/// from the projected geometry in a pipeline::Scene. map.cpp calls these around the features.

namespace choro::render::detail {

inline constexpr styles::Color graticule_grey{200, 200, 200, 255};
inline constexpr styles::Color outline_grey{110, 110, 110, 255};
inline constexpr double graticule_width = 0.3;  // points
inline constexpr double outline_width = 0.6;

/// The globe's outline as closed rings (for the water fill and the outline stroke).
void sphere_path(PathSink& sink, const pipeline::Scene& scene, const PageTransform& t);
/// The graticule as open lines.
void graticule_path(PathSink& sink, const pipeline::Scene& scene, const PageTransform& t);

/// Fills the globe with the water colour (under the features). Nothing when there is no water.
void draw_water(cairo_t* cr, const pipeline::Scene& scene, const PageTransform& t);

/// Strokes the graticule (thin, light grey) under the features.
void draw_graticule(cairo_t* cr, const pipeline::Scene& scene, const PageTransform& t);

/// Strokes the globe's outline on top of the features.
void draw_sphere_outline(cairo_t* cr, const pipeline::Scene& scene, const PageTransform& t);

}  // namespace choro::render::detail
