#include "choro/styles/classify.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "detail/text.hpp"

#include "choro/geo/error.hpp"

namespace choro::styles {

namespace {

constexpr std::size_t max_classes = 12;

[[nodiscard]] bool is_whole(double v) noexcept {
    return std::floor(v) == v;
}

/// Distinct sorted values with their multiplicities, and prefix sums for the within-class sum of
/// squared deviations of any run of them in O(1).
struct Weighted {
    std::vector<double> values;
    std::vector<double> w;   // prefix sums of weights
    std::vector<double> s1;  // prefix sums of w·x
    std::vector<double> s2;  // prefix sums of w·x²

    explicit Weighted(const std::vector<double>& sorted) {
        std::vector<double> weights;
        for (const double v : sorted) {
            if (values.empty() || values.back() != v) {
                values.push_back(v);
                weights.push_back(1.0);
            } else {
                weights.back() += 1.0;
            }
        }
        // Centre on the mean so the prefix sums lose little precision for large values.
        double mean = 0.0;
        for (const double v : sorted) {
            mean += v;
        }
        mean /= static_cast<double>(sorted.size());
        w.assign(values.size() + 1, 0.0);
        s1.assign(values.size() + 1, 0.0);
        s2.assign(values.size() + 1, 0.0);
        for (std::size_t i = 0; i < values.size(); ++i) {
            const double x = values[i] - mean;
            w[i + 1] = w[i] + weights[i];
            s1[i + 1] = s1[i] + weights[i] * x;
            s2[i + 1] = s2[i] + weights[i] * x * x;
        }
    }

    /// Sum of squared deviations of distinct values i..j (inclusive) around their weighted mean.
    [[nodiscard]] double ssd(std::size_t i, std::size_t j) const noexcept {
        const double ww = w[j + 1] - w[i];
        const double a = s1[j + 1] - s1[i];
        const double b = s2[j + 1] - s2[i];
        return std::max(0.0, b - a * a / ww);
    }
};

/// One layer of the Fisher-Jenks dynamic programme: cur[j] = min over i of prev[i-1] + ssd(i, j),
/// for j in [lo, hi]. The optimal split is monotone in j for this cost (it satisfies the quadrangle
/// inequality, as used by Ckmeans.1d.dp), so divide and conquer finds the exact optimum in
/// O(m log m) per layer instead of O(m²).
void jenks_layer(const Weighted& wv,
                 const std::vector<double>& prev,
                 std::vector<double>& cur,
                 std::vector<std::size_t>& arg,
                 std::size_t layer,
                 std::size_t lo,
                 std::size_t hi,
                 std::size_t opt_lo,
                 std::size_t opt_hi) {
    if (lo > hi) {
        return;
    }
    const std::size_t mid = lo + (hi - lo) / 2;
    double best = std::numeric_limits<double>::infinity();
    std::size_t best_i = std::max(opt_lo, layer);
    // The last class starts at i (i >= layer so every earlier class has a value).
    for (std::size_t i = std::max(opt_lo, layer); i <= std::min(mid, opt_hi); ++i) {
        const double c = prev[i - 1] + wv.ssd(i, mid);
        if (c < best) {
            best = c;
            best_i = i;
        }
    }
    cur[mid] = best;
    arg[mid] = best_i;
    if (mid > lo) {
        jenks_layer(wv, prev, cur, arg, layer, lo, mid - 1, opt_lo, best_i);
    }
    jenks_layer(wv, prev, cur, arg, layer, mid + 1, hi, best_i, opt_hi);
}

/// Edges of the optimal k-class partition of sorted values (k <= number of distinct values).
[[nodiscard]] std::vector<double> jenks_edges(const std::vector<double>& sorted, std::size_t k) {
    const Weighted wv(sorted);
    const std::size_t m = wv.values.size();
    k = std::min(k, m);
    // cost[c][j]: best cost of values 0..j in c+1 classes; start[c][j]: where class c begins.
    std::vector<std::vector<double>> cost(k, std::vector<double>(m, 0.0));
    std::vector<std::vector<std::size_t>> start(k, std::vector<std::size_t>(m, 0));
    for (std::size_t j = 0; j < m; ++j) {
        cost[0][j] = wv.ssd(0, j);
    }
    for (std::size_t c = 1; c < k; ++c) {
        jenks_layer(wv, cost[c - 1], cost[c], start[c], c, c, m - 1, c, m - 1);
    }
    std::vector<double> edges(k + 1);
    edges[0] = wv.values.front();
    std::size_t end = m - 1;
    for (std::size_t c = k; c-- > 0;) {
        edges[c + 1] = wv.values[end];
        if (c > 0) {
            end = start[c][end] - 1;
        }
    }
    return edges;
}

/// Linear-interpolation quantile (Hyndman-Fan type 7, the default of R and numpy) of sorted values.
[[nodiscard]] double quantile(const std::vector<double>& sorted, double p) {
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

[[nodiscard]] std::string with_commas(std::string digits) {
    // digits: optional '-', integer part, optional fraction.
    const std::size_t sign = (!digits.empty() && digits[0] == '-') ? 1 : 0;
    std::size_t end = digits.find('.');
    if (end == std::string::npos) {
        end = digits.size();
    }
    for (std::size_t pos = end; pos > sign + 3;) {
        pos -= 3;
        digits.insert(pos, ",");
    }
    return digits;
}

[[nodiscard]] std::string format_fixed(double v, int decimals) {
    // The C locale is the default of library code; choro never calls setlocale.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') {
            s.pop_back();
        }
        if (s.back() == '.') {
            s.pop_back();
        }
    }
    if (s == "-0") {
        s = "0";
    }
    return with_commas(s);
}

[[nodiscard]] std::string format_integer(double v) {
    return format_fixed(std::floor(v), 0);
}

/// One edge of a non-integer classification: three significant digits (trailing zeros dropped),
/// plus `extra` decimals.
[[nodiscard]] std::string format_edge(double v, int extra) {
    const int magnitude = v != 0.0 ? static_cast<int>(std::floor(std::log10(std::abs(v)))) : 0;
    return format_fixed(v, std::clamp(2 - magnitude, 0, 10) + extra);
}

/// The extra decimals needed so that neighbouring distinct edges get distinct labels.
[[nodiscard]] int label_extra_decimals(const std::vector<double>& edges) {
    int extra = 0;
    for (; extra < 8; ++extra) {
        bool distinct = true;
        for (std::size_t i = 1; i < edges.size() && distinct; ++i) {
            if (edges[i] != edges[i - 1] && format_edge(edges[i], extra) == format_edge(edges[i - 1], extra)) {
                distinct = false;
            }
        }
        if (distinct) {
            break;
        }
    }
    return extra;
}

}  // namespace

Method parse_method(std::string_view name) {
    const std::string n = detail::lower(detail::trim(name));
    if (n == "quantile") {
        return Method::quantile;
    }
    if (n == "equal" || n == "equal_interval") {
        return Method::equal;
    }
    if (n == "jenks" || n == "natural_breaks") {
        return Method::jenks;
    }
    if (n == "manual") {
        return Method::manual;
    }
    if (n == "categorical") {
        return Method::categorical;
    }
    std::string msg = "unknown classification method '" + std::string(name) + "'";
    const std::string near = detail::nearest(n, {"quantile", "equal", "jenks", "manual", "categorical"});
    if (!near.empty()) {
        msg += "; did you mean '" + near + "'?";
    } else {
        msg += "; expected quantile, equal, jenks, manual or categorical";
    }
    throw JobError("", 0, 0, msg);
}

std::string to_string(Method m) {
    switch (m) {
        case Method::quantile:
            return "quantile";
        case Method::equal:
            return "equal";
        case Method::jenks:
            return "jenks";
        case Method::manual:
            return "manual";
        case Method::categorical:
            return "categorical";
    }
    return "quantile";
}

ClassId Breaks::class_of(std::optional<double> value) const {
    if (!value || std::isnan(*value)) {
        return no_data_class;
    }
    if (has_zero_class && *value == 0.0) {
        return zero_class;
    }
    if (counts.empty() || edges.size() < 2) {
        return no_data_class;
    }
    // Class i holds (edges[i], edges[i+1]], the first also edges[0]; below the first edge is
    // class 0, above the last is the last class.
    const auto it = std::lower_bound(edges.begin() + 1, edges.end(), *value);
    const auto i = static_cast<std::size_t>(it - (edges.begin() + 1));
    return static_cast<ClassId>(std::min(i, counts.size() - 1));
}

std::string Breaks::label(std::size_t i) const {
    if (i >= counts.size() || i + 1 >= edges.size()) {
        return {};
    }
    if (method == Method::categorical) {
        return integers ? format_integer(edges[i + 1]) : format_edge(edges[i + 1], label_extra_decimals(edges));
    }
    if (integers) {
        const double lo = i == 0 ? std::ceil(edges[0]) : std::floor(edges[i]) + 1.0;
        const double hi = std::floor(edges[i + 1]);
        if (lo >= hi) {
            return format_integer(hi);
        }
        return format_integer(lo) + "\u2013" + format_integer(hi);
    }
    const int extra = label_extra_decimals(edges);
    const std::string lo = format_edge(edges[i], extra);
    const std::string hi = format_edge(edges[i + 1], extra);
    if (lo == hi) {
        return hi;
    }
    return lo + "\u2013" + hi;
}

Breaks classify(std::span<const std::optional<double>> values, const ClassifyOptions& options) {
    Breaks out;
    out.method = options.method;
    if (options.method != Method::manual && options.method != Method::categorical) {
        if (options.classes == 0) {
            throw JobError("", 0, 0, "classes must be at least 1");
        }
        if (options.classes > max_classes) {
            throw LimitError("classes: " + std::to_string(options.classes) + " requested, at most " +
                             std::to_string(max_classes) + " allowed");
        }
    }
    if (options.method == Method::manual) {
        if (options.manual_breaks.empty()) {
            throw JobError("", 0, 0, "manual classification needs breaks (e.g. breaks = [1, 5, 10])");
        }
        if (options.manual_breaks.size() + 1 > max_classes) {
            throw LimitError("manual breaks make " + std::to_string(options.manual_breaks.size() + 1) +
                             " classes, at most " + std::to_string(max_classes) + " allowed");
        }
        for (std::size_t i = 0; i < options.manual_breaks.size(); ++i) {
            if (!std::isfinite(options.manual_breaks[i])) {
                throw JobError("", 0, 0, "manual breaks must be finite numbers");
            }
            if (i > 0 && !(options.manual_breaks[i] > options.manual_breaks[i - 1])) {
                throw JobError("",
                               0,
                               0,
                               "manual breaks must be ascending: " + format_fixed(options.manual_breaks[i - 1], 6) +
                                   " is followed by " + format_fixed(options.manual_breaks[i], 6));
            }
        }
    }

    std::vector<double> data;
    data.reserve(values.size());
    for (const auto& v : values) {
        if (!v || !std::isfinite(*v)) {
            ++out.no_data_count;
        } else {
            data.push_back(*v);
        }
    }
    bool zero = false;
    switch (options.zero) {
        case ZeroClass::on:
            zero = true;
            break;
        case ZeroClass::off:
            zero = false;
            break;
        case ZeroClass::automatic:
            zero = std::all_of(data.begin(), data.end(), [](double v) { return v >= 0.0 && is_whole(v); }) &&
                   std::any_of(data.begin(), data.end(), [](double v) { return v == 0.0; });
            break;
    }
    out.has_zero_class = zero;
    std::vector<double> sorted;
    sorted.reserve(data.size());
    for (const double v : data) {
        if (zero && v == 0.0) {
            ++out.zero_count;
        } else {
            sorted.push_back(v);
        }
    }
    std::sort(sorted.begin(), sorted.end());
    out.integers = std::all_of(sorted.begin(), sorted.end(), is_whole);
    if (options.method == Method::manual) {
        out.integers =
            out.integers && std::all_of(options.manual_breaks.begin(), options.manual_breaks.end(), is_whole);
    }

    if (sorted.empty() && options.method != Method::manual) {
        return out;  // nothing to classify: no classes, only zero and no data
    }

    switch (options.method) {
        case Method::quantile: {
            const std::size_t k = options.classes;
            std::vector<double> raw(k + 1);
            for (std::size_t i = 0; i <= k; ++i) {
                raw[i] = i == k ? sorted.back() : quantile(sorted, static_cast<double>(i) / static_cast<double>(k));
            }
            out.edges.push_back(raw[0]);
            for (std::size_t i = 1; i <= k; ++i) {
                if (raw[i] > out.edges.back()) {
                    out.edges.push_back(raw[i]);
                }
            }
            if (out.edges.size() == 1) {
                out.edges.push_back(raw[0]);  // all values equal: one class [v, v]
            }
            if (out.edges.size() - 1 < k) {
                out.warnings.push_back("duplicate quantile edges collapsed: " + std::to_string(k) +
                                       " classes requested, " + std::to_string(out.edges.size() - 1) + " made");
            }
            break;
        }
        case Method::equal: {
            const std::size_t k = options.classes;
            const double lo = sorted.front();
            const double hi = sorted.back();
            if (lo == hi) {
                out.edges = {lo, hi};
                if (k > 1) {
                    out.warnings.push_back("all values are equal: " + std::to_string(k) + " classes requested, 1 made");
                }
                break;
            }
            for (std::size_t i = 0; i < k; ++i) {
                out.edges.push_back(lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(k));
            }
            out.edges.push_back(hi);
            break;
        }
        case Method::jenks: {
            out.edges = jenks_edges(sorted, options.classes);
            if (out.edges.size() - 1 < options.classes) {
                out.warnings.push_back("only " + std::to_string(out.edges.size() - 1) +
                                       " distinct values: " + std::to_string(options.classes) + " classes requested, " +
                                       std::to_string(out.edges.size() - 1) + " made");
            }
            break;
        }
        case Method::manual: {
            const auto& b = options.manual_breaks;
            const double lo = sorted.empty() ? b.front() : std::min(sorted.front(), b.front());
            const double hi = sorted.empty() ? b.back() : std::max(sorted.back(), b.back());
            out.edges.push_back(lo);
            out.edges.insert(out.edges.end(), b.begin(), b.end());
            out.edges.push_back(hi);
            break;
        }
        case Method::categorical: {
            std::vector<double> distinct = sorted;
            distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
            if (distinct.size() > max_classes) {
                throw LimitError("categorical classification: " + std::to_string(distinct.size()) +
                                 " distinct values, at most " + std::to_string(max_classes) + " allowed");
            }
            out.edges.push_back(distinct.front());
            out.edges.insert(out.edges.end(), distinct.begin(), distinct.end());
            break;
        }
    }

    out.counts.assign(out.edges.size() - 1, 0);
    for (const double v : sorted) {
        const ClassId c = out.class_of(v);
        CHORO_ASSERT(c >= 0);
        ++out.counts[static_cast<std::size_t>(c)];
    }
    return out;
}

}  // namespace choro::styles
