#pragma once

#include <string>
#include <vector>

/// @file
/// A line chart of counts over time (e.g. 287(g) agreements per snapshot), drawn with Cairo.

namespace choro::render {

/// One line of the chart: a value for each date of the chart (NaN = no value).
struct ChartSeries {
    std::string name;
    std::vector<double> values;
};

/// A time-series chart. x = dates (ISO "YYYY-MM-DD", ascending), one value per date per series.
/// The first series is drawn thickest (e.g. the national total).
struct TimeChart {
    std::string title;
    std::string subtitle;
    std::string y_label;
    std::string source_note;  ///< small text at the bottom
    std::vector<std::string> dates;
    std::vector<ChartSeries> series;
    int width = 1200;  ///< pixels (PNG) or points (SVG)
    int height = 700;
};

/// Draws the chart and returns PNG bytes. Throws RenderError for a chart without dates or with a
/// series whose length differs from the dates, a date that is not ISO, or a Cairo failure.
///
///     auto png = render_chart_png(chart);
///     geo::write_file_atomic("chart.png", png);
[[nodiscard]] std::string render_chart_png(const TimeChart& chart);
/// Same drawing as SVG text. Same errors.
[[nodiscard]] std::string render_chart_svg(const TimeChart& chart);

/// Days since 1970-01-01 of an ISO date; throws RenderError when it is not "YYYY-MM-DD...".
[[nodiscard]] long days_from_iso(const std::string& date);

}  // namespace choro::render
