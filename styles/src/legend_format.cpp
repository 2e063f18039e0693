// Numbers as readers see them: legend class labels and place-label values.

#include "choro/styles/legend_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "detail/text.hpp"

#include "choro/geo/error.hpp"

namespace choro::styles {

namespace {

constexpr int max_data_decimals = 4;  // more decimals than this: computed values, not the data's precision
constexpr std::string_view minus = "\u2212";
constexpr std::string_view en_dash = "\u2013";

/// The decimals `v` is written with, or -1 beyond max_data_decimals.
[[nodiscard]] int decimals_of(double v) {
    double scale = 1.0;
    for (int d = 0; d <= max_data_decimals; ++d, scale *= 10.0) {
        const double x = v * scale;
        if (std::abs(x - std::round(x)) <= 1e-7 * std::max(1.0, std::abs(x))) {
            return d;
        }
    }
    return -1;
}

/// `v` (>= 0) with `decimals` decimals and a comma between thousands.
[[nodiscard]] std::string fixed(double v, int decimals) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 12), v);
    std::string s = buf;
    const std::size_t dot = s.find('.');
    std::size_t int_end = dot == std::string::npos ? s.size() : dot;
    std::string grouped;
    for (std::size_t i = 0; i < int_end; ++i) {
        if (i > 0 && (int_end - i) % 3 == 0) {
            grouped += ',';
        }
        grouped += s[i];
    }
    return grouped + s.substr(int_end);
}

/// `v` in display units (×100 already for shares): the text of one number.
[[nodiscard]] std::string write(double v, const NumberStyle& style, int extra) {
    if (!std::isfinite(v)) {
        return {};
    }
    const int decimals = style.decimals + extra;
    // Round first, so that −0.004 written with 2 decimals is "0.00", not "−0.00".
    const double p = std::pow(10.0, decimals);
    double r = std::round(v * p) / p;
    if (r == 0.0) {
        r = 0.0;
    }
    std::string sign = r < 0.0 ? std::string(minus) : std::string();
    const double a = std::abs(r);
    if (style.format == LegendFormat::percent) {
        return sign + fixed(a, decimals) + "%";
    }
    if (style.format == LegendFormat::compact && std::abs(v) >= 1000.0) {
        constexpr struct {
            double unit;
            const char* suffix;
        } units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
        const double av = std::abs(v);
        for (const auto& u : units) {
            // 999,950 is written 1M, not 1,000K.
            if (av >= u.unit * 0.99995 || u.unit == 1e3) {
                const int places = (av / u.unit < 9.95 ? 1 : 0) + extra;
                const double q = std::pow(10.0, places);
                // Halves round away from zero, as ECMA-402 does: 1,250 is 1.3K.
                const double m = std::round(av / u.unit * q) / q;
                std::string s = fixed(m, places);
                if (s.find('.') != std::string::npos) {
                    while (s.back() == '0') {
                        s.pop_back();
                    }
                    if (s.back() == '.') {
                        s.pop_back();
                    }
                }
                return std::string(v < 0.0 ? minus : "") + s + u.suffix;
            }
        }
    }
    return sign + fixed(a, decimals);
}

[[nodiscard]] std::string range(const std::string& lo, const std::string& hi) {
    if (lo == hi) {
        return hi;
    }
    // "−5 to −1" reads better than "−5–−1".
    if (lo.starts_with(minus) || hi.starts_with(minus)) {
        return lo + " to " + hi;
    }
    return lo + std::string(en_dash) + hi;
}

[[nodiscard]] bool share_column(std::string_view column) {
    const std::string c = detail::lower(column);
    for (const char* word : {"percent", "pct", "share", "proportion", "%"}) {
        if (c.find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

LegendFormat parse_legend_format(std::string_view text) {
    const std::string t = detail::lower(detail::trim(text));
    if (t == "auto" || t == "automatic") {
        return LegendFormat::automatic;
    }
    if (t == "plain") {
        return LegendFormat::plain;
    }
    if (t == "compact") {
        return LegendFormat::compact;
    }
    if (t == "percent") {
        return LegendFormat::percent;
    }
    std::string msg = "unknown legend format '" + std::string(text) + "'";
    const std::string near = detail::nearest(t, {"auto", "plain", "compact", "percent"});
    msg += near.empty() ? "; expected auto, plain, compact or percent" : "; did you mean '" + near + "'?";
    throw JobError("", 0, 0, msg);
}

const char* legend_format_name(LegendFormat format) noexcept {
    switch (format) {
        case LegendFormat::automatic:
            return "auto";
        case LegendFormat::plain:
            return "plain";
        case LegendFormat::compact:
            return "compact";
        case LegendFormat::percent:
            return "percent";
    }
    return "auto";
}

LegendLayout parse_legend_layout(std::string_view text) {
    const std::string t = detail::lower(detail::trim(text));
    if (t == "vertical") {
        return LegendLayout::vertical;
    }
    if (t == "horizontal") {
        return LegendLayout::horizontal;
    }
    std::string msg = "unknown legend layout '" + std::string(text) + "'";
    const std::string near = detail::nearest(t, {"vertical", "horizontal"});
    msg += near.empty() ? "; expected vertical or horizontal" : "; did you mean '" + near + "'?";
    throw JobError("", 0, 0, msg);
}

const char* legend_layout_name(LegendLayout layout) noexcept {
    return layout == LegendLayout::horizontal ? "horizontal" : "vertical";
}

NumberStyle number_style(std::span<const std::optional<double>> values, LegendFormat format, std::string_view column) {
    std::vector<double> finite;
    for (const auto& v : values) {
        if (v && std::isfinite(*v)) {
            finite.push_back(*v);
        }
    }
    const auto [lo_it, hi_it] = std::minmax_element(finite.begin(), finite.end());
    const double lo = finite.empty() ? 0.0 : *lo_it;
    const double hi = finite.empty() ? 0.0 : *hi_it;
    NumberStyle style;
    if (format == LegendFormat::automatic) {
        const bool share = !finite.empty() && share_column(column) && lo >= 0.0 && hi <= 100.0;
        format = share ? LegendFormat::percent : LegendFormat::plain;
    }
    style.format = format;
    if (format == LegendFormat::percent) {
        const bool whole = std::all_of(finite.begin(), finite.end(), [](double v) { return v == std::floor(v); });
        style.fraction = !finite.empty() && lo >= -1.0 && hi <= 1.0 && !whole;
    }
    int decimals = 0;
    for (const double v : finite) {
        const int d = decimals_of(style.fraction ? v * 100.0 : v);
        if (d < 0) {
            style.discrete = false;
            break;
        }
        decimals = std::max(decimals, d);
    }
    if (!style.discrete) {
        // Computed values: two significant digits of the largest magnitude.
        const double largest = std::max(std::abs(lo), std::abs(hi)) * (style.fraction ? 100.0 : 1.0);
        decimals = largest > 0.0 ? std::clamp(1 - static_cast<int>(std::floor(std::log10(largest))), 0, 6) : 0;
    }
    style.decimals = decimals;
    return style;
}

std::string format_number(double value, const NumberStyle& style) {
    return write(style.fraction ? value * 100.0 : value, style, 0);
}

std::vector<std::string> class_labels(const Breaks& breaks, const NumberStyle& style) {
    const std::size_t k = breaks.size();
    std::vector<std::string> labels(k);
    if (k == 0 || breaks.edges.size() < k + 1) {
        return labels;
    }
    const double scale = style.fraction ? 100.0 : 1.0;
    std::vector<double> edges;
    for (const double e : breaks.edges) {
        edges.push_back(e * scale);
    }
    const double step = std::pow(10.0, -style.decimals);
    // The multiples of `step` at or below / above an edge (edges of quantiles are data values;
    // those of equal intervals or Jenks may fall between them).
    const auto floor_step = [&](double x) { return std::floor(x / step + 1e-7) * step; };
    const auto ceil_step = [&](double x) { return std::ceil(x / step - 1e-7) * step; };
    for (int extra = 0; extra <= 6; ++extra) {
        bool collapsed = false;  // a class of several values written as one
        for (std::size_t i = 0; i < k; ++i) {
            if (breaks.method == Method::categorical) {
                labels[i] = write(edges[i + 1], style, extra);
                continue;
            }
            const bool top = i + 1 == k && k > 1;
            double lo = edges[i];
            double hi = edges[i + 1];
            bool holds_none = false;  // no value of the data's precision lies in the class
            if (style.discrete) {
                lo = i == 0 ? ceil_step(lo) : floor_step(lo) + step;
                hi = floor_step(hi);
                holds_none = lo > hi + step * 1e-7;
                if (holds_none && !top) {
                    // Writing it as its upper end would repeat the class below ("5–8", "8"): its
                    // edges as they are ("2.5–2.7").
                    lo = edges[i];
                    hi = edges[i + 1];
                }
            }
            int more = extra;  // a class between whole values gets the decimals its edges need, alone
            while (holds_none && !top && more < 6 && write(lo, style, more) == write(hi, style, more)) {
                ++more;
            }
            const std::string lo_text = write(lo, style, more);
            const std::string hi_text = write(hi, style, more);
            collapsed = collapsed || (lo_text == hi_text && hi - lo > 1e-9 * std::max(1.0, std::abs(hi)));
            // The top class is open ("9+"), also when the last edge is the data's maximum or less.
            if (top && (lo_text != hi_text || holds_none)) {
                labels[i] = lo_text + "+";  // the top class is open: its largest value is no edge
            } else {
                labels[i] = range(lo_text, hi_text);
            }
        }
        bool distinct = !collapsed;
        for (std::size_t i = 1; i < k; ++i) {
            distinct = distinct && labels[i] != labels[i - 1];
        }
        if (distinct) {
            break;
        }
    }
    return labels;
}

}  // namespace choro::styles
