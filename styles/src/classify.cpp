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
#include "choro/styles/settings.hpp"

namespace choro::styles {

namespace {

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
        // Squares of values near ±1e308 overflow: scale by a power of two (exact, and the optimal
        // partition does not change with the unit).
        const double largest = std::max(std::abs(sorted.front()), std::abs(sorted.back()));
        const double unit = largest > 1e150 ? std::ldexp(1.0, -std::ilogb(largest)) : 1.0;
        std::vector<double> weights;
        for (const double raw : sorted) {
            const double v = raw * unit;
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
            mean += v * unit / static_cast<double>(sorted.size());
        }
        m_unit = unit;
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

    double m_unit = 1.0;  ///< values[i] = original value × m_unit

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
    edges[0] = wv.values.front() / wv.m_unit;
    std::size_t end = m - 1;
    for (std::size_t c = k; c-- > 0;) {
        edges[c + 1] = wv.values[end] / wv.m_unit;
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

/// Numbers beyond a thousand trillion are written in scientific notation: their digits would
/// only claim a precision a double does not have.
constexpr double huge_label = 1e15;

[[nodiscard]] std::string format_scientific(double v, int extra) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*e", 2 + extra, v);
    return buf;
}

[[nodiscard]] std::string format_integer(double v) {
    if (std::abs(v) >= huge_label) {
        return format_scientific(v, 0);
    }
    return format_fixed(std::floor(v), 0);
}

/// One edge of a non-integer classification: three significant digits (trailing zeros dropped),
/// plus `extra` decimals.
[[nodiscard]] std::string format_edge(double v, int extra) {
    if (std::abs(v) >= huge_label) {
        return format_scientific(v, extra);
    }
    const int magnitude = v != 0.0 ? static_cast<int>(std::floor(std::log10(std::abs(v)))) : 0;
    return format_fixed(v, std::clamp(2 - magnitude, 0, 10) + extra);
}

/// Groups the distinct values of `sorted` into `k` runs of about equal counts, every run holding at
/// least one distinct value (k <= distinct values): the quantile classes when ties make the plain
/// quantiles collapse or leave classes empty. Returns the edges (first value, then each run's last).
[[nodiscard]] std::vector<double> balanced_edges(const std::vector<double>& sorted, std::size_t k) {
    std::vector<double> distinct;
    std::vector<std::size_t> cumulative;  // values up to and including distinct[i]
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (distinct.empty() || distinct.back() != sorted[i]) {
            distinct.push_back(sorted[i]);
            cumulative.push_back(0);
        }
        cumulative.back() = i + 1;
    }
    const std::size_t m = distinct.size();
    k = std::min(k, m);
    std::vector<double> edges{distinct.front()};
    std::size_t last = 0;  // index of the first distinct value not yet in a run
    for (std::size_t c = 1; c < k; ++c) {
        const double target = static_cast<double>(sorted.size()) * static_cast<double>(c) / static_cast<double>(k);
        // The run ends at j: at least one value in it, and enough distinct values left for the rest.
        std::size_t best = last;
        double best_gap = std::numeric_limits<double>::infinity();
        for (std::size_t j = last; j + (k - c) < m; ++j) {
            const double gap = std::abs(static_cast<double>(cumulative[j]) - target);
            if (gap < best_gap) {
                best_gap = gap;
                best = j;
            }
        }
        edges.push_back(distinct[best]);
        last = best + 1;
    }
    edges.push_back(distinct.back());
    return edges;
}

[[nodiscard]] std::size_t distinct_count(const std::vector<double>& sorted) {
    return sorted.empty() ? 0
                          : 1 + static_cast<std::size_t>(std::count_if(
                                    sorted.begin() + 1, sorted.end(), [&](const double& v) { return v != *(&v - 1); }));
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
    std::string lo = format_edge(edges[i], extra);
    std::string hi = format_edge(edges[i + 1], extra);
    if (lo == hi) {
        return hi;
    }
    return lo + "\u2013" + hi;
}

namespace {

/// The options a classification needs; the job's validate() checks the same ranges first
/// (styles/settings.hpp), so a job never gets here with bad ones: this guards library callers.
void check_options(const ClassifyOptions& options) {
    const std::size_t max_classes = static_cast<std::size_t>(ranges::classes.max);
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
}

/// Splits the finite values into the zero class (when it applies) and the sorted rest.
std::vector<double> sorted_values(std::span<const std::optional<double>> values,
                                  const ClassifyOptions& options,
                                  Breaks& out) {
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

    return sorted;
}

/// The class edges of the method (sorted holds at least one value, or the method is manual).
void compute_edges(const std::vector<double>& sorted, const ClassifyOptions& options, Breaks& out) {
    switch (options.method) {
        case Method::quantile: {
            const std::size_t k = options.classes;
            std::vector<double> raw(k + 1);
            for (std::size_t i = 0; i <= k; ++i) {
                raw[i] = i == k ? sorted.back() : quantile(sorted, static_cast<double>(i) / static_cast<double>(k));
            }
            out.edges = raw;
            // Ties can make quantiles collapse (two classes with one edge) or leave a class empty
            // while another holds several distinct values: then group the distinct values instead,
            // as evenly by count as they allow. Distinct values are never merged while there are
            // at least as many of them as classes.
            bool empty_class = false;
            for (std::size_t i = 1; i < k; ++i) {
                // Values in (edges[i], edges[i+1]]: none when the first above edges[i] is beyond edges[i+1].
                const auto first = std::upper_bound(sorted.begin(), sorted.end(), out.edges[i]);
                empty_class = empty_class || first == sorted.end() || *first > out.edges[i + 1];
            }
            if (empty_class) {
                out.edges = balanced_edges(sorted, k);
            }
            break;
        }
        case Method::equal: {
            const std::size_t k = options.classes;
            const double lo = sorted.front();
            const double hi = sorted.back();
            if (lo == hi) {
                out.edges = {lo, hi};
                break;
            }
            if (out.integers && hi - lo + 1.0 <= static_cast<double>(k)) {
                // Intervals narrower than 1 between whole numbers: one class per value present.
                out.edges = balanced_edges(sorted, k);
                break;
            }
            for (std::size_t i = 0; i < k; ++i) {
                // lo·(1-f) + hi·f: no hi - lo, which overflows for values near ±1e308.
                const double f = static_cast<double>(i) / static_cast<double>(k);
                out.edges.push_back(lo * (1.0 - f) + hi * f);
            }
            out.edges.push_back(hi);
            break;
        }
        case Method::jenks: {
            out.edges = jenks_edges(sorted, options.classes);
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
            const auto max_classes = static_cast<std::size_t>(ranges::classes.max);
            if (distinct.size() > max_classes) {
                throw LimitError("categorical classification: " + std::to_string(distinct.size()) +
                                 " distinct values, at most " + std::to_string(max_classes) + " allowed");
            }
            out.edges.push_back(distinct.front());
            out.edges.insert(out.edges.end(), distinct.begin(), distinct.end());
            break;
        }
    }
}

}  // namespace

Breaks classify(std::span<const std::optional<double>> values, const ClassifyOptions& options) {
    check_options(options);
    Breaks out;
    out.method = options.method;
    const std::vector<double> sorted = sorted_values(values, options, out);
    if (sorted.empty() && options.method != Method::manual) {
        return out;  // nothing to classify: no classes, only zero and no data
    }
    compute_edges(sorted, options, out);
    if (options.method == Method::quantile || options.method == Method::equal || options.method == Method::jenks) {
        const std::size_t distinct = distinct_count(sorted);
        if (out.edges.size() - 1 < options.classes) {
            out.warnings.push_back((distinct == 1 ? std::string("all values are equal")
                                                  : "only " + std::to_string(distinct) + " distinct values") +
                                   ": " + std::to_string(options.classes) + " classes requested, " +
                                   std::to_string(out.edges.size() - 1) + " made");
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
