#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "choro/geo/geometry.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/job.hpp"
#include "choro/styles/legend.hpp"

/// @file
/// A small synthetic map in projected coordinates (metres), shared by the render unit tests and the
/// golden images: a 3x2 grid of 100 km squares (one with a hole), two triangles, three classes plus
/// zero and no data, one highlighted feature and two overlay "states" (one with a ban).

namespace choro::test {

inline geo::Ring<geo::Projected> square_ring(double x, double y, double side) {
    // Counter-clockwise, closed as readers store rings.
    return {{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}};
}

inline geo::MultiPolygon<geo::Projected> square(double x, double y, double side) {
    return {{square_ring(x, y, side)}};
}

/// Colours of the synthetic classes (an OrRd-like ramp) and the special classes.
inline const std::vector<styles::Color>& synthetic_classes() {
    static const std::vector<styles::Color> c{{253, 204, 138, 255}, {252, 141, 89, 255}, {215, 48, 31, 255}};
    return c;
}
inline constexpr styles::Color synthetic_zero{247, 247, 247, 255};
inline constexpr styles::Color synthetic_no_data{200, 200, 200, 255};

/// The scene; `with_text` adds title, subtitle, legend labels, notes and the source note.
inline pipeline::Scene synthetic_scene(bool with_text) {
    using geo::Projected;
    pipeline::Scene s;
    const double k = 100000.0;  // 100 km
    const auto& cls = synthetic_classes();
    // Row 0 (south): class 0, class 1, class 2 (with a hole). Row 1: zero, no data, class 2 highlighted.
    s.features.push_back(square(0, 0, k));
    s.fills.push_back(cls[0]);
    s.features.push_back(square(k, 0, k));
    s.fills.push_back(cls[1]);
    {
        geo::Polygon<Projected> holed{square_ring(2 * k, 0, k), square_ring(2.3 * k, 0.3 * k, 0.4 * k)};
        // The hole runs clockwise, as it should in a y-up space.
        std::reverse(holed[1].begin(), holed[1].end());
        s.features.push_back({holed});
        s.fills.push_back(cls[2]);
    }
    s.features.push_back(square(0, k, k));
    s.fills.push_back(synthetic_zero);
    s.features.push_back(square(k, k, k));
    s.fills.push_back(synthetic_no_data);
    s.features.push_back(square(2 * k, k, k));
    s.fills.push_back(cls[2]);
    // Two triangles east of the grid, one a multipolygon of two parts.
    s.features.push_back({{{{3.2 * k, 0}, {4.2 * k, 0}, {3.7 * k, 0.9 * k}, {3.2 * k, 0}}},
                          {{{3.5 * k, 1.2 * k}, {4.0 * k, 1.2 * k}, {3.75 * k, 1.9 * k}, {3.5 * k, 1.2 * k}}}});
    s.fills.push_back(cls[1]);
    s.highlighted.assign(s.features.size(), false);
    s.highlighted[5] = true;

    // Overlay: west "state" = columns 0-1, east "state" = column 2 plus the triangles, with a ban.
    s.overlay.push_back({{{{0, 0}, {2 * k, 0}, {2 * k, 2 * k}, {0, 2 * k}, {0, 0}}}});
    s.overlay.push_back({{{{2 * k, 0}, {4.3 * k, 0}, {4.3 * k, 2 * k}, {2 * k, 2 * k}, {2 * k, 0}}}});
    s.overlay_highlighted = {false, true};

    s.bounds.extend(Projected{-0.1 * k, -0.1 * k});
    s.bounds.extend(Projected{4.4 * k, 2.1 * k});

    const auto item = [](styles::Swatch sw, styles::Color c, std::string label) {
        styles::LegendItem it;
        it.swatch = sw;
        it.color = c;
        it.label = std::move(label);
        return it;
    };
    const bool t = with_text;
    s.legend.push_back(item(styles::Swatch::fill, synthetic_zero, t ? "0" : ""));
    s.legend.push_back(item(styles::Swatch::fill, cls[0], t ? "1" : ""));
    s.legend.push_back(item(styles::Swatch::fill, cls[1], t ? "2-3" : ""));
    s.legend.push_back(item(styles::Swatch::fill, cls[2], t ? "4-9" : ""));
    s.legend.push_back(item(styles::Swatch::fill, synthetic_no_data, t ? "No data" : ""));
    s.legend.push_back(item(styles::Swatch::hatch, {255, 255, 255, 255}, t ? "Holdout" : ""));
    s.legend.push_back(item(styles::Swatch::overlay_hatch, {255, 255, 255, 255}, t ? "State ban" : ""));
    if (with_text) {
        s.title = "Synthetic agreements";
        s.subtitle = "Three classes, zero, no data, a holdout and a state ban";
        s.legend_title = "Agreements";
        s.notes = {"Note: synthetic data for tests."};
        s.source_note = "Source: choro test suite";
    }
    return s;
}

/// A style whose feature borders are dark enough to see in the golden images.
inline styles::StyleSettings synthetic_style() {
    styles::StyleSettings st;
    st.border = {120, 120, 120, 255};
    st.border_width = 0.5;
    return st;
}

}  // namespace choro::test
