#include "choro/render/chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "detail/cairo.hpp"
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"

namespace choro::render {

namespace {

// Cairo and Pango handles through the renderer's own owners (detail/cairo.hpp).
using SurfacePtr = detail::CairoSurfacePtr;
using ContextPtr = detail::CairoPtr;
using LayoutPtr = detail::PangoLayoutPtr;
using FontPtr = detail::PangoFontDescriptionPtr;

constexpr const char* chart_path = "<chart>";

void check(cairo_status_t status, const char* what) {
    detail::check_status(status, chart_path, what);
}

struct Rgb {
    double r, g, b;
};
// First colour (the total) is near-black; then a qualitative palette readable on white.
constexpr Rgb colours[] = {{0.10, 0.10, 0.10},
                           {0.84, 0.15, 0.16},
                           {0.12, 0.47, 0.71},
                           {1.00, 0.50, 0.05},
                           {0.17, 0.63, 0.17},
                           {0.58, 0.40, 0.74},
                           {0.55, 0.34, 0.29},
                           {0.89, 0.47, 0.76}};

enum class Align { left, centre, right };

// Draws text with its top at y; returns its width.
double text(cairo_t* cr,
            const std::string& s,
            const char* font,
            double x,
            double y,
            Align align,
            Rgb colour = {0.15, 0.15, 0.15}) {
    LayoutPtr layout(pango_cairo_create_layout(cr));
    FontPtr description(pango_font_description_from_string(font));
    pango_layout_set_font_description(layout.get(), description.get());
    pango_layout_set_text(layout.get(), s.c_str(), -1);
    int w = 0, h = 0;
    pango_layout_get_pixel_size(layout.get(), &w, &h);
    double left = x;
    if (align == Align::centre) {
        left = x - w / 2.0;
    } else if (align == Align::right) {
        left = x - w;
    }
    cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
    cairo_move_to(cr, left, y);
    pango_cairo_show_layout(cr, layout.get());
    return w;
}

double nice_step(double max_value, int wanted_ticks) {
    const double raw = std::max(max_value, 1.0) / wanted_ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (raw <= m * magnitude) {
            return std::max(1.0, m * magnitude);
        }
    }
    return 10.0 * magnitude;
}

std::string thousands(long value) {
    std::string digits = std::to_string(std::labs(value));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), ",");
    }
    return (value < 0 ? "-" : "") + digits;
}

// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
void civil(long z, int& year, int& month, int& day) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

long days_from_civil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void validate(const TimeChart& chart) {
    if (chart.dates.empty()) {
        throw RenderError(chart_path, "a chart needs at least one date");
    }
    if (chart.width < 200 || chart.height < 150 || chart.width > 10000 || chart.height > 10000) {
        throw RenderError(chart_path, "chart size must be between 200x150 and 10000x10000");
    }
    for (const ChartSeries& series : chart.series) {
        if (series.values.size() != chart.dates.size()) {
            throw RenderError(chart_path,
                              "series '" + series.name + "' has " + std::to_string(series.values.size()) +
                                  " values for " + std::to_string(chart.dates.size()) + " dates");
        }
    }
}

/// The plot area and its scales: days across, values up.
struct Plot {
    double left = 0, right = 0, top = 0, bottom = 0;
    long first = 0, last = 1;
    double step = 1.0;
    double top_value = 1.0;

    [[nodiscard]] double x_of(long day) const {
        return left + (right - left) * static_cast<double>(day - first) / static_cast<double>(last - first);
    }
    [[nodiscard]] double y_of(double v) const { return bottom - (bottom - top) * v / top_value; }
};

/// Horizontal grid, y labels and the rotated y axis title.
void draw_y_axis(cairo_t* cr, const TimeChart& chart, const Plot& plot) {
    cairo_set_line_width(cr, 1.0);
    for (double v = 0; v <= plot.top_value + plot.step / 2; v += plot.step) {
        const double y = std::round(plot.y_of(v)) + 0.5;
        cairo_set_source_rgb(cr, v == 0 ? 0.3 : 0.88, v == 0 ? 0.3 : 0.88, v == 0 ? 0.3 : 0.88);
        cairo_move_to(cr, plot.left, y);
        cairo_line_to(cr, plot.right, y);
        cairo_stroke(cr);
        text(cr, thousands(std::lround(v)), "Sans 10", plot.left - 8, y - 8, Align::right);
    }
    cairo_save(cr);
    cairo_translate(cr, 18, (plot.top + plot.bottom) / 2);
    cairo_rotate(cr, -M_PI / 2);
    text(cr, chart.y_label, "Sans 11", 0, 0, Align::centre);
    cairo_restore(cr);
}

/// Month ticks; labels every k months so that at most ~10 show.
void draw_month_ticks(cairo_t* cr, const Plot& plot) {
    int y0 = 0, m0 = 0, d0 = 0;
    civil(plot.first, y0, m0, d0);
    const long months_span = (plot.last - plot.first) / 30 + 1;
    const int every = months_span <= 10 ? 1 : months_span <= 20 ? 2 : months_span <= 36 ? 3 : 6;
    static constexpr const char* month_names[] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int year = y0, month = m0 + (d0 > 1 ? 1 : 0);
    if (month > 12) {
        month = 1;
        ++year;
    }
    bool first_label = true;
    for (;;) {
        const long day = days_from_civil(year, month, 1);
        if (day > plot.last) {
            break;
        }
        const double x = std::round(plot.x_of(day)) + 0.5;
        const bool labelled = (month - 1) % every == 0;
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, x, plot.bottom);
        cairo_line_to(cr, x, plot.bottom + (labelled ? 6 : 3));
        cairo_stroke(cr);
        if (labelled) {
            const std::string label =
                std::string(month_names[month - 1]) + (month == 1 || first_label ? " " + std::to_string(year) : "");
            first_label = false;
            text(cr, label, "Sans 10", x, plot.bottom + 9, Align::centre);
        }
        if (++month > 12) {
            month = 1;
            ++year;
        }
    }
}

/// The series as lines with dots; the total last so it sits on top, thickest.
void draw_lines(cairo_t* cr, const TimeChart& chart, const std::vector<long>& days, const Plot& plot) {
    for (std::size_t k = chart.series.size(); k-- > 0;) {
        const ChartSeries& series = chart.series[k];
        const Rgb c = colours[k % std::size(colours)];
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_set_line_width(cr, k == 0 ? 3.0 : 2.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        bool pen = false;
        for (std::size_t i = 0; i < days.size(); ++i) {
            if (!std::isfinite(series.values[i])) {
                pen = false;
                continue;
            }
            const double x = plot.x_of(days[i]), y = plot.y_of(series.values[i]);
            pen ? cairo_line_to(cr, x, y) : cairo_move_to(cr, x, y);
            pen = true;
        }
        cairo_stroke(cr);
        for (std::size_t i = 0; i < days.size(); ++i) {
            if (std::isfinite(series.values[i])) {
                cairo_arc(cr, plot.x_of(days[i]), plot.y_of(series.values[i]), k == 0 ? 3.5 : 2.5, 0, 2 * M_PI);
                cairo_fill(cr);
            }
        }
    }
}

/// Legend: swatch, name and the last value of each series, right of the plot.
void draw_chart_legend(cairo_t* cr, const TimeChart& chart, const Plot& plot) {
    const double right = plot.right;
    double ly = plot.top;
    text(
        cr, "latest (" + chart.dates.back() + ")", "Sans Italic 10", right + 24, ly - 22, Align::left, {0.4, 0.4, 0.4});
    for (std::size_t k = 0; k < chart.series.size(); ++k) {
        const Rgb c = colours[k % std::size(colours)];
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_set_line_width(cr, k == 0 ? 3.0 : 2.0);
        cairo_move_to(cr, right + 24, ly + 9);
        cairo_line_to(cr, right + 50, ly + 9);
        cairo_stroke(cr);
        const double last_value = chart.series[k].values.back();
        const std::string value = std::isfinite(last_value) ? thousands(std::lround(last_value)) : "–";
        text(cr, chart.series[k].name, k == 0 ? "Sans Bold 11" : "Sans 11", right + 58, ly, Align::left);
        text(cr, value, "Sans 10", right + 58, ly + 17, Align::left, {0.4, 0.4, 0.4});
        ly += 42;
    }
}

void draw(cairo_t* cr, const TimeChart& chart) {
    const double width = chart.width, height = chart.height;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    std::vector<long> days;
    for (const std::string& date : chart.dates) {
        days.push_back(days_from_iso(date));
    }
    double max_value = 1.0;
    for (const ChartSeries& series : chart.series) {
        for (double v : series.values) {
            if (std::isfinite(v)) {
                max_value = std::max(max_value, v);
            }
        }
    }
    Plot plot;
    plot.left = 80;
    plot.right = width - 250;
    plot.top = 90;
    plot.bottom = height - 80;
    plot.first = days.front();
    plot.last = std::max(days.back(), days.front() + 1);
    plot.step = nice_step(max_value, 6);
    plot.top_value = std::ceil(max_value / plot.step) * plot.step;

    text(cr, chart.title, "Sans Bold 18", plot.left, 18, Align::left);
    text(cr, chart.subtitle, "Sans 11", plot.left, 48, Align::left, {0.35, 0.35, 0.35});
    draw_y_axis(cr, chart, plot);
    draw_month_ticks(cr, plot);
    draw_lines(cr, chart, days, plot);
    draw_chart_legend(cr, chart, plot);
    text(cr, chart.source_note, "Sans 9", plot.left, height - 28, Align::left, {0.45, 0.45, 0.45});
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

long days_from_iso(const std::string& date) {
    int y = 0, m = 0, d = 0;
    if (date.size() < 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
        throw RenderError(chart_path, "date '" + date + "' is not YYYY-MM-DD");
    }
    return days_from_civil(y, m, d);
}

std::string render_chart_png(const TimeChart& chart) {
    validate(chart);
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, chart.width, chart.height));
    check(cairo_surface_status(surface.get()), "creating the chart surface");
    {
        ContextPtr cr(cairo_create(surface.get()));
        check(cairo_status(cr.get()), "creating the chart context");
        draw(cr.get(), chart);
        check(cairo_status(cr.get()), "drawing the chart");
    }
    const Image image = detail::to_image(surface.get());
    PngOptions options;
    options.dpi = 96;
    return encode_png(image, options);
}

std::string render_chart_svg(const TimeChart& chart) {
    validate(chart);
    std::string bytes;
    {
        SurfacePtr surface(cairo_svg_surface_create_for_stream(append, &bytes, chart.width, chart.height));
        check(cairo_surface_status(surface.get()), "creating the SVG surface");
        {
            ContextPtr cr(cairo_create(surface.get()));
            check(cairo_status(cr.get()), "creating the SVG context");
            draw(cr.get(), chart);
            check(cairo_status(cr.get()), "drawing the chart");
        }
        cairo_surface_finish(surface.get());
        check(cairo_surface_status(surface.get()), "writing the SVG");
    }
    return bytes;
}

}  // namespace choro::render
